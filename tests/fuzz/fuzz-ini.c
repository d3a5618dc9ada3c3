/*
 * fuzz-ini.c - cfg_load() of config/config.h, the INI configuration.
 *
 * The input is the main file.  It is written to main.ini in a private
 * directory, made once per process under $TMPDIR (or /tmp) and removed
 * at exit, which also holds a few files for the input to include
 * (fixtures[]): inc.ini, conf.d/ (a drop-in directory), bad.ini,
 * loop.ini, an empty directory.  An input whose include lines could
 * reach outside that directory (a value starting with "/", or any ".."
 * on a line that mentions include) is skipped: cfg_load() only reads,
 * but a FIFO, a terminal or /proc would block the run or change between
 * two loads (see include_escapes()).
 *
 * Properties:
 *  - cfg_load() returns 0 or a negative errno; -EINVAL with at least
 *    one error; on success it stores a configuration and adds no error,
 *    on failure it stores none;
 *  - every error names a file (one line of UTF-8 without control
 *    characters), a line >= 0 (within the main file's lines when it is
 *    about the main file) and a message that is one line of valid UTF-8
 *    without control characters; at most CFG_MAX_ERRORS are kept, and
 *    cfg_errors_print() writes one line per error plus the count of the
 *    dropped ones;
 *  - a configuration has absolute paths, the first file read is
 *    main.ini, every number within the range of its key in
 *    config/keys.c, every feed a valid unique name (1 to 64 of
 *    A-Z a-z 0-9 . _ -, not starting with "."), an http(s) URL without
 *    white space or control characters, and titles, categories, user
 *    agents, proxies and headers of the characters their checks allow;
 *  - loading the same input twice gives the same result: return code,
 *    errors, and the summary cfg_print_summary() writes;
 *  - cfg_free() and cfg_errors_free() free everything (ASan's leak
 *    check).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "loader.h"

/* What the private directory holds besides main.ini. */
static const struct {
	const char *path;	/* a trailing "/" makes a directory */
	const char *text;
} fixtures[] = {
	{ "conf.d/", NULL },
	{ "empty.d/", NULL },
	{ "inc.ini", "[feed.inc]\nurl = https://inc.example.org/feed\n"
	    "title = Included\n" },
	{ "conf.d/10-a.ini", "[feed.a]\nurl = http://a.example/rss\n"
	    "category = News\nheader = X-Token: a\ninterval = 1h\n" },
	{ "conf.d/20-b.ini", "include = ../inc.ini\n[feed.b]\n"
	    "url = https://b.example:8443/atom#x\nenabled = no\n" },
	{ "conf.d/readme.txt", "not an ini file\n" },
	{ "bad.ini", "[feedspool]\nnot a line\n[feed.]\nurl = ftp://x/\n" },
	{ "loop.ini", "include = loop.ini\n" },
};

#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

static char dir[64];		/* the private directory, "" until made */
static char main_path[96];	/* dir + "/main.ini" */

static const struct cfg_defaults defaults = {
	.user_agent = "feedspool/fuzz (+https://example.org/)",
};

static void
remove_dir(void)
{
	char path[160];
	size_t i;

	if (dir[0] == '\0')
		return;
	unlink(main_path);
	/* Files first, then the directories, deepest last in fixtures[]. */
	for (i = NFIXTURES; i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", dir, fixtures[i].path);
		if (fixtures[i].text != NULL)
			unlink(path);
	}
	for (i = NFIXTURES; i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", dir, fixtures[i].path);
		if (fixtures[i].text == NULL)
			rmdir(path);
	}
	rmdir(dir);
}

static void
write_all(const char *path, const void *data, size_t size)
{
	const char *p = data;
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0, "%s: cannot create it", path);
	while (size > 0) {
		n = write(fd, p, size);
		FUZZ_CHECK(n > 0, "%s: cannot write it", path);
		p += n;
		size -= (size_t)n;
	}
	FUZZ_CHECK(close(fd) == 0, "%s: cannot write it", path);
}

static void
make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[160];
	size_t i;
	int n;

	if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > 32)
		tmp = "/tmp";
	n = snprintf(dir, sizeof(dir), "%s/fuzz-ini.XXXXXX", tmp);
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(dir), "TMPDIR too long");
	FUZZ_CHECK(mkdtemp(dir) != NULL, "mkdtemp(%s) failed", dir);
	snprintf(main_path, sizeof(main_path), "%s/main.ini", dir);
	atexit(remove_dir);
	for (i = 0; i < NFIXTURES; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, fixtures[i].path);
		if (fixtures[i].text == NULL)
			FUZZ_CHECK(mkdir(path, 0700) == 0, "mkdir(%s) failed",
			    path);
		else
			write_all(path, fixtures[i].text,
			    strlen(fixtures[i].text));
	}
}

