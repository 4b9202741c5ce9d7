// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Drives a trace run: parses options, starts CMD (CI mode) held on a pipe
 * until the programs are attached, loads and attaches the tracer, seeds
 * runtimes already running, polls the ring buffer into the correlator,
 * reports kernel-side drops as they happen (and marks the containers they
 * touch), runs CMD again for --repeat (telling the model when each run
 * starts), waits for in-flight runtime and hook processes after the last
 * run (--grace), and ends with the summary and the right exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uthash.h>

#include "correlate.h"
#include "expect.h"
#include "jsonw.h"
#include "junit.h"
#include "loader.h"
#include "log.h"
#include "output.h"
#include "report.h"
#include "sdnotify.h"
#include "sink_metrics.h"
#include "sink_plot.h"
#include "sink_trace.h"
#include "sinks.h"
#include "trace.h"

/*
 * HOOKSNOOP_STATS=1: delivery figures for the benchmarks, a JSON line on
 * stderr at exit. Latencies (kernel timestamp -> record handled and written,
 * microseconds) go into a fixed log histogram: exact below 128 us, then 64
 * buckets per power of two (quantiles within 1.6 %), so a soak of millions
 * of records keeps the same 14 KiB (a sample array grew 4 bytes a record).
 */
#define LAT_SUB_BITS 6
#define LAT_EXACT (2u << LAT_SUB_BITS)
#define LAT_BUCKETS (LAT_EXACT + (32 - LAT_SUB_BITS - 1) * (1u << LAT_SUB_BITS))

struct trace_stats {
	bool on;
	__u64 delivered;
	__u64 lat[LAT_BUCKETS];
	__u64 nlat;
	__u32 lat_max;
	__u64 src_reads;   /* reads of the kernel's per-source refusal counts */
	__u64 src_read_ns; /* and the time they took */
};

static unsigned lat_bucket(__u32 us)
{
	unsigned e;

	if (us < LAT_EXACT)
		return us;
	e = 31 - (unsigned)__builtin_clz(us); /* >= LAT_SUB_BITS + 1 */
	return LAT_EXACT + (e - LAT_SUB_BITS - 1) * (1u << LAT_SUB_BITS) +
	       ((us >> (e - LAT_SUB_BITS)) & ((1u << LAT_SUB_BITS) - 1));
}

/* The smallest value of bucket b. */
static __u32 lat_floor(unsigned b)
{
	unsigned e, sub;

	if (b < LAT_EXACT)
		return b;
	e = (b - LAT_EXACT) / (1u << LAT_SUB_BITS) + LAT_SUB_BITS + 1;
	sub = (b - LAT_EXACT) % (1u << LAT_SUB_BITS);
	return (__u32)((1ull << e) | ((__u64)sub << (e - LAT_SUB_BITS)));
}

/* The value of 0-based rank r of the recorded latencies (to the bucket's floor). */
static __u32 lat_rank(const struct trace_stats *st, __u64 r)
{
	__u64 seen = 0;
	unsigned b;

	for (b = 0; b < LAT_BUCKETS; b++) {
		seen += st->lat[b];
		if (seen > r)
			return lat_floor(b);
	}
	return st->lat_max;
}

enum { REF_ROOT, REF_TRACK, REF_KINDS };

struct trace {
	struct trace_stats st;
	__u64 last_record_ns; /* when the last record was handled */
	const struct settings *s;
	struct output out;
	struct report rep;
	struct sink *expect; /* owned by rep */
	struct sink *metrics; /* owned by rep; NULL without --metrics / --metrics-file */
	struct tracer tr;
	struct correlator *corr;
	__u64 drops_seen; /* ring buffer + tracking drops already reported */
	__u32 drops_stamp; /* the kernel's loss count at the last check */
	__u64 drop_rb, drop_track, drop_unwatched;
	/*
	 * Refusals of the kernel's per-source bounds, per kind (REF_*): runtime
	 * roots over --root-rate, processes over --source-max-tracked.
	 */
	__u32 refused_seen[REF_KINDS];	/* the kernel's totals at the last check */
	__u64 refused_total[REF_KINDS];
	struct src_seen *srcs;	/* refusals reported per source */
	unsigned nsrcs;
	__u64 refused_attr[REF_KINDS];	 /* charged to a known source, ever */
	__u64 refused_anon[REF_KINDS];	 /* charged to no known source, ever */
	__u64 refused_unattr[REF_KINDS]; /* of those, not in a `lost` record yet */
	__u64 refusals_flushed_ns;
};

