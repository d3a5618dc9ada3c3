/*
 * test-config.c - config/: the value syntax, loading (defaults,
 * overrides, includes, every kind of error with its file and line), the
 * directory checks, the summary, and the example files.
 *
 * The fixtures are in tests/unit/config/; the tests run from there, so
 * file names in messages are as short as a user would type them.  Every
 * expected message and value below was written from the rules in
 * config/feedspool.ini, not copied from a run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#ifdef HAVE_INI_MAX_LINE
#include <ini.h>
#endif

#include "config.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#ifdef HAVE_INI_MAX_LINE
#define LINE_LIMIT CFG_MAX_LINE
#else
#define LINE_LIMIT 198	/* inih's default buffer, less "\n" and NUL */
#endif

/* Out-parameters must stay untouched on failure: start them here. */
static struct cfg sentinel_cfg;
#define SENTINEL (&sentinel_cfg)

static const struct cfg_defaults defaults = {
	"feedspool/test (+https://example.org/)"
};

static char fixtures[PATH_MAX];	/* absolute, the current directory */

/* ---- helpers ---- */

/* snprintf() that fails the test rather than truncate. */
static void __attribute__((format(printf, 3, 4)))
xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < size);
}

/* "file:line: msg" (or "file: msg") as cfg_errors_print() writes it. */
static void
format_error(const struct cfg_error *e, char *buf, size_t size)
{
	int n;

	if (e->line > 0)
		n = snprintf(buf, size, "%s:%d: %s", e->file, e->line, e->msg);
	else
		n = snprintf(buf, size, "%s: %s", e->file, e->msg);
	assert_true(n > 0 && (size_t)n < size);
}

static void
dump_errors(const struct cfg_errors *errors)
{
	char line[PATH_MAX + 300];
	size_t i;

	for (i = 0; i < errors->count; i++) {
		format_error(&errors->v[i], line, sizeof(line));
		print_message("  got: %s\n", line);
	}
}

/* Loads a file that must be valid; fails the test with its errors. */
static struct cfg *
load_ok(const char *path)
{
	struct cfg_errors errors = { 0 };
	struct cfg *cfg = SENTINEL;
	int r;

	r = cfg_load(path, &defaults, &cfg, &errors);
	if (r != 0) {
		dump_errors(&errors);
		cfg_errors_free(&errors);
		fail_msg("cfg_load(\"%s\") = %d, want 0", path, r);
	}
	assert_int_equal(errors.count, 0);
	assert_ptr_not_equal(cfg, SENTINEL);
	assert_non_null(cfg);
	cfg_errors_free(&errors);
	return cfg;
}

/* Loads path, which must fail with ret and exactly the errors in want
 * (a NULL-terminated list of "file:line: message"). */
static void
expect_errors(const char *path, int ret, const char *const *want)
{
	struct cfg_errors errors = { 0 };
	struct cfg *cfg = SENTINEL;
	char got[PATH_MAX + 300];
	size_t i, nwant;
	int r;

	for (nwant = 0; want[nwant] != NULL; nwant++)
		;
	r = cfg_load(path, &defaults, &cfg, &errors);
	if (r != ret || errors.count != nwant) {
		dump_errors(&errors);
		cfg_errors_free(&errors);
		fail_msg("%s: cfg_load() = %d with %zu errors, want %d with "
		    "%zu", path, r, errors.count, ret, nwant);
	}
	assert_ptr_equal(cfg, SENTINEL);
	assert_int_equal(errors.dropped, 0);
	for (i = 0; i < nwant; i++) {
		format_error(&errors.v[i], got, sizeof(got));
		if (strcmp(got, want[i]) != 0) {
			dump_errors(&errors);
			cfg_errors_free(&errors);
			fail_msg("%s: error %zu:\n  got  %s\n  want %s", path,
			    i, got, want[i]);
		}
	}
	cfg_errors_free(&errors);
}

/* fixtures + "/" + name */
static void
fixture_path(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", fixtures, name);

	assert_true(n > 0 && (size_t)n < size);
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *
read_whole(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* A fresh directory under $TMPDIR, removed by rm_tree(). */
static void
make_tmpdir(char *buf, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	n = snprintf(buf, size, "%s/test-config.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	assert_true(n > 0 && (size_t)n < size);
	assert_non_null(mkdtemp(buf));
}

static void
rm_tree(const char *dir)
{
	char cmd[PATH_MAX + 32];
	int n;

	n = snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	assert_int_equal(system(cmd), 0);
}

static void
assert_header_list(const struct cfg_settings *s, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < s->nheaders);
		assert_string_equal(s->headers[i], want[i]);
	}
	assert_int_equal(s->nheaders, i);
}

/* ---- the value syntax ---- */

struct num_case {
	const char *in;
	int ret;
	uint64_t want;
};

static const struct num_case durations[] = {
	{ "0", 0, 0 },
	{ "0s", 0, 0 },
	{ "90s", 0, 90 },
	{ "30m", 0, 1800 },
	{ "2h", 0, 7200 },
	{ "1d", 0, 86400 },
	{ "007m", 0, 420 },
	{ "18446744073709551615s", 0, UINT64_MAX },
	{ "213503982334601d", 0, UINT64_C(213503982334601) * 86400 },
	{ "18446744073709551616s", -ERANGE, 0 },
	{ "213503982334602d", -ERANGE, 0 },
	{ "307445734561825861m", -ERANGE, 0 },
	{ "99999999999999999999999999h", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "90", -EINVAL, 0 },	/* a unit is required but for 0 */
	{ "00", 0, 0 },
	{ "s", -EINVAL, 0 },
	{ "1.5h", -EINVAL, 0 },
	{ "-5m", -EINVAL, 0 },
	{ "+5m", -EINVAL, 0 },
	{ " 5m", -EINVAL, 0 },
	{ "5 m", -EINVAL, 0 },
	{ "5m ", -EINVAL, 0 },
	{ "5M", -EINVAL, 0 },
	{ "5ms", -EINVAL, 0 },
	{ "1h30m", -EINVAL, 0 },
	{ "5w", -EINVAL, 0 },
	{ "99999999999999999999999", -EINVAL, 0 },	/* no unit first */
};

static const struct num_case sizes[] = {
	{ "0", 0, 0 },
	{ "1", 0, 1 },
	{ "1536", 0, 1536 },
	{ "512K", 0, 524288 },
	{ "512k", 0, 524288 },
	{ "16M", 0, 16777216 },
	{ "16m", 0, 16777216 },
	{ "1G", 0, 1073741824 },
	{ "2g", 0, 2147483648 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "17179869183G", 0, UINT64_C(17179869183) << 30 },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "17179869184G", -ERANGE, 0 },
	{ "17592186044416M", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "K", -EINVAL, 0 },
	{ "16MB", -EINVAL, 0 },
	{ "16MiB", -EINVAL, 0 },
	{ "1T", -EINVAL, 0 },
	{ "1.5M", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 M", -EINVAL, 0 },
};

static void
check_nums(const struct num_case *c, size_t n,
    int (*fn)(const char *, uint64_t *), const char *name)
{
	uint64_t got;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		got = UINT64_C(777);
		r = fn(c[i].in, &got);
		if (r != c[i].ret)
			fail_msg("%s(\"%s\") = %d, want %d", name, c[i].in, r,
			    c[i].ret);
		if (r == 0 && got != c[i].want)
			fail_msg("%s(\"%s\") gave %" PRIu64 ", want %" PRIu64,
			    name, c[i].in, got, c[i].want);
		if (r != 0 && got != UINT64_C(777))
			fail_msg("%s(\"%s\") wrote its result on failure",
			    name, c[i].in);
	}
}

