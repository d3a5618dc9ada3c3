"""What the daemon tests share: temporary configurations, running the built
feedspool (`once`, or `run` in the background), reading what it logged on
stderr and the articles it wrote into the spool (SPOOL/new/*.json, one
JSON object per article with its "feed"), and a small TAP runner.

A test file defines functions test_NAME(t) and ends with
`harness.main(globals())`; it is run as

    /usr/bin/python3 test_FILE.py [--deadline S] FEEDSPOOL [NAME...]

Each test function gets a fresh Case t: a temporary directory, at most one
fault-injecting server (t.serve(routes)), and the feedspool processes it
started (ended by pid when the test ends).  The output is TAP, which meson
reads (protocol 'tap').  A test marked @known_daemon_bug("why") that fails
is reported "not ok ... # TODO", an expected failure; if it passes, meson
calls it an unexpected pass, so the mark gets removed.  With
FEEDSPOOL_ITEST_STRICT=1 the marks are ignored and such failures fail.

A watchdog ends everything (the processes by pid, then this one) when the
deadline passes, whatever the test is doing.

With FEEDSPOOL_VALGRIND=1 (`meson test --setup valgrind`), every feedspool
runs under valgrind's memcheck: a test fails when any of its runs reports
an error or a definite leak, and FEEDSPOOL_SLOW (10 there) stretches the
waits and the deadline.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server as srvmod  # noqa: E402
from server import Server  # noqa: E402,F401

FEEDSPOOL = None
VALGRIND = os.environ.get("FEEDSPOOL_VALGRIND") == "1"
SLOW = float(os.environ.get("FEEDSPOOL_SLOW") or (10 if VALGRIND else 1))
_VG_LOGS = tempfile.mkdtemp(prefix="feedspool-vg-") if VALGRIND else None
_children = []
_children_lock = threading.Lock()


class Skip(Exception):
    pass


def timing(why):
    """Marks a test whose assertion is about time (or about limits that
    valgrind changes): skipped under valgrind, which runs ten to fifty
    times slower, so its memcheck run reports memory errors, not
    lateness."""
    def mark(fn):
        def wrapper(t):
            if VALGRIND:
                raise Skip("under valgrind: " + why)
            return fn(t)
        wrapper.__doc__ = fn.__doc__
        wrapper.__name__ = fn.__name__
        return wrapper
    return mark


def known_daemon_bug(why):
    """Marks a test that fails because the daemon is wrong (not the test):
    it stays, and is reported as an expected failure with why."""
    def mark(fn):
        fn.known_bug = why
        return fn
    return mark


def needs_brotli(fn):
    def wrapper(t):
        if srvmod.brotli is None:
            raise Skip("python3-brotli is not installed")
        return fn(t)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# ---------------------------------------------------------------------------
# Configuration files

# What every test configuration says unless the test says otherwise: short
# timeouts, no spacing between requests to one host (all the feeds live on
# 127.0.0.1), so that tests are quick.
BASE_SETTINGS = {
    "concurrency": "8",
    "per_host_delay": "0",
    "min_interval": "1s",
    "max_backoff": "1m",
    "interval": "1m",
    "timeout": "10s",
    "connect_timeout": "5s",
}


def ini(case_dir, settings=None, feeds=None, extra=""):
    """The text of a configuration: [feedspool] with state_dir, spool_dir
    and output inside case_dir, BASE_SETTINGS updated by settings (a value
    None drops the key, a list repeats it), then one [feed.NAME] per feeds
    item (NAME -> URL string, or a dict with url and overrides), then extra
    verbatim."""
    s = dict(BASE_SETTINGS)
    s.update(settings or {})
    lines = ["; written by tests/daemon/harness.py", "[feedspool]",
             "state_dir = %s/state" % case_dir,
             "spool_dir = %s/spool" % case_dir,
             "output = %s/merged.atom" % case_dir]
    lines += _keys(s)
    for name, f in (feeds or {}).items():
        if isinstance(f, str):
            f = {"url": f}
        lines.append("")
        lines.append("[feed.%s]" % name)
        lines += _keys(f)
    text = "\n".join(lines) + "\n"
    if extra:
        text += extra if extra.endswith("\n") else extra + "\n"
    return text


def _keys(d):
    """key = value lines; a list value repeats the key."""
    out = []
    for k, v in d.items():
        for one in (v if isinstance(v, list) else [v]):
            if one is not None:
                out.append("%s = %s" % (k, one))
    return out


def line_of(text, needle):
    """The 1-based number of the first line of text containing needle."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError("%r is not in the configuration" % needle)


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


