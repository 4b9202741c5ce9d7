// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The lint checks. jansson decides whether a document is valid JSON (its
 * error line:column becomes a JSON_SYNTAX finding); jloc gives every key and
 * value a position and keeps duplicate keys; oci.c says what each runtime makes
 * of the document. Every message states what runc, crun/youki or podman do,
 * as verified on the test machines (runc 1.1.5, crun 1.8.1, podman 4.3.1):
 * tests/integration/lint.bats re-checks those claims against the real
 * runtimes. Untrusted text (keys, paths) is cut at LINT_STR_MAX bytes and
 * escaped before it enters a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"
#include "jsonloc.h"
#include "lint.h"
#include "oci.h"
#include "saferead.h"

#define LINT_STR_MAX 200

#define RT_IGNORE "crun and youki ignore it"

struct lint_ctx {
	const char *file;
	const struct oci_config *cfg;	/* the config.json being checked (NULL for hooks.d) */
	const struct jloc_doc *doc;
	struct lint_result *out;
	int rootfd;		/* the container's rootfs directory, or -1 when unknown */
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

const char *lint_severity_name(enum lint_severity s)
{
	return s == LINT_ERROR ? "error" : s == LINT_WARNING ? "warning" : "info";
}

void lint_result_free(struct lint_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].file);
		free(r->v[i].message);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Append s (n bytes) quoted, cut at LINT_STR_MAX on a character boundary, escaped. */
static void put_str(struct sbuf *sb, const char *s, size_t n)
{
	size_t cut = n;
	bool more = false;

	if (n > LINT_STR_MAX) {
		cut = LINT_STR_MAX;
		/* do not split a UTF-8 sequence */
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		more = true;
	}
	sbuf_puts(sb, "\"");
	esc_text(sb, s, cut);
	sbuf_puts(sb, more ? "\"\xe2\x80\xa6" : "\"");
}

static void add_finding(struct lint_ctx *c, unsigned line, unsigned col, enum lint_severity sev,
			const char *code, struct sbuf *msg)
{
	struct lint_result *r = c->out;
	struct lint_finding *f;

	if (msg->oom || c->err) {
		c->err = -ENOMEM;
		sbuf_free(msg);
		return;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct lint_finding *nv = realloc(r->v, cap * sizeof(*nv));

		if (!nv) {
			c->err = -ENOMEM;
			sbuf_free(msg);
			return;
		}
		r->v = nv;
		r->cap = cap;
	}
	f = &r->v[r->n];
	f->file = strdup(c->file);
	if (!f->file) {
		c->err = -ENOMEM;
		sbuf_free(msg);
		return;
	}
	f->line = line;
	f->col = col;
	f->severity = sev;
	f->code = code;
	f->stage = c->stage;
	f->seq = r->n;
	f->message = strdup(sbuf_str(msg));
	sbuf_free(msg);
	if (!f->message) {
		free(f->file);
		c->err = -ENOMEM;
		return;
	}
	r->n++;
	if (sev == LINT_ERROR)
		r->errors++;
	else if (sev == LINT_WARNING)
		r->warnings++;
	else
		r->infos++;
}

/*
 * Formatted finding. In fmt, "%K" is not used: callers pre-build untrusted parts
 * with put_str into a separate sbuf and pass them as "%s".
 */
__attribute__((format(printf, 6, 7)))
static void emit(struct lint_ctx *c, unsigned line, unsigned col, enum lint_severity sev,
		 const char *code, const char *fmt, ...)
{
	struct sbuf msg;
	va_list ap;
	char *s = NULL;

	sbuf_init(&msg);
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		va_end(ap);
		c->err = -ENOMEM;
		return;
	}
	va_end(ap);
	sbuf_puts(&msg, s);
	free(s);
	add_finding(c, line, col, sev, code, &msg);
}

/* Escaped, bounded, quoted copy of an untrusted string for a message. */
static char *q(const char *s, size_t n)
{
	struct sbuf sb;

	sbuf_init(&sb);
	put_str(&sb, s ? s : "", s ? n : 0);
	if (sb.oom) {
		sbuf_free(&sb);
		return strdup("\"?\"");
	}
	return sb.buf ? sb.buf : strdup("\"\"");
}

static void cleanup_str(char **p)
{
	free(*p);
}

#define QSTR __attribute__((cleanup(cleanup_str))) char *

/*
 * A decoder's diagnostic of this kind about node n, not yet rendered, from
 * this dialect (unless -1) with this field (unless NULL) and key flag (unless
 * -1); marked rendered when take. NULL when the decoders found nothing there.
 */
static const struct oci_diag *diag_find(struct lint_ctx *c, const struct jloc_node *n,
					enum oci_diag_kind kind, int dialect, const char *field,
					int key, bool take)
{
	const struct oci_diags *ds = c->diags;
	const struct oci_diag *d;

	if (!ds || !n)
		return NULL;
	d = oci_diag_at(ds, (int)(n - c->doc->nodes), kind);
	for (; d && d < ds->v + ds->n && d->node == (int)(n - c->doc->nodes); d++) {
		if (d->kind != kind || (dialect >= 0 && (int)d->dialect != dialect) ||
		    (field && (!d->field || strcmp(d->field, field))) ||
		    (key >= 0 && d->key != key) || c->used[d - ds->v])
			continue;
		if (take)
			c->used[d - ds->v] = true;
		return d;
	}
	return NULL;
}

