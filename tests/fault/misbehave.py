#!/usr/bin/python3
"""A misbehaving HTTP server for feedspool's fault suite (test_fault.py).

Standard library only (python3-brotli for the brotli bomb when it is
installed).  It listens on 127.0.0.1 only, on a port the OS picks, and
answers on raw sockets, so that it can break HTTP in ways a well-behaved
server library never would: garbage status lines, bad chunk sizes, 1 MB of
headers, resets in the middle of a body, lying Content-Length...

Every response is followed by a close (no keep-alive), every loop is
bounded (MAX_STREAM_SECONDS, MAX_STREAM_BYTES), and the whole server stops
by itself when its lifetime is over, whatever the test does.

ROUTES maps a path to (handler, description); a handler is
handler(conn, req) and writes whatever it likes on the socket conn.  The
server keeps a log of every request (Entry): arrival time, path, how many
bytes went out, whether the answer was sent whole, whether the client went
away first, and for the feeds that deliver, which item titles it served.

Run by hand (`misbehave.py --lifetime 60`) it prints its port and paths,
for poking at it with curl.
"""

import gzip
import re
import select
import socket
import struct
import sys
import threading
import time
import zlib

try:
    import brotli  # python3-brotli (Debian package)
except ImportError:  # pragma: no cover - depends on the system
    brotli = None

MAX_STREAM_SECONDS = 40.0
MAX_STREAM_BYTES = 64 * 1024 * 1024
HEAD_LIMIT = 64 * 1024
BOMB_SIZE = 16 * 1024 * 1024     # inflated size of the compression bombs
HUGE_ITEMS = 100000     # /huge-items: so many items,
HUGE_DISTINCT = 100     # of which so many distinct articles
DISTINCT_ITEMS = 100000  # /huge-distinct (lowered under AddressSanitizer)

RSS_TYPE = "application/rss+xml; charset=utf-8"


# ---------------------------------------------------------------------------
# Documents

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def site(name):
    """Every feed's items live under their own site: the daemon drops an
    item whose URL it has seen, whichever feed it came from."""
    return "http://fault.example/%s/" % name


def slug(title):
    return re.sub(r"[^A-Za-z0-9.]+", "-", title)


def rss(name, titles, encoding="utf-8", extra_channel=""):
    """An RSS 2.0 document (str); item i of titles gets the URL
    site(name)/item/<title with spaces as dashes>."""
    out = ['<?xml version="1.0" encoding="%s"?>\n' % encoding,
           '<rss version="2.0"><channel><title>%s</title><link>%s</link>'
           '<description>fault suite</description>%s\n'
           % (esc(name), site(name), extra_channel)]
    for t in titles:
        u = "%sitem/%s" % (site(name), slug(t))
        out.append('<item><title>%s</title><link>%s</link><guid>%s</guid>'
                   '<description>%s, a test item of %s</description></item>\n'
                   % (esc(t), esc(u), esc(u), esc(t), esc(name)))
    out.append("</channel></rss>\n")
    return "".join(out)


_cache = {}
_cache_lock = threading.Lock()


def cached(key, make):
    with _cache_lock:
        if key not in _cache:
            _cache[key] = make()
        return _cache[key]


def bomb_body(coding):
    raw = (b'<?xml version="1.0"?><rss version="2.0"><channel>'
           b"<title>bomb</title><description>" + b" " * BOMB_SIZE +
           b"</description></channel></rss>")
    if coding == "gzip":
        return gzip.compress(raw, 9)
    if coding == "deflate":
        return zlib.compress(raw, 9)
    if coding == "br":
        return brotli.compress(raw, quality=5)
    raise ValueError(coding)


def huge_doc(n, distinct):
    """n items, as small as an RSS item gets (about 30 bytes each): the
    first distinct ones repeated over and over (a CMS gone wrong)."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
             '<channel><title>huge</title><link>%s</link>'
             '<description>many items</description>\n' % site("huge")]
    parts += ["<item><guid>h%d</guid></item>\n" % (i % distinct)
              for i in range(n)]
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>laughs</title><link>%s</link>
<description>&lol9;</description>
<item><title>laughs &lol9;</title><link>%sitem/1</link><guid>%sitem/1</guid>
<description>&lol9;&lol9;&lol9;</description></item>
</channel></rss>
""" % ((site("laughs"),) * 3)


