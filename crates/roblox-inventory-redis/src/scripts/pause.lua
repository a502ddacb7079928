-- Pauses every worker of a budget for ARGV[1] ms from now (a 429's Retry-After), unless a longer pause runs.
-- KEYS[1]: the pause (the instant it ends).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local pause = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + pause > current then
  redis.call('SET', KEYS[1], now + pause, 'PX', math.max(pause, 1))
end
return 0
