/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the pieces of the OCI configuration model share and nothing else
 * sees: the field indices of each schema's table (oci.c), the diagnostic
 * list's recording and indexing (oci.c), the Go decoder's state and
 * primitives (oci_go.c) that hooksd.c also decodes with, and the few rules
 * of the exact decoder (oci_exact.c) that hooksd.c applies to a hook podman
 * writes into a config crun reads. Callers outside the model use oci.h and
 * hooksd.h.
 */
#ifndef HS_OCI_INT_H
#define HS_OCI_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonloc.h"
#include "oci.h"

/* ---- small helpers (oci.c) ---- */

void strv_free(char **v, size_t n);
/* Copy n strings (NULL ones as ""); *dst NULL when n is 0. 0 or -ENOMEM. */
int strv_dup(char **src, size_t n, char ***dst);
/* Set *dst to the formatted text unless it is set: the first reason is the one kept. */
__attribute__((format(printf, 2, 3)))
void set_once(char **dst, const char *fmt, ...);

/* ---- the schemas' field tables (oci.c) ---- */

/* Index of the Go struct field key k selects, or -1: exact match first. */
int go_field(const struct jloc_node *m, const char *const *fields, int nfields);

/* oci_hook_fields */
enum { HOOK_PATH, HOOK_ARGS, HOOK_ENV, HOOK_TIMEOUT };
/* containers/common pkg/hooks/1.0.0 Hook and When, and pkg/hooks/0.1.0 Hook */
enum { HD_VERSION, HD_HOOK, HD_WHEN, HD_STAGES };
enum { HDW_ALWAYS, HDW_ANNOTATIONS, HDW_COMMANDS, HDW_BIND_MOUNTS };
enum { HDO_HOOK, HDO_ARGUMENTS, HDO_STAGES, HDO_STAGE, HDO_CMDS, HDO_CMD, HDO_ANNOTATIONS,
       HDO_ANNOTATION, HDO_BIND_MOUNTS, HDO_VERSION };

/* ---- diagnostics (oci.c) ---- */

/* Append a diagnostic about node; NULL when out of memory. */
struct oci_diag *diags_push(struct oci_diags *d, enum oci_diag_kind kind, enum oci_dialect dialect,
			    enum oci_schema schema, int node);
/* Group the diagnostics by node (recording order kept within a node) and index them. */
int diags_index(struct oci_diags *d, size_t nnodes);
void diags_free(struct oci_diags *d);

/* ---- the Go decoder (oci_go.c) ---- */

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

struct go_ctx {
	const struct jloc_doc *doc;
	char *err;	/* first type error, like json.Unmarshal's return value */
	struct oci_diags *diags;	/* where diagnostics go, or NULL */
	enum oci_schema schema;	/* what type errors are recorded under */
	int nomem;	/* a diagnostic could not be recorded */
};

/*
 * map[string]string with Go's rules (last duplicate wins, null resets), in
 * the order keys were first seen. Keys are found through a hash (idx), so a
 * hostile object of n members decodes in O(n), not O(n^2).
 */
struct go_map {
	char **k, **v;
	int *kn, *vn;	/* the member that added the key, the one whose value stays */
	size_t n, cap;
	struct go_map_ent *idx;
	bool set;
};

static inline int node_of(const struct go_ctx *c, const struct jloc_node *n)
{
	return (int)(n - c->doc->nodes);
}

/* Record a diagnostic about node n; NULL when not recording (or out of memory). */
struct oci_diag *go_diag_add(struct go_ctx *c, enum oci_diag_kind kind, enum oci_schema schema,
			     const struct jloc_node *n);
/* Every later occurrence of a key in object o, pointing at the first. */
void go_diag_dups(struct go_ctx *c, const struct jloc_node *o, enum oci_schema schema);
/* A value Go cannot decode into field: a diagnostic, and the first one is c->err. */
void go_type_error(struct go_ctx *c, const struct jloc_node *n, const char *field,
		   const char *gotype);
/* Decode n into a string, a []string, a specs.Hook or a map[string]string: 0 or -ENOMEM. */
int go_string(struct go_ctx *c, const struct jloc_node *n, char **dst, const char *field);
int go_strs(struct go_ctx *c, const struct jloc_node *n, struct go_strs *s, const char *field);
int go_hook_obj(struct go_ctx *c, const struct jloc_node *n, struct go_hook *h, const char *what,
		int stage);
int go_map_obj(struct go_ctx *c, const struct jloc_node *n, struct go_map *m, const char *field);
int go_map_put(struct go_map *m, const char *k, size_t klen, const char *v, size_t vlen, int node);
bool go_map_has(const struct go_map *m, const char *k, size_t klen);
/* A decoded hook as the model's struct oci_hook. 0 or -ENOMEM. */
int go_hook_export(const struct go_hook *g, struct oci_hook *o);
void go_strs_free(struct go_strs *s);
void go_hook_clear(struct go_hook *h);
void go_map_free(struct go_map *m);
/* A config.json as runc reads it: its hooks, and diagnostics into diags. 0 or -ENOMEM. */
int from_doc_go(const struct jloc_doc *doc, struct oci_hooks *out, struct oci_diags *diags);

/* ---- the exact decoder (oci_exact.c) ---- */

struct exact_ctx {
	const struct jloc_doc *doc;
	struct oci_hooks *out;
	struct oci_diags *diags;	/* where diagnostics go, or NULL */
	int nomem;
};

#define EXACT_BAD_INT "Invalid value with type 'integer' for key 'timeout'"

/* Record what crun does with node n. */
struct oci_diag *exact_diag(struct exact_ctx *c, enum oci_diag_kind kind, enum oci_schema schema,
			    const struct jloc_node *n, const char *field);
/* How libocispec reads an int: 0, -EINVAL (not an integer) or -ERANGE (beyond int). */
int exact_int(const struct jloc_node *n, int *out);
/* A config.json as crun reads it: its hooks, and diagnostics into diags. 0 or -ENOMEM. */
int from_doc_exact(const struct jloc_doc *doc, struct oci_hooks *out, struct oci_diags *diags);

#endif
