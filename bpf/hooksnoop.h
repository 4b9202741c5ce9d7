/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The only types shared by the BPF programs and user space: the ring-buffer
 * records, the tracking-map value and the drop counters. Plain fixed-size
 * types, explicit padding, sizes pinned by _Static_assert so both compilers
 * (clang -target bpf and the host cc) agree byte for byte.
 *
 * Every record starts with struct hs_hdr: a type tag and the record's total
 * size, so user space can dispatch on the tag and refuse short or oversized
 * records before touching the payload.
 */
#ifndef HOOKSNOOP_H
#define HOOKSNOOP_H

#ifndef __bpf__
#include <linux/types.h> /* the BPF side gets these from vmlinux.h */
#endif

#define HS_COMM_LEN 16
#define HS_FILENAME_LEN 256
#define HS_ARGV_DEFAULT 4096 /* default argv byte budget per exec record */
#define HS_ARGV_MAX 32768    /* largest budget -A/--argv-bytes accepts */
#define HS_ARGV_SCAN 64      /* failed exec: argv pointers read from user memory */
#define HS_RUNTIME_NAMES 32  /* runtime comm names user space may register */
#define HS_OUTPUT_DEFAULT 1024 /* default --output-bytes: tail kept per stream */
#define HS_OUTPUT_MAX 8192     /* largest --output-bytes; the kernel's tail ring (power of 2) */
#define HS_STATE_MAX 16384     /* stdin bytes (the state JSON) kept per hook */
#define HS_DESC_MAX 64         /* descendants followed per hook */
#define HS_DESC_DEPTH 8        /* generations followed below a hook */
#define HS_HOOKS_MAX 1024      /* hooks whose output is captured at once */

enum hs_event_type {
	HS_EV_EXEC = 1,        /* successful exec of a tracked or newly tracked process */
	HS_EV_EXEC_FAILED = 2, /* execve/execveat returned an error in a tracked process */
	HS_EV_FORK = 3,        /* a tracked runtime process forked a new process */
	HS_EV_EXIT = 4,        /* the last thread of a tracked process exited */
	HS_EV_HOOK = 5,        /* a hook started: where its fd 0-2 point, its env with -e */
	HS_EV_OUTPUT = 6,      /* a hook ended: the tails of its stdout and stderr */
	HS_EV_INPUT = 7,       /* bytes a hook or its descendant read on the hook's stdin */
	HS_EV_MAX,
};

/* Role of a tracked process, as the kernel side sees it. */
enum hs_role {
	HS_ROLE_NONE = 0,    /* not tracked (prev_role of a new runtime root) */
	HS_ROLE_RUNTIME = 1, /* runtime binary or a fork / re-exec of one: forks followed */
	/*
	 * First non-runtime exec in a runtime tree: forks not followed, except
	 * below a hook (hs_track.hook_pid set), bounded by HS_DESC_MAX/DEPTH.
	 */
	HS_ROLE_LEAF = 2,
};

/* hs_hdr.flags */
#define HS_F_ARGV_TRUNC (1u << 0)     /* argv did not fit the byte budget */
#define HS_F_FILENAME_TRUNC (1u << 1) /* filename did not fit HS_FILENAME_LEN */
#define HS_F_NEW_ROOT (1u << 2)       /* exec made this process a runtime root */
#define HS_F_REEXEC (1u << 3)         /* runtime re-exec (/proc/self/exe, /dev/fd/N...) */
#define HS_F_SEEDED (1u << 4)         /* (user space only) seeded from /proc */
#define HS_F_ARGV_FAULT (1u << 5)     /* argv could not be read from user memory */
#define HS_F_UNWATCHED (1u << 6)      /* exit: a failed exec of this process may have gone unseen */
#define HS_F_ENV_TRUNC (1u << 7)      /* HS_EV_HOOK: the environment did not fit the budget */
#define HS_F_ENV_FAULT (1u << 8)      /* HS_EV_HOOK: the environment could not be read */
#define HS_F_INPUT_TRUNC (1u << 9)    /* HS_EV_INPUT: more was read than HS_STATE_MAX */
#define HS_F_NO_CAPTURE (1u << 10)    /* HS_EV_HOOK: HS_HOOKS_MAX hooks live, this one's I/O not kept */
#define HS_F_OUT_CAPTURED (1u << 11)  /* HS_EV_OUTPUT: stdout/stderr were captured (--output-bytes) */
#define HS_F_ENV (1u << 12)           /* HS_EV_HOOK: the environment is reported (-e) */
#define HS_F_CAPTURE_LATE (1u << 13) /* HS_EV_HOOK: I/O capture was detached at its exec */

