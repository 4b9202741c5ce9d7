// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One config.json, parsed once: the text becomes a position-keeping jloc
 * document (jansson is asked only for its verdict on what jloc cannot judge
 * alone), and that one document is decoded in every runtime dialect, runc's
 * (oci_go.c) and crun's (oci_exact.c), into the hooks each will run and the
 * diagnostics of both, indexed by node for lint. hooks.d files are parsed
 * here too (oci_json_parse) before hooksd.c decodes them.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "oci_int.h"
#include "util.h"

void oci_config_free(struct oci_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	jloc_free(&cfg->doc);
	free(cfg->syntax.text);
	for (int d = 0; d < OCI_DIALECT_MAX; d++)
		oci_hooks_free(&cfg->hooks[d]);
	diags_free(&cfg->diags);
	free(cfg);
}

void oci_config_shed(struct oci_config *cfg)
{
	if (!cfg)
		return;
	jloc_free(&cfg->doc);
	diags_free(&cfg->diags);
}

int oci_json_parse(const char *buf, size_t len, struct jloc_doc *doc, struct oci_syntax *syn)
{
	json_error_t je;
	json_t *j;
	int err = jloc_parse(doc, buf, len);

	memset(syn, 0, sizeof(*syn));
	if (err == -ENOMEM)
		return err;
	if (!err && !doc->lax)
		return 0;
	if (err == -EOVERFLOW) {
		/* not handed to jansson either: its values cost more than ours */
		syn->text = strdup(doc->err);
		syn->err = err;
		syn->line = doc->err_line;
		syn->col = doc->err_col;
		return syn->text ? 0 : -ENOMEM;
	}
	/* only on this path is the text parsed twice */
	j = json_loadb(buf, len, 0, &je);
	if (j) {
		json_decref(j);
		if (!err)
			return 0;
		/* jansson accepted what jloc did not: report jloc's reason */
		syn->text = strdup(doc->err ? doc->err : "invalid JSON");
		syn->line = doc->err_line;
		syn->col = doc->err_col;
		syn->err = err;
	} else {
		syn->strict = true;
		syn->text = mem_strdup(je.text, strnlen(je.text, sizeof(je.text)));
		syn->line = je.line > 0 ? (unsigned)je.line : 0;
		syn->col = je.column > 0 ? (unsigned)je.column : je.line > 0 ? 1 : 0;
		syn->err = -EINVAL;
	}
	return syn->text ? 0 : -ENOMEM;
}

int oci_config_from_doc(const char *name, struct jloc_doc *doc, struct oci_syntax *syn,
			struct oci_config **out)
{
	struct oci_config *cfg = calloc(1, sizeof(*cfg));
	int err;

	*out = NULL;
	if (!cfg || !(cfg->name = strdup(name))) {
		free(cfg);
		jloc_free(doc);
		free(syn->text);
		return -ENOMEM;
	}
	cfg->doc = *doc;
	cfg->syntax = *syn;
	if (cfg->syntax.err) {
		*out = cfg;
		return 0;
	}
	err = from_doc_go(&cfg->doc, &cfg->hooks[OCI_DIALECT_GO], &cfg->diags);
	if (!err)
		err = from_doc_exact(&cfg->doc, &cfg->hooks[OCI_DIALECT_EXACT], &cfg->diags);
	if (!err)
		err = diags_index(&cfg->diags, cfg->doc.n);
	if (err) {
		oci_config_free(cfg);
		return err;
	}
	*out = cfg;
	return 0;
}

int oci_config_parse(const char *name, const char *buf, size_t len, struct oci_config **out)
{
	struct oci_syntax syn;
	struct jloc_doc doc;
	int err = oci_json_parse(buf, len, &doc, &syn);

	if (err) {
		*out = NULL;
		jloc_free(&doc);
		free(syn.text);
		return err;
	}
	return oci_config_from_doc(name, &doc, &syn, out);
}

const struct oci_hooks *oci_config_hooks(const struct oci_config *cfg, enum oci_dialect d)
{
	return cfg->syntax.err || (unsigned)d >= OCI_DIALECT_MAX ? NULL : &cfg->hooks[d];
}
