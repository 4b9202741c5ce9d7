// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --trace-out on plain records, no BPF: track packing (spans.c) and the
 * Chrome trace-event file the sink writes (sink_trace.c), checked against
 * the format's rules as viewers apply them: valid JSON with a traceEvents
 * array, every complete event with a name, non-negative ts and dur in
 * microseconds, pid and tid; events of one (pid, tid) nest or are disjoint;
 * every process and thread used is named by metadata; losses are global
 * instant events. Also the file's life: written whole by rename, no file
 * when the run never reached its summary, an unwritable path refused early.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "record.h"
#include "sink_trace.h"
#include "spans.h"

/* ---- packing ---- */

/* The largest number of spans alive at one instant (ends exclusive). */
static unsigned max_alive(const struct span *v, size_t n)
{
	unsigned best = 0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		unsigned alive = 0;

		for (j = 0; j < n; j++)
			if (v[j].start <= v[i].start &&
			    (v[i].start < v[j].end || (v[j].start == v[i].start && j <= i)))
				alive++;
		if (alive > best)
			best = alive;
	}
	return best;
}

static void assert_packed(const struct span *v, size_t n, const unsigned *track, int ntracks)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		assert_true(track[i] < (unsigned)ntracks);
		for (j = i + 1; j < n; j++)
			if (track[i] == track[j])
				assert_true(v[i].end <= v[j].start || v[j].end <= v[i].start);
	}
}

static void test_pack_simple(void **state)
{
	const struct span seq[] = {{0, 10}, {10, 20}, {25, 30}};
	const struct span par[] = {{0, 10}, {5, 15}, {6, 7}, {12, 20}};
	unsigned t[4];

	/* back to back (one ends where the next starts): one track */
	assert_int_equal(spans_pack(seq, 3, t), 1);
	assert_int_equal(t[0] | t[1] | t[2], 0);
	/* three alive at 6: three tracks; the last reuses the lowest free one */
	assert_int_equal(spans_pack(par, 4, t), 3);
	assert_packed(par, 4, t, 3);
	assert_int_equal(t[0], 0);
	assert_int_equal(t[3], 0);
	assert_int_equal(spans_pack(par, 0, t), 0);
}

static void test_pack_random(void **state)
{
	struct span v[64];
	unsigned t[64];
	int round, ntr;
	size_t i;

	srand(12345);
	for (round = 0; round < 500; round++) {
		size_t n = 1 + (size_t)(rand() % 64);

		for (i = 0; i < n; i++) {
			v[i].start = (__u64)(rand() % 1000);
			v[i].end = v[i].start + (__u64)(rand() % 200);
		}
		ntr = spans_pack(v, n, t);
		assert_true(ntr > 0);
		assert_packed(v, n, t, ntr);
		/* optimal: as many tracks as spans alive at once, no more */
		assert_int_equal((unsigned)ntr, max_alive(v, n));
	}
}

/* ---- the file ---- */

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/hs-test-trace.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static const struct lint_result no_lint;

static struct hook_rec hk(int stage, int index, const char *argv, size_t n, __u64 s, __u64 e,
			  enum hook_status st)
{
	struct hook_rec h = {
		.stage = stage,
		.index = index,
		.pid = 100,
		.path = (char *)"/bin/sh",
		.argv = (char *)argv,
		.argv_len = n,
		.start_ns = s,
		.end_ns = e,
		.ended = st != HOOK_UNFINISHED,
		.status = st,
		.exit_code = st == HOOK_FAILED,
	};
	return h;
}

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	assert_true(json_is_number(v));
	return json_number_value(v);
}

