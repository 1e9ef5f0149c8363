"""The queue of blogs in Redis: leases, host exclusivity, and what each worker is doing.

A blog is *pending*, *leased* to one worker, *done* or *failed*.  A worker takes the first
pending blog whose host group (``hosts.host_group``) no other lease holds, for
``lease_seconds``; it renews the lease while it crawls (``renew``) and ends it (``finish``).
A lease that is not renewed in time (the worker was killed, its machine lost the network)
expires: the next ``acquire`` by any worker puts the blog back in front of the queue, and
whoever takes it resumes it from what the writer stored.  Every change is one Lua script,
timed by the Redis server's clock (``TIME``), so workers' clocks need not agree.

Keys (under the fleet's prefix): ``pending`` (zset, by order added), ``order`` (hash),
``leased`` (zset: expiry in ms), ``holder`` (blog → "worker token"), ``group`` (blog → host
group), ``busy`` (host group → blog), ``attempts``, ``expired``, ``done`` (zset: end time),
``failed`` (blog → reason), ``workers`` (worker → JSON progress).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import redis

from scraper.crawl.fleet.connection import reply, text
from scraper.crawl.fleet.hosts import host_group
from scraper.model.urls import canonicalize

_EXPIRE_LEASES = """
local p = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, blog in ipairs(redis.call('ZRANGEBYSCORE', p .. 'leased', '-inf', now)) do
  redis.call('ZREM', p .. 'leased', blog)
  local group = redis.call('HGET', p .. 'group', blog)
  if redis.call('HGET', p .. 'busy', group) == blog then redis.call('HDEL', p .. 'busy', group) end
  redis.call('HDEL', p .. 'holder', blog)
  redis.call('HINCRBY', p .. 'expired', blog, 1)
  redis.call('ZADD', p .. 'pending', 0, blog)
end
"""

ACQUIRE = _EXPIRE_LEASES + """
for _, blog in ipairs(redis.call('ZRANGE', p .. 'pending', 0, -1)) do
  local group = redis.call('HGET', p .. 'group', blog)
  if redis.call('HEXISTS', p .. 'busy', group) == 0 then
    redis.call('ZREM', p .. 'pending', blog)
    redis.call('ZADD', p .. 'leased', now + tonumber(ARGV[4]), blog)
    redis.call('HSET', p .. 'busy', group, blog)
    redis.call('HSET', p .. 'holder', blog, ARGV[2] .. ' ' .. ARGV[3])
    local attempts = redis.call('HINCRBY', p .. 'attempts', blog, 1)
    return {blog, attempts}
  end
end
return false
"""

RENEW = """
local p = ARGV[1]
if redis.call('HGET', p .. 'holder', ARGV[2]) ~= ARGV[3] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', p .. 'leased', 'XX', now + tonumber(ARGV[4]), ARGV[2])
return 1
"""

# ARGV: prefix, blog, "worker token", outcome (done|retry|failed), reason
FINISH = """
local p = ARGV[1]
local blog = ARGV[2]
if redis.call('HGET', p .. 'holder', blog) ~= ARGV[3] then return 0 end
redis.call('ZREM', p .. 'leased', blog)
redis.call('HDEL', p .. 'holder', blog)
local group = redis.call('HGET', p .. 'group', blog)
if redis.call('HGET', p .. 'busy', group) == blog then redis.call('HDEL', p .. 'busy', group) end
local t = redis.call('TIME')
if ARGV[4] == 'done' then
  redis.call('ZADD', p .. 'done', tonumber(t[1]), blog)
elseif ARGV[4] == 'retry' then
  redis.call('ZADD', p .. 'pending', redis.call('HGET', p .. 'order', blog), blog)
else
  redis.call('HSET', p .. 'failed', blog, ARGV[5])
end
return 1
"""

# ARGV: prefix, blog, group; a blog already queued or leased stays as it is.
ADD = """
local p = ARGV[1]
local blog = ARGV[2]
if redis.call('ZSCORE', p .. 'pending', blog) or redis.call('ZSCORE', p .. 'leased', blog) then
  return 0
end
local order = redis.call('HGET', p .. 'order', blog)
if not order then
  order = redis.call('INCR', p .. 'sequence')
  redis.call('HSET', p .. 'order', blog, order)
