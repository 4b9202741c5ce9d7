// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for the runtime command-line and state-file parsers: the
 * first byte picks the runtime kind and the truncation flag, the rest is a
 * kernel-style NUL-separated argv capture (or a state file's text). Also the
 * podman hooks-dir extraction and bundle resolution on whatever was parsed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtargs.h"
#include "rtstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_invocation inv;
	struct rt_state st;
	enum rt_kind kind;
	char *bundle = NULL;
	bool trunc;

	if (size < 1)
		return 0;
	kind = (enum rt_kind)(data[0] % (RT_SHIM + 1));
	trunc = data[0] & 0x80;
	rt_parse_cmdline(kind, (const char *)data + 1, size - 1, trunc, &inv);
	if (!rt_resolve_bundle(&inv, "/run/fuzz", &bundle))
		free(bundle);
	rt_invocation_free(&inv);

	memset(&st, 0, sizeof(st));
	if (!rt_state_parse(kind, (const char *)data + 1, size - 1, &st))
		rt_state_free(&st);

	if (kind == RT_PODMAN && size < 65536) {
		char *copy = malloc(size);
		char *argv[256];
		char **dirs = NULL;
		size_t n = 0, i, off = 0;
		int argc = 0;

		if (!copy)
			return 0;
		memcpy(copy, data + 1, size - 1);
		copy[size - 1] = '\0';
		for (i = 0; i < size && argc < 255; i++) {
			if (i == size - 1 || copy[i] == '\0') {
				argv[argc++] = copy + off;
				off = i + 1;
				if (i == size - 1)
					break;
			}
		}
		argv[argc] = NULL;
		if (!rt_podman_hooks_dirs(argc, argv, &dirs, &n, NULL))
			rt_strv_free(dirs, n);
		free(copy);
	}
	return 0;
}
