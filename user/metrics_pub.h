/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The metrics text as last rendered by the tracer thread, shared with the
 * threads that export it (the HTTP server, the --metrics-file writer). The
 * tracer never waits on an exporter: it renders a new snapshot on its own,
 * then swaps one pointer under a lock that every holder keeps for a few
 * instructions; an exporter takes a reference to the current snapshot and
 * serves or writes it without the lock, however slow its client or disk.
 */
#ifndef HS_METRICS_PUB_H
#define HS_METRICS_PUB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct snap {
	atomic_uint refs;
	size_t len;
	char text[];
};

struct metrics_pub {
	pthread_mutex_t mu;
	struct snap *cur; /* NULL until the first publish */
};

void metrics_pub_init(struct metrics_pub *p);
void metrics_pub_destroy(struct metrics_pub *p);
/* Copy text in as the current snapshot. 0 or -ENOMEM (the previous one stays). */
int metrics_pub_set(struct metrics_pub *p, const char *text, size_t len);
/* A reference to the current snapshot (NULL before the first); give it back with snap_put(). */
struct snap *metrics_pub_get(struct metrics_pub *p);
void snap_put(struct snap *s);

/*
 * The --metrics-file writer: a thread that rewrites the file from the
 * current snapshot every interval_ms, in full to `tmp` then renamed over
 * `path` (write_file_atomic(): node_exporter's textfile collector never
 * reads half a file, and `tmp` must not end in .prom). A failure is said once on stderr
 * (and its recovery once); tracing goes on.
 */
struct metrics_filew {
	struct metrics_pub *pub;
	const char *path, *tmp;
	unsigned interval_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, running;
	int last_err;
};

int metrics_filew_start(struct metrics_filew *w, struct metrics_pub *pub, const char *path,
			const char *tmp, unsigned interval_ms);
/* Stop the thread (it writes nothing more); the caller writes the final file. */
void metrics_filew_stop(struct metrics_filew *w);

#endif
