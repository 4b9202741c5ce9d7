// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The OCI hook model: config.json hooks decoded the way crun (exact keys,
 * first duplicate wins) or runc (Go encoding/json) decodes them, plus podman's
 * hooks.d files and their "when" rule. The Go half reproduces the decoder's
 * observable quirks, each verified against runc 1.1.5 / Go 1.19 on the test
 * machines: case-insensitive keys with exact match preferred, the last
 * duplicate wins but is decoded on top of the earlier value (a second
 * "poststart" array reuses the first one's elements, so fields it does not set
 * survive), null resets slices and pointers, and a type error anywhere makes
 * runc refuse the whole config while decoding goes on. The crun half follows
 * libocispec as observed on crun 1.8.1: wrong-typed stages and args are
 * ignored, non-string args become "", an entry without a string path or with a
 * non-integer timeout makes crun refuse the config.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"
#include "goregex.h"
#include "oci.h"
#include "saferead.h"
#include "util.h"

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


static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int strv_dup(char **src, size_t n, char ***dst)
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
static int go_field(const struct jloc_node *m, const char *const *fields, int nfields)
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


/* ---- the Go decoder ---- */

/*
 * Member node indices below use 0 for "none": node 0 is the document's root,
 * never a member or an element.
 */
struct go_strs {
	char **v;
	int *node;	/* the element each string came from */
	size_t len, cap;
};

struct go_hook {
	char *path;
	struct go_strs args, env;
	bool has_timeout;
	long long timeout;
	unsigned line, col;
	int obj;	/* the (last) object decoded into it */
	int elem;	/* the last array element decoded into it (config.json) */
	int path_node;	/* the last "path" member */
	/* a type error in an entry or its path: runc refuses the config, a missing path is moot */
	bool bad;
};

struct go_hooks {
	struct go_hook *v;
	size_t len, cap;
};

struct go_ctx {
	const struct jloc_doc *doc;
	char *err;	/* first type error, like json.Unmarshal's return value */
	struct oci_diags *diags;	/* where diagnostics go, or NULL */
	enum oci_schema schema;	/* what type errors are recorded under */
	int nomem;	/* a diagnostic could not be recorded */
};

static int node_of(const struct go_ctx *c, const struct jloc_node *n)
{
	return (int)(n - c->doc->nodes);
}

/* Append a diagnostic about node; NULL when out of memory. */
static struct oci_diag *diags_push(struct oci_diags *d, enum oci_diag_kind kind,
				   enum oci_dialect dialect, enum oci_schema schema, int node)
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

/* Record a diagnostic about node n; NULL when not recording (or out of memory). */
static struct oci_diag *go_diag_add(struct go_ctx *c, enum oci_diag_kind kind,
				    enum oci_schema schema, const struct jloc_node *n)
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

static int diag_node_cmp(const void *x, const void *y)
{
	const struct oci_diag *a = x, *b = y;

	return (a->node > b->node) - (a->node < b->node);
}

/* Group the diagnostics by node (recording order kept within a node) and index them. */
static int diags_index(struct oci_diags *d, size_t nnodes)
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

static void diags_free(struct oci_diags *d)
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
static void go_diag_dups(struct go_ctx *c, const struct jloc_node *o, enum oci_schema schema)
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

