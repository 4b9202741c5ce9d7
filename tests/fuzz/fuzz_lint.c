// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for the lint parsers and checks: the raw bytes go through
 * jloc directly, through both runtime dialects of the OCI model, through the
 * hooks.d loader and through the config / hooks.d / auto-detecting checkers;
 * and, as a Go regexp, through the gate and PCRE2 (matched against itself).
 * Filesystem checks only stat paths; nothing is executed or written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "goregex.h"
#include "hooksd.h"
#include "jsonloc.h"
#include "lint.h"
#include "oci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct lint_result res = { 0 };
	struct oci_hooksd_hook hd;
	struct oci_config *cfg;
	struct jloc_doc doc;
	struct goregex *rx;
	const char *why;

	if (!goregex_compile(buf, size, &rx, &why)) {
		int r = goregex_match(rx, buf, size);

		if (r < 0 && r != -ENOMEM && r != -E2BIG)
			abort();
		goregex_free(rx);
	} else if (!why && size < 4096) {
		abort();	/* a refusal always says why (-ENOMEM aside) */
	}
	if (!jloc_parse(&doc, buf, size)) {
		for (size_t i = 0; i < doc.n; i++)
			(void)jloc_member(&doc, (int)i, "hooks");
	}
	jloc_free(&doc);
	if (!oci_config_parse("fuzz.json", buf, size, &cfg)) {
		for (int d = OCI_DIALECT_EXACT; d <= OCI_DIALECT_GO; d++)
			(void)oci_config_hooks(cfg, d);
		lint_config(cfg, -1, -1, &res);
		oci_config_free(cfg);
	}
	if (!oci_hooksd_load_buf("fuzz.json", buf, size, NULL, &hd)) {
		struct oci_hooks cfg = { 0 };
		char *args[] = { (char *)"/bin/sh" };

		cfg.proc_args = args;
		cfg.nproc_args = 1;
		(void)oci_hooksd_matches(&hd, &cfg, true);
		oci_hooksd_hook_free(&hd);
	}
	lint_hooksd_buf("fuzz.json", buf, size, &res);
	lint_buf("fuzz", buf, size, NULL, &res);
	for (size_t i = 0; i < res.n; i++)
		if (!res.v[i].message || !res.v[i].code)
			abort();
	lint_result_free(&res);
	return 0;
}
