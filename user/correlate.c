// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model: the kernel's process events turned into runtime invocations,
 * containers and hook executions. It owns three tables and decides nothing
 * about rendering:
 *
 *   proc       one per live tracked process (tgid): its role and invocation.
 *   inv        one per runtime invocation: an exec of a runtime binary with a
 *              command line (crun create, runc --root R delete ID, podman
 *              run ...). Forks inherit their parent's, runtime re-execs
 *              (/proc/self/exe, /dev/fd/N) keep it, and a runtime started by
 *              another (podman -> runc) gets its own whose parent is the
 *              caller's. It holds a handle on the runtime's root, under
 *              which every file the invocation names is read.
 *   container  one per (runtime, state root, id): the timeline that create,
 *              start and delete (or run) build together.
 *
 * Sides. A leaf in the same mount namespace as its invocation is a
 * host-side hook (prestart, createRuntime, poststart, poststop). A leaf in
 * another mount namespace is either the container process (pid 1 of its pid
 * namespace, or forked from the host side) or a container-side hook forked
 * by the container init (createContainer, startContainer).
 *
 * Downstream: confsrc.c supplies each container's configuration, attrib.c
 * decides each hook's stage and index, verdict.c the container's verdict,
 * and the records go out through report.c. Upstream hands in everything the
 * model needs (records, loss counts); the model never calls back.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uthash.h>

#include "attrib.h"
#include "confsrc.h"
#include "hookout.h"
#include "correlate.h"
#include "log.h"
#include "rtargs.h"
#include "rtdetect.h"
#include "rtexe.h"
#include "rtstate.h"
#include "output.h"
#include "procpeek.h"
#include "rtview.h"
#include "util.h"
#include "verdict.h"

struct inv;

/* A hook execution and whether its record went out yet. */
struct hook_node {
	struct hook_rec r;
	bool reported;
	__u64 task_start_ns;	/* its process's start (monotonic): who it is in /proc */
	__u64 next_slow_ns;	/* --slow: the running time of its next hook_running, 0 none yet */
};

#define HOOK_NODE(rec) ((struct hook_node *)((char *)(rec)-offsetof(struct hook_node, r)))

struct container {
	char *key;
	char *id;
	const char *runtime;	/* rt_kind_name(): static */
	enum rt_kind kind;
	char *bundle;
	struct ctr_conf conf;
	struct attrib_state at;
	struct hook_rec *hooks, **hooks_tail;
	/* the container process */
	__u32 cpid;
	char *cargv;
	size_t cargv_len;
	__u64 cstart_ns, cexit_ns;
	int cexit_code, csignal;
	__u64 create_ns;
	__u64 born_ns;		/* its first invocation's exec: decides its --repeat run */
	__u32 init_pid;	   /* from the state dir: the init waiting for start */
	__u32 cmntns;	   /* the container process's mount namespace */
	bool nested;	   /* its runtime runs in another mount namespace than ours */
	__u32 nmntns, npidns; /* that runtime's namespaces */
	char *outer;	   /* the traced container whose namespaces they are, or NULL */
	unsigned long long drops_at_create; /* kernel loss count at its first record */
	__u64 srcs[4];	   /* HS_SRC_KEY of the invocations that acted on it (first four) */
	char *rt_exe;	   /* the executable of the first root invocation on it */
	int rt_exe_ok;	   /* enum rtexe_verdict */
	unsigned nsrcs;
	const char *state; /* creating, created, running, stopped, deleted, failed */
	unsigned live_invs; /* invocations of this container still running */
	struct inv *holder; /* podman invocation that runs its poststop hooks, if any */
	struct inv_rec *invs; /* runtime invocations that acted on it, for exporters */
	size_t ninvs;
	bool lost;
	bool done;
	bool deleted;
	bool evicted;	   /* reported before its lifecycle ended: the table was full */
	bool ghost;	   /* made by a delete of an ID with no state: no container unless
			    * a hook runs (cleanup scripts delete what does not exist) */
	UT_hash_handle hh;
};

/*
 * A container whose lifecycle ended in a delete (or a run that returned),
 * remembered for CORR_GONE_NS: containerd's runc shim deletes every
 * container twice (`runc delete ID`, then `runc delete --force ID` from
 * `containerd-shim-runc-v2 delete`), and people clean up after a failed
 * `runc run` with `runc delete`. Such a delete of a container whose state
 * is already gone acts on the container we reported, not on a new one.
 */
struct gone {
	char *key;
	__u64 ts_ns;	/* when its record went out (kernel clock) */
	UT_hash_handle hh;
};

struct inv {
	__u32 pid;
	__u64 start_ns;
	__u32 mntns;
	enum rt_kind kind;
	enum rt_cmd cmd;
	char *id;
	struct sr_root root;	  /* the runtime's root: its files are read under it */
	int root_err;		  /* why it could not be opened: -errno, or 0 */
	struct container *c;	  /* container this invocation acts on */
	struct container *last_c; /* podman: container of its last runtime call */
	struct inv *parent;
	char **hooks_dirs; /* podman: --hooks-dir values or the defaults */
	char *conmon_id;   /* podman: the container of the conmon it started last */
	size_t nhooks_dirs;
	char **devices;	   /* podman: --device values (CDI device names among them) */
	size_t ndevices;
	unsigned refs;
	bool exited;
	unsigned long long drops; /* loss stamp of its exec record */
	__u64 src;	/* HS_SRC_KEY of the runtime root it runs under (see --root-rate) */
	bool seeded_init; /* found running at start as pid 1 of a container: all its leaves
			   * are container-side, its own exec is the container process */
	bool detach;  /* run -d */
	bool counted; /* started after tracing began (CI mode waits for it) */
	bool wrapped; /* exec'd in place of a wrapper runtime's invocation of the same container */
	int slot;     /* its entry in c->invs, -1 = none (not kept) */
};

struct proc {
	__u32 tgid;
	__u64 start_ns;	/* its start (monotonic, from its records): who it is in /proc */
	struct inv *inv;
	enum hs_urole role;
	bool seeded;
	bool forked;	/* we saw its fork: the facts below are known */
	bool exec_tried; /* an exec, failed or not, since that fork */
	__u32 fork_ppid, fork_vpid;
	__u32 parent_mntns; /* its parent's mount namespace when it forked */
	__u64 fork_ns;
	__u32 mntns;
	struct hook_rec *hook;
	struct container *hook_c;
	struct container *ctr_of; /* this is that container's process */
	/* a hook's descendant: its entry in that hook's children (-1: not listed) */
	struct hook_rec *desc_of;
	struct container *desc_c;
	int child_idx;
	UT_hash_handle hh;
};

struct correlator {
	struct report *rep;
	bool all;		/* --all: every event goes to the report too */
	struct proc *procs;
	struct container *containers; /* live, by key */
	struct gone *gone;	/* deleted moments ago, by key */
	struct confsrc *conf;
	struct rtview view;	/* our mount namespace, /proc's clock */
	bool lost_any;
	bool refused_any; /* runtime roots were refused (--root-rate) */
	struct rtexe_cache *rtexe; /* which runtime binaries were checked, and how */
	__u64 *run_start;	/* --repeat: when run i of CMD started (kernel clock) */
	unsigned nruns;
	unsigned live_max;	/* containers whose lifecycle has not ended, at most */
	unsigned long long evicted; /* reported early to stay within live_max */
	__u64 slow_ns;		/* --slow, 0 off */
	__u64 next_tick_ns;	/* when live hooks are looked at next */
	unsigned long long drops;	/* the kernel's loss count, as last reported */
	__u64 reap_at_ns;	/* when to look for processes whose exit was lost, 0 not due */
	unsigned long long reaped; /* processes found gone without their exit record */
};

