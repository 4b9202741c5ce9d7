// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The correlator fed with synthetic kernel records (no BPF, no root): a runc
 * run with host- and container-side hooks, a failed hook exec, a loss that
 * straddles a container, identical commands in two stages. Checks the JSON
 * records it writes. Runs under ASan/UBSan like every unit test.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include "correlate.h"
#include "event.h"
#include "output.h"
#include "report.h"
#include "saferead.h"
#include "sinks.h"

/*
 * The host side runs in our own mount namespace: the model reads a runtime's
 * files in our root when the (synthetic) pid cannot lend its own.
 */
static __u32 H_NS;
#define C_NS 4026532999u /* container mount namespace */

struct fixture {
	char dir[64];
	char out[96];
	struct settings s;
	struct output o;
	struct report rep;
	struct correlator *c;
	__u64 ts;
	unsigned drops;
};

static void write_config(struct fixture *f, const char *hooks)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/config.json", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]},"
		    "\"root\":{\"path\":\"rootfs\"},\"hooks\":%s}\n", hooks);
	fclose(fp);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct stat st;

	strcpy(f->dir, "/tmp/hs-corr-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->out, sizeof(f->out), "%s/out.jsonl", f->dir);
	f->s.json = true;
	f->s.output = f->out;
	f->s.nexpect = 0;
	assert_int_equal(stat("/proc/self/ns/mnt", &st), 0);
	H_NS = (__u32)st.st_ino;
	assert_int_equal(output__open(&f->o, &f->s), 0);
	report__init(&f->rep, &f->s);
	assert_int_equal(report__add(&f->rep, sink_json_new(&f->o)), 0);
	f->c = correlator__new(&f->rep, false);
	f->ts = 1000000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	correlator__free(f->c);
	report__free(&f->rep);
	output__close(&f->o);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void feed(struct fixture *f, void *rec)
{
	struct hs_event ev;

	assert_int_equal(hs_event_decode(rec, ((struct hs_hdr *)rec)->size, &ev), 0);
	correlator__on_event(f->c, &ev);
	free(rec);
}

static void hdr(struct fixture *f, struct hs_hdr *h, __u16 type, __u32 pid, __u32 ppid,
		__u8 role, __u8 prev, __u32 mntns, __u32 vpid, const char *comm)
{
	h->type = type;
	h->role = role;
	h->prev_role = prev;
	h->pid = h->tgid = pid;
	h->ppid = ppid;
	h->vpid = vpid;
	h->mntns = mntns;
	h->ts_ns = (f->ts += 1000000);
	h->drops = f->drops;
	strncpy(h->comm, comm, sizeof(h->comm) - 1);
}

/* exec of pid: argv given as NUL-separated bytes */
/* The next exec record's process start time (0: not set, as most tests need). */
static __u64 next_start_ns;

static void ev_exec(struct fixture *f, __u32 pid, __u32 ppid, __u8 role, __u8 prev, __u16 flags,
		    __u32 mntns, __u32 vpid, const char *path, const char *argv, size_t alen, int err)
{
	struct hs_exec *e = calloc(1, sizeof(*e) + alen);

	hdr(f, &e->hdr, err ? HS_EV_EXEC_FAILED : HS_EV_EXEC, pid, ppid, role, prev, mntns, vpid,
	    strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	e->hdr.flags = flags;
	e->hdr.start_ns = next_start_ns;
	next_start_ns = 0;
	e->hdr.size = (__u16)(sizeof(*e) + alen);
	e->err = err;
	strncpy(e->filename, path, sizeof(e->filename) - 1);
	memcpy(e->argv, argv, alen);
	e->argv_len = (__u16)alen;
	feed(f, e);
}

static void ev_fork(struct fixture *f, __u32 child, __u32 parent, __u32 mntns)
{
	struct hs_fork *k = calloc(1, sizeof(*k));

	hdr(f, &k->hdr, HS_EV_FORK, child, parent, HS_ROLE_RUNTIME, HS_ROLE_NONE, mntns, child,
	    "runc");
	k->hdr.size = sizeof(*k);
	k->parent_pid = parent;
	feed(f, k);
}

static void ev_exit(struct fixture *f, __u32 pid, __u32 ppid, __u8 role, int code, int sig)
{
	struct hs_exit *x = calloc(1, sizeof(*x));

	hdr(f, &x->hdr, HS_EV_EXIT, pid, ppid, role, role, H_NS, pid, "x");
	x->hdr.size = sizeof(*x);
	x->exit_code = code;
	x->signal = sig;
	feed(f, x);
}

#define A(s) s, sizeof(s) /* argv literal, with its final NUL */

/* the poststop hook's command (sh -c CMD) */
static const char *poststop_cmd = "c";

/* runc run: createRuntime (host), startContainer (container), poststop (host) */
static void runc_run(struct fixture *f, const char *id, bool fail_hook, bool lose)
{
	char argv[256];
	int n;

	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%c%s", 0, 0, 0, f->dir, 0, id);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_fork(f, 101, 100, H_NS);
	if (fail_hook) {
		ev_exec(f, 101, 100, HS_ROLE_RUNTIME, HS_ROLE_RUNTIME, 0, H_NS, 101, "/nope",
			A("nope\0x"), 2);
		ev_exit(f, 101, 100, HS_ROLE_RUNTIME, 1, 0);
		ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 1, 0);
		return;
	}
	ev_exec(f, 101, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 101, "/bin/sh",
		A("sh\0-c\0a"), 0);
	ev_exit(f, 101, 100, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 102, 100, C_NS);    /* the container init */
	ev_fork(f, 103, 102, C_NS);    /* ... forks the startContainer hook */
	ev_exec(f, 103, 102, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, C_NS, 3, "/bin/sh",
		A("sh\0-c\0b"), 0);
	ev_exit(f, 103, 102, HS_ROLE_LEAF, 0, 0);
	if (lose)
		f->drops++;
	ev_exec(f, 102, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, C_NS, 1, "/bin/sh", A("sh"), 0);
	ev_exit(f, 102, 100, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 104, 100, H_NS);
	n = snprintf(argv, sizeof(argv), "sh%c-c%c%s", 0, 0, poststop_cmd);
	ev_exec(f, 104, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 104, "/bin/sh", argv,
		(size_t)n + 1, 0);
	ev_exit(f, 104, 100, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 0, 0);
}

/* the records written so far, as a JSON array */
static json_t *records(struct fixture *f)
{
	json_t *arr = json_array();
	char line[8192];
	FILE *fp;

	fflush(f->o.f);
	fp = fopen(f->out, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		json_error_t e;
		json_t *v = json_loads(line, 0, &e);

		assert_non_null(v); /* every line is valid JSON */
		json_array_append_new(arr, v);
	}
	fclose(fp);
	return arr;
}

static json_t *find(json_t *arr, const char *type, const char *key, const char *val)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		if (strcmp(json_string_value(json_object_get(v, "type")), type))
			continue;
		if (!key || !strcmp(json_string_value(json_object_get(v, key)) ?: "", val))
			return v;
	}
	return NULL;
}