/* hooks.d: the loader's (Go) verdict of this kind on n. */
static const struct oci_diag *hd_take(struct lint_ctx *c, const struct jloc_node *n,
				      enum oci_diag_kind kind, const char *field)
{
	return diag_find(c, n, kind, OCI_DIALECT_GO, field, -1, true);
}

/* What runc's (Go) decoder decided about n. */
static const struct oci_diag *go_take(struct lint_ctx *c, const struct jloc_node *n,
				      enum oci_diag_kind kind)
{
	return diag_find(c, n, kind, OCI_DIALECT_GO, NULL, -1, true);
}

/* What crun's (exact) decoder decided about n. */
static const struct oci_diag *crun_take(struct lint_ctx *c, const struct jloc_node *n,
					enum oci_diag_kind kind)
{
	return diag_find(c, n, kind, OCI_DIALECT_EXACT, NULL, -1, true);
}

/* hooks.d: the loader's regexp verdict on n's key (key) or value. */
static const struct oci_diag *hd_take_regex(struct lint_ctx *c, const struct jloc_node *n,
					    bool key)
{
	return diag_find(c, n, OCI_DIAG_REGEX, OCI_DIALECT_GO, NULL, key, true);
}

static int finding_cmp(const void *x, const void *y)
{
	const struct lint_finding *a = x, *b = y;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Findings of one file in position order, like a compiler prints them. */
static void sort_findings(struct lint_result *r, size_t from)
{
	if (r->n - from > 1)
		qsort(r->v + from, r->n - from, sizeof(*r->v), finding_cmp);
}

/* ---- did you mean ---- */

static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = a[i - 1], cb = b[j - 1];
			size_t sub = prev[j - 1] + ((ca | 0x20) != (cb | 0x20));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(size_t) * (lb + 1));
	}
	return prev[lb];
}

/* Closest candidate within a sane distance, or NULL. */
static const char *did_you_mean(const char *s, size_t n, const char *const *cands, size_t ncands,
				const char *extra)
{
	const char *best = NULL;
	size_t bd = SIZE_MAX;

	for (size_t i = 0; i <= ncands; i++) {
		const char *cand = i < ncands ? cands[i] : extra;
		size_t d = cand ? edit_distance(s, n, cand) : SIZE_MAX;

		if (d < bd) {
			bd = d;
			best = cand;
		}
	}
	return bd <= 3 && bd < n ? best : NULL;
}




/* ---- duplicate keys ---- */

/* The decoder's duplicate-key verdicts on the members of object o. */
static void render_dups(struct lint_ctx *c, const struct jloc_node *o, const char *where,
			bool stage_keys)
{
	if (o->type != JLOC_OBJECT)
		return;
	JLOC_FOR_KIDS(c->doc, o, m) {
		const struct oci_diag *d = go_take(c, m, OCI_DIAG_DUPLICATE);
		const struct jloc_node *first;
		int st0 = c->stage;

		if (!d)
			continue;
		first = &c->doc->nodes[d->first];
		QSTR k = q(m->key, m->klen);
		if (stage_keys)
			c->stage = m->klen == strlen(m->key) ? oci_stage_from_name(m->key) : -1;
		if (c->hooksd)
			emit(c, m->kline, m->kcol, LINT_WARNING, "HOOK_DUPLICATE_KEY",
			     "duplicate key %s in %s (first at %u:%u): podman (Go) keeps the last "
			     "occurrence, decoded on top of the earlier one", k, where,
			     first->kline, first->kcol);
		else
			emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_DUPLICATE_KEY",
			     "duplicate key %s in %s (first at %u:%u): crun keeps the first "
			     "occurrence; runc keeps the last, decoded on top of the earlier one "
			     "(fields and array elements it does not set are inherited); the "
			     "runtimes will run different hooks", k, where, first->kline, first->kcol);
		c->stage = st0;
	}
}

/* ---- hook entry checks (config.json entries and hooks.d "hook") ---- */


/* What happens when a hook of this stage cannot be executed. */
static const char *fail_effect(struct lint_ctx *c, int st)
{
	if (c->hooksd)
		return "the runtime fails to start any container this hook is injected into";
	switch (st) {
	case OCI_POSTSTART:
		return "runc fails the container start; crun silently ignores the failure "
		       "(the hook never runs)";
	case OCI_POSTSTOP:
		return "runc logs an error and carries on; crun silently ignores it";
	default:
		return "runc and crun fail to start the container";
	}
}

/* Resolve path inside the rootfs like the container would (symlinks stay inside). */
static int stat_in_root(int rootfd, const char *path, struct stat *st)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd, err = 0;

	fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	if (fstat(fd, st))
		err = -errno;
	close(fd);
	return err;
}