struct hs_hdr {
	__u16 type;     /* enum hs_event_type */
	__u16 size;     /* total record size in bytes, header included */
	__u8 role;      /* enum hs_role after this event */
	__u8 prev_role; /* enum hs_role before this event */
	__u16 flags;    /* HS_F_* */
	__u32 pid;      /* thread id (kernel pid) */
	__u32 tgid;     /* process id */
	__u32 ppid;     /* real parent's tgid */
	__u32 root_pid; /* tgid of the runtime process this tree started from */
	__u32 vpid;     /* tgid as seen in the process's own pid namespace */
	__u32 uid;
	__u64 ts_ns;      /* bpf_ktime_get_ns() at the event */
	__u64 start_ns;   /* task start time (monotonic): (tgid, start_ns) is pid-reuse safe */
	__u64 cgroup_id;  /* cgroup v2 id */
	__u32 mntns;      /* mount namespace inode number */
	__u32 pidns;      /* pid namespace inode number (the process's own) */
	char comm[HS_COMM_LEN];
	/*
	 * Records and processes the kernel side had lost (all causes) when this
	 * record was made: user space knows which of its timelines a loss can
	 * have touched, however late it notices the loss.
	 */
	__u32 drops;
	/*
	 * tgid of the hook whose subtree this process is in (the hook itself
	 * included), 0 when none: descendants' fork / exec / exit records and
	 * stdin reads are the hook's.
	 */
	__u32 hook_pid;
};
_Static_assert(sizeof(struct hs_hdr) == 88, "hs_hdr layout");

/* HS_EV_EXEC and HS_EV_EXEC_FAILED. Variable size: argv_len bytes of argv follow. */
struct hs_exec {
	struct hs_hdr hdr;
	__s32 err;          /* 0 for HS_EV_EXEC, positive errno for HS_EV_EXEC_FAILED */
	__u16 argv_len;     /* bytes in argv[], NUL-separated strings */
	__u16 argc;         /* strings present in argv[] (complete or truncated) */
	char filename[HS_FILENAME_LEN]; /* NUL-terminated; requested path for failures */
	char argv[];
};
_Static_assert(sizeof(struct hs_exec) == 88 + 8 + HS_FILENAME_LEN, "hs_exec layout");

struct hs_fork {
	struct hs_hdr hdr; /* describes the child; ppid = parent tgid */
	__u32 parent_pid;  /* thread that forked */
	__u32 pad;
};
_Static_assert(sizeof(struct hs_fork) == 96, "hs_fork layout");

struct hs_exit {
	struct hs_hdr hdr;
	__s32 exit_code; /* (status >> 8) & 0xff */
	__s32 signal;    /* status & 0x7f, 0 when exited normally */
	__u32 core;      /* 1 when a core was dumped */
	__u32 pad;
};
_Static_assert(sizeof(struct hs_exit) == 104, "hs_exit layout");

/*
 * HS_EV_HOOK, right after a hook's exec record: where its fd 0, 1, 2 pointed
 * (inode mode and device, mode 0 = closed), then env_len bytes of its
 * environment (NUL-separated, only with -e).
 */
struct hs_fdinfo {
	__u32 mode; /* i_mode of the open file's inode; 0: the fd was closed */
	__u32 rdev; /* i_rdev (kernel encoding: major << 20 | minor) */
};

struct hs_hook {
	struct hs_hdr hdr;
	struct hs_fdinfo fd[3];
	__u16 env_len;
	__u16 envc;
	__u32 pad;
	char env[];
};
_Static_assert(sizeof(struct hs_hook) == 88 + 24 + 8, "hs_hook layout");

/*
 * HS_EV_OUTPUT, just before a hook's exit record: what the hook and its
 * descendants wrote to its stdout and stderr while it ran. bytes counts
 * everything; len[i] bytes of tail follow (stdout's, then stderr's): the
 * last min(bytes, --output-bytes) of each. desc_dropped: descendants that
 * were not followed (HS_DESC_MAX, HS_DESC_DEPTH or --max-tracked).
 */
