// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Lint unit tests: every case of the corpus in tests/lint (actual findings
 * against INPUT.expected), plus the contract of individual messages (what they
 * claim each runtime does, escaping and bounding of hostile text).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "escape.h"
#include "lint.h"
#include "oci.h"

#define CORPUS "tests/lint"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct sbuf sb;
	char tmp[4096];
	size_t n;

	if (!f)
		return NULL;
	sbuf_init(&sb);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		sbuf_add(&sb, tmp, n);
	fclose(f);
	char *r = strdup(sbuf_str(&sb));

	sbuf_free(&sb);
	return r;
}

static void test_case(void **state)
{
	const char *input = *state;
	struct lint_result res = { 0 };
	struct sbuf got;
	char exp_path[4096];
	char *expected;

	snprintf(exp_path, sizeof(exp_path), "%s.expected", input);
	expected = slurp(exp_path);
	assert_non_null(expected);
	assert_int_equal(lint_path(input, &res), 0);
	sbuf_init(&got);
	for (size_t i = 0; i < res.n; i++)
		sbuf_addf(&got, "%u:%u %s %s\n", res.v[i].line, res.v[i].col,
			  lint_severity_name(res.v[i].severity), res.v[i].code);
	if (strcmp(sbuf_str(&got), expected))
		print_error("%s:\n--- expected\n%s--- actual\n%s", input, expected, sbuf_str(&got));
	assert_string_equal(sbuf_str(&got), expected);
	sbuf_free(&got);
	free(expected);
	lint_result_free(&res);
}

/* Lint a buffer as config.json and return the message of the first finding with code. */
static const char *find(struct lint_result *r, const char *code)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].code, code))
			return r->v[i].message;
	return NULL;
}

static void lint_cfg(const char *json, struct lint_result *r)
{
	struct oci_config *cfg;

	memset(r, 0, sizeof(*r));
	assert_int_equal(oci_config_parse("t.json", json, strlen(json), &cfg), 0);
	assert_int_equal(lint_config(cfg, -1, -1, r), 0);
	oci_config_free(cfg);
}

/*
 * Host-side hook paths resolve in the runtime's root when one is given (a
 * containerised hooksnoop sees its own image at "/"): a hook present only in
 * that root is found there, and "/" is not consulted.
 */
static void test_host_paths_in_runtime_root(void **state)
{
	const char *json = "{\"hooks\":{\"prestart\":[{\"path\":\"/hs-only-in-root/hook\"}],"
			   "\"poststop\":[{\"path\":\"/bin/sh\"}]}}";
	char dir[] = "/tmp/hs-lintroot.XXXXXX", path[PATH_MAX];
	struct oci_config *cfg;
	struct lint_result r = { 0 };
	int fd, rootfd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hs-only-in-root", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/hs-only-in-root/hook", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
	assert_true(fd >= 0);
	close(fd);
	rootfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(rootfd >= 0);

	assert_int_equal(oci_config_parse("t.json", json, strlen(json), &cfg), 0);
	/* our own root: the first is missing, /bin/sh exists */
	assert_int_equal(lint_config(cfg, -1, -1, &r), 0);
	assert_non_null(find(&r, "HOOK_PATH_MISSING"));
	assert_non_null(strstr(find(&r, "HOOK_PATH_MISSING"), "/hs-only-in-root/hook"));
	lint_result_free(&r);
	/* the runtime's root: the first exists there, /bin/sh does not */
	memset(&r, 0, sizeof(r));
	assert_int_equal(lint_config(cfg, -1, rootfd, &r), 0);
	assert_non_null(find(&r, "HOOK_PATH_MISSING"));
	assert_non_null(strstr(find(&r, "HOOK_PATH_MISSING"), "/bin/sh"));
	assert_null(strstr(find(&r, "HOOK_PATH_MISSING"), "hs-only-in-root"));
	lint_result_free(&r);
	oci_config_free(cfg);

	close(rootfd);
	snprintf(path, sizeof(path), "%s/hs-only-in-root/hook", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hs-only-in-root", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_key_case_message(void **state)
{
	struct lint_result r;
	const char *m;

	lint_cfg("{\"hooks\":{\"Poststart\":[{\"path\":\"/bin/true\"}]}}", &r);
	m = find(&r, "HOOK_KEY_CASE");
	assert_non_null(m);
	assert_non_null(strstr(m, "\"poststart\""));
	assert_non_null(strstr(m, "runc runs"));
	assert_non_null(strstr(m, "crun and youki silently ignore"));
	assert_int_equal(r.v[0].line, 1);
	assert_int_equal(r.errors, 1);
	lint_result_free(&r);
}

static void test_unknown_stage_suggests(void **state)
{
	struct lint_result r;
	const char *m;

	lint_cfg("{\"hooks\":{\"poststarts\":[{\"path\":\"/bin/true\"}]}}", &r);
	m = find(&r, "HOOK_STAGE_UNKNOWN");
	assert_non_null(m);
	assert_non_null(strstr(m, "did you mean \"poststart\"?"));
	lint_result_free(&r);
}

static void test_hostile_text_escaped_and_bounded(void **state)
{
	struct lint_result r;
	struct sbuf in;
	const char *m;

	sbuf_init(&in);
	sbuf_puts(&in, "{\"hooks\":{\"\\u001b[2J\\u0007");
	for (int i = 0; i < 5000; i++)
		sbuf_puts(&in, "A");
	sbuf_puts(&in, "\\u00ff\\n\":[]}}");
	lint_cfg(sbuf_str(&in), &r);
	m = find(&r, "HOOK_STAGE_UNKNOWN");
	assert_non_null(m);
	assert_null(strchr(m, '\x1b'));
	assert_null(strchr(m, '\a'));
	assert_null(strchr(m, '\n'));
	assert_non_null(strstr(m, "\\x1b[2J"));
	assert_true(strlen(m) < 600);
	assert_non_null(strstr(m, "\xe2\x80\xa6"));	/* ellipsis */
	for (const unsigned char *p = (const unsigned char *)m; *p; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
	lint_result_free(&r);
	sbuf_free(&in);
}

static const struct lint_finding *finding(struct lint_result *r, const char *code)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].code, code))
			return &r->v[i];
	return NULL;
}