static void
test_parse_duration(void **state)
{
	(void)state;
	check_nums(durations, NELEM(durations), cfg_parse_duration,
	    "cfg_parse_duration");
}

static void
test_parse_size(void **state)
{
	(void)state;
	check_nums(sizes, NELEM(sizes), cfg_parse_size, "cfg_parse_size");
}

static void
test_parse_bool(void **state)
{
	static const struct {
		const char *in;
		int ret;
		bool want;
	} c[] = {
		{ "yes", 0, true }, { "YES", 0, true }, { "true", 0, true },
		{ "True", 0, true }, { "on", 0, true }, { "1", 0, true },
		{ "no", 0, false }, { "No", 0, false }, { "false", 0, false },
		{ "off", 0, false }, { "OFF", 0, false }, { "0", 0, false },
		{ "", -EINVAL, false }, { "y", -EINVAL, false },
		{ "n", -EINVAL, false }, { "2", -EINVAL, false },
		{ "yes ", -EINVAL, false }, { "enabled", -EINVAL, false },
		{ "00", -EINVAL, false },
	};
	size_t i;
	bool got;
	int r;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		/* Start from the opposite so that a write must happen. */
		got = !c[i].want;
		r = cfg_parse_bool(c[i].in, &got);
		if (r != c[i].ret)
			fail_msg("cfg_parse_bool(\"%s\") = %d, want %d",
			    c[i].in, r, c[i].ret);
		if (r == 0 && got != c[i].want)
			fail_msg("cfg_parse_bool(\"%s\") gave %d", c[i].in,
			    got);
		if (r != 0 && got != !c[i].want)
			fail_msg("cfg_parse_bool(\"%s\") wrote on failure",
			    c[i].in);
	}
}

static void
test_format(void **state)
{
	static const struct {
		uint64_t v;
		const char *duration, *size;
	} c[] = {
		{ 0, "0s", "0" },
		{ 1, "1s", "1" },
		{ 59, "59s", "59" },
		{ 60, "1m", "60" },
		{ 90, "90s", "90" },
		{ 1024, "1024s", "1K" },
		{ 1800, "30m", "1800" },
		{ 3600, "1h", "3600" },
		{ 5400, "90m", "5400" },
		{ 86400, "1d", "86400" },
		{ 90000, "25h", "90000" },
		{ 1572864, "1572864s", "1536K" },
		{ 16777216, "16777216s", "16M" },
		{ 1073741824, "1073741824s", "1G" },
		{ UINT64_MAX, "18446744073709551615s",
		    "18446744073709551615" },
	};
	char buf[32];
	uint64_t back;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		assert_int_equal(cfg_format_duration(c[i].v, buf,
		    sizeof(buf)), 0);
		assert_string_equal(buf, c[i].duration);
		/* What is printed reads back as the same value. */
		assert_int_equal(cfg_parse_duration(buf, &back), 0);
		assert_true(back == c[i].v);
		assert_int_equal(cfg_format_size(c[i].v, buf, sizeof(buf)), 0);
		assert_string_equal(buf, c[i].size);
		assert_int_equal(cfg_parse_size(buf, &back), 0);
		assert_true(back == c[i].v);
	}
	assert_int_equal(cfg_format_duration(86400, buf, 3), 0);
	assert_string_equal(buf, "1d");
	assert_int_equal(cfg_format_duration(86400, buf, 2), -ENOSPC);
	assert_int_equal(cfg_format_size(1536, buf, 4), -ENOSPC);
}

/* ---- loading good files ---- */

static void
test_minimal_defaults(void **state)
{
	char want[PATH_MAX];
	struct cfg *cfg;
	const struct cfg_settings *s;

	(void)state;
	cfg = load_ok("minimal.ini");
	assert_string_equal(cfg->state_dir.path, "/var/lib/feedspool");
	assert_null(cfg->state_dir.loc.file);
	assert_int_equal(cfg->state_dir.loc.line, 0);
	assert_string_equal(cfg->spool_dir.path, "/var/lib/feedspool/spool");
	assert_null(cfg->spool_dir.loc.file);
	fixture_path(want, sizeof(want), "out/merged.atom");
	assert_string_equal(cfg->output.path, want);
	assert_string_equal(cfg->output.loc.file, "minimal.ini");
	assert_int_equal(cfg->output.loc.line, 3);
	assert_null(cfg->output_rss.path);
	assert_null(cfg->output_json.path);
	assert_string_equal(cfg->output_title, "feedspool");
	assert_int_equal(cfg->output_items, 100);
	assert_int_equal(cfg->keep_days, 180);
	assert_int_equal(cfg->log_level, CFG_LOG_INFO);
	assert_true(cfg->fsync);
	assert_int_equal(cfg->concurrency, 16);
	assert_int_equal(cfg->min_interval, 300);
	assert_int_equal(cfg->max_backoff, 86400);
	assert_int_equal(cfg->per_host_delay, 1);
	assert_string_equal(cfg->loc.file, "minimal.ini");
	assert_int_equal(cfg->loc.line, 2);
	assert_int_equal(cfg->nfiles, 1);
	assert_string_equal(cfg->files[0], "minimal.ini");

	assert_int_equal(cfg->nfeeds, 1);
	assert_string_equal(cfg->feeds[0].name, "one");
	assert_string_equal(cfg->feeds[0].url, "https://example.org/feed.xml");
	assert_null(cfg->feeds[0].title);
	assert_null(cfg->feeds[0].category);
	assert_string_equal(cfg->feeds[0].loc.file, "minimal.ini");
	assert_int_equal(cfg->feeds[0].loc.line, 5);
	s = &cfg->feeds[0].settings;
	assert_int_equal(s->interval, 1800);
	assert_int_equal(s->timeout, 60);
	assert_int_equal(s->connect_timeout, 15);
	assert_int_equal(s->max_size, 16 << 20);
	assert_int_equal(s->per_host, 2);
	assert_string_equal(s->user_agent, defaults.user_agent);
	/* A copy: the caller's string may go away. */
	assert_ptr_not_equal(s->user_agent, defaults.user_agent);
	assert_null(s->proxy);
	assert_int_equal(s->nheaders, 0);
	assert_null(s->headers);
	assert_true(s->enabled);
	assert_int_equal(s->updates, CFG_UPDATES_IGNORE);
	assert_int_equal(cfg->defaults.interval, 1800);
	assert_string_equal(cfg->defaults.user_agent, defaults.user_agent);
	cfg_free(cfg);
}

