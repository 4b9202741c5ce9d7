// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CDI spec files as podman 4.3's loader reads them (see cdi.h): one parse
 * (yamlloc.c), one decode with Go's rules into the spec's devices and
 * hooks, the loader's validation, and the spec directories as podman's
 * cache resolves a qualified device name. Each rule cites the function of
 * container-device-interface v0.5 it mirrors. Messages quote untrusted
 * text escaped and bounded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdi.h"
#include "escape.h"
#include "lint_int.h"
#include "oci_int.h"
#include "saferead.h"
#include "yamlloc.h"

const char *const cdi_default_dirs[2] = { "/etc/cdi", "/var/run/cdi" };

/* cdi/spec.go validSpecVersions (v0.5.x) */
static const char *const versions[] = { "0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0" };

/* specs-go/config.go: the Go structs' JSON names, per object */
static const char *const spec_fields[] = { "cdiVersion", "kind", "devices", "containerEdits" };
static const char *const dev_fields[] = { "name", "containerEdits" };
static const char *const edit_fields[] = { "env", "deviceNodes", "hooks", "mounts" };
static const char *const hook_fields[] = { "hookName", "path", "args", "env", "timeout" };
static const char *const node_fields[] = { "path",     "hostPath",    "type", "major", "minor",
					   "fileMode", "permissions", "uid",  "gid" };
static const char *const mount_fields[] = { "hostPath", "containerPath", "options", "type" };

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct dec {
	struct cdi_spec *s;
	int err; /* -ENOMEM */
};

/* "..." escaped and cut: for messages. */
static void put_q(struct sbuf *sb, const char *s, size_t n)
{
	sbuf_puts(sb, "\"");
	esc_text(sb, s, n > 96 ? 96 : n);
	sbuf_puts(sb, n > 96 ? "...\"" : "\"");
}

static const struct jloc_node *at(const struct dec *d, int i)
{
	return jloc_at(&d->s->doc, i);
}

/*
 * A finding at node n (its key when key is set and it has one). refuse: the
 * loader refuses the file for it; the first such message becomes `refused`.
 */
