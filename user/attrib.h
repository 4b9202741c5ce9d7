/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Attribution: which configured hook (stage, index) an observed hook exec
 * is, as pure functions of the container's configuration, its progress so
 * far and the invocation that ran the hook. No I/O, no BPF, no tables of
 * processes: the model (correlate.c) owns those and hands in what matters.
 *
 * Each side of a container runs its stages in a fixed order and each
 * stage's array in order (host side: prestart, createRuntime, poststart,
 * poststop; container side: createContainer, startContainer), so hook execs
 * are matched in time order against the configured arrays by path and argv,
 * with one cursor per side and one per stage. A command that appears in
 * several stages lands in the earliest stage the cursors still allow.
 * Without a readable configuration the stage is inferred from the
 * subcommand, the side and the container process's progress.
 */
#ifndef HS_ATTRIB_H
#define HS_ATTRIB_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "oci.h"
#include "record.h"
#include "rtargs.h"

enum attrib_side { SIDE_HOST, SIDE_CONTAINER };

/* The hooks a container's runtime will run. */
struct attrib_cfg {
	const struct oci_hooks *cfg;	    /* NULL when the configuration is unreadable */
	const struct oci_hooks *podman_own; /* hooks.d poststop hooks podman runs itself */
};

/* Per container: how far its hooks and lifecycle have got. */
struct attrib_state {
	size_t next_idx[OCI_STAGE_MAX];
	int cursor[2];		 /* per side: the stage reached, -1 none */
	bool due[OCI_STAGE_MAX]; /* the lifecycle reached the point where this stage runs */
	bool stopped[OCI_STAGE_MAX];
	bool cstarted, cexited;	 /* the container process */
};

/* Who ran the hook. */
struct attrib_who {
	enum rt_kind kind;
	enum rt_cmd cmd;
	enum attrib_side side;
	bool podman_own; /* podman itself, running its hooks.d poststop hooks */
};

void attrib_state_init(struct attrib_state *st);

/* create, run and restore make a container (and run its create-time hooks). */
bool attrib_creates(enum rt_cmd cmd);

/* An invocation of cmd reached the container: mark the stages it runs as due. */
void attrib_mark_due(struct attrib_state *st, enum rt_kind kind, enum rt_cmd cmd);

/* Hooks configured for stage st (podman's own poststop hooks count after the config's). */
unsigned attrib_configured(const struct attrib_cfg *cfg, int st);
/* The i-th configured hook of stage st, or NULL. */
const struct oci_hook *attrib_cfg_hook(const struct attrib_cfg *cfg, int st, size_t i);

/*
 * Attribute hook h (path, argv filled) run by `who`: sets h->stage,
 * h->index and h->inferred, and advances the cursors in st.
 */
void attrib_match(const struct attrib_cfg *cfg, struct attrib_state *st,
		  const struct attrib_who *who, struct hook_rec *h);

/*
 * A runtime child of `who` died before it exec'd anything: if a hook is
 * still to run at this point of the lifecycle, it was that hook's child.
 * Sets *stage and *index to the next configured hook not yet matched (in
 * the order the runtime runs them, in stages that are due) and advances
 * the cursors as a match would; false when none is pending (the child was
 * something else).
 */
bool attrib_next_pending(const struct attrib_cfg *cfg, struct attrib_state *st,
			 const struct attrib_who *who, int *stage, int *index);

/* Hook h failed: the rest of its stage (and, before poststart, later stages) won't run. */
void attrib_failed(struct attrib_state *st, const struct hook_rec *h);

/*
 * Status of a hook that exited with (exit_code, signal) after running
 * duration_ns, given its configured entry (may be NULL): killed after at
 * least its timeout is "timeout".
 */
enum hook_status attrib_exit_status(const struct oci_hook *hk, __u64 duration_ns, int exit_code,
				    int signal);

#endif
