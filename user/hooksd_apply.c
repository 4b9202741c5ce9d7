// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * podman's hook manager over hooks.d directories (containers/common
 * pkg/hooks: New, When.Match, Hooks): load every *.json file of each
 * directory beneath its handle, a later directory masking the same file name
 * in an earlier one, in podman's injection order; decide whether a loaded
 * hook applies to a container (its annotations, process.args[0], bind
 * mounts); and append the hooks that do to the container's hooks the way
 * podman writes them into config.json. Reading one file is hooksd.c's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "goregex.h"
#include "hooksd.h"
#include "oci_int.h"
#include "saferead.h"

static int lower_cmp(const void *a, const void *b)
{
	const unsigned char *x = (const unsigned char *)((const struct oci_hooksd_hook *)a)->name;
	const unsigned char *y = (const unsigned char *)((const struct oci_hooksd_hook *)b)->name;

	for (; *x && tolower(*x) == tolower(*y); x++, y++)
		;
	return tolower(*x) - tolower(*y);
}

/* Add or replace (a later directory masks the same file name) one loaded hook. */
static int hooksd_put(struct oci_hooksd *out, struct oci_hooksd_hook *h)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].name, h->name))
			break;
	if (i < out->n) {
		oci_hooksd_hook_free(&out->v[i]);
	} else {
		struct oci_hooksd_hook *nv = realloc(out->v, (out->n + 1) * sizeof(*nv));

		if (!nv) {
			oci_hooksd_hook_free(h);
			return -ENOMEM;
		}
		out->v = nv;
		out->n++;
	}
	out->v[i] = *h;
	return 0;
}

#define HOOKSD_MAX_FILES 4096

/* The *.json files of one directory handle, read beneath it. */
static int hooksd_load_dirfd(const struct sr_root *root, int dfd, const char *dir,
			     struct oci_hooksd *out)
{
	char **names = NULL;
	size_t n = 0;
	int err = sr_list(dfd, false, HOOKSD_MAX_FILES, &names, &n);

	for (size_t i = 0; !err && i < n; i++) {
		size_t l = strlen(names[i]), blen;
		struct oci_hooksd_hook h;
		char *buf = NULL, *full = NULL;

		if (l < 5 || strcmp(names[i] + l - 5, ".json"))
			continue;
		err = sr_read(NULL, dfd, names[i], OCI_READ_MAX, &buf, &blen, NULL);
		if (err) {
			/* vanished, not a regular file, too large, stuck: podman would not load it either */
			err = err == -ENOMEM ? err : 0;
			continue;
		}
		if (asprintf(&full, "%s/%s", dir, names[i]) < 0) {
			free(buf);
			err = -ENOMEM;
			break;
		}
		err = oci_hooksd_load_buf(full, buf, blen, root, &h);
		free(full);
		free(buf);
		if (!err)
			err = hooksd_put(out, &h);
	}
	sr_names_free(names, n);
	return err;
}

int oci_hooksd_load_root(const struct sr_root *root, const char *const *dirs, size_t ndirs,
			 struct oci_hooksd *out)
{
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (size_t d = 0; d < ndirs && !err; d++) {
		int dfd;

		err = sr_opendir(root, -1, dirs[d], &dfd);
		if (err == -ENOENT || err == -ENOTDIR) {
			err = 0;	/* podman skips a missing directory */
			continue;
		}
		if (err)
			break;
		err = hooksd_load_dirfd(root, dfd, dirs[d], out);
		close(dfd);
	}
	if (err) {
		oci_hooksd_free(out);
		return err;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), lower_cmp);
	return 0;
}

static int rx_match(const struct goregex *rx, const char *s)
{
	return goregex_match(rx, s, strlen(s));
}

int oci_hooksd_matches(const struct oci_hooksd_hook *h, const struct oci_hooks *cfg,
		       bool has_bind_mounts)
{
	int matches = 0;

	if (h->always >= 0) {
		if (h->always) {
			if (h->or_mode)
				return 1;
			matches++;
		} else if (!h->or_mode) {
			return 0;
		}
	}
	if (h->has_bind_mounts >= 0) {
		if (h->has_bind_mounts && has_bind_mounts) {
			if (h->or_mode)
				return 1;
			matches++;
		} else if (!h->or_mode) {
			return 0;
		}
	}
	for (size_t i = 0; i < h->nann; i++) {
		int match = 0;

		if (!h->ann_key_rx || !h->ann_key_rx[i] || !h->ann_val_rx[i])
			return -EINVAL;
		for (size_t j = 0; j < cfg->nann && !match; j++) {
			match = rx_match(h->ann_key_rx[i], cfg->ann_keys[j]);
			if (match > 0)
				match = rx_match(h->ann_val_rx[i], cfg->ann_vals[j]);
			if (match < 0)
				return match;
		}
		if (match) {
			if (h->or_mode)
				return 1;
			matches++;
		} else if (!h->or_mode) {
			return 0;
		}
	}
	/* commands decide on their own once reached (podman's When.Match) */
	if (h->ncmd) {
		if (!cfg->nproc_args)
			return -EINVAL;
		for (size_t i = 0; i < h->ncmd; i++) {
			int m = h->cmd_rx && h->cmd_rx[i] ? rx_match(h->cmd_rx[i], cfg->proc_args[0])
							   : -EINVAL;

			if (m)
				return m;
		}
		return 0;
	}
	return matches > 0;
}

static int hooks_append(struct oci_hooks *cfg, int st, const struct oci_hook *src)
{
	struct oci_hook *nv = realloc(cfg->v[st], (cfg->n[st] + 1) * sizeof(*nv));
	struct oci_hook *h;

	if (!nv)
		return -ENOMEM;
	cfg->v[st] = nv;
	h = &nv[cfg->n[st]];
	*h = *src;
	h->path = strdup(src->path ? src->path : "");
	if (!h->path || strv_dup(src->args, src->nargs, &h->args) ||
	    strv_dup(src->env, src->nenv, &h->env)) {
		h->nargs = h->nenv = 0;
		oci_hook_free(h);
		return -ENOMEM;
	}
	cfg->n[st]++;
	return 0;
}

int oci_hooksd_apply(const struct oci_hooksd *d, struct oci_hooks *cfg, bool has_bind_mounts,
		     bool prestart_as_create_runtime, struct oci_hooks *podman_own)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct oci_hooksd_hook *h = &d->v[i];
		int m, err;

		if (h->load_error || h->dropped)
			continue;
		m = oci_hooksd_matches(h, cfg, has_bind_mounts);
		if (m < 0)
			return m;
		if (!m)
			continue;
		for (int st = 0; st < OCI_STAGE_MAX; st++) {
			if (!h->stage[st])
				continue;
			if (st == OCI_POSTSTOP && podman_own)
				err = hooks_append(podman_own, st, &h->hook);
			else
				err = hooks_append(cfg, st == OCI_PRESTART && prestart_as_create_runtime
							   ? OCI_CREATE_RUNTIME : st, &h->hook);
			if (err)
				return err;
		}
	}
	return 0;
}
