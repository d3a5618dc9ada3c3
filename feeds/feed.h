/*
 * feed.h - the item model shared by every parser and writer in feeds/.
 *
 * A struct feed_doc owns everything it points to: its strings, its items,
 * and each item's categories and enclosures.  feed_doc_free() releases it
 * all.  Strings are UTF-8, NUL-terminated, and NULL when unknown.
 */
#ifndef FEEDSPOOL_FEED_H
#define FEEDSPOOL_FEED_H

#include <stddef.h>
#include <stdint.h>

/* A time that the document did not give, or gave in a form we refuse. */
#define FEED_TIME_UNKNOWN INT64_MIN

enum feed_format {
	FEED_FORMAT_UNKNOWN = 0,
	FEED_FORMAT_RSS090,
	FEED_FORMAT_RSS091,
	FEED_FORMAT_RSS092,
	FEED_FORMAT_RSS093,
	FEED_FORMAT_RSS094,
	FEED_FORMAT_RSS20,
	FEED_FORMAT_RSS10,
	FEED_FORMAT_RSS,	/* RSS without a version we recognise */
	FEED_FORMAT_ATOM03,
	FEED_FORMAT_ATOM10,
	FEED_FORMAT_JSONFEED10,
	FEED_FORMAT_JSONFEED11,
};

struct feed_enclosure {
	char *url;
	char *type;
	int64_t length;		/* bytes, or -1 when not given */
};

struct feed_item {
	char *id;
	char *url;
	char *title;
	int64_t published;	/* seconds since the epoch, UTC */
	int64_t updated;
	char *author;
	char **categories;
	size_t ncategories;
	char *summary_html;
	char *content_html;
	char *content_text;
	struct feed_enclosure *enclosures;
	size_t nenclosures;
	char content_hash[65];	/* SHA-256, lower-case hex */
};

struct feed_doc {
	enum feed_format format;
	char *title;
	char *link;
	char *id;
	int64_t updated;

	/* Polling hints from the document, for the scheduler (0 = none):
	 * RSS ttl or sy:updatePeriod/Frequency, and RSS skipHours (bit h =
	 * hour h, GMT) and skipDays (bit 0 = Sunday ... bit 6 = Saturday). */
	int64_t ttl_seconds;
	uint32_t skip_hours;
	uint8_t skip_days;

	struct feed_item *items;
	size_t nitems;
	size_t items_cap;

	/* Problems the parser recovered from, one line each, for the log. */
	char **warnings;
	size_t nwarnings;
};

const char *feed_format_name(enum feed_format format);

struct feed_doc *feed_doc_new(void);
void feed_doc_free(struct feed_doc *doc);

/* Appends a zeroed item (times unknown) and returns it, or NULL on ENOMEM. */
struct feed_item *feed_doc_add_item(struct feed_doc *doc);

/* Appends a formatted warning; silently keeps at most FEED_MAX_WARNINGS. */
#define FEED_MAX_WARNINGS 100
void feed_doc_warn(struct feed_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Moves from's warnings into doc, in front of doc's warning at index at,
 * as if they had been given first; the cap of FEED_MAX_WARNINGS still
 * holds, the last ones going.  Out of memory, they stay in from.
 */
void feed_doc_insert_warnings(struct feed_doc *doc, size_t at,
    struct feed_doc *from);

void feed_item_clear(struct feed_item *item);

/* Makes s one line of valid UTF-8 in place: bad bytes become '?',
 * control characters a space.  Warnings and errors go through it. */
void feed_scrub_line(char *s);

int feed_item_add_category(struct feed_item *item, const char *term);
int feed_item_add_enclosure(struct feed_item *item, const char *url,
    const char *type, int64_t length);

#endif
