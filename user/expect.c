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
#include <stdarg.h>
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
	char *label;	 /* what messages say after the id: "runc", or "runc, run 2" (--repeat) */
	int run;	 /* --repeat: the run's index, else -1 */
	bool lost, unreadable;
	struct stage_rec stages[OCI_STAGE_MAX];
	char **why;	 /* findings that explain a stage that is not there */
	size_t nwhy;
	unsigned long long stage_ns[OCI_STAGE_MAX]; /* how long its hooks of each stage ran */
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
	free(x->label);
	free(x);
}

static int budget_slot(int stage)
{
	return stage >= 0 && stage < OCI_STAGE_MAX ? stage : HS_BUDGET_UNKNOWN;
}

/* How long a hook ran, or had run when its container's record was made. */
static unsigned long long hook_ns(const struct hook_rec *h, const struct ctr_rec *rec)
{
	__u64 end = h->ended ? h->end_ns : rec->end_ns;

	return end > h->start_ns ? end - h->start_ns : 0;
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
		t->ns = hook_ns(h, rec);
		x->ntimes++;
	}
	return 0;
}

static void expect_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct expect_sink *e = (struct expect_sink *)sk;
	const struct hook_rec *h;
	struct seen *x;
	struct sbuf sb;
	size_t i, n = strlen(rec->id);

	/* nothing to judge: keep nothing (a live trace runs for months) */
	if (!e->s->nexpect && !e->s->budgets)
		return;
	x = calloc(1, sizeof(*x));
	if (!x)
		return;
	sbuf_init(&sb);
	esc_text(&sb, rec->id, n > EXPECT_ID_MAX ? EXPECT_ID_MAX : n);
	x->id = strdup(sbuf_str(&sb));
	sbuf_free(&sb);
	x->runtime = strdup(rec->runtime);
	x->run = rec->run.repeat && rec->run.index >= 0 ? rec->run.index : -1;
	if (x->run >= 0) {
		if (asprintf(&x->label, "%s, run %d", rec->runtime, x->run) < 0)
			x->label = NULL;
	} else {
		x->label = strdup(rec->runtime);
	}
	x->lost = rec->lost;
	x->unreadable = rec->cfg_error != NULL;
	memcpy(x->stages, rec->stages, sizeof(x->stages));
	for (h = rec->hooks; h; h = h->next)
		if (h->stage >= 0 && h->stage < OCI_STAGE_MAX)
			x->stage_ns[h->stage] += hook_ns(h, rec);
	x->why = calloc(rec->lint->n + 1, sizeof(*x->why));
	for (i = 0; x->why && i < rec->lint->n; i++)
		if (explains_absence(rec->lint->v[i].code))
			x->why[x->nwhy++] = strdup(rec->lint->v[i].message);
	if (!x->id || !x->runtime || !x->label || !x->why || keep_times(x, e->s, rec)) {
		seen_free(x);
		return;
	}
	x->next = e->seen;
	e->seen = x;
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
 * What stderr says about one check, kept for its --junit case: each line is
 * printed as it is said ("hooksnoop: " + line) and appended to `lines`.
 */
struct said {
	struct sbuf lines;
};

static void said_keep(struct said *sd, const char *line)
{
	if (sd->lines.len)
		sbuf_add(&sd->lines, "\n", 1);
	sbuf_puts(&sd->lines, line);
}

static void __attribute__((format(printf, 3, 4))) say(FILE *err, struct said *sd,
						      const char *fmt, ...)
{
	char *line;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(err, "hooksnoop: out of memory\n");
		return;
	}
	fprintf(err, "hooksnoop: %s\n", line);
	said_keep(sd, line);
	free(line);
}

/* Hand one judged check to fn (when there is one), then forget what was said. */
static void judged(expect_case_fn fn, void *ctx, const struct seen *x, const char *name,
		   enum expect_result r, struct said *sd, double secs)
{
	const char *all = sbuf_str(&sd->lines), *nl = strchr(all, '\n');
	char *first = NULL;