/*
 * Containers whose lifecycle never ends in our sight (created and never
 * deleted, or deleted while we were not looking) would otherwise be kept
 * for as long as hooksnoop runs.
 */
#define CORR_LIVE_MAX 4096

/*
 * How long a deleted container is remembered (the shim's second delete
 * comes milliseconds after the first), and how many at most: a storm of
 * short containers forgets its oldest first, which only costs a stray
 * record.
 */
#define CORR_GONE_NS 10000000000ull
#define CORR_GONE_MAX 1024

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

static void inv_put(struct inv *iv);

static void proc_del(struct correlator *c, struct proc *p)
{
	HASH_DEL(c->procs, p);
	if (p->inv)
		inv_put(p->inv);
	free(p);
}

static void proc_set_inv(struct proc *p, struct inv *iv)
{
	if (iv)
		iv->refs++;
	if (p->inv)
		inv_put(p->inv);
	p->inv = iv;
}

/* ---- records out --------------------------------------------------------- */

/*
 * The run a container created at ts belongs to: the last run that had
 * started by then. Runs follow each other, and a container's first record
 * (its runtime's exec) is made after CMD started it, so a record polled
 * late still lands in the right run.
 */
static struct run_of run_at(const struct correlator *c, __u64 ts)
{
	struct run_of r = { .repeat = c->nruns > 0, .index = -1 };
	unsigned i;

	for (i = c->nruns; i-- > 0;) {
		if (c->run_start[i] <= ts) {
			r.index = (int)i;
			break;
		}
	}
	return r;
}

static void report_hook(struct correlator *c, struct container *ct, struct hook_rec *h)
{
	struct hook_node *n = HOOK_NODE(h);

	if (n->reported)
		return;
	n->reported = true;
	h->run = run_at(c, ct->born_ns);
	report__hook(c->rep, ct->id, ct->runtime, h);
}

/*
 * The warnings a container's record carries: its configuration's findings
 * (shared, copied shallowly into view) and one RUNTIME_SKIPS_STAGE warning
 * (in own) for each configured stage its runtime never runs, which is also
 * marked skipped. Free view->v and own afterwards, never view's findings.
 */
static void runtime_warnings(const struct container *ct, struct ctr_rec *rec,
			     struct lint_result *view, struct lint_result *own)
{
	const char *why;
	unsigned never = rt_never_stages(ct->kind, &why);
	char msg[512];
	int st;

	for (st = 0; st < OCI_STAGE_MAX; st++) {
		struct stage_rec *s = &rec->stages[st];

		if (!(never & (1u << st)) || !s->configured)
			continue;
		s->skipped = true;
		snprintf(msg, sizeof(msg), "%s never runs %s hooks: %s; the %u configured here did "
			 "not run", ct->runtime, oci_stage_name(st), why ? why : "its source says so",
			 s->configured);
		lint_result_add(own, ct->bundle ? ct->bundle : "", 0, 0, LINT_WARNING,
				"RUNTIME_SKIPS_STAGE", st, msg);
	}
	if (!own->n)
		return;
	view->v = calloc(rec->lint->n + own->n, sizeof(*view->v));
	if (!view->v)
		return;
	memcpy(view->v, rec->lint->v, rec->lint->n * sizeof(*view->v));
	memcpy(view->v + rec->lint->n, own->v, own->n * sizeof(*view->v));
	view->n = view->cap = rec->lint->n + own->n;
	view->errors = rec->lint->errors + own->errors;
	view->warnings = rec->lint->warnings + own->warnings;
	view->infos = rec->lint->infos + own->infos;
	rec->lint = view;
}

static void report_container(struct correlator *c, struct container *ct, __u64 end_ns)
{
	struct lint_result view = { 0 }, own = { 0 };
	const struct attrib_cfg cfg = {
		.cfg = ctr_conf_hooks(&ct->conf),
		.podman_own = &ct->conf.podman_own,
	};
	const struct oci_hooks *hooks = ctr_conf_hooks(&ct->conf);
	struct ctr_rec rec = {
		.id = ct->id,
		.runtime = ct->runtime,
		.bundle = ct->bundle,
		.state = ct->state,
		.process = {
			.started = ct->cpid != 0,
			.exited = ct->at.cexited,
			.pid = ct->cpid,
			.argv = ct->cargv,
			.argv_len = ct->cargv_len,
			.start_ns = ct->cstart_ns,
			.exit_ns = ct->cexit_ns,
			.exit_code = ct->cexit_code,
			.signal = ct->csignal,
		},
		.cfg_error = ct->conf.error,
		.refused = hooks ? hooks->refused : NULL,
		.lint = ctr_conf_lint(&ct->conf),
		.hooks = ct->hooks,
		.invs = ct->invs,
		.ninvs = ct->ninvs,
		.create_ns = ct->create_ns,
		.end_ns = end_ns,
		.run = run_at(c, ct->born_ns),
		.nested = {
			.nested = ct->nested,
			.outer = ct->outer,
			.mntns = ct->nmntns,
			.pidns = ct->npidns,
		},
		.rt_exe = ct->rt_exe,
		.rt_exe_ok = ct->rt_exe_ok,
		.lost = ct->lost,
		.evicted = ct->evicted,
	};
	int st;

	for (st = 0; st < OCI_STAGE_MAX; st++) {
		rec.stages[st].configured = attrib_configured(&cfg, st);
		rec.stages[st].due = ct->at.due[st];
		rec.stages[st].stopped = ct->at.stopped[st];
	}
	runtime_warnings(ct, &rec, &view, &own);
	verdict_fill(&rec);
	report__container(c->rep, &rec);
	free(view.v);
	lint_result_free(&own);
}

/* ---- containers ---------------------------------------------------------- */

static void container_finish(struct correlator *c, struct container *ct, unsigned long long drops,
			     __u64 end_ns);

/*
 * The table is full: report the oldest container no invocation is acting
 * on, as it stands, and forget it. When every container is busy the table
 * grows past the cap only for as long as their invocations run.
 */
static void evict_oldest(struct correlator *c, const struct hs_hdr *h)
{
	struct container *x, *tmp, *old = NULL;

	HASH_ITER(hh, c->containers, x, tmp)
		if (!x->live_invs && (!old || x->born_ns < old->born_ns))
			old = x;
	if (!old)
		return;
	old->evicted = true;
	c->evicted++;
	container_finish(c, old, h->drops, h->ts_ns);
}

/* A container is one per (runtime, state root, id). */
static void ctr_key(char *key, size_t sz, const struct inv *iv, const char *root)
{
	snprintf(key, sz, "%s|%s|%s", rt_kind_name(iv->kind), root ? root : rt_default_root(iv->kind),
		 iv->id);
}

static void gone_del(struct correlator *c, struct gone *g)
{
	HASH_DEL(c->gone, g);
	free(g->key);
	free(g);
}

/* Forget what is older than CORR_GONE_NS at ts, and the oldest beyond the cap. */
static void gone_expire(struct correlator *c, __u64 ts_ns)
{
	struct gone *g, *tmp;

	/* insertion order is time order: the oldest come first */
	HASH_ITER(hh, c->gone, g, tmp) {
		if ((ts_ns < g->ts_ns || ts_ns - g->ts_ns <= CORR_GONE_NS) &&
		    HASH_COUNT(c->gone) <= CORR_GONE_MAX)
			break;
		gone_del(c, g);
	}
}

