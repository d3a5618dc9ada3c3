#!/usr/bin/python3
"""Conformance of `feedspool parse` with feedparser on feedparser's corpus.

    conform.py FEEDSPOOL CORPUS_DIR KNOWN_DIFFERENCES [--verbose] [--only SUBSTR]

CORPUS_DIR is feedparser's tests/ directory (wellformed/, illformed/,
encoding/), read in place; it must exist (a missing corpus is a failure,
never a skip).  Run with Debian's /usr/bin/python3, which has
python3-feedparser.

How a case is judged
--------------------
Every document starts with a comment holding `Expect:`, a Python
expression over feedparser's result.  Its AST tells which fields the case
is about (`entries[0]['title_detail']['value']`, `feed['updated_parsed']`,
...).  Those that `feedspool parse` prints are mapped to our names (the
table FIELD_MAP below); a case that names none of them (bozo, version,
encoding, namespaces, *_detail types and bases, source, image, cloud...)
is "not applicable".

For an applicable case both parsers read the same bytes with the same
base URL and HTTP headers (feedparser's own harness serves the files with
"http" in their path from http://127.0.0.1:8097/tests/<path>, sending
the `Header:` lines of the comment; we give feedparser the same through
its HTTP hook and feedspool `--base` / `--charset`), and each mapped field
of the scope the Expect names (the feed, or entry N) is compared whole,
after normalizing what legitimately differs in form:

  title      feedparser's value is HTML when its type is HTML or XHTML:
             tags stripped and entities decoded; both sides white space
             folded.  Ours is plain text.
  url/link   both in our canonical form (scheme and host lower case,
             default port and fragment dropped, tracking parameters
             removed, as feeds/url.c does).  feedspool prints only
             absolute http(s) URLs, so a relative link feedparser could
             not resolve (no base) or another scheme counts as null.
  id         as is (trimmed).
  dates      feedparser's *_parsed (UTC struct_time) and our RFC 3339
             string as seconds since the epoch.  The two parsers file
             dc:date and created (Atom 0.3, dcterms) under different
             names (feedparser: updated / created; feedspool: published,
             see ARCHITECTURE.md), so a date is also found in our other
             slot when the document holds one of those and our slot of
             the same name is empty.  The feed's `updated` is our feed
             updated, which falls back to published.
  author     the `author` string ("name (email)"), white space folded.
  categories feedparser's tag terms (label when there is no term), in
             order, without repeats.
  summary,   parsed with html.parser on both sides: the folded text and
  content    the set of link targets (href/src/...) must agree; a
             feedparser value of type text/plain is text already.  Byte
             equality would only compare the two sanitizers' spelling.
  enclosures (canonical url, type, length) in order.

A case agrees when every compared field agrees.  A disagreement listed in
the known-differences file (path and field, with the reason: "feedparser
is wrong: ...", "feedspool: ..." for our bugs, or "by design: ..." for a
deliberate, documented difference) is a "known difference"; any other
disagreement fails the test, and so does a listed difference that no
longer occurs, so the list stays true.

Every document, applicable or not, is also run through feedspool, which
must exit 0 (or 65, "not a feed") and never crash; under the sanitizer
build an ASan/UBSan report fails the test here too.

Whether feedparser itself satisfies the Expect is shown next to each
difference (fp-expect=ok/FAILS): where Debian's feedparser does not meet
its own test, that is a hint which side is wrong, not a verdict.
"""

import ast
import calendar
import concurrent.futures
import datetime
import html
import html.parser
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import warnings

CATEGORIES = ['wellformed/rss', 'wellformed/atom', 'wellformed/atom10',
              'wellformed/rdf', 'wellformed/amp', 'wellformed/base',
              'illformed', 'encoding']

DESC_RE = re.compile(r'Description:\s*(.*?)\s*Expect:\s*(.*?)\s*-->', re.S)
SKIP_RE = re.compile(r'SkipUnless:\s*(.*?)\n')
HEADER_RE = re.compile(r'^Header:\s+([^:]+):(.*)$', re.M)


# ---------------------------------------------------------------- corpus

