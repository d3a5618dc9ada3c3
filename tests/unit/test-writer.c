/*
 * test-writer.c - the merged feeds (feeds/writer_*.c): escaping of hostile
 * text, characters XML cannot carry, missing fields, the caller's order,
 * and each format read back through feed_parse.
 *
 *	test-writer [atom.rng]
 *
 * With the schema (tests/writer/atom.rng), every Atom document a test
 * writes is also validated against RFC 4287's RELAX NG grammar.
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
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "date.h"
#include "feed.h"
#include "hash.h"
#include "parse.h"
#include "writer.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef int (*writer_fn)(const struct writer_meta *,
    const struct writer_entry *, size_t, char **, size_t *);

enum fmt { ATOM, RSS, JSONFEED };

static const struct {
	const char *name;
	writer_fn fn;
} formats[] = {
	[ATOM] = { "atom", writer_atom },
	[RSS] = { "rss", writer_rss },
	[JSONFEED] = { "jsonfeed", writer_jsonfeed },
};

static xmlRelaxNGPtr atom_schema;

static const struct writer_meta meta = {
	.title = "Merged",
	.self_url = "https://example.net/merged.atom",
	.id = "urn:example:merged",
	.updated = 1714557600,	/* 2024-05-01T10:00:00Z */
	.generator_version = "9.9",
};

static const struct writer_source src = {
	"news", "News Feed", "https://news.example/", NULL,
	"https://news.example/feed.xml",
};

/* Out-parameters must stay untouched on failure: start them here. */
static char sentinel[] = "untouched";

/* A zeroed item with unknown times, as feed_doc_add_item makes one. */
static void
item_init(struct feed_item *it)
{
	memset(it, 0, sizeof(*it));
	it->published = it->updated = FEED_TIME_UNKNOWN;
}

static struct writer_entry
entry(const struct feed_item *it)
{
	struct writer_entry e = { it, src, 1714557000 };

	return e;
}

