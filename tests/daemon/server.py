#!/usr/bin/python3
"""A local, fault-injecting HTTP/1.1 server for feedspool's daemon tests.

Standard library only (brotli is used when python3-brotli is installed).
It listens on 127.0.0.1 only, on a port the OS chooses, serves the routes
a test gives it, and keeps a log of every request: when it arrived, its
method, path, headers, what was sent back and whether the client went away.
It also counts the requests in progress per Host (the name, without the
port) and remembers the maximum, for the concurrency tests.

Every loop in it is bounded, and the server stops by itself when its
lifetime (default 120 s) is over, even if the test that started it hangs.

A route is a function route(req, w): req describes the request (see
Request), w writes the answer (see Writer).  Builders for the usual answers
are at the bottom: feed(), status(), redirect(), seq(), hold(), drip(),
endless(), truncated(), reset()...

    srv = Server({"/a.xml": feed(rss("A", ["one"]))}, lifetime=60)
    srv.start()
    url = srv.url("/a.xml")
    ...
    srv.wait_for(lambda log: len(log) >= 2, timeout=10)
    srv.stop()

Run by hand (`server.py --lifetime 60`), it serves a demo route set and
prints its port, for poking at it with curl.
"""

import email.utils
import gzip
import hashlib
import os
import socket
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import brotli  # python3-brotli (Debian package)
except ImportError:  # pragma: no cover - depends on the system
    brotli = None

# Hard bounds on what any one response may do.
MAX_STREAM_SECONDS = 30.0
MAX_STREAM_BYTES = 64 * 1024 * 1024
SOCKET_TIMEOUT = 15.0


class Entry:
    """One request in the server's log."""

    def __init__(self, seq, t, method, path, host, headers, peer):
        self.seq = seq              # 0, 1, 2... in arrival order
        self.t = t                  # time.monotonic() when the head was read
        self.wall = time.time()     # the same, wall clock
        self.method = method
        self.path = path            # as sent, query included
        self.host = host            # Host header, without the port
        self.headers = headers      # [(name, value)] as received
        self.peer = peer            # client port: one per connection
        self.status = None          # what was answered (None: nothing)
        self.bytes_sent = 0         # body bytes written
        self.client_gone = False    # a write failed: the client left
        self.t_end = None           # time.monotonic() when the route ended
        self.note = ""              # what the route did, for messages

    def header(self, name):
        """The value of header name (case-insensitive), or None.  Fails
        when the header was sent more than once."""
        values = self.header_all(name)
        if len(values) > 1:
            raise AssertionError("header %s sent %d times: %r" %
                                 (name, len(values), values))
        return values[0] if values else None

    def header_all(self, name):
        return [v for (k, v) in self.headers if k.lower() == name.lower()]

    @property
    def done(self):
        return self.t_end is not None

    def __repr__(self):
        return "<%d %.3f %s %s%s -> %s, %d bytes%s>" % (
            self.seq, self.t, self.method, self.host, self.path,
            self.status, self.bytes_sent,
            ", client gone" if self.client_gone else "")


class Request:
    """What a route sees of a request."""

    def __init__(self, server, entry, n):
        self.server = server
        self.entry = entry
        self.method = entry.method
        self.path = entry.path
        self.n = n                  # 1 for the first request to this path

    def header(self, name):
        return self.entry.header(name)

    def accepts(self, coding):
        ae = self.entry.header("Accept-Encoding") or ""
        return coding in [c.split(";")[0].strip().lower()
                          for c in ae.split(",")]


class ClientGone(Exception):
    pass


