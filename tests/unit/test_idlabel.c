// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Container labels for the text column: IDs that share a long prefix stay
 * apart, engine hex IDs stay prefixes, labels change when a newcomer makes
 * them ambiguous, memory stays bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idlabel.h"

/* The label as text, with "…" for the ellipsis. */
static const char *show(struct idlabels *l, const char *id)
{
	static char buf[256];
	struct idl_label lab = idlabels_get(l, id);
	size_t n = strlen(id);

	if (lab.whole)
		return strcpy(buf, id);
	assert_true(lab.head + lab.tail < n);
	snprintf(buf, sizeof(buf), "%.*s\u2026%s", (int)lab.head, id, id + n - lab.tail);
	return buf;
}

static void test_demo_ids_stay_apart(void **state)
{
	struct idlabels *l = idlabels_new(16, 64);

	/* its last words, already apart from the sibling still to come */
	assert_string_equal(show(l, "hooksnoop-demo-runc-4242"), "hooksn\u2026runc-4242");
	/* the sibling shares 15 characters; neither label changes */
	assert_string_equal(show(l, "hooksnoop-demo-crun-4242"), "hooksn\u2026crun-4242");
	assert_string_equal(show(l, "hooksnoop-demo-runc-4242"), "hooksn\u2026runc-4242");
	/* a word-boundary tail needs a head that says something: the column widens */
	assert_string_equal(show(l, "hooksnoop-demo-crunfail-4242"), "hook\u2026crunfail-4242");
	assert_string_equal(show(l, "hooksnoop-demo-crun-4242"), "hooksn\u2026crun-4242");
	/* short IDs are shown whole */
	assert_string_equal(show(l, "c1"), "c1");
	assert_string_equal(show(l, "exactly-16-chars"), "exactly-16-chars");
	idlabels_free(l);
}

static void test_hex_ids_are_prefixes(void **state)
{
	struct idlabels *l = idlabels_new(16, 64);
	const char *a = "4f3a2b1c9d8e7f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";
	const char *b = "4f3a2b1c9d8e7f61ffffffffffffffffffffffffffffffffffffffffffffffff";
	const char *c = "4f3a2b1c9d8e7f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60719";

	assert_string_equal(show(l, a), "4f3a2b1c9d8e7f6\u2026");
	/* they share 15 hex digits: the column widens a little, still prefixes */
	assert_string_equal(show(l, b), "4f3a2b1c9d8e7f61\u2026");
	assert_string_equal(show(l, a), "4f3a2b1c9d8e7f60\u2026");
	/* all but the last digit shared: the longest head with a tail that tells them apart */
	assert_string_equal(show(l, c), "4f3a2b1c9d8e7f\u20269");
	assert_string_equal(show(l, a), "4f3a2b1c9d8e7f\u20268");
	assert_string_equal(show(l, b), "4f3a2b1c9d8e7f61\u2026");
	/* one that only the middle tells apart from a: the column widens */
	assert_string_equal(show(l, "4f3a2b1c9d8e7f60a1b2c3d4e5f607ff293a4b5c6d7e8f90a1b2c3d4e5f60718"),
			    "4f3a2b1c9d8e7f60a1b2c3d4e5f607f\u2026");
	idlabels_free(l);
}

/* Every label names exactly one of the IDs shown, whatever they are. */
static void test_labels_unambiguous(void **state)
{
	struct idlabels *l = idlabels_new(8, 1024);
	char ids[200][40];
	size_t i, j;

	srand(7);
	for (i = 0; i < 200; i++) {
		size_t n = 9 + (size_t)rand() % 20;

		for (j = 0; j < n; j++)
			ids[i][j] = "ab-"[rand() % 3];
		ids[i][n] = '\0';
		for (j = 0; j < i; j++)
			if (!strcmp(ids[i], ids[j]))
				break;
		if (j < i) {
			i--;
			continue;
		}
		idlabels_get(l, ids[i]);
	}
	for (i = 0; i < 200; i++) {
		struct idl_label a = idlabels_get(l, ids[i]);
		size_t na = strlen(ids[i]);

		if (a.whole)
			continue;
		for (j = 0; j < 200; j++) {
			size_t nb = strlen(ids[j]);

			if (j == i || nb < a.head + a.tail)
				continue;
			/* no other ID fits this label */
			assert_false(!memcmp(ids[j], ids[i], a.head) &&
				     !memcmp(ids[j] + nb - a.tail, ids[i] + na - a.tail, a.tail));
		}
	}
	idlabels_free(l);
}

/* UTF-8: a label never cuts a character in two. */
static void test_utf8_not_split(void **state)
{
	struct idlabels *l = idlabels_new(8, 64);
	struct idl_label a;
	const char *id = "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9";

	a = idlabels_get(l, id);
	assert_false(a.whole);
	assert_int_equal(a.head % 2, 0);
	assert_int_equal(a.tail % 2, 0);
	idlabels_free(l);
}

/* At most cap IDs are kept: the least recently shown goes. */
static void test_bounded(void **state)
{
	struct idlabels *l = idlabels_new(4, 2);

	assert_string_equal(show(l, "abcdefgh1"), "abc\u2026");
	assert_string_equal(show(l, "abcdefgh2"), "ab\u20262");
	assert_string_equal(show(l, "abcdefgh1"), "ab\u20261");
	/* a third: abcdefgh2 (least recent) is forgotten */
	assert_string_equal(show(l, "xyzzy-long"), "xyz\u2026");
	assert_string_equal(show(l, "abcdefgh1"), "ab\u20261");
	idlabels_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_ids_stay_apart),
		cmocka_unit_test(test_hex_ids_are_prefixes),
		cmocka_unit_test(test_labels_unambiguous),
		cmocka_unit_test(test_utf8_not_split),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests_name("idlabel", tests, NULL, NULL);
}
