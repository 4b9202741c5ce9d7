/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A trace run: live mode (until a signal or --duration) and CI mode (run CMD
 * under tracing, wait for in-flight runtime and hook processes, exit with
 * CMD's status or 3 when an expectation failed).
 */
#ifndef HS_TRACE_H
#define HS_TRACE_H

#include "opts.h"

int trace_main(int argc, char **argv);
/* A run with settings already parsed (used by the demo). Returns the exit status. */
int trace_run(const struct settings *s);

#endif
