/*
 * write-sample.c - writes the merged feeds for a fixed set of articles,
 * for check.py to validate and read back.
 *
 *	write-sample DIR
 *
 * writes DIR/merged.atom, DIR/merged.rss, DIR/merged.json and
 * DIR/expected.jsonl: first the merged feed's metadata ({"type":"meta",
 * "title", "self_url", "link", "id", "updated"}), then one line per
 * entry: the item as `feedspool parse` prints it, plus what the writers
 * derive from it ("entry_id", "entry_title", "entry_updated",
 * "summary_text") and its source ("feed", "feed_title", "feed_link",
 * "feed_id", "feed_url", "fetched_at").
 *
 * The articles are built as feed_parse would leave them: HTML sanitized
 * by html_clean, content_text its text, content_hash computed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "feed.h"
#include "hash.h"
#include "html.h"
#include "writer.h"
#include "writer_json.h"

struct sample {
	const char *id, *url, *title, *author;
	const char *published, *updated;	/* RFC 3339 or NULL */
	const char *categories[3];
	const char *summary, *content;		/* HTML before cleaning */
	const char *text;	/* content_text when there is no content */
	struct feed_enclosure enclosures[2];
	int source;		/* index into sources[] */
	const char *fetched_at;
};

static const struct writer_source sources[] = {
	{ "world-news", "World News", "https://news.example.org/",
	  "urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6",
	  "https://news.example.org/feed.xml" },
	/* No link, no id: the source id becomes a tag: URI. */
	{ "blog_2", "A <Blog> & \"Friends\"", NULL, NULL,
	  "https://blog.example.com/rss?x=1&y=2" },
};

