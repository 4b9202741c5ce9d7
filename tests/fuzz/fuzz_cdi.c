// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for CDI spec files: the raw bytes through the YAML
 * position index (yamlloc.c), the CDI decoder and validator (cdi.c), lint's
 * CDI checks (lint_cdi.c) and the qualified-name parser. Invariants checked:
 * every node's parent, child and sibling links stay inside the document;
 * every finding has a code and a message; a refused spec says why.
 * Filesystem checks only stat paths; nothing is executed or written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdi.h"
#include "lint.h"
#include "yamlloc.h"

static void check_doc(const struct jloc_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++) {
		const struct jloc_node *n = &doc->nodes[i];

		if (n->parent >= (int)doc->n || n->first >= (int)doc->n || n->next >= (int)doc->n)
			abort();
		if ((n->type == JLOC_STRING || n->type == JLOC_NUMBER) && !n->str)
			abort();
		if (n->parent >= 0 && doc->nodes[n->parent].type == JLOC_OBJECT && !n->key)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct lint_result res = { 0 };
	struct cdi_spec s;
	struct jloc_doc doc;
	char *name;

	if (!yloc_parse(&doc, buf, size))
		check_doc(&doc);
	jloc_free(&doc);
	if (!cdi_parse("fuzz.yaml", buf, size, &s)) {
		if (!s.syntax)
			check_doc(&s.doc);
		for (size_t i = 0; i < s.ndiags; i++)
			if (!s.diags[i].code || !s.diags[i].msg)
				abort();
		for (size_t i = 0; i < s.ndiags; i++)
			if (s.diags[i].sev == LINT_ERROR && !s.refused)
				abort();
		lint_cdi(&s, &res);
	}
	cdi_spec_free(&s);
	for (size_t i = 0; i < res.n; i++)
		if (!res.v[i].message || !res.v[i].code)
			abort();
	lint_result_free(&res);
	name = strndup(buf, size > 256 ? 256 : size);
	if (name) {
		const char *v, *c, *n;

		(void)cdi_split_qualified(name, &v, &c, &n);
		free(name);
	}
	return 0;
}
