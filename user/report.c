// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fan-out of decided records to the sinks, with the -c filter and the
 * counts the summary reports (see report.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <string.h>

#include "report.h"

void report__init(struct report *r, const struct settings *s)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
}

int report__add(struct report *r, struct sink *sk)
{
	if (r->nsinks == REPORT_MAX_SINKS)
		return -ENOSPC;
	r->sinks[r->nsinks++] = sk;
	return 0;
}

void report__free(struct report *r)
{
	unsigned i;

	for (i = 0; i < r->nsinks; i++)
		if (r->sinks[i]->ops->free)
			r->sinks[i]->ops->free(r->sinks[i]);
	r->nsinks = 0;
}

bool report__wants(const struct report *r, const char *id)
{
	size_t i;

	if (!r->s->ncontainers)
		return true;
	if (!id)
		return false;
	for (i = 0; i < r->s->ncontainers; i++)
		if (!fnmatch(r->s->containers[i], id, 0))
			return true;
	return false;
}

#define FAN_OUT(r, op, ...)                                                                        \
	do {                                                                                       \
		for (unsigned i_ = 0; i_ < (r)->nsinks; i_++)                                      \
			if ((r)->sinks[i_]->ops->op)                                               \
				(r)->sinks[i_]->ops->op((r)->sinks[i_], __VA_ARGS__);             \
	} while (0)

void report__event(struct report *r, const struct hs_event *ev, enum hs_urole role)
{
	FAN_OUT(r, event, ev, role);
}

void report__hook(struct report *r, const char *container, const char *runtime,
		  const struct hook_rec *h)
{
	if (!report__wants(r, container))
		return;
	r->hooks++;
	FAN_OUT(r, hook, container, runtime, h);
}

void report__running(struct report *r, const char *container, const char *runtime,
		     const struct running_rec *rr)
{
	if (!report__wants(r, container))
		return;
	FAN_OUT(r, running, container, runtime, rr);
}

void report__container(struct report *r, const struct ctr_rec *rec)
{
	if (!report__wants(r, rec->id))
		return;
	r->containers++;
	FAN_OUT(r, container, rec);
}

void report__lost(struct report *r, const struct loss_rec *l)
{
	FAN_OUT(r, lost, l);
}

void report__summary(struct report *r, unsigned long long lost, unsigned long long refused,
		     unsigned long long track_refused, unsigned long long evicted,
		     const char *expectations)
{
	struct summary_rec s = {
		.containers = r->containers,
		.hooks = r->hooks,
		.lost = lost,
		.refused = refused,
		.track_refused = track_refused,
		.evicted = evicted,
		.expectations = expectations,
	};

	FAN_OUT(r, summary, &s);
}