static int stage_n(json_t *ctr, const char *stage, const char *what)
{
	return (int)json_integer_value(
		json_object_get(json_object_get(json_object_get(ctr, "stages"), stage), what));
}

static void test_runc_run(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c, *h;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	runc_run(f, "c1", false, false);
	r = records(f);
	c = find(r, "container", "container", "c1");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "ok");
	assert_string_equal(json_string_value(json_object_get(c, "state")), "deleted");
	assert_int_equal(stage_n(c, "createRuntime", "fired"), 1);
	assert_int_equal(stage_n(c, "startContainer", "fired"), 1);
	assert_int_equal(stage_n(c, "poststop", "fired"), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "process"), "pid")),
			 102);
	h = find(r, "hook", "stage", "startContainer");
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), 103);
	assert_int_equal(json_integer_value(json_object_get(h, "index")), 0);
	h = find(r, "hook", "stage", "poststop");
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), 104);
	json_decref(r);
}

/* the "run" of the hook and container records of container id (-2: no "run" key, -1: null) */
static void assert_run(json_t *r, const char *id, int want)
{
	size_t i, n = 0;
	json_t *v;

	json_array_foreach(r, i, v) {
		json_t *run = json_object_get(v, "run");
		const char *type = json_string_value(json_object_get(v, "type"));

		if (strcmp(json_string_value(json_object_get(v, "container")) ?: "", id))
			continue;
		assert_true(!strcmp(type, "hook") || !strcmp(type, "container"));
		n++;
		if (want == -2)
			assert_null(run);
		else if (want == -1)
			assert_true(json_is_null(run));
		else
			assert_int_equal(json_integer_value(run), want);
	}
	assert_int_equal(n, 4); /* three hooks and the container */
}

/*
 * --repeat: the trace driver says when each run starts; a container belongs
 * to the run that had started when it was created, and its hooks inherit
 * it, even when its records are handled after the next run started.
 */
static void test_repeat_runs(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	runc_run(f, "c0", false, false); /* not repeating: no "run" at all */
	assert_int_equal(correlator__start_run(f->c, 1, f->ts), -EINVAL); /* run 0 first */
	assert_int_equal(correlator__start_run(f->c, 0, f->ts + 1), 0);
	runc_run(f, "c1", false, false);
	assert_int_equal(correlator__start_run(f->c, 1, f->ts + 1), 0);
	runc_run(f, "c2", false, false);
	/* run 2 stamped after c3's records were made (they were polled late): still run 1 */
	assert_int_equal(correlator__start_run(f->c, 2, f->ts + 1000000000ull), 0);
	runc_run(f, "c3", false, false);
	assert_int_equal(correlator__start_run(f->c, 2, f->ts + 2000000000ull), -EINVAL);
	assert_int_equal(correlator__start_run(f->c, 3, 5), -EINVAL); /* time went back */

	r = records(f);
	assert_run(r, "c0", -2);
	assert_run(r, "c1", 0);
	assert_run(r, "c2", 1);
	assert_run(r, "c3", 1);
	json_decref(r);
}