struct hs_output {
	struct hs_hdr hdr;
	__u64 bytes[2];
	__u16 len[2];
	__u32 desc_dropped;
	char data[];
};
_Static_assert(sizeof(struct hs_output) == 88 + 24, "hs_output layout");

/* HS_EV_INPUT: len bytes read on the hook's stdin at offset off of that stream. */
struct hs_input {
	struct hs_hdr hdr; /* the reader's; hdr.hook_pid is the hook */
	__u64 off;
	__u16 len;
	__u16 pad[3];
	char data[];
};
_Static_assert(sizeof(struct hs_input) == 88 + 16, "hs_input layout");

/* hs_track.flags */
#define HS_TRK_UNWATCHED (1u << 0) /* forked while hs_exec_failed was not attached, no exec since */
#define HS_TRK_HOOK (1u << 1)      /* a hook: its exit ends the capture of its output */
/*
 * fd 1 was last made a copy of fd 2 (a shell's `>&2`: dup2(2, 1)): when the
 * runtime gave a hook one file for both (crun's /dev/null), a write to fd 1
 * is stderr's. Inherited by forks, like the descriptor table.
 */
#define HS_TRK_FD1_ERR (1u << 2)
/* counted in its source's `tracked` (src_rate): its exit gives the slot back */
#define HS_TRK_SRC_COUNTED (1u << 3)

/*
 * A source: the mount namespace (by its never-reused id, see below) and uid
 * of a new runtime root; every process of its tree belongs to it.
 */
struct hs_src_id {
	__u64 mnt_id;
	__u32 uid;
	__u32 pad;
};

/* Task-local storage of a followed process (on its thread-group leader). */
struct hs_track {
	__u32 root_pid;
	__u8 role;
	__u8 flags; /* HS_TRK_* */
	__u8 depth; /* generations below its hook (0: the hook itself) */
	__u8 pad;
	__u32 hook_pid; /* tgid of the hook whose subtree this is, 0 = none */
	__u32 hook_gen; /* low half of that hook's start time: with hook_pid, its hookinfo key */
	struct hs_src_id src; /* its root's source (0 for seeded processes) */
	__u64 exit_claim; /* hs_exit: the first thread to add 1 reports the process's end */
};
_Static_assert(sizeof(struct hs_track) == 40, "hs_track layout");

/*
 * The tail ring of one stream. `bytes` is the stream's length so far; a
 * writer reserves [pos, pos + n) with one atomic add and copies only the part
 * of it that lands in the last `keep` bytes, at pos % HS_OUTPUT_MAX. Shared
 * with user space for the unit tests of the arithmetic below.
 */
struct hs_tail {
	__u64 bytes;
	char buf[HS_OUTPUT_MAX];
};

/*
 * Of a write of n bytes at stream position pos, which part must be kept so
 * that the ring holds the stream's last `keep` bytes (keep <= HS_OUTPUT_MAX):
 * *skip bytes of the write are skipped, the rest (the return value) copied.
 */
static inline __u64 hs_tail_keep(__u64 n, __u64 keep, __u64 *skip)
{
	*skip = n > keep ? n - keep : 0;
	return n - *skip;
}

/*
 * Where the kept part of that write goes: it starts at stream position
 * pos + skip, i.e. at ring offset *off; *first bytes fit before the end of
 * the ring, the rest (return value - *first) wraps to offset 0.
 */
static inline __u64 hs_tail_span(__u64 pos, __u64 n, __u64 keep, __u64 *skip, __u64 *off,
				 __u64 *first)
{
	__u64 len = hs_tail_keep(n, keep, skip);

	*off = (pos + *skip) & (HS_OUTPUT_MAX - 1);
	*first = len < HS_OUTPUT_MAX - *off ? len : HS_OUTPUT_MAX - *off;
	return len;
}

/*
 * Reading the tail of a stream of `bytes` bytes: its last min(bytes, keep)
 * bytes (the return value) start at ring offset *off, *first of them before
 * the end of the ring.
 */
static inline __u64 hs_tail_last(__u64 bytes, __u64 keep, __u64 *off, __u64 *first)
{
	__u64 len = bytes < keep ? bytes : keep;

	*off = (bytes - len) & (HS_OUTPUT_MAX - 1);
	*first = len < HS_OUTPUT_MAX - *off ? len : HS_OUTPUT_MAX - *off;
	return len;
}

