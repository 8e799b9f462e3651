/**
 * The Redis side of the budget store, as Lua run atomically by Redis (the same rules as
 * local-counts.ts and window-slots.ts, which the tests hold both to).
 *
 * Every script starts by asking whether this instance is in the set of instances Redis knows:
 * a Redis that restarted empty does not know it, and answers RESYNC instead of forgiving the
 * units this instance charged; the instance then sends them (SYNC) and asks again.
 *
 * Layout (redis-places.ts): the counters of one payer (its windows and its credits) are fields
 * of one hash, so that a request reads each payer with one HMGET and writes it with one HSET,
 * whatever the number of its limits: the calls a script makes are most of its cost. Each entry
 * is one argument, `|`-separated, so that a request sends and Redis parses few of them.
 */

/**
 * A window is a set of fields sharing a prefix (its base, '' when the window has a hash of its
 * own): one per slot (the units charged in it, always > 0) and its bookkeeping, so that a charge
 * reads four fields instead of every slot: base..'t' the sum of the slot fields (absent: the
 * window is empty), base..'n' the newest slot, base..'o' a floor no slot is below. Slots leave
 * the window one at a time, so trimming them is usually one HMGET of the slots that just left.
 */
const WINDOW_FUNCTIONS = `
local function int(x) return string.format('%d', x) end
local function slotFields(key, base)
  local h = redis.call('HGETALL', key)
  local out = {}
  local len = #base
  for j = 1, #h, 2 do
    local f = h[j]
    if string.sub(f, 1, len) == base then
      local rest = string.sub(f, len + 1)
      if string.find(rest, '^%d+$') then out[#out + 1] = {tonumber(rest), tonumber(h[j + 1]), f} end
    end
  end
  return out
end
-- The slots from..to of a window (ascending), read with one HMGET of at most 65 fields rather
-- than the whole hash, which holds the payer's other windows and credits too.
local function slotsBetween(key, base, from, to)
  if to - from > 64 then
    local all = slotFields(key, base)
    table.sort(all, function(x, y) return x[1] < y[1] end)
    return all
  end
  local names = {}
  for s = from, to do names[#names + 1] = base .. int(s) end
  if #names == 0 then return {} end
  local units = redis.call('HMGET', key, unpack(names))
  local out = {}
  for i, u in ipairs(units) do
    if u then out[#out + 1] = {from + i - 1, tonumber(u), names[i]} end
  end
  return out
end
local function clear(key, base)
  redis.call('HDEL', key, base .. 't', base .. 'n', base .. 'o')
end
-- Computes the bookkeeping from the slot fields, dropping those below floor; answers t, n, o.
local function rebuild(key, base, floor)
  local t, n, o, stale = 0, -1, nil, {}
  for _, e in ipairs(slotFields(key, base)) do
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
    clear(key, base)
    return 0, -1, floor
  end
  redis.call('HSET', key, base .. 't', int(t), base .. 'n', int(n), base .. 'o', int(o))
  return t, n, o
end
-- Drops the slots below floor (those that left the window), given t n o as read; answers t, n, o.
local function trim(key, base, floor, t, n, o)
  t, n, o = tonumber(t), tonumber(n), tonumber(o)
  if not t then return 0, -1, floor end
  if o >= floor then return t, n, o end
  if n < floor then
    local left = slotsBetween(key, base, o, n)
    local gone = {base .. 't', base .. 'n', base .. 'o'}
    for _, e in ipairs(left) do gone[#gone + 1] = e[3] end
    redis.call('HDEL', key, unpack(gone))
    return 0, -1, floor
  end
  if floor - o > 64 then return rebuild(key, base, floor) end
  local left = {}
  for s = o, floor - 1 do left[#left + 1] = base .. int(s) end
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
    clear(key, base)
    return 0, -1, floor
  end
  redis.call('HSET', key, base .. 't', int(t), base .. 'o', int(floor))
  return t, n, floor
end
-- Adds units (negative: takes them back) to one slot; a slot left with none is removed.
local function addToSlot(key, base, slot, units)
  local field = base .. slot
  local m = redis.call('HMGET', key, base .. 't', field, base .. 'n', base .. 'o')
  local t = tonumber(m[1])
  if not t then
    if units <= 0 then return end
    redis.call('HSET', key, field, int(units))
    return rebuild(key, base, -math.huge)
  end
  local before = tonumber(m[2] or '0')
  local after = before + units
  local s = tonumber(slot)
  if after <= 0 then
    if before == 0 then return end
    redis.call('HDEL', key, field)
    if t - before <= 0 then clear(key, base) return end
    redis.call('HSET', key, base .. 't', int(t - before))
    if s == tonumber(m[3]) then rebuild(key, base, -math.huge) end
    return
  end
  -- t - before first: t + after could pass 2^53, where a sum stops being exact.
  redis.call('HSET', key, field, int(after), base .. 't', int(t - before + after), base .. 'n', int(math.max(tonumber(m[3]), s)), base .. 'o', int(math.min(tonumber(m[4]), s)))
end
-- Sets a key's time to live to at least ttl (ms): its fields may count for longer than this call's.
local function extend(key, ttl)
  local left = redis.call('PTTL', key)
  if left ~= -2 and left < ttl then redis.call('PEXPIRE', key, ttl) end
end
local function split(arg)
  local out = {}
  for part in string.gmatch(arg .. '|', '([^|]*)|') do out[#out + 1] = part end
  return out
end
`;

