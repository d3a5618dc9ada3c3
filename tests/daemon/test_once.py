#!/usr/bin/python3
"""`feedspool once` and `check`: exit codes, the failure list on stderr,
configuration errors with file:line, and what a request looks like."""

import socket
import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import feed, item_url, rss, status  # noqa: E402


def unused_port():
    """A port nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_all_ok(t):
    """every feed fetched: exit 0, articles in the spool, no failure list"""
    srv = t.serve({
        "/a.xml": feed(rss("A", ["a1", "a2"])),
        "/b.xml": feed(rss("B", ["b1"])),
    })
    cfg, _ = t.config(feeds={"alpha": t.url("/a.xml"),
                             "beta": t.url("/b.xml")})
    r = t.once(cfg)
    r.expect_rc(0)
    expect(r.failures() == {} and "failed" not in r.err,
           "stderr has failures:\n%s", r.err)
    r.expect_titles("alpha", ["a1", "a2"])
    r.expect_titles("beta", ["b1"])
    expect(r.items.feeds() == ["alpha", "beta"], "feeds %r",
           r.items.feeds())
    expect(srv.count("/a.xml") == 1 and srv.count("/b.xml") == 1,
           "each feed fetched once: %r", srv.requests())
    item = [i for i in r.items.of("alpha") if i["title"] == "a1"][0]
    expect(item.get("url") == item_url("A", 0), "item url: %r",
           item.get("url"))
    expect(item.get("feed_url") == t.url("/a.xml"), "feed_url: %r",
           item.get("feed_url"))


def test_some_failed(t):
    """exit 1, each failure on stderr with name, URL and reason; the
    healthy feed still delivered"""
    srv = t.serve({
        "/ok.xml": feed(rss("OK", ["fine"])),
        "/missing.xml": status(404, b"no\n"),
        "/broken.xml": status(500, b"oops\n"),
    })
    dead = "http://127.0.0.1:%d/feed.xml" % unused_port()
    cfg, _ = t.config(feeds={
        "healthy": t.url("/ok.xml"),
        "missing": t.url("/missing.xml"),
        "broken": t.url("/broken.xml"),
        "refused": {"url": dead, "connect_timeout": "2s"},
    })
    r = t.once(cfg)
    r.expect_rc(1)
    r.expect_failed("missing", t.url("/missing.xml"), "404")
    r.expect_failed("broken", t.url("/broken.xml"), "500")
    r.expect_failed("refused", dead, "connect")
    r.expect_not_failed("healthy")
    expect(len(r.failures()) == 3, "failures: %r", r.failures())
    r.expect_titles("healthy", ["fine"])
    expect(r.items.feeds() == ["healthy"], "feeds on stdout: %r",
           r.items.feeds())
    expect(srv.count("/missing.xml") == 1, "404 asked %d times",
           srv.count("/missing.xml"))


def test_request_headers(t):
    """User-Agent, Accept-Encoding, configured headers (a feed's header
    replacing a global one, "Name:" removing one), no validators on a
    first request"""
    srv = t.serve({"/h.xml": feed(rss("H", ["h"])),
                   "/g.xml": feed(rss("G", ["g"]))})
    cfg, _ = t.config(
        settings={"header": "X-Test: global"},
        feeds={
            "h": {"url": t.url("/h.xml"), "header": "X-Test: mine"},
            "g": {"url": t.url("/g.xml"), "user_agent": "tester/1.0",
                  "header": "Accept:"},
        })
    r = t.once(cfg)
    r.expect_rc(0)
    (h,) = srv.requests("/h.xml")
    (g,) = srv.requests("/g.xml")
    ua = h.header("User-Agent") or ""
    expect(ua.startswith("feedspool/"), "default User-Agent %r", ua)
    expect(g.header("User-Agent") == "tester/1.0", "user_agent: %r",
           g.header("User-Agent"))
    expect(h.header_all("X-Test") == ["mine"], "X-Test on h: %r",
           h.header_all("X-Test"))
    expect(g.header_all("X-Test") == ["global"], "X-Test on g: %r",
           g.header_all("X-Test"))
    expect(g.header("Accept") is None, "Accept: not removed: %r",
           g.header("Accept"))
    ae = [c.strip() for c in (h.header("Accept-Encoding") or "").split(",")]
    expect("gzip" in ae and "deflate" in ae, "Accept-Encoding %r", ae)
    for e in (h, g):
        expect(e.header("If-None-Match") is None and
               e.header("If-Modified-Since") is None,
               "validators on a first request: %r", e.headers)
        expect(e.method == "GET", "method %s", e.method)


def test_many_headers(t):
    """three configured headers (two global, one of the feed's own) all
    go out, once each"""
    srv = t.serve({"/h.xml": feed(rss("H", ["h"]))})
    cfg, _ = t.config(settings={"header": ["X-One: 1", "X-Two: 2"]},
                      feeds={"h": {"url": t.url("/h.xml"),
                                   "header": "X-Three: 3"}})
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("h", ["h"])
    (e,) = srv.requests("/h.xml")
    for name, value in (("X-One", "1"), ("X-Two", "2"), ("X-Three", "3")):
        expect(e.header_all(name) == [value], "%s: %r", name,
               e.header_all(name))


def test_disabled_feed(t):
    """enabled = no: never requested, not a failure"""
    srv = t.serve({"/on.xml": feed(rss("On", ["x"])),
                   "/off.xml": feed(rss("Off", ["y"]))})
    cfg, _ = t.config(feeds={
        "on": t.url("/on.xml"),
        "off": {"url": t.url("/off.xml"), "enabled": "no"},
    })
    r = t.once(cfg)
    r.expect_rc(0)
    r.expect_titles("on", ["x"])
    expect(srv.count("/off.xml") == 0, "a disabled feed was fetched")
    expect(r.items.of("off") == [], "items of a disabled feed")


def test_unknown_key(t):
    """an unknown key: exit 2, file:line on stderr, nothing fetched"""
    srv = t.serve({"/a.xml": feed(rss("A", ["a"]))})
    cfg, text = t.config(feeds={"alpha": {"url": t.url("/a.xml"),
                                          "colour": "blue"}})
    line = harness.line_of(text, "colour = blue")
    r = t.once(cfg)
    r.expect_rc(2)
    expect("%s:%d:" % (cfg, line) in r.err and "colour" in r.err,
           "stderr does not name %s:%d and the key:\n%s", cfg, line, r.err)
    expect(r.out == "", "stdout: %r", r.out)
    expect(srv.requests() == [], "fetched despite a bad configuration")


def test_bad_value(t):
    """a bad value (an interval without a unit): exit 2, file:line"""
    srv = t.serve({"/a.xml": feed(rss("A", ["a"]))})
    cfg, text = t.config(feeds={"alpha": {"url": t.url("/a.xml"),
                                          "interval": "5"}})
    line = harness.line_of(text, "interval = 5")
    r = t.once(cfg)
    r.expect_rc(2)
    expect("%s:%d:" % (cfg, line) in r.err,
           "stderr does not name %s:%d:\n%s", cfg, line, r.err)
    expect(srv.requests() == [], "fetched despite a bad configuration")


def test_missing_config(t):
    """no such file: exit 2, the file named"""
    cfg = t.dir + "/nothing-here.ini"
    r = t.once(cfg)
    r.expect_rc(2)
    expect(cfg in r.err, "stderr does not name the file:\n%s", r.err)


def test_check(t):
    """check: 0 and OK on a good file, non-zero with file:line on a bad
    one"""
    t.serve({})
    cfg, _ = t.config(feeds={"alpha": t.url("/a.xml")})
    r = t.run(["check", "-c", cfg])
    r.expect_rc(0)
    expect("OK, 1 feeds" in r.out, "check output:\n%s", r.out)
    bad, text = t.config(feeds={"alpha": t.url("/a.xml")},
                         extra="bogus = 1", name="bad.ini")
    line = harness.line_of(text, "bogus = 1")
    r = t.run(["check", "-c", bad])
    expect(r.rc not in (0, None), "check accepted a bad file")
    expect("%s:%d:" % (bad, line) in r.err, "no %s:%d in:\n%s", bad, line,
           r.err)


def test_one_daemon_per_state_dir(t):
    """a once while run holds the state directory exits 75 naming the
    other's pid, touches nothing; after run stops, once works"""
    srv = t.serve({"/a.xml": feed(rss("A", ["a1"]))})
    cfg, _ = t.config(settings={"interval": "1h"},
                      feeds={"alpha": t.url("/a.xml")})
    d = t.daemon(cfg)
    d.wait_stderr(r"running: 1 feeds", 10)
    r = t.run(["once", "-c", cfg])
    expect(r.rc == 75, "second daemon: exit %s, want 75\n%s", r.rc, r.err)
    expect("in use by another feedspool (pid %d)" % d.p.pid in r.err,
           "stderr does not name the other daemon:\n%s", r.err)
    d.expect_alive()
    d.stop()
    r = t.once(cfg)
    expect(r.rc == 0, "once after run stopped: exit %s\n%s", r.rc, r.err)
    expect(srv.count("/a.xml") >= 1, "not fetched: %r", srv.requests())


@harness.timing("valgrind keeps descriptors of its own")
def test_open_files_limit(t):
    """the open files a configuration needs are checked at start: a soft
    limit below them is raised to the hard one; a hard limit below them
    is an error naming concurrency, both numbers and LimitNOFILE"""
    import resource
    import subprocess
    srv = t.serve({"/a.xml": feed(rss("A", ["a1"]))})
    cfg, _ = t.config(settings={"concurrency": "64"},
                      feeds={"alpha": t.url("/a.xml")})
    need = 64 + 4 * 64

    def run(soft, hard):
        def limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        p = subprocess.run(harness._command(["once", "-c", cfg]),
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=30, env=harness._env(), preexec_fn=limit)
        return p.returncode, p.stderr.decode("utf-8", "replace")

    rc, err = run(100, 100)
    expect(rc == 2, "hard limit 100: exit %d, want 2\n%s", rc, err)
    expect("concurrency = 64 needs up to %d open files, but the limit is "
           "100" % need in err and "LimitNOFILE" in err,
           "the error does not say what is needed and what to change:\n%s",
           err)
    expect(srv.count("/a.xml") == 0, "fetched despite the error")
    rc, err = run(100, 4096)
    expect(rc == 0 and srv.count("/a.xml") == 1, "soft 100, hard 4096: "
           "exit %d, %d requests\n%s", rc, srv.count("/a.xml"), err)


def test_interrupted_once_fails(t):
    """SIGTERM while once still waits for a feed: exit 1 and a line that
    says not every feed was polled (never a silent 0)"""
    import signal
    import subprocess
    import time

    def slow(req, w):
        w.sleep(4)
        feed(rss("S", ["s1"]))(req, w)
    srv = t.serve({"/slow.xml": slow})
    cfg, _ = t.config(feeds={"slow": t.url("/slow.xml")})
    p = subprocess.Popen(harness._command(["once", "-c", cfg]),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=harness._env())
    harness._register(p)
    srv.wait_count("/slow.xml", 1, 10)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    err = err.decode("utf-8", "replace")
    expect(p.returncode == 1, "interrupted once: exit %d, want 1\n%s",
           p.returncode, err)
    expect("interrupted by signal" in err, "stderr does not say so:\n%s",
           err)


def test_refuses_root(t):
    """as root, run and once exit 77 and name --allow-root; with it, or as
    another user, they work; check needs no such flag"""
    import os
    import shutil
    import subprocess
    srv = t.serve({"/a.xml": feed(rss("A", ["a1"]))})
    cfg, _ = t.config(feeds={"alpha": t.url("/a.xml")})
    prefix = []
    if os.geteuid() != 0:
        # Be root in a user namespace, where that is allowed.
        unshare = shutil.which("unshare")
        if unshare is None or subprocess.run(
                [unshare, "--map-root-user", "true"],
                stderr=subprocess.DEVNULL).returncode != 0:
            raise harness.Skip("not root, and no user namespace to be")
        prefix = [unshare, "--map-root-user"]
    for cmd in ("run", "once"):
        p = subprocess.run(prefix + [harness.FEEDSPOOL, cmd, "-c", cfg],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=20, env=harness._env())
        err = p.stderr.decode("utf-8", "replace")
        expect(p.returncode == 77, "%s as root: exit %d, want 77\n%s",
               cmd, p.returncode, err)
        expect("root" in err and "--allow-root" in err,
               "%s as root: stderr does not say why:\n%s", cmd, err)
    expect(srv.count("/a.xml") == 0, "fetched while refusing: %r",
           srv.requests())
    p = subprocess.run(prefix + [harness.FEEDSPOOL, "check", "-c", cfg],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=20, env=harness._env())
    expect(p.returncode == 0, "check as root: exit %d\n%s", p.returncode,
           p.stderr.decode("utf-8", "replace"))
    p = subprocess.run(prefix + [harness.FEEDSPOOL, "once", "--allow-root",
                                 "-c", cfg],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=20, env=harness._env())
    expect(p.returncode == 0 and srv.count("/a.xml") == 1,
           "once --allow-root: exit %d, %d requests\n%s", p.returncode,
           srv.count("/a.xml"), p.stderr.decode("utf-8", "replace"))


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
