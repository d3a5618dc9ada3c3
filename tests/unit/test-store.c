/*
 * test-store.c - the dedup store (daemon/state_items.c, state_sqlite.c)
 * and the exactly-once delivery on top of it (daemon/deliver.c, spool.c).
 *
 * Two levels:
 *   - the store alone: every key of "What counts as the same article"
 *     (ARCHITECTURE.md), edits, pending/published, pruning, the recent
 *     articles, and the schema versioning;
 *   - deliver_document() and deliver_documents_async() (its syncs on a
 *     libuv threadpool) with a real SQLite store and a real spool in a
 *     temporary directory, fed documents parsed by feed_parse(): that is
 *     where the caller's rules live (no content hash for short text,
 *     updates = ignore/spool and "replaces", the spool file itself, the
 *     rollback of a failed write, recovery after a crash).
 *
 * write() is interposed (see below) so that a test can make the spool's
 * writes fail with ENOSPC; everything else writes normally.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "deliver.h"
#include "feed.h"
#include "log.h"
#include "parse.h"
#include "spool.h"
#include "state.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* A write() that fails for files under one directory, on demand. */

static char fail_dir[4096];	/* "" = never fail */
static int fail_after = -1;	/* writes under fail_dir that still succeed */
static int failed_writes;

ssize_t
write(int fd, const void *buf, size_t len)
{
	char link[64], path[4096];
	ssize_t n;

	if (fail_dir[0] != '\0') {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = '\0';
			if (strncmp(path, fail_dir, strlen(fail_dir)) == 0) {
				if (fail_after == 0) {
					failed_writes++;
					errno = ENOSPC;
					return -1;
				}
				if (fail_after > 0)
					fail_after--;
			}
		}
	}
	return syscall(SYS_write, fd, buf, len);
}

/* A syncfs() that fails with EIO on demand, on any thread. */
static bool fail_syncfs;

int
syncfs(int fd)
{
	if (fail_syncfs) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_syncfs, fd);
}

/* ------------------------------------------------------------------ */
/* A temporary directory per test, removed afterwards. */

struct world {
	char dir[256];
	char spooldir[300];
	struct state_store *store;
	struct spool *spool;
	struct deliver dl;
	int on_new_calls;
};

