// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel side of hooksnoop: follow container runtime process trees and report
 * the execs, failed execs, forks and exits inside them.
 *
 * Attach points: tp_btf on sched_process_exec / sched_process_fork /
 * sched_process_exit follow the trees (no tracefs, no kprobes; these kernels
 * have no kprobes and refuse fentry/fexit with EPERM). Failed execs never
 * reach sched_process_exec, and no tracepoint outside the syscall layer
 * sees one (on 6.18 an execve that cannot find its file returns before any
 * tracepoint: alloc_bprm() opens the file first; sched_prepare_exec is past
 * the point of no return and absent on 6.1). So they are caught at syscall
 * exit, by one of two programs sharing report_failed(): hs_exec_failed on
 * the raw sys_exit tracepoint, hs_exec_failed_tp on the classic
 * syscalls:sys_exit_execve(at) tracepoints. The arguments come from the
 * task's saved user registers, which a failed execve leaves intact, so no
 * entry/exit pairing map is needed.
 *
 * The syscall tax. Registering a probe on any syscall tracepoint
 * (syscall_regfunc()) flags every task on the host for the syscall-tracing
 * slow path, for every system call, until the last probe goes: +15 % on a
 * getppid() loop. So both are attached only while runtime-role processes
 * live (`runtimes_now`), by a user-space thread of their own at real-time
 * priority (on a loaded host a normal thread waited 30-70 ms to run, longer
 * than runc takes to its first hook). In live mode that thread first loads
 * them (and the capture program): half of all verification, off the path
 * to the first record; a runtime child forked before they are attached is
 * unwatched like any other (below). In CI mode they load with the rest,
 * before CMD starts. Attach and detach:
 *
 *  - idle -> busy: a new root posts its exec time to the `wake` ring with a
 *    forced wakeup; the thread attaches hs_exec_failed (raw sys_exit,
 *    xfail_mode XFAIL_RAW), ~0.3 ms after the runtime's exec. A BPF
 *    raw-tracepoint link registers its probe without waiting on anything.
 *  - then it opens the perf tracepoints for hs_exec_failed_tp, switches
 *    xfail_mode to XFAIL_TP and drops the raw link. The perf path skips
 *    other system calls before any program runs, where the raw program runs
 *    (and returns at once) at every system call's exit on the host: +23 ns
 *    against +12 per call on getppid here. Opening them can wait ~150 ms:
 *    closing a classic tracepoint's perf event waits for RCU grace periods
 *    under the kernel's event_mutex (perf_trace_destroy()), and every open
 *    on the host waits behind it - which is why it cannot be the fast path.
 *    During the switch both are attached; the mode word makes one report
 *    (for a failed exec at the very instant of the switch, possibly both).
 *  - busy -> idle: after a second with runtimes_now at 0, xfail_mode and
 *    xfail_live go to 0, the raw link is dropped and the perf links are
 *    closed on a thread of their own, so the attach thread is never stuck
 *    behind their grace periods.
 *
 * In CI mode the perf tracepoints stay attached for the whole run (CMD
 * starts only after). Without tracefs the raw program stays instead.
 *
 * The race this leaves, and why no failed exec goes unnoticed. A runtime
 * root is created here, synchronously in its exec; hs_exec_failed is
 * attached a wakeup and one attach call later (~0.3 ms). Only a tracked
 * process can produce a hook, only a fork of a runtime-role process is
 * tracked, and a process sees sys_exit for every execve that returns after
 * the attachment. User space sets `xfail_live` once the link exists and
 * clears it before it detaches, so a process forked
 * while xfail_live is 1 has every exec attempt covered. One forked while it
 * is 0 is marked HS_TRK_UNWATCHED; a successful exec clears the mark (that
 * exec is reported, and only the last exec of a process is its hook). If it
 * exits unsuccessfully still marked, it may have failed an exec nobody saw:
 * that is counted as a loss (HS_STAT_DROP_UNWATCHED) and stamped into its
 * exit record, so its container reads `unknown`, never a confident `ok` or
 * `missing`. The root itself (it exec'd successfully) and runtime re-execs
 * are not hooks. Runtimes reach their first hook 5-30 ms after their own
 * exec (runc: Go start, config, `runc init`; crun: config, clone of the
 * container init), so the window is closed long before; the integration
 * test starts a runtime whose first hook is missing from the detached
 * state, 50 times, and requires ENOENT every time.
 *
 * Tracking. Each followed process carries a task-local storage slot (on its
 * thread-group leader) holding {role, root}. Task storage rather than a pid
 * hash: for the untracked majority the lookup is a NULL test on
 * task->bpf_storage (no hashing), and the slot dies with the task, so a
 * reused pid can never inherit a role. `tracked_now` caps how many processes
 * are followed at once (--max-tracked); refusals are counted as drops.
 *
 * A process becomes a runtime root when its comm after exec is one of the
 * runtime names (set in rodata by user space before load). Forks of
 * runtime-role processes inherit the role. An exec by a runtime-role process
 * stays "runtime" when it is a re-exec of a runtime (/proc/self/exe,
 * /dev/fd/N, /proc/self/fd/N, or a runtime comm); any other exec turns it into
 * a leaf (hook, container process or helper) whose forks are not followed, so
 * a busy container costs nothing. Threads are ignored (the slot is per
 * process). The slot is removed when the last thread exits.
 *
 * Hooks. The first non-runtime exec of a runtime child is a hook unless it
 * starts the container process (starts_container()). A hook's subtree is
 * followed after all - its forks are tracked as leaves carrying the hook's
 * pid (hs_track.hook_pid), at most HS_DESC_MAX per hook and HS_DESC_DEPTH
 * deep, the rest counted - and its I/O captured in a `hookinfo` entry made
 * at its exec: the struct file of its fd 0, 1, 2 (their kinds go out in an
 * HS_EV_HOOK record, with the environment under -e), a tail ring per output
 * stream and the count of stdin bytes. At syscall exit a read, write or
 * writev of any process of the subtree is matched by open file against the
 * hook's: stdin reads go out as HS_EV_INPUT (the state JSON, bounded by
 * HS_STATE_MAX), writes land in the ring (only the part within the last
 * --output-bytes is copied), and the hook's exit sends both tails in one
 * HS_EV_OUTPUT record before its exit record and drops the entry. The
 * capture programs are the failed-exec ones' companions: the same raw
 * sys_exit program in XFAIL_RAW mode, hs_capture_tp on the read / write /
 * writev / dup2 / dup3 exit tracepoints in XFAIL_TP mode: no syscall
 * tracepoint while idle.
 *
 * The I/O capture's own schedule. A perf syscall tracepoint costs every
 * call of its system call on the host ~25 ns of perf machinery before any
 * program runs (+30 % on a 1-byte write()), and a foreground `runc run`
 * keeps runtimes alive for its container's whole life. So in XFAIL_TP mode
 * the capture tracepoints come and go on their own: attached while hooks
 * live (`hooks_now`: hookinfo entries) and for two seconds after the last
 * hook or sign of one, detached in between. Signs, posted to `wake` as
 * HS_WAKE_CAPTURE while `capture_live` is 0: a runtime forks (its child
 * may exec a hook: the tracepoints are back ~0.4 ms later, long before a
 * fork + exec + the hook's first write), a container process or runtime
 * helper exits (poststop hooks follow; crun forks them ~1 ms after). A hook
 * that starts while capture_live is 0 anyway (its wakeup lost the race, the
 * tracer was stopped) is counted, then reads capture_live: user space
 * clears capture_live, then reads hooks_now, so either the capture stays or
 * the hook's start record carries HS_F_CAPTURE_LATE and its output is
 * reported as possibly incomplete ("late"), never as whole.
 *
 * Cost for everyone else: exec = a storage NULL test plus a few compares of
 * the comm against the names; fork = a thread test and a storage NULL test;
 * exit = a storage NULL test; failed exec = a return value test. No helper
 * call, no hashing, nothing copied. While hooks live (and two seconds
 * after), a read / write / writev / dup2 / dup3 also runs hs_capture_tp up
 * to the storage NULL test.
 *
 * Records are built in a per-CPU scratch slot and sent with bpf_ringbuf_output
 * at their real size (exec records carry a variable argv). Every drop is
 * counted per cause in `stats`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "hooksnoop.h"
#include "hs_arch.h"

/* Twice the largest budget: lets the verifier prove `off < MAX` plus `room <= MAX` fits. */
#define EXEC_SCRATCH (sizeof(struct hs_exec) + 2 * HS_ARGV_MAX)

/* Set by user space before load. */
const volatile __u32 argv_budget = HS_ARGV_DEFAULT; /* bytes, <= HS_ARGV_MAX */
const volatile __u32 max_tracked = 8192;
const volatile __u64 ringbuf_bytes = 1 << 20; /* the events map's size */
const volatile __u32 nr_runtime_names = 0;
/* New runtime roots a second per source (mount namespace, uid); 0: no bound. */
const volatile __u32 root_rate = 0;
/* Processes one source may have followed at once; 0: no bound but max_tracked. */
const volatile __u32 src_max_tracked = 0;
/* comm of each runtime as two zero-padded 8-byte words (task->comm is zero-padded) */
const volatile __u64 runtime_names[HS_RUNTIME_NAMES][2] = {};
/* --output-bytes: tail kept per hook stream, 0 = stdout/stderr not captured */
const volatile __u32 output_keep = HS_OUTPUT_DEFAULT;
/* -e: hooks' environments are reported */
const volatile bool env_on = false;

/* Processes followed right now (user space adds the ones it seeds). */
__u64 tracked_now = 0;
/* Runtime-role processes followed right now: hs_exec_failed is attached while > 0. */
__u64 runtimes_now = 0;
/* Written by user space: 1 while a failed-exec program is attached. */
__u32 xfail_live = 0;
/* Written by user space: which failed-exec program reports (XFAIL_*; both may be attached). */
__u32 xfail_mode = 0;
/*
 * Hooks with a capture entry (hookinfo) right now, and (written by user
 * space) 1 while their I/O is captured: the raw program, or the read /
 * write / writev / dup2 / dup3 exit tracepoints, attached. See "The I/O
 * capture's own schedule" above.
 */
__u64 hooks_now = 0;
__u32 capture_live = 0;
/* Every loss, all causes: stamped into each record (hs_hdr.drops). */
__u32 drops_total = 0;
/* Runtime roots refused by the per-source bound (not in drops_total). */
__u32 refused_total = 0;
/* Processes refused by the per-source tracking bound (not in drops_total). */
__u32 trk_refused_total = 0;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* resized by user space (--ringbuf-size) */
} events SEC(".maps");

