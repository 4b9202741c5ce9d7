/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the kernel side needs to know per architecture, chosen by the
 * compiler's __TARGET_ARCH_* (the Makefile's ARCH): the execve/execveat
 * numbers, from the target's own uapi <asm/unistd.h> (the Makefile puts that
 * architecture's include directory on the BPF compile's path), and where the
 * syscall number sits in pt_regs. Syscall arguments come from libbpf's
 * PT_REGS_PARMn_CORE_SYSCALL, which knows each architecture's registers.
 */
#ifndef HS_ARCH_H
#define HS_ARCH_H

#include <asm/unistd.h>

#if defined(__TARGET_ARCH_x86)
/* a direct load: hs_exec_failed runs at every system call's exit while attached */
#define HS_SYSCALL_NR(regs) ((regs)->orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define HS_SYSCALL_NR(regs) ((regs)->syscallno)
#else
#error "hooksnoop's BPF side supports ARCH=x86 and ARCH=arm64"
#endif

#if !defined(__NR_execve) || !defined(__NR_execveat)
#error "the target's <asm/unistd.h> did not define __NR_execve/__NR_execveat"
#endif

#endif
