/*
 * test-xmlfix.c - feeds/xmlfix.c: each repair with its expected output
 * and counters, what must stay byte for byte, hostile DTDs, and that a
 * strict libxml2 parse (XML_PARSE_NONET, no recover) accepts the output.
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

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "feed.h"
#include "xmlfix.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* UTF-8 of the characters the expected outputs use. */
#define NBSP "\xc2\xa0"
#define EACUTE "\xc3\xa9"
#define LDQUO "\xe2\x80\x9c"
#define RDQUO "\xe2\x80\x9d"
#define EURO "\xe2\x82\xac"
#define TRADE "\xe2\x84\xa2"
#define FFFD "\xef\xbf\xbd"

struct fix_case {
	const char *name;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *want;
	struct xmlfix_stats st;	/* every counter, zero unless given */
	bool not_wf;		/* nesting left to recover mode, by design */
};

/* Out-parameters must stay untouched on failure: start them here. */
static char sentinel[] = "untouched";

/*
 * Parses s strictly, as the parser's first attempt does; on failure puts
 * libxml2's message in msg.
 */
static bool
parses_strictly(const char *s, size_t n, char *msg, size_t msglen)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	bool ok;

	ctxt = xmlNewParserCtxt();
	assert_non_null(ctxt);
	doc = xmlCtxtReadMemory(ctxt, s, (int)n, NULL, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ok = doc != NULL && ctxt->wellFormed && ctxt->nsWellFormed;
	if (!ok)
		snprintf(msg, msglen, "%s", ctxt->lastError.message ?
		    ctxt->lastError.message : "(no message)");
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return ok;
}

static void
check_stats(const char *name, const struct xmlfix_stats *got,
    const struct xmlfix_stats *want)
{
#define CMP(field)							\
	if ((size_t)got->field != (size_t)want->field)			\
		fail_msg("%s: " #field " = %zu, want %zu", name,	\
		    (size_t)got->field, (size_t)want->field)
	CMP(entities);
	CMP(charrefs);
	CMP(ampersands);
	CMP(lts);
	CMP(controls);
	CMP(doctype_entities);
	CMP(capped_entities);
	CMP(ignored_entities);
	CMP(tags);
	CMP(comments);
	CMP(unterminated);
	CMP(doctype_removed);
	CMP(xmldecl_removed);
	CMP(leading_junk);
	CMP(trailing_junk);
#undef CMP
}

/* What xmlfix_repair_to() handed over, put back together. */
struct collected {
	char *p;
	size_t len;
	size_t pieces;
	size_t done;		/* the last progress seen */
	size_t in_len;
	bool done_went_back;
};

static int
collect(void *arg, const char *p, size_t n, size_t done)
{
	struct collected *c = arg;

	assert_true(n > 0);
	c->p = realloc(c->p, c->len + n + 1);
	assert_non_null(c->p);
	memcpy(c->p + c->len, p, n);
	c->len += n;
	c->p[c->len] = '\0';
	c->pieces++;
	if (done < c->done || done > c->in_len)
		c->done_went_back = true;
	c->done = done;
	return 0;
}

/*
 * The pass handing its output over in pieces as small as one byte gives
 * the same bytes and counters as the pass building it whole: no repair
 * may look back past what is still held.
 */
static void
check_in_pieces(const char *name, const char *in, size_t len,
    const char *want, size_t want_len, const struct xmlfix_stats *want_st)
{
	static const size_t pieces[] = { 1, 2, 3, 5, 64 };
	struct xmlfix_stats st;
	size_t k;
	int r;

	for (k = 0; k < NELEM(pieces); k++) {
		struct collected c = { .in_len = len };

		r = xmlfix_repair_to(in, len, XMLFIX_MAX_OUT(len), pieces[k],
		    collect, &c, &st);
		if (r != 0)
			fail_msg("%s: xmlfix_repair_to(piece %zu) = %d", name,
			    pieces[k], r);
		if (c.len != want_len || (want_len > 0 &&
		    memcmp(c.p, want, want_len) != 0))
			fail_msg("%s: in pieces of %zu:\n got  \"%.*s\"\n "
			    "want \"%s\"", name, pieces[k], (int)c.len,
			    c.p ? c.p : "", want);
		if (c.done_went_back)
			fail_msg("%s: progress went back or past the input",
			    name);
		check_stats(name, &st, want_st);
		free(c.p);
	}
}

/*
 * Repairs each case and compares output and counters.  A well-formed
 * output must parse strictly and be a fixed point: repairing it again
 * changes nothing and counts nothing.
 */
static void
check_cases(const struct fix_case *c, size_t n)
{
	static const struct xmlfix_stats zero;
	struct xmlfix_stats st, st2;
	size_t i, len, got_len, len2;
	char *got, *got2, msg[256];
	int r;

	for (i = 0; i < n; i++) {
		len = c[i].len ? c[i].len : strlen(c[i].in);
		r = xmlfix_repair(c[i].in, len, XMLFIX_MAX_OUT(len), &got,
		    &got_len, &st);
		if (r != 0)
			fail_msg("%s: xmlfix_repair() = %d", c[i].name, r);
		if (got_len != strlen(c[i].want) || got[got_len] != '\0' ||
		    memcmp(got, c[i].want, got_len) != 0)
			fail_msg("%s:\n got  \"%s\"\n want \"%s\"", c[i].name,
			    got, c[i].want);
		check_stats(c[i].name, &st, &c[i].st);
		check_in_pieces(c[i].name, c[i].in, len, got, got_len, &st);

		if (!c[i].not_wf) {
			if (!parses_strictly(got, got_len, msg, sizeof(msg)))
				fail_msg("%s: libxml2 refuses \"%s\": %s",
				    c[i].name, got, msg);
			r = xmlfix_repair(got, got_len, XMLFIX_MAX_OUT(got_len),
			    &got2, &len2, &st2);
			assert_int_equal(r, 0);
			if (len2 != got_len || memcmp(got, got2, len2) != 0)
				fail_msg("%s: not a fixed point: \"%s\" -> "
				    "\"%s\"", c[i].name, got, got2);
			check_stats(c[i].name, &st2, &zero);
			free(got2);
		}
		free(got);
	}
}

