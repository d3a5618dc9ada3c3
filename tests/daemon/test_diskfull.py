#!/usr/bin/python3
"""A full disk under the spool (and under the state): spool writes fail,
then succeed again; nothing may be lost and nothing delivered twice.

Most tests make the disk "full" with the failwrite shim (LD_PRELOAD,
tests/daemon/failwrite.c): while a marker file exists, writes and syncs
of files under a directory fail with ENOSPC.  test_tmpfs_full uses a
real, tiny tmpfs in a private mount namespace (unshare; as root or in a
user namespace), and is skipped where neither is allowed.

The promise (ARCHITECTURE.md): a write that fails rolls the document's
transaction back and removes its files; `once` lists the feed as failed
and exits 1; `run` logs it, backs the feed off and keeps running; when
space returns, every item is delivered exactly once."""

import os
import re
import shutil
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
import spoolcheck as sc  # noqa: E402
from harness import expect  # noqa: E402
from server import RSS_TYPE  # noqa: E402

ENOSPC_TEXT = "No space left on device"


class Feeds:
    """Feeds whose nth request shows min(start + step * (n - 1), cap)
    items (newest first), in a body that changes at every request."""

    def __init__(self, spec):
        self.spec = spec        # name -> (start, step, cap)
        self.lock = threading.Lock()
        self.served = {}

    def routes(self):
        return {"/%s.xml" % n: self._route(n) for n in self.spec}

    def _route(self, name):
        start, step, cap = self.spec[name]

        def route(req, w):
            n = min(start + step * (req.n - 1), cap)
            with self.lock:
                self.served[name] = max(self.served.get(name, 0), n)
            w.respond(200, sc.rss(name, list(reversed(
                sc.feed_items(name, n))), req.n),
                [("Content-Type", RSS_TYPE)])
        return route

    def all_keys(self):
        return set((f, "%s-item-%d" % (f, i))
                   for f, (_, _, cap) in self.spec.items()
                   for i in range(cap))

    def served_keys(self):
        with self.lock:
            return set((f, "%s-item-%d" % (f, i))
                       for f, n in self.served.items() for i in range(n))


