// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attribution of hook processes to containers and stages.
 *
 * Objects. A `proc` per live tracked process (tgid). An `inv` per runtime
 * invocation: an exec of a runtime binary with a command line (crun create,
 * runc --root R delete ID, podman run ...); forks inherit their parent's inv,
 * runtime re-execs (/proc/self/exe, /dev/fd/N) keep it, and a runtime started
 * by another runtime (podman -> runc) gets its own inv whose parent is the
 * caller's. A `container` per (runtime, state root, id): the timeline that
 * create, start and delete (or run) build together.
 *
 * Sides. A leaf in the same mount namespace as its invocation is a host-side
 * hook (prestart, createRuntime, poststart, poststop). A leaf in another
 * mount namespace is either the container process (pid 1 of its pid
 * namespace, or forked from the host side) or a container-side hook forked by
 * the container init (createContainer, startContainer).
 *
 * Stages. Each side runs its stages in a fixed order and each stage's array in
 * order, so observed hook execs are matched, in time order, against the
 * configured arrays by path and argv with one cursor per side and one per
 * stage. A hook whose command appears in several stages lands in the earliest
 * stage the cursors still allow. Without a readable configuration the stage
 * is inferred from the subcommand, the side and the container process's
 * progress, and marked inferred.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <uthash.h>

#include "correlate.h"
#include "escape.h"
#include "lint.h"
#include "log.h"
#include "oci.h"
#include "rtargs.h"
#include "rtdetect.h"
#include "rtstate.h"
#include "saferead.h"
#include "util.h"

enum hstatus { HS_OK, HS_FAILED, HS_KILLED, HS_TIMEOUT, HS_EXEC_FAILED, HS_UNFINISHED };

static const char *const hstatus_name[] = {
	"ok", "failed", "killed", "timeout", "exec_failed", "unfinished",
};

enum side { SIDE_HOST, SIDE_CONTAINER };

struct container;
struct inv;

struct hook_run {
	struct hook_run *next;
	int stage;  /* enum oci_stage, or -1 = unknown */
	int index;  /* position in the stage's array, -1 = not matched */
	bool inferred;
	__u32 pid, ppid;
	char *path;
	char *argv;
	size_t argv_len;
	bool argv_trunc;
	__u64 start_ns, end_ns;
	enum hstatus status;
	int exit_code, signal, err;
	bool ended;
	bool reported;
};

struct container {
	char *key;
	char *id;
	char *runtime; /* binary name: crun, runc, youki ... */
	enum rt_kind kind;
	char *bundle;
	char *cfg_error; /* why the configuration could not be read, or NULL */
	struct oci_hooks cfg;   /* owned, or shared with `cache` */
	bool cfg_ok;
	struct cfg_entry *cache; /* cfg and lint belong to this cache entry */
	char *cache_key;
	struct oci_hooks podman_own; /* hooks.d poststop hooks podman runs itself */
	bool podman_managed;
	struct lint_result lint;
	struct hook_run *hooks, **hooks_tail;
	unsigned nhooks;
	size_t next_idx[OCI_STAGE_MAX];
	int cursor[2];          /* per side: the stage reached */
	bool due[OCI_STAGE_MAX]; /* the lifecycle reached the point where this stage runs */
	bool stage_stopped[OCI_STAGE_MAX]; /* a hook failed: the rest was not run */
	/* container process */
	__u32 cpid;
	char *cargv;
	size_t cargv_len;
	__u64 cstart_ns, cexit_ns;
	int cexit_code, csignal;
	bool cstarted, cexited;
	__u64 create_ns;
	__u32 init_pid;    /* from the state dir: the init waiting for start */
	unsigned long long drops_at_create; /* kernel loss count at its first record */
	const char *state; /* created, running, stopped, deleted */
	unsigned live_invs; /* invocations of this container still running */
	struct inv *holder; /* podman invocation that runs its poststop hooks, if any */
	bool lost;
	bool done;
	bool deleted;
	UT_hash_handle hh;
	struct container *list_next; /* finished containers, for --expect */
};

struct inv {
	__u32 pid;
	__u64 start_ns;
	__u32 mntns;
	enum rt_kind kind;
	char *name;
	enum rt_cmd cmd;
	char *id;
	struct container *c;      /* container this invocation acts on */
	struct container *last_c; /* podman: container of its last runtime call */
	struct inv *parent;
	char **hooks_dirs; /* podman: --hooks-dir values or the defaults */
	size_t nhooks_dirs;
	unsigned refs;
	bool exited;
	unsigned long long drops; /* loss stamp of its exec record */
	bool seeded_init; /* found running at start as pid 1 of a container: all its leaves
			   * are container-side, its own exec is the container process */
	bool detach;  /* run -d */
	bool counted; /* started after tracing began (CI mode waits for it) */
};

struct proc {
	__u32 tgid;
	struct inv *inv;
	enum hs_urole role;
	bool seeded;
	__u32 mntns;
	struct hook_run *hook;
	struct container *hook_c;
	struct container *ctr_of; /* this is that container's process */
	UT_hash_handle hh;
};

struct correlator {
	const struct settings *s;
	struct output *out;
	struct proc *procs;
	struct container *containers;   /* live, by key */
	struct container *finished;     /* ended, kept for --expect (records already out) */
	unsigned ncontainers, nhooks;
	bool lost_any;
	unsigned long long drops_reported;
	struct cfg_entry *cfg_cache;
	correlator_drops_fn drops_now;
	void *drops_ctx;
};

static unsigned long long drops_seen_now(const struct correlator *c)
{
	return c->drops_now ? c->drops_now(c->drops_ctx) : 0;
}

/* ---- small helpers ------------------------------------------------------ */


static bool filter_ok(const struct correlator *c, const char *id)
{
	size_t i;

	if (!c->s->ncontainers)
		return true;
	if (!id)
		return false;
	for (i = 0; i < c->s->ncontainers; i++)
		if (!fnmatch(c->s->containers[i], id, 0))
			return true;
	return false;
}

static enum oci_dialect dialect_of(enum rt_kind k)
{
	return (k == RT_RUNC || k == RT_RUNSC) ? OCI_DIALECT_GO : OCI_DIALECT_EXACT;
}

/* ---- process table ------------------------------------------------------ */

static struct proc *proc_get(struct correlator *c, __u32 tgid, bool create)
{
	struct proc *p;

	HASH_FIND(hh, c->procs, &tgid, sizeof(tgid), p);
	if (p || !create)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	p->role = HS_UROLE_RUNTIME;
	HASH_ADD(hh, c->procs, tgid, sizeof(p->tgid), p);
	return p;
}

static void inv_put(struct correlator *c, struct inv *iv);

static void proc_del(struct correlator *c, struct proc *p)
{
	HASH_DEL(c->procs, p);
	if (p->inv)
		inv_put(c, p->inv);
	free(p);
}

static void proc_set_inv(struct correlator *c, struct proc *p, struct inv *iv)
{
	if (iv)
		iv->refs++;
	if (p->inv)
		inv_put(c, p->inv);
	p->inv = iv;
}

/* ---- output -------------------------------------------------------------- */

static const char *stage_label(int st)
{
	return st >= 0 ? oci_stage_name(st) : "unknown";
}

