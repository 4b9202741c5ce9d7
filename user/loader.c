// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Owns the BPF side's lifecycle (open -> size maps / set rodata -> load ->
 * register runtime names -> attach -> poll -> destroy), the attachment of the
 * failed-exec program only while runtime processes live (so an idle tracer
 * puts no task on the syscall-tracing slow path), the mapping of libbpf
 * failures to one actionable error line, and seeding of runtime trees that were
 * already running when hooksnoop started (read from /proc through saferead,
 * inserted into the tracking map after attach so nothing forked later is
 * missed, and only once the pid is checked to still name the process read).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "btfcache.h"
#include "hooksnoop.skel.h"
#include "kfeat.h"
#include "loader.h"
#include "log.h"
#include "rtdetect.h"
#include "rtview.h"
#include "saferead.h"

int hs_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!hs_verbose)
		return 0;
	if (level == LIBBPF_DEBUG && hs_verbose < 2 && !getenv("HOOKSNOOP_LIBBPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN (pre-5.8 style): enough to load and attach. */
static bool have_bpf_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	__u64 eff;

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	eff = ((__u64)data[1].effective << 32) | data[0].effective;
	if (eff & (1ull << CAP_SYS_ADMIN))
		return true;
	return (eff & (1ull << 39 /* CAP_BPF */)) && (eff & (1ull << 38 /* CAP_PERFMON */));
}

/*
 * bpf() refused although the capabilities are held: a seccomp filter or a
 * security module (a container runtime's default profile) stands between us
 * and the kernel. Without this check the feature probes, all refused,
 * would blame the kernel. An array map exists on every kernel with bpf().
 */
static bool bpf_syscall_denied(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EPERM || errno == EACCES;
}

/*
 * The steady-state failed-exec program sits on syscalls:sys_exit_execve(at),
 * whose ids libbpf reads from tracefs. A fresh machine has tracefs
 * unmounted: mount it at its standard place. false (and why, with -v) when
 * that is impossible: the raw sys_exit program then stays attached instead.
 */
static bool ensure_tracefs(void)
{
	if (!access("/sys/kernel/tracing/events/syscalls/sys_exit_execve/id", R_OK) ||
	    !access("/sys/kernel/debug/tracing/events/syscalls/sys_exit_execve/id", R_OK))
		return true;
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) && errno != EBUSY) {
		hs_dbg("cannot mount tracefs on /sys/kernel/tracing (%s): failed execs stay on "
		       "the raw sys_exit tracepoint", strerror(errno));
		return false;
	}
	if (access("/sys/kernel/tracing/events/syscalls/sys_exit_execve/id", R_OK)) {
		hs_dbg("no syscalls:sys_exit_execve tracepoint: failed execs stay on the raw "
		       "sys_exit tracepoint");
		return false;
	}
	return true;
}

/* Linger before detaching hs_exec_failed: runtimes come in bursts, attaching costs ~1 ms. */
#define XFAIL_LINGER_MS 1000
/* ... and the I/O capture, after the last hook or sign of one (capture_sync()) */
#define CAPTURE_LINGER_MS 2000

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* Where the failed-exec and capture programs live (see struct tracer). */
static struct hooksnoop_bpf *xprogs(struct tracer *t)
{
	return t->late ? t->late : t->skel;
}

static __u64 runtimes_now(struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->runtimes_now, __ATOMIC_SEQ_CST);
}

/*
 * Attach hs_exec_failed, then tell the BPF side (xfail_live): processes
 * forked from then on have every exec covered. Called with xfail_lock held.
 */
static int xfail_attach(struct tracer *t, __u64 since_ns)
{
	__u64 t0 = now_ns();
	int err;

	if (!t->exec_failures || t->xfail_link || t->late_pending)
		return 0; /* (once loaded, the attach thread attaches if runtimes live) */
	if (t->tp_links[0])
		return 0; /* the steady-state program is attached */
	__atomic_store_n(&t->skel->bss->xfail_mode, XFAIL_RAW, __ATOMIC_SEQ_CST);
	t->xfail_link = bpf_program__attach(xprogs(t)->progs.hs_exec_failed);
	if (!t->xfail_link) {
		err = -errno;
		hs_warn("cannot attach to the sys_exit tracepoint (%s): failed execs are not "
			"reported", strerror(-err));
		t->exec_failures = false; /* say it once */
		return err;
	}
	__atomic_store_n(&t->skel->bss->xfail_live, 1, __ATOMIC_SEQ_CST);
	/* the raw program captures hook I/O too */
	__atomic_store_n(&t->skel->bss->capture_live, 1, __ATOMIC_SEQ_CST);
	hs_dbg("failed-exec tracepoint attached (%llu runtime processes) in %.2f ms, %.2f ms "
	       "after the runtime's exec",
	       (unsigned long long)runtimes_now(t), (now_ns() - t0) / 1e6,
	       since_ns ? (now_ns() - since_ns) / 1e6 : 0.0);
	return 0;
}

/*
 * The perf tracepoints, in two groups: the failed-exec ones (while runtimes
 * live) and from TP_CAPTURE on the I/O capture's (read, and with
 * --output-bytes write, writev, dup2, dup3), which come and go on a
 * schedule of their own in between (capture_sync()).
 */
static const char *const tps[TRACER_TP_LINKS] = {
	"sys_exit_execve", "sys_exit_execveat", "sys_exit_read", "sys_exit_write",
	"sys_exit_writev", "sys_exit_dup2", "sys_exit_dup3",
};
#define TP_CAPTURE 2

static size_t tp_count(const struct tracer *t)
{
	return t->capture_out ? TRACER_TP_LINKS : TP_CAPTURE + 1;
}

