/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runtime state directories: what crun/krun, runc and youki record about a
 * container (bundle, init pid, hooks as loaded) under their state root, for
 * start/kill/delete invocations whose create was not seen. Everything is read
 * through the safe reader (saferead.h) under the runtime process's own root,
 * and the container's state directory is handed on as a directory handle,
 * never as a path string.
 */
#ifndef HS_RTSTATE_H
#define HS_RTSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "rtdetect.h"
#include "saferead.h"

#define RT_ID_MAX 255 /* an ID is a directory name in the state root */

/* 1..RT_ID_MAX bytes, no '/', not "." or "..", no control bytes. */
bool rt_id_valid(const char *id);

/* Default state root of a runtime run by root without --root: /run/crun, ... */
const char *rt_default_root(enum rt_kind kind);

/* What a runtime's state directory says about a container. */
struct rt_state {
	enum rt_kind kind;
	char *id;
	char *bundle;           /* never NULL after a successful lookup */
	char *rootfs;           /* as recorded: crun keeps config's root.path (maybe relative) */
	char *created;          /* RFC 3339 */
	char *status;           /* youki only (created, running, stopped, ...); else NULL */
	int pid;                /* init pid, 0 if not recorded */
	unsigned long long pid_start; /* its start time, clock ticks since boot; 0 if absent */
	bool systemd_cgroup;
	int dirfd;              /* the container's state directory (O_PATH) after a lookup;
				 * -1 otherwise. Owned: closed by rt_state_free(). */
	bool has_config_copy;   /* crun/krun: "config.json" beneath dirfd is a regular file,
				 * crun's verbatim copy of the bundle's config.json taken at
				 * create; read it with sr_read(NULL, dirfd, "config.json", ...) */
	json_t *hooks;          /* hooks as the runtime stored them, or NULL:
				 * runc: state.json config.Hooks (keys already normalised
				 * by runc, "timeout" in NANOseconds or null);
				 * youki: youki_config.json "hooks" (OCI form, seconds) */
};

/*
 * Read the state of container `id` under state root `root` (NULL =
 * rt_default_root()) as the runtime process whose root is `rtroot` sees it:
 * crun/krun <root>/<id>/status, runc <root>/<id>/state.json (bundle from the
 * last "bundle=" label, as `runc state` does), youki <root>/<id>/state.json.
 * `root` is resolved inside rtroot (RESOLVE_IN_ROOT), the ID is validated
 * before use and opened as one name beneath the state root, the files as
 * single names beneath that: nothing leaves the state root, no symlink is
 * followed, no FIFO waited on. On success out->dirfd holds the container's
 * state directory. 0; -EINVAL bad ID, relative root or no rtroot; -ENOENT no
 * such container; -EBADMSG unparsable, not a regular file, or no bundle;
 * -EFBIG state file too large; -ENOTSUP runtime without a known state
 * format; -ELOOP / -EXDEV a symlink or an escape; -ETIMEDOUT; other -errno.
 */
int rt_state_lookup(enum rt_kind kind, const struct sr_root *rtroot, const char *root,
		    const char *id, struct rt_state *out);

/* Parse a state file's text (as rt_state_lookup() does after reading it); dirfd is -1. */
int rt_state_parse(enum rt_kind kind, const char *text, size_t len, struct rt_state *out);

/* Frees and closes everything; *st stays valid as an empty state (dirfd -1). */
void rt_state_free(struct rt_state *st);

#endif
