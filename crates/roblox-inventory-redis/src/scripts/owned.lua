-- Prepended to every script that changes a job its worker holds (see `held` in queue.rs): whether stream entry
-- `entry` is pending in `group` with `consumer`, that is, still this worker's and not taken over by another.
local function owned(stream, group, consumer, entry)
  local pending = redis.pcall('XPENDING', stream, group, entry, entry, 1)
  return type(pending) == 'table' and not pending.err and #pending == 1 and pending[1][2] == consumer
end
