#!/usr/bin/python3
"""What counts as the same article (ARCHITECTURE.md), through `feedspool
once` against the local server, read back from SPOOL/new/*.json: one
article in two feeds, tracking parameters, http and https, a republished
article under a new guid, short items that must not be merged, a restart
that sees the same items again, edits with updates = ignore and spool, and
the spool files themselves (JSON, fields, mode 0640, names)."""

import json
import os
import re
import stat
import sys

sys.dont_write_bytecode = True  # nothing written next to the sources

import harness  # noqa: E402
from harness import expect  # noqa: E402
from server import feed, seq  # noqa: E402

# Long enough (>= 32 bytes of text) to be identified by its content.
TEXT_A = "A long story about foxes, dogs and the art of jumping over them."
TEXT_B = "Another story entirely: the weather was fine all week, mostly."
TEXT_C = "A third text, unrelated to the others, about tea and biscuits."
TEXT_A_EDITED = "A long story about foxes, dogs and the art of jumping " \
    "over them (corrected)."

NAME_RX = re.compile(r"^(\d+)\.(\d{6})\.(\d+)_([0-9a-f]{16})\.json$")

# The item fields of `feedspool parse` (without "type"), and what the
# spool adds; see ARCHITECTURE.md, "The spool, exactly once".
ITEM_FIELDS = ["id", "url", "title", "published", "updated", "author",
               "categories", "summary_html", "content_html", "content_text",
               "enclosures", "content_hash"]
SPOOL_FIELDS = ["feed", "feed_title", "feed_link", "feed_id", "feed_url",
                "fetched_at"]


