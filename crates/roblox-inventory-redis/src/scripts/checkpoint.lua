-- Checkpoints one page of a job: its records under its page number (a page stored again overwrites itself) and
-- the cursor after it, together; and resets the entry's idle time so that no other worker reclaims it.
-- KEYS[1]: the jobs stream; KEYS[2]: the job's hash; KEYS[3]: the job's pages.
-- ARGV: group, consumer, entry id, page number, the page's ndjson, the next cursor, complete (1 on the last page).
-- Answers 1, or 0 if the entry is no longer this consumer's (another worker reclaimed it): nothing is written.
if not owned(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  return 0
end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('HSET', KEYS[2], 'cursor', ARGV[6], 'pages', tonumber(ARGV[4]) + 1, 'complete', ARGV[7])
return 1