/* Every rule a viewer applies; returns the root (caller frees). */
static json_t *load_checked(const char *path)
{
	json_error_t err;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err), *ev, *evs, *x, *y;
	size_t i, j;
	char key[64];
	json_t *named = json_object();

	assert_non_null(root);
	evs = json_object_get(root, "traceEvents");
	assert_true(json_is_array(evs));
	json_array_foreach(evs, i, ev)
	{
		const char *ph = json_string_value(json_object_get(ev, "ph"));

		assert_non_null(ph);
		assert_true(json_is_string(json_object_get(ev, "name")));
		assert_true(json_is_integer(json_object_get(ev, "pid")));
		assert_true(json_is_integer(json_object_get(ev, "tid")));
		if (!strcmp(ph, "M")) {
			const char *n = json_string_value(json_object_get(ev, "name"));

			assert_true(json_is_object(json_object_get(ev, "args")));
			if (!strcmp(n, "thread_name"))
				snprintf(key, sizeof(key), "t%lld/%lld",
					 json_integer_value(json_object_get(ev, "pid")),
					 json_integer_value(json_object_get(ev, "tid")));
			else if (!strcmp(n, "process_name"))
				snprintf(key, sizeof(key), "p%lld",
					 json_integer_value(json_object_get(ev, "pid")));
			else
				continue;
			json_object_set_new(named, key, json_true());
		} else if (!strcmp(ph, "X")) {
			assert_true(num(ev, "ts") >= 0);
			assert_true(num(ev, "dur") >= 0);
		} else {
			assert_string_equal(ph, "i");
			assert_string_equal(json_string_value(json_object_get(ev, "s")), "g");
			assert_true(num(ev, "ts") >= 0);
		}
	}
	json_array_foreach(evs, i, x)
	{
		if (strcmp(json_string_value(json_object_get(x, "ph")), "X"))
			continue;
		long long pid = json_integer_value(json_object_get(x, "pid"));
		long long tid = json_integer_value(json_object_get(x, "tid"));
		/* exact: ts and dur are printed from integer nanoseconds */
		long long a0 = llround(num(x, "ts") * 1000),
			  a1 = a0 + llround(num(x, "dur") * 1000);

		snprintf(key, sizeof(key), "p%lld", pid);
		assert_non_null(json_object_get(named, key));
		snprintf(key, sizeof(key), "t%lld/%lld", pid, tid);
		assert_non_null(json_object_get(named, key));
		json_array_foreach(evs, j, y)
		{
			if (j <= i || strcmp(json_string_value(json_object_get(y, "ph")), "X") ||
			    json_integer_value(json_object_get(y, "pid")) != pid ||
			    json_integer_value(json_object_get(y, "tid")) != tid)
				continue;
			long long b0 = llround(num(y, "ts") * 1000);
			long long b1 = b0 + llround(num(y, "dur") * 1000);
			bool disjoint = a1 <= b0 || b1 <= a0;
			bool nested = (a0 <= b0 && b1 <= a1) || (b0 <= a0 && a1 <= b1);

			assert_true(disjoint || nested);
		}
	}
	json_decref(named);
	return root;
}

static json_t *find(json_t *root, const char *name)
{
	json_t *ev;
	size_t i;

	json_array_foreach(
	    json_object_get(root, "traceEvents"), i,
	    ev) if (!strcmp(json_string_value(json_object_get(ev, "name")), name)) return ev;
	fail_msg("no event named %s", name);
	return NULL;
}

