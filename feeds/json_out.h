/*
 * json_out.h - compact JSON written straight into a buffer.
 *
 * The items of a feed are written once and never read back, so building a
 * jansson tree for each (a copy and a UTF-8 check per string, a hash table
 * per object, then a second pass to escape) cost a quarter of `feedspool
 * parse`.  This writes each value in one pass.  It escapes what RFC 8259
 * requires and nothing else, the way jansson's json_dumps does by default:
 * '"', '\\', and the C0 controls (\b \f \n \r \t by name, others as
 * \u00XX).  Bytes that are not UTF-8 become U+FFFD, one per bad byte, so
 * the output is always valid JSON.
 */
#ifndef FEEDSPOOL_JSON_OUT_H
#define FEEDSPOOL_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define JSON_OUT_MAX_DEPTH	8

struct json_out {
	struct buf *b;
	int depth;
	bool need_comma[JSON_OUT_MAX_DEPTH];
	int err;		/* the first error of buf_append, or -EINVAL */
};

/* Starts writing into b (appending to what it holds). */
void json_out_init(struct json_out *j, struct buf *b);

/*
 * Members of an object take a key; elements of an array take NULL.  Opening
 * more than JSON_OUT_MAX_DEPTH levels sets err to -EINVAL.
 */
void json_out_object(struct json_out *j, const char *key);
void json_out_array(struct json_out *j, const char *key);
void json_out_close_object(struct json_out *j);
void json_out_close_array(struct json_out *j);

/* A string, or null when s is NULL. */
void json_out_string(struct json_out *j, const char *key, const char *s);
void json_out_int(struct json_out *j, const char *key, int64_t v);
void json_out_null(struct json_out *j, const char *key);

/* 0, or the first error (-ENOMEM, -E2BIG past the buffer's cap, -EINVAL). */
int json_out_finish(const struct json_out *j);

#endif
