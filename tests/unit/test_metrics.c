// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Prometheus metrics (user/metrics.c, user/metrics_http.c's address
 * grammar, user/metrics_pub.c's snapshot): the exposition text of a few
 * records line by line, histogram buckets at and around their bounds,
 * label-value escaping of hostile bytes, the runtime cap, the snapshot
 * outliving its replacement while an exporter holds it, and which
 * --metrics addresses mean loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"
#include "metrics_http.h"
#include "metrics_pub.h"

#define MS 1000000ull
#define S 1000000000ull

static struct hook_rec hook(int stage, enum hook_status st, __u64 ran)
{
	struct hook_rec h = {
		.stage = stage,
		.index = 0,
		.start_ns = 10 * S,
		.end_ns = 10 * S + ran,
		.ended = st != HOOK_UNFINISHED,
		.status = st,
	};

	return h;
}

static char *render(const struct metrics *m)
{
	struct sbuf sb;
	char *s;

	sbuf_init(&sb);
	metrics_render(m, &sb);
	assert_false(sb.oom);
	s = strdup(sbuf_str(&sb));
	sbuf_free(&sb);
	return s;
}

static void assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		p++;
	}
	fail_msg("line not found: %s\n--- in ---\n%s", line, text);
}

static void assert_no_line_with(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("unexpected: %s\n--- in ---\n%s", part, text);
}

static void test_families_and_counts(void **state)
{
	struct metrics m;
	struct hook_rec h1 = hook(OCI_POSTSTART, HOOK_OK, 3 * MS);
	struct hook_rec h2 = hook(OCI_POSTSTART, HOOK_FAILED, 40 * MS);
	struct hook_rec h3 = hook(OCI_PRESTART, HOOK_EXEC_FAILED, 0);
	struct hook_rec h4 = hook(-1, HOOK_UNFINISHED, 0);
	struct ctr_rec c = { .id = "ctr-id-4242", .runtime = "crun", .verdict = VERDICT_HOOK_FAILED };
	struct loss_rec l = { .count = 7, .ringbuf = 4, .tracking = 2, .unwatched = 1 };
	struct loss_rec flood = { .count = 30, .refused = 30, .src_known = true };
	struct loss_rec forks = { .count = 6, .track_refused = 6, .src_known = true };
	char *t;

	metrics_init(&m, "1.2.3 (abc1234)");
	metrics_hook(&m, "runc", &h1);
	metrics_hook(&m, "runc", &h2);
	metrics_hook(&m, "runc", &h3);
	metrics_hook(&m, "runc", &h4);
	metrics_container(&m, &c);
	metrics_lost(&m, &l);
	metrics_lost(&m, &l);
	metrics_lost(&m, &flood);
	metrics_lost(&m, &forks);
	m.tracked = 5;
	t = render(&m);

	assert_line(t, "# TYPE hooksnoop_build_info gauge");
	assert_line(t, "hooksnoop_build_info{version=\"1.2.3\",revision=\"abc1234\"} 1");
	assert_line(t, "# TYPE hooksnoop_hooks_total counter");
	assert_line(t, "hooksnoop_hooks_total{runtime=\"runc\",stage=\"poststart\",status=\"ok\"} 1");
	assert_line(t,
		    "hooksnoop_hooks_total{runtime=\"runc\",stage=\"poststart\",status=\"failed\"} 1");
	assert_line(t, "hooksnoop_hooks_total{runtime=\"runc\",stage=\"prestart\","
		       "status=\"exec_failed\"} 1");
	assert_line(t, "hooksnoop_hooks_total{runtime=\"runc\",stage=\"unknown\","
		       "status=\"unfinished\"} 1");
	/* counters that never moved are not series (except the closed sets below) */
	assert_no_line_with(t, "status=\"killed\"");
	assert_line(t, "# TYPE hooksnoop_hook_duration_seconds histogram");
	/* a failed exec and an unfinished hook are counted, never timed */
	assert_no_line_with(t, "hooksnoop_hook_duration_seconds_count{runtime=\"runc\","
			       "stage=\"prestart\"}");
	assert_no_line_with(t, "hooksnoop_hook_duration_seconds_count{runtime=\"runc\","
			       "stage=\"unknown\"}");
	assert_line(t, "hooksnoop_hook_duration_seconds_count{runtime=\"runc\","
		       "stage=\"poststart\"} 2");
	assert_line(t, "hooksnoop_hook_duration_seconds_sum{runtime=\"runc\","
		       "stage=\"poststart\"} 0.043000000");
	/* every verdict of a seen runtime, zeros included; the runtime of hooks only is too */
	assert_line(t, "hooksnoop_containers_total{runtime=\"crun\",verdict=\"hook_failed\"} 1");
	assert_line(t, "hooksnoop_containers_total{runtime=\"crun\",verdict=\"missing\"} 0");
	assert_line(t, "hooksnoop_containers_total{runtime=\"runc\",verdict=\"ok\"} 0");
	assert_line(t, "hooksnoop_lost_events_total{cause=\"ringbuf_full\"} 8");
	assert_line(t, "hooksnoop_lost_events_total{cause=\"tracking_full\"} 4");
	assert_line(t, "hooksnoop_lost_events_total{cause=\"unwatched\"} 2");
	assert_line(t, "hooksnoop_lost_events_total{cause=\"root_refused\"} 30");
	assert_line(t, "hooksnoop_lost_events_total{cause=\"track_refused\"} 6");
	assert_line(t, "# TYPE hooksnoop_tracked_processes gauge");
	assert_line(t, "hooksnoop_tracked_processes 5");
	/* no container ID as a label value, ever */
	assert_no_line_with(t, "ctr-id-4242");
	/* HELP before TYPE before the samples of each family, families not interleaved */
	assert_true(strstr(t, "# HELP hooksnoop_hooks_total") < strstr(t, "# TYPE hooksnoop_hooks_total"));
	assert_true(strstr(t, "# TYPE hooksnoop_hooks_total") < strstr(t, "hooksnoop_hooks_total{"));
	assert_true(strstr(t, "hooksnoop_hooks_total{") < strstr(t, "# HELP hooksnoop_hook_duration"));
	assert_int_equal(t[strlen(t) - 1], '\n');
	free(t);
}