/* A container that was created before the first run started belongs to none. */
static void test_repeat_before_first_run(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r;
	int n;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	n = snprintf(argv, sizeof(argv), "runc%ccreate%c-b%c%s%cc9", 0, 0, 0, f->dir, 0);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	assert_int_equal(correlator__start_run(f->c, 0, f->ts + 1), 0);
	ev_fork(f, 101, 100, H_NS);
	ev_exec(f, 101, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 101, "/bin/sh",
		A("sh\0-c\0a"), 0);
	ev_exit(f, 101, 100, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 0, 0);
	correlator__finish(f->c, 0, f->ts + 1);
	r = records(f);
	assert_true(json_is_null(json_object_get(find(r, "container", "container", "c9"), "run")));
	assert_true(json_is_null(json_object_get(find(r, "hook", "container", "c9"), "run")));
	json_decref(r);
}

/* How many records of this type name container id. */
static int count(json_t *arr, const char *type, const char *id)
{
	size_t i;
	json_t *v;
	int n = 0;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "type")), type) &&
		    !strcmp(json_string_value(json_object_get(v, "container")) ?: "", id))
			n++;
	return n;
}

/* runc delete [--force] id, a process of its own that exits with code */
static void runc_delete(struct fixture *f, __u32 pid, const char *id, bool force, int code)
{
	char argv[256];
	int n;

	n = force ? snprintf(argv, sizeof(argv), "runc%cdelete%c--force%c%s", 0, 0, 0, id)
		  : snprintf(argv, sizeof(argv), "runc%cdelete%c%s", 0, 0, id);
	ev_exec(f, pid, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, pid,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_exit(f, pid, 1, HS_ROLE_RUNTIME, code, 0);
}

/*
 * containerd's runc shim deletes twice (`delete`, then `delete --force`),
 * and people run `runc delete` after a failed `runc run`: a delete of a
 * container reported moments ago whose state is gone is that container's,
 * not a new one. A delete of an ID never seen whose state does not exist
 * is no container either, unless it runs a hook (its state went while we
 * looked: the hook is reported, with its container).
 */
static void test_second_delete_merged(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	runc_run(f, "hs-unit-m1", false, false);
	runc_delete(f, 200, "hs-unit-m1", true, 0);	/* the shim's second delete */
	runc_delete(f, 201, "hs-unit-m1", false, 1);	/* and a user's, after it */
	runc_run(f, "hs-unit-m2", true, false);		/* a failed run ... */
	runc_delete(f, 202, "hs-unit-m2", false, 1);	/* ... cleaned up */
	runc_delete(f, 203, "hs-unit-never", true, 0);	/* never seen, no state: nothing */
	f->ts += 11000000000ull;
	runc_delete(f, 204, "hs-unit-m1", true, 0);	/* long after: nothing either */
	/* never seen, no state, but a poststop hook ran: a container */
	ev_exec(f, 205, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 205,
		"/usr/sbin/runc", A("runc\0delete\0hs-unit-raced"), 0);
	ev_fork(f, 206, 205, H_NS);
	ev_exec(f, 206, 205, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 206, "/bin/sh",
		A("sh\0-c\0c"), 0);
	ev_exit(f, 206, 205, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 205, 1, HS_ROLE_RUNTIME, 0, 0);
	correlator__finish(f->c, 0, f->ts + 1);
	r = records(f);
	assert_int_equal(count(r, "container", "hs-unit-m1"), 1);
	assert_int_equal(count(r, "container", "hs-unit-m2"), 1);
	assert_string_equal(json_string_value(json_object_get(
				    find(r, "container", "container", "hs-unit-m2"), "state")),
			    "failed");
	assert_int_equal(count(r, "container", "hs-unit-never"), 0);
	assert_int_equal(count(r, "container", "hs-unit-raced"), 1);
	assert_int_equal(count(r, "hook", "hs-unit-raced"), 1);
	json_decref(r);
}

/*
 * A wrapper runtime named like the runtime (nvidia-container-runtime's
 * pattern) rewrites config.json, then execs the real runtime in the same
 * process: the hooks are the ones the real runtime read, and the
 * container's lifecycle ends when that process exits.
 */
static void test_wrapper_same_pid(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r, *c, *h;
	int n;

	write_config(f, "{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}]}");
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%cw1", 0, 0, 0, f->dir, 0);
	ev_exec(f, 300, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 300,
		"/opt/wrap/runc", argv, (size_t)n + 1, 0);
	/* the wrapper adds a poststart hook, then becomes runc */
	write_config(f, "{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"poststart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"w\"]}]}");
	ev_exec(f, 300, 1, HS_ROLE_RUNTIME, HS_ROLE_RUNTIME, 0, H_NS, 300, "/usr/sbin/runc", argv,
		(size_t)n + 1, 0);
	ev_fork(f, 301, 300, H_NS);
	ev_exec(f, 301, 300, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 301, "/bin/sh",
		A("sh\0-c\0a"), 0);
	ev_exit(f, 301, 300, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 302, 300, H_NS);
	ev_exec(f, 302, 300, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 302, "/bin/sh",
		A("sh\0-c\0w"), 0);
	ev_exit(f, 302, 300, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 300, 1, HS_ROLE_RUNTIME, 0, 0);
	r = records(f); /* before correlator__finish: the exit ended the lifecycle */
	c = find(r, "container", "container", "w1");
	assert_non_null(c);
	assert_int_equal(count(r, "container", "w1"), 1);
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "ok");
	assert_int_equal(stage_n(c, "poststart", "configured"), 1);
	assert_int_equal(stage_n(c, "poststart", "fired"), 1);
	h = find(r, "hook", "stage", "poststart");
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), 302);
	json_decref(r);
}

