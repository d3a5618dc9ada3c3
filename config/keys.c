/*
 * keys.c - every key: where it may appear, what its value must look like,
 * and inih's handler, which checks one "key = value" line and stores it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "loader.h"

#define DAY (UINT64_C(86400))
#define MIB (UINT64_C(1) << 20)

/*
 * Every key.  min and max bound numbers (durations in seconds, sizes in
 * bytes); def is the default of a number, boolean or enum.  The defaults
 * of strings and paths are in build.c.
 */
const struct key_def cfg_keys[K__COUNT] = {
	[K_INCLUDE] = { "include", T_INCLUDE, W_TOP | W_GLOBAL, 0, 0, 0 },
	[K_STATE_DIR] = { "state_dir", T_PATH, W_GLOBAL, 0, 0, 0 },
	[K_SPOOL_DIR] = { "spool_dir", T_PATH, W_GLOBAL, 0, 0, 0 },
	[K_OUTPUT] = { "output", T_PATH, W_GLOBAL, 0, 0, 0 },
	[K_OUTPUT_RSS] = { "output_rss", T_PATH, W_GLOBAL, 0, 0, 0 },
	[K_OUTPUT_JSON] = { "output_json", T_PATH, W_GLOBAL, 0, 0, 0 },
	[K_OUTPUT_ITEMS] = { "output_items", T_UINT, W_GLOBAL, 1, 100000,
	    100 },
	[K_OUTPUT_TITLE] = { "output_title", T_TEXT, W_GLOBAL, 0, 0, 0 },
	[K_OUTPUT_URL] = { "output_url", T_WEB_URL, W_GLOBAL, 0, 0, 0 },
	[K_KEEP_DAYS] = { "keep_days", T_UINT, W_GLOBAL, 1, 36500, 180 },
	[K_LOG_LEVEL] = { "log_level", T_LOG_LEVEL, W_GLOBAL, 0, 0,
	    CFG_LOG_INFO },
	[K_FSYNC] = { "fsync", T_BOOL, W_GLOBAL, 0, 0, 1 },
	[K_CONCURRENCY] = { "concurrency", T_UINT, W_GLOBAL, 1, 1024, 16 },
	[K_MIN_INTERVAL] = { "min_interval", T_DURATION, W_GLOBAL, 0, 7 * DAY,
	    300 },
	[K_MAX_BACKOFF] = { "max_backoff", T_DURATION, W_GLOBAL, 60,
	    30 * DAY, DAY },
	[K_PER_HOST_DELAY] = { "per_host_delay", T_DURATION, W_GLOBAL, 0,
	    3600, 1 },
	[K_INTERVAL] = { "interval", T_DURATION, W_GLOBAL | W_FEED, 1,
	    365 * DAY, 1800 },
	[K_TIMEOUT] = { "timeout", T_DURATION, W_GLOBAL | W_FEED, 1, 3600,
	    60 },
	[K_CONNECT_TIMEOUT] = { "connect_timeout", T_DURATION,
	    W_GLOBAL | W_FEED, 1, 3600, 15 },
	/* The parser refuses documents above 512 MiB anyway. */
	[K_MAX_SIZE] = { "max_size", T_SIZE, W_GLOBAL | W_FEED, 1024,
	    512 * MIB, 16 * MIB },
	[K_USER_AGENT] = { "user_agent", T_ASCII, W_GLOBAL | W_FEED, 0, 0,
	    0 },
	[K_PER_HOST] = { "per_host", T_UINT, W_GLOBAL | W_FEED, 1, 64, 2 },
	[K_PROXY] = { "proxy", T_PROXY, W_GLOBAL | W_FEED, 0, 0, 0 },
	[K_HEADER] = { "header", T_HEADER, W_GLOBAL | W_FEED, 0, 0, 0 },
	[K_ENABLED] = { "enabled", T_BOOL, W_GLOBAL | W_FEED, 0, 0, 1 },
	[K_UPDATES] = { "updates", T_UPDATES, W_GLOBAL | W_FEED, 0, 0,
	    CFG_UPDATES_IGNORE },
	[K_URL] = { "url", T_URL, W_FEED, 0, 0, 0 },
	[K_TITLE] = { "title", T_TEXT, W_FEED, 0, 0, 0 },
	[K_CATEGORY] = { "category", T_TEXT, W_FEED, 0, 0, 0 },
};

static const char *const log_levels[] = { "error", "warning", "info",
	"debug" };
static const char *const updates_modes[] = { "ignore", "spool" };

