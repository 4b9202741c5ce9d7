// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel side of hooksnoop: follow container runtime process trees and report
 * the execs, failed execs, forks and exits inside them.
 *
 * Attach points. tp_btf on sched_process_exec / sched_process_fork /
 * sched_process_exit (no tracefs, no kprobes needed; this kernel has no
 * kprobes). Failed execs never reach sched_process_exec, so they are caught
 * on the classic syscall tracepoints syscalls:sys_exit_execve(at). fexit on
 * __x64_sys_execve would need no tracefs, but fentry/fexit programs are
 * refused (EPERM at load) on the target machines, so user space mounts tracefs
 * at /sys/kernel/tracing when it is missing (libbpf resolves the tracepoint id
 * there). The syscall tracepoint runs our program for execve only; the
 * arguments come from the task's saved user registers, which a failed execve
 * leaves intact, so no entry/exit pairing map is needed.
 *
 * Tracking. `tracked` maps tgid -> {role, root, start time}. A process becomes
 * a runtime root when its comm after exec is in `runtime_names` (filled by user
 * space before attach). Forks of runtime-role processes inherit the role. An
 * exec by a runtime-role process stays "runtime" when it is a re-exec of a
 * runtime (/proc/self/exe, /dev/fd/N, /proc/self/fd/N, or the new comm is a
 * runtime name); any other exec turns it into a leaf (hook, container process
 * or helper) whose forks are not followed, so a busy container costs nothing.
 * Threads are ignored (everything is keyed by tgid). Entries are removed when
 * the last thread exits.
 *
 * Cost for everyone else: exec = one hash lookup on tgid plus one on comm;
 * fork = one lookup (after a thread test); exit = one lookup (only when the
 * thread group dies); failed-exec = a return-value test, then one lookup.
 * Nothing about an untracked process is copied.
 *
 * Records are built in a per-CPU scratch buffer and sent with
 * bpf_ringbuf_output at their real size (exec records carry a variable argv).
 * Every drop is counted per cause in `stats`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "hooksnoop.h"

/* Twice the largest budget: lets the verifier prove `off < MAX` plus `room <= MAX` fits. */
#define EXEC_SCRATCH (sizeof(struct hs_exec) + 2 * HS_ARGV_MAX)

/* Set by user space before load. */
const volatile __u32 argv_budget = HS_ARGV_DEFAULT; /* bytes, <= HS_ARGV_MAX */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* resized by user space (--ringbuf-size) */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192); /* resized by user space (--max-tracked) */
	__type(key, __u32);
	__type(value, struct hs_track);
} tracked SEC(".maps");

struct runtime_name {
	char comm[HS_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HS_RUNTIME_NAMES);
	__type(key, struct runtime_name);
	__type(value, __u8);
} runtime_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

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

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1; /* per-CPU slot: no atomics needed */
}

static __always_inline int emit(void *rec, __u64 size)
{
	stat_inc(HS_STAT_EVENTS);
	if (bpf_ringbuf_output(&events, rec, size, 0)) {
		stat_inc(HS_STAT_DROP_RINGBUF);
		return -1;
	}
	return 0;
}

/* Map membership as a scalar (keeps the compiler from or-ing two map pointers). */
static __noinline bool lookup_bool(void *map, const void *key)
{
	return bpf_map_lookup_elem(map, key) != NULL;
}

static __always_inline __u32 task_vpid(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);

	return BPF_CORE_READ(p, numbers[level].nr);
}

static __always_inline __u32 task_pidns(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);

	return BPF_CORE_READ(p, numbers[level].ns, ns.inum);
}

/* Fill the common header from task t (which is `current` except for forks). */
static __always_inline void fill_hdr(struct hs_hdr *h, struct task_struct *t, __u16 type,
				     const struct hs_track *tr, __u8 prev_role)
{
	h->type = type;
	h->role = tr ? tr->role : HS_ROLE_NONE;
	h->prev_role = prev_role;
	h->flags = 0;
	h->pid = BPF_CORE_READ(t, pid);
	h->tgid = BPF_CORE_READ(t, tgid);
	h->ppid = BPF_CORE_READ(t, real_parent, tgid);
	h->root_pid = tr ? tr->root_pid : 0;
	h->vpid = task_vpid(t);
	h->uid = BPF_CORE_READ(t, cred, uid.val);
	h->ts_ns = bpf_ktime_get_ns();
	h->start_ns = BPF_CORE_READ(t, group_leader, start_time);
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->mntns = BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum);
	h->pidns = task_pidns(t);
	BPF_CORE_READ_STR_INTO(&h->comm, t, comm);
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

