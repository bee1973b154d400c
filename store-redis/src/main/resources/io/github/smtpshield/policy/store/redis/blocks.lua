-- Every block in the index. KEYS: block index. ARGV: now, key prefix. Returns one array per block:
-- {'A' (active) or 'E' (ended: removed now, to report), client key, reason, since, until, offences}.
-- The state hashes it reads are not in KEYS: one Redis (standalone, Sentinel) allows it, a Redis Cluster does
-- not (the store lists a cluster's blocks with index_read.lua and block_get.lua instead).
local idx, now, prefix = KEYS[1], tonumber(ARGV[1]), ARGV[2]
local out = {}
for _, member in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
  local s = prefix .. '{' .. member .. '}:s'
  local b = block_of(s, idx, member, now)
  if not b then
    redis.call('ZREM', idx, member)
  else
    if b[1] == 'E' then
      keep_state(s, now)
    end
    table.insert(out, {b[1], member, b[2], b[3], b[4], b[5]})
  end
end
keep_index(idx, now)
return out
