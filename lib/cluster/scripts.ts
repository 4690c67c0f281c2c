/**
 * The Lua scripts that make a cluster's shared state change atomically: a claim,
 * a rename and a release of a nickname (the owner's token checked, so an expired
 * owner cannot free the next owner's claim), the heartbeat, and the reaping of a
 * dead server (exactly one live server gets each dead one), the counts of wrong
 * password answers per address, and the changes of accounts and held whispers.
 *
 * @module
 */

/**
 * Claims a nickname if nobody holds it, and records the user's presence.
 * KEYS: nick, users, serverUsers. ARGV: token, ttlMs, nickKey, presence JSON.
 * Returns 1 when claimed, 0 when taken.
 */
export const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[3])
  return 1
end
return 0`;

/**
 * Claims a registered nickname for a user who logged in to it, whoever holds it
 * (ghost reclaim across servers). Nobody: as {@linkcode CLAIM}. A holder whose
 * presence names its server and token: the claim and the presence become the new
 * user's, who takes the holder's place (its rooms, its place in `/who`); the holder
 * leaves its server's set and its server gets a `reclaimed` inbox item (with the
 * holder's token) to close it. A holder without such a presence is not taken from.
 * KEYS: nick, users, serverUsers. ARGV: token, ttlMs, nickKey, presence JSON, key
 * prefix, inbox maxlen, the inbox entry's field. Returns `{0}` when not claimed,
 * `{1}` when claimed from nobody, `{2, old presence}` when taken over.
 */
export const TAKE_OVER = `
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[3])
  return {1}
end
local old = redis.call('HGET', KEYS[2], ARGV[3])
if not old then return {0} end
local ok, entry = pcall(cjson.decode, old)
if not ok or type(entry) ~= 'table' or entry.token ~= holder or type(entry.server) ~= 'string' then
  return {0}
end
local new = cjson.decode(ARGV[4])
new.rooms = entry.rooms
new.roomKeys = entry.roomKeys
new.since = entry.since
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
-- cjson writes an empty array as {}: a user between rooms keeps its [].
local json = string.gsub(cjson.encode(new), '"(room[Kk]?e?y?s)":{}', '"%1":[]')
redis.call('HSET', KEYS[2], ARGV[3], json)
redis.call('SADD', KEYS[3], ARGV[3])
local prefix = ARGV[5]
redis.call('SREM', prefix .. 'server:' .. entry.server .. ':users', ARGV[3])
local item = cjson.encode({kind = 'reclaimed', to = ARGV[3], token = holder})
redis.call('XADD', prefix .. 'inbox:' .. entry.server, 'MAXLEN', '~', ARGV[6], '*', ARGV[7], item)
return {2, old}`;

/**
 * Claims a nickname back after Redis lost it or it expired (a restart, a long cut,
 * a stall), unless someone else holds it now. KEYS and ARGV as {@linkcode CLAIM}.
 * Returns 0 when someone else holds it; 1 when it is ours and so was the presence;
 * 2 when it is ours but the presence was gone (reaped, or lost): the user is back.
 */
export const RECLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local back = 2
local presence = redis.call('HGET', KEYS[2], ARGV[3])
if presence then
  local ok, entry = pcall(cjson.decode, presence)
  if ok and type(entry) == 'table' and entry.token == ARGV[1] then back = 1 end
end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[3])
return back`;

/**
 * Renames: claims the new nickname, frees the old one, moves the presence. A new
 * nickname that already holds the owner's token is the owner's (a rename sent
 * again after its reply was cut off). The old nickname's claim and presence are
 * removed only while they are the owner's (a login on another server may have
 * taken the old nickname over a moment before).
 * KEYS: new nick, old nick, users, serverUsers. ARGV: token, ttlMs, new nickKey,
 * old nickKey, presence JSON. Returns 1 when renamed, 0 when the new one is taken.
 */
export const RENAME = `
if KEYS[1] ~= KEYS[2] then
  local holder = redis.call('GET', KEYS[1])
  if holder and holder ~= ARGV[1] then return 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
  local old = redis.call('HGET', KEYS[3], ARGV[4])
  if old then
    local ok, entry = pcall(cjson.decode, old)
    if ok and type(entry) == 'table' and entry.token == ARGV[1] then
      redis.call('HDEL', KEYS[3], ARGV[4])
    end
  end
  redis.call('SREM', KEYS[4], ARGV[4])
end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
redis.call('SADD', KEYS[4], ARGV[3])
return 1`;

/**
 * Frees a nickname and its presence, only if they are still the owner's (a
 * presence that is not JSON is not the owner's: it is left for the servers to report).
 * KEYS: nick, users, serverUsers. ARGV: token, nickKey.
 */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local presence = redis.call('HGET', KEYS[2], ARGV[2])
if presence then
  local ok, entry = pcall(cjson.decode, presence)
  if ok and type(entry) == 'table' and entry.token == ARGV[1] then
    redis.call('HDEL', KEYS[2], ARGV[2])
  end
