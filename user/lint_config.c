// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lint's checks of a config.json: the "hooks" object and its stage keys
 * (miscased, unknown, deprecated, duplicated), each stage's array and its
 * entries (lint_hook.c), and a summary when runc and crun would run
 * different hooks. It renders the diagnostics oci_config_parse() recorded
 * while decoding the file once in both dialects and decodes nothing again;
 * startContainer paths are looked up inside the rootfs, opened from
 * root.path as crun reads it.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint.h"
#include "lint_int.h"
#include "rtargs.h"
#include "saferead.h"

static void check_stage(struct lint_ctx *c, const struct jloc_node *m, int st)
{
	QSTR k = q(m->key, m->klen);

	if (m->type == JLOC_NULL) {
		emit(c, m->line, m->col, LINT_WARNING, "HOOK_STAGE_TYPE",
		     "stage %s is null: no hooks run for it (in runc a null also discards an "
		     "earlier %s array)", k, oci_stage_names[st]);
		return;
	}
	if (go_take(c, m, OCI_DIAG_TYPE)) {
		bool ign = crun_take(c, m, OCI_DIAG_IGNORED) != NULL;

		emit(c, m->line, m->col, LINT_ERROR, "HOOK_STAGE_TYPE",
		     "stage %s must be an array of hooks, not %s: runc refuses the whole config%s", k,
		     jloc_type_name(m->type), ign ? "; crun silently ignores the stage" : "");
		return;
	}
	if (m->type != JLOC_ARRAY)
		return;
	JLOC_FOR_KIDS(c->doc, m, e)
		check_entry(c, e, st, k);
}

/* A stage key the decoders matched by folding or not at all: its finding. -1: no stage. */
static int render_stage_key(struct lint_ctx *c, const struct jloc_node *m)
{
	const struct oci_diag *d;

	QSTR k = q(m->key, m->klen);
	if (go_take(c, m, OCI_DIAG_KEY_UNKNOWN)) {
		const char *dym = did_you_mean(m->key, m->klen, oci_stage_names, OCI_STAGE_MAX, NULL);

		c->stage = dym ? oci_stage_from_name(dym) : -1;
		emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_STAGE_UNKNOWN",
		     "unknown hook stage %s: runc, crun and youki all ignore it, so its hooks "
		     "never run%s%s%s", k, dym ? "; did you mean \"" : "", dym ? dym : "",
		     dym ? "\"?" : "");
		c->stage = -1;
		return -1;
	}
	d = go_take(c, m, OCI_DIAG_KEY_FOLDED);
	if (!d)	/* matched exactly */
		return m->klen == strlen(m->key) ? oci_stage_from_name(m->key) : -1;
	/* runc's decoder matched it by folding; the last such key wins */
	const struct jloc_node *last = jloc_at(c->doc, d->winner);

	c->stage = d->stage;
	if (last == m)
		emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_KEY_CASE",
		     "stage key %s should be \"%s\": runc runs these hooks (Go matches "
		     "keys case-insensitively); crun and youki silently ignore them",
		     k, oci_stage_names[d->stage]);
	else
		emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_KEY_CASE",
		     "stage key %s should be \"%s\": crun and youki ignore it; runc "
		     "reads it as \"%s\" but the later key at %u:%u overrides it", k,
		     oci_stage_names[d->stage], oci_stage_names[d->stage], last->kline, last->kcol);
	return d->stage;
}

