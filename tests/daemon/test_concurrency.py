#!/usr/bin/python3
"""Limits on parallelism: 200 feeds on one host in one `once`, with the
per-host limit and with the global one binding; the spacing between two
requests to a host; first polls spread over the interval in `run`."""

import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import feed, hold, rss  # noqa: E402

N = 200
HOLD = 0.02     # each answer waits this long, so that transfers overlap


def many(t, settings):
    srv = t.serve({})
    feeds = {}
    for i in range(N):
        path = "/c/%03d.xml" % i
        srv.route(path, hold(HOLD, feed(rss("C%d" % i, ["c%d" % i]))))
        feeds["c%03d" % i] = t.url(path)
    # 200 articles: no fsync each, the disk is not what is tested here.
    cfg, _ = t.config(settings=dict(settings, fsync="no"), feeds=feeds)
    r = t.once(cfg, timeout=40)
    r.expect_rc(0)
    expect(len(r.items.feeds()) == N, "%d feeds delivered items, not %d",
           len(r.items.feeds()), N)
    for i in range(N):
        expect(r.items.titles("c%03d" % i) == ["c%d" % i],
               "feed c%03d delivered %r", i, r.items.titles("c%03d" % i))
    log = srv.requests()
    expect(len(log) == N and len(set(e.path for e in log)) == N,
           "%d requests for %d feeds", len(log), N)
    return srv, r


def test_per_host_limit(t):
    """concurrency = 8, per_host = 2: all 200 fetched, never more than 2
    at once to the host (and 2 are used)"""
    srv, r = many(t, {"concurrency": "8", "per_host": "2"})
    m = srv.max_active.get("127.0.0.1")
    expect(m is not None and m <= 2, "up to %s requests at once to one "
           "host with per_host = 2", m)
    expect(m == 2, "never 2 requests at once (max %s): no parallelism", m)


def test_global_limit(t):
    """concurrency = 4, per_host = 8: never more than 4 at once (and 4
    are used)"""
    srv, r = many(t, {"concurrency": "4", "per_host": "8"})
    m = srv.max_active.get("127.0.0.1")
    expect(m is not None and m <= 4, "up to %s requests at once with "
           "concurrency = 4", m)
    expect(m == 4, "never 4 requests at once (max %s)", m)


@harness.timing("spacing measured in seconds")
def test_per_host_delay(t):
    """per_host_delay = 1s: requests to one host start at least 1 s apart;
    another host is not held up by it"""
    srv = t.serve({})
    feeds = {}
    for host in ("127.0.0.1", "localhost"):
        for i in range(3):
            path = "/%s/%d.xml" % (host, i)
            srv.route(path, feed(rss(path, [path])))
            feeds["%s-%d" % (host.replace(".", "_"), i)] = t.url(path, host)
    cfg, _ = t.config(settings={"per_host_delay": "1s", "per_host": "4"},
                      feeds=feeds)
    r = t.once(cfg, timeout=20)
    r.expect_rc(0)
    expect(len(r.items.feeds()) == 6, "feeds delivered: %r",
           r.items.feeds())
    for host in ("127.0.0.1", "localhost"):
        got = [e for e in srv.requests() if e.host == host]
        expect(len(got) == 3, "%d requests to %s", len(got), host)
        g = harness.gaps(got)
        expect(min(g) >= 1.0 - 0.05, "requests to %s %r s apart with "
               "per_host_delay = 1s", host, g)
    a = [e.t for e in srv.requests() if e.host == "127.0.0.1"]
    b = [e.t for e in srv.requests() if e.host == "localhost"]
    expect(b[0] < a[-1] and a[0] < b[-1],
           "one host waited for the other: %r %r", a, b)
    expect(r.elapsed < 6, "once took %.1f s", r.elapsed)


@harness.timing("polls counted over seconds")
def test_min_interval_floor(t):
    """interval = 1s under min_interval = 3s: polled every 3 s at most,
    not every second"""
    import time
    srv = t.serve({"/a.xml": feed(rss("A", ["a1"]))})
    cfg, _ = t.config(settings={"interval": "1s", "min_interval": "3s"},
                      feeds={"alpha": t.url("/a.xml")})
    d = t.daemon(cfg)
    srv.wait_count("/a.xml", 1, 10)
    time.sleep(7)
    d.expect_alive()
    n = srv.count("/a.xml")
    # First poll, then at most one per 3 s (with +-10% jitter): 3 or 4.
    harness.expect(2 <= n <= 4, "%d polls in about 7 s after the first "
                   "with min_interval = 3s", n)


@harness.timing("the spread of first polls in time")
def test_first_polls_spread(t):
    """run, 20 feeds, interval = 3s: the first polls are spread over the
    interval, not all at once"""
    srv = t.serve({})
    feeds = {}
    for i in range(20):
        path = "/s/%d.xml" % i
        srv.route(path, feed(rss(path, [path])))
        feeds["s%d" % i] = t.url(path)
    cfg, _ = t.config(settings={"interval": "3s"}, feeds=feeds)
    d = t.daemon(cfg)
    t0 = d.t0
    srv.wait_for(lambda log: len(set(e.path for e in log)) >= 20, 8,
                 "a first poll of every feed")
    d.stop()
    first = {}
    for e in srv.requests():
        first.setdefault(e.path, e.t - t0)
    ts = sorted(first.values())
    expect(ts[-1] - ts[0] >= 1.0, "the first polls all came within "
           "%.2f s: %r", ts[-1] - ts[0], ts)
    expect(ts[-1] < 3 + 1.0, "a first poll came only after %.2f s", ts[-1])
    in_first_half = sum(1 for x in ts if x < 1.5)
    expect(2 <= in_first_half <= 18, "%d of 20 first polls in the first "
           "half of the interval: %r", in_first_half, ts)


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