def deep_doc():
    depth = 100000
    return ('<?xml version="1.0"?><rss version="2.0"><channel>'
            '<title>deep</title><link>%s</link><description>deep'
            '</description><item><title>deep</title><guid>%sitem/1</guid>'
            '<description>' % (site("deep"), site("deep")) +
            "<div>" * depth + "x" + "</div>" * depth +
            "</description></item></channel></rss>\n").encode()


# ---------------------------------------------------------------------------
# The server

class Entry:
    """One request in the log."""

    def __init__(self, seq, t, path, n, peer, head):
        self.seq = seq
        self.t = t              # time.monotonic() when the head was read
        self.path = path
        self.n = n              # 1 for the first request to this path
        self.peer = peer
        self.head = head        # the request head, as text
        self.bytes_sent = 0
        self.complete = False   # the whole answer went out
        self.client_gone = False
        self.t_end = None
        self.items = []         # titles served (delivering feeds)
        self.note = ""

    def header(self, name):
        for line in self.head.split("\r\n")[1:]:
            k, _, v = line.partition(":")
            if k.strip().lower() == name.lower():
                return v.strip()
        return None

    def __repr__(self):
        return "<%d %.3f %s #%d sent=%d%s%s%s>" % (
            self.seq, self.t, self.path, self.n, self.bytes_sent,
            " complete" if self.complete else "",
            " client-gone" if self.client_gone else "",
            " " + self.note if self.note else "")


class Gone(Exception):
    """The client went away (or the server is stopping)."""


class Conn:
    """What a handler writes with."""

    def __init__(self, server, sock, entry):
        self.server = server
        self.sock = sock
        self.entry = entry
        self.closed = False

    @property
    def stopping(self):
        return self.server.stopping.is_set()

    def send(self, data):
        if self.stopping:
            raise Gone("stopping")
        try:
            self.sock.sendall(data)
        except OSError as e:
            self.entry.client_gone = True
            raise Gone(str(e)) from None
        self.entry.bytes_sent += len(data)

    def head(self, code, reason, headers=(), version="HTTP/1.1"):
        lines = ["%s %s %s" % (version, code, reason)]
        lines += ["%s: %s" % kv for kv in headers]
        lines.append("Connection: close")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def respond(self, code, body, ctype=RSS_TYPE, headers=(),
                reason="Whatever"):
        hdrs = [("Content-Type", ctype)] if ctype else []
        hdrs += list(headers)
        hdrs.append(("Content-Length", str(len(body))))
        self.head(code, reason, hdrs)
        self.send(body)
        self.entry.complete = True

    def sleep(self, seconds):
        """Waits, but not past the server's stop; raises Gone when the
        client closed its end meanwhile."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            if self.server.stopping.wait(min(left, 0.2)):
                raise Gone("stopping")
            if self.peer_closed():
                self.entry.client_gone = True
                raise Gone("client closed")

    def peer_closed(self):
        try:
            r, _, _ = select.select([self.sock], [], [], 0)
            if r:
                return self.sock.recv(4096, socket.MSG_PEEK) == b""
        except OSError:
            return True
        return False

    def reset(self):
        """Closes with a TCP reset (RST, not FIN)."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 struct.pack("ii", 1, 0))
            self.sock.close()
        except OSError:
            pass
        self.closed = True


