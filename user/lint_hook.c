// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lint's checks of one hook entry, the same object in a config.json stage
 * array and in a hooks.d file's "hook": its keys (folded or unknown), its
 * path (absolute, present, executable: on the host, or inside the rootfs for
 * startContainer), args, env and timeout. Each message renders what the
 * decoders decided (runc's and crun's for config.json, podman's for hooks.d)
 * and states what the runtime does with it, as verified on the test machines
 * (runc 1.1.5, crun 1.8.1, podman 4.3.1); tests/integration/lint.bats
 * re-checks those claims against the real runtimes.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lint_int.h"

/* What happens when a hook of this stage cannot be executed. */
static const char *fail_effect(struct lint_ctx *c, int st)
{
	if (c->hooksd)
		return "the runtime fails to start any container this hook is injected into";
	/* runsc: gVisor release-20221219.0 runsc/container/container.go and hook.go */
	switch (st) {
	case OCI_POSTSTART:
		return "runc fails the container start; crun silently ignores the failure "
		       "(the hook never runs); runsc logs a warning and carries on";
	case OCI_POSTSTOP:
		return "runc logs an error and carries on; crun silently ignores it; runsc logs "
		       "a warning";
	case OCI_CREATE_CONTAINER:
	case OCI_START_CONTAINER:
		return "runc and crun fail to start the container (runsc never runs this stage)";
	default:
		return "runc, crun and runsc fail to start the container";
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

void check_path(struct lint_ctx *c, const struct jloc_node *p, int st, const char *stage)
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
		     "directory, crun cannot execute it and runsc refuses it (\"path for hook is "
		     "not absolute\"); %s", path, fail_effect(c, st));
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
		if (c->hostfd >= 0 && !c->hooksd)
			err = stat_in_root(c->hostfd, p->str, &sb);
		else
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

const char *type_refusal(struct lint_ctx *c)
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
void render_strs(struct lint_ctx *c, const struct jloc_node *v, const char *code, const char *field,
		 const char *crun_effect)
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
void check_entry(struct lint_ctx *c, const struct jloc_node *e, int st, const char *stage)
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
