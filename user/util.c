// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Helpers several modules need in exactly the same form: copying byte ranges
 * that may contain NULs (argv captures), and writing a whole file by rename
 * (--metrics-file, --junit). Whole-file reads are saferead's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int write_file_atomic(const char *path, const char *tmp, const char *text, size_t len, mode_t mode)
{
	int fd, err = 0;
	size_t off = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	/* the umask may have taken read access from the file's readers */
	if (fchmod(fd, mode))
		err = errno;
	while (!err && off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? errno : EIO;
		else
			off += (size_t)n;
	}
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		unlink(tmp);
	return -err;
}

void fmt_duration(char *buf, size_t sz, unsigned long long ns)
{
	if (ns < 1000000ull)
		snprintf(buf, sz, "%.0fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, sz, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, sz, "%.1fs", (double)ns / 1e9);
}
