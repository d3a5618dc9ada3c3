/*
 * parse.c - the entry point: bytes to UTF-8, then the reader for the
 * document's format.
 */
#include <errno.h>
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

/*
 * Takes *utf8 (len bytes) and frees it once the repair pass has copied it:
 * a large document is then held twice at most while it is parsed.
 */
static int
parse_utf8_xml(char **utf8, size_t len, const struct feed_parse_opts *o,
    struct feed_doc *doc, char *errbuf, size_t errlen)
{
	const char *buf = *utf8;
	struct xmlfix_stats stats;
	char *fixed = NULL;
	size_t fixed_len = 0, i;
	int r;

	for (i = 0; i < len && (buf[i] == ' ' || buf[i] == '\t' ||
	    buf[i] == '\n' || buf[i] == '\r'); i++)
		;
	if (i == len) {
		snprintf(errbuf, errlen, "not a feed: the document is empty");
		return FEED_ENOTFEED;
	}

	r = xmlfix_repair(buf, len, XMLFIX_MAX_OUT(len), &fixed, &fixed_len,
	    &stats);
	if (r == -E2BIG) {
		snprintf(errbuf, errlen, "the document grows past its size "
		    "cap when repaired");
		return FEED_ETOOBIG;
	}
	if (r < 0)
		return r;
	xmlfix_warnings(&stats, doc);
	free(*utf8);
	*utf8 = NULL;
	r = parse_xml(fixed, fixed_len, o->base_url, o->chunk_size, doc,
	    errbuf, errlen);
	free(fixed);
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
	r = charset_to_utf8(buf, len, o->http_charset, &cs);
	if (r < 0)
		goto out;
	charset_warnings(doc, &cs);

	/* JSON Feed starts with '{'; everything else is tried as XML. */
	for (i = 0; i < cs.len && (cs.buf[i] == ' ' || cs.buf[i] == '\t' ||
	    cs.buf[i] == '\n' || cs.buf[i] == '\r'); i++)
		;
	if (i < cs.len && cs.buf[i] == '{')
		r = parse_jsonfeed(cs.buf, cs.len, o->base_url, doc, errbuf,
		    errlen);
	else
		r = parse_utf8_xml(&cs.buf, cs.len, o, doc, errbuf, errlen);
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
