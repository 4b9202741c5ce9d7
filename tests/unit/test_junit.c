// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --junit (user/junit.c fed by user/expect.c's judgement): the document
 * for passing, failing, unknown and budget checks, each failure message
 * the very line stderr printed, the suite counts, XML escaping of hostile
 * container IDs and bytes XML cannot carry, and the run with no container.
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
#include "junit.h"

#define MS 1000000ull
#define S 1000000000ull

static const struct lint_result no_lint;

static struct hook_rec hook(int stage, __u64 start, __u64 ran, enum hook_status st)
{
	struct hook_rec h = {
		.stage = stage,
		.index = 0,
		.path = (char *)"/bin/sh",
		.argv = (char *)"sh",
		.argv_len = 3,
		.start_ns = start,
		.end_ns = start + ran,
		.ended = true,
		.status = st,
	};

	return h;
}

static struct ctr_rec container(const char *id, const char *rt, const struct hook_rec *hooks)
{
	struct ctr_rec r = {
		.id = id,
		.runtime = rt,
		.state = "deleted",
		.lint = &no_lint,
		.hooks = hooks,
		.create_ns = 1 * S,
		.end_ns = 9 * S,
	};

	return r;
}

static void stage(struct ctr_rec *r, int st, unsigned configured, unsigned fired, unsigned failed)
{
	r->stages[st].configured = configured;
	r->stages[st].fired = fired;
	r->stages[st].failed = failed;
}

struct run {
	struct junit j;
	char *err, *xml;
	size_t errlen;
	enum expect_result r;
};

static void judge(struct run *x, const struct settings *s, const struct ctr_rec *recs, size_t n,
		  bool lost_any)
{
	FILE *f = open_memstream(&x->err, &x->errlen);
	struct sink *sk = expect_sink_new(s);
	struct sbuf sb;
	size_t i;

	assert_non_null(f);
	assert_non_null(sk);
	junit_init(&x->j);
	for (i = 0; i < n; i++)
		sk->ops->container(sk, &recs[i]);
	x->r = expect_sink_judge(sk, lost_any, f, junit_add, &x->j);
	fclose(f);
	sk->ops->free(sk);
	sbuf_init(&sb);
	junit_render(&x->j, 1.5, "2026-01-02T03:04:05", "node1", &sb);
	x->xml = strdup(sbuf_str(&sb));
	sbuf_free(&sb);
}

static void run_free(struct run *x)
{
	junit_free(&x->j);
	free(x->err);
	free(x->xml);
}

