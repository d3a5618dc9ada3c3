/*
 * cmd_opml.c - `feedspool import-opml` and `feedspool export-opml`.
 *
 * import-opml reads a subscription list (feeds/opml.c) and prints it as
 * [feed.NAME] sections for a drop-in file; export-opml prints the
 * configured feeds as OPML 2.0.  The two are made for each other: the
 * export of an import has the same URLs, titles and categories.
 *
 * Categories.  OPML nests folders; a feed has one category.  The import
 * joins the names of the folders around a feed with "/", outermost first
 * ("Tech/Linux"), so no level is lost; the export writes one folder per
 * category, named by the whole string, because splitting it again would
 * misread a folder whose own name has a "/" in it ("AC/DC").  Readers
 * with flat categories (Miniflux) take that as it is.
 *
 * Names.  A feed's name is the slug of its title (opml_slug()), else of
 * its URL's host, else "feed"; a name already given gets "-2", "-3", ...,
 * cut so that the whole stays within CFG_MAX_FEED_NAME.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "commands.h"
#include "config.h"
#include "date.h"
#include "opml.h"

/*
 * What fits on one configuration line (CFG_MAX_LINE) with its key: a URL
 * longer than this is skipped, a longer title or category is cut.  Real
 * ones are far shorter.
 */
#define MAX_URL		4000
#define MAX_TEXT	1000

/*
 * A map from strings to entries, by hash, for the names and URL keys
 * given so far.  It owns neither.
 */
struct strmap {
	struct strmap_slot {
		const char *k;
		void *v;
	} *slot;
	size_t cap;		/* a power of two, over twice the count */
};

static int
strmap_init(struct strmap *m, size_t count)
{
	m->cap = 16;
	while (m->cap < count * 2 + 1)
		m->cap *= 2;
	m->slot = calloc(m->cap, sizeof(*m->slot));
	return m->slot != NULL ? 0 : -ENOMEM;
}

/* FNV-1a, then linear probing: k's slot, or the empty one for it. */
static struct strmap_slot *
strmap_slot(const struct strmap *m, const char *k)
{
	uint64_t h = 14695981039346656037ull;
	const unsigned char *p;
	size_t i;

	for (p = (const unsigned char *)k; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ull;
	for (i = (size_t)h & (m->cap - 1); m->slot[i].k != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->slot[i].k, k) == 0)
			break;
	return &m->slot[i];
}

static void *
strmap_get(const struct strmap *m, const char *k)
{
	return strmap_slot(m, k)->v;
}

/* k must not be in m yet, and m must have room: strmap_init() was told
 * the most it will hold. */
static void
strmap_put(struct strmap *m, const char *k, void *v)
{
	struct strmap_slot *s = strmap_slot(m, k);

	s->k = k;
	s->v = v;
}

/* One outline's fate. */
struct entry {
	const struct opml_outline *o;
	char *key;		/* URL as config/ compares it */
	char name[CFG_MAX_FEED_NAME + 1];
	const struct entry *same;	/* the earlier one with its URL */
	const char *skip;	/* why it is skipped, or NULL */
};

/*
 * Reads all of fd into *ret_buf (the caller frees it).  Returns 0,
 * -EFBIG past OPML_MAX_SIZE, or a negative errno.
 */
static int
read_all(int fd, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 1 << 16;
	char *buf, *p;
	ssize_t n;
	int r = 0;

	buf = malloc(cap);
	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap > OPML_MAX_SIZE) {
				r = -EFBIG;
				goto out;
			}
			cap *= 2;
			p = realloc(buf, cap);
			if (p == NULL) {
				r = -ENOMEM;
				goto out;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > OPML_MAX_SIZE) {
		r = -EFBIG;
		goto out;
	}
	*ret_buf = buf;
	*ret_len = len;
	buf = NULL;
out:
	free(buf);
	return r;
}

/*
 * Cuts s in place to at most max bytes, on a character boundary.  Returns
 * true when it did.
 */
static bool
cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return false;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return true;
}

