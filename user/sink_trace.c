// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --trace-out: Chrome trace-event JSON ({"traceEvents":[...]}, ts and dur in
 * microseconds of CLOCK_MONOTONIC) that ui.perfetto.dev and chrome://tracing
 * open. Each container is a process (a small synthetic pid, named by
 * `process_name` metadata); its runtime invocations, its container process
 * and its hooks are complete ("X") events on named threads. Viewers require
 * the events of one thread to nest or be disjoint, and hooks of a stage may
 * run at once (podman and the runtime both run poststop hooks), so each kind
 * of span is packed onto as few non-overlapping tracks as it needs
 * (spans.c). Losses are global instant events. Events are rendered when a
 * container's record arrives (with the one JSON writer) and kept as text;
 * the file is written whole at the summary, by rename.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"
#include "log.h"
#include "sink_trace.h"
#include "spans.h"

/* Bound on the kept events (a long live trace): later containers are counted, not kept. */
#define TRACE_MAX_BYTES (64u << 20)

struct sink_trace {
	struct sink sk;
	char *path, *tmp;
	FILE *f;
	struct sbuf events; /* the rendered events, comma-separated */
	struct sbuf one;    /* the event being built */
	unsigned next_pid;  /* one per container; 0 is hooksnoop itself (losses) */
	unsigned next_tid;  /* unique across the file: viewers key threads by tid */
	unsigned long long left_out;
	bool losses_named;
	bool failed; /* out of memory while keeping events: said at the end */
};