static void
test_full_overrides(void **state)
{
	static const char *const global_headers[] = {
		"From: admin@example.org", "X-Api-Key: global-key", NULL,
	};
	/* The feed's x-api-key replaces the global X-Api-Key (names are
	 * case-insensitive); From is kept; "Cookie:" is kept as written. */
	static const char *const custom_headers[] = {
		"From: admin@example.org", "x-api-key: feed-key",
		"Accept: application/atom+xml", "Cookie:", NULL,
	};
	char want[PATH_MAX];
	struct cfg *cfg;
	const struct cfg_feed *f;
	const struct cfg_settings *s;

	(void)state;
	cfg = load_ok("full.ini");
	fixture_path(want, sizeof(want), "state");
	assert_string_equal(cfg->state_dir.path, want);
	assert_string_equal(cfg->state_dir.loc.file, "full.ini");
	assert_int_equal(cfg->state_dir.loc.line, 3);
	assert_string_equal(cfg->spool_dir.path, "/srv/spool");
	assert_int_equal(cfg->spool_dir.loc.line, 4);
	fixture_path(want, sizeof(want), "out/merged.atom");
	assert_string_equal(cfg->output.path, want);
	fixture_path(want, sizeof(want), "out/merged.rss");
	assert_string_equal(cfg->output_rss.path, want);
	assert_int_equal(cfg->output_rss.loc.line, 6);
	assert_string_equal(cfg->output_json.path, "/srv/out/merged.json");
	assert_int_equal(cfg->output_items, 250);
	assert_string_equal(cfg->output_title, "Morning papers");
	assert_int_equal(cfg->keep_days, 30);
	assert_int_equal(cfg->log_level, CFG_LOG_DEBUG);
	assert_false(cfg->fsync);
	assert_int_equal(cfg->min_interval, 0);
	assert_int_equal(cfg->max_backoff, 6 * 3600);
	assert_int_equal(cfg->concurrency, 4);
	assert_int_equal(cfg->per_host_delay, 250);

	s = &cfg->defaults;
	assert_int_equal(s->interval, 7200);
	assert_int_equal(s->timeout, 90);
	assert_int_equal(s->connect_timeout, 5);
	assert_int_equal(s->max_size, 512 * 1024);
	assert_int_equal(s->per_host, 3);
	assert_string_equal(s->user_agent,
	    "reader/1.0 (+https://example.org/)");
	assert_string_equal(s->proxy,
	    "http://user:secret@proxy.example.org:3128");
	assert_header_list(s, global_headers);
	assert_false(s->enabled);
	assert_int_equal(s->updates, CFG_UPDATES_SPOOL);

	assert_int_equal(cfg->nfeeds, 2);
	f = &cfg->feeds[0];
	assert_string_equal(f->name, "plain");
	assert_int_equal(f->loc.line, 30);
	s = &f->settings;
	assert_int_equal(s->interval, 7200);
	assert_int_equal(s->timeout, 90);
	assert_int_equal(s->connect_timeout, 5);
	assert_int_equal(s->max_size, 512 * 1024);
	assert_int_equal(s->per_host, 3);
	assert_string_equal(s->user_agent,
	    "reader/1.0 (+https://example.org/)");
	assert_string_equal(s->proxy,
	    "http://user:secret@proxy.example.org:3128");
	assert_header_list(s, global_headers);
	assert_false(s->enabled);
	assert_int_equal(s->updates, CFG_UPDATES_SPOOL);

	f = &cfg->feeds[1];
	assert_string_equal(f->name, "custom");
	assert_string_equal(f->url, "https://example.net/custom.atom");
	assert_string_equal(f->title, "Custom title");
	assert_string_equal(f->category, "Tech");
	assert_string_equal(f->loc.file, "full.ini");
	assert_int_equal(f->loc.line, 34);
	s = &f->settings;
	assert_int_equal(s->interval, 86400);
	assert_int_equal(s->timeout, 10);
	assert_int_equal(s->connect_timeout, 2);
	assert_int_equal(s->max_size, 512 << 20);
	assert_int_equal(s->per_host, 1);
	assert_string_equal(s->user_agent, "custom-agent");
	assert_string_equal(s->proxy, "");	/* "proxy =": none at all */
	assert_header_list(s, custom_headers);
	assert_true(s->enabled);
	assert_int_equal(s->updates, CFG_UPDATES_IGNORE);
	cfg_free(cfg);
}

static void
test_syntax(void **state)
{
	char want[PATH_MAX];
	struct cfg *cfg;

	(void)state;
	/* BOM, CRLF, ":" for "=", indentation that is not a continuation,
	 * inline comments only after white space, quotes kept. */
	cfg = load_ok("syntax.ini");
	fixture_path(want, sizeof(want), "out.atom");
	assert_string_equal(cfg->output.path, want);
	assert_int_equal(cfg->output.loc.line, 3);
	assert_int_equal(cfg->defaults.interval, 45 * 60);
	assert_int_equal(cfg->loc.line, 2);
	assert_string_equal(cfg->output_title, "a;b");
	assert_string_equal(cfg->defaults.user_agent, "\"quoted\" agent");
	assert_int_equal(cfg->nfeeds, 3);
	assert_string_equal(cfg->feeds[0].name, "with-fragment");
	assert_string_equal(cfg->feeds[0].url,
	    "https://example.org/page#section");
	assert_string_equal(cfg->feeds[0].title, "spaced   out");
	assert_int_equal(cfg->feeds[0].loc.line, 11);
	/* 64 bytes: longer than inih's section buffer. */
	assert_int_equal(strlen(cfg->feeds[1].name), 64);
	assert_string_equal(cfg->feeds[1].name + 60, "-x64");
	assert_string_equal(cfg->feeds[1].url, "https://example.org/long-name");
	assert_int_equal(cfg->feeds[1].loc.line, 14);
	assert_string_equal(cfg->feeds[2].name, "Mixed_Case-1.2");
	assert_string_equal(cfg->feeds[2].url,
	    "HTTPS://Example.ORG:8443/x?q=1");
	assert_int_equal(cfg->feeds[2].loc.line, 16);
	cfg_free(cfg);
}

