/*
 * fuzz-date.c - date_parse() and the two formatters of feeds/date.c.
 *
 * The input, cut at its first NUL, is a date string.  Properties:
 *  - date_parse() returns 0 or -EINVAL and leaves *ret_time alone on
 *    failure;
 *  - a parsed time lies in the years 1000 to 9999, UTC;
 *  - date_format_rfc3339() and date_format_rfc822() of a parsed time
 *    succeed and parse back to the same second.
 * Independently the first eight bytes are taken as a time and the ninth
 * as a buffer size for the formatters: they write exactly their length,
 * refuse times outside 0000-9999 with -EINVAL and small buffers with
 * -ENOSPC, never touch the buffer on failure, and what they write parses
 * back (or is refused when the year is below 1000).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fuzz.h"

#define T_YEAR0		INT64_C(-62167219200)	/* 0000-01-01T00:00:00Z */
#define T_YEAR1000	INT64_C(-30610224000)	/* 1000-01-01T00:00:00Z */
#define T_MAX		INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

#define SENTINEL	INT64_C(0x5a5a5a5a5a5a5a5a)

/* Buffer room for both formats, with a canary past the size we pass. */
#define BUF_LEN		64

typedef int (*format_fn)(int64_t, char *, size_t);

struct format {
	const char *name;
	format_fn fn;
	size_t len;
};

static const struct format formats[] = {
	{ "rfc3339", date_format_rfc3339, DATE_RFC3339_LEN },
	{ "rfc822", date_format_rfc822, DATE_RFC822_LEN },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* Parses what a formatter wrote and compares it with t. */
static void
check_parse_back(const struct format *f, int64_t t, const char *s)
{
	int64_t back = SENTINEL;
	int r;

	r = date_parse(s, &back);
	if (t < T_YEAR1000) {
		FUZZ_CHECK(r == -EINVAL, "%s \"%s\" of %lld: date_parse = %d, "
		    "want -EINVAL (year below 1000)", f->name, s,
		    (long long)t, r);
		return;
	}
	FUZZ_CHECK(r == 0, "%s \"%s\" of %lld does not parse back (%d)",
	    f->name, s, (long long)t, r);
	FUZZ_CHECK(back == t, "%s \"%s\" of %lld parses back as %lld",
	    f->name, s, (long long)t, (long long)back);
}

/* Formats t into a buffer of size bytes and checks the contract. */
static void
check_format(const struct format *f, int64_t t, size_t size)
{
	char buf[BUF_LEN];
	size_t i;
	int r;

	memset(buf, 'X', sizeof(buf));
	r = f->fn(t, buf, size);
	if (r == 0) {
		FUZZ_CHECK(t >= T_YEAR0 && t <= T_MAX, "%s of %lld: 0 for a "
		    "time outside 0000-9999", f->name, (long long)t);
		FUZZ_CHECK(size > f->len, "%s of %lld: 0 with size %zu",
		    f->name, (long long)t, size);
		FUZZ_CHECK(memchr(buf, '\0', size) == buf + f->len,
		    "%s of %lld: not %zu bytes long", f->name, (long long)t,
		    f->len);
		for (i = size; i < sizeof(buf); i++)
			FUZZ_CHECK(buf[i] == 'X', "%s of %lld: wrote past "
			    "size %zu", f->name, (long long)t, size);
		check_parse_back(f, t, buf);
		return;
	}
	if (r == -EINVAL)
		FUZZ_CHECK(t < T_YEAR0 || t > T_MAX, "%s of %lld: -EINVAL for "
		    "a time inside 0000-9999", f->name, (long long)t);
	else if (r == -ENOSPC)
		FUZZ_CHECK(size <= f->len, "%s of %lld: -ENOSPC with size "
		    "%zu", f->name, (long long)t, size);
	else
		FUZZ_FAIL("%s of %lld: returned %d", f->name, (long long)t, r);
	for (i = 0; i < sizeof(buf); i++)
		FUZZ_CHECK(buf[i] == 'X', "%s of %lld: buffer touched on "
		    "failure %d", f->name, (long long)t, r);
}

static void
check_date(const char *s)
{
	char buf[BUF_LEN];
	int64_t t = SENTINEL;
	size_t i;
	int r;

	r = date_parse(s, &t);
	if (r != 0) {
		FUZZ_CHECK(r == -EINVAL, "date_parse(\"%s\") = %d", s, r);
		FUZZ_CHECK(t == SENTINEL, "date_parse(\"%s\") failed but "
		    "wrote %lld", s, (long long)t);
		return;
	}
	FUZZ_CHECK(t >= T_YEAR1000 && t <= T_MAX, "date_parse(\"%s\") = "
	    "%lld, outside the years 1000-9999", s, (long long)t);
	for (i = 0; i < NFORMATS; i++) {
		r = formats[i].fn(t, buf, sizeof(buf));
		FUZZ_CHECK(r == 0, "date_parse(\"%s\") = %lld, which %s "
		    "refuses (%d)", s, (long long)t, formats[i].name, r);
		check_parse_back(&formats[i], t, buf);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t u;
	int64_t t;
	char *s;
	size_t i;

	if (size > FUZZ_MAX_LEN)
		return 0;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_date(s);
	free(s);

	if (size >= 9) {
		memcpy(&u, data, sizeof(u));
		t = (int64_t)u;
		for (i = 0; i < NFORMATS; i++) {
			check_format(&formats[i], t, data[8] % 40);
			/* Folded into the years 0000-9999, where most is. */
			check_format(&formats[i], T_YEAR0 +
			    (int64_t)(u % (uint64_t)(T_MAX - T_YEAR0 + 1)),
			    BUF_LEN);
		}
	}
	return 0;
}
