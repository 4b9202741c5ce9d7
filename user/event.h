/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Decoding of ring-buffer records into a validated view. Nothing downstream
 * reads a raw record: hs_event_decode() checks the tag, the declared size
 * against the delivered size and the per-type layout, and terminates strings.
 */
#ifndef HS_EVENT_H
#define HS_EVENT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "hooksnoop.h"

/* Role shown to users (the kernel only knows runtime / leaf). */
enum hs_urole {
	HS_UROLE_RUNTIME,
	HS_UROLE_HOOK,
	HS_UROLE_CONTAINER,
	HS_UROLE_OTHER,
};

struct hs_event {
	const struct hs_hdr *hdr;
	enum hs_event_type type;
	char comm[HS_COMM_LEN];         /* NUL-terminated copy */
	/* exec / exec_failed */
	const char *filename;           /* NUL-terminated (copied), "" if absent */
	char filename_buf[HS_FILENAME_LEN];
	const char *argv;               /* NUL-separated, argv_len bytes, not terminated */
	size_t argv_len;
	unsigned int argc;
	bool argv_truncated;
	int err;                        /* errno of a failed exec */
	/* fork */
	__u32 parent_pid;
	/* exit */
	int exit_code;
	int signal;
	bool core;
	/* hook start (HS_EV_HOOK) */
	struct hs_fdinfo fd[3];
	const char *env;                /* NUL-separated, env_len bytes (-e), not terminated */
	size_t env_len;
	bool env_on;                    /* -e: env is the hook's environment (maybe empty) */
	bool env_truncated;
	bool no_capture;                /* the kernel kept none of this hook's I/O */
	bool capture_late;              /* its I/O capture began after it started */
	/* hook output (HS_EV_OUTPUT) */
	bool out_captured;              /* stdout/stderr were captured (--output-bytes > 0) */
	__u64 out_bytes[2];             /* [0] stdout, [1] stderr: everything written */
	const char *out_tail[2];        /* their last out_len[i] bytes */
	size_t out_len[2];
	__u32 desc_dropped;             /* descendants the kernel did not follow */
	/* stdin read (HS_EV_INPUT) */
	__u64 in_off;
	const char *in_data;
	size_t in_len;
	bool in_truncated;
};

/* 0, or -EINVAL for a malformed record (wrong tag, size mismatch). */
int hs_event_decode(const void *data, size_t size, struct hs_event *ev);

const char *hs_event_type_name(enum hs_event_type t);
const char *hs_urole_name(enum hs_urole r);

/*
 * Role guess from the kernel-side facts alone: runtime role -> runtime; the
 * first exec of a leaf that is pid 1 of its pid namespace -> container (the
 * container init turning into the container process); the first exec of any
 * other leaf -> hook; later execs of a leaf -> other.
 */
enum hs_urole hs_event_role_guess(const struct hs_event *ev);

#endif
