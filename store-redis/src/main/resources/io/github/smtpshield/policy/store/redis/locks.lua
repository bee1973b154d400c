-- The index that lists account locks (<prefix>locks: login name -> lock until), kept by calls of its own after the
-- lock's decision (on a Redis Cluster it is in another hash slot than the accounts). KEYS: the index. ARGV: now, op:
-- 'add' (then name, until), 'forget' (then name) or 'read'. Returns 'read': name, until, name, until, ...; else {}.
local idx, now = KEYS[1], tonumber(ARGV[1])
if ARGV[2] == 'add' then
  redis.call('ZADD', idx, ARGV[4], ARGV[3])
elseif ARGV[2] == 'forget' then
  redis.call('ZREM', idx, ARGV[3])
end
redis.call('ZREMRANGEBYSCORE', idx, '-inf', now)
local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
if top[2] then
  redis.call('PEXPIRE', idx, math.max(1, tonumber(top[2]) - now))
end
if ARGV[2] == 'read' then
  return redis.call('ZRANGE', idx, 0, -1, 'WITHSCORES')
end
return {}
