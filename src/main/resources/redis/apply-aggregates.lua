-- Applies a run of aggregate updates from one partition to the read model, each exactly once, in one call: the
-- epoch and the partition's applied offset are read once and written once for the run, not once per update
-- (they were half of the commands per update, and a script call per update most of the sink's Redis time).
-- KEYS[1] offsets hash, KEYS[2] epoch, then three keys per update: the series (or part) hash, its index sorted
-- set, and a second index sorted set (the types index for a type's part; the first index again for a key's series)
-- ARGV[1] expected epoch, ARGV[2] offsets field (topic:partition), then per update, in offset order:
--   offset, window start (ms), index member, second index member ('' for none), count, n, then n field/value pairs
-- Returns {-1} if the read model is not the one the sink knows (Redis restarted empty or was flushed): the sink must
-- then rebuild it from the log. Otherwise one result per update: 1 applied, 0 not (a replay, or an update the read
-- model is already past).
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return {-1}
end
local applied = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '-1')
local advancedTo = nil
local results = {}
local a = 3
local k = 3
while a <= #ARGV do
  local offset = tonumber(ARGV[a])
  local window = tonumber(ARGV[a + 1])
  local count = tonumber(ARGV[a + 4])
  local fieldCount = tonumber(ARGV[a + 5])
  local result = 0
  if offset > applied then
    applied = offset
    advancedTo = ARGV[a]
    local current = redis.call('HMGET', KEYS[k], 'windowStart', 'count')
    local currentWindow = tonumber(current[1] or '-1')
    -- A late update to an older window must not replace the latest window. Within a window, a series' updates
    -- are prefix aggregates of one partition's events, so a smaller count is an older one: re-sent after an
    -- aborted transaction (this lane reads uncommitted output), it would only move the figure back; it is skipped.
    if not (window < currentWindow or (window == currentWindow and count < tonumber(current[2] or '0'))) then
      redis.call('HSET', KEYS[k], unpack(ARGV, a + 6, a + 5 + 2 * fieldCount))
      -- The indexes hold each member's window: nothing to write until its hash moves to another one (most updates
      -- do not; the two ZADDs were a third of the commands per update).
      if window ~= currentWindow then
        redis.call('ZADD', KEYS[k + 1], window, ARGV[a + 2])
        if ARGV[a + 3] ~= '' then
          redis.call('ZADD', KEYS[k + 2], window, ARGV[a + 3])
        end
      end
      result = 1
    end
  end
  results[#results + 1] = result
  a = a + 6 + 2 * fieldCount
  k = k + 3
end
if advancedTo then
  redis.call('HSET', KEYS[1], ARGV[2], advancedTo)
end
return results
