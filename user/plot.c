// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop plot`: reads the JSON Lines records a trace wrote with -j
 * (files, or '-' for stdin), keeps each container's hooks and container
 * process, and writes the SVG timeline (svg.c) to stdout or -o FILE. The
 * records are hostile input like any file: every line is parsed by jansson
 * under a length bound, total input and what is kept are bounded, strings
 * are cut to a display length, and a line that is not a usable record is
 * counted and skipped (one warning line), never fatal; only input with no
 * usable record at all is an error. Nothing reaches stdout before the whole
 * picture is built.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "escape.h"
#include "log.h"
#include "opts.h"
#include "plot.h"
#include "util.h"

_Static_assert(PLOT_OK == (int)HOOK_OK && PLOT_FAILED == (int)HOOK_FAILED &&
		   PLOT_KILLED == (int)HOOK_KILLED && PLOT_TIMEOUT == (int)HOOK_TIMEOUT &&
		   PLOT_EXEC_FAILED == (int)HOOK_EXEC_FAILED &&
		   PLOT_UNFINISHED == (int)HOOK_UNFINISHED,
	       "plot_status follows hook_status");

static const char *const status_names[PLOT_STATUS_MAX] = {
	[PLOT_OK] = "ok",
	[PLOT_FAILED] = "failed",
	[PLOT_KILLED] = "killed",
	[PLOT_TIMEOUT] = "timeout",
	[PLOT_EXEC_FAILED] = "exec_failed",
	[PLOT_UNFINISHED] = "unfinished",
};

int plot_status_from_name(const char *s)
{
	int i;

	for (i = 0; i < PLOT_STATUS_MAX; i++)
		if (!strcmp(s, status_names[i]))
			return i;
	return -1;
}

const char *plot_status_name(enum plot_status s)
{
	return (unsigned)s < PLOT_STATUS_MAX ? status_names[s] : "unknown";
}

void plot__init(struct plot *p)
{
	memset(p, 0, sizeof(*p));
}

static void row_free(struct plot_row *r)
{
	size_t i;

	for (i = 0; i < r->nhooks; i++) {
		free(r->hooks[i].stage);
		free(r->hooks[i].cmd);
	}
	free(r->hooks);
	free(r->key);
	free(r->container);
	free(r->runtime);
	free(r->verdict);
	free(r->proc_cmd);
	free(r);
}

void plot__free(struct plot *p)
{
	size_t i;

	HASH_CLEAR(hh, p->by_key);
	for (i = 0; i < p->nrows; i++)
		row_free(p->rows[i]);
	free(p->rows);
	plot__init(p);
}

/* A copy of at most PLOT_MAX_TEXT bytes, cut before a partial UTF-8 sequence. */
static size_t cut(const char *s, size_t n);

static char *text_dup(const char *s, size_t n)
{
	return mem_strdup(s, cut(s, n));
}

static const char *str_of(json_t *o, const char *key, size_t *n)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return NULL;
	*n = json_string_length(v);
	return json_string_value(v);
}

/* A non-negative integer member: 1 present, 0 null or absent, -1 anything else. */
static int u64_of(json_t *o, const char *key, __u64 *out)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (__u64)json_integer_value(v);
	return 1;
}

/* Any integer member: 1 present, 0 null or absent, -1 anything else. */
static int i64_of(json_t *o, const char *key, long long *out)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 1;
}

