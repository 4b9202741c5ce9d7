// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Escaping of hostile bytes for text and JSON output (user/escape.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "escape.h"

static char *text(const char *s, size_t n)
{
	static struct sbuf sb;

	sbuf_reset(&sb);
	esc_text(&sb, s, n);
	return (char *)sbuf_str(&sb);
}

static char *json(const char *s, size_t n)
{
	static struct sbuf sb;

	sbuf_reset(&sb);
	esc_json(&sb, s, n);
	return (char *)sbuf_str(&sb);
}

static void test_text_plain_and_utf8(void **state)
{
	assert_string_equal(text("crun run -b /b c1", 17), "crun run -b /b c1");
	assert_string_equal(text("caf\xc3\xa9 \xe2\x9c\x93", 9), "caf\xc3\xa9 \xe2\x9c\x93");
	assert_string_equal(text("a\\b", 3), "a\\\\b");
}

static void test_text_controls(void **state)
{
	assert_string_equal(text("\x1b[31mred\x07", 9), "\\x1b[31mred\\x07");
	assert_string_equal(text("a\nb\tc\rd", 7), "a\\nb\\tc\\rd");
	assert_string_equal(text("\x7f", 1), "\\x7f");
	assert_string_equal(text("x\0y", 3), "x\\x00y");
	/* C1 controls encoded as UTF-8 (U+009B, CSI) are escaped too */
	assert_string_equal(text("\xc2\x9b", 2), "\\xc2\\x9b");
}

static void test_text_invalid_utf8(void **state)
{
	assert_string_equal(text("\xff\xfe", 2), "\\xff\\xfe");
	assert_string_equal(text("\xc3", 1), "\\xc3");              /* truncated sequence */
	assert_string_equal(text("\xc0\xaf", 2), "\\xc0\\xaf");     /* overlong '/' */
	assert_string_equal(text("\xed\xa0\x80", 3), "\\xed\\xa0\\x80"); /* surrogate */
	assert_string_equal(text("\xf4\x90\x80\x80", 4), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
}

static void test_json_roundtrip_every_byte(void **state)
{
	char in[256];
	json_error_t err;
	json_t *v;
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	v = json_loads(json(in, sizeof(in)), JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	assert_non_null(v); /* valid JSON, whatever the input */
	assert_true(json_is_string(v));
	/* ASCII survives exactly, including NUL and controls */
	assert_memory_equal(json_string_value(v), in, 128);
	json_decref(v);
}

static void test_json_specials(void **state)
{
	assert_string_equal(json("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	assert_string_equal(json("\x1b\x7f", 2), "\"\\u001b\\u007f\"");
	assert_string_equal(json("\n", 1), "\"\\n\"");
	assert_string_equal(json("\xff", 1), "\"\\\\xff\"");
	assert_string_equal(json("\xe2\x9c\x93", 3), "\"\xe2\x9c\x93\"");
}

static void test_argv(void **state)
{
	struct sbuf sb;
	const char argv[] = "sh\0-c\0echo hi\0\0last"; /* includes an empty arg */

	sbuf_init(&sb);
	esc_argv_text(&sb, argv, sizeof(argv) - 1);
	assert_string_equal(sbuf_str(&sb), "sh -c \"echo hi\" \"\" last");
	sbuf_reset(&sb);
	esc_argv_json(&sb, argv, sizeof(argv) - 1);
	assert_string_equal(sbuf_str(&sb), "[\"sh\",\"-c\",\"echo hi\",\"\",\"last\"]");
	sbuf_reset(&sb);
	esc_argv_json(&sb, "", 0);
	assert_string_equal(sbuf_str(&sb), "[]");
	sbuf_free(&sb);
}

static void test_huge(void **state)
{
	size_t n = 1 << 20;
	char *big = malloc(n);
	struct sbuf sb;

	assert_non_null(big);
	memset(big, 0x01, n);
	sbuf_init(&sb);
	esc_json(&sb, big, n);
	assert_false(sb.oom);
	assert_int_equal(sb.len, n * 6 + 2);
	sbuf_free(&sb);
	free(big);
}

/* Trojan Source (CVE-2021-42574): valid UTF-8 that reorders or hides text. */
static void test_invisible_format_characters(void **state)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE between "ab" and "cd" */
	assert_string_equal(text("ab\xe2\x80\xae" "cd", 7), "ab\\u202ecd");
	assert_string_equal(json("ab\xe2\x80\xae" "cd", 7), "\"ab\\u202ecd\"");
	/* isolates, marks, zero-width space, BOM, soft hyphen, Arabic letter mark */
	assert_string_equal(text("\xe2\x81\xa6\xe2\x81\xa9", 6), "\\u2066\\u2069");
	assert_string_equal(text("\xe2\x80\x8f\xe2\x80\x8b\xef\xbb\xbf", 9),
			    "\\u200f\\u200b\\ufeff");
	assert_string_equal(text("\xc2\xad\xd8\x9c", 4), "\\u00ad\\u061c");
	/* a language tag beyond the BMP: text \U, JSON a surrogate pair */
	assert_string_equal(text("\xf3\xa0\x80\x81", 4), "\\U000e0001");
	assert_string_equal(json("\xf3\xa0\x80\x81", 4), "\"\\udb40\\udc01\"");
	/* neighbours that are ordinary text stay as they are */
	assert_string_equal(text("\xe2\x80\x90\xe2\x80\xb0", 6), "\xe2\x80\x90\xe2\x80\xb0");
	assert_string_equal(text("\xd8\x9b", 2), "\xd8\x9b");
}

/* JSON escapes of invisible characters decode back to the very bytes. */
static void test_invisible_json_lossless(void **state)
{
	static const char in[] = "x\xe2\x80\xaey\xf3\xa0\x80\x81z\xe2\x81\xa8";
	json_error_t e;
	json_t *v = json_loads(json(in, sizeof(in) - 1), JSON_DECODE_ANY, &e);

	assert_non_null(v);
	assert_int_equal(json_string_length(v), sizeof(in) - 1);
	assert_memory_equal(json_string_value(v), in, sizeof(in) - 1);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_plain_and_utf8),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_invalid_utf8),
		cmocka_unit_test(test_json_roundtrip_every_byte),
		cmocka_unit_test(test_json_specials),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_invisible_format_characters),
		cmocka_unit_test(test_invisible_json_lossless),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
