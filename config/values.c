/*
 * values.c - the syntax of values: durations, sizes, booleans, URLs,
 * header lines, feed names, and the distance used for "did you mean".
 *
 * URLs get a light check only (scheme, host, port): the daemon parses
 * them with libcurl, which config/ must not depend on.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/*
 * Reads the digits at the start of s.  Returns the number of digits (0
 * when there are none) and sets *overflow if the value does not fit.
 */
static size_t
read_digits(const char *s, uint64_t *ret, bool *overflow)
{
	uint64_t n = 0;
	size_t i;

	*overflow = false;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (n > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			*overflow = true;
		else
			n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = n;
	return i;
}

int
cfg_parse_duration(const char *s, uint64_t *ret_seconds)
{
	uint64_t n, unit;
	bool overflow;
	size_t len;

	len = read_digits(s, &n, &overflow);
	if (len == 0)
		return -EINVAL;
	switch (s[len]) {
	case '\0':
		/* A bare number is too easily taken for minutes; only 0
		 * reads the same in every unit. */
		if (overflow || n != 0)
			return -EINVAL;
		*ret_seconds = 0;
		return 0;
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -EINVAL;
	}
	if (s[len + 1] != '\0')
		return -EINVAL;
	if (overflow || n > UINT64_MAX / unit)
		return -ERANGE;
	*ret_seconds = n * unit;
	return 0;
}

int
cfg_parse_size(const char *s, uint64_t *ret_bytes)
{
	uint64_t n, unit;
	bool overflow;
	size_t len;

	len = read_digits(s, &n, &overflow);
	if (len == 0)
		return -EINVAL;
	switch (s[len]) {
	case '\0': unit = 1; break;
	case 'K': case 'k': unit = UINT64_C(1) << 10; break;
	case 'M': case 'm': unit = UINT64_C(1) << 20; break;
	case 'G': case 'g': unit = UINT64_C(1) << 30; break;
	default: return -EINVAL;
	}
	if (unit != 1 && s[len + 1] != '\0')
		return -EINVAL;
	if (overflow || n > UINT64_MAX / unit)
		return -ERANGE;
	*ret_bytes = n * unit;
	return 0;
}

int
cfg_parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int
format_unit(uint64_t v, const uint64_t *units, const char *names,
    size_t nunits, char *buf, size_t size)
{
	size_t i;
	int n;

	for (i = 0; i < nunits - 1; i++)
		if (v != 0 && v % units[i] == 0)
			break;
	n = snprintf(buf, size, "%" PRIu64 "%.1s", v / units[i], names + i);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return 0;
}

int
cfg_format_duration(uint64_t seconds, char *buf, size_t size)
{
	static const uint64_t units[] = { 86400, 3600, 60, 1 };

	return format_unit(seconds, units, "dhms", 4, buf, size);
}

int
cfg_format_size(uint64_t bytes, char *buf, size_t size)
{
	static const uint64_t units[] = { 1 << 30, 1 << 20, 1 << 10, 1 };

	/* The last unit is bytes, written without a letter. */
	return format_unit(bytes, units, "GMK", 4, buf, size);
}

/* Locale-independent, as URLs and key names are ASCII. */
static int
tolower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Space, control bytes and DEL: never in a URL we accept. */
static bool
has_space_or_control(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return true;
	return false;
}

/*
 * The part after "scheme://": [userinfo@]host[:port], then the path.
 * IPv6 literals are in brackets (RFC 3986 3.2.2).
 */
static const char *
check_authority(const char *p)
{
	size_t end, i;
	const char *host, *at, *port;
	unsigned long v;

	end = strcspn(p, "/?#");
	host = p;
	for (at = p; at < p + end; at++)
		if (*at == '@')
			host = at + 1;
	if (*host == '[') {
		for (i = 1; host + i < p + end && host[i] != ']'; i++)
			;
		if (host + i >= p + end)
			return "has a bad host";
		if (i == 1)
			return "has no host";
		port = host + i + 1;
		if (port < p + end && *port != ':')
			return "has a bad host";
	} else {
		for (port = host; port < p + end && *port != ':'; port++)
			;
		if (port == host)
			return "has no host";
	}
	if (port >= p + end)
		return NULL;
	/* port points at ':' */
	port++;
	if (port == p + end || p + end - port > 5)
		return "has a bad port";
	v = 0;
	for (; port < p + end; port++) {
		if (*port < '0' || *port > '9')
			return "has a bad port";
		v = v * 10 + (unsigned long)(*port - '0');
	}
	if (v == 0 || v > 65535)
		return "has a bad port";
	return NULL;
}

/* The length of "scheme://" when s starts with one of schemes, else 0. */
static size_t
scheme_len(const char *s, const char *const *schemes)
{
	size_t n;

	for (; *schemes != NULL; schemes++) {
		n = strlen(*schemes);
		if (strncasecmp(s, *schemes, n) == 0 &&
		    strncmp(s + n, "://", 3) == 0)
			return n + 3;
	}
	return 0;
}

static const char *const http_schemes[] = { "http", "https", NULL };

const char *
cfg_check_http_url(const char *s)
{
	size_t n;

	if (has_space_or_control(s))
		return "contains white space or control characters";
	n = scheme_len(s, http_schemes);
	if (n == 0)
		return "is not an http or https URL";
	return check_authority(s + n);
}

const char *
cfg_check_proxy(const char *s)
{
	/* What libcurl 7.88 takes in CURLOPT_PROXY. */
	static const char *const schemes[] = { "http", "https", "socks4",
		"socks4a", "socks5", "socks5h", NULL };
	size_t n;

	if (has_space_or_control(s))
		return "contains white space or control characters";
	n = scheme_len(s, schemes);
	if (n == 0)
		return "is not a proxy URL (use http://HOST:PORT or "
		    "socks5h://HOST:PORT)";
	return check_authority(s + n);
}

/* RFC 9110 5.6.2: the characters of a token, so of a field name. */
static bool
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Names that feedspool or libcurl set for every request. */
static const char *const managed_headers[] = {
	"Accept-Encoding", "Connection", "Content-Length", "Host",
	"If-Modified-Since", "If-None-Match", "Transfer-Encoding", NULL,
};

const char *
cfg_check_header(const char *s)
{
	const unsigned char *p;
	size_t n;
	size_t i;

	for (n = 0; is_tchar((unsigned char)s[n]); n++)
		;
	if (n == 0 || s[n] != ':')
		return "is not a header line (use \"Name: value\")";
	if (n == 10 && strncasecmp(s, "User-Agent", n) == 0)
		return "is set with user_agent";
	for (i = 0; managed_headers[i] != NULL; i++)
		if (strlen(managed_headers[i]) == n &&
		    strncasecmp(s, managed_headers[i], n) == 0)
			return "is a header feedspool sets itself";
	/* RFC 9110 5.5: no CR, LF or NUL, and we keep to visible ASCII. */
	for (p = (const unsigned char *)s + n + 1; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p >= 0x7f)
			return "has characters other than printable ASCII in "
			    "its value";
	return NULL;
}

int
cfg_header_normalize(const char *s, char **ret, size_t *ret_namelen)
{
	const char *v, *end;
	size_t n;
	char *out;
	int len;

	n = strcspn(s, ":");
	v = s + n + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	out = malloc(n + 2 + (size_t)(end - v) + 1);
	if (out == NULL)
		return -ENOMEM;
	if (end > v)
		len = sprintf(out, "%.*s: %.*s", (int)n, s, (int)(end - v), v);
	else
		len = sprintf(out, "%.*s:", (int)n, s);
	if (len < 0) {
		free(out);
		return -ENOMEM;
	}
	*ret = out;
	*ret_namelen = n;
	return 0;
}

const char *
cfg_check_ascii(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p >= 0x7f)
			return "has characters other than printable ASCII";
	return NULL;
}

