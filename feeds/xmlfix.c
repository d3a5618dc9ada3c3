/*
 * xmlfix.c - the repair pass described in xmlfix.h.
 *
 * One forward scan with a cursor.  A look-ahead never goes past the point
 * where the scan resumes reading (an attribute value's look stops at the
 * next tag), and every search for a terminator ("-->", "]]>", "?>", the
 * root's end tag) remembers where it failed, so that no later search
 * repeats it.  That keeps hostile input linear: each byte is looked at a
 * bounded number of times.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "bytescan.h"
#include "charset.h"
#include "entities.h"
#include "feed.h"
#include "utf8.h"
#include "xmlfix.h"

#define NOPOS SIZE_MAX		/* no such position */
#define ROOT_MAX 256		/* a longer root name is never closed */
#define ATTR_MAX 64		/* attributes checked for repeats, per tag */
#define OPEN_MAX 512		/* open elements whose names we track */
#define MEND_MAX 4		/* inner elements an end tag may close */

/* Character classes, for the runs copied without a look. */
#define C_ILL 0x01		/* a C0 control, or the start of U+FFFx */
#define C_AMP 0x02
#define C_LT 0x04
#define C_GT 0x08
#define C_QUOT 0x10		/* '"' and '\'' */
#define C_DASH 0x20

static const unsigned char cls[256] = {
	[0x00] = C_ILL, [0x01] = C_ILL, [0x02] = C_ILL, [0x03] = C_ILL,
	[0x04] = C_ILL, [0x05] = C_ILL, [0x06] = C_ILL, [0x07] = C_ILL,
	[0x08] = C_ILL, [0x0b] = C_ILL, [0x0c] = C_ILL, [0x0e] = C_ILL,
	[0x0f] = C_ILL, [0x10] = C_ILL, [0x11] = C_ILL, [0x12] = C_ILL,
	[0x13] = C_ILL, [0x14] = C_ILL, [0x15] = C_ILL, [0x16] = C_ILL,
	[0x17] = C_ILL, [0x18] = C_ILL, [0x19] = C_ILL, [0x1a] = C_ILL,
	[0x1b] = C_ILL, [0x1c] = C_ILL, [0x1d] = C_ILL, [0x1e] = C_ILL,
	[0x1f] = C_ILL, [0xef] = C_ILL,
	['&'] = C_AMP, ['<'] = C_LT, ['>'] = C_GT,
	['"'] = C_QUOT, ['\''] = C_QUOT, ['-'] = C_DASH,
};

/* How fix_chars() treats a range. */
#define FX_REFS 0x01		/* '&': references fixed, bare '&' escaped */
#define FX_LT 0x02		/* '<' escaped */
#define FX_QUOTES 0x04		/* '>', '"', '\'' escaped */
#define FX_DASH 0x08		/* a comment: no "--", no final '-' */
#define FX_NODTD 0x10		/* no DTD entity substitution */
#define FX_CDATA 0x20		/* CDATA content: no "]]>" */
#define FX_PI 0x40		/* PI content: no "?>" */


enum where {
	PROLOG,			/* before the root element */
	CONTENT,		/* inside it */
	EPILOG,			/* after its end tag */
};

enum markup {
	MK_TEXT,		/* a '<' that starts nothing */
	MK_START,
	MK_END,
	MK_COMMENT,
	MK_CDATA,
	MK_PI,
	MK_DOCTYPE,
};

enum ent_kind {
	ENT_INTERNAL,		/* value in fix.pool */
	ENT_EXTERNAL,		/* never resolved */
	ENT_TOOBIG,		/* its value did not fit in fix.pool */
};

/* A general entity from the internal DTD subset. */
struct ent {
	char name[XMLFIX_NAME_MAX + 1];
	size_t off;		/* escaped replacement text: pool[off..+len) */
	size_t len;
	size_t order;		/* the first declaration binds (XML 4.2) */
	enum ent_kind kind;
};

/* The state of one xmlfix_repair() call; it owns out, pool and ents. */
struct fix {
	const char *in;
	size_t len;
	size_t i;		/* the cursor */
	struct buf out;
	struct xmlfix_stats st;
	enum where where;

	/* With a sink, out is handed over a piece at a time. */
	int (*sink)(void *arg, const char *p, size_t n, size_t done);
	void *sink_arg;
	size_t piece;		/* hand over once this much waits */
	size_t flushed;		/* bytes handed over */

	char root_end[ROOT_MAX + 2]; /* "</" and the root's name */
	size_t root_end_len;	/* 0: unknown, the root never closes */
	size_t root_end_none;	/* no "</root" in in[root_end_none..) */
	long depth;		/* start tags minus end tags, root included */

	/*
	 * The names of the open elements (offsets into in), to mend bad
	 * nesting: libxml2's recover mode closes the innermost element at
	 * any end tag, whatever its name, so "<b><i></b></i>" inside a
	 * description would close the item early and lose the next one.
	 * Deeper than OPEN_MAX, end tags are taken as they come.
	 */
	size_t open_off[OPEN_MAX];
	size_t open_len[OPEN_MAX];
	size_t nopen;
	size_t untracked;	/* open elements past OPEN_MAX */

	/* No terminator of that kind in in[x..len). */
	size_t no_comment_end;
	size_t no_cdata_end;
	size_t no_pi_end;

	bool doctype_seen;
	bool doctype_broken;	/* one ran to EOF: read them up to '>' */

	struct ent *ents;	/* sorted by name once the DTD is read */
	size_t nents;
	size_t ents_cap;
	struct buf pool;	/* replacement texts, XMLFIX_SUBST_MAX at most */
	size_t subst_budget;	/* growth allowed from substitutions */
	size_t subst_used;
};

/* Has anything been written yet, handed over or not? */
static bool
written(const struct fix *f)
{
	return f->flushed + f->out.len > 0;
}

static int
emit(struct buf *dst, const char *s, size_t n)
{
	return buf_append(dst, s, n);
}