def decode_for_comment(data):
    """The document as text, only to read its comment (as feedparser's
    tests/helpers.py get_file_contents does)."""
    boms = ((b'\x00\x00\xfe\xff', 'utf-32be'), (b'\xff\xfe\x00\x00', 'utf-32le'),
            (b'\x00\x00\x00\x3c', 'utf-32be'), (b'\x3c\x00\x00\x00', 'utf-32le'),
            (b'\x00\x3c\x00\x3f', 'utf-16be'), (b'\x3c\x00\x3f\x00', 'utf-16le'),
            (b'\xfe\xff', 'utf-16be'), (b'\xff\xfe', 'utf-16le'),
            (b'\xef\xbb\xbf', 'utf-8'))
    for bom, enc in boms:
        if data.startswith(bom):
            return data.decode(enc, 'ignore').lstrip('\ufeff')
    return data.decode('utf-8', 'ignore')


class Case:
    def __init__(self, corpus, rel):
        self.rel = rel
        self.path = os.path.join(corpus, rel)
        self.category = category_of(rel)
        with open(self.path, 'rb') as f:
            self.data = f.read()
        text = decode_for_comment(self.data)
        m = DESC_RE.search(text)
        self.description, self.expect = (m.group(1), m.group(2)) if m else ('', '')
        m = SKIP_RE.search(text)
        self.skip_unless = m.group(1).strip() if m else '1'
        self.headers = {k.strip(): v.strip() for k, v in HEADER_RE.findall(text)}
        self.http = 'http' in rel
        self.url = 'http://127.0.0.1:8097/tests/' + rel if self.http else None
        self.refs = []          # (scope, index, our field, fp key path)
        self.unmapped = []
        self.fp = None          # feedparser's result
        self.fp_expect = None   # does feedparser meet its own Expect?
        self.ours = None        # (exit status, feed line, item lines, stderr)
        self.fields = []        # (field name, agrees, ours, fp's)

    def base_and_charset(self):
        """What feedparser's harness gives it, as feedspool options."""
        if not self.http:
            return None, None
        base = self.url
        loc = self.headers.get('Content-Location')
        if loc:
            base = urllib.parse.urljoin(base, loc)
        charset = None
        ctype = self.headers.get('Content-type', '')
        m = re.search(r';\s*charset\s*=\s*"?([^";\s]+)', ctype, re.I)
        if m:
            charset = m.group(1)
        return base, charset


def category_of(rel):
    parts = rel.split('/')
    return parts[0] + '/' + parts[1] if parts[0] == 'wellformed' else parts[0]


def find_cases(corpus):
    cases = []
    for cat in CATEGORIES:
        d = os.path.join(corpus, cat)
        if not os.path.isdir(d):
            sys.exit('conform: corpus directory %s is missing' % d)
        for dirpath, dirnames, filenames in os.walk(d):
            dirnames.sort()
            for fn in sorted(filenames):
                if fn.endswith('.xml'):
                    rel = os.path.relpath(os.path.join(dirpath, fn), corpus)
                    cases.append(Case(corpus, rel))
    return cases


# ------------------------------------------------- what an Expect is about

def key_paths(expr):
    """Key chains over names in an Expect expression, as lists:
    entries[0]['title'], entries[0].title -> ['entries', 0, 'title'];
    entries[0].has_key('link') and 'link' in entries[0] -> ['entries', 0,
    'link']."""
    out = []

    def chain_of(node):
        chain, cur = [], node
        while True:
            if isinstance(cur, ast.Subscript):
                s = cur.slice
                if isinstance(s, ast.Constant):
                    chain.append(s.value)
                elif (isinstance(s, ast.UnaryOp) and isinstance(s.op, ast.USub)
                      and isinstance(s.operand, ast.Constant)):
                    chain.append(-s.operand.value)
                else:
                    chain.append(None)
                cur = cur.value
            elif isinstance(cur, ast.Attribute):
                chain.append(cur.attr)
                cur = cur.value
            else:
                break
        if isinstance(cur, ast.Name):
            return [cur.id] + list(reversed(chain))
        return None

    class V(ast.NodeVisitor):
        def visit_Subscript(self, node):
            c = chain_of(node)
            if c is not None:
                out.append(c)
            else:
                self.generic_visit(node)

        visit_Attribute = visit_Subscript

        def visit_Call(self, node):
            f = node.func
            if (isinstance(f, ast.Attribute) and f.attr in ('has_key', 'get')
                    and node.args and isinstance(node.args[0], ast.Constant)):
                c = chain_of(f.value)
                if c is not None:
                    out.append(c + [node.args[0].value])
                    return
            self.generic_visit(node)

        def visit_Compare(self, node):
            if (len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn))
                    and isinstance(node.left, ast.Constant)):
                c = chain_of(node.comparators[0])
                if c is not None:
                    out.append(c + [node.left.value])
                    return
            self.generic_visit(node)

        def visit_Name(self, node):
            out.append([node.id])

    V().visit(ast.parse(expr, mode='eval'))
    return out


