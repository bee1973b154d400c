-- An offence towards a ban (<bans><authFailures>, <repeatedRefusals>). KEYS: state, block index (one Redis only).
-- ARGV: now, window (ms), interval = window / limit (ms), counter field ('a' or 'r'), startBlock (1 or 0), client key,
-- reason, blockFor (ms), factor, max (ms), memory (ms). Returns {verdict, the reason, since, until of a block found
-- ended on the way or three '', the started block's until and offences or two ''}; the verdict a BanVerdict.Outcome.
local s, idx = KEYS[1], KEYS[2]
local now, window, interval, field = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local b = block_of(s, idx, ARGV[6], now)
if b and b[1] == 'A' then
  return {'ALREADY_BLOCKED', '', '', '', '', ''}
end
local ended = {'', '', ''}
if b then
  ended = {b[2], b[3], b[4]}
end
local drain = tonumber(redis.call('HGET', s, field)) or 0
local verdict, ends, offences = 'UNDER_LIMIT', '', ''
if math.max(drain, now) - now <= window - interval then
  redis.call('HSET', s, field, math.max(drain, now) + interval)
else
  -- The one over the limit: the count starts again, the block being the penalty.
  redis.call('HDEL', s, field)
  if ARGV[5] == '1' then
    ends, offences = start_ban(s, idx, ARGV[6], now, ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]),
      tonumber(ARGV[10]), tonumber(ARGV[11]))
    verdict = 'BLOCK_STARTED'
  else
    verdict = 'LIMIT_EXCEEDED'
  end
end
keep_state(s, now)
return {verdict, ended[1], ended[2], ended[3], ends, offences}
