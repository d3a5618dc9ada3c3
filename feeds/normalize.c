/*
 * normalize.c - from the candidates a document gave to one clean item:
 * the canonical URL, sanitized HTML, plain text, UTC dates and the
 * content hash.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "date.h"
#include "hash.h"
#include "html.h"
#include "parse_internal.h"
#include "url.h"

/* Titles, ids and authors longer than this are cut (at a UTF-8 boundary). */
#define MAX_LINE 4096

static bool
all_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

int
raw_set(struct raw_field *field, const char *value, size_t len,
    enum raw_kind kind, const char *base, int prio)
{
	char *v, *b = NULL;

	if (value == NULL || all_space(value, len))
		return 0;
	if (field->value != NULL && prio <= field->prio)
		return 0;
	v = strndup(value, len);
	if (v == NULL)
		return -ENOMEM;
	if (base != NULL && (b = strdup(base)) == NULL) {
		free(v);
		return -ENOMEM;
	}
	free(field->value);
	free(field->base);
	field->value = v;
	field->base = b;
	field->kind = kind;
	field->prio = prio;
	return 0;
}

int
raw_add_category(struct raw_item *raw, const char *term)
{
	char **categories, *copy;

	copy = strdup(term);
	if (copy == NULL)
		return -ENOMEM;
	categories = reallocarray(raw->categories, raw->ncategories + 1,
	    sizeof(*categories));
	if (categories == NULL) {
		free(copy);
		return -ENOMEM;
	}
	raw->categories = categories;
	raw->categories[raw->ncategories++] = copy;
	return 0;
}

int
raw_add_enclosure(struct raw_item *raw, const char *url, const char *type,
    int64_t length)
{
	struct raw_enclosure *e;
	char *u, *t = NULL;

	u = strdup(url);
	if (u == NULL || (type != NULL && (t = strdup(type)) == NULL))
		goto nomem;
	e = reallocarray(raw->enclosures, raw->nenclosures + 1, sizeof(*e));
	if (e == NULL)
		goto nomem;
	raw->enclosures = e;
	e = &raw->enclosures[raw->nenclosures++];
	e->url = u;
	e->type = t;
	e->length = length;
	return 0;
nomem:
	free(u);
	free(t);
	return -ENOMEM;
}

void
raw_item_clear(struct raw_item *raw)
{
	size_t i;

	for (i = 0; i < RAW_NFIELDS; i++) {
		free(raw->f[i].value);
		free(raw->f[i].base);
	}
	for (i = 0; i < raw->ncategories; i++)
		free(raw->categories[i]);
	free(raw->categories);
	for (i = 0; i < raw->nenclosures; i++) {
		free(raw->enclosures[i].url);
		free(raw->enclosures[i].type);
	}
	free(raw->enclosures);
	memset(raw, 0, sizeof(*raw));
}

int64_t
parse_length(const char *s)
{
	int64_t v = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == '\0' ? v : -1;
}

/*
 * Collapses every run of white space (ASCII and U+00A0) to one space and
 * trims both ends, in place; cuts at MAX_LINE bytes on a UTF-8 boundary.
 * Other C0 control characters go: XML cannot carry them, so
 * this matters for JSON Feed, where a title may hold a bell or an escape.
 */
static void
collapse_space(char *s)
{
	char *r = s, *w = s;
	bool space = false;

	while (*r != '\0') {
		bool ws = *r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' ||
		    *r == '\f' || *r == '\v';
		size_t skip = 1;

		if ((unsigned char)r[0] == 0xc2 && (unsigned char)r[1] == 0xa0) {
			ws = true;
			skip = 2;
		}
		if (ws) {
			space = w != s;
			r += skip;
			continue;
		}
		if ((unsigned char)*r < 0x20) {
			r++;
			continue;
		}
		if (space) {
			*w++ = ' ';
			space = false;
		}
		*w++ = *r++;
	}
	*w = '\0';
	if (w - s > MAX_LINE) {
		w = s + MAX_LINE;
		while (w > s && ((unsigned char)*w & 0xc0) == 0x80)
			w--;
		*w = '\0';
	}
}