static void check_path(struct lint_ctx *c, const struct jloc_node *p, int st, const char *stage)
{
	/* hooks.d: podman's loader decided whether the path exists */
	const struct oci_diag *gone = hd_take(c, p, OCI_DIAG_PATH_MISSING, NULL);
	const struct oci_diag *unchecked = hd_take(c, p, OCI_DIAG_PATH_ERROR, NULL);
	struct stat sb;
	int err;

	QSTR path = q(p->str, p->slen);
	if (p->str[0] != '/') {
		emit(c, p->line, p->col, LINT_ERROR, "HOOK_PATH_RELATIVE",
		     "hook path %s is not absolute: runc resolves it against its own working "
		     "directory and crun cannot execute it; %s", path, fail_effect(c, st));
		return;
	}
	if (memchr(p->str, '\0', p->slen)) {
		emit(c, p->line, p->col, LINT_ERROR, "HOOK_PATH_MISSING",
		     "hook path %s contains a NUL byte: no runtime can execute it", path);
		return;
	}
	if (c->hooksd && unchecked) {
		emit(c, p->line, p->col, LINT_ERROR, "HOOKSD_SCHEMA",
		     "podman cannot check hook path %s (%s) and refuses to start ANY container "
		     "while this file is installed", path, strerror(-unchecked->err));
		return;
	}
	if (st == OCI_START_CONTAINER && !c->hooksd) {
		if (c->rootfd < 0)
			return;	/* resolves inside a rootfs we cannot see */
		err = stat_in_root(c->rootfd, p->str, &sb);
	} else if (c->hooksd && gone) {
		err = -ENOENT;
	} else {
		/* hooks.d: the loader saw it; lint only looks at what it is */
		err = stat(p->str, &sb) ? -errno : 0;
		if (c->hooksd && (err == -ENOENT || err == -ENOTDIR))
			return;	/* vanished since: the loader's verdict stands */
	}
	if (err == -ENOENT || err == -ENOTDIR) {
		if (c->hooksd)
			emit(c, p->line, p->col, LINT_ERROR, "HOOKSD_PATH_MISSING",
			     "hook path %s does not exist: podman silently drops this hook when it "
			     "loads the hooks directory, so it is never injected", path);
		else if (st == OCI_START_CONTAINER)
			emit(c, p->line, p->col, LINT_ERROR, "HOOK_PATH_MISSING",
			     "%s hook path %s does not exist inside the container's rootfs (%s), "
			     "where startContainer hooks are resolved; %s", stage, path,
			     c->rootfs, fail_effect(c, st));
		else
			emit(c, p->line, p->col, LINT_ERROR, "HOOK_PATH_MISSING",
			     "%s hook path %s does not exist on the host; %s", stage, path,
			     fail_effect(c, st));
		return;
	}
	if (err)
		return;	/* unreadable parent and the like: nothing certain to say */
	if (!S_ISREG(sb.st_mode) || !(sb.st_mode & 0111))
		emit(c, p->line, p->col, LINT_ERROR, "HOOK_PATH_NOT_EXECUTABLE",
		     "%s hook path %s is %s; %s", stage, path,
		     S_ISDIR(sb.st_mode) ? "a directory" : !S_ISREG(sb.st_mode) ? "not a regular file"
						       : "not executable (no x bit)",
		     fail_effect(c, st));
}

static const char *type_refusal(struct lint_ctx *c)
{
	return c->hooksd ? "podman cannot decode the file and refuses to start ANY container "
			   "while it is installed"
			 : "runc refuses the whole config (json: cannot unmarshal)";
}

/*
 * The decoders' verdicts on a []string value and its elements: Go's type
 * errors, and what crun does with what it reads (crun_effect: a wrong-typed
 * array).
 */
static void render_strs(struct lint_ctx *c, const struct jloc_node *v, const char *code,
			const char *field, const char *crun_effect)
{
	if (!v)
		return;
	if (go_take(c, v, OCI_DIAG_TYPE)) {
		bool ign = crun_take(c, v, OCI_DIAG_IGNORED) != NULL;

		emit(c, v->line, v->col, LINT_ERROR, code,
		     "hook %s must be an array of strings, not %s: %s%s%s", field,
		     jloc_type_name(v->type), type_refusal(c), ign ? "; crun " : "",
		     ign ? crun_effect : "");
		return;
	}
	if (v->type != JLOC_ARRAY)
		return;
	JLOC_FOR_KIDS(c->doc, v, e) {
		bool go = go_take(c, e, OCI_DIAG_TYPE) != NULL;
		bool empty = crun_take(c, e, OCI_DIAG_EMPTY_STRING) != NULL;

		if (go)
			emit(c, e->line, e->col, LINT_ERROR, code,
			     "hook %s entries must be strings, not %s: %s%s", field,
			     jloc_type_name(e->type), type_refusal(c),
			     empty ? "; crun passes an empty string in its place" : "");
		else if (empty)	/* null: Go leaves the element as it was */
			emit(c, e->line, e->col, LINT_ERROR, code,
			     "hook %s entries must be strings, not %s: crun passes an empty string in "
			     "its place", field, jloc_type_name(e->type));
	}
}

