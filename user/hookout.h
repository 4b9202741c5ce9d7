/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a hook said and saw, as pure functions over the kernel's facts: the
 * kind of file its fd 1 / fd 2 pointed to (from inode mode and device),
 * secret masking of its environment (-e), and the assembly of what it read
 * on stdin (the state JSON) from HS_EV_INPUT chunks.
 */
#ifndef HS_HOOKOUT_H
#define HS_HOOKOUT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "record.h"

/* The kind of an open file from its inode's mode and device (mode 0 = closed). */
enum out_to hookout_fd_kind(__u32 mode, __u32 rdev);

/*
 * Does an environment variable's name look secret (contains TOKEN, SECRET,
 * PASSWORD, KEY or CREDENTIAL, in any case)?
 */
bool hookout_secret_name(const char *name, size_t n);

/*
 * A copy of a NUL-separated NAME=VALUE list (len bytes, trailing NUL
 * optional) with the value of every secret-looking name replaced by ***.
 * The copy is NUL-separated and ends with a NUL; *out_len is its length.
 * NULL on allocation failure.
 */
char *hookout_env_mask(const char *env, size_t len, size_t *out_len);

/*
 * Put len bytes read on the hook's stdin at stream offset off into h->state,
 * keeping at most HS_STATE_MAX bytes (more, or a gap, sets state_trunc).
 * 0 or -ENOMEM.
 */
int hookout_state_put(struct hook_rec *h, __u64 off, const char *data, size_t len, bool trunc);

/* The kernel's facts about a hook as it started (HS_EV_HOOK): fd kinds, -e environment. */
struct event_hook_start {
	struct hs_fdinfo fd[3];
	bool no_capture;	/* the kernel keeps none of its I/O */
	bool capture_late;	/* ... or only from after its start */
	bool env_on;
	const char *env;
	size_t env_len;
	bool env_trunc;
};

/* h started: what its stdout/stderr are, its masked environment. 0 or -ENOMEM. */
int hookout_start(struct hook_rec *h, const struct event_hook_start *st);

/*
 * h ended (HS_EV_OUTPUT, just before its exit): the tails of what it wrote.
 * tail[i] holds len[i] bytes, the last of bytes[i]. 0 or -ENOMEM.
 */
int hookout_output(struct hook_rec *h, bool captured, const __u64 bytes[2],
		   const char *const tail[2], const size_t len[2], __u32 desc_dropped);

/*
 * A descendant of h was forked: its index in h->children, or -1 when the
 * list is full (children_trunc) or the hook ended. argv: the parent's.
 */
int hookout_child_add(struct hook_rec *h, __u32 pid, __u32 ppid, __u64 start_ns,
		      const char *argv, size_t argv_len);
/* Descendant idx exec'd argv. 0 or -ENOMEM. */
int hookout_child_exec(struct hook_rec *h, int idx, const char *argv, size_t argv_len);
/* Descendant idx exited (only while the hook runs: the record is frozen once it ended). */
void hookout_child_exit(struct hook_rec *h, int idx, __u64 ts_ns, int exit_code, int signal);
/* The hook itself exited: every descendant still running outlived it. */
void hookout_hook_exit(struct hook_rec *h);

#endif
