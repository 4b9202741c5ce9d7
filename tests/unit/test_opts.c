// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Command-line parsing for trace runs (user/opts.c): every option in its long
 * and short form, the bounds of every value, the limits of the repeatable
 * options, --help / --version, and CI mode's CMD. Each call runs with stdout
 * and stderr redirected to files so a test sees exactly what the user would:
 * a usage error is -1 with one line on stderr and nothing on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "opts.h"
#include "version.h"

struct cap {
	char out[16384];
	char err[4096];
};

static void slurp(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	assert_true(n >= 0);
	buf[n] = '\0';
}

/*
 * glibc's getopt keeps its position inside a cluster such as "-xj" across
 * calls, and opts_parse() only sets optind = 1, which does not clear it. A
 * parse that stopped mid-cluster would leak into the next test, so restart
 * getopt here with optind = 0; the "+" keeps opts_parse()'s stop-at-CMD order,
 * which glibc fixes at the restart and does not re-read on later calls.
 */
static void getopt_restart(void)
{
	char *argv[] = { "x", NULL };

	optind = 0;
	assert_int_equal(getopt(1, argv, "+"), -1);
}

static int parse(struct settings *s, struct cap *c, char **argv)
{
	int argc = 0, rc, fd_out, fd_err, save_out, save_err;

	while (argv[argc])
		argc++;
	getopt_restart();
	fd_out = memfd_create("opts-stdout", 0);
	fd_err = memfd_create("opts-stderr", 0);
	assert_true(fd_out >= 0 && fd_err >= 0);
	fflush(stdout);
	fflush(stderr);
	save_out = dup(STDOUT_FILENO);
	save_err = dup(STDERR_FILENO);
	assert_true(save_out >= 0 && save_err >= 0);
	dup2(fd_out, STDOUT_FILENO);
	dup2(fd_err, STDERR_FILENO);

	rc = opts_parse(argc, argv, s);

	fflush(stdout);
	fflush(stderr);
	dup2(save_out, STDOUT_FILENO);
	dup2(save_err, STDERR_FILENO);
	close(save_out);
	close(save_err);
	slurp(fd_out, c->out, sizeof(c->out));
	slurp(fd_err, c->err, sizeof(c->err));
	close(fd_out);
	close(fd_err);
	return rc;
}

/* argv lives in the caller's block: settings keep pointers into it. */
#define PARSE(s, c, ...) parse(s, c, (char *[]){ "hooksnoop", __VA_ARGS__, NULL })

static void assert_ok(int rc, const struct cap *c)
{
	assert_int_equal(rc, 0);
	assert_string_equal(c->out, "");
	assert_string_equal(c->err, "");
}

/* A usage error: -1, nothing on stdout, exactly one "hooksnoop: " line on stderr. */
static void assert_usage_error(int rc, const struct cap *c)
{
	const char *nl = strchr(c->err, '\n');

	assert_int_equal(rc, -1);
	assert_string_equal(c->out, "");
	assert_true(strncmp(c->err, "hooksnoop: ", 11) == 0);
	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
}

/* The error line names the offending text. */
static void assert_error_names(int rc, const struct cap *c, const char *what)
{
	assert_usage_error(rc, c);
	if (!strstr(c->err, what))
		fail_msg("'%s' not in: %s", what, c->err);
}

static bool has_runtime(const struct settings *s, const char *name)
{
	for (size_t i = 0; i < s->nruntimes; i++)
		if (!strcmp(s->runtimes[i], name))
			return true;
	return false;
}

/* How many runtime names are followed before any -r. */
static size_t default_runtimes(void)
{
	char *argv[] = { "hooksnoop", NULL };
	struct settings s;
	struct cap c;

	assert_ok(parse(&s, &c, argv), &c);
	return s.nruntimes;
}

