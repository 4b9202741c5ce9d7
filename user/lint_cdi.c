// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lint's checks of a CDI spec file (YAML or JSON): what podman's CDI loader
 * decided (cdi.c: syntax, unknown or duplicate keys, types, cdiVersion, kind
 * VENDOR/CLASS, device names and edits, hook names, empty paths, env), then
 * lint's own checks of each hook podman would inject: its path (absolute,
 * present, executable: lint_hook.c's check_path, as for a config.json
 * hook), its args[0], and hooks that share a path. Runtimes report a failed
 * hook by its path alone (crun: "error executing hook `/usr/bin/nvidia-ctk`
 * (exit code: 1)", nvidia-container-toolkit#143), so hooks with one path
 * must differ in argv for anyone, hooksnoop included, to tell them apart.
 */
#include <errno.h>
#include <string.h>

#include "cdi.h"
#include "lint_int.h"

/* args[0] is the program's name (argv[0]), not its first argument. */
static void check_argv0(struct lint_ctx *c, const struct cdi_hook *k, const struct jloc_node *a0)
{
	const char *path = k->h.path, *base = strrchr(path, '/');
	const char *arg0 = k->h.args[0];

	base = base ? base + 1 : path;
	if (!*arg0) {
		emit(c, a0->line, a0->col, LINT_WARNING, "CDI_HOOK_ARGV0",
		     "args[0] is empty: it is the hook's argv[0], its name in ps, in its own "
		     "messages and in a trace");
		return;
	}
	if (arg0[0] == '-') {
		QSTR a = q(arg0, strlen(arg0));
		emit(c, a0->line, a0->col, LINT_WARNING, "CDI_HOOK_ARGV0",
		     "args[0] %s looks like an option, but args[0] is the program's name (argv[0]): "
		     "the hook never sees it as an argument; start args with the program's name",
		     a);
		return;
	}
	if (strcmp(arg0, path) && strcmp(arg0, base)) {
		QSTR a = q(arg0, strlen(arg0));
		QSTR b = q(base, strlen(base));
		emit(c, a0->line, a0->col, LINT_INFO, "HOOK_ARGV0_MISMATCH",
		     "args[0] %s is neither the path nor %s: it becomes argv[0] (what ps shows), "
		     "the path is what runs", a, b);
	}
}

static bool same_argv(const struct oci_hook *a, const struct oci_hook *b)
{
	if (a->nargs != b->nargs)
		return false;
	for (size_t i = 0; i < a->nargs; i++)
		if (strcmp(a->args[i], b->args[i]))
			return false;
	return true;
}

/* The hooks of one container's edits: the spec's own, then one device's. */
struct cdi_set {
	const struct cdi_hook *v[2];
	size_t n[2];
};

/*
 * The earlier hook of the same stage and path that also reaches the
 * container: one with the same argv if any (want_same), else the first.
 */
static const struct cdi_hook *earlier_same_path(const struct cdi_set *set, int which, size_t i,
						bool want_same)
{
	const struct cdi_hook *k = &set->v[which][i];

	for (int w = 0; w <= which; w++) {
		for (size_t j = 0; j < (w == which ? i : set->n[w]); j++) {
			const struct cdi_hook *o = &set->v[w][j];

			if (o->stage != k->stage || !o->h.path || strcmp(o->h.path, k->h.path))
				continue;
			if (!want_same || same_argv(&o->h, &k->h))
				return o;
		}
	}
	return NULL;
}

static void check_shared_path(struct lint_ctx *c, const struct cdi_set *set, int which, size_t i)
{
	const struct cdi_hook *k = &set->v[which][i];
	const struct jloc_node *pn = jloc_at(c->doc, k->path_node);
	const struct cdi_hook *o = earlier_same_path(set, which, i, true);
	const struct jloc_node *on;

	if (!o && !(o = earlier_same_path(set, which, i, false)))
		return;
	on = jloc_at(c->doc, o->node);
	QSTR p = q(k->h.path, strlen(k->h.path));
	c->stage = k->stage;
	if (same_argv(&o->h, &k->h))
		emit(c, pn->line, pn->col, LINT_WARNING, "CDI_HOOK_AMBIGUOUS",
		     "this %s hook runs %s with the same args as the hook at %u:%u: the runtime "
		     "runs both, and neither its error message (the path only) nor a trace can "
		     "tell them apart", oci_stage_names[k->stage], p, on->line, on->col);
	else
		emit(c, pn->line, pn->col, LINT_INFO, "CDI_HOOK_SAME_PATH",
		     "this %s hook runs %s like the hook at %u:%u: a runtime's error names only "
		     "the path (nvidia-container-toolkit#143); their args tell them apart "
		     "(hooksnoop matches by argv)", oci_stage_names[k->stage], p, on->line,
		     on->col);
	c->stage = -1;
}

static void check_hooks(struct lint_ctx *c, const struct cdi_set *set, int which, bool refused)
{
	for (size_t i = 0; i < set->n[which]; i++) {
		const struct cdi_hook *k = &set->v[which][i];
		const struct jloc_node *pn = jloc_at(c->doc, k->path_node);
		const struct jloc_node *an = jloc_at(c->doc, k->args_node);

		if (k->stage < 0 || !k->h.path || !*k->h.path || !pn || pn->type != JLOC_STRING)
			continue; /* the loader's finding says it */
		c->stage = k->stage;
		{
			QSTR st = q(oci_stage_names[k->stage], strlen(oci_stage_names[k->stage]));
			check_path(c, pn, k->stage, st);
		}
		if (k->h.nargs && an && an->type == JLOC_ARRAY)
			check_argv0(c, k, jloc_at(c->doc, an->first));
		c->stage = -1;
		if (!refused)
			check_shared_path(c, set, which, i); /* a refused file decoded in part */
	}
}

int lint_cdi(const struct cdi_spec *s, struct lint_result *out)
{
	struct lint_ctx c = { .file = s->file, .out = out, .stage = -1, .rootfd = -1, .hostfd = -1,
			      .doc = &s->doc };
	struct cdi_set set = { .v = { s->edits.hooks }, .n = { s->edits.nhooks } };
	size_t n0 = out->n;

	out->files++;
	for (size_t i = 0; i < s->ndiags && !c.err; i++) {
		const struct cdi_diag *g = &s->diags[i];

		if (lint_result_add(out, s->file, g->line, g->col, g->sev, g->code, g->stage, g->msg))
			c.err = -ENOMEM;
	}
	if (s->syntax || c.err)
		goto out;
	/* each device's hooks reach a container together with the spec's own */
	check_hooks(&c, &set, 0, s->refused);
	for (size_t d = 0; d < s->ndev && !c.err; d++) {
		set.v[1] = s->dev[d].edits.hooks;
		set.n[1] = s->dev[d].edits.nhooks;
		check_hooks(&c, &set, 1, s->refused);
	}
out:
	sort_findings(out, n0);
	return c.err;
}