/*
 * A new runtime root while hs_exec_failed is detached: its exec time, with
 * a forced wakeup, for the user-space thread that attaches the tracepoints.
 * Apart from `events` so that thread neither waits behind the record
 * consumer nor has to consume records itself.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} wake SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct hs_track);
} tracked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/*
 * Capture state of each live hook (see "Hooks" at the top). The value is the
 * shared struct plus HS_OUTPUT_MAX spare bytes: the verifier checks a copy
 * of up to HS_OUTPUT_MAX bytes at a ring offset of up to HS_OUTPUT_MAX - 1
 * against the value's end, not against the ring's (hs_tail_span() keeps
 * every copy inside the ring; the spare is never written).
 */
struct hookinfo_val {
	struct hs_hookinfo hi;
	char spare[HS_OUTPUT_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, HS_HOOKS_MAX);
	__type(key, __u64);
	__type(value, struct hookinfo_val);
} hookinfo SEC(".maps");

/* A zeroed hookinfo_val to create entries from (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hookinfo_val);
} hookinfo_zero SEC(".maps");

struct scratch {
	__u8 buf[EXEC_SCRATCH];
};

/*
 * One record-building slot per CPU. A plain array indexed by CPU id rather
 * than a per-CPU array: per-CPU values are capped at 32 KiB and a slot is
 * ~64 KiB. Programs run with migration disabled, so the slot stays ours.
 * max_entries is set to the number of possible CPUs by user space.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/*
 * Hostile hosts: anyone can exec a binary named runc. Each new root costs
 * user space /proc reads and a configuration parse, so new roots are bounded
 * per source (mount namespace + uid: a container, or an unprivileged user
 * on the host, is one source; the host's root runtimes another). LRU: a
 * source sprayed across fresh namespaces evicts old entries, and user space
 * then charges the unattributed refusals to every container.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct hs_src_id);
	__type(value, struct hs_src_rate);
} src_rate SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1; /* per-CPU slot: no atomics needed */
}

/* A loss: counted per cause, and in the running total records are stamped with. */
static __always_inline void count_drop(__u32 cause)
{
	stat_inc(cause);
	__sync_fetch_and_add(&drops_total, 1);
}

/*
 * Records go out without waking the consumer: a wakeup is a self-IPI, which
 * traps to the hypervisor in a VM (~8 us, more than building the record), and
 * at a runtime's pace the consumer has always caught up, so adaptive wakeup
 * would fire for every record. User space polls every few ms while runtime
 * or hook processes live; a new runtime root (the start of any activity) and
 * a ring past a quarter full force a wakeup.
 */
static __always_inline int emit(void *rec, __u64 size, bool urgent)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (urgent || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > ringbuf_bytes / 4)
		flags = BPF_RB_FORCE_WAKEUP;
	stat_inc(HS_STAT_EVENTS);
	if (bpf_ringbuf_output(&events, rec, size, flags)) {
		count_drop(HS_STAT_DROP_RINGBUF);
		return -1;
	}
	return 0;
}

/*
 * Verification cost. Since 6.5 the verifier looks every load of a pointer
 * field through a trusted BTF pointer (task->group_leader, ->signal,
 * ->bpf_storage) up in tables of "safe" nested types by name: up to four
 * linear scans of the whole vmlinux BTF per load, each time the load is
 * verified. With a handful of such loads on branchy paths that was most of
 * hooksnoop's startup (~15 such loads, ~1 ms each on this machine). So
 * pointer fields are read with BPF_CORE_READ (a probe read: a scalar, no
 * lookup), except group_leader, which the task-storage helpers need as a
 * trusted pointer, and bpf_storage on the hot paths (track_get_hot): each
 * loaded once per program, before any branch can multiply its verification.
 */
static __always_inline struct hs_track *track_get(struct task_struct *leader)
{
	return bpf_task_storage_get(&tracked, leader, NULL, 0);
}

/* A hint to the attach thread (see struct hs_wake); full means a wakeup is pending anyway. */
static __always_inline void wake_hint(__u32 kind)
{
	struct hs_wake w = { .ts_ns = bpf_ktime_get_ns(), .kind = kind };

	bpf_ringbuf_output(&wake, &w, sizeof(w), BPF_RB_FORCE_WAKEUP);
}

