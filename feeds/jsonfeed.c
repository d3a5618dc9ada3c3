/*
 * jsonfeed.c - JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
 *
 * Items become raw items like RSS and Atom ones, so one normalizer gives
 * every format the same URLs, HTML, text, dates and hashes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "parse.h"
#include "parse_internal.h"

#define P_FIELD 3

static const char *
str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
set(struct raw_field *f, const char *value, enum raw_kind kind,
    const char *base, int prio)
{
	if (value == NULL)
		return 0;
	return raw_set(f, value, strlen(value), kind, base, prio);
}

/* 1.1 has "authors", 1.0 "author"; the first name (or URL) is used. */
static const char *
author_name(json_t *obj)
{
	json_t *authors = json_object_get(obj, "authors");
	json_t *author = json_object_get(obj, "author");
	const char *name;

	if (json_is_array(authors) && json_array_size(authors) > 0)
		author = json_array_get(authors, 0);
	if (!json_is_object(author))
		return NULL;
	name = str(author, "name");
	return name != NULL ? name : str(author, "url");
}

/*
 * Items without authors have the feed's (JSON Feed 1.1, "authors"), offered
 * at a lower priority than the item's own.
 */
static int
read_item(json_t *it, const char *base, const char *feed_author,
    struct raw_item *raw)
{
	json_t *id = json_object_get(it, "id"), *v;
	char idbuf[32];
	size_t i;
	int r = 0;

	/* JSON Feed 1.0 allowed numeric ids; keep them as text. */
	if (json_is_integer(id)) {
		snprintf(idbuf, sizeof(idbuf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		r = set(&raw->f[RAW_ID], idbuf, RAW_TEXT, NULL, P_FIELD);
	} else
		r = set(&raw->f[RAW_ID], str(it, "id"), RAW_TEXT, NULL,
		    P_FIELD);
	if (r < 0 ||
	    (r = set(&raw->f[RAW_LINK], str(it, "url"), RAW_TEXT, base,
	    P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_LINK], str(it, "external_url"), RAW_TEXT,
	    base, P_FIELD - 1)) < 0 ||
	    (r = set(&raw->f[RAW_TITLE], str(it, "title"), RAW_TEXT, NULL,
	    P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_SUMMARY], str(it, "summary"), RAW_TEXT, base,
	    P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_CONTENT], str(it, "content_html"), RAW_HTML,
	    base, P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_CONTENT], str(it, "content_text"), RAW_TEXT,
	    base, P_FIELD - 1)) < 0 ||
	    (r = set(&raw->f[RAW_PUBLISHED], str(it, "date_published"),
	    RAW_TEXT, NULL, P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_UPDATED], str(it, "date_modified"),
	    RAW_TEXT, NULL, P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_AUTHOR], author_name(it), RAW_TEXT, NULL,
	    P_FIELD)) < 0 ||
	    (r = set(&raw->f[RAW_AUTHOR], feed_author, RAW_TEXT, NULL,
	    P_FIELD - 1)) < 0)
		return r;

	v = json_object_get(it, "tags");
	for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
		json_t *tag = json_array_get(v, i);

		if (json_is_string(tag) && json_string_length(tag) > 0 &&
		    (r = raw_add_category(raw, json_string_value(tag))) < 0)
			return r;
	}

	v = json_object_get(it, "attachments");
	for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
		json_t *a = json_array_get(v, i);
		json_t *size = json_object_get(a, "size_in_bytes");
		const char *url = str(a, "url");

		if (url == NULL)
			continue;
		if ((r = raw_add_enclosure(raw, url, str(a, "mime_type"),
		    json_is_integer(size) && json_integer_value(size) >= 0 ?
		    json_integer_value(size) : -1)) < 0)
			return r;
	}
	return 0;
}

int
parse_jsonfeed(const char *buf, size_t len, const char *base_url,
    struct feed_doc *doc, char *errbuf, size_t errlen)
{
	struct raw_item raw;
	json_error_t jerr;
	json_t *root, *items;
	const char *version;
	size_t i;
	int r = 0;

	memset(&raw, 0, sizeof(raw));
	/*
	 * A "\u0000" in one string must not cost the whole feed: allowed,
	 * such a string ends at its NUL (jansson's C strings do).
	 */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &jerr);
	if (root == NULL) {
		snprintf(errbuf, errlen, "not a feed: invalid JSON (line %d: "
		    "%s)", jerr.line, jerr.text);
		return FEED_ENOTFEED;
	}
	version = str(root, "version");
	items = json_object_get(root, "items");
	if (version == NULL ||
	    strncmp(version, "https://jsonfeed.org/version/", 29) != 0) {
		snprintf(errbuf, errlen, "not a feed: JSON without a "
		    "jsonfeed.org version");
		r = FEED_ENOTFEED;
		goto out;
	}
	doc->format = strcmp(version + 29, "1") == 0 ?
	    FEED_FORMAT_JSONFEED10 : FEED_FORMAT_JSONFEED11;
	if (items != NULL && !json_is_array(items)) {
		snprintf(errbuf, errlen, "not a feed: \"items\" is not an "
		    "array");
		r = FEED_ENOTFEED;
		goto out;
	}

	for (i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);

		if (!json_is_object(it)) {
			feed_doc_warn(doc, "item %zu: not an object, ignoring "
			    "it", i + 1);
			continue;
		}
		if ((r = read_item(it, base_url, author_name(root), &raw)) < 0 ||
		    (r = normalize_item(doc, &raw, doc->nitems)) < 0)
			goto out;
		raw_item_clear(&raw);
	}

	/* The feed's own fields go through the normalizer as an item. */
	if ((r = set(&raw.f[RAW_TITLE], str(root, "title"), RAW_TEXT, NULL,
	    P_FIELD)) < 0 ||
	    (r = set(&raw.f[RAW_LINK], str(root, "home_page_url"), RAW_TEXT,
	    base_url, P_FIELD)) < 0 ||
	    (r = set(&raw.f[RAW_ID], str(root, "feed_url"), RAW_TEXT, NULL,
	    P_FIELD)) < 0 ||
	    (r = normalize_feed(doc, &raw)) < 0)
		goto out;
out:
	raw_item_clear(&raw);
	json_decref(root);
	return r;
}
