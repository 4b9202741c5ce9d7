// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop lint [--json] PATH...`: option parsing, the compiler-style text
 * output and SPEC's JSON Lines records (finding, lint_summary, built with the
 * JSON writer) for the lint library, and the exit status contract (0 clean,
 * 1 errors, 2 usage, unreadable input or a record that could not be built).
 * Every byte of a file name or message goes through the escapers; each record
 * is written with a single fwrite so lines stay whole.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "jsonw.h"
#include "lint.h"

static void lint_usage(FILE *f)
{
	fputs("Usage: hooksnoop lint [--json] PATH...\n"
	      "\n"
	      "Statically check OCI hook configuration: config.json files, bundle\n"
	      "directories (their config.json; startContainer paths are checked in the\n"
	      "rootfs), podman/CRI-O hooks.d files or directories, and CDI spec files\n"
	      "(YAML or JSON, e.g. /etc/cdi, /var/run/cdi: cdiVersion, kind, devices, each\n"
	      "hook's name, path and args, hooks that share a path). Each finding says what\n"
	      "runc, crun/youki, runsc and podman do with the mistake.\n"
	      "\n"
	      "  -j, --json   JSON Lines: one \"finding\" record each, then \"lint_summary\"\n"
	      "  -h, --help   show this help\n"
	      "\n"
	      "Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable input.\n"
	      "\n"
	      "EXAMPLES:\n"
	      "  hooksnoop lint /path/to/bundle\n"
	      "  hooksnoop lint --json /etc/containers/oci/hooks.d\n"
	      "  hooksnoop lint /etc/cdi /var/run/cdi\n", f);
}

static void finding_json(struct sbuf *sb, struct jw *w, const struct lint_finding *f)
{
	jw_init(w, sb);
	jw_obj_open(w);
	jw_kstr(w, "type", "finding");
	jw_kstr(w, "file", f->file);
	jw_ku64(w, "line", f->line);
	jw_ku64(w, "column", f->col);
	jw_kstr(w, "severity", lint_severity_name(f->severity));
	jw_kstr(w, "code", f->code);
	jw_kstr(w, "message", f->message);
	jw_obj_close(w);
}

static void finding_text(struct sbuf *sb, const struct lint_finding *f)
{
	esc_text(sb, f->file, strlen(f->file));
	sbuf_addf(sb, ":%u:%u: %s: ", f->line, f->col, lint_severity_name(f->severity));
	/* messages are built printable (untrusted parts escaped already) */
	sbuf_puts(sb, f->message);
	sbuf_addf(sb, " [%s]", f->code);
}

static void summary_json(struct sbuf *sb, struct jw *w, const struct lint_result *res)
{
	jw_init(w, sb);
	jw_obj_open(w);
	jw_kstr(w, "type", "lint_summary");
	jw_ku64(w, "files", res->files);
	jw_ku64(w, "errors", res->errors);
	jw_ku64(w, "warnings", res->warnings);
	jw_obj_close(w);
}

static void summary_text(struct sbuf *sb, const struct lint_result *res)
{
	sbuf_addf(sb, "%zu file%s checked: %zu error%s, %zu warning%s, %zu info", res->files,
		  res->files == 1 ? "" : "s", res->errors, res->errors == 1 ? "" : "s",
		  res->warnings, res->warnings == 1 ? "" : "s", res->infos);
}

/*
 * One line, one fwrite, and only whole: a truncated record (out of memory) or a
 * malformed one would mislead whoever reads the output, so it is an error instead.
 */
static int put_line(struct sbuf *sb, const struct jw *w)
{
	if (w && (w->broken || w->depth))
		return -EINVAL;
	sbuf_add(sb, "\n", 1);
	if (sb->oom)
		return -ENOMEM;
	fwrite(sbuf_str(sb), 1, sb->len, stdout);
	return 0;
}

static int print_records(const struct lint_result *res, bool json)
{
	struct sbuf sb;
	struct jw w;
	int err = 0;

	sbuf_init(&sb);
	for (size_t i = 0; i < res->n && !err; i++) {
		sbuf_reset(&sb);
		if (json)
			finding_json(&sb, &w, &res->v[i]);
		else
			finding_text(&sb, &res->v[i]);
		err = put_line(&sb, json ? &w : NULL);
	}
	if (!err) {
		sbuf_reset(&sb);
		if (json)
			summary_json(&sb, &w, res);
		else
			summary_text(&sb, res);
		err = put_line(&sb, json ? &w : NULL);
	}
	sbuf_free(&sb);
	return err;
}

int lint_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct lint_result res = { 0 };
	struct sbuf sb;
	bool json = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			lint_usage(stdout);
			return 0;
		default:
			sbuf_init(&sb);
			esc_text(&sb, argv[optind - 1], strlen(argv[optind - 1]));
			fprintf(stderr, "hooksnoop lint: unknown option '%s' (see hooksnoop lint --help)\n",
				sbuf_str(&sb));
			sbuf_free(&sb);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "hooksnoop lint: no PATH given: name a config.json, a bundle "
				"directory or a hooks.d file/directory (see hooksnoop lint --help)\n");
		return 2;
	}
	/* check every input before printing anything: unreadable input means no output */
	for (int i = optind; i < argc; i++) {
		int err = lint_path(argv[i], &res);

		if (err) {
			sbuf_init(&sb);
			esc_text(&sb, argv[i], strlen(argv[i]));
			if (err == -ENOMEM)
				fprintf(stderr, "hooksnoop lint: out of memory\n");
			else
				fprintf(stderr, "hooksnoop lint: cannot read %s: %s\n", sbuf_str(&sb),
					strerror(-err));
			sbuf_free(&sb);
			lint_result_free(&res);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = print_records(&res, json);
	if (rc) {
		fprintf(stderr, "hooksnoop lint: %s\n",
			rc == -ENOMEM ? "out of memory" : "internal error: malformed JSON record");
		lint_result_free(&res);
		return 2;
	}
	rc = res.errors ? 1 : 0;
	lint_result_free(&res);
	if (fflush(stdout))
		return 2;
	return rc;
}
