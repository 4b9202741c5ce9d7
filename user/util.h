/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small helpers shared by the parsers: bounded whole-file reads, byte copies. */
#ifndef HS_UTIL_H
#define HS_UTIL_H

#include <stddef.h>

/* n bytes of s (which may contain NULs) plus a terminating NUL; NULL on ENOMEM. */
char *mem_strdup(const char *s, size_t n);

/*
 * Read all of the regular file open on fd (which this closes) into a
 * NUL-terminated buffer. 0, -EISDIR, -EINVAL (not a regular file), -EFBIG
 * (larger than max), -ENOMEM, or -errno from fstat/read.
 */
int read_regular_fd(int fd, size_t max, char **buf, size_t *len);

#endif
