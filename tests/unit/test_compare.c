// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop compare`'s model (user/compare.c) on records built in memory
 * and in files: grouping per (runtime, stage, index, argv0), which hook
 * records are samples (status ok only), medians and p90, the verdict rules
 * (regressed / improved / same / insufficient and the threshold), hostile
 * lines (not JSON, not objects, wrong types, NUL bytes, huge lines)
 * counted and skipped, directories of *.jsonl, unreadable paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "compare.h"

static void add(struct compare *c, enum cmp_side side, const char *line)
{
	compare__add_line(c, side, line, strlen(line));
}

/* a hook record of `ns` nanoseconds */
static void hook(struct compare *c, enum cmp_side side, const char *rt, const char *stage,
		 const char *index, const char *argv0, long long ns, const char *status)
{
	char line[512];

	snprintf(line, sizeof(line),
		 "{\"type\":\"hook\",\"container\":\"c1\",\"runtime\":\"%s\",\"run\":0,"
		 "\"stage\":\"%s\",\"index\":%s,\"argv\":[\"%s\",\"-c\",\"x\"],\"start_ns\":1,"
		 "\"duration_ns\":%lld,\"status\":\"%s\"}",
		 rt, stage, index, argv0, ns, status);
	add(c, side, line);
}

static const struct cmp_row *row(const struct cmp_row *rows, size_t n, const char *stage,
				 int index)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].runtime, "runc") && !strcmp(rows[i].stage, stage) &&
		    rows[i].index == index)
			return &rows[i];
	fail_msg("no row %s[%d]", stage, index);
	return NULL;
}

static void test_grouping_and_verdicts(void **state)
{
	struct compare *c = compare__new();
	const struct cmp_row *rows, *r;
	size_t n;
	int i;

	assert_non_null(c);
	for (i = 0; i < 10; i++) {
		/* 100 ms longer in NEW: regressed */
		hook(c, CMP_BASE, "runc", "poststart", "0", "sleep", 200000000 + i * 1000, "ok");
		hook(c, CMP_NEW, "runc", "poststart", "0", "sleep", 300000000 + i * 1000, "ok");
		/* 2x faster: improved */
		hook(c, CMP_BASE, "runc", "prestart", "0", "sh", 2000000 + i * 1000, "ok");
		hook(c, CMP_NEW, "runc", "prestart", "0", "sh", 1000000 + i * 1000, "ok");
		/* interleaved, same distribution: same */
		hook(c, CMP_BASE, "runc", "poststop", "0", "sh", 5000000 + i * 2000, "ok");
		hook(c, CMP_NEW, "runc", "poststop", "0", "sh", 5001000 + i * 2000, "ok");
		/* significant but within the threshold (1 %): same */
		hook(c, CMP_BASE, "runc", "createRuntime", "0", "sh", 100000000 + i, "ok");
		hook(c, CMP_NEW, "runc", "createRuntime", "0", "sh", 101000000 + i, "ok");
		/* another runtime, another argv0, another index: groups of their own */
		hook(c, CMP_BASE, "crun", "poststart", "0", "sleep", 1000, "ok");
		hook(c, CMP_BASE, "runc", "poststart", "0", "other", 1000, "ok");
		hook(c, CMP_BASE, "runc", "poststart", "1", "sleep", 1000, "ok");
		/* failed hooks are not samples */
		hook(c, CMP_NEW, "runc", "poststart", "0", "sleep", 900000000000, "failed");
	}
	for (i = 0; i < 4; i++) { /* 4 samples: insufficient, however different */
		hook(c, CMP_BASE, "runc", "createContainer", "null", "sh", 1000 + i, "ok");
		hook(c, CMP_NEW, "runc", "createContainer", "null", "sh", 9000000 + i, "ok");
	}
	assert_int_equal(compare__counts(c, CMP_BASE)->hooks, 74);
	assert_int_equal(compare__counts(c, CMP_NEW)->hooks, 44);
	assert_int_equal(compare__counts(c, CMP_NEW)->not_ok, 10);
	assert_int_equal(compare__counts(c, CMP_BASE)->malformed, 0);

	assert_int_equal(compare__judge(c, 10, &rows, &n), 0);
	assert_int_equal(n, 8);
	/* sorted: runtime, then lifecycle order, index, argv0 */
	assert_string_equal(rows[0].runtime, "crun");
	assert_string_equal(rows[1].stage, "prestart");
	assert_string_equal(rows[2].stage, "createRuntime");
	assert_string_equal(rows[3].stage, "createContainer");
	assert_string_equal(rows[7].stage, "poststop");

	r = row(rows, n, "poststart", 0);
	if (strcmp(r->hook, "sleep"))
		r++; /* "other" sorts before "sleep" */
	assert_string_equal(r->hook, "sleep");
	assert_int_equal(r->verdict, CMP_REGRESSED);
	assert_int_equal(r->side[CMP_BASE].n, 10);
	assert_int_equal(r->side[CMP_NEW].n, 10);
	assert_true(fabs(r->side[CMP_BASE].median_ns - 200004500) < 1e-3);
	assert_true(fabs(r->side[CMP_BASE].p90_ns - 200008100) < 1e-3);
	assert_true(fabs(r->delta_pct - 100000000.0 / 200004500 * 100) < 1e-9);
	/* fully separated, 10 vs 10: normal approximation, p = 0.00018267 (scipy) */
	assert_true(fabs(r->p - 0.00018267179110955002) < 1e-9);

	assert_int_equal(row(rows, n, "prestart", 0)->verdict, CMP_IMPROVED);
	assert_int_equal(row(rows, n, "poststop", 0)->verdict, CMP_SAME);
	r = row(rows, n, "createRuntime", 0);
	assert_true(r->p < 0.05);
	assert_int_equal(r->verdict, CMP_SAME);
	r = row(rows, n, "createContainer", -1);
	assert_int_equal(r->verdict, CMP_INSUFFICIENT);
	r = row(rows, n, "poststart", 1);
	assert_int_equal(r->verdict, CMP_INSUFFICIENT);
	assert_int_equal(r->side[CMP_NEW].n, 0);
	assert_true(isnan(r->p) && isnan(r->delta_pct));

	/* a threshold below 1 %: the createRuntime change counts */
	assert_int_equal(compare__judge(c, 0.5, &rows, &n), 0);
	assert_int_equal(row(rows, n, "createRuntime", 0)->verdict, CMP_REGRESSED);
	compare__free(c);
}