/* The decoders' verdicts on a timeout, then lint's own range check. */
static void check_timeout(struct lint_ctx *c, const struct jloc_node *t)
{
	const struct oci_diag *go, *ex, *ign;
	long long v;

	if (t->type == JLOC_NULL)
		return;
	go = go_take(c, t, OCI_DIAG_TYPE);
	ex = crun_take(c, t, OCI_DIAG_REFUSED);
	ign = crun_take(c, t, OCI_DIAG_IGNORED);
	if (go && t->type == JLOC_NUMBER) {
		QSTR tl = q(t->str, t->slen);
		emit(c, t->line, t->col, LINT_ERROR, "HOOK_TIMEOUT_INVALID",
		     "hook timeout %s is not an integer: %s", tl,
		     ex ? "runc and crun both refuse the config" : type_refusal(c));
		return;
	}
	if (go) {
		emit(c, t->line, t->col, LINT_ERROR, "HOOK_TIMEOUT_INVALID",
		     "hook timeout must be a positive integer (seconds), not %s: %s%s",
		     jloc_type_name(t->type), type_refusal(c),
		     ign ? "; crun ignores the timeout" : "");
		return;
	}
	if (t->type != JLOC_NUMBER)
		return;
	/* Go read it as an integer: what is left is whether it makes sense */
	v = strtoll(t->str, NULL, 10);
	QSTR lit = q(t->str, t->slen);
	if (v <= 0)
		emit(c, t->line, t->col, LINT_ERROR, "HOOK_TIMEOUT_INVALID",
		     "hook timeout %s must be at least 1: runc kills the hook at once and fails "
		     "(\"hook ran past specified timeout\"); crun %s", lit,
		     ex ? "refuses the config (out of range)"
			: v == 0 ? "treats 0 as no timeout" : "fails the hook too");
	else if (ex)
		emit(c, t->line, t->col, LINT_ERROR, "HOOK_TIMEOUT_INVALID",
		     "hook timeout %s does not fit a 32-bit integer: crun refuses the config "
		     "(out of range); runc accepts it", lit);
}

/* A hooks.d hook's "path" member m: the loader's verdict, then lint's checks. true: checked. */
static bool check_hooksd_path(struct lint_ctx *c, const struct jloc_node *m, int st,
			      const char *stage)
{
	if (hd_take(c, m, OCI_DIAG_TYPE, NULL) ||
	    (m->type == JLOC_NULL && hd_take(c, m, OCI_DIAG_REQUIRED, "hook.path"))) {
		/* null leaves Go's path empty: podman says "missing", which is the same refusal */
		emit(c, m->line, m->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
		     "hook path must be a string, not %s: %s", jloc_type_name(m->type),
		     type_refusal(c));
	} else if (hd_take(c, m, OCI_DIAG_REQUIRED, "hook.path")) {
		emit(c, m->line, m->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
		     "hook path is empty: podman refuses to start ANY container while this file "
		     "is installed (missing required property: hook.path)");
	} else if (m->type == JLOC_STRING && m->slen) {
		check_path(c, m, st, stage);
		return true;
	}
	return false;
}

/* A config.json hook's "path" member m: the decoders' verdicts, then lint's checks. */
static bool check_config_path(struct lint_ctx *c, const struct jloc_node *m, int st,
			      const char *stage)
{
	if (go_take(c, m, OCI_DIAG_TYPE)) {
		bool ex = crun_take(c, m, OCI_DIAG_REFUSED) != NULL;

		emit(c, m->line, m->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
		     "hook path must be a string, not %s: %s%s", jloc_type_name(m->type),
		     type_refusal(c), ex ? "; crun refuses it too" : "");
	} else if (m->type != JLOC_STRING) {
		return false;	/* null: no path, which the entry's verdicts say */
	} else if (!m->slen) {
		emit(c, m->line, m->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
		     "hook path is empty: runc fails (\"exec: no command\"); crun cannot run it "
		     "and ignores or fails it like a missing file");
	} else {
		check_path(c, m, st, stage);
		return true;
	}
	return false;
}

/* A hook without a path, as the decoders saw it (ex: crun's verdict): said on the entry e. */
static void render_no_path(struct lint_ctx *c, const struct jloc_node *e, bool ex)
{
	bool go;

	if (c->hooksd) {
		if (hd_take(c, e, OCI_DIAG_REQUIRED, "hook.path"))
			emit(c, e->line, e->col, LINT_ERROR, "HOOK_PATH_REQUIRED",
			     "hook has no \"path\": podman refuses to start ANY container while this "
			     "file is installed (missing required property: hook.path)");
		return;
	}
	go = diag_find(c, e, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "path", -1, true) != NULL;
	if (ex || go)
		emit(c, e->line, e->col, LINT_ERROR, "HOOK_PATH_REQUIRED", "hook has no \"path\": %s%s%s",
		     ex ? "crun refuses the config (\"Required field 'path' not present\")" : "",
		     ex && go ? "; " : "", go ? "runc fails the hook (\"exec: no command\")" : "");
}

