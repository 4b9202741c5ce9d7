// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Go regexp on PCRE2: the gate that parses a pattern with Go's regexp/syntax
 * rules (Perl flags: ClassNL | OneLine | PerlX | UnicodeGroups, as
 * regexp.Compile uses) and writes the PCRE2 pattern that means the same, and
 * the DFA matcher that runs it. The gate follows parse.go token by token, so
 * a construct Go does not parse never reaches PCRE2, and PCRE2 never sees a
 * construct whose meaning differs: every literal is written as \x{...} (Go's
 * \v is a vertical tab, PCRE2's a class; Go's \12 is octal, PCRE2's a
 * backreference), Go's \s (no \v) is spelled out, every group becomes
 * non-capturing, and a quantified item is wrapped in (?:...) so Go's
 * stacking rules ("a*(?i)*" is (a*)*) survive. Flag groups are emitted where
 * Go applies them; PCRE2 scopes (?i) to the enclosing group exactly as Go
 * does. Go 1.19 (podman 4.3.1 on the test machines) has no (?<name>...).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "escape.h"
#include "goregex.h"

struct goregex {
	pcre2_code *code;
};

#define NO_ATOM SIZE_MAX
#define MAX_RUNE 0x10ffff

struct group {
	size_t start;		/* output offset of the group's "(" */
	size_t inner;		/* repeat product inside the enclosing group so far */
	unsigned flags;		/* the enclosing group's flags, restored at ")" */
};

struct gate {
	const unsigned char *p, *end;
	struct sbuf out;
	size_t atom;		/* output offset of the last repeatable item, or NO_ATOM */
	size_t atom_inner;	/* product of counted repeats inside that item */
	size_t inner;		/* max atom_inner among the current group's items */
	bool last_repeat;	/* the previous token was a repetition operator */
	unsigned flags;		/* Go flags in effect (bits of flag_chars) */
	unsigned pend_on, pend_off;	/* flags due before the next item */
	struct group *stack;
	int depth;
	const char *why;
};

static int fail(struct gate *g, const char *why)
{
	g->why = why;
	return -EINVAL;
}

/* Next rune; invalid UTF-8 is Go's ErrInvalidUTF8. */
static int next_rune(struct gate *g, const unsigned char **pp, long *r)
{
	const unsigned char *s = *pp;
	size_t l;

	if (s >= g->end)
		return fail(g, "missing character");
	l = utf8_rune(s, (size_t)(g->end - s), r);
	if (*r < 0)
		return fail(g, "invalid UTF-8");
	*pp = s + l;
	return 0;
}