static void fmt_duration(char *buf, size_t sz, __u64 ns)
{
	if (ns < 1000000ull)
		snprintf(buf, sz, "%.0fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, sz, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, sz, "%.1fs", (double)ns / 1e9);
}

static void emit_hook(struct correlator *c, struct container *ct, struct hook_run *h)
{
	struct output *o = c->out;
	struct sbuf *sb = &o->line;
	char t[64], d[32];

	if (h->reported || !filter_ok(c, ct->id))
		return;
	h->reported = true;
	c->nhooks++;
	if (o->json) {
		sbuf_puts(sb, "{\"type\":\"hook\",\"container\":");
		esc_json(sb, ct->id, strlen(ct->id));
		sbuf_puts(sb, ",\"runtime\":");
		esc_json(sb, ct->runtime, strlen(ct->runtime));
		sbuf_addf(sb, ",\"stage\":\"%s\",\"index\":", stage_label(h->stage));
		if (h->index >= 0)
			sbuf_addf(sb, "%d", h->index);
		else
			sbuf_puts(sb, "null");
		sbuf_addf(sb, ",\"inferred\":%s,\"pid\":%u,\"ppid\":%u,\"path\":",
			  h->inferred ? "true" : "false", h->pid, h->ppid);
		esc_json(sb, h->path, strlen(h->path));
		sbuf_puts(sb, ",\"argv\":");
		esc_argv_json(sb, h->argv, h->argv_len);
		sbuf_addf(sb, ",\"argv_truncated\":%s,\"start_ns\":%llu,\"end_ns\":",
			  h->argv_trunc ? "true" : "false", (unsigned long long)h->start_ns);
		if (h->ended)
			sbuf_addf(sb, "%llu,\"duration_ns\":%llu", (unsigned long long)h->end_ns,
				  (unsigned long long)(h->end_ns - h->start_ns));
		else
			sbuf_puts(sb, "null,\"duration_ns\":null");
		sbuf_addf(sb, ",\"status\":\"%s\",\"exit_code\":", hstatus_name[h->status]);
		if (h->ended && h->status != HS_EXEC_FAILED && !h->signal)
			sbuf_addf(sb, "%d", h->exit_code);
		else
			sbuf_puts(sb, "null");
		output__rfc3339(o, h->start_ns, t, sizeof(t));
		sbuf_addf(sb, ",\"signal\":%d,\"errno\":%d,\"time\":\"%s\"}", h->signal, h->err, t);
	} else {
		output__text_time(o, h->end_ns ? h->end_ns : h->start_ns, t, sizeof(t));
		if (h->ended)
			fmt_duration(d, sizeof(d), h->end_ns - h->start_ns);
		else
			snprintf(d, sizeof(d), "-");
		sbuf_addf(sb, "%-12s ", t);
		esc_text(sb, ct->id, strlen(ct->id) > 16 ? 16 : strlen(ct->id));
		sbuf_addf(sb, " %s %s", ct->runtime, stage_label(h->stage));
		if (h->index >= 0)
			sbuf_addf(sb, "[%d]", h->index);
		if (h->inferred)
			sbuf_puts(sb, "?");
		sbuf_addf(sb, " %s %s", d, hstatus_name[h->status]);
		if (h->status == HS_FAILED)
			sbuf_addf(sb, "(%d)", h->exit_code);
		else if (h->status == HS_KILLED || h->status == HS_TIMEOUT)
			sbuf_addf(sb, "(SIG%s)", sigabbrev_np(h->signal) ?: "?");
		else if (h->status == HS_EXEC_FAILED)
			sbuf_addf(sb, "(%s)", strerrorname_np(h->err) ?: "?");
		sbuf_puts(sb, "  ");
		if (h->argv_len)
			esc_argv_text(sb, h->argv, h->argv_len);
		else
			esc_text(sb, h->path, strlen(h->path));
	}
	output__flush_line(o);
}

/* ---- containers ---------------------------------------------------------- */

/*
 * Parsed configurations, shared by containers started from the same bundle:
 * a storm of containers from one config.json parses it (and lints it) once.
 * Keyed by the file's identity (device, inode, size, mtime), the bundle and
 * the dialect; reused for CFG_CACHE_TTL_NS only, because lint also looks at
 * the hook binaries on disk. Entries are refcounted by the containers using
 * them; unused ones are dropped when the cache grows past CFG_CACHE_MAX.
 */
#define CFG_CACHE_MAX 64
#define CFG_CACHE_TTL_NS 5000000000ull

struct cfg_entry {
	char *key;
	struct oci_hooks cfg;
	struct lint_result lint;
	__u64 loaded_ns;
	unsigned refs;
	UT_hash_handle hh;
};

static void cfg_entry_free(struct correlator *c, struct cfg_entry *e)
{
	HASH_DEL(c->cfg_cache, e);
	oci_hooks_free(&e->cfg);
	lint_result_free(&e->lint);
	free(e->key);
	free(e);
}

static void cfg_entry_put(struct correlator *c, struct cfg_entry *e)
{
	if (!e || --e->refs)
		return;
	if (mono_now_ns() - e->loaded_ns < CFG_CACHE_TTL_NS && HASH_COUNT(c->cfg_cache) <= CFG_CACHE_MAX)
		return; /* keep it for the next container from this bundle */
	cfg_entry_free(c, e);
}

static void cfg_cache_trim(struct correlator *c, bool all)
{
	struct cfg_entry *e, *tmp;
	__u64 now = mono_now_ns();

	HASH_ITER(hh, c->cfg_cache, e, tmp) {
		if (e->refs || (!all && now - e->loaded_ns < CFG_CACHE_TTL_NS &&
				HASH_COUNT(c->cfg_cache) <= CFG_CACHE_MAX))
			continue;
		cfg_entry_free(c, e);
	}
}

static bool config_from_buf(struct correlator *c, struct container *ct, const char *path,
			    const char *bundle_dir, char *buf, size_t len);

static bool load_config(struct correlator *c, struct container *ct, const char *bundle_dir,
			const char *config_file)
{
	char path[PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	int err;

	(void)c;
	if (config_file && config_file[0] == '/')
		snprintf(path, sizeof(path), "%s", config_file);
	else if (config_file)
		snprintf(path, sizeof(path), "%s/%s", bundle_dir, config_file);
	else
		snprintf(path, sizeof(path), "%s/config.json", bundle_dir);
	{
		struct stat st;
		struct cfg_entry *e;
		char *key = NULL;

		if (!stat(path, &st) &&
		    asprintf(&key, "%s|%s|%d|%llu|%llu|%lld|%lld.%ld", path, bundle_dir ?: "",
			     (int)dialect_of(ct->kind), (unsigned long long)st.st_dev,
			     (unsigned long long)st.st_ino, (long long)st.st_size,
			     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec) >= 0) {
			HASH_FIND_STR(c->cfg_cache, key, e);
			if (e && mono_now_ns() - e->loaded_ns < CFG_CACHE_TTL_NS) {
				free(key);
				e->refs++;
				ct->cache = e;
				ct->cfg = e->cfg;   /* shared: the entry owns them */
				ct->lint = e->lint;
				free(ct->cfg_error);
				ct->cfg_error = NULL;
				ct->cfg_ok = true;
				return true;
			}
			ct->cache_key = key;
		}
	}
	err = oci_read_file(path, &buf, &len);
	if (err) {
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "cannot read %s: %s", path, strerror(-err));
		free(ct->cfg_error);
		ct->cfg_error = strdup(msg);
		return false;
	}
	return config_from_buf(c, ct, path, bundle_dir, buf, len);
}

/* Parse and lint a config's text (named `path` in messages); frees buf. */
static bool config_from_buf(struct correlator *c, struct container *ct, const char *path,
			    const char *bundle_dir, char *buf, size_t len)
{
	int err;

	err = oci_hooks_from_buf(buf, len, dialect_of(ct->kind), &ct->cfg);
	if (err) {
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "cannot parse %s: %s", path,
			 err == -EINVAL ? "not valid JSON" : strerror(-err));
		free(ct->cfg_error);
		ct->cfg_error = strdup(msg);
	} else {
		free(ct->cfg_error);
		ct->cfg_error = NULL;
		ct->cfg_ok = true;
	}
	lint_config_buf(path, buf, len, bundle_dir, &ct->lint);
	free(buf);
	if (ct->cfg_ok && ct->cache_key && !ct->cache) {
		/* the container's parse becomes the cache's; the container shares it */
		struct cfg_entry *e = calloc(1, sizeof(*e));

		if (e) {
			struct cfg_entry *old;

			HASH_FIND_STR(c->cfg_cache, ct->cache_key, old);
			if (old && old->refs) {
				/* an expired twin still in use: this container keeps its own */
				free(e);
				free(ct->cache_key);
				ct->cache_key = NULL;
				return ct->cfg_ok;
			}
			if (old)
				cfg_entry_free(c, old);
			e->key = ct->cache_key;
			ct->cache_key = NULL;
			e->cfg = ct->cfg;
			e->lint = ct->lint;
			e->loaded_ns = mono_now_ns();
			e->refs = 1;
			ct->cache = e;
			HASH_ADD_KEYPTR(hh, c->cfg_cache, e->key, strlen(e->key), e);
			cfg_cache_trim(c, false);
		}
	}
	free(ct->cache_key);
	ct->cache_key = NULL;
	return ct->cfg_ok;
}

