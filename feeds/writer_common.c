/*
 * writer_common.c - what the merged-feed writers share: the ids and titles
 * entries get, and text made safe for XML and for jansson.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "hash.h"
#include "utf8.h"
#include "writer.h"

/*
 * RFC 4151: "tag:" authority "," date ":" specific.  The date is the year
 * the scheme was chosen, not the current one: it must never change, or
 * every reader would see every article again.
 */
#define TAG_PREFIX	"tag:feedspool,2026:"

/* A derived title has at most this many characters, plus an ellipsis. */
#define TITLE_CHARS	80

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/*
 * XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] |
 * [#xE000-#xFFFD] | [#x10000-#x10FFFF].  Nothing else may appear in a
 * document, not even as a character reference.
 */
static bool
xml_char(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	return cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) ||
	    (cp >= 0x10000 && cp <= 0x10ffff);
}

/* See writer_xml_str().  Returns 0, -ENOMEM or -E2BIG. */
static int
xml_escape(struct buf *b, const char *s, bool attr)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *end = p + strlen(s);
	const char *rep;
	uint32_t cp;
	size_t n;
	int r;

	while (p < end) {
		n = 1;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		/* Always, so that "]]>" can never appear in text. */
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		/* A parser turns a raw CR (and CR LF) into LF. */
		case '\r': rep = "&#13;"; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		default:
			if (*p >= 0x20 && *p < 0x80) {
				rep = NULL;
				break;
			}
			n = utf8_next(p, (size_t)(end - p), &cp);
			if (cp == UTF8_BAD)
				rep = REPLACEMENT;
			else if (!xml_char(cp))
				rep = "";	/* left out */
			else
				rep = NULL;
			break;
		}
		if (rep == NULL) {
			p += n;
			continue;
		}
		if ((p > run && (r = buf_append(b, (const char *)run,
		    (size_t)(p - run))) < 0) ||
		    (r = buf_puts(b, rep)) < 0)
			return r;
		p += n;
		run = p;
	}
	return buf_append(b, (const char *)run, (size_t)(p - run));
}

void
writer_xml_init(struct writer_xml *x)
{
	buf_init(&x->b, WRITER_MAX_OUTPUT);
	x->error = 0;
}

void
writer_xml_raw(struct writer_xml *x, const char *s)
{
	int r;

	if (x->error == 0 && (r = buf_puts(&x->b, s)) < 0)
		x->error = r;
}

void
writer_xml_str(struct writer_xml *x, const char *s, bool attr)
{
	int r;

	if (x->error == 0 && (r = xml_escape(&x->b, s, attr)) < 0)
		x->error = r;
}

void
writer_xml_elem(struct writer_xml *x, const char *indent, const char *name,
    const char *s)
{
	if (s == NULL || s[0] == '\0')
		return;
	writer_xml_raw(x, indent);
	writer_xml_raw(x, "<");
	writer_xml_raw(x, name);
	writer_xml_raw(x, ">");
	writer_xml_str(x, s, false);
	writer_xml_raw(x, "</");
	writer_xml_raw(x, name);
	writer_xml_raw(x, ">\n");
}

int
writer_xml_finish(struct writer_xml *x, char **ret, size_t *ret_len)
{
	size_t len = x->b.len;
	char *p;

	if (x->error < 0) {
		buf_free(&x->b);
		return x->error;
	}
	p = buf_steal(&x->b);
	if (p == NULL)
		return -ENOMEM;
	*ret = p;
	*ret_len = len;
	return 0;
}

char *
writer_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n;
	uint32_t cp;
	char *out, *w;

	/* Each bad byte becomes three. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	for (w = out; *p != '\0'; p += n) {
		n = utf8_next(p, len - (size_t)(p - (const unsigned char *)s),
		    &cp);
		if (cp == UTF8_BAD) {
			memcpy(w, REPLACEMENT, 3);
			w += 3;
		} else {
			memcpy(w, p, n);
			w += n;
		}
	}
	*w = '\0';
	return out;
}

static bool
is_space(const unsigned char *p)
{
	return *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\f' || *p == '\v' || (p[0] == 0xc2 && p[1] == 0xa0);
}

/*
 * The first TITLE_CHARS characters of text with white space folded, cut
 * after the last whole word when that keeps at least half of them, and
 * "…" when something was cut.  Returns a new string ("" for text that is
 * only white space), or NULL on ENOMEM.
 */
