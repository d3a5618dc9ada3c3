/*
 * opml.c - reading OPML subscription lists, and the feed names and URL
 * checks an import needs.
 *
 * The document is small (a few hundred KiB for thousands of feeds), so it
 * is read whole into a tree with xmlCtxtReadMemory() rather than through
 * SAX: the walk then sees a folder's name before its feeds.  What the
 * parser may do is fixed here, for every caller:
 *
 * - XML_PARSE_NONET, and neither XML_PARSE_DTDLOAD nor XML_PARSE_NOENT:
 *   no external subset or entity is ever fetched or read.
 * - An entity declaration stops the parse (on_entity_decl).  Without
 *   NOENT libxml2 would still expand internal entities when an attribute
 *   value is read back, and the billion-laughs document lives there; OPML
 *   has no use for entities, so a document that declares one is refused.
 * - No XML_PARSE_RECOVER: a subscription list that is not well-formed is
 *   an error, not a guess, so the user learns of it before feeds vanish.
 * - No XML_PARSE_HUGE: libxml2's own caps on depth (256) and on the
 *   length of a text node or name apply.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "opml.h"
#include "utf8.h"

/* The parser context's _private while opml_parse() runs. */
struct parse_state {
	bool entity_declared;
};

/* Called for <!ENTITY ...> in the internal subset: see the top. */
static void
on_entity_decl(void *ctx, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;

	st->entity_declared = true;
	xmlStopParser(ctxt);
}

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* One line: libxml2's messages end in a newline. */
	err[strcspn(err, "\r\n")] = '\0';
}

char *
opml_clean_text(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = (unsigned char *)s;
	bool space = false;

	while (*r != '\0') {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			space = w != (unsigned char *)s;
			r++;
			continue;
		}
		/* C0 and DEL; C1 is U+0080 to U+009F, 0xc2 0x80-0x9f. */
		if (*r < 0x20 || *r == 0x7f) {
			r++;
			continue;
		}
		if (r[0] == 0xc2 && r[1] >= 0x80 && r[1] <= 0x9f) {
			r += 2;
			continue;
		}
		if (space) {
			*w++ = ' ';
			space = false;
		}
		*w++ = *r++;
	}
	*w = '\0';
	return s;
}

/* An attribute of node by name, in any case; a new string or NULL. */
static char *
get_attr(xmlNodePtr node, const char *name, int *ret_err)
{
	xmlAttrPtr a;
	xmlChar *v;
	char *s;

	for (a = node->properties; a != NULL; a = a->next) {
		if (a->ns != NULL || xmlStrcasecmp(a->name,
		    (const xmlChar *)name) != 0)
			continue;
		v = xmlNodeListGetString(node->doc, a->children, 1);
		/* An empty attribute has no children: "" then. */
		s = strdup(v != NULL ? (const char *)v : "");
		xmlFree(v);
		if (s == NULL)
			*ret_err = -ENOMEM;
		return s;
	}
	return NULL;
}

