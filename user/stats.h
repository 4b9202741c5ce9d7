/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Sample statistics for `hooksnoop compare`: quantiles of sorted samples
 * and the two-sided Mann-Whitney U test, which compares two samples by
 * ranks only. Hook durations are small, skewed samples with long tails (a
 * cold page cache, a scheduler hiccup): a rank test needs no normality and
 * one outlier moves it by one rank, where a t-test would follow the tail.
 */
#ifndef HS_STATS_H
#define HS_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Smaller side at most this, and no ties: the exact distribution of U (as scipy). */
#define STATS_MWU_EXACT_MAX 8

struct mwu {
	double u;	/* U of the first sample: pairs (a, b) with a > b, ties count 1/2 */
	double p;	/* two-sided p-value */
	bool exact;	/* from the exact distribution (else normal approximation) */
};

/*
 * The q-quantile (0 <= q <= 1) of n > 0 ascending samples, interpolated
 * linearly between closest ranks (numpy's default, R's type 7).
 */
double stats_quantile(const double *sorted, size_t n, double q);

/*
 * Mann-Whitney U of samples a and b (any order, both non-empty). The exact
 * distribution of U when the smaller side has at most STATS_MWU_EXACT_MAX
 * values and no value repeats (its permutation counts are exact only
 * without ties); otherwise the normal approximation
 * with the tie correction of the variance and a continuity correction of
 * 0.5, as scipy.stats.mannwhitneyu(method="auto") does. 0, -EINVAL (an
 * empty side) or -ENOMEM.
 */
int stats_mwu(const double *a, size_t na, const double *b, size_t nb, struct mwu *r);

#endif
