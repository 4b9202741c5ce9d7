// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * user/stats.c against known values: U statistics and two-sided p-values
 * from scipy 1.10.1 (scipy.stats.mannwhitneyu(a, b, method="auto"), the
 * same exact / normal-approximation rule), the textbook case of two fully
 * separated samples (p = 2 / C(10,5)), the exact distribution checked
 * against brute-force enumeration of every split, and quantiles against
 * numpy.percentile's linear interpolation.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "stats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void check(const double *a, size_t na, const double *b, size_t nb, double u, double p,
		  bool exact)
{
	struct mwu r;

	assert_int_equal(stats_mwu(a, na, b, nb, &r), 0);
	if (fabs(r.u - u) > 1e-9)
		fail_msg("U = %.6f, want %.6f", r.u, u);
	if (fabs(r.p - p) > 1e-9 * fmax(1, p))
		fail_msg("p = %.12g, want %.12g", r.p, p);
	assert_int_equal(r.exact, exact);
}

static void test_mwu_scipy_exact(void **state)
{
	static const double sep_a[] = { 1, 2, 3, 4, 5 }, sep_b[] = { 6, 7, 8, 9, 10 };
	static const double s_a[] = { 19, 22, 16, 29, 24 }, s_b[] = { 20, 11, 17, 12 };
	static const double n7_a[] = { 1.1, 2.3, 3.5, 4.2, 5.9, 7.7, 8.1 };
	static const double n7_b[] = { 3.0, 6.1, 9.2, 10.5, 11.1, 12.0, 13.4 };
	static const double x_a[] = { 12, 15, 9, 20, 31, 8 };
	static const double x_b[] = { 22, 25, 19, 40, 33, 28, 27, 41, 35 };
	static const double one_a[] = { 1 }, one_b[] = { 2 };

	/* fully separated: only 1 of C(10,5) = 252 splits is as extreme on each side */
	check(sep_a, 5, sep_b, 5, 0, 2.0 / 252, true);
	check(sep_b, 5, sep_a, 5, 25, 2.0 / 252, true);
	check(s_a, N(s_a), s_b, N(s_b), 17, 0.1111111111111111, true);
	check(n7_a, N(n7_a), n7_b, N(n7_b), 7, 0.026223776223776224, true);
	check(x_a, N(x_a), x_b, N(x_b), 6, 0.011988011988011988, true);
	check(x_b, N(x_b), x_a, N(x_a), 48, 0.011988011988011988, true);
	check(one_a, 1, one_b, 1, 0, 1.0, true);
}

static void test_mwu_scipy_normal(void **state)
{
	double l_a[10], l_b[12];
	static const double t_a[] = { 1, 2, 2, 3, 4 }, t_b[] = { 2, 3, 5, 6, 6 };
	static const double tl_a[] = { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 };
	static const double tl_b[] = { 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8 };
	static const double same[] = { 5, 5, 5, 5, 5, 5, 5, 5 };
	static const double f_a[] = { 10, 11, 12, 13, 14 };
	double f_b[40];
	size_t i;

	for (i = 0; i < 10; i++)
		l_a[i] = (double)i * 1.3 + 0.1;
	for (i = 0; i < 12; i++)
		l_b[i] = (double)i * 1.1 + 2.05;
	for (i = 0; i < 40; i++)
		f_b[i] = (double)i + 5;
	/* both sides above 8: normal approximation, continuity-corrected */
	check(l_a, 10, l_b, 12, 41, 0.22252027352475368, false);
	/* ties: the normal approximation with the tie-corrected variance, even when small */
	check(t_a, 5, t_b, 5, 4.5, 0.11049202405566802, false);
	check(tl_a, N(tl_a), tl_b, N(tl_b), 18, 0.009346741618421176, false);
	check(f_a, 5, f_b, 40, 37.5, 0.025120429368549652, false);
	/* no spread at all: no evidence either way */
	check(same, 8, same, 8, 32, 1.0, false);
}

