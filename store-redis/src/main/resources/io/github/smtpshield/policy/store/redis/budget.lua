-- MAIL FROM: does one more message fit in the hourly budget? Counts nothing. KEYS: state.
-- ARGV: now, window (ms), interval = window / limit (ms). Returns 1 or 0.
local now, window, interval = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local m = tonumber(redis.call('HGET', KEYS[1], 'm')) or 0
if math.max(m, now) - now <= window - interval then
  return 1
end
return 0
