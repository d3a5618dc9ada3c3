/*
 * fuzz-opml.c - opml_parse() and the import helpers of feeds/opml.h.
 *
 * The input is the document.  Properties:
 *  - opml_parse() returns 0, -EBADMSG, -EFBIG, -ELOOP or -ENOMEM; a
 *    failure has an error that is one non-empty line (see one_line() for
 *    what else it may hold) and leaves *ret_doc alone;
 *  - a document has at most OPML_MAX_OUTLINES outlines, each with an
 *    xmlUrl; every string is valid UTF-8; the title of the document and
 *    of each outline, and each category, is NULL or what
 *    opml_clean_text() leaves unchanged: one line, not empty, without
 *    control characters (C0, DEL, C1) or white space at its ends;
 *  - an xmlUrl that opml_url_is_web() accepts is http(s) without white
 *    space or control characters, and opml_url_key() gives it a key in
 *    lower-case "http://" or "https://" that is its own key; one it
 *    refuses is what the import reports and skips;
 *  - the feed names an import makes, opml_slug() of the title (cut to 64
 *    bytes, and to shorter sizes too) and opml_url_host_slug() of the
 *    URL, are 0 to size - 1 bytes of a-z 0-9 . _ - that neither start
 *    nor end with . _ -, the shorter a prefix of the longer; a name of
 *    1 to 64 bytes is one config/ accepts ([feed.NAME]);
 *  - what an import writes into a [feed.NAME] is what config/ accepts
 *    there: a URL opml_url_is_web() takes passes cfg_check_http_url(),
 *    with the same key in opml_url_key() and cfg_url_key() (or the two
 *    would tell duplicates apart differently), titles and categories
 *    pass cfg_check_text(), names cfg_valid_feed_name();
 *  - opml_doc_clear() frees everything (ASan's leak check).
 * The API offers no INI rendering, so no INI text is loaded back through
 * cfg_load(): config/'s value checks are called directly instead.
 * Making names unique is the import's business, not the API's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "internal.h"	/* config/'s value checks */
#include "opml.h"

#define NAME_SIZE	65	/* what config/ takes: 64 bytes and a NUL */

static const size_t short_sizes[] = { 1, 2, 5, 17 };

#define NSHORT (sizeof(short_sizes) / sizeof(short_sizes[0]))

static bool
utf8(const char *s)
{
	return fuzz_utf8_valid((const unsigned char *)s, strlen(s));
}

/* UTF-8 without C0, DEL or C1 (U+0080 to U+009F). */
static bool
no_controls(const char *s)
{
	const unsigned char *p;

	if (!utf8(s))
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			return false;
	}
	return true;
}

/*
 * No C0 control characters but tab.  libxml2 2.9.14 quotes the
 * document in its messages as it read it: tab, DEL and C1 controls from
 * attribute values ("xmlns: '\x7f' is not a valid URI"), bytes that are
 * not UTF-8 from tag names ("Opening and ending tag mismatch:
 * out\xc3\xc3line"), and opml_parse() passes them on (reported); the
 * other C0 controls cannot be in an XML document.
 */
static bool
one_line(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 && *p != '\t')
			return false;
	return true;
}

/* NULL, or one clean line that opml_clean_text() does not change. */
static void
check_text(const char *what, const char *s)
{
	const char *why;
	char *copy;
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	FUZZ_CHECK(n > 0 && no_controls(s) && s[0] != ' ' &&
	    s[n - 1] != ' ', "%s \"%s\" is not one clean line", what, s);
	copy = strdup(s);
	FUZZ_CHECK(copy != NULL, "out of memory");
	FUZZ_CHECK(strcmp(opml_clean_text(copy), s) == 0, "%s \"%s\": "
	    "opml_clean_text() makes it \"%s\"", what, s, copy);
	free(copy);
	why = cfg_check_text(s);
	FUZZ_CHECK(why == NULL, "%s \"%s\": config/ says it %s", what, s,
	    why);
}

/* What opml_slug() promises of a name of len bytes in a buffer of size. */
static void
check_name(const char *what, const char *from, const char *name, size_t len,
    size_t size)
{
	FUZZ_CHECK(len < size && strlen(name) == len, "%s(\"%s\", %zu) = %zu "
	    "for \"%s\"", what, from, size, len, name);
	if (len == 0)
		return;
	FUZZ_CHECK(strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") ==
	    len, "%s(\"%s\") = \"%s\": not a-z 0-9 . _ -", what, from, name);
	FUZZ_CHECK(strchr("._-", name[0]) == NULL &&
	    strchr("._-", name[len - 1]) == NULL, "%s(\"%s\") = \"%s\" "
	    "starts or ends with . _ -", what, from, name);
	FUZZ_CHECK(len <= CFG_MAX_FEED_NAME && cfg_valid_feed_name(name),
	    "%s(\"%s\") = \"%s\", which config/ refuses as a feed name",
	    what, from, name);
}