static void check_hooks_obj(struct lint_ctx *c, const struct jloc_node *h)
{
	if (h->type == JLOC_NULL) {
		emit(c, h->line, h->col, LINT_WARNING, "HOOKS_TYPE",
		     "\"hooks\" is null: no hooks are configured");
		return;
	}
	if (go_take(c, h, OCI_DIAG_TYPE)) {
		bool ign = crun_take(c, h, OCI_DIAG_IGNORED) != NULL;

		emit(c, h->line, h->col, LINT_ERROR, "HOOKS_TYPE",
		     "\"hooks\" must be an object, not %s: runc refuses the whole config%s",
		     jloc_type_name(h->type), ign ? "; crun silently ignores every hook" : "");
		return;
	}
	render_dups(c, h, "\"hooks\"", true);
	JLOC_FOR_KIDS(c->doc, h, m) {
		int st = render_stage_key(c, m);

		if (st < 0)
			continue;
		c->stage = st;
		if (st == OCI_PRESTART)
			emit(c, m->kline, m->kcol, LINT_INFO, "HOOK_STAGE_DEPRECATED",
			     "\"prestart\" is deprecated: runc and crun still run it (just before "
			     "the createRuntime hooks); createRuntime is its successor");
		check_stage(c, m, st);
		c->stage = -1;
	}
}

/* "prestart 1, poststart 2": the stages of h that a runtime runs (all but the `never` set). */
static void describe_stages(struct sbuf *sb, const struct oci_hooks *h, unsigned never)
{
	bool any = false;

	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		if (!h->n[st] || (never & (1u << st)))
			continue;
		sbuf_addf(sb, "%s%s %zu", any ? ", " : "", oci_stage_names[st], h->n[st]);
		any = true;
	}
	if (!any)
		sbuf_puts(sb, "none");
}

static bool hooks_equal(const struct oci_hook *a, const struct oci_hook *b)
{
	if (strcmp(a->path, b->path) || a->nargs != b->nargs || a->nenv != b->nenv)
		return false;
	for (size_t i = 0; i < a->nargs; i++)
		if (strcmp(a->args[i], b->args[i]))
			return false;
	for (size_t i = 0; i < a->nenv; i++)
		if (strcmp(a->env[i], b->env[i]))
			return false;
	return true;
}

/*
 * Summarise when runc, crun/youki and runsc would run different hooks for
 * this config. runsc decodes as runc does (Go) but never runs some stages
 * (rt_opts_runsc.c): when only runsc differs the finding is information (a
 * fact of that runtime, not a mistake in the file), else a warning.
 */
static void check_divergence(struct lint_ctx *c, const struct jloc_node *at)
{
	const struct oci_hooks *go = oci_config_hooks(c->cfg, OCI_DIALECT_GO);
	const struct oci_hooks *ex = oci_config_hooks(c->cfg, OCI_DIALECT_EXACT);
	unsigned never = rt_never_stages(RT_RUNSC, NULL);
	int ndiff = 0, which = -1, nrunsc = 0, runsc_which = -1;
	struct sbuf msg;

	if (go->refused || ex->refused)
		return;	/* a refusal is the finding that matters */
	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		bool d = go->n[st] != ex->n[st];

		for (size_t i = 0; i < go->n[st] && !d; i++)
			d = !hooks_equal(&go->v[st][i], &ex->v[st][i]);
		if (d) {
			ndiff++;
			which = st;
		}
		if ((never & (1u << st)) && (go->n[st] || ex->n[st])) {
			nrunsc++;
			runsc_which = st;
		}
	}
	if (!ndiff && !nrunsc)
		return;
	sbuf_init(&msg);
	if (ndiff)
		sbuf_puts(&msg, "runc, crun/youki and runsc will run different hooks for this "
				"config: runc ");
	else
		sbuf_puts(&msg, "runsc (gVisor) will run fewer hooks for this config than runc and "
				"crun/youki: runc ");
	describe_stages(&msg, go, 0);
	sbuf_puts(&msg, "; crun ");
	describe_stages(&msg, ex, 0);
	sbuf_puts(&msg, "; runsc ");
	describe_stages(&msg, go, never);
	if (ndiff && !memcmp(go->n, ex->n, sizeof(go->n)))
		sbuf_puts(&msg, " (runc and crun: the same stages, but different path, args or env)");
	if (nrunsc) {
		const char *sep = " (runsc never runs ";

		for (int st = 0; st < OCI_STAGE_MAX; st++) {
			if (!(never & (1u << st)))
				continue;
			sbuf_addf(&msg, "%s%s", sep, oci_stage_names[st]);
			sep = " or ";
		}
		sbuf_puts(&msg, " hooks)");
	}
	if (ndiff)
		c->stage = ndiff == 1 ? which : -1;
	else
		c->stage = nrunsc == 1 ? runsc_which : -1;
	add_finding(c, at->kline ? at->kline : at->line, at->kline ? at->kcol : at->col,
		    ndiff ? LINT_WARNING : LINT_INFO, "HOOKS_RUNTIME_DIFF", &msg);
	c->stage = -1;
}

