-- A failed authentication as one login name (<bans><accountAuthFailures>). KEYS: the account's hash (f = its GCRA
-- bucket drains at, ls / lu = its lock's since, until). ARGV: now, window (ms), interval = window / limit (ms),
-- lockFor (ms), startLock (1 or 0), op: 'fail', 'get' (the active lock) or 'unlock' (lift the lock, clear the count).
-- Returns 'fail': {verdict (a BanVerdict.Outcome)}; 'get' and 'unlock': {} or the active lock {since, until}.
local a = KEYS[1]
local now = tonumber(ARGV[1])
local l = redis.call('HMGET', a, 'ls', 'lu')
local active = tonumber(l[2]) and tonumber(l[2]) > now
local function keep()
  local f = redis.call('HMGET', a, 'f', 'lu')
  local keep = math.max((tonumber(f[1]) or 0) - now, (tonumber(f[2]) or 0) - now)
  if keep > 0 then
    redis.call('PEXPIRE', a, keep)
  else
    redis.call('DEL', a)
  end
end
if ARGV[6] == 'get' then
  if active then
    return {l[1], l[2]}
  end
  return {}
end
if ARGV[6] == 'unlock' then
  redis.call('DEL', a)
  if active then
    return {l[1], l[2]}
  end
  return {}
end
if active then
  return {'ALREADY_BLOCKED'}
end
redis.call('HDEL', a, 'ls', 'lu')
local window, interval = tonumber(ARGV[2]), tonumber(ARGV[3])
local drain = tonumber(redis.call('HGET', a, 'f')) or 0
local verdict = 'UNDER_LIMIT'
if math.max(drain, now) - now <= window - interval then
  redis.call('HSET', a, 'f', math.max(drain, now) + interval)
else
  redis.call('HDEL', a, 'f')
  if ARGV[5] == '1' then
    redis.call('HSET', a, 'ls', now, 'lu', now + tonumber(ARGV[4]))
    verdict = 'BLOCK_STARTED'
  else
    verdict = 'LIMIT_EXCEEDED'
  end
end
keep()
return {verdict}
