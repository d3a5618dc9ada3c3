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

/* Returns 0, -ENOMEM, or -E2BIG (and sets overflow) past the cap. */
int buf_append(struct buf *b, const char *s, size_t len);
int buf_puts(struct buf *b, const char *s);

/* Inserts s[0..len) at offset at, moving the rest on; the same errors
 * as buf_append, and -EINVAL for an offset past the end. */
int buf_insert(struct buf *b, size_t at, const char *s, size_t len);

/* Appends s escaped for XML text and attribute values. */
int buf_append_escaped(struct buf *b, const char *s, size_t len);

/* Hands the contents to the caller (never NULL on success), emptying b. */
char *buf_steal(struct buf *b);

#endif
