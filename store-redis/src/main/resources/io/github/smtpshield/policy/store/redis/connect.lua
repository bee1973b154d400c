-- A new connection. KEYS: state, connections, block index (one Redis only). ARGV: now, limit (<= 0: off),
-- connection id, lease (ms), client key, count over the limit (1 or 0). Returns {outcome, reason, since, until}: the
-- outcome an Admission.Outcome name; the block the one that refuses (BLOCKED, never counted), or one found ended on
-- the way, or three ''.
local s, c, idx = KEYS[1], KEYS[2], KEYS[3]
local now, limit, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
local b = block_of(s, idx, ARGV[5], now)
if b and b[1] == 'A' then
  return {'BLOCKED', b[2], b[3], b[4]}
end
local ended = {'', '', ''}
if b then
  ended = {b[2], b[3], b[4]}
  keep_state(s, now)
end
redis.call('ZREMRANGEBYSCORE', c, '-inf', now)
local outcome = 'ADMITTED'
if limit > 0 and redis.call('ZCARD', c) >= limit then
  outcome = ARGV[6] == '1' and 'COUNTED_OVER_LIMIT' or 'TOO_MANY_CONNECTIONS'
end
if outcome ~= 'TOO_MANY_CONNECTIONS' then
  redis.call('ZADD', c, now + lease, ARGV[3])
end
keep_leases(c, now)
return {outcome, ended[1], ended[2], ended[3]}
