/*
 * deliver.c - new items into the spool, exactly once.
 *
 * The order of writes is what makes a crash at any moment harmless:
 *
 *   1. each new article is written to spool tmp/, and tmp/ is synced
 *      once (syncfs) for the whole document;
 *   2. one transaction records every article's dedup keys, marked
 *      pending, with its spool name; COMMIT;
 *   3. each file is renamed from tmp/ into new/, and new/ is fsynced;
 *   4. the rows are marked published (batched with later writes).
 *
 * A crash before 2 leaves only files in tmp/, which the next start
 * deletes; the items are not recorded, so the next poll delivers them.
 * A crash between 2 and 4 leaves pending rows: at start, each one whose
 * file is still in tmp/ is renamed into new/ (its rename never happened);
 * one whose file is gone was renamed already.  Nothing is ever delivered
 * twice, nothing is lost, and new/ never holds a partial file.  The feed's
 * validators are committed after step 2, so a crash before it makes the
 * next poll fetch the whole body again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deliver.h"
#include "log.h"
#include "url.h"
#include "writer_json.h"

/* Less text than this does not identify an article by its content. */
#define MIN_HASHED_TEXT 32

struct pending {
	char name[SPOOL_NAME_MAX];
	int rename_r;		/* spool_publish()'s result */
};

/* The files one slice wrote to tmp/. */
struct slice {
	struct pending *written;
	size_t nw;
};

static void fail_slice(struct deliver *dl, struct sched_delivery *v,
    size_t n, struct slice *sl, int r);

/*
 * The article as the spool and the merged outputs keep it: the item
 * fields of `feedspool parse`, and where and when it came from.
 */
static char *
article_json(const struct feed_conf *feed, const struct feed_doc *doc,
    const struct feed_item *item, int64_t fetched_at, const char *replaces,
    size_t *ret_len)
{
	const char *feed_title = feed->title ? feed->title : doc->title;
	char when[32];
	struct tm tm;
	time_t t = (time_t)fetched_at;
	struct json_out j;
	struct buf b;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	buf_init(&b, SIZE_MAX);
	json_out_init(&j, &b);
	json_out_object(&j, NULL);
	writer_json_item_members(&j, item);
	json_out_string(&j, "feed", feed->name);
	json_out_string(&j, "feed_title", feed_title);
	json_out_string(&j, "feed_link", doc->link);
	json_out_string(&j, "feed_id", doc->id);
	json_out_string(&j, "feed_url", feed->url);
	json_out_string(&j, "fetched_at", when);
	if (replaces != NULL)
		json_out_string(&j, "replaces", replaces);
	json_out_close_object(&j);
	if (json_out_finish(&j) < 0) {
		buf_free(&b);
		return NULL;
	}
	*ret_len = b.len;
	return buf_steal(&b);
}

static int64_t
sort_time(const struct feed_item *item, int64_t fetched_at)
{
	if (item->published != FEED_TIME_UNKNOWN)
		return item->published;
	if (item->updated != FEED_TIME_UNKNOWN)
		return item->updated;
	return fetched_at;
}

/*
 * Decides and writes one item.  Returns 1 when it was written to tmp/
 * (name filled in), 0 when it is known, or a negative errno.
 */
static int
deliver_item(struct deliver *dl, const struct feed_conf *feed,
    const struct feed_doc *doc, const struct feed_item *item,
    int64_t now, char name[SPOOL_NAME_MAX])
{
	struct item_match m;
	struct item_keys k = { .feed = feed->name, .item_id = item->id };
	char *url_key = NULL, *article = NULL, synthetic[80];
	const char *replaces = NULL;
	size_t article_len = 0;
	int r;

	if (item->url != NULL && (r = url_dedup_key(item->url,
	    &url_key)) == -ENOMEM)
		return r;
	k.url_key = url_key;
	if (item->content_text != NULL &&
	    strnlen(item->content_text, MIN_HASHED_TEXT) == MIN_HASHED_TEXT)
		k.content_hash = item->content_hash;
	/*
	 * No id, no URL, too little text for a global hash key: the content
	 * hash still names the item within its own feed, or it would come
	 * back as new at every poll.
	 */
	if (k.item_id == NULL && k.url_key == NULL && k.content_hash == NULL) {
		snprintf(synthetic, sizeof(synthetic), "content:%s",
		    item->content_hash);
		k.item_id = synthetic;
	}

	r = state_item_find(dl->store, &k, &m);
	if (r < 0)
		goto out;
	if (r == 1) {
		/*
		 * Known.  An edit is the same item with another text: found
		 * by its own id, or by URL when it has no id (a URL match
		 * from another item of another feed is not an edit of it).
		 * It is delivered again only with updates = spool.
		 */
		bool edited = !m.same_hash && (m.by_id ||
		    (k.item_id == NULL && !m.by_hash));

		if (!edited || !feed->updates_spool) {
			r = state_item_seen(dl->store, m.seq, edited ?
			    k.content_hash : NULL, now);
			r = r < 0 ? r : 0;
			goto out;
		}
		replaces = m.spool_name[0] ? m.spool_name : NULL;
		if ((r = state_item_seen(dl->store, m.seq, k.content_hash,
		    now)) < 0)
			goto out;
	}
	article = article_json(feed, doc, item, now, replaces, &article_len);
	if (article == NULL) {
		r = -ENOMEM;
		goto out;
	}
	r = spool_write_tmp(dl->spool, item->content_hash, article,
	    article_len, true, name);
	if (r < 0)
		goto out;
	r = state_item_add(dl->store, &k, name, sort_time(item, now), article,
	    now);
	if (r < 0) {
		spool_discard(dl->spool, name);
		goto out;
	}
	r = 1;
out:
	free(url_key);
	free(article);
	return r;
}