__attribute__((format(printf, 7, 8)))
static void diag(struct dec *d, const struct jloc_node *n, bool key, enum lint_severity sev,
		 const char *code, int stage, const char *fmt, ...)
{
	struct cdi_spec *s = d->s;
	struct cdi_diag *v, *g;
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	v = msg ? realloc(s->diags, (s->ndiags + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(msg);
		d->err = -ENOMEM;
		return;
	}
	s->diags = v;
	g = &v[s->ndiags++];
	*g = (struct cdi_diag){ .code = code, .sev = sev, .stage = stage, .msg = msg };
	if (n) {
		g->line = key && n->kline ? n->kline : n->line;
		g->col = key && n->kline ? n->kcol : n->col;
	}
	if (sev == LINT_ERROR && !s->refused && !(s->refused = strdup(msg)))
		d->err = -ENOMEM;
}

/* sbuf text as a diag argument (freed by the caller) */
static char *qdup(const char *s, size_t n)
{
	struct sbuf sb;
	char *r;

	sbuf_init(&sb);
	put_q(&sb, s, n);
	r = strdup(sbuf_str(&sb));
	sbuf_free(&sb);
	return r;
}

#define QS __attribute__((cleanup(free_charp))) char *
static void free_charp(char **p)
{
	free(*p);
}

/*
 * The members of object o, matched to fields as Go's encoding/json does
 * (exact, else case folded; the last match wins), with yaml.v2 strict's
 * refusal of duplicate keys and DisallowUnknownFields' of unknown ones.
 * out[i]: the member for field i, or NULL.
 */
static void members(struct dec *d, const struct jloc_node *o, const char *const *fields, int nf,
		    const char *what, const struct jloc_node **out)
{
	const struct jloc_doc *doc = &d->s->doc;

	for (int i = 0; i < nf; i++)
		out[i] = NULL;
	JLOC_FOR_KIDS(doc, o, m) {
		int f = go_field(m, fields, nf);

		for (const struct jloc_node *e = jloc_at(doc, o->first); e != m;
		     e = jloc_at(doc, e->next)) {
			if (e->klen == m->klen && !memcmp(e->key, m->key, m->klen)) {
				QS k = qdup(m->key, m->klen);
				diag(d, m, true, LINT_ERROR, "CDI_DUPLICATE_KEY", -1,
				     "duplicate key %s in %s (first at %u:%u): podman's loader refuses "
				     "the file (yaml: mapping key already defined)",
				     k ? k : "?", what, e->kline, e->kcol);
				break;
			}
		}
		if (f < 0) {
			QS k = qdup(m->key, m->klen);
			const char *dym = did_you_mean(m->key, m->klen, fields, (size_t)nf, NULL);

			diag(d, m, true, LINT_ERROR, "CDI_FIELD_UNKNOWN", -1,
			     "unknown field %s in %s: podman's loader refuses the file (unknown "
			     "field)%s%s%s", k ? k : "?", what, dym ? "; did you mean \"" : "",
			     dym ? dym : "", dym ? "\"?" : "");
			continue;
		}
		if (!jloc_key_is(m, fields[f])) {
			QS k = qdup(m->key, m->klen);
			diag(d, m, true, LINT_INFO, "CDI_FIELD_CASE", -1,
			     "key %s is read as \"%s\" (Go matches keys case-insensitively)",
			     k ? k : "?", fields[f]);
		}
		out[f] = m;
	}
}

static void type_error(struct dec *d, const struct jloc_node *n, const char *field,
		       const char *want)
{
	diag(d, n, false, LINT_ERROR, "CDI_TYPE", -1,
	     "%s must be %s, not %s: podman's loader refuses the file (cannot unmarshal)", field,
	     want, jloc_type_name(n->type));
}

/*
 * A Go string field from a YAML value: sigs.k8s.io/yaml turns a scalar into
 * the string the field wants, null leaves it empty; a sequence or a mapping
 * is a type error. NULL: absent, null or wrong type.
 */
static char *dec_string(struct dec *d, const struct jloc_node *n, const char *field)
{
	char *r;

	if (!n || n->type == JLOC_NULL)
		return NULL;
	if (n->type == JLOC_ARRAY || n->type == JLOC_OBJECT) {
		type_error(d, n, field, "a string");
		return NULL;
	}
	if (n->type == JLOC_TRUE || n->type == JLOC_FALSE)
		r = strdup(n->type == JLOC_TRUE ? "true" : "false");
	else
		r = malloc(n->slen + 1);
	if (r && n->type != JLOC_TRUE && n->type != JLOC_FALSE) {
		memcpy(r, n->str, n->slen);
		r[n->slen] = '\0';
	}
	if (!r)
		d->err = -ENOMEM;
	return r;
}

/* []string: each element as dec_string(); *v NULL when absent or empty. */
static void dec_strs(struct dec *d, const struct jloc_node *n, const char *field, char ***v,
		     size_t *nv)
{
	size_t k = 0;

	*v = NULL;
	*nv = 0;
	if (!n || n->type == JLOC_NULL)
		return;
	if (n->type != JLOC_ARRAY) {
		type_error(d, n, field, "a list of strings");
		return;
	}
	if (!n->nkids)
		return;
	*v = calloc(n->nkids + 1, sizeof(**v));
	if (!*v) {
		d->err = -ENOMEM;
		return;
	}
	JLOC_FOR_KIDS(&d->s->doc, n, e) {
		char *s = dec_string(d, e, field);

		(*v)[k++] = s ? s : strdup("");
		if (!(*v)[k - 1])
			d->err = -ENOMEM;
	}
	*nv = k;
}

/* cdi ValidateEnv: every entry NAME=VALUE with a non-empty NAME. */
static void check_env(struct dec *d, const struct jloc_node *n, char **env, size_t nenv,
		      const char *what, int stage)
{
	const struct jloc_node *e = n && n->type == JLOC_ARRAY ? at(d, n->first) : NULL;

	for (size_t i = 0; i < nenv; i++, e = e ? at(d, e->next) : NULL) {
		const char *eq = strchr(env[i], '=');

		if (eq && eq > env[i])
			continue;
		QS v = qdup(env[i], strlen(env[i]));
		diag(d, e ? e : n, false, LINT_ERROR, "CDI_ENV", stage,
		     "%s env entry %s is not NAME=VALUE: podman's loader refuses the file "
		     "(invalid environment variable)", what, v ? v : "?");
	}
}

static void dec_hook(struct dec *d, const struct jloc_node *n, struct cdi_hook *out)
{
	const struct jloc_node *m[N(hook_fields)];
	const struct jloc_node *t;
	char *name;

	memset(out, 0, sizeof(*out));
	out->stage = -1;
	out->node = (int)(n - d->s->doc.nodes);
	out->name_node = out->path_node = out->args_node = -1;
	out->h.line = n->line;
	out->h.col = n->col;
	if (n->type == JLOC_NULL)
		return;
	if (n->type != JLOC_OBJECT) {
		type_error(d, n, "a hook", "a mapping");
		return;
	}
	members(d, n, hook_fields, N(hook_fields), "a hook", m);
	name = dec_string(d, m[0], "hookName");
	out->h.path = dec_string(d, m[1], "path");
	dec_strs(d, m[2], "hook args", &out->h.args, &out->h.nargs);
	dec_strs(d, m[3], "hook env", &out->h.env, &out->h.nenv);
	if (m[0])
		out->name_node = (int)(m[0] - d->s->doc.nodes);
	if (m[1])
		out->path_node = (int)(m[1] - d->s->doc.nodes);
	if (m[2])
		out->args_node = (int)(m[2] - d->s->doc.nodes);
	t = m[4];
	if (t && t->type != JLOC_NULL) {
		/* *int: an integer that fits, nothing else */
		char *end = NULL;
		long v = t->type == JLOC_NUMBER ? strtol(t->str, &end, 10) : 0;

		if (t->type != JLOC_NUMBER || !end || *end || v < -2147483648L || v > 2147483647L)
			type_error(d, t, "hook timeout", "an integer");
		else {
			out->h.timeout = (int)v;
			out->h.timeout_set = true;
		}
	}
	/* container-edits.go Hook.Validate(): the hook names in validHookNames, exactly */
	if (name)
		out->stage = oci_stage_from_name(name);
	if (out->stage < 0) {
		const struct jloc_node *at_n = m[0] ? m[0] : n;
		const char *dym = name ? did_you_mean(name, strlen(name), oci_stage_names,
							      OCI_STAGE_MAX, NULL) : NULL;
		QS q = name ? qdup(name, strlen(name)) : NULL;

		diag(d, at_n, false, LINT_ERROR, "CDI_HOOK_NAME", dym ? oci_stage_from_name(dym) : -1,
		     "hookName %s is not a hook stage: podman's loader refuses the file (invalid "
		     "hook name)%s%s%s", q ? q : "(missing)", dym ? "; did you mean \"" : "",
		     dym ? dym : "", dym ? "\"?" : "");
	}
	if (!m[1] || m[1]->type == JLOC_NULL || (out->h.path && !*out->h.path))
		diag(d, m[1] ? m[1] : n, false, LINT_ERROR, "HOOK_PATH_REQUIRED", out->stage,
		     "CDI hook without a path: podman's loader refuses the file (invalid hook "
		     "with empty path)");
	check_env(d, m[3], out->h.env, out->h.nenv, "hook", out->stage);
	free(name);
}

/* cdi DeviceNode.Validate() and Mount.Validate(): what refuses the file. */
static void check_node_or_mount(struct dec *d, const struct jloc_node *n, bool mount)
{
	const struct jloc_node *m[N(node_fields)];
	char *a, *b = NULL, *perm = NULL;

	if (n->type != JLOC_OBJECT) {
		if (n->type != JLOC_NULL)
			type_error(d, n, mount ? "a mount" : "a device node", "a mapping");
		return;
	}
	if (mount) {
		members(d, n, mount_fields, N(mount_fields), "a mount", m);
		a = dec_string(d, m[0], "hostPath");
		b = dec_string(d, m[1], "containerPath");
		{
			char **o;
			size_t no;

			dec_strs(d, m[2], "mount options", &o, &no); /* type check only */
			strv_free(o, no);
		}
		if (!a || !*a || !b || !*b)
			diag(d, n, false, LINT_ERROR, "CDI_EDITS", -1,
			     "mount without %s: podman's loader refuses the file",
			     !a || !*a ? "hostPath" : "containerPath");
	} else {
		char *type;

		members(d, n, node_fields, N(node_fields), "a device node", m);
		a = dec_string(d, m[0], "path");
		type = dec_string(d, m[2], "type");
		perm = dec_string(d, m[6], "permissions");
		if (!a || !*a)
			diag(d, n, false, LINT_ERROR, "CDI_EDITS", -1,
			     "device node without a path: podman's loader refuses the file");
		else if (type && *type && (type[1] || !strchr("bcup", type[0])))
			diag(d, m[2], false, LINT_ERROR, "CDI_EDITS", -1,
			     "device node type must be b, c, u or p: podman's loader refuses the file");
		else if (perm && strspn(perm, "rwm") != strlen(perm))
			diag(d, m[6], false, LINT_ERROR, "CDI_EDITS", -1,
			     "device node permissions must be made of r, w and m: podman's loader "
			     "refuses the file");
		free(type);
	}
	free(a);
	free(b);
	free(perm);
}

static void dec_edits(struct dec *d, const struct jloc_node *n, struct cdi_edits *out,
		      const char *what)
{
	const struct jloc_node *m[N(edit_fields)];
	char **env = NULL;
	size_t nenv = 0, k = 0;

	memset(out, 0, sizeof(*out));
	out->node = n ? (int)(n - d->s->doc.nodes) : -1;
	out->empty = true;
	if (!n || n->type == JLOC_NULL)
		return;
	if (n->type != JLOC_OBJECT) {
		type_error(d, n, "containerEdits", "a mapping");
		return;
	}
	members(d, n, edit_fields, N(edit_fields), "containerEdits", m);
	dec_strs(d, m[0], "env", &env, &nenv);
	check_env(d, m[0], env, nenv, what, -1);
	strv_free(env, nenv);
	for (int f = 0; f < 4; f++)
		if (m[f] && m[f]->type == JLOC_ARRAY && m[f]->nkids)
			out->empty = false;
	for (int f = 1; f < 4; f += 2) {
		if (m[f] && m[f]->type != JLOC_ARRAY && m[f]->type != JLOC_NULL)
			type_error(d, m[f], edit_fields[f], "a list");
		else if (m[f])
			JLOC_FOR_KIDS(&d->s->doc, m[f], e)
				check_node_or_mount(d, e, f == 3);
	}
	if (!m[2] || m[2]->type == JLOC_NULL)
		return;
	if (m[2]->type != JLOC_ARRAY) {
		type_error(d, m[2], "hooks", "a list");
		return;
	}
	out->hooks = calloc(m[2]->nkids + 1, sizeof(*out->hooks));
	if (!out->hooks) {
		d->err = -ENOMEM;
		return;
	}
	JLOC_FOR_KIDS(&d->s->doc, m[2], e)
		dec_hook(d, e, &out->hooks[k++]);
	out->nhooks = k;
}

static bool is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9');
}

