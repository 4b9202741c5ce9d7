/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packing time spans onto as few tracks (rows, lanes) as possible so that the
 * spans on one track never overlap: what a trace viewer needs from the thread
 * ids of complete events (events on one track must nest or be disjoint), and
 * what the SVG plot uses to lay out rows. Pure functions, no allocation the
 * caller does not see.
 */
#ifndef HS_SPANS_H
#define HS_SPANS_H

#include <linux/types.h>
#include <stddef.h>

struct span {
	__u64 start, end; /* end >= start; a span ending where another starts does not overlap */
};

/*
 * Give each of the n spans a track (track[i], 0-based): earliest start first,
 * each onto the lowest track whose last span has ended, so spans that never
 * overlap all land on track 0 and the number of tracks is the largest number
 * of spans alive at once. A span with end < start is taken as empty. Returns
 * the number of tracks used, or -ENOMEM.
 */
int spans_pack(const struct span *v, size_t n, unsigned *track);

#endif