static int recover_one(const char *name, void *arg);

static void
drop_keep(struct deliver *dl)
{
	size_t i;

	for (i = 0; i < dl->nkeep; i++)
		free(dl->keep[i]);
	free(dl->keep);
	dl->keep = NULL;
	dl->nkeep = 0;
}

/*
 * Step 1 without its sync: decides and writes a slice of items to tmp/,
 * recording them in a transaction left open.  Fills *ret (the files
 * written).  On failure nothing of the slice stays and every v[i] is done
 * with the error.
 */
static int
write_slice(struct deliver *dl, struct sched_delivery *v, size_t n,
    bool durable, struct slice *ret)
{
	struct pending *written;
	const struct feed_doc *doc;
	size_t budget = DELIVER_SLICE, nw = 0, i, j;
	int64_t now = (int64_t)time(NULL);
	int r;

	memset(ret, 0, sizeof(*ret));
	/* Articles stuck in tmp/, marks lost with a failed commit. */
	(void)deliver_retry(dl);
	/* This delivery's transaction holds nothing else. */
	r = durable ? state_begin_durable(dl->store) :
	    state_begin(dl->store);
	if (r < 0) {
		fail_slice(dl, v, n, ret, r);
		return r;
	}
	written = calloc(budget + 1, sizeof(*written));
	if (written == NULL) {
		fail_slice(dl, v, n, ret, -ENOMEM);
		return -ENOMEM;
	}
	ret->written = written;
	for (i = 0; i < n && budget > 0; i++) {
		doc = v[i].doc;
		/* Oldest first, so spool names sort in the feed's order. */
		for (; v[i].next < doc->nitems && budget > 0; v[i].next++) {
			j = doc->nitems - 1 - v[i].next;
			r = deliver_item(dl, v[i].feed, doc, &doc->items[j],
			    now, written[nw].name);
			if (r < 0) {
				ret->nw = nw;
				fail_slice(dl, v, n, ret, r);
				return r;
			}
			if (r == 1) {
				nw++;
				v[i].result++;
			}
			budget--;
		}
	}
	ret->nw = nw;
	return 0;
}

/*
 * Nothing of this slice stays.  Earlier slices of these documents are
 * recorded, but their feeds' validators are not: the next polls fetch
 * them again, and what was delivered is known by then.
 */
static void
fail_slice(struct deliver *dl, struct sched_delivery *v, size_t n,
    struct slice *sl, int r)
{
	size_t i;

	state_hold(dl->store, false);
	state_rollback(dl->store);
	dl->recheck = true;
	for (i = 0; i < sl->nw; i++)
		spool_discard(dl->spool, sl->written[i].name);
	free(sl->written);
	sl->written = NULL;
	sl->nw = 0;
	for (i = 0; i < n; i++) {
		v[i].result = r;
		v[i].done = true;
	}
}

/* Recorded: each document whose items are all written is done. */
static void
mark_done(struct sched_delivery *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i].done = v[i].next == v[i].doc->nitems;
}

/* Step 3's renames, each one's result in its rename_r. */
static void
rename_slice(struct deliver *dl, struct slice *sl)
{
	size_t i;

	for (i = 0; i < sl->nw; i++)
		sl->written[i].rename_r = spool_publish(dl->spool,
		    sl->written[i].name);
}

