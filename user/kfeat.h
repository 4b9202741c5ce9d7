/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the running kernel offers hooksnoop, probed before the BPF object is
 * loaded, so that an old or stripped kernel gets one line naming what it
 * lacks and the Linux version that first has it, instead of a verifier log.
 */
#ifndef HS_KFEAT_H
#define HS_KFEAT_H

#include <stdbool.h>
#include <stddef.h>

/* Everything the BPF side needs, in the order the message names them. */
enum kfeat {
	KF_BTF,          /* kernel BTF (CONFIG_DEBUG_INFO_BTF) at /sys/kernel/btf/vmlinux */
	KF_TP_BTF,       /* tp_btf programs (BTF-typed raw tracepoints) */
	KF_RINGBUF,      /* BPF_MAP_TYPE_RINGBUF */
	KF_TASK_STORAGE, /* BPF_MAP_TYPE_TASK_STORAGE usable from tracing programs */
	KF_TASK_PT_REGS, /* bpf_task_pt_regs() */
	KF_BPF_LOOP,     /* bpf_loop() */
	KF_SYS_EXIT_TP,  /* the raw sys_exit tracepoint (syscall tracepoints) */
	KF_MAX
};

struct kfeat_result {
	const char *btf_path; /* where BTF was looked for */
	bool missing[KF_MAX];
	bool probed[KF_MAX]; /* false: not probed (BTF absent makes tp_btf unprobeable) */
};

/* The kernel BTF hooksnoop reads: /sys/kernel/btf/vmlinux, or $HOOKSNOOP_BTF. */
const char *kfeat__btf_path(void);
/* path is the running kernel's own BTF (not a file a test named). */
bool kfeat__btf_is_kernels(const char *path);

/*
 * The probes that cost little (a map or a two-instruction program each): BTF
 * presence, ring buffer, task storage, bpf_task_pt_regs, bpf_loop. Needs the
 * BPF capabilities; resets r.
 */
void kfeat__probe_cheap(const char *btf_path, struct kfeat_result *r);
/* Those that parse the kernel's BTF (~7 ms): tp_btf, the raw sys_exit tracepoint. */
void kfeat__probe_btf(const char *btf_path, struct kfeat_result *r);

/*
 * One line (no newline, no program name) saying what r lacks, on which kernel
 * release, and the minimum Linux version: "" when nothing is missing.
 * Returns the number of missing features.
 */
int kfeat__describe(const struct kfeat_result *r, const char *release, char *buf, size_t size);

/* The oldest Linux version (major * 256 + minor) that has every feature. */
unsigned int kfeat__floor(void);

#endif