/*
 * Makes s, a cleaned one-line text, a value the configuration reads back
 * as written, in place.  config/ cuts a line at a ";" after a space or a
 * tab (a comment), so the space before such a ";" goes: "A ; B" becomes
 * "A; B".  A leading ";" is the caller's (see write_value()).  '#'
 * starts a comment only at the start of a line, where a value never is.
 * Returns true when s changed.
 */
static bool
ini_safe(char *s)
{
	char *r, *w;
	bool changed = false;

	for (r = w = s; *r != '\0'; r++) {
		if (*r == ' ' && r[1] == ';') {
			changed = true;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	return changed;
}

/*
 * Writes "key = value", or "key =value" when the value starts with ";":
 * after a space that ";" would start a comment, after "=" it does not.
 */
static void
write_value(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s =%s%s\n", key, value[0] == ';' ? "" : " ", value);
}

/* A comment's text: one line, whatever the bytes. */
static void
write_comment_text(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		putc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

/*
 * The text of a title or category as the configuration will hold it:
 * a new string (the caller frees it), with what changed said in a
 * comment on f, or NULL when no memory is left.
 */
static char *
config_text(FILE *f, const char *what, const char *text)
{
	char *s = strdup(text);

	if (s == NULL)
		return NULL;
	if (cut_utf8(s, MAX_TEXT))
		fprintf(f, "; the %s was cut to %d bytes\n", what, MAX_TEXT);
	if (ini_safe(s)) {
		fprintf(f, "; the %s was \"", what);
		write_comment_text(f, text);
		fprintf(f, "\": a space before \";\" would start a comment\n");
	}
	return s;
}

/*
 * The outline's title when it says something: not only punctuation, and
 * not its URL again (some exporters put the URL in text).  NULL if not.
 */
static const char *
useful_title(const struct opml_outline *o)
{
	const unsigned char *p;

	if (o->title == NULL || strcmp(o->title, o->xml_url) == 0)
		return NULL;
	/* Letters and digits of any script; beyond ASCII that is anything
	 * (the cleaning removed controls and white space). */
	for (p = (const unsigned char *)o->title; *p != '\0'; p++)
		if (*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		    ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
			return o->title;
	return NULL;
}

/*
 * e->name: a slug of the title, else of the host, else "feed", with the
 * first suffix that no earlier entry has.  Adds it to names.
 */
static void
choose_name(struct entry *e, struct strmap *names, size_t limit)
{
	char base[CFG_MAX_FEED_NAME + 1], suffix[24];
	size_t n = 0, cut;
	unsigned i;

	if (useful_title(e->o) != NULL)
		n = opml_slug(e->o->title, base, sizeof(base));
	if (n == 0)
		n = opml_url_host_slug(e->o->xml_url, base, sizeof(base));
	if (n == 0)
		n = (size_t)snprintf(base, sizeof(base), "feed");
	memcpy(e->name, base, n + 1);
	for (i = 2; strmap_get(names, e->name) != NULL && i <= limit + 1;
	    i++) {
		snprintf(suffix, sizeof(suffix), "-%u", i);
		cut = n;
		if (cut + strlen(suffix) > CFG_MAX_FEED_NAME)
			cut = CFG_MAX_FEED_NAME - strlen(suffix);
		/* A cut slug must not end in a separator ("a.-2"). */
		while (cut > 0 && strchr("-._", base[cut - 1]) != NULL)
			cut--;
		memcpy(e->name, base, cut);
		snprintf(e->name + cut, sizeof(e->name) - cut, "%s", suffix);
	}
	strmap_put(names, e->name, e);
}

/* The cleaning left single spaces; config/ takes no URL with any. */
static bool
has_space_or_control(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return true;
	return false;
}

/*
 * Decides each entry's fate: skipped, the same feed as an earlier one, or
 * a feed with its name.  Returns 0 or -ENOMEM.
 */
static int
plan(struct entry *v, size_t count)
{
	struct strmap names = { 0 }, keys = { 0 };
	size_t i;
	int r;

	r = strmap_init(&names, count);
	if (r == 0)
		r = strmap_init(&keys, count);
	for (i = 0; i < count && r == 0; i++) {
		struct entry *e = &v[i];

		if (e->o->xml_url[0] == '\0')
			e->skip = "its xmlUrl is empty";
		else if (has_space_or_control(e->o->xml_url))
			e->skip = "its xmlUrl has white space in it";
		else if (!opml_url_is_web(e->o->xml_url))
			e->skip = "its xmlUrl is not an http or https URL";
		else if (strlen(e->o->xml_url) > MAX_URL)
			e->skip = "its xmlUrl is too long";
		if (e->skip != NULL)
			continue;
		r = opml_url_key(e->o->xml_url, &e->key);
		if (r < 0)
			break;
		e->same = strmap_get(&keys, e->key);
		if (e->same != NULL)
			continue;
		strmap_put(&keys, e->key, e);
		choose_name(e, &names, count);
	}
	free(names.slot);
	free(keys.slot);
	return r;
}

/* The outline as warnings and comments name it: its title, or its URL. */
static void
write_outline_ref(FILE *f, const struct opml_outline *o)
{
	if (o->title == NULL && o->xml_url[0] == '\0') {
		fprintf(f, "(untitled)");
		return;
	}
	fputc('"', f);
	write_comment_text(f, o->title != NULL ? o->title : o->xml_url);
	fputc('"', f);
}

/*
 * Writes one feed's section.  Returns 0 or -ENOMEM.  The title is left
 * out when it says nothing the name or the URL does not.
 */
static int
write_feed(FILE *f, const struct entry *e)
{
	const struct opml_outline *o = e->o;
	char *title = NULL, *category = NULL;
	int r = 0;

	fprintf(f, "\n[feed.%s]\n", e->name);
	fprintf(f, "url = %s\n", o->xml_url);
	if (useful_title(o) != NULL && strcmp(o->title, e->name) != 0) {
		title = config_text(f, "title", o->title);
		if (title == NULL) {
			r = -ENOMEM;
			goto out;
		}
		write_value(f, "title", title);
	}
	if (o->category != NULL) {
		category = config_text(f, "category", o->category);
		if (category == NULL) {
			r = -ENOMEM;
			goto out;
		}
		write_value(f, "category", category);
	}
out:
	free(title);
	free(category);
	return r;
}

/* "-" is standard input; other names are printed without control
 * bytes, in quotes when quoted. */
static void
write_source(FILE *f, const char *path, bool quoted)
{
	if (strcmp(path, "-") == 0)
		fprintf(f, "standard input");
	else {
		if (quoted)
			fputc('"', f);
		write_comment_text(f, path);
		if (quoted)
			fputc('"', f);
	}
}

/*
 * Prints the drop-in file for doc.  Warnings about skipped outlines go to
 * stderr too, naming the outline.  Returns 0, -ENOMEM or -EIO.
 */
static int
write_import(FILE *f, const char *path, const struct opml_doc *doc)
{
	struct entry *v = NULL;
	size_t i, nfeeds = 0, nskipped = 0;
	int r = 0;

	v = calloc(doc->count > 0 ? doc->count : 1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (i = 0; i < doc->count; i++)
		v[i].o = &doc->v[i];
	r = plan(v, doc->count);
	if (r < 0)
		goto out;
	for (i = 0; i < doc->count; i++) {
		if (v[i].skip != NULL)
			nskipped++;
		else if (v[i].same == NULL)
			nfeeds++;
	}

	/* No date: importing the same file twice gives the same bytes, so
	 * a diff shows what changed in the subscriptions. */
	fprintf(f, "; Feeds imported from the OPML file ");
	write_source(f, path, true);
	if (doc->title != NULL) {
		fprintf(f, " (\"");
		write_comment_text(f, doc->title);
		fprintf(f, "\")");
	}
	fprintf(f, "\n; by feedspool import-opml: %zu feed%s", nfeeds,
	    nfeeds == 1 ? "" : "s");
	if (nskipped > 0)
		fprintf(f, ", %zu outline%s skipped", nskipped,
		    nskipped == 1 ? "" : "s");
	fprintf(f, ".\n; Save it as a drop-in file, e.g. "
	    "/etc/feedspool/feeds.d/imported.ini,\n; and check it with "
	    "\"feedspool check -c /etc/feedspool/feedspool.ini\".\n");

	for (i = 0; i < doc->count && r == 0; i++) {
		const struct entry *e = &v[i];

		if (e->skip != NULL) {
			fprintf(stderr, "feedspool import-opml: ");
			write_source(stderr, path, false);
			fprintf(stderr, ":%d: skipping outline ", e->o->line);
			write_outline_ref(stderr, e->o);
			fprintf(stderr, ": %s", e->skip);
			if (e->o->xml_url[0] != '\0') {
				fprintf(stderr, " (\"");
				write_comment_text(stderr, e->o->xml_url);
				fprintf(stderr, "\")");
			}
			fprintf(stderr, "\n");
			fprintf(f, "\n; skipped ");
			write_outline_ref(f, e->o);
			fprintf(f, " (line %d): %s", e->o->line, e->skip);
			if (e->o->xml_url[0] != '\0') {
				fprintf(f, ": ");
				write_comment_text(f, e->o->xml_url);
			}
			fputc('\n', f);
		} else if (e->same != NULL) {
			fprintf(f, "\n; ");
			write_outline_ref(f, e->o);
			fprintf(f, " (line %d) is the same feed as [feed.%s], "
			    "written once\n", e->o->line, e->same->name);
		} else
			r = write_feed(f, e);
	}
	if (r == 0 && (fflush(f) != 0 || ferror(f)))
		r = -EIO;
out:
	for (i = 0; i < doc->count; i++)
		free(v[i].key);
	free(v);
	return r;
}

int
cmd_import_opml(int argc, char **argv)
{
	static const char usage[] = "usage: feedspool import-opml FILE|-\n";
	struct opml_doc doc = { 0 };
	const char *path;
	char err[OPML_ERROR_LEN];
	char *buf = NULL;
	size_t len = 0;
	int fd, r, status = EXIT_SOFTWARE;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	path = argv[1];

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "feedspool import-opml: %s: %s\n", path,
		    strerror(errno));
		return EXIT_NOINPUT;
	}
	r = read_all(fd, &buf, &len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (r < 0) {
		fprintf(stderr, "feedspool import-opml: %s: %s\n", path,
		    r == -EFBIG ? "larger than 16 MiB, not a subscription "
		    "list" : strerror(-r));
		status = r == -EFBIG ? EXIT_DATAERR : EXIT_NOINPUT;
		goto out;
	}

	r = opml_parse(buf, len, &doc, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "feedspool import-opml: %s: %s\n", path, err);
		status = r == -ENOMEM ? EXIT_SOFTWARE : EXIT_DATAERR;
		goto out;
	}
	r = write_import(stdout, path, &doc);
	if (r < 0) {
		fprintf(stderr, "feedspool import-opml: %s\n", r == -EIO ?
		    "cannot write the output" : strerror(-r));
		status = r == -EIO ? EXIT_IOERR : EXIT_SOFTWARE;
		goto out;
	}
	status = 0;
out:
	opml_doc_clear(&doc);
	free(buf);
	return status;
}

/* One <outline type="rss"> for feed f.  Returns libxml2's < 0 on error. */
static int
write_outline(xmlTextWriterPtr w, const struct cfg_feed *f)
{
	const xmlChar *title = (const xmlChar *)(f->title != NULL ?
	    f->title : f->name);

	if (xmlTextWriterStartElement(w, BAD_CAST "outline") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type",
	    BAD_CAST "rss") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "text", title) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "title", title) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlUrl",
	    BAD_CAST f->url) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

/*
 * The body: feeds in configuration order, except that a category's feeds
 * are written together in one folder where its first feed would be.
 * Returns 0, or < 0 on a libxml2 error.
 */
static int
write_body(xmlTextWriterPtr w, const struct cfg *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nfeeds; i++) {
		const struct cfg_feed *f = &cfg->feeds[i];
		bool seen = false;

		if (f->category == NULL) {
			if (write_outline(w, f) < 0)
				return -1;
			continue;
		}
		for (j = 0; j < i && !seen; j++)
			seen = cfg->feeds[j].category != NULL &&
			    strcmp(cfg->feeds[j].category, f->category) == 0;
		if (seen)
			continue;
		if (xmlTextWriterStartElement(w, BAD_CAST "outline") < 0 ||
		    xmlTextWriterWriteAttribute(w, BAD_CAST "text",
		    BAD_CAST f->category) < 0 ||
		    xmlTextWriterWriteAttribute(w, BAD_CAST "title",
		    BAD_CAST f->category) < 0)
			return -1;
		for (j = i; j < cfg->nfeeds; j++)
			if (cfg->feeds[j].category != NULL &&
			    strcmp(cfg->feeds[j].category, f->category) == 0 &&
			    write_outline(w, &cfg->feeds[j]) < 0)
				return -1;
		if (xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	return 0;
}

/* The whole document into buf.  Returns 0 or -ENOMEM (libxml2 says no
 * more than that it failed, and it fails for want of memory). */
static int
write_export(xmlBufferPtr buf, const struct cfg *cfg)
{
	xmlTextWriterPtr w;
	char date[DATE_RFC822_LEN + 1];
	int r = -ENOMEM;

	if (date_format_rfc822((int64_t)time(NULL), date, sizeof(date)) < 0)
		snprintf(date, sizeof(date), "Thu, 01 Jan 1970 00:00:00 +0000");
	w = xmlNewTextWriterMemory(buf, 0);
	if (w == NULL)
		return -ENOMEM;
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "opml") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "version",
	    BAD_CAST "2.0") < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "head") < 0 ||
	    xmlTextWriterWriteElement(w, BAD_CAST "title",
	    BAD_CAST cfg->output_title) < 0 ||
	    xmlTextWriterWriteElement(w, BAD_CAST "dateCreated",
	    BAD_CAST date) < 0 ||
	    xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "body") < 0 ||
	    write_body(w, cfg) < 0 ||
	    xmlTextWriterEndDocument(w) < 0)
		goto out;
	r = 0;
