// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The end of the pipeline on plain records, no BPF: the report's -c filter
 * and counts, the text and JSON sinks' rendering, verdicts and stage marks,
 * the --expect checker's judgement and messages, and CI mode's exit-status
 * mapping.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "expect.h"
#include "output.h"
#include "report.h"
#include "sinks.h"
#include "verdict.h"

/* ---- an output stream in memory ---- */

struct mem_out {
	struct output o;
	char *buf;
	size_t len;
};

static void mem_open(struct mem_out *m, bool json)
{
	memset(m, 0, sizeof(*m));
	m->o.f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->o.f);
	m->o.json = json;
	m->o.t0_ns = 1000000000ull;
	sbuf_init(&m->o.line);
}

static const char *mem_text(struct mem_out *m)
{
	fflush(m->o.f);
	return m->buf;
}

static void mem_close(struct mem_out *m)
{
	fclose(m->o.f);
	sbuf_free(&m->o.line);
	free(m->buf);
}

/* ---- records ---- */

static struct hook_rec hook(int stage, int index, const char *argv, size_t argv_len,
			    __u64 start_ns, enum hook_status status)
{
	struct hook_rec h = {
		.stage = stage,
		.index = index,
		.pid = 4242,
		.ppid = 4200,
		.path = (char *)"/bin/sh",
		.argv = (char *)argv,
		.argv_len = argv_len,
		.start_ns = start_ns,
		.end_ns = start_ns + 1500000,
		.ended = status != HOOK_UNFINISHED,
		.status = status,
		.exit_code = status == HOOK_FAILED ? 3 : 0,
	};

	return h;
}

static const struct lint_result no_lint;

static struct ctr_rec container(const char *id, const struct hook_rec *hooks)
{
	struct ctr_rec r = {
		.id = id,
		.runtime = "runc",
		.bundle = "/b",
		.state = "deleted",
		.lint = &no_lint,
		.hooks = hooks,
		.create_ns = 2000000000ull,
	};

	return r;
}

/* ---- a sink that counts what reaches it ---- */

struct counting {
	struct sink sk;
	unsigned hooks, containers, events, lost, summaries;
	struct summary_rec last;
};

static void c_hook(struct sink *sk, const char *c, const char *rt, const struct hook_rec *h)
{
	((struct counting *)sk)->hooks++;
}

static void c_container(struct sink *sk, const struct ctr_rec *r)
{
	((struct counting *)sk)->containers++;
}

static void c_summary(struct sink *sk, const struct summary_rec *s)
{
	((struct counting *)sk)->summaries++;
	((struct counting *)sk)->last = *s;
}

static const struct sink_ops counting_ops = {
	.hook = c_hook,
	.container = c_container,
	.summary = c_summary,
};

static void test_report_filter_and_counts(void **state)
{
	struct settings s = { .ncontainers = 1, .containers = { "web-*" } };
	struct counting cnt = { .sk.ops = &counting_ops };
	struct hook_rec h = hook(OCI_PRESTART, 0, "sh", 3, 1, HOOK_OK);
	struct ctr_rec web = container("web-1", &h), db = container("db", NULL);
	struct loss_rec l = { .count = 1 };
	struct report r;

	report__init(&r, &s);
	assert_int_equal(report__add(&r, &cnt.sk), 0);
	assert_true(report__wants(&r, "web-7"));
	assert_false(report__wants(&r, "db"));
	assert_false(report__wants(&r, NULL));
	report__hook(&r, "web-1", "runc", &h);
	report__hook(&r, "db", "runc", &h);
	report__container(&r, &web);
	report__container(&r, &db);
	report__lost(&r, &l); /* no lost op: skipped, not a crash */
	report__summary(&r, 5, 0, 0, 2, "pass");
	assert_int_equal(cnt.hooks, 1);
	assert_int_equal(cnt.containers, 1);
	assert_int_equal(cnt.summaries, 1);
	assert_int_equal(cnt.last.containers, 1);
	assert_int_equal(cnt.last.hooks, 1);
	assert_int_equal(cnt.last.lost, 5);
	assert_int_equal(cnt.last.evicted, 2);
	assert_string_equal(cnt.last.expectations, "pass");
	r.nsinks = 0; /* cnt is on the stack: not the report's to free */
	report__free(&r);
}

static void test_report_sink_limit(void **state)
{
	struct settings s = {};
	struct counting cnt = { .sk.ops = &counting_ops };
	struct report r;
	int i;

	report__init(&r, &s);
	for (i = 0; i < REPORT_MAX_SINKS; i++)
		assert_int_equal(report__add(&r, &cnt.sk), 0);
	assert_int_equal(report__add(&r, &cnt.sk), -ENOSPC);
	r.nsinks = 0;
	report__free(&r);
}

