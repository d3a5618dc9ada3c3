/*
 * test-name-index.c - daemon/name_index.c against a plain array: random
 * adds and removes over a small set of names (so that runs of colliding
 * slots form, wrap around the end of the table and are closed again by
 * removals), with every name looked up after every step.
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
test_random_against_array(void **state)
{
	struct name_index ix;
	unsigned seed = 20261207;
	int step, i;

	(void)state;
	for (i = 0; i < NNAMES; i++) {
		snprintf(recs[i].name, sizeof(recs[i].name), "feed-%d", i);
		recs[i].indexed = 0;
	}
	name_index_init(&ix, rec_name);
	check_all(&ix);
	for (step = 0; step < 20000; step++) {
		i = (int)(rand_r(&seed) % NNAMES);
		if (recs[i].indexed) {
			name_index_remove(&ix, &recs[i]);
			recs[i].indexed = 0;
		} else {
			assert_int_equal(name_index_add(&ix, &recs[i]), 0);
			recs[i].indexed = 1;
		}
		/* Removing what is not there changes nothing. */
		if (step % 7 == 0) {
			i = (int)(rand_r(&seed) % NNAMES);
			if (!recs[i].indexed)
				name_index_remove(&ix, &recs[i]);
		}
		if (step % 13 == 0 || step < 500)
			check_all(&ix);
	}
	check_all(&ix);
	/* The table never grows past twice what it holds at most. */
	assert_true(ix.mask + 1 <= 2 * 4 * NNAMES / 3 + 16);
	name_index_free(&ix);
	assert_null(name_index_find(&ix, recs[0].name));
}

static void
test_grows_and_empties(void **state)
{
	struct name_index ix;
	int i;

	(void)state;
	for (i = 0; i < NNAMES; i++) {
		snprintf(recs[i].name, sizeof(recs[i].name), "h%d.example", i);
		recs[i].indexed = 0;
	}
	name_index_init(&ix, rec_name);
	for (i = 0; i < NNAMES; i++) {
		assert_int_equal(name_index_add(&ix, &recs[i]), 0);
		recs[i].indexed = 1;
	}
	check_all(&ix);
	assert_true(ix.count * 4 <= (ix.mask + 1) * 3);
	for (i = NNAMES - 1; i >= 0; i--) {
		name_index_remove(&ix, &recs[i]);
		recs[i].indexed = 0;
	}
	check_all(&ix);
	assert_int_equal(ix.count, 0);
	name_index_free(&ix);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_against_array),
		cmocka_unit_test(test_grows_and_empties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
