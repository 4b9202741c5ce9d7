/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one JSON writer: every JSON record hooksnoop prints (trace records,
 * lint findings, summaries) is built with it, into a struct sbuf, so commas,
 * nesting and escaping are decided in one place (bpftool's json_writer is
 * the model). Strings always go through esc_json(): control bytes, DEL and
 * invalid UTF-8 are escaped, so the output is valid UTF-8 JSON whatever the
 * input. Keys are the caller's static ASCII names; they go through esc_json()
 * too, which writes such names unchanged.
 *
 *   struct jw w;
 *   jw_init(&w, &sb);
 *   jw_obj_open(&w);
 *   jw_kstr(&w, "type", "hook");
 *   jw_key(&w, "argv"); jw_argv(&w, argv, argv_len);
 *   jw_obj_close(&w);
 *
 * One value per jw_init() (a record); the caller adds the newline. Misuse (a
 * value where a key is due, a key outside an object, a second top-level value,
 * closing what is not open or with a key pending, nesting past JW_MAX_DEPTH,
 * jw_raw(NULL), jw_argv(NULL, n > 0), a negative precision) is a programming
 * error: the call writes nothing, w->broken is set and every later call is a
 * no-op. No assert(): no build defines NDEBUG, so it would abort a running
 * trace over one record. jw_end() says whether the record is whole: check
 * it before printing.
 */
#ifndef HS_JSONW_H
#define HS_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#include "escape.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct sbuf *sb;
	int depth;
	bool need_comma[JW_MAX_DEPTH + 1];
	bool in_obj[JW_MAX_DEPTH + 1];
	bool after_key;
	bool broken;
};

void jw_init(struct jw *w, struct sbuf *sb);
/* 0 when the value is complete and whole; -EINVAL misuse or unclosed, -ENOMEM. */
int jw_end(const struct jw *w);

void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);

/* A member name (static ASCII) inside an object; the value follows. */
void jw_key(struct jw *w, const char *key);

void jw_str(struct jw *w, const char *s);	/* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_u64(struct jw *w, unsigned long long v);
void jw_i64(struct jw *w, long long v);
/* Finite doubles with prec decimals (non-finite values write null). */
void jw_double(struct jw *w, double v, int prec);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* A kernel argv capture (NUL-separated, trailing NUL optional) as an array. */
void jw_argv(struct jw *w, const char *argv, size_t n);
/* Already valid JSON text (e.g. a re-serialised jansson value). */
void jw_raw(struct jw *w, const char *json);

/* Member shorthands: key then value. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_ku64(struct jw *w, const char *key, unsigned long long v);
void jw_ki64(struct jw *w, const char *key, long long v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_knull(struct jw *w, const char *key);

#endif
