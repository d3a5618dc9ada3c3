"""What the spool tests (test_crash.py, test_diskfull.py) share: the
LD_PRELOAD shim (failwrite.c) and the exactly-once checks of a spool and
its state database.  Standard library only."""

import contextlib
import hashlib
import os
import sqlite3

import harness
from harness import expect


def shim_path():
    """The built failwrite.so: $FEEDSPOOL_FAILWRITE (meson sets it), else
    next to the feedspool being tested; raises Skip when there is none."""
    p = os.environ.get("FEEDSPOOL_FAILWRITE")
    if not p:
        p = os.path.join(os.path.dirname(harness.FEEDSPOOL), "tests",
                         "daemon", "failwrite.so")
    if not os.path.exists(p):
        raise harness.Skip("the failwrite shim is not built (%s)" % p)
    return os.path.abspath(p)


@contextlib.contextmanager
def preload(**env):
    """Runs the block with the shim preloaded into the feedspool processes
    started in it (the harness copies os.environ at each start), with
    FAILWRITE_* variables from env (name without the prefix, lower case
    allowed: dir=..., marker=...)."""
    saved = dict(os.environ)
    try:
        os.environ["LD_PRELOAD"] = shim_path()
        # A sanitized build must not refuse a preload that comes first.
        os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") +
                                      ":verify_asan_link_order=0").lstrip(":")
        for k, v in env.items():
            os.environ["FAILWRITE_" + k.upper()] = str(v)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def real_dir(path):
    """The resolved path with a trailing slash, as the shim compares it."""
    os.makedirs(path, exist_ok=True)
    return os.path.realpath(path) + "/"


def long_text(feed, i):
    """A text of more than 32 bytes that no other item has."""
    h = hashlib.sha1(("%s/%d" % (feed, i)).encode()).hexdigest()
    return "Item %d of feed %s says %s, at some length." % (i, feed, h)


def rss(title, items, build):
    """An RSS 2.0 document of (guid, link, title, text) tuples; build
    changes the bytes (so that no poll is "body unchanged")."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
           '<channel><title>%s</title><link>http://crash.example/%s/</link>'
           '<description>build %s</description>\n' % (title, title, build)]
    for guid, link, t, text in items:
        out.append("<item><title>%s</title><link>%s</link>"
                   '<guid isPermaLink="false">%s</guid>'
                   "<description>%s</description></item>\n"
                   % (t, link, guid, text))
    out.append("</channel></rss>\n")
    return "".join(out).encode("utf-8")


def feed_items(feed, n):
    return [("%s-item-%d" % (feed, i), "http://crash.example/%s/%d" %
             (feed, i), "%s #%d" % (feed, i), long_text(feed, i))
            for i in range(n)]


def spool_counts(spool):
    """{(feed, id): number of files in new/ and cur/}, after checking that
    every one is whole JSON (harness.Items fails the test otherwise)."""
    got = {}
    for it in harness.Items(spool).items:
        k = (it["feed"], it.get("id"))
        got[k] = got.get(k, 0) + 1
    return got


def expect_exactly_once(spool, want):
    """Every (feed, id) of want is in the spool exactly once, and nothing
    else is; returns (duplicates, lost, unexpected) counts (all 0)."""
    got = spool_counts(spool)
    dups = sorted(k for k, n in got.items() if n > 1)
    lost = sorted(k for k in want if k not in got)
    extra = sorted(k for k in got if k not in want)
    expect(not dups and not lost and not extra,
           "exactly once broken: %d duplicated %r, %d lost %r, %d "
           "unexpected %r", len(dups), dups[:10], len(lost), lost[:10],
           len(extra), extra[:10])
    return len(dups), len(lost), len(extra)


def tmp_files(spool):
    d = os.path.join(spool, "tmp")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def db_path(state_dir):
    return os.path.join(state_dir, "state.db")


def db_query(state_dir, sql):
    """Rows of sql on the state database, read-only (no checkpoint)."""
    path = db_path(state_dir)
    if not os.path.exists(path):
        return []
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def pending_rows(state_dir):
    return db_query(state_dir, "SELECT count(*) FROM items WHERE "
                    "pending = 1")[0][0] if os.path.exists(
                        db_path(state_dir)) else 0


def expect_db_ok(state_dir):
    """PRAGMA integrity_check says ok, nothing is pending, and every
    spool name recorded is unique."""
    res = db_query(state_dir, "PRAGMA integrity_check")
    expect(res == [("ok",)], "integrity_check: %r", res)
    n = pending_rows(state_dir)
    expect(n == 0, "%d items still pending after a clean run", n)
    dup = db_query(state_dir, "SELECT spool_name, count(*) FROM items "
                   "WHERE spool_name IS NOT NULL GROUP BY spool_name "
                   "HAVING count(*) > 1")
    expect(dup == [], "spool names recorded twice: %r", dup[:5])
