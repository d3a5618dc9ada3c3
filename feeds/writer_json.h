/*
 * writer_json.h - the JSON form of a document and its items, as
 * `feedspool parse` prints them and the spool stores them.
 */
#ifndef FEEDSPOOL_WRITER_JSON_H
#define FEEDSPOOL_WRITER_JSON_H

#include "buf.h"
#include "feed.h"
#include "json_out.h"

/*
 * {"type":"feed","format","title","link","id","updated"} and
 * {"type":"item","id","url","title","published","updated","author",
 * "categories","summary_html","content_html","content_text",
 * "enclosures":[{"url","type","length"}],"content_hash"}, keys in that
 * order, unknown values null, dates RFC 3339 UTC, compact, appended to
 * out.  Return 0, -ENOMEM, or -E2BIG past out's cap.
 */
int writer_json_feed(struct buf *out, const struct feed_doc *doc);
int writer_json_item(struct buf *out, const struct feed_item *item);

/*
 * The members of the item from "id" to "content_hash", into an object the
 * caller has opened, so that it can add members of its own (the spool
 * adds where the article came from).
 */
void writer_json_item_members(struct json_out *j,
    const struct feed_item *item);

#endif
