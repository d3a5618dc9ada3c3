/*
 * parse.c - the entry point: bytes to UTF-8, then the reader for the
 * document's format.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "parse.h"
#include "parse_internal.h"
#include "xmlfix.h"

static void
charset_warnings(struct feed_doc *doc, const struct charset_result *cs)
{
	if (cs->flags & CHARSET_UNKNOWN_LABEL)
		feed_doc_warn(doc, "unknown charset label \"%s\", read as %s",
		    cs->declared[0] ? cs->declared : "(from HTTP)",
		    cs->encoding);
	if (cs->flags & CHARSET_MISMATCH)
		feed_doc_warn(doc, "the declared charset does not fit the "
		    "bytes, read as %s", cs->encoding);
	if ((cs->flags & CHARSET_FALLBACK) &&
	    !(cs->flags & CHARSET_UNKNOWN_LABEL))
		feed_doc_warn(doc, "no charset declared and not UTF-8, read "
		    "as %s", cs->encoding);
	if (cs->flags & CHARSET_REPLACED)
		feed_doc_warn(doc, "bytes invalid in %s replaced by U+FFFD",
		    cs->encoding);
}

/* Where repaired pieces go, and whom to tell how far the input is read. */
struct pipe_to_reader {
	struct xml_reader *rd;
	const struct feed_parse_opts *o;
	bool in_place;		/* the text is inside the caller's buffer */
	size_t text_off;	/* ... at this offset */
};

/* xmlfix_repair_to()'s sink: each repaired piece goes to the reader. */
static int
to_reader(void *arg, const char *p, size_t n, size_t done)
{
	struct pipe_to_reader *pipe = arg;

	if (pipe->in_place && pipe->o->progress != NULL)
		pipe->o->progress(pipe->o->progress_arg, pipe->text_off + done);
	return xml_reader_push(pipe->rd, p, n);
}

/*
 * Repairs and reads cs's text (which may lie inside input, the caller's
 * buffer) in one pass: the repaired document is handed to the reader a
 * piece at a time, never held whole.
 */
static int
parse_utf8_xml(const struct charset_result *cs, const char *input,
    const struct feed_parse_opts *o, struct feed_doc *doc, char *errbuf,
    size_t errlen)
{
	struct pipe_to_reader pipe = {
		.o = o,
		.in_place = cs->buf == NULL,
		.text_off = cs->buf == NULL ? (size_t)(cs->text - input) : 0,
	};
	const char *buf = cs->text;
	size_t len = cs->len;
	struct xmlfix_stats stats;
	struct xml_reader *rd;
	struct feed_doc *repairs;
	size_t at = doc->nwarnings;
	int r;

	r = xml_reader_new(o, doc, &rd);
	if (r < 0)
		return r;
	pipe.rd = rd;
	r = xmlfix_repair_to(buf, len, XMLFIX_MAX_OUT(len), XMLFIX_PIECE,
	    to_reader, &pipe, &stats);
	if (r < 0 && r != XML_READER_STOPPED) {
		xml_reader_free(rd);
		if (r == -E2BIG)
			snprintf(errbuf, errlen, "the document grows past its "
			    "size cap when repaired");
		return r == -E2BIG ? FEED_ETOOBIG : r;
	}
	r = xml_reader_end(rd, errbuf, errlen);

	/* The repairs are known at the end; they are said first. */
	repairs = feed_doc_new();
	if (repairs == NULL)
		return r < 0 ? r : -ENOMEM;
	xmlfix_warnings(&stats, repairs);
	feed_doc_insert_warnings(doc, at, repairs);
	feed_doc_free(repairs);
	return r;
}

int
feed_parse(const char *buf, size_t len, const struct feed_parse_opts *opts,
    struct feed_doc **ret_doc, char *errbuf, size_t errlen)
{
	static const struct feed_parse_opts defaults;
	const struct feed_parse_opts *o = opts ? opts : &defaults;
	struct charset_result cs = { 0 };
	struct feed_doc *doc;
	char dummy[1];
	size_t i;
	int r;

	if (errbuf == NULL || errlen == 0) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	errbuf[0] = '\0';

	doc = feed_doc_new();
	if (doc == NULL)
		return -ENOMEM;
	r = charset_to_utf8_borrow(buf, len, o->http_charset, o->progress,
	    o->progress_arg, &cs);
	if (r < 0)
		goto out;
	charset_warnings(doc, &cs);
	/* A converted copy is read from now on, not the input. */
	if (cs.buf != NULL && o->progress != NULL)
		o->progress(o->progress_arg, len);

	/* JSON Feed starts with '{'; everything else is tried as XML. */
	for (i = 0; i < cs.len && (cs.text[i] == ' ' || cs.text[i] == '\t' ||
	    cs.text[i] == '\n' || cs.text[i] == '\r'); i++)
		;
	if (i == cs.len) {
		snprintf(errbuf, errlen, "not a feed: the document is empty");
		r = FEED_ENOTFEED;
	} else if (cs.text[i] == '{')
		r = parse_jsonfeed(cs.text, cs.len, o->base_url, doc, errbuf,
		    errlen);
	else
		r = parse_utf8_xml(&cs, buf, o, doc, errbuf, errlen);
out:
	free(cs.buf);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(errbuf, errlen, "out of memory");
		/* It quotes libxml2, which quotes the document. */
		feed_scrub_line(errbuf);
		feed_doc_free(doc);
		return r;
	}
	*ret_doc = doc;
	return 0;
}