/*
 * Where each hook came from: the configuration file, or (Docker's
 * libnetwork-setkey) the engine's own binary behind /proc/PID/exe, read as
 * the runtime sees it. A hook matched to nothing has no origin.
 */
static void test_origin(void **state)
{
	struct fixture *f = *state;
	char hooks[512], exe[PATH_MAX], path[64], cfgpath[128], argv[256];
	json_t *r, *h, *o;
	ssize_t l;
	int n;

	l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(l > 0);
	exe[l] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)getpid());
	snprintf(hooks, sizeof(hooks),
		 "{\"prestart\":[{\"path\":\"%s\",\"args\":[\"libnetwork-setkey\",\"x\"]}],"
		 "\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}]}",
		 path);
	write_config(f, hooks);
	snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", f->dir);
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%co1", 0, 0, 0, f->dir, 0);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_fork(f, 101, 100, H_NS);
	ev_exec(f, 101, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 101, path,
		A("libnetwork-setkey\0x"), 0);
	ev_exit(f, 101, 100, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 102, 100, H_NS);
	ev_exec(f, 102, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 102, "/bin/sh",
		A("sh\0-c\0a"), 0);
	ev_exit(f, 102, 100, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 103, 100, H_NS);
	ev_exec(f, 103, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 103, "/bin/stray",
		A("stray"), 0);
	ev_exit(f, 103, 100, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 0, 0);
	r = records(f);
	o = json_object_get(find(r, "hook", "stage", "prestart"), "origin");
	assert_string_equal(json_string_value(json_object_get(o, "kind")), "engine");
	assert_string_equal(json_string_value(json_object_get(o, "file")), exe);
	o = json_object_get(find(r, "hook", "stage", "createRuntime"), "origin");
	assert_string_equal(json_string_value(json_object_get(o, "kind")), "config");
	assert_string_equal(json_string_value(json_object_get(o, "file")), cfgpath);
	h = find(r, "hook", "path", "/bin/stray");
	assert_non_null(h);
	assert_true(json_is_null(json_object_get(h, "origin")));
	json_decref(r);
}

static void test_exec_failed(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c, *h;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/nope\",\"args\":[\"nope\",\"x\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\"}]}");
	runc_run(f, "c2", true, false);
	r = records(f);
	h = find(r, "hook", "status", "exec_failed");
	assert_non_null(h);
	assert_string_equal(json_string_value(json_object_get(h, "stage")), "createRuntime");
	assert_int_equal(json_integer_value(json_object_get(h, "errno")), 2);
	c = find(r, "container", "container", "c2");
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "hook_failed");
	assert_string_equal(json_string_value(json_object_get(c, "state")), "failed");
	json_decref(r);
}

static void test_loss_makes_unknown(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c;

	write_config(f, "{\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}],"
			"\"poststart\":[{\"path\":\"/bin/never\"}]}");
	runc_run(f, "c3", false, true);
	r = records(f);
	c = find(r, "container", "container", "c3");
	/* a configured poststart never fired, but a loss straddles the container */
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "unknown");
	assert_true(json_is_true(json_object_get(c, "lost")));
	json_decref(r);
}

static void test_missing(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c;

	write_config(f, "{\"poststart\":[{\"path\":\"/bin/never\"}]}");
	runc_run(f, "c4", false, false);
	r = records(f);
	c = find(r, "container", "container", "c4");
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "missing");
	assert_int_equal(stage_n(c, "poststart", "configured"), 1);
	assert_int_equal(stage_n(c, "poststart", "fired"), 0);
	json_decref(r);
}

/*
 * runsc create / start / delete (gVisor 2022-12): create runs prestart, start
 * poststart, delete poststop, all from the runsc CLI process; the configured
 * startContainer hook never runs. The record says why (RUNTIME_SKIPS_STAGE)
 * and the verdict is missing, not ok.
 */