static void
rm_rf(const char *path)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			rm_rf(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static void
on_new(void *arg)
{
	struct world *w = arg;

	w->on_new_calls++;
}

static void
world_open(struct world *w)
{
	assert_int_equal(state_open_sqlite(w->dir, true, &w->store), 0);
	assert_int_equal(spool_open(w->spooldir, true, &w->spool), 0);
	memset(&w->dl, 0, sizeof(w->dl));
	w->dl.store = w->store;
	w->dl.spool = w->spool;
	w->dl.on_new = on_new;
	w->dl.arg = w;
}

static void
world_close(struct world *w)
{
	state_close(w->store);
	spool_close(w->spool);
	w->store = NULL;
	w->spool = NULL;
}

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	const char *base = getenv("TMPDIR");

	assert_non_null(w);
	snprintf(w->dir, sizeof(w->dir), "%s/test-store-XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	assert_non_null(mkdtemp(w->dir));
	snprintf(w->spooldir, sizeof(w->spooldir), "%s/spool", w->dir);
	world_open(w);
	fail_dir[0] = '\0';
	fail_after = -1;
	failed_writes = 0;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	fail_dir[0] = '\0';
	world_close(w);
	rm_rf(w->dir);
	free(w);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The spool's directories. */

/* The names in spool/sub, sorted; returns how many (at most max). */
static int
list_dir(struct world *w, const char *sub, char names[][SPOOL_NAME_MAX],
    int max)
{
	char path[400], tmp[SPOOL_NAME_MAX];
	struct dirent *de;
	int n = 0, i, j;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", w->spooldir, sub);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		assert_true(n < max);
		assert_true(strlen(de->d_name) < SPOOL_NAME_MAX);
		strcpy(names[n++], de->d_name);
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			strcpy(tmp, names[j]);
			strcpy(names[j], names[j - 1]);
			strcpy(names[j - 1], tmp);
		}
	return n;
}

static int
count_dir(struct world *w, const char *sub)
{
	char names[256][SPOOL_NAME_MAX];

	return list_dir(w, sub, names, 256);
}

/* The JSON object in spool/sub/name (fails the test if it is not one). */
static json_t *
load_article(struct world *w, const char *sub, const char *name)
{
	char path[512];
	json_error_t err;
	json_t *obj;

	if (snprintf(path, sizeof(path), "%s/%s/%s", w->spooldir, sub, name) >=
	    (int)sizeof(path))
		fail_msg("%s/%s/%s: path too long", w->spooldir, sub, name);
	obj = json_load_file(path, 0, &err);
	if (obj == NULL)
		fail_msg("%s: not JSON: %s", path, err.text);
	assert_true(json_is_object(obj));
	return obj;
}

/* The articles in new/ whose "title" is title. */
static int
count_titled(struct world *w, const char *title)
{
	char names[256][SPOOL_NAME_MAX];
	int n, i, found = 0;
	json_t *obj;

	n = list_dir(w, "new", names, 256);
	for (i = 0; i < n; i++) {
		obj = load_article(w, "new", names[i]);
		if (json_is_string(json_object_get(obj, "title")) &&
		    strcmp(json_string_value(json_object_get(obj, "title")),
		    title) == 0)
			found++;
		json_decref(obj);
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* Documents. */

struct it {
	const char *guid;	/* NULL: none */
	const char *link;	/* NULL: none */
	const char *title;	/* NULL: none */
	const char *text;	/* description; NULL: none */
};

/* An RSS 2.0 document of the items, parsed. */
static struct feed_doc *
doc_of(const struct it *items, size_t n)
{
	char *xml, errbuf[256];
	struct feed_doc *doc = NULL;
	size_t cap = 65536, len = 0, i;
	struct feed_parse_opts opts = { .base_url = "http://feed.test/" };

	xml = malloc(cap);
	assert_non_null(xml);
	len += (size_t)snprintf(xml + len, cap - len, "<?xml version=\"1.0\"?>"
	    "<rss version=\"2.0\"><channel><title>Chan</title>"
	    "<link>http://feed.test/</link><description>d</description>\n");
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(xml + len, cap - len, "<item>");
		if (items[i].title)
			len += (size_t)snprintf(xml + len, cap - len,
			    "<title>%s</title>", items[i].title);
		if (items[i].link)
			len += (size_t)snprintf(xml + len, cap - len,
			    "<link>%s</link>", items[i].link);
		if (items[i].guid)
			len += (size_t)snprintf(xml + len, cap - len,
			    "<guid isPermaLink=\"false\">%s</guid>",
			    items[i].guid);
		if (items[i].text)
			len += (size_t)snprintf(xml + len, cap - len,
			    "<description>%s</description>", items[i].text);
		len += (size_t)snprintf(xml + len, cap - len, "</item>\n");
		assert_true(len < cap - 1024);
	}
	len += (size_t)snprintf(xml + len, cap - len, "</channel></rss>\n");
	if (feed_parse(xml, len, &opts, &doc, errbuf, sizeof(errbuf)) != 0)
		fail_msg("feed_parse: %s", errbuf);
	assert_int_equal(doc->nitems, n);
	free(xml);
	return doc;
}

static struct feed_conf *
conf(const char *name, bool updates_spool)
{
	static struct feed_conf c[8];
	static char names[8][32], urls[8][64];
	static int next;
	struct feed_conf *f = &c[next % 8];

	memset(f, 0, sizeof(*f));
	snprintf(names[next % 8], sizeof(names[0]), "%s", name);
	snprintf(urls[next % 8], sizeof(urls[0]), "http://feed.test/%s.xml",
	    name);
	f->name = names[next % 8];
	f->url = urls[next % 8];
	f->enabled = true;
	f->updates_spool = updates_spool;
	next++;
	return f;
}

/* Delivers items as feed name (updates = ignore); returns what
 * deliver_document returned. */
static int
deliver(struct world *w, const char *feed, bool updates_spool,
    const struct it *items, size_t n)
{
	struct feed_doc *doc = doc_of(items, n);
	int r;

	r = deliver_document(&w->dl, conf(feed, updates_spool), doc);
	feed_doc_free(doc);
	/* What the daemon's loop does after each turn. */
	assert_int_equal(state_flush(w->store), 0);
	return r;
}

#define LONG_A "The quick brown fox jumps over the lazy dog, and then some."
#define LONG_B "An entirely different story, also long enough to be hashed."
#define LONG_A2 "The quick brown fox jumps over the lazy cat, and then some."

/* ------------------------------------------------------------------ */
/* The store alone. */

static const char H1[] =
    "1111111111111111111111111111111111111111111111111111111111111111";
static const char H2[] =
    "2222222222222222222222222222222222222222222222222222222222222222";
static const char H3[] =
    "3333333333333333333333333333333333333333333333333333333333333333";

static void
add(struct world *w, const char *feed, const char *id, const char *url,
    const char *hash, const char *spool_name, int64_t sort_time,
    const char *article, int64_t now)
{
	struct item_keys k = { feed, id, url, hash };

	assert_int_equal(state_item_add(w->store, &k, spool_name, sort_time,
	    article, now), 0);
}

static int
find(struct world *w, const char *feed, const char *id, const char *url,
    const char *hash, struct item_match *m)
{
	struct item_keys k = { feed, id, url, hash };

	memset(m, 0x5a, sizeof(*m));
	return state_item_find(w->store, &k, m);
}

static void
test_find_by_feed_and_id(void **state)
{
	struct world *w = *state;
	struct item_match m;

	add(w, "a", "id-1", "example.org/1", H1, "s1.json", 1, "{}", 100);
	assert_int_equal(find(w, "a", "id-1", NULL, NULL, &m), 1);
	assert_false(m.by_hash);
	assert_true(m.same_hash);	/* no hash given: not an edit */
	assert_string_equal(m.content_hash, H1);
	assert_string_equal(m.spool_name, "s1.json");
	assert_int_equal(find(w, "a", "id-1", NULL, H1, &m), 1);
	assert_true(m.same_hash);
	assert_false(m.by_hash);
	/* Ids are unique per feed only. */
	assert_int_equal(find(w, "b", "id-1", NULL, NULL, &m), 0);
	assert_int_equal(find(w, "a", "id-2", NULL, NULL, &m), 0);
	/* Flushed and reopened, it is still known. */
	assert_int_equal(state_flush(w->store), 0);
	world_close(w);
	world_open(w);
	assert_int_equal(find(w, "a", "id-1", NULL, NULL, &m), 1);
	assert_string_equal(m.spool_name, "s1.json");
}

static void
test_find_by_url_across_feeds(void **state)
{
	struct world *w = *state;
	struct item_match m;
	int64_t seq;

	add(w, "a", "id-1", "example.org/story", H1, "s1.json", 1, NULL, 100);
	/* Another feed, another id, the same URL key: the same article. */
	assert_int_equal(find(w, "b", "other", "example.org/story", NULL, &m),
	    1);
	assert_false(m.by_hash);
	seq = m.seq;
	/* No id at all. */
	assert_int_equal(find(w, "c", NULL, "example.org/story", H1, &m), 1);
	assert_int_equal(m.seq, seq);
	assert_true(m.same_hash);
	/* Found by URL with other text: an edit, not a hash match. */
	assert_int_equal(find(w, "c", NULL, "example.org/story", H2, &m), 1);
	assert_false(m.same_hash);
	assert_false(m.by_hash);
	assert_int_equal(find(w, "c", NULL, "example.org/other", NULL, &m),
	    0);
}

static void
test_find_by_hash(void **state)
{
	struct world *w = *state;
	struct item_match m;

	add(w, "a", "id-1", "example.org/1", H1, "s1.json", 1, NULL, 100);
	assert_int_equal(find(w, "b", "id-9", "example.org/9", H1, &m), 1);
	assert_true(m.by_hash);
	assert_true(m.same_hash);
	assert_string_equal(m.spool_name, "s1.json");
	/* Without a hash key (short text), nothing matches. */
	assert_int_equal(find(w, "b", "id-9", "example.org/9", NULL, &m), 0);
	assert_int_equal(find(w, "b", "id-9", "example.org/9", H2, &m), 0);
	/* An id match wins over a hash match: not flagged by_hash. */
	add(w, "b", "id-2", NULL, H2, "s2.json", 1, NULL, 100);
	assert_int_equal(find(w, "b", "id-2", NULL, H1, &m), 1);
	assert_false(m.by_hash);
	assert_false(m.same_hash);
	assert_string_equal(m.spool_name, "s2.json");
}

static void
test_edit_rehash(void **state)
{
	struct world *w = *state;
	struct item_match m;

	add(w, "a", "id-1", NULL, H1, "s1.json", 1, NULL, 100);
	assert_int_equal(find(w, "a", "id-1", NULL, H2, &m), 1);
	assert_false(m.same_hash);
	/* The edit is remembered: the new hash replaces the old one. */
	assert_int_equal(state_item_seen(w->store, m.seq, H2, 200), 0);
	assert_int_equal(find(w, "a", "id-1", NULL, H2, &m), 1);
	assert_true(m.same_hash);
	assert_string_equal(m.content_hash, H2);
	assert_int_equal(find(w, "z", "x", NULL, H2, &m), 1);
	assert_true(m.by_hash);
	assert_int_equal(find(w, "z", "x", NULL, H1, &m), 0);
	/* A plain sighting keeps the hash. */
	assert_int_equal(find(w, "a", "id-1", NULL, NULL, &m), 1);
	assert_int_equal(state_item_seen(w->store, m.seq, NULL, 300), 0);
	assert_int_equal(find(w, "a", "id-1", NULL, H2, &m), 1);
	assert_true(m.same_hash);
}

struct names {
	char v[16][SPOOL_NAME_MAX];
	int n;
};

static int
collect_name(const char *name, void *arg)
{
	struct names *ns = arg;

	assert_true(ns->n < 16);
	snprintf(ns->v[ns->n++], SPOOL_NAME_MAX, "%s", name);
	return 0;
}

static void
test_pending_published(void **state)
{
	struct world *w = *state;
	struct names ns = { .n = 0 };

	add(w, "a", "1", NULL, NULL, "p1.json", 1, NULL, 100);
	add(w, "a", "2", NULL, NULL, "p2.json", 2, NULL, 100);
	assert_int_equal(state_items_pending(w->store, collect_name, &ns), 0);
	assert_int_equal(ns.n, 2);
	assert_int_equal(state_item_published(w->store, "p1.json"), 0);
	assert_int_equal(state_flush(w->store), 0);
	ns.n = 0;
	assert_int_equal(state_items_pending(w->store, collect_name, &ns), 0);
	assert_int_equal(ns.n, 1);
	assert_string_equal(ns.v[0], "p2.json");
	/* Still pending after a restart. */
	world_close(w);
	world_open(w);
	ns.n = 0;
	assert_int_equal(state_items_pending(w->store, collect_name, &ns), 0);
	assert_int_equal(ns.n, 1);
	assert_string_equal(ns.v[0], "p2.json");
}

static void
test_rollback_forgets(void **state)
{
	struct world *w = *state;
	struct item_match m;

	assert_int_equal(state_begin_durable(w->store), 0);
	add(w, "a", "1", "example.org/1", H1, "r1.json", 1, "{}", 100);
	assert_int_equal(find(w, "a", "1", NULL, NULL, &m), 1);
	state_rollback(w->store);
	assert_int_equal(find(w, "a", "1", NULL, NULL, &m), 0);
	assert_int_equal(find(w, "b", NULL, "example.org/1", NULL, &m), 0);
	assert_int_equal(find(w, "b", NULL, NULL, H1, &m), 0);
}

static void
test_prune_by_last_seen(void **state)
{
	struct world *w = *state;
	struct item_match m;

	add(w, "a", "old-1", NULL, NULL, "o1.json", 1, NULL, 100);
	add(w, "a", "old-2", NULL, NULL, "o2.json", 2, NULL, 110);
	add(w, "a", "old-3", NULL, NULL, "o3.json", 3, NULL, 120);
	add(w, "a", "young", NULL, NULL, "y.json", 4, NULL, 300);
	add(w, "a", "refreshed", NULL, NULL, "r.json", 5, NULL, 100);
	add(w, "a", "pending", NULL, NULL, "p.json", 6, NULL, 100);
	assert_int_equal(state_item_published(w->store, "o1.json"), 0);
	assert_int_equal(state_item_published(w->store, "o2.json"), 0);
	assert_int_equal(state_item_published(w->store, "o3.json"), 0);
	assert_int_equal(state_item_published(w->store, "y.json"), 0);
	assert_int_equal(state_item_published(w->store, "r.json"), 0);
	/* Seen again at 400: retention counts from there. */
	assert_int_equal(find(w, "a", "refreshed", NULL, NULL, &m), 1);
	assert_int_equal(state_item_seen(w->store, m.seq, NULL, 400), 0);
	assert_int_equal(state_flush(w->store), 0);

	/* A batch of 2: two of the three old ones go. */
	assert_int_equal(state_prune(w->store, 250, 1000, 2), 0);
	assert_int_equal(state_flush(w->store), 0);
	assert_int_equal((find(w, "a", "old-1", NULL, NULL, &m) == 1) +
	    (find(w, "a", "old-2", NULL, NULL, &m) == 1) +
	    (find(w, "a", "old-3", NULL, NULL, &m) == 1), 1);
	/* The next batch takes the last one. */
	assert_int_equal(state_prune(w->store, 250, 1000, 2), 0);
	assert_int_equal(state_flush(w->store), 0);
	assert_int_equal(find(w, "a", "old-1", NULL, NULL, &m), 0);
	assert_int_equal(find(w, "a", "old-2", NULL, NULL, &m), 0);
	assert_int_equal(find(w, "a", "old-3", NULL, NULL, &m), 0);
	assert_int_equal(find(w, "a", "young", NULL, NULL, &m), 1);
	assert_int_equal(find(w, "a", "refreshed", NULL, NULL, &m), 1);
	/* A pending item is never forgotten: its file may still be in
	 * tmp/, waiting for the recovery. */
	assert_int_equal(find(w, "a", "pending", NULL, NULL, &m), 1);
}

struct bodies {
	char v[16][64];
	int n;
};

static int
collect_body(const char *body, void *arg)
{
	struct bodies *b = arg;

	assert_true(b->n < 16);
	snprintf(b->v[b->n++], sizeof(b->v[0]), "%s", body);
	return 0;
}

static void
test_recent_articles(void **state)
{
	struct world *w = *state;
	struct bodies b = { .n = 0 };

	add(w, "a", "1", NULL, NULL, "a1.json", 10, "{\"t\":10}", 100);
	add(w, "a", "2", NULL, NULL, "a2.json", 30, "{\"t\":30}", 100);
	add(w, "a", "3", NULL, NULL, "a3.json", 20, "{\"t\":20}", 100);
	add(w, "a", "4", NULL, NULL, "a4.json", 5, NULL, 100);	/* no body */
	/* Same sort time: the later one first. */
	add(w, "a", "5", NULL, NULL, "a5.json", 20, "{\"t\":\"20b\"}", 100);
	assert_int_equal(state_flush(w->store), 0);

	assert_int_equal(state_recent_articles(w->store, 2, collect_body, &b),
	    0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.v[0], "{\"t\":30}");
	assert_string_equal(b.v[1], "{\"t\":\"20b\"}");
	b.n = 0;
	assert_int_equal(state_recent_articles(w->store, 10, collect_body,
	    &b), 0);
	assert_int_equal(b.n, 4);
	assert_string_equal(b.v[2], "{\"t\":20}");
	assert_string_equal(b.v[3], "{\"t\":10}");

	/* A bounded batch: one of the two bodies past the newest 2 goes
	 * (the newer one: the batch starts right after those kept). */
	assert_int_equal(state_prune_articles(w->store, 2, 1), 0);
	assert_int_equal(state_flush(w->store), 0);
	b.n = 0;
	assert_int_equal(state_recent_articles(w->store, 10, collect_body,
	    &b), 0);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.v[2], "{\"t\":10}");

	/* Bodies beyond the newest 2 go; the dedup keys stay. */
	assert_int_equal(state_prune(w->store, 0, 2, 1000), 0);
	assert_int_equal(state_flush(w->store), 0);
	b.n = 0;
	assert_int_equal(state_recent_articles(w->store, 10, collect_body,
	    &b), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.v[0], "{\"t\":30}");
	assert_string_equal(b.v[1], "{\"t\":\"20b\"}");
	{
		struct item_match m;

		assert_int_equal(find(w, "a", "1", NULL, NULL, &m), 1);
	}
}

/*
 * With a keep of 2, a body older than the 2nd newest stored one is not
 * stored (the next prune would drop it); one as new as that is, and the
 * floor read at the start of a transaction never drops one that the
 * outputs need.
 */
static void
test_article_keep(void **state)
{
	struct world *w = *state;
	struct bodies b = { .n = 0 };

	state_set_article_keep(w->store, 2);
	add(w, "a", "1", NULL, NULL, "a1.json", 10, "{\"t\":10}", 100);
	add(w, "a", "2", NULL, NULL, "a2.json", 30, "{\"t\":30}", 100);
	/* Same transaction, floor read when it had no 2 bodies: stored. */
	add(w, "a", "3", NULL, NULL, "a3.json", 5, "{\"t\":5}", 100);
	assert_int_equal(state_flush(w->store), 0);
	assert_int_equal(state_recent_articles(w->store, 10, collect_body,
	    &b), 0);
	assert_int_equal(b.n, 3);

	/* The 2nd newest is now 10: 9 is dropped, 10 and 20 are kept. */
	add(w, "a", "4", NULL, NULL, "a4.json", 9, "{\"t\":9}", 100);
	add(w, "a", "5", NULL, NULL, "a5.json", 10, "{\"t\":\"10b\"}", 100);
	add(w, "a", "6", NULL, NULL, "a6.json", 20, "{\"t\":20}", 100);
	assert_int_equal(state_flush(w->store), 0);
	b.n = 0;
	assert_int_equal(state_recent_articles(w->store, 10, collect_body,
	    &b), 0);
	assert_int_equal(b.n, 5);
	assert_string_equal(b.v[0], "{\"t\":30}");
	assert_string_equal(b.v[1], "{\"t\":20}");
	assert_string_equal(b.v[2], "{\"t\":\"10b\"}");
	assert_string_equal(b.v[3], "{\"t\":10}");
	assert_string_equal(b.v[4], "{\"t\":5}");
	/* Its dedup keys are kept all the same. */
	{
		struct item_match m;

		assert_int_equal(find(w, "a", "4", NULL, NULL, &m), 1);
	}

	/* Keep 0: every body again. */
	state_set_article_keep(w->store, 0);
	add(w, "a", "7", NULL, NULL, "a7.json", 1, "{\"t\":1}", 100);
	assert_int_equal(state_flush(w->store), 0);
	b.n = 0;
	assert_int_equal(state_recent_articles(w->store, 10, collect_body,
	    &b), 0);
	assert_int_equal(b.n, 6);
}

/* ------------------------------------------------------------------ */
/* The schema. */

static int
user_version(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

static bool
has_table(const char *path, const char *name)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	bool found;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master "
	    "WHERE type = 'table' AND name = ?1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return found;
}

static void
test_schema_empty_database(void **state)
{
	struct world *w = *state;
	struct state_store *st = NULL;
	char dir[400], path[420];
	int fd;

	/* An empty file is an empty database: migrated from version 0. */
	snprintf(dir, sizeof(dir), "%s/empty", w->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(state_open_sqlite(dir, false, &st), 0);
	state_close(st);
	assert_int_equal(user_version(path), 2);
	assert_true(has_table(path, "feeds"));
	assert_true(has_table(path, "items"));
	assert_true(has_table(path, "articles"));
	/* Opening again changes nothing. */
	assert_int_equal(state_open_sqlite(dir, false, &st), 0);
	state_close(st);
	assert_int_equal(user_version(path), 2);
}

static void
test_schema_from_version_1(void **state)
{
	struct world *w = *state;
	struct state_store *st = NULL;
	struct feed_state *fs;
	char dir[400], path[420];

	snprintf(dir, sizeof(dir), "%s/v1", w->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	/* What version 1 created, with one feed in it. */
	exec_sql(path, "CREATE TABLE feeds (name TEXT PRIMARY KEY, url TEXT, "
	    "etag TEXT, last_modified TEXT, body_hash BLOB, last_fetch INTEGER "
	    "NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0, "
	    "failing_since INTEGER NOT NULL DEFAULT 0, last_error TEXT, "
	    "failures INTEGER NOT NULL DEFAULT 0, next_poll INTEGER NOT NULL "
	    "DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0, items_delivered "
	    "INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	    "INSERT INTO feeds (name, etag, items_delivered) VALUES "
	    "('kept', '\"e1\"', 7);"
	    "PRAGMA user_version = 1;");
	assert_int_equal(state_open_sqlite(dir, false, &st), 0);
	fs = state_get(st, "kept");
	assert_non_null(fs);
	assert_non_null(fs->etag);
	assert_string_equal(fs->etag, "\"e1\"");
	assert_int_equal(fs->items_delivered, 7);
	state_close(st);
	assert_int_equal(user_version(path), 2);
	assert_true(has_table(path, "items"));
	assert_true(has_table(path, "articles"));
}

static void
test_schema_newer_refused(void **state)
{
	struct world *w = *state;
	struct state_store *st = NULL;
	char dir[400], path[420];

	snprintf(dir, sizeof(dir), "%s/newer", w->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	exec_sql(path, "CREATE TABLE future (x); PRAGMA user_version = 99;");
	log_set_level(LOG_LEVEL_ERROR);	/* the refusal is logged */
	assert_int_equal(state_open_sqlite(dir, false, &st), -EPROTO);
	log_set_level(LOG_LEVEL_INFO);
	/* Refused, and left alone. */
	assert_int_equal(user_version(path), 99);
	assert_false(has_table(path, "items"));
	assert_true(has_table(path, "future"));
}

/* ------------------------------------------------------------------ */
/* deliver_document: the caller's rules, with a real spool. */

static void
test_deliver_new_then_known(void **state)
{
	struct world *w = *state;
	const struct it items[] = {
		{ "g1", "http://example.org/1", "One", LONG_A },
		{ "g2", "http://example.org/2", "Two", LONG_B },
	};

	assert_int_equal(deliver(w, "a", false, items, 2), 2);
	assert_int_equal(count_dir(w, "new"), 2);
	assert_int_equal(count_dir(w, "tmp"), 0);
	assert_int_equal(w->on_new_calls, 1);
	/* The same document again: nothing new, no callback. */
	assert_int_equal(deliver(w, "a", false, items, 2), 0);
	assert_int_equal(count_dir(w, "new"), 2);
	assert_int_equal(w->on_new_calls, 1);
	/* Nothing is pending once published. */
	{
		struct names ns = { .n = 0 };

		assert_int_equal(state_items_pending(w->store, collect_name,
		    &ns), 0);
		assert_int_equal(ns.n, 0);
	}
}

static void
test_deliver_same_url_two_feeds(void **state)
{
	struct world *w = *state;
	const struct it a[] = { { "a-1", "http://example.org/story", "Story",
	    LONG_A } };
	/* Another feed, its own id, other text, the same URL with tracking
	 * parameters, a fragment, https and an explicit default port. */
	const struct it b[] = { { "b-77",
	    "https://EXAMPLE.org:443/story?utm_source=rss&amp;utm_medium=feed"
	    "#comments", "Story (syndicated)", LONG_B } };
	const struct it c[] = { { "c-1",
	    "http://example.org/story?fbclid=abc", "Story", NULL } };

	assert_int_equal(deliver(w, "a", false, a, 1), 1);
	assert_int_equal(deliver(w, "b", false, b, 1), 0);
	assert_int_equal(deliver(w, "c", false, c, 1), 0);
	assert_int_equal(count_dir(w, "new"), 1);
	/* But a URL with another real parameter is another article. */
	{
		const struct it d[] = { { "d-1",
		    "http://example.org/story?page=2", "Story p2", NULL } };

		assert_int_equal(deliver(w, "d", false, d, 1), 1);
	}
}

static void
test_deliver_republished_same_text(void **state)
{
	struct world *w = *state;
	const struct it first[] = { { "guid-old", "http://example.org/old",
	    "Title", LONG_A } };
	/* New guid and URL, the same title and text, other markup and
	 * white space: the content hash is the same. */
	const struct it again[] = { { "guid-new", "http://example.org/new",
	    "Title", "The  quick brown &lt;b&gt;fox&lt;/b&gt; jumps over the "
	    "lazy dog,\n and then some." } };

	assert_int_equal(deliver(w, "a", false, first, 1), 1);
	assert_int_equal(deliver(w, "a", false, again, 1), 0);
	/* In another feed too. */
	assert_int_equal(deliver(w, "b", false, again, 1), 0);
	assert_int_equal(count_dir(w, "new"), 1);
}

static void
test_deliver_short_items_not_merged(void **state)
{
	struct world *w = *state;
	/* Title only, the same title, different URLs and ids: their content
	 * hashes are equal, but they are two items. */
	const struct it a[] = {
		{ "t-1", "http://example.org/t1", "Breaking", NULL },
		{ "t-2", "http://example.org/t2", "Breaking", NULL },
	};
	/* Text of 31 bytes: still too short to identify anything. */
	const struct it b[] = {
		{ "s-1", "http://example.org/s1", "Short",
		  "0123456789012345678901234567890" },
		{ "s-2", "http://example.org/s2", "Short",
		  "0123456789012345678901234567890" },
	};
	/* 32 bytes: long enough; the second is the first republished. */
	const struct it c[] = {
		{ "l-1", "http://example.org/l1", "Long",
		  "01234567890123456789012345678901" },
		{ "l-2", "http://example.org/l2", "Long",
		  "01234567890123456789012345678901" },
	};
	/* The same guid and title, no URL, in two feeds: two items. */
	const struct it d1[] = { { "x", NULL, "Notice", NULL } };
	const struct it d2[] = { { "x", NULL, "Notice", NULL } };

	assert_int_equal(deliver(w, "a", false, a, 2), 2);
	assert_int_equal(count_titled(w, "Breaking"), 2);
	assert_int_equal(deliver(w, "b", false, b, 2), 2);
	assert_int_equal(count_titled(w, "Short"), 2);
	assert_int_equal(deliver(w, "c", false, c, 2), 1);
	assert_int_equal(count_titled(w, "Long"), 1);
	/* The same guid in two feeds is two items (ids are per feed). */
	assert_int_equal(deliver(w, "d1", false, d1, 1), 1);
	assert_int_equal(deliver(w, "d2", false, d2, 1), 1);
	assert_int_equal(count_titled(w, "Notice"), 2);
	/* And each is known in its own feed afterwards. */
	assert_int_equal(deliver(w, "d1", false, d1, 1), 0);
	assert_int_equal(deliver(w, "a", false, a, 2), 0);
	assert_int_equal(deliver(w, "b", false, b, 2), 0);
}

static void
test_deliver_edit_ignored(void **state)
{
	struct world *w = *state;
	const struct it v1[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_A } };
	const struct it v2[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_A2 } };
	const struct it other[] = { { "o-1", "http://example.org/o", "Edited",
	    LONG_A2 } };

	assert_int_equal(deliver(w, "a", false, v1, 1), 1);
	assert_int_equal(deliver(w, "a", false, v2, 1), 0);
	assert_int_equal(count_dir(w, "new"), 1);
	/* The new hash was remembered: the edited text elsewhere is known,
	 * and so the edit is not delivered later with updates = spool. */
	assert_int_equal(deliver(w, "b", false, other, 1), 0);
	assert_int_equal(deliver(w, "a", true, v2, 1), 0);
	assert_int_equal(count_dir(w, "new"), 1);
}

static void
test_deliver_edit_spooled(void **state)
{
	struct world *w = *state;
	const struct it v1[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_A } };
	const struct it v2[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_A2 } };
	char names[8][SPOOL_NAME_MAX], first[SPOOL_NAME_MAX];
	json_t *obj;
	int n, i;

	assert_int_equal(deliver(w, "a", true, v1, 1), 1);
	assert_int_equal(list_dir(w, "new", names, 8), 1);
	strcpy(first, names[0]);
	obj = load_article(w, "new", first);
	assert_null(json_object_get(obj, "replaces"));
	json_decref(obj);

	assert_int_equal(deliver(w, "a", true, v2, 1), 1);
	n = list_dir(w, "new", names, 8);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], first) == 0)
			continue;
		obj = load_article(w, "new", names[i]);
		assert_true(json_is_string(json_object_get(obj, "replaces")));
		assert_string_equal(json_string_value(json_object_get(obj,
		    "replaces")), first);
		assert_string_equal(json_string_value(json_object_get(obj,
		    "content_text")), LONG_A2);
		json_decref(obj);
	}
	/* The edit is delivered once, not at every poll. */
	assert_int_equal(deliver(w, "a", true, v2, 1), 0);
	assert_int_equal(count_dir(w, "new"), 2);
}

