// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where a container's configuration comes from (see confsrc.h): reading it
 * safely, parsing it once per file identity, falling back to the runtime's
 * state directory, and podman's own hooks.d poststop hooks.
 *
 * Cache entries are keyed by the file's identity (device, inode, size,
 * mtime) and the bundle (lint checks hook binaries inside the bundle's
 * rootfs); one parse serves every runtime dialect. They are refcounted by
 * the containers using them, reused for CONFSRC_TTL_NS only (lint looks at
 * files on disk), and dropped when unused once the cache grows past
 * CONFSRC_MAX.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <uthash.h>

#include "cdi.h"
#include "confsrc.h"
#include "hooksd.h"
#include "rtdetect.h"
#include "rtstate.h"
#include "util.h"

#define CONFSRC_MAX 64
#define CONFSRC_TTL_NS 5000000000ull
/*
 * Real configs are kilobytes (runc spec: 2.5 KB; podman's: 11 KB); the
 * index of one this size costs at most ~9 times it while it is parsed
 * (jsonloc.h: JLOC_VALUE_BYTES), ~36 MiB: well within the DaemonSet's limit.
 */
#define CONFIG_MAX (4u << 20)

struct conf_entry {
	char *key;		/* NULL: not in the cache (private to one container) */
	struct oci_config *cfg;	/* parsed once, read in every dialect */
	struct lint_result lint;
	__u64 loaded_ns;
	unsigned refs;
	UT_hash_handle hh;
};

struct confsrc {
	struct conf_entry *cache;
};

static const struct lint_result no_findings;

const struct oci_hooks *ctr_conf_hooks(const struct ctr_conf *cc)
{
	return cc->entry ? oci_config_hooks(cc->entry->cfg, cc->dialect) : NULL;
}

const struct lint_result *ctr_conf_lint(const struct ctr_conf *cc)
{
	return cc->entry ? &cc->entry->lint : &no_findings;
}

struct hook_origin ctr_conf_origin(const struct ctr_conf *cc, int st, size_t i)
{
	const struct oci_hooks *h = ctr_conf_hooks(cc);
	size_t n = h && st >= 0 && st < OCI_STAGE_MAX ? h->n[st] : 0;

	if (st == OCI_POSTSTOP && i >= n && i - n < cc->podman_own.n[OCI_POSTSTOP])
		return (struct hook_origin){ ORIGIN_HOOKSD, cc->own_files[i - n] };
	if (!h)
		return (struct hook_origin){ ORIGIN_NONE, NULL };
	return origin_of(&cc->origins, st, i, cc->entry->cfg->name);
}

