// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON Lines sink: SPEC's records (exec / fork / exit with --all, hook,
 * container, lost, summary), "type" first, one object per line, each built
 * with the one JSON writer (jsonw) and written whole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hookout.h"
#include "jsonw.h"
#include "log.h"
#include "sinks.h"

struct sink_json {
	struct sink sk;
	struct output *o;
};

static struct output *out_of(struct sink *sk)
{
	return ((struct sink_json *)sk)->o;
}

/* Write the record built in o->line, or drop it whole with one error line. */
static void emit(struct output *o, const struct jw *w)
{
	int err = jw_end(w);

	if (err) {
		hs_err("dropped a record that could not be built whole: %s",
		       err == -ENOMEM ? "out of memory" : "JSON writer misuse (a bug)");
		sbuf_reset(&o->line);
		o->line.oom = false;
		return;
	}
	output__flush_line(o);
}

static void put_time(struct jw *w, const struct output *o, __u64 mono_ns)
{
	char t[64];

	output__rfc3339(o, mono_ns, t, sizeof(t));
	jw_kstr(w, "time", t);
}

/* --repeat: "run" is the run's index, null for one created before the first run. */
static void put_run(struct jw *w, const struct run_of *r)
{
	if (!r->repeat)
		return;
	if (r->index >= 0)
		jw_ki64(w, "run", r->index);
	else
		jw_knull(w, "run");
}

/* "origin": {"kind","file"} of a hook matched to its configuration, else null. */
static void put_origin(struct jw *w, const struct hook_rec *h)
{
	const char *kind = origin_kind_name(h->origin);

	jw_key(w, "origin");
	if (!kind) {
		jw_null(w);
		return;
	}
	jw_obj_open(w);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "file", h->origin_file); /* NULL writes null */
	jw_obj_close(w);
}

static void event_common(struct jw *w, const struct hs_event *ev, const char *type,
			 enum hs_urole role)
{
	const struct hs_hdr *h = ev->hdr;

	jw_kstr(w, "type", type);
	jw_ku64(w, "pid", h->tgid);
	jw_ku64(w, "tid", h->pid);
	jw_ku64(w, "ppid", h->ppid);
	jw_ku64(w, "root_pid", h->root_pid);
	jw_kstr(w, "role", hs_urole_name(role));
	jw_kstr(w, "comm", ev->comm);
	jw_ku64(w, "ts_ns", h->ts_ns);
	jw_ku64(w, "start_ns", h->start_ns);
	jw_ku64(w, "uid", h->uid);
	jw_ku64(w, "vpid", h->vpid);
	jw_ku64(w, "mntns", h->mntns);
	jw_ku64(w, "pidns", h->pidns);
	jw_ku64(w, "cgroup_id", h->cgroup_id);
}

static void json_event(struct sink *sk, const struct hs_event *ev, enum hs_urole role)
{
	struct output *o = out_of(sk);
	struct jw w;

	jw_init(&w, &o->line);
	jw_obj_open(&w);
	switch (ev->type) {
	case HS_EV_EXEC:
	case HS_EV_EXEC_FAILED:
		event_common(&w, ev, "exec", role);
		jw_kstr(&w, "path", ev->filename);
		jw_key(&w, "argv");
		jw_argv(&w, ev->argv, ev->argv_len);
		jw_kbool(&w, "argv_truncated", ev->argv_truncated);
		jw_kstr(&w, "status", ev->type == HS_EV_EXEC ? "ok" : "exec_failed");
		jw_ki64(&w, "errno", ev->err);
		jw_kbool(&w, "seeded", ev->hdr->flags & HS_F_SEEDED);
		break;
	case HS_EV_FORK:
		event_common(&w, ev, "fork", role);
		jw_ku64(&w, "parent_tid", ev->parent_pid);
		break;
	case HS_EV_EXIT:
		event_common(&w, ev, "exit", role);
		jw_ki64(&w, "exit_code", ev->exit_code);
		jw_ki64(&w, "signal", ev->signal);
		jw_kbool(&w, "core_dumped", ev->core);
		break;
	default:
		sbuf_reset(&o->line);
		return;
	}
	put_time(&w, o, ev->hdr->ts_ns);
	jw_obj_close(&w);
	emit(o, &w);
}

