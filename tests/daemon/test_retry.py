#!/usr/bin/python3
"""Rate limits and errors across polls (`run` mode, interval = 1s):
429 and 503 with Retry-After (seconds and HTTP-date) are honoured, a 429
slows the whole host, and a 500 backs off exponentially."""

import email.utils
import math
import re
import sys
import time

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect, gaps  # noqa: E402
from server import feed, rss, seq, status  # noqa: E402

INTERVAL = 1.0
SLACK = 0.05        # uv_now() is cached per loop turn: a few ms early is OK


def retry_case(t, answer, wait):
    """A feed answered first by answer (429/503...), then 200; a sibling
    feed on the same host; a healthy feed on another host ("localhost").
    Returns (server, daemon, first, second) with the two requests of the
    limited feed."""
    srv = t.serve({
        "/limited.xml": seq(answer, feed(rss("Limited", ["after"]))),
        "/sibling.xml": feed(rss("Sibling", ["sib"])),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(settings={"interval": "1s"}, feeds={
        "limited": t.url("/limited.xml"),
        "sibling": t.url("/sibling.xml"),
        "healthy": t.url("/ok.xml", host="localhost")})
    d = t.daemon(cfg)
    srv.wait_count("/limited.xml", 2, wait + 8, done=True)
    first, second = srv.requests("/limited.xml")[:2]
    d.wait_stderr(r"feed limited: 1 items", 5)
    rc, _ = d.stop()
    expect(rc == 0, "exit %s", rc)
    expect(d.items.titles("limited") == ["after"], "limited delivered %r",
           d.items.titles("limited"))
    expect(d.items.titles("healthy") == ["fine"], "healthy delivered %r",
           d.items.titles("healthy"))
    return srv, d, first, second


@harness.timing("a wait measured in seconds")
def test_429_retry_after_seconds(t):
    """429 with Retry-After: 4: no request to the feed (nor to its host)
    for 4 s, then the retry; other hosts go on"""
    srv, d, first, second = retry_case(
        t, status(429, b"slow down\n", [("Retry-After", "4")]), 4)
    waited = second.t - first.t_end
    expect(waited >= 4 - SLACK, "retried after %.2f s, Retry-After: 4",
           waited)
    expect(waited < 4 + 2.5, "retried only after %.2f s", waited)
    # A request that starts within 0.1 s of the 429 may have been sent
    # before the daemon read it (the sibling's first poll can fall due
    # in the same millisecond); the sibling's next poll, a second later
    # at this interval, is inside the window if the host is not held.
    during = [e for e in srv.requests()
              if first.t_end + 0.1 < e.t < first.t_end + 4 - SLACK and
              e.host == "127.0.0.1"]
    expect(during == [], "requests to the rate-limited host during "
           "Retry-After: %r", during)
    expect(any(e.host == "localhost" and e.t > first.t_end + 0.5 and
               e.t < second.t for e in srv.requests("/ok.xml")),
           "another host was not polled while 127.0.0.1 waited")
    expect(re.search(r"warning: feed limited \(%s\): .*429.*\b4s\b" %
                     re.escape(t.url("/limited.xml")), d.stderr_text()),
           "the 429 and the wait are not logged:\n%s", d.stderr_text())


@harness.timing("a wait measured against the clock")
def test_429_retry_after_date(t):
    """429 with Retry-After as an HTTP-date 4 to 5 s ahead: no request to
    the feed before that date"""
    box = {}

    def limited(req, w):
        when = math.ceil(time.time()) + 4
        box["when"] = when
        w.respond(429, b"slow down\n",
                  [("Retry-After", email.utils.formatdate(when,
                                                          usegmt=True))])
    srv, d, first, second = retry_case(t, limited, 5)
    expect(second.wall >= box["when"] - SLACK,
           "retried %.2f s before the Retry-After date",
           box["when"] - second.wall)
    expect(second.wall < box["when"] + 2.5, "retried %.2f s after the date",
           second.wall - box["when"])


def test_503_retry_after(t):
    """503 with Retry-After: 3: the feed waits 3 s (and is not failed for
    good)"""
    srv, d, first, second = retry_case(
        t, status(503, b"maintenance\n", [("Retry-After", "3")]), 3)
    waited = second.t - first.t_end
    expect(waited >= 3 - SLACK, "retried after %.2f s, Retry-After: 3",
           waited)
    expect(waited < 3 + 2.5, "retried only after %.2f s", waited)


def test_500_backoff(t):
    """a feed answering 500: retries ever further apart (doubling, with
    at most 25 % jitter), logged; a healthy feed on the same host keeps
    its interval"""
    srv = t.serve({"/err.xml": status(500, b"oops\n"),
                   "/ok.xml": feed(rss("OK", ["fine"]))})
    cfg, _ = t.config(settings={"interval": "1s"},
                      feeds={"err": t.url("/err.xml"),
                             "healthy": t.url("/ok.xml")})
    d = t.daemon(cfg)
    srv.wait_count("/err.xml", 4, 14)
    rc, _ = d.stop()
    expect(rc == 0, "exit %s", rc)
    g = gaps(srv.requests("/err.xml"))[:3]
    expect(g[1] > INTERVAL and g[2] > INTERVAL,
           "retries of a failing feed %r s apart, the interval is %.0f s",
           g, INTERVAL)
    expect(g[1] > 1.3 * g[0] and g[2] > 1.3 * g[1],
           "the retries do not back off: %r", g)
    expect(g[2] >= 0.75 * 4 * INTERVAL - SLACK,
           "third retry after %.2f s, expected 3 to 4", g[2])
    ok = srv.requests("/ok.xml")
    expect(len(ok) >= 4 and max(gaps(ok)) < 2.0,
           "the healthy feed polled %d times, gaps %r", len(ok), gaps(ok))
    expect(re.search(r"warning: feed err \(%s\): HTTP 500, will retry in" %
                     re.escape(t.url("/err.xml")), d.stderr_text()),
           "not logged:\n%s", d.stderr_text())


def test_500_first_retry_not_early(t):
    """the first retry after a 500 comes later than the normal interval
    (five failing feeds, so that jitter cannot pass it by luck)"""
    srv = t.serve({"/ok.xml": feed(rss("OK", ["fine"]))})
    feeds = {"healthy": t.url("/ok.xml")}
    for i in range(5):
        srv.route("/err%d.xml" % i, status(500, b"oops\n"))
        feeds["err%d" % i] = t.url("/err%d.xml" % i)
    cfg, _ = t.config(settings={"interval": "1s"}, feeds=feeds)
    d = t.daemon(cfg)
    srv.wait_for(lambda log: all(
        sum(1 for e in log if e.path == "/err%d.xml" % i) >= 2
        for i in range(5)), 8, "two requests of each failing feed")
    d.stop()
    first = [gaps(srv.requests("/err%d.xml" % i)[:2])[0] for i in range(5)]
    expect(min(first) > INTERVAL, "first retries %s s after the 500; the "
           "interval is %.0f s", ", ".join("%.2f" % g for g in first),
           INTERVAL)
    expect(d.items.titles("healthy") == ["fine"], "healthy delivered %r",
           d.items.titles("healthy"))


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
