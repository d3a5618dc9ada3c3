#!/usr/bin/python3
"""Writes one large, deterministic RSS 2.0 or Atom feed for benchmarks.

usage: gen-feed.py [--items N] [--format rss|atom] [--seed S] [--first K]
                   [--body MIN,MAX] > feed.xml
       gen-feed.py --dir DIR --feeds N [--items N]   (RSS and Atom mixed)
       gen-feed.py --dir DIR --feeds N --corpus [--change F --round R]

--first K shows items K .. K+N-1, newest (highest) first: a feed that
moved on by one shows one new item on top and lost its oldest.  Each item
depends only on the seed and its number, so the items it still shows are
byte for byte the same.

Items carry realistic HTML: paragraphs with entities, links with tracking
parameters, images, lists and code, 1-10 KB each (--body MIN,MAX sets the
range of the HTML body in bytes), with RFC 822 (RSS) or RFC 3339 (Atom)
dates.  The same arguments always give the same bytes.

--corpus makes the --dir corpus of the side-by-side benchmark (bench/compare):
each feed has 20-50 items (fixed per feed; --items is ignored), titles and
text carry non-ASCII words, the dates use several zones (RFC 822 names and
offsets, RFC 3339 Z and offsets), and every 50th feed (n % 50 == 25) is in
a legacy encoding, ISO-8859-1 and windows-1252 in turn, which its XML
declaration names.  Without --corpus the output is what it always was.

--change F --round R (with --corpus) writes the corpus as it is after R
rounds of changes, each round moving a fraction F of the feeds (chosen by
the round number) on by one item: new on top, the oldest gone.  Only the
feeds that differ from round R-1 are rewritten when the directory already
holds round R-1.
"""
import argparse
import os
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("harbour ferry council budget school river bridge winter market "
         "railway station library museum festival election weather storm "
         "football concert theatre hospital airport energy climate water "
         "housing transport police court science research university").split()

# Non-ASCII words of the --corpus mode: LATIN1 fits ISO-8859-1, CP1252 adds
# what only windows-1252 has, WIDE needs UTF-8.
LATIN1 = ["café", "Zürich", "naïve", "Ålesund", "smörgåsbord", "façade",
          "São Paulo", "Málaga", "Øresund", "crème brûlée", "½ price", "±3°C"]
CP1252 = ["“quoted”", "it’s", "10 €", "wait…", "2020–2026", "—"]
WIDE = ["Łódź", "東京", "Αθήνα", "Київ", "Ελλάδα", "✓ done", "naïve 😀"]

LEGACY = ("iso-8859-1", "windows-1252")


def sentence(rng):
    n = rng.randint(8, 20)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "!", "?"])


def html_body(rng, i, lo=1000, hi=10000):
    parts = []
    target = rng.randint(lo, hi)
    size = 0
    while size < target:
        kind = rng.random()
        if kind < 0.6:
            p = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
            p = p.replace(" and ", " &amp; ", 1)
            p += (' See <a href="https://news.example.com/story/%d?'
                  'utm_source=rss&amp;utm_medium=feed&amp;id=%d">more</a>'
                  ' &mdash; &ldquo;quoted&rdquo; caf&eacute;.' % (i, size))
            parts.append("<p>%s</p>" % p)
        elif kind < 0.75:
            items = "".join("<li>%s</li>" % sentence(rng)
                            for _ in range(rng.randint(2, 5)))
            parts.append("<ul>%s</ul>" % items)
        elif kind < 0.85:
            parts.append('<p><img src="/images/%d-%d.jpg" alt="%s" '
                         'width="640" height="480"></p>'
                         % (i, size, rng.choice(WORDS)))
        elif kind < 0.95:
            parts.append("<pre><code>if (x &lt; %d) {\n\treturn y &amp;&amp; z;"
                         "\n}</code></pre>" % rng.randint(0, 99))
        else:
            parts.append('<blockquote><p>%s</p></blockquote>'
                         '<script>track(%d)</script>' % (sentence(rng), i))
        size += len(parts[-1])
    return "\n".join(parts)


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
# --corpus: the zone of a feed's dates, by feed number.
RFC822_ZONES = ["+0100", "GMT", "-0500", "+0000", "EST", "+0530"]
RFC3339_ZONES = ["+01:00", "Z", "-05:00", "+00:00", "+05:30"]


def body_range(text):
    lo, _, hi = text.partition(",")
    return int(lo), int(hi or lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--format", choices=("rss", "atom"), default="rss")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--body", type=body_range, default=(1000, 10000),
                    help="MIN,MAX bytes of an item's HTML body")
    ap.add_argument("--dir")
    ap.add_argument("--feeds", type=int, default=0)
    ap.add_argument("--corpus", action="store_true",
                    help="20-50 items per feed, legacy encodings, zones")
    ap.add_argument("--change", type=float, default=0.0,
                    help="fraction of feeds moved on per round (--corpus)")
    ap.add_argument("--round", type=int, default=0)
    a = ap.parse_args()
    if a.dir:
        if a.corpus and a.change and a.round:
            firsts = corpus_firsts(a.feeds, a.change, a.round)
            before = corpus_firsts(a.feeds, a.change, a.round - 1)
            for n in range(a.feeds):
                path = os.path.join(a.dir, feed_name(n))
                if firsts[n] != before[n] or not os.path.exists(path):
                    write_numbered(a.dir, n, None, a.first + firsts[n],
                                   corpus=True)
            return
        for n in range(a.feeds):
            write_numbered(a.dir, n, None if a.corpus else a.items, a.first,
                           body=a.body, corpus=a.corpus)
        return
    write_feed(a, sys.stdout)


