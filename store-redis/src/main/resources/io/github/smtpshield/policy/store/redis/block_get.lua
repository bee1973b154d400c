-- The key's block. KEYS: state, block index (one Redis only). ARGV: now, client key.
-- Returns {} or {'A' | 'E', reason, since, until, offences} ('E': it ended, and was removed now).
local now = tonumber(ARGV[1])
local b = block_of(KEYS[1], KEYS[2], ARGV[2], now)
if not b then
  return {}
end
if b[1] == 'E' then
  keep_state(KEYS[1], now)
end
return b
