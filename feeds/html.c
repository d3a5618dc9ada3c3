/*
 * html.c - the allow-list HTML sanitizer (text.c has the text converter).
 *
 * The fragment is parsed once by libxml2's HTML parser as the content of a
 * body element.  No tree is built: the parser's SAX events go to the
 * sanitizer here and to the text converter side by side, and we write the
 * output ourselves (libxml2's serializer would copy whatever the parser
 * accepted).  Nothing here recurses on the nesting depth.
 *
 * Policy (the tables below are the whole of it):
 *  - Allowed elements keep their allowed attributes and nothing else: no
 *    id, class or name (DOM clobbering), no style, no on*, no srcdoc,
 *    formaction, xlink:href and the like.
 *  - Dangerous elements go with everything inside them (script, style,
 *    iframe, object, embed, template, noscript, title, textarea, select,
 *    svg, math, form controls, head, meta, base, link, frames...).
 *  - Any other element is unwrapped: its children stay.  Block-level ones
 *    (section, center, form...) become <div> so paragraphs do not run
 *    together, dir and menu become <ul>, xmp, listing, plaintext <pre>.
 *  - Table parts, col and source are kept only in their proper parent;
 *    elsewhere they are unwrapped the same way (or dropped when void).
 *  - URL attributes are resolved against the base and kept only if the
 *    result is http, https or mailto (see san_url).  <a> gets
 *    rel="nofollow noopener noreferrer"; <a> without a usable href is
 *    unwrapped, <img> without one is dropped.  Audio and video always get
 *    controls and never autoplay.
 *  - Comments, processing instructions, doctypes and CDATA markers go.
 *  - libxml2 2.9.14 knows only HTML 4's empty elements: it makes what
 *    follows <wbr>, <source>, <embed>, <track>... their children.  Those
 *    children are taken as the following siblings they are in HTML5, even
 *    when the void element itself is dropped.
 *  - Output nesting stops at HTML_MAX_DEPTH: deeper elements are unwrapped
 *    (their text stays).  A link inside a link is unwrapped; a <p> that
 *    holds a block, an item inside an open item and a heading right in a
 *    heading become <div>, so that a browser keeps the structure we
 *    wrote (HTML5 would end the outer one there).  Other invalid nesting
 *    (a <div> right in a <table>) is left: a browser may move it, which
 *    only moves our own elements around.
 *
 * Why re-parsing our output cannot do more than the structure we checked:
 * every "<", ">" and "&" in text and every quote in attribute values is
 * escaped, and no raw-text element (script, style, textarea, title, xmp,
 * noscript, iframe...) or foreign element (svg, math) survives, so the
 * mutation XSS tricks that rely on a second parse reading text as markup
 * have nothing to work with.  A browser may still re-nest invalid
 * structure (a <p> inside a <p>), which only moves our own allowed
 * elements around.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "buf.h"
#include "bytescan.h"
#include "charset.h"
#include "entities.h"
#include "html.h"
#include "html_internal.h"
#include "utf8.h"
#include "url.h"

/*
 * Fragments longer than this are cut (at a character boundary) before
 * parsing; libxml2 closes what the cut leaves open.  It bounds what
 * XML_PARSE_HUGE lets through.
 */
#define HTML_MAX_IN		(16u << 20)

/* Room past HTML_MAX_OUT for the end tags of the open elements. */
#define HTML_CLOSE_RESERVE	(HTML_MAX_DEPTH * 16)

/* A URL longer than this is dropped rather than copied around. */
#define HTML_MAX_URL		(64u << 10)

/*
 * NOIMPLIED: we supply html and body ourselves.  HUGE: without it libxml2
 * 2.9.14 stops the whole parse at 256 levels of nesting or a 10 MB text
 * node (reporting the latter as out of memory); HTML_MAX_IN bounds the
 * input instead, and nothing here recurses on depth.  IGNORE_ENC: a <meta
 * charset> inside an article must not switch the decoder, the feed
 * parser has already produced UTF-8.
 */
#define HTML_PARSE_OPTIONS						\
	(HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |	\
	HTML_PARSE_NOIMPLIED | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT |	\
	HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE)

/* Attributes, in the (sorted) order of attr_table. */
enum attr_id {
	A_ALT,
	A_CITE,
	A_COLSPAN,
	A_DATETIME,
	A_DIR,
	A_HEIGHT,
	A_HREF,
	A_LANG,
	A_LOOP,
	A_MEDIA,
	A_MUTED,
	A_OPEN,
	A_POSTER,
	A_PRELOAD,
	A_REVERSED,
	A_ROWSPAN,
	A_SCOPE,
	A_SIZES,
	A_SPAN,
	A_SRC,
	A_SRCSET,
	A_START,
	A_TITLE,
	A_TYPE,
	A_VALUE,
	A_WIDTH,
};

#define A(id)		(1u << (id))

/* Allowed on every allowed element. */
#define A_GLOBAL	(A(A_DIR) | A(A_LANG) | A(A_TITLE))

enum attr_kind {
	AK_TEXT,	/* any text without "<" */
	AK_URL,		/* one URL, see san_url */
	AK_SRCSET,	/* candidates "url [descriptor]", comma separated */
	AK_UINT,	/* a non-negative integer */
	AK_INT,		/* an integer */
	AK_BOOL,	/* written as name="name" */
	AK_LANG,	/* a BCP 47 tag */
	AK_DIR,		/* ltr, rtl, auto */
	AK_PRELOAD,	/* none, metadata, auto */
	AK_SCOPE,	/* row, col, rowgroup, colgroup */
};

struct html_attr {
	const char *name;
	enum attr_kind kind;
};

static const struct html_attr attr_table[] = {
	[A_ALT] = { "alt", AK_TEXT },
	[A_CITE] = { "cite", AK_URL },
	[A_COLSPAN] = { "colspan", AK_UINT },
	[A_DATETIME] = { "datetime", AK_TEXT },
	[A_DIR] = { "dir", AK_DIR },
	[A_HEIGHT] = { "height", AK_UINT },
	[A_HREF] = { "href", AK_URL },
	[A_LANG] = { "lang", AK_LANG },
	[A_LOOP] = { "loop", AK_BOOL },
	[A_MEDIA] = { "media", AK_TEXT },
	[A_MUTED] = { "muted", AK_BOOL },
	[A_OPEN] = { "open", AK_BOOL },
	[A_POSTER] = { "poster", AK_URL },
	[A_PRELOAD] = { "preload", AK_PRELOAD },
	[A_REVERSED] = { "reversed", AK_BOOL },
	[A_ROWSPAN] = { "rowspan", AK_UINT },
	[A_SCOPE] = { "scope", AK_SCOPE },
	[A_SIZES] = { "sizes", AK_TEXT },
	[A_SPAN] = { "span", AK_UINT },
	[A_SRC] = { "src", AK_URL },
	[A_SRCSET] = { "srcset", AK_SRCSET },
	[A_START] = { "start", AK_INT },
	[A_TITLE] = { "title", AK_TEXT },
	[A_TYPE] = { "type", AK_TEXT },
	[A_VALUE] = { "value", AK_INT },
	[A_WIDTH] = { "width", AK_UINT },
};

