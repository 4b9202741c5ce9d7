// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hooksnoop's Prometheus metrics (see metrics.h): counters per runtime, stage,
 * status and verdict, the hook-duration histogram, losses by cause, and the
 * exposition text rendered from them. The format is Prometheus's text
 * exposition format 0.0.4: a family's samples follow its # HELP and # TYPE
 * lines, histogram buckets are cumulative and end with le="+Inf", whose
 * count equals _count.
 */
#include <stdio.h>
#include <string.h>

#include "metrics.h"

/* Hooks take from a millisecond (a tiny binary) to minutes (a slow network setup). */
const unsigned long long metrics_bucket_ns[METRICS_BUCKETS] = {
	1000000ull,    2500000ull,    5000000ull,    10000000ull,    25000000ull,   50000000ull,
	100000000ull,  250000000ull,  500000000ull,  1000000000ull,  2500000000ull, 5000000000ull,
	10000000000ull, 30000000000ull, 60000000000ull, 120000000000ull,
};

static const char *const bucket_le[METRICS_BUCKETS] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
	"0.5",	 "1",	   "2.5",   "5",    "10",    "30",   "60",  "120",
};

void metrics_init(struct metrics *m, const char *version)
{
	memset(m, 0, sizeof(*m));
	m->version = version;
	snprintf(m->rt[METRICS_RUNTIMES_MAX].name, sizeof(m->rt[0].name), "other");
}

static struct metrics_rt *rt_of(struct metrics *m, const char *runtime)
{
	unsigned i;

	if (!runtime)
		runtime = "unknown";
	for (i = 0; i < m->nrt; i++)
		if (!strcmp(m->rt[i].name, runtime))
			return &m->rt[i];
	if (m->nrt == METRICS_RUNTIMES_MAX || strlen(runtime) >= sizeof(m->rt[0].name)) {
		m->other_used = true;
		return &m->rt[METRICS_RUNTIMES_MAX];
	}
	snprintf(m->rt[m->nrt].name, sizeof(m->rt[0].name), "%s", runtime);
	return &m->rt[m->nrt++];
}

static int stage_slot(int stage)
{
	return stage >= 0 && stage < OCI_STAGE_MAX ? stage : OCI_STAGE_MAX;
}

void metrics_hook(struct metrics *m, const char *runtime, const struct hook_rec *h)
{
	struct metrics_rt *r = rt_of(m, runtime);
	int st = stage_slot(h->stage);
	unsigned long long ns;
	unsigned b;

	if ((unsigned)h->status < METRICS_STATUSES)
		r->hooks[st][h->status]++;
	/* a failed exec ran nothing; an unfinished hook has no duration yet */
	if (!h->ended || h->status == HOOK_EXEC_FAILED || h->status == HOOK_UNFINISHED)
		return;
	ns = h->end_ns > h->start_ns ? h->end_ns - h->start_ns : 0;
	for (b = 0; b < METRICS_BUCKETS && ns > metrics_bucket_ns[b]; b++)
		;
	r->bucket[st][b]++;
	r->dur_sum_ns[st] += ns;
}

void metrics_container(struct metrics *m, const struct ctr_rec *rec)
{
	struct metrics_rt *r = rt_of(m, rec->runtime);

	if ((unsigned)rec->verdict < METRICS_VERDICTS)
		r->containers[rec->verdict]++;
}

void metrics_lost(struct metrics *m, const struct loss_rec *l)
{
	m->lost_ringbuf += l->ringbuf;
	m->lost_tracking += l->tracking;
	m->lost_unwatched += l->unwatched;
	m->lost_refused += l->refused;
	m->lost_track_refused += l->track_refused;
}