static int
emits(struct buf *dst, const char *s)
{
	return buf_append(dst, s, strlen(s));
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
skip_ws(const struct fix *f, size_t i)
{
	while (i < f->len && is_ws(f->in[i]))
		i++;
	return i;
}

static bool
has(const struct fix *f, size_t i, const char *s)
{
	size_t n = strlen(s);

	return i <= f->len && f->len - i >= n && memcmp(f->in + i, s, n) == 0;
}

static bool
is_xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

/* XML 1.0 fifth edition, 2.3: what libxml2 2.9 checks by default. */
static bool
is_name_start(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '_' || c == ':' || (c >= 0xc0 && c <= 0xd6) ||
	    (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
	    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) ||
	    (c >= 0x200c && c <= 0x200d) || (c >= 0x2070 && c <= 0x218f) ||
	    (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
	    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0xeffff);
}

static bool
is_name_char(uint32_t c)
{
	return is_name_start(c) || c == '-' || c == '.' ||
	    (c >= '0' && c <= '9') || c == 0xb7 ||
	    (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040);
}

/* The length of the XML Name at in[i..f->len), 0 when none starts there. */
static size_t
name_len(const struct fix *f, size_t i)
{
	size_t j = i, n;
	uint32_t c;

	while (j < f->len) {
		c = (unsigned char)f->in[j];
		if (c < 0x80)
			n = 1;	/* the common case, without a decode */
		else if ((n = utf8_decode((const unsigned char *)f->in + j,
		    f->len - j, &c)) == 0)
			break;
		if (!(j == i ? is_name_start(c) : is_name_char(c)))
			break;
		j += n;
	}
	return j - i;
}

/* Does an XML Name start at in[i]? */
static bool
starts_name(const struct fix *f, size_t i)
{
	uint32_t c;

	return i < f->len && utf8_decode((const unsigned char *)f->in + i,
	    f->len - i, &c) > 0 && is_name_start(c);
}

/*
 * The length of the ASCII name at in[i..end), stopping one past
 * XMLFIX_NAME_MAX: entity names are looked up in ASCII tables only.
 */
static size_t
ascii_name_len(const char *in, size_t i, size_t end)
{
	size_t j;
	char c;

	for (j = i; j < end && j - i <= XMLFIX_NAME_MAX; j++) {
		c = in[j];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == ':')
			continue;
		if (j > i && ((c >= '0' && c <= '9') || c == '-' || c == '.'))
			continue;
		break;
	}
	return j - i;
}

/*
 * The length of a character XML forbids at in[i..end): a C0 control
 * other than tab, newline, carriage return, or U+FFFE, U+FFFF.  0 if the
 * character is allowed.
 */
static size_t
illegal_len(const char *in, size_t i, size_t end)
{
	const unsigned char *s = (const unsigned char *)in + i;

	if (s[0] < 0x20)
		return s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? 0 : 1;
	if (s[0] == 0xef && end - i >= 3 && s[1] == 0xbf &&
	    (s[2] == 0xbe || s[2] == 0xbf))
		return 3;
	return 0;
}

/* Appends the character cp, as a predefined entity if it is markup. */
static int
emit_cp(struct buf *dst, uint32_t cp)
{
	char u[4];
	size_t n;

	switch (cp) {
	case '&': return emits(dst, "&amp;");
	case '<': return emits(dst, "&lt;");
	case '>': return emits(dst, "&gt;");
	case '"': return emits(dst, "&quot;");
	case '\'': return emits(dst, "&apos;");
	}
	n = utf8_encode(cp, u);
	return emit(dst, u, n);
}

static int
cmp_ent_key(const void *key, const void *elem)
{
	const struct ent *e = elem;

	return strcmp(key, e->name);
}

/* The first declaration of name (NUL-terminated), or NULL. */
static const struct ent *
ent_find(const struct fix *f, const char *name)
{
	if (f->nents == 0)
		return NULL;
	return bsearch(name, f->ents, f->nents, sizeof(f->ents[0]),
	    cmp_ent_key);
}

/*
 * The numeric reference at in[*pos..end), known to start with "&#".
 * Writes the fixed reference, or "&amp;" for a malformed one, to dst and
 * moves *pos past what it consumed.
 */
static int
do_charref(struct fix *f, struct buf *dst, size_t *pos, size_t end)
{
	const char *in = f->in;
	size_t i = *pos, j = i + 2, start;
	bool hex = false, upper = false;
	uint32_t cp = 0, d;
	int r;

	if (j < end && (in[j] == 'x' || in[j] == 'X')) {
		hex = true;
		upper = in[j] == 'X';
		j++;
	}
	for (start = j; j < end; j++) {
		if (in[j] >= '0' && in[j] <= '9')
			d = (uint32_t)(in[j] - '0');
		else if (hex && in[j] >= 'a' && in[j] <= 'f')
			d = (uint32_t)(in[j] - 'a' + 10);
		else if (hex && in[j] >= 'A' && in[j] <= 'F')
			d = (uint32_t)(in[j] - 'A' + 10);
		else
			break;
		/* Saturate: anything past U+10FFFF is as bad as the next. */
		if (cp <= 0x10ffff)
			cp = cp * (hex ? 16 : 10) + d;
	}
	if (j == start || j >= end || in[j] != ';') {
		f->st.ampersands++;
		*pos = i + 1;
		return emits(dst, "&amp;");
	}
	*pos = j + 1;
	if (charset_cp1252_c1(cp) != 0) {
		f->st.charrefs++;
		return emit_cp(dst, charset_cp1252_c1(cp));
	}
	if (!is_xml_char(cp)) {
		f->st.charrefs++;
		return emit_cp(dst, 0xfffd);
	}
	if (upper) {
		/* "&#X" is HTML; XML wants "&#x". */
		f->st.charrefs++;
		r = emit(dst, in + i, 2);
		if (r == 0)
			r = emit(dst, "x", 1);
		if (r == 0)
			r = emit(dst, in + i + 3, j + 1 - (i + 3));
		return r;
	}
	return emit(dst, in + i, j + 1 - i);
}

/*
 * The '&' at in[*pos], in a range ending at end.  Writes to dst what it
 * becomes (see xmlfix.h) and moves *pos past what it consumed: the whole
 * reference, or only the '&' when that was escaped.
 */
