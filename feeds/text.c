/*
 * text.c - the plain text of an HTML fragment (content_text).
 *
 * The text feeds the dedup content hash, so the same article with other
 * markup or other white space must read the same.  Rules:
 *  - entities are decoded (libxml2 did it), markup goes, and runs of
 *    white space (ASCII and U+00A0) become one space;
 *  - a paragraph (p, div, blockquote, h1-h6, pre, table, ul, ol, dl,
 *    address, figure...) is separated from what surrounds it by exactly
 *    one blank line; inside a list item only by a line break, so lists
 *    stay compact;
 *  - <br> is a line break, two or more make one blank line;
 *  - list items, table rows, dt, dd, caption and summary are lines of their
 *    own; list items start with "- ", or "1. ", "2. "... in an <ol>
 *    (counting from its start attribute; value and reversed are ignored);
 *    nested lists are not indented;
 *  - table cells on a row are separated by one space;
 *  - inside <pre> line breaks and indentation stay, trailing white space
 *    on a line goes, and blank lines collapse to one;
 *  - no line, nor the whole text, starts or ends with white space (but a
 *    <pre> line keeps its indentation);
 *  - script, style and every element the sanitizer drops with its content
 *    give no text, nor do audio and video (their content is a fallback
 *    message) or images: alt text is often a file name or "image", and
 *    would make a republication with other images hash differently.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "html_internal.h"

/* Indentation and inner white space held for one <pre> line. */
#define PRE_WS_MAX	256

struct list {
	bool ordered;
	long n;			/* the number of the last item */
};

/* The converter's state for one fragment. */
struct tx {
	struct buf *out;
	unsigned int nl;	/* line breaks owed, at most 2 */
	bool sp;		/* a space is owed */
	unsigned int pre;	/* open pre elements */
	unsigned int li;	/* open li elements */
	size_t nws;		/* white space held inside pre */
	char ws[PRE_WS_MAX];
	char prefix[16];	/* bullet owed to the item's first word */
	size_t nlist;		/* open lists, counting those past the cap */
	struct list lists[HTML_MAX_DEPTH];
};

/* Owes a paragraph (2) or line (1) break: spaces before it are dropped. */
static void
tx_break(struct tx *t, unsigned int level)
{
	if (t->nl < level)
		t->nl = level;
	t->sp = false;
	t->nws = 0;
}

/* <br>, and a line feed inside pre: one more line break, two at most. */
static void
tx_newline(struct tx *t)
{
	if (t->nl < 2)
		t->nl++;
	t->sp = false;
	t->nws = 0;
}

/* Appends, failing with -E2BIG past HTML_MAX_OUT. */
static int
tx_append(struct tx *t, const char *p, size_t len)
{
	if (t->out->len + len > HTML_MAX_OUT)
		return -E2BIG;
	return buf_append(t->out, p, len);
}

/*
 * Appends p[0..len), which holds no white space, after what is owed:
 * breaks, or a space, or the white space held in pre, and a bullet.
 * Nothing is owed at the very start of the text.
 */
static int
tx_word(struct tx *t, const char *p, size_t len)
{
	int r = 0;

	if (t->out->len > 0) {
		if (t->nl > 0)
			r = tx_append(t, "\n\n", t->nl);
		else if (t->sp && t->nws == 0)
			r = tx_append(t, " ", 1);
		if (r == 0 && t->nws > 0)
			r = tx_append(t, t->ws, t->nws);
		if (r < 0)
			return r;
	}
	t->nl = 0;
	t->sp = false;
	t->nws = 0;
	if (t->prefix[0] != '\0') {
		if ((r = tx_append(t, t->prefix, strlen(t->prefix))) < 0)
			return r;
		t->prefix[0] = '\0';
	}
	return tx_append(t, p, len);
}