static void test_trace_file(void **state)
{
	/* two prestart hooks that overlap, a hostile argv0, an unfinished poststop */
	static const char a[] = "sh\0-c\0sleep 1", b[] = "ev\x1b[31m\xff\xe2\x80\xae\0x",
			  c[] = "stuck";
	struct hook_rec h[3] = {
	    hk(OCI_PRESTART, 0, a, sizeof(a), 1000000, 5000000, HOOK_OK),
	    hk(OCI_PRESTART, 1, b, sizeof(b), 2000000, 3000500, HOOK_FAILED),
	    hk(OCI_POSTSTOP, -1, c, sizeof(c), 9000000, 0, HOOK_UNFINISHED),
	};
	struct inv_rec inv[2] = {
		{.cmd = "create", .pid = 7, .start_ns = 500000, .end_ns = 6000000, .ended = true},
		{.cmd = "delete", .pid = 8, .start_ns = 8500000, .ended = false},
	};
	struct ctr_rec r = {
		.id = "c1<&>",
		.runtime = "runc",
		.state = "deleted",
		.lint = &no_lint,
		.hooks = &h[0],
		.invs = inv,
		.ninvs = 2,
		.create_ns = 500000,
		.end_ns = 12000000,
		.process = {.started = true,
			.exited = true,
			.pid = 9,
			.argv = "sleep\0"
				"1",
			.argv_len = 8,
			.start_ns = 6500000,
			.exit_ns = 7500000},
	};
	struct ctr_rec r2 = {.id = "c2",
				 .runtime = "crun",
				 .state = "deleted",
				 .lint = &no_lint,
				 .end_ns = 20000000};
	struct loss_rec l = {.count = 3, .ringbuf = 3, .ts_ns = 4000000};
	struct summary_rec s = {.containers = 2, .hooks = 3, .expectations = "none"};
	char path[128], tmp[160];
	struct sink *sk;
	json_t *root, *ev;

	h[0].next = &h[1];
	h[1].next = &h[2];
	snprintf(path, sizeof(path), "%s/t.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	sk = sink_trace_new(path);
	assert_non_null(sk);
	assert_int_equal(access(tmp, F_OK), 0);
	sk->ops->container(sk, &r);
	sk->ops->lost(sk, &l);
	sk->ops->container(sk, &r2);
	assert_int_not_equal(access(path, F_OK), 0); /* nothing in place before the summary */
	sk->ops->summary(sk, &s);
	sk->ops->free(sk);
	assert_int_not_equal(access(tmp, F_OK), 0);

	root = load_checked(path);
	/* the overlapping hooks went to two tracks; the name is STAGE[INDEX] ARGV0 */
	ev = find(root, "prestart[0] sh");
	assert_int_not_equal(json_integer_value(json_object_get(ev, "tid")),
			     json_integer_value(json_object_get(find(root, "prestart[1] ev\x1b[31m"
									   "\\xff\xe2\x80\xae"),
								"tid")));
	assert_int_equal(llround(num(ev, "ts") * 1000), 1000000);
	assert_int_equal(llround(num(ev, "dur") * 1000), 4000000);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(ev, "args"), "status")), "ok");
	/* the unfinished hook runs until its container's record was made */
	ev = find(root, "poststop[?] stuck");
	assert_int_equal(llround(num(ev, "dur") * 1000), 3000000);
	assert_true(json_is_null(json_object_get(json_object_get(ev, "args"), "exit_code")));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(ev, "args"), "status")),
	    "unfinished");
	/* runtime invocations and the container process on their own tracks */
	ev = find(root, "runc delete");
	assert_int_equal(llround(num(ev, "dur") * 1000), 3500000);
	assert_int_not_equal(json_integer_value(json_object_get(ev, "tid")),
			     json_integer_value(json_object_get(find(root, "sleep"), "tid")));
	assert_int_not_equal(
	    json_integer_value(json_object_get(find(root, "sleep"), "tid")),
	    json_integer_value(json_object_get(find(root, "prestart[0] sh"), "tid")));
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(find(root, "process_name"), "args"), "name")),
			    "c1<&> (runc)");
	/* the loss: a global instant event */
	ev = find(root, "lost 3 events");
	assert_string_equal(json_string_value(json_object_get(ev, "ph")), "i");
	/* a container with nothing but its record is still a named process */
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(root, "otherData"), "containers")),
	    2);
	json_decref(root);
}

static void test_trace_file_life(void **state)
{
	char path[128], tmp[160];
	struct sink *sk;

	/* no summary (the run failed): no file, no tmp left behind */
	snprintf(path, sizeof(path), "%s/never.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	sk = sink_trace_new(path);
	assert_non_null(sk);
	sk->ops->free(sk);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_not_equal(access(tmp, F_OK), 0);
	/* a path that cannot be written is refused before tracing */
	snprintf(path, sizeof(path), "%s/no/such/dir/t.json", dir);
	assert_null(sink_trace_new(path));
}

static void test_trace_empty(void **state)
{
	struct summary_rec s = {.expectations = "none"};
	char path[128];
	struct sink *sk;
	json_t *root;

	snprintf(path, sizeof(path), "%s/empty.json", dir);
	sk = sink_trace_new(path);
	assert_non_null(sk);
	sk->ops->summary(sk, &s);
	sk->ops->free(sk);
	root = load_checked(path);
	assert_int_equal(json_array_size(json_object_get(root, "traceEvents")), 0);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_simple),
		cmocka_unit_test(test_pack_random),
		cmocka_unit_test(test_trace_file),
		cmocka_unit_test(test_trace_file_life),
		cmocka_unit_test(test_trace_empty),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