static void gone_add(struct correlator *c, const char *key, __u64 ts_ns)
{
	struct gone *g;

	HASH_FIND_STR(c->gone, key, g);
	if (g)
		gone_del(c, g); /* re-added last: the table stays in time order */
	g = calloc(1, sizeof(*g));
	if (!g || !(g->key = strdup(key))) {
		free(g);
		return;
	}
	g->ts_ns = ts_ns;
	HASH_ADD_KEYPTR(hh, c->gone, g->key, strlen(g->key), g);
	gone_expire(c, ts_ns);
}

static struct gone *gone_find(struct correlator *c, const char *key, __u64 ts_ns)
{
	struct gone *g;

	gone_expire(c, ts_ns);
	HASH_FIND_STR(c->gone, key, g);
	return g;
}

static struct container *container_get(struct correlator *c, struct inv *iv, const char *root,
				       bool create, const struct hs_hdr *h)
{
	struct container *ct;
	struct gone *g;
	char key[PATH_MAX + 512];

	if (!iv->id)
		return NULL;
	ctr_key(key, sizeof(key), iv, root);
	HASH_FIND_STR(c->containers, key, ct);
	if (ct || !create)
		return ct;
	HASH_FIND_STR(c->gone, key, g);
	if (g)
		gone_del(c, g); /* the ID is reused: a delete now is this container's */
	if (HASH_COUNT(c->containers) >= c->live_max)
		evict_oldest(c, h);
	ct = calloc(1, sizeof(*ct));
	if (!ct)
		return NULL;
	ct->key = strdup(key);
	ct->id = strdup(iv->id);
	if (!ct->key || !ct->id) {
		free(ct->key);
		free(ct->id);
		free(ct);
		return NULL;
	}
	ct->runtime = rt_kind_name(iv->kind);
	ct->kind = iv->kind;
	ct->hooks_tail = &ct->hooks;
	ct->create_ns = iv->start_ns;
	ct->born_ns = iv->start_ns;
	ct->drops_at_create = iv->drops;
	ct->state = "creating";
	attrib_state_init(&ct->at);
	HASH_ADD_KEYPTR(hh, c->containers, ct->key, strlen(ct->key), ct);
	return ct;
}

static void container_free(struct correlator *c, struct container *ct)
{
	struct hook_rec *h, *n;

	if (ct->holder)
		inv_put(ct->holder);
	for (h = ct->hooks; h; h = n) {
		n = h->next;
		hook_rec_free_fields(h);
		free(HOOK_NODE(h));
	}
	confsrc__release(c->conf, &ct->conf);
	free(ct->invs);
	free(ct->outer);
	free(ct->key);
	free(ct->id);
	free(ct->bundle);
	free(ct->cargv);
	free(ct->rt_exe);
	free(ct);
}

/* Forget every pointer to ct, then free it: no finished state is kept. */
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
		if (p->desc_c == ct) {
			p->desc_of = NULL;
			p->desc_c = NULL;
		}
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
 * eaten its events, so the verdict becomes unknown. end_ns: that record's
 * time (or now).
 */
static void container_finish(struct correlator *c, struct container *ct, unsigned long long drops,
			     __u64 end_ns)
{
	struct hook_rec *h;

	if (ct->done)
		return;
	ct->done = true;
	if (drops > ct->drops_at_create) {
		ct->lost = true; /* something was lost while it lived: maybe its events */
		c->lost_any = true;
	}
	for (h = ct->hooks; h; h = h->next) {
		if (!h->ended)
			h->status = HOOK_UNFINISHED;
		report_hook(c, ct, h);
	}
	HASH_DEL(c->containers, ct);
	if (ct->ghost && !ct->hooks && !ct->lost) {
		container_release(c, ct); /* deleted nothing, ran nothing: no container */
		return;
	}
	report_container(c, ct, end_ns);
	if (ct->deleted && !ct->evicted)
		gone_add(c, ct->key, end_ns);
	container_release(c, ct);
}

/* Finish when no invocation of the container runs and its lifecycle ended. */
static void container_maybe_finish(struct correlator *c, struct container *ct,
				   unsigned long long drops, __u64 ts_ns)
{
	if (ct->done || ct->live_invs)
		return;
	if (ct->holder && !ct->holder->exited)
		return; /* podman still to run its own poststop hooks */
	if (ct->deleted)
		container_finish(c, ct, drops, ts_ns);
}

/* ---- invocations ------------------------------------------------------------ */

static void inv_put(struct inv *iv)
{
	size_t i;

	if (--iv->refs)
		return;
	if (iv->parent)
		inv_put(iv->parent);
	for (i = 0; i < iv->nhooks_dirs; i++)
		free(iv->hooks_dirs[i]);
	free(iv->hooks_dirs);
	free(iv->conmon_id);
	rt_strv_free(iv->devices, iv->ndevices);
	sr_root_close(&iv->root);
	free(iv->id);
	free(iv);
}

/*
 * The runtime's root, opened when its exec record is handled (see
 * rtview.c: checked against the record's process, or ours for a runtime
 * gone from our own mount namespace).
 */
static void open_root(struct correlator *c, struct inv *iv, const struct hs_hdr *h)
{
	iv->root_err = rtview_root(&iv->root, h, &c->view);
}

static const char *root_error(const struct inv *iv)
{
	if (iv->root.fd >= 0)
		return NULL;
	if (iv->root_err == -EACCES || iv->root_err == -EPERM)
		return "the runtime's root could not be opened: permission denied "
		       "(hooksnoop needs CAP_SYS_PTRACE to open /proc/PID/root)";
	return "the runtime exited before its root could be opened";
}

static void load_bundle(struct correlator *c, struct container *ct, struct inv *iv,
			const struct rt_invocation *ri, __u64 ts_ns)
{
	char *bundle;
	int err;

	ct->create_ns = ts_ns;
	if (root_error(iv)) {
		free(ct->conf.error);
		ct->conf.error = strdup(root_error(iv));
		return;
	}
	bundle = rtview_bundle(&iv->root, iv->pid, ri, &err);
	if (err == -ENOENT) {
		free(ct->conf.error);
		ct->conf.error = strdup("the runtime's working directory (its bundle) could not "
					"be read from /proc");
	} else if (!err) {
		free(ct->bundle);
		ct->bundle = bundle;
		confsrc__from_bundle(c->conf, &ct->conf, &iv->root, ct->kind, bundle,
				     ri->config_file);
		return;
	}
	free(bundle);
}

static void load_state(struct correlator *c, struct container *ct, struct inv *iv,
		       const char *state_root)
{
	if (root_error(iv)) {
		if (!ct->conf.error)
			ct->conf.error = strdup(root_error(iv));
		return;
	}
	confsrc__from_state(c->conf, &ct->conf, &iv->root, ct->kind, state_root, ct->id,
			    &ct->bundle, &ct->init_pid);
}

/*
 * The container init seeded from /proc (runc:[2:INIT] waiting for start) has
 * an invocation without a container: it is this one's, and will fork the
 * startContainer hooks and become the container process.
 */
