// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON writer (user/jsonw.c): exact bytes for commas and nesting, every
 * value type, hostile strings checked by decoding the output with jansson, and
 * misuse leaving the writer broken without writing anything.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonw.h"

struct fix {
	struct sbuf sb;
	struct jw w;
};

static int setup(void **state)
{
	static struct fix f;

	sbuf_init(&f.sb);
	jw_init(&f.w, &f.sb);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	sbuf_free(&f->sb);
	return 0;
}

/* The writer's output must be whole and exactly want. */
static void assert_out(struct fix *f, const char *want)
{
	assert_false(f->w.broken);
	assert_int_equal(f->w.depth, 0);
	assert_false(f->sb.oom);
	assert_string_equal(sbuf_str(&f->sb), want);
}

static json_t *decode(struct fix *f)
{
	json_error_t err;
	json_t *v;

	assert_false(f->w.broken);
	v = json_loads(sbuf_str(&f->sb), JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!v)
		fail_msg("not JSON (%s): %s", err.text, sbuf_str(&f->sb));
	return v;
}

static void test_nesting_and_commas(void **state)
{
	struct fix *f = *state;
	struct jw *w = &f->w;

	jw_obj_open(w);
	jw_kstr(w, "type", "hook");
	jw_key(w, "list");
	jw_arr_open(w);
	jw_obj_open(w);
	jw_ku64(w, "a", 1);
	jw_ku64(w, "b", 2);
	jw_obj_close(w);
	jw_obj_open(w);
	jw_obj_close(w);
	jw_arr_open(w);
	jw_arr_close(w);
	jw_u64(w, 3);
	jw_arr_close(w);
	jw_key(w, "inner");
	jw_obj_open(w);
	jw_key(w, "deep");
	jw_arr_open(w);
	jw_arr_open(w);
	jw_str(w, "x");
	jw_arr_close(w);
	jw_arr_close(w);
	jw_obj_close(w);
	jw_kbool(w, "last", true);
	jw_obj_close(w);
	assert_out(f, "{\"type\":\"hook\",\"list\":[{\"a\":1,\"b\":2},{},[],3],"
		      "\"inner\":{\"deep\":[[\"x\"]]},\"last\":true}");
}

static void test_empty_object(void **state)
{
	struct fix *f = *state;

	jw_obj_open(&f->w);
	jw_obj_close(&f->w);
	assert_out(f, "{}");
}

static void test_empty_array(void **state)
{
	struct fix *f = *state;

	jw_arr_open(&f->w);
	jw_arr_close(&f->w);
	assert_out(f, "[]");
}

static void test_every_value_type(void **state)
{
	struct fix *f = *state;
	struct jw *w = &f->w;

	jw_arr_open(w);
	jw_str(w, "s");
	jw_str(w, NULL);
	jw_strn(w, "abcdef", 3);
	jw_strn(w, NULL, 5);
	jw_strn(w, "", 0);
	jw_u64(w, 0);
	jw_u64(w, UINT64_MAX);
	jw_i64(w, -1);
	jw_i64(w, INT64_MIN);
	jw_i64(w, INT64_MAX);
	jw_double(w, 1.23456, 3);
	jw_double(w, 2.5, 0);
	jw_double(w, -0.125, 2);
	jw_double(w, NAN, 3);
	jw_double(w, INFINITY, 3);
	jw_double(w, -INFINITY, 3);
	jw_bool(w, true);
	jw_bool(w, false);
	jw_null(w);
	jw_raw(w, "{\"k\":[1,2]}");
	jw_arr_close(w);
	assert_out(f, "[\"s\",null,\"abc\",null,\"\",0,18446744073709551615,-1,"
		      "-9223372036854775808,9223372036854775807,1.235,2,-0.12,"
		      "null,null,null,true,false,null,{\"k\":[1,2]}]");
}

static void test_member_shorthands(void **state)
{
	struct fix *f = *state;
	struct jw *w = &f->w;

	jw_obj_open(w);
	jw_kstr(w, "s", "v");
	jw_kstr(w, "n", NULL);
	jw_ku64(w, "u", 42);
	jw_ki64(w, "i", -42);
	jw_kbool(w, "f", false);
	jw_knull(w, "z");
	jw_key(w, "d");
	jw_double(w, 0.5, 1);
	jw_key(w, "r");
	jw_raw(w, "\"raw\"");
	jw_obj_close(w);
	assert_out(f, "{\"s\":\"v\",\"n\":null,\"u\":42,\"i\":-42,\"f\":false,\"z\":null,"
		      "\"d\":0.5,\"r\":\"raw\"}");
}

/* Hostile bytes: the output decodes, and to what escape.h promises. */
static void test_escaping_roundtrip(void **state)
{
	struct fix *f = *state;
	struct jw *w = &f->w;
	/* quote, backslash, ESC sequence, BEL, NUL, DEL, CSI as UTF-8 C1, bad UTF-8, é */
	static const char in[] = "q\"b\\\x1b[2J\x07n\0x\x7f\xc2\x9b\xff\xc3 caf\xc3\xa9";
	/* bad bytes decode to the four characters \xNN; all else to itself */
	static const char want[] = "q\"b\\\x1b[2J\x07n\0x\x7f\\xc2\\x9b\\xff\\xc3 caf\xc3\xa9";
	json_t *v, *s;

	jw_obj_open(w);
	jw_key(w, "s");
	jw_strn(w, in, sizeof(in) - 1);
	jw_key(w, "k\"\n");
	jw_str(w, "key escaped");
	jw_obj_close(w);
	/* nothing raw below 0x20 or DEL reaches the output */
	for (const char *p = sbuf_str(&f->sb); *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);

	v = decode(f);
	s = json_object_get(v, "s");
	assert_true(json_is_string(s));
	assert_int_equal(json_string_length(s), sizeof(want) - 1);
	assert_memory_equal(json_string_value(s), want, sizeof(want) - 1);
	assert_string_equal(json_string_value(json_object_get(v, "k\"\n")), "key escaped");
	json_decref(v);
}