/*
 * A key of a hook entry the decoders matched only by folding, or not at all.
 * crun_nopath: crun refuses the entry for want of "path", which a miscased
 * "path" explains (*said). true: the key names no field.
 */
static bool render_field_key(struct lint_ctx *c, const struct jloc_node *m, bool crun_nopath,
			     bool *said)
{
	const struct oci_diag *d;
	bool nopath;

	QSTR k = q(m->key, m->klen);
	if (go_take(c, m, OCI_DIAG_KEY_UNKNOWN)) {
		const char *dym = did_you_mean(m->key, m->klen, oci_hook_fields.names,
					       (size_t)oci_hook_fields.n, NULL);

		emit(c, m->kline, m->kcol, LINT_WARNING, "HOOK_FIELD_UNKNOWN",
		     "unknown hook field %s is ignored by every runtime%s%s%s", k,
		     dym ? "; did you mean \"" : "", dym ? dym : "", dym ? "\"?" : "");
		return true;
	}
	d = go_take(c, m, OCI_DIAG_KEY_FOLDED);
	if (!d)
		return false;
	if (c->hooksd) {
		emit(c, m->kline, m->kcol, LINT_INFO, "HOOK_FIELD_CASE",
		     "hook field %s should be spelled \"%s\" (podman matches it case-insensitively, "
		     "but the OCI config it writes uses \"%s\")", k, d->field, d->field);
		return false;
	}
	nopath = crun_nopath && !strcmp(d->field, "path");
	*said |= nopath;
	emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_FIELD_CASE",
	     "hook field %s should be \"%s\": runc accepts it (Go matches keys "
	     "case-insensitively); crun and youki ignore it%s", k, d->field,
	     nopath ? ", and crun refuses a hook without \"path\"" : "");
	return false;
}

/*
 * One hook object: st is its stage (-1 when unknown), stage its name as
 * written (escaped) for messages.
 */
static void check_entry(struct lint_ctx *c, const struct jloc_node *e, int st, const char *stage)
{
	const struct jloc_node *path = NULL, *args = NULL;
	bool crun_nopath, said = false;

	if (go_take(c, e, OCI_DIAG_TYPE)) {
		bool ex = crun_take(c, e, OCI_DIAG_REFUSED) != NULL;

		emit(c, e->line, e->col, LINT_ERROR, "HOOK_ENTRY_TYPE",
		     "a hook must be an object with \"path\", not %s: %s%s", jloc_type_name(e->type),
		     type_refusal(c), ex ? "; crun refuses it too (no 'path')" : "");
		return;
	}
	crun_nopath = diag_find(c, e, OCI_DIAG_REFUSED, OCI_DIALECT_EXACT, "path", -1, true);
	render_dups(c, e, "a hook entry", false);
	JLOC_FOR_KIDS(c->doc, e, m) {
		if (render_field_key(c, m, crun_nopath, &said))
			continue;
		switch (oci_go_field(m, &oci_hook_fields)) {
		case 0:
			if (c->hd ? check_hooksd_path(c, m, st, stage) : check_config_path(c, m, st, stage))
				path = m;
			break;
		case 1:
			args = m;
			render_strs(c, m, "HOOK_ARGS_TYPE", "args", "runs the hook without any args");
			break;
		case 2:
			render_strs(c, m, "HOOK_ENV_TYPE", "env", "ignores the env");
			if (m->type == JLOC_ARRAY) {
				JLOC_FOR_KIDS(c->doc, m, v) {
					const char *eq;

					if (v->type != JLOC_STRING)
						continue;
					eq = memchr(v->str, '=', v->slen);
					if (eq && eq != v->str)
						continue;
					QSTR ev = q(v->str, v->slen);
					emit(c, v->line, v->col, LINT_WARNING, "HOOK_ENV_FORMAT",
					     "env entry %s is not KEY=VALUE: every runtime passes it "
					     "through unchanged and the hook gets a malformed environment",
					     ev);
				}
			}
			break;
		case 3:
			check_timeout(c, m);
			break;
		}
	}
	render_no_path(c, e, crun_nopath && !said);
	if (path && args && args->type == JLOC_ARRAY && args->first >= 0) {
		const struct jloc_node *a0 = jloc_at(c->doc, args->first);
		const char *base = strrchr(path->str, '/');

		base = base ? base + 1 : path->str;
		if (a0->type == JLOC_STRING && strcmp(a0->str, base) && strcmp(a0->str, path->str)) {
			QSTR a = q(a0->str, a0->slen);
			QSTR b = q(base, strlen(base));
			emit(c, a0->line, a0->col, LINT_INFO, "HOOK_ARGV0_MISMATCH",
			     "args[0] %s differs from the path's basename %s: it becomes the hook's "
			     "argv[0] (what ps and execsnoop show), the path is what runs", a, b);
		}
	}
}

/* ---- config.json ---- */