/* ---- verdicts and marks ---- */

static void test_verdict_marks(void **state)
{
	struct hook_rec h[3] = {
		hook(OCI_PRESTART, 0, "a", 2, 10, HOOK_OK),
		hook(OCI_CREATE_RUNTIME, 0, "b", 2, 20, HOOK_FAILED),
		hook(OCI_POSTSTART, 0, "c", 2, 30, HOOK_UNFINISHED),
	};
	struct ctr_rec r;

	h[0].next = &h[1];
	h[1].next = &h[2];
	r = container("c1", h);
	r.stages[OCI_PRESTART] = (struct stage_rec){ .configured = 1, .due = true };
	r.stages[OCI_CREATE_RUNTIME] = (struct stage_rec){ .configured = 2, .due = true };
	r.stages[OCI_CREATE_CONTAINER] = (struct stage_rec){ .configured = 1, .due = true,
							     .stopped = true };
	r.stages[OCI_START_CONTAINER] = (struct stage_rec){ .configured = 1 };
	r.stages[OCI_POSTSTART] = (struct stage_rec){ .configured = 1, .due = true };
	r.stages[OCI_POSTSTOP] = (struct stage_rec){ .configured = 1, .due = true };
	verdict_fill(&r);
	assert_int_equal(r.stages[OCI_PRESTART].mark, MARK_OK);
	assert_int_equal(r.stages[OCI_CREATE_RUNTIME].fired, 1);
	assert_int_equal(r.stages[OCI_CREATE_RUNTIME].failed, 1);
	assert_int_equal(r.stages[OCI_CREATE_RUNTIME].mark, MARK_FAILED);
	assert_int_equal(r.stages[OCI_CREATE_CONTAINER].mark, MARK_NOT_REACHED);
	assert_int_equal(r.stages[OCI_START_CONTAINER].mark, MARK_NOT_DUE);
	/* an unfinished hook fired and did not fail */
	assert_int_equal(r.stages[OCI_POSTSTART].fired, 1);
	assert_int_equal(r.stages[OCI_POSTSTART].failed, 0);
	assert_int_equal(r.stages[OCI_POSTSTOP].mark, MARK_MISSING);
	assert_int_equal(r.verdict, VERDICT_HOOK_FAILED);

	h[1].status = HOOK_OK;
	verdict_fill(&r);
	assert_int_equal(r.verdict, VERDICT_MISSING);
	r.stages[OCI_CREATE_RUNTIME].configured = 1;
	r.stages[OCI_POSTSTOP].due = false;
	verdict_fill(&r);
	assert_int_equal(r.verdict, VERDICT_OK);
	r.lost = true; /* a loss is never turned into a verdict about hooks */
	verdict_fill(&r);
	assert_int_equal(r.verdict, VERDICT_UNKNOWN);
	assert_string_equal(verdict_name(VERDICT_HOOK_FAILED), "hook_failed");
	assert_string_equal(hook_status_name(HOOK_EXEC_FAILED), "exec_failed");
}

static void test_verdict_not_run_needs_a_warning(void **state)
{
	struct lint_finding f = {
		.severity = LINT_ERROR,
		.code = "HOOK_KEY_CASE",
		.message = (char *)"stage key \"Poststart\" should be \"poststart\"",
		.stage = OCI_POSTSTART,
	};
	struct lint_result lint = { .v = &f, .n = 1 };
	struct ctr_rec r = container("c1", NULL);

	verdict_fill(&r);
	assert_int_equal(r.stages[OCI_POSTSTART].mark, MARK_NONE);
	r.lint = &lint;
	verdict_fill(&r);
	assert_int_equal(r.stages[OCI_POSTSTART].mark, MARK_NOT_RUN);
	assert_int_equal(r.stages[OCI_PRESTART].mark, MARK_NONE);
	f.severity = LINT_INFO; /* info never explains an absence */
	verdict_fill(&r);
	assert_int_equal(r.stages[OCI_POSTSTART].mark, MARK_NONE);
}

static json_t *only_record(struct mem_out *m);

static const char *warn_code(const struct ctr_rec *r, unsigned i)
{
	return i < r->nwarn ? r->warn[i].code : "";
}