static void test_runsc_skips_stage(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c, *w, *h;
	char argv[256];
	size_t i;
	int n, skips = 0;

	write_config(f, "{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	n = snprintf(argv, sizeof(argv), "runsc%c--network=none%ccreate%c-bundle%c%s%crs1", 0, 0, 0,
		     0, f->dir, 0);
	ev_exec(f, 200, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 200,
		"/usr/bin/runsc", argv, (size_t)n + 1, 0);
	ev_fork(f, 201, 200, H_NS);
	ev_exec(f, 201, 200, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 201, "/bin/sh",
		A("sh\0-c\0a"), 0);
	ev_exit(f, 201, 200, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 200, 1, HS_ROLE_RUNTIME, 0, 0);
	/* the same command as startContainer's: start runs it as poststart */
	ev_exec(f, 210, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 210,
		"/usr/bin/runsc", A("runsc\0start\0rs1"), 0);
	ev_fork(f, 211, 210, H_NS);
	ev_exec(f, 211, 210, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 211, "/bin/sh",
		A("sh\0-c\0b"), 0);
	ev_exit(f, 211, 210, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 210, 1, HS_ROLE_RUNTIME, 0, 0);
	ev_exec(f, 220, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 220,
		"/usr/bin/runsc", A("runsc\0delete\0-force\0rs1"), 0);
	ev_fork(f, 221, 220, H_NS);
	ev_exec(f, 221, 220, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 221, "/bin/sh",
		A("sh\0-c\0c"), 0);
	ev_exit(f, 221, 220, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 220, 1, HS_ROLE_RUNTIME, 0, 0);

	r = records(f);
	c = find(r, "container", "container", "rs1");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "runtime")), "runsc");
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "missing");
	assert_int_equal(stage_n(c, "prestart", "fired"), 1);
	assert_int_equal(stage_n(c, "poststart", "fired"), 1);
	assert_int_equal(stage_n(c, "poststop", "fired"), 1);
	assert_int_equal(stage_n(c, "startContainer", "configured"), 1);
	assert_int_equal(stage_n(c, "startContainer", "fired"), 0);
	h = find(r, "hook", "stage", "poststart");
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "ppid")), 210);
	json_array_foreach(json_object_get(c, "warnings"), i, w) {
		const char *msg = json_string_value(json_object_get(w, "message"));

		if (strcmp(json_string_value(json_object_get(w, "code")), "RUNTIME_SKIPS_STAGE"))
			continue;
		skips++;
		assert_non_null(strstr(msg, "runsc never runs startContainer hooks"));
		assert_string_equal(json_string_value(json_object_get(w, "severity")), "warning");
	}
	assert_int_equal(skips, 1); /* createContainer is not configured: nothing to say */
	json_decref(r);
}

static void test_same_command_two_stages(void **state)
{
	struct fixture *f = *state;
	json_t *r;
	size_t i;
	json_t *v;
	const char *want[] = { "createRuntime", "startContainer", "poststop" };
	int k = 0;

	/* the same command configured in createRuntime and poststop */
	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}]}");
	poststop_cmd = "a";
	runc_run(f, "c5", false, false);
	poststop_cmd = "c";
	r = records(f);
	json_array_foreach(r, i, v) {
		if (strcmp(json_string_value(json_object_get(v, "type")), "hook"))
			continue;
		assert_true(k < 3);
		assert_string_equal(json_string_value(json_object_get(v, "stage")), want[k++]);
	}
	assert_int_equal(k, 3);
	json_decref(r);
}

static void test_unreadable_config_inferred(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c, *h;

	/* no config.json at all */
	runc_run(f, "c6", false, false);
	r = records(f);
	c = find(r, "container", "container", "c6");
	assert_non_null(c);
	assert_non_null(strstr(json_string_value(json_object_get(c, "configuration")), "cannot read"));
	h = find(r, "hook", "stage", "poststop");
	assert_non_null(h);
	assert_true(json_is_true(json_object_get(h, "inferred")));
	assert_true(json_is_null(json_object_get(h, "index")));
	json_decref(r);
}

/* Containers from one bundle share one parse (and nothing is freed twice). */
static void test_shared_config(void **state)
{
	struct fixture *f = *state;
	json_t *r, *c;
	char id[16];
	int i;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}],"
			"\"Poststart\":[{\"path\":\"/bin/true\"}]}");
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "s%d", i);
		runc_run(f, id, false, false);
	}
	r = records(f);
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "s%d", i);
		c = find(r, "container", "container", id);
		assert_non_null(c);
		assert_int_equal(stage_n(c, "startContainer", "fired"), 1);
		/* every container carries the shared lint findings */
		assert_true(json_array_size(json_object_get(c, "warnings")) > 0);
	}
	json_decref(r);
}

/*
 * A runtime exec record whose pid now names another process (a pid reused
 * before the record was handled) in another mount namespace: that
 * process's root is not the runtime's, so nothing is read from it.
 */