/* HTML's ASCII whitespace, as in attribute values. */
#define SPACES		" \t\n\r\f"

#define N_ELEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define ALLOW		HE_ALLOW
#define DROP		HE_DROP
#define VOID		HE_VOID
#define BLOCK		HE_BLOCK
#define LINE		HE_LINE

/*
 * Elements we know, sorted by name for bsearch.  Anything else is
 * unwrapped.  The allowed set follows feedparser's acceptable_elements and
 * Miniflux's allow-list, less what can load or run something (iframe,
 * object) and the HTML5 sectioning elements (they become <div>).
 */
const struct html_elem html_elem_table[] = {
	{ "a", ALLOW, 0, 0, A(A_HREF) },
	{ "abbr", ALLOW, 0, 0, 0 },
	{ "acronym", ALLOW, 0, 0, 0 },
	{ "address", ALLOW | BLOCK, 0, 0, 0 },
	{ "applet", DROP, 0, 0, 0 },
	{ "area", DROP | VOID, 0, 0, 0 },
	{ "article", BLOCK, 0, 0, 0 },
	{ "aside", BLOCK, 0, 0, 0 },
	{ "audio", ALLOW | HE_NOTEXT, HK_MEDIA, 0,
	    A(A_SRC) | A(A_LOOP) | A(A_MUTED) | A(A_PRELOAD) },
	{ "b", ALLOW, 0, 0, 0 },
	{ "base", DROP | VOID, 0, 0, 0 },
	{ "basefont", DROP | VOID, 0, 0, 0 },
	{ "bdi", ALLOW, 0, 0, 0 },
	{ "bdo", ALLOW, 0, 0, 0 },
	{ "bgsound", DROP | VOID, 0, 0, 0 },
	{ "big", ALLOW, 0, 0, 0 },
	{ "blockquote", ALLOW | BLOCK, 0, 0, A(A_CITE) },
	{ "br", ALLOW | VOID | HE_BR, 0, 0, 0 },
	{ "button", DROP, 0, 0, 0 },
	{ "caption", ALLOW | LINE, 0, HK_TABLE, 0 },
	{ "center", BLOCK, 0, 0, 0 },
	{ "cite", ALLOW, 0, 0, 0 },
	{ "code", ALLOW, 0, 0, 0 },
	{ "col", ALLOW | VOID, 0, HK_TABLE | HK_COLGROUP, A(A_SPAN) },
	{ "colgroup", ALLOW, HK_COLGROUP, HK_TABLE, A(A_SPAN) },
	{ "datalist", DROP, 0, 0, 0 },
	{ "dd", ALLOW | LINE, 0, 0, 0 },
	{ "del", ALLOW, 0, 0, A(A_CITE) | A(A_DATETIME) },
	{ "details", ALLOW | BLOCK, 0, 0, A(A_OPEN) },
	{ "dfn", ALLOW, 0, 0, 0 },
	{ "dialog", BLOCK, 0, 0, 0 },
	{ "dir", BLOCK | HE_LIST, 0, 0, 0 },
	{ "div", ALLOW | BLOCK, 0, 0, 0 },
	{ "dl", ALLOW | BLOCK, 0, 0, 0 },
	{ "dt", ALLOW | LINE, 0, 0, 0 },
	{ "em", ALLOW, 0, 0, 0 },
	{ "embed", DROP | VOID, 0, 0, 0 },
	{ "fieldset", BLOCK, 0, 0, 0 },
	{ "figcaption", ALLOW | BLOCK, 0, 0, 0 },
	{ "figure", ALLOW | BLOCK, 0, 0, 0 },
	{ "footer", BLOCK, 0, 0, 0 },
	{ "form", BLOCK, 0, 0, 0 },
	{ "frame", DROP | VOID, 0, 0, 0 },
	{ "frameset", DROP, 0, 0, 0 },
	{ "h1", ALLOW | BLOCK, 0, 0, 0 },
	{ "h2", ALLOW | BLOCK, 0, 0, 0 },
	{ "h3", ALLOW | BLOCK, 0, 0, 0 },
	{ "h4", ALLOW | BLOCK, 0, 0, 0 },
	{ "h5", ALLOW | BLOCK, 0, 0, 0 },
	{ "h6", ALLOW | BLOCK, 0, 0, 0 },
	{ "head", DROP, 0, 0, 0 },
	{ "header", BLOCK, 0, 0, 0 },
	{ "hgroup", BLOCK, 0, 0, 0 },
	{ "hr", ALLOW | VOID | BLOCK, 0, 0, 0 },
	{ "i", ALLOW, 0, 0, 0 },
	{ "iframe", DROP, 0, 0, 0 },
	{ "image", DROP | VOID, 0, 0, 0 },
	{ "img", ALLOW | VOID, 0, 0,
	    A(A_SRC) | A(A_ALT) | A(A_WIDTH) | A(A_HEIGHT) | A(A_SRCSET) |
	    A(A_SIZES) },
	{ "input", DROP | VOID, 0, 0, 0 },
	{ "ins", ALLOW, 0, 0, A(A_CITE) | A(A_DATETIME) },
	{ "isindex", DROP | VOID, 0, 0, 0 },
	{ "kbd", ALLOW, 0, 0, 0 },
	{ "keygen", DROP | VOID, 0, 0, 0 },
	{ "legend", LINE, 0, 0, 0 },
	{ "li", ALLOW | LINE | HE_ITEM, 0, 0, A(A_VALUE) },
	{ "link", DROP | VOID, 0, 0, 0 },
	{ "listing", BLOCK | HE_PRE, 0, 0, 0 },
	{ "main", BLOCK, 0, 0, 0 },
	{ "mark", ALLOW, 0, 0, 0 },
	{ "math", DROP, 0, 0, 0 },
	{ "menu", BLOCK | HE_LIST, 0, 0, 0 },
	{ "meta", DROP | VOID, 0, 0, 0 },
	{ "nav", BLOCK, 0, 0, 0 },
	{ "noembed", DROP, 0, 0, 0 },
	{ "noframes", DROP, 0, 0, 0 },
	{ "noscript", DROP, 0, 0, 0 },
	{ "object", DROP, 0, 0, 0 },
	{ "ol", ALLOW | BLOCK | HE_LIST | HE_ORDERED, 0, 0,
	    A(A_START) | A(A_REVERSED) | A(A_TYPE) },
	{ "optgroup", DROP, 0, 0, 0 },
	{ "option", DROP, 0, 0, 0 },
	{ "p", ALLOW | BLOCK, 0, 0, 0 },
	{ "param", DROP | VOID, 0, 0, 0 },
	{ "picture", ALLOW, HK_MEDIA, 0, 0 },
	{ "plaintext", BLOCK | HE_PRE, 0, 0, 0 },
	{ "portal", DROP, 0, 0, 0 },
	{ "pre", ALLOW | BLOCK | HE_PRE, 0, 0, 0 },
	{ "q", ALLOW, 0, 0, A(A_CITE) },
	{ "rp", ALLOW, 0, 0, 0 },
	{ "rt", ALLOW, 0, 0, 0 },
	{ "ruby", ALLOW, 0, 0, 0 },
	{ "s", ALLOW, 0, 0, 0 },
	{ "samp", ALLOW, 0, 0, 0 },
	{ "script", DROP, 0, 0, 0 },
	{ "section", BLOCK, 0, 0, 0 },
	{ "select", DROP, 0, 0, 0 },
	{ "small", ALLOW, 0, 0, 0 },
	{ "source", ALLOW | VOID, 0, HK_MEDIA,
	    A(A_SRC) | A(A_SRCSET) | A(A_SIZES) | A(A_MEDIA) | A(A_TYPE) },
	{ "span", ALLOW, 0, 0, 0 },
	{ "strike", ALLOW, 0, 0, 0 },
	{ "strong", ALLOW, 0, 0, 0 },
	{ "style", DROP, 0, 0, 0 },
	{ "sub", ALLOW, 0, 0, 0 },
	{ "summary", ALLOW | LINE, 0, 0, 0 },
	{ "sup", ALLOW, 0, 0, 0 },
	{ "svg", DROP, 0, 0, 0 },
	{ "table", ALLOW | BLOCK, HK_TABLE, 0, 0 },
	{ "tbody", ALLOW, HK_TSECT, HK_TABLE, 0 },
	{ "td", ALLOW | HE_CELL, 0, HK_TR, A(A_COLSPAN) | A(A_ROWSPAN) },
	{ "template", DROP, 0, 0, 0 },
	{ "textarea", DROP, 0, 0, 0 },
	{ "tfoot", ALLOW, HK_TSECT, HK_TABLE, 0 },
	{ "th", ALLOW | HE_CELL, 0, HK_TR,
	    A(A_COLSPAN) | A(A_ROWSPAN) | A(A_SCOPE) },
	{ "thead", ALLOW, HK_TSECT, HK_TABLE, 0 },
	{ "time", ALLOW, 0, 0, A(A_DATETIME) },
	{ "title", DROP, 0, 0, 0 },
	{ "tr", ALLOW | LINE, HK_TR, HK_TABLE | HK_TSECT, 0 },
	{ "track", DROP | VOID, 0, 0, 0 },
	{ "tt", ALLOW, 0, 0, 0 },
	{ "u", ALLOW, 0, 0, 0 },
	{ "ul", ALLOW | BLOCK | HE_LIST, 0, 0, 0 },
	{ "var", ALLOW, 0, 0, 0 },
	{ "video", ALLOW | HE_NOTEXT, HK_MEDIA, 0,
	    A(A_SRC) | A(A_POSTER) | A(A_LOOP) | A(A_MUTED) | A(A_PRELOAD) |
	    A(A_WIDTH) | A(A_HEIGHT) },
	{ "wbr", ALLOW | VOID, 0, 0, 0 },
	{ "xml", DROP, 0, 0, 0 },
	{ "xmp", BLOCK | HE_PRE, 0, 0, 0 },
};

