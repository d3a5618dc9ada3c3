/*
 * state_items.c - the dedup keys of every item seen, and the articles
 * the merged outputs are built from.
 *
 * An item is known when any of its keys is: (feed, item id), the
 * scheme-blind canonical URL, or the content hash of a text long enough
 * to identify it (the caller leaves hash NULL otherwise).  See
 * ARCHITECTURE.md, "What counts as the same article".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "state.h"
#include "state_internal.h"

/*
 * Newest first: the order in which the merged outputs read articles, the
 * outputs' fingerprint names them and pruning keeps them (on the index
 * articles_recent).  One definition, so that they cannot disagree.
 */
#define NEWEST_FIRST "ORDER BY sort_time DESC, seq DESC"

static const char *const sql[STMT_COUNT] = {
	[STMT_ITEM_BY_ID] = "SELECT seq, content_hash, spool_name FROM items "
	    "WHERE feed = ?1 AND item_id = ?2 ORDER BY seq DESC LIMIT 1",
	[STMT_ITEM_BY_URL] = "SELECT seq, content_hash, spool_name FROM items "
	    "WHERE url_key = ?1 ORDER BY seq DESC LIMIT 1",
	[STMT_ITEM_BY_HASH] = "SELECT seq, content_hash, spool_name FROM items "
	    "WHERE content_hash = ?1 ORDER BY seq DESC LIMIT 1",
	[STMT_ITEM_INSERT] = "INSERT INTO items (feed, item_id, url_key, "
	    "content_hash, first_seen, last_seen, spool_name, pending) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 1)",
	[STMT_ARTICLE_INSERT] = "INSERT INTO articles (seq, sort_time, body) "
	    "VALUES (?1, ?2, ?3)",
	/* The order state_prune_articles keeps, on articles_recent. */
	[STMT_ARTICLE_FLOOR] = "SELECT sort_time FROM articles "
	    NEWEST_FIRST " LIMIT 1 OFFSET ?1",
	[STMT_ITEM_TOUCH] = "UPDATE items SET last_seen = ?2 WHERE seq = ?1",
	[STMT_ITEM_REHASH] = "UPDATE items SET content_hash = ?2, "
	    "last_seen = ?3 WHERE seq = ?1",
	/* items_pending makes this an index lookup, not a scan. */
	[STMT_ITEM_DONE] = "UPDATE items SET pending = 0 WHERE pending = 1 "
	    "AND spool_name = ?1",
};

static sqlite3_stmt *
stmt(struct state_store *store, int which)
{
	sqlite3_stmt **s = &store->stmts[which];

	if (*s == NULL && sqlite3_prepare_v3(store->db, sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", store->path, sqlite3_errmsg(store->db));
		*s = NULL;
	}
	if (*s != NULL) {
		sqlite3_reset(*s);
		sqlite3_clear_bindings(*s);
	}
	return *s;
}

void
state_items_finalize(struct state_store *store)
{
	int i;

	for (i = 0; i < STMT_COUNT; i++) {
		sqlite3_finalize(store->stmts[i]);
		store->stmts[i] = NULL;
	}
}

/* One lookup by a key; 1 and the row when found, 0 when not, <0 error. */
static int
find(struct state_store *store, int which, const char *a, const char *b,
    struct item_match *ret)
{
	sqlite3_stmt *s = stmt(store, which);
	const unsigned char *v;
	int rc;

	if (s == NULL)
		return -EIO;
	state_bind_text(s, 1, a);
	if (b != NULL)
		state_bind_text(s, 2, b);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		log_warnx("%s: %s", store->path, sqlite3_errmsg(store->db));
		return -EIO;
	}
	memset(ret, 0, sizeof(*ret));
	ret->seq = sqlite3_column_int64(s, 0);
	v = sqlite3_column_text(s, 1);
	ret->same_hash = false;
	if (v != NULL)
		snprintf(ret->content_hash, sizeof(ret->content_hash), "%s", v);
	v = sqlite3_column_text(s, 2);
	if (v != NULL)
		snprintf(ret->spool_name, sizeof(ret->spool_name), "%s", v);
	return 1;
}

int
state_item_find(struct state_store *store, const struct item_keys *k,
    struct item_match *ret)
{
	int r = 0;

	if (store->db == NULL)
		return 0;
	if (k->item_id != NULL &&
	    (r = find(store, STMT_ITEM_BY_ID, k->feed, k->item_id, ret)) == 1)
		ret->by_id = true;
	if (r == 0 && k->url_key != NULL)
		r = find(store, STMT_ITEM_BY_URL, k->url_key, NULL, ret);
	if (r == 0 && k->content_hash != NULL) {
		r = find(store, STMT_ITEM_BY_HASH, k->content_hash, NULL, ret);
		if (r == 1)
			ret->by_hash = true;
	}
	if (r == 1)
		ret->same_hash = k->content_hash == NULL ||
		    strcmp(ret->content_hash, k->content_hash) == 0;
	return r;
}

static int
step_done(struct state_store *store, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_warnx("%s: %s", store->path, sqlite3_errmsg(store->db));
		return state_errno(store);
	}
	return 0;
}

int
state_item_seen(struct state_store *store, int64_t seq,
    const char *new_hash, int64_t now)
{
	sqlite3_stmt *s;

	if (store->db == NULL)
		return 0;
	if (state_txn(store) < 0)
		return -EIO;
	s = stmt(store, new_hash != NULL ? STMT_ITEM_REHASH : STMT_ITEM_TOUCH);
	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, seq);
	if (new_hash != NULL) {
		sqlite3_bind_text(s, 2, new_hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 3, now);
	} else
		sqlite3_bind_int64(s, 2, now);
	return step_done(store, s);
}

