/*
 * test-name-index.c - daemon/name_index.c against a plain array: names
 * added in a random order, so that runs of colliding slots form and wrap
 * around the end of the table at every size it grows through, with every
 * name (and one never added) looked up after each addition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "name_index.h"

#define NNAMES 300

struct rec {
	char name[16];
	int indexed;
};

static const char *
rec_name(const void *r)
{
	return ((const struct rec *)r)->name;
}

static struct rec recs[NNAMES];

static void
check_all(const struct name_index *ix)
{
	size_t i, n = 0;

	for (i = 0; i < NNAMES; i++) {
		void *found = name_index_find(ix, recs[i].name);

		if (recs[i].indexed) {
			assert_ptr_equal(found, &recs[i]);
			n++;
		} else
			assert_null(found);
	}
	assert_int_equal(ix->count, n);
	assert_null(name_index_find(ix, "not-a-name"));
}

static void
test_random_order(void **state)
{
	struct name_index ix;
	unsigned seed = 20261207;
	int order[NNAMES], i, j, t;

	(void)state;
	for (i = 0; i < NNAMES; i++) {
		snprintf(recs[i].name, sizeof(recs[i].name), "feed-%d", i);
		recs[i].indexed = 0;
		order[i] = i;
	}
	for (i = NNAMES - 1; i > 0; i--) {
		j = (int)(rand_r(&seed) % (unsigned)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	name_index_init(&ix, rec_name);
	check_all(&ix);
	for (i = 0; i < NNAMES; i++) {
		assert_int_equal(name_index_add(&ix, &recs[order[i]]), 0);
		recs[order[i]].indexed = 1;
		check_all(&ix);
		/* Three quarters full at most, and never more than needed. */
		assert_true(ix.count * 4 <= (ix.mask + 1) * 3);
		assert_true(ix.mask + 1 <= 16 || (ix.mask + 1) / 2 * 3 <
		    ix.count * 4);
	}
	name_index_free(&ix);
	assert_int_equal(ix.count, 0);
	assert_null(name_index_find(&ix, recs[0].name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