static int
do_ref(struct fix *f, struct buf *dst, size_t *pos, size_t end, int flags)
{
	const char *in = f->in;
	size_t i = *pos, n, grow;
	char name[XMLFIX_NAME_MAX + 1];
	const struct ent *e;
	uint32_t cp;

	if (i + 1 < end && in[i + 1] == '#')
		return do_charref(f, dst, pos, end);
	n = ascii_name_len(in, i + 1, end);
	if (n == 0 || n > XMLFIX_NAME_MAX || i + 1 + n >= end ||
	    in[i + 1 + n] != ';')
		goto bare;
	memcpy(name, in + i + 1, n);
	name[n] = '\0';

	if (strcmp(name, "amp") == 0 || strcmp(name, "lt") == 0 ||
	    strcmp(name, "gt") == 0 || strcmp(name, "quot") == 0 ||
	    strcmp(name, "apos") == 0) {
		*pos = i + n + 2;
		return emit(dst, in + i, n + 2);
	}

	e = (flags & FX_NODTD) ? NULL : ent_find(f, name);
	if (e != NULL && e->kind == ENT_INTERNAL) {
		/*
		 * Only growth is charged: a reference replaced by no more
		 * than its own length blows nothing up (<!ENTITY nbsp
		 * "&#160;"> used a million times is fine).
		 */
		grow = e->len > n + 2 ? e->len - (n + 2) : 0;
		if (grow <= f->subst_budget - f->subst_used) {
			f->subst_used += grow;
			f->st.doctype_entities++;
			*pos = i + n + 2;
			if (e->len == 0)
				return 0;
			return emit(dst, f->pool.p + e->off, e->len);
		}
	}

	/* An HTML name still means its character, declared or not. */
	cp = html_entity_char(name, n);
	if (cp != 0) {
		f->st.entities++;
		*pos = i + n + 2;
		return emit_cp(dst, cp);
	}
	if (e != NULL && e->kind != ENT_EXTERNAL) {
		f->st.capped_entities++;
		*pos = i + 1;
		return emits(dst, "&amp;");
	}
bare:
	f->st.ampersands++;
	*pos = i + 1;
	return emits(dst, "&amp;");
}

/*
 * Would dropping a character, with in[i..end) left to copy, close the
 * section the content is in?  "]\x01]>" in CDATA must not become "]]>",
 * nor "?\x01>" in a PI "?>".  written is how much content dst holds.
 */
static bool
joins_end(const struct buf *dst, size_t written, const char *in, size_t i,
    size_t end, int flags)
{
	const char *p;

	if (i >= end || written == 0)
		return false;
	p = dst->p + dst->len;
	if (flags & FX_CDATA)
		return (in[i] == '>' && written >= 2 && p[-1] == ']' &&
		    p[-2] == ']') || (in[i] == ']' && end - i >= 2 &&
		    in[i + 1] == '>' && written >= 1 && p[-1] == ']');
	if (flags & FX_PI)
		return in[i] == '>' && written >= 1 && p[-1] == '?';
	return false;
}

/*
 * True when none of the eight bytes at p is in a class of mask (cls[]),
 * tested a word at a time: most of a feed is text that needs nothing.
 * Tab, LF and CR are below 0x20 too, so a word holding one goes the slow
 * way, which lets them through.
 */
static inline bool
plain8(const unsigned char *p, unsigned char mask)
{
	uint64_t w = bytescan_load(p), hit;

	hit = bytescan_below(w, 0x20) | bytescan_has(w, 0xef);
	if (mask & C_AMP)
		hit |= bytescan_has(w, '&');
	if (mask & C_LT)
		hit |= bytescan_has(w, '<');
	if (mask & C_GT)
		hit |= bytescan_has(w, '>');
	if (mask & C_QUOT)
		hit |= bytescan_has(w, '"') | bytescan_has(w, '\'');
	if (mask & C_DASH)
		hit |= bytescan_has(w, '-');
	return hit == 0;
}

/*
 * Copies in[start..end) to dst, fixing what flags ask for (FX_*) and
 * always dropping forbidden characters.
 */
static int
fix_chars(struct fix *f, struct buf *dst, size_t start, size_t end,
    int flags)
{
	const char *in = f->in;
	size_t i = start, run, n, dst_start = dst->len;
	unsigned char mask = C_ILL;
	bool dash = false;
	int r = 0;

	if (flags & FX_REFS)
		mask |= C_AMP;
	if (flags & FX_LT)
		mask |= C_LT;
	if (flags & FX_QUOTES)
		mask |= C_GT | C_QUOT;
	if (flags & FX_DASH)
		mask |= C_DASH;

	while (i < end) {
		run = i;
		while (end - i >= 8 && plain8((const unsigned char *)in + i,
		    mask))
			i += 8;
		for (; i < end && !(cls[(unsigned char)in[i]] & mask); i++)
			;
		if (i > run) {
			dash = false;
			if ((r = emit(dst, in + run, i - run)) < 0)
				return r;
			if (i == end)
				break;
		}
		switch (in[i]) {
		case '&':
			r = do_ref(f, dst, &i, end, flags);
			break;
		case '<':
			f->st.lts++;
			r = emits(dst, "&lt;");
			i++;
			break;
		case '>':
		case '"':
		case '\'':
			r = emit_cp(dst, (unsigned char)in[i]);
			i++;
			break;
		case '-':
			/* XML 2.5: "--" must not occur within comments. */
			if (dash) {
				f->st.comments++;
				r = emit(dst, " ", 1);
			}
			if (r == 0)
				r = emit(dst, "-", 1);
			dash = true;
			i++;
			break;
		default:
			n = illegal_len(in, i, end);
			if (n > 0) {
				f->st.controls++;
				i += n;
				/* Then U+FFFD stands in for it. */
				if (joins_end(dst, dst->len - dst_start, in, i,
				    end, flags))
					r = emit_cp(dst, 0xfffd);
			} else {
				dash = false;
				r = emit(dst, in + i++, 1);
			}
			break;
		}
		if (r < 0)
			return r;
	}
	/* Nor may a comment end in "--->". */
	if ((flags & FX_DASH) && dash) {
		f->st.comments++;
		r = emit(dst, " ", 1);
	}
	return r;
}

/*
 * Finds term in in[from..len), or returns NOPOS.  A miss is remembered in
 * *nomore, so that no later call for the same term searches again.
 */
static size_t
find_end(const struct fix *f, size_t from, const char *term, size_t *nomore)
{
	const char *p = f->in + from, *end = f->in + f->len;
	size_t n = strlen(term);

	if (from >= *nomore || from >= f->len)
		return NOPOS;
	/* memchr runs faster than memmem, and the first byte is rare. */
	while ((p = memchr(p, term[0], (size_t)(end - p))) != NULL &&
	    ((size_t)(end - p) < n || memcmp(p, term, n) != 0))
		p++;
	if (p == NULL) {
		*nomore = from;
		return NOPOS;
	}
	return (size_t)(p - f->in);
}

/* What the '<' at in[i] starts, from its first few bytes and a name. */
static enum markup
classify(const struct fix *f, size_t i)
{
	if (i + 1 >= f->len)
		return MK_TEXT;
	switch (f->in[i + 1]) {
	case '!':
		if (has(f, i, "<!--"))
			return MK_COMMENT;
		if (has(f, i, "<![CDATA["))
			return MK_CDATA;
		if (f->len - i >= 9 &&
		    strncasecmp(f->in + i, "<!DOCTYPE", 9) == 0)
			return MK_DOCTYPE;
		return MK_TEXT;
	case '?':
		return starts_name(f, i + 2) ? MK_PI : MK_TEXT;
	case '/':
		return starts_name(f, i + 2) ? MK_END : MK_TEXT;
	default:
		return starts_name(f, i + 1) ? MK_START : MK_TEXT;
	}
}

