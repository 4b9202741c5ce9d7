// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * OCI model and JSON position index tests: each runtime dialect's reading of
 * tricky configs (the expectations are what runc 1.1.5 and crun 1.8.1 were
 * observed to run), podman's hooks.d "when" rule, and jloc positions,
 * duplicates, depth limit and memory bound (counted through ASan's allocator
 * hooks, which every unit test is built with).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "hooksd.h"
#include "jsonloc.h"
#include "oci.h"
#include "saferead.h"

/* Dialect d's hooks of a config.json, taken out of its parse. */
static void load(const char *json, enum oci_dialect d, struct oci_hooks *h)
{
	struct oci_config *cfg;

	assert_int_equal(oci_config_parse("t.json", json, strlen(json), &cfg), 0);
	assert_int_equal(cfg->syntax.err, 0);
	*h = cfg->hooks[d];
	memset(&cfg->hooks[d], 0, sizeof(cfg->hooks[d]));
	oci_config_free(cfg);
}

static void test_stage_names(void **state)
{
	assert_string_equal(oci_stage_name(OCI_CREATE_RUNTIME), "createRuntime");
	assert_string_equal(oci_stage_name(OCI_STAGE_MAX), "unknown");
	assert_int_equal(oci_stage_from_name("startContainer"), OCI_START_CONTAINER);
	assert_int_equal(oci_stage_from_name("Poststart"), -1);
}

static void test_miscased_key(void **state)
{
	static const char j[] = "{\"Hooks\":{\"Poststart\":[{\"Path\":\"/a\"}]}}";
	struct oci_hooks go, ex;

	load(j, OCI_DIALECT_GO, &go);
	load(j, OCI_DIALECT_EXACT, &ex);
	assert_int_equal(go.n[OCI_POSTSTART], 1);
	assert_string_equal(go.v[OCI_POSTSTART][0].path, "/a");
	assert_int_equal(ex.n[OCI_POSTSTART], 0);
	assert_null(go.refused);
	oci_hooks_free(&go);
	oci_hooks_free(&ex);
}

/* runc: last duplicate wins, decoded on top of the first (args and timeout survive). */
static void test_duplicate_merge(void **state)
{
	static const char j[] = "{\"hooks\":{\"poststart\":[{\"path\":\"/a\",\"args\":[\"h\",\"a\",\"x\"],"
				"\"timeout\":5}],\"poststart\":[{\"path\":\"/b\"}]}}";
	struct oci_hooks go, ex;

	load(j, OCI_DIALECT_GO, &go);
	load(j, OCI_DIALECT_EXACT, &ex);
	assert_int_equal(go.n[OCI_POSTSTART], 1);
	assert_string_equal(go.v[OCI_POSTSTART][0].path, "/b");
	assert_int_equal(go.v[OCI_POSTSTART][0].nargs, 3);
	assert_string_equal(go.v[OCI_POSTSTART][0].args[2], "x");
	assert_true(go.v[OCI_POSTSTART][0].timeout_set);
	assert_int_equal(go.v[OCI_POSTSTART][0].timeout, 5);
	assert_string_equal(ex.v[OCI_POSTSTART][0].path, "/a");
	oci_hooks_free(&go);
	oci_hooks_free(&ex);
}

static void test_null_and_hooks_merge(void **state)
{
	static const char j[] = "{\"hooks\":{\"prestart\":[{\"path\":\"/p\"}],\"poststart\":[{\"path\":\"/a\"}],"
				"\"poststart\":null},\"hooks\":{\"poststop\":[{\"path\":\"/s\"}]},"
				"\"hoo\xe2\x84\xaas\":{\"createRuntime\":[{\"path\":\"/k\"}]}}";
	struct oci_hooks go, ex;

	load(j, OCI_DIALECT_GO, &go);
	load(j, OCI_DIALECT_EXACT, &ex);
	assert_int_equal(go.n[OCI_POSTSTART], 0);	/* null reset it */
	assert_int_equal(go.n[OCI_PRESTART], 1);	/* hooks objects merge */
	assert_int_equal(go.n[OCI_POSTSTOP], 1);
	assert_int_equal(go.n[OCI_CREATE_RUNTIME], 1);	/* Kelvin sign folds to k */
	assert_int_equal(ex.n[OCI_POSTSTART], 1);	/* first wins */
	assert_int_equal(ex.n[OCI_POSTSTOP], 0);
	assert_int_equal(ex.n[OCI_CREATE_RUNTIME], 0);
	oci_hooks_free(&go);
	oci_hooks_free(&ex);
}

