#!/usr/bin/python3
"""Writes one large, deterministic RSS 2.0 or Atom feed for benchmarks.

usage: gen-feed.py [--items N] [--format rss|atom] [--seed S] [--first K]
                   > feed.xml
       gen-feed.py --dir DIR --feeds N [--items N]   (RSS and Atom mixed)

--first K shows items K .. K+N-1, newest (highest) first: a feed that
moved on by one shows one new item on top and lost its oldest.  Each item
depends only on the seed and its number, so the items it still shows are
byte for byte the same.

Items carry realistic HTML: paragraphs with entities, links with tracking
parameters, images, lists and code, 1-10 KB each, with RFC 822 (RSS) or
RFC 3339 (Atom) dates.  The same arguments always give the same bytes.
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


def sentence(rng):
    n = rng.randint(8, 20)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "!", "?"])


def html_body(rng, i):
    parts = []
    target = rng.randint(1000, 10000)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--format", choices=("rss", "atom"), default="rss")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--dir")
    ap.add_argument("--feeds", type=int, default=0)
    a = ap.parse_args()
    if a.dir:
        for n in range(a.feeds):
            write_numbered(a.dir, n, a.items, a.first)
        return
    write_feed(a, sys.stdout)


def feed_name(n):
    """The file name of feed n of a --dir corpus (odd ones are Atom)."""
    return "feed-%05d.%s" % (n, "atom" if n % 2 else "rss")


def write_numbered(directory, n, items, first=0):
    """Feed n of a --dir corpus, showing items first .. first+items-1;
    written to a temporary name and renamed, so that a server never
    sends half of it."""
    a = argparse.Namespace(seed=n + 1, format="atom" if n % 2 else "rss",
                           items=items, first=first)
    path = directory + "/" + feed_name(n)
    with open(path + ".tmp", "w") as f:
        write_feed(a, f)
    os.rename(path + ".tmp", path)


def write_feed(a, out):
    first = getattr(a, "first", 0)
    if a.format == "rss":
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"'
                  ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
                  ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>'
                  '<title>Bench %d</title><link>https://news.example.com/'
                  '</link><description>benchmark</description>\n' % a.seed)
    else:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns='
                  '"http://www.w3.org/2005/Atom"><title>Bench %d</title>'
                  '<id>tag:news.example.com,2026:%d</id><updated>'
                  '2026-01-01T00:00:00Z</updated>\n' % (a.seed, a.seed))
    for i in reversed(range(first, first + a.items)):
        rng = random.Random(a.seed * 1000003 + i)
        title = sentence(rng)
        day = 1 + i % 28
        hour, minute = rng.randint(0, 23), rng.randint(0, 59)
        body = html_body(rng, i)
        summary = escape(sentence(rng) + " " + sentence(rng))
        url = "https://news.example.com/%d/story-%d.html" % (a.seed, i)
        if a.format == "rss":
            out.write("<item><title>%s</title><link>%s</link>"
                      "<guid isPermaLink=\"false\">bench-%d-%d</guid>"
                      "<pubDate>%s, %02d %s 2026 %02d:%02d:00 +0100</pubDate>"
                      "<dc:creator>%s</dc:creator><category>%s</category>"
                      "<description>%s</description>"
                      "<content:encoded><![CDATA[%s]]></content:encoded>"
                      "</item>\n" % (escape(title), url, a.seed, i,
                                     DAYS[i % 7], day, MONTHS[i % 12], hour,
                                     minute, rng.choice(WORDS).title(),
                                     rng.choice(WORDS), summary, body))
        else:
            out.write("<entry><title>%s</title><link href=\"%s\"/>"
                      "<id>tag:news.example.com,2026:%d-%d</id>"
                      "<updated>2026-%02d-%02dT%02d:%02d:00+01:00</updated>"
                      "<author><name>%s</name></author>"
                      "<category term=\"%s\"/><summary>%s</summary>"
                      "<content type=\"html\">%s</content></entry>\n"
                      % (escape(title), url, a.seed, i, 1 + i % 12, day, hour,
                         minute, rng.choice(WORDS).title(), rng.choice(WORDS),
                         summary, escape(body)))
    out.write("</channel></rss>\n" if a.format == "rss" else "</feed>\n")


if __name__ == "__main__":
    main()
