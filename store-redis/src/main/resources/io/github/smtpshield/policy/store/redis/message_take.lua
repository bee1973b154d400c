-- MAIL FROM: takes messages of the hourly budget for a node's allowance (MessageAllowances): `want` of them, but no
-- more than a sixteenth of what is left (at least one), in this one step: parallel sessions never both take the last
-- one. Past the budget it takes one with over = '1' (a rule that only observes), never more.
-- KEYS: state. ARGV: now, window (ms), interval = window / limit (ms), over, want.
-- Returns {taken, drains at after the take, past the budget}: {0, 0, 0} when the budget is spent (nothing taken).
local now, window, interval, over, want =
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1', tonumber(ARGV[5])
local m = math.max(tonumber(redis.call('HGET', KEYS[1], 'm')) or 0, now)
local room = math.floor((window - (m - now)) / interval)
local taken = 1
if room >= 1 then
  taken = math.min(want, math.max(1, math.floor(room / 16)))
elseif not over then
  return {0, 0, 0}
end
m = m + taken * interval
redis.call('HSET', KEYS[1], 'm', m)
keep_state(KEYS[1], now)
return {taken, m, room >= 1 and 0 or 1}
