/*
 * bytescan.h - eight bytes at a time through text that needs no escaping.
 *
 * The writers (JSON strings, the sanitizer's text and attributes) copy
 * long runs of plain ASCII and stop only at a few bytes.  Testing a whole
 * 64-bit word at once for those bytes, with the classic "has a byte less
 * than n" and "has a zero byte" tricks, skips such runs a word per step
 * instead of a byte per step.  Each test is exact as a yes/no for the
 * word; the callers look at the bytes one by one only when it says yes.
 */
#ifndef FEEDSPOOL_BYTESCAN_H
#define FEEDSPOOL_BYTESCAN_H

#include <stdint.h>
#include <string.h>

#define BYTESCAN_ONES	0x0101010101010101ull
#define BYTESCAN_HIGHS	0x8080808080808080ull

static inline uint64_t
bytescan_load(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));	/* one unaligned load */
	return w;
}

/* Nonzero when some byte of w is below n (n at most 128). */
static inline uint64_t
bytescan_below(uint64_t w, unsigned n)
{
	return (w - BYTESCAN_ONES * n) & ~w & BYTESCAN_HIGHS;
}

/* Nonzero when some byte of w is c. */
static inline uint64_t
bytescan_has(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (BYTESCAN_ONES * c);

	return (x - BYTESCAN_ONES) & ~x & BYTESCAN_HIGHS;
}

/* Nonzero when some byte of w is not ASCII. */
static inline uint64_t
bytescan_high(uint64_t w)
{
	return w & BYTESCAN_HIGHS;
}

#endif
