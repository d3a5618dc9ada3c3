/*
 * test-opml.c - feeds/opml.c: what opml_parse() reads from each shape of
 * OPML that readers write, what it refuses (not XML, not OPML, entities,
 * nesting, size), and the helpers an import builds names and URL checks
 * from.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libxml/parser.h>

#include "opml.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<opml version=\"2.0\"><head><title>T</title></head><body>\n"
#define TAIL "</body></opml>\n"

/* One expected outline; NULL strings must be NULL. */
struct want_outline {
	const char *url;
	const char *title;
	const char *category;
	int line;		/* 0: not checked */
};

struct parse_case {
	const char *name;
	const char *doc;
	int ret;
	size_t count;
	struct want_outline v[6];
};

static const struct parse_case parse_cases[] = {
	{ "empty body", HEAD TAIL, 0, 0, { { 0 } } },
	{ "nested folders join with a slash", HEAD
	    "<outline text=\"Tech\" title=\"ignored\">\n"
	    " <outline text=\"Linux\">\n"
	    "  <outline type=\"rss\" text=\"LWN\" xmlUrl=\"https://lwn.net/"
	    "headlines/rss\"/>\n"
	    " </outline>\n"
	    " <outline type=\"rss\" text=\"Ars\" xmlUrl=\"https://ars.example"
	    "/f\"/>\n"
	    "</outline>\n"
	    "<outline type=\"rss\" text=\"Top\" xmlUrl=\"https://top.example/"
	    "\"/>\n" TAIL, 0, 3, {
		{ "https://lwn.net/headlines/rss", "LWN", "Tech/Linux", 5 },
		{ "https://ars.example/f", "Ars", "Tech", 7 },
		{ "https://top.example/", "Top", NULL, 9 },
	} },
	{ "text wins over title, title when text is empty", HEAD
	    "<outline text=\"Shown\" title=\"Other\" xmlUrl=\"http://a.example/"
	    "\"/>"
	    "<outline text=\" \" title=\"Only title\" xmlUrl=\"http://b.example"
	    "/\"/>"
	    "<outline xmlUrl=\"http://c.example/\"/>" TAIL, 0, 3, {
		{ "http://a.example/", "Shown", NULL, 0 },
		{ "http://b.example/", "Only title", NULL, 0 },
		{ "http://c.example/", NULL, NULL, 0 },
	} },
	{ "attribute names in any case", HEAD
	    "<outline TEXT=\"Old\" xmlurl=\"http://old.example/rss\" "
	    "HTMLURL=\"http://old.example/\"/>" TAIL, 0, 1, {
		{ "http://old.example/rss", "Old", NULL, 0 },
	} },
	{ "white space, controls and entities cleaned", HEAD
	    "<outline text=\" Tom &amp; &#9;Jerry\n &lt;3&#x85; &#xe9;t&#233;"
	    "&#x7f; \" xmlUrl=\"  https://t.example/&amp;x \"/>" TAIL, 0, 1, {
		{ "https://t.example/&x", "Tom & Jerry <3 \xc3\xa9t\xc3\xa9",
		    NULL, 0 },
	} },
	{ "unnamed folders add nothing, empty ones nothing either", HEAD
	    "<outline><outline text=\"In\">"
	    "<outline text=\"F\" xmlUrl=\"http://f.example/\"/>"
	    "</outline></outline><outline text=\"Empty\"/>"
	    "<outline text=\"a link\" type=\"link\" url=\"http://x.example/\"/>"
	    TAIL, 0, 1, {
		{ "http://f.example/", "F", "In", 0 },
	} },
	{ "outlines inside a feed are its siblings", HEAD
	    "<outline text=\"Dir\"><outline text=\"P\" xmlUrl=\"http://p."
	    "example/\"><outline text=\"C\" xmlUrl=\"http://c.example/\"/>"
	    "</outline></outline>" TAIL, 0, 2, {
		{ "http://p.example/", "P", "Dir", 0 },
		{ "http://c.example/", "C", "Dir", 0 },
	} },
	{ "empty and non-http xmlUrl are the caller's to skip", HEAD
	    "<outline text=\"E\" xmlUrl=\"\"/>"
	    "<outline text=\"G\" xmlUrl=\"gopher://g.example/\"/>" TAIL, 0, 2, {
		{ "", "E", NULL, 0 },
		{ "gopher://g.example/", "G", NULL, 0 },
	} },
	{ "a DOCTYPE without entities is fine",
	    "<?xml version=\"1.0\"?><!DOCTYPE opml><opml version=\"1.0\">"
	    "<head/><body><outline text=\"D\" xmlUrl=\"http://d.example/\"/>"
	    "</body></opml>", 0, 1, {
		{ "http://d.example/", "D", NULL, 0 },
	} },
	{ "ISO-8859-1 becomes UTF-8",
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml version="
	    "\"1.0\"><body><outline text=\"Caf\xe9\" xmlUrl=\"http://c.example"
	    "/\"/></body></opml>", 0, 1, {
		{ "http://c.example/", "Caf\xc3\xa9", NULL, 0 },
	} },
	{ "not well-formed", HEAD "<outline text=\"x\">" TAIL, -EBADMSG, 0,
	    { { 0 } } },
	{ "not XML", "this is not xml", -EBADMSG, 0, { { 0 } } },
	{ "empty input", "", -EBADMSG, 0, { { 0 } } },
	{ "not OPML", "<rss version=\"2.0\"><channel/></rss>", -EBADMSG, 0,
	    { { 0 } } },
	{ "OPML without a body", "<opml version=\"2.0\"><head/></opml>",
	    -EBADMSG, 0, { { 0 } } },
	{ "internal entities (billion laughs)",
	    "<!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
	    "<opml><body><outline text=\"&d;\" xmlUrl=\"http://x.example/\"/>"
	    "</body></opml>", -EBADMSG, 0, { { 0 } } },
	{ "external entity (XXE)",
	    "<!DOCTYPE opml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<opml><body><outline text=\"&x;\" xmlUrl=\"http://x.example/\"/>"
	    "</body></opml>", -EBADMSG, 0, { { 0 } } },
	/* Not loaded (port 9 is discard: a fetch would hang or fail), so
	 * the entity stays unknown and expands to nothing. */
	{ "external DTD is not loaded",
	    "<!DOCTYPE opml SYSTEM \"http://127.0.0.1:9/opml.dtd\">"
	    "<opml><body><outline text=\"&x;\" xmlUrl=\"http://x.example/\"/>"
	    "</body></opml>", 0, 1, {
		{ "http://x.example/", NULL, NULL, 0 },
	} },
};

