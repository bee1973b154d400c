-- A client key of a network was blocked (<bans><networks>). KEYS: the network's state, its blocked keys, block
-- index (one Redis only). ARGV: now, client key, its block's until, threshold, startBlock (1 or 0), network key,
-- reason, blockFor (ms), factor, max (ms), memory (ms). Returns as offence.lua.
local s, n, idx = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
redis.call('ZADD', n, ARGV[3], ARGV[2])
redis.call('ZREMRANGEBYSCORE', n, '-inf', now)
local top = redis.call('ZRANGE', n, -1, -1, 'WITHSCORES')
if top[2] then
  redis.call('PEXPIRE', n, math.max(1, tonumber(top[2]) - now))
end
local b = block_of(s, idx, ARGV[6], now)
if b and b[1] == 'A' then
  return {'ALREADY_BLOCKED', '', '', '', '', ''}
end
local ended = {'', '', ''}
if b then
  ended = {b[2], b[3], b[4]}
end
local verdict, ends, offences = 'UNDER_LIMIT', '', ''
if redis.call('ZCARD', n) >= tonumber(ARGV[4]) then
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
