/**
 * The budget script: every change to a key's buckets is one run of it, so that
 * reserving, settling, correcting and pausing are atomic across processes. Time is
 * the server's (`TIME`), never a caller's. One script with an operation argument,
 * so that one `SCRIPT LOAD` serves every operation.
 *
 * The hash holds, per bucket (`r` requests, `t` tokens): `l` limit, `w` window (ms),
 * `v` level at `a` (absent: unknown), `x` reset time of a bucket of unknown size,
 * `o` granted and not settled, `n` everything ever granted; and for the key: `pu`
 * paused until, `ob` when the last figures were observed, `pp` when the last pause
 * began, with per bucket `b` (granted before the queue at that pause), `f` (what the
 * bucket held for the queue when it ended) and `m` (granted before the pause).
 *
 * Arguments: KEYS[1] the hash; ARGV[1] the operation, ARGV[2..4] the configured
 * request limit, token limit and window ('' when none), ARGV[5] the default window,
 * then the operation's own. Numbers go back as strings (Lua numbers returned to
 * Redis lose their fraction).
 */
export const budgetScript = `
local key = KEYS[1]
local op = ARGV[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local shortest = 1000
local longest = 86400000

local function num(value)
  if value == nil or value == '' then return nil end
  return tonumber(value)
end

local raw = redis.call('HGETALL', key)
local s = {}
for i = 1, #raw, 2 do s[raw[i]] = tonumber(raw[i + 1]) end
local fresh = #raw == 0
local defaultWindow = num(ARGV[5]) or 60000

local function positive(value)
  if value ~= nil and value > 0 and value < math.huge then return value end
  return nil
end

local function bucket(p, configured)
  if fresh then
    local limit = positive(configured)
    return { p = p, limit = limit, window = positive(num(ARGV[4])) or defaultWindow, level = limit, at = now,
      resetAt = nil, out = 0, taken = 0 }
  end
  return { p = p, limit = s[p .. 'l'], window = s[p .. 'w'] or defaultWindow, level = s[p .. 'v'],
    at = s[p .. 'a'] or now, resetAt = s[p .. 'x'], out = s[p .. 'o'] or 0, taken = s[p .. 'n'] or 0 }
end

local r = bucket('r', num(ARGV[2]))
local t = bucket('t', num(ARGV[3]))
local pausedUntil = s['pu'] or 0
local observedAt = s['ob'] or 0

local function refill(b)
  if b.level == nil then return end
  if b.limit == nil then
    if b.resetAt ~= nil and b.resetAt <= now then
      b.level = nil
      b.resetAt = nil
    end
    return
  end
  if now <= b.at then return end
  if b.level < b.limit then
    b.level = math.min(b.limit, b.level + (now - b.at) * b.limit / b.window)
  end
  b.at = now
end

local function readyAt(b, amount)
  if b.level == nil or (b.level >= amount and b.at <= now) then return now end
  if b.limit == nil then return b.resetAt or now end
  return math.max(now, b.at) + math.max(0, amount - b.level) * b.window / b.limit
end

local function levelAt(b, when)
  if b.level == nil or b.limit == nil then return nil end
  if when <= b.at then return b.level end
  return math.min(b.limit, b.level + (when - b.at) * b.limit / b.window)
end

local function giveBack(b, amount)
  if b.level == nil then return end
  b.level = b.level + amount
  if b.limit ~= nil and b.level > b.limit then b.level = b.limit end
end

-- Granted and still waiting for the refill: what the bucket lent below zero.
local function queued(b)
  if b.level == nil or b.level >= 0 then return 0 end
  return -b.level
end

local function inFlight(b)
  local flying = math.max(0, b.out - queued(b))
  if b.limit ~= nil then flying = math.min(flying, b.limit) end
  return flying
end

-- The server's figures correct the bucket: the true level lies between
-- remaining - since - inFlight and remaining - queued (see the in-memory store).
local function correct(b, limitArg, remainingArg, resetMsArg, since)
  refill(b)
  local limit = positive(num(limitArg))
  local remaining = num(remainingArg)
  local resetMs = num(resetMsArg)
  if limit ~= nil and limit ~= b.limit then
    if b.level ~= nil and b.limit ~= nil then b.level = math.min(limit, b.level + limit - b.limit) end
    b.limit = limit
    b.resetAt = nil
  end
  if b.limit ~= nil and remaining ~= nil and resetMs ~= nil and resetMs > 0 then
    local missing = b.limit - remaining - 1
    if missing >= 1 and missing >= b.limit / 20 then
      b.window = math.min(longest, math.max(shortest, resetMs * b.limit / missing))
    end
  end
  local q = queued(b)
  local flying = inFlight(b)
  if remaining ~= nil then
    local highest = remaining - q
    local lowest = nil
    if since ~= nil then lowest = remaining - math.max(since, q) - flying end
    local level
    if b.level == nil then
      level = lowest or (highest - flying)
    elseif lowest == nil then
      level = math.min(highest, b.level)
    else
      level = math.min(highest, math.max(lowest, b.level))
    end
    if b.limit ~= nil then level = math.min(b.limit, level) end
    b.level = level
    b.at = math.max(b.at, now)
    if b.limit == nil then
      if resetMs ~= nil then b.resetAt = now + resetMs else b.resetAt = nil end
    end
  elseif b.limit ~= nil and b.level == nil then
    b.level = b.limit - q - flying
    b.at = math.max(b.at, now)
  end
end

-- ARGV from 'first': age, then per bucket limit, remaining, resetMs. The age places the
-- snapshot on the server's clock; an older one than the last is ignored.
local function observe(first, carrierR, carrierT)
  if ARGV[first] == nil or ARGV[first] == '' then return end
  local at = now - math.max(0, num(ARGV[first]) or 0)
  if at < observedAt then return end
  observedAt = at
  local sinceR = nil
  local sinceT = nil
  if carrierR ~= nil then
    sinceR = math.max(0, r.taken - carrierR)
    sinceT = math.max(0, t.taken - carrierT)
  end
  correct(r, ARGV[first + 1], ARGV[first + 2], ARGV[first + 3], sinceR)
  correct(t, ARGV[first + 4], ARGV[first + 5], ARGV[first + 6], sinceT)
end

local function str(value)
  if value == nil then return '' end
  return string.format('%.17g', value)
end

local function save()
  local fields = { 'pu', str(pausedUntil), 'ob', str(observedAt) }
  local cleared = {}
  for _, b in ipairs({ r, t }) do
    local values = { l = b.limit, w = b.window, v = b.level, a = b.at, x = b.resetAt, o = b.out, n = b.taken }
    for _, suffix in ipairs({ 'l', 'w', 'v', 'a', 'x', 'o', 'n' }) do
      local value = values[suffix]
      if value == nil then
        table.insert(cleared, b.p .. suffix)
      else
        table.insert(fields, b.p .. suffix)
        table.insert(fields, str(value))
      end
    end
  end
  redis.call('HSET', key, unpack(fields))
  if #cleared > 0 then redis.call('HDEL', key, unpack(cleared)) end
  -- Kept while it holds anything worth keeping, then one window more: bounded state.
  local keep = math.max(r.window, t.window)
  for _, b in ipairs({ r, t }) do
    if b.level ~= nil and b.limit ~= nil and b.level < b.limit then
      keep = math.max(keep, math.max(b.at, now) - now + (b.limit - b.level) * b.window / b.limit + b.window)
    elseif b.resetAt ~= nil then
      keep = math.max(keep, b.resetAt - now + b.window)
    end
  end
  keep = math.max(keep, pausedUntil - now + math.max(r.window, t.window))
  redis.call('PEXPIRE', key, math.ceil(math.min(keep, 2 * longest)))
end

local function figures()
  return { str(r.limit), str(t.limit), str(now), str(pausedUntil) }
end

local function reply(head, tail)
  for _, value in ipairs(tail) do table.insert(head, value) end
  return head
end

-- What a call must leave in a bucket of known size before it goes: a share of the limit
-- kept unspent, so that calls of several processes that reach the server a little out of
-- their order (one process slower than another) find the server's bucket not yet empty.
local function need(b, amount, headroom)
  if b.limit == nil then return amount end
  return math.min(b.limit, amount + b.limit * headroom)
end

-- Reserve: requests, tokens, maxWait, slice fraction (0: none), headroom. Returns granted with
-- waitMs, reason, sendAt, takenBefore, slice; or refused; or too-large.
local function reserve(base)
  local dR = num(ARGV[base]) or 0
  local dT = num(ARGV[base + 1]) or 0
  local maxWait = num(ARGV[base + 2]) or 0
  local fraction = num(ARGV[base + 3]) or 0
  local headroom = num(ARGV[base + 4]) or 0
  refill(r)
  refill(t)
  if t.limit ~= nil and dT > t.limit then return reply({ 'too-large', 'tokens', str(t.limit) }, figures()) end
  if r.limit ~= nil and dR > r.limit then return reply({ 'too-large', 'requests', str(r.limit) }, figures()) end
  local sendAt = now
  local reason = ''
  if pausedUntil > sendAt then
    sendAt = pausedUntil
    reason = 'paused'
  end
  local at = readyAt(r, need(r, dR, headroom))
  if at > sendAt then
    sendAt = at
    reason = 'requests'
  end
  at = readyAt(t, need(t, dT, headroom))
  if at > sendAt then
    sendAt = at
    reason = 'tokens'
  end
  local waitMs = sendAt - now
  if reason ~= '' and waitMs > maxWait then
    save()
    return reply({ 'refused', str(waitMs), reason }, figures())
  end
  local beforeR = r.taken
  local beforeT = t.taken
  for _, pair in ipairs({ { r, dR }, { t, dT } }) do
    local b = pair[1]
    if b.level ~= nil then b.level = b.level - pair[2] end
    b.taken = b.taken + pair[2]
    b.out = b.out + pair[2]
  end
  -- A slice to spend locally, only far from the limit: each bucket keeps at least
  -- another slice after it. A bucket that never holds a call back lends without bound.
  local sliceR = '0'
  local sliceT = '0'
  if fraction > 0 and waitMs <= 0 and reason == '' then
    local slices = {}
    local possible = true
    for _, b in ipairs({ r, t }) do
      if b.level == nil then
        table.insert(slices, 'unlimited')
      elseif b.limit ~= nil then
        local size = math.floor(b.limit * fraction)
        if size >= 1 and b.level >= 2 * size then table.insert(slices, size) else possible = false end
      else
        possible = false
      end
    end
    if possible then
      for index, b in ipairs({ r, t }) do
        local size = slices[index]
        if size ~= 'unlimited' then
          b.level = b.level - size
          b.taken = b.taken + size
          b.out = b.out + size
        end
      end
      sliceR = tostring(slices[1])
      sliceT = tostring(slices[2])
    end
  end
  save()
  return reply({ 'granted', str(waitMs), reason, str(sendAt), str(beforeR), str(beforeT), sliceR, sliceT }, figures())
end

-- Ends a slice: requests and tokens given back (tokens may be negative: spent beyond
-- it), and what it counted as granted.
local function giveSliceBack(base)
  local backR = num(ARGV[base]) or 0
  local backT = num(ARGV[base + 1]) or 0
  refill(r)
  refill(t)
  giveBack(r, backR)
  giveBack(t, backT)
  r.out = math.max(0, r.out - (num(ARGV[base + 2]) or 0))
  t.out = math.max(0, t.out - (num(ARGV[base + 3]) or 0))
end

if op == 'reserve' then
  return reserve(6)
end

if op == 'borrow' then
  -- A slice's return, a snapshot seen while spending it, then a reservation.
  giveSliceBack(6)
  observe(10, nil, nil)
  return reserve(17)
end

if op == 'settle' then
  -- requests, tokens, takenBefore requests and tokens, charged (1/0), used tokens, snapshot.
  local dR = num(ARGV[6]) or 0
  local dT = num(ARGV[7]) or 0
  if fresh then return { 'gone' } end
  refill(r)
  refill(t)
  r.out = math.max(0, r.out - dR)
  t.out = math.max(0, t.out - dT)
  local used = num(ARGV[11])
  if ARGV[10] ~= '1' then
    giveBack(r, dR)
    giveBack(t, dT)
  elseif used ~= nil and used >= 0 then
    giveBack(t, dT - used)
  end
  observe(12, (num(ARGV[8]) or 0) + dR, (num(ARGV[9]) or 0) + dT)
  save()
  return { 'settled' }
end

if op == 'observe' then
  refill(r)
  refill(t)
  observe(6, nil, nil)
  save()
  return { 'observed' }
end

if op == 'return' then
  if fresh then return { 'gone' } end
  giveSliceBack(6)
  observe(10, nil, nil)
  save()
  return { 'returned' }
end

if op == 'pause' then
  -- pauseMs, promised requests and tokens.
  local untilAt = now + (num(ARGV[6]) or 0)
  if untilAt <= pausedUntil then return { 'paused', str(pausedUntil) } end
  refill(r)
  refill(t)
  pausedUntil = untilAt
  s['pp'] = now
  for _, pair in ipairs({ { r, num(ARGV[7]) or 1 }, { t, num(ARGV[8]) or 0 } }) do
    local b = pair[1]
    local atEnd = levelAt(b, untilAt)
    if atEnd ~= nil then
      local q = queued(b)
      local free = math.min(atEnd + q, math.max(0, pair[2]))
      b.level = free - q
      b.at = untilAt
      s[b.p .. 'b'] = b.taken - q
      s[b.p .. 'f'] = free
      s[b.p .. 'm'] = b.taken
    else
      s[b.p .. 'b'] = nil
    end
  end
  save()
  local plan = { 'pp', str(s['pp']) }
  local gone = {}
  for _, p in ipairs({ 'r', 't' }) do
    for _, suffix in ipairs({ 'b', 'f', 'm' }) do
      if s[p .. 'b'] == nil then
        table.insert(gone, p .. suffix)
      else
        table.insert(plan, p .. suffix)
        table.insert(plan, str(s[p .. suffix]))
      end
    end
  end
  redis.call('HSET', key, unpack(plan))
  if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
  return { 'paused', str(pausedUntil) }
end

if op == 'delay' then
  -- sendAt, then the ticket's end in each stream (takenBefore + its share).
  local sendAt = num(ARGV[6]) or now
  local ends = { r = num(ARGV[7]) or 0, t = num(ARGV[8]) or 0 }
  local planned = sendAt
  if not fresh and pausedUntil > 0 then
    for _, b in ipairs({ r, t }) do
      local base = s[b.p .. 'b']
      local last = s[b.p .. 'm']
      local stop = ends[b.p]
      if base ~= nil and last ~= nil and b.limit ~= nil and stop > base and stop <= last then
        local free = s[b.p .. 'f'] or 0
        planned = math.max(planned, pausedUntil + math.max(0, stop - base - free) * b.window / b.limit)
      end
    end
  end
  return { str(math.max(0, planned - now)) }
end

if op == 'inspect' then
  if fresh then return { 'none', str(now) } end
  refill(r)
  refill(t)
  return { 'record', str(now), str(r.limit), str(r.level), str(r.resetAt), str(r.window), str(t.limit), str(t.level),
    str(t.resetAt), str(t.window), str(pausedUntil), str(observedAt), str(queued(r)), str(inFlight(r)) }
end

return redis.error_reply('unknown budget operation')
`;