/*
 * track_get() for the programs every exec, fork and exit on the host runs:
 * a task nobody attached storage to has a NULL bpf_storage, and one load
 * (~40 ns less than the helper call on this machine) is worth its ~1 ms of
 * verification there. Call it once per program, before any branch.
 */
static __always_inline struct hs_track *track_get_hot(struct task_struct *leader)
{
	if (!leader->bpf_storage)
		return NULL;
	return bpf_task_storage_get(&tracked, leader, NULL, 0);
}

/*
 * Give back one of a count (tracked_now, runtimes_now): never below 0. A
 * count that wrapped to 2^64 - 1 refused every process from then on and
 * kept the syscall tracepoints attached for good (seen once in an hour's
 * soak: two threads of one process both reporting its exit, now claimed
 * in hs_exit). Kept as a guard: a lost decrement only makes a count high
 * (a few slots fewer, a detach later), an extra one must not wrap it.
 */
static __always_inline void count_put(__u64 *c)
{
	__u64 old;
	int i;

	for (i = 0; i < 4; i++) {
		old = *(volatile __u64 *)c;
		if (!old || (__s64)old < 0)
			return;
		if (__sync_val_compare_and_swap(c, old, old - 1) == old)
			return;
	}
}

/*
 * Take one of src's --source-max-tracked slots: 1 taken, 0 refused (counted
 * against the source), -1 no accounting (no bound, or the source's entry
 * is gone: evicted from the LRU, or a seeded tree's).
 */
static __always_inline int src_take(const struct hs_src_id *src)
{
	struct hs_src_rate *r;

	if (!src_max_tracked || !src->mnt_id)
		return -1;
	r = bpf_map_lookup_elem(&src_rate, src);
	if (!r)
		return -1;
	if (__sync_fetch_and_add(&r->tracked, 1) < (__s64)src_max_tracked)
		return 1;
	__sync_fetch_and_add(&r->tracked, -1);
	__sync_fetch_and_add(&r->trk_refused, 1);
	__sync_fetch_and_add(&trk_refused_total, 1);
	stat_inc(HS_STAT_TRACK_REFUSED);
	return 0;
}

static __always_inline void src_give(const struct hs_src_id *src)
{
	struct hs_src_rate *r = bpf_map_lookup_elem(&src_rate, src);

	if (r)
		__sync_fetch_and_add(&r->tracked, -1);
}

/*
 * New slot for leader, within its source's share and the --max-tracked cap;
 * NULL otherwise (a source's refusal is its own, not a drop).
 */
static __always_inline struct hs_track *track_new(struct task_struct *leader, __u8 role,
						  __u32 root, const struct hs_src_id *src)
{
	struct hs_track *tr;
	int taken = src_take(src);

	if (!taken)
		return NULL;
	if ((__s64)__sync_fetch_and_add(&tracked_now, 1) >= (__s64)max_tracked)
		goto full;
	tr = bpf_task_storage_get(&tracked, leader, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tr)
		goto full;
	tr->role = role;
	tr->root_pid = root;
	tr->flags = taken > 0 ? HS_TRK_SRC_COUNTED : 0;
	tr->depth = 0;
	tr->hook_pid = 0;
	tr->hook_gen = 0;
	tr->src = *src;
	if (role == HS_ROLE_RUNTIME)
		__sync_fetch_and_add(&runtimes_now, 1);
	return tr;
full:
	count_put(&tracked_now);
	if (taken > 0)
		src_give(src);
	count_drop(HS_STAT_DROP_TRACK_FULL);
	return NULL;
}

static __always_inline bool is_runtime_comm(const char *comm)
{
	__u64 w0 = *(const __u64 *)comm, w1 = *(const __u64 *)(comm + 8);
	__u32 i;

	for (i = 0; i < HS_RUNTIME_NAMES; i++) {
		if (i >= nr_runtime_names)
			break;
		if (runtime_names[i][0] == w0 && runtime_names[i][1] == w1)
			return true;
	}
	return false;
}

/*
 * A mount namespace as hooksnoop reads it, on any kernel (CO-RE): its inode
 * number, and the id that identifies it for good - ns_common.ns_id on 6.18,
 * mnt_namespace.seq on 6.1; each read only where it exists. One local type
 * for every read: libbpf searches vmlinux BTF once per local type (~1 ms).
 */
struct ns_common___hs {
	unsigned int inum;
	__u64 ns_id;
} __attribute__((preserve_access_index));
struct mnt_namespace___hs {
	struct ns_common___hs ns;
	__u64 seq;
} __attribute__((preserve_access_index));

static __always_inline unsigned int mntns_inum(struct mnt_namespace___hs *ns)
{
	return BPF_CORE_READ(ns, ns.inum);
}

static __always_inline __u64 mntns_id(struct mnt_namespace___hs *ns)
{
	if (bpf_core_field_exists(ns->ns.ns_id))
		return BPF_CORE_READ(ns, ns.ns_id);
	if (bpf_core_field_exists(ns->seq))
		return BPF_CORE_READ(ns, seq);
	return (__u64)1 << 63 | mntns_inum(ns); /* neither: the (reusable) inode */
}

/*
 * May p, a runtime exec'd outside any tree, become a new root? Within
 * root_rate a second for its source (*key, filled in). Races between CPUs
 * can let a few more through; none is refused uncounted.
 */
static __always_inline bool root_allowed(struct task_struct *p, struct hs_src_id *key)
{
	struct hs_src_rate *r, init = {};
	struct mnt_namespace___hs *ns;
	__u64 now;

	if (!root_rate && !src_max_tracked)
		return true;
	ns = (void *)BPF_CORE_READ(p, nsproxy, mnt_ns);
	key->mnt_id = mntns_id(ns);
	key->uid = (__u32)bpf_get_current_uid_gid(); /* p is current (its exec) */
	now = bpf_ktime_get_ns();
	r = bpf_map_lookup_elem(&src_rate, key);
	if (!r) {
		init.window_ns = now;
		init.count = 1;
		init.mntns = mntns_inum(ns);
		init.uid = key->uid;
		bpf_map_update_elem(&src_rate, key, &init, BPF_NOEXIST);
		return true;
	}
	if (!root_rate)
		return true;
	if (now - r->window_ns >= 1000000000ULL) {
		r->window_ns = now;
		r->count = 0;
	}
	if (__sync_fetch_and_add(&r->count, 1) < root_rate)
		return true;
	__sync_fetch_and_add(&r->refused, 1);
	__sync_fetch_and_add(&refused_total, 1);
	stat_inc(HS_STAT_ROOT_REFUSED);
	return false;
}

/*
 * t's struct upid in its own pid namespace, pid->numbers[pid->level]. The
 * upid is read by its layout, { int nr; struct pid_namespace *ns; } since
 * 2.6.24 on every architecture, not relocated: each CO-RE type costs a
 * start a scan of all of vmlinux BTF (~0.85 ms here); `numbers`' offset in
 * struct pid still is.
 */
struct upid___layout {
	int nr;
	int pad;
	__u64 ns;
};

static __always_inline void task_upid(struct task_struct *t, struct upid___layout *u)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);
	__u64 at = (__u64)p + bpf_core_field_offset(struct pid, numbers) +
		   (__u64)(level & 31) * sizeof(*u); /* MAX_PID_NS_LEVEL 32 */

	if (!p || bpf_probe_read_kernel(u, sizeof(*u), (void *)at))
		__builtin_memset(u, 0, sizeof(*u));
}

