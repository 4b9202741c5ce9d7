/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one reader for files that another process names: bundle config.json,
 * runtime state directories, hooks.d directories and files, anything under
 * /proc/PID. Every such name is hostile input, so every read here:
 *   - resolves the path with openat2() under a root handle (RESOLVE_IN_ROOT:
 *     absolute paths and ".." stay inside it; RESOLVE_NO_MAGICLINKS: no
 *     /proc/self/fd tricks), the root being the naming process's own root
 *     (/proc/PID/root, checked against the pid's start time so a reused pid
 *     is refused) or a directory the user named;
 *   - opens with O_NONBLOCK|O_NOCTTY|O_CLOEXEC and reads regular files only
 *     (a FIFO, device or socket is refused, never waited on);
 *   - is bounded in size (the caller's max) and memory (the file plus one byte);
 *   - is bounded in time: the open and the read run on a worker thread and
 *     the caller waits at most the deadline (a hung FUSE or NFS file yields
 *     -ETIMEDOUT, never a stalled ring-buffer consumer). A worker stuck past
 *     its deadline is abandoned; after SR_MAX_STUCK of them every further
 *     read fails at once with -EAGAIN rather than pile up threads.
 * Handles (struct sr_root, directory fds from sr_opendir) are what modules
 * pass to each other, never path strings to re-resolve.
 */
#ifndef HS_SAFEREAD_H
#define HS_SAFEREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define SR_MAX_STUCK 4
#define SR_DEADLINE_MS 2000

/* A root to resolve names in. fd < 0: not open. */
/*
 * The file-access credentials of the process a root belongs to, as
 * /proc/PID/status gave them when the root was opened. A file another
 * process names is read only if that process could have read it itself:
 * root may run hooksnoop, but an unprivileged process naming /etc/shadow as
 * its config.json must not make hooksnoop quote it.
 */
#define SR_CRED_GROUPS 64
struct sr_cred {
	bool known;
	bool privileged;	/* CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH, in our user namespace */
	uid_t fsuid;
	gid_t fsgid;
	unsigned ngroups;
	gid_t groups[SR_CRED_GROUPS];
};

/* Could a process with credentials c read a file with st's owner and mode? (ACLs: no.) */
bool sr_cred_may_read(const struct sr_cred *c, const struct stat *st);
/* c from the text of /proc/PID/status; same_userns: the process is in our user namespace. */
int sr_cred_parse(const char *status, bool same_userns, struct sr_cred *c);

struct sr_root {
	int fd;			  /* O_PATH directory */
	pid_t pid;		  /* the process whose root this is; 0 for a named directory */
	unsigned long long start; /* that pid's start time (clock ticks since boot); 0 unknown */
	/*
	 * With pid: its mount namespace, held open. A root handle alone does
	 * not keep the mounts under it: when the namespace's last process
	 * exits, they are detached and a path that a mount covered falls
	 * through to the directory beneath (a spoof's tmpfs over its bundle
	 * would reveal the host's files). Valid only when pid != 0.
	 */
	int nsfd;
	struct sr_cred cred;	  /* with pid: what reads under it are checked against */
};

#define SR_ROOT_INIT { .fd = -1, .nsfd = -1 }

/*
 * The root of process pid (/proc/PID/root). When start is non-zero, the
 * process's start time is checked after the handle is open: a pid that now
 * names another process gives -ESRCH. Either way r->start receives the start
 * time read through the same /proc/PID handle as the root, so a caller that
 * passes 0 and compares r->start itself (with a tolerance, say) is race-free;
 * a separate sr_pid_start() call is not. 0 or -errno (-ESRCH: no such
 * process, or no longer the one expected).
 */
int sr_root_of_pid(struct sr_root *r, pid_t pid, unsigned long long start);
/* A directory the user named (or "/" for host paths). 0 or -errno. */
int sr_root_of_path(struct sr_root *r, const char *dir);
/*
 * A second handle on the same root (for an object that outlives the first).
 * sr_root_close() is idempotent and fits __attribute__((cleanup(sr_root_close))).
 */
int sr_root_dup(const struct sr_root *r, struct sr_root *out);
void sr_root_close(struct sr_root *r);

/*
 * The start time of pid from /proc/PID/stat (field 22, clock ticks since
 * boot), or 0 when the process is gone or the file cannot be parsed.
 */
unsigned long long sr_pid_start(pid_t pid);

/* The fields of a /proc/PID/stat line that hooksnoop uses. */
struct sr_stat {
	char comm[64];			/* the kernel's comm (kernel threads' may exceed 16) */
	char state;			/* field 3: R, S, D, Z (zombie), X (dead), ... */
	pid_t ppid;
	unsigned long flags;		/* field 9: PF_* (PF_EXITING 0x4) */
	long threads;			/* field 20 */
	unsigned long long start;	/* field 22: clock ticks since boot */
};

/*
 * The process whose stat this is has exited or is exiting as a whole: a
 * zombie (or dead) leader with no other thread, or an exiting leader that
 * is the last thread. Its exit has been (or is being) reported already.
 */
bool sr_stat_gone(const struct sr_stat *st);

/*
 * Parse the NUL-terminated text of /proc/PID/stat. The comm may hold any
 * byte but NUL, spaces and parentheses included: it ends at the LAST ')'.
 * 0 or -EINVAL.
 */
int sr_stat_parse(const char *buf, struct sr_stat *out);

/*
 * Open directory `path` under root r (absolute or relative to the root;
 * neither leaves it) as an O_PATH|O_DIRECTORY handle in *dirfd. Or, when at
 * is >= 0, `path` is resolved beneath the directory handle `at` instead
 * (RESOLVE_BENEATH: no absolute paths, no "..", no symlinks out of it).
 * Symlinks that stay inside (the root, or beneath at) are followed, the last
 * component's too; magic links (/proc/PID/fd/N, .../root) never are.
 * 0 or -errno (-ENOTDIR, -ENOENT, -EXDEV for an escape attempt, -ETIMEDOUT).
 */
int sr_opendir(const struct sr_root *r, int at, const char *path, int *dirfd);

/*
 * Does `path` exist under root r (or beneath `at`, as above)? Its stat
 * (following symlinks that stay inside; nothing is opened) in *st (may be
 * NULL). 0 or -errno as sr_opendir().
 */
int sr_stat(const struct sr_root *r, int at, const char *path, struct stat *st);

/*
 * Read regular file `path` under root r (or beneath `at` when at >= 0, as
 * above), at most max bytes, into a NUL-terminated malloc'd buffer. When st
 * is not NULL it receives the file's fstat (identity for caches).
 * 0, or -errno: -EINVAL not a regular file, -EISDIR, -EFBIG larger than max,
 * -EXDEV the path leads out of the root, -ELOOP a symlink where none may be,
 * -ETIMEDOUT, -EAGAIN too many stuck reads, -ENOENT, -EACCES, -EPERM (the naming process could not have read it), -ENOMEM.
 */
int sr_read(const struct sr_root *r, int at, const char *path, size_t max, char **buf, size_t *len,
	    struct stat *st);

/*
 * The same, but a file larger than max is not an error: its first max bytes
 * are returned and *more is set (argv from /proc/PID/cmdline, which has a
 * budget rather than a limit).
 */
int sr_read_head(const struct sr_root *r, int at, const char *path, size_t max, char **buf,
		 size_t *len, bool *more);

/*
 * Does regular file `path` (resolved as sr_read's) hold the bytes
 * needle[0, nlen)? It is read in windows of SR_FIND_WINDOW bytes, stopping
 * at the first match, so memory does not grow with the file; a file larger
 * than max is -EFBIG, as for sr_read. *found is set when 0 is returned; st
 * as sr_read's. -EINVAL: nlen is 0 or larger than a window.
 */
#define SR_FIND_WINDOW (1u << 20)
int sr_find(const struct sr_root *r, int at, const char *path, size_t max, const void *needle,
	    size_t nlen, bool *found, struct stat *st);

/*
 * The bounded read itself, for a regular file the caller already opened
 * safely (fd is not closed): at most max bytes, -EFBIG beyond, reading to
 * EOF when the file reports size 0 (procfs, sysfs). No time bound: the
 * caller owns the thread it runs on. Errors as sr_read.
 */
int sr_read_fd(int fd, size_t max, char **buf, size_t *len, struct stat *st);

/*
 * The same for a path the user named on the command line (lint's
 * arguments): not hostile, but still never a FIFO, never unbounded, never
 * blocking. Resolved normally from the current directory.
 */
int sr_read_user(const char *path, size_t max, char **buf, size_t *len, struct stat *st);

/*
 * Names of the regular files (or directories, with want_dirs) in directory
 * handle dirfd, sorted bytewise, at most maxn of them (-E2BIG beyond). *names
 * is a NULL-terminated array of *n strings; free with sr_names_free().
 */
int sr_list(int dirfd, bool want_dirs, size_t maxn, char ***names, size_t *n);
void sr_names_free(char **names, size_t n);

/*
 * Why a read was refused, for a container's "configuration" field and lint:
 * "not a regular file", "too large", "outside the runtime's root", "timed
 * out", ...; strerror() for anything else.
 */
const char *sr_strerror(int err);

/* For tests: change the deadline (milliseconds; 0 restores SR_DEADLINE_MS). */
void sr_set_deadline_ms(unsigned ms);

/*
 * Test only: when set, every worker calls it before it opens anything, so a
 * test can hold a worker "in a hung file system" and exercise the deadline
 * and the stuck-worker limit. NULL in hooksnoop itself.
 */
extern void (*sr_test_stall)(void);
/* Test only: abandoned workers still inside a syscall (the SR_MAX_STUCK count). */
unsigned sr_test_stuck(void);

#endif