static bool is_alnum(long c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int unhex(long c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

static bool is_surrogate(long c)
{
	return c >= 0xd800 && c <= 0xdfff;
}

/* One code point as PCRE2 reads it literally everywhere (in and out of classes). */
static void put_rune(struct sbuf *sb, long c)
{
	if (is_alnum(c)) {
		char ch = (char)c;

		sbuf_add(sb, &ch, 1);
	} else {
		sbuf_addf(sb, "\\x{%lx}", c);
	}
}

/* Nothing matches it (Go: a surrogate rune never occurs in decoded text). */
#define NEVER "[^\\x{0}-\\x{10ffff}]"

static const char flag_chars[] = "imsU";
#define FLAG_M (1u << 1)

static void put_flags(struct sbuf *sb, unsigned on, unsigned off, char end)
{
	sbuf_puts(sb, "(?");
	for (int i = 0; i < 4; i++)
		if (on & 1u << i)
			sbuf_add(sb, &flag_chars[i], 1);
	if (off)
		sbuf_puts(sb, "-");
	for (int i = 0; i < 4; i++)
		if (off & 1u << i)
			sbuf_add(sb, &flag_chars[i], 1);
	sbuf_add(sb, &end, 1);
}

/*
 * Flush a pending flag group before any token but a repetition operator:
 * in Go, "a(?i)*" repeats a, so the flags must not land inside the (?:a)
 * that the repetition wraps.
 */
static void flush_flags(struct gate *g)
{
	if (g->pend_on || g->pend_off)
		put_flags(&g->out, g->pend_on, g->pend_off, ')');
	g->pend_on = g->pend_off = 0;
}

/* A new repeatable item starts here. */
static void item_begin(struct gate *g)
{
	flush_flags(g);
	g->atom = g->out.len;
	g->atom_inner = 1;
	g->last_repeat = false;
}

static void item_end(struct gate *g)
{
	if (g->atom_inner > g->inner)
		g->inner = g->atom_inner;
}

/* An item that cannot be repeated follows ("(", "|"). */
static void no_item(struct gate *g)
{
	flush_flags(g);
	g->atom = NO_ATOM;
	g->last_repeat = false;
}

/*
 * Go's parseEscape: the rune a single-character escape stands for. s points
 * at the backslash; on success *pp is past the escape.
 */
static int parse_escape(struct gate *g, const unsigned char **pp, long *r)
{
	const unsigned char *t = *pp + 1;
	long c;
	int err;

	if (t >= g->end)
		return fail(g, "trailing backslash at end of expression");
	err = next_rune(g, &t, &c);
	if (err)
		return err;
	if (c < 0x80 && !is_alnum(c)) {
		*r = c;	/* escaped punctuation is itself (\_ included) */
		*pp = t;
		return 0;
	}
	switch (c) {
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		if (t >= g->end || *t < '0' || *t > '7')
			return fail(g, "invalid escape sequence (Go regexp has no backreferences)");
		__attribute__((fallthrough));	/* \12 is octal */
	case '0':
		*r = c - '0';
		for (int i = 1; i < 3 && t < g->end && *t >= '0' && *t <= '7'; i++)
			*r = *r * 8 + (*t++ - '0');
		*pp = t;
		return 0;
	case 'x': {
		int x, y;

		if (t >= g->end)
			break;
		if (*t == '{') {
			int nhex = 0;

			t++;
			*r = 0;
			for (;;) {
				if (t >= g->end)
					return fail(g, "invalid escape sequence");
				if (*t == '}')
					break;
				x = unhex(*t);
				if (x < 0)
					return fail(g, "invalid escape sequence");
				*r = *r * 16 + x;
				if (*r > MAX_RUNE)
					return fail(g, "invalid escape sequence");
				nhex++;
				t++;
			}
			if (!nhex)
				return fail(g, "invalid escape sequence");
			*pp = t + 1;
			return 0;
		}
		if (g->end - t < 2)
			return fail(g, "invalid escape sequence");
		x = unhex(t[0]);
		y = unhex(t[1]);
		if (x < 0 || y < 0)
			return fail(g, "invalid escape sequence");
		*r = x * 16 + y;
		*pp = t + 2;
		return 0;
	}
	case 'a': *r = '\a'; *pp = t; return 0;
	case 'f': *r = '\f'; *pp = t; return 0;
	case 'n': *r = '\n'; *pp = t; return 0;
	case 'r': *r = '\r'; *pp = t; return 0;
	case 't': *r = '\t'; *pp = t; return 0;
	case 'v': *r = '\v'; *pp = t; return 0;
	case '8': case '9':
		return fail(g, "invalid escape sequence (Go regexp has no backreferences)");
	case 'g': case 'k':
		return fail(g, "invalid escape sequence (Go regexp has no backreferences)");
	case 'C':
		return fail(g, "invalid escape sequence (\\C, any byte, is not supported)");
	case 'G': case 'Z': case 'K':
		return fail(g, "invalid escape sequence (PCRE/Perl assertion Go lacks)");
	default:
		break;
	}
	return fail(g, "invalid escape sequence");
}

/* Go's perlGroup: \d \D \s \S \w \W. in_class: inside [...]. Returns true if one was read. */
static bool perl_class(struct gate *g, bool in_class)
{
	const unsigned char *s = g->p;

	if (g->end - s < 2 || s[0] != '\\' || !strchr("dDsSwW", s[1]) || !s[1])
		return false;
	switch (s[1]) {
	case 's':	/* Go: [\t\n\f\r ], no \v */
		sbuf_puts(&g->out, in_class ? "\\x{9}\\x{a}\\x{c}\\x{d}\\x{20}"
					    : "[\\x{9}\\x{a}\\x{c}\\x{d}\\x{20}]");
		break;
	case 'S':
		sbuf_puts(&g->out, in_class ? "\\S\\x{b}" : "[^\\x{9}\\x{a}\\x{c}\\x{d}\\x{20}]");
		break;
	default:	/* \d \w: ASCII in both without PCRE2_UCP */
		sbuf_add(&g->out, (const char *)s, 2);
	}
	g->p += 2;
	return true;
}

/* Go's parseUnicodeClass (\pL, \p{Greek}, \P{^Greek}). 0 if none, 1 read, -EINVAL. */
static int unicode_class(struct gate *g)
{
	const unsigned char *s = g->p, *t, *name, *nend;
	bool neg;

	if (g->end - s < 2 || s[0] != '\\' || (s[1] != 'p' && s[1] != 'P'))
		return 0;
	neg = s[1] == 'P';
	t = s + 2;
	if (t >= g->end)
		return fail(g, "invalid character class range");
	if (*t != '{') {
		long c;

		name = t;
		if (next_rune(g, &t, &c))
			return -EINVAL;
		nend = t;
	} else {
		name = t + 1;
		nend = memchr(name, '}', (size_t)(g->end - name));
		if (!nend)
			return fail(g, "invalid character class range");
		t = nend + 1;
	}
	if (nend > name && *name == '^') {
		neg = !neg;
		name++;
	}
	if (nend == name || nend - name > 64)
		return fail(g, "invalid character class range");
	for (const unsigned char *q = name; q < nend; q++)
		if (!is_alnum(*q) && *q != '_')
			return fail(g, "invalid character class range (unknown Unicode class)");
	/* PCRE-only pseudo-properties Go does not know */
	if (nend - name == 3 && name[0] == 'X')
		return fail(g, "invalid character class range (unknown Unicode class)");
	sbuf_addf(&g->out, "\\%c{%.*s}", neg ? 'P' : 'p', (int)(nend - name), (const char *)name);
	g->p = t;
	return 1;
}

static const char *const posix_names[] = {
	"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph",
	"lower", "print", "punct", "space", "upper", "word", "xdigit",
};

/* Go's parseNamedClass ([:alpha:], [:^alpha:]). 0 if none, 1 read, -EINVAL. */
static int named_class(struct gate *g)
{
	const unsigned char *s = g->p, *e, *name;
	size_t n;

	if (g->end - s < 3 || s[0] != '[' || s[1] != ':')
		return 0;
	/* Go looks for ":]" anywhere after "[:", even past the class's end */
	for (e = s + 2; e + 1 < g->end && !(e[0] == ':' && e[1] == ']'); e++)
		;
	if (e + 1 >= g->end)
		return 0;
	name = s + 2;
	if (name < e && *name == '^')
		name++;
	n = (size_t)(e - name);
	for (size_t i = 0; i < sizeof(posix_names) / sizeof(posix_names[0]); i++) {
		if (strlen(posix_names[i]) == n && !memcmp(posix_names[i], name, n)) {
			sbuf_add(&g->out, (const char *)s, (size_t)(e + 2 - s));
			g->p = e + 2;
			return 1;
		}
	}
	return fail(g, "invalid character class range (unknown POSIX class)");
}

/* Add lo-hi to a class, without the surrogates PCRE2's UTF mode refuses. */
static void class_range(struct gate *g, long lo, long hi, int *items)
{
	if (lo <= 0xdfff && hi >= 0xd800) {
		if (lo < 0xd800)
			class_range(g, lo, 0xd7ff, items);
		if (hi > 0xdfff)
			class_range(g, 0xe000, hi, items);
		return;
	}
	put_rune(&g->out, lo);
	if (hi != lo) {
		sbuf_puts(&g->out, "-");
		put_rune(&g->out, hi);
	}
	(*items)++;
}

static int class_char(struct gate *g, long *r)
{
	if (g->p >= g->end)
		return fail(g, "missing closing ]");
	if (*g->p == '\\')
		return parse_escape(g, &g->p, r);
	return next_rune(g, &g->p, r);
}

/* Go's parseClass: [...] at g->p. */
static int parse_class(struct gate *g)
{
	size_t open;
	bool neg = false, first = true;
	int items = 0, err;

	item_begin(g);
	g->p++;
	open = g->out.len;
	sbuf_puts(&g->out, "[");
	if (g->p < g->end && *g->p == '^') {
		neg = true;
		g->p++;
		sbuf_puts(&g->out, "^");
	}
	while (g->p >= g->end || *g->p != ']' || first) {
		long lo, hi;

		if (g->p >= g->end)
			return fail(g, "missing closing ]");
		first = false;
		err = named_class(g);
		if (err < 0)
			return err;
		if (err) {
			items++;
			continue;
		}
		err = unicode_class(g);
		if (err < 0)
			return err;
		if (err) {
			items++;
			continue;
		}
		if (perl_class(g, true)) {
			items++;
			continue;
		}
		if (g->end - g->p >= 2 && g->p[0] == '\\' && g->p[1] == 'Q')
			return fail(g, "invalid escape sequence (no \\Q in a character class)");
		err = class_char(g, &lo);
		if (err)
			return err;
		hi = lo;
		if (g->end - g->p >= 2 && g->p[0] == '-' && g->p[1] != ']') {
			g->p++;
			err = class_char(g, &hi);
			if (err)
				return err;
			if (hi < lo)
				return fail(g, "invalid character class range");
		}
		class_range(g, lo, hi, &items);
	}
	g->p++;
	if (!items) {
		/* only surrogates: Go's class matches nothing (or everything, negated) */
		g->out.len = open;
		sbuf_puts(&g->out, neg ? "[\\x{0}-\\x{10ffff}]" : NEVER);
	} else {
		sbuf_puts(&g->out, "]");
	}
	item_end(g);
	return 0;
}

/* Insert "(?:" at the last item's start and ")" + op after it. */
static int quantify(struct gate *g, const char *op, size_t oplen)
{
	struct sbuf *o = &g->out;
	size_t tail;

	sbuf_puts(o, "(?:");	/* grow by 3 first: the insertion below moves bytes */
	if (o->oom)
		return -ENOMEM;
	tail = o->len - 3 - g->atom;
	memmove(o->buf + g->atom + 3, o->buf + g->atom, tail);
	memcpy(o->buf + g->atom, "(?:", 3);
	sbuf_puts(o, ")");
	sbuf_add(o, op, oplen);
	return o->oom ? -ENOMEM : 0;
}

/* Go's parseRepeat: {n}, {n,}, {n,m}; false when not of that form ({ is then a literal). */
static bool parse_repeat(const unsigned char *s, const unsigned char *end, long *min, long *max,
			 const unsigned char **rest)
{
	const unsigned char *t = s + 1;

	if (t >= end || *t < '0' || *t > '9' ||
	    (*t == '0' && t + 1 < end && t[1] >= '0' && t[1] <= '9'))
		return false;
	for (*min = 0; t < end && *t >= '0' && *t <= '9'; t++)
		*min = *min >= 100000000 ? 100000000 : *min * 10 + (*t - '0');
	if (t >= end)
		return false;
	if (*t != ',') {
		*max = *min;
	} else {
		t++;
		if (t >= end)
			return false;
		if (*t == '}') {
			*max = -1;
		} else {
			if (*t < '0' || *t > '9' ||
			    (*t == '0' && t + 1 < end && t[1] >= '0' && t[1] <= '9'))
				return false;
			for (*max = 0; t < end && *t >= '0' && *t <= '9'; t++)
				*max = *max >= 100000000 ? 100000000 : *max * 10 + (*t - '0');
		}
	}
	if (t >= end || *t != '}')
		return false;
	*rest = t + 1;
	return true;
}

/* A repetition operator at g->p (Go's parser.repeat). */
static int repeat(struct gate *g, long min, long max, bool counted, const unsigned char *after)
{
	char op[32];
	size_t oplen;
	int err;

	if (g->last_repeat)
		return fail(g, *g->p == '+' ? "invalid nested repetition operator (Go has no "
					     "possessive quantifiers)"
					   : "invalid nested repetition operator");
	if (g->atom == NO_ATOM)
		return fail(g, "missing argument to repetition operator");
	if (counted) {
		if (min > GOREGEX_MAX_REPEAT || max > GOREGEX_MAX_REPEAT || (max >= 0 && min > max))
			return fail(g, "invalid repeat count");
		oplen = max < 0 ? (size_t)snprintf(op, sizeof(op), "{%ld,}", min)
				: (size_t)snprintf(op, sizeof(op), "{%ld,%ld}", min, max);
	} else {
		op[0] = (char)*g->p;
		oplen = 1;
	}
	if (after < g->end && *after == '?') {
		op[oplen++] = '?';	/* non-greedy: the same set of matches */
		after++;
	}
	if (counted) {
		long m = max < 0 ? min : max;

		/* Go's repeatIsValid: nested counts multiply, at most 1000 copies */
		if ((min >= 2 || max >= 2) && max != 0 &&
		    (size_t)m * g->atom_inner > GOREGEX_MAX_REPEAT)
			return fail(g, "invalid repeat count");
		if (max == 0)
			g->atom_inner = 1;
		else if (m > 0)
			g->atom_inner *= (size_t)m;
	}
	err = quantify(g, op, oplen);
	if (err)
		return err;
	item_end(g);
	g->p = after;
	g->last_repeat = true;
	return 0;
}

/* What a "(?" construct Go does not have is, for the reason. */
static const char *perl_op_why(const unsigned char *t, const unsigned char *end)
{
	char c = t < end ? (char)*t : '\0';
	char d = t + 1 < end ? (char)t[1] : '\0';

	switch (c) {
	case '=': case '!':
		return "invalid or unsupported Perl syntax (Go regexp has no lookahead)";
	case '<':
		if (d == '=' || d == '!')
			return "invalid or unsupported Perl syntax (Go regexp has no lookbehind)";
		return "invalid or unsupported Perl syntax (use (?P<name>...): Go before 1.22 "
		       "has no (?<name>...))";
	case '>':
		return "invalid or unsupported Perl syntax (Go regexp has no atomic groups)";
	case '(':
		return "invalid or unsupported Perl syntax (Go regexp has no conditionals)";
	case 'R': case '&': case '+':
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
	case '9':
		return "invalid or unsupported Perl syntax (Go regexp has no recursion)";
	case 'C':
		return "invalid or unsupported Perl syntax (Go regexp has no callouts)";
	case '#':
		return "invalid or unsupported Perl syntax (Go regexp has no comments)";
	case '|':
		return "invalid or unsupported Perl syntax (Go regexp has no branch reset)";
	case 'P':
		if (d == '=' || d == '>')
			return "invalid or unsupported Perl syntax (Go regexp has no named "
			       "backreferences or recursion)";
		break;
	case '\'':
		return "invalid or unsupported Perl syntax (use (?P<name>...))";
	}
	return "invalid or unsupported Perl syntax";
}

static int open_group(struct gate *g, const char *text)
{
	if (g->depth >= GOREGEX_MAX_DEPTH)
		return fail(g, "expression nests too deeply");
	flush_flags(g);
	g->stack[g->depth].start = g->out.len;
	g->stack[g->depth].inner = g->inner;
	g->stack[g->depth].flags = g->flags;
	g->depth++;
	g->inner = 1;
	sbuf_puts(&g->out, text);
	no_item(g);
	return 0;
}

/* Go's parsePerlFlags: (?P<name>, (?flags), (?flags:. g->p is at "(?". */
static int perl_flags(struct gate *g)
{
	const unsigned char *t = g->p + 2;
	unsigned on = 0, off = 0;
	bool neg = false, saw = false;

	if (g->end - t >= 2 && t[0] == 'P' && t[1] == '<') {
		const unsigned char *e = memchr(t, '>', (size_t)(g->end - t));

		if (!e || e == t + 2)
			return fail(g, "invalid named capture");
		for (const unsigned char *q = t + 2; q < e; q++)
			if (!is_alnum(*q) && *q != '_')
				return fail(g, "invalid named capture");
		g->p = e + 1;
		return open_group(g, "(?:");	/* names are never used: no capture */
	}
	while (t < g->end) {
		char c = (char)*t++;
		const char *f = c ? strchr(flag_chars, c) : NULL;

		if (f) {
			if (neg)
				off |= 1u << (f - flag_chars);
			else
				on |= 1u << (f - flag_chars);
			saw = true;
			continue;
		}
		if (c == '-' && !neg) {
			neg = true;
			saw = false;
			continue;
		}
		if ((c == ':' || c == ')') && !(neg && !saw)) {
			on &= ~off;
			g->p = t;
			if (c == ':') {
				int err = open_group(g, "");

				if (!err)
					put_flags(&g->out, on, off, ':');
				g->flags = (g->flags & ~off) | on;
				return err;
			}
			/* merged into what is pending; the previous item stays repeatable */
			g->pend_on = (g->pend_on & ~off) | on;
			g->pend_off = (g->pend_off & ~on) | off;
			g->flags = (g->flags & ~off) | on;
			g->last_repeat = false;
			return 0;
		}
		break;
	}
	return fail(g, perl_op_why(g->p + 2, g->end));
}

static int close_group(struct gate *g)
{
	struct group *grp;

	if (!g->depth)
		return fail(g, "unexpected )");
	g->pend_on = g->pend_off = 0;	/* flags end with their group */
	grp = &g->stack[--g->depth];
	sbuf_puts(&g->out, ")");
	g->atom = grp->start;
	g->atom_inner = g->inner;
	g->inner = grp->inner;
	g->flags = grp->flags;
	g->last_repeat = false;
	item_end(g);
	return 0;
}

static int escape_item(struct gate *g)
{
	const unsigned char *s = g->p;
	long r;
	int err;

	if (g->end - s >= 2) {
		switch (s[1]) {
		case 'A': case 'b': case 'B': case 'z':
			item_begin(g);
			sbuf_add(&g->out, (const char *)s, 2);
			g->p += 2;
			item_end(g);
			return 0;
		case 'Q': {
			/* \Q...\E: literals up to \E or the end; each its own item */
			const unsigned char *t = s + 2, *e = t;

			while (e < g->end && !(e[0] == '\\' && e + 1 < g->end && e[1] == 'E'))
				e++;
			g->p = t;
			while (g->p < e) {
				err = next_rune(g, &g->p, &r);
				if (err)
					return err;
				item_begin(g);
				if (is_surrogate(r))
					sbuf_puts(&g->out, NEVER);
				else
					put_rune(&g->out, r);
				item_end(g);
			}
			g->p = e < g->end ? e + 2 : e;
			/* Go resets its repeat memory here even when nothing was pushed */
			g->last_repeat = false;
			return 0;
		}
		}
	}
	item_begin(g);
	err = unicode_class(g);
	if (err)
		return err < 0 ? err : (item_end(g), 0);
	if (perl_class(g, false)) {
		item_end(g);
		return 0;
	}
	err = parse_escape(g, &g->p, &r);
	if (err)
		return err;
	if (is_surrogate(r))
		sbuf_puts(&g->out, NEVER);
	else
		put_rune(&g->out, r);
	item_end(g);
	return 0;
}

/* One token of Go's main parse loop. */
static int token(struct gate *g)
{
	const unsigned char *s = g->p;
	long min, max, r;
	const unsigned char *after;
	int err;

	switch (*s) {
	case '(':
		if (g->end - s >= 2 && s[1] == '?')
			return perl_flags(g);
		g->p++;
		return open_group(g, "(?:");
	case ')':
		g->p++;
		return close_group(g);
	case '|':
		g->p++;
		flush_flags(g);
		sbuf_puts(&g->out, "|");
		no_item(g);
		return 0;
	case '^': case '$': case '.':
		item_begin(g);
		/*
		 * Without (?m) Go's $ is the end of text: \z (PCRE2's DFA matcher
		 * ignores DOLLAR_ENDONLY once any (?m) appears in the pattern).
		 */
		if (*s == '$' && !(g->flags & FLAG_M))
			sbuf_puts(&g->out, "\\z");
		else
			sbuf_add(&g->out, (const char *)s, 1);
		g->p++;
		item_end(g);
		return 0;
	case '[':
		return parse_class(g);
	case '*': case '+': case '?':
		return repeat(g, 0, 0, false, s + 1);
	case '{':
		if (parse_repeat(s, g->end, &min, &max, &after))
			return repeat(g, min, max, true, after);
		item_begin(g);
		put_rune(&g->out, '{');
		g->p++;
		item_end(g);
		return 0;
	case '\\':
		return escape_item(g);
	default:
		err = next_rune(g, &g->p, &r);
		if (err)
			return err;
		item_begin(g);
		put_rune(&g->out, r);
		item_end(g);
		return 0;
	}
}

/* Translate re into g->out; 0, -EINVAL (g->why), -ENOMEM. */
static int gate_run(struct gate *g, const char *re, size_t len)
{
	int err = 0;

	g->p = (const unsigned char *)re;
	g->end = g->p + len;
	g->atom = NO_ATOM;
	g->inner = 1;
	g->stack = malloc(GOREGEX_MAX_DEPTH * sizeof(*g->stack));
	if (!g->stack)
		return -ENOMEM;
	while (!err && g->p < g->end)
		err = token(g);
	if (!err && g->depth)
		err = fail(g, "missing closing )");
	if (!err && g->out.oom)
		err = -ENOMEM;
	free(g->stack);
	g->stack = NULL;
	return err;
}

static const char *pcre2_why(int code)
{
	switch (code) {
	case PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY:
	case PCRE2_ERROR_MALFORMED_UNICODE_PROPERTY:
		return "invalid character class range (unknown Unicode class)";
	case PCRE2_ERROR_PATTERN_TOO_LARGE:
	case PCRE2_ERROR_PATTERN_TOO_COMPLICATED:
	case PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP:
		return "expression too large";
	default:
		return "invalid regular expression";
	}
}

int goregex_compile(const char *re, size_t len, struct goregex **out, const char **why)
{
	struct gate g = { 0 };
	pcre2_compile_context *cc;
	struct goregex *rx;
	PCRE2_SIZE off;
	int err, code;

	*out = NULL;
	*why = NULL;
	sbuf_init(&g.out);
	err = gate_run(&g, re, len);
	if (err) {
		*why = g.why;
		sbuf_free(&g.out);
		return err;
	}
	cc = pcre2_compile_context_create(NULL);
	rx = calloc(1, sizeof(*rx));
	if (!cc || !rx) {
		pcre2_compile_context_free(cc);
		free(rx);
		sbuf_free(&g.out);
		return -ENOMEM;
	}
	pcre2_set_newline(cc, PCRE2_NEWLINE_LF);	/* Go's only line end is \n */
	pcre2_set_parens_nest_limit(cc, 2 * GOREGEX_MAX_DEPTH + 16);
	/* ALT_CIRCUMFLEX: under (?m), Go's ^ also matches after a final \n */
	rx->code = pcre2_compile((PCRE2_SPTR)sbuf_str(&g.out), g.out.len,
				 PCRE2_UTF | PCRE2_ALT_CIRCUMFLEX |
					 PCRE2_NEVER_BACKSLASH_C | PCRE2_NEVER_UCP,
				 &code, &off, cc);
	pcre2_compile_context_free(cc);
	sbuf_free(&g.out);
	if (!rx->code) {
		free(rx);
		if (code == PCRE2_ERROR_HEAP_FAILED)
			return -ENOMEM;
		*why = pcre2_why(code);
		return -EINVAL;
	}
	*out = rx;
	return 0;
}

int goregex_check(const char *re, size_t len, const char **why)
{
	struct goregex *rx;
	int err = goregex_compile(re, len, &rx, why);

	goregex_free(rx);
	return err;
}

void goregex_free(struct goregex *rx)
{
	if (!rx)
		return;
	pcre2_code_free(rx->code);
	free(rx);
}

/* Go reads each byte that is not valid UTF-8 as U+FFFD: hand PCRE2 that text. */
static char *go_decoded(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;
	char *o;

	o = malloc(len * 3 + 1);
	if (!o)
		return NULL;
	while (p < end) {
		size_t l = utf8_seq_len(p, (size_t)(end - p));

		if (l) {
			memcpy(o + n, p, l);
			n += l;
			p += l;
		} else {
			memcpy(o + n, "\xef\xbf\xbd", 3);
			n += 3;
			p++;
		}
	}
	*outlen = n;
	return o;
}

#define DFA_WS_MIN 1024
#define DFA_WS_MAX (1 << 20)

int goregex_match(const struct goregex *rx, const char *s, size_t len)
{
	pcre2_match_data *md;
	char *dec = NULL;
	int *ws = NULL;
	size_t wsn = DFA_WS_MIN;
	int rc;

	for (size_t i = 0; i < len;) {
		size_t l = utf8_seq_len((const unsigned char *)s + i, len - i);

		if (!l) {
			dec = go_decoded(s, len, &len);
			if (!dec)
				return -ENOMEM;
			s = dec;
			break;
		}
		i += l;
	}
	md = pcre2_match_data_create(1, NULL);
	if (!md) {
		free(dec);
		return -ENOMEM;
	}
	for (;;) {
		int *nws = realloc(ws, wsn * sizeof(int));

		if (!nws) {
			rc = PCRE2_ERROR_NOMEMORY;
			break;
		}
		ws = nws;
		/* DFA: no backtracking, so no pattern can make this exponential */
		rc = pcre2_dfa_match(rx->code, (PCRE2_SPTR)s, len, 0,
				     PCRE2_DFA_SHORTEST | PCRE2_NO_UTF_CHECK, md, NULL, ws, wsn);
		if (rc != PCRE2_ERROR_DFA_WSSIZE || wsn >= DFA_WS_MAX)
			break;
		wsn *= 4;
	}
	free(ws);
	pcre2_match_data_free(md);
	free(dec);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc == PCRE2_ERROR_NOMEMORY ? -ENOMEM : -E2BIG;
}
