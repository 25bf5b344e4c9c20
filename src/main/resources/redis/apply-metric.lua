-- Applies one declared metric's window update to its read model exactly once.
-- KEYS[1] the group key's hash, KEYS[2] offsets hash, KEYS[3] index sorted set of the metric's keys, KEYS[4] epoch
-- ARGV[1] offsets field (topic:partition), ARGV[2] record offset, ARGV[3] window end (ms), ARGV[4] group key,
-- ARGV[5] expected epoch, ARGV[6] count, ARGV[7..] field/value pairs of the hash
-- Returns 1 if applied, 0 if not (a replay, or older than what is shown), -1 if the read model is not the one the
-- sink knows (see apply-aggregates.lua).
if redis.call('GET', KEYS[4]) ~= ARGV[5] then
  return -1
end
local applied = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
if tonumber(ARGV[2]) <= applied then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
-- The hash shows the key's window that ends last (hopping windows overlap; a merged session ends no earlier than
-- its parts); within one window a smaller count is an older value, re-sent after an aborted transaction.
local current = redis.call('HMGET', KEYS[1], 'windowEnd', 'count')
local windowEnd = tonumber(ARGV[3])
local currentEnd = tonumber(current[1] or '-1')
if windowEnd < currentEnd or (windowEnd == currentEnd and tonumber(ARGV[6]) < tonumber(current[2] or '0')) then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return 1
