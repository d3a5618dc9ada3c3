#!/usr/bin/python3
"""The spool's exactly-once promise across crashes (ARCHITECTURE.md, "The
spool, exactly once").

test_crash_random_kills: `feedspool run` (fsync = yes, 1 s intervals)
against 40 feeds whose bodies change at every request and grow until each
has 50 items, killed with SIGKILL at 50 moments drawn from a seeded RNG
(FEEDSPOOL_CRASH_SEED overrides the seed) and restarted each time; then
one `once` that sees all items.  After every kill new/ holds only whole
JSON files and no item twice; at the end every item the server served is
in new/ exactly once, tmp/ is empty, nothing is pending and SQLite's
integrity_check is ok.

test_crash_points: the same promise at each step of the order of writes,
deterministically: the failwrite shim kills `once` at the syncfs of tmp/
(files written, nothing recorded), before the Nth rename into new/
(recorded, not renamed) and just after it (renamed, not marked
published); the next `once` must finish the job without a loss or a
repeat."""

import os
import random
import sys
import threading
import time

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
import spoolcheck as sc  # noqa: E402
from harness import expect  # noqa: E402
from server import RSS_TYPE  # noqa: E402

FEEDS = 40
ITEMS = 50
KILLS = 50
SEED = int(os.environ.get("FEEDSPOOL_CRASH_SEED", "20240604"))
# A kill comes this long after the start (seconds, uniform).
KILL_AFTER = (0.05, 0.6)


def note(fmt, *args):
    """A TAP comment: shown in the meson log even when the test passes."""
    sys.stdout.write("# " + (fmt % args if args else fmt) + "\n")
    sys.stdout.flush()


class GrowingFeeds:
    """FEEDS feeds; the nth request to a feed sees its first 4 + 3(n-1)
    items (newest first), up to ITEMS, in a body that differs at every
    request; with all() every request sees all ITEMS."""

    def __init__(self):
        self.lock = threading.Lock()
        self.served = {}        # feed -> how many items it has shown
        self.everything = False
        self.names = ["f%02d" % i for i in range(FEEDS)]

    def routes(self):
        return {"/%s.xml" % n: self._route(n) for n in self.names}

    def _route(self, name):
        def route(req, w):
            with self.lock:
                n = ITEMS if self.everything else \
                    min(ITEMS, 4 + 3 * (req.n - 1))
                self.served[name] = max(self.served.get(name, 0), n)
            body = sc.rss(name, list(reversed(sc.feed_items(name, n))),
                          req.n)
            w.respond(200, body, [("Content-Type", RSS_TYPE)])
        return route

    def all(self):
        with self.lock:
            self.everything = True

    def served_keys(self):
        with self.lock:
            return set((f, "%s-item-%d" % (f, i))
                       for f, n in self.served.items() for i in range(n))


def test_crash_random_kills(t):
    """SIGKILL at 50 random moments: no item lost, none twice, no partial
    file, tmp/ empty, the database intact"""
    rng = random.Random(SEED)
    feeds = GrowingFeeds()
    t.serve(feeds.routes(), lifetime=110)
    cfg, _ = t.config(
        settings={"interval": "1s", "min_interval": "1s", "fsync": "yes",
                  "concurrency": "8", "per_host": "8"},
        feeds={n: t.url("/%s.xml" % n) for n in feeds.names})
    spool = t.spools[cfg]
    state = os.path.join(t.dir, "state")
    t0 = time.monotonic()
    dirty_tmp = pending_at_kill = 0
    delays = []
    for k in range(KILLS):
        delay = rng.uniform(*KILL_AFTER)
        delays.append(round(delay, 3))
        d = t.daemon(cfg)
        time.sleep(delay)
        expect(d.alive(), "kill %d: the daemon exited by itself (seed %d, "
               "delays %r)", k, SEED, delays)
        d.kill()
        # What the crash left, before the next start repairs it.
        if sc.tmp_files(spool):
            dirty_tmp += 1
        if sc.pending_rows(state) > 0:
            pending_at_kill += 1
        counts = sc.spool_counts(spool)
        dups = [key for key, n in counts.items() if n > 1]
        expect(not dups, "after kill %d (seed %d, delays %r): delivered "
               "twice: %r", k, SEED, delays, dups[:10])
    kill_secs = time.monotonic() - t0
    before_final = len(sc.spool_counts(spool))
    served_by_run = len(feeds.served_keys())

    # The last, clean run: every feed shows everything.
    feeds.all()
    r = t.once(cfg, timeout=60)
    expect(r.rc == 0, "the final once: exit %s", r.rc)
    r.expect_not_failed(*feeds.names)
    want = feeds.served_keys()
    expect(len(want) == FEEDS * ITEMS, "the server served %d items",
           len(want))
    dups, lost, extra = sc.expect_exactly_once(spool, want)
    left = sc.tmp_files(spool)
    expect(left == [], "tmp/ after the final run: %r", left[:10])
    sc.expect_db_ok(state)
    note("crash: seed %d, %d kills in %.1f s (after %.2f-%.2f s each); "
         "%d left files in tmp/, %d left pending rows", SEED, KILLS,
         kill_secs, KILL_AFTER[0], KILL_AFTER[1], dirty_tmp,
         pending_at_kill)
    note("crash: %d items served during the kills, %d delivered by then; "
         "the final once took %.1f s; %d items in all, %d in new/: "
         "duplicates %d, lost %d, unexpected %d", served_by_run,
         before_final, r.elapsed, len(want),
         len(sc.spool_counts(spool)), dups, lost, extra)
    if dirty_tmp + pending_at_kill == 0:
        # Not a failure (a fast disk makes the windows tiny), but say so:
        # test_crash_points covers each window deterministically.
        note("crash: no kill landed inside a delivery (tmp/ always empty, "
             "nothing pending); delays %r", delays)


