// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The OCI configuration model's shared pieces: the one stage-name table, the
 * fields of each Go struct the decoders read (specs.Hook, hooks.d 1.0.0 and
 * its "when", hooks.d 0.1.0) and how Go's encoding/json assigns a key to one
 * of them (exact match first, then Unicode simple folding), the diagnostic
 * list every decoder records into and indexes by node, and freeing the hook
 * model. The decoders that use them: oci_go.c (runc's Go dialect),
 * oci_exact.c (crun and youki), oci_config.c (one config.json, both
 * dialects) and hooksd.c (podman's hooks.d files).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "oci_int.h"

const char *const oci_stage_names[OCI_STAGE_MAX] = {
	[OCI_PRESTART] = "prestart",
	[OCI_CREATE_RUNTIME] = "createRuntime",
	[OCI_CREATE_CONTAINER] = "createContainer",
	[OCI_START_CONTAINER] = "startContainer",
	[OCI_POSTSTART] = "poststart",
	[OCI_POSTSTOP] = "poststop",
};

const char *oci_stage_name(enum oci_stage s)
{
	return (unsigned)s < OCI_STAGE_MAX ? oci_stage_names[s] : "unknown";
}

int oci_stage_from_name(const char *name)
{
	for (int i = 0; i < OCI_STAGE_MAX; i++)
		if (!strcmp(name, oci_stage_names[i]))
			return i;
	return -1;
}

/* ---- small helpers ---- */

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int strv_dup(char **src, size_t n, char ***dst)
{
	*dst = NULL;
	if (!n)
		return 0;
	*dst = calloc(n, sizeof(char *));
	if (!*dst)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		(*dst)[i] = strdup(src[i] ? src[i] : "");
		if (!(*dst)[i]) {
			strv_free(*dst, i);
			*dst = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

void oci_hook_free(struct oci_hook *h)
{
	free(h->path);
	strv_free(h->args, h->nargs);
	strv_free(h->env, h->nenv);
	memset(h, 0, sizeof(*h));
}

void oci_hooks_free(struct oci_hooks *h)
{
	for (int s = 0; s < OCI_STAGE_MAX; s++) {
		for (size_t i = 0; i < h->n[s]; i++)
			oci_hook_free(&h->v[s][i]);
		free(h->v[s]);
	}
	free(h->rootfs);
	strv_free(h->proc_args, h->nproc_args);
	strv_free(h->ann_keys, h->nann);
	strv_free(h->ann_vals, h->nann);
	free(h->refused);
	memset(h, 0, sizeof(*h));
}

/* Set *dst to the formatted text unless it is set: the first reason is the one kept. */
void set_once(char **dst, const char *fmt, ...)
{
	va_list ap;

	if (*dst)
		return;
	va_start(ap, fmt);
	if (vasprintf(dst, fmt, ap) < 0)
		*dst = NULL;
	va_end(ap);
}

/* ---- the fields of each schema, as Go assigns keys to them ---- */


/*
 * Go's encoding/json folds a key onto a field name rune by rune with Unicode
 * simple folding. Our field names are ASCII letters, whose only non-ASCII fold
 * partners are U+017F (long s) for s and U+212A (Kelvin sign) for k.
 */
static bool go_key_folds(const char *k, size_t klen, const char *field)
{
	const unsigned char *p = (const unsigned char *)k, *end = p + klen;

	for (; *field; field++) {
		char f = (char)tolower((unsigned char)*field);
		long r;

		if (p >= end)
			return false;
		p += utf8_rune(p, (size_t)(end - p), &r);
		if (r >= 0 && r < 0x80 && tolower((int)r) == f)
			continue;
		if ((r == 0x17f && f == 's') || (r == 0x212a && f == 'k'))
			continue;
		return false;
	}
	return p == end;
}

/* Index of the Go struct field key k selects, or -1: exact match first. */
int go_field(const struct jloc_node *m, const char *const *fields, int nfields)
{
	for (int i = 0; i < nfields; i++)
		if (jloc_key_is(m, fields[i]))
			return i;
	for (int i = 0; i < nfields; i++)
		if (go_key_folds(m->key, m->klen, fields[i]))
			return i;
	return -1;
}

int oci_go_field(const struct jloc_node *m, const struct oci_fields *f)
{
	return go_field(m, f->names, f->n);
}

const struct jloc_node *oci_go_member(const struct jloc_doc *doc, const struct jloc_node *o,
				      const struct oci_fields *f, int i)
{
	const struct jloc_node *found = NULL;

	if (!o || o->type != JLOC_OBJECT)
		return NULL;
	JLOC_FOR_KIDS(doc, o, m)
		if (oci_go_field(m, f) == i)
			found = m;
	return found;
}

/* runtime-spec specs.Hook */
static const char *const go_hook_fields[] = {
	[HOOK_PATH] = "path", [HOOK_ARGS] = "args", [HOOK_ENV] = "env", [HOOK_TIMEOUT] = "timeout",
};
const struct oci_fields oci_hook_fields = { go_hook_fields, 4 };

/* containers/common pkg/hooks/1.0.0 Hook and When, and pkg/hooks/0.1.0 Hook */
static const char *const hd_fields[] = {
	[HD_VERSION] = "version", [HD_HOOK] = "hook", [HD_WHEN] = "when", [HD_STAGES] = "stages",
};
const struct oci_fields oci_hooksd_fields = { hd_fields, 4 };

static const char *const hd_when_fields[] = {
	[HDW_ALWAYS] = "always", [HDW_ANNOTATIONS] = "annotations",
	[HDW_COMMANDS] = "commands", [HDW_BIND_MOUNTS] = "hasBindMounts",
};
const struct oci_fields oci_hooksd_when_fields = { hd_when_fields, 4 };

/*
 * The 0.1.0 struct has no "version": the version probe reads it before the
 * struct is decoded, so it is a known key that the struct decoding skips.
 */
static const char *const hd_old_fields[] = {
	[HDO_HOOK] = "hook", [HDO_ARGUMENTS] = "arguments", [HDO_STAGES] = "stages",
	[HDO_STAGE] = "stage", [HDO_CMDS] = "cmds", [HDO_CMD] = "cmd",
	[HDO_ANNOTATIONS] = "annotations", [HDO_ANNOTATION] = "annotation",
	[HDO_BIND_MOUNTS] = "hasbindmounts", [HDO_VERSION] = "version",
};
const struct oci_fields oci_hooksd_legacy_fields = { hd_old_fields, 10 };

bool oci_doc_is_hooksd(const struct jloc_doc *doc)
{
	static const char *const cfg[] = { "ociVersion", "process", "root", "mounts", "linux",
					   "hooks" };
	static const char *const hd[] = { "version", "hook", "when", "stages", "stage", "cmds",
					  "cmd", "arguments" };
	const struct jloc_node *root = jloc_at(doc, 0);
	int score = 0;

	if (doc->err || !root || root->type != JLOC_OBJECT)
		return false;
	JLOC_FOR_KIDS(doc, root, m) {
		for (size_t i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++)
			if (go_key_folds(m->key, m->klen, cfg[i]))
				return false;
		for (size_t i = 0; i < sizeof(hd) / sizeof(hd[0]); i++)
			score += go_key_folds(m->key, m->klen, hd[i]);
	}
	return score > 0;
}

/* ---- what the decoders noticed ---- */

/* Append a diagnostic about node; NULL when out of memory. */
struct oci_diag *diags_push(struct oci_diags *d, enum oci_diag_kind kind, enum oci_dialect dialect,
			    enum oci_schema schema, int node)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct oci_diag *nv = realloc(d->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		d->v = nv;
		d->cap = cap;
	}
	d->v[d->n] = (struct oci_diag){
		.kind = kind,
		.dialect = dialect,
		.schema = schema,
		.node = node,
		.winner = node,
		.first = node,
		.stage = -1,
	};
	return &d->v[d->n++];
}

static int diag_node_cmp(const void *x, const void *y)
{
	const struct oci_diag *a = x, *b = y;

	return (a->node > b->node) - (a->node < b->node);
}

/* Group the diagnostics by node (recording order kept within a node) and index them. */
int diags_index(struct oci_diags *d, size_t nnodes)
{
	/* insertion sort keeps the order per node; qsort is not stable */
	for (size_t i = 1; i < d->n; i++) {
		struct oci_diag t = d->v[i];
		size_t j = i;

		if (diag_node_cmp(&d->v[i - 1], &t) <= 0)
			continue;
		while (j > 0 && diag_node_cmp(&d->v[j - 1], &t) > 0) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = t;
	}
	d->of = malloc((nnodes ? nnodes : 1) * sizeof(int));
	if (!d->of)
		return -ENOMEM;
	d->nnodes = nnodes;
	for (size_t i = 0; i < nnodes; i++)
		d->of[i] = -1;
	for (size_t i = d->n; i-- > 0;)
		d->of[d->v[i].node] = (int)i;
	return 0;
}

void diags_free(struct oci_diags *d)
{
	free(d->v);
	free(d->of);
	memset(d, 0, sizeof(*d));
}

const struct oci_diag *oci_diag_at(const struct oci_diags *d, int node, enum oci_diag_kind kind)
{
	if (!d->of || node < 0 || (size_t)node >= d->nnodes || d->of[node] < 0)
		return NULL;
	for (size_t i = (size_t)d->of[node]; i < d->n && d->v[i].node == node; i++)
		if (d->v[i].kind == kind)
			return &d->v[i];
	return NULL;
}
