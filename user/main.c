// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Entry point: dispatches to the subcommands (lint, plot, demo) or to a trace run.
 */
#include <string.h>

#include "compare_cli.h"
#include "demo.h"
#include "lint.h"
#include "plot.h"
#include "trace.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "lint"))
		return lint_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "compare"))
		return compare_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "plot"))
		return plot_main(argc - 1, argv + 1);
	if (argc > 1 && (!strcmp(argv[1], "demo") || !strcmp(argv[1], "__demo-run")))
		return demo_main(argc - 1, argv + 1);
	return trace_main(argc, argv);
}