/*
 * A second edit replaces the first edit's file, which is what the
 * consumer has by then, not the original.
 */
static void
test_deliver_second_edit_replaces_latest(void **state)
{
	struct world *w = *state;
	const struct it v1[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_A } };
	const struct it v2[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_A2 } };
	const struct it v3[] = { { "e-1", "http://example.org/e", "Edited",
	    LONG_B } };
	char names[8][SPOOL_NAME_MAX], second[SPOOL_NAME_MAX] = "";
	char replaced[SPOOL_NAME_MAX] = "";
	const char *rep;
	json_t *obj;
	int n, i;

	assert_int_equal(deliver(w, "a", true, v1, 1), 1);
	assert_int_equal(deliver(w, "a", true, v2, 1), 1);
	n = list_dir(w, "new", names, 8);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		obj = load_article(w, "new", names[i]);
		if (json_object_get(obj, "replaces") != NULL)
			strcpy(second, names[i]);
		json_decref(obj);
	}
	assert_true(second[0] != '\0');
	assert_int_equal(deliver(w, "a", true, v3, 1), 1);
	n = list_dir(w, "new", names, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		obj = load_article(w, "new", names[i]);
		if (strcmp(json_string_value(json_object_get(obj,
		    "content_text")), LONG_B) == 0) {
			rep = json_string_value(json_object_get(obj,
			    "replaces"));
			assert_non_null(rep);
			snprintf(replaced, sizeof(replaced), "%s", rep);
		}
		json_decref(obj);
	}
	assert_true(replaced[0] != '\0');
	/* Not the original: the consumer has the first edit by then. */
	assert_string_equal(replaced, second);
}