/* The cumulative count of the bucket with upper bound `le` for poststart hooks of runc. */
static unsigned long long bucket(const char *text, const char *le)
{
	char key[160];
	const char *p;

	snprintf(key, sizeof(key),
		 "hooksnoop_hook_duration_seconds_bucket{runtime=\"runc\",stage=\"poststart\","
		 "le=\"%s\"} ",
		 le);
	p = strstr(text, key);
	if (!p)
		fail_msg("no bucket le=%s in\n%s", le, text);
	return strtoull(p + strlen(key), NULL, 10);
}

static void test_histogram_buckets(void **state)
{
	static const __u64 ran[] = { 0, 1 * MS, 1 * MS + 1, 2500 * MS, 119 * S, 120 * S,
				     120 * S + 1, 3600 * S };
	struct metrics m;
	size_t i;
	char *t;

	metrics_init(&m, "1.0.0 (x)");
	for (i = 0; i < sizeof(ran) / sizeof(ran[0]); i++) {
		struct hook_rec h = hook(OCI_POSTSTART, HOOK_OK, ran[i]);

		metrics_hook(&m, "runc", &h);
	}
	t = render(&m);
	/* le is "less than or equal": a hook of exactly 1ms is in the 0.001 bucket */
	assert_int_equal(bucket(t, "0.001"), 2);
	assert_int_equal(bucket(t, "0.0025"), 3);
	assert_int_equal(bucket(t, "2.5"), 4);
	assert_int_equal(bucket(t, "60"), 4);
	assert_int_equal(bucket(t, "120"), 6);
	assert_int_equal(bucket(t, "+Inf"), 8);
	assert_line(t, "hooksnoop_hook_duration_seconds_count{runtime=\"runc\","
		       "stage=\"poststart\"} 8");
	/* 0 + 1ms + (1ms+1ns) + 2.5s + 119s + 120s + (120s+1ns) + 3600s, to the nanosecond */
	assert_line(t, "hooksnoop_hook_duration_seconds_sum{runtime=\"runc\","
		       "stage=\"poststart\"} 3961.502000002");
	/* cumulative: never decreasing, in bound order */
	for (i = 1; i < METRICS_BUCKETS; i++)
		assert_true(metrics_bucket_ns[i] > metrics_bucket_ns[i - 1]);
	free(t);
}

