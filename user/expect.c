// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --expect STAGE|all over the container records of a run, and the exit
 * status of a run. The checker is a report sink: it sees the same
 * (filtered) container records the user sees and keeps a compact copy of
 * each (tallies, loss, the findings that explain a missing stage), so the
 * model can free its containers as soon as their records are out.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "escape.h"
#include "expect.h"

#define EXPECT_ID_MAX 64

struct seen {
	struct seen *next;
	char *id;	 /* escaped for the terminal, cut to EXPECT_ID_MAX */
	char *runtime;
	bool lost, unreadable;
	struct stage_rec stages[OCI_STAGE_MAX];
	char **why;	 /* findings that explain a stage that is not there */
	size_t nwhy;
};

struct expect_sink {
	struct sink sk;
	const struct settings *s;
	struct seen *seen; /* newest first */
};

/* Findings that say why a stage's hooks are not what the file seems to say. */
static bool explains_absence(const char *code)
{
	return !strcmp(code, "HOOK_KEY_CASE") || !strcmp(code, "HOOK_STAGE_UNKNOWN") ||
	       !strcmp(code, "HOOKS_KEY_CASE");
}

static void seen_free(struct seen *x)
{
	size_t i;

	for (i = 0; i < x->nwhy; i++)
		free(x->why[i]);
	free(x->why);
	free(x->id);
	free(x->runtime);
	free(x);
}

static void expect_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct expect_sink *e = (struct expect_sink *)sk;
	struct seen *x = calloc(1, sizeof(*x));
	struct sbuf sb;
	size_t i, n = strlen(rec->id);

	if (!x)
		return;
	sbuf_init(&sb);
	esc_text(&sb, rec->id, n > EXPECT_ID_MAX ? EXPECT_ID_MAX : n);
	x->id = strdup(sbuf_str(&sb));
	sbuf_free(&sb);
	x->runtime = strdup(rec->runtime);
	x->lost = rec->lost;
	x->unreadable = rec->cfg_error != NULL;
	memcpy(x->stages, rec->stages, sizeof(x->stages));
	x->why = calloc(rec->lint->n + 1, sizeof(*x->why));
	for (i = 0; x->why && i < rec->lint->n; i++)
		if (explains_absence(rec->lint->v[i].code))
			x->why[x->nwhy++] = strdup(rec->lint->v[i].message);
	if (!x->id || !x->runtime || !x->why) {
		seen_free(x);
		return;
	}
	x->next = e->seen;
	e->seen = x;
}

static enum expect_result expect_one(const struct seen *x, int st, bool all, FILE *err)
{
	const struct stage_rec *s = &x->stages[st];
	size_t i;

	if (x->lost) {
		fprintf(err, "hooksnoop: expectation UNKNOWN: container %s (%s): events were lost "
			     "while it ran, %s cannot be verified\n",
			x->id, x->runtime, oci_stage_name(st));
		return EXPECT_UNKNOWN;
	}
	if (!s->configured) {
		if (all)
			return EXPECT_PASS;
		fprintf(err, "hooksnoop: expectation failed: container %s (%s): no %s hook is "
			     "configured%s\n",
			x->id, x->runtime, oci_stage_name(st),
			x->unreadable ? " (configuration unreadable)" : " for this runtime");
		for (i = 0; i < x->nwhy; i++)
			fprintf(err, "hooksnoop:   why: %s\n", x->why[i]);
		return EXPECT_FAIL;
	}
	if (s->failed) {
		fprintf(err, "hooksnoop: expectation failed: container %s (%s): %u of %u %s "
			     "hooks failed\n",
			x->id, x->runtime, s->failed, s->configured, oci_stage_name(st));
		return EXPECT_FAIL;
	}
	if (s->fired < s->configured) {
		fprintf(err, "hooksnoop: expectation failed: container %s (%s): %u of %u "
			     "configured %s hooks fired%s\n",
			x->id, x->runtime, s->fired, s->configured, oci_stage_name(st),
			s->stopped ? " (an earlier hook failed)" : "");
		return EXPECT_FAIL;
	}
	return EXPECT_PASS;
}

enum expect_result expect_sink_result(struct sink *sk, bool lost_any, FILE *err)
{
	struct expect_sink *e = (struct expect_sink *)sk;
	enum expect_result worst = EXPECT_PASS, r;
	const struct seen *x;
	size_t i;
	int st;

	if (!e->s->nexpect)
		return EXPECT_NONE;
	if (!e->seen) {
		if (lost_any)
			fprintf(err, "hooksnoop: expectation UNKNOWN: no container seen, and events "
				     "were lost: it may have run unseen\n");
		else
			fprintf(err, "hooksnoop: expectation failed: no container went through a "
				     "runtime\n");
		return lost_any ? EXPECT_UNKNOWN : EXPECT_FAIL;
	}
	for (x = e->seen; x; x = x->next) {
		for (i = 0; i < e->s->nexpect; i++) {
			bool all = !strcmp(e->s->expect[i], "all");

			for (st = 0; st < OCI_STAGE_MAX; st++) {
				if (!all && strcmp(e->s->expect[i], oci_stage_name(st)))
					continue;
				r = expect_one(x, st, all, err);
				if (r == EXPECT_UNKNOWN || (r == EXPECT_FAIL && worst != EXPECT_UNKNOWN))
					worst = r;
			}
		}
	}
	return worst;
}

const char *expect_result_word(enum expect_result r)
{
	return r == EXPECT_NONE ? "none" : r == EXPECT_PASS ? "pass" : "fail";
}

int expect_exit_status(int setup_rc, bool cmd_ran, int wait_status, enum expect_result r)
{
	if (setup_rc)
		return setup_rc;
	if (cmd_ran) {
		if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status))
			return WEXITSTATUS(wait_status);
		if (WIFSIGNALED(wait_status))
			return 128 + WTERMSIG(wait_status);
	}
	return r > EXPECT_PASS ? 3 : 0;
}

static void expect_free(struct sink *sk)
{
	struct expect_sink *e = (struct expect_sink *)sk;

	while (e->seen) {
		struct seen *x = e->seen;

		e->seen = x->next;
		seen_free(x);
	}
	free(e);
}

static const struct sink_ops expect_ops = {
	.container = expect_container,
	.free = expect_free,
};

struct sink *expect_sink_new(const struct settings *s)
{
	struct expect_sink *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->sk.ops = &expect_ops;
	e->s = s;
	return &e->sk;
}
