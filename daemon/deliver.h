/*
 * deliver.h - deduplicating new items into the spool, exactly once.
 */
#ifndef FEEDSPOOL_DELIVER_H
#define FEEDSPOOL_DELIVER_H

#include <stdbool.h>

#include <uv.h>

#include "feed.h"
#include "scheduler.h"
#include "spool.h"
#include "state.h"

/* The owner fills it in; deliver.c borrows store and spool. */
struct deliver {
	struct state_store *store;
	struct spool *spool;
	void (*on_new)(void *arg);	/* something new reached new/ */
	void *arg;
	int recovered;
	char **keep;		/* recovery: pending files that stay in tmp/ */
	bool recheck;		/* a commit failed: finish pending rows */
	size_t nkeep;
	uv_loop_t *loop;	/* NULL: deliver_documents_async() is not */
	struct inflight *inflight;	/* the asynchronous delivery, if any */
};

/*
 * Delivers doc's new items (see deliver.c for the order of writes).
 * Returns how many were new, or a negative errno (-ENOSPC, -EIO...): then
 * nothing of this document was recorded and the caller retries later.
 */
int deliver_document(struct deliver *dl, const struct feed_conf *feed,
    const struct feed_doc *doc);

/*
 * The same for several documents in one transaction, with one sync of
 * tmp/ and one of new/, a slice of at most DELIVER_SLICE items per call
 * (so that one huge document does not hold the loop): it goes on from
 * each v[i].next, adds the new items to v[i].result and sets v[i].done
 * when a document is finished.  When the slice fails, nothing of it is
 * recorded, and every v[i] is done with the error as its result.
 * Returns the new items of this call, or a negative errno.
 */
#define DELIVER_SLICE 1000

int deliver_documents(struct deliver *dl, struct sched_delivery *v,
    size_t n);

/*
 * deliver_documents() with its syncs on the threadpool (see deliver.c):
 * calls done(v, n, arg) when the slice is delivered or has failed, maybe
 * before it returns (no syncs with fsync = no, or no loop).  One at a
 * time: the caller waits for done before the next.
 */
typedef void deliver_done_fn(struct sched_delivery *v, size_t n,
    void *arg);

void deliver_documents_async(struct deliver *dl, struct sched_delivery *v,
    size_t n, deliver_done_fn *done, void *arg);

/* At start: finishes what a crash interrupted.  0 or a negative errno. */
int deliver_recover(struct deliver *dl);

/*
 * While recheck is set (a rename into new/ or a commit failed), finishes
 * the pending articles: those still in tmp/ are moved into new/, marks
 * lost with a commit are set again.  Returns how many reached new/, or a
 * negative errno; recheck stays set while any is still stuck, so the
 * owner calls it again later (with a backoff).
 */
int deliver_retry(struct deliver *dl);

#endif