DATE_KEYS = {
    'updated': 'updated', 'updated_parsed': 'updated',
    'modified': 'updated', 'modified_parsed': 'updated',
    'date': 'updated', 'date_parsed': 'updated',
    'published': 'published', 'published_parsed': 'published',
    'issued': 'published', 'issued_parsed': 'published',
    'created': 'created', 'created_parsed': 'created',
}


def map_path(p):
    """(scope, index, our field, fp key) for a key path, or None when
    feedspool prints nothing of the kind.  fp key is what the date rule
    and the links rule need to know."""
    if not p:
        return None
    root = {'channel': 'feed', 'items': 'entries'}.get(p[0], p[0])
    if root == 'feed':
        scope, idx, rest = 'feed', None, p[1:]
    elif root == 'entries' and len(p) >= 2 and isinstance(p[1], int):
        scope, idx, rest = 'item', p[1], p[2:]
    else:
        return None
    if not rest or not isinstance(rest[0], str):
        return None
    k = rest[0]
    sub = rest[1:]
    if k in ('title',) and not sub:
        return scope, idx, 'title', k
    if k == 'title_detail' and sub == ['value']:
        return scope, idx, 'title', k
    if k in ('id', 'guid') and not sub:
        return scope, idx, 'id', k
    if k == 'link' and not sub:
        return scope, idx, 'url' if scope == 'item' else 'link', k
    if k == 'links' and not sub:
        # len(feed['links']) == 1: no other link bleeds into ours
        return scope, idx, 'url' if scope == 'item' else 'link', k
    if k == 'links' and len(sub) == 2 and sub[1] in ('href', 'url'):
        # an alternate link is our url, an enclosure link an enclosure:
        # decided when feedparser's links are known
        return scope, idx, 'links', ('links', sub[0])
    if k in DATE_KEYS and not sub:
        if scope == 'feed':
            return scope, idx, 'updated', DATE_KEYS[k]
        return scope, idx, ('updated' if DATE_KEYS[k] == 'updated'
                            else 'published'), DATE_KEYS[k]
    if scope == 'feed':
        return None
    if k == 'author' and not sub:
        return scope, idx, 'author', k
    if k == 'author_detail' and sub in (['name'], ['email']):
        return scope, idx, 'author', k
    if k == 'authors' and len(sub) == 2 and sub[1] in ('name', 'email'):
        return scope, idx, 'author', k
    if (k == 'category' and not sub) or (k == 'tags' and len(sub) == 2 and
                                        sub[1] in ('term', 'label')):
        return scope, idx, 'categories', k
    if k in ('summary', 'description') and not sub:
        return scope, idx, 'summary_html', k
    if k in ('summary_detail', 'description_detail') and sub == ['value']:
        return scope, idx, 'summary_html', k
    if k == 'content' and len(sub) == 2 and sub[1] == 'value':
        return scope, idx, 'content_html', k
    if k == 'enclosures' and len(sub) == 2 and sub[1] in ('href', 'url', 'type', 'length'):
        return scope, idx, 'enclosures', k
    return None


