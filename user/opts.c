// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Command-line parsing for trace runs (getopt_long) into struct settings, and
 * the usage text. Validation happens here so that every later module can trust
 * the settings: bad values end the run with one line on stderr, exit 2.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "opts.h"
#include "rtdetect.h"
#include "version.h" /* generated: build/version.h */

enum {
	OPT_EXPECT = 0x100,
	OPT_GRACE,
	OPT_ARGV_BYTES,
	OPT_RINGBUF,
	OPT_MAX_TRACKED,
	OPT_ROOT_RATE,
	OPT_SRC_MAX_TRACKED,
	OPT_REPEAT,
	OPT_MAX,
	OPT_TRACE_OUT,
	OPT_SLOW,
	OPT_METRICS,
	OPT_METRICS_FILE,
	OPT_JUNIT,
	OPT_OUTPUT_BYTES,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "container", required_argument, NULL, 'c' },
	{ "runtime", required_argument, NULL, 'r' },
	{ "all", no_argument, NULL, 'a' },
	{ "time", no_argument, NULL, 'T' },
	{ "duration", required_argument, NULL, 'd' },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "argv-bytes", required_argument, NULL, OPT_ARGV_BYTES },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "max-tracked", required_argument, NULL, OPT_MAX_TRACKED },
	{ "root-rate", required_argument, NULL, OPT_ROOT_RATE },
	{ "source-max-tracked", required_argument, NULL, OPT_SRC_MAX_TRACKED },
	/*
	 * getopt_long takes an exact name before any abbreviation, so --max is
	 * this option and --max-t... still abbreviates --max-tracked; --ma is
	 * ambiguous and refused.
	 */
	{ "max", required_argument, NULL, OPT_MAX },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "trace-out", required_argument, NULL, OPT_TRACE_OUT },
	{ "slow", required_argument, NULL, OPT_SLOW },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "env", no_argument, NULL, 'e' },
	{ "output-bytes", required_argument, NULL, OPT_OUTPUT_BYTES },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{},
};

void opts_usage(FILE *f)
{
	fputs("Usage: hooksnoop [OPTIONS]                  trace live until Ctrl-C / --duration\n"
	      "       hooksnoop [OPTIONS] -- CMD [ARG...]  run CMD under tracing (CI mode)\n"
	      "       hooksnoop lint [--json] PATH...      check config.json, bundles, hooks.d,\n"
	      "                                            CDI specs\n"
	      "       hooksnoop compare [--json] [--threshold PCT] BASE NEW\n"
	      "                                            hook timing regressions between runs\n"
	      "       hooksnoop plot [-o FILE] RECORDS     SVG timeline of -j records\n"
	      "       hooksnoop demo                       run sample containers with hooks\n"
	      "\n"
	      "Shows which OCI hooks container runtimes (crun, runc, youki, podman) ran, when,\n"
	      "for how long and how they ended, per container and stage.\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json             JSON Lines records instead of text\n"
	      "  -o, --output FILE      write records to FILE instead of stdout\n"
	      "      --trace-out FILE   also write a Chrome trace-event JSON file (open it in\n"
	      "                         ui.perfetto.dev or chrome://tracing)\n"
	      "      --metrics ADDR     serve Prometheus metrics at http://ADDR/metrics; ADDR\n"
	      "                         is [HOST]:PORT or PORT, loopback unless HOST is given\n"
	      "                         as a number (:9464 = 127.0.0.1:9464; 0.0.0.0:9464 =\n"
	      "                         every interface; [::1]:9464)\n"
	      "      --metrics-file PATH  write the metrics to PATH every 5s and at exit, by\n"
	      "                         atomic rename (node_exporter textfile collector)\n"
	      "      --junit FILE       CI mode: JUnit XML, a test case per container and\n"
	      "                         expectation or budget, failures as stderr says them\n"
	      "  -c, --container ID     only this container (glob; repeatable)\n"
	      "  -r, --runtime NAME     also follow runtime binaries of this comm (repeatable)\n"
	      "  -a, --all              also show every exec/exit in runtime trees\n"
	      "  -T, --time             wall-clock timestamps in text output\n"
	      "  -d, --duration SEC     stop after SEC seconds\n"
	      "      --expect STAGE     CI mode: STAGE hooks must be configured, fire, succeed\n"
	      "                         (prestart createRuntime createContainer startContainer\n"
	      "                         poststart poststop, or all; repeatable)\n"
	      "      --max STAGE=DUR    budget: a STAGE hook (any hook with all) running longer\n"
	      "                         than DUR (200ms, 2s, 1.5s, 500us) fails (repeatable)\n"
	      "      --repeat N         CI mode: run CMD N times under one trace; records carry\n"
	      "                         \"run\" (0-based); stops after the first failed run\n"
	      "      --grace SEC        CI mode: wait up to SEC for in-flight runtime/hook\n"
	      "                         processes after CMD exits (default 5)\n"
	      "      --slow SEC         report a hook still running after SEC (default 10)\n"
	      "                         and each time its running time doubles: what it\n"
	      "                         waits in (wchan) and its children; 0 turns it off\n"
	      "  -e, --env              record each hook's environment (values of names with\n"
	      "                         TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL shown as ***)\n"
	      "      --output-bytes N   last N bytes of each hook's stdout and stderr kept\n"
	      "                         (default 1024, max 8192; 0 turns capture off)\n"
	      "      --argv-bytes N     argv bytes captured per exec (default 4096, max 32768)\n"
	      "      --ringbuf-size N   kernel ring buffer size, K/M suffix (default 1M)\n"
	      "      --max-tracked N    processes followed at once (default 8192)\n"
	      "      --root-rate N      new runtime roots a second per source (mount namespace\n"
	      "                         + uid; default 256, 0 = no bound); the rest are refused\n"
	      "                         and that source's containers marked unknown\n"
	      "      --source-max-tracked N\n"
	      "                         processes one source may have followed at once (default\n"
	      "                         half of --max-tracked, 0 = no bound); the rest are not\n"
	      "                         followed and that source's containers marked unknown\n"
	      "  -v, --verbose          debug output, including libbpf's log\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          print the version\n"
	      "\n"
	      "Exit status (CI mode): 0 CMD succeeded and every expectation and budget held;\n"
	      "CMD's status if CMD failed; 3 an expectation or budget failed or could not be\n"
	      "verified.\n"
	      "\n"
	      "Examples:\n"
	      "  hooksnoop                                   # timelines of every container\n"
	      "  hooksnoop -a -T                             # every runtime exec, wall time\n"
	      "  hooksnoop -j -o hooks.jsonl -d 60           # one minute of JSON records\n"
	      "  hooksnoop --expect poststart -- podman run --rm img true\n"
	      "  hooksnoop -j -o new.jsonl --repeat 20 --max all=2s -- runc run -b b c1\n"
	      "  hooksnoop compare base.jsonl new.jsonl\n"
	      "  hooksnoop -j -o run.jsonl --trace-out run.json -- runc run -b b c1\n"
	      "  hooksnoop plot -o run.svg run.jsonl\n"
	      "  hooksnoop --metrics :9464 --metrics-file /var/lib/node_exporter/hooksnoop.prom\n"
	      "  hooksnoop --junit hooks.xml --expect all -- podman run --rm img true\n"
	      "  hooksnoop lint bundle/config.json /etc/containers/oci/hooks.d\n",
	      f);
}

