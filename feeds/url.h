/*
 * url.h - resolving and canonicalizing article URLs with libcurl's URL API
 * (no transfer is ever made from feeds/).
 */
#ifndef FEEDSPOOL_URL_H
#define FEEDSPOOL_URL_H

#include <stdbool.h>

/*
 * Resolves ref against base (base may be NULL).  On success stores a newly
 * allocated absolute URL in *ret (the caller frees it) and returns 0.
 * Returns -EINVAL when ref cannot be made absolute or is not a URL, and
 * -ENOMEM on allocation failure.  Surrounding whitespace in ref is ignored.
 */
int url_resolve(const char *base, const char *ref, char **ret);

/*
 * The canonical form of an absolute http(s) URL: scheme and host in lower
 * case, default port and fragment dropped, tracking parameters (utm_*,
 * fbclid, gclid, ...) removed, the other parameters kept in order.  Other
 * schemes are returned unchanged.  Same return convention as url_resolve.
 */
int url_canonicalize(const char *url, char **ret);

/*
 * The dedup key of a canonical URL: as url_canonicalize, and also
 * scheme-blind (http and https are the same article).  Used by the store.
 */
int url_dedup_key(const char *url, char **ret);

/* True when url (absolute) may appear in sanitized HTML: http, https, mailto. */
bool url_is_safe(const char *url);

#endif
