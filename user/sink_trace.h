/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --trace-out FILE: a report sink that writes a Chrome trace-event JSON file
 * (ui.perfetto.dev, chrome://tracing) of every container it is handed. It
 * owns its file, not the trace's output stream.
 */
#ifndef HS_SINK_TRACE_H
#define HS_SINK_TRACE_H

#include "report.h"

/*
 * Opens FILE.tmp at once, so a path that cannot be written fails before
 * tracing starts (said on stderr, NULL returned). The events are kept in
 * memory and FILE is written whole at the summary: FILE.tmp, then rename, so
 * a reader never sees half a trace. Freed without a summary (the run
 * failed), it removes FILE.tmp and leaves FILE alone.
 */
struct sink *sink_trace_new(const char *path);

#endif
