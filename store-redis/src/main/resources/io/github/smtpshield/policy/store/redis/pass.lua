-- The DNSBL screening's pass cache. KEYS: pass. ARGV: 'get' | 'set', score, ttl (ms).
-- 'get' returns {} or {score}; 'set' stores the score with its ttl (the key always expires) and returns {score}.
if ARGV[1] == 'set' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return {tonumber(ARGV[2])}
end
local score = redis.call('GET', KEYS[1])
if not score then
  return {}
end
return {tonumber(score)}
