// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON writer (see jsonw.h for the contract): a small state machine over
 * the open containers that decides where commas go and refuses anything that
 * would not be JSON. Bytes are appended to the caller's sbuf; all string
 * escaping is escape.c's, so text and JSON output cannot disagree about what
 * is printable. A misuse marks the writer broken and turns every later call
 * into a no-op, so the caller checks one flag per record instead of one per
 * call.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "jsonw.h"

void jw_init(struct jw *w, struct sbuf *sb)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
}

int jw_end(const struct jw *w)
{
	if (w->sb->oom)
		return -ENOMEM;
	return w->broken || w->depth ? -EINVAL : 0;
}

static bool misuse(struct jw *w)
{
	w->broken = true;
	return false;
}

/*
 * Called before every value: checks a value is allowed here and writes the
 * separating comma. At the top level only one value is allowed (one record
 * per jw_init); in an object a value must follow its key.
 */
static bool begin_value(struct jw *w)
{
	int d = w->depth;

	if (w->broken)
		return false;
	if (d == 0) {
		if (w->need_comma[0])
			return misuse(w);
		w->need_comma[0] = true;
		return true;
	}
	if (w->in_obj[d]) {
		if (!w->after_key)
			return misuse(w);
		w->after_key = false;
		return true;
	}
	if (w->need_comma[d])
		sbuf_add(w->sb, ",", 1);
	w->need_comma[d] = true;
	return true;
}

static void open_container(struct jw *w, bool obj)
{
	if (w->broken)
		return;
	if (w->depth == JW_MAX_DEPTH) {
		misuse(w);
		return;
	}
	if (!begin_value(w))
		return;
	w->depth++;
	w->in_obj[w->depth] = obj;
	w->need_comma[w->depth] = false;
	sbuf_add(w->sb, obj ? "{" : "[", 1);
}

static void close_container(struct jw *w, bool obj)
{
	if (w->broken)
		return;
	if (w->depth == 0 || w->in_obj[w->depth] != obj || w->after_key) {
		misuse(w);
		return;
	}
	w->depth--;
	sbuf_add(w->sb, obj ? "}" : "]", 1);
}

void jw_obj_open(struct jw *w)
{
	open_container(w, true);
}

void jw_obj_close(struct jw *w)
{
	close_container(w, true);
}

void jw_arr_open(struct jw *w)
{
	open_container(w, false);
}

void jw_arr_close(struct jw *w)
{
	close_container(w, false);
}

void jw_key(struct jw *w, const char *key)
{
	int d = w->depth;

	if (w->broken)
		return;
	if (d == 0 || !w->in_obj[d] || w->after_key || !key) {
		misuse(w);
		return;
	}
	if (w->need_comma[d])
		sbuf_add(w->sb, ",", 1);
	w->need_comma[d] = true;
	w->after_key = true;
	/* identical to the raw name for the ASCII names callers use; safe for any other */
	esc_json(w->sb, key, strlen(key));
	sbuf_add(w->sb, ":", 1);
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	if (!begin_value(w))
		return;
	if (s)
		esc_json(w->sb, s, n);
	else
		sbuf_add(w->sb, "null", 4);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void jw_u64(struct jw *w, unsigned long long v)
{
	if (begin_value(w))
		sbuf_addf(w->sb, "%llu", v);
}

void jw_i64(struct jw *w, long long v)
{
	if (begin_value(w))
		sbuf_addf(w->sb, "%lld", v);
}

void jw_double(struct jw *w, double v, int prec)
{
	if (prec < 0) {
		misuse(w);
		return;
	}
	if (!begin_value(w))
		return;
	/* JSON has no NaN or Infinity: null is the honest "no number" */
	if (!isfinite(v))
		sbuf_add(w->sb, "null", 4);
	else
		sbuf_addf(w->sb, "%.*f", prec, v);
}

void jw_bool(struct jw *w, bool v)
{
	if (begin_value(w))
		sbuf_puts(w->sb, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	if (begin_value(w))
		sbuf_add(w->sb, "null", 4);
}

void jw_argv(struct jw *w, const char *argv, size_t n)
{
	if (!argv && n) {
		misuse(w);
		return;
	}
	if (begin_value(w))
		esc_argv_json(w->sb, argv ? argv : "", n);
}

void jw_raw(struct jw *w, const char *json)
{
	/* NULL is what a failed json_dumps() returns: writing null would hide the loss */
	if (!json) {
		misuse(w);
		return;
	}
	if (begin_value(w))
		sbuf_puts(w->sb, json);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_ku64(struct jw *w, const char *key, unsigned long long v)
{
	jw_key(w, key);
	jw_u64(w, v);
}

void jw_ki64(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_i64(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_null(w);
}
