/*
 * rss_atom.c - RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 through
 * libxml2's SAX2 push parser.
 *
 * The document arrives as UTF-8 without a declaration or DTD (charset.c
 * and xmlfix.c saw to that), so libxml2 never loads anything and never
 * expands an entity beyond the five predefined ones.  Handlers accept
 * text in pieces: whether the document is pushed whole or in chunks, the
 * result is the same.
 *
 * Elements map to fields through the sorted tables below.  When several
 * elements fill one field, the candidate with the higher priority wins and
 * the first one wins among equals (see struct raw_field); the priorities
 * follow feedparser's choices where they are sensible.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "buf.h"
#include "parse.h"
#include "parse_internal.h"
#include "url.h"

#define MAX_DEPTH 128		/* deeper documents are refused */
#define MAX_FIELD (8u << 20)	/* one element's text, in bytes */
#define MAX_ITEMS 100000
#define DEFAULT_CHUNK (64u << 10)

enum ns {
	NS_OTHER = 0,
	NS_RSS,			/* none, RSS 1.0, RSS 0.90, userland RSS 2.0 */
	NS_ATOM10,
	NS_ATOM03,
	NS_RDF,
	NS_DC,
	NS_DCTERMS,
	NS_CONTENT,
	NS_MEDIA,
	NS_ITUNES,
	NS_SY,
	NS_FEEDBURNER,
	NS_XHTML,
	NS_XML,
};

enum tag {
	T_OTHER = 0,
	T_ROOT_RSS, T_ROOT_RDF, T_ROOT_FEED,
	T_CHANNEL, T_ITEM, T_ENTRY, T_IMAGE, T_TEXTINPUT, T_SOURCE,
	T_PERSON, T_MEDIA_GROUP,
	T_TITLE, T_LINK, T_DESCRIPTION, T_GUID, T_PUBDATE, T_LASTBUILDDATE,
	T_CATEGORY, T_ENCLOSURE, T_RSS_AUTHOR, T_TTL,
	T_ATOM_ID, T_ATOM_LINK, T_ATOM_UPDATED, T_ATOM_PUBLISHED,
	T_ATOM_SUMMARY, T_ATOM_CONTENT, T_ATOM_TITLE, T_ATOM_CATEGORY,
	T_ATOM_NAME, T_ATOM_EMAIL, T_ATOM_URI,
	T_DC_CREATOR, T_DC_DATE, T_DC_SUBJECT, T_DC_TITLE, T_DC_DESCRIPTION,
	T_DC_IDENTIFIER, T_DCTERMS_ISSUED, T_DCTERMS_MODIFIED,
	T_DCTERMS_CREATED,
	T_CONTENT_ENCODED, T_XHTML_BODY,
	T_MEDIA_CONTENT, T_MEDIA_DESCRIPTION, T_MEDIA_TITLE,
	T_ITUNES_AUTHOR, T_ITUNES_SUMMARY,
	T_SY_PERIOD, T_SY_FREQUENCY,
	T_FB_ORIGLINK,
	T_SKIP_HOURS, T_SKIP_DAYS, T_HOUR, T_DAY,
};

static const struct {
	const char *uri;
	enum ns ns;
} ns_uris[] = {
	{ "http://backend.userland.com/rss2", NS_RSS },
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_RSS },
	{ "http://purl.org/atom/ns#", NS_ATOM03 },
	{ "http://purl.org/dc/elements/1.0/", NS_DC },
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/rss/1.0/", NS_RSS },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "http://purl.org/rss/1.0/modules/syndication/", NS_SY },
	{ "http://rssnamespace.org/feedburner/ext/1.0", NS_FEEDBURNER },
	{ "http://search.yahoo.com/mrss", NS_MEDIA },
	{ "http://search.yahoo.com/mrss/", NS_MEDIA },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML },
	{ "http://www.w3.org/2005/Atom", NS_ATOM10 },
	{ "http://www.w3.org/XML/1998/namespace", NS_XML },
	{ "https://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
};

/* Prefixes used without a declaration, as feeds sometimes do. */
static const struct {
	const char *prefix;
	enum ns ns;
} ns_prefixes[] = {
	{ "atom", NS_ATOM10 },
	{ "content", NS_CONTENT },
	{ "dc", NS_DC },
	{ "dcterms", NS_DCTERMS },
	{ "feedburner", NS_FEEDBURNER },
	{ "itunes", NS_ITUNES },
	{ "media", NS_MEDIA },
	{ "rdf", NS_RDF },
	{ "sy", NS_SY },
	{ "xhtml", NS_XHTML },
};

struct tag_entry {
	enum ns ns;
	const char *name;
	enum tag tag;
};

/*
 * Sorted by namespace, then name (case-insensitively: RSS in the wild has
 * <pubdate> and <PubDate>).  Atom 0.3 names that differ from 1.0 (issued,
 * modified, created, tagline) are mapped to their 1.0 meaning.
 */