/**
 * CHARGE: the charges (or peeks) of every request this instance started in one turn of its event
 * loop, one after the other, each all or nothing, as if each were its own script; they share the
 * reads and writes of the hashes they pay into, so a busy instance reads each payer once per batch.
 *
 * KEYS[1]: the instances set; KEYS[1 + h]: hash h.
 * ARGV[1] instance id, ARGV[2] a balance's time to live (ms), ARGV[3] the number of hashes; then
 * per hash its number of fields to read, and those fields (a window: its t, n, o and the slot
 * charged now, the same for the whole batch; a balance: its field); then the number of counters,
 * and 5 per counter: hash, position of its first field among its hash's, limit (window) or initial
 * ('' for none, balance), slot ('' for a balance), time to live (ms, window); then the number of
 * request shapes, and per shape: 'c' (charge) or 'p' (peek), its number of counters, and 2 per
 * counter: which, and its units; then per run of consecutive requests of one shape, in order: the
 * shape and the number of requests (a busy key's requests come in long runs).
 * The arguments are laid out so that the script makes no strings: HMGET takes its fields from
 * ARGV as they are, and HSET writes back to the same ones (what a script computes is most of its cost).
 * Answers 'RESYNC', or per run: 0 when every request of the run fits, then per counter its value and,
 * for a window, its newest slot, before the run's first request (the caller works out the others'); or
 * 1, then per request of the run: 0 (every counter fits) or 1, then per counter its value and, for a
 * window, its newest slot, then (only after a 1) per counter its fit (-2: a balance with no value).
 * A run is decided as one only when all of it fits (k requests in turn fit exactly when k times the
 * units do): the script's work is then per run, not per request.
 */
export const CHARGE_SCRIPT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 'RESYNC' end
${WINDOW_FUNCTIONS}
local tonumber = tonumber
local balanceTtl = tonumber(ARGV[2])
local first, got, ttl = {}, {}, {}
local a = 4
for h = 1, tonumber(ARGV[3]) do
  local f = tonumber(ARGV[a])
  first[h] = a
  got[h] = redis.call('HMGET', KEYS[h + 1], unpack(ARGV, a + 1, a + f))
  ttl[h] = 0
  a = a + f + 1
end
local counters = {}
for d = 1, tonumber(ARGV[a]) do
  local h, p, x, c = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), ARGV[a + 3], ARGV[a + 4]
  counters[d] = {h = h, p = p, fi = first[h] + p, x = x, limit = tonumber(x), window = c ~= '', c = tonumber(c), ttl = tonumber(ARGV[a + 5])}
  a = a + 5
