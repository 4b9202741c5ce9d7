/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Position index for JSON documents. jansson validates a document and tells
 * where a syntax error is, but it keeps only the last of duplicate keys and
 * forgets where each value was. The runtimes disagree exactly there (crun keeps
 * the first duplicate, runc's Go decoder the last, merged into the first), so
 * lint needs every member in document order with its line and column. jloc
 * parses an already valid document into a flat node array (parent / first
 * child / next sibling indices, no recursion, depth capped at JLOC_MAX_DEPTH)
 * with decoded keys and strings. Lines and columns are 1-based; columns count
 * UTF-8 characters like jansson's.
 *
 * Memory is a small multiple of the text whatever its shape, because configs
 * are hostile input: the node array is sized once by a pre-scan (no growth
 * slack), nodes are compact, and every key and string is decoded in place in
 * one copy of the text (a decoded string never outgrows its quoted source),
 * so there are two allocations per document and none per node.
 */
#ifndef HS_JSONLOC_H
#define HS_JSONLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JLOC_MAX_DEPTH 512
/* positions and indices are 32-bit, child counts 28-bit */
#define JLOC_MAX_LEN (256u << 20)
/*
 * Values a document may hold: JLOC_FREE_VALUES, then one per
 * JLOC_VALUE_BYTES bytes of text. A node costs ~56 bytes, so a document
 * of one-byte values ("[1,1,1,...]") would cost ~28 times its size; past
 * this bound it is refused (-EOVERFLOW, where the values run out: a depth
 * or syntax error before that point is reported as such), and the index
 * stays within ~7 times the text. A real config averages 15-40
 * bytes a value, and 65,536 values is a megabyte of them.
 */
#define JLOC_FREE_VALUES 65536u
#define JLOC_VALUE_BYTES 8u

enum jloc_type {
	JLOC_NULL,
	JLOC_FALSE,
	JLOC_TRUE,
	JLOC_NUMBER,
	JLOC_STRING,
	JLOC_ARRAY,
	JLOC_OBJECT,
};

struct jloc_node {
	const char *key;	/* decoded key, NUL-terminated (may contain NUL: see klen) */
	const char *str;	/* decoded string, or the number's literal text */
	uint32_t klen, slen;
	unsigned line, col;	/* where the value starts */
	unsigned kline, kcol;	/* where its key starts (object members only) */
	int parent;		/* -1 for the root */
	int first;		/* first child (array element / object member), -1 if none */
	int next;		/* next sibling, -1 if none */
	unsigned nkids : 28;
	enum jloc_type type : 4;
};

struct jloc_doc {
	struct jloc_node *nodes;	/* nodes[0] is the root once parsed */
	size_t n, cap;
	char *text;			/* the decoded keys and strings live here */
	unsigned err_line, err_col;	/* position of the failure when parse fails */
	const char *err;		/* static description of the failure */
	/*
	 * A string holds \u0000 or bytes that are not UTF-8: valid for Go and
	 * yajl, refused by strict parsers (jansson). Lets a caller ask jansson
	 * for its verdict only when it can differ.
	 */
	bool lax;
	bool dense;	/* more values than JLOC_VALUE_BYTES allows: nodes stop at cap */
};

/*
 * Parse buf[0..len). The document does not keep buf. Returns 0, -EINVAL on a
 * syntax error, -E2BIG when nesting exceeds JLOC_MAX_DEPTH or len JLOC_MAX_LEN,
 * -EOVERFLOW when it holds more values than its size allows (see above),
 * -ENOMEM. On failure err/err_line/err_col say why and
 * where; the nodes parsed so far stay valid until jloc_free().
 */
int jloc_parse(struct jloc_doc *doc, const char *buf, size_t len);
void jloc_free(struct jloc_doc *doc);

static inline struct jloc_node *jloc_at(const struct jloc_doc *doc, int i)
{
	return i >= 0 && (size_t)i < doc->n ? &doc->nodes[i] : NULL;
}

/* Iterate over node's children (array elements / object members) in document order. */
#define JLOC_FOR_KIDS(doc, node, m)                                                            \
	for (const struct jloc_node *m = jloc_at(doc, (node)->first); m; m = jloc_at(doc, m->next))

/* First member of object obj whose key is exactly key (or -1). */
int jloc_member(const struct jloc_doc *doc, int obj, const char *key);
/* Key equality against a C string (keys may contain NUL bytes). */
bool jloc_key_is(const struct jloc_node *n, const char *key);
const char *jloc_type_name(enum jloc_type t);

#endif
