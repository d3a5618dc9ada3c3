#!/usr/bin/python3
"""Redirects in one poll: a chain of three hops works, a loop fails named,
a redirect to file:// or ftp:// is refused."""

import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect, paths  # noqa: E402
from server import feed, redirect, rss  # noqa: E402

CHAIN_DOC = rss("Chain", [("first", "first.html"), ("second",
                                                    "/abs/second.html")])


def chain_routes(t_url):
    return {
        "/r1": redirect(302, t_url("/r2")),
        "/r2": redirect(307, "/r3"),               # a relative Location
        "/r3": redirect(303, t_url("/feeds/final/chain.xml")),
        "/feeds/final/chain.xml": feed(CHAIN_DOC),
    }


def test_chain_of_three(t):
    """302 -> 307 (relative Location) -> 303 -> the feed: fetched"""
    srv = t.serve({})
    for path, route in chain_routes(t.url).items():
        srv.route(path, route)
    srv.route("/ok.xml", feed(rss("OK", ["fine"])))
    cfg, _ = t.config(feeds={"chain": t.url("/r1"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("chain", ["first", "second"])
    r.expect_titles("healthy", ["fine"])
    got = [p for p in paths(srv.requests()) if p != "/ok.xml"]
    expect(got == ["/r1", "/r2", "/r3", "/feeds/final/chain.xml"],
           "requests: %r", got)


def test_chain_base_url(t):
    """relative links in a redirected document resolve against the URL it
    was read from (RFC 3986 5.1.3), not the first one"""
    srv = t.serve({})
    for path, route in chain_routes(t.url).items():
        srv.route(path, route)
    cfg, _ = t.config(feeds={"chain": t.url("/r1")})
    r = t.once(cfg)
    r.expect_rc(0)
    urls = sorted(i.get("url") for i in r.items.of("chain"))
    expect(urls == [t.url("/abs/second.html"),
                    t.url("/feeds/final/first.html")],
           "item URLs %r", urls)


def test_redirect_loop(t):
    """/loop-a -> /loop-b -> /loop-a...: fails "redirect", named, after a
    bounded number of requests"""
    srv = t.serve({
        "/loop-a": redirect(302, "/loop-b"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    srv.route("/loop-b", redirect(301, t.url("/loop-a")))
    cfg, _ = t.config(feeds={"loop": t.url("/loop-a"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("loop", t.url("/loop-a"), "redirect")
    r.expect_titles("healthy", ["fine"])
    n = srv.count("/loop-a") + srv.count("/loop-b")
    expect(3 <= n <= 11, "%d requests in the loop", n)


def test_redirect_to_file(t):
    """Location: file:///etc/passwd is refused, named"""
    t.serve({
        "/to-file": redirect(302, "file:///etc/passwd"),
        "/to-file-301": redirect(301, "file:///etc/hostname"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"tofile": t.url("/to-file"),
                             "tofile301": t.url("/to-file-301"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("tofile", t.url("/to-file"), "redirect")
    r.expect_failed("tofile301", t.url("/to-file-301"), "redirect")
    r.expect_titles("healthy", ["fine"])
    expect("root:" not in r.out and "root:" not in r.err,
           "/etc/passwd leaked")


@harness.timing("how fast a refusal comes")
def test_redirect_to_ftp(t):
    """Location: ftp://... is refused, named (nothing connects to it)"""
    srv = t.serve({"/ok.xml": feed(rss("OK", ["fine"]))})
    ftp = "ftp://127.0.0.1:%d/feed.xml" % srv.port
    srv.route("/to-ftp", redirect(302, ftp))
    srv.route("/to-gopher", redirect(308, "gopher://127.0.0.1:%d/1"
                                     % srv.port))
    cfg, _ = t.config(settings={"timeout": "5s"},
                      feeds={"toftp": t.url("/to-ftp"),
                             "togopher": t.url("/to-gopher"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("toftp", t.url("/to-ftp"), "redirect")
    r.expect_failed("togopher", t.url("/to-gopher"), "redirect")
    r.expect_titles("healthy", ["fine"])
    expect(sorted(paths(srv.requests())) == ["/ok.xml", "/to-ftp",
                                             "/to-gopher"],
           "requests %r", paths(srv.requests()))
    expect(r.elapsed < 4, "once took %.1f s: did it try the ftp server?",
           r.elapsed)


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