int
normalize_text(const char *value, enum raw_kind kind, char **ret)
{
	char *text = NULL;
	int r;

	if (kind == RAW_TEXT) {
		text = strdup(value);
		if (text == NULL)
			return -ENOMEM;
	} else {
		r = html_clean(value, strlen(value), NULL, NULL, &text);
		if (r == -ENOMEM)
			return r;
		if (r < 0 && (text = strdup(value)) == NULL)
			return -ENOMEM;
	}
	collapse_space(text);
	*ret = text;
	return 0;
}

static void
trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	while (start < len && (s[start] == ' ' || s[start] == '\t' ||
	    s[start] == '\n' || s[start] == '\r'))
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
}

/* An optional single-line field: NULL when absent or empty. */
static int
line_field(const struct raw_field *f, char **ret)
{
	char *text;
	int r;

	*ret = NULL;
	if (f->value == NULL)
		return 0;
	r = normalize_text(f->value, f->kind, &text);
	if (r < 0)
		return r;
	if (text[0] == '\0')
		free(text);
	else
		*ret = text;
	return 0;
}

/*
 * HTML for summary_html/content_html: text is escaped (keeping its line
 * breaks), HTML and inline markup are sanitized.  With ret_text, the plain
 * text of the same fragment.
 */
static int
html_field(const struct raw_field *f, char **ret_html, char **ret_text)
{
	char *escaped = NULL;
	const char *html;
	int r;

	*ret_html = NULL;
	if (ret_text != NULL)
		*ret_text = NULL;
	if (f->value == NULL)
		return 0;
	html = f->value;
	if (f->kind == RAW_TEXT) {
		struct buf b;
		const char *p, *nl;

		buf_init(&b, SIZE_MAX / 2);
		for (p = f->value; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			if (buf_append_escaped(&b, p, (size_t)(nl - p)) < 0 ||
			    buf_puts(&b, "<br>") < 0)
				goto nomem;
		}
		if (buf_append_escaped(&b, p, strlen(p)) < 0)
			goto nomem;
		escaped = buf_steal(&b);
		if (escaped == NULL)
			return -ENOMEM;
		html = escaped;
		goto clean;
nomem:
		buf_free(&b);
		return -ENOMEM;
	}
clean:
	r = html_clean(html, strlen(html), f->base, ret_html, ret_text);
	free(escaped);
	if (r == -EINVAL)
		return 0;	/* nothing usable: the field stays null */
	if (r < 0)
		return r;
	/* Indentation around inline markup is not content. */
	trim(*ret_html);
	if ((*ret_html)[0] == '\0') {
		free(*ret_html);
		*ret_html = NULL;
	}
	return 0;
}

static void
date_field(struct feed_doc *doc, const struct raw_field *f, size_t index,
    const char *what, int64_t *ret)
{
	int64_t t;
	int n;

	if (f->value == NULL)
		return;
	if (date_parse(f->value, &t) == 0) {
		*ret = t;
		return;
	}
	/* Quote at most 60 bytes, cut where a UTF-8 character starts. */
	n = (int)strnlen(f->value, 60);
	while (n > 0 && (size_t)n < strlen(f->value) &&
	    ((unsigned char)f->value[n] & 0xc0) == 0x80)
		n--;
	if (index == SIZE_MAX)
		feed_doc_warn(doc, "feed: unreadable %s date \"%.*s\", "
		    "ignoring it", what, n, f->value);
	else
		feed_doc_warn(doc, "item %zu: unreadable %s date \"%.*s\", "
		    "ignoring it", index + 1, what, n, f->value);
}

/*
 * The article URL: the alternate link, else a guid that is a permalink
 * and an http(s) URL (RSS 2.0: isPermaLink defaults to true, but many
 * feeds put opaque ids there).
 */