end
a = a + 1
local shapes = {}
local shapeCount = tonumber(ARGV[a])
a = a + 1
for j = 1, shapeCount do
  local n = tonumber(ARGV[a + 1])
  local ds, us, seen, repeats = {}, {}, {}, false
  for i = 1, n do
    local d = counters[tonumber(ARGV[a + 2 * i])]
    ds[i] = d
    us[i] = tonumber(ARGV[a + 1 + 2 * i])
    if seen[d.fi] then repeats = true end
    seen[d.fi] = true
  end
  shapes[j] = {charge = ARGV[a] == 'c', n = n, ds = ds, us = us, repeats = repeats}
  a = a + 2 + 2 * n
end
-- What request r asked of a counter before this entry, counting this one's units (only shapes that name a counter twice ask).
local function earlier(s, r, units)
  if s.r ~= r then s.r, s.earlier = r, 0 end
  local before = s.earlier
  s.earlier = before + units
  return before
end
-- Per counter's first field (its ARGV index): the window or balance as read, then as charged.
local state, list = {}, {}
local touch, windowCharged, balanceCharged, loaded = {}, {}, {}, {}
-- Writes what the batch changed in hash h (at the end; before reading its slots again on a refusal).
local function flush(h)
  local w, k = {}, 0
  for _, s in ipairs(list) do
    if s.h == h and s.dirty then
      local fi = s.fi
      if s.window then
        w[k + 1], w[k + 2], w[k + 3], w[k + 4] = ARGV[fi + 3], int(s.slot), ARGV[fi], int(s.t)
        k = k + 4
        if s.moved then
          w[k + 1], w[k + 2], w[k + 3], w[k + 4] = ARGV[fi + 1], int(s.n), ARGV[fi + 2], int(s.o)
          k = k + 4
        end
      else
        -- Written as an integer: some Redis versions write a Lua number as 1e+12, which HINCRBY refuses.
        w[k + 1], w[k + 2] = ARGV[fi], int(s.value)
        k = k + 2
      end
      s.dirty, s.moved = false, false
    end
  end
  if k > 0 then redis.call('HSET', KEYS[h + 1], unpack(w)) end
