-- Redis Cluster: lists a block in the index, by a call of its own after the script that made the block (the index
-- is in another hash slot). KEYS: block index. ARGV: now, client key, until.
local now = tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
keep_index(KEYS[1], now)
return 1