static const struct key_def *
key_find(const char *name)
{
	size_t i;

	for (i = 0; i < K__COUNT; i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

const char *
cfg_key_name(size_t i)
{
	return i < K__COUNT ? cfg_keys[i].name : NULL;
}

static struct section *
current_section(struct source *src)
{
	return src->state == S_GLOBAL ? &src->ld->global :
	    &src->ld->feeds[src->cur];
}

static void
unknown_key(struct source *src, const char *name, unsigned where)
{
	char nb[CFG_QUOTE_SIZE];
	const char *best = NULL;
	unsigned d, bestd = SUGGEST_DISTANCE + 1;
	size_t i;

	for (i = 0; i < K__COUNT; i++) {
		if (!(cfg_keys[i].where & where))
			continue;
		d = cfg_distance(name, cfg_keys[i].name, SUGGEST_DISTANCE);
		if (d < bestd) {
			bestd = d;
			best = cfg_keys[i].name;
		}
	}
	if (best != NULL)
		cfg_error_here(src, "%s: unknown key (did you mean \"%s\"?)",
		    cfg_show_name(nb, name), best);
	else
		cfg_error_here(src, "%s: unknown key", cfg_show_name(nb, name));
}

static void
misplaced_key(struct source *src, const struct key_def *k)
{
	const char *where;

	if (src->state == S_TOP)
		where = "must be in a section ([feedspool] or [feed.NAME])";
	else if (k->where == W_GLOBAL)
		where = "only allowed in [feedspool]";
	else if (k->where == W_FEED)
		where = "only allowed in [feed.NAME] sections";
	else
		where = "only allowed in [feedspool] or before the first "
		    "section";
	cfg_error_here(src, "%s: %s", k->name, where);
}

/* "1s to 365d", "1K to 512M", "1 to 1024". */
static void
range_text(const struct key_def *k, char *buf, size_t size)
{
	char lo[32], hi[32];
	int n;

	if (k->type == T_DURATION) {
		if (cfg_format_duration(k->min, lo, sizeof(lo)) < 0 ||
		    cfg_format_duration(k->max, hi, sizeof(hi)) < 0)
			goto plain;
	} else if (k->type == T_SIZE) {
		if (cfg_format_size(k->min, lo, sizeof(lo)) < 0 ||
		    cfg_format_size(k->max, hi, sizeof(hi)) < 0)
			goto plain;
	} else {
		goto plain;
	}
	n = snprintf(buf, size, "%s to %s", lo, hi);
	if (n >= 0 && (size_t)n < size)
		return;
plain:
	n = snprintf(buf, size, "%llu to %llu", (unsigned long long)k->min,
	    (unsigned long long)k->max);
	if (n < 0 || (size_t)n >= size)
		buf[0] = '\0';
}

static int
parse_uint(const char *s, uint64_t *ret)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (n > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0 || s[i] != '\0')
		return -EINVAL;
	*ret = n;
	return 0;
}

static int
parse_enum(const char *s, const char *const *names, size_t n, uint64_t *ret)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*ret = i;
			return 0;
		}
	}
	return -EINVAL;
}

static void
set_url(struct source *src, struct value *v, const char *value)
{
	struct loader *ld = src->ld;
	struct section *sec = &ld->feeds[src->cur];
	char qb[CFG_QUOTE_SIZE];
	const char *why;
	size_t other;
	int r;

	why = cfg_check_http_url(value);
	if (why != NULL) {
		cfg_error_here(src, "url: %s %s", cfg_quote(qb, value), why);
		return;
	}
	if ((v->str = strdup(value)) == NULL ||
	    cfg_url_key(value, &sec->url_key) < 0) {
		ld->err = -ENOMEM;
		return;
	}
	r = cfg_strmap_add(&ld->urls, sec->url_key, src->cur, &other);
	if (r < 0)
		ld->err = r;
	else if (r > 0)
		cfg_error_here(src, "url: same URL as [feed.%s] at %s:%d",
		    ld->feeds[other].name, ld->feeds[other].v[K_URL].loc.file,
		    ld->feeds[other].v[K_URL].loc.line);
}

/*
 * Parses value for key k into v (whose loc is set).  A bad value is an
 * error naming the key, quoting the value and saying what was expected.
 */
static void
set_value(struct source *src, const struct key_def *k, struct value *v,
    const char *value)
{
	char qb[CFG_QUOTE_SIZE], range[64];
	const char *why = NULL, *q;
	bool b;
	int r = 0;

	q = cfg_quote(qb, value);
	if (value[0] == '\0' && k->type != T_PROXY) {
		cfg_error_here(src, "%s: empty value", k->name);
		return;
	}
	switch (k->type) {
	case T_DURATION:
		r = cfg_parse_duration(value, &v->num);
		why = "is not a duration (use 90s, 30m, 2h, 1d)";
		break;
	case T_SIZE:
		r = cfg_parse_size(value, &v->num);
		why = "is not a size (use 512K, 16M, 1G, or bytes)";
		break;
	case T_UINT:
		r = parse_uint(value, &v->num);
		why = "is not a whole number";
		break;
	case T_BOOL:
		r = cfg_parse_bool(value, &b);
		if (r == 0)
			v->num = b;
		why = "is not a boolean (use yes or no)";
		break;
	case T_UPDATES:
		r = parse_enum(value, updates_modes, 2, &v->num);
		why = "is not \"ignore\" or \"spool\"";
		break;
	case T_LOG_LEVEL:
		r = parse_enum(value, log_levels, 4, &v->num);
		why = "is not a log level (use error, warning, info or debug)";
		break;
	case T_PATH:
		if (cfg_path_join(src->absdir, value, &v->str) < 0) {
			src->ld->err = -ENOMEM;
			return;
		}
		if (strlen(v->str) >= PATH_MAX)
			cfg_error_here(src, "%s: %s is too long", k->name, q);
		return;
	case T_TEXT:
	case T_ASCII:
	case T_PROXY:
	case T_WEB_URL:
		if (k->type == T_TEXT)
			why = cfg_check_text(value);
		else if (k->type == T_ASCII)
			why = cfg_check_ascii(value);
		else if (k->type == T_WEB_URL)
			why = cfg_check_http_url(value);
		else if (value[0] != '\0')
			why = cfg_check_proxy(value);
		if (why != NULL) {
			cfg_error_here(src, "%s: %s %s", k->name, q, why);
			return;
		}
		if ((v->str = strdup(value)) == NULL)
			src->ld->err = -ENOMEM;
		return;
	case T_URL:
		set_url(src, v, value);
		return;
	case T_INCLUDE:
	case T_HEADER:
		/* Repeatable: handled by the caller. */
		return;
	}
	if (r == -EINVAL) {
		cfg_error_here(src, "%s: %s %s", k->name, q, why);
		return;
	}
	if ((k->type == T_DURATION || k->type == T_SIZE ||
	    k->type == T_UINT) && (r == -ERANGE || v->num < k->min ||
	    v->num > k->max)) {
		range_text(k, range, sizeof(range));
		cfg_error_here(src, "%s: %s is out of range (%s)", k->name, q,
		    range);
	}
}

