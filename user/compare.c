// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop compare`'s input and judgement (see compare.h). Files are
 * read in blocks into one line buffer of CMP_LINE_MAX bytes, so a line
 * without an end costs no more than that; each line is parsed by jansson
 * (which refuses NUL bytes inside strings and invalid UTF-8) and only
 * `hook` records with status "ok" and every field the grouping needs are
 * used: a failed or unfinished hook's duration belongs to another
 * population. Groups are a hash keyed by the JSON text of [runtime, stage,
 * index, argv0], so no byte of argv0 can make two keys collide.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <uthash.h>

#include "compare.h"
#include "escape.h"
#include "log.h"
#include "oci.h"
#include "stats.h"

struct samples {
	double *v;
	size_t n, cap;
};

struct group {
	char *key; /* JSON text of [runtime, stage, index, argv0] */
	char *runtime, *stage, *hook;
	size_t hook_len;
	int index;
	struct samples s[CMP_SIDES];
	UT_hash_handle hh;
};

struct compare {
	struct group *groups;
	unsigned ngroups;
	size_t nsamples;
	struct cmp_counts counts[CMP_SIDES];
	struct cmp_row *rows;
	char *buf; /* the line buffer, CMP_LINE_MAX + 1 */
};

static const char *const verdict_names[] = { "same", "regressed", "improved", "insufficient" };

const char *cmp_verdict_name(enum cmp_verdict v)
{
	return v < CMP_VERDICTS ? verdict_names[v] : "?";
}

struct compare *compare__new(void)
{
	struct compare *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->buf = malloc(CMP_LINE_MAX + 1);
	if (!c->buf) {
		free(c);
		return NULL;
	}
	return c;
}

void compare__free(struct compare *c)
{
	struct group *g, *tmp;

	if (!c)
		return;
	HASH_ITER(hh, c->groups, g, tmp) {
		HASH_DEL(c->groups, g);
		for (int i = 0; i < CMP_SIDES; i++)
			free(g->s[i].v);
		free(g->key);
		free(g->runtime);
		free(g->stage);
		free(g->hook);
		free(g);
	}
	free(c->rows);
	free(c->buf);
	free(c);
}

const struct cmp_counts *compare__counts(const struct compare *c, enum cmp_side side)
{
	return &c->counts[side];
}

/* A string member of at most max bytes (and at least one), or NULL. */
static const char *get_str(json_t *o, const char *key, size_t max, size_t *len)
{
	json_t *v = json_object_get(o, key);
	size_t n;

	if (!json_is_string(v))
		return NULL;
	n = json_string_length(v);
	if (!n || n > max)
		return NULL;
	if (len)
		*len = n;
	return json_string_value(v);
}

static struct group *group_get(struct compare *c, const char *runtime, const char *stage,
			       int index, const char *hook, size_t hook_len)
{
	json_t *k = json_pack("[s s i s%]", runtime, stage, index, hook, hook_len);
	char *key = k ? json_dumps(k, JSON_COMPACT) : NULL;
	struct group *g = NULL;

	json_decref(k);
	if (!key)
		return NULL;
	HASH_FIND_STR(c->groups, key, g);
	if (g || c->ngroups >= CMP_GROUPS_MAX) {
		free(key);
		return g;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		goto fail;
	g->key = key;
	g->runtime = strdup(runtime);
	g->stage = strdup(stage);
	g->hook = malloc(hook_len + 1);
	if (!g->runtime || !g->stage || !g->hook)
		goto fail;
	memcpy(g->hook, hook, hook_len + 1);
	g->hook_len = hook_len;
	g->index = index;
	HASH_ADD_KEYPTR(hh, c->groups, g->key, strlen(g->key), g);
	c->ngroups++;
	return g;
fail:
	if (g) {
		free(g->runtime);
		free(g->stage);
		free(g->hook);
		free(g);
	}
	free(key);
	return NULL;
}

static int samples_add(struct samples *s, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		double *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

/* The fields a hook record must have to be a sample; false = malformed. */
static bool use_hook(struct compare *c, enum cmp_side side, json_t *o)
{
	struct cmp_counts *k = &c->counts[side];
	const char *runtime, *stage, *status, *hook;
	json_t *idx, *argv, *dur;
	size_t hook_len;
	json_int_t index = -1, ns;
	struct group *g;

	status = get_str(o, "status", 32, NULL);
	runtime = get_str(o, "runtime", 64, NULL);
	stage = get_str(o, "stage", 32, NULL);
	idx = json_object_get(o, "index");
	argv = json_object_get(o, "argv");
	dur = json_object_get(o, "duration_ns");
	if (!status || !runtime || !stage || (oci_stage_from_name(stage) < 0 &&
					      strcmp(stage, "unknown")))
		return false;
	if (idx && !json_is_null(idx)) {
		if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
		    json_integer_value(idx) > CMP_INDEX_MAX)
			return false;
		index = json_integer_value(idx);
	}
	if (!json_is_array(argv) || !json_array_size(argv))
		return false;
	if (!json_is_string(json_array_get(argv, 0)))
		return false;
	hook = json_string_value(json_array_get(argv, 0));
	hook_len = json_string_length(json_array_get(argv, 0));
	if (hook_len > CMP_FIELD_MAX)
		return false;
	if (strcmp(status, "ok")) {
		k->not_ok++; /* another population: its time says how it failed */
		return true;
	}
	if (!json_is_integer(dur) || json_integer_value(dur) < 0)
		return false;
	ns = json_integer_value(dur);
	if (c->nsamples >= CMP_SAMPLES_MAX) {
		k->over_limit++;
		return true;
	}
	g = group_get(c, runtime, stage, (int)index, hook, hook_len);
	if (!g || samples_add(&g->s[side], (double)ns)) {
		k->over_limit++; /* out of groups (or memory): counted, never silent */
		return true;
	}
	c->nsamples++;
	k->hooks++;
	return true;
}

void compare__add_line(struct compare *c, enum cmp_side side, const char *line, size_t len)
{
	struct cmp_counts *k = &c->counts[side];
	json_error_t e;
	json_t *o, *type;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len)
		return;
	k->lines++;
	if (len > CMP_LINE_MAX) {
		k->too_long++;
		return;
	}
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(o)) {
		k->malformed++;
		json_decref(o);
		return;
	}
	type = json_object_get(o, "type");
	if (!json_is_string(type))
		k->malformed++;
	else if (!strcmp(json_string_value(type), "hook") && !use_hook(c, side, o))
		k->malformed++;
	json_decref(o);
}