/* Refusals of one source already reported. */
struct src_seen {
	struct hs_src_id id;
	__u32 mntns, uid;
	__u32 refused[REF_KINDS];
	__u32 pending[REF_KINDS];	/* not yet in a `lost` record */
	UT_hash_handle hh;
};
#define SRC_SEEN_MAX 8192

static volatile sig_atomic_t stop_signal;
static volatile pid_t child_pid;

static void on_signal(int sig)
{
	stop_signal = sig;
	if (child_pid > 0 && sig == SIGTERM)
		kill(child_pid, SIGTERM);
}

/* A source's refusals so far, from the kernel's map: charge what is new. */
static void on_source(void *ctx, const struct hs_src_id *id, const struct hs_src_rate *v)
{
	struct trace *t = ctx;
	const __u32 now[REF_KINDS] = { v->refused, v->trk_refused };
	__u32 before[REF_KINDS] = { 0, 0 };
	bool more = false;
	struct src_seen *x;
	int k;

	HASH_FIND(hh, t->srcs, id, sizeof(*id), x);
	if (x)
		memcpy(before, x->refused, sizeof(before));
	else if (t->nsrcs < SRC_SEEN_MAX && (x = calloc(1, sizeof(*x)))) {
		x->id = *id;
		x->mntns = v->mntns;
		x->uid = v->uid;
		HASH_ADD(hh, t->srcs, id, sizeof(x->id), x);
		t->nsrcs++;
	}
	for (k = 0; k < REF_KINDS; k++)
		more |= now[k] > before[k];
	if (!more)
		return;
	correlator__on_source_lost(t->corr, false, HS_SRC_KEY(v->mntns, v->uid));
	for (k = 0; k < REF_KINDS; k++) {
		if (now[k] <= before[k])
			continue;
		if (!x) { /* past SRC_SEEN_MAX: said as from no known source */
			t->refused_anon[k] += now[k];
			t->refused_unattr[k] += now[k];
			continue;
		}
		x->refused[k] = now[k];
		x->pending[k] += now[k] - before[k];
		t->refused_attr[k] += now[k] - before[k];
	}
}

/*
 * The `lost` records for refusals: one per source at most once a second
 * (a flood refused thousands of times a second would otherwise print a
 * line per record handled); the containers were marked at once.
 */
static void flush_refusals(struct trace *t, bool force)
{
	__u64 now = mono_now_ns();
	struct src_seen *x, *tmp;

	if (!force && now - t->refusals_flushed_ns < 1000000000ULL)
		return;
	t->refusals_flushed_ns = now;
	HASH_ITER(hh, t->srcs, x, tmp) {
		struct loss_rec l = {
			.count = (__u64)x->pending[REF_ROOT] + x->pending[REF_TRACK],
			.refused = x->pending[REF_ROOT],
			.track_refused = x->pending[REF_TRACK],
			.src_known = true,
			.src_mntns = x->mntns,
			.src_uid = x->uid,
			.ts_ns = now,
		};

		if (!l.count)
			continue;
		report__lost(&t->rep, &l);
		memset(x->pending, 0, sizeof(x->pending));
	}
	if (t->refused_unattr[REF_ROOT] || t->refused_unattr[REF_TRACK]) {
		struct loss_rec l = {
			.count = t->refused_unattr[REF_ROOT] + t->refused_unattr[REF_TRACK],
			.refused = t->refused_unattr[REF_ROOT],
			.track_refused = t->refused_unattr[REF_TRACK],
			.ts_ns = now,
		};

		report__lost(&t->rep, &l);
		memset(t->refused_unattr, 0, sizeof(t->refused_unattr));
	}
}

/*
 * Refused by the kernel's per-source bounds (new roots, tracked processes)?
 * Checked before every record is handled (two loads of mmap'ed counters): a
 * refusal that happened before a container's last record is then always
 * charged to it.
 */
