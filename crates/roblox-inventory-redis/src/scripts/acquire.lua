-- Takes one request from a budget, on the server's clock. Returns 0 when granted, else the milliseconds to wait.
-- KEYS[1]: the window counter (hash: start, used); KEYS[2]: the pause after a 429 (the instant it ends);
-- KEYS[3]: what the server's x-ratelimit-* headers said (hash: remaining, reset_at, limit, window).
-- ARGV[1]: the configured limit per window (0: none); ARGV[2]: the window in ms; ARGV[3]: idle expiry in ms.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local idle = tonumber(ARGV[3])

local pause_until = tonumber(redis.call('GET', KEYS[2]) or '0')
if pause_until > now then
  return pause_until - now
end

local remaining = redis.call('HGET', KEYS[3], 'remaining')
local reset_at = tonumber(redis.call('HGET', KEYS[3], 'reset_at') or '0')
local server_known = remaining and reset_at > now
if server_known and tonumber(remaining) <= 0 then
  return reset_at - now
end

-- A limit the server named replaces the configured one; without a window of its own it keeps the configured one.
local limit = tonumber(redis.call('HGET', KEYS[3], 'limit') or ARGV[1])
if limit > 0 then
  local window = tonumber(redis.call('HGET', KEYS[3], 'window') or ARGV[2])
  if window <= 0 then
    window = tonumber(ARGV[2])
  end
  local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '0')
  local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
  if now >= start + window then
    start = now
    used = 0
  end
  if window <= 0 then
    limit = 0
  elseif used >= limit then
    return start + window - now
  end
  if limit > 0 then
    redis.call('HSET', KEYS[1], 'start', start, 'used', used + 1)
    redis.call('PEXPIRE', KEYS[1], math.max(window, idle))
  end
end

if server_known then
  redis.call('HINCRBY', KEYS[3], 'remaining', -1)
end
return 0