static const struct tag_entry tags[] = {
	{ NS_RSS, "author", T_RSS_AUTHOR },
	{ NS_RSS, "category", T_CATEGORY },
	{ NS_RSS, "channel", T_CHANNEL },
	{ NS_RSS, "day", T_DAY },
	{ NS_RSS, "description", T_DESCRIPTION },
	{ NS_RSS, "enclosure", T_ENCLOSURE },
	{ NS_RSS, "guid", T_GUID },
	{ NS_RSS, "hour", T_HOUR },
	{ NS_RSS, "image", T_IMAGE },
	{ NS_RSS, "item", T_ITEM },
	{ NS_RSS, "lastBuildDate", T_LASTBUILDDATE },
	{ NS_RSS, "link", T_LINK },
	{ NS_RSS, "pubDate", T_PUBDATE },
	{ NS_RSS, "rss", T_ROOT_RSS },
	{ NS_RSS, "skipDays", T_SKIP_DAYS },
	{ NS_RSS, "skipHours", T_SKIP_HOURS },
	{ NS_RSS, "source", T_SOURCE },
	{ NS_RSS, "textinput", T_TEXTINPUT },
	{ NS_RSS, "title", T_TITLE },
	{ NS_RSS, "ttl", T_TTL },
	{ NS_ATOM10, "author", T_PERSON },
	{ NS_ATOM10, "category", T_ATOM_CATEGORY },
	{ NS_ATOM10, "content", T_ATOM_CONTENT },
	{ NS_ATOM10, "contributor", T_PERSON },
	{ NS_ATOM10, "email", T_ATOM_EMAIL },
	{ NS_ATOM10, "entry", T_ENTRY },
	{ NS_ATOM10, "feed", T_ROOT_FEED },
	{ NS_ATOM10, "id", T_ATOM_ID },
	{ NS_ATOM10, "link", T_ATOM_LINK },
	{ NS_ATOM10, "name", T_ATOM_NAME },
	{ NS_ATOM10, "published", T_ATOM_PUBLISHED },
	{ NS_ATOM10, "source", T_SOURCE },
	{ NS_ATOM10, "summary", T_ATOM_SUMMARY },
	{ NS_ATOM10, "title", T_ATOM_TITLE },
	{ NS_ATOM10, "updated", T_ATOM_UPDATED },
	{ NS_ATOM10, "uri", T_ATOM_URI },
	{ NS_ATOM03, "author", T_PERSON },
	{ NS_ATOM03, "category", T_ATOM_CATEGORY },
	{ NS_ATOM03, "content", T_ATOM_CONTENT },
	{ NS_ATOM03, "contributor", T_PERSON },
	{ NS_ATOM03, "created", T_DCTERMS_CREATED },
	{ NS_ATOM03, "email", T_ATOM_EMAIL },
	{ NS_ATOM03, "entry", T_ENTRY },
	{ NS_ATOM03, "feed", T_ROOT_FEED },
	{ NS_ATOM03, "id", T_ATOM_ID },
	{ NS_ATOM03, "issued", T_ATOM_PUBLISHED },
	{ NS_ATOM03, "link", T_ATOM_LINK },
	{ NS_ATOM03, "modified", T_ATOM_UPDATED },
	{ NS_ATOM03, "name", T_ATOM_NAME },
	{ NS_ATOM03, "published", T_ATOM_PUBLISHED },
	{ NS_ATOM03, "summary", T_ATOM_SUMMARY },
	{ NS_ATOM03, "title", T_ATOM_TITLE },
	{ NS_ATOM03, "updated", T_ATOM_UPDATED },
	{ NS_ATOM03, "url", T_ATOM_URI },
	{ NS_ATOM03, "uri", T_ATOM_URI },
	{ NS_RDF, "RDF", T_ROOT_RDF },
	{ NS_DC, "creator", T_DC_CREATOR },
	{ NS_DC, "date", T_DC_DATE },
	{ NS_DC, "description", T_DC_DESCRIPTION },
	{ NS_DC, "identifier", T_DC_IDENTIFIER },
	{ NS_DC, "subject", T_DC_SUBJECT },
	{ NS_DC, "title", T_DC_TITLE },
	{ NS_DCTERMS, "created", T_DCTERMS_CREATED },
	{ NS_DCTERMS, "issued", T_DCTERMS_ISSUED },
	{ NS_DCTERMS, "modified", T_DCTERMS_MODIFIED },
	{ NS_CONTENT, "encoded", T_CONTENT_ENCODED },
	{ NS_MEDIA, "content", T_MEDIA_CONTENT },
	{ NS_MEDIA, "description", T_MEDIA_DESCRIPTION },
	{ NS_MEDIA, "group", T_MEDIA_GROUP },
	{ NS_MEDIA, "title", T_MEDIA_TITLE },
	{ NS_ITUNES, "author", T_ITUNES_AUTHOR },
	{ NS_ITUNES, "summary", T_ITUNES_SUMMARY },
	{ NS_SY, "updateFrequency", T_SY_FREQUENCY },
	{ NS_SY, "updatePeriod", T_SY_PERIOD },
	{ NS_FEEDBURNER, "origLink", T_FB_ORIGLINK },
	{ NS_XHTML, "body", T_XHTML_BODY },
};

/*
 * Field priorities: the higher wins.  A feedburner:origLink names the
 * article itself, where <link> names feedburner's redirector.
 */
enum {
	P_LOW = 1, P_MID = 2, P_HIGH = 3, P_TOP = 4,
};

struct frame {
	enum tag tag;
	enum ns ns;
	const char *base;	/* in effect here; owned when base_owned */
	bool base_owned;
};

/* One document being read: libxml2's context and what the handlers saw. */
struct xml_reader {
	xmlParserCtxtPtr ctxt;
	struct feed_doc *doc;
	const struct feed_parse_opts *opts;	/* on_item, when set */
	size_t chunk_size;	/* bytes given to libxml2 at a time */
	size_t nread;		/* items read, kept or handed over */

	struct frame stack[MAX_DEPTH + 1];
	int depth;		/* frames in use */
	bool too_deep;

	bool root_seen;
	bool bare_atom;		/* <feed> without a namespace */
	bool not_feed;
	char root_name[64];

	/* Where we are: the item being read, and containers to ignore. */
	bool in_item;
	int item_depth;
	int ignore_depth;	/* inside image, textinput, source: >0 */
	bool in_person;
	struct raw_item item;
	struct raw_item feed;	/* channel-level fields reuse raw_item */
	char *feed_author;	/* Atom feed author, inherited by entries */

	/* The text (or markup) of the element being captured. */
	bool capturing;
	int cap_depth;		/* depth of the capturing element */
	enum raw_kind cap_kind;
	int cap_skip_div_depth;	/* the Atom xhtml wrapper div, or 0 */
	bool cap_leaf;		/* a leaf: child elements and their text
				   are not part of the value */
	bool cap_div_seen;
	struct buf text;

	/* Atom person construct. */
	struct buf person_name;
	struct buf person_email;

	/* Attributes remembered from the start tag for the end tag. */
	bool guid_permalink;
	int atom_text_skip;	/* content with src= or a binary type */
	bool atom_base64;	/* Atom 0.3 mode="base64" */

	long sy_period;
	long sy_frequency;

	int error;		/* first fatal condition, negative */
	int xml_errors;
	int first_error_line;
	char first_error[160];
};

static enum ns
ns_from(const xmlChar *uri, const xmlChar *prefix)
{
	size_t i;

	if (uri == NULL) {
		if (prefix == NULL)
			return NS_RSS;
		for (i = 0; i < sizeof(ns_prefixes) / sizeof(ns_prefixes[0]);
		    i++)
			if (strcmp((const char *)prefix,
			    ns_prefixes[i].prefix) == 0)
				return ns_prefixes[i].ns;
		return NS_OTHER;
	}
	for (i = 0; i < sizeof(ns_uris) / sizeof(ns_uris[0]); i++)
		if (strcasecmp((const char *)uri, ns_uris[i].uri) == 0)
			return ns_uris[i].ns;
	return NS_OTHER;
}

