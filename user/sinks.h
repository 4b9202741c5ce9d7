/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The report sinks that write records to the output stream: text (columns
 * like execsnoop, a timeline block per container) and JSON Lines (SPEC's
 * records, built with the one JSON writer). Neither owns the stream.
 */
#ifndef HS_SINKS_H
#define HS_SINKS_H

#include "output.h"
#include "report.h"

struct sink *sink_text_new(struct output *o);
struct sink *sink_json_new(struct output *o);

#endif
