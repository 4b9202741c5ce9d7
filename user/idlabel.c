// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Short container labels for the text sink's container column (see
 * idlabel.h). A label is a head and a tail of the ID with an ellipsis
 * between them, as wide as the column (at least `min` characters), chosen
 * so that no other ID shown so far starts with that head and ends with that
 * tail. Names made of words keep their last words (they are what tells
 * hooksnoop-demo-runc-4242 from hooksnoop-demo-crun-4242: hooksn…runc-4242
 * and hooksn…crun-4242); IDs without words (the 64-hex IDs of engines,
 * which users paste as prefixes) are prefixes; the column widens by a few
 * characters for either. Else the narrowest unique label with the longest
 * head; the whole ID is the last resort.
 * A new ID that makes an earlier label ambiguous gets that label replaced,
 * so every label printed from then on names one ID. Pure: no I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "idlabel.h"

struct idl_entry {
	char *id;
	size_t len;
	struct idl_label lab;
	unsigned long long used; /* last lookup, for eviction */
};

struct idlabels {
	size_t min, cap;
	struct idl_entry *v;
	size_t n;
	unsigned long long clock;
};

struct idlabels *idlabels_new(size_t min, size_t cap)
{
	struct idlabels *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->min = min < 2 ? 2 : min;
	l->cap = cap ? cap : 1;
	return l;
}

void idlabels_free(struct idlabels *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].id);
	free(l->v);
	free(l);
}

/* Does ID o (other than the one labelled) fit the label head/tail of id? */
static bool fits(const char *id, const struct idl_label *lab, const struct idl_entry *o)
{
	if (lab->whole || o->len < lab->head + lab->tail)
		return false;
	return !memcmp(o->id, id, lab->head) &&
	       !memcmp(o->id + o->len - lab->tail, id + strlen(id) - lab->tail, lab->tail);
}

static bool unique(const struct idlabels *l, const char *id, const struct idl_label *lab,
		   size_t self)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (i != self && fits(id, lab, &l->v[i]))
			return false;
	return true;
}

/* A UTF-8 continuation byte: a cut there would split a character. */
static bool mid_char(char ch)
{
	return ((unsigned char)ch & 0xc0) == 0x80;
}

static bool separator(char ch)
{
	return ch == '-' || ch == '_' || ch == '.' || ch == ':';
}

/* A head shorter than this says too little: the column widens a little first. */
#define HEAD_MIN 4
#define WIDEN_MAX 8

/*
 * The label of entry `self` (id, len) among the others. First, at the
 * narrowest width that has one (up to WIDEN_MAX more than min): a unique
 * head…tail whose tail starts at a word (after - _ . :), the longest such
 * tail whose head keeps HEAD_MIN characters (the end of a name is what
 * tells it from its siblings, and a label that shows it need not change
 * when they appear), else a unique prefix alone. Else, at the narrowest
 * width that has one, the unique head…tail with the longest head. Else the
 * whole ID.
 */
static struct idl_label pick(const struct idlabels *l, const char *id, size_t len, size_t self)
{
	struct idl_label lab = { .whole = true, .head = len };
	size_t w, t;

	if (len <= l->min)
		return lab;
	for (w = l->min; w < len && w < l->min + WIDEN_MAX; w++) {
		for (t = w > HEAD_MIN + 1 ? w - 1 - HEAD_MIN : 0; t > 0; t--) {
			struct idl_label c = { .head = w - 1 - t, .tail = t };

			if (separator(id[len - t - 1]) && !mid_char(id[c.head]) &&
			    unique(l, id, &c, self))
				return c;
		}
		lab = (struct idl_label){ .head = w - 1 };
		if (!mid_char(id[lab.head]) && unique(l, id, &lab, self))
			return lab;
	}
	for (w = l->min; w < len; w++) {
		for (t = 0; t + 2 <= w; t++) {
			struct idl_label c = { .head = w - 1 - t, .tail = t };

			if (mid_char(id[c.head]) || (t && mid_char(id[len - t])))
				continue;
			if (unique(l, id, &c, self))
				return c;
		}
	}
	return (struct idl_label){ .whole = true, .head = len };
}

static size_t find(const struct idlabels *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, id))
			return i;
	return (size_t)-1;
}

struct idl_label idlabels_get(struct idlabels *l, const char *id)
{
	struct idl_label whole = { .whole = true, .head = strlen(id) };
	struct idl_entry *e;
	size_t i = find(l, id), k;

	if (i != (size_t)-1) {
		l->v[i].used = ++l->clock;
		return l->v[i].lab;
	}
	if (whole.head <= l->min)
		return whole; /* shown whole: no entry needed, it can clash with no label */
	if (l->n == l->cap) {
		/* forget the least recently shown: its label may then be reused */
		size_t old = 0;

		for (k = 1; k < l->n; k++)
			if (l->v[k].used < l->v[old].used)
				old = k;
		free(l->v[old].id);
		l->v[old] = l->v[--l->n];
	} else {
		struct idl_entry *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

		if (!nv)
			return whole;
		l->v = nv;
	}
	e = &l->v[l->n];
	e->id = strdup(id);
	if (!e->id)
		return whole;
	e->len = whole.head;
	e->used = ++l->clock;
	i = l->n++;
	e->lab = pick(l, e->id, e->len, i);
	/* labels the newcomer made ambiguous are chosen again */
	for (k = 0; k < l->n; k++)
		if (k != i && fits(l->v[k].id, &l->v[k].lab, e))
			l->v[k].lab = pick(l, l->v[k].id, l->v[k].len, k);
	return l->v[i].lab;
}