static void
test_include(void **state)
{
	static const struct {
		const char *name, *file;
		int line;
	} want[] = {
		{ "main", "include.ini", 10 },
		{ "a1", "inc.d/a.ini", 3 },
		{ "n1", "inc.d/../nested/n.ini", 1 },
		{ "b1", "inc.d/b.ini", 1 },
		{ "one", "single/one.ini", 2 },
		{ "x", "dropin/x.ini", 1 },
	};
	static const char *const files[] = {
		"include.ini", "inc.d/a.ini", "inc.d/../nested/n.ini",
		"inc.d/b.ini", "single/one.ini", "dropin/x.ini",
	};
	struct cfg *cfg;
	size_t i;

	(void)state;
	cfg = load_ok("include.ini");
	assert_int_equal(cfg->nfeeds, NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		assert_string_equal(cfg->feeds[i].name, want[i].name);
		assert_string_equal(cfg->feeds[i].loc.file, want[i].file);
		assert_int_equal(cfg->feeds[i].loc.line, want[i].line);
	}
	/* A setting from an included file applies to its feed only. */
	assert_int_equal(cfg->feeds[1].settings.interval, 3600);
	assert_int_equal(cfg->feeds[0].settings.interval, 1800);
	assert_int_equal(cfg->nfiles, NELEM(files));
	for (i = 0; i < NELEM(files); i++)
		assert_string_equal(cfg->files[i], files[i]);
	/* cfg_loc points into files[]. */
	assert_ptr_equal(cfg->feeds[5].loc.file, cfg->files[5]);
	cfg_free(cfg);
}

static void
test_bounds(void **state)
{
	struct cfg *cfg;
	const struct cfg_settings *s;

	(void)state;
	/* Each limit itself is accepted (err-bounds.ini has one past). */
	cfg = load_ok("bounds.ini");
	assert_int_equal(cfg->output_items, 100000);
	assert_int_equal(cfg->keep_days, 36500);
	assert_int_equal(cfg->concurrency, 1024);
	assert_int_equal(cfg->min_interval, 7 * 86400);
	assert_int_equal(cfg->max_backoff, 30 * 86400);
	assert_int_equal(cfg->per_host_delay, 3600);
	s = &cfg->defaults;
	assert_int_equal(s->interval, 365 * 86400);
	assert_int_equal(s->timeout, 3600);
	assert_int_equal(s->connect_timeout, 3600);
	assert_int_equal(s->max_size, 512 << 20);
	assert_int_equal(s->per_host, 64);
	s = &cfg->feeds[0].settings;
	assert_int_equal(s->interval, 1);
	assert_int_equal(s->timeout, 1);
	assert_int_equal(s->connect_timeout, 1);
	assert_int_equal(s->max_size, 1024);
	assert_int_equal(s->per_host, 1);
	cfg_free(cfg);

	cfg = load_ok("bounds-low.ini");
	assert_int_equal(cfg->output_items, 1);
	assert_int_equal(cfg->keep_days, 1);
	assert_int_equal(cfg->concurrency, 1);
	assert_int_equal(cfg->min_interval, 0);
	assert_int_equal(cfg->max_backoff, 60);
	assert_int_equal(cfg->per_host_delay, 0);
	cfg_free(cfg);
}

/* ---- errors ---- */

#define NAME_RULE "(use 1 to 64 of A-Z a-z 0-9 . _ -, not starting " \
	"with \".\")"
#define N10 "nnnnnnnnnn"
#define X10 "xxxxxxxxxx"
#define DURATION_HINT "(use 90s, 30m, 2h, 1d)"

static const char *const err_keys[] = {
	"err-keys.ini:1: interval: must be in a section ([feedspool] or "
	    "[feed.NAME])",
	"err-keys.ini:5: intreval: unknown key (did you mean \"interval\"?)",
	"err-keys.ini:6: outptu_rss: unknown key (did you mean "
	    "\"output_rss\"?)",
	"err-keys.ini:7: colour: unknown key",
	"err-keys.ini:8: url: only allowed in [feed.NAME] sections",
	"err-keys.ini:9: title: only allowed in [feed.NAME] sections",
	"err-keys.ini:11: interval: already set at err-keys.ini:10",
	"err-keys.ini:12: \"max size\": unknown key (did you mean "
	    "\"max_size\"?)",
	"err-keys.ini:15: concurrency: only allowed in [feedspool]",
	"err-keys.ini:16: keep_days: only allowed in [feedspool]",
	"err-keys.ini:17: include: only allowed in [feedspool] or before the "
	    "first section",
	"err-keys.ini:18: tilte: unknown key (did you mean \"title\"?)",
	"err-keys.ini:19: enable: unknown key (did you mean \"enabled\"?)",
	"err-keys.ini:20: urls: unknown key (did you mean \"url\"?)",
	NULL,
};

static const char *const err_sections[] = {
	"err-sections.ini:3: [feedspool]: duplicate section (first at "
	    "err-sections.ini:1)",
	"err-sections.ini:7: [feed.ok]: duplicate feed name (first defined at "
	    "err-sections.ini:5)",
	"err-sections.ini:9: [feed.nourl]: missing url",
	"err-sections.ini:11: [feed.]: invalid feed name " NAME_RULE,
	"err-sections.ini:12: [feed..dot]: invalid feed name " NAME_RULE,
	"err-sections.ini:13: [feed.\"has space\"]: invalid feed name "
	    NAME_RULE,
	"err-sections.ini:14: [feed.\"\xc3\xbc\"]: invalid feed name "
	    NAME_RULE,
	"err-sections.ini:15: [feed.\"" N10 N10 N10 N10 N10 N10 "...\"]: "
	    "invalid feed name " NAME_RULE,
	"err-sections.ini:16: [feedspol]: unknown section (did you mean "
	    "[feedspool]?)",
	"err-sections.ini:17: [feeds.x]: unknown section (did you mean "
	    "[feed.x]?)",
	"err-sections.ini:18: [general]: unknown section (use [feedspool] or "
	    "[feed.NAME])",
	"err-sections.ini:20: \"[feed.x\" is not a section header (use "
	    "[feedspool] or [feed.NAME])",
	"err-sections.ini:22: \"[feed.y] trailing\" is not a section header "
	    "(use [feedspool] or [feed.NAME])",
	"err-sections.ini:23: []: unknown section (use [feedspool] or "
	    "[feed.NAME])",
	"err-sections.ini:24: \"noequals\" is not a \"key = value\" line",
	"err-sections.ini:25: \"= nokey\" has no key before \"=\"",
	"err-sections.ini:26: \": nokey\" has no key before \":\"",
	NULL,
};