/* Note src as one that acts on ct: a refusal from it may be ct's missing invocation. */
static void ctr_add_src(struct container *ct, __u64 src)
{
	unsigned i;

	for (i = 0; i < ct->nsrcs; i++)
		if (ct->srcs[i] == src)
			return;
	if (ct->nsrcs < sizeof(ct->srcs) / sizeof(ct->srcs[0]))
		ct->srcs[ct->nsrcs++] = src;
}

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

static void podman_dirs(struct inv *iv, const struct hs_event *ev)
{
	char *copy = mem_strdup(ev->argv ? ev->argv : "", ev->argv_len);
	char **v;
	int argc = 0;

	v = copy ? split_argv(copy, ev->argv_len + 1, &argc) : NULL;
	if (v && argc) {
		rt_podman_hooks_dirs(argc, v, &iv->hooks_dirs, &iv->nhooks_dirs, NULL);
		rt_podman_devices(argc, v, &iv->devices, &iv->ndevices);
	}
	free(v);
	free(copy);
}

/*
 * A runtime in another mount namespace than the host's (PID 1's) runs
 * nested: its paths were read in its own root. Not ours: a sandboxed
 * hooksnoop (systemd unit, container) has a mount namespace of its own. The traced container whose process lives in
 * that namespace, if any, is the one it is nested in.
 */
static void note_nesting(struct correlator *c, struct container *ct, const struct hs_hdr *h)
{
	struct container *x, *tmp;

	ct->nmntns = h->mntns;
	ct->npidns = h->pidns;
	ct->nested = h->mntns != c->view.host_mntns;
	if (!ct->nested)
		return;
	HASH_ITER(hh, c->containers, x, tmp)
		if (x != ct && x->cpid && x->cmntns == h->mntns) {
			ct->outer = strdup(x->id);
			break;
		}
}

/*
 * A delete of a container whose lifecycle we saw end moments ago (same
 * runtime, state root and ID) and whose state is gone: the shim's second
 * `delete --force`, or a delete after a failed run. It finds nothing to
 * delete and runs no hook (runtimes run poststop hooks from the state they
 * find), so it belongs to the container already reported. When the state
 * is there, a container of the same ID was created where we did not see
 * it, and this delete is its own.
 */
/* Why the runtime's state of iv's container cannot be read (0: it can). */
static int state_error(struct inv *iv, const char *root)
{
	struct rt_state st;
	int err;

	if (root_error(iv))
		return -ESRCH; /* it came and went before we could look */
	err = rt_state_lookup(iv->kind, &iv->root, root, iv->id, &st);
	rt_state_free(&st);
	return err;
}

static bool deleted_again(struct correlator *c, struct inv *iv, const char *root,
			  const struct hs_hdr *h)
{
	char key[PATH_MAX + 512];

	ctr_key(key, sizeof(key), iv, root);
	return gone_find(c, key, h->ts_ns) && state_error(iv, root);
}

/* Which container an invocation acts on, creating it (and reading its config) as needed. */
static struct container *inv_container(struct correlator *c, struct inv *iv,
				       const struct rt_invocation *ri, const struct hs_hdr *h)
{
	struct container *ct = NULL;

	if (attrib_creates(iv->cmd)) {
		ct = container_get(c, iv, ri->root, false, h);
		if (ct && (ct->done || ct->deleted))
			ct = NULL;
		if (!ct)
			ct = container_get(c, iv, ri->root, true, h);
		/* after a wrapper: read again what the real runtime reads now */
		if (ct && (!ctr_conf_hooks(&ct->conf) || iv->wrapped)) {
			load_bundle(c, ct, iv, ri, h->ts_ns);
			/* running since before we started: the state dir knows more */
			if (!ctr_conf_hooks(&ct->conf) && (h->flags & HS_F_SEEDED))
				load_state(c, ct, iv, ri->root);
		}
	} else if (iv->cmd == RT_CMD_START || iv->cmd == RT_CMD_DELETE || iv->cmd == RT_CMD_KILL) {
		ct = container_get(c, iv, ri->root, false, h);
		if (!ct && iv->cmd == RT_CMD_DELETE && iv->id && deleted_again(c, iv, ri->root, h))
			return NULL; /* the container we reported moments ago: no new one */
		if (!ct && iv->cmd != RT_CMD_KILL && iv->id) {
			/* create happened before tracing: the state dir knows the bundle */
			ct = container_get(c, iv, ri->root, true, h);
			if (ct)
				load_state(c, ct, iv, ri->root);
			if (ct && iv->cmd == RT_CMD_DELETE && !ctr_conf_hooks(&ct->conf) &&
			    state_error(iv, ri->root) == -ENOENT)
				ct->ghost = true;
			if (ct && ct->init_pid)
				adopt_init(c, ct, h->mntns);
		} else if (ct && !ctr_conf_hooks(&ct->conf)) {
			load_state(c, ct, iv, ri->root);
		}
	}
	return ct;
}

/* Keep what exporters need of an invocation acting on ct (best effort: a lost one is not drawn). */
static void ctr_add_inv(struct container *ct, struct inv *iv)
{
	struct inv_rec *v;

	iv->slot = -1;
	if (ct->ninvs == CTR_INVS_MAX)
		return;
	v = realloc(ct->invs, (ct->ninvs + 1) * sizeof(*v));
	if (!v)
		return;
	ct->invs = v;
	v[ct->ninvs] = (struct inv_rec){
		.cmd = rt_cmd_name(iv->cmd),
		.pid = iv->pid,
		.start_ns = iv->start_ns,
	};
	iv->slot = (int)ct->ninvs++;
}

/*
 * The podman invocation behind a runtime invocation: its parent, or (podman
 * starts `runc create` through conmon, which is not followed) the live
 * podman that started a conmon for the same container. It knows the
 * hooks.d directories, and runs the container's own poststop hooks.
 */
static struct inv *podman_of(struct correlator *c, const struct inv *iv)
{
	struct proc *p, *tmp;

	if (iv->parent && iv->parent->kind == RT_PODMAN)
		return iv->parent;
	if (!iv->id || iv->parent)
		return NULL;
	HASH_ITER(hh, c->procs, p, tmp)
		if (p->inv && p->inv->kind == RT_PODMAN && !p->inv->exited && p->inv->conmon_id &&
		    !strcmp(p->inv->conmon_id, iv->id))
			return p->inv;
	return NULL;
}

/* podman exec'd conmon: remember which container it is for (conmon -c ID). */
static void note_conmon(struct inv *pod, const struct hs_event *ev)
{
	struct rt_invocation ri;

	if (rt_kind_from_name(ev->filename) != RT_CONMON)
		return;
	if (!rt_parse_cmdline(RT_CONMON, ev->argv ? ev->argv : "", ev->argv_len,
			      ev->argv_truncated, &ri) &&
	    ri.id && rt_id_valid(ri.id)) {
		free(pod->conmon_id);
		pod->conmon_id = strdup(ri.id);
	}
	rt_invocation_free(&ri);
}

/*
 * A wrapper's invocation ends where the real runtime's begins (same
 * process): it no longer acts on its container, which the real runtime's
 * invocation will if it names the same one.
 */
static void inv_superseded(struct inv *w, const struct hs_hdr *h)
{
	struct container *ct = w->c;

	w->exited = true;
	if (!ct)
		return;
	ct->live_invs--;
	if (w->slot >= 0) {
		ct->invs[w->slot].end_ns = h->ts_ns;
		ct->invs[w->slot].ended = true;
	}
}