/* s cleaned, or freed and NULL when nothing visible is left. */
static char *
nonempty(char *s)
{
	if (s != NULL && opml_clean_text(s)[0] == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static bool
is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

static bool
has_outlines(xmlNodePtr n)
{
	for (n = n->children; n != NULL; n = n->next)
		if (is_element(n, "outline"))
			return true;
	return false;
}

/* What the walk over <body> carries. */
struct walk {
	struct opml_doc *doc;
	size_t cap;
	char *err;
	size_t errlen;
};

/*
 * Adds the feed outline n in category (copied) to w->doc.  Owns nothing
 * on return: the strings move into the new entry or are freed.
 */
static int
add_feed(struct walk *w, xmlNodePtr n, const char *category)
{
	struct opml_outline o = { 0 }, *v;
	char *text;
	size_t cap;
	int r = 0;

	if (w->doc->count >= OPML_MAX_OUTLINES) {
		set_error(w->err, w->errlen, "more than %d feeds",
		    OPML_MAX_OUTLINES);
		return -EFBIG;
	}
	o.line = (int)xmlGetLineNo(n);
	o.xml_url = get_attr(n, "xmlUrl", &r);
	if (o.xml_url != NULL)
		opml_clean_text(o.xml_url);
	o.html_url = nonempty(get_attr(n, "htmlUrl", &r));
	/* OPML 2.0 calls text the one to show, and title optional; some
	 * exporters (newsboat) write only title. */
	text = nonempty(get_attr(n, "text", &r));
	o.title = text != NULL ? text : nonempty(get_attr(n, "title", &r));
	if (category != NULL && (o.category = strdup(category)) == NULL)
		r = -ENOMEM;
	if (r < 0)
		goto out;
	if (w->doc->count == w->cap) {
		cap = w->cap != 0 ? w->cap * 2 : 16;
		v = reallocarray(w->doc->v, cap, sizeof(*v));
		if (v == NULL) {
			r = -ENOMEM;
			goto out;
		}
		w->doc->v = v;
		w->cap = cap;
	}
	w->doc->v[w->doc->count++] = o;
	memset(&o, 0, sizeof(o));
out:
	free(o.xml_url);
	free(o.html_url);
	free(o.title);
	free(o.category);
	if (r == -ENOMEM)
		set_error(w->err, w->errlen, "out of memory");
	return r;
}

/*
 * Reads the outlines inside parent, which are depth folders deep, into
 * w->doc.  category is the folders' names joined, or NULL.
 */
static int
walk_outlines(struct walk *w, xmlNodePtr parent, const char *category,
    int depth)
{
	xmlNodePtr n;
	char *name = NULL, *sub = NULL;
	int r = 0;

	if (depth > OPML_MAX_DEPTH) {
		set_error(w->err, w->errlen, "line %ld: folders nested more "
		    "than %d deep", xmlGetLineNo(parent), OPML_MAX_DEPTH);
		return -ELOOP;
	}
	for (n = parent->children; n != NULL && r == 0; n = n->next) {
		bool feed;

		if (!is_element(n, "outline"))
			continue;
		name = get_attr(n, "xmlUrl", &r);
		feed = name != NULL;
		free(name);
		name = NULL;
		if (r < 0)
			break;
		if (feed) {
			r = add_feed(w, n, category);
			if (r == 0 && has_outlines(n))
				r = walk_outlines(w, n, category, depth + 1);
			continue;
		}
		if (!has_outlines(n))
			continue;	/* a link, a note, an empty folder */
		name = nonempty(get_attr(n, "text", &r));
		if (name == NULL && r == 0)
			name = nonempty(get_attr(n, "title", &r));
		if (r < 0)
			break;
		/* An unnamed folder adds nothing to the category. */
		if (name != NULL && category != NULL) {
			if (asprintf(&sub, "%s/%s", category, name) < 0) {
				sub = NULL;
				r = -ENOMEM;
				break;
			}
		} else if (name != NULL) {
			sub = name;
			name = NULL;
		}
		r = walk_outlines(w, n, sub != NULL ? sub : category,
		    depth + 1);
		free(sub);
		sub = NULL;
		free(name);
		name = NULL;
	}
	free(name);
	if (r == -ENOMEM)
		set_error(w->err, w->errlen, "out of memory");
	return r;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	for (n = parent != NULL ? parent->children : NULL; n != NULL;
	    n = n->next)
		if (is_element(n, name))
			return n;
	return NULL;
}

/* The head's title and the version, into doc. */
static int
read_head(xmlNodePtr root, struct opml_doc *doc)
{
	xmlNodePtr t;
	xmlChar *v;
	int r = 0;

	doc->version = get_attr(root, "version", &r);
	t = child(child(root, "head"), "title");
	if (t == NULL || r < 0)
		return r;
	v = xmlNodeGetContent(t);
	if (v == NULL)
		return 0;
	doc->title = strdup((const char *)v);
	xmlFree(v);
	if (doc->title == NULL)
		return -ENOMEM;
	doc->title = nonempty(doc->title);
	return 0;
}

int
opml_parse(const char *data, size_t len, struct opml_doc *ret_doc,
    char *err, size_t errlen)
{
	struct parse_state st = { 0 };
	struct opml_doc doc = { 0 };
	struct walk w = { .doc = &doc, .err = err, .errlen = errlen };
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr xdoc = NULL;
	xmlNodePtr root, body;
	const xmlError *e;
	int r;

	if (len > OPML_MAX_SIZE) {
		set_error(err, errlen, "larger than %u MiB",
		    OPML_MAX_SIZE >> 20);
		return -EFBIG;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		set_error(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ctxt->_private = &st;
	ctxt->sax->entityDecl = on_entity_decl;
	xdoc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (st.entity_declared) {
		set_error(err, errlen, "line %d: the document declares an "
		    "entity, which OPML has no use for", ctxt->input != NULL ?
		    ctxt->input->line : 0);
		r = -EBADMSG;
		goto out;
	}
	if (xdoc == NULL || !ctxt->wellFormed) {
		e = xmlCtxtGetLastError(ctxt);
		if (e != NULL && e->code == XML_ERR_NO_MEMORY) {
			set_error(err, errlen, "out of memory");
			r = -ENOMEM;
		} else {
			set_error(err, errlen, "not well-formed XML: line "
			    "%d: %s", e != NULL ? e->line : 0, e != NULL &&
			    e->message != NULL ? e->message : "no document");
			r = -EBADMSG;
		}
		goto out;
	}
	root = xmlDocGetRootElement(xdoc);
	if (root == NULL || root->type != XML_ELEMENT_NODE ||
	    xmlStrcmp(root->name, (const xmlChar *)"opml") != 0) {
		set_error(err, errlen, "not an OPML document (the root "
		    "element is <%s>, not <opml>)", root != NULL ?
		    (const char *)root->name : "");
		r = -EBADMSG;
		goto out;
	}
	body = child(root, "body");
	if (body == NULL) {
		set_error(err, errlen, "not an OPML document (no <body>)");
		r = -EBADMSG;
		goto out;
	}
	r = read_head(root, &doc);
	if (r < 0) {
		set_error(err, errlen, "out of memory");
		goto out;
	}
	r = walk_outlines(&w, body, NULL, 0);
	if (r < 0)
		goto out;
	*ret_doc = doc;
	memset(&doc, 0, sizeof(doc));
out:
	opml_doc_clear(&doc);
	xmlFreeDoc(xdoc);
	xmlFreeParserCtxt(ctxt);
	return r;
}

void
opml_doc_clear(struct opml_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->count; i++) {
		free(doc->v[i].xml_url);
		free(doc->v[i].html_url);
		free(doc->v[i].title);
		free(doc->v[i].category);
	}
	free(doc->v);
	free(doc->title);
	free(doc->version);
	memset(doc, 0, sizeof(*doc));
}

/*
 * Transliteration.  Latin-1 and Latin Extended-A follow their letters'
 * decompositions (with the usual spellings of letters that have none:
 * æ ae, ß ss, þ th, ø o, ł l, œ oe); Greek follows ELOT 743 and Cyrillic
 * the common English spelling, both simplified to one spelling per
 * letter, since a name only needs to be readable and stable.
 */
static const char *const latin1[64] = {	/* U+00C0 to U+00FF */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL,
	"o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL,
	"o", "u", "u", "u", "u", "y", "th", "y",
};

/* U+0100 to U+017F; '?' is one of the two-letter ones. */
static const char latin_ext_a[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllll"
    "nnnnnnnnnoooooo??rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *const greek[] = {	/* U+0386 to U+03CE */
	"a", NULL, "e", "i", "i", NULL, "o", NULL, "y", "o",	/* 0386 */
	"i",							/* 0390 */
	"a", "v", "g", "d", "e", "z", "i", "th",		/* 0391 */
	"i", "k", "l", "m", "n", "x", "o", "p",			/* 0399 */
	"r", NULL, "s", "t", "y", "f", "ch", "ps",		/* 03A1 */
	"o", "i", "y",						/* 03A9 */
	"a", "e", "i", "i", "y",				/* 03AC */
	"a", "v", "g", "d", "e", "z", "i", "th",		/* 03B1 */
	"i", "k", "l", "m", "n", "x", "o", "p",			/* 03B9 */
	"r", "s", "s", "t", "y", "f", "ch", "ps",		/* 03C1 */
	"o", "i", "y", "o", "y", "o",				/* 03C9 */
};

static const char *const cyrillic[32] = {	/* U+0430 to U+044F */
	"a", "b", "v", "g", "d", "e", "zh", "z",
	"i", "y", "k", "l", "m", "n", "o", "p",
	"r", "s", "t", "u", "f", "kh", "ts", "ch",
	"sh", "shch", "", "y", "", "e", "yu", "ya",
};

/*
 * The ASCII spelling of cp: a string, "" for a character that is left
 * out without a trace (apostrophes: "Bob's" is "bobs"), NULL for one that
 * separates words.
 */
static const char *
translit(uint32_t cp, char one[2])
{
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			return one;
		}
		if (cp >= 'A' && cp <= 'Z') {
			one[0] = (char)(cp - 'A' + 'a');
			return one;
		}
		return cp == '\'' ? "" : NULL;
	}
	if (cp == 0x2019 || cp == 0x02bc)	/* ’ and ʼ */
		return "";
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f) {
		if (cp == 0x132 || cp == 0x133)
			return "ij";
		if (cp == 0x152 || cp == 0x153)
			return "oe";
		one[0] = latin_ext_a[cp - 0x100];
		return one;
	}
	if (cp >= 0x386 && cp <= 0x3ce)
		return greek[cp - 0x386];
	if (cp == 0x401 || cp == 0x451)		/* Ё ё */
		return "e";
	if (cp >= 0x410 && cp <= 0x42f)
		return cyrillic[cp - 0x410];
	if (cp >= 0x430 && cp <= 0x44f)
		return cyrillic[cp - 0x430];
	return NULL;
}