static void test_defaults(void **state)
{
	char *argv[] = { "hooksnoop", NULL };
	struct settings s;
	struct cap c;

	assert_ok(parse(&s, &c, argv), &c);
	assert_false(s.json);
	assert_false(s.all);
	assert_false(s.wall_time);
	assert_int_equal(s.verbose, 0);
	assert_null(s.output);
	assert_true(s.duration == 0);
	assert_true(s.grace == 5);
	assert_int_equal(s.ncontainers, 0);
	assert_int_equal(s.nexpect, 0);
	assert_int_equal(s.argv_bytes, HS_ARGV_DEFAULT);
	assert_int_equal(s.ringbuf_bytes, 1 << 20);
	assert_int_equal(s.max_tracked, 8192);
	assert_null(s.cmd);
	/* the runtimes the usage text promises are followed without -r */
	assert_true(has_runtime(&s, "crun"));
	assert_true(has_runtime(&s, "runc"));
	assert_true(has_runtime(&s, "youki"));
	assert_true(has_runtime(&s, "runsc"));
	assert_true(has_runtime(&s, "krun"));
	assert_true(has_runtime(&s, "podman"));
	assert_true(s.nruntimes < HS_RUNTIME_NAMES);
	for (size_t i = 0; i < s.nruntimes; i++)
		for (size_t j = i + 1; j < s.nruntimes; j++)
			assert_string_not_equal(s.runtimes[i], s.runtimes[j]);
}

static void test_flags_short(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "-j", "-a", "-T", "-v", "-o", "out.jsonl"), &c);
	assert_true(s.json);
	assert_true(s.all);
	assert_true(s.wall_time);
	assert_int_equal(s.verbose, 1);
	assert_string_equal(s.output, "out.jsonl");

	/* clustered, value attached, -v counted */
	assert_ok(PARSE(&s, &c, "-jaTvvofile"), &c);
	assert_true(s.json && s.all && s.wall_time);
	assert_int_equal(s.verbose, 2);
	assert_string_equal(s.output, "file");
}

static void test_flags_long(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--json", "--all", "--time", "--verbose", "--verbose", "--output",
			"o.txt"),
		  &c);
	assert_true(s.json && s.all && s.wall_time);
	assert_int_equal(s.verbose, 2);
	assert_string_equal(s.output, "o.txt");

	assert_ok(PARSE(&s, &c, "--output=x"), &c);
	assert_string_equal(s.output, "x");
}

static void test_duration(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "-d", "2.5"), &c);
	assert_true(s.duration == 2.5);
	assert_ok(PARSE(&s, &c, "--duration", "60"), &c);
	assert_true(s.duration == 60);
	assert_ok(PARSE(&s, &c, "--duration=31536000"), &c);
	assert_true(s.duration == 31536000);
	assert_ok(PARSE(&s, &c, "-d0.001"), &c);
	assert_true(s.duration == 0.001);

	assert_error_names(PARSE(&s, &c, "-d", "0"), &c, "'0'");
	assert_error_names(PARSE(&s, &c, "-d", "-1"), &c, "'-1'");
	assert_error_names(PARSE(&s, &c, "-d", "abc"), &c, "'abc'");
	assert_error_names(PARSE(&s, &c, "-d", "5s"), &c, "'5s'");
	assert_error_names(PARSE(&s, &c, "-d", ""), &c, "''");
	assert_error_names(PARSE(&s, &c, "-d", "nan"), &c, "'nan'");
	assert_error_names(PARSE(&s, &c, "--duration", "inf"), &c, "'inf'");
	assert_error_names(PARSE(&s, &c, "--duration", "1e999"), &c, "'1e999'");
	assert_error_names(PARSE(&s, &c, "--duration", "31536001"), &c, "'31536001'");
}

static void test_grace(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--grace", "0"), &c);
	assert_true(s.grace == 0);
	assert_ok(PARSE(&s, &c, "--grace=0.5"), &c);
	assert_true(s.grace == 0.5);

	assert_error_names(PARSE(&s, &c, "--grace", "-1"), &c, "--grace '-1'");
	assert_error_names(PARSE(&s, &c, "--grace", "soon"), &c, "--grace 'soon'");
}

static void test_argv_bytes(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--argv-bytes", "64"), &c);
	assert_int_equal(s.argv_bytes, 64);
	assert_ok(PARSE(&s, &c, "--argv-bytes", "32768"), &c);
	assert_int_equal(s.argv_bytes, HS_ARGV_MAX);
	assert_ok(PARSE(&s, &c, "--argv-bytes=8k"), &c);
	assert_int_equal(s.argv_bytes, 8192);
	assert_ok(PARSE(&s, &c, "--argv-bytes", "32K"), &c);
	assert_int_equal(s.argv_bytes, 32768);

	assert_error_names(PARSE(&s, &c, "--argv-bytes", "63"), &c, "'63'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "32769"), &c, "'32769'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "33K"), &c, "'33K'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "-64"), &c, "'-64'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "lots"), &c, "'lots'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "100x"), &c, "'100x'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "1M"), &c, "'1M'");
	assert_error_names(PARSE(&s, &c, "--argv-bytes", "99999999999999999999999"), &c,
			   "from 64 to 32768");
}