/*
 * stdout / stderr: {"to","tail","bytes","truncated"}, or null when not
 * captured; "late": true added when the capture began after the hook started.
 */
static void put_out(struct jw *w, const char *key, const struct out_rec *o)
{
	jw_key(w, key);
	if (!o->known) {
		jw_null(w);
		return;
	}
	jw_obj_open(w);
	jw_kstr(w, "to", out_to_name(o->to));
	jw_key(w, "tail");
	jw_strn(w, o->tail ? o->tail : "", o->tail_len);
	jw_ku64(w, "bytes", o->bytes);
	jw_kbool(w, "truncated", o->truncated);
	if (o->late)
		jw_kbool(w, "late", true);
	jw_obj_close(w);
}

/* The state it read on stdin: the object when it parses as one, else the text. */
static void put_state(struct jw *w, const struct hook_rec *h)
{
	json_t *v;
	char *txt = NULL;

	jw_key(w, "state");
	if (!h->state) {
		jw_null(w);
		return;
	}
	v = h->state_trunc ? NULL : json_loadb(h->state, h->state_len, JSON_REJECT_DUPLICATES, NULL);
	if (v && json_is_object(v))
		txt = json_dumps(v, JSON_COMPACT);
	if (txt)
		jw_raw(w, txt);
	else
		jw_strn(w, h->state, h->state_len);
	free(txt);
	json_decref(v);
}