static int
url_field(const struct raw_item *raw, char **ret)
{
	const struct raw_field *f;
	char *abs = NULL, *canon = NULL;
	const char *trimmed;
	int r, i;

	*ret = NULL;
	for (i = 0; i < 2; i++) {
		f = &raw->f[i == 0 ? RAW_LINK : RAW_GUID_LINK];
		if (f->value == NULL)
			continue;
		/* A guid names the article only when it is a whole URL. */
		trimmed = f->value + strspn(f->value, " \t\r\n");
		if (i == 1 && strncasecmp(trimmed, "http://", 7) != 0 &&
		    strncasecmp(trimmed, "https://", 8) != 0)
			continue;
		r = url_resolve(f->base, trimmed, &abs);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		if (strncasecmp(abs, "http://", 7) != 0 &&
		    strncasecmp(abs, "https://", 8) != 0) {
			free(abs);
			abs = NULL;
			continue;
		}
		r = url_canonicalize(abs, &canon);
		free(abs);
		if (r == -ENOMEM)
			return r;
		if (r == 0) {
			*ret = canon;
			return 0;
		}
	}
	return 0;
}

int
normalize_item(struct feed_doc *doc, struct raw_item *raw, size_t index)
{
	struct feed_item *item;
	char *summary_text = NULL;
	bool content_empty;
	size_t i;
	int r;

	item = feed_doc_add_item(doc);
	if (item == NULL)
		return -ENOMEM;

	if ((r = line_field(&raw->f[RAW_ID], &item->id)) < 0 ||
	    (r = url_field(raw, &item->url)) < 0 ||
	    (r = line_field(&raw->f[RAW_TITLE], &item->title)) < 0 ||
	    (r = line_field(&raw->f[RAW_AUTHOR], &item->author)) < 0 ||
	    (r = html_field(&raw->f[RAW_CONTENT], &item->content_html,
	    &item->content_text)) < 0)
		goto out;

	/*
	 * The text comes from the content, or the summary when there is
	 * none: the summary's text is only worked out then.
	 */
	content_empty = item->content_text == NULL ||
	    item->content_text[0] == '\0';
	if ((r = html_field(&raw->f[RAW_SUMMARY], &item->summary_html,
	    content_empty ? &summary_text : NULL)) < 0)
		goto out;
	if (content_empty) {
		free(item->content_text);
		item->content_text = summary_text;
		summary_text = NULL;
	}

	date_field(doc, &raw->f[RAW_PUBLISHED], index, "published",
	    &item->published);
	date_field(doc, &raw->f[RAW_UPDATED], index, "updated",
	    &item->updated);

	for (i = 0; i < raw->ncategories; i++)
		if ((r = feed_item_add_category(item, raw->categories[i])) < 0)
			goto out;
	for (i = 0; i < raw->nenclosures; i++) {
		const struct raw_enclosure *e = &raw->enclosures[i];

		/* Only what a reader can fetch: http and https. */
		if (strncasecmp(e->url, "http://", 7) != 0 &&
		    strncasecmp(e->url, "https://", 8) != 0)
			continue;
		if ((r = feed_item_add_enclosure(item, e->url, e->type,
		    e->length)) < 0)
			goto out;
	}
	r = content_hash(item->title, item->content_text, item->content_hash);
out:
	free(summary_text);
	return r;
}

int
normalize_feed(struct feed_doc *doc, struct raw_item *raw)
{
	struct feed_item *it;
	int r;

	/* The same rules as for items, through a borrowed item slot. */
	r = normalize_item(doc, raw, SIZE_MAX);
	if (r < 0)
		return r;
	it = &doc->items[--doc->nitems];
	/* A reader that handed items over early set them already. */
	free(doc->title);
	free(doc->link);
	free(doc->id);
	doc->title = it->title;
	doc->link = it->url;
	doc->id = it->id;
	it->title = it->url = it->id = NULL;
	doc->updated = it->updated != FEED_TIME_UNKNOWN ? it->updated :
	    it->published;
	feed_item_clear(it);
	return 0;
}