class Writer:
    """Writes an answer, raw or whole, and records it in the log entry."""

    def __init__(self, handler, entry):
        self._h = handler
        self._entry = entry
        self._released = False
        self.closing = False

    def _release(self):
        # The request stops counting as "in progress" just before the
        # first byte of the answer goes out: the client cannot finish (and
        # start another transfer) before that, so the count never exceeds
        # what the client really had in flight.
        if not self._released:
            self._released = True
            self._h.server.fs.release(self._entry)

    def _write(self, data):
        self._release()
        try:
            self._h.wfile.write(data)
        except (OSError, ValueError) as e:
            self._entry.client_gone = True
            self.closing = True
            raise ClientGone(str(e)) from None

    def head(self, code, headers=(), reason=None, body=b""):
        """The status line and headers (no Content-Length is added), and
        body if given, in one write.  Without Content-Length or chunked
        coding the body ends when the connection closes, so closing is
        set."""
        self._entry.status = code
        lines = ["HTTP/1.1 %d %s" % (code, reason or _reason(code))]
        names = set()
        for k, v in headers:
            lines.append("%s: %s" % (k, v))
            names.add(k.lower())
        if "date" not in names:
            lines.append("Date: " + email.utils.formatdate(usegmt=True))
        if "content-length" not in names and \
                "transfer-encoding" not in names:
            self.closing = True
        if self.closing:
            lines.append("Connection: close")
        self._write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") +
                    body)
        self._entry.bytes_sent += len(body)

    def body(self, data):
        """Raw body bytes; raises ClientGone when the client left."""
        self._write(data)
        self._entry.bytes_sent += len(data)

    def respond(self, code, body=b"", headers=()):
        """A whole answer with Content-Length."""
        hdrs = list(headers)
        if not any(k.lower() == "content-length" for k, _ in hdrs):
            hdrs.append(("Content-Length", str(len(body))))
        self.head(code, hdrs, body=body)

    def chunk(self, data):
        """One chunk of a chunked body (b"" ends it)."""
        self._write(b"%x\r\n%s\r\n" % (len(data), data))
        self._entry.bytes_sent += len(data)

    def abort(self):
        """Resets the connection (RST, not FIN)."""
        self._release()
        self.closing = True
        sock = self._h.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            sock.close()
        except OSError:
            pass

    def sleep(self, seconds):
        """Sleeps, but not past the server's stop."""
        self._h.server.fs.stopping.wait(seconds)


def _reason(code):
    return BaseHTTPRequestHandler.responses.get(code, ("Whatever",))[0]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT
    server_version = "feedspool-test"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet: the log is ours
        pass

    def setup(self):
        super().setup()
        # Small writes go out at once (no Nagle / delayed-ACK stalls).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self):
        fs = self.server.fs
        entry, n, route = fs.arrive(self)
        w = Writer(self, entry)
        try:
            if route is None:
                w.respond(404, b"not here\n",
                          [("Content-Type", "text/plain")])
            else:
                route(Request(fs, entry, n), w)
        except ClientGone:
            pass
        except Exception as e:  # a bug in a route: say so, answer 500
            entry.note = "route raised %r" % (e,)
            sys.stderr.write("server: %s %s: %r\n" % (self.command,
                                                      self.path, e))
            try:
                if entry.status is None:
                    w.respond(500, b"route failed\n")
            except ClientGone:
                pass
        finally:
            w._release()
            if w.closing:
                self.close_connection = True
            fs.finish(entry)

    do_GET = _serve
    do_HEAD = _serve
    do_POST = _serve


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # resets and timeouts are part of the game here


