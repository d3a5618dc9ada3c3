#!/usr/bin/python3
"""One OPML fixture through `feedspool import-opml` and `export-opml`.

usage: check.py FEEDSPOOL FIXTURE

A fixture that is not OPML (malformed, not OPML, declaring entities) must
exit 65 with one line on stderr and nothing on stdout.  Any other:

1. import-opml FIXTURE: the drop-in file is read back here with the
   configuration's own syntax rules (a ";" after a space starts a
   comment), and its feeds must be the fixture's as this script reads
   them with xml.etree: same URLs (http and https only, each once), titles
   (cleaned; left out when empty, punctuation only, the URL itself or the
   feed's name) and categories (folder names joined with "/");
2. `feedspool check -c` accepts a feeds.d-style configuration that
   includes it, with every feed;
3. export-opml is OPML 2.0 that xml.etree reads, with the same feeds
   (a feed without a title exported under its name);
4. the export imported again (through stdin) gives the same feeds, which
   export the same again.
"""

import email.utils
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FEEDSPOOL = sys.argv[1]
FIXTURE = sys.argv[2]
BASE = os.path.basename(FIXTURE)

# Fixtures that must be refused, and a word the error must contain.
REFUSED = {
    "malformed.opml": "well-formed",
    "not-opml.xml": "not an OPML document",
    "hostile-entities.opml": "entity",
    "hostile-xxe.opml": "entity",
}

# What else each fixture must show: names given, skipped outlines named
# on stderr, "same feed" comments.
EXTRA = {
    "duplicates.opml": {
        "names": {"lwn", "kernel-news", "lwn-2", "lwn-3"},
        "same": 3,
    },
    "opml10-latin1.opml": {
        "names": {"cnet-news.com", "cafe-society", "scripting-news"},
        "skipped": ["Old gopher hole", "A feed: URL", "Nothing at all"],
    },
    "non-ascii.opml": {
        "names": {"ellinika-nea", "www3.nhk.or.jp", "cafe", "cafe-2",
                  "strasse-lodz", "novosti", "tom-jerry-fan-club-official",
                  "zurich-uber-uns", "nhk", "emoji-news"},
    },
    "missing-titles.opml": {
        "names": {"example.com", "blog.example.net", "blog.example.net-2",
                  "news.example.org", "2001-db8-1"},
    },
    "newsboat.opml": {
        "titles": {"Example blog: news; notes #1"},
    },
    "thunderbird.opml": {
        "categories": {"Tech/Linux", "Tech/Programming", "Tech", "Comics"},
    },
    "miniflux.opml": {
        "categories": {"All", "News/World", "Science & Nature"},
    },
}