/* Well-formed documents come out byte for byte, and nothing counted. */
static void
test_clean(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "rss with cdata",
		    .in = "<rss version=\"2.0\"><channel><title>A &amp; B "
		    "&lt;3 &gt; &quot;q&quot; &apos;s&apos;</title><item>"
		    "<link>http://e.com/?a=1&amp;b=2</link><description>"
		    "<![CDATA[<p>AT&T & a < b ]] > &nbsp; <!-- </p>]]>"
		    "</description></item></channel></rss>",
		    .want = "<rss version=\"2.0\"><channel><title>A &amp; B "
		    "&lt;3 &gt; &quot;q&quot; &apos;s&apos;</title><item>"
		    "<link>http://e.com/?a=1&amp;b=2</link><description>"
		    "<![CDATA[<p>AT&T & a < b ]] > &nbsp; <!-- </p>]]>"
		    "</description></item></channel></rss>" },
		{ .name = "atom with prolog and epilog",
		    .in = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<?xml-stylesheet href=\"s.xsl\"?>\n<!-- a & b < c "
		    "&nbsp; -->\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
		    "><entry><content type=\"xhtml\"><div "
		    "xmlns=\"http://www.w3.org/1999/xhtml\"><p a='1' b=\"x>"
		    "y\">&#233;&#xE9;&#x1F600;&#129;&#9;</p><br/></div>"
		    "</content></entry></feed>\n<!-- trailing -->\n<?pi x?>"
		    "\n",
		    .want = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<?xml-stylesheet href=\"s.xsl\"?>\n<!-- a & b < c "
		    "&nbsp; -->\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
		    "><entry><content type=\"xhtml\"><div "
		    "xmlns=\"http://www.w3.org/1999/xhtml\"><p a='1' b=\"x>"
		    "y\">&#233;&#xE9;&#x1F600;&#129;&#9;</p><br/></div>"
		    "</content></entry></feed>\n<!-- trailing -->\n<?pi x?>"
		    "\n" },
		{ .name = "rdf",
		    .in = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22"
		    "-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">"
		    "<item rdf:about=\"http://e.com/1\"><title>t</title>"
		    "</item></rdf:RDF>",
		    .want = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
		    "22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">"
		    "<item rdf:about=\"http://e.com/1\"><title>t</title>"
		    "</item></rdf:RDF>" },
		{ .name = "non-ASCII names and text",
		    .in = "<r><" EACUTE " a" EACUTE "=\"" EACUTE "\">"
		    "\xe6\x97\xa5 ]] >\t\r\n\x7f</" EACUTE "></r>",
		    .want = "<r><" EACUTE " a" EACUTE "=\"" EACUTE
		    "\">\xe6\x97\xa5 ]] >\t\r\n\x7f</" EACUTE "></r>" },
		{ .name = "spaces in tags",
		    .in = "<r a = \"1\"\n b='2' ><e/><e /></r >",
		    .want = "<r a = \"1\"\n b='2' ><e/><e /></r >" },
		{ .name = "empty root",
		    .in = "<r/>",
		    .want = "<r/>" },
		{ .name = "comments at their limits",
		    .in = "<r><!----><!---x--><?php ?></r>",
		    .want = "<r><!----><!---x--><?php ?></r>" },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

static void
test_references(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "AT&T",
		    .in = "<r>AT&T</r>",
		    .want = "<r>AT&amp;T</r>",
		    .st = { .ampersands = 1 } },
		{ .name = "link",
		    .in = "<r><link>?a=1&b=2</link><a "
		    "href=\"?a=1&b=2&amp;c\">x</a></r>",
		    .want = "<r><link>?a=1&amp;b=2</link><a "
		    "href=\"?a=1&amp;b=2&amp;c\">x</a></r>",
		    .st = { .ampersands = 2 } },
		{ .name = "ampersand alone",
		    .in = "<r>a & b &</r>",
		    .want = "<r>a &amp; b &amp;</r>",
		    .st = { .ampersands = 2 } },
		{ .name = "no semicolon",
		    .in = "<r>&foo &nbsp &#65 &#x41</r>",
		    .want = "<r>&amp;foo &amp;nbsp &amp;#65 &amp;#x41</r>",
		    .st = { .ampersands = 4 } },
		{ .name = "undeclared",
		    .in = "<r>&foo; &Nbsp; &EACUTE;</r>",
		    .want = "<r>&amp;foo; &amp;Nbsp; &amp;EACUTE;</r>",
		    .st = { .ampersands = 3 } },
		{ .name = "not names",
		    .in = "<r>&; &#; &#x; &#12a; &1a; &-;</r>",
		    .want = "<r>&amp;; &amp;#; &amp;#x; &amp;#12a; &amp;1a; "
		    "&amp;-;</r>",
		    .st = { .ampersands = 6 } },
		{ .name = "too long a name",
		    .in = "<r>&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaa;</r>",
		    .want = "<r>&amp;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaa;</r>",
		    .st = { .ampersands = 1 } },
		{ .name = "HTML 4",
		    .in = "<r>&nbsp;&eacute;&Eacute;&rsquo;&hellip;&copy;&eu"
		    "ro;&trade;</r>",
		    .want = "<r>" NBSP EACUTE "\xc3\x89\xe2\x80\x99\xe2\x80"
		    "\xa6\xc2\xa9" EURO TRADE "</r>",
		    .st = { .entities = 8 } },
		{ .name = "HTML5",
		    .in = "<r>&mldr;&check;&hyphen;&NewLine;&Tab;&lpar;</r>",
		    .want = "<r>\xe2\x80\xa6\xe2\x9c\x93\xe2\x80\x90\n\t("
		    "</r>",
		    .st = { .entities = 6 } },
		{ .name = "HTML names of markup",
		    .in = "<r>&AMP;&LT;&GT;&QUOT;</r>",
		    .want = "<r>&amp;&lt;&gt;&quot;</r>",
		    .st = { .entities = 4 } },
		{ .name = "windows-1252",
		    .in = "<r>&#147;x&#148; &#128;&#x99; &#150;</r>",
		    .want = "<r>" LDQUO "x" RDQUO " " EURO TRADE " \xe2\x80"
		    "\x93</r>",
		    .st = { .charrefs = 5 } },
		{ .name = "forbidden characters",
		    .in = "<r>&#0;&#x1;&#xD800;&#xDFFF;&#x110000;&#999999999"
		    "99999;&#xFFFE;&#65535;</r>",
		    .want = "<r>" FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD
		    "</r>",
		    .st = { .charrefs = 8 } },
		{ .name = "&#X is HTML",
		    .in = "<r>&#X41;&#X3c;</r>",
		    .want = "<r>&#x41;&#x3c;</r>",
		    .st = { .charrefs = 2 } },
		{ .name = "in attribute values",
		    .in = "<r a=\"AT&T &nbsp; &#147; &amp;\" b='&lt;&'/>",
		    .want = "<r a=\"AT&amp;T " NBSP " " LDQUO " &amp;\" "
		    "b='&lt;&amp;'/>",
		    .st = { .ampersands = 2, .entities = 1, .charrefs = 1 } },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

