-- Applies one aggregate update to the read model exactly once.
-- KEYS[1] series (or part) hash, KEYS[2] offsets hash, KEYS[3] index sorted set, KEYS[4] epoch,
-- KEYS[5] optional second index sorted set
-- ARGV[1] offsets field (topic:partition), ARGV[2] record offset, ARGV[3] window start (ms),
-- ARGV[4] index member, ARGV[5] expected epoch, ARGV[6] second index member, ARGV[7] count,
-- ARGV[8..] field/value pairs of the series hash
-- Returns 1 if applied, 0 if not (a replay, or an update the read model is already past), -1 if the read model is
-- not the one the sink knows (Redis restarted empty or was flushed): the sink must then rebuild it from the log.
if redis.call('GET', KEYS[4]) ~= ARGV[5] then
  return -1
end
local applied = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
if tonumber(ARGV[2]) <= applied then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local current = redis.call('HMGET', KEYS[1], 'windowStart', 'count')
local window = tonumber(ARGV[3])
local currentWindow = tonumber(current[1] or '-1')
-- A late update to an older window must not replace the latest window. Within a window, a series' updates are
-- prefix aggregates of one partition's events, so a smaller count is an older one: re-sent after an aborted
-- transaction (this lane reads uncommitted output), it would only move the figure back; it is skipped.
if window < currentWindow or (window == currentWindow and tonumber(ARGV[7]) < tonumber(current[2] or '0')) then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
if KEYS[5] then
  redis.call('ZADD', KEYS[5], ARGV[3], ARGV[6])
end
return 1
