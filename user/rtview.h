/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a runtime process sees: its root (under which every path it names
 * is read), its working directory in that root, and the bundle its command
 * line means. Runtimes are read through /proc while their exec records are
 * handled, after the fact: every reading is tied to the process the record
 * describes (its start time), never to whatever holds its pid now.
 */
#ifndef HS_RTVIEW_H
#define HS_RTVIEW_H

#include <linux/types.h>

#include "hooksnoop.h"
#include "rtargs.h"
#include "saferead.h"

/* Facts about us that readings are compared with, taken once. */
struct rtview {
	__u32 self_mntns;		/* ours: a runtime in it sees the files we see */
	__u32 host_mntns;		/* the host's (our outermost readable ancestor's):
					 * a runtime in another one is nested. Not ours
					 * when we run sandboxed (systemd unit, container) */
	struct sr_root host_root;	/* that ancestor's root when its namespace is not
					 * ours (fd -1 otherwise) */
	__s64 boot_off_ns;		/* CLOCK_BOOTTIME - CLOCK_MONOTONIC: /proc start times */
	unsigned long long ns_per_tick;	/* of /proc's clock ticks (USER_HZ) */
};

void rtview_init(struct rtview *v);
void rtview_fini(struct rtview *v);
/* CLOCK_BOOTTIME - CLOCK_MONOTONIC now: what a host's suspensions put between them. */
__s64 rtview_boot_off_ns(void);

/*
 * The root of the process exec record h describes, in *root (fd -1 when
 * it cannot be had): /proc/PID/root when PID still is that process (its
 * start time, read through the same /proc/PID handle, matches the
 * record's); our own root when that process is gone or replaced but ran in
 * our mount namespace, where it saw what we see; the host's root (held
 * since start) when it ran in the host's and we run sandboxed. 0, or why
 * /proc/PID/root could not be had (-EACCES: no ptrace access; -ESRCH).
 */
int rtview_root(struct sr_root *root, const struct hs_hdr *h, const struct rtview *v);

/*
 * The bundle directory of create/run/restore command line ri, as the
 * runtime (pid, whose root is `root`) names it: --bundle made absolute
 * against its working directory in its root, or that directory. NULL with
 * *err as rt_resolve_bundle() (-ENOENT: the working directory was needed
 * and could not be read).
 */
char *rtview_bundle(const struct sr_root *root, __u32 pid, const struct rt_invocation *ri,
		    int *err);

#endif
