#!/usr/bin/python3
"""The merged outputs as the daemon writes them: Atom, RSS and JSON Feed
with output_url, newest first across feeds, each entry naming its origin;
the Atom valid against RFC 4287's schema and read back by `feedspool
parse`; rewritten only when something changed, debounced, and never seen
half-written."""

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import feed  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_RNG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "writer", "atom.rng")
SELF = "https://news.example.org/all/merged.atom"


def _esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def dated_rss(title, items):
    """RSS 2.0; items: (item title, day of January 2024)."""
    slug = title.lower().replace(" ", "-")
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
           '<channel><title>%s</title><link>http://example.net/%s/</link>'
           '<description>output test</description>\n' % (_esc(title), slug)]
    for name, day in items:
        u = "http://example.net/%s/%s" % (slug, name.replace(" ", "-"))
        out.append('<item><title>%s</title><link>%s</link><guid>%s</guid>'
                   '<pubDate>%s, %02d Jan 2024 12:00:00 GMT</pubDate>'
                   '<description>%s, told at length for the test.'
                   '</description></item>\n'
                   % (_esc(name), u, u,
                      ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][
                          day % 7], day, _esc(name)))
    out.append("</channel></rss>\n")
    return "".join(out)


def once_ok(t, cfg):
    r = t.once(cfg)
    expect(r.rc == 0, "once: exit %s\n%s", r.rc, r.err)
    return r


def test_merged_formats(t):
    """Atom, RSS and JSON Feed: output_items newest first across feeds,
    output_url as id and self link, origin named, schema-valid, and read
    back through `feedspool parse` to the same items"""
    t.serve({
        "/alpha.xml": feed(dated_rss("Alpha", [("alpha 1", 1),
                                               ("alpha 3", 3),
                                               ("alpha 5", 5)])),
        "/beta.xml": feed(dated_rss("Beta", [("beta 2", 2), ("beta 4", 4),
                                             ("beta 6", 6)])),
    })
    d = t.dir
    cfg, _ = t.config(settings={
        "output_rss": d + "/merged.rss",
        "output_json": d + "/merged.json",
        "output_items": "4",
        "output_title": "All the news",
        "output_url": SELF,
    }, feeds={"alpha": t.url("/alpha.xml"), "beta": t.url("/beta.xml")})
    r = once_ok(t, cfg)
    want = ["beta 6", "alpha 5", "beta 4", "alpha 3"]
    feed_title = {"beta 6": "Beta", "alpha 5": "Alpha", "beta 4": "Beta",
                  "alpha 3": "Alpha"}

    root = ET.parse(d + "/merged.atom").getroot()
    expect(root.findtext(ATOM + "id") == SELF, "atom id %r",
           root.findtext(ATOM + "id"))
    expect(root.findtext(ATOM + "title") == "All the news", "atom title %r",
           root.findtext(ATOM + "title"))
    selfs = [ln.get("href") for ln in root.findall(ATOM + "link")
             if ln.get("rel") == "self"]
    expect(selfs == [SELF], "atom rel=self links %r", selfs)
    entries = root.findall(ATOM + "entry")
    got = [e.findtext(ATOM + "title") for e in entries]
    expect(got == want, "atom entries %r, want %r", got, want)
    for e in entries:
        title = e.findtext(ATOM + "title")
        src = e.find(ATOM + "source")
        expect(src is not None and src.findtext(ATOM + "title") ==
               feed_title[title], "entry %r: source %r", title,
               None if src is None else ET.tostring(src))
        expect(e.findtext(ATOM + "id", "").startswith("http://example.net/"),
               "entry %r keeps its own id: %r", title,
               e.findtext(ATOM + "id"))

    xmllint = shutil.which("xmllint")
    if xmllint is not None:
        p = subprocess.run([xmllint, "--noout", "--relaxng", ATOM_RNG,
                            d + "/merged.atom"], capture_output=True)
        expect(p.returncode == 0, "merged.atom is not valid RFC 4287:\n%s",
               p.stderr.decode("utf-8", "replace"))

    p = subprocess.run([harness.FEEDSPOOL, "parse", d + "/merged.atom"],
                       capture_output=True, timeout=20)
    expect(p.returncode == 0, "parse merged.atom: exit %d\n%s", p.returncode,
           p.stderr.decode("utf-8", "replace"))
    lines = [json.loads(ln) for ln in p.stdout.decode().splitlines()]
    items = [ln for ln in lines if ln.get("type") == "item"]
    expect([i["title"] for i in items] == want, "read back: %r",
           [i["title"] for i in items])
    spool = {i["title"]: i for i in
             r.items.of("alpha") + r.items.of("beta")}
    for i in items:
        s = spool.get(i["title"])
        expect(s is not None and s["url"] == i["url"] and
               s["published"] == i["published"] and
               s["content_hash"] == i["content_hash"],
               "read back %r differs from the spool's %r", i, s)

    rss = ET.parse(d + "/merged.rss").getroot().find("channel")
    expect(rss.findtext("link") == SELF, "rss channel link %r",
           rss.findtext("link"))
    got = [i.findtext("title") for i in rss.findall("item")]
    expect(got == want, "rss items %r", got)
    for i in rss.findall("item"):
        src = i.find("source")
        expect(src is not None and src.text == feed_title[i.findtext(
            "title")] and src.get("url", "").startswith("http://127.0.0.1"),
            "rss item %r: source %r", i.findtext("title"),
            None if src is None else ET.tostring(src))

    with open(d + "/merged.json", encoding="utf-8") as f:
        jf = json.load(f)
    expect(jf.get("version") == "https://jsonfeed.org/version/1.1",
           "json version %r", jf.get("version"))
    expect(jf.get("home_page_url") == SELF, "json home_page_url %r",
           jf.get("home_page_url"))
    got = [i.get("title") for i in jf.get("items", [])]
    expect(got == want, "json items %r", got)