static void go_type_error(struct go_ctx *c, const struct jloc_node *n, const char *field,
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

static void go_strs_free(struct go_strs *s)
{
	strv_free(s->v, s->cap);
	free(s->node);
	memset(s, 0, sizeof(*s));
}

static void go_hook_clear(struct go_hook *h)
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

static int go_string(struct go_ctx *c, const struct jloc_node *n, char **dst, const char *field)
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

static int go_strs(struct go_ctx *c, const struct jloc_node *n, struct go_strs *s,
		   const char *field)
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

enum { HOOK_PATH, HOOK_ARGS, HOOK_ENV, HOOK_TIMEOUT };
static const char *const go_hook_fields[] = {
	[HOOK_PATH] = "path", [HOOK_ARGS] = "args", [HOOK_ENV] = "env", [HOOK_TIMEOUT] = "timeout",
};
const struct oci_fields oci_hook_fields = { go_hook_fields, 4 };

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

static int go_hook_obj(struct go_ctx *c, const struct jloc_node *n, struct go_hook *h,
		       const char *what, int stage)
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
		int f = go_field_diag(c, m, go_hook_fields, 4, OCI_SCHEMA_HOOK, stage);

		if (f < 0)
			continue;
		snprintf(field, sizeof(field), "%s.%s", what, go_hook_fields[f]);
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

static int go_hook_export(const struct go_hook *g, struct oci_hook *o)
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

/* map[string]string with Go's rules (last duplicate wins, null resets). */
struct go_map {
	char **k, **v;
	int *kn, *vn;	/* the member that added the key, the one whose value stays */
	size_t n;
	bool set;
};

static void go_map_free(struct go_map *m)
{
	strv_free(m->k, m->n);
	strv_free(m->v, m->n);
	free(m->kn);
	free(m->vn);
	memset(m, 0, sizeof(*m));
}

static int go_map_put(struct go_map *m, const char *k, size_t klen, const char *v, size_t vlen,
		      int node)
{
	char **nk, **nv;
	int *nn;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strlen(m->k[i]) == klen && !memcmp(m->k[i], k, klen))
			break;
	if (i == m->n) {
		nk = realloc(m->k, (m->n + 1) * sizeof(char *));
		if (!nk)
			return -ENOMEM;
		m->k = nk;
		nv = realloc(m->v, (m->n + 1) * sizeof(char *));
		if (!nv)
			return -ENOMEM;
		m->v = nv;
		nn = realloc(m->kn, (m->n + 1) * sizeof(int));
		if (!nn)
			return -ENOMEM;
		m->kn = nn;
		nn = realloc(m->vn, (m->n + 1) * sizeof(int));
		if (!nn)
			return -ENOMEM;
		m->vn = nn;
		m->k[i] = mem_strdup(k, klen);
		m->v[i] = NULL;
		m->kn[i] = node;
		m->n++;
		if (!m->k[i])
			return -ENOMEM;
	}
	m->vn[i] = node;
	free(m->v[i]);
	m->v[i] = mem_strdup(v, vlen);
	return m->v[i] ? 0 : -ENOMEM;
}

static int go_map_obj(struct go_ctx *c, const struct jloc_node *n, struct go_map *m,
		      const char *field)
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

static int from_doc_go(const struct jloc_doc *doc, struct oci_hooks *out, struct oci_diags *diags)
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

/* ---- the exact (crun / libocispec) decoder ---- */

struct exact_ctx {
	const struct jloc_doc *doc;
	struct oci_hooks *out;
	struct oci_diags *diags;	/* where diagnostics go, or NULL */
	int nomem;
};

/* Record what crun does with node n (a hook's part: schema HOOK unless said otherwise). */
static struct oci_diag *exact_diag(struct exact_ctx *c, enum oci_diag_kind kind,
				   enum oci_schema schema, const struct jloc_node *n,
				   const char *field)
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
static int exact_int(const struct jloc_node *n, int *out)
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

__attribute__((format(printf, 2, 3)))
static void refuse(struct oci_hooks *out, const char *fmt, ...)
{
	va_list ap;

	if (out->refused)
		return;
	va_start(ap, fmt);
	if (vasprintf(&out->refused, fmt, ap) < 0)
		out->refused = NULL;
	va_end(ap);
}

#define EXACT_NO_PATH "Required field 'path' not present"
#define EXACT_BAD_INT "Invalid value with type 'integer' for key 'timeout'"

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

static int from_doc_exact(const struct jloc_doc *doc, struct oci_hooks *out,
			  struct oci_diags *diags)
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
			bool seen = false;

			for (size_t i = 0; i < m.n && !seen; i++)
				seen = strlen(m.k[i]) == e->klen && !memcmp(m.k[i], e->key, e->klen);
			if (!seen && e->type == JLOC_STRING &&
			    (err = go_map_put(&m, e->key, e->klen, e->str, e->slen,
					      (int)(e - doc->nodes))))
				break;
		}
		out->ann_keys = m.k;
		out->ann_vals = m.v;
		out->nann = m.n;
		free(m.kn);
		free(m.vn);
	}
	return err ? err : c.nomem;
}

