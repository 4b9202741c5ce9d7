// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON position index: a strict, iterative RFC 8259 parser that records the
 * line and column of every key and value and keeps every member of an object,
 * duplicates included, in document order. It exists only because jansson (which
 * remains the authority on whether a document is valid) drops duplicates and
 * positions; see jsonloc.h. Hostile input is bounded: nesting is capped at
 * JLOC_MAX_DEPTH with an explicit stack, and memory at one copy of the text
 * (where keys and strings are decoded, each at its own offset) plus one node
 * per value, counted before any is made and bounded by the text's size.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonloc.h"

struct jloc_lexer {
	const unsigned char *p, *end;
	const unsigned char *base;	/* buf: offsets into it are offsets into doc->text */
	unsigned line, col;
	int last[JLOC_MAX_DEPTH];	/* last child of each open container */
};

static void lex_advance(struct jloc_lexer *lx)
{
	unsigned char c = *lx->p++;

	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		/* count characters, not bytes, as jansson does */
		lx->col++;
	}
}

static void lex_skip_ws(struct jloc_lexer *lx)
{
	while (lx->p < lx->end &&
	       (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r'))
		lex_advance(lx);
}

static int fail(struct jloc_doc *doc, struct jloc_lexer *lx, const char *why, int err)
{
	doc->err = why;
	doc->err_line = lx->line;
	doc->err_col = lx->col;
	return err;
}

/*
 * An upper bound on the values in buf, so the node array is allocated once:
 * every value but the root follows a container's opening bracket or a comma,
 * and the scan skips strings exactly as the lexer does.
 */
static size_t count_values(const unsigned char *p, const unsigned char *end)
{
	size_t n = 1;

	for (; p < end; p++) {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
		} else if (*p == ',' || *p == '[' || *p == '{') {
			n++;
		}
	}
	return n;
}

static int node_new(struct jloc_doc *doc, struct jloc_lexer *lx, int depth, int parent,
		    enum jloc_type t, unsigned line, unsigned col)
{
	struct jloc_node *n;
	int idx;

	if (doc->n >= (size_t)INT32_MAX)
		return -ENOMEM;
	if (doc->n == doc->cap && doc->dense) {
		/* said where the value that does not fit starts */
		doc->err = "more values than its size allows";
		doc->err_line = line;
		doc->err_col = col;
		return -EOVERFLOW;
	}
	if (doc->n == doc->cap) {
		/* only when the pre-scan was wrong, which a valid document never makes it */
		size_t cap = doc->cap ? doc->cap * 2 : 64;
		struct jloc_node *nv = realloc(doc->nodes, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		doc->nodes = nv;
		doc->cap = cap;
	}
	idx = (int)doc->n++;
	n = &doc->nodes[idx];
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->parent = parent;
	n->first = n->next = -1;
	n->line = line;
	n->col = col;
	if (parent >= 0) {
		struct jloc_node *p = &doc->nodes[parent];

		if (p->first >= 0)
			doc->nodes[lx->last[depth - 1]].next = idx;
		else
			p->first = idx;
		lx->last[depth - 1] = idx;
		p->nkids++;
	}
	return idx;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_hex4(struct jloc_lexer *lx, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int h;

		if (lx->p >= lx->end || (h = hexval(*lx->p)) < 0)
			return -1;
		v = v << 4 | (unsigned)h;
		lex_advance(lx);
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Decode the string at lx->p (which points at the opening quote) into doc->text
 * at the same offset plus one: the decoded bytes never outgrow the quoted text,
 * so the NUL lands on the closing quote at the latest, and no other token's
 * bytes are written there.
 */
static int lex_string(struct jloc_doc *doc, struct jloc_lexer *lx, const char **out,
		      uint32_t *outlen)
{
	char *buf, *o;

	lex_advance(lx);
	buf = doc->text + (lx->p - lx->base);
	o = buf;
	for (;;) {
		unsigned char c;

		if (lx->p >= lx->end) {
			return fail(doc, lx, "unterminated string", -EINVAL);
		}
		c = *lx->p;
		if (c == '"') {
			lex_advance(lx);
			break;
		}
		if (c < 0x20) {
			return fail(doc, lx, "control character in string", -EINVAL);
		}
		if (c != '\\') {
			*o++ = (char)c;
			lex_advance(lx);
			continue;
		}
		lex_advance(lx);
		if (lx->p >= lx->end) {
			return fail(doc, lx, "unterminated string", -EINVAL);
		}
		c = *lx->p;
		if (c == 'u') {
			unsigned cp, lo;

			lex_advance(lx);
			if (read_hex4(lx, &cp))
				goto bad_escape;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				goto bad_escape;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (lx->end - lx->p < 2 || lx->p[0] != '\\' || lx->p[1] != 'u')
					goto bad_escape;
				lex_advance(lx);
				lex_advance(lx);
				if (read_hex4(lx, &lo) || lo < 0xdc00 || lo > 0xdfff)
					goto bad_escape;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			/* \uXXXX never takes more output bytes than its 6 input bytes */
			o += put_utf8(o, cp);
			doc->lax |= cp == 0;
			continue;
		}
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		default:
			goto bad_escape;
		}
		lex_advance(lx);
	}
	*o = '\0';
	*out = buf;
	*outlen = (uint32_t)(o - buf);
	for (const unsigned char *u = (const unsigned char *)buf, *ue = (const unsigned char *)o;
	     !doc->lax && u < ue;) {
		size_t l = *u < 0x80 ? 1 : utf8_seq_len(u, (size_t)(ue - u));

		doc->lax = !l;
		u += l ? l : 1;
	}
	return 0;
bad_escape:
	return fail(doc, lx, "invalid escape in string", -EINVAL);
}

static bool is_digit(const struct jloc_lexer *lx)
{
	return lx->p < lx->end && *lx->p >= '0' && *lx->p <= '9';
}

static int lex_number(struct jloc_doc *doc, struct jloc_lexer *lx, const char **out,
		      uint32_t *outlen)
{
	const unsigned char *start = lx->p;
	char *o;

	if (*lx->p == '-')
		lex_advance(lx);
	if (!is_digit(lx))
		return fail(doc, lx, "invalid number", -EINVAL);
	if (*lx->p == '0')
		lex_advance(lx);
	else
		while (is_digit(lx))
			lex_advance(lx);
	if (lx->p < lx->end && *lx->p == '.') {
		lex_advance(lx);
		if (!is_digit(lx))
			return fail(doc, lx, "invalid number", -EINVAL);
		while (is_digit(lx))
			lex_advance(lx);
	}
	if (lx->p < lx->end && (*lx->p == 'e' || *lx->p == 'E')) {
		lex_advance(lx);
		if (lx->p < lx->end && (*lx->p == '+' || *lx->p == '-'))
			lex_advance(lx);
		if (!is_digit(lx))
			return fail(doc, lx, "invalid number", -EINVAL);
		while (is_digit(lx))
			lex_advance(lx);
	}
	/* the byte after a number is a delimiter (or the end): its place takes the NUL */
	o = doc->text + (start - lx->base);
	*outlen = (uint32_t)(lx->p - start);
	memcpy(o, start, *outlen);
	o[*outlen] = '\0';
	*out = o;
	return 0;
}

static int lex_word(struct jloc_doc *doc, struct jloc_lexer *lx, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(lx->end - lx->p) < n || memcmp(lx->p, w, n))
		return fail(doc, lx, "invalid literal", -EINVAL);
	while (n--)
		lex_advance(lx);
	return 0;
}

/*
 * Parse one scalar or open one container as a child of parent. Returns the new
 * node index or -errno.
 */
static int parse_value(struct jloc_doc *doc, struct jloc_lexer *lx, int depth, int parent,
		       const char *key, uint32_t klen, unsigned kline, unsigned kcol)
{
	unsigned line = lx->line, col = lx->col;
	const char *s = NULL;
	uint32_t slen = 0;
	enum jloc_type t;
	int err = 0, idx;

	if (lx->p >= lx->end) {
		return fail(doc, lx, "unexpected end of input", -EINVAL);
	}
	switch (*lx->p) {
	case '{': t = JLOC_OBJECT; lex_advance(lx); break;
	case '[': t = JLOC_ARRAY; lex_advance(lx); break;
	case '"': t = JLOC_STRING; err = lex_string(doc, lx, &s, &slen); break;
	case 't': t = JLOC_TRUE; err = lex_word(doc, lx, "true"); break;
	case 'f': t = JLOC_FALSE; err = lex_word(doc, lx, "false"); break;
	case 'n': t = JLOC_NULL; err = lex_word(doc, lx, "null"); break;
	default:
		if (*lx->p == '-' || (*lx->p >= '0' && *lx->p <= '9')) {
			t = JLOC_NUMBER;
			err = lex_number(doc, lx, &s, &slen);
		} else {
			return fail(doc, lx, "unexpected character", -EINVAL);
		}
	}
	if (err) {
		return err;
	}
	idx = node_new(doc, lx, depth, parent, t, line, col);
	if (idx < 0)
		return idx;
	doc->nodes[idx].key = key;
	doc->nodes[idx].klen = klen;
	doc->nodes[idx].kline = kline;
	doc->nodes[idx].kcol = kcol;
	doc->nodes[idx].str = s;
	doc->nodes[idx].slen = slen;
	return idx;
}

int jloc_parse(struct jloc_doc *doc, const char *buf, size_t len)
{
	struct jloc_lexer lx = {
		.p = (const unsigned char *)buf,
		.end = (const unsigned char *)buf + len,
		.base = (const unsigned char *)buf,
		.line = 1,
		.col = 1,
	};
	int stack[JLOC_MAX_DEPTH];
	int depth = 0, idx, err;

	memset(doc, 0, sizeof(*doc));
	if (len > JLOC_MAX_LEN)
		return fail(doc, &lx, "document too large", -E2BIG);
	doc->cap = count_values(lx.p, lx.end);
	if (doc->cap > JLOC_FREE_VALUES + len / JLOC_VALUE_BYTES) {
		/*
		 * Only as many nodes as its size allows: the parse stops where
		 * they run out (or earlier, at a syntax error or the depth cap).
		 */
		doc->cap = JLOC_FREE_VALUES + len / JLOC_VALUE_BYTES;
		doc->dense = true;
	}
	doc->nodes = malloc(doc->cap * sizeof(*doc->nodes));
	doc->text = malloc(len + 1);
	if (!doc->nodes || !doc->text)
		return -ENOMEM;
	lex_skip_ws(&lx);
	idx = parse_value(doc, &lx, 0, -1, NULL, 0, 0, 0);
	if (idx < 0)
		return idx;
	for (;;) {
		struct jloc_node *top;
		const char *key = NULL;
		uint32_t klen = 0;
		unsigned kline = 0, kcol = 0;

		/* idx is the value just parsed: descend into a fresh container */
		if (idx >= 0 && doc->nodes[idx].type >= JLOC_ARRAY) {
			if (depth == JLOC_MAX_DEPTH)
				return fail(doc, &lx, "nesting too deep", -E2BIG);
			stack[depth++] = idx;
			lex_skip_ws(&lx);
			if (lx.p < lx.end &&
			    *lx.p == (doc->nodes[idx].type == JLOC_OBJECT ? '}' : ']')) {
				lex_advance(&lx);
				depth--;
			} else {
				goto member;
			}
		}
		/* after a value: a separator, a close, or the end of the document */
		for (;;) {
			lex_skip_ws(&lx);
			if (depth == 0) {
				if (lx.p != lx.end)
					return fail(doc, &lx, "garbage after the document", -EINVAL);
				return 0;
			}
			top = &doc->nodes[stack[depth - 1]];
			if (lx.p >= lx.end)
				return fail(doc, &lx, "unexpected end of input", -EINVAL);
			if (*lx.p == ',') {
				lex_advance(&lx);
				lex_skip_ws(&lx);
				break;
			}
			if (*lx.p != (top->type == JLOC_OBJECT ? '}' : ']'))
				return fail(doc, &lx, "expected ',' or a closing bracket", -EINVAL);
			lex_advance(&lx);
			depth--;
		}
member:
		top = &doc->nodes[stack[depth - 1]];
		if (top->type == JLOC_OBJECT) {
			if (lx.p >= lx.end || *lx.p != '"')
				return fail(doc, &lx, "expected a string key", -EINVAL);
			kline = lx.line;
			kcol = lx.col;
			err = lex_string(doc, &lx, &key, &klen);
			if (err)
				return err;
			lex_skip_ws(&lx);
			if (lx.p >= lx.end || *lx.p != ':') {
				return fail(doc, &lx, "expected ':'", -EINVAL);
			}
			lex_advance(&lx);
			lex_skip_ws(&lx);
		}
		idx = parse_value(doc, &lx, depth, stack[depth - 1], key, klen, kline, kcol);
		if (idx < 0)
			return idx;
	}
}

void jloc_free(struct jloc_doc *doc)
{
	free(doc->nodes);
	free(doc->text);
	memset(doc, 0, sizeof(*doc));
}

bool jloc_key_is(const struct jloc_node *n, const char *key)
{
	size_t l = strlen(key);

	return n->key && n->klen == l && !memcmp(n->key, key, l);
}

int jloc_member(const struct jloc_doc *doc, int obj, const char *key)
{
	const struct jloc_node *o = jloc_at(doc, obj);

	if (!o || o->type != JLOC_OBJECT)
		return -1;
	for (int i = o->first; i >= 0; i = doc->nodes[i].next)
		if (jloc_key_is(&doc->nodes[i], key))
			return i;
	return -1;
}

const char *jloc_type_name(enum jloc_type t)
{
	switch (t) {
	case JLOC_NULL: return "null";
	case JLOC_FALSE:
	case JLOC_TRUE: return "boolean";
	case JLOC_NUMBER: return "number";
	case JLOC_STRING: return "string";
	case JLOC_ARRAY: return "array";
	case JLOC_OBJECT: return "object";
	}
	return "?";
}
