-- Redis Cluster: forgets client keys the index lists but that have no block (any more). KEYS: block index.
-- ARGV: now, then pairs of client key and the until it was listed with ('' for any): a key listed again since,
-- with another until (a new block), stays. Returns how many went.
local now = tonumber(ARGV[1])
local forgotten = 0
for i = 2, #ARGV, 2 do
  local listed = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if listed and (ARGV[i + 1] == '' or tonumber(listed) == tonumber(ARGV[i + 1])) then
    forgotten = forgotten + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
keep_index(KEYS[1], now)
return forgotten