def feed_name(n):
    """The file name of feed n of a --dir corpus (odd ones are Atom)."""
    return "feed-%05d.%s" % (n, "atom" if n % 2 else "rss")


def corpus_items(n):
    """How many items feed n of a --corpus corpus shows: 20-50."""
    return random.Random(n * 7919 + 17).randint(20, 50)


def corpus_encoding(n):
    """The encoding feed n of a --corpus corpus is written in."""
    if n % 50 == 25:
        return LEGACY[(n // 50) % 2]
    return "utf-8"


def changed_feeds(feeds, fraction, rnd):
    """The feeds that round rnd (1, 2, ...) of changes moves on by one."""
    k = max(1, round(feeds * fraction)) if fraction > 0 else 0
    return sorted(random.Random(1000 + rnd).sample(range(feeds), k))


def corpus_firsts(feeds, fraction, rounds):
    """Each feed's first item after that many rounds of changes."""
    firsts = [0] * feeds
    for r in range(1, rounds + 1):
        for n in changed_feeds(feeds, fraction, r):
            firsts[n] += 1
    return firsts


def write_numbered(directory, n, items, first=0, body=(1000, 10000),
                   corpus=False):
    """Feed n of a --dir corpus, showing items first .. first+items-1;
    written to a temporary name and renamed, so that a server never
    sends half of it.  corpus=True: the --corpus variant (items None
    means the feed's own count, 20-50)."""
    if items is None:
        items = corpus_items(n)
    a = argparse.Namespace(seed=n + 1, format="atom" if n % 2 else "rss",
                           items=items, first=first, body=body)
    if corpus:
        a.encoding = corpus_encoding(n)
        a.zone = n
    path = directory + "/" + feed_name(n)
    encoding = getattr(a, "encoding", "utf-8")
    with open(path + ".tmp", "w", encoding=encoding) as f:
        write_feed(a, f)
    os.rename(path + ".tmp", path)


def write_feed(a, out):
    first = getattr(a, "first", 0)
    lo, hi = getattr(a, "body", (1000, 10000))
    encoding = getattr(a, "encoding", "utf-8")
    zone = getattr(a, "zone", None)
    if zone is None:
        z822, z3339, extra = "+0100", "+01:00", None
    else:
        z822 = RFC822_ZONES[zone % len(RFC822_ZONES)]
        z3339 = RFC3339_ZONES[zone % len(RFC3339_ZONES)]
        extra = LATIN1 + (CP1252 if encoding == "windows-1252" else
                          [] if encoding == "iso-8859-1" else CP1252 + WIDE)
    if a.format == "rss":
        out.write('<?xml version="1.0" encoding="%s"?>\n<rss version="2.0"'
                  ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
                  ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>'
                  '<title>Bench %d</title><link>https://news.example.com/'
                  '</link><description>benchmark</description>\n'
                  % (encoding, a.seed))
    else:
        out.write('<?xml version="1.0" encoding="%s"?>\n<feed xmlns='
                  '"http://www.w3.org/2005/Atom"><title>Bench %d</title>'
                  '<id>tag:news.example.com,2026:%d</id><updated>'
                  '2026-01-01T00:00:00Z</updated>\n'
                  % (encoding, a.seed, a.seed))
    for i in reversed(range(first, first + a.items)):
        rng = random.Random(a.seed * 1000003 + i)
        title = sentence(rng)
        day = 1 + i % 28
        hour, minute = rng.randint(0, 23), rng.randint(0, 59)
        body = html_body(rng, i, lo, hi)
        summary = escape(sentence(rng) + " " + sentence(rng))
        url = "https://news.example.com/%d/story-%d.html" % (a.seed, i)
        if extra:
            # A second generator, so that the items' other bytes stay
            # those of the plain mode.
            xr = random.Random(a.seed * 7 + i)
            title += " " + xr.choice(extra)
            summary += " " + escape(" ".join(xr.choice(extra)
                                             for _ in range(3)))
            body += "\n<p>%s</p>" % escape(" ".join(xr.choice(extra)
                                                    for _ in range(8)))
        if a.format == "rss":
            out.write("<item><title>%s</title><link>%s</link>"
                      "<guid isPermaLink=\"false\">bench-%d-%d</guid>"
                      "<pubDate>%s, %02d %s 2026 %02d:%02d:00 %s</pubDate>"
                      "<dc:creator>%s</dc:creator><category>%s</category>"
                      "<description>%s</description>"
                      "<content:encoded><![CDATA[%s]]></content:encoded>"
                      "</item>\n" % (escape(title), url, a.seed, i,
                                     DAYS[i % 7], day, MONTHS[i % 12], hour,
                                     minute, z822, rng.choice(WORDS).title(),
                                     rng.choice(WORDS), summary, body))
        else:
            out.write("<entry><title>%s</title><link href=\"%s\"/>"
                      "<id>tag:news.example.com,2026:%d-%d</id>"
                      "<updated>2026-%02d-%02dT%02d:%02d:00%s</updated>"
                      "<author><name>%s</name></author>"
                      "<category term=\"%s\"/><summary>%s</summary>"
                      "<content type=\"html\">%s</content></entry>\n"
                      % (escape(title), url, a.seed, i, 1 + i % 12, day, hour,
                         minute, z3339, rng.choice(WORDS).title(),
                         rng.choice(WORDS), summary, escape(body)))
    out.write("</channel></rss>\n" if a.format == "rss" else "</feed>\n")


if __name__ == "__main__":
    main()