# ---------------------------------------------------------------------------
# Running feedspool

def _env():
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy") and k not in (
               "JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC",
               "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "CURL_HOME")}
    env["no_proxy"] = env["NO_PROXY"] = "*"
    env["LC_ALL"] = "C.UTF-8"
    return env


def _command(args):
    args = list(args)
    # CI runs as root, and run and once refuse root unless told.
    if os.geteuid() == 0 and args and args[0] in ("run", "once"):
        args.insert(1, "--allow-root")
    cmd = [FEEDSPOOL] + args
    if VALGRIND:
        cmd = ["valgrind", "--quiet", "--error-exitcode=99",
               "--leak-check=full", "--show-leak-kinds=definite",
               "--errors-for-leak-kinds=definite",
               "--log-file=%s/vg.%%p.log" % _VG_LOGS] + cmd
    # If this process dies, the kernel kills feedspool too (setpriv is in
    # util-linux, which every Debian has).
    if os.path.exists("/usr/bin/setpriv"):
        cmd = ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"] + cmd
    return cmd


def _register(p):
    with _children_lock:
        _children.append(p)


def _kill_children():
    with _children_lock:
        for p in _children:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


class Items:
    """The articles in the spool (new/ and cur/): one JSON object per file,
    each with the "feed" it came from.  Reading one that is not whole JSON
    fails the test: the spool must never show a partial file."""

    def __init__(self, spool):
        self.spool = spool
        self.items = []
        self.names = []
        for sub in ("new", "cur"):
            d = os.path.join(spool, sub)
            if not os.path.isdir(d):
                continue
            for name in sorted(os.listdir(d)):
                if name.startswith("."):
                    continue
                path = os.path.join(d, name)
                with open(path, "rb") as f:
                    data = f.read()
                try:
                    obj = json.loads(data.decode("utf-8"))
                except ValueError as e:
                    raise AssertionError("%s is not JSON (%s): %r"
                                         % (path, e, data[:200]))
                if not isinstance(obj, dict) or not isinstance(
                        obj.get("feed"), str):
                    raise AssertionError("%s has no \"feed\": %r"
                                         % (path, data[:200]))
                self.items.append(obj)
                self.names.append(sub + "/" + name)

    def of(self, feed):
        return [i for i in self.items if i["feed"] == feed]

    def titles(self, feed):
        """The titles of feed's articles, sorted (repeats kept)."""
        return sorted(i.get("title") for i in self.of(feed))

    def feeds(self):
        return sorted(set(i["feed"] for i in self.items))

    def tmp_files(self):
        d = os.path.join(self.spool, "tmp")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []


_FAIL_HEAD = "feedspool once: these feeds failed:"
_FAIL_LINE = re.compile(r"^  (\S+) \((.*?)\): (.*)$")