/*
 * The rootfs as a directory handle: root.path as crun reads it, absolute, or
 * beneath the bundle directory. -1 when it cannot be known; startContainer
 * paths are then not checked.
 */
static int open_rootfs(struct lint_ctx *c, int bundle_dirfd)
{
	const char *p = oci_config_hooks(c->cfg, OCI_DIALECT_EXACT)->rootfs;
	int fd = -1;

	if (!p || !*p)
		return -1;
	c->rootfs = q(p, strlen(p));
	if (p[0] == '/')
		fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	else if (bundle_dirfd >= 0 && sr_opendir(NULL, bundle_dirfd, p, &fd))
		fd = -1;
	return fd;
}

int lint_config(const struct oci_config *cfg, int bundle_dirfd, int host_rootfd,
		struct lint_result *out)
{
	struct lint_ctx c = { .file = cfg->name, .cfg = cfg, .out = out, .stage = -1,
			      .rootfd = -1, .hostfd = host_rootfd };
	size_t n0 = out->n;
	const struct jloc_node *root, *first_hooks = NULL;

	out->files++;
	if (!lint_begin(&c, &cfg->syntax, &cfg->doc, &cfg->diags))
		goto out;
	root = &cfg->doc.nodes[0];
	if (go_take(&c, root, OCI_DIAG_TYPE)) {
		emit(&c, root->line, root->col, LINT_ERROR, "JSON_NOT_OBJECT",
		     "a config.json must be a JSON object, not %s", jloc_type_name(root->type));
		goto out;
	}
	c.rootfd = open_rootfs(&c, bundle_dirfd);
	/* duplicate top-level "hooks" keys (the decoder reports no others there) */
	JLOC_FOR_KIDS(c.doc, root, m) {
		const struct oci_diag *d = go_take(&c, m, OCI_DIAG_DUPLICATE);
		const struct jloc_node *first;

		if (!d)
			continue;
		first = &c.doc->nodes[d->first];
		emit(&c, m->kline, m->kcol, LINT_ERROR, "HOOK_DUPLICATE_KEY",
		     "duplicate key \"hooks\" (first at %u:%u): crun keeps only the "
		     "first; runc merges both objects (a stage set in either runs)",
		     first->kline, first->kcol);
	}
	JLOC_FOR_KIDS(c.doc, root, m) {
		if (!jloc_key_is(m, "hooks")) {
			if (!go_take(&c, m, OCI_DIAG_KEY_FOLDED))
				continue;
			QSTR k = q(m->key, m->klen);
			emit(&c, m->kline, m->kcol, LINT_ERROR, "HOOKS_KEY_CASE",
			     "key %s should be \"hooks\": runc runs the hooks under it (Go matches "
			     "keys case-insensitively); crun and youki silently ignore all of them",
			     k);
		}
		if (!first_hooks)
			first_hooks = m;
		check_hooks_obj(&c, m);
	}
	if (first_hooks && !c.err)
		check_divergence(&c, first_hooks);
out:
	sort_findings(out, n0);
	if (c.rootfd >= 0)
		close(c.rootfd);
	free(c.rootfs);
	free(c.used);
	return c.err;
}