/*
 * runc keeps its own parse of the hooks in state.json (stage keys already
 * folded, timeouts in nanoseconds): rebuild an OCI "hooks" object from it.
 */
static bool hooks_from_state_json(struct container *ct, json_t *hooks, bool ns_timeouts)
{
	json_t *root = json_object(), *oh = json_object(), *arr, *h;
	const char *stage;
	size_t i;
	char *text;
	bool ok = false;

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
	if (text) {
		ok = !oci_hooks_from_buf(text, strlen(text), OCI_DIALECT_EXACT, &ct->cfg);
		free(text);
	}
out:
	json_decref(oh);
	json_decref(root);
	return ok;
}

/*
 * The bundle's config could not be read (moved, deleted, or we arrived after
 * create): the runtime's state directory has what the runtime itself loaded.
 */
/* crun's verbatim copy of config.json, read beneath its state directory handle. */
static bool load_config_copy(struct correlator *c, struct container *ct, const char *root,
			     const struct rt_state *st)
{
	char path[PATH_MAX + 512], *buf;
	size_t len;
	int err;

	/* the path names the copy in messages only; the read goes through the handle */
	snprintf(path, sizeof(path), "%s/%s/config.json", root ? root : rt_default_root(ct->kind),
		 ct->id);
	/* the bound oci_read_file() puts on a bundle's config.json */
	err = sr_read(NULL, st->dirfd, "config.json", 16u << 20, &buf, &len, NULL);
	if (err) {
		char msg[PATH_MAX + 600];

		snprintf(msg, sizeof(msg), "cannot read %s: %s", path, sr_strerror(err));
		free(ct->cfg_error);
		ct->cfg_error = strdup(msg);
		return false;
	}
	return config_from_buf(c, ct, path, st->bundle, buf, len);
}

static void load_from_state(struct correlator *c, struct container *ct, const char *root)
{
	struct sr_root host = SR_ROOT_INIT;
	struct rt_state st;
	int err;

	/* the host's root until the model hands over the runtime's own (/proc/PID/root) */
	err = sr_root_of_path(&host, "/");
	if (!err)
		err = rt_state_lookup(ct->kind, &host, root, ct->id, &st);
	sr_root_close(&host);
	if (err) {
		if (!ct->cfg_error)
			ct->cfg_error = strdup("the bundle and the runtime's state directory could "
					       "not be read");
		return;
	}
	if (!ct->bundle)
		ct->bundle = strdup(st.bundle);
	if (st.has_config_copy && load_config_copy(c, ct, root, &st)) {
		/* crun's verbatim copy of config.json */
	} else if (st.hooks && hooks_from_state_json(ct, st.hooks, ct->kind == RT_RUNC)) {
		free(ct->cfg_error);
		ct->cfg_error = NULL;
		ct->cfg_ok = true;
	} else if (!ct->cfg_ok && !ct->cfg_error) {
		ct->cfg_error = strdup("the runtime's state directory has no configuration");
	}
	ct->init_pid = (__u32)st.pid;
	rt_state_free(&st);
}

static struct container *container_get(struct correlator *c, struct inv *iv, const char *root,
				       bool create)
{
	struct container *ct;
	char key[PATH_MAX + 512];

	if (!iv->id)
		return NULL;
	snprintf(key, sizeof(key), "%s|%s|%s", iv->name, root ? root : rt_default_root(iv->kind),
		 iv->id);
	HASH_FIND_STR(c->containers, key, ct);
	if (ct || !create)
		return ct;
	ct = calloc(1, sizeof(*ct));
	if (!ct)
		return NULL;
	ct->key = strdup(key);
	ct->id = strdup(iv->id);
	ct->runtime = strdup(iv->name);
	ct->kind = iv->kind;
	ct->hooks_tail = &ct->hooks;
	ct->create_ns = iv->start_ns;
	ct->drops_at_create = iv->drops;
	ct->state = "creating";
	ct->cursor[0] = ct->cursor[1] = -1;
	HASH_ADD_KEYPTR(hh, c->containers, ct->key, strlen(ct->key), ct);
	return ct;
}

static unsigned configured(const struct container *ct, int st)
{
	unsigned n = ct->cfg_ok ? (unsigned)ct->cfg.n[st] : 0;

	if (st == OCI_POSTSTOP)
		n += (unsigned)ct->podman_own.n[OCI_POSTSTOP];
	return n;
}

struct stage_tally {
	unsigned fired, failed;
};

static void tally(const struct container *ct, struct stage_tally t[OCI_STAGE_MAX])
{
	const struct hook_run *h;

	memset(t, 0, sizeof(struct stage_tally) * OCI_STAGE_MAX);
	for (h = ct->hooks; h; h = h->next) {
		if (h->stage < 0)
			continue;
		t[h->stage].fired++;
		if (h->status != HS_OK && h->status != HS_UNFINISHED)
			t[h->stage].failed++;
	}
}

static const char *verdict(const struct container *ct, const struct stage_tally t[])
{
	int st;

	if (ct->lost)
		return "unknown";
	for (st = 0; st < OCI_STAGE_MAX; st++)
		if (t[st].failed)
			return "hook_failed";
	for (st = 0; st < OCI_STAGE_MAX; st++)
		if (ct->due[st] && !ct->stage_stopped[st] && t[st].fired < configured(ct, st))
			return "missing";
	return "ok";
}

static void emit_container_json(struct correlator *c, struct container *ct,
				const struct stage_tally t[])
{
	struct sbuf *sb = &c->out->line;
	char ts[64];
	size_t i;
	int st;

	sbuf_puts(sb, "{\"type\":\"container\",\"container\":");
	esc_json(sb, ct->id, strlen(ct->id));
	sbuf_puts(sb, ",\"runtime\":");
	esc_json(sb, ct->runtime, strlen(ct->runtime));
	sbuf_puts(sb, ",\"bundle\":");
	if (ct->bundle)
		esc_json(sb, ct->bundle, strlen(ct->bundle));
	else
		sbuf_puts(sb, "null");
	sbuf_addf(sb, ",\"state\":\"%s\",\"stages\":{", ct->state);
	for (st = 0; st < OCI_STAGE_MAX; st++)
		sbuf_addf(sb, "%s\"%s\":{\"configured\":%u,\"fired\":%u,\"failed\":%u}",
			  st ? "," : "", oci_stage_name(st), configured(ct, st), t[st].fired,
			  t[st].failed);
	sbuf_puts(sb, "},\"process\":");
	if (ct->cstarted) {
		sbuf_addf(sb, "{\"pid\":%u,\"argv\":", ct->cpid);
		esc_argv_json(sb, ct->cargv, ct->cargv_len);
		sbuf_addf(sb, ",\"start_ns\":%llu,\"exit_ns\":", (unsigned long long)ct->cstart_ns);
		if (ct->cexited)
			sbuf_addf(sb, "%llu,\"exit_code\":%d,\"signal\":%d}",
				  (unsigned long long)ct->cexit_ns, ct->cexit_code, ct->csignal);
		else
			sbuf_puts(sb, "null,\"exit_code\":null,\"signal\":null}");
	} else {
		sbuf_puts(sb, "null");
	}
	sbuf_addf(sb, ",\"verdict\":\"%s\",\"configuration\":", verdict(ct, t));
	if (ct->cfg_error)
		esc_json(sb, ct->cfg_error, strlen(ct->cfg_error));
	else if (ct->cfg_ok && ct->cfg.refused)
		esc_json(sb, ct->cfg.refused, strlen(ct->cfg.refused));
	else
		sbuf_puts(sb, "\"ok\"");
	sbuf_puts(sb, ",\"warnings\":[");
	for (i = 0; i < ct->lint.n; i++) {
		const struct lint_finding *f = &ct->lint.v[i];

		sbuf_addf(sb, "%s{\"code\":\"%s\",\"severity\":\"%s\",\"message\":", i ? "," : "",
			  f->code, lint_severity_name(f->severity));
		esc_json(sb, f->message, strlen(f->message));
		sbuf_puts(sb, "}");
	}
	output__rfc3339(c->out, ct->create_ns, ts, sizeof(ts));
	sbuf_addf(sb, "],\"lost\":%s,\"time\":\"%s\"}", ct->lost ? "true" : "false", ts);
	output__flush_line(c->out);
}

