-- Applies one aggregate update to the read model exactly once.
-- KEYS[1] series hash, KEYS[2] offsets hash, KEYS[3] index sorted set, KEYS[4] epoch
-- ARGV[1] offsets field (topic:partition), ARGV[2] record offset, ARGV[3] window start (ms),
-- ARGV[4] index member, ARGV[5] expected epoch, ARGV[6..] field/value pairs of the series hash
-- Returns 1 if applied, 0 if the offset was applied before (a replay), -1 if the read model is not the one the
-- sink knows (Redis restarted empty or was flushed): the sink must then rebuild it from the log.
if redis.call('GET', KEYS[4]) ~= ARGV[5] then
  return -1
end
local applied = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
if tonumber(ARGV[2]) <= applied then
  return 0
end
local current = tonumber(redis.call('HGET', KEYS[1], 'windowStart') or '-1')
-- A late update to an older window must not replace the latest window.
if tonumber(ARGV[3]) >= current then
  redis.call('HSET', KEYS[1], unpack(ARGV, 6))
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
