/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A report sink that draws the containers it is handed as `hooksnoop plot`
 * would draw their -j records, written at the summary (the demo's picture).
 */
#ifndef HS_SINK_PLOT_H
#define HS_SINK_PLOT_H

#include "report.h"

/*
 * Opens FILE.tmp at once (an unwritable path fails before tracing, said on
 * stderr, NULL returned); FILE is put in place by rename at the summary, or
 * FILE.tmp removed when there is no summary or nothing to draw.
 */
struct sink *sink_plot_new(const char *path);

#endif
