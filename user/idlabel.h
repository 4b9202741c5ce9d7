/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Container labels that stay unambiguous in a narrow column: an ID longer
 * than the column is shown as head…tail, chosen among the IDs shown so far
 * so that no two of them share a label (see idlabel.c). Bounded: at most
 * `cap` IDs are remembered, the least recently shown forgotten first.
 */
#ifndef HS_IDLABEL_H
#define HS_IDLABEL_H

#include <stdbool.h>
#include <stddef.h>

struct idlabels;

/* A label: the whole ID, or its first `head` bytes, an ellipsis, its last `tail` bytes. */
struct idl_label {
	bool whole;
	size_t head, tail;
};

/* min: the column's width in characters (IDs up to min are shown whole). NULL on ENOMEM. */
struct idlabels *idlabels_new(size_t min, size_t cap);
void idlabels_free(struct idlabels *l);

/*
 * The label of id now (id is remembered; labels of IDs it makes ambiguous
 * change). Out of memory: the whole ID.
 */
struct idl_label idlabels_get(struct idlabels *l, const char *id);

#endif
