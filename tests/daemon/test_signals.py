#!/usr/bin/python3
"""Signals to `feedspool run`: SIGHUP reloads (a new feed is polled, a
removed one stops, a broken file is refused with file:line and the old
feeds go on); SIGTERM while a slow transfer is in flight exits 0 within
the grace period (10 s)."""

import re
import signal
import sys
import time

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import conditional, drip, feed, rss  # noqa: E402

LM = "Sat, 01 Jan 2022 00:00:00 GMT"

GRACE = 10.0


def test_sighup_reload(t):
    """SIGHUP: a new feed gets fetched; a broken file is refused (file:line
    logged) and the old feeds keep going; a removed feed stops, and comes
    back when it is listed again"""
    srv = t.serve({
        "/a.xml": feed(rss("A", ["a1"])),
        "/b.xml": feed(rss("B", ["b1"])),
        "/g.xml": feed(rss("G", ["g1"])),
    })
    settings = {"interval": "1s"}
    cfg, _ = t.config(settings, {"alpha": t.url("/a.xml")})
    d = t.daemon(cfg)
    srv.wait_count("/a.xml", 1, 5, done=True)
    expect(srv.count("/b.xml") == 0, "beta polled before it exists")

    # 1. A feed added.
    t.config(settings, {"alpha": t.url("/a.xml"), "beta": t.url("/b.xml")})
    d.signal(signal.SIGHUP)
    d.wait_stderr(r"configuration reloaded: 2 feeds", 5)
    srv.wait_count("/b.xml", 1, 4, done=True)
    d.wait_stderr(r"feed beta: 1 items", 3)

    # 2. A broken file: refused, named with its line; gamma never comes.
    _, text = t.config(settings, {"alpha": t.url("/a.xml"),
                                  "beta": {"url": t.url("/b.xml"),
                                           "colour": "red"},
                                  "gamma": t.url("/g.xml")})
    line = harness.line_of(text, "colour = red")
    d.signal(signal.SIGHUP)
    d.wait_stderr(r"^%s:%d: .*colour" % (re.escape(cfg), line), 5)
    t_refused, _ = d.wait_stderr(
        r"configuration refused, keeping the old one", 5)
    expect(d.alive(), "the daemon died on a bad configuration")
    for path in ("/a.xml", "/b.xml"):
        srv.wait_for(lambda log, p=path: sum(
            1 for e in log if e.path == p and e.t > t_refused) >= 2, 6,
            "two polls of %s after the refusal" % path)
    expect(srv.count("/g.xml") == 0, "a feed from a refused file was "
           "polled")

    # 3. A feed removed.
    t.config(settings, {"alpha": t.url("/a.xml")})
    d.signal(signal.SIGHUP)
    t_removed, _ = d.wait_stderr(r"configuration reloaded: 1 feeds", 5,
                                 after=t_refused)
    d.wait_stderr(r"feed beta: removed", 2)
    srv.wait_for(lambda log: sum(
        1 for e in log if e.path == "/a.xml" and e.t > t_removed) >= 2, 6,
        "two polls of alpha after beta's removal")
    late = [e for e in srv.requests("/b.xml") if e.t > t_removed + 0.3]
    expect(late == [], "beta polled after its removal: %r", late)

    # 4. The removed feed back under its old name: a feed again.
    t.config(settings, {"alpha": t.url("/a.xml"), "beta": t.url("/b.xml")})
    d.signal(signal.SIGHUP)
    t_back, _ = d.wait_stderr(r"configuration reloaded: 2 feeds", 5,
                              after=t_removed)
    srv.wait_for(lambda log: sum(
        1 for e in log if e.path == "/b.xml" and e.t > t_back) >= 2, 6,
        "two polls of beta after it came back")

    rc, _ = d.stop()
    expect(rc == 0, "exit %s", rc)
    expect(d.items.titles("alpha") == ["a1"] and
           d.items.titles("beta") == ["b1"] and d.items.of("gamma") == [],
           "delivered: %r", [(i["feed"], i["title"]) for i in d.items.items])