/*
 * Is there an end tag of the root in in[from..)?  The root closes at an
 * end tag of its name that balances the tags before it, or failing that
 * at the last one: a stray "</b>" in a description, or "</rss>" written
 * in one, must not end the document early and drop the items after it,
 * and an unclosed "<br>" must not keep it open.
 */
static bool
root_ends_later(struct fix *f, size_t from)
{
	const char *p;
	size_t at, after;

	while (from < f->root_end_none) {
		p = memmem(f->in + from, f->len - from, f->root_end,
		    f->root_end_len);
		if (p == NULL)
			break;
		at = (size_t)(p - f->in);
		after = at + f->root_end_len;
		if (after < f->len && (f->in[after] == '>' ||
		    is_ws(f->in[after])))
			return true;
		from = at + 1;
	}
	if (from < f->root_end_none)
		f->root_end_none = from;
	return false;
}

/*
 * The quoted attribute value starting at the quote in[f->i].  Looks ahead
 * for the closing quote, but not past anything that looks like a tag: a
 * value without its closing quote would otherwise swallow the items that
 * follow.  Such a value is closed at its first '>' (or where the look
 * stopped).
 */
static int
do_attr_quoted(struct fix *f)
{
	const char *in = f->in;
	char q = in[f->i];
	size_t k, gt = NOPOS, vend;
	int r;

	for (k = f->i + 1; k < f->len; k++) {
		if (in[k] == q)
			break;
		if (in[k] == '>' && gt == NOPOS)
			gt = k;
		if (in[k] == '<' && classify(f, k) != MK_TEXT)
			break;
	}
	if (k < f->len && in[k] == q)
		vend = k;
	else {
		f->st.tags++;
		vend = gt != NOPOS ? gt : k;
	}
	if ((r = emit(&f->out, &q, 1)) < 0 ||
	    (r = fix_chars(f, &f->out, f->i + 1, vend, FX_REFS | FX_LT)) < 0 ||
	    (r = emit(&f->out, &q, 1)) < 0)
		return r;
	f->i = vend < f->len && in[vend] == q ? vend + 1 : vend;
	return 0;
}

/*
 * The value after "name=" at in[f->i]: quoted, unquoted (HTML) or
 * missing.
 */
static int
do_attr_value(struct fix *f)
{
	const char *in = f->in;
	size_t k;
	int r;

	if (f->i < f->len && (in[f->i] == '"' || in[f->i] == '\''))
		return do_attr_quoted(f);

	/* HTML 13.2.5.38: an unquoted value ends at space or '>'. */
	for (k = f->i; k < f->len && !is_ws(in[k]) && in[k] != '>' &&
	    in[k] != '<' && in[k] != '"' && in[k] != '\''; k++)
		;
	f->st.tags++;
	if ((r = emit(&f->out, "\"", 1)) < 0 ||
	    (r = fix_chars(f, &f->out, f->i, k, FX_REFS)) < 0 ||
	    (r = emit(&f->out, "\"", 1)) < 0)
		return r;
	f->i = k;
	return 0;
}

/* Whether the end tag name in[i..i+n) is the root's. */
static bool
is_root_name(const struct fix *f, size_t i, size_t n)
{
	return f->root_end_len > 0 && n == f->root_end_len - 2 &&
	    memcmp(f->in + i, f->root_end + 2, n) == 0;
}

/* The attribute names written so far in one start tag. */
struct attr_seen {
	size_t off[ATTR_MAX];	/* in f->out */
	size_t len[ATTR_MAX];
	size_t n;
};

/*
 * The attribute whose name starts at in[f->i]; sep tells whether white
 * space came before it, written from f->out.len == mark on.  XML 3.1
 * allows a name once per tag, and HTML keeps the first: a repeated
 * attribute is written, then taken back with the space before it.  Only
 * the first ATTR_MAX names are remembered, which real tags never reach.
 */
static int
do_attribute(struct fix *f, struct attr_seen *seen, bool sep, size_t mark)
{
	const char *in = f->in;
	size_t an, j, k;
	bool dup = false;
	int r;

	if (!sep) {
		f->st.tags++;
		mark = f->out.len;
		if ((r = emit(&f->out, " ", 1)) < 0)
			return r;
	}
	an = name_len(f, f->i);
	for (k = 0; k < seen->n && !dup; k++)
		dup = seen->len[k] == an &&
		    memcmp(f->out.p + seen->off[k], in + f->i, an) == 0;
	if (!dup && seen->n < ATTR_MAX) {
		seen->off[seen->n] = f->out.len;
		seen->len[seen->n++] = an;
	}
	if ((r = emit(&f->out, in + f->i, an)) < 0)
		return r;
	f->i += an;

	j = skip_ws(f, f->i);
	if (j < f->len && in[j] == '=') {
		if ((r = emit(&f->out, in + f->i, j + 1 - f->i)) < 0)
			return r;
		f->i = j + 1;
		j = skip_ws(f, f->i);
		if ((r = emit(&f->out, in + f->i, j - f->i)) < 0)
			return r;
		f->i = j;
		if ((r = do_attr_value(f)) < 0)
			return r;
	} else {
		/* <input disabled>: an empty value. */
		f->st.tags++;
		if ((r = emit(&f->out, "=\"\"", 3)) < 0)
			return r;
	}

	if (dup) {
		/* A missing space counted above is no repair of its own. */
		if (sep)
			f->st.tags++;
		f->out.len = mark;
		f->out.p[mark] = '\0';
	}
	return 0;
}

/*
 * The start tag at in[f->i] (classify() said MK_START).  The first one
 * is the root's.
 */