static void test_refusals(void **state)
{
	struct oci_hooks h;

	load("{\"hooks\":{\"poststart\":[{\"path\":\"/a\",\"args\":\"x\"}]}}", OCI_DIALECT_GO, &h);
	assert_non_null(h.refused);
	assert_non_null(strstr(h.refused, "cannot unmarshal string"));
	oci_hooks_free(&h);
	load("{\"hooks\":{\"poststart\":[{\"path\":\"/a\",\"args\":\"x\"}]}}", OCI_DIALECT_EXACT, &h);
	assert_null(h.refused);
	assert_int_equal(h.v[OCI_POSTSTART][0].nargs, 0);
	oci_hooks_free(&h);
	load("{\"hooks\":{\"poststart\":[{\"Path\":\"/a\"}]}}", OCI_DIALECT_EXACT, &h);
	assert_non_null(h.refused);
	oci_hooks_free(&h);
	load("{\"hooks\":{\"poststart\":[{\"path\":\"/a\",\"args\":[\"a\",1]}]}}", OCI_DIALECT_EXACT, &h);
	assert_int_equal(h.v[OCI_POSTSTART][0].nargs, 2);
	assert_string_equal(h.v[OCI_POSTSTART][0].args[1], "");
	oci_hooks_free(&h);
}

static void test_rootfs_args_annotations(void **state)
{
	static const char j[] = "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"/bin/sh\",\"-c\"]},"
				"\"annotations\":{\"io.x\":\"1\",\"io.x\":\"2\"}}";
	struct oci_hooks go, ex;

	load(j, OCI_DIALECT_GO, &go);
	load(j, OCI_DIALECT_EXACT, &ex);
	assert_string_equal(go.rootfs, "rootfs");
	assert_int_equal(go.nproc_args, 2);
	assert_int_equal(go.nann, 1);
	assert_string_equal(go.ann_vals[0], "2");
	assert_string_equal(ex.ann_vals[0], "1");
	oci_hooks_free(&go);
	oci_hooks_free(&ex);
}

static void hd(const char *json, struct oci_hooksd_hook *h)
{
	assert_int_equal(oci_hooksd_load_buf("/d/x.json", json, strlen(json), NULL, h), 0);
}

static void test_hooksd_when(void **state)
{
	struct oci_hooks cfg = { 0 };
	char *args[] = { "/sbin/init" };
	char *ak[] = { "com.example.department" }, *av[] = { "fluid-dynamics" };
	struct oci_hooksd_hook h;

	cfg.proc_args = args;
	cfg.nproc_args = 1;
	cfg.ann_keys = ak;
	cfg.ann_vals = av;
	cfg.nann = 1;
	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"always\":true},"
	   "\"stages\":[\"poststart\"]}", &h);
	assert_null(h.load_error);
	assert_false(h.dropped);
	assert_true(h.stage[OCI_POSTSTART]);
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 1);
	oci_hooksd_hook_free(&h);

	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{},\"stages\":[\"poststart\"]}", &h);
	assert_int_equal(oci_hooksd_matches(&h, &cfg, true), 0);
	oci_hooksd_hook_free(&h);

	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"commands\":[\".*/init$\"],"
	   "\"annotations\":{\"^com\\\\.example\\\\.department$\":\".*fluid-dynamics$\"}},"
	   "\"stages\":[\"prestart\"]}", &h);
	assert_null(h.load_error);
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 1);
	args[0] = "/bin/sh";
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 0);
	oci_hooksd_hook_free(&h);

	/* 0.1.0: any condition suffices; args = [hook] + arguments */
	hd("{\"hook\":\"/bin/true\",\"arguments\":[\"-x\"],\"hasbindmounts\":true,\"cmds\":[\"^nomatch$\"],"
	   "\"stages\":[\"poststart\"]}", &h);
	assert_true(h.legacy);
	assert_int_equal(h.hook.nargs, 2);
	assert_string_equal(h.hook.args[0], "/bin/true");
	assert_int_equal(oci_hooksd_matches(&h, &cfg, true), 1);
	oci_hooksd_hook_free(&h);

	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/nonexistent/x\"},\"when\":{\"always\":true},"
	   "\"stages\":[\"postStart\"]}", &h);
	assert_true(h.dropped);
	assert_non_null(h.load_error);
	assert_non_null(strstr(h.load_error, "unknown stage"));
	oci_hooksd_hook_free(&h);
}

