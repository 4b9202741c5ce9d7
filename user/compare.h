/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `hooksnoop compare`'s model: hook records read from two sets of JSON
 * Lines files (BASE and NEW, as `hooksnoop -j` writes them, with or
 * without --repeat), grouped per (runtime, stage, index, argv0), and each
 * group judged: medians, p90, the change of the median and a two-sided
 * Mann-Whitney U test (stats.c). Input is untrusted bytes: every line is
 * bounded, every field checked, and what cannot be used is counted, never
 * fatal; memory is bounded by CMP_LINE_MAX, CMP_SAMPLES_MAX and
 * CMP_GROUPS_MAX.
 */
#ifndef HS_COMPARE_H
#define HS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#define CMP_LINE_MAX (1u << 20)	  /* longer lines are skipped */
#define CMP_SAMPLES_MAX 2000000u  /* durations kept over both sides */
#define CMP_GROUPS_MAX 10000u
#define CMP_FIELD_MAX 4096	  /* longest runtime / argv0 used as a group key */
#define CMP_INDEX_MAX 65535
#define CMP_MIN_SAMPLES 5	  /* fewer on either side: "insufficient" */
#define CMP_ALPHA 0.05		  /* significance level of the U test */

enum cmp_side { CMP_BASE, CMP_NEW, CMP_SIDES };

enum cmp_verdict { CMP_SAME, CMP_REGRESSED, CMP_IMPROVED, CMP_INSUFFICIENT, CMP_VERDICTS };

const char *cmp_verdict_name(enum cmp_verdict v);

/* What one side's input held. */
struct cmp_counts {
	unsigned long long files, lines, hooks; /* hooks = samples used */
	unsigned long long malformed;	/* not a JSON object, or a hook record missing a field */
	unsigned long long too_long;	/* longer than CMP_LINE_MAX */
	unsigned long long not_ok;	/* hooks that failed, were killed or never finished */
	unsigned long long over_limit;	/* past CMP_SAMPLES_MAX or CMP_GROUPS_MAX */
};

struct cmp_side_stats {
	size_t n;
	double median_ns, p90_ns; /* meaningful when n > 0 */
};

/* One group's judgement; strings point into the compare object. */
struct cmp_row {
	const char *runtime, *stage, *hook; /* hook: argv0 */
	size_t hook_len;		    /* argv0 may hold any byte but NUL */
	int index;			    /* -1: not matched to the configuration */
	struct cmp_side_stats side[CMP_SIDES];
	double delta_pct;		    /* NaN when undefined (base median 0) */
	double p;			    /* NaN when a side is empty */
	enum cmp_verdict verdict;
};

struct compare;

struct compare *compare__new(void);
void compare__free(struct compare *c);

/* One JSON Lines record (without its newline) of one side; never fails. */
void compare__add_line(struct compare *c, enum cmp_side side, const char *line, size_t len);
/*
 * A JSON Lines file, or a directory of *.jsonl files (not recursive, in
 * name order). 0, or -errno after one error line on stderr naming what
 * could not be read.
 */
int compare__add_path(struct compare *c, enum cmp_side side, const char *path);
const struct cmp_counts *compare__counts(const struct compare *c, enum cmp_side side);

/*
 * Judge every group: regressed (new median more than threshold_pct above
 * base's and p < CMP_ALPHA), improved (the mirror), insufficient (fewer
 * than CMP_MIN_SAMPLES on a side), same otherwise. Rows are sorted by
 * runtime, stage (lifecycle order), index and hook, valid until
 * compare__free. 0 or -ENOMEM.
 */
int compare__judge(struct compare *c, double threshold_pct, const struct cmp_row **rows,
		   size_t *nrows);

#endif
