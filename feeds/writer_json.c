/*
 * writer_json.c - documents and items as JSON objects.
 */
#include "date.h"
#include "writer_json.h"

static void
put_time(struct json_out *j, const char *key, int64_t t)
{
	char buf[DATE_RFC3339_LEN + 1];

	if (t == FEED_TIME_UNKNOWN ||
	    date_format_rfc3339(t, buf, sizeof(buf)) < 0)
		json_out_null(j, key);
	else
		json_out_string(j, key, buf);
}

int
writer_json_feed(struct buf *out, const struct feed_doc *doc)
{
	struct json_out j;

	json_out_init(&j, out);
	json_out_object(&j, NULL);
	json_out_string(&j, "type", "feed");
	json_out_string(&j, "format", feed_format_name(doc->format));
	json_out_string(&j, "title", doc->title);
	json_out_string(&j, "link", doc->link);
	json_out_string(&j, "id", doc->id);
	put_time(&j, "updated", doc->updated);
	json_out_close_object(&j);
	return json_out_finish(&j);
}

void
writer_json_item_members(struct json_out *j, const struct feed_item *item)
{
	size_t i;

	json_out_string(j, "id", item->id);
	json_out_string(j, "url", item->url);
	json_out_string(j, "title", item->title);
	put_time(j, "published", item->published);
	put_time(j, "updated", item->updated);
	json_out_string(j, "author", item->author);
	json_out_array(j, "categories");
	for (i = 0; i < item->ncategories; i++)
		json_out_string(j, NULL, item->categories[i]);
	json_out_close_array(j);
	json_out_string(j, "summary_html", item->summary_html);
	json_out_string(j, "content_html", item->content_html);
	json_out_string(j, "content_text", item->content_text);
	json_out_array(j, "enclosures");
	for (i = 0; i < item->nenclosures; i++) {
		const struct feed_enclosure *enc = &item->enclosures[i];

		json_out_object(j, NULL);
		json_out_string(j, "url", enc->url);
		json_out_string(j, "type", enc->type);
		if (enc->length >= 0)
			json_out_int(j, "length", enc->length);
		else
			json_out_null(j, "length");
		json_out_close_object(j);
	}
	json_out_close_array(j);
	json_out_string(j, "content_hash", item->content_hash);
}

int
writer_json_item(struct buf *out, const struct feed_item *item)
{
	struct json_out j;

	json_out_init(&j, out);
	json_out_object(&j, NULL);
	json_out_string(&j, "type", "item");
	writer_json_item_members(&j, item);
	json_out_close_object(&j);
	return json_out_finish(&j);
}