/*
 * True when a line of data that mentions "include" (in any case) has
 * ".." or a value that starts with "/": the value is what follows the
 * first '=' or ':' and white space (inih's rule), and a '/' whose
 * nearest non-space byte before it is '=' or ':' is taken for one, to
 * err on the side of skipping.  Everything else an include names is
 * inside the private directory.
 */
static bool
include_escapes(const uint8_t *data, size_t size)
{
	const uint8_t *line = data, *end = data + size, *nl, *p, *q;
	size_t len, i;
	bool mentions;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		len = (size_t)((nl != NULL ? nl : end) - line);
		mentions = false;
		for (i = 0; i + 7 <= len && !mentions; i++)
			mentions = strncasecmp((const char *)line + i,
			    "include", 7) == 0;
		if (mentions) {
			for (p = line; p < line + len; p++) {
				if (p + 1 < line + len && p[0] == '.' &&
				    p[1] == '.')
					return true;
				if (*p != '/')
					continue;
				for (q = p; q > line && isspace(q[-1]); q--)
					;
				if (q > line && (q[-1] == '=' || q[-1] == ':'))
					return true;
			}
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return false;
}

/* One line of valid UTF-8 without control characters (C0 and DEL). */
static bool
clean_line(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max);
	const unsigned char *p;

	if (nul == NULL)
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return fuzz_utf8_valid((const unsigned char *)s, (size_t)(nul - s));
}

/* What cfg_check_text() accepts: UTF-8, no C0 but tab, DEL or C1. */
static bool
clean_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!fuzz_utf8_valid(p, strlen(s)))
		return false;
	for (; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			return false;
	}
	return true;
}

/* Printable ASCII and tab: what goes into an HTTP header. */
static bool
clean_ascii(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p >= 0x7f)
			return false;
	return true;
}

static void
check_range(const char *what, enum key_id id, uint64_t v)
{
	const struct key_def *k = &cfg_keys[id];

	FUZZ_CHECK(v >= k->min && v <= k->max, "%s%s = %llu, outside "
	    "%llu to %llu", what, k->name, (unsigned long long)v,
	    (unsigned long long)k->min, (unsigned long long)k->max);
}

static void
check_path(const char *what, const struct cfg_path *p, bool required)
{
	if (p->path == NULL) {
		FUZZ_CHECK(!required, "%s: no path", what);
		return;
	}
	FUZZ_CHECK(p->path[0] == '/', "%s \"%s\" is not absolute", what,
	    p->path);
	FUZZ_CHECK(p->loc.line >= 0, "%s set at line %d", what, p->loc.line);
}

static void
check_settings(const char *what, const struct cfg_settings *s)
{
	const unsigned char *p;
	size_t i;

	check_range(what, K_INTERVAL, s->interval);
	check_range(what, K_TIMEOUT, s->timeout);
	check_range(what, K_CONNECT_TIMEOUT, s->connect_timeout);
	check_range(what, K_MAX_SIZE, s->max_size);
	check_range(what, K_PER_HOST, s->per_host);
	FUZZ_CHECK(s->updates == CFG_UPDATES_IGNORE ||
	    s->updates == CFG_UPDATES_SPOOL, "%supdates = %d", what,
	    (int)s->updates);
	FUZZ_CHECK(s->user_agent != NULL && s->user_agent[0] != '\0' &&
	    clean_ascii(s->user_agent), "%suser_agent \"%s\"", what,
	    s->user_agent != NULL ? s->user_agent : "(null)");
	/* cfg_check_proxy() refuses white space and control bytes only:
	 * libcurl takes 8-bit bytes in a proxy URL as they are. */
	if (s->proxy != NULL)
		for (p = (const unsigned char *)s->proxy; *p != '\0'; p++)
			FUZZ_CHECK(*p > 0x20 && *p != 0x7f, "%sproxy \"%s\" "
			    "has white space or control characters", what,
			    s->proxy);
	FUZZ_CHECK(s->nheaders == 0 || s->headers != NULL, "%s%zu headers "
	    "without a list", what, s->nheaders);
	for (i = 0; i < s->nheaders; i++) {
		FUZZ_CHECK(s->headers[i] != NULL &&
		    strchr(s->headers[i], ':') != NULL &&
		    s->headers[i][0] != ':' && clean_ascii(s->headers[i]),
		    "%sheader %zu \"%s\"", what, i, s->headers[i] != NULL ?
		    s->headers[i] : "(null)");
	}
}