static void test_label_escaping(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "runc", "runc" },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		{ "a\nb", "a\\nb" },
		{ "a\tb\x7f", "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
		{ "bad\xff\xc3", "bad\xef\xbf\xbd\xef\xbf\xbd" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf sb;

		sbuf_init(&sb);
		metrics_label_value(&sb, cases[i].in);
		assert_string_equal(sbuf_str(&sb), cases[i].out);
		sbuf_free(&sb);
	}
}

static void test_runtime_cap(void **state)
{
	struct metrics m;
	struct hook_rec h = hook(OCI_PRESTART, HOOK_OK, 1 * MS);
	char name[32], *t;
	int i;

	metrics_init(&m, "1.0.0 (x)");
	for (i = 0; i < METRICS_RUNTIMES_MAX + 5; i++) {
		snprintf(name, sizeof(name), "rt%d", i);
		metrics_hook(&m, name, &h);
	}
	metrics_hook(&m, "rt0", &h);
	t = render(&m);
	assert_line(t, "hooksnoop_hooks_total{runtime=\"rt0\",stage=\"prestart\",status=\"ok\"} 2");
	/* the ones past the cap share one series instead of growing the output */
	assert_line(t, "hooksnoop_hooks_total{runtime=\"other\",stage=\"prestart\","
		       "status=\"ok\"} 5");
	assert_no_line_with(t, "runtime=\"rt16\"");
	free(t);
}

static void test_snapshot_outlives_replacement(void **state)
{
	struct metrics_pub p;
	struct snap *held, *now;

	metrics_pub_init(&p);
	assert_null(metrics_pub_get(&p));
	assert_int_equal(metrics_pub_set(&p, "one\n", 4), 0);
	held = metrics_pub_get(&p); /* an HTTP reply in flight */
	assert_int_equal(metrics_pub_set(&p, "two\n", 4), 0);
	assert_string_equal(held->text, "one\n"); /* still valid (ASan would say otherwise) */
	now = metrics_pub_get(&p);
	assert_string_equal(now->text, "two\n");
	snap_put(held);
	snap_put(now);
	metrics_pub_destroy(&p);
}

static void test_addresses(void **state)
{
	static const struct {
		const char *arg, *text;
		bool loopback;
	} good[] = {
		{ ":9464", "127.0.0.1:9464", true },
		{ "9464", "127.0.0.1:9464", true },
		{ "localhost:9464", "127.0.0.1:9464", true },
		{ "127.0.0.2:1", "127.0.0.2:1", true },
		{ "0.0.0.0:9464", "0.0.0.0:9464", false },
		{ "10.1.2.3:80", "10.1.2.3:80", false },
		{ "[::1]:9464", "[::1]:9464", true },
		{ "[::]:9464", "[::]:9464", false },
		{ ":0", "127.0.0.1:0", true },
	};
	static const char *const bad[] = {
		"", ":", "host:9464", "example.com:9464", "1.2.3:80", "0x7f000001:80", ":65536",
		":-1", ":94x", "::1:9464", "[::1]", "[::1:9464", "[zz]:80", ":9464 ", " :9464",
	};
	struct metrics_addr a;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(metrics_parse_addr(good[i].arg, &a, &why), 0);
		assert_string_equal(a.text, good[i].text);
		assert_int_equal(a.loopback, good[i].loopback);
	}
	assert_int_equal(metrics_parse_addr(":0", &a, &why), 0);
	assert_true(a.any_port);
	assert_int_equal(a.sa.ss_family, AF_INET);
	assert_int_equal(ntohl(((struct sockaddr_in *)&a.sa)->sin_addr.s_addr), INADDR_LOOPBACK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (metrics_parse_addr(bad[i], &a, &why) != -EINVAL)
			fail_msg("accepted --metrics '%s'", bad[i]);
		assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families_and_counts),
		cmocka_unit_test(test_histogram_buckets),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_runtime_cap),
		cmocka_unit_test(test_snapshot_outlives_replacement),
		cmocka_unit_test(test_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
