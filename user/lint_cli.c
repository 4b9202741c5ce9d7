// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop lint [--json] PATH...`: option parsing, the compiler-style text
 * output and SPEC's JSON Lines records (finding, lint_summary) for the lint
 * library, and the exit status contract (0 clean, 1 errors, 2 usage or
 * unreadable input). Every byte of a file name or message goes through the
 * escapers; each record is written with a single fwrite so lines stay whole.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "lint.h"

static void lint_usage(FILE *f)
{
	fputs("Usage: hooksnoop lint [--json] PATH...\n"
	      "\n"
	      "Statically check OCI hook configuration: config.json files, bundle\n"
	      "directories (their config.json; startContainer paths are checked in the\n"
	      "rootfs) and podman/CRI-O hooks.d files or directories. Each finding says\n"
	      "what runc, crun/youki and podman do with the mistake.\n"
	      "\n"
	      "  -j, --json   JSON Lines: one \"finding\" record each, then \"lint_summary\"\n"
	      "  -h, --help   show this help\n"
	      "\n"
	      "Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable input.\n"
	      "\n"
	      "EXAMPLES:\n"
	      "  hooksnoop lint /path/to/bundle\n"
	      "  hooksnoop lint --json /etc/containers/oci/hooks.d\n", f);
}

static void print_finding(struct sbuf *sb, const struct lint_finding *f, bool json)
{
	sbuf_reset(sb);
	if (json) {
		sbuf_puts(sb, "{\"type\":\"finding\",\"file\":");
		esc_json(sb, f->file, strlen(f->file));
		sbuf_addf(sb, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"code\":\"%s\","
			  "\"message\":", f->line, f->col, lint_severity_name(f->severity), f->code);
		esc_json(sb, f->message, strlen(f->message));
		sbuf_puts(sb, "}\n");
	} else {
		esc_text(sb, f->file, strlen(f->file));
		sbuf_addf(sb, ":%u:%u: %s: ", f->line, f->col, lint_severity_name(f->severity));
		/* messages are built printable (untrusted parts escaped already) */
		sbuf_puts(sb, f->message);
		sbuf_addf(sb, " [%s]\n", f->code);
	}
	fwrite(sbuf_str(sb), 1, sb->len, stdout);
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
	sbuf_init(&sb);
	for (size_t i = 0; i < res.n; i++)
		print_finding(&sb, &res.v[i], json);
	sbuf_reset(&sb);
	if (json)
		sbuf_addf(&sb, "{\"type\":\"lint_summary\",\"files\":%zu,\"errors\":%zu,"
			  "\"warnings\":%zu}\n", res.files, res.errors, res.warnings);
	else
		sbuf_addf(&sb, "%zu file%s checked: %zu error%s, %zu warning%s, %zu info\n",
			  res.files, res.files == 1 ? "" : "s", res.errors,
			  res.errors == 1 ? "" : "s", res.warnings, res.warnings == 1 ? "" : "s",
			  res.infos);
	fwrite(sbuf_str(&sb), 1, sb.len, stdout);
	sbuf_free(&sb);
	rc = res.errors ? 1 : 0;
	lint_result_free(&res);
	if (fflush(stdout))
		return 2;
	return rc;
}