static __always_inline __u32 task_vpid(struct task_struct *t)
{
	struct upid___layout u;

	task_upid(t, &u);
	return u.nr;
}

/* Fill the common header from task t (`current`, or the child for forks). */
static __always_inline void fill_hdr(struct hs_hdr *h, struct task_struct *t, __u16 type,
				     __u8 role, __u32 root, __u8 prev_role)
{
	struct upid___layout u;
	struct pid_namespace *ns;

	h->type = type;
	h->role = role;
	h->prev_role = prev_role;
	h->flags = 0;
	h->pid = BPF_CORE_READ(t, pid);
	h->tgid = BPF_CORE_READ(t, tgid);
	h->ppid = BPF_CORE_READ(t, real_parent, tgid);
	h->root_pid = root;
	task_upid(t, &u);
	h->vpid = u.nr;
	/*
	 * t is current, or the child it forks (whose credentials are a copy):
	 * the helper gives the same kuid as t->cred->uid, without struct cred's
	 * CO-RE search of vmlinux BTF at every start.
	 */
	h->uid = (__u32)bpf_get_current_uid_gid();
	h->ts_ns = bpf_ktime_get_ns();
	h->start_ns = BPF_CORE_READ(t, group_leader, start_time);
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->mntns = mntns_inum((void *)BPF_CORE_READ(t, nsproxy, mnt_ns));
	ns = (struct pid_namespace *)u.ns; /* outside BPF_CORE_READ: not a CO-RE access */
	h->pidns = BPF_CORE_READ(ns, ns.inum);
	BPF_CORE_READ_STR_INTO(&h->comm, t, comm);
	h->drops = drops_total;
	h->hook_pid = 0;
}

static __always_inline struct hs_exec *exec_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scratch, &cpu);
}

static __always_inline __u32 budget(void)
{
	__u32 b = argv_budget;

	return b > HS_ARGV_MAX ? HS_ARGV_MAX : b;
}

/*
 * Is `name` (a kernel copy of bprm->filename) a runtime re-exec path?
 * /proc/self/exe, /dev/fd/<N>, /proc/self/fd/<N>.
 */
static __always_inline bool reexec_path(const char *name)
{
	if (name[0] != '/')
		return false;
	if (name[1] == 'd' && name[2] == 'e' && name[3] == 'v' && name[4] == '/' &&
	    name[5] == 'f' && name[6] == 'd' && name[7] == '/')
		return true;
	if (name[1] == 'p' && name[2] == 'r' && name[3] == 'o' && name[4] == 'c' &&
	    name[5] == '/' && name[6] == 's' && name[7] == 'e' && name[8] == 'l' &&
	    name[9] == 'f' && name[10] == '/') {
		if (name[11] == 'e' && name[12] == 'x' && name[13] == 'e' && name[14] == '\0')
			return true;
		if (name[11] == 'f' && name[12] == 'd' && name[13] == '/')
			return true;
	}
	return false;
}

/* The system calls the capture programs look at (arm64 has no dup2: dup3 only). */
#define NR_READ __NR_read
#define NR_WRITE __NR_write
#define NR_WRITEV __NR_writev
#ifdef __NR_dup2
#define NR_DUP2 __NR_dup2
#else
#define NR_DUP2 (-1)
#endif
#define NR_DUP3 __NR_dup3

/* Bit n % 64 of word w if syscall number n (when >= 0) is in word w. */
#define NRBIT(n, w) ((n) >= 0 && (n) / 64 == (w) ? 1ull << (((n) >= 0 ? (n) : 0) % 64) : 0ull)
#define NRWORD(w)                                                                           \
	(NRBIT(NR_READ, w) | NRBIT(NR_WRITE, w) | NRBIT(NR_WRITEV, w) | NRBIT(NR_DUP2, w) |  \
	 NRBIT(NR_DUP3, w))
#define NR_WORDS 8 /* syscall numbers below 512 */
static const volatile __u64 capture_nrs[NR_WORDS] = {
	NRWORD(0), NRWORD(1), NRWORD(2), NRWORD(3), NRWORD(4), NRWORD(5), NRWORD(6), NRWORD(7),
};
_Static_assert(NR_READ < 64 * NR_WORDS && NR_WRITE < 64 * NR_WORDS &&
		       NR_WRITEV < 64 * NR_WORDS && NR_DUP2 < 64 * NR_WORDS &&
		       NR_DUP3 < 64 * NR_WORDS,
	       "capture_nrs covers the captured syscalls");

/*
 * A bit test rather than five compares: after `nr == NR_READ || ...` the
 * verifier knows nr as one of five constants and walks capture() once for
 * each (+2.7 ms of startup); a table lookup teaches it nothing.
 */
static __always_inline bool capture_nr(long nr)
{
	if ((unsigned long)nr >= 64 * NR_WORDS)
		return false;
	return (capture_nrs[nr / 64] >> (nr % 64)) & 1;
}

/*
 * The first non-runtime exec of a runtime child starts the container process,
 * not a hook, when it is pid 1 of its pid namespace or entered a mount
 * namespace its parent is not in (crun's cloned init, runc:[2:INIT] re-parented
 * to runc init's parent): its subtree is never followed. Hooks are plain
 * fork+exec children and share their parent's namespaces - the container-side
 * ones (createContainer, startContainer) the init's.
 */
static __always_inline bool starts_container(struct task_struct *p)
{
	if (task_vpid(p) == 1)
		return true;
	return BPF_CORE_READ(p, nsproxy, mnt_ns) != BPF_CORE_READ(p, real_parent, nsproxy, mnt_ns);
}

/* The struct file behind t's descriptor fd, 0 when none. */
static __always_inline __u64 fd_file(struct task_struct *t, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return 0;
	return (__u64)f;
}

static __always_inline void fd_info(struct task_struct *t, int fd, struct hs_fdinfo *fi, __u64 *fp)
{
	struct file *f = (struct file *)fd_file(t, fd);

	*fp = (__u64)f;
	fi->mode = f ? BPF_CORE_READ(f, f_inode, i_mode) : 0;
	fi->rdev = f ? BPF_CORE_READ(f, f_inode, i_rdev) : 0;
}

/*
 * A hook starts (after its exec record went out of the scratch slot): where
 * its fd 0-2 point, its environment with -e, and its capture state - the
 * files its stdin, stdout and stderr are, so that a write or read by it or
 * a descendant is matched by file, whatever descriptor it uses.
 */
