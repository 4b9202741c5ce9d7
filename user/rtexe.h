// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Is a runtime root's executable the runtime it is named after? Anyone can
 * start a binary named runc; a real one carries its project's marks (Go
 * module paths, crun's "libcrun"). The file is searched through saferead
 * (sr_find: a 1 MiB window, stopping at the mark) under the runtime's root,
 * once per (device, inode, size, mtime, kind).
 */
#ifndef HOOKSNOOP_RTEXE_H
#define HOOKSNOOP_RTEXE_H

#include "rtdetect.h"
#include "saferead.h"

enum rtexe_verdict {
	RTEXE_UNKNOWN = -1, /* no signature for this kind, a relative path, unreadable */
	RTEXE_NO = 0,	    /* read whole: not that runtime's binary */
	RTEXE_YES = 1,
};

struct rtexe_cache;

/* path (absolute, in root) exec'd as a runtime of kind: is it one? */
enum rtexe_verdict rtexe_check(struct rtexe_cache **cache, const struct sr_root *root,
			       const char *path, enum rt_kind kind);
/* The mark looked for in kind's binary, NULL when there is none. */
const char *rtexe_mark(enum rt_kind kind);
void rtexe_cache_free(struct rtexe_cache **cache);

#endif