static char *
title_from_text(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), n, chars = 0, o = 0, word_end = 0;
	bool space = false, cut = false;
	uint32_t cp;
	char *out;

	/* A character is at most 4 bytes; a space 1; the ellipsis 3. */
	out = malloc(TITLE_CHARS * 4 + 4);
	if (out == NULL)
		return NULL;
	while (*p != '\0') {
		if (is_space(p)) {
			space = o > 0;
			p += *p == 0xc2 ? 2 : 1;
			continue;
		}
		if (chars + (space ? 1 : 0) >= TITLE_CHARS) {
			cut = true;
			break;
		}
		if (space) {
			word_end = o;
			out[o++] = ' ';
			chars++;
			space = false;
		}
		n = utf8_next(p, len - (size_t)(p - (const unsigned char *)text),
		    &cp);
		memcpy(out + o, p, n);
		o += n;
		chars++;
		p += n;
	}
	if (cut) {
		/* Stopped inside a word: drop its start if that costs little. */
		if (!space && word_end > 0 && word_end * 2 >= o)
			o = word_end;
		memcpy(out + o, "\xe2\x80\xa6", 3);	/* U+2026 */
		o += 3;
	}
	out[o] = '\0';
	return out;
}

char *
writer_entry_title(const struct writer_entry *e)
{
	const struct feed_item *it = e->item;
	char *t;

	if (it->title != NULL && it->title[0] != '\0')
		return strdup(it->title);
	if (it->content_text != NULL) {
		t = title_from_text(it->content_text);
		if (t == NULL || t[0] != '\0')
			return t;
		free(t);
	}
	/* Atom requires a title, and RSS a title or a description. */
	return strdup("(untitled)");
}

int64_t
writer_entry_updated(const struct writer_entry *e)
{
	if (e->item->updated != FEED_TIME_UNKNOWN)
		return e->item->updated;
	if (e->item->published != FEED_TIME_UNKNOWN)
		return e->item->published;
	return e->fetched_at;
}

int64_t
writer_meta_updated(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n)
{
	char buf[DATE_RFC3339_LEN + 1];
	int64_t t = FEED_TIME_UNKNOWN, u;
	size_t i;

	if (meta->updated != FEED_TIME_UNKNOWN &&
	    date_format_rfc3339(meta->updated, buf, sizeof(buf)) == 0)
		return meta->updated;
	for (i = 0; i < n; i++) {
		u = writer_entry_updated(&entries[i]);
		if (u != FEED_TIME_UNKNOWN &&
		    date_format_rfc3339(u, buf, sizeof(buf)) == 0 &&
		    (t == FEED_TIME_UNKNOWN || u > t))
			t = u;
	}
	return t != FEED_TIME_UNKNOWN ? t : 0;
}

/* Appends s with every byte outside RFC 3986 "unreserved" as %XX. */
static int
put_pct(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char esc[3];
	int r;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			r = buf_append(b, (const char *)p, 1);
		else {
			esc[0] = '%';
			esc[1] = hex[*p >> 4];
			esc[2] = hex[*p & 15];
			r = buf_append(b, esc, 3);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* TAG_PREFIX NAME [":" HASH] as a new string, or NULL on ENOMEM. */
static char *
tag_uri(const char *name, const char *hash)
{
	struct buf b;

	buf_init(&b, WRITER_MAX_OUTPUT);
	if (name == NULL || name[0] == '\0')
		name = "unknown";
	if (buf_puts(&b, TAG_PREFIX) < 0 || put_pct(&b, name) < 0 ||
	    (hash != NULL && (buf_puts(&b, ":") < 0 ||
	    buf_puts(&b, hash) < 0))) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
writer_entry_id(const struct writer_entry *e)
{
	const struct feed_item *it = e->item;
	char hash[65];

	if (it->id != NULL && it->id[0] != '\0')
		return strdup(it->id);
	/*
	 * An item from feed_parse always has its hash; one built by hand
	 * may not, and gets the same hash feed_parse would have given it.
	 */
	if (strnlen(it->content_hash, sizeof(it->content_hash)) == 64)
		memcpy(hash, it->content_hash, sizeof(hash));
	else if (content_hash(it->title, it->content_text, hash) < 0)
		return NULL;
	return tag_uri(e->source.name, hash);
}

char *
writer_source_id(const struct writer_entry *e)
{
	if (e->source.id != NULL && e->source.id[0] != '\0')
		return strdup(e->source.id);
	return tag_uri(e->source.name, NULL);
}
