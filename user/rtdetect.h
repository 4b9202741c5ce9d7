/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which container runtime (or driver) a process is: the one table of program
 * names that every runtime-name rule in hooksnoop derives from. It gives the
 * kind behind a program name, path or comm (crun, crun-HANDLER, krun, runc
 * and its runc:[N:NAME] stage renames, youki, runsc and its helpers, podman,
 * conmon, containerd-shim*), which of those names are followed by default
 * (the comm names handed to BPF as rodata and used when seeding from /proc),
 * and how an exec's filename, argv[0] and comm are weighed against each other.
 */
#ifndef HS_RTDETECT_H
#define HS_RTDETECT_H

#include <stdbool.h>
#include <stddef.h>

enum rt_kind {
	RT_UNKNOWN,
	RT_CRUN,
	RT_RUNC,
	RT_YOUKI,
	RT_RUNSC,
	RT_KRUN,   /* crun built with libkrun, invoked as "krun": crun's CLI and state dir */
	RT_PODMAN,
	RT_CONMON,
	RT_SHIM,   /* containerd-shim-runc-v2 and friends (shim v2 flags) */
};

/* "crun", "runc", ... ; "unknown" out of range. */
const char *rt_kind_name(enum rt_kind kind);

/*
 * Kind from a program name or path (only its basename is looked at): crun,
 * crun-HANDLER, krun, runc, runc:[N:NAME] (runc's re-exec comm), youki, runsc,
 * runsc-gofer, runsc-sandbox, podman, conmon, containerd-shim* (also as the
 * 15-byte comm "containerd-shim").
 */
enum rt_kind rt_kind_from_name(const char *name);

/*
 * True for the paths runtimes re-exec themselves through (/proc/self/exe,
 * /proc/PID/exe, /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N, memfd:...):
 * such a filename says nothing about which program runs.
 */
bool rt_is_reexec_path(const char *filename);

/*
 * Kind of an exec from what the kernel reports. The filename is trusted
 * first (a container process can set any argv[0] or comm), except for
 * re-exec paths, where argv[0] and then comm decide. Any argument may be NULL.
 */
enum rt_kind rt_detect(const char *filename, const char *argv0, const char *comm);

/*
 * The comm names followed by default (crun, runc, youki, runsc, krun,
 * podman), in table order: at most max of them into out. Returns how many
 * there are in all. Each is shorter than a task comm (16 bytes).
 */
size_t rt_default_comms(const char **out, size_t max);

/*
 * Whether a task with this comm is the runtime followed under comm name
 * `name` (a default or a -r NAME): the same name, which is all BPF compares
 * at exec, or a name that program gives its own stages by prctl after exec
 * (runc:[2:INIT] for "runc"), which only /proc shows.
 */
bool rt_comm_matches(const char *name, const char *comm);

#endif