SEC("tp_btf/sched_process_exec")
int BPF_PROG(hs_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct runtime_name rn;
	struct hs_track *tr, ntr = {};
	struct hs_exec *e;
	__u32 tgid;
	__u8 prev_role = HS_ROLE_NONE;
	__u16 fill_flags = 0;
	bool is_runtime_name;
	unsigned long arg_start, arg_end, len;
	__u32 b;
	long n;

	/*
	 * Filter first: tracked tgid, or a comm that names a runtime. `p` is a
	 * trusted BTF pointer here: plain loads, no probe-read helper calls.
	 */
	tgid = p->tgid;
	tr = bpf_map_lookup_elem(&tracked, &tgid);
	__builtin_memcpy(rn.comm, p->comm, sizeof(rn.comm));
	is_runtime_name = lookup_bool(&runtime_names, &rn);
	if (!tr && !is_runtime_name)
		return 0;

	e = exec_scratch();
	if (!e)
		return 0;
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	if (n < 0)
		e->filename[0] = '\0';

	if (tr && tr->start_ns && tr->start_ns != BPF_CORE_READ(p, start_time)) {
		/* stale entry of a dead process whose pid was reused */
		bpf_map_delete_elem(&tracked, &tgid);
		tr = NULL;
		if (!is_runtime_name)
			return 0;
	}
	if (tr && tr->role == HS_ROLE_LEAF && is_runtime_name) {
		/* a leaf exec'ing a runtime starts a new runtime tree of its own */
		prev_role = HS_ROLE_LEAF;
		tr->role = HS_ROLE_RUNTIME;
		tr->root_pid = tgid;
		ntr = *tr;
		fill_flags = HS_F_NEW_ROOT;
	} else if (tr) {
		prev_role = tr->role;
		if (tr->role == HS_ROLE_RUNTIME) {
			if (reexec_path(e->filename) || is_runtime_name) {
				/* runtime re-exec: stays runtime */
			} else {
				tr->role = HS_ROLE_LEAF;
			}
		}
		ntr = *tr;
	} else {
		ntr.role = HS_ROLE_RUNTIME;
		ntr.root_pid = tgid;
		ntr.start_ns = BPF_CORE_READ(p, start_time);
		if (bpf_map_update_elem(&tracked, &tgid, &ntr, BPF_ANY)) {
			/* cannot follow this runtime: say so, still report the exec */
			stat_inc(HS_STAT_DROP_TRACK_FULL);
		}
	}

	fill_hdr(&e->hdr, p, HS_EV_EXEC, &ntr, prev_role);
	if (!tr)
		fill_flags = HS_F_NEW_ROOT;
	else if (!fill_flags && ntr.role == HS_ROLE_RUNTIME)
		fill_flags = HS_F_REEXEC;
	e->hdr.flags = fill_flags;
	if (n == sizeof(e->filename))
		e->hdr.flags |= HS_F_FILENAME_TRUNC;
	e->err = 0;

	/* argv: the new image's argument area, already in place in user memory. */
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_end = BPF_CORE_READ(p, mm, arg_end);
	len = arg_end > arg_start ? arg_end - arg_start : 0;
	b = budget();
	if (len > b) {
		len = b;
		e->hdr.flags |= HS_F_ARGV_TRUNC;
	}
	if (len > HS_ARGV_MAX) /* b <= MAX already; this states it for the verifier */
		len = HS_ARGV_MAX;
	if (len && bpf_probe_read_user(e->argv, len, (void *)arg_start)) {
		e->hdr.flags |= HS_F_ARGV_FAULT;
		len = 0;
	}
	e->argv_len = len;
	e->argc = BPF_CORE_READ(bprm, argc);
	e->hdr.size = sizeof(*e) + len;
	emit(e, sizeof(*e) + len);
	return 0;
}

