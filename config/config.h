/*
 * config.h - the INI configuration: loading, defaults, validation.
 *
 * cfg_load() reads the main file and everything it includes into one
 * struct cfg in which every value is final: defaults filled in, a feed's
 * overrides applied over the [feedspool] values, relative paths made
 * absolute against the directory of the file that named them.  Nothing
 * here logs, opens a socket or knows of the loop; problems are collected,
 * each with the file and line it comes from, in a struct cfg_errors.
 */
#ifndef FEEDSPOOL_CONFIG_H
#define FEEDSPOOL_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_MAX_ERRORS		50	/* further errors are only counted */
#define CFG_MAX_INCLUDE_DEPTH	8	/* the main file is depth 0 */
#define CFG_MAX_LINE		4096	/* bytes, comments and indent removed */
#define CFG_MAX_FEED_NAME	64

/* Where a value was set.  file points into struct cfg's files[]; a value
 * that was not set anywhere (a default) has file NULL and line 0. */
struct cfg_loc {
	const char *file;
	int line;
};

/* line 0: the message is about the whole file. */
struct cfg_error {
	char file[PATH_MAX];
	int line;
	char msg[256];
};

/*
 * The caller's list of errors, in the order they were found (reading
 * order: a file, then the files it includes).  Start it zeroed; the
 * caller frees it with cfg_errors_free() whether or not anything failed.
 */
struct cfg_errors {
	struct cfg_error *v;	/* count entries, allocated on the first */
	size_t count;
	size_t dropped;		/* past CFG_MAX_ERRORS, or lost to ENOMEM */
};

enum cfg_updates {
	CFG_UPDATES_IGNORE = 0,	/* a known item that changed is dropped */
	CFG_UPDATES_SPOOL,	/* it is spooled again */
};

/* The same order and values as daemon/log.h's enum log_level. */
enum cfg_log_level {
	CFG_LOG_ERROR = 0,
	CFG_LOG_WARNING,
	CFG_LOG_INFO,
	CFG_LOG_DEBUG,
};

/*
 * What [feedspool] sets for every feed and a [feed.NAME] may override.
 * Durations are in seconds, sizes in bytes.
 */
struct cfg_settings {
	uint64_t interval;
	uint64_t timeout;		/* the whole transfer */
	uint64_t connect_timeout;
	uint64_t max_size;		/* of the body, after decompression */
	unsigned per_host;		/* transfers at once to one host */
	char *user_agent;
	char *proxy;			/* NULL: not set, libcurl's default
					 * (the *_proxy environment variables)
					 * applies; "": no proxy at all */
	char **headers;			/* nheaders "Name: value" lines, the
					 * global ones first; "Name:" says
					 * "send no Name" (libcurl's rule) */
	size_t nheaders;
	bool enabled;
	enum cfg_updates updates;
};

struct cfg_feed {
	char *name;			/* from [feed.NAME] */
	char *url;
	char *title;			/* NULL: the feed's own title */
	char *category;			/* NULL: none */
	struct cfg_settings settings;	/* effective: overrides applied */
	struct cfg_loc loc;		/* the [feed.NAME] line */
};

/* An absolute path and where it was set (loc.file NULL: the default). */
struct cfg_path {
	char *path;
	struct cfg_loc loc;
};

/*
 * A loaded configuration.  cfg_load() makes it; cfg_free() frees it and
 * everything it points to, including the file names cfg_loc points at.
 * Nothing in it changes after loading, so it may be read from any thread.
 */
struct cfg {
	struct cfg_path state_dir;
	struct cfg_path spool_dir;
	struct cfg_path output;		/* Atom 1.0, always written */
	struct cfg_path output_rss;	/* path NULL: not written */
	struct cfg_path output_json;	/* path NULL: not written */
	char *output_title;
	char *output_url;		/* where readers fetch output, or NULL */
	unsigned output_items;
	unsigned keep_days;
	enum cfg_log_level log_level;
	bool fsync;
	unsigned concurrency;		/* transfers at once, in all */
	uint64_t min_interval;		/* floor for a feed's own hints */
	uint64_t max_backoff;
	uint64_t per_host_delay;	/* between two requests to a host */
	struct cfg_settings defaults;	/* what [feedspool] says for feeds */
	struct cfg_feed *feeds;		/* in reading order */
	size_t nfeeds;
	struct cfg_loc loc;		/* the [feedspool] line */
	char **files;			/* every file read, main file first, */
	size_t nfiles;			/* named as the user wrote them */
};

/* What the caller knows better than config/. */
struct cfg_defaults {
	const char *user_agent;		/* "feedspool/VERSION (+URL)" */
};

/*
 * Reads path and the files it includes.  On success *ret is a new
 * configuration and errors is untouched.  Otherwise *ret is untouched and
 * the return value is -EINVAL (the configuration is wrong: errors holds
 * at least one entry), -ENOMEM, or the negative errno of opening or
 * reading the main file (errors says which).  Relative names are taken
 * from the current directory, which must not change during the call.
 */
int cfg_load(const char *path, const struct cfg_defaults *defaults,
    struct cfg **ret, struct cfg_errors *errors);

void cfg_free(struct cfg *cfg);

/*
 * Checks that state_dir and spool_dir are directories we can write, or
 * can be created (the nearest existing parent is a writable directory),
 * and the same of the outputs' directories.  Creates nothing.  Each error
 * names where the path was set.  Returns 0, -EINVAL (errors added) or
 * -ENOMEM.  Permissions are those of this process's effective user.
 */
int cfg_check_dirs(const struct cfg *cfg, struct cfg_errors *errors);

/*
 * Prints the effective configuration as INI text (for feedspool check):
 * the global settings, then every feed with all its settings.  Header
 * values are hidden and a proxy's password is masked.  Returns 0, -EIO
 * or -ENOMEM.
 */
int cfg_print_summary(const struct cfg *cfg, FILE *f);

/* "file:line: message" per line, and a count of the dropped ones.
 * Returns 0 or -EIO. */
int cfg_errors_print(const struct cfg_errors *errors, FILE *f);
void cfg_errors_free(struct cfg_errors *errors);

/*
 * The value syntax, for the daemon's command-line options and the tests.
 * Each returns 0, -EINVAL (not that kind of value) or -ERANGE (does not
 * fit in 64 bits); *ret is written only on success.
 *   duration: "0", or digits and one of s m h d ("90s", "30m", "2h", "1d")
 *   size:     digits, and optionally K M G (or k m g), powers of 1024
 *   bool:     yes no true false on off 1 0, in any case
 */
int cfg_parse_duration(const char *s, uint64_t *ret_seconds);
int cfg_parse_size(const char *s, uint64_t *ret_bytes);
int cfg_parse_bool(const char *s, bool *ret);

/* The shortest exact spelling ("90s", "30m", "1d", "16M").  Returns 0,
 * or -ENOSPC when buf is too small. */
int cfg_format_duration(uint64_t seconds, char *buf, size_t size);
int cfg_format_size(uint64_t bytes, char *buf, size_t size);

/* The i-th key config/ knows, or NULL past the last (documentation
 * checks: every key must appear in config/feedspool.ini). */
const char *cfg_key_name(size_t i);

#endif