/* Open tps[from, to): 0, or -errno with none of them left open. */
static int tp_open(struct tracer *t, size_t from, size_t to)
{
	struct bpf_program *prog;
	size_t i;
	int err;

	for (i = from; i < to; i++) {
		prog = i < TP_CAPTURE ? xprogs(t)->progs.hs_exec_failed_tp
				      : xprogs(t)->progs.hs_capture_tp;
		t->tp_links[i] = bpf_program__attach_tracepoint(prog, "syscalls", tps[i]);
		/* arm64 has no dup2 (dup3 only) */
		if (t->tp_links[i] || (errno == ENOENT && !strcmp(tps[i], "sys_exit_dup2")))
			continue;
		err = -errno;
		hs_dbg("cannot attach to syscalls:%s (%s)", tps[i], strerror(-err));
		while (i-- > from) {
			bpf_link__destroy(t->tp_links[i]);
			t->tp_links[i] = NULL;
		}
		return err;
	}
	return 0;
}

static __u64 hooks_now(struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->hooks_now, __ATOMIC_SEQ_CST);
}

/*
 * From the raw sys_exit program to the perf tracepoints on execve(at) exit,
 * which cost other system calls nothing beyond the slow path: open both
 * groups (this may wait behind anyone's detach, ~150 ms, while the raw
 * program still reports), switch xfail_mode, drop the raw link. Both are
 * attached for a moment; the mode word makes exactly one of them report.
 */
static void xfail_upgrade(struct tracer *t)
{
	__u64 t0 = now_ns();
	size_t i;
	int err;

	if (!t->tp_ok || !t->xfail_link || t->tp_links[0])
		return;
	err = tp_open(t, 0, TP_CAPTURE);
	if (!err) {
		err = tp_open(t, TP_CAPTURE, tp_count(t));
		if (err)
			for (i = 0; i < TP_CAPTURE; i++) {
				bpf_link__destroy(t->tp_links[i]);
				t->tp_links[i] = NULL;
			}
	}
	if (err) {
		hs_dbg("failed execs and hook I/O stay on the raw sys_exit tracepoint");
		t->tp_ok = false;
		return;
	}
	t->cap_busy_ns = now_ns(); /* a runtime just started: its hooks come */
	__atomic_store_n(&t->skel->bss->xfail_mode, XFAIL_TP, __ATOMIC_SEQ_CST);
	bpf_link__destroy(t->xfail_link);
	t->xfail_link = NULL;
	hs_dbg("failed-exec tracepoint moved to syscalls:sys_exit_execve(at) in %.2f ms",
	       (now_ns() - t0) / 1e6);
}

static void tp_links_destroy(struct tracer *t)
{
	size_t i;

	for (i = 0; i < TRACER_TP_LINKS; i++) {
		bpf_link__destroy(t->tp_links[i]);
		t->tp_links[i] = NULL;
	}
}

static void *reaper_main(void *arg)
{
	struct tracer *t = arg;

	size_t i;

	/* each close waits for RCU grace periods under the kernel's event_mutex */
	for (i = 0; i < TRACER_TP_LINKS; i++)
		bpf_link__destroy(t->reap[i]);
	return NULL;
}

/*
 * Close perf tracepoint links tp_links[from, to) on a thread of their own:
 * the attach thread must not wait.
 */
static void reap_tp_links(struct tracer *t, size_t from, size_t to)
{
	size_t i;

	if (t->reaper_on) {
		pthread_join(t->reaper, NULL); /* the last one, a linger period ago */
		t->reaper_on = false;
	}
	memset(t->reap, 0, sizeof(t->reap));
	for (i = from; i < to; i++) {
		t->reap[i] = t->tp_links[i];
		t->tp_links[i] = NULL;
	}
	if (!pthread_create(&t->reaper, NULL, reaper_main, t)) {
		t->reaper_on = true;
		return;
	}
	reaper_main(t);
}

/*
 * Clear a live flag the BPF side reads after counting (xfail_live against
 * runtimes_now, capture_live against hooks_now), then read the count, all
 * sequentially consistent: true when it stays clear (nothing counted), else
 * the flag is set again and false. Either the detach is cancelled or what
 * came meanwhile saw the flag clear, never neither.
 */
static bool live_clear(struct tracer *t, __u32 *flag, __u64 (*count)(struct tracer *))
{
	__atomic_store_n(flag, 0, __ATOMIC_SEQ_CST);
	if (!count(t))
		return true;
	__atomic_store_n(flag, 1, __ATOMIC_SEQ_CST);
	return false;
}

/*
 * The I/O capture's own schedule (steady state, perf tracepoints, live
 * mode): attached while hooks live (hooks_now) and for CAPTURE_LINGER_MS
 * after the last sign of one (a runtime's start, its forks, a container
 * process's exit: the BPF side's HS_WAKE_CAPTURE hints, cap_wake), detached
 * in between - a foreground `runc run` waiting on its container for hours
 * costs every write() on the host nothing more than the slow path. The
 * BPF side counts a hook, then reads capture_live; this clears
 * capture_live, then reads hooks_now (all sequentially consistent): either
 * the capture stays or the hook's record says it began without it
 * (HS_F_CAPTURE_LATE), never neither. Called with xfail_lock held.
 */
static void capture_sync(struct tracer *t)
{
	__u64 now, t0;
	int err;

	if (t->xfail_pinned || !t->tp_links[0])
		return; /* CI mode keeps it; the raw program captures everything */
	now = now_ns();
	if (t->cap_wake || hooks_now(t)) {
		t->cap_busy_ns = now;
		t->cap_wake = false;
	}
	if (!t->tp_links[TP_CAPTURE]) {
		if (now - t->cap_busy_ns >= CAPTURE_LINGER_MS * 1000000ull)
			return;
		t0 = now_ns();
		err = tp_open(t, TP_CAPTURE, tp_count(t));
		if (err)
			return; /* hooks meanwhile say so (HS_F_CAPTURE_LATE); tried again */
		__atomic_store_n(&t->skel->bss->capture_live, 1, __ATOMIC_SEQ_CST);
		hs_dbg("hook I/O capture attached in %.2f ms", (now_ns() - t0) / 1e6);
		return;
	}
	if (now - t->cap_busy_ns < CAPTURE_LINGER_MS * 1000000ull)
		return;
	if (!live_clear(t, &t->skel->bss->capture_live, hooks_now)) {
		t->cap_busy_ns = now;
		return;
	}
	reap_tp_links(t, TP_CAPTURE, TRACER_TP_LINKS);
	hs_dbg("hook I/O capture detached (no hook for %d ms)", CAPTURE_LINGER_MS);
}

