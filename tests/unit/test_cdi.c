// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The CDI spec parser (cdi.c on yamlloc.c): YAML and JSON decoded alike,
 * with positions; go-yaml's scalar typing and sigs.k8s.io/yaml's string
 * conversion; each loader refusal with its code and position; qualified
 * device names; and the spec directories resolved as podman's cache does
 * (priorities, conflicts, refused files). Pure: no files but a temporary
 * directory for the registry test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdi.h"
#include "saferead.h"
#include "yamlloc.h"

static void parse(const char *text, struct cdi_spec *s)
{
	assert_int_equal(cdi_parse("t.yaml", text, strlen(text), s), 0);
}

/* the first diagnostic with this code, or NULL */
static const struct cdi_diag *diag(const struct cdi_spec *s, const char *code)
{
	for (size_t i = 0; i < s->ndiags; i++)
		if (!strcmp(s->diags[i].code, code))
			return &s->diags[i];
	return NULL;
}

static const char *yaml_spec =
	"cdiVersion: \"0.5.0\"\n"
	"kind: vendor.example/gpu\n"
	"containerEdits:\n"
	"  hooks:\n"
	"  - hookName: createRuntime\n"
	"    path: /bin/true\n"
	"    args: [true, spec]\n"
	"devices:\n"
	"- name: gpu0\n"
	"  containerEdits:\n"
	"    hooks:\n"
	"    - hookName: createContainer\n"
	"      path: /usr/bin/nvidia-ctk\n"
	"      args: [nvidia-ctk, hook, chmod]\n"
	"      env: [A=1]\n"
	"      timeout: 10\n";

static const char *json_spec =
	"{\"cdiVersion\": \"0.5.0\", \"kind\": \"vendor.example/gpu\",\n"
	" \"containerEdits\": {\"hooks\": [{\"hookName\": \"createRuntime\", \"path\": \"/bin/true\","
	" \"args\": [\"true\", \"spec\"]}]},\n"
	" \"devices\": [{\"name\": \"gpu0\", \"containerEdits\": {\"hooks\": [\n"
	"  {\"hookName\": \"createContainer\", \"path\": \"/usr/bin/nvidia-ctk\","
	" \"args\": [\"nvidia-ctk\", \"hook\", \"chmod\"], \"env\": [\"A=1\"], \"timeout\": 10}]}}]}\n";

static void check_decoded(const struct cdi_spec *s)
{
	const struct cdi_hook *h;

	assert_null(s->refused);
	assert_string_equal(s->version, "0.5.0");
	assert_string_equal(s->vendor, "vendor.example");
	assert_string_equal(s->class, "gpu");
	assert_int_equal(s->edits.nhooks, 1);
	assert_int_equal(s->edits.hooks[0].stage, OCI_CREATE_RUNTIME);
	assert_int_equal(s->edits.hooks[0].h.nargs, 2);
	/* a YAML boolean in a []string is its text, as sigs.k8s.io/yaml converts it */
	assert_string_equal(s->edits.hooks[0].h.args[0], "true");
	assert_int_equal(s->ndev, 1);
	assert_string_equal(s->dev[0].name, "gpu0");
	h = &s->dev[0].edits.hooks[0];
	assert_int_equal(h->stage, OCI_CREATE_CONTAINER);
	assert_string_equal(h->h.path, "/usr/bin/nvidia-ctk");
	assert_int_equal(h->h.nargs, 3);
	assert_string_equal(h->h.args[2], "chmod");
	assert_int_equal(h->h.nenv, 1);
	assert_true(h->h.timeout_set);
	assert_int_equal(h->h.timeout, 10);
}

static void test_yaml_and_json_alike(void **state)
{
	struct cdi_spec y, j;

	parse(yaml_spec, &y);
	check_decoded(&y);
	/* positions: the device hook's mapping and its path value */
	assert_int_equal(y.dev[0].edits.hooks[0].h.line, 12);
	assert_int_equal(y.dev[0].edits.hooks[0].h.col, 7);
	assert_int_equal(y.doc.nodes[y.dev[0].edits.hooks[0].path_node].line, 13);
	assert_int_equal(y.doc.nodes[y.dev[0].edits.hooks[0].path_node].col, 13);
	assert_int_equal(cdi_parse("t.json", json_spec, strlen(json_spec), &j), 0);
	check_decoded(&j);
	assert_int_equal(j.dev[0].edits.hooks[0].h.line, 4);
	cdi_spec_free(&y);
	cdi_spec_free(&j);
}

