// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * YAML into jsonloc nodes (see yamlloc.h): libyaml's event parser, one pass,
 * an explicit stack (no recursion), scalar typing as go-yaml v2 resolves it.
 * Keys and strings are copied into one text buffer whose offsets become
 * pointers once it stops growing; node count and depth are capped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yamlloc.h"

struct yframe {
	int node;
	int last;	/* its last child, -1 none */
	bool mapping;
	bool want_key;	/* mapping: the next value event is a key */
};

struct yoff {
	size_t key, str;	/* offsets into the text buffer, SIZE_MAX: none */
};

struct ybuild {
	struct jloc_doc *doc;
	struct yoff *offs;
	char *text;
	size_t tlen, tcap;
	size_t max_nodes;
	struct yframe stack[JLOC_MAX_DEPTH + 1];
	int depth;
	/* a mapping's pending key */
	size_t key_off;
	uint32_t key_len;
	unsigned kline, kcol;
};

static int fail(struct jloc_doc *doc, const yaml_mark_t *m, const char *why, int err)
{
	doc->err = why;
	doc->err_line = m ? (unsigned)m->line + 1 : 0;
	doc->err_col = m ? (unsigned)m->column + 1 : 0;
	return err;
}

/* Copy n bytes (and a NUL) into the text buffer: their offset, or SIZE_MAX. */
static size_t text_put(struct ybuild *b, const char *s, size_t n)
{
	size_t off = b->tlen;

	if (b->tlen + n + 1 > b->tcap) {
		size_t cap = b->tcap ? b->tcap : 256;
		char *nt;

		while (cap < b->tlen + n + 1)
			cap *= 2;
		nt = realloc(b->text, cap);
		if (!nt)
			return SIZE_MAX;
		b->text = nt;
		b->tcap = cap;
	}
	if (n)
		memcpy(b->text + b->tlen, s, n);
	b->text[b->tlen + n] = '\0';
	b->tlen += n + 1;
	return off;
}

static bool one_of(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(s, *v))
			return true;
	return false;
}

static bool digits(const char *s, const char *set)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s != '_' && !strchr(set, *s))
			return false;
	return true;
}

/* go-yaml v2 resolve(): strconv.ParseInt(s, 0, 64) on s without '_' (range aside). */
static bool is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return digits(s + 2, "0123456789abcdefABCDEF");
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		return digits(s + 2, "01234567");
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return digits(s + 2, "01");
	return digits(s, "0123456789");
}

/* go-yaml v2 yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool is_float(const char *s)
{
	static const char *const special[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
					       "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
					       NULL };
	bool lead = false, frac = false;

	if (one_of(s, special))
		return true;
	if (*s == '-' || *s == '+')
		s++;
	while (*s >= '0' && *s <= '9') {
		s++;
		lead = true;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			frac = true;
		}
	}
	if (!lead && !frac)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

static enum jloc_type scalar_type(const yaml_event_t *ev)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const yes[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
					   "on", "On", "ON", NULL };
	static const char *const no[] = { "n", "N", "no", "No", "NO", "false", "False", "FALSE",
					  "off", "Off", "OFF", NULL };
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag && !strcmp(tag, YAML_STR_TAG)))
		return JLOC_STRING;
	if (strlen(s) != ev->data.scalar.length)
		return JLOC_STRING; /* a NUL inside: not any of the words below */
	if (one_of(s, nulls))
		return JLOC_NULL;
	if (one_of(s, yes))
		return JLOC_TRUE;
	if (one_of(s, no))
		return JLOC_FALSE;
	if (is_int(s) || is_float(s))
		return JLOC_NUMBER;
	return JLOC_STRING;
}

/* A node for a value event, linked under the frame on top of the stack. */
static int node_add(struct ybuild *b, const yaml_event_t *ev, enum jloc_type t)
{
	struct jloc_doc *doc = b->doc;
	struct yframe *top = b->depth ? &b->stack[b->depth - 1] : NULL;
	struct jloc_node *n;
	int idx;

	if (doc->n >= b->max_nodes)
		return fail(doc, &ev->start_mark, "too many YAML nodes", -E2BIG);
	if (doc->n == doc->cap) {
		size_t cap = doc->cap ? doc->cap * 2 : 64;
		struct jloc_node *nv = realloc(doc->nodes, cap * sizeof(*nv));
		struct yoff *ov = realloc(b->offs, cap * sizeof(*ov));

		if (nv)
			doc->nodes = nv;
		if (ov)
			b->offs = ov;
		if (!nv || !ov)
			return -ENOMEM;
		doc->cap = cap;
	}
	idx = (int)doc->n++;
	n = &doc->nodes[idx];
	memset(n, 0, sizeof(*n));
	b->offs[idx].key = b->offs[idx].str = SIZE_MAX;
	n->type = t;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	n->first = n->next = -1;
	n->parent = top ? top->node : -1;
	if (!top)
		return idx;
	if (top->mapping) {
		b->offs[idx].key = b->key_off;
		n->klen = b->key_len;
		n->kline = b->kline;
		n->kcol = b->kcol;
		top->want_key = true;
	}
	if (top->last >= 0)
		doc->nodes[top->last].next = idx;
	else
		doc->nodes[top->node].first = idx;
	top->last = idx;
	doc->nodes[top->node].nkids++;
	return idx;
}

