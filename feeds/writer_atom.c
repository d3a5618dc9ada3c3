/*
 * writer_atom.c - the merged feed as Atom 1.0 (RFC 4287).
 *
 * Every entry is complete on its own, as an aggregator's should be: it
 * has its own atom:author (4.1.2: required unless the feed has one; the
 * merged feed has no author of its own) and an atom:source naming the
 * feed it was copied from (4.2.11), and the feed-level atom:author is
 * left out.  The output validates against the RELAX NG schema of the
 * RFC's appendix B (tests/writer/atom.rng).
 *
 * Where the item lacks what Atom requires, the entry gets:
 *  - title: the start of its text, or "(untitled)" (writer_entry_title);
 *  - updated: the item's updated time, else published, else the time it
 *    was fetched;
 *  - author: the source feed's title, else its name;
 *  - content: when it has no link either (4.1.2: an entry without
 *    atom:content "MUST contain at least one atom:link element with a
 *    rel attribute value of alternate"), its text, or an empty text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "writer.h"

#define ATOM_NS		"http://www.w3.org/2005/Atom"
#define DEFAULT_TITLE	"feedspool"
#define DEFAULT_ID	"tag:feedspool,2026:merged"

/* Formats t; false when it is unknown or outside the years 0000-9999. */
static bool
fmt_date(int64_t t, char buf[DATE_RFC3339_LEN + 1])
{
	return t != FEED_TIME_UNKNOWN &&
	    date_format_rfc3339(t, buf, DATE_RFC3339_LEN + 1) == 0;
}

/* RFC 4287 atomMediaType: something, a slash, something. */
static bool
media_type_ok(const char *type)
{
	const char *slash;

	if (type == NULL)
		return false;
	slash = strchr(type, '/');
	return slash != NULL && slash != type && slash[1] != '\0';
}

/* A <link/> with href and, when not NULL, type; rel first. */
static void
put_link(struct writer_xml *x, const char *indent, const char *rel,
    const char *type, const char *href)
{
	writer_xml_raw(x, indent);
	writer_xml_raw(x, "<link rel=\"");
	writer_xml_raw(x, rel);
	writer_xml_raw(x, "\"");
	if (type != NULL) {
		writer_xml_raw(x, " type=\"");
		writer_xml_str(x, type, true);
		writer_xml_raw(x, "\"");
	}
	writer_xml_raw(x, " href=\"");
	writer_xml_str(x, href, true);
	writer_xml_raw(x, "\"/>\n");
}

/* A text construct or content element with its type, even when empty. */
static void
put_typed(struct writer_xml *x, const char *indent, const char *name,
    const char *type, const char *s)
{
	writer_xml_raw(x, indent);
	writer_xml_raw(x, "<");
	writer_xml_raw(x, name);
	writer_xml_raw(x, " type=\"");
	writer_xml_raw(x, type);
	writer_xml_raw(x, "\">");
	writer_xml_str(x, s, false);
	writer_xml_raw(x, "</");
	writer_xml_raw(x, name);
	writer_xml_raw(x, ">\n");
}

static void
put_enclosures(struct writer_xml *x, const struct feed_item *it)
{
	char len[24];
	size_t i;

	for (i = 0; i < it->nenclosures; i++) {
		const struct feed_enclosure *enc = &it->enclosures[i];

		if (enc->url == NULL || enc->url[0] == '\0')
			continue;
		writer_xml_raw(x, "    <link rel=\"enclosure\"");
		/* A type the schema would refuse is better left out. */
		if (media_type_ok(enc->type)) {
			writer_xml_raw(x, " type=\"");
			writer_xml_str(x, enc->type, true);
			writer_xml_raw(x, "\"");
		}
		if (enc->length >= 0) {
			snprintf(len, sizeof(len), "%" PRId64, enc->length);
			writer_xml_raw(x, " length=\"");
			writer_xml_raw(x, len);
			writer_xml_raw(x, "\"");
		}
		writer_xml_raw(x, " href=\"");
		writer_xml_str(x, enc->url, true);
		writer_xml_raw(x, "\"/>\n");
	}
}

/*
 * The content element.  content_html is the article; without it,
 * content_text is only written when the entry needs a content (no link)
 * or has no summary: when there is a summary, content_text is that
 * summary's text (normalize.c), and repeating it would add nothing.
 */
static void
put_content(struct writer_xml *x, const struct feed_item *it)
{
	bool has_link = it->url != NULL && it->url[0] != '\0';
	bool has_summary = it->summary_html != NULL &&
	    it->summary_html[0] != '\0';

	if (it->content_html != NULL && it->content_html[0] != '\0')
		put_typed(x, "    ", "content", "html", it->content_html);
	else if (it->content_text != NULL && it->content_text[0] != '\0' &&
	    (!has_summary || !has_link))
		put_typed(x, "    ", "content", "text", it->content_text);
	else if (!has_link)
		put_typed(x, "    ", "content", "text", "");
}