static void test_scalar_types(void **state)
{
	const char *t = "a: ~\nb: yes\nc: Off\nd: 0x1F\ne: 1.5e3\nf: .inf\ng: \"12\"\nh: 1.2.3\n"
			"i: ''\nj: 0b101\nk: -7\nl: null\n";
	static const enum jloc_type want[] = { JLOC_NULL,   JLOC_TRUE,   JLOC_FALSE, JLOC_NUMBER,
					       JLOC_NUMBER, JLOC_NUMBER, JLOC_STRING, JLOC_STRING,
					       JLOC_STRING, JLOC_NUMBER, JLOC_NUMBER, JLOC_NULL };
	struct jloc_doc doc;
	size_t i = 0;

	assert_int_equal(yloc_parse(&doc, t, strlen(t)), 0);
	assert_int_equal(doc.nodes[0].type, JLOC_OBJECT);
	assert_int_equal(doc.nodes[0].nkids, 12);
	JLOC_FOR_KIDS(&doc, &doc.nodes[0], m) {
		assert_int_equal(m->type, want[i]);
		assert_int_equal(m->kline, i + 1);
		assert_int_equal(m->kcol, 1);
		i++;
	}
	jloc_free(&doc);
}

static void test_parse_errors(void **state)
{
	struct jloc_doc doc;
	int depth = 600;
	char *deep = malloc((size_t)depth * 2 + 1);

	assert_int_equal(yloc_parse(&doc, "a: [\n", 5), -EINVAL);
	assert_non_null(doc.err);
	assert_int_equal(doc.err_line, 2);
	jloc_free(&doc);
	assert_int_equal(yloc_parse(&doc, "a: &x 1\nb: *x\n", 14), -ENOTSUP);
	jloc_free(&doc);
	assert_int_equal(yloc_parse(&doc, "", 0), -ENODATA);
	jloc_free(&doc);
	assert_int_equal(yloc_parse(&doc, "? [a]\n: b\n", 10), -EINVAL); /* complex key */
	jloc_free(&doc);
	for (int i = 0; i < depth; i++)
		deep[i] = '[';
	for (int i = 0; i < depth; i++)
		deep[depth + i] = ']';
	deep[2 * depth] = '\0';
	assert_int_equal(yloc_parse(&doc, deep, strlen(deep)), -E2BIG);
	jloc_free(&doc);
	free(deep);
}

