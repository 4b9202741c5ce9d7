/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A trace run: live mode (until a signal or --duration) and CI mode (run CMD
 * under tracing, wait for in-flight runtime and hook processes, exit with
 * CMD's status or 3 when an expectation failed).
 */
#ifndef HS_TRACE_H
#define HS_TRACE_H

int trace_main(int argc, char **argv);

#endif
