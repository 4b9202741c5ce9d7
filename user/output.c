// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Text and JSON Lines writers for the --all stream (exec, exec failures, forks,
 * exits), for lost-event notices and for the final summary; time calibration
 * and formatting. Timeline and hook records are written by the correlator
 * through the same struct output so both formats share one stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "output.h"

__u64 mono_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

int output__open(struct output *o, const struct settings *s)
{
	struct timespec rt, m1, m2;

	memset(o, 0, sizeof(*o));
	o->json = s->json;
	o->wall = s->wall_time;
	o->all = s->all;
	sbuf_init(&o->line);
	if (s->output) {
		int fd = open(s->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
			hs_err("cannot write output file '%s': %s", s->output, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -errno;
		}
	} else {
		o->f = stdout;
	}
	setvbuf(o->f, NULL, _IOLBF, 0);

	/* calibrate: realtime sampled between two monotonic reads */
	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	o->t0_ns = (__u64)m1.tv_sec * 1000000000ull + (__u64)m1.tv_nsec;
	o->wall_off_ns = ((__s64)rt.tv_sec * 1000000000ll + rt.tv_nsec) -
			 (__s64)((o->t0_ns + (__u64)m2.tv_sec * 1000000000ull + (__u64)m2.tv_nsec) / 2);
	return 0;
}

void output__close(struct output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	else if (o->f)
		fflush(o->f);
	o->f = NULL;
	sbuf_free(&o->line);
}

void output__rfc3339(const struct output *o, __u64 mono_ns, char *buf, size_t sz)
{
	__s64 w = (__s64)mono_ns + o->wall_off_ns;
	time_t sec = (time_t)(w / 1000000000ll);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, sz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sz - n, ".%06lldZ", (long long)((w % 1000000000ll) / 1000));
}

void output__text_time(const struct output *o, __u64 mono_ns, char *buf, size_t sz)
{
	if (o->wall) {
		__s64 w = (__s64)mono_ns + o->wall_off_ns;
		time_t sec = (time_t)(w / 1000000000ll);
		struct tm tm;
		size_t n;

		localtime_r(&sec, &tm);
		n = strftime(buf, sz, "%H:%M:%S", &tm);
		snprintf(buf + n, sz - n, ".%03lld", (long long)((w % 1000000000ll) / 1000000));
	} else {
		__s64 d = (__s64)(mono_ns - o->t0_ns);

		snprintf(buf, sz, "%.3f", (double)d / 1e9);
	}
}

void output__flush_line(struct output *o)
{
	if (o->line.oom) {
		hs_err("out of memory formatting a record");
		sbuf_reset(&o->line);
		o->line.oom = false;
		return;
	}
	sbuf_add(&o->line, "\n", 1);
	fwrite(o->line.buf, 1, o->line.len, o->f);
	sbuf_reset(&o->line);
}

static void json_time(struct output *o, __u64 ts)
{
	char t[64];

	output__rfc3339(o, ts, t, sizeof(t));
	sbuf_addf(&o->line, ",\"time\":\"%s\"", t);
}

static void text_header(struct output *o)
{
	if (o->header_done || o->json)
		return;
	o->header_done = true;
	fprintf(o->f, "%-12s %-6s %-7s %-7s %-9s %-7s %s\n", o->wall ? "TIME" : "TIME(s)",
		"EVENT", "PID", "PPID", "ROLE", "RET", "ARGS");
}

static void json_common(struct output *o, const struct hs_event *ev, const char *type,
			enum hs_urole role)
{
	const struct hs_hdr *h = ev->hdr;
	struct sbuf *sb = &o->line;

	sbuf_addf(sb, "{\"type\":\"%s\",\"pid\":%u,\"tid\":%u,\"ppid\":%u,\"root_pid\":%u,", type,
		  h->tgid, h->pid, h->ppid, h->root_pid);
	sbuf_addf(sb, "\"role\":\"%s\",\"comm\":", hs_urole_name(role));
	esc_json(sb, ev->comm, strlen(ev->comm));
	sbuf_addf(sb, ",\"ts_ns\":%llu,\"start_ns\":%llu,\"uid\":%u,\"vpid\":%u,\"mntns\":%u,"
		      "\"pidns\":%u,\"cgroup_id\":%llu",
		  (unsigned long long)h->ts_ns, (unsigned long long)h->start_ns, h->uid, h->vpid,
		  h->mntns, h->pidns, (unsigned long long)h->cgroup_id);
}

