// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A wrapper runtime the way nvidia-container-runtime is one, for
 * engines.bats: a binary named like the runtime (copied to a file named
 * runc) that rewrites the bundle's configuration in-process, then execs the
 * real runtime (WRAPRT_REAL, e.g. /usr/sbin/runc) in the same process with
 * the same arguments. The rewrite replaces BUNDLE/config.json with
 * BUNDLE/config.wrapped.json when that file exists. The bundle is the value
 * of -b / --bundle (or --bundle=DIR); without one, nothing is rewritten.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *bundle_of(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--bundle=", 9))
			return argv[i] + 9;
		if ((!strcmp(argv[i], "-b") || !strcmp(argv[i], "--bundle")) && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *real = getenv("WRAPRT_REAL");
	const char *b = bundle_of(argc, argv);
	char src[4096], dst[4096];

	if (!real) {
		fprintf(stderr, "wraprt: set WRAPRT_REAL to the runtime to exec\n");
		return 127;
	}
	if (b) {
		snprintf(src, sizeof(src), "%s/config.wrapped.json", b);
		snprintf(dst, sizeof(dst), "%s/config.json", b);
		if (rename(src, dst) && errno != ENOENT) {
			perror("wraprt: rename");
			return 127;
		}
	}
	execv(real, argv);
	perror("wraprt: exec");
	return 127;
}