static const char *const err_values[] = {
	"err-values.ini:3: interval: \"15x\" is not a duration " DURATION_HINT,
	"err-values.ini:4: timeout: \"90\" is not a duration " DURATION_HINT,
	"err-values.ini:5: connect_timeout: \"0s\" is out of range (1s to 1h)",
	"err-values.ini:6: min_interval: \"8d\" is out of range (0s to 7d)",
	"err-values.ini:7: max_backoff: \"18446744073709551616s\" is out of "
	    "range (1m to 30d)",
	"err-values.ini:8: per_host_delay: \"1.5s\" is not a duration "
	    DURATION_HINT,
	"err-values.ini:9: max_size: \"16MB\" is not a size (use 512K, 16M, "
	    "1G, or bytes)",
	"err-values.ini:10: keep_days: \"0\" is out of range (1 to 36500)",
	"err-values.ini:11: output_items: \"1e3\" is not a whole number",
	"err-values.ini:12: concurrency: \"-1\" is not a whole number",
	"err-values.ini:13: per_host: \"99999999999999999999999\" is out of "
	    "range (1 to 64)",
	"err-values.ini:14: fsync: \"maybe\" is not a boolean (use yes or no)",
	"err-values.ini:15: log_level: \"verbose\" is not a log level (use "
	    "error, warning, info or debug)",
	"err-values.ini:16: updates: \"keep\" is not \"ignore\" or \"spool\"",
	"err-values.ini:17: user_agent: \"\xc3\xbc" "ber-agent\" has "
	    "characters other than printable ASCII",
	"err-values.ini:18: output_title: empty value",
	"err-values.ini:19: proxy: \"ftp://proxy\" is not a proxy URL (use "
	    "http://HOST:PORT or socks5h://HOST:PORT)",
	"err-values.ini:20: header: \"NoColon\" is not a header line (use "
	    "\"Name: value\")",
	"err-values.ini:21: header: \"Bad Name: x\" is not a header line (use "
	    "\"Name: value\")",
	"err-values.ini:22: header: \"Host: example.org\" is a header "
	    "feedspool sets itself",
	"err-values.ini:23: header: \"user-agent: x\" is set with user_agent",
	"err-values.ini:25: header: \"x-ok\" is already set at "
	    "err-values.ini:24",
	"err-values.ini:26: header: \"X-Bin: caf\xc3\xa9\" has characters "
	    "other than printable ASCII in its value",
	"err-values.ini:27: enabled: \"2\" is not a boolean (use yes or no)",
	"err-values.ini:28: state_dir: empty value",
	"err-values.ini:29: output_url: \"ftp://example.org/merged.atom\" is "
	    "not an http or https URL",
	"err-values.ini:32: title: \"tab\\x09then bell\\x07\" has control "
	    "characters",
	"err-values.ini:33: category: \"caf\\xe9\" is not valid UTF-8",
	"err-values.ini:34: interval: \"0\" is out of range (1s to 365d)",
	"err-values.ini:35: url: already set at err-values.ini:31",
	"err-values.ini:36: max_size: \"1023\" is out of range (1K to 512M)",
	"err-values.ini:37: timeout: \"1h1s\" is not a duration "
	    DURATION_HINT,
	"err-values.ini:38: header: empty value",
	"err-values.ini:40: url: \"ftp://example.org/\" is not an http or "
	    "https URL",
	"err-values.ini:42: url: \"http:///path\" has no host",
	"err-values.ini:44: url: \"https://example.org:99999/\" has a bad "
	    "port",
	"err-values.ini:46: url: \"https://exa mple.org/\" contains white "
	    "space or control characters",
	"err-values.ini:48: url: \"example.org/feed\" is not an http or https "
	    "URL",
	"err-values.ini:50: url: \"http://[::1/\" has a bad host",
	"err-values.ini:52: url: \"http://user@:80/\" has no host",
	"err-values.ini:54: url: \"https://example.org:/\" has a bad port",
	/* 60 bytes of the value, then "...". */
	"err-values.ini:56: url: \"gopher://" X10 X10 X10 X10 X10 "x...\" is "
	    "not an http or https URL",
	NULL,
};

static const char *const err_dupurl[] = {
	"err-dupurl.ini:6: url: same URL as [feed.a] at err-dupurl.ini:4",
	"err-dupurl.ini:8: url: same URL as [feed.a] at err-dupurl.ini:4",
	"err-dupurl.ini:16: url: same URL as [feed.f] at err-dupurl.ini:14",
	"err-dupurl.ini:20: url: same URL as [feed.h] at err-dupurl.ini:18",
	NULL,
};

static const char *const err_nooutput[] = {
	"err-nooutput.ini:1: [feedspool]: missing output (the path of the "
	    "merged Atom feed)",
	NULL,
};

static const char *const err_samefile[] = {
	"err-samefile.ini:3: output_rss: same file as output "
	    "(err-samefile.ini:2)",
	"err-samefile.ini:4: output_json: same file as output "
	    "(err-samefile.ini:2)",
	NULL,
};

static const char *const err_nosection[] = {
	"err-nosection.ini: missing [feedspool] section (it must set output)",
	NULL,
};

static const char *const err_include[] = {
	"err-include.ini:3: include: \"missing.ini\": No such file or "
	    "directory",
	"err-include.ini:4: include: \"err-include.ini\": already read",
	"loop/b.ini:1: include: \"loop/a.ini\": already read",
	"depth/d8.ini:1: include: nested more than 8 levels deep",
	"bad/dupe.ini:1: [feed.here]: duplicate feed name (first defined at "
	    "err-include.ini:10)",
	"bad/global.ini:1: [feedspool]: only allowed in the main file "
	    "(err-include.ini)",
	"bad/values.ini:1: timeout: must be in a section ([feedspool] or "
	    "[feed.NAME])",
	"bad/values.ini:4: interval: \"soon\" is not a duration "
	    DURATION_HINT,
	"err-include.ini:8: include: \"/dev/null\": not a regular file",
	NULL,
};

static const char *const err_bounds[] = {
	"err-bounds.ini:3: output_items: \"100001\" is out of range (1 to "
	    "100000)",
	"err-bounds.ini:4: keep_days: \"36501\" is out of range (1 to 36500)",
	"err-bounds.ini:5: concurrency: \"1025\" is out of range (1 to 1024)",
	"err-bounds.ini:6: min_interval: \"604801s\" is out of range (0s to "
	    "7d)",
	"err-bounds.ini:7: max_backoff: \"59s\" is out of range (1m to 30d)",
	"err-bounds.ini:8: per_host_delay: \"3601s\" is out of range (0s to "
	    "1h)",
	"err-bounds.ini:9: interval: \"31536001s\" is out of range (1s to "
	    "365d)",
	"err-bounds.ini:10: timeout: \"3601s\" is out of range (1s to 1h)",
	"err-bounds.ini:11: connect_timeout: \"3601s\" is out of range (1s to "
	    "1h)",
	"err-bounds.ini:12: max_size: \"536870913\" is out of range (1K to "
	    "512M)",
	"err-bounds.ini:13: per_host: \"65\" is out of range (1 to 64)",
	"err-bounds.ini:17: interval: \"0s\" is out of range (1s to 365d)",
	"err-bounds.ini:18: timeout: \"0s\" is out of range (1s to 1h)",
	"err-bounds.ini:19: connect_timeout: \"0s\" is out of range (1s to "
	    "1h)",
	"err-bounds.ini:20: max_size: \"0\" is out of range (1K to 512M)",
	"err-bounds.ini:21: per_host: \"0\" is out of range (1 to 64)",
	NULL,
};

