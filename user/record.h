/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The records that flow down the pipeline, as plain data: what the model
 * (correlate.c) hands to verdicts (verdict.c) and to the report sinks
 * (report.c, sink_text.c, sink_json.c). Nothing here points back into the
 * model's tables; a record's pointers are valid for the duration of the call
 * that hands it over, and a sink that keeps anything copies it.
 *
 *   kernel records -> event.c (decode) -> correlate.c (model) -> attrib.c
 *   (stage/index) -> verdict.c (tallies, marks, verdict) -> report.c ->
 *   sinks (text, JSON Lines, expectations)
 */
#ifndef HS_RECORD_H
#define HS_RECORD_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "hooksnoop.h"
#include "lint.h"
#include "oci.h"

enum hook_status {
	HOOK_OK,
	HOOK_FAILED,      /* exit code != 0 */
	HOOK_KILLED,      /* by a signal */
	HOOK_TIMEOUT,     /* killed after running at least its configured timeout */
	HOOK_EXEC_FAILED, /* execve failed: err says why */
	HOOK_UNFINISHED,  /* still running when its container's record was written */
};

const char *hook_status_name(enum hook_status s);

/*
 * --repeat: which run of CMD a container (and so each of its hooks) belongs
 * to, decided by when the container was created. Zeroed: not repeating.
 */
struct run_of {
	bool repeat;	/* --repeat is on: `index` says the run */
	int index;	/* 0-based; -1 = created before the first run started */
};

/* Where a hook's fd 1 / fd 2 pointed when it started (SPEC: stdout.to, stderr.to). */
enum out_to {
	OUT_TO_PIPE,
	OUT_TO_NULL,	/* /dev/null (crun sends hook output there) */
	OUT_TO_FILE,
	OUT_TO_TTY,
	OUT_TO_SOCKET,
	OUT_TO_CLOSED,
	OUT_TO_OTHER,
};

const char *out_to_name(enum out_to t);

/*
 * A hook's stdout or stderr: where it pointed, and the last --output-bytes
 * bytes the hook and its descendants wrote there while the hook ran.
 */
struct out_rec {
	bool known;		/* false: not captured (capture off, or nothing reported) */
	enum out_to to;
	char *tail;		/* tail_len raw bytes (escape before printing), may be NULL */
	size_t tail_len;
	unsigned long long bytes; /* everything written, tail included */
	bool truncated;		/* bytes > tail_len (the head was not kept), or late */
	bool late;		/* capture began after the hook started: bytes is a lower bound */
};

/* A descendant of a hook (forked by it or by one of its descendants). */
struct child_rec {
	__u32 pid;
	__u32 ppid;
	char *argv;		/* NUL-separated argv_len bytes: its last exec's, or its parent's */
	size_t argv_len;
	__u64 start_ns, end_ns;
	bool ended;		/* false: end_ns, exit_code and signal are unknown */
	int exit_code, signal;
	bool outlived;		/* still running when the hook itself exited */
};

/* Descendants kept per hook (the kernel follows at most as many; more is children_trunc). */
#define HOOK_CHILDREN_MAX HS_DESC_MAX


/* Where a configured hook came from (SPEC `origin`; see origin.h). */
enum origin_kind {
	ORIGIN_NONE,	/* not told: the exec matched no configured hook */
	ORIGIN_CONFIG,	/* the configuration file the runtime read */
	ORIGIN_HOOKSD,	/* a hooks.d file the engine (podman) injected it from */
	ORIGIN_CDI,	/* a CDI spec's containerEdits */
	ORIGIN_ENGINE,	/* the engine's own binary (/proc/<engine pid>/exe) */
};

/* "config", "hooks.d", "cdi", "engine"; NULL for ORIGIN_NONE. */
const char *origin_kind_name(enum origin_kind k);

struct hook_origin {
	enum origin_kind kind;
	const char *file;	/* the configuration file, hooks.d file, CDI spec or
				 * engine binary; NULL when it cannot be told */
};