/* children: [{"pid","argv","start_ns","end_ns","exit_code","signal","outlived"}] or null. */
static void put_children_of(struct jw *w, bool known, const struct child_rec *v, size_t n,
			    bool trunc)
{
	size_t i;

	jw_key(w, "children");
	if (!known) {
		jw_null(w);
		jw_knull(w, "children_truncated");
		return;
	}
	jw_arr_open(w);
	for (i = 0; i < n; i++) {
		const struct child_rec *c = &v[i];

		jw_obj_open(w);
		jw_ku64(w, "pid", c->pid);
		jw_key(w, "argv");
		jw_argv(w, c->argv, c->argv ? c->argv_len : 0);
		jw_ku64(w, "start_ns", c->start_ns);
		if (c->ended) {
			jw_ku64(w, "end_ns", c->end_ns);
			if (c->signal)
				jw_knull(w, "exit_code");
			else
				jw_ki64(w, "exit_code", c->exit_code);
			jw_ki64(w, "signal", c->signal);
		} else {
			jw_knull(w, "end_ns");
			jw_knull(w, "exit_code");
			jw_knull(w, "signal");
		}
		jw_kbool(w, "outlived", c->outlived);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_kbool(w, "children_truncated", trunc);
}

static void put_children(struct jw *w, const struct hook_rec *h)
{
	put_children_of(w, h->children_known, h->children, h->nchildren, h->children_trunc);
}

/* The second-round fields: what the hook said and saw. */
static void put_hook_io(struct jw *w, const struct hook_rec *h)
{
	put_out(w, "stdout", &h->out[0]);
	put_out(w, "stderr", &h->out[1]);
	put_state(w, h);
	put_children(w, h);
	if (h->env_known) {
		jw_key(w, "env");
		jw_argv(w, h->env, h->env_len);
		jw_kbool(w, "env_truncated", h->env_trunc);
	}
}

/* What hook and hook_running records open with: which hook, where, whose. */
static void put_hook_head(struct jw *w, struct sbuf *line, const char *type, const char *container,
			  const char *runtime, const struct hook_rec *h)
{
	jw_init(w, line);
	jw_obj_open(w);
	jw_kstr(w, "type", type);
	jw_kstr(w, "container", container);
	jw_kstr(w, "runtime", runtime);
	put_run(w, &h->run);
	jw_kstr(w, "stage", h->stage >= 0 ? oci_stage_name(h->stage) : "unknown");
	if (h->index >= 0)
		jw_ki64(w, "index", h->index);
	else
		jw_knull(w, "index");
	jw_kbool(w, "inferred", h->inferred);
	jw_ku64(w, "pid", h->pid);
}

static void put_hook_argv(struct jw *w, const struct hook_rec *h)
{
	jw_key(w, "argv");
	jw_argv(w, h->argv, h->argv_len);
	jw_kbool(w, "argv_truncated", h->argv_trunc);
	jw_ku64(w, "start_ns", h->start_ns);
}

static void json_hook(struct sink *sk, const char *container, const char *runtime,
		      const struct hook_rec *h)
{
	struct output *o = out_of(sk);
	struct jw w;

	put_hook_head(&w, &o->line, "hook", container, runtime, h);
	jw_ku64(&w, "ppid", h->ppid);
	jw_kstr(&w, "path", h->path);
	put_hook_argv(&w, h);
	if (h->ended) {
		jw_ku64(&w, "end_ns", h->end_ns);
		jw_ku64(&w, "duration_ns", h->end_ns - h->start_ns);
	} else {
		jw_knull(&w, "end_ns");
		jw_knull(&w, "duration_ns");
	}
	jw_kstr(&w, "status", hook_status_name(h->status));
	/* exec_failed: an exit code only from a runtime child that never tried its exec */
	if (h->ended && (h->status != HOOK_EXEC_FAILED || h->reason) && !h->signal)
		jw_ki64(&w, "exit_code", h->exit_code);
	else
		jw_knull(&w, "exit_code");
	jw_ki64(&w, "signal", h->signal);
	if (h->reason) {
		/* the runtime's child died before it tried an execve: no errno to give */
		jw_knull(&w, "errno");
		jw_kstr(&w, "reason", h->reason);
	} else {
		jw_ki64(&w, "errno", h->err);
	}
	put_hook_io(&w, h);
	put_origin(&w, h);
	put_time(&w, o, h->start_ns);
	jw_obj_close(&w);
	emit(o, &w);
}

static void json_running(struct sink *sk, const char *container, const char *runtime,
			 const struct running_rec *r)
{
	const struct hook_rec *h = r->hook;
	struct output *o = out_of(sk);
	struct jw w;

	put_hook_head(&w, &o->line, "hook_running", container, runtime, h);
	put_hook_argv(&w, h);
	jw_ku64(&w, "running_ns", r->running_ns);
	jw_kstr(&w, "wchan", r->wchan); /* NULL writes null */
	put_children_of(&w, r->children_known, r->children, r->nchildren, r->children_trunc);
	put_time(&w, o, r->ts_ns);
	jw_obj_close(&w);
	emit(o, &w);
}

static void json_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct output *o = out_of(sk);
	const struct proc_rec *p = &rec->process;
	struct jw w;
	size_t i;
	int st;

	jw_init(&w, &o->line);
	jw_obj_open(&w);
	jw_kstr(&w, "type", "container");
	jw_kstr(&w, "container", rec->id);
	jw_kstr(&w, "runtime", rec->runtime);
	put_run(&w, &rec->run);
	jw_kstr(&w, "bundle", rec->bundle); /* NULL writes null */
	jw_kstr(&w, "state", rec->state);
	jw_key(&w, "stages");
	jw_obj_open(&w);
	for (st = 0; st < OCI_STAGE_MAX; st++) {
		jw_key(&w, oci_stage_name(st));
		jw_obj_open(&w);
		jw_ku64(&w, "configured", rec->stages[st].configured);
		jw_ku64(&w, "fired", rec->stages[st].fired);
		jw_ku64(&w, "failed", rec->stages[st].failed);
		jw_obj_close(&w);
	}
	jw_obj_close(&w);
	jw_key(&w, "process");
	if (p->started) {
		jw_obj_open(&w);
		jw_ku64(&w, "pid", p->pid);
		jw_key(&w, "argv");
		jw_argv(&w, p->argv, p->argv_len);
		jw_ku64(&w, "start_ns", p->start_ns);
		if (p->exited) {
			jw_ku64(&w, "exit_ns", p->exit_ns);
			jw_ki64(&w, "exit_code", p->exit_code);
			jw_ki64(&w, "signal", p->signal);
		} else {
			jw_knull(&w, "exit_ns");
			jw_knull(&w, "exit_code");
			jw_knull(&w, "signal");
		}
		jw_obj_close(&w);
	} else {
		jw_null(&w);
	}
	jw_kstr(&w, "verdict", verdict_name(rec->verdict));
	jw_kstr(&w, "configuration",
		rec->cfg_error ? rec->cfg_error : rec->refused ? rec->refused : "ok");
	jw_key(&w, "warnings");
	jw_arr_open(&w);
	for (i = 0; i < rec->lint->n; i++) {
		const struct lint_finding *f = &rec->lint->v[i];

		jw_obj_open(&w);
		jw_kstr(&w, "code", f->code);
		jw_kstr(&w, "severity", lint_severity_name(f->severity));
		jw_kstr(&w, "message", f->message);
		jw_obj_close(&w);
	}
	for (i = 0; i < rec->nwarn; i++) {
		jw_obj_open(&w);
		jw_kstr(&w, "code", rec->warn[i].code);
		jw_kstr(&w, "severity", "warning");
		jw_kstr(&w, "message", rec->warn[i].message);
		jw_obj_close(&w);
	}
	jw_arr_close(&w);
	jw_key(&w, "nested");
	if (rec->nested.nested) {
		jw_obj_open(&w);
		jw_kstr(&w, "outer_container", rec->nested.outer); /* NULL writes null */
		jw_ku64(&w, "mntns", rec->nested.mntns);
		jw_ku64(&w, "pidns", rec->nested.pidns);
		jw_obj_close(&w);
	} else {
		jw_null(&w);
	}
	jw_key(&w, "runtime_binary");
	if (rec->rt_exe) {
		jw_obj_open(&w);
		jw_kstr(&w, "path", rec->rt_exe);
		jw_key(&w, "recognised");
		if (rec->rt_exe_ok < 0)
			jw_null(&w);
		else
			jw_bool(&w, rec->rt_exe_ok > 0);
		jw_obj_close(&w);
	} else {
		jw_null(&w);
	}
	jw_kbool(&w, "lost", rec->lost);
	jw_kbool(&w, "evicted", rec->evicted);
	put_time(&w, o, rec->create_ns);
	jw_obj_close(&w);
	emit(o, &w);
}

