/*
 * scheduler.c - per-feed timers, limits, backoff and the parse hand-off.
 *
 * Every feed has a uv timer.  When it fires the feed joins the ready
 * queue; dispatch() starts the ready feeds that the global concurrency,
 * the per-host limit and the per-host spacing allow, and arms a timer for
 * the earliest host that is only waiting for its spacing.  A finished
 * transfer is classified (not modified, new body, redirect, gone,
 * throttled, failed); a new body is parsed on the libuv threadpool and
 * handed to the owner from the loop thread.  All times are uv_now()
 * milliseconds (monotonic); wall-clock seconds go only into the state.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"
#include "hash.h"
#include "log.h"
#include "name_index.h"
#include "parse.h"
#include "scheduler.h"

#define MAX_HOST_THROTTLE 10	/* 2^10 x the host spacing at most */
#define HINT_CAP_MS (24LL * 3600 * 1000)
#define PARSE_BACKLOG 4		/* documents fetched, not yet delivered */

struct host {
	char *name;
	int in_flight;
	uint64_t next_allowed;	/* uv_now() ms */
	int throttle;		/* consecutive 429s */
	struct host *next;
};

/*
 * A body on its way through the parse and the delivery of its items,
 * owned by its feed while busy.  Most feeds are idle most of the time:
 * as part of struct feed_rt this was 5 MiB of 10,000 idle feeds.  The
 * validators of the answer are kept aside until its items are delivered:
 * stored before, a failed delivery would be answered 304 next time and
 * its items lost.
 */
struct parse_job {
	uv_work_t work;
	struct sched_delivery dv;	/* its delivery's progress */
	char *pend_etag;
	char *pend_last_modified;
	char *body;
	size_t body_len;
	char *charset;
	char *base_url;		/* the effective URL of the body */
	unsigned char body_hash[32];
	struct feed_doc *doc;
	int parse_r;
	char parse_err[FEED_ERROR_LEN];
};

struct feed_rt {
	struct sched *s;
	struct feed_conf conf;
	struct feed_state *st;
	struct host *host;
	uv_timer_t timer;	/* freed with the feed, in its close callback */
	uv_work_t work;
	bool queued;		/* in the ready queue */
	bool busy;		/* fetching or parsing */
	bool removed;		/* by a reload: freed once idle */
	bool done_once;
	bool listed;		/* in the list a reload is applying */
	int64_t hint_ms;	/* the feed's own polling hint */
	int64_t max_age_ms;	/* Cache-Control max-age of the last 200 */
	uint32_t skip_hours;	/* RSS skipHours, bit h = hour h GMT */
	uint8_t skip_days;	/* RSS skipDays, bit 0 = Sunday */
	struct feed_rt *qnext;	/* ready queue */
	struct feed_rt *dnext;	/* parsed, waiting to be delivered */
	struct feed_rt *next;	/* all feeds */
	struct parse_job *job;	/* while a body is parsed and delivered */
};

struct sched {
	uv_loop_t *loop;
	enum sched_mode mode;
	struct sched_limits limits;
	struct state_store *store;
	struct sched_hooks hooks;
	struct fetcher *fetcher;

	struct feed_rt *feeds;
	size_t once_left;	/* feeds not removed and not done_once */
	struct host *hosts;
	struct feed_rt *ready_head, *ready_tail;
	uv_timer_t dispatch_timer;
	uv_timer_t grace_timer;
	/* Documents parsed in one turn of the loop are delivered together,
	 * after it: one sync of the spool and one commit for all of them. */
	uv_check_t deliver_check;
	uv_idle_t deliver_idle;
	struct feed_rt *deliver_head, *deliver_tail;
	size_t ndeliver;
	struct feed_rt *delivering;	/* handed to the owner, not answered */
	int in_flight;
	int parsing;		/* parsing, or parsed and not yet delivered */
	int pending_closes;
	bool started;

	bool stopping;
	void (*stopped)(void *arg);
	void *stopped_arg;
	bool fetcher_closed;
	bool handles_closed;

	size_t fetched, failed;
	char **failures;
	size_t nfailures;
	char **skipped;
	size_t nskipped;
};

static void dispatch(struct sched *s);
static void feed_try_free(struct feed_rt *f);
static void maybe_idle(struct sched *s);
static void maybe_stopped(struct sched *s);

void
feed_conf_clear(struct feed_conf *c)
{
	size_t i;

	free(c->name);
	free(c->url);
	free(c->title);
	free(c->user_agent);
	free(c->proxy);
	for (i = 0; c->headers != NULL && c->headers[i] != NULL; i++)
		free(c->headers[i]);
	free(c->headers);
	memset(c, 0, sizeof(*c));
}

static int
dup_or_null(char **dst, const char *src)
{
	*dst = NULL;
	if (src != NULL && (*dst = strdup(src)) == NULL)
		return -ENOMEM;
	return 0;
}

