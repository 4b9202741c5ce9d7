// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for `hooksnoop compare`'s input: the bytes are a JSON
 * Lines file, read through the same line splitter (from a memfd) into
 * both sides, split at the first 0xff byte when there is one, then judged
 * and the rows checked for the invariants the renderers rely on.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compare.h"

static void feed(struct compare *c, enum cmp_side side, const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("fuzz-compare", 0);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	compare__add_path(c, side, path);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut = memchr(data, 0xff, size);
	size_t nbase = cut ? (size_t)(cut - data) : size;
	struct compare *c = compare__new();
	const struct cmp_row *rows;
	size_t n, i;

	if (!c)
		return 0;
	feed(c, CMP_BASE, data, nbase);
	if (cut)
		feed(c, CMP_NEW, cut + 1, size - nbase - 1);
	else
		feed(c, CMP_NEW, data, size);
	if (!compare__judge(c, 10, &rows, &n)) {
		for (i = 0; i < n; i++) {
			const struct cmp_row *r = &rows[i];

			if (r->verdict >= CMP_VERDICTS || !r->runtime || !r->stage || !r->hook)
				abort();
			if (r->side[CMP_BASE].n && r->side[CMP_NEW].n && !(r->p >= 0 && r->p <= 1))
				abort();
			if (r->index < -1 || r->index > CMP_INDEX_MAX)
				abort();
		}
	}
	compare__free(c);
	return 0;
}
