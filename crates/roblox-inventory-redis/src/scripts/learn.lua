-- Records what the server's x-ratelimit-* headers said, for every worker of a budget.
-- KEYS[1]: the server's view (hash: remaining, reset_at, limit, window).
-- ARGV[1]: requests remaining (-1: not said); ARGV[2]: ms until the reset; ARGV[3]: the server's limit per
-- window (0: not said); ARGV[4]: its window in ms (0: not said); ARGV[5]: idle expiry in ms.
-- Answers arrive out of order, from several workers: one whose window resets well before the known one is from an
-- earlier window and is ignored (its "0 remaining" must not stop the new window); within one window (resets that
-- differ by less than a second, the headers' precision) the lowest remaining count is kept.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local precision = 1000
local remaining = tonumber(ARGV[1])
if remaining >= 0 then
  local reset_at = now + math.max(tonumber(ARGV[2]), 1)
  local known_reset = tonumber(redis.call('HGET', KEYS[1], 'reset_at') or '0')
  local known = tonumber(redis.call('HGET', KEYS[1], 'remaining') or '-1')
  local stale = known_reset > now and reset_at < known_reset - precision
  if not stale then
    if known_reset > now and known >= 0 and reset_at <= known_reset + precision and known < remaining then
      remaining = known
      reset_at = math.max(reset_at, known_reset)
    end
    redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset_at', reset_at)
  end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('HSET', KEYS[1], 'limit', ARGV[3])
  if tonumber(ARGV[4]) > 0 then
    redis.call('HSET', KEYS[1], 'window', ARGV[4])
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return 0
