// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Text sink: what a person at a terminal reads. One line per hook as it ends
 * (time, container, runtime, stage[index], duration, status, command), a
 * timeline block per container (configured vs fired per stage with the mark
 * verdict.c decided, hooks and the container process in time order, the
 * findings that explain a gap), execsnoop-like columns for --all, and the
 * lost / summary lines. Every untrusted byte goes through esc_text().
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "idlabel.h"
#include "sinks.h"
#include "util.h"

#define WRAP_COLS 98
#define TIMELINE_ARGV_MAX 200

/* The container column: IDs up to this many characters are shown whole. */
#define CTR_COL_MIN 16
/* IDs whose labels are remembered (idlabel.c) */
#define CTR_LABELS_MAX 512

struct sink_text {
	struct sink sk;
	struct output *o;
	bool header_done;
	struct idlabels *labels;
};

static struct sink_text *text_of(struct sink *sk)
{
	return (struct sink_text *)sk;
}

static size_t min_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > max ? max : n;
}

/* The container column: the ID, or a head…tail label no other ID shown shares. */
static void put_container(struct sink_text *tx, const char *id)
{
	struct sbuf *sb = &tx->o->line;
	struct idl_label lab;
	size_t n = strlen(id);

	lab = tx->labels ? idlabels_get(tx->labels, id)
			 : (struct idl_label){ .head = n > CTR_COL_MIN ? CTR_COL_MIN : n };
	if (lab.whole || lab.head + lab.tail >= n) {
		esc_text(sb, id, lab.whole ? n : lab.head);
		return;
	}
	esc_text(sb, id, lab.head);
	sbuf_puts(sb, "\u2026");
	esc_text(sb, id + n - lab.tail, lab.tail);
}

static const char *stage_label(int st)
{
	return st >= 0 ? oci_stage_name(st) : "unknown";
}

static void hook_command(struct sbuf *sb, const struct hook_rec *h, size_t max)
{
	if (h->argv_len)
		esc_argv_text(sb, h->argv, h->argv_len > max ? max : h->argv_len);
	else
		esc_text(sb, h->path, strlen(h->path));
}

/*
 * Where a hook came from when an engine put it in the configuration:
 * "engine /usr/sbin/dockerd", "hooks.d FILE". The configuration's own
 * hooks say nothing: that is every other hook.
 */
static bool origin_shown(const struct hook_rec *h)
{
	return h->origin != ORIGIN_NONE && h->origin != ORIGIN_CONFIG;
}

static void hook_origin_text(struct sbuf *sb, const struct hook_rec *h)
{
	sbuf_puts(sb, origin_kind_name(h->origin));
	if (h->origin_file) {
		sbuf_puts(sb, " ");
		esc_text(sb, h->origin_file, strlen(h->origin_file));
	}
}

