/*
 * fuzz-feed.c - feed_parse() of feeds/parse.h, whole and in chunks.
 *
 * Input: two option bytes, then the document.
 *   byte 0: the chunk size for the second run, 1 + byte % 64;
 *   byte 1: bits 0-2 pick the HTTP charset (charsets[]), bits 3-5 the
 *           base URL (bases[]).
 * The document is parsed once whole (chunk_size 0) and once in chunks,
 * the second time with an on_item hook that takes each item as it is read,
 * and both runs must give the same result, as the fixture tests require
 * for chunks of 1, 7 and 4096 (libxml2's fuzz/xml.c does the same): the
 * same return code, the same JSON of the document and of every item
 * (writer_json, JSON_COMPACT), the same warnings.  Also: the
 * return code is one feed_parse() documents, a failure has an error line,
 * the error line and each warning are one line (they go to the log), the
 * warnings stay within FEED_MAX_WARNINGS, every string of the document
 * (warnings too) is valid UTF-8 and every content hash is 64 hex digits.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "parse.h"
#include "writer_json.h"

static const char *const charsets[] = {
	NULL, "utf-8", "iso-8859-1", "windows-1252", "koi8-r", "shift_jis",
	"utf-16le", "x-no-such-charset",
};

/* The --base of the fixtures in tests/parse, then odd ones. */
static const char *const bases[] = {
	NULL,
	"http://example.org/feeds/rss.xml",
	"https://old.example.net/feed.json",
	"https://safe.example.org/feed.rss",
	"https://EXAMPLE.com:443/a/b/?utm_source=x&k=v#frag",
	"http://[::1]:8080/x/y;p?q",
	"javascript:alert(1)//",
	"not a URL",
};

/* One run's result as text: what must not depend on the chunk size. */
struct result {
	char *s;
	size_t len, cap;
};

static void
put(struct result *res, const char *s)
{
	size_t n = strlen(s);
	char *p;

	if (res->len + n + 1 > res->cap) {
		res->cap = (res->len + n + 1) * 2;
		p = realloc(res->s, res->cap);
		FUZZ_CHECK(p != NULL, "out of memory");
		res->s = p;
	}
	memcpy(res->s + res->len, s, n + 1);
	res->len += n;
}

/*
 * Appends the line the writer put in json (r is its result) and checks
 * that jansson reads it back: what we write by hand must be JSON.
 */
static void
put_json(struct result *res, struct buf *json, int r)
{
	json_error_t jerr;
	json_t *back;

	FUZZ_CHECK(r == 0, "writer_json: %d", r);
	back = json_loadb(json->p, json->len, 0, &jerr);
	FUZZ_CHECK(back != NULL, "writer_json wrote invalid JSON (%s): %s",
	    jerr.text, json->p);
	json_decref(back);
	put(res, json->p);
	put(res, "\n");
	buf_clear(json);
}

static void
check_str(const char *what, const char *s)
{
	if (s != NULL)
		FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)s,
		    strlen(s)), "%s is not UTF-8: \"%s\"", what, s);
}

static void
check_item(const struct feed_item *it)
{
	size_t i;

	check_str("item id", it->id);
	check_str("item url", it->url);
	check_str("item title", it->title);
	check_str("item author", it->author);
	check_str("summary_html", it->summary_html);
	check_str("content_html", it->content_html);
	check_str("content_text", it->content_text);
	for (i = 0; i < it->ncategories; i++)
		check_str("category", it->categories[i]);
	for (i = 0; i < it->nenclosures; i++) {
		check_str("enclosure url", it->enclosures[i].url);
		check_str("enclosure type", it->enclosures[i].type);
	}
	FUZZ_CHECK(strlen(it->content_hash) == 64 &&
	    strspn(it->content_hash, "0123456789abcdef") == 64,
	    "content_hash \"%s\"", it->content_hash);
}

/* The on_item hook: the item's JSON, kept aside in a result. */
static int
take_item(void *arg, const struct feed_doc *d, const struct feed_item *it)
{
	struct buf json;

	FUZZ_CHECK(d->nitems == 1 && it == &d->items[0],
	    "the hook's item is not the document's only one");
	check_item(it);
	buf_init(&json, SIZE_MAX);
	put_json(arg, &json, writer_json_item(&json, it));
	buf_free(&json);
	return 0;
}

