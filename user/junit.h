/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --junit FILE: the checks CI mode judged (expect.c hands each one over as
 * a struct expect_case), written as JUnit XML in the Ant/Jenkins layout
 * that CI systems read: <testsuites><testsuite name="hooksnoop" ...> with a
 * <testcase classname="RUNTIME/CONTAINER" name="STAGE" time="SECONDS"> per
 * check, a <failure message="..." type="failed|unknown"> carrying what
 * stderr said. tests/junit.xsd is the schema the output is checked against.
 */
#ifndef HS_JUNIT_H
#define HS_JUNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "escape.h"
#include "expect.h"

struct junit_case {
	char *classname, *name, *message, *detail;
	enum expect_result r;
	double secs;
};

struct junit {
	struct junit_case *v;
	size_t n, cap;
	bool oom; /* a case could not be kept: said when written */
};

void junit_init(struct junit *j);
void junit_free(struct junit *j);
/* An expect_case_fn: keep a copy of c (ctx is the struct junit). */
void junit_add(void *ctx, const struct expect_case *c);

/*
 * The whole document: suite time in seconds, timestamp (local, ISO 8601
 * without zone, as Ant writes it) and hostname as given.
 */
void junit_render(const struct junit *j, double secs, const char *timestamp,
		  const char *hostname, struct sbuf *sb);

/*
 * Render and write FILE by rename (FILE.tmp first). started: when the run
 * began (wall clock). 0, or -1 with the reason said on stderr.
 */
int junit_write(const struct junit *j, const char *path, time_t started, double secs);

/*
 * Before tracing starts: can FILE.tmp be created next to FILE? 0, or -1
 * with the reason said on stderr (nothing is left behind).
 */
int junit_probe(const char *path);

/*
 * Text for an XML attribute value or element content: & < > " ' escaped,
 * tab, newline and carriage return as character references in attributes;
 * the bytes XML 1.0 cannot carry at all (other control characters, invalid
 * UTF-8) become U+FFFD.
 */
void xml_escape(struct sbuf *sb, const char *s, bool attr);

#endif
