// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for `hooksnoop plot`'s input: the bytes are a JSON Lines
 * file (records from -j, or anything else); whatever the reader keeps is
 * drawn, so the SVG writer and its escaper see hostile strings and times too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plot p;
	struct sbuf sb;

	plot__init(&p);
	if (!plot__buf(&p, (const char *)data, size) && p.nrows) {
		sbuf_init(&sb);
		plot_svg(&p, &sb);
		/* nothing from the input reaches the document raw */
		if (!sb.oom && memchr(sb.buf, 0x1b, sb.len))
			abort();
		sbuf_free(&sb);
	}
	plot__free(&p);
	return 0;
}