static int
tag_cmp(const void *key, const void *elem)
{
	const struct tag_entry *k = key, *e = elem;

	if (k->ns != e->ns)
		return (int)k->ns - (int)e->ns;
	return strcasecmp(k->name, e->name);
}

static enum tag
tag_from(enum ns ns, const char *name)
{
	struct tag_entry key = { ns, name, T_OTHER };
	const struct tag_entry *found;

	if (ns == NS_OTHER)
		return T_OTHER;
	found = bsearch(&key, tags, sizeof(tags) / sizeof(tags[0]),
	    sizeof(tags[0]), tag_cmp);
	if (found == NULL)
		return T_OTHER;
	/* Only RSS names are matched without regard to case. */
	if (ns != NS_RSS && strcmp(found->name, name) != 0)
		return T_OTHER;
	return found->tag;
}

/* Attribute lookup over SAX2's (localname, prefix, URI, value, end) tuples. */
static const xmlChar **
attr_find(int nb, const xmlChar **attrs, const char *name, enum ns ns)
{
	int i;

	for (i = 0; i < nb; i++) {
		const xmlChar **a = attrs + i * 5;

		if (strcmp((const char *)a[0], name) != 0)
			continue;
		if (ns == NS_OTHER ? a[2] == NULL : ns_from(a[2], a[1]) == ns)
			return a;
	}
	return NULL;
}

/*
 * Copies an attribute value.  Without entity substitution libxml2 leaves
 * an ampersand in attribute values as "&#38;"; undo exactly that.
 */
static char *
attr_dup(const xmlChar **a)
{
	const char *v = (const char *)a[3], *end = (const char *)a[4];
	char *out, *o;

	out = malloc((size_t)(end - v) + 1);
	if (out == NULL)
		return NULL;
	for (o = out; v < end;) {
		if (end - v >= 5 && memcmp(v, "&#38;", 5) == 0) {
			*o++ = '&';
			v += 5;
		} else
			*o++ = *v++;
	}
	*o = '\0';
	return out;
}

static char *
attr_get(int nb, const xmlChar **attrs, const char *name)
{
	const xmlChar **a = attr_find(nb, attrs, name, NS_OTHER);

	return a ? attr_dup(a) : NULL;
}

static void
fail(struct xml_reader *st, int error)
{
	if (st->error == 0)
		st->error = error;
	xmlStopParser(st->ctxt);
}

static const char *
cur_base(struct xml_reader *st)
{
	return st->stack[st->depth - 1].base;
}

static bool
is_alpha(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
looks_like_html(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] == '<' && (s[i + 1] == '/' || s[i + 1] == '!' ||
		    is_alpha(s[i + 1])))
			return true;
		if (s[i] == '&' && (s[i + 1] == '#' || is_alpha(s[i + 1])) &&
		    memchr(s + i, ';', len - i < 12 ? len - i : 12) != NULL)
			return true;
	}
	return false;
}

/*
 * The kind of an Atom text construct or content element from its type
 * (1.0: text, html, xhtml or a MIME type; 0.3: a MIME type and a mode).
 * Returns -1 for content we do not show (base64, binary, out of line).
 */
static int
atom_kind(int nb, const xmlChar **attrs, bool is_content, bool *ret_base64)
{
	char *type = attr_get(nb, attrs, "type");
	char *mode = attr_get(nb, attrs, "mode");
	char *src = is_content ? attr_get(nb, attrs, "src") : NULL;
	int kind = RAW_TEXT;

	/* Atom 0.3's mode="base64": the text is decoded at the end. */
	*ret_base64 = mode != NULL && strcasecmp(mode, "base64") == 0;
	if (src != NULL)
		kind = -1;
	else if (type == NULL || type[0] == '\0' ||
	    strcasecmp(type, "text") == 0 ||
	    strcasecmp(type, "text/plain") == 0)
		kind = RAW_TEXT;
	else if (strcasecmp(type, "html") == 0 ||
	    strcasecmp(type, "text/html") == 0)
		kind = RAW_HTML;
	else if (strcasecmp(type, "xhtml") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0)
		kind = RAW_XHTML;
	else if (strncasecmp(type, "text/", 5) == 0)
		kind = RAW_TEXT;
	else
		kind = -1;
	/* Atom 0.3's mode="xml" carries inline markup whatever the type. */
	if (kind == RAW_HTML && mode != NULL && strcasecmp(mode, "xml") == 0)
		kind = RAW_XHTML;
	if (kind == RAW_XHTML && *ret_base64)
		kind = RAW_HTML;
	free(type);
	free(mode);
	free(src);
	return kind;
}

static void
capture_start(struct xml_reader *st, enum raw_kind kind)
{
	st->capturing = true;
	st->cap_depth = st->depth;
	st->cap_kind = kind;
	st->cap_skip_div_depth = 0;
	st->cap_div_seen = false;
	st->cap_leaf = false;
	buf_clear(&st->text);
}

static void
text_append(struct xml_reader *st, const char *s, size_t len, bool escape)
{
	int r;

	r = escape ? buf_append_escaped(&st->text, s, len) :
	    buf_append(&st->text, s, len);
	if (r == -ENOMEM)
		fail(st, -ENOMEM);
	else if (r == -E2BIG && !st->text.overflow)
		st->text.overflow = true;
}