/*
 * qualified-device.go ValidateVendorName / ValidateClassName /
 * ValidateDeviceName: first a letter (a letter or digit for a device), last
 * a letter or digit, in between letters, digits and `inner`. NULL when
 * valid, else what is wrong.
 */
static const char *name_problem(const char *s, const char *inner, bool digit_first)
{
	size_t n = strlen(s);

	if (!n)
		return "it is empty";
	/* ValidateVendorName/ValidateClassName slice name[1:len-1]: [1:0] panics */
	if (n == 1 && !digit_first)
		return "one character";
	if (digit_first ? !is_alnum(s[0]) : !is_letter(s[0]))
		return digit_first ? "it must start with a letter or digit"
				   : "it must start with a letter";
	for (size_t i = 1; i + 1 < n; i++)
		if (!is_alnum(s[i]) && !strchr(inner, s[i]))
			return "it has a character not allowed there";
	if (!is_alnum(s[n - 1]))
		return "it must end with a letter or digit";
	return NULL;
}

bool cdi_split_qualified(char *buf, const char **vendor, const char **class, const char **name)
{
	char *slash = strchr(buf, '/'), *eq;

	if (!slash)
		return false;
	eq = strchr(slash + 1, '=');
	if (!eq)
		return false;
	*slash = *eq = '\0';
	*vendor = buf;
	*class = slash + 1;
	*name = eq + 1;
	return !name_problem(*vendor, "_-.", false) && !name_problem(*class, "_-", false) &&
	       !name_problem(*name, "_-.:", true);
}

