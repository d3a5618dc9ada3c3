/*
 * config.c - reading the INI files into a struct cfg.
 *
 * inih does the splitting of "key = value"; everything around it is ours:
 *
 * - Line numbers.  Debian's ini.h leaves INI_HANDLER_LINENO at 0, so the
 *   handler gets no line number, and defining it ourselves would change
 *   the handler's type without changing how the shared library calls it.
 *   (libinih 55-1 happens to pass the line as a fifth argument anyway, but
 *   its header promises nothing, and another build would hand us garbage.)
 *   So we read through ini_parse_stream() with our own reader, which hands
 *   inih exactly one line per call; inih calls the handler for a line
 *   before it asks for the next, so the reader's count is the handler's
 *   line.
 * - The syntax.  inih's build options (multi-line values, which comment
 *   characters count, the BOM, names without values) are fixed when the
 *   library is compiled.  The reader normalizes each line before inih
 *   sees it so that none of them matters: indentation is removed (inih
 *   would take an indented line for the continuation of the previous
 *   value), comments and the BOM are removed, and lines inih would reject
 *   are reported here, with a message, and handed over blank.
 * - Sections.  inih cuts section names at 50 bytes and tells the handler
 *   nothing about a section without keys, so the reader tracks sections
 *   itself and the handler ignores inih's idea of the section.
 *
 * Every problem is recorded (up to CFG_MAX_ERRORS) and reading goes on;
 * the struct cfg is built only when there were none.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "loader.h"

static int read_file(struct loader *ld, const char *path, int depth,
    const struct cfg_loc *from);

static void loader_error_v(struct loader *ld, const char *file, int line,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void
loader_error_v(struct loader *ld, const char *file, int line,
    const char *fmt, va_list ap)
{
	char msg[sizeof(((struct cfg_error *)0)->msg) + 4];
	int n;

	ld->nerrors++;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		snprintf(msg, sizeof(msg), "(unprintable message)");
	/* cfg_error_add() cuts what is too long, on a UTF-8 boundary. */
	if (cfg_error_add(ld->errors, file, line, "%s", msg) < 0)
		ld->err = -ENOMEM;
}

/* An error on the line being read. */
void
cfg_error_here(struct source *src, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	loader_error_v(src->ld, src->path, src->lineno, fmt, ap);
	va_end(ap);
}

void
cfg_error_at(struct loader *ld, const struct cfg_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	loader_error_v(ld, loc->file, loc->line, fmt, ap);
	va_end(ap);
}

/* A key or section name as written, quoted if it has odd characters. */
const char *
cfg_show_name(char *buf, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '"')
			return cfg_quote(buf, s);
	if (strlen(s) > CFG_QUOTE_MAX)
		return cfg_quote(buf, s);
	return s;
}

/* The end of [feedspool]: output is required, and the outputs must be
 * three different files. */
static void
close_global(struct loader *ld)
{
	static const enum key_id outputs[] = { K_OUTPUT, K_OUTPUT_RSS,
		K_OUTPUT_JSON };
	struct section *g = &ld->global;
	const struct value *a, *b;
	size_t i, j;

	if (g->v[K_OUTPUT].loc.line == 0)
		cfg_error_at(ld, &g->loc, "[feedspool]: missing output (the "
		    "path of the merged Atom feed)");
	for (i = 1; i < 3; i++) {
		a = &g->v[outputs[i]];
		for (j = 0; j < i && a->str != NULL; j++) {
			b = &g->v[outputs[j]];
			if (b->str != NULL && strcmp(a->str, b->str) == 0) {
				cfg_error_at(ld, &a->loc, "%s: same file as %s "
				    "(%s:%d)", cfg_keys[outputs[i]].name,
				    cfg_keys[outputs[j]].name, b->loc.file,
				    b->loc.line);
				break;
			}
		}
	}
}

/* The end of a section: what it must have had. */
static void
close_section(struct source *src)
{
	struct section *sec;

	if (src->state == S_GLOBAL)
		close_global(src->ld);
	if (src->state == S_FEED) {
		sec = &src->ld->feeds[src->cur];
		if (sec->v[K_URL].loc.line == 0)
			cfg_error_at(src->ld, &sec->loc,
			    "[feed.%s]: missing url", sec->name);
	}
	src->state = S_SKIP;
}

