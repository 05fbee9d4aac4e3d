/**
 * The cooldown script: KEYS[1] the cooldown (a key that lives exactly as long as the
 * cooldown, on the server's clock), KEYS[2] the probe lease (its owner's name, with a
 * time to live). ARGV[1] is the operation.
 */
export const cooldownScript = `
local op = ARGV[1]
local function trip(durationMs)
  local left = redis.call('PTTL', KEYS[1])
  if left < durationMs then redis.call('SET', KEYS[1], '1', 'PX', durationMs) end
end
if op == 'trip' then
  trip(tonumber(ARGV[2]))
  return 1
end
if op == 'remaining' then
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then return 0 end
  return left
end
if op == 'claim' then
  local holder = redis.call('GET', KEYS[2])
  if holder == ARGV[2] then return 1 end
  if holder then return 0 end
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  return 1
end
if op == 'release' then
  if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
  redis.call('DEL', KEYS[2])
  if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) else trip(tonumber(ARGV[4])) end
  return 1
end
return redis.error_reply('unknown cooldown operation')
`;
