/*
 * fuzz-html.c - html_clean() of feeds/html.c and feeds/text.c: the
 * allow-list sanitizer and the text converter.
 *
 * Input: the HTML fragment.  A first byte 0x00 to 0x03 is not part of it
 * but picks the base URL from bases[]; any other input is resolved
 * against DEFAULT_BASE.
 *
 * The sanitized HTML is read back with a strict tokenizer of the form
 * html.c writes (start tags with name="value" attributes, "/>" for void
 * elements, end tags, escaped text), which checks:
 *  - tags balance, text holds no raw ">" and only &amp; &lt; &gt;;
 *  - no element that the policy drops or renames survives (script,
 *    style, iframe, svg, form...), and "<script", "<iframe", "<style"
 *    appear nowhere, whatever the case;
 *  - no on* event attribute, no style= and none of the other attributes
 *    the policy refuses;
 *  - every URL attribute (href, src, cite, poster, each srcset
 *    candidate), decoded and read the way a browser reads it, has no
 *    scheme but http, https or mailto, and with a base it has one;
 *  - <a> has an href and our rel, <img> a src.
 * "javascript:" and " on...=" are looked for in markup only: text and
 * title/alt values may say them, escaped, and that is harmless.
 * Both outputs are valid UTF-8 when the input is; the text has no
 * trailing white space on a line and no more than one blank line.
 * Last, the sanitized HTML is sanitized again and must pass the same
 * checks (html.c: "re-parsing our output cannot do more than the tree we
 * checked").  It need not come out the same: html.c renames unknown
 * block elements to <div> wherever they are, and "<p><section>" gives
 * "<p><div>", which a parser reads as "<p></p><div>" (html.c accepts
 * that a second parse re-nests invalid structure), so idempotence is
 * not a property of this sanitizer and is not checked.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "html.h"

#define DEFAULT_BASE	"https://example.org/feed/"

static const char *const bases[] = {
	NULL,
	"http://Example.COM:80/a/b/c.html?q=1#frag",
	"javascript:alert(1)//",
	"https://[::1]:8443/x;p?y",
};

/* Elements that must never come out (dropped, or renamed to div/pre). */
static const char *const bad_elems[] = {
	"applet", "base", "basefont", "bgsound", "body", "button", "embed",
	"form", "frame", "frameset", "head", "html", "iframe", "input",
	"isindex", "keygen", "link", "listing", "math", "meta", "noembed",
	"noframes", "noscript", "object", "option", "param", "plaintext",
	"script", "select", "style", "svg", "template", "textarea", "title",
	"xmp",
};

/* Attributes that must never come out, besides on* (see check_attr). */
static const char *const bad_attrs[] = {
	"action", "background", "class", "codebase", "data", "dynsrc",
	"formaction", "id", "lowsrc", "name", "srcdoc", "style", "xmlns",
};