size_t
opml_slug(const char *text, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t left = strlen(text), o = 0, n;
	const char *t;
	char one[2] = { 0 }, sep = 0;
	uint32_t cp;

	if (size == 0)
		return 0;
	while (left > 0 && o + 1 < size) {
		n = utf8_next(p, left, &cp);
		p += n;
		left -= n;
		if (cp == '.' || cp == '_' || cp == '-') {
			/* Kept between letters, unless a space said '-'. */
			if (sep == 0)
				sep = (char)cp;
			continue;
		}
		t = translit(cp, one);
		if (t == NULL) {
			sep = '-';
			continue;
		}
		for (; *t != '\0'; t++) {
			/* Never leading, and never a separator that would
			 * end the name because the letter no longer fits. */
			if (sep != 0 && o > 0) {
				if (o + 2 >= size)
					break;
				buf[o++] = sep;
			}
			sep = 0;
			if (o + 1 >= size)
				break;
			buf[o++] = *t;
		}
	}
	buf[o] = '\0';
	return o;
}

/* The URL's parts as libcurl reads them, or NULL. */
static CURLU *
url_parse(const char *url)
{
	CURLU *h = curl_url();

	if (h == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(h);
		return NULL;
	}
	return h;
}

/*
 * The authority after "scheme://" as config/ checks it (values.c,
 * check_authority): a host, and a port of 1 to 65535 when there is a
 * ":".  libcurl is more lenient ("https:///x" has the host "x" for it).
 */