class Server:
    def __init__(self, routes, lifetime=90.0):
        self.routes = dict(routes)
        self.lifetime = lifetime
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.log = []
        self.counts = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._threads = []
        self._timer = None

    def url(self, path, host="127.0.0.1"):
        return "http://%s:%d%s" % (host, self.port, path)

    def start(self):
        t = threading.Thread(target=self._accept, daemon=True,
                             name="misbehave-%d" % self.port)
        t.start()
        self._timer = threading.Timer(self.lifetime, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def _expire(self):
        sys.stderr.write("misbehave on port %d: lifetime of %.0f s over, "
                         "stopping\n" % (self.port, self.lifetime))
        self.stop()

    def stop(self):
        if self.stopping.is_set():
            return
        self.stopping.set()
        if self._timer is not None:
            self._timer.cancel()
        try:
            self.sock.close()
        except OSError:
            pass

    def requests(self, path=None):
        with self.lock:
            return [e for e in self.log if path is None or e.path == path]

    def _accept(self):
        while not self.stopping.is_set():
            try:
                s, addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            t = threading.Thread(target=self._serve, args=(s, addr),
                                 daemon=True)
            t.start()

    def _read_head(self, s):
        data = b""
        deadline = time.monotonic() + 10
        while b"\r\n\r\n" not in data:
            if len(data) > HEAD_LIMIT or time.monotonic() > deadline or \
                    self.stopping.is_set():
                return None
            if data[:1] == b"\x16":
                return data     # a TLS ClientHello, not HTTP
            try:
                s.settimeout(0.5)
                chunk = s.recv(16384)
            except socket.timeout:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def _serve(self, s, addr):
        try:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            raw = self._read_head(s)
            if raw is None:
                return
            if raw[:1] == b"\x16":
                path = "<tls>"
                head = "(TLS ClientHello)"
            else:
                head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
                parts = head.split("\r\n", 1)[0].split(" ")
                path = parts[1] if len(parts) > 1 else "?"
            key = path.split("?", 1)[0]
            with self.lock:
                self.counts[key] = n = self.counts.get(key, 0) + 1
                e = Entry(len(self.log), time.monotonic(), key, n, addr[1],
                          head)
                self.log.append(e)
                route = self.routes.get(key)
                if route is None:
                    for prefix, r in self.routes.items():
                        if prefix.endswith("/") and key.startswith(prefix):
                            route = r
                            break
            c = Conn(self, s, e)
            s.settimeout(10)
            try:
                if key == "<tls>":
                    # Plain HTTP to a TLS client: its handshake fails.
                    c.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: "
                           b"12\r\nConnection: close\r\n\r\nplain http\r\n")
                elif route is None:
                    c.respond(404, b"not here\n", "text/plain")
                else:
                    route[0](c, e)
            except Gone:
                pass
            except Exception as ex:  # a bug in a handler: say so
                e.note = "handler raised %r" % (ex,)
                sys.stderr.write("misbehave: %s: %r\n" % (key, ex))
            finally:
                e.t_end = time.monotonic()
        finally:
            try:
                if not getattr(s, "_closed", False):
                    try:
                        s.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    s.close()
            except OSError:
                pass


# ---------------------------------------------------------------------------
# The misbehaviours.  Each handler(c, e): c a Conn, e the log Entry.

def h_canary(name):
    doc = rss(name, ["%s one" % name, "%s two" % name]).encode()

    def h(c, e):
        e.items = ["%s one" % name, "%s two" % name]
        c.respond(200, doc)
    return h


def h_slow_drip(c, e):
    """1 byte a second, of a body whose Content-Length is right."""
    doc = rss("drip", ["drip one"]).encode()
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Content-Length", str(len(doc)))])
    start = time.monotonic()
    for i in range(len(doc)):
        if time.monotonic() - start > MAX_STREAM_SECONDS:
            break
        c.send(doc[i:i + 1])
        c.sleep(1.0)


def h_endless(c, e):
    """A chunked body that never ends (until the client leaves)."""
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Transfer-Encoding", "chunked")])
    piece = b'<?xml version="1.0"?><rss version="2.0"><channel><title>e'
    filler = b"<!-- " + b"x" * (16 * 1024 - 9) + b" -->"
    start = time.monotonic()
    while e.bytes_sent < MAX_STREAM_BYTES and \
            time.monotonic() - start < MAX_STREAM_SECONDS:
        c.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        piece = filler


def h_bomb(coding):
    def h(c, e):
        body = cached("bomb-" + coding, lambda: bomb_body(coding))
        e.note = "%d compressed bytes" % len(body)
        c.respond(200, body, headers=[("Content-Encoding", coding)])
    return h