static int parse_seconds(const char *opt, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 31536000) {
		hs_err("invalid %s '%s': expected seconds (e.g. 5 or 0.5)", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_size(const char *opt, const char *arg, unsigned long long lo,
		      unsigned long long hi, unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	errno = 0;
	if (arg[0] == '-')
		goto bad;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg)
		goto bad;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	if (*end || v > hi / mul || v * mul < lo)
		goto bad;
	*out = v * mul;
	return 0;
bad:
	hs_err("invalid %s '%s': expected a number from %llu to %llu", opt, arg, lo, hi);
	return -1;
}

/* A plain decimal count from 1 to hi (no sign, suffix, octal or hex). */
static int parse_count(const char *opt, const char *arg, unsigned int hi, unsigned int *out)
{
	unsigned long v = 0;
	const char *p;

	for (p = arg; *p >= '0' && *p <= '9' && v <= hi; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == arg || *p || v < 1 || v > hi) {
		hs_err("invalid %s '%.64s': expected a whole number from 1 to %u", opt, arg, hi);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

int opts_parse_duration(const char *arg, unsigned long long *ns)
{
	static const struct {
		const char *name;
		unsigned long long ns;
	} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 } };
	const unsigned long long max = 86400ull * 1000000000;
	unsigned long long ip = 0, frac = 0, scale = 1, mul = 0;
	const char *p = arg;
	size_t i;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (ip > max)
			return -ERANGE; /* keeps ip * 10 far from overflowing */
		ip = ip * 10 + (unsigned long long)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		/* digits past the ninth are below a nanosecond in every unit */
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale < 1000000000)
				frac = frac * 10 + (unsigned long long)(*p - '0'), scale *= 10;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(p, units[i].name))
			mul = units[i].ns;
	if (!mul)
		return -EINVAL;
	if (ip > max / mul)
		return -ERANGE;
	*ns = ip * mul + frac * mul / scale;
	if (!*ns || *ns > max)
		return -ERANGE;
	return 0;
}