/*
 * Parses doc[0..len) and writes what came out into *res; with hand_over,
 * items go through the on_item hook, and are written after the feed as
 * if the document had kept them.
 */
static void
run(const char *doc, size_t len, struct feed_parse_opts *opts,
    bool hand_over, struct result *res)
{
	struct result taken = { 0 };
	struct feed_doc *d = NULL;
	struct buf json;
	char err[FEED_ERROR_LEN], line[64];
	size_t i;
	int r;

	opts->on_item = hand_over ? take_item : NULL;
	opts->on_item_arg = &taken;
	memset(err, 'X', sizeof(err));
	r = feed_parse(doc, len, opts, &d, err, sizeof(err));
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL, "error line not "
	    "terminated");
	snprintf(line, sizeof(line), "return %d\n", r);
	put(res, line);
	if (r != 0) {
		FUZZ_CHECK(r == FEED_ENOTFEED || r == FEED_ETOOBIG ||
		    r == -ENOMEM, "feed_parse = %d", r);
		FUZZ_CHECK(err[0] != '\0' && strpbrk(err, "\n\r") == NULL,
		    "feed_parse = %d with error line \"%s\"", r, err);
		FUZZ_CHECK(d == NULL, "feed_parse = %d stored a document", r);
		/*
		 * The error line is not compared: it may quote libxml2's
		 * first error, and libxml2 2.9.14's push parser words some
		 * errors differently when fed byte by byte ("<!-->-->" is
		 * "Comment not terminated" in 1-byte chunks, "Extra
		 * content at the end of the document" whole).
		 */
		free(taken.s);
		return;
	}
	FUZZ_CHECK(d != NULL, "feed_parse = 0 without a document");

	check_str("feed title", d->title);
	check_str("feed link", d->link);
	check_str("feed id", d->id);
	buf_init(&json, SIZE_MAX);
	put_json(res, &json, writer_json_feed(&json, d));
	if (taken.s != NULL)
		put(res, taken.s);
	free(taken.s);
	for (i = 0; i < d->nitems; i++) {
		check_item(&d->items[i]);
		put_json(res, &json, writer_json_item(&json, &d->items[i]));
	}
	buf_free(&json);
	FUZZ_CHECK(d->nwarnings <= FEED_MAX_WARNINGS, "%zu warnings",
	    d->nwarnings);
	for (i = 0; i < d->nwarnings; i++) {
		FUZZ_CHECK(d->warnings[i] != NULL &&
		    strpbrk(d->warnings[i], "\n\r") == NULL,
		    "warning %zu is not one line: \"%s\"", i,
		    d->warnings[i] != NULL ? d->warnings[i] : "(null)");
		check_str("warning", d->warnings[i]);
		put(res, "warning: ");
		put(res, d->warnings[i]);
		put(res, "\n");
	}
	feed_doc_free(d);
}

/* Aborts with the first differing line of the two results. */
static void
compare(const struct result *whole, const struct result *chunked,
    size_t chunk)
{
	const char *a = whole->s, *b = chunked->s, *la, *lb;
	size_t i;

	if (strcmp(a, b) == 0)
		return;
	for (i = 0; a[i] == b[i]; i++)
		;
	for (la = a + i; la > a && la[-1] != '\n'; la--)
		;
	lb = b + (la - a);
	fprintf(stderr, "whole and %zu-byte chunks differ at byte %zu:\n"
	    "  whole:   %.*s\n  chunked: %.*s\n", chunk, i,
	    (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
	FUZZ_FAIL("the result depends on the chunk size");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result whole = { 0 }, chunked = { 0 };
	struct feed_parse_opts opts = { 0 };
	const char *doc;
	size_t len;

	if (size < 2 || size > FUZZ_MAX_LEN)
		return 0;
	opts.http_charset = charsets[data[1] & 7];
	opts.base_url = bases[(data[1] >> 3) & 7];
	doc = (const char *)data + 2;
	len = size - 2;

	opts.chunk_size = 0;
	run(doc, len, &opts, false, &whole);
	opts.chunk_size = 1 + data[0] % 64;
	run(doc, len, &opts, true, &chunked);
	compare(&whole, &chunked, opts.chunk_size);

	free(whole.s);
	free(chunked.s);
	return 0;
}
