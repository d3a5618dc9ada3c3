/*
 * writer_json.c - documents and items as JSON objects (jansson).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "writer_json.h"

/*
 * A JSON string, or null for NULL.  jansson refuses invalid UTF-8; our
 * strings are valid by construction, but if one is not, its bad bytes
 * become U+FFFD rather than losing the field.
 */
static json_t *
str_or_null(const char *s)
{
	json_t *j;
	char *fixed, *w;
	const unsigned char *p;
	size_t len;

	if (s == NULL)
		return json_null();
	j = json_string(s);
	if (j != NULL)
		return j;
	len = strlen(s);
	fixed = malloc(len * 3 + 1);
	if (fixed == NULL)
		return NULL;
	for (p = (const unsigned char *)s, w = fixed; *p != '\0';) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		size_t i;
		bool ok = n > 0;

		for (i = 1; ok && i < n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok && n > 1) {
			char tmp[5];

			memcpy(tmp, p, n);
			tmp[n] = '\0';
			json_t *t = json_string(tmp);

			ok = t != NULL;
			json_decref(t);
		}
		if (ok) {
			memcpy(w, p, n);
			w += n;
			p += n;
		} else {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			p++;
		}
	}
	*w = '\0';
	j = json_string(fixed);
	free(fixed);
	return j;
}

static json_t *
time_or_null(int64_t t)
{
	char buf[DATE_RFC3339_LEN + 1];

	if (t == FEED_TIME_UNKNOWN ||
	    date_format_rfc3339(t, buf, sizeof(buf)) < 0)
		return json_null();
	return json_string(buf);
}

/* Sets key to value, taking the reference; false on ENOMEM. */
static bool
put(json_t *obj, const char *key, json_t *value)
{
	return value != NULL && json_object_set_new(obj, key, value) == 0;
}

json_t *
writer_json_feed(const struct feed_doc *doc)
{
	json_t *obj = json_object();

	if (obj == NULL)
		return NULL;
	if (!put(obj, "type", json_string("feed")) ||
	    !put(obj, "format", json_string(feed_format_name(doc->format))) ||
	    !put(obj, "title", str_or_null(doc->title)) ||
	    !put(obj, "link", str_or_null(doc->link)) ||
	    !put(obj, "id", str_or_null(doc->id)) ||
	    !put(obj, "updated", time_or_null(doc->updated))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *
categories_json(const struct feed_item *item)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < item->ncategories; i++)
		if (json_array_append_new(arr,
		    str_or_null(item->categories[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *
enclosures_json(const struct feed_item *item)
{
	json_t *arr = json_array(), *e;
	size_t i;

	for (i = 0; arr != NULL && i < item->nenclosures; i++) {
		const struct feed_enclosure *enc = &item->enclosures[i];

		e = json_object();
		if (e == NULL || !put(e, "url", str_or_null(enc->url)) ||
		    !put(e, "type", str_or_null(enc->type)) ||
		    !put(e, "length", enc->length >= 0 ?
		    json_integer(enc->length) : json_null()) ||
		    json_array_append_new(arr, e) != 0) {
			json_decref(e);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

json_t *
writer_json_item(const struct feed_item *item)
{
	json_t *obj = json_object();

	if (obj == NULL)
		return NULL;
	if (!put(obj, "type", json_string("item")) ||
	    !put(obj, "id", str_or_null(item->id)) ||
	    !put(obj, "url", str_or_null(item->url)) ||
	    !put(obj, "title", str_or_null(item->title)) ||
	    !put(obj, "published", time_or_null(item->published)) ||
	    !put(obj, "updated", time_or_null(item->updated)) ||
	    !put(obj, "author", str_or_null(item->author)) ||
	    !put(obj, "categories", categories_json(item)) ||
	    !put(obj, "summary_html", str_or_null(item->summary_html)) ||
	    !put(obj, "content_html", str_or_null(item->content_html)) ||
	    !put(obj, "content_text", str_or_null(item->content_text)) ||
	    !put(obj, "enclosures", enclosures_json(item)) ||
	    !put(obj, "content_hash", json_string(item->content_hash))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}