/* Step 4: what reached new/ (and new/ was synced) is marked published. */
static void
mark_published(struct deliver *dl, struct slice *sl)
{
	size_t i;

	for (i = 0; i < sl->nw; i++) {
		if (sl->written[i].rename_r < 0) {
			/* Recorded as pending: deliver_retry() moves it. */
			log_warnx("spool: publishing %s: %s, will retry",
			    sl->written[i].name,
			    strerror(-sl->written[i].rename_r));
			dl->recheck = true;
		} else {
			state_item_published(dl->store, sl->written[i].name);
		}
	}
}

int
deliver_documents(struct deliver *dl, struct sched_delivery *v, size_t n)
{
	struct slice sl;
	int r;

	if ((r = write_slice(dl, v, n, true, &sl)) < 0)
		return r;
	/* Durable before they are recorded (step 1 of the order above). */
	if ((sl.nw > 0 && (r = spool_sync_tmp(dl->spool)) < 0) ||
	    (r = state_flush_durable(dl->store)) < 0) {
		fail_slice(dl, v, n, &sl, r);
		return r;
	}
	mark_done(v, n);
	/* Recorded: now the articles may appear in new/. */
	rename_slice(dl, &sl);
	if (sl.nw > 0 && (r = spool_sync_new(dl->spool)) < 0)
		log_warnx("spool: fsync of new/: %s", strerror(-r));
	mark_published(dl, &sl);
	free(sl.written);
	if (sl.nw > 0 && dl->on_new != NULL)
		dl->on_new(dl->arg);
	return (int)sl.nw;
}

/*
 * The same order of writes, with every sync on the threadpool: the loop
 * goes on fetching and parsing while the disk catches up.
 *
 *   loop:    write the slice to tmp/, rows in a transaction kept open
 *            (held: the batched commits of other writes join it);
 *   thread:  syncfs of the spool (step 1);
 *   loop:    COMMIT, without a sync of its own (step 2);
 *   thread:  syncfs of the state's file system (now the commit is on
 *            disk), the renames and the fsync of new/ (step 3);
 *   loop:    the published marks (step 4), then the scheduler is told.
 *
 * One delivery at a time: the scheduler gathers what is parsed meanwhile
 * into the next one.
 */
struct inflight {
	uv_work_t work;
	struct deliver *dl;
	struct sched_delivery *v;
	size_t n;
	struct slice sl;
	int sync_r;		/* the thread's result */
	deliver_done_fn *done;
	void *arg;
};

static void
finish_inflight(struct inflight *f)
{
	struct deliver *dl = f->dl;
	deliver_done_fn *done = f->done;
	struct sched_delivery *v = f->v;
	size_t n = f->n, nw = f->sl.nw;
	void *arg = f->arg;

	free(f->sl.written);
	free(f);
	dl->inflight = NULL;
	if (nw > 0 && dl->on_new != NULL)
		dl->on_new(dl->arg);
	/* Last: the scheduler may free what it owns, dl's owner included. */
	done(v, n, arg);
}

/* Runs work on the threadpool, or here when it cannot be queued. */
static void
queue_or_run(struct inflight *f, uv_work_cb work, uv_after_work_cb after)
{
	f->work.data = f;
	if (uv_queue_work(f->dl->loop, &f->work, work, after) < 0) {
		work(&f->work);
		after(&f->work, 0);
	}
}

static void
work_publish(uv_work_t *req)
{
	struct inflight *f = req->data;
	struct deliver *dl = f->dl;
	size_t i;
	int r;

	/* The renames wait for the commit to be on disk. */
	f->sync_r = state_sync_committed(dl->store);
	if (f->sync_r < 0) {
		for (i = 0; i < f->sl.nw; i++)
			f->sl.written[i].rename_r = f->sync_r;
		return;
	}
	rename_slice(dl, &f->sl);
	if ((r = spool_sync_new(dl->spool)) < 0)
		f->sync_r = r;
}

static void
after_publish(uv_work_t *req, int status)
{
	struct inflight *f = req->data;

	(void)status;
	if (f->sync_r < 0)
		log_warnx("spool: syncing the state or new/: %s",
		    strerror(-f->sync_r));
	mark_published(f->dl, &f->sl);
	finish_inflight(f);
}

static void
work_sync_tmp(uv_work_t *req)
{
	struct inflight *f = req->data;

	f->sync_r = spool_sync_tmp(f->dl->spool);
}