static struct inv *inv_new(struct correlator *c, const struct hs_event *ev, struct proc *p)
{
	const struct hs_hdr *h = ev->hdr;
	struct rt_invocation ri;
	struct container *ct;
	struct inv *iv, *pod;
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
	iv->root = (struct sr_root)SR_ROOT_INIT;
	iv->slot = -1;
	iv->pid = h->tgid;
	iv->start_ns = h->ts_ns;
	iv->mntns = h->mntns;
	iv->kind = kind;
	iv->counted = !(h->flags & HS_F_SEEDED);
	iv->drops = h->drops;
	iv->seeded_init = (h->flags & HS_F_SEEDED) && h->vpid == 1;
	iv->parent = p->inv;
	if (p->inv && p->inv->pid == h->tgid && !p->inv->exited) {
		/*
		 * The same process was already an invocation and now execs a
		 * runtime binary that is no re-exec of it: a wrapper runtime
		 * (nvidia-container-runtime's pattern) became the real one. This
		 * invocation takes the wrapper's place, parent and container.
		 */
		iv->wrapped = true;
		iv->parent = p->inv->parent;
		inv_superseded(p->inv, h);
	}
	iv->src = iv->parent ? iv->parent->src : HS_SRC_KEY(h->mntns, h->uid);
	if (iv->parent)
		iv->parent->refs++;

	if (kind == RT_PODMAN) {
		podman_dirs(iv, ev);
		open_root(c, iv, h);
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
	if (iv->id)
		open_root(c, iv, h);
	ct = inv_container(c, iv, &ri, h);
	rt_invocation_free(&ri);
	if (!ct)
		return iv;
	iv->c = ct;
	ct->live_invs++;
	ctr_add_inv(ct, iv);
	ctr_add_src(ct, iv->src);
	if (!iv->parent && !ct->rt_exe && ev->filename[0]) {
		/* a root: is its binary the runtime it is named after? */
		ct->rt_exe = strdup(ev->filename);
		ct->rt_exe_ok = rtexe_check(&c->rtexe, &iv->root, ev->filename, iv->kind);
	}
	if (!ct->nmntns)
		note_nesting(c, ct, h);
	if (!(h->flags & HS_F_SEEDED) || !attrib_creates(iv->cmd))
		attrib_mark_due(&ct->at, ct->kind, iv->cmd); /* a seeded create ran its hooks already */
	pod = podman_of(c, iv);
	if (attrib_creates(iv->cmd) && !pod)
		/* no podman of ours: CDI hooks by content (another engine, or seen too late) */
		confsrc__cdi(&ct->conf, &iv->root, NULL, 0);
	if (pod) {
		pod->last_c = ct;
		/*
		 * The podman that deletes the container runs its own poststop
		 * hooks: for `podman run -d` that is the cleanup podman conmon
		 * starts when the container exits, not the run.
		 */
		if (!ct->holder || (iv->cmd == RT_CMD_DELETE && ct->holder != pod)) {
			if (ct->holder)
				inv_put(ct->holder);
			ct->holder = pod;
			ct->holder->refs++;
		}
		confsrc__podman_own(&ct->conf, &pod->root, pod->hooks_dirs, pod->nhooks_dirs);
		if (pod->ndevices) /* its --device list names the CDI devices it injected */
			confsrc__cdi(&ct->conf, &pod->root, pod->devices, pod->ndevices);
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
				container_maybe_finish(c, x, ev->hdr->drops, ev->hdr->ts_ns);
		return;
	}
	if (!ct)
		return;
	ct->live_invs--;
	if (iv->slot >= 0) {
		ct->invs[iv->slot].end_ns = ev->hdr->ts_ns;
		ct->invs[iv->slot].ended = true;
		ct->invs[iv->slot].exit_code = ev->exit_code;
	}
	if (iv->cmd == RT_CMD_CREATE || iv->cmd == RT_CMD_RESTORE)
		ct->state = ev->exit_code ? "failed" : "created";
	else if (iv->cmd == RT_CMD_START)
		ct->state = "running";
	else if (iv->cmd == RT_CMD_RUN && iv->detach) {
		ct->state = ev->exit_code ? "failed" : "running";
		ct->deleted = true; /* `run -d` returned: its part of the lifecycle ended */
	} else if (iv->cmd == RT_CMD_DELETE && ev->signal) {
		/*
		 * A delete killed before it finished (an engine's timeout): the
		 * container may still exist, and a retried delete continues this
		 * lifecycle (crun then runs its poststop hooks again).
		 */
		ct->state = "stopped";
	} else if (iv->cmd == RT_CMD_RUN || iv->cmd == RT_CMD_DELETE) {
		/* a run that failed before the container process started never ran it */
		ct->state = (iv->cmd == RT_CMD_RUN && ev->exit_code && !ct->cpid) ? "failed"
										  : "deleted";
		ct->deleted = true;
		ct->at.due[OCI_POSTSTOP] = true;
	}
	container_maybe_finish(c, ct, ev->hdr->drops, ev->hdr->ts_ns);
}

/* ---- hooks ------------------------------------------------------------------- */

static struct hook_rec *hook_new(const struct hs_event *ev)
{
	struct hook_node *n = calloc(1, sizeof(*n));
	struct hook_rec *h;

	if (!n)
		return NULL;
	h = &n->r;
	n->task_start_ns = ev->hdr->start_ns;
	h->pid = ev->hdr->tgid;
	h->ppid = ev->hdr->ppid;
	h->path = strdup(ev->filename);
	h->argv = mem_strdup(ev->argv ? ev->argv : "", ev->argv_len);
	if (!h->path || !h->argv) {
		free(h->path);
		free(h->argv);
		free(n);
		return NULL;
	}
	h->argv_len = ev->argv_len;
	h->argv_trunc = ev->argv_truncated;
	h->start_ns = ev->hdr->ts_ns;
	return h;
}

static void hook_drop(struct hook_rec *h)
{
	hook_rec_free_fields(h);
	free(HOOK_NODE(h));
}

static void hook_add(struct container *ct, struct hook_rec *h)
{
	*ct->hooks_tail = h;
	ct->hooks_tail = &h->next;
}

/* Stage and index of hook h run by invocation iv on side `side`. */
static void hook_attribute(struct container *ct, const struct inv *iv, enum attrib_side side,
			   bool podman_own, struct hook_rec *h)
{
	const struct attrib_cfg cfg = {
		.cfg = ctr_conf_hooks(&ct->conf),
		.podman_own = &ct->conf.podman_own,
	};
	const struct attrib_who who = {
		.kind = iv->kind,
		.cmd = iv->cmd,
		.side = side,
		.podman_own = podman_own,
	};

	attrib_match(&cfg, &ct->at, &who, h);
	if (h->stage >= 0 && h->index >= 0) {
		struct hook_origin o = ctr_conf_origin(&ct->conf, h->stage, (size_t)h->index);

		h->origin = o.kind;
		h->origin_file = o.file ? strdup(o.file) : NULL;
	}
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
		proc_set_inv(p, iv);
}

static enum attrib_side side_of(const struct proc *p, const struct hs_event *ev)
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
	struct hook_rec *hr;
	enum attrib_side side = side_of(p, ev);
	bool podman_own = false;
	struct proc *parent = proc_get(c, h->ppid, false);

