#!/usr/bin/python3
"""Redirects and 410 across polls (`run` mode): after 301 or 308 the new
URL is polled and the log says so; 302 and 307 keep the old one; 410 is
polled once, never again, and logged."""

import re
import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import feed, redirect, rss, status  # noqa: E402


def test_moved_and_gone(t):
    """301/308 (and a 301+308 chain) move the feed; 302/307 do not; 410
    stops polling"""
    srv = t.serve({
        "/old301": redirect(301, "/new301.xml"),
        "/new301.xml": feed(rss("N301", ["n301"])),
        "/new308.xml": feed(rss("N308", ["n308"])),
        "/old2hop": redirect(301, "/mid2hop"),
        "/mid2hop": redirect(308, "/new2hop.xml"),
        "/new2hop.xml": feed(rss("N2", ["n2"])),
        "/old302": redirect(302, "/new302.xml"),
        "/new302.xml": feed(rss("N302", ["n302"])),
        "/old307": redirect(307, "/new307.xml"),
        "/new307.xml": feed(rss("N307", ["n307"])),
        "/gone": status(410, b"gone\n"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    srv.route("/old308", redirect(308, t.url("/new308.xml")))
    cfg, _ = t.config(settings={"interval": "1s"}, feeds={
        "m301": t.url("/old301"), "m308": t.url("/old308"),
        "m2hop": t.url("/old2hop"),
        "t302": t.url("/old302"), "t307": t.url("/old307"),
        "gone": t.url("/gone"), "healthy": t.url("/ok.xml")})
    d = t.daemon(cfg)

    def enough(log):
        def n(p):
            return sum(1 for e in log if e.path == p and e.done)
        if not (n("/new301.xml") >= 2 and n("/new308.xml") >= 2 and
                n("/new2hop.xml") >= 2 and n("/old302") >= 2 and
                n("/old307") >= 2 and n("/gone") >= 1):
            return False
        # Two intervals at least after the 410, seen by the healthy feed.
        t410 = min(e.t for e in log if e.path == "/gone")
        return sum(1 for e in log
                   if e.path == "/ok.xml" and e.t > t410 + 0.2) >= 3
    srv.wait_for(enough, 20, "two polls of every feed, three intervals "
                 "after the 410")
    rc, _ = d.stop()
    expect(rc == 0, "exit %s", rc)

    for old, new in (("/old301", "/new301.xml"), ("/old308", "/new308.xml"),
                     ("/old2hop", "/new2hop.xml")):
        expect(srv.count(old) == 1, "%s requested %d times after a "
               "permanent redirect (the new URL is %s)", old,
               srv.count(old), new)
    expect(srv.count("/mid2hop") == 1, "/mid2hop asked %d times",
           srv.count("/mid2hop"))
    for old, new in (("/old302", "/new302.xml"), ("/old307", "/new307.xml")):
        expect(srv.count(old) >= 2 and srv.count(old) == srv.count(new),
               "temporary redirect: %s %d times, %s %d times", old,
               srv.count(old), new, srv.count(new))
    expect(srv.count("/gone") == 1, "410 polled %d times",
           srv.count("/gone"))

    err = d.stderr_text()
    for name, old, new in (("m301", "/old301", "/new301.xml"),
                           ("m308", "/old308", "/new308.xml"),
                           ("m2hop", "/old2hop", "/new2hop.xml")):
        pat = r"feed %s: moved permanently from %s to %s" % (
            name, re.escape(t.url(old)), re.escape(t.url(new)))
        expect(re.search(pat, err), "no %r in the log:\n%s", pat, err)
        expect(len(re.findall(r"feed %s: moved permanently" % name, err))
               == 1, "the move of %s logged more than once", name)
    for name in ("t302", "t307"):
        expect("feed %s: moved" % name not in err,
               "a temporary redirect logged as a move:\n%s", err)
    expect(re.search(r"warning: feed gone \(%s\): 410 Gone, polling "
                     r"stopped" % re.escape(t.url("/gone")), err),
           "410 not logged:\n%s", err)
    items = d.items
    for name, title in (("m301", "n301"), ("m308", "n308"), ("m2hop", "n2"),
                        ("t302", "n302"), ("t307", "n307"),
                        ("healthy", "fine")):
        expect(items.titles(name) == [title], "%s delivered %r", name,
               items.titles(name))


def test_gone_once(t):
    """in `once`, a 410 is a failure, named"""
    t.serve({"/gone": status(410), "/ok.xml": feed(rss("OK", ["fine"]))})
    cfg, _ = t.config(feeds={"gone": t.url("/gone"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("gone", t.url("/gone"), "410")
    r.expect_titles("healthy", ["fine"])


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