/* One hook execution, in the order its container's hooks were exec'd. */
struct hook_rec {
	struct hook_rec *next;
	int stage;		/* enum oci_stage, or -1 = unknown */
	int index;		/* position in the stage's configured array, -1 = not matched */
	bool inferred;		/* stage deduced without the configuration */
	__u32 pid, ppid;
	char *path;		/* as exec'd (as requested, for a failed exec) */
	char *argv;		/* NUL-separated, argv_len bytes */
	size_t argv_len;
	bool argv_trunc;
	__u64 start_ns, end_ns;
	bool ended;
	enum hook_status status;
	int exit_code, signal, err;
	enum origin_kind origin;	/* ORIGIN_NONE when not matched to a configured hook */
	char *origin_file;	/* owned; NULL when it cannot be told */
	/*
	 * exec_failed without an execve: the runtime's child died before it
	 * tried one (err is 0, exit_code / signal are the child's), and why.
	 */
	char *reason;
	struct run_of run;	/* its container's */
	/* what it said and saw (SPEC second round) */
	struct out_rec out[2];	/* [0] stdout, [1] stderr */
	char *state;		/* the bytes it (and its descendants) read on stdin, or NULL */
	size_t state_len;
	bool state_trunc;	/* more was read than kept */
	bool env_known;		/* -e: env holds its environment */
	char *env;		/* NUL-separated NAME=VALUE, secrets already masked */
	size_t env_len;
	bool env_trunc;
	bool children_known;	/* its descendants were followed (false for exec_failed) */
	struct child_rec *children; /* in fork order */
	size_t nchildren;
	bool children_trunc;	/* more descendants than were followed */
	bool io_seen;		/* the kernel captures its I/O (its start record came) */
	bool io_late;		/* ... from after its start (HS_F_CAPTURE_LATE) */
};

/*
 * A hook still running after --slow, and again each time its running time
 * doubled (SPEC `hook_running`): where it waits and what it started. A
 * progress report: its hook record comes when it ends.
 */
struct running_rec {
	const struct hook_rec *hook;	/* stage, index, pid, argv, start; not ended */
	__u64 ts_ns;			/* when it was looked at */
	__u64 running_ns;		/* ts_ns - the hook's start */
	const char *wchan;		/* the kernel function it sleeps in, "" running; NULL unknown */
	bool children_known;		/* false: neither followed nor readable */
	const struct child_rec *children; /* its descendants alive now (or followed so far) */
	size_t nchildren;
	bool children_trunc;
};

/* Free what a hook_rec owns (not the record itself). */
void hook_rec_free_fields(struct hook_rec *h);

/* Where a stage got to, as the timeline's last column says it. */
enum stage_mark {
	MARK_NONE,	  /* nothing configured, nothing to say */
	MARK_OK,	  /* every configured hook fired */
	MARK_FAILED,	  /* a hook of this stage failed */
	MARK_NOT_REACHED, /* an earlier hook failed, the runtime stopped before it */
	MARK_NOT_DUE,	  /* the lifecycle has not reached this stage yet */
	MARK_MISSING,	  /* due, configured, not (all) fired */
	MARK_NOT_RUN,	  /* nothing configured for this runtime, and a warning says why */
	MARK_SKIPPED,	  /* configured, but this runtime never runs the stage (RUNTIME_SKIPS_STAGE) */
};

struct stage_rec {
	unsigned configured, fired, failed;
	bool due;	/* the lifecycle reached the point where this stage runs */
	bool stopped;	/* a failing hook stopped the runtime before (the rest of) it */
	bool skipped;	/* the runtime never runs this stage (runsc: createContainer...) */
	enum stage_mark mark;
};

enum ctr_verdict {
	VERDICT_OK,
	VERDICT_HOOK_FAILED,
	VERDICT_MISSING,
	VERDICT_UNKNOWN, /* events were lost while it lived */
};

const char *verdict_name(enum ctr_verdict v);

/*
 * A warning about what the timeline shows (not about the configuration:
 * those are lint findings), decided by verdict.c. The message holds no
 * untrusted bytes (stage names and numbers only).
 */