/* libxml2's HTML 4 table and ours agree on every name. */
static void
test_html4_entities(void **state)
{
	const htmlEntityDesc *e;
	struct xmlfix_stats st;
	char in[64], want[64], *got;
	size_t n, names = 0;
	uint32_t cp;
	int r;

	(void)state;
	for (cp = 0; cp < 0x10000; cp++) {
		e = htmlEntityValueLookup(cp);
		if (e == NULL)
			continue;
		names++;
		snprintf(in, sizeof(in), "<r>&%s;</r>", (const char *)e->name);
		r = xmlfix_repair(in, strlen(in), 4096, &got, &n, &st);
		assert_int_equal(r, 0);
		if (cp == '"' || cp == '&' || cp == '<' || cp == '>' ||
		    cp == '\'')
			snprintf(want, sizeof(want), "%s", in);
		else if (cp < 0x80)
			snprintf(want, sizeof(want), "<r>%c</r>", (char)cp);
		else if (cp < 0x800)
			snprintf(want, sizeof(want), "<r>%c%c</r>",
			    0xc0 | cp >> 6, 0x80 | (cp & 0x3f));
		else
			snprintf(want, sizeof(want), "<r>%c%c%c</r>",
			    0xe0 | cp >> 12, 0x80 | (cp >> 6 & 0x3f),
			    0x80 | (cp & 0x3f));
		if (strcmp(got, want) != 0)
			fail_msg("&%s; (U+%04X): got \"%s\", want \"%s\"",
			    (const char *)e->name, cp, got, want);
		free(got);
	}
	/* HTML 4.01 defines 253 (plus &apos; in libxml2's list). */
	assert_true(names >= 252);
}

static void
test_lt_and_controls(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "a < b",
		    .in = "<r>a < b</r>",
		    .want = "<r>a &lt; b</r>",
		    .st = { .lts = 1 } },
		{ .name = "<3 and friends",
		    .in = "<r>I <3 it, x <= y, <> and < /p, a<!b, c<?, d</ "
		    "</r>",
		    .want = "<r>I &lt;3 it, x &lt;= y, &lt;> and &lt; /p, "
		    "a&lt;!b, c&lt;?, d&lt;/ </r>",
		    .st = { .lts = 7 } },
		{ .name = "]]> in text",
		    .in = "<r>a]]>b ]] > ]]]></r>",
		    .want = "<r>a]]&gt;b ]] > ]]]&gt;</r>",
		    .st = { .lts = 2 } },
		/* The "]]" and the '>' meet across steps of the pass. */
		{ .name = "]]> once a control goes",
		    .in = "<r>a]]\x01>b</r>",
		    .want = "<r>a]]&gt;b</r>",
		    .st = { .lts = 1, .controls = 1 } },
		{ .name = "]]> from an entity",
		    .in = "<!DOCTYPE r [<!ENTITY b \"]]\">]><r>&b;></r>",
		    .want = "<r>]]&gt;</r>",
		    .st = { .lts = 1, .doctype_entities = 1,
		    .doctype_removed = true } },
		{ .name = "< in an attribute",
		    .in = "<r a=\"1 < 2\"/>",
		    .want = "<r a=\"1 &lt; 2\"/>",
		    .st = { .lts = 1 } },
		{ .name = "controls in text",
		    .in = "<r>a\x01" "b\x0b" "c\x1f" "d\te\n"
		    "f\rg\xef\xbf\xbeh\xef\xbf\xbfi\x7f\xef\xbf\xbd</r>",
		    .want = "<r>abcd\te\nf\rghi\x7f\xef\xbf\xbd</r>",
		    .st = { .controls = 5 } },
		{ .name = "controls inside long plain runs",
		    .in = "<r a=\"abcdefgh\x02ijklmnop\">abcdefghijk\x01lmnopqrst"
		    "uvw\xef\xbf\xbfxyzabcdefgh<![CDATA[abcdefghij\x03klmnopqrst"
		    "u\xef\xbf\xbevwxyzabcd]]></r>",
		    .want = "<r a=\"abcdefghijklmnop\">abcdefghijklmnopqrstuvwxyz"
		    "abcdefgh<![CDATA[abcdefghijklmnopqrstuvwxyzabcd]]></r>",
		    .st = { .controls = 5 } },
		{ .name = "NUL",
		    .in = "<r>a\0b</r>",
		    .len = 10,
		    .want = "<r>ab</r>",
		    .st = { .controls = 1 } },
		{ .name = "controls everywhere",
		    .in = "<r a=\"x\x02y\"><![CDATA[a\x01" "b]]><!-- c\x02"
		    "d --><?p e\x03" "f?></r>",
		    .want = "<r a=\"xy\"><![CDATA[ab]]><!-- cd --><?p ef?>"
		    "</r>",
		    .st = { .controls = 4 } },
		{ .name = "a removal closes no CDATA",
		    .in = "<r><![CDATA[a]\x01]>b]]><![CDATA[c]]\x01>d]]></r>",
		    .want = "<r><![CDATA[a]" FFFD "]>b]]><![CDATA[c]]" FFFD
		    ">d]]></r>",
		    .st = { .controls = 2 } },
		{ .name = "a removal closes no PI",
		    .in = "<r><?p a?\x01>b?></r>",
		    .want = "<r><?p a?" FFFD ">b?></r>",
		    .st = { .controls = 1 } },
		{ .name = "a removal makes no --",
		    .in = "<r><!-- a-\x01-b --></r>",
		    .want = "<r><!-- a- -b --></r>",
		    .st = { .controls = 1, .comments = 1 } },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