static void check_stage(struct lint_ctx *c, const struct jloc_node *m, int st)
{
	QSTR k = q(m->key, m->klen);

	if (m->type == JLOC_NULL) {
		emit(c, m->line, m->col, LINT_WARNING, "HOOK_STAGE_TYPE",
		     "stage %s is null: no hooks run for it (in runc a null also discards an "
		     "earlier %s array)", k, oci_stage_names[st]);
		return;
	}
	if (go_take(c, m, OCI_DIAG_TYPE)) {
		bool ign = crun_take(c, m, OCI_DIAG_IGNORED) != NULL;

		emit(c, m->line, m->col, LINT_ERROR, "HOOK_STAGE_TYPE",
		     "stage %s must be an array of hooks, not %s: runc refuses the whole config%s", k,
		     jloc_type_name(m->type), ign ? "; crun silently ignores the stage" : "");
		return;
	}
	if (m->type != JLOC_ARRAY)
		return;
	JLOC_FOR_KIDS(c->doc, m, e)
		check_entry(c, e, st, k);
}

/* A stage key the decoders matched by folding or not at all: its finding. -1: no stage. */
static int render_stage_key(struct lint_ctx *c, const struct jloc_node *m)
{
	const struct oci_diag *d;

	QSTR k = q(m->key, m->klen);
	if (go_take(c, m, OCI_DIAG_KEY_UNKNOWN)) {
		const char *dym = did_you_mean(m->key, m->klen, oci_stage_names, OCI_STAGE_MAX, NULL);

		c->stage = dym ? oci_stage_from_name(dym) : -1;
		emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_STAGE_UNKNOWN",
		     "unknown hook stage %s: runc, crun and youki all ignore it, so its hooks "
		     "never run%s%s%s", k, dym ? "; did you mean \"" : "", dym ? dym : "",
		     dym ? "\"?" : "");
		c->stage = -1;
		return -1;
	}
	d = go_take(c, m, OCI_DIAG_KEY_FOLDED);
	if (!d)	/* matched exactly */
		return m->klen == strlen(m->key) ? oci_stage_from_name(m->key) : -1;
	/* runc's decoder matched it by folding; the last such key wins */
	const struct jloc_node *last = jloc_at(c->doc, d->winner);

	c->stage = d->stage;
	if (last == m)
		emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_KEY_CASE",
		     "stage key %s should be \"%s\": runc runs these hooks (Go matches "
		     "keys case-insensitively); crun and youki silently ignore them",
		     k, oci_stage_names[d->stage]);
	else
		emit(c, m->kline, m->kcol, LINT_ERROR, "HOOK_KEY_CASE",
		     "stage key %s should be \"%s\": crun and youki ignore it; runc "
		     "reads it as \"%s\" but the later key at %u:%u overrides it", k,
		     oci_stage_names[d->stage], oci_stage_names[d->stage], last->kline, last->kcol);
	return d->stage;
}

static void check_hooks_obj(struct lint_ctx *c, const struct jloc_node *h)
{
	if (h->type == JLOC_NULL) {
		emit(c, h->line, h->col, LINT_WARNING, "HOOKS_TYPE",
		     "\"hooks\" is null: no hooks are configured");
		return;
	}
	if (go_take(c, h, OCI_DIAG_TYPE)) {
		bool ign = crun_take(c, h, OCI_DIAG_IGNORED) != NULL;

		emit(c, h->line, h->col, LINT_ERROR, "HOOKS_TYPE",
		     "\"hooks\" must be an object, not %s: runc refuses the whole config%s",
		     jloc_type_name(h->type), ign ? "; crun silently ignores every hook" : "");
		return;
	}
	render_dups(c, h, "\"hooks\"", true);
	JLOC_FOR_KIDS(c->doc, h, m) {
		int st = render_stage_key(c, m);

		if (st < 0)
			continue;
		c->stage = st;
		if (st == OCI_PRESTART)
			emit(c, m->kline, m->kcol, LINT_INFO, "HOOK_STAGE_DEPRECATED",
			     "\"prestart\" is deprecated: runc and crun still run it (just before "
			     "the createRuntime hooks); createRuntime is its successor");
		check_stage(c, m, st);
		c->stage = -1;
	}
}

static void describe_stages(struct sbuf *sb, const struct oci_hooks *h)
{
	bool any = false;

	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		if (!h->n[st])
			continue;
		sbuf_addf(sb, "%s%s %zu", any ? ", " : "", oci_stage_names[st], h->n[st]);
		any = true;
	}
	if (!any)
		sbuf_puts(sb, "none");
}

static bool hooks_equal(const struct oci_hook *a, const struct oci_hook *b)
{
	if (strcmp(a->path, b->path) || a->nargs != b->nargs || a->nenv != b->nenv)
		return false;
	for (size_t i = 0; i < a->nargs; i++)
		if (strcmp(a->args[i], b->args[i]))
			return false;
	for (size_t i = 0; i < a->nenv; i++)
		if (strcmp(a->env[i], b->env[i]))
			return false;
	return true;
}

