-- An operator lifts the key's block and clears its unknown-recipient, failed-AUTH and refusal counts (the escalation
-- still remembers the block). KEYS: state, block index (one Redis
-- only).
-- ARGV: now, client key. Returns the removed block {reason, since, until}, or {} if there was none.
local b = redis.call('HMGET', KEYS[1], 'br', 'bs', 'bu')
redis.call('HDEL', KEYS[1], 'br', 'bs', 'bu', 'bo', 'u', 'a', 'r')
if KEYS[2] then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
keep_state(KEYS[1], tonumber(ARGV[1]))
if not b[3] then
  return {}
end
return {b[1], b[2], b[3]}