/*
 * Attach while runtime processes live; detach once none lived for
 * XFAIL_LINGER_MS. xfail_live is cleared first and runtimes_now read after
 * it (both sequentially consistent, as are the BPF side's atomic increment
 * and its read of xfail_live in hs_fork): a runtime child forked before the
 * clear is seen here and cancels the detach; one forked after it is marked
 * unwatched. Called with xfail_lock held.
 */
static void xfail_sync(struct tracer *t)
{
	__u64 now;

	if (t->xfail_pinned || !t->exec_failures)
		return;
	if (runtimes_now(t)) {
		t->xfail_idle_ns = 0;
		xfail_attach(t, 0);
		xfail_upgrade(t);
		capture_sync(t);
		return;
	}
	if (!t->xfail_link && !t->tp_links[0])
		return;
	now = now_ns();
	if (!t->xfail_idle_ns) {
		t->xfail_idle_ns = now;
		return;
	}
	if (now - t->xfail_idle_ns < XFAIL_LINGER_MS * 1000000ull)
		return;
	if (!live_clear(t, &t->skel->bss->xfail_live, runtimes_now)) {
		t->xfail_idle_ns = 0;
		return;
	}
	__atomic_store_n(&t->skel->bss->xfail_mode, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&t->skel->bss->capture_live, 0, __ATOMIC_SEQ_CST);
	bpf_link__destroy(t->xfail_link);
	t->xfail_link = NULL;
	if (t->tp_links[0])
		reap_tp_links(t, 0, TRACER_TP_LINKS);
	t->xfail_idle_ns = 0;
	hs_dbg("failed-exec tracepoint detached (no runtime process for %d ms) in %.2f ms",
	       XFAIL_LINGER_MS, (now_ns() - now) / 1e6);
}

static int on_wake(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct hs_wake *w = data;

	if (size < sizeof(*w))
		return 0;
	/* attach at once, before the rest of the hints */
	pthread_mutex_lock(&t->xfail_lock);
	if (w->kind == HS_WAKE_ROOT && !t->xfail_link) {
		xfail_attach(t, w->ts_ns);
	} else if (w->kind == HS_WAKE_CAPTURE) {
		t->cap_wake = true;
		capture_sync(t);
	}
	pthread_mutex_unlock(&t->xfail_lock);
	return 0;
}

/*
 * The BTF CO-RE relocates against: the cut of the kernel's from the cache
 * (btfcache.c), the file HOOKSNOOP_BTF names (tests imitate other kernels
 * with it), or NULL for the kernel's own.
 */
static const char *core_btf(const struct tracer *t)
{
	if (t->btfc.fd >= 0)
		return t->btfc.path;
	return kfeat__btf_is_kernels(t->btf_path) ? NULL : t->btf_path;
}

/* The programs the attach thread attaches (see struct tracer). */
static bool is_late_prog(struct tracer *t, const struct bpf_program *p, struct hooksnoop_bpf *sk)
{
	return p == sk->progs.hs_exec_failed ||
	       (t->tp_ok && (p == sk->progs.hs_exec_failed_tp || p == sk->progs.hs_capture_tp));
}

/*
 * Load the late programs: a second instance of the object whose maps are
 * skel's (same ELF, same layout, .rodata already frozen with this run's
 * settings), with only those programs to relocate and verify. 0 or -errno.
 */
static int late_load(struct tracer *t)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct hooksnoop_bpf *sk;
	struct bpf_program *p;
	struct bpf_map *m, *m1;
	__u64 t0 = now_ns();
	int err;

	oo.btf_custom_path = core_btf(t);
	sk = hooksnoop_bpf__open_opts(&oo);
	if (!sk)
		return -errno;
	bpf_object__for_each_map(m, sk->obj) {
		m1 = bpf_object__find_map_by_name(t->skel->obj, bpf_map__name(m));
		err = m1 ? bpf_map__reuse_fd(m, bpf_map__fd(m1)) : -ENOENT;
		if (err)
			goto fail;
	}
	bpf_object__for_each_program(p, sk->obj)
		bpf_program__set_autoload(p, is_late_prog(t, p, sk));
	err = hooksnoop_bpf__load(sk);
	if (err)
		goto fail;
	t->late = sk;
	hs_dbg("failed-exec and capture programs loaded in %.2f ms", (now_ns() - t0) / 1e6);
	return 0;
fail:
	hooksnoop_bpf__destroy(sk);
	return err;
}

/*
 * The attach thread. Real-time priority (SCHED_FIFO 1) when allowed: it
 * races the runtime that woke it (whose first hook comes 5-30 ms after its
 * exec), and on a loaded host a normal thread waited 30-70 ms to run. It
 * sleeps in epoll otherwise and runs ~0.5 ms per idle -> busy transition.
 */
