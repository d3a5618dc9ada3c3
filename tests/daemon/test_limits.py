#!/usr/bin/python3
"""Hard limits: a slow drip past the timeout, an endless body, a body
declared too big, gzip and brotli bombs past max_size; each fails alone,
named, and the transfer is dropped (the server sees the client leave)."""

import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import bomb, declared_too_big, drip, endless, feed, rss  # noqa: E402

MAX = 64 * 1024
INFLATED = 16 * 1024 * 1024


def near_cap_doc():
    """A valid feed of a little under 64 KiB."""
    items = ["near the cap %d %s" % (i, "y" * 900) for i in range(30)]
    doc = rss("Near", items).encode()
    assert 50 * 1024 < len(doc) < MAX, len(doc)
    return doc, items


@harness.timing("a timeout measured in seconds")
def test_slow_drip_timeout(t):
    """a body dripping for 20 s with timeout = 2s: fails "timeout" after
    about 2 s, and the connection is dropped"""
    srv = t.serve({
        "/drip.xml": drip(rss("Drip", ["never"]), total_seconds=20),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(settings={"timeout": "2s"},
                      feeds={"drip": t.url("/drip.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg, timeout=20)
    r.expect_rc(1)
    r.expect_failed("drip", t.url("/drip.xml"), "timeout")
    r.expect_titles("healthy", ["fine"])
    expect(r.items.of("drip") == [], "items from a timed-out transfer")
    expect(1.8 <= r.elapsed < 6, "once took %.2f s with timeout = 2s",
           r.elapsed)
    (e,) = srv.wait_count("/drip.xml", 1, 5, done=True)
    expect(e.client_gone, "the server did not see the client leave: %r", e)


def test_endless_body(t):
    """a chunked body that never ends, max_size = 64K: fails "too big", and
    the daemon stops reading (the server sees it leave early)"""
    near, near_items = near_cap_doc()
    srv = t.serve({
        "/endless.xml": endless(),
        "/near.xml": feed(near),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(settings={"max_size": "64K"},
                      feeds={"endless": t.url("/endless.xml"),
                             "near": t.url("/near.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg, timeout=20)
    r.expect_rc(1)
    r.expect_failed("endless", t.url("/endless.xml"), "too big")
    r.expect_titles("healthy", ["fine"])
    r.expect_titles("near", near_items)
    (e,) = srv.wait_count("/endless.xml", 1, 10, done=True)
    expect(e.client_gone, "the server never saw the client leave: %r", e)
    expect(e.bytes_sent < 16 * 1024 * 1024,
           "the server could send %d bytes before the client left",
           e.bytes_sent)


@harness.timing("how fast a refusal comes")
def test_declared_too_big(t):
    """Content-Length: 100 MiB with max_size = 64K: fails "too big" at once
    (no waiting for a body that never comes)"""
    t.serve({
        "/huge.xml": declared_too_big(100 * 1024 * 1024),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(settings={"max_size": "64K", "timeout": "20s"},
                      feeds={"huge": t.url("/huge.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg, timeout=30)
    r.expect_rc(1)
    r.expect_failed("huge", t.url("/huge.xml"), "too big")
    r.expect_titles("healthy", ["fine"])
    expect(r.elapsed < 10, "once took %.1f s", r.elapsed)


def test_gzip_bomb(t):
    """a gzip body of a few KiB that inflates to 16 MiB: fails "too big"
    (the cap holds after decompression); a gzipped feed under the cap
    is fine"""
    near, near_items = near_cap_doc()
    b = bomb("gzip", INFLATED)
    expect(b.compressed_size < MAX // 2, "the bomb is %d bytes",
           b.compressed_size)
    t.serve({
        "/bomb.xml": b,
        "/near.xml": feed(near, encoding="gzip"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(settings={"max_size": "64K"},
                      feeds={"bomb": t.url("/bomb.xml"),
                             "near": t.url("/near.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg, timeout=20)
    r.expect_rc(1)
    r.expect_failed("bomb", t.url("/bomb.xml"), "too big")
    r.expect_titles("near", near_items)
    r.expect_titles("healthy", ["fine"])


@harness.needs_brotli
def test_brotli_bomb(t):
    """the same with Content-Encoding: br (skipped without
    python3-brotli)"""
    b = bomb("br", INFLATED)
    t.serve({"/bomb.xml": b, "/ok.xml": feed(rss("OK", ["fine"]))})
    cfg, _ = t.config(settings={"max_size": "64K"},
                      feeds={"bomb": t.url("/bomb.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg, timeout=20)
    r.expect_rc(1)
    r.expect_failed("bomb", t.url("/bomb.xml"), "too big")
    r.expect_titles("healthy", ["fine"])


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
