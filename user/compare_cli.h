/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `hooksnoop compare` (compare_cli.c): the subcommand's entry point.
 */
#ifndef HS_COMPARE_CLI_H
#define HS_COMPARE_CLI_H

/* argv[0] is "compare". Returns the exit status (0, 4 regression, 2 bad input). */
int compare_main(int argc, char **argv);

#endif