def test_rewritten_only_on_change(t):
    """a poll that brings nothing new leaves the outputs alone (same
    inode, same mtime); a new item replaces them, newest first"""
    docs = {"v": dated_rss("Alpha", [("alpha 1", 1), ("alpha 2", 2)])}
    t.serve({"/alpha.xml": lambda req, w: feed(docs["v"])(req, w)})
    d = t.dir
    cfg, _ = t.config(settings={"output_rss": d + "/merged.rss"},
                      feeds={"alpha": t.url("/alpha.xml")})
    once_ok(t, cfg)
    before = [os.stat(d + p) for p in ("/merged.atom", "/merged.rss")]
    time.sleep(0.05)
    once_ok(t, cfg)
    after = [os.stat(d + p) for p in ("/merged.atom", "/merged.rss")]
    for b, a in zip(before, after):
        expect((b.st_ino, b.st_mtime_ns) == (a.st_ino, a.st_mtime_ns),
               "rewritten although nothing changed")
    docs["v"] = dated_rss("Alpha", [("alpha 1", 1), ("alpha 2", 2),
                                    ("alpha 9", 9)])
    once_ok(t, cfg)
    st = os.stat(d + "/merged.atom")
    expect(st.st_ino != after[0].st_ino, "not replaced after a change")
    root = ET.parse(d + "/merged.atom").getroot()
    got = [e.findtext(ATOM + "title") for e in root.findall(ATOM + "entry")]
    expect(got == ["alpha 9", "alpha 2", "alpha 1"], "entries %r", got)


