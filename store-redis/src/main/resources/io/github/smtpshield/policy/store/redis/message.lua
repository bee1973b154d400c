-- An accepted message counts against the hourly budget, even past it. KEYS: state. ARGV: now, interval (ms).
local now, interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local m = tonumber(redis.call('HGET', KEYS[1], 'm')) or 0
redis.call('HSET', KEYS[1], 'm', math.max(m, now) + interval)
keep_state(KEYS[1], now)
return 1
