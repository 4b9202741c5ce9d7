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

enum hs_event_type {
	HS_EV_EXEC = 1,        /* successful exec of a tracked or newly tracked process */
	HS_EV_EXEC_FAILED = 2, /* execve/execveat returned an error in a tracked process */
	HS_EV_FORK = 3,        /* a tracked runtime process forked a new process */
	HS_EV_EXIT = 4,        /* the last thread of a tracked process exited */
	HS_EV_MAX,
};

/* Role of a tracked process, as the kernel side sees it. */
enum hs_role {
	HS_ROLE_NONE = 0,    /* not tracked (prev_role of a new runtime root) */
	HS_ROLE_RUNTIME = 1, /* runtime binary or a fork / re-exec of one: forks followed */
	HS_ROLE_LEAF = 2,    /* first non-runtime exec in a runtime tree: forks not followed */
};

/* hs_hdr.flags */
#define HS_F_ARGV_TRUNC (1u << 0)     /* argv did not fit the byte budget */
#define HS_F_FILENAME_TRUNC (1u << 1) /* filename did not fit HS_FILENAME_LEN */
#define HS_F_NEW_ROOT (1u << 2)       /* exec made this process a runtime root */
#define HS_F_REEXEC (1u << 3)         /* runtime re-exec (/proc/self/exe, /dev/fd/N...) */
#define HS_F_SEEDED (1u << 4)         /* (user space only) seeded from /proc */
#define HS_F_ARGV_FAULT (1u << 5)     /* argv could not be read from user memory */
#define HS_F_UNWATCHED (1u << 6)      /* exit: a failed exec of this process may have gone unseen */

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
	__u32 rsvd;
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

/* hs_track.flags */
#define HS_TRK_UNWATCHED (1u << 0) /* forked while hs_exec_failed was not attached, no exec since */

/* Task-local storage of a followed process (on its thread-group leader). */
struct hs_track {
	__u32 root_pid;
	__u8 role;
	__u8 flags; /* HS_TRK_* */
	__u8 pad[2];
};
_Static_assert(sizeof(struct hs_track) == 8, "hs_track layout");

/* xfail_mode: which failed-exec program reports (user space switches it). */
#define XFAIL_RAW 1 /* hs_exec_failed on tp_btf/sys_exit: attaches without waiting */
#define XFAIL_TP 2  /* hs_exec_failed_tp on syscalls:sys_exit_execve(at): cheap for others */

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
	HS_STAT_MAX,
};

#endif /* HOOKSNOOP_H */