static __always_inline void hook_start(struct task_struct *p, struct hs_track *tr, void *slot)
{
	struct hs_hook *hk = slot;
	struct hookinfo_val *z, *v;
	unsigned long env_start, env_end, len = 0;
	__u64 key = hs_hook_key(tr->hook_pid, tr->hook_gen), fp[3];
	__u32 zero = 0, b;
	__u16 flags = 0;

	/* the exec record's header is in place (same slot, same offset): retag it */
	hk->hdr.type = HS_EV_HOOK;
	fd_info(p, 0, &hk->fd[0], &fp[0]);
	fd_info(p, 1, &hk->fd[1], &fp[1]);
	fd_info(p, 2, &hk->fd[2], &fp[2]);
	if (env_on) {
		flags |= HS_F_ENV;
		env_start = BPF_CORE_READ(p, mm, env_start);
		env_end = BPF_CORE_READ(p, mm, env_end);
		len = env_end > env_start ? env_end - env_start : 0;
		b = budget();
		if (len > b) {
			len = b;
			flags |= HS_F_ENV_TRUNC;
		}
		if (len > HS_ARGV_MAX)
			len = HS_ARGV_MAX;
		if (len && bpf_probe_read_user(hk->env, len, (void *)env_start)) {
			flags |= HS_F_ENV_FAULT;
			len = 0;
		}
	}
	hk->env_len = len;
	hk->envc = 0;
	hk->pad = 0;
	z = bpf_map_lookup_elem(&hookinfo_zero, &zero);
	v = NULL;
	if (z && !bpf_map_update_elem(&hookinfo, &key, z, BPF_ANY))
		v = bpf_map_lookup_elem(&hookinfo, &key);
	if (v) {
		v->hi.file[0] = fp[0];
		v->hi.file[1] = fp[1];
		v->hi.file[2] = fp[2];
		/*
		 * Counted, then capture_live read (both sequentially consistent,
		 * as user space's clear of capture_live and its read of
		 * hooks_now): user space keeps the capture or this hook is told
		 * it started without it, possibly both, never neither.
		 */
		__sync_fetch_and_add(&hooks_now, 1);
		if (!*(volatile __u32 *)&capture_live) { /* after the fully ordered add */
			flags |= HS_F_CAPTURE_LATE;
			wake_hint(HS_WAKE_CAPTURE);
		}
	} else {
		flags |= HS_F_NO_CAPTURE;
		stat_inc(HS_STAT_HOOKINFO_FULL);
	}
	hk->hdr.flags = flags;
	hk->hdr.size = sizeof(*hk) + len;
	emit(hk, sizeof(*hk) + len, false);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(hs_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct hs_track *tr;
	struct hs_exec *e;
	__u8 prev_role = HS_ROLE_NONE, role;
	__u16 flags = 0;
	bool rt_name, hook = false;
	struct hs_src_id src = {};
	unsigned long arg_start, arg_end, len;
	__u32 b, root, tgid;
	long n;

	/*
	 * Filter first. `p` is a trusted BTF pointer and, after exec, the
	 * thread-group leader: plain loads, no helper calls before we know the
	 * process matters.
	 */
	tr = track_get_hot(p);
	rt_name = is_runtime_comm(p->comm);
	if (!tr && !rt_name)
		return 0;
	if (!tr && !root_allowed(p, &src))
		return 0;

	e = exec_scratch();
	if (!e)
		return 0;
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), bprm->filename);
	if (n < 0)
		e->filename[0] = '\0';

	tgid = p->tgid;
	barrier_var(tgid); /* one load of p->tgid, not merged with tr->root_pid's */
	if (!tr) {
		/* a runtime binary started from outside any runtime tree: a new root */
		tr = track_new(p, HS_ROLE_RUNTIME, tgid, &src);
		/*
		 * Not followed (counted: a drop, or its source's refusal): no
		 * record either, or user space would wait for an exit that is
		 * never reported, holding its root open.
		 */
		if (!tr)
			return 0;
		flags = HS_F_NEW_ROOT;
		role = HS_ROLE_RUNTIME;
		root = tgid;
	} else if (tr->role == HS_ROLE_LEAF) {
		prev_role = HS_ROLE_LEAF;
		if (rt_name) {
			/* a hook or helper exec'ing a runtime starts a tree of its own */
			tr->role = HS_ROLE_RUNTIME;
			tr->root_pid = tgid;
			flags = HS_F_NEW_ROOT;
			__sync_fetch_and_add(&runtimes_now, 1);
		}
		role = tr->role;
		root = tr->root_pid;
	} else {
		prev_role = HS_ROLE_RUNTIME;
		if (rt_name || reexec_path(e->filename)) {
			flags = HS_F_REEXEC; /* runtime re-exec: stays runtime */
		} else {
			tr->role = HS_ROLE_LEAF;
			count_put(&runtimes_now);
			if (!starts_container(p)) {
				/* a hook: its subtree and its I/O are followed from here */
				hook = true;
				tr->flags |= HS_TRK_HOOK;
				tr->hook_pid = tgid;
				tr->hook_gen = (__u32)p->start_time;
				tr->depth = 0;
			}
		}
		role = tr->role;
		root = tr->root_pid;
	}
	if (tr)
		tr->flags &= ~HS_TRK_UNWATCHED; /* this exec is reported: nothing unseen */

	fill_hdr(&e->hdr, p, HS_EV_EXEC, role, root, prev_role);
	e->hdr.hook_pid = tr ? tr->hook_pid : 0;
	if (n == sizeof(e->filename))
		flags |= HS_F_FILENAME_TRUNC;
	e->err = 0;

	/* argv: the new image's argument area, already in place in user memory. */
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_end = BPF_CORE_READ(p, mm, arg_end);
	len = arg_end > arg_start ? arg_end - arg_start : 0;
	b = budget();
	if (len > b) {
		len = b;
		flags |= HS_F_ARGV_TRUNC;
	}
	if (len > HS_ARGV_MAX) /* b <= MAX already; this states it for the verifier */
		len = HS_ARGV_MAX;
	if (len && bpf_probe_read_user(e->argv, len, (void *)arg_start)) {
		flags |= HS_F_ARGV_FAULT;
		len = 0;
	}
	e->hdr.flags = flags;
	e->argv_len = len;
	e->argc = BPF_CORE_READ(bprm, argc);
	e->hdr.size = sizeof(*e) + len;
	/* a hint (runtimes_now is the truth) */
	if ((flags & HS_F_NEW_ROOT) && !xfail_live)
		wake_hint(HS_WAKE_ROOT);
	emit(e, sizeof(*e) + len, flags & HS_F_NEW_ROOT);
	if (hook && tr)
		hook_start(p, tr, e);
	return 0;
}

struct argv_scan {
	struct hs_exec *e;
	const char *const *uargv;
	__u32 off;
	__u32 budget;
	bool ended; /* the callback stopped the loop (NULL arg, budget, fault) */
};

/* bpf_loop callback: copy argv[i] of a failed exec; 1 stops the loop. */
static long scan_arg(__u32 i, void *data)
{
	struct argv_scan *sc = data;
	struct hs_exec *e = sc->e;
	const char *arg = NULL;
	__u32 room, off;
	long n;

	sc->ended = true;
	if (i >= HS_ARGV_SCAN || bpf_probe_read_user(&arg, sizeof(arg), &sc->uargv[i]) || !arg)
		return 1;
	if (sc->off >= sc->budget) {
		e->hdr.flags |= HS_F_ARGV_TRUNC;
		return 1;
	}
	room = sc->budget - sc->off;
	if (room > HS_ARGV_MAX)
		room = HS_ARGV_MAX;
	/* no-ops given off < budget <= MAX; they state the bounds for the verifier */
	room = ((room - 1) & (HS_ARGV_MAX - 1)) + 1;
	off = sc->off & (HS_ARGV_MAX - 1);
	n = bpf_probe_read_user_str(&e->argv[off], room, arg);
	if (n <= 0)
		return 1;
	e->argc++;
	sc->off = off + (__u32)n;
	if ((__u32)n == room) { /* the string filled the budget: it may be cut */
		e->hdr.flags |= HS_F_ARGV_TRUNC;
		return 1;
	}
	sc->ended = false;
	return 0;
}

/*
 * Report a failed execve/execveat of tracked process t: errno, requested
 * path, argv (from the saved user registers' arguments). One subprogram for
 * both failed-exec programs.
 */
