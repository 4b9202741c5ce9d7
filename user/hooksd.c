// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One podman / CRI-O hooks.d file read as podman's loader reads it
 * (containers/common pkg/hooks, podman 4.3.1 on the test machines): Go
 * decoding with oci_go.c's primitives, the version probe before the rest,
 * schema 1.0.0 or legacy 0.1.0, podman's Validate (required properties,
 * conflicting 0.1.0 properties, known stages, the hook path's existence
 * checked beneath the root the file was read under) and every "when"
 * pattern compiled once by goregex.c. What podman would refuse or drop is
 * load_error / dropped, and each cause a diagnostic on its node for lint.
 * Directories, matching and injecting are hooksd_apply.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "goregex.h"
#include "hooksd.h"
#include "oci_int.h"
#include "saferead.h"

/* Why podman refuses the file: the first reason found. */
#define set_error(h, ...) set_once(&(h)->load_error, __VA_ARGS__)

static void rxv_free(struct goregex **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		goregex_free(v[i]);
	free(v);
}

/* A diagnostic about node n under the schema being decoded (hooks.d); NULL if not recorded. */
static struct oci_diag *hd_diag(struct go_ctx *c, enum oci_diag_kind kind, int n, const char *field)
{
	struct oci_diag *d = go_diag_add(c, kind, c->schema, &c->doc->nodes[n]);

	if (d)
		d->field = field;
	return d;
}

/* Was a type error recorded about node n? (Its consequences are then not diagnosed again.) */
static bool hd_type_error_at(const struct go_ctx *c, int n)
{
	for (size_t i = 0; c->diags && i < c->diags->n; i++)
		if (c->diags->v[i].node == n && c->diags->v[i].kind == OCI_DIAG_TYPE)
			return true;
	return false;
}

/*
 * Compile one pattern once, as podman does when it loads the file: re is
 * node n's key (key) or string value, or "" when n is 0. A refusal is the
 * file's load_error and a diagnostic on n; what names the pattern in both
 * (load_error keeps podman's naming, the diagnostic lint's).
 */
static int rx_compile(struct go_ctx *c, struct oci_hooksd_hook *h, int n, bool key,
		      const char *what, const char *label, struct goregex **out)
{
	const struct jloc_node *node = n ? &c->doc->nodes[n] : NULL;
	const char *re = !node ? "" : key ? node->key : node->type == JLOC_STRING ? node->str : "";
	size_t len = !node ? 0 : key ? node->klen : node->type == JLOC_STRING ? node->slen : 0;
	const char *why = "NUL byte";
	struct oci_diag *d;
	int err = -EINVAL;

	/* the strings podman matches against are C strings here: a NUL cannot be honoured */
	if (!memchr(re, '\0', len))
		err = goregex_compile(re, len, out, &why);
	if (err != -EINVAL)
		return err;
	set_error(h, "invalid %s regexp: %s", what, why);
	d = hd_diag(c, OCI_DIAG_REGEX, n, label);
	if (d) {
		d->why = why;
		d->key = key;
	}
	return 0;
}

/* The patterns of a decoded []string, each compiled once from the element it came from. */
static int rx_strs(struct go_ctx *c, struct oci_hooksd_hook *h, const struct go_strs *s,
		   const char *what, struct goregex ***out)
{
	if (!s->len)
		return 0;
	*out = calloc(s->len, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < s->len; i++) {
		int err = rx_compile(c, h, s->node ? s->node[i] : 0, false, what, what, &(*out)[i]);

		if (err)
			return err;
	}
	return 0;
}

void oci_hooksd_hook_free(struct oci_hooksd_hook *h)
{
	free(h->file);
	free(h->name);
	oci_hook_free(&h->hook);
	strv_free(h->ann_key_re, h->nann);
	strv_free(h->ann_val_re, h->nann);
	strv_free(h->cmd_re, h->ncmd);
	rxv_free(h->ann_key_rx, h->nann);
	rxv_free(h->ann_val_rx, h->nann);
	rxv_free(h->cmd_rx, h->ncmd);
	free(h->load_error);
	jloc_free(&h->doc);
	free(h->syntax.text);
	diags_free(&h->diags);
	memset(h, 0, sizeof(*h));
}