static void
start_feed(struct source *src, const char *name)
{
	struct loader *ld = src->ld;
	char qb[CFG_QUOTE_SIZE];
	struct section *sec;
	size_t other;
	int r;

	if (!cfg_valid_feed_name(name)) {
		cfg_error_here(src, "[feed.%s]: invalid feed name (use 1 to %d "
		    "of A-Z a-z 0-9 . _ -, not starting with \".\")",
		    cfg_show_name(qb, name), CFG_MAX_FEED_NAME);
		return;
	}
	if (ld->nfeeds == ld->feeds_cap) {
		size_t cap = ld->feeds_cap != 0 ? ld->feeds_cap * 2 : 16;

		sec = reallocarray(ld->feeds, cap, sizeof(*sec));
		if (sec == NULL) {
			ld->err = -ENOMEM;
			return;
		}
		ld->feeds = sec;
		ld->feeds_cap = cap;
	}
	sec = &ld->feeds[ld->nfeeds];
	memset(sec, 0, sizeof(*sec));
	sec->loc.file = src->path;
	sec->loc.line = src->lineno;
	if ((sec->name = strdup(name)) == NULL) {
		ld->err = -ENOMEM;
		return;
	}
	r = cfg_strmap_add(&ld->names, sec->name, ld->nfeeds, &other);
	if (r != 0) {
		if (r < 0)
			ld->err = r;
		else
			cfg_error_here(src, "[feed.%s]: duplicate feed name "
			    "(first defined at %s:%d)", name,
			    ld->feeds[other].loc.file,
			    ld->feeds[other].loc.line);
		free(sec->name);
		return;
	}
	src->cur = ld->nfeeds++;
	src->state = S_FEED;
}

/* Suggests [feedspool] or [feed.REST] for a near miss, else NULL. */
static const char *
section_hint(const char *name, char *buf, size_t size)
{
	const char *dot;
	char prefix[16];
	int n;

	if (cfg_distance(name, "feedspool", SUGGEST_DISTANCE) <=
	    SUGGEST_DISTANCE)
		return "feedspool";
	dot = strchr(name, '.');
	if (dot == NULL || (size_t)(dot - name) >= sizeof(prefix))
		return NULL;
	memcpy(prefix, name, (size_t)(dot - name));
	prefix[dot - name] = '\0';
	if (cfg_distance(prefix, "feed", SUGGEST_DISTANCE) > SUGGEST_DISTANCE ||
	    !cfg_valid_feed_name(dot + 1))
		return NULL;
	n = snprintf(buf, size, "feed.%s", dot + 1);
	if (n < 0 || (size_t)n >= size)
		return NULL;
	return buf;
}

/* A "[name]" line: close the section before, open this one. */
static void
start_section(struct source *src, const char *name)
{
	struct loader *ld = src->ld;
	char nb[CFG_QUOTE_SIZE], hint[CFG_MAX_FEED_NAME + 8];
	const char *h;

	close_section(src);
	if (strcmp(name, "feedspool") == 0) {
		if (src->depth > 0)
			cfg_error_here(src, "[feedspool]: only allowed in the "
			    "main file (%s)", ld->files[0]);
		else if (ld->global.loc.line != 0)
			cfg_error_here(src, "[feedspool]: duplicate section "
			    "(first at %s:%d)", ld->global.loc.file,
			    ld->global.loc.line);
		else {
			ld->global.loc.file = src->path;
			ld->global.loc.line = src->lineno;
			src->state = S_GLOBAL;
		}
		return;
	}
	if (strncmp(name, "feed.", 5) == 0) {
		start_feed(src, name + 5);
		return;
	}
	h = section_hint(name, hint, sizeof(hint));
	if (h != NULL)
		cfg_error_here(src, "[%s]: unknown section (did you mean "
		    "[%s]?)", cfg_show_name(nb, name), h);
	else
		cfg_error_here(src, "[%s]: unknown section (use [feedspool] or "
		    "[feed.NAME])", cfg_show_name(nb, name));
}

static char *
blank_line(char *str)
{
	str[0] = '\n';
	str[1] = '\0';
	return str;
}

/*
 * inih's reader: returns the next line of the file, normalized (see the
 * comment at the top), or a blank line in its place when the line is
 * a comment or was reported as wrong; NULL at the end or on a read error.
 */
