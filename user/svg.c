// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The SVG timeline of `hooksnoop plot`, in the spirit of `systemd-analyze
 * plot`: a legend, a time axis in milliseconds from the first recorded
 * instant, then a block per container (label: container, runtime, run,
 * verdict) with the container process as a thin bar and one lane per hook,
 * its bar coloured by status and labelled with stage[index] and duration;
 * the full command is in each bar's tooltip. One self-contained document
 * (inline style, no scripts, no external references). Every string from the
 * records goes through svg_esc(): text policy of escape.c, then XML.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define W 1200 /* document width, px */
#define MARGIN 16
#define CHART_X MARGIN
#define CHART_W (W - 2 * MARGIN)
#define AXIS_Y 84  /* tick labels sit above this line */
#define HEAD_H 22  /* a container's label line */
#define LANE_H 16  /* one hook */
#define PROC_H 12  /* the container process lane */
#define GAP_H 10   /* between containers */
#define CHAR_W 6.7 /* DejaVu Sans Mono at 11px: width of one character */

static const char *const colours[PLOT_STATUS_MAX] = {
	[PLOT_OK] = "#43a047",
	[PLOT_FAILED] = "#e53935",
	[PLOT_KILLED] = "#8e24aa",
	[PLOT_TIMEOUT] = "#fb8c00",
	[PLOT_EXEC_FAILED] = "#6d4c41",
	[PLOT_UNFINISHED] = "#90a4ae",
};

void svg_esc(struct sbuf *sb, const char *s, size_t n)
{
	struct sbuf t;
	size_t i;

	sbuf_init(&t);
	esc_text(&t, s, n);
	if (t.oom) {
		sb->oom = true;
		sbuf_free(&t);
		return;
	}
	for (i = 0; i < t.len; i++) {
		const unsigned char *c = (const unsigned char *)t.buf + i;

		/*
		 * esc_text() doubles a backslash so that its \xNN stays unambiguous on
		 * a terminal. Records from -j already carry bad bytes as the visible
		 * text \xNN, so doubling again would show \\xNN where the text output
		 * shows \xNN; in a picture the ambiguity is harmless.
		 */
		if (c[0] == '\\' && i + 1 < t.len && c[1] == '\\') {
			sbuf_add(sb, "\\", 1);
			i++;
		} else if (c[0] == '&') {
			sbuf_puts(sb, "&amp;");
		} else if (c[0] == '<') {
			sbuf_puts(sb, "&lt;");
		} else if (c[0] == '>') {
			sbuf_puts(sb, "&gt;");
		} else if (c[0] == '"') {
			sbuf_puts(sb, "&quot;");
		} else if (c[0] == '\'') {
			sbuf_puts(sb, "&apos;");
		} else if (c[0] == 0xef && i + 2 < t.len && c[1] == 0xbf && c[2] >= 0xbe) {
			/* U+FFFE and U+FFFF are valid UTF-8 but not XML characters */
			sbuf_addf(sb, "\\u%04x", 0xffc0 | (c[2] & 0x3f));
			i += 2;
		} else {
			sbuf_add(sb, (const char *)c, 1);
		}
	}
	sbuf_free(&t);
}

static void esc_str(struct sbuf *sb, const char *s)
{
	svg_esc(sb, s, strlen(s));
}

/* Display width in characters (runes) of the escaped form: enough to place a label. */
static size_t text_cols(const char *s)
{
	struct sbuf t;
	size_t i, n = 0;

	sbuf_init(&t);
	esc_text(&t, s, strlen(s));
	for (i = 0; i < t.len; i++)
		if (((unsigned char)t.buf[i] & 0xc0) != 0x80)
			n++;
	sbuf_free(&t);
	return n;
}

static void fmt_dur(char *b, size_t sz, __u64 ns)
{
	if (ns < 1000000)
		snprintf(b, sz, "%lluus", (unsigned long long)(ns / 1000));
	else if (ns < 1000000000)
		snprintf(b, sz, "%.1fms", (double)ns / 1e6);
	else
		snprintf(b, sz, "%.2fs", (double)ns / 1e9);
}

struct frame {
	__u64 t0, t1; /* first and last instant drawn */
};

static double x_of(const struct frame *fr, __u64 t)
{
	if (t < fr->t0)
		t = fr->t0;
	return CHART_X + (double)(t - fr->t0) * CHART_W / (double)(fr->t1 - fr->t0);
}

static void frame_of(const struct plot *p, struct frame *fr)
{
	bool any = false;
	size_t i, k;

	fr->t0 = ~0ull;
	fr->t1 = 0;
	for (i = 0; i < p->nrows; i++) {
		const struct plot_row *r = p->rows[i];

		for (k = 0; k < r->nhooks; k++) {
			const struct plot_hook *h = &r->hooks[k];

			any = true;
			if (h->start_ns < fr->t0)
				fr->t0 = h->start_ns;
			if ((h->ended ? h->end_ns : h->start_ns) > fr->t1)
				fr->t1 = h->ended ? h->end_ns : h->start_ns;
		}
		if (r->proc) {
			any = true;
			if (r->proc_start_ns < fr->t0)
				fr->t0 = r->proc_start_ns;
			if ((r->proc_exited ? r->proc_exit_ns : r->proc_start_ns) > fr->t1)
				fr->t1 = r->proc_exited ? r->proc_exit_ns : r->proc_start_ns;
		}
	}
	if (!any)
		fr->t0 = fr->t1 = 0;
	/* at least a millisecond, and a little room after the last instant */
	if (fr->t1 - fr->t0 < 1000000)
		fr->t1 = fr->t0 + 1000000;
	fr->t1 += (fr->t1 - fr->t0) / 50;
}

/* A step of 1, 2 or 5 times a power of ten nanoseconds giving at most ~12 ticks. */
static __u64 tick_step(__u64 span)
{
	__u64 step = 1000; /* 1 us */

	for (;;) {
		if (span / step <= 12)
			return step;
		if (span / (step * 2) <= 12)
			return step * 2;
		if (span / (step * 5) <= 12)
			return step * 5;
		step *= 10;
	}
}

static void tick_label(char *b, size_t sz, __u64 ns, __u64 step)
{
	int dec = step >= 1000000 ? 0 : step >= 100000 ? 1 : step >= 10000 ? 2 : 3;

	if (!ns)
		dec = 0; /* the origin reads "0 ms" whatever the step */
	snprintf(b, sz, "%.*f ms", dec, (double)ns / 1e6);
}

static void legend(struct sbuf *sb)
{
	double x = MARGIN;
	int i;

	for (i = 0; i < PLOT_STATUS_MAX; i++) {
		sbuf_addf(sb, "<rect class=\"%s\" x=\"%.1f\" y=\"38\" width=\"12\" height=\"10\"/>",
			  plot_status_name(i), x);
		sbuf_addf(sb, "<text x=\"%.1f\" y=\"47\">%s</text>\n", x + 16, plot_status_name(i));
		x += 16 + CHAR_W * (double)strlen(plot_status_name(i)) + 18;
	}
	sbuf_addf(sb, "<rect class=\"proc\" x=\"%.1f\" y=\"41\" width=\"24\" height=\"4\"/>", x);
	sbuf_addf(sb, "<text x=\"%.1f\" y=\"47\">container process</text>\n", x + 28);
}

static void axis(struct sbuf *sb, const struct frame *fr, double bottom)
{
	__u64 span = fr->t1 - fr->t0, step = tick_step(span), t;
	char b[48];

	sbuf_addf(sb, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", CHART_X,
		  AXIS_Y, CHART_X + CHART_W, AXIS_Y);
	for (t = 0; t <= span; t += step) {
		double x = x_of(fr, fr->t0 + t);

		tick_label(b, sizeof(b), t, step);
		sbuf_addf(sb,
			  "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>", x,
			  AXIS_Y, x, bottom);
		sbuf_addf(sb,
			  "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n",
			  x, AXIS_Y - 5, t == 0 ? "start" : "middle", b);
	}
}

/* A label beside its bar: after it, or before it when it would run off the right edge. */
static void bar_label(struct sbuf *sb, double x1, double x2, double y, const char *text)
{
	double w = CHAR_W * (double)text_cols(text);

	if (x2 + 4 + w <= W - MARGIN / 2)
		sbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">", x2 + 4, y);
	else
		sbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x1 - 4, y);
	esc_str(sb, text);
	sbuf_puts(sb, "</text>\n");
}

static void hook_lane(struct sbuf *sb, const struct frame *fr, const struct plot_hook *h, double y)
{
	__u64 end = h->ended ? h->end_ns : fr->t1;
	double x1 = x_of(fr, h->start_ns), x2 = x_of(fr, end);
	char dur[32], label[PLOT_MAX_TEXT + 96];

	if (x2 - x1 < 2)
		x2 = x1 + 2; /* a hook of a few microseconds still shows */
	fmt_dur(dur, sizeof(dur), end - h->start_ns);
	if (h->index >= 0)
		snprintf(label, sizeof(label), "%s[%lld] %s", h->stage, h->index,
			 h->ended ? dur : "unfinished");
	else
		snprintf(label, sizeof(label), "%s[?] %s", h->stage, h->ended ? dur : "unfinished");
	if (h->status != PLOT_OK && h->status != PLOT_UNFINISHED) {
		size_t l = strlen(label);

		snprintf(label + l, sizeof(label) - l, " %s", plot_status_name(h->status));
	}
	sbuf_addf(sb, "<g><title>");
	esc_str(sb, label);
	sbuf_puts(sb, "\n");
	esc_str(sb, h->cmd);
	sbuf_addf(sb, "\nstarted at %.3f ms</title>", (double)(h->start_ns - fr->t0) / 1e6);
	sbuf_addf(sb, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>",
		  plot_status_name(h->status), x1, y + 2, x2 - x1, LANE_H - 4);
	bar_label(sb, x1, x2, y + LANE_H - 4, label);
	sbuf_puts(sb, "</g>\n");
}

static void proc_lane(struct sbuf *sb, const struct frame *fr, const struct plot_row *r, double y)
{
	__u64 end = r->proc_exited ? r->proc_exit_ns : fr->t1;
	double x1 = x_of(fr, r->proc_start_ns), x2 = x_of(fr, end);
	char label[PLOT_MAX_TEXT + 64], dur[32];

	if (x2 - x1 < 2)
		x2 = x1 + 2;
	fmt_dur(dur, sizeof(dur), end - r->proc_start_ns);
	if (r->proc_exited && r->proc_has_code)
		snprintf(label, sizeof(label), "process %s, exit %lld", dur, r->proc_exit_code);
	else
		snprintf(label, sizeof(label), "process %s%s", dur,
			 r->proc_exited ? "" : ", still running");
	sbuf_puts(sb, "<g><title>");
	esc_str(sb, r->proc_cmd ? r->proc_cmd : "");
	sbuf_puts(sb, "</title>");
	sbuf_addf(sb, "<rect class=\"proc\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"4\"/>",
		  x1, y + 4, x2 - x1);
	bar_label(sb, x1, x2, y + PROC_H - 2, label);
	sbuf_puts(sb, "</g>\n");
}

static double row_height(const struct plot_row *r)
{
	return HEAD_H + (r->proc ? PROC_H : 0) + (double)r->nhooks * LANE_H + GAP_H;
}

static void row_block(struct sbuf *sb, const struct frame *fr, const struct plot_row *r, double y)
{
	size_t *ord, i, j;

	sbuf_addf(sb, "<line class=\"sep\" x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", y + 1,
		  W, y + 1);
	sbuf_addf(sb, "<text class=\"row\" x=\"%d\" y=\"%.1f\">", MARGIN, y + 15);
	esc_str(sb, r->container);
	sbuf_puts(sb, " <tspan class=\"rt\">(");
	esc_str(sb, r->runtime);
	sbuf_puts(sb, ")");
	if (r->run >= 0)
		sbuf_addf(sb, " run %lld", r->run);
	if (r->verdict) {
		sbuf_puts(sb, " verdict ");
		esc_str(sb, r->verdict);
	}
	sbuf_puts(sb, "</tspan></text>\n");
	y += HEAD_H;
	if (r->proc) {
		proc_lane(sb, fr, r, y);
		y += PROC_H;
	}
	/* hooks in start order (insertion sort: a container has a handful) */
	ord = calloc(r->nhooks + 1, sizeof(*ord));
	if (!ord) {
		sb->oom = true;
		return;
	}
	for (i = 0; i < r->nhooks; i++) {
		for (j = i; j > 0 && r->hooks[ord[j - 1]].start_ns > r->hooks[i].start_ns; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	for (i = 0; i < r->nhooks; i++)
		hook_lane(sb, fr, &r->hooks[ord[i]], y + (double)i * LANE_H);
	free(ord);
}

static __u64 row_first(const struct plot_row *r)
{
	__u64 t = r->proc ? r->proc_start_ns : ~0ull;
	size_t k;

	for (k = 0; k < r->nhooks; k++)
		if (r->hooks[k].start_ns < t)
			t = r->hooks[k].start_ns;
	return t;
}

int plot_svg(const struct plot *p, struct sbuf *out)
{
	struct frame fr;
	size_t *ord, i, j;
	__u64 *first;
	double h = AXIS_Y + 8, y;

	if (!p->nrows)
		return -EINVAL;
	ord = calloc(p->nrows, sizeof(*ord));
	first = calloc(p->nrows, sizeof(*first));
	if (!ord || !first) {
		free(ord);
		free(first);
		return -ENOMEM;
	}
	/* containers in the order they started (stable: first seen wins a tie) */
	for (i = 0; i < p->nrows; i++) {
		first[i] = row_first(p->rows[i]);
		for (j = i; j > 0 && first[ord[j - 1]] > first[i]; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
		h += row_height(p->rows[i]);
	}
	frame_of(p, &fr);
	h += 24;

	sbuf_addf(
	    out,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
	    "viewBox=\"0 0 %d %.0f\">\n"
	    "<style>\n"
	    "text { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; fill: #222; }\n"
	    "text.title { font-size: 15px; font-weight: bold; }\n"
	    "text.row { font-size: 12px; font-weight: bold; }\n"
	    "tspan.rt { font-weight: normal; fill: #555; }\n"
	    "text.tick { fill: #555; }\n"
	    "line.axis { stroke: #333; }\n"
	    "line.grid { stroke: #ddd; }\n"
	    "line.sep { stroke: #bbb; }\n"
	    "rect.proc { fill: #1e88e5; }\n",
	    W, h, W, h);
	for (i = 0; i < PLOT_STATUS_MAX; i++)
		sbuf_addf(out, "rect.%s { fill: %s; }\n", plot_status_name(i), colours[i]);
	sbuf_puts(out, "rect.unfinished { stroke: #455a64; stroke-dasharray: 3 2; }\n</style>\n");
	sbuf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%.0f\" fill=\"#fff\"/>\n", W,
		  h);
	sbuf_addf(out,
		  "<text class=\"title\" x=\"%d\" y=\"22\">hooksnoop: OCI hooks of %zu "
		  "container%s, %zu hook%s</text>\n",
		  MARGIN, p->nrows, p->nrows == 1 ? "" : "s", p->nhooks, p->nhooks == 1 ? "" : "s");
	legend(out);
	axis(out, &fr, h - 24);
	y = AXIS_Y + 8;
	for (i = 0; i < p->nrows; i++) {
		row_block(out, &fr, p->rows[ord[i]], y);
		y += row_height(p->rows[ord[i]]);
	}
	sbuf_puts(out, "</svg>\n");
	free(ord);
	free(first);
	return out->oom ? -ENOMEM : 0;
}