def _esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def rss(title, items, build=None):
    """An RSS 2.0 document; items are dicts with any of guid, link, title,
    text (the description, escaped HTML), date.  build: a
    <lastBuildDate>-like comment that changes the bytes, not the items."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n'
           '<rss version="2.0"><channel><title>%s</title>'
           '<link>http://example.net/%s/</link>'
           '<description>dedup test</description>\n'
           % (_esc(title), _esc(title.lower()))]
    if build is not None:
        out.append("<!-- build %s -->\n" % build)
    for it in items:
        out.append("<item>")
        if "title" in it:
            out.append("<title>%s</title>" % _esc(it["title"]))
        if "link" in it:
            out.append("<link>%s</link>" % _esc(it["link"]))
        if "guid" in it:
            out.append('<guid isPermaLink="false">%s</guid>'
                       % _esc(it["guid"]))
        if "date" in it:
            out.append("<pubDate>%s</pubDate>" % it["date"])
        if "text" in it:
            out.append("<description>%s</description>" % _esc(it["text"]))
        out.append("</item>\n")
    out.append("</channel></rss>\n")
    return "".join(out)


def once_ok(t, cfg, args=()):
    r = t.once(cfg, args=args)
    expect(r.rc == 0, "once: exit %s, expected 0", r.rc)
    return r


def by_url_key(items):
    """{url without scheme: count}."""
    got = {}
    for i in items:
        u = i.get("url")
        if u is not None:
            k = u.split("://", 1)[-1]
            got[k] = got.get(k, 0) + 1
    return got


def test_same_article_two_feeds(t):
    """one story in two feeds (other ids, other text) is delivered once"""
    story = "http://news.example.com/2024/story-1"
    t.serve({
        "/a.xml": feed(rss("A", [
            {"guid": "a-1", "link": story, "title": "Story", "text": TEXT_A},
            {"guid": "a-2", "link": "http://a.example/2", "title": "A only",
             "text": TEXT_B}])),
        "/b.xml": feed(rss("B", [
            {"guid": "tag:b,2024:99", "link": story,
             "title": "Story (via B)", "text": TEXT_C},
            {"guid": "b-2", "link": "http://b.example/2",
             "title": "B only"}])),
    })
    cfg, _ = t.config(feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml")})
    r = once_ok(t, cfg)
    items = r.items.items
    keys = by_url_key(items)
    expect(keys.get("news.example.com/2024/story-1") == 1,
           "the shared story was delivered %r times (urls: %r)",
           keys.get("news.example.com/2024/story-1"), keys)
    expect(len(items) == 3, "%d articles, expected 3 (story, A only, B "
           "only): %r", len(items), [(i["feed"], i["title"]) for i in items])
    expect(sorted(i["title"] for i in items if i["title"] != "Story" and
                  i["title"] != "Story (via B)") == ["A only", "B only"],
           "the feeds' own items: %r", [i["title"] for i in items])


def test_tracking_parameters(t):
    """utm_*, fbclid, a fragment and a default port do not make another
    article; another real parameter does"""
    t.serve({
        "/a.xml": feed(rss("A", [{
            "guid": "a-1", "title": "Tracked",
            "link": "http://shop.example/p?id=3&utm_source=rss"
                    "&utm_medium=feed&utm_campaign=x"}])),
        "/b.xml": feed(rss("B", [{
            "guid": "b-1", "title": "Plain",
            "link": "http://shop.example:80/p?id=3#reviews"}])),
        "/c.xml": feed(rss("C", [{
            "guid": "c-1", "title": "Facebook",
            "link": "http://SHOP.example/p?fbclid=IwAR0xyz&id=3"}])),
        "/d.xml": feed(rss("D", [{
            "guid": "d-1", "title": "Other page",
            "link": "http://shop.example/p?id=4&utm_source=rss"}])),
    })
    cfg, _ = t.config(feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml"),
                             "c": t.url("/c.xml"), "d": t.url("/d.xml")})
    r = once_ok(t, cfg)
    keys = by_url_key(r.items.items)
    expect(keys == {"shop.example/p?id=3": 1, "shop.example/p?id=4": 1},
           "articles by URL: %r, expected one for id=3 and one for id=4",
           keys)
    # The spool holds the canonical URL, without the tracking.
    for i in r.items.items:
        expect("utm_" not in i["url"] and "fbclid" not in i["url"] and
               "#" not in i["url"], "url in the spool: %r", i["url"])
    # Later, the same article under yet another tracking link: still known.
    t.server.route("/a.xml", feed(rss("A", [{
        "guid": "a-1b", "title": "Tracked again",
        "link": "https://shop.example/p?id=3&utm_source=newsletter"}])))
    r = once_ok(t, cfg)
    expect(len(r.items.items) == 2, "after the second run: %r",
           [(i["feed"], i["url"]) for i in r.items.items])


def test_http_https(t):
    """http:// and https:// copies of one URL are one article"""
    t.serve({
        "/a.xml": feed(rss("A", [{"guid": "a-1", "title": "Secure",
                                  "link": "https://site.example/post/7"}])),
        "/b.xml": feed(rss("B", [{"guid": "b-1", "title": "Insecure",
                                  "link": "http://site.example/post/7"}])),
    })
    cfg, _ = t.config(feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml")})
    r = once_ok(t, cfg)
    keys = by_url_key(r.items.items)
    expect(keys == {"site.example/post/7": 1}, "articles by URL: %r", keys)
    # And the other way round, in a later run of the same feed.
    t.server.route("/a.xml", feed(rss("A", [
        {"guid": "a-1", "title": "Secure",
         "link": "https://site.example/post/7"},
        {"guid": "a-2", "title": "Downgraded",
         "link": "http://site.example/post/7/"}])))
    r = once_ok(t, cfg)
    # post/7/ is another path: one new article, the old one not again.
    keys = by_url_key(r.items.items)
    expect(keys == {"site.example/post/7": 1, "site.example/post/7/": 1},
           "articles by URL after the second run: %r", keys)


def test_republished_new_guid(t):
    """the same long text under a new guid and URL is not delivered again"""
    first = {"guid": "post-100", "link": "http://blog.example/100",
             "title": "Moving house", "text": TEXT_A}
    # Republished by a CMS migration: new guid, new URL, other markup and
    # white space around the same text.
    again = {"guid": "urn:uuid:0b5a", "link": "http://blog.example/p/100",
             "title": "Moving  house",
             "text": "<p>A long story about <em>foxes</em>, dogs and the "
                     "art of\n   jumping over them.</p>"}
    fresh = {"guid": "post-101", "link": "http://blog.example/101",
             "title": "Settled in", "text": TEXT_B}
    t.serve({"/blog.xml": seq(feed(rss("Blog", [first])),
                              feed(rss("Blog", [fresh, again])))})
    cfg, _ = t.config(feeds={"blog": t.url("/blog.xml")})
    r = once_ok(t, cfg)
    expect(r.items.titles("blog") == ["Moving house"], "first run: %r",
           r.items.titles("blog"))
    r = once_ok(t, cfg)
    expect(r.items.titles("blog") == ["Moving house", "Settled in"],
           "second run: %r (the republished copy must not come back)",
           r.items.titles("blog"))


def test_short_items_never_merged(t):
    """title-only items with the same title and different URLs are all
    delivered, in one feed and across feeds; so are short texts"""
    t.serve({
        "/a.xml": feed(rss("A", [
            {"guid": "a-1", "link": "http://a.example/1", "title": "Update"},
            {"guid": "a-2", "link": "http://a.example/2", "title": "Update"},
            {"guid": "a-3", "link": "http://a.example/3", "title": "Update",
             "text": "Read more"},
            {"guid": "a-4", "link": "http://a.example/4", "title": "Update",
             "text": "Read more"}])),
        "/b.xml": feed(rss("B", [
            {"guid": "b-1", "link": "http://b.example/1", "title": "Update"},
            {"link": "http://b.example/2", "title": "Update"}])),
    })
    cfg, _ = t.config(feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml")})
    r = once_ok(t, cfg)
    r.expect_titles("a", ["Update"] * 4)
    r.expect_titles("b", ["Update"] * 2)
    hashes = set(i["content_hash"] for i in r.items.items
                 if i["content_text"] is None)
    expect(len(hashes) == 1, "title-only items should share one content "
           "hash (else this test proves nothing): %r", hashes)
    # Seen again, they are known (by id or URL).
    r = once_ok(t, cfg)
    expect(len(r.items.items) == 6, "%d articles after a second run",
           len(r.items.items))


def test_keyless_short_item_delivered_once(t):
    """an item with only a title (no guid, no link) is delivered once,
    not at every poll"""
    notice = {"title": "Office closed on Friday"}
    t.serve({"/n.xml": seq(
        feed(rss("N", [notice], build=1)),
        feed(rss("N", [notice], build=2)),
        feed(rss("N", [{"guid": "n-2", "title": "Open again"}, notice],
                 build=3)))})
    cfg, _ = t.config(feeds={"n": t.url("/n.xml")})
    for _ in range(3):
        r = once_ok(t, cfg)
    r.expect_titles("n", ["Office closed on Friday", "Open again"])


def test_restart_same_items(t):
    """a later run that gets 200 without validators and the same items
    (other bytes, other order) delivers nothing new"""
    items = [{"guid": "r-%d" % i, "link": "http://r.example/%d" % i,
              "title": "Item %d" % i,
              "text": "%s (number %d)" % (TEXT_A, i)} for i in range(5)]
    items.append({"guid": "r-short", "link": "http://r.example/s",
                  "title": "Short one"})
    t.serve({
        # ETag and Last-Modified on the first answer only.
        "/r.xml": seq(feed(rss("R", items, build=1),
                           headers=[("ETag", '"v1"'),
                                    ("Last-Modified",
                                     "Mon, 01 Jan 2024 00:00:00 GMT")]),
                      feed(rss("R", list(reversed(items)), build=2)),
                      feed(rss("R", items, build=1))),
        "/same.xml": feed(rss("S", items[:2])),
    })
    cfg, _ = t.config(feeds={"r": t.url("/r.xml"),
                             "s": t.url("/same.xml")})
    r = once_ok(t, cfg)
    n_first = len(r.items.items)
    expect(n_first == 6, "first run delivered %d articles, expected 6 (the "
           "second feed's two items are the first feed's)", n_first)
    names_first = sorted(r.items.names)
    for _ in range(2):
        r = once_ok(t, cfg)
        expect(sorted(r.items.names) == names_first,
               "a later run changed the spool: %r",
               sorted(set(r.items.names) - set(names_first)))
    reqs = t.server.requests("/r.xml")
    expect(len(reqs) == 3, "%d requests to /r.xml", len(reqs))
    expect(reqs[1].header("If-None-Match") == '"v1"',
           "the second request did not carry the ETag: %r", reqs[1].headers)
    expect(reqs[1].status == 200 and reqs[2].status == 200,
           "answers: %r", [e.status for e in reqs])


def test_edit_ignored_by_default(t):
    """an edited item (same guid, new text) is not delivered again with
    the default updates = ignore, even when edited twice"""
    v1 = {"guid": "e-1", "link": "http://e.example/1", "title": "Draft",
          "text": TEXT_A}
    v2 = dict(v1, text=TEXT_A_EDITED)
    v3 = dict(v1, title="Final", text=TEXT_B)
    t.serve({"/e.xml": seq(feed(rss("E", [v1])), feed(rss("E", [v2])),
                           feed(rss("E", [v3])))})
    cfg, _ = t.config(feeds={"e": t.url("/e.xml")})
    for _ in range(3):
        r = once_ok(t, cfg)
        expect(len(r.items.items) == 1, "%d articles: %r",
               len(r.items.items), r.items.names)
    expect(r.items.items[0]["content_text"] == TEXT_A,
           "the spool holds %r", r.items.items[0]["content_text"])


def test_edit_spooled(t):
    """with updates = spool, an edit is delivered once more, with
    "replaces" naming the earlier file; the unchanged edit is not
    delivered a third time"""
    v1 = {"guid": "e-1", "link": "http://e.example/1", "title": "Draft",
          "text": TEXT_A}
    v2 = dict(v1, text=TEXT_A_EDITED)
    t.serve({"/e.xml": seq(feed(rss("E", [v1])), feed(rss("E", [v2])),
                           feed(rss("E", [v2], build="same items")))})
    cfg, _ = t.config(feeds={"e": {"url": t.url("/e.xml"),
                                   "updates": "spool"}})
    r = once_ok(t, cfg)
    expect(len(r.items.names) == 1, "first run: %r", r.items.names)
    first = r.items.names[0].split("/", 1)[1]
    expect("replaces" not in r.items.items[0], "a first delivery with "
           "\"replaces\": %r", r.items.items[0].get("replaces"))
    r = once_ok(t, cfg)
    expect(len(r.items.items) == 2, "second run: %r", r.items.names)
    new = [i for n, i in zip(r.items.names, r.items.items)
           if n.split("/", 1)[1] != first]
    expect(len(new) == 1, "the first file is gone: %r", r.items.names)
    expect(new[0].get("replaces") == first, "\"replaces\" is %r, expected "
           "%r", new[0].get("replaces"), first)
    expect(new[0]["content_text"] == TEXT_A_EDITED, "the update says %r",
           new[0]["content_text"])
    expect(new[0]["id"] == "e-1", "the update's id is %r", new[0]["id"])
    r = once_ok(t, cfg)
    expect(len(r.items.items) == 2, "third run (the edit again): %r",
           r.items.names)


def test_updates_spool_shared_url_stable(t):
    """updates = spool: two feeds carrying one story (same URL) with their
    own texts, and one feed with two items sharing a link, settle after
    the first run instead of delivering again at every poll"""
    story = "http://news.example.com/shared"
    t.serve({
        "/a.xml": lambda req, w: feed(rss("A", [
            {"guid": "a-1", "link": story, "title": "Story",
             "text": TEXT_A}], build=req.n))(req, w),
        "/b.xml": lambda req, w: feed(rss("B", [
            {"guid": "b-1", "link": story, "title": "Story",
             "text": TEXT_B}], build=req.n))(req, w),
        "/c.xml": lambda req, w: feed(rss("C", [
            {"guid": "c-2", "link": "http://c.example/live", "title": "Live",
             "text": TEXT_C},
            {"guid": "c-1", "link": "http://c.example/live", "title": "Live",
             "text": TEXT_A_EDITED}], build=req.n))(req, w),
    })
    cfg, _ = t.config(settings={"updates": "spool"},
                      feeds={"a": t.url("/a.xml"), "b": t.url("/b.xml"),
                             "c": t.url("/c.xml")})
    counts = []
    for _ in range(4):
        r = once_ok(t, cfg)
        counts.append(len(r.items.items))
    expect(counts[1:] == [counts[0]] * 3, "articles after each run: %r "
           "(the later runs saw the same items)", counts)


def test_same_item_twice_in_one_document(t):
    """a feed that lists one item twice delivers it once"""
    it = {"guid": "d-1", "link": "http://d.example/1", "title": "Twice",
          "text": TEXT_C}
    t.serve({"/d.xml": feed(rss("D", [it, dict(it)]))})
    cfg, _ = t.config(feeds={"d": t.url("/d.xml")})
    r = once_ok(t, cfg)
    r.expect_titles("d", ["Twice"])


def test_spool_files(t):
    """every file in new/ is whole JSON with the item fields of `feedspool
    parse` and feed, feed_title, feed_url, fetched_at...; mode 0640; the
    name is time.usec.counter_hash16.json and carries no feed content"""
    items = [
        {"guid": "secret-guid-1", "link": "http://leak.example/secretpath",
         "title": "SecretTitle", "text": "<b>Bold</b> " + TEXT_A,
         "date": "Tue, 02 Jan 2024 03:04:05 GMT"},
        {"guid": "secret-guid-2", "title": "Title only, no link"},
        {"link": "http://leak.example/nolink-guid", "title": "No guid",
         "text": TEXT_B},
    ]
    doc = rss("Secret Feed", items)
    t.serve({"/secretfeed.xml": feed(doc)})
    cfg, _ = t.config(feeds={"secretname": t.url("/secretfeed.xml")})
    r = once_ok(t, cfg)
    spool = t.spools[cfg]

    # What `feedspool parse` says about the same document.
    path = os.path.join(t.dir, "doc.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)
    p = t.run(["parse", "--base", t.url("/secretfeed.xml"), path])
    expect(p.rc == 0, "parse: exit %s: %s", p.rc, p.err)
    parsed = [json.loads(line) for line in p.out.splitlines()]
    parsed_items = [o for o in parsed if o.get("type") == "item"]
    channel = [o for o in parsed if o.get("type") == "feed"][0]
    expect(len(parsed_items) == 3, "parse gave %d items", len(parsed_items))

    got = r.items
    expect(len(got.items) == 3, "%d articles: %r", len(got.items), got.names)
    expect(all(n.startswith("new/") for n in got.names), "%r", got.names)
    for name, art in zip(got.names, got.items):
        base = name.split("/", 1)[1]
        m = NAME_RX.match(base)
        expect(m is not None, "file name %r is not SECONDS.USEC.COUNTER_"
               "HASH16.json", base)
        expect(m.group(4) == art["content_hash"][:16], "name %r, "
               "content_hash %s", base, art["content_hash"])
        for word in ("secret", "leak", "Secret", "title", "guid"):
            expect(word.lower() not in base.lower(),
                   "file name %r contains %r", base, word)
        st = os.stat(os.path.join(spool, name))
        mask = os.umask(0)
        os.umask(mask)
        expect(stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) ==
               0o640 & ~mask, "%s: mode %o", name,
               stat.S_IMODE(st.st_mode))
        for k in ITEM_FIELDS + SPOOL_FIELDS:
            expect(k in art, "%s has no %r: %r", name, k, sorted(art))
        extra = set(art) - set(ITEM_FIELDS) - set(SPOOL_FIELDS)
        expect(not extra, "%s has unexpected fields %r", name, extra)
        expect(art["feed"] == "secretname", "feed %r", art["feed"])
        expect(art["feed_title"] == "Secret Feed", "feed_title %r",
               art["feed_title"])
        expect(art["feed_url"] == t.url("/secretfeed.xml"), "feed_url %r",
               art["feed_url"])
        expect(art["feed_link"] == channel["link"], "feed_link %r",
               art["feed_link"])
        expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
                        art["fetched_at"] or ""), "fetched_at %r",
               art["fetched_at"])
        same = [o for o in parsed_items if o["content_hash"] ==
                art["content_hash"] and o["id"] == art["id"]]
        expect(len(same) == 1, "%s: no item of `feedspool parse` matches",
               name)
        for k in ITEM_FIELDS:
            expect(art[k] == same[0][k], "%s: %s is %r in the spool, %r in "
                   "`feedspool parse`", name, k, art[k], same[0][k])
    dated = [a for a in got.items if a["id"] == "secret-guid-1"][0]
    expect(dated["published"] == "2024-01-02T03:04:05Z", "published %r",
           dated["published"])
    expect(os.listdir(os.path.join(spool, "tmp")) == [], "tmp/ is not "
           "empty")


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