/* Text that ends up in XML and JSON: valid UTF-8, no control characters
 * (C0, DEL, or C1, which is U+0080 to U+009F: 0xc2 0x80 to 0xc2 0x9f). */
const char *
cfg_check_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		if (*p < 0x80) {
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
				return "has control characters";
			p++;
			continue;
		}
		n = cfg_utf8_len(p);
		if (n == 0)
			return "is not valid UTF-8";
		if (p[0] == 0xc2 && p[1] < 0xa0)
			return "has control characters";
		p += n;
	}
	return NULL;
}

bool
cfg_valid_feed_name(const char *s)
{
	size_t i;

	/* The name becomes part of file names: no leading dot, so never
	 * "." or "..", and nothing a shell or a path would read twice. */
	if (s[0] == '.')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= CFG_MAX_FEED_NAME)
			return false;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	}
	return i > 0;
}

int
cfg_url_key(const char *s, char **ret)
{
	size_t slen, alen, hlen, plen, o, i;
	const char *auth, *host, *port, *rest, *end;
	char *out;

	slen = scheme_len(s, http_schemes) - 3;
	auth = s + slen + 3;
	alen = strcspn(auth, "/?#");
	host = auth;
	for (i = 0; i < alen; i++)
		if (auth[i] == '@')
			host = auth + i + 1;
	/* The port is after the last ':' outside an IPv6 literal. */
	port = NULL;
	for (i = (size_t)(host - auth); i < alen; i++) {
		if (auth[i] == ']')
			port = NULL;
		else if (auth[i] == ':')
			port = auth + i;
	}
	hlen = (size_t)((port != NULL ? port : auth + alen) - host);
	if (port != NULL && ((slen == 4 && strncmp(port, ":80", 3) == 0 &&
	    port + 3 == auth + alen) || (slen == 5 &&
	    strncmp(port, ":443", 4) == 0 && port + 4 == auth + alen)))
		port = NULL;
	rest = auth + alen;
	end = rest + strcspn(rest, "#");
	plen = port != NULL ? (size_t)(auth + alen - port) : 0;

	out = malloc(strlen(s) + 2);
	if (out == NULL)
		return -ENOMEM;
	o = 0;
	for (i = 0; i < slen; i++)
		out[o++] = (char)tolower_ascii(s[i]);
	memcpy(out + o, "://", 3);
	o += 3;
	memcpy(out + o, auth, (size_t)(host - auth));	/* userinfo as is */
	o += (size_t)(host - auth);
	for (i = 0; i < hlen; i++)
		out[o++] = (char)tolower_ascii(host[i]);
	if (port != NULL) {
		memcpy(out + o, port, plen);
		o += plen;
	}
	if (rest == end || *rest != '/')
		out[o++] = '/';
	memcpy(out + o, rest, (size_t)(end - rest));
	o += (size_t)(end - rest);
	out[o] = '\0';
	*ret = out;
	return 0;
}