static void
test_deliver_spool_file(void **state)
{
	struct world *w = *state;
	const struct it items[] = { { "secret-guid",
	    "http://example.org/secret-path", "Secret title", LONG_A } };
	static const char *const fields[] = { "id", "url", "title",
	    "published", "updated", "author", "categories", "summary_html",
	    "content_html", "content_text", "enclosures", "content_hash",
	    "feed", "feed_title", "feed_link", "feed_id", "feed_url",
	    "fetched_at" };
	char names[4][SPOOL_NAME_MAX], path[512];
	long long sec;
	long usec;
	unsigned counter;
	char hash16[17], tail[16];
	struct stat st;
	json_t *obj;
	size_t i;

	assert_int_equal(deliver(w, "feedname", false, items, 1), 1);
	assert_int_equal(list_dir(w, "new", names, 4), 1);
	/* SECONDS.MICROSECONDS.COUNTER_HASH16.json, nothing else. */
	assert_int_equal(sscanf(names[0], "%lld.%6ld.%u_%16[0-9a-f]%15s", &sec,
	    &usec, &counter, hash16, tail), 5);
	assert_string_equal(tail, ".json");
	assert_null(strstr(names[0], "secret"));
	assert_null(strstr(names[0], "feedname"));
	assert_null(strstr(names[0], "Secret"));
	snprintf(path, sizeof(path), "%s/new/%s", w->spooldir, names[0]);
	assert_int_equal(stat(path, &st), 0);
	{
		mode_t mask = umask(0);

		umask(mask);
		assert_int_equal(st.st_mode & 07777, 0640 & ~mask);
	}

	obj = load_article(w, "new", names[0]);
	for (i = 0; i < NELEM(fields); i++)
		if (json_object_get(obj, fields[i]) == NULL)
			fail_msg("the article has no \"%s\"", fields[i]);
	assert_null(json_object_get(obj, "type"));
	assert_null(json_object_get(obj, "replaces"));
	assert_string_equal(json_string_value(json_object_get(obj, "feed")),
	    "feedname");
	assert_string_equal(json_string_value(json_object_get(obj,
	    "feed_title")), "Chan");
	assert_string_equal(json_string_value(json_object_get(obj,
	    "feed_url")), "http://feed.test/feedname.xml");
	assert_string_equal(json_string_value(json_object_get(obj, "id")),
	    "secret-guid");
	assert_string_equal(json_string_value(json_object_get(obj, "title")),
	    "Secret title");
	/* The name carries the start of the content hash. */
	assert_memory_equal(hash16, json_string_value(json_object_get(obj,
	    "content_hash")), 16);
	assert_int_equal(strlen(json_string_value(json_object_get(obj,
	    "fetched_at"))), 20);
	json_decref(obj);
}