/* POSTSTART_BEFORE_PROCESS: judged on exec times, runc named with its issue. */
static void test_verdict_poststart_before_process(void **state)
{
	struct hook_rec h[2] = {
		hook(OCI_PRESTART, 0, "a", 2, 2100000000ull, HOOK_OK),
		hook(OCI_POSTSTART, 0, "b", 2, 2200000000ull, HOOK_OK),
	};
	struct ctr_rec r;

	h[0].next = &h[1];
	r = container("c1", h);
	r.process = (struct proc_rec){ .started = true, .pid = 9, .start_ns = 2150000000ull };
	verdict_fill(&r);
	assert_int_equal(r.nwarn, 0); /* poststart after the process: as the spec says */

	r.process.start_ns = 2212300000ull;
	verdict_fill(&r);
	assert_int_equal(r.nwarn, 1);
	assert_string_equal(warn_code(&r, 0), "POSTSTART_BEFORE_PROCESS");
	assert_int_equal(r.warn[0].stage, OCI_POSTSTART);
	assert_non_null(strstr(r.warn[0].message, "poststart[0] 12.3ms before it"));
	assert_non_null(strstr(r.warn[0].message, "runc#1710"));

	r.runtime = "crun";
	verdict_fill(&r);
	assert_null(strstr(r.warn[0].message, "runc#1710"));
	assert_non_null(strstr(r.warn[0].message, "racing its exec"));
	r.runtime = "youki";
	verdict_fill(&r);
	assert_non_null(strstr(r.warn[0].message, "cannot rely on the process running"));

	/* runc create without start: the process was never exec'd */
	r.runtime = "runc";
	r.state = "created";
	r.process = (struct proc_rec){ 0 };
	verdict_fill(&r);
	assert_string_equal(warn_code(&r, 0), "POSTSTART_BEFORE_PROCESS");
	assert_non_null(strstr(r.warn[0].message, "had not been exec'd (container created)"));

	/* a prestart hook before the process is what prestart means */
	h[1].stage = OCI_PRESTART;
	h[1].index = 1;
	verdict_fill(&r);
	assert_int_equal(r.nwarn, 0);

	h[1].stage = OCI_POSTSTART;
	r.lost = true; /* an order seen through a loss is not evidence */
	verdict_fill(&r);
	assert_int_equal(r.nwarn, 0);
}

/* HOOK_RAN_TWICE: one configured entry run twice; two entries of one command never. */
static void test_verdict_hook_ran_twice(void **state)
{
	struct hook_rec h[4] = {
		hook(OCI_POSTSTOP, 0, "a", 2, 2100000000ull, HOOK_OK),
		hook(OCI_POSTSTOP, 1, "a", 2, 2200000000ull, HOOK_OK),
		hook(OCI_POSTSTOP, -1, "a", 2, 2300000000ull, HOOK_OK),
		hook(-1, -1, "a", 2, 2400000000ull, HOOK_OK),
	};
	struct ctr_rec r;
	int i;

	for (i = 0; i < 3; i++)
		h[i].next = &h[i + 1];
	r = container("c1", h);
	r.stages[OCI_POSTSTOP] = (struct stage_rec){ .configured = 2, .due = true };
	verdict_fill(&r);
	assert_int_equal(r.nwarn, 0); /* unmatched and unknown-stage runs are no evidence */

	h[2].index = 0;
	h[3] = hook(OCI_POSTSTOP, 0, "a", 2, 2400000000ull, HOOK_FAILED);
	verdict_fill(&r);
	assert_int_equal(r.nwarn, 1);
	assert_string_equal(warn_code(&r, 0), "HOOK_RAN_TWICE");
	assert_non_null(strstr(r.warn[0].message, "poststop[0] ran 3 times"));
	assert_int_equal(r.stages[OCI_POSTSTOP].fired, 4);
	assert_int_equal(r.verdict, VERDICT_HOOK_FAILED);
}

/* Warnings are bounded, and both sinks show them after the lint findings. */
static void test_warnings_rendered_and_bounded(void **state)
{
	struct hook_rec h[2 * (CTR_WARN_MAX + 2)];
	struct mem_out m;
	struct sink *sk;
	struct ctr_rec r;
	json_t *v, *w;
	unsigned i;

	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		h[i] = hook(OCI_POSTSTOP, (int)(i / 2), "a", 2, 2100000000ull + i, HOOK_OK);
		h[i].next = i + 1 < sizeof(h) / sizeof(h[0]) ? &h[i + 1] : NULL;
	}
	r = container("c1", h);
	verdict_fill(&r);
	assert_int_equal(r.nwarn, CTR_WARN_MAX);
	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->container(sk, &r);
	v = only_record(&m);
	w = json_object_get(v, "warnings");
	assert_int_equal(json_array_size(w), CTR_WARN_MAX);
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 0), "code")),
			    "HOOK_RAN_TWICE");
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 0), "severity")),
			    "warning");
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);

	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->container(sk, &r);
	assert_non_null(strstr(mem_text(&m), "   warning HOOK_RAN_TWICE: poststop[0] ran 2 times"));
	sk->ops->free(sk);
	mem_close(&m);
}

