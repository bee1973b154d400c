-- Connections closed. KEYS: one connection set per connection. ARGV: now, then the connection ids in KEYS' order.
local now = tonumber(ARGV[1])
local released = 0
for i, c in ipairs(KEYS) do
  released = released + redis.call('ZREM', c, ARGV[i + 1])
  keep_leases(c, now)
end
return released
