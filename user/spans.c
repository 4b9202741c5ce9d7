// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Track packing for time spans (see spans.h): interval partitioning, greedy
 * by start time. Greedy by start is optimal for intervals: a new track opens
 * only when every open track is busy at that instant.
 */
#include <errno.h>
#include <stdlib.h>

#include "spans.h"

struct order {
	const struct span *v;
	size_t i;
};

static int by_start(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	__u64 sx = x->v[x->i].start, sy = y->v[y->i].start;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	/* equal starts: input order, so the layout does not depend on qsort */
	return x->i < y->i ? -1 : x->i > y->i;
}

int spans_pack(const struct span *v, size_t n, unsigned *track)
{
	struct order *o;
	__u64 *ends;
	size_t i, t, ntracks = 0;

	if (!n)
		return 0;
	o = calloc(n, sizeof(*o));
	ends = calloc(n, sizeof(*ends));
	if (!o || !ends) {
		free(o);
		free(ends);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		o[i] = (struct order){.v = v, .i = i};
	qsort(o, n, sizeof(*o), by_start);
	for (i = 0; i < n; i++) {
		const struct span *s = &v[o[i].i];
		__u64 end = s->end < s->start ? s->start : s->end;

		for (t = 0; t < ntracks && ends[t] > s->start; t++)
			;
		if (t == ntracks)
			ntracks++;
		ends[t] = end;
		track[o[i].i] = (unsigned)t;
	}
	free(o);
	free(ends);
	return (int)ntracks;
}