/* hook_running: SPEC's record, and the text sink's still-running line with live children only. */
static void test_running_record(void **state)
{
	static const char argv[] = "sh\0-c\0read x < /f\x1b";
	struct hook_rec h = hook(OCI_PRESTART, 0, argv, sizeof(argv) - 1, 2000000000ull,
				 HOOK_UNFINISHED);
	struct child_rec kids[7];
	struct running_rec r = {
		.hook = &h,
		.ts_ns = 12000000000ull,
		.running_ns = 10000000000ull,
		.wchan = "pipe_read",
		.children_known = true,
		.children = kids,
		.nchildren = 7,
	};
	struct mem_out m;
	struct sink *sk;
	const char *t;
	json_t *v, *c;
	unsigned i;

	memset(kids, 0, sizeof(kids));
	for (i = 0; i < 7; i++) {
		kids[i].pid = 100 + i;
		kids[i].argv = (char *)"sleep\0" "5";
		kids[i].argv_len = 8;
		kids[i].start_ns = 2100000000ull;
	}
	kids[0].ended = true; /* gone: not listed as waiting */
	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->running(sk, "c1", "runc", &r);
	v = only_record(&m);
	assert_true(strncmp(mem_text(&m), "{\"type\":\"hook_running\",", 23) == 0);
	assert_string_equal(json_string_value(json_object_get(v, "stage")), "prestart");
	assert_int_equal(json_integer_value(json_object_get(v, "index")), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "pid")), 4242);
	assert_int_equal(json_integer_value(json_object_get(v, "running_ns")), 10000000000ll);
	assert_string_equal(json_string_value(json_object_get(v, "wchan")), "pipe_read");
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "argv"), 2)),
			    "read x < /f\x1b");
	c = json_object_get(v, "children");
	assert_int_equal(json_array_size(c), 7);
	assert_true(json_is_null(json_object_get(json_array_get(c, 1), "end_ns")));
	assert_false(json_is_true(json_object_get(v, "children_truncated")));
	json_decref(v);
	mem_close(&m);

	r.wchan = NULL; /* unreadable: null, never a guess */
	r.children_known = false;
	mem_open(&m, true);
	sk->ops->running(sk, "c1", "runc", &r);
	v = only_record(&m);
	assert_true(json_is_null(json_object_get(v, "wchan")));
	assert_true(json_is_null(json_object_get(v, "children")));
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);

	r.wchan = "pipe_read";
	r.children_known = true;
	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->running(sk, "c1", "runc", &r);
	t = mem_text(&m);
	assert_non_null(strstr(t, "c1 runc prestart[0] still running after 10.0s, pid 4242 waiting in "
				  "pipe_read  sh -c \"read x < /f\\x1b\"\n"));
	assert_null(strstr(t, "child 100:")); /* ended */
	assert_non_null(strstr(t, "             child 101: sleep 5\n"));
	assert_non_null(strstr(t, "child 105: sleep 5\n"));
	assert_null(strstr(t, "child 106:"));
	assert_non_null(strstr(t, "... 1 more\n"));
	sk->ops->free(sk);
	mem_close(&m);
}

/* Text: a failed hook's stderr tail (last 5 lines, escaped) and the children that outlived it. */
static void test_text_stderr_and_outlived(void **state)
{
	static const char argv[] = "sh\0-c\0x";
	static const char err[] = "l1\nl2\nl3\nl4\nl5 \x1b[31m\nl6\nl7\n\n";
	struct hook_rec h = hook(OCI_PRESTART, 0, argv, sizeof(argv) - 1, 2000000000ull, HOOK_FAILED);
	struct child_rec kids[2] = {
		{ .pid = 77, .argv = (char *)"sleep\0" "9", .argv_len = 8, .outlived = true },
		{ .pid = 78, .argv = (char *)"true", .argv_len = 5, .ended = true },
	};
	struct hook_rec *hp = &h;
	struct mem_out m;
	struct sink *sk;
	struct ctr_rec r;
	const char *t;

	h.out[1] = (struct out_rec){ .known = true, .to = OUT_TO_NULL, .tail = (char *)err,
				     .tail_len = sizeof(err) - 1, .bytes = 5000, .truncated = true };
	h.children_known = true;
	h.children = kids;
	h.nchildren = 2;
	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->hook(sk, "c1", "crun", &h);
	r = container("c1", hp);
	r.runtime = "crun";
	r.stages[OCI_PRESTART] = (struct stage_rec){ .configured = 1, .due = true };
	verdict_fill(&r);
	sk->ops->container(sk, &r);
	t = mem_text(&m);
	assert_non_null(strstr(t, "failed(3)  sh -c x\n"
				  "             stderr (null, 5000 bytes, the end):\n"
				  "             | l3\n"
				  "             | l4\n"
				  "             | l5 \\x1b[31m\n"
				  "             | l6\n"
				  "             | l7\n"
				  "             child 77 outlived it: sleep 9\n"));
	assert_null(strstr(t, "l2"));
	assert_null(strstr(t, "child 78"));
	/* the timeline block, indented under its hook */
	assert_non_null(strstr(t, "prestart[0] 1.5ms failed  sh -c x\n"
				  "               stderr (null, 5000 bytes, the end):\n"));
	assert_non_null(strstr(t, "               child 77 outlived it: sleep 9\n"));
	sk->ops->free(sk);
	mem_close(&m);

	/* a hook that succeeded: its stderr is in the JSON, not under the line */
	h.status = HOOK_OK;
	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->hook(sk, "c1", "crun", &h);
	assert_null(strstr(mem_text(&m), "stderr"));
	sk->ops->free(sk);
	mem_close(&m);
}