def _once_full(t, **shim):
    """once with the disk full: exit 1, both feeds listed as failed for
    want of space, nothing in new/ or tmp/; then with space: everything
    once; then again: nothing more."""
    feeds = Feeds({"a": (5, 0, 5), "b": (3, 0, 3)})
    t.serve(feeds.routes())
    cfg, _ = t.config(settings={"fsync": "yes"},
                      feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml")})
    spool = t.spools[cfg]
    marker = os.path.join(t.dir, "disk-full")
    with open(marker, "w"):
        pass
    with sc.preload(dir=sc.real_dir(spool), marker=marker, **shim):
        r = t.once(cfg)         # checks that tmp/ is empty
        expect(r.rc == 1, "once on a full disk: exit %s, expected 1", r.rc)
        for name in ("a", "b"):
            r.expect_failed(name, t.url("/%s.xml" % name), ENOSPC_TEXT)
        got = sc.spool_counts(spool)
        expect(not got, "articles in new/ although every write failed: %r",
               sorted(got))
        state = os.path.join(t.dir, "state")
        n = sc.db_query(state, "SELECT count(*) FROM items")[0][0]
        expect(n == 0, "%d items recorded although none was delivered", n)

        os.unlink(marker)
        # The feeds back off after a failure: --force, as a user would.
        r = t.once(cfg, args=["--force"])
        expect(r.rc == 0, "once after space returned: exit %s", r.rc)
        sc.expect_exactly_once(spool, feeds.all_keys())
        r = t.once(cfg, args=["--force"])
        expect(r.rc == 0, "a third once: exit %s", r.rc)
        sc.expect_exactly_once(spool, feeds.all_keys())
        sc.expect_db_ok(state)


def test_once_spool_full(t):
    """once with every spool write failing: exit 1, feeds listed with the
    error, nothing left behind; with space again: all items once"""
    _once_full(t)


def test_once_disk_fills_midway(t):
    """the disk fills after two files of a document: the files already
    written are removed, the document is not recorded, and the next run
    delivers all of it once"""
    _once_full(t, after=2)


def test_once_full_at_create(t):
    """ENOSPC when the file is created (no room for the directory entry)"""
    _once_full(t, open=1)


def _publish_fails(t):
    """A once whose renames into new/ fail: the articles are recorded
    (pending) and stay in tmp/.  Returns (cfg, spool, state, marker,
    wanted keys), the marker still in place."""
    feeds = Feeds({"p": (4, 0, 4)})
    t.serve(feeds.routes())
    cfg, _ = t.config(settings={"fsync": "yes"},
                      feeds={"p": t.url("/p.xml")})
    spool = t.spools[cfg]
    state = os.path.join(t.dir, "state")
    marker = os.path.join(t.dir, "disk-full")
    with open(marker, "w"):
        pass
    with sc.preload(dir=sc.real_dir(os.path.join(spool, "new")),
                    marker=marker, rename=1):
        r = t.run(["once", "-c", cfg], spool=spool)
    expect("will retry" in r.err, "no warning about the "
           "failed publication:\n%s", r.err)
    expect(sc.spool_counts(spool) == {}, "articles in new/ although every "
           "rename failed")
    expect(len(sc.tmp_files(spool)) == 4, "tmp/ holds %r, expected the 4 "
           "recorded articles", sc.tmp_files(spool))
    expect(sc.pending_rows(state) == 4, "%d pending rows, expected 4",
           sc.pending_rows(state))
    return cfg, spool, state, marker, feeds.all_keys()


def test_publish_fails_retried_at_start(t):
    """renames into new/ fail after the commit: the articles wait in tmp/
    and the next start moves them into new/, once"""
    cfg, spool, state, marker, want = _publish_fails(t)
    os.unlink(marker)
    r = t.once(cfg)
    expect(r.rc == 0, "once: exit %s", r.rc)
    expect(r.err.count("recovered into new/") == 4, "the start did not "
           "recover 4 articles:\n%s", r.err)
    sc.expect_exactly_once(spool, want)
    sc.expect_db_ok(state)


def test_run_publish_fails_retried(t):
    """run: renames into new/ fail; the articles wait in tmp/ and, once
    the disk takes them again, reach new/ without a restart and without
    another document from the feed, exactly once"""
    feeds = Feeds({"p": (4, 0, 4)})
    first = feeds.routes()["/p.xml"]

    def route(req, w):
        # Only the first poll brings a document: a later delivery must
        # not be what moves the stuck articles.
        if req.n == 1:
            first(req, w)
        else:
            w.respond(500, b"down\n")
    t.serve({"/p.xml": route})
    cfg, _ = t.config(settings={"fsync": "yes", "interval": "2s",
                                "min_interval": "1s"},
                      feeds={"p": t.url("/p.xml")})
    spool = t.spools[cfg]
    state = os.path.join(t.dir, "state")
    marker = os.path.join(t.dir, "disk-full")
    with open(marker, "w"):
        pass
    with sc.preload(dir=sc.real_dir(os.path.join(spool, "new")),
                    marker=marker, rename=1):
        d = t.daemon(cfg)
    # The delivery is over (all four renames tried) once it is logged.
    d.wait_stderr(r"feed p: 4 items, 4 new", 15)
    expect(sc.spool_counts(spool) == {}, "articles in new/ although every "
           "rename failed")
    expect(len(re.findall(r"publishing \S+: .*will retry",
                          d.stderr_text())) == 4, "not every failed "
           "rename was logged:\n%s", d.stderr_text())
    os.unlink(marker)
    d.wait_stderr(r"4 pending articles delivered", 25)
    d.expect_alive()
    sc.expect_exactly_once(spool, feeds.all_keys())
    d.stop()
    sc.expect_db_ok(state)
    expect(sc.pending_rows(state) == 0, "%d rows still pending",
           sc.pending_rows(state))


def test_recovery_publish_fails(t):
    """the rename still fails at the next start: the article must stay in
    tmp/ (and pending) until a later start can move it, never be lost"""
    cfg, spool, state, marker, want = _publish_fails(t)
    with sc.preload(dir=sc.real_dir(os.path.join(spool, "new")),
                    marker=marker, rename=1):
        mid = t.run(["once", "-c", cfg], spool=spool)
    left = sc.tmp_files(spool)
    os.unlink(marker)
    r = t.once(cfg)
    expect(r.rc == 0, "once: exit %s", r.rc)
    try:
        sc.expect_exactly_once(spool, want)
    except AssertionError as e:
        raise AssertionError("%s\nthe start whose renames failed (exit %s) "
                             "said:\n%s\nand left in tmp/: %r"
                             % (e, mid.rc, mid.err, left)) from None
    sc.expect_db_ok(state)


def _run_full(t, full_dir_of, error=ENOSPC_TEXT, failures=2):
    """run: the disk is full from a moment on, the feeds keep growing; the
    daemon logs, backs off and keeps running; when space returns,
    everything is delivered exactly once."""
    feeds = Feeds({"a": (2, 2, 10), "b": (1, 1, 5)})
    srv = t.serve(feeds.routes())
    cfg, _ = t.config(settings={"fsync": "yes", "interval": "1s",
                                "min_interval": "1s"},
                      feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml")})
    spool = t.spools[cfg]
    state = os.path.join(t.dir, "state")
    marker = os.path.join(t.dir, "disk-full")
    with sc.preload(dir=sc.real_dir(full_dir_of(spool)), marker=marker):
        d = t.daemon(cfg)
    d.wait_stderr(r"running: 2 feeds", 10)
    # A first delivery with space, so that state and spool have content.
    d.wait_stderr(r"feed a: \d+ items, \d+ new", 10)
    before = sc.spool_counts(spool)
    with open(marker, "w"):
        pass
    t_full = time.monotonic()
    for name in ("a", "b"):
        d.wait_stderr(r"feed %s \(.*\): delivering items: %s, will retry"
                      % (name, error), 15, after=t_full)
    # More failures of a: the daemon retries on its own.
    t1 = t_full
    for _ in range(failures):
        t1, _ = d.wait_stderr(r"feed a \(.*\): delivering items: %s"
                              % error, 15, after=t1 + 0.001)
    d.expect_alive()
    during = sc.spool_counts(spool)
    expect(during == before, "the spool changed while the disk was full: "
           "%r", sorted(set(during) - set(before)))
    left = sc.tmp_files(spool)
    expect(left == [], "files left in tmp/ while the disk is full: %r", left)

    os.unlink(marker)
    t_space = time.monotonic()
    for name in ("a", "b"):
        d.wait_stderr(r"feed %s: recovered after \d+ failures" % name, 20,
                      after=t_space)
    # Until feed a has shown all its items and they are all in new/.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if feeds.served_keys() == feeds.all_keys() and \
                set(sc.spool_counts(spool)) == feeds.all_keys():
            break
        time.sleep(0.2)
    # Two more polls of each feed, which must deliver nothing.
    n = {p: srv.count(p) for p in ("/a.xml", "/b.xml")}
    for p in n:
        srv.wait_count(p, n[p] + 2, 10, done=True)
    time.sleep(0.3)
    rc, _ = d.stop()
    expect(rc == 0, "exit %s after SIGTERM", rc)
    sc.expect_exactly_once(spool, feeds.all_keys())
    expect(sc.tmp_files(spool) == [], "tmp/ after the stop: %r",
           sc.tmp_files(spool))
    sc.expect_db_ok(state)


def test_run_spool_full(t):
    """run: spool writes fail for a while; the daemon logs, retries, keeps
    running, then delivers every item exactly once"""
    _run_full(t, lambda spool: spool)


def test_run_state_and_spool_full(t):
    """run: the state database and the spool share the full disk"""
    _run_full(t, lambda spool: os.path.dirname(spool), failures=1)


def test_run_state_full(t):
    """run: only the state database's disk is full: the articles written
    to tmp/ are removed when their record cannot be committed"""
    _run_full(t, lambda spool: os.path.join(os.path.dirname(spool),
                                            "state"),
              error=ENOSPC_TEXT, failures=1)


# ---------------------------------------------------------------------------
# A real full filesystem.

# Room for SQLite's WAL, which grows to about 4 MiB between checkpoints.
TMPFS_SIZE = 16 * 1024 * 1024
IN_NS = "FEEDSPOOL_DISKFULL_IN_NS"


def _fill(path):
    """Fills the filesystem of path; returns the filler file's name."""
    filler = os.path.join(path, "filler")
    with open(filler, "ab", buffering=0) as f:
        for size in (1 << 20, 4096):
            chunk = b"\0" * size
            for _ in range(TMPFS_SIZE // size + 16):  # bounded
                try:
                    f.write(chunk)
                except OSError:
                    break
    return filler


def test_tmpfs_full(t):
    """state and spool on a 16 MiB tmpfs that fills up (ENOSPC from the
    kernel): run keeps going and delivers every item once when space
    returns; once fails and changes nothing"""
    if os.environ.get(IN_NS) != "1":
        _reexec_in_namespace(t)
        return
    disk = os.path.join(t.dir, "disk")
    os.mkdir(disk)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o",
                        "size=%d,mode=0700" % TMPFS_SIZE, "tmpfs", disk],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise harness.Skip("cannot mount a tmpfs: %s" %
                           r.stdout.decode(errors="replace").strip())
    try:
        _tmpfs_scenario(t, disk)
    finally:
        for d in t.daemons:
            d.kill()
        subprocess.run(["umount", "-l", disk])


def _tmpfs_scenario(t, disk):
    feeds = Feeds({"a": (3, 2, 9), "b": (1, 1, 4)})
    srv = t.serve(feeds.routes())
    cfg, _ = t.config(settings={"fsync": "yes", "interval": "1s",
                                "min_interval": "1s"},
                      feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml")},
                      data="disk/data")
    spool = t.spools[cfg]
    state = os.path.join(disk, "data", "state")
    failed = r"feed a \(.*\): delivering items: .*(%s|disk is full|disk " \
        r"I/O error)" % ENOSPC_TEXT

    # run: the disk fills while it runs, then space returns.
    d = t.daemon(cfg)
    d.wait_stderr(r"feed a: \d+ items, \d+ new", 10)
    filler = _fill(disk)
    t_full = time.monotonic()
    t1, _ = d.wait_stderr(failed, 15, after=t_full)
    snap = sc.spool_counts(spool)
    d.wait_stderr(failed, 15, after=t1 + 0.001)
    d.expect_alive()
    expect(sc.spool_counts(spool) == snap, "the spool changed on a full "
           "disk")
    expect(sc.tmp_files(spool) == [], "files in tmp/ on a full disk: %r",
           sc.tmp_files(spool))
    os.unlink(filler)
    t_space = time.monotonic()
    d.wait_stderr(r"feed a: recovered after \d+ failures", 20,
                  after=t_space)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if feeds.served_keys() == feeds.all_keys() and \
                set(sc.spool_counts(spool)) == feeds.all_keys():
            break
        time.sleep(0.2)
    n = srv.count("/a.xml")
    srv.wait_count("/a.xml", n + 2, 10, done=True)
    rc, _ = d.stop()
    expect(rc == 0, "exit %s after SIGTERM", rc)
    sc.expect_exactly_once(spool, feeds.all_keys())

    # once on a full disk: exit 1, nothing changed (it may not even open
    # the database: SQLite needs room for its -shm and -wal files).
    filler = _fill(disk)
    r = t.once(cfg, args=["--force"])
    expect(r.rc == 1, "once on a full tmpfs: exit %s, expected 1", r.rc)
    expect(r.err.strip() != "", "once failed without a word")
    sc.expect_exactly_once(spool, feeds.all_keys())
    os.unlink(filler)
    r = t.once(cfg, args=["--force"])
    expect(r.rc == 0, "once with space again: exit %s", r.rc)
    sc.expect_exactly_once(spool, feeds.all_keys())
    expect(sc.tmp_files(spool) == [], "tmp/ at the end: %r",
           sc.tmp_files(spool))
    sc.expect_db_ok(state)


def _reexec_in_namespace(t):
    """Runs test_tmpfs_full again in a private mount namespace (so the
    tmpfs goes away with it, whatever happens), as root or in a user
    namespace; its TAP result becomes ours."""
    unshare = shutil.which("unshare")
    if unshare is None:
        raise harness.Skip("no unshare(1)")
    cmd = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        cmd[1:1] = ["--map-root-user"]
    probe = subprocess.run(cmd + ["true"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    if probe.returncode != 0:
        raise harness.Skip("no private mount namespace here: %s" %
                           probe.stdout.decode(errors="replace").strip())
    env = dict(os.environ)
    env[IN_NS] = "1"
    # The inner run must not be ended by the pdeath of its shell: it is
    # ours (registered), and bounded by its own deadline.
    p = subprocess.Popen(cmd + [sys.executable, os.path.abspath(__file__),
                                "--deadline", "40", harness.FEEDSPOOL,
                                "test_tmpfs_full"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env)
    harness._register(p)
    try:
        out, _ = p.communicate(timeout=45)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate(timeout=10)
    text = out.decode("utf-8", "replace")
    lines = text.splitlines()
    oks = [ln for ln in lines if ln.startswith("ok 1 ")]
    if oks and "# SKIP" in oks[0]:
        raise harness.Skip(oks[0].split("# SKIP", 1)[1].strip())
    expect(oks and p.returncode == 0, "in the mount namespace (exit %s):\n"
           "%s", p.returncode, text)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
