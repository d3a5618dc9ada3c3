/*
 * test-json-out.c - the hand-written JSON writer (feeds/json_out.c) and the
 * item form built on it (feeds/writer_json.c): escaping, invalid UTF-8,
 * nesting, errors, and that jansson reads back exactly what went in.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "json_out.h"
#include "writer_json.h"

/* One string member written as {"k":s}; returns the text. */
static char *
write_one(struct buf *b, const char *s)
{
	struct json_out j;

	buf_clear(b);
	json_out_init(&j, b);
	json_out_object(&j, NULL);
	json_out_string(&j, "k", s);
	json_out_close_object(&j);
	assert_int_equal(json_out_finish(&j), 0);
	return b->p;
}

static void
test_escapes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, SIZE_MAX);
	assert_string_equal(write_one(&b, "plain / text"),
	    "{\"k\":\"plain / text\"}");
	assert_string_equal(write_one(&b, "q\"b\\"),
	    "{\"k\":\"q\\\"b\\\\\"}");
	assert_string_equal(write_one(&b, "\b\f\n\r\t"),
	    "{\"k\":\"\\b\\f\\n\\r\\t\"}");
	assert_string_equal(write_one(&b, "\x01\x1f\x7f"),
	    "{\"k\":\"\\u0001\\u001F\x7f\"}");
	assert_string_equal(write_one(&b, NULL), "{\"k\":null}");
	assert_string_equal(write_one(&b, ""), "{\"k\":\"\"}");
	buf_free(&b);
}

/*
 * The writer skips eight plain bytes at a time: each byte that needs
 * care, at every offset around a word, reads back as it went in (an
 * invalid byte as U+FFFD).
 */
