// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --max STAGE=DURATION budgets as the --expect checker (user/expect.c)
 * judges them: over / at / under a budget, unfinished hooks counted until
 * their container's record, `all` covering hooks of unknown stage, stages
 * without a budget left alone, lost events making the result UNKNOWN (a
 * finished hook over budget still fails: its time is exact), budgets with
 * --expect, and the stderr explanation of each failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"

#define MS 1000000ull
#define S 1000000000ull

static const struct lint_result no_lint;

static struct hook_rec hook(int stage, int index, __u64 start, __u64 ran, bool ended)
{
	struct hook_rec h = {
		.stage = stage,
		.index = index,
		.path = (char *)"/bin/sh",
		.argv = (char *)"sh",
		.argv_len = 3,
		.start_ns = start,
		.end_ns = ended ? start + ran : 0,
		.ended = ended,
		.status = ended ? HOOK_OK : HOOK_UNFINISHED,
	};

	return h;
}

static struct ctr_rec container(const char *id, const struct hook_rec *hooks, __u64 end_ns)
{
	struct ctr_rec r = {
		.id = id,
		.runtime = "runc",
		.state = "deleted",
		.lint = &no_lint,
		.hooks = hooks,
		.create_ns = 1 * S,
		.end_ns = end_ns,
	};

	return r;
}

static void budget(struct settings *s, int slot, unsigned long long ns, const char *text)
{
	s->budgets = true;
	s->budget_ns[slot] = ns;
	s->budget_text[slot] = text;
}

struct judged {
	char *err;
	size_t len;
	enum expect_result r;
};

static void judge(struct judged *j, const struct settings *s, const struct ctr_rec *recs,
		  size_t n, bool lost_any)
{
	FILE *f = open_memstream(&j->err, &j->len);
	struct sink *sk = expect_sink_new(s);
	size_t i;

	assert_non_null(f);
	assert_non_null(sk);
	for (i = 0; i < n; i++)
		sk->ops->container(sk, &recs[i]);
	j->r = expect_sink_result(sk, lost_any, f);
	fclose(f);
	sk->ops->free(sk);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_over_at_under(void **state)
{
	struct settings s = {};
	struct hook_rec h = hook(OCI_POSTSTART, 0, 2 * S, 2300 * MS, true);
	struct ctr_rec r = container("c1", &h, 5 * S);
	struct judged j;

	budget(&s, OCI_POSTSTART, 2 * S, "2s");
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_FAIL);
	assert_string_equal(j.err, "hooksnoop: expectation failed: container c1 (runc): "
				   "poststart[0] ran 2.3s, budget 2s\n");
	free(j.err);

	/* exactly the budget is within it: only longer fails */
	h.end_ns = h.start_ns + 2 * S;
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_PASS);
	assert_int_equal(j.len, 0);
	free(j.err);

	/* one nanosecond over says so with enough digits */
	h.end_ns = h.start_ns + 2 * S + 400000;
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_FAIL);
	assert_non_null(strstr(j.err, "poststart[0] ran 2.0004s, budget 2s\n"));
	free(j.err);

	h.end_ns = h.start_ns + 200 * MS + 412000;
	s.budget_ns[OCI_POSTSTART] = 1 * MS;
	s.budget_text[OCI_POSTSTART] = "1ms";
	judge(&j, &s, &r, 1, false);
	assert_non_null(strstr(j.err, "poststart[0] ran 200.412ms, budget 1ms\n"));
	free(j.err);

	h.end_ns = h.start_ns + 512300;
	s.budget_ns[OCI_POSTSTART] = 500000;
	s.budget_text[OCI_POSTSTART] = "500us";
	judge(&j, &s, &r, 1, false);
	assert_non_null(strstr(j.err, "poststart[0] ran 512.3us, budget 500us\n"));
	free(j.err);
}

static void test_only_budgeted_stages(void **state)
{
	struct settings s = {};
	struct hook_rec h[3] = {
		hook(OCI_PRESTART, 0, 2 * S, 60 * S, true),	 /* long, but no budget */
		hook(OCI_POSTSTART, 0, 70 * S, 100 * MS, true),
		hook(OCI_POSTSTART, 1, 71 * S, 300 * MS, true),
	};
	struct ctr_rec r = container("c2", h, 80 * S);
	struct judged j;

	h[0].next = &h[1];
	h[1].next = &h[2];
	budget(&s, OCI_POSTSTART, 200 * MS, "200ms");
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_FAIL);
	assert_int_equal(count_lines(j.err), 1);
	assert_non_null(strstr(j.err, "poststart[1] ran 300ms, budget 200ms\n"));
	free(j.err);
}

