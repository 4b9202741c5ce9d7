// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rtexe.c: is a runtime root's executable that runtime's binary? (rtexe.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <uthash.h>

#include "rtexe.h"

#define RTEXE_READ_MAX (96u << 20) /* podman is ~33 MB, runsc ~24 MB */
#define RTEXE_CACHE_MAX 256

struct rtexe_key {
	dev_t dev;
	ino_t ino;
	off_t size;
	time_t mtime;
	long mtime_ns;
	int kind;
};

struct rtexe_cache {
	struct rtexe_key key;
	enum rtexe_verdict v;
	UT_hash_handle hh;
};

/* Strings each project's binaries carry (checked against Debian's builds). */
const char *rtexe_mark(enum rt_kind kind)
{
	switch (kind) {
	case RT_RUNC:
		return "github.com/opencontainers/runc/libcontainer";
	case RT_CRUN:
	case RT_KRUN:
		return "libcrun";
	case RT_RUNSC:
		return "gvisor.dev/gvisor/";
	case RT_PODMAN:
		return "github.com/containers/podman/";
	case RT_CONMON:
		return "conmon";
	case RT_SHIM:
		return "github.com/containerd/containerd/";
	default:
		return NULL; /* youki: no binary to check against here */
	}
}

enum rtexe_verdict rtexe_check(struct rtexe_cache **cache, const struct sr_root *root,
			       const char *path, enum rt_kind kind)
{
	const char *mark = rtexe_mark(kind);
	struct rtexe_key k;
	struct rtexe_cache *e;
	struct stat st;
	enum rtexe_verdict v;
	bool found;

	if (!mark || !path || path[0] != '/' || !root || root->fd < 0)
		return RTEXE_UNKNOWN;
	if (sr_stat(root, -1, path, &st) || !S_ISREG(st.st_mode))
		return RTEXE_UNKNOWN;
	memset(&k, 0, sizeof(k));
	k.dev = st.st_dev;
	k.ino = st.st_ino;
	k.size = st.st_size;
	k.mtime = st.st_mtim.tv_sec;
	k.mtime_ns = st.st_mtim.tv_nsec;
	k.kind = kind;
	HASH_FIND(hh, *cache, &k, sizeof(k), e);
	if (e)
		return e->v;
	/* a window at a time: podman's 33 MB never sit in memory at once */
	if (sr_find(root, -1, path, RTEXE_READ_MAX, mark, strlen(mark), &found, NULL))
		return RTEXE_UNKNOWN; /* too large, not readable: said as not known */
	v = found ? RTEXE_YES : RTEXE_NO;
	if (HASH_COUNT(*cache) >= RTEXE_CACHE_MAX)
		rtexe_cache_free(cache);
	e = calloc(1, sizeof(*e));
	if (e) {
		e->key = k;
		e->v = v;
		HASH_ADD(hh, *cache, key, sizeof(e->key), e);
	}
	return v;
}

void rtexe_cache_free(struct rtexe_cache **cache)
{
	struct rtexe_cache *e, *tmp;

	HASH_ITER(hh, *cache, e, tmp) {
		HASH_DEL(*cache, e);
		free(e);
	}
}
