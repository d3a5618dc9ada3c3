/*
 * parse.h - one feed document (RSS, RDF, Atom or JSON Feed) in, one
 * struct feed_doc of normalized items out.
 */
#ifndef FEEDSPOOL_PARSE_H
#define FEEDSPOOL_PARSE_H

#include <stddef.h>

#include "feed.h"

struct feed_parse_opts {
	const char *base_url;	/* where the document came from, or NULL */
	const char *http_charset; /* charset of the Content-Type, or NULL */
	size_t chunk_size;	/* feed libxml2 this many bytes at a time;
				   0 = the default, 64 KiB */

	/*
	 * Optional.  When set, RSS and Atom items are handed over one by
	 * one as each is read, and are not kept in the document: a large
	 * feed is then never held whole as items.  doc carries the feed's
	 * own fields as read before the first item (they are final only
	 * once feed_parse() returns).  The item is freed when the call
	 * returns.  A negative
	 * return stops the parse and feed_parse() returns it, with an
	 * empty error line.  JSON Feed, read whole by jansson, keeps its
	 * items in the document as without a hook.
	 */
	int (*on_item)(void *arg, const struct feed_doc *doc,
	    const struct feed_item *item);
	void *on_item_arg;

	/*
	 * Optional.  Called now and then with how far the parse has read
	 * through buf (an offset, rising within a pass; a new pass starts
	 * again from 0), so that the caller may let the memory behind go,
	 * as with madvise(MADV_DONTNEED) on a file mapping.  buf must stay
	 * readable: a pass may look back.
	 */
	void (*progress)(void *arg, size_t done);
	void *progress_arg;
};

/* Error codes beyond the negative errnos. */
#define FEED_ENOTFEED (-1000)	/* readable, but not RSS, Atom or JSON Feed */
#define FEED_ETOOBIG (-1001)	/* nesting, node or item limits exceeded */

#define FEED_ERROR_LEN 256

/*
 * Parses buf[0..len).  On success returns 0 and stores a new document in
 * *ret_doc (the caller frees it with feed_doc_free()); warnings about what
 * was recovered are in its warnings[].  On failure returns FEED_ENOTFEED,
 * FEED_ETOOBIG or -ENOMEM and writes one line saying why into
 * errbuf[0..errlen) (which may be NULL).
 */
int feed_parse(const char *buf, size_t len, const struct feed_parse_opts *opts,
    struct feed_doc **ret_doc, char *errbuf, size_t errlen);

#endif