/* Does a warning about this container's config name this stage ("poststart")? */
static bool lint_mentions(const struct container *ct, const char *stage)
{
	char q[64];
	size_t i;

	snprintf(q, sizeof(q), "\"%s\"", stage);
	for (i = 0; i < ct->lint.n; i++)
		if (ct->lint.v[i].severity != LINT_INFO && strstr(ct->lint.v[i].message, q))
			return true;
	return false;
}

/* Append text, wrapped at 98 columns, continuation lines indented by `indent`. */
static void wrap_line(struct output *o, const char *first, const char *text, int indent)
{
	struct sbuf *sb = &o->line;
	size_t col, len = strlen(text);
	const char *p = text;

	sbuf_puts(sb, first);
	col = strlen(first);
	while (len) {
		size_t room = col < 98 ? 98 - col : 20, n = len;

		if (n > room) {
			n = room;
			while (n > room / 2 && p[n] != ' ')
				n--;
			if (p[n] != ' ')
				n = room;
		}
		sbuf_add(sb, p, n);
		p += n;
		len -= n;
		while (len && *p == ' ')
			p++, len--;
		if (len) {
			output__flush_line(o);
			sbuf_addf(sb, "%*s", indent, "");
			col = (size_t)indent;
		}
	}
	output__flush_line(o);
}

static void emit_container_text(struct correlator *c, struct container *ct,
				const struct stage_tally t[])
{
	struct output *o = c->out;
	struct sbuf *sb = &o->line;
	const struct hook_run *h;
	char d[32];
	size_t i;
	int st;

	sbuf_puts(sb, "== container ");
	esc_text(sb, ct->id, strlen(ct->id) > 64 ? 64 : strlen(ct->id));
	sbuf_addf(sb, " (%s) %s, verdict: %s", ct->runtime, ct->state, verdict(ct, t));
	output__flush_line(o);
	if (ct->bundle) {
		sbuf_puts(sb, "   bundle ");
		esc_text(sb, ct->bundle, strlen(ct->bundle));
		output__flush_line(o);
	}
	if (ct->cfg_error) {
		sbuf_puts(sb, "   configuration: ");
		esc_text(sb, ct->cfg_error, strlen(ct->cfg_error));
		sbuf_puts(sb, " (stages inferred)");
		output__flush_line(o);
	}
	if (ct->cfg_ok && ct->cfg.refused) {
		char first[64];

		snprintf(first, sizeof(first), "   %s refuses this configuration: ", ct->runtime);
		wrap_line(o, first, ct->cfg.refused, 6);
	}
	sbuf_addf(sb, "   %-16s %10s %6s %6s", "stage", "configured", "fired", "failed");
	output__flush_line(o);
	for (st = 0; st < OCI_STAGE_MAX; st++) {
		unsigned cf = configured(ct, st);
		const char *mark = "-";

		if (t[st].failed)
			mark = "\u2717 failed";
		else if (cf && t[st].fired >= cf)
			mark = "\u2713";
		else if (cf && ct->stage_stopped[st])
			mark = "\u2717 not reached (an earlier hook failed)";
		else if (cf && !ct->due[st])
			mark = "- not due yet";
		else if (cf)
			mark = "\u2717 MISSING";
		else if (lint_mentions(ct, oci_stage_name(st)))
			mark = "\u2717 not run by this runtime: see the warning below";
		sbuf_addf(sb, "   %-16s %10u %6u %6u  %s", oci_stage_name(st), cf, t[st].fired,
			  t[st].failed, mark);
		output__flush_line(o);
	}
	/* hooks and the container process start/exit, merged in time order */
	{
		const struct hook_run *nh = ct->hooks;
		int cstate = ct->cstarted ? 0 : 2;

		for (;;) {
			__u64 ct_ts = cstate == 0 ? ct->cstart_ns : ct->cexit_ns;
			bool ctr_next = cstate < 2 && (cstate == 0 || ct->cexited) &&
					(!nh || ct_ts <= nh->start_ns);

			if (!nh && !ctr_next)
				break;
			if (ctr_next) {
				sbuf_addf(sb, "   %+9.3fs  ",
					  (double)((__s64)(ct_ts - ct->create_ns)) / 1e9);
				if (cstate == 0) {
					sbuf_addf(sb, "container process started, pid %u: ", ct->cpid);
					esc_argv_text(sb, ct->cargv,
						      ct->cargv_len > 200 ? 200 : ct->cargv_len);
				} else if (ct->csignal) {
					sbuf_addf(sb, "container process killed by SIG%s",
						  sigabbrev_np(ct->csignal) ?: "?");
				} else {
					sbuf_addf(sb, "container process exited with %d",
						  ct->cexit_code);
				}
				output__flush_line(o);
				cstate++;
				continue;
			}
			h = nh;
			nh = nh->next;
			if (h->ended)
				fmt_duration(d, sizeof(d), h->end_ns - h->start_ns);
			else
				snprintf(d, sizeof(d), "-");
			sbuf_addf(sb, "   %+9.3fs  %s", (double)((__s64)(h->start_ns - ct->create_ns)) / 1e9,
				  stage_label(h->stage));
			if (h->index >= 0)
				sbuf_addf(sb, "[%d]", h->index);
			sbuf_addf(sb, "%s %s %s  ", h->inferred ? "?" : "", d, hstatus_name[h->status]);
			if (h->argv_len)
				esc_argv_text(sb, h->argv, h->argv_len > 200 ? 200 : h->argv_len);
			else
				esc_text(sb, h->path, strlen(h->path));
			output__flush_line(o);
		}
	}
	for (i = 0; i < ct->lint.n; i++) {
		const struct lint_finding *f = &ct->lint.v[i];

		char first[64];

		if (f->severity == LINT_INFO)
			continue;
		snprintf(first, sizeof(first), "   %s %s: ", lint_severity_name(f->severity), f->code);
		wrap_line(o, first, f->message, 6);
	}
	if (ct->lost) {
		sbuf_puts(sb, "   events were lost while this container ran: the timeline may be "
			      "incomplete");
		output__flush_line(o);
	}
}

static void container_free(struct correlator *c, struct container *ct);