static __noinline int report_failed(struct task_struct *t, struct hs_track *tr, long ret,
				    const char *fname, const char *const *uargv)
{
	struct argv_scan sc = {};
	struct hs_exec *e;

	if (!tr)
		return 0;
	e = exec_scratch();
	if (!e)
		return 0;
	fill_hdr(&e->hdr, t, HS_EV_EXEC_FAILED, tr->role, tr->root_pid, tr->role);
	e->err = -ret;
	if (bpf_probe_read_user_str(e->filename, sizeof(e->filename), fname) < 0)
		e->filename[0] = '\0';
	e->argc = 0;
	sc.e = e;
	sc.uargv = uargv;
	sc.budget = budget();
	bpf_loop(HS_ARGV_SCAN, scan_arg, &sc, 0);
	if (!sc.ended)
		e->hdr.flags |= HS_F_ARGV_TRUNC; /* more than HS_ARGV_SCAN arguments */
	if (sc.off > HS_ARGV_MAX)
		sc.off = HS_ARGV_MAX;
	e->argv_len = sc.off;
	e->hdr.size = sizeof(*e) + sc.off;
	emit(e, sizeof(*e) + sc.off, false);
	return 0;
}

/* ---- hook I/O capture ---------------------------------------------------- */

/*
 * Keep the part of n user bytes at ubuf, written at stream position pos,
 * that falls in the stream's last --output-bytes (hs_tail_span()).
 * Concurrent writers reserved disjoint positions, so they never share bytes.
 */
/*
 * x = min(x, c), compared against an immediate. Written as C, clang turns a
 * provable no-op clamp into nothing, or into a compare with c in a register;
 * verifiers before 6.8 learn no bound from comparing two registers and
 * explore contradictory states from it (6.1 refused hook_end() and
 * tail_put()). Against an immediate every verifier bounds x.
 */
#define clamp_imm(x, c)                                                                            \
	asm volatile("if %[v] <= %[m] goto +1; %[v] = %[m]" : [v] "+r"(x) : [m] "i"(c))

static __noinline int tail_put(struct hs_tail *tl, __u64 pos, __u64 ubuf, __u64 n)
{
	__u64 skip, off, first, len, keep = output_keep;

	if (keep > HS_OUTPUT_MAX)
		keep = HS_OUTPUT_MAX;
	len = hs_tail_span(pos, n, keep, &skip, &off, &first);
	/* no-ops after hs_tail_span(); they state the bounds for the verifier */
	off &= HS_OUTPUT_MAX - 1;
	clamp_imm(first, HS_OUTPUT_MAX);
	len = (len - first) & (HS_OUTPUT_MAX - 1); /* < MAX: see hook_end() */
	/* sizes of 0 are fine: no branch to verify twice */
	bpf_probe_read_user(&tl->buf[off], first, (void *)(ubuf + skip));
	bpf_probe_read_user(tl->buf, len, (void *)(ubuf + skip + first));
	return 0;
}

/* writev: the iovecs' bytes in order, ret of them in all (the first WRITEV_IOVS iovecs). */
#define WRITEV_IOVS 64

struct iov_walk {
	struct hs_tail *tl;
	__u64 uiov, cnt, ret, pos, done;
};

/*
 * A writev's iovec as user space lays it out: the UAPI ABI (64-bit), not a
 * kernel type, so no CO-RE relocation (and no search of vmlinux BTF for it).
 */
struct hs_iovec {
	__u64 iov_base;
	__u64 iov_len;
};

/* bpf_loop callback: iovec i of a writev (one verification for every iovec); 1 stops. */
static long put_iov(__u32 i, void *data)
{
	struct iov_walk *w = data;
	struct hs_iovec iov;
	__u64 part;

	if (i >= w->cnt || w->done >= w->ret)
		return 1;
	if (bpf_probe_read_user(&iov, sizeof(iov), (void *)(w->uiov + i * sizeof(iov))))
		return 1;
	part = iov.iov_len < w->ret - w->done ? iov.iov_len : w->ret - w->done;
	tail_put(w->tl, w->pos + w->done, iov.iov_base, part);
	w->done += part;
	return 0;
}

static __always_inline void tail_putv(struct hs_tail *tl, __u64 uiov, __u64 cnt, __u64 ret)
{
	struct iov_walk w = {
		.tl = tl,
		.uiov = uiov,
		.cnt = cnt,
		.ret = ret,
		.pos = __sync_fetch_and_add(&tl->bytes, ret),
	};

	bpf_loop(WRITEV_IOVS, put_iov, &w, 0);
}

/* What a hook or its descendant read on the hook's stdin: the state JSON, bounded. */
static __always_inline void capture_read(struct task_struct *t, struct hs_track *tr,
					 struct hookinfo_val *v, __u64 ubuf, long ret)
{
	__u64 pos = __sync_fetch_and_add(&v->hi.in_bytes, ret), len = ret;
	struct hs_input *in;
	__u16 flags = 0;

	if (pos >= HS_STATE_MAX)
		return;
	if (len > HS_STATE_MAX - pos) {
		len = HS_STATE_MAX - pos;
		flags = HS_F_INPUT_TRUNC;
	}
	clamp_imm(len, HS_STATE_MAX); /* a no-op clang would drop: see clamp_imm() */
	in = (struct hs_input *)exec_scratch();
	if (!in)
		return;
	if (bpf_probe_read_user(in->data, len, (void *)ubuf))
		return;
	/*
	 * A short header: user space needs only the hook this belongs to (and
	 * the loss stamp); fill_hdr()'s two dozen reads would be verified once
	 * more in both capture programs for nothing.
	 */
	__builtin_memset(&in->hdr, 0, sizeof(in->hdr));
	in->hdr.type = HS_EV_INPUT;
	in->hdr.role = tr->role;
	in->hdr.prev_role = tr->role;
	in->hdr.root_pid = tr->root_pid;
	in->hdr.tgid = BPF_CORE_READ(t, tgid);
	in->hdr.pid = BPF_CORE_READ(t, pid);
	in->hdr.ts_ns = bpf_ktime_get_ns();
	in->hdr.drops = drops_total;
	in->hdr.hook_pid = tr->hook_pid;
	in->hdr.flags = flags;
	in->hdr.size = sizeof(*in) + len;
	in->off = pos;
	in->len = len;
	in->pad[0] = in->pad[1] = in->pad[2] = 0;
	emit(in, sizeof(*in) + len, false);
}

/*
 * A read / write / writev of task t returned ret > 0. Only a process in a
 * hook's subtree whose hook is still capturing goes past the first test
 * after the storage lookup; then the descriptor is matched by its file
 * against the hook's stdin, stdout and stderr.
 */
/* A system call's first three arguments, from the saved user registers. */
struct sc_args {
	long fd;
	__u64 buf;
	__u64 cnt;
};

