/*
 * writer_jsonfeed.c - the merged feed as JSON Feed 1.1
 * (https://jsonfeed.org/version/1.1), with jansson.
 *
 * Where each item came from is in the extension object "_feedspool"
 * (extensions start with an underscore, and readers that do not know
 * one ignore it): "feed" (the configured name), "feed_title",
 * "feed_link", "feed_id", "feed_url" and "fetched_at", the names the
 * spool's articles use.  Absent values are left out, as JSON Feed does
 * with its own optional fields.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "date.h"
#include "html.h"
#include "writer.h"

#define JSONFEED_VERSION	"https://jsonfeed.org/version/1.1"
#define DEFAULT_TITLE		"feedspool"
/* JSON Feed requires an attachment's type; this one claims nothing. */
#define UNKNOWN_TYPE		"application/octet-stream"

static bool
has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/*
 * A JSON string.  jansson refuses invalid UTF-8; our strings are valid
 * by construction, but one that is not gets U+FFFD for its bad bytes
 * rather than failing the whole document.  NULL on ENOMEM.
 */
static json_t *
jstr(const char *s)
{
	json_t *j;
	char *valid;

	j = json_string(s);
	if (j != NULL)
		return j;
	valid = writer_utf8_valid(s);
	if (valid == NULL)
		return NULL;
	j = json_string(valid);
	free(valid);
	return j;
}

/* Sets key to value, taking the reference; false on ENOMEM. */
static bool
put(json_t *obj, const char *key, json_t *value)
{
	return value != NULL && json_object_set_new(obj, key, value) == 0;
}

/* Sets key to the string s when there is one. */
static bool
put_str(json_t *obj, const char *key, const char *s)
{
	return !has(s) || put(obj, key, jstr(s));
}

/* Sets key to t in RFC 3339 when it is known and in range. */
static bool
put_time(json_t *obj, const char *key, int64_t t)
{
	char buf[DATE_RFC3339_LEN + 1];

	if (t == FEED_TIME_UNKNOWN ||
	    date_format_rfc3339(t, buf, sizeof(buf)) < 0)
		return true;
	return put(obj, key, json_string(buf));
}

/*
 * "summary" is plain text in JSON Feed, where ours is HTML: its text,
 * the way html_clean reads it.  Returns 0 (having set nothing when the
 * summary has no text) or -ENOMEM.
 */
