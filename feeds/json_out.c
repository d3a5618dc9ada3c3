/*
 * json_out.c - compact JSON written straight into a buffer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bytescan.h"
#include "json_out.h"
#include "utf8.h"

void
json_out_init(struct json_out *j, struct buf *b)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
}

static void
put(struct json_out *j, const char *s, size_t len)
{
	int r;

	if (j->err == 0 && (r = buf_append(j->b, s, len)) < 0)
		j->err = r;
}

/* The escaped string between quotes; see json_out.h for the rules. */
static void
put_string(struct json_out *j, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, run = 0;
	uint32_t cp;

	put(j, "\"", 1);
	while (i < len) {
		unsigned char c;
		char esc[6];
		size_t n;

		/* Eight plain ASCII bytes (no control, quote or backslash). */
		if (len - i >= 8) {
			uint64_t w = bytescan_load(s + i);

			if (!(bytescan_below(w, 0x20) | bytescan_high(w) |
			    bytescan_has(w, '"') | bytescan_has(w, '\\'))) {
				i += 8;
				continue;
			}
		}
		c = s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			n = utf8_decode(s + i, len - i, &cp);
			if (n > 0) {
				i += n;
				continue;
			}
		}
		/* s[run..i) is plain; s[i] needs a replacement. */
		put(j, str + run, i - run);
		switch (c) {
		case '"':  put(j, "\\\"", 2); break;
		case '\\': put(j, "\\\\", 2); break;
		case '\b': put(j, "\\b", 2); break;
		case '\f': put(j, "\\f", 2); break;
		case '\n': put(j, "\\n", 2); break;
		case '\r': put(j, "\\r", 2); break;
		case '\t': put(j, "\\t", 2); break;
		default:
			if (c >= 0x80) {
				put(j, "\xef\xbf\xbd", 3);
				break;
			}
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			put(j, esc, 6);
			break;
		}
		run = ++i;
	}
	put(j, str + run, len - run);
	put(j, "\"", 1);
}

/* The comma before a value and its key, when it is a member. */
static void
begin_value(struct json_out *j, const char *key)
{
	if (j->need_comma[j->depth])
		put(j, ",", 1);
	j->need_comma[j->depth] = true;
	if (key != NULL) {
		put_string(j, key);
		put(j, ":", 1);
	}
}

static void
open_container(struct json_out *j, const char *key, const char *open)
{
	begin_value(j, key);
	put(j, open, 1);
	if (j->depth + 1 >= JSON_OUT_MAX_DEPTH) {
		if (j->err == 0)
			j->err = -EINVAL;
		return;
	}
	j->need_comma[++j->depth] = false;
}

static void
close_container(struct json_out *j, const char *close)
{
	if (j->depth > 0)
		j->depth--;
	put(j, close, 1);
}

void
json_out_object(struct json_out *j, const char *key)
{
	open_container(j, key, "{");
}

void
json_out_array(struct json_out *j, const char *key)
{
	open_container(j, key, "[");
}

void
json_out_close_object(struct json_out *j)
{
	close_container(j, "}");
}

void
json_out_close_array(struct json_out *j)
{
	close_container(j, "]");
}

void
json_out_string(struct json_out *j, const char *key, const char *s)
{
	begin_value(j, key);
	if (s == NULL)
		put(j, "null", 4);
	else
		put_string(j, s);
}

void
json_out_int(struct json_out *j, const char *key, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRId64, v);

	begin_value(j, key);
	put(j, num, (size_t)n);
}

void
json_out_null(struct json_out *j, const char *key)
{
	begin_value(j, key);
	put(j, "null", 4);
}

int
json_out_finish(const struct json_out *j)
{
	return j->err;
}