/* Comments, CDATA and PIs: content kept, only what XML forbids goes. */
static void
test_sections(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "untouched",
		    .in = "<r><!-- <b>AT&T</b> &nbsp; <![CDATA[ < -->"
		    "<![CDATA[&nbsp; AT&T <b> ]] > <!-- ]]><?pi & < &nbsp; "
		    "?></r>",
		    .want = "<r><!-- <b>AT&T</b> &nbsp; <![CDATA[ < -->"
		    "<![CDATA[&nbsp; AT&T <b> ]] > <!-- ]]><?pi & < &nbsp; "
		    "?></r>" },
		{ .name = "-- in a comment",
		    .in = "<r><!-- a -- b --></r>",
		    .want = "<r><!-- a - - b --></r>",
		    .st = { .comments = 1 } },
		{ .name = "--->",
		    .in = "<r><!-- a ---></r>",
		    .want = "<r><!-- a - --></r>",
		    .st = { .comments = 1 } },
		{ .name = "dashes",
		    .in = "<r><!-- ---- --></r>",
		    .want = "<r><!-- - - - - --></r>",
		    .st = { .comments = 3 } },
		/* For libxml2's push parser; not a repair, nothing counted. */
		{ .name = "text starting with >",
		    .in = "<!-->x--><r><!-->--><!--->y--><!---->"
		    "<!--x>--></r>",
		    .want = "<!-- >x--><r><!-- >--><!-- ->y--><!---->"
		    "<!--x>--></r>" },
		{ .name = "PI target without space",
		    .in = "<r><?php!?></r>",
		    .want = "<r><?php !?></r>",
		    .st = { .tags = 1 } },
		{ .name = "XML declaration inside",
		    .in = "<r><?xml version=\"1.0\"?>x</r>",
		    .want = "<r>x</r>",
		    .st = { .xmldecl_removed = true } },
		{ .name = "XML declaration after a comment",
		    .in = "<!-- c --><?xml version=\"1.0\"?><r/>",
		    .want = "<!-- c --><r/>",
		    .st = { .xmldecl_removed = true } },
		{ .name = "<?XML",
		    .in = "<?XML version=\"1.0\"?><r/>",
		    .want = "<r/>",
		    .st = { .xmldecl_removed = true } },
		{ .name = "stylesheet PI",
		    .in = "<?xml-stylesheet href=\"a\"?><r/>",
		    .want = "<?xml-stylesheet href=\"a\"?><r/>" },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

/* What never ends is read as content, so the items after it survive. */
static void
test_unterminated(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "comment",
		    .in = "<r><item><!-- oops </item><item>2</item></r>",
		    .want = "<r><item>&lt;!-- oops </item><item>2</item></r>",
		    .st = { .lts = 1, .unterminated = 1 } },
		{ .name = "CDATA",
		    .in = "<rss><item><description><![CDATA[<p>hi"
		    "</description></item><item><title>2</title></item>"
		    "</rss>",
		    .want = "<rss><item><description>&lt;![CDATA[<p>hi"
		    "</p></description></item><item><title>2</title></item>"
		    "</rss>",
		    .st = { .lts = 1, .unterminated = 1, .tags = 1 } },
		{ .name = "PI",
		    .in = "<r>a<?php echo</r>",
		    .want = "<r>a&lt;?php echo</r>",
		    .st = { .lts = 1, .unterminated = 1 } },
		{ .name = "DOCTYPE in content",
		    .in = "<r>a<!DOCTYPE x <b/></r>",
		    .want = "<r>a&lt;!DOCTYPE x <b/></r>",
		    .st = { .lts = 1, .unterminated = 1 } },
		{ .name = "comment before the root",
		    .in = "<!-- x <r/>",
		    .want = "<r/>",
		    .st = { .leading_junk = true } },
		{ .name = "end tag at EOF",
		    .in = "<r>x</r",
		    .want = "<r>x</r>",
		    .st = { .tags = 1 } },
		{ .name = "start tag at EOF",
		    .in = "<r><a href=\"x\"",
		    .want = "<r><a href=\"x\">",
		    .st = { .tags = 1 },
		    .not_wf = true },
		{ .name = "attribute value at EOF",
		    .in = "<r><a href=\"x",
		    .want = "<r><a href=\"x\">",
		    .st = { .tags = 2 },
		    .not_wf = true },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