static const char *const err_missing[] = {
	"does-not-exist.ini: No such file or directory",
	NULL,
};

static const char *const err_directory[] = {
	"inc.d: not a regular file",
	NULL,
};

static void
test_error_fixtures(void **state)
{
	static const struct {
		const char *file;
		int ret;
		const char *const *want;
	} c[] = {
		{ "err-keys.ini", -EINVAL, err_keys },
		{ "err-sections.ini", -EINVAL, err_sections },
		{ "err-values.ini", -EINVAL, err_values },
		{ "err-dupurl.ini", -EINVAL, err_dupurl },
		{ "err-nooutput.ini", -EINVAL, err_nooutput },
		{ "err-samefile.ini", -EINVAL, err_samefile },
		{ "err-nosection.ini", -EINVAL, err_nosection },
		{ "err-include.ini", -EINVAL, err_include },
		{ "err-bounds.ini", -EINVAL, err_bounds },
		{ "does-not-exist.ini", -ENOENT, err_missing },
		{ "inc.d", -EINVAL, err_directory },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++)
		expect_errors(c[i].file, c[i].ret, c[i].want);
}

/* Files whose bytes do not fit in a fixture comfortably. */
/*
 * An include that names a FIFO is refused at once: opening it for reading
 * must not wait for a writer (the loader would hang; fuzz-ini found it).
 */
static void
test_include_fifo(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], fifo[PATH_MAX];
	char msg[2 * PATH_MAX + 64];
	const char *want[] = { msg, NULL };
	char text[PATH_MAX + 64];

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	xsnprintf(path, sizeof(path), "%s/main.ini", dir);
	xsnprintf(fifo, sizeof(fifo), "%s/pipe.ini", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	xsnprintf(text, sizeof(text), "[feedspool]\noutput = o.atom\n"
	    "include = pipe.ini\n");
	write_file(path, text, strlen(text));
	xsnprintf(msg, sizeof(msg), "%s:3: include: \"%s\": not a "
	    "regular file", path, fifo);
	expect_errors(path, -EINVAL, want);
	rm_tree(dir);
}

static void
test_generated_lines(void **state)
{
	static const char nul[] = "[feedspool]\noutput = a\0b\n";
	static char text[64 + LINE_LIMIT + 16];
	char dir[PATH_MAX], path[PATH_MAX + 16], msg[2][4 * PATH_MAX];
	const char *want[3] = { msg[0], msg[1], NULL };
	struct cfg *cfg;
	size_t len;
	int n;

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	n = snprintf(path, sizeof(path), "%s/gen.ini", dir);
	assert_true(n > 0 && (size_t)n < sizeof(path));

	/* A NUL byte: the line is refused, so output is missing. */
	write_file(path, nul, sizeof(nul) - 1);
	xsnprintf(msg[0], sizeof(msg[0]), "%s:2: the line contains a NUL byte",
	    path);
	xsnprintf(msg[1], sizeof(msg[1]), "%s:1: [feedspool]: missing output "
	    "(the path of the merged Atom feed)", path);
	expect_errors(path, -EINVAL, want);

	/* A line of exactly the limit is whole; one byte more is refused,
	 * never cut in two. */
	len = strlen("[feedspool]\noutput = o.atom\nuser_agent = ");
	memcpy(text, "[feedspool]\noutput = o.atom\nuser_agent = ", len);
	memset(text + len, 'a', LINE_LIMIT - 13);
	memcpy(text + len + LINE_LIMIT - 13, "\n", 2);
	write_file(path, text, strlen(text));
	cfg = load_ok(path);
	assert_int_equal(strlen(cfg->defaults.user_agent), LINE_LIMIT - 13);
	cfg_free(cfg);

	memset(text + len, 'a', LINE_LIMIT - 12);
	memcpy(text + len + LINE_LIMIT - 12, "\n", 2);
	write_file(path, text, strlen(text));
	xsnprintf(msg[0], sizeof(msg[0]), "%s:3: the line is too long (the "
	    "limit is %d bytes)", path, LINE_LIMIT);
	want[1] = NULL;
	expect_errors(path, -EINVAL, want);
	rm_tree(dir);
}

static void
test_error_cap(void **state)
{
	struct cfg_errors errors = { 0 };
	struct cfg *cfg = SENTINEL;
	char dir[PATH_MAX], path[PATH_MAX + 16], got[PATH_MAX + 300];
	char want[4 * PATH_MAX];
	char text[60 * 12 + 16];
	size_t i, o;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int n;

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	n = snprintf(path, sizeof(path), "%s/cap.ini", dir);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	/* 60 unknown keys and a missing output: 61 errors. */
	o = (size_t)sprintf(text, "[feedspool]\n");
	for (i = 0; i < 60; i++)
		o += (size_t)sprintf(text + o, "bogus%02zu = 1\n", i);
	write_file(path, text, o);

	assert_int_equal(cfg_load(path, &defaults, &cfg, &errors), -EINVAL);
	assert_ptr_equal(cfg, SENTINEL);
	assert_int_equal(errors.count, CFG_MAX_ERRORS);
	assert_int_equal(errors.dropped, 11);
	format_error(&errors.v[0], got, sizeof(got));
	xsnprintf(want, sizeof(want), "%s:2: bogus00: unknown key", path);
	assert_string_equal(got, want);
	format_error(&errors.v[49], got, sizeof(got));
	xsnprintf(want, sizeof(want), "%s:51: bogus49: unknown key", path);
	assert_string_equal(got, want);

	/* cfg_errors_print(): one line each, then the count of the rest. */
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	assert_int_equal(cfg_errors_print(&errors, f), 0);
	assert_int_equal(fclose(f), 0);
	xsnprintf(want, sizeof(want), "%s:51: bogus49: unknown key\n"
	    "... and 11 more errors\n", path);
	assert_true(outlen > strlen(want));
	assert_string_equal(out + outlen - strlen(want), want);
	free(out);

	cfg_errors_free(&errors);
	assert_null(errors.v);
	assert_int_equal(errors.count, 0);
	assert_int_equal(errors.dropped, 0);
	cfg_errors_free(NULL);
	rm_tree(dir);
}

static void
test_errors_print_whole_file(void **state)
{
	struct cfg_errors errors = { 0 };
	struct cfg *cfg = SENTINEL;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	(void)state;
	assert_int_equal(cfg_load("err-nosection.ini", &defaults, &cfg,
	    &errors), -EINVAL);
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	assert_int_equal(cfg_errors_print(&errors, f), 0);
	assert_int_equal(fclose(f), 0);
	/* Line 0 means the whole file: no ":0". */
	assert_string_equal(out, "err-nosection.ini: missing [feedspool] "
	    "section (it must set output)\n");
	free(out);
	cfg_errors_free(&errors);
}

