-- The node still holds these connections. KEYS: one connection set per connection. ARGV: now, new end of the
-- leases, then the connection ids in KEYS' order. A lease that already lapsed is not revived (XX): the
-- connection then counts no more, never twice.
local now, lease_end = tonumber(ARGV[1]), ARGV[2]
local renewed = 0
for i, c in ipairs(KEYS) do
  renewed = renewed + redis.call('ZADD', c, 'XX', 'CH', lease_end, ARGV[i + 2])
  keep_leases(c, now)
end
return renewed
