/*
 * date.h - dates as feeds write them, read into UTC.
 *
 * Independent of the locale and of TZ.  An impossible date (31 November,
 * 25:00) or one that cannot be read is refused, never rolled over.  The
 * forms accepted and the choices made for ambiguous ones (IST, 01/02/2019,
 * no zone at all) are listed at the top of date.c.
 */
#ifndef FEEDSPOOL_DATE_H
#define FEEDSPOOL_DATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses s (RFC 822 and its obsolete zones, RFC 850, asctime, RFC 3339 /
 * ISO 8601 and the broken forms seen in the wild).  On success returns 0
 * and stores seconds since the epoch in *ret_time; otherwise returns
 * -EINVAL and leaves *ret_time alone.  Years 1000 to 9999 only, both as
 * written and in UTC.
 */
int date_parse(const char *s, int64_t *ret_time);

/*
 * The formatters write t in UTC for years 0000 to 9999 and return 0,
 * -EINVAL for a t outside those years, or -ENOSPC when buf is too small;
 * on failure buf is left alone.
 */

/* "2024-05-01T10:00:00Z": buf must hold DATE_RFC3339_LEN + 1 bytes. */
#define DATE_RFC3339_LEN 20
int date_format_rfc3339(int64_t t, char *buf, size_t size);

/* "Wed, 01 May 2024 10:00:00 +0000" for RSS 2.0 output. */
#define DATE_RFC822_LEN 31
int date_format_rfc822(int64_t t, char *buf, size_t size);

#endif
