-- Enqueues a scan job unless it is already queued, running or done (then it answers that state).
-- KEYS[1]: the jobs stream; KEYS[2]: the job's hash; KEYS[3]: the job's pages.
-- ARGV: job id, operation, subject, filter ('' for none), group.
-- The group is made here rather than by a command of its own: no extra round trip per job, and a stream deleted
-- since gets its group back.
local group = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[5], '0', 'MKSTREAM')
if type(group) == 'table' and group.err and not string.find(group.err, 'BUSYGROUP', 1, true) then
  return group
end
local state = redis.call('HGET', KEYS[2], 'state')
if state == 'queued' or state == 'running' or state == 'done' then
  return state
end
-- New, or dead before: start over.
redis.call('DEL', KEYS[2], KEYS[3])
local entry = redis.call('XADD', KEYS[1], '*', 'job', ARGV[1])
redis.call('HSET', KEYS[2], 'operation', ARGV[2], 'subject', ARGV[3], 'filter', ARGV[4], 'state', 'queued',
  'entry', entry, 'attempts', 0, 'pages', 0, 'cursor', '', 'complete', 0)
return 'new'