void metrics_label_value(struct sbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;

	while (i < n) {
		unsigned char c = p[i];

		if (c == '\\' || c == '"') {
			sbuf_add(sb, "\\", 1);
			sbuf_add(sb, (const char *)&p[i++], 1);
		} else if (c == '\n') {
			sbuf_add(sb, "\\n", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			sbuf_puts(sb, "\xef\xbf\xbd");
			i++;
		} else if ((k = utf8_seq_len(&p[i], n - i)) == 0) {
			sbuf_puts(sb, "\xef\xbf\xbd");
			i++;
		} else {
			sbuf_add(sb, (const char *)&p[i], k);
			i += k;
		}
	}
}

static void family(struct sbuf *sb, const char *name, const char *type, const char *help)
{
	sbuf_addf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{key="value",...} — keys and values alternate, NULL-terminated. */
static void series(struct sbuf *sb, const char *name, const char *const *kv)
{
	const char *sep = "{";

	sbuf_puts(sb, name);
	for (; kv[0]; kv += 2) {
		sbuf_addf(sb, "%s%s=\"", sep, kv[0]);
		metrics_label_value(sb, kv[1]);
		sbuf_add(sb, "\"", 1);
		sep = ",";
	}
	if (*sep == ',')
		sbuf_add(sb, "}", 1);
}

static void sample(struct sbuf *sb, const char *name, const char *const *kv,
		   unsigned long long v)
{
	series(sb, name, kv);
	sbuf_addf(sb, " %llu\n", v);
}

static const char *stage_label(int st)
{
	return st < OCI_STAGE_MAX ? oci_stage_name(st) : "unknown";
}

static bool rt_used(const struct metrics *m, unsigned i)
{
	return i < m->nrt || (i == METRICS_RUNTIMES_MAX && m->other_used);
}

static void render_build_info(const struct metrics *m, struct sbuf *sb)
{
	const char *v = m->version ? m->version : "unknown";
	const char *paren = strstr(v, " (");
	char version[64], revision[64] = "unknown";

	/* HOOKSNOOP_VERSION is "X.Y.Z (gitrev)" */
	snprintf(version, sizeof(version), "%.*s", paren ? (int)(paren - v) : (int)strlen(v), v);
	if (paren && v[strlen(v) - 1] == ')')
		snprintf(revision, sizeof(revision), "%.*s", (int)(strlen(paren) - 3), paren + 2);
	family(sb, "hooksnoop_build_info", "gauge",
	       "Always 1; the labels say which hooksnoop is running.");
	sample(sb, "hooksnoop_build_info",
	       (const char *const[]){ "version", version, "revision", revision, NULL }, 1);
}

static void render_hooks(const struct metrics *m, struct sbuf *sb)
{
	unsigned i, st, s;

	family(sb, "hooksnoop_hooks_total", "counter",
	       "Hook executions by runtime, stage and how they ended (unfinished: still "
	       "running when their container's record was made).");
	for (i = 0; i <= METRICS_RUNTIMES_MAX; i++) {
		if (!rt_used(m, i))
			continue;
		for (st = 0; st < METRICS_STAGES; st++)
			for (s = 0; s < METRICS_STATUSES; s++)
				if (m->rt[i].hooks[st][s])
					sample(sb, "hooksnoop_hooks_total",
					       (const char *const[]){ "runtime", m->rt[i].name,
								      "stage", stage_label(st),
								      "status", hook_status_name(s),
								      NULL },
					       m->rt[i].hooks[st][s]);
	}
}

static void render_histogram(const struct metrics_rt *r, unsigned st, struct sbuf *sb)
{
	const char *stage = stage_label(st);
	unsigned long long cum = 0;
	unsigned b;

	for (b = 0; b <= METRICS_BUCKETS; b++) {
		cum += r->bucket[st][b];
		sample(sb, "hooksnoop_hook_duration_seconds_bucket",
		       (const char *const[]){ "runtime", r->name, "stage", stage, "le",
					      b < METRICS_BUCKETS ? bucket_le[b] : "+Inf", NULL },
		       cum);
	}
	series(sb, "hooksnoop_hook_duration_seconds_sum",
	       (const char *const[]){ "runtime", r->name, "stage", stage, NULL });
	sbuf_addf(sb, " %llu.%09llu\n", r->dur_sum_ns[st] / 1000000000ull,
		  r->dur_sum_ns[st] % 1000000000ull);
	sample(sb, "hooksnoop_hook_duration_seconds_count",
	       (const char *const[]){ "runtime", r->name, "stage", stage, NULL }, cum);
}

static void render_durations(const struct metrics *m, struct sbuf *sb)
{
	unsigned i, st, b;

	family(sb, "hooksnoop_hook_duration_seconds", "histogram",
	       "How long hooks ran, exec to exit, by runtime and stage (failed execs and "
	       "unfinished hooks are not timed).");
	for (i = 0; i <= METRICS_RUNTIMES_MAX; i++) {
		if (!rt_used(m, i))
			continue;
		for (st = 0; st < METRICS_STAGES; st++) {
			unsigned long long n = 0;

			for (b = 0; b <= METRICS_BUCKETS; b++)
				n += m->rt[i].bucket[st][b];
			if (n)
				render_histogram(&m->rt[i], st, sb);
		}
	}
}

static void render_containers(const struct metrics *m, struct sbuf *sb)
{
	unsigned i, v;

	family(sb, "hooksnoop_containers_total", "counter",
	       "Container lifecycles seen, by runtime and verdict (missing: a configured hook "
	       "never fired; unknown: events were lost while it ran).");
	/* every verdict of a runtime once it is seen: an alert on "missing" has a series at 0 */
	for (i = 0; i <= METRICS_RUNTIMES_MAX; i++) {
		if (!rt_used(m, i))
			continue;
		for (v = 0; v < METRICS_VERDICTS; v++)
			sample(sb, "hooksnoop_containers_total",
			       (const char *const[]){ "runtime", m->rt[i].name, "verdict",
						      verdict_name(v), NULL },
			       m->rt[i].containers[v]);
	}
}

void metrics_render(const struct metrics *m, struct sbuf *sb)
{
	render_build_info(m, sb);
	render_hooks(m, sb);
	render_durations(m, sb);
	render_containers(m, sb);
	family(sb, "hooksnoop_lost_events_total", "counter",
	       "Kernel events hooksnoop could not see, by cause (ringbuf_full, tracking_full: "
	       "--ringbuf-size or --max-tracked too small; unwatched: runtime children that "
	       "ended before the failed-exec probe attached; root_refused: runtime starts "
	       "refused over --root-rate, per source; track_refused: processes not followed "
	       "over --source-max-tracked, per source).");
	sample(sb, "hooksnoop_lost_events_total",
	       (const char *const[]){ "cause", "ringbuf_full", NULL }, m->lost_ringbuf);
	sample(sb, "hooksnoop_lost_events_total",
	       (const char *const[]){ "cause", "tracking_full", NULL }, m->lost_tracking);
	sample(sb, "hooksnoop_lost_events_total",
	       (const char *const[]){ "cause", "unwatched", NULL }, m->lost_unwatched);
	sample(sb, "hooksnoop_lost_events_total",
	       (const char *const[]){ "cause", "root_refused", NULL }, m->lost_refused);
	sample(sb, "hooksnoop_lost_events_total",
	       (const char *const[]){ "cause", "track_refused", NULL }, m->lost_track_refused);
	family(sb, "hooksnoop_tracked_processes", "gauge",
	       "Processes hooksnoop follows now: runtimes, hooks, container processes.");
	sample(sb, "hooksnoop_tracked_processes", (const char *const[]){ NULL }, m->tracked);
}