static int
put_summary(json_t *obj, const char *summary_html)
{
	char *text = NULL;
	int r;

	if (!has(summary_html))
		return 0;
	r = html_clean(summary_html, strlen(summary_html), NULL, NULL, &text);
	if (r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	r = put_str(obj, "summary", text) ? 0 : -ENOMEM;
	free(text);
	return r;
}

static json_t *
tags_json(const struct feed_item *it)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < it->ncategories; i++) {
		if (!has(it->categories[i]))
			continue;
		if (json_array_append_new(arr, jstr(it->categories[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *
attachments_json(const struct feed_item *it)
{
	json_t *arr = json_array(), *a;
	size_t i;

	for (i = 0; arr != NULL && i < it->nenclosures; i++) {
		const struct feed_enclosure *enc = &it->enclosures[i];

		if (!has(enc->url))
			continue;
		a = json_object();
		if (a == NULL || !put_str(a, "url", enc->url) ||
		    !put_str(a, "mime_type", has(enc->type) ? enc->type :
		    UNKNOWN_TYPE) ||
		    (enc->length >= 0 && !put(a, "size_in_bytes",
		    json_integer(enc->length))) ||
		    json_array_append_new(arr, a) != 0) {
			json_decref(a);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *
origin_json(const struct writer_entry *e)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (!put_str(o, "feed", e->source.name) ||
	    !put_str(o, "feed_title", e->source.title) ||
	    !put_str(o, "feed_link", e->source.link) ||
	    !put_str(o, "feed_id", e->source.id) ||
	    !put_str(o, "feed_url", e->source.url) ||
	    !put_time(o, "fetched_at", e->fetched_at)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * One item.  JSON Feed requires "id" and one of "content_html" and
 * "content_text"; an item with neither gets an empty text.  Returns a
 * new reference, or NULL on ENOMEM.
 */
static json_t *
item_json(const struct writer_entry *e)
{
	const struct feed_item *it = e->item;
	json_t *obj, *v;
	char *id;
	bool ok;

	obj = json_object();
	id = writer_entry_id(e);
	if (obj == NULL || id == NULL)
		goto fail;
	ok = put_str(obj, "id", id) &&
	    put_str(obj, "url", it->url) &&
	    put_str(obj, "title", it->title) &&
	    put_summary(obj, it->summary_html) == 0 &&
	    put_str(obj, "content_html", it->content_html);
	if (ok && has(it->content_text))
		ok = put_str(obj, "content_text", it->content_text);
	else if (ok && !has(it->content_html))
		ok = put(obj, "content_text", json_string(""));
	ok = ok && put_time(obj, "date_published", it->published) &&
	    put_time(obj, "date_modified", it->updated);
	if (ok && has(it->author)) {
		v = json_pack("[{s:o}]", "name", jstr(it->author));
		ok = put(obj, "authors", v);
	}
	if (ok && it->ncategories > 0)
		ok = put(obj, "tags", tags_json(it));
	if (ok && it->nenclosures > 0)
		ok = put(obj, "attachments", attachments_json(it));
	if (!ok || !put(obj, "_feedspool", origin_json(e)))
		goto fail;
	free(id);
	return obj;
fail:
	free(id);
	json_decref(obj);
	return NULL;
}

/* What json_dump_callback writes goes into a capped buffer. */
struct dump {
	struct buf b;
	int error;		/* the first failure, which sticks */
};

/*
 * Called by jansson for each piece of the document.  The error sticks:
 * jansson 2.14 does not check every callback's result (dump_object
 * ignores it for keys), and would go on to write a document with a
 * piece missing.
 */
static int
cb_dump(const char *s, size_t len, void *arg)
{
	struct dump *d = arg;
	int r;

	if (d->error == 0 && (r = buf_append(&d->b, s, len)) < 0)
		d->error = r;
	return d->error == 0 ? 0 : -1;
}

int
writer_jsonfeed(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len)
{
	struct dump d;
	json_t *root, *items = NULL, *item;
	char *text;
	size_t i, len;
	int r = -ENOMEM;

	buf_init(&d.b, WRITER_MAX_OUTPUT);
	d.error = 0;
	root = json_object();
	if (root == NULL)
		goto out;
	if (!put(root, "version", json_string(JSONFEED_VERSION)) ||
	    !put_str(root, "title", has(meta->title) ? meta->title :
	    DEFAULT_TITLE) ||
	    !put_str(root, "home_page_url", meta->link) ||
	    !put_str(root, "feed_url", meta->self_url))
		goto out;
	items = json_array();
	if (items == NULL || json_object_set(root, "items", items) != 0)
		goto out;
	/* The caller's order: newest first. */
	for (i = 0; i < n; i++) {
		item = item_json(&entries[i]);
		if (item == NULL || json_array_append_new(items, item) != 0)
			goto out;
	}

	/* A text file ends with a newline, as the XML documents do. */
	if (json_dump_callback(root, cb_dump, &d, JSON_INDENT(2)) != 0 ||
	    d.error != 0 || buf_puts(&d.b, "\n") < 0) {
		r = d.error != 0 ? d.error : d.b.overflow ? -E2BIG : -ENOMEM;
		goto out;
	}
	len = d.b.len;
	text = buf_steal(&d.b);
	if (text == NULL)
		goto out;
	*ret = text;
	*ret_len = len;
	r = 0;
out:
	buf_free(&d.b);
	json_decref(items);
	json_decref(root);
	return r;
}
