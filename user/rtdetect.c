// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime recognition: one table of the programs hooksnoop knows, by name,
 * with their kind, whether they are followed by default, and the comm names
 * they give themselves. rt_kind_from_name(), rt_detect(), the default comm
 * names that opts.c hands to BPF and the comm rule that loader.c seeds with
 * all read this table, so a runtime added here is recognised the same way
 * everywhere. Also the re-exec paths, which name no program at all.
 */
#include <string.h>

#include "rtdetect.h"

enum rt_match {
	RT_MATCH_EXACT,   /* the basename is the name */
	RT_MATCH_HANDLER, /* the name and at least one more byte: crun-HANDLER */
	RT_MATCH_PREFIX,  /* anything that starts with the name */
};

struct rt_name {
	const char *name;
	enum rt_kind kind;
	enum rt_match match;
	bool follow;         /* followed by default: name is a comm handed to BPF */
	const char *renames; /* prefix of the comms the program sets on itself (prctl) */
};

/* Followed names keep today's order: it is the order -v lists them in. */
static const struct rt_name names[] = {
	{ "crun", RT_CRUN, RT_MATCH_EXACT, true, NULL },
	/* crun picks a handler from "crun-HANDLER" (fill_handler_from_argv0). */
	{ "crun-", RT_CRUN, RT_MATCH_HANDLER, false, NULL },
	/* runc renames its re-exec'd init stages runc:[0:PARENT], runc:[1:CHILD], runc:[2:INIT]. */
	{ "runc", RT_RUNC, RT_MATCH_EXACT, true, "runc:[" },
	{ "youki", RT_YOUKI, RT_MATCH_EXACT, true, NULL },
	{ "runsc", RT_RUNSC, RT_MATCH_EXACT, true, NULL },
	{ "runsc-gofer", RT_RUNSC, RT_MATCH_EXACT, false, NULL },
	{ "runsc-sandbox", RT_RUNSC, RT_MATCH_EXACT, false, NULL },
	{ "krun", RT_KRUN, RT_MATCH_EXACT, true, NULL },
	{ "podman", RT_PODMAN, RT_MATCH_EXACT, true, NULL },
	{ "conmon", RT_CONMON, RT_MATCH_EXACT, false, NULL },
	/* "containerd-shim-runc-v2" is cut to the 15-byte comm "containerd-shim". */
	{ "containerd-shim", RT_SHIM, RT_MATCH_PREFIX, false, NULL },
};

#define N_NAMES (sizeof(names) / sizeof(names[0]))

static const char *const kind_names[] = {
	[RT_UNKNOWN] = "unknown", [RT_CRUN] = "crun",     [RT_RUNC] = "runc",
	[RT_YOUKI] = "youki",     [RT_RUNSC] = "runsc",   [RT_KRUN] = "krun",
	[RT_PODMAN] = "podman",   [RT_CONMON] = "conmon", [RT_SHIM] = "containerd-shim",
};

const char *rt_kind_name(enum rt_kind kind)
{
	if ((unsigned int)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool name_matches(const struct rt_name *n, const char *b)
{
	if (n->renames && has_prefix(b, n->renames))
		return true;
	switch (n->match) {
	case RT_MATCH_EXACT:
		return !strcmp(b, n->name);
	case RT_MATCH_HANDLER:
		return has_prefix(b, n->name) && b[strlen(n->name)];
	case RT_MATCH_PREFIX:
		return has_prefix(b, n->name);
	}
	return false;
}

enum rt_kind rt_kind_from_name(const char *name)
{
	const char *b;
	size_t i;

	if (!name)
		return RT_UNKNOWN;
	b = strrchr(name, '/');
	b = b ? b + 1 : name;
	for (i = 0; i < N_NAMES; i++)
		if (name_matches(&names[i], b))
			return names[i].kind;
	return RT_UNKNOWN;
}

bool rt_is_reexec_path(const char *f)
{
	const char *p;

	if (!f)
		return false;
	if (has_prefix(f, "memfd:"))
		return true;
	if (has_prefix(f, "/dev/fd/"))
		return all_digits(f + 8);
	if (!has_prefix(f, "/proc/"))
		return false;
	p = f + 6;
	if (has_prefix(p, "self/")) {
		p += 5;
	} else if (has_prefix(p, "thread-self/")) {
		p += 12;
	} else {
		const char *slash = strchr(p, '/');
		char num[24];

		if (!slash || slash == p || (size_t)(slash - p) >= sizeof(num))
			return false;
		memcpy(num, p, slash - p);
		num[slash - p] = '\0';
		if (!all_digits(num))
			return false;
		p = slash + 1;
	}
	if (!strcmp(p, "exe"))
		return true;
	return has_prefix(p, "fd/") && all_digits(p + 3);
}

enum rt_kind rt_detect(const char *filename, const char *argv0, const char *comm)
{
	enum rt_kind k;

	if (filename && *filename && !rt_is_reexec_path(filename))
		return rt_kind_from_name(filename);
	k = rt_kind_from_name(argv0);
	if (k != RT_UNKNOWN)
		return k;
	return rt_kind_from_name(comm);
}

size_t rt_default_comms(const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < N_NAMES; i++) {
		if (!names[i].follow)
			continue;
		if (n < max)
			out[n] = names[i].name;
		n++;
	}
	return n;
}

bool rt_comm_matches(const char *name, const char *comm)
{
	size_t i;

	if (!name || !comm)
		return false;
	if (!strcmp(name, comm))
		return true;
	for (i = 0; i < N_NAMES; i++)
		if (names[i].renames && !strcmp(names[i].name, name) &&
		    has_prefix(comm, names[i].renames))
			return true;
	return false;
}