NAME_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(args, stdin=None):
    p = subprocess.run([FEEDSPOOL] + args, input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def clean(s):
    """opml_clean_text(): one line, no controls, white space collapsed."""
    if s is None:
        return None
    s = "".join(c for c in s
                if not (ord(c) < 0x20 and c not in "\t\n\r")
                and not 0x7f <= ord(c) <= 0x9f)
    return re.sub(r"[ \t\n\r]+", " ", s).strip()


def attr(el, name):
    for k, v in el.attrib.items():
        if k.lower() == name.lower():
            return v
    return None


def is_web(url):
    m = re.match(r"(?i)^https?://([^/?#]*)", url)
    return (m is not None and not re.search(r"[\x00-\x20\x7f]", url)
            and m.group(1).rsplit("@", 1)[-1] != "")


def url_key(url):
    """config/'s comparison of feed URLs (cfg_url_key)."""
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    auth = re.match(r"[^/?#]*", rest).group(0)
    path = rest[len(auth):].split("#", 1)[0]
    user, _, hostport = auth.rpartition("@")
    m = re.match(r"^(\[[^\]]*\]|[^:]*)(:.*)?$", hostport)
    host, port = m.group(1).lower(), m.group(2) or ""
    if (scheme, port) in (("http", ":80"), ("https", ":443")):
        port = ""
    if not path.startswith("/"):
        path = "/" + path
    return scheme + "://" + (user + "@" if _ else "") + host + port + path


def useful(title, url):
    """A title the import keeps, as the configuration will hold it."""
    if not title or title == url:
        return None
    if not re.search(r"[0-9A-Za-z\u0080-\U0010ffff]", title):
        return None
    return ini_safe(title)


def ini_safe(s):
    return s.replace(" ;", ";") if s is not None else None


def read_opml(data):
    """[(url, title, category)] of the feeds, in document order."""
    root = ET.fromstring(data)
    if root.tag != "opml":
        raise ValueError("root is " + root.tag)
    out = []

    def walk(el, cat):
        for o in el:
            if o.tag != "outline":
                continue
            url = attr(o, "xmlUrl")
            title = clean(attr(o, "text")) or clean(attr(o, "title")) or None
            if url is not None:
                out.append((clean(url), title, cat))
                walk(o, cat)
            elif o.find("outline") is not None:
                sub = cat
                if title and cat:
                    sub = cat + "/" + title
                elif title:
                    sub = title
                walk(o, sub)

    walk(root.find("body"), None)
    return out


def expected_feeds(outlines):
    """{url: (title or None, category or None)}: what the import gives."""
    want, keys = {}, set()
    for url, title, cat in outlines:
        if not is_web(url):
            continue
        k = url_key(url)
        if k in keys:
            continue
        keys.add(k)
        want[url] = (useful(title, url), ini_safe(cat))
    return want


def read_ini(text):
    """{name: {key: value}} by the rules config/feedspool.ini states."""
    sections, cur = {}, None
    for line in text.split("\n"):
        line = line.lstrip(" \t")
        if line.startswith((";", "#")):
            continue
        m = re.search(r"[ \t];", line)
        if m:
            line = line[:m.start()]
        line = line.rstrip(" \t\r")
        if not line:
            continue
        if line.startswith("["):
            if not (line.startswith("[feed.") and line.endswith("]")):
                fail("odd section line %r" % line)
            cur = line[6:-1]
            if cur in sections:
                fail("section [feed.%s] twice" % cur)
            sections[cur] = {}
            continue
        key, sep, value = line.partition("=")
        if not sep or cur is None:
            fail("odd line %r" % line)
            continue
        key, value = key.strip(), value.strip()
        if key in sections[cur]:
            fail("[feed.%s]: %s twice" % (cur, key))
        sections[cur][key] = value
    return sections


def ini_feeds(sections):
    """{url: (title or None, category or None)} and {url: name}."""
    feeds, names = {}, {}
    for name, keys in sections.items():
        if not NAME_RE.match(name):
            fail("bad feed name %r" % name)
        if set(keys) - {"url", "title", "category"}:
            fail("[feed.%s]: keys %s" % (name, sorted(keys)))
        url = keys.get("url")
        feeds[url] = (keys.get("title"), keys.get("category"))
        names[url] = name
    return feeds, names


def check_config(tmp, ini, label):
    """feedspool check -c on a main file that includes ini."""
    d = os.path.join(tmp, label)
    os.makedirs(os.path.join(d, "feeds.d"))
    with open(os.path.join(d, "feeds.d", "imported.ini"), "w",
              encoding="utf-8") as f:
        f.write(ini)
    main = os.path.join(d, "feedspool.ini")
    with open(main, "w", encoding="utf-8") as f:
        f.write("[feedspool]\n"
                "include = feeds.d/*.ini\n"
                "state_dir = %s/state\n"
                "spool_dir = %s/state/spool\n"
                "output = %s/state/merged.atom\n" % (d, d, d))
    rc, out, err = run(["check", "-c", main])
    if rc != 0:
        fail("%s: check exits %d: %s" % (label, rc, err.strip()))
    return main, out


def read_export(label, data):
    """The export's feeds, {url: (title, category)}, after checking its
    shape."""
    try:
        root = ET.fromstring(data.encode("utf-8"))
    except ET.ParseError as e:
        fail("%s: export is not XML: %s" % (label, e))
        return {}
    if root.tag != "opml" or root.get("version") != "2.0":
        fail("%s: root %s version %s" % (label, root.tag,
                                         root.get("version")))
    head = root.find("head")
    if head is None or not (head.findtext("title") or "").strip():
        fail("%s: no head title" % label)
    else:
        try:
            email.utils.parsedate_to_datetime(head.findtext("dateCreated"))
        except (TypeError, ValueError):
            fail("%s: dateCreated %r" % (label,
                                         head.findtext("dateCreated")))
    feeds = {}
    for el in root.find("body"):
        if attr(el, "xmlUrl") is None:
            folder = el.get("text")
            if not folder or el.get("title") != folder:
                fail("%s: folder text %r title %r" % (label, folder,
                                                      el.get("title")))
            children = list(el)
            if not children:
                fail("%s: empty folder %r" % (label, folder))
        else:
            folder, children = None, [el]
        for o in children:
            if o.tag != "outline" or o.get("type") != "rss" or \
                    not o.get("xmlUrl") or not o.get("text") or \
                    o.get("title") != o.get("text") or len(o):
                fail("%s: odd feed outline %r" % (label, o.attrib))
            if o.get("xmlUrl") in feeds:
                fail("%s: %s twice" % (label, o.get("xmlUrl")))
            feeds[o.get("xmlUrl")] = (o.get("title"), folder)
    return feeds


def main():
    with open(FIXTURE, "rb") as f:
        data = f.read()
    rc, out, err = run(["import-opml", FIXTURE])

    if BASE in REFUSED:
        lines = err.splitlines()
        if rc != 65:
            fail("exit %d, want 65" % rc)
        if out:
            fail("stdout not empty: %r" % out[:200])
        if len(lines) != 1 or not lines[0].startswith(
                "feedspool import-opml: ") or REFUSED[BASE] not in lines[0]:
            fail("stderr %r" % err)
        return

    if rc != 0:
        fail("import exits %d: %s" % (rc, err))
        return
    extra = EXTRA.get(BASE, {})
    if not out.startswith("; Feeds imported from the OPML file"):
        fail("no header comment: %r" % out[:100])
    if BASE not in out.split("\n", 1)[0]:
        fail("the header does not name the file")

    want = expected_feeds(read_opml(data))
    got, names = ini_feeds(read_ini(out))
    # A title that is the feed's name says nothing more: left out.
    want = {u: (None if t == names.get(u) else t, c)
            for u, (t, c) in want.items()}
    if got != want:
        for url in sorted(set(got) | set(want)):
            if got.get(url) != want.get(url):
                fail("import: %s: got %r, want %r" % (url, got.get(url),
                                                      want.get(url)))
    for n in extra.get("names", ()):
        if n not in names.values():
            fail("no feed named %r (names: %s)" % (n, sorted(names.values())))
    for t in extra.get("titles", ()):
        if t not in [v[0] for v in got.values()]:
            fail("no title %r" % t)
    cats = {v[1] for v in got.values() if v[1] is not None}
    if "categories" in extra and cats != extra["categories"]:
        fail("categories %s, want %s" % (sorted(cats),
                                          sorted(extra["categories"])))
    if out.count("is the same feed as [feed.") != extra.get("same", 0):
        fail("%d duplicate comments, want %d" % (
            out.count("is the same feed as [feed."), extra.get("same", 0)))
    skipped = [l for l in err.splitlines() if "skipping outline" in l]
    if len(skipped) != len(extra.get("skipped", ())):
        fail("stderr: %r" % err)
    for s, line in zip(extra.get("skipped", ()), skipped):
        if '"%s"' % s not in line or not line.startswith(
                "feedspool import-opml: %s:" % FIXTURE):
            fail("skip warning %r does not name %r" % (line, s))

    with tempfile.TemporaryDirectory() as tmp:
        main1, checked = check_config(tmp, out, "first")
        if "OK, %d feeds" % len(want) not in checked:
            fail("check: %r" % checked[-200:])

        rc, exported, err = run(["export-opml", "-c", main1])
        if rc != 0:
            fail("export exits %d: %s" % (rc, err))
            return
        exp = read_export("export", exported)
        want_exp = {u: (t if t is not None else names[u], c)
                    for u, (t, c) in want.items()}
        if exp != want_exp:
            for url in sorted(set(exp) | set(want_exp)):
                if exp.get(url) != want_exp.get(url):
                    fail("export: %s: got %r, want %r" % (
                        url, exp.get(url), want_exp.get(url)))

        rc, again, err = run(["import-opml", "-"],
                             stdin=exported.encode("utf-8"))
        if rc != 0 or err:
            fail("reimport exits %d: %s" % (rc, err))
            return
        got2, names2 = ini_feeds(read_ini(again))
        # A title that was the name is the name again, so left out.
        got2 = {u: (t if t is not None else names2[u], c)
                for u, (t, c) in got2.items()}
        if got2 != want_exp:
            for url in sorted(set(got2) | set(want_exp)):
                if got2.get(url) != want_exp.get(url):
                    fail("reimport: %s: got %r, want %r" % (
                        url, got2.get(url), want_exp.get(url)))
        main2, _ = check_config(tmp, again, "second")
        rc, exported2, err = run(["export-opml", "-c", main2])
        if rc != 0 or read_export("second export", exported2) != exp:
            fail("the second export differs from the first")


if __name__ == "__main__":
    main()
    if failures:
        print("%s: %d failures" % (BASE, len(failures)), file=sys.stderr)
        sys.exit(1)
    print("%s: OK" % BASE)