static bool
authority_ok(const char *p)
{
	const char *end = p + strcspn(p, "/?#"), *host = p, *q;
	unsigned long v = 0;

	for (q = p; q < end; q++)
		if (*q == '@')
			host = q + 1;
	if (*host == '[') {
		q = memchr(host, ']', (size_t)(end - host));
		if (q == NULL || q == host + 1)
			return false;
		q++;
		if (q < end && *q != ':')
			return false;
	} else {
		for (q = host; q < end && *q != ':'; q++)
			;
		if (q == host)
			return false;
	}
	if (q == end)
		return true;
	q++;	/* past ':' */
	if (q == end || end - q > 5)
		return false;
	for (; q < end; q++) {
		if (*q < '0' || *q > '9')
			return false;
		v = v * 10 + (unsigned long)(*q - '0');
	}
	return v > 0 && v <= 65535;
}

bool
opml_url_is_web(const char *url)
{
	const unsigned char *p;
	char *host = NULL, *port = NULL;
	CURLU *h;
	bool ok = false;

	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return false;
	if (strncasecmp(url, "http://", 7) == 0)
		p = (const unsigned char *)url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = (const unsigned char *)url + 8;
	else
		return false;
	if (!authority_ok((const char *)p))
		return false;
	h = url_parse(url);
	if (h == NULL)
		return false;
	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    host[0] == '\0')
		goto out;
	/* libcurl takes port 0, which config/ refuses. */
	if (curl_url_get(h, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
	    strtoul(port, NULL, 10) == 0)
		goto out;
	ok = true;
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(h);
	return ok;
}

