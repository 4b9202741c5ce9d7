/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Settings of a trace run and their parsing from the command line (the "env"
 * module): one struct that every other module reads, filled once by
 * opts_parse().
 */
#ifndef HS_OPTS_H
#define HS_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hooksnoop.h"

#define HS_MAX_FILTERS 64
#define HS_MAX_EXPECT 8

struct settings {
	bool json;
	bool all;
	bool wall_time;
	int verbose;
	const char *output;          /* -o FILE, NULL = stdout */
	double duration;             /* -d SEC, 0 = until signal */
	double grace;                /* --grace SEC (CI mode) */
	const char *containers[HS_MAX_FILTERS]; /* -c globs */
	size_t ncontainers;
	const char *runtimes[HS_RUNTIME_NAMES]; /* all runtime comm names (defaults + -r) */
	size_t nruntimes;
	const char *expect[HS_MAX_EXPECT];      /* --expect STAGE|all */
	size_t nexpect;
	unsigned int argv_bytes;     /* argv budget per record */
	unsigned int ringbuf_bytes;  /* ring buffer size (power of two, >= page) */
	unsigned int max_tracked;    /* tracking map entries */
	char **cmd;                  /* CI mode: CMD ARGS (NULL-terminated), NULL if none */
};

/*
 * Returns 0 on success, 1 when the run should stop with exit 0 (--help,
 * --version printed), -1 on a usage error (message already printed).
 */
int opts_parse(int argc, char **argv, struct settings *s);
void opts_usage(FILE *f);

#endif