/* The container column: IDs sharing a long prefix stay apart (the demo's pair). */
static void test_text_container_column(void **state)
{
	static const char argv[] = "sh";
	struct hook_rec h = hook(OCI_PRESTART, 0, argv, sizeof(argv), 2000000000ull, HOOK_OK);
	struct mem_out m;
	struct sink *sk;
	const char *t;

	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->hook(sk, "hooksnoop-demo-runc-4242", "runc", &h);
	sk->ops->hook(sk, "hooksnoop-demo-crun-4242", "crun", &h);
	sk->ops->hook(sk, "hooksnoop-demo-runc-4242", "runc", &h);
	t = mem_text(&m);
	assert_null(strstr(t, "hooksnoop-demo-r "));
	assert_non_null(strstr(t, " hooksn\u2026crun-4242 crun prestart[0]"));
	assert_non_null(strstr(t, " hooksn\u2026runc-4242 runc prestart[0]"));
	sk->ops->free(sk);
	mem_close(&m);
}

/* ---- text sink ---- */

static void test_text_hook_line_and_timeline(void **state)
{
	static const char argv[] = "sh\0-c\0exit 3";
	struct hook_rec h[2] = {
		hook(OCI_PRESTART, 0, argv, sizeof(argv), 2100000000ull, HOOK_FAILED),
		hook(OCI_POSTSTOP, -1, "x", 2, 2400000000ull, HOOK_UNFINISHED),
	};
	struct ctr_rec r;
	struct mem_out m;
	struct sink *sk;
	const char *t;

	h[0].next = &h[1];
	h[1].inferred = true;
	r = container("c\x1b[2J1", h); /* a hostile ID: escaped, never raw */
	r.process = (struct proc_rec){ .started = true, .exited = true, .pid = 77,
				       .argv = "sleep\0001", .argv_len = 8,
				       .start_ns = 2200000000ull, .exit_ns = 2300000000ull,
				       .signal = 9 };
	r.stages[OCI_PRESTART] = (struct stage_rec){ .configured = 1, .due = true };
	verdict_fill(&r);
	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	assert_non_null(sk);
	sk->ops->hook(sk, r.id, "runc", &h[0]);
	sk->ops->container(sk, &r);
	t = mem_text(&m);
	assert_non_null(strstr(t, "1.101        c\\x1b[2J1 runc prestart[0] 1.5ms failed(3)  sh -c "
				  "\"exit 3\"\n"));
	assert_non_null(strstr(t, "== container c\\x1b[2J1 (runc) deleted, verdict: hook_failed\n"));
	assert_null(strchr(t, '\x1b'));
	assert_non_null(strstr(t, "   prestart                  1      1      1  \u2717 failed\n"));
	/* hooks and the container process in time order */
	assert_true(strstr(t, "+0.100s  prestart[0]") < strstr(t, "+0.200s  container process "
								    "started, pid 77: sleep 1"));
	assert_true(strstr(t, "container process killed by SIGKILL") <
		    strstr(t, "+0.400s  poststop? - unfinished  x"));
	sk->ops->free(sk);
	mem_close(&m);
}

static void test_text_findings_wrap_within_100_columns(void **state)
{
	char msg[600];
	struct lint_finding f = {
		.severity = LINT_WARNING,
		.code = "HOOKS_RUNTIME_DIFF",
		.message = msg,
		.stage = -1,
	};
	struct lint_result lint = { .v = &f, .n = 1 };
	struct ctr_rec r = container("c1", NULL);
	struct mem_out m;
	struct sink *sk;
	const char *t, *line;
	size_t i;

	for (i = 0; i + 1 < sizeof(msg); i++)
		msg[i] = i % 9 == 8 ? ' ' : 'w';
	msg[sizeof(msg) - 1] = '\0';
	r.lint = &lint;
	r.refused = "runc refuses: a long reason that is wrapped the same way as findings are";
	verdict_fill(&r);
	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->container(sk, &r);
	t = mem_text(&m);
	assert_non_null(strstr(t, "   warning HOOKS_RUNTIME_DIFF: wwwwwwww"));
	for (line = t; *line; line = strchr(line, '\n') + 1) {
		const char *end = strchr(line, '\n');
		size_t cols = 0;

		assert_non_null(end);
		for (const char *p = line; p < end; p++)
			cols += ((unsigned char)*p & 0xc0) != 0x80; /* count UTF-8 characters */
		assert_true(cols <= 100);
	}
	sk->ops->free(sk);
	mem_close(&m);
}

