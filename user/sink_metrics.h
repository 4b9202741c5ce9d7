/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics ADDR and --metrics-file PATH: a report sink that counts the
 * records it is handed (metrics.c) and publishes the rendered text to the
 * HTTP server and the textfile writer, each on its own thread.
 */
#ifndef HS_SINK_METRICS_H
#define HS_SINK_METRICS_H

#include <linux/types.h>

#include "report.h"

/* How often --metrics-file is rewritten while tracing (and once more at exit). */
#define METRICS_FILE_INTERVAL_MS 5000

/*
 * Binds the HTTP address and writes the file once, so a bad address, a
 * port in use or a directory that cannot be written fails before tracing
 * starts (said on stderr, NULL returned).
 */
struct sink *sink_metrics_new(const struct settings *s);

/*
 * Called by the trace loop after each poll: tracked is the number of
 * processes followed now. Republishes at most every 100 ms, only when
 * something changed.
 */
void sink_metrics_tick(struct sink *sk, unsigned tracked, __u64 now_ns);

#endif
