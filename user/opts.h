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
#include "metrics_http.h"
#include "oci.h"

#define HS_MAX_FILTERS 64
#define HS_MAX_EXPECT 8
#define HS_REPEAT_MAX 10000
/* --max budgets are kept per stage; this slot is for hooks whose stage is unknown */
#define HS_BUDGET_UNKNOWN OCI_STAGE_MAX
#define HS_BUDGET_SLOTS (OCI_STAGE_MAX + 1)

struct settings {
	bool json;
	bool all;
	bool wall_time;
	int verbose;
	const char *output;          /* -o FILE, NULL = stdout */
	const char *trace_out;       /* --trace-out FILE: Chrome trace-event JSON, NULL = none */
	const char *metrics_addr;    /* --metrics ADDR as given, NULL = no HTTP server */
	struct metrics_addr metrics_at; /* ... parsed */
	const char *metrics_file;    /* --metrics-file PATH: node_exporter textfile, NULL = none */
	const char *junit;           /* --junit FILE (CI mode): JUnit XML of the expectations */
	const char *plot_out;        /* SVG timeline at the end: the demo's, no option */
	double duration;             /* -d SEC, 0 = until signal */
	double grace;                /* --grace SEC (CI mode) */
	double slow;                 /* --slow SEC: hook_running after SEC, then at each doubling; 0 off */
	const char *containers[HS_MAX_FILTERS]; /* -c globs */
	size_t ncontainers;
	const char *runtimes[HS_RUNTIME_NAMES]; /* all runtime comm names (defaults + -r) */
	size_t nruntimes;
	const char *expect[HS_MAX_EXPECT];      /* --expect STAGE|all */
	size_t nexpect;
	unsigned int argv_bytes;     /* argv budget per record (and environment budget, -e) */
	unsigned int output_bytes;   /* --output-bytes: stdout/stderr tail per hook, 0 = off */
	bool env;                    /* -e: record each hook's environment */
	unsigned int ringbuf_bytes;  /* ring buffer size (power of two, >= page) */
	unsigned int max_tracked;    /* tracking map entries */
	unsigned int root_rate;      /* new runtime roots a second per source, 0 = no bound */
	unsigned int src_max_tracked; /* processes a source may have followed at once, 0 = no bound */
	unsigned int repeat;         /* --repeat N (CI mode): runs of CMD; 0 = not given (one) */
	/*
	 * --max STAGE=DURATION: the longest a hook of each stage may run, 0 = no
	 * budget. A stage named on its own wins over `all`; `all` also covers
	 * hooks whose stage is unknown. budget_text is the DURATION as written.
	 */
	unsigned long long budget_ns[HS_BUDGET_SLOTS];
	const char *budget_text[HS_BUDGET_SLOTS];
	bool budgets;                /* any --max given */
	char **cmd;                  /* CI mode: CMD ARGS (NULL-terminated), NULL if none */
};

/*
 * Returns 0 on success, 1 when the run should stop with exit 0 (--help,
 * --version printed), -1 on a usage error (message already printed).
 */
int opts_parse(int argc, char **argv, struct settings *s);
void opts_usage(FILE *f);

/*
 * A duration with its unit: decimal digits, an optional fraction, then ns,
 * us, ms or s ("200ms", "1.5s", "500us"); at most 24 hours. 0, -EINVAL
 * (not a duration) or -ERANGE (zero, or more than 24 hours).
 */
int opts_parse_duration(const char *arg, unsigned long long *ns);

#endif
