-- An unknown recipient. KEYS: state, block index (one Redis only). ARGV: now, window (ms), interval = window /
-- limit (ms), blockFor (ms), startBlock (1 or 0), client key. Returns {verdict, and the reason, since, until of a
-- block found ended on the way, or three ''}; the verdict is a HarvestVerdict name.
local s, idx = KEYS[1], KEYS[2]
local now, window, interval, block_for = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local b = block_of(s, idx, ARGV[6], now)
if b and b[1] == 'A' then
  return {'ALREADY_BLOCKED', '', '', ''}
end
local ended = {'', '', ''}
if b then
  ended = {b[2], b[3], b[4]}
end
local u = tonumber(redis.call('HGET', s, 'u')) or 0
local verdict
if math.max(u, now) - now <= window - interval then
  redis.call('HSET', s, 'u', math.max(u, now) + interval)
  verdict = 'UNDER_LIMIT'
else
  -- The one over the limit: the count starts again, the block being the penalty.
  redis.call('HDEL', s, 'u')
  if ARGV[5] == '1' then
    redis.call('HSET', s, 'br', 'HARVEST', 'bs', now, 'bu', now + block_for)
    if idx then
      redis.call('ZADD', idx, now + block_for, ARGV[6])
      keep_index(idx, now)
    end
    verdict = 'BLOCK_STARTED'
  else
    verdict = 'LIMIT_EXCEEDED'
  end
end
keep_state(s, now)
return {verdict, ended[1], ended[2], ended[3]}
