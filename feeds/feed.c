/*
 * feed.c - the item model: construction and destruction.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

static const char *const format_names[] = {
	[FEED_FORMAT_UNKNOWN] = "unknown",
	[FEED_FORMAT_RSS090] = "rss090",
	[FEED_FORMAT_RSS091] = "rss091",
	[FEED_FORMAT_RSS092] = "rss092",
	[FEED_FORMAT_RSS093] = "rss093",
	[FEED_FORMAT_RSS094] = "rss094",
	[FEED_FORMAT_RSS20] = "rss20",
	[FEED_FORMAT_RSS10] = "rss10",
	[FEED_FORMAT_RSS] = "rss",
	[FEED_FORMAT_ATOM03] = "atom03",
	[FEED_FORMAT_ATOM10] = "atom10",
	[FEED_FORMAT_JSONFEED10] = "json1",
	[FEED_FORMAT_JSONFEED11] = "json11",
};

const char *
feed_format_name(enum feed_format format)
{
	if ((size_t)format >= sizeof(format_names) / sizeof(format_names[0]))
		return "unknown";
	return format_names[format];
}

struct feed_doc *
feed_doc_new(void)
{
	struct feed_doc *doc;

	doc = calloc(1, sizeof(*doc));
	if (doc == NULL)
		return NULL;
	doc->updated = FEED_TIME_UNKNOWN;
	return doc;
}

void
feed_item_clear(struct feed_item *item)
{
	size_t i;

	free(item->id);
	free(item->url);
	free(item->title);
	free(item->author);
	for (i = 0; i < item->ncategories; i++)
		free(item->categories[i]);
	free(item->categories);
	free(item->summary_html);
	free(item->content_html);
	free(item->content_text);
	for (i = 0; i < item->nenclosures; i++) {
		free(item->enclosures[i].url);
		free(item->enclosures[i].type);
	}
	free(item->enclosures);
	memset(item, 0, sizeof(*item));
	item->published = FEED_TIME_UNKNOWN;
	item->updated = FEED_TIME_UNKNOWN;
}

void
feed_doc_free(struct feed_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	free(doc->title);
	free(doc->link);
	free(doc->id);
	for (i = 0; i < doc->nitems; i++)
		feed_item_clear(&doc->items[i]);
	free(doc->items);
	for (i = 0; i < doc->nwarnings; i++)
		free(doc->warnings[i]);
	free(doc->warnings);
	free(doc);
}

struct feed_item *
feed_doc_add_item(struct feed_doc *doc)
{
	struct feed_item *item;

	if (doc->nitems == doc->items_cap) {
		size_t cap = doc->items_cap ? doc->items_cap * 2 : 16;
		struct feed_item *items;

		items = reallocarray(doc->items, cap, sizeof(*items));
		if (items == NULL)
			return NULL;
		doc->items = items;
		doc->items_cap = cap;
	}
	item = &doc->items[doc->nitems++];
	memset(item, 0, sizeof(*item));
	item->published = FEED_TIME_UNKNOWN;
	item->updated = FEED_TIME_UNKNOWN;
	return item;
}

/*
 * Warnings quote the document and libxml2's messages, which may hold
 * invalid UTF-8, a character cut in half or a line break: such bytes
 * become '?' or a space, so a warning is always one line of valid UTF-8
 * for the log and the JSON status.
 */
void
feed_scrub_line(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			/* One warning, one log line: no line breaks from
			 * the document. */
			if (*p < 0x20 || *p == 0x7f)
				*p = ' ';
			p++;
			continue;
		}
		n = (*p & 0xe0) == 0xc0 && *p >= 0xc2 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 :
		    (*p & 0xf8) == 0xf0 && *p <= 0xf4 ? 4 : 0;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				break;
		/* Overlong 3- and 4-byte forms, surrogates, past U+10FFFF. */
		if (n == 3 && i == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] >= 0xa0)))
			n = 0;
		if (n == 4 && i == 4 && ((p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] >= 0x90)))
			n = 0;
		if (n == 0 || i < n) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

void
feed_doc_warn(struct feed_doc *doc, const char *fmt, ...)
{
	char **warnings;
	char *msg;
	va_list ap;
	int r;

	if (doc->nwarnings >= FEED_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	feed_scrub_line(msg);
	warnings = reallocarray(doc->warnings, doc->nwarnings + 1,
	    sizeof(*warnings));
	if (warnings == NULL) {
		free(msg);
		return;
	}
	doc->warnings = warnings;
	doc->warnings[doc->nwarnings++] = msg;
}

void
feed_doc_insert_warnings(struct feed_doc *doc, size_t at,
    struct feed_doc *from)
{
	char **warnings;
	size_t n = from->nwarnings, total, i;

	if (n == 0 || at > doc->nwarnings)
		return;
	total = doc->nwarnings + n;
	warnings = reallocarray(doc->warnings, total, sizeof(*warnings));
	if (warnings == NULL)
		return;
	doc->warnings = warnings;
	memmove(warnings + at + n, warnings + at,
	    (doc->nwarnings - at) * sizeof(*warnings));
	memcpy(warnings + at, from->warnings, n * sizeof(*warnings));
	from->nwarnings = 0;
	/* The cap holds: the last ones go, as they would have. */
	for (i = FEED_MAX_WARNINGS; i < total; i++)
		free(warnings[i]);
	doc->nwarnings = total < FEED_MAX_WARNINGS ? total : FEED_MAX_WARNINGS;
}

int
feed_item_add_category(struct feed_item *item, const char *term)
{
	char **categories;
	char *copy;
	size_t i;

	/* Feeds repeat a category in dc:subject and category: keep one. */
	for (i = 0; i < item->ncategories; i++)
		if (strcmp(item->categories[i], term) == 0)
			return 0;
	copy = strdup(term);
	if (copy == NULL)
		return -ENOMEM;
	categories = reallocarray(item->categories, item->ncategories + 1,
	    sizeof(*categories));
	if (categories == NULL) {
		free(copy);
		return -ENOMEM;
	}
	item->categories = categories;
	item->categories[item->ncategories++] = copy;
	return 0;
}

int
feed_item_add_enclosure(struct feed_item *item, const char *url,
    const char *type, int64_t length)
{
	struct feed_enclosure *enclosures, *e;
	char *url_copy = NULL, *type_copy = NULL;
	size_t i;

	/* Media RSS often repeats the enclosure as media:content. */
	for (i = 0; i < item->nenclosures; i++) {
		e = &item->enclosures[i];
		if (strcmp(e->url, url) != 0)
			continue;
		if (e->type == NULL && type != NULL)
			e->type = strdup(type);
		if (e->length < 0 && length >= 0)
			e->length = length;
		return 0;
	}
	url_copy = strdup(url);
	if (type != NULL)
		type_copy = strdup(type);
	if (url_copy == NULL || (type != NULL && type_copy == NULL))
		goto nomem;
	enclosures = reallocarray(item->enclosures, item->nenclosures + 1,
	    sizeof(*enclosures));
	if (enclosures == NULL)
		goto nomem;
	item->enclosures = enclosures;
	e = &item->enclosures[item->nenclosures++];
	e->url = url_copy;
	e->type = type_copy;
	e->length = length;
	return 0;

nomem:
	free(url_copy);
	free(type_copy);
	return -ENOMEM;
}