def test_stamp_skips_only_what_is_current(t):
    """a start whose outputs are those outputs.stamp describes builds
    nothing; a file changed or removed by someone else, another setting,
    or a stamp that cannot be read brings a rebuild, never a stale file"""
    docs = {"v": dated_rss("Alpha", [("alpha 1", 1), ("alpha 2", 2)])}
    t.serve({"/alpha.xml": lambda req, w: feed(docs["v"])(req, w)})
    d = t.dir
    atom, rss = d + "/merged.atom", d + "/merged.rss"
    stamp = d + "/state/outputs.stamp"
    settings = {"output_rss": rss, "log_level": "debug"}
    cfg, _ = t.config(settings=settings, feeds={"alpha": t.url("/alpha.xml")})
    skipped = "up to date, nothing to build"

    def titles():
        root = ET.parse(atom).getroot()
        return (root.findtext(ATOM + "title"),
                [e.findtext(ATOM + "title")
                 for e in root.findall(ATOM + "entry")])

    once_ok(t, cfg)
    expect(os.path.exists(stamp), "no %s after a write", stamp)
    want = titles()
    expect(want[1] == ["alpha 2", "alpha 1"], "entries %r", want[1])

    # 1. Nothing new: nothing built.
    r = once_ok(t, cfg)
    expect(skipped in r.err, "the outputs were built again:\n%s", r.err)

    # 2. Someone truncated the Atom: rebuilt, whole.
    with open(atom, "w") as f:
        f.write("<feed/>")
    r = once_ok(t, cfg)
    expect(skipped not in r.err, "a truncated output was kept")
    expect(titles() == want, "after truncation: %r", titles())

    # 3. The RSS copy removed: written again.
    os.unlink(rss)
    r = once_ok(t, cfg)
    expect(os.path.exists(rss) and skipped not in r.err,
           "a removed output was not written again")

    # 4. Another title: shown at the next start.
    settings["output_title"] = "Everything, retitled"
    cfg, _ = t.config(settings=settings, feeds={"alpha": t.url("/alpha.xml")})
    r = once_ok(t, cfg)
    expect(titles()[0] == "Everything, retitled", "title %r", titles()[0])

    # 5. A stamp that cannot be read: rebuilt to the same bytes, so the
    # files are left as they are (what is on disk counts as written).
    before = [os.stat(p) for p in (atom, rss)]
    with open(stamp, "w") as f:
        f.write("garbage\n")
    r = once_ok(t, cfg)
    expect(skipped not in r.err, "an unreadable stamp was believed")
    after = [os.stat(p) for p in (atom, rss)]
    for b, a in zip(before, after):
        expect((b.st_ino, b.st_mtime_ns) == (a.st_ino, a.st_mtime_ns),
               "rewritten although the bytes were the same")
    r = once_ok(t, cfg)
    expect(skipped in r.err, "the stamp was not written again")

    # 6. A new article: built, and the next start is quiet again.
    docs["v"] = dated_rss("Alpha", [("alpha 1", 1), ("alpha 2", 2),
                                    ("alpha 9", 9)])
    once_ok(t, cfg)
    expect(titles()[1] == ["alpha 9", "alpha 2", "alpha 1"],
           "entries %r", titles()[1])


def test_debounced_burst(t):
    """30 feeds arriving within seconds: the Atom is replaced a few times,
    not once per feed, and every read of it is a whole document"""
    n = 30
    routes = {}
    feeds = {}
    for k in range(n):
        routes["/f%d.xml" % k] = feed(dated_rss(
            "Feed %d" % k, [("f%d a" % k, 1 + k % 20), ("f%d b" % k,
                                                         2 + k % 20)]))
    t.serve(routes)
    for k in range(n):
        feeds["f%d" % k] = t.url("/f%d.xml" % k)
    d = t.dir
    cfg, _ = t.config(settings={"interval": "3s", "min_interval": "1s",
                                "concurrency": "16", "per_host": "16",
                                "output_items": "1000"}, feeds=feeds)
    daemon = t.daemon(cfg)
    path = d + "/merged.atom"
    inodes, reads, bad = set(), 0, []
    deadline = time.monotonic() + 25
    entries = 0
    while time.monotonic() < deadline:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            time.sleep(0.002)
            continue
        try:
            inodes.add(os.fstat(fd).st_ino)
            data = b""
            while True:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(fd)
        reads += 1
        try:
            entries = len(ET.fromstring(data).findall(ATOM + "entry"))
        except ET.ParseError as e:
            bad.append("%s: %r" % (e, data[-80:]))
        if entries == 2 * n:
            break
        time.sleep(0.002)
    daemon.expect_alive()
    expect(entries == 2 * n, "merged.atom has %d entries, want %d",
           entries, 2 * n)
    expect(not bad, "%d of %d reads were not whole documents: %s",
           len(bad), reads, bad[:3])
    # Without the debounce each of the 30 deliveries would replace it.
    expect(len(inodes) <= 6, "merged.atom replaced %d times for %d feeds "
           "(%d reads)", len(inodes), n, reads)


if __name__ == "__main__":
    raise SystemExit(harness.main(globals()))