/* Microseconds with the nanoseconds as exact decimals (no float rounding). */
static void put_us(struct jw *w, const char *key, __u64 ns)
{
	char b[48];

	snprintf(b, sizeof(b), "%llu.%03llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000));
	jw_key(w, key);
	jw_raw(w, b);
}

/* Move the event built in t->one to the kept events. */
static void keep(struct sink_trace *t, const struct jw *w)
{
	if (jw_end(w) || t->one.oom) {
		t->failed = true;
	} else {
		if (t->events.len)
			sbuf_add(&t->events, ",\n", 2);
		sbuf_add(&t->events, t->one.buf, t->one.len);
		if (t->events.oom)
			t->failed = true;
	}
	sbuf_reset(&t->one);
	t->one.oom = false;
}

static void meta(struct sink_trace *t, const char *name, unsigned pid, unsigned tid,
		 const char *key, const char *sval, long long ival)
{
	struct jw w;

	jw_init(&w, &t->one);
	jw_obj_open(&w);
	jw_kstr(&w, "name", name);
	jw_kstr(&w, "ph", "M");
	jw_ku64(&w, "pid", pid);
	jw_ku64(&w, "tid", tid);
	jw_key(&w, "args");
	jw_obj_open(&w);
	if (sval)
		jw_kstr(&w, key, sval);
	else
		jw_ki64(&w, key, ival);
	jw_obj_close(&w);
	jw_obj_close(&w);
	keep(t, &w);
}

/* Name and order `n` tracks of one kind; returns the tid of the first. */
static unsigned tracks(struct sink_trace *t, unsigned pid, unsigned n, const char *kind)
{
	unsigned first = t->next_tid, i;
	char name[64];

	for (i = 0; i < n; i++) {
		if (n == 1)
			snprintf(name, sizeof(name), "%s", kind);
		else
			snprintf(name, sizeof(name), "%s %u", kind, i + 1);
		meta(t, "thread_name", pid, first + i, "name", name, 0);
		meta(t, "thread_sort_index", pid, first + i, "sort_index", NULL, first + i);
	}
	t->next_tid += n;
	return first;
}

/* An "X" event's common members, then the caller's args, then close with keep_x(). */
static void x_open(struct jw *w, struct sink_trace *t, const char *cat, const char *name,
		   size_t name_len, unsigned pid, unsigned tid, __u64 start, __u64 end)
{
	jw_init(w, &t->one);
	jw_obj_open(w);
	jw_key(w, "name");
	jw_strn(w, name, name_len);
	jw_kstr(w, "cat", cat);
	jw_kstr(w, "ph", "X");
	put_us(w, "ts", start);
	put_us(w, "dur", end > start ? end - start : 0);
	jw_ku64(w, "pid", pid);
	jw_ku64(w, "tid", tid);
	jw_key(w, "args");
	jw_obj_open(w);
}

static void x_close(struct sink_trace *t, struct jw *w)
{
	jw_obj_close(w);
	jw_obj_close(w);
	keep(t, w);
}

/* Length of argv[0] in a NUL-separated capture. */
static size_t argv0_len(const char *argv, size_t n)
{
	const char *nul = argv ? memchr(argv, '\0', n) : NULL;

	return argv ? (nul ? (size_t)(nul - argv) : n) : 0;
}

static __u64 hook_end(const struct hook_rec *h, const struct ctr_rec *rec)
{
	/* an unfinished hook ran until its container's record was made */
	return h->ended ? h->end_ns : rec->end_ns;
}

static void hook_event(struct sink_trace *t, const struct ctr_rec *rec, const struct hook_rec *h,
		       unsigned pid, unsigned tid)
{
	struct sbuf name;
	struct jw w;

	sbuf_init(&name);
	sbuf_puts(&name, h->stage >= 0 ? oci_stage_name(h->stage) : "unknown");
	if (h->index >= 0)
		sbuf_addf(&name, "[%d] ", h->index);
	else
		sbuf_puts(&name, "[?] ");
	if (h->argv_len)
		sbuf_add(&name, h->argv, argv0_len(h->argv, h->argv_len));
	else if (h->path)
		sbuf_puts(&name, h->path);
	if (name.oom)
		t->failed = true;
	x_open(&w, t, "hook", sbuf_str(&name), name.len, pid, tid, h->start_ns, hook_end(h, rec));
	sbuf_free(&name);
	jw_key(&w, "argv");
	jw_argv(&w, h->argv, h->argv_len);
	jw_kbool(&w, "argv_truncated", h->argv_trunc);
	jw_kstr(&w, "path", h->path);
	jw_kstr(&w, "stage", h->stage >= 0 ? oci_stage_name(h->stage) : "unknown");
	if (h->index >= 0)
		jw_ki64(&w, "index", h->index);
	else
		jw_knull(&w, "index");
	jw_kbool(&w, "inferred", h->inferred);
	jw_kstr(&w, "status", hook_status_name(h->status));
	if (h->ended && (h->status != HOOK_EXEC_FAILED || h->reason) && !h->signal)
		jw_ki64(&w, "exit_code", h->exit_code);
	else
		jw_knull(&w, "exit_code");
	jw_ki64(&w, "signal", h->signal);
	if (h->reason) { /* the runtime's child died before its exec: as in the hook record */
		jw_knull(&w, "errno");
		jw_kstr(&w, "reason", h->reason);
	} else {
		jw_ki64(&w, "errno", h->err);
	}
	jw_ku64(&w, "pid", h->pid);
	x_close(t, &w);
}

static void inv_event(struct sink_trace *t, const struct ctr_rec *rec, const struct inv_rec *iv,
		      unsigned pid, unsigned tid)
{
	char name[96];
	struct jw w;
	int n;

	n = snprintf(name, sizeof(name), "%s %s", rec->runtime, iv->cmd);
	x_open(&w, t, "runtime", name, (size_t)n < sizeof(name) ? (size_t)n : sizeof(name) - 1, pid,
	       tid, iv->start_ns, iv->ended ? iv->end_ns : rec->end_ns);
	jw_ku64(&w, "pid", iv->pid);
	jw_kstr(&w, "subcommand", iv->cmd);
	if (iv->ended)
		jw_ki64(&w, "exit_code", iv->exit_code);
	else
		jw_knull(&w, "exit_code");
	x_close(t, &w);
}

static void proc_event(struct sink_trace *t, const struct ctr_rec *rec, unsigned pid, unsigned tid)
{
	const struct proc_rec *p = &rec->process;
	struct jw w;

	x_open(&w, t, "process", p->argv ? p->argv : "container process",
	       p->argv ? argv0_len(p->argv, p->argv_len) : strlen("container process"), pid, tid,
	       p->start_ns, p->exited ? p->exit_ns : rec->end_ns);
	jw_ku64(&w, "pid", p->pid);
	jw_key(&w, "argv");
	jw_argv(&w, p->argv, p->argv_len);
	if (p->exited) {
		jw_ki64(&w, "exit_code", p->exit_code);
		jw_ki64(&w, "signal", p->signal);
	} else {
		jw_knull(&w, "exit_code");
		jw_knull(&w, "signal");
	}
	x_close(t, &w);
}

static void process_meta(struct sink_trace *t, const struct ctr_rec *rec, unsigned pid)
{
	struct sbuf name;

	sbuf_init(&name);
	sbuf_addf(&name, "%s (%s)", rec->id, rec->runtime);
	if (rec->run.repeat && rec->run.index >= 0)
		sbuf_addf(&name, " run %d", rec->run.index);
	if (name.oom)
		t->failed = true;
	meta(t, "process_name", pid, 0, "name", sbuf_str(&name), 0);
	meta(t, "process_sort_index", pid, 0, "sort_index", NULL, pid);
	sbuf_reset(&name);
	sbuf_addf(&name, "verdict %s, %s", verdict_name(rec->verdict), rec->state);
	meta(t, "process_labels", pid, 0, "labels", sbuf_str(&name), 0);
	sbuf_free(&name);
}

/* Pack spans onto tracks of one kind, name them, and return where each went (tids). */
static int pack(struct sink_trace *t, unsigned pid, const struct span *v, size_t n,
		const char *kind, unsigned *tid)
{
	int ntr;
	size_t i;
	unsigned first;

	if (!n)
		return 0;
	ntr = spans_pack(v, n, tid);
	if (ntr < 0)
		return ntr;
	first = tracks(t, pid, (unsigned)ntr, kind);
	for (i = 0; i < n; i++)
		tid[i] += first;
	return 0;
}

static void trace_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct sink_trace *t = (struct sink_trace *)sk;
	const struct hook_rec *h;
	struct span *sp = NULL;
	unsigned *tid = NULL, pid;
	size_t nh = 0, n, i;

	if (t->events.len > TRACE_MAX_BYTES) {
		t->left_out++;
		return;
	}
	for (h = rec->hooks; h; h = h->next)
		nh++;
	n = nh > rec->ninvs ? nh : rec->ninvs;
	sp = calloc(n + 1, sizeof(*sp));
	tid = calloc(n + 1, sizeof(*tid));
	if (!sp || !tid)
		goto oom;
	pid = ++t->next_pid;
	process_meta(t, rec, pid);

	/* the runtime's own time first, then the container process, then the hooks */
	for (i = 0; i < rec->ninvs; i++)
		sp[i] = (struct span){rec->invs[i].start_ns,
				      rec->invs[i].ended ? rec->invs[i].end_ns : rec->end_ns};
	if (pack(t, pid, sp, rec->ninvs, "runtime", tid))
		goto oom;
	for (i = 0; i < rec->ninvs; i++)
		inv_event(t, rec, &rec->invs[i], pid, tid[i]);

	if (rec->process.started)
		proc_event(t, rec, pid, tracks(t, pid, 1, "container process"));

	for (h = rec->hooks, i = 0; h; h = h->next, i++)
		sp[i] = (struct span){h->start_ns, hook_end(h, rec)};
	if (pack(t, pid, sp, nh, "hooks", tid))
		goto oom;
	for (h = rec->hooks, i = 0; h; h = h->next, i++)
		hook_event(t, rec, h, pid, tid[i]);
	free(sp);
	free(tid);
	return;
oom:
	t->failed = true;
	free(sp);
	free(tid);
}