/* XML 1.0 section 2.2: no C0 control but tab, LF and CR, raw or not. */
static void
assert_xml_chars(const char *doc)
{
	const unsigned char *p;

	for (p = (const unsigned char *)doc; *p != '\0'; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			fail_msg("raw control 0x%02x in output", *p);
	assert_null(strstr(doc, "&#1;"));
	assert_null(strstr(doc, "&#x1;"));
}

/*
 * Writes entries in one format and checks what holds for every document:
 * the length, well-formedness (libxml2 without recovery) or valid JSON,
 * and the Atom schema.  Returns the document; the caller frees it.
 */
static char *
write_doc(enum fmt f, const struct writer_meta *m,
    const struct writer_entry *entries, size_t n)
{
	char *buf = sentinel;
	size_t len = 12345;
	int r;

	r = formats[f].fn(m, entries, n, &buf, &len);
	assert_int_equal(r, 0);
	assert_ptr_not_equal(buf, sentinel);
	assert_int_equal(strlen(buf), len);
	if (f == JSONFEED) {
		json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);

		assert_non_null(j);
		json_decref(j);
	} else {
		xmlDocPtr doc = xmlReadMemory(buf, (int)len, "out.xml", NULL,
		    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

		if (doc == NULL)
			fail_msg("%s output is not well-formed:\n%s",
			    formats[f].name, buf);
		assert_xml_chars(buf);
		if (f == ATOM && atom_schema != NULL) {
			xmlRelaxNGValidCtxtPtr vc;

			vc = xmlRelaxNGNewValidCtxt(atom_schema);
			assert_non_null(vc);
			if (xmlRelaxNGValidateDoc(vc, doc) != 0)
				fail_msg("Atom output is not valid:\n%s", buf);
			xmlRelaxNGFreeValidCtxt(vc);
		}
		xmlFreeDoc(doc);
	}
	return buf;
}

/* Writes entries in one format and reads the document back. */
static struct feed_doc *
round_trip(enum fmt f, const struct writer_meta *m,
    const struct writer_entry *entries, size_t n)
{
	struct feed_doc *doc = NULL;
	char err[FEED_ERROR_LEN] = "";
	char *buf = write_doc(f, m, entries, n);
	int r;

	r = feed_parse(buf, strlen(buf), NULL, &doc, err, sizeof(err));
	if (r != 0)
		fail_msg("%s output does not parse: %s\n%s", formats[f].name,
		    err, buf);
	assert_int_equal(doc->nitems, n);
	free(buf);
	return doc;
}

static void
test_entry_id_own(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	char *id;

	(void)state;
	item_init(&it);
	it.id = "urn:uuid:1";
	e = entry(&it);
	id = writer_entry_id(&e);
	assert_string_equal(id, "urn:uuid:1");
	free(id);
}

static void
test_entry_id_tag(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	char *a, *b, want[200];

	(void)state;
	item_init(&it);
	it.title = "t";
	it.content_text = "some text";
	assert_int_equal(content_hash(it.title, it.content_text,
	    it.content_hash), 0);
	e = entry(&it);
	a = writer_entry_id(&e);
	snprintf(want, sizeof(want), "tag:feedspool,2026:news:%s",
	    it.content_hash);
	assert_string_equal(a, want);

	/* Stable: nothing but the name and the hash goes in. */
	e.fetched_at = 1;
	b = writer_entry_id(&e);
	assert_string_equal(a, b);
	free(b);

	/* An empty id is no id. */
	it.id = "";
	b = writer_entry_id(&e);
	assert_string_equal(a, b);
	free(a);
	free(b);

	/* Odd bytes in a name are percent-encoded; no name is "unknown". */
	e.source.name = "a b/ü";
	a = writer_entry_id(&e);
	snprintf(want, sizeof(want), "tag:feedspool,2026:a%%20b%%2F%%C3%%BC:%s",
	    it.content_hash);
	assert_string_equal(a, want);
	free(a);
	e.source.name = NULL;
	a = writer_entry_id(&e);
	snprintf(want, sizeof(want), "tag:feedspool,2026:unknown:%s",
	    it.content_hash);
	assert_string_equal(a, want);
	free(a);
}

static void
test_entry_id_missing_hash(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	char hash[65], want[200], *id;

	(void)state;
	/* An item built by hand gets the hash feed_parse would give it. */
	item_init(&it);
	it.title = "Title";
	it.content_text = "Body";
	e = entry(&it);
	id = writer_entry_id(&e);
	assert_int_equal(content_hash("Title", "Body", hash), 0);
	snprintf(want, sizeof(want), "tag:feedspool,2026:news:%s", hash);
	assert_string_equal(id, want);
	free(id);
}

static void
test_entry_title(void **state)
{
	static const struct {
		const char *title, *text, *want;
	} cases[] = {
		{ "Own", "text", "Own" },
		{ NULL, "Short text.", "Short text." },
		{ "", "  Folded \n\n white\t space\xc2\xa0 ", "Folded white "
		  "space" },
		{ NULL, NULL, "(untitled)" },
		{ NULL, " \n\t ", "(untitled)" },
		/* Cut between words, and marked. */
		{ NULL, "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj "
		  "kkkk llll mmmm nnnn oooo pppp qqqq", "aaaa bbbb cccc dddd "
		  "eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo "
		  "pppp\xe2\x80\xa6" },
		/* One long word: cut at 80 characters, never inside one. */
		{ NULL, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", NULL },
	};
	struct feed_item it;
	struct writer_entry e;
	size_t i;
	char *t;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		item_init(&it);
		it.title = (char *)cases[i].title;
		it.content_text = (char *)cases[i].text;
		e = entry(&it);
		t = writer_entry_title(&e);
		assert_non_null(t);
		if (cases[i].want != NULL)
			assert_string_equal(t, cases[i].want);
		else {
			/* 80 two-byte characters and the ellipsis. */
			assert_int_equal(strlen(t), 80 * 2 + 3);
			assert_memory_equal(t + 160, "\xe2\x80\xa6", 4);
		}
		free(t);
	}
}

static void
test_entry_updated(void **state)
{
	struct feed_item it;
	struct writer_entry e;

	(void)state;
	item_init(&it);
	e = entry(&it);
	assert_int_equal(writer_entry_updated(&e), e.fetched_at);
	it.published = 100;
	assert_int_equal(writer_entry_updated(&e), 100);
	it.updated = 200;
	assert_int_equal(writer_entry_updated(&e), 200);
	e.fetched_at = FEED_TIME_UNKNOWN;
	it.updated = it.published = FEED_TIME_UNKNOWN;
	assert_int_equal(writer_entry_updated(&e), FEED_TIME_UNKNOWN);
}

/* Text that tries to end the element, the CDATA or the document. */
static const char *const hostile[] = {
	"</title><script>alert(1)</script>",
	"]]> <![CDATA[ x ]]>",
	"</content></entry></feed><feed>",
	"&amp; &lt; &#0; &unknown; & <",
	"\"quotes\" and 'apostrophes'",
	"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]>&e;",
};

static void
test_hostile_text(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	struct feed_doc *doc;
	size_t i;
	int f;
	char *out;

	(void)state;
	for (i = 0; i < NELEM(hostile); i++) {
		item_init(&it);
		it.id = (char *)hostile[i];
		it.url = "https://example.org/a?b=1&c=2";
		it.title = (char *)hostile[i];
		it.author = (char *)hostile[i];
		it.categories = (char **)&hostile[i];
		it.ncategories = 1;
		it.content_text = (char *)hostile[i];
		e = entry(&it);
		e.source.title = hostile[i];
		e.source.id = hostile[i];
		for (f = ATOM; f <= JSONFEED; f++) {
			out = write_doc(f, &meta, &e, 1);
			/* The text never became markup. */
			if (f != JSONFEED) {
				assert_null(strstr(out, "<script"));
				assert_null(strstr(out, "<![CDATA["));
				assert_null(strstr(out, "<!DOCTYPE"));
			}
			free(out);

			doc = round_trip(f, &meta, &e, 1);
			assert_string_equal(doc->items[0].id, hostile[i]);
			assert_string_equal(doc->items[0].title, hostile[i]);
			assert_string_equal(doc->items[0].author, hostile[i]);
			assert_string_equal(doc->items[0].categories[0],
			    hostile[i]);
			assert_string_equal(doc->items[0].url,
			    "https://example.org/a?b=1&c=2");
			feed_doc_free(doc);
		}
	}
}

static void
test_control_chars(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	struct feed_enclosure enc = { "https://x.example/\x01" "a.mp3",
	    "audio/\x1fmpeg", 5 };
	char *cats[] = { "c\x02" "at" };
	struct feed_doc *doc;
	int f;
	char *out;

	(void)state;
	item_init(&it);
	it.id = "id\x01\x7f";
	it.url = "https://example.org/\x0b";
	it.title = "a\x01\x02\x08\x0b\x0c\x0e\x1f" "b\r\nc\tz\xef\xbf\xbe!";
	it.author = "\x1b[31mred";
	it.categories = cats;
	it.ncategories = 1;
	it.summary_html = "<p>s\x05</p>";
	it.content_html = "<p>c\x06</p>";
	it.content_text = "c\x06";
	it.enclosures = &enc;
	it.nenclosures = 1;
	e = entry(&it);
	for (f = ATOM; f <= RSS; f++) {
		/* write_doc checks that no control is left, raw or not. */
		out = write_doc(f, &meta, &e, 1);
		/* U+FFFE is not an XML character either. */
		assert_null(strstr(out, "\xef\xbf\xbe"));
		/* CR survives as a reference, tab as itself in text. */
		assert_non_null(strstr(out, "b&#13;\nc\tz!"));
		free(out);
		doc = round_trip(f, &meta, &e, 1);
		assert_string_equal(doc->items[0].id, "id\x7f");
		assert_string_equal(doc->items[0].author, "[31mred");
		assert_string_equal(doc->items[0].categories[0], "cat");
		feed_doc_free(doc);
	}
	/* JSON can carry them: only written escaped. */
	out = write_doc(JSONFEED, &meta, &e, 1);
	assert_non_null(strstr(out, "a\\u0001\\u0002\\b\\u000B\\f"));
	free(out);
}

static void
test_invalid_utf8(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	struct feed_doc *doc;
	int f;

	(void)state;
	item_init(&it);
	it.id = "x";
	it.url = "https://example.org/";
	it.title = "a\xff" "b\xc3(c\xed\xa0\x80" "d\xf4\x90\x80\x80" "e";
	e = entry(&it);
	for (f = ATOM; f <= JSONFEED; f++) {
		doc = round_trip(f, &meta, &e, 1);
		assert_string_equal(doc->items[0].title,
		    "a\xef\xbf\xbd" "b\xef\xbf\xbd(c\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd" "e");
		feed_doc_free(doc);
	}
}

/* An item with nothing at all still makes valid documents. */
static void
test_missing_fields(void **state)
{
	static const struct writer_meta empty_meta = {
		.updated = FEED_TIME_UNKNOWN,
	};
	struct feed_item it;
	struct writer_entry e;
	struct feed_doc *doc;
	char *out, hash[65], want[200];

	(void)state;
	item_init(&it);
	e = entry(&it);

	doc = round_trip(ATOM, &meta, &e, 1);
	assert_string_equal(doc->items[0].title, "(untitled)");
	assert_string_equal(doc->items[0].author, "News Feed");
	assert_int_equal(content_hash(NULL, NULL, hash), 0);
	snprintf(want, sizeof(want), "tag:feedspool,2026:news:%s", hash);
	assert_string_equal(doc->items[0].id, want);
	feed_doc_free(doc);

	out = write_doc(ATOM, &meta, &e, 1);
	/* updated from fetched_at; an empty content for want of a link. */
	assert_non_null(strstr(out, "<updated>2024-05-01T09:50:00Z</updated>"));
	assert_non_null(strstr(out, "<content type=\"text\"></content>"));
	free(out);

	out = write_doc(RSS, &meta, &e, 1);
	assert_non_null(strstr(out, "<title>(untitled)</title>"));
	assert_non_null(strstr(out, "<pubDate>Wed, 01 May 2024 09:50:00 "
	    "+0000</pubDate>"));
	free(out);

	out = write_doc(JSONFEED, &meta, &e, 1);
	assert_non_null(strstr(out, "\"content_text\": \"\""));
	free(out);

	/* Nothing known about the feed, the source or any time. */
	e.source.name = e.source.title = e.source.link = NULL;
	e.source.id = e.source.url = NULL;
	e.fetched_at = FEED_TIME_UNKNOWN;
	out = write_doc(ATOM, &empty_meta, &e, 1);
	assert_non_null(strstr(out, "<id>tag:feedspool,2026:merged</id>"));
	assert_non_null(strstr(out, "<title type=\"text\">feedspool</title>"));
	assert_non_null(strstr(out, "<updated>1970-01-01T00:00:00Z</updated>"));
	assert_non_null(strstr(out, "<name>unknown</name>"));
	free(out);
	free(write_doc(RSS, &empty_meta, &e, 1));
	free(write_doc(JSONFEED, &empty_meta, &e, 1));
}

static void
test_empty_feed(void **state)
{
	struct feed_doc *doc;
	int f;

	(void)state;
	for (f = ATOM; f <= JSONFEED; f++) {
		doc = round_trip(f, &meta, NULL, 0);
		assert_int_equal(doc->nitems, 0);
		if (f != JSONFEED)
			assert_int_equal(doc->updated, meta.updated);
		feed_doc_free(doc);
	}
}

/* Newest first is the caller's order; the writers keep any order. */
static void
test_order_kept(void **state)
{
	static const char *const ids[] = { "b", "c", "a", "e", "d" };
	static const int64_t times[] = { 5, 1, 4, 2, 3 };
	struct feed_item items[NELEM(ids)];
	struct writer_entry entries[NELEM(ids)];
	struct feed_doc *doc;
	size_t i;
	int f;

	(void)state;
	for (i = 0; i < NELEM(ids); i++) {
		item_init(&items[i]);
		items[i].id = (char *)ids[i];
		items[i].title = (char *)ids[i];
		items[i].url = "https://example.org/";
		items[i].published = 1700000000 + times[i] * 3600;
		entries[i] = entry(&items[i]);
	}
	for (f = ATOM; f <= JSONFEED; f++) {
		doc = round_trip(f, &meta, entries, NELEM(ids));
		for (i = 0; i < NELEM(ids); i++) {
			assert_string_equal(doc->items[i].id, ids[i]);
			assert_int_equal(doc->items[i].published,
			    items[i].published);
		}
		feed_doc_free(doc);
	}
}

static void
test_deterministic(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	char *a, *b;
	int f;

	(void)state;
	item_init(&it);
	it.title = "same";
	it.content_text = "text";
	e = entry(&it);
	for (f = ATOM; f <= JSONFEED; f++) {
		a = write_doc(f, &meta, &e, 1);
		b = write_doc(f, &meta, &e, 1);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/* Everything an item has, as feed_parse would make it. */
static void
full_item(struct feed_item *it)
{
	static char *cats[] = { "one", "two & three" };
	static struct feed_enclosure encs[] = {
		{ "https://cdn.example/a.mp3", "audio/mpeg", 1000 },
		{ "https://cdn.example/b.ogg", NULL, -1 },
	};

	item_init(it);
	it->id = "https://example.org/p/1";
	it->url = "https://example.org/p/1";
	it->title = "Full";
	it->author = "Ann";
	it->published = 1714550000;
	it->updated = 1714553600;
	it->categories = cats;
	it->ncategories = 2;
	it->summary_html = "<p>The <b>summary</b> &amp; more</p>";
	it->content_html = "<p>The content.</p><p>Second.</p>";
	it->content_text = "The content.\n\nSecond.";
	it->enclosures = encs;
	it->nenclosures = 2;
}

static void
test_full_round_trip(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	struct feed_doc *doc;
	const struct feed_item *got;
	int f;

	(void)state;
	full_item(&it);
	e = entry(&it);
	for (f = ATOM; f <= JSONFEED; f++) {
		doc = round_trip(f, &meta, &e, 1);
		got = &doc->items[0];
		assert_string_equal(got->id, it.id);
		assert_string_equal(got->url, it.url);
		assert_string_equal(got->title, it.title);
		assert_string_equal(got->author, it.author);
		assert_int_equal(got->published, it.published);
		assert_int_equal(got->updated, it.updated);
		assert_int_equal(got->ncategories, 2);
		assert_string_equal(got->categories[1], "two & three");
		assert_string_equal(got->content_html, it.content_html);
		assert_string_equal(got->content_text, it.content_text);
		/* JSON Feed's summary is plain text. */
		assert_string_equal(got->summary_html, f == JSONFEED ?
		    "The summary &amp; more" : it.summary_html);
		assert_string_equal(got->enclosures[0].url,
		    "https://cdn.example/a.mp3");
		assert_int_equal(got->enclosures[0].length, 1000);
		/* RSS has room for one enclosure only. */
		assert_int_equal(got->nenclosures, f == RSS ? 1 : 2);
		feed_doc_free(doc);
	}
}

static void
test_rss_specifics(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	struct feed_doc *doc;
	char *out;

	(void)state;
	full_item(&it);
	e = entry(&it);
	out = write_doc(RSS, &meta, &e, 1);
	/* The id is the URL: a permalink. */
	assert_non_null(strstr(out, "<guid isPermaLink=\"true\">"));
	/* One enclosure, with every attribute RSS requires. */
	assert_non_null(strstr(out, "<enclosure url=\"https://cdn.example/"
	    "a.mp3\" length=\"1000\" type=\"audio/mpeg\"/>"));
	assert_null(strstr(out, "b.ogg"));
	assert_non_null(strstr(out, "<dc:creator>Ann</dc:creator>"));
	assert_non_null(strstr(out, "<source url=\"https://news.example/"
	    "feed.xml\">News Feed</source>"));
	assert_non_null(strstr(out, "<atom:link rel=\"self\" type=\""
	    "application/rss+xml\" href=\"https://example.net/merged.atom\"/>"));
	assert_non_null(strstr(out, "<generator>feedspool 9.9</generator>"));
	free(out);

	/* An opaque id; an enclosure without type or length. */
	it.id = "post-1";
	it.enclosures++;
	it.nenclosures = 1;
	out = write_doc(RSS, &meta, &e, 1);
	assert_non_null(strstr(out, "<guid isPermaLink=\"false\">post-1"));
	assert_non_null(strstr(out, "length=\"0\" type=\""
	    "application/octet-stream\""));
	free(out);

	/* Plain text is written as text; what looks like HTML, as HTML. */
	it.title = "Tom & Jerry";
	out = write_doc(RSS, &meta, &e, 1);
	assert_non_null(strstr(out, "<title>Tom &amp; Jerry</title>"));
	free(out);
	it.title = "a <b>bold</b> move &amp; &#233;";
	out = write_doc(RSS, &meta, &e, 1);
	assert_non_null(strstr(out, "<title>a &amp;lt;b&amp;gt;bold"));
	free(out);
	doc = round_trip(RSS, &meta, &e, 1);
	assert_string_equal(doc->items[0].title, it.title);
	feed_doc_free(doc);

	/* No title, but a description: no title is made up. */
	it.title = NULL;
	doc = round_trip(RSS, &meta, &e, 1);
	assert_null(doc->items[0].title);
	feed_doc_free(doc);

	/* Only text: the description is that text, line breaks kept. */
	item_init(&it);
	it.content_text = "one <1>\ntwo";
	out = write_doc(RSS, &meta, &e, 1);
	assert_non_null(strstr(out, "<description>one &amp;lt;1&amp;gt;"
	    "&lt;br&gt;two</description>"));
	free(out);
}

static void
test_atom_content(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	char *out;

	(void)state;
	full_item(&it);
	e = entry(&it);
	out = write_doc(ATOM, &meta, &e, 1);
	assert_non_null(strstr(out, "<content type=\"html\">&lt;p&gt;The "
	    "content.&lt;/p&gt;"));
	assert_non_null(strstr(out, "<summary type=\"html\">&lt;p&gt;The "
	    "&lt;b&gt;summary&lt;/b&gt; &amp;amp; more&lt;/p&gt;</summary>"));
	assert_non_null(strstr(out, "<link rel=\"enclosure\" type=\""
	    "audio/mpeg\" length=\"1000\" href=\"https://cdn.example/"
	    "a.mp3\"/>"));
	assert_non_null(strstr(out, "<link rel=\"enclosure\" href=\""
	    "https://cdn.example/b.ogg\"/>"));
	assert_non_null(strstr(out, "<category term=\"two &amp; three\"/>"));
	assert_non_null(strstr(out, "<published>2024-05-01T07:53:20Z"));
	assert_non_null(strstr(out, "<updated>2024-05-01T08:53:20Z"));
	assert_non_null(strstr(out, "<generator version=\"9.9\">feedspool"));
	free(out);

	/* A summary and its text, and a link: no content is repeated. */
	it.content_html = NULL;
	it.content_text = "The summary & more";
	out = write_doc(ATOM, &meta, &e, 1);
	assert_null(strstr(out, "<content"));
	free(out);

	/* No summary: the text is the content. */
	it.summary_html = NULL;
	out = write_doc(ATOM, &meta, &e, 1);
	assert_non_null(strstr(out, "<content type=\"text\">The summary "
	    "&amp; more</content>"));
	free(out);

	/* An enclosure type the schema refuses is left out. */
	it.enclosures[1].type = "audio";
	out = write_doc(ATOM, &meta, &e, 1);
	assert_non_null(strstr(out, "<link rel=\"enclosure\" href=\""
	    "https://cdn.example/b.ogg\"/>"));
	it.enclosures[1].type = NULL;
	free(out);
}

static void
test_source(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	char *out;

	(void)state;
	full_item(&it);
	e = entry(&it);
	out = write_doc(ATOM, &meta, &e, 1);
	assert_non_null(strstr(out, "<source>\n"
	    "      <id>tag:feedspool,2026:news</id>\n"
	    "      <title type=\"text\">News Feed</title>\n"
	    "      <link rel=\"alternate\" href=\"https://news.example/\"/>\n"
	    "      <link rel=\"self\" href=\"https://news.example/feed.xml\"/>\n"
	    "      <updated>2024-05-01T08:53:20Z</updated>\n"
	    "    </source>\n"));
	free(out);

	e.source.id = "urn:feed:news";
	e.source.title = NULL;
	out = write_doc(ATOM, &meta, &e, 1);
	assert_non_null(strstr(out, "<id>urn:feed:news</id>"));
	/* No title: the configured name stands in. */
	assert_non_null(strstr(out, "<title type=\"text\">news</title>"));
	free(out);
}

static void
test_jsonfeed_shape(void **state)
{
	struct feed_item it;
	struct writer_entry e;
	json_t *root, *item, *v;
	char *out;

	(void)state;
	full_item(&it);
	e = entry(&it);
	out = write_doc(JSONFEED, &meta, &e, 1);
	root = json_loads(out, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root,
	    "version")), "https://jsonfeed.org/version/1.1");
	assert_string_equal(json_string_value(json_object_get(root,
	    "feed_url")), meta.self_url);
	assert_null(json_object_get(root, "home_page_url"));
	item = json_array_get(json_object_get(root, "items"), 0);
	assert_non_null(item);
	assert_string_equal(json_string_value(json_object_get(item,
	    "summary")), "The summary & more");
	assert_string_equal(json_string_value(json_object_get(item,
	    "date_published")), "2024-05-01T07:53:20Z");
	v = json_array_get(json_object_get(item, "authors"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "name")),
	    "Ann");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(item, "tags"), 1)), "two & three");
	v = json_array_get(json_object_get(item, "attachments"), 1);
	assert_string_equal(json_string_value(json_object_get(v,
	    "mime_type")), "application/octet-stream");
	assert_null(json_object_get(v, "size_in_bytes"));
	v = json_object_get(item, "_feedspool");
	assert_string_equal(json_string_value(json_object_get(v, "feed")),
	    "news");
	assert_string_equal(json_string_value(json_object_get(v,
	    "feed_title")), "News Feed");
	assert_string_equal(json_string_value(json_object_get(v,
	    "feed_url")), "https://news.example/feed.xml");
	assert_string_equal(json_string_value(json_object_get(v,
	    "fetched_at")), "2024-05-01T09:50:00Z");
	assert_null(json_object_get(v, "feed_id"));
	json_decref(root);
	/* A text file: one newline at the end. */
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_int_not_equal(out[strlen(out) - 2], '\n');
	free(out);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_id_own),
		cmocka_unit_test(test_entry_id_tag),
		cmocka_unit_test(test_entry_id_missing_hash),
		cmocka_unit_test(test_entry_title),
		cmocka_unit_test(test_entry_updated),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_empty_feed),
		cmocka_unit_test(test_order_kept),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_full_round_trip),
		cmocka_unit_test(test_rss_specifics),
		cmocka_unit_test(test_atom_content),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_jsonfeed_shape),
	};
	xmlRelaxNGParserCtxtPtr pc;
	int r;

	if (argc > 1) {
		pc = xmlRelaxNGNewParserCtxt(argv[1]);
		if (pc == NULL || (atom_schema = xmlRelaxNGParse(pc)) == NULL) {
			fprintf(stderr, "test-writer: cannot load %s\n",
			    argv[1]);
			return 1;
		}
		xmlRelaxNGFreeParserCtxt(pc);
	} else
		fprintf(stderr, "test-writer: no schema given, Atom output "
		    "is checked for well-formedness only\n");
	r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlRelaxNGFree(atom_schema);
	xmlCleanupParser();
	return r;
}
