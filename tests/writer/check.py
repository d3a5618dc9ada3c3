#!/usr/bin/python3
"""Validates the merged feeds and reads them back.

    check.py WRITE_SAMPLE FEEDSPOOL ATOM_RNG

WRITE_SAMPLE (write-sample.c) writes merged.atom, merged.rss and
merged.json for a fixed set of articles, and expected.jsonl: the merged
feed's metadata, then each article as `feedspool parse` prints an item,
with what the writers derive from it and where it came from.  Then:

1. the Atom document must validate against RFC 4287's RELAX NG schema
   (xmllint --relaxng ATOM_RNG); the RSS document must be well-formed;
   the JSON Feed must be JSON;
2. `FEEDSPOOL parse` must read each document back to the same items, in
   the same order: ids, URLs, titles, dates, authors, categories,
   summaries, content, text and enclosures, except where a format cannot
   say what the item said (see expect_atom, expect_rss, expect_json);
3. each entry must name its origin: atom:source (id, title, links), the
   RSS <source url=...>, the JSON Feed "_feedspool" object.

Python 3 standard library only.
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:feedspool,2026:"

failures = []
checks = 0


def check(what, got, want):
    global checks
    checks += 1
    if got != want:
        failures.append(f"{what}:\n    got  {got!r}\n    want {want!r}")


def xml_clean(s):
    """What an XML document can carry of s (XML 1.0 section 2.2 Char)."""
    if s is None:
        return None
    return "".join(c for c in s if c in "\t\n\r" or
                   "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or
                   c >= "\U00010000")


def media_type_ok(t):
    return t is not None and re.fullmatch(r".+/.+", t) is not None


def has_description(e):
    return bool(e["summary_html"] or e["content_html"] or e["content_text"])


def expect_atom(e):
    """The item an Atom entry reads back as (see writer_atom.c)."""
    has_link = bool(e["url"])
    content = e["content_html"]
    if content is None and e["content_text"] and \
            (not e["summary_html"] or not has_link):
        content = ...   # the text, as HTML: its form is the parser's
    return {
        "id": e["entry_id"],
        "url": e["url"],
        "title": xml_clean(e["entry_title"]),
        "published": e["published"],
        "updated": e["entry_updated"],
        # Atom requires an author: the feed's title stands in.
        "author": xml_clean(e["author"] or e["feed_title"] or e["feed"]),
        "categories": [xml_clean(c) for c in e["categories"]],
        "summary_html": e["summary_html"],
        "content_html": content,
        "content_text": e["content_text"],
        "enclosures": [{"url": x["url"],
                        "type": x["type"] if media_type_ok(x["type"])
                        else None,
                        "length": x["length"]} for x in e["enclosures"]],
    }


def expect_rss(e):
    """The item an RSS <item> reads back as (see writer_rss.c)."""
    if e["title"]:
        title = xml_clean(e["title"])
    elif has_description(e):
        title = None
    else:
        title = xml_clean(e["entry_title"])
    summary = e["summary_html"] or e["content_html"]
    if summary is None and e["content_text"]:
        summary = ...
    return {
        "id": e["entry_id"],
        "url": e["url"],
        "title": title,
        # pubDate falls back on the updated time, then the fetch time.
        "published": e["published"] or e["entry_updated"],
        "updated": e["updated"],
        "author": xml_clean(e["author"]),
        "categories": [xml_clean(c) for c in e["categories"]],
        "summary_html": summary,
        "content_html": e["content_html"],
        "content_text": e["content_text"],
        # One enclosure; RSS requires its length and type.
        "enclosures": [{"url": x["url"],
                        "type": x["type"] or "application/octet-stream",
                        "length": x["length"] if x["length"] is not None
                        else 0} for x in e["enclosures"][:1]],
    }


def no_c0(s):
    """A one-line field as the parser keeps it: C0 controls dropped (JSON
    carries them, escaped; the XML writers cannot)."""
    return None if s is None else re.sub(r"[\x00-\x1f]", "", s)


def expect_json(e):
    """The item a JSON Feed item reads back as (see writer_jsonfeed.c)."""
    content = e["content_html"]
    if content is None and e["content_text"]:
        content = ...
    return {
        "id": e["entry_id"],
        "url": e["url"],
        "title": no_c0(e["title"]),
        "published": e["published"],
        "updated": e["updated"],
        "author": no_c0(e["author"]),
        "categories": e["categories"],
        # JSON Feed's summary is plain text: compared as text below.
        "summary_html": ... if e["summary_html"] else None,
        "content_html": content,
        "content_text": e["content_text"],
        "enclosures": [{"url": x["url"],
                        "type": x["type"] or "application/octet-stream",
                        "length": x["length"]} for x in e["enclosures"]],
    }


def fold(s):
    return " ".join(s.split())


def html_as_text(s):
    """Plain text of the escaped-text HTML the parser makes of a text."""
    return fold(html.unescape(re.sub(r"<br\s*/?>", "\n", s)))


def compare_items(fmt, items, expected, expect):
    check(f"{fmt}: number of items", len(items), len(expected))
    for i, (got, e) in enumerate(zip(items, expected)):
        want = expect(e)
        for key, value in want.items():
            what = f"{fmt}: item {i + 1} ({e['entry_id']}): {key}"
            if value is ...:
                # Text written as text: the parser's HTML for it varies
                # in form, its text does not.
                check(what + " present", got[key] is not None, True)
                continue
            check(what, got[key], value)
        if fmt == "json" and e["summary_html"] and got["summary_html"]:
            check(f"{fmt}: item {i + 1}: summary text",
                  html_as_text(got["summary_html"]), fold(e["summary_text"]))


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), \
        p.stderr.decode("utf-8", "replace")


def parse(feedspool, path):
    status, out, err = run([feedspool, "parse", path])
    check(f"feedspool parse {os.path.basename(path)}: exit status "
          f"(stderr: {err.strip()})", status, 0)
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    if not lines:
        return {}, []
    return lines[0], [x for x in lines[1:] if x.get("type") == "item"]


def check_atom_sources(path, expected):
    entries = ET.parse(path).getroot().findall(ATOM + "entry")
    check("atom: entries", len(entries), len(expected))
    for i, (entry, e) in enumerate(zip(entries, expected)):
        what = f"atom: entry {i + 1}: source"
        src = entry.find(ATOM + "source")
        check(what + " present", src is not None, True)
        if src is None:
            continue
        check(what + " id", src.findtext(ATOM + "id"),
              e["feed_id"] or TAG + e["feed"])
        check(what + " title", src.findtext(ATOM + "title"),
              xml_clean(e["feed_title"] or e["feed"]))
        links = {ln.get("rel"): ln.get("href")
                 for ln in src.findall(ATOM + "link")}
        check(what + " links", links,
              {k: v for k, v in (("alternate", e["feed_link"]),
                                 ("self", e["feed_url"])) if v})
        check(what + " updated", src.findtext(ATOM + "updated"),
              e["entry_updated"])


def check_rss_sources(path, expected):
    items = ET.parse(path).getroot().findall("channel/item")
    check("rss: items", len(items), len(expected))
    for i, (item, e) in enumerate(zip(items, expected)):
        src = item.find("source")
        what = f"rss: item {i + 1}: source"
        check(what + " present", src is not None, True)
        if src is not None:
            check(what + " url", src.get("url"), e["feed_url"])
            check(what + " title", src.text,
                  xml_clean(e["feed_title"] or e["feed"]))


def check_json_sources(path, expected):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    check("json: version", doc.get("version"),
          "https://jsonfeed.org/version/1.1")
    items = doc.get("items", [])
    for i, (item, e) in enumerate(zip(items, expected)):
        want = {k: e[k] for k in ("feed", "feed_title", "feed_link",
                                  "feed_id", "feed_url", "fetched_at")
                if e[k] is not None}
        check(f"json: item {i + 1}: _feedspool", item.get("_feedspool"),
              want)


def main():
    if len(sys.argv) != 4:
        print("usage: check.py WRITE_SAMPLE FEEDSPOOL ATOM_RNG")
        return 2
    write_sample, feedspool, rng = sys.argv[1:]
    with tempfile.TemporaryDirectory() as d:
        status, _, err = run([write_sample, d])
        if status != 0:
            print(f"write-sample failed ({status}): {err}")
            return 1
        atom, rss, jsonfeed = (os.path.join(d, "merged." + ext)
                               for ext in ("atom", "rss", "json"))
        with open(os.path.join(d, "expected.jsonl"), encoding="utf-8") as f:
            lines = [json.loads(line) for line in f if line.strip()]
        meta, expected = lines[0], lines[1:]

        # 1. The schema, well-formedness, JSON.
        status, out, err = run(["xmllint", "--noout", "--relaxng", rng,
                                atom])
        check(f"xmllint --relaxng atom.rng merged.atom ({err.strip()})",
              status, 0)
        status, out, err = run(["xmllint", "--noout", "--nonet", rss])
        check(f"xmllint merged.rss ({err.strip()})", status, 0)

        # 2. Read back.
        feed, items = parse(feedspool, atom)
        check("atom: format", feed.get("format"), "atom10")
        check("atom: feed title", feed.get("title"), meta["title"])
        check("atom: feed id", feed.get("id"), meta["id"])
        check("atom: feed link", feed.get("link"), meta["link"])
        check("atom: feed updated", feed.get("updated"), meta["updated"])
        compare_items("atom", items, expected, expect_atom)

        feed, items = parse(feedspool, rss)
        check("rss: format", feed.get("format"), "rss20")
        check("rss: feed title", feed.get("title"), meta["title"])
        check("rss: feed link", feed.get("link"), meta["link"])
        check("rss: feed updated", feed.get("updated"), meta["updated"])
        compare_items("rss", items, expected, expect_rss)

        feed, items = parse(feedspool, jsonfeed)
        check("json: format", feed.get("format"), "json11")
        check("json: feed title", feed.get("title"), meta["title"])
        check("json: feed link", feed.get("link"), meta["link"])
        compare_items("json", items, expected, expect_json)

        # 3. Origins.
        check_atom_sources(atom, expected)
        check_rss_sources(rss, expected)
        check_json_sources(jsonfeed, expected)

    for f in failures:
        print("FAIL " + f)
    print(f"{checks - len(failures)} of {checks} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