static void test_reused_pid_lends_no_root(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r, *c;
	pid_t child;
	int n, st;

	write_config(f, "{\"poststop\":[{\"path\":\"/bin/sh\"}]}");
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		pause();
		_exit(0);
	}
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%cr1", 0, 0, 0, f->dir, 0);
	/* start_ns 0: the record's process started at boot, not the child */
	ev_exec(f, (__u32)child, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, C_NS,
		(__u32)child, "/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_exit(f, (__u32)child, 1, HS_ROLE_RUNTIME, 0, 0);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	r = records(f);
	c = find(r, "container", "container", "r1");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "configuration")),
			    "the runtime exited before its root could be opened");
	assert_int_equal(stage_n(c, "poststop", "configured"), 0);
	json_decref(r);
}

/*
 * A runtime started inside a traced container (its mount namespace) runs
 * nested: the container record says so and names the outer container.
 */
static void test_nested_runtime(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r, *in, *out, *n;
	int len;

	write_config(f, "{}");
	len = snprintf(argv, sizeof(argv), "runc%ccreate%c-b%c%s%couter", 0, 0, 0, f->dir, 0);
	ev_exec(f, 200, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 200,
		"/usr/sbin/runc", argv, (size_t)len + 1, 0);
	ev_fork(f, 201, 200, C_NS);
	ev_exec(f, 201, 200, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, C_NS, 1, "/bin/sh", A("sh"), 0);
	ev_exit(f, 200, 1, HS_ROLE_RUNTIME, 0, 0); /* created: the outer container lives on */
	/* inside it, another runc */
	len = snprintf(argv, sizeof(argv), "runc%crun%c-b%c/b%cinner", 0, 0, 0, 0);
	ev_exec(f, 300, 201, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, C_NS, 300,
		"/usr/sbin/runc", argv, (size_t)len + 1, 0);
	ev_exit(f, 300, 201, HS_ROLE_RUNTIME, 1, 0);
	correlator__finish(f->c, 0, f->ts + 1000);
	r = records(f);
	in = find(r, "container", "container", "inner");
	out = find(r, "container", "container", "outer");
	assert_non_null(in);
	assert_non_null(out);
	assert_true(json_is_null(json_object_get(out, "nested")));
	n = json_object_get(in, "nested");
	assert_true(json_is_object(n));
	assert_string_equal(json_string_value(json_object_get(n, "outer_container")), "outer");
	assert_int_equal(json_integer_value(json_object_get(n, "mntns")), C_NS);
	json_decref(r);
}

/*
 * Containers created and never deleted in our sight: beyond the table's
 * cap the oldest idle one is reported as it stands (evicted) and freed.
 */
static void test_live_table_bounded(void **state)
{
	struct fixture *f = *state;
	char argv[256], id[16];
	json_t *r, *c;
	int i, n;

	write_config(f, "{}");
	correlator__set_live_max(f->c, 3);
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "idle%d", i);
		n = snprintf(argv, sizeof(argv), "runc%ccreate%c-b%c%s%c%s", 0, 0, 0, f->dir, 0, id);
		ev_exec(f, 400 + i, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 400 + i,
			"/usr/sbin/runc", argv, (size_t)n + 1, 0);
		ev_exit(f, 400 + i, 1, HS_ROLE_RUNTIME, 0, 0); /* created, never started */
	}
	assert_int_equal(correlator__evicted(f->c), 2);
	r = records(f);
	/* the two oldest went out early, as they stood; the others are still live */
	for (i = 0; i < 2; i++) {
		snprintf(id, sizeof(id), "idle%d", i);
		c = find(r, "container", "container", id);
		assert_non_null(c);
		assert_true(json_is_true(json_object_get(c, "evicted")));
		assert_string_equal(json_string_value(json_object_get(c, "state")), "created");
		assert_string_equal(json_string_value(json_object_get(c, "verdict")), "ok");
	}
	assert_null(find(r, "container", "container", "idle2"));
	json_decref(r);
	correlator__finish(f->c, 0, f->ts + 1000);
	r = records(f);
	c = find(r, "container", "container", "idle4");
	assert_non_null(c);
	assert_false(json_is_true(json_object_get(c, "evicted")));
	json_decref(r);
}

/*
 * runc chdir()s into its bundle before reading config.json; by the time the
 * exec record is handled, its cwd may be the bundle itself. A relative -b
 * must still name the bundle, not a directory inside it.
 */
static void test_relative_bundle_after_chdir(void **state)
{
	struct fixture *f = *state;
	char argv[256], cwd[PATH_MAX], link[64];
	long hz = sysconf(_SC_CLK_TCK);
	json_t *r, *c;
	pid_t child;
	int n, st;

	write_config(f, "{\"poststop\":[{\"path\":\"/bin/sh\"}]}");
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		if (chdir(f->dir))
			_exit(1);
		pause();
		_exit(0);
	}
	snprintf(link, sizeof(link), "/proc/%d/cwd", child);
	do { /* until the "runtime" is in its bundle */
		n = (int)readlink(link, cwd, sizeof(cwd) - 1);
		cwd[n > 0 ? n : 0] = '\0';
	} while (strcmp(cwd, f->dir) && !usleep(1000));
	/* a seeded record: its start time counts from boot, as /proc's does */
	next_start_ns = sr_pid_start(child) * (1000000000ull / (unsigned long long)hz);
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%crel", 0, 0, 0, strrchr(f->dir, '/') + 1,
		     0);
	ev_exec(f, (__u32)child, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_SEEDED, H_NS,
		(__u32)child, "/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_exit(f, (__u32)child, 1, HS_ROLE_RUNTIME, 0, 0);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	r = records(f);
	c = find(r, "container", "container", "rel");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "bundle")), f->dir);
	assert_string_equal(json_string_value(json_object_get(c, "configuration")), "ok");
	assert_int_equal(stage_n(c, "poststop", "configured"), 1);
	json_decref(r);
}