bool ctr_conf_claim(struct ctr_conf *cc, int st, const struct oci_hook *src,
		    enum origin_kind kind, const char *file)
{
	return origin_claim(&cc->origins, ctr_conf_hooks(cc), st, src, kind, file);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static void entry_free(struct confsrc *cs, struct conf_entry *e)
{
	if (e->key)
		HASH_DEL(cs->cache, e);
	oci_config_free(e->cfg);
	lint_result_free(&e->lint);
	free(e->key);
	free(e);
}

static bool entry_fresh(const struct confsrc *cs, const struct conf_entry *e, __u64 now)
{
	return now - e->loaded_ns < CONFSRC_TTL_NS && HASH_COUNT(cs->cache) <= CONFSRC_MAX;
}

/* Free the unreferenced entries that are stale (all: every one), except keep. */
static void cache_trim(struct confsrc *cs, bool all, const struct conf_entry *keep)
{
	struct conf_entry *e, *tmp;
	__u64 now = now_ns();

	HASH_ITER(hh, cs->cache, e, tmp)
		if (e != keep && !e->refs && (all || !entry_fresh(cs, e, now)))
			entry_free(cs, e);
}

static void entry_put(struct confsrc *cs, struct conf_entry *e)
{
	if (!e || --e->refs)
		return;
	if (e->key && entry_fresh(cs, e, now_ns()))
		return; /* kept for the next container from this file */
	entry_free(cs, e);
}

/* "cannot read PATH: WHY" / "cannot parse PATH: WHY" */
static void set_error(struct ctr_conf *cc, const char *verb, const char *path, const char *why)
{
	char msg[PATH_MAX + 128];

	snprintf(msg, sizeof(msg), "cannot %s %s: %s", verb, path, why);
	free(cc->error);
	cc->error = strdup(msg);
}

static void take_entry(struct ctr_conf *cc, struct conf_entry *e)
{
	origin_table_free(&cc->origins); /* claims were about the hooks read before */
	e->refs++;
	cc->entry = e;
	free(cc->error);
	cc->error = NULL;
}

/*
 * Parse a configuration once (every dialect) and lint it with the bundle
 * directory handle (-1: none) and the runtime's root (-1: ours); the entry
 * goes to the cache when key is set.
 */
static struct conf_entry *entry_parse(struct confsrc *cs, char *key, const char *name,
				      const char *buf, size_t len, int bundle_dirfd, int rootfd)
{
	struct conf_entry *e = calloc(1, sizeof(*e)), *old;

	if (!e || oci_config_parse(name, buf, len, &e->cfg)) {
		free(e);
		free(key);
		return NULL;
	}
	if (bundle_dirfd != -2)
		lint_config(e->cfg, bundle_dirfd, rootfd, &e->lint);
	/* the findings are rendered: live containers keep hooks, not the document */
	oci_config_shed(e->cfg);
	e->loaded_ns = now_ns();
	if (key) {
		HASH_FIND_STR(cs->cache, key, old);
		if (old && old->refs) {
			free(key); /* an expired twin still in use: this one stays private */
			key = NULL;
		} else if (old) {
			entry_free(cs, old);
		}
	}
	e->key = key;
	if (key) {
		HASH_ADD_KEYPTR(hh, cs->cache, e->key, strlen(e->key), e);
		/*
		 * Not e: it has no reference yet, and past CONFSRC_MAX entries
		 * none is fresh - it was freed under its caller (a use after
		 * free once more than 64 configurations were cached or live).
		 */
		cache_trim(cs, false, e);
	}
	return e;
}

/*
 * Read and parse file `path` under r (or beneath directory handle at),
 * sharing a fresh parse; `name` is what messages and findings call it and
 * `bundle` (under r) is where lint looks for the rootfs.
 */
static bool load(struct confsrc *cs, struct ctr_conf *cc, const struct sr_root *r, int at,
		 const char *path, const char *name, const char *bundle)
{
	struct conf_entry *e = NULL;
	int err, bdir = -1;
	struct stat st, rst = { 0 };
	char *buf, *key = NULL;
	size_t len;

	err = sr_read(r, at, path, CONFIG_MAX, &buf, &len, &st);
	if (err) {
		set_error(cc, "read", name, sr_strerror(err));
		return false;
	}
	/* lint resolves hook paths in the root: one file seen from two roots is two entries */
	if (r && r->fd >= 0)
		fstat(r->fd, &rst);
	if (asprintf(&key, "%llu|%llu|%lld|%lld.%ld|%llu|%llu|%s", (unsigned long long)st.st_dev,
		     (unsigned long long)st.st_ino, (long long)st.st_size,
		     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		     (unsigned long long)rst.st_dev, (unsigned long long)rst.st_ino, bundle ?: "") < 0)
		key = NULL;
	if (key)
		HASH_FIND_STR(cs->cache, key, e);
	if (e && entry_fresh(cs, e, now_ns())) {
		free(key);
	} else {
		/* lint checks startContainer paths in the rootfs: a handle on the bundle */
		if (!r || !bundle || sr_opendir(r, -1, bundle, &bdir))
			bdir = -1;
		e = entry_parse(cs, key, name, buf, len, bdir, r ? r->fd : -1);
		if (bdir >= 0)
			close(bdir);
	}
	free(buf);
	if (!e) {
		set_error(cc, "parse", name, strerror(ENOMEM));
		return false;
	}
	entry_put(cs, cc->entry);
	take_entry(cc, e);
	if (e->cfg->syntax.err) {
		set_error(cc, "parse", name,
			  e->cfg->syntax.err == -E2BIG	     ? "nested too deeply"
			  : e->cfg->syntax.err == -EOVERFLOW ? "too many values for its size"
							     : "not valid JSON");
		return false;
	}
	return true;
}

enum oci_dialect confsrc_dialect(enum rt_kind kind)
{
	return (kind == RT_RUNC || kind == RT_RUNSC) ? OCI_DIALECT_GO : OCI_DIALECT_EXACT;
}

bool confsrc__from_bundle(struct confsrc *cs, struct ctr_conf *cc, const struct sr_root *r,
			  enum rt_kind kind, const char *bundle, const char *config_file)
{
	cc->dialect = confsrc_dialect(kind);

