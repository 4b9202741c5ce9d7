// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The output stream the sinks write to: the file (or stdout), line
 * buffered, one whole record per write; and the one calibration of kernel
 * (CLOCK_MONOTONIC) timestamps to wall time that every format uses.
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

/*
 * A kernel timestamp as wall time: RFC 3339 UTC with microseconds for
 * records, or local HH:MM:SS.mmm for the text column.
 */
static void wall_format(const struct output *o, __u64 mono_ns, bool rfc3339, char *buf,
			size_t sz)
{
	__s64 w = (__s64)mono_ns + o->wall_off_ns;
	time_t sec = (time_t)(w / 1000000000ll);
	long long frac = w % 1000000000ll;
	struct tm tm;
	size_t n;

	if (rfc3339) {
		gmtime_r(&sec, &tm);
		n = strftime(buf, sz, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf + n, sz - n, ".%06lldZ", frac / 1000);
	} else {
		localtime_r(&sec, &tm);
		n = strftime(buf, sz, "%H:%M:%S", &tm);
		snprintf(buf + n, sz - n, ".%03lld", frac / 1000000);
	}
}

void output__rfc3339(const struct output *o, __u64 mono_ns, char *buf, size_t sz)
{
	wall_format(o, mono_ns, true, buf, sz);
}

void output__text_time(const struct output *o, __u64 mono_ns, char *buf, size_t sz)
{
	if (o->wall)
		wall_format(o, mono_ns, false, buf, sz);
	else
		snprintf(buf, sz, "%.3f", (double)(__s64)(mono_ns - o->t0_ns) / 1e9);
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
