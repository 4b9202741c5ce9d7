/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The model (see correlate.c): kernel process events in, decided hook and
 * container records out through the report. Upstream hands in everything
 * it needs: decoded events, loss notices, the loss count when tracing stops.
 */
#ifndef HS_CORRELATE_H
#define HS_CORRELATE_H

#include <stdbool.h>

#include "event.h"
#include "report.h"

struct correlator;

/* Records go to rep; with all, every event is reported as well (--all). */
struct correlator *correlator__new(struct report *rep, bool all);
void correlator__free(struct correlator *c);

void correlator__on_event(struct correlator *c, const struct hs_event *ev);
/*
 * The kernel lost n records. Which containers they touched is decided from
 * the loss count stamped on every record: a container whose lifetime saw it
 * grow is "unknown". A second later (correlator__tick), the processes the
 * model follows are looked up in /proc: one gone without its exit record
 * (lost with the rest) is let go, so nothing waits for it for good.
 */
void correlator__on_lost(struct correlator *c, unsigned long long n);
/*
 * Runtime roots from source src (HS_SRC_KEY; any: from a source no longer
 * known) were refused by the kernel's per-source bound: the open containers
 * that source acts on are marked lost (their verdict becomes unknown).
 */
void correlator__on_source_lost(struct correlator *c, bool any, __u64 src);
bool correlator__refused_any(const struct correlator *c);
/*
 * Containers reported before their lifecycle ended because more than the
 * table's cap were live at once (created and never deleted in our sight).
 */
unsigned long long correlator__evicted(const struct correlator *c);
/* Processes found gone after a loss without their exit record (then let go). */
unsigned long long correlator__reaped(const struct correlator *c);
/* Change the cap (tests; 0 restores the default). */
void correlator__set_live_max(struct correlator *c, unsigned n);
/* Were records lost, or a container's verdict made unknown by a loss? */
bool correlator__lost_any(const struct correlator *c);
/*
 * --slow: a hook still running after slow_ns (then at each doubling of its
 * running time) is reported as hook_running. 0 turns it off.
 */
void correlator__set_slow(struct correlator *c, __u64 slow_ns);
/*
 * Time passes (the driver calls it between polls; it looks at live hooks
 * at most every 100 ms): report the hooks that crossed their next --slow
 * mark, and after a loss let go of processes gone without their exit
 * record. Reads /proc through saferead, bounded.
 */
void correlator__tick(struct correlator *c, __u64 now_ns);
/* Runtime and hook processes started after tracing began that still run. */
unsigned correlator__inflight(struct correlator *c);
/* Processes the model follows now (runtimes, hooks, container processes): a gauge. */
unsigned correlator__tracked(const struct correlator *c);
/* Any runtime or hook process alive (seeded ones included)? Sets the poll pace. */
bool correlator__busy(const struct correlator *c);
/*
 * Tracing stops: end unfinished hooks and containers and report them;
 * drops is the kernel's loss count now, now_ns the kernel clock now.
 */
void correlator__finish(struct correlator *c, unsigned long long drops, __u64 now_ns);
/*
 * --repeat: run `run` of CMD (0, 1, ... in order) starts at ts_ns (kernel
 * clock, CLOCK_MONOTONIC). Containers created from then on belong to it,
 * and their records say so. 0, -EINVAL (out of order) or -ENOMEM.
 */
int correlator__start_run(struct correlator *c, unsigned run, __u64 ts_ns);

#endif
