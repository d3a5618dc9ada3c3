/*
 * charset.h - turning a document's bytes into UTF-8 before parsing.
 *
 * Rules (RFC 7303 and what browsers do): a BOM wins; then the HTTP
 * charset; then the XML declaration (or <meta> for nothing else); then
 * UTF-8 when the bytes are valid UTF-8, else windows-1252.  ISO-8859-1 and
 * US-ASCII labels are read as windows-1252.  Bytes invalid in the chosen
 * encoding become U+FFFD; the document is never refused for them.
 */
#ifndef FEEDSPOOL_CHARSET_H
#define FEEDSPOOL_CHARSET_H

#include <stddef.h>

enum {
	CHARSET_REPLACED = 1 << 0,	/* invalid bytes became U+FFFD */
	CHARSET_FALLBACK = 1 << 1,	/* undeclared non-UTF-8: windows-1252 */
	CHARSET_UNKNOWN_LABEL = 1 << 2,	/* a declared label iconv lacks */
	CHARSET_MISMATCH = 1 << 3,	/* the declared charset did not fit */
};

struct charset_result {
	char *buf;		/* UTF-8, NUL-terminated, no BOM; caller frees */
	size_t len;
	char encoding[40];	/* the encoding actually used, canonical name */
	int flags;		/* CHARSET_* */
};

/*
 * Converts buf[0..len) to UTF-8.  http_charset is the charset parameter of
 * the Content-Type header or of --charset (may be NULL).  Returns 0 and
 * fills *ret, or -ENOMEM.
 */
int charset_to_utf8(const char *buf, size_t len, const char *http_charset,
    struct charset_result *ret);

#endif