void oci_hooksd_free(struct oci_hooksd *d)
{
	for (size_t i = 0; i < d->n; i++)
		oci_hooksd_hook_free(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static int go_bool_ptr(struct go_ctx *c, const struct jloc_node *n, int *dst, const char *field)
{
	if (n->type == JLOC_NULL)
		*dst = -1;
	else if (n->type == JLOC_TRUE || n->type == JLOC_FALSE)
		*dst = n->type == JLOC_TRUE;
	else
		go_type_error(c, n, field, "bool");
	return 0;
}

struct hd_raw {
	char *version;
	struct go_hook hook;
	struct go_map ann;
	struct go_strs cmds, stages;
	/* 0.1.0 only */
	char *old_hook;
	bool old_hook_set;
	struct go_strs args, stage, cmd, anns, ann1;
	bool stages_set, stage_set, cmds_set, cmd_set, anns_set, ann1_set;
	/* per top-level field (HD_* or HDO_*): the last member decoded into it, 0 if none */
	int at[10];
};

static void hd_raw_free(struct hd_raw *r)
{
	free(r->version);
	go_hook_clear(&r->hook);
	go_map_free(&r->ann);
	go_strs_free(&r->cmds);
	go_strs_free(&r->stages);
	free(r->old_hook);
	go_strs_free(&r->args);
	go_strs_free(&r->stage);
	go_strs_free(&r->cmd);
	go_strs_free(&r->anns);
	go_strs_free(&r->ann1);
}

/* A Go []string is nil unless the key was present with a non-null value. */
static int go_strs_track(struct go_ctx *c, const struct jloc_node *n, struct go_strs *s,
			 bool *set, const char *field)
{
	if (n->type == JLOC_NULL)
		*set = false;
	else if (n->type == JLOC_ARRAY)
		*set = true;
	return go_strs(c, n, s, field);
}

static int hd_decode(struct go_ctx *c, const struct jloc_node *root, struct hd_raw *r,
		     struct oci_hooksd_hook *h, bool legacy)
{
	int err = 0;

	c->schema = legacy ? OCI_SCHEMA_HOOKSD_LEGACY : OCI_SCHEMA_HOOKSD;
	JLOC_FOR_KIDS(c->doc, root, m) {
		int f = oci_go_field(m, legacy ? &oci_hooksd_legacy_fields : &oci_hooksd_fields);

		if (f >= 0)
			r->at[f] = node_of(c, m);
		if (!legacy) {
			switch (f) {
			case HD_VERSION: err = go_string(c, m, &r->version, "Hook.version"); break;
			case HD_HOOK: err = go_hook_obj(c, m, &r->hook, "Hook.hook", -1); break;
			case HD_WHEN:
				if (m->type == JLOC_NULL)
					break;
				if (m->type != JLOC_OBJECT) {
					go_type_error(c, m, "Hook.when", "hook.When");
					break;
				}
				go_diag_dups(c, m, OCI_SCHEMA_HOOKSD);
				JLOC_FOR_KIDS(c->doc, m, w) {
					switch (oci_go_field(w, &oci_hooksd_when_fields)) {
					case HDW_ALWAYS: err = go_bool_ptr(c, w, &h->always, "When.when.always"); break;
					case HDW_ANNOTATIONS:
						err = go_map_obj(c, w, &r->ann, "When.when.annotations");
						break;
					case HDW_COMMANDS:
						err = go_strs(c, w, &r->cmds, "When.when.commands");
						break;
					case HDW_BIND_MOUNTS: err = go_bool_ptr(c, w, &h->has_bind_mounts,
								  "When.when.hasBindMounts"); break;
					}
					if (err)
						return err;
				}
				break;
			case HD_STAGES:
				err = go_strs_track(c, m, &r->stages, &r->stages_set, "Hook.stages");
				break;
			}
		} else {
			switch (f) {
			case HDO_HOOK:
				if (m->type == JLOC_NULL) {
					r->old_hook_set = false;
				} else {
					r->old_hook_set = m->type == JLOC_STRING || r->old_hook_set;
					err = go_string(c, m, &r->old_hook, "Hook.hook");
				}
				break;
			case HDO_ARGUMENTS: err = go_strs(c, m, &r->args, "Hook.arguments"); break;
			case HDO_STAGES: err = go_strs_track(c, m, &r->stages, &r->stages_set, "Hook.stages"); break;
			case HDO_STAGE: err = go_strs_track(c, m, &r->stage, &r->stage_set, "Hook.stage"); break;
			case HDO_CMDS: err = go_strs_track(c, m, &r->cmds, &r->cmds_set, "Hook.cmds"); break;
			case HDO_CMD: err = go_strs_track(c, m, &r->cmd, &r->cmd_set, "Hook.cmd"); break;
			case HDO_ANNOTATIONS: err = go_strs_track(c, m, &r->anns, &r->anns_set, "Hook.annotations"); break;
			case HDO_ANNOTATION: err = go_strs_track(c, m, &r->ann1, &r->ann1_set, "Hook.annotation"); break;
			case HDO_BIND_MOUNTS: err = go_bool_ptr(c, m, &h->has_bind_mounts, "Hook.hasbindmounts"); break;
			}
		}
		if (err)
			return err;
	}
	return 0;
}

static int strs_take(struct go_strs *s, char ***v, size_t *n)
{
	int err = strv_dup(s->v, s->len, v);

	if (!err)
		*n = s->len;
	return err;
}

/*
 * Does the hook path exist where podman looks? Beneath root (RESOLVE_IN_ROOT:
 * symlinks and ".." stay inside) when the hooks.d file was read under
 * another process's root, else on the host. 0 or -errno.
 */
static int hook_path_check(const struct sr_root *root, const char *path)
{
	if (!root || root->fd < 0)
		return access(path, F_OK) ? -errno : 0;
	/* through the safe reader: a hung file system costs its deadline, no more */
	return sr_stat(root, -1, path, NULL);
}

/* podman's missing-property checks: a diagnostic unless a type error already explains it. */
static void hd_required(struct go_ctx *c, struct oci_hooksd_hook *h, int n, const char *field)
{
	set_error(h, "missing required property: %s", field);
	if (!hd_type_error_at(c, n))
		hd_diag(c, OCI_DIAG_REQUIRED, n, field);
}

__attribute__((format(printf, 5, 6)))
static void hd_conflict(struct go_ctx *c, struct oci_hooksd_hook *h, int n, const char *field,
			const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	set_error(h, "%s", msg ? msg : "conflicting properties");
	free(msg);
	hd_diag(c, OCI_DIAG_CONFLICT, n, field);
}

/* Where a missing value is reported: member n if it is there as null, else the root. */
static int hd_missing_at(const struct go_ctx *c, int n)
{
	return n && c->doc->nodes[n].type == JLOC_NULL ? n : 0;
}

/*
 * 0.1.0 "annotation(s)": one value pattern, the entries joined by "|",
 * compiled once. When Go refuses the whole, the entries it refuses on their
 * own say where; if none does, the first entry carries the reason.
 */
static int hd_legacy_annotations(struct go_ctx *c, struct oci_hooksd_hook *h,
				 const struct go_strs *a)
{
	struct sbuf sb;
	bool nul = false, blamed = false;
	const char *why;
	int err;

	sbuf_init(&sb);
	for (size_t i = 0; i < a->len; i++) {
		const struct jloc_node *n = a->node && a->node[i] ? &c->doc->nodes[a->node[i]] : NULL;

		if (i)
			sbuf_puts(&sb, "|");
		if (n && n->type == JLOC_STRING) {
			sbuf_add(&sb, n->str, n->slen);
			nul |= memchr(n->str, '\0', n->slen) != NULL;
		} else if (a->v[i]) {
			sbuf_puts(&sb, a->v[i]);
		}
	}
	h->ann_key_re = calloc(1, sizeof(char *));
	h->ann_val_re = calloc(1, sizeof(char *));
	h->ann_key_rx = calloc(1, sizeof(struct goregex *));
	h->ann_val_rx = calloc(1, sizeof(struct goregex *));
	if (h->ann_key_re && h->ann_val_re && h->ann_key_rx && h->ann_val_rx) {
		h->nann = 1;
		h->ann_key_re[0] = strdup(".*");
		h->ann_val_re[0] = strdup(sbuf_str(&sb));
	}
	if (sb.oom || !h->nann || !h->ann_key_re[0] || !h->ann_val_re[0]) {
		sbuf_free(&sb);
		return -ENOMEM;
	}
	err = goregex_compile(".*", 2, &h->ann_key_rx[0], &why);
	why = "NUL byte";
	if (!err)
		err = nul ? -EINVAL : goregex_compile(sbuf_str(&sb), sb.len, &h->ann_val_rx[0], &why);
	sbuf_free(&sb);
	if (err != -EINVAL)
		return err;
	set_error(h, "invalid annotation value regexp: %s", why);
	for (size_t i = 0; i < a->len && !blamed; i++) {
		const struct jloc_node *n = a->node && a->node[i] ? &c->doc->nodes[a->node[i]] : NULL;
		const char *own = "NUL byte";

		if (!n || n->type != JLOC_STRING)
			continue;
		if (memchr(n->str, '\0', n->slen) || goregex_check(n->str, n->slen, &own))
			blamed = true;
	}
	for (size_t i = 0; i < a->len; i++) {
		const struct jloc_node *n = a->node && a->node[i] ? &c->doc->nodes[a->node[i]] : NULL;
		const char *own = why;
		struct oci_diag *d;

		if (!n || n->type != JLOC_STRING)
			continue;
		if (blamed && !memchr(n->str, '\0', n->slen) && !goregex_check(n->str, n->slen, &own))
			continue;
		if (blamed && memchr(n->str, '\0', n->slen))
			own = "NUL byte";
		d = hd_diag(c, OCI_DIAG_REGEX, a->node[i], "annotation");
		if (d)
			d->why = own;
		if (!blamed)
			break;
	}
	return 0;
}

/*
 * podman writes the hook into the config.json the runtime reads: a timeout
 * Go reads as an integer that crun's int does not hold makes crun refuse
 * every container it is injected into. Said on each timeout of the hook
 * object podman keeps (node hk).
 */
static void hd_exact_timeouts(struct go_ctx *c, int hk)
{
	const struct jloc_node *o = hk ? &c->doc->nodes[hk] : NULL;
	struct exact_ctx x = { .doc = c->doc, .diags = c->diags };
	int v;

	if (!o || o->type != JLOC_OBJECT)
		return;
	JLOC_FOR_KIDS(c->doc, o, m) {
		struct oci_diag *d;

		if (oci_go_field(m, &oci_hook_fields) != HOOK_TIMEOUT || m->type != JLOC_NUMBER ||
		    hd_type_error_at(c, node_of(c, m)) || exact_int(m, &v) != -ERANGE)
			continue;
		d = exact_diag(&x, OCI_DIAG_REFUSED, OCI_SCHEMA_HOOK, m, "timeout");
		if (d)
			d->why = EXACT_BAD_INT;
	}
	if (x.nomem)
		c->nomem = x.nomem;
}

/* Everything podman's Read + Validate decide about one file, in their order. */
static int hd_build(struct go_ctx *c, struct hd_raw *r, struct oci_hooksd_hook *h,
		    const struct sr_root *root)
{
	struct go_strs *stages = &r->stages;
	bool stages_set = r->stages_set;
	int err = 0, path_at = 0, stages_at;

	if (h->legacy) {
		int hk = r->at[HDO_HOOK];

		/* a wrong-typed "hook" is its type error; absent or null is a missing one */
		if (!r->old_hook_set && !hd_type_error_at(c, hk))
			hd_required(c, h, hd_missing_at(c, hk), "hook");
		else if (!r->old_hook_set)
			set_error(h, "missing required property: hook");
		if (stages_set && r->stage_set)
			hd_conflict(c, h, r->at[HDO_STAGE], "stage",
				    "cannot set both 'stage' and 'stages'");
		stages_at = r->at[HDO_STAGES] && c->doc->nodes[r->at[HDO_STAGES]].type != JLOC_NULL
				    ? r->at[HDO_STAGES] : r->at[HDO_STAGE];
		if (!stages_set) {
			stages = &r->stage;
			stages_set = r->stage_set;
		}
		if (r->cmds_set && r->cmd_set)
			hd_conflict(c, h, r->at[HDO_CMD], "cmd", "cannot set both 'cmd' and 'cmds'");
		if (r->anns_set && r->ann1_set)
			hd_conflict(c, h, r->at[HDO_ANNOTATION], "annotation",
				    "cannot set both 'annotation' and 'annotations'");
		h->or_mode = true;
		path_at = r->old_hook_set ? hk : -1;
		/* Go's *string: a null after the path leaves no path at all */
		h->hook.path = strdup(r->old_hook_set && r->old_hook ? r->old_hook : "");
		if (!h->hook.path)
			return -ENOMEM;
		if (r->args.len || r->args.v) {
			/* args = [hook] + arguments */
			h->hook.args = calloc(r->args.len + 1, sizeof(char *));
			if (!h->hook.args)
				return -ENOMEM;
			h->hook.nargs = 1;
			h->hook.args[0] = strdup(h->hook.path);
			if (!h->hook.args[0])
				return -ENOMEM;
			for (size_t i = 0; i < r->args.len; i++) {
				h->hook.args[i + 1] = strdup(r->args.v[i] ? r->args.v[i] : "");
				if (!h->hook.args[i + 1])
					return -ENOMEM;
				h->hook.nargs++;
			}
		}
		err = strs_take(r->cmds_set ? &r->cmds : &r->cmd, &h->cmd_re, &h->ncmd);
	} else {
		int hk = r->at[HD_HOOK];

		err = go_hook_export(&r->hook, &h->hook);
		if (!err && !strs_take(&r->cmds, &h->cmd_re, &h->ncmd) &&
		    !strv_dup(r->ann.k, r->ann.n, &h->ann_key_re) &&
		    !strv_dup(r->ann.v, r->ann.n, &h->ann_val_re))
			h->nann = r->ann.n;
		/* the empty path, else the hook object without one, else where the hook is missing */
		path_at = r->hook.path_node ? r->hook.path_node
			  : hk && c->doc->nodes[hk].type != JLOC_NULL ? (r->hook.obj ? r->hook.obj : hk)
			  : 0;
		stages_at = hd_missing_at(c, r->at[HD_STAGES]);
		if (r->at[HD_STAGES] && c->doc->nodes[r->at[HD_STAGES]].type != JLOC_NULL)
			stages_at = r->at[HD_STAGES];
	}
	if (err)
		return err;
	if (c->err)
		set_error(h, "%s", c->err);
	if (!h->hook.path[0]) {
		if (path_at >= 0)
			hd_required(c, h, path_at, "hook.path");
	} else if ((err = hook_path_check(root, h->hook.path))) {
		int at = h->legacy ? r->at[HDO_HOOK] : r->hook.path_node;
		struct oci_diag *d;

		if (err == -ENOENT || err == -ENOTDIR) {
			h->dropped = true;
			hd_diag(c, OCI_DIAG_PATH_MISSING, at, "hook.path");
		} else {
			set_error(h, "cannot check hook.path: %s", strerror(-err));
			d = hd_diag(c, OCI_DIAG_PATH_ERROR, at, "hook.path");
			if (d)
				d->err = err;
		}
	}
	if (h->legacy) {
		err = rx_strs(c, h, r->cmds_set ? &r->cmds : &r->cmd, "command", &h->cmd_rx);
		if (!err && (r->anns_set || r->ann1_set))
			err = hd_legacy_annotations(c, h, r->anns_set ? &r->anns : &r->ann1);
	} else {
		err = rx_strs(c, h, &r->cmds, "command", &h->cmd_rx);
		if (!err && h->nann && !(h->ann_key_rx = calloc(h->nann, sizeof(*h->ann_key_rx))))
			err = -ENOMEM;
		if (!err && h->nann && !(h->ann_val_rx = calloc(h->nann, sizeof(*h->ann_val_rx))))
			err = -ENOMEM;
		for (size_t i = 0; !err && i < h->nann; i++) {
			err = rx_compile(c, h, r->ann.kn[i], true, "annotation key", "annotation key",
					 &h->ann_key_rx[i]);
			if (!err)
				err = rx_compile(c, h, r->ann.vn[i], false, "annotation value",
						 "annotation value", &h->ann_val_rx[i]);
		}
	}
	if (err)
		return err;
	if (!stages_set) {
		set_error(h, "missing required property: stages");
		if (!stages_at || !hd_type_error_at(c, stages_at))
			hd_diag(c, OCI_DIAG_REQUIRED, hd_missing_at(c, stages_at), "stages");
	}
	for (size_t i = 0; i < stages->len; i++) {
		int at = stages->node ? stages->node[i] : 0;
		const struct jloc_node *n = at ? &c->doc->nodes[at] : NULL;
		const char *s = stages->v[i] ? stages->v[i] : "";
		size_t len = n && n->type == JLOC_STRING ? n->slen : strlen(s);
		int st = strlen(s) == len ? oci_stage_from_name(s) : -1;

		if (st >= 0)
			h->stage[st] = true;
		else if (strlen(s) == len && !strcmp(s, "precreate"))
			h->precreate = true;	/* podman's extension stage */
		else {
			set_error(h, "unknown stage \"%s\"", s);
			if (!hd_type_error_at(c, at))	/* a wrong type left it "": said already */
				hd_diag(c, OCI_DIAG_STAGE, at, "stages");
		}
	}
	return 0;
}

int oci_hooksd_load_buf(const char *name, const char *buf, size_t len, const struct sr_root *root,
			struct oci_hooksd_hook *h)
{
	struct oci_syntax syn;
	struct jloc_doc doc;
	int err = oci_json_parse(buf, len, &doc, &syn);

	if (err) {
		memset(h, 0, sizeof(*h));
		jloc_free(&doc);
		free(syn.text);
		return err;
	}
	return oci_hooksd_load_doc(name, &doc, &syn, root, h);
}

int oci_hooksd_load_doc(const char *name, struct jloc_doc *doc, struct oci_syntax *syn,
			const struct sr_root *root, struct oci_hooksd_hook *h)
{
	struct go_ctx c = { .diags = &h->diags, .schema = OCI_SCHEMA_HOOKSD_VERSION };
	struct hd_raw r = { 0 };
	const struct jloc_node *top;
	const char *base;
	int err;

	memset(h, 0, sizeof(*h));
	h->doc = *doc;
	h->syntax = *syn;
	h->always = h->has_bind_mounts = -1;
	base = strrchr(name, '/');
	h->file = strdup(name);
	h->name = strdup(base ? base + 1 : name);
	if (!h->file || !h->name) {
		oci_hooksd_hook_free(h);
		return -ENOMEM;
	}
	c.doc = &h->doc;
	/* Go reads what jloc reads (NUL escapes, invalid UTF-8); jansson's verdict is lint's */
	if (h->doc.err || !h->doc.n) {
		set_error(h, "invalid JSON");
		goto done;
	}
	top = &h->doc.nodes[0];
	if (top->type != JLOC_OBJECT) {
		set_error(h, "not a JSON object");
		go_diag_add(&c, OCI_DIAG_TYPE, c.schema, top);
		goto done;
	}
	go_diag_dups(&c, top, OCI_SCHEMA_HOOKSD);
	/* the version is read first, on its own (Go: struct { Version string }) */
	JLOC_FOR_KIDS(&h->doc, top, m) {
		if (go_field(m, &oci_hooksd_fields.names[HD_VERSION], 1))
			continue;
		if (m->type == JLOC_STRING)
			h->version_node = node_of(&c, m);
		err = go_string(&c, m, &r.version, "version.version");
		if (err)
			goto fail;
	}
	if (c.err) {
		set_error(h, "version check: %s", c.err);
	} else {
		const char *v = r.version ? r.version : "";

		h->legacy = !strcmp(v, "0.1.0") || !v[0];
		if (!h->legacy && strcmp(v, "1.0.0")) {
			set_error(h, "unrecognized hook version: \"%s\"", v);
			hd_diag(&c, OCI_DIAG_VERSION, h->version_node, "version");
		}
		err = hd_decode(&c, top, &r, h, h->legacy);
		if (!err)
			err = hd_build(&c, &r, h, root);
		if (!err && !h->legacy)
			hd_exact_timeouts(&c, r.at[HD_HOOK]);
		if (err)
			goto fail;
	}
done:
	err = c.nomem;
	if (!err)
		err = diags_index(&h->diags, h->doc.n);
fail:
	free(c.err);
	hd_raw_free(&r);
	if (err)
		oci_hooksd_hook_free(h);
	return err;
}
