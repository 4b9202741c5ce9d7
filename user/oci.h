/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * OCI hook configuration as each runtime actually reads it. The same
 * config.json means different hooks to different runtimes: crun (libocispec on
 * yajl) matches keys exactly and keeps the FIRST of duplicate keys; runc (Go
 * encoding/json) matches keys case-insensitively (exact match preferred, and
 * U+017F / U+212A fold to s / k), keeps the LAST duplicate and decodes it on
 * top of the earlier value (objects and array elements merge field by field).
 * oci_config_parse() parses a config.json once and decodes it in every
 * dialect: the hooks per stage as each runtime will run them, and what the
 * decoders noticed, with positions. podman's hooks.d files are read with the
 * same model (hooksd.h). Used by lint and by the tracer's correlator.
 */
#ifndef HS_OCI_H
#define HS_OCI_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonloc.h"

enum oci_stage {
	OCI_PRESTART,
	OCI_CREATE_RUNTIME,
	OCI_CREATE_CONTAINER,
	OCI_START_CONTAINER,
	OCI_POSTSTART,
	OCI_POSTSTOP,
	OCI_STAGE_MAX,
};

/* The one stage-name table: SPEC spelling, indexed by enum oci_stage. */
extern const char *const oci_stage_names[OCI_STAGE_MAX];
/* SPEC spelling: prestart, createRuntime, ... ; "unknown" out of range. */
const char *oci_stage_name(enum oci_stage s);
/* Exact (case-sensitive) name to stage, or -1. */
int oci_stage_from_name(const char *name);
/* Stages whose hooks run in the container's namespaces (path resolved in the rootfs). */
static inline bool oci_stage_in_container(enum oci_stage s)
{
	return s == OCI_START_CONTAINER;
}

enum oci_dialect {
	OCI_DIALECT_EXACT,	/* crun, youki: exact keys, first duplicate wins */
	OCI_DIALECT_GO,		/* runc, runsc, podman hooks.d: Go encoding/json */
	OCI_DIALECT_MAX,
};

struct oci_hook {
	char *path;
	char **args;
	size_t nargs;
	char **env;
	size_t nenv;
	int timeout;		/* seconds; 0 = none (see timeout_set) */
	bool timeout_set;	/* "timeout" present (runc applies even 0 or negative) */
	unsigned line, col;	/* where the entry starts in the file (0 if not from a file) */
};

struct oci_hooks {
	struct oci_hook *v[OCI_STAGE_MAX];
	size_t n[OCI_STAGE_MAX];
	char *rootfs;		/* root.path as written (exact: NULL when it holds a NUL byte) */
	char **proc_args;	/* process.args (hooks.d "commands" match args[0]) */
	size_t nproc_args;
	char **ann_keys;	/* annotations (hooks.d "annotations" match these) */
	char **ann_vals;
	size_t nann;
	/*
	 * The runtime refuses this config altogether (runc: a Go type error
	 * anywhere in what we decode; crun: an entry without a string "path", a
	 * non-integer timeout). The hooks above are what was decoded anyway.
	 */
	char *refused;
};

void oci_hooks_free(struct oci_hooks *h);
/* ---- one config.json, parsed once ---- */

/* Why a document could not be read, and where. */
struct oci_syntax {
	/*
	 * 0, -EINVAL (not JSON, or JSON that jansson refuses), -E2BIG (nested
	 * deeper than JLOC_MAX_DEPTH), -EOVERFLOW (more values than its size
	 * allows: JLOC_VALUE_BYTES)
	 */
	int err;
	bool strict;		/* jansson's verdict (its wording), not jloc's */
	char *text;
	unsigned line, col;
};

/*
 * Parse buf into doc once (jloc); jansson is asked only when jloc fails or
 * the text holds what jansson refuses and jloc accepts (\u0000, invalid
 * UTF-8), so the verdict and its wording are jansson's as before. 0 (check
 * syn->err; free syn->text and the doc) or -ENOMEM.
 */
int oci_json_parse(const char *buf, size_t len, struct jloc_doc *doc, struct oci_syntax *syn);

/* What a decoder decided, with its position (jloc node indices). */
enum oci_diag_kind {
	/* Go: the key selects `field` only by case folding ("Poststart", "Hooks", "Path") */
	OCI_DIAG_KEY_FOLDED,
	/* Go: the key selects no field of the schema, so every dialect ignores it */
	OCI_DIAG_KEY_UNKNOWN,
	/*
	 * The key appeared before in the same object (`first`): the exact
	 * dialect keeps the first, Go decodes the later one on top of it
	 */
	OCI_DIAG_DUPLICATE,
	/* Go: the value's JSON type cannot be decoded into the field (Go type in `want`) */
	OCI_DIAG_TYPE,
	/*
	 * hooks.d: a required property (`field`: "hook", "hook.path", "stages")
	 * is missing or empty. node: the empty value, else the object it belongs
	 * in, else the root. config.json (Go, `field` "path"): the hook decoded
	 * from this entry (the last object merged into it, or a null element)
	 * has no path, so runc fails it when it runs.
	 */
	OCI_DIAG_REQUIRED,
	/* hooks.d: a "version" podman does not know */
	OCI_DIAG_VERSION,
	/* hooks.d: a stage name podman does not know */
	OCI_DIAG_STAGE,
	/* hooks.d: a pattern Go's regexp refuses (`why`; the member's key when `key`) */
	OCI_DIAG_REGEX,
	/* hooks.d 0.1.0: `field` is set together with the property it excludes */
	OCI_DIAG_CONFLICT,
	/* hooks.d: the hook path does not exist (podman drops the hook) */
	OCI_DIAG_PATH_MISSING,
	/* hooks.d: the hook path cannot be checked (`err`): podman refuses the file */
	OCI_DIAG_PATH_ERROR,
	/*
	 * Exact: crun refuses the whole config because of this node (`field`
	 * "path": an entry, or its non-string "path", leaves the hook without a
	 * path; "timeout": not an integer or out of int range). `why` is its
	 * wording. hooks.d records the timeout case too: podman writes the hook
	 * into the config crun reads.
	 */
	OCI_DIAG_REFUSED,
	/* Exact: the value has a type crun does not read; it skips it as if absent */
	OCI_DIAG_IGNORED,
	/* Exact: a non-string array element that crun reads as "" */
	OCI_DIAG_EMPTY_STRING,
};

