/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `hooksnoop plot`: the JSON Lines records a trace wrote with -j, read back
 * (plot.c) into rows of hooks per container, and drawn as a self-contained
 * SVG timeline (svg.c). The input is hostile: the reader bounds line length,
 * total size and how much it keeps, and skips what it cannot use.
 */
#ifndef HS_PLOT_H
#define HS_PLOT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <uthash.h>

#include "escape.h"
#include "record.h"

#define PLOT_MAX_LINE (1u << 20)    /* longer lines are malformed */
#define PLOT_MAX_INPUT (256u << 20) /* bytes read over all inputs */
#define PLOT_MAX_ROWS 2000	    /* containers drawn */
#define PLOT_MAX_HOOKS 20000	    /* hooks drawn, over all containers */
#define PLOT_MAX_TEXT 512	    /* bytes kept of any one string */

/* In enum hook_status's order: a hook_rec's status converts as is. */
enum plot_status {
	PLOT_OK,
	PLOT_FAILED,
	PLOT_KILLED,
	PLOT_TIMEOUT,
	PLOT_EXEC_FAILED,
	PLOT_UNFINISHED,
	PLOT_STATUS_MAX,
};

/* The record's status word; -1 when it is none of SPEC's. */
int plot_status_from_name(const char *s);
const char *plot_status_name(enum plot_status s);

struct plot_hook {
	char *stage;	 /* as recorded */
	long long index; /* -1: not matched (null) */
	char *cmd;	 /* argv joined by spaces, for the tooltip */
	__u64 start_ns, end_ns;
	bool ended; /* end_ns known */
	enum plot_status status;
};

struct plot_row {
	char *key; /* runtime, container and run: one row each */
	char *container, *runtime;
	long long run; /* --repeat run, -1 when none */
	struct plot_hook *hooks;
	size_t nhooks, cap;
	bool has_record; /* its `container` record was seen */
	char *verdict;	 /* from that record, NULL without it */
	bool proc;	 /* a container process started */
	bool proc_exited;
	__u64 proc_start_ns, proc_exit_ns;
	long long proc_exit_code;
	bool proc_has_code;
	char *proc_cmd;
	UT_hash_handle hh;
};

struct plot {
	struct plot_row **rows; /* in the order first seen */
	struct plot_row *by_key;
	size_t nrows, cap;
	size_t nhooks;
	unsigned long long lines, used, malformed, over_limit;
	unsigned long long bytes; /* read so far, against PLOT_MAX_INPUT */
	bool truncated;		  /* PLOT_MAX_INPUT reached */
};

void plot__init(struct plot *p);
void plot__free(struct plot *p);

/*
 * One JSON Lines record (n bytes, no newline needed). `hook` and `container`
 * records are kept; other types (lost, summary, exec...) are skipped; a line
 * that is not a JSON object with the fields a kept type needs counts as
 * malformed. 0 or -ENOMEM.
 */
int plot__line(struct plot *p, const char *line, size_t n);
/* Every line of a buffer or a stream (bounded as above). 0, -ENOMEM, or -errno reading. */
int plot__buf(struct plot *p, const char *buf, size_t n);
int plot__read(struct plot *p, FILE *f);
/* A container record from the model, as its -j records would read (sink_plot.c). */
int plot__add_ctr(struct plot *p, const struct ctr_rec *rec);

/* The SVG document (UTF-8, valid XML). 0 or -ENOMEM. Needs at least one row. */
int plot_svg(const struct plot *p, struct sbuf *out);

/*
 * Text for XML character data and attribute values: esc_text()'s policy
 * (control bytes, invalid UTF-8, bidi and invisible characters made visible)
 * then the five XML entities; never emits a character XML 1.0 forbids.
 */
void svg_esc(struct sbuf *sb, const char *s, size_t n);

/* `hooksnoop plot [-o FILE] RECORDS...`: the exit status. */
int plot_main(int argc, char **argv);

#endif
