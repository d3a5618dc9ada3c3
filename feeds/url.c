/*
 * url.c - resolving, canonicalizing and vetting URLs with libcurl's URL API.
 *
 * curl parses; this file only does the string work around it that curl
 * 7.88 does not do or does differently: trimming and percent-encoding the
 * text feeds put in links, the RFC 3986 section 5.4 cases curl resolves
 * wrongly (an empty ref and a lone fragment), non-hierarchical schemes
 * curl refuses to parse, and filtering query parameters.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "url.h"

/*
 * Query parameters that only identify a campaign, click or mail
 * recipient.  They make one article look like several to the store and
 * leak who the reader is, so url_canonicalize() drops them.  Names are
 * compared without regard to case, as Miniflux does.
 *
 * The list is Miniflux's (miniflux/v2 internal/reader/urlcleaner/
 * urlcleaner.go), which draws on AdGuard's TrackParamFilter, Firefox's
 * query-stripping list and Neat URL, plus _ga, _gl, igshid, ref_src, wt_mc
 * and __s, which are as unambiguous.  Left out on purpose: Miniflux's
 * campaign_* (generic names that real applications use for content, e.g.
 * a crowdfunding campaign_id) and "ref" (Miniflux drops it only when its
 * value is the feed's own host, which we do not know here; elsewhere ref=
 * can name a branch or a page).
 */
static const char *const tracking_prefixes[] = {
	"mtm_",			/* Matomo campaigns */
	"utm_",			/* Urchin / Google Analytics */
};

static const char *const tracking_params[] = {
	"__hsfp", "__hssc", "__hstc",	/* HubSpot */
	"__readwiselocation",		/* Readwise */
	"__s",				/* Drip */
	"_bhlid",			/* beehiiv */
	"_branch_match_id", "_branch_referrer",	/* Branch.io */
	"_ga", "_gl",			/* Google Analytics linker */
	"_hsenc", "_hsmi",		/* HubSpot */
	"_openstat",			/* Yandex */
	"dclid",			/* DoubleClick */
	"fb_action_ids", "fb_action_types", "fb_comment_id", "fb_ref",
	"fb_source", "fbclid",		/* Facebook */
	"gbraid", "gclid", "gclsrc",	/* Google Ads */
	"hmb_campaign", "hmb_medium", "hmb_source",	/* Humble Bundle */
	"hsa_cam", "hsctatracking",	/* HubSpot */
	"igshid",			/* Instagram */
	"itm_campaign", "itm_medium", "itm_source",
	"mc_cid", "mc_eid", "mc_tc",	/* Mailchimp */
	"mkt_tok",			/* Marketo */
	"msclkid",			/* Microsoft Ads */
	"oly_anon_id", "oly_enc_id", "rb_clickid",	/* Olytics */
	"ref_src",			/* Twitter */
	"sc_cid",			/* Adobe Analytics */
	"srsltid",			/* Google Merchant */
	"twclid",			/* Twitter Ads */
	"vero_conv", "vero_id",		/* Vero */
	"wbraid",			/* Google Ads */
	"wickedid",			/* Wicked Reports */
	"wt_mc",			/* Webtrends */
	"yclid", "ysclid",		/* Yandex */
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ASCII only: a locale must not make 8-bit bytes letters. */
static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
lower_ascii(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] += 'a' - 'A';
}

/*
 * Length of the scheme s starts with, or 0 when it has none.  RFC 3986
 * 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'.
 */
static size_t
scheme_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (!is_alpha(p[0]))
		return 0;
	for (i = 1; is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' ||
	    p[i] == '-' || p[i] == '.'; i++)
		;
	return p[i] == ':' ? i : 0;
}

static bool
scheme_is(const char *s, size_t len, const char *name)
{
	return len == strlen(name) && strncasecmp(s, name, len) == 0;
}

static bool
is_web_scheme(const char *s, size_t len)
{
	return scheme_is(s, len, "http") || scheme_is(s, len, "https");
}

/*
 * Whether s is an absolute http or https URL that curl's parse and rebuild
 * would give back byte for byte, so that it can be taken as it is: scheme
 * and host name in lower case, the host's last label starting with a
 * letter (so no IPv4 address in any of the spellings curl normalizes), no
 * port or user, then a path with no escapes and no "/." (no dot segments
 * to remove).  With query_ok, a non-empty query and fragment may follow.
 * Most links in feeds look like this, and curl's work on them was a tenth
 * of the time of `feedspool parse`.  Anything else takes curl's path.
 */
