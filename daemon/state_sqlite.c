/*
 * state_sqlite.c - feed state in SQLite (WAL), in state_dir/state.db.
 *
 * The schema is versioned with PRAGMA user_version; migrate() brings an
 * older database up to date in one transaction and refuses a newer one.
 * Feed states are read once at open into memory (the scheduler holds
 * pointers to them) and written back by state_commit().  Commits share one
 * transaction until state_flush(), which the daemon calls once per loop
 * turn (redis's beforeSleep idea), so a turn's results cost one fsync.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "state.h"
#include "state_internal.h"

#define SCHEMA_VERSION 2

static const char *const migrations[SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE feeds ("
	"  name TEXT PRIMARY KEY,"
	"  url TEXT,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  body_hash BLOB,"
	"  last_fetch INTEGER NOT NULL DEFAULT 0,"
	"  last_success INTEGER NOT NULL DEFAULT 0,"
	"  failing_since INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  next_poll INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0,"
	"  items_delivered INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;",
	/* 1 -> 2: the dedup keys of every item seen (rows kept small for
	 * the lookups), and apart from them the articles the merged outputs
	 * are built from. */
	"CREATE TABLE items ("
	"  seq INTEGER PRIMARY KEY,"
	"  feed TEXT NOT NULL,"
	"  item_id TEXT,"
	"  url_key TEXT,"
	"  content_hash TEXT,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  spool_name TEXT,"
	"  pending INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX items_feed_id ON items(feed, item_id)"
	"  WHERE item_id IS NOT NULL;"
	"CREATE INDEX items_url ON items(url_key) WHERE url_key IS NOT NULL;"
	"CREATE INDEX items_hash ON items(content_hash)"
	"  WHERE content_hash IS NOT NULL;"
	"CREATE INDEX items_last_seen ON items(last_seen);"
	"CREATE INDEX items_pending ON items(spool_name) WHERE pending = 1;"
	"CREATE TABLE articles ("
	"  seq INTEGER PRIMARY KEY,"
	"  sort_time INTEGER NOT NULL,"
	"  body TEXT NOT NULL"
	");"
	"CREATE INDEX articles_recent ON articles(sort_time, seq);",
};

static const char *
entry_name(const void *e)
{
	return ((const struct entry *)e)->name;
}

int
state_open_memory(struct state_store **ret)
{
	struct state_store *store = calloc(1, sizeof(*store));

	if (store == NULL)
		return -ENOMEM;
	name_index_init(&store->by_name, entry_name);
	store->dirfd = -1;
	*ret = store;
	return 0;
}

int
state_errno(struct state_store *store)
{
	/* A full disk is what the administrator needs to hear about. */
	return (sqlite3_errcode(store->db) & 0xff) == SQLITE_FULL ? -ENOSPC :
	    -EIO;
}

int
state_exec(struct state_store *store, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(store->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("%s: %s", store->path, err ? err : "SQLite error");
		sqlite3_free(err);
		return state_errno(store);
	}
	return 0;
}

static int
migrate(struct state_store *store)
{
	sqlite3_stmt *stmt = NULL;
	char sql[64];
	int version = 0, r, i;

	if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return -EIO;
	}
	version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (version > SCHEMA_VERSION) {
		log_warnx("%s: schema version %d is newer than this feedspool "
		    "knows (%d)", store->path, version, SCHEMA_VERSION);
		return -EPROTO;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	if ((r = state_exec(store, "BEGIN IMMEDIATE")) < 0)
		return r;
	for (i = version; i < SCHEMA_VERSION; i++)
		if ((r = state_exec(store, migrations[i])) < 0)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if ((r = state_exec(store, sql)) < 0 || (r = state_exec(store, "COMMIT")) < 0)
		goto fail;
	return 0;
fail:
	state_exec(store, "ROLLBACK");
	return r;
}

static char *
col_str(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s ? strdup((const char *)s) : NULL;
}