/* HTML elements that have no end tag; serialized as <br/>. */
static bool
html_void(const char *name)
{
	static const char *const names[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input",
		"link", "meta", "param", "source", "track", "wbr",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

/*
 * An element inside a captured field: inline markup (Atom xhtml, or HTML
 * that an RSS feed forgot to escape).  It is serialized back so the
 * sanitizer sees it.  Atom's xhtml wrapper <div> is left out (RFC 4287
 * 3.1.1.3).
 */
static void
capture_element_start(struct xml_reader *st, const char *name, enum ns ns,
    int nb, const xmlChar **attrs)
{
	int i;

	if (st->cap_kind == RAW_TEXT) {
		/* Markup in a text field: what we have so far is text. */
		char *prev = buf_steal(&st->text);

		if (prev == NULL) {
			fail(st, -ENOMEM);
			return;
		}
		text_append(st, prev, strlen(prev), true);
		free(prev);
		st->cap_kind = RAW_XHTML;
	}
	if (st->cap_kind == RAW_XHTML && !st->cap_div_seen &&
	    st->depth == st->cap_depth + 1 && ns == NS_XHTML &&
	    strcmp(name, "div") == 0) {
		st->cap_div_seen = true;
		st->cap_skip_div_depth = st->depth;
		return;
	}
	st->cap_div_seen = true;
	text_append(st, "<", 1, false);
	text_append(st, name, strlen(name), false);
	for (i = 0; i < nb; i++) {
		const xmlChar **a = attrs + i * 5;
		char *v = attr_dup(a);

		if (v == NULL) {
			fail(st, -ENOMEM);
			return;
		}
		text_append(st, " ", 1, false);
		text_append(st, (const char *)a[0], strlen((const char *)a[0]),
		    false);
		text_append(st, "=\"", 2, false);
		text_append(st, v, strlen(v), true);
		text_append(st, "\"", 1, false);
		free(v);
	}
	text_append(st, html_void(name) ? "/>" : ">",
	    html_void(name) ? 2 : 1, false);
}

static void
capture_element_end(struct xml_reader *st, const char *name)
{
	if (st->cap_skip_div_depth == st->depth) {
		st->cap_skip_div_depth = 0;
		return;
	}
	if (html_void(name))
		return;
	text_append(st, "</", 2, false);
	text_append(st, name, strlen(name), false);
	text_append(st, ">", 1, false);
}

static struct raw_item *
target(struct xml_reader *st)
{
	return st->in_item ? &st->item : &st->feed;
}

static void
set_field(struct xml_reader *st, enum raw_field_id id, const char *value,
    enum raw_kind kind, int prio)
{
	if (raw_set(&target(st)->f[id], value, strlen(value), kind,
	    cur_base(st), prio) < 0)
		fail(st, -ENOMEM);
}

static void
root_start(struct xml_reader *st, enum tag tag, enum ns ns, const char *name,
    int nb, const xmlChar **attrs)
{
	struct feed_doc *doc = st->doc;
	char *version;

	st->root_seen = true;
	snprintf(st->root_name, sizeof(st->root_name), "%s", name);
	switch (tag) {
	case T_ROOT_RSS:
		version = attr_get(nb, attrs, "version");
		doc->format = FEED_FORMAT_RSS;
		if (version == NULL)
			break;
		if (strcmp(version, "0.91") == 0)
			doc->format = FEED_FORMAT_RSS091;
		else if (strcmp(version, "0.92") == 0)
			doc->format = FEED_FORMAT_RSS092;
		else if (strcmp(version, "0.93") == 0)
			doc->format = FEED_FORMAT_RSS093;
		else if (strcmp(version, "0.94") == 0)
			doc->format = FEED_FORMAT_RSS094;
		else if (strncmp(version, "2.0", 3) == 0 ||
		    strcmp(version, "2") == 0)
			doc->format = FEED_FORMAT_RSS20;
		free(version);
		break;
	case T_ROOT_RDF:
		doc->format = FEED_FORMAT_RSS10;
		break;
	case T_ROOT_FEED:
		doc->format = ns == NS_ATOM03 ? FEED_FORMAT_ATOM03 :
		    FEED_FORMAT_ATOM10;
		if (st->bare_atom) {
			/* <feed> without a namespace: trust its version. */
			version = attr_get(nb, attrs, "version");
			if (version != NULL && strcmp(version, "0.3") == 0)
				doc->format = FEED_FORMAT_ATOM03;
			free(version);
		}
		break;
	case T_CHANNEL:
		doc->format = FEED_FORMAT_RSS;
		break;
	default:
		st->not_feed = true;
		xmlStopParser(st->ctxt);
		break;
	}
}

/* A <link> of Atom (or atom:link in RSS): alternate, enclosure, or else. */
static void
atom_link(struct xml_reader *st, int nb, const xmlChar **attrs)
{
	char *rel = attr_get(nb, attrs, "rel");
	char *type = attr_get(nb, attrs, "type");
	char *href = attr_get(nb, attrs, "href");
	char *length = NULL;
	char *abs = NULL;
	int prio;

	if (href == NULL)
		goto out;
	if (rel == NULL || strcasecmp(rel, "alternate") == 0) {
		/* Prefer the HTML page when several alternates exist. */
		prio = (type == NULL || strcasecmp(type, "text/html") == 0 ||
		    strcasecmp(type, "application/xhtml+xml") == 0) ?
		    P_HIGH : P_MID;
		/* In RSS, the RSS <link> element itself outranks atom:link. */
		if (st->stack[st->depth - 1].ns == NS_ATOM10 &&
		    st->doc->format != FEED_FORMAT_ATOM10 &&
		    st->doc->format != FEED_FORMAT_ATOM03)
			prio = P_MID - 1;
		set_field(st, RAW_LINK, href, RAW_TEXT, prio);
	} else if (strcasecmp(rel, "enclosure") == 0 && st->in_item) {
		length = attr_get(nb, attrs, "length");
		if (url_resolve(cur_base(st), href, &abs) < 0)
			goto out;
		if (raw_add_enclosure(&st->item, abs, type,
		    length ? parse_length(length) : -1) < 0)
			fail(st, -ENOMEM);
	}
out:
	free(rel);
	free(type);
	free(href);
	free(length);
	free(abs);
}

static void
enclosure(struct xml_reader *st, int nb, const xmlChar **attrs,
    const char *url_attr, const char *length_attr)
{
	char *url = attr_get(nb, attrs, url_attr);
	char *type = attr_get(nb, attrs, "type");
	char *length = attr_get(nb, attrs, length_attr);
	char *abs = NULL;

	if (!st->in_item || url == NULL ||
	    url_resolve(cur_base(st), url, &abs) < 0)
		goto out;
	if (raw_add_enclosure(&st->item, abs, type,
	    length ? parse_length(length) : -1) < 0)
		fail(st, -ENOMEM);
out:
	free(url);
	free(type);
	free(length);
	free(abs);
}

static void
atom_category(struct xml_reader *st, int nb, const xmlChar **attrs)
{
	char *term = attr_get(nb, attrs, "term");

	if (term == NULL || term[0] == '\0') {
		free(term);
		term = attr_get(nb, attrs, "label");
	}
	if (term != NULL && term[0] != '\0' && st->in_item &&
	    raw_add_category(&st->item, term) < 0)
		fail(st, -ENOMEM);
	free(term);
}

static void
push_base(struct xml_reader *st, struct frame *f, int nb, const xmlChar **attrs)
{
	const xmlChar **a = attr_find(nb, attrs, "base", NS_XML);
	const char *parent = cur_base(st);
	char *value, *resolved = NULL;

	f->base = parent;
	f->base_owned = false;
	if (a == NULL)
		return;
	value = attr_dup(a);
	if (value == NULL) {
		fail(st, -ENOMEM);
		return;
	}
	if (url_resolve(parent, value, &resolved) == 0) {
		f->base = resolved;
		f->base_owned = true;
	}
	free(value);
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attrs)
{
	struct xml_reader *st = ctx;
	const char *name = (const char *)localname;
	enum ns ns = ns_from(uri, prefix);
	enum tag tag;
	struct frame *f;
	char *v;
	int kind;

	/*
	 * <feed> without a namespace: Atom written by someone who forgot
	 * xmlns (feedparser reads it too); its children are Atom's.
	 */
	if (!st->root_seen && uri == NULL && prefix == NULL &&
	    strcmp(name, "feed") == 0)
		st->bare_atom = true;
	if (st->bare_atom && ns == NS_RSS && uri == NULL)
		ns = NS_ATOM10;
	tag = tag_from(ns, name);

	if (st->error != 0 || st->not_feed)
		return;
	if (st->depth >= MAX_DEPTH) {
		st->too_deep = true;
		fail(st, FEED_ETOOBIG);
		return;
	}
	f = &st->stack[st->depth];
	f->tag = tag;
	f->ns = ns;
	push_base(st, f, nb_attributes, attrs);
	st->depth++;

	if (!st->root_seen) {
		root_start(st, tag, ns, name, nb_attributes, attrs);
		return;
	}
	if (st->capturing) {
		if (!st->cap_leaf)
			capture_element_start(st, name, ns, nb_attributes,
			    attrs);
		return;
	}
	if (st->ignore_depth > 0)
		return;

	switch (tag) {
	case T_CHANNEL:
		if (ns == NS_RSS && uri != NULL && strcmp((const char *)uri,
		    "http://my.netscape.com/rdf/simple/0.9/") == 0)
			st->doc->format = FEED_FORMAT_RSS090;
		break;
	case T_ITEM:
	case T_ENTRY:
		if (st->in_item)
			break;	/* an item inside an item is not one */
		if (uri != NULL && strcmp((const char *)uri,
		    "http://my.netscape.com/rdf/simple/0.9/") == 0)
			st->doc->format = FEED_FORMAT_RSS090;
		st->in_item = true;
		st->item_depth = st->depth;
		/* RSS 1.0 items name themselves with rdf:about. */
		{
			const xmlChar **a = attr_find(nb_attributes, attrs,
			    "about", NS_RDF);

			if (a != NULL && (v = attr_dup(a)) != NULL) {
				set_field(st, RAW_ID, v, RAW_TEXT, P_LOW);
				free(v);
			}
		}
		break;
	case T_IMAGE:
	case T_TEXTINPUT:
	case T_SOURCE:
		st->ignore_depth = st->depth;
		break;
	case T_PERSON:
		st->in_person = true;
		buf_clear(&st->person_name);
		buf_clear(&st->person_email);
		break;
	case T_ATOM_LINK:
		atom_link(st, nb_attributes, attrs);
		break;
	case T_ENCLOSURE:
		enclosure(st, nb_attributes, attrs, "url", "length");
		break;
	case T_MEDIA_CONTENT:
		enclosure(st, nb_attributes, attrs, "url", "fileSize");
		break;
	case T_ATOM_CATEGORY:
		atom_category(st, nb_attributes, attrs);
		break;
	case T_GUID:
		v = attr_get(nb_attributes, attrs, "isPermaLink");
		st->guid_permalink = v == NULL || strcasecmp(v, "false") != 0;
		free(v);
		capture_start(st, RAW_TEXT);
		break;
	case T_ATOM_TITLE:
	case T_ATOM_SUMMARY:
	case T_ATOM_CONTENT:
		kind = atom_kind(nb_attributes, attrs, tag == T_ATOM_CONTENT,
		    &st->atom_base64);
		st->atom_text_skip = kind < 0;
		capture_start(st, kind < 0 ? RAW_TEXT : (enum raw_kind)kind);
		st->cap_leaf = st->atom_base64;
		break;
	case T_DESCRIPTION:
	case T_DC_DESCRIPTION:
	case T_CONTENT_ENCODED:
	case T_ITUNES_SUMMARY:
	case T_MEDIA_DESCRIPTION:
		capture_start(st, RAW_HTML);
		break;
	case T_XHTML_BODY:
		capture_start(st, RAW_XHTML);
		/* The body element is the wrapper, not the content. */
		st->cap_div_seen = true;
		break;
	case T_TITLE:
	case T_LINK:
	case T_PUBDATE:
	case T_LASTBUILDDATE:
	case T_CATEGORY:
	case T_RSS_AUTHOR:
	case T_TTL:
	case T_ATOM_ID:
	case T_ATOM_UPDATED:
	case T_ATOM_PUBLISHED:
	case T_ATOM_NAME:
	case T_ATOM_EMAIL:
	case T_ATOM_URI:
	case T_DC_CREATOR:
	case T_DC_DATE:
	case T_DC_SUBJECT:
	case T_DC_TITLE:
	case T_DC_IDENTIFIER:
	case T_DCTERMS_ISSUED:
	case T_DCTERMS_MODIFIED:
	case T_DCTERMS_CREATED:
	case T_MEDIA_TITLE:
	case T_ITUNES_AUTHOR:
	case T_SY_PERIOD:
	case T_SY_FREQUENCY:
	case T_FB_ORIGLINK:
	case T_HOUR:
	case T_DAY:
		capture_start(st, RAW_TEXT);
		/* Ids, links, dates, names: an element inside is not text
		 * of ours (a <category> holding an <image>, say). */
		st->cap_leaf = tag != T_TITLE && tag != T_DC_TITLE &&
		    tag != T_MEDIA_TITLE;
		break;
	default:
		break;
	}
}

/*
 * Decodes b's base64 text in place (white space ignored).  Returns 0, or
 * -EINVAL when it is not base64 or decodes to something with a NUL.
 */
static int
base64_decode(struct buf *b)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t i, out = 0;
	int bits = 0, pad = 0;
	const char *p;

	if (b->p == NULL)
		return 0;	/* nothing was captured: empty stays empty */
	for (i = 0; i < b->len; i++) {
		char c = b->p[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || c == '\0' || (p = strchr(alphabet, c)) == NULL)
			return -EINVAL;
		acc = (acc << 6) | (uint32_t)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			b->p[out] = (char)((acc >> bits) & 0xff);
			if (b->p[out] == '\0')
				return -EINVAL;
			out++;
		}
	}
	/* Decoding never writes ahead of reading: out <= i at every step. */
	b->len = out;
	b->p[out] = '\0';
	return 0;
}