static void test_pass_and_fail(void **state)
{
	struct settings s = { .expect = { "poststart" }, .nexpect = 1 };
	struct hook_rec h = hook(OCI_POSTSTART, 2 * S, 250 * MS, HOOK_OK);
	struct ctr_rec r[2] = { container("c2", "crun", NULL), container("c1", "runc", &h) };
	struct run x;

	stage(&r[1], OCI_POSTSTART, 1, 1, 0);
	judge(&x, &s, r, 2, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	/* newest container first, as stderr says them */
	assert_string_equal(
		x.xml,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"hooksnoop\" tests=\"2\" failures=\"1\" errors=\"0\" "
		"time=\"1.500000\">\n"
		"  <testsuite name=\"hooksnoop\" tests=\"2\" failures=\"1\" errors=\"0\" "
		"skipped=\"0\" time=\"1.500000\" timestamp=\"2026-01-02T03:04:05\" "
		"hostname=\"node1\">\n"
		"    <testcase classname=\"runc/c1\" name=\"poststart\" time=\"0.250000\"/>\n"
		"    <testcase classname=\"crun/c2\" name=\"poststart\" time=\"0.000000\">\n"
		"      <failure message=\"expectation failed: container c2 (crun): no poststart hook "
		"is configured for this runtime\" type=\"failed\">expectation failed: container c2 "
		"(crun): no poststart hook is configured for this runtime</failure>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	/* the message is what stderr said, word for word */
	assert_string_equal(x.err, "hooksnoop: expectation failed: container c2 (crun): no "
				   "poststart hook is configured for this runtime\n");
	run_free(&x);
}

static void test_why_lines_and_unknown(void **state)
{
	static const struct lint_finding f = { .code = "HOOK_KEY_CASE",
					       .message = (char *)"stage key \"Poststart\" should be "
							  "\"poststart\"" };
	static const struct lint_result lint = { .v = (struct lint_finding *)&f, .n = 1 };
	struct settings s = { .expect = { "all" }, .nexpect = 1 };
	struct ctr_rec r[2] = { container("lost1", "runc", NULL), container("c3", "crun", NULL) };
	struct run x;

	r[0].lost = true;
	stage(&r[1], OCI_PRESTART, 1, 0, 0);
	r[1].lint = &lint;
	judge(&x, &s, r, 2, true);
	assert_int_equal(x.r, EXPECT_UNKNOWN);
	/* all: only configured stages are checks; the lost container is unknown for each stage */
	assert_non_null(strstr(x.xml, "tests=\"7\" failures=\"7\""));
	assert_non_null(strstr(x.xml, "<testcase classname=\"crun/c3\" name=\"prestart\""));
	assert_non_null(strstr(x.xml, "message=\"expectation failed: container c3 (crun): 0 of 1 "
				      "configured prestart hooks fired\" type=\"failed\""));
	assert_non_null(strstr(x.xml, "<testcase classname=\"runc/lost1\" name=\"poststop\""));
	assert_non_null(strstr(x.xml, "message=\"expectation UNKNOWN: container lost1 (runc): "
				      "events were lost while it ran, poststop cannot be verified\" "
				      "type=\"unknown\""));
	run_free(&x);

	/* the why: lines stderr adds go in the failure's text, the first line is the message */
	s.expect[0] = "poststart";
	judge(&x, &s, &r[1], 1, false);
	assert_non_null(strstr(x.xml, "message=\"expectation failed: container c3 (crun): no "
				      "poststart hook is configured for this runtime\""));
	assert_non_null(strstr(x.xml, "configured for this runtime\n  why: stage key "
				      "\"Poststart\" should be \"poststart\"</failure>"));
	assert_non_null(strstr(x.err, "hooksnoop:   why: stage key \"Poststart\""));
	run_free(&x);
}

/* --repeat: one container ID N times; each run's checks are cases of their own */
static void test_repeat_runs(void **state)
{
	struct settings s = { .expect = { "poststart" }, .nexpect = 1 };
	struct hook_rec h = hook(OCI_POSTSTART, 2 * S, 250 * MS, HOOK_OK);
	struct ctr_rec r[3] = { container("c1", "runc", &h), container("c1", "runc", NULL),
				container("c1", "runc", &h) };
	struct run x;
	int i;

	for (i = 0; i < 3; i++) {
		r[i].run.repeat = true;
		r[i].run.index = i - 1; /* -1: created before the first run */
		stage(&r[i], OCI_POSTSTART, 1, i == 1 ? 0 : 1, 0);
	}
	judge(&x, &s, r, 3, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	assert_non_null(strstr(x.xml, "tests=\"3\" failures=\"1\""));
	assert_non_null(strstr(x.xml, "<testcase classname=\"runc/c1\" name=\"poststart (run 1)\" "
				      "time=\"0.250000\"/>"));
	assert_non_null(strstr(x.xml, "<testcase classname=\"runc/c1\" name=\"poststart (run 0)\" "
				      "time=\"0.000000\">"));
	assert_non_null(strstr(x.xml, "<testcase classname=\"runc/c1\" name=\"poststart\" "));
	/* stderr names the run that failed */
	assert_string_equal(x.err, "hooksnoop: expectation failed: container c1 (runc, run 0): 0 "
				   "of 1 configured poststart hooks fired\n");
	run_free(&x);
}

static void test_budgets(void **state)
{
	struct settings s = {};
	struct hook_rec h[3] = { hook(OCI_PRESTART, 2 * S, 5 * MS, HOOK_OK),
				 hook(OCI_POSTSTART, 3 * S, 2300 * MS, HOOK_OK),
				 hook(OCI_POSTSTART, 6 * S, 100 * MS, HOOK_OK) };
	struct ctr_rec r = container("b1", "runc", h);
	struct run x;
	int i;

	h[0].next = &h[1];
	h[1].next = &h[2];
	h[2].index = 1;
	for (i = 0; i < HS_BUDGET_SLOTS; i++) {
		s.budget_ns[i] = 2 * S;
		s.budget_text[i] = "2s";
	}
	s.budgets = true;
	judge(&x, &s, &r, 1, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	/* one check per stage whose budget covers a hook that ran; none for the others */
	assert_non_null(strstr(x.xml, "tests=\"2\" failures=\"1\""));
	assert_non_null(strstr(x.xml, "<testcase classname=\"runc/b1\" name=\"max prestart=2s\" "
				      "time=\"0.005000\"/>"));
	assert_non_null(strstr(x.xml, "<testcase classname=\"runc/b1\" name=\"max poststart=2s\" "
				      "time=\"2.400000\">"));
	assert_non_null(strstr(x.xml, "message=\"expectation failed: container b1 (runc): "
				      "poststart[0] ran 2.3s, budget 2s\""));
	run_free(&x);
}

static void test_no_container(void **state)
{
	struct settings s = { .expect = { "prestart" }, .nexpect = 1 };
	struct run x;

	judge(&x, &s, NULL, 0, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	assert_non_null(strstr(x.xml, "<testcase classname=\"hooksnoop\" name=\"any container\""));
	assert_non_null(strstr(x.xml, "message=\"expectation failed: no container went through a "
				      "runtime\""));
	run_free(&x);
}

static void test_hostile_id(void **state)
{
	struct settings s = { .expect = { "poststop" }, .nexpect = 1 };
	/* expect.c escapes the ID for the terminal first; XML escaping comes on top */
	struct ctr_rec r = container("a<b>&\"c'\x01\xff", "runc", NULL);
	struct run x;

	judge(&x, &s, &r, 1, false);
	assert_non_null(strstr(x.xml, "classname=\"runc/a&lt;b&gt;&amp;&quot;c&apos;\\x01\\xff\""));
	run_free(&x);
}

static void test_xml_escape(void **state)
{
	static const struct {
		const char *in;
		bool attr;
		const char *out;
	} cases[] = {
		{ "plain", true, "plain" },
		{ "<&>\"'", true, "&lt;&amp;&gt;&quot;&apos;" },
		{ "<&>\"'", false, "&lt;&amp;&gt;\"'" },
		{ "a\tb\nc\rd", true, "a&#9;b&#10;c&#13;d" },
		{ "a\tb\nc", false, "a\tb\nc" },
		{ "\x01\x1f\x7f", false, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "x\xc3(\xff", true, "x\xef\xbf\xbd(\xef\xbf\xbd" },
		{ "\xe2\x9c\x93 ok", true, "\xe2\x9c\x93 ok" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf sb;

		sbuf_init(&sb);
		xml_escape(&sb, cases[i].in, cases[i].attr);
		assert_string_equal(sbuf_str(&sb), cases[i].out);
		sbuf_free(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass_and_fail),
		cmocka_unit_test(test_why_lines_and_unknown),
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_repeat_runs),
		cmocka_unit_test(test_no_container),
		cmocka_unit_test(test_hostile_id),
		cmocka_unit_test(test_xml_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
