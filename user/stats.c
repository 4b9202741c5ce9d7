// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Quantiles and the Mann-Whitney U test (see stats.h). U comes from the
 * mid-ranks of the pooled samples. Its exact null distribution is the
 * coefficient list of the Gaussian binomial [m+n choose m]_q, built as the
 * product over i = 1..m of (1 - q^(n+i)) / (1 - q^i): m steps over at most
 * m*n+1 coefficients with m <= 8, so it stays cheap however large the other
 * side is. Counts are doubles: beyond 2^53 they round, but a p-value only
 * needs their ratios.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats.h"

double stats_quantile(const double *sorted, size_t n, double q)
{
	double pos, frac;
	size_t lo;

	if (q <= 0 || n == 1)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	pos = q * (double)(n - 1);
	lo = (size_t)pos;
	frac = pos - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

struct pooled {
	double v;
	bool first; /* from sample a */
};

static int cmp_pooled(const void *x, const void *y)
{
	double a = ((const struct pooled *)x)->v, b = ((const struct pooled *)y)->v;

	return a < b ? -1 : a > b;
}

/* P(U <= u) and P(U >= u) under H0 for sides of m and n values, no ties. */
static int mwu_exact(size_t m, size_t n, double u, double *le, double *ge)
{
	size_t i, k, deg = 0, top = m * n;
	double *c, total = 0, below = 0, above = 0;

	if (m > n) {
		size_t t = m;

		m = n;
		n = t;
	}
	c = calloc(top + 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c[0] = 1;
	for (i = 1; i <= m; i++) {
		/* times (1 - q^(n+i)): degree deg -> deg + n + i (never past top + i) */
		size_t shift = n + i, nd = deg + shift;

		/* c has room for top+1 terms; the division below brings nd back to deg + n */
		for (k = nd > top ? top : nd; k >= shift; k--) {
			c[k] -= c[k - shift];
			if (k == shift)
				break;
		}
		/* over (1 - q^i): q[k] = p[k] + q[k - i] */
		for (k = i; k <= top; k++)
			c[k] += c[k - i];
		deg += n;
	}
	for (k = 0; k <= top; k++) {
		total += c[k];
		if ((double)k <= u)
			below += c[k];
		if ((double)k >= u)
			above += c[k];
	}
	free(c);
	*le = below / total;
	*ge = above / total;
	return 0;
}

int stats_mwu(const double *a, size_t na, const double *b, size_t nb, struct mwu *r)
{
	size_t i, j, n = na + nb;
	double rank_a = 0, ties = 0, mu, sigma, z, u_hi;
	struct pooled *v;
	bool tied = false;

	if (!na || !nb)
		return -EINVAL;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		v[i] = (struct pooled){ a[i], true };
	for (i = 0; i < nb; i++)
		v[na + i] = (struct pooled){ b[i], false };
	qsort(v, n, sizeof(*v), cmp_pooled);
	for (i = 0; i < n; i = j) {
		double mid, t;

		for (j = i + 1; j < n && v[j].v == v[i].v; j++)
			;
		/* ranks i+1 .. j share their mean */
		mid = ((double)(i + 1) + (double)j) / 2;
		t = (double)(j - i);
		if (t > 1) {
			tied = true;
			ties += t * t * t - t;
		}
		for (size_t k = i; k < j; k++)
			if (v[k].first)
				rank_a += mid;
	}
	free(v);
	r->u = rank_a - (double)na * ((double)na + 1) / 2;
	r->exact = !tied && (na <= STATS_MWU_EXACT_MAX || nb <= STATS_MWU_EXACT_MAX);
	if (r->exact) {
		double le, ge;

		if (mwu_exact(na, nb, r->u, &le, &ge))
			return -ENOMEM;
		r->p = fmin(1, 2 * fmin(le, ge));
		return 0;
	}
	mu = (double)na * (double)nb / 2;
	sigma = sqrt((double)na * (double)nb / 12 *
		     (((double)n + 1) - ties / ((double)n * ((double)n - 1))));
	if (sigma <= 0) {
		r->p = 1; /* every value the same: no evidence of a difference */
		return 0;
	}
	u_hi = fmax(r->u, (double)na * (double)nb - r->u);
	z = (u_hi - mu - 0.5) / sigma;
	r->p = fmin(1, fmax(0, erfc(z / M_SQRT2))); /* 2 * P(Z > z) */
	return 0;
}
