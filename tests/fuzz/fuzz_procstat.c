// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for the /proc/PID/stat parser (sr_stat_parse): the line
 * every seeded runtime and every pid-reuse check is read from, whose comm
 * field any process sets to any bytes, parentheses and spaces included. The
 * input is the file's text; the parser wants it NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "saferead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct sr_stat st;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (!sr_stat_parse(buf, &st) && !memchr(st.comm, '\0', sizeof(st.comm)))
		abort();	/* comm is always a terminated string */
	free(buf);
	return 0;
}
