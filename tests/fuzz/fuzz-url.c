/*
 * fuzz-url.c - url_resolve(), url_canonicalize(), url_dedup_key() and
 * url_is_safe() of feeds/url.c.
 *
 * Input: "BASE\nREF", or REF alone (no base) when there is no newline;
 * each string ends at its first NUL.  Properties:
 *  - every function returns 0, -EINVAL or -ENOMEM and leaves its
 *    out-parameter alone on failure;
 *  - (results longer than URL_MAX, which url.h allows once escaped, are
 *    not fed back in: inputs that long are refused by design);
 *  - what url_resolve() returns is absolute ("scheme:...") and, when it
 *    is http(s), resolves to itself again against the same base (but
 *    for an empty fragment, see same_but_empty_fragment).  Other
 *    schemes are not held to it: an absolute ftp: ref comes back as
 *    cleaned (8-bit bytes escaped), while a relative ref against an
 *    ftp: base goes through curl, which decodes the host to UTF-8;
 *  - url_canonicalize() is idempotent: canon(canon(x)) == canon(x);
 *  - url_dedup_key() succeeds exactly when url_canonicalize() does, is
 *    the same for x and canon(x), and never starts with "https://";
 *  - url_is_safe() says yes only to http:, https: and mailto: strings
 *    without spaces or control characters.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "url.h"

static char sentinel[] = "untouched";

typedef int (*map_fn)(const char *, char **);

static const char *
show(const char *s)
{
	return s != NULL ? s : "(null)";
}

static void
check_ret(const char *what, const char *in, int r, const char *out)
{
	if (r == 0) {
		FUZZ_CHECK(out != NULL && out != sentinel, "%s(\"%s\"): 0 "
		    "without a result", what, in);
		return;
	}
	FUZZ_CHECK(r == -EINVAL || r == -ENOMEM, "%s(\"%s\") = %d", what, in,
	    r);
	FUZZ_CHECK(out == sentinel, "%s(\"%s\") failed but wrote its result",
	    what, in);
}

static void
check_safe(const char *s)
{
	const unsigned char *p;

	if (s == NULL || !url_is_safe(s))
		return;
	FUZZ_CHECK(strncasecmp(s, "http:", 5) == 0 ||
	    strncasecmp(s, "https:", 6) == 0 ||
	    strncasecmp(s, "mailto:", 7) == 0,
	    "url_is_safe(\"%s\") with another scheme", s);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		FUZZ_CHECK(*p > 0x20 && *p != 0x7f, "url_is_safe(\"%s\") "
		    "with a space or control character", s);
}

static bool
is_web(const char *s)
{
	return strncasecmp(s, "http:", 5) == 0 ||
	    strncasecmp(s, "https:", 6) == 0;
}

/* True when s starts with a scheme and its ':' (RFC 3986 3.1). */
static bool
is_absolute(const char *s)
{
	size_t i;

	if (!((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return false;
	for (i = 1; ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	    (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
	    s[i] == '.'; i++)
		;
	return s[i] == ':';
}

/*
 * True when a and b are equal, or differ only by an empty fragment
 * (a trailing '#').  RFC 3986 5.2 resolves "#" against a base to the
 * base plus "#", which url_resolve() returns, but curl drops an empty
 * fragment when it parses that absolute URL again: both mean the same
 * document, so this is no fault of ours.
 */
static bool
same_but_empty_fragment(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '#')
		la--;
	if (lb > 0 && b[lb - 1] == '#')
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

/* The part of an absolute http(s) URL after its authority. */
static const char *
after_authority(const char *s)
{
	const char *p = strstr(s, "://");

	if (p == NULL)
		return s;
	p += 3;
	return p + strcspn(p, "/?#");
}

/*
 * True when a and b, two results in a row, differ in the host alone.
 * curl 7.88 normalizes an IPv4 address in shorthand ("5", "0x7f.1") to
 * dotted decimal before it decodes percent-escapes in the host, so
 * "http://%35/" becomes "http://5/" in one round and "http://0.0.0.5/"
 * in the next: url_canonicalize() and url_resolve() then take two rounds
 * to settle (reported; url.c could run the round again when the host
 * changed).  One more round is allowed for that, and only for that.
 */
static bool
host_changed(const char *a, const char *b)
{
	const char *ra = after_authority(a), *rb = after_authority(b);

	return same_but_empty_fragment(ra, rb) && (ra - a != rb - b ||
	    strncmp(a, b, (size_t)(ra - a)) != 0);
}

/*
 * Applies fn to in and checks that applying it to the result changes
 * nothing.  Returns the result (the caller frees it) or NULL.
 */
static char *
check_idempotent(const char *what, map_fn fn, const char *in)
{
	char *once = sentinel, *twice = sentinel;
	int r;

	r = fn(in, &once);
	check_ret(what, in, r, once);
	if (r != 0)
		return NULL;
	check_safe(once);
	if (strlen(once) > URL_MAX)
		return once;	/* longer than any input is let be */

	r = fn(once, &twice);
	check_ret(what, once, r, twice);
	FUZZ_CHECK(r == 0, "%s(\"%s\") = \"%s\", which it refuses (%d)",
	    what, in, once, r);
	if (strcmp(once, twice) != 0 && host_changed(once, twice)) {
		/* See host_changed: one more round must settle it. */
		free(once);
		once = twice;
		twice = sentinel;
		if (strlen(once) > URL_MAX)
			return once;
		r = fn(once, &twice);
		FUZZ_CHECK(r == 0, "%s(\"%s\") refused (%d)", what, once, r);
	}
	FUZZ_CHECK(strcmp(once, twice) == 0, "%s not idempotent: \"%s\" -> "
	    "\"%s\" -> \"%s\"", what, in, once, twice);
	free(twice);
	return once;
}

/*
 * The canonical form of in (checked for idempotence), and the dedup key,
 * which must exist exactly when the canonical form does, must be the key
 * of the canonical form too, and is never https.  The key itself need
 * not be its own key: "https://h:80/" keys as "http://h:80/", whose
 * canonical form drops the port that is now the default.
 */
static void
check_canon(const char *in)
{
	char *c, *key = sentinel, *key2 = sentinel;
	int r;

	c = check_idempotent("url_canonicalize", url_canonicalize, in);
	r = url_dedup_key(in, &key);
	check_ret("url_dedup_key", in, r, key);
	FUZZ_CHECK((r == 0) == (c != NULL), "url_dedup_key(\"%s\") = %d, "
	    "url_canonicalize gave %s", in, r, show(c));
	if (c == NULL)
		return;
	FUZZ_CHECK(strncmp(key, "https://", 8) != 0, "url_dedup_key(\"%s\") "
	    "= \"%s\"", in, key);
	if (strlen(c) > URL_MAX) {
		free(key);
		free(c);
		return;
	}
	r = url_dedup_key(c, &key2);
	check_ret("url_dedup_key", c, r, key2);
	FUZZ_CHECK(r == 0 && (strcmp(key, key2) == 0 ||
	    host_changed(key, key2)), "url_dedup_key(\"%s\") = "
	    "\"%s\" but of its canonical form \"%s\" it is \"%s\"", in, key,
	    c, r == 0 ? key2 : "(error)");
	free(key2);
	free(key);
	free(c);
}

static void
check_url(const char *base, const char *ref)
{
	char *res = sentinel, *again = sentinel;
	int r;

	check_safe(base);
	check_safe(ref);

	r = url_resolve(base, ref, &res);
	check_ret("url_resolve", ref, r, res);
	if (r == 0) {
		FUZZ_CHECK(is_absolute(res), "url_resolve(\"%s\", \"%s\") = "
		    "\"%s\", not absolute", show(base), ref, res);
		check_safe(res);
		if (!is_web(res) || strlen(res) > URL_MAX)
			goto canon;
		r = url_resolve(base, res, &again);
		check_ret("url_resolve", res, r, again);
		if (r == 0 && !same_but_empty_fragment(res, again) &&
		    host_changed(res, again)) {
			/* See host_changed: one more round. */
			free(res);
			res = again;
			again = sentinel;
			if (strlen(res) > URL_MAX)
				goto canon;
			r = url_resolve(base, res, &again);
			check_ret("url_resolve", res, r, again);
		}
		FUZZ_CHECK(r == 0 && same_but_empty_fragment(res, again),
		    "url_resolve(\"%s\", \"%s\") = \"%s\", which resolves "
		    "to \"%s\" (%d)", show(base), ref, res,
		    r == 0 ? again : "", r);
		free(again);
canon:
		check_canon(res);
		free(res);
	}
	check_canon(ref);
	if (base != NULL)
		check_canon(base);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *nl, *base = NULL, *ref;

	if (size > FUZZ_MAX_LEN)
		return 0;
	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';

	ref = copy;
	nl = memchr(copy, '\n', size);
	if (nl != NULL) {
		*nl = '\0';
		base = copy;
		ref = nl + 1;
	}
	check_url(base, ref);
	free(copy);
	return 0;
}