static void test_unfinished(void **state)
{
	struct settings s = {};
	struct hook_rec h = hook(OCI_POSTSTOP, 0, 2 * S, 0, false);
	struct ctr_rec r = container("c3", &h, 5 * S); /* still running 3 s later */
	struct judged j;

	budget(&s, OCI_POSTSTOP, 2 * S, "2s");
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_FAIL);
	assert_string_equal(j.err, "hooksnoop: expectation failed: container c3 (runc): "
				   "poststop[0] still running after 3s, budget 2s\n");
	free(j.err);

	r.end_ns = 3 * S; /* only 1 s so far: within the budget */
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_PASS);
	free(j.err);
}

static void test_all_covers_unknown_stage(void **state)
{
	struct settings s = {};
	struct hook_rec h[2] = {
		hook(-1, -1, 2 * S, 900 * MS, true),
		hook(OCI_CREATE_RUNTIME, -1, 3 * S, 800 * MS, true),
	};
	struct ctr_rec r = container("c4", h, 9 * S);
	struct judged j;
	int st;

	h[0].next = &h[1];
	for (st = 0; st < HS_BUDGET_SLOTS; st++)
		budget(&s, st, 500 * MS, "500ms");
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_FAIL);
	assert_non_null(strstr(j.err, "c4 (runc): unknown-stage hook (not matched to the "
				      "configuration) ran 900ms, budget 500ms\n"));
	assert_non_null(strstr(j.err, "c4 (runc): createRuntime hook (not matched to the "
				      "configuration) ran 800ms, budget 500ms\n"));
	free(j.err);
}

static void test_lost_is_never_a_pass(void **state)
{
	struct settings s = {};
	struct hook_rec h[2] = {
		hook(OCI_POSTSTART, 0, 2 * S, 3 * S, true),	/* finished: exact, over */
		hook(OCI_POSTSTOP, 0, 6 * S, 0, false),		/* its exit may be what was lost */
	};
	struct ctr_rec r = container("c5", &h[1], 20 * S);
	struct judged j;

	budget(&s, OCI_POSTSTART, 2 * S, "2s");
	budget(&s, OCI_POSTSTOP, 2 * S, "2s");
	r.lost = true;
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_UNKNOWN);
	assert_null(strstr(j.err, "still running"));
	assert_string_equal(j.err, "hooksnoop: expectation UNKNOWN: container c5 (runc): events "
				   "were lost while it ran, hook budgets cannot be verified\n");
	free(j.err);

	h[0].next = &h[1];
	r.hooks = h;
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_UNKNOWN);
	assert_non_null(strstr(j.err, "expectation failed: container c5 (runc): poststart[0] ran "
				      "3s, budget 2s\n"));
	assert_non_null(strstr(j.err, "expectation UNKNOWN: container c5"));
	free(j.err);

	/* within budget, but lost: still unknown */
	r.hooks = NULL;
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_UNKNOWN);
	free(j.err);
}

static void test_no_container(void **state)
{
	struct settings s = {};
	struct judged j;

	judge(&j, &s, NULL, 0, false);
	assert_int_equal(j.r, EXPECT_NONE); /* neither --expect nor --max */
	free(j.err);
	budget(&s, OCI_POSTSTART, 2 * S, "2s");
	judge(&j, &s, NULL, 0, false);
	assert_int_equal(j.r, EXPECT_PASS);
	assert_int_equal(j.len, 0);
	free(j.err);
	judge(&j, &s, NULL, 0, true);
	assert_int_equal(j.r, EXPECT_UNKNOWN);
	assert_non_null(strstr(j.err, "no container seen, and events were lost"));
	free(j.err);
}

static void test_with_expect(void **state)
{
	struct settings s = { .nexpect = 1, .expect = { "poststart" } };
	struct hook_rec h = hook(OCI_POSTSTART, 0, 2 * S, 100 * MS, true);
	struct ctr_rec r = container("c6", &h, 5 * S);
	struct judged j;

	r.stages[OCI_POSTSTART] = (struct stage_rec){ .configured = 1, .fired = 1 };
	budget(&s, OCI_POSTSTART, 1 * S, "1s");
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_PASS);
	assert_int_equal(j.len, 0);
	free(j.err);

	/* the expectation holds, the budget does not */
	s.budget_ns[OCI_POSTSTART] = 50 * MS;
	s.budget_text[OCI_POSTSTART] = "50ms";
	judge(&j, &s, &r, 1, false);
	assert_int_equal(j.r, EXPECT_FAIL);
	assert_int_equal(count_lines(j.err), 1);
	free(j.err);
	assert_int_equal(expect_exit_status(0, true, 0, EXPECT_FAIL), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_over_at_under),
		cmocka_unit_test(test_only_budgeted_stages),
		cmocka_unit_test(test_unfinished),
		cmocka_unit_test(test_all_covers_unknown_stage),
		cmocka_unit_test(test_lost_is_never_a_pass),
		cmocka_unit_test(test_no_container),
		cmocka_unit_test(test_with_expect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
