/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Prometheus metrics of a trace run, as counters kept from the plain
 * records (record.h), and their rendering in the Prometheus text exposition
 * format (version 0.0.4: what /metrics serves and what node_exporter's
 * textfile collector reads). Pure: no I/O, no threads; sink_metrics.c feeds
 * it and publishes what it renders.
 *
 * Label values are small closed sets (runtime kinds, stage names, hook
 * statuses, verdicts, loss causes): never a container ID, pid or path, so
 * the number of series stays bounded however many containers run.
 */
#ifndef HS_METRICS_H
#define HS_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "escape.h"
#include "record.h"

/* Runtimes kept apart; any more are counted under runtime="other". */
#define METRICS_RUNTIMES_MAX 16
/* Stage slots: the six OCI stages, then hooks whose stage is unknown. */
#define METRICS_STAGES (OCI_STAGE_MAX + 1)
#define METRICS_STATUSES (HOOK_UNFINISHED + 1)
#define METRICS_VERDICTS (VERDICT_UNKNOWN + 1)
/* hooksnoop_hook_duration_seconds buckets (upper bounds; +Inf is implicit). */
#define METRICS_BUCKETS 16

extern const unsigned long long metrics_bucket_ns[METRICS_BUCKETS];

struct metrics_rt {
	char name[32];
	unsigned long long hooks[METRICS_STAGES][METRICS_STATUSES];
	unsigned long long bucket[METRICS_STAGES][METRICS_BUCKETS + 1]; /* not cumulative */
	unsigned long long dur_sum_ns[METRICS_STAGES];
	unsigned long long containers[METRICS_VERDICTS];
};

struct metrics {
	struct metrics_rt rt[METRICS_RUNTIMES_MAX + 1]; /* the last is "other" */
	unsigned nrt;
	bool other_used;
	unsigned long long lost_ringbuf, lost_tracking, lost_unwatched, lost_refused;
	unsigned long long lost_track_refused;
	unsigned long long tracked;
	const char *version; /* build_info: "X.Y.Z (rev)" as -V prints it */
};

void metrics_init(struct metrics *m, const char *version);
/* A hook's record: counted by status; timed when it ran (not exec_failed, not unfinished). */
void metrics_hook(struct metrics *m, const char *runtime, const struct hook_rec *h);
void metrics_container(struct metrics *m, const struct ctr_rec *rec);
void metrics_lost(struct metrics *m, const struct loss_rec *l);

/* Append the exposition text of every family to sb (sb->oom says if it failed). */
void metrics_render(const struct metrics *m, struct sbuf *sb);

/*
 * A label value as the exposition format quotes it: '\\', '"' and newline
 * escaped; other control bytes, DEL and invalid UTF-8 become U+FFFD (the
 * format has no escape for them). Without the quotes.
 */
void metrics_label_value(struct sbuf *sb, const char *s);

#endif
