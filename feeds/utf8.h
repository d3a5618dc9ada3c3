/*
 * utf8.h - one UTF-8 decoder and encoder for feeds/.
 *
 * RFC 3629 strictly: no overlong forms, no surrogates, nothing past
 * U+10FFFF.  (charset.c keeps its own WHATWG decoder, which must say how
 * many bytes one U+FFFD replaces; that is a different question.)
 */
#ifndef FEEDSPOOL_UTF8_H
#define FEEDSPOOL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* What utf8_next() gives for a byte that starts no valid character. */
#define UTF8_BAD	0xFFFFFFFFu

/*
 * Decodes the character at s (len > 0 bytes left) into *ret_cp and
 * returns its length, or 0 when the bytes there are not a valid character
 * (a stray continuation byte, an overlong form, a surrogate, a value past
 * U+10FFFF, or a sequence cut short).
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *ret_cp);

/*
 * The same, for callers that skip bad bytes one at a time: an invalid
 * byte gives UTF8_BAD and a length of 1.
 */
size_t utf8_next(const unsigned char *s, size_t len, uint32_t *ret_cp);

/* Writes cp (at most U+10FFFF) into out as UTF-8; returns the length. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
