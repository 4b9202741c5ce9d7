// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go regexp gate tests: what Go's regexp.Compile refuses is refused with the
 * reason, flags are scoped per group as Go scopes them, and matching follows
 * Go's rules for ., ^, $, \s, \v, octal escapes and invalid UTF-8 subjects.
 * The expectations are Go 1.19's (podman 4.3.1 on the test machines).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "goregex.h"

/* 1 / 0 for a match; fails the test when the pattern is refused. */
static int m(const char *re, const char *s, size_t len)
{
	struct goregex *rx;
	const char *why = NULL;
	int r;

	if (goregex_compile(re, strlen(re), &rx, &why)) {
		print_error("pattern %s refused: %s\n", re, why ? why : "?");
		fail();
	}
	r = goregex_match(rx, s, len);
	goregex_free(rx);
	return r;
}

#define M(re, s) m(re, s, strlen(s))

/* The reason a refused pattern gets (fails the test when it compiles). */
static const char *refused(const char *re)
{
	const char *why = NULL;

	assert_int_equal(goregex_check(re, strlen(re), &why), -EINVAL);
	assert_non_null(why);
	return why;
}

static void test_refused_with_reason(void **state)
{
	static const struct {
		const char *re, *why;
	} cases[] = {
		{ "(a)\\1", "backreferences" },
		{ "\\k<x>", "backreferences" },
		{ "(?=a)", "lookahead" },
		{ "(?!a)", "lookahead" },
		{ "(?<=a)b", "lookbehind" },
		{ "(?<!a)b", "lookbehind" },
		{ "(?>a+)", "atomic" },
		{ "a*+", "possessive" },
		{ "a{2}+", "possessive" },
		{ "(?R)", "recursion" },
		{ "(a)(?1)", "recursion" },
		{ "(?(1)a|b)", "conditionals" },
		{ "\\C", "\\C" },
		{ "(?C1)", "callouts" },
		{ "(?#x)", "comments" },
		{ "(?|a)", "branch reset" },
		{ "(?<n>a)", "(?P<name>" },
		{ "\\Z", "PCRE" },
		{ "\\G", "PCRE" },
		{ "a**", "nested repetition" },
		{ "*a", "missing argument" },
		{ "(|*)", "missing argument" },
		{ "(*FAIL)", "missing argument" },
		{ "x{1001}", "repeat count" },
		{ "(x{100}){11}", "repeat count" },
		{ "x{3,2}", "repeat count" },
		{ "[z-a]", "class range" },
		{ "[[:word2:]]", "POSIX class" },
		{ "\\p{Xan}", "Unicode class" },
		{ "\\h", "invalid escape" },
		{ "\\e", "invalid escape" },
		{ "[\\b]", "invalid escape" },
		{ "[\\Qa\\E]", "\\Q" },
		{ "(x", "missing closing )" },
		{ "x)", "unexpected )" },
		{ "[x", "missing closing ]" },
		{ "x\\", "trailing backslash" },
		{ "(?i-)", "Perl syntax" },
		{ "\xff", "UTF-8" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = refused(cases[i].re);

		if (!strstr(why, cases[i].why)) {
			print_error("%s: reason \"%s\" lacks \"%s\"\n", cases[i].re, why,
				    cases[i].why);
			fail();
		}
	}
}

/* What Go accepts that PCRE spells or reads differently. */
static void test_go_syntax_accepted(void **state)
{
	assert_int_equal(M("^*a", "a"), 1);		/* Go repeats an empty-width ^ */
	assert_int_equal(M("a(?i)*", "aaa"), 1);	/* (?i) in between: a* */
	assert_int_equal(M("a{,3}", "a{,3}"), 1);	/* not a repeat: literal */
	assert_int_equal(M("x{01}", "x{01}"), 1);	/* leading zero: literal */
	assert_int_equal(M("(?P<1st>a)b", "ab"), 1);	/* Go allows a leading digit */
	assert_int_equal(M("\\Qa.b\\E+", "a.bbb"), 1);
	assert_int_equal(M("\\Qa.b\\E", "axb"), 0);
	assert_int_equal(M("[]a]", "]"), 1);
	assert_int_equal(M("[[:alpha:]]+$", "abc"), 1);
	assert_int_equal(M("\\pL", "\xc3\xa9"), 1);
	assert_int_equal(M("\\p{Greek}", "\xce\xb1"), 1);
	assert_int_equal(M("\\P{^Greek}", "\xce\xb1"), 1);
	assert_int_equal(M("(?)a", "a"), 1);
	assert_int_equal(M("(x{100}){10}", "x"), 0);	/* 1000 copies: allowed */
	assert_int_equal(M("a*?b", "aab"), 1);
}

static void test_case_flag_scoped(void **state)
{
	assert_int_equal(M("(?i:a)b", "Ab"), 1);
	assert_int_equal(M("(?i:a)b", "AB"), 0);	/* not the whole pattern */
	assert_int_equal(M("a(?i)b", "aB"), 1);
	assert_int_equal(M("a(?i)b", "AB"), 0);	/* only after the flag */
	assert_int_equal(M("(a(?i)b)c", "aBc"), 1);
	assert_int_equal(M("(a(?i)b)c", "aBC"), 0);	/* ends with its group */
	assert_int_equal(M("a(?i)b|c", "C"), 1);	/* crosses | as in Go */
	assert_int_equal(M("(?i)a(?-i)b", "Ab"), 1);
	assert_int_equal(M("(?i)a(?-i)b", "AB"), 0);
	assert_int_equal(M("(?i)k", "\xe2\x84\xaa"), 1);	/* Kelvin sign folds to k */
	assert_int_equal(M("(?i)^SH$", "sh"), 1);
}

static void test_dot_newline_flag(void **state)
{
	assert_int_equal(M("a.b", "a\nb"), 0);
	assert_int_equal(M("a.b", "a\rb"), 1);	/* only \n is a line end */
	assert_int_equal(M("(?s)a.b", "a\nb"), 1);
	assert_int_equal(M("(?s:a.)b", "a\nb"), 1);
	assert_int_equal(M("(?s:a)..", "a\nb"), 0);	/* (?s) ended with its group */
	assert_int_equal(M("a$", "a\n"), 0);		/* $ is the end of text */
	assert_int_equal(M("(?m)a$", "a\nb"), 1);
	assert_int_equal(M("(?m)^b", "a\nb"), 1);
	assert_int_equal(M("^b", "a\nb"), 0);
	assert_int_equal(M("(?m:a$)\\n(?m:^$)", "a\n"), 1);
}

static void test_escapes_and_subjects(void **state)
{
	assert_int_equal(M("\\v", "\v"), 1);		/* a vertical tab, not a class */
	assert_int_equal(M("^\\s$", "\v"), 0);		/* Go's \s has no \v */
	assert_int_equal(M("^[\\S]$", "\v"), 1);
	assert_int_equal(M("^\\S$", "\v"), 1);
	assert_int_equal(M("\\12", "\n"), 1);		/* octal, not a backreference */
	assert_int_equal(M("\\x41\\x{42}", "AB"), 1);
	assert_int_equal(M("^.$", "\xff"), 1);		/* an invalid byte is one U+FFFD */
	assert_int_equal(M("\\x{fffd}", "\xff"), 1);
	assert_int_equal(m("a\\x00b", "a\0b", 3), 1);
	assert_int_equal(M("\\x{d800}|a", "a"), 1);	/* a surrogate matches nothing */
	assert_int_equal(M("[\\x{d800}]", "a"), 0);
	assert_int_equal(M("\\bfoo\\b", "a foo b"), 1);
	assert_int_equal(M("\\Aa\\z", "a"), 1);
}

/* Go's matcher is linear; ours must not backtrack exponentially either. */
static void test_no_catastrophic_backtracking(void **state)
{
	char s[4097];

	memset(s, 'a', sizeof(s) - 2);
	s[sizeof(s) - 2] = 'c';
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(M("(a*)*b", s), 0);
	assert_int_equal(M("(a|aa)+$b", s), 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_with_reason),
		cmocka_unit_test(test_go_syntax_accepted),
		cmocka_unit_test(test_case_flag_scoped),
		cmocka_unit_test(test_dot_newline_flag),
		cmocka_unit_test(test_escapes_and_subjects),
		cmocka_unit_test(test_no_catastrophic_backtracking),
	};

	return cmocka_run_group_tests_name("goregex", tests, NULL, NULL);
}