class Result:
    """A finished `feedspool once` (or check)."""

    def __init__(self, cmd, rc, out, err, elapsed, spool=None):
        self.cmd = cmd
        self.spool = spool
        self.rc = rc
        self.out = out
        self.err = err
        self.elapsed = elapsed
        self._items = None

    @property
    def items(self):
        if self._items is None:
            self._items = Items(self.spool)
        return self._items

    def failures(self):
        """{name: (url, reason)} from the list once prints on stderr."""
        lines = self.err.splitlines()
        if _FAIL_HEAD not in lines:
            return {}
        got = {}
        for line in lines[lines.index(_FAIL_HEAD) + 1:]:
            m = _FAIL_LINE.match(line)
            if not m:
                break
            got[m.group(1)] = (m.group(2), m.group(3))
        return got

    def describe(self):
        return "%s\n  exit %s after %.2f s\n  stderr:\n%s\n  stdout:\n%s%s" \
            % (" ".join(self.cmd), self.rc, self.elapsed,
               _indent(self.err, 4), _indent(self.out[:2000], 4),
               _spool_summary(self.spool))

    # -- assertions --
    def expect_rc(self, rc):
        if self.rc != rc:
            raise AssertionError("expected exit status %d, got %s"
                                 % (rc, self.rc))

    def expect_failed(self, name, url, *reason_parts):
        """name is in the failure list, with url and a reason holding each
        of reason_parts (case-insensitive)."""
        f = self.failures()
        if name not in f:
            raise AssertionError("feed %s is not listed as failed (listed: "
                                 "%s)" % (name, sorted(f)))
        got_url, reason = f[name]
        if got_url != url:
            raise AssertionError("failure of %s names URL %r, expected %r"
                                 % (name, got_url, url))
        for part in reason_parts:
            if part.lower() not in reason.lower():
                raise AssertionError("failure of %s: %r does not say %r"
                                     % (name, reason, part))
        return reason

    def expect_not_failed(self, *names):
        f = self.failures()
        for name in names:
            if name in f:
                raise AssertionError("feed %s failed: %s" % (name, f[name]))

    def expect_titles(self, feed, titles):
        """feed's articles have exactly these titles (in any order)."""
        got = self.items.titles(feed)
        if got != sorted(titles):
            raise AssertionError("items of %s: titles %r, expected %r"
                                 % (feed, got, list(titles)))


def _spool_summary(spool):
    if spool is None:
        return ""
    try:
        items = Items(spool)
    except AssertionError as e:
        return "\n  spool: %s" % e
    lines = ["%s  %s: %r" % (n, i["feed"], i.get("title"))
             for n, i in zip(items.names, items.items)]
    return "\n  spool (%d articles):\n%s" % (len(lines),
                                            _indent("\n".join(lines[:40]), 4))


def _indent(text, n):
    pad = " " * n
    return "\n".join(pad + line for line in text.splitlines()) or pad + \
        "(empty)"