/* One element whose start tag we wrote, so we owe its end tag. */
struct frame {
	const char *name;
	size_t depth;		/* the parse's depth of the element */
	size_t open_at;		/* where its start tag is in the output (kept
				 * right for <p> frames, see p_holds_block) */
	uint8_t kind;		/* HK_*, 0 for a substitute <div> */
	bool p;			/* written as <p>, maybe a <div> since */
};

/* The sanitizer's state for one fragment (san_new, san_finish). */
struct san {
	struct buf *out;
	struct buf attrs;	/* the attributes of the start tag at hand */
	struct buf url;		/* one URL being cleaned */
	const char *base;
	size_t depth;
	size_t links;		/* open <a> frames */
	struct frame stack[HTML_MAX_DEPTH];
};

const size_t html_elem_count = N_ELEMS(html_elem_table);

/*
 * Element names are looked up over a million times for an 11 MB feed (by
 * the sanitizer, the text walk and the block test): not by bsearch with
 * strcasecmp at each step, but in an open-addressed table of the entries
 * by a hash of their lower-case names, built once, then one strcasecmp.
 */
#define ELEM_SLOTS 512
_Static_assert(N_ELEMS(html_elem_table) * 3 < ELEM_SLOTS &&
    (ELEM_SLOTS & (ELEM_SLOTS - 1)) == 0, "ELEM_SLOTS: a power of two, "
    "over three times the elements");
static uint16_t elem_slots[ELEM_SLOTS];	/* entry + 1, or 0 for none */
static pthread_once_t elem_slots_once = PTHREAD_ONCE_INIT;

/* FNV-1a of the name with ASCII letters in lower case. */
static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++)
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
	return h;
}

static void
build_elem_slots(void)
{
	size_t i, k;

	for (i = 0; i < N_ELEMS(html_elem_table); i++) {
		k = name_hash(html_elem_table[i].name) & (ELEM_SLOTS - 1);
		while (elem_slots[k] != 0)
			k = (k + 1) & (ELEM_SLOTS - 1);
		elem_slots[k] = (uint16_t)(i + 1);
	}
}

const struct html_elem *
html_elem_lookup(const xmlChar *name)
{
	const struct html_elem *e;
	size_t k;

	if (name == NULL)
		return NULL;
	(void)pthread_once(&elem_slots_once, build_elem_slots);
	for (k = name_hash((const char *)name) & (ELEM_SLOTS - 1);
	    elem_slots[k] != 0; k = (k + 1) & (ELEM_SLOTS - 1)) {
		e = &html_elem_table[elem_slots[k] - 1];
		if (strcasecmp((const char *)name, e->name) == 0)
			return e;
	}
	return NULL;
}

static int
cmp_attr(const void *key, const void *entry)
{
	return strcasecmp(key, ((const struct html_attr *)entry)->name);
}

/* Returns the enum attr_id of an attribute name, or -1. */
static int
attr_lookup(const xmlChar *name)
{
	const struct html_attr *a;

	a = bsearch(name, attr_table, N_ELEMS(attr_table),
	    sizeof(attr_table[0]), cmp_attr);
	return a == NULL ? -1 : (int)(a - attr_table);
}

/* The tail of a valid UTF-8 sequence: 10xxxxxx. */
static bool
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * U+0080..U+009F are what windows-1252 text becomes when read as Latin-1
 * (a raw U+0092, or &#146;).  HTML's character-reference rules and every
 * browser map them to the windows-1252 characters; we do the same for
 * raw ones.  Writes that character in UTF-8 into out and returns its
 * length, or 0 for the five code points windows-1252 leaves undefined
 * (and anything outside the range).
 */
size_t
html_c1_replacement(uint32_t cp, char out[4])
{
	uint32_t c = charset_cp1252_c1(cp);

	return c != 0 ? utf8_encode(c, out) : 0;
}

int
html_char_ok(uint32_t cp)
{
	/*
	 * XML 1.0 section 2.2 Char, less DEL and the C1 controls (they only
	 * come from text decoded with the wrong charset and display as
	 * garbage) and the noncharacters U+nFFFE, U+nFFFF.
	 */
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp >= 0x7f && cp <= 0x9f)
		return 0;
	if ((cp & 0xfffe) == 0xfffe)
		return 0;
	return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
}

/* put_escaped() modes. */
#define ESC_QUOT	0x01	/* also " and ' */
#define ESC_WS		0x02	/* also tab, LF, CR (attribute values) */

