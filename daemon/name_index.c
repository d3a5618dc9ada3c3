/*
 * name_index.c - an open-addressing hash index of records by name.
 *
 * Linear probing: a lookup stops at the first empty slot.  The table
 * doubles at three quarters full.  Records are never taken out one by
 * one: an index lives while a configuration is applied and is freed
 * whole.  Names come from the administrator's configuration and
 * from feed URLs, not from feed bodies, so a fixed hash (FNV-1a) is
 * enough: nobody outside chooses thousands of colliding names.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "name_index.h"

#define MIN_SLOTS 16

static uint64_t
hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

static size_t
home_of(const struct name_index *ix, const void *record)
{
	return (size_t)hash_name(ix->name_of(record)) & ix->mask;
}

void
name_index_init(struct name_index *ix,
    const char *(*name_of)(const void *record))
{
	ix->slots = NULL;
	ix->mask = 0;
	ix->count = 0;
	ix->name_of = name_of;
}

void
name_index_free(struct name_index *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->mask = 0;
	ix->count = 0;
}

void *
name_index_find(const struct name_index *ix, const char *name)
{
	size_t i;

	if (ix->slots == NULL)
		return NULL;
	for (i = (size_t)hash_name(name) & ix->mask; ix->slots[i] != NULL;
	    i = (i + 1) & ix->mask)
		if (strcmp(ix->name_of(ix->slots[i]), name) == 0)
			return ix->slots[i];
	return NULL;
}

static void
place(struct name_index *ix, void *record)
{
	size_t i;

	for (i = home_of(ix, record); ix->slots[i] != NULL;
	    i = (i + 1) & ix->mask)
		;
	ix->slots[i] = record;
}

static int
grow(struct name_index *ix)
{
	size_t n = ix->slots == NULL ? MIN_SLOTS : (ix->mask + 1) * 2, i;
	struct name_index old = *ix;

	ix->slots = calloc(n, sizeof(*ix->slots));
	if (ix->slots == NULL) {
		*ix = old;
		return -ENOMEM;
	}
	ix->mask = n - 1;
	if (old.slots != NULL)
		for (i = 0; i <= old.mask; i++)
			if (old.slots[i] != NULL)
				place(ix, old.slots[i]);
	free(old.slots);
	return 0;
}

int
name_index_add(struct name_index *ix, void *record)
{
	int r;

	if ((ix->count + 1) * 4 > (ix->mask + 1) * 3 || ix->slots == NULL)
		if ((r = grow(ix)) < 0)
			return r;
	place(ix, record);
	ix->count++;
	return 0;
}
