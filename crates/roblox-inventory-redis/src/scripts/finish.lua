-- Finishes a job whose file is in place: acknowledges and deletes its entry, drops its pages, marks it done.
-- KEYS[1]: the jobs stream; KEYS[2]: the job's hash; KEYS[3]: the job's pages; KEYS[4]: the done set.
-- ARGV: group, consumer, entry id, job id. Answers 1, or 0 if the entry is no longer this consumer's.
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  return 0
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[2], 'state', 'done')
redis.call('HDEL', KEYS[2], 'error')
redis.call('SADD', KEYS[4], ARGV[4])
return 1
