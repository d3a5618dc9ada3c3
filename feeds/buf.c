/*
 * buf.c - a growable byte buffer with a size cap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	b->overflow = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->overflow = false;
}

static int
buf_reserve(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra) {
		b->overflow = true;
		return -E2BIG;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int
buf_append_grow(struct buf *b, const char *s, size_t len)
{
	int r;

	r = buf_reserve(b, len);
	if (r < 0)
		return r;
	if (len > 0)
		memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_insert(struct buf *b, size_t at, const char *s, size_t len)
{
	int r;

	if (at > b->len)
		return -EINVAL;
	if (at == b->len)
		return buf_append(b, s, len);
	if ((r = buf_reserve(b, len)) < 0)
		return r;
	/* The tail moves with its terminating NUL. */
	memmove(b->p + at + len, b->p + at, b->len - at + 1);
	memcpy(b->p + at, s, len);
	b->len += len;
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_append_escaped(struct buf *b, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *rep;
	int r;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if ((r = buf_append(b, s + start, i - start)) < 0 ||
		    (r = buf_puts(b, rep)) < 0)
			return r;
		start = i + 1;
	}
	return buf_append(b, s + start, len - start);
}

char *
buf_steal(struct buf *b)
{
	char *p;

	if (b->p == NULL)
		return strdup("");
	p = b->p;
	/*
	 * The capacity doubled as it grew: up to half of it is unused, and
	 * what is stolen (an item's HTML and text) is kept until delivery.
	 * Give the rest back; if realloc cannot, the larger block will do.
	 */
	if (b->cap - b->len > 64) {
		char *shrunk = realloc(p, b->len + 1);

		if (shrunk != NULL)
			p = shrunk;
	}
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}
