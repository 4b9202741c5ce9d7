// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lint's checks of a podman / CRI-O hooks.d file: the file name podman
 * reads, the version, the 1.0.0 "hook" (lint_hook.c), "when" and its
 * patterns, "stages", and the legacy 0.1.0 schema. It renders the
 * diagnostics podman's loader (hooksd.c) recorded on the file's one
 * decoding, adds lint's own checks (a condition that never matches, empty
 * stages, extension stages), and turns every loader verdict it did not
 * place into a finding at its position, so no refusal goes unsaid.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hooksd.h"
#include "lint.h"
#include "lint_int.h"

/* hooks.d: the loader's regexp verdict on n's key (key) or value. */
static const struct oci_diag *hd_take_regex(struct lint_ctx *c, const struct jloc_node *n,
					    bool key)
{
	return diag_find(c, n, OCI_DIAG_REGEX, OCI_DIALECT_GO, NULL, key, true);
}

/* The last member of o that podman's decoder reads as field name of table f. */
static const struct jloc_node *hd_member(const struct lint_ctx *c, const struct jloc_node *o,
					 const struct oci_fields *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], name))
			return oci_go_member(c->doc, o, f, i);
	return NULL;
}

static void render_regex(struct lint_ctx *c, const struct jloc_node *n, const struct oci_diag *d)
{
	QSTR r = d->key ? q(n->key, n->klen) : q(n->str, n->slen);
	emit(c, d->key ? n->kline : n->line, d->key ? n->kcol : n->col, LINT_ERROR, "HOOKSD_REGEX",
	     "invalid %s regexp %s: %s; podman refuses to start ANY container while this file is "
	     "installed", d->field, r, d->why);
}

/* A list of patterns: the loader's type and regexp verdicts on each. true: it has entries. */
static bool check_regexps(struct lint_ctx *c, const struct jloc_node *r, const char *name,
			  const char *what)
{
	const struct oci_diag *d;

	if (!r || r->type == JLOC_NULL)
		return false;
	if (hd_take(c, r, OCI_DIAG_TYPE, NULL)) {
		emit(c, r->line, r->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "\"%s\" must be an array of regexps, not %s: %s", name,
		     jloc_type_name(r->type), type_refusal(c));
		return false;
	}
	if (r->type != JLOC_ARRAY)
		return false;
	JLOC_FOR_KIDS(c->doc, r, e) {
		if (hd_take(c, e, OCI_DIAG_TYPE, NULL))
			emit(c, e->line, e->col, LINT_ERROR, "HOOKSD_SCHEMA",
			     "%s regexps must be strings, not %s: %s", what,
			     jloc_type_name(e->type), type_refusal(c));
		else if ((d = hd_take_regex(c, e, false)))
			render_regex(c, e, d);
	}
	return r->nkids > 0;
}