/* Read fd line by line; a line longer than the buffer is counted and skipped whole. */
static int add_fd(struct compare *c, enum cmp_side side, int fd)
{
	size_t have = 0;
	bool skipping = false;
	ssize_t n;

	for (;;) {
		char *nl, *p;

		n = read(fd, c->buf + have, CMP_LINE_MAX + 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		have += (size_t)n;
		p = c->buf;
		while ((nl = memchr(p, '\n', have - (size_t)(p - c->buf)))) {
			if (skipping)
				skipping = false;
			else
				compare__add_line(c, side, p, (size_t)(nl - p));
			p = nl + 1;
		}
		have -= (size_t)(p - c->buf);
		memmove(c->buf, p, have);
		if (have > CMP_LINE_MAX) {
			/* no newline in a whole buffer: the line is too long */
			if (!skipping) {
				c->counts[side].lines++;
				c->counts[side].too_long++;
			}
			skipping = true;
			have = 0;
		}
	}
	if (have && !skipping)
		compare__add_line(c, side, c->buf, have);
	return 0;
}

/* Open a regular file without blocking on a FIFO or device someone put there. */
static int add_file(struct compare *c, enum cmp_side side, int dirfd, const char *name,
		    const char *shown)
{
	struct stat st;
	int fd, err;

	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		hs_err("compare: cannot open '%.200s': %s", shown, strerror(errno));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		hs_err("compare: '%.200s' is not a regular file (give JSON Lines files written by "
		       "hooksnoop -j, or directories of *.jsonl)",
		       shown);
		close(fd);
		return -EINVAL;
	}
	c->counts[side].files++;
	err = add_fd(c, side, fd);
	if (err)
		hs_err("compare: cannot read '%.200s': %s", shown, strerror(-err));
	close(fd);
	return err;
}

/*
 * dir/name (or name alone) for a message, escaped: a directory entry's name is
 * whoever wrote the directory's, and reaches a terminal. Cut to fit out.
 */