static __noinline int capture(struct task_struct *t, struct hs_track *tr, long nr, long ret,
			      const struct sc_args *a)
{
	long fd = a->fd;
	__u64 ubuf = a->buf, cnt = a->cnt;
	struct hookinfo_val *v;
	struct hs_tail *tl;
	__u64 key, f;

	if (!tr->hook_pid)
		return 0;
	if (nr == NR_DUP2 || nr == NR_DUP3) {
		/* dup2(oldfd, newfd) returned newfd: is fd 1 now a copy of fd 2? */
		if (ret == 1 && fd == 2)
			tr->flags |= HS_TRK_FD1_ERR;
		else if (ret == 1)
			tr->flags &= ~HS_TRK_FD1_ERR;
		return 0;
	}
	key = hs_hook_key(tr->hook_pid, tr->hook_gen);
	v = bpf_map_lookup_elem(&hookinfo, &key);
	if (!v)
		return 0;
	f = fd_file(t, fd);
	if (!f)
		return 0;
	if (nr == NR_READ) {
		if (f == v->hi.file[0])
			capture_read(t, tr, v, ubuf, ret);
		return 0;
	}
	if (!output_keep)
		return 0;
	/*
	 * By file, whatever the descriptor (a shell's `echo >&2` writes fd 1
	 * after dup2(2, 1)). When stdout and stderr are one file (crun: one
	 * /dev/null for both) fd 1 is stdout unless it was last dup'ed from
	 * fd 2, and any other descriptor stderr.
	 */
	if (f == v->hi.file[2] &&
	    (fd != 1 || f != v->hi.file[1] || (tr->flags & HS_TRK_FD1_ERR)))
		tl = &v->hi.out[1];
	else if (f == v->hi.file[1])
		tl = &v->hi.out[0];
	else
		return 0;
	if (nr == NR_WRITE)
		tail_put(tl, __sync_fetch_and_add(&tl->bytes, ret), ubuf, ret);
	else
		tail_putv(tl, ubuf, cnt, ret);
	return 0;
}

/* capture() with the system call's arguments from its saved user registers. */
static __always_inline int capture_regs(struct task_struct *t, struct hs_track *tr, long nr,
					long ret, struct pt_regs *regs)
{
	struct sc_args a;

	a.fd = PT_REGS_PARM1_CORE_SYSCALL(regs);
	a.buf = PT_REGS_PARM2_CORE_SYSCALL(regs);
	a.cnt = PT_REGS_PARM3_CORE_SYSCALL(regs);
	return capture(t, tr, nr, ret, &a);
}

/*
 * The fast-attach failed-exec program: the raw sys_exit tracepoint, run at
 * the exit of every system call on the host while attached (so only from an
 * idle -> busy transition until the perf-event one below is in place:
 * xfail_mode 1). The return value is tested first: nearly every call succeeds.
 */
/*
 * A failed execve's arguments from its saved user registers, which it leaves
 * intact: path and argv are the first two (execveat: second and third).
 * libbpf's syscall-argument macros name each architecture's registers
 * (x86_64 di/si/dx; arm64 orig_x0 then x1, x2: x0 holds the return value by
 * now) from __TARGET_ARCH_*, which the Makefile's ARCH sets.
 */
static __always_inline int report_failed_regs(struct task_struct *t, struct hs_track *tr,
					      long ret, bool at, struct pt_regs *regs)
{
	const char *const *uargv;
	const char *fname;

	if (at) {
		fname = (const char *)PT_REGS_PARM2_CORE_SYSCALL(regs);
		uargv = (const char *const *)PT_REGS_PARM3_CORE_SYSCALL(regs);
	} else {
		fname = (const char *)PT_REGS_PARM1_CORE_SYSCALL(regs);
		uargv = (const char *const *)PT_REGS_PARM2_CORE_SYSCALL(regs);
	}
	return report_failed(t, tr, ret, fname, uargv);
}

/*
 * The fast-attach failed-exec program: the raw sys_exit tracepoint, run at
 * the exit of every system call on the host while attached (so only from an
 * idle -> busy transition until the perf-event one below is in place:
 * xfail_mode 1). The return value is tested first: nearly every call succeeds.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(hs_exec_failed, struct pt_regs *regs, long ret)
{
	struct task_struct *t;
	struct hs_track *tr;
	long nr;

	if (xfail_mode != XFAIL_RAW || !ret)
		return 0;
	nr = HS_SYSCALL_NR(regs);
	if (ret > 0) {
		if (!capture_nr(nr))
			return 0;
		t = bpf_get_current_task_btf();
		tr = track_get_hot(t->group_leader);
		return tr ? capture_regs(t, tr, nr, ret, (struct pt_regs *)bpf_task_pt_regs(t)) : 0;
	}
	if (nr != __NR_execve && nr != __NR_execveat)
		return 0;
	t = bpf_get_current_task_btf();
	tr = track_get(t->group_leader);
	if (!tr)
		return 0;
	return report_failed_regs(t, tr, ret, nr == __NR_execveat, regs);
}

/*
 * The steady-state failed-exec program, on syscalls:sys_exit_execve and
 * (second attachment) sys_exit_execveat: the perf tracepoint path skips other
 * system calls before any program runs (xfail_mode 2).
 */
SEC("tracepoint/syscalls/sys_exit_execve")
int hs_exec_failed_tp(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *t;
	struct hs_track *tr;
	long ret = ctx->ret;

	if (ret >= 0 || xfail_mode != XFAIL_TP)
		return 0;
	t = bpf_get_current_task_btf();
	tr = track_get(t->group_leader);
	if (!tr)
		return 0;
	/* the format's __syscall_nr is an int at id's offset: compare its low half */
	return report_failed_regs(t, tr, ret, (int)ctx->id == __NR_execveat,
				  (struct pt_regs *)bpf_task_pt_regs(t));
}

/*
 * The steady-state capture program, on syscalls:sys_exit_read, and with
 * --output-bytes on sys_exit_write, sys_exit_writev, sys_exit_dup2 and
 * sys_exit_dup3 too: other system
 * calls never reach it, other processes' reads and writes stop at the
 * storage test (xfail_mode 2, like hs_exec_failed_tp).
 */
SEC("tracepoint/syscalls/sys_exit_write")
int hs_capture_tp(struct trace_event_raw_sys_exit *ctx)
{
	struct hs_track *tr;
	struct task_struct *t;
	long ret = ctx->ret;

	if (ret <= 0 || xfail_mode != XFAIL_TP)
		return 0;
	t = bpf_get_current_task_btf();
	tr = track_get_hot(t->group_leader);
	if (!tr)
		return 0;
	return capture_regs(t, tr, (int)ctx->id, ret, (struct pt_regs *)bpf_task_pt_regs(t));
}

/*
 * A descendant of a hook: followed (tracked, its fork / exec / exit
 * reported) while its hook captures, at most HS_DESC_MAX per hook and
 * HS_DESC_DEPTH generations deep; the rest are counted in the hook's
 * desc_dropped. A busy hook costs at most that many tracked processes.
 */
