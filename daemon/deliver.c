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
};

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

int
deliver_documents(struct deliver *dl, struct sched_delivery *v, size_t n)
{
	struct pending *written = NULL;
	const struct feed_doc *doc;
	size_t budget = DELIVER_SLICE, nw = 0, i, j;
	int64_t now = (int64_t)time(NULL);
	int r = 0;

	/* Articles stuck in tmp/, marks lost with a failed commit. */
	(void)deliver_retry(dl);
	/* This delivery's transaction holds nothing else. */
	if ((r = state_begin_durable(dl->store)) < 0) {
		dl->recheck = true;
		goto fail_all;
	}
	written = calloc(budget + 1, sizeof(*written));
	if (written == NULL) {
		state_rollback(dl->store);
		r = -ENOMEM;
		goto fail_all;
	}
	for (i = 0; i < n && budget > 0; i++) {
		doc = v[i].doc;
		/* Oldest first, so spool names sort in the feed's order. */
		for (; v[i].next < doc->nitems && budget > 0; v[i].next++) {
			j = doc->nitems - 1 - v[i].next;
			r = deliver_item(dl, v[i].feed, doc, &doc->items[j],
			    now, written[nw].name);
			if (r < 0)
				goto fail;
			if (r == 1) {
				nw++;
				v[i].result++;
			}
			budget--;
		}
	}
	/* Durable before they are recorded (step 1 of the order above). */
	if (nw > 0 && (r = spool_sync_tmp(dl->spool)) < 0)
		goto fail;
	if ((r = state_flush_durable(dl->store)) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		v[i].done = v[i].next == v[i].doc->nitems;

	/* Recorded: now the articles may appear in new/. */
	for (i = 0; i < nw; i++) {
		r = spool_publish(dl->spool, written[i].name);
		if (r < 0) {
			/* Recorded as pending: deliver_retry() moves it. */
			log_warnx("spool: publishing %s: %s, will retry",
			    written[i].name, strerror(-r));
			dl->recheck = true;
		} else {
			state_item_published(dl->store, written[i].name);
		}
	}
	if (nw > 0 && (r = spool_sync_new(dl->spool)) < 0)
		log_warnx("spool: fsync of new/: %s", strerror(-r));
	free(written);
	if (nw > 0 && dl->on_new != NULL)
		dl->on_new(dl->arg);
	return (int)nw;

fail:
	/*
	 * Nothing of this slice stays.  Earlier slices of these documents
	 * are recorded, but their feeds' validators are not: the next polls
	 * fetch them again, and what was delivered is known by then.
	 */
	state_rollback(dl->store);
	dl->recheck = true;
	for (i = 0; i < nw; i++)
		spool_discard(dl->spool, written[i].name);
	free(written);
fail_all:
	for (i = 0; i < n; i++) {
		v[i].result = r;
		v[i].done = true;
	}
	return r;
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

	if (!dl->recheck)
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