def h_header_flood(c, e):
    """1 MB of response headers: 20000 lines of about 50 bytes."""
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: " + RSS_TYPE.encode() +
           b"\r\n")
    line = b"X-Filler-%05d: " + b"f" * 32 + b"\r\n"
    block = b"".join(line % i for i in range(20000))
    for i in range(0, len(block), 64 * 1024):
        c.send(block[i:i + 64 * 1024])
    doc = rss("headers", ["header flood"]).encode()
    c.send(b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(doc) +
           doc)
    e.complete = True


def h_huge_header_line(c, e):
    """One header line of 1 MiB."""
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: " + RSS_TYPE.encode() +
           b"\r\nX-Huge: ")
    block = b"h" * (64 * 1024)
    for _ in range(16):
        c.send(block)
    doc = rss("hugeline", ["huge header line"]).encode()
    c.send(b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
           % len(doc) + doc)
    e.complete = True


def h_chunked_bad_hex(c, e):
    doc = rss("badhex", ["bad hex"]).encode()
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Transfer-Encoding", "chunked")])
    c.send(b"zz9\r\n" + doc + b"\r\n0\r\n\r\n")
    e.complete = True


def h_chunked_truncated(c, e):
    """The last chunk announced as 0x4000 bytes, 100 sent, then FIN."""
    doc = rss("chunktrunc", ["chunk one"]).encode()
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Transfer-Encoding", "chunked")])
    c.send(b"%x\r\n%s\r\n" % (len(doc) // 2, doc[:len(doc) // 2]))
    c.send(b"4000\r\n" + doc[len(doc) // 2:len(doc) // 2 + 100])


def h_garbage_status(c, e):
    doc = rss("garbage", ["garbage status"]).encode()
    c.send(b"HTTP/1.1 OK-ish two hundred\r\nContent-Type: " +
           RSS_TYPE.encode() + b"\r\nContent-Length: %d\r\n\r\n" % len(doc)
           + doc)
    e.complete = True


def h_http09(c, e):
    """A body and nothing else: no status line, no headers."""
    c.send(rss("http09", ["no status line"]).encode())
    e.complete = True


def h_binary_junk(c, e):
    c.send(bytes((i * 37 + 11) % 256 for i in range(4096)))
    e.complete = True


def h_status_999(c, e):
    doc = rss("s999", ["status 999"]).encode()
    c.respond(999, doc, reason="Beyond")


def h_reset_mid_body(c, e):
    doc = rss("reset", ["reset %d" % i for i in range(50)]).encode()
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Content-Length", str(len(doc)))])
    c.send(doc[:len(doc) // 2])
    c.sleep(0.3)
    c.reset()


def h_close_at_once(c, e):
    """The request is read, the connection closed without a byte."""
    e.note = "closed without a byte"


def h_never_answer(c, e):
    c.sleep(MAX_STREAM_SECONDS)


def h_redirect(location_of):
    def h(c, e):
        loc = location_of(c, e)
        c.respond(302, b"moved\n", "text/plain", [("Location", loc)],
                  reason="Found")
    return h


def h_redirect_no_location(c, e):
    c.respond(302, b"moved, but where?\n", "text/plain", reason="Found")


def h_cl_larger(c, e):
    """Content-Length: 5000; 200 bytes, then FIN."""
    doc = rss("cllarger", ["lying length"]).encode()
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Content-Length", "5000")])
    c.send(doc[:200])


CL_SMALLER_TITLES = ["short length %d" % i for i in range(5)]


def h_cl_smaller(c, e):
    """Content-Length covers the start of the document: two whole items
    and the middle of the third; the whole document follows."""
    doc = rss("clsmaller", CL_SMALLER_TITLES)
    cut = doc.index("<item>", doc.index("short length 2") - 20) + 30
    e.items = CL_SMALLER_TITLES[:2]     # what Content-Length covers
    c.head(200, "OK", [("Content-Type", RSS_TYPE),
                       ("Content-Length", str(cut))])
    c.send(doc.encode())
    e.complete = True


CHARSET_TITLES = ["caf\u00e9 cr\u00e8me %d" % i for i in range(3)]


def h_says_latin1_is_utf8(c, e):
    """Content-Type says ISO-8859-1; the body is UTF-8 (no encoding in the
    XML declaration)."""
    doc = rss("latin1says", CHARSET_TITLES).replace(
        ' encoding="utf-8"', "").encode("utf-8")
    e.items = list(CHARSET_TITLES)
    c.respond(200, doc, "application/rss+xml; charset=ISO-8859-1")


def h_says_utf8_is_latin1(c, e):
    """Content-Type says UTF-8; the body is ISO-8859-1 (and says so in its
    XML declaration)."""
    doc = rss("utf8says", CHARSET_TITLES, encoding="ISO-8859-1").encode(
        "latin-1")
    e.items = list(CHARSET_TITLES)
    c.respond(200, doc, "application/rss+xml; charset=utf-8")


def h_unknown_charset(c, e):
    doc = rss("bogusset", ["bogus charset %d" % i for i in range(3)]).encode()
    e.items = ["bogus charset %d" % i for i in range(3)]
    c.respond(200, doc, "application/rss+xml; charset=x-no-such-charset-42")


def h_304_first(c, e):
    """304 Not Modified to every request, conditional or not, with no
    validators."""
    c.head(304, "Not Modified", [])
    e.complete = True


def h_html(c, e):
    c.respond(200, b"<!DOCTYPE html><html><head><title>Welcome</title>"
              b"</head><body><h1>Our new website</h1><p>No feed here."
              b"</p></body></html>\n", "text/html; charset=utf-8")


def h_empty(c, e):
    c.respond(200, b"")


def h_huge_items(c, e):
    body = cached("huge", lambda: huge_doc(HUGE_ITEMS, HUGE_DISTINCT))
    e.note = "%d bytes" % len(body)
    c.respond(200, body)


def h_huge_distinct(c, e):
    body = cached("huge-distinct", lambda: huge_doc(DISTINCT_ITEMS,
                                                    DISTINCT_ITEMS))
    e.note = "%d bytes" % len(body)
    c.respond(200, body)


def h_changing(c, e):
    """New items at every poll: poll n serves the items of polls n-4..n,
    three per poll."""
    titles = ["change %d.%d" % (p, k)
              for p in range(max(1, e.n - 4), e.n + 1) for k in range(3)]
    e.items = titles
    c.respond(200, rss("changing", titles).encode())


def h_bad_gzip(c, e):
    junk = b"\x1f\x8b\x08\x00" + bytes((i * 7 + 3) % 256 for i in range(2000))
    c.respond(200, junk, headers=[("Content-Encoding", "gzip")])


def h_500_huge(c, e):
    """500 with an 8 MiB chunked body."""
    c.head(500, "Internal Server Error", [("Content-Type", "text/html"),
                                          ("Transfer-Encoding", "chunked")])
    block = b"<p>" + b"e" * (64 * 1024 - 7) + b"</p>"
    for _ in range(128):
        c.send(b"%x\r\n%s\r\n" % (len(block), block))
    c.send(b"0\r\n\r\n")
    e.complete = True


def h_retry_years(c, e):
    """503 with Retry-After: a hundred years."""
    c.respond(503, b"come back in a century\n", "text/plain",
              [("Retry-After", str(100 * 365 * 86400))],
              reason="Service Unavailable")


def h_laughs(c, e):
    e.items = ["laughs"]
    c.respond(200, LAUGHS.encode())


def h_deep(c, e):
    c.respond(200, cached("deep", deep_doc))


def h_continue_flood(c, e):
    """100 Continue, again and again, never a final answer."""
    start = time.monotonic()
    while time.monotonic() - start < MAX_STREAM_SECONDS:
        c.send(b"HTTP/1.1 100 Continue\r\n\r\n" * 64)
        c.sleep(0.05)


def _chain(c, e):
    n = int(e.path.rsplit("/", 1)[1] or 0)
    return "/redirect-chain/%d" % (n + 1) if n < 10 else "/canary/1"


# path -> (handler, what it does)
ROUTES = {
    "/slow-drip": (h_slow_drip, "slow drip, 1 byte/s"),
    "/endless": (h_endless, "endless chunked body"),
    "/gzip-bomb": (h_bomb("gzip"), "gzip bomb (16 MiB inflated)"),
    "/deflate-bomb": (h_bomb("deflate"), "deflate bomb (16 MiB inflated)"),
    "/brotli-bomb": (h_bomb("br"), "brotli bomb (16 MiB inflated)"),
    "/header-flood": (h_header_flood, "1 MB of response headers"),
    "/huge-header-line": (h_huge_header_line, "one 1 MiB header line"),
    "/chunked-bad-hex": (h_chunked_bad_hex, "chunked, bad hex chunk size"),
    "/chunked-truncated": (h_chunked_truncated,
                           "chunked, last chunk truncated"),
    "/garbage-status": (h_garbage_status, "garbage status line"),
    "/http09": (h_http09, "HTTP/0.9 style answer, no status line"),
    "/binary-junk": (h_binary_junk, "4 KiB of binary junk as the answer"),
    "/status-999": (h_status_999, "status 999"),
    "/reset-mid-body": (h_reset_mid_body, "TCP reset in the middle of the "
                        "body"),
    "/close-at-once": (h_close_at_once, "connection closed before any "
                       "byte"),
    "/never-answer": (h_never_answer, "request accepted, never answered"),
    "/redirect-loop": (h_redirect(lambda c, e: "/redirect-loop"),
                       "redirect loop"),
    "/redirect-ftp": (h_redirect(lambda c, e: "ftp://127.0.0.1:%d/feed.xml"
                                 % c.server.port), "redirect to ftp://"),
    "/redirect-file": (h_redirect(lambda c, e: "file:///etc/passwd"),
                       "redirect to file://"),
    "/redirect-https": (h_redirect(lambda c, e: "https://127.0.0.1:%d/tls"
                                   % c.server.port),
                        "redirect to https:// on a plain HTTP port"),
    "/redirect-chain/": (h_redirect(_chain), "redirect chain of 11 hops "
                         "(limit 5)"),
    "/redirect-no-location": (h_redirect_no_location,
                              "302 without Location"),
    "/cl-larger": (h_cl_larger, "Content-Length larger than the body"),
    "/cl-smaller": (h_cl_smaller, "Content-Length smaller than the body"),
    "/says-latin1-is-utf8": (h_says_latin1_is_utf8,
                             "charset=ISO-8859-1, body in UTF-8"),
    "/says-utf8-is-latin1": (h_says_utf8_is_latin1,
                             "charset=utf-8, body in ISO-8859-1"),
    "/unknown-charset": (h_unknown_charset, "an unknown charset"),
    "/not-modified-first": (h_304_first, "304 without validators to the "
                            "first (unconditional) request"),
    "/html": (h_html, "an HTML page instead of a feed"),
    "/empty": (h_empty, "200 with an empty body"),
    "/huge-items": (h_huge_items, "a feed of 100,000 items, 100 distinct "
                    "articles repeated"),
    "/huge-distinct": (h_huge_distinct, "a feed of DISTINCT_ITEMS distinct "
                       "items"),
    "/changing": (h_changing, "a feed with new items at every poll"),
    "/bad-gzip": (h_bad_gzip, "Content-Encoding: gzip, invalid gzip data"),
    "/500-huge": (h_500_huge, "500 with an 8 MiB body"),
    "/retry-years": (h_retry_years, "503 with Retry-After of 100 years"),
    "/laughs": (h_laughs, "billion laughs entities"),
    "/deep": (h_deep, "100,000 nested elements"),
    "/continue-flood": (h_continue_flood, "endless 100 Continue"),
    "/canary/": (None, "a healthy feed"),
}


def canary_routes(names):
    return {"/canary/%s" % n: (h_canary("canary%s" % n), "canary")
            for n in names}


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lifetime", type=float, default=60.0)
    args = ap.parse_args(argv)
    routes = {k: v for k, v in ROUTES.items() if v[0] is not None}
    routes.update(canary_routes(["1", "2", "3"]))
    srv = Server(routes, lifetime=args.lifetime).start()
    print(srv.port, flush=True)
    for p in sorted(routes):
        print("  %s  %s" % (srv.url(p), routes[p][1]), flush=True)
    try:
        srv.stopping.wait(args.lifetime + 1)
    except KeyboardInterrupt:
        pass
    srv.stop()
    for e in srv.requests():
        print(repr(e))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
