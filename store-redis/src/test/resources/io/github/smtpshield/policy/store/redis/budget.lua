-- For the link's tests only: a harmless read-only decision. KEYS: state. ARGV: now, window (ms), interval (ms).
-- Returns 1 if one more message fits in the hourly budget, else 0; counts nothing.
local now, window, interval = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local m = tonumber(redis.call('HGET', KEYS[1], 'm')) or 0
if math.max(m, now) - now <= window - interval then
  return 1
end
return 0