class Server:
    """The fault-injecting server.  routes: {path: route}; a path is
    matched without its query string."""

    def __init__(self, routes=None, lifetime=120.0, on_expire=None):
        self.routes = dict(routes or {})
        self.lifetime = lifetime
        self.on_expire = on_expire
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.log = []
        self.counts = {}
        self.active = {}        # host -> requests in progress
        self.max_active = {}    # host -> the most at once
        self.stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fs = self
        self.port = self._httpd.server_address[1]
        self._thread = None
        self._timer = None

    # -- life --
    def start(self):
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
            name="server-%d" % self.port, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def _expire(self):
        sys.stderr.write("server on port %d: lifetime of %.0f s over, "
                         "stopping\n" % (self.port, self.lifetime))
        self.stop()
        if self.on_expire is not None:
            self.on_expire()

    def stop(self):
        if self.stopping.is_set():
            return
        self.stopping.set()
        if self._timer is not None:
            self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self.cond:
            self.cond.notify_all()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- routes and URLs --
    def url(self, path, host="127.0.0.1"):
        return "http://%s:%d%s" % (host, self.port, path)

    def route(self, path, fn):
        with self.lock:
            self.routes[path] = fn

    # -- the log, from the handlers --
    def arrive(self, h):
        host = (h.headers.get("Host") or "").lower()
        if host.startswith("["):
            host = host[:host.find("]") + 1]
        else:
            host = host.rsplit(":", 1)[0]
        headers = [(k, v) for k, v in h.headers.items()]
        with self.cond:
            entry = Entry(len(self.log), time.monotonic(), h.command, h.path,
                          host, headers, h.client_address[1])
            self.log.append(entry)
            key = h.path.split("?", 1)[0]
            self.counts[key] = n = self.counts.get(key, 0) + 1
            route = self.routes.get(key)
            self.active[host] = a = self.active.get(host, 0) + 1
            if a > self.max_active.get(host, 0):
                self.max_active[host] = a
            self.cond.notify_all()
        return entry, n, route

    def release(self, entry):
        with self.cond:
            self.active[entry.host] -= 1

    def finish(self, entry):
        with self.cond:
            entry.t_end = time.monotonic()
            self.cond.notify_all()

    # -- the log, for the tests --
    def requests(self, path=None):
        """A copy of the log, or of the requests to path (query ignored)."""
        with self.lock:
            return [e for e in self.log
                    if path is None or e.path.split("?", 1)[0] == path]

    def count(self, path):
        with self.lock:
            return self.counts.get(path, 0)

    def wait_for(self, predicate, timeout, what=None):
        """Waits until predicate(log copy) is true; returns the log.  On
        timeout raises AssertionError naming what was awaited."""
        deadline = time.monotonic() + timeout * float(
            os.environ.get("FEEDSPOOL_SLOW") or
            (10 if os.environ.get("FEEDSPOOL_VALGRIND") == "1" else 1))
        with self.cond:
            while True:
                log = list(self.log)
                if predicate(log):
                    return log
                left = deadline - time.monotonic()
                if left <= 0 or self.stopping.is_set():
                    break
                self.cond.wait(min(left, 0.5))
        raise AssertionError(
            "server: timed out after %.1f s waiting for %s; the log:\n  %s"
            % (timeout, what or getattr(predicate, "__name__", "?"),
               "\n  ".join(repr(e) for e in log[-40:]) or "(empty)"))

    def wait_count(self, path, n, timeout, done=False):
        """Waits for n requests to path (and, with done, for the nth one's
        route to end); returns those requests."""
        def enough(log):
            got = [e for e in log if e.path.split("?", 1)[0] == path]
            return len(got) >= n and (not done or got[n - 1].done)
        self.wait_for(enough, timeout, "%d requests to %s" % (n, path))
        return self.requests(path)


# ---------------------------------------------------------------------------
# Documents

def _esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def site(title):
    """The site of a test feed: one per feed title, so that items of two
    feeds never share a URL (the daemon drops an item whose URL it has
    seen, whichever feed it came from)."""
    return "http://example.org/%s/" % hashlib.sha1(
        title.encode("utf-8")).hexdigest()[:10]


def item_url(title, i):
    """The URL of item i of rss(title, ...) when not given."""
    return "%sitem/%d" % (site(title), i)


def rss(title, items, link=None, decl=True, encoding=None):
    """An RSS 2.0 document (str).  items: titles, or (title, link); the
    default link of the channel is site(title), of an item item_url()."""
    link = link or site(title)
    out = []
    if decl:
        out.append('<?xml version="1.0"%s?>\n' %
                   (' encoding="%s"' % encoding if encoding else ""))
    out.append('<rss version="2.0"><channel><title>%s</title>'
               '<link>%s</link><description>test</description>\n'
               % (_esc(title), _esc(link)))
    for i, it in enumerate(items):
        t, u = (it, None) if isinstance(it, str) else it
        u = u or "%sitem/%d" % (link, i)
        out.append('<item><title>%s</title><link>%s</link>'
                   '<guid>%s</guid><description>%s</description></item>\n'
                   % (_esc(t), _esc(u), _esc(u), _esc(t)))
    out.append("</channel></rss>\n")
    return "".join(out)


