/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What lint's files share and nothing else sees: the state of one file's
 * check (struct lint_ctx), adding findings and quoting untrusted text
 * (lint.c), taking the decoders' diagnostics as they are rendered (lint.c),
 * and the checks of one hook entry that config.json and hooks.d files both
 * hold (lint_hook.c). Callers outside lint use lint.h.
 */
#ifndef HS_LINT_INT_H
#define HS_LINT_INT_H

#include <stdbool.h>
#include <stdlib.h>

#include "escape.h"
#include "jsonloc.h"
#include "lint.h"
#include "oci.h"

struct oci_hooksd_hook;

struct lint_ctx {
	const char *file;
	const struct oci_config *cfg;	/* the config.json being checked (NULL for hooks.d) */
	const struct jloc_doc *doc;
	struct lint_result *out;
	int rootfd;		/* the container's rootfs directory, or -1 when unknown */
	int hostfd;		/* the runtime's root, where host-side hook paths
				 * resolve; -1: ours ("/"). Every initializer sets it:
				 * 0 would be a descriptor */
	char *rootfs;		/* root.path for messages (quoted, escaped) */
	bool hooksd;		/* checking a hooks.d file (podman semantics) */
	/* the hooks.d file as podman's loader decoded it (NULL for config.json) */
	const struct oci_hooksd_hook *hd;
	/*
	 * What the decoders decided (cfg's or hd's): the key, duplicate, type,
	 * refusal, pattern, stage and version verdicts lint renders. used[i]:
	 * diagnostic i has been rendered (or deliberately folded into another).
	 */
	const struct oci_diags *diags;
	bool *used;
	int stage;		/* stage the findings being emitted are about, or -1 */
	int err;		/* sticky -ENOMEM */
};

/* ---- findings and messages (lint.c) ---- */

/* Append a finding with message msg (consumed); out of memory is c->err. */
void add_finding(struct lint_ctx *c, unsigned line, unsigned col, enum lint_severity sev,
		 const char *code, struct sbuf *msg);
/*
 * Formatted finding. Untrusted parts are never formatted directly: they are
 * quoted with q() first and passed as "%s".
 */
__attribute__((format(printf, 6, 7)))
void emit(struct lint_ctx *c, unsigned line, unsigned col, enum lint_severity sev, const char *code,
	  const char *fmt, ...);
/* Escaped, bounded, quoted copy of an untrusted string for a message. */
char *q(const char *s, size_t n);

static inline void cleanup_str(char **p)
{
	free(*p);
}

#define QSTR __attribute__((cleanup(cleanup_str))) char *

/* Findings of one file (from index from) in position order, like a compiler prints them. */
void sort_findings(struct lint_result *r, size_t from);
/* Closest candidate (or extra) within a sane distance, or NULL. */
const char *did_you_mean(const char *s, size_t n, const char *const *cands, size_t ncands,
			 const char *extra);

/* ---- the decoders' diagnostics (lint.c) ---- */

/*
 * A decoder's diagnostic of this kind about node n, not yet rendered, from
 * this dialect (unless -1) with this field (unless NULL) and key flag (unless
 * -1); marked rendered when take. NULL when the decoders found nothing there.
 */
const struct oci_diag *diag_find(struct lint_ctx *c, const struct jloc_node *n,
				 enum oci_diag_kind kind, int dialect, const char *field, int key,
				 bool take);
/* hooks.d: the loader's (Go) verdict of this kind on n. */
const struct oci_diag *hd_take(struct lint_ctx *c, const struct jloc_node *n,
			       enum oci_diag_kind kind, const char *field);
/* What runc's (Go) decoder decided about n. */
const struct oci_diag *go_take(struct lint_ctx *c, const struct jloc_node *n,
			       enum oci_diag_kind kind);
/* What crun's (exact) decoder decided about n. */
const struct oci_diag *crun_take(struct lint_ctx *c, const struct jloc_node *n,
				 enum oci_diag_kind kind);
/* The decoder's duplicate-key verdicts on the members of object o. */
void render_dups(struct lint_ctx *c, const struct jloc_node *o, const char *where, bool stage_keys);
/*
 * A parsed document and its decoders' diagnostics, ready to render: false
 * when there is nothing more to check (not JSON: its one finding is out; or
 * out of memory).
 */
bool lint_begin(struct lint_ctx *c, const struct oci_syntax *syn, const struct jloc_doc *doc,
		const struct oci_diags *diags);

/* ---- one hook entry (lint_hook.c) ---- */

/* What a type error costs: runc's refusal of the config, or podman's of the file. */
const char *type_refusal(struct lint_ctx *c);
/* Hook path p of stage st (stage: its name as written, escaped): absolute, present, executable. */
void check_path(struct lint_ctx *c, const struct jloc_node *p, int st, const char *stage);
/* The decoders' verdicts on a []string value v and its elements. */
void render_strs(struct lint_ctx *c, const struct jloc_node *v, const char *code, const char *field,
		 const char *crun_effect);
/* One hook object e: st is its stage (-1 when unknown), stage its name as written (escaped). */
void check_entry(struct lint_ctx *c, const struct jloc_node *e, int st, const char *stage);

#endif
