/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A minimal kernel BTF for CO-RE, kept per kernel in a directory root owns
 * (/run/hooksnoop), so that a start need not search the whole kernel BTF
 * once per relocated type (btfcache.c says why and how it is made).
 */
#ifndef HS_BTFCACHE_H
#define HS_BTFCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct btfcache {
	int dirfd;      /* the cache directory, checked; -1: no cache */
	int fd;         /* the cached file, open and checked; -1: none */
	char name[96];  /* its name in the directory */
	char path[32];  /* "/proc/self/fd/N": fd, for libbpf */
};

/*
 * Look for this kernel's and this BPF object's file: true when one is open
 * (c->path names it). vmlinux is the kernel BTF it would be cut from.
 * $HOOKSNOOP_BTF_CACHE names another directory; "off" (or empty) turns the
 * cache off. Says why at -v when there is none; never fails the caller.
 */
bool btfcache__open(struct btfcache *c, const char *vmlinux);
/* The open file did not work (libbpf refused it): unlink and close it. */
void btfcache__drop(struct btfcache *c);
/*
 * No file was used: start cutting one from vmlinux for the object (its ELF
 * bytes) in a detached process (bpftool gen min_core_btf) that renames it in
 * place when whole. Returns at once.
 */
void btfcache__fill(struct btfcache *c, const char *vmlinux, const void *obj, size_t obj_sz);
void btfcache__close(struct btfcache *c);

#endif