int
cfg_proxy_masked(const char *s, char **ret)
{
	const char *auth, *at, *colon, *p;
	size_t alen;
	char *out;
	int n;

	auth = strstr(s, "://");
	auth = auth != NULL ? auth + 3 : s;
	alen = strcspn(auth, "/?#");
	at = colon = NULL;
	for (p = auth; p < auth + alen; p++)
		if (*p == '@')
			at = p;
	if (at != NULL)
		for (p = auth; p < at && colon == NULL; p++)
			if (*p == ':')
				colon = p;
	if (colon == NULL) {
		out = strdup(s);
		if (out == NULL)
			return -ENOMEM;
		*ret = out;
		return 0;
	}
	out = malloc(strlen(s) + 4);
	if (out == NULL)
		return -ENOMEM;
	n = sprintf(out, "%.*s***%s", (int)(colon + 1 - s), s, at);
	if (n < 0) {
		free(out);
		return -ENOMEM;
	}
	*ret = out;
	return 0;
}

unsigned
cfg_distance(const char *a, const char *b, unsigned limit)
{
	unsigned row[65], prev, cur, best, cost;
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > 64 || lb > 64)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			cur = prev + cost;
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			prev = row[j];
			row[j] = cur;
			if (cur < best)
				best = cur;
		}
		/* Every later row is at least this row's minimum. */
		if (best > limit)
			return limit + 1;
	}
	return row[lb] <= limit ? row[lb] : limit + 1;
}
