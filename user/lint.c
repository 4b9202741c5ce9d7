// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every lint check shares, and lint's inputs. The finding list
 * (severity counts, each file's findings in position order), messages that
 * quote untrusted text (keys, paths) cut at LINT_STR_MAX bytes and escaped,
 * the decoders' diagnostics each taken once as it is rendered, "did you
 * mean", duplicate keys and the one finding of a document that is not
 * JSON (jansson's error line:column). Inputs: a buffer, a file, a bundle
 * directory or a hooks.d directory, its kind read from the document, parsed
 * once and handed to lint_config.c (config.json) or lint_hooksd.c (hooks.d).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cdi.h"
#include "hooksd.h"
#include "lint.h"
#include "lint_int.h"
#include "saferead.h"

#define LINT_STR_MAX 200

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

int lint_result_add(struct lint_result *r, const char *file, unsigned line, unsigned col,
		    enum lint_severity sev, const char *code, int stage, const char *message)
{
	struct lint_finding *f;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct lint_finding *nv = realloc(r->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	f = &r->v[r->n];
	f->file = strdup(file);
	f->message = strdup(message);
	if (!f->file || !f->message) {
		free(f->file);
		free(f->message);
		return -ENOMEM;
	}
	f->line = line;
	f->col = col;
	f->severity = sev;
	f->code = code;
	f->stage = stage;
	f->seq = r->n;
	r->n++;
	if (sev == LINT_ERROR)
		r->errors++;
	else if (sev == LINT_WARNING)
		r->warnings++;
	else
		r->infos++;
	return 0;
}

void add_finding(struct lint_ctx *c, unsigned line, unsigned col, enum lint_severity sev,
		 const char *code, struct sbuf *msg)
{
	if (msg->oom || c->err ||
	    lint_result_add(c->out, c->file, line, col, sev, code, c->stage, sbuf_str(msg)))
		c->err = -ENOMEM;
	sbuf_free(msg);
}

/*
 * Formatted finding. In fmt, "%K" is not used: callers pre-build untrusted parts
 * with put_str into a separate sbuf and pass them as "%s".
 */
void emit(struct lint_ctx *c, unsigned line, unsigned col, enum lint_severity sev, const char *code,
	  const char *fmt, ...)
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
char *q(const char *s, size_t n)
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


/*
 * A decoder's diagnostic of this kind about node n, not yet rendered, from
 * this dialect (unless -1) with this field (unless NULL) and key flag (unless
 * -1); marked rendered when take. NULL when the decoders found nothing there.
 */
const struct oci_diag *diag_find(struct lint_ctx *c, const struct jloc_node *n,
				 enum oci_diag_kind kind, int dialect, const char *field, int key,
				 bool take)
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
const struct oci_diag *hd_take(struct lint_ctx *c, const struct jloc_node *n,
			       enum oci_diag_kind kind, const char *field)
{
	return diag_find(c, n, kind, OCI_DIALECT_GO, field, -1, true);
}

/* What runc's (Go) decoder decided about n. */
const struct oci_diag *go_take(struct lint_ctx *c, const struct jloc_node *n,
			       enum oci_diag_kind kind)
{
	return diag_find(c, n, kind, OCI_DIALECT_GO, NULL, -1, true);
}

/* What crun's (exact) decoder decided about n. */
const struct oci_diag *crun_take(struct lint_ctx *c, const struct jloc_node *n,
				 enum oci_diag_kind kind)
{
	return diag_find(c, n, kind, OCI_DIALECT_EXACT, NULL, -1, true);
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
void sort_findings(struct lint_result *r, size_t from)
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
const char *did_you_mean(const char *s, size_t n, const char *const *cands, size_t ncands,
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
void render_dups(struct lint_ctx *c, const struct jloc_node *o, const char *where, bool stage_keys)
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

/* ---- a document that could not be read ---- */

/* A document that could not be read: its one finding. */
static void report_syntax(struct lint_ctx *c, const struct oci_syntax *syn)
{
	if (syn->err == -E2BIG) {
		emit(c, syn->line, syn->col, LINT_ERROR, "JSON_DEPTH",
		     "JSON nested deeper than %d levels: not checked further", JLOC_MAX_DEPTH);
	} else if (syn->err == -EOVERFLOW) {
		emit(c, syn->line, syn->col, LINT_ERROR, "JSON_TOO_MANY_VALUES",
		     "too many values for its size (over %u, and over one per %u bytes "
		     "beyond): not checked; indexing it would cost ~%u times its size",
		     JLOC_FREE_VALUES, JLOC_VALUE_BYTES, (unsigned)(sizeof(struct jloc_node) / 2));
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
bool lint_begin(struct lint_ctx *c, const struct oci_syntax *syn, const struct jloc_doc *doc,
		const struct oci_diags *diags)
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

/* ---- kinds and paths ---- */

enum lint_kind {
	LINT_DETECT,	/* read the kind from the document */
	LINT_CONFIG,
	LINT_HOOKSD,
	LINT_HOOKSD_OR_CDI, /* in a directory: a hooks.d file unless it is a CDI spec */
};

/* A CDI spec file (YAML or JSON): podman's loader's verdicts, then lint's checks. */
static int lint_cdi_buf(const char *name, const char *buf, size_t len, struct lint_result *out)
{
	struct cdi_spec s;
	int err = cdi_parse(name, buf, len, &s);

	if (!err)
		err = lint_cdi(&s, out);
	cdi_spec_free(&s);
	return err;
}

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
	int dirfd = -1, err;

	if ((kind == LINT_DETECT || kind == LINT_HOOKSD_OR_CDI) && cdi_looks_like_spec(name, buf, len))
		return lint_cdi_buf(name, buf, len, out);
	if (kind == LINT_HOOKSD_OR_CDI)
		kind = LINT_HOOKSD;
	err = oci_json_parse(buf, len, &doc, &syn);
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
	err = lint_config(cfg, dirfd, -1, out);
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

	/* a hooks.d directory (*.json) or a CDI spec directory (*.json, *.yaml), in name order */
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nv;

		if (l < 5 || (strcmp(de->d_name + l - 5, ".json") &&
			      strcmp(de->d_name + l - 5, ".yaml")))
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
		err = lint_file(p, NULL, LINT_HOOKSD_OR_CDI, out);
		free(p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}
