/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small helpers shared by the parsers: byte copies. */
#ifndef HS_UTIL_H
#define HS_UTIL_H

#include <stddef.h>

/* n bytes of s (which may contain NULs) plus a terminating NUL; NULL on ENOMEM. */
char *mem_strdup(const char *s, size_t n);

#endif
