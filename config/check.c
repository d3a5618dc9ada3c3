/*
 * check.c - can the daemon write where the configuration says?  Used by
 * feedspool check and at start-up, before anything is created.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct checker {
	const struct cfg *cfg;
	struct cfg_errors *errors;
	size_t nerrors;
	int err;		/* -ENOMEM once memory ran out */
};

static void __attribute__((format(printf, 3, 4)))
check_error(struct checker *c, const struct cfg_path *p, const char *fmt, ...)
{
	/* A default has no line of its own: blame [feedspool]. */
	const struct cfg_loc *loc = p->loc.file != NULL ? &p->loc :
	    &c->cfg->loc;
	char msg[sizeof(((struct cfg_error *)0)->msg) + 4];
	va_list ap;
	int n;

	c->nerrors++;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		snprintf(msg, sizeof(msg), "(unprintable message)");
	if (cfg_error_add(c->errors, loc->file != NULL ? loc->file : "",
	    loc->line, "%s", msg) < 0)
		c->err = -ENOMEM;
}

static bool
writable_dir(const char *dir, int *ret_errno)
{
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0)
		return true;
	*ret_errno = errno;
	return false;
}

/*
 * dir must be a writable directory, or not exist and have a writable
 * directory as its nearest existing parent (the daemon creates it).
 */
static void
check_dir(struct checker *c, const char *key, const struct cfg_path *p,
    const char *dir)
{
	struct stat st;
	char *up = NULL, *slash;
	int e;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			check_error(c, p, "%s: \"%s\" is not a directory", key,
			    dir);
		else if (!writable_dir(dir, &e))
			check_error(c, p, "%s: \"%s\" is not writable (%s)",
			    key, dir, strerror(e));
		return;
	}
	if (errno != ENOENT) {
		check_error(c, p, "%s: \"%s\": %s", key, dir, strerror(errno));
		return;
	}
	if ((up = strdup(dir)) == NULL) {
		c->err = -ENOMEM;
		return;
	}
	for (;;) {
		slash = strrchr(up, '/');
		if (slash == NULL) {
			/* Relative names never get here: all are absolute. */
			break;
		}
		if (slash == up)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(up, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				check_error(c, p, "%s: \"%s\" cannot be "
				    "created: \"%s\" is not a directory", key,
				    dir, up);
			else if (!writable_dir(up, &e))
				check_error(c, p, "%s: \"%s\" cannot be "
				    "created: \"%s\" is not writable (%s)", key,
				    dir, up, strerror(e));
			break;
		}
		if (errno != ENOENT) {
			check_error(c, p, "%s: \"%s\" cannot be created: "
			    "\"%s\": %s", key, dir, up, strerror(errno));
			break;
		}
		if (strcmp(up, "/") == 0)
			break;
	}
	free(up);
}

/* An output file is replaced by renaming a new one over it: what matters
 * is its directory. */
static void
check_output(struct checker *c, const char *key, const struct cfg_path *p)
{
	struct stat st;
	char *dir, *slash;

	if (p->path == NULL)
		return;
	if (stat(p->path, &st) == 0 && S_ISDIR(st.st_mode)) {
		check_error(c, p, "%s: \"%s\" is a directory", key, p->path);
		return;
	}
	if ((dir = strdup(p->path)) == NULL) {
		c->err = -ENOMEM;
		return;
	}
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	check_dir(c, key, p, dir);
	free(dir);
}

int
cfg_check_dirs(const struct cfg *cfg, struct cfg_errors *errors)
{
	struct checker c = { cfg, errors, 0, 0 };

	check_dir(&c, "state_dir", &cfg->state_dir, cfg->state_dir.path);
	check_dir(&c, "spool_dir", &cfg->spool_dir, cfg->spool_dir.path);
	check_output(&c, "output", &cfg->output);
	check_output(&c, "output_rss", &cfg->output_rss);
	check_output(&c, "output_json", &cfg->output_json);
	if (c.err < 0)
		return c.err;
	return c.nerrors > 0 ? -EINVAL : 0;
}