static void *xfail_main(void *arg)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct tracer *t = arg;
	int err = 0;

	/* first, at normal priority: the late programs (a wake meanwhile waits in its ring) */
	if (t->late_pending) {
		err = late_load(t);
		pthread_mutex_lock(&t->xfail_lock);
		t->late_pending = false;
		if (err) {
			hs_warn("cannot load the failed-exec programs (%s): failed execs are not "
				"reported", strerror(-err));
			t->exec_failures = false;
		}
		xfail_sync(t); /* runtimes may have come meanwhile */
		pthread_mutex_unlock(&t->xfail_lock);
		if (t->ready)
			t->ready();
	}
	err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	if (err)
		hs_dbg("failed-exec attach thread runs at normal priority: %s", strerror(err));
	while (!__atomic_load_n(&t->xfail_stop, __ATOMIC_RELAXED)) {
		ring_buffer__poll(t->wake_rb, 100);
		pthread_mutex_lock(&t->xfail_lock);
		xfail_sync(t);
		pthread_mutex_unlock(&t->xfail_lock);
	}
	return NULL;
}

/* The wake ring, an eventfd to stop it, and the thread; 0 or -errno. */
static int xfail_thread_start(struct tracer *t)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = 0 /* libbpf's ring 0: harmless */ };
	int err;

	t->wake_rb = ring_buffer__new(bpf_map__fd(t->skel->maps.wake), on_wake, t, NULL);
	if (!t->wake_rb)
		return -errno;
	t->wake_stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->wake_stop_fd < 0)
		return -errno;
	if (epoll_ctl(ring_buffer__epoll_fd(t->wake_rb), EPOLL_CTL_ADD, t->wake_stop_fd, &ev))
		return -errno;
	err = pthread_create(&t->xfail_thread, NULL, xfail_main, t);
	if (err)
		return -err;
	t->xfail_thread_on = true;
	return 0;
}

static void xfail_thread_stop(struct tracer *t)
{
	__u64 one = 1;

	if (t->xfail_thread_on) {
		__atomic_store_n(&t->xfail_stop, true, __ATOMIC_RELAXED);
		if (write(t->wake_stop_fd, &one, sizeof(one)) != sizeof(one))
			hs_dbg("cannot wake the attach thread: %s", strerror(errno));
		pthread_join(t->xfail_thread, NULL);
		t->xfail_thread_on = false;
	}
	if (t->reaper_on) {
		pthread_join(t->reaper, NULL);
		t->reaper_on = false;
	}
	ring_buffer__free(t->wake_rb);
	t->wake_rb = NULL;
	if (t->wake_stop_fd >= 0)
		close(t->wake_stop_fd);
	t->wake_stop_fd = -1;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	struct hs_event ev;

	if (hs_event_decode(data, size, &ev)) {
		t->malformed++;
		return 0;
	}
	t->fn(t->ctx, &ev);
	return 0;
}

/*
 * One line naming what the kernel lacks and the Linux version that has it,
 * when r found anything missing: -EOPNOTSUPP then, else 0.
 */
static int kernel_lacks(const struct kfeat_result *r)
{
	struct utsname u;
	char line[512];

	if (uname(&u))
		u.release[0] = '\0';
	if (!kfeat__describe(r, u.release, line, sizeof(line)))
		return 0;
	hs_err("%s", line);
	return -EOPNOTSUPP;
}

/*
 * Open the object into t->skel, size and set it for s, load it: 0, or
 * -errno from the load (t->skel set) or from the open (t->skel NULL, said).
 */
static int skel_load(struct tracer *t, const struct settings *s)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	size_t i;
	int err;

	oo.btf_custom_path = core_btf(t);
	t->skel = hooksnoop_bpf__open_opts(&oo);
	if (!t->skel) {
		err = -errno;
		hs_err("cannot open the BPF object: %s", strerror(-err));
		return err;
	}
	t->skel->rodata->argv_budget = s->argv_bytes;
	t->skel->rodata->max_tracked = s->max_tracked;
	t->skel->rodata->root_rate = s->root_rate;
	t->skel->rodata->src_max_tracked = s->src_max_tracked;
	t->skel->rodata->ringbuf_bytes = s->ringbuf_bytes;
	t->skel->rodata->output_keep = s->output_bytes;
	t->skel->rodata->env_on = s->env;
	t->capture_out = s->output_bytes > 0;
	for (i = 0; i < s->nruntimes && i < HS_RUNTIME_NAMES; i++) {
		char comm[HS_COMM_LEN] = {}; /* zero-padded like task->comm */

		strncpy(comm, s->runtimes[i], HS_COMM_LEN - 1);
		memcpy((void *)t->skel->rodata->runtime_names[i], comm, HS_COMM_LEN);
	}
	t->skel->rodata->nr_runtime_names = (__u32)i;
	bpf_map__set_max_entries(t->skel->maps.events, s->ringbuf_bytes);
	t->exec_failures = true;
	t->tp_ok = ensure_tracefs();
	if (!t->tp_ok)
		bpf_program__set_autoload(t->skel->progs.hs_exec_failed_tp, false);
	bpf_program__set_autoattach(t->skel->progs.hs_exec_failed_tp, false);
	bpf_program__set_autoattach(t->skel->progs.hs_capture_tp, false);
	if (!t->tp_ok)
		bpf_program__set_autoload(t->skel->progs.hs_capture_tp, false);
	/* attached by xfail_sync() while runtimes live; from the start in CI mode */
	bpf_program__set_autoattach(t->skel->progs.hs_exec_failed, false);
	t->xfail_pinned = s->cmd != NULL;
	/* live mode: loaded after the first records flow (struct tracer) */
	if (!t->xfail_pinned) {
		bpf_program__set_autoload(t->skel->progs.hs_exec_failed, false);
		bpf_program__set_autoload(t->skel->progs.hs_exec_failed_tp, false);
		bpf_program__set_autoload(t->skel->progs.hs_capture_tp, false);
		t->late_pending = true;
	}
	bpf_map__set_max_entries(t->skel->maps.scratch,
				 libbpf_num_possible_cpus() > 0 ? libbpf_num_possible_cpus() : 1);

	return hooksnoop_bpf__load(t->skel);
}