static void
check_slug(const char *text)
{
	char name[NAME_SIZE], small[NAME_SIZE];
	size_t len, n, i;

	len = opml_slug(text, name, sizeof(name));
	check_name("opml_slug", text, name, len, sizeof(name));
	for (i = 0; i < NSHORT; i++) {
		memset(small, 'X', sizeof(small));
		n = opml_slug(text, small, short_sizes[i]);
		check_name("opml_slug", text, small, n, short_sizes[i]);
		FUZZ_CHECK(n <= len && strncmp(small, name, n) == 0,
		    "opml_slug(\"%s\"): \"%s\" cut to %zu bytes is \"%s\"",
		    text, name, short_sizes[i], small);
		FUZZ_CHECK(short_sizes[i] == sizeof(small) ||
		    small[short_sizes[i]] == 'X', "opml_slug(\"%s\", %zu) "
		    "wrote past the buffer", text, short_sizes[i]);
	}
}

static void
check_url(const char *url)
{
	char name[NAME_SIZE], *key = NULL, *key2 = NULL, *cfg_key = NULL;
	const unsigned char *p;
	const char *why;
	size_t len;
	int r;

	FUZZ_CHECK(utf8(url), "xmlUrl \"%s\" is not UTF-8", url);
	if (!opml_url_is_web(url))
		return;		/* the import reports it and goes on */
	FUZZ_CHECK(strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0, "opml_url_is_web(\"%s\") "
	    "for another scheme", url);
	for (p = (const unsigned char *)url; *p != '\0'; p++)
		FUZZ_CHECK(*p > 0x20 && *p != 0x7f, "opml_url_is_web(\"%s\") "
		    "with white space or a control character", url);

	why = cfg_check_http_url(url);
	FUZZ_CHECK(why == NULL, "opml_url_is_web(\"%s\"), but config/ says "
	    "it %s", url, why);

	r = opml_url_key(url, &key);
	FUZZ_CHECK(r == 0 || r == -ENOMEM, "opml_url_key(\"%s\") = %d", url,
	    r);
	if (r == 0 && cfg_url_key(url, &cfg_key) == 0) {
		FUZZ_CHECK(strcmp(key, cfg_key) == 0, "\"%s\": opml_url_key "
		    "\"%s\", cfg_url_key \"%s\"", url, key, cfg_key);
		free(cfg_key);
	}
	if (r == 0) {
		FUZZ_CHECK(key != NULL && (strncmp(key, "http://", 7) == 0 ||
		    strncmp(key, "https://", 8) == 0), "opml_url_key(\"%s\") "
		    "= \"%s\"", url, key != NULL ? key : "(null)");
		if (opml_url_is_web(key)) {
			r = opml_url_key(key, &key2);
			FUZZ_CHECK(r != 0 || strcmp(key, key2) == 0,
			    "opml_url_key(\"%s\") = \"%s\", whose key is "
			    "\"%s\"", url, key, key2);
			free(key2);
		}
		free(key);
	}

	len = opml_url_host_slug(url, name, sizeof(name));
	check_name("opml_url_host_slug", url, name, len, sizeof(name));
}

static void
check_doc(const struct opml_doc *doc)
{
	const struct opml_outline *o;
	size_t i;

	FUZZ_CHECK(doc->count <= OPML_MAX_OUTLINES, "%zu outlines",
	    doc->count);
	FUZZ_CHECK(doc->count == 0 || doc->v != NULL, "%zu outlines without "
	    "a list", doc->count);
	check_text("document title", doc->title);
	if (doc->version != NULL)
		FUZZ_CHECK(utf8(doc->version), "version is not UTF-8");
	if (doc->title != NULL)
		check_slug(doc->title);
	for (i = 0; i < doc->count; i++) {
		o = &doc->v[i];
		FUZZ_CHECK(o->xml_url != NULL, "outline %zu without xmlUrl",
		    i);
		FUZZ_CHECK(o->line >= 0, "outline %zu at line %d", i,
		    o->line);
		if (o->html_url != NULL)
			FUZZ_CHECK(utf8(o->html_url), "htmlUrl \"%s\" is not "
			    "UTF-8", o->html_url);
		check_text("title", o->title);
		check_text("category", o->category);
		check_url(o->xml_url);
		if (o->title != NULL)
			check_slug(o->title);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct opml_doc untouched;
	struct opml_doc doc;
	char err[OPML_ERROR_LEN];
	int r;

	if (size > FUZZ_MAX_LEN)
		return 0;
	memset(&untouched, 0x5a, sizeof(untouched));
	memcpy(&doc, &untouched, sizeof(doc));
	memset(err, 'X', sizeof(err));
	r = opml_parse((const char *)data, size, &doc, err, sizeof(err));
	if (r != 0) {
		FUZZ_CHECK(r == -EBADMSG || r == -EFBIG || r == -ELOOP ||
		    r == -ENOMEM, "opml_parse = %d", r);
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
		    "opml_parse = %d: error not terminated", r);
		FUZZ_CHECK(err[0] != '\0' && one_line(err), "opml_parse = "
		    "%d with error \"%s\"", r, err);
		FUZZ_CHECK(memcmp(&doc, &untouched, sizeof(doc)) == 0,
		    "opml_parse = %d wrote the document", r);
		return 0;
	}
	check_doc(&doc);
	opml_doc_clear(&doc);
	FUZZ_CHECK(doc.v == NULL && doc.count == 0 && doc.title == NULL &&
	    doc.version == NULL, "opml_doc_clear() left the document set");
	opml_doc_clear(NULL);
	return 0;
}
