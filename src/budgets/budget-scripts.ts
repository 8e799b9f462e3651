/**
 * The Redis side of the budget store, as Lua run atomically by Redis (the same rules as
 * local-counts.ts and window-slots.ts, which the tests hold both to).
 *
 * Every script starts by asking whether this instance is in the set of instances Redis knows:
 * a Redis that restarted empty does not know it, and answers RESYNC instead of forgiving the
 * units this instance charged; the instance then sends them (SYNC) and asks again.
 */

/**
 * A window counter is a hash: one field per slot (the units charged in it, always > 0) and its
 * bookkeeping, so that a charge reads three fields instead of every slot: 't' the sum of the
 * slot fields, 'n' the newest slot field, 'o' a floor no slot field is below. Slots leave the
 * window one at a time, so trimming them is usually one HMGET of the slots that just left.
 */
const WINDOW_FUNCTIONS = `
local function slotFields(key)
  local h = redis.call('HGETALL', key)
  local out = {}
  for j = 1, #h, 2 do
    local s = tonumber(h[j])
    if s then out[#out + 1] = {s, tonumber(h[j + 1]), h[j]} end
  end
  return out
end
-- Computes the bookkeeping from the slot fields, dropping those below floor; answers t, n, o.
local function rebuild(key, floor)
  local t, n, o, stale = 0, -1, nil, {}
  for _, e in ipairs(slotFields(key)) do
    if e[1] < floor or e[2] <= 0 then
      stale[#stale + 1] = e[3]
    else
      t = t + e[2]
      if e[1] > n then n = e[1] end
      if not o or e[1] < o then o = e[1] end
    end
  end
  if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
  if t == 0 then
    redis.call('DEL', key)
    return 0, -1, floor
  end
  redis.call('HSET', key, 't', t, 'n', n, 'o', o)
  return t, n, o
end
-- Drops the slots below floor (those that left the window), given HMGET t n o; answers t, n, o.
local function trim(key, floor, m)
  local t, n, o = tonumber(m[1]), tonumber(m[2]), tonumber(m[3])
  if not t then
    if redis.call('EXISTS', key) == 0 then return 0, -1, floor end
    return rebuild(key, floor)
  end
  if o >= floor then return t, n, o end
  if n < floor then
    redis.call('DEL', key)
    return 0, -1, floor
  end
  if floor - o > 64 then return rebuild(key, floor) end
  local left = {}
  for s = o, floor - 1 do left[#left + 1] = string.format('%d', s) end
  local units = redis.call('HMGET', key, unpack(left))
  local gone = {}
  for i, u in ipairs(units) do
    if u then
      t = t - tonumber(u)
      gone[#gone + 1] = left[i]
    end
  end
  if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
  if t <= 0 then
    redis.call('DEL', key)
    return 0, -1, floor
  end
  redis.call('HSET', key, 't', t, 'o', floor)
  return t, n, floor
end
-- Adds units (negative: takes them back) to one slot; a slot left with none is removed.
local function addToSlot(key, slot, units)
  local m = redis.call('HMGET', key, 't', slot, 'n', 'o')
  local t = tonumber(m[1])
  if not t then
    redis.call('HINCRBY', key, slot, units)
    return rebuild(key, -math.huge)
  end
  local before = tonumber(m[2] or '0')
  local after = before + units
  local s = tonumber(slot)
  if after <= 0 then
    if before == 0 then return end
    redis.call('HDEL', key, slot)
    if t - before <= 0 then redis.call('DEL', key) return end
    redis.call('HSET', key, 't', t - before)
    if s == tonumber(m[3]) then rebuild(key, -math.huge) end
    return
  end
  redis.call('HSET', key, slot, after, 't', t + after - before, 'n', math.max(tonumber(m[3]), s), 'o', math.min(tonumber(m[4]), s))
end
`;

/**
 * CHARGE (or peek). KEYS[1]: the instances set; KEYS[2..]: one per counter.
 * ARGV[1] instance id, ARGV[2] 'charge' | 'peek', ARGV[3] a balance's time to live (ms);
 * then 5 per counter: kind ('w' | 'b'), units, limit (w) or initial ('' for none, b), slot (w), time to live (ms, w).
 * Answers {'OK', refused counter (1-based, 0: none), {missing counters, 1-based}, {value, newest, fit} per counter}.
 */
