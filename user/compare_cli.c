// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop compare [--json] [--threshold PCT] BASE NEW`: arguments, the
 * text table (within 100 columns) or SPEC's JSON Lines records (compare
 * per group, then compare_summary, built with the JSON writer), what the
 * input held that could not be used (stderr), and the exit status: 4 a
 * significant regression beyond the threshold, 0 otherwise, 2 usage or
 * unreadable input.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "escape.h"
#include "jsonw.h"
#include "log.h"

#define HOOK_COL 8
#define STAGE_COL 22

static void compare_usage(FILE *f)
{
	fputs("Usage: hooksnoop compare [--json] [--threshold PCT] BASE NEW\n"
	      "\n"
	      "Compare hook durations between two sets of recorded runs: BASE and NEW are\n"
	      "JSON Lines files written by hooksnoop -j (e.g. with --repeat N), or\n"
	      "directories of *.jsonl files. Per runtime, stage, index and argv0: samples,\n"
	      "median, p90, the change of the median and a two-sided Mann-Whitney U test.\n"
	      "Only hooks that ended with status ok are samples.\n"
	      "\n"
	      "  -j, --json           JSON Lines: one \"compare\" record per group, then\n"
	      "                       \"compare_summary\"\n"
	      "  -t, --threshold PCT  a regression is a median more than PCT % slower and\n"
	      "                       p < 0.05 (default 10)\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Verdicts: regressed, improved, same, insufficient (fewer than 5 samples on\n"
	      "a side). Exit status: 0 no regression, 4 a regression, 2 usage error or\n"
	      "unreadable input.\n"
	      "\n"
	      "EXAMPLES:\n"
	      "  hooksnoop -j -o base.jsonl --repeat 20 -- runc run -b bundle c1\n"
	      "  hooksnoop -j -o new.jsonl --repeat 20 -- runc run -b bundle c1\n"
	      "  hooksnoop compare base.jsonl new.jsonl\n",
	      f);
}

/* At most 7 columns: 512.3us 1.23ms 201.2ms 2.300s 12.3s */
static void fmt_dur(char *buf, size_t sz, double ns)
{
	if (ns < 1e6)
		snprintf(buf, sz, "%.1fus", ns / 1e3);
	else if (ns < 1e7)
		snprintf(buf, sz, "%.2fms", ns / 1e6);
	else if (ns < 1e9)
		snprintf(buf, sz, "%.1fms", ns / 1e6);
	else if (ns < 1e10)
		snprintf(buf, sz, "%.3fs", ns / 1e9);
	else if (ns < 1e12)
		snprintf(buf, sz, "%.1fs", ns / 1e9);
	else
		snprintf(buf, sz, ">999s");
}

static void fmt_delta(char *buf, size_t sz, double d)
{
	if (isnan(d))
		snprintf(buf, sz, "-");
	else if (d > 999.9)
		snprintf(buf, sz, ">+999%%");
	else
		snprintf(buf, sz, "%+.1f%%", d);
}

static void fmt_p(char *buf, size_t sz, double p)
{
	if (isnan(p))
		snprintf(buf, sz, "-");
	else if (p < 0.001)
		snprintf(buf, sz, "<.001");
	else
		snprintf(buf, sz, "%.3f", p);
}

/* argv0 escaped and cut to `cols` bytes (a cut ends with '~', never inside a UTF-8 sequence). */
static void hook_cell(char *out, size_t sz, const struct cmp_row *r, size_t cols)
{
	struct sbuf sb;
	size_t n;

	sbuf_init(&sb);
	esc_text(&sb, r->hook, r->hook_len);
	n = strlen(sbuf_str(&sb));
	if (n > cols) {
		n = cols - 1;
		while (n && ((unsigned char)sbuf_str(&sb)[n] & 0xc0) == 0x80)
			n--;
		snprintf(out, sz, "%.*s~", (int)n, sbuf_str(&sb));
	} else {
		snprintf(out, sz, "%s", sbuf_str(&sb));
	}
	sbuf_free(&sb);
}