static void show_path(char *out, size_t sz, const char *dir, const char *name)
{
	struct sbuf sb;

	sbuf_init(&sb);
	if (dir) {
		esc_text(&sb, dir, strlen(dir));
		sbuf_puts(&sb, "/");
	}
	esc_text(&sb, name, strlen(name));
	snprintf(out, sz, "%s", sb.oom ? "?" : sbuf_str(&sb));
	sbuf_free(&sb);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct compare *c, enum cmp_side side, int dfd, const char *path)
{
	char **names = NULL, shown[4200];
	size_t n = 0, i;
	struct dirent *d;
	int err = 0;
	DIR *dir = fdopendir(dfd);

	if (!dir) {
		close(dfd);
		return -errno;
	}
	while ((d = readdir(dir))) {
		size_t len = strlen(d->d_name);
		char **nv;

		if (len < 7 || strcmp(d->d_name + len - 6, ".jsonl") || d->d_name[0] == '.')
			continue;
		nv = realloc(names, (n + 1) * sizeof(*names));
		if (!nv || !(nv[n] = strdup(d->d_name))) {
			names = nv ? nv : names;
			err = -ENOMEM;
			hs_err("compare: out of memory");
			break;
		}
		names = nv;
		n++;
	}
	if (!err && !n) {
		show_path(shown, sizeof(shown), NULL, path);
		hs_err("compare: no *.jsonl file in directory '%.200s'", shown);
		err = -ENOENT;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && !err; i++) {
		show_path(shown, sizeof(shown), path, names[i]);
		err = add_file(c, side, dirfd(dir), names[i], shown);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return err;
}

int compare__add_path(struct compare *c, enum cmp_side side, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err = -errno;
	char shown[4200];

	if (fd >= 0)
		return add_dir(c, side, fd, path);
	show_path(shown, sizeof(shown), NULL, path);
	if (err != -ENOTDIR) {
		hs_err("compare: cannot open '%.200s': %s", shown, strerror(-err));
		return err;
	}
	return add_file(c, side, AT_FDCWD, path, shown);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int stage_order(const char *stage)
{
	int st = oci_stage_from_name(stage);

	return st >= 0 ? st : OCI_STAGE_MAX;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct cmp_row *x = a, *y = b;
	size_t n = x->hook_len < y->hook_len ? x->hook_len : y->hook_len;
	int d;

	if ((d = strcmp(x->runtime, y->runtime)))
		return d;
	if ((d = stage_order(x->stage) - stage_order(y->stage)))
		return d;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if ((d = memcmp(x->hook, y->hook, n)))
		return d;
	return x->hook_len < y->hook_len ? -1 : x->hook_len > y->hook_len;
}

static enum cmp_verdict judge(const struct cmp_row *r, double threshold_pct)
{
	if (r->side[CMP_BASE].n < CMP_MIN_SAMPLES || r->side[CMP_NEW].n < CMP_MIN_SAMPLES)
		return CMP_INSUFFICIENT;
	if (!(r->p < CMP_ALPHA))
		return CMP_SAME;
	/* a base median of 0 ns with a slower new one: an unbounded change */
	if (isnan(r->delta_pct))
		return r->side[CMP_NEW].median_ns > r->side[CMP_BASE].median_ns ? CMP_REGRESSED
										: CMP_SAME;
	if (r->delta_pct > threshold_pct)
		return CMP_REGRESSED;
	if (r->delta_pct < -threshold_pct)
		return CMP_IMPROVED;
	return CMP_SAME;
}

int compare__judge(struct compare *c, double threshold_pct, const struct cmp_row **rows,
		   size_t *nrows)
{
	struct group *g, *tmp;
	size_t n = 0;

	free(c->rows);
	c->rows = calloc(c->ngroups ? c->ngroups : 1, sizeof(*c->rows));
	if (!c->rows)
		return -ENOMEM;
	HASH_ITER(hh, c->groups, g, tmp) {
		struct cmp_row *r = &c->rows[n++];
		struct mwu u;
		int i;

		r->runtime = g->runtime;
		r->stage = g->stage;
		r->hook = g->hook;
		r->hook_len = g->hook_len;
		r->index = g->index;
		for (i = 0; i < CMP_SIDES; i++) {
			struct samples *s = &g->s[i];

			r->side[i].n = s->n;
			if (!s->n)
				continue;
			qsort(s->v, s->n, sizeof(*s->v), cmp_double);
			r->side[i].median_ns = stats_quantile(s->v, s->n, 0.5);
			r->side[i].p90_ns = stats_quantile(s->v, s->n, 0.9);
		}
		r->delta_pct = NAN;
		if (r->side[CMP_BASE].n && r->side[CMP_NEW].n) {
			double b = r->side[CMP_BASE].median_ns, nw = r->side[CMP_NEW].median_ns;

			if (b > 0)
				r->delta_pct = (nw - b) / b * 100;
			else if (nw == 0)
				r->delta_pct = 0;
		}
		r->p = NAN;
		if (g->s[CMP_BASE].n && g->s[CMP_NEW].n) {
			int err = stats_mwu(g->s[CMP_NEW].v, g->s[CMP_NEW].n, g->s[CMP_BASE].v,
					    g->s[CMP_BASE].n, &u);

			if (err)
				return err;
			r->p = u.p;
		}
		r->verdict = judge(r, threshold_pct);
	}
	qsort(c->rows, n, sizeof(*c->rows), cmp_rows);
	*rows = c->rows;
	*nrows = n;
	return 0;
}
