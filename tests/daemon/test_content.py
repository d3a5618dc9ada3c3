#!/usr/bin/python3
"""What the body says, and how it arrives: a wrong Content-Type, a body
cut short, a connection reset, HTML instead of a feed, a charset given only
in the Content-Type header."""

import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import atom, feed, reset, rss, truncated  # noqa: E402

# Long enough that "half of it" is a real cut, not a few bytes.
LONG = rss("Long", ["item number %d %s" % (i, "x" * 200) for i in range(40)])


def test_wrong_content_type(t):
    """text/plain, application/octet-stream and text/html labels on valid
    feeds: all parsed"""
    t.serve({
        "/plain.xml": feed(rss("P", ["p1", "p2"]), ctype="text/plain"),
        "/octet.xml": feed(atom("O", ["o1"]),
                           ctype="application/octet-stream"),
        "/html.xml": feed(rss("H", ["h1"]), ctype="text/html"),
        "/none.xml": feed(rss("N", ["n1"]), ctype="x"),
    })
    cfg, _ = t.config(feeds={"plain": t.url("/plain.xml"),
                             "octet": t.url("/octet.xml"),
                             "htmllabel": t.url("/html.xml"),
                             "odd": t.url("/none.xml")})
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("plain", ["p1", "p2"])
    r.expect_titles("octet", ["o1"])
    r.expect_titles("htmllabel", ["h1"])
    r.expect_titles("odd", ["n1"])


def test_truncated_body(t):
    """Content-Length larger than what is sent, then the connection
    closes: a failure, no items from the partial body"""
    srv = t.serve({
        "/cut.xml": truncated(LONG, send=len(LONG) // 2,
                              declared=len(LONG)),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"cut": t.url("/cut.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("cut", t.url("/cut.xml"))
    expect(r.items.of("cut") == [], "items from a truncated body: %r",
           r.items.titles("cut"))
    r.expect_titles("healthy", ["fine"])
    (e,) = srv.requests("/cut.xml")
    expect(e.bytes_sent == len(LONG.encode()) // 2, "sent %d", e.bytes_sent)


def test_connection_reset(t):
    """a TCP reset in the middle of the body: a failure, no items"""
    t.serve({
        "/reset.xml": reset(LONG, send=len(LONG) // 2),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"reset": t.url("/reset.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("reset", t.url("/reset.xml"))
    expect(r.items.of("reset") == [], "items from a reset transfer: %r",
           r.items.titles("reset"))
    r.expect_titles("healthy", ["fine"])


def test_html_not_a_feed(t):
    """an HTML page: failure "not a feed", named"""
    page = ("<!DOCTYPE html><html><head><title>Welcome</title></head>"
            "<body><h1>Our blog</h1><p>Subscribe!</p></body></html>")
    t.serve({
        "/page": feed(page, ctype="text/html; charset=utf-8"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"page": t.url("/page"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("page", t.url("/page"), "not a feed")
    expect(r.items.of("page") == [], "items from HTML")
    r.expect_titles("healthy", ["fine"])


RUSSIAN = ["Привет, мир", "Ёжик в тумане", "Щука, рыба: ЪЭЮЯ"]


def test_charset_from_header(t):
    """koi8-r and windows-1251 bytes, the charset only in Content-Type
    (quoted or not; the XML declaration silent): titles right"""
    def doc(title, enc):
        return rss(title, RUSSIAN).encode(enc)
    t.serve({
        "/koi8.xml": feed(doc("Новости КОИ", "koi8-r"),
                          ctype="application/rss+xml; charset=koi8-r"),
        "/cp1251.xml": feed(doc("Новости Windows", "cp1251"),
                            ctype='text/xml;charset="windows-1251"'),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"koi8": t.url("/koi8.xml"),
                             "cp1251": t.url("/cp1251.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("koi8", RUSSIAN)
    r.expect_titles("cp1251", RUSSIAN)
    r.expect_titles("healthy", ["fine"])


def test_charset_header_beats_declaration(t):
    """koi8-r bytes, header charset=koi8-r, the XML declaration wrongly
    says windows-1252: the HTTP charset wins (ARCHITECTURE.md, RFC 7303)"""
    body = rss("Новости", RUSSIAN, encoding="windows-1252").encode("koi8-r")
    t.serve({"/koi8.xml": feed(body, ctype="application/xml; "
                               "charset=KOI8-R"),
             "/ok.xml": feed(rss("OK", ["fine"]))})
    cfg, _ = t.config(feeds={"koi8": t.url("/koi8.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("koi8", RUSSIAN)
    r.expect_titles("healthy", ["fine"])


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