static void
after_sync_tmp(uv_work_t *req, int status)
{
	struct inflight *f = req->data;
	struct deliver *dl = f->dl;
	int r = f->sync_r;

	(void)status;
	state_hold(dl->store, false);
	/*
	 * A COMMIT fails too when SQLite rolled the transaction back on its
	 * own (a full disk in a write that joined it): nothing is renamed
	 * into new/ that is not recorded.
	 */
	if (r < 0 || (r = state_flush(dl->store)) < 0) {
		fail_slice(dl, f->v, f->n, &f->sl, r);
		finish_inflight(f);
		return;
	}
	mark_done(f->v, f->n);
	queue_or_run(f, work_publish, after_publish);
}

void
deliver_documents_async(struct deliver *dl, struct sched_delivery *v,
    size_t n, deliver_done_fn *done, void *arg)
{
	struct inflight *f;
	size_t i;
	int r;

	/* Without syncs there is nothing to wait for. */
	if (dl->loop == NULL || !spool_syncs(dl->spool)) {
		(void)deliver_documents(dl, v, n);
		done(v, n, arg);
		return;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		for (i = 0; i < n; i++) {
			v[i].result = -ENOMEM;
			v[i].done = true;
		}
		done(v, n, arg);
		return;
	}
	f->dl = dl;
	f->v = v;
	f->n = n;
	f->done = done;
	f->arg = arg;
	r = write_slice(dl, v, n, false, &f->sl);
	dl->inflight = f;
	if (r < 0) {
		finish_inflight(f);
		return;
	}
	if (f->sl.nw == 0) {
		/* Only "seen again" marks: no file waits for this commit. */
		if ((r = state_flush(dl->store)) < 0)
			fail_slice(dl, v, n, &f->sl, r);
		else
			mark_done(v, n);
		finish_inflight(f);
		return;
	}
	state_hold(dl->store, true);
	queue_or_run(f, work_sync_tmp, after_sync_tmp);
}

int
deliver_document(struct deliver *dl, const struct feed_conf *feed,
    const struct feed_doc *doc)
{
	struct sched_delivery v = { .feed = feed, .doc = doc };
	int r;

	do
		r = deliver_documents(dl, &v, 1);
	while (r >= 0 && !v.done);
	return r < 0 ? r : v.result;
}

static int
recover_one(const char *name, void *arg)
{
	struct deliver *dl = arg;
	char **keep;
	int r;

	if (spool_in_tmp(dl->spool, name)) {
		r = spool_publish(dl->spool, name);
		if (r < 0) {
			/* Still pending: the file stays for the next try. */
			log_warnx("spool: publishing %s: %s, will retry", name,
			    strerror(-r));
			keep = reallocarray(dl->keep, dl->nkeep + 1,
			    sizeof(*keep));
			if (keep == NULL || (keep[dl->nkeep] = strdup(name)) ==
			    NULL) {
				if (keep != NULL)
					dl->keep = keep;
				return -ENOMEM;
			}
			dl->keep = keep;
			dl->nkeep++;
			return 0;
		}
		log_info("spool: %s recovered into new/", name);
		dl->recovered++;
	}
	return state_item_published(dl->store, name);
}

/* Files in tmp/ that pending rows still name stay; the rest never got
 * recorded and go. */
static bool
is_pending(const char *name, void *arg)
{
	struct deliver *dl = arg;
	size_t i;

	for (i = 0; i < dl->nkeep; i++)
		if (strcmp(dl->keep[i], name) == 0)
			return true;
	return false;
}

int
deliver_retry(struct deliver *dl)
{
	int r;

	/*
	 * Not while a delivery waits for its syncs: its rows are pending
	 * too, and their files must not reach new/ before they are synced.
	 */
	if (!dl->recheck || dl->inflight != NULL)
		return 0;
	dl->recheck = false;
	dl->recovered = 0;
	r = state_items_pending(dl->store, recover_one, dl);
	if (r < 0 || dl->nkeep > 0)
		dl->recheck = true;
	drop_keep(dl);
	if (dl->recovered > 0) {
		if (spool_sync_new(dl->spool) < 0)
			log_warnx("spool: fsync of new/ failed");
		if (dl->on_new != NULL)
			dl->on_new(dl->arg);
	}
	return r < 0 ? r : dl->recovered;
}

int
deliver_recover(struct deliver *dl)
{
	int r;

	dl->recovered = 0;
	r = state_items_pending(dl->store, recover_one, dl);
	if (r < 0)
		return r;
	if (dl->recovered > 0 && (r = spool_sync_new(dl->spool)) < 0)
		return r;
	if ((r = state_flush(dl->store)) < 0)
		return r;
	r = spool_clean_tmp(dl->spool, is_pending, dl);
	if (r > 0)
		log_info("spool: removed %d unrecorded files from tmp/", r);
	drop_keep(dl);
	return r < 0 ? r : 0;
}