static void check_kind(struct dec *d, const struct jloc_node *kn)
{
	struct cdi_spec *s = d->s;
	const char *slash = s->kind ? strchr(s->kind, '/') : NULL;
	const char *why;

	if (!s->kind || !*s->kind) {
		diag(d, kn, false, LINT_ERROR, "CDI_KIND", -1,
		     "no kind (VENDOR/CLASS): podman's loader refuses the file");
		return;
	}
	/* ParseQualifier: vendor and class around the first '/', both non-empty */
	if (!slash || slash == s->kind || !slash[1]) {
		QS k = qdup(s->kind, strlen(s->kind));
		diag(d, kn, false, LINT_ERROR, "CDI_KIND", -1,
		     "kind %s is not VENDOR/CLASS: podman's loader refuses the file", k ? k : "?");
		return;
	}
	s->vendor = strndup(s->kind, (size_t)(slash - s->kind));
	s->class = strdup(slash + 1);
	if (!s->vendor || !s->class) {
		d->err = -ENOMEM;
		return;
	}
	if (strlen(s->vendor) == 1 || strlen(s->class) == 1) {
		QS k = qdup(s->kind, strlen(s->kind));
		diag(d, kn, false, LINT_ERROR, "CDI_KIND", -1,
		     "kind %s has a one-character %s: podman 4.3 crashes (panic: slice bounds out "
		     "of range, in ValidateVendorName/ValidateClassName) on every --device "
		     "VENDOR/CLASS=NAME while this file is installed", k ? k : "?",
		     strlen(s->vendor) == 1 ? "vendor" : "class");
	} else if ((why = name_problem(s->vendor, "_-.", false))) {
		QS v = qdup(s->vendor, strlen(s->vendor));
		diag(d, kn, false, LINT_ERROR, "CDI_KIND", -1,
		     "vendor %s of kind: %s (letters, digits, '_', '-' and '.'): podman's loader "
		     "refuses the file", v ? v : "?", why);
	} else if ((why = name_problem(s->class, "_-", false))) {
		QS c = qdup(s->class, strlen(s->class));
		diag(d, kn, false, LINT_ERROR, "CDI_KIND", -1,
		     "class %s of kind: %s (letters, digits, '_' and '-'): podman's loader refuses "
		     "the file", c ? c : "?", why);
	}
}