static void test_refusals(void **state)
{
	static const struct {
		const char *text, *code;
		unsigned line;
	} cases[] = {
		{ "cdiVersion: \"0.6.0\"\nkind: a.b/cc\ndevices: [{name: d, containerEdits: {env: [A=1]}}]\n",
		  "CDI_VERSION", 1 },
		{ "cdiVersion: 0.5.0\nkind: abc\ndevices: [{name: d, containerEdits: {env: [A=1]}}]\n",
		  "CDI_KIND", 2 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\ndevices:\n- name: d\n  containerEdits:\n"
		  "    hooks: [{hookName: CreateContainer, path: /bin/true}]\n",
		  "CDI_HOOK_NAME", 6 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\ndevices:\n- name: d\n  containerEdits:\n"
		  "    hooks: [{hookName: prestart, path: \"\"}]\n",
		  "HOOK_PATH_REQUIRED", 6 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\ndevices:\n- name: d\n  containerEdits: {}\n",
		  "CDI_DEVICE_EDITS", 5 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\nextra: 1\ndevices: [{name: d, containerEdits: {env: [A=1]}}]\n",
		  "CDI_FIELD_UNKNOWN", 3 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\nkind: a.b/dd\ndevices: [{name: d, containerEdits: {env: [A=1]}}]\n",
		  "CDI_DUPLICATE_KEY", 3 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\ndevices: [{name: d, containerEdits: {env: [=1]}}]\n",
		  "CDI_ENV", 3 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\ndevices:\n- {name: d, containerEdits: {env: [A=1]}}\n"
		  "- {name: d, containerEdits: {env: [A=1]}}\n",
		  "CDI_DEVICE_NAME", 5 },
		{ "cdiVersion: 0.5.0\nkind: a.b/cc\ndevices:\n- name: d\n  containerEdits:\n"
		  "    hooks: [{hookName: prestart, path: /bin/true, timeout: 1.5}]\n",
		  "CDI_TYPE", 6 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cdi_spec s;
		const struct cdi_diag *d;

		parse(cases[i].text, &s);
		d = diag(&s, cases[i].code);
		if (!d || !s.refused)
			fail_msg("case %zu: no %s refusal", i, cases[i].code);
		assert_int_equal(d->sev, LINT_ERROR);
		assert_int_equal(d->line, cases[i].line);
		cdi_spec_free(&s);
	}
}

static void test_go_rules(void **state)
{
	struct cdi_spec s;

	/* keys fold as Go's encoding/json does; a number where a string goes is its text */
	parse("CDIVERSION: 0.3.0\nKind: a.b/cc\ndevices:\n- name: 7\n  containerEdits:\n"
	      "    Hooks: [{HookName: poststop, path: 123}]\n",
	      &s);
	assert_null(s.refused);
	assert_string_equal(s.version, "0.3.0");
	assert_string_equal(s.dev[0].name, "7");
	assert_int_equal(s.dev[0].edits.hooks[0].stage, OCI_POSTSTOP);
	assert_string_equal(s.dev[0].edits.hooks[0].h.path, "123");
	assert_non_null(diag(&s, "CDI_FIELD_CASE"));
	cdi_spec_free(&s);
}

static void test_qualified(void **state)
{
	static const struct {
		const char *in;
		bool ok;
	} cases[] = {
		{ "nvidia.com/gpu=0", true },	   { "vendor.example/gpu=all", true },
		{ "a.b/cc-d=x:y.z", true },	   { "/dev/null", false },
		{ "nvidia.com/gpu", false },	   { "nvidia.com/=0", false },
		{ "1vendor/gpu=0", false },	   { "vendor/gpu.x=0", false },
		{ "vendor/gpu=-0", false },	   { "vendor/gpu=0-", false },
		{ "/dev/sda:/dev/xvda:rwm", false }, { "vendor/x=0", false }, /* podman panics */
		{ "v/gpu=0", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = strdup(cases[i].in);
		const char *v, *c, *n;

		if (cdi_split_qualified(b, &v, &c, &n) != cases[i].ok)
			fail_msg("%s", cases[i].in);
		free(b);
	}
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define DEV(kind, name, arg)                                                                       \
	"cdiVersion: 0.5.0\nkind: " kind "\ndevices:\n- name: " name "\n  containerEdits:\n"       \
	"    hooks: [{hookName: prestart, path: /bin/true, args: [true, " arg "]}]\n"

static void test_registry(void **state)
{
	char base[] = "/tmp/hs-cdi-XXXXXX", d0[64], d1[64];
	const char *dirs[2] = { d0, d1 };
	const struct cdi_device *dev;
	const struct cdi_spec *s;
	struct cdi_registry reg;
	struct sr_root root = SR_ROOT_INIT;
	char cmd[128];

	assert_non_null(mkdtemp(base));
	snprintf(d0, sizeof(d0), "%s/etc", base);
	snprintf(d1, sizeof(d1), "%s/run", base);
	assert_int_equal(mkdir(d0, 0755), 0);
	assert_int_equal(mkdir(d1, 0755), 0);
	put(d0, "a.yaml", DEV("v.x/cc", "one", "etc"));
	put(d1, "a.yaml", DEV("v.x/cc", "one", "run"));	/* higher priority: wins */
	put(d0, "b.json", "{\"cdiVersion\":\"0.5.0\",\"kind\":\"v.x/dd\",\"devices\":[{\"name\":\"two\","
			  "\"containerEdits\":{\"env\":[\"A=1\"]}}]}");
	put(d0, "c1.yaml", DEV("v.x/ee", "three", "c1"));	/* the same priority twice: conflict */
	put(d0, "c2.yaml", DEV("v.x/ee", "three", "c2"));
	put(d0, "bad.yaml", DEV("v.x/ff", "four", "x") "bogus: 1\n"); /* refused */
	put(d0, "ignored.txt", DEV("v.x/gg", "five", "x"));
	assert_int_equal(sr_root_of_path(&root, "/"), 0);
	assert_int_equal(cdi_registry_load(&root, dirs, 2, &reg), 0);
	assert_int_equal(reg.n, 6);
	dev = cdi_resolve(&reg, "v.x/cc=one", &s);
	assert_non_null(dev);
	assert_string_equal(dev->edits.hooks[0].h.args[1], "run");
	assert_non_null(strstr(s->file, "/run/a.yaml"));
	assert_non_null(cdi_resolve(&reg, "v.x/dd=two", &s));
	assert_null(cdi_resolve(&reg, "v.x/ee=three", &s));
	assert_null(cdi_resolve(&reg, "v.x/ff=four", &s));
	assert_null(cdi_resolve(&reg, "v.x/gg=five", &s));
	assert_null(cdi_resolve(&reg, "/dev/null", &s));
	cdi_registry_free(&reg);
	sr_root_close(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_and_json_alike),
		cmocka_unit_test(test_scalar_types),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_go_rules),
		cmocka_unit_test(test_qualified),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