/* Forget every pointer to ct, then free it: live mode keeps no finished state. */
static void container_release(struct correlator *c, struct container *ct)
{
	struct proc *p, *tmp;
	struct inv *iv;

	HASH_ITER(hh, c->procs, p, tmp) {
		if (p->hook_c == ct) {
			p->hook = NULL;
			p->hook_c = NULL;
		}
		if (p->ctr_of == ct)
			p->ctr_of = NULL;
		for (iv = p->inv; iv; iv = iv->parent) {
			if (iv->c == ct)
				iv->c = NULL;
			if (iv->last_c == ct)
				iv->last_c = NULL;
		}
	}
	container_free(c, ct);
}

/*
 * drops: the kernel's loss count when the container's last record was made
 * (or now, when tracing stops): any loss since its first record may have
 * eaten its events, so the verdict becomes unknown.
 */
static void container_finish(struct correlator *c, struct container *ct, unsigned long long drops)
{
	struct stage_tally t[OCI_STAGE_MAX];
	struct hook_run *h;

	if (ct->done)
		return;
	ct->done = true;
	if (drops > ct->drops_at_create) {
		ct->lost = true; /* something was lost while it lived: maybe its events */
		c->lost_any = true;
	}
	for (h = ct->hooks; h; h = h->next) {
		if (!h->ended)
			h->status = HS_UNFINISHED;
		emit_hook(c, ct, h);
	}
	HASH_DEL(c->containers, ct);
	if (filter_ok(c, ct->id)) {
		c->ncontainers++;
		tally(ct, t);
		if (c->out->json)
			emit_container_json(c, ct, t);
		else
			emit_container_text(c, ct, t);
	}
	if (c->s->nexpect) { /* kept for the verdict at the end */
		ct->list_next = c->finished;
		c->finished = ct;
	} else {
		container_release(c, ct);
	}
}

/* Finish when no invocation of the container runs and its lifecycle ended. */
static void container_maybe_finish(struct correlator *c, struct container *ct,
				   unsigned long long drops)
{
	if (ct->done || ct->live_invs)
		return;
	if (ct->holder && !ct->holder->exited)
		return; /* podman still to run its own poststop hooks */
	if (ct->deleted)
		container_finish(c, ct, drops);
}

static void inv_put(struct correlator *c, struct inv *iv);

static void container_free(struct correlator *c, struct container *ct)
{
	struct hook_run *h, *n;

	if (ct->holder)
		inv_put(c, ct->holder);
	for (h = ct->hooks; h; h = n) {
		n = h->next;
		free(h->path);
		free(h->argv);
		free(h);
	}
	free(ct->cache_key);
	if (ct->cache) {
		cfg_entry_put(c, ct->cache);
	} else {
		oci_hooks_free(&ct->cfg);
		lint_result_free(&ct->lint);
	}
	oci_hooks_free(&ct->podman_own);
	free(ct->key);
	free(ct->id);
	free(ct->runtime);
	free(ct->bundle);
	free(ct->cfg_error);
	free(ct->cargv);
	free(ct);
}

/* ---- invocations ------------------------------------------------------------ */

static void inv_free(struct inv *iv)
{
	size_t i;

	for (i = 0; i < iv->nhooks_dirs; i++)
		free(iv->hooks_dirs[i]);
	free(iv->hooks_dirs);
	free(iv->name);
	free(iv->id);
	free(iv);
}

static void inv_put(struct correlator *c, struct inv *iv)
{
	if (--iv->refs)
		return;
	if (iv->parent)
		inv_put(c, iv->parent);
	inv_free(iv);
}