/* A person is "name (email)", as feedparser writes it, or either alone. */
static void
person_end(struct xml_reader *st)
{
	struct buf *name = &st->person_name, *email = &st->person_email;
	char *s = NULL;

	st->in_person = false;
	if (name->len > 0 && email->len > 0) {
		if (asprintf(&s, "%s (%s)", name->p, email->p) < 0)
			s = NULL;
	} else if (name->len > 0)
		s = strdup(name->p);
	else if (email->len > 0)
		s = strdup(email->p);
	else
		return;
	if (s == NULL) {
		fail(st, -ENOMEM);
		return;
	}
	/* Contributors are not authors; only <author> reaches here as one. */
	if (st->in_item)
		set_field(st, RAW_AUTHOR, s, RAW_TEXT, P_TOP);
	else if (st->feed_author == NULL) {
		st->feed_author = s;
		s = NULL;
	}
	free(s);
}

/* skipDays names: bit 0 = Sunday, as struct tm's tm_wday. */
static uint8_t
day_bit(const char *s)
{
	static const char *const days[] = {
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
		"Friday", "Saturday",
	};
	size_t i, len;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	len = strcspn(s, " \t\r\n");
	for (i = 0; i < 7; i++)
		if (len == strlen(days[i]) && strncasecmp(s, days[i], len) == 0)
			return (uint8_t)(1u << i);
	return 0;
}