void output__event(struct output *o, const struct hs_event *ev, enum hs_urole role)
{
	const struct hs_hdr *h = ev->hdr;
	struct sbuf *sb = &o->line;
	char t[40], ret[24];

	if (o->json) {
		switch (ev->type) {
		case HS_EV_EXEC:
		case HS_EV_EXEC_FAILED:
			json_common(o, ev, "exec", role);
			sbuf_puts(sb, ",\"path\":");
			esc_json(sb, ev->filename, strlen(ev->filename));
			sbuf_puts(sb, ",\"argv\":");
			esc_argv_json(sb, ev->argv, ev->argv_len);
			sbuf_addf(sb, ",\"argv_truncated\":%s,\"status\":\"%s\",\"errno\":%d,"
				      "\"seeded\":%s",
				  ev->argv_truncated ? "true" : "false",
				  ev->type == HS_EV_EXEC ? "ok" : "exec_failed", ev->err,
				  (h->flags & HS_F_SEEDED) ? "true" : "false");
			break;
		case HS_EV_FORK:
			json_common(o, ev, "fork", role);
			sbuf_addf(sb, ",\"parent_tid\":%u", ev->parent_pid);
			break;
		case HS_EV_EXIT:
			json_common(o, ev, "exit", role);
			sbuf_addf(sb, ",\"exit_code\":%d,\"signal\":%d,\"core_dumped\":%s",
				  ev->exit_code, ev->signal, ev->core ? "true" : "false");
			break;
		default:
			return;
		}
		json_time(o, h->ts_ns);
		sbuf_add(sb, "}", 1);
		output__flush_line(o);
		return;
	}

	if (ev->type == HS_EV_FORK)
		return; /* text mode shows execs and exits only, like execsnoop */
	text_header(o);
	output__text_time(o, h->ts_ns, t, sizeof(t));
	switch (ev->type) {
	case HS_EV_EXEC:
		snprintf(ret, sizeof(ret), "0");
		break;
	case HS_EV_EXEC_FAILED: {
		const char *name = strerrorname_np(ev->err);

		if (name)
			snprintf(ret, sizeof(ret), "%s", name);
		else
			snprintf(ret, sizeof(ret), "-%d", ev->err);
		break;
	}
	case HS_EV_EXIT:
		if (ev->signal) {
			const char *abbrev = sigabbrev_np(ev->signal);

			if (abbrev)
				snprintf(ret, sizeof(ret), "SIG%s", abbrev);
			else
				snprintf(ret, sizeof(ret), "sig%d", ev->signal);
		} else {
			snprintf(ret, sizeof(ret), "%d", ev->exit_code);
		}
		break;
	default:
		return;
	}
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

void output__lost(struct output *o, __u64 count, __u64 ringbuf, __u64 tracking)
{
	char t[64];

	if (o->json) {
		output__rfc3339(o, mono_now_ns(), t, sizeof(t));
		sbuf_addf(&o->line,
			  "{\"type\":\"lost\",\"count\":%llu,\"ringbuf_full\":%llu,"
			  "\"tracking_full\":%llu,\"time\":\"%s\"}",
			  (unsigned long long)count, (unsigned long long)ringbuf,
			  (unsigned long long)tracking, t);
	} else {
		output__text_time(o, mono_now_ns(), t, sizeof(t));
		sbuf_addf(&o->line,
			  "%-12s LOST %llu events (ring buffer full: %llu, tracking map full: "
			  "%llu); timelines that overlap are marked unknown",
			  t, (unsigned long long)count, (unsigned long long)ringbuf,
			  (unsigned long long)tracking);
	}
	output__flush_line(o);
}

void output__summary(struct output *o, unsigned containers, unsigned hooks, __u64 lost,
		     const char *expectations)
{
	if (o->json)
		sbuf_addf(&o->line,
			  "{\"type\":\"summary\",\"containers\":%u,\"hooks\":%u,\"lost_events\":%llu,"
			  "\"expectations\":\"%s\"}",
			  containers, hooks, (unsigned long long)lost, expectations);
	else
		sbuf_addf(&o->line, "# %u containers, %u hooks, %llu lost events, expectations: %s",
			  containers, hooks, (unsigned long long)lost, expectations);
	output__flush_line(o);
}