	char path[PATH_MAX];

	if (config_file && config_file[0] == '/')
		snprintf(path, sizeof(path), "%s", config_file);
	else
		snprintf(path, sizeof(path), "%s/%s", bundle, config_file ?: "config.json");
	if (!load(cs, cc, r, -1, path, path, bundle))
		return false;
	origin_claim_engines(&cc->origins, ctr_conf_hooks(cc), r);
	return true;
}

/*
 * runc keeps its own parse of the hooks in state.json (stage keys already
 * folded, timeouts in nanoseconds): rebuild an OCI "hooks" object from it.
 */
static char *hooks_json_from_state(json_t *hooks, bool ns_timeouts)
{
	json_t *root = json_object(), *oh = json_object(), *arr, *h;
	const char *stage;
	char *text = NULL;
	size_t i;

	if (!root || !oh || !json_is_object(hooks))
		goto out;
	json_object_set(root, "hooks", oh);
	json_object_foreach(hooks, stage, arr) {
		json_t *na = json_array();

		json_array_foreach(arr, i, h) {
			json_t *e = json_object(), *v;

			if ((v = json_object_get(h, "path")))
				json_object_set(e, "path", v);
			if ((v = json_object_get(h, "args")) && json_is_array(v))
				json_object_set(e, "args", v);
			if ((v = json_object_get(h, "env")) && json_is_array(v))
				json_object_set(e, "env", v);
			v = json_object_get(h, "timeout");
			if (json_is_integer(v))
				json_object_set_new(e, "timeout",
						    json_integer(ns_timeouts ? json_integer_value(v) /
										   1000000000
									 : json_integer_value(v)));
			json_array_append_new(na, e);
		}
		json_object_set_new(oh, stage, na);
	}
	text = json_dumps(root, JSON_COMPACT);
out:
	json_decref(oh);
	json_decref(root);
	return text;
}

/* Stored hooks become a private entry: no file identity, no findings. */
static bool load_stored_hooks(struct confsrc *cs, struct ctr_conf *cc, json_t *hooks,
			      bool ns_timeouts, const char *name)
{
	char *text = hooks_json_from_state(hooks, ns_timeouts);
	struct conf_entry *e;

	if (!text)
		return false;
	/* -2: no lint run, the runtime wrote this text, not the user */
	e = entry_parse(cs, NULL, name, text, strlen(text), -2, -1);
	free(text);
	if (!e)
		return false;
	if (e->cfg->syntax.err) {
		entry_free(cs, e);
		return false;
	}
	entry_put(cs, cc->entry);
	take_entry(cc, e);
	return true;
}

/* The state file that holds runc's or youki's stored hooks: the hooks' origin. */
static const char *stored_name(char *buf, size_t sz, enum rt_kind kind, const char *state_root,
			       const char *id)
{
	snprintf(buf, sz, "%s/%s/%s", state_root ?: rt_default_root(kind), id,
		 kind == RT_RUNC ? "state.json" : "youki_config.json");
	return buf;
}

void confsrc__from_state(struct confsrc *cs, struct ctr_conf *cc, const struct sr_root *r,
			 enum rt_kind kind, const char *state_root, const char *id, char **bundle,
			 __u32 *init_pid)
{
	struct rt_state st;
	char path[PATH_MAX];

	*init_pid = 0;
	if (rt_state_lookup(kind, r, state_root, id, &st)) {
		if (!cc->error)
			cc->error = strdup("the bundle and the runtime's state directory could not "
					   "be read");
		return;
	}
	if (!*bundle)
		*bundle = strdup(st.bundle);
	/* the paths name the files in messages and origins only: reads go through the handle */
	snprintf(path, sizeof(path), "%s/%s/config.json", state_root ?: rt_default_root(kind), id);
	cc->dialect = confsrc_dialect(kind);
	if (st.has_config_copy && load(cs, cc, r, st.dirfd, "config.json", path, st.bundle)) {
		/* crun's verbatim copy of config.json */
	} else if (st.hooks && load_stored_hooks(cs, cc, st.hooks, kind == RT_RUNC,
						 stored_name(path, sizeof(path), kind,
							     state_root, id))) {
		/* runc's or youki's stored hooks */
	} else if (!cc->entry && !cc->error) {
		cc->error = strdup("the runtime's state directory has no configuration");
	}
	origin_claim_engines(&cc->origins, ctr_conf_hooks(cc), r);
	*init_pid = (__u32)st.pid;
	rt_state_free(&st);
}

/* The stages podman wrote hook h into config.json for (podman 5: prestart as createRuntime). */
static void claim_injected(struct ctr_conf *cc, const struct oci_hooksd_hook *h)
{
	for (int st = 0; st < OCI_STAGE_MAX; st++) {
		if (!h->stage[st] || ctr_conf_claim(cc, st, &h->hook, ORIGIN_HOOKSD, h->file))
			continue;
		if (st == OCI_PRESTART)
			ctr_conf_claim(cc, OCI_CREATE_RUNTIME, &h->hook, ORIGIN_HOOKSD, h->file);
	}
}

/* podman runs h's poststop itself: take the hook (and its file's name) over. */
static int own_add(struct ctr_conf *cc, struct oci_hooksd_hook *h)
{
	size_t n = cc->podman_own.n[OCI_POSTSTOP];
	struct oci_hook *nv = realloc(cc->podman_own.v[OCI_POSTSTOP], (n + 1) * sizeof(*nv));
	char **nf;

	if (!nv)
		return -ENOMEM;
	cc->podman_own.v[OCI_POSTSTOP] = nv;
	nf = realloc(cc->own_files, (n + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	cc->own_files = nf;
	nf[n] = h->file;
	h->file = NULL;
	nv[n] = h->hook; /* take ownership */
	memset(&h->hook, 0, sizeof(h->hook));
	cc->podman_own.n[OCI_POSTSTOP] = n + 1;
	return 0;
}

void confsrc__podman_own(struct ctr_conf *cc, const struct sr_root *r, char *const *dirs,
			 size_t ndirs)
{
	struct oci_hooksd d = {};
	size_t i;

	if (cc->podman_done || !ctr_conf_hooks(cc) || !r || r->fd < 0)
		return;
	cc->podman_done = true;
	if (oci_hooksd_load_root(r, (const char *const *)dirs, ndirs, &d))
		return;
	for (i = 0; i < d.n; i++) {
		struct oci_hooksd_hook *h = &d.v[i];

		if (h->load_error || h->dropped ||
		    oci_hooksd_matches(h, ctr_conf_hooks(cc), false) != 1)
			continue;
		claim_injected(cc, h);
		if (h->stage[OCI_POSTSTOP] && own_add(cc, h))
			break;
	}
	oci_hooksd_free(&d);
}

static void claim_cdi_edits(struct ctr_conf *cc, const struct cdi_edits *e, const char *file)
{
	for (size_t i = 0; i < e->nhooks; i++)
		if (e->hooks[i].stage >= 0)
			ctr_conf_claim(cc, e->hooks[i].stage, &e->hooks[i].h, ORIGIN_CDI, file);
}

/* Does the configuration hold every hook of these edits? (Not yet claimed, counted once.) */
static bool holds_edits(const struct oci_hooks *cfg, const struct cdi_edits *e, bool *used[])
{
	for (size_t i = 0; i < e->nhooks; i++) {
		const struct cdi_hook *k = &e->hooks[i];
		bool found = false;

		if (k->stage < 0)
			return false;
		for (size_t j = 0; j < cfg->n[k->stage] && !found; j++) {
			if (used[k->stage][j] || !oci_hook_equal(&cfg->v[k->stage][j], &k->h))
				continue;
			used[k->stage][j] = found = true;
		}
		if (!found)
			return false;
	}
	return true;
}

/*
 * No device list: a device of a loadable spec was injected when the
 * configuration holds all of its hooks (its spec's and its own), none of
 * them claimed. CDI injection leaves no other mark in config.json.
 */
static void claim_complete_devices(struct ctr_conf *cc, const struct cdi_registry *reg)
{
	const struct oci_hooks *cfg = ctr_conf_hooks(cc);
	bool *used[OCI_STAGE_MAX] = { 0 };
	bool ok = true;

	for (int st = 0; st < OCI_STAGE_MAX; st++)
		ok &= (used[st] = calloc(cfg->n[st] + 1, sizeof(bool))) != NULL;
	for (size_t i = 0; ok && i < reg->n; i++) {
		const struct cdi_spec *s = reg->v[i];

		for (size_t j = 0; !s->refused && j < s->ndev; j++) {
			const struct cdi_device *d = &s->dev[j];

			if (!s->edits.nhooks && !d->edits.nhooks)
				continue;
			for (int st = 0; st < OCI_STAGE_MAX; st++)
				memset(used[st], 0, cfg->n[st] * sizeof(bool));
			if (!holds_edits(cfg, &s->edits, used) || !holds_edits(cfg, &d->edits, used))
				continue;
			claim_cdi_edits(cc, &s->edits, s->file);
			claim_cdi_edits(cc, &d->edits, s->file);
		}
	}
	for (int st = 0; st < OCI_STAGE_MAX; st++)
		free(used[st]);
}

static bool has_hooks(const struct oci_hooks *h)
{
	for (int st = 0; h && st < OCI_STAGE_MAX; st++)
		if (h->n[st])
			return true;
	return false;
}

void confsrc__cdi(struct ctr_conf *cc, const struct sr_root *r, char *const *devs, size_t ndevs)
{
	struct cdi_registry reg;

	if (cc->cdi_done || !has_hooks(ctr_conf_hooks(cc)) || !r || r->fd < 0)
		return;
	cc->cdi_done = true;
	if (cdi_registry_load(r, cdi_default_dirs, 2, &reg))
		return;
	if (!devs)
		claim_complete_devices(cc, &reg);
	for (size_t i = 0; i < ndevs; i++) {
		const struct cdi_spec *s;
		const struct cdi_device *d = cdi_resolve(&reg, devs[i], &s);

		if (!d)
			continue; /* a host device path, or a name podman could not resolve */
		claim_cdi_edits(cc, &s->edits, s->file);
		claim_cdi_edits(cc, &d->edits, s->file);
	}
	cdi_registry_free(&reg);
}

void confsrc__release(struct confsrc *cs, struct ctr_conf *cc)
{
	entry_put(cs, cc->entry);
	for (size_t i = 0; i < cc->podman_own.n[OCI_POSTSTOP]; i++)
		free(cc->own_files[i]);
	free(cc->own_files);
	oci_hooks_free(&cc->podman_own);
	origin_table_free(&cc->origins);
	free(cc->error);
	memset(cc, 0, sizeof(*cc));
}

struct confsrc *confsrc__new(void)
{
	return calloc(1, sizeof(struct confsrc));
}

void confsrc__free(struct confsrc *cs)
{
	if (!cs)
		return;
	cache_trim(cs, true, NULL);
	free(cs);
}
