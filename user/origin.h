/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where each configured hook of a container came from (SPEC `origin`): the
 * configuration file the runtime read, unless an engine put it there from
 * somewhere we can name: a podman hooks.d file, a CDI spec, or the engine's
 * own binary (Docker's prestart hook is /proc/<dockerd pid>/exe). One table
 * per container, parallel to the hooks its runtime reads; entries nobody
 * claimed are the configuration file's. Pure bookkeeping plus one read of
 * a magic link under the runtime's root.
 */
#ifndef HS_ORIGIN_H
#define HS_ORIGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "oci.h"
#include "record.h"

struct sr_root;

struct origin_entry {
	enum origin_kind kind;	/* ORIGIN_NONE: unclaimed, i.e. the configuration file's */
	char *file;		/* NULL when it cannot be told */
};

struct origin_table {
	struct origin_entry *v[OCI_STAGE_MAX];	/* sized like the hooks' stage arrays */
	size_t n[OCI_STAGE_MAX];
};

/* Forget every claim (the configuration was read again). */
void origin_table_free(struct origin_table *t);

/* Same hook: path, args, env and timeout, as an engine copies it into config.json. */
bool oci_hook_equal(const struct oci_hook *a, const struct oci_hook *b);

/*
 * The first hook of stage st in cfg that equals src and that nobody claimed
 * yet came from (kind, file). True when one was claimed; false when none
 * matches (the engine did not inject it, or the runtime ignores that stage).
 */
bool origin_claim(struct origin_table *t, const struct oci_hooks *cfg, int st,
		  const struct oci_hook *src, enum origin_kind kind, const char *file);

/*
 * Hooks whose path is /proc/PID/exe run the binary of a process that is
 * alive while the container is created: an engine calling itself back
 * (Docker's libnetwork-setkey). Claimed as ORIGIN_ENGINE with that
 * process's executable, read as the runtime sees it (under r), as file.
 */
void origin_claim_engines(struct origin_table *t, const struct oci_hooks *cfg,
			  const struct sr_root *r);

/*
 * The origin of configured hook (st, i): a claim, else the configuration
 * file `config_file` (ORIGIN_CONFIG). The returned file points into t or
 * is config_file.
 */
struct hook_origin origin_of(const struct origin_table *t, int st, size_t i,
			     const char *config_file);

#endif