export const CHARGE_SCRIPT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return {'RESYNC'} end
${WINDOW_FUNCTIONS}
local charge = ARGV[2] == 'charge'
local balanceTtl = ARGV[3]
local refused = 0
local missing = {}
local out = {}
local earlier = {}
local windows = {}
local balances = {}
for i = 2, #KEYS do
  local key = KEYS[i]
  local a = 3 + (i - 2) * 5
  local units = tonumber(ARGV[a + 2])
  local before = earlier[key] or 0
  earlier[key] = before + units
  local value, newest, fit, absent = 0, -1, 0, false
  if ARGV[a + 1] == 'w' then
    local limit, c = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
    local w = windows[key]
    if not w then
      -- The bookkeeping and the slot charged now, in one read.
      local m = redis.call('HMGET', key, 't', 'n', 'o', ARGV[a + 4])
      local t, n, o = trim(key, c - 60, m)
      w = {t = t, n = n, o = o, slot = tonumber(m[4]) or 0, fresh = not m[4]}
      windows[key] = w
    end
    value = w.t
    if value > 0 then newest = w.n end
    local need = before + units
    if value + need > limit then
      fit = -1
      if need <= limit then
        local counted = slotFields(key)
        table.sort(counted, function(x, y) return x[1] < y[1] end)
        local left = value
        for _, e in ipairs(counted) do
          left = left - e[2]
          if left + need <= limit then fit = e[1] + 61 break end
        end
      end
    end
    value = value + before
  else
    local v = redis.call('GET', key)
    if not v and ARGV[a + 3] ~= '' then
      v = ARGV[a + 3]
      if charge then redis.call('SET', key, v, 'PX', balanceTtl) end
    end
    if not v then
      missing[#missing + 1] = i - 1
      fit, absent = -1, true
    else
      balances[key] = balances[key] or tonumber(v)
      value = tonumber(v) - before
      if value < units then fit = -1 end
    end
  end
  if fit ~= 0 and not absent and refused == 0 then refused = i - 1 end
  out[#out + 1] = value
  out[#out + 1] = newest
  out[#out + 1] = fit
end
if charge and refused == 0 and #missing == 0 then
  for i = 2, #KEYS do
    local key = KEYS[i]
    local a = 3 + (i - 2) * 5
    local units = tonumber(ARGV[a + 2])
    if ARGV[a + 1] == 'w' then
      if units > 0 then
        local w, s = windows[key], tonumber(ARGV[a + 4])
        w.t = w.t + units
        w.slot = w.slot + units
        if s > w.n then w.n = s end
        redis.call('HSET', key, ARGV[a + 4], w.slot, 't', w.t, 'n', w.n, 'o', math.min(w.o, s))
        -- Set when a slot gets its first units: the key then outlives every slot it counts.
        if w.fresh then
          redis.call('PEXPIRE', key, ARGV[a + 5])
          w.fresh = false
        end
      end
    else
      balances[key] = balances[key] - units
      if units > 0 then redis.call('SET', key, balances[key], 'PX', balanceTtl)
      else redis.call('PEXPIRE', key, balanceTtl) end
    end
  end
end
return {'OK', refused, missing, out}
`;

/**
 * REFUND. KEYS: one per entry. ARGV: 3 per entry: kind, units, slot (w).
 * A slot or balance that is gone already (expired, dropped) is left alone.
 */
export const REFUND_SCRIPT = `
${WINDOW_FUNCTIONS}
for i = 1, #KEYS do
  local key = KEYS[i]
  local a = (i - 1) * 3
  local units = tonumber(ARGV[a + 2])
  if ARGV[a + 1] == 'w' then
    if redis.call('HEXISTS', key, ARGV[a + 3]) == 1 then addToSlot(key, ARGV[a + 3], -units) end
  elseif redis.call('EXISTS', key) == 1 then
    redis.call('INCRBY', key, units)
  end
end
return 'OK'
`;

/**
 * SYNC. KEYS[1]: the instances set; KEYS[2]: this instance's last sync; then one per window
 * entry, then one per balance. ARGV[1] instance id, ARGV[2] sync id, ARGV[3] window entries;
 * 4 per window entry: slot, total, pending, time to live (ms); 2 per balance: delta, drop ('1').
 * A Redis that knows the instance takes only what it missed (pending); one that does not (it
 * restarted empty) takes everything the instance charged that still counts (total). A sync
 * whose answer was lost and that is sent again is recognised by its id and not applied twice.
 */
export const SYNC_SCRIPT = `
if redis.call('GET', KEYS[2]) == ARGV[2] then return 'SEEN' end
${WINDOW_FUNCTIONS}
local member = redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1
local windows = tonumber(ARGV[3])
for i = 1, windows do
  local key = KEYS[2 + i]
  local a = 3 + (i - 1) * 4
  local units = tonumber(ARGV[a + 2])
  if member then units = tonumber(ARGV[a + 3]) end
  if units ~= 0 then
    addToSlot(key, ARGV[a + 1], units)
    if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, ARGV[a + 4]) end
  end
end
local b = 3 + windows * 4
for i = 1, #KEYS - 2 - windows do
  local key = KEYS[2 + windows + i]
  local a = b + (i - 1) * 2
  if ARGV[a + 2] == '1' then
    redis.call('DEL', key)
  elseif member and tonumber(ARGV[a + 1]) ~= 0 and redis.call('EXISTS', key) == 1 then
    redis.call('INCRBY', key, ARGV[a + 1])
  end
end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', 86400000)
if member then return 'MERGED' end
return 'RESYNCED'
`;