/* Newest first, as the daemon orders them. */
static const struct sample samples[] = {
	{
		.id = "https://news.example.org/2024/05/big-story",
		.url = "https://news.example.org/2024/05/big-story",
		.title = "Markets & <Money>: a \"quoted\" 'story'",
		.author = "Jane Doe",
		.published = "2024-05-01T10:00:00Z",
		.updated = "2024-05-01T12:30:00Z",
		.categories = { "economy", "tips & tricks" },
		.summary = "<p>Short <b>summary</b> with &amp; and &lt;</p>",
		.content = "<p>The <em>full</em> article.</p><p>A second "
		    "paragraph with <a href=\"https://news.example.org/x?a=1&"
		    "amp;b=2\">a link</a>.</p>",
		.enclosures = {
			{ "https://news.example.org/a.mp3", "audio/mpeg",
			  123456 },
			{ "https://news.example.org/b.jpg", NULL, -1 },
		},
		.source = 0,
		.fetched_at = "2024-05-01T12:31:00Z",
	},
	{
		/* No id: tag URI.  A title that tries to break out. */
		.url = "https://blog.example.com/posts/escape",
		.title = "</title><script>alert(1)</script> ]]> &amp; done\x01\x1f",
		.author = "Bob (bob@example.com)",
		.published = "2024-04-30T08:00:00Z",
		.summary = "<p>]]&gt; and <code>&lt;/content&gt;</code></p>",
		.content = "<p>Body with ]]&gt; inside and a CDATA end.</p>",
		.source = 1,
		.fetched_at = "2024-04-30T09:00:00Z",
	},
	{
		/* No title: Atom derives one from the text. */
		.id = "urn:example:no-title",
		.url = "https://blog.example.com/posts/untitled",
		.updated = "2024-04-29T07:00:00Z",
		.text = "Just some words without a title, long enough that the "
		    "derived title has to be cut somewhere before the end of "
		    "this sentence.",
		.categories = { "misc" },
		.source = 1,
		.fetched_at = "2024-04-29T07:05:00Z",
	},
	{
		/* Nothing but a title and a link; no dates but fetched_at. */
		.id = "42",
		.url = "https://news.example.org/2024/04/short",
		.title = "Ünïcödé — 日本語 🎉 & more",
		.source = 0,
		.fetched_at = "2024-04-28T06:00:00Z",
	},
	{
		/* No link: Atom needs a content, even an empty one. */
		.id = "tag:news.example.org,2024:podcast-7",
		.title = "Episode 7",
		.published = "2024-04-27T05:00:00Z",
		.summary = "<p>Listen.</p>",
		.enclosures = {
			{ "https://cdn.example.org/ep7.mp3", "audio/mpeg",
			  -1 },
		},
		.source = 0,
		.fetched_at = "2024-04-27T05:10:00Z",
	},
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static int64_t
date(const char *s)
{
	int64_t t;

	if (s == NULL)
		return FEED_TIME_UNKNOWN;
	if (date_parse(s, &t) != 0) {
		fprintf(stderr, "write-sample: bad date %s\n", s);
		exit(1);
	}
	return t;
}

/* html_clean, as normalize.c calls it; exits on failure. */
static char *
clean(const char *html, char **ret_text)
{
	char *out = NULL;

	if (html == NULL)
		return NULL;
	if (html_clean(html, strlen(html), NULL, &out, ret_text) != 0) {
		fprintf(stderr, "write-sample: html_clean failed\n");
		exit(1);
	}
	return out;
}

static void
build(const struct sample *s, struct feed_item *it)
{
	char *summary_text = NULL;
	size_t i;

	memset(it, 0, sizeof(*it));
	it->id = s->id ? strdup(s->id) : NULL;
	it->url = s->url ? strdup(s->url) : NULL;
	it->title = s->title ? strdup(s->title) : NULL;
	it->author = s->author ? strdup(s->author) : NULL;
	it->published = date(s->published);
	it->updated = date(s->updated);
	for (i = 0; i < 3 && s->categories[i] != NULL; i++)
		feed_item_add_category(it, s->categories[i]);
	it->summary_html = clean(s->summary, &summary_text);
	it->content_html = clean(s->content, &it->content_text);
	/* As normalize.c: the text comes from the content, else the summary. */
	if (it->content_text == NULL)
		it->content_text = s->text ? strdup(s->text) : summary_text;
	else
		free(summary_text);
	for (i = 0; i < 2 && s->enclosures[i].url != NULL; i++)
		feed_item_add_enclosure(it, s->enclosures[i].url,
		    s->enclosures[i].type, s->enclosures[i].length);
	content_hash(it->title, it->content_text, it->content_hash);
}

static int
write_file(const char *dir, const char *name, const char *buf, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	ok = fwrite(buf, 1, len, f) == len;
	if (fclose(f) != 0 || !ok) {
		perror(path);
		return -1;
	}
	return 0;
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The item as the spool writes it, read back to add members to it. */
static json_t *
item_json(const struct feed_item *item)
{
	struct buf b;
	json_t *obj = NULL;

	buf_init(&b, SIZE_MAX);
	if (writer_json_item(&b, item) == 0)
		obj = json_loadb(b.p, b.len, 0, NULL);
	buf_free(&b);
	return obj;
}

static json_t *
time_json(int64_t t)
{
	char buf[DATE_RFC3339_LEN + 1];

	if (t == FEED_TIME_UNKNOWN)
		return json_null();
	date_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

int
main(int argc, char **argv)
{
	static struct feed_item items[NSAMPLES];
	struct writer_entry entries[NSAMPLES];
	struct writer_meta meta = {
		.title = "Merged <feeds> & more",
		.self_url = "https://example.net/merged.atom",
		.link = "https://example.net/",
		.id = "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
		.updated = FEED_TIME_UNKNOWN,
		.generator_version = "0.1.0",
	};
	json_t *obj;
	char *buf, *line;
	size_t i, len;
	FILE *f;
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: write-sample DIR\n");
		return 2;
	}
	for (i = 0; i < NSAMPLES; i++) {
		build(&samples[i], &items[i]);
		entries[i].item = &items[i];
		entries[i].source = sources[samples[i].source];
		entries[i].fetched_at = date(samples[i].fetched_at);
	}

	if (writer_atom(&meta, entries, NSAMPLES, &buf, &len) != 0 ||
	    write_file(argv[1], "merged.atom", buf, len) != 0)
		return 1;
	free(buf);
	if (writer_rss(&meta, entries, NSAMPLES, &buf, &len) != 0 ||
	    write_file(argv[1], "merged.rss", buf, len) != 0)
		return 1;
	free(buf);
	if (writer_jsonfeed(&meta, entries, NSAMPLES, &buf, &len) != 0 ||
	    write_file(argv[1], "merged.json", buf, len) != 0)
		return 1;
	free(buf);

	snprintf(path, sizeof(path), "%s/expected.jsonl", argv[1]);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		return 1;
	}
	obj = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}",
	    "type", "meta", "title", meta.title, "self_url", meta.self_url,
	    "link", meta.link, "id", meta.id, "updated",
	    time_json(writer_meta_updated(&meta, entries, NSAMPLES)));
	if (obj == NULL || (line = json_dumps(obj, JSON_COMPACT)) == NULL) {
		fprintf(stderr, "write-sample: out of memory\n");
		return 1;
	}
	fprintf(f, "%s\n", line);
	free(line);
	json_decref(obj);
	for (i = 0; i < NSAMPLES; i++) {
		const struct writer_source *s = &entries[i].source;
		char *id = writer_entry_id(&entries[i]);
		char *title = writer_entry_title(&entries[i]);
		char *summary_text = NULL;

		obj = item_json(&items[i]);
		if (items[i].summary_html != NULL)
			free(clean(items[i].summary_html, &summary_text));
		if (obj == NULL || id == NULL || title == NULL ||
		    json_object_set_new(obj, "entry_id", json_string(id)) ||
		    json_object_set_new(obj, "summary_text",
		    str_or_null(summary_text)) ||
		    json_object_set_new(obj, "entry_title",
		    json_string(title)) ||
		    json_object_set_new(obj, "entry_updated",
		    time_json(writer_entry_updated(&entries[i]))) ||
		    json_object_set_new(obj, "feed", str_or_null(s->name)) ||
		    json_object_set_new(obj, "feed_title",
		    str_or_null(s->title)) ||
		    json_object_set_new(obj, "feed_link",
		    str_or_null(s->link)) ||
		    json_object_set_new(obj, "feed_id", str_or_null(s->id)) ||
		    json_object_set_new(obj, "feed_url", str_or_null(s->url)) ||
		    json_object_set_new(obj, "fetched_at",
		    time_json(entries[i].fetched_at)) ||
		    (line = json_dumps(obj, JSON_COMPACT)) == NULL) {
			fprintf(stderr, "write-sample: out of memory\n");
			return 1;
		}
		fprintf(f, "%s\n", line);
		free(line);
		free(id);
		free(title);
		free(summary_text);
		json_decref(obj);
		feed_item_clear(&items[i]);
	}
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
