// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Escaping of untrusted bytes for text and JSON output, and the small growable
 * string buffer both output formats build lines in (one write per line keeps
 * records whole when stdout is a pipe). See escape.h for the rules.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

void sbuf_init(struct sbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void sbuf_free(struct sbuf *sb)
{
	free(sb->buf);
	sbuf_init(sb);
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static bool sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need, cap;
	char *nb;

	if (sb->oom)
		return false;
	if (extra > SIZE_MAX / 2 - sb->len) {
		sb->oom = true;
		return false;
	}
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 256;
	while (cap < need)
		cap *= 2;
	nb = realloc(sb->buf, cap);
	if (!nb) {
		sb->oom = true;
		return false;
	}
	sb->buf = nb;
	sb->cap = cap;
	return true;
}

void sbuf_add(struct sbuf *sb, const char *s, size_t n)
{
	if (!sbuf_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sbuf_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *sbuf_str(struct sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) are terminal controls too */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

size_t utf8_rune(const unsigned char *s, size_t avail, long *r)
{
	size_t l = utf8_seq_len(s, avail);

	switch (l) {
	case 0: *r = -1; return 1;
	case 1: *r = s[0]; break;
	case 2: *r = (s[0] & 0x1f) << 6 | (s[1] & 0x3f); break;
	case 3: *r = (s[0] & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f); break;
	default:
		*r = (long)(s[0] & 0x07) << 18 | (s[1] & 0x3f) << 12 | (s[2] & 0x3f) << 6 |
		     (s[3] & 0x3f);
	}
	return l;
}

/*
 * Characters that are valid UTF-8 but reorder or hide what is around them
 * on a terminal: the bidirectional embeddings, overrides, isolates and
 * marks ("Trojan Source", CVE-2021-42574) and the other invisible format
 * characters (soft hyphen, zero-width space and joiners, word joiner and
 * invisible operators, BOM, interlinear annotations, line and paragraph
 * separators, language tags). Shown as \uXXXX instead.
 */
static bool invisible(long r)
{
	return r == 0x00ad || r == 0x061c || r == 0x180e || (r >= 0x200b && r <= 0x200f) ||
	       (r >= 0x2028 && r <= 0x202e) || (r >= 0x2060 && r <= 0x2064) ||
	       (r >= 0x2066 && r <= 0x206f) || r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) ||
	       r == 0xe0001 || (r >= 0xe0020 && r <= 0xe007f);
}

/*
 * Text shows \uXXXX (\UXXXXXXXX beyond the BMP); JSON writes the same
 * \uXXXX escape (a surrogate pair beyond the BMP), which decodes back to
 * the character itself: lossless for programs, inert on a terminal.
 */
static void esc_invisible(struct sbuf *sb, long r, bool json)
{
	if (r < 0x10000)
		sbuf_addf(sb, "\\u%04lx", r);
	else if (json)
		sbuf_addf(sb, "\\u%04lx\\u%04lx", 0xd800 + ((r - 0x10000) >> 10),
			  0xdc00 + ((r - 0x10000) & 0x3ff));
	else
		sbuf_addf(sb, "\\U%08lx", r);
}

/* Shared by both formats: they differ only in quoting and in how a bad byte looks. */
static void esc_bytes(struct sbuf *sb, const char *s, size_t n, bool json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = p[i];

		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\' || (json && c == '"'))
				sbuf_add(sb, "\\", 1);
			sbuf_add(sb, (const char *)&p[i], 1);
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_seq_len(p + i, n - i)) > 0) {
			long r;

			utf8_rune(p + i, n - i, &r);
			if (invisible(r))
				esc_invisible(sb, r, json);
			else
				sbuf_add(sb, (const char *)&p[i], k);
			i += k;
			continue;
		}
		if (c == '\n')
			sbuf_add(sb, "\\n", 2);
		else if (c == '\t')
			sbuf_add(sb, "\\t", 2);
		else if (c == '\r')
			sbuf_add(sb, "\\r", 2);
		else if (!json)
			sbuf_addf(sb, "\\x%02x", c);
		else if (c < 0x20 || c == 0x7f)
			sbuf_addf(sb, "\\u%04x", c);
		else /* invalid UTF-8 or a C1 control: visible, lossless */
			sbuf_addf(sb, "\\\\x%02x", c);
		i++;
	}
}

void esc_text(struct sbuf *sb, const char *s, size_t n)
{
	esc_bytes(sb, s, n, false);
}

void esc_json(struct sbuf *sb, const char *s, size_t n)
{
	sbuf_add(sb, "\"", 1);
	esc_bytes(sb, s, n, true);
	sbuf_add(sb, "\"", 1);
}

/* Calls fn for each NUL-separated string of argv[0..n). */
#define FOR_EACH_ARG(argv, n, a, alen, body)                                                       \
	do {                                                                                       \
		size_t _off = 0;                                                                   \
		while (_off < (n)) {                                                               \
			const char *a = (argv) + _off;                                             \
			const char *_nul = memchr(a, '\0', (n) - _off);                            \
			size_t alen = _nul ? (size_t)(_nul - a) : (n) - _off;                      \
			body;                                                                      \
			_off += alen + 1;                                                          \
		}                                                                                  \
	} while (0)

static bool needs_quotes(const char *a, size_t alen)
{
	size_t i;

	if (alen == 0)
		return true;
	for (i = 0; i < alen; i++)
		if (a[i] == ' ' || a[i] == '\'' || a[i] == '"')
			return true;
	return false;
}

void esc_argv_text(struct sbuf *sb, const char *argv, size_t n)
{
	bool first = true;

	FOR_EACH_ARG(argv, n, a, alen, {
		bool q = needs_quotes(a, alen);

		if (!first)
			sbuf_add(sb, " ", 1);
		first = false;
		if (q)
			sbuf_add(sb, "\"", 1);
		esc_text(sb, a, alen);
		if (q)
			sbuf_add(sb, "\"", 1);
	});
}

void esc_argv_json(struct sbuf *sb, const char *argv, size_t n)
{
	bool first = true;

	sbuf_add(sb, "[", 1);
	FOR_EACH_ARG(argv, n, a, alen, {
		if (!first)
			sbuf_add(sb, ",", 1);
		first = false;
		esc_json(sb, a, alen);
	});
	sbuf_add(sb, "]", 1);
}
