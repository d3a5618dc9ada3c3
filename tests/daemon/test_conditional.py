#!/usr/bin/python3
"""Conditional GET in `run` mode: the validators of a 200 come back on the
next polls byte for byte (If-None-Match, If-Modified-Since), a 304 keeps
them and delivers nothing, a new ETag replaces the old one, and a body
that did not change is not delivered again."""

import re
import signal
import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect, gaps  # noqa: E402
from server import conditional, feed, rss  # noqa: E402

ETAG = 'W/"feed-1;v=2, x"'
LM = "Sat, 01 Jan 2022 00:00:00 GMT"
ETAG_ONLY = '"0123456789abcdef"'
LM_RFC850 = "Saturday, 01-Jan-22 10:11:12 GMT"
V1, V2 = '"v1"', '"v2"'
INTERVAL = 1.0
POLLS = 3


def changing(req, w):
    """v1 with one item; then, asked with v1, v2 with two; then 304 for
    v2.  A request with anything else gets 412, which fails the feed."""
    inm = req.header("If-None-Match")
    if req.n == 1 and inm is None:
        w.respond(200, rss("C", ["c1"]).encode(),
                  [("Content-Type", "application/rss+xml"), ("ETag", V1)])
    elif req.n == 2 and inm == V1:
        w.respond(200, rss("C", ["c1", "c2"]).encode(),
                  [("Content-Type", "application/rss+xml"), ("ETag", V2)])
    elif req.n >= 3 and inm == V2:
        w.respond(304, b"", [("ETag", V2)])
    else:
        w.respond(412, b"unexpected validators\n")


def test_conditional_get(t):
    """exact validators on every later poll; 304s deliver nothing"""
    srv = t.serve({
        "/both.xml": conditional(rss("Both", ["b1", "b2"]), etag=ETAG,
                                 last_modified=LM),
        "/etag.xml": conditional(rss("E", ["e1"]), etag=ETAG_ONLY,
                                 validators_on_304=True),
        "/lm.xml": conditional(rss("L", ["l1"]), last_modified=LM_RFC850),
        "/changing.xml": changing,
        "/plain.xml": feed(rss("Plain", ["p1", "p2"])),
    })
    cfg, _ = t.config(settings={"interval": "1s", "min_interval": "1s"},
                      feeds={"both": t.url("/both.xml"),
                             "etag": t.url("/etag.xml"),
                             "lm": t.url("/lm.xml"),
                             "changing": t.url("/changing.xml"),
                             "plain": t.url("/plain.xml")})
    d = t.daemon(cfg)
    want = ["/both.xml", "/etag.xml", "/lm.xml", "/changing.xml",
            "/plain.xml"]
    srv.wait_for(lambda log: all(
        sum(1 for e in log if e.path == p and e.done) >= POLLS
        for p in want), 15, "%d polls of each feed" % POLLS)
    rc, secs = d.stop()
    expect(rc == 0, "exit %s after SIGTERM", rc)

    both = srv.requests("/both.xml")
    expect(both[0].header("If-None-Match") is None and
           both[0].header("If-Modified-Since") is None,
           "validators on the first request: %r", both[0].headers)
    for e in both[1:]:
        expect(e.header("If-None-Match") == ETAG,
               "If-None-Match %r, expected %r", e.header("If-None-Match"),
               ETAG)
        expect(e.header("If-Modified-Since") == LM,
               "If-Modified-Since %r, expected %r",
               e.header("If-Modified-Since"), LM)
        expect(e.status == 304, "answered %s", e.status)

    for e in srv.requests("/etag.xml")[1:]:
        expect(e.header("If-None-Match") == ETAG_ONLY,
               "If-None-Match %r", e.header("If-None-Match"))
        expect(e.header("If-Modified-Since") is None,
               "If-Modified-Since without a Last-Modified: %r",
               e.header("If-Modified-Since"))
    for e in srv.requests("/lm.xml")[1:]:
        expect(e.header("If-Modified-Since") == LM_RFC850,
               "If-Modified-Since %r, expected the bytes sent, %r",
               e.header("If-Modified-Since"), LM_RFC850)
        expect(e.header("If-None-Match") is None,
               "If-None-Match without an ETag: %r",
               e.header("If-None-Match"))
    ch = srv.requests("/changing.xml")
    expect([e.status for e in ch[:3]] == [200, 200, 304],
           "the changing feed was answered %r (412: wrong validators): %r",
           [e.status for e in ch], [e.header("If-None-Match") for e in ch])

    items = d.items
    expect(items.titles("both") == ["b1", "b2"],
           "both: delivered %r (304s must deliver nothing)",
           items.titles("both"))
    expect(items.titles("etag") == ["e1"], "etag: %r", items.titles("etag"))
    expect(items.titles("lm") == ["l1"], "lm: %r", items.titles("lm"))
    expect(items.titles("changing") == ["c1", "c2"],
           "changing: each item once, the new version's too: %r",
           items.titles("changing"))
    expect(items.titles("plain") == ["p1", "p2"],
           "plain: an unchanged body was delivered again: %r",
           items.titles("plain"))
    err = d.stderr_text()
    expect("warning" not in err and "error" not in err,
           "warnings on stderr:\n%s", err)
    # A 304, or a body whose hash did not change, is not parsed again.
    for name in ("both", "etag", "lm", "plain"):
        parsed = re.findall(r"feed %s: \d+ items" % name, err)
        expect(len(parsed) == 1, "feed %s parsed %d times in %d polls",
               name, len(parsed), POLLS)
    expect(len(re.findall(r"feed changing: \d+ items", err)) == 2,
           "the changing feed was not parsed twice:\n%s", err)
    # Polled at the interval, not faster (jitter is at most 10 %).
    for p in want:
        g = gaps(srv.requests(p))
        expect(min(g) >= 0.85 * INTERVAL, "%s polled every %r s", p, g)


def test_sigterm_idle(t):
    """SIGTERM while idle: exit 0 promptly; SIGINT likewise"""
    t.serve({"/a.xml": feed(rss("A", ["a"]))})
    for sig in (signal.SIGTERM, signal.SIGINT):
        # A state of its own: the first poll is now, and parses.
        cfg, _ = t.config(settings={"interval": "1s"},
                          feeds={"alpha": t.url("/a.xml")},
                          name="sig%d.ini" % sig, data="sig%d" % sig)
        n0 = t.server.count("/a.xml")
        d = t.daemon(cfg)
        t.server.wait_count("/a.xml", n0 + 1, 10, done=True)
        d.wait_stderr(r"feed alpha: 1 items", 5)
        d.signal(sig)
        rc, secs = d.wait(5)
        expect(rc == 0, "exit %s after signal %d", rc, sig)
        expect(secs < 2, "took %.1f s to stop", secs)


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
