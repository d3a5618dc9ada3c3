/*
 * output.c - the merged feeds: built from the newest articles in the
 * state database, written to a temporary file in the same directory,
 * fsynced and renamed over the old one, and only when the bytes changed.
 * A reader polling the file sees the old version or the new one, never a
 * half-written one.  Regeneration is debounced: a burst of feeds with new
 * items rewrites the files once.
 *
 * The outputs are a function of the newest articles (by seq: a stored
 * body never changes) and of the settings they show, so a fingerprint of
 * those says whether building them again could change a byte.  It is kept
 * in STATE_DIR/outputs.stamp with each file's inode, size and mtime, and
 * a start whose files are still those (a warm `once` from a timer, most
 * of all) builds nothing: reading the articles back and rendering three
 * documents was a fifth of a warm cycle of 1,000 feeds.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "date.h"
#include "hash.h"
#include "log.h"
#include "output.h"
#include "version.h"
#include "writer.h"

#define DEBOUNCE_MS 2000
#define ARTICLE_PRUNE_BATCH 20000
#define STAMP_MAGIC "feedspool outputs 1\n"
#define STAMP_MAX 1024

/* One article read back from its JSON, with the strings it points to. */
struct loaded {
	struct feed_item item;
	struct writer_entry entry;
	json_t *json;		/* owns the strings entry.source points to */
};

struct collect {
	struct loaded *v;
	size_t n, cap;
};

static char *
dup_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static const char *
peek_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int64_t
get_time(json_t *obj, const char *key)
{
	const char *s = peek_str(obj, key);
	int64_t t;

	return s != NULL && date_parse(s, &t) == 0 ? t : FEED_TIME_UNKNOWN;
}

static int
load_article(const char *text, void *arg)
{
	struct collect *c = arg;
	struct loaded *l;
	json_t *obj, *v, *e;
	size_t i;

	obj = json_loads(text, 0, NULL);
	if (obj == NULL)
		return 0;	/* a row we cannot read is left out */
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct loaded *nv = reallocarray(c->v, cap, sizeof(*nv));

		if (nv == NULL) {
			json_decref(obj);
			return -ENOMEM;
		}
		c->v = nv;
		c->cap = cap;
	}
	l = &c->v[c->n++];
	memset(l, 0, sizeof(*l));
	l->json = obj;
	l->item.id = dup_str(obj, "id");
	l->item.url = dup_str(obj, "url");
	l->item.title = dup_str(obj, "title");
	l->item.author = dup_str(obj, "author");
	l->item.summary_html = dup_str(obj, "summary_html");
	l->item.content_html = dup_str(obj, "content_html");
	l->item.content_text = dup_str(obj, "content_text");
	l->item.published = get_time(obj, "published");
	l->item.updated = get_time(obj, "updated");
	snprintf(l->item.content_hash, sizeof(l->item.content_hash), "%s",
	    peek_str(obj, "content_hash") ? peek_str(obj, "content_hash") : "");
	v = json_object_get(obj, "categories");
	for (i = 0; json_is_array(v) && i < json_array_size(v); i++)
		if (json_is_string(json_array_get(v, i)))
			feed_item_add_category(&l->item,
			    json_string_value(json_array_get(v, i)));
	v = json_object_get(obj, "enclosures");
	for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
		json_t *len;

		e = json_array_get(v, i);
		len = json_object_get(e, "length");
		if (peek_str(e, "url") != NULL)
			feed_item_add_enclosure(&l->item, peek_str(e, "url"),
			    peek_str(e, "type"), json_is_integer(len) ?
			    json_integer_value(len) : -1);
	}
	l->entry.source.name = peek_str(obj, "feed");
	l->entry.source.title = peek_str(obj, "feed_title");
	l->entry.source.link = peek_str(obj, "feed_link");
	l->entry.source.id = peek_str(obj, "feed_id");
	l->entry.source.url = peek_str(obj, "feed_url");
	l->entry.fetched_at = get_time(obj, "fetched_at");
	return 0;
}

static void
collect_free(struct collect *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		feed_item_clear(&c->v[i].item);
		json_decref(c->v[i].json);
	}
	free(c->v);
}

/*
 * Writes buf to path through path's directory: a temporary file, fsync,
 * rename, fsync of the directory.  Returns 0 or a negative errno.
 */