static void
test_deliver_write_fails(void **state)
{
	struct world *w = *state;
	const struct it items[] = {
		{ "f-1", "http://example.org/f1", "F1", LONG_A },
		{ "f-2", "http://example.org/f2", "F2", LONG_B },
		{ "f-3", "http://example.org/f3", "F3", NULL },
	};
	struct item_match m;
	int r;

	/* The third file's write fails: the first two are undone too. */
	{
		char real[PATH_MAX];

		/* /proc/self/fd shows the resolved path. */
		assert_non_null(realpath(w->spooldir, real));
		assert_true(strlen(real) + 6 < sizeof(fail_dir));
		strcpy(fail_dir, real);
		strcat(fail_dir, "/tmp/");
	}
	fail_after = 2;
	log_set_level(LOG_LEVEL_ERROR);
	r = deliver(w, "a", false, items, 3);
	log_set_level(LOG_LEVEL_INFO);
	assert_int_equal(r, -ENOSPC);
	assert_int_equal(failed_writes, 1);
	assert_int_equal(count_dir(w, "tmp"), 0);
	assert_int_equal(count_dir(w, "new"), 0);
	assert_int_equal(w->on_new_calls, 0);
	assert_int_equal(find(w, "a", "f-1", NULL, NULL, &m), 0);
	assert_int_equal(find(w, "a", "f-3", NULL, NULL, &m), 0);

	/* Every write fails. */
	fail_after = 0;
	log_set_level(LOG_LEVEL_ERROR);
	r = deliver(w, "a", false, items, 3);
	log_set_level(LOG_LEVEL_INFO);
	assert_int_equal(r, -ENOSPC);
	assert_int_equal(count_dir(w, "tmp"), 0);
	assert_int_equal(count_dir(w, "new"), 0);

	/* Space again: all three, once. */
	fail_dir[0] = '\0';
	assert_int_equal(deliver(w, "a", false, items, 3), 3);
	assert_int_equal(count_dir(w, "new"), 3);
	assert_int_equal(count_dir(w, "tmp"), 0);
	assert_int_equal(deliver(w, "a", false, items, 3), 0);
	assert_int_equal(count_dir(w, "new"), 3);
}