static char *read_cwd(__u32 pid)
{
	char path[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/cwd", pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/* podman's poststop hooks from hooks.d that apply to this container. */
static void load_podman_own(struct container *ct, const struct inv *podman)
{
	struct oci_hooksd d = {};
	size_t i;

	if (ct->podman_managed || !ct->cfg_ok)
		return;
	ct->podman_managed = true;
	if (oci_hooksd_load_dirs((const char *const *)podman->hooks_dirs, podman->nhooks_dirs, &d))
		return;
	for (i = 0; i < d.n; i++) {
		struct oci_hooksd_hook *h = &d.v[i];
		struct oci_hook *nv;
		size_t n = ct->podman_own.n[OCI_POSTSTOP];

		if (!h->stage[OCI_POSTSTOP] || h->load_error || h->dropped)
			continue;
		if (oci_hooksd_matches(h, &ct->cfg, false) != 1)
			continue;
		nv = realloc(ct->podman_own.v[OCI_POSTSTOP], (n + 1) * sizeof(*nv));
		if (!nv)
			break;
		ct->podman_own.v[OCI_POSTSTOP] = nv;
		nv[n] = h->hook; /* take ownership */
		memset(&h->hook, 0, sizeof(h->hook));
		ct->podman_own.n[OCI_POSTSTOP] = n + 1;
	}
	oci_hooksd_free(&d);
}

static bool creates(enum rt_cmd cmd)
{
	return cmd == RT_CMD_CREATE || cmd == RT_CMD_RUN || cmd == RT_CMD_RESTORE;
}

static void mark_due(struct container *ct, enum rt_cmd cmd)
{
	if (creates(cmd)) {
		ct->due[OCI_PRESTART] = ct->due[OCI_CREATE_RUNTIME] = true;
		ct->due[OCI_CREATE_CONTAINER] = true;
		if (ct->kind == RT_RUNC) /* released runc runs poststart during create */
			ct->due[OCI_POSTSTART] = true;
	}
	if (cmd == RT_CMD_START || cmd == RT_CMD_RUN)
		ct->due[OCI_START_CONTAINER] = true;
	if (cmd == RT_CMD_RUN || (cmd == RT_CMD_START && ct->kind != RT_RUNC))
		ct->due[OCI_POSTSTART] = true;
}

/* argv pointers into a NUL-separated buffer (which must end with a NUL). */
static char **split_argv(char *buf, size_t len, int *argc)
{
	size_t i, n = 0, k = 0;
	char **v;

	for (i = 0; i < len; i++)
		if (!buf[i])
			n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < len && k < n; i += strlen(buf + i) + 1)
		v[k++] = buf + i;
	*argc = (int)k;
	return v;
}

/*
 * The container init seeded from /proc (runc:[2:INIT] waiting for start) has
 * an invocation without a container: it is this one's, and will fork the
 * startContainer hooks and become the container process.
 */
static void adopt_init(struct correlator *c, struct container *ct, __u32 host_mntns)
{
	struct proc *p = proc_get(c, ct->init_pid, false);

	if (!p || !p->inv || p->inv->c)
		return;
	p->inv->c = ct;
	/* seeded inside the container: the host side is where the runtime runs */
	p->inv->mntns = host_mntns;
	ct->live_invs++;
}

static struct inv *inv_new(struct correlator *c, const struct hs_event *ev, struct proc *p)
{

	const struct hs_hdr *h = ev->hdr;
	struct rt_invocation ri;
	struct inv *iv;
	struct container *ct = NULL;
	enum rt_kind kind;
	char *argv0;

	argv0 = mem_strdup(ev->argv ? ev->argv : "", strnlen(ev->argv ? ev->argv : "", ev->argv_len));
	/* /proc/PID/exe of a seeded init can point anywhere (memfd, pivoted root) */
	kind = rt_detect((h->flags & HS_F_SEEDED) ? NULL : ev->filename, argv0, ev->comm);
	free(argv0);
	if (kind == RT_UNKNOWN || kind == RT_CONMON || kind == RT_SHIM)
		return NULL;
	iv = calloc(1, sizeof(*iv));
	if (!iv)
		return NULL;
	iv->pid = h->tgid;
	iv->start_ns = h->ts_ns;
	iv->mntns = h->mntns;
	iv->kind = kind;
	iv->name = strdup(rt_kind_name(kind));
	iv->counted = !(h->flags & HS_F_SEEDED);
	iv->drops = h->drops;
	iv->seeded_init = (h->flags & HS_F_SEEDED) && h->vpid == 1;
	iv->parent = p->inv;
	if (iv->parent)
		iv->parent->refs++;

	if (kind == RT_PODMAN) {
		char *copy = mem_strdup(ev->argv ? ev->argv : "", ev->argv_len);
		char **v;
		int argc = 0;

		v = copy ? split_argv(copy, ev->argv_len + 1, &argc) : NULL;
		if (v && argc)
			rt_podman_hooks_dirs(argc, v, &iv->hooks_dirs, &iv->nhooks_dirs, NULL);
		free(v);
		free(copy);
		return iv;
	}
	if (rt_parse_cmdline(kind, ev->argv ? ev->argv : "", ev->argv_len, ev->argv_truncated,
			     &ri)) {
		rt_invocation_free(&ri);
		return iv;
	}
	iv->cmd = ri.cmd;
	if (ri.id && rt_id_valid(ri.id))
		iv->id = strdup(ri.id);
	iv->detach = ri.detach;

	if (creates(iv->cmd)) {
		char *cwd = read_cwd(h->tgid), *bundle = NULL;
		int err;

		ct = container_get(c, iv, ri.root, false);
		if (ct && (ct->done || ct->deleted))
			ct = NULL;
		if (!ct)
			ct = container_get(c, iv, ri.root, true);
		if (ct && !ct->cfg_ok) {
			err = rt_resolve_bundle(&ri, cwd, &bundle);
			ct->create_ns = h->ts_ns;
			if (err == -ENOENT) {
				ct->cfg_error = strdup("the runtime's working directory (its bundle) "
						       "could not be read from /proc");
			} else if (!err) {
				free(ct->bundle);
				ct->bundle = bundle;
				load_config(c, ct, bundle, ri.config_file);
			}
			/* running since before we started: the state dir knows more */
			if (!ct->cfg_ok && (h->flags & HS_F_SEEDED))
				load_from_state(c, ct, ri.root);
		}
		free(cwd);
	} else if (iv->cmd == RT_CMD_START || iv->cmd == RT_CMD_DELETE || iv->cmd == RT_CMD_KILL) {
		ct = container_get(c, iv, ri.root, false);
		if (!ct && iv->cmd != RT_CMD_KILL && iv->id) {
			/* create happened before tracing: the state dir knows the bundle */
			ct = container_get(c, iv, ri.root, true);
			if (ct)
				load_from_state(c, ct, ri.root);
			if (ct && ct->init_pid)
				adopt_init(c, ct, h->mntns);
		} else if (ct && !ct->cfg_ok) {
			load_from_state(c, ct, ri.root);
		}
	}
	rt_invocation_free(&ri);
	if (!ct)
		return iv;
	iv->c = ct;
	ct->live_invs++;
	if (!(h->flags & HS_F_SEEDED) || !creates(iv->cmd))
		mark_due(ct, iv->cmd); /* a seeded create ran its hooks before we started */
	if (iv->parent && iv->parent->kind == RT_PODMAN) {
		iv->parent->last_c = ct;
		if (!ct->holder) {
			ct->holder = iv->parent;
			ct->holder->refs++;
		}
		load_podman_own(ct, iv->parent);
	}
	return iv;
}

static void inv_exit(struct correlator *c, struct inv *iv, const struct hs_event *ev)
{
	struct container *ct = iv->c;

	iv->exited = true;
	if (iv->kind == RT_PODMAN) {
		struct container *x, *tmp;

		HASH_ITER(hh, c->containers, x, tmp)
			if (x->holder == iv)
				container_maybe_finish(c, x, ev->hdr->drops);
		return;
	}
	if (!ct)
		return;
	ct->live_invs--;
	if (iv->cmd == RT_CMD_CREATE || iv->cmd == RT_CMD_RESTORE)
		ct->state = ev->exit_code ? "failed" : "created";
	else if (iv->cmd == RT_CMD_START)
		ct->state = "running";
	else if (iv->cmd == RT_CMD_RUN && iv->detach) {
		ct->state = ev->exit_code ? "failed" : "running";
		ct->deleted = true; /* `run -d` returned: its part of the lifecycle ended */
	} else if (iv->cmd == RT_CMD_RUN || iv->cmd == RT_CMD_DELETE) {
		/* a run that failed before the container process started never ran it */
		ct->state = (iv->cmd == RT_CMD_RUN && ev->exit_code && !ct->cstarted) ? "failed"
										      : "deleted";
		ct->deleted = true;
		ct->due[OCI_POSTSTOP] = true;
	}
	container_maybe_finish(c, ct, ev->hdr->drops);
}

/* ---- hook matching ---------------------------------------------------------- */

static bool argv_matches(const struct oci_hook *hk, const struct hook_run *h)
{
	size_t off = 0, i;

	if (!hk->nargs) /* runtimes use the path as argv[0] */
		return h->argv_len == strlen(hk->path) && !memcmp(h->argv, hk->path, h->argv_len);
	for (i = 0; i < hk->nargs; i++) {
		size_t l = strlen(hk->args[i]);

		if (off > h->argv_len)
			return false;
		if (h->argv_trunc && off + l >= h->argv_len) /* cut: compare the prefix */
			return !memcmp(h->argv + off, hk->args[i], h->argv_len - off);
		if (off + l > h->argv_len || memcmp(h->argv + off, hk->args[i], l))
			return false;
		off += l + 1;
	}
	return off >= h->argv_len; /* no extra arguments */
}

static bool hook_matches(const struct oci_hook *hk, const struct hook_run *h)
{
	return hk->path && !strcmp(hk->path, h->path) && argv_matches(hk, h);
}

static const struct oci_hook *cfg_hook(const struct container *ct, int st, size_t i)
{
	size_t n = ct->cfg_ok ? ct->cfg.n[st] : 0;

	if (i < n)
		return &ct->cfg.v[st][i];
	if (st == OCI_POSTSTOP && i - n < ct->podman_own.n[OCI_POSTSTOP])
		return &ct->podman_own.v[OCI_POSTSTOP][i - n];
	return NULL;
}

static const int host_stages[] = { OCI_PRESTART, OCI_CREATE_RUNTIME, OCI_POSTSTART, OCI_POSTSTOP };
static const int ctr_stages[] = { OCI_CREATE_CONTAINER, OCI_START_CONTAINER };

/* Which stages can a hook run by this invocation be in? */
static bool stage_allowed(const struct inv *iv, int st, bool podman_own)
{
	if (podman_own)
		return st == OCI_POSTSTOP;
	switch (iv->cmd) {
	case RT_CMD_CREATE:
	case RT_CMD_RESTORE:
		/* the container init belongs to create and runs startContainer after start */
		return st == OCI_PRESTART || st == OCI_CREATE_RUNTIME || st == OCI_CREATE_CONTAINER ||
		       st == OCI_START_CONTAINER || (iv->kind == RT_RUNC && st == OCI_POSTSTART);
	case RT_CMD_START:
		return st == OCI_START_CONTAINER || st == OCI_POSTSTART;
	case RT_CMD_DELETE:
	case RT_CMD_KILL:
		return st == OCI_POSTSTOP;
	default:
		return true;
	}
}

static void match_stage(struct container *ct, const struct inv *iv, struct hook_run *h,
			enum side side, bool podman_own)
{
	const int *order = side == SIDE_HOST ? host_stages : ctr_stages;
	int n = side == SIDE_HOST ? 4 : 2, k;

	h->stage = -1;
	h->index = -1;
	if (ct->cfg_ok || podman_own) {
		for (k = 0; k < n; k++) {
			int st = order[k];
			size_t i;

			if (st < ct->cursor[side] || !stage_allowed(iv, st, podman_own))
				continue;
			for (i = ct->next_idx[st];; i++) {
				const struct oci_hook *hk = cfg_hook(ct, st, i);

				if (!hk)
					break;
				if (podman_own && i < (ct->cfg_ok ? ct->cfg.n[st] : 0))
					continue; /* podman runs only its own list */
				if (hook_matches(hk, h)) {
					h->stage = st;
					/* podman's own hooks count after the config's poststop entries */
					h->index = (int)i;
					ct->next_idx[st] = i + 1;
					ct->cursor[side] = st;
					return;
				}
			}
		}
		if (ct->cfg_ok)
			return; /* configured, but not this command: stage unknown */
	}
	/* No configuration: infer from the subcommand, side and progress. */
	h->inferred = true;
	if (side == SIDE_CONTAINER) {
		/* the init runs createContainer during create, startContainer after start */
		if (iv->cmd == RT_CMD_CREATE && !ct->due[OCI_START_CONTAINER])
			h->stage = OCI_CREATE_CONTAINER;
		else if (iv->cmd == RT_CMD_START || iv->cmd == RT_CMD_CREATE)
			h->stage = OCI_START_CONTAINER;
	} else if (iv->cmd == RT_CMD_DELETE || podman_own || ct->cexited) {
		h->stage = OCI_POSTSTOP;
	} else if (ct->cstarted || iv->cmd == RT_CMD_START) {
		h->stage = OCI_POSTSTART;
	}
}

static void hook_add(struct container *ct, struct hook_run *h)
{
	*ct->hooks_tail = h;
	ct->hooks_tail = &h->next;
	ct->nhooks++;
}

/* A failing hook stops the rest of its stage (and the runtime's operation). */
static void hook_failed(struct container *ct, const struct hook_run *h)
{
	int st;

	if (h->stage < 0)
		return;
	ct->stage_stopped[h->stage] = true;
	if (h->stage == OCI_POSTSTART || h->stage == OCI_POSTSTOP)
		return; /* runtimes warn and go on, or the container is already going */
	for (st = h->stage + 1; st < OCI_STAGE_MAX; st++)
		if (st != OCI_POSTSTOP)
			ct->stage_stopped[st] = true;
}

static struct hook_run *hook_new(const struct hs_event *ev)
{
	struct hook_run *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->pid = ev->hdr->tgid;
	h->ppid = ev->hdr->ppid;
	h->path = strdup(ev->filename);
	h->argv = mem_strdup(ev->argv ? ev->argv : "", ev->argv_len);
	h->argv_len = ev->argv_len;
	h->argv_trunc = ev->argv_truncated;
	h->start_ns = ev->hdr->ts_ns;
	return h;
}

/* ---- event handling --------------------------------------------------------- */

static void on_runtime_exec(struct correlator *c, struct proc *p, const struct hs_event *ev)
{
	const struct hs_hdr *h = ev->hdr;
	struct inv *iv;

	p->role = HS_UROLE_RUNTIME;
	p->mntns = h->mntns;
	if ((h->flags & HS_F_REEXEC) && p->inv && rt_is_reexec_path(ev->filename))
		return; /* runtime re-exec (/proc/self/exe, /dev/fd/N): same invocation */
	if ((h->flags & HS_F_SEEDED) && p->inv && p->inv->pid != h->tgid)
		return; /* a running runtime child (runc init...): its parent's invocation */
	iv = inv_new(c, ev, p);
	if (iv)
		proc_set_inv(c, p, iv);
}

static enum side side_of(const struct proc *p, const struct hs_event *ev)
{
	if (p->inv && p->inv->seeded_init)
		return SIDE_CONTAINER;
	return (p->inv && ev->hdr->mntns != p->inv->mntns) ? SIDE_CONTAINER : SIDE_HOST;
}

static void on_leaf_exec(struct correlator *c, struct proc *p, const struct hs_event *ev,
			 enum hs_urole *role)
{
	const struct hs_hdr *h = ev->hdr;
	struct inv *iv = p->inv;
	struct container *ct;
	struct hook_run *hr;
	enum side side = side_of(p, ev);
	bool podman_own = false;
	struct proc *parent = proc_get(c, h->ppid, false);

	ct = iv ? iv->c : NULL;
	if (iv && iv->kind == RT_PODMAN) {
		ct = iv->last_c;
		podman_own = true;
	}
	/* the container process: pid 1 of its namespace, or forked from the host side */
	if (side == SIDE_CONTAINER &&
	    ((iv && iv->seeded_init) ? h->tgid == iv->pid
				     : (h->vpid == 1 || !parent || parent->mntns == (iv ? iv->mntns : 0)))) {
		*role = HS_UROLE_CONTAINER;
		p->role = HS_UROLE_CONTAINER;
		if (ct && !ct->cstarted) {
			ct->cstarted = true;
			ct->cpid = h->tgid;
			ct->cstart_ns = h->ts_ns;
			ct->cargv = mem_strdup(ev->argv ? ev->argv : "", ev->argv_len);
			ct->cargv_len = ev->argv_len;
			ct->state = "running";
			p->ctr_of = ct;
		}
		return;
	}
	if (!ct || (podman_own && !ct->podman_own.n[OCI_POSTSTOP])) {
		*role = podman_own ? HS_UROLE_OTHER : HS_UROLE_HOOK;
		p->role = *role;
		return;
	}
	hr = hook_new(ev);
	if (!hr)
		return;
	match_stage(ct, iv, hr, side, podman_own);
	if (podman_own && hr->stage < 0) {
		/* podman's helpers (conmon, netavark...) are not hooks */
		free(hr->path);
		free(hr->argv);
		free(hr);
		*role = HS_UROLE_OTHER;
		p->role = HS_UROLE_OTHER;
		return;
	}
	hook_add(ct, hr);
	*role = HS_UROLE_HOOK;
	p->role = HS_UROLE_HOOK;
	p->hook = hr;
	p->hook_c = ct;
}

static void on_exec_failed(struct correlator *c, struct proc *p, const struct hs_event *ev)
{
	struct inv *iv = p->inv;
	struct container *ct = iv ? iv->c : NULL;
	enum side side = side_of(p, ev);
	bool podman_own = false;
	struct hook_run *hr;

	if (iv && iv->kind == RT_PODMAN) {
		ct = iv->last_c;
		podman_own = true;
	}
	if (!ct)
		return;
	if (side == SIDE_CONTAINER && ev->hdr->vpid == 1)
		return; /* the container process itself failed to start: the runtime says so */
	hr = hook_new(ev);
	if (!hr)
		return;
	match_stage(ct, iv, hr, side, podman_own);
	hr->status = HS_EXEC_FAILED;
	hr->err = ev->err;
	hr->ended = true;
	hr->end_ns = ev->hdr->ts_ns;
	hook_add(ct, hr);
	hook_failed(ct, hr);
	emit_hook(c, ct, hr);
}

static void on_proc_exit(struct correlator *c, struct proc *p, const struct hs_event *ev)
{
	struct hook_run *hr = p->hook;

	if (hr && !hr->ended) {
		const struct oci_hook *hk =
			hr->stage >= 0 && hr->index >= 0 ? cfg_hook(p->hook_c, hr->stage, hr->index)
							 : NULL;

		hr->ended = true;
		hr->end_ns = ev->hdr->ts_ns;
		hr->exit_code = ev->exit_code;
		hr->signal = ev->signal;
		if (ev->signal) {
			hr->status = HS_KILLED;
			if (hk && hk->timeout > 0 &&
			    hr->end_ns - hr->start_ns >= (__u64)hk->timeout * 990000000ull)
				hr->status = HS_TIMEOUT;
		} else {
			hr->status = ev->exit_code ? HS_FAILED : HS_OK;
		}
		if (hr->status != HS_OK)
			hook_failed(p->hook_c, hr);
		emit_hook(c, p->hook_c, hr);
	}
	if (p->ctr_of && !p->ctr_of->cexited) {
		struct container *ct = p->ctr_of;

		ct->cexited = true;
		ct->cexit_ns = ev->hdr->ts_ns;
		ct->cexit_code = ev->exit_code;
		ct->csignal = ev->signal;
		if (strcmp(ct->state, "deleted"))
			ct->state = "stopped";
	}
	if (p->inv && p->inv->pid == p->tgid && !p->inv->exited)
		inv_exit(c, p->inv, ev);
}

void correlator__on_event(struct correlator *c, const struct hs_event *ev)
{
	const struct hs_hdr *h = ev->hdr;
	enum hs_urole role = hs_event_role_guess(ev);
	struct proc *p = proc_get(c, h->tgid, ev->type != HS_EV_EXIT);

	switch (ev->type) {
	case HS_EV_FORK: {
		struct proc *parent = proc_get(c, h->ppid, false);

		/* the forking thread's process: ppid is the parent's tgid */
		if (p) {
			p->role = HS_UROLE_RUNTIME;
			p->mntns = h->mntns;
			if (parent)
				proc_set_inv(c, p, parent->inv);
		}
		break;
	}
	case HS_EV_EXEC:
		if (!p)
			break;
		p->seeded = h->flags & HS_F_SEEDED;
		if (h->role == HS_ROLE_RUNTIME) {
			on_runtime_exec(c, p, ev);
		} else if (h->prev_role == HS_ROLE_RUNTIME) {
			if (!p->inv && (h->flags & HS_F_SEEDED)) {
				struct proc *parent = proc_get(c, h->ppid, false);

				if (parent)
					proc_set_inv(c, p, parent->inv);
			}
			on_leaf_exec(c, p, ev, &role);
		} else {
			role = p->role == HS_UROLE_RUNTIME ? HS_UROLE_OTHER : p->role;
		}
		break;
	case HS_EV_EXEC_FAILED:
		role = h->vpid == 1 ? HS_UROLE_CONTAINER : HS_UROLE_HOOK;
		if (p && h->role == HS_ROLE_RUNTIME)
			on_exec_failed(c, p, ev);
		break;
	case HS_EV_EXIT:
		role = p ? p->role : HS_UROLE_OTHER;
		if (p)
			on_proc_exit(c, p, ev);
		break;
	default:
		break;
	}

	if (c->s->all)
		output__event(c->out, ev, role);
	if (ev->type == HS_EV_EXIT && p)
		proc_del(c, p);
}

void correlator__on_lost(struct correlator *c, unsigned long long n)
{
	if (!n)
		return;
	c->lost_any = true;
	c->drops_reported += n;
	/* which containers it touched is decided from the records' drop stamps */
}

unsigned correlator__inflight(struct correlator *c)
{
	struct proc *p, *tmp;
	unsigned n = 0;

	HASH_ITER(hh, c->procs, p, tmp) {
		if (p->seeded || (p->role != HS_UROLE_RUNTIME && p->role != HS_UROLE_HOOK) ||
		    (p->inv && !p->inv->counted))
			continue;
		/* after a loss its exit may never come: ask the kernel instead */
		if (c->lost_any && kill((pid_t)p->tgid, 0) && errno == ESRCH) {
			proc_del(c, p);
			continue;
		}
		n++;
	}
	return n;
}

bool correlator__busy(const struct correlator *c)
{
	const struct proc *p, *tmp;

	HASH_ITER(hh, c->procs, p, tmp)
		if (p->role == HS_UROLE_RUNTIME || p->role == HS_UROLE_HOOK)
			return true;
	return false;
}

void correlator__finish(struct correlator *c)
{
	struct container *ct, *tmp;

	HASH_ITER(hh, c->containers, ct, tmp)
		container_finish(c, ct, drops_seen_now(c));
}

unsigned correlator__containers(const struct correlator *c)
{
	return c->ncontainers;
}

unsigned correlator__hooks(const struct correlator *c)
{
	return c->nhooks;
}

struct correlator *correlator__new(const struct settings *s, struct output *out,
				   correlator_drops_fn drops_now, void *drops_ctx)
{
	struct correlator *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->s = s;
	c->out = out;
	c->drops_now = drops_now;
	c->drops_ctx = drops_ctx;
	return c;
}

void correlator__free(struct correlator *c)
{
	struct container *ct, *tmp;
	struct proc *p, *pt;

	if (!c)
		return;
	HASH_ITER(hh, c->procs, p, pt)
		proc_del(c, p);
	HASH_ITER(hh, c->containers, ct, tmp) {
		HASH_DEL(c->containers, ct);
		container_free(c, ct);
	}
	while (c->finished) {
		ct = c->finished;
		c->finished = ct->list_next;
		container_free(c, ct);
	}
	cfg_cache_trim(c, true);
	free(c);
}

/* ---- --expect ------------------------------------------------------------- */

static void explain_case(const struct container *ct, int st)
{
	size_t i;

	for (i = 0; i < ct->lint.n; i++)
		if (!strcmp(ct->lint.v[i].code, "HOOK_KEY_CASE") ||
		    !strcmp(ct->lint.v[i].code, "HOOK_STAGE_UNKNOWN") ||
		    !strcmp(ct->lint.v[i].code, "HOOKS_KEY_CASE"))
			fprintf(stderr, "hooksnoop:   why: %s\n", ct->lint.v[i].message);
	(void)st;
}

static int expect_one(const struct container *ct, int st, bool all)
{
	struct stage_tally t[OCI_STAGE_MAX];
	unsigned cf = configured(ct, st);
	char id[80];
	struct sbuf sb;

	sbuf_init(&sb);
	esc_text(&sb, ct->id, strlen(ct->id) > 64 ? 64 : strlen(ct->id));
	snprintf(id, sizeof(id), "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	tally(ct, t);
	if (ct->lost) {
		fprintf(stderr, "hooksnoop: expectation UNKNOWN: container %s (%s): events were lost "
				"while it ran, %s cannot be verified\n",
			id, ct->runtime, oci_stage_name(st));
		return 2;
	}
	if (!cf) {
		if (all)
			return 0;
		fprintf(stderr, "hooksnoop: expectation failed: container %s (%s): no %s hook is "
				"configured%s\n",
			id, ct->runtime, oci_stage_name(st),
			ct->cfg_error ? " (configuration unreadable)" : " for this runtime");
		explain_case(ct, st);
		return 1;
	}
	if (t[st].failed) {
		fprintf(stderr, "hooksnoop: expectation failed: container %s (%s): %u of %u %s "
				"hooks failed\n",
			id, ct->runtime, t[st].failed, cf, oci_stage_name(st));
		return 1;
	}
	if (t[st].fired < cf) {
		fprintf(stderr, "hooksnoop: expectation failed: container %s (%s): %u of %u "
				"configured %s hooks fired%s\n",
			id, ct->runtime, t[st].fired, cf, oci_stage_name(st),
			ct->stage_stopped[st] ? " (an earlier hook failed)" : "");
		return 1;
	}
	return 0;
}

int correlator__expectations(struct correlator *c)
{
	const struct container *ct;
	int worst = 0, r, st;
	size_t i;

	if (!c->s->nexpect)
		return -1;
	if (!c->finished) {
		if (c->lost_any)
			fprintf(stderr, "hooksnoop: expectation UNKNOWN: no container seen, and events "
					"were lost: it may have run unseen\n");
		else
			fprintf(stderr, "hooksnoop: expectation failed: no container went through a "
					"runtime\n");
		return c->lost_any ? 2 : 1;
	}
	for (ct = c->finished; ct; ct = ct->list_next) {
		if (!filter_ok(c, ct->id))
			continue;
		for (i = 0; i < c->s->nexpect; i++) {
			bool all = !strcmp(c->s->expect[i], "all");

			for (st = 0; st < OCI_STAGE_MAX; st++) {
				if (!all && strcmp(c->s->expect[i], oci_stage_name(st)))
					continue;
				r = expect_one(ct, st, all);
				if (r == 2 || (r == 1 && worst != 2))
					worst = r;
			}
		}
	}
	return worst;
}
