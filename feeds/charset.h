/*
 * charset.h - turning a document's bytes into UTF-8 before parsing.
 *
 * Rules (RFC 7303 and what browsers do): a BOM wins; then a UTF-16/32
 * byte pattern at the start (XML 1.0 appendix F); then the HTTP charset;
 * then the XML declaration; then UTF-8 when the bytes are valid UTF-8,
 * else windows-1252.  Labels map as in the WHATWG Encoding Standard, so
 * ISO-8859-1 and US-ASCII labels are read as windows-1252.  Bytes invalid
 * in the chosen encoding become U+FFFD; the document is never refused for
 * them.
 *
 * The output starts where the document does: the BOM, leading whitespace
 * and the XML declaration are gone, so the parser sees plain UTF-8 with
 * no encoding label to contradict it.
 */
#ifndef FEEDSPOOL_CHARSET_H
#define FEEDSPOOL_CHARSET_H

#include <stddef.h>
#include <stdint.h>

enum {
	CHARSET_REPLACED = 1 << 0,	/* invalid bytes became U+FFFD */
	CHARSET_FALLBACK = 1 << 1,	/* undeclared non-UTF-8: windows-1252 */
	CHARSET_UNKNOWN_LABEL = 1 << 2,	/* a declared label iconv lacks */
	CHARSET_MISMATCH = 1 << 3,	/* the declared charset did not fit */
};

/*
 * Filled by a successful charset_to_utf8(); from then on the caller owns
 * buf and frees it with free().
 */
struct charset_result {
	char *buf;		/* UTF-8, NUL-terminated, no BOM; caller frees;
				   NULL when borrowed */
	const char *text;	/* the UTF-8: buf, or when borrowed a part of
				   the input, not NUL-terminated */
	size_t len;
	char encoding[40];	/* the encoding actually used, canonical name */
	char declared[40];	/* the XML declaration's encoding label,
				 * trimmed, non-ASCII as '?', cut to fit;
				 * "" without one */
	int flags;		/* CHARSET_* */
};

/*
 * U+0080..U+009F read as windows-1252, the way browsers read &#128; to
 * &#159; and text decoded with the wrong charset: the character it stands
 * for, or 0 outside that range and for the five code points windows-1252
 * leaves unassigned.
 */
uint32_t charset_cp1252_c1(uint32_t cp);

/*
 * Converts buf[0..len) to UTF-8.  http_charset is the charset parameter of
 * the Content-Type header or of --charset (may be NULL).  Returns 0 and
 * fills *ret, or -ENOMEM, or -E2BIG when len is too large to convert
 * within the output bound (4 * len + 256 bytes); *ret is written only on
 * success.  Bad bytes or labels are never an error: see the flags.
 */
int charset_to_utf8(const char *buf, size_t len, const char *http_charset,
    struct charset_result *ret);

/*
 * The same, except that when buf is UTF-8 already (valid, read as UTF-8)
 * ret->text points into buf, past its BOM and XML declaration, and
 * ret->buf is NULL: a large document is not copied.  buf must then
 * outlive the use of ret->text.  progress (may be NULL) is called with
 * arg as the check for UTF-8 goes through buf, with how far it got: the
 * caller may let the memory behind go (see feed_parse_opts).
 */
int charset_to_utf8_borrow(const char *buf, size_t len,
    const char *http_charset, void (*progress)(void *arg, size_t done),
    void *arg, struct charset_result *ret);

#endif
