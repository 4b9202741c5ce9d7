// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * crun's and youki's reading of a config.json: libocispec on yajl, as
 * observed on crun 1.8.1. Keys match exactly and the first of duplicate keys
 * wins; wrong-typed stages, args and env are ignored as if absent, non-string
 * args become "", and an entry without a string path or with a non-integer
 * timeout makes crun refuse the whole config. Each such decision is recorded
 * as a diagnostic on its node; hooksd.c borrows the timeout rule, since
 * podman writes hooks.d hooks into the config crun reads.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_int.h"
#include "util.h"

/* Record what crun does with node n (a hook's part: schema HOOK unless said otherwise). */
struct oci_diag *exact_diag(struct exact_ctx *c, enum oci_diag_kind kind, enum oci_schema schema,
			    const struct jloc_node *n, const char *field)
{
	struct oci_diag *d;

	if (!c->diags)
		return NULL;
	d = diags_push(c->diags, kind, OCI_DIALECT_EXACT, schema, (int)(n - c->doc->nodes));
	if (!d)
		c->nomem = -ENOMEM;
	else
		d->field = field;
	return d;
}

/* A value crun reads only with the right type: any other (but null) it skips. */
static bool exact_typed(struct exact_ctx *c, const struct jloc_node *n, enum jloc_type want,
			enum oci_schema schema, const char *field)
{
	if (!n || n->type == JLOC_NULL)
		return false;
	if (n->type == want)
		return true;
	exact_diag(c, OCI_DIAG_IGNORED, schema, n, field);
	return false;
}

/* []string; field (or NULL: not a hook's, nothing to record) names it in diagnostics. */
static int exact_strs(struct exact_ctx *c, const struct jloc_node *n, char ***v, size_t *nv,
		      const char *field)
{
	size_t i = 0;

	if (!(field ? exact_typed(c, n, JLOC_ARRAY, OCI_SCHEMA_HOOK, field)
		    : n && n->type == JLOC_ARRAY) || !n->nkids)
		return 0;	/* wrong type: libocispec ignores the field */
	*v = calloc((size_t)n->nkids, sizeof(char *));
	if (!*v)
		return -ENOMEM;
	JLOC_FOR_KIDS(c->doc, n, e) {
		/* non-string elements come out as "" (observed with crun 1.8.1) */
		if (e->type != JLOC_STRING && field)
			exact_diag(c, OCI_DIAG_EMPTY_STRING, OCI_SCHEMA_HOOK, e, field);
		(*v)[i] = e->type == JLOC_STRING ? mem_strdup(e->str, e->slen) : strdup("");
		if (!(*v)[i]) {
			strv_free(*v, i);
			*v = NULL;
			return -ENOMEM;
		}
		i++;
	}
	*nv = i;
	return 0;
}

