// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * runc's reading of a config.json: Go's encoding/json decoding specs.Spec,
 * with every observable quirk verified against runc 1.1.5 / Go 1.19 on the
 * test machines: case-insensitive keys with exact match preferred, the last
 * duplicate wins but is decoded on top of the earlier value (a second
 * "poststart" array reuses the first one's elements, so fields it does not
 * set survive), null resets slices and pointers, and a type error anywhere
 * makes runc refuse the whole config while decoding goes on. The decoding
 * primitives (strings, []string, hook objects, map[string]string, type
 * errors, duplicate and folded keys as diagnostics) are also podman's, and
 * hooksd.c decodes hooks.d files with them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "escape.h"
#include "oci_int.h"
#include "util.h"

struct go_hooks {
	struct go_hook *v;
	size_t len, cap;
};

/* Record a diagnostic about node n; NULL when not recording (or out of memory). */
struct oci_diag *go_diag_add(struct go_ctx *c, enum oci_diag_kind kind, enum oci_schema schema,
			     const struct jloc_node *n)
{
	struct oci_diag *d;

	if (!c->diags)
		return NULL;
	d = diags_push(c->diags, kind, OCI_DIALECT_GO, schema, node_of(c, n));
	if (!d)
		c->nomem = -ENOMEM;
	return d;
}

static void go_diag(struct go_ctx *c, enum oci_schema schema, const struct jloc_node *m,
		    int stage, const char *field)
{
	struct oci_diag *d = go_diag_add(c, OCI_DIAG_KEY_FOLDED, schema, m);

	if (d) {
		d->stage = stage;
		d->field = field;
	}
}

/*
 * go_field that records a key matched only by folding, or by nothing. The
 * diagnostics of one object are then told which member Go keeps per field
 * (the last one).
 */
static int go_field_diag(struct go_ctx *c, const struct jloc_node *m, const char *const *fields,
			 int nfields, enum oci_schema schema, int stage)
{
	int f = go_field(m, fields, nfields);
	struct oci_diag *d;

	if (f >= 0 && !jloc_key_is(m, fields[f]))
		go_diag(c, schema, m, schema == OCI_SCHEMA_HOOKS ? f : stage, fields[f]);
	else if (f < 0 && (d = go_diag_add(c, OCI_DIAG_KEY_UNKNOWN, schema, m)))
		d->stage = stage;
	return f;
}

static int key_cmp(const struct jloc_node *a, const struct jloc_node *b)
{
	size_t l = a->klen < b->klen ? a->klen : b->klen;
	int r = memcmp(a->key, b->key, l);

	return r ? r : (a->klen > b->klen) - (a->klen < b->klen);
}

static int dup_sort_cmp(const void *x, const void *y)
{
	const struct jloc_node *a = *(const struct jloc_node *const *)x;
	const struct jloc_node *b = *(const struct jloc_node *const *)y;
	int r = key_cmp(a, b);

	return r ? r : (a > b) - (a < b);
}

/*
 * Every later occurrence of a key in object o, pointing at the first: the
 * member the exact dialect keeps, while Go decodes each on top of the last.
 * Sorting keeps a hostile object with many keys O(n log n).
 */
void go_diag_dups(struct go_ctx *c, const struct jloc_node *o, enum oci_schema schema)
{
	const struct jloc_node **v;
	size_t n = 0, first = 0;

	if (!c->diags || o->type != JLOC_OBJECT || o->nkids < 2)
		return;
	v = malloc((size_t)o->nkids * sizeof(*v));
	if (!v) {
		c->nomem = -ENOMEM;
		return;
	}
	JLOC_FOR_KIDS(c->doc, o, m)
		v[n++] = m;
	qsort(v, n, sizeof(*v), dup_sort_cmp);
	for (size_t i = 1; i < n; i++) {
		struct oci_diag *d;

		if (key_cmp(v[first], v[i])) {
			first = i;
			continue;
		}
		d = go_diag_add(c, OCI_DIAG_DUPLICATE, schema, v[i]);
		if (d)
			d->first = node_of(c, v[first]);
	}
	free(v);
}

/*
 * Point the schema's diagnostics recorded since `from` (members of o) at the
 * last member of o that Go maps to the same field: the one whose value stays.
 */
static void go_diag_winners_schema(struct go_ctx *c, const struct jloc_node *o, size_t from,
				   enum oci_schema schema, const char *const *fields, int nfields)
{
	int last[OCI_STAGE_MAX + 8];