end
redis.call('HSET', p .. 'group', blog, ARGV[3])
redis.call('ZREM', p .. 'done', blog)
redis.call('HDEL', p .. 'failed', blog)
redis.call('HDEL', p .. 'attempts', blog)
redis.call('ZADD', p .. 'pending', order, blog)
return 1
"""


@dataclass(frozen=True, slots=True)
class Lease:
    blog: str
    worker: str
    token: str
    attempt: int  # 1 for the first worker to take the blog

    @property
    def holder(self) -> str:
        return f"{self.worker} {self.token}"


@dataclass(frozen=True, slots=True)
class QueueCounts:
    pending: int
    leased: int
    done: int
    failed: int

    @property
    def finished(self) -> bool:
        """Nothing left to crawl: every blog is done or failed."""
        return not self.pending and not self.leased


class BlogQueue:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.redis = client
        self.prefix = prefix
        self._acquire = client.register_script(ACQUIRE)
        self._renew = client.register_script(RENEW)
        self._finish = client.register_script(FINISH)
        self._add = client.register_script(ADD)
        self._expire = client.register_script(_EXPIRE_LEASES)

    def key(self, name: str) -> str:
        return self.prefix + name

    def add(self, blog_url: str) -> bool:
        """Queue a blog (its home URL); False when it is already queued or being crawled.
        A blog done or failed before is queued again: the next crawl is incremental."""
        blog = canonicalize(blog_url)
        return bool(self._add(args=[self.prefix, blog, host_group(blog)]))

    def acquire(self, worker: str, lease_seconds: float) -> Lease | None:
        """The first pending blog whose host group is free, leased to ``worker``."""
        token = secrets.token_hex(8)
        taken = self._acquire(args=[self.prefix, worker, token, int(lease_seconds * 1000)])
        if not taken:
            return None
        blog, attempt = taken
        return Lease(blog.decode(), worker, token, int(attempt))

    def renew(self, lease: Lease, lease_seconds: float) -> bool:
        """Extend the lease; False when it was lost (it expired and another worker may hold
        the blog now): the worker must stop crawling it."""
        return bool(self._renew(args=[self.prefix, lease.blog, lease.holder,
                                      int(lease_seconds * 1000)]))

    def finish(self, lease: Lease, outcome: str, reason: str = "") -> bool:
        """End the lease: ``done``, ``retry`` (back to its place in the queue) or
        ``failed``.  False when the lease was already lost."""
        assert outcome in ("done", "retry", "failed")
        return bool(self._finish(args=[self.prefix, lease.blog, lease.holder, outcome, reason]))

    def expire_leases(self) -> None:
        self._expire(args=[self.prefix])

    def counts(self) -> QueueCounts:
        self.expire_leases()
        pipe = self.redis.pipeline()
        pipe.zcard(self.key("pending"))
        pipe.zcard(self.key("leased"))
        pipe.zcard(self.key("done"))
        pipe.hlen(self.key("failed"))
        pending, leased, done, failed = pipe.execute()
        return QueueCounts(pending, leased, done, failed)

    def blogs(self, state: str) -> list[str]:
        """The blogs pending, leased, done (in order) or failed."""
        if state == "failed":
            return sorted(text(b) for b in reply(self.redis.hkeys(self.key("failed"))))
        members: list[Any] = reply(self.redis.zrange(self.key(state), 0, -1))
        return [text(b) for b in members]

    def failures(self) -> dict[str, str]:
        failed: dict[Any, Any] = reply(self.redis.hgetall(self.key("failed")))
        return {text(k): text(v) for k, v in failed.items()}

    def attempts(self, blog: str) -> int:
        return int(reply(self.redis.hget(self.key("attempts"), blog)) or 0)

    # --- per-worker progress (``wparchive queue status``) ---

    def report_progress(self, worker: str, **fields: Any) -> None:
        """Merge ``fields`` into the worker's progress record."""
        key = self.key("workers")
        current = reply(self.redis.hget(key, worker))
        record = json.loads(current) if current else {}
        record.update(fields)
        self.redis.hset(key, worker, json.dumps(record, sort_keys=True))

    def progress(self) -> dict[str, dict[str, Any]]:
        workers: dict[Any, Any] = reply(self.redis.hgetall(self.key("workers")))
        return {text(k): json.loads(v) for k, v in sorted(workers.items())}
