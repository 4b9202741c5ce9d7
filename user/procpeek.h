/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A look at a live process through /proc, for hooks that run long
 * (`hook_running`): where it sleeps (wchan) and which descendants it has
 * now. The process is named by pid and start time, so a pid reused by
 * another process yields -ESRCH, never its data; every file is read through
 * saferead (bounded, never blocking the caller past its deadline).
 */
#ifndef HS_PROCPEEK_H
#define HS_PROCPEEK_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "rtview.h"

/* /proc's start time (clock ticks since boot) of a process that started at start_ns (monotonic). */
unsigned long long procpeek_ticks(const struct rtview *v, __u64 start_ns);

/*
 * The kernel function pid sleeps in (/proc/PID/wchan), "" while it runs,
 * in buf (at most sz - 1 characters of [A-Za-z0-9_.]). ticks: its start
 * time (0: any process holding pid). 0 or -errno (-ESRCH: gone, or not the
 * process that started at ticks).
 */
int procpeek_wchan(__u32 pid, unsigned long long ticks, char *buf, size_t sz);

/*
 * Whether pid is still the process that started at ticks and has not
 * exited: 0 yes, -ESRCH no (gone, a zombie, or another process), another
 * -errno when /proc could not tell.
 */
int procpeek_alive(__u32 pid, unsigned long long ticks);

/*
 * pid's descendants alive now, breadth first, at most max (*trunc when
 * there were more), each with its argv (at most argv_max bytes) and start
 * time; a descendant is kept only when its own stat names its parent.
 * *out is malloc'd (procpeek_children_free()). 0 or -errno as above.
 */
int procpeek_children(__u32 pid, unsigned long long ticks, const struct rtview *v, size_t max,
		      size_t argv_max, struct child_rec **out, size_t *nout, bool *trunc);
void procpeek_children_free(struct child_rec *v, size_t n);

#endif