def atom(title, items, base=None):
    base = base or site(title)
    out = ['<?xml version="1.0" encoding="utf-8"?>\n'
           '<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title>'
           '<id>%s</id><updated>2024-01-01T00:00:00Z</updated>\n'
           % (_esc(title), base)]
    for i, t in enumerate(items):
        out.append('<entry><title>%s</title><id>%sentry/%d</id>'
                   '<link href="%sentry/%d"/>'
                   '<updated>2024-01-01T00:00:00Z</updated>'
                   '<summary>%s</summary></entry>\n'
                   % (_esc(t), base, i, base, i, _esc(t)))
    out.append("</feed>\n")
    return "".join(out)


RSS_TYPE = "application/rss+xml; charset=utf-8"


def _bytes(doc):
    return doc.encode("utf-8") if isinstance(doc, str) else doc


# ---------------------------------------------------------------------------
# Routes

def feed(doc, ctype=RSS_TYPE, headers=(), status=200, encoding=None):
    """200 with doc; encoding: "gzip", "deflate", "br" (the client must
    have asked for it, else the answer is 406)."""
    raw = _bytes(doc)

    def route(req, w):
        body = raw
        hdrs = [("Content-Type", ctype)] + list(headers)
        if encoding is not None:
            if not req.accepts(encoding):
                w.respond(406, b"ask for %s\n" % encoding.encode())
                return
            body = encode(raw, encoding)
            hdrs.append(("Content-Encoding", encoding))
        w.respond(status, body, hdrs)
    return route


def encode(data, coding):
    if coding == "gzip":
        return gzip.compress(data, 6)
    if coding == "deflate":
        return zlib.compress(data)
    if coding == "br":
        if brotli is None:
            raise RuntimeError("python3-brotli is not installed")
        return brotli.compress(data, quality=1)
    raise ValueError(coding)


def conditional(doc, etag=None, last_modified=None, ctype=RSS_TYPE,
                validators_on_304=False):
    """200 with validators; 304 when the request carries exactly the
    validators we sent (If-None-Match wins over If-Modified-Since, RFC
    9110 13.2.2).  The 304 repeats them only with validators_on_304."""
    raw = _bytes(doc)

    def route(req, w):
        inm = req.header("If-None-Match")
        ims = req.header("If-Modified-Since")
        hdrs = []
        if etag is not None:
            hdrs.append(("ETag", etag))
        if last_modified is not None:
            hdrs.append(("Last-Modified", last_modified))
        if inm is not None:
            fresh = etag is not None and inm == etag
        else:
            fresh = ims is not None and last_modified is not None and \
                ims == last_modified
        if fresh:
            w.respond(304, b"", hdrs if validators_on_304 else [])
        else:
            w.respond(200, raw, [("Content-Type", ctype)] + hdrs)
    return route


def status(code, body=b"", headers=(), ctype="text/plain"):
    def route(req, w):
        hdrs = list(headers)
        if body:
            hdrs.append(("Content-Type", ctype))
        w.respond(code, _bytes(body), hdrs)
    return route


def redirect(code, location):
    """location: a full URL or a path (sent as is)."""
    return status(code, b"moved\n", [("Location", location)])


def seq(*routes):
    """The nth request gets routes[n-1]; the last one repeats."""
    def route(req, w):
        routes[min(req.n, len(routes)) - 1](req, w)
    return route


def hold(seconds, inner):
    """Waits before answering (the request counts as in progress)."""
    def route(req, w):
        w.sleep(seconds)
        inner(req, w)
    return route