def classify(case):
    if not case.expect:
        return
    try:
        paths = key_paths(case.expect)
    except SyntaxError:
        return
    seen = set()
    for p in paths:
        m = map_path(p)
        if m is None:
            if p[0] not in ('bozo', 'not', 'len', 'ord', 'datetime'):
                case.unmapped.append(p)
            continue
        if m not in seen:
            seen.add(m)
            case.refs.append(m)


# ------------------------------------------------------------- feedparser

def run_feedparser(cases):
    import feedparser
    import feedparser.api
    warnings.simplefilter('ignore')
    real_open = feedparser.api._open_resource

    for case in cases:
        if not case.refs:
            continue
        try:
            if not eval(case.skip_unless):
                case.refs = []
                continue
        except Exception:
            case.refs = []
            continue
        if case.http:
            # feedparser.http.get() as feedparser's harness would make it
            # happen: the URL, the headers of the comment, status 200.
            def fake_open(src, etag, modified, agent, referrer, handlers,
                          request_headers, result, case=case):
                hdrs = {k.lower(): v for k, v in case.headers.items()}
                hdrs.setdefault('content-type', 'text/xml')
                result['headers'] = hdrs
                result['href'] = case.url
                result['status'] = 200
                return case.data
            feedparser.api._open_resource = fake_open
            try:
                case.fp = feedparser.parse(case.url)
            finally:
                feedparser.api._open_resource = real_open
        else:
            case.fp = feedparser.parse(case.data)
        try:
            case.fp_expect = bool(eval(case.expect, {'datetime': datetime}, case.fp))
        except Exception:
            case.fp_expect = False


# --------------------------------------------------------------- feedspool

def run_feedspool(exe, case):
    base, charset = case.base_and_charset()
    cmd = [exe, 'parse']
    if base:
        cmd += ['--base', base]
    if charset:
        cmd += ['--charset', charset]
    cmd.append(case.path)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30)
    except subprocess.TimeoutExpired:
        return (-1, None, [], 'timeout', cmd)
    feed, items = None, []
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if obj.get('type') == 'feed':
            feed = obj
        elif obj.get('type') == 'item':
            items.append(obj)
    return (p.returncode, feed, items, p.stderr.decode('utf-8', 'replace'), cmd)


# ------------------------------------------------------------ normalizing

WS_RE = re.compile(r'[ \t\n\r\f\v\u00a0]+')


def fold(s):
    if s is None:
        return ''
    return WS_RE.sub(' ', s).strip()


URL_ATTRS = {'href', 'src', 'cite', 'longdesc', 'action', 'background',
             'poster', 'usemap', 'lowsrc', 'dynsrc', 'codebase', 'data'}