	if (fn) {
		struct expect_case c = {
			.id = x ? x->id : NULL,
			.runtime = x ? x->runtime : NULL,
			.run = x ? x->run : -1,
			.name = name,
			.r = r,
			.detail = sd->lines.len ? all : NULL,
			.secs = secs,
		};

		if (r != EXPECT_PASS && sd->lines.len)
			c.message = first = nl ? strndup(all, (size_t)(nl - all)) : strdup(all);
		fn(ctx, &c);
		free(first);
	}
	sbuf_reset(&sd->lines);
}

/* EXPECT_NONE: with `all`, a stage with nothing configured is not a check. */
static enum expect_result expect_one(const struct seen *x, int st, bool all, FILE *err,
				     struct said *sd)
{
	const struct stage_rec *s = &x->stages[st];
	size_t i;

	if (x->lost) {
		say(err, sd, "expectation UNKNOWN: container %s (%s): events were lost while it "
			     "ran, %s cannot be verified",
		    x->id, x->label, oci_stage_name(st));
		return EXPECT_UNKNOWN;
	}
	if (!s->configured) {
		if (all)
			return EXPECT_NONE;
		say(err, sd, "expectation failed: container %s (%s): no %s hook is configured%s",
		    x->id, x->label, oci_stage_name(st),
		    x->unreadable ? " (configuration unreadable)" : " for this runtime");
		for (i = 0; i < x->nwhy; i++)
			say(err, sd, "  why: %s", x->why[i]);
		return EXPECT_FAIL;
	}
	if (s->failed) {
		say(err, sd, "expectation failed: container %s (%s): %u of %u %s hooks failed",
		    x->id, x->label, s->failed, s->configured, oci_stage_name(st));
		return EXPECT_FAIL;
	}
	if (s->fired < s->configured) {
		say(err, sd, "expectation failed: container %s (%s): %u of %u configured %s hooks "
			     "fired%s",
		    x->id, x->label, s->fired, s->configured, oci_stage_name(st),
		    s->skipped ? " (this runtime never runs them: RUNTIME_SKIPS_STAGE)"
		    : s->stopped ? " (an earlier hook failed)" : "");
		return EXPECT_FAIL;
	}
	return EXPECT_PASS;
}

static enum expect_result worse(enum expect_result a, enum expect_result b)
{
	if (a == EXPECT_UNKNOWN || b == EXPECT_UNKNOWN)
		return EXPECT_UNKNOWN;
	return a == EXPECT_FAIL || b == EXPECT_FAIL ? EXPECT_FAIL : EXPECT_PASS;
}

static const char *slot_name(int slot)
{
	return slot < OCI_STAGE_MAX ? oci_stage_name(slot) : "unknown-stage";
}

/*
 * --max over one container, a check per stage whose budget covers a hook
 * that ran. A finished hook's time is exact whatever was lost; with lost
 * events an unfinished hook (its exit may be what was lost) and the hooks
 * never seen make the rest unknown, never a pass.
 */