/* --max STAGE=DURATION; `all` fills the stages not named on their own (opts_parse end). */
static int add_budget(struct settings *s, const char *arg, bool named[HS_BUDGET_SLOTS],
		      unsigned long long *all_ns, const char **all_text)
{
	const char *eq = strchr(arg, '=');
	char stage[32];
	unsigned long long ns;
	int st, err;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(stage)) {
		hs_err("invalid --max '%.64s': expected STAGE=DURATION (e.g. poststart=2s or "
		       "all=500ms)",
		       arg);
		return -1;
	}
	memcpy(stage, arg, (size_t)(eq - arg));
	stage[eq - arg] = '\0';
	st = strcmp(stage, "all") ? oci_stage_from_name(stage) : HS_BUDGET_SLOTS;
	if (st < 0) {
		hs_err("invalid --max '%.64s': STAGE must be prestart, createRuntime, "
		       "createContainer, startContainer, poststart, poststop or all",
		       arg);
		return -1;
	}
	err = opts_parse_duration(eq + 1, &ns);
	if (err) {
		hs_err("invalid --max '%.64s': %s", arg,
		       err == -ERANGE ? "DURATION must be more than 0 and at most 24h"
				      : "DURATION is a number with a unit: ns, us, ms or s (e.g. "
					"200ms, 2s, 1.5s)");
		return -1;
	}
	s->budgets = true;
	if (st == HS_BUDGET_SLOTS) {
		*all_ns = ns;
		*all_text = eq + 1;
		return 0;
	}
	named[st] = true; /* the last --max for a stage wins */
	s->budget_ns[st] = ns;
	s->budget_text[st] = eq + 1;
	return 0;
}

static int add_runtime(struct settings *s, const char *name)
{
	size_t i;

	if (!*name || strlen(name) >= HS_COMM_LEN || strchr(name, '/')) {
		hs_err("invalid runtime name '%.64s': give the process name (comm, at most %d "
		       "characters), e.g. -r youki",
		       name, HS_COMM_LEN - 1);
		return -1;
	}
	for (i = 0; i < s->nruntimes; i++)
		if (!strcmp(s->runtimes[i], name))
			return 0;
	if (s->nruntimes == HS_RUNTIME_NAMES) {
		hs_err("too many runtime names (at most %d)", HS_RUNTIME_NAMES);
		return -1;
	}
	s->runtimes[s->nruntimes++] = name;
	return 0;
}