static void test_zero_base_median(void **state)
{
	struct compare *c = compare__new();
	const struct cmp_row *rows;
	size_t n;

	for (int i = 0; i < 6; i++) {
		hook(c, CMP_BASE, "runc", "prestart", "0", "sh", 0, "ok");
		hook(c, CMP_NEW, "runc", "prestart", "0", "sh", 1000 + i, "ok");
	}
	assert_int_equal(compare__judge(c, 10, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_true(isnan(rows[0].delta_pct));
	assert_int_equal(rows[0].verdict, CMP_REGRESSED);
	compare__free(c);
}

static void test_hostile_lines(void **state)
{
	static const char nul_line[] = "{\"type\":\"hook\"\0,\"x\":1}";
	struct compare *c = compare__new();
	const struct cmp_counts *k = compare__counts(c, CMP_BASE);
	char *big;

	add(c, CMP_BASE, "not json");
	add(c, CMP_BASE, "[1,2,3]");
	add(c, CMP_BASE, "42");
	add(c, CMP_BASE, "{\"no\":\"type\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"runtime\":\"runc\",\"stage\":\"poststart\","
			 "\"index\":0,\"argv\":[\"sh\"],\"duration_ns\":-5,\"status\":\"ok\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"runtime\":\"runc\",\"stage\":\"poststart\","
			 "\"index\":0,\"argv\":[\"sh\"],\"duration_ns\":1.5,\"status\":\"ok\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"runtime\":\"runc\",\"stage\":\"Poststart\","
			 "\"index\":0,\"argv\":[\"sh\"],\"duration_ns\":5,\"status\":\"ok\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"runtime\":\"runc\",\"stage\":\"poststart\","
			 "\"index\":99999999,\"argv\":[\"sh\"],\"duration_ns\":5,\"status\":\"ok\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"runtime\":\"runc\",\"stage\":\"poststart\","
			 "\"index\":0,\"argv\":[],\"duration_ns\":5,\"status\":\"ok\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"runtime\":\"ru\\u0000nc\",\"stage\":\"poststart\","
			 "\"index\":0,\"argv\":[\"sh\"],\"duration_ns\":5,\"status\":\"ok\"}");
	add(c, CMP_BASE, "{\"type\":\"hook\",\"type\":\"hook\"}"); /* duplicate key */
	compare__add_line(c, CMP_BASE, nul_line, sizeof(nul_line) - 1);
	compare__add_line(c, CMP_BASE, "\xff\xfe{}", 4);
	assert_int_equal(k->malformed, 14);
	assert_int_equal(k->hooks, 0);

	/* other record types are not malformed, just not samples */
	add(c, CMP_BASE, "{\"type\":\"summary\",\"containers\":1}");
	add(c, CMP_BASE, "   ");
	assert_int_equal(k->malformed, 14);

	big = malloc(CMP_LINE_MAX + 2);
	memset(big, ' ', CMP_LINE_MAX + 1);
	big[0] = '{';
	big[CMP_LINE_MAX] = '}';
	compare__add_line(c, CMP_BASE, big, CMP_LINE_MAX + 1);
	assert_int_equal(k->too_long, 1);
	free(big);
	compare__free(c);
}

static char tmpdir[64];

static void write_file(const char *name, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void test_files_and_dirs(void **state)
{
	static const char rec[] = "{\"type\":\"hook\",\"runtime\":\"runc\",\"stage\":\"poststart\","
				  "\"index\":0,\"argv\":[\"sh\"],\"duration_ns\":7,\"status\":\"ok\"}";
	struct compare *c = compare__new();
	const struct cmp_counts *k = compare__counts(c, CMP_NEW);
	char path[256], *huge;
	size_t hn = CMP_LINE_MAX * 2 + 100;

	strcpy(tmpdir, "/tmp/hs-cmp-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	/* two records, the last without its newline */
	snprintf(path, sizeof(path), "%s\n%s", rec, rec);
	write_file("a.jsonl", path, strlen(path));
	/* a line of 2 MiB without a newline until the end, then a good record */
	huge = malloc(hn + sizeof(rec) + 1);
	memset(huge, 'x', hn);
	huge[hn - 1] = '\n';
	memcpy(huge + hn, rec, sizeof(rec) - 1);
	huge[hn + sizeof(rec) - 1] = '\n';
	write_file("b.jsonl", huge, hn + sizeof(rec));
	free(huge);
	write_file("ignored.txt", "garbage", 7);

	assert_int_equal(compare__add_path(c, CMP_NEW, tmpdir), 0);
	assert_int_equal(k->files, 2);
	assert_int_equal(k->hooks, 3);
	assert_int_equal(k->too_long, 1);
	assert_int_equal(k->malformed, 0);

	snprintf(path, sizeof(path), "%s/a.jsonl", tmpdir);
	assert_int_equal(compare__add_path(c, CMP_BASE, path), 0);
	assert_int_equal(compare__counts(c, CMP_BASE)->hooks, 2);

	snprintf(path, sizeof(path), "%s/missing.jsonl", tmpdir);
	assert_int_equal(compare__add_path(c, CMP_BASE, path), -ENOENT);
	assert_int_equal(compare__add_path(c, CMP_BASE, "/dev/null"), -EINVAL);
	snprintf(path, sizeof(path), "%s/fifo.jsonl", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(compare__add_path(c, CMP_BASE, path), -EINVAL); /* never blocks */
	unlink(path);
	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(compare__add_path(c, CMP_BASE, path), -ENOENT);
	compare__free(c);

	snprintf(path, sizeof(path), "rm -rf %s", tmpdir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping_and_verdicts),
		cmocka_unit_test(test_zero_base_median),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_files_and_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
