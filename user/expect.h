/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CI mode's judgement: the --expect checker (a report sink that keeps what
 * it needs of each container record) and the mapping of a run's outcome to
 * hooksnoop's exit status.
 */
#ifndef HS_EXPECT_H
#define HS_EXPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "opts.h"
#include "report.h"

enum expect_result {
	EXPECT_NONE = -1,   /* no --expect given */
	EXPECT_PASS = 0,
	EXPECT_FAIL = 1,
	EXPECT_UNKNOWN = 2, /* events were lost: cannot be verified */
};

/*
 * A sink that checks every container record against s->expect[] and the
 * --max budgets (s->budget_ns[]): a hook running longer than its stage's
 * budget fails; an unfinished one counts until its container's record.
 */
struct sink *expect_sink_new(const struct settings *s);

/*
 * The verdict over every container seen, each failure explained on `err`
 * (one "hooksnoop: expectation ..." line each, plus "why:" lines). With
 * budgets only, no container seen is a pass (a budget limits what ran; it
 * does not demand that anything ran).
 * lost_any: the kernel lost records during the run (with no container seen,
 * one may have run unseen).
 */
enum expect_result expect_sink_result(struct sink *sk, bool lost_any, FILE *err);

/*
 * One judged check, as --junit reports it: a container and one expected
 * stage (name "poststart") or one stage's budget (name "max poststart=2s"),
 * or, when no container was seen at all, the run itself (id NULL).
 * message: the first line stderr says for it, without "hooksnoop: " (NULL
 * when it passed); detail: every line stderr says for it ('\n'-separated,
 * "why:" lines included), or NULL. secs: how long the hooks it covers ran.
 * Pointers are valid for the duration of the callback.
 */
struct expect_case {
	const char *id;		/* escaped for the terminal, as stderr shows it */
	const char *runtime;
	int run;		/* --repeat: the container's run, else -1 */
	const char *name;
	enum expect_result r;	/* PASS, FAIL or UNKNOWN */
	const char *message;
	const char *detail;
	double secs;
};

typedef void (*expect_case_fn)(void *ctx, const struct expect_case *c);

/*
 * expect_sink_result(), handing each judged check to fn as well (the same
 * judgement, said once on err, collected by --junit).
 */
enum expect_result expect_sink_judge(struct sink *sk, bool lost_any, FILE *err,
				     expect_case_fn fn, void *ctx);

/* "pass" | "fail" | "none", as the summary record says it. */
const char *expect_result_word(enum expect_result r);

/*
 * hooksnoop's exit status. setup_rc: non-zero when hooksnoop itself could
 * not run (returned as is). cmd_ran / wait_status: CI mode's CMD and its
 * waitpid() status: its own non-zero status (128+N for signal N) wins.
 * Otherwise 3 when an expectation failed or is unknown, 0 when all held.
 */
int expect_exit_status(int setup_rc, bool cmd_ran, int wait_status, enum expect_result r);

#endif