def drip(doc, total_seconds, ctype=RSS_TYPE, length=True):
    """Sends doc a few bytes at a time, spread over total_seconds (at most
    MAX_STREAM_SECONDS), then ends normally if the client is still there."""
    raw = _bytes(doc)

    def route(req, w):
        hdrs = [("Content-Type", ctype)]
        if length:
            hdrs.append(("Content-Length", str(len(raw))))
        w.head(200, hdrs)
        secs = min(total_seconds, MAX_STREAM_SECONDS)
        pieces = max(1, int(secs / 0.1))
        size = max(1, -(-len(raw) // pieces))
        start = time.monotonic()
        for i in range(0, len(raw), size):
            if i > 0:
                w.sleep(max(0.0, start + secs * i / len(raw) -
                            time.monotonic()))
            if w._h.server.fs.stopping.is_set():
                break
            w.body(raw[i:i + size])
        w._entry.note = "drip done"
    return route


def endless(chunk=16 * 1024, chunked=True, ctype=RSS_TYPE):
    """A body that never ends: XML-ish filler until the client leaves (or
    MAX_STREAM_BYTES / MAX_STREAM_SECONDS pass)."""
    def route(req, w):
        hdrs = [("Content-Type", ctype)]
        if chunked:
            hdrs.append(("Transfer-Encoding", "chunked"))
        w.head(200, hdrs)
        piece = (b'<?xml version="1.0"?><rss version="2.0"><channel>'
                 b"<title>endless</title>")
        filler = (b"<!-- " + b"x" * (chunk - 10) + b" -->")[:chunk]
        start = time.monotonic()
        sent = 0
        while sent < MAX_STREAM_BYTES and \
                time.monotonic() - start < MAX_STREAM_SECONDS and \
                not w._h.server.fs.stopping.is_set():
            (w.chunk if chunked else w.body)(piece)
            sent += len(piece)
            piece = filler
        w.closing = True
    return route


def declared_too_big(size, ctype=RSS_TYPE):
    """Content-Length says size; a few bytes follow, then the connection
    closes."""
    def route(req, w):
        w.head(200, [("Content-Type", ctype),
                     ("Content-Length", str(size))])
        w.body(b'<?xml version="1.0"?><rss version="2.0">')
        w.closing = True
    return route


def bomb(coding, inflated_size, ctype=RSS_TYPE):
    """A small compressed body that inflates to inflated_size bytes."""
    raw = (b'<?xml version="1.0"?><rss version="2.0"><channel>'
           b"<title>bomb</title><description>" +
           b" " * inflated_size + b"</description></channel></rss>")
    data = encode(raw, coding)

    def route(req, w):
        if not req.accepts(coding):
            w.respond(406, b"ask for %s\n" % coding.encode())
            return
        w.respond(200, data, [("Content-Type", ctype),
                              ("Content-Encoding", coding)])
    route.compressed_size = len(data)
    return route


def truncated(doc, send, declared, ctype=RSS_TYPE):
    """Content-Length: declared, only the first send bytes, then FIN."""
    raw = _bytes(doc)

    def route(req, w):
        w.head(200, [("Content-Type", ctype),
                     ("Content-Length", str(declared))])
        w.body(raw[:send])
        w.closing = True
    return route


def reset(doc, send, ctype=RSS_TYPE):
    """Headers, the first send bytes of doc, a pause, then a TCP reset."""
    raw = _bytes(doc)

    def route(req, w):
        w.head(200, [("Content-Type", ctype),
                     ("Content-Length", str(len(raw)))])
        w.body(raw[:send])
        w.sleep(0.2)
        w.abort()
    return route


# ---------------------------------------------------------------------------

def _demo_routes():
    doc = rss("demo", ["first", "second"])
    return {
        "/feed.xml": feed(doc),
        "/gzip.xml": feed(doc, encoding="gzip"),
        "/cond.xml": conditional(doc, etag='"v1"'),
        "/slow.xml": drip(doc, 10),
        "/endless.xml": endless(),
        "/bomb.xml": bomb("gzip", 10 * 1024 * 1024),
        "/301": redirect(301, "/feed.xml"),
        "/loop": redirect(302, "/loop"),
        "/410": status(410),
        "/429": status(429, headers=[("Retry-After", "5")]),
        "/500": status(500),
        "/truncated.xml": truncated(doc, 100, 5000),
        "/reset.xml": reset(doc, 100),
    }


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lifetime", type=float, default=120.0)
    args = ap.parse_args(argv)
    done = threading.Event()
    srv = Server(_demo_routes(), lifetime=args.lifetime,
                 on_expire=done.set)
    srv.start()
    print(srv.port, flush=True)
    for path in sorted(srv.routes):
        print("  " + srv.url(path), flush=True)
    try:
        done.wait(args.lifetime + 1)
    except KeyboardInterrupt:
        pass
    srv.stop()
    for e in srv.requests():
        print(repr(e))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