/*
 * Appends s[0..len) to b with &, < and > (and what mode adds) escaped and
 * the characters XML cannot carry removed.  Returns -E2BIG, before
 * writing what would pass cap; the text is then cut at a character
 * boundary.
 */
static int
put_escaped(struct buf *b, size_t cap, const char *s, size_t len, int mode)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run = p;
	const char *rep;
	char c1[4];
	size_t n, rlen;
	uint32_t cp;
	int r;

	while (p < end) {
		/* Eight printable ASCII bytes that need no reference. */
		if (end - p >= 8) {
			uint64_t w = bytescan_load(p);

			if (!(bytescan_below(w, 0x20) | bytescan_high(w) |
			    bytescan_has(w, 0x7f) | bytescan_has(w, '&') |
			    bytescan_has(w, '<') | bytescan_has(w, '>') |
			    ((mode & ESC_QUOT) ? bytescan_has(w, '"') |
			    bytescan_has(w, '\'') : 0))) {
				p += 8;
				continue;
			}
		}
		n = 1;
		if (*p >= 0x20 && *p < 0x7f) {
			if (*p == '&')
				rep = "&amp;";
			else if (*p == '<')
				rep = "&lt;";
			else if (*p == '>')
				rep = "&gt;";
			else if (*p == '"' && (mode & ESC_QUOT))
				rep = "&quot;";
			else if (*p == '\'' && (mode & ESC_QUOT))
				rep = "&#39;";
			else {
				p++;
				continue;
			}
		} else if (*p == '\t' || *p == '\n' || *p == '\r') {
			if (!(mode & ESC_WS)) {
				p++;
				continue;
			}
			rep = *p == '\t' ? "&#9;" : *p == '\n' ? "&#10;" : "&#13;";
		} else {
			n = utf8_next(p, (size_t)(end - p), &cp);
			if (cp != UTF8_BAD && html_char_ok(cp)) {
				p += n;
				continue;
			}
			/* Nothing (dropped), or the windows-1252 one. */
			rlen = html_c1_replacement(cp, c1);
			rep = c1;
		}
		if (rep != c1)
			rlen = strlen(rep);
		if (b->len + (size_t)(p - run) + rlen > cap)
			return -E2BIG;
		if ((p > run && (r = buf_append(b, (const char *)run,
		    (size_t)(p - run))) < 0) ||
		    (r = buf_append(b, rep, rlen)) < 0)
			return r;
		p += n;
		run = p;
	}
	if (b->len + (size_t)(p - run) > cap)
		return -E2BIG;
	return buf_append(b, (const char *)run, (size_t)(p - run));
}

/* Appends to the output, failing with -E2BIG past HTML_MAX_OUT. */
static int
out_append(struct san *s, const char *p, size_t len)
{
	if (s->out->len + len > HTML_MAX_OUT)
		return -E2BIG;
	return buf_append(s->out, p, len);
}

/* A URL scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986). */
static bool
is_scheme(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return false;
	for (i = 1; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    !(c >= '0' && c <= '9') && c != '+' && c != '-' &&
		    c != '.')
			return false;
	}
	return true;
}

/*
 * Cleans the URL value[0..len) and, if it is safe, appends it escaped to
 * dst.  Returns 0 when appended, 1 when the URL was refused (dst is then
 * unchanged), or a negative errno.
 *
 * A browser first strips leading and trailing C0 controls and spaces and
 * removes every tab, LF and CR (WHATWG URL, "basic URL parser"), so
 * "java\tscript:" is javascript:; we do the same before looking at the
 * scheme, and the other controls go too since XML cannot carry them.
 * Entities are already decoded by libxml2 ("&#106;avascript:"), and our
 * output escapes every "&", so the browser decodes exactly what we checked.
 *
 * A reference whose first segment holds a ":" is a scheme, or else
 * invalid as a relative reference (RFC 3986 section 4.2): it must then be
 * a real scheme.  What has a scheme, or any reference when there is a
 * base, goes through url_resolve() and must come out url_is_safe().
 * Without a base, a scheme-less reference stays relative as cleaned.
 */
static int
san_url(struct san *s, const char *value, size_t len, struct buf *dst)
{
	const unsigned char *p = (const unsigned char *)value;
	const unsigned char *end = p + len;
	char *abs = NULL, *u;
	size_t n, i, ulen;
	bool scheme = false;
	uint32_t cp;
	int r;

	buf_clear(&s->url);
	while (p < end && *p <= 0x20)
		p++;
	while (p < end) {
		/* Printable ASCII, nearly all of a URL, goes in runs. */
		for (n = 0; p + n < end && p[n] >= 0x20 && p[n] < 0x7f; n++)
			;
		if (n == 0) {
			n = utf8_next(p, (size_t)(end - p), &cp);
			if (cp == UTF8_BAD || !html_char_ok(cp) ||
			    cp == '\t' || cp == '\n' || cp == '\r') {
				p += n;
				continue;
			}
		}
		r = buf_append(&s->url, (const char *)p, n);
		if (r == -E2BIG)
			return 1;
		if (r < 0)
			return r;
		p += n;
	}
	u = s->url.p;
	ulen = s->url.len;
	while (ulen > 0 && (unsigned char)u[ulen - 1] <= 0x20)
		ulen--;
	if (ulen == 0)
		return 1;
	u[ulen] = '\0';
	s->url.len = ulen;

	for (i = 0; i < ulen && strchr(":/?#", u[i]) == NULL; i++)
		continue;
	if (i < ulen && u[i] == ':') {
		if (!is_scheme(u, i))
			return 1;
		scheme = true;
	}

	if (!scheme && s->base == NULL)
		return put_escaped(dst, HTML_MAX_OUT, u, ulen,
		    ESC_QUOT | ESC_WS);

	r = url_resolve(s->base, u, &abs);
	if (r == -ENOMEM)
		goto out;
	if (r < 0 || !url_is_safe(abs)) {
		r = 1;
		goto out;
	}
	r = put_escaped(dst, HTML_MAX_OUT, abs, strlen(abs),
	    ESC_QUOT | ESC_WS);
out:
	free(abs);
	return r;
}

/*
 * True when desc[0..len) (trimmed) is a valid srcset descriptor list:
 * nothing, a width "100w" (with an optional height "50h"), or a density
 * "1.5x" (HTML, "parse a srcset attribute", step 13).  A browser drops a
 * candidate with anything else, so we do too.
 */
static bool
is_descriptor(const char *desc, size_t len)
{
	const char *p = desc, *end = desc + len, *tok;
	size_t digits, frac;
	int w = 0, x = 0, h = 0;

	while (p < end) {
		while (p < end && strchr(SPACES, *p) != NULL)
			p++;
		tok = p;
		while (p < end && strchr(SPACES, *p) == NULL)
			p++;
		if (p == tok)
			break;
		digits = strspn(tok, "0123456789");
		frac = 0;
		if (tok + digits < p && tok[digits] == '.') {
			frac = strspn(tok + digits + 1, "0123456789");
			if (frac == 0)
				return false;
			frac++;
		}
		if (tok + digits + frac + 1 != p ||
		    (digits == 0 && frac == 0))
			return false;
		switch (p[-1]) {
		case 'w':
			w++;
			break;
		case 'h':
			h++;
			break;
		case 'x':
			x++;
			break;
		default:
			return false;
		}
		if (frac > 0 && p[-1] != 'x')
			return false;
	}
	return w <= 1 && x <= 1 && h <= 1 && !(w && x) && !(h && !w);
}

