// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Entry point: dispatches to the subcommands (lint, demo) or to a trace run.
 */
#include <string.h>

#include "trace.h"

int main(int argc, char **argv)
{
	return trace_main(argc, argv);
}