static void dec_devices(struct dec *d, const struct jloc_node *n)
{
	struct cdi_spec *s = d->s;
	size_t k = 0;

	if (!n || n->type == JLOC_NULL || (n->type == JLOC_ARRAY && !n->nkids)) {
		diag(d, n, true, LINT_WARNING, "CDI_DEVICES", -1,
		     "no devices: no --device can name this spec, so none of its edits is ever "
		     "applied");
		return;
	}
	if (n->type != JLOC_ARRAY) {
		type_error(d, n, "devices", "a list");
		return;
	}
	s->dev = calloc(n->nkids + 1, sizeof(*s->dev));
	if (!s->dev) {
		d->err = -ENOMEM;
		return;
	}
	JLOC_FOR_KIDS(&s->doc, n, e) {
		const struct jloc_node *m[N(dev_fields)];
		struct cdi_device *v = &s->dev[k++];
		const char *why;

		v->node = (int)(e - s->doc.nodes);
		if (e->type != JLOC_OBJECT) {
			type_error(d, e, "a device", "a mapping");
			continue;
		}
		members(d, e, dev_fields, N(dev_fields), "a device", m);
		v->name = dec_string(d, m[0], "name");
		dec_edits(d, m[1], &v->edits, "device");
		/* device.go validate(): a valid name, edits not empty; spec.go: names unique */
		if ((why = name_problem(v->name ? v->name : "", "_-.:", true))) {
			QS q = v->name ? qdup(v->name, strlen(v->name)) : NULL;
			diag(d, m[0] ? m[0] : e, false, LINT_ERROR, "CDI_DEVICE_NAME", -1,
			     "device name %s: %s (letters, digits, '_', '-', '.' and ':'): podman's "
			     "loader refuses the file", q ? q : "(missing)", why);
		}
		for (size_t j = 0; v->name && j + 1 < k; j++) {
			if (!s->dev[j].name || strcmp(s->dev[j].name, v->name))
				continue;
			QS q = qdup(v->name, strlen(v->name));
			diag(d, m[0], false, LINT_ERROR, "CDI_DEVICE_NAME", -1,
			     "device %s is defined twice: podman's loader refuses the file (multiple "
			     "device)", q ? q : "?");
			break;
		}
		if (v->edits.empty)
			diag(d, m[1] ? m[1] : e, !m[1], LINT_ERROR, "CDI_DEVICE_EDITS", -1,
			     "device without containerEdits (env, deviceNodes, hooks or mounts): "
			     "podman's loader refuses the file (empty device edits)");
	}
	s->ndev = k;
}