/* Summarise when runc and crun would run different hooks for this config. */
static void check_divergence(struct lint_ctx *c, const struct jloc_node *at)
{
	const struct oci_hooks *go = oci_config_hooks(c->cfg, OCI_DIALECT_GO);
	const struct oci_hooks *ex = oci_config_hooks(c->cfg, OCI_DIALECT_EXACT);
	int ndiff = 0, which = -1;
	struct sbuf msg;

	if (go->refused || ex->refused)
		return;	/* a refusal is the finding that matters */
	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		bool d = go->n[st] != ex->n[st];

		for (size_t i = 0; i < go->n[st] && !d; i++)
			d = !hooks_equal(&go->v[st][i], &ex->v[st][i]);
		if (d) {
			ndiff++;
			which = st;
		}
	}
	if (!ndiff)
		return;
	sbuf_init(&msg);
	sbuf_puts(&msg, "runc and crun/youki will run different hooks for this config: runc ");
	describe_stages(&msg, go);
	sbuf_puts(&msg, "; crun ");
	describe_stages(&msg, ex);
	if (!memcmp(go->n, ex->n, sizeof(go->n)))
		sbuf_puts(&msg, " (the same stages, but different path, args or env)");
	c->stage = ndiff == 1 ? which : -1;
	add_finding(c, at->kline ? at->kline : at->line, at->kline ? at->kcol : at->col,
		    LINT_WARNING, "HOOKS_RUNTIME_DIFF", &msg);
	c->stage = -1;
}

/*
 * The rootfs as a directory handle: root.path as crun reads it, absolute, or
 * beneath the bundle directory. -1 when it cannot be known; startContainer
 * paths are then not checked.
 */
static int open_rootfs(struct lint_ctx *c, int bundle_dirfd)
{
	const char *p = oci_config_hooks(c->cfg, OCI_DIALECT_EXACT)->rootfs;
	int fd = -1;

	if (!p || !*p)
		return -1;
	c->rootfs = q(p, strlen(p));
	if (p[0] == '/')
		fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	else if (bundle_dirfd >= 0 && sr_opendir(NULL, bundle_dirfd, p, &fd))
		fd = -1;
	return fd;
}

/* A document that could not be read: its one finding. */
static void report_syntax(struct lint_ctx *c, const struct oci_syntax *syn)
{
	if (syn->err == -E2BIG) {
		emit(c, syn->line, syn->col, LINT_ERROR, "JSON_DEPTH",
		     "JSON nested deeper than %d levels: not checked further", JLOC_MAX_DEPTH);
	} else if (syn->strict) {
		struct sbuf msg;

		sbuf_init(&msg);
		sbuf_puts(&msg, "invalid JSON: ");
		esc_text(&msg, syn->text, strlen(syn->text));
		sbuf_puts(&msg, "; no runtime can load this file");
		add_finding(c, syn->line, syn->col, LINT_ERROR, "JSON_SYNTAX", &msg);
	} else {
		/* jansson accepted what jloc did not: report rather than guess */
		emit(c, syn->line, syn->col, LINT_ERROR, "JSON_SYNTAX", "invalid JSON: %s",
		     syn->text);
	}
}

/*
 * A parsed document and its decoders' diagnostics, ready to render: false
 * when there is nothing more to check (not JSON: its one finding is out; or
 * out of memory).
 */
static bool lint_begin(struct lint_ctx *c, const struct oci_syntax *syn,
		       const struct jloc_doc *doc, const struct oci_diags *diags)
{
	if (syn->err) {
		report_syntax(c, syn);
		return false;
	}
	c->doc = doc;
	c->diags = diags;
	c->used = calloc(diags->n + 1, sizeof(*c->used));
	if (!c->used)
		c->err = -ENOMEM;
	return c->used != NULL;
}

int lint_config(const struct oci_config *cfg, int bundle_dirfd, struct lint_result *out)
{
	struct lint_ctx c = { .file = cfg->name, .cfg = cfg, .out = out, .stage = -1,
			      .rootfd = -1 };
	size_t n0 = out->n;
	const struct jloc_node *root, *first_hooks = NULL;

	out->files++;
	if (!lint_begin(&c, &cfg->syntax, &cfg->doc, &cfg->diags))
		goto out;
	root = &cfg->doc.nodes[0];
	if (go_take(&c, root, OCI_DIAG_TYPE)) {
		emit(&c, root->line, root->col, LINT_ERROR, "JSON_NOT_OBJECT",
		     "a config.json must be a JSON object, not %s", jloc_type_name(root->type));
		goto out;
	}
	c.rootfd = open_rootfs(&c, bundle_dirfd);
	/* duplicate top-level "hooks" keys (the decoder reports no others there) */
	JLOC_FOR_KIDS(c.doc, root, m) {
		const struct oci_diag *d = go_take(&c, m, OCI_DIAG_DUPLICATE);
		const struct jloc_node *first;

		if (!d)
			continue;
		first = &c.doc->nodes[d->first];
		emit(&c, m->kline, m->kcol, LINT_ERROR, "HOOK_DUPLICATE_KEY",
		     "duplicate key \"hooks\" (first at %u:%u): crun keeps only the "
		     "first; runc merges both objects (a stage set in either runs)",
		     first->kline, first->kcol);
	}
	JLOC_FOR_KIDS(c.doc, root, m) {
		if (!jloc_key_is(m, "hooks")) {
			if (!go_take(&c, m, OCI_DIAG_KEY_FOLDED))
				continue;
			QSTR k = q(m->key, m->klen);
			emit(&c, m->kline, m->kcol, LINT_ERROR, "HOOKS_KEY_CASE",
			     "key %s should be \"hooks\": runc runs the hooks under it (Go matches "
			     "keys case-insensitively); crun and youki silently ignore all of them",
			     k);
		}
		if (!first_hooks)
			first_hooks = m;
		check_hooks_obj(&c, m);
	}
	if (first_hooks && !c.err)
		check_divergence(&c, first_hooks);
out:
	sort_findings(out, n0);
	if (c.rootfd >= 0)
		close(c.rootfd);
	free(c.rootfs);
	free(c.used);
	return c.err;
}