static enum expect_result budget_one(const struct seen *x, const struct settings *s, FILE *err,
				     expect_case_fn fn, void *ctx)
{
	struct said sd[HS_BUDGET_SLOTS], lost;
	enum expect_result r = EXPECT_PASS, rs[HS_BUDGET_SLOTS];
	double secs[HS_BUDGET_SLOTS] = {};
	bool has[HS_BUDGET_SLOTS] = {}, any = false;
	char ran[32], label[96], name[96];
	size_t i;
	int slot;

	for (slot = 0; slot < HS_BUDGET_SLOTS; slot++) {
		sbuf_init(&sd[slot].lines);
		rs[slot] = EXPECT_PASS;
	}
	sbuf_init(&lost.lines);
	for (i = 0; i < x->ntimes; i++) {
		const struct hook_time *t = &x->times[i];

		slot = budget_slot(t->stage);
		has[slot] = any = true;
		secs[slot] += (double)t->ns / 1e9;
		if (t->ns <= s->budget_ns[slot] || (t->unfinished && x->lost))
			continue;
		fmt_ns(ran, sizeof(ran), t->ns);
		if (t->index >= 0)
			snprintf(label, sizeof(label), "%s[%d]", oci_stage_name(t->stage), t->index);
		else
			snprintf(label, sizeof(label), "%s hook (not matched to the configuration)",
				 t->stage >= 0 ? oci_stage_name(t->stage) : "unknown-stage");
		say(err, &sd[slot], "expectation failed: container %s (%s): %s %s %s, budget %s",
		    x->id, x->label, label, t->unfinished ? "still running after" : "ran", ran,
		    s->budget_text[slot]);
		rs[slot] = r = EXPECT_FAIL;
	}
	if (x->lost) {
		say(err, &lost, "expectation UNKNOWN: container %s (%s): events were lost while it "
				"ran, hook budgets cannot be verified",
		    x->id, x->label);
		r = EXPECT_UNKNOWN;
	}
	for (slot = 0; slot < HS_BUDGET_SLOTS; slot++) {
		if (has[slot]) {
			if (x->lost) {
				said_keep(&sd[slot], sbuf_str(&lost.lines));
				rs[slot] = EXPECT_UNKNOWN;
			}
			snprintf(name, sizeof(name), "max %s=%s", slot_name(slot),
				 s->budget_text[slot]);
			judged(fn, ctx, x, name, rs[slot], &sd[slot], secs[slot]);
		}
		sbuf_free(&sd[slot].lines);
	}
	if (x->lost && !any)
		judged(fn, ctx, x, "max", EXPECT_UNKNOWN, &lost, 0);
	sbuf_free(&lost.lines);
	return r;
}

enum expect_result expect_sink_judge(struct sink *sk, bool lost_any, FILE *err,
				     expect_case_fn fn, void *ctx)
{
	struct expect_sink *e = (struct expect_sink *)sk;
	enum expect_result worst = EXPECT_PASS, r;
	const struct seen *x;
	struct said sd;
	size_t i;
	int st;

	if (!e->s->nexpect && !e->s->budgets)
		return EXPECT_NONE;
	sbuf_init(&sd.lines);
	if (!e->seen) {
		/* a budget limits what ran; only --expect demands that something ran */
		if (!e->s->nexpect && !lost_any)
			return EXPECT_PASS;
		if (lost_any)
			say(err, &sd, "expectation UNKNOWN: no container seen, and events were lost: "
				      "it may have run unseen");
		else
			say(err, &sd, "expectation failed: no container went through a runtime");
		r = lost_any ? EXPECT_UNKNOWN : EXPECT_FAIL;
		judged(fn, ctx, NULL, "any container", r, &sd, 0);
		sbuf_free(&sd.lines);
		return r;
	}
	for (x = e->seen; x; x = x->next) {
		if (e->s->budgets)
			worst = worse(worst, budget_one(x, e->s, err, fn, ctx));
		for (i = 0; i < e->s->nexpect; i++) {
			bool all = !strcmp(e->s->expect[i], "all");

			for (st = 0; st < OCI_STAGE_MAX; st++) {
				if (!all && strcmp(e->s->expect[i], oci_stage_name(st)))
					continue;
				r = expect_one(x, st, all, err, &sd);
				if (r != EXPECT_NONE)
					judged(fn, ctx, x, oci_stage_name(st), r, &sd,
					       (double)x->stage_ns[st] / 1e9);
				worst = worse(worst, r);
			}
		}
	}
	sbuf_free(&sd.lines);
	return worst;
}

enum expect_result expect_sink_result(struct sink *sk, bool lost_any, FILE *err)
{
	return expect_sink_judge(sk, lost_any, err, NULL, NULL);
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