static bool
is_plain_web_url(const char *s, bool query_ok)
{
	const char *p, *label;
	bool fragment = false;

	if (strncmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return false;
	for (label = p; *p != '/'; p++) {
		if (*p == '.' && p > label)
			label = p + 1;
		else if (!(*p >= 'a' && *p <= 'z') && !is_digit(*p) &&
		    *p != '-')
			return false;
	}
	if (!(*label >= 'a' && *label <= 'z') || p - s > 8 + 253)
		return false;
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '/':
			if (p[1] == '.')
				return false;
			break;
		case '#':
			if (fragment)
				return false;
			fragment = true;
			/* FALLTHROUGH */
		case '?':
			if (!query_ok || p[1] == '\0' || p[1] == '#')
				return false;
			break;
		default:
			if (!is_alpha(*p) && !is_digit(*p) &&
			    strchr("-._~!$&'()*+,;=:@", *p) == NULL)
				return false;
		}
	}
	return true;
}

/*
 * True when s is valid UTF-8 (RFC 3629): no overlong forms, surrogates or
 * code points past U+10FFFF.
 */
static bool
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int c, min;
	int n;

	while (*p != '\0') {
		c = *p++;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			return false;
		/* A NUL fails the test too, so p never runs past the end. */
		for (; n > 0; n--, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (*p & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
	}
	return true;
}

/*
 * Every CURLUcode but running out of memory means the input is not a URL
 * we accept; curl's finer codes (bad port, bad host...) change nothing
 * for a caller that drops the link either way.
 */
static int
curlu_err(CURLUcode rc)
{
	return rc == CURLUE_OUT_OF_MEMORY ? -ENOMEM : -EINVAL;
}

/*
 * Returns a copy of in with the repairs RFC 3986 and the WHATWG URL
 * Standard agree on, so that curl sees a string it can parse and nothing
 * is lost:
 *  - leading and trailing spaces and C0 controls are trimmed (feeds
 *    put newlines around links);
 *  - tab, CR and LF are removed anywhere: RFC 3986 appendix C says
 *    whitespace added to break a long URI across lines is ignored, and
 *    browsers do the same, so "java\tscript:" is read as "javascript:",
 *    as a browser would read it;
 *  - space, '"', '<', '>' and 8-bit bytes are percent-encoded; curl 7.88
 *    would turn a space in a query into '+' and leave 8-bit bytes raw in
 *    an absolute URL.  In the host this is harmless: curl decodes the
 *    host and checks it, so an IDN host comes back in UTF-8;
 *  - any other control character, or a backslash in the authority (curl
 *    reads "http://a\@b/" as host b, a browser as host a), makes the
 *    input invalid.
 * Existing percent-escapes are left alone, valid or not.  On success
 * *ret_clean is a new string the caller frees.
 */
static int
url_clean(const char *in, char **ret_clean)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s, *e;
	unsigned char c;
	char *tmp = NULL, *out = NULL;
	size_t len, n, o, i, auth, slashes;
	int r;

	len = strnlen(in, URL_MAX + 1);
	if (len > URL_MAX) {
		r = -EINVAL;
		goto out;
	}

	s = (const unsigned char *)in;
	e = s + len;
	while (s < e && *s <= 0x20)
		s++;
	while (e > s && e[-1] <= 0x20)
		e--;

	tmp = malloc((size_t)(e - s) + 1);
	if (tmp == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (n = 0; s < e; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (*s < 0x20 || *s == 0x7f) {
			r = -EINVAL;
			goto out;
		}
		tmp[n++] = (char)*s;
	}
	tmp[n] = '\0';

	/*
	 * The authority follows a leading "//", or "scheme:" and the one to
	 * three slashes curl takes there ("http:/a" and "http:///a" are
	 * http://a/ to curl).  Other schemes are not ours to judge.
	 */
	i = scheme_len(tmp);
	slashes = strspn(tmp + (i > 0 ? i + 1 : 0), "/");
	if ((i == 0 && slashes >= 2) ||
	    (i > 0 && slashes >= 1 && is_web_scheme(tmp, i))) {
		auth = (i > 0 ? i + 1 : 0) + slashes;
		if (memchr(tmp + auth, '\\', strcspn(tmp + auth, "/?#"))) {
			r = -EINVAL;
			goto out;
		}
	}

	/* n <= URL_MAX, so this cannot overflow. */
	out = malloc(3 * n + 1);
	if (out == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0, o = 0; i < n; i++) {
		c = (unsigned char)tmp[i];
		if (c == ' ' || c == '"' || c == '<' || c == '>' || c >= 0x80) {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else
			out[o++] = (char)c;
	}
	out[o] = '\0';

	*ret_clean = out;
	out = NULL;
	r = 0;
out:
	free(tmp);
	free(out);
	return r;
}

/*
 * The whole URL in u followed by tail (may be NULL), as one string the
 * caller frees with free().  Appending here rather than setting the part
 * in u is deliberate: curl 7.88 lower-cases the hex digits of escapes in
 * a query or fragment given to curl_url_set(), and we keep them as the
 * feed wrote them.
 */
static int
get_url(CURLU *u, unsigned int flags, const char *tail, char **ret_url)
{
	const unsigned char *p;
	char *s = NULL, *copy = NULL;
	size_t len, tlen;
	CURLUcode rc;
	int r;

	rc = curl_url_get(u, CURLUPART_URL, &s, flags);
	if (rc != CURLUE_OK) {
		r = curlu_err(rc);
		goto out;
	}
	/*
	 * curl decodes percent-escapes in the host and does not refuse all
	 * it should: "http://%7F/" and "http://%FF/" come back with a raw
	 * DEL or 0xff.  Everything else in s is what we encoded.
	 */
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			break;
	if (*p != '\0' || !utf8_valid(s)) {
		r = -EINVAL;
		goto out;
	}
	/* curl's memory goes back through curl_free(), ours through free(). */
	len = strlen(s);
	tlen = tail != NULL ? strlen(tail) : 0;
	copy = malloc(len + tlen + 1);
	if (copy == NULL) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(copy, s, len);
	if (tlen > 0)
		memcpy(copy + len, tail, tlen);
	copy[len + tlen] = '\0';
	*ret_url = copy;
	r = 0;
out:
	curl_free(s);
	return r;
}

/*
 * Resolves the cleaned relative reference rel against base (raw, as the
 * caller gave it) into *ret_url.  curl 7.88 resolves "" and "#frag"
 * against the base's directory ("http://a/b/c/" for base
 * http://a/b/c/d;p?q), where RFC 3986 5.2.2 keeps the base's path and
 * query, so for those two the base loses its fragment and gets rel's.
 */
static int
resolve_relative(CURLU *u, const char *base, const char *rel, char **ret_url)
{
	const char *tail = NULL;
	char *b = NULL;
	CURLUcode rc;
	int r;

	if (base == NULL) {
		r = -EINVAL;
		goto out;
	}
	r = url_clean(base, &b);
	if (r < 0)
		goto out;

	rc = curl_url_set(u, CURLUPART_URL, b, 0);
	if (rc == CURLUE_OK) {
		if (rel[0] == '\0' || rel[0] == '#') {
			rc = curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
			tail = rel;
		} else
			rc = curl_url_set(u, CURLUPART_URL, rel, 0);
	}
	if (rc != CURLUE_OK) {
		r = curlu_err(rc);
		goto out;
	}
	r = get_url(u, 0, tail, ret_url);
out:
	free(b);
	return r;
}

/*
 * Only http(s) refs go through curl.  Other absolute refs are returned as
 * cleaned, scheme in lower case: curl refuses mailto:, data: and tag:
 * (no "//"), and the HTML sanitizer needs javascript: back to refuse it
 * itself.
 */
int
url_resolve(const char *base, const char *ref, char **ret_url)
{
	const char *rel = NULL;
	char *r = NULL, *b = NULL;
	CURLU *u = NULL;
	CURLUcode rc;
	size_t slen;
	int e;

	e = url_clean(ref, &r);
	if (e < 0)
		goto out;

	slen = scheme_len(r);
	if (slen > 0 && (!is_web_scheme(r, slen) || is_plain_web_url(r,
	    true))) {
		lower_ascii(r, slen);
		*ret_url = r;
		r = NULL;
		e = 0;
		goto out;
	}

	if (slen == 0) {
		/*
		 * RFC 3986 4.2: a relative path cannot have ':' in its
		 * first segment.  Such a ref ("1x:y", "java script:") is
		 * not a URL, and curl would take part of it for a scheme.
		 */
		if (r[strcspn(r, ":/?#")] == ':') {
			e = -EINVAL;
			goto out;
		}
		rel = r;
	} else if (base != NULL && strncmp(r + slen + 1, "//", 2) != 0) {
		/*
		 * "http:g" against an http base is "g" (RFC 3986 5.2.2, the
		 * backward-compatible reading that browsers also use); curl
		 * would refuse it.
		 */
		e = url_clean(base, &b);
		if (e == -ENOMEM)
			goto out;
		if (e == 0 && scheme_len(b) == slen &&
		    strncasecmp(b, r, slen) == 0)
			rel = r + slen + 1;
	}

	u = curl_url();
	if (u == NULL) {
		e = -ENOMEM;
		goto out;
	}
	if (rel != NULL) {
		e = resolve_relative(u, base, rel, ret_url);
		goto out;
	}
	rc = curl_url_set(u, CURLUPART_URL, r, 0);
	if (rc != CURLUE_OK) {
		e = curlu_err(rc);
		goto out;
	}
	e = get_url(u, 0, NULL, ret_url);
out:
	curl_url_cleanup(u);
	free(r);
	free(b);
	return e;
}

static bool
is_tracking_param(const char *name, size_t len)
{
	size_t i, n;

	for (i = 0; i < NELEM(tracking_prefixes); i++) {
		n = strlen(tracking_prefixes[i]);
		if (len >= n && strncasecmp(name, tracking_prefixes[i], n) == 0)
			return true;
	}
	for (i = 0; i < NELEM(tracking_params); i++) {
		n = strlen(tracking_params[i]);
		if (len == n && strncasecmp(name, tracking_params[i], n) == 0)
			return true;
	}
	return false;
}

/*
 * Takes the query out of u and returns in *ret_tail what is left of it
 * without tracking parameters, as "?a=1&b=2", or NULL when nothing is
 * left.  The others keep their order and their bytes (no decoding, so
 * "%26" stays a literal '&' in a value); empty ones ("a&&b") go.  Only '&'
 * separates parameters: ';' is rare and may be part of a value.  Names
 * are compared as written, so an encoded "utm%5Fsource" is kept.
 */
static int
strip_tracking(CURLU *u, char **ret_tail)
{
	char *query = NULL, *kept = NULL;
	const char *p, *end;
	size_t n, k = 0;
	CURLUcode rc;
	int r;

	rc = curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (rc == CURLUE_NO_QUERY) {
		*ret_tail = NULL;
		r = 0;
		goto out;
	}
	if (rc == CURLUE_OK)
		rc = curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	if (rc != CURLUE_OK) {
		r = curlu_err(rc);
		goto out;
	}

	kept = malloc(strlen(query) + 2);
	if (kept == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (p = query;; p = end + 1) {
		end = p + strcspn(p, "&");
		n = (size_t)(end - p);
		if (n > 0 && !is_tracking_param(p, strcspn(p, "=&"))) {
			kept[k] = k == 0 ? '?' : '&';
			k++;
			memcpy(kept + k, p, n);
			k += n;
		}
		if (*end == '\0')
			break;
	}
	kept[k] = '\0';

	if (k > 0) {
		*ret_tail = kept;
		kept = NULL;
	} else
		*ret_tail = NULL;
	r = 0;
out:
	curl_free(query);
	free(kept);
	return r;
}

/*
 * Lower-cases the host in u (RFC 3986 6.2.2.1).  ASCII only: an IDN host
 * stays as written, since curl 7.88's CURLU_PUNYCODE fails with
 * CURLUE_OUT_OF_MEMORY on such hosts.  A host with an IPv6 zone id is
 * left alone because setting the host again drops the zone id.
 */
static int
lower_host(CURLU *u)
{
	char *host = NULL, *zone = NULL;
	bool upper = false;
	CURLUcode rc;
	size_t i;
	int r;

	rc = curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (rc != CURLUE_OK) {
		r = curlu_err(rc);
		goto out;
	}
	rc = curl_url_get(u, CURLUPART_ZONEID, &zone, 0);
	if (rc != CURLUE_NO_ZONEID) {
		r = rc == CURLUE_OK ? 0 : curlu_err(rc);
		goto out;
	}

	for (i = 0; host[i] != '\0'; i++)
		if (host[i] >= 'A' && host[i] <= 'Z')
			upper = true;
	r = 0;
	if (upper) {
		lower_ascii(host, strlen(host));
		rc = curl_url_set(u, CURLUPART_HOST, host, 0);
		if (rc != CURLUE_OK)
			r = curlu_err(rc);
	}
out:
	curl_free(host);
	curl_free(zone);
	return r;
}

/*
 * curl lower-cases the scheme, removes dot segments and turns an empty
 * path into "/"; CURLU_NO_DEFAULT_PORT drops :80 and :443.  Percent-escapes
 * keep their case ("%7e" and "%7E" stay different).
 */
static int
canonicalize_once(const char *url, char **ret_url)
{
	char *c = NULL, *tail = NULL, *copy;
	CURLU *u = NULL;
	CURLUcode rc;
	size_t slen;
	int r;

	r = url_clean(url, &c);
	if (r < 0)
		goto out;
	slen = scheme_len(c);
	if (slen == 0) {
		r = -EINVAL;
		goto out;
	}
	if (is_plain_web_url(c, false)) {
		*ret_url = c;
		c = NULL;
		r = 0;
		goto out;
	}
	if (!is_web_scheme(c, slen)) {
		/* No canonical form we know of: byte for byte. */
		copy = strdup(url);
		if (copy == NULL) {
			r = -ENOMEM;
			goto out;
		}
		*ret_url = copy;
		r = 0;
		goto out;
	}

	u = curl_url();
	if (u == NULL) {
		r = -ENOMEM;
		goto out;
	}
	rc = curl_url_set(u, CURLUPART_URL, c, 0);
	if (rc == CURLUE_OK)
		rc = curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (rc != CURLUE_OK) {
		r = curlu_err(rc);
		goto out;
	}
	if ((r = lower_host(u)) < 0 || (r = strip_tracking(u, &tail)) < 0)
		goto out;
	r = get_url(u, CURLU_NO_DEFAULT_PORT, tail, ret_url);
out:
	curl_url_cleanup(u);
	free(c);
	free(tail);
	return r;
}

/* Whether the authority (between "//" and the path) has a '%'. */
static bool
authority_has_escape(const char *url)
{
	const char *p = strstr(url, "//");

	if (p == NULL)
		return false;
	for (p += 2; *p != '\0' && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == '%')
			return true;
	return false;
}

int
url_canonicalize(const char *url, char **ret_url)
{
	char *first = NULL, *again = NULL;
	int r, pass;

	if ((r = canonicalize_once(url, &first)) < 0)
		return r;
	/*
	 * curl normalizes an IPv4 shorthand host ("5" is 0.0.0.5) before it
	 * decodes percent-escapes in the host, so "http://%35/" becomes
	 * "http://5/" and only a second pass gives "http://0.0.0.5/".  Both
	 * spellings must give one dedup key: repeat until nothing changes.
	 * Only an escaped host can need it, and those are rare.
	 */
	for (pass = 0; pass < 3 && authority_has_escape(url); pass++) {
		if (canonicalize_once(first, &again) < 0)
			break;
		if (strcmp(again, first) == 0) {
			free(again);
			break;
		}
		free(first);
		first = again;
	}
	*ret_url = first;
	return 0;
}

/*
 * The canonical URL with "https://" turned into "http://".  The key stays
 * readable in the database and cannot be mistaken for another scheme.
 *
 * A leading "www." is NOT removed: www.example.com and example.com are
 * different hosts that may serve different things (shared hosting, a
 * blog at one and a shop at the other).  Merging two articles by mistake
 * loses one; not merging shows a duplicate at worst.  Likewise a trailing
 * '/' or '.' in the host and the order of parameters are kept.
 */
int
url_dedup_key(const char *url, char **ret_key)
{
	char *c = NULL;
	int r;

	r = url_canonicalize(url, &c);
	if (r < 0)
		goto out;
	if (strncmp(c, "https://", 8) == 0)
		memmove(c + 4, c + 5, strlen(c + 5) + 1);
	*ret_key = c;
	c = NULL;
out:
	free(c);
	return r;
}

/*
 * Strict on purpose: this guards href and src in sanitized HTML.  A URL
 * from url_resolve() never holds a space or a control character, so any
 * of them here (" javascript:", "java\tscript:", which browsers read as
 * javascript:) means the URL did not come that way and is refused, as is
 * an http(s) URL curl will not parse.
 */
bool
url_is_safe(const char *url)
{
	const unsigned char *p;
	CURLU *u;
	CURLUcode rc;
	size_t len, slen;

	if (url == NULL)
		return false;
	len = strnlen(url, URL_MAX + 1);
	if (len > URL_MAX)
		return false;
	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return false;
	if (!utf8_valid(url))
		return false;

	slen = scheme_len(url);
	if (scheme_is(url, slen, "mailto"))
		return true;
	if (!is_web_scheme(url, slen))
		return false;
	/* What curl would give back unchanged, it parses: no need to ask. */
	if (is_plain_web_url(url, true))
		return true;

	u = curl_url();
	if (u == NULL)
		return false;
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	curl_url_cleanup(u);
	return rc == CURLUE_OK;
}