/* P-value by enumerating every way to pick na of the pooled values as "a". */
static double brute_p(const double *a, size_t na, const double *b, size_t nb, double u_obs)
{
	double pool[16];
	size_t n = na + nb, hits = 0, total = 0;
	unsigned mask;

	for (size_t i = 0; i < na; i++)
		pool[i] = a[i];
	for (size_t i = 0; i < nb; i++)
		pool[na + i] = b[i];
	double lo = fmin(u_obs, (double)na * nb - u_obs);

	for (mask = 0; mask < (1u << n); mask++) {
		double u = 0;

		if ((size_t)__builtin_popcount(mask) != na)
			continue;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if ((mask >> i & 1) && !(mask >> j & 1) && pool[i] > pool[j])
					u++;
		total++;
		if (fmin(u, (double)na * nb - u) <= lo)
			hits++;
	}
	return fmin(1, (double)hits / (double)total);
}

static void test_mwu_exact_matches_enumeration(void **state)
{
	double a[8], b[8];
	size_t na, nb, i, trial;
	struct mwu r;

	srand(12);
	for (trial = 0; trial < 200; trial++) {
		na = 1 + (size_t)rand() % 7;
		nb = 1 + (size_t)rand() % 8;
		/* distinct values: 0..15 shuffled by random keys */
		for (i = 0; i < na; i++)
			a[i] = (double)(rand() % 1000) + (double)i / 100;
		for (i = 0; i < nb; i++)
			b[i] = (double)(rand() % 1000) + 0.005 + (double)i / 100;
		assert_int_equal(stats_mwu(a, na, b, nb, &r), 0);
		assert_true(r.exact);
		if (fabs(r.p - brute_p(a, na, b, nb, r.u)) > 1e-12)
			fail_msg("na %zu nb %zu: p %.15g, enumeration %.15g", na, nb, r.p,
				 brute_p(a, na, b, nb, r.u));
	}
}

static void test_mwu_bad_input(void **state)
{
	static const double a[] = { 1 };
	struct mwu r;

	assert_int_equal(stats_mwu(a, 0, a, 1, &r), -EINVAL);
	assert_int_equal(stats_mwu(a, 1, a, 0, &r), -EINVAL);
}

static void test_mwu_large_exact_side(void **state)
{
	/* a small side against a big one stays exact and cheap, and symmetric */
	double a[5], *b = malloc(20000 * sizeof(*b));
	struct mwu r1, r2;
	size_t i;

	assert_non_null(b);
	for (i = 0; i < 5; i++)
		a[i] = 10000.5 + (double)i * 2000;
	for (i = 0; i < 20000; i++)
		b[i] = (double)i;
	assert_int_equal(stats_mwu(a, 5, b, 20000, &r1), 0);
	assert_int_equal(stats_mwu(b, 20000, a, 5, &r2), 0);
	assert_true(r1.exact && r2.exact);
	assert_true(fabs(r1.p - r2.p) < 1e-12);
	/*
	 * U = 10001 + 12001 + ... + 18001. The exact p, 0.12392864854609144, is
	 * from the same product computed with Python's exact integers (its
	 * total is C(20005, 5)); the normal approximation would say 0.1213.
	 */
	assert_true(r1.u == 70005);
	if (fabs(r1.p - 0.12392864854609144) > 1e-9)
		fail_msg("p = %.12f, want 0.123928648546", r1.p);
	free(b);
}

static void test_quantiles(void **state)
{
	static const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const double four[] = { 1, 2, 3, 10 };
	static const double one[] = { 7 };

	/* numpy.percentile(range(1, 11), 90) = 9.1; median of 1 2 3 10 = 2.5 */
	assert_true(fabs(stats_quantile(ten, 10, 0.9) - 9.1) < 1e-12);
	assert_true(fabs(stats_quantile(ten, 10, 0.5) - 5.5) < 1e-12);
	assert_true(fabs(stats_quantile(four, 4, 0.5) - 2.5) < 1e-12);
	assert_true(stats_quantile(ten, 10, 0) == 1);
	assert_true(stats_quantile(ten, 10, 1) == 10);
	assert_true(stats_quantile(one, 1, 0.9) == 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_scipy_exact),
		cmocka_unit_test(test_mwu_scipy_normal),
		cmocka_unit_test(test_mwu_exact_matches_enumeration),
		cmocka_unit_test(test_mwu_bad_input),
		cmocka_unit_test(test_mwu_large_exact_side),
		cmocka_unit_test(test_quantiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
