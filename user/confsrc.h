/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Configuration source: a container's hooks as its runtime reads them, and
 * the lint findings that explain its timeline, from the bundle's
 * config.json, else from the runtime's state directory, plus the hooks.d
 * poststop hooks podman runs itself. Every file is read through the safe
 * reader under the root of the runtime process that named it. Parses are
 * shared: containers started from the same file (same identity and
 * bundle) share one parse and one lint run for CONFSRC_TTL_NS, whichever
 * runtimes read them.
 */
#ifndef HS_CONFSRC_H
#define HS_CONFSRC_H

#include <linux/types.h>
#include <stdbool.h>

#include "lint.h"
#include "oci.h"
#include "origin.h"
#include "rtargs.h"
#include "saferead.h"

struct confsrc;
struct conf_entry;

/* What a container knows of its configuration. Zero-initialised = nothing yet. */
struct ctr_conf {
	struct conf_entry *entry;	/* parsed config + findings (shared), NULL if unread */
	enum oci_dialect dialect;	/* how this container's runtime reads it */
	char *error;			/* why it could not be read, or NULL */
	struct oci_hooks podman_own;	/* hooks.d poststop hooks podman runs itself */
	char **own_files;		/* the hooks.d file of each of those */
	bool podman_done;
	bool cdi_done;
	struct origin_table origins;	/* hooks an engine put in the configuration */
};

/* The hooks the runtime will run, or NULL when the configuration is unread. */
const struct oci_hooks *ctr_conf_hooks(const struct ctr_conf *cc);
/* Findings about the configuration (empty when unread); never NULL. */
const struct lint_result *ctr_conf_lint(const struct ctr_conf *cc);

/*
 * Where configured hook i of stage st came from: a claim (hooks.d, CDI,
 * engine), else the configuration file. Indexes past the configuration's
 * poststop hooks are podman's own (attrib_cfg_hook()'s numbering).
 */
struct hook_origin ctr_conf_origin(const struct ctr_conf *cc, int st, size_t i);
/*
 * The first unclaimed hook of stage st equal to src came from (kind, file)
 * (an engine copied it into the configuration). True when one was claimed.
 */
bool ctr_conf_claim(struct ctr_conf *cc, int st, const struct oci_hook *src,
		    enum origin_kind kind, const char *file);

struct confsrc *confsrc__new(void);
void confsrc__free(struct confsrc *cs);

/*
 * Read `bundle`'s configuration (crun -f config_file, relative to the
 * bundle unless absolute; else config.json) under root r, as runtime kind reads it.
 * True when read and parsed; otherwise cc->error says why.
 */
bool confsrc__from_bundle(struct confsrc *cs, struct ctr_conf *cc, const struct sr_root *r,
			  enum rt_kind kind, const char *bundle, const char *config_file);

/* How runtime kind reads JSON: runc and runsc as Go does, the others exactly. */
enum oci_dialect confsrc_dialect(enum rt_kind kind);

/*
 * The runtime's state directory for container id under state_root (NULL =
 * the runtime's default): the configuration the runtime itself loaded (crun's
 * copy of config.json, runc's and youki's stored hooks). *bundle (if NULL)
 * receives the recorded bundle, *init_pid the init waiting for start (0).
 */
void confsrc__from_state(struct confsrc *cs, struct ctr_conf *cc, const struct sr_root *r,
			 enum rt_kind kind, const char *state_root, const char *id, char **bundle,
			 __u32 *init_pid);

/* podman's hooks.d poststop hooks (dirs resolved under r) that apply to this container. */
void confsrc__podman_own(struct ctr_conf *cc, const struct sr_root *r, char *const *dirs,
			 size_t ndirs);

/*
 * Hooks a CDI spec injected claim their equals in the configuration as
 * origin "cdi" with the spec file. The specs are read from podman's CDI
 * spec directories under r (once per container). devs: podman's --device
 * values, whose CDI device names say which devices (each brings its spec's
 * hooks and its own, as podman injects each --device); NULL when unknown
 * (a runtime whose podman we did not see): then each device whose hooks
 * the configuration holds, all of them, unclaimed.
 */
void confsrc__cdi(struct ctr_conf *cc, const struct sr_root *r, char *const *devs, size_t ndevs);

/* Drop the container's share of its configuration and free what it owns. */
void confsrc__release(struct confsrc *cs, struct ctr_conf *cc);

#endif