int tracer__open(struct tracer *t, const struct settings *s, tracer_event_fn fn, void *ctx)
{
	struct kfeat_result kf;
	const char *btf_path;
	int err;

	memset(t, 0, sizeof(*t));
	t->btfc.fd = t->btfc.dirfd = -1;
	pthread_mutex_init(&t->xfail_lock, NULL);
	t->wake_stop_fd = -1;
	t->fn = fn;
	t->ctx = ctx;
	hs_verbose = s->verbose;
	libbpf_set_print(libbpf_print);

	if (!have_bpf_caps()) {
		hs_err("permission denied: tracing needs root or CAP_BPF and CAP_PERFMON "
		       "(try: sudo hooksnoop ...)");
		return -EPERM;
	}

	if (bpf_syscall_denied()) {
		hs_err("permission denied by the bpf() system call itself, although CAP_BPF is held: "
		       "a seccomp filter or security module refuses it (in a container: seccomp "
		       "unconfined, or a profile that allows bpf and perf_event_open)");
		return -EPERM;
	}
	btf_path = t->btf_path = kfeat__btf_path();
	kfeat__probe_cheap(btf_path, &kf);
	if (kernel_lacks(&kf))
		return -EOPNOTSUPP;

	/* the cached cut of the kernel BTF, unless a test names another BTF */
	if (kfeat__btf_is_kernels(btf_path))
		btfcache__open(&t->btfc, btf_path);
	err = skel_load(t, s);
	if (err && t->skel && t->btfc.fd >= 0) {
		/* a cut libbpf or the verifier refused: the kernel's own, once */
		btfcache__drop(&t->btfc);
		hooksnoop_bpf__destroy(t->skel);
		t->skel = NULL;
		err = skel_load(t, s);
	}
	if (!t->skel)
		goto fail;
	if (err) {
		/* what the cheap probes could not see: tp_btf, the sys_exit tracepoint */
		kfeat__probe_btf(btf_path, &kf);
		if (kernel_lacks(&kf))
			goto fail;
		hs_err("cannot load BPF programs (%s): the kernel refused them; rerun with -vv "
		       "for libbpf's and the verifier's log",
		       strerror(-err));
		goto fail;
	}

	err = hooksnoop_bpf__attach(t->skel);
	if (err) {
		kfeat__probe_btf(btf_path, &kf);
		if (kernel_lacks(&kf))
			goto fail;
		if (err == -EPERM || err == -EACCES)
			hs_err("permission denied attaching BPF programs: run as root or with "
			       "CAP_BPF and CAP_PERFMON");
		else
			hs_err("cannot attach BPF programs (%s): the kernel needs BTF-enabled "
			       "tracepoints; rerun with -vv for details",
			       strerror(-err));
		goto fail;
	}

	/*
	 * CI mode: CMD starts only after this returns, so every runtime it runs
	 * finds hs_exec_failed attached; the run is bounded, the tax with it.
	 */
	if (t->xfail_pinned && t->exec_failures) {
		t->xfail_pinned = false;
		err = xfail_attach(t, 0);
		if (!err)
			xfail_upgrade(t);
		t->xfail_pinned = true;
		if (err) {
			hs_err("cannot attach the failed-exec tracepoint: %s", strerror(-err));
			goto fail;
		}
	}

	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, t, NULL);
	if (!t->rb) {
		err = -errno;
		hs_err("cannot set up the ring buffer: %s", strerror(-err));
		goto fail;
	}
	if (t->btfc.fd < 0) {
		size_t sz;
		const void *obj = hooksnoop_bpf__elf_bytes(&sz);

		/* the next start relocates against a cut of the kernel BTF */
		btfcache__fill(&t->btfc, btf_path, obj, sz);
	}
	return 0;
fail:
	xfail_thread_stop(t);
	ring_buffer__free(t->rb);
	t->rb = NULL;
	bpf_link__destroy(t->xfail_link);
	t->xfail_link = NULL;
	tp_links_destroy(t);
	hooksnoop_bpf__destroy(t->skel);
	t->skel = NULL;
	btfcache__close(&t->btfc);
	return err;
}

int tracer__start(struct tracer *t, void (*ready)(void))
{
	int err;

	t->ready = ready;
	if (!t->exec_failures || t->xfail_pinned || t->xfail_thread_on) {
		if (ready)
			ready();
		return 0;
	}
	err = xfail_thread_start(t);
	if (err)
		hs_err("cannot start the failed-exec attach thread: %s", strerror(-err));
	return err;
}

int tracer__poll(struct tracer *t, int timeout_ms)
{
	int n = ring_buffer__poll(t->rb, timeout_ms), m;

	if (n < 0 && n != -EINTR)
		return n;
	/* most records raise no wakeup (see emit() in the BPF side): read them too */
	m = ring_buffer__consume(t->rb);
	if (m < 0)
		return m;
	return (n > 0 ? n : 0) + m;
}

int tracer__stats(struct tracer *t, __u64 out[HS_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals;
	__u32 k;
	int i, fd;

	memset(out, 0, sizeof(__u64) * HS_STAT_MAX);
	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	fd = bpf_map__fd(t->skel->maps.stats);
	for (k = 0; k < HS_STAT_MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (i = 0; i < ncpu; i++)
			out[k] += vals[i];
	}
	free(vals);
	return 0;
}

__u32 tracer__drops(struct tracer *t)
{
	/* the .bss map is mmap'ed: no syscall, cheap enough for every poll */
	return t->skel ? __atomic_load_n(&t->skel->bss->drops_total, __ATOMIC_RELAXED) : 0;
}

__u32 tracer__refused(struct tracer *t)
{
	return t->skel ? __atomic_load_n(&t->skel->bss->refused_total, __ATOMIC_RELAXED) : 0;
}

__u32 tracer__track_refused(struct tracer *t)
{
	return t->skel ? __atomic_load_n(&t->skel->bss->trk_refused_total, __ATOMIC_RELAXED) : 0;
}

/* The walk of src_rate one entry at a time: two system calls per entry. */
static void sources_walk(struct tracer *t,
			 void (*fn)(void *ctx, const struct hs_src_id *id, const struct hs_src_rate *v),
			 void *ctx)
{
	int fd = bpf_map__fd(t->skel->maps.src_rate);
	struct hs_src_id key, next, *prev = NULL;
	struct hs_src_rate v;
	unsigned n = 0;

	/* bounded by the map's size; an entry evicted meanwhile just ends a chain early */
	while (n++ < 8192 && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &v) && (v.refused || v.trk_refused))
			fn(ctx, &key, &v);
	}
}

