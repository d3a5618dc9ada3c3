/*
 * buf.h - a growable byte buffer with a size cap, always NUL-terminated.
 *
 * The buffer owns p; buf_free() releases it and buf_clear() empties it but
 * keeps the memory for the next item (as sfeed's string_clear does).
 */
#ifndef FEEDSPOOL_BUF_H
#define FEEDSPOOL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;		/* appends that would pass this fail */
	bool overflow;		/* an append was refused for the cap */
};

void buf_init(struct buf *b, size_t max);
void buf_clear(struct buf *b);
void buf_free(struct buf *b);

int buf_append_grow(struct buf *b, const char *s, size_t len);

/*
 * Returns 0, -ENOMEM, or -E2BIG (and sets overflow) past the cap.  Inline
 * when the bytes fit in what is allocated: the writers append a few
 * bytes at a time, millions of times per large feed.
 */
static inline int
buf_append(struct buf *b, const char *s, size_t len)
{
	if (len > 0 && len < b->cap - b->len && len <= b->max - b->len) {
		memcpy(b->p + b->len, s, len);
		b->len += len;
		b->p[b->len] = '\0';
		return 0;
	}
	return buf_append_grow(b, s, len);
}
int buf_puts(struct buf *b, const char *s);

/* Inserts s[0..len) at offset at, moving the rest on; the same errors
 * as buf_append, and -EINVAL for an offset past the end. */
int buf_insert(struct buf *b, size_t at, const char *s, size_t len);

/* Appends s escaped for XML text and attribute values. */
int buf_append_escaped(struct buf *b, const char *s, size_t len);

/* Hands the contents to the caller (never NULL on success), emptying b. */
char *buf_steal(struct buf *b);

#endif