static void trace_lost(struct sink *sk, const struct loss_rec *l)
{
	struct sink_trace *t = (struct sink_trace *)sk;
	char name[64];
	struct jw w;

	if (!t->losses_named) {
		meta(t, "process_name", 0, 0, "name", "hooksnoop", 0);
		t->losses_named = true;
	}
	snprintf(name, sizeof(name), "lost %llu events", l->count);
	jw_init(&w, &t->one);
	jw_obj_open(&w);
	jw_kstr(&w, "name", name);
	jw_kstr(&w, "cat", "lost");
	jw_kstr(&w, "ph", "i");
	jw_kstr(&w, "s", "g");
	put_us(&w, "ts", l->ts_ns);
	jw_ku64(&w, "pid", 0);
	jw_ku64(&w, "tid", 0);
	jw_key(&w, "args");
	jw_obj_open(&w);
	jw_ku64(&w, "count", l->count);
	jw_ku64(&w, "ringbuf_full", l->ringbuf);
	jw_ku64(&w, "tracking_full", l->tracking);
	jw_obj_close(&w);
	jw_obj_close(&w);
	keep(t, &w);
}

/* The summary is the last record: write the file whole and put it in place. */
static void trace_summary(struct sink *sk, const struct summary_rec *s)
{
	struct sink_trace *t = (struct sink_trace *)sk;
	FILE *f = t->f;
	int err = 0;

	if (!f)
		return;
	t->f = NULL;
	if (t->failed)
		hs_warn("--trace-out %s: out of memory, some events are missing", t->path);
	if (t->left_out)
		hs_warn("--trace-out %s: %llu containers left out (the trace keeps at most %u MiB "
			"of events)",
			t->path, t->left_out, TRACE_MAX_BYTES >> 20);
	fputs("{\"traceEvents\":[\n", f);
	fwrite(t->events.buf ? t->events.buf : "", 1, t->events.len, f);
	fprintf(f,
		"\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"clock\":\"CLOCK_MONOTONIC\","
		"\"containers\":%u,\"hooks\":%u,\"lost_events\":%llu}}\n",
		s->containers, s->hooks, s->lost);
	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno;
	if (!err && rename(t->tmp, t->path))
		err = errno;
	if (err) {
		hs_err("cannot write --trace-out %s: %s", t->path, strerror(err));
		unlink(t->tmp);
	}
}