/* ---- JSON sink ---- */

static json_t *only_record(struct mem_out *m)
{
	json_error_t e;
	const char *t = mem_text(m);
	json_t *v;

	assert_non_null(strchr(t, '\n'));
	assert_null(strchr(t, '\n')[1] ? "more than one line" : NULL);
	v = json_loads(t, 0, &e);
	assert_non_null(v);
	return v;
}

static void test_json_hook_record(void **state)
{
	static const char argv[] = "sh\0-c\0\xff";
	struct hook_rec h = hook(OCI_START_CONTAINER, -1, argv, sizeof(argv) - 1, 2000000000ull,
				 HOOK_KILLED);
	struct mem_out m;
	struct sink *sk;
	json_t *v;

	h.signal = 15;
	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->hook(sk, "c1", "crun", &h);
	v = only_record(&m);
	assert_string_equal(json_string_value(json_object_get(v, "type")), "hook");
	assert_true(strncmp(mem_text(&m), "{\"type\":\"hook\"", 14) == 0); /* type first */
	assert_string_equal(json_string_value(json_object_get(v, "stage")), "startContainer");
	assert_true(json_is_null(json_object_get(v, "index")));
	assert_true(json_is_null(json_object_get(v, "exit_code"))); /* killed: no exit code */
	assert_int_equal(json_integer_value(json_object_get(v, "signal")), 15);
	assert_int_equal(json_integer_value(json_object_get(v, "duration_ns")), 1500000);
	assert_string_equal(json_string_value(json_object_get(v, "status")), "killed");
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "argv"), 2)),
			    "\\xff");
	assert_null(json_object_get(v, "reason"));
	json_decref(v);
	mem_close(&m);

	/* a runtime child that died before its exec: no errno, a reason */
	h.status = HOOK_EXEC_FAILED;
	h.signal = 0;
	h.exit_code = 1;
	h.reason = (char *)"crun's child exited with status 1";
	mem_open(&m, true);
	sk->ops->hook(sk, "c1", "crun", &h);
	v = only_record(&m);
	assert_true(json_is_null(json_object_get(v, "errno")));
	assert_string_equal(json_string_value(json_object_get(v, "reason")),
			    "crun's child exited with status 1");
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);
}

static void test_json_container_record(void **state)
{
	struct lint_finding f = {
		.severity = LINT_ERROR, .code = "HOOK_KEY_CASE", .message = (char *)"m\x01", .stage = 4,
	};
	struct lint_result lint = { .v = &f, .n = 1 };
	struct ctr_rec r = container("c1", NULL);
	struct mem_out m;
	struct sink *sk;
	json_t *v, *st;

	r.bundle = NULL;
	r.lint = &lint;
	r.cfg_error = "cannot read /b/config.json: not a regular file";
	r.stages[OCI_POSTSTOP] = (struct stage_rec){ .configured = 2, .due = true };
	verdict_fill(&r);
	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->container(sk, &r);
	v = only_record(&m);
	assert_true(json_is_null(json_object_get(v, "bundle")));
	assert_true(json_is_null(json_object_get(v, "process")));
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "missing");
	assert_string_equal(json_string_value(json_object_get(v, "configuration")),
			    "cannot read /b/config.json: not a regular file");
	st = json_object_get(json_object_get(v, "stages"), "poststop");
	assert_int_equal(json_integer_value(json_object_get(st, "configured")), 2);
	assert_int_equal(json_object_size(json_object_get(v, "stages")), OCI_STAGE_MAX);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(v, "warnings"), 0), "message")),
			    "m\x01");
	assert_false(json_is_true(json_object_get(v, "lost")));
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);
}