end
redis.call('SREM', KEYS[3], ARGV[2])
return 1`;

/**
 * Records a heartbeat (Redis's clock, so servers' clocks need not agree) and
 * renews this server's claims. KEYS: servers, then the nick keys. ARGV: serverId,
 * ttlMs, then one token per nick key. Returns Redis's time in ms.
 */
export const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i + 1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
return now`;

/**
 * Takes the servers whose heartbeat is older than ARGV[1] ms out of the cluster:
 * each dead server is removed once (ZREM), whoever runs this first gets it, and its
 * users' presence entries (JSON) are returned for their leave notices; their claims
 * and the dead server's inbox are deleted. A presence that is not a JSON object is
 * skipped (left in place): one bad entry must not stop every reaping. KEYS: servers. ARGV: deadAfterMs,
 * key prefix. (Keys built here: a single Redis, not Redis Cluster.)
 */
export const REAP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[2]
local gone = {}
for _, sid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))) do
  if redis.call('ZREM', KEYS[1], sid) == 1 then
    local members = prefix .. 'server:' .. sid .. ':users'
    for _, key in ipairs(redis.call('SMEMBERS', members)) do
      local presence = redis.call('HGET', prefix .. 'users', key)
      if presence then
        local ok, entry = pcall(cjson.decode, presence)
        if ok and type(entry) == 'table' and entry.server == sid then
          redis.call('HDEL', prefix .. 'users', key)
          table.insert(gone, presence)
          if redis.call('GET', prefix .. 'nick:' .. key) == entry.token then
            redis.call('DEL', prefix .. 'nick:' .. key)
          end
        end
      end
    end
    redis.call('DEL', members)
    redis.call('DEL', prefix .. 'inbox:' .. sid)
  end
end
return gone`;

/**
 * Appends entries that may already be there: writes cut off in flight, sent again
 * once Redis is back (the `XADD` may have run before the reply was lost). An entry
 * whose value is found among the stream's entries after ARGV[1] (`""`: among the
 * last ARGV[3]) is not added again; equal values are counted, so two equal lines
 * of which one got through are added once more. KEYS: the stream. ARGV: after id
 * (or `""`), field, maxlen, then the values in order. Returns how many were added.
 */
export const APPEND_MISSING = `
local entries
if ARGV[1] == '' then
  entries = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[3])
else
  entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')
end
local found = {}
for _, entry in ipairs(entries) do
  local fields = entry[2]
  for i = 1, #fields - 1, 2 do
    if fields[i] == ARGV[2] then
      local value = fields[i + 1]
      found[value] = (found[value] or 0) + 1
    end
  end
end
local added = 0
for i = 4, #ARGV do
  local n = found[ARGV[i]]
  if n and n > 0 then
    found[ARGV[i]] = n - 1
  else
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', ARGV[2], ARGV[i])
    added = added + 1
  end
end
return added`;

/**
 * The wrong password answers of an address in the window (Redis's clock), the
 * older ones dropped. KEYS: the address's attempts. ARGV: windowMs. Returns the count.
 */
export const COUNT_FAILURES = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])`;

/**
 * Counts a wrong password answer of an address: added with Redis's time, the ones
 * older than the window dropped, at most ARGV[3] kept, the key expiring with the
 * window. KEYS: the address's attempts. ARGV: windowMs, a member unique to this
 * answer, the most kept. Returns the count in the window, this one included.
 */
export const ADD_FAILURE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('ZCARD', KEYS[1])`;

/**
 * Registers an account unless its key is registered. KEYS: the account. ARGV: its
 * fields and values. Returns 1 when registered, 0 when taken.
 */
export const CREATE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

/**
 * Changes an account's fields, only if it exists (a change racing an
 * `/unregister` must not leave half an account). KEYS: the account. ARGV: n, then
 * n field-value pairs to set, then the fields to delete. Returns 1, or 0 when
 * there is no such account.
 */
export const UPDATE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = tonumber(ARGV[1])
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 2, 1 + 2 * n)) end
for i = 2 + 2 * n, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
return 1`;

/**
 * Deletes an account and the whispers held for it. KEYS: the account, its held
 * whispers. Returns 1 when there was an account, else 0.
 */
export const DELETE_ACCOUNT = `
redis.call('DEL', KEYS[2])
return redis.call('DEL', KEYS[1])`;

/**
 * Holds a whisper for an offline account: the expired ones (and any that is not a
 * whisper) are dropped from the front first; past the most kept it is refused.
 * The list expires with its newest whisper. KEYS: the held whispers. ARGV: the
 * whisper (JSON), the most kept, the time to live (ms), now (ms). Returns 1 when
 * held, 0 when full.
 */
export const HOLD_WHISPER = `
local cutoff = tonumber(ARGV[4]) - tonumber(ARGV[3])
while true do
  local first = redis.call('LINDEX', KEYS[1], 0)
  if not first then break end
  local ok, item = pcall(cjson.decode, first)
  if ok and type(item) == 'table' and type(item.time) == 'number' and item.time > cutoff then
    break
  end
  redis.call('LPOP', KEYS[1])
end
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/**
 * Takes the whispers held for an account (it logged in): returned and deleted at
 * once, so that two logins on two servers never both get them. KEYS: the held
 * whispers. Returns them, oldest first.
 */
export const TAKE_WHISPERS = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return items`;