static void print_text(const struct cmp_row *rows, size_t n, const unsigned *tally,
		       double threshold)
{
	const char *rt = NULL;
	size_t i;

	/* the side blocks are "%4s %7s %7s": 20 columns each */
	printf("%*s %s %s\n", STAGE_COL + HOOK_COL + 1, "", "------- BASE -------",
	       "-------- NEW -------");
	printf("%-*s %-*s %4s %7s %7s %4s %7s %7s %7s %5s %s\n", STAGE_COL, "STAGE[INDEX]",
	       HOOK_COL, "HOOK", "n", "median", "p90", "n", "median", "p90", "DELTA", "P",
	       "VERDICT");
	for (i = 0; i < n; i++) {
		const struct cmp_row *r = &rows[i];
		char stage[48], hook[HOOK_COL * 4 + 8], d[4][16], delta[16], p[16];
		struct sbuf sb;

		if (!rt || strcmp(rt, r->runtime)) {
			rt = r->runtime;
			sbuf_init(&sb);
			esc_text(&sb, rt, strlen(rt));
			printf("%.64s\n", sbuf_str(&sb));
			sbuf_free(&sb);
		}
		if (r->index >= 0)
			snprintf(stage, sizeof(stage), "%s[%d]", r->stage, r->index);
		else
			snprintf(stage, sizeof(stage), "%s[?]", r->stage);
		hook_cell(hook, sizeof(hook), r, HOOK_COL);
		for (int s = 0; s < CMP_SIDES; s++) {
			if (r->side[s].n) {
				fmt_dur(d[2 * s], sizeof(d[0]), r->side[s].median_ns);
				fmt_dur(d[2 * s + 1], sizeof(d[0]), r->side[s].p90_ns);
			} else {
				snprintf(d[2 * s], sizeof(d[0]), "-");
				snprintf(d[2 * s + 1], sizeof(d[0]), "-");
			}
		}
		fmt_delta(delta, sizeof(delta), r->delta_pct);
		fmt_p(p, sizeof(p), r->p);
		printf("%-*s %-*s %4zu %7s %7s %4zu %7s %7s %7s %5s %s\n", STAGE_COL, stage,
		       HOOK_COL, hook, r->side[CMP_BASE].n, d[0], d[1], r->side[CMP_NEW].n, d[2],
		       d[3], delta, p, cmp_verdict_name(r->verdict));
	}
	printf("%u regressed, %u improved, %u same, %u insufficient (Mann-Whitney U, p < %.2g, "
	       "threshold %g%%)\n",
	       tally[CMP_REGRESSED], tally[CMP_IMPROVED], tally[CMP_SAME], tally[CMP_INSUFFICIENT],
	       CMP_ALPHA, threshold);
}

static void side_json(struct jw *w, const char *key, const struct cmp_side_stats *s)
{
	jw_key(w, key);
	jw_obj_open(w);
	jw_ku64(w, "n", s->n);
	if (s->n) {
		jw_ku64(w, "median_ns", (unsigned long long)llround(s->median_ns));
		jw_ku64(w, "p90_ns", (unsigned long long)llround(s->p90_ns));
	} else {
		jw_knull(w, "median_ns");
		jw_knull(w, "p90_ns");
	}
	jw_obj_close(w);
}

/* One record written whole, or an error line: 0 or -1. */
static int put_record(struct sbuf *sb, const struct jw *w)
{
	if (jw_end(w)) {
		hs_err("compare: a record could not be built (out of memory)");
		return -1;
	}
	sbuf_puts(sb, "\n");
	fwrite(sbuf_str(sb), 1, strlen(sbuf_str(sb)), stdout);
	sbuf_reset(sb);
	return 0;
}

static int print_json(const struct cmp_row *rows, size_t n, const unsigned *tally)
{
	struct sbuf sb;
	struct jw w;
	size_t i;
	int err = 0;

	sbuf_init(&sb);
	for (i = 0; i < n && !err; i++) {
		const struct cmp_row *r = &rows[i];

		jw_init(&w, &sb);
		jw_obj_open(&w);
		jw_kstr(&w, "type", "compare");
		jw_kstr(&w, "runtime", r->runtime);
		jw_kstr(&w, "stage", r->stage);
		if (r->index >= 0)
			jw_ki64(&w, "index", r->index);
		else
			jw_knull(&w, "index");
		jw_key(&w, "hook");
		jw_strn(&w, r->hook, r->hook_len);
		side_json(&w, "base", &r->side[CMP_BASE]);
		side_json(&w, "new", &r->side[CMP_NEW]);
		jw_key(&w, "delta_pct");
		jw_double(&w, r->delta_pct, 2); /* NaN writes null */
		jw_key(&w, "p_value");
		jw_double(&w, r->p, 6);
		jw_kstr(&w, "verdict", cmp_verdict_name(r->verdict));
		jw_obj_close(&w);
		err = put_record(&sb, &w);
	}
	if (!err) {
		jw_init(&w, &sb);
		jw_obj_open(&w);
		jw_kstr(&w, "type", "compare_summary");
		jw_ku64(&w, "regressed", tally[CMP_REGRESSED]);
		jw_ku64(&w, "improved", tally[CMP_IMPROVED]);
		jw_ku64(&w, "same", tally[CMP_SAME]);
		jw_ku64(&w, "insufficient", tally[CMP_INSUFFICIENT]);
		jw_obj_close(&w);
		err = put_record(&sb, &w);
	}
	sbuf_free(&sb);
	return err;
}