/* A white space character, ASCII or U+00A0 (given as ' '). */
static void
tx_space(struct tx *t, char c)
{
	if (t->pre == 0) {
		t->sp = true;
		return;
	}
	switch (c) {
	case '\n':
		tx_newline(t);
		break;
	case ' ':
	case '\t':
		if (t->nws < sizeof(t->ws))
			t->ws[t->nws++] = c;
		break;
	default:
		break;		/* CR (of CRLF) and form feed */
	}
}

/* The length of what tx_word() writes before a word. */
static size_t
tx_owed(const struct tx *t)
{
	size_t n = strlen(t->prefix);

	if (t->out->len == 0)
		return n;
	if (t->nl > 0)
		n += t->nl;
	else if (t->sp && t->nws == 0)
		n++;
	return n + t->nws;
}

/*
 * Appends words separated by single spaces, run[0..len).  When they do
 * not all fit under HTML_MAX_OUT, the text ends after the last whole word
 * that does, and -E2BIG says it was cut.
 */
static int
tx_run(struct tx *t, const char *run, size_t len)
{
	size_t used = t->out->len + tx_owed(t), room;
	const char *space;
	int r;

	if (used + len <= HTML_MAX_OUT)
		return tx_word(t, run, len);
	if (used >= HTML_MAX_OUT)
		return -E2BIG;
	room = HTML_MAX_OUT - used;	/* < len */
	/* A word ends where a space follows it: at most at run[room]. */
	space = memrchr(run, ' ', room + 1);
	if (space != NULL && (r = tx_word(t, run, (size_t)(space - run))) < 0)
		return r;
	return -E2BIG;
}

/* Printable ASCII other than the space. */
static inline bool
is_graph(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* Converts the text s[0..len) (UTF-8, possibly invalid). */
static int
tx_text(struct tx *t, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run;
	uint32_t cp;
	size_t n, c1len;
	char c1[4];
	int r;

	while (p < end) {
		if (*p > 0x20 && *p < 0x7f) {
			/*
			 * Words of printable ASCII with one space between
			 * them come out as they are, in pre or not: one
			 * append for the run, not two per word.
			 */
			run = p;
			while (p < end && (is_graph(*p) || (*p == ' ' &&
			    end - p > 1 && is_graph(p[1]))))
				p++;
			if ((r = tx_run(t, (const char *)run,
			    (size_t)(p - run))) < 0)
				return r;
			continue;
		}
		n = utf8_next(p, (size_t)(end - p), &cp);
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
		    cp == '\f')
			tx_space(t, (char)cp);
		else if (cp == 0xa0)
			tx_space(t, ' ');
		else if (cp != UTF8_BAD && html_char_ok(cp)) {
			if ((r = tx_word(t, (const char *)p, n)) < 0)
				return r;
		} else if ((c1len = html_c1_replacement(cp, c1)) > 0 &&
		    (r = tx_word(t, c1, c1len)) < 0)
			return r;
		p += n;
	}
	return 0;
}

/* The paragraph break level at this point: lines only inside items. */
static unsigned int
tx_para(const struct tx *t)
{
	return t->li > 0 ? 1 : 2;
}

/* The number of an <ol>'s first item: its start attribute, or 1. */
static long
list_start(const char *const *atts)
{
	const char *v = NULL;
	char *end;
	long l;

	for (; atts != NULL && atts[0] != NULL; atts += 2)
		if (strcmp(atts[0], "start") == 0) {
			v = atts[1];
			break;
		}
	if (v == NULL)
		return 1;
	l = strtol(v, &end, 10);
	/* As the sanitizer keeps it: up to 9 digits, nothing else. */
	if (end != v && *end == '\0' && l > -1000000000L && l < 1000000000L)
		return l;
	return 1;
}

/* Owes the bullet of a new list item. */
static void
tx_item(struct tx *t)
{
	struct list *l = NULL;
	int n;

	if (t->nlist > 0 && t->nlist <= HTML_MAX_DEPTH)
		l = &t->lists[t->nlist - 1];
	if (l != NULL && l->ordered) {
		n = snprintf(t->prefix, sizeof(t->prefix), "%ld. ", ++l->n);
		if (n < 0 || (size_t)n >= sizeof(t->prefix))
			strcpy(t->prefix, "- ");
	} else {
		strcpy(t->prefix, "- ");
	}
}

