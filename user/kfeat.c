// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Owns the kernel feature probe: which of the features the BPF side needs
 * the running kernel lacks, and the one line that says so with the first
 * Linux version that has each. libbpf's own probes answer for map types and
 * helpers (libbpf_probe_bpf_map_type / _helper). Two need the kernel's BTF
 * parsed (~7 ms, a tenth of startup): tp_btf programs, probed by loading an
 * empty one on sched_process_exec (libbpf 1.1's prog-type probe cannot: it
 * gives a tracing program no attach target), and the raw sys_exit
 * tracepoint, probed by its BTF type. The loader runs the cheap probes
 * before every load and these two only when loading fails, to explain it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kfeat.h"

#define KV(a, b) ((a) * 256 + (b))

static const struct {
	const char *what;
	unsigned int since; /* first Linux version with it */
} feats[KF_MAX] = {
	[KF_BTF] = { "kernel BTF", KV(5, 4) },
	[KF_TP_BTF] = { "tp_btf programs", KV(5, 5) },
	[KF_RINGBUF] = { "the BPF ring buffer", KV(5, 8) },
	[KF_TASK_STORAGE] = { "task storage in tracing programs", KV(5, 13) },
	[KF_TASK_PT_REGS] = { "the bpf_task_pt_regs helper", KV(5, 15) },
	[KF_BPF_LOOP] = { "the bpf_loop helper", KV(5, 17) },
	[KF_SYS_EXIT_TP] = { "syscall tracepoints (CONFIG_FTRACE_SYSCALLS)", KV(2, 6) },
};

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

const char *kfeat__btf_path(void)
{
	const char *p = getenv("HOOKSNOOP_BTF");

	return p && *p ? p : KERNEL_BTF;
}

bool kfeat__btf_is_kernels(const char *path)
{
	return !strcmp(path, KERNEL_BTF);
}

unsigned int kfeat__floor(void)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < KF_MAX; i++)
		if (feats[i].since > v)
			v = feats[i].since;
	return v;
}

static void set(struct kfeat_result *r, enum kfeat f, int probe)
{
	r->probed[f] = true;
	r->missing[f] = probe <= 0;
}

void kfeat__probe_cheap(const char *btf_path, struct kfeat_result *r)
{
	memset(r, 0, sizeof(*r));
	r->btf_path = btf_path;
	set(r, KF_BTF, access(btf_path, R_OK) == 0);
	set(r, KF_RINGBUF, libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL));
	/* the map, and its helper offered to tracing programs (raw_tp's set is tp_btf's base) */
	set(r, KF_TASK_STORAGE,
	    libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) > 0 &&
		    libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_task_storage_get,
					    NULL) > 0);
	set(r, KF_TASK_PT_REGS,
	    libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_task_pt_regs, NULL));
	set(r, KF_BPF_LOOP, libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_loop,
						    NULL));
}

/* An empty tp_btf program on the tracepoint whose BTF type is btf_id: does it load? */
static int probe_tp_btf(int btf_id)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_RAW_TP,
		    .attach_btf_id = (__u32)btf_id);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns, 2, &o);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

void kfeat__probe_btf(const char *btf_path, struct kfeat_result *r)
{
	struct btf *btf;
	int id;

	if (r->missing[KF_BTF])
		return; /* unprobeable: the BTF line says it all */
	btf = btf__parse(btf_path, NULL);
	if (!btf) {
		set(r, KF_BTF, 0);
		return;
	}
	id = btf__find_by_name_kind(btf, "btf_trace_sched_process_exec", BTF_KIND_TYPEDEF);
	set(r, KF_TP_BTF, id > 0 && probe_tp_btf(id));
	id = btf__find_by_name_kind(btf, "btf_trace_sys_exit", BTF_KIND_TYPEDEF);
	set(r, KF_SYS_EXIT_TP, id > 0);
	btf__free(btf);
}

int kfeat__describe(const struct kfeat_result *r, const char *release, char *buf, size_t size)
{
	unsigned int floor = kfeat__floor();
	size_t off = 0;
	int i, n = 0;

	if (size)
		buf[0] = '\0';
#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (off < size)                                                                    \
			off += (size_t)snprintf(buf + off, size - off, __VA_ARGS__);               \
	} while (0)
	for (i = 0; i < KF_MAX; i++) {
		if (!r->missing[i])
			continue;
		if (!n)
			PUT("this kernel (%s) lacks ", release && *release ? release : "unknown");
		else
			PUT(", ");
		if (i == KF_BTF && r->btf_path)
			PUT("%s at %s (Linux %u.%u)", feats[i].what, r->btf_path,
			    feats[i].since / 256, feats[i].since % 256);
		else if (feats[i].since > KV(5, 0))
			PUT("%s (Linux %u.%u)", feats[i].what, feats[i].since / 256,
			    feats[i].since % 256);
		else
			PUT("%s", feats[i].what);
		n++;
	}
	if (n)
		PUT(": hooksnoop needs Linux %u.%u or later built with CONFIG_DEBUG_INFO_BTF=y "
		    "(tested on 6.1 and 6.18)",
		    floor / 256, floor % 256);
#undef PUT
	return n;
}