static void
check_str(const char *what, size_t i, size_t j, const char *got,
    const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("case %zu outline %zu: %s is \"%s\", want \"%s\"", i, j,
		    what, got ? got : "(null)", want ? want : "(null)");
}

static void
test_parse_cases(void **state)
{
	const struct opml_outline *o;
	struct opml_doc doc;
	char err[OPML_ERROR_LEN];
	size_t i, j;
	int r;

	for (i = 0; i < NELEM(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];

		memset(&doc, 0x5a, sizeof(doc));
		err[0] = '\0';
		r = opml_parse(c->doc, strlen(c->doc), &doc, err, sizeof(err));
		if (r != c->ret)
			fail_msg("case %zu (%s): %d, want %d (%s)", i, c->name, r,
			    c->ret, err);
		if (r < 0) {
			/* One line that says something; doc untouched. */
			if (err[0] == '\0' || strchr(err, '\n') != NULL)
				fail_msg("case %zu (%s): error \"%s\"", i,
				    c->name, err);
			assert_int_equal(((unsigned char *)&doc)[0], 0x5a);
			continue;
		}
		if (doc.count != c->count)
			fail_msg("case %zu (%s): %zu outlines, want %zu", i,
			    c->name, doc.count, c->count);
		for (j = 0; j < doc.count; j++) {
			o = &doc.v[j];
			check_str("url", i, j, o->xml_url, c->v[j].url);
			check_str("title", i, j, o->title, c->v[j].title);
			check_str("category", i, j, o->category,
			    c->v[j].category);
			if (c->v[j].line != 0)
				assert_int_equal(o->line, c->v[j].line);
		}
		opml_doc_clear(&doc);
		assert_null(doc.v);
		assert_int_equal(doc.count, 0);
	}
}

