/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small helpers shared by several modules: byte copies, whole-file writes. */
#ifndef HS_UTIL_H
#define HS_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* n bytes of s (which may contain NULs) plus a terminating NUL; NULL on ENOMEM. */
char *mem_strdup(const char *s, size_t n);

/*
 * Write text to path in full, first to tmp (created with mode, O_NOFOLLOW,
 * fsync'd), then renamed over path, so a reader sees the old file or the
 * new one, never half of one. 0 or -errno (tmp removed).
 */
/* A duration for a timeline: "512us", "203.4ms", "12.3s". */
void fmt_duration(char *buf, size_t sz, unsigned long long ns);

int write_file_atomic(const char *path, const char *tmp, const char *text, size_t len,
		      mode_t mode);

#endif