/* ---- one config.json, parsed once ---- */

void oci_config_free(struct oci_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	jloc_free(&cfg->doc);
	free(cfg->syntax.text);
	for (int d = 0; d < OCI_DIALECT_MAX; d++)
		oci_hooks_free(&cfg->hooks[d]);
	diags_free(&cfg->diags);
	free(cfg);
}

int oci_json_parse(const char *buf, size_t len, struct jloc_doc *doc, struct oci_syntax *syn)
{
	json_error_t je;
	json_t *j;
	int err = jloc_parse(doc, buf, len);

	memset(syn, 0, sizeof(*syn));
	if (err == -ENOMEM)
		return err;
	if (!err && !doc->lax)
		return 0;
	/* only on this path is the text parsed twice */
	j = json_loadb(buf, len, 0, &je);
	if (j) {
		json_decref(j);
		if (!err)
			return 0;
		/* jansson accepted what jloc did not: report jloc's reason */
		syn->text = strdup(doc->err ? doc->err : "invalid JSON");
		syn->line = doc->err_line;
		syn->col = doc->err_col;
		syn->err = err;
	} else {
		syn->strict = true;
		syn->text = mem_strdup(je.text, strnlen(je.text, sizeof(je.text)));
		syn->line = je.line > 0 ? (unsigned)je.line : 0;
		syn->col = je.column > 0 ? (unsigned)je.column : je.line > 0 ? 1 : 0;
		syn->err = -EINVAL;
	}
	return syn->text ? 0 : -ENOMEM;
}

int oci_config_from_doc(const char *name, struct jloc_doc *doc, struct oci_syntax *syn,
			struct oci_config **out)
{
	struct oci_config *cfg = calloc(1, sizeof(*cfg));
	int err;

	*out = NULL;
	if (!cfg || !(cfg->name = strdup(name))) {
		free(cfg);
		jloc_free(doc);
		free(syn->text);
		return -ENOMEM;
	}
	cfg->doc = *doc;
	cfg->syntax = *syn;
	if (cfg->syntax.err) {
		*out = cfg;
		return 0;
	}
	err = from_doc_go(&cfg->doc, &cfg->hooks[OCI_DIALECT_GO], &cfg->diags);
	if (!err)
		err = from_doc_exact(&cfg->doc, &cfg->hooks[OCI_DIALECT_EXACT], &cfg->diags);
	if (!err)
		err = diags_index(&cfg->diags, cfg->doc.n);
	if (err) {
		oci_config_free(cfg);
		return err;
	}
	*out = cfg;
	return 0;
}

int oci_config_parse(const char *name, const char *buf, size_t len, struct oci_config **out)
{
	struct oci_syntax syn;
	struct jloc_doc doc;
	int err = oci_json_parse(buf, len, &doc, &syn);

	if (err) {
		*out = NULL;
		jloc_free(&doc);
		free(syn.text);
		return err;
	}
	return oci_config_from_doc(name, &doc, &syn, out);
}

const struct oci_hooks *oci_config_hooks(const struct oci_config *cfg, enum oci_dialect d)
{
	return cfg->syntax.err || (unsigned)d >= OCI_DIALECT_MAX ? NULL : &cfg->hooks[d];
}

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

/* ---- hooks.d ---- */

__attribute__((format(printf, 2, 3)))
static void set_error(struct oci_hooksd_hook *h, const char *fmt, ...)
{
	va_list ap;

	if (h->load_error)
		return;
	va_start(ap, fmt);
	if (vasprintf(&h->load_error, fmt, ap) < 0)
		h->load_error = NULL;
	va_end(ap);
}

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

/* containers/common pkg/hooks/1.0.0 Hook and When, and pkg/hooks/0.1.0 Hook */
enum { HD_VERSION, HD_HOOK, HD_WHEN, HD_STAGES };
static const char *const hd_fields[] = {
	[HD_VERSION] = "version", [HD_HOOK] = "hook", [HD_WHEN] = "when", [HD_STAGES] = "stages",
};
const struct oci_fields oci_hooksd_fields = { hd_fields, 4 };