int tracer__sources(struct tracer *t,
		    void (*fn)(void *ctx, const struct hs_src_id *id, const struct hs_src_rate *v),
		    void *ctx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, o);
	int fd = bpf_map__fd(t->skel->maps.src_rate), err = 0;
	__u32 cap = bpf_map__max_entries(t->skel->maps.src_rate), n = 0, count, tok = 0, i;
	bool first = true;

	/*
	 * During a flood the refusal counters move between almost every two
	 * records, and each move is settled here before the next record: one
	 * entry at a time, a full map (4096 sources) took thousands of system
	 * calls per record, enough for the tracer to fall ~200 ms behind and a
	 * 30 ms crun run to be gone before its exec record was read. One
	 * batched lookup reads them all; the walk stays for kernels without it.
	 */
	if (!t->src_keys) {
		t->src_keys = calloc(cap, sizeof(*t->src_keys));
		t->src_vals = calloc(cap, sizeof(*t->src_vals));
		if (!t->src_keys || !t->src_vals)
			t->src_batch_off = true;
	}
	while (!t->src_batch_off && n < cap) {
		count = cap - n;
		err = bpf_map_lookup_batch(fd, first ? NULL : &tok, &tok, t->src_keys + n,
					   t->src_vals + n, &count, &o);
		err = err ? -errno : 0;
		if (err && err != -ENOENT) {
			if (first && (err == -EINVAL || err == -ENOTSUP || err == -EOPNOTSUPP)) {
				t->src_batch_off = true; /* said once in -v; walked from now on */
				hs_dbg("no batched map lookups here (%s): sources are walked",
				       strerror(-err));
				break;
			}
			n += count;
			break;
		}
		n += count;
		first = false;
		if (err == -ENOENT)
			break;
	}
	if (t->src_batch_off) {
		sources_walk(t, fn, ctx);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (t->src_vals[i].refused || t->src_vals[i].trk_refused)
			fn(ctx, &t->src_keys[i], &t->src_vals[i]);
	return 0;
}

void tracer__close(struct tracer *t)
{
	xfail_thread_stop(t);
	ring_buffer__free(t->rb);
	bpf_link__destroy(t->xfail_link);
	t->xfail_link = NULL;
	tp_links_destroy(t);
	hooksnoop_bpf__destroy(t->late);
	hooksnoop_bpf__destroy(t->skel);
	btfcache__close(&t->btfc);
	free(t->src_keys);
	free(t->src_vals);
	t->src_keys = NULL;
	t->src_vals = NULL;
	t->rb = NULL;
	t->late = NULL;
	t->skel = NULL;
}

/* ---- seeding from /proc ------------------------------------------------- */

struct pinfo {
	__u32 pid, ppid;
	unsigned long long starttime; /* clock ticks since boot, from /proc/PID/stat */
	char comm[HS_COMM_LEN];
	__u8 role;     /* HS_ROLE_* once resolved */
	__u8 resolved; /* 0 no, 1 in progress, 2 done */
	bool gone;     /* exited or exiting (sr_stat_gone): its exit was reported already */
	__u32 root;
};

/*
 * Bounds for the saferead reads below. /proc files are named by us but their
 * content is the process's (a comm, an argv): read bounded, never blocking.
 */
#define PROC_STAT_MAX 4096
#define PROC_STATUS_MAX 65536

/* A stat file's text (freed here) as pid's pinfo. 0 or -errno. */
static int pinfo_from_stat(char *buf, __u32 pid, struct pinfo *pi)
{
	struct sr_stat ps;
	size_t len;
	int err = sr_stat_parse(buf, &ps);

	free(buf);
	if (err)
		return err;
	memset(pi, 0, sizeof(*pi));
	len = strlen(ps.comm);
	memcpy(pi->comm, ps.comm, len < HS_COMM_LEN ? len : HS_COMM_LEN - 1);
	pi->pid = pid;
	pi->ppid = (__u32)ps.ppid;
	pi->starttime = ps.start;
	pi->gone = sr_stat_gone(&ps);
	return 0;
}

/* pid's stat, as path under the /proc root or beneath its /proc/PID handle at. */
static int read_stat(const struct sr_root *proc, int at, const char *path, __u32 pid,
		     struct pinfo *pi)
{
	size_t len;
	char *buf;
	int err = sr_read(proc, at, path, PROC_STAT_MAX, &buf, &len, NULL);

	return err ? err : pinfo_from_stat(buf, pid, pi);
}

/*
 * The scan's read of every /proc/PID/stat, directly rather than through
 * saferead's worker (~35 us a read, most of startup's seeding time): stat is
 * written by the kernel from fields it reads without the target's mmap lock,
 * so it cannot block, and its size is bounded by the kernel, not the
 * process. What other processes control (cmdline, status) of the few
 * processes seeded stays on saferead.
 */
static int read_stat_direct(int procfd, const char *path, __u32 pid, struct pinfo *pi)
{
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), err;
	size_t len;
	char *buf;

	if (fd < 0)
		return -errno;
	err = sr_read_fd(fd, PROC_STAT_MAX, &buf, &len, NULL);
	close(fd);
	return err ? err : pinfo_from_stat(buf, pid, pi);
}

