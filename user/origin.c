// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where each configured hook came from (see origin.h). Engines copy their
 * hooks into the config.json the runtime reads (podman from hooks.d files
 * and CDI specs, Docker its own libnetwork-setkey), so the runtime only
 * ever sees one file: the origin is told by finding, among the hooks it
 * read, the entry equal to what the engine's source says, first unclaimed
 * first. Engine hooks name a live process's executable (/proc/PID/exe);
 * that link is read, never followed, under the runtime's own root.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "origin.h"
#include "saferead.h"

static const char *const kind_names[] = {
	[ORIGIN_NONE] = NULL,	   [ORIGIN_CONFIG] = "config", [ORIGIN_HOOKSD] = "hooks.d",
	[ORIGIN_CDI] = "cdi",	   [ORIGIN_ENGINE] = "engine",
};

const char *origin_kind_name(enum origin_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : NULL;
}

void origin_table_free(struct origin_table *t)
{
	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		for (size_t i = 0; i < t->n[st]; i++)
			free(t->v[st][i].file);
		free(t->v[st]);
		t->v[st] = NULL;
		t->n[st] = 0;
	}
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

bool oci_hook_equal(const struct oci_hook *a, const struct oci_hook *b)
{
	return str_eq(a->path, b->path) && strv_eq(a->args, a->nargs, b->args, b->nargs) &&
	       strv_eq(a->env, a->nenv, b->env, b->nenv) && a->timeout_set == b->timeout_set &&
	       (!a->timeout_set || a->timeout == b->timeout);
}

/* The table's entries for stage st, sized like cfg's array (allocated on first claim). */
static struct origin_entry *stage_entries(struct origin_table *t, const struct oci_hooks *cfg,
					  int st)
{
	if (!t->v[st] && cfg->n[st]) {
		t->v[st] = calloc(cfg->n[st], sizeof(*t->v[st]));
		if (t->v[st])
			t->n[st] = cfg->n[st];
	}
	return t->n[st] == cfg->n[st] ? t->v[st] : NULL;
}

static bool claim_at(struct origin_entry *e, enum origin_kind kind, const char *file)
{
	char *f = file ? strdup(file) : NULL;

	if (file && !f)
		return false;
	e->kind = kind;
	e->file = f;
	return true;
}

bool origin_claim(struct origin_table *t, const struct oci_hooks *cfg, int st,
		  const struct oci_hook *src, enum origin_kind kind, const char *file)
{
	struct origin_entry *e;

	if (!cfg || st < 0 || st >= OCI_STAGE_MAX || !(e = stage_entries(t, cfg, st)))
		return false;
	for (size_t i = 0; i < cfg->n[st]; i++)
		if (e[i].kind == ORIGIN_NONE && oci_hook_equal(&cfg->v[st][i], src))
			return claim_at(&e[i], kind, file);
	return false;
}

/* "/proc/PID/exe" -> "/proc/PID" in dir; false for any other path. */
static bool proc_exe_dir(const char *path, char *dir, size_t sz)
{
	const char *p = path, *d;

	if (!p || strncmp(p, "/proc/", 6))
		return false;
	p += 6;
	for (d = p; *d >= '0' && *d <= '9'; d++)
		;
	if (d == p || d - p > 10 || strcmp(d, "/exe"))
		return false;
	snprintf(dir, sz, "%.*s", (int)(d - path), path);
	return true;
}

/* What /proc/PID/exe points to, as seen under r (NULL: gone or unreadable). */
static char *engine_binary(const struct sr_root *r, const char *dir)
{
	char buf[PATH_MAX];
	ssize_t n;
	int dfd;

	if (!r || r->fd < 0 || sr_opendir(r, -1, dir, &dfd))
		return NULL;
	n = readlinkat(dfd, "exe", buf, sizeof(buf) - 1);
	close(dfd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

void origin_claim_engines(struct origin_table *t, const struct oci_hooks *cfg,
			  const struct sr_root *r)
{
	char dir[32];

	if (!cfg)
		return;
	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		struct origin_entry *e = NULL;

		for (size_t i = 0; i < cfg->n[st]; i++) {
			if (!proc_exe_dir(cfg->v[st][i].path, dir, sizeof(dir)))
				continue;
			if (!e && !(e = stage_entries(t, cfg, st)))
				break;
			if (e[i].kind != ORIGIN_NONE)
				continue;
			e[i].kind = ORIGIN_ENGINE;
			e[i].file = engine_binary(r, dir);
		}
	}
}

struct hook_origin origin_of(const struct origin_table *t, int st, size_t i,
			     const char *config_file)
{
	struct hook_origin o = { .kind = ORIGIN_CONFIG, .file = config_file };

	if (st >= 0 && st < OCI_STAGE_MAX && i < t->n[st] && t->v[st][i].kind != ORIGIN_NONE) {
		o.kind = t->v[st][i].kind;
		o.file = t->v[st][i].file;
	}
	return o;
}
