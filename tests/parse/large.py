#!/usr/bin/python3
"""`feedspool parse` on documents past 1 MiB, which it maps instead of
reading, giving back the pages behind the parse as it goes.

Each document is parsed from its file (mapped) and from a pipe (read
whole): the outputs must be the same, with every item, in order, and the
feed line again at the end with the title the document gives last.  One
document is UTF-8 (parsed in place), one undeclared windows-1252 (converted
to a copy first), one with a byte that is not UTF-8 near its end (found
only by the check that runs through the whole mapping).
"""
import json
import os
import subprocess
import sys
import tempfile

ITEMS = 2500


def document(encoding, bad_tail=False):
    parts = ['<rss version="2.0"><channel><link>https://example.org/</link>']
    for i in range(ITEMS):
        body = ("caf\u00e9 &amp; cr\u00e8me, \u201cquoted\u201d AT&T "
                if encoding == "utf-8" else "caf\u00e9 &amp; AT&T ") * 24
        parts.append(
            f"<item><title>Item {i}</title>"
            f"<link>https://example.org/{i}</link>"
            f"<description>&lt;p&gt;{body}{i}&lt;/p&gt;</description>"
            "</item>\n")
    parts.append("<title>Late title</title></channel></rss>\n")
    data = "".join(parts).encode(encoding)
    if bad_tail:
        # One byte that is not UTF-8, 200 bytes before the end: the whole
        # document is then read as windows-1252.
        data = data[:-200] + b"\xe9" + data[-199:]
    assert len(data) > 1 << 20, len(data)
    return data


def parse(binary, path=None, data=None):
    cmd = [binary, "parse", path if path else "-"]
    p = subprocess.run(cmd, input=data, capture_output=True, timeout=120)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}: "
                         f"{p.stderr.decode(errors='replace')}")
    return p.stdout, p.stderr


def check(binary, tmp, name, data, want_warning, want_text="caf\u00e9"):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    mapped, err = parse(binary, path=path)
    piped, _ = parse(binary, data=data)
    problems = []
    if mapped != piped:
        problems.append("output differs between the file and the pipe")
    lines = [json.loads(line) for line in mapped.decode().splitlines()]
    items = [o for o in lines if o["type"] == "item"]
    feeds = [o for o in lines if o["type"] == "feed"]
    if [o["title"] for o in items] != [f"Item {i}" for i in range(ITEMS)]:
        problems.append(f"{len(items)} items, or out of order")
    if len(feeds) != 2 or lines[0] != feeds[0] or lines[-1] != feeds[1] \
            or feeds[1]["title"] != "Late title":
        problems.append(f"feed lines: {feeds}")
    if want_text not in items[-1]["content_text"]:
        problems.append(f"last item: {items[-1]['content_text'][:80]!r}")
    if want_warning.encode() not in err:
        problems.append(f"stderr lacks {want_warning!r}: {err[:300]!r}")
    for p in problems:
        print(f"{name}: {p}")
    return not problems


def main():
    binary = sys.argv[1]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        ok &= check(binary, tmp, "utf8.rss", document("utf-8"), "'&'")
        ok &= check(binary, tmp, "cp1252.rss", document("cp1252"),
                    "not UTF-8, read as windows-1252")
        # The UTF-8 before the bad byte is read as windows-1252 too.
        ok &= check(binary, tmp, "bad-tail.rss",
                    document("utf-8", bad_tail=True),
                    "not UTF-8, read as windows-1252", "caf\u00c3\u00a9")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
