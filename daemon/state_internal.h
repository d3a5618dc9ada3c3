/*
 * state_internal.h - the state store's insides, shared by the files that
 * implement it (state_sqlite.c: feeds; state_items.c: items).
 */
#ifndef FEEDSPOOL_STATE_INTERNAL_H
#define FEEDSPOOL_STATE_INTERNAL_H

#include <stdbool.h>

#include <sqlite3.h>

#include "name_index.h"
#include "state.h"

struct entry {
	char *name;
	struct feed_state st;
	struct entry *next;
};

enum {
	STMT_ITEM_BY_ID,
	STMT_ITEM_BY_URL,
	STMT_ITEM_BY_HASH,
	STMT_ITEM_INSERT,
	STMT_ARTICLE_INSERT,
	STMT_ARTICLE_FLOOR,
	STMT_ITEM_TOUCH,
	STMT_ITEM_REHASH,
	STMT_ITEM_DONE,
	STMT_COUNT,
};

struct state_store {
	sqlite3 *db;		/* NULL: the memory store */
	sqlite3_stmt *upsert;
	sqlite3_stmt *stmts[STMT_COUNT];	/* prepared on first use */
	struct entry *head;
	struct name_index by_name;	/* of head's entries, or empty */
	bool in_txn;		/* a write transaction is open */
	bool held;		/* state_flush() must not commit it */
	bool fsync;		/* durable commits really sync */
	int dirfd;		/* the state directory (state_sync_committed) */
	/*
	 * Article bodies past the newest article_keep are pruned, so one
	 * older than the article_keep-th newest (article_floor, read once
	 * per transaction) is not stored at all: a cold start of 1000 feeds
	 * wrote 35,000 bodies to delete all but 200 of them.
	 */
	unsigned article_keep;	/* 0: keep every body */
	bool floor_known;	/* article_floor read in this transaction */
	bool floor_full;	/* there are article_keep bodies or more */
	int64_t article_floor;
	char path[4096];
};

/* Runs sql; logs and returns -EIO on failure. */
int state_exec(struct state_store *store, const char *sql);
/* -ENOSPC for SQLITE_FULL, else -EIO. */
int state_errno(struct state_store *store);
/* Opens the batch transaction if none is open. */
int state_txn(struct state_store *store);
void state_items_finalize(struct state_store *store);
/*
 * Binds s, or NULL when s is NULL.  Not copied (SQLITE_STATIC): s must
 * live until the statement has been stepped.
 */
void state_bind_text(sqlite3_stmt *stmt, int i, const char *s);

#endif
