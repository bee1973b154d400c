-- A snapshot for an operator. KEYS: state, connections. ARGV: now.
-- Returns m, u, open connections, block reason, since, until ('' when absent).
local f = redis.call('HMGET', KEYS[1], 'm', 'u', 'br', 'bs', 'bu')
local open = redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[1], '+inf')
return {f[1] or '', f[2] or '', open, f[3] or '', f[4] or '', f[5] or ''}