# (shim kill point, the items in new/ right after the crash, the items
# the next start renames from tmp/, the unrecorded files it removes)
POINTS = [
    ("syncfs:1", 0, 0, 5),
    ("rename-before:1", 0, 5, 0),
    ("rename-before:3", 2, 3, 0),
    ("rename-after:1", 1, 4, 0),
    ("rename-after:5", 5, 0, 0),
]


def test_crash_points(t):
    """a crash at each step of the order of writes (syncfs of tmp/, before
    and after a rename into new/) is repaired at the next start, exactly
    once"""
    sc.shim_path()
    n_items = 5
    items = sc.feed_items("p", n_items)
    t.serve({"/p.xml": lambda req, w: w.respond(
        200, sc.rss("p", list(reversed(items)), req.n),
        [("Content-Type", RSS_TYPE)])})
    want = set(("p", it[0]) for it in items)
    for i, (point, in_new, recovered, removed) in enumerate(POINTS):
        data = "data%d" % i
        cfg, _ = t.config(settings={"fsync": "yes"},
                          feeds={"p": t.url("/p.xml")},
                          name="point%d.ini" % i, data=data)
        spool = t.spools[cfg]
        state = os.path.join(t.dir, data, "state")
        with sc.preload(dir=sc.real_dir(spool), kill=point):
            r = t.once(cfg)
        expect(r.rc == -9, "%s: once was not killed by the shim (exit "
               "%s)\n%s", point, r.rc, r.err)
        got = sc.spool_counts(spool)
        expect(len(got) == in_new, "%s: %d items in new/ after the crash, "
               "expected %d", point, len(got), in_new)
        left = sc.tmp_files(spool)
        expect(len(left) == n_items - in_new, "%s: %d files in tmp/ after "
               "the crash, expected %d", point, len(left), n_items - in_new)
        pend = sc.pending_rows(state)
        expect(pend == (0 if point.startswith("syncfs") else n_items),
               "%s: %d pending rows after the crash", point, pend)

        r = t.once(cfg)
        expect(r.rc == 0, "%s: the run after the crash: exit %s", point,
               r.rc)
        sc.expect_exactly_once(spool, want)
        n_rec = r.err.count("recovered into new/")
        expect(n_rec == recovered, "%s: %d files recovered into new/, "
               "expected %d:\n%s", point, n_rec, recovered, r.err)
        if removed:
            expect("removed %d unrecorded files from tmp/" % removed in
                   r.err, "%s: the start did not say it removed %d files "
                   "from tmp/:\n%s", point, removed, r.err)
        new_items = 0 if point.startswith("rename") else n_items
        expect("%d new" % new_items in r.err, "%s: the run after the crash "
               "should deliver %d items itself:\n%s", point, new_items,
               r.err)
        sc.expect_db_ok(state)
        # And once more: nothing.
        r = t.once(cfg)
        expect(r.rc == 0 and "0 new" in r.err, "%s: a third run: exit %s"
               "\n%s", point, r.rc, r.err)
        sc.expect_exactly_once(spool, want)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
