-- MAIL FROM: takes one message of the hourly budget if it fits, or past it with over = '1' (a rule that only
-- observes), in this one step: parallel sessions never both take the last one. KEYS: state.
-- ARGV: now, window (ms), interval = window / limit (ms), over.
-- Returns {taken, drains at after the take, past the budget}: {0, 0, 0} when the budget is spent (nothing taken).
local now, window, interval, over = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local m = math.max(tonumber(redis.call('HGET', KEYS[1], 'm')) or 0, now)
local within = m - now <= window - interval
if not within and not over then
  return {0, 0, 0}
end
m = m + interval
redis.call('HSET', KEYS[1], 'm', m)
keep_state(KEYS[1], now)
return {1, m, within and 0 or 1}