static void test_json_lost_and_summary(void **state)
{
	struct loss_rec l = { .count = 4, .ringbuf = 2, .tracking = 1, .unwatched = 1, .ts_ns = 5 };
	struct summary_rec s = { .containers = 2, .hooks = 9, .lost = 3, .refused = 40,
				 .track_refused = 7, .expectations = "fail" };
	struct loss_rec flood = { .count = 40, .refused = 40, .src_known = true, .src_mntns = 4026532999,
				  .src_uid = 1000, .ts_ns = 6 };
	struct loss_rec forks = { .count = 5, .track_refused = 5, .src_known = true,
				  .src_mntns = 4026533000, .src_uid = 0, .ts_ns = 7 };
	struct mem_out m;
	struct sink *sk;
	json_t *v;

	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->lost(sk, &l);
	v = only_record(&m);
	assert_int_equal(json_integer_value(json_object_get(v, "count")), 4);
	assert_int_equal(json_integer_value(json_object_get(v, "tracking_full")), 1);
	assert_int_equal(json_integer_value(json_object_get(v, "unwatched")), 1);
	assert_int_equal(json_integer_value(json_object_get(v, "root_refused")), 0);
	assert_true(json_is_null(json_object_get(v, "source")));
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);

	/* refusals over --root-rate: the source they are charged to */
	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->lost(sk, &flood);
	v = only_record(&m);
	assert_int_equal(json_integer_value(json_object_get(v, "root_refused")), 40);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "source"), "mntns")),
			 4026532999LL);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "source"), "uid")), 1000);
	assert_int_equal(json_integer_value(json_object_get(v, "track_refused")), 0);
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);

	/* processes over --source-max-tracked: charged to their source too */
	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->lost(sk, &forks);
	v = only_record(&m);
	assert_int_equal(json_integer_value(json_object_get(v, "count")), 5);
	assert_int_equal(json_integer_value(json_object_get(v, "root_refused")), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "track_refused")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "source"), "mntns")),
			 4026533000LL);
	json_decref(v);
	sk->ops->free(sk);
	mem_close(&m);

	mem_open(&m, true);
	sk = sink_json_new(&m.o);
	sk->ops->summary(sk, &s);
	assert_string_equal(mem_text(&m), "{\"type\":\"summary\",\"containers\":2,\"hooks\":9,"
					  "\"lost_events\":3,\"root_refused\":40,\"track_refused\":7,"
					  "\"evicted_containers\":0,"
					  "\"expectations\":\"fail\"}\n");
	sk->ops->free(sk);
	mem_close(&m);
}

/* ---- --expect ---- */

struct expect_run {
	char *err;
	size_t len;
	enum expect_result r;
};

static void expect_over(struct expect_run *x, const char *const *expect, size_t nexpect,
			const struct ctr_rec *recs, size_t n, bool lost_any)
{
	struct settings s = { .nexpect = nexpect };
	struct sink *sk;
	FILE *f = open_memstream(&x->err, &x->len);
	size_t i;

	for (i = 0; i < nexpect; i++)
		s.expect[i] = expect[i];
	sk = expect_sink_new(&s);
	assert_non_null(sk);
	for (i = 0; i < n; i++)
		sk->ops->container(sk, &recs[i]);
	x->r = expect_sink_result(sk, lost_any, f);
	fclose(f);
	sk->ops->free(sk);
}