/*
 * A runtime child that died before it exec'd anything, forked where hooks
 * are forked while a hook was due: that hook's exec_failed, errno null, a
 * reason. The container init dying the same way (another mount namespace,
 * pid 1) is not a hook.
 */
static void test_died_before_exec(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r, *h, *c;
	int n;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}],"
			"\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%cc7", 0, 0, 0, f->dir, 0);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_fork(f, 101, 100, H_NS);
	ev_exec(f, 101, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 101, "/bin/sh",
		A("sh\0-c\0a"), 0);
	ev_exit(f, 101, 100, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 102, 100, C_NS); /* the container init */
	ev_exec(f, 102, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, C_NS, 1, "/bin/sh", A("sh"), 0);
	ev_exit(f, 102, 100, HS_ROLE_LEAF, 0, 0);
	ev_fork(f, 105, 100, C_NS); /* not a hook's child: across a namespace boundary */
	ev_exit(f, 105, 100, HS_ROLE_RUNTIME, 1, 0);
	ev_fork(f, 104, 100, H_NS); /* poststop's child, dead before its exec */
	ev_exit(f, 104, 100, HS_ROLE_RUNTIME, 1, 0);
	ev_fork(f, 106, 100, H_NS); /* nothing left to run: not a hook's */
	ev_exit(f, 106, 100, HS_ROLE_RUNTIME, 0, 9);
	ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 0, 0);
	r = records(f);
	h = find(r, "hook", "stage", "poststop");
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), 104);
	assert_int_equal(json_integer_value(json_object_get(h, "index")), 0);
	assert_string_equal(json_string_value(json_object_get(h, "status")), "exec_failed");
	assert_true(json_is_null(json_object_get(h, "errno")));
	assert_non_null(strstr(json_string_value(json_object_get(h, "reason")),
			       "exited with status 1 before it tried to exec the hook"));
	/* what it was about to run: the configured command */
	assert_string_equal(json_string_value(json_array_get(json_object_get(h, "argv"), 2)), "c");
	c = find(r, "container", "container", "c7");
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "hook_failed");
	assert_int_equal(stage_n(c, "poststop", "failed"), 1);
	assert_int_equal(json_array_size(r), 3); /* two hooks, the container, nothing else */
	json_decref(r);
}

/*
 * The container side: a child the container init forked inside the
 * container for a startContainer hook, killed before its exec.
 */
static void test_died_before_exec_container_side(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r, *h;
	int n;

	write_config(f, "{\"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"b\"]}]}");
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%cc11", 0, 0, 0, f->dir, 0);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_fork(f, 102, 100, C_NS); /* the container init */
	ev_fork(f, 103, 102, C_NS); /* its child for the startContainer hook */
	ev_exit(f, 103, 102, HS_ROLE_RUNTIME, 0, 9);
	ev_exec(f, 102, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, C_NS, 1, "/bin/sh", A("sh"), 0);
	ev_exit(f, 102, 100, HS_ROLE_LEAF, 0, 0);
	ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 0, 0);
	r = records(f);
	h = find(r, "hook", "stage", "startContainer");
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), 103);
	assert_true(json_is_null(json_object_get(h, "errno")));
	assert_true(json_is_null(json_object_get(h, "exit_code"))); /* killed */
	assert_int_equal(json_integer_value(json_object_get(h, "signal")), 9);
	assert_non_null(strstr(json_string_value(json_object_get(h, "reason")),
			       "was killed by signal 9 before it tried to exec the hook"));
	json_decref(r);
}

/*
 * A delete killed before it finished leaves the container: the retried
 * delete continues the same lifecycle, and its poststop hook, run once
 * more, is the same configured hook (HOOK_RAN_TWICE).
 */
