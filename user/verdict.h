/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Verdicts: from a container's hooks and the facts the model knows about
 * each stage (configured, due, stopped by a failure), the per-stage tallies
 * and marks the timeline shows and the container's verdict (ok,
 * hook_failed, missing, unknown). Pure functions over a struct ctr_rec.
 */
#ifndef HS_VERDICT_H
#define HS_VERDICT_H

#include <stdbool.h>

#include "record.h"

/*
 * Fill rec->stages[].fired / .failed / .mark and rec->verdict from
 * rec->hooks, the configured / due / stopped facts already in rec->stages,
 * rec->lost and rec->lint.
 */
void verdict_fill(struct ctr_rec *rec);

/*
 * rec->warn[] from the timeline (verdict_fill() calls it): a poststart hook
 * started before the container process (POSTSTART_BEFORE_PROCESS), one
 * configured hook run more than once (HOOK_RAN_TWICE). None when events
 * were lost.
 */
void verdict_warnings(struct ctr_rec *rec);

/* Does a warning or error in lint name stage st (why nothing ran there)? */
bool verdict_lint_explains(const struct lint_result *lint, int st);

#endif
