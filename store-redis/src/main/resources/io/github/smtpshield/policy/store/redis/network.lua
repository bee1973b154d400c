-- A client key of a network was blocked (<bans><networks>). KEYS: the network's state, its blocked keys, block
-- index (one Redis only). ARGV: now, the client key, its block's until, threshold, then as prelude.lua's bans (the
-- blocked key being the network's). Returns as offence.lua.
local s, n, idx = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
redis.call('ZADD', n, ARGV[3], ARGV[2])
redis.call('ZREMRANGEBYSCORE', n, '-inf', now)
local top = redis.call('ZRANGE', n, -1, -1, 'WITHSCORES')
if top[2] then
  redis.call('PEXPIRE', n, math.max(1, tonumber(top[2]) - now))
end
local ended = ban_ended(s, idx, now)
if not ended then
  return {'ALREADY_BLOCKED', '', '', '', '', ''}
end
local verdict, ends, offences = 'UNDER_LIMIT', '', ''
if redis.call('ZCARD', n) >= tonumber(ARGV[4]) then
  verdict, ends, offences = over_limit(s, idx, now)
end
keep_state(s, now)
return {verdict, ended[1], ended[2], ended[3], ends, offences}