static bool is_runtime_comm(const struct settings *s, const char *comm)
{
	size_t i;

	/* BPF's exact comm match, plus the renames it never sees at exec: runc:[2:INIT] */
	for (i = 0; i < s->nruntimes; i++)
		if (rt_comm_matches(s->runtimes[i], comm))
			return true;
	return false;
}

static struct pinfo *find_pid(struct pinfo *v, size_t n, __u32 pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) { /* v is sorted by pid */
		size_t mid = (lo + hi) / 2;

		if (v[mid].pid == pid)
			return &v[mid];
		if (v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void resolve(const struct settings *s, struct pinfo *v, size_t n, struct pinfo *p,
		    int depth)
{
	struct pinfo *pp;

	if (p->resolved)
		return;
	p->resolved = 1;
	pp = depth < 4096 ? find_pid(v, n, p->ppid) : NULL;
	if (pp && pp != p)
		resolve(s, v, n, pp, depth + 1);
	if (p->gone) {
		/*
		 * A zombie (runc:[2:INIT] killed by `delete -f`, reparented to a
		 * slow reaper) never exits again: seeded, it would hold
		 * runtimes_now up, and the syscall tracepoint attached, forever.
		 */
	} else if (is_runtime_comm(s, p->comm)) {
		p->role = HS_ROLE_RUNTIME;
		p->root = (pp && pp->role == HS_ROLE_RUNTIME) ? pp->root : p->pid;
	} else if (pp && pp->role == HS_ROLE_RUNTIME) {
		p->role = HS_ROLE_LEAF;
		p->root = pp->root;
	}
	p->resolved = 2;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct pinfo *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static __u32 ns_inum(int piddir, const char *ns)
{
	char path[16], buf[64], *p;
	ssize_t n;

	snprintf(path, sizeof(path), "ns/%s", ns);
	n = readlinkat(piddir, path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strchr(buf, '[');
	return p ? (__u32)strtoul(p + 1, NULL, 10) : 0;
}

static void status_fields(int piddir, __u32 pid, __u32 *vpid, __u32 *uid)
{
	char *buf, *l;
	size_t len;

	*vpid = pid;
	*uid = 0;
	if (sr_read(NULL, piddir, "status", PROC_STATUS_MAX, &buf, &len, NULL))
		return;
	l = strstr(buf, "\nUid:");
	if (l)
		*uid = (__u32)strtoul(l + 5, NULL, 10);
	l = strstr(buf, "\nNSpid:");
	if (l) {
		char *end = strchr(l + 1, '\n'), *last = l + 7, *q;

		/* the last number on the line is the pid in the innermost namespace */
		for (q = l + 7; *q && q != end; q++)
			if ((*q == ' ' || *q == '\t') && q[1] >= '0' && q[1] <= '9')
				last = q + 1;
		*vpid = (__u32)strtoul(last, NULL, 10);
	}
	free(buf);
}

/* Deliver a synthetic exec record for a seeded process, read beneath its /proc/PID handle. */
static void seed_event(struct tracer *t, const struct settings *s, const struct pinfo *p,
		       int piddir)
{
	size_t cap = sizeof(struct hs_exec) + s->argv_bytes;
	struct hs_exec *e = calloc(1, cap + 1);
	__s64 boot_off = rtview_boot_off_ns();
	struct timespec ts;
	long hz = sysconf(_SC_CLK_TCK);
	char *argv;
	bool more;
	size_t n;
	ssize_t l;

	if (!e)
		return;
	e->hdr.type = HS_EV_EXEC;
	e->hdr.role = p->role;
	e->hdr.prev_role = p->role == HS_ROLE_LEAF ? HS_ROLE_RUNTIME : HS_ROLE_NONE;
	e->hdr.flags = HS_F_SEEDED | (p->root == p->pid ? HS_F_NEW_ROOT : 0);
	e->hdr.pid = e->hdr.tgid = p->pid;
	e->hdr.ppid = p->ppid;
	e->hdr.root_pid = p->root;
	status_fields(piddir, p->pid, &e->hdr.vpid, &e->hdr.uid);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	e->hdr.ts_ns = (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
	/*
	 * /proc counts from boot, the kernel's records (task->start_time) in
	 * monotonic time, and every reader of start_ns (the pid-reuse checks,
	 * the reap after a loss, JSON) takes it as such: convert. Left from
	 * boot, a seeded runtime on a host that was ever suspended would read
	 * as another process and be let go after the first loss.
	 */
	e->hdr.start_ns = hz > 0 ? (__u64)((__s64)(p->starttime *
						  (1000000000ull / (unsigned long long)hz)) -
					   boot_off)
				 : 0;
	e->hdr.mntns = ns_inum(piddir, "mnt");
	e->hdr.pidns = ns_inum(piddir, "pid");
	memcpy(e->hdr.comm, p->comm, HS_COMM_LEN);
	e->hdr.drops = __atomic_load_n(&t->skel->bss->drops_total, __ATOMIC_RELAXED);

	l = readlinkat(piddir, "exe", e->filename, sizeof(e->filename) - 1);
	e->filename[l > 0 ? l : 0] = '\0';

	/* argv has a byte budget, as at exec: the head of a longer one, flagged */
	n = 0;
	if (!sr_read_head(NULL, piddir, "cmdline", s->argv_bytes, &argv, &n, &more)) {
		memcpy(e->argv, argv, n);
		free(argv);
		if (more)
			e->hdr.flags |= HS_F_ARGV_TRUNC;
	}
	e->argv_len = (__u16)n;
	for (size_t i = 0; i < n; i++)
		if (e->argv[i] == '\0')
			e->argc++;
	if (n && e->argv[n - 1] != '\0')
		e->argc++;
	e->hdr.size = (__u16)(sizeof(*e) + (size_t)n);
	on_record(t, e, e->hdr.size);
	free(e);
}

/*
 * Track and announce one runtime-tree process p read from /proc earlier.
 * The identity check comes before the tracking entry, and it holds for
 * everything after it: the pidfd is opened first, then the /proc/PID
 * handle, and p's start time is read again through that handle. A match
 * means p held the pid when the scan read it and still holds it now, so it
 * held it when the pidfd was opened in between (a pid is not reused while
 * its process lives); and the handle is bound to p's struct pid, so every
 * read of seed_event() is p's or fails. 1 seeded, 0 skipped, -ENOSPC at
 * --max-tracked.
 */
static int seed_one(struct tracer *t, const struct settings *s, const struct sr_root *proc,
		    const struct pinfo *p)
{
	struct hs_track tr = { .role = p->role, .root_pid = p->root };
	int map = bpf_map__fd(t->skel->maps.tracked), pidfd, piddir, ret = 0;
	struct pinfo again;
	char name[16];

	/* task storage is keyed by pidfd from user space */
	pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (pidfd < 0)
		return 0; /* already gone */
	snprintf(name, sizeof(name), "%u", p->pid);
	if (sr_opendir(proc, -1, name, &piddir))
		goto out_pidfd;
	if (read_stat(NULL, piddir, "stat", p->pid, &again) || again.starttime != p->starttime ||
	    again.gone)
		goto out; /* the pid now names another process, or p is exiting */
	if (__atomic_fetch_add(&t->skel->bss->tracked_now, 1, __ATOMIC_RELAXED) >=
	    s->max_tracked) {
		__atomic_fetch_sub(&t->skel->bss->tracked_now, 1, __ATOMIC_RELAXED);
		ret = -ENOSPC;
		goto out;
	}
	/* runtimes_now first: the entry's exit decrements it as soon as it exists */
	if (p->role == HS_ROLE_RUNTIME)
		__atomic_fetch_add(&t->skel->bss->runtimes_now, 1, __ATOMIC_SEQ_CST);
	/* BPF_NOEXIST keeps what the kernel side already set up since attach */
	if (bpf_map_update_elem(map, &pidfd, &tr, BPF_NOEXIST)) {
		__atomic_fetch_sub(&t->skel->bss->tracked_now, 1, __ATOMIC_RELAXED);
		if (p->role == HS_ROLE_RUNTIME)
			__atomic_fetch_sub(&t->skel->bss->runtimes_now, 1, __ATOMIC_SEQ_CST);
		goto out;
	}
	/*
	 * p may have begun exiting between the check above and the update: if
	 * hs_exit ran before the entry existed, nobody would ever drop the
	 * counts. Whoever deletes the entry (hs_exit or this) drops them.
	 */
	if (read_stat(NULL, piddir, "stat", p->pid, &again) || again.gone) {
		if (bpf_map_delete_elem(map, &pidfd) == 0) {
			__atomic_fetch_sub(&t->skel->bss->tracked_now, 1, __ATOMIC_RELAXED);
			if (p->role == HS_ROLE_RUNTIME)
				__atomic_fetch_sub(&t->skel->bss->runtimes_now, 1, __ATOMIC_SEQ_CST);
		}
		goto out;
	}
	seed_event(t, s, p, piddir);
	ret = 1;
out:
	close(piddir);
out_pidfd:
	close(pidfd);
	return ret;
}

/*
 * HOOKSNOOP_TEST_SEED_GATE=PATH (attack.bats only): after the /proc scan and
 * before any process is seeded, create PATH.waiting and wait (at most 30 s)
 * for PATH to exist, so that a test can recycle a scanned runtime's pid in
 * between and check that the process now holding it is never seeded.
 */
static void seed_gate(void)
{
	const char *gate = getenv("HOOKSNOOP_TEST_SEED_GATE");
	char waiting[4096];
	int i, fd;

	if (!gate || snprintf(waiting, sizeof(waiting), "%s.waiting", gate) >= (int)sizeof(waiting))
		return;
	fd = open(waiting, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0)
		close(fd);
	for (i = 0; i < 3000 && access(gate, F_OK); i++)
		usleep(10000);
}

int tracer__seed(struct tracer *t, const struct settings *s)
{
	struct sr_root proc __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct pinfo *v = NULL, *nv;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	int seeded = 0, err;
	DIR *d;

	err = sr_root_of_path(&proc, "/proc");
	d = err ? NULL : opendir("/proc");
	if (!d) {
		err = err ?: -errno;
		hs_warn("cannot read /proc (%s): runtimes already running are not followed",
			sr_strerror(err));
		return err;
	}
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		char path[32];

		if (*end || !pid)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		snprintf(path, sizeof(path), "%lu/stat", pid);
		if (read_stat_direct(dirfd(d), path, (__u32)pid, &v[n]) == 0)
			n++;
	}
	closedir(d);
	if (!v)
		return 0;
	qsort(v, n, sizeof(*v), cmp_pid);
	for (i = 0; i < n; i++) {
		resolve(s, v, n, &v[i], 0);
		/* runtimes are running: their next forks must find hs_exec_failed attached */
		if (v[i].role == HS_ROLE_RUNTIME) {
			pthread_mutex_lock(&t->xfail_lock);
			xfail_attach(t, 0);
			pthread_mutex_unlock(&t->xfail_lock);
		}
	}

	seed_gate();
	for (i = 0; i < n; i++) {
		if (v[i].role == HS_ROLE_NONE)
			continue;
		err = seed_one(t, s, &proc, &v[i]);
		if (err == -ENOSPC) {
			hs_warn("--max-tracked %u reached while seeding running runtimes",
				s->max_tracked);
			break;
		}
		seeded += err;
	}
	free(v);
	hs_dbg("seeded %d running runtime-tree processes from /proc", seeded);
	return seeded;
}