/* The stage a finding is about travels as data, not as text in the message. */
static void test_finding_stage(void **state)
{
	struct lint_result r;

	lint_cfg("{\"hooks\":{\"Poststart\":[{\"path\":\"/bin/true\"}],"
		 "\"createruntimes\":[],\"prestart\":[{\"path\":\"/bin/true\"}]}}", &r);
	assert_non_null(finding(&r, "HOOK_KEY_CASE"));
	assert_int_equal(finding(&r, "HOOK_KEY_CASE")->stage, OCI_POSTSTART);
	assert_int_equal(finding(&r, "HOOK_STAGE_UNKNOWN")->stage, OCI_CREATE_RUNTIME);
	assert_int_equal(finding(&r, "HOOK_STAGE_DEPRECATED")->stage, OCI_PRESTART);
	/* only poststart differs between runc and crun */
	assert_int_equal(finding(&r, "HOOKS_RUNTIME_DIFF")->stage, OCI_POSTSTART);
	lint_result_free(&r);

	lint_cfg("{\"hooks\":{\"poststop\":[{\"path\":\"relative\"}]}}", &r);
	assert_int_equal(finding(&r, "HOOK_PATH_RELATIVE")->stage, OCI_POSTSTOP);
	lint_result_free(&r);

	lint_cfg("{\"hooks\":{\"Poststart\":[],\"PostStop\":[{\"path\":\"/bin/true\"}],"
		 "\"Prestart\":[{\"path\":\"/bin/true\"}]}}", &r);
	assert_int_equal(finding(&r, "HOOKS_RUNTIME_DIFF")->stage, -1);	/* two stages */
	lint_result_free(&r);

	lint_cfg("{", &r);
	assert_int_equal(r.v[0].stage, -1);
	lint_result_free(&r);
}

/*
 * A runtime is said to refuse or skip only what its decoder decided: Go
 * ignores a null element; crun reads only the first duplicate and exact keys.
 */
