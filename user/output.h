/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The output stream: where the sinks (sink_text.c, sink_json.c) write
 * records. Each record is built in `line` and written with one call so
 * records stay whole; the stream is line-buffered. Also owns the clock
 * calibration from CLOCK_MONOTONIC (bpf_ktime_get_ns) to wall time.
 */
#ifndef HS_OUTPUT_H
#define HS_OUTPUT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>

#include "escape.h"
#include "opts.h"

struct output {
	FILE *f;
	bool json;
	bool wall;
	__u64 t0_ns;      /* monotonic time when tracing started */
	__s64 wall_off_ns; /* realtime - monotonic, measured once at start */
	struct sbuf line;
};

int output__open(struct output *o, const struct settings *s);
void output__close(struct output *o);

__u64 mono_now_ns(void);
/* RFC 3339 UTC time of a monotonic timestamp, microsecond precision. */
void output__rfc3339(const struct output *o, __u64 mono_ns, char *buf, size_t sz);
/* Text timestamp column: seconds since start, or local HH:MM:SS.mmm with -T. */
void output__text_time(const struct output *o, __u64 mono_ns, char *buf, size_t sz);

/* Write the finished line in o->line (adds the newline). */
void output__flush_line(struct output *o);

#endif