static void check_refusals(struct trace *t)
{
	const __u32 now[REF_KINDS] = { tracer__refused(&t->tr), tracer__track_refused(&t->tr) };
	bool moved = false;
	int k;

	for (k = 0; k < REF_KINDS; k++) {
		if (now[k] != t->refused_seen[k]) {
			t->refused_total[k] += now[k] - t->refused_seen[k];
			t->refused_seen[k] = now[k];
			moved = true;
		}
	}
	if (moved) {
		__u64 t0 = t->st.on ? mono_now_ns() : 0;

		tracer__sources(&t->tr, on_source, t);
		if (t->st.on) {
			t->st.src_reads++;
			t->st.src_read_ns += mono_now_ns() - t0;
		}
		/*
		 * Sources evicted from the kernel's LRU map meanwhile: from anyone.
		 * Compared ever-to-ever: a source's count read from the map can be
		 * ahead of the total read just before (it is bumped first).
		 */
		for (k = 0; k < REF_KINDS; k++) {
			__u64 known = t->refused_attr[k] + t->refused_anon[k];

			if (known < t->refused_total[k]) {
				t->refused_anon[k] += t->refused_total[k] - known;
				t->refused_unattr[k] += t->refused_total[k] - known;
				correlator__on_source_lost(t->corr, true, 0);
			}
		}
	}
	if (t->refused_total[REF_ROOT] || t->refused_total[REF_TRACK])
		flush_refusals(t, false);
}

static void on_event(void *ctx, const struct hs_event *ev)
{
	struct trace *t = ctx;

	check_refusals(t);
	correlator__on_event(t->corr, ev);
	t->last_record_ns = mono_now_ns(); /* handled and written: also the latency's end */
	if (t->st.on && !(ev->hdr->flags & HS_F_SEEDED)) {
		t->st.delivered++;
		__u64 d = (t->last_record_ns - ev->hdr->ts_ns) / 1000;
		__u32 us = d > UINT32_MAX ? UINT32_MAX : (__u32)d;

		t->st.lat[lat_bucket(us)]++;
		t->st.nlat++;
		if (us > t->st.lat_max)
			t->st.lat_max = us;
	}
}