static void check_hooksd_stages(struct lint_ctx *c, const struct jloc_node *s)
{
	if (!s || s->type == JLOC_NULL) {
		const struct jloc_node *at = s ? s : &c->doc->nodes[0];

		if (hd_take(c, at, OCI_DIAG_REQUIRED, "stages"))
			emit(c, at->line, at->col, LINT_ERROR, "HOOKSD_STAGES_MISSING",
			     "no \"stages\": podman refuses to start ANY container while this file "
			     "is installed (missing required property: stages)");
		return;
	}
	if (hd_take(c, s, OCI_DIAG_TYPE, NULL)) {
		emit(c, s->line, s->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "\"stages\" must be an array of strings, not %s: %s", jloc_type_name(s->type),
		     type_refusal(c));
		return;
	}
	if (s->type != JLOC_ARRAY)
		return;
	if (!s->nkids)
		emit(c, s->line, s->col, LINT_WARNING, "HOOKSD_STAGES_MISSING",
		     "\"stages\" is empty: the hook is never injected");
	JLOC_FOR_KIDS(c->doc, s, e) {
		/* null leaves the stage "" (unknown): the same refusal as a wrong type */
		if (hd_take(c, e, OCI_DIAG_TYPE, NULL) ||
		    (e->type != JLOC_STRING && hd_take(c, e, OCI_DIAG_STAGE, NULL))) {
			emit(c, e->line, e->col, LINT_ERROR, "HOOKSD_SCHEMA",
			     "stage entries must be strings, not %s: %s", jloc_type_name(e->type),
			     type_refusal(c));
			continue;
		}
		if (e->type != JLOC_STRING)
			continue;
		int st = strlen(e->str) == e->slen ? oci_stage_from_name(e->str) : -1;
		QSTR k = q(e->str, e->slen);

		c->stage = st;
		if (hd_take(c, e, OCI_DIAG_STAGE, NULL)) {
			const char *dym = did_you_mean(e->str, e->slen, oci_stage_names, OCI_STAGE_MAX,
						       "precreate");

			c->stage = dym ? oci_stage_from_name(dym) : -1;
			emit(c, e->line, e->col, LINT_ERROR, "HOOKSD_STAGE_UNKNOWN",
			     "unknown stage %s: podman compares stage names exactly and refuses to "
			     "start ANY container while this file is installed%s%s%s", k,
			     dym ? "; did you mean \"" : "", dym ? dym : "", dym ? "\"?" : "");
		} else if (st == OCI_PRESTART) {
			emit(c, e->line, e->col, LINT_INFO, "HOOK_STAGE_DEPRECATED",
			     "\"prestart\" is deprecated: podman 4 injects it as a prestart hook, "
			     "podman 5 as a createRuntime hook");
		} else if (st == OCI_POSTSTOP) {
			emit(c, e->line, e->col, LINT_INFO, "HOOKSD_STAGE_EXTENSION",
			     "podman runs poststop hooks itself after the container is cleaned up "
			     "(they are not written into config.json); CRI-O passes them to the "
			     "runtime");
		} else if (st < 0) {
			emit(c, e->line, e->col, LINT_INFO, "HOOKSD_STAGE_EXTENSION",
			     "\"precreate\" is a podman extension: the hook gets the OCI config on "
			     "stdin and must print the (modified) config on stdout; CRI-O rejects it");
		}
		c->stage = -1;
	}
}

static void check_unknown_keys(struct lint_ctx *c, const struct jloc_node *o,
			       const struct oci_fields *f, const char *where)
{
	JLOC_FOR_KIDS(c->doc, o, m) {
		if (oci_go_field(m, f) >= 0)
			continue;
		const char *dym = did_you_mean(m->key, m->klen, f->names, (size_t)f->n, NULL);
		QSTR k = q(m->key, m->klen);
		emit(c, m->kline, m->kcol, LINT_WARNING, "HOOKSD_KEY_UNKNOWN",
		     "unknown key %s in %s is ignored by podman%s%s%s", k, where,
		     dym ? "; did you mean \"" : "", dym ? dym : "", dym ? "\"?" : "");
	}
}

/* A *bool condition: the loader's type error, or lint's "false never matches". true: set. */
static bool check_hooksd_bool(struct lint_ctx *c, const struct jloc_node *b, const char *name,
			      bool never)
{
	if (!b || b->type == JLOC_NULL)
		return false;
	if (hd_take(c, b, OCI_DIAG_TYPE, NULL))
		emit(c, b->line, b->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "\"%s\" must be a boolean, not %s: %s", name, jloc_type_name(b->type),
		     type_refusal(c));
	else if (never && b->type == JLOC_FALSE)
		emit(c, b->line, b->col, LINT_ERROR, "HOOKSD_WHEN_NEVER",
		     "\"%s\": false never matches: podman requires every condition to match, "
		     "so this hook is never injected", name);
	return true;
}