static int
do_start_tag(struct fix *f)
{
	const char *in = f->in;
	struct attr_seen seen;
	size_t n, j, ws_mark = 0, name_off, name_n;
	uint32_t cp;
	bool sep = false, empty = false;
	int r;

	seen.n = 0;
	n = name_len(f, f->i + 1);
	name_off = f->i + 1;
	name_n = n;
	if ((r = emit(&f->out, in + f->i, n + 1)) < 0)
		return r;
	if (f->where == PROLOG && n <= ROOT_MAX) {
		memcpy(f->root_end, "</", 2);
		memcpy(f->root_end + 2, in + f->i + 1, n);
		f->root_end_len = n + 2;
	}
	f->i += n + 1;

	for (;;) {
		if (f->i >= f->len) {
			f->st.tags++;
			r = emit(&f->out, ">", 1);
			break;
		}
		if (is_ws(in[f->i])) {
			j = skip_ws(f, f->i);
			ws_mark = f->out.len;
			r = emit(&f->out, in + f->i, j - f->i);
			f->i = j;
			sep = true;
		} else if (in[f->i] == '>') {
			r = emit(&f->out, ">", 1);
			f->i++;
			break;
		} else if (has(f, f->i, "/>")) {
			r = emit(&f->out, "/>", 2);
			f->i += 2;
			empty = true;
			break;
		} else if (in[f->i] == '<' && classify(f, f->i) != MK_TEXT) {
			/* "<a href='x'<b>": close the tag, read the next. */
			f->st.tags++;
			r = emit(&f->out, ">", 1);
			break;
		} else if (name_len(f, f->i) > 0) {
			r = do_attribute(f, &seen, sep, ws_mark);
			sep = false;
		} else {
			/* Nothing else belongs in a tag: drop a character. */
			f->st.tags++;
			n = utf8_decode((const unsigned char *)in + f->i,
			    f->len - f->i, &cp);
			f->i += n > 0 ? n : 1;
		}
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;

	if (f->where == PROLOG)
		f->where = empty ? EPILOG : CONTENT;
	if (!empty) {
		f->depth++;
		if (f->untracked == 0 && f->nopen < OPEN_MAX) {
			f->open_off[f->nopen] = name_off;
			f->open_len[f->nopen++] = name_n;
		} else
			f->untracked++;
	}
	return 0;
}

/*
 * Which open element an end tag in[i..i+n) closes: the innermost of that
 * name, else of that name in another case (HTML written as XML), as an
 * index into open_off[]; -1 when none is open.
 */
static long
open_match(const struct fix *f, size_t i, size_t n)
{
	size_t k;

	for (k = f->nopen; k-- > 0;)
		if (f->open_len[k] == n &&
		    memcmp(f->in + f->open_off[k], f->in + i, n) == 0)
			return (long)k;
	for (k = f->nopen; k-- > 0;)
		if (f->open_len[k] == n &&
		    strncasecmp(f->in + f->open_off[k], f->in + i, n) == 0)
			return (long)k;
	return -1;
}

/* Skips an end tag's rest, up to and with its '>'. */
static void
skip_end_tag(struct fix *f, size_t j)
{
	size_t k;

	for (k = j; k < f->len && f->in[k] != '>'; k++)
		if (f->in[k] == '<' && classify(f, k) != MK_TEXT)
			break;
	f->i = k < f->len && f->in[k] == '>' ? k + 1 : k;
}

/*
 * Mends nesting before an end tag: the elements opened inside the one
 * it closes are closed first ("<b><i></b>" gets "</i>"), and an end tag
 * that closes nothing open is dropped.  Returns 1 when the tag is
 * dropped (f->i past it), 0 to go on, or a negative errno.
 */
static int
mend_nesting(struct fix *f, size_t n)
{
	long m;
	int r;

	if (f->untracked > 0) {
		f->untracked--;
		return 0;
	}
	if (f->nopen == 0)
		return 0;
	m = open_match(f, f->i + 2, n);
	if (m == 0 && f->nopen > 1 && root_ends_later(f, f->i + 2 + n)) {
		/* "use </rss> to close" in a description: text, not markup. */
		f->st.lts++;
		if ((r = emit(&f->out, "&lt;", 4)) < 0)
			return r;
		f->i++;
		return 1;
	}
	if (m < 0 || f->nopen - (size_t)m - 1 > MEND_MAX) {
		/* Closes nothing open, or what it would close is too far
		 * out to be a slip: drop it. */
		f->st.tags++;
		skip_end_tag(f, f->i + 2 + n);
		return 1;
	}
	while (f->nopen > (size_t)m + 1) {
		f->nopen--;
		f->st.tags++;
		if ((r = emit(&f->out, "</", 2)) < 0 ||
		    (r = emit(&f->out, f->in + f->open_off[f->nopen],
		    f->open_len[f->nopen])) < 0 ||
		    (r = emit(&f->out, ">", 1)) < 0)
			return r;
		f->depth--;
	}
	f->nopen--;
	return 0;
}

/* The end tag at in[f->i] (classify() said MK_END). */
static int
do_end_tag(struct fix *f)
{
	const char *in = f->in;
	size_t n, j, k;
	bool root;
	int r;

	n = name_len(f, f->i + 2);
	if ((r = mend_nesting(f, n)) != 0)
		return r < 0 ? r : 0;
	root = is_root_name(f, f->i + 2, n);
	if (f->nopen < OPEN_MAX && f->untracked == 0 &&
	    f->open_len[f->nopen] == n &&
	    memcmp(in + f->open_off[f->nopen], in + f->i + 2, n) != 0) {
		/* Matched in another case: write the name as opened. */
		f->st.tags++;
		if ((r = emit(&f->out, "</", 2)) < 0 ||
		    (r = emit(&f->out, in + f->open_off[f->nopen], n)) < 0)
			return r;
	} else if ((r = emit(&f->out, in + f->i, n + 2)) < 0)
		return r;
	f->i += n + 2;
	j = skip_ws(f, f->i);
	if (j < f->len && in[j] == '>') {
		if ((r = emit(&f->out, in + f->i, j + 1 - f->i)) < 0)
			return r;
		f->i = j + 1;
	} else {
		/* "</a href=x>": drop up to '>', or close before a tag. */
		for (k = j; k < f->len && in[k] != '>'; k++)
			if (in[k] == '<' && classify(f, k) != MK_TEXT)
				break;
		f->st.tags++;
		if ((r = emit(&f->out, ">", 1)) < 0)
			return r;
		f->i = k < f->len && in[k] == '>' ? k + 1 : k;
	}
	f->depth--;
	if (root && f->where == CONTENT &&
	    (f->depth == 0 || !root_ends_later(f, f->i)))
		f->where = EPILOG;
	return 0;
}

/*
 * The comment at in[f->i].  Returns 1, consuming nothing, when it never
 * ends.
 */
static int
do_comment(struct fix *f)
{
	const char *text = f->in + f->i + 4;
	size_t e;
	bool space;
	int r;

	e = find_end(f, f->i + 4, "-->", &f->no_comment_end);
	if (e == NOPOS)
		return 1;
	/*
	 * libxml2 2.9.14's push parser looks for a comment's end from its
	 * "<!--" on, so it takes the "-->" in "<!-->" or "<!--->" for one:
	 * when the real end comes in a later chunk, it calls the comment
	 * unterminated, and the document reads otherwise by how it arrives.
	 * A space at the start of the text is the same comment to XML.
	 */
	space = (e > f->i + 4 && text[0] == '>') ||
	    (e > f->i + 5 && text[0] == '-' && text[1] == '>');
	if ((r = emit(&f->out, space ? "<!-- " : "<!--", space ? 5 : 4)) < 0 ||
	    (r = fix_chars(f, &f->out, f->i + 4, e, FX_DASH)) < 0 ||
	    (r = emit(&f->out, "-->", 3)) < 0)
		return r;
	f->i = e + 3;
	return 0;
}

/* The CDATA section at in[f->i]; 1 when it never ends. */
static int
do_cdata(struct fix *f)
{
	size_t e;
	int r;

	e = find_end(f, f->i + 9, "]]>", &f->no_cdata_end);
	if (e == NOPOS)
		return 1;
	if ((r = emit(&f->out, "<![CDATA[", 9)) < 0 ||
	    (r = fix_chars(f, &f->out, f->i + 9, e, FX_CDATA)) < 0 ||
	    (r = emit(&f->out, "]]>", 3)) < 0)
		return r;
	f->i = e + 3;
	return 0;
}

/*
 * The processing instruction at in[f->i]; 1 when it never ends.  An XML
 * declaration is kept only at the very start of the output: anywhere
 * else it is a fatal error for libxml2.
 */
static int
do_pi(struct fix *f)
{
	size_t n, t, e;
	int r;

	n = name_len(f, f->i + 2);
	t = f->i + 2 + n;
	e = find_end(f, t, "?>", &f->no_pi_end);
	if (e == NOPOS)
		return 1;
	if (n == 3 && strncasecmp(f->in + f->i + 2, "xml", 3) == 0 &&
	    (written(f) || memcmp(f->in + f->i + 2, "xml", 3) != 0)) {
		f->st.xmldecl_removed = true;
		f->i = e + 2;
		return 0;
	}
	if ((r = emit(&f->out, f->in + f->i, n + 2)) < 0)
		return r;
	/* "<?php!?>": the target needs white space after it. */
	if (t < e && !is_ws(f->in[t])) {
		f->st.tags++;
		if ((r = emit(&f->out, " ", 1)) < 0)
			return r;
	}
	if ((r = fix_chars(f, &f->out, t, e, FX_PI)) < 0 ||
	    (r = emit(&f->out, "?>", 2)) < 0)
		return r;
	f->i = e + 2;
	return 0;
}

/* From in[k], the end of a markup declaration: past its '>', or NOPOS. */
static size_t
skip_decl(const struct fix *f, size_t k)
{
	const char *q;

	while (k < f->len) {
		if (f->in[k] == '"' || f->in[k] == '\'') {
			q = memchr(f->in + k + 1, f->in[k], f->len - k - 1);
			if (q == NULL)
				return NOPOS;
			k = (size_t)(q - f->in) + 1;
		} else if (f->in[k++] == '>')
			return k;
	}
	return NOPOS;
}

/*
 * Records an entity declaration.  For an internal one the value
 * in[vstart..vend) is escaped into the pool once, here, so that each
 * reference is one copy.
 */
static int
ent_add(struct fix *f, const char *name, size_t n, enum ent_kind kind,
    size_t vstart, size_t vend)
{
	struct xmlfix_stats saved;
	struct ent *e, *ents;
	size_t cap, before;
	int r;

	if (f->nents >= XMLFIX_MAX_ENTITIES) {
		f->st.ignored_entities++;
		return 0;
	}
	if (f->nents == f->ents_cap) {
		cap = f->ents_cap ? 2 * f->ents_cap : 16;
		ents = reallocarray(f->ents, cap, sizeof(*ents));
		if (ents == NULL)
			return -ENOMEM;
		f->ents = ents;
		f->ents_cap = cap;
	}
	e = &f->ents[f->nents];
	memcpy(e->name, name, n);
	e->name[n] = '\0';
	e->order = f->nents;
	e->kind = kind;
	e->off = e->len = 0;
	f->nents++;
	if (kind == ENT_EXTERNAL) {
		f->st.ignored_entities++;
		return 0;
	}

	/*
	 * The value is text: markup is escaped, and the references in it are
	 * decoded but never to another DTD entity (FX_NODTD), so nothing
	 * nests.  What is repaired here is not what the document shows, so
	 * it is not counted.
	 */
	saved = f->st;
	before = f->pool.len;
	r = fix_chars(f, &f->pool, vstart, vend,
	    FX_REFS | FX_LT | FX_QUOTES | FX_NODTD);
	f->st = saved;
	if (r == -E2BIG) {
		f->pool.len = before;
		if (f->pool.p != NULL)
			f->pool.p[before] = '\0';
		f->pool.overflow = false;
		e->kind = ENT_TOOBIG;
		return 0;
	}
	if (r < 0)
		return r;
	e->off = before;
	e->len = f->pool.len - before;
	return 0;
}

/*
 * The declaration after "<!ENTITY" at in[k]: collects a general entity
 * when collect is set.  Stores in *ret_k where the declaration ends, or
 * NOPOS when it does not.
 */
static int
entity_decl(struct fix *f, size_t k, bool collect, size_t *ret_k)
{
	const char *in = f->in, *q;
	size_t n, name, vstart = 0, vend = 0;
	enum ent_kind kind;
	int r;

	if (k >= f->len || !is_ws(in[k]))
		goto skip;
	k = skip_ws(f, k);
	if (k < f->len && in[k] == '%') {
		/* Parameter entities only matter inside the DTD we drop. */
		if (collect)
			f->st.ignored_entities++;
		goto skip;
	}
	name = k;
	n = ascii_name_len(in, k, f->len);
	k += n;
	if (n == 0 || n > XMLFIX_NAME_MAX || k >= f->len || !is_ws(in[k]))
		goto skip;
	k = skip_ws(f, k);
	if (k < f->len && (in[k] == '"' || in[k] == '\'')) {
		q = memchr(in + k + 1, in[k], f->len - k - 1);
		if (q == NULL) {
			*ret_k = NOPOS;
			return 0;
		}
		kind = ENT_INTERNAL;
		vstart = k + 1;
		vend = (size_t)(q - in);
		k = vend + 1;
	} else if (has(f, k, "SYSTEM") || has(f, k, "PUBLIC"))
		kind = ENT_EXTERNAL;
	else
		goto skip;
	if (collect) {
		r = ent_add(f, in + name, n, kind, vstart, vend);
		if (r < 0)
			return r;
	}
skip:
	*ret_k = skip_decl(f, k);
	return 0;
}

/*
 * From in[j], just after "<!DOCTYPE", finds the end of the declaration,
 * internal subset and all, and collects its entities when collect is
 * set.  Stores the end in *ret_end, or NOPOS when there is none.
 */
static int
doctype_scan(struct fix *f, size_t j, bool collect, size_t *ret_end)
{
	const char *in = f->in, *q;
	bool subset = false;
	size_t e;
	int r;

	while (j < f->len) {
		if (in[j] == '"' || in[j] == '\'') {
			q = memchr(in + j + 1, in[j], f->len - j - 1);
			if (q == NULL)
				break;
			j = (size_t)(q - in) + 1;
		} else if (!subset) {
			if (in[j] == '>') {
				*ret_end = j + 1;
				return 0;
			}
			subset = in[j++] == '[';
		} else if (in[j] == ']') {
			subset = false;
			j++;
		} else if (has(f, j, "<!--") || has(f, j, "<?")) {
			q = memmem(in + j + 2, f->len - j - 2,
			    in[j + 1] == '!' ? "-->" : "?>",
			    in[j + 1] == '!' ? 3 : 2);
			if (q == NULL)
				break;
			j = (size_t)(q - in) + (in[j + 1] == '!' ? 3 : 2);
		} else if (has(f, j, "<!ENTITY")) {
			r = entity_decl(f, j + 8, collect, &e);
			if (r < 0)
				return r;
			if (e == NOPOS)
				break;
			j = e;
		} else
			j++;
	}
	*ret_end = NOPOS;
	return 0;
}

static int
cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int c;

	c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts the entities for ent_find() and keeps each name's first. */
static void
ents_sort(struct fix *f)
{
	size_t i, n = 0;

	if (f->nents == 0)
		return;
	qsort(f->ents, f->nents, sizeof(f->ents[0]), cmp_ent);
	for (i = 0; i < f->nents; i++)
		if (n == 0 || strcmp(f->ents[n - 1].name, f->ents[i].name))
			f->ents[n++] = f->ents[i];
	f->nents = n;
}

/*
 * The DOCTYPE at in[f->i] goes.  Before the root it goes whole, internal
 * subset and all, and the first one's entities are collected.  Inside
 * the root (unescaped HTML) it goes up to its '>'.  One that does not end
 * there (a stray quote, a '<' before any '>') goes only up to its first
 * '>' if no '<' comes first: anything more could swallow the root or
 * items.  Failing that, before the root its keyword goes and the rest is
 * junk; inside the root, returns 1 so that it is read as text.
 */
static int
do_doctype(struct fix *f)
{
	bool collect = f->where == PROLOG && !f->doctype_seen;
	size_t e = NOPOS, k;
	int r;

	if (f->where == PROLOG && !f->doctype_broken) {
		r = doctype_scan(f, f->i + 9, collect, &e);
		if (r < 0)
			return r;
		/* Ran to EOF: later ones are not scanned again. */
		if (e == NOPOS)
			f->doctype_broken = true;
	}
	if (e == NOPOS) {
		if (collect) {
			f->nents = 0;
			buf_clear(&f->pool);
		}
		for (k = f->i + 9; k < f->len && f->in[k] != '>' &&
		    f->in[k] != '<'; k++)
			;
		if (k < f->len && f->in[k] == '>')
			e = k + 1;
		else if (f->where == PROLOG) {
			f->st.leading_junk = true;
			e = f->i + 9;
		} else
			return 1;
	}
	if (collect)
		ents_sort(f);
	f->doctype_seen = true;
	f->st.doctype_removed = true;
	f->i = e;
	return 0;
}

/* Before the root: markup is kept, text is junk. */
static int
step_prolog(struct fix *f)
{
	const char *in = f->in, *q;
	size_t e, k;
	bool junk = false;
	int r;

	if (in[f->i] != '<') {
		q = memchr(in + f->i, '<', f->len - f->i);
		e = q != NULL ? (size_t)(q - in) : f->len;
		for (k = f->i; k < e && !junk; k++)
			junk = !is_ws(in[k]);
		if (junk)
			f->st.leading_junk = true;
		else if (written(f)) {
			/* Only white space before the first '<' goes. */
			if ((r = emit(&f->out, in + f->i, e - f->i)) < 0)
				return r;
		}
		f->i = e;
		return 0;
	}

	switch (classify(f, f->i)) {
	case MK_START: r = do_start_tag(f); break;
	case MK_COMMENT: r = do_comment(f); break;
	case MK_PI: r = do_pi(f); break;
	case MK_DOCTYPE: r = do_doctype(f); break;
	default: r = 1; break;
	}
	if (r == 1) {
		/* An end tag, CDATA or a comment that never ends: junk. */
		f->st.leading_junk = true;
		f->i++;
		r = 0;
	}
	return r;
}

/* Inside the root. */
static int
step_content(struct fix *f)
{
	const char *in = f->in;
	const unsigned char mask = C_ILL | C_AMP | C_LT | C_GT;
	size_t run, n;
	int r = 0;

	for (run = f->i; f->i < f->len &&
	    !(cls[(unsigned char)in[f->i]] & mask); f->i++)
		;
	if (f->i > run && (r = emit(&f->out, in + run, f->i - run)) < 0)
		return r;
	if (f->i == f->len)
		return 0;

	switch (in[f->i]) {
	case '&':
		return do_ref(f, &f->out, &f->i, f->len, 0);
	case '>':
		/*
		 * XML 2.4: "]]>" must not occur in text.  Look at the output:
		 * the "]]" may come from a substitution, or meet the '>' once
		 * a DOCTYPE between them is gone.
		 */
		if (f->out.len >= 2 && f->out.p[f->out.len - 1] == ']' &&
		    f->out.p[f->out.len - 2] == ']') {
			f->st.lts++;
			r = emits(&f->out, "&gt;");
		} else
			r = emit(&f->out, ">", 1);
		f->i++;
		return r;
	case '<':
		break;
	default:
		n = illegal_len(in, f->i, f->len);
		if (n > 0) {
			f->st.controls++;
			f->i += n;
			return 0;
		}
		return emit(&f->out, in + f->i++, 1);
	}

	switch (classify(f, f->i)) {
	case MK_START: r = do_start_tag(f); break;
	case MK_END: r = do_end_tag(f); break;
	case MK_COMMENT: r = do_comment(f); break;
	case MK_CDATA: r = do_cdata(f); break;
	case MK_PI: r = do_pi(f); break;
	case MK_DOCTYPE: r = do_doctype(f); break;
	case MK_TEXT: r = 2; break;
	}
	if (r == 1)
		f->st.unterminated++;
	if (r > 0) {
		/* Text, or markup that never ends: read on as text. */
		f->st.lts++;
		f->i++;
		return emits(&f->out, "&lt;");
	}
	return r;
}

/* After the root: white space, comments and PIs, then junk to the end. */
static int
step_epilog(struct fix *f)
{
	const char *in = f->in;
	size_t j;
	int r = 1;

	if (is_ws(in[f->i])) {
		j = skip_ws(f, f->i);
		r = emit(&f->out, in + f->i, j - f->i);
		f->i = j;
		return r;
	}
	if (in[f->i] == '<') {
		switch (classify(f, f->i)) {
		case MK_COMMENT: r = do_comment(f); break;
		case MK_PI: r = do_pi(f); break;
		default: break;
		}
	}
	if (r == 1) {
		f->st.trailing_junk = true;
		f->i = f->len;
		r = 0;
	}
	return r;
}

/*
 * Hands out over to the sink once it holds a piece (or, at the end, all
 * of it), less the last two bytes: step_content() looks back at them for
 * "]]>".  The cap on out shrinks by what is handed over, so that the whole
 * output stays within max_out.
 */
static int
hand_over(struct fix *f, bool all)
{
	size_t keep = all ? 0 : 2, n;
	int r;

	if (f->sink == NULL || f->out.len < (all ? 1 : f->piece) ||
	    f->out.len <= keep)
		return 0;
	n = f->out.len - keep;
	r = f->sink(f->sink_arg, f->out.p, n, f->i);
	if (r < 0)
		return r;
	memmove(f->out.p, f->out.p + n, keep);
	f->out.len = keep;
	f->out.p[keep] = '\0';
	f->out.max -= n;
	f->flushed += n;
	return 0;
}

/* The pass itself; with a sink, the output has all been handed over. */
static int
repair(struct fix *f, const char *buf, size_t len, size_t max_out)
{
	int r = 0;

	f->in = buf;
	f->len = len;
	f->where = PROLOG;
	f->root_end_none = f->no_comment_end = f->no_cdata_end =
	    f->no_pi_end = NOPOS;
	/* Four times the input, at most 1 MiB: no quadratic blowup. */
	f->subst_budget = len < XMLFIX_SUBST_MAX / 4 ? 4 * len :
	    XMLFIX_SUBST_MAX;
	buf_init(&f->out, max_out);
	buf_init(&f->pool, XMLFIX_SUBST_MAX);

	while (f->i < f->len && r >= 0) {
		switch (f->where) {
		case PROLOG: r = step_prolog(f); break;
		case CONTENT: r = step_content(f); break;
		case EPILOG: r = step_epilog(f); break;
		}
		if (r >= 0)
			r = hand_over(f, false);
	}
	return r < 0 ? r : hand_over(f, true);
}

static void
fix_free(struct fix *f)
{
	buf_free(&f->out);
	buf_free(&f->pool);
	free(f->ents);
}

int
xmlfix_repair(const char *buf, size_t len, size_t max_out, char **ret_buf,
    size_t *ret_len, struct xmlfix_stats *ret_stats)
{
	struct fix f;
	char *p;
	size_t n;
	int r;

	assert(buf != NULL || len == 0);
	assert(ret_buf != NULL && ret_len != NULL && ret_stats != NULL);

	memset(&f, 0, sizeof(f));
	r = repair(&f, buf, len, max_out);
	if (r < 0)
		goto out;
	n = f.out.len;
	p = buf_steal(&f.out);
	if (p == NULL) {
		r = -ENOMEM;
		goto out;
	}
	*ret_buf = p;
	*ret_len = n;
	*ret_stats = f.st;
out:
	fix_free(&f);
	return r;
}

int
xmlfix_repair_to(const char *buf, size_t len, size_t max_out,
    size_t piece, int (*sink)(void *arg, const char *p, size_t n,
    size_t done), void *arg, struct xmlfix_stats *ret_stats)
{
	struct fix f;
	int r;

	assert(buf != NULL || len == 0);
	assert(sink != NULL && ret_stats != NULL);

	memset(&f, 0, sizeof(f));
	f.sink = sink;
	f.sink_arg = arg;
	f.piece = piece > 0 ? piece : XMLFIX_PIECE;
	r = repair(&f, buf, len, max_out);
	*ret_stats = f.st;
	fix_free(&f);
	return r;
}

/*
 * Appends ", <n> <what>" to line for a nonzero count.  A line cut short
 * by its size is still a useful log line, so truncation is accepted.
 */
static void
add_count(char *line, size_t size, size_t n, const char *what)
{
	size_t used = strlen(line);

	if (n == 0 || used >= size)
		return;
	snprintf(line + used, size - used, "%s%zu %s", used ? ", " : "", n,
	    what);
}

static void
add_flag(char *line, size_t size, bool set, const char *what)
{
	size_t used = strlen(line);

	if (!set || used >= size)
		return;
	snprintf(line + used, size - used, "%s%s", used ? ", " : "", what);
}

void
xmlfix_warnings(const struct xmlfix_stats *st, struct feed_doc *doc)
{
	char line[512] = "";

	/* Expanding a declared entity repairs nothing: no warning. */
	add_count(line, sizeof(line), st->entities, "HTML entities");
	add_count(line, sizeof(line), st->charrefs,
	    "bad character references");
	add_count(line, sizeof(line), st->ampersands, "bare '&'");
	add_count(line, sizeof(line), st->lts, "bare '<' or ']]>'");
	add_count(line, sizeof(line), st->controls, "forbidden characters");
	add_count(line, sizeof(line), st->tags, "broken tags");
	add_count(line, sizeof(line), st->comments, "'--' in comments");
	add_count(line, sizeof(line), st->unterminated,
	    "unterminated comments, CDATA or PIs");
	add_flag(line, sizeof(line), st->xmldecl_removed,
	    "a misplaced XML declaration");
	add_flag(line, sizeof(line), st->leading_junk,
	    "text before the root element");
	add_flag(line, sizeof(line), st->trailing_junk,
	    "content after the root element");
	if (line[0] != '\0')
		feed_doc_warn(doc, "not well-formed XML, repaired (%s) before "
		    "parsing", line);
	if (st->capped_entities > 0)
		feed_doc_warn(doc, "DTD entity expansion reached its cap: %zu "
		    "references left as text", st->capped_entities);
	if (st->ignored_entities > 0)
		feed_doc_warn(doc, "%zu external or parameter entity "
		    "declarations ignored, their references left as text",
		    st->ignored_entities);
}
