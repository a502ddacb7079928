-- Starts one attempt of a job this consumer has claimed: counts it and answers the job and its checkpoint.
-- KEYS[1]: the jobs stream; KEYS[2]: the job's hash. ARGV: group, consumer, stream entry id.
-- Answers {'lost'} (the entry is not this consumer's), {'stale'} (an entry of no current job: acknowledged and
-- deleted), or {'run', attempts, operation, subject, filter, cursor, pages, complete}.
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  return {'lost'}
end
if redis.call('HGET', KEYS[2], 'entry') ~= ARGV[3] or redis.call('HGET', KEYS[2], 'state') == 'done' then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
  redis.call('XDEL', KEYS[1], ARGV[3])
  return {'stale'}
end
local attempts = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('HSET', KEYS[2], 'state', 'running')
local job = redis.call('HMGET', KEYS[2], 'operation', 'subject', 'filter', 'cursor', 'pages', 'complete')
return {'run', tostring(attempts), job[1] or '', job[2] or '', job[3] or '', job[4] or '', job[5] or '0',
  job[6] or '0'}