	if (!c->diags || nfields > (int)(sizeof(last) / sizeof(last[0])))
		return;
	for (int i = 0; i < nfields; i++)
		last[i] = -1;
	JLOC_FOR_KIDS(c->doc, o, m) {
		int f = go_field(m, fields, nfields);

		if (f >= 0)
			last[f] = (int)(m - c->doc->nodes);
	}
	for (size_t i = from; i < c->diags->n; i++) {
		struct oci_diag *d = &c->diags->v[i];

		for (int f = 0; f < nfields; f++)
			if (d->schema == schema && d->field == fields[f] && last[f] >= 0)
				d->winner = last[f];
	}
}

void go_type_error(struct go_ctx *c, const struct jloc_node *n, const char *field,
		   const char *gotype)
{
	struct oci_diag *d = go_diag_add(c, OCI_DIAG_TYPE, c->schema, n);
	struct sbuf sb;

	if (d)
		d->want = gotype;
	if (c->err)
		return;
	sbuf_init(&sb);
	sbuf_addf(&sb, "json: cannot unmarshal %s into Go struct field %s of type %s (line %u)",
		  jloc_type_name(n->type), field, gotype, n->line);
	c->err = sb.oom ? NULL : sb.buf;
	if (!c->err)
		sbuf_free(&sb);
}

void go_strs_free(struct go_strs *s)
{
	strv_free(s->v, s->cap);
	free(s->node);
	memset(s, 0, sizeof(*s));
}

void go_hook_clear(struct go_hook *h)
{
	free(h->path);
	go_strs_free(&h->args);
	go_strs_free(&h->env);
	memset(h, 0, sizeof(*h));
}

