/*
 * test-feed.c - the item model, the capped buffer and the content hash.
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
#include "feed.h"
#include "hash.h"

static void
test_items_grow(void **state)
{
	struct feed_doc *doc = feed_doc_new();
	struct feed_item *it;
	int i;

	assert_non_null(doc);
	assert_int_equal(doc->updated, FEED_TIME_UNKNOWN);
	for (i = 0; i < 100; i++) {
		it = feed_doc_add_item(doc);
		assert_non_null(it);
		assert_int_equal(it->published, FEED_TIME_UNKNOWN);
		assert_int_equal(it->updated, FEED_TIME_UNKNOWN);
		assert_null(it->title);
		it->title = strdup("t");
	}
	assert_int_equal(doc->nitems, 100);
	feed_doc_free(doc);
	feed_doc_free(NULL);
}

static void
test_categories_unique(void **state)
{
	struct feed_item it;

	memset(&it, 0, sizeof(it));
	assert_int_equal(feed_item_add_category(&it, "news"), 0);
	assert_int_equal(feed_item_add_category(&it, "sport"), 0);
	assert_int_equal(feed_item_add_category(&it, "news"), 0);
	assert_int_equal(it.ncategories, 2);
	assert_string_equal(it.categories[0], "news");
	assert_string_equal(it.categories[1], "sport");
	feed_item_clear(&it);
	assert_int_equal(it.ncategories, 0);
}

static void
test_enclosures_merge(void **state)
{
	struct feed_item it;

	memset(&it, 0, sizeof(it));
	/* media:content repeating an enclosure fills in what was missing. */
	assert_int_equal(feed_item_add_enclosure(&it, "http://a/x.mp3", NULL,
	    -1), 0);
	assert_int_equal(feed_item_add_enclosure(&it, "http://a/x.mp3",
	    "audio/mpeg", 1234), 0);
	assert_int_equal(feed_item_add_enclosure(&it, "http://a/y.mp3",
	    "audio/mpeg", -1), 0);
	assert_int_equal(it.nenclosures, 2);
	assert_string_equal(it.enclosures[0].type, "audio/mpeg");
	assert_int_equal(it.enclosures[0].length, 1234);
	assert_string_equal(it.enclosures[1].url, "http://a/y.mp3");
	assert_int_equal(it.enclosures[1].length, -1);
	feed_item_clear(&it);
}

static void
test_warnings_capped(void **state)
{
	struct feed_doc *doc = feed_doc_new();
	int i;

	for (i = 0; i < FEED_MAX_WARNINGS + 20; i++)
		feed_doc_warn(doc, "warning %d", i);
	assert_int_equal(doc->nwarnings, FEED_MAX_WARNINGS);
	assert_string_equal(doc->warnings[0], "warning 0");
	feed_doc_free(doc);
}

/*
 * Warnings inserted at an index come before the ones there, and the cap
 * drops the last ones, as if the inserted ones had been given first.
 */
static void
test_warnings_inserted(void **state)
{
	struct feed_doc *doc = feed_doc_new(), *from = feed_doc_new();
	int i;

	(void)state;
	feed_doc_warn(doc, "charset");
	for (i = 0; i < FEED_MAX_WARNINGS - 2; i++)
		feed_doc_warn(doc, "item %d", i);
	feed_doc_warn(from, "repair 1");
	feed_doc_warn(from, "repair 2");
	feed_doc_warn(from, "repair 3");
	feed_doc_insert_warnings(doc, 1, from);
	assert_int_equal(from->nwarnings, 0);
	assert_int_equal(doc->nwarnings, FEED_MAX_WARNINGS);
	assert_string_equal(doc->warnings[0], "charset");
	assert_string_equal(doc->warnings[1], "repair 1");
	assert_string_equal(doc->warnings[3], "repair 3");
	assert_string_equal(doc->warnings[4], "item 0");
	assert_string_equal(doc->warnings[FEED_MAX_WARNINGS - 1],
	    "item 95");

	/* Past the end is no place: nothing moves. */
	feed_doc_warn(from, "stray");
	feed_doc_insert_warnings(doc, doc->nwarnings + 1, from);
	assert_int_equal(from->nwarnings, 1);
	feed_doc_free(from);
	feed_doc_free(doc);
}

static void
test_format_names(void **state)
{
	assert_string_equal(feed_format_name(FEED_FORMAT_RSS20), "rss20");
	assert_string_equal(feed_format_name(FEED_FORMAT_ATOM10), "atom10");
	assert_string_equal(feed_format_name(FEED_FORMAT_JSONFEED11),
	    "json11");
	assert_string_equal(feed_format_name((enum feed_format)999),
	    "unknown");
}