struct ctr_warning {
	const char *code;	/* static: POSTSTART_BEFORE_PROCESS, HOOK_RAN_TWICE, ... */
	int stage;		/* the stage it is about, -1 none */
	char message[240];
};

#define CTR_WARN_MAX 8

/* Runtime invocations kept per container: a lifecycle is a handful (create, start, delete). */
#define CTR_INVS_MAX 32

struct proc_rec {
	bool started, exited;
	__u32 pid;
	const char *argv;
	size_t argv_len;
	__u64 start_ns, exit_ns;
	int exit_code, signal;
};

/*
 * One runtime CLI invocation that acted on a container (`crun create`, `runc
 * start`, `runc delete`...), for exporters that draw the runtime's own time
 * next to its hooks (--trace-out).
 */
struct inv_rec {
	const char *cmd;	/* its subcommand (rt_cmd_name(): static) */
	__u32 pid;
	__u64 start_ns, end_ns;
	bool ended;		/* false: still running when the record was made */
	int exit_code;
};

/*
 * A runtime that itself runs inside another container's namespaces (Docker
 * in Docker, podman in a CI container, kind): its paths were resolved in
 * its own root.
 */
struct nested_rec {
	bool nested;
	const char *outer;	/* the traced container whose namespaces it runs in, or NULL */
	__u32 mntns, pidns;	/* the runtime's namespaces (inode numbers) */
};

/* A container's whole timeline, when its lifecycle ends or tracing stops. */
struct ctr_rec {
	const char *id;
	const char *runtime;
	const char *bundle;	/* NULL when unknown */
	const char *state;	/* creating, created, running, stopped, deleted, failed */
	struct stage_rec stages[OCI_STAGE_MAX];
	struct proc_rec process;
	const char *cfg_error;	/* the configuration could not be read (stages inferred) */
	const char *refused;	/* the runtime refuses this configuration, and why */
	const struct lint_result *lint; /* findings that explain the timeline (never NULL) */
	const struct hook_rec *hooks;
	const struct inv_rec *invs;	/* in start order; the first CTR_INVS_MAX only */
	size_t ninvs;
	__u64 create_ns;
	__u64 end_ns;	/* when the record was made: its last record's time, or when
			 * tracing stopped; an unfinished hook had run until then */
	struct run_of run;
	struct nested_rec nested;
	/*
	 * The executable of the runtime root that first acted on it, and
	 * whether it carries that runtime's marks (rtexe.c): -1 not known,
	 * 0 no (a process named like a runtime), 1 yes. NULL: not known.
	 */
	const char *rt_exe;
	int rt_exe_ok;
	bool lost;
	bool evicted;	/* reported before its lifecycle ended: too many were live */
	enum ctr_verdict verdict;
	struct ctr_warning warn[CTR_WARN_MAX];	/* verdict_fill()'s, after the lint findings */
	unsigned nwarn;
};

/* The kernel could not deliver some records. */
struct loss_rec {
	unsigned long long count, ringbuf, tracking;
	unsigned long long unwatched;	/* runtime children that ended unseen by the failed-exec
					 * program (forked before it attached): maybe a hook */
	/*
	 * New runtime roots refused by the per-source bound (--root-rate), in
	 * count too. When src_known, all from the source (src_mntns, src_uid),
	 * and only its containers are marked unknown; otherwise every live one.
	 */
	unsigned long long refused;
	/* processes not followed over --source-max-tracked, in count too; same source rule */
	unsigned long long track_refused;
	bool src_known;
	__u32 src_mntns, src_uid;
	__u64 ts_ns;
};

struct summary_rec {
	unsigned containers, hooks;
	unsigned long long lost;
	unsigned long long refused;	/* runtime starts refused over --root-rate (not in lost) */
	unsigned long long track_refused; /* processes not followed over --source-max-tracked */
	unsigned long long evicted;	/* containers reported early (see ctr_rec.evicted) */
	const char *expectations; /* pass | fail | none */
};

#endif
