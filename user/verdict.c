// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A container's verdict and the per-stage marks of its timeline, decided in
 * one place from plain records (see verdict.h). The sinks render what is
 * decided here and decide nothing themselves.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rtdetect.h"
#include "util.h"
#include "verdict.h"

bool verdict_lint_explains(const struct lint_result *lint, int st)
{
	size_t i;

	for (i = 0; lint && i < lint->n; i++)
		if (lint->v[i].severity != LINT_INFO && lint->v[i].stage == st)
			return true;
	return false;
}

static enum stage_mark mark_of(const struct ctr_rec *rec, int st)
{
	const struct stage_rec *s = &rec->stages[st];

	if (s->failed)
		return MARK_FAILED;
	if (s->configured && s->fired >= s->configured)
		return MARK_OK;
	if (s->configured && s->skipped)
		return MARK_SKIPPED;
	if (s->configured && s->stopped)
		return MARK_NOT_REACHED;
	if (s->configured && !s->due)
		return MARK_NOT_DUE;
	if (s->configured)
		return MARK_MISSING;
	if (verdict_lint_explains(rec->lint, st))
		return MARK_NOT_RUN;
	return MARK_NONE;
}

static struct ctr_warning *warn_add(struct ctr_rec *rec, const char *code, int stage,
				    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct ctr_warning *warn_add(struct ctr_rec *rec, const char *code, int stage,
				    const char *fmt, ...)
{
	struct ctr_warning *w;
	va_list ap;

	if (rec->nwarn >= CTR_WARN_MAX)
		return NULL;
	w = &rec->warn[rec->nwarn++];
	w->code = code;
	w->stage = stage;
	va_start(ap, fmt);
	vsnprintf(w->message, sizeof(w->message), fmt, ap);
	va_end(ap);
	return w;
}

/*
 * POSTSTART_BEFORE_PROCESS: the OCI runtime spec runs poststart hooks after
 * the container process started; released runc runs them while it creates
 * the container, before the process is exec'd (runc#1710). A hook that
 * expects the process (its pid answering, a port open) races it. Judged on
 * the exec times: the first poststart hook's against the container
 * process's, or against "never" when the process had not been exec'd when
 * the record was made.
 */
static void warn_poststart(struct ctr_rec *rec)
{
	const struct proc_rec *p = &rec->process;
	const struct hook_rec *h, *first = NULL;
	unsigned n = 0;
	char d[32];

	for (h = rec->hooks; h; h = h->next) {
		if (h->stage != OCI_POSTSTART || (p->started && h->start_ns >= p->start_ns))
			continue;
		if (!first)
			first = h;
		n++;
	}
	if (!first)
		return;
	/* gVisor runs the container process in its own kernel: no host exec to compare with */
	if (!p->started && rt_kind_from_name(rec->runtime) == RT_RUNSC)
		return;
	if (p->started) {
		fmt_duration(d, sizeof(d), p->start_ns - first->start_ns);
		warn_add(rec, "POSTSTART_BEFORE_PROCESS", OCI_POSTSTART,
			 "%u poststart hook%s started before the container process was exec'd "
			 "(poststart[%d] %s before it)%s",
			 n, n > 1 ? "s" : "", first->index, d,
			 !strcmp(rec->runtime, "runc")
				 ? ": runc runs poststart hooks while it creates the container, "
				   "before the process starts (runc#1710)"
			 : !strcmp(rec->runtime, "crun")
				 ? ": crun starts poststart hooks as soon as it has released the "
				   "container init, racing its exec"
				 : ": a poststart hook cannot rely on the process running");
	} else {
		warn_add(rec, "POSTSTART_BEFORE_PROCESS", OCI_POSTSTART,
			 "%u poststart hook%s ran while the container process had not been "
			 "exec'd (container %s)%s",
			 n, n > 1 ? "s" : "", rec->state,
			 !strcmp(rec->runtime, "runc")
				 ? ": runc runs poststart hooks during create, before start "
				   "(runc#1710)"
				 : "");
	}
}

/*
 * HOOK_RAN_TWICE: one configured hook (stage and index) executed more than
 * once in one lifecycle: a delete that was killed and retried (crun runs
 * the poststop hooks again; runc has removed its state by then), an engine
 * that runs the hooks itself as well (podman#9983). Hooks that are
 * configured twice are two entries and never count.
 */
static void warn_twice(struct ctr_rec *rec)
{
	const struct hook_rec *h, *x;

	for (h = rec->hooks; h; h = h->next) {
		unsigned n = 1;
		bool earlier = false;

		if (h->stage < 0 || h->index < 0)
			continue;
		for (x = rec->hooks; x != h; x = x->next)
			if (x->stage == h->stage && x->index == h->index)
				earlier = true;
		if (earlier)
			continue; /* counted at its first run */
		for (x = h->next; x; x = x->next)
			if (x->stage == h->stage && x->index == h->index)
				n++;
		if (n > 1)
			warn_add(rec, "HOOK_RAN_TWICE", h->stage,
				 "%s[%d] ran %u times in one lifecycle of this container: a hook "
				 "that is not idempotent did its work twice (an operation killed "
				 "and retried, an engine running it as well: podman#9983)",
				 oci_stage_name(h->stage), h->index, n);
	}
}

/*
 * HOOK_OUTPUT_DISCARDED: a hook failed and its stderr went to /dev/null
 * (crun runs every hook so: containers/crun#353); the runtime's error says
 * "exit code: 1" and nothing else, and the tail in the hook record is the
 * only copy of what the hook said. Judged on each hook's own record, so a
 * loss elsewhere in the timeline does not change it.
 */
static void warn_discarded(struct ctr_rec *rec)
{
	const struct hook_rec *h;

	for (h = rec->hooks; h; h = h->next) {
		if (h->status != HOOK_FAILED && h->status != HOOK_KILLED &&
		    h->status != HOOK_TIMEOUT)
			continue;
		if (!h->io_seen || h->out[1].to != OUT_TO_NULL)
			continue;
		if (h->stage >= 0 && h->index >= 0)
			warn_add(rec, "HOOK_OUTPUT_DISCARDED", h->stage,
				 "%s[%d] ended %s and %s had sent its stderr to /dev/null: %s",
				 oci_stage_name(h->stage), h->index, hook_status_name(h->status),
				 rec->runtime, h->out[1].known
					 ? "the hook record's stderr tail is the only copy of what it said"
					 : "rerun with --output-bytes N to keep what it says");
		else
			warn_add(rec, "HOOK_OUTPUT_DISCARDED", -1,
				 "a hook (pid %u) ended %s and %s had sent its stderr to /dev/null: %s",
				 h->pid, hook_status_name(h->status), rec->runtime,
				 h->out[1].known
					 ? "the hook record's stderr tail is the only copy of what it said"
					 : "rerun with --output-bytes N to keep what it says");
	}
}

void verdict_warnings(struct ctr_rec *rec)
{
	rec->nwarn = 0;
	warn_discarded(rec);
	if (rec->lost)
		return; /* incomplete evidence: an order or a count could be wrong */
	warn_poststart(rec);
	warn_twice(rec);
}

void verdict_fill(struct ctr_rec *rec)
{
	const struct hook_rec *h;
	bool failed = false, missing = false;
	int st;

	for (st = 0; st < OCI_STAGE_MAX; st++)
		rec->stages[st].fired = rec->stages[st].failed = 0;
	for (h = rec->hooks; h; h = h->next) {
		if (h->stage < 0)
			continue;
		rec->stages[h->stage].fired++;
		if (h->status != HOOK_OK && h->status != HOOK_UNFINISHED)
			rec->stages[h->stage].failed++;
	}
	for (st = 0; st < OCI_STAGE_MAX; st++) {
		const struct stage_rec *s = &rec->stages[st];

		rec->stages[st].mark = mark_of(rec, st);
		failed |= s->failed > 0;
		missing |= s->due && !s->stopped && s->fired < s->configured;
	}
	if (rec->lost)
		rec->verdict = VERDICT_UNKNOWN;
	else if (failed)
		rec->verdict = VERDICT_HOOK_FAILED;
	else if (missing)
		rec->verdict = VERDICT_MISSING;
	else
		rec->verdict = VERDICT_OK;
	verdict_warnings(rec);
}

const char *verdict_name(enum ctr_verdict v)
{
	static const char *const names[] = {
		[VERDICT_OK] = "ok",
		[VERDICT_HOOK_FAILED] = "hook_failed",
		[VERDICT_MISSING] = "missing",
		[VERDICT_UNKNOWN] = "unknown",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "unknown";
}

const char *hook_status_name(enum hook_status s)
{
	static const char *const names[] = {
		[HOOK_OK] = "ok",
		[HOOK_FAILED] = "failed",
		[HOOK_KILLED] = "killed",
		[HOOK_TIMEOUT] = "timeout",
		[HOOK_EXEC_FAILED] = "exec_failed",
		[HOOK_UNFINISHED] = "unfinished",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}
