-- Redis Cluster: the index, for listing blocks (the store then reads each key's block with block_get.lua).
-- KEYS: block index. ARGV: now. Returns client key, until, client key, until, ...
keep_index(KEYS[1], tonumber(ARGV[1]))
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