	ct = iv ? iv->c : NULL;
	if (iv && iv->kind == RT_PODMAN) {
		note_conmon(iv, ev);
		ct = iv->last_c;
		podman_own = true;
	}
	/* the container process: pid 1 of its namespace, or forked from the host side */
	if (side == SIDE_CONTAINER &&
	    ((iv && iv->seeded_init) ? h->tgid == iv->pid
				     : (h->vpid == 1 || !parent || parent->mntns == (iv ? iv->mntns : 0)))) {
		*role = HS_UROLE_CONTAINER;
		p->role = HS_UROLE_CONTAINER;
		if (ct && !ct->cpid) {
			ct->cpid = h->tgid;
			ct->cmntns = h->mntns;
			ct->at.cstarted = true;
			ct->cstart_ns = h->ts_ns;
			ct->cargv = mem_strdup(ev->argv ? ev->argv : "", ev->argv_len);
			ct->cargv_len = ct->cargv ? ev->argv_len : 0;
			ct->state = "running";
			p->ctr_of = ct;
		}
		return;
	}
	if (!ct || (podman_own && !ct->conf.podman_own.n[OCI_POSTSTOP])) {
		*role = podman_own ? HS_UROLE_OTHER : HS_UROLE_HOOK;
		p->role = *role;
		return;
	}
	hr = hook_new(ev);
	if (!hr)
		return;
	hook_attribute(ct, iv, side, podman_own, hr);
	if (podman_own && hr->stage < 0) {
		/* podman's helpers (conmon, netavark...) are not hooks */
		hook_drop(hr);
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
	enum attrib_side side = side_of(p, ev);
	bool podman_own = false;
	struct hook_rec *hr;

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
	hook_attribute(ct, iv, side, podman_own, hr);
	hr->status = HOOK_EXEC_FAILED;
	hr->err = ev->err;
	hr->ended = true;
	hr->end_ns = ev->hdr->ts_ns;
	hook_add(ct, hr);
	attrib_failed(&ct->at, hr);
	report_hook(c, ct, hr);
}

/*
 * Which configured hook a runtime child that died without an exec was
 * forked for, and a hook record for it: crun's hook child exits 1 before
 * its execvpe() when it cannot chdir to the bundle (poststop hooks run
 * there) or open /dev/null, and crun reports that as the hook's own "exit
 * code: 1". Only children forked where hooks are forked count: by the
 * invocation's own process on the host side, or inside the container's
 * mount namespace by a process already there (the container init), never a
 * runtime's other children (runc's init stages, crun's container init,
 * which are forked into or by processes across a namespace boundary, or
 * are pid 1). And only while a configured hook is still to run.
 */
static void on_died_unexeced(struct correlator *c, struct proc *p, const struct hs_event *ev)
{
	struct inv *iv = p->inv;
	struct container *ct = iv ? iv->c : NULL;
	bool podman_own = false;
	enum attrib_side side;
	struct attrib_cfg cfg;
	struct attrib_who who;
	const struct oci_hook *hk;
	struct hook_node *n;
	struct hook_rec *hr;
	int stage, index;
	size_t i, len;
	char why[256];

	if (!iv || !p->forked || p->exec_tried || p->role != HS_UROLE_RUNTIME)
		return;
	if (!ev->exit_code && !ev->signal)
		return;
	if (iv->kind == RT_PODMAN) {
		ct = iv->last_c;
		podman_own = true;
	}
	if (!ct || p->fork_vpid == 1)
		return;
	if (p->mntns == iv->mntns && p->fork_ppid == iv->pid)
		side = SIDE_HOST;
	else if (p->mntns != iv->mntns && p->parent_mntns == p->mntns && !podman_own)
		side = SIDE_CONTAINER;
	else
		return;
	cfg = (struct attrib_cfg){ .cfg = ctr_conf_hooks(&ct->conf),
				   .podman_own = &ct->conf.podman_own };
	who = (struct attrib_who){ .kind = iv->kind, .cmd = iv->cmd, .side = side,
				   .podman_own = podman_own };
	if (!attrib_next_pending(&cfg, &ct->at, &who, &stage, &index))
		return;
	hk = attrib_cfg_hook(&cfg, stage, (size_t)index);
	n = calloc(1, sizeof(*n));
	if (!n || !hk)
		goto fail;
	hr = &n->r;
	hr->stage = stage;
	hr->index = index;
	hr->pid = ev->hdr->tgid;
	hr->ppid = p->fork_ppid;
	/* what the runtime was about to exec: the configured path and args */
	hr->path = strdup(hk->path ? hk->path : "");
	for (i = 0, len = 0; i < hk->nargs; i++)
		len += strlen(hk->args[i]) + 1;
	if (!hk->nargs)
		len = strlen(hk->path ? hk->path : "") + 1;
	hr->argv = malloc(len ? len : 1);
	if (!hr->path || !hr->argv)
		goto fail_rec;
	if (!hk->nargs) {
		memcpy(hr->argv, hk->path ? hk->path : "", len);
	} else {
		for (i = 0, len = 0; i < hk->nargs; i++) {
			size_t l = strlen(hk->args[i]) + 1;

			memcpy(hr->argv + len, hk->args[i], l);
			len += l;
		}
	}
	hr->argv_len = len;
	hr->start_ns = p->fork_ns;
	hr->end_ns = ev->hdr->ts_ns;
	hr->ended = true;
	hr->status = HOOK_EXEC_FAILED;
	hr->exit_code = ev->exit_code;
	hr->signal = ev->signal;
	if (ev->signal)
		snprintf(why, sizeof(why), "%s's child for this hook was killed by signal %d "
			 "before it tried to exec the hook", ct->runtime, ev->signal);
	else
		snprintf(why, sizeof(why), "%s's child for this hook exited with status %d "
			 "before it tried to exec the hook%s", ct->runtime, ev->exit_code,
			 iv->kind == RT_CRUN && ev->exit_code == 1
				 ? " (crun's child exits 1 when it cannot chdir to the bundle "
				   "directory, where it runs the hook, or open /dev/null: crun "
				   "cannot tell that from the hook's own exit code 1)"
				 : "");
	if (ev->hdr->flags & HS_F_UNWATCHED)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
			 "; or an exec failed unseen: it was forked before the failed-exec "
			 "probe was attached");
	hr->reason = strdup(why);
	if (!hr->reason)
		goto fail_rec;
	hook_add(ct, hr);
	attrib_failed(&ct->at, hr);
	report_hook(c, ct, hr);
	return;
fail_rec:
	hook_rec_free_fields(hr);
fail:
	free(n);
}

static void on_proc_exit(struct correlator *c, struct proc *p, const struct hs_event *ev)
{
	struct hook_rec *hr = p->hook;
	struct container *ct;

	if (p->desc_of && p->child_idx >= 0)
		hookout_child_exit(p->desc_of, p->child_idx, ev->hdr->ts_ns, ev->exit_code,
				   ev->signal);
	if (hr && !hr->ended) {
		hookout_hook_exit(hr);
		const struct attrib_cfg cfg = {
			.cfg = ctr_conf_hooks(&p->hook_c->conf),
			.podman_own = &p->hook_c->conf.podman_own,
		};
		const struct oci_hook *hk =
			hr->stage >= 0 && hr->index >= 0 ? attrib_cfg_hook(&cfg, hr->stage, hr->index)
							 : NULL;

		hr->ended = true;
		hr->end_ns = ev->hdr->ts_ns;
		hr->exit_code = ev->exit_code;
		hr->signal = ev->signal;
		hr->status = attrib_exit_status(hk, hr->end_ns - hr->start_ns, ev->exit_code,
						ev->signal);
		if (hr->status != HOOK_OK)
			attrib_failed(&p->hook_c->at, hr);
		report_hook(c, p->hook_c, hr);
	}
	if (!hr)
		on_died_unexeced(c, p, ev);
	ct = p->ctr_of;
	if (ct && !ct->at.cexited) {
		ct->at.cexited = true;
		ct->cexit_ns = ev->hdr->ts_ns;
		ct->cexit_code = ev->exit_code;
		ct->csignal = ev->signal;
		if (strcmp(ct->state, "deleted"))
			ct->state = "stopped";
	}
	if (p->inv && p->inv->pid == p->tgid && !p->inv->exited)
		inv_exit(c, p->inv, ev);
}

