// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The SVG timeline as a report sink: each container record goes into the
 * same rows `hooksnoop plot` builds from -j records (plot__add_ctr), and the
 * picture is drawn by svg.c and written whole at the summary through
 * FILE.tmp and rename. Used by the demo, which shows its text timelines and
 * also leaves this picture behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "plot.h"
#include "sink_plot.h"

struct sink_plot {
	struct sink sk;
	char *path, *tmp;
	FILE *f;
	struct plot p;
	unsigned long long left_out;
};

static void plot_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct sink_plot *s = (struct sink_plot *)sk;

	if (plot__add_ctr(&s->p, rec))
		s->left_out++;
}

static void plot_summary(struct sink *sk, const struct summary_rec *sum)
{
	struct sink_plot *s = (struct sink_plot *)sk;
	struct sbuf doc;
	int err = 0;

	if (!s->f)
		return;
	if (s->left_out)
		hs_warn("%s: %llu containers could not be drawn (limits or memory)", s->path,
			s->left_out);
	sbuf_init(&doc);
	if (!s->p.nrows)
		err = ENODATA;
	else if (plot_svg(&s->p, &doc) || doc.oom)
		err = ENOMEM;
	else if (fwrite(doc.buf, 1, doc.len, s->f) != doc.len || fflush(s->f))
		err = errno ? errno : EIO;
	if (fclose(s->f) && !err)
		err = errno;
	s->f = NULL;
	if (!err && rename(s->tmp, s->path))
		err = errno;
	if (err) {
		unlink(s->tmp);
		if (err == ENODATA)
			hs_warn("%s not written: no container to draw", s->path);
		else
			hs_err("cannot write %s: %s", s->path, strerror(err));
	}
	sbuf_free(&doc);
}

static void plot_free(struct sink *sk)
{
	struct sink_plot *s = (struct sink_plot *)sk;

	if (s->f) {
		fclose(s->f);
		unlink(s->tmp);
	}
	plot__free(&s->p);
	free(s->path);
	free(s->tmp);
	free(s);
}

static const struct sink_ops plot_ops = {
	.container = plot_container,
	.summary = plot_summary,
	.free = plot_free,
};

struct sink *sink_plot_new(const char *path)
{
	struct sink_plot *s = calloc(1, sizeof(*s));

	if (!s || !(s->path = strdup(path)) || asprintf(&s->tmp, "%s.tmp", path) < 0) {
		hs_err("out of memory");
		if (s)
			free(s->path);
		free(s);
		return NULL;
	}
	s->sk.ops = &plot_ops;
	plot__init(&s->p);
	s->f = fopen(s->tmp, "we");
	if (!s->f) {
		hs_err("cannot write %s: %s (writing %s first)", path, strerror(errno), s->tmp);
		free(s->path);
		free(s->tmp);
		free(s);
		return NULL;
	}
	return &s->sk;
}