/* Failed execve/execveat of a tracked process: errno, requested path, argv. */
static __always_inline int exec_failed(long ret, bool at)
{
	struct task_struct *t;
	struct pt_regs *regs;
	struct hs_track *tr;
	struct hs_exec *e;
	const char *const *uargv;
	const char *fname;
	__u32 tgid, off = 0, b;
	int i;

	if (ret >= 0)
		return 0;
	tgid = bpf_get_current_pid_tgid() >> 32;
	tr = bpf_map_lookup_elem(&tracked, &tgid);
	if (!tr)
		return 0;
	e = exec_scratch();
	if (!e)
		return 0;

	t = bpf_get_current_task_btf();
	fill_hdr(&e->hdr, t, HS_EV_EXEC_FAILED, tr, tr->role);
	e->err = -ret;
	/* a failed execve leaves the user registers, and so its arguments, intact */
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	fname = (const char *)(at ? BPF_CORE_READ(regs, si) : BPF_CORE_READ(regs, di));
	uargv = (const char *const *)(at ? BPF_CORE_READ(regs, dx) : BPF_CORE_READ(regs, si));
	if (bpf_probe_read_user_str(e->filename, sizeof(e->filename), fname) < 0)
		e->filename[0] = '\0';

	b = budget();
	e->argc = 0;
	for (i = 0; i < HS_ARGV_SCAN; i++) {
		const char *arg = NULL;
		__u32 room;
		long n;

		if (bpf_probe_read_user(&arg, sizeof(arg), &uargv[i]) || !arg)
			break;
		if (off >= b) {
			e->hdr.flags |= HS_F_ARGV_TRUNC;
			break;
		}
		room = b - off;
		if (room > HS_ARGV_MAX)
			room = HS_ARGV_MAX;
		/* no-ops given off < b <= MAX; they state the bounds for the verifier */
		room = ((room - 1) & (HS_ARGV_MAX - 1)) + 1;
		off &= HS_ARGV_MAX - 1;
		n = bpf_probe_read_user_str(&e->argv[off], room, arg);
		if (n <= 0)
			break;
		e->argc++;
		off += n;
		if ((__u32)n == room) { /* the string filled the budget: it may be cut */
			e->hdr.flags |= HS_F_ARGV_TRUNC;
			break;
		}
	}
	if (i == HS_ARGV_SCAN)
		e->hdr.flags |= HS_F_ARGV_TRUNC;
	if (off > HS_ARGV_MAX)
		off = HS_ARGV_MAX;
	e->argv_len = off;
	e->hdr.size = sizeof(*e) + off;
	emit(e, sizeof(*e) + off);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int hs_execve_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exec_failed(ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int hs_execveat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exec_failed(ctx->ret, true);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(hs_fork, struct task_struct *parent, struct task_struct *child)
{
	struct hs_track *tr, ntr;
	struct hs_fork f;
	__u32 ptgid, ctgid;

	ptgid = BPF_CORE_READ(parent, tgid);
	ctgid = BPF_CORE_READ(child, tgid);
	if (ptgid == ctgid) /* new thread, not a new process */
		return 0;
	tr = bpf_map_lookup_elem(&tracked, &ptgid);
	if (!tr || tr->role != HS_ROLE_RUNTIME)
		return 0;

	ntr.role = HS_ROLE_RUNTIME;
	ntr.root_pid = tr->root_pid;
	ntr.start_ns = BPF_CORE_READ(child, start_time);
	ntr.pad[0] = ntr.pad[1] = ntr.pad[2] = 0;
	if (bpf_map_update_elem(&tracked, &ctgid, &ntr, BPF_ANY)) {
		stat_inc(HS_STAT_DROP_TRACK_FULL);
		return 0;
	}

	fill_hdr(&f.hdr, child, HS_EV_FORK, &ntr, HS_ROLE_NONE);
	/* the child has not run yet: its cgroup is the parent's (current's) */
	f.hdr.size = sizeof(f);
	f.parent_pid = BPF_CORE_READ(parent, pid);
	f.pad = 0;
	emit(&f, sizeof(f));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(hs_exit, struct task_struct *p)
{
	struct hs_track *tr;
	struct hs_exit x;
	__u32 tgid;
	int code;

	/* Only when the whole thread group is gone (portable group_dead test). */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	tgid = BPF_CORE_READ(p, tgid);
	tr = bpf_map_lookup_elem(&tracked, &tgid);
	if (!tr)
		return 0;

	fill_hdr(&x.hdr, p, HS_EV_EXIT, tr, tr->role);
	x.hdr.size = sizeof(x);
	if (BPF_CORE_READ(p, signal, flags) & 0x4 /* SIGNAL_GROUP_EXIT */)
		code = BPF_CORE_READ(p, signal, group_exit_code);
	else
		code = BPF_CORE_READ(p, exit_code);
	x.exit_code = (code >> 8) & 0xff;
	x.signal = code & 0x7f;
	x.core = (code & 0x80) ? 1 : 0;
	x.pad = 0;
	bpf_map_delete_elem(&tracked, &tgid);
	emit(&x, sizeof(x));
	return 0;
}
