/*
 * log.h - one line per event on stderr, for the journal.
 *
 * Modelled on OpenSMTPD's log.c: log_warn appends strerror(errno),
 * log_warnx does not; fatal and fatalx exit(1) and are for start-up only.
 * Every function preserves errno.  Under systemd (JOURNAL_STREAM set)
 * lines carry "<N>" priority prefixes that journald turns into levels.
 */
#ifndef FEEDSPOOL_LOG_H
#define FEEDSPOOL_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* ident prefixes lines when not under journald ("feedspool"). */
void log_init(const char *ident, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* "error", "warning", "info", "debug" -> 0 and *ret, or -EINVAL. */
int log_level_from_string(const char *s, enum log_level *ret);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif
