-- The queue's counts at one instant. KEYS[1]: the jobs stream; KEYS[2]: the done set; KEYS[3]: the dead-letter
-- stream. ARGV[1]: the group. Answers {entries, pending, done, dead}.
local entries = redis.call('XLEN', KEYS[1])
local pending = 0
local summary = redis.pcall('XPENDING', KEYS[1], ARGV[1])
if type(summary) == 'table' and not summary.err then
  pending = tonumber(summary[1])
end
return {entries, pending, redis.call('SCARD', KEYS[2]), redis.call('XLEN', KEYS[3])}
