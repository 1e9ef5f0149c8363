"""The queue of blogs on a real Redis: leases, host exclusivity, expiry, outcomes."""

from __future__ import annotations

import time

import redis

from scraper.crawl.fleet.queue import BlogQueue

A = "https://one.wordpress.com/"
B = "https://two.wordpress.com/"
C = "https://blog.example/"


def test_a_host_group_is_leased_to_one_worker_at_a_time(client: redis.Redis) -> None:
    queue = BlogQueue(client, "t:")
    for url in (A, B, C):
        assert queue.add(url)
    first = queue.acquire("w1", 30)
    second = queue.acquire("w2", 30)
    assert first is not None and second is not None
    assert (first.blog, second.blog) == (A, C)  # B waits: it shares wordpress.com with A
    assert queue.acquire("w3", 30) is None
    assert queue.finish(first, "done")
    third = queue.acquire("w3", 30)
    assert third is not None and third.blog == B
    assert queue.counts().leased == 2 and queue.counts().done == 1


def test_a_blog_already_queued_or_leased_is_not_queued_twice(client: redis.Redis) -> None:
    queue = BlogQueue(client, "t:")
    assert queue.add(C)
    assert not queue.add(C)
    lease = queue.acquire("w1", 30)
    assert lease is not None and not queue.add(C)
    queue.finish(lease, "done")
    assert queue.add(C)  # done before: queued again for an incremental crawl
    assert queue.counts().pending == 1 and queue.counts().done == 0


def test_an_expired_lease_puts_the_blog_back_first_and_the_old_holder_loses_it(
        client: redis.Redis) -> None:
    queue = BlogQueue(client, "t:")
    queue.add(C)
    queue.add("https://later.example/")
    lost = queue.acquire("w1", 0.2)
    assert lost is not None and lost.attempt == 1
    time.sleep(0.3)
    taken = queue.acquire("w2", 30)
    assert taken is not None and (taken.blog, taken.attempt) == (C, 2)
    assert not queue.renew(lost, 30)
    assert not queue.finish(lost, "done")
    assert queue.blogs("leased") == [C]


def test_a_renewed_lease_outlives_its_first_term(client: redis.Redis) -> None:
    queue = BlogQueue(client, "t:")
    queue.add(C)
    lease = queue.acquire("w1", 0.3)
    assert lease is not None
    for _ in range(4):
        time.sleep(0.15)
        assert queue.renew(lease, 0.3)
    assert queue.acquire("w2", 30) is None
    assert queue.blogs("leased") == [C]


def test_a_stopped_crawl_is_retried_in_its_place_then_failed(client: redis.Redis) -> None:
    queue = BlogQueue(client, "t:")
    queue.add(A)
    queue.add(C)
    lease = queue.acquire("w1", 30)
    assert lease is not None and lease.blog == A
    assert queue.finish(lease, "retry")
    assert queue.blogs("pending") == [A, C]
    again = queue.acquire("w1", 30)
    assert again is not None and again.attempt == 2
    assert queue.finish(again, "failed", "crawl stopped early 2 times")
    assert queue.failures() == {A: "crawl stopped early 2 times"}
    assert not queue.counts().finished  # C is still pending