static void
put_source(struct writer_xml *x, const struct writer_entry *e,
    const char *sid, const char *updated)
{
	const struct writer_source *s = &e->source;

	writer_xml_raw(x, "    <source>\n");
	writer_xml_elem(x, "      ", "id", sid);
	if (s->title != NULL && s->title[0] != '\0')
		put_typed(x, "      ", "title", "text", s->title);
	else if (s->name != NULL && s->name[0] != '\0')
		put_typed(x, "      ", "title", "text", s->name);
	if (s->link != NULL && s->link[0] != '\0')
		put_link(x, "      ", "alternate", NULL, s->link);
	if (s->url != NULL && s->url[0] != '\0')
		put_link(x, "      ", "self", NULL, s->url);
	/*
	 * 4.2.11 asks for the source's atom:updated.  We do not keep the
	 * feed's own; the entry's time is a lower bound of it.
	 */
	writer_xml_elem(x, "      ", "updated", updated);
	writer_xml_raw(x, "    </source>\n");
}

/* One atom:entry.  Errors stick in x. */
static void
put_entry(struct writer_xml *x, const struct writer_entry *e,
    int64_t fallback_time)
{
	const struct feed_item *it = e->item;
	const char *author;
	char updated[DATE_RFC3339_LEN + 1], published[DATE_RFC3339_LEN + 1];
	char *id, *title, *sid;
	size_t i;

	id = writer_entry_id(e);
	title = writer_entry_title(e);
	sid = writer_source_id(e);
	if (id == NULL || title == NULL || sid == NULL) {
		if (x->error == 0)
			x->error = -ENOMEM;
		goto out;
	}
	if (!fmt_date(writer_entry_updated(e), updated) &&
	    !fmt_date(fallback_time, updated))
		snprintf(updated, sizeof(updated), "1970-01-01T00:00:00Z");

	author = it->author;
	if (author == NULL || author[0] == '\0')
		author = e->source.title;
	if (author == NULL || author[0] == '\0')
		author = e->source.name;
	if (author == NULL || author[0] == '\0')
		author = "unknown";

	writer_xml_raw(x, "  <entry>\n");
	writer_xml_elem(x, "    ", "id", id);
	put_typed(x, "    ", "title", "text", title);
	if (it->url != NULL && it->url[0] != '\0')
		put_link(x, "    ", "alternate", NULL, it->url);
	if (fmt_date(it->published, published))
		writer_xml_elem(x, "    ", "published", published);
	writer_xml_elem(x, "    ", "updated", updated);
	writer_xml_raw(x, "    <author>\n      <name>");
	writer_xml_str(x, author, false);
	writer_xml_raw(x, "</name>\n    </author>\n");
	for (i = 0; i < it->ncategories; i++) {
		if (it->categories[i] == NULL || it->categories[i][0] == '\0')
			continue;
		writer_xml_raw(x, "    <category term=\"");
		writer_xml_str(x, it->categories[i], true);
		writer_xml_raw(x, "\"/>\n");
	}
	put_enclosures(x, it);
	if (it->summary_html != NULL && it->summary_html[0] != '\0')
		put_typed(x, "    ", "summary", "html", it->summary_html);
	put_content(x, it);
	put_source(x, e, sid, updated);
	writer_xml_raw(x, "  </entry>\n");
out:
	free(id);
	free(title);
	free(sid);
}

int
writer_atom(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len)
{
	struct writer_xml x;
	char updated[DATE_RFC3339_LEN + 1];
	int64_t t;
	size_t i;

	t = writer_meta_updated(meta, entries, n);
	if (!fmt_date(t, updated))
		snprintf(updated, sizeof(updated), "1970-01-01T00:00:00Z");

	writer_xml_init(&x);
	writer_xml_raw(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"" ATOM_NS "\">\n");
	writer_xml_elem(&x, "  ", "id", meta->id != NULL && meta->id[0] ?
	    meta->id : meta->self_url != NULL && meta->self_url[0] ?
	    meta->self_url : DEFAULT_ID);
	put_typed(&x, "  ", "title", "text", meta->title != NULL &&
	    meta->title[0] ? meta->title : DEFAULT_TITLE);
	writer_xml_elem(&x, "  ", "updated", updated);
	writer_xml_raw(&x, "  <generator");
	if (meta->generator_version != NULL) {
		writer_xml_raw(&x, " version=\"");
		writer_xml_str(&x, meta->generator_version, true);
		writer_xml_raw(&x, "\"");
	}
	writer_xml_raw(&x, ">feedspool</generator>\n");
	if (meta->self_url != NULL && meta->self_url[0] != '\0')
		put_link(&x, "  ", "self", "application/atom+xml",
		    meta->self_url);
	if (meta->link != NULL && meta->link[0] != '\0')
		put_link(&x, "  ", "alternate", NULL, meta->link);

	/* The caller's order: newest first. */
	for (i = 0; i < n && x.error == 0; i++)
		put_entry(&x, &entries[i], t);
	writer_xml_raw(&x, "</feed>\n");
	return writer_xml_finish(&x, ret, ret_len);
}