static void decode(struct dec *d)
{
	struct cdi_spec *s = d->s;
	const struct jloc_node *root = &s->doc.nodes[0];
	const struct jloc_node *m[N(spec_fields)];
	bool ok = false;

	if (root->type != JLOC_OBJECT) {
		diag(d, root, false, LINT_ERROR, "CDI_NOT_OBJECT",
		     -1, "a CDI spec must be a mapping, not %s: podman's loader refuses the file",
		     jloc_type_name(root->type));
		return;
	}
	members(d, root, spec_fields, N(spec_fields), "the spec", m);
	s->version = dec_string(d, m[0], "cdiVersion");
	s->kind = dec_string(d, m[1], "kind");
	for (int i = 0; s->version && i < N(versions); i++)
		ok |= !strcmp(s->version, versions[i]);
	if (!ok) {
		QS v = s->version ? qdup(s->version, strlen(s->version)) : NULL;
		diag(d, m[0] ? m[0] : root, false, LINT_ERROR, "CDI_VERSION", -1,
		     "cdiVersion %s is not one podman 4.3 knows (0.1.0 to 0.5.0): its loader "
		     "refuses the file (invalid version)", v ? v : "(missing)");
	}
	check_kind(d, m[1] ? m[1] : root);
	dec_edits(d, m[3], &s->edits, "spec");
	dec_devices(d, m[2] ? m[2] : root);
}

int cdi_parse(const char *file, const char *buf, size_t len, struct cdi_spec *out)
{
	struct dec d = { .s = out };

	memset(out, 0, sizeof(*out));
	out->file = strdup(file);
	if (!out->file)
		return -ENOMEM;
	out->syntax = yloc_parse(&out->doc, buf, len);
	if (out->syntax == -ENOMEM)
		return -ENOMEM;
	if (out->syntax) {
		struct sbuf sb;

		sbuf_init(&sb);
		if (out->syntax == -ENOTSUP)
			sbuf_puts(&sb, "hooksnoop does not expand YAML aliases: not checked further");
		else if (out->syntax == -ENODATA)
			sbuf_puts(&sb, "no document: podman's loader refuses the file (no Spec data)");
		else
			sbuf_addf(&sb, "not valid YAML or JSON (%s): podman's loader refuses the file",
				  out->doc.err ? out->doc.err : "?");
		diag(&d, NULL, false, out->syntax == -ENOTSUP ? LINT_WARNING : LINT_ERROR,
		     out->syntax == -ENOTSUP ? "CDI_UNSUPPORTED" : "CDI_SYNTAX", -1, "%s",
		     sbuf_str(&sb));
		sbuf_free(&sb);
		if (out->ndiags) {
			out->diags[out->ndiags - 1].line = out->doc.err_line;
			out->diags[out->ndiags - 1].col = out->doc.err_col;
		}
		if (out->syntax == -ENOTSUP && !out->refused)
			out->refused = strdup("not checked (YAML aliases)");
		return d.err;
	}
	decode(&d);
	return d.err;
}

static void edits_free(struct cdi_edits *e)
{
	for (size_t i = 0; i < e->nhooks; i++)
		oci_hook_free(&e->hooks[i].h);
	free(e->hooks);
}

void cdi_spec_free(struct cdi_spec *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ndev; i++) {
		free(s->dev[i].name);
		edits_free(&s->dev[i].edits);
	}
	free(s->dev);
	edits_free(&s->edits);
	for (size_t i = 0; i < s->ndiags; i++)
		free(s->diags[i].msg);
	free(s->diags);
	jloc_free(&s->doc);
	free(s->file);
	free(s->version);
	free(s->kind);
	free(s->vendor);
	free(s->class);
	free(s->refused);
	memset(s, 0, sizeof(*s));
}

