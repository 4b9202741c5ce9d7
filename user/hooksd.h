/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * podman / CRI-O hooks.d files: one file loaded with podman's rules (schema
 * 1.0.0 and legacy 0.1.0, read with Go semantics, hooksd.c), whole
 * directories in podman's precedence, the rule deciding whether such a hook
 * applies to a container, and injecting it (hooksd_apply.c). A hook is the
 * same struct oci_hook as config.json's (oci.h).
 */
#ifndef HS_HOOKSD_H
#define HS_HOOKSD_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonloc.h"
#include "oci.h"

struct goregex;

#define OCI_HOOKSD_DEFAULT_DIR "/usr/share/containers/oci/hooks.d"
#define OCI_HOOKSD_OVERRIDE_DIR "/etc/containers/oci/hooks.d"

struct oci_hooksd_hook {
	char *file;		/* full path of the .json file */
	char *name;		/* its basename: the override and ordering key */
	bool legacy;		/* 0.1.0 (or no version) schema */
	struct oci_hook hook;
	bool stage[OCI_STAGE_MAX];	/* requested stages (prestart kept as written) */
	bool precreate;		/* podman extension stage: config filter before create */
	/* when: -1 unset, 0 false, 1 true */
	int always;
	int has_bind_mounts;
	char **ann_key_re;	/* annotation key regex -> value regex */
	char **ann_val_re;
	size_t nann;
	char **cmd_re;		/* process.args[0] regexes */
	size_t ncmd;
	/* the same compiled once at load (NULL entries where a pattern is refused) */
	struct goregex **ann_key_rx, **ann_val_rx, **cmd_rx;
	bool or_mode;		/* 0.1.0: any condition suffices */
	/*
	 * Why podman would not use this hook: load_error = it refuses to start ANY
	 * container while this file is present (bad version, unknown stage, bad
	 * regex, type error); dropped = it silently skips the hook (path missing).
	 */
	char *load_error;
	bool dropped;
	/*
	 * The file as read: its document (every member and position), why it is
	 * not JSON (syntax.err; jansson's verdict, which lint reports: the
	 * loader decodes whatever jloc could read, as Go would), and what the
	 * decoder decided on the way, per node: each cause of load_error and
	 * dropped. version_node is the member whose "version" Go kept (0: none).
	 */
	struct jloc_doc doc;
	struct oci_syntax syntax;
	struct oci_diags diags;
	int version_node;
};

struct oci_hooksd {
	struct oci_hooksd_hook *v;	/* sorted by lower-cased file name, as podman injects */
	size_t n;
};

struct sr_root;
/*
 * Load one hooks.d file with podman's rules (never fails on content: see
 * load_error and diags). The hook path's existence is checked beneath root
 * (the root the file was read under), or on the host when root is NULL.
 * 0, or -ENOMEM / -errno from reading the file.
 */
int oci_hooksd_load_buf(const char *name, const char *buf, size_t len, const struct sr_root *root,
			struct oci_hooksd_hook *out);
/* The same from a document oci_json_parse() made; takes doc and syn as oci_config_from_doc(). */
int oci_hooksd_load_doc(const char *name, struct jloc_doc *doc, struct oci_syntax *syn,
			const struct sr_root *root, struct oci_hooksd_hook *out);
/*
 * Load directories in increasing precedence (podman's default order is
 * OCI_HOOKSD_DEFAULT_DIR then OCI_HOOKSD_OVERRIDE_DIR): a file in a later
 * directory masks the same file name in an earlier one. Missing directories
 * are skipped. Only *.json regular files are read. The directories are named
 * by a podman command line, so they are resolved inside root (that podman's
 * /proc/PID/root) and every file is read beneath its directory handle.
 */
int oci_hooksd_load_root(const struct sr_root *root, const char *const *dirs, size_t ndirs,
			 struct oci_hooksd *out);
void oci_hooksd_hook_free(struct oci_hooksd_hook *h);
void oci_hooksd_free(struct oci_hooksd *d);

/*
 * podman's When.Match: does hook h apply to a container with config cfg
 * (process.args, annotations) and bind mounts requested or not? Returns 1, 0,
 * or -EINVAL (bad regex, or commands set and process.args empty).
 */
int oci_hooksd_matches(const struct oci_hooksd_hook *h, const struct oci_hooks *cfg,
		       bool has_bind_mounts);

/*
 * Append the matching, usable hooks to cfg the way podman injects them, in
 * file-name order. podman 4 (containers/common < 0.58, as on the test
 * machines) writes a "prestart" hooks.d stage as prestart; podman 5 writes it
 * as createRuntime (prestart_as_create_runtime). poststop hooks are run by podman itself
 * (an extension stage), so they go to podman_own->v[OCI_POSTSTOP] instead when
 * podman_own is given. Returns 0 or -errno.
 */
int oci_hooksd_apply(const struct oci_hooksd *d, struct oci_hooks *cfg, bool has_bind_mounts,
		     bool prestart_as_create_runtime, struct oci_hooks *podman_own);

#endif
