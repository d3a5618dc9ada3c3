/*
 * internal.h - what the files of config/ share; not for other modules.
 */
#ifndef FEEDSPOOL_CONFIG_INTERNAL_H
#define FEEDSPOOL_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* A quoted value in a message: at most this many bytes of it, then "...". */
#define CFG_QUOTE_MAX 60
/* Each byte may become 4 ("\xff"), and a character that starts within
 * the budget may run 3 bytes past it. */
#define CFG_QUOTE_SIZE ((CFG_QUOTE_MAX + 3) * 4 + 8)

/*
 * Appends "file:line: message" to errors; past CFG_MAX_ERRORS it only
 * counts.  A message too long for struct cfg_error is cut and ends in
 * "...".  Returns 0 or -ENOMEM (the error is counted as dropped).
 */
int cfg_error_add(struct cfg_errors *errors, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Writes s in double quotes into buf (CFG_QUOTE_SIZE bytes): control
 * bytes, bytes that are not valid UTF-8, '"' and '\' escaped ("\x07"),
 * cut after CFG_QUOTE_MAX bytes of s (on a character boundary) with
 * "...".  Returns buf, for use as a printf argument.
 */
const char *cfg_quote(char *buf, const char *s);

/* The length of the valid UTF-8 sequence of 2 to 4 bytes at p (no
 * overlong forms, surrogates or code points past U+10FFFF), or 0. */
size_t cfg_utf8_len(const unsigned char *p);

/*
 * Value checks.  Each returns NULL when s is acceptable, or what is wrong
 * with it, worded to follow the quoted value: "is not an http or https
 * URL", so that the caller writes `url: "ftp://x" is not ...`.
 */
const char *cfg_check_http_url(const char *s);
const char *cfg_check_proxy(const char *s);
const char *cfg_check_header(const char *s);
const char *cfg_check_ascii(const char *s);
const char *cfg_check_text(const char *s);
bool cfg_valid_feed_name(const char *s);

/*
 * "Name: value" -> *ret "Name: value" with the white space around the
 * value trimmed ("Name:" when the value is empty), and *ret_namelen.
 * s must have passed cfg_check_header().  Returns 0 or -ENOMEM.
 */
int cfg_header_normalize(const char *s, char **ret, size_t *ret_namelen);

/*
 * The form two feed URLs are compared in: scheme and host in lower case,
 * a default port and the fragment dropped, an empty path made "/".  s
 * must have passed cfg_check_http_url().  Returns 0 or -ENOMEM.
 */
int cfg_url_key(const char *s, char **ret);

/* The proxy URL with its password, if any, replaced by "***".  Returns
 * 0 or -ENOMEM. */
int cfg_proxy_masked(const char *s, char **ret);

/* Levenshtein distance, or limit + 1 when it is larger than limit. */
unsigned cfg_distance(const char *a, const char *b, unsigned limit);

#endif