static const char *const url_attrs[] = {
	"cite", "href", "poster", "src",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define REL		"nofollow noopener noreferrer"
#define MAX_STACK	1024
#define NAME_MAX_LEN	32

struct reader {
	const char *html;	/* whole output, for messages */
	const char *p;
	const char *base;
	char *value;		/* an attribute value, decoded */
	size_t depth;
	char stack[MAX_STACK][NAME_MAX_LEN];
};

static bool
in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* Reads a name of [a-z0-9-] into out; returns its length (0: none). */
static size_t
read_name(struct reader *rd, char *out)
{
	size_t n = 0;

	while ((*rd->p >= 'a' && *rd->p <= 'z') ||
	    (*rd->p >= '0' && *rd->p <= '9') || *rd->p == '-') {
		FUZZ_CHECK(n + 1 < NAME_MAX_LEN, "name too long in \"%s\"",
		    rd->html);
		out[n++] = *rd->p++;
	}
	out[n] = '\0';
	return n;
}

/*
 * Decodes the entity at rd->p (just after the '&') into *ret_c.  Only
 * the ones html.c writes are allowed; in text only amp, lt and gt.
 */
static void
read_entity(struct reader *rd, bool attr, char *ret_c)
{
	static const struct {
		const char *name;
		char c;
		bool text;
	} ents[] = {
		{ "amp;", '&', true },
		{ "lt;", '<', true },
		{ "gt;", '>', true },
		{ "quot;", '"', false },
		{ "#39;", '\'', false },
		{ "#9;", '\t', false },
		{ "#10;", '\n', false },
		{ "#13;", '\r', false },
	};
	size_t i, n;

	for (i = 0; i < NELEM(ents); i++) {
		n = strlen(ents[i].name);
		if (strncmp(rd->p, ents[i].name, n) == 0 &&
		    (attr || ents[i].text)) {
			rd->p += n;
			*ret_c = ents[i].c;
			return;
		}
	}
	FUZZ_FAIL("unexpected entity \"&%.8s\" in \"%s\"", rd->p, rd->html);
}

/*
 * Checks one URL the way a browser would read it (WHATWG URL: leading
 * and trailing C0 controls and spaces go, tab, LF and CR go anywhere).
 */
static void
check_url(struct reader *rd, const char *attr, const char *v, size_t len)
{
	char scheme[16];
	size_t i = 0, n = 0;
	unsigned char c;

	while (i < len && (unsigned char)v[i] <= 0x20)
		i++;
	for (; i < len && n < sizeof(scheme) - 1; i++) {
		c = (unsigned char)v[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    !(n > 0 && ((c >= '0' && c <= '9') || c == '+' ||
		    c == '-' || c == '.'))) {
			n = 0;
			break;
		}
		scheme[n++] = (char)(c | 0x20);
	}
	scheme[n] = '\0';
	if (i < len && v[i] == ':' && n > 0) {
		FUZZ_CHECK(strcmp(scheme, "http") == 0 ||
		    strcmp(scheme, "https") == 0 ||
		    strcmp(scheme, "mailto") == 0,
		    "%s=\"%.*s\" has the scheme \"%s\" in \"%s\"", attr,
		    (int)len, v, scheme, rd->html);
		return;
	}
	/*
	 * Without a scheme: relative, which only a document without a base
	 * may keep.  A scheme longer than we look at falls here too.
	 */
	FUZZ_CHECK(rd->base == NULL, "%s=\"%.*s\" is not absolute although "
	    "the base is %s, in \"%s\"", attr, (int)len, v, rd->base,
	    rd->html);
}

/* Each candidate of a srcset, split as HTML's srcset parser splits. */
static void
check_srcset(struct reader *rd, const char *v, size_t len)
{
	size_t i = 0, start, end;
	int depth;

	for (;;) {
		while (i < len && (strchr(" \t\n\r\f,", v[i]) != NULL))
			i++;
		if (i == len)
			return;
		start = i;
		while (i < len && strchr(" \t\n\r\f", v[i]) == NULL)
			i++;
		end = i;
		if (v[end - 1] == ',') {
			while (end > start && v[end - 1] == ',')
				end--;
		} else {
			for (depth = 0; i < len; i++) {
				if (v[i] == '(')
					depth++;
				else if (v[i] == ')' && depth > 0)
					depth--;
				else if (v[i] == ',' && depth == 0)
					break;
			}
		}
		if (end > start)
			check_url(rd, "srcset", v + start, end - start);
	}
}

/* Reads the attributes of a start tag; returns after the '>' or "/>". */
static void
read_attrs(struct reader *rd, const char *elem, bool *ret_void)
{
	char name[NAME_MAX_LEN], *value = rd->value;
	bool href = false, rel = false, src = false;
	size_t n;

	for (;;) {
		if (*rd->p == '>') {
			rd->p++;
			*ret_void = false;
			break;
		}
		if (rd->p[0] == '/' && rd->p[1] == '>') {
			rd->p += 2;
			*ret_void = true;
			break;
		}
		FUZZ_CHECK(*rd->p == ' ', "bad start tag <%s> in \"%s\"", elem,
		    rd->html);
		rd->p++;
		FUZZ_CHECK(read_name(rd, name) > 0 && rd->p[0] == '=' &&
		    rd->p[1] == '"', "bad attribute in <%s> in \"%s\"", elem,
		    rd->html);
		rd->p += 2;
		for (n = 0; *rd->p != '"'; n++) {
			FUZZ_CHECK(*rd->p != '\0' && *rd->p != '<' &&
			    *rd->p != '>', "unterminated %s= in \"%s\"", name,
			    rd->html);
			if (*rd->p == '&') {
				rd->p++;
				read_entity(rd, true, &value[n]);
			} else
				value[n] = *rd->p++;
		}
		rd->p++;
		value[n] = '\0';

		FUZZ_CHECK(strncmp(name, "on", 2) != 0 &&
		    !in_list(name, bad_attrs, NELEM(bad_attrs)),
		    "attribute %s= kept on <%s> in \"%s\"", name, elem,
		    rd->html);
		if (in_list(name, url_attrs, NELEM(url_attrs)))
			check_url(rd, name, value, n);
		else if (strcmp(name, "srcset") == 0)
			check_srcset(rd, value, n);
		if (strcmp(name, "href") == 0)
			href = true;
		else if (strcmp(name, "src") == 0)
			src = true;
		else if (strcmp(name, "rel") == 0) {
			FUZZ_CHECK(strcmp(value, REL) == 0, "rel=\"%s\" in "
			    "\"%s\"", value, rd->html);
			rel = true;
		}
	}
	if (strcmp(elem, "a") == 0)
		FUZZ_CHECK(href && rel, "<a> without href or rel in \"%s\"",
		    rd->html);
	if (strcmp(elem, "img") == 0)
		FUZZ_CHECK(src, "<img> without src in \"%s\"", rd->html);
}

static void
check_html(const char *html, const char *base)
{
	static const char *const never[] = { "<script", "<iframe", "<style" };
	struct reader *rd;
	char name[NAME_MAX_LEN], c;
	bool isvoid;
	size_t i;

	for (i = 0; i < NELEM(never); i++)
		FUZZ_CHECK(strcasestr(html, never[i]) == NULL, "\"%s\" in "
		    "\"%s\"", never[i], html);

	rd = calloc(1, sizeof(*rd));
	FUZZ_CHECK(rd != NULL, "out of memory");
	rd->html = html;
	rd->p = html;
	rd->base = base;
	rd->value = malloc(strlen(html) + 1);
	FUZZ_CHECK(rd->value != NULL, "out of memory");
	while (*rd->p != '\0') {
		if (*rd->p == '&') {
			rd->p++;
			read_entity(rd, false, &c);
			continue;
		}
		FUZZ_CHECK(*rd->p != '>', "raw '>' in text of \"%s\"", html);
		if (*rd->p != '<') {
			rd->p++;
			continue;
		}
		rd->p++;
		if (*rd->p == '/') {
			rd->p++;
			FUZZ_CHECK(read_name(rd, name) > 0 && *rd->p == '>',
			    "bad end tag in \"%s\"", html);
			rd->p++;
			FUZZ_CHECK(rd->depth > 0 &&
			    strcmp(rd->stack[rd->depth - 1], name) == 0,
			    "</%s> does not close the open element in \"%s\"",
			    name, html);
			rd->depth--;
			continue;
		}
		FUZZ_CHECK(read_name(rd, name) > 0, "bad '<' in \"%s\"", html);
		FUZZ_CHECK(!in_list(name, bad_elems, NELEM(bad_elems)),
		    "<%s> kept in \"%s\"", name, html);
		read_attrs(rd, name, &isvoid);
		if (!isvoid) {
			FUZZ_CHECK(rd->depth < MAX_STACK, "nested deeper than "
			    "%d in \"%s\"", MAX_STACK, html);
			memcpy(rd->stack[rd->depth++], name, sizeof(name));
		}
	}
	FUZZ_CHECK(rd->depth == 0, "<%s> left open in \"%s\"",
	    rd->depth > 0 ? rd->stack[rd->depth - 1] : "", html);
	free(rd->value);
	free(rd);
}

static void
check_text(const char *text)
{
	size_t len = strlen(text);

	FUZZ_CHECK(len == 0 || strchr(" \t\r\n", text[len - 1]) == NULL,
	    "text ends with white space: \"%s\"", text);
	FUZZ_CHECK(strstr(text, " \n") == NULL && strstr(text, "\t\n") ==
	    NULL, "a line ends with white space: \"%s\"", text);
	FUZZ_CHECK(strstr(text, "\n\n\n") == NULL, "more than one blank "
	    "line: \"%s\"", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *base = DEFAULT_BASE, *in = (const char *)data;
	char *html = NULL, *text = NULL, *again = NULL;
	bool utf8;
	int r;

	if (size > FUZZ_MAX_LEN)
		return 0;
	if (size > 0 && data[0] < NELEM(bases)) {
		base = bases[data[0]];
		in++;
		size--;
	}
	utf8 = fuzz_utf8_valid((const unsigned char *)in, size);

	r = html_clean(in, size, base, &html, &text);
	if (r != 0) {
		FUZZ_CHECK(r == -EINVAL || r == -ENOMEM, "html_clean = %d", r);
		FUZZ_CHECK(html == NULL && text == NULL, "html_clean failed "
		    "but wrote an output");
		return 0;
	}
	FUZZ_CHECK(html != NULL && text != NULL, "html_clean: 0 but no output");
	if (utf8) {
		FUZZ_CHECK(fuzz_utf8_valid((unsigned char *)html, strlen(html)),
		    "sanitized HTML not UTF-8: \"%s\"", html);
		FUZZ_CHECK(fuzz_utf8_valid((unsigned char *)text, strlen(text)),
		    "text not UTF-8: \"%s\"", text);
	}
	check_html(html, base);
	check_text(text);

	/* The output read again, as a consumer's parser would. */
	r = html_clean(html, strlen(html), base, &again, NULL);
	FUZZ_CHECK(r == 0, "html_clean refuses its own output (%d): \"%s\"",
	    r, html);
	check_html(again, base);

	free(again);
	free(html);
	free(text);
	return 0;
}
