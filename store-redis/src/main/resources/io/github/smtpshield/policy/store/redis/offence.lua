-- An offence towards a ban (<bans><authFailures>, <repeatedRefusals>). KEYS: state, block index (one Redis only).
-- ARGV: now, window (ms), interval = window / limit (ms), counter field ('a' or 'r'), then as prelude.lua's bans.
-- Returns {verdict, the reason, since, until of a block found ended on the way or three '', the started block's until
-- and offences or two ''}; the verdict a BanVerdict.Outcome name.
local s, idx = KEYS[1], KEYS[2]
local now, window, interval, field = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local ended = ban_ended(s, idx, now)
if not ended then
  return {'ALREADY_BLOCKED', '', '', '', '', ''}
end
local drain = tonumber(redis.call('HGET', s, field)) or 0
local verdict, ends, offences = 'UNDER_LIMIT', '', ''
if math.max(drain, now) - now <= window - interval then
  redis.call('HSET', s, field, math.max(drain, now) + interval)
else
  -- The one over the limit: the count starts again, the block being the penalty.
  redis.call('HDEL', s, field)
  verdict, ends, offences = over_limit(s, idx, now)
end
keep_state(s, now)
return {verdict, ended[1], ended[2], ended[3], ends, offences}