enum { HDW_ALWAYS, HDW_ANNOTATIONS, HDW_COMMANDS, HDW_BIND_MOUNTS };
static const char *const hd_when_fields[] = {
	[HDW_ALWAYS] = "always", [HDW_ANNOTATIONS] = "annotations",
	[HDW_COMMANDS] = "commands", [HDW_BIND_MOUNTS] = "hasBindMounts",
};
const struct oci_fields oci_hooksd_when_fields = { hd_when_fields, 4 };

/*
 * The 0.1.0 struct has no "version": the version probe reads it before the
 * struct is decoded, so it is a known key that the struct decoding skips.
 */
enum { HDO_HOOK, HDO_ARGUMENTS, HDO_STAGES, HDO_STAGE, HDO_CMDS, HDO_CMD, HDO_ANNOTATIONS,
       HDO_ANNOTATION, HDO_BIND_MOUNTS, HDO_VERSION };
static const char *const hd_old_fields[] = {
	[HDO_HOOK] = "hook", [HDO_ARGUMENTS] = "arguments", [HDO_STAGES] = "stages",
	[HDO_STAGE] = "stage", [HDO_CMDS] = "cmds", [HDO_CMD] = "cmd",
	[HDO_ANNOTATIONS] = "annotations", [HDO_ANNOTATION] = "annotation",
	[HDO_BIND_MOUNTS] = "hasbindmounts", [HDO_VERSION] = "version",
};
const struct oci_fields oci_hooksd_legacy_fields = { hd_old_fields, 10 };

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

		if (go_field(m, go_hook_fields, 4) != HOOK_TIMEOUT || m->type != JLOC_NUMBER ||
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
		if (go_field(m, &hd_fields[HD_VERSION], 1))
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

static int lower_cmp(const void *a, const void *b)
{
	const unsigned char *x = (const unsigned char *)((const struct oci_hooksd_hook *)a)->name;
	const unsigned char *y = (const unsigned char *)((const struct oci_hooksd_hook *)b)->name;

	for (; *x && tolower(*x) == tolower(*y); x++, y++)
		;
	return tolower(*x) - tolower(*y);
}

/* Add or replace (a later directory masks the same file name) one loaded hook. */
static int hooksd_put(struct oci_hooksd *out, struct oci_hooksd_hook *h)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].name, h->name))
			break;
	if (i < out->n) {
		oci_hooksd_hook_free(&out->v[i]);
	} else {
		struct oci_hooksd_hook *nv = realloc(out->v, (out->n + 1) * sizeof(*nv));

		if (!nv) {
			oci_hooksd_hook_free(h);
			return -ENOMEM;
		}
		out->v = nv;
		out->n++;
	}
	out->v[i] = *h;
	return 0;
}

#define HOOKSD_MAX_FILES 4096

/* The *.json files of one directory handle, read beneath it. */
static int hooksd_load_dirfd(const struct sr_root *root, int dfd, const char *dir,
			     struct oci_hooksd *out)
{
	char **names = NULL;
	size_t n = 0;
	int err = sr_list(dfd, false, HOOKSD_MAX_FILES, &names, &n);

	for (size_t i = 0; !err && i < n; i++) {
		size_t l = strlen(names[i]), blen;
		struct oci_hooksd_hook h;
		char *buf = NULL, *full = NULL;

		if (l < 5 || strcmp(names[i] + l - 5, ".json"))
			continue;
		err = sr_read(NULL, dfd, names[i], OCI_READ_MAX, &buf, &blen, NULL);
		if (err) {
			/* vanished, not a regular file, too large, stuck: podman would not load it either */
			err = err == -ENOMEM ? err : 0;
			continue;
		}
		if (asprintf(&full, "%s/%s", dir, names[i]) < 0) {
			free(buf);
			err = -ENOMEM;
			break;
		}
		err = oci_hooksd_load_buf(full, buf, blen, root, &h);
		free(full);
		free(buf);
		if (!err)
			err = hooksd_put(out, &h);
	}
	sr_names_free(names, n);
	return err;
}