static void
test_escape_offsets(void **state)
{
	static const struct {
		const char *in, *back;
	} cases[] = {
		{ "\"", "\"" }, { "\\", "\\" }, { "\n", "\n" },
		{ "\x01", "\x01" }, { "\x1f", "\x1f" }, { "\x7f", "\x7f" },
		{ "\xc3\xa9", "\xc3\xa9" }, { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
		{ "\xff", "\xef\xbf\xbd" }, { "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },
	};
	char in[64], want[64];
	json_error_t err;
	json_t *obj;
	struct buf b;
	size_t c, k, tail;

	(void)state;
	buf_init(&b, SIZE_MAX);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (k = 0; k < 20; k++)
			for (tail = 0; tail < 10; tail += 3) {
				snprintf(in, sizeof(in), "%.*s%s%.*s", (int)k,
				    "aaaaaaaaaaaaaaaaaaaa", cases[c].in,
				    (int)tail, "bbbbbbbbbb");
				snprintf(want, sizeof(want), "%.*s%s%.*s",
				    (int)k, "aaaaaaaaaaaaaaaaaaaa",
				    cases[c].back, (int)tail, "bbbbbbbbbb");
				obj = json_loads(write_one(&b, in), 0, &err);
				if (obj == NULL)
					fail_msg("%s: %s", b.p, err.text);
				assert_string_equal(json_string_value(
				    json_object_get(obj, "k")), want);
				json_decref(obj);
			}
	buf_free(&b);
}

static void
test_utf8(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, SIZE_MAX);
	/* Valid multibyte text passes through untouched. */
	assert_string_equal(write_one(&b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "{\"k\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}");
	/* A lone continuation byte, a cut sequence, an overlong '/', a
	 * surrogate: one U+FFFD per bad byte, the rest kept. */
	assert_string_equal(write_one(&b, "a\x80z"),
	    "{\"k\":\"a\xef\xbf\xbdz\"}");
	assert_string_equal(write_one(&b, "a\xe2\x82"),
	    "{\"k\":\"a\xef\xbf\xbd\xef\xbf\xbd\"}");
	assert_string_equal(write_one(&b, "\xc0\xaf"),
	    "{\"k\":\"\xef\xbf\xbd\xef\xbf\xbd\"}");
	assert_string_equal(write_one(&b, "\xed\xa0\x80"),
	    "{\"k\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"}");
	buf_free(&b);
}

static void
test_nesting(void **state)
{
	struct json_out j;
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, SIZE_MAX);
	json_out_init(&j, &b);
	json_out_object(&j, NULL);
	json_out_array(&j, "a");
	json_out_int(&j, NULL, -9007199254740993LL);
	json_out_object(&j, NULL);
	json_out_null(&j, "n");
	json_out_close_object(&j);
	json_out_array(&j, NULL);
	json_out_close_array(&j);
	json_out_close_array(&j);
	json_out_string(&j, "s", "x");
	json_out_close_object(&j);
	assert_int_equal(json_out_finish(&j), 0);
	assert_string_equal(b.p,
	    "{\"a\":[-9007199254740993,{\"n\":null},[]],\"s\":\"x\"}");

	/* Too deep is an error, not a write past the array. */
	buf_clear(&b);
	json_out_init(&j, &b);
	for (i = 0; i < JSON_OUT_MAX_DEPTH + 2; i++)
		json_out_array(&j, NULL);
	assert_int_equal(json_out_finish(&j), -EINVAL);
	buf_free(&b);
}

static void
test_cap(void **state)
{
	struct json_out j;
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	json_out_init(&j, &b);
	json_out_object(&j, NULL);
	json_out_string(&j, "key", "a value longer than the cap");
	json_out_close_object(&j);
	assert_int_equal(json_out_finish(&j), -E2BIG);
	buf_free(&b);
}

/* Every field of an item survives a trip through jansson. */
static void
test_item_reads_back(void **state)
{
	char *cats[] = { "news", "caf\xc3\xa9 \"quoted\"" };
	struct feed_enclosure encs[] = {
		{ .url = "https://e.example/a.mp3", .type = "audio/mpeg",
		  .length = 123456789012LL },
		{ .url = "https://e.example/b", .type = NULL, .length = -1 },
	};
	struct feed_item item = {
		.id = "tag:e.example,2026:1",
		.url = "https://e.example/1?a=1&b=<2>",
		.title = "Line\nbreak\tand \x01 control",
		.published = 0,
		.updated = FEED_TIME_UNKNOWN,
		.author = NULL,
		.categories = cats,
		.ncategories = 2,
		.summary_html = "<p>a &amp; b</p>",
		.content_html = NULL,
		.content_text = "a & b \\ c",
		.enclosures = encs,
		.nenclosures = 2,
	};
	json_t *o, *e;
	struct buf b;

	(void)state;
	strcpy(item.content_hash, "0123abcd");
	buf_init(&b, SIZE_MAX);
	assert_int_equal(writer_json_item(&b, &item), 0);
	o = json_loadb(b.p, b.len, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "type")),
	    "item");
	assert_string_equal(json_string_value(json_object_get(o, "url")),
	    item.url);
	assert_string_equal(json_string_value(json_object_get(o, "title")),
	    item.title);
	assert_string_equal(json_string_value(json_object_get(o,
	    "published")), "1970-01-01T00:00:00Z");
	assert_true(json_is_null(json_object_get(o, "updated")));
	assert_true(json_is_null(json_object_get(o, "author")));
	assert_true(json_is_null(json_object_get(o, "content_html")));
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(o, "categories"), 1)), cats[1]);
	assert_string_equal(json_string_value(json_object_get(o,
	    "content_text")), item.content_text);
	e = json_array_get(json_object_get(o, "enclosures"), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "length")),
	    123456789012LL);
	e = json_array_get(json_object_get(o, "enclosures"), 1);
	assert_true(json_is_null(json_object_get(e, "type")));
	assert_true(json_is_null(json_object_get(e, "length")));
	assert_string_equal(json_string_value(json_object_get(o,
	    "content_hash")), "0123abcd");
	assert_int_equal(json_object_size(o), 13);
	json_decref(o);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_escape_offsets),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_item_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