static void test_decoder_verdicts(void **state)
{
	struct lint_result r;
	const char *m;

	lint_cfg("{\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"args\":[\"true\",null]}]}}",
		 &r);
	m = find(&r, "HOOK_ARGS_TYPE");
	assert_non_null(m);
	assert_null(strstr(m, "runc"));
	assert_non_null(strstr(m, "crun passes an empty string"));
	lint_result_free(&r);

	lint_cfg("{\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\"}],\"poststart\":5}}", &r);
	m = find(&r, "HOOK_STAGE_TYPE");
	assert_non_null(m);
	assert_non_null(strstr(m, "runc refuses the whole config"));
	assert_null(strstr(m, "crun"));
	lint_result_free(&r);

	lint_cfg("{\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":99999999999}]}}",
		 &r);
	assert_non_null(find(&r, "HOOK_TIMEOUT_INVALID"));
	lint_result_free(&r);
	lint_cfg("{\"hooks\":{\"Poststart\":[{\"path\":\"/bin/true\",\"timeout\":99999999999}]}}",
		 &r);
	assert_null(find(&r, "HOOK_TIMEOUT_INVALID"));	/* runc accepts it, crun never reads it */
	lint_result_free(&r);

	/* a null path is no path: said on the entry, by both runtimes */
	lint_cfg("{\"hooks\":{\"poststart\":[{\"path\":null}]}}", &r);
	assert_int_equal(finding(&r, "HOOK_PATH_REQUIRED")->col, 24);	/* the entry's "{" */
	m = find(&r, "HOOK_PATH_REQUIRED");
	assert_non_null(strstr(m, "crun refuses the config"));
	assert_non_null(strstr(m, "runc fails the hook"));
	lint_result_free(&r);
}

static void test_syntax_error_position(void **state)
{
	struct lint_result r;

	lint_cfg("{\n  \"hooks\": {\n    \"poststart\": [,]\n  }\n}\n", &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].code, "JSON_SYNTAX");
	assert_int_equal(r.v[0].line, 3);
	assert_true(r.v[0].col >= 18);
	lint_result_free(&r);
}

static void test_detect_kind(void **state)
{
	static const char hd[] = "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},"
				 "\"when\":{},\"stages\":[\"poststart\"]}";
	struct lint_result r = { 0 };

	assert_int_equal(lint_buf("x.json", hd, strlen(hd), NULL, &r), 0);
	assert_non_null(find(&r, "HOOKSD_WHEN_EMPTY"));
	lint_result_free(&r);
}

static void test_unreadable(void **state)
{
	struct lint_result r = { 0 };

	assert_int_equal(lint_path("/nonexistent/config.json", &r), -2);
	lint_result_free(&r);
}

static int add_dir(const char *dir, struct CMUnitTest **tests, size_t *n, bool dirs_only)
{
	struct dirent **ents;
	int k = scandir(dir, &ents, NULL, alphasort);

	if (k < 0)
		return -1;
	for (int i = 0; i < k; i++) {
		const char *nm = ents[i]->d_name;
		size_t l = strlen(nm);
		char path[4096];
		struct stat st;

		if (nm[0] == '.' || (l > 9 && !strcmp(nm + l - 9, ".expected")) ||
		    !strcmp(nm, "README.md")) {
			free(ents[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		free(ents[i]);
		if (stat(path, &st) || (dirs_only && !S_ISDIR(st.st_mode)))
			continue;
		*tests = realloc(*tests, (*n + 1) * sizeof(**tests));
		(*tests)[*n] = (struct CMUnitTest){
			.name = strdup(path),
			.test_func = test_case,
			.initial_state = strdup(path),
		};
		(*n)++;
	}
	free(ents);
	return 0;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_key_case_message),
		cmocka_unit_test(test_host_paths_in_runtime_root),
		cmocka_unit_test(test_unknown_stage_suggests),
		cmocka_unit_test(test_hostile_text_escaped_and_bounded),
		cmocka_unit_test(test_finding_stage),
		cmocka_unit_test(test_decoder_verdicts),
		cmocka_unit_test(test_syntax_error_position),
		cmocka_unit_test(test_detect_kind),
		cmocka_unit_test(test_unreadable),
	};
	struct CMUnitTest *tests = NULL;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		tests = realloc(tests, (n + 1) * sizeof(*tests));
		tests[n++] = fixed[i];
	}
	if (add_dir(CORPUS "/config", &tests, &n, false) ||
	    add_dir(CORPUS "/hooksd", &tests, &n, false) ||
	    add_dir(CORPUS "/cdi", &tests, &n, false) ||
	    add_dir(CORPUS "/bundles", &tests, &n, true)) {
		fprintf(stderr, "test_lint: cannot read the corpus under %s (run from the repo root)\n",
			CORPUS);
		return 1;
	}
	int rc = _cmocka_run_group_tests("lint", tests, n, NULL, NULL);

	for (size_t i = sizeof(fixed) / sizeof(fixed[0]); i < n; i++) {
		free((char *)tests[i].name);
		free(tests[i].initial_state);
	}
	free(tests);
	return rc;
}