static void
test_tags(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "unquoted value",
		    .in = "<r><a href=http://e.com/?a=1&b=2>x</a><img "
		    "src=a.png /></r>",
		    .want = "<r><a href=\"http://e.com/?a=1&amp;b=2\">x</a>"
		    "<img src=\"a.png\" /></r>",
		    .st = { .tags = 2, .ampersands = 1 } },
		{ .name = "minimized",
		    .in = "<r><input disabled></input><td nowrap/></r>",
		    .want = "<r><input disabled=\"\"></input><td "
		    "nowrap=\"\"/></r>",
		    .st = { .tags = 2 } },
		{ .name = "missing space",
		    .in = "<r a=\"1\"b='2'/>",
		    .want = "<r a=\"1\" b='2'/>",
		    .st = { .tags = 1 } },
		{ .name = "repeated attribute",
		    .in = "<r><p class=\"a\" class=\"b\" id=\"c\">x</p><q "
		    "a='1'a='2'/></r>",
		    .want = "<r><p class=\"a\" id=\"c\">x</p><q a='1'/></r>",
		    .st = { .tags = 2 } },
		{ .name = "junk in a start tag",
		    .in = "<r><a / href=\"y\">t</a></r>",
		    .want = "<r><a  href=\"y\">t</a></r>",
		    .st = { .tags = 1 } },
		{ .name = "junk in an end tag",
		    .in = "<r><a>x</a b=\"1\"></r>",
		    .want = "<r><a>x</a></r>",
		    .st = { .tags = 1 } },
		{ .name = "tag cut by a tag",
		    .in = "<r><a href=\"x\"<b>t</b></a></r>",
		    .want = "<r><a href=\"x\"><b>t</b></a></r>",
		    .st = { .tags = 1 } },
		{ .name = "value ends at the next quote",
		    .in = "<r><item><enclosure url=\"a.mp3 length=\"1\"/>"
		    "<title>T</title></item><item><title>U</title></item>"
		    "</r>",
		    .want = "<r><item><enclosure url=\"a.mp3 length=\"/>"
		    "<title>T</title></item><item><title>U</title></item>"
		    "</r>",
		    .st = { .tags = 2 } },
		/* No closing quote before the next tag: closed at its '>'. */
		{ .name = "open quote",
		    .in = "<r><item><img src=\"a.jpg></item><item><title>U"
		    "</title></item></r>",
		    .want = "<r><item><img src=\"a.jpg\"></img></item><item>"
		    "<title>U</title></item></r>",
		    .st = { .tags = 2 } },
		/* The price of that rule: a tag in a value cuts it. */
		{ .name = "tag in a value",
		    .in = "<r><a title=\"x<y\">t</a></r>",
		    .want = "<r><a title=\"x\"><y>t</y></a></r>",
		    .st = { .tags = 4 } },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

static void
test_doctype(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "RSS 0.91",
		    .in = "<!DOCTYPE rss PUBLIC \"-//Netscape "
		    "Communications//DTD RSS 0.91//EN\" "
		    "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\""
		    ">\n<rss version=\"0.91\"><channel><title>&eacute;"
		    "</title></channel></rss>",
		    .want = "<rss version=\"0.91\"><channel><title>" EACUTE
		    "</title></channel></rss>",
		    .st = { .entities = 1, .doctype_removed = true } },
		{ .name = "internal subset",
		    .in = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY "
		    "co \"ACME &amp; Co\">\n<!ENTITY sig '<b>\"Bye\" &co;"
		    "</b>'>\n<!ELEMENT r ANY>\n<!ATTLIST r a CDATA \"x>y]\">"
		    "\n<!-- a ] comment > -->\n<?pi ] > ?>\n]>\n<r "
		    "a=\"&co;\">&co; &sig;</r>",
		    .want = "<?xml version=\"1.0\"?>\n\n<r a=\"ACME &amp; "
		    "Co\">ACME &amp; Co &lt;b&gt;&quot;Bye&quot; "
		    "&amp;co;&lt;/b&gt;</r>",
		    .st = { .doctype_entities = 3, .doctype_removed = true } },
		{ .name = "external entities",
		    .in = "<!DOCTYPE r [<!ENTITY xxe SYSTEM "
		    "\"file:///etc/passwd\"><!ENTITY pub PUBLIC "
		    "\"-//X//EN\" \"http://e.com/x\"><!ENTITY % pe SYSTEM "
		    "\"http://e.com/evil.dtd\">%pe;]><r a=\"&xxe;\">"
		    "&xxe;&pub;</r>",
		    .want = "<r a=\"&amp;xxe;\">&amp;xxe;&amp;pub;</r>",
		    .st = { .ignored_entities = 3, .ampersands = 3,
		    .doctype_removed = true } },
		{ .name = "declared HTML names",
		    .in = "<!DOCTYPE r [<!ENTITY nbsp \"&#160;\"><!ENTITY "
		    "eacute \"e\"><!ENTITY copy SYSTEM \"c\">]><r>"
		    "&nbsp;&eacute;&copy;</r>",
		    .want = "<r>&#160;e\xc2\xa9</r>",
		    .st = { .doctype_entities = 2, .entities = 1,
		    .ignored_entities = 1, .doctype_removed = true } },
		{ .name = "first declaration binds",
		    .in = "<!DOCTYPE r [<!ENTITY a \"1\"><!ENTITY a \"2\">]>"
		    "<r>&a;</r>",
		    .want = "<r>1</r>",
		    .st = { .doctype_entities = 1, .doctype_removed = true } },
		{ .name = "only the first DOCTYPE",
		    .in = "<!DOCTYPE r><!DOCTYPE s [<!ENTITY a \"1\">]><r>"
		    "&a;<!DOCTYPE html>x</r>",
		    .want = "<r>&amp;a;x</r>",
		    .st = { .ampersands = 1, .doctype_removed = true } },
		{ .name = "stray quote",
		    .in = "<!DOCTYPE r [<!ENTITY a \"1\"> \"oops ]><r>&a;"
		    "</r>",
		    .want = "<r>&amp;a;</r>",
		    .st = { .ampersands = 1, .leading_junk = true,
		    .doctype_removed = true } },
		{ .name = "unterminated literal",
		    .in = "<!DOCTYPE r PUBLIC \"x><r>t</r>",
		    .want = "<r>t</r>",
		    .st = { .doctype_removed = true } },
		{ .name = "quote in a comment",
		    .in = "<!DOCTYPE r [<!-- don't -->]><r/>",
		    .want = "<r/>",
		    .st = { .doctype_removed = true } },
		{ .name = "lower case",
		    .in = "<!doctype html><r/>",
		    .want = "<r/>",
		    .st = { .doctype_removed = true } },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

