/*
 * state.h - what the daemon remembers about each feed between polls.
 *
 * The scheduler reads and writes feed state only through this interface,
 * implemented in state_sqlite.c: in SQLite (state_dir/state.db), or in
 * memory only (tests, and `feedspool parse`-like one-shot uses).
 */
#ifndef FEEDSPOOL_STATE_H
#define FEEDSPOOL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct feed_state {
	char *url;		/* as polled: after 301/308, else NULL */
	char *etag;
	char *last_modified;
	unsigned char body_hash[32];
	bool have_body_hash;
	int64_t last_fetch;	/* wall-clock seconds, 0 = never */
	int64_t last_success;
	int64_t failing_since;
	char *last_error;
	int failures;		/* consecutive */
	int64_t next_poll;	/* wall-clock seconds, 0 = as soon as due */
	bool gone;		/* 410: polling stopped */
	uint64_t items_delivered;
};

struct state_store;

int state_open_memory(struct state_store **ret);

/*
 * Opens (creating or migrating) dir/state.db.  fsync chooses SQLite's
 * synchronous=FULL over NORMAL.  Returns 0, -EIO (logged, with the
 * database's words), -EPROTO (a newer schema) or -ENOMEM.
 */
int state_open_sqlite(const char *dir, bool fsync, struct state_store **ret);

/* Flushes and closes; accepts NULL. */
void state_close(struct state_store *store);

/*
 * The state of feed name (created empty on first use).  The store owns it;
 * the pointer stays valid until state_close().  NULL on ENOMEM.
 * The first call indexes every feed's state by name, which is kept until
 * state_drop_index(): feeds are looked up in bursts (at start and at
 * each reload), and 10,000 idle feeds need not keep the index.
 */
struct feed_state *state_get(struct state_store *store, const char *name);
void state_drop_index(struct state_store *store);

/*
 * Writes back a state changed in place (a no-op for the memory store).
 * Writes are batched in one transaction until state_flush().
 */
int state_commit(struct state_store *store, const char *name,
    const struct feed_state *st);
int state_flush(struct state_store *store);
/*
 * A transaction whose commit is on disk when state_flush_durable()
 * returns (unless fsync = no): begin commits what was pending first.
 */
int state_begin_durable(struct state_store *store);
/* The same with an ordinary commit, made durable by state_sync_committed. */
int state_begin(struct state_store *store);
int state_flush_durable(struct state_store *store);
/* Drops the writes since the last flush. */
void state_rollback(struct state_store *store);
/*
 * While held, state_flush() leaves the open transaction alone (other
 * writes join it): a delivery keeps its rows uncommitted while its files
 * are synced on another thread, and commits them itself afterwards.
 */
void state_hold(struct state_store *store, bool hold);
/*
 * Makes what was committed since the last sync durable: syncfs() of the
 * file system that holds state.db (its WAL), a no-op with fsync = no or
 * for the memory store.  Safe on any thread: it touches no SQLite state.
 * 0 or a negative errno.
 */
int state_sync_committed(struct state_store *store);

/* The keys an item is known by; NULL for a key it does not have. */
struct item_keys {
	const char *feed;
	const char *item_id;
	const char *url_key;	/* url_dedup_key() of the canonical URL */
	const char *content_hash; /* NULL when the text is too short */
};

struct item_match {
	int64_t seq;
	char content_hash[65];
	char spool_name[96];
	bool by_id;		/* matched by (feed, id) */
	bool by_hash;		/* matched by content, not by id or URL */
	bool same_hash;		/* the stored hash equals the new one */
};

/* 1 and *ret when any key is known, 0 when none is, or -EIO. */
int state_item_find(struct state_store *store, const struct item_keys *k,
    struct item_match *ret);
/* The item was seen again (retention counts from now); new_hash, when
 * not NULL, replaces the stored hash (an edit).  0 or -EIO. */
int state_item_seen(struct state_store *store, int64_t seq,
    const char *new_hash, int64_t now);
/* Records a delivered item as pending until state_item_published(). */
int state_item_add(struct state_store *store, const struct item_keys *k,
    const char *spool_name, int64_t sort_time, const char *article,
    int64_t now);
int state_item_published(struct state_store *store, const char *spool_name);
/* Calls fn for each item recorded but not known to be in new/. */
int state_items_pending(struct state_store *store,
    int (*fn)(const char *spool_name, void *arg), void *arg);
/*
 * The seqs of the articles state_recent_articles() would give, in its
 * order, into seqs (room for n): their count, or -EIO.  An article's
 * body never changes once stored, so the list names the content.
 */
int state_recent_seqs(struct state_store *store, unsigned n,
    int64_t *seqs);
/* Calls fn with the article JSON of the newest n items, newest first. */
int state_recent_articles(struct state_store *store, unsigned n,
    int (*fn)(const char *article, void *arg), void *arg);
/* Forgets at most limit items not seen since cutoff, and the article
 * bodies beyond the newest keep_recent. */
int state_prune(struct state_store *store, int64_t cutoff,
    unsigned keep_recent, unsigned limit);
/*
 * The merged outputs need the newest keep article bodies: an article that
 * would be pruned at once is not stored by state_item_add (0: all are).
 */
void state_set_article_keep(struct state_store *store, unsigned keep);
/* Only the second half: at most limit article bodies past keep_recent. */
int state_prune_articles(struct state_store *store, unsigned keep_recent,
    unsigned limit);

/* Replaces *slot by a copy of value (NULL allowed); -ENOMEM on failure. */
int state_set_str(char **slot, const char *value);

#endif
