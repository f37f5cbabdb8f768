// SPDX-License-Identifier: MIT
/*
 * Reconnect backoff: doubles from the base up to the cap, never exceeds
 * it, takes off at most a quarter as jitter, and starts again from the
 * base after a success.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../backoff.h"

static void test_doubles_to_cap(void **state)
{
	struct mlsd_backoff b;
	const uint32_t want[] = { 500, 1000, 2000, 4000, 8000, 16000, 30000,
				  30000, 30000 };

	mlsd_backoff_init(&b, 500, 30000);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(mlsd_backoff_next(&b, 0), want[i]);
}

static void test_jitter_at_most_a_quarter(void **state)
{
	struct mlsd_backoff b;

	for (uint32_t rnd = 0; rnd < 5000; rnd += 7) {
		uint32_t d;

		mlsd_backoff_init(&b, 1000, 1000);
		d = mlsd_backoff_next(&b, rnd);
		assert_true(d >= 750 && d <= 1000);
	}
	mlsd_backoff_init(&b, 1000, 1000);
	assert_int_equal(mlsd_backoff_next(&b, 250), 750);
	mlsd_backoff_init(&b, 1000, 1000);
	assert_int_equal(mlsd_backoff_next(&b, 251), 1000);
}

static void test_reset_and_many_failures(void **state)
{
	struct mlsd_backoff b;

	mlsd_backoff_init(&b, 500, 30000);
	for (int i = 0; i < 1000; i++)
		assert_true(mlsd_backoff_next(&b, 0xffffffffu) <= 30000);
	mlsd_backoff_reset(&b);
	assert_int_equal(mlsd_backoff_next(&b, 0), 500);
	/* a cap below the base is the base */
	mlsd_backoff_init(&b, 800, 100);
	assert_int_equal(mlsd_backoff_next(&b, 0), 800);
	assert_int_equal(mlsd_backoff_next(&b, 0), 800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_to_cap),
		cmocka_unit_test(test_jitter_at_most_a_quarter),
		cmocka_unit_test(test_reset_and_many_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
