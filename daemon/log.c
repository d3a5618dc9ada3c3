/*
 * log.c - leveled one-line logging to stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static const char *log_ident = "feedspool";
static enum log_level log_level = LOG_LEVEL_INFO;
static bool log_journal;

/* syslog priorities, as journald reads them from "<N>" prefixes. */
static const int journal_prio[] = {
	[LOG_LEVEL_ERROR] = 3,
	[LOG_LEVEL_WARNING] = 4,
	[LOG_LEVEL_INFO] = 6,
	[LOG_LEVEL_DEBUG] = 7,
};

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void
log_init(const char *ident, enum log_level level)
{
	log_ident = ident;
	log_level = level;
	/* systemd sets JOURNAL_STREAM when stderr is connected to journald. */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

int
log_level_from_string(const char *s, enum log_level *ret)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcasecmp(s, level_names[i]) == 0) {
			*ret = (enum log_level)i;
			return 0;
		}
	if (strcasecmp(s, "warn") == 0) {
		*ret = LOG_LEVEL_WARNING;
		return 0;
	}
	return -EINVAL;
}

static void vlog(enum log_level level, const char *err, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

static void
vlog(enum log_level level, const char *err, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;

	if (level > log_level)
		goto out;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* One event, one line: a stray newline must not split it. */
	for (char *p = msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s\n", journal_prio[level], msg,
		    err ? ": " : "", err ? err : "");
	else
		fprintf(stderr, "%s: %s%s%s%s\n", log_ident,
		    level == LOG_LEVEL_ERROR ? "error: " :
		    level == LOG_LEVEL_WARNING ? "warning: " : "", msg,
		    err ? ": " : "", err ? err : "");
out:
	errno = saved;
}

#define LOG_FN(name, level, with_errno)				\
void									\
name(const char *fmt, ...)						\
{									\
	va_list ap;							\
	int saved = errno;						\
									\
	va_start(ap, fmt);						\
	vlog(level, with_errno ? strerror(saved) : NULL, fmt, ap);	\
	va_end(ap);							\
	errno = saved;							\
}

LOG_FN(log_error, LOG_LEVEL_ERROR, false)
LOG_FN(log_warn, LOG_LEVEL_WARNING, true)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, false)
LOG_FN(log_info, LOG_LEVEL_INFO, false)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, false)

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