/*
 * Appends the safe candidates of a srcset to dst, comma separated.
 * Returns 0, 1 when none was safe (dst unchanged), or a negative errno.
 * The split follows HTML's "parse a srcset attribute": the URL is a run
 * of non-space, trailing commas belong to the separator, and descriptors
 * run to the next comma outside parentheses.
 */
static int
san_srcset(struct san *s, const char *v, struct buf *dst)
{
	size_t start = dst->len, mark, urlstart, ulen, dlen;
	const char *url, *desc, *d, *tok;
	int r, depth, count = 0;

	for (;;) {
		while (*v != '\0' && (strchr(SPACES ",", *v) != NULL))
			v++;
		if (*v == '\0')
			break;
		url = v;
		while (*v != '\0' && strchr(SPACES, *v) == NULL)
			v++;
		ulen = (size_t)(v - url);
		desc = v;
		if (url[ulen - 1] == ',') {
			while (ulen > 0 && url[ulen - 1] == ',')
				ulen--;
			dlen = 0;
		} else {
			for (depth = 0; *v != '\0'; v++) {
				if (*v == '(')
					depth++;
				else if (*v == ')' && depth > 0)
					depth--;
				else if (*v == ',' && depth == 0)
					break;
			}
			dlen = (size_t)(v - desc);
		}
		while (dlen > 0 && strchr(SPACES, *desc) != NULL) {
			desc++;
			dlen--;
		}
		while (dlen > 0 && strchr(SPACES, desc[dlen - 1]) != NULL)
			dlen--;
		if (ulen == 0 || !is_descriptor(desc, dlen))
			continue;

		mark = dst->len;
		if (count > 0 && (r = buf_puts(dst, ", ")) < 0)
			return r;
		urlstart = dst->len;
		r = san_url(s, url, ulen, dst);
		if (r < 0)
			return r;
		/*
		 * Cleaning can leave a comma at either end ("t,\x0f"), where
		 * a browser would take it for a separator and split the
		 * candidate differently from us.
		 */
		if (r == 0 && (dst->len == urlstart ||
		    dst->p[urlstart] == ',' || dst->p[dst->len - 1] == ','))
			r = 1;
		if (r > 0) {
			dst->len = mark;
			dst->p[mark] = '\0';
			continue;
		}
		/* Descriptors: one space before each, nothing else. */
		for (d = desc; d < desc + dlen;) {
			while (d < desc + dlen && strchr(SPACES, *d) != NULL)
				d++;
			tok = d;
			while (d < desc + dlen && strchr(SPACES, *d) == NULL)
				d++;
			if (d > tok && ((r = buf_puts(dst, " ")) < 0 ||
			    (r = buf_append(dst, tok, (size_t)(d - tok))) < 0))
				return r;
		}
		count++;
	}
	if (count == 0) {
		dst->len = start;
		if (dst->p != NULL)
			dst->p[start] = '\0';
		return 1;
	}
	return 0;
}

/* True when v is an optionally signed decimal integer of 1 to 9 digits. */
static bool
is_integer(const char *v, bool sign)
{
	size_t n;

	if (sign && *v == '-')
		v++;
	n = strspn(v, "0123456789");
	return n > 0 && n <= 9 && v[n] == '\0';
}

/* Returns the member of words (NULL-terminated) equal to v, or NULL. */
static const char *
pick(const char *v, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasecmp(v, *words) == 0)
			return *words;
	return NULL;
}

/*
 * Appends ' name="value"' for attribute id to s->attrs if the value passes
 * its kind's check.  Returns 0 when appended, 1 when refused, or a
 * negative errno.
 */
static int
san_attr(struct san *s, enum attr_id id, const char *value)
{
	static const char *const dirs[] = { "ltr", "rtl", "auto", NULL };
	static const char *const preloads[] = {
		"none", "metadata", "auto", NULL
	};
	static const char *const scopes[] = {
		"row", "col", "rowgroup", "colgroup", NULL
	};
	const struct html_attr *a = &attr_table[id];
	struct buf *b = &s->attrs;
	size_t mark = b->len, n;
	const char *v = value;
	char tok[40];
	int r;

	if (a->kind != AK_URL && a->kind != AK_SRCSET && a->kind != AK_TEXT &&
	    a->kind != AK_BOOL) {
		/* One token; surrounding spaces are no part of it. */
		v += strspn(v, SPACES);
		n = strcspn(v, SPACES);
		if (n >= sizeof(tok) || v[n + strspn(v + n, SPACES)] != '\0')
			return 1;
		memcpy(tok, v, n);
		tok[n] = '\0';
		v = tok;
	}
	switch (a->kind) {
	case AK_TEXT:
		/*
		 * Harmless once escaped, but a value that looks like markup
		 * ("</noscript><img onerror=...>") is a mutation XSS payload
		 * waiting for a consumer that unescapes once too often.
		 */
		if (strchr(v, '<') != NULL)
			return 1;
		break;
	case AK_URL:
	case AK_SRCSET:
		break;
	case AK_UINT:
	case AK_INT:
		if (!is_integer(v, a->kind == AK_INT))
			return 1;
		break;
	case AK_BOOL:
		v = a->name;
		break;
	case AK_LANG:
		n = strlen(v);
		if (n == 0 || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != n)
			return 1;
		break;
	case AK_DIR:
	case AK_PRELOAD:
	case AK_SCOPE:
		v = pick(v, a->kind == AK_DIR ? dirs :
		    a->kind == AK_PRELOAD ? preloads : scopes);
		if (v == NULL)
			return 1;
		break;
	}

	if ((r = buf_puts(b, " ")) < 0 || (r = buf_puts(b, a->name)) < 0 ||
	    (r = buf_puts(b, "=\"")) < 0)
		goto out;
	if (a->kind == AK_URL)
		r = san_url(s, v, strlen(v), b);
	else if (a->kind == AK_SRCSET)
		r = san_srcset(s, v, b);
	else
		r = put_escaped(b, HTML_MAX_OUT, v, strlen(v),
		    ESC_QUOT | ESC_WS);
	if (r != 0)
		goto out;
	r = buf_puts(b, "\"");
out:
	if (r != 0) {
		b->len = mark;
		if (b->p != NULL)
			b->p[mark] = '\0';
		if (r == -E2BIG)
			r = 1;	/* a monster value: leave it out */
	}
	return r;
}

/*
 * Writes the allowed attributes of atts (name, value pairs) into s->attrs
 * (emptied first) and the set of those kept into *ret_seen.  The first of
 * duplicate attributes wins, as libxml2 and browsers keep it (libxml2
 * passes no duplicates on).
 */
static int
san_attrs(struct san *s, const char *const *atts, const struct html_elem *el,
    uint32_t *ret_seen)
{
	uint32_t seen = 0, bit;
	int id, r;

	buf_clear(&s->attrs);
	for (; atts != NULL && atts[0] != NULL; atts += 2) {
		if ((id = attr_lookup((const xmlChar *)atts[0])) < 0)
			continue;
		bit = A(id);
		if (((el->attrs | A_GLOBAL) & bit) == 0 || (seen & bit) != 0)
			continue;
		r = san_attr(s, (enum attr_id)id, atts[1] ? atts[1] : "");
		if (r < 0)
			return r;
		if (r == 0)
			seen |= bit;
	}
	*ret_seen = seen;
	return 0;
}

/* True when the element may sit where the output is now. */
static bool
san_fits(const struct san *s, const struct html_elem *el)
{
	if (el->parents == 0)
		return true;
	return s->depth > 0 && (s->stack[s->depth - 1].kind & el->parents);
}

/*
 * An element that comes out as a block (a paragraph, list, item, table
 * part, pre...) starts inside the innermost <p> we wrote, even if not
 * right in it: HTML5 ends an open <p> at such a start tag, so a browser
 * would not keep it inside ours, and that <p> is written as <div> instead.
 * (libxml2 2.9.14 ends it itself only for the HTML 4 elements it knows,
 * not for figure, section and the like.)  Nothing is parsed twice: the
 * start tag already written is rewritten in place.  Only the innermost
 * <p> needs looking at, since a <p> is a block itself: when one opened
 * inside another, the outer one was rewritten then.  For the same reason
 * no <p> frame lies above the one rewritten, and only those frames keep
 * an offset that matters.
 */
static int
p_holds_block(struct san *s)
{
	struct frame *f = NULL;
	size_t i;
	int r;

	for (i = s->depth; i > 0 && f == NULL; i--)
		if (s->stack[i - 1].p)
			f = &s->stack[i - 1];
	if (f == NULL || strcmp(f->name, "p") != 0)
		return 0;
	if (s->out->len + 2 > HTML_MAX_OUT)
		return -E2BIG;
	/* "<p" + "iv" -> "<piv", then "<div". */
	if ((r = buf_insert(s->out, f->open_at + 2, "iv", 2)) < 0)
		return r;
	s->out->p[f->open_at + 1] = 'd';
	f->name = "div";
	return 0;
}

/*
 * True when HTML5 would end an open <li> (or <dt>, <dd> when dl) at the
 * start tag of another: one is open with nothing between that the
 * parser's "special" category stops at, other than address, div and p
 * (HTML, "The rules for parsing tokens in HTML content", "li").
 */
static bool
item_open(const struct san *s, bool dl)
{
	const struct html_elem *el;
	const char *name;
	size_t i;

	for (i = s->depth; i > 0; i--) {
		name = s->stack[i - 1].name;
		if (dl ? strcmp(name, "dt") == 0 || strcmp(name, "dd") == 0 :
		    strcmp(name, "li") == 0)
			return true;
		if (strcmp(name, "address") == 0 || strcmp(name, "div") == 0 ||
		    strcmp(name, "p") == 0)
			continue;
		el = html_elem_lookup((const xmlChar *)name);
		if (el != NULL && ((el->flags & (HE_BLOCK | HE_LINE |
		    HE_CELL | HE_LIST)) || (el->kind & ~HK_MEDIA)))
			return false;
	}
	return false;
}

/* True for h1 to h6. */
static bool
is_heading(const char *name)
{
	return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
	    name[2] == '\0';
}

/* Text: escaped. */
static int
san_text(void *arg, const char *text, size_t len)
{
	struct san *s = arg;

	return put_escaped(s->out, HTML_MAX_OUT, text, len, 0);
}

/*
 * An element opens: writes its start tag, or none, and tells whether to
 * go into what it holds.
 */
static int
san_start(void *arg, const char *tag, const char *const *atts, size_t depth,
    bool *ret_descend)
{
	struct san *s = arg;
	const struct html_elem *el;
	const char *name = NULL, *extra = "";
	uint32_t seen = 0;
	size_t open_at;
	bool isvoid;
	int r;

	el = html_elem_lookup((const xmlChar *)tag);
	if (el == NULL) {
		*ret_descend = true;	/* unwrapped */
		return 0;
	}
	if ((el->flags & (HE_BLOCK | HE_LINE | HE_CELL | HE_LIST | HE_PRE)) &&
	    (r = p_holds_block(s)) < 0)
		return r;
	isvoid = (el->flags & HE_VOID) != 0;
	if (el->flags & HE_DROP) {
		/* A void element's children are its following siblings. */
		*ret_descend = isvoid;
		return 0;
	}

	if ((el->flags & HE_ALLOW) && san_fits(s, el)) {
		if ((r = san_attrs(s, atts, el, &seen)) < 0)
			return r;
		name = el->name;
		if (strcmp(name, "a") == 0) {
			/* A link in a link: browsers end the outer one. */
			if ((seen & A(A_HREF)) && s->links == 0)
				extra = " rel=\"nofollow noopener noreferrer\"";
			else
				name = NULL;
		} else if (strcmp(name, "li") == 0 ||
		    strcmp(name, "dt") == 0 || strcmp(name, "dd") == 0) {
			if (item_open(s, name[0] == 'd')) {
				name = "div";
				buf_clear(&s->attrs);	/* value= */
			}
		} else if (is_heading(name)) {
			/* A heading right in a heading ends it. */
			if (s->depth > 0 &&
			    is_heading(s->stack[s->depth - 1].name))
				name = "div";
		} else if (strcmp(name, "img") == 0 ||
		    strcmp(name, "source") == 0) {
			if ((seen & (A(A_SRC) | A(A_SRCSET))) == 0 ||
			    (name[0] == 'i' && (seen & A(A_SRC)) == 0))
				name = NULL;
		} else if (strcmp(name, "span") == 0 && seen == 0) {
			name = NULL;
		} else if (strcmp(name, "audio") == 0 ||
		    strcmp(name, "video") == 0) {
			extra = " controls=\"controls\"";
		}
	}
	if (name == NULL) {
		buf_clear(&s->attrs);
		if (isvoid) {
			*ret_descend = true;
			return 0;
		}
		if (el->flags & HE_LIST)
			name = "ul";
		else if (el->flags & HE_PRE)
			name = "pre";
		else if (el->flags & (HE_BLOCK | HE_LINE | HE_CELL))
			name = "div";
	}
	if (name == NULL || (!isvoid && s->depth == HTML_MAX_DEPTH)) {
		*ret_descend = true;
		return 0;
	}

	if (s->out->len + 1 + strlen(name) + s->attrs.len + strlen(extra) +
	    2 > HTML_MAX_OUT)
		return -E2BIG;
	open_at = s->out->len;
	if ((r = out_append(s, "<", 1)) < 0 ||
	    (r = out_append(s, name, strlen(name))) < 0 ||
	    (r = out_append(s, s->attrs.p ? s->attrs.p : "",
	    s->attrs.len)) < 0 ||
	    (r = out_append(s, extra, strlen(extra))) < 0 ||
	    (r = out_append(s, isvoid ? "/>" : ">", isvoid ? 2 : 1)) < 0)
		return r;
	if (isvoid) {
		*ret_descend = true;	/* no frame: nothing to close */
		return 0;
	}
	s->stack[s->depth].name = name;
	s->stack[s->depth].depth = depth;
	s->stack[s->depth].open_at = open_at;
	s->stack[s->depth].kind = name == el->name ? el->kind : 0;
	s->stack[s->depth].p = strcmp(name, "p") == 0;
	s->depth++;
	if (strcmp(name, "a") == 0)
		s->links++;
	*ret_descend = true;
	return 0;
}

