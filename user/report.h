/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The end of the pipeline: every record the model decides on goes to
 * report__*(), which applies the -c container filter, counts what was
 * reported for the summary, and hands the record to each registered sink.
 * A sink renders (text, JSON Lines) or consumes (the --expect checker)
 * records; it never reaches back into the model. New exporters (JUnit,
 * metrics, trace files) are new sinks.
 */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <stdbool.h>

#include "event.h"
#include "opts.h"
#include "record.h"

struct sink;

struct sink_ops {
	/* --all: an exec, failed exec, fork or exit of a tracked process */
	void (*event)(struct sink *sk, const struct hs_event *ev, enum hs_urole role);
	/* a hook ended (or, when its container's record is written, never did) */
	void (*hook)(struct sink *sk, const char *container, const char *runtime,
		     const struct hook_rec *h);
	/* a hook still running after --slow (and at each doubling) */
	void (*running)(struct sink *sk, const char *container, const char *runtime,
			const struct running_rec *r);
	/* a container's lifecycle ended, or tracing stopped */
	void (*container)(struct sink *sk, const struct ctr_rec *rec);
	void (*lost)(struct sink *sk, const struct loss_rec *l);
	void (*summary)(struct sink *sk, const struct summary_rec *s);
	void (*free)(struct sink *sk);
};

struct sink {
	const struct sink_ops *ops;
};

#define REPORT_MAX_SINKS 8

struct report {
	const struct settings *s;
	struct sink *sinks[REPORT_MAX_SINKS];
	unsigned nsinks;
	unsigned containers, hooks; /* reported so far (after the filter) */
};

void report__init(struct report *r, const struct settings *s);
/* Takes ownership of sk (freed by report__free). 0 or -ENOSPC. */
int report__add(struct report *r, struct sink *sk);
void report__free(struct report *r);

/* Does the -c filter let container `id` through? (NULL: only when no filter.) */
bool report__wants(const struct report *r, const char *id);

void report__event(struct report *r, const struct hs_event *ev, enum hs_urole role);
void report__hook(struct report *r, const char *container, const char *runtime,
		  const struct hook_rec *h);
void report__running(struct report *r, const char *container, const char *runtime,
		     const struct running_rec *rr);
void report__container(struct report *r, const struct ctr_rec *rec);
void report__lost(struct report *r, const struct loss_rec *l);
void report__summary(struct report *r, unsigned long long lost, unsigned long long refused,
		     unsigned long long track_refused,
		     unsigned long long evicted, const char *expectations);

#endif