static void
add_header(struct source *src, struct section *sec, const char *value)
{
	char qb[CFG_QUOTE_SIZE];
	struct header *h;
	const char *why;
	char *line;
	size_t namelen, i;

	if (value[0] == '\0') {
		cfg_error_here(src, "header: empty value");
		return;
	}
	why = cfg_check_header(value);
	if (why != NULL) {
		cfg_error_here(src, "header: %s %s", cfg_quote(qb, value), why);
		return;
	}
	if (cfg_header_normalize(value, &line, &namelen) < 0) {
		src->ld->err = -ENOMEM;
		return;
	}
	for (i = 0; i < sec->nheaders; i++) {
		h = &sec->headers[i];
		if (h->namelen == namelen &&
		    strncasecmp(h->line, line, namelen) == 0) {
			cfg_error_here(src, "header: \"%.*s\" is already set "
			    "at %s:%d", (int)namelen, line, h->loc.file,
			    h->loc.line);
			free(line);
			return;
		}
	}
	h = reallocarray(sec->headers, sec->nheaders + 1, sizeof(*h));
	if (h == NULL) {
		free(line);
		src->ld->err = -ENOMEM;
		return;
	}
	sec->headers = h;
	h = &sec->headers[sec->nheaders++];
	h->line = line;
	h->namelen = namelen;
	h->loc.file = src->path;
	h->loc.line = src->lineno;
}

static void
add_include(struct source *src, const char *value)
{
	struct include *inc;

	if (value[0] == '\0') {
		cfg_error_here(src, "include: empty value");
		return;
	}
	inc = reallocarray(src->incs, src->nincs + 1, sizeof(*inc));
	if (inc == NULL) {
		src->ld->err = -ENOMEM;
		return;
	}
	src->incs = inc;
	inc = &src->incs[src->nincs];
	if ((inc->pattern = strdup(value)) == NULL) {
		src->ld->err = -ENOMEM;
		return;
	}
	inc->loc.file = src->path;
	inc->loc.line = src->lineno;
	src->nincs++;
}

/*
 * inih's handler, called once per "key = value" line with the line the
 * reader last returned.  Returns 1 always: errors are ours to record, and
 * inih would only remember the first.
 */
int
cfg_inih_key(void *user, const char *section, const char *name,
    const char *value)
{
	struct source *src = user;
	const struct key_def *k;
	struct section *sec;
	struct value *v;
	unsigned where;

	(void)section;	/* inih cuts it at 50 bytes: see config.c */
	if (src->ld->err < 0 || src->state == S_SKIP)
		return 1;
	where = src->state == S_TOP ? W_TOP :
	    src->state == S_GLOBAL ? W_GLOBAL : W_FEED;
	k = key_find(name);
	if (k == NULL && src->state != S_TOP) {
		unknown_key(src, name, where);
		return 1;
	}
	if (k == NULL) {
		char nb[CFG_QUOTE_SIZE];

		cfg_error_here(src, "%s: must be in a section ([feedspool] or "
		    "[feed.NAME])", cfg_show_name(nb, name));
		return 1;
	}
	if (!(k->where & where)) {
		misplaced_key(src, k);
		return 1;
	}
	if (k->type == T_INCLUDE) {
		add_include(src, value);
		return 1;
	}
	sec = current_section(src);
	if (k->type == T_HEADER) {
		add_header(src, sec, value);
		return 1;
	}
	v = &sec->v[k - cfg_keys];
	if (v->loc.line != 0) {
		cfg_error_here(src, "%s: already set at %s:%d", k->name,
		    v->loc.file, v->loc.line);
		return 1;
	}
	v->loc.file = src->path;
	v->loc.line = src->lineno;
	set_value(src, k, v, value);
	return 1;
}