static void test_ringbuf_size(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--ringbuf-size", "4096"), &c);
	assert_int_equal(s.ringbuf_bytes, 4096);
	assert_ok(PARSE(&s, &c, "--ringbuf-size", "256k"), &c);
	assert_int_equal(s.ringbuf_bytes, 256 * 1024);
	assert_ok(PARSE(&s, &c, "--ringbuf-size=8M"), &c);
	assert_int_equal(s.ringbuf_bytes, 8 << 20);
	assert_ok(PARSE(&s, &c, "--ringbuf-size", "1024M"), &c);
	assert_int_equal(s.ringbuf_bytes, 1 << 30);

	assert_error_names(PARSE(&s, &c, "--ringbuf-size", "2048"), &c, "'2048'");
	assert_error_names(PARSE(&s, &c, "--ringbuf-size", "2048M"), &c, "'2048M'");
	assert_error_names(PARSE(&s, &c, "--ringbuf-size", "1G"), &c, "'1G'");
	assert_error_names(PARSE(&s, &c, "--ringbuf-size", "-1M"), &c, "'-1M'");
	assert_error_names(PARSE(&s, &c, "--ringbuf-size", "12K"), &c, "power of two");
}

static void test_max_tracked(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--max-tracked", "16"), &c);
	assert_int_equal(s.max_tracked, 16);
	assert_ok(PARSE(&s, &c, "--max-tracked=4M"), &c);
	assert_int_equal(s.max_tracked, 1 << 22);

	assert_error_names(PARSE(&s, &c, "--max-tracked", "15"), &c, "'15'");
	assert_error_names(PARSE(&s, &c, "--max-tracked", "4194305"), &c, "'4194305'");
	assert_error_names(PARSE(&s, &c, "--max-tracked", "many"), &c, "'many'");

	/*
	 * --max is its own option now (an exact name wins over abbreviations);
	 * an unambiguous prefix of --max-tracked still works, "--ma" is refused.
	 */
	assert_ok(PARSE(&s, &c, "--max-t", "100"), &c);
	assert_int_equal(s.max_tracked, 100);
	assert_error_names(PARSE(&s, &c, "--max", "100"), &c, "'100'");
	assert_error_names(PARSE(&s, &c, "--ma", "100"), &c, "ambiguous option '--ma'");
}