/* Append text, wrapped at WRAP_COLS, continuation lines indented by `indent`. */
static void wrap_line(struct output *o, const char *first, const char *text, int indent)
{
	struct sbuf *sb = &o->line;
	size_t col, len = strlen(text);
	const char *p = text;

	sbuf_puts(sb, first);
	col = strlen(first);
	while (len) {
		size_t room = col < WRAP_COLS ? WRAP_COLS - col : 20, n = len;

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

/* Descendants listed under a line about a hook (the rest are counted). */
#define TEXT_CHILDREN_MAX 5

enum kids_shown { KIDS_LIVE, KIDS_OUTLIVED };

static void text_children(struct output *o, const struct child_rec *v, size_t n, bool trunc,
			  enum kids_shown which, const char *indent)
{
	struct sbuf *sb = &o->line;
	size_t i, shown = 0, more = 0;

	for (i = 0; i < n; i++) {
		const struct child_rec *c = &v[i];

		if (which == KIDS_LIVE ? c->ended : !c->outlived)
			continue;
		if (shown == TEXT_CHILDREN_MAX) {
			more++;
			continue;
		}
		shown++;
		sbuf_addf(sb, "%schild %u%s: ", indent, c->pid,
			  which == KIDS_OUTLIVED ? " outlived it" : "");
		if (c->argv && c->argv_len)
			esc_argv_text(sb, c->argv,
				      c->argv_len > TIMELINE_ARGV_MAX ? TIMELINE_ARGV_MAX : c->argv_len);
		output__flush_line(o);
	}
	if (more || (trunc && which == KIDS_LIVE)) {
		sbuf_addf(sb, "%s... %zu more%s", indent, more, trunc ? " (and more not followed)" : "");
		output__flush_line(o);
	}
}

/* What a failed hook wrote on stderr: its last lines, escaped, at most this many. */
#define STDERR_LINES_MAX 5
#define STDERR_LINE_BYTES 160

static void text_stderr(struct output *o, const struct hook_rec *h, const char *indent)
{
	const struct out_rec *e = &h->out[1];
	struct sbuf *sb = &o->line;
	const char *p, *end, *from;
	unsigned n = 0;

	if (h->status == HOOK_OK || h->status == HOOK_UNFINISHED || !e->known || !e->tail ||
	    !e->tail_len)
		return;
	end = e->tail + e->tail_len;
	while (end > e->tail && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end == e->tail)
		return;
	/* back from the end to the start of the STDERR_LINES_MAX-th line */
	for (from = end; from > e->tail; from--)
		if (from[-1] == '\n' && ++n == STDERR_LINES_MAX)
			break;
	sbuf_addf(sb, "%sstderr (%s, %s%llu bytes%s):", indent, out_to_name(e->to),
		  e->late ? "capture began late, at least " : "", e->bytes,
		  from > e->tail || e->truncated ? ", the end" : "");
	output__flush_line(o);
	for (p = from; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		sbuf_addf(sb, "%s| ", indent);
		esc_text(sb, p, len > STDERR_LINE_BYTES ? STDERR_LINE_BYTES : len);
		if (len > STDERR_LINE_BYTES)
			sbuf_puts(sb, "...");
		output__flush_line(o);
		p = nl ? nl + 1 : end;
	}
}

/* "TIME CONTAINER RUNTIME stage[index]": how a hook's lines start. */
static void put_hook_prefix(struct sink_text *ts, const char *t, const char *container,
			    const char *runtime, const struct hook_rec *h)
{
	struct sbuf *sb = &ts->o->line;

	sbuf_addf(sb, "%-12s ", t);
	put_container(ts, container);
	sbuf_addf(sb, " %s %s", runtime, stage_label(h->stage));
	if (h->index >= 0)
		sbuf_addf(sb, "[%d]", h->index);
	if (h->inferred)
		sbuf_puts(sb, "?");
}

static void text_hook(struct sink *sk, const char *container, const char *runtime,
		      const struct hook_rec *h)
{
	struct output *o = text_of(sk)->o;
	struct sbuf *sb = &o->line;
	char t[64], d[32];

	output__text_time(o, h->end_ns ? h->end_ns : h->start_ns, t, sizeof(t));
	if (h->ended)
		fmt_duration(d, sizeof(d), h->end_ns - h->start_ns);
	else
		snprintf(d, sizeof(d), "-");
	put_hook_prefix(text_of(sk), t, container, runtime, h);
	sbuf_addf(sb, " %s %s", d, hook_status_name(h->status));
	if (h->status == HOOK_FAILED)
		sbuf_addf(sb, "(%d)", h->exit_code);
	else if (h->status == HOOK_KILLED || h->status == HOOK_TIMEOUT)
		sbuf_addf(sb, "(SIG%s)", sigabbrev_np(h->signal) ?: "?");
	else if (h->status == HOOK_EXEC_FAILED && !h->reason)
		sbuf_addf(sb, "(%s)", strerrorname_np(h->err) ?: "?");
	else if (h->status == HOOK_EXEC_FAILED)
		sbuf_puts(sb, "(no exec)");
	sbuf_puts(sb, "  ");
	hook_command(sb, h, h->argv_len);
	if (origin_shown(h)) {
		sbuf_puts(sb, "  [");
		hook_origin_text(sb, h);
		sbuf_puts(sb, "]");
	}
	output__flush_line(o);
	if (h->reason)
		wrap_line(o, "             why: ", h->reason, 18);
	text_stderr(o, h, "             ");
	if (h->children_known)
		text_children(o, h->children, h->nchildren, false, KIDS_OUTLIVED, "             ");
}

/* A hook still running after --slow: how long, where it waits, what it started. */
static void text_running(struct sink *sk, const char *container, const char *runtime,
			 const struct running_rec *r)
{
	const struct hook_rec *h = r->hook;
	struct output *o = text_of(sk)->o;
	struct sbuf *sb = &o->line;
	char t[64], d[32];

	output__text_time(o, r->ts_ns, t, sizeof(t));
	fmt_duration(d, sizeof(d), r->running_ns);
	put_hook_prefix(text_of(sk), t, container, runtime, h);
	sbuf_addf(sb, " still running after %s, pid %u", d, h->pid);
	if (r->wchan && *r->wchan)
		sbuf_addf(sb, " waiting in %s", r->wchan); /* [A-Za-z0-9_.] only */
	else if (r->wchan)
		sbuf_puts(sb, " on a CPU");
	sbuf_puts(sb, "  ");
	hook_command(sb, h, h->argv_len);
	output__flush_line(o);
	if (r->children_known)
		text_children(o, r->children, r->nchildren, r->children_trunc, KIDS_LIVE,
			      "             ");
}

static const char *mark_text(enum stage_mark m)
{
	switch (m) {
	case MARK_OK:
		return "\u2713";
	case MARK_FAILED:
		return "\u2717 failed";
	case MARK_NOT_REACHED:
		return "\u2717 not reached (an earlier hook failed)";
	case MARK_NOT_DUE:
		return "- not due yet";
	case MARK_MISSING:
		return "\u2717 MISSING";
	case MARK_NOT_RUN:
		return "\u2717 not run by this runtime: see the warning below";
	case MARK_SKIPPED:
		return "\u2717 never run by this runtime: see RUNTIME_SKIPS_STAGE below";
	default:
		return "-";
	}
}

/* Hooks and the container process's start and exit, merged in time order. */
static void timeline_events(struct output *o, const struct ctr_rec *rec)
{
	struct sbuf *sb = &o->line;
	const struct proc_rec *p = &rec->process;
	const struct hook_rec *nh = rec->hooks, *h;
	int cstate = p->started ? 0 : 2; /* 0: start due, 1: exit due, 2: done */
	char d[32];

	for (;;) {
		__u64 ct_ts = cstate == 0 ? p->start_ns : p->exit_ns;
		bool ctr_next = cstate < 2 && (cstate == 0 || p->exited) &&
				(!nh || ct_ts <= nh->start_ns);

		if (!nh && !ctr_next)
			break;
		if (ctr_next) {
			sbuf_addf(sb, "   %+9.3fs  ", (double)((__s64)(ct_ts - rec->create_ns)) / 1e9);
			if (cstate == 0) {
				sbuf_addf(sb, "container process started, pid %u: ", p->pid);
				esc_argv_text(sb, p->argv,
					      p->argv_len > TIMELINE_ARGV_MAX ? TIMELINE_ARGV_MAX
									 : p->argv_len);
			} else if (p->signal) {
				sbuf_addf(sb, "container process killed by SIG%s",
					  sigabbrev_np(p->signal) ?: "?");
			} else {
				sbuf_addf(sb, "container process exited with %d", p->exit_code);
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
		sbuf_addf(sb, "   %+9.3fs  %s", (double)((__s64)(h->start_ns - rec->create_ns)) / 1e9,
			  stage_label(h->stage));
		if (h->index >= 0)
			sbuf_addf(sb, "[%d]", h->index);
		sbuf_addf(sb, "%s %s %s  ", h->inferred ? "?" : "", d, hook_status_name(h->status));
		hook_command(sb, h, TIMELINE_ARGV_MAX);
		output__flush_line(o);
		if (origin_shown(h)) {
			/* its own line: the command line is long enough already */
			sbuf_puts(sb, "               from: ");
			hook_origin_text(sb, h);
			output__flush_line(o);
		}
		if (h->reason)
			wrap_line(o, "               why: ", h->reason, 20);
		text_stderr(o, h, "               ");
		if (h->children_known)
			text_children(o, h->children, h->nchildren, false, KIDS_OUTLIVED,
				      "               ");
	}
}

static void text_container(struct sink *sk, const struct ctr_rec *rec)
{
	struct output *o = text_of(sk)->o;
	struct sbuf *sb = &o->line;
	char first[64];
	size_t i;
	int st;

	sbuf_puts(sb, "== container ");
	esc_text(sb, rec->id, min_len(rec->id, 64));
	sbuf_addf(sb, " (%s) %s, verdict: %s", rec->runtime, rec->state, verdict_name(rec->verdict));
	if (rec->run.repeat && rec->run.index >= 0)
		sbuf_addf(sb, ", run %d", rec->run.index);
	else if (rec->run.repeat)
		sbuf_puts(sb, ", before the first run");
	output__flush_line(o);
	if (rec->bundle) {
		sbuf_puts(sb, "   bundle ");
		esc_text(sb, rec->bundle, strlen(rec->bundle));
		output__flush_line(o);
	}
	if (rec->rt_exe && rec->rt_exe_ok == 0) {
		sbuf_puts(sb, "   runtime binary ");
		esc_text(sb, rec->rt_exe, strlen(rec->rt_exe));
		sbuf_addf(sb, " is not a %s binary: a process named like a runtime", rec->runtime);
		output__flush_line(o);
	}
	if (rec->nested.nested) {
		struct sbuf msg;

		sbuf_init(&msg);
		sbuf_addf(&msg, "%s runs in mount namespace %u", rec->runtime, rec->nested.mntns);
		if (rec->nested.outer) {
			sbuf_puts(&msg, ", inside container ");
			esc_text(&msg, rec->nested.outer, min_len(rec->nested.outer, 64));
		}
		sbuf_puts(&msg, "; its paths are read in its own root");
		wrap_line(o, "   nested: ", sbuf_str(&msg), 6);
		sbuf_free(&msg);
	}
	if (rec->cfg_error) {
		sbuf_puts(sb, "   configuration: ");
		esc_text(sb, rec->cfg_error, strlen(rec->cfg_error));
		sbuf_puts(sb, " (stages inferred)");
		output__flush_line(o);
	}
	if (rec->refused) {
		snprintf(first, sizeof(first), "   %s refuses this configuration: ", rec->runtime);
		wrap_line(o, first, rec->refused, 6);
	}
	sbuf_addf(sb, "   %-16s %10s %6s %6s", "stage", "configured", "fired", "failed");
	output__flush_line(o);
	for (st = 0; st < OCI_STAGE_MAX; st++) {
		const struct stage_rec *s = &rec->stages[st];

		sbuf_addf(sb, "   %-16s %10u %6u %6u  %s", oci_stage_name(st), s->configured, s->fired,
			  s->failed, mark_text(s->mark));
		output__flush_line(o);
	}
	timeline_events(o, rec);
	for (i = 0; i < rec->lint->n; i++) {
		const struct lint_finding *f = &rec->lint->v[i];

		if (f->severity == LINT_INFO)
			continue;
		snprintf(first, sizeof(first), "   %s %s: ", lint_severity_name(f->severity), f->code);
		wrap_line(o, first, f->message, 6);
	}
	for (i = 0; i < rec->nwarn; i++) {
		snprintf(first, sizeof(first), "   warning %s: ", rec->warn[i].code);
		wrap_line(o, first, rec->warn[i].message, 6);
	}
	if (rec->lost) {
		sbuf_puts(sb, "   events were lost while this container ran: the timeline may be "
			      "incomplete");
		output__flush_line(o);
	}
	if (rec->evicted) {
		sbuf_puts(sb, "   reported early: too many containers were live at once, this one's "
			      "lifecycle had not ended");
		output__flush_line(o);
	}
}

static void text_event(struct sink *sk, const struct hs_event *ev, enum hs_urole role)
{
	struct sink_text *tx = text_of(sk);
	struct output *o = tx->o;
	const struct hs_hdr *h = ev->hdr;
	struct sbuf *sb = &o->line;
	char t[40], ret[24];

	switch (ev->type) {
	case HS_EV_EXEC:
		snprintf(ret, sizeof(ret), "0");
		break;
	case HS_EV_EXEC_FAILED:
		if (strerrorname_np(ev->err))
			snprintf(ret, sizeof(ret), "%s", strerrorname_np(ev->err));
		else
			snprintf(ret, sizeof(ret), "-%d", ev->err);
		break;
	case HS_EV_EXIT:
		if (ev->signal && sigabbrev_np(ev->signal))
			snprintf(ret, sizeof(ret), "SIG%s", sigabbrev_np(ev->signal));
		else if (ev->signal)
			snprintf(ret, sizeof(ret), "sig%d", ev->signal);
		else
			snprintf(ret, sizeof(ret), "%d", ev->exit_code);
		break;
	default:
		return; /* text mode shows execs and exits only, like execsnoop */
	}
	if (!tx->header_done) {
		tx->header_done = true;
		sbuf_addf(sb, "%-12s %-6s %-7s %-7s %-9s %-7s %s", o->wall ? "TIME" : "TIME(s)",
			  "EVENT", "PID", "PPID", "ROLE", "RET", "ARGS");
		output__flush_line(o);
	}
	output__text_time(o, h->ts_ns, t, sizeof(t));
	sbuf_addf(sb, "%-12s %-6s %-7u %-7u %-9s %-7s ", t,
		  ev->type == HS_EV_EXEC_FAILED ? "fail" : hs_event_type_name(ev->type), h->tgid,
		  h->ppid, hs_urole_name(role), ret);
	if (ev->type == HS_EV_EXIT) {
		esc_text(sb, ev->comm, strlen(ev->comm));
	} else {
		if (ev->argv_len)
			esc_argv_text(sb, ev->argv, ev->argv_len);
		else
			esc_text(sb, ev->filename, strlen(ev->filename));
		if (ev->argv_truncated)
			sbuf_puts(sb, " ...");
		if (h->flags & HS_F_SEEDED)
			sbuf_puts(sb, " (running at start)");
	}
	output__flush_line(o);
}

static void text_lost(struct sink *sk, const struct loss_rec *l)
{
	struct output *o = text_of(sk)->o;
	char t[64];

	output__text_time(o, l->ts_ns, t, sizeof(t));
	if (l->refused || l->track_refused) {
		sbuf_addf(&o->line, "%-12s LOST", t);
		if (l->refused)
			sbuf_addf(&o->line, " %llu runtime starts refused (over --root-rate)",
				  l->refused);
		if (l->track_refused)
			sbuf_addf(&o->line, "%s %llu processes not followed (over --source-max-tracked)",
				  l->refused ? "," : "", l->track_refused);
		if (l->src_known)
			sbuf_addf(&o->line, " from mount namespace %u, uid %u: its timelines that "
					    "overlap are marked unknown",
				  l->src_mntns, l->src_uid);
		else
			sbuf_puts(&o->line, " from sources no longer known: timelines that overlap "
					    "are marked unknown");
		output__flush_line(o);
		return;
	}
	sbuf_addf(&o->line, "%-12s LOST %llu events (ring buffer full: %llu, tracking map full: %llu",
		  t, l->count, l->ringbuf, l->tracking);
	if (l->unwatched)
		sbuf_addf(&o->line, ", runtime children unseen before the failed-exec probe: %llu",
			  l->unwatched);
	sbuf_puts(&o->line, "); timelines that overlap are marked unknown");
	output__flush_line(o);
}

static void text_summary(struct sink *sk, const struct summary_rec *s)
{
	struct output *o = text_of(sk)->o;

	sbuf_addf(&o->line, "# %u containers, %u hooks, %llu lost events, expectations: %s",
		  s->containers, s->hooks, s->lost, s->expectations);
	if (s->refused)
		sbuf_addf(&o->line, ", %llu runtime starts refused (--root-rate)", s->refused);
	if (s->track_refused)
		sbuf_addf(&o->line, ", %llu processes not followed (--source-max-tracked)",
			  s->track_refused);
	if (s->evicted)
		sbuf_addf(&o->line, ", %llu containers reported early (too many live)", s->evicted);
	output__flush_line(o);
}

static void text_free(struct sink *sk)
{
	idlabels_free(text_of(sk)->labels);
	free(sk);
}

static const struct sink_ops text_ops = {
	.event = text_event,
	.hook = text_hook,
	.running = text_running,
	.container = text_container,
	.lost = text_lost,
	.summary = text_summary,
	.free = text_free,
};

struct sink *sink_text_new(struct output *o)
{
	struct sink_text *tx = calloc(1, sizeof(*tx));

	if (!tx)
		return NULL;
	tx->sk.ops = &text_ops;
	tx->o = o;
	tx->labels = idlabels_new(CTR_COL_MIN, CTR_LABELS_MAX); /* NULL: cut at the width */
	return &tx->sk;
}