end
-- A counter's state, read (and a window trimmed) the first time the batch names it.
local function stateOf(d)
  local fi = d.fi
  local s = state[fi]
  if s then return s end
  local h, p = d.h, d.p
  if d.window then
    local m, c = got[h], d.c
    local t, n, lo = tonumber(m[p]), tonumber(m[p + 1]), tonumber(m[p + 2])
    if not t then
      t, n, lo = 0, -1, c - 60
    elseif lo < c - 60 then
      t, n, lo = trim(KEYS[h + 1], string.sub(ARGV[fi], 1, -2), c - 60, t, n, lo)
    end
    s = {t = t, n = n, o = lo, c = c, slot = tonumber(m[p + 3]) or 0, fresh = not m[p + 3], earlier = 0, r = 0, h = h, fi = fi, window = true, dirty = false, moved = false, counted = false}
    if d.ttl > ttl[h] then ttl[h] = d.ttl end
  else
    s = {value = tonumber(got[h][p]), earlier = 0, r = 0, h = h, fi = fi, window = false, dirty = false}
    if balanceTtl > ttl[h] then ttl[h] = balanceTtl end
  end
  state[fi] = s
  list[#list + 1] = s
  return s
end
-- A balance's value. One with none starts from the caller's initial one, when it sent one: kept (and
-- written) by a charge; a peek only reads it, so the batch's later requests do not see it either.
local function balanceOf(s, d, charge)
  if s.value or d.x == '' then return s.value end
  if not charge then return d.limit end
  s.value = d.limit
  s.dirty, touch[d.h], loaded[d.h] = true, true, ARGV[d.fi]
  return s.value
end
-- Charges every counter of a shape its units, times times.
local function chargeShape(shape, times)
  local ds, us = shape.ds, shape.us
  for i = 1, shape.n do
    local units = us[i] * times
    if units > 0 then
      local d = ds[i]
      local h, s = d.h, state[d.fi]
      if s.window then
        s.counted = false
        s.t = s.t + units
        s.slot = s.slot + units
        -- 'n' and 'o' are written only when they move: most charges fall in the newest slot.
        if s.c > s.n then s.n, s.moved = s.c, true end
        if s.c < s.o then s.o, s.moved = s.c, true end
        windowCharged[h] = true
        -- A hash's time to live is set when a slot gets its first units: it then outlives every slot it counts.
        if s.fresh then s.fresh, touch[h] = false, true end
      else
        s.value = s.value - units
        balanceCharged[h] = true
      end
      s.dirty = true
    end
  end
end
-- The answer's length is kept here: Lua's # on a table of hundreds of values is a search each time.
local out, o, fits = {}, 0, {}
-- Request r, on its own: its flag, each counter's value (and a window's newest slot), and its fits when something does not fit.
local function decide(shape, r)
  -- Units the same request asks of the same counter earlier on are counted only when it does (rarely).
  local charge, ds, us, repeats = shape.charge, shape.ds, shape.us, shape.repeats
  local refused, absent = 0, false
  o = o + 1
  local flag = o
  out[flag] = 0
  for i = 1, shape.n do
    local d, units = ds[i], us[i]
    local h, fi = d.h, d.fi
    local s = stateOf(d)
    local value, newest, fit = 0, -1, 0
    if d.window then
      local limit = d.limit
      local before = repeats and earlier(s, r, units) or 0
      value = s.t
      if value > 0 then newest = s.n end
      local need = before + units
      if value + need > limit then
        fit = -1
        if need <= limit then
          -- What the batch charged before counts too: written first. Kept until the window is charged again.
          if not s.counted then
            flush(h)
            s.counted = slotsBetween(KEYS[h + 1], string.sub(ARGV[fi], 1, -2), s.o, math.max(s.n, s.c))
          end
          local counted = s.counted
          local left = value
          for _, e in ipairs(counted) do
            left = left - e[2]
            if left + need <= limit then fit = e[1] + 61 break end
          end
        end
      end
      value = value + before
    else
      local before = repeats and earlier(s, r, units) or 0
      local v = balanceOf(s, d, charge)
      if not v then
        fit, absent = -2, true
      else
        value = v - before
        if value < units then fit = -1 end
      end
    end
    if fit ~= 0 and fit ~= -2 and refused == 0 then refused = i end
    o = o + 1
    out[o] = value
    if d.window then
      o = o + 1
      out[o] = newest
    end
    fits[i] = fit
  end
  -- Where every counter fits (most requests), the fits are not sent.
  if refused ~= 0 or absent then
    out[flag] = 1
    for i = 1, shape.n do
      o = o + 1
      out[o] = fits[i]
    end
  end
  if charge and refused == 0 and not absent then chargeShape(shape, 1) end
end
-- Do k requests of one shape, one after the other, all fit? (A charge: k times its units; a peek charges nothing.)
local function runFits(shape, k)
  local charge, ds, us = shape.charge, shape.ds, shape.us
  local times = charge and k or 1
  for i = 1, shape.n do
    local d = ds[i]
    local s = stateOf(d)
    if d.window then
      if s.t + times * us[i] > d.limit then return false end
    else
      local v = balanceOf(s, d, charge)
      -- Above 2^53 a sum is no longer exact: such a balance (a refund can put it there) goes one request at a time.
      if not v or v < times * us[i] or v > 9007199254740991 then return false end
    end
  end
  return true
