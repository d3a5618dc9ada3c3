/*
 * url.h - resolving and canonicalizing article URLs with libcurl's URL API
 * (no transfer is ever made from feeds/).
 */
#ifndef FEEDSPOOL_URL_H
#define FEEDSPOOL_URL_H

#include <stdbool.h>

/*
 * Longest input, in bytes, that any function here accepts: longer strings
 * are -EINVAL (or unsafe).  Browsers and servers commonly stop near 8 KiB,
 * and a cap keeps a hostile feed from making us copy megabytes per link.
 * Results may be longer, up to three times this, once percent-encoded.
 */
#define URL_MAX 8192

/*
 * Resolves ref against base (base may be NULL).  On success stores a newly
 * allocated absolute URL in *ret_url (the caller frees it) and returns 0.
 * Returns -EINVAL when ref cannot be made absolute or is not a URL, and
 * -ENOMEM on allocation failure.  Surrounding whitespace in ref is ignored.
 *
 * Tab, CR and LF inside ref are dropped (a link wrapped across lines);
 * spaces, '"', '<', '>' and 8-bit bytes are percent-encoded (an IDN host
 * comes back in UTF-8); other control characters are -EINVAL.
 * An absolute ref whose scheme is not http or https (mailto:, data:,
 * javascript:, tag:, ...) comes back as given with its scheme in lower
 * case: use url_is_safe() before putting a result in HTML.
 */
int url_resolve(const char *base, const char *ref, char **ret_url);

/*
 * The canonical form of an absolute http(s) URL: scheme and host in lower
 * case, default port and fragment dropped, tracking parameters (utm_*,
 * fbclid, gclid, ...) removed, the other parameters kept in order.  Other
 * schemes are returned unchanged.  Same return convention as url_resolve.
 */
int url_canonicalize(const char *url, char **ret_url);

/*
 * The dedup key of a canonical URL: as url_canonicalize, and also
 * scheme-blind (http and https are the same article).  Used by the store.
 * Same return convention as url_resolve; *ret_key is not a URL to fetch.
 */
int url_dedup_key(const char *url, char **ret_key);

/* True when url (absolute) may appear in sanitized HTML: http, https, mailto. */
bool url_is_safe(const char *url);

#endif
