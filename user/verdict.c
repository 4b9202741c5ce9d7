// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A container's verdict and the per-stage marks of its timeline, decided in
 * one place from plain records (see verdict.h). The sinks render what is
 * decided here and decide nothing themselves.
 */
#include <string.h>

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