static void test_argv(void **state)
{
	struct fix *f = *state;
	struct jw *w = &f->w;
	static const char with_nul[] = "sh\0-c\0echo \"hi\"\0"; /* trailing NUL kept */
	static const char no_nul[] = "a\0\0b\xff"; /* empty arg, bad byte */
	json_t *v, *a;

	jw_obj_open(w);
	jw_key(w, "with");
	jw_argv(w, with_nul, sizeof(with_nul) - 1);
	jw_key(w, "without");
	jw_argv(w, no_nul, sizeof(no_nul) - 1);
	jw_key(w, "empty");
	jw_argv(w, NULL, 0);
	jw_obj_close(w);
	assert_out(f, "{\"with\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\"],"
		      "\"without\":[\"a\",\"\",\"b\\\\xff\"],\"empty\":[]}");

	v = decode(f);
	a = json_object_get(v, "with");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 2)), "echo \"hi\"");
	a = json_object_get(v, "without");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 1)), "");
	assert_string_equal(json_string_value(json_array_get(a, 2)), "b\\xff");
	json_decref(v);
}

/* argv as an array element: commas are the writer's, brackets esc_argv_json's. */
static void test_argv_in_array(void **state)
{
	struct fix *f = *state;

	jw_arr_open(&f->w);
	jw_argv(&f->w, "x", 1);
	jw_argv(&f->w, "y\0z", 3);
	jw_arr_close(&f->w);
	assert_out(f, "[[\"x\"],[\"y\",\"z\"]]");
}

static void test_depth_limit(void **state)
{
	struct fix *f = *state;
	int i;
	size_t len;

	for (i = 0; i < JW_MAX_DEPTH; i++)
		jw_arr_open(&f->w);
	assert_false(f->w.broken);
	assert_int_equal(f->w.depth, JW_MAX_DEPTH);
	len = f->sb.len;
	jw_arr_open(&f->w);
	assert_true(f->w.broken);
	assert_int_equal(f->sb.len, len);
}

static void test_depth_limit_reached_exactly(void **state)
{
	struct fix *f = *state;
	int i;

	for (i = 0; i < JW_MAX_DEPTH; i++) {
		jw_obj_open(&f->w);
		jw_key(&f->w, "k");
	}
	jw_null(&f->w);
	for (i = 0; i < JW_MAX_DEPTH; i++)
		jw_obj_close(&f->w);
	assert_false(f->w.broken);
	assert_int_equal(f->w.depth, 0);
	json_decref(decode(f));
}

/* Each misuse: nothing is written, broken is set, later calls are no-ops. */
static void check_misuse(struct fix *f, const char *before)
{
	assert_true(f->w.broken);
	assert_string_equal(sbuf_str(&f->sb), before);
	jw_u64(&f->w, 1);
	jw_obj_open(&f->w);
	jw_obj_close(&f->w);
	jw_arr_close(&f->w);
	assert_string_equal(sbuf_str(&f->sb), before);
	assert_true(f->w.broken);
	/* a fresh record on the same buffer works again */
	sbuf_reset(&f->sb);
	jw_init(&f->w, &f->sb);
	assert_false(f->w.broken);
}

static void test_misuse(void **state)
{
	struct fix *f = *state;
	struct jw *w = &f->w;

	jw_obj_open(w); /* value where a key is due */
	jw_u64(w, 1);
	check_misuse(f, "{");

	jw_obj_open(w); /* shorthand without its key's object */
	jw_obj_close(w);
	jw_kstr(w, "k", "v");
	check_misuse(f, "{}");

	jw_arr_open(w); /* key in an array */
	jw_key(w, "k");
	check_misuse(f, "[");

	jw_key(w, "k"); /* key at top level */
	check_misuse(f, "");

	jw_obj_open(w); /* two keys in a row */
	jw_key(w, "a");
	jw_key(w, "b");
	check_misuse(f, "{\"a\":");

	jw_obj_open(w); /* close with a key pending */
	jw_key(w, "a");
	jw_obj_close(w);
	check_misuse(f, "{\"a\":");

	jw_obj_close(w); /* close what is not open */
	check_misuse(f, "");
	jw_arr_close(w);
	check_misuse(f, "");

	jw_obj_open(w); /* mismatched closers */
	jw_arr_close(w);
	check_misuse(f, "{");
	jw_arr_open(w);
	jw_obj_close(w);
	check_misuse(f, "[");

	jw_u64(w, 1); /* second top-level value */
	jw_u64(w, 2);
	check_misuse(f, "1");

	jw_obj_open(w); /* key NULL */
	jw_key(w, NULL);
	check_misuse(f, "{");

	jw_arr_open(w); /* raw NULL: a failed json_dumps() */
	jw_raw(w, NULL);
	check_misuse(f, "[");

	jw_arr_open(w); /* argv NULL with a length */
	jw_argv(w, NULL, 3);
	check_misuse(f, "[");

	jw_arr_open(w); /* negative precision */
	jw_double(w, 1.0, -1);
	check_misuse(f, "[");
}

/* An unclosed record is not broken, but depth says it is not whole. */
static void test_unclosed_visible(void **state)
{
	struct fix *f = *state;

	jw_obj_open(&f->w);
	jw_kstr(&f->w, "a", "b");
	assert_false(f->w.broken);
	assert_int_equal(f->w.depth, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nesting_and_commas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_object, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_value_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_shorthands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_in_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit_reached_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unclosed_visible, setup, teardown),
	};

	return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