class Daemon:
    """`feedspool run` in the background, its output read as it comes."""

    def __init__(self, cfg, args=(), spool=None):
        self.spool = spool
        self.cmd = _command(["run", "-c", cfg] + list(args))
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=_env())
        _register(self.p)
        self.pid = self.p.pid
        self.lock = threading.Condition()
        self.out = []           # (monotonic time, line)
        self.err = []
        self.rc = None
        self.exit_time = None
        self._threads = [
            threading.Thread(target=self._read, args=(self.p.stdout,
                                                      self.out), daemon=True),
            threading.Thread(target=self._read, args=(self.p.stderr,
                                                      self.err), daemon=True),
        ]
        for th in self._threads:
            th.start()

    def _read(self, stream, sink):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                sink.append((time.monotonic(), line))
                self.lock.notify_all()
        with self.lock:
            self.lock.notify_all()

    def alive(self):
        return self.p.poll() is None

    def stderr_text(self):
        with self.lock:
            return "\n".join(line for _, line in self.err)

    def stdout_text(self):
        with self.lock:
            return "\n".join(line for _, line in self.out)

    @property
    def items(self):
        return Items(self.spool)

    def describe(self):
        return "%s (pid %d, %s)\n  stderr:\n%s%s" % (
            " ".join(self.cmd), self.pid,
            "running" if self.alive() else "exit %s" % self.p.returncode,
            _indent(self.stderr_text(), 4), _spool_summary(self.spool))

    def wait_stderr(self, pattern, timeout, after=0.0):
        timeout *= SLOW
        """Waits for a stderr line matching the regular expression pattern
        (logged at or after monotonic time after); returns (time, match)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for t, line in self.err:
                    m = rx.search(line)
                    if m and t >= after:
                        return t, m
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if self.p.poll() is not None and \
                        not any(th.is_alive() for th in self._threads):
                    break
                self.lock.wait(min(left, 0.2))
        raise AssertionError("no stderr line matching %r within %.1f s"
                             % (pattern, timeout))

    def expect_alive(self):
        if not self.alive():
            raise AssertionError("the daemon exited")

    def signal(self, sig):
        self.expect_alive()
        os.kill(self.pid, sig)

    def wait(self, timeout):
        timeout *= SLOW
        """Waits for the exit; returns (status, seconds waited) or raises."""
        t0 = time.monotonic()
        try:
            self.rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("the daemon did not exit within %.1f s"
                                 % timeout)
        self.exit_time = time.monotonic()
        for th in self._threads:
            th.join(5)
        return self.rc, self.exit_time - t0

    def stop(self, timeout=15):
        """SIGTERM, then waits; returns (status, seconds)."""
        self.signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self):
        if self.p.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.p.wait(10)
        for th in self._threads:
            th.join(5)


class Case:
    """One test's world."""

    def __init__(self, name):
        self.name = name
        self._tmp = tempfile.TemporaryDirectory(prefix="feedspool-itest-")
        self.dir = self._tmp.name
        self.server = None
        self.daemons = []
        self.results = []
        self.spools = {}        # configuration path -> its spool_dir

    def serve(self, routes, lifetime=120.0):
        assert self.server is None, "one server per test"
        self.server = Server(routes, lifetime=lifetime).start()
        return self.server

    def url(self, path, host="127.0.0.1"):
        return self.server.url(path, host)

    def config(self, settings=None, feeds=None, extra="",
               name="feedspool.ini", data=None):
        """Writes a configuration (see ini()) named name in the test's
        directory, with the state, spool and output under data (default:
        the test's directory); returns (path, text)."""
        path = os.path.join(self.dir, name)
        if data is None:
            data = self.dir
        else:
            data = os.path.join(self.dir, data)
        text = ini(data, settings, feeds, extra)
        self.spools[path] = os.path.join(data, "spool")
        write_atomic(path, text)
        return path, text

    def run(self, args, timeout=30, spool=None):
        """feedspool with args, to the end; a Result."""
        timeout *= SLOW
        cmd = _command(args)
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=_env())
        _register(p)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            out, err = p.communicate(timeout=10)
            r = Result(cmd, None, out.decode("utf-8", "replace"),
                       err.decode("utf-8", "replace"),
                       time.monotonic() - t0)
            raise AssertionError("feedspool did not finish within %d s\n%s"
                                 % (timeout, r.describe()))
        r = Result(cmd, p.returncode, out.decode("utf-8", "replace"),
                   err.decode("utf-8", "replace"), time.monotonic() - t0,
                   spool)
        self.results.append(r)
        return r

    def once(self, cfg, timeout=30, args=()):
        """feedspool once; checks that it left nothing in the spool's
        tmp/."""
        r = self.run(["once", "-c", cfg] + list(args), timeout,
                     self.spools.get(cfg))
        if r.spool is not None and r.rc is not None and r.rc >= 0:
            left = r.items.tmp_files()
            expect(left == [], "once (exit %s) left files in the spool's "
                   "tmp/: %r", r.rc, left)
        return r

    def daemon(self, cfg, args=()):
        d = Daemon(cfg, args, self.spools.get(cfg))
        self.daemons.append(d)
        return d

    def report(self):
        """What to print when the test failed."""
        parts = []
        for d in self.daemons:
            parts.append(d.describe())
        if self.results:
            parts.append(self.results[-1].describe())
        if self.server is not None:
            log = self.server.requests()
            parts.append("server log (%d requests, max in progress %r):\n%s"
                         % (len(log), self.server.max_active,
                            _indent("\n".join(repr(e) for e in log[-30:]),
                                    4)))
        return "\n".join(parts)

    def cleanup(self):
        for d in self.daemons:
            d.kill()
        if self.server is not None:
            self.server.stop()
        self._tmp.cleanup()


# ---------------------------------------------------------------------------
# Small helpers for assertions

def expect(cond, fmt, *args):
    if not cond:
        raise AssertionError(fmt % args if args else fmt)