/* What a side held that was not used: one warning line, nothing when all was used. */
static void report_skipped(const char *what, const char *path, const struct cmp_counts *k)
{
	struct sbuf sb;

	if (!k->malformed && !k->too_long && !k->over_limit)
		return;
	sbuf_init(&sb);
	esc_text(&sb, path, strlen(path));
	hs_warn("compare: %s '%.200s': skipped %llu malformed line(s), %llu longer than %u "
		"bytes, %llu sample(s) past the limits",
		what, sbuf_str(&sb), k->malformed, k->too_long, CMP_LINE_MAX, k->over_limit);
	sbuf_free(&sb);
}

static int parse_threshold(const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 10000 ||
	    (arg[0] < '0' || arg[0] > '9')) {
		hs_err("invalid --threshold '%.64s': expected a percentage from 0 to 10000 (e.g. "
		       "10 or 12.5)",
		       arg);
		return -1;
	}
	*out = v;
	return 0;
}

int compare_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "threshold", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	static const char *const side_name[CMP_SIDES] = { "BASE", "NEW" };
	const struct cmp_row *rows;
	unsigned tally[CMP_VERDICTS] = {};
	double threshold = 10;
	bool json = false;
	struct compare *c;
	size_t n, i;
	int ch, rc = 0;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+:jt:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 't':
			if (parse_threshold(optarg, &threshold))
				return 2;
			break;
		case 'h':
			compare_usage(stdout);
			return 0;
		case ':':
			hs_err("compare: option '%s' needs a value (see hooksnoop compare --help)",
			       argv[optind - 1]);
			return 2;
		default:
			if (optopt)
				hs_err("compare: unknown option '-%c' (see hooksnoop compare --help)",
				       optopt);
			else
				hs_err("compare: unknown option '%.64s' (see hooksnoop compare --help)",
				       argv[optind - 1]);
			return 2;
		}
	}
	if (argc - optind != 2) {
		hs_err("compare: expected two inputs, BASE and NEW (see hooksnoop compare --help)");
		return 2;
	}
	c = compare__new();
	if (!c) {
		hs_err("compare: out of memory");
		return 2;
	}
	for (i = 0; i < CMP_SIDES; i++) {
		const struct cmp_counts *k;

		if (compare__add_path(c, (enum cmp_side)i, argv[optind + i])) {
			rc = 2;
			goto out;
		}
		k = compare__counts(c, (enum cmp_side)i);
		report_skipped(side_name[i], argv[optind + i], k);
		if (!k->hooks) {
			struct sbuf sb;

			sbuf_init(&sb);
			esc_text(&sb, argv[optind + i], strlen(argv[optind + i]));
			hs_err("compare: %s '%.200s' holds no hook record that ended ok (write it "
			       "with hooksnoop -j)",
			       side_name[i], sbuf_str(&sb));
			sbuf_free(&sb);
			rc = 2;
			goto out;
		}
	}
	if (compare__judge(c, threshold, &rows, &n)) {
		hs_err("compare: out of memory");
		rc = 2;
		goto out;
	}
	for (i = 0; i < n; i++)
		tally[rows[i].verdict]++;
	if (json) {
		if (print_json(rows, n, tally))
			rc = 2;
	} else {
		print_text(rows, n, tally, threshold);
	}
	if (!rc && tally[CMP_REGRESSED])
		rc = 4;
out:
	compare__free(c);
	fflush(stdout);
	return rc;
}
