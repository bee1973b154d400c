-- SMTP Shield, per-IP store in Redis: what every script shares (RedisClientStore prepends it to each).
-- Times are milliseconds on the deciding node's clock, passed as ARGV[1] (now). Per client key, all in one
-- hash slot ({key} hash tag):
--   <prefix>{<key>}:s  hash  m = the hourly message bucket drains at, u = the unknown-recipient bucket drains at,
--                            a / r = the failed-AUTH and refusal buckets (the bans) drain at (GCRA: one timestamp
--                            per rate), br / bs / bu / bo = block reason, since, until, offence count;
--                            ol / on / of = the last ban's length, offence count, and until when it is remembered
--                            for escalation
--   <prefix>{<net>}:n  zset  client key -> block until: the blocked keys of a network (<bans><networks>)
--   <prefix>{<key>}:c  zset  connection id (node:sequence) -> end of its lease, renewed by the node holding it
-- and <prefix>blocks   zset  client key -> block until: the index that lists blocks.
-- Every key gets its TTL in the script that writes it: nothing outlives what it counts.
-- On one Redis, a script that changes a block passes the index too and keeps it in the same step. On a Redis
-- Cluster the index is in another hash slot than the client's keys, so no script may touch both: the decision
-- scripts get the client's keys only (the index key is absent, nil below), and the store keeps the index by
-- calls of their own (index_*.lua). The block itself is in the client's hash, which every decision reads.

-- An ended block stays readable this long, so that the node next seeing the key reports its end, once.
local GRACE = 86400000

-- The state hash lives as long as its last bucket drains or its block (plus GRACE) ends; else it goes now.
local function keep_state(s, now)
  local f = redis.call('HMGET', s, 'm', 'u', 'bu', 'a', 'r', 'of')
  local keep = 0
  local m, u, bu = tonumber(f[1]), tonumber(f[2]), tonumber(f[3])
  if m and m - now > keep then keep = m - now end
  if u and u - now > keep then keep = u - now end
  if bu and bu + GRACE - now > keep then keep = bu + GRACE - now end
  for i = 4, 6 do
    local t = tonumber(f[i])
    if t and t - now > keep then keep = t - now end
  end
  if keep > 0 then
    redis.call('PEXPIRE', s, keep)
  else
    redis.call('DEL', s)
  end
end

-- Lapsed leases go; the set lives as long as its longest lease (an empty set is gone already).
local function keep_leases(c, now)
  redis.call('ZREMRANGEBYSCORE', c, '-inf', now)
  local top = redis.call('ZRANGE', c, -1, -1, 'WITHSCORES')
  if top[2] then
    redis.call('PEXPIRE', c, math.max(1, tonumber(top[2]) - now))
  end
end

-- The index forgets blocks ended more than GRACE ago and lives as long as its last block plus GRACE.
local function keep_index(idx, now)
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', now - GRACE)
  local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
  if top[2] then
    redis.call('PEXPIRE', idx, math.max(1, tonumber(top[2]) + GRACE - now))
  end
end

-- The key's block: {'A', reason, since, until} while active; {'E', reason, since, until} for the one caller
-- that finds it ended (it is removed on the way, so its end is reported once); nil when there is none.
-- idx is nil on a Redis Cluster: the index then forgets the block when the store lists blocks.
-- A fifth element is the block's offence count.
local function block_of(s, idx, member, now)
  local b = redis.call('HMGET', s, 'br', 'bs', 'bu', 'bo')
  local bu = tonumber(b[3])
  if not bu then
    return nil
  end
  local offences = b[4] or '1'
  if bu > now then
    return {'A', b[1], b[2], b[3], offences}
  end
  redis.call('HDEL', s, 'br', 'bs', 'bu', 'bo')
  if idx then
    redis.call('ZREM', idx, member)
  end
  return {'E', b[1], b[2], b[3], offences}
end

-- Starts a ban of the key (<bans>): blockFor the first time; within the memory of the last ban's start, factor times
-- its length, at most max (never below blockFor). memory 0: nothing is remembered. Returns until, offences.
local function start_ban(s, idx, member, now, reason, block_for, factor, max, memory)
  local h = redis.call('HMGET', s, 'ol', 'on', 'of')
  local ol, on, of = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
  local length, offences = block_for, 1
  if ol and of and of > now then
    length = math.max(block_for, math.min(max, math.floor(ol * factor)))
    offences = on + 1
  end
  local ends = now + length
  redis.call('HSET', s, 'br', reason, 'bs', now, 'bu', ends, 'bo', offences)
  if memory > 0 then
    redis.call('HSET', s, 'ol', length, 'on', offences, 'of', now + memory)
  end
  if idx then
    redis.call('ZADD', idx, ends, member)
    keep_index(idx, now)
  end
  return ends, offences
end

-- The bans' decisions (offence.lua, network.lua) share ARGV[5..11]: startBlock (1 or 0), the blocked key, reason,
-- blockFor, factor, max, memory (ms). The key's block before counting: nil when it is active (nothing is counted),
-- else the reason, since, until of one found ended on the way, or three ''.
local function ban_ended(s, idx, now)
  local b = block_of(s, idx, ARGV[6], now)
  if b and b[1] == 'A' then
    return nil
  end
  if b then
    return {b[2], b[3], b[4]}
  end
  return {'', '', ''}
end

-- Over the limit: the ban starts (or, with startBlock 0, only its verdict). Returns verdict, until, offences.
local function over_limit(s, idx, now)
  if ARGV[5] ~= '1' then
    return 'LIMIT_EXCEEDED', '', ''
  end
  local ends, offences = start_ban(s, idx, ARGV[6], now, ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]),
    tonumber(ARGV[10]), tonumber(ARGV[11]))
  return 'BLOCK_STARTED', ends, offences
end