static void check_hooksd_when_v1(struct lint_ctx *c, const struct jloc_node *w)
{
	const struct oci_fields *wf = &oci_hooksd_when_fields;
	const struct jloc_node *ann, *at = w ? w : &c->doc->nodes[0];
	const struct oci_diag *d;
	bool any = false;

	if (w && hd_take(c, w, OCI_DIAG_TYPE, NULL)) {
		emit(c, w->line, w->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "\"when\" must be an object, not %s: %s", jloc_type_name(w->type),
		     type_refusal(c));
		return;
	}
	if (w && w->type == JLOC_OBJECT) {
		check_unknown_keys(c, w, wf, "\"when\"");
		render_dups(c, w, "\"when\"", false);
	}
	any |= check_hooksd_bool(c, hd_member(c, w, wf, "always"), "always", true);
	any |= check_hooksd_bool(c, hd_member(c, w, wf, "hasBindMounts"), "hasBindMounts", true);
	ann = hd_member(c, w, wf, "annotations");
	if (ann && hd_take(c, ann, OCI_DIAG_TYPE, NULL)) {
		emit(c, ann->line, ann->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "\"annotations\" must be an object of regexp: regexp, not %s: %s",
		     jloc_type_name(ann->type), type_refusal(c));
	} else if (ann && ann->type == JLOC_OBJECT) {
		any |= ann->nkids > 0;
		JLOC_FOR_KIDS(c->doc, ann, e) {
			if ((d = hd_take_regex(c, e, true)))
				render_regex(c, e, d);
			if (hd_take(c, e, OCI_DIAG_TYPE, NULL))
				emit(c, e->line, e->col, LINT_ERROR, "HOOKSD_SCHEMA",
				     "annotation regexps must be strings, not %s: %s",
				     jloc_type_name(e->type), type_refusal(c));
			else if ((d = hd_take_regex(c, e, false)))
				render_regex(c, e, d);
		}
	}
	any |= check_regexps(c, hd_member(c, w, wf, "commands"), "commands", "command");
	if (!any)
		emit(c, at->line, at->col, LINT_ERROR, "HOOKSD_WHEN_EMPTY",
		     "\"when\" has no condition (always, annotations, commands, hasBindMounts): "
		     "it never matches, so podman never injects this hook; use "
		     "{\"always\": true}");
}

static void check_hooksd_legacy(struct lint_ctx *c, const struct jloc_node *root)
{
	static const char *const rf[] = { "cmds", "cmd", "annotations", "annotation" };
	const struct oci_fields *f = &oci_hooksd_legacy_fields;
	const struct jloc_node *h = hd_member(c, root, f, "hook");
	const struct jloc_node *stages = hd_member(c, root, f, "stages");
	const struct jloc_node *stage = hd_member(c, root, f, "stage");
	bool any = false;

	check_unknown_keys(c, root, f, "a 0.1.0 hook");
	if (hd_take(c, h ? h : root, OCI_DIAG_REQUIRED, "hook")) {
		emit(c, root->line, root->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
		     "no \"hook\" (the hook's path): podman refuses to start ANY container while "
		     "this file is installed");
	} else if (h && hd_take(c, h, OCI_DIAG_TYPE, NULL)) {
		emit(c, h->line, h->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "a 0.1.0 \"hook\" is the path string, not %s: %s%s", jloc_type_name(h->type),
		     type_refusal(c),
		     h->type == JLOC_OBJECT ? " (a hook object needs \"version\": \"1.0.0\")" : "");
	} else if (h && hd_take(c, h, OCI_DIAG_REQUIRED, "hook.path")) {
		emit(c, h->line, h->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
		     "\"hook\" is empty: podman refuses to start ANY container while this file "
		     "is installed");
	} else if (h && h->type == JLOC_STRING && h->slen) {
		check_path(c, h, OCI_CREATE_RUNTIME, "hook");
	}
	render_strs(c, hd_member(c, root, f, "arguments"), "HOOK_ARGS_TYPE", "arguments", NULL);
	for (size_t i = 0; i < 4; i++) {
		const struct jloc_node *r = hd_member(c, root, f, rf[i]);

		/* the singular of each pair is where the loader puts a conflict */
		if (r && hd_take(c, r, OCI_DIAG_CONFLICT, NULL))
			emit(c, r->kline, r->kcol, LINT_ERROR, "HOOKSD_SCHEMA",
			     "both \"%s\" and \"%ss\" are set: podman refuses to start ANY "
			     "container while this file is installed", rf[i], rf[i]);
	}
	if (stage && hd_take(c, stage, OCI_DIAG_CONFLICT, NULL))
		emit(c, stage->kline, stage->kcol, LINT_ERROR, "HOOKSD_SCHEMA",
		     "both \"stage\" and \"stages\" are set: podman refuses to start ANY "
		     "container while this file is installed");
	check_hooksd_stages(c, stages && stages->type != JLOC_NULL ? stages : stage);
	for (size_t i = 0; i < 4; i++)
		any |= check_regexps(c, hd_member(c, root, f, rf[i]), rf[i],
				     i < 2 ? "command" : "annotation");
	const struct jloc_node *hb = hd_member(c, root, f, "hasbindmounts");

	check_hooksd_bool(c, hb, "hasbindmounts", false);
	any |= hb && hb->type == JLOC_TRUE;
	if (!any)
		emit(c, root->line, root->col, LINT_ERROR, "HOOKSD_WHEN_EMPTY",
		     "a 0.1.0 hook with no cmds, annotations or \"hasbindmounts\": true never "
		     "matches, so podman never injects it");
}