/* Writes the end tag of the top frame and pops it. */
static int
san_close(struct san *s)
{
	const char *name;
	int r;

	assert(s->depth > 0);
	name = s->stack[--s->depth].name;
	if (strcmp(name, "a") == 0)
		s->links--;
	/* HTML_CLOSE_RESERVE keeps room for these past HTML_MAX_OUT. */
	if ((r = buf_puts(s->out, "</")) < 0 ||
	    (r = buf_puts(s->out, name)) < 0 ||
	    (r = buf_puts(s->out, ">")) < 0)
		return r;
	return 0;
}

/* An element closes: its end tag, if we wrote its start tag. */
static int
san_end(void *arg, const char *tag, size_t depth)
{
	struct san *s = arg;

	(void)tag;
	if (s->depth > 0 && s->stack[s->depth - 1].depth == depth)
		return san_close(s);
	return 0;
}

static const struct html_handler san_handler = {
	san_start, san_end, san_text,
};

/*
 * A sanitizer writing to out, or NULL.  About 6 KiB of stack frames: off
 * the C stack, and not zeroed (twice per item, that was 2% of a parse): a
 * frame is only read below depth, after it was written.
 */
static struct san *
san_new(const char *base, struct buf *out)
{
	struct san *s = malloc(sizeof(*s));

	if (s == NULL)
		return NULL;
	s->out = out;
	s->base = base;
	s->depth = 0;
	s->links = 0;
	buf_init(&s->attrs, HTML_MAX_OUT);
	buf_init(&s->url, HTML_MAX_URL);
	return s;
}

/*
 * Ends the output after the parse: an output cut at HTML_MAX_OUT (r is
 * -E2BIG) is kept, and the elements still open are closed.  Returns 0 or
 * a negative errno, and frees s.
 */
static int
san_finish(struct san *s, int r)
{
	if (r == -E2BIG)
		r = 0;
	while (r == 0 && s->depth > 0)
		r = san_close(s);
	buf_free(&s->attrs);
	buf_free(&s->url);
	free(s);
	return r;
}

/*
 * A named reference at s[0..len) ("&eacute;..."), decoded into out (at
 * least 6 bytes).  Returns how many bytes of s it took, or 0 when it is
 * none we know: then libxml2 reads it as it always did.  The five that
 * mean markup become the references libxml2 finds first in its table,
 * so that a decoded '&' or '<' never starts anything.
 */
