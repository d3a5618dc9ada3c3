/*
 * parse_internal.h - what the format readers hand to the normalizer.
 *
 * A raw item holds the competing candidates for each field as the
 * document gave them, each with the priority of the element it came
 * from; normalize.c turns it into a struct feed_item.
 */
#ifndef FEEDSPOOL_PARSE_INTERNAL_H
#define FEEDSPOOL_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed.h"
#include "parse.h"

enum raw_kind {
	RAW_TEXT = 0,		/* plain text: to be escaped for HTML */
	RAW_HTML,		/* HTML in text form (escaped or CDATA) */
	RAW_XHTML,		/* markup serialized from child elements */
};

struct raw_field {
	char *value;		/* owned */
	char *base;		/* owned: the xml:base in effect, or NULL */
	int prio;		/* the candidate with the highest wins */
	enum raw_kind kind;
};

enum raw_field_id {
	RAW_ID,
	RAW_LINK,		/* alternate link */
	RAW_GUID_LINK,		/* a guid that is a permalink */
	RAW_TITLE,
	RAW_PUBLISHED,
	RAW_UPDATED,
	RAW_AUTHOR,
	RAW_SUMMARY,
	RAW_CONTENT,
	RAW_NFIELDS,
};

struct raw_enclosure {
	char *url;
	char *type;
	int64_t length;
};

struct raw_item {
	struct raw_field f[RAW_NFIELDS];
	char **categories;
	size_t ncategories;
	struct raw_enclosure *enclosures;
	size_t nenclosures;
};

/*
 * Offers a candidate for a field: it replaces the current value when the
 * field is empty or prio is higher.  value is copied; base may be NULL.
 * An all-whitespace value is no candidate.  Returns 0 or -ENOMEM.
 */
int raw_set(struct raw_field *field, const char *value, size_t len,
    enum raw_kind kind, const char *base, int prio);
int raw_add_category(struct raw_item *raw, const char *term);
int raw_add_enclosure(struct raw_item *raw, const char *url,
    const char *type, int64_t length);
void raw_item_clear(struct raw_item *raw);

/*
 * Normalizes raw into a new item of doc (canonical URL, sanitized HTML,
 * text, UTC dates, content hash).  index is the item's position, for
 * warnings.  Returns 0 or -ENOMEM.
 */
int normalize_item(struct feed_doc *doc, struct raw_item *raw, size_t index);

/*
 * Normalizes the channel's own fields (title, link, id, updated or else
 * published) from raw into doc, replacing what they held.  Returns 0 or
 * -ENOMEM.
 */
int normalize_feed(struct feed_doc *doc, struct raw_item *raw);

/* Plain text of a title-like field: markup stripped, whitespace collapsed. */
int normalize_text(const char *value, enum raw_kind kind, char **ret);

/* Format readers: the buffer is UTF-8 without BOM or XML declaration. */
/*
 * The RSS and Atom reader, fed in pieces of UTF-8 without BOM or XML
 * declaration, as xmlfix_repair_to() hands them over: new, push as often
 * as needed, then end, which frees the reader.  end returns 0, or
 * FEED_ENOTFEED or FEED_ETOOBIG with a line in errbuf, or -ENOMEM, or
 * the on_item hook's negative code.  free drops a reader left unfinished.
 * o and doc must outlive the reader.  push returns 0, or
 * XML_READER_STOPPED once the reader has stopped (not a feed, an error):
 * what follows is not read, and end says why.
 */
struct xml_reader;
#define XML_READER_STOPPED (-1100)
int xml_reader_new(const struct feed_parse_opts *o, struct feed_doc *doc,
    struct xml_reader **ret);
int xml_reader_push(struct xml_reader *rd, const char *buf, size_t len);
int xml_reader_end(struct xml_reader *rd, char *errbuf, size_t errlen);
void xml_reader_free(struct xml_reader *rd);
int parse_jsonfeed(const char *buf, size_t len, const char *base_url,
    struct feed_doc *doc, char *errbuf, size_t errlen);

/* A length in bytes as feeds write it ("12345", " 12345 "), or -1. */
int64_t parse_length(const char *s);

#endif
