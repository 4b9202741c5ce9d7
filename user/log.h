/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Diagnostics on stderr, by verbosity. Errors are one line, prefixed with the
 * program name, saying what failed and what to do.
 */
#ifndef HS_LOG_H
#define HS_LOG_H

#include <stdio.h>

extern int hs_verbose;

#define hs_err(fmt, ...) fprintf(stderr, "hooksnoop: " fmt "\n", ##__VA_ARGS__)
#define hs_warn(fmt, ...) fprintf(stderr, "hooksnoop: warning: " fmt "\n", ##__VA_ARGS__)
#define hs_dbg(fmt, ...)                                                                           \
	do {                                                                                       \
		if (hs_verbose)                                                                    \
			fprintf(stderr, "hooksnoop: debug: " fmt "\n", ##__VA_ARGS__);             \
	} while (0)

#endif