static int
load_all(struct state_store *store)
{
	sqlite3_stmt *stmt = NULL;
	struct entry *e;
	int r = 0, rc;

	if (sqlite3_prepare_v2(store->db, "SELECT name, url, etag, "
	    "last_modified, body_hash, last_fetch, last_success, "
	    "failing_since, last_error, failures, next_poll, gone, "
	    "items_delivered FROM feeds", -1, &stmt, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		e = calloc(1, sizeof(*e));
		if (e == NULL) {
			r = -ENOMEM;
			break;
		}
		e->next = store->head;
		store->head = e;
		e->name = col_str(stmt, 0);
		e->st.url = col_str(stmt, 1);
		e->st.etag = col_str(stmt, 2);
		e->st.last_modified = col_str(stmt, 3);
		if (sqlite3_column_bytes(stmt, 4) == 32) {
			memcpy(e->st.body_hash, sqlite3_column_blob(stmt, 4),
			    32);
			e->st.have_body_hash = true;
		}
		e->st.last_fetch = sqlite3_column_int64(stmt, 5);
		e->st.last_success = sqlite3_column_int64(stmt, 6);
		e->st.failing_since = sqlite3_column_int64(stmt, 7);
		e->st.last_error = col_str(stmt, 8);
		e->st.failures = sqlite3_column_int(stmt, 9);
		e->st.next_poll = sqlite3_column_int64(stmt, 10);
		e->st.gone = sqlite3_column_int(stmt, 11) != 0;
		e->st.items_delivered =
		    (uint64_t)sqlite3_column_int64(stmt, 12);
		if (e->name == NULL) {
			r = -ENOMEM;
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = -EIO;
	sqlite3_finalize(stmt);
	return r;
}

int
state_open_sqlite(const char *dir, bool fsync, struct state_store **ret)
{
	struct state_store *store;
	int r;

	store = calloc(1, sizeof(*store));
	if (store == NULL)
		return -ENOMEM;
	name_index_init(&store->by_name, entry_name);
	store->dirfd = -1;
	if ((size_t)snprintf(store->path, sizeof(store->path), "%s/state.db",
	    dir) >= sizeof(store->path)) {
		r = -ENAMETOOLONG;
		goto fail;
	}
	store->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (store->dirfd < 0) {
		r = -errno;
		log_warnx("%s: %s", dir, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(store->path, &store->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", store->path, store->db ?
		    sqlite3_errmsg(store->db) : "cannot open");
		r = -EIO;
		goto fail;
	}
	/* Another process (feedspool status) may read while we write. */
	sqlite3_busy_timeout(store->db, 5000);
	/*
	 * WAL with synchronous=NORMAL: a power cut may undo the last few
	 * feed-state commits (a poll repeated, no harm) but never corrupts.
	 * Commits that the spool depends on go through state_flush_durable.
	 * SQLite's own cache is 2 MiB (its default): the lookups touch a
	 * few index pages per item, which the kernel's page cache holds as
	 * well, and 8 MiB of it was a fifth of the daemon's cold peak.
	 * bench/cycle --preload 1000000 shows no cost at a million keys.
	 */
	store->fsync = fsync;
	if ((r = state_exec(store, "PRAGMA journal_mode = WAL")) < 0 ||
	    (r = state_exec(store, "PRAGMA synchronous = NORMAL")) < 0 ||
	    (r = state_exec(store, "PRAGMA cache_size = -2048")) < 0 ||
	    (r = migrate(store)) < 0 || (r = load_all(store)) < 0)
		goto fail;
	if (sqlite3_prepare_v2(store->db, "INSERT OR REPLACE INTO feeds "
	    "(name, url, etag, last_modified, body_hash, last_fetch, "
	    "last_success, failing_since, last_error, failures, next_poll, "
	    "gone, items_delivered) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13)", -1, &store->upsert, NULL) !=
	    SQLITE_OK) {
		r = -EIO;
		goto fail;
	}
	*ret = store;
	return 0;
fail:
	state_close(store);
	return r;
}

void
state_close(struct state_store *store)
{
	struct entry *e, *next;

	if (store == NULL)
		return;
	for (e = store->head; e != NULL; e = next) {
		next = e->next;
		free(e->name);
		free(e->st.url);
		free(e->st.etag);
		free(e->st.last_modified);
		free(e->st.last_error);
		free(e);
	}
	name_index_free(&store->by_name);
	state_flush(store);
	state_items_finalize(store);
	sqlite3_finalize(store->upsert);
	if (store->db != NULL)
		sqlite3_close(store->db);
	if (store->dirfd >= 0)
		close(store->dirfd);
	free(store);
}

struct feed_state *
state_get(struct state_store *store, const char *name)
{
	struct entry *e;

	if (store->by_name.slots == NULL)
		for (e = store->head; e != NULL; e = e->next)
			if (name_index_add(&store->by_name, e) < 0) {
				state_drop_index(store);
				return NULL;
			}
	if ((e = name_index_find(&store->by_name, name)) != NULL)
		return &e->st;
	e = calloc(1, sizeof(*e));
	if (e == NULL || (e->name = strdup(name)) == NULL ||
	    name_index_add(&store->by_name, e) < 0) {
		if (e != NULL)
			free(e->name);
		free(e);
		return NULL;
	}
	e->next = store->head;
	store->head = e;
	return &e->st;
}

void
state_drop_index(struct state_store *store)
{
	name_index_free(&store->by_name);
}

int
state_txn(struct state_store *store)
{
	if (store->in_txn)
		return 0;
	if (state_exec(store, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	store->in_txn = true;
	store->floor_known = false;
	return 0;
}

void
state_rollback(struct state_store *store)
{
	if (store->db == NULL || !store->in_txn)
		return;
	store->in_txn = false;
	state_exec(store, "ROLLBACK");
	if (store->fsync)
		state_exec(store, "PRAGMA synchronous = NORMAL");
}

void
state_hold(struct state_store *store, bool hold)
{
	store->held = hold;
}

int
state_sync_committed(struct state_store *store)
{
	if (store->db == NULL || !store->fsync || store->dirfd < 0)
		return 0;
	return syncfs(store->dirfd) < 0 ? -errno : 0;
}

int
state_flush(struct state_store *store)
{
	int r;

	if (store->db == NULL || !store->in_txn || store->held)
		return 0;
	store->in_txn = false;
	r = state_exec(store, "COMMIT");
	/* A failed COMMIT (disk full) leaves the transaction open: end it,
	 * or every later BEGIN fails too. */
	if (r < 0 && !sqlite3_get_autocommit(store->db))
		state_exec(store, "ROLLBACK");
	return r;
}

int
state_begin_durable(struct state_store *store)
{
	int r;

	if (store->db == NULL)
		return 0;
	if ((r = state_flush(store)) < 0)
		return r;
	/* The level can only change outside a transaction: FULL syncs the
	 * WAL at this transaction's commit; state_flush_durable() puts
	 * NORMAL back. */
	if (store->fsync &&
	    (r = state_exec(store, "PRAGMA synchronous = FULL")) < 0)
		return r;
	return state_txn(store);
}

int
state_begin(struct state_store *store)
{
	int r;

	if (store->db == NULL)
		return 0;
	if ((r = state_flush(store)) < 0)
		return r;
	return state_txn(store);
}

int
state_flush_durable(struct state_store *store)
{
	int r;

	if (store->db == NULL)
		return 0;
	r = state_flush(store);
	if (store->fsync &&
	    state_exec(store, "PRAGMA synchronous = NORMAL") < 0 && r == 0)
		r = -EIO;
	return r;
}

void
state_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, i);
}

int
state_commit(struct state_store *store, const char *name,
    const struct feed_state *st)
{
	sqlite3_stmt *u = store->upsert;
	int rc;

	if (store->db == NULL)
		return 0;
	/* Batched: state_flush() commits once per loop turn. */
	if (state_txn(store) < 0)
		return -EIO;
	sqlite3_reset(u);
	sqlite3_clear_bindings(u);
	state_bind_text(u, 1, name);
	state_bind_text(u, 2, st->url);
	state_bind_text(u, 3, st->etag);
	state_bind_text(u, 4, st->last_modified);
	if (st->have_body_hash)
		sqlite3_bind_blob(u, 5, st->body_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(u, 6, st->last_fetch);
	sqlite3_bind_int64(u, 7, st->last_success);
	sqlite3_bind_int64(u, 8, st->failing_since);
	state_bind_text(u, 9, st->last_error);
	sqlite3_bind_int(u, 10, st->failures);
	sqlite3_bind_int64(u, 11, st->next_poll);
	sqlite3_bind_int(u, 12, st->gone);
	sqlite3_bind_int64(u, 13, (sqlite3_int64)st->items_delivered);
	rc = sqlite3_step(u);
	sqlite3_reset(u);
	if (rc != SQLITE_DONE) {
		log_warnx("%s: saving feed %s: %s", store->path, name,
		    sqlite3_errmsg(store->db));
		return -EIO;
	}
	return 0;
}

int
state_set_str(char **slot, const char *value)
{
	char *copy = NULL;

	if (value != NULL && (copy = strdup(value)) == NULL)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}