static size_t
decode_named_ref(const char *s, size_t len, char out[6], size_t *out_len)
{
	size_t n = 1;
	uint32_t cp;

	while (n < len && n <= HTML_ENTITY_NAME_MAX &&
	    (((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z') ||
	    (s[n] >= '0' && s[n] <= '9')))
		n++;
	if (n == 1 || n >= len || s[n] != ';' ||
	    (cp = html_entity_char(s + 1, n - 1)) == 0)
		return 0;
	switch (cp) {
	case '&': memcpy(out, "&amp;", *out_len = 5); break;
	case '<': memcpy(out, "&lt;", *out_len = 4); break;
	case '>': memcpy(out, "&gt;", *out_len = 4); break;
	case '"': memcpy(out, "&quot;", *out_len = 6); break;
	case '\'': memcpy(out, "&#39;", *out_len = 5); break;
	default: *out_len = utf8_encode(cp, out); break;
	}
	return n + 1;
}

/*
 * Copies the fragment into in, dropping NUL bytes and the CDATA markers
 * "<![CDATA[" and "]]>": HTML has no CDATA sections, and they show up in
 * articles that a feed escaped once too often.  Their content is then
 * taken as markup, as readers do.
 *
 * Named references are decoded here: libxml2 2.9 finds each name by a
 * linear search of its 253 entities, a tenth of the time it spends on a
 * typical article.  libxml2 decodes them wherever it reads text or an
 * attribute value, so what it reports is the same, except inside <script> and
 * <style> (dropped whole) and comments (dropped), and for the HTML5 names
 * libxml2 does not know, which now mean what they mean in a browser.
 */
static int
copy_fragment(struct buf *in, const char *s, size_t len)
{
	size_t i = 0, start = 0, skip, dlen = 0;
	char decoded[6];
	int r;

	while (i < len) {
		/* Eight bytes none of which starts anything below. */
		if (len - i >= 8) {
			uint64_t w = bytescan_load((const unsigned char *)s + i);

			if (!(bytescan_below(w, 1) | bytescan_has(w, '&') |
			    bytescan_has(w, '<') | bytescan_has(w, ']'))) {
				i += 8;
				continue;
			}
		}
		skip = 0;
		dlen = 0;
		if (s[i] == '\0')
			skip = 1;
		else if (s[i] == '&')
			skip = decode_named_ref(s + i, len - i, decoded, &dlen);
		else if (s[i] == '<' && len - i >= 9 &&
		    memcmp(s + i, "<![CDATA[", 9) == 0)
			skip = 9;
		else if (s[i] == ']' && len - i >= 3 &&
		    memcmp(s + i, "]]>", 3) == 0)
			skip = 3;
		if (skip == 0) {
			i++;
			continue;
		}
		if ((r = buf_append(in, s + start, i - start)) < 0 ||
		    (r = buf_append(in, decoded, dlen)) < 0)
			return r;
		i += skip;
		start = i;
	}
	return buf_append(in, s + start, len - start);
}

/* One consumer of a parse's events, and where it stands. */
struct consumer {
	const struct html_handler *h;
	void *arg;
	size_t skip_at;		/* the depth of the element skipped, or 0 */
	int r;			/* what stopped it (negative), or 0 */
};

/*
 * A parse and its consumers (the sanitizer, the text converter, or both).
 * libxml2 builds no tree: its SAX events go straight to them, text
 * gathered between two tags, as a tree's text node holds it.
 */
struct events {
	xmlParserCtxtPtr ctxt;
	struct consumer c[2];
	size_t n;
	size_t depth;		/* elements open */
	struct buf text;	/* text since the last tag */
	int err;		/* the parse's own failure, or 0 */
};

static void
ev_stop(struct events *e, struct consumer *c, int r)
{
	size_t i;

	c->r = r;
	for (i = 0; i < e->n; i++)
		if (e->c[i].r == 0)
			return;
	xmlStopParser(e->ctxt);
}

static void
ev_flush(struct events *e)
{
	struct consumer *c;
	int r;

	if (e->text.len == 0)
		return;
	for (c = e->c; c < e->c + e->n; c++)
		if (c->r == 0 && c->skip_at == 0 &&
		    (r = c->h->text(c->arg, e->text.p, e->text.len)) < 0)
			ev_stop(e, c, r);
	buf_clear(&e->text);
}

/*
 * The name an element gets in libxml2's tree, which is the one our tables
 * know it by: the part after the first colon ("svg:script" is a script),
 * unless the colon starts or ends the name (xmlSplitQName).  The parser
 * itself goes by the whole name.
 */
static const char *
local_name(const xmlChar *name)
{
	const char *colon = strchr((const char *)name, ':');

	if (colon == NULL || colon == (const char *)name || colon[1] == '\0')
		return (const char *)name;
	return colon + 1;
}

static void
ev_start(void *ctx, const xmlChar *qname, const xmlChar **atts)
{
	struct events *e = ctx;
	const char *name = local_name(qname);
	struct consumer *c;
	bool descend;
	int r;

	ev_flush(e);
	e->depth++;
	for (c = e->c; c < e->c + e->n; c++) {
		if (c->r != 0 || c->skip_at != 0)
			continue;
		descend = true;
		r = c->h->start(c->arg, name, (const char *const *)atts,
		    e->depth, &descend);
		if (r < 0)
			ev_stop(e, c, r);
		else if (!descend)
			c->skip_at = e->depth;
	}
}

static void
ev_end(void *ctx, const xmlChar *qname)
{
	struct events *e = ctx;
	const char *name = local_name(qname);
	struct consumer *c;
	int r;

	ev_flush(e);
	for (c = e->c; c < e->c + e->n; c++) {
		if (c->r != 0)
			continue;
		if (c->skip_at != 0) {
			if (c->skip_at == e->depth)
				c->skip_at = 0;
			continue;
		}
		if ((r = c->h->end(c->arg, name, e->depth)) < 0)
			ev_stop(e, c, r);
	}
	if (e->depth > 0)
		e->depth--;
}

static void
ev_characters(void *ctx, const xmlChar *text, int len)
{
	struct events *e = ctx;
	int r;

	/* Outside every element a tree would have had nowhere to put it. */
	if (e->depth == 0 || len <= 0)
		return;
	if ((r = buf_append(&e->text, (const char *)text, (size_t)len)) < 0) {
		e->err = r;
		xmlStopParser(e->ctxt);
	}
}

/* The body of a script or style element, which no consumer goes into. */
static void
ev_cdata(void *ctx, const xmlChar *text, int len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

/*
 * Parses html[0..len) as the content of <body> and shows it to the
 * sanitizer (writing to hb, when not NULL) and the text converter
 * (writing to tb, when not NULL).  Returns 0 or a negative errno; an
 * output that reached its cap is kept, cut.
 */
static int
parse_fragment(const char *html, size_t len, const char *base,
    struct buf *hb, struct buf *tb)
{
	static const char head[] = "<html><body>";
	struct events e = { 0 };
	struct consumer *san_c = NULL, *tx_c = NULL;
	struct san *san = NULL;
	struct tx *tx = NULL;
	struct buf in;
	int r, r2;

	buf_init(&in, HTML_MAX_IN + sizeof(head));
	buf_init(&e.text, HTML_MAX_IN + sizeof(head));
	if ((r = buf_append(&in, head, sizeof(head) - 1)) < 0 ||
	    (r = copy_fragment(&in, html, len)) < 0)
		goto out;
	if (hb != NULL) {
		if ((san = san_new(base, hb)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		san_c = &e.c[e.n++];
		*san_c = (struct consumer){ .h = &san_handler, .arg = san };
	}
	if (tb != NULL) {
		if ((tx = html_text_new(tb)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		tx_c = &e.c[e.n++];
		*tx_c = (struct consumer){ .h = &html_text_handler, .arg = tx };
	}

	if ((e.ctxt = htmlNewParserCtxt()) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	/* Our handlers only: no tree, no document (see struct events). */
	memset(e.ctxt->sax, 0, sizeof(*e.ctxt->sax));
	e.ctxt->sax->initialized = 1;
	e.ctxt->sax->startElement = ev_start;
	e.ctxt->sax->endElement = ev_end;
	e.ctxt->sax->characters = ev_characters;
	e.ctxt->sax->cdataBlock = ev_cdata;
	e.ctxt->userData = &e;
	/* Nothing to return: there is no document. */
	(void)htmlCtxtReadMemory(e.ctxt, in.p, (int)in.len, NULL, "UTF-8",
	    HTML_PARSE_OPTIONS);
	if (e.ctxt->errNo == XML_ERR_NO_MEMORY && e.err == 0)
		e.err = -ENOMEM;
	ev_flush(&e);
	r = e.err;
out:
	if (san != NULL) {
		r2 = san_finish(san, san_c != NULL ? san_c->r : 0);
		if (r == 0)
			r = r2;
	}
	if (tx != NULL) {
		r2 = tx_c != NULL ? tx_c->r : 0;
		if (r == 0 && r2 != -E2BIG)
			r = r2;
		html_text_free(tx);
	}
	if (e.ctxt != NULL)
		htmlFreeParserCtxt(e.ctxt);
	buf_free(&e.text);
	buf_free(&in);
	return r;
}

/*
 * Text without "<" or "&" (most titles, many summaries) reads the same
 * with or without the parser: escape it and convert it directly.
 */
static bool
is_plain(const char *html, size_t len)
{
	return memchr(html, '<', len) == NULL &&
	    memchr(html, '&', len) == NULL &&
	    memmem(html, len, "]]>", 3) == NULL;
}

int
html_clean(const char *html, size_t len, const char *base, char **ret_html,
    char **ret_text)
{
	char *h = NULL, *t = NULL;
	struct buf hb, tb;
	int r;

	buf_init(&hb, HTML_MAX_OUT + HTML_CLOSE_RESERVE);
	buf_init(&tb, HTML_MAX_OUT);
	if (html == NULL && len > 0) {
		r = -EINVAL;
		goto out;
	}
	if (html == NULL)
		html = "";
	if (len > HTML_MAX_IN) {
		len = HTML_MAX_IN;
		while (len > 0 && is_cont((unsigned char)html[len]))
			len--;
	}
	if (!is_plain(html, len)) {
		r = parse_fragment(html, len, base, ret_html ? &hb : NULL,
		    ret_text ? &tb : NULL);
	} else {
		r = 0;
		if (ret_html != NULL)
			r = put_escaped(&hb, HTML_MAX_OUT, html, len, 0);
		if (ret_text != NULL && (r == 0 || r == -E2BIG))
			r = html_text_plain(html, len, &tb);
		if (r == -E2BIG)
			r = 0;
	}
	if (r < 0)
		goto out;
	if ((ret_html != NULL && (h = buf_steal(&hb)) == NULL) ||
	    (ret_text != NULL && (t = buf_steal(&tb)) == NULL)) {
		r = -ENOMEM;
		goto out;
	}

	if (ret_html != NULL)
		*ret_html = h;
	if (ret_text != NULL)
		*ret_text = t;
	h = t = NULL;
out:
	free(h);
	free(t);
	buf_free(&hb);
	buf_free(&tb);
	return r;
}

char *
html_escape(const char *text)
{
	struct buf b;
	size_t len;

	assert(text != NULL);
	len = strlen(text);
	if (len > SIZE_MAX / 6)
		return NULL;
	/* "&quot;" is the longest replacement: six bytes for one. */
	buf_init(&b, len * 6);
	if (put_escaped(&b, len * 6, text, len, ESC_QUOT) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}
