// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Calibration for the in-kernel cost benchmarks: empty programs on the same
 * attach points as hooksnoop's (sched_process_exec / _fork / _exit as tp_btf,
 * syscalls:sys_exit_execve(at) as classic tracepoints). What bpf_stats
 * accounts for them is the floor any program there pays (dispatch plus the
 * stats clock reads), so "hooksnoop - floor" is the cost of hooksnoop's own
 * filtering.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(floor_exec)
{
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(floor_fork)
{
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(floor_exit)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int floor_execve_exit(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int floor_execveat_exit(void *ctx)
{
	return 0;
}