void
state_set_article_keep(struct state_store *store, unsigned keep)
{
	store->article_keep = keep;
	store->floor_known = false;
}

/*
 * Whether an article of sort_time would survive state_prune_articles with
 * article_keep: it would unless article_keep stored bodies are newer.  The
 * floor is read once per transaction; the articles added since only raise
 * the true floor, so the stale one may keep a body too many, never drop
 * one the outputs need.
 */
static int
article_wanted(struct state_store *store, int64_t sort_time)
{
	sqlite3_stmt *s;
	int rc;

	if (store->article_keep == 0)
		return 1;
	if (!store->floor_known) {
		if ((s = stmt(store, STMT_ARTICLE_FLOOR)) == NULL)
			return -EIO;
		sqlite3_bind_int(s, 1, (int)store->article_keep - 1);
		rc = sqlite3_step(s);
		store->floor_full = rc == SQLITE_ROW;
		if (store->floor_full)
			store->article_floor = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			log_warnx("%s: %s", store->path,
			    sqlite3_errmsg(store->db));
			return state_errno(store);
		}
		store->floor_known = true;
	}
	return !store->floor_full || sort_time >= store->article_floor;
}

int
state_item_add(struct state_store *store, const struct item_keys *k,
    const char *spool_name, int64_t sort_time, const char *article,
    int64_t now)
{
	sqlite3_stmt *s;
	int r;

	if (store->db == NULL)
		return 0;
	if (state_txn(store) < 0 || (s = stmt(store, STMT_ITEM_INSERT)) ==
	    NULL)
		return -EIO;
	state_bind_text(s, 1, k->feed);
	state_bind_text(s, 2, k->item_id);
	state_bind_text(s, 3, k->url_key);
	state_bind_text(s, 4, k->content_hash);
	sqlite3_bind_int64(s, 5, now);
	state_bind_text(s, 6, spool_name);
	if ((r = step_done(store, s)) < 0 || article == NULL)
		return r;
	if ((r = article_wanted(store, sort_time)) <= 0)
		return r;
	if ((s = stmt(store, STMT_ARTICLE_INSERT)) == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, sqlite3_last_insert_rowid(store->db));
	sqlite3_bind_int64(s, 2, sort_time);
	sqlite3_bind_text(s, 3, article, -1, SQLITE_STATIC);
	return step_done(store, s);
}

int
state_item_published(struct state_store *store, const char *spool_name)
{
	sqlite3_stmt *s;

	if (store->db == NULL)
		return 0;
	if (state_txn(store) < 0 || (s = stmt(store, STMT_ITEM_DONE)) == NULL)
		return -EIO;
	state_bind_text(s, 1, spool_name);
	return step_done(store, s);
}

int
state_items_pending(struct state_store *store,
    int (*fn)(const char *spool_name, void *arg), void *arg)
{
	sqlite3_stmt *s = NULL;
	int rc, r = 0;

	if (store->db == NULL)
		return 0;
	if (sqlite3_prepare_v2(store->db, "SELECT spool_name FROM items "
	    "WHERE pending = 1", -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && r == 0)
		r = fn((const char *)sqlite3_column_text(s, 0), arg);
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = -EIO;
	sqlite3_finalize(s);
	return r;
}

/* column of the newest n articles; NULL on failure. */
static sqlite3_stmt *
prepare_recent(struct state_store *store, const char *column, unsigned n)
{
	sqlite3_stmt *s = NULL;
	char q[128];

	snprintf(q, sizeof(q), "SELECT %s FROM articles " NEWEST_FIRST
	    " LIMIT ?1", column);
	if (sqlite3_prepare_v2(store->db, q, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int(s, 1, (int)n);
	return s;
}

int
state_recent_seqs(struct state_store *store, unsigned n, int64_t *seqs)
{
	sqlite3_stmt *s;
	int rc, count = 0;

	if (store->db == NULL)
		return 0;
	/* Read from the index articles_recent alone: no body is touched. */
	if ((s = prepare_recent(store, "seq", n)) == NULL)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && (unsigned)count < n)
		seqs[count++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? count : -EIO;
}

int
state_recent_articles(struct state_store *store, unsigned n,
    int (*fn)(const char *article, void *arg), void *arg)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	if (store->db == NULL)
		return 0;
	/* articles_recent makes this the newest n rows, not a scan. */
	if ((s = prepare_recent(store, "body", n)) == NULL)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && r == 0)
		r = fn((const char *)sqlite3_column_text(s, 0), arg);
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = -EIO;
	sqlite3_finalize(s);
	return r;
}

int
state_prune(struct state_store *store, int64_t cutoff, unsigned keep_recent,
    unsigned limit)
{
	char q[512];
	int r;

	if (store->db == NULL)
		return 0;
	if ((r = state_txn(store)) < 0)
		return r;
	/* Keys not seen in their feed since the cutoff, a bounded batch
	 * (items_last_seen finds them). */
	snprintf(q, sizeof(q), "DELETE FROM items WHERE seq IN (SELECT seq "
	    "FROM items WHERE last_seen < %lld AND pending = 0 LIMIT %u)",
	    (long long)cutoff, limit);
	if ((r = state_exec(store, q)) < 0)
		return r;
	return state_prune_articles(store, keep_recent, limit);
}

int
state_prune_articles(struct state_store *store, unsigned keep_recent,
    unsigned limit)
{
	char q[256];
	int r;

	if (store->db == NULL)
		return 0;
	if ((r = state_txn(store)) < 0)
		return r;
	/* Article bodies are only needed for the newest entries. */
	snprintf(q, sizeof(q), "DELETE FROM articles WHERE seq IN (SELECT "
	    "seq FROM articles " NEWEST_FIRST " LIMIT %u OFFSET %u)", limit,
	    keep_recent);
	return state_exec(store, q);
}