size_t
opml_url_host_slug(const char *url, char *buf, size_t size)
{
	char *host = NULL;
	const char *h;
	CURLU *u;
	size_t n = 0;

	if (size > 0)
		buf[0] = '\0';
	u = url_parse(url);
	if (u == NULL)
		return 0;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		h = host;
		if (strncasecmp(h, "www.", 4) == 0 && h[4] != '\0')
			h += 4;
		n = opml_slug(h, buf, size);
	}
	curl_free(host);
	curl_url_cleanup(u);
	return n;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int
opml_url_key(const char *url, char **ret_key)
{
	const char *auth, *host, *port = NULL, *rest, *end;
	size_t slen, alen, i, o;
	char *out;

	/* The same comparison as config/'s cfg_url_key(), so that the
	 * import never writes two feeds the configuration calls one. */
	slen = strcspn(url, ":");
	auth = url + slen + 3;
	alen = strcspn(auth, "/?#");
	host = auth;
	for (i = 0; i < alen; i++)
		if (auth[i] == '@')
			host = auth + i + 1;
	for (i = (size_t)(host - auth); i < alen; i++) {
		if (auth[i] == ']')
			port = NULL;
		else if (auth[i] == ':')
			port = auth + i;
	}
	rest = auth + alen;
	if (port != NULL && ((slen == 4 && rest - port == 3 &&
	    strncmp(port, ":80", 3) == 0) || (slen == 5 && rest - port == 4 &&
	    strncmp(port, ":443", 4) == 0)))
		rest = port;	/* the host ends there; the port goes */
	end = auth + alen + strcspn(auth + alen, "#");

	out = malloc(strlen(url) + 2);
	if (out == NULL)
		return -ENOMEM;
	o = 0;
	for (i = 0; i < slen; i++)
		out[o++] = lower(url[i]);
	memcpy(out + o, "://", 3);
	o += 3;
	memcpy(out + o, auth, (size_t)(host - auth));
	o += (size_t)(host - auth);
	for (i = 0; host + i < rest; i++)
		out[o++] = lower(host[i]);
	rest = auth + alen;
	if (rest == end || *rest != '/')
		out[o++] = '/';
	memcpy(out + o, rest, (size_t)(end - rest));
	o += (size_t)(end - rest);
	out[o] = '\0';
	*ret_key = out;
	return 0;
}