/* Per-hook capture state (BPF hash map, keyed by hs_hook_key()). */
struct hs_hookinfo {
	__u64 file[3];      /* struct file * of fd 0, 1, 2 at the hook's exec */
	__u64 in_bytes;     /* bytes read on its stdin so far */
	__u64 ndesc;        /* descendants followed (64-bit: clang's BPF fetch-add before v3) */
	__u64 desc_dropped; /* descendants not followed */
	struct hs_tail out[2];
};

static inline __u64 hs_hook_key(__u32 hook_pid, __u32 hook_gen)
{
	return ((__u64)hook_pid << 32) | hook_gen;
}

/*
 * The `wake` ring's hints to the attach thread, each with a forced wakeup:
 * a new runtime root while the failed-exec programs are detached, or, while
 * the I/O capture tracepoints are detached, a sign that hooks may come (a
 * runtime forks, a container process or helper exits) or one already did.
 */
enum hs_wake_kind {
	HS_WAKE_ROOT = 0,
	HS_WAKE_CAPTURE = 1,
};

struct hs_wake {
	__u64 ts_ns;
	__u32 kind; /* enum hs_wake_kind */
	__u32 pad;
};

/* xfail_mode: which failed-exec program reports (user space switches it). */
#define XFAIL_RAW 1 /* hs_exec_failed on tp_btf/sys_exit: attaches without waiting */
#define XFAIL_TP 2  /* hs_exec_failed_tp on syscalls:sys_exit_execve(at): cheap for others */

/*
 * Per-source bound on new runtime roots (map `src_rate`): a source is a
 * (mount namespace, uid) pair; at most root_rate roots a second each, the
 * rest refused and counted here. Keyed by the namespace's never-reused id
 * (ns_id on 6.18, the mount namespace's seq on 6.1), not its inode number:
 * inode numbers are recycled, and a runtime in a fresh namespace (crun in
 * tools/with-cgroup2's, each run) must not inherit a dead flood's window.
 * HS_SRC_KEY (inode number, uid) is what user space matches containers by.
 */
#define HS_SRC_KEY(mntns, uid) (((__u64)(mntns) << 32) | (__u32)(uid))
/*
 * The same entry bounds the processes a source has followed at once
 * (--source-max-tracked): a runtime-named process forking without end takes
 * at most that many of the --max-tracked slots; its further processes are
 * refused, counted in trk_refused, and charged to its containers only.
 */
struct hs_src_rate {
	__u64 window_ns; /* start of the current one-second window */
	__u64 count;     /* roots started in it (64-bit: a fetch-add result is used) */
	__u32 refused;   /* roots refused, ever (user space diffs it) */
	__u32 mntns;     /* the namespace's inode number, for reports */
	__u32 uid;
	__u32 trk_refused; /* processes refused over --source-max-tracked, ever */
	__s64 tracked;   /* its processes followed now (an LRU eviction restarts it at 0) */
};

/* Indexes of the per-CPU stats array. */
enum hs_stat {
	HS_STAT_EVENTS = 0,      /* records the kernel tried to emit */
	HS_STAT_DROP_RINGBUF,    /* ring buffer full: record lost */
	HS_STAT_DROP_TRACK_FULL, /* --max-tracked reached: a process could not be followed */
	/*
	 * A runtime child forked before the failed-exec tracepoint was attached
	 * exited unsuccessfully without a successful exec: had it tried one and
	 * failed, that failure was not seen (see the race note in hooksnoop.bpf.c).
	 */
	HS_STAT_DROP_UNWATCHED,
	/*
	 * A new runtime root refused: its source (mount namespace, uid) started
	 * more than --root-rate roots in the last second. Not in drops_total:
	 * user space charges it to that source's containers only (hs_src_rate).
	 */
	HS_STAT_ROOT_REFUSED,
	/*
	 * A process of a source already holding --source-max-tracked slots not
	 * followed. Not in drops_total either: charged to that source (hs_src_rate).
	 */
	HS_STAT_TRACK_REFUSED,
	/* Not losses of records: what a hook's record says it is missing. */
	HS_STAT_DESC_CAPPED,   /* a hook descendant not followed (children_truncated) */
	HS_STAT_HOOKINFO_FULL, /* HS_HOOKS_MAX hooks captured at once: one's output not kept */
	HS_STAT_MAX,
};

#endif /* HOOKSNOOP_H */