int opts_parse(int argc, char **argv, struct settings *s)
{
	bool named[HS_BUDGET_SLOTS] = {};
	unsigned long long v, all_ns = 0;
	const char *all_text = NULL;
	size_t i;
	int c;

	memset(s, 0, sizeof(*s));
	s->grace = 5;
	s->slow = 10;
	s->argv_bytes = HS_ARGV_DEFAULT;
	s->output_bytes = HS_OUTPUT_DEFAULT;
	s->ringbuf_bytes = 1 << 20;
	s->max_tracked = 8192;
	s->root_rate = 256;
	s->src_max_tracked = UINT_MAX; /* half of --max-tracked, once that is known */
	/* the defaults come from the one runtime table (rtdetect.c) */
	s->nruntimes = rt_default_comms(s->runtimes, HS_RUNTIME_NAMES);
	if (s->nruntimes > HS_RUNTIME_NAMES)
		s->nruntimes = HS_RUNTIME_NAMES;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:jo:c:r:aeTd:vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			s->json = true;
			break;
		case 'o':
			s->output = optarg;
			break;
		case 'c':
			if (s->ncontainers == HS_MAX_FILTERS) {
				hs_err("too many -c filters (at most %d)", HS_MAX_FILTERS);
				return -1;
			}
			s->containers[s->ncontainers++] = optarg;
			break;
		case 'r':
			if (add_runtime(s, optarg))
				return -1;
			break;
		case 'a':
			s->all = true;
			break;
		case 'T':
			s->wall_time = true;
			break;
		case 'e':
			s->env = true;
			break;
		case OPT_OUTPUT_BYTES:
			if (parse_size("--output-bytes", optarg, 0, HS_OUTPUT_MAX, &v))
				return -1;
			s->output_bytes = (unsigned int)v;
			break;
		case 'd':
			if (parse_seconds("--duration", optarg, &s->duration))
				return -1;
			if (s->duration == 0) {
				hs_err("invalid --duration '%s': must be more than 0", optarg);
				return -1;
			}
			break;
		case OPT_GRACE:
			if (parse_seconds("--grace", optarg, &s->grace))
				return -1;
			break;
		case OPT_SLOW:
			if (parse_seconds("--slow", optarg, &s->slow))
				return -1;
			break;
		case OPT_EXPECT:
			/* the one stage-name table (oci.c), plus "all" */
			if (strcmp(optarg, "all") && oci_stage_from_name(optarg) < 0) {
				hs_err("invalid --expect '%.64s': expected prestart, createRuntime, "
				       "createContainer, startContainer, poststart, poststop or all",
				       optarg);
				return -1;
			}
			if (s->nexpect == HS_MAX_EXPECT) {
				hs_err("too many --expect (at most %d)", HS_MAX_EXPECT);
				return -1;
			}
			s->expect[s->nexpect++] = optarg;
			break;
		case OPT_ARGV_BYTES:
			if (parse_size("--argv-bytes", optarg, 64, HS_ARGV_MAX, &v))
				return -1;
			s->argv_bytes = (unsigned int)v;
			break;
		case OPT_RINGBUF:
			if (parse_size("--ringbuf-size", optarg, 4096, 1ULL << 30, &v))
				return -1;
			if (v & (v - 1)) {
				hs_err("invalid --ringbuf-size '%s': must be a power of two (e.g. 256K, "
				       "1M, 8M)",
				       optarg);
				return -1;
			}
			s->ringbuf_bytes = (unsigned int)v;
			break;
		case OPT_MAX_TRACKED:
			if (parse_size("--max-tracked", optarg, 16, 1 << 22, &v))
				return -1;
			s->max_tracked = (unsigned int)v;
			break;
		case OPT_ROOT_RATE:
			if (parse_size("--root-rate", optarg, 0, 1 << 20, &v))
				return -1;
			s->root_rate = (unsigned int)v;
			break;
		case OPT_SRC_MAX_TRACKED:
			if (parse_size("--source-max-tracked", optarg, 0, 1 << 22, &v))
				return -1;
			s->src_max_tracked = (unsigned int)v;
			break;
		case OPT_REPEAT:
			if (parse_count("--repeat", optarg, HS_REPEAT_MAX, &s->repeat))
				return -1;
			break;
		case OPT_TRACE_OUT:
			if (!*optarg) {
				hs_err("invalid --trace-out '': give a file to write the trace to");
				return -1;
			}
			s->trace_out = optarg;
			break;
		case OPT_METRICS: {
			const char *why;

			if (metrics_parse_addr(optarg, &s->metrics_at, &why)) {
				hs_err("invalid --metrics '%.64s': %s", optarg, why);
				return -1;
			}
			s->metrics_addr = optarg;
			break;
		}
		case OPT_METRICS_FILE:
		case OPT_JUNIT:
			if (!*optarg) {
				hs_err("invalid %s '': give a file to write",
				       c == OPT_JUNIT ? "--junit" : "--metrics-file");
				return -1;
			}
			*(c == OPT_JUNIT ? &s->junit : &s->metrics_file) = optarg;
			break;
		case OPT_MAX:
			if (add_budget(s, optarg, named, &all_ns, &all_text))
				return -1;
			break;
		case 'v':
			s->verbose++;
			break;
		case 'h':
			opts_usage(stdout);
			return 1;
		case 'V':
			printf("hooksnoop %s\n", HOOKSNOOP_VERSION);
			return 1;
		case ':':
			hs_err("option '%s' needs a value (see hooksnoop --help)", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				hs_err("unknown option '-%c' (see hooksnoop --help)", optopt);
			else
				hs_err("unknown or ambiguous option '%.64s' (see hooksnoop --help)",
				       argv[optind - 1]);
			return -1;
		}
	}

	if (s->src_max_tracked == UINT_MAX)
		s->src_max_tracked = s->max_tracked / 2;
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") != 0) {
			hs_err("unexpected argument '%.64s': to run a command under tracing use "
			       "'hooksnoop [OPTIONS] -- CMD ARGS'",
			       argv[optind]);
			return -1;
		}
		s->cmd = &argv[optind];
	} else if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
		hs_err("'--' must be followed by a command to run");
		return -1;
	}
	for (i = 0; i < HS_BUDGET_SLOTS; i++) {
		if (!named[i] && all_ns) {
			s->budget_ns[i] = all_ns;
			s->budget_text[i] = all_text;
		}
	}
	if (s->repeat && !s->cmd) {
		hs_err("--repeat needs a command to repeat: hooksnoop --repeat N -- CMD ARGS");
		return -1;
	}
	if (s->junit && !s->cmd) {
		hs_err("--junit needs a command to judge: hooksnoop --junit FILE --expect STAGE -- "
		       "CMD ARGS");
		return -1;
	}
	if (s->junit && !s->nexpect && !s->budgets) {
		hs_err("--junit has nothing to report: its test cases are the --expect and --max "
		       "checks");
		return -1;
	}
	if (s->cmd && s->duration) {
		hs_err("--duration cannot be combined with a command: hooksnoop stops when the "
		       "command exits");
		return -1;
	}
	return 0;
}
