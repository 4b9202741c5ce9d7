/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Go regexp (RE2 syntax, as podman's hooks.d "when" patterns are compiled by
 * regexp.Compile) on top of PCRE2. A gate parses the pattern with Go's
 * regexp/syntax rules and refuses what Go refuses (backreferences,
 * lookaround, atomic groups, possessive quantifiers, recursion, conditionals,
 * \C, callouts, PCRE-only escapes, repeat counts over 1000...), each with a
 * reason. What passes is rewritten into an equivalent PCRE2 pattern (literals
 * as \x{...}, Go's \s and \v meanings, flags kept per group as Go scopes them)
 * and compiled once with Go's matching rules: UTF-8, `.` excludes only \n
 * unless (?s), `$` is the end of text unless (?m). Matching runs PCRE2's DFA
 * matcher, which does not backtrack: like Go's, its cost grows with the text
 * times the pattern, never exponentially, whatever a hostile hooks.d file
 * says. Subjects that are not valid UTF-8 are matched as Go reads them (each
 * invalid byte is U+FFFD). Known gap: Unicode property names (\p{...}) are
 * checked by PCRE2, whose set is a superset of Go's (e.g. binary properties).
 */
#ifndef HS_GOREGEX_H
#define HS_GOREGEX_H

#include <stddef.h>

/* Go's nesting and repeat limits (regexp/syntax maxHeight, maxRepeat). */
#define GOREGEX_MAX_DEPTH 1000
#define GOREGEX_MAX_REPEAT 1000

struct goregex;

/*
 * Compile pattern re (len bytes; may contain NUL) as Go's regexp.Compile
 * would accept it. Returns 0 with *out set, -EINVAL with a static reason in
 * *why (Go's error text, plus what the construct is when it is a PCRE or
 * Perl feature Go lacks), or -ENOMEM.
 */
int goregex_compile(const char *re, size_t len, struct goregex **out, const char **why);
/* Does rx match anywhere in s (len bytes)? 1, 0, or -ENOMEM / -E2BIG (too complex). */
int goregex_match(const struct goregex *rx, const char *s, size_t len);
void goregex_free(struct goregex *rx);
/* Compile and discard: 0, -EINVAL with *why, -ENOMEM. */
int goregex_check(const char *re, size_t len, const char **why);

#endif