int oci_hooksd_load_root(const struct sr_root *root, const char *const *dirs, size_t ndirs,
			 struct oci_hooksd *out)
{
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (size_t d = 0; d < ndirs && !err; d++) {
		int dfd;

		err = sr_opendir(root, -1, dirs[d], &dfd);
		if (err == -ENOENT || err == -ENOTDIR) {
			err = 0;	/* podman skips a missing directory */
			continue;
		}
		if (err)
			break;
		err = hooksd_load_dirfd(root, dfd, dirs[d], out);
		close(dfd);
	}
	if (err) {
		oci_hooksd_free(out);
		return err;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), lower_cmp);
	return 0;
}

static int rx_match(const struct goregex *rx, const char *s)
{
	return goregex_match(rx, s, strlen(s));
}

int oci_hooksd_matches(const struct oci_hooksd_hook *h, const struct oci_hooks *cfg,
		       bool has_bind_mounts)
{
	int matches = 0;

	if (h->always >= 0) {
		if (h->always) {
			if (h->or_mode)
				return 1;
			matches++;
		} else if (!h->or_mode) {
			return 0;
		}
	}
	if (h->has_bind_mounts >= 0) {
		if (h->has_bind_mounts && has_bind_mounts) {
			if (h->or_mode)
				return 1;
			matches++;
		} else if (!h->or_mode) {
			return 0;
		}
	}
	for (size_t i = 0; i < h->nann; i++) {
		int match = 0;

		if (!h->ann_key_rx || !h->ann_key_rx[i] || !h->ann_val_rx[i])
			return -EINVAL;
		for (size_t j = 0; j < cfg->nann && !match; j++) {
			match = rx_match(h->ann_key_rx[i], cfg->ann_keys[j]);
			if (match > 0)
				match = rx_match(h->ann_val_rx[i], cfg->ann_vals[j]);
			if (match < 0)
				return match;
		}
		if (match) {
			if (h->or_mode)
				return 1;
			matches++;
		} else if (!h->or_mode) {
			return 0;
		}
	}
	/* commands decide on their own once reached (podman's When.Match) */
	if (h->ncmd) {
		if (!cfg->nproc_args)
			return -EINVAL;
		for (size_t i = 0; i < h->ncmd; i++) {
			int m = h->cmd_rx && h->cmd_rx[i] ? rx_match(h->cmd_rx[i], cfg->proc_args[0])
							   : -EINVAL;

			if (m)
				return m;
		}
		return 0;
	}
	return matches > 0;
}

static int hooks_append(struct oci_hooks *cfg, int st, const struct oci_hook *src)
{
	struct oci_hook *nv = realloc(cfg->v[st], (cfg->n[st] + 1) * sizeof(*nv));
	struct oci_hook *h;

	if (!nv)
		return -ENOMEM;
	cfg->v[st] = nv;
	h = &nv[cfg->n[st]];
	*h = *src;
	h->path = strdup(src->path ? src->path : "");
	if (!h->path || strv_dup(src->args, src->nargs, &h->args) ||
	    strv_dup(src->env, src->nenv, &h->env)) {
		h->nargs = h->nenv = 0;
		oci_hook_free(h);
		return -ENOMEM;
	}
	cfg->n[st]++;
	return 0;
}

int oci_hooksd_apply(const struct oci_hooksd *d, struct oci_hooks *cfg, bool has_bind_mounts,
		     bool prestart_as_create_runtime, struct oci_hooks *podman_own)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct oci_hooksd_hook *h = &d->v[i];
		int m, err;

		if (h->load_error || h->dropped)
			continue;
		m = oci_hooksd_matches(h, cfg, has_bind_mounts);
		if (m < 0)
			return m;
		if (!m)
			continue;
		for (int st = 0; st < OCI_STAGE_MAX; st++) {
			if (!h->stage[st])
				continue;
			if (st == OCI_POSTSTOP && podman_own)
				err = hooks_append(podman_own, st, &h->hook);
			else
				err = hooks_append(cfg, st == OCI_PRESTART && prestart_as_create_runtime
							   ? OCI_CREATE_RUNTIME : st, &h->hook);
			if (err)
				return err;
		}
	}
	return 0;
}
