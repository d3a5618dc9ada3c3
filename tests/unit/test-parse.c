/*
 * test-parse.c - feed_parse() with its hooks: items handed over one by
 * one as they are read (the same items as without the hook), the feed's
 * fields as known before the first item, a hook that stops the parse,
 * progress through the input, and the order of the warnings.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "parse.h"
#include "writer_json.h"

/* What the on_item hook saw. */
struct handed {
	struct buf json;	/* the items, one JSON line each */
	size_t calls;
	size_t stop_at;		/* return -EIO at this call (1-based), or 0 */
	char *first_title;	/* the feed's title at the first item */
	bool title_known;
	size_t progress_at_first; /* the input read at the first item */
	size_t progress;	/* the last progress seen */
	size_t progress_calls;
};

static int
on_item(void *arg, const struct feed_doc *doc, const struct feed_item *item)
{
	struct handed *h = arg;

	h->calls++;
	if (h->calls == 1) {
		h->title_known = doc->title != NULL;
		h->first_title = doc->title ? strdup(doc->title) : NULL;
		h->progress_at_first = h->progress;
	}
	assert_int_equal(doc->nitems, 1);
	assert_ptr_equal(item, &doc->items[0]);
	assert_int_equal(writer_json_item(&h->json, item), 0);
	assert_int_equal(buf_append(&h->json, "\n", 1), 0);
	return h->calls == h->stop_at ? -EIO : 0;
}

static void
on_progress(void *arg, size_t done)
{
	struct handed *h = arg;

	h->progress = done;
	h->progress_calls++;
}

/* The same items, as JSON lines, from a parse that keeps them. */
static char *
kept_items(const char *xml, size_t len)
{
	struct feed_doc *doc = NULL;
	char err[FEED_ERROR_LEN];
	struct buf json;
	size_t i;

	buf_init(&json, SIZE_MAX);
	assert_int_equal(feed_parse(xml, len, NULL, &doc, err, sizeof(err)),
	    0);
	for (i = 0; i < doc->nitems; i++) {
		assert_int_equal(writer_json_item(&json, &doc->items[i]), 0);
		assert_int_equal(buf_append(&json, "\n", 1), 0);
	}
	feed_doc_free(doc);
	return buf_steal(&json);
}

/* An RSS feed of n items, each with a body of about body bytes. */
static char *
rss(size_t n, size_t body, bool title_late)
{
	struct buf b;
	size_t i, k;

	buf_init(&b, SIZE_MAX);
	assert_int_equal(buf_puts(&b, "<?xml version=\"1.0\"?>\n<rss "
	    "version=\"2.0\"><channel><link>http://example.com/</link>"), 0);
	if (!title_late)
		assert_int_equal(buf_puts(&b, "<title>Early</title>"), 0);
	for (i = 0; i < n; i++) {
		char head[160];

		snprintf(head, sizeof(head), "<item><title>Item %zu</title>"
		    "<link>/a/%zu</link><pubDate>Mon, 07 Dec 2026 10:%02zu:00 "
		    "GMT</pubDate><description>&lt;p&gt;", i, i, i % 60);
		assert_int_equal(buf_puts(&b, head), 0);
		for (k = 0; k < body; k += 10)
			assert_int_equal(buf_puts(&b, "word word "), 0);
		assert_int_equal(buf_puts(&b, "&lt;/p&gt;</description>"
		    "</item>\n"), 0);
	}
	if (title_late)
		assert_int_equal(buf_puts(&b, "<title>Late</title>"), 0);
	assert_int_equal(buf_puts(&b, "</channel></rss>\n"), 0);
	return buf_steal(&b);
}

/* feed_parse() with both hooks reporting into *h; returns its code. */
static int
parse_hooked(const char *xml, size_t len, struct handed *h,
    struct feed_doc **doc)
{
	struct feed_parse_opts o = {
		.on_item = on_item, .on_item_arg = h,
		.progress = on_progress, .progress_arg = h,
	};
	char err[FEED_ERROR_LEN];

	buf_init(&h->json, SIZE_MAX);
	return feed_parse(xml, len, &o, doc, err, sizeof(err));
}

static void
handed_free(struct handed *h)
{
	buf_free(&h->json);
	free(h->first_title);
}

/*
 * Each item reaches the hook as it closes, none stays in the document,
 * and they are the items a parse without the hook keeps, in order.  The
 * first comes while most of a large document is still unread.
 */
static void
test_items_handed_over(void **state)
{
	struct handed h = { .calls = 0 };
	struct feed_doc *doc = NULL;
	char *xml, *want;
	size_t len;

	(void)state;
	xml = rss(400, 2000, false);	/* about 800 KB */
	len = strlen(xml);
	assert_int_equal(parse_hooked(xml, len, &h, &doc), 0);
	assert_int_equal(h.calls, 400);
	assert_int_equal(doc->nitems, 0);
	want = kept_items(xml, len);
	assert_string_equal(h.json.p, want);

	assert_true(h.title_known);
	assert_string_equal(h.first_title, "Early");
	assert_string_equal(doc->title, "Early");
	/* Read in pieces: the first item came before a quarter of the input
	 * was read, and progress reached the end. */
	assert_true(h.progress_calls > 4);
	assert_true(h.progress_at_first < len / 4);
	assert_int_equal(h.progress, len);

	free(want);
	handed_free(&h);
	feed_doc_free(doc);
	free(xml);
}

/* A title after the items: unknown at the first item, there at the end. */
static void
test_late_feed_fields(void **state)
{
	struct handed h = { .calls = 0 };
	struct feed_doc *doc = NULL;
	char *xml;

	(void)state;
	xml = rss(3, 10, true);
	assert_int_equal(parse_hooked(xml, strlen(xml), &h, &doc), 0);
	assert_int_equal(h.calls, 3);
	assert_false(h.title_known);
	assert_string_equal(doc->link, "http://example.com/");
	assert_string_equal(doc->title, "Late");
	handed_free(&h);
	feed_doc_free(doc);
	free(xml);
}

/* The hook's error stops the parse: no item after it, its code back. */
static void
test_hook_stops(void **state)
{
	struct handed h = { .stop_at = 2 };
	struct feed_doc *doc = NULL;
	char *xml;

	(void)state;
	xml = rss(50, 10, false);
	assert_int_equal(parse_hooked(xml, strlen(xml), &h, &doc), -EIO);
	assert_int_equal(h.calls, 2);
	assert_null(doc);
	handed_free(&h);
	free(xml);
}

/*
 * The repairs of the whole document are known only at its end, yet their
 * warning comes before the items' own, as when the repair ran first.
 */
static void
test_repair_warning_first(void **state)
{
	static const char xml[] = "<rss version=\"2.0\"><channel>"
	    "<title>A & B</title><item><title>x</title><pubDate>never"
	    "</pubDate></item></channel></rss>";
	struct handed h = { .calls = 0 };
	struct feed_doc *doc = NULL;

	(void)state;
	assert_int_equal(parse_hooked(xml, strlen(xml), &h, &doc), 0);
	assert_int_equal(doc->nwarnings, 2);
	assert_non_null(strstr(doc->warnings[0], "'&'"));
	assert_non_null(strstr(doc->warnings[1], "never"));
	handed_free(&h);
	feed_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_handed_over),
		cmocka_unit_test(test_late_feed_fields),
		cmocka_unit_test(test_hook_stops),
		cmocka_unit_test(test_repair_warning_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