static void test_duration_parser(void **state)
{
	unsigned long long ns;

	assert_int_equal(opts_parse_duration("200ms", &ns), 0);
	assert_true(ns == 200000000ull);
	assert_int_equal(opts_parse_duration("2s", &ns), 0);
	assert_true(ns == 2000000000ull);
	assert_int_equal(opts_parse_duration("1.5s", &ns), 0);
	assert_true(ns == 1500000000ull);
	assert_int_equal(opts_parse_duration("500us", &ns), 0);
	assert_true(ns == 500000ull);
	assert_int_equal(opts_parse_duration("7ns", &ns), 0);
	assert_true(ns == 7);
	assert_int_equal(opts_parse_duration("0.25ms", &ns), 0);
	assert_true(ns == 250000ull);
	/* fraction digits below a nanosecond are dropped, not an error */
	assert_int_equal(opts_parse_duration("1.0000000019s", &ns), 0);
	assert_true(ns == 1000000001ull);
	assert_int_equal(opts_parse_duration("86400s", &ns), 0);
	assert_true(ns == 86400000000000ull);

	/* a unit is required: "2" could be seconds or milliseconds */
	assert_int_equal(opts_parse_duration("2", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("ms", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration(".5s", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("1.s", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("-1s", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration(" 1s", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("1 s", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("1e3ms", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("0x10s", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("inf", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("2m", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("2sec", &ns), -EINVAL);
	assert_int_equal(opts_parse_duration("2S", &ns), -EINVAL);
	/* zero, beyond 24 h, and digits that would overflow */
	assert_int_equal(opts_parse_duration("0s", &ns), -ERANGE);
	assert_int_equal(opts_parse_duration("0.1ns", &ns), -ERANGE);
	assert_int_equal(opts_parse_duration("86401s", &ns), -ERANGE);
	assert_int_equal(opts_parse_duration("99999999999999999999999999ns", &ns), -ERANGE);
}

static void test_max_budgets(void **state)
{
	struct settings s;
	struct cap c;
	int st;

	assert_ok(PARSE(&s, &c, "-j"), &c);
	assert_false(s.budgets);
	for (st = 0; st < HS_BUDGET_SLOTS; st++)
		assert_true(s.budget_ns[st] == 0);

	assert_ok(PARSE(&s, &c, "--max", "poststart=2s", "--max=prestart=200ms"), &c);
	assert_true(s.budgets);
	assert_true(s.budget_ns[OCI_POSTSTART] == 2000000000ull);
	assert_string_equal(s.budget_text[OCI_POSTSTART], "2s");
	assert_true(s.budget_ns[OCI_PRESTART] == 200000000ull);
	assert_true(s.budget_ns[OCI_POSTSTOP] == 0);
	assert_true(s.budget_ns[HS_BUDGET_UNKNOWN] == 0);

	/* all covers every stage and unknown ones; a stage named on its own wins, either order */
	assert_ok(PARSE(&s, &c, "--max", "poststart=5s", "--max", "all=1.5s"), &c);
	assert_true(s.budget_ns[OCI_POSTSTART] == 5000000000ull);
	assert_true(s.budget_ns[OCI_CREATE_RUNTIME] == 1500000000ull);
	assert_string_equal(s.budget_text[OCI_CREATE_RUNTIME], "1.5s");
	assert_true(s.budget_ns[HS_BUDGET_UNKNOWN] == 1500000000ull);
	assert_ok(PARSE(&s, &c, "--max", "all=1.5s", "--max", "poststart=5s"), &c);
	assert_true(s.budget_ns[OCI_POSTSTART] == 5000000000ull);
	assert_true(s.budget_ns[OCI_POSTSTOP] == 1500000000ull);
	/* the last --max for a stage wins */
	assert_ok(PARSE(&s, &c, "--max", "poststop=1s", "--max", "poststop=3s"), &c);
	assert_true(s.budget_ns[OCI_POSTSTOP] == 3000000000ull);

	assert_error_names(PARSE(&s, &c, "--max", "2s"), &c, "STAGE=DURATION");
	assert_error_names(PARSE(&s, &c, "--max", "=2s"), &c, "STAGE=DURATION");
	assert_error_names(PARSE(&s, &c, "--max", "Poststart=2s"), &c, "'Poststart=2s'");
	assert_error_names(PARSE(&s, &c, "--max", "unknown=2s"), &c, "STAGE must be");
	assert_error_names(PARSE(&s, &c, "--max", "poststart=2"), &c, "unit");
	assert_error_names(PARSE(&s, &c, "--max", "poststart="), &c, "unit");
	assert_error_names(PARSE(&s, &c, "--max", "poststart=0ms"), &c, "more than 0");
	assert_error_names(PARSE(&s, &c, "--max", "all=2d"), &c, "'all=2d'");
	assert_error_names(PARSE(&s, &c, "--max"), &c, "'--max'");
}

static void test_repeat(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--", "true"), &c);
	assert_int_equal(s.repeat, 0);
	assert_ok(PARSE(&s, &c, "--repeat", "5", "-j", "--", "runc", "run", "c1"), &c);
	assert_int_equal(s.repeat, 5);
	assert_string_equal(s.cmd[0], "runc");
	assert_ok(PARSE(&s, &c, "--repeat=10000", "--", "true"), &c);
	assert_int_equal(s.repeat, 10000);
	assert_ok(PARSE(&s, &c, "--repeat", "1", "--", "true"), &c);
	assert_int_equal(s.repeat, 1);

	assert_error_names(PARSE(&s, &c, "--repeat", "0", "--", "true"), &c, "'0'");
	assert_error_names(PARSE(&s, &c, "--repeat", "10001", "--", "true"), &c, "'10001'");
	assert_error_names(PARSE(&s, &c, "--repeat", "-3", "--", "true"), &c, "'-3'");
	/* decimal, never octal */
	assert_ok(PARSE(&s, &c, "--repeat", "010", "--", "true"), &c);
	assert_int_equal(s.repeat, 10);
	assert_error_names(PARSE(&s, &c, "--repeat", "0x10", "--", "true"), &c, "'0x10'");
	assert_error_names(PARSE(&s, &c, "--repeat", "5k", "--", "true"), &c, "'5k'");
	assert_error_names(PARSE(&s, &c, "--repeat", "99999999999999999999", "--", "true"), &c,
			   "whole number");
	/* live mode has nothing to repeat */
	assert_error_names(PARSE(&s, &c, "--repeat", "3"), &c, "needs a command");
}

static void test_trace_out(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "-j"), &c);
	assert_null(s.trace_out);
	assert_ok(PARSE(&s, &c, "--trace-out", "t.json", "--", "true"), &c);
	assert_string_equal(s.trace_out, "t.json");
	assert_ok(PARSE(&s, &c, "--trace-out=/tmp/x.json"), &c);
	assert_string_equal(s.trace_out, "/tmp/x.json");
	assert_error_names(PARSE(&s, &c, "--trace-out", ""), &c, "--trace-out");
	assert_error_names(PARSE(&s, &c, "--trace-out"), &c, "--trace-out");
	assert_int_equal(PARSE(&s, &c, "--help"), 1);
	assert_non_null(strstr(c.out, "--trace-out FILE"));
	assert_non_null(strstr(c.out, "hooksnoop plot [-o FILE] RECORDS"));
}

static void test_containers(void **state)
{
	char *argv[2 + 2 * (HS_MAX_FILTERS + 1)];
	struct settings s;
	struct cap c;
	int i, n = 0;

	assert_ok(PARSE(&s, &c, "-c", "web-*", "--container", "db", "--container=x", "-cy"), &c);
	assert_int_equal(s.ncontainers, 4);
	assert_string_equal(s.containers[0], "web-*");
	assert_string_equal(s.containers[1], "db");
	assert_string_equal(s.containers[2], "x");
	assert_string_equal(s.containers[3], "y");

	argv[n++] = "hooksnoop";
	for (i = 0; i < HS_MAX_FILTERS; i++) {
		argv[n++] = "-c";
		argv[n++] = "id";
	}
	argv[n] = NULL;
	assert_ok(parse(&s, &c, argv), &c);
	assert_int_equal(s.ncontainers, HS_MAX_FILTERS);

	argv[n++] = "-c";
	argv[n++] = "one-too-many";
	argv[n] = NULL;
	assert_error_names(parse(&s, &c, argv), &c, "too many -c");
}

static void test_runtimes(void **state)
{
	static char names[HS_RUNTIME_NAMES][16];
	char *argv[2 + 2 * HS_RUNTIME_NAMES];
	size_t ndef = default_runtimes();
	struct settings s;
	struct cap c;
	size_t i;
	int n = 0;

	assert_ok(PARSE(&s, &c, "-r", "myrt", "--runtime", "other", "--runtime=crun", "-rthird"),
		  &c);
	assert_int_equal(s.nruntimes, ndef + 3); /* crun is a default: not added twice */
	assert_string_equal(s.runtimes[ndef], "myrt");
	assert_string_equal(s.runtimes[ndef + 1], "other");
	assert_string_equal(s.runtimes[ndef + 2], "third");

	/* a comm is at most 15 bytes and never a path */
	assert_ok(PARSE(&s, &c, "-r", "fifteen-chars-x"), &c);
	assert_error_names(PARSE(&s, &c, "-r", "sixteen-chars-xx"), &c, "'sixteen-chars-xx'");
	assert_error_names(PARSE(&s, &c, "-r", "/usr/bin/youki"), &c, "'/usr/bin/youki'");
	assert_error_names(PARSE(&s, &c, "-r", ""), &c, "''");

	/* the defaults plus new names fill the table exactly; one more is refused */
	argv[n++] = "hooksnoop";
	for (i = 0; i < HS_RUNTIME_NAMES - ndef; i++) {
		snprintf(names[i], sizeof(names[i]), "rt%d", (int)i);
		argv[n++] = "-r";
		argv[n++] = names[i];
	}
	argv[n] = NULL;
	assert_ok(parse(&s, &c, argv), &c);
	assert_int_equal(s.nruntimes, HS_RUNTIME_NAMES);

	argv[n++] = "-r";
	argv[n++] = "extra";
	argv[n] = NULL;
	assert_error_names(parse(&s, &c, argv), &c, "too many runtime names");
}

static void test_expect(void **state)
{
	static char *stages[] = {
		"prestart",  "createRuntime", "createContainer", "startContainer",
		"poststart", "poststop",      "all",
	};
	char *argv[2 + 2 * (HS_MAX_EXPECT + 1)];
	struct settings s;
	struct cap c;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		assert_ok(PARSE(&s, &c, "--expect", stages[i]), &c);
		assert_int_equal(s.nexpect, 1);
		assert_string_equal(s.expect[0], stages[i]);
	}
	assert_ok(PARSE(&s, &c, "--expect=poststart", "--expect", "prestart"), &c);
	assert_int_equal(s.nexpect, 2);

	/* stage names are exact: runc's case folding is not the user's interface */
	assert_error_names(PARSE(&s, &c, "--expect", "Poststart"), &c, "'Poststart'");
	assert_error_names(PARSE(&s, &c, "--expect", "start"), &c, "'start'");
	assert_error_names(PARSE(&s, &c, "--expect="), &c, "''");

	argv[n++] = "hooksnoop";
	for (i = 0; i < HS_MAX_EXPECT; i++) {
		argv[n++] = "--expect";
		argv[n++] = "poststart";
	}
	argv[n] = NULL;
	assert_ok(parse(&s, &c, argv), &c);
	assert_int_equal(s.nexpect, HS_MAX_EXPECT);
	argv[n++] = "--expect";
	argv[n++] = "poststop";
	argv[n] = NULL;
	assert_error_names(parse(&s, &c, argv), &c, "too many --expect");
}

static void test_metrics_junit(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "--metrics", ":9464", "--metrics-file", "/tmp/m.prom"), &c);
	assert_string_equal(s.metrics_addr, ":9464");
	assert_string_equal(s.metrics_at.text, "127.0.0.1:9464");
	assert_true(s.metrics_at.loopback);
	assert_string_equal(s.metrics_file, "/tmp/m.prom");
	assert_ok(PARSE(&s, &c, "--metrics", "0.0.0.0:9464"), &c);
	assert_false(s.metrics_at.loopback);
	assert_error_names(PARSE(&s, &c, "--metrics", "node1:9464"), &c, "'node1:9464'");
	assert_non_null(strstr(c.err, "names are not resolved"));
	assert_error_names(PARSE(&s, &c, "--metrics", ":99999"), &c, "0 to 65535");
	assert_error_names(PARSE(&s, &c, "--metrics-file", ""), &c, "--metrics-file ''");

	assert_ok(PARSE(&s, &c, "--junit", "j.xml", "--expect", "all", "--", "true"), &c);
	assert_string_equal(s.junit, "j.xml");
	assert_ok(PARSE(&s, &c, "--junit", "j.xml", "--max", "all=1s", "--", "true"), &c);
	/* JUnit is CI mode's, and its test cases are the expectations */
	assert_error_names(PARSE(&s, &c, "--junit", "j.xml", "--expect", "all"), &c,
			   "needs a command");
	assert_error_names(PARSE(&s, &c, "--junit", "j.xml", "--", "true"), &c,
			   "--expect and --max");
	assert_error_names(PARSE(&s, &c, "--junit", "", "--expect", "all", "--", "true"), &c,
			   "--junit ''");
}

static void test_help_version(void **state)
{
	struct settings s;
	struct cap c;

	assert_int_equal(PARSE(&s, &c, "--help"), 1);
	assert_true(strncmp(c.out, "Usage: hooksnoop [OPTIONS]", 26) == 0);
	assert_non_null(strstr(c.out, "--max-tracked N"));
	assert_non_null(strstr(c.out, "--max STAGE=DUR"));
	assert_non_null(strstr(c.out, "--repeat N"));
	assert_non_null(strstr(c.out, "hooksnoop compare"));
	assert_non_null(strstr(c.out, "--metrics ADDR"));
	assert_non_null(strstr(c.out, "--metrics-file PATH"));
	assert_non_null(strstr(c.out, "--junit FILE"));
	/* the usage text fits 80 columns */
	for (const char *l = c.out; *l;) {
		const char *nl = strchr(l, '\n');

		assert_non_null(nl);
		assert_true(nl - l <= 80);
		l = nl + 1;
	}
	assert_string_equal(c.err, "");
	assert_int_equal(PARSE(&s, &c, "-h"), 1);
	assert_true(strncmp(c.out, "Usage: ", 7) == 0);
	/* help wins over a later bad option: parsing stops at -h */
	assert_int_equal(PARSE(&s, &c, "-j", "-h", "--bogus"), 1);
	assert_string_equal(c.err, "");

	assert_int_equal(PARSE(&s, &c, "--version"), 1);
	assert_string_equal(c.out, "hooksnoop " HOOKSNOOP_VERSION "\n");
	assert_string_equal(c.err, "");
	assert_int_equal(PARSE(&s, &c, "-V"), 1);
	assert_string_equal(c.out, "hooksnoop " HOOKSNOOP_VERSION "\n");
}

static void test_unknown_and_missing(void **state)
{
	struct settings s;
	struct cap c;

	assert_error_names(PARSE(&s, &c, "-x"), &c, "'-x'");
	assert_error_names(PARSE(&s, &c, "-jx"), &c, "'-x'");
	assert_error_names(PARSE(&s, &c, "--bogus"), &c, "'--bogus'");
	/* ambiguous prefix: --r is --runtime or --ringbuf-size */
	assert_error_names(PARSE(&s, &c, "--r", "x"), &c, "'--r'");
	/* a value given to a flag */
	assert_usage_error(PARSE(&s, &c, "--json=yes"), &c);

	assert_error_names(PARSE(&s, &c, "-d"), &c, "'-d'");
	assert_error_names(PARSE(&s, &c, "-j", "-o"), &c, "'-o'");
	assert_error_names(PARSE(&s, &c, "--grace"), &c, "'--grace'");
	assert_error_names(PARSE(&s, &c, "--expect"), &c, "'--expect'");
	assert_error_names(PARSE(&s, &c, "--ringbuf-size"), &c, "'--ringbuf-size'");
}

static void test_ci_mode(void **state)
{
	struct settings s;
	struct cap c;

	assert_ok(PARSE(&s, &c, "-j", "--expect", "poststart", "--", "podman", "run", "-j", "-a",
			"--", "img"),
		  &c);
	assert_non_null(s.cmd);
	assert_string_equal(s.cmd[0], "podman");
	assert_string_equal(s.cmd[1], "run");
	/* CMD's options are CMD's: not parsed as ours */
	assert_string_equal(s.cmd[2], "-j");
	assert_string_equal(s.cmd[3], "-a");
	assert_string_equal(s.cmd[4], "--");
	assert_string_equal(s.cmd[5], "img");
	assert_null(s.cmd[6]);
	assert_true(s.json);
	assert_false(s.all);

	assert_ok(PARSE(&s, &c, "--", "true"), &c);
	assert_string_equal(s.cmd[0], "true");
	assert_null(s.cmd[1]);

	/* a CMD that looks like an option after -- is still CMD */
	assert_ok(PARSE(&s, &c, "--", "-j"), &c);
	assert_string_equal(s.cmd[0], "-j");
	assert_false(s.json);

	assert_ok(PARSE(&s, &c, "--grace", "1", "--", "true"), &c);
	assert_true(s.grace == 1);
}

static void test_ci_mode_errors(void **state)
{
	struct settings s;
	struct cap c;

	/* CMD needs "--": a stray word is more likely a typo than a command */
	assert_error_names(PARSE(&s, &c, "podman", "run", "img"), &c, "'podman'");
	assert_error_names(PARSE(&s, &c, "-j", "podman", "-a"), &c, "'podman'");
	assert_usage_error(PARSE(&s, &c, "--"), &c);
	assert_usage_error(PARSE(&s, &c, "-j", "--"), &c);
	/* the run ends when CMD exits: a duration makes no sense */
	assert_error_names(PARSE(&s, &c, "-d", "5", "--", "true"), &c, "--duration");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_flags_short),
		cmocka_unit_test(test_flags_long),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_grace),
		cmocka_unit_test(test_argv_bytes),
		cmocka_unit_test(test_ringbuf_size),
		cmocka_unit_test(test_max_tracked),
		cmocka_unit_test(test_duration_parser),
		cmocka_unit_test(test_max_budgets),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_trace_out),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_runtimes),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_metrics_junit),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_unknown_and_missing),
		cmocka_unit_test(test_ci_mode),
		cmocka_unit_test(test_ci_mode_errors),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
