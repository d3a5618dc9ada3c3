/*
 * test-html.c - feeds/html.c and feeds/text.c: the allow-list sanitizer,
 * filter-evasion vectors, well-formedness, limits, and the plain text
 * that feeds the dedup hash.
 */
#include <ctype.h>
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

#include "html.h"
#include "html_internal.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define BASE	"https://example.org/feed/"
#define REL	" rel=\"nofollow noopener noreferrer\""

/* Out-parameters must stay untouched on failure: start them here. */
static char sentinel[] = "untouched";

struct html_case {
	const char *in;
	const char *base;
	const char *want;
};

struct text_case {
	const char *in;
	const char *want;
};

/* Runs html_clean on a C string and returns the HTML (fails on error). */
static char *
clean_html(const char *in, const char *base)
{
	char *html = sentinel;
	int r;

	r = html_clean(in, strlen(in), base, &html, NULL);
	if (r != 0)
		fail_msg("html_clean(\"%s\") = %d", in, r);
	assert_non_null(html);
	assert_ptr_not_equal(html, sentinel);
	return html;
}

static char *
clean_text(const char *in)
{
	char *text = sentinel;
	int r;

	r = html_clean(in, strlen(in), NULL, NULL, &text);
	if (r != 0)
		fail_msg("html_clean(\"%s\") = %d", in, r);
	assert_non_null(text);
	assert_ptr_not_equal(text, sentinel);
	return text;
}

/* True when s parses as the content of an XML element. */
static bool
is_well_formed(const char *s)
{
	size_t len = strlen(s);
	char *doc;
	xmlDocPtr x;

	doc = malloc(len + 8);
	assert_non_null(doc);
	memcpy(doc, "<r>", 3);
	memcpy(doc + 3, s, len);
	memcpy(doc + 3 + len, "</r>", 5);
	x = xmlReadMemory(doc, (int)(len + 7), NULL, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_HUGE);
	free(doc);
	if (x == NULL)
		return false;
	xmlFreeDoc(x);
	return true;
}

/*
 * An attribute whose name starts with "on": "on", one or more word
 * characters, optional space, "=", where the "o" starts a word (so that
 * controls="controls" is not one).
 */
static bool
has_event_attr(const char *s)
{
	size_t i, j;

	for (i = 0; s[i] != '\0'; i++) {
		if (tolower((unsigned char)s[i]) != 'o' ||
		    tolower((unsigned char)s[i + 1]) != 'n')
			continue;
		if (i > 0 && (isalnum((unsigned char)s[i - 1]) ||
		    s[i - 1] == '_'))
			continue;
		for (j = i + 2; isalnum((unsigned char)s[j]) || s[j] == '_';
		    j++)
			continue;
		if (j == i + 2)
			continue;
		while (isspace((unsigned char)s[j]))
			j++;
		if (s[j] == '=')
			return true;
	}
	return false;
}

/* Returns what in s no sanitized output may contain, or NULL. */
static const char *
forbidden(const char *s)
{
	static const char *const bad[] = {
		"<script", "javascript:", "vbscript:", "data:", "onerror",
		"onload", "onclick", "<iframe", "<style", "style=", "<object",
		"<embed", "<form", "<meta", "<base", "srcdoc", "expression(",
		"<svg", "<math", "<link", "<input", "<button", "formaction",
		"xlink:", "<frame", "<textarea", "<!--", "<![cdata[", "<?",
		"<template", "<noscript", "<title", "<isindex", "class=",
		"id=", "name=", "target=",
	};
	size_t i;

	for (i = 0; i < NELEM(bad); i++)
		if (strcasestr(s, bad[i]) != NULL)
			return bad[i];
	if (has_event_attr(s))
		return "on\\w+=";
	return NULL;
}

/* The checker itself must be able to fail. */
static void
test_forbidden_checker(void **state)
{
	(void)state;
	assert_non_null(forbidden("<a href=\"JavaScript:x\">"));
	assert_non_null(forbidden("<img onMouseOver = x>"));
	assert_non_null(forbidden("<p STYLE=\"x\">"));
	assert_non_null(forbidden("<x on_x=1>"));
	assert_null(forbidden("<video controls=\"controls\"></video>"));
	assert_null(forbidden("<a href=\"https://a/\"" REL ">x</a>"));
	assert_false(is_well_formed("<p>"));
	assert_false(is_well_formed("<br>"));
	assert_false(is_well_formed("a & b"));
	assert_true(is_well_formed("<p>a &amp; b<br/></p>"));
}

/*
 * Filter-evasion vectors: the OWASP XSS Filter Evasion Cheat Sheet,
 * html5sec.org and DOMPurify's mutation XSS reports.  Each must come out
 * with nothing forbidden() finds, with and without a base, and well-formed;
 * want (without a base), when given, is the exact output.
 */
