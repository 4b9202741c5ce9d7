// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Helpers several parsers need in exactly the same form: copying byte ranges
 * that may contain NULs (argv captures). Whole-file reads are saferead's.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *mem_strdup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}