/* ---- what hooks said and saw (hookout.c) ---------------------------------------- */

/* The hook record that the kernel's hook_pid names, while that hook is followed. */
static struct hook_rec *hook_of(struct correlator *c, __u32 hook_pid, struct container **ct)
{
	struct proc *hp = hook_pid ? proc_get(c, hook_pid, false) : NULL;

	if (!hp || !hp->hook || !hp->hook_c)
		return NULL;
	*ct = hp->hook_c;
	return hp->hook;
}

/* A hook's descendant was forked: list it under its hook. */
static void on_desc_fork(struct correlator *c, struct proc *p, const struct hs_event *ev)
{
	const struct hs_hdr *h = ev->hdr;
	struct proc *parent = proc_get(c, h->ppid, false);
	struct container *ct = NULL;
	struct hook_rec *hr = hook_of(c, h->hook_pid, &ct);
	const char *argv = NULL;
	size_t argv_len = 0;

	p->role = HS_UROLE_OTHER;
	p->mntns = h->mntns;
	p->child_idx = -1;
	if (!hr)
		return;
	if (parent && parent->hook == hr) {
		argv = hr->argv;
		argv_len = hr->argv_len;
	} else if (parent && parent->desc_of == hr && parent->child_idx >= 0) {
		argv = hr->children[parent->child_idx].argv;
		argv_len = hr->children[parent->child_idx].argv_len;
	}
	p->child_idx = hookout_child_add(hr, h->tgid, h->ppid, h->ts_ns, argv, argv_len);
	p->desc_of = hr;
	p->desc_c = ct;
}

static void on_hook_io(struct correlator *c, const struct hs_event *ev)
{
	struct container *ct = NULL;
	struct hook_rec *hr = hook_of(c, ev->hdr->hook_pid, &ct);
	int err = 0;

	if (!hr)
		return;
	if (ev->type == HS_EV_HOOK) {
		struct event_hook_start st = {
			.no_capture = ev->no_capture,
			.capture_late = ev->capture_late,
			.env_on = ev->env_on,
			.env = ev->env,
			.env_len = ev->env_len,
			.env_trunc = ev->env_truncated,
		};

		memcpy(st.fd, ev->fd, sizeof(st.fd));
		err = hookout_start(hr, &st);
	} else if (ev->type == HS_EV_OUTPUT) {
		err = hookout_output(hr, ev->out_captured, ev->out_bytes, ev->out_tail, ev->out_len,
				     ev->desc_dropped);
	} else if (ev->type == HS_EV_INPUT && !hr->ended) {
		err = hookout_state_put(hr, ev->in_off, ev->in_data, ev->in_len, ev->in_truncated);
	}
	if (err)
		hs_warn("out of memory keeping what hook %u said and saw", hr->pid);
}

void correlator__on_event(struct correlator *c, const struct hs_event *ev)
{
	const struct hs_hdr *h = ev->hdr;
	enum hs_urole role = hs_event_role_guess(ev);
	/* only a fork or an exec makes a process known */
	struct proc *p = proc_get(c, h->tgid, ev->type == HS_EV_FORK || ev->type == HS_EV_EXEC ||
						 ev->type == HS_EV_EXEC_FAILED);

	if (p && !p->start_ns)
		p->start_ns = h->start_ns;

	switch (ev->type) {
	case HS_EV_FORK: {
		struct proc *parent = proc_get(c, h->ppid, false);

		if (p && h->role == HS_ROLE_LEAF) {
			on_desc_fork(c, p, ev);
			role = HS_UROLE_OTHER;
			break;
		}
		/* the forking thread's process: ppid is the parent's tgid */
		if (p) {
			p->role = HS_UROLE_RUNTIME;
			p->mntns = h->mntns;
			p->forked = true;
			p->fork_ppid = h->ppid;
			p->fork_vpid = h->vpid;
			p->fork_ns = h->ts_ns;
			p->parent_mntns = parent ? parent->mntns : 0;
			if (parent)
				proc_set_inv(p, parent->inv);
		}
		break;
	}
	case HS_EV_EXEC:
		if (!p)
			break;
		p->exec_tried = true;
		p->seeded = h->flags & HS_F_SEEDED;
		if (h->role == HS_ROLE_RUNTIME) {
			on_runtime_exec(c, p, ev);
		} else if (h->prev_role == HS_ROLE_RUNTIME) {
			if (!p->inv && (h->flags & HS_F_SEEDED)) {
				struct proc *parent = proc_get(c, h->ppid, false);

				if (parent)
					proc_set_inv(p, parent->inv);
			}
			on_leaf_exec(c, p, ev, &role);
		} else {
			role = p->role == HS_UROLE_RUNTIME ? HS_UROLE_OTHER : p->role;
			if (p->desc_of && p->child_idx >= 0 &&
			    hookout_child_exec(p->desc_of, p->child_idx, ev->argv, ev->argv_len))
				hs_warn("out of memory keeping a hook's child");
		}
		break;
	case HS_EV_EXEC_FAILED:
		role = h->vpid == 1 ? HS_UROLE_CONTAINER : HS_UROLE_HOOK;
		if (p)
			p->exec_tried = true;
		if (p && h->role == HS_ROLE_RUNTIME)
			on_exec_failed(c, p, ev);
		break;
	case HS_EV_EXIT:
		role = p ? p->role : HS_UROLE_OTHER;
		if (p)
			on_proc_exit(c, p, ev);
		break;
	case HS_EV_HOOK:
	case HS_EV_OUTPUT:
	case HS_EV_INPUT:
		on_hook_io(c, ev);
		return;
	default:
		break;
	}

	if (c->all)
		report__event(c->rep, ev, role);
	if (ev->type == HS_EV_EXIT && p)
		proc_del(c, p);
}

/* ---- hooks that run long ------------------------------------------------------ */

/* Live hooks are looked at this often: --slow's resolution. */
#define SLOW_TICK_NS 100000000ull
/* hook_running: descendants listed, bytes of each one's argv */
#define SLOW_CHILDREN_MAX 16
#define SLOW_ARGV_MAX 256

void correlator__set_slow(struct correlator *c, __u64 slow_ns)
{
	c->slow_ns = slow_ns;
}

/*
 * A hook_running record for h: where it sleeps and its descendants, the
 * kernel's account of them when it followed them, /proc's otherwise.
 */