static void
test_junk(void **state)
{
	static const struct fix_case cases[] = {
		{ .name = "white space",
		    .in = "  \n\t<r/>",
		    .want = "<r/>" },
		{ .name = "BOM remnant",
		    .in = "\xef\xbb\xbf<r/>",
		    .want = "<r/>",
		    .st = { .leading_junk = true } },
		{ .name = "HTTP header",
		    .in = "HTTP/1.1 200 OK\r\n\r\n<rss></rss>",
		    .want = "<rss></rss>",
		    .st = { .leading_junk = true } },
		{ .name = "junk before the declaration",
		    .in = "junk<?xml version=\"1.0\"?><r/>",
		    .want = "<?xml version=\"1.0\"?><r/>",
		    .st = { .leading_junk = true } },
		{ .name = "junk between prolog items",
		    .in = "<!-- a --> x <?p?>&amp;</s><r/>",
		    .want = "<!-- a --><?p?><r/>",
		    .st = { .leading_junk = true } },
		{ .name = "trailing text",
		    .in = "<r/>junk",
		    .want = "<r/>",
		    .st = { .trailing_junk = true } },
		{ .name = "two documents",
		    .in = "<rss><channel/></rss>\n<!-- cache -->\n<rss>"
		    "<channel/></rss>",
		    .want = "<rss><channel/></rss>\n<!-- cache -->\n",
		    .st = { .trailing_junk = true } },
		{ .name = "unterminated comment after",
		    .in = "<r/>\n<!-- x",
		    .want = "<r/>\n",
		    .st = { .trailing_junk = true } },
		/* An end tag that closes nothing open is dropped. */
		{ .name = "stray end tag",
		    .in = "<rss><channel><item><description>x</b>"
		    "</description></item><item><title>2</title></item>"
		    "</channel></rss>\n",
		    .want = "<rss><channel><item><description>x"
		    "</description></item><item><title>2</title></item>"
		    "</channel></rss>\n",
		    .st = { .tags = 1 } },
		/* Bad nesting: inner elements are closed by an outer end tag,
		 * so recover mode never closes an item early. */
		{ .name = "crossed inline tags",
		    .in = "<rss><item><description><b>a <i>b</b> c</i>"
		    "</description></item><item><title>2</title></item>"
		    "</rss>",
		    .want = "<rss><item><description><b>a <i>b</i></b> c"
		    "</description></item><item><title>2</title></item>"
		    "</rss>",
		    .st = { .tags = 2 } },
		{ .name = "unclosed paragraph",
		    .in = "<rss><item><description>a <p>b</description></item>"
		    "<item><title>2</title></item></rss>",
		    .want = "<rss><item><description>a <p>b</p></description>"
		    "</item><item><title>2</title></item></rss>",
		    .st = { .tags = 1 } },
		{ .name = "end tag in another case",
		    .in = "<rss><item><P>a</p></item></rss>",
		    .want = "<rss><item><P>a</P></item></rss>",
		    .st = { .tags = 1 } },
		{ .name = "root end tag in text",
		    .in = "<rss><channel><description>use </rss> to close"
		    "</description><item/></channel></rss>",
		    .want = "<rss><channel><description>use &lt;/rss> to "
		    "close</description><item/></channel></rss>",
		    .st = { .lts = 1 } },
		{ .name = "unclosed tag, then junk",
		    .in = "<rss><channel><description>a<br>b</description>"
		    "</channel></rss>garbage",
		    .want = "<rss><channel><description>a<br>b</br>"
		    "</description></channel></rss>",
		    .st = { .trailing_junk = true, .tags = 1 } },
	};

	(void)state;
	check_cases(cases, NELEM(cases));
}

/* Appends n copies of s to the growing string at *p. */
static void
append(char **p, size_t *len, const char *s, size_t n)
{
	size_t sl = strlen(s), i;

	*p = realloc(*p, *len + sl * n + 1);
	assert_non_null(*p);
	for (i = 0; i < n; i++) {
		memcpy(*p + *len, s, sl);
		*len += sl;
	}
	(*p)[*len] = '\0';
}

static void
test_billion_laughs(void **state)
{
	char *in = NULL, *want = NULL, *got, decl[64], ref[16];
	size_t len = 0, wlen = 0, got_len;
	struct xmlfix_stats st;
	int i;

	(void)state;
	append(&in, &len, "<!DOCTYPE lolz [<!ENTITY lol \"lol\">", 1);
	for (i = 1; i <= 9; i++) {
		snprintf(decl, sizeof(decl), "<!ENTITY lol%d \"", i);
		append(&in, &len, decl, 1);
		if (i == 1)
			snprintf(ref, sizeof(ref), "&lol;");
		else
			snprintf(ref, sizeof(ref), "&lol%d;", i - 1);
		append(&in, &len, ref, 10);
		append(&in, &len, "\">", 1);
	}
	append(&in, &len, "]><lolz>&lol;&lol1;&lol9;</lolz>", 1);

	/* One level each: the references inside stay text. */
	append(&want, &wlen, "<lolz>lol", 1);
	append(&want, &wlen, "&amp;lol;", 10);
	append(&want, &wlen, "&amp;lol8;", 10);
	append(&want, &wlen, "</lolz>", 1);

	assert_int_equal(xmlfix_repair(in, len, XMLFIX_MAX_OUT(len), &got,
	    &got_len, &st), 0);
	assert_string_equal(got, want);
	assert_int_equal(got_len, wlen);
	assert_int_equal(st.doctype_entities, 3);
	assert_int_equal(st.capped_entities, 0);
	assert_true(st.doctype_removed);
	free(got);
	free(in);
	free(want);
}