/* "when" patterns are compiled once at load; matching uses them, with Go's flags. */
static void test_hooksd_regex_compiled(void **state)
{
	struct oci_hooks cfg = { 0 };
	char *args[] = { "/bin/sh" };
	char *ak[] = { "IO.Podman.annotations.label", "x" }, *av[] = { "Line1\nLine2", "y" };
	struct oci_hooksd_hook h;

	cfg.proc_args = args;
	cfg.nproc_args = 1;
	cfg.ann_keys = ak;
	cfg.ann_vals = av;
	cfg.nann = 2;
	/* (?i) covers the key's first group only; . crosses the newline only under (?s) */
	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"annotations\":"
	   "{\"^(?i:IO\\\\.PODMAN)\\\\.annotations\\\\.label$\":\"(?s)line1.line2\"}},\"stages\":[\"prestart\"]}",
	   &h);
	assert_null(h.load_error);
	assert_non_null(h.ann_key_rx);
	assert_non_null(h.ann_key_rx[0]);
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 0);	/* value is case-sensitive */
	av[0] = "line1\nline2";
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 1);
	ak[0] = "IO.PODMAN.ANNOTATIONS.LABEL";	/* (?i) does not reach past its group */
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 0);
	oci_hooksd_hook_free(&h);

	/* without (?s), . stops at the newline */
	ak[0] = "k";
	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"annotations\":"
	   "{\"^k$\":\"line1.line2\"}},\"stages\":[\"prestart\"]}", &h);
	assert_int_equal(oci_hooksd_matches(&h, &cfg, false), 0);
	oci_hooksd_hook_free(&h);

	/* a pattern Go refuses: podman refuses the file, and says why */
	hd("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"commands\":"
	   "[\"^(?=/bin)sh\"]},\"stages\":[\"prestart\"]}", &h);
	assert_non_null(h.load_error);
	assert_non_null(strstr(h.load_error, "invalid command regexp"));
	assert_non_null(strstr(h.load_error, "lookahead"));
	oci_hooksd_hook_free(&h);
}

/* One parse: both dialects' hooks and what the Go decoder folded, with positions. */
static void test_config_parse_once(void **state)
{
	static const char j[] = "{\"Hooks\":{\"Poststart\":[{\"PATH\":\"/a\"}],"
				"\"postStart\":[{\"path\":\"/b\"}]}}";
	struct oci_config *cfg;
	const struct oci_diag *d;
	const struct jloc_node *hooks, *k1, *k2;

	assert_int_equal(oci_config_parse("c.json", j, strlen(j), &cfg), 0);
	assert_int_equal(cfg->syntax.err, 0);
	assert_int_equal(oci_config_hooks(cfg, OCI_DIALECT_GO)->n[OCI_POSTSTART], 1);
	assert_string_equal(oci_config_hooks(cfg, OCI_DIALECT_GO)->v[OCI_POSTSTART][0].path, "/b");
	assert_int_equal(oci_config_hooks(cfg, OCI_DIALECT_EXACT)->n[OCI_POSTSTART], 0);

	hooks = jloc_at(&cfg->doc, cfg->doc.nodes[0].first);
	d = oci_diag_at(&cfg->diags, hooks->first >= 0 ? (int)(hooks - cfg->doc.nodes) : -1,
			OCI_DIAG_KEY_FOLDED);
	assert_non_null(d);
	assert_int_equal(d->schema, OCI_SCHEMA_SPEC);
	assert_string_equal(d->field, "hooks");

	k1 = jloc_at(&cfg->doc, hooks->first);
	k2 = jloc_at(&cfg->doc, k1->next);
	d = oci_diag_at(&cfg->diags, (int)(k1 - cfg->doc.nodes), OCI_DIAG_KEY_FOLDED);
	assert_non_null(d);
	assert_int_equal(d->kind, OCI_DIAG_KEY_FOLDED);
	assert_int_equal(d->schema, OCI_SCHEMA_HOOKS);
	assert_int_equal(d->stage, OCI_POSTSTART);
	assert_int_equal(d->winner, (int)(k2 - cfg->doc.nodes));	/* runc keeps the last */
	/* the folded "PATH" inside the first poststart entry */
	d = oci_diag_at(&cfg->diags, jloc_at(&cfg->doc, k1->first)->first, OCI_DIAG_KEY_FOLDED);
	assert_non_null(d);
	assert_int_equal(d->schema, OCI_SCHEMA_HOOK);
	assert_int_equal(d->stage, OCI_POSTSTART);
	assert_string_equal(d->field, "path");
	oci_config_free(cfg);

	/* not JSON: jansson's wording and position, no hooks */
	assert_int_equal(oci_config_parse("c.json", "{\n \"a\": [,]}", 12, &cfg), 0);
	assert_int_equal(cfg->syntax.err, -EINVAL);
	assert_true(cfg->syntax.strict);
	assert_int_equal(cfg->syntax.line, 2);
	assert_null(oci_config_hooks(cfg, OCI_DIALECT_GO));
	oci_config_free(cfg);
}