static __always_inline int follow_desc(struct task_struct *child, struct hs_track *tr)
{
	__u64 key = hs_hook_key(tr->hook_pid, tr->hook_gen);
	__u32 hook = tr->hook_pid, gen = tr->hook_gen, root = tr->root_pid;
	__u8 depth = tr->depth, flags = tr->flags;
	struct hs_src_id src = tr->src;
	struct hookinfo_val *v = bpf_map_lookup_elem(&hookinfo, &key);
	struct hs_track *ctr;
	struct hs_fork f;

	if (!v)
		return 0; /* its hook has ended: the hook's record is out */
	if (depth >= HS_DESC_DEPTH || __sync_fetch_and_add(&v->hi.ndesc, 1) >= HS_DESC_MAX) {
		__sync_fetch_and_add(&v->hi.desc_dropped, 1);
		stat_inc(HS_STAT_DESC_CAPPED);
		return 0;
	}
	ctr = track_new(child, HS_ROLE_LEAF, root, &src);
	if (!ctr) {
		__sync_fetch_and_add(&v->hi.desc_dropped, 1);
		return 0;
	}
	ctr->hook_pid = hook;
	ctr->hook_gen = gen;
	ctr->depth = depth + 1;
	ctr->flags |= flags & HS_TRK_FD1_ERR; /* the child's descriptors are a copy */
	fill_hdr(&f.hdr, child, HS_EV_FORK, HS_ROLE_LEAF, root, HS_ROLE_NONE);
	f.hdr.hook_pid = hook;
	f.hdr.size = sizeof(f);
	f.parent_pid = BPF_CORE_READ(child, real_parent, pid);
	f.pad = 0;
	emit(&f, sizeof(f), false);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(hs_fork, struct task_struct *parent, struct task_struct *child)
{
	struct hs_track *tr, *ctr;
	struct hs_src_id src;
	struct hs_fork f;
	__u32 root;

	if (parent->tgid == child->tgid) /* new thread, not a new process */
		return 0;
	tr = track_get_hot(parent->group_leader);
	if (!tr)
		return 0;
	if (tr->role != HS_ROLE_RUNTIME)
		return tr->hook_pid ? follow_desc(child, tr) : 0;
	root = tr->root_pid;
	src = tr->src;
	ctr = track_new(child, HS_ROLE_RUNTIME, root, &src);
	if (!ctr)
		return 0;
	/* its exec attempts are covered only if hs_exec_failed is attached now */
	if (!xfail_live)
		ctr->flags |= HS_TRK_UNWATCHED;
	/* a runtime's child may be a hook: the I/O capture back, before its exec */
	else if (!capture_live)
		wake_hint(HS_WAKE_CAPTURE);

	fill_hdr(&f.hdr, child, HS_EV_FORK, HS_ROLE_RUNTIME, root, HS_ROLE_NONE);
	/* the child has not run yet: its cgroup is the parent's (current's) */
	f.hdr.size = sizeof(f);
	f.parent_pid = parent->pid;
	f.pad = 0;
	emit(&f, sizeof(f), false);
	return 0;
}

/*
 * A hook ends: what it and its descendants wrote to its stdout and stderr,
 * linearised out of the rings, just before its exit record; its capture
 * state goes (descendants still running are no longer followed).
 */
static __always_inline void hook_end(struct hs_track *tr, const struct hs_hdr *xh)
{
	__u64 key = hs_hook_key(tr->hook_pid, tr->hook_gen), off = 0, roff, first, len, rest, keep;
	struct hookinfo_val *v = bpf_map_lookup_elem(&hookinfo, &key);
	struct hs_output *o;
	__u32 s;

	if (!v)
		return;
	o = (struct hs_output *)exec_scratch();
	if (!o)
		goto out;
	o->hdr = *xh; /* the exit record's, made first: one header to verify */
	o->hdr.type = HS_EV_OUTPUT;
	o->hdr.flags = output_keep ? HS_F_OUT_CAPTURED : 0;
	o->desc_dropped = v->hi.desc_dropped;
	keep = output_keep > HS_OUTPUT_MAX ? HS_OUTPUT_MAX : output_keep;
	for (s = 0; s < 2; s++) {
		struct hs_tail *tl = &v->hi.out[s];

		o->bytes[s] = tl->bytes;
		len = hs_tail_last(tl->bytes, keep, &roff, &first);
		roff &= HS_OUTPUT_MAX - 1;
		clamp_imm(first, HS_OUTPUT_MAX);
		clamp_imm(len, HS_OUTPUT_MAX);
		clamp_imm(off, HS_OUTPUT_MAX);
		/*
		 * The part past the ring's end is < MAX (len <= MAX, first = MAX - roff
		 * whenever it is cut): a mask states it so that verifiers before 6.8,
		 * which keep a subtraction of two registers unbounded, accept it.
		 */
		rest = (len - first) & (HS_OUTPUT_MAX - 1);
		/* sizes of 0 are fine: no branch to verify twice */
		bpf_probe_read_kernel(&o->data[off], first, &tl->buf[roff]);
		bpf_probe_read_kernel(&o->data[off + first], rest, tl->buf);
		o->len[s] = first + rest;
		off += first + rest;
	}
	if (off > 2 * HS_OUTPUT_MAX)
		off = 2 * HS_OUTPUT_MAX;
	o->hdr.size = sizeof(*o) + off;
	emit(o, sizeof(*o) + off, false);
out:
	if (!bpf_map_delete_elem(&hookinfo, &key))
		count_put(&hooks_now);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(hs_exit, struct task_struct *p)
{
	struct task_struct *leader;
	struct hs_track *tr;
	struct hs_src_id src;
	struct hs_exit x;
	bool unwatched;
	int code;
	__u8 role, tflags;

	leader = p->group_leader;
	tr = track_get_hot(leader);
	if (!tr)
		return 0;
	/* Only when the whole thread group is gone (portable group_dead test). */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	/*
	 * Threads leaving at once can all find live at 0 (each decrements it,
	 * then runs the rest of do_exit() before this tracepoint): the first to
	 * claim the slot reports, the others return. bpf_task_storage_delete()
	 * returns 0 to each of them (it unlinks under a lock but does not say
	 * who did), so this gave the counts back twice: tracked_now and
	 * runtimes_now wrapped to 2^64 - 1 in an hour's soak; tests/helpers/
	 * threxit made it happen 5-9 times in 2,000 exits of 4-thread processes.
	 */
	if (__sync_fetch_and_add(&tr->exit_claim, 1))
		return 0;

	if (BPF_CORE_READ(p, signal, flags) & 0x4 /* SIGNAL_GROUP_EXIT */)
		code = BPF_CORE_READ(p, signal, group_exit_code);
	else
		code = p->exit_code;
	/*
	 * Forked before hs_exec_failed was attached, no exec since, and a
	 * failure: it may have failed an exec unseen. A loss, stamped into
	 * this very record (see the race note at the top).
	 */
	unwatched = (tr->flags & HS_TRK_UNWATCHED) && code;
	if (unwatched)
		count_drop(HS_STAT_DROP_UNWATCHED);
	fill_hdr(&x.hdr, p, HS_EV_EXIT, tr->role, tr->root_pid, tr->role);
	x.hdr.hook_pid = tr->hook_pid;
	if (tr->flags & HS_TRK_HOOK)
		hook_end(tr, &x.hdr);
	/*
	 * A container process or a runtime's helper ends: poststop hooks may
	 * follow (crun forks them ~1 ms after its container exits).
	 */
	else if (tr->role == HS_ROLE_LEAF && !tr->hook_pid && xfail_live && !capture_live)
		wake_hint(HS_WAKE_CAPTURE);
	x.hdr.size = sizeof(x);
	if (unwatched)
		x.hdr.flags = HS_F_UNWATCHED;
	role = tr->role;
	tflags = tr->flags;
	src = tr->src;
	x.exit_code = (code >> 8) & 0xff;
	x.signal = code & 0x7f;
	x.core = (code & 0x80) ? 1 : 0;
	x.pad = 0;
	/* the counts belong to whoever deletes the entry (seeding may race us) */
	if (bpf_task_storage_delete(&tracked, leader) == 0) {
		if (role == HS_ROLE_RUNTIME)
			count_put(&runtimes_now);
		count_put(&tracked_now);
		if (tflags & HS_TRK_SRC_COUNTED)
			src_give(&src);
	}
	emit(&x, sizeof(x), false);
	return 0;
}