static const struct html_case vectors[] = {
	/* Script elements, however spelled. */
	{ "<script>alert(1)</script>", NULL, "" },
	{ "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>", NULL, "" },
	{ "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>", NULL, "" },
	{ "<SCRIPT SRC=http://xss.rocks/xss.js?< B >", NULL, "" },
	{ "<SCRIPT SRC=//xss.rocks/.j>", NULL, "" },
	{ "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>", NULL, "&lt;" },
	{ "<scr<script>ipt>alert(1)</script>", NULL, "ipt&gt;alert(1)" },
	{ "<scr<script>ipt>alert(1)</scr</script>ipt>", NULL, NULL },
	{ "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>", NULL, "" },
	{ "<script\n>alert(1)</script\n>after", NULL, "after" },
	/* javascript: in img src, every encoding. */
	{ "<IMG SRC=\"javascript:alert('XSS');\">", NULL, "" },
	{ "<IMG SRC=javascript:alert('XSS')>", NULL, "" },
	{ "<IMG SRC=JaVaScRiPt:alert('XSS')>", NULL, "" },
	{ "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>", NULL, "" },
	{ "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>", NULL,
	    "" },
	{ "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;"
	    "&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;"
	    "&#41;>", NULL, "" },
	{ "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
	    "&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108"
	    "&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083"
	    "&#0000083&#0000039&#0000041>", NULL, "" },
	{ "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"
	    "&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
	    NULL, "" },
	{ "<IMG SRC=\"jav\tascript:alert('XSS');\">", NULL, "" },
	{ "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">", NULL, "" },
	{ "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">", NULL, "" },
	{ "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">", NULL, "" },
	{ "<IMG SRC=\" &#14;  javascript:alert('XSS');\">", NULL, "" },
	{ "<IMG SRC=\"javascript:alert('XSS')\"", NULL, NULL },
	{ "<IMG DYNSRC=\"javascript:alert('XSS')\">", NULL, "" },
	{ "<IMG LOWSRC=\"javascript:alert('XSS')\">", NULL, "" },
	{ "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
	    NULL, "" },
	{ "<img src=\"x:alert(1)\" onerror=\"eval(src)\">", NULL, "" },
	/* Event handlers. */
	{ "<IMG SRC=# onmouseover=\"alert('xxs')\">", NULL,
	    "<img src=\"#\"/>" },
	{ "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
	    NULL, "<img src=\"/\"/>" },
	{ "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115"
	    "&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097"
	    "&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088"
	    "&#0000083&#0000083&#0000039&#0000041\">", NULL,
	    "<img src=\"x\"/>" },
	{ "<img src=x onerror=alert(1)//", NULL, NULL },
	{ "<img/src=x/onerror=alert(1)>", NULL, NULL },
	{ "<a onmouseover=\"alert(document.cookie)\">xxs link</a>", NULL,
	    "xxs link" },
	{ "<x onclick=alert(1)>click me</x>", NULL, "click me" },
	{ "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>", NULL,
	    "" },
	{ "<body onload=alert(1)>b", NULL, "b" },
	{ "<marquee onstart=alert(1)>m</marquee>", NULL, "m" },
	{ "<details open ontoggle=alert(1)>", NULL,
	    "<details open=\"open\"></details>" },
	{ "<audio src=x onerror=alert(1)>", NULL,
	    "<audio src=\"x\" controls=\"controls\"></audio>" },
	{ "<video poster=\"javascript:alert(1)\" src=\"javascript:alert(2)\" "
	    "autoplay onerror=alert(3)></video>", NULL,
	    "<video controls=\"controls\"></video>" },
	{ "<div onclick=\"alert(1)\" style=\"color:red\" class=\"x\" id=\"y\" "
	    "name=\"z\">t</div>", NULL, "<div>t</div>" },
	{ "<a href=\"https://ok.example/\" onclick=\"alert(1)\" "
	    "target=_blank>x</a>", NULL,
	    "<a href=\"https://ok.example/\"" REL ">x</a>" },
	/* javascript:, vbscript:, data: links. */
	{ "<a href=\"javascript:alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"  javascript:alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"jAvAsCrIpT:alert(1)\">x</a>", NULL, "x" },
	{ "<a href=java&#x09;script:alert(1)>x</a>", NULL, "x" },
	{ "<a href=\"&#x6A;avascript:alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"&#106avascript:alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"javas&#99;ript:alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"javascript&#58;alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"javascript&#x3A;alert(1)\">x</a>", NULL, "x" },
	/* libxml2 ends the value at &#0;, a browser would read U+FFFD. */
	{ "<a href=\"java&#0;script:alert(1)\">x</a>", NULL,
	    "<a href=\"java\"" REL ">x</a>" },
	{ "<a href=\"&#1;javascript:alert(1)\">x</a>", NULL, "x" },
	/* HTML5 names, decoded as a browser would: a javascript: URL. */
	{ "<a href=\"java&Tab;script&colon;alert(1)\">x</a>", NULL, "x" },
	{ "<p>&NotAName; &eacute &Eacute;</p>", NULL,
	    "<p>&amp;NotAName; &amp;eacute \xc3\x89</p>" },
	/* A decoded '&' or '<' starts nothing. */
	{ "<p>&AMP;lt;b&LT;i&GT;</p>", NULL, "<p>&amp;lt;b&lt;i&gt;</p>" },
	{ "<p title=\"&QUOT;&apos;&eacute\">caf&eacute;&nbsp;</p>",
	    NULL, "<p title=\"&quot;&#39;&amp;eacute\">caf\xc3\xa9\xc2\xa0"
	    "</p>" },
	{ "<a href=\"&#x26;#x6A;avascript:alert(1)\">x</a>", NULL,
	    "<a href=\"&amp;#x6A;avascript:alert(1)\"" REL ">x</a>" },
	{ "<a href='javascript:alert(1)'>x</a>", NULL, "x" },
	{ "<a href=\"vbscript:msgbox(1)\">x</a>", NULL, "x" },
	{ "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg"
	    "==\">x</a>", NULL, "x" },
	{ "<a href=\"data:,alert(1)\">x</a>", NULL, "x" },
	{ "<a href=\"javascript:alert(1)\" href=\"https://ok/\">x</a>", NULL,
	    "x" },
	{ "<a href=\"javascript:alert(1)\"><img src=\"javascript:alert(2)\">"
	    "</a>", NULL, "" },
	{ "<a href=\"x\" onmouseover=alert(1)//", NULL, NULL },
	{ "<img src=\"http://x.example/\" srcset=\"javascript:alert(1) 1x, "
	    "data:image/png,xx 2x\">", NULL,
	    "<img src=\"http://x.example/\"/>" },
	/* Style sheets, style attributes, expression(). */
	{ "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>", NULL, "" },
	{ "<style>@import \"javascript:alert(1)\";</style>s", NULL, "s" },
	{ "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}"
	    "</STYLE><UL><LI>XSS</br>", NULL, NULL },
	{ "<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss\")}"
	    "</STYLE>", NULL, "" },
	{ "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">", NULL, "" },
	{ "<p style=\"background:url(javascript:alert(1))\">x</p>", NULL,
	    "<p>x</p>" },
	{ "<div style=\"width: expression(alert('XSS'));\">y</div>", NULL,
	    "<div>y</div>" },
	{ "<span style=\"x:expression(alert(1))\">s</span>", NULL, "s" },
	{ "<style><img src=\"</style><img src=x onerror=alert(1)//\">", NULL,
	    NULL },
	/* Elements that load or run things. */
	{ "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>", NULL, "" },
	{ "<iframe src=http://xss.rocks/scriptlet.html <", NULL, "" },
	{ "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
	    NULL, "" },
	{ "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
	    NULL, "" },
	{ "<OBJECT TYPE=\"text/x-scriptlet\" "
	    "DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>", NULL, "" },
	{ "<object data=\"javascript:alert(1)\">fallback</object>", NULL,
	    "" },
	{ "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH\""
	    " type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
	    NULL, "" },
	{ "<embed src=\"javascript:alert(1)\">", NULL, "" },
	{ "<applet code=\"x.class\">a</applet>", NULL, "" },
	{ "<META HTTP-EQUIV=\"refresh\" "
	    "CONTENT=\"0;url=javascript:alert('XSS');\">", NULL, "" },
	{ "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html "
	    "base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">", NULL, "" },
	{ "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css>; "
	    "REL=stylesheet\">", NULL, "" },
	{ "<BASE HREF=\"javascript:alert('XSS');//\">", NULL, "" },
	{ "<base href=\"javascript:/a/-alert(1)///////\">"
	    "<a href=../lol/safari.html>test</a>", NULL,
	    "<a href=\"../lol/safari.html\"" REL ">test</a>" },
	{ "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">", NULL,
	    "" },
	{ "<link rel=import href=\"x\">", NULL, "" },
	{ "<BGSOUND SRC=\"javascript:alert('XSS');\">", NULL, "" },
	{ "<BODY BACKGROUND=\"javascript:alert('XSS')\">", NULL, "" },
	{ "<TABLE BACKGROUND=\"javascript:alert('XSS')\">", NULL,
	    "<table></table>" },
	{ "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">", NULL, NULL },
	{ "<div style=\"background-image:url(javascript:alert(1))\">d</div>",
	    NULL, "<div>d</div>" },
	/* Forms. */
	{ "<form action=\"javascript:alert(1)\"><input type=submit></form>",
	    NULL, "<div></div>" },
	{ "<form><button formaction=\"javascript:alert(1)\">X</button></form>",
	    NULL, "<div></div>" },
	{ "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">", NULL,
	    "" },
	{ "<input onfocus=alert(1) autofocus>", NULL, "" },
	{ "<keygen autofocus onfocus=alert(1)>", NULL, "" },
	{ "<isindex type=image src=1 onerror=alert(1)>", NULL, "" },
	{ "<isindex action=javascript:alert(1) type=image>", NULL, "" },
	{ "<textarea><script>alert(1)</script></textarea>", NULL, "" },
	{ "<select><option><script>alert(1)</script></option></select>",
	    NULL, "" },
	/* Foreign content and mutation XSS. */
	{ "<svg/onload=alert('XSS')>", NULL, "" },
	{ "<svg><script>alert(1)</script></svg>", NULL, "" },
	{ "<svg><p><style><img src=x onerror=alert(1)>", NULL, "" },
	{ "<math><a xlink:href=\"javascript:alert(1)\">click</a></math>",
	    NULL, "" },
	{ "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	    NULL, "" },
	{ "<form><math><mtext></form><form><mglyph><style></math>"
	    "<img src onerror=alert(1)>", NULL, NULL },
	{ "<a xlink:href=\"javascript:alert(1)\">x</a>", NULL, "x" },
	{ "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"
	    "</noscript>", NULL, "" },
	{ "<p title=\"</p><img src=x onerror=alert(1)>\">t</p>", NULL,
	    "<p>t</p>" },
	{ "<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\">", NULL,
	    "<pre><p></p></pre>" },
	{ "<img src=\"x\" alt=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
	    NULL, "<img src=\"x\"/>" },
	{ "<template><script>alert(1)</script></template>", NULL, "" },
	{ "<title><script>alert(1)</script></title>", NULL, "" },
	/* Comments, CDATA, processing instructions. */
	{ "<!--<script>alert(1)</script>-->", NULL, "" },
	{ "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
	    NULL, "" },
	{ "<![CDATA[<script>alert(1)</script>]]>", NULL, "" },
	{ "<?xml-stylesheet href=\"javascript:alert(1)\"?>", NULL, "" },
	{ "<!DOCTYPE html><p>d</p>", NULL, "<p>d</p>" },
	{ "<IMG SRC=\"`<javascript:alert>`('XSS')\"", NULL, NULL },
};

static void
check_vector(size_t i, const char *in, const char *base, const char *want)
{
	const char *bad;
	char *out;

	out = clean_html(in, base);
	if ((bad = forbidden(out)) != NULL)
		fail_msg("vector %zu (base %s): \"%s\" gave \"%s\", which "
		    "holds \"%s\"", i, base ? base : "none", in, out, bad);
	if (!is_well_formed(out))
		fail_msg("vector %zu: \"%s\" gave \"%s\", not well-formed", i,
		    in, out);
	if (want != NULL && strcmp(out, want) != 0)
		fail_msg("vector %zu: \"%s\" gave \"%s\", want \"%s\"", i, in,
		    out, want);
	free(out);
}

static void
test_vectors(void **state)
{
	size_t i, exact = 0;

	(void)state;
	for (i = 0; i < NELEM(vectors); i++) {
		check_vector(i, vectors[i].in, NULL, vectors[i].want);
		check_vector(i, vectors[i].in, BASE, NULL);
		exact += vectors[i].want != NULL;
	}
	/* The brief asks for at least 60, most with an exact answer. */
	assert_true(NELEM(vectors) >= 60);
	assert_true(exact * 4 >= NELEM(vectors) * 3);
}

/* NUL bytes cannot sit in the table's C strings. */
/*
 * The escaper skips eight plain bytes at a time: each character that
 * needs care, at every offset around a word, in text and in an attribute,
 * comes out as it does alone.
 */
static void
test_escape_offsets(void **state)
{
	static const struct {
		const char *in, *text, *attr;
	} cases[] = {
		{ "&amp;", "&amp;", "&amp;" },
		/* A text attribute holding '<' is dropped (see html.c). */
		{ "&lt;", "&lt;", NULL },
		{ ">", "&gt;", "&gt;" },
		{ "&quot;", "\"", "&quot;" },
		{ "'", "'", "&#39;" },
		{ "\t", "\t", "&#9;" },
		{ "\xc3\xa9", "\xc3\xa9", "\xc3\xa9" },
		{ "\xe2\x82\xac", "\xe2\x82\xac", "\xe2\x82\xac" },
	};
	char in[256], want[256], pad_a[24], pad_b[24];
	size_t c, k;
	char *out;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (k = 0; k < 20; k++) {
			memset(pad_a, 'a', k);
			pad_a[k] = '\0';
			memset(pad_b, 'b', 19 - k);
			pad_b[19 - k] = '\0';
			snprintf(in, sizeof(in), "<p>%s%s%s</p>", pad_a,
			    cases[c].in, pad_b);
			snprintf(want, sizeof(want), "<p>%s%s%s</p>", pad_a,
			    cases[c].text, pad_b);
			out = clean_html(in, NULL);
			assert_string_equal(out, want);
			free(out);
			snprintf(in, sizeof(in), "<p title=\"%s%s%s\">x</p>",
			    pad_a, cases[c].in, pad_b);
			if (cases[c].attr != NULL)
				snprintf(want, sizeof(want),
				    "<p title=\"%s%s%s\">x</p>", pad_a,
				    cases[c].attr, pad_b);
			else
				snprintf(want, sizeof(want), "<p>x</p>");
			out = clean_html(in, NULL);
			assert_string_equal(out, want);
			free(out);
		}
}

static void
test_nul_bytes(void **state)
{
	static const char href[] = "<a href=\"java\0script:alert(1)\">x</a>";
	static const char text[] = "a\0b<b>c\0d</b>";
	static const char plain[] = "a\0b";
	char *html = NULL, *t = NULL;

	(void)state;
	assert_int_equal(html_clean(href, sizeof(href) - 1, NULL, &html, &t),
	    0);
	assert_string_equal(html, "x");
	assert_string_equal(t, "x");
	free(html);
	free(t);
	assert_int_equal(html_clean(text, sizeof(text) - 1, NULL, &html, &t),
	    0);
	assert_string_equal(html, "ab<b>cd</b>");
	assert_string_equal(t, "abcd");
	free(html);
	free(t);
	assert_int_equal(html_clean(plain, sizeof(plain) - 1, NULL, &html,
	    &t), 0);
	assert_string_equal(html, "ab");
	assert_string_equal(t, "ab");
	free(html);
	free(t);
}

/* The allow-list as documented, and the elements that go with their
 * content. */
static void
test_elem_table(void **state)
{
	static const char *const allowed[] = {
		"a", "abbr", "acronym", "address", "audio", "b", "bdi", "bdo",
		"big", "blockquote", "br", "caption", "cite", "code", "col",
		"colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
		"em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
		"h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
		"picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
		"small", "source", "span", "strike", "strong", "sub",
		"summary", "sup", "table", "tbody", "td", "tfoot", "th",
		"thead", "time", "tr", "tt", "u", "ul", "var", "video", "wbr",
	};
	static const char *const dropped[] = {
		"applet", "button", "datalist", "frameset", "head", "iframe",
		"math", "noembed", "noframes", "noscript", "object",
		"optgroup", "option", "portal", "script", "select", "style",
		"svg", "template", "textarea", "title", "xml",
	};
	static const char *const dropped_void[] = {
		"area", "base", "basefont", "bgsound", "embed", "frame",
		"image", "input", "isindex", "keygen", "link", "meta", "param",
		"track",
	};
	const struct html_elem *el;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(allowed); i++) {
		el = html_elem_lookup((const xmlChar *)allowed[i]);
		if (el == NULL || !(el->flags & HE_ALLOW) ||
		    strcmp(el->name, allowed[i]) != 0)
			fail_msg("%s is not allowed", allowed[i]);
	}
	for (i = 0; i < NELEM(dropped); i++) {
		el = html_elem_lookup((const xmlChar *)dropped[i]);
		if (el == NULL || (el->flags & (HE_ALLOW | HE_DROP |
		    HE_VOID)) != HE_DROP)
			fail_msg("%s is not dropped with its content",
			    dropped[i]);
	}
	for (i = 0; i < NELEM(dropped_void); i++) {
		el = html_elem_lookup((const xmlChar *)dropped_void[i]);
		if (el == NULL || (el->flags & (HE_ALLOW | HE_DROP |
		    HE_VOID)) != (HE_DROP | HE_VOID))
			fail_msg("%s is not a dropped void element",
			    dropped_void[i]);
	}
	assert_non_null(html_elem_lookup((const xmlChar *)"SCRIPT"));
	assert_null(html_elem_lookup((const xmlChar *)"font"));
	assert_null(html_elem_lookup((const xmlChar *)"scrip"));
	assert_null(html_elem_lookup(NULL));
}

/* Harmless markup survives exactly; URLs are resolved against base. */
static const struct html_case keeps[] = {
	{ "", NULL, "" },
	{ "<p>Hello <b>world</b></p>", NULL, "<p>Hello <b>world</b></p>" },
	{ "<a href=\"/post/1\">x</a>", BASE,
	    "<a href=\"https://example.org/post/1\"" REL ">x</a>" },
	{ "<a href=\"2.html#c\">x</a>", BASE,
	    "<a href=\"https://example.org/feed/2.html#c\"" REL ">x</a>" },
	{ "<a href=\" post.html \">x</a>", NULL,
	    "<a href=\"post.html\"" REL ">x</a>" },
	{ "<a href=\"//cdn.example/x\">x</a>", NULL,
	    "<a href=\"//cdn.example/x\"" REL ">x</a>" },
	{ "<a href=\"HTTPS://Example.ORG/a?b=1&amp;c=2\">q</a>", NULL,
	    "<a href=\"https://Example.ORG/a?b=1&amp;c=2\"" REL ">q</a>" },
	{ "<a href=\"mailto:me@example.org\">mail</a>", BASE,
	    "<a href=\"mailto:me@example.org\"" REL ">mail</a>" },
	{ "<a name=\"top\" id=\"t\">anchor</a>", NULL, "anchor" },
	/* A ":" in the first segment must make a scheme (RFC 3986 4.2). */
	{ "<a href=\"1x:y\">q</a><a href=\"a b:c\">r</a>", BASE, "qr" },
	{ "<a href=\"./1x:y\">q</a>", BASE,
	    "<a href=\"https://example.org/feed/1x:y\"" REL ">q</a>" },
	/* Attributes are allowed per element. */
	{ "<p href=\"https://a.example/\" src=\"x\" width=\"5\" open "
	    "cite=\"y\" datetime=\"2024\">t</p>", NULL, "<p>t</p>" },
	{ "<img src=\"x\" href=\"y\" cite=\"z\" colspan=\"2\">", NULL,
	    "<img src=\"x\"/>" },
	{ "<img src=\"a.png\" alt=\"A cat\" width=\"100\" height=\"50\" "
	    "class=\"x\">", BASE,
	    "<img src=\"https://example.org/feed/a.png\" alt=\"A cat\" "
	    "width=\"100\" height=\"50\"/>" },
	{ "<img src=\"a.png\" width=\"100%\" height=\" 7 \">", NULL,
	    "<img src=\"a.png\" height=\"7\"/>" },
	{ "<img alt=\"no source\">", NULL, "" },
	{ "<img src=\"a.png\" srcset=\"a.png 1x,b.png  2x , c.png 100w\" "
	    "sizes=\"50vw\">", BASE,
	    "<img src=\"https://example.org/feed/a.png\" "
	    "srcset=\"https://example.org/feed/a.png 1x, "
	    "https://example.org/feed/b.png 2x, "
	    "https://example.org/feed/c.png 100w\" sizes=\"50vw\"/>" },
	/* Candidates with descriptors a browser refuses are dropped. */
	{ "<img src=\"a\" srcset=\"b 1x, c x, d 2.x, e 1.5x 2w, f 100w 50h, "
	    "g 50h, h 1e2x, i (x) 2x, j 3x,\x0f k, l .5x\">", NULL,
	    "<img src=\"a\" srcset=\"b 1x, f 100w 50h, j 3x, l .5x\"/>" },
	{ "<img src=\"a\" srcset=\"t,\x0f x\">", BASE,
	    "<img src=\"https://example.org/feed/a\"/>" },
	{ "<img src=\"a\" srcset=\"\x0f,x 2x\">", NULL,
	    "<img src=\"a\"/>" },
	{ "<picture><source srcset=\"a.webp\" type=\"image/webp\">"
	    "<img src=\"a.png\"></picture>", NULL,
	    "<picture><source srcset=\"a.webp\" type=\"image/webp\"/>"
	    "<img src=\"a.png\"/></picture>" },
	{ "<source src=\"x.mp3\"><p>p</p>", NULL, "<p>p</p>" },
	/* libxml2 nests what follows these HTML5 void elements in them. */
	{ "<p>a<wbr>b<embed src=x>c<keygen>d<track src=t>e</p>", NULL,
	    "<p>a<wbr/>bcde</p>" },
	{ "<video><source src=\"v.webm\"><track src=\"t.vtt\">old</video>"
	    "after", NULL, "<video controls=\"controls\"><source "
	    "src=\"v.webm\"/>old</video>after" },
	{ "<video src=\"v.mp4\" poster=\"p.jpg\" autoplay controls "
	    "width=\"640\">Your browser</video>", BASE,
	    "<video src=\"https://example.org/feed/v.mp4\" "
	    "poster=\"https://example.org/feed/p.jpg\" width=\"640\" "
	    "controls=\"controls\">Your browser</video>" },
	{ "<table><caption>c</caption><thead><tr><th scope=\"col\">h</th>"
	    "</tr></thead><tbody><tr><td colspan=\"2\" rowspan=x>1</td>"
	    "<td>2</td></tr></tbody></table>", NULL,
	    "<table><caption>c</caption><thead><tr><th scope=\"col\">h</th>"
	    "</tr></thead><tbody><tr><td colspan=\"2\">1</td><td>2</td>"
	    "</tr></tbody></table>" },
	{ "<td>cell</td>", NULL, "<div>cell</div>" },
	/* Structure a browser would not keep as written. */
	{ "<p>text<figure><img src=\"f.png\"></figure></p><p>plain</p>", NULL,
	    "<div>text<figure><img src=\"f.png\"/></figure></div>"
	    "<p>plain</p>" },
	{ "<p lang=\"en\">a<font><p>b</p></font></p>", NULL,
	    "<div lang=\"en\">a<p>b</p></div>" },
	{ "<p>a<template><div></div></template><b>b</b></p>", NULL,
	    "<p>a<b>b</b></p>" },
	/* Known only at the block inside it: both <p> are rewritten in
	 * place, the inner one after it moved with the outer one. */
	{ "<p>a<b>x<font><p>b<i>y<figure>c</figure></i></p></font></b>z</p>",
	    NULL, "<div>a<b>x<div>b<i>y<figure>c</figure></i></div></b>z"
	    "</div>" },
	{ "<p dir=\"rtl\">a<span title=\"t\">s<p>b<em>e<table><tr><td>c"
	    "</td></tr></table></em></p>q</span>z<ul><li>l</li></ul></p>", NULL,
	    "<div dir=\"rtl\">a<span title=\"t\">s<div>b<em>e<table><tr><td>"
	    "c</td></tr></table></em></div>q</span>z</div><ul><li>l</li></ul>" },
	{ "<a href=\"/1\">a<x><a href=\"/2\">b</a></x></a>", NULL,
	    "<a href=\"/1\"" REL ">ab</a>" },
	{ "<li>a<x><li value=\"3\">b</li></x></li><ul><li>c<div><ul><li>d</li></ul>"
	    "</div></li></ul>", NULL, "<li>a<div>b</div></li><ul><li>c<div>"
	    "<ul><li>d</li></ul></div></li></ul>" },
	{ "<dl><dt>a<x><dd>b</dd></x></dt></dl>", NULL,
	    "<dl><dt>a<div>b</div></dt></dl>" },
	{ "<h1>a<x><h2>b</h2></x></h1><h2><b><h3>c</h3></b></h2>", NULL,
	    "<h1>a<div>b</div></h1><h2><b><h3>c</h3></b></h2>" },
	{ "<ul><li>a</li><li>b</li></ul><ol start=\"3\" reversed><li "
	    "value=\"-2\">c</li></ol>", NULL,
	    "<ul><li>a</li><li>b</li></ul><ol start=\"3\" "
	    "reversed=\"reversed\"><li value=\"-2\">c</li></ol>" },
	{ "<dl><dt>t</dt><dd>d</dd></dl>", NULL,
	    "<dl><dt>t</dt><dd>d</dd></dl>" },
	{ "<blockquote cite=\"http://q.example/\"><p>q</p></blockquote>",
	    NULL, "<blockquote cite=\"http://q.example/\"><p>q</p>"
	    "</blockquote>" },
	{ "<h1>T</h1><h6>t</h6><hr>", NULL, "<h1>T</h1><h6>t</h6><hr/>" },
	{ "<p>a<br>b<br/>c</p>", NULL, "<p>a<br/>b<br/>c</p>" },
	{ "<pre>  code\n    more</pre>", NULL,
	    "<pre>  code\n    more</pre>" },
	{ "<p><code>x</code> <kbd>k</kbd> <sub>2</sub><sup>3</sup> "
	    "<em>e</em> <i>i</i> <u>u</u> <s>s</s> <mark>m</mark> "
	    "<small>s</small> <q cite=\"q.html\">q</q> <abbr title=\"t\">a"
	    "</abbr> <cite>c</cite> <dfn>d</dfn> <var>v</var> "
	    "<samp>s</samp> <tt>t</tt> <big>b</big> <strike>s</strike> "
	    "<del datetime=\"2024\">d</del> <ins>i</ins> <bdi>b</bdi> "
	    "<bdo dir=\"rtl\">b</bdo> <wbr> <time datetime=\"2024-01-02\">"
	    "t</time></p>", NULL,
	    "<p><code>x</code> <kbd>k</kbd> <sub>2</sub><sup>3</sup> "
	    "<em>e</em> <i>i</i> <u>u</u> <s>s</s> <mark>m</mark> "
	    "<small>s</small> <q cite=\"q.html\">q</q> <abbr title=\"t\">a"
	    "</abbr> <cite>c</cite> <dfn>d</dfn> <var>v</var> "
	    "<samp>s</samp> <tt>t</tt> <big>b</big> <strike>s</strike> "
	    "<del datetime=\"2024\">d</del> <ins>i</ins> <bdi>b</bdi> "
	    "<bdo dir=\"rtl\">b</bdo> <wbr/> <time datetime=\"2024-01-02\">"
	    "t</time></p>" },
	{ "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>", NULL,
	    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>" },
	{ "<figure><img src=\"f.png\"><figcaption>cap</figcaption></figure>",
	    NULL, "<figure><img src=\"f.png\"/><figcaption>cap</figcaption>"
	    "</figure>" },
	{ "<details><summary>s</summary>d</details>", NULL,
	    "<details><summary>s</summary>d</details>" },
	{ "<section><p>a</p></section><article>b</article><center>c</center>",
	    NULL, "<div><p>a</p></div><div>b</div><div>c</div>" },
	{ "<menu><li>m</li></menu>", NULL, "<ul><li>m</li></ul>" },
	{ "<font color=red face=x>red</font> <span class=\"x\">y</span>",
	    NULL, "red y" },
	{ "<span lang=\"fr\">oui</span>", NULL,
	    "<span lang=\"fr\">oui</span>" },
	{ "<p dir=\"RTL\" lang=\"ar\" title='say \"hi\"'>x</p>", NULL,
	    "<p dir=\"rtl\" lang=\"ar\" title=\"say &quot;hi&quot;\">x</p>" },
	{ "<p dir=\"sideways\" lang=\"e n\" title=\"a\nb\">x</p>", NULL,
	    "<p title=\"a&#10;b\">x</p>" },
	{ "caf&eacute; &amp; cr&egrave;me", NULL, "café &amp; crème" },
	{ "a&nbsp;b", NULL, "a\xc2\xa0" "b" },
	{ "AT&T", NULL, "AT&amp;T" },
	{ "a < b", NULL, "a &lt; b" },
	{ "x > y \"q\" 'a'", NULL, "x &gt; y \"q\" 'a'" },
	{ "&lt;script&gt;", NULL, "&lt;script&gt;" },
	{ "&#x1F600; &#128512;", NULL, "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80" },
	{ "日本語 <b>テキスト</b>", NULL, "日本語 <b>テキスト</b>" },
	/* Controls go; a C1 U+0085 is windows-1252's 0x85, an ellipsis. */
	{ "a\x01" "b\x7f" "c\xef\xbf\xbf" "d\xff" "e\xc2\x85" "f", NULL,
	    "abcde\xe2\x80\xa6" "f" },
	{ "don&#146;t \xc2\x81x", NULL, "don\xe2\x80\x99t x" },
	{ "<b>a\x01" "b\xed\xa0\x80" "c\xc0\xaf" "d</b>", NULL,
	    "<b>abcd</b>" },
	{ "<p>a</p><!-- c --><?pi x?>b", NULL, "<p>a</p>b" },
	{ "<![CDATA[<p>x</p>]]>", NULL, "<p>x</p>" },
	{ "<p>unclosed <b>bold", NULL, "<p>unclosed <b>bold</b></p>" },
	{ "<html><head><title>T</title></head><body><p>b</p></body></html>",
	    NULL, "<p>b</p>" },
	{ "<meta charset=\"iso-8859-1\">é", NULL, "é" },
};

static void
test_keeps(void **state)
{
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < NELEM(keeps); i++) {
		out = clean_html(keeps[i].in, keeps[i].base);
		if (strcmp(out, keeps[i].want) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\", want \"%s\"", i,
			    keeps[i].in, out, keeps[i].want);
		if (!is_well_formed(out))
			fail_msg("case %zu: \"%s\" not well-formed", i, out);
		free(out);
	}
}

/* Sanitizing sanitized output changes nothing. */
static void
check_idempotent(const struct html_case *c, size_t n)
{
	char *once, *twice;
	size_t i;

	for (i = 0; i < n; i++) {
		once = clean_html(c[i].in, c[i].base);
		twice = clean_html(once, c[i].base);
		if (strcmp(once, twice) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\", then \"%s\"", i,
			    c[i].in, once, twice);
		free(once);
		free(twice);
	}
}

static void
test_idempotent(void **state)
{
	(void)state;
	check_idempotent(vectors, NELEM(vectors));
	check_idempotent(keeps, NELEM(keeps));
}

static const struct text_case texts[] = {
	{ "", "" },
	{ "<p>Hello  <b>world</b></p>", "Hello world" },
	{ "<div>Hello\nworld</div>", "Hello world" },
	{ "  plain   text\r\n here  ", "plain text here" },
	{ "<b>x</b> <i>y</i>", "x y" },
	{ "x<span>y</span>z", "xyz" },
	{ "<p>a</p><p>b</p>", "a\n\nb" },
	{ "<p>a</p>\n\n<div> <p>b</p> </div>\n", "a\n\nb" },
	{ "a<br>b", "a\nb" },
	{ "a <br> b", "a\nb" },
	{ "a<br><br>b", "a\n\nb" },
	{ "a<br><br><br><br>b", "a\n\nb" },
	{ "<br>lead<br>", "lead" },
	{ "<p>a<br></p><p>b</p>", "a\n\nb" },
	{ "<h1>Title</h1>text", "Title\n\ntext" },
	{ "<blockquote><p>q</p></blockquote><p>r</p>", "q\n\nr" },
	{ "<ul><li>one</li><li>two</li></ul>", "- one\n- two" },
	{ "<ol><li>one</li><li>two</li></ol>", "1. one\n2. two" },
	{ "<ol start=\"9\"><li>a<li>b</ol><ol start=\"-1\"><li>c</ol>"
	    "<ol start=\"x\"><li>d</ol>", "9. a\n10. b\n\n-1. c\n\n1. d" },
	{ "<ul><li></li><li>x</li></ul>", "- x" },
	{ "<p>intro</p><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"
	    "<p>end</p>", "intro\n\n- a\n- b\n- c\n\nend" },
	{ "<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>",
	    "1. a\n- b\n2. c" },
	{ "<ul><li><p>x</p><p>y</p></li></ul>", "- x\ny" },
	{ "<li>stray</li>", "- stray" },
	{ "<dl><dt>t</dt><dd>d</dd></dl>", "t\nd" },
	{ "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td>"
	    "</tr></table>", "a b\nc d" },
	{ "<table><tr><th>h</th></tr></table>after", "h\n\nafter" },
	{ "<p>x</p><pre>  a\n\n\n  b  \n</pre>after",
	    "x\n\n  a\n\n  b\n\nafter" },
	{ "<pre>\n  lead</pre>", "lead" },
	{ "<pre>a\r\nb\tc</pre>", "a\nb\tc" },
	{ "<script>var x;</script>visible<style>p{}</style>", "visible" },
	{ "<noscript>ns</noscript><iframe>if</iframe><textarea>ta</textarea>"
	    "<select><option>o</option></select><title>t</title>ok", "ok" },
	{ "<svg><text>s</text></svg><math><mi>m</mi></math>ok", "ok" },
	{ "<video>fallback</video><audio>fb</audio>ok", "ok" },
	{ "<img src=x alt=\"pic\">after", "after" },
	{ "a<wbr>b<embed src=x>c<source src=y>d", "abcd" },
	{ "caf&eacute; &amp; AT&T &lt;b&gt;", "café & AT&T <b>" },
	{ "a&nbsp;&nbsp;b", "a b" },
	{ "a < b", "a < b" },
	{ "<p>a</p><hr><p>b</p>", "a\n\nb" },
	{ "x<hr>y", "x\n\ny" },
	{ "<!-- c -->a<?pi?>b", "ab" },
	{ "<p>\xe2\x80\x8bzero\x01width\xff</p>", "\xe2\x80\x8bzerowidth" },
	{ "<article><h2>T</h2><p>a</p></article><footer>f</footer>",
	    "T\n\na\n\nf" },
	{ "<p>unclosed<p>next", "unclosed\n\nnext" },
};

static void
test_text(void **state)
{
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < NELEM(texts); i++) {
		out = clean_text(texts[i].in);
		if (strcmp(out, texts[i].want) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\", want \"%s\"", i,
			    texts[i].in, out, texts[i].want);
		free(out);
	}
}

/* The same article with other markup must give the same text (dedup). */
static const char *const same_text[][5] = {
	{ "<p>Hello  <b>world</b></p>", "<div>Hello\nworld</div>",
	    "Hello world", " Hello&nbsp;world ",
	    "<span>Hello</span> <em>world</em>" },
	{ "<p>a</p><p>b</p>", "<div>a</div>\n<div>b</div>", "<p>a<p>b",
	    "a<br><br>b", "<section><p>a</p></section><p>b</p>" },
	{ "<ul><li>x</li><li>y</li></ul>", "<ul>\n  <li>x\n  <li>y\n</ul>",
	    "<ul><li><p>x</p></li><li><p>y</p></li></ul>",
	    "<menu><li>x<li>y</menu>", "<ul><li> x </li><li>y</li></ul>" },
};

static void
test_text_same(void **state)
{
	size_t i, j;
	char *first, *out;

	(void)state;
	for (i = 0; i < NELEM(same_text); i++) {
		first = clean_text(same_text[i][0]);
		for (j = 1; j < NELEM(same_text[i]); j++) {
			out = clean_text(same_text[i][j]);
			if (strcmp(out, first) != 0)
				fail_msg("\"%s\" gave \"%s\", but \"%s\" gave "
				    "\"%s\"", same_text[i][j], out,
				    same_text[i][0], first);
			free(out);
		}
		free(first);
	}
}

/*
 * Text without "<" or "&" skips the parser; it must read the same as when
 * parsed (a comment forces the parser without adding anything).
 */
static void
test_plain_path(void **state)
{
	static const char *const plain[] = {
		"", "plain", "  a  b\n\nc ", "x > y \"q\" 'a'", "日本語\xc2\xa0x",
		"a\x01" "b\xff" "c\xef\xbf\xbe", "t\tab\r\n", "]] >",
	};
	char *h1, *t1, *h2, *t2, *parsed;
	size_t i, len;

	(void)state;
	for (i = 0; i < NELEM(plain); i++) {
		len = strlen(plain[i]);
		parsed = malloc(len + 8);
		assert_non_null(parsed);
		memcpy(parsed, "<!---->", 7);
		memcpy(parsed + 7, plain[i], len + 1);
		assert_int_equal(html_clean(plain[i], len, NULL, &h1, &t1), 0);
		assert_int_equal(html_clean(parsed, len + 7, NULL, &h2, &t2),
		    0);
		if (strcmp(h1, h2) != 0 || strcmp(t1, t2) != 0)
			fail_msg("\"%s\": plain \"%s\"/\"%s\", parsed "
			    "\"%s\"/\"%s\"", plain[i], h1, t1, h2, t2);
		free(h1);
		free(t1);
		free(h2);
		free(t2);
		free(parsed);
	}
}

static void
test_both_outputs(void **state)
{
	char *html = NULL, *text = NULL;

	(void)state;
	assert_int_equal(html_clean("<p>a <script>x</script>b</p>", 28,
	    BASE, &html, &text), 0);
	assert_string_equal(html, "<p>a b</p>");
	assert_string_equal(text, "a b");
	free(html);
	free(text);
	/* Neither output: still a valid call. */
	assert_int_equal(html_clean("<p>a</p>", 8, NULL, NULL, NULL), 0);
	/* Only len bytes are read. */
	assert_int_equal(html_clean("<b>ab</b>", 5, NULL, &html, NULL), 0);
	assert_string_equal(html, "<b>ab</b>");
	free(html);
}

static void
test_invalid(void **state)
{
	char *html = sentinel, *text = sentinel;

	(void)state;
	assert_int_equal(html_clean(NULL, 3, NULL, &html, &text), -EINVAL);
	assert_ptr_equal(html, sentinel);
	assert_ptr_equal(text, sentinel);
	assert_int_equal(html_clean(NULL, 0, NULL, &html, &text), 0);
	assert_string_equal(html, "");
	assert_string_equal(text, "");
	free(html);
	free(text);
}

/* Counts the occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Builds prefix, then unit n times, then suffix. */
static char *
repeat(const char *prefix, const char *unit, size_t n, const char *suffix)
{
	size_t plen = strlen(prefix), ulen = strlen(unit), i;
	char *s, *p;

	s = malloc(plen + ulen * n + strlen(suffix) + 1);
	assert_non_null(s);
	memcpy(s, prefix, plen);
	p = s + plen;
	for (i = 0; i < n; i++, p += ulen)
		memcpy(p, unit, ulen);
	strcpy(p, suffix);
	return s;
}

/* 100000 nested elements: no stack overflow, nesting capped. */
static void
test_deep(void **state)
{
	char *in, *html, *text;

	(void)state;
	in = repeat("", "<div>", 100000, "deep");
	assert_int_equal(html_clean(in, strlen(in), NULL, &html, &text), 0);
	assert_int_equal(count(html, "<div>"), HTML_MAX_DEPTH);
	assert_int_equal(count(html, "</div>"), HTML_MAX_DEPTH);
	assert_non_null(strstr(html, ">deep</div>"));
	assert_true(is_well_formed(html));
	assert_string_equal(text, "deep");
	free(in);
	free(html);
	free(text);

	/* Past the cap elements are unwrapped, their text stays in order. */
	in = repeat("", "<b>x", 300, "");
	assert_int_equal(html_clean(in, strlen(in), NULL, &html, NULL), 0);
	assert_int_equal(count(html, "<b>"), HTML_MAX_DEPTH);
	assert_int_equal(count(html, "x"), 300);
	assert_true(is_well_formed(html));
	free(in);
	free(html);

	in = repeat("", "<ul><li>i", 2000, "");
	assert_int_equal(html_clean(in, strlen(in), NULL, &html, &text), 0);
	assert_true(is_well_formed(html));
	assert_int_equal(count(text, "- i"), 2000);
	free(in);
	free(html);
	free(text);
}

/* Output past HTML_MAX_OUT is cut, at a character, with tags closed. */
static void
test_output_cap(void **state)
{
	char *in, *html, *text;
	struct buf b;
	size_t len;

	(void)state;
	/* ">" becomes "&gt;": 4.25 MiB of them make 17 MiB of output. */
	in = repeat("<p><b>", ">", 17u << 18, "");
	assert_int_equal(html_clean(in, strlen(in), NULL, &html, &text), 0);
	len = strlen(html);
	assert_true(len <= HTML_MAX_OUT + 64);
	assert_true(len > HTML_MAX_OUT - 64);
	assert_memory_equal(html, "<p><b>&gt;", 10);
	assert_memory_equal(html + len - 12, "&gt;</b></p>", 12);
	assert_int_equal(strlen(text), 17u << 18);
	free(in);
	free(html);
	free(text);

	/* Plain text takes the other path, and the same cap. */
	in = repeat("", ">", 17u << 18, "");
	assert_int_equal(html_clean(in, strlen(in), NULL, &html, NULL), 0);
	len = strlen(html);
	assert_true(len <= HTML_MAX_OUT && len > HTML_MAX_OUT - 4);
	assert_memory_equal(html + len - 4, "&gt;", 4);
	free(in);
	free(html);

	/*
	 * The text is cut after the last whole word that fits, with no
	 * space after it: 2^21 words of seven letters and a space are
	 * 16 MiB less one byte.  (html_clean() cuts its input at 16 MiB,
	 * so only the converter itself sees this much.)
	 */
	in = repeat("", "abcdefg ", (16u << 20) / 8 + 1000, "");
	buf_init(&b, HTML_MAX_OUT);
	assert_int_equal(html_text_plain(in, strlen(in), &b), -E2BIG);
	assert_int_equal(b.len, HTML_MAX_OUT - 1);
	assert_memory_equal(b.p + HTML_MAX_OUT - 9, " abcdefg", 8);
	buf_free(&b);
	/* A word that would end one byte past the cap is left out. */
	in[HTML_MAX_OUT - 1] = 'x';
	buf_init(&b, HTML_MAX_OUT);
	assert_int_equal(html_text_plain(in, strlen(in), &b), -E2BIG);
	assert_int_equal(b.len, HTML_MAX_OUT - 9);
	buf_free(&b);
	free(in);
}

static const struct text_case escapes[] = {
	{ "", "" },
	{ "plain", "plain" },
	{ "<a href=\"x\">'&'</a>",
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;" },
	{ "café\tA\nB", "café\tA\nB" },
	{ "a\x01" "b\xff" "c", "abc" },
};

static void
test_escape(void **state)
{
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < NELEM(escapes); i++) {
		out = html_escape(escapes[i].in);
		assert_non_null(out);
		if (strcmp(out, escapes[i].want) != 0)
			fail_msg("html_escape(\"%s\") = \"%s\", want \"%s\"",
			    escapes[i].in, out, escapes[i].want);
		free(out);
	}
}

/*
 * Every element of the table is found under its name in lower, upper and
 * mixed case, as that very entry; a name one letter longer or shorter is
 * found only as the entry of that name, and names outside the table not
 * at all.
 */
static void
test_elem_lookup(void **state)
{
	static const char *const unknown[] = {
		"", "x", "scripts", "bb", "h7", "blink2", "\xc3\xa9",
	};
	char name[64];
	size_t i, k, n;

	(void)state;
	for (i = 0; i < html_elem_count; i++) {
		const struct html_elem *e = &html_elem_table[i];

		n = strlen(e->name);
		assert_true(n + 2 < sizeof(name));
		assert_ptr_equal(html_elem_lookup((const xmlChar *)e->name), e);
		for (k = 0; k <= n; k++)
			name[k] = (char)toupper((unsigned char)e->name[k]);
		assert_ptr_equal(html_elem_lookup((const xmlChar *)name), e);
		for (k = 0; k < n; k += 2)
			name[k] = e->name[k];
		assert_ptr_equal(html_elem_lookup((const xmlChar *)name), e);

		/* One letter more, one less: only what the table has. */
		memcpy(name, e->name, n);
		memcpy(name + n, "q", 2);
		for (k = 0; k < 2; k++) {
			const struct html_elem *got;
			size_t j;

			got = html_elem_lookup((const xmlChar *)name);
			for (j = 0; j < html_elem_count &&
			    strcmp(html_elem_table[j].name, name) != 0; j++)
				;
			assert_ptr_equal(got, j < html_elem_count ?
			    &html_elem_table[j] : NULL);
			name[n - 1] = '\0';
		}
	}
	for (i = 0; i < NELEM(unknown); i++)
		assert_null(html_elem_lookup((const xmlChar *)unknown[i]));
	assert_null(html_elem_lookup(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forbidden_checker),
		cmocka_unit_test(test_elem_table),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_escape_offsets),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_keeps),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_same),
		cmocka_unit_test(test_plain_path),
		cmocka_unit_test(test_both_outputs),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_elem_lookup),
	};
	int r;

	r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return r;
}
