/*
 * fuzz.h - what every fuzz target and the replay runner share.
 *
 * Each fuzz-*.c defines LLVMFuzzerTestOneInput().  It is linked either
 * with libFuzzer (-Dfuzz=true, clang) or with replay.c, a plain main()
 * that runs the checked-in corpus inside `meson test`.  A target reports
 * a broken property with abort(), so both libFuzzer and the replay test
 * fail on it and print the message first.
 */
#ifndef FEEDSPOOL_FUZZ_H
#define FEEDSPOOL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Inputs past this are ignored: the libFuzzer test runs use -max_len. */
#define FUZZ_MAX_LEN	(1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the code under test promises does not hold: stop loudly. */
#define FUZZ_FAIL(...) do {						\
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);			\
	fprintf(stderr, __VA_ARGS__);					\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond))							\
		FUZZ_FAIL(__VA_ARGS__);					\
} while (0)

/* True when s[0..len) is valid UTF-8 (RFC 3629). */
static inline bool
fuzz_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t c, min;

	while (i < len) {
		c = s[i++];
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			return false;
		if (len - i < n)
			return false;
		for (k = 0; k < n; k++, i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (s[i] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
	}
	return true;
}

#endif