static void test_delete_killed_and_retried(void **state)
{
	struct fixture *f = *state;
	char argv[256];
	json_t *r, *c, *w;
	int n, i;

	write_config(f, "{\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"c\"]}]}");
	n = snprintf(argv, sizeof(argv), "runc%ccreate%c-b%c%s%cc8", 0, 0, 0, f->dir, 0);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100,
		"/usr/sbin/runc", argv, (size_t)n + 1, 0);
	ev_exit(f, 100, 1, HS_ROLE_RUNTIME, 0, 0);
	for (i = 0; i < 2; i++) {
		__u32 d = 200 + 10 * (__u32)i;

		ev_exec(f, d, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, d,
			"/usr/sbin/runc", A("runc\0delete\0c8"), 0);
		ev_fork(f, d + 1, d, H_NS);
		ev_exec(f, d + 1, d, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, d + 1, "/bin/sh",
			A("sh\0-c\0c"), 0);
		ev_exit(f, d + 1, d, HS_ROLE_LEAF, 0, 0);
		ev_exit(f, d, 1, HS_ROLE_RUNTIME, i ? 0 : 0, i ? 0 : 9);
		r = records(f);
		/* the killed delete did not end the lifecycle */
		assert_true((find(r, "container", "container", "c8") != NULL) == (i == 1));
		json_decref(r);
	}
	r = records(f);
	c = find(r, "container", "container", "c8");
	assert_int_equal(stage_n(c, "poststop", "configured"), 1);
	assert_int_equal(stage_n(c, "poststop", "fired"), 2);
	w = json_array_get(json_object_get(c, "warnings"), 0);
	assert_string_equal(json_string_value(json_object_get(w, "code")), "HOOK_RAN_TWICE");
	assert_non_null(strstr(json_string_value(json_object_get(w, "message")),
			       "poststop[0] ran 2 times"));
	json_decref(r);
}

/* the hook_running records written so far, as their running_ns */
static size_t running_ns(struct fixture *f, long long *v, size_t max)
{
	json_t *r = records(f), *x;
	size_t i, n = 0;

	json_array_foreach(r, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "type")), "hook_running") && n < max)
			v[n++] = json_integer_value(json_object_get(x, "running_ns"));
	json_decref(r);
	return n;
}

/*
 * --slow: a live hook is reported once its running time passes the mark,
 * then at each doubling; a tracer that fell behind reports once and skips
 * the marks it missed. Its (synthetic) pid is nobody's in /proc: wchan and
 * children are null, never another process's.
 */
static void test_slow_hook_running(void **state)
{
	struct fixture *f = *state;
	const __u64 s = 1000000000ull;
	char argv[256];
	long long v[8];
	json_t *r, *x;
	__u64 t0;
	int n;

	write_config(f, "{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"a\"]}]}");
	correlator__set_slow(f->c, s);
	n = snprintf(argv, sizeof(argv), "runc%crun%c-b%c%s%cc10", 0, 0, 0, f->dir, 0);
	ev_exec(f, 100, 1, HS_ROLE_RUNTIME, HS_ROLE_NONE, HS_F_NEW_ROOT, H_NS, 100, "/usr/sbin/runc",
		argv, (size_t)n + 1, 0);
	ev_fork(f, 4000001, 100, H_NS);
	next_start_ns = 1; /* a start time no live pid 4000001 can have */
	ev_exec(f, 4000001, 100, HS_ROLE_LEAF, HS_ROLE_RUNTIME, 0, H_NS, 4000001, "/bin/sh",
		A("sh\0-c\0a"), 0);
	t0 = f->ts; /* the hook's exec */
	correlator__tick(f->c, t0 + s / 2);
	assert_int_equal(running_ns(f, v, 8), 0);
	correlator__tick(f->c, t0 + s + 1);
	assert_int_equal(running_ns(f, v, 8), 1);
	assert_int_equal(v[0], (long long)s + 1);
	correlator__tick(f->c, t0 + s + s / 2); /* between marks */
	correlator__tick(f->c, t0 + 2 * s - s / 20);
	correlator__tick(f->c, t0 + 2 * s + 1000); /* within 100 ms of the last look: too soon */
	assert_int_equal(running_ns(f, v, 8), 1);
	correlator__tick(f->c, t0 + 2 * s + s / 5);
	assert_int_equal(running_ns(f, v, 8), 2);
	correlator__tick(f->c, t0 + 9 * s); /* 4 s and 8 s missed: one report, next at 16 s */
	correlator__tick(f->c, t0 + 15 * s);
	assert_int_equal(running_ns(f, v, 8), 3);
	correlator__tick(f->c, t0 + 16 * s + 1);
	assert_int_equal(running_ns(f, v, 8), 4);
	r = records(f);
	x = find(r, "hook_running", NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(x, "container")), "c10");
	assert_string_equal(json_string_value(json_object_get(x, "stage")), "createRuntime");
	assert_true(json_is_null(json_object_get(x, "wchan")));
	assert_true(json_is_null(json_object_get(x, "children")));
	json_decref(r);
	ev_exit(f, 4000001, 100, HS_ROLE_LEAF, 0, 0);
	correlator__tick(f->c, t0 + 40 * s); /* ended: never again */
	assert_int_equal(running_ns(f, v, 8), 4);
	correlator__set_slow(f->c, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_runc_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_before_first_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_delete_merged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapper_same_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loss_makes_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_command_two_stages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runsc_skips_stage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_config_inferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reused_pid_lends_no_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_runtime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_table_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_bundle_after_chdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_died_before_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_died_before_exec_container_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_killed_and_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_hook_running, setup, teardown),
	};

	return cmocka_run_group_tests_name("correlate", tests, NULL, NULL);
}
