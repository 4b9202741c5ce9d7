// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The containerd shim v2 command line (containerd-shim-runc-v2 and friends),
 * data only: containerd's runtime/v2/shim/shim.go parseFlags() (Go flag
 * package; the testbed runs containerd 1.6). The shim has no subcommands we
 * follow: its one operand is the action ("start", "delete").
 */
#include "rtopt.h"

/* containerd runtime/v2/shim/shim.go parseFlags(); the operand is the action. */
static const struct rt_opt shim_global[] = {
	{ "debug", 0, A_NONE, F_DEBUG },
	{ "v", 0, A_NONE, F_IGNORE },
	{ "namespace", 0, A_REQ, F_NAMESPACE },
	{ "id", 0, A_REQ, F_ID },
	{ "socket", 0, A_REQ, F_IGNORE },
	{ "bundle", 0, A_REQ, F_BUNDLE },
	{ "address", 0, A_REQ, F_IGNORE },
	{ "publish-binary", 0, A_REQ, F_IGNORE },
	RTOPT_END,
};

const struct rt_grammar rtopt_shim = {
	.syntax = RT_SYNTAX_GO,
	.global = shim_global,
};