int
feed_conf_copy(struct feed_conf *dst, const struct feed_conf *src)
{
	size_t n = 0, i;

	*dst = *src;
	dst->name = dst->url = dst->title = dst->user_agent = NULL;
	dst->proxy = NULL;
	dst->headers = NULL;
	while (src->headers != NULL && src->headers[n] != NULL)
		n++;
	if (dup_or_null(&dst->name, src->name) < 0 ||
	    dup_or_null(&dst->url, src->url) < 0 ||
	    dup_or_null(&dst->title, src->title) < 0 ||
	    dup_or_null(&dst->user_agent, src->user_agent) < 0 ||
	    dup_or_null(&dst->proxy, src->proxy) < 0 ||
	    (dst->headers = calloc(n + 1, sizeof(char *))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if ((dst->headers[i] = strdup(src->headers[i])) == NULL)
			goto nomem;
	return 0;
nomem:
	feed_conf_clear(dst);
	return -ENOMEM;
}

/* The host part of url, lower-cased by libcurl, or the URL itself. */
static char *
host_of(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *copy;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_cleanup(u);
	if (host == NULL)
		return strdup(url);
	copy = strdup(host);
	curl_free(host);
	return copy;
}

/*
 * Feeds and hosts are looked up by name only while a configuration is
 * applied: at start and at each reload.  The indexes live that long, so
 * that 10,000 idle feeds do not keep them.
 */
struct lookup {
	struct name_index feeds;	/* the feeds not removed */
	struct name_index hosts;
};

static struct host *
host_get(struct sched *s, struct lookup *lk, const char *url)
{
	struct host *h;
	char *name = host_of(url);

	if (name == NULL)
		return NULL;
	if ((h = name_index_find(&lk->hosts, name)) != NULL) {
		free(name);
		return h;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		free(name);
		return NULL;
	}
	h->name = name;
	if (name_index_add(&lk->hosts, h) < 0) {
		free(h);
		free(name);
		return NULL;
	}
	h->next = s->hosts;
	s->hosts = h;
	return h;
}

static const char *
feed_url(const struct feed_rt *f)
{
	return f->st->url != NULL ? f->st->url : f->conf.url;
}

static const char *
feed_name_of(const void *f)
{
	return ((const struct feed_rt *)f)->conf.name;
}

static const char *
host_name_of(const void *h)
{
	return ((const struct host *)h)->name;
}

/* once is over when no feed is left to poll: counted, not searched for. */
static void
mark_done_once(struct feed_rt *f)
{
	if (f->done_once)
		return;
	f->done_once = true;
	if (!f->removed)
		f->s->once_left--;
}

/* Out of the configuration: no longer waited for. */
static void
mark_removed(struct feed_rt *f)
{
	if (f->removed)
		return;
	f->removed = true;
	if (!f->done_once)
		f->s->once_left--;
}

/* Human durations for the log: "45s", "30m", "2h", "1d". */
static const char *
dur(int64_t ms, char *buf, size_t size)
{
	int64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, size, "%" PRId64 "ms", ms);
	else if (s < 120)
		snprintf(buf, size, "%" PRId64 "s", s);
	else if (s < 2 * 3600)
		snprintf(buf, size, "%" PRId64 "m", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, size, "%" PRId64 "h", s / 3600);
	else
		snprintf(buf, size, "%" PRId64 "d", s / 86400);
	return buf;
}

/* A random factor in [lo, hi], for jitter. */
static double
jitter(double lo, double hi)
{
	return lo + (hi - lo) * ((double)random() / (double)RAND_MAX);
}

static void
on_feed_timer(uv_timer_t *timer)
{
	struct feed_rt *f = timer->data;
	struct sched *s = f->s;

	if (f->queued || f->busy || s->stopping)
		return;
	f->queued = true;
	f->qnext = NULL;
	if (s->ready_tail != NULL)
		s->ready_tail->qnext = f;
	else
		s->ready_head = f;
	s->ready_tail = f;
	dispatch(s);
}

/* Records when the feed is next due; in run mode, arms its timer too. */
static void
schedule_in(struct feed_rt *f, int64_t delay_ms)
{
	if (delay_ms < 0)
		delay_ms = 0;
	f->st->next_poll = (int64_t)time(NULL) + delay_ms / 1000;
	if (f->s->mode == SCHED_RUN)
		uv_timer_start(&f->timer, on_feed_timer, (uint64_t)delay_ms,
		    0);
}

/* The normal interval: configured, lengthened (never shortened) by hints. */
static int64_t
interval_of(const struct feed_rt *f)
{
	int64_t iv = f->conf.interval_ms, hint = f->hint_ms;

	if (hint > HINT_CAP_MS)
		hint = HINT_CAP_MS;
	if (hint > iv)
		iv = hint;
	/* No feed is polled more often than min_interval, whatever its
	 * own interval says: the floor of politeness for every site. */
	if (iv < f->s->limits.min_interval_ms)
		iv = f->s->limits.min_interval_ms;
	return iv;
}

static void
record_failure(struct feed_rt *f, int64_t wait_ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A failed poll: exponential backoff with jitter, from the interval up to
 * max_backoff, unless the server said how long to wait (wait_ms >= 0,
 * from Retry-After; capped at max_backoff too).
 */
static void
record_failure(struct feed_rt *f, int64_t wait_ms, const char *fmt, ...)
{
	struct sched *s = f->s;
	char reason[512], when[32], **list, *line;
	int64_t delay;
	va_list ap;
	int shift;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);

	s->failed++;
	if (f->st->failures++ == 0)
		f->st->failing_since = (int64_t)time(NULL);
	state_set_str(&f->st->last_error, reason);

	/* Never sooner than a healthy feed: 1-1.5 x interval x 2^(n-1). */
	shift = f->st->failures - 1 < 20 ? f->st->failures - 1 : 20;
	delay = (int64_t)((double)(interval_of(f) << shift) * jitter(1.0, 1.5));
	if (delay > s->limits.max_backoff_ms || delay <= 0)
		delay = s->limits.max_backoff_ms;
	if (wait_ms >= 0)
		delay = wait_ms < s->limits.max_backoff_ms ? wait_ms :
		    s->limits.max_backoff_ms;

	schedule_in(f, delay);
	if (s->mode == SCHED_ONCE) {
		log_warnx("feed %s (%s): %s", f->conf.name, feed_url(f),
		    reason);
		if (asprintf(&line, "%s (%s): %s", f->conf.name, feed_url(f),
		    reason) >= 0) {
			list = reallocarray(s->failures, s->nfailures + 1,
			    sizeof(*list));
			if (list != NULL) {
				s->failures = list;
				s->failures[s->nfailures++] = line;
			} else
				free(line);
		}
	} else
		log_warnx("feed %s (%s): %s, will retry in %s%s", f->conf.name,
		    feed_url(f), reason, dur(delay, when, sizeof(when)),
		    wait_ms >= 0 ? " as the server asked" : "");
}

/*
 * Moves a poll due in delay_ms out of the hours and days the feed asked
 * us to skip (RSS 2.0 skipHours/skipDays, in GMT).  Only ever later; a
 * feed that skips every hour is not believed.
 */
static int64_t
skip_delay(const struct feed_rt *f, int64_t delay_ms)
{
	time_t t = time(NULL) + (time_t)(delay_ms / 1000);
	struct tm tm;
	int i;

	if ((f->skip_hours == 0 && f->skip_days == 0) ||
	    f->skip_hours == 0xffffff || f->skip_days == 0x7f)
		return delay_ms;
	for (i = 0; i < 24 * 8; i++) {
		if (gmtime_r(&t, &tm) == NULL)
			return delay_ms;
		if (!(f->skip_hours & (1u << tm.tm_hour)) &&
		    !(f->skip_days & (1u << tm.tm_wday)))
			break;
		/* To the start of the next hour. */
		t += 3600 - (tm.tm_min * 60 + tm.tm_sec);
	}
	return (int64_t)(t - time(NULL)) * 1000 > delay_ms ?
	    (int64_t)(t - time(NULL)) * 1000 : delay_ms;
}

static void
record_success(struct feed_rt *f)
{
	if (f->st->failures > 0)
		log_info("feed %s: recovered after %d failures", f->conf.name,
		    f->st->failures);
	f->st->failures = 0;
	f->st->failing_since = 0;
	f->st->last_success = (int64_t)time(NULL);
	state_set_str(&f->st->last_error, NULL);
	if (f->host != NULL)
		f->host->throttle = 0;
	schedule_in(f, skip_delay(f, (int64_t)(interval_of(f) *
	    jitter(0.9, 1.1))));
}

static void
feed_finished(struct feed_rt *f)
{
	struct sched *s = f->s;

	f->busy = false;
	state_commit(s->store, f->conf.name, f->st);
	if (s->mode == SCHED_ONCE)
		mark_done_once(f);
	if (f->removed)
		feed_try_free(f);
	maybe_idle(s);
	maybe_stopped(s);
	if (s->stopping)
		return;
	dispatch(s);
	if (s->in_flight == 0 && s->parsing == 0 && s->hooks.on_quiet != NULL)
		s->hooks.on_quiet(s->hooks.arg);
}

static void
job_free(struct parse_job *job)
{
	if (job == NULL)
		return;
	free(job->pend_etag);
	free(job->pend_last_modified);
	feed_doc_free(job->doc);
	free(job->body);
	free(job->charset);
	free(job->base_url);
	free(job);
}

static void
work_parse(uv_work_t *req)
{
	struct feed_rt *f = req->data;
	struct parse_job *job = f->job;
	/* Relative links resolve against where the body came from
	 * (RFC 3986 5.1.3), after any redirect. */
	struct feed_parse_opts opts = {
		.base_url = job->base_url != NULL ? job->base_url : feed_url(f),
		.http_charset = job->charset,
	};

	job->parse_r = feed_parse(job->body, job->body_len, &opts, &job->doc,
	    job->parse_err, sizeof(job->parse_err));
	/* The items wait for delivery; the body need not wait with them. */
	free(job->body);
	job->body = NULL;
}

static void finish_parse(struct feed_rt *f);
static void after_delivery(struct feed_rt *f, int delivered);

static void
deliver_enqueue(struct sched *s, struct feed_rt *f)
{
	f->dnext = NULL;
	if (s->deliver_tail != NULL)
		s->deliver_tail->dnext = f;
	else
		s->deliver_head = f;
	s->deliver_tail = f;
	s->ndeliver++;
}

/* Only keeps the loop from sleeping while deliveries are unfinished. */
static void
on_deliver_idle(uv_idle_t *idle)
{
	(void)idle;
}

/*
 * After a turn of the loop: every document parsed in it goes to the
 * owner at once.  A cold cycle parses faster than one document at a time
 * can be synced to disk; together they share one sync and one commit.
 * The owner takes a bounded slice of items per call, so a document of
 * 100,000 items is delivered over many turns, with the loop serving
 * every other feed in between.  The owner answers through
 * sched_documents_delivered(), perhaps after its syncs on another
 * thread; what is parsed meanwhile waits for the next delivery.
 */
static void
on_deliver(uv_check_t *check)
{
	struct sched *s = check->data;
	struct sched_delivery *v;
	struct feed_rt *f;
	size_t n = s->ndeliver, i;

	if (s->delivering)
		return;
	if (n == 0) {
		uv_check_stop(&s->deliver_check);
		uv_idle_stop(&s->deliver_idle);
		return;
	}
	v = calloc(n, sizeof(*v));
	/* Taken off the queue: later documents queue for the next one. */
	s->delivering = s->deliver_head;
	s->deliver_head = s->deliver_tail = NULL;
	s->ndeliver = 0;
	if (v == NULL) {
		for (f = s->delivering; f != NULL; f = f->dnext) {
			f->job->dv.result = -ENOMEM;
			f->job->dv.done = true;
		}
		sched_documents_delivered(s, NULL, n);
		return;
	}
	for (i = 0, f = s->delivering; f != NULL; f = f->dnext, i++)
		v[i] = f->job->dv;
	/* Nothing to do until the owner answers: let the loop sleep. */
	uv_idle_stop(&s->deliver_idle);
	s->hooks.on_documents(v, n, s->hooks.arg);
}

void
sched_documents_delivered(struct sched *s, struct sched_delivery *v,
    size_t n)
{
	struct feed_rt *f, *next, *done = NULL, **done_tail = &done;
	size_t i;

	f = s->delivering;
	s->delivering = NULL;
	for (i = 0; f != NULL && i < n; f = next, i++) {
		next = f->dnext;
		if (v != NULL)
			f->job->dv = v[i];
		if (f->job->dv.done) {
			f->dnext = NULL;
			*done_tail = f;
			done_tail = &f->dnext;
		} else {
			deliver_enqueue(s, f);
		}
	}
	free(v);
	/* Unfinished or newly parsed documents: the loop keeps turning. */
	if (s->ndeliver > 0) {
		if (!uv_is_active((uv_handle_t *)&s->deliver_check))
			uv_check_start(&s->deliver_check, on_deliver);
		uv_idle_start(&s->deliver_idle, on_deliver_idle);
	}
	for (f = done; f != NULL; f = next) {
		next = f->dnext;
		after_delivery(f, f->job->dv.result);
	}
}

static void
after_parse(uv_work_t *req, int status)
{
	struct feed_rt *f = req->data;
	struct parse_job *job = f->job;
	struct sched *s = f->s;
	size_t i;

	if (status == UV_ECANCELED) {
		s->parsing--;
		record_failure(f, -1, "parse cancelled");
		finish_parse(f);
		return;
	}
	if (job->parse_r < 0) {
		s->parsing--;
		/* Not a feed: the next poll fetches and parses it again. */
		f->st->have_body_hash = false;
		record_failure(f, -1, "%s", job->parse_err);
		finish_parse(f);
		return;
	}
	for (i = 0; i < job->doc->nwarnings; i++)
		log_debug("feed %s: %s", f->conf.name, job->doc->warnings[i]);
	if (job->doc->nwarnings == 1)
		log_info("feed %s: %s", f->conf.name, job->doc->warnings[0]);
	else if (job->doc->nwarnings > 1)
		log_info("feed %s: %s (and %zu more warnings)", f->conf.name,
		    job->doc->warnings[0], job->doc->nwarnings - 1);
	/* Delivered with the others parsed in this turn (on_deliver). */
	memset(&job->dv, 0, sizeof(job->dv));
	job->dv.feed = &f->conf;
	job->dv.doc = job->doc;
	deliver_enqueue(s, f);
	if (!uv_is_active((uv_handle_t *)&s->deliver_check))
		uv_check_start(&s->deliver_check, on_deliver);
}

/* What the owner said of a parsed document's items. */
static void
after_delivery(struct feed_rt *f, int delivered)
{
	struct parse_job *job = f->job;
	struct sched *s = f->s;

	s->parsing--;
	if (delivered < 0) {
		/* Keep the old body hash: the next poll parses again. */
		f->st->have_body_hash = false;
		record_failure(f, -1, "delivering items: %s",
		    strerror(-delivered));
		goto out;
	}
	memcpy(f->st->body_hash, job->body_hash, sizeof(job->body_hash));
	f->st->have_body_hash = true;
	/* Delivered: now the validators may make the next poll conditional. */
	free(f->st->etag);
	free(f->st->last_modified);
	f->st->etag = job->pend_etag;
	f->st->last_modified = job->pend_last_modified;
	job->pend_etag = job->pend_last_modified = NULL;
	f->st->items_delivered += (uint64_t)delivered;
	/* The longer of the feed's ttl and the server's Cache-Control. */
	f->hint_ms = job->doc->ttl_seconds * 1000 > f->max_age_ms ?
	    job->doc->ttl_seconds * 1000 : f->max_age_ms;
	f->skip_hours = job->doc->skip_hours;
	f->skip_days = job->doc->skip_days;
	log_info("feed %s: %zu items, %d new", f->conf.name, job->doc->nitems,
	    delivered);
	record_success(f);
out:
	finish_parse(f);
}

/* The parse job is over, whatever came of it: its buffers go. */
static void
finish_parse(struct feed_rt *f)
{
	job_free(f->job);
	f->job = NULL;
	feed_finished(f);
}

/* Copies what we keep from a 2xx/304 answer into the state. */
static void
keep_validators(struct feed_rt *f, const struct fetch_result *r)
{
	if (r->status == 304 && r->etag == NULL && r->last_modified == NULL)
		return;		/* a 304 without validators keeps ours */
	state_set_str(&f->st->etag, r->etag);
	state_set_str(&f->st->last_modified, r->last_modified);
}

static void
throttle_host(struct feed_rt *f, int64_t retry_ms)
{
	struct sched *s = f->s;
	struct host *h = f->host;
	int64_t spacing;
	uint64_t until;

	if (h->throttle < MAX_HOST_THROTTLE)
		h->throttle++;
	spacing = (s->limits.per_host_delay_ms > 0 ?
	    s->limits.per_host_delay_ms : 1000) << h->throttle;
	/* A Retry-After of years must not stop a whole host until a
	 * restart: max_backoff caps it, as it caps a feed's own wait. */
	if (spacing > (int64_t)s->limits.max_backoff_ms)
		spacing = (int64_t)s->limits.max_backoff_ms;
	if (retry_ms > (int64_t)s->limits.max_backoff_ms)
		retry_ms = (int64_t)s->limits.max_backoff_ms;
	until = uv_now(s->loop) + (uint64_t)(retry_ms > spacing ? retry_ms :
	    spacing);
	if (until > h->next_allowed)
		h->next_allowed = until;
	if (h->throttle > 1)
		log_warnx("host %s: %d rate-limit answers in a row, slowing "
		    "every feed on it", h->name, h->throttle);
}

static void
on_fetched(const struct fetch_result *r, void *arg)
{
	struct feed_rt *f = arg;
	struct sched *s = f->s;
	struct parse_job *job = NULL;
	unsigned char hash[32];
	int64_t retry_ms;
	int e;

	s->in_flight--;
	if (f->host != NULL)
		f->host->in_flight--;
	s->fetched++;
	f->st->last_fetch = (int64_t)time(NULL);

	if (r->outcome != FETCH_OK) {
		record_failure(f, -1, "%s: %s", fetch_outcome_name(r->outcome),
		    r->error);
		goto done;
	}
	if (r->permanent_url != NULL &&
	    strcmp(r->permanent_url, feed_url(f)) != 0) {
		log_info("feed %s: moved permanently from %s to %s, polling "
		    "the new URL", f->conf.name, feed_url(f), r->permanent_url);
		state_set_str(&f->st->url, r->permanent_url);
	}
	if (r->status == 410) {
		f->st->gone = true;
		state_set_str(&f->st->last_error, "410 Gone");
		log_warnx("feed %s (%s): 410 Gone, polling stopped",
		    f->conf.name, feed_url(f));
		if (s->mode == SCHED_ONCE)
			record_failure(f, -1, "410 Gone, polling stopped");
		goto done;
	}
	if (r->status == 429 || r->status == 503) {
		retry_ms = r->retry_after_s >= 0 ? r->retry_after_s * 1000 : -1;
		if (r->status == 429)
			throttle_host(f, retry_ms);
		record_failure(f, retry_ms, "HTTP %ld", r->status);
		goto done;
	}
	if (r->status == 304 && f->st->etag == NULL &&
	    f->st->last_modified == NULL) {
		/* Nothing was asked conditionally: "not modified" since
		 * when?  Taken as success, the feed would never deliver. */
		record_failure(f, -1, "HTTP 304 Not Modified to a request "
		    "without validators");
		goto done;
	}
	if (r->status == 304) {
		keep_validators(f, r);
		log_debug("feed %s: not modified", f->conf.name);
		record_success(f);
		goto done;
	}
	if (r->status < 200 || r->status > 299) {
		record_failure(f, -1, "HTTP %ld", r->status);
		goto done;
	}
	f->max_age_ms = r->max_age_s > 0 ? r->max_age_s * 1000 : 0;

	/* The same bytes as last time: nothing to parse. */
	if (sha256(r->body, r->body_len, hash) == 0 &&
	    f->st->have_body_hash && memcmp(hash, f->st->body_hash,
	    sizeof(hash)) == 0) {
		log_debug("feed %s: body unchanged", f->conf.name);
		keep_validators(f, r);
		record_success(f);
		goto done;
	}

	if ((job = calloc(1, sizeof(*job))) == NULL ||
	    (job->body = malloc(r->body_len + 1)) == NULL ||
	    (r->charset != NULL && (job->charset = strdup(r->charset)) ==
	    NULL) ||
	    state_set_str(&job->pend_etag, r->etag) < 0 ||
	    state_set_str(&job->pend_last_modified, r->last_modified) < 0 ||
	    state_set_str(&job->base_url, r->effective_url) < 0) {
		job_free(job);
		record_failure(f, -1, "out of memory");
		goto done;
	}
	memcpy(job->body_hash, hash, sizeof(hash));
	memcpy(job->body, r->body, r->body_len);
	job->body[r->body_len] = '\0';
	job->body_len = r->body_len;
	job->work.data = f;
	/* Set before queuing: the parse thread may start at once. */
	f->job = job;
	e = uv_queue_work(s->loop, &job->work, work_parse, after_parse);
	if (e < 0) {
		f->job = NULL;
		job_free(job);
		record_failure(f, -1, "cannot queue the parse: %s",
		    uv_strerror(e));
		goto done;
	}
	s->parsing++;
	return;		/* after_parse finishes the feed */
done:
	feed_finished(f);
}

static void
start_fetch(struct feed_rt *f)
{
	struct sched *s = f->s;
	struct fetch_request req = {
		.url = feed_url(f),
		.etag = f->st->etag,
		.last_modified = f->st->last_modified,
		.user_agent = f->conf.user_agent,
		.proxy = f->conf.proxy,
		.headers = f->conf.headers,
		.connect_timeout_ms = (long)f->conf.connect_timeout_ms,
		.timeout_ms = (long)f->conf.timeout_ms,
		.max_size = f->conf.max_size,
	};
	int r;

	f->busy = true;
	r = fetch_start(s->fetcher, &req, on_fetched, f);
	if (r < 0) {
		record_failure(f, -1, "cannot start the transfer: %s",
		    strerror(-r));
		feed_finished(f);
		return;
	}
	s->in_flight++;
	if (f->host != NULL) {
		f->host->in_flight++;
		if ((uint64_t)s->limits.per_host_delay_ms + uv_now(s->loop) >
		    f->host->next_allowed)
			f->host->next_allowed = uv_now(s->loop) +
			    (uint64_t)s->limits.per_host_delay_ms;
	}
	log_debug("feed %s: fetching %s", f->conf.name, feed_url(f));
}

static void
on_dispatch_timer(uv_timer_t *timer)
{
	dispatch(timer->data);
}

/*
 * Starts what the limits allow, in queue order.  A feed whose host is
 * busy or too recently asked stays queued; the earliest spacing deadline
 * arms the dispatch timer.
 */
static void
dispatch(struct sched *s)
{
	struct feed_rt *f, *prev = NULL, *next;
	uint64_t now = uv_now(s->loop), wake = 0;

	if (s->stopping)
		return;
	for (f = s->ready_head; f != NULL; f = next) {
		next = f->qnext;
		if (s->in_flight >= s->limits.concurrency)
			break;
		/*
		 * Back-pressure: a fetched body waits, with its parsed
		 * items, for the threadpool and for delivery.  Fetching
		 * faster than that only holds more of them in memory.
		 */
		if (s->in_flight + s->parsing >=
		    s->limits.concurrency + PARSE_BACKLOG)
			break;
		if (f->host != NULL &&
		    (f->host->in_flight >= (f->conf.per_host > 0 ?
		    f->conf.per_host : 1) || f->host->next_allowed > now)) {
			if (f->host->in_flight == 0 &&
			    (wake == 0 || f->host->next_allowed < wake))
				wake = f->host->next_allowed;
			prev = f;
			continue;
		}
		/* Unlink and start. */
		if (prev != NULL)
			prev->qnext = next;
		else
			s->ready_head = next;
		if (s->ready_tail == f)
			s->ready_tail = prev;
		f->queued = false;
		f->qnext = NULL;
		start_fetch(f);
	}
	if (wake > now)
		uv_timer_start(&s->dispatch_timer, on_dispatch_timer,
		    wake - now, 0);
}

static void
on_feed_closed(uv_handle_t *handle)
{
	struct feed_rt *f = handle->data;
	struct sched *s = f->s;

	feed_conf_clear(&f->conf);
	job_free(f->job);
	free(f);
	s->pending_closes--;
	maybe_stopped(s);
}

static void
dequeue(struct sched *s, struct feed_rt *f)
{
	struct feed_rt *p, *prev = NULL;

	if (!f->queued)
		return;
	for (p = s->ready_head; p != NULL; prev = p, p = p->qnext) {
		if (p != f)
			continue;
		if (prev != NULL)
			prev->qnext = p->qnext;
		else
			s->ready_head = p->qnext;
		if (s->ready_tail == p)
			s->ready_tail = prev;
		break;
	}
	f->queued = false;
}

/* Unlinks and closes a removed feed once nothing of it is in flight. */
static void
feed_try_free(struct feed_rt *f)
{
	struct sched *s = f->s;
	struct feed_rt **pp;

	if (f->busy)
		return;
	dequeue(s, f);
	for (pp = &s->feeds; *pp != NULL; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	uv_timer_stop(&f->timer);
	s->pending_closes++;
	uv_close((uv_handle_t *)&f->timer, on_feed_closed);
}

static struct feed_rt *
feed_find(struct lookup *lk, const char *name)
{
	struct feed_rt *f = name_index_find(&lk->feeds, name);

	return f != NULL && !f->removed ? f : NULL;
}

/* A feed once leaves alone; listed for the owner like a failure. */
static void
skip(struct feed_rt *f, const char *why)
{
	struct sched *s = f->s;
	char **list, *line;

	log_info("feed %s: skipped: %s", f->conf.name, why);
	if (s->mode != SCHED_ONCE ||
	    asprintf(&line, "%s (%s): %s", f->conf.name, feed_url(f), why) < 0)
		return;
	list = reallocarray(s->skipped, s->nskipped + 1, sizeof(*list));
	if (list == NULL) {
		free(line);
		return;
	}
	s->skipped = list;
	s->skipped[s->nskipped++] = line;
}

/* The first poll: spread over the interval, or when the state says. */
static void
schedule_first(struct feed_rt *f)
{
	struct sched *s = f->s;
	int64_t now = (int64_t)time(NULL), delay;

	if (!f->conf.enabled || (f->st->gone && !s->limits.force)) {
		if (f->st->gone)
			skip(f, "gone (410)");
		if (s->mode == SCHED_ONCE)
			mark_done_once(f);
		return;
	}
	/* once is as polite as run: a server's wait or our backoff holds. */
	if (s->mode == SCHED_ONCE && !s->limits.force &&
	    f->st->failures > 0 && f->st->next_poll > now) {
		char when[32];

		skip(f, f->st->last_error != NULL ? "backing off after an "
		    "error" : "backing off");
		log_info("feed %s: next try in %s (--force fetches it now)",
		    f->conf.name, dur((f->st->next_poll - now) * 1000, when,
		    sizeof(when)));
		mark_done_once(f);
		return;
	}
	if (s->mode == SCHED_ONCE)
		delay = 0;
	else if (f->st->next_poll > now)
		delay = (f->st->next_poll - now) * 1000;
	else
		delay = (int64_t)(interval_of(f) * jitter(0.0, 1.0));
	uv_timer_start(&f->timer, on_feed_timer, (uint64_t)delay, 0);
}

static int
feed_add(struct sched *s, struct lookup *lk, const struct feed_conf *conf)
{
	struct feed_rt *f;
	int r;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->s = s;
	if ((r = feed_conf_copy(&f->conf, conf)) < 0) {
		free(f);
		return r;
	}
	f->st = state_get(s->store, conf->name);
	f->host = f->st ? host_get(s, lk, f->st->url ? f->st->url :
	    conf->url) : NULL;
	if (f->st == NULL || f->host == NULL ||
	    name_index_add(&lk->feeds, f) < 0) {
		feed_conf_clear(&f->conf);
		free(f);
		return -ENOMEM;
	}
	/* Cannot fail: it only fills in the handle. */
	(void)uv_timer_init(s->loop, &f->timer);
	f->timer.data = f;
	f->next = s->feeds;
	s->feeds = f;
	s->once_left++;
	if (s->started)
		schedule_first(f);
	return 0;
}

/* The indexes of struct lookup, over the feeds and hosts there are. */
static int
lookup_build(struct sched *s, struct lookup *lk)
{
	struct feed_rt *f;
	struct host *h;

	name_index_init(&lk->feeds, feed_name_of);
	name_index_init(&lk->hosts, host_name_of);
	for (f = s->feeds; f != NULL; f = f->next)
		if (!f->removed && name_index_add(&lk->feeds, f) < 0)
			return -ENOMEM;
	for (h = s->hosts; h != NULL; h = h->next)
		if (name_index_add(&lk->hosts, h) < 0)
			return -ENOMEM;
	return 0;
}

int
sched_set_feeds(struct sched *s, const struct feed_conf *feeds, size_t n)
{
	struct lookup lk;
	struct feed_rt *f, *next;
	struct feed_conf copy;
	size_t i;
	int r;

	if ((r = lookup_build(s, &lk)) < 0)
		goto out;
	/*
	 * Removed feeds stop now, or when their transfer ends.  The feeds
	 * still listed are marked through the index: n lookups, where
	 * comparing the two lists took n * n string comparisons.
	 */
	for (i = 0; i < n; i++)
		if ((f = feed_find(&lk, feeds[i].name)) != NULL)
			f->listed = true;
	for (f = s->feeds; f != NULL; f = next) {
		bool listed = f->listed;

		next = f->next;
		f->listed = false;
		if (!listed && !f->removed) {
			log_info("feed %s: removed from the configuration",
			    f->conf.name);
			mark_removed(f);
			feed_try_free(f);
		}
	}
	for (i = 0; i < n; i++) {
		f = feed_find(&lk, feeds[i].name);
		if (f == NULL) {
			if ((r = feed_add(s, &lk, &feeds[i])) < 0)
				goto out;
			continue;
		}
		if ((r = feed_conf_copy(&copy, &feeds[i])) < 0)
			goto out;
		if (strcmp(copy.url, f->conf.url) != 0) {
			/* A new URL is a new feed as far as HTTP goes. */
			log_info("feed %s: URL changed to %s", copy.name,
			    copy.url);
			state_set_str(&f->st->url, NULL);
			state_set_str(&f->st->etag, NULL);
			state_set_str(&f->st->last_modified, NULL);
			f->st->have_body_hash = false;
			f->st->gone = false;
			f->host = host_get(s, &lk, copy.url);
		}
		feed_conf_clear(&f->conf);
		f->conf = copy;
		if (!f->conf.enabled)
			uv_timer_stop(&f->timer);
		else if (s->started && !f->busy && !f->queued &&
		    !uv_is_active((uv_handle_t *)&f->timer))
			schedule_first(f);
	}
out:
	name_index_free(&lk.feeds);
	name_index_free(&lk.hosts);
	state_drop_index(s->store);
	return r;
}

void
sched_set_limits(struct sched *s, const struct sched_limits *limits)
{
	s->limits = *limits;
	if (s->limits.concurrency < 1)
		s->limits.concurrency = 1;
}

int
sched_new(uv_loop_t *loop, enum sched_mode mode,
    const struct sched_limits *limits, struct state_store *store,
    const struct sched_hooks *hooks, struct sched **ret)
{
	struct sched *s;
	int r;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->loop = loop;
	s->mode = mode;
	s->store = store;
	s->hooks = *hooks;
	sched_set_limits(s, limits);
	r = fetcher_new(loop, limits->concurrency, 0, &s->fetcher);
	if (r < 0) {
		free(s);
		return r;
	}
	uv_timer_init(loop, &s->dispatch_timer);
	uv_timer_init(loop, &s->grace_timer);
	uv_check_init(loop, &s->deliver_check);
	uv_idle_init(loop, &s->deliver_idle);
	s->dispatch_timer.data = s;
	s->grace_timer.data = s;
	s->deliver_check.data = s;
	s->deliver_idle.data = s;
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	*ret = s;
	return 0;
}

int
sched_start(struct sched *s)
{
	struct feed_rt *f;

	s->started = true;
	for (f = s->feeds; f != NULL; f = f->next)
		schedule_first(f);
	maybe_idle(s);
	return 0;
}

static void
maybe_idle(struct sched *s)
{
	if (s->mode != SCHED_ONCE || !s->started || s->stopping ||
	    s->once_left > 0)
		return;
	if (s->hooks.on_idle != NULL)
		s->hooks.on_idle(s->hooks.arg);
}

void
sched_get_stats(const struct sched *s, struct sched_stats *ret)
{
	const struct feed_rt *f;

	memset(ret, 0, sizeof(*ret));
	for (f = s->feeds; f != NULL; f = f->next) {
		if (f->removed)
			continue;
		ret->feeds++;
		if (f->st->gone)
			ret->gone++;
		else if (f->st->failures > 0)
			ret->failing++;
	}
	ret->in_flight = (size_t)s->in_flight;
	ret->fetched = s->fetched;
	ret->failed = s->failed;
}

const char *
sched_failure(const struct sched *s, size_t i)
{
	return i < s->nfailures ? s->failures[i] : NULL;
}

const char *
sched_skipped(const struct sched *s, size_t i)
{
	return i < s->nskipped ? s->skipped[i] : NULL;
}

static void
on_closed_handle(uv_handle_t *handle)
{
	struct sched *s = handle->data;

	s->pending_closes--;
	maybe_stopped(s);
}

static void
on_fetcher_closed(void *arg)
{
	struct sched *s = arg;

	s->fetcher = NULL;
	s->pending_closes--;
	maybe_stopped(s);
}

static void
close_fetcher(struct sched *s)
{
	if (s->fetcher_closed)
		return;
	s->fetcher_closed = true;
	s->pending_closes++;
	/* Cancelled transfers run on_fetched before this returns. */
	fetcher_close(s->fetcher, on_fetcher_closed, s);
}

/*
 * The last steps of a shutdown, once no transfer and no parse is left:
 * close the fetcher, every feed's timer and our own timers; free the
 * scheduler when libuv has released them all.
 */
static void
maybe_stopped(struct sched *s)
{
	struct feed_rt *f;
	struct host *h;
	void (*done)(void *);
	void *arg;
	size_t i;

	if (!s->stopping || s->in_flight > 0 || s->parsing > 0)
		return;
	if (!s->handles_closed) {
		s->handles_closed = true;
		close_fetcher(s);
		s->pending_closes += 4;
		uv_close((uv_handle_t *)&s->dispatch_timer, on_closed_handle);
		uv_close((uv_handle_t *)&s->grace_timer, on_closed_handle);
		uv_close((uv_handle_t *)&s->deliver_check, on_closed_handle);
		uv_close((uv_handle_t *)&s->deliver_idle, on_closed_handle);
		while ((f = s->feeds) != NULL) {
			mark_removed(f);
			f->busy = false;
			feed_try_free(f);
		}
	}
	if (s->pending_closes > 0)
		return;
	while ((h = s->hosts) != NULL) {
		s->hosts = h->next;
		free(h->name);
		free(h);
	}
	for (i = 0; i < s->nfailures; i++)
		free(s->failures[i]);
	free(s->failures);
	for (i = 0; i < s->nskipped; i++)
		free(s->skipped[i]);
	free(s->skipped);
	done = s->stopped;
	arg = s->stopped_arg;
	free(s);
	if (done != NULL)
		done(arg);
}

static void
on_grace_over(uv_timer_t *timer)
{
	struct sched *s = timer->data;

	log_warnx("%d transfers still running after the grace period, "
	    "cancelling them", s->in_flight);
	close_fetcher(s);
	maybe_stopped(s);
}

void
sched_shutdown(struct sched *s, uint64_t grace_ms, void (*done)(void *arg),
    void *arg)
{
	struct feed_rt *f;

	if (s->stopping)
		return;
	s->stopping = true;
	s->stopped = done;
	s->stopped_arg = arg;
	for (f = s->feeds; f != NULL; f = f->next) {
		uv_timer_stop(&f->timer);
		f->queued = false;
	}
	s->ready_head = s->ready_tail = NULL;
	uv_timer_stop(&s->dispatch_timer);
	if (s->in_flight > 0 || s->parsing > 0) {
		if (s->in_flight > 0)
			log_info("waiting up to %" PRIu64 " s for %d transfers",
			    grace_ms / 1000, s->in_flight);
		uv_timer_start(&s->grace_timer, on_grace_over, grace_ms, 0);
	}
	maybe_stopped(s);
}
