// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The metrics snapshot shared by the tracer and the exporters, and the
 * --metrics-file writer thread (see metrics_pub.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "metrics_pub.h"
#include "util.h"

void metrics_pub_init(struct metrics_pub *p)
{
	pthread_mutex_init(&p->mu, NULL);
	p->cur = NULL;
}

void snap_put(struct snap *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		free(s);
}

void metrics_pub_destroy(struct metrics_pub *p)
{
	snap_put(p->cur);
	p->cur = NULL;
	pthread_mutex_destroy(&p->mu);
}

int metrics_pub_set(struct metrics_pub *p, const char *text, size_t len)
{
	struct snap *s = malloc(sizeof(*s) + len + 1), *old;

	if (!s)
		return -ENOMEM;
	atomic_init(&s->refs, 1);
	s->len = len;
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	pthread_mutex_lock(&p->mu);
	old = p->cur;
	p->cur = s;
	pthread_mutex_unlock(&p->mu);
	snap_put(old); /* freed here only when no exporter holds it */
	return 0;
}

struct snap *metrics_pub_get(struct metrics_pub *p)
{
	struct snap *s;

	pthread_mutex_lock(&p->mu);
	s = p->cur;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&p->mu);
	return s;
}

static void filew_once(struct metrics_filew *w)
{
	struct snap *s = metrics_pub_get(w->pub);
	int err;

	if (!s)
		return;
	err = write_file_atomic(w->path, w->tmp, s->text, s->len, 0644);
	snap_put(s);
	if (err && err != w->last_err)
		hs_warn("cannot write --metrics-file %s: %s (will retry)", w->path, strerror(-err));
	else if (!err && w->last_err)
		hs_warn("--metrics-file %s written again", w->path);
	w->last_err = err;
}

static void *filew_main(void *arg)
{
	struct metrics_filew *w = arg;
	struct timespec at;

	clock_gettime(CLOCK_MONOTONIC, &at);
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		at.tv_sec += w->interval_ms / 1000;
		at.tv_nsec += (long)(w->interval_ms % 1000) * 1000000L;
		if (at.tv_nsec >= 1000000000L)
			at.tv_sec++, at.tv_nsec -= 1000000000L;
		while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &at) != ETIMEDOUT)
			;
		if (w->stop)
			break;
		pthread_mutex_unlock(&w->mu);
		filew_once(w);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int metrics_filew_start(struct metrics_filew *w, struct metrics_pub *pub, const char *path,
			const char *tmp, unsigned interval_ms)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int err;

	memset(w, 0, sizeof(*w));
	w->pub = pub;
	w->path = path;
	w->tmp = tmp;
	w->interval_ms = interval_ms;
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* signals (Ctrl-C, SIGTERM) stay with the tracer thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&w->thread, NULL, filew_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		return -err;
	}
	w->running = true;
	return 0;
}

void metrics_filew_stop(struct metrics_filew *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	w->running = false;
}
