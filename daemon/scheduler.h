/*
 * scheduler.h - when each feed is fetched: per-feed timers with jitter, the
 * global and per-host limits, backoff, Retry-After, 301/308 and 410, and
 * the hand-off of bodies to the parser on the libuv threadpool.
 */
#ifndef FEEDSPOOL_SCHEDULER_H
#define FEEDSPOOL_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "feed.h"
#include "state.h"

/* One feed's effective settings; the scheduler keeps its own copy. */
struct feed_conf {
	char *name;
	char *url;
	char *title;		/* configured title, or NULL */
	char *user_agent;
	char *proxy;
	char **headers;		/* "Name: value", NULL-terminated */
	int64_t interval_ms;
	int64_t timeout_ms;
	int64_t connect_timeout_ms;
	size_t max_size;
	int per_host;
	bool enabled;
	bool updates_spool;	/* edited items are delivered again */
};

struct sched_limits {
	int concurrency;	/* transfers in flight, in all */
	int64_t per_host_delay_ms; /* spacing between requests to one host */
	int64_t min_interval_ms; /* the floor for a feed's own hints */
	int64_t max_backoff_ms;
	bool force;		/* once: fetch gone and backing-off feeds too */
};

enum sched_mode {
	SCHED_RUN,		/* forever: first polls spread over the interval */
	SCHED_ONCE,		/* every enabled feed once, then on_idle */
};

struct sched;

/* What the scheduler tells its owner. */
/*
 * A parsed document, handed to the owner for delivery, maybe over several
 * calls: the owner takes a slice of its items at a time (next counts
 * those done) and sets done when it is over.
 */
struct sched_delivery {
	const struct feed_conf *feed;
	const struct feed_doc *doc;
	size_t next;		/* items delivered so far (the owner's) */
	int result;		/* new items so far, or a negative errno */
	bool done;		/* finished: result is final */
};

struct sched_hooks {
	/* Documents were read (those parsed in one turn of the loop, and
	 * those whose delivery is not over); their items are the owner's to
	 * deliver, a slice per call.  See struct sched_delivery.  The owner
	 * answers with sched_documents_delivered(), now or later; no other
	 * call comes before it has. */
	void (*on_documents)(struct sched_delivery *v, size_t n, void *arg);
	/* Once mode: every feed has been fetched (and parsed). */
	void (*on_idle)(void *arg);
	/* Nothing is being fetched, parsed or delivered any more: the end
	 * of a burst of polls (may be NULL). */
	void (*on_quiet)(void *arg);
	void *arg;
};

int sched_new(uv_loop_t *loop, enum sched_mode mode,
    const struct sched_limits *limits, struct state_store *store,
    const struct sched_hooks *hooks, struct sched **ret);

/*
 * The answer to hooks.on_documents: v (the same array, which the
 * scheduler frees) with each document's progress.
 */
void sched_documents_delivered(struct sched *s, struct sched_delivery *v,
    size_t n);

/*
 * Replaces the set of feeds with feeds[0..n) (copied): new ones are
 * scheduled, removed ones stop, changed ones take their new settings.
 * Returns 0 or -ENOMEM.
 */
int sched_set_feeds(struct sched *s, const struct feed_conf *feeds, size_t n);
void sched_set_limits(struct sched *s, const struct sched_limits *limits);

/* Starts the timers (once: every feed due now). */
int sched_start(struct sched *s);

/*
 * Stops scheduling: no new transfer starts; transfers in flight get
 * grace_ms to finish, then are cancelled.  done(arg) runs when every
 * transfer, parse and handle is finished and the scheduler is freed.
 */
void sched_shutdown(struct sched *s, uint64_t grace_ms,
    void (*done)(void *arg), void *arg);

struct sched_stats {
	size_t feeds;
	size_t in_flight;
	size_t failing;
	size_t gone;
	size_t fetched;		/* transfers finished */
	size_t failed;		/* of which failed */
};
void sched_get_stats(const struct sched *s, struct sched_stats *ret);

/* Once mode: the failures and the feeds skipped, one line each
 * ("name (url): reason"), or NULL past the last. */
const char *sched_failure(const struct sched *s, size_t i);
const char *sched_skipped(const struct sched *s, size_t i);

void feed_conf_clear(struct feed_conf *c);
int feed_conf_copy(struct feed_conf *dst, const struct feed_conf *src);

#endif