/*
 * One 10 KB entity referenced refs times: substitutions stop once they
 * have grown the document by min(1 MiB, 4 * input); the rest read as
 * text.
 */
static void
check_blowup(size_t refs)
{
	const size_t vlen = 10240, grow = vlen - 3;	/* "&a;" */
	char *in = NULL, *want = NULL, *got, *value;
	size_t len = 0, wlen = 0, got_len, budget, subst;
	struct xmlfix_stats st;

	value = malloc(vlen + 1);
	assert_non_null(value);
	memset(value, 'x', vlen);
	value[vlen] = '\0';
	append(&in, &len, "<!DOCTYPE r [<!ENTITY a \"", 1);
	append(&in, &len, value, 1);
	append(&in, &len, "\">]><r>", 1);
	append(&in, &len, "&a;", refs);
	append(&in, &len, "</r>", 1);

	budget = 4 * len < XMLFIX_SUBST_MAX ? 4 * len : XMLFIX_SUBST_MAX;
	subst = budget / grow;
	assert_true(subst > 0 && subst < refs);
	append(&want, &wlen, "<r>", 1);
	append(&want, &wlen, value, subst);
	append(&want, &wlen, "&amp;a;", refs - subst);
	append(&want, &wlen, "</r>", 1);

	/* No output cap: each capped "&a;" grows to "&amp;a;". */
	assert_int_equal(xmlfix_repair(in, len, SIZE_MAX, &got, &got_len,
	    &st), 0);
	assert_int_equal(got_len, wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(st.doctype_entities, subst);
	assert_int_equal(st.capped_entities, refs - subst);
	assert_true(got_len <= len + budget + 4 * refs);
	free(got);
	free(in);
	free(want);
	free(value);
}

static void
test_quadratic_blowup(void **state)
{
	(void)state;
	check_blowup(10000);	/* capped at 4 * input */
	check_blowup(100000);	/* capped at 1 MiB */
}

/* No growth, no charge: a short replacement is never capped. */
static void
test_shrinking_entity(void **state)
{
	char *in = NULL, *want = NULL, *got;
	size_t len = 0, wlen = 0, got_len;
	struct xmlfix_stats st;

	(void)state;
	append(&in, &len, "<!DOCTYPE r [<!ENTITY nbsp \"&#160;\">]><r>", 1);
	append(&in, &len, "&nbsp;", 300000);
	append(&in, &len, "</r>", 1);
	append(&want, &wlen, "<r>", 1);
	append(&want, &wlen, "&#160;", 300000);
	append(&want, &wlen, "</r>", 1);
	assert_int_equal(xmlfix_repair(in, len, XMLFIX_MAX_OUT(len), &got,
	    &got_len, &st), 0);
	assert_int_equal(got_len, wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(st.doctype_entities, 300000);
	assert_int_equal(st.capped_entities, 0);
	free(got);
	free(in);
	free(want);
}

/* libxml2 itself, given the output, loads nothing and expands nothing. */
static void
test_xxe_never_resolved(void **state)
{
	static const char in[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n"
	    "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
	    "<!ENTITY % dtd SYSTEM \"file:///etc/hostname\">\n%dtd;\n]>\n"
	    "<r><t>&xxe;</t></r>";
	struct xmlfix_stats st;
	xmlDocPtr doc;
	xmlChar *text;
	size_t n;
	char *got;

	(void)state;
	assert_int_equal(xmlfix_repair(in, strlen(in), 4096, &got, &n, &st),
	    0);
	assert_string_equal(got, "<?xml version=\"1.0\"?>\n\n<r><t>&amp;xxe;"
	    "</t></r>");
	assert_int_equal(st.ignored_entities, 2);
	doc = xmlReadMemory(got, (int)n, NULL, "UTF-8", XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	assert_non_null(doc);
	assert_null(doc->intSubset);
	text = xmlNodeGetContent(xmlDocGetRootElement(doc));
	assert_string_equal((const char *)text, "&xxe;");
	xmlFree(text);
	xmlFreeDoc(doc);
	free(got);
}

/* Counts the elements named name under node, depth first. */
static size_t
count_elements(xmlNodePtr node, const char *name)
{
	size_t n = 0;

	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(node->name, (const xmlChar *)name) == 0)
			n++;
		n += count_elements(node->children, name);
	}
	return n;
}

/* A feed with most of the damage at once: strict parse, all items. */
static void
test_broken_feed(void **state)
{
	static const char in[] = "\n\n  <?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss [<!ENTITY site \"Example & Co\">]>\n"
	    "<rss version=\"2.0\"><channel><title>&site; &mdash; News"
	    "</title>\n"
	    "<item><title>AT&T & Verizon</title><link>http://e.com/?a=1&b=2"
	    "</link><description>caf&eacute; &#147;quoted&#148; a < b"
	    "\x0c</description></item>\n"
	    "<item><title>Second &nbsp;</title><description><![CDATA[<p>"
	    "ok</p>]]></description><enclosure url=http://e.com/a.mp3 "
	    "length=\"1\" length=\"2\" /></item>\n"
	    "<item><title>Third &foo</title><!-- oops -- --></item>\n"
	    "</channel></rss>\n<html>error page</html>";
	struct xmlfix_stats st;
	char *got, msg[256];
	xmlDocPtr doc;
	size_t n;

	(void)state;
	assert_int_equal(xmlfix_repair(in, strlen(in), XMLFIX_MAX_OUT(
	    strlen(in)), &got, &n, &st), 0);
	if (!parses_strictly(got, n, msg, sizeof(msg)))
		fail_msg("libxml2 refuses \"%s\": %s", got, msg);
	doc = xmlReadMemory(got, (int)n, NULL, "UTF-8", XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	assert_non_null(doc);
	assert_int_equal(count_elements(xmlDocGetRootElement(doc), "item"),
	    3);
	xmlFreeDoc(doc);
	assert_int_equal(st.doctype_entities, 1);
	assert_int_equal(st.entities, 3);
	assert_int_equal(st.charrefs, 2);
	assert_int_equal(st.ampersands, 4);
	assert_int_equal(st.lts, 1);
	assert_int_equal(st.controls, 1);
	assert_int_equal(st.tags, 2);
	assert_int_equal(st.comments, 1);
	assert_true(st.trailing_junk);
	assert_false(st.leading_junk);
	free(got);
}

static void
test_limits(void **state)
{
	static const char amps[] = "<r>&&&&</r>";	/* 27 bytes out */
	struct xmlfix_stats st = { .entities = 42 };
	char *got = sentinel;
	size_t n = 42;

	(void)state;
	assert_int_equal(xmlfix_repair(amps, strlen(amps), 26, &got, &n,
	    &st), -E2BIG);
	assert_ptr_equal(got, sentinel);
	assert_int_equal(n, 42);
	assert_int_equal(st.entities, 42);

	assert_int_equal(xmlfix_repair(amps, strlen(amps), 27, &got, &n,
	    &st), 0);
	assert_string_equal(got, "<r>&amp;&amp;&amp;&amp;</r>");
	assert_int_equal(n, 27);
	assert_int_equal(st.ampersands, 4);
	free(got);

	/* Nothing in, "" out: an allocated, empty string. */
	assert_int_equal(xmlfix_repair(NULL, 0, 0, &got, &n, &st), 0);
	assert_non_null(got);
	assert_string_equal(got, "");
	assert_int_equal(n, 0);
	free(got);
	assert_int_equal(xmlfix_repair(" \n junk", 7, 0, &got, &n, &st), 0);
	assert_string_equal(got, "");
	assert_true(st.leading_junk);
	free(got);
}

/*
 * Inputs that would make a careless scanner quadratic (each search for a
 * terminator restarting near the end) or swallow everything.  A
 * quadratic pass on a megabyte would run into the test's timeout.
 */
static void
test_hostile_linear(void **state)
{
	static const struct {
		const char *unit;
		const char *tail;
		const char *want_end;	/* the output ends with it */
	} cases[] = {
		{ "<a x=\"", "</r>", "<a x=\"\"></r>" },
		{ "<!--", "</r>", "&lt;!--</r>" },
		{ "<![CDATA[", "</r>", "&lt;![CDATA[</r>" },
		{ "<?x ", "</r>", "&lt;?x </r>" },
		{ "<!DOCTYPE ", "</r>", "&lt;!DOCTYPE </r>" },
		{ "</r ", "", "</r>" },
		{ "&#x", "</r>", "&amp;#x</r>" },
		{ "&aaaaaaaaaaaaaaaaaaaaa", "</r>", "&amp;aaaaaaaaaaaaaaaaaaaaa"
		    "</r>" },
		{ "<a b c d e f g h>", "</r>", "<a b=\"\" c=\"\" d=\"\" e=\"\" "
		    "f=\"\" g=\"\" h=\"\"></r>" },
	};
	const size_t total = 1 << 20;
	struct xmlfix_stats st;
	char *in = NULL, *got;
	size_t i, len, n, wl;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		len = 0;
		append(&in, &len, "<r>", 1);
		append(&in, &len, cases[i].unit, total /
		    strlen(cases[i].unit));
		append(&in, &len, cases[i].tail, 1);
		assert_int_equal(xmlfix_repair(in, len, XMLFIX_MAX_OUT(len),
		    &got, &n, &st), 0);
		wl = strlen(cases[i].want_end);
		if (n < wl || memcmp(got + n - wl, cases[i].want_end, wl))
			fail_msg("case %zu: ends \"%s\"", i,
			    n > 40 ? got + n - 40 : got);
		assert_true(n <= XMLFIX_MAX_OUT(len));
		free(got);
	}

	/*
	 * DOCTYPEs whose literals pair up across them, an odd number so
	 * that the last never ends.
	 */
	len = 0;
	append(&in, &len, "<!DOCTYPE \"", total / 11 | 1);
	append(&in, &len, "<r/>", 1);
	assert_int_equal(xmlfix_repair(in, len, XMLFIX_MAX_OUT(len), &got,
	    &n, &st), 0);
	assert_string_equal(got, "<r/>");
	free(got);
	free(in);
}

static void
test_warnings(void **state)
{
	struct xmlfix_stats st = { .doctype_removed = true };
	struct feed_doc *doc;

	(void)state;
	doc = feed_doc_new();
	assert_non_null(doc);
	xmlfix_warnings(&st, doc);
	assert_int_equal(doc->nwarnings, 0);

	st.ampersands = 2;
	st.leading_junk = true;
	st.capped_entities = 7;
	st.ignored_entities = 1;
	xmlfix_warnings(&st, doc);
	assert_int_equal(doc->nwarnings, 3);
	assert_string_equal(doc->warnings[0], "not well-formed XML, repaired "
	    "(2 bare '&', text before the root element) before parsing");
	assert_string_equal(doc->warnings[1], "DTD entity expansion reached "
	    "its cap: 7 references left as text");
	assert_string_equal(doc->warnings[2], "1 external or parameter "
	    "entity declarations ignored, their references left as text");
	feed_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_html4_entities),
		cmocka_unit_test(test_lt_and_controls),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_doctype),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_quadratic_blowup),
		cmocka_unit_test(test_shrinking_entity),
		cmocka_unit_test(test_xxe_never_resolved),
		cmocka_unit_test(test_broken_feed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_hostile_linear),
		cmocka_unit_test(test_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