static long
parse_long(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		return -1;
	return v;
}

/*
 * The feed's own fields as read so far, into doc, for a hook that sees
 * items before the end: once, before the first.  Their warnings go to a
 * scratch document: finish_feed() gives them once, when the fields are
 * final.
 */
static int
head_so_far(struct xml_reader *st)
{
	struct feed_doc *doc = st->doc, *scratch;
	int r;

	scratch = feed_doc_new();
	if (scratch == NULL)
		return -ENOMEM;
	r = normalize_feed(scratch, &st->feed);
	if (r == 0) {
		/* Swapped, so that the scratch frees what doc held. */
		char *title = doc->title, *link = doc->link, *id = doc->id;

		doc->title = scratch->title;
		doc->link = scratch->link;
		doc->id = scratch->id;
		doc->updated = scratch->updated;
		scratch->title = title;
		scratch->link = link;
		scratch->id = id;
	}
	feed_doc_free(scratch);
	return r;
}

/* Gives the item just normalized, the last of doc's, to the hook. */
static int
hand_over(struct xml_reader *st)
{
	struct feed_doc *doc = st->doc;
	struct feed_item *item = &doc->items[doc->nitems - 1];
	int r;

	r = st->nread == 1 ? head_so_far(st) : 0;
	if (r == 0)
		r = st->opts->on_item(st->opts->on_item_arg, doc, item);
	feed_item_clear(item);
	doc->nitems--;
	return r;
}

static void
item_end(struct xml_reader *st)
{
	struct feed_doc *doc = st->doc;
	int r;

	if (st->item.f[RAW_AUTHOR].value == NULL && st->feed_author != NULL)
		set_field(st, RAW_AUTHOR, st->feed_author, RAW_TEXT, P_LOW);
	st->in_item = false;
	if (st->nread >= MAX_ITEMS) {
		if (st->nread == MAX_ITEMS)
			feed_doc_warn(doc, "more than %d items, ignoring the "
			    "rest", MAX_ITEMS);
		st->nread++;
		raw_item_clear(&st->item);
		return;
	}
	r = normalize_item(doc, &st->item, st->nread);
	if (r == 0) {
		st->nread++;
		if (st->opts->on_item != NULL)
			r = hand_over(st);
	}
	if (r < 0)
		fail(st, r);
	raw_item_clear(&st->item);
}

