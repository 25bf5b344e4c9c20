-- Adds one alert to the recent-alerts read model exactly once, keeping the newest ARGV[6].
-- KEYS[1] recent sorted set, KEYS[2] offsets hash, KEYS[3] alert data hash, KEYS[4] epoch
-- ARGV[1] offsets field (topic:partition), ARGV[2] record offset, ARGV[3] score (event time ms),
-- ARGV[4] alert id, ARGV[5] alert JSON, ARGV[6] how many to keep, ARGV[7] expected epoch
-- Returns 1 if applied, 0 for a replay, -1 if the read model was lost (see apply-aggregates.lua).
if redis.call('GET', KEYS[4]) ~= ARGV[7] then
  return -1
end
local applied = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
if tonumber(ARGV[2]) <= applied then
  return 0
end
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[6])
if excess > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  redis.call('HDEL', KEYS[3], unpack(old))
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