static void test_expect_pass_fail_unknown(void **state)
{
	static const char *const poststart[] = { "poststart" };
	static const char *const all[] = { "all" };
	struct lint_finding f = {
		.severity = LINT_ERROR, .code = "HOOK_KEY_CASE",
		.message = (char *)"stage key \"Poststart\" should be \"poststart\"", .stage = 4,
	};
	struct lint_result lint = { .v = &f, .n = 1 };
	struct ctr_rec r[2] = { container("ok1", NULL), container("crun1", NULL) };
	struct expect_run x;

	r[0].stages[OCI_POSTSTART] = (struct stage_rec){ .configured = 1, .fired = 1 };
	expect_over(&x, poststart, 1, r, 1, false);
	assert_int_equal(x.r, EXPECT_PASS);
	assert_int_equal(x.len, 0);
	free(x.err);

	r[1].lint = &lint; /* nothing configured for this runtime, and why */
	expect_over(&x, poststart, 1, r, 2, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	assert_non_null(strstr(x.err, "hooksnoop: expectation failed: container crun1 (runc): no "
				      "poststart hook is configured for this runtime\n"));
	assert_non_null(strstr(x.err, "hooksnoop:   why: stage key \"Poststart\""));
	free(x.err);

	/* all: stages with nothing configured are not expectations */
	expect_over(&x, all, 1, r, 2, false);
	assert_int_equal(x.r, EXPECT_PASS);
	free(x.err);

	r[0].stages[OCI_POSTSTART].fired = 0;
	r[0].stages[OCI_POSTSTART].stopped = true;
	expect_over(&x, all, 1, r, 1, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	assert_non_null(strstr(x.err, "0 of 1 configured poststart hooks fired (an earlier hook "
				      "failed)"));
	free(x.err);

	r[0].lost = true; /* never a pass, never a confident "not fired" */
	expect_over(&x, poststart, 1, r, 2, false);
	assert_int_equal(x.r, EXPECT_UNKNOWN);
	assert_non_null(strstr(x.err, "expectation UNKNOWN: container ok1"));
	free(x.err);

	expect_over(&x, poststart, 1, NULL, 0, true);
	assert_int_equal(x.r, EXPECT_UNKNOWN);
	assert_non_null(strstr(x.err, "no container seen, and events were lost"));
	free(x.err);
	expect_over(&x, poststart, 1, NULL, 0, false);
	assert_int_equal(x.r, EXPECT_FAIL);
	free(x.err);
	expect_over(&x, NULL, 0, r, 2, false);
	assert_int_equal(x.r, EXPECT_NONE);
	assert_string_equal(expect_result_word(EXPECT_NONE), "none");
	assert_string_equal(expect_result_word(EXPECT_UNKNOWN), "fail");
	free(x.err);
}

static void test_exit_status_mapping(void **state)
{
	int exited0 = 0, exited5 = 5 << 8, killed9 = 9;

	assert_true(WIFEXITED(exited5) && WEXITSTATUS(exited5) == 5);
	assert_true(WIFSIGNALED(killed9));
	/* hooksnoop could not run: its own status, whatever else */
	assert_int_equal(expect_exit_status(1, true, exited5, EXPECT_FAIL), 1);
	/* CMD's own failure wins over expectations */
	assert_int_equal(expect_exit_status(0, true, exited5, EXPECT_FAIL), 5);
	assert_int_equal(expect_exit_status(0, true, killed9, EXPECT_PASS), 137);
	/* CMD succeeded: expectations decide */
	assert_int_equal(expect_exit_status(0, true, exited0, EXPECT_PASS), 0);
	assert_int_equal(expect_exit_status(0, true, exited0, EXPECT_NONE), 0);
	assert_int_equal(expect_exit_status(0, true, exited0, EXPECT_FAIL), 3);
	assert_int_equal(expect_exit_status(0, true, exited0, EXPECT_UNKNOWN), 3);
	/* live mode: no CMD */
	assert_int_equal(expect_exit_status(0, false, exited5, EXPECT_FAIL), 3);
	assert_int_equal(expect_exit_status(0, false, 0, EXPECT_NONE), 0);
}

static void test_text_lost_names_every_cause(void **state)
{
	struct loss_rec l = { .count = 5, .ringbuf = 1, .tracking = 0, .unwatched = 4 };
	struct mem_out m;
	struct sink *sk;

	mem_open(&m, false);
	sk = sink_text_new(&m.o);
	sk->ops->lost(sk, &l);
	assert_non_null(strstr(mem_text(&m), "LOST 5 events (ring buffer full: 1, tracking map "
					     "full: 0, runtime children unseen before the "
					     "failed-exec probe: 4); timelines that overlap are "
					     "marked unknown\n"));
	sk->ops->free(sk);
	mem_close(&m);
}

static void test_timestamps(void **state)
{
	struct mem_out m;
	char buf[64];

	mem_open(&m, false);
	m.o.wall_off_ns = 1700000000123456789ll - 5000000000ll;
	output__rfc3339(&m.o, 5000000000ull, buf, sizeof(buf));
	assert_string_equal(buf, "2023-11-14T22:13:20.123456Z");
	output__text_time(&m.o, 2500000000ull, buf, sizeof(buf)); /* since start (t0 = 1 s) */
	assert_string_equal(buf, "1.500");
	m.o.wall = true;
	setenv("TZ", "UTC", 1);
	tzset();
	output__text_time(&m.o, 5000000000ull, buf, sizeof(buf));
	assert_string_equal(buf, "22:13:20.123");
	mem_close(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_filter_and_counts),
		cmocka_unit_test(test_report_sink_limit),
		cmocka_unit_test(test_verdict_marks),
		cmocka_unit_test(test_verdict_not_run_needs_a_warning),
		cmocka_unit_test(test_verdict_poststart_before_process),
		cmocka_unit_test(test_verdict_hook_ran_twice),
		cmocka_unit_test(test_warnings_rendered_and_bounded),
		cmocka_unit_test(test_running_record),
		cmocka_unit_test(test_text_stderr_and_outlived),
		cmocka_unit_test(test_text_container_column),
		cmocka_unit_test(test_text_hook_line_and_timeline),
		cmocka_unit_test(test_text_findings_wrap_within_100_columns),
		cmocka_unit_test(test_json_hook_record),
		cmocka_unit_test(test_json_container_record),
		cmocka_unit_test(test_json_lost_and_summary),
		cmocka_unit_test(test_expect_pass_fail_unknown),
		cmocka_unit_test(test_exit_status_mapping),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_text_lost_names_every_cause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