/*
 * The node at a path of member keys / element indices ("hooks", "poststart",
 * "0", ...); "#N" is an object's Nth member (duplicate keys).
 */
static int node_at(const struct jloc_doc *doc, const char *const *path, size_t n)
{
	int at = 0;

	for (size_t i = 0; i < n && at >= 0; i++) {
		const struct jloc_node *o = &doc->nodes[at];
		int want = o->type == JLOC_ARRAY ? atoi(path[i])
			   : path[i][0] == '#' ? atoi(path[i] + 1) : -1, k = 0;

		at = -1;
		JLOC_FOR_KIDS(doc, o, m) {
			if (want >= 0 ? k++ == want : jloc_key_is(m, path[i])) {
				at = (int)(m - doc->nodes);
				break;
			}
		}
	}
	assert_true(at >= 0);
	return at;
}

/* The diagnostic of kind from dialect at the node path names, or NULL. */
static const struct oci_diag *diag(const struct oci_config *cfg, enum oci_diag_kind kind,
				   enum oci_dialect dialect, const char *const *path, size_t n)
{
	int at = node_at(&cfg->doc, path, n);

	for (size_t i = 0; i < cfg->diags.n; i++)
		if (cfg->diags.v[i].node == at && cfg->diags.v[i].kind == kind &&
		    cfg->diags.v[i].dialect == dialect)
			return &cfg->diags.v[i];
	return NULL;
}