static int
replace_file(const char *path, const char *buf, size_t len, bool do_fsync)
{
	char tmp[4096], dirbuf[4096];
	ssize_t n;
	size_t off = 0;
	int fd, dfd, r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
	    (long)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len && r == 0) {
		n = write(fd, buf + off, len - off);
		if (n < 0 && errno != EINTR)
			r = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (r == 0 && do_fsync && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	dfd = open(dirname(dirbuf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (do_fsync && fsync(dfd) < 0)
			r = -errno;
		close(dfd);
	}
	return r;
}

/*
 * Writes one output if its bytes differ from what we wrote last.
 * Returns 0, or a negative errno (logged).
 */
static int
write_one(struct output *o, int which, const char *path, char *buf,
    size_t len)
{
	unsigned char h[32];
	int r;

	if (sha256(buf, len, h) == 0 && o->have_hash[which] &&
	    memcmp(h, o->hash[which], 32) == 0)
		return 0;
	r = replace_file(path, buf, len, o->fsync);
	if (r < 0) {
		log_warnx("output %s: %s, will retry with the next change",
		    path, strerror(-r));
		return r;
	}
	memcpy(o->hash[which], h, 32);
	o->have_hash[which] = true;
	log_debug("output %s written", path);
	return 0;
}

static bool
append_field(struct buf *b, const char *s)
{
	/* NUL-terminated: no two lists of fields run together the same. */
	return buf_append(b, s != NULL ? s : "", s != NULL ? strlen(s) + 1 :
	    1) == 0;
}

/*
 * The newest articles and everything else the bytes depend on: the
 * settings shown, and the program (another build may render otherwise;
 * its file's identity changes with every build and install).
 */
static int
fingerprint(struct output *o, unsigned char out[32])
{
	struct buf b;
	struct stat st;
	int64_t *seqs;
	char num[96];
	bool ok = true;
	int n, r;

	seqs = calloc(o->items > 0 ? o->items : 1, sizeof(*seqs));
	if (seqs == NULL)
		return -ENOMEM;
	n = state_recent_seqs(o->store, o->items, seqs);
	if (n < 0) {
		free(seqs);
		return n;
	}
	buf_init(&b, SIZE_MAX);
	ok = append_field(&b, FEEDSPOOL_VERSION);
	if (stat("/proc/self/exe", &st) == 0) {
		snprintf(num, sizeof(num), "%ju %ju %jd %jd.%09ld",
		    (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
		    (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec);
		ok = ok && append_field(&b, num);
	}
	snprintf(num, sizeof(num), "%u", o->items);
	ok = ok && append_field(&b, o->atom_path) &&
	    append_field(&b, o->rss_path) && append_field(&b, o->json_path) &&
	    append_field(&b, o->title) && append_field(&b, o->id) &&
	    append_field(&b, o->self_url) && append_field(&b, num) &&
	    buf_append(&b, (const char *)seqs, (size_t)n * sizeof(*seqs)) == 0;
	r = ok && sha256(b.p, b.len, out) == 0 ? 0 : -ENOMEM;
	buf_free(&b);
	free(seqs);
	return r;
}

/* Each output's inode, size and mtime, one line each ("-": none). */
static void
describe_files(const struct output *o, char *text, size_t size)
{
	const char *paths[3] = { o->atom_path, o->rss_path, o->json_path };
	struct stat st;
	size_t off = 0;
	int i, n;

	text[0] = '\0';
	for (i = 0; i < 3 && off < size; i++) {
		if (paths[i] == NULL || stat(paths[i], &st) < 0)
			n = snprintf(text + off, size - off, "-\n");
		else
			n = snprintf(text + off, size - off,
			    "%ju %ju %jd %jd.%09ld\n", (uintmax_t)st.st_dev,
			    (uintmax_t)st.st_ino, (intmax_t)st.st_size,
			    (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		off += n > 0 ? (size_t)n : 0;
	}
}

static int
stamp_path(const struct output *o, char *path, size_t size)
{
	if (o->state_dir == NULL || (size_t)snprintf(path, size,
	    "%s/outputs.stamp", o->state_dir) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* The stamp: the fingerprint in hex, then describe_files(). */
static void
save_stamp(struct output *o)
{
	char path[4096], text[STAMP_MAX], files[STAMP_MAX - 128];
	size_t off;
	int i;

	if (stamp_path(o, path, sizeof(path)) < 0)
		return;
	off = (size_t)snprintf(text, sizeof(text), STAMP_MAGIC);
	for (i = 0; i < 32; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "%02x", o->fingerprint[i]);
	describe_files(o, files, sizeof(files));
	off += (size_t)snprintf(text + off, sizeof(text) - off, "\n%s",
	    files);
	/* Not synced: a stamp lost to a power cut costs one rebuild. */
	if (replace_file(path, text, off, false) < 0)
		log_debug("%s: not written; the next start rebuilds the "
		    "outputs", path);
}

/*
 * Takes the stamp's fingerprint when the files are still those it
 * describes; otherwise hashes what is on disk, so that a rebuild to the
 * same bytes rewrites nothing.
 */
static bool
load_stamp(struct output *o)
{
	char path[4096], text[STAMP_MAX], files[STAMP_MAX - 128];
	const char *p;
	ssize_t n;
	int fd, i;
	unsigned byte;

	if (stamp_path(o, path, sizeof(path)) < 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	if (strncmp(text, STAMP_MAGIC, strlen(STAMP_MAGIC)) != 0)
		return false;
	p = text + strlen(STAMP_MAGIC);
	for (i = 0; i < 32; i++, p += 2)
		if (sscanf(p, "%2x", &byte) != 1)
			return false;
		else
			o->fingerprint[i] = (unsigned char)byte;
	describe_files(o, files, sizeof(files));
	return *p == '\n' && strcmp(p + 1, files) == 0;
}

int
output_regenerate(struct output *o)
{
	struct collect c = { 0 };
	struct writer_entry *entries = NULL;
	struct writer_meta meta;
	unsigned char fp[32];
	char *buf = NULL;
	size_t len, i;
	int r;

	if ((r = fingerprint(o, fp)) < 0)
		goto out;
	if (o->have_fingerprint && memcmp(fp, o->fingerprint, 32) == 0) {
		log_debug("merged outputs: up to date, nothing to build");
		goto out;
	}
	o->have_fingerprint = false;
	r = state_recent_articles(o->store, o->items, load_article, &c);
	if (r < 0)
		goto out;
	entries = calloc(c.n + 1, sizeof(*entries));
	if (entries == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < c.n; i++) {
		entries[i] = c.v[i].entry;
		entries[i].item = &c.v[i].item;
	}
	memset(&meta, 0, sizeof(meta));
	meta.title = o->title;
	meta.id = o->id;
	meta.self_url = o->self_url;
	meta.generator_version = FEEDSPOOL_VERSION;
	meta.updated = c.n > 0 ? (c.v[0].item.updated != FEED_TIME_UNKNOWN ?
	    c.v[0].item.updated : c.v[0].item.published) : FEED_TIME_UNKNOWN;
	if (meta.updated == FEED_TIME_UNKNOWN)
		meta.updated = c.n > 0 ? c.v[0].entry.fetched_at :
		    (int64_t)time(NULL);

	if ((r = writer_atom(&meta, entries, c.n, &buf, &len)) < 0 ||
	    (r = write_one(o, 0, o->atom_path, buf, len)) < 0)
		goto out;
	free(buf);
	buf = NULL;
	/*
	 * output_url is the Atom document's own address: for the RSS and
	 * JSON Feed copies it is a link to the merged feed, not their self.
	 */
	meta.link = meta.self_url;
	meta.self_url = NULL;
	if (o->rss_path != NULL) {
		if ((r = writer_rss(&meta, entries, c.n, &buf, &len)) < 0 ||
		    (r = write_one(o, 1, o->rss_path, buf, len)) < 0)
			goto out;
		free(buf);
		buf = NULL;
	}
	if (o->json_path != NULL) {
		if ((r = writer_jsonfeed(&meta, entries, c.n, &buf, &len)) <
		    0 || (r = write_one(o, 2, o->json_path, buf, len)) < 0)
			goto out;
	}
	memcpy(o->fingerprint, fp, 32);
	o->have_fingerprint = true;
	save_stamp(o);
out:
	free(buf);
	free(entries);
	collect_free(&c);
	return r;
}

static void
on_debounce(uv_timer_t *timer)
{
	struct output *o = timer->data;
	int r = output_regenerate(o);

	if (r < 0)
		log_warnx("merged outputs: %s, will retry with the next change",
		    strerror(-r));
	/*
	 * The bodies of articles that fell out of the outputs: gone now
	 * rather than at the hourly prune, or a cold start of thousands of
	 * feeds would hold every article's JSON in state.db for an hour.
	 * Twice the outputs' size stays, so a reload that raises
	 * output_items still has something to show.
	 */
	if (state_prune_articles(o->store, o->items * 2, ARTICLE_PRUNE_BATCH)
	    < 0)
		log_warnx("state: pruning article bodies failed, will retry");
}

void
output_changed(void *arg)
{
	struct output *o = arg;

	if (!uv_is_active((uv_handle_t *)&o->timer))
		uv_timer_start(&o->timer, on_debounce, DEBOUNCE_MS, 0);
}

/* What is on disk already counts as written: a restart rewrites nothing. */
static void
hash_existing(struct output *o, int which, const char *path)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	long size;

	if (path == NULL || (f = fopen(path, "re")) == NULL)
		return;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    size < (64L << 20) && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) != NULL &&
	    (len = fread(buf, 1, (size_t)size, f)) == (size_t)size &&
	    sha256(buf, len, o->hash[which]) == 0)
		o->have_hash[which] = true;
	free(buf);
	fclose(f);
}

int
output_init(struct output *o, uv_loop_t *loop)
{
	int r = uv_timer_init(loop, &o->timer);

	o->timer.data = o;
	o->have_fingerprint = load_stamp(o);
	if (!o->have_fingerprint) {
		hash_existing(o, 0, o->atom_path);
		hash_existing(o, 1, o->rss_path);
		hash_existing(o, 2, o->json_path);
	}
	return r;
}

void
output_flush(struct output *o)
{
	/* A pending regeneration runs now rather than being lost. */
	if (uv_is_active((uv_handle_t *)&o->timer)) {
		uv_timer_stop(&o->timer);
		on_debounce(&o->timer);
	}
}