bool cdi_looks_like_spec(const char *name, const char *buf, size_t len)
{
	size_t n = strlen(name);

	if ((n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")))
		return true;
	/* JSON: a "cdiVersion" key and no "ociVersion" (a config.json's) */
	return memmem(buf, len, "\"cdiVersion\"", 12) && !memmem(buf, len, "\"ociVersion\"", 12);
}

/* ---- the spec directories ---- */

static int registry_put(struct cdi_registry *reg, struct cdi_spec *s)
{
	struct cdi_spec **v = realloc(reg->v, (reg->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	reg->v = v;
	v[reg->n++] = s;
	return 0;
}

static int load_dir(const struct sr_root *r, int dfd, const char *dir, int prio,
		    struct cdi_registry *reg)
{
	char **names = NULL;
	size_t n = 0;
	int err = sr_list(dfd, false, CDI_FILES_MAX, &names, &n);

	for (size_t i = 0; !err && i < n; i++) {
		size_t l = strlen(names[i]), blen;
		char *buf = NULL, *full = NULL;
		struct cdi_spec *s;

		/* spec-dirs.go scanSpecDirs: *.json and *.yaml, not in subdirectories */
		if (!(l > 5 && !strcmp(names[i] + l - 5, ".json")) &&
		    !(l > 5 && !strcmp(names[i] + l - 5, ".yaml")))
			continue;
		err = sr_read(NULL, dfd, names[i], CDI_READ_MAX, &buf, &blen, NULL);
		if (err) {
			err = err == -ENOMEM ? err : 0; /* podman could not load it either */
			continue;
		}
		s = calloc(1, sizeof(*s));
		if (!s || asprintf(&full, "%s/%s", dir, names[i]) < 0) {
			free(s);
			free(buf);
			err = -ENOMEM;
			break;
		}
		err = cdi_parse(full, buf, blen, s);
		s->priority = prio;
		free(full);
		free(buf);
		if (!err)
			err = registry_put(reg, s);
		if (err) {
			cdi_spec_free(s);
			free(s);
		}
	}
	sr_names_free(names, n);
	(void)r;
	return err;
}

int cdi_registry_load(const struct sr_root *r, const char *const *dirs, size_t ndirs,
		      struct cdi_registry *reg)
{
	int err = 0;

	memset(reg, 0, sizeof(*reg));
	for (size_t i = 0; i < ndirs && !err; i++) {
		int dfd;

		err = sr_opendir(r, -1, dirs[i], &dfd);
		if (err == -ENOENT || err == -ENOTDIR) {
			err = 0; /* a missing directory is skipped */
			continue;
		}
		if (err)
			break;
		err = load_dir(r, dfd, dirs[i], (int)i, reg);
		close(dfd);
	}
	if (err)
		cdi_registry_free(reg);
	return err;
}

void cdi_registry_free(struct cdi_registry *reg)
{
	for (size_t i = 0; i < reg->n; i++) {
		cdi_spec_free(reg->v[i]);
		free(reg->v[i]);
	}
	free(reg->v);
	memset(reg, 0, sizeof(*reg));
}

const struct cdi_device *cdi_resolve(const struct cdi_registry *reg, const char *qualified,
				     const struct cdi_spec **spec)
{
	const struct cdi_device *best = NULL;
	const struct cdi_spec *bs = NULL;
	const char *vendor, *class, *name;
	bool conflict = false;
	char *buf = strdup(qualified);

	*spec = NULL;
	if (!buf || !cdi_split_qualified(buf, &vendor, &class, &name)) {
		free(buf);
		return NULL;
	}
	/* cache.go refresh(): a higher priority wins; the same priority twice is a conflict */
	for (size_t i = 0; i < reg->n; i++) {
		const struct cdi_spec *s = reg->v[i];

		if (s->refused || !s->vendor || strcmp(s->vendor, vendor) || strcmp(s->class, class))
			continue;
		for (size_t j = 0; j < s->ndev; j++) {
			if (!s->dev[j].name || strcmp(s->dev[j].name, name))
				continue;
			if (bs && bs->priority == s->priority) {
				conflict = true;
			} else if (!bs || s->priority > bs->priority) {
				best = &s->dev[j];
				bs = s;
				conflict = false;
			}
		}
	}
	free(buf);
	if (conflict)
		return NULL;
	*spec = bs;
	return best;
}