static bool
valid_name(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= CFG_MAX_FEED_NAME && s[0] != '.' &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
check_feed(const struct cfg_feed *f)
{
	const unsigned char *p;

	FUZZ_CHECK(f->name != NULL && valid_name(f->name), "feed name "
	    "\"%s\"", f->name != NULL ? f->name : "(null)");
	FUZZ_CHECK(f->url != NULL, "[feed.%s]: no url", f->name);
	FUZZ_CHECK(strncasecmp(f->url, "http://", 7) == 0 ||
	    strncasecmp(f->url, "https://", 8) == 0, "[feed.%s]: url \"%s\" "
	    "is not http(s)", f->name, f->url);
	for (p = (const unsigned char *)f->url; *p != '\0'; p++)
		FUZZ_CHECK(*p > 0x20 && *p != 0x7f, "[feed.%s]: url \"%s\" "
		    "has white space or control characters", f->name, f->url);
	if (f->title != NULL)
		FUZZ_CHECK(clean_text(f->title), "[feed.%s]: title \"%s\"",
		    f->name, f->title);
	if (f->category != NULL)
		FUZZ_CHECK(clean_text(f->category), "[feed.%s]: category "
		    "\"%s\"", f->name, f->category);
	FUZZ_CHECK(f->loc.file != NULL && f->loc.line >= 1, "[feed.%s]: "
	    "no location", f->name);
	check_settings("feed: ", &f->settings);
}

static void
check_cfg(const struct cfg *cfg)
{
	const char **names;
	size_t i;

	FUZZ_CHECK(cfg->nfiles >= 1 && cfg->files != NULL &&
	    strcmp(cfg->files[0], main_path) == 0, "the first file read is "
	    "not %s", main_path);
	check_path("state_dir", &cfg->state_dir, true);
	check_path("spool_dir", &cfg->spool_dir, true);
	check_path("output", &cfg->output, true);
	check_path("output_rss", &cfg->output_rss, false);
	check_path("output_json", &cfg->output_json, false);
	FUZZ_CHECK(cfg->output_title != NULL &&
	    clean_text(cfg->output_title), "output_title");
	if (cfg->output_url != NULL)
		FUZZ_CHECK(strncasecmp(cfg->output_url, "http://", 7) == 0 ||
		    strncasecmp(cfg->output_url, "https://", 8) == 0,
		    "output_url \"%s\"", cfg->output_url);
	check_range("", K_OUTPUT_ITEMS, cfg->output_items);
	check_range("", K_KEEP_DAYS, cfg->keep_days);
	check_range("", K_CONCURRENCY, cfg->concurrency);
	check_range("", K_MIN_INTERVAL, cfg->min_interval);
	check_range("", K_MAX_BACKOFF, cfg->max_backoff);
	check_range("", K_PER_HOST_DELAY, cfg->per_host_delay);
	FUZZ_CHECK(cfg->log_level >= CFG_LOG_ERROR &&
	    cfg->log_level <= CFG_LOG_DEBUG, "log_level %d",
	    (int)cfg->log_level);
	FUZZ_CHECK(cfg->loc.file != NULL && cfg->loc.line >= 1,
	    "[feedspool] without a location");
	check_settings("", &cfg->defaults);

	if (cfg->nfeeds == 0)
		return;
	FUZZ_CHECK(cfg->feeds != NULL, "%zu feeds without a list",
	    cfg->nfeeds);
	names = malloc(cfg->nfeeds * sizeof(*names));
	FUZZ_CHECK(names != NULL, "out of memory");
	for (i = 0; i < cfg->nfeeds; i++) {
		check_feed(&cfg->feeds[i]);
		names[i] = cfg->feeds[i].name;
	}
	qsort(names, cfg->nfeeds, sizeof(*names), cmp_str);
	for (i = 1; i < cfg->nfeeds; i++)
		FUZZ_CHECK(strcmp(names[i - 1], names[i]) != 0, "feed name "
		    "\"%s\" twice", names[i]);
	free(names);
}

static size_t
count_lines(const uint8_t *data, size_t size)
{
	size_t n = 0, i;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size > 0 && data[size - 1] != '\n');
}