static void
test_buf_cap_and_escape(void **state)
{
	struct buf b;
	char *s;

	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(buf_puts(&b, "x"), -E2BIG);
	assert_true(b.overflow);
	assert_int_equal(b.len, 10);
	buf_clear(&b);
	assert_false(b.overflow);
	assert_int_equal(buf_append_escaped(&b, "<a&'\">", 6), -E2BIG);
	buf_free(&b);

	buf_init(&b, 1024);
	assert_int_equal(buf_append_escaped(&b, "a<b & \"c\" 'd'>", 14), 0);
	assert_string_equal(b.p, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
	s = buf_steal(&b);
	assert_non_null(s);
	assert_null(b.p);
	free(s);
	s = buf_steal(&b);	/* an empty buffer gives "", not NULL */
	assert_string_equal(s, "");
	free(s);

	/* Inserting: anywhere up to the end, within the cap. */
	buf_init(&b, 8);
	assert_int_equal(buf_insert(&b, 0, "ad", 2), 0);
	assert_int_equal(buf_insert(&b, 1, "bc", 2), 0);
	assert_int_equal(buf_insert(&b, 4, "e", 1), 0);
	assert_int_equal(buf_insert(&b, 0, "<", 1), 0);
	assert_string_equal(b.p, "<abcde");
	assert_int_equal(b.len, 6);
	assert_int_equal(buf_insert(&b, 7, "x", 1), -EINVAL);
	assert_int_equal(buf_insert(&b, 3, "xyz", 3), -E2BIG);
	assert_string_equal(b.p, "<abcde");
	buf_free(&b);
}

static void
test_hash_known_value(void **state)
{
	char h[65];

	/* sha256("v1\nHello world\n\nSome text here."), from Python. */
	assert_int_equal(content_hash("Hello world", "Some text here.", h), 0);
	assert_string_equal(h, "31420c2a60497c60aa02a2ba90e32c6ab2aa2608"
	    "0c3e08efb33ca30122059bb8");
	/* sha256("v1\n\n\n"): a missing title and text are "". */
	assert_int_equal(content_hash(NULL, NULL, h), 0);
	assert_string_equal(h, "d015cc6e642a0a550287345a2c2615432a8c76ea"
	    "1a1d513b206803957a7df5cb");
}

/* The folding as the rule says it, slowly: runs of white space and
 * U+00A0 become one space, and both ends are trimmed. */
static size_t
ref_fold(const char *s, char *out)
{
	size_t n = 0;
	bool space = false;

	while (*s != '\0') {
		size_t w = strchr(" \t\n\r\f\v", *s) != NULL ? 1 :
		    (s[0] == '\xc2' && s[1] == '\xa0') ? 2 : 0;

		if (w > 0) {
			space = n > 0;
			s += w;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = *s++;
	}
	out[n] = '\0';
	return n;
}

/* Random texts of spaces, U+00A0, other C2 characters and letters hash
 * as their folding by the rule does.  Texts run to a few hundred bytes,
 * with words of eight and more, so that the eight-byte steps of the
 * folding meet every piece at every offset ("! " is what the word test
 * can mistake for two spaces). */
static void
test_hash_fold_reference(void **state)
{
	static const char *const pieces[] = {
		"a", "bc", " ", "\t", "\n\r", "\f\v", "\xc2\xa0", "\xc2\xa2",
		"\xc3\xa9", "\xc2\xa0\xc2\xa0", "  ", "abcdefgh", "ij kl mn",
		"! ", "q!", "\x01",
	};
	char title[1024], text[1024], want_in[2100], got[65], want[65];
	unsigned char digest[32];
	unsigned seed = 7;
	size_t round, k, n;

	(void)state;
	for (round = 0; round < 2000; round++) {
		char *parts[2] = { title, text };

		for (k = 0; k < 2; k++) {
			size_t len = 0, count;

			seed = seed * 1103515245u + 12345u;
			count = (seed >> 16) % (k == 0 ? 12 : 100);
			parts[k][0] = '\0';
			while (count-- > 0) {
				const char *piece;

				seed = seed * 1103515245u + 12345u;
				piece = pieces[(seed >> 16) % (sizeof(pieces) /
				    sizeof(pieces[0]))];
				memcpy(parts[k] + len, piece, strlen(piece) + 1);
				len += strlen(piece);
			}
		}
		n = (size_t)snprintf(want_in, sizeof(want_in), "v1\n");
		n += ref_fold(title, want_in + n);
		n += (size_t)snprintf(want_in + n, sizeof(want_in) - n,
		    "\n\n");
		n += ref_fold(text, want_in + n);
		assert_int_equal(sha256(want_in, n, digest), 0);
		for (k = 0; k < 32; k++)
			snprintf(want + 2 * k, 3, "%02x", digest[k]);
		assert_int_equal(content_hash(title, text, got), 0);
		if (strcmp(got, want) != 0)
			fail_msg("title \"%s\" text \"%s\": folded as "
			    "\"%s\"", title, text, want_in);
	}
}

static void
test_hash_folds_space(void **state)
{
	char a[65], b[65], c[65];

	assert_int_equal(content_hash("Hello world", "Some text here.", a), 0);
	assert_int_equal(content_hash("  Hello\n\tworld ",
	    "Some\xc2\xa0 text\n\nhere.  ", b), 0);
	assert_string_equal(a, b);
	/* A different word is a different article. */
	assert_int_equal(content_hash("Hello world", "Some text there.", c),
	    0);
	assert_string_not_equal(a, c);
	/* Moving text from the title to the body changes the hash. */
	assert_int_equal(content_hash("Hello", "world Some text here.", c), 0);
	assert_string_not_equal(a, c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_grow),
		cmocka_unit_test(test_categories_unique),
		cmocka_unit_test(test_enclosures_merge),
		cmocka_unit_test(test_warnings_capped),
		cmocka_unit_test(test_warnings_inserted),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_buf_cap_and_escape),
		cmocka_unit_test(test_hash_known_value),
		cmocka_unit_test(test_hash_folds_space),
		cmocka_unit_test(test_hash_fold_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