/* argv joined by spaces, cut to the display length. */
static char *argv_text(json_t *argv)
{
	struct sbuf sb;
	size_t i;
	json_t *a;
	char *s;

	sbuf_init(&sb);
	json_array_foreach(argv, i, a)
	{
		if (!json_is_string(a))
			continue;
		if (sb.len)
			sbuf_add(&sb, " ", 1);
		sbuf_add(&sb, json_string_value(a), json_string_length(a));
		if (sb.len > PLOT_MAX_TEXT)
			break;
	}
	s = sb.oom ? NULL : text_dup(sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
	return s;
}

/*
 * The row of (runtime, container, run; run -1 = none), created on first
 * sight. -ENOMEM, -ENOSPC (limit).
 */
static int row_find(struct plot *p, const char *ctr, size_t nc, const char *rt, size_t nr,
		    long long run, struct plot_row **out)
{
	struct plot_row *r;
	struct sbuf key;

	sbuf_init(&key);
	sbuf_add(&key, rt, nr);
	sbuf_add(&key, "\n", 1); /* runtime names hold no newline: the key is unambiguous */
	sbuf_addf(&key, "%lld\n", run);
	sbuf_add(&key, ctr, nc);
	if (key.oom) {
		sbuf_free(&key);
		return -ENOMEM;
	}
	HASH_FIND(hh, p->by_key, key.buf, key.len, r);
	if (r) {
		sbuf_free(&key);
		*out = r;
		return 0;
	}
	if (p->nrows == PLOT_MAX_ROWS) {
		sbuf_free(&key);
		return -ENOSPC;
	}
	if (p->nrows == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct plot_row **v = realloc(p->rows, cap * sizeof(*v));

		if (!v) {
			sbuf_free(&key);
			return -ENOMEM;
		}
		p->rows = v;
		p->cap = cap;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		sbuf_free(&key);
		return -ENOMEM;
	}
	r->key = key.buf; /* the sbuf's storage is the key */
	r->container = text_dup(ctr, nc);
	r->runtime = text_dup(rt, nr);
	r->run = run;
	if (!r->container || !r->runtime) {
		row_free(r);
		return -ENOMEM;
	}
	HASH_ADD_KEYPTR(hh, p->by_key, r->key, key.len, r);
	p->rows[p->nrows++] = r;
	*out = r;
	return 0;
}

/* The row a record names (container, runtime, run). -EINVAL when it names none. */
static int row_get(struct plot *p, json_t *rec, struct plot_row **out)
{
	const char *ctr, *rt;
	size_t nc = 0, nr = 0;
	__u64 run = 0;
	int has_run;

	ctr = str_of(rec, "container", &nc);
	rt = str_of(rec, "runtime", &nr);
	has_run = u64_of(rec, "run", &run);
	if (!ctr || !rt || has_run < 0 || run > HS_REPEAT_MAX)
		return -EINVAL;
	return row_find(p, ctr, nc, rt, nr, has_run ? (long long)run : -1, out);
}

static int row_add_hook(struct plot_row *r, struct plot_hook *h)
{
	if (r->nhooks == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct plot_hook *v = realloc(r->hooks, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->hooks = v;
		r->cap = cap;
	}
	r->hooks[r->nhooks++] = *h;
	return 0;
}

/* argv as the kernel captured it (NUL-separated), joined by spaces and cut for display. */
static size_t cut(const char *s, size_t n)
{
	if (n > PLOT_MAX_TEXT) {
		n = PLOT_MAX_TEXT;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

static char *kargv_text(const char *argv, size_t n)
{
	size_t len = argv ? cut(argv, n) : 0, i;
	char *s = mem_strdup(argv ? argv : "", len);

	if (!s)
		return NULL;
	while (len && !s[len - 1])
		s[--len] = '\0';
	for (i = 0; i < len; i++)
		if (!s[i])
			s[i] = ' ';
	return s;
}

int plot__add_ctr(struct plot *p, const struct ctr_rec *rec)
{
	const struct hook_rec *h;
	struct plot_row *r;
	int err;

	err = row_find(p, rec->id, strlen(rec->id), rec->runtime, strlen(rec->runtime),
		       rec->run.repeat ? rec->run.index : -1, &r);
	if (err)
		return err;
	if (r->has_record)
		return 0;
	r->has_record = true;
	if (!(r->verdict = strdup(verdict_name(rec->verdict))))
		return -ENOMEM;
	if (rec->process.started) {
		r->proc = true;
		r->proc_start_ns = rec->process.start_ns;
		r->proc_exited = rec->process.exited;
		r->proc_exit_ns = rec->process.exit_ns < rec->process.start_ns
				      ? rec->process.start_ns
				      : rec->process.exit_ns;
		r->proc_has_code = rec->process.exited && !rec->process.signal;
		r->proc_exit_code = rec->process.exit_code;
		if (!(r->proc_cmd = kargv_text(rec->process.argv, rec->process.argv_len)))
			return -ENOMEM;
	}
	for (h = rec->hooks; h; h = h->next) {
		struct plot_hook ph = {
			.index = h->index,
			.start_ns = h->start_ns,
			.end_ns = h->end_ns < h->start_ns ? h->start_ns : h->end_ns,
			.ended = h->ended,
			.status = (enum plot_status)h->status,
		};

		if (p->nhooks == PLOT_MAX_HOOKS)
			return -ENOSPC;
		ph.stage = strdup(h->stage >= 0 ? oci_stage_name(h->stage) : "unknown");
		ph.cmd = kargv_text(h->argv, h->argv_len);
		if (!ph.stage || !ph.cmd || row_add_hook(r, &ph)) {
			free(ph.stage);
			free(ph.cmd);
			return -ENOMEM;
		}
		p->nhooks++;
	}
	return 0;
}

static int add_hook(struct plot *p, json_t *rec)
{
	struct plot_hook h = {.index = -1};
	const char *stage, *status;
	struct plot_row *r;
	json_t *idx;
	size_t n = 0;
	int st, err, has_end;

	stage = str_of(rec, "stage", &n);
	status = str_of(rec, "status", &(size_t){0});
	st = status ? plot_status_from_name(status) : -1;
	idx = json_object_get(rec, "index");
	if (!stage || st < 0 || u64_of(rec, "start_ns", &h.start_ns) != 1 ||
	    (has_end = u64_of(rec, "end_ns", &h.end_ns)) < 0 ||
	    (idx && !json_is_null(idx) && (!json_is_integer(idx) || json_integer_value(idx) < 0)))
		return -EINVAL;
	if (p->nhooks == PLOT_MAX_HOOKS)
		return -ENOSPC;
	err = row_get(p, rec, &r);
	if (err)
		return err;
	h.ended = has_end == 1;
	if (h.ended && h.end_ns < h.start_ns)
		h.end_ns = h.start_ns;
	h.status = (enum plot_status)st;
	if (json_is_integer(idx))
		h.index = json_integer_value(idx);
	h.stage = text_dup(stage, n);
	h.cmd = argv_text(json_object_get(rec, "argv"));
	if (!h.stage || !h.cmd || row_add_hook(r, &h)) {
		free(h.stage);
		free(h.cmd);
		return -ENOMEM;
	}
	p->nhooks++;
	return 0;
}

static int add_container(struct plot *p, json_t *rec)
{
	json_t *proc = json_object_get(rec, "process");
	const char *verdict;
	struct plot_row *r;
	__u64 start = 0, exit_ns = 0;
	long long code = 0;
	int has_start = 0, has_exit = 0, has_code = 0, err;
	size_t n;

	if (proc && !json_is_null(proc)) {
		if (!json_is_object(proc))
			return -EINVAL;
		has_start = u64_of(proc, "start_ns", &start);
		has_exit = u64_of(proc, "exit_ns", &exit_ns);
		has_code = i64_of(proc, "exit_code", &code);
		if (has_start != 1 || has_exit < 0 || has_code < 0)
			return -EINVAL;
	}
	verdict = str_of(rec, "verdict", &n);
	err = row_get(p, rec, &r);
	if (err)
		return err;
	if (r->has_record)
		return 0; /* a second record for the same row adds nothing */
	r->has_record = true;
	if (verdict && !(r->verdict = text_dup(verdict, n)))
		return -ENOMEM;
	if (has_start) {
		r->proc = true;
		r->proc_start_ns = start;
		r->proc_exited = has_exit == 1;
		r->proc_exit_ns = exit_ns < start ? start : exit_ns;
		r->proc_has_code = has_code == 1;
		r->proc_exit_code = code;
		r->proc_cmd = argv_text(json_object_get(proc, "argv"));
		if (!r->proc_cmd)
			return -ENOMEM;
	}
	return 0;
}

int plot__line(struct plot *p, const char *line, size_t n)
{
	json_error_t jerr;
	const char *type;
	json_t *rec;
	size_t i;
	int err = -EINVAL;

	for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	if (i == n)
		return 0; /* blank */
	p->lines++;
	rec = n <= PLOT_MAX_LINE ? json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	type = json_is_object(rec) ? json_string_value(json_object_get(rec, "type")) : NULL;
	if (type && !strcmp(type, "hook"))
		err = add_hook(p, rec);
	else if (type && !strcmp(type, "container"))
		err = add_container(p, rec);
	else if (type)
		err = 1; /* lost, summary, exec...: not drawn */
	json_decref(rec);
	if (err == 0)
		p->used++;
	else if (err == -EINVAL)
		p->malformed++;
	else if (err == -ENOSPC)
		p->over_limit++;
	return err == -ENOMEM ? err : 0;
}

int plot__read(struct plot *p, FILE *f)
{
	const size_t cap = PLOT_MAX_LINE + 1;
	size_t len = 0, start, got;
	bool skipping = false; /* in the rest of an overlong line */
	char *buf, *nl;
	int err = 0;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	while (!err && !p->truncated) {
		got = fread(buf + len, 1, cap - len, f);
		if (!got) {
			if (ferror(f))
				err = -EIO;
			break;
		}
		if (got > PLOT_MAX_INPUT - p->bytes) {
			got = (size_t)(PLOT_MAX_INPUT - p->bytes);
			p->truncated = true;
		}
		p->bytes += got;
		len += got;
		start = 0;
		while (!err && (nl = memchr(buf + start, '\n', len - start))) {
			if (!skipping)
				err = plot__line(p, buf + start, (size_t)(nl - (buf + start)));
			skipping = false;
			start = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == cap) { /* no newline in a whole line's worth: malformed */
			if (!skipping) {
				p->lines++;
				p->malformed++;
			}
			skipping = true;
			len = 0;
		}
	}
	if (!err && len && !skipping && !p->truncated)
		err = plot__line(p, buf, len);
	free(buf);
	return err;
}

int plot__buf(struct plot *p, const char *buf, size_t n)
{
	FILE *f;
	int err;

	if (!n)
		return 0;
	f = fmemopen((void *)buf, n, "r");
	if (!f)
		return -errno;
	err = plot__read(p, f);
	fclose(f);
	return err;
}

static void plot_usage(FILE *f)
{
	fputs("Usage: hooksnoop plot [-o FILE] RECORDS...\n"
	      "\n"
	      "Draw an SVG timeline of the JSON Lines records a trace wrote with -j (files,\n"
	      "or - for stdin): a row per container, a bar per hook coloured by how it\n"
	      "ended, labelled with stage[index] and duration, the container process as a\n"
	      "thin bar, and a time axis in milliseconds.\n"
	      "\n"
	      "  -o, --output FILE   write the SVG to FILE instead of stdout\n"
	      "  -h, --help          show this help\n"
	      "\n"
	      "Example:\n"
	      "  hooksnoop -j -o run.jsonl -- runc run -b bundle c1\n"
	      "  hooksnoop plot -o run.svg run.jsonl\n",
	      f);
}

/* A file name for a message, escaped in sb like every string that reaches a terminal. */
static const char *shown(struct sbuf *sb, const char *name)
{
	sbuf_init(sb);
	esc_text(sb, name, strlen(name));
	return sb->oom ? "?" : sbuf_str(sb);
}

/* Write the document to FILE.tmp and rename it, or to stdout. 0 or -1 (said). */
static int write_out(const char *path, const struct sbuf *doc)
{
	char *tmp = NULL;
	FILE *f = stdout;
	struct sbuf sb;
	int err = 0;

	if (path) {
		if (asprintf(&tmp, "%s.tmp", path) < 0) {
			hs_err("out of memory");
			return -1;
		}
		f = fopen(tmp, "we");
		if (!f) {
			err = errno;
			hs_err("plot: cannot write %s: %s", shown(&sb, tmp), strerror(err));
			sbuf_free(&sb);
			free(tmp);
			return -1;
		}
	}
	if (fwrite(doc->buf, 1, doc->len, f) != doc->len || fflush(f))
		err = errno ? errno : EIO;
	if (path) {
		if (fclose(f) && !err)
			err = errno;
		if (!err && rename(tmp, path))
			err = errno;
		if (err)
			unlink(tmp);
	}
	if (err) {
		hs_err("plot: cannot write %s: %s", path ? shown(&sb, path) : "to stdout",
		       strerror(err));
		if (path)
			sbuf_free(&sb);
	}
	free(tmp);
	return err ? -1 : 0;
}

static int read_input(struct plot *p, const char *name)
{
	bool in = !strcmp(name, "-");
	FILE *f = in ? stdin : fopen(name, "re");
	struct sbuf sb;
	int err;

	if (!f) {
		err = errno;
		hs_err("plot: cannot read %s: %s", shown(&sb, name), strerror(err));
		sbuf_free(&sb);
		return -1;
	}
	errno = 0;
	err = plot__read(p, f);
	if (err == -EIO) {
		int e = errno ? errno : EIO;	/* before shown() allocates */

		hs_err("plot: cannot read %s: %s", in ? "stdin" : shown(&sb, name), strerror(e));
	}
	else if (err) {
		hs_err("plot: out of memory reading %s", in ? "stdin" : shown(&sb, name));
	}
	if (err && !in)
		sbuf_free(&sb);
	if (!in)
		fclose(f);
	return err ? -1 : 0;
}

int plot_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	const char *out = NULL;
	struct plot p;
	struct sbuf doc;
	int c, i, rc = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			plot_usage(stdout);
			return 0;
		case ':':
			hs_err("plot: option '%s' needs a value (see hooksnoop plot --help)",
			       argv[optind - 1]);
			return 2;
		default:
			hs_err("plot: unknown option '%.64s' (see hooksnoop plot --help)",
			       argv[optind - 1]);
			return 2;
		}
	}
	if (optind == argc) {
		hs_err("plot: no records given: hooksnoop plot [-o FILE] RECORDS... (JSON Lines "
		       "from hooksnoop -j, or - for stdin)");
		return 2;
	}
	plot__init(&p);
	for (i = optind; i < argc; i++) {
		if (read_input(&p, argv[i])) {
			plot__free(&p);
			return 2;
		}
	}
	if (p.truncated)
		hs_warn("plot: input beyond %u MiB ignored", PLOT_MAX_INPUT >> 20);
	if (p.malformed)
		hs_warn("plot: %llu malformed lines skipped (not hooksnoop -j records)",
			p.malformed);
	if (p.over_limit)
		hs_warn("plot: %llu records beyond the plot's limits (%u containers, %u hooks) "
			"skipped",
			p.over_limit, PLOT_MAX_ROWS, PLOT_MAX_HOOKS);
	if (!p.nrows) {
		hs_err("plot: no hook or container records in the input (%llu lines): give JSON "
		       "Lines written by hooksnoop -j",
		       p.lines);
		plot__free(&p);
		return 2;
	}
	sbuf_init(&doc);
	if (plot_svg(&p, &doc) || doc.oom) {
		hs_err("plot: out of memory drawing %zu containers", p.nrows);
		rc = 1;
	} else if (write_out(out, &doc)) {
		rc = 1;
	}
	sbuf_free(&doc);
	plot__free(&p);
	return rc;
}
