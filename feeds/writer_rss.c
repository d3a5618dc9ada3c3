/*
 * writer_rss.c - the merged feed as RSS 2.0
 * (https://www.rssboard.org/rss-specification), with the usual modules:
 * content:encoded for the article, dc:creator for the author (RSS's own
 * <author> must be an e-mail address), dcterms:modified for the time of
 * the last change, atom:link rel="self".
 *
 * RSS leaves open whether a title is text or HTML, and readers guess
 * (feedparser and rss_atom.c: it is HTML when it looks like markup).  A
 * title is written as plain text unless that guess would take it for
 * HTML ("<b>", "&amp;"); then it is written as escaped HTML, so that
 * every reader shows the same characters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "html.h"
#include "writer.h"

#define DEFAULT_TITLE	"feedspool"
/* RSS 2.0 requires a type for an enclosure; this one claims nothing. */
#define UNKNOWN_TYPE	"application/octet-stream"

static bool
is_alpha(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/*
 * The guess of rss_atom.c and feedparser: a tag ("<a", "</", "<!") or
 * an entity ("&x...;", "&#...;") makes an RSS text field HTML.
 */
static bool
looks_like_html(const char *s)
{
	size_t i, len = strlen(s);

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

/* Formats t as RFC 822; false when it is unknown or out of range. */
static bool
fmt_822(int64_t t, char buf[DATE_RFC822_LEN + 1])
{
	return t != FEED_TIME_UNKNOWN &&
	    date_format_rfc822(t, buf, DATE_RFC822_LEN + 1) == 0;
}

static bool
fmt_3339(int64_t t, char buf[DATE_RFC3339_LEN + 1])
{
	return t != FEED_TIME_UNKNOWN &&
	    date_format_rfc3339(t, buf, DATE_RFC3339_LEN + 1) == 0;
}

static bool
has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/*
 * A text element (title, description of the channel) whose reader may
 * guess it is HTML: escaped once more when the guess would be HTML.
 */
static void
put_guessed(struct writer_xml *x, const char *indent, const char *name,
    const char *text)
{
	char *html;

	if (!looks_like_html(text)) {
		writer_xml_elem(x, indent, name, text);
		return;
	}
	html = html_escape(text);
	if (html == NULL) {
		if (x->error == 0)
			x->error = -ENOMEM;
		return;
	}
	writer_xml_elem(x, indent, name, html);
	free(html);
}

/*
 * Plain text as HTML for a description: escaped, line breaks kept as
 * <br> (as normalize.c reads a text field).  NULL on ENOMEM.
 */
static char *
text_to_html(const char *text)
{
	struct buf b;
	char *esc;
	const char *p, *nl;
	int r = 0;

	esc = html_escape(text);
	if (esc == NULL)
		return NULL;
	buf_init(&b, WRITER_MAX_OUTPUT);
	for (p = esc; r == 0 && (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if ((r = buf_append(&b, p, (size_t)(nl - p))) == 0)
			r = buf_puts(&b, "<br>");
	if (r == 0)
		r = buf_puts(&b, p);
	free(esc);
	if (r < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* <guid>: a permalink only when the id is the article's URL. */
static void
put_guid(struct writer_xml *x, const char *id, const char *url)
{
	writer_xml_raw(x, "      <guid isPermaLink=\"");
	writer_xml_raw(x, url != NULL && strcmp(id, url) == 0 ?
	    "true" : "false");
	writer_xml_raw(x, "\">");
	writer_xml_str(x, id, false);
	writer_xml_raw(x, "</guid>\n");
}

/* RSS allows one enclosure; url, length and type are all required. */
static void
put_enclosure(struct writer_xml *x, const struct feed_item *it)
{
	char len[24];
	size_t i;

	for (i = 0; i < it->nenclosures; i++) {
		const struct feed_enclosure *enc = &it->enclosures[i];

		if (!has(enc->url))
			continue;
		snprintf(len, sizeof(len), "%" PRId64,
		    enc->length >= 0 ? enc->length : 0);
		writer_xml_raw(x, "      <enclosure url=\"");
		writer_xml_str(x, enc->url, true);
		writer_xml_raw(x, "\" length=\"");
		writer_xml_raw(x, len);
		writer_xml_raw(x, "\" type=\"");
		writer_xml_str(x, has(enc->type) ? enc->type : UNKNOWN_TYPE,
		    true);
		writer_xml_raw(x, "\"/>\n");
		break;
	}
}

/* <source url="the feed's URL">its title</source>; url is required. */
static void
put_source(struct writer_xml *x, const struct writer_source *s)
{
	const char *url = has(s->url) ? s->url : s->link;
	const char *title = has(s->title) ? s->title : s->name;

	if (!has(url))
		return;
	writer_xml_raw(x, "      <source url=\"");
	writer_xml_str(x, url, true);
	writer_xml_raw(x, "\">");
	if (title != NULL)
		writer_xml_str(x, title, false);
	writer_xml_raw(x, "</source>\n");
}

/*
 * One <item>.  Errors stick in x.
 *
 * description is the summary, else the content (readers without
 * content:encoded show it), else the text as HTML.  pubDate is the
 * published time, else the updated one, else when it was fetched:
 * readers sort by it, and an item without one would jump to the top on
 * every reader's refresh.  An item without a title keeps none when it
 * has a description (RSS requires one of the two).
 */
static void
put_item(struct writer_xml *x, const struct writer_entry *e)
{
	const struct feed_item *it = e->item;
	char date[DATE_RFC822_LEN + 1], modified[DATE_RFC3339_LEN + 1];
	char *id = NULL, *title = NULL, *text_html = NULL;
	const char *description = NULL;
	int64_t pub;
	size_t i;
	int r = -ENOMEM;

	id = writer_entry_id(e);
	if (id == NULL)
		goto out;
	if (has(it->summary_html))
		description = it->summary_html;
	else if (has(it->content_html))
		description = it->content_html;
	else if (has(it->content_text)) {
		text_html = text_to_html(it->content_text);
		if (text_html == NULL)
			goto out;
		description = text_html;
	}
	if (!has(it->title) && description == NULL &&
	    (title = writer_entry_title(e)) == NULL)
		goto out;

	writer_xml_raw(x, "    <item>\n");
	if (has(it->title))
		put_guessed(x, "      ", "title", it->title);
	else if (title != NULL)
		put_guessed(x, "      ", "title", title);
	writer_xml_elem(x, "      ", "link", it->url);
	put_guid(x, id, it->url);
	pub = it->published != FEED_TIME_UNKNOWN ? it->published :
	    writer_entry_updated(e);
	if (fmt_822(pub, date))
		writer_xml_elem(x, "      ", "pubDate", date);
	if (fmt_3339(it->updated, modified))
		writer_xml_elem(x, "      ", "dcterms:modified", modified);
	writer_xml_elem(x, "      ", "dc:creator", it->author);
	for (i = 0; i < it->ncategories; i++)
		writer_xml_elem(x, "      ", "category", it->categories[i]);
	writer_xml_elem(x, "      ", "description", description);
	writer_xml_elem(x, "      ", "content:encoded", it->content_html);
	put_enclosure(x, it);
	put_source(x, &e->source);
	writer_xml_raw(x, "    </item>\n");
	r = 0;
out:
	if (r < 0 && x->error == 0)
		x->error = r;
	free(id);
	free(title);
	free(text_html);
}

int
writer_rss(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len)
{
	struct writer_xml x;
	const char *title, *link;
	char date[DATE_RFC822_LEN + 1];
	size_t i;

	title = has(meta->title) ? meta->title : DEFAULT_TITLE;
	link = has(meta->link) ? meta->link : meta->self_url;

	writer_xml_init(&x);
	writer_xml_raw(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<rss version=\"2.0\""
	    " xmlns:atom=\"http://www.w3.org/2005/Atom\""
	    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
	    " xmlns:dcterms=\"http://purl.org/dc/terms/\">\n"
	    "  <channel>\n");
	put_guessed(&x, "    ", "title", title);
	writer_xml_elem(&x, "    ", "link", link);
	/* Required, and there is nothing better to say than the title. */
	put_guessed(&x, "    ", "description", title);
	if (fmt_822(writer_meta_updated(meta, entries, n), date))
		writer_xml_elem(&x, "    ", "lastBuildDate", date);
	writer_xml_raw(&x, "    <generator>feedspool");
	if (has(meta->generator_version)) {
		writer_xml_raw(&x, " ");
		writer_xml_str(&x, meta->generator_version, false);
	}
	writer_xml_raw(&x, "</generator>\n");
	if (has(meta->self_url)) {
		writer_xml_raw(&x, "    <atom:link rel=\"self\" "
		    "type=\"application/rss+xml\" href=\"");
		writer_xml_str(&x, meta->self_url, true);
		writer_xml_raw(&x, "\"/>\n");
	}

	/* The caller's order: newest first. */
	for (i = 0; i < n && x.error == 0; i++)
		put_item(&x, &entries[i]);
	writer_xml_raw(&x, "  </channel>\n</rss>\n");
	return writer_xml_finish(&x, ret, ret_len);
}
