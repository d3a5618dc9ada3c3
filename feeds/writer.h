/*
 * writer.h - the merged feed: Atom 1.0, RSS 2.0 and JSON Feed 1.1.
 *
 * The daemon hands the newest articles across all feeds, newest first;
 * each writer returns the whole document in a new buffer, entries in the
 * order given.  Nothing here touches the disk: the daemon writes the
 * buffer to a temporary file and renames it.  The same input gives the
 * same bytes (no clock is read), so the daemon can skip a rewrite that
 * would change nothing.
 */
#ifndef FEEDSPOOL_WRITER_H
#define FEEDSPOOL_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "feed.h"

/* A document past this size is refused with -E2BIG. */
#define WRITER_MAX_OUTPUT	((size_t)512 << 20)

/* Where an article came from: the feed as configured and as it says. */
struct writer_source {
	const char *name;	/* the [feed.NAME] of the configuration */
	const char *title;	/* the feed's title (or the configured one) */
	const char *link;	/* the feed's home page, or NULL */
	const char *id;		/* the feed's Atom id, or NULL */
	const char *url;	/* the URL the feed is polled at */
};

/* Borrowed: the caller owns the item and the source strings. */
struct writer_entry {
	const struct feed_item *item;	/* sanitized, as feed_parse made it */
	struct writer_source source;
	int64_t fetched_at;		/* seconds since the epoch, UTC */
};

/*
 * Every field may be NULL (or FEED_TIME_UNKNOWN); the writers fall back
 * to something valid: the title "feedspool", the id self_url or
 * "tag:feedspool,2026:merged", the time of the newest entry (1970 when
 * no time is known at all), RSS's <link> self_url.
 */
struct writer_meta {
	const char *title;	/* output_title */
	const char *self_url;	/* where the merged feed is served, or NULL */
	const char *link;	/* a web page for it, or NULL (RSS <link>,
				   Atom alternate, JSON home_page_url) */
	const char *id;		/* a stable id for the merged feed */
	int64_t updated;	/* the newest entry's time, or now */
	const char *generator_version;
};

/*
 * Each writes the document for entries[0..n) into a new NUL-terminated
 * buffer (*ret, length *ret_len; the caller frees it).  Returns 0,
 * -ENOMEM, or -E2BIG past WRITER_MAX_OUTPUT; *ret and *ret_len are
 * written only on success.
 */
int writer_atom(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len);
int writer_rss(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len);
int writer_jsonfeed(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n, char **ret, size_t *ret_len);

/*
 * The id an entry keeps in the merged feeds: the item's own id, or else
 * a tag: URI (RFC 4151) made from the feed name and the content hash,
 *
 *	tag:feedspool,2026:NAME:CONTENT_HASH
 *
 * (NAME percent-encoded outside A-Z a-z 0-9 - . _ ~, "unknown" when
 * there is none).  Nothing in it depends on the time, so the same
 * article keeps its id across runs and restarts.  Returns a new string,
 * or NULL on ENOMEM.
 */
char *writer_entry_id(const struct writer_entry *e);

/*
 * Shared by the writers.
 */

/*
 * An XML document being written.  The first failure sticks in error and
 * later writes do nothing, so a writer checks once, at the end.
 */
struct writer_xml {
	struct buf b;		/* capped at WRITER_MAX_OUTPUT */
	int error;		/* 0, -ENOMEM or -E2BIG */
};

void writer_xml_init(struct writer_xml *x);
/* Appends s as it is: markup of ours. */
void writer_xml_raw(struct writer_xml *x, const char *s);
/*
 * Appends s escaped for XML character data, or with attr for a
 * double-quoted attribute value: &, <, >, " and CR become references, and
 * in an attribute also tab and LF, which attribute value normalization
 * would turn into spaces.  What XML 1.0 cannot carry (most C0 controls,
 * U+FFFE, U+FFFF) is left out, and bytes that are not UTF-8 become
 * U+FFFD.
 */
void writer_xml_str(struct writer_xml *x, const char *s, bool attr);
/* indent <name>s</name> and a newline; nothing when s is NULL or "". */
void writer_xml_elem(struct writer_xml *x, const char *indent,
    const char *name, const char *s);
/*
 * Hands the document over (*ret, *ret_len) and returns 0, or frees it and
 * returns the first error.
 */
int writer_xml_finish(struct writer_xml *x, char **ret, size_t *ret_len);

/*
 * A copy of s that is valid UTF-8 (bad bytes become U+FFFD), for jansson,
 * which refuses anything else.  NULL on ENOMEM.
 */
char *writer_utf8_valid(const char *s);

/*
 * The title an entry shows: the item's own; else the start of its text
 * (white space folded, at most about 80 characters, cut between words
 * and marked with an ellipsis); else "(untitled)".  Returns a new
 * string, or NULL on ENOMEM.
 */
char *writer_entry_title(const struct writer_entry *e);

/* The item's updated time, else published, else fetched_at, else unknown. */
int64_t writer_entry_updated(const struct writer_entry *e);

/*
 * The time the merged feed was updated: meta->updated, else the newest
 * entry's (writer_entry_updated), else 0; always one the date formatters
 * accept.
 */
int64_t writer_meta_updated(const struct writer_meta *meta,
    const struct writer_entry *entries, size_t n);

/* The source feed's id: its own, else "tag:feedspool,2026:NAME". */
char *writer_source_id(const struct writer_entry *e);

#endif