/* ------------------------------------------------------------------ */
/* The delivery with its syncs on the threadpool. */

struct async_done {
	int calls;
	struct sched_delivery *v;
};

static void
on_async_done(struct sched_delivery *v, size_t n, void *arg)
{
	struct async_done *d = arg;

	assert_int_equal(n, 1);
	d->calls++;
	d->v = v;
}

/* Item rows as another connection sees them: committed ones only. */
static void
committed_rows(struct world *w, int *rows, int *pending)
{
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;

	snprintf(path, sizeof(path), "%s/state.db", w->dir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), "
	    "coalesce(sum(pending), 0) FROM items", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	*rows = sqlite3_column_int(st, 0);
	*pending = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static const struct it async_items[] = {
	{ "as-1", "http://x.test/1", "one", LONG_A },
	{ "as-2", "http://x.test/2", "two", LONG_B },
	{ "as-3", "http://x.test/3", "three", "short" },
};

static void
test_deliver_async_order(void **state)
{
	struct world *w = *state;
	struct feed_doc *doc = doc_of(async_items, 3);
	struct sched_delivery v = { .feed = conf("a", false), .doc = doc };
	struct async_done d = { 0 };
	static uv_loop_t loop;	/* outlives a failed assertion */
	int rows, pending;

	assert_int_equal(uv_loop_init(&loop), 0);
	w->dl.loop = &loop;
	deliver_documents_async(&w->dl, &v, 1, on_async_done, &d);

	/* Waiting for the sync of tmp/: written, neither recorded nor in
	 * new/. */
	assert_int_equal(d.calls, 0);
	assert_non_null(w->dl.inflight);
	assert_int_equal(count_dir(w, "tmp"), 3);
	assert_int_equal(count_dir(w, "new"), 0);
	/* The loop's batched commit leaves the delivery's rows alone... */
	assert_int_equal(state_flush(w->store), 0);
	committed_rows(w, &rows, &pending);
	assert_int_equal(rows, 0);
	/* ...and the retry of stuck articles does not touch its files. */
	w->dl.recheck = true;
	assert_int_equal(deliver_retry(&w->dl), 0);
	assert_int_equal(count_dir(w, "new"), 0);
	w->dl.recheck = false;

	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(d.calls, 1);
	assert_ptr_equal(d.v, &v);
	assert_true(v.done);
	assert_int_equal(v.result, 3);
	assert_null(w->dl.inflight);
	assert_int_equal(count_dir(w, "tmp"), 0);
	assert_int_equal(count_dir(w, "new"), 3);
	assert_int_equal(w->on_new_calls, 1);
	assert_int_equal(state_flush(w->store), 0);
	committed_rows(w, &rows, &pending);
	assert_int_equal(rows, 3);
	assert_int_equal(pending, 0);

	/* Known now: nothing waits for a sync, the answer comes at once. */
	memset(&v, 0, sizeof(v));
	v.feed = conf("a", false);
	v.doc = doc;
	deliver_documents_async(&w->dl, &v, 1, on_async_done, &d);
	assert_int_equal(d.calls, 2);
	assert_true(v.done);
	assert_int_equal(v.result, 0);
	assert_int_equal(count_dir(w, "new"), 3);

	w->dl.loop = NULL;
	assert_int_equal(uv_loop_close(&loop), 0);
	feed_doc_free(doc);
}

static void
test_deliver_async_sync_fails(void **state)
{
	struct world *w = *state;
	struct feed_doc *doc = doc_of(async_items, 3);
	struct sched_delivery v = { .feed = conf("a", false), .doc = doc };
	struct async_done d = { 0 };
	static uv_loop_t loop;	/* outlives a failed assertion */
	int rows, pending;

	assert_int_equal(uv_loop_init(&loop), 0);
	w->dl.loop = &loop;
	fail_syncfs = true;
	log_set_level(LOG_LEVEL_ERROR);
	deliver_documents_async(&w->dl, &v, 1, on_async_done, &d);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	log_set_level(LOG_LEVEL_INFO);
	fail_syncfs = false;

	/* Nothing of it stays, and the scheduler hears of the error. */
	assert_int_equal(d.calls, 1);
	assert_true(v.done);
	assert_int_equal(v.result, -EIO);
	assert_null(w->dl.inflight);
	assert_int_equal(count_dir(w, "tmp"), 0);
	assert_int_equal(count_dir(w, "new"), 0);
	assert_int_equal(w->on_new_calls, 0);
	assert_int_equal(state_flush(w->store), 0);
	committed_rows(w, &rows, &pending);
	assert_int_equal(rows, 0);

	/* The disk is back: the same items arrive, once. */
	memset(&v, 0, sizeof(v));
	v.feed = conf("a", false);
	v.doc = doc;
	deliver_documents_async(&w->dl, &v, 1, on_async_done, &d);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(d.calls, 2);
	assert_int_equal(v.result, 3);
	assert_int_equal(count_dir(w, "new"), 3);
	assert_int_equal(count_dir(w, "tmp"), 0);

	w->dl.loop = NULL;
	assert_int_equal(uv_loop_close(&loop), 0);
	feed_doc_free(doc);
}

static void
test_recover_after_crash(void **state)
{
	struct world *w = *state;
	char n_recorded[SPOOL_NAME_MAX], n_published[SPOOL_NAME_MAX];
	char n_unrecorded[SPOOL_NAME_MAX];
	struct item_keys k1 = { "a", "rec", NULL, NULL };
	struct item_keys k2 = { "a", "pub", NULL, NULL };
	struct names ns = { .n = 0 };
	struct item_match m;

	/* Recorded as pending, the rename never happened (crash between
	 * steps 2 and 3). */
	assert_int_equal(spool_write_tmp(w->spool, H1, "{\"feed\":\"a\"}", 12,
	    true, n_recorded), 0);
	assert_int_equal(state_item_add(w->store, &k1, n_recorded, 1, NULL,
	    100), 0);
	/* Recorded and renamed, not marked published (between 3 and 4). */
	assert_int_equal(spool_write_tmp(w->spool, H2, "{\"feed\":\"a\"}", 12,
	    true, n_published), 0);
	assert_int_equal(state_item_add(w->store, &k2, n_published, 1, NULL,
	    100), 0);
	assert_int_equal(spool_publish(w->spool, n_published), 0);
	/* Written, never recorded (crash before step 2). */
	assert_int_equal(spool_write_tmp(w->spool, H3, "{\"feed\":\"a\"}", 12,
	    true, n_unrecorded), 0);
	assert_int_equal(state_flush(w->store), 0);

	/* The restart. */
	world_close(w);
	world_open(w);
	log_set_level(LOG_LEVEL_ERROR);
	assert_int_equal(deliver_recover(&w->dl), 0);
	log_set_level(LOG_LEVEL_INFO);
	assert_int_equal(w->dl.recovered, 1);
	assert_int_equal(count_dir(w, "tmp"), 0);
	{
		char names[4][SPOOL_NAME_MAX];
		int n = list_dir(w, "new", names, 4);

		assert_int_equal(n, 2);
		assert_true((strcmp(names[0], n_recorded) == 0 &&
		    strcmp(names[1], n_published) == 0) ||
		    (strcmp(names[1], n_recorded) == 0 &&
		    strcmp(names[0], n_published) == 0));
	}
	assert_int_equal(state_items_pending(w->store, collect_name, &ns), 0);
	assert_int_equal(ns.n, 0);
	assert_int_equal(find(w, "a", "rec", NULL, NULL, &m), 1);
	/* A second recovery does nothing. */
	assert_int_equal(deliver_recover(&w->dl), 0);
	assert_int_equal(w->dl.recovered, 0);
	assert_int_equal(count_dir(w, "new"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_find_by_feed_and_id),
		T(test_find_by_url_across_feeds),
		T(test_find_by_hash),
		T(test_edit_rehash),
		T(test_pending_published),
		T(test_rollback_forgets),
		T(test_prune_by_last_seen),
		T(test_recent_articles),
		T(test_article_keep),
		T(test_schema_empty_database),
		T(test_schema_from_version_1),
		T(test_schema_newer_refused),
		T(test_deliver_new_then_known),
		T(test_deliver_same_url_two_feeds),
		T(test_deliver_republished_same_text),
		T(test_deliver_short_items_not_merged),
		T(test_deliver_edit_ignored),
		T(test_deliver_edit_spooled),
		T(test_deliver_second_edit_replaces_latest),
		T(test_deliver_spool_file),
		T(test_deliver_write_fails),
		T(test_recover_after_crash),
		T(test_deliver_async_order),
		T(test_deliver_async_sync_fails),
#undef T
	};

	log_init("test-store", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
