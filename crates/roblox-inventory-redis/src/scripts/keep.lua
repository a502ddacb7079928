-- Renews a running job: resets its entry's idle time, so that no other worker reclaims it while this one waits
-- (a slow page, retries, a rate-limit pause) between checkpoints.
-- KEYS[1]: the jobs stream. ARGV: group, consumer, entry id.
-- Answers 1, or 0 if the entry is no longer this consumer's.
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  return 0
end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
return 1