static void trace_free(struct sink *sk)
{
	struct sink_trace *t = (struct sink_trace *)sk;

	if (t->f) { /* no summary: the run failed, leave no half file */
		fclose(t->f);
		unlink(t->tmp);
	}
	sbuf_free(&t->events);
	sbuf_free(&t->one);
	free(t->path);
	free(t->tmp);
	free(t);
}

static const struct sink_ops trace_ops = {
	.container = trace_container,
	.lost = trace_lost,
	.summary = trace_summary,
	.free = trace_free,
};

struct sink *sink_trace_new(const char *path)
{
	struct sink_trace *t = calloc(1, sizeof(*t));

	if (!t || !(t->path = strdup(path)) || asprintf(&t->tmp, "%s.tmp", path) < 0) {
		hs_err("out of memory");
		if (t)
			free(t->path);
		free(t);
		return NULL;
	}
	t->sk.ops = &trace_ops;
	t->next_tid = 1; /* 0 carries the process metadata */
	sbuf_init(&t->events);
	sbuf_init(&t->one);
	t->f = fopen(t->tmp, "we");
	if (!t->f) {
		hs_err("cannot write --trace-out %s: %s (writing %s first)", path, strerror(errno),
		       t->tmp);
		free(t->path);
		free(t->tmp);
		free(t);
		return NULL;
	}
	return &t->sk;
}