#define DIAG(cfg, kind, dialect, ...)                                                          \
	diag(cfg, kind, dialect, (const char *const[]){ __VA_ARGS__ },                           \
	     sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

/*
 * Each decoder says what it decided where it decided it: Go's unknown keys,
 * duplicates, type errors and hooks left without a path (after merging);
 * what crun refuses, skips or reads as "" - only on what crun reads.
 */
static void test_config_diags(void **state)
{
	static const char j[] =
		"{\"hooks\":{\"poststart\":[{\"path\":\"/a\",\"args\":[\"a\",null,1],"
		"\"timeout\":99999999999,\"bogus\":1,\"env\":\"x\"},null,{\"args\":[]}],"
		"\"poststart\":[{\"path\":5},{},{}],\"prestop\":[],\"poststop\":7,"
		"\"Prestart\":[{\"path\":null}]},\"hooks\":{}}";
	const struct oci_diag *d;
	struct oci_config *cfg;

	assert_int_equal(oci_config_parse("c.json", j, strlen(j), &cfg), 0);
	assert_non_null(DIAG(cfg, OCI_DIAG_KEY_UNKNOWN, OCI_DIALECT_GO, "hooks", "prestop"));
	d = DIAG(cfg, OCI_DIAG_KEY_UNKNOWN, OCI_DIALECT_GO, "hooks", "poststart", "0", "bogus");
	assert_non_null(d);
	assert_int_equal(d->stage, OCI_POSTSTART);
	/* the second "poststart" and the second "hooks" point at the first */
	assert_null(DIAG(cfg, OCI_DIAG_DUPLICATE, OCI_DIALECT_GO, "hooks"));
	d = DIAG(cfg, OCI_DIAG_DUPLICATE, OCI_DIALECT_GO, "#1");
	assert_non_null(d);
	assert_int_equal(d->first, node_at(&cfg->doc, (const char *const[]){ "hooks" }, 1));
	d = DIAG(cfg, OCI_DIAG_DUPLICATE, OCI_DIALECT_GO, "hooks", "#1");
	assert_non_null(d);
	assert_int_equal(d->first, node_at(&cfg->doc, (const char *const[]){ "hooks", "#0" }, 2));
	/* Go: null elements are no-ops, 1 is a type error; crun reads both as "" */
	assert_null(DIAG(cfg, OCI_DIAG_TYPE, OCI_DIALECT_GO, "hooks", "poststart", "0", "args", "1"));
	d = DIAG(cfg, OCI_DIAG_TYPE, OCI_DIALECT_GO, "hooks", "poststart", "0", "args", "2");
	assert_non_null(d);
	assert_string_equal(d->want, "string");
	assert_non_null(DIAG(cfg, OCI_DIAG_EMPTY_STRING, OCI_DIALECT_EXACT, "hooks", "poststart", "0",
			     "args", "1"));
	assert_non_null(DIAG(cfg, OCI_DIAG_IGNORED, OCI_DIALECT_EXACT, "hooks", "poststart", "0",
			     "env"));
	d = DIAG(cfg, OCI_DIAG_REFUSED, OCI_DIALECT_EXACT, "hooks", "poststart", "0", "timeout");
	assert_non_null(d);
	assert_string_equal(d->field, "timeout");
	assert_null(DIAG(cfg, OCI_DIAG_TYPE, OCI_DIALECT_GO, "hooks", "poststart", "0", "timeout"));
	/* crun refuses the null entry; runc merges the second array onto the first */
	assert_non_null(DIAG(cfg, OCI_DIAG_REFUSED, OCI_DIALECT_EXACT, "hooks", "poststart", "1"));
	assert_non_null(DIAG(cfg, OCI_DIAG_TYPE, OCI_DIALECT_GO, "hooks", "#1", "0", "path"));
	assert_null(DIAG(cfg, OCI_DIAG_REFUSED, OCI_DIALECT_EXACT, "hooks", "#1", "0", "path"));
	/*
	 * slot 1 (null, then {}) and slot 2 ({"args":[]}, then {}) end without a
	 * path: said on the last object merged into each
	 */
	assert_null(DIAG(cfg, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "hooks", "poststart", "1"));
	assert_null(DIAG(cfg, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "hooks", "poststart", "2"));
	assert_non_null(DIAG(cfg, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "hooks", "#1", "1"));
	assert_non_null(DIAG(cfg, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "hooks", "#1", "2"));
	assert_int_equal(oci_config_hooks(cfg, OCI_DIALECT_GO)->n[OCI_POSTSTART], 3);
	/* the Go type error on the merged path: no "no path" for slot 0 */
	assert_null(DIAG(cfg, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "hooks", "#1", "0"));
	/* a wrong-typed stage: Go's error; crun never reads a stage it has no key for */
	assert_non_null(DIAG(cfg, OCI_DIAG_TYPE, OCI_DIALECT_GO, "hooks", "poststop"));
	assert_non_null(DIAG(cfg, OCI_DIAG_IGNORED, OCI_DIALECT_EXACT, "hooks", "poststop"));
	/* a folded stage: crun ignores it, runc runs a hook with a null path (no path) */
	d = DIAG(cfg, OCI_DIAG_REQUIRED, OCI_DIALECT_GO, "hooks", "Prestart", "0");
	assert_non_null(d);
	assert_int_equal(d->stage, OCI_PRESTART);
	assert_null(DIAG(cfg, OCI_DIAG_REFUSED, OCI_DIALECT_EXACT, "hooks", "Prestart", "0"));
	oci_config_free(cfg);
}

/* The kind of a document is read from its keys as Go matches them. */
static void test_doc_kind(void **state)
{
	static const struct {
		const char *json;
		bool hooksd;
	} cases[] = {
		{ "{\"version\":\"1.0.0\",\"hook\":{}}", true },
		{ "{\"Stages\":[]}", true },
		{ "{\"hook\":\"/x\",\"Hooks\":{}}", false },	/* a config key wins */
		{ "{\"ociVersion\":\"1.0.0\"}", false },
		{ "[]", false },
		{ "{\"stages\":", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oci_syntax syn;
		struct jloc_doc doc;

		assert_int_equal(oci_json_parse(cases[i].json, strlen(cases[i].json), &doc, &syn), 0);
		assert_int_equal(oci_doc_is_hooksd(&doc), cases[i].hooksd);
		jloc_free(&doc);
		free(syn.text);
	}
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * hooks.d directories are resolved inside the naming process's root: an
 * absolute name stays inside it, a FIFO is skipped (never waited on), and a
 * later directory masks a file of the same name.
 */
static void test_hooksd_load_root(void **state)
{
	static const char hook[] = "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/%s\"},"
				   "\"when\":{\"always\":true},\"stages\":[\"poststop\"]}";
	char tmpl[] = "/tmp/test_oci.XXXXXX", p[256], text[256];
	const char *dirs[] = { "/a", "/b", "/missing" };
	struct sr_root root = SR_ROOT_INIT;
	struct oci_hooksd d;
	char *dir = mkdtemp(tmpl);

	assert_non_null(dir);
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/b", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(text, sizeof(text), hook, "true");
	snprintf(p, sizeof(p), "%s/a/10-x.json", dir);
	put(p, text);
	snprintf(p, sizeof(p), "%s/a/20-y.json", dir);
	put(p, text);
	snprintf(text, sizeof(text), hook, "false");
	snprintf(p, sizeof(p), "%s/b/10-x.json", dir);
	put(p, text);
	snprintf(p, sizeof(p), "%s/b/30-fifo.json", dir);
	assert_int_equal(mkfifo(p, 0644), 0);

	assert_int_equal(sr_root_of_path(&root, dir), 0);
	assert_int_equal(oci_hooksd_load_root(&root, dirs, 3, &d), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].name, "10-x.json");
	assert_string_equal(d.v[0].hook.path, "/bin/false");	/* /b masks /a */
	assert_string_equal(d.v[0].file, "/b/10-x.json");
	assert_string_equal(d.v[1].name, "20-y.json");
	oci_hooksd_free(&d);
	sr_root_close(&root);

	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

static void test_jloc_positions(void **state)
{
	static const char j[] = "{\n  \"a\": [1, \"x\"],\n  \"\\u00e9\": {\"a\": true, \"a\": null}\n}";
	struct jloc_doc doc;
	const struct jloc_node *e, *arr;

	assert_int_equal(jloc_parse(&doc, j, strlen(j)), 0);
	arr = jloc_at(&doc, jloc_member(&doc, 0, "a"));
	assert_non_null(arr);
	assert_int_equal(arr->kline, 2);
	assert_int_equal(arr->kcol, 3);
	assert_int_equal(arr->line, 2);
	assert_int_equal(arr->col, 8);
	assert_int_equal(arr->nkids, 2);
	e = jloc_at(&doc, jloc_member(&doc, 0, "\xc3\xa9"));
	assert_non_null(e);
	assert_int_equal(e->nkids, 2);	/* duplicates kept */
	assert_int_equal(jloc_at(&doc, e->first)->type, JLOC_TRUE);
	assert_int_equal(jloc_at(&doc, jloc_at(&doc, e->first)->next)->col, 30);
	jloc_free(&doc);
}

static void test_jloc_limits(void **state)
{
	struct jloc_doc doc;
	char *deep = malloc(2 * 600 + 1);

	memset(deep, '[', 600);
	memset(deep + 600, ']', 600);
	deep[1200] = 0;
	assert_int_equal(jloc_parse(&doc, deep, 1200), -E2BIG);
	jloc_free(&doc);
	assert_int_equal(jloc_parse(&doc, deep + 100, 1000), 0);	/* 500 deep is fine */
	jloc_free(&doc);
	free(deep);
	assert_int_equal(jloc_parse(&doc, "{\"a\":\"\\ud800\"}", 14), -EINVAL);
	jloc_free(&doc);
	assert_int_equal(jloc_parse(&doc, "{\"a\":1} x", 9), -EINVAL);
	assert_int_equal(doc.err_col, 9);
	jloc_free(&doc);
	assert_int_equal(jloc_parse(&doc, "[01]", 4), -EINVAL);
	jloc_free(&doc);
}

/* "[1,1,...]": n values in 2n + 1 bytes. */
static char *ones(size_t n, size_t *len)
{
	char *b = malloc(2 * n + 2);
	size_t i;

	b[0] = '[';
	for (i = 0; i < n; i++) {
		b[2 * i + 1] = '1';
		b[2 * i + 2] = i + 1 < n ? ',' : ']';
	}
	b[2 * n + 1] = 0;
	*len = 2 * n + 1;
	return b;
}

/*
 * Memory is bounded by the text's size: a document of one-byte values past
 * JLOC_FREE_VALUES is refused before its nodes are allocated; the same
 * count spread over enough bytes (a real config's density) is indexed.
 */
static void test_jloc_density(void **state)
{
	struct oci_syntax syn;
	struct jloc_doc doc;
	size_t len, n = JLOC_FREE_VALUES + 200000;
	char *b = ones(JLOC_FREE_VALUES - 1, &len), *sp;

	assert_int_equal(jloc_parse(&doc, b, len), 0); /* the array and its values */
	assert_int_equal(doc.n, JLOC_FREE_VALUES);
	jloc_free(&doc);
	free(b);
	b = ones(n, &len);
	assert_int_equal(jloc_parse(&doc, b, len), -EOVERFLOW);
	/* said where the nodes ran out: the value past the bound */
	assert_int_equal(doc.n, JLOC_FREE_VALUES + len / JLOC_VALUE_BYTES);
	assert_int_equal(doc.err_line, 1);
	assert_int_equal(doc.err_col, 2 * doc.n);
	assert_string_equal(doc.err, "more values than its size allows");
	jloc_free(&doc);
	/* the config path says so without handing it to jansson */
	assert_int_equal(oci_json_parse(b, len, &doc, &syn), 0);
	assert_int_equal(syn.err, -EOVERFLOW);
	free(syn.text);
	jloc_free(&doc);
	free(b);
	/* the same values, one per JLOC_VALUE_BYTES bytes: indexed */
	sp = malloc(n * JLOC_VALUE_BYTES + 2);
	sp[0] = '[';
	for (len = 1; len < n * JLOC_VALUE_BYTES; len += JLOC_VALUE_BYTES) {
		memset(sp + len, ' ', JLOC_VALUE_BYTES - 2);
		sp[len + JLOC_VALUE_BYTES - 2] = '1';
		sp[len + JLOC_VALUE_BYTES - 1] = ',';
	}
	sp[len - 1] = ']';
	assert_int_equal(jloc_parse(&doc, sp, len), 0);
	assert_int_equal(doc.n, n + 1);
	jloc_free(&doc);
	free(sp);
}

/* Seconds of CLOCK_MONOTONIC. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * "{...\"annotations\":{"k0":"a0",...}}" with n members over n / 2 keys, each
 * key twice (values a<i>, then b<i>), and pre/post around the object.
 */
static char *many_annotations(size_t n, const char *pre, const char *post)
{
	size_t cap = n * 32 + strlen(pre) + strlen(post) + 64, len;
	char *j = malloc(cap);

	assert_non_null(j);
	len = (size_t)snprintf(j, cap, "%s{", pre);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(j + len, cap - len, "%s\"k%zu\":\"%c%zu\"", i ? "," : "",
					i % (n / 2), i < n / 2 ? 'a' : 'b', i % (n / 2));
	snprintf(j + len, cap - len, "}%s", post);
	return j;
}

/*
 * Annotations are a map decoded member by member: a hostile file of 100,000
 * took minutes with a linear search per member. The bound here only catches
 * that quadratic blow-up (linear decoding takes well under a second even
 * under ASan on a busy machine; the timing itself belongs to bench/), with
 * Go's rule (the last duplicate wins) for runc and podman and libocispec's
 * (the first wins) for crun.
 */
static void test_annotations_scale(void **state)
{
	char *j = many_annotations(100000, "{\"ociVersion\":\"1.0.2\",\"annotations\":", "}");
	struct oci_hooksd_hook h;
	struct oci_hooks go, ex;
	double t0 = now_s();

	load(j, OCI_DIALECT_GO, &go);
	load(j, OCI_DIALECT_EXACT, &ex);
	assert_true(now_s() - t0 < 10);
	assert_int_equal(go.nann, 50000);
	assert_int_equal(ex.nann, 50000);
	assert_string_equal(go.ann_keys[49999], "k49999");
	assert_string_equal(go.ann_vals[49999], "b49999");
	assert_string_equal(ex.ann_vals[49999], "a49999");
	oci_hooks_free(&go);
	oci_hooks_free(&ex);
	free(j);

	j = many_annotations(100000, "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},"
				     "\"when\":{\"annotations\":", "},\"stages\":[\"prestart\"]}");
	t0 = now_s();
	hd(j, &h);
	assert_true(now_s() - t0 < 10);
	assert_null(h.load_error);
	assert_int_equal(h.nann, 50000);
	assert_string_equal(h.ann_key_re[0], "k0");
	assert_string_equal(h.ann_val_re[0], "b0");
	oci_hooksd_hook_free(&h);
	free(j);
}

/*
 * ASan's allocator interface (sanitizer/allocator_interface.h, which gcc's
 * packages do not install): hooks on every malloc and free, and a block's size.
 */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

/*
 * Bytes the heap holds now and at most since the count began, from ASan's
 * hooks (installed once: installing adds to a list that cannot be emptied).
 */
static size_t heap_now, heap_peak;
static bool heap_counting;

static void on_malloc(const volatile void *p, size_t n)
{
	if (!heap_counting)
		return;
	heap_now += n;
	if (heap_now > heap_peak)
		heap_peak = heap_now;
}

static void on_free(const volatile void *p)
{
	if (heap_counting)
		heap_now -= __sanitizer_get_allocated_size(p);
}

/* Peak heap while jloc parses text, in multiples of its size (rounded up). */
static size_t jloc_peak_ratio_err(const char *text, size_t len, int want)
{
	struct jloc_doc doc;

	static bool hooked;

	if (!hooked)
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	hooked = true;
	heap_now = heap_peak = 0;
	heap_counting = true;
	assert_int_equal(jloc_parse(&doc, text, len), want);
	jloc_free(&doc);
	heap_counting = false;
	return (heap_peak + len - 1) / len;
}

static size_t jloc_peak_ratio(const char *text, size_t len)
{
	return jloc_peak_ratio_err(text, len, 0);
}

/*
 * A config is hostile input: what parsing it costs must be a fixed multiple of
 * its size, whatever its shape. The worst shape is the most values per byte
 * ("1," is 2 bytes for one 56-byte node, plus the text copy): past
 * JLOC_FREE_VALUES, at most one value per JLOC_VALUE_BYTES is indexed, so
 * the worst document accepted is "1," as often as that allows and blanks
 * after. Measured peak / size: 9 at 4 MiB (1 MiB of "1," alone cost 29;
 * it is now refused where its values outrun its size); a document of
 * short strings, nearer real configs, 4.1.
 */
static void test_jloc_memory(void **state)
{
	size_t n = 4 << 20, len, k, i;
	char *t = malloc(n + 16);

	assert_non_null(t);
	k = JLOC_FREE_VALUES + n / JLOC_VALUE_BYTES - 1; /* values in the array */
	len = 0;
	t[len++] = '[';
	for (i = 0; i + 1 < k; i++) {
		t[len++] = '1';
		t[len++] = ',';
	}
	t[len++] = '1';
	memset(t + len, ' ', n - 1 - len);
	len = n - 1;
	t[len++] = ']';
	assert_true(jloc_peak_ratio(t, len) <= 9);
	/* one more value (still valid JSON) and it is refused, no dearer */
	t[len - 3] = ',';
	t[len - 2] = '1';
	assert_true(jloc_peak_ratio_err(t, len, -EOVERFLOW) <= 9);

	len = 0;
	t[len++] = '[';
	while (len < n - 20) {
		memcpy(t + len, "\"/usr/bin/hook-x\",", 18);
		len += 18;
	}
	memcpy(t + len, "1]", 2);
	len += 2;
	assert_true(jloc_peak_ratio(t, len) <= 5);
	free(t);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_names),
		cmocka_unit_test(test_miscased_key),
		cmocka_unit_test(test_duplicate_merge),
		cmocka_unit_test(test_null_and_hooks_merge),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_rootfs_args_annotations),
		cmocka_unit_test(test_hooksd_when),
		cmocka_unit_test(test_hooksd_regex_compiled),
		cmocka_unit_test(test_config_parse_once),
		cmocka_unit_test(test_config_diags),
		cmocka_unit_test(test_doc_kind),
		cmocka_unit_test(test_hooksd_load_root),
		cmocka_unit_test(test_jloc_positions),
		cmocka_unit_test(test_jloc_limits),
		cmocka_unit_test(test_jloc_density),
		cmocka_unit_test(test_jloc_memory),
		cmocka_unit_test(test_annotations_scale),
	};

	return cmocka_run_group_tests_name("oci", tests, NULL, NULL);
}