out:
	xmlFreeTextWriter(w);
	return r;
}

int
cmd_export_opml(int argc, char **argv)
{
	static const char usage[] = "usage: feedspool export-opml -c FILE\n";
	struct cfg_defaults defaults = { .user_agent = "feedspool" };
	struct cfg_errors errors = { 0 };
	struct cfg *cfg = NULL;
	xmlBufferPtr buf = NULL;
	const char *path = NULL;
	int c, r, status = EXIT_SOFTWARE;

	optind = 1;
	while ((c = getopt(argc, argv, "c:h")) != -1) {
		if (c == 'c')
			path = optarg;
		else if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		} else {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (path == NULL || optind != argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}

	r = cfg_load(path, &defaults, &cfg, &errors);
	if (r < 0) {
		if (errors.count > 0)
			cfg_errors_print(&errors, stderr);
		else
			fprintf(stderr, "feedspool export-opml: %s: %s\n",
			    path, strerror(-r));
		/* As `feedspool check` does for a configuration it refuses. */
		status = 1;
		goto out;
	}
	buf = xmlBufferCreate();
	if (buf == NULL || write_export(buf, cfg) < 0) {
		fprintf(stderr, "feedspool export-opml: out of memory\n");
		goto out;
	}
	if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf),
	    stdout) != (size_t)xmlBufferLength(buf) || fflush(stdout) != 0) {
		fprintf(stderr, "feedspool export-opml: cannot write the "
		    "output: %s\n", strerror(errno));
		status = EXIT_IOERR;
		goto out;
	}
	status = 0;
out:
	xmlBufferFree(buf);
	cfg_free(cfg);
	cfg_errors_free(&errors);
	return status;
}
