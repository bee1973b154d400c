-- An operator's block; replaces any block of the key. KEYS: state, block index (one Redis only).
-- ARGV: now, reason, since, until, client key. Returns the block it replaced {reason, since, until}, active or
-- ended, or {} if there was none.
local now = tonumber(ARGV[1])
local previous = redis.call('HMGET', KEYS[1], 'br', 'bs', 'bu')
redis.call('HDEL', KEYS[1], 'bo')
redis.call('HSET', KEYS[1], 'br', ARGV[2], 'bs', ARGV[3], 'bu', ARGV[4])
if KEYS[2] then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  keep_index(KEYS[2], now)
end
keep_state(KEYS[1], now)
if not previous[3] then
  return {}
end
return {previous[1], previous[2], previous[3]}