/* The end of a captured element: its text becomes a field candidate. */
static void
field_end(struct xml_reader *st, enum tag tag, const struct frame *f)
{
	const char *text = st->text.p ? st->text.p : "";
	enum raw_kind kind = st->cap_kind;
	bool in_person = st->in_person;
	long n;

	st->capturing = false;
	if (st->atom_base64 && (tag == T_ATOM_TITLE ||
	    tag == T_ATOM_SUMMARY || tag == T_ATOM_CONTENT)) {
		st->atom_base64 = false;
		if (base64_decode(&st->text) < 0) {
			feed_doc_warn(st->doc, "base64 text that does not "
			    "decode, ignoring it");
			buf_clear(&st->text);
		}
		text = st->text.p ? st->text.p : "";
	}
	if (st->text.overflow)
		feed_doc_warn(st->doc, "an element's text is longer than %u "
		    "bytes, truncated", MAX_FIELD);
	if (in_person) {
		struct buf *b = tag == T_ATOM_NAME ? &st->person_name :
		    tag == T_ATOM_EMAIL ? &st->person_email : NULL;

		if (b != NULL && b->len == 0) {
			char *t = NULL;

			if (normalize_text(text, RAW_TEXT, &t) < 0 ||
			    buf_puts(b, t) < 0)
				fail(st, -ENOMEM);
			free(t);
		}
		return;
	}
	switch (tag) {
	case T_TITLE:
		set_field(st, RAW_TITLE, text, looks_like_html(text,
		    st->text.len) ? RAW_HTML : RAW_TEXT, P_HIGH);
		break;
	case T_ATOM_TITLE:
		if (!st->atom_text_skip)
			set_field(st, RAW_TITLE, text, kind, P_HIGH);
		break;
	case T_DC_TITLE:
		set_field(st, RAW_TITLE, text, RAW_TEXT, P_MID);
		break;
	case T_MEDIA_TITLE:
		set_field(st, RAW_TITLE, text, RAW_TEXT, P_LOW);
		break;
	case T_LINK:
		set_field(st, RAW_LINK, text, RAW_TEXT, P_HIGH);
		break;
	case T_FB_ORIGLINK:
		set_field(st, RAW_LINK, text, RAW_TEXT, P_TOP);
		break;
	case T_GUID:
		set_field(st, RAW_ID, text, RAW_TEXT, P_MID);
		if (st->guid_permalink)
			set_field(st, RAW_GUID_LINK, text, RAW_TEXT, P_MID);
		break;
	case T_ATOM_ID:
		set_field(st, RAW_ID, text, RAW_TEXT, P_HIGH);
		break;
	case T_DC_IDENTIFIER:
		set_field(st, RAW_ID, text, RAW_TEXT, P_LOW);
		break;
	case T_PUBDATE:
	case T_ATOM_PUBLISHED:
		set_field(st, RAW_PUBLISHED, text, RAW_TEXT, P_TOP);
		break;
	case T_DCTERMS_ISSUED:
		set_field(st, RAW_PUBLISHED, text, RAW_TEXT, P_HIGH);
		break;
	case T_DC_DATE:
		set_field(st, RAW_PUBLISHED, text, RAW_TEXT, P_MID);
		break;
	case T_DCTERMS_CREATED:
		set_field(st, RAW_PUBLISHED, text, RAW_TEXT, P_LOW);
		break;
	case T_LASTBUILDDATE:
	case T_ATOM_UPDATED:
		set_field(st, RAW_UPDATED, text, RAW_TEXT, P_TOP);
		break;
	case T_DCTERMS_MODIFIED:
		set_field(st, RAW_UPDATED, text, RAW_TEXT, P_HIGH);
		break;
	case T_DC_CREATOR:
		set_field(st, RAW_AUTHOR, text, RAW_TEXT, P_HIGH);
		break;
	case T_RSS_AUTHOR:
		set_field(st, RAW_AUTHOR, text, RAW_TEXT, P_MID);
		break;
	case T_ITUNES_AUTHOR:
		set_field(st, RAW_AUTHOR, text, RAW_TEXT, P_LOW);
		break;
	case T_DESCRIPTION:
		set_field(st, RAW_SUMMARY, text, kind, P_HIGH);
		break;
	case T_ATOM_SUMMARY:
		if (!st->atom_text_skip)
			set_field(st, RAW_SUMMARY, text, kind, P_HIGH);
		break;
	case T_DC_DESCRIPTION:
		set_field(st, RAW_SUMMARY, text, kind, P_MID);
		break;
	case T_ITUNES_SUMMARY:
	case T_MEDIA_DESCRIPTION:
		set_field(st, RAW_SUMMARY, text, kind, P_LOW);
		break;
	case T_ATOM_CONTENT:
		if (!st->atom_text_skip)
			set_field(st, RAW_CONTENT, text, kind, P_HIGH);
		break;
	case T_CONTENT_ENCODED:
		set_field(st, RAW_CONTENT, text, kind, P_HIGH);
		break;
	case T_XHTML_BODY:
		set_field(st, RAW_CONTENT, text, RAW_XHTML, P_MID);
		break;
	case T_CATEGORY:
	case T_DC_SUBJECT:
		if (st->in_item) {
			char *t = NULL;

			if (normalize_text(text, RAW_TEXT, &t) < 0 ||
			    (t[0] != '\0' && raw_add_category(&st->item,
			    t) < 0))
				fail(st, -ENOMEM);
			free(t);
		}
		break;
	case T_TTL:
		if (!st->in_item && (n = parse_long(text)) > 0 &&
		    n < 365L * 24 * 60)
			st->doc->ttl_seconds = (int64_t)n * 60;
		break;
	case T_SY_PERIOD:
		if (st->in_item)
			break;
		while (*text == ' ' || *text == '\n' || *text == '\t')
			text++;
		if (strncasecmp(text, "hourly", 6) == 0)
			st->sy_period = 3600;
		else if (strncasecmp(text, "daily", 5) == 0)
			st->sy_period = 86400;
		else if (strncasecmp(text, "weekly", 6) == 0)
			st->sy_period = 7 * 86400;
		else if (strncasecmp(text, "monthly", 7) == 0)
			st->sy_period = 30 * 86400;
		else if (strncasecmp(text, "yearly", 6) == 0)
			st->sy_period = 365 * 86400;
		break;
	case T_SY_FREQUENCY:
		if (!st->in_item && (n = parse_long(text)) > 0)
			st->sy_frequency = n;
		break;
	case T_HOUR:
		/* RSS 2.0: 0..23 GMT; some feeds write 24 for midnight. */
		if (!st->in_item && st->depth >= 2 &&
		    st->stack[st->depth - 2].tag == T_SKIP_HOURS &&
		    (n = parse_long(text)) >= 0 && n <= 24)
			st->doc->skip_hours |= (uint32_t)1 << (n % 24);
		break;
	case T_DAY:
		if (!st->in_item && st->depth >= 2 &&
		    st->stack[st->depth - 2].tag == T_SKIP_DAYS)
			st->doc->skip_days |= day_bit(text);
		break;
	default:
		break;
	}
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct xml_reader *st = ctx;
	struct frame *f;

	if (st->error != 0 || st->not_feed || st->depth <= 1)
		return;
	f = &st->stack[st->depth - 1];

	if (st->capturing && st->depth > st->cap_depth) {
		if (!st->cap_leaf)
			capture_element_end(st, (const char *)localname);
	}
	else if (st->capturing && st->depth == st->cap_depth)
		field_end(st, f->tag, f);
	else if (st->ignore_depth == st->depth)
		st->ignore_depth = 0;
	else if (st->ignore_depth == 0) {
		if (f->tag == T_PERSON && st->in_person) {
			/* Only <author>; <contributor> shares the tag. */
			if (strcmp((const char *)localname, "author") == 0)
				person_end(st);
			else
				st->in_person = false;
		} else if ((f->tag == T_ITEM || f->tag == T_ENTRY) &&
		    st->in_item && st->item_depth == st->depth)
			item_end(st);
	}

	if (f->base_owned)
		free((char *)f->base);
	f->base = NULL;
	f->base_owned = false;
	st->depth--;
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	struct xml_reader *st = ctx;

	if (!st->capturing || st->error != 0 || len <= 0 ||
	    (st->cap_leaf && st->depth != st->cap_depth))
		return;
	/* Inline markup keeps its text escaped; text and HTML stay raw. */
	text_append(st, (const char *)ch, (size_t)len,
	    st->cap_kind == RAW_XHTML);
}