enum oci_schema {
	OCI_SCHEMA_SPEC,	/* top level: "hooks" */
	OCI_SCHEMA_HOOKS,	/* the hooks object: stage keys */
	OCI_SCHEMA_HOOK,	/* a hook entry: path, args, env, timeout */
	OCI_SCHEMA_HOOKSD_VERSION,	/* hooks.d: the version probe, read before the rest */
	OCI_SCHEMA_HOOKSD,	/* hooks.d 1.0.0 top level and "when" */
	OCI_SCHEMA_HOOKSD_LEGACY,	/* hooks.d 0.1.0 top level */
};

struct oci_diag {
	enum oci_diag_kind kind;
	enum oci_dialect dialect;
	enum oci_schema schema;
	int node;		/* the member the diagnostic is about */
	int winner;		/* the member Go keeps for the same field in this object */
	int first;		/* OCI_DIAG_DUPLICATE: the first member with the same key */
	int stage;		/* enum oci_stage the key is (or is under), or -1 */
	const char *field;	/* canonical field name (static), or NULL */
	const char *want;	/* OCI_DIAG_TYPE: the Go type (static) */
	const char *why;	/* OCI_DIAG_REGEX: Go's reason; OCI_DIAG_REFUSED: crun's (static) */
	bool key;		/* OCI_DIAG_REGEX: the pattern is node's key, not its value */
	int err;		/* OCI_DIAG_PATH_ERROR: -errno */
};

/* A decoder's diagnostics, grouped by node once decoding is done. */
struct oci_diags {
	struct oci_diag *v;
	size_t n, cap;
	int *of;		/* per node: its first diagnostic, or -1 */
	size_t nnodes;
};

/* The first diagnostic of this kind about node (a jloc index), or NULL. */
const struct oci_diag *oci_diag_at(const struct oci_diags *d, int node, enum oci_diag_kind kind);

/*
 * A config.json parsed once: the position-keeping document, the hooks as
 * each runtime dialect reads them, and what the decoders noticed on the way.
 * Lint renders the diagnostics; the correlator takes the hooks.
 */
struct oci_config {
	char *name;
	struct jloc_doc doc;
	struct oci_syntax syntax;	/* syntax.err: nothing below is set */
	struct oci_hooks hooks[OCI_DIALECT_MAX];
	struct oci_diags diags;
};

/* Parse buf once and decode it in every dialect. 0 (check syntax.err) or -ENOMEM. */
int oci_config_parse(const char *name, const char *buf, size_t len, struct oci_config **out);
/*
 * Decode a document oci_json_parse() made, in every dialect. Takes doc and
 * syn (a caller that parsed once to learn the kind): they are freed with
 * *out, or at once on failure. 0 or -ENOMEM.
 */
int oci_config_from_doc(const char *name, struct jloc_doc *doc, struct oci_syntax *syn,
			struct oci_config **out);
const struct oci_hooks *oci_config_hooks(const struct oci_config *cfg, enum oci_dialect d);
void oci_config_free(struct oci_config *cfg);
/*
 * Drop what only lint reads (the position-keeping document, ~30x the file,
 * and the diagnostics that index it), keeping name, syntax and hooks: for a
 * configuration held as long as its container lives.
 */
void oci_config_shed(struct oci_config *cfg);

/*
 * Is a document a hooks.d file rather than a config.json? Its top-level
 * keys, as Go matches them, name hooks.d fields and no config.json field.
 * false for a document jloc could not read.
 */
bool oci_doc_is_hooksd(const struct jloc_doc *doc);

/* The largest configuration or hooks.d file read. */
#define OCI_READ_MAX (16u << 20)

void oci_hook_free(struct oci_hook *h);

/*
 * The fields of a Go struct the decoders read, one table per schema: what
 * the decoder assigns a key to is what lint calls known, misspelt or
 * unknown.
 */
struct oci_fields {
	const char *const *names;
	int n;
};

extern const struct oci_fields oci_hook_fields;		/* specs.Hook */
extern const struct oci_fields oci_hooksd_fields;	/* hooks.d 1.0.0 */
extern const struct oci_fields oci_hooksd_when_fields;	/* hooks.d 1.0.0 "when" */
extern const struct oci_fields oci_hooksd_legacy_fields;	/* hooks.d 0.1.0 (+ "version") */

/* The field Go's decoder assigns member m to (exact match first, then folding), or -1. */
int oci_go_field(const struct jloc_node *m, const struct oci_fields *f);
/* The last member of object o that Go assigns to field f->names[i] (the one it keeps), or NULL. */
const struct jloc_node *oci_go_member(const struct jloc_doc *doc, const struct jloc_node *o,
				      const struct oci_fields *f, int i);

#endif