static void
test_head(void **state)
{
	static const char d[] = "<opml version=\"1.1\"><head><title>\n  My "
	    "&amp; your\tfeeds </title></head><body/></opml>";
	struct opml_doc doc = { 0 };
	char err[OPML_ERROR_LEN];

	assert_int_equal(opml_parse(d, strlen(d), &doc, err, sizeof(err)), 0);
	assert_string_equal(doc.title, "My & your feeds");
	assert_string_equal(doc.version, "1.1");
	opml_doc_clear(&doc);
	opml_doc_clear(NULL);
}

/* A document of n nested folders around one feed. */
static char *
nested(int n)
{
	size_t cap = (size_t)n * 40 + 200, o = 0;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	o += (size_t)snprintf(s + o, cap - o, "<opml><body>");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(s + o, cap - o, "<outline text=\"f%d\">",
		    i);
	o += (size_t)snprintf(s + o, cap - o,
	    "<outline text=\"x\" xmlUrl=\"http://x.example/\"/>");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(s + o, cap - o, "</outline>");
	snprintf(s + o, cap - o, "</body></opml>");
	return s;
}

static void
test_depth(void **state)
{
	struct opml_doc doc = { 0 };
	char err[OPML_ERROR_LEN];
	char *s;

	s = nested(OPML_MAX_DEPTH);
	assert_int_equal(opml_parse(s, strlen(s), &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.count, 1);
	assert_non_null(strstr(doc.v[0].category, "f0/f1/f2/"));
	opml_doc_clear(&doc);
	free(s);

	s = nested(OPML_MAX_DEPTH + 1);
	assert_int_equal(opml_parse(s, strlen(s), &doc, err, sizeof(err)),
	    -ELOOP);
	assert_non_null(strstr(err, "nested"));
	free(s);

	/* Deeper than libxml2's own limit: its error, not a crash. */
	s = nested(100000);
	assert_int_equal(opml_parse(s, strlen(s), &doc, err, sizeof(err)),
	    -EBADMSG);
	free(s);
}

static void
test_size(void **state)
{
	struct opml_doc doc = { 0 };
	char err[OPML_ERROR_LEN];
	char *s;

	s = calloc(1, (size_t)OPML_MAX_SIZE + 1);
	assert_non_null(s);
	assert_int_equal(opml_parse(s, (size_t)OPML_MAX_SIZE + 1, &doc, err,
	    sizeof(err)), -EFBIG);
	free(s);
}

struct slug_case {
	const char *in;
	size_t size;		/* 0: 65, as for a feed name */
	const char *want;
};

static const struct slug_case slug_cases[] = {
	{ "LWN.net", 0, "lwn.net" },
	{ "  --Hello, World!--  ", 0, "hello-world" },
	{ "v1.2_beta", 0, "v1.2_beta" },
	{ "a - b", 0, "a-b" },
	{ "Mr. Smith", 0, "mr-smith" },
	{ "Bob's Blog\xe2\x80\x99s", 0, "bobs-blogs" },
	{ "...x...", 0, "x" },
	{ "Caf\xc3\xa9", 0, "cafe" },
	{ "Stra\xc3\x9f" "e & \xc5\x81\xc3\xb3" "d\xc5\xba", 0, "strasse-lodz" },
	{ "\xc3\x86\xc3\x98\xc3\x85 \xc5\x92uvre", 0, "aeoa-oeuvre" },
	{ "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac "
	    "\xce\xbd\xce\xad\xce\xb1", 0, "ellinika-nea" },
	{ "\xd0\x9d\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8", 0,
	    "novosti" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, "" },
	{ "NHK \xe3\x83\xaf\xe3\x83\xbc\xe3\x83\xab\xe3\x83\x89 2", 0,
	    "nhk-2" },
	{ "Emoji \xf0\x9f\x8e\x89 news", 0, "emoji-news" },
	{ "", 0, "" },
	{ "!!!", 0, "" },
	{ "abc def", 5, "abc" },	/* never ends in a separator */
	{ "abc def", 6, "abc-d" },
	{ "Stra\xc3\x9f" "e", 6, "stras" },
	{ "x", 1, "" },
	/* 70 letters: cut to 64. */
	{ "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff"
	    "gggggggggg", 0,
	    "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffgggg" },
	{ "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffggg "
	    "h", 0,
	    "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffggg" },
};

static void
test_slug(void **state)
{
	char buf[65];
	size_t i, n, size;

	for (i = 0; i < NELEM(slug_cases); i++) {
		size = slug_cases[i].size != 0 ? slug_cases[i].size :
		    sizeof(buf);
		memset(buf, 'Z', sizeof(buf));
		n = opml_slug(slug_cases[i].in, buf, size);
		if (strcmp(buf, slug_cases[i].want) != 0 ||
		    n != strlen(slug_cases[i].want))
			fail_msg("slug case %zu: \"%s\" (%zu), want \"%s\"", i,
			    buf, n, slug_cases[i].want);
	}
	/* size 0 writes nothing. */
	buf[0] = 'Z';
	assert_int_equal(opml_slug("abc", buf, 0), 0);
	assert_int_equal(buf[0], 'Z');
}

static void
test_clean_text(void **state)
{
	char a[] = "  a \t\n b  ", b[] = "\xc2\x85x\x01y\x7f", c[] = " \t ";

	assert_string_equal(opml_clean_text(a), "a b");
	assert_string_equal(opml_clean_text(b), "xy");
	assert_string_equal(opml_clean_text(c), "");
}

static void
test_url_is_web(void **state)
{
	static const struct {
		const char *url;
		bool ok;
	} cases[] = {
		{ "http://example.com/feed", true },
		{ "https://example.com", true },
		{ "HTTPS://Example.COM:8443/a?b=c#d", true },
		{ "http://user:pw@example.com/", true },
		{ "http://[2001:db8::1]:8080/feed", true },
		{ "ftp://example.com/feed", false },
		{ "feed://example.com/feed", false },
		{ "javascript:alert(1)", false },
		{ "//example.com/feed", false },
		{ "/feed.xml", false },
		{ "https://", false },
		{ "https:///path", false },
		{ "http://user@/path", false },
		{ "http://example.com:/", false },
		{ "http://[::1/", false },
		{ "http://[]/", false },
		{ "https://exa mple.com/", false },
		{ "https://example.com/\tx", false },
		{ "https://example.com:0/", false },
		{ "https://example.com:99999/", false },
		{ "", false },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		if (opml_url_is_web(cases[i].url) != cases[i].ok)
			fail_msg("\"%s\": %d, want %d", cases[i].url,
			    !cases[i].ok, cases[i].ok);
}

static void
test_url_key(void **state)
{
	static const struct {
		const char *url, *want;
	} cases[] = {
		{ "HTTPS://Example.COM:443/a#b", "https://example.com/a" },
		{ "http://example.com", "http://example.com/" },
		{ "http://example.com:80", "http://example.com/" },
		{ "http://example.com:443/", "http://example.com:443/" },
		{ "https://example.com:80/", "https://example.com:80/" },
		{ "http://example.com:8080?x", "http://example.com:8080/?x" },
		{ "http://User@Example.com/P", "http://User@example.com/P" },
		{ "http://[::1]:80/x", "http://[::1]/x" },
		{ "https://example.com/a?b#", "https://example.com/a?b" },
	};
	char *key;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		assert_int_equal(opml_url_key(cases[i].url, &key), 0);
		if (strcmp(key, cases[i].want) != 0)
			fail_msg("\"%s\": \"%s\", want \"%s\"", cases[i].url,
			    key, cases[i].want);
		free(key);
	}
}

static void
test_host_slug(void **state)
{
	char buf[65];

	assert_int_equal(opml_url_host_slug("https://www.Example.com/x", buf,
	    sizeof(buf)), 11);
	assert_string_equal(buf, "example.com");
	opml_url_host_slug("https://www3.nhk.or.jp/rss", buf, sizeof(buf));
	assert_string_equal(buf, "www3.nhk.or.jp");
	opml_url_host_slug("http://[2001:db8::1]:8080/feed", buf, sizeof(buf));
	assert_string_equal(buf, "2001-db8-1");
	assert_int_equal(opml_url_host_slug("not a url", buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_clean_text),
		cmocka_unit_test(test_url_is_web),
		cmocka_unit_test(test_url_key),
		cmocka_unit_test(test_host_slug),
	};
	int r;

	xmlInitParser();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return r;
}