end
-- Per run of consecutive requests of one shape: 0 when all of them fit, then each counter's value (and
-- a window's newest slot) before the first, as k requests decided in turn would be (the caller adds
-- the units of those before each); else 1, then each request decided on its own.
local r = 0
for q = a, #ARGV, 2 do
  local shape, k = shapes[tonumber(ARGV[q])], tonumber(ARGV[q + 1])
  o = o + 1
  if not shape.repeats and runFits(shape, k) then
    out[o] = 0
    local ds = shape.ds
    for i = 1, shape.n do
      local d = ds[i]
      local s = state[d.fi]
      o = o + 1
      if d.window then
        out[o] = s.t
        o = o + 1
        out[o] = s.t > 0 and s.n or -1
      else
        out[o] = balanceOf(s, d, shape.charge)
      end
    end
    if shape.charge then chargeShape(shape, k) end
    r = r + k
  else
    out[o] = 1
    for _ = 1, k do
      r = r + 1
      decide(shape, r)
    end
  end
end
for h = 1, #first do
  flush(h)
  -- A balance is loaded once per refill period (or after a change): the payer's older ones are gone for good.
  if loaded[h] then
    local stale = {}
    for _, f in ipairs(redis.call('HKEYS', KEYS[h + 1])) do
      if string.sub(f, 1, 2) == 'b:' and f ~= loaded[h] then stale[#stale + 1] = f end
    end
    if #stale > 0 then redis.call('HDEL', KEYS[h + 1], unpack(stale)) end
  end
  -- Credits loaded, or charged beside no window: the hash then lasts as long as an unused balance is kept.
  if touch[h] or (balanceCharged[h] and not windowCharged[h]) then extend(KEYS[h + 1], ttl[h]) end
end
return out
`;

/**
 * REFUND. KEYS: the hashes. ARGV: one per entry: 'w|hash|base|units|slot' or 'b|hash|field|units'.
 * A slot or balance that is gone already (expired, dropped) is left alone.
 */
export const REFUND_SCRIPT = `
${WINDOW_FUNCTIONS}
for i = 1, #ARGV do
  local a = split(ARGV[i])
  local key = KEYS[tonumber(a[2])]
  local units = tonumber(a[4])
  if a[1] == 'w' then
    if redis.call('HEXISTS', key, a[3] .. a[5]) == 1 then addToSlot(key, a[3], a[5], -units) end
  elseif redis.call('HEXISTS', key, a[3]) == 1 then
    redis.call('HINCRBY', key, a[3], units)
  end
end
return 'OK'
`;

/**
 * SYNC. KEYS[1]: the instances set; KEYS[2]: this instance's last sync; then the hashes.
 * ARGV[1] instance id, ARGV[2] sync id; then one per entry: 'w|hash|base|slot|total|pending|ttl'
 * or 'b|hash|field|delta|drop' (drop '1').
 * A Redis that knows the instance takes only what it missed (pending); one that does not (it
 * restarted empty) takes everything the instance charged that still counts (total). A sync
 * whose answer was lost and that is sent again is recognised by its id and not applied twice.
 */
export const SYNC_SCRIPT = `
if redis.call('GET', KEYS[2]) == ARGV[2] then return 'SEEN' end
${WINDOW_FUNCTIONS}
local member = redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1
for i = 3, #ARGV do
  local a = split(ARGV[i])
  local key = KEYS[tonumber(a[2])]
  if a[1] == 'w' then
    local units = tonumber(a[5])
    if member then units = tonumber(a[6]) end
    if units ~= 0 then
      addToSlot(key, a[3], a[4], units)
      extend(key, tonumber(a[7]))
    end
  elseif a[5] == '1' then
    redis.call('HDEL', key, a[3])
  elseif member and tonumber(a[4]) ~= 0 and redis.call('HEXISTS', key, a[3]) == 1 then
    redis.call('HINCRBY', key, a[3], a[4])
  end
end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', 86400000)
if member then return 'MERGED' end
return 'RESYNCED'
`;

/** SET_BALANCE. KEYS[1]: the hash; ARGV: field, value, time to live (ms). */
export const SET_BALANCE_SCRIPT = `
${WINDOW_FUNCTIONS}
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
extend(KEYS[1], tonumber(ARGV[3]))
return 'OK'
`;