static void
check_errors(const struct cfg_errors *errors, size_t main_lines)
{
	const struct cfg_error *e;
	char *text = NULL;
	size_t len = 0, i, n;
	FILE *f;

	FUZZ_CHECK(errors->count <= CFG_MAX_ERRORS, "%zu errors",
	    errors->count);
	FUZZ_CHECK(errors->count == 0 || errors->v != NULL, "%zu errors "
	    "without a list", errors->count);
	for (i = 0; i < errors->count; i++) {
		e = &errors->v[i];
		FUZZ_CHECK(e->file[0] != '\0' &&
		    clean_line(e->file, sizeof(e->file)), "error %zu: file "
		    "\"%.*s\"", i, (int)sizeof(e->file), e->file);
		FUZZ_CHECK(e->line >= 0, "error %zu: line %d", i, e->line);
		if (strcmp(e->file, main_path) == 0)
			FUZZ_CHECK((size_t)e->line <= main_lines, "error %zu: "
			    "line %d of a file of %zu lines", i, e->line,
			    main_lines);
		FUZZ_CHECK(e->msg[0] != '\0' &&
		    clean_line(e->msg, sizeof(e->msg)), "error %zu: message "
		    "\"%.*s\" is not one clean line of UTF-8", i,
		    (int)sizeof(e->msg), e->msg);
	}

	f = open_memstream(&text, &len);
	FUZZ_CHECK(f != NULL, "open_memstream failed");
	FUZZ_CHECK(cfg_errors_print(errors, f) == 0, "cfg_errors_print "
	    "failed");
	fclose(f);
	for (i = 0, n = 0; i < len; i++)
		n += text[i] == '\n';
	FUZZ_CHECK(n == errors->count + (errors->dropped > 0) &&
	    (len == 0 || text[len - 1] == '\n'), "cfg_errors_print wrote %zu "
	    "lines for %zu errors and %zu dropped", n, errors->count,
	    errors->dropped);
	free(text);
}

/* One load: checks it and returns what must be the same next time. */
static char *
load(const uint8_t *data, size_t size)
{
	struct cfg_errors errors = { 0 };
	static struct cfg untouched;
	struct cfg *cfg = &untouched, *const sentinel = &untouched;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;
	int r;

	r = cfg_load(main_path, &defaults, &cfg, &errors);
	f = open_memstream(&text, &len);
	FUZZ_CHECK(f != NULL, "open_memstream failed");
	fprintf(f, "return %d\n", r);
	if (r == 0) {
		FUZZ_CHECK(cfg != NULL && cfg != sentinel, "cfg_load = 0 "
		    "without a configuration");
		FUZZ_CHECK(errors.count == 0 && errors.dropped == 0 &&
		    errors.v == NULL, "cfg_load = 0 with %zu errors",
		    errors.count);
		check_cfg(cfg);
		FUZZ_CHECK(cfg_print_summary(cfg, f) == 0,
		    "cfg_print_summary failed");
		for (i = 0; i < cfg->nfiles; i++)
			fprintf(f, "file %s\n", cfg->files[i]);
		cfg_free(cfg);
	} else {
		FUZZ_CHECK(r < 0 && r > -4096, "cfg_load = %d", r);
		FUZZ_CHECK(r != -EINVAL || errors.count > 0, "cfg_load = "
		    "-EINVAL without an error");
		FUZZ_CHECK(cfg == sentinel, "cfg_load = %d stored a "
		    "configuration", r);
		check_errors(&errors, count_lines(data, size));
		for (i = 0; i < errors.count; i++)
			fprintf(f, "%s:%d: %s\n", errors.v[i].file,
			    errors.v[i].line, errors.v[i].msg);
		fprintf(f, "dropped %zu\n", errors.dropped);
	}
	cfg_errors_free(&errors);
	FUZZ_CHECK(fclose(f) == 0, "open_memstream failed");
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *first, *second;

	if (size > FUZZ_MAX_LEN || include_escapes(data, size))
		return 0;
	if (dir[0] == '\0')
		make_dir();
	write_all(main_path, data, size);

	first = load(data, size);
	second = load(data, size);
	if (strcmp(first, second) != 0) {
		fprintf(stderr, "first load:\n%s\nsecond load:\n%s\n", first,
		    second);
		FUZZ_FAIL("two loads of the same input differ");
	}
	free(first);
	free(second);
	return 0;
}
