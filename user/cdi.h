/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CDI (Container Device Interface) spec files as podman 4.3 loads them
 * (container-device-interface v0.5: pkg/cdi/spec.go, container-edits.go,
 * qualified-device.go, cache.go, spec-dirs.go): YAML or JSON read by
 * sigs.k8s.io/yaml's UnmarshalStrict (duplicate keys and unknown fields
 * refuse the file; keys matched as Go's encoding/json does, case folded;
 * scalars turned into strings where the field is a string), then
 * validated: cdiVersion 0.1.0 to 0.5.0, kind VENDOR/CLASS, device names,
 * non-empty device edits, hook names, non-empty hook paths, NAME=VALUE
 * env entries. Every decision keeps the document position it is about, so
 * lint can say where; a spec podman would not load says why in `refused`.
 *
 * Spec files are named by whoever can write /etc/cdi or /var/run/cdi:
 * hostile. Reading goes through saferead (cdi_registry_load), each file is
 * bounded, and the parser is libyaml under yamlloc's caps.
 */
#ifndef HS_CDI_H
#define HS_CDI_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonloc.h"
#include "lint.h"
#include "oci.h"

struct sr_root;

/* Largest spec file read (nvidia-ctk's specs are tens of KiB). */
#define CDI_READ_MAX (4u << 20)
/* Spec files read from the spec directories, at most. */
#define CDI_FILES_MAX 256

/* What the loader decided, where (for lint). */
struct cdi_diag {
	const char *code;		/* lint code, static */
	enum lint_severity sev;
	unsigned line, col;		/* 0: the file as a whole */
	int stage;			/* enum oci_stage it is about, or -1 */
	char *msg;			/* printable: untrusted parts escaped */
};

struct cdi_hook {
	int stage;		/* enum oci_stage of hookName, -1 when podman does not know it */
	struct oci_hook h;	/* as podman writes it into the config.json */
	int node;		/* the hook's mapping */
	int name_node, path_node, args_node; /* -1 when absent */
};

struct cdi_edits {
	struct cdi_hook *hooks;
	size_t nhooks;
	bool empty;		/* no env, deviceNodes, hooks or mounts */
	int node;		/* -1 when absent */
};

struct cdi_device {
	char *name;
	int node;
	struct cdi_edits edits;
};

struct cdi_spec {
	char *file;
	struct jloc_doc doc;
	int syntax;		/* yloc_parse()'s error: nothing below was decoded */
	char *version, *kind, *vendor, *class;
	struct cdi_edits edits;	/* the spec's own: applied with any of its devices */
	struct cdi_device *dev;
	size_t ndev;
	char *refused;		/* podman's loader refuses the file: its first reason */
	int priority;		/* index of its spec directory (later directories win) */
	struct cdi_diag *diags;
	size_t ndiags;
};

/* Decode buf as podman's CDI loader would. 0 (see out->refused) or -ENOMEM. */
int cdi_parse(const char *file, const char *buf, size_t len, struct cdi_spec *out);
void cdi_spec_free(struct cdi_spec *s);

/*
 * A qualified device name "VENDOR/CLASS=NAME" (CDI's syntax rules): true and
 * its three parts (pointers into buf, a copy the caller provides) or false.
 */
bool cdi_split_qualified(char *buf, const char **vendor, const char **class, const char **name);

/* The spec files of podman's spec directories, as one lookup. */
struct cdi_registry {
	struct cdi_spec **v;
	size_t n;
};

/* podman 4.3's spec directories, lowest priority first. */
extern const char *const cdi_default_dirs[2];

/*
 * Load every *.json and *.yaml file directly in dirs (lowest priority first)
 * under root r through saferead. Unreadable files are skipped, as podman
 * skips them. 0 or -ENOMEM.
 */
int cdi_registry_load(const struct sr_root *r, const char *const *dirs, size_t ndirs,
		      struct cdi_registry *reg);
void cdi_registry_free(struct cdi_registry *reg);

/*
 * The device a qualified name resolves to, as podman's cache resolves it:
 * among loadable specs, the highest-priority directory wins, and the same
 * device twice in one priority resolves to nothing. *spec receives its spec.
 */
const struct cdi_device *cdi_resolve(const struct cdi_registry *reg, const char *qualified,
				     const struct cdi_spec **spec);

/* Is this a CDI spec (rather than a config.json or a hooks.d file)? From name and content. */
bool cdi_looks_like_spec(const char *name, const char *buf, size_t len);

#endif