static void
on_error(void *ctx, xmlErrorPtr err)
{
	struct xml_reader *st = ctx;
	size_t n;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	if (st->xml_errors++ > 0)
		return;
	st->first_error_line = err->line;
	snprintf(st->first_error, sizeof(st->first_error), "%s",
	    err->message ? err->message : "unknown error");
	n = strlen(st->first_error);
	while (n > 0 && (st->first_error[n - 1] == '\n' ||
	    st->first_error[n - 1] == ' '))
		st->first_error[--n] = '\0';
}

/* Frees what the reader holds, not the reader itself. */
static void
reader_free_fields(struct xml_reader *st)
{
	while (st->depth > 0) {
		struct frame *f = &st->stack[--st->depth];

		if (f->base_owned)
			free((char *)f->base);
	}
	raw_item_clear(&st->item);
	raw_item_clear(&st->feed);
	free(st->feed_author);
	buf_free(&st->text);
	buf_free(&st->person_name);
	buf_free(&st->person_email);
}

/* The channel's own fields and hints, once the document has been read. */
static int
finish_feed(struct xml_reader *st)
{
	struct feed_doc *doc = st->doc;
	int r;

	r = normalize_feed(doc, &st->feed);
	if (r < 0)
		return r;
	if (st->sy_period > 0) {
		int64_t hint = st->sy_period / (st->sy_frequency > 0 ?
		    st->sy_frequency : 1);

		if (hint > doc->ttl_seconds)
			doc->ttl_seconds = hint;
	}
	return 0;
}

/* The document's end or the reader's stop, then the verdict on it. */
static int
finish(struct xml_reader *st, char *errbuf, size_t errlen)
{
	struct feed_doc *doc = st->doc;

	if (st->error == 0 && !st->not_feed)
		xmlParseChunk(st->ctxt, NULL, 0, 1);

	/* Out of memory, or the hook's own code. */
	if (st->error < 0 && !st->too_deep)
		return st->error;
	if (st->too_deep) {
		snprintf(errbuf, errlen, "elements nested deeper than %d "
		    "levels", MAX_DEPTH);
		return FEED_ETOOBIG;
	}
	if (st->not_feed || !st->root_seen) {
		if (st->root_seen)
			snprintf(errbuf, errlen, "not a feed: the root element "
			    "is <%s>", st->root_name);
		else if (st->xml_errors > 0)
			snprintf(errbuf, errlen, "not a feed: no XML element "
			    "(line %d: %s)", st->first_error_line,
			    st->first_error);
		else
			snprintf(errbuf, errlen, "not a feed: the document is "
			    "empty");
		return FEED_ENOTFEED;
	}
	if (st->xml_errors > 0)
		feed_doc_warn(doc, "not well-formed XML (line %d: %s), "
		    "recovered %zu items", st->first_error_line,
		    st->first_error,
		    st->nread < MAX_ITEMS ? st->nread : (size_t)MAX_ITEMS);
	return finish_feed(st);
}

int
xml_reader_new(const struct feed_parse_opts *o, struct feed_doc *doc,
    struct xml_reader **ret)
{
	xmlSAXHandler sax;
	struct xml_reader *st;

	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return -ENOMEM;
	st->doc = doc;
	st->opts = o;
	st->chunk_size = o->chunk_size > 0 ? o->chunk_size : DEFAULT_CHUNK;
	if (st->chunk_size > INT32_MAX)
		st->chunk_size = INT32_MAX;
	buf_init(&st->text, MAX_FIELD);
	buf_init(&st->person_name, 4096);
	buf_init(&st->person_email, 4096);

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.cdataBlock = on_characters;
	sax.serror = on_error;

	st->ctxt = xmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL);
	if (st->ctxt == NULL) {
		reader_free_fields(st);
		free(st);
		return -ENOMEM;
	}
	/*
	 * Recover: after xmlfix.c, what is left is bad nesting, which
	 * libxml2 repairs well.  NONET and no DTD options: nothing is ever
	 * loaded.  IGNORE_ENC: the bytes are UTF-8 whatever they claim.
	 */
	xmlCtxtUseOptions(st->ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
	    XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);

	/* A pseudo-frame below the root carries the document's URL. */
	st->stack[0].tag = T_OTHER;
	st->stack[0].ns = NS_OTHER;
	st->stack[0].base = o->base_url;
	st->stack[0].base_owned = false;
	st->depth = 1;
	*ret = st;
	return 0;
}

int
xml_reader_push(struct xml_reader *st, const char *buf, size_t len)
{
	size_t off, n;

	/*
	 * In pieces of chunk_size: libxml2 keeps less in its own input
	 * buffer, and without XML_PARSE_HUGE it refuses lookups past 10 MB
	 * of one buffered input ("Huge input lookup").
	 */
	for (off = 0; off < len && st->error == 0 && !st->not_feed;
	    off += n) {
		n = len - off < st->chunk_size ? len - off : st->chunk_size;
		xmlParseChunk(st->ctxt, buf + off, (int)n, 0);
	}
	return st->error == 0 && !st->not_feed ? 0 : XML_READER_STOPPED;
}

int
xml_reader_end(struct xml_reader *st, char *errbuf, size_t errlen)
{
	int r;

	r = finish(st, errbuf, errlen);
	xml_reader_free(st);
	return r;
}

void
xml_reader_free(struct xml_reader *st)
{
	/*
	 * An entity declared in the internal subset makes libxml2 build a
	 * document to hold it even in SAX mode (its "SAX compatibility"
	 * path), which the context does not free.
	 */
	xmlFreeDoc(st->ctxt->myDoc);
	st->ctxt->myDoc = NULL;
	xmlFreeParserCtxt(st->ctxt);
	reader_free_fields(st);
	free(st);
}
