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
 */
struct feed_state *state_get(struct state_store *store, const char *name);

/*
 * Writes back a state changed in place (a no-op for the memory store).
 * Writes are batched in one transaction until state_flush().
 */
int state_commit(struct state_store *store, const char *name,
    const struct feed_state *st);
int state_flush(struct state_store *store);

/* Replaces *slot by a copy of value (NULL allowed); -ENOMEM on failure. */
int state_set_str(char **slot, const char *value);

#endif
