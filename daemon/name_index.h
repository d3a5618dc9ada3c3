/*
 * name_index.h - find a record by its name in constant time.
 *
 * The scheduler and the state store each keep one record per feed (and
 * the scheduler one per host).  Looking them up by walking a list made
 * every start, reload and `once` quadratic in the number of feeds: at
 * 10,000 feeds, three quarters of a warm cycle went to strcmp.
 *
 * The index holds pointers to records it does not own; the name is read
 * from the record through `name_of`, so each entry costs one pointer.
 * A record must stay in place, and keep its name, while it is indexed.
 */
#ifndef FEEDSPOOL_NAME_INDEX_H
#define FEEDSPOOL_NAME_INDEX_H

#include <stddef.h>

struct name_index {
	void **slots;		/* open addressing, linear probing */
	size_t mask;		/* slots - 1; slots is a power of two */
	size_t count;
	const char *(*name_of)(const void *record);
};

void name_index_init(struct name_index *ix,
    const char *(*name_of)(const void *record));
void name_index_free(struct name_index *ix);

/* The record called name, or NULL. */
void *name_index_find(const struct name_index *ix, const char *name);

/*
 * Indexes record, whose name must not be indexed yet.  Returns 0, or
 * -ENOMEM (the index is unchanged).
 */
int name_index_add(struct name_index *ix, void *record);

#endif
