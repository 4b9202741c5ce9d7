/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF lifecycle: open the embedded skeleton, size maps and set rodata from the
 * settings, load, register runtime names, attach, seed already-running runtime
 * trees from /proc, poll the ring buffer and read the drop counters.
 */
#ifndef HS_LOADER_H
#define HS_LOADER_H

#include <linux/types.h>
#include <pthread.h>
#include <stdbool.h>

#include "btfcache.h"
#include "event.h"
#include "opts.h"

struct hooksnoop_bpf;
struct ring_buffer;
struct bpf_link;

typedef void (*tracer_event_fn)(void *ctx, const struct hs_event *ev);

#define TRACER_TP_LINKS 7

struct tracer {
	struct hooksnoop_bpf *skel;
	/*
	 * Live mode: the failed-exec and hook-capture programs are a second
	 * instance of the same object sharing skel's maps, loaded by the attach
	 * thread once the first records flow (their verification is half of
	 * all of it); late_pending until then. CI mode: all in skel.
	 */
	struct hooksnoop_bpf *late;
	bool late_pending;
	void (*ready)(void); /* tracer__start's: everything loaded */
	const char *btf_path;
	struct btfcache btfc; /* the cut of btf_path CO-RE relocates against, if cached */
	struct ring_buffer *rb;
	tracer_event_fn fn;
	void *ctx;
	__u64 malformed;     /* records that failed validation */
	bool exec_failures;  /* failed execs can be caught (false once the attach failed) */
	bool xfail_pinned;   /* CI mode: hs_exec_failed stays attached for the whole run */
	/* hs_exec_failed's links and their bookkeeping: xfail_lock, the attach thread */
	pthread_mutex_t xfail_lock;
	struct bpf_link *xfail_link;  /* hs_exec_failed on raw sys_exit: the fast attach */
	/*
	 * Steady state: hs_exec_failed_tp on sys_exit_execve(at), then
	 * hs_capture_tp on sys_exit_read (and sys_exit_write(v), dup2, dup3 with
	 * --output-bytes): hook I/O capture rides the same attach and detach.
	 */
	struct bpf_link *tp_links[TRACER_TP_LINKS];
	bool tp_ok;                   /* tracefs and the execve exit tracepoints are there */
	bool capture_out;             /* --output-bytes > 0: write(v) tracepoints too */
	struct bpf_link *reap[TRACER_TP_LINKS]; /* tp links being closed by the reaper thread */
	bool reaper_on;
	pthread_t reaper;
	__u64 xfail_idle_ns; /* when runtimes_now was first seen at 0, 0 while busy */
	__u64 cap_busy_ns;   /* the last sign of a hook (capture_sync()) */
	bool cap_wake;       /* an HS_WAKE_CAPTURE hint came */
	struct ring_buffer *wake_rb; /* the BPF side's new-root hints */
	int wake_stop_fd;            /* eventfd that ends the attach thread's poll */
	bool xfail_thread_on, xfail_stop;
	pthread_t xfail_thread;
	/* tracer__sources(): the batched read of src_rate, or the walk where there is none */
	struct hs_src_id *src_keys;
	struct hs_src_rate *src_vals;
	bool src_batch_off;
};

/* Each returns 0 or -errno after printing one clear error line. */
int tracer__open(struct tracer *t, const struct settings *s, tracer_event_fn fn, void *ctx);
/*
 * Insert runtime processes already running (and their children) into the
 * tracking map, and deliver a synthetic exec event (HS_F_SEEDED) for each so
 * user space knows their argv. Call after tracer__open (programs attached).
 */
int tracer__seed(struct tracer *t, const struct settings *s);
/*
 * Live mode: start the attach thread (after seeding, so that its first job,
 * loading the failed-exec and capture programs, competes with nothing
 * before the first records). ready() (may be NULL) is called once every
 * program is loaded: now, or from that thread once it has loaded them
 * (whether it could or not). 0 or -errno after one error line.
 */
int tracer__start(struct tracer *t, void (*ready)(void));
/*
 * Poll once; returns events handled, or -errno (-EINTR on a signal).
 * hs_exec_failed is attached and detached meanwhile by a thread of the
 * tracer's own (see "The syscall tax" in the BPF side).
 */
int tracer__poll(struct tracer *t, int timeout_ms);
/* Sum of per-CPU stats (HS_STAT_*). */
int tracer__stats(struct tracer *t, __u64 out[HS_STAT_MAX]);
/* The kernel's running loss count (all causes): what records are stamped with. */
__u32 tracer__drops(struct tracer *t);
/* Runtime roots refused by the per-source bound so far (cheap: mmap'ed). */
__u32 tracer__refused(struct tracer *t);
/* Processes not followed over --source-max-tracked so far (cheap: mmap'ed). */
__u32 tracer__track_refused(struct tracer *t);
/* fn(ctx, source, its counts) for every source with refusals that the map still holds. */
int tracer__sources(struct tracer *t,
		    void (*fn)(void *ctx, const struct hs_src_id *id, const struct hs_src_rate *v),
		    void *ctx);
void tracer__close(struct tracer *t);

#endif