/* ---- hooks.d ---- */

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
		default:
			emit(c, line, col, LINT_ERROR, "HOOKSD_SCHEMA",
			     "%s: podman refuses to start ANY container while this file is "
			     "installed", c->hd->load_error ? c->hd->load_error : "invalid");
			break;
		}
	}
}

int lint_hooksd(const struct oci_hooksd_hook *h, struct lint_result *out)
{
	struct lint_ctx c = { .file = h->file, .out = out, .hooksd = true, .hd = h, .stage = -1 };
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

/* ---- kinds and paths ---- */

enum lint_kind {
	LINT_DETECT,	/* read the kind from the document */
	LINT_CONFIG,
	LINT_HOOKSD,
};

/*
 * Parse buf once and lint it as kind: the decoders take the document the
 * kind was read from. bundle_dir (or NULL) anchors a config's root.path.
 */
static int lint_parsed(const char *name, const char *buf, size_t len, const char *bundle_dir,
		       enum lint_kind kind, struct lint_result *out)
{
	struct oci_hooksd_hook h;
	struct oci_config *cfg;
	struct oci_syntax syn;
	struct jloc_doc doc;
	int dirfd = -1, err = oci_json_parse(buf, len, &doc, &syn);

	if (err) {
		jloc_free(&doc);
		free(syn.text);
		return err;
	}
	if (kind == LINT_DETECT)
		kind = oci_doc_is_hooksd(&doc) ? LINT_HOOKSD : LINT_CONFIG;
	if (kind == LINT_HOOKSD) {
		err = oci_hooksd_load_doc(name, &doc, &syn, NULL, &h);
		if (err)
			return err;
		err = lint_hooksd(&h, out);
		oci_hooksd_hook_free(&h);
		return err;
	}
	err = oci_config_from_doc(name, &doc, &syn, &cfg);
	if (err)
		return err;
	if (bundle_dir)
		dirfd = open(bundle_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	err = lint_config(cfg, dirfd, out);
	if (dirfd >= 0)
		close(dirfd);
	oci_config_free(cfg);
	return err;
}

int lint_hooksd_buf(const char *name, const char *buf, size_t len, struct lint_result *out)
{
	return lint_parsed(name, buf, len, NULL, LINT_HOOKSD, out);
}

int lint_buf(const char *name, const char *buf, size_t len, const char *bundle_dir,
	     struct lint_result *out)
{
	return lint_parsed(name, buf, len, bundle_dir, LINT_DETECT, out);
}

static int lint_file(const char *path, const char *bundle_dir, enum lint_kind kind,
		     struct lint_result *out)
{
	char *buf = NULL;
	size_t len;
	int err = sr_read_user(path, OCI_READ_MAX, &buf, &len, NULL);

	if (err)
		return err;
	err = lint_parsed(path, buf, len, bundle_dir, kind, out);
	free(buf);
	return err;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int lint_path(const char *path, struct lint_result *out)
{
	struct stat st;
	char *p = NULL;
	int err = 0;

	if (stat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode)) {
		char *dir = strdup(path), *slash;

		if (!dir)
			return -ENOMEM;
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		err = lint_file(path, slash ? (dir[0] ? dir : "/") : ".", LINT_DETECT, out);
		free(dir);
		return err;
	}
	if (asprintf(&p, "%s/config.json", path) < 0)
		return -ENOMEM;
	if (!access(p, F_OK)) {
		err = lint_file(p, path, LINT_CONFIG, out);	/* a bundle */
		free(p);
		return err;
	}
	free(p);

	/* a hooks.d directory: its *.json files, in name order */
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nv;

		if (l < 5 || strcmp(de->d_name + l - 5, ".json"))
			continue;
		nv = realloc(names, (n + 1) * sizeof(*nv));
		if (!nv || !(nv[n] = strdup(de->d_name))) {
			names = nv ? nv : names;
			err = -ENOMEM;
			break;
		}
		names = nv;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && !err; i++) {
		if (asprintf(&p, "%s/%s", path, names[i]) < 0) {
			err = -ENOMEM;
			break;
		}
		if (stat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		err = lint_file(p, NULL, LINT_HOOKSD, out);
		free(p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}