/*
 * What the walk above did not place: every verdict of the loader is a
 * finding, so a refusal lint has no specific words for is still an error
 * at its position.
 */
static void render_rest(struct lint_ctx *c)
{
	const struct oci_diags *ds = &c->hd->diags;

	for (size_t i = 0; i < ds->n; i++) {
		const struct oci_diag *d = &ds->v[i];
		const struct jloc_node *n = &c->doc->nodes[d->node];
		bool key = d->kind == OCI_DIAG_CONFLICT || (d->kind == OCI_DIAG_REGEX && d->key);
		unsigned line = key ? n->kline : n->line, col = key ? n->kcol : n->col;

		/* key spellings and duplicates are said where lint walks; crun's words are not podman's */
		if (c->used[i] || d->kind == OCI_DIAG_KEY_FOLDED || d->kind == OCI_DIAG_KEY_UNKNOWN ||
		    d->kind == OCI_DIAG_DUPLICATE || d->dialect != OCI_DIALECT_GO)
			continue;
		c->used[i] = true;
		switch (d->kind) {
		case OCI_DIAG_REGEX:
			render_regex(c, n, d);
			break;
		case OCI_DIAG_PATH_MISSING: {
			/* a merged hook's path, written in an earlier object than the one lint walks */
			QSTR p = q(n->str, n->type == JLOC_STRING ? n->slen : 0);
			emit(c, line, col, LINT_ERROR, "HOOKSD_PATH_MISSING",
			     "hook path %s does not exist: podman silently drops this hook when it "
			     "loads the hooks directory, so it is never injected", p);
			break;
		}
		case OCI_DIAG_STAGE: {
			QSTR k = q(n->str, n->type == JLOC_STRING ? n->slen : 0);
			emit(c, line, col, LINT_ERROR, "HOOKSD_STAGE_UNKNOWN",
			     "unknown stage %s: podman compares stage names exactly and refuses "
			     "to start ANY container while this file is installed", k);
			break;
		}
		case OCI_DIAG_TYPE: {
			/* name the member, or the member whose array holds the entry */
			const struct jloc_node *m = n->key ? n : jloc_at(c->doc, n->parent);
			QSTR k = m && m->key ? q(m->key, m->klen) : NULL;
			emit(c, line, col, LINT_ERROR, "HOOKSD_SCHEMA",
			     "%s%s%s is %s where podman expects %s: %s", k ? "" : "the value",
			     k && !n->key ? "an entry of " : "", k ? k : "", jloc_type_name(n->type),
			     d->want, type_refusal(c));
			break;
		}
		default: {
			/* load_error quotes what the file said (a stage, a version) as it was */
			const char *why = c->hd->load_error ? c->hd->load_error : "invalid";
			struct sbuf msg;

			sbuf_init(&msg);
			esc_text(&msg, why, strlen(why));
			sbuf_puts(&msg, ": podman refuses to start ANY container while this file is "
					"installed");
			add_finding(c, line, col, LINT_ERROR, "HOOKSD_SCHEMA", &msg);
			break;
		}
		}
	}
}

