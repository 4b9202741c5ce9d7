// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop plot` without a browser: the XML escaper (entities, escape.c's
 * text policy for control bytes, invalid UTF-8 and bidi characters, and the
 * two characters XML forbids that UTF-8 allows), the JSON Lines reader on
 * good, foreign and hostile lines and its bounds, and the SVG document's
 * content (rows, bars coloured by status, labels, nothing raw from input).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plot.h"

static char *esc(const char *s, size_t n)
{
	static char out[512];
	struct sbuf sb;

	sbuf_init(&sb);
	svg_esc(&sb, s, n);
	assert_false(sb.oom);
	snprintf(out, sizeof(out), "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	return out;
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

static void test_svg_esc(void **state)
{
	assert_string_equal(ESC("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
	assert_string_equal(ESC("</text><script>x</script>"),
			    "&lt;/text&gt;&lt;script&gt;x&lt;/script&gt;");
	/* control bytes, DEL, invalid UTF-8 and C1 are made visible */
	assert_string_equal(ESC("\x1b[31m\x7f\xff\xc2\x85"), "\\x1b[31m\\x7f\\xff\\xc2\\x85");
	assert_string_equal(ESC("a\nb\0c"), "a\\nb\\x00c");
	/* bidi override and zero-width space: inert */
	assert_string_equal(ESC("ab\xe2\x80\xae"
				"cd\xe2\x80\x8b"),
			    "ab\\u202ecd\\u200b");
	/* valid UTF-8 that XML 1.0 forbids */
	assert_string_equal(ESC("x\xef\xbf\xbey\xef\xbf\xbf"), "x\\ufffey\\uffff");
	/* ordinary text, non-ASCII and a lone backslash pass */
	assert_string_equal(ESC("caf\xc3\xa9 \\x41 \xe2\x9c\x93"),
			    "caf\xc3\xa9 \\x41 \xe2\x9c\x93");
}

static const char hook_line[] =
	"{\"type\":\"hook\",\"container\":\"c1\",\"runtime\":\"runc\",\"stage\":\"prestart\","
	"\"index\":0,\"argv\":[\"sh\",\"-c\",\"true\"],\"start_ns\":1000000,\"end_ns\":3000000,"
	"\"status\":\"ok\"}";

static int line(struct plot *p, const char *s)
{
	return plot__line(p, s, strlen(s));
}

static void test_reader(void **state)
{
	struct plot p;

	plot__init(&p);
	assert_int_equal(line(&p, hook_line), 0);
	/* same container, another hook, unfinished */
	assert_int_equal(
	    line(&p, "{\"type\":\"hook\",\"container\":\"c1\",\"runtime\":\"runc\","
		     "\"stage\":\"poststop\",\"index\":null,\"start_ns\":5,\"end_ns\":null,"
		     "\"status\":\"unfinished\"}"),
	    0);
	/* same id under another runtime is another row; the container record fills it */
	assert_int_equal(line(&p,
			      "{\"type\":\"container\",\"container\":\"c1\",\"runtime\":"
			      "\"crun\",\"verdict\":\"missing\",\"process\":{\"pid\":3,\"argv\":"
			      "[\"sleep\"],\"start_ns\":10,\"exit_ns\":20,\"exit_code\":0}}"),
			 0);
	/* records plot does not draw: skipped, not malformed */
	assert_int_equal(line(&p, "{\"type\":\"summary\",\"containers\":1}"), 0);
	assert_int_equal(line(&p, "   "), 0);
	/* malformed: not JSON, not an object, no type, bad fields, duplicate keys */
	line(&p, "hello");
	line(&p, "[1,2]");
	line(&p, "{\"container\":\"c1\"}");
	line(&p, "{\"type\":\"hook\",\"container\":\"c1\",\"runtime\":\"runc\",\"stage\":\"x\","
		 "\"start_ns\":-1,\"status\":\"ok\"}");
	line(&p, "{\"type\":\"hook\",\"container\":\"c1\",\"runtime\":\"runc\",\"stage\":\"x\","
		 "\"start_ns\":1,\"status\":\"exploded\"}");
	line(&p, "{\"type\":\"hook\",\"container\":7,\"runtime\":\"runc\",\"stage\":\"x\","
		 "\"start_ns\":1,\"status\":\"ok\"}");
	line(&p, "{\"type\":\"container\",\"type\":\"hook\"}");
	line(&p, "{\"type\":\"container\",\"container\":\"c\",\"runtime\":\"r\",\"process\":5}");
	assert_int_equal(p.malformed, 8);
	assert_int_equal(p.used, 3);
	assert_int_equal(p.nrows, 2);
	assert_int_equal(p.nhooks, 2);
	assert_string_equal(p.rows[0]->runtime, "runc");
	assert_int_equal(p.rows[0]->nhooks, 2);
	assert_string_equal(p.rows[0]->hooks[0].cmd, "sh -c true");
	assert_false(p.rows[0]->hooks[1].ended);
	assert_int_equal(p.rows[0]->hooks[1].index, -1);
	assert_true(p.rows[1]->proc);
	assert_string_equal(p.rows[1]->verdict, "missing");
	plot__free(&p);
}

static void test_reader_bounds(void **state)
{
	size_t big = PLOT_MAX_LINE + 100, n, i;
	char *buf = malloc(big + 2 * sizeof(hook_line) + 4096);
	char l[256];
	struct plot p;

	assert_non_null(buf);
	/* an overlong line is one malformed line; the lines around it still count */
	n = (size_t)sprintf(buf, "%s\n", hook_line);
	memset(buf + n, 'x', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\n%s", hook_line); /* last line without newline */
	plot__init(&p);
	assert_int_equal(plot__buf(&p, buf, n), 0);
	assert_int_equal(p.malformed, 1);
	assert_int_equal(p.used, 2);
	plot__free(&p);
	free(buf);

	/* rows are bounded: what is beyond is counted, not kept */
	plot__init(&p);
	for (i = 0; i < PLOT_MAX_ROWS + 5; i++) {
		snprintf(l, sizeof(l),
			 "{\"type\":\"container\",\"container\":\"c%zu\","
			 "\"runtime\":\"runc\"}",
			 i);
		assert_int_equal(line(&p, l), 0);
	}
	assert_int_equal(p.nrows, PLOT_MAX_ROWS);
	assert_int_equal(p.over_limit, 5);
	plot__free(&p);

	/* long strings are cut for display, on a character boundary */
	plot__init(&p);
	buf = malloc(4096);
	n = (size_t)sprintf(buf, "{\"type\":\"container\",\"runtime\":\"r\",\"container\":\"");
	for (i = 0; i < 600; i++)
		n += (size_t)sprintf(buf + n, "\xc3\xa9");
	n += (size_t)sprintf(buf + n, "\"}");
	assert_int_equal(plot__line(&p, buf, n), 0);
	assert_int_equal(strlen(p.rows[0]->container), PLOT_MAX_TEXT);
	plot__free(&p);
	free(buf);
}

static void test_svg(void **state)
{
	static const char in[] =
	    "{\"type\":\"hook\",\"container\":\"<evil>&\\u202e\\u001b\",\"runtime\":\"runc\","
	    "\"stage\":\"prestart\",\"index\":0,\"argv\":[\"</title><script>\"],"
	    "\"start_ns\":1000000,\"end_ns\":3000000,\"status\":\"ok\"}\n"
	    "{\"type\":\"hook\",\"container\":\"<evil>&\\u202e\\u001b\",\"runtime\":\"runc\","
	    "\"stage\":\"poststop\",\"index\":1,\"start_ns\":4000000,\"end_ns\":4500000,"
	    "\"status\":\"failed\"}\n"
	    "{\"type\":\"hook\",\"container\":\"c2\",\"runtime\":\"crun\",\"stage\":\"poststart\","
	    "\"index\":null,\"start_ns\":2000000,\"end_ns\":null,\"status\":\"unfinished\"}\n";
	struct plot p;
	struct sbuf sb;
	const char *s;

	plot__init(&p);
	assert_int_equal(plot__buf(&p, in, sizeof(in) - 1), 0);
	assert_int_equal(p.nrows, 2);
	sbuf_init(&sb);
	assert_int_equal(plot_svg(&p, &sb), 0);
	s = sbuf_str(&sb);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(s, "&lt;evil&gt;&amp;\\u202e\\x1b"));
	assert_non_null(strstr(s, "&lt;/title&gt;&lt;script&gt;"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "\xe2\x80\xae"));
	assert_null(strstr(s, "\x1b"));
	assert_non_null(strstr(s, ">prestart[0] 2.0ms</text>"));
	assert_non_null(strstr(s, ">poststop[1] 500us failed</text>"));
	assert_non_null(strstr(s, ">poststart[?] unfinished</text>"));
	assert_non_null(strstr(s, "<rect class=\"failed\""));
	assert_non_null(strstr(s, "<rect class=\"unfinished\""));
	assert_non_null(strstr(s, ">0 ms</text>")); /* the axis starts at the first instant */
	assert_non_null(strstr(s, "(crun)"));
	assert_string_equal(s + sb.len - 7, "</svg>\n");
	sbuf_free(&sb);
	plot__free(&p);
}

/* The demo's picture: the model's records go into the same rows -j records make. */
static void test_from_records(void **state)
{
	static const struct lint_result no_lint;
	static const char argv[] = "sh\0-c\0exit 3\0";
	struct hook_rec h[2] = {
		{ .stage = OCI_PRESTART, .index = 0, .argv = (char *)argv,
		  .argv_len = sizeof(argv) - 1, .start_ns = 100, .end_ns = 400, .ended = true,
		  .status = HOOK_FAILED },
		{ .stage = -1, .index = -1, .start_ns = 500, .status = HOOK_UNFINISHED },
	};
	struct ctr_rec r = {
		.id = "c1",
		.runtime = "crun",
		.state = "deleted",
		.lint = &no_lint,
		.hooks = h,
		.run = { .repeat = true, .index = 2 },
		.verdict = VERDICT_HOOK_FAILED,
		.process = { .started = true, .exited = true, .argv = "sleep\0" "1", .argv_len = 7,
			     .start_ns = 450, .exit_ns = 900 },
	};
	struct plot p;

	h[0].next = &h[1];
	plot__init(&p);
	assert_int_equal(plot__add_ctr(&p, &r), 0);
	assert_int_equal(plot__add_ctr(&p, &r), 0); /* the same record twice adds nothing */
	assert_int_equal(p.nrows, 1);
	assert_int_equal(p.nhooks, 2);
	assert_int_equal(p.rows[0]->run, 2);
	assert_string_equal(p.rows[0]->verdict, "hook_failed");
	assert_string_equal(p.rows[0]->proc_cmd, "sleep 1");
	assert_true(p.rows[0]->proc_has_code);
	assert_string_equal(p.rows[0]->hooks[0].cmd, "sh -c exit 3");
	assert_string_equal(p.rows[0]->hooks[0].stage, "prestart");
	assert_int_equal(p.rows[0]->hooks[0].status, PLOT_FAILED);
	assert_string_equal(p.rows[0]->hooks[1].stage, "unknown");
	assert_int_equal(p.rows[0]->hooks[1].status, PLOT_UNFINISHED);
	assert_string_equal(p.rows[0]->hooks[1].cmd, "");
	plot__free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_esc),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_bounds),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_from_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
