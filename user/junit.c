// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The --junit writer (see junit.h). It judges nothing: each case is a check
 * expect.c already judged and explained on stderr, copied as it was handed
 * over; this file only lays them out as JUnit XML and writes the file whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "junit.h"
#include "log.h"
#include "util.h"

void junit_init(struct junit *j)
{
	memset(j, 0, sizeof(*j));
}

static void case_free(struct junit_case *c)
{
	free(c->classname);
	free(c->name);
	free(c->message);
	free(c->detail);
}

void junit_free(struct junit *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		case_free(&j->v[i]);
	free(j->v);
	junit_init(j);
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

void junit_add(void *ctx, const struct expect_case *ec)
{
	struct junit *j = ctx;
	struct junit_case c = { .r = ec->r, .secs = ec->secs };
	bool oom = false;

	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct junit_case *v = realloc(j->v, cap * sizeof(*v));

		if (!v) {
			j->oom = true;
			return;
		}
		j->v = v;
		j->cap = cap;
	}
	/* the run itself (no container seen) is the "hooksnoop" class */
	if (ec->id) {
		if (asprintf(&c.classname, "%s/%s", ec->runtime ? ec->runtime : "unknown",
			     ec->id) < 0) {
			c.classname = NULL;
			oom = true;
		}
	} else {
		c.classname = dup_or_null("hooksnoop", &oom);
	}
	/* --repeat: each run's checks are cases of their own, not one name N times */
	if (ec->run >= 0 && ec->name) {
		if (asprintf(&c.name, "%s (run %d)", ec->name, ec->run) < 0) {
			c.name = NULL;
			oom = true;
		}
	} else {
		c.name = dup_or_null(ec->name, &oom);
	}
	c.message = dup_or_null(ec->message, &oom);
	c.detail = dup_or_null(ec->detail, &oom);
	if (oom) {
		case_free(&c);
		j->oom = true;
		return;
	}
	j->v[j->n++] = c;
}

void xml_escape(struct sbuf *sb, const char *s, bool attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;

	while (i < n) {
		unsigned char c = p[i];

		switch (c) {
		case '&':
			sbuf_puts(sb, "&amp;");
			break;
		case '<':
			sbuf_puts(sb, "&lt;");
			break;
		case '>':
			sbuf_puts(sb, "&gt;");
			break;
		case '"':
			sbuf_puts(sb, attr ? "&quot;" : "\"");
			break;
		case '\'':
			sbuf_puts(sb, attr ? "&apos;" : "'");
			break;
		case '\t':
		case '\n':
		case '\r':
			/* attribute values are normalised: only a reference keeps them */
			if (attr)
				sbuf_addf(sb, "&#%d;", c);
			else
				sbuf_add(sb, (const char *)&p[i], 1);
			break;
		default:
			if (c < 0x20 || c == 0x7f || !(k = utf8_seq_len(&p[i], n - i))) {
				sbuf_puts(sb, "\xef\xbf\xbd");
				break;
			}
			sbuf_add(sb, (const char *)&p[i], k);
			i += k;
			continue;
		}
		i++;
	}
}

static void attr(struct sbuf *sb, const char *key, const char *val)
{
	sbuf_addf(sb, " %s=\"", key);
	xml_escape(sb, val, true);
	sbuf_add(sb, "\"", 1);
}

static void render_case(const struct junit_case *c, struct sbuf *sb)
{
	sbuf_puts(sb, "    <testcase");
	attr(sb, "classname", c->classname);
	attr(sb, "name", c->name);
	sbuf_addf(sb, " time=\"%.6f\"", c->secs);
	if (c->r == EXPECT_PASS) {
		sbuf_puts(sb, "/>\n");
		return;
	}
	sbuf_puts(sb, ">\n      <failure");
	attr(sb, "message", c->message ? c->message : "expectation failed");
	attr(sb, "type", c->r == EXPECT_UNKNOWN ? "unknown" : "failed");
	sbuf_add(sb, ">", 1);
	if (c->detail)
		xml_escape(sb, c->detail, false);
	sbuf_puts(sb, "</failure>\n    </testcase>\n");
}

void junit_render(const struct junit *j, double secs, const char *timestamp,
		  const char *hostname, struct sbuf *sb)
{
	size_t i, failures = 0;

	for (i = 0; i < j->n; i++)
		failures += j->v[i].r != EXPECT_PASS;
	sbuf_puts(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sbuf_addf(sb, "<testsuites name=\"hooksnoop\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		      "time=\"%.6f\">\n",
		  j->n, failures, secs);
	sbuf_addf(sb, "  <testsuite name=\"hooksnoop\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		      "skipped=\"0\" time=\"%.6f\"",
		  j->n, failures, secs);
	attr(sb, "timestamp", timestamp);
	attr(sb, "hostname", hostname);
	sbuf_puts(sb, ">\n");
	for (i = 0; i < j->n; i++)
		render_case(&j->v[i], sb);
	sbuf_puts(sb, "  </testsuite>\n</testsuites>\n");
}

int junit_probe(const char *path)
{
	char *tmp;
	int fd, err = 0;

	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		hs_err("out of memory");
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno != EEXIST)
		err = errno;
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	if (err)
		hs_err("cannot write --junit %s: %s (writing %s first, then renaming)", path,
		       strerror(err), tmp);
	free(tmp);
	return err ? -1 : 0;
}

int junit_write(const struct junit *j, const char *path, time_t started, double secs)
{
	char ts[32] = "1970-01-01T00:00:00", host[256] = "localhost", *tmp = NULL;
	struct sbuf sb;
	struct tm tm;
	int err;

	if (j->oom)
		hs_warn("--junit %s: out of memory, some test cases are missing", path);
	if (localtime_r(&started, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	if (gethostname(host, sizeof(host) - 1))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	sbuf_init(&sb);
	junit_render(j, secs, ts, host, &sb);
	if (sb.oom || asprintf(&tmp, "%s.tmp", path) < 0) {
		hs_err("cannot write --junit %s: out of memory", path);
		sbuf_free(&sb);
		return -1;
	}
	err = write_file_atomic(path, tmp, sb.buf, sb.len, 0644);
	if (err)
		hs_err("cannot write --junit %s: %s (writing %s first, then renaming)", path,
		       strerror(-err), tmp);
	free(tmp);
	sbuf_free(&sb);
	return err ? -1 : 0;
}
