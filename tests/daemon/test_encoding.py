#!/usr/bin/python3
"""Content-Encoding: gzip, deflate and brotli bodies are decoded."""

import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import feed, rss  # noqa: E402

TITLES = ["compressed %d" % i for i in range(5)]


def test_gzip_deflate(t):
    """gzip and deflate answers (sent only when asked for) are decoded"""
    srv = t.serve({
        "/gz.xml": feed(rss("GZ", TITLES), encoding="gzip"),
        "/deflate.xml": feed(rss("DF", TITLES), encoding="deflate"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"gz": t.url("/gz.xml"),
                             "deflate": t.url("/deflate.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("gz", TITLES)
    r.expect_titles("deflate", TITLES)
    r.expect_titles("healthy", ["fine"])
    for path in ("/gz.xml", "/deflate.xml"):
        (e,) = srv.requests(path)
        expect(e.status == 200, "%s answered %s (not asked for the "
               "encoding?): %r", path, e.status, e.headers)


@harness.needs_brotli
def test_brotli(t):
    """br answers are decoded (skipped without python3-brotli)"""
    srv = t.serve({
        "/br.xml": feed(rss("BR", TITLES), encoding="br"),
        "/ok.xml": feed(rss("OK", ["fine"])),
    })
    cfg, _ = t.config(feeds={"br": t.url("/br.xml"),
                             "healthy": t.url("/ok.xml")})
    r = t.once(cfg)
    (e,) = srv.requests("/br.xml")
    expect(e.status == 200, "br not in Accept-Encoding: %r",
           e.header("Accept-Encoding"))
    r.expect_rc(0)
    r.expect_titles("br", TITLES)
    r.expect_titles("healthy", ["fine"])


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
