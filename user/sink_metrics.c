// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The metrics sink (see sink_metrics.h). Counting and rendering happen on
 * the tracer thread, from plain records; exporting does not: the rendered
 * text goes to a metrics_pub snapshot that the HTTP thread (metrics_http.c)
 * serves and the file thread (metrics_pub.c) writes. At the summary the
 * last counts are published and the file written one final time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "metrics_http.h"
#include "metrics_pub.h"
#include "sink_metrics.h"
#include "util.h"
#include "version.h" /* generated: build/version.h */

#define PUBLISH_EVERY_NS 100000000ull

struct sink_metrics {
	struct sink sk;
	struct metrics m;
	struct metrics_pub pub;
	struct sbuf text;
	struct metrics_http *http;
	struct metrics_addr addr;
	struct metrics_filew filew;
	char *file, *file_tmp;
	bool dirty;
	__u64 published_ns;
};

static void publish(struct sink_metrics *sm)
{
	sbuf_reset(&sm->text);
	sm->text.oom = false;
	metrics_render(&sm->m, &sm->text);
	/* out of memory: the last snapshot stays, the next tick tries again */
	if (!sm->text.oom && !metrics_pub_set(&sm->pub, sm->text.buf, sm->text.len))
		sm->dirty = false;
}

void sink_metrics_tick(struct sink *sk, unsigned tracked, __u64 now_ns)
{
	struct sink_metrics *sm = (struct sink_metrics *)sk;

	if (sm->m.tracked != tracked) {
		sm->m.tracked = tracked;
		sm->dirty = true;
	}
	if (!sm->dirty || now_ns - sm->published_ns < PUBLISH_EVERY_NS)
		return;
	publish(sm);
	sm->published_ns = now_ns;
}

static void metrics_on_hook(struct sink *sk, const char *container, const char *runtime,
			    const struct hook_rec *h)
{
	struct sink_metrics *sm = (struct sink_metrics *)sk;

	metrics_hook(&sm->m, runtime, h);
	sm->dirty = true;
}

static void metrics_on_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct sink_metrics *sm = (struct sink_metrics *)sk;

	metrics_container(&sm->m, rec);
	sm->dirty = true;
}

static void metrics_on_lost(struct sink *sk, const struct loss_rec *l)
{
	struct sink_metrics *sm = (struct sink_metrics *)sk;

	metrics_lost(&sm->m, l);
	sm->dirty = true;
}

/* The file's final write, from the final counts: tracing is over, this thread may wait. */
static void write_file_now(struct sink_metrics *sm)
{
	int err = write_file_atomic(sm->file, sm->file_tmp, sm->text.buf ? sm->text.buf : "",
				    sm->text.len, 0644);

	if (err)
		hs_err("cannot write --metrics-file %s: %s", sm->file, strerror(-err));
}

static void metrics_on_summary(struct sink *sk, const struct summary_rec *s)
{
	struct sink_metrics *sm = (struct sink_metrics *)sk;

	publish(sm);
	if (sm->file) {
		metrics_filew_stop(&sm->filew);
		write_file_now(sm);
	}
}

static void metrics_free(struct sink *sk)
{
	struct sink_metrics *sm = (struct sink_metrics *)sk;

	metrics_http_stop(sm->http);
	metrics_filew_stop(&sm->filew);
	metrics_pub_destroy(&sm->pub);
	sbuf_free(&sm->text);
	free(sm->file);
	free(sm->file_tmp);
	free(sm);
}

static const struct sink_ops metrics_ops = {
	.hook = metrics_on_hook,
	.container = metrics_on_container,
	.lost = metrics_on_lost,
	.summary = metrics_on_summary,
	.free = metrics_free,
};

static int start_file(struct sink_metrics *sm, const char *path)
{
	int err;

	if (!(sm->file = strdup(path)) || asprintf(&sm->file_tmp, "%s.tmp", path) < 0) {
		hs_err("out of memory");
		return -1;
	}
	/* written once now: a path that cannot be written fails before tracing starts */
	err = write_file_atomic(sm->file, sm->file_tmp, sm->text.buf, sm->text.len, 0644);
	if (err) {
		hs_err("cannot write --metrics-file %s: %s (writing %s first, then renaming)",
		       path, strerror(-err), sm->file_tmp);
		return -1;
	}
	err = metrics_filew_start(&sm->filew, &sm->pub, sm->file, sm->file_tmp,
				  METRICS_FILE_INTERVAL_MS);
	if (err) {
		hs_err("cannot start the --metrics-file writer: %s", strerror(-err));
		return -1;
	}
	return 0;
}

struct sink *sink_metrics_new(const struct settings *s)
{
	struct sink_metrics *sm = calloc(1, sizeof(*sm));

	if (!sm) {
		hs_err("out of memory");
		return NULL;
	}
	sm->sk.ops = &metrics_ops;
	metrics_init(&sm->m, HOOKSNOOP_VERSION);
	metrics_pub_init(&sm->pub);
	sbuf_init(&sm->text);
	publish(sm);
	if (sm->text.oom) {
		hs_err("out of memory");
		goto fail;
	}
	if (s->metrics_file && start_file(sm, s->metrics_file))
		goto fail;
	if (s->metrics_addr) {
		sm->addr = s->metrics_at;
		sm->http = metrics_http_start(&sm->addr, &sm->pub, s->verbose);
		if (!sm->http)
			goto fail;
		/* port 0: the only way to learn which port the kernel picked */
		if (sm->addr.any_port || s->verbose)
			fprintf(stderr, "hooksnoop: metrics at http://%s/metrics\n", sm->addr.text);
	}
	return &sm->sk;
fail:
	metrics_free(&sm->sk);
	return NULL;
}