static void
test_ini_max_line_restored(void **state)
{
#ifdef HAVE_INI_MAX_LINE
	struct cfg *cfg;
	int before = ini_max_line;

	(void)state;
	cfg = load_ok("minimal.ini");
	cfg_free(cfg);
	assert_int_equal(ini_max_line, before);
	assert_true(before < CFG_MAX_LINE);
#else
	(void)state;
	skip();
#endif
}

/* ---- cfg_check_dirs() ---- */

static struct cfg *
load_text(const char *dir, const char *text, char *path, size_t size)
{
	int n = snprintf(path, size, "%s/c.ini", dir);

	assert_true(n > 0 && (size_t)n < size);
	write_file(path, text, strlen(text));
	return load_ok(path);
}

static void
sub(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
}

static void
expect_dir_errors(const struct cfg *cfg, int ret, const char *const *want)
{
	struct cfg_errors errors = { 0 };
	char got[PATH_MAX + 300];
	size_t i;
	int r;

	r = cfg_check_dirs(cfg, &errors);
	for (i = 0; want[i] != NULL; i++)
		;
	if (r != ret || errors.count != i) {
		dump_errors(&errors);
		cfg_errors_free(&errors);
		fail_msg("cfg_check_dirs() = %d with %zu errors, want %d with "
		    "%zu", r, errors.count, ret, i);
	}
	for (i = 0; want[i] != NULL; i++) {
		format_error(&errors.v[i], got, sizeof(got));
		if (strcmp(got, want[i]) != 0) {
			cfg_errors_free(&errors);
			fail_msg("error %zu:\n  got  %s\n  want %s", i, got,
			    want[i]);
		}
	}
	cfg_errors_free(&errors);
}

static void
test_check_dirs_ok(void **state)
{
	static const char *const none[] = { NULL };
	char dir[PATH_MAX], path[PATH_MAX + 16], p[PATH_MAX + 32];
	struct stat st;
	struct cfg *cfg;

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	sub(p, sizeof(p), dir, "state");
	assert_int_equal(mkdir(p, 0700), 0);
	/* state exists; new/spool and out/ can be created; the RSS output
	 * goes straight into dir. */
	cfg = load_text(dir, "[feedspool]\nstate_dir = state\n"
	    "spool_dir = new/spool\noutput = out/merged.atom\n"
	    "output_rss = merged.rss\n", path, sizeof(path));
	expect_dir_errors(cfg, 0, none);
	/* Nothing was created. */
	sub(p, sizeof(p), dir, "new");
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(errno, ENOENT);
	sub(p, sizeof(p), dir, "out");
	assert_int_equal(stat(p, &st), -1);
	cfg_free(cfg);
	rm_tree(dir);
}

static void
test_check_dirs_errors(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], p[PATH_MAX + 32];
	char msg[4][4 * PATH_MAX];
	const char *want[5] = { msg[0], msg[1], msg[2], msg[3], NULL };
	struct cfg *cfg;

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	sub(p, sizeof(p), dir, "afile");
	write_file(p, "x", 1);
	sub(p, sizeof(p), dir, "adir");
	assert_int_equal(mkdir(p, 0700), 0);

	cfg = load_text(dir, "[feedspool]\nstate_dir = afile\n"
	    "spool_dir = afile/spool\noutput = adir\n"
	    "output_rss = afile/x/merged.rss\n", path, sizeof(path));
	xsnprintf(msg[0], sizeof(msg[0]), "%s:2: state_dir: \"%s/afile\" is "
	    "not a directory", path, dir);
	xsnprintf(msg[1], sizeof(msg[1]), "%s:3: spool_dir: "
	    "\"%s/afile/spool\": Not a directory", path, dir);
	xsnprintf(msg[2], sizeof(msg[2]), "%s:4: output: \"%s/adir\" is a "
	    "directory", path, dir);
	xsnprintf(msg[3], sizeof(msg[3]), "%s:5: output_rss: \"%s/afile/x\": "
	    "Not a directory", path, dir);
	expect_dir_errors(cfg, -EINVAL, want);
	cfg_free(cfg);

	/* The default spool_dir is blamed on the line that set state_dir. */
	cfg = load_text(dir, "[feedspool]\nstate_dir = afile\n"
	    "output = o.atom\n", path, sizeof(path));
	xsnprintf(msg[1], sizeof(msg[1]), "%s:2: spool_dir: "
	    "\"%s/afile/spool\": Not a directory", path, dir);
	want[2] = NULL;
	expect_dir_errors(cfg, -EINVAL, want);
	cfg_free(cfg);
	rm_tree(dir);
}

static void
test_check_dirs_unwritable(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], p[PATH_MAX + 32];
	char msg[2][4 * PATH_MAX];
	const char *want[3] = { msg[0], msg[1], NULL };
	struct cfg *cfg;

	(void)state;
	/* Permission bits do not stop root. */
	if (geteuid() == 0)
		skip();
	make_tmpdir(dir, sizeof(dir));
	sub(p, sizeof(p), dir, "ro");
	assert_int_equal(mkdir(p, 0500), 0);
	cfg = load_text(dir, "[feedspool]\nstate_dir = ro\n"
	    "spool_dir = ro/spool\noutput = o.atom\n", path, sizeof(path));
	xsnprintf(msg[0], sizeof(msg[0]), "%s:2: state_dir: \"%s/ro\" is not "
	    "writable (Permission denied)", path, dir);
	xsnprintf(msg[1], sizeof(msg[1]), "%s:3: spool_dir: \"%s/ro/spool\" "
	    "cannot be created: \"%s/ro\" is not writable (Permission "
	    "denied)", path, dir, dir);
	expect_dir_errors(cfg, -EINVAL, want);
	cfg_free(cfg);
	assert_int_equal(chmod(p, 0700), 0);
	rm_tree(dir);
}

/* ---- the summary ---- */

static void
test_summary(void **state)
{
	struct cfg *cfg;
	char *out = NULL, *want;
	size_t outlen = 0;
	FILE *f;

	(void)state;
	cfg = load_ok("summary.ini");
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	assert_int_equal(cfg_print_summary(cfg, f), 0);
	assert_int_equal(fclose(f), 0);
	want = read_whole("summary.expected");
	if (strcmp(out, want) != 0)
		print_message("got:\n%s", out);
	assert_string_equal(out, want);
	/* Secrets stay out. */
	assert_null(strstr(out, "do-not-print"));
	assert_null(strstr(out, "s3cret"));
	free(want);
	free(out);
	cfg_free(cfg);
}

/* ---- the example files ---- */

