/*
 * loader.h - what the files that read the configuration share: the keys,
 * and the state of a load in progress.  Private to config/.
 */
#ifndef FEEDSPOOL_CONFIG_LOADER_H
#define FEEDSPOOL_CONFIG_LOADER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "internal.h"

#define SUGGEST_DISTANCE 2	/* "did you mean": at most this many edits */

enum key_id {
	K_INCLUDE,
	K_STATE_DIR,
	K_SPOOL_DIR,
	K_OUTPUT,
	K_OUTPUT_RSS,
	K_OUTPUT_JSON,
	K_OUTPUT_ITEMS,
	K_OUTPUT_TITLE,
	K_OUTPUT_URL,
	K_KEEP_DAYS,
	K_LOG_LEVEL,
	K_FSYNC,
	K_CONCURRENCY,
	K_MIN_INTERVAL,
	K_MAX_BACKOFF,
	K_PER_HOST_DELAY,
	K_INTERVAL,
	K_TIMEOUT,
	K_CONNECT_TIMEOUT,
	K_MAX_SIZE,
	K_USER_AGENT,
	K_PER_HOST,
	K_PROXY,
	K_HEADER,
	K_ENABLED,
	K_UPDATES,
	K_URL,
	K_TITLE,
	K_CATEGORY,
	K__COUNT
};

enum key_type {
	T_INCLUDE,
	T_PATH,
	T_DURATION,
	T_SIZE,
	T_UINT,
	T_BOOL,
	T_TEXT,		/* UTF-8 without control characters */
	T_ASCII,	/* goes into an HTTP header */
	T_URL,
	T_WEB_URL,	/* an http(s) URL that is not a feed's */
	T_PROXY,
	T_HEADER,
	T_UPDATES,
	T_LOG_LEVEL,
};

/* Where a key may appear. */
#define W_TOP	 0x1	/* before the first section of any file */
#define W_GLOBAL 0x2	/* [feedspool] */
#define W_FEED	 0x4	/* [feed.NAME] */

/*
 * A key: its name, what it takes and where.  min and max bound numbers
 * (durations in seconds, sizes in bytes); def is the default of a number,
 * boolean or enum.  The defaults of strings and paths are in build.c.
 */
struct key_def {
	const char *name;
	enum key_type type;
	unsigned where;
	uint64_t min, max, def;
};

/* keys.c */
extern const struct key_def cfg_keys[K__COUNT];

/* One key as read.  loc.line is 0 until the key appears; a value that
 * did not parse still counts as present (no second "missing" error). */
struct value {
	struct cfg_loc loc;
	uint64_t num;
	char *str;
};

struct header {
	char *line;		/* "Name: value", normalized */
	size_t namelen;
	struct cfg_loc loc;
};

/* [feedspool] or one [feed.NAME], as written; the loader frees it. */
struct section {
	char *name;		/* the feed's name; NULL for [feedspool] */
	char *url_key;		/* for duplicate URLs */
	struct cfg_loc loc;
	struct value v[K__COUNT];
	struct header *headers;
	size_t nheaders;
};

/* A string -> index map (open addressing) for names and URLs. */
struct strmap {
	struct slot {
		const char *key;	/* owned elsewhere */
		size_t val;
	} *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

struct file_id {
	dev_t dev;
	ino_t ino;
};

/*
 * One cfg_load() call, which owns it and frees it with loader_free();
 * on success the file names move to the struct cfg.
 */
struct loader {
	const struct cfg_defaults *defaults;
	struct cfg_errors *errors;
	size_t nerrors;		/* found by this load */
	int err;		/* -ENOMEM once memory ran out */
	char *cwd;		/* NULL until a relative name needs it */
	struct section global;
	struct section *feeds;
	size_t nfeeds, feeds_cap;
	struct strmap names;
	struct strmap urls;
	char **files;		/* display names; cfg_loc.file points here */
	struct file_id *ids;
	size_t nfiles, files_cap;
};

enum state {
	S_TOP,			/* before the first section */
	S_GLOBAL,
	S_FEED,
	S_SKIP,			/* in a section that was refused */
};

struct include {
	char *pattern;
	struct cfg_loc loc;
};

/* One file being read: read_file() owns it, source_free() frees it. */
struct source {
	struct loader *ld;
	FILE *fp;
	const char *path;	/* display name, in ld->files */
	char *dispdir;		/* its directory as written, "" for none */
	char *absdir;		/* the same, absolute */
	int depth;
	int lineno;
	char *buf;		/* getline()'s */
	size_t bufcap;
	int read_errno;
	enum state state;
	size_t cur;		/* the feed being read, in S_FEED */
	struct include *incs;	/* read once the file is done */
	size_t nincs;
};

/* config.c: errors at the line being read, or at a place. */
void cfg_error_here(struct source *src, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cfg_error_at(struct loader *ld, const struct cfg_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* config.c: a key or section name as written, quoted if it has odd
 * characters (buf has CFG_QUOTE_SIZE bytes). */
const char *cfg_show_name(char *buf, const char *s);

/* util.c: adds key -> val unless key is there.  Returns 0 when added,
 * 1 when it was there (*ret_val is its value), or -ENOMEM. */
int cfg_strmap_add(struct strmap *m, const char *key, size_t val,
    size_t *ret_val);

/* util.c: dir + "/" + name, tidied; see there. */
int cfg_path_join(const char *dir, const char *name, char **ret);

/* keys.c: inih's handler. */
int cfg_inih_key(void *user, const char *section, const char *name,
    const char *value);

/* build.c: the struct cfg from a load without errors.  Returns 0 or
 * -ENOMEM. */
int cfg_build(struct loader *ld, struct cfg **ret);

#endif
