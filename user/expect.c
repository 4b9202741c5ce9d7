// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --expect STAGE|all and --max STAGE=DURATION budgets over the container
 * records of a run, and the exit status of a run. The checker is a report
 * sink: it sees the same (filtered) container records the user sees and
 * keeps a compact copy of each (tallies, loss, the findings that explain a
 * missing stage, the running time of each hook a budget applies to), so
 * the model can free its containers as soon as their records are out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "escape.h"
#include "expect.h"

#define EXPECT_ID_MAX 64

/* A hook's running time, kept only when a --max budget covers its stage. */
struct hook_time {
	unsigned long long ns; /* how long it ran, or had run when its container's record was made */
	int index;	       /* -1 = not matched to the configuration */
	signed char stage;     /* enum oci_stage, -1 = unknown */
	bool unfinished;
};

struct seen {
	struct seen *next;
	char *id;	 /* escaped for the terminal, cut to EXPECT_ID_MAX */
	char *runtime;
	bool lost, unreadable;
	struct stage_rec stages[OCI_STAGE_MAX];
	char **why;	 /* findings that explain a stage that is not there */
	size_t nwhy;
	struct hook_time *times; /* in exec order */
	size_t ntimes;
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
	free(x->times);
	free(x->id);
	free(x->runtime);
	free(x);
}

static int budget_slot(int stage)
{
	return stage >= 0 && stage < OCI_STAGE_MAX ? stage : HS_BUDGET_UNKNOWN;
}

/* The running time of each hook a budget covers. 0 or -ENOMEM. */
static int keep_times(struct seen *x, const struct settings *s, const struct ctr_rec *rec)
{
	const struct hook_rec *h;
	size_t n = 0;

	for (h = rec->hooks; h; h = h->next)
		n += s->budget_ns[budget_slot(h->stage)] != 0;
	if (!n)
		return 0;
	x->times = calloc(n, sizeof(*x->times));
	if (!x->times)
		return -ENOMEM;
	for (h = rec->hooks; h; h = h->next) {
		struct hook_time *t = &x->times[x->ntimes];

		if (!s->budget_ns[budget_slot(h->stage)])
			continue;
		t->stage = (signed char)(h->stage >= 0 && h->stage < OCI_STAGE_MAX ? h->stage : -1);
		t->index = h->index;
		t->unfinished = !h->ended;
		if (h->ended)
			t->ns = h->end_ns > h->start_ns ? h->end_ns - h->start_ns : 0;
		else
			t->ns = rec->end_ns > h->start_ns ? rec->end_ns - h->start_ns : 0;
		x->ntimes++;
	}
	return 0;
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
	if (!x->id || !x->runtime || !x->why || keep_times(x, e->s, rec)) {
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
			s->skipped ? " (this runtime never runs them: RUNTIME_SKIPS_STAGE)"
			: s->stopped ? " (an earlier hook failed)" : "");
		return EXPECT_FAIL;
	}
	return EXPECT_PASS;
}

/* "2.0004s", "203.412ms", "512.3us": enough digits that "ran" never equals "budget". */
static void fmt_ns(char *buf, size_t sz, unsigned long long ns)
{
	char *p;

	if (ns < 1000000ull)
		snprintf(buf, sz, "%.1fus", (double)ns / 1e3);
	else if (ns < 1000000000ull)
		snprintf(buf, sz, "%.3fms", (double)ns / 1e6);
	else
		snprintf(buf, sz, "%.6fs", (double)ns / 1e9);
	/* drop trailing zeros of the fraction: 2.000000s -> 2s */
	p = strchr(buf, '.');
	if (p) {
		char *unit = p + strspn(p + 1, "0123456789") + 1, *z = unit;

		while (z > p + 1 && z[-1] == '0')
			z--;
		if (z == p + 1)
			z = p;
		memmove(z, unit, strlen(unit) + 1);
	}
}

/*
 * --max over one container. A finished hook's time is exact whatever was
 * lost; with lost events an unfinished hook (its exit may be what was lost)
 * and the hooks never seen make the rest unknown, never a pass.
 */
static enum expect_result budget_one(const struct seen *x, const struct settings *s, FILE *err)
{
	enum expect_result r = EXPECT_PASS;
	char ran[32], label[96];
	size_t i;

	for (i = 0; i < x->ntimes; i++) {
		const struct hook_time *t = &x->times[i];
		int slot = budget_slot(t->stage);

		if (t->ns <= s->budget_ns[slot] || (t->unfinished && x->lost))
			continue;
		fmt_ns(ran, sizeof(ran), t->ns);
		if (t->index >= 0)
			snprintf(label, sizeof(label), "%s[%d]", oci_stage_name(t->stage), t->index);
		else
			snprintf(label, sizeof(label), "%s hook (not matched to the configuration)",
				 t->stage >= 0 ? oci_stage_name(t->stage) : "unknown-stage");
		fprintf(err, "hooksnoop: expectation failed: container %s (%s): %s %s %s, budget %s\n",
			x->id, x->runtime, label, t->unfinished ? "still running after" : "ran", ran,
			s->budget_text[slot]);
		r = EXPECT_FAIL;
	}
	if (x->lost) {
		fprintf(err, "hooksnoop: expectation UNKNOWN: container %s (%s): events were lost "
			     "while it ran, hook budgets cannot be verified\n",
			x->id, x->runtime);
		return EXPECT_UNKNOWN;
	}
	return r;
}

static enum expect_result worse(enum expect_result a, enum expect_result b)
{
	if (a == EXPECT_UNKNOWN || b == EXPECT_UNKNOWN)
		return EXPECT_UNKNOWN;
	return a == EXPECT_FAIL || b == EXPECT_FAIL ? EXPECT_FAIL : EXPECT_PASS;
}

enum expect_result expect_sink_result(struct sink *sk, bool lost_any, FILE *err)
{
	struct expect_sink *e = (struct expect_sink *)sk;
	enum expect_result worst = EXPECT_PASS, r;
	const struct seen *x;
	size_t i;
	int st;

	if (!e->s->nexpect && !e->s->budgets)
		return EXPECT_NONE;
	if (!e->seen) {
		/* a budget limits what ran; only --expect demands that something ran */
		if (!e->s->nexpect && !lost_any)
			return EXPECT_PASS;
		if (lost_any)
			fprintf(err, "hooksnoop: expectation UNKNOWN: no container seen, and events "
				     "were lost: it may have run unseen\n");
		else
			fprintf(err, "hooksnoop: expectation failed: no container went through a "
				     "runtime\n");
		return lost_any ? EXPECT_UNKNOWN : EXPECT_FAIL;
	}
	for (x = e->seen; x; x = x->next) {
		if (e->s->budgets)
			worst = worse(worst, budget_one(x, e->s, err));
		for (i = 0; i < e->s->nexpect; i++) {
			bool all = !strcmp(e->s->expect[i], "all");

			for (st = 0; st < OCI_STAGE_MAX; st++) {
				if (!all && strcmp(e->s->expect[i], oci_stage_name(st)))
					continue;
				r = expect_one(x, st, all, err);
				worst = worse(worst, r);
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
