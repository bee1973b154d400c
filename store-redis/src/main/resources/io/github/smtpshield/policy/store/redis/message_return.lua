-- A transaction ended without an accepted message: its message goes back to the hourly budget, by the part of it
-- not drained yet (at most one interval). KEYS: state. ARGV: now, interval (ms), the take's drain time (ms).
local now, interval, taken = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local m = tonumber(redis.call('HGET', KEYS[1], 'm'))
if not m then
  return 0
end
m = m - math.min(interval, math.max(0, taken - now))
if m > now then
  redis.call('HSET', KEYS[1], 'm', m)
else
  redis.call('HDEL', KEYS[1], 'm')
end
keep_state(KEYS[1], now)
return 1
