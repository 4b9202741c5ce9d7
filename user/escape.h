/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Escaping of untrusted bytes (argv, paths, comm, JSON keys from hostile
 * configs) for the two output formats. Every byte < 0x20, DEL (0x7f) and every
 * byte that is not part of a valid UTF-8 sequence is escaped; nothing raw ever
 * reaches a terminal or a JSON consumer.
 *
 *   text: printable ASCII and valid UTF-8 pass; '\\' -> "\\\\", \n \t \r -> "\\n"
 *         "\\t" "\\r", other bad bytes -> "\\xNN".
 *   JSON: a quoted string; '"' and '\\' escaped, control bytes and DEL as
 *         \u00NN, invalid UTF-8 bytes as the six characters "\\xNN" (i.e. the
 *         decoded string shows \xNN), so the output is always valid UTF-8 JSON.
 *
 * Valid UTF-8 that reorders or hides text on a terminal (bidi embeddings,
 * overrides, isolates and marks, zero-width and other invisible format
 * characters: "Trojan Source", CVE-2021-42574) is escaped too: text shows
 * \uXXXX, JSON writes the \uXXXX escape (lossless once decoded).
 *
 * Output goes to a struct sbuf (growable, never fails silently: on allocation
 * failure the buffer is marked and later appends are dropped), or straight to a
 * FILE.
 */
#ifndef HS_ESCAPE_H
#define HS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
};

void sbuf_init(struct sbuf *sb);
void sbuf_free(struct sbuf *sb);
void sbuf_reset(struct sbuf *sb);
void sbuf_add(struct sbuf *sb, const char *s, size_t n);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminated contents ("" when empty). */
const char *sbuf_str(struct sbuf *sb);

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);
/*
 * Decode the rune at s (avail > 0 bytes): its length, with the code point in
 * *r; an invalid sequence is one byte long and *r = -1.
 */
size_t utf8_rune(const unsigned char *s, size_t avail, long *r);

void esc_text(struct sbuf *sb, const char *s, size_t n);
/* Quoted JSON string. */
void esc_json(struct sbuf *sb, const char *s, size_t n);

/*
 * argv as NUL-separated strings (the kernel's layout). Text: args joined by
 * spaces, each escaped; an arg containing a space or that is empty is shown
 * quoted. JSON: an array of strings. Trailing NUL is optional.
 */
void esc_argv_text(struct sbuf *sb, const char *argv, size_t n);
void esc_argv_json(struct sbuf *sb, const char *argv, size_t n);

#endif