static void json_lost(struct sink *sk, const struct loss_rec *l)
{
	struct output *o = out_of(sk);
	struct jw w;

	jw_init(&w, &o->line);
	jw_obj_open(&w);
	jw_kstr(&w, "type", "lost");
	jw_ku64(&w, "count", l->count);
	jw_ku64(&w, "ringbuf_full", l->ringbuf);
	jw_ku64(&w, "tracking_full", l->tracking);
	jw_ku64(&w, "unwatched", l->unwatched);
	jw_ku64(&w, "root_refused", l->refused);
	jw_ku64(&w, "track_refused", l->track_refused);
	if ((l->refused || l->track_refused) && l->src_known) {
		jw_key(&w, "source");
		jw_obj_open(&w);
		jw_ku64(&w, "mntns", l->src_mntns);
		jw_ku64(&w, "uid", l->src_uid);
		jw_obj_close(&w);
	} else {
		jw_knull(&w, "source");
	}
	put_time(&w, o, l->ts_ns);
	jw_obj_close(&w);
	emit(o, &w);
}

static void json_summary(struct sink *sk, const struct summary_rec *s)
{
	struct output *o = out_of(sk);
	struct jw w;

	jw_init(&w, &o->line);
	jw_obj_open(&w);
	jw_kstr(&w, "type", "summary");
	jw_ku64(&w, "containers", s->containers);
	jw_ku64(&w, "hooks", s->hooks);
	jw_ku64(&w, "lost_events", s->lost);
	jw_ku64(&w, "root_refused", s->refused);
	jw_ku64(&w, "track_refused", s->track_refused);
	jw_ku64(&w, "evicted_containers", s->evicted);
	jw_kstr(&w, "expectations", s->expectations);
	jw_obj_close(&w);
	emit(o, &w);
}

static void json_free(struct sink *sk)
{
	free(sk);
}

static const struct sink_ops json_ops = {
	.event = json_event,
	.hook = json_hook,
	.running = json_running,
	.container = json_container,
	.lost = json_lost,
	.summary = json_summary,
	.free = json_free,
};

struct sink *sink_json_new(struct output *o)
{
	struct sink_json *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->sk.ops = &json_ops;
	j->o = o;
	return &j->sk;
}