int lint_hooksd(const struct oci_hooksd_hook *h, struct lint_result *out)
{
	struct lint_ctx c = { .file = h->file, .out = out, .hooksd = true, .hd = h, .stage = -1,
			      .rootfd = -1, .hostfd = -1 };
	const struct oci_fields *f = &oci_hooksd_fields;
	const struct jloc_node *root, *ver, *hook;
	size_t n0 = out->n;
	const char *base = h->name;
	bool stop = true;

	out->files++;
	if (strlen(base) < 5 || strcmp(base + strlen(base) - 5, ".json"))
		emit(&c, 0, 0, LINT_WARNING, "HOOKSD_FILE_NAME",
		     "podman only reads hooks.d files whose name ends in \".json\": this file is "
		     "ignored");
	if (!lint_begin(&c, &h->syntax, &h->doc, &h->diags))
		goto out;
	root = &h->doc.nodes[0];
	if (hd_take(&c, root, OCI_DIAG_TYPE, NULL)) {
		emit(&c, root->line, root->col, LINT_ERROR, "JSON_NOT_OBJECT",
		     "a hooks.d file must be a JSON object, not %s: podman refuses to start ANY "
		     "container while it is installed", jloc_type_name(root->type));
		goto out;
	}
	render_dups(&c, root, "the hook file", false);
	JLOC_FOR_KIDS(c.doc, root, m) {
		if (oci_go_field(m, f) != 0 || !hd_take(&c, m, OCI_DIAG_TYPE, NULL))
			continue;
		emit(&c, m->line, m->col, LINT_ERROR, "HOOKSD_VERSION",
		     "\"version\" must be a string, not %s: podman refuses to start ANY container "
		     "while this file is installed", jloc_type_name(m->type));
		goto out;
	}
	ver = h->version_node ? &h->doc.nodes[h->version_node] : NULL;
	if (ver && hd_take(&c, ver, OCI_DIAG_VERSION, NULL)) {
		QSTR v = q(ver->str, ver->slen);
		emit(&c, ver->line, ver->col, LINT_ERROR, "HOOKSD_VERSION",
		     "unrecognized hook version %s: podman refuses to start ANY container while "
		     "this file is installed; use \"1.0.0\"", v);
		goto out;
	}
	if (!h->legacy) {
		check_unknown_keys(&c, root, f, "a 1.0.0 hook");
		hook = hd_member(&c, root, f, "hook");
		if (!hook || hook->type == JLOC_NULL) {
			if (hd_take(&c, hook ? hook : root, OCI_DIAG_REQUIRED, "hook.path") ||
			    hd_take(&c, root, OCI_DIAG_REQUIRED, "hook.path"))
				emit(&c, root->line, root->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
				     "no \"hook\" object: podman refuses to start ANY container while "
				     "this file is installed (missing required property: hook.path)");
		} else {
			check_entry(&c, hook, OCI_CREATE_RUNTIME, "hook");
		}
		check_hooksd_when_v1(&c, hd_member(&c, root, f, "when"));
		check_hooksd_stages(&c, hd_member(&c, root, f, "stages"));
	} else {
		hook = hd_member(&c, root, &oci_hooksd_legacy_fields, "hook");
		if ((!ver || !ver->slen) && hook && hook->type == JLOC_OBJECT &&
		    hd_take(&c, hook, OCI_DIAG_TYPE, NULL)) {
			emit(&c, root->line, root->col, LINT_ERROR, "HOOKSD_VERSION",
			     "no \"version\": podman reads the file as the legacy 0.1.0 schema, "
			     "where \"hook\" is a path string, and refuses to start ANY container "
			     "while it is installed; add \"version\": \"1.0.0\"");
			goto out;
		}
		emit(&c, ver ? ver->line : root->line, ver ? ver->col : root->col, LINT_INFO,
		     "HOOKSD_LEGACY",
		     "legacy 0.1.0 hook schema: podman still reads it but it is deprecated; "
		     "convert to \"version\": \"1.0.0\"");
		check_hooksd_legacy(&c, root);
	}
	stop = false;
out:
	if (!stop && !c.err)
		render_rest(&c);
	sort_findings(out, n0);
	free(c.used);
	return c.err;
}
