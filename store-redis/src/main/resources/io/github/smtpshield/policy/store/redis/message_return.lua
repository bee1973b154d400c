-- Messages taken and not sent go back to the hourly budget: a transaction that ended without an accepted message
-- (count 1), or a node's unused allowance (MessageAllowances). Each gives back the part of it not drained yet: in all
-- at most count intervals, and nothing the bucket has drained since the take.
-- KEYS: state. ARGV: now, interval (ms), the take's drain time (ms), count.
local now, interval, taken, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local m = tonumber(redis.call('HGET', KEYS[1], 'm'))
if not m then
  return 0
end
m = m - math.min(count * interval, math.max(0, taken - now))
if m > now then
  redis.call('HSET', KEYS[1], 'm', m)
else
  redis.call('HDEL', KEYS[1], 'm')
end
keep_state(KEYS[1], now)
return 1
