/*
 * writer_json.h - the JSON form of a document and its items, as
 * `feedspool parse` prints them and the spool stores them.
 */
#ifndef FEEDSPOOL_WRITER_JSON_H
#define FEEDSPOOL_WRITER_JSON_H

#include <jansson.h>

#include "feed.h"

/*
 * {"type":"feed","format","title","link","id","updated"} and
 * {"type":"item","id","url","title","published","updated","author",
 * "categories","summary_html","content_html","content_text",
 * "enclosures":[{"url","type","length"}],"content_hash"}, keys in that
 * order, unknown values null, dates RFC 3339 UTC.  The caller owns the
 * returned reference (json_decref); NULL on ENOMEM.
 */
json_t *writer_json_feed(const struct feed_doc *doc);
json_t *writer_json_item(const struct feed_item *item);

#endif