class HTMLDigest(html.parser.HTMLParser):
    """Text and link targets of an HTML fragment."""
    SKIP = {'script', 'style'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.links = set()
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        for name, value in attrs:
            if name in URL_ATTRS and value:
                self.links.add(value.strip())

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRS and value:
                self.links.add(value.strip())

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def html_digest(s):
    d = HTMLDigest()
    d.feed(s or '')
    d.close()
    return fold(''.join(d.text)), d.links


def is_html_type(t):
    return bool(t) and ('html' in t)


def html_to_text(s):
    return html_digest(s)[0]


TRACKING_PREFIXES = ('mtm_', 'utm_')
TRACKING_PARAMS = {
    '__hsfp', '__hssc', '__hstc', '__readwiselocation', '__s', '_bhlid',
    '_branch_match_id', '_branch_referrer', '_ga', '_gl', '_hsenc', '_hsmi',
    '_openstat', 'dclid', 'fb_action_ids', 'fb_action_types',
    'fb_comment_id', 'fb_ref', 'fb_source', 'fbclid', 'gbraid', 'gclid',
    'gclsrc', 'hmb_campaign', 'hmb_medium', 'hmb_source', 'hsa_cam',
    'hsctatracking', 'igshid', 'itm_campaign', 'itm_medium', 'itm_source',
    'mc_cid', 'mc_eid', 'mc_tc', 'mkt_tok', 'msclkid', 'oly_anon_id',
    'oly_enc_id', 'rb_clickid', 'ref_src', 'sc_cid', 'srsltid', 'twclid',
    'vero_conv', 'vero_id', 'wbraid', 'wickedid', 'wt_mc', 'yclid', 'ysclid',
}


def iri_to_uri(u):
    """RFC 3987 3.1: non-ASCII characters percent-encoded as UTF-8."""
    return ''.join(c if ord(c) < 128 else
                   ''.join('%%%02X' % b for b in c.encode('utf-8'))
                   for c in u)


def canon_url(u):
    """Our canonical form of an absolute http(s) URL (feeds/url.c
    url_canonicalize); None for anything else, which feedspool does not
    print as an article or enclosure URL."""
    if not u:
        return None
    u = iri_to_uri(u.strip())
    try:
        parts = urllib.parse.urlsplit(u)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ('http', 'https') or not parts.netloc:
        return None
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition('@')
    host, port = hostport, ''
    m = re.match(r'^(\[[^\]]*\]|[^:]*)(?::(\d*))?$', hostport)
    if m:
        host, port = m.group(1), m.group(2) or ''
    host = host.lower()
    if (scheme, port) in (('http', '80'), ('https', '443')) or port == '':
        port = ''
    netloc = (userinfo + '@' if userinfo else '') + host + (':' + port if port else '')
    path = remove_dot_segments(parts.path) or '/'
    kept = [q for q in parts.query.split('&') if q and not is_tracking(q)]
    query = '&'.join(kept)
    return urllib.parse.urlunsplit((scheme, netloc, path, query, ''))


def is_tracking(param):
    name = param.split('=', 1)[0].lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMS


def remove_dot_segments(path):
    out = []
    for seg in path.split('/'):
        if seg == '..':
            if len(out) > 1:
                out.pop()
        elif seg != '.':
            out.append(seg)
    res = '/'.join(out)
    if path.endswith(('/.', '/..')):
        res += '/'
    return res


def link_norm(u):
    """Links inside HTML: compared resolved, in canonical spelling for
    http(s) (scheme/host case, default port); the fragment is kept."""
    u = iri_to_uri((u or '').strip())
    c = canon_url(u)
    if c is None:
        return u
    frag = urllib.parse.urlsplit(u).fragment
    q = urllib.parse.urlsplit(u).query
    # inside HTML the query is kept as written (no tracking removal)
    sp = urllib.parse.urlsplit(c)
    return urllib.parse.urlunsplit((sp.scheme, sp.netloc, sp.path, q, frag))


def our_seconds(s):
    if not s:
        return None
    m = re.match(r'^(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$', s)
    if not m:
        return 'unreadable:' + s
    y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
    t = calendar.timegm((y, mo, d, h, mi, se, 0, 0, 0))
    tz = m.group(8)
    if tz != 'Z':
        sign = 1 if tz[0] == '+' else -1
        t -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return t


def fp_seconds(st):
    if not st:
        return None
    return calendar.timegm(tuple(st)[:6] + (0, 0, 0))


def show_time(t):
    if t is None:
        return 'null'
    if isinstance(t, str):
        return t
    try:
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    except (OverflowError, ValueError, OSError):
        return str(t)


def dget(d, k, default=None):
    """dict.get without FeedParserDict's aliases and fallbacks."""
    if d is None:
        return default
    return dict.get(d, k, default)


# ------------------------------------------------------------- comparing

def compare_text_field(fp_obj, key, ours):
    v = dget(fp_obj, key)
    det = dget(fp_obj, key + '_detail') or {}
    if v is not None and is_html_type(dget(det, 'type')):
        v = html_to_text(v)
    a, b = fold(ours), fold(v)
    return a == b, a, b


def compare_html_field(fp_value, fp_type, ours):
    if fp_value is None:
        fp_text, fp_links = '', set()
    elif is_html_type(fp_type):
        fp_text, fp_links = html_digest(fp_value)
    else:
        fp_text, fp_links = fold(fp_value), set()
    our_text, our_links = html_digest(ours) if ours is not None else ('', set())
    fp_links = {link_norm(x) for x in fp_links}
    our_links = {link_norm(x) for x in our_links}
    ok = fp_text == our_text and fp_links == our_links
    show_o = {'text': our_text, 'links': sorted(our_links), 'html': ours}
    show_f = {'text': fp_text, 'links': sorted(fp_links), 'html': fp_value,
              'type': fp_type}
    return ok, show_o, show_f


def uniq(seq):
    out = []
    for x in seq:
        if x not in out:
            out.append(x)
    return out


def doc_has_reslotted_date(data):
    return re.search(rb'<(?:[A-Za-z_][\w.-]*:)?(?:date|created)[\s>/]', data) is not None


def compare_field(case, scope, idx, field, fpkey):
    """(name, agrees, ours, fp's)"""
    fp = case.fp
    rc, feed, items, _, _ = case.ours
    if scope == 'feed':
        fo = dget(fp, 'feed') or {}
        oo = feed or {}
        name = 'feed.' + field
    else:
        entries = dget(fp, 'entries') or []
        try:
            fo = entries[idx]
        except IndexError:
            fo = None
        try:
            oo = items[idx]
        except IndexError:
            oo = None
        name = 'items[%d].%s' % (idx, field)
        if fo is None or oo is None:
            return (name, fo is None and oo is None,
                    'no item %d (%d items)' % (idx, len(items)),
                    'no entry %d (%d entries)' % (idx, len(entries)))

    if field == 'links':
        # feedparser's links[k]: alternate -> our url/link, enclosure ->
        # our enclosures, others are not ours
        links = dget(fo, 'links') or []
        k = fpkey[1]
        rel = dget(links[k], 'rel') if isinstance(k, int) and -len(links) <= k < len(links) else None
        if rel == 'enclosure' and scope == 'item':
            return compare_field(case, scope, idx, 'enclosures', 'enclosures')
        if rel == 'alternate':
            return compare_field(case, scope, idx, 'url' if scope == 'item' else 'link', 'link')
        return None

    if field == 'title':
        ok, a, b = compare_text_field(fo, 'title', oo.get('title'))
        return name, ok, a, b
    if field == 'author':
        a, b = fold(oo.get('author')), fold(dget(fo, 'author'))
        authors = dget(fo, 'authors') or []
        if len(authors) > 1:
            # feedparser's `author` is the last one it saw; we print the
            # first, in its "name (email)" form
            first = authors[0]
            nm, em = fold(dget(first, 'name')), fold(dget(first, 'email'))
            b = '%s (%s)' % (nm, em) if nm and em else (nm or em)
        return name, a == b, a, b
    if field == 'id':
        a = (oo.get('id') or '').strip()
        b = (dget(fo, 'id') or '').strip()
        return name, a == b, a, b
    if field in ('url', 'link'):
        a = oo.get(field)
        b = canon_url(dget(fo, 'link'))
        return name, a == b, a, b
    if field in ('published', 'updated'):
        a = our_seconds(oo.get(field))
        fpu = fp_seconds(dget(fo, 'updated_parsed'))
        fpp = fp_seconds(dget(fo, 'published_parsed'))
        fpc = fp_seconds(dget(fo, 'created_parsed'))
        resl = doc_has_reslotted_date(case.data)
        if scope == 'feed':
            # our feed updated is the updated date, else the published one
            b = next((x for x in (fpu, fpp, fpc) if x is not None), None)
            if a != b and resl and a is not None and a in (fpp, fpc):
                # feedparser files dc:date under updated, we under
                # published, which then ranks below pubDate
                return name, True, show_time(a), show_time(b)
            return name, a == b, show_time(a), show_time(b)
        other = 'updated' if field == 'published' else 'published'
        b = fpkey_value(fpkey, fpu, fpp, fpc)
        if fpkey == 'created':
            # feedparser's created is our published at the lowest priority
            b = fpp if fpp is not None else fpc
        if a == b:
            return name, True, show_time(a), show_time(b)
        if resl and b is not None:
            # dc:date: feedparser's updated, our published
            a2 = our_seconds(oo.get(other))
            if a is None and a2 == b:
                return name + '(as ' + other + ')', True, show_time(a2), show_time(b)
            if a == b:
                return name, True, show_time(a), show_time(b)
        return name, False, show_time(a), show_time(b)
    if field == 'categories':
        terms = []
        for t in dget(fo, 'tags') or []:
            term = dget(t, 'term') or dget(t, 'label')
            if term:
                terms.append(fold(term))
        a = uniq(fold(x) for x in (oo.get('categories') or []))
        b = uniq(terms)
        return name, a == b, a, b
    if field == 'summary_html':
        det = dget(fo, 'summary_detail') or {}
        ok, a, b = compare_html_field(dget(fo, 'summary'), dget(det, 'type'), oo.get('summary_html'))
        return name, ok, a, b
    if field == 'content_html':
        content = dget(fo, 'content') or []
        c = content[0] if content else {}
        ok, a, b = compare_html_field(dget(c, 'value'), dget(c, 'type'), oo.get('content_html'))
        return name, ok, a, b
    if field == 'enclosures':
        b = []
        for e in dget(fo, 'links') or []:
            if dget(e, 'rel') != 'enclosure':
                continue
            u = canon_url(dget(e, 'href'))
            if u is None:
                continue
            length = dget(e, 'length')
            try:
                length = int(length) if length not in (None, '') else None
            except ValueError:
                length = None
            b.append([u, dget(e, 'type') or None, length])
        a = []
        for e in oo.get('enclosures') or []:
            a.append([canon_url(e.get('url')) or e.get('url'),
                      e.get('type') or None, e.get('length')])
        return name, a == b, a, b
    raise AssertionError(field)


def fpkey_value(fpkey, fpu, fpp, fpc):
    return {'updated': fpu, 'published': fpp, 'created': fpc}[fpkey]


# ------------------------------------------------------ known differences

def load_known(path):
    """path -> {field: reason}.  Lines: PATH FIELD REASON..., where
    REASON starts with "feedparser is wrong:", "feedspool:" or "by
    design:"; '#' starts a comment line."""
    known = {}
    bad = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3 or not parts[2].startswith(
                    ('feedparser is wrong:', 'feedspool:', 'by design:')):
                bad.append('%s:%d: malformed line' % (path, n))
                continue
            known.setdefault(parts[0], {})[parts[1]] = parts[2]
    return known, bad


# ------------------------------------------------------------------- main

def short(v, n=300):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + '...'


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--')]
    verbose = '--verbose' in argv
    only = None
    if '--only' in argv:
        only = argv[argv.index('--only') + 1]
        args.remove(only)
    if len(args) != 3:
        sys.exit(__doc__.split('\n\n')[1])
    exe, corpus, known_path = args
    if not os.path.isdir(corpus):
        print('conform: FAIL: the corpus %s is missing (feedparser\'s test '
              'documents, cloned next to the repository as shared/)' % corpus)
        return 1
    if not os.access(exe, os.X_OK):
        print('conform: FAIL: %s is not an executable' % exe)
        return 1
    t0 = time.monotonic()
    cases = find_cases(corpus)
    if len(cases) < 800:
        print('conform: FAIL: only %d documents under %s' % (len(cases), corpus))
        return 1
    if only:
        cases = [c for c in cases if only in c.rel]
    known, bad = load_known(known_path)
    for c in cases:
        classify(c)

    # feedspool in a small pool while feedparser runs here
    workers = min(8, 2 * (os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        # every document: even where no field is compared, feedspool must
        # not crash (exit 0, or 65 for "not a feed")
        futs = {pool.submit(run_feedspool, exe, c): c for c in cases}
        run_feedparser(cases)
        for fut, c in futs.items():
            c.ours = fut.result()

    stats = {cat: dict(cases=0, na=0, applicable=0, agree=0, known=0, disagree=0)
             for cat in CATEGORIES}
    failures, stale, lines, crashes = [], [], [], []
    for c in cases:
        st = stats[c.category]
        st['cases'] += 1
        if c.ours[0] not in (0, 65):
            crashes.append('%s: exit %d: %s' % (c.rel, c.ours[0], c.ours[3].strip()[-300:]))
        if not c.refs or c.fp is None:
            st['na'] += 1
            continue
        rc, feed, items, err, cmd = c.ours
        comps = []
        for scope, idx, field, fpkey in c.refs:
            r = compare_field(c, scope, idx, field, fpkey)
            if r is not None and r[0] not in [x[0] for x in comps]:
                comps.append(r)
        if not comps:
            st['na'] += 1
            continue
        st['applicable'] += 1
        c.fields = comps
        listed = known.get(c.rel, {})
        diffs = [x for x in comps if not x[1]]
        unlisted = [x for x in diffs if x[0] not in listed]
        compared = {x[0] for x in comps}
        for fld, reason in listed.items():
            if fld not in compared:
                stale.append('%s %s: listed but not compared (fields: %s)'
                             % (c.rel, fld, ', '.join(sorted(compared))))
            elif [x for x in comps if x[0] == fld and x[1]]:
                stale.append('%s %s: listed as a known difference but now agrees (%s)'
                             % (c.rel, fld, reason))
        if not diffs:
            st['agree'] += 1
        elif not unlisted:
            st['known'] += 1
        else:
            st['disagree'] += 1
            failures.append(c)
        if verbose or (diffs and unlisted):
            lines.append(describe(c, comps, listed, rc, err, cmd, verbose))
    for rel in known:
        if not any(c.rel == rel for c in cases) and not only:
            stale.append('%s: listed in known differences but not in the corpus' % rel)
        elif not only:
            c = next(c for c in cases if c.rel == rel)
            if not c.fields:
                stale.append('%s: listed in known differences but not applicable' % rel)

    for l in lines:
        print(l)
    print()
    print('%-18s %6s %6s %10s %6s %6s %9s %7s' % ('category', 'docs', 'n/a', 'applicable',
          'agree', 'known', 'disagree', 'pass'))
    tot = dict(cases=0, na=0, applicable=0, agree=0, known=0, disagree=0)
    for cat in CATEGORIES:
        st = stats[cat]
        for k in tot:
            tot[k] += st[k]
        print(row(cat, st))
    print(row('total', tot))
    print('pass = agree / applicable; "known" are listed in %s'
          % os.path.basename(known_path))
    kinds = {}
    for fields in known.values():
        for reason in fields.values():
            k = reason.split(':', 1)[0]
            kinds[k] = kinds.get(k, 0) + 1
    print('known differences (fields): %s' % ', '.join(
        '%d %s' % (n, k) for k, n in sorted(kinds.items())))
    print('%.1f s' % (time.monotonic() - t0))
    ok = True
    for b in bad:
        print('conform: FAIL: ' + b)
        ok = False
    for s in stale:
        print('conform: FAIL: stale known difference: ' + s)
        ok = False
    for x in crashes:
        print('conform: FAIL: feedspool crashed or failed on ' + x)
        ok = False
    if failures:
        print('conform: FAIL: %d case(s) disagree with feedparser and are not '
              'listed: %s' % (len(failures), ' '.join(c.rel for c in failures)))
        ok = False
    return 0 if ok else 1


def row(name, st):
    pct = '%.1f%%' % (100.0 * st['agree'] / st['applicable']) if st['applicable'] else '-'
    return '%-18s %6d %6d %10d %6d %6d %9d %7s' % (
        name, st['cases'], st['na'], st['applicable'], st['agree'],
        st['known'], st['disagree'], pct)


def describe(c, comps, listed, rc, err, cmd, verbose=False):
    out = ['--- %s  [%s]  %s' % (c.rel, 'fp-expect=ok' if c.fp_expect else 'fp-expect=FAILS',
                                   c.description)]
    out.append('    Expect: %s' % c.expect)
    out.append('    ran: %s (exit %d)' % (' '.join(cmd), rc))
    for name, ok, a, b in comps:
        tag = 'agree' if ok else ('known: ' + listed[name] if name in listed else 'DISAGREE')
        out.append('    %-26s %s' % (name, tag))
        if verbose or not ok or name in listed:
            out.append('        feedspool:  %s' % short(a))
            out.append('        feedparser: %s' % short(b))
    warn = [l for l in err.splitlines() if l.strip()]
    if warn:
        out.append('    stderr: ' + ' | '.join(warn)[:400])
    return '\n'.join(out)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