static void print_stats(struct trace *t)
{
	__u64 k[HS_STAT_MAX] = {};
	struct rusage ru;
	__u32 p50 = 0, p99 = 0, max = 0;
	struct sbuf sb;
	struct jw w;

	tracer__stats(&t->tr, k);
	getrusage(RUSAGE_SELF, &ru);
	if (t->st.nlat) {
		p50 = lat_rank(&t->st, t->st.nlat / 2);
		p99 = lat_rank(&t->st, t->st.nlat * 99 / 100);
		max = t->st.lat_max;
	}
	sbuf_init(&sb);
	jw_init(&w, &sb);
	jw_obj_open(&w);
	jw_kstr(&w, "type", "stats");
	jw_ku64(&w, "kernel_records", k[HS_STAT_EVENTS]);
	jw_ku64(&w, "ringbuf_drops", k[HS_STAT_DROP_RINGBUF]);
	jw_ku64(&w, "track_drops", k[HS_STAT_DROP_TRACK_FULL]);
	jw_ku64(&w, "delivered", t->st.delivered);
	jw_ku64(&w, "malformed", t->tr.malformed);
	jw_ku64(&w, "latency_samples", t->st.nlat);
	jw_ku64(&w, "latency_p50_us", p50);
	jw_ku64(&w, "latency_p99_us", p99);
	jw_ku64(&w, "latency_max_us", max);
	jw_ku64(&w, "source_reads", t->st.src_reads);
	jw_ku64(&w, "source_read_us", t->st.src_read_ns / 1000);
	jw_ki64(&w, "maxrss_kib", ru.ru_maxrss);
	jw_ki64(&w, "utime_us", (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec);
	jw_ki64(&w, "stime_us", (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
	jw_obj_close(&w);
	if (!jw_end(&w))
		fprintf(stderr, "%s\n", sbuf_str(&sb));
	sbuf_free(&sb);
}

static void check_drops(struct trace *t)
{
	__u64 st[HS_STAT_MAX], total;
	__u32 now = tracer__drops(&t->tr);

	/* runs after every poll: only read the per-cause counters when it moved */
	if (now == t->drops_stamp)
		return;
	t->drops_stamp = now;
	if (tracer__stats(&t->tr, st))
		return;
	/* unwatched: a runtime child that may have failed an exec before hs_exec_failed attached */
	total = st[HS_STAT_DROP_RINGBUF] + st[HS_STAT_DROP_TRACK_FULL] +
		st[HS_STAT_DROP_UNWATCHED];
	if (total > t->drops_seen) {
		struct loss_rec l = {
			.count = total - t->drops_seen,
			.ringbuf = st[HS_STAT_DROP_RINGBUF] - t->drop_rb,
			.tracking = st[HS_STAT_DROP_TRACK_FULL] - t->drop_track,
			.unwatched = st[HS_STAT_DROP_UNWATCHED] - t->drop_unwatched,
			.ts_ns = mono_now_ns(),
		};

		report__lost(&t->rep, &l);
		correlator__on_lost(t->corr, total - t->drops_seen);
		t->drops_seen = total;
		t->drop_rb = st[HS_STAT_DROP_RINGBUF];
		t->drop_track = st[HS_STAT_DROP_TRACK_FULL];
		t->drop_unwatched = st[HS_STAT_DROP_UNWATCHED];
	}
}

/*
 * The pipeline after the tracer: model -> report -> sinks (the output
 * format, the --expect checker, the --trace-out file, the metrics, the demo's SVG). 0,
 * -ENOMEM, or -EIO when a file cannot be written or the metrics address not served
 * (already said).
 */
static int trace_pipeline(struct trace *t)
{
	struct sink *fmt = t->s->json ? sink_json_new(&t->out) : sink_text_new(&t->out);

	report__init(&t->rep, t->s);
	if (!fmt || report__add(&t->rep, fmt)) {
		if (fmt)
			fmt->ops->free(fmt);
		return -ENOMEM;
	}
	t->expect = expect_sink_new(t->s);
	if (!t->expect || report__add(&t->rep, t->expect))
		return -ENOMEM;
	if (t->s->trace_out) {
		struct sink *tr = sink_trace_new(t->s->trace_out);

		if (!tr)
			return -EIO;
		if (report__add(&t->rep, tr)) {
			tr->ops->free(tr);
			return -ENOMEM;
		}
	}
	if (t->s->metrics_addr || t->s->metrics_file) {
		t->metrics = sink_metrics_new(t->s);
		if (!t->metrics)
			return -EIO;
		if (report__add(&t->rep, t->metrics)) {
			t->metrics->ops->free(t->metrics);
			t->metrics = NULL;
			return -ENOMEM;
		}
	}
	if (t->s->plot_out) {
		struct sink *pl = sink_plot_new(t->s->plot_out);

		if (!pl)
			return -EIO;
		if (report__add(&t->rep, pl)) {
			pl->ops->free(pl);
			return -ENOMEM;
		}
	}
	t->corr = correlator__new(&t->rep, t->s->all);
	if (t->corr)
		correlator__set_slow(t->corr, (__u64)llround(t->s->slow * 1e9));
	return t->corr ? 0 : -ENOMEM;
}

static void trace_pipeline_free(struct trace *t)
{
	struct src_seen *x, *tmp;

	HASH_ITER(hh, t->srcs, x, tmp) {
		HASH_DEL(t->srcs, x);
		free(x);
	}
	correlator__free(t->corr);
	t->corr = NULL;
	report__free(&t->rep);
	output__close(&t->out);
}

/* Fork CMD now, blocked until release_cmd(); returns the write end of the gate. */
static int spawn_cmd(const struct settings *s, int *gate)
{
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		hs_err("cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		hs_err("cannot fork to run '%s': %s", s->cmd[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char c;

		close(pfd[1]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (read(pfd[0], &c, 1) != 1)
			_exit(127); /* tracer failed to start: never run CMD untraced */
		/* JSON records own stdout: CMD's own output goes to stderr then */
		if (s->json && !s->output)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(s->cmd[0], s->cmd);
		fprintf(stderr, "hooksnoop: cannot run '%s': %s\n", s->cmd[0], strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	*gate = pfd[1];
	child_pid = pid;
	return 0;
}

/* Let CMD go (it waits on the gate until the tracer is attached). 0 or -1. */
static int release_cmd(const struct settings *s, int *gate)
{
	ssize_t n = write(*gate, "g", 1);

	if (n != 1)
		hs_err("cannot start '%s': %s", s->cmd[0], strerror(errno));
	close(*gate);
	*gate = -1;
	return n == 1 ? 0 : -1;
}

/*
 * --repeat: run `*run` of CMD ended with wait status `status`. The next run
 * starts at once when this one succeeded and runs remain; a failed run ends
 * the repetition (later samples would time a broken setup) and its status
 * becomes hooksnoop's. 1 = the next run started, 0 = no more runs, -1 = it
 * could not be started (said on stderr).
 */
static int repeat_next(struct trace *t, unsigned *run, int status)
{
	const struct settings *s = t->s;
	int gate = -1;

	if (stop_signal || *run + 1 >= s->repeat)
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		hs_warn("run %u of %u of '%s' failed: the remaining runs are skipped", *run + 1,
			s->repeat, s->cmd[0]);
		return 0;
	}
	/* the start is stamped before CMD forks: all of this run's records come after it */
	if (correlator__start_run(t->corr, *run + 1, mono_now_ns())) {
		hs_err("out of memory");
		return -1;
	}
	if (spawn_cmd(s, &gate) || release_cmd(s, &gate))
		return -1;
	(*run)++;
	return 1;
}

int trace_main(int argc, char **argv)
{
	struct settings s;
	int err;

	err = opts_parse(argc, argv, &s);
	if (err)
		return err > 0 ? 0 : 2;
	return trace_run(&s);
}

int trace_run(const struct settings *sp)
{
	struct settings s = *sp;
	struct trace t;
	struct sigaction sa;
	__u64 start, deadline = 0, grace_deadline = 0;
	int gate = -1, status = 0, rc = 0, err;
	enum expect_result expect = EXPECT_NONE;
	time_t started = time(NULL);
	struct junit ju;
	bool child_done = false;
	unsigned run = 0;

	memset(&t, 0, sizeof(t));
	junit_init(&ju);
	t.s = &s;
	t.st.on = getenv("HOOKSNOOP_STATS") != NULL;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	sdnotify_init();
	if (output__open(&t.out, &s))
		return 1;
	if (s.junit && junit_probe(s.junit)) {
		output__close(&t.out);
		return 1;
	}
	err = trace_pipeline(&t);
	if (err) {
		if (err == -ENOMEM)
			hs_err("out of memory");
		trace_pipeline_free(&t);
		return 1;
	}
	if (s.cmd && spawn_cmd(&s, &gate)) {
		trace_pipeline_free(&t);
		return 1;
	}
	if (tracer__open(&t.tr, &s, on_event, &t)) {
		rc = 1;
		goto out_child;
	}
	/*
	 * What the kernel side reported since attach (new runtime roots) goes out
	 * before the /proc scan: none of it depends on a seeded process (a root
	 * is one because nothing tracked it when it exec'd, and seeding keeps
	 * what the kernel set up), and the first record is not kept waiting for
	 * the scan (bench/startup).
	 */
	tracer__poll(&t.tr, 0);
	tracer__seed(&t.tr, &s);
	/* systemd hears READY=1 once failed execs and hook output are caught too */
	if (tracer__start(&t.tr, sdnotify_ready)) {
		rc = 1;
		goto out_tracer;
	}
	hs_dbg("tracing (%zu runtime names)", s.nruntimes);
	if (!s.cmd && isatty(STDERR_FILENO)) {
		fprintf(stderr, "hooksnoop: tracing");
		for (size_t i = 0; i < s.nruntimes; i++)
			fprintf(stderr, "%s %s", i ? "," : "", s.runtimes[i]);
		fprintf(stderr, "; Ctrl-C to stop\n");
	}

	if (s.repeat && correlator__start_run(t.corr, 0, mono_now_ns())) {
		hs_err("out of memory");
		rc = 1;
		goto out_tracer;
	}
	if (gate >= 0 && release_cmd(&s, &gate)) {
		rc = 1;
		goto out_tracer;
	}

	start = mono_now_ns();
	if (s.duration)
		deadline = start + (__u64)llround(s.duration * 1e9);
	while (!stop_signal) {
		__u64 now;

		/*
		 * Records arrive without wakeups: poll every 2 ms while runtime or
		 * hook processes are alive and records came in the last second,
		 * every 100 ms otherwise (a new runtime root wakes us at once).
		 */
		err = tracer__poll(&t.tr, (correlator__busy(t.corr) &&
					   mono_now_ns() - t.last_record_ns < 1000000000ull)
						  ? 2
						  : 100);
		if (err < 0 && err != -EINTR) {
			hs_err("reading the ring buffer failed: %s", strerror(-err));
			rc = 1;
			break;
		}
		check_drops(&t);
		now = mono_now_ns();
		correlator__tick(t.corr, now); /* --slow: hooks still running */
		if (t.metrics)
			sink_metrics_tick(t.metrics, correlator__tracked(t.corr), now);
		if (child_pid > 0 && !child_done) {
			pid_t w = waitpid(child_pid, &status, WNOHANG);

			if (w == child_pid) {
				err = repeat_next(&t, &run, status);
				if (err < 0) {
					rc = 1;
					break;
				}
				child_done = err == 0;
				grace_deadline = now + (__u64)llround(s.grace * 1e9);
			}
		}
		if (child_done && (correlator__inflight(t.corr) == 0 || now >= grace_deadline))
			break;
		if (deadline && now >= deadline)
			break;
	}
	/* drain what the kernel already delivered */
	while (tracer__poll(&t.tr, 0) > 0)
		;
	check_drops(&t);
	check_refusals(&t);
	flush_refusals(&t, true);
	if (child_done && correlator__inflight(t.corr))
		hs_warn("%u runtime/hook processes still running after --grace %.1fs",
			correlator__inflight(t.corr), s.grace);
	if (t.tr.malformed)
		hs_warn("%llu malformed kernel records ignored (kernel/user layout mismatch?)",
			(unsigned long long)t.tr.malformed);
	if (s.verbose) {
		__u64 st[HS_STAT_MAX];

		if (!tracer__stats(&t.tr, st))
			hs_dbg("kernel: %llu records, %llu lost (ring buffer full), %llu not "
			       "followed (--max-tracked)",
			       (unsigned long long)st[HS_STAT_EVENTS],
			       (unsigned long long)st[HS_STAT_DROP_RINGBUF],
			       (unsigned long long)st[HS_STAT_DROP_TRACK_FULL]);
		if (correlator__reaped(t.corr))
			hs_dbg("%llu processes ended unseen (their exit records were lost)",
			       correlator__reaped(t.corr));
	}
	if (t.st.on)
		print_stats(&t);
	correlator__finish(t.corr, tracer__drops(&t.tr), mono_now_ns());
	expect = expect_sink_judge(t.expect,
				   t.drops_seen || correlator__lost_any(t.corr) ||
					   correlator__refused_any(t.corr),
				   stderr, s.junit ? junit_add : NULL, &ju);
	if (s.junit && junit_write(&ju, s.junit, started, (double)(mono_now_ns() - start) / 1e9))
		rc = 1; /* said; CI must not read an old file as this run's */
	report__summary(&t.rep, t.drops_seen, t.refused_total[REF_ROOT],
			t.refused_total[REF_TRACK], correlator__evicted(t.corr),
			expect_result_word(expect));

out_tracer:
	tracer__close(&t.tr);
out_child:
	if (gate >= 0)
		close(gate); /* child sees EOF and exits without running CMD */
	if (child_pid > 0 && !child_done) {
		if (stop_signal)
			kill(child_pid, SIGTERM);
		while (waitpid(child_pid, &status, 0) < 0 && errno == EINTR)
			;
		child_done = rc == 0;
	}
	trace_pipeline_free(&t);
	junit_free(&ju);
	return expect_exit_status(rc, s.cmd && child_done, status, expect);
}