def test_sighup_url_change(t):
    """SIGHUP with a feed's URL changed: the new URL is polled, without
    the old URL's validators"""
    srv = t.serve({
        "/v1.xml": conditional(rss("V1", ["old"]), etag='"one"',
                               last_modified=LM),
        "/v2.xml": conditional(rss("V2", ["new"]), etag='"two"'),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    settings = {"interval": "1s"}
    cfg, _ = t.config(settings, {"alpha": t.url("/v1.xml"),
                                 "healthy": t.url("/ok.xml")})
    d = t.daemon(cfg)
    srv.wait_count("/v1.xml", 2, 6, done=True)
    expect(srv.requests("/v1.xml")[1].header("If-None-Match") == '"one"',
           "the validators did not come back on /v1.xml")
    t.config(settings, {"alpha": t.url("/v2.xml"),
                        "healthy": t.url("/ok.xml")})
    d.signal(signal.SIGHUP)
    t_reload, _ = d.wait_stderr(r"configuration reloaded: 2 feeds", 5)
    v2 = srv.wait_count("/v2.xml", 2, 6, done=True)
    expect(v2[0].header("If-None-Match") is None and
           v2[0].header("If-Modified-Since") is None,
           "the new URL was asked with the old validators: %r",
           v2[0].headers)
    expect(v2[1].header("If-None-Match") == '"two"',
           "the new URL's own validator did not come back: %r",
           v2[1].headers)
    late = [e for e in srv.requests("/v1.xml") if e.t > t_reload + 0.3]
    expect(late == [], "the old URL still polled: %r", late)
    rc, _ = d.stop()
    expect(rc == 0, "exit %s", rc)
    expect(d.items.titles("alpha") == ["new", "old"],
           "alpha delivered %r", d.items.titles("alpha"))
    expect(d.items.titles("healthy") == ["fine"],
           "healthy delivered %r", d.items.titles("healthy"))


def slow_case(t, drip_seconds):
    srv = t.serve({
        "/slow.xml": drip(rss("Slow", ["slow item"]), drip_seconds),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config({"interval": "1s", "timeout": "1m"},
                      {"slow": t.url("/slow.xml"),
                       "healthy": t.url("/ok.xml")})
    d = t.daemon(cfg)
    srv.wait_count("/ok.xml", 1, 5, done=True)
    srv.wait_for(lambda log: any(e.path == "/slow.xml" and
                                 e.bytes_sent > 0 for e in log), 5,
                 "the slow transfer under way")
    (slow,) = srv.requests("/slow.xml")
    expect(not slow.done, "the slow transfer ended early: %r", slow)
    t_term = time.monotonic()
    d.signal(signal.SIGTERM)
    return srv, d, slow, t_term


def test_sigterm_waits_for_transfer(t):
    """SIGTERM during a 3 s transfer: it may finish (and its items are
    delivered), nothing new starts, exit 0"""
    srv, d, slow, t_term = slow_case(t, 3.0)
    rc, secs = d.wait(GRACE + 3)
    expect(rc == 0, "exit %s after SIGTERM", rc)
    srv.wait_for(lambda log: slow.done, 2, "the slow route to end")
    expect(not slow.client_gone,
           "the transfer in flight was not allowed to finish: %r", slow)
    expect(secs < GRACE, "took %.1f s to stop", secs)
    d.wait_stderr(r"waiting up to 10 s for [12] transfers", 0)
    expect(d.items.titles("slow") == ["slow item"],
           "the finished transfer was not delivered: %r",
           d.items.titles("slow"))
    # A transfer the daemon started just before the signal may arrive a
    # little after it; anything later is new.
    late = [e for e in srv.requests() if e.t > t_term + 0.5]
    expect(late == [], "new requests after SIGTERM: %r", late)


def test_sigterm_grace_period(t):
    """SIGTERM during a 25 s transfer: cancelled when the grace period
    (10 s) is over, exit 0 within it"""
    srv, d, slow, t_term = slow_case(t, 25.0)
    rc, secs = d.wait(GRACE + 5)
    expect(rc == 0, "exit %s after SIGTERM", rc)
    expect(secs <= GRACE + 2.0, "took %.1f s to stop; the grace period "
           "is %.0f s", secs, GRACE)
    expect(secs >= GRACE - 1.0, "stopped after %.1f s: the transfer did "
           "not get its grace period", secs)
    d.wait_stderr(r"cancelling", 0)
    expect(d.items.of("slow") == [], "items from a cancelled transfer")
    srv.wait_for(lambda log: slow.done, 3, "the slow route to end")
    expect(slow.client_gone, "the server did not see the client leave")
    # A transfer the daemon started just before the signal may arrive a
    # little after it; anything later is new.
    late = [e for e in srv.requests() if e.t > t_term + 0.5]
    expect(late == [], "new requests after SIGTERM: %r", late)


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