static int on_scalar(struct ybuild *b, const yaml_event_t *ev)
{
	struct yframe *top = b->depth ? &b->stack[b->depth - 1] : NULL;
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length, off;
	int idx;

	if (len > UINT32_MAX)
		return fail(b->doc, &ev->start_mark, "scalar too long", -E2BIG);
	off = text_put(b, s, len);
	if (off == SIZE_MAX)
		return -ENOMEM;
	if (top && top->mapping && top->want_key) {
		b->key_off = off;
		b->key_len = (uint32_t)len;
		b->kline = (unsigned)ev->start_mark.line + 1;
		b->kcol = (unsigned)ev->start_mark.column + 1;
		top->want_key = false;
		return 0;
	}
	idx = node_add(b, ev, scalar_type(ev));
	if (idx < 0)
		return idx;
	b->offs[idx].str = off;
	b->doc->nodes[idx].slen = (uint32_t)len;
	return 0;
}

static int on_open(struct ybuild *b, const yaml_event_t *ev, bool mapping)
{
	struct yframe *top = b->depth ? &b->stack[b->depth - 1] : NULL;
	int idx;

	if (top && top->mapping && top->want_key)
		return fail(b->doc, &ev->start_mark, "a mapping key that is not a scalar", -EINVAL);
	if (b->depth >= JLOC_MAX_DEPTH)
		return fail(b->doc, &ev->start_mark, "nested too deep", -E2BIG);
	idx = node_add(b, ev, mapping ? JLOC_OBJECT : JLOC_ARRAY);
	if (idx < 0)
		return idx;
	b->stack[b->depth++] = (struct yframe){ .node = idx, .last = -1, .mapping = mapping,
						.want_key = mapping };
	return 0;
}

/* Offsets to pointers, once the text buffer no longer moves. */
static void fix_pointers(struct ybuild *b)
{
	struct jloc_doc *doc = b->doc;

	for (size_t i = 0; i < doc->n; i++) {
		struct jloc_node *n = &doc->nodes[i];

		n->key = b->offs[i].key != SIZE_MAX ? b->text + b->offs[i].key : NULL;
		n->str = b->offs[i].str != SIZE_MAX ? b->text + b->offs[i].str : NULL;
	}
	doc->text = b->text;
	b->text = NULL;
}

static int build(struct ybuild *b, yaml_parser_t *p)
{
	yaml_event_t ev;
	bool in_doc = false;
	int err = 0;

	for (;;) {
		if (!yaml_parser_parse(p, &ev)) {
			const char *why = p->problem ? p->problem : "invalid YAML";

			if (p->error == YAML_MEMORY_ERROR)
				return -ENOMEM;
			return fail(b->doc, &p->problem_mark, why, -EINVAL);
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			in_doc = true;
			break;
		case YAML_SCALAR_EVENT:
			err = on_scalar(b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			err = on_open(b, &ev, ev.type == YAML_MAPPING_START_EVENT);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (b->depth > 0)
				b->depth--;
			break;
		case YAML_ALIAS_EVENT:
			err = fail(b->doc, &ev.start_mark, "a YAML alias (not expanded)", -ENOTSUP);
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			/* the first document only, as go-yaml's Unmarshal */
			if (!in_doc || !b->doc->n)
				return fail(b->doc, NULL, "no document", -ENODATA);
			return 0;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (err)
			return err;
	}
}

int yloc_parse(struct jloc_doc *doc, const char *buf, size_t len)
{
	struct ybuild *b;
	yaml_parser_t p;
	int err;

	memset(doc, 0, sizeof(*doc));
	if (len > JLOC_MAX_LEN)
		return fail(doc, NULL, "document too large", -E2BIG);
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->doc = doc;
	/* every node is at least one byte of text, or the two of "- " */
	b->max_nodes = len + 64;
	if (!yaml_parser_initialize(&p)) {
		free(b);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	err = build(b, &p);
	yaml_parser_delete(&p);
	if (b->tlen || !err)
		fix_pointers(b);
	free(b->text);
	free(b->offs);
	free(b);
	return err;
}
