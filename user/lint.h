/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The static checker behind `hooksnoop lint`: finds the configuration mistakes
 * that make OCI hooks silently not run (or run under one runtime and not
 * another) in config.json files, bundle directories and podman / CRI-O hooks.d
 * files, and explains each in terms of what runc, crun/youki and podman do
 * with it. The tracer calls lint_config() on a container's parsed config to
 * attach the findings to its timeline. Codes are stable; docs/lint-codes.md
 * lists them.
 */
#ifndef HS_LINT_H
#define HS_LINT_H

#include <stddef.h>

enum lint_severity {
	LINT_INFO,
	LINT_WARNING,
	LINT_ERROR,
};

struct lint_finding {
	char *file;		/* as given (raw bytes: escape on output) */
	unsigned line, col;	/* 1-based; 0 when not tied to a position */
	enum lint_severity severity;
	const char *code;	/* static, e.g. "HOOK_KEY_CASE" */
	/*
	 * The hook stage (enum oci_stage) the finding is about, or -1: the stage
	 * a miscased or misspelt key was meant to be, the stage of a hook entry
	 * or stage array, the one stage where runc and crun differ.
	 */
	int stage;
	char *message;		/* printable: untrusted parts already escaped and bounded */
	size_t seq;		/* emission order (ties in position keep it) */
};

struct lint_result {
	struct lint_finding *v;
	size_t n, cap;
	size_t files;		/* inputs checked */
	size_t errors, warnings, infos;
};

struct oci_config;
/*
 * Check a config.json parsed once by oci_config_parse(): render what the
 * decoders noticed and add lint's own checks. bundle_dirfd (or -1) is the
 * bundle directory, under which a relative root.path is opened so that
 * startContainer hook paths are checked inside the rootfs. host_rootfd (or
 * -1: our own root) is the root of the runtime that reads the config: the
 * other stages' hook paths are resolved in it, as that runtime resolves them
 * (hooksnoop in a container sees its own image at "/", not the host's).
 * 0 or -ENOMEM.
 */
int lint_config(const struct oci_config *cfg, int bundle_dirfd, int host_rootfd,
		struct lint_result *out);
struct oci_hooksd_hook;
/*
 * Check a hooks.d file decoded once by oci_hooksd_load_buf(): render the
 * loader's diagnostics and add lint's own checks. 0 or -ENOMEM.
 */
int lint_hooksd(const struct oci_hooksd_hook *h, struct lint_result *out);
/* Check a hooks.d file held in buf: oci_hooksd_load_buf() + lint_hooksd(). */
int lint_hooksd_buf(const char *name, const char *buf, size_t len, struct lint_result *out);
struct cdi_spec;
/*
 * Check a CDI spec decoded once by cdi_parse(): render its loader's
 * verdicts and add lint's own checks of its hooks. 0 or -ENOMEM.
 */
int lint_cdi(const struct cdi_spec *s, struct lint_result *out);
/* Detect the kind (config.json, hooks.d file or CDI spec) and check it. */
int lint_buf(const char *name, const char *buf, size_t len, const char *bundle_dir,
	     struct lint_result *out);
/*
 * Check a file, a bundle directory (has config.json) or a hooks.d directory
 * (its *.json files). Returns 0, or -errno when the path cannot be read.
 */
int lint_path(const char *path, struct lint_result *out);
void lint_result_free(struct lint_result *r);
/*
 * Append a finding (file and message copied; message must be printable
 * already: untrusted parts escaped). stage: enum oci_stage or -1. 0 or -ENOMEM.
 */
int lint_result_add(struct lint_result *r, const char *file, unsigned line, unsigned col,
		    enum lint_severity sev, const char *code, int stage, const char *message);
const char *lint_severity_name(enum lint_severity s);

/* `hooksnoop lint [--json] PATH...`; argv[0] is "lint". Exit status 0, 1 or 2. */
int lint_main(int argc, char **argv);

#endif
