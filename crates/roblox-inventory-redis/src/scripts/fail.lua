-- Records a failed attempt of a job; once it has had ARGV[4] attempts, moves it to the dead-letter stream.
-- KEYS[1]: the jobs stream; KEYS[2]: the job's hash; KEYS[3]: the job's pages; KEYS[4]: the dead-letter stream.
-- ARGV: group, consumer, entry id, max attempts, error text ('' keeps the last one recorded), job id.
-- Answers -1 (the entry is not this consumer's), 0 (left pending, to be reclaimed and tried again) or 1 (dead).
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  return -1
end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[2], 'error', ARGV[5])
end
local attempts = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
if attempts < tonumber(ARGV[4]) then
  return 0
end
local job = redis.call('HMGET', KEYS[2], 'operation', 'subject', 'filter', 'error')
local error = job[4] or 'its worker stopped before finishing it, on every attempt'
redis.call('XADD', KEYS[4], '*', 'job', ARGV[6], 'operation', job[1] or '', 'subject', job[2] or '',
  'filter', job[3] or '', 'attempts', attempts, 'error', error)
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[2], 'state', 'dead', 'error', error)
return 1