/* How libocispec reads an int: 0, -EINVAL (not an integer) or -ERANGE (beyond int). */
int exact_int(const struct jloc_node *n, int *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(n->str, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	if (v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

/* Why crun refuses the config: the first reason found. */
#define refuse(out, ...) set_once(&(out)->refused, __VA_ARGS__)

#define EXACT_NO_PATH "Required field 'path' not present"

static int exact_hook(struct exact_ctx *c, const struct jloc_node *e, struct oci_hook *h)
{
	const struct jloc_doc *doc = c->doc;
	const struct jloc_node *p, *t;
	int idx = (int)(e - doc->nodes), err;
	struct oci_diag *d;

	memset(h, 0, sizeof(*h));
	h->line = e->line;
	h->col = e->col;
	p = e->type == JLOC_OBJECT ? jloc_at(doc, jloc_member(doc, idx, "path")) : NULL;
	if (!p || p->type != JLOC_STRING) {
		refuse(c->out, EXACT_NO_PATH " (line %u)", e->line);
		/* a null path is no path: the entry is what lacks one */
		d = exact_diag(c, OCI_DIAG_REFUSED, OCI_SCHEMA_HOOK,
			       p && p->type != JLOC_NULL ? p : e, "path");
		if (d)
			d->why = EXACT_NO_PATH;
		h->path = strdup("");
	} else {
		h->path = mem_strdup(p->str, p->slen);
	}
	if (!h->path)
		return -ENOMEM;
	if (e->type != JLOC_OBJECT)
		return 0;
	err = exact_strs(c, jloc_at(doc, jloc_member(doc, idx, "args")), &h->args, &h->nargs,
			 "args");
	if (!err)
		err = exact_strs(c, jloc_at(doc, jloc_member(doc, idx, "env")), &h->env, &h->nenv,
				 "env");
	t = jloc_at(doc, jloc_member(doc, idx, "timeout"));
	if (exact_typed(c, t, JLOC_NUMBER, OCI_SCHEMA_HOOK, "timeout")) {
		if (exact_int(t, &h->timeout)) {
			refuse(c->out, EXACT_BAD_INT " (line %u)", t->line);
			d = exact_diag(c, OCI_DIAG_REFUSED, OCI_SCHEMA_HOOK, t, "timeout");
			if (d)
				d->why = EXACT_BAD_INT;
			h->timeout = 0;
		} else {
			h->timeout_set = true;
		}
	}
	return err;
}

int from_doc_exact(const struct jloc_doc *doc, struct oci_hooks *out, struct oci_diags *diags)
{
	struct exact_ctx c = { .doc = doc, .out = out, .diags = diags };
	const struct jloc_node *root = &doc->nodes[0], *hooks, *n;
	int err = 0;

	if (root->type != JLOC_OBJECT) {
		refuse(out, "the config is not an object (line %u)", root->line);
		return 0;
	}
	hooks = jloc_at(doc, jloc_member(doc, 0, "hooks"));
	if (exact_typed(&c, hooks, JLOC_OBJECT, OCI_SCHEMA_SPEC, "hooks")) {
		int hi = (int)(hooks - doc->nodes);

		for (int st = 0; !err && st < OCI_STAGE_MAX; st++) {
			const struct jloc_node *a = jloc_at(doc, jloc_member(doc, hi, oci_stage_names[st]));
			size_t i = 0;

			if (!exact_typed(&c, a, JLOC_ARRAY, OCI_SCHEMA_HOOKS, oci_stage_names[st]) ||
			    !a->nkids)
				continue;
			out->v[st] = calloc((size_t)a->nkids, sizeof(struct oci_hook));
			if (!out->v[st])
				return -ENOMEM;
			JLOC_FOR_KIDS(doc, a, e) {
				err = exact_hook(&c, e, &out->v[st][i]);
				i++;
				out->n[st] = i;
				if (err)
					break;
			}
		}
	}
	n = jloc_at(doc, jloc_member(doc, jloc_member(doc, 0, "root"), "path"));
	/* a path with a NUL byte names no directory crun could open */
	if (!err && n && n->type == JLOC_STRING && !memchr(n->str, '\0', n->slen) &&
	    !(out->rootfs = mem_strdup(n->str, n->slen)))
		err = -ENOMEM;
	n = jloc_at(doc, jloc_member(doc, jloc_member(doc, 0, "process"), "args"));
	if (!err)
		err = exact_strs(&c, n, &out->proc_args, &out->nproc_args, NULL);
	n = jloc_at(doc, jloc_member(doc, 0, "annotations"));
	if (!err && n && n->type == JLOC_OBJECT) {
		struct go_map m = { 0 };

		JLOC_FOR_KIDS(doc, n, e) {
			/* first duplicate wins: only add keys not seen yet */
			if (!go_map_has(&m, e->key, e->klen) && e->type == JLOC_STRING &&
			    (err = go_map_put(&m, e->key, e->klen, e->str, e->slen,
					      (int)(e - doc->nodes))))
				break;
		}
		out->ann_keys = m.k;
		out->ann_vals = m.v;
		out->nann = m.n;
		m.k = m.v = NULL;
		m.n = 0;
		go_map_free(&m);
	}
	return err ? err : c.nomem;
}
