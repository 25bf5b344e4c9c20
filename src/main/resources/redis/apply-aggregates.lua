-- Applies a run of aggregate updates from one partition to the read model, each exactly once, in one call: the
-- epoch and the partition's applied offset are read once and written once for the run, not once per update
-- (they were half of the commands per update, and a script call per update most of the sink's Redis time).
-- KEYS[1] offsets hash, KEYS[2] epoch, then three keys per update: the series (or part) hash, its index sorted
-- set, and a second index sorted set (the types index for a type's part; the first index again for a key's series)
-- ARGV[1] expected epoch, ARGV[2] offsets field (topic:partition), ARGV[3] the number of hash fields F, ARGV[4] the
-- position of the first field that changes within a window (count; those before it are fixed for a window), then
-- the F field names; then per update, in offset order: offset, window start (ms), index member, second index member
-- ('' for none), and the F values. The names go once per call, not once per update, and an update within the
-- window the hash already holds writes only the fields that change: every argument is a Lua string Redis builds
-- for the call, and the names and fixed fields were half of them.
-- Returns {-1} if the read model is not the one the sink knows (Redis restarted empty or was flushed): the sink must
-- then rebuild it from the log. Otherwise one result per update: 1 applied, 0 not (a replay, or an update the read
-- model is already past).
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return {-1}
end
local applied = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '-1')
local fields = tonumber(ARGV[3])
local changing = tonumber(ARGV[4])
local names = 4 -- ARGV[names + i] is the name of field i
local advancedTo = nil
local results = {}
local a = 5 + fields
local k = 3
while a <= #ARGV do
  local offset = tonumber(ARGV[a])
  local window = tonumber(ARGV[a + 1])
  local values = a + 3 -- ARGV[values + i] is the value of field i
  local count = tonumber(ARGV[values + changing])
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
      local from = 1
      if window == currentWindow then
        from = changing
      end
      local written = {}
      for i = from, fields do
        written[#written + 1] = ARGV[names + i]
        written[#written + 1] = ARGV[values + i]
      end
      redis.call('HSET', KEYS[k], unpack(written))
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
  a = a + 4 + fields
  k = k + 3
end
if advancedTo then
  redis.call('HSET', KEYS[1], ARGV[2], advancedTo)
end
return results
