/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The correlator: turns the kernel's process events into runtime
 * invocations, containers and hook executions. It parses each runtime
 * invocation's command line, reads the container's configuration the way
 * that runtime reads it, attributes every hook exec to a container, stage and
 * index, and writes SPEC's hook / container records (or their text form) as
 * hooks end and containers' lifecycles end. It also answers CI mode's
 * --expect questions.
 */
#ifndef HS_CORRELATE_H
#define HS_CORRELATE_H

#include <stdbool.h>

#include "event.h"
#include "opts.h"
#include "output.h"

struct correlator;

/*
 * drops_now (may be NULL) returns the kernel's running count of lost records
 * and unfollowed processes: a container whose lifetime saw it grow is
 * "unknown", even when the loss is noticed in the same batch it ends in.
 */
typedef unsigned long long (*correlator_drops_fn)(void *ctx);

struct correlator *correlator__new(const struct settings *s, struct output *out,
				   correlator_drops_fn drops_now, void *drops_ctx);
void correlator__free(struct correlator *c);

void correlator__on_event(struct correlator *c, const struct hs_event *ev);
/* The kernel lost n records: every container alive now becomes "unknown". */
void correlator__on_lost(struct correlator *c, unsigned long long n);
/* Runtime and hook processes started after tracing began that still run. */
unsigned correlator__inflight(struct correlator *c);
/* Any runtime or hook process alive (seeded ones included)? Sets the poll pace. */
bool correlator__busy(const struct correlator *c);
/* Tracing stops: end unfinished hooks and containers, write their records. */
void correlator__finish(struct correlator *c);

unsigned correlator__containers(const struct correlator *c);
unsigned correlator__hooks(const struct correlator *c);

/*
 * --expect results over every container seen: 0 all held, 1 some failed,
 * 2 some could not be verified (lost events), -1 no expectation asked.
 * Each failure is explained on stderr.
 */
int correlator__expectations(struct correlator *c);

#endif