static void report_running(struct correlator *c, struct container *ct, struct hook_rec *h,
			   __u64 now_ns)
{
	struct hook_node *n = HOOK_NODE(h);
	unsigned long long ticks = procpeek_ticks(&c->view, n->task_start_ns);
	struct child_rec *kids = NULL;
	size_t nkids = 0;
	bool trunc = false;
	char wchan[128];
	struct running_rec r = {
		.hook = h,
		.ts_ns = now_ns,
		.running_ns = now_ns - h->start_ns,
	};

	__u64 t0 = mono_now_ns();

	if (!procpeek_wchan(h->pid, ticks, wchan, sizeof(wchan)))
		r.wchan = wchan;
	if (h->children_known) {
		r.children_known = true;
		r.children = h->children;
		r.nchildren = h->nchildren;
		r.children_trunc = h->children_trunc;
	} else if (!procpeek_children(h->pid, ticks, &c->view, SLOW_CHILDREN_MAX, SLOW_ARGV_MAX,
				      &kids, &nkids, &trunc)) {
		r.children_known = true;
		r.children = kids;
		r.nchildren = nkids;
		r.children_trunc = trunc;
	}
	/* on the thread that drains the ring buffer: say what the look cost (-v) */
	hs_dbg("hook_running: pid %u looked at in /proc in %llu us (%zu children read)", h->pid,
	       (unsigned long long)(mono_now_ns() - t0) / 1000, nkids);
	h->run = run_at(c, ct->born_ns);
	report__running(c->rep, ct->id, ct->runtime, &r);
	procpeek_children_free(kids, nkids);
}

/*
 * After a loss, how long until the processes whose exit may have been lost
 * are looked for: records made before the loss was seen are all consumed
 * by then, so a process gone without its exit record is one whose record
 * was lost, not one still on its way.
 */
#define REAP_DELAY_NS 1000000000ull

/*
 * A process the model still follows whose exit record was lost (the ring
 * buffer was full when it exited): without this, its invocation would wait
 * for that record for as long as hooksnoop runs, holding the runtime's root
 * and mount namespace open and its container unfinished. Its containers were
 * touched by the loss: they read `unknown`. A hook of it not seen to end is
 * `unfinished`; an invocation ends now, with no exit status known.
 */
static void reap_one(struct correlator *c, struct proc *p, __u64 now_ns)
{
	struct hs_hdr h = { .type = HS_EV_EXIT, .tgid = p->tgid, .pid = p->tgid,
			    .ts_ns = now_ns, .start_ns = p->start_ns, .drops = c->drops };
	struct hs_event ev = { .hdr = &h, .type = HS_EV_EXIT };
	struct inv *iv;

	if (p->hook_c)
		p->hook_c->lost = true;
	if (p->ctr_of)
		p->ctr_of->lost = true;
	for (iv = p->inv; iv; iv = iv->parent)
		if (iv->c)
			iv->c->lost = true;
	c->lost_any = true;
	c->reaped++;
	if (p->inv && p->inv->pid == p->tgid && !p->inv->exited)
		inv_exit(c, p->inv, &ev);
	proc_del(c, p);
}

static void reap_lost(struct correlator *c, __u64 now_ns)
{
	struct proc *p, *tmp;

	c->reap_at_ns = 0;
	HASH_ITER(hh, c->procs, p, tmp) {
		/* seeded processes' start is /proc's own: they are checked the same way */
		if (!p->start_ns ||
		    procpeek_alive(p->tgid, procpeek_ticks(&c->view, p->start_ns)) != -ESRCH)
			continue;
		hs_dbg("process %u is gone and its exit record was lost", p->tgid);
		reap_one(c, p, now_ns);
	}
}

void correlator__tick(struct correlator *c, __u64 now_ns)
{
	struct proc *p, *tmp;

	if (c->reap_at_ns && now_ns >= c->reap_at_ns)
		reap_lost(c, now_ns);
	if (!c->slow_ns || now_ns < c->next_tick_ns)
		return;
	c->next_tick_ns = now_ns + SLOW_TICK_NS;
	HASH_ITER(hh, c->procs, p, tmp) {
		struct hook_rec *h = p->hook;
		struct hook_node *n;
		__u64 running;

		if (!h || h->ended || !p->hook_c || now_ns <= h->start_ns)
			continue;
		n = HOOK_NODE(h);
		if (!n->next_slow_ns)
			n->next_slow_ns = c->slow_ns;
		running = now_ns - h->start_ns;
		if (running < n->next_slow_ns)
			continue;
		/* then at each doubling; a tracer that fell behind skips the ones it missed */
		while (n->next_slow_ns <= running && n->next_slow_ns < (1ull << 62))
			n->next_slow_ns *= 2;
		report_running(c, p->hook_c, h, now_ns);
	}
}

void correlator__on_lost(struct correlator *c, unsigned long long n)
{
	/* which containers it touched is decided from the records' drop stamps */
	if (!n)
		return;
	c->lost_any = true;
	c->drops += n;
	/* and whose exit went with it, a moment later (REAP_DELAY_NS) */
	if (!c->reap_at_ns)
		c->reap_at_ns = mono_now_ns() + REAP_DELAY_NS;
}

unsigned long long correlator__reaped(const struct correlator *c)
{
	return c->reaped;
}

void correlator__on_source_lost(struct correlator *c, bool any, __u64 src)
{
	struct container *ct, *tmp;
	unsigned i;

	/*
	 * Its containers still open: one of theirs may be what was refused.
	 * (Read before each record is handled, so none finished after it.)
	 */
	HASH_ITER(hh, c->containers, ct, tmp) {
		if (ct->done)
			continue;
		for (i = 0; i < ct->nsrcs && !any; i++)
			if (ct->srcs[i] == src)
				break;
		if (any || i < ct->nsrcs)
			ct->lost = true;
	}
	c->refused_any = true;
}

bool correlator__refused_any(const struct correlator *c)
{
	return c->refused_any;
}

unsigned long long correlator__evicted(const struct correlator *c)
{
	return c->evicted;
}

void correlator__set_live_max(struct correlator *c, unsigned n)
{
	c->live_max = n ? n : CORR_LIVE_MAX;
}

bool correlator__lost_any(const struct correlator *c)
{
	return c->lost_any;
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

unsigned correlator__tracked(const struct correlator *c)
{
	return HASH_COUNT(c->procs);
}

bool correlator__busy(const struct correlator *c)
{
	const struct proc *p, *tmp;

	HASH_ITER(hh, c->procs, p, tmp)
		if (p->role == HS_UROLE_RUNTIME || p->role == HS_UROLE_HOOK)
			return true;
	return false;
}

void correlator__finish(struct correlator *c, unsigned long long drops, __u64 now_ns)
{
	struct container *ct, *tmp;

	HASH_ITER(hh, c->containers, ct, tmp)
		container_finish(c, ct, drops, now_ns);
}

int correlator__start_run(struct correlator *c, unsigned run, __u64 ts_ns)
{
	__u64 *v;

	if (run != c->nruns || (run && ts_ns < c->run_start[run - 1]))
		return -EINVAL;
	v = realloc(c->run_start, (run + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[run] = ts_ns;
	c->run_start = v;
	c->nruns = run + 1;
	return 0;
}

struct correlator *correlator__new(struct report *rep, bool all)
{
	struct correlator *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->rep = rep;
	c->all = all;
	c->live_max = CORR_LIVE_MAX;
	c->conf = confsrc__new();
	if (!c->conf) {
		free(c);
		return NULL;
	}
	rtview_init(&c->view);
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
	while (c->gone)
		gone_del(c, c->gone);
	confsrc__free(c->conf);
	rtexe_cache_free(&c->rtexe);
	rtview_fini(&c->view);
	free(c->run_start);
	free(c);
}