static void
test_example_loads(void **state)
{
	char path[PATH_MAX];
	struct cfg *cfg;
	int n;

	(void)state;
	n = snprintf(path, sizeof(path), "%s/feedspool.ini",
	    CFG_TEST_EXAMPLES);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	cfg = load_ok(path);
	assert_int_equal(cfg->nfeeds, 0);
	assert_string_equal(cfg->output.path, "/var/lib/feedspool/merged.atom");
	assert_string_equal(cfg->state_dir.path, "/var/lib/feedspool");
	assert_string_equal(cfg->spool_dir.path, "/var/lib/feedspool/spool");
	cfg_free(cfg);
}

static void
test_demo_loads(void **state)
{
	static const char *const names[] = { "harbour-news",
		"valley-observatory", "river-cycling" };
	static const char *const urls[] = {
		"http://127.0.0.1:8765/harbour-news.rss",
		"http://127.0.0.1:8765/valley-observatory.atom",
		"http://127.0.0.1:8765/river-cycling.json",
	};
	char path[PATH_MAX], want[PATH_MAX + 32];
	struct cfg *cfg;
	size_t i;
	int n;

	(void)state;
	n = snprintf(path, sizeof(path), "%s/demo.ini", CFG_TEST_EXAMPLES);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	cfg = load_ok(path);
	/* Relative to demo.ini, not to the current directory. */
	n = snprintf(want, sizeof(want), "%s/demo-state", CFG_TEST_EXAMPLES);
	assert_true(n > 0 && (size_t)n < sizeof(want));
	assert_string_equal(cfg->state_dir.path, want);
	n = snprintf(want, sizeof(want), "%s/demo-state/merged.atom",
	    CFG_TEST_EXAMPLES);
	assert_true(n > 0 && (size_t)n < sizeof(want));
	assert_string_equal(cfg->output.path, want);
	assert_non_null(cfg->output_rss.path);
	assert_non_null(cfg->output_json.path);
	assert_int_equal(cfg->nfeeds, NELEM(names));
	for (i = 0; i < NELEM(names); i++) {
		assert_string_equal(cfg->feeds[i].name, names[i]);
		assert_string_equal(cfg->feeds[i].url, urls[i]);
		assert_int_equal(cfg->feeds[i].settings.interval, 60);
		assert_true(cfg->feeds[i].settings.enabled);
	}
	cfg_free(cfg);
}

/*
 * Turns every ";key = value" and ";[feed.NAME]" line of the example into
 * a live one, and loads the result: every documented key and value must
 * be real.  Returns the number of lines turned.
 */
static size_t
uncomment_example(const char *text, char **ret)
{
	char *out, *o;
	const char *p, *eol;
	size_t n = 0, klen;

	out = malloc(strlen(text) + 1);
	assert_non_null(out);
	o = out;
	for (p = text; *p != '\0'; p = eol) {
		eol = strchr(p, '\n');
		eol = eol != NULL ? eol + 1 : p + strlen(p);
		klen = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (p[0] == ';' && ((klen > 0 &&
		    strncmp(p + 1 + klen, " = ", 3) == 0) ||
		    strncmp(p + 1, "[feed.", 6) == 0)) {
			p++;
			n++;
		}
		memcpy(o, p, (size_t)(eol - p));
		o += eol - p;
	}
	*o = '\0';
	*ret = out;
	return n;
}

static void
test_example_uncommented(void **state)
{
	static const char *const members_headers[] = {
		"From: feeds-admin@example.org",
		"Authorization: Bearer put-the-token-here",
		"Accept: application/atom+xml", NULL,
	};
	char path[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 32];
	char *text, *live;
	const struct cfg_feed *f;
	struct cfg *cfg;
	size_t n;
	int r;

	(void)state;
	r = snprintf(path, sizeof(path), "%s/feedspool.ini",
	    CFG_TEST_EXAMPLES);
	assert_true(r > 0 && (size_t)r < sizeof(path));
	text = read_whole(path);
	n = uncomment_example(text, &live);
	assert_true(n >= 30);
	make_tmpdir(dir, sizeof(dir));
	sub(tmp, sizeof(tmp), dir, "feedspool.ini");
	write_file(tmp, live, strlen(live));
	cfg = load_ok(tmp);
	assert_non_null(cfg->output_rss.path);
	assert_non_null(cfg->output_json.path);
	assert_int_equal(cfg->nfeeds, 2);
	assert_string_equal(cfg->feeds[0].name, "world-news");
	assert_string_equal(cfg->feeds[0].title, "World news");
	f = &cfg->feeds[1];
	assert_string_equal(f->name, "members-only");
	assert_int_equal(f->settings.interval, 7200);
	assert_int_equal(f->settings.timeout, 120);
	assert_int_equal(f->settings.max_size, 2 << 20);
	assert_string_equal(f->settings.proxy, "socks5h://127.0.0.1:1080");
	assert_header_list(&f->settings, members_headers);
	assert_false(f->settings.enabled);
	assert_int_equal(f->settings.updates, CFG_UPDATES_SPOOL);
	cfg_free(cfg);
	free(live);
	free(text);
	rm_tree(dir);
}

static void
test_example_documents_every_key(void **state)
{
	char path[PATH_MAX], needle[64];
	const char *key;
	char *text;
	size_t i;
	int r;

	(void)state;
	r = snprintf(path, sizeof(path), "%s/feedspool.ini",
	    CFG_TEST_EXAMPLES);
	assert_true(r > 0 && (size_t)r < sizeof(path));
	text = read_whole(path);
	for (i = 0; (key = cfg_key_name(i)) != NULL; i++) {
		/* As a live line or as a ";key = " line. */
		r = snprintf(needle, sizeof(needle), "\n%s = ", key);
		assert_true(r > 0 && (size_t)r < sizeof(needle));
		if (strstr(text, needle) != NULL)
			continue;
		r = snprintf(needle, sizeof(needle), "\n;%s = ", key);
		assert_true(r > 0 && (size_t)r < sizeof(needle));
		if (strstr(text, needle) == NULL)
			fail_msg("config/feedspool.ini does not show \"%s\"",
			    key);
	}
	assert_true(i >= 28);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_full_overrides),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_error_fixtures),
		cmocka_unit_test(test_generated_lines),
		cmocka_unit_test(test_include_fifo),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_errors_print_whole_file),
		cmocka_unit_test(test_ini_max_line_restored),
		cmocka_unit_test(test_check_dirs_ok),
		cmocka_unit_test(test_check_dirs_errors),
		cmocka_unit_test(test_check_dirs_unwritable),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_demo_loads),
		cmocka_unit_test(test_example_uncommented),
		cmocka_unit_test(test_example_documents_every_key),
	};

	/* File names in messages are relative to the fixtures. */
	if (chdir(CFG_TEST_FIXTURES) != 0 ||
	    getcwd(fixtures, sizeof(fixtures)) == NULL) {
		perror(CFG_TEST_FIXTURES);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
