/*
 * writer.h - the merged feed: Atom 1.0, RSS 2.0 and JSON Feed 1.1.
 *
 * The daemon hands the newest articles across all feeds, newest first;
 * each writer returns the whole document in a new buffer.  Nothing here
 * touches the disk: the daemon writes the buffer to a temporary file and
 * renames it.
 */
#ifndef FEEDSPOOL_WRITER_H
#define FEEDSPOOL_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "feed.h"

/* Where an article came from: the feed as configured and as it says. */
struct writer_source {
	const char *name;	/* the [feed.NAME] of the configuration */
	const char *title;	/* the feed's title (or the configured one) */
	const char *link;	/* the feed's home page, or NULL */
	const char *id;		/* the feed's Atom id, or NULL */
	const char *url;	/* the URL the feed is polled at */
};

struct writer_entry {
	const struct feed_item *item;	/* sanitized, as feed_parse made it */
	struct writer_source source;
	int64_t fetched_at;		/* seconds since the epoch, UTC */
};

struct writer_meta {
	const char *title;	/* output_title */
	const char *self_url;	/* where the merged feed is served, or NULL */
	const char *id;		/* a stable id for the merged feed */
	int64_t updated;	/* the newest entry's time, or now */
	const char *generator_version;
};

/*
 * Each writes the document for entries[0..n) into a new NUL-terminated
 * buffer (*ret, length *ret_len; the caller frees it).  Returns 0 or
 * -ENOMEM.
 */
int writer_atom(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len);
int writer_rss(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len);
int writer_jsonfeed(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len);

/*
 * The id an entry keeps in the merged feeds: the item's own id, or a
 * stable tag: URI made from the feed name and the content hash when the
 * feed gave none (RFC 4151).  Returns a new string, or NULL on ENOMEM.
 */
char *writer_entry_id(const struct writer_entry *e);

#endif