static char *
inih_read(char *str, int num, void *stream)
{
	struct source *src = stream;
	char qb[CFG_QUOTE_SIZE];
	char *p, *q, *sep;
	ssize_t n;
	size_t len, limit;

	/* inih's buffer always has room for a blank line (200 bytes by
	 * default, never less than a few). */
	if (num < 2 || src->ld->err < 0)
		return NULL;
	errno = 0;
	n = getline(&src->buf, &src->bufcap, src->fp);
	if (n < 0) {
		if (ferror(src->fp))
			src->read_errno = errno != 0 ? errno : EIO;
		return NULL;
	}
	src->lineno++;
	p = src->buf;
	if (memchr(p, '\0', (size_t)n) != NULL) {
		cfg_error_here(src, "the line contains a NUL byte");
		return blank_line(str);
	}
	if (src->lineno == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;

	/* Trim, and cut a comment: ';' or '#' first, or ';' after a space
	 * or tab (so "a;b" and URLs with "#" stay whole). */
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == ';' || *p == '#')
		*p = '\0';
	for (q = p; *q != '\0'; q++) {
		if (*q == ';' && q > p && (q[-1] == ' ' || q[-1] == '\t')) {
			*q = '\0';
			break;
		}
	}
	len = strlen(p);
	while (len > 0 && strchr(" \t\r\n", p[len - 1]) != NULL)
		p[--len] = '\0';
	if (len == 0)
		return blank_line(str);

	/* The same limit however large inih's buffer happens to be. */
	limit = num - 2 < CFG_MAX_LINE ? (size_t)num - 2 : CFG_MAX_LINE;
	if (len > limit) {
		cfg_error_here(src, "the line is too long (the limit is %zu "
		    "bytes)", limit);
		if (p[0] == '[')
			close_section(src);
		return blank_line(str);
	}
	if (p[0] == '[') {
		if (len < 2 || p[len - 1] != ']') {
			cfg_error_here(src, "%s is not a section header (use "
			    "[feedspool] or [feed.NAME])", cfg_quote(qb, p));
			/* Its keys must not land in the section before. */
			close_section(src);
			return blank_line(str);
		}
		p[len - 1] = '\0';
		start_section(src, p + 1);
		p[len - 1] = ']';
		if (src->state == S_SKIP)
			return blank_line(str);
	} else {
		sep = p + strcspn(p, "=:");
		if (*sep == '\0') {
			cfg_error_here(src, "%s is not a \"key = value\" line",
			    cfg_quote(qb, p));
			return blank_line(str);
		}
		for (q = sep; q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
			;
		if (q == p) {
			cfg_error_here(src, "%s has no key before \"%c\"",
			    cfg_quote(qb, p), *sep);
			return blank_line(str);
		}
	}
	memcpy(str, p, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

static void
source_free(struct source *src)
{
	size_t i;

	if (src->fp != NULL)
		fclose(src->fp);
	free(src->buf);
	free(src->dispdir);
	free(src->absdir);
	for (i = 0; i < src->nincs; i++)
		free(src->incs[i].pattern);
	free(src->incs);
}

static bool
has_glob_chars(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads every regular file that pattern matches, in byte order (not the
 * locale's, so that the order is the same everywhere).  No match is not
 * an error: an empty drop-in directory is normal.
 */
static void
include_glob(struct source *src, const char *pattern,
    const struct cfg_loc *loc)
{
	struct loader *ld = src->ld;
	char qb[CFG_QUOTE_SIZE];
	struct stat st;
	char *dir;
	glob_t g;
	size_t i;
	int r;

	/*
	 * GLOB_ERR makes an unreadable directory an error rather than a
	 * silent "no match", but also a missing one; a drop-in directory
	 * that does not exist yet matches nothing, like an empty one.
	 */
	i = strcspn(pattern, "*?[");
	while (i > 0 && pattern[i - 1] != '/')
		i--;
	if (i > 0) {
		if ((dir = strndup(pattern, i)) == NULL) {
			ld->err = -ENOMEM;
			return;
		}
		r = stat(dir, &st);
		free(dir);
		if (r < 0 && errno == ENOENT)
			return;
	}

	memset(&g, 0, sizeof(g));
	r = glob(pattern, GLOB_ERR | GLOB_NOSORT, NULL, &g);
	if (r == GLOB_NOSPACE) {
		ld->err = -ENOMEM;
	} else if (r == GLOB_ABORTED) {
		cfg_error_at(ld, loc, "include: %s: cannot read the directory",
		    cfg_quote(qb, pattern));
	} else if (r == 0) {
		qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
		for (i = 0; i < g.gl_pathc && ld->err == 0; i++) {
			/* Directories, sockets, dangling links: not ours. */
			if (stat(g.gl_pathv[i], &st) < 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			r = read_file(ld, g.gl_pathv[i], src->depth + 1, loc);
			if (r == -ENOMEM)
				ld->err = r;
		}
	}
	globfree(&g);
}

static void
include_one(struct source *src, const struct include *inc)
{
	struct loader *ld = src->ld;
	struct stat st;
	char *path = NULL, *pattern = NULL;
	int r;

	if (src->depth + 1 > CFG_MAX_INCLUDE_DEPTH) {
		cfg_error_at(ld, &inc->loc, "include: nested more than %d "
		    "levels deep", CFG_MAX_INCLUDE_DEPTH);
		return;
	}
	if (cfg_path_join(src->dispdir, inc->pattern, &path) < 0) {
		ld->err = -ENOMEM;
		return;
	}
	if (has_glob_chars(path)) {
		include_glob(src, path, &inc->loc);
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		/* A drop-in directory: its *.ini files. */
		if (cfg_path_join(path, "*.ini", &pattern) < 0)
			ld->err = -ENOMEM;
		else
			include_glob(src, pattern, &inc->loc);
	} else {
		r = read_file(ld, path, src->depth + 1, &inc->loc);
		if (r == -ENOMEM)
			ld->err = r;
	}
	free(pattern);
	free(path);
}

/* The directory part of path as written: "" for "x.ini", "/" for "/x". */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup("");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int
add_file(struct loader *ld, const char *path, const struct stat *st,
    const char **ret_name)
{
	char **files;
	struct file_id *ids;
	size_t cap;

	if (ld->nfiles == ld->files_cap) {
		cap = ld->files_cap != 0 ? ld->files_cap * 2 : 8;
		files = reallocarray(ld->files, cap, sizeof(*files));
		if (files == NULL)
			return -ENOMEM;
		ld->files = files;
		ids = reallocarray(ld->ids, cap, sizeof(*ids));
		if (ids == NULL)
			return -ENOMEM;
		ld->ids = ids;
		ld->files_cap = cap;
	}
	if ((ld->files[ld->nfiles] = strdup(path)) == NULL)
		return -ENOMEM;
	ld->ids[ld->nfiles].dev = st->st_dev;
	ld->ids[ld->nfiles].ino = st->st_ino;
	*ret_name = ld->files[ld->nfiles++];
	return 0;
}

/*
 * A file that cannot be read: an error at the include line, or about the
 * main file itself.  Returns 0 for an included file (reading goes on with
 * the others) and the negative errno for the main file.
 */
static int
file_error(struct loader *ld, const char *path, const struct cfg_loc *from,
    int err, const char *what)
{
	char qb[CFG_QUOTE_SIZE];
	struct cfg_loc loc = { path, 0 };

	if (what == NULL)
		what = strerror(err);
	if (from != NULL) {
		cfg_error_at(ld, from, "include: %s: %s", cfg_quote(qb, path),
		    what);
		return 0;
	}
	cfg_error_at(ld, &loc, "%s", what);
	return -err;
}

/*
 * Reads one file, then the files it includes.  from is the include line
 * (NULL for the main file).  Returns 0 (errors may have been recorded),
 * -ENOMEM, or for the main file the negative errno of reading it.
 */
static int
read_file(struct loader *ld, const char *path, int depth,
    const struct cfg_loc *from)
{
	struct source src;
	struct stat st;
	size_t i;
	int fd, r, saved_max;

	memset(&src, 0, sizeof(src));
	src.ld = ld;
	src.depth = depth;
	src.state = S_TOP;

	/*
	 * O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer, forever.  It is refused below, like any file that is not
	 * a regular one; a regular file reads the same either way.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		r = file_error(ld, path, from, errno, NULL);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = file_error(ld, path, from, errno, NULL);
		close(fd);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = file_error(ld, path, from, EINVAL,
		    "not a regular file");
		close(fd);
		goto out;
	}
	if ((src.fp = fdopen(fd, "r")) == NULL) {
		r = file_error(ld, path, from, errno, NULL);
		close(fd);
		goto out;
	}
	for (i = 0; i < ld->nfiles; i++) {
		if (ld->ids[i].dev == st.st_dev &&
		    ld->ids[i].ino == st.st_ino) {
			/* A loop, or two patterns matching one file. */
			r = file_error(ld, path, from, EINVAL,
			    "already read");
			goto out;
		}
	}
	if ((r = add_file(ld, path, &st, &src.path)) < 0)
		goto out;
	if ((src.dispdir = dir_of(path)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if (src.dispdir[0] != '/' && ld->cwd == NULL) {
		ld->cwd = getcwd(NULL, 0);
		if (ld->cwd == NULL) {
			r = errno == ENOMEM ? -ENOMEM :
			    file_error(ld, path, from, errno,
			    "cannot find the current directory");
			goto out;
		}
	}
	if ((r = cfg_path_join(src.dispdir[0] == '/' ? "" : ld->cwd,
	    src.dispdir, &src.absdir)) < 0)
		goto out;

#ifdef HAVE_INI_MAX_LINE
	/*
	 * inih's line buffer holds ini_max_line bytes (200 by default),
	 * and a longer line would reach us cut in two.  Debian's libinih
	 * sizes the buffer from this variable at run time, so raise it for
	 * the parse; where it cannot be raised the reader refuses lines that
	 * do not fit, so nothing is ever cut silently.  Loading runs on one
	 * thread (start-up, or SIGHUP in the loop), never two at once.
	 */
	saved_max = ini_max_line;
	if (ini_max_line < CFG_MAX_LINE + 2)
		ini_max_line = CFG_MAX_LINE + 2;
#else
	saved_max = 0;
#endif
	r = ini_parse_stream(inih_read, &src, cfg_inih_key, &src);
#ifdef HAVE_INI_MAX_LINE
	ini_max_line = saved_max;
#else
	(void)saved_max;
#endif
	if (ld->err < 0) {
		r = ld->err;
		goto out;
	}
	if (r == -2) {
		r = -ENOMEM;
		goto out;
	}
	if (src.read_errno != 0) {
		r = file_error(ld, path, from, src.read_errno, NULL);
		goto out;
	}
	if (r > 0) {
		/* The reader hands inih only lines it accepts; should its
		 * rules and inih's ever differ, say where. */
		struct cfg_loc loc = { src.path, r };

		cfg_error_at(ld, &loc, "syntax error");
	}
	close_section(&src);

	/* Done with this file before reading the next one. */
	fclose(src.fp);
	src.fp = NULL;
	for (i = 0; i < src.nincs && ld->err == 0; i++)
		include_one(&src, &src.incs[i]);
	r = ld->err;
out:
	source_free(&src);
	return r;
}

static void
section_free(struct section *sec)
{
	size_t i;

	free(sec->name);
	free(sec->url_key);
	for (i = 0; i < K__COUNT; i++)
		free(sec->v[i].str);
	for (i = 0; i < sec->nheaders; i++)
		free(sec->headers[i].line);
	free(sec->headers);
}

static void
loader_free(struct loader *ld)
{
	size_t i;

	section_free(&ld->global);
	for (i = 0; i < ld->nfeeds; i++)
		section_free(&ld->feeds[i]);
	free(ld->feeds);
	free(ld->names.slots);
	free(ld->urls.slots);
	for (i = 0; i < ld->nfiles; i++)
		free(ld->files[i]);
	free(ld->files);
	free(ld->ids);
	free(ld->cwd);
}

/* What the whole configuration must have, once everything is read. */
static void
check_global(struct loader *ld)
{
	struct cfg_loc main_loc = { ld->files[0], 0 };

	if (ld->global.loc.line == 0)
		cfg_error_at(ld, &main_loc, "missing [feedspool] section (it "
		    "must set output)");
}

int
cfg_load(const char *path, const struct cfg_defaults *defaults,
    struct cfg **ret, struct cfg_errors *errors)
{
	struct loader ld;
	int r;

	memset(&ld, 0, sizeof(ld));
	ld.defaults = defaults;
	ld.errors = errors;

	r = read_file(&ld, path, 0, NULL);
	if (r < 0)
		goto out;
	check_global(&ld);
	if (ld.err < 0) {
		r = ld.err;
		goto out;
	}
	if (ld.nerrors > 0) {
		r = -EINVAL;
		goto out;
	}
	r = cfg_build(&ld, ret);
out:
	loader_free(&ld);
	return r;
}