static void go_hooks_free(struct go_hooks *s)
{
	for (size_t i = 0; i < s->cap; i++)
		go_hook_clear(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int go_string(struct go_ctx *c, const struct jloc_node *n, char **dst, const char *field)
{
	if (n->type == JLOC_NULL)
		return 0;	/* null into a string: no-op */
	if (n->type != JLOC_STRING) {
		go_type_error(c, n, field, "string");
		return 0;
	}
	free(*dst);
	*dst = mem_strdup(n->str, n->slen);
	return *dst ? 0 : -ENOMEM;
}

/* Grow a Go slice backing to hold index i, reflect-style (cap += cap/2, min 4). */
static int go_grow(void **v, size_t *cap, size_t elem, size_t i)
{
	size_t ncap;
	char *nv;

	if (i < *cap)
		return 0;
	ncap = *cap + *cap / 2;
	if (ncap < 4)
		ncap = 4;
	if (ncap <= i)
		ncap = i + 1;
	nv = realloc(*v, ncap * elem);
	if (!nv)
		return -ENOMEM;
	memset(nv + *cap * elem, 0, (ncap - *cap) * elem);
	*v = nv;
	*cap = ncap;
	return 0;
}

int go_strs(struct go_ctx *c, const struct jloc_node *n, struct go_strs *s, const char *field)
{
	size_t i = 0;
	int err;

	if (n->type == JLOC_NULL) {
		go_strs_free(s);
		return 0;
	}
	if (n->type != JLOC_ARRAY) {
		go_type_error(c, n, field, "[]string");
		return 0;
	}
	JLOC_FOR_KIDS(c->doc, n, e) {
		size_t cap0 = s->cap;

		err = go_grow((void **)&s->v, &s->cap, sizeof(char *), i);
		if (err)
			return err;
		if (s->cap != cap0) {
			int *nn = realloc(s->node, s->cap * sizeof(int));

			if (!nn)
				return -ENOMEM;
			memset(nn + cap0, 0, (s->cap - cap0) * sizeof(int));
			s->node = nn;
		}
		if (i >= s->len)
			s->len = i + 1;	/* exposes whatever the backing held there */
		s->node[i] = node_of(c, e);
		err = go_string(c, e, &s->v[i], field);
		if (err)
			return err;
		i++;
	}
	if (i < s->len)
		s->len = i;
	if (i == 0) {
		go_strs_free(s);	/* a fresh empty slice */
	}
	return 0;
}

static int go_timeout(struct go_ctx *c, const struct jloc_node *n, struct go_hook *h,
		      const char *field)
{
	char *end;
	long long v;

	if (n->type == JLOC_NULL) {
		h->has_timeout = false;
		return 0;
	}
	if (n->type != JLOC_NUMBER || strpbrk(n->str, ".eE")) {
		go_type_error(c, n, field, "int");
		return 0;
	}
	errno = 0;
	v = strtoll(n->str, &end, 10);
	if (errno || *end) {
		go_type_error(c, n, field, "int");
		return 0;
	}
	h->has_timeout = true;
	h->timeout = v;
	return 0;
}

int go_hook_obj(struct go_ctx *c, const struct jloc_node *n, struct go_hook *h, const char *what,
		int stage)
{
	char field[64];
	int err = 0;

	if (n->type == JLOC_NULL)
		return 0;
	if (n->type != JLOC_OBJECT) {
		go_type_error(c, n, what, "specs.Hook");
		h->bad = true;
		return 0;
	}
	h->line = n->line;
	h->col = n->col;
	h->obj = node_of(c, n);
	go_diag_dups(c, n, OCI_SCHEMA_HOOK);
	JLOC_FOR_KIDS(c->doc, n, m) {
		int f = go_field_diag(c, m, oci_hook_fields.names, oci_hook_fields.n,
				      OCI_SCHEMA_HOOK, stage);

		if (f < 0)
			continue;
		snprintf(field, sizeof(field), "%s.%s", what, oci_hook_fields.names[f]);
		switch (f) {
		case HOOK_PATH:
			h->path_node = node_of(c, m);
			h->bad |= m->type != JLOC_STRING && m->type != JLOC_NULL;
			err = go_string(c, m, &h->path, field);
			break;
		case HOOK_ARGS: err = go_strs(c, m, &h->args, field); break;
		case HOOK_ENV: err = go_strs(c, m, &h->env, field); break;
		case HOOK_TIMEOUT: err = go_timeout(c, m, h, field); break;
		}
		if (err)
			return err;
	}
	return 0;
}

static int go_hook_slice(struct go_ctx *c, const struct jloc_node *n, struct go_hooks *s,
			 const char *what, int stage)
{
	size_t i = 0;
	int err;

	if (n->type == JLOC_NULL) {
		go_hooks_free(s);
		return 0;
	}
	if (n->type != JLOC_ARRAY) {
		go_type_error(c, n, what, "[]specs.Hook");
		return 0;
	}
	JLOC_FOR_KIDS(c->doc, n, e) {
		err = go_grow((void **)&s->v, &s->cap, sizeof(struct go_hook), i);
		if (err)
			return err;
		if (i >= s->len)
			s->len = i + 1;
		s->v[i].elem = node_of(c, e);
		/* decoded on top of the element already there: fields merge */
		err = go_hook_obj(c, e, &s->v[i], what, stage);
		if (err)
			return err;
		i++;
	}
	if (i < s->len)
		s->len = i;
	if (i == 0)
		go_hooks_free(s);
	return 0;
}

int go_hook_export(const struct go_hook *g, struct oci_hook *o)
{
	memset(o, 0, sizeof(*o));
	o->line = g->line;
	o->col = g->col;
	o->timeout_set = g->has_timeout;
	o->timeout = g->timeout > INT_MAX ? INT_MAX : g->timeout < INT_MIN ? INT_MIN
									: (int)g->timeout;
	o->path = strdup(g->path ? g->path : "");
	if (!o->path || strv_dup(g->args.v, g->args.len, &o->args) ||
	    strv_dup(g->env.v, g->env.len, &o->env)) {
		oci_hook_free(o);
		return -ENOMEM;
	}
	o->nargs = g->args.len;
	o->nenv = g->env.len;
	return 0;
}

/* One key of a go_map: where it is in k[] (the key bytes are k[i]'s, klen of them). */
struct go_map_ent {
	size_t i;
	UT_hash_handle hh;
};

void go_map_free(struct go_map *m)
{
	struct go_map_ent *e, *tmp;

	HASH_ITER(hh, m->idx, e, tmp) {
		HASH_DEL(m->idx, e);
		free(e);
	}
	strv_free(m->k, m->n);
	strv_free(m->v, m->n);
	free(m->kn);
	free(m->vn);
	memset(m, 0, sizeof(*m));
}

/* Room for one more key: the arrays grow geometrically, together. */
static int go_map_grow(struct go_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 8;
	char **nk, **nv;
	int *nn;

	if (m->n < m->cap)
		return 0;
	nk = realloc(m->k, cap * sizeof(char *));
	if (!nk)
		return -ENOMEM;
	m->k = nk;
	nv = realloc(m->v, cap * sizeof(char *));
	if (!nv)
		return -ENOMEM;
	m->v = nv;
	nn = realloc(m->kn, cap * sizeof(int));
	if (!nn)
		return -ENOMEM;
	m->kn = nn;
	nn = realloc(m->vn, cap * sizeof(int));
	if (!nn)
		return -ENOMEM;
	m->vn = nn;
	m->cap = cap;
	return 0;
}

bool go_map_has(const struct go_map *m, const char *k, size_t klen)
{
	struct go_map_ent *e;

	HASH_FIND(hh, m->idx, k, klen, e);
	return e;
}

int go_map_put(struct go_map *m, const char *k, size_t klen, const char *v, size_t vlen, int node)
{
	struct go_map_ent *e;
	size_t i;

	HASH_FIND(hh, m->idx, k, klen, e);
	if (e) {
		i = e->i;
	} else {
		if (go_map_grow(m))
			return -ENOMEM;
		e = malloc(sizeof(*e));
		if (!e)
			return -ENOMEM;
		i = m->n;
		m->k[i] = mem_strdup(k, klen);
		if (!m->k[i]) {
			free(e);
			return -ENOMEM;
		}
		m->v[i] = NULL;
		m->kn[i] = node;
		m->n++;
		e->i = i;
		HASH_ADD_KEYPTR(hh, m->idx, m->k[i], klen, e);
	}
	m->vn[i] = node;
	free(m->v[i]);
	m->v[i] = mem_strdup(v, vlen);
	return m->v[i] ? 0 : -ENOMEM;
}

int go_map_obj(struct go_ctx *c, const struct jloc_node *n, struct go_map *m, const char *field)
{
	int err;

	if (n->type == JLOC_NULL) {
		go_map_free(m);
		return 0;
	}
	if (n->type != JLOC_OBJECT) {
		go_type_error(c, n, field, "map[string]string");
		return 0;
	}
	m->set = true;
	JLOC_FOR_KIDS(c->doc, n, e) {
		if (e->type == JLOC_STRING)
			err = go_map_put(m, e->key, e->klen, e->str, e->slen, node_of(c, e));
		else {
			if (e->type != JLOC_NULL)
				go_type_error(c, e, field, "string");
			err = go_map_put(m, e->key, e->klen, "", 0, node_of(c, e));
		}
		if (err)
			return err;
	}
	return 0;
}

struct go_spec {
	bool has_hooks;
	struct go_hooks stage[OCI_STAGE_MAX];
	char *root_path;
	struct go_strs proc_args;
	struct go_map ann;
};

static void go_spec_free(struct go_spec *s)
{
	for (int i = 0; i < OCI_STAGE_MAX; i++)
		go_hooks_free(&s->stage[i]);
	free(s->root_path);
	go_strs_free(&s->proc_args);
	go_map_free(&s->ann);
}

static const char *const go_spec_fields[] = { "hooks", "root", "process", "annotations" };

/*
 * Duplicate top-level "hooks" keys (exactly "hooks": other duplicates there
 * are not hooks, and folded spellings are their own diagnostic).
 */
static void go_diag_hooks_dups(struct go_ctx *c, const struct jloc_node *root)
{
	int first = 0;

	JLOC_FOR_KIDS(c->doc, root, m) {
		struct oci_diag *d;

		if (!jloc_key_is(m, "hooks"))
			continue;
		if (!first) {
			first = node_of(c, m);
			continue;
		}
		d = go_diag_add(c, OCI_DIAG_DUPLICATE, OCI_SCHEMA_SPEC, m);
		if (d)
			d->first = first;
	}
}

/*
 * The hooks runc ends up with that have no path (never a string, and no type
 * error that makes runc refuse the config first): runc runs them and they
 * fail. Said on the last object decoded into the hook, or its null element.
 */
static void go_diag_no_path(struct go_ctx *c, const struct go_spec *s)
{
	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		for (size_t i = 0; i < s->stage[st].len; i++) {
			const struct go_hook *h = &s->stage[st].v[i];
			int at = h->obj ? h->obj : h->elem;
			struct oci_diag *d;

			if (h->path || h->bad || !at)
				continue;
			d = go_diag_add(c, OCI_DIAG_REQUIRED, OCI_SCHEMA_HOOK, &c->doc->nodes[at]);
			if (d) {
				d->stage = st;
				d->field = "path";
			}
		}
	}
}

static int go_decode_spec(struct go_ctx *c, const struct jloc_node *root, struct go_spec *s)
{
	char what[64];
	int err = 0;

	if (root->type != JLOC_OBJECT) {
		go_type_error(c, root, "(config)", "specs.Spec");
		return 0;
	}
	go_diag_hooks_dups(c, root);
	JLOC_FOR_KIDS(c->doc, root, m) {
		/* only "hooks" is ours to report: root, process, annotations are read as is */
		int f = go_field(m, go_spec_fields, 4);

		if (f == 0)
			go_field_diag(c, m, go_spec_fields, 1, OCI_SCHEMA_SPEC, -1);
		switch (f) {
		case 0:
			if (m->type == JLOC_NULL) {
				for (int i = 0; i < OCI_STAGE_MAX; i++)
					go_hooks_free(&s->stage[i]);
				s->has_hooks = false;
			} else if (m->type != JLOC_OBJECT) {
				go_type_error(c, m, "Spec.hooks", "specs.Hooks");
			} else {
				/* a non-nil *Hooks is reused: duplicate "hooks" objects merge */
				size_t h0 = c->diags ? c->diags->n : 0;

				s->has_hooks = true;
				go_diag_dups(c, m, OCI_SCHEMA_HOOKS);
				JLOC_FOR_KIDS(c->doc, m, st) {
					int sf = go_field_diag(c, st, oci_stage_names, OCI_STAGE_MAX,
							       OCI_SCHEMA_HOOKS, -1);

					if (sf < 0)
						continue;
					snprintf(what, sizeof(what), "Hooks.hooks.%s", oci_stage_names[sf]);
					err = go_hook_slice(c, st, &s->stage[sf], what, sf);
					if (err)
						return err;
				}
				go_diag_winners_schema(c, m, h0, OCI_SCHEMA_HOOKS, oci_stage_names,
						       OCI_STAGE_MAX);
			}
			break;
		case 1:
			if (m->type == JLOC_OBJECT) {
				JLOC_FOR_KIDS(c->doc, m, r) {
					static const char *const rf[] = { "path" };

					if (go_field(r, rf, 1) == 0) {
						err = go_string(c, r, &s->root_path, "Root.root.path");
						if (err)
							return err;
					}
				}
			} else if (m->type == JLOC_NULL) {
				free(s->root_path);
				s->root_path = NULL;
			} else {
				go_type_error(c, m, "Spec.root", "specs.Root");
			}
			break;
		case 2:
			if (m->type == JLOC_OBJECT) {
				JLOC_FOR_KIDS(c->doc, m, p) {
					static const char *const pf[] = { "args" };

					if (go_field(p, pf, 1) == 0) {
						err = go_strs(c, p, &s->proc_args, "Process.process.args");
						if (err)
							return err;
					}
				}
			} else if (m->type == JLOC_NULL) {
				go_strs_free(&s->proc_args);
			} else {
				go_type_error(c, m, "Spec.process", "specs.Process");
			}
			break;
		case 3:
			err = go_map_obj(c, m, &s->ann, "Spec.annotations");
			if (err)
				return err;
			break;
		default:
			break;
		}
	}
	return 0;
}

int from_doc_go(const struct jloc_doc *doc, struct oci_hooks *out, struct oci_diags *diags)
{
	struct go_ctx c = { .doc = doc, .diags = diags, .schema = OCI_SCHEMA_SPEC };
	struct go_spec s = { 0 };
	int err;

	err = go_decode_spec(&c, &doc->nodes[0], &s);
	if (!err)
		go_diag_no_path(&c, &s);
	for (int st = 0; !err && st < OCI_STAGE_MAX; st++) {
		if (!s.stage[st].len)
			continue;
		out->v[st] = calloc(s.stage[st].len, sizeof(struct oci_hook));
		if (!out->v[st]) {
			err = -ENOMEM;
			break;
		}
		for (size_t i = 0; !err && i < s.stage[st].len; i++) {
			err = go_hook_export(&s.stage[st].v[i], &out->v[st][i]);
			if (!err)
				out->n[st]++;
		}
	}
	if (!err && s.root_path && !(out->rootfs = strdup(s.root_path)))
		err = -ENOMEM;
	if (!err && !strv_dup(s.proc_args.v, s.proc_args.len, &out->proc_args))
		out->nproc_args = s.proc_args.len;
	if (!err && !strv_dup(s.ann.k, s.ann.n, &out->ann_keys) &&
	    !strv_dup(s.ann.v, s.ann.n, &out->ann_vals))
		out->nann = s.ann.n;
	out->refused = c.err;
	if (!err)
		err = c.nomem;
	go_spec_free(&s);
	return err;
}