def gaps(entries):
    """Seconds between consecutive requests."""
    return [b.t - a.t for a, b in zip(entries, entries[1:])]


def paths(entries):
    return [e.path for e in entries]


# ---------------------------------------------------------------------------
# The runner

def _watchdog(seconds):
    def fire():
        sys.stdout.write("Bail out! watchdog: the test file ran past its "
                         "deadline of %.0f s\n" % seconds)
        sys.stdout.flush()
        _kill_children()
        os._exit(1)
    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()


def _valgrind_reports():
    """What valgrind logged since the last call (and forget it)."""
    if not VALGRIND:
        return ""
    out = []
    for name in sorted(os.listdir(_VG_LOGS)):
        path = os.path.join(_VG_LOGS, name)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read().strip()
        os.unlink(path)
        if text:
            out.append("%s:\n%s" % (name, text))
    return "\n".join(out)


def main(module_globals):
    global FEEDSPOOL
    args = sys.argv[1:]
    deadline = 100.0
    if len(args) >= 2 and args[0] == "--deadline":
        deadline = float(args[1])
        args = args[2:]
    if args:
        FEEDSPOOL = os.path.abspath(args[0])
        args = args[1:]
    else:
        FEEDSPOOL = os.environ.get("FEEDSPOOL") or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..",
            "build-itest", "feedspool")
    if not os.access(FEEDSPOOL, os.X_OK):
        print("Bail out! %s is not an executable" % FEEDSPOOL)
        return 1
    _watchdog(deadline * SLOW)
    strict = os.environ.get("FEEDSPOOL_ITEST_STRICT") == "1"

    tests = [(k, v) for k, v in module_globals.items()
             if k.startswith("test_") and callable(v)]
    if args:
        unknown = set(args) - set(k for k, _ in tests)
        if unknown:
            print("Bail out! no such test: %s" % ", ".join(sorted(unknown)))
            return 1
        tests = [(k, v) for k, v in tests if k in args]
    print("TAP version 13")
    print("1..%d" % len(tests), flush=True)
    failed = 0
    for i, (name, fn) in enumerate(tests, 1):
        bug = None if strict else getattr(fn, "known_bug", None)
        case = Case(name)
        t0 = time.monotonic()
        status, detail = "ok", ""
        try:
            fn(case)
        except Skip as e:
            status, detail = "skip", str(e)
        except Exception as e:  # AssertionError, and bugs in the test
            status = "fail"
            tb = traceback.extract_tb(e.__traceback__)
            where = [f for f in tb if f.filename.endswith(".py") and
                     "harness.py" not in f.filename]
            loc = ("%s:%d" % (os.path.basename(where[-1].filename),
                              where[-1].lineno)) if where else "?"
            kind = "" if isinstance(e, AssertionError) else \
                type(e).__name__ + ": "
            detail = "%s: %s%s" % (loc, kind, e)
            try:
                detail += "\n" + case.report()
            except Exception as e2:  # noqa: BLE001
                detail += "\n(no report: %r)" % (e2,)
        finally:
            case.cleanup()
        vg = _valgrind_reports()
        if vg and status != "skip":
            status = "fail"
            detail = (detail + "\n" if detail else "") + \
                "valgrind reported:\n" + vg
            bug = None
        secs = time.monotonic() - t0
        doc = " ".join((fn.__doc__ or "").split())
        title = "%s (%.1f s)%s" % (name, secs, " - " + doc if doc else "")
        if status == "ok":
            line = "ok %d - %s" % (i, title)
            if bug:
                line += " # TODO known daemon bug, now passing: " + \
                    bug.splitlines()[0]
        elif status == "skip":
            line = "ok %d - %s # SKIP %s" % (i, title, detail)
        elif bug:
            line = "not ok %d - %s # TODO known daemon bug: %s" % (
                i, title, " ".join(bug.split()))
        else:
            line = "not ok %d - %s" % (i, title)
            failed += 1
        if status == "fail":
            for dl in detail.splitlines():
                print("# " + dl)
        print(line, flush=True)
    _kill_children()
    return 1 if failed else 0