/*
 * An element opens: the breaks and bullets it owes.  Dropped elements
 * and those whose content is no text are not gone into.
 */
static int
tx_start(void *arg, const char *name, const char *const *atts, size_t depth,
    bool *ret_descend)
{
	struct tx *t = arg;
	const struct html_elem *el;

	(void)depth;
	*ret_descend = true;
	el = html_elem_lookup((const xmlChar *)name);
	if (el == NULL)
		return 0;	/* inline */
	/* A void element's children are its following siblings (html.c). */
	if ((el->flags & HE_NOTEXT) ||
	    (el->flags & (HE_DROP | HE_VOID)) == HE_DROP) {
		*ret_descend = false;
		return 0;
	}
	if (el->flags & HE_BR)
		tx_newline(t);
	if (el->flags & HE_LIST) {
		tx_break(t, t->nlist > 0 ? 1 : tx_para(t));
		if (t->nlist < HTML_MAX_DEPTH) {
			t->lists[t->nlist].ordered =
			    (el->flags & HE_ORDERED) != 0;
			t->lists[t->nlist].n = list_start(atts) - 1;
		}
		t->nlist++;
	} else if (el->flags & HE_ITEM) {
		tx_break(t, 1);
		tx_item(t);
		t->li++;
	} else if (el->flags & HE_BLOCK) {
		tx_break(t, tx_para(t));
		if (el->flags & HE_PRE)
			t->pre++;
	} else if (el->flags & HE_LINE) {
		tx_break(t, 1);
	} else if (el->flags & HE_CELL) {
		t->sp = true;
	}
	return 0;
}

/* An element closes: the breaks it owes. */
static int
tx_end(void *arg, const char *name, size_t depth)
{
	struct tx *t = arg;
	const struct html_elem *el;

	(void)depth;
	el = html_elem_lookup((const xmlChar *)name);
	if (el == NULL)
		return 0;
	if (el->flags & HE_LIST) {
		t->nlist--;
		tx_break(t, t->nlist > 0 ? 1 : tx_para(t));
	} else if (el->flags & HE_ITEM) {
		t->li--;
		tx_break(t, 1);
		t->prefix[0] = '\0';	/* an empty item gets no bullet */
	} else if (el->flags & HE_BLOCK) {
		if (el->flags & HE_PRE)
			t->pre--;
		tx_break(t, tx_para(t));
	} else if (el->flags & HE_LINE) {
		tx_break(t, 1);
	} else if (el->flags & HE_CELL) {
		t->sp = true;
	}
	return 0;
}

/*
 * A converter writing to out, or NULL.  lists[] is 2 KiB: off the C stack,
 * and not zeroed (that cost 1% of a parse): lists[] and ws[] are only read
 * below nlist and nws, after they were written.
 */
struct tx *
html_text_new(struct buf *out)
{
	struct tx *t = malloc(sizeof(*t));

	if (t == NULL)
		return NULL;
	t->out = out;
	t->nl = 0;
	t->sp = false;
	t->pre = 0;
	t->li = 0;
	t->nws = 0;
	t->prefix[0] = '\0';
	t->nlist = 0;
	return t;
}

static int
tx_text_event(void *arg, const char *s, size_t len)
{
	return tx_text(arg, s, len);
}

const struct html_handler html_text_handler = {
	tx_start, tx_end, tx_text_event,
};

void
html_text_free(struct tx *t)
{
	free(t);
}

int
html_text_plain(const char *text, size_t len, struct buf *out)
{
	struct tx *t;
	int r;

	if ((t = html_text_new(out)) == NULL)
		return -ENOMEM;
	r = tx_text(t, text, len);
	html_text_free(t);
	return r;
}
