// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a runtime process sees (see rtview.h): its root handle checked
 * against the exec record, its working directory in that root, its bundle.
 * Nested runtimes (another mount namespace and root) are why every path is
 * taken in the runtime's own view; records handled after the fact are why
 * every reading is tied to the process's start time.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rtview.h"

static __u32 mntns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	return stat(path, &st) ? 0 : (__u32)st.st_ino;
}

static pid_t ppid_of(pid_t pid)
{
	char path[64], buf[1024];
	struct sr_stat ps;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return sr_stat_parse(buf, &ps) ? 0 : ps.ppid;
}

/*
 * The host's mount namespace: that of our outermost ancestor whose
 * namespace we may read (a link in another process's /proc needs ptrace
 * access: CAP_SYS_PTRACE against one that holds more capabilities than we
 * do). Run from a shell that is ours; as a systemd unit, systemd's; in a
 * container with the host's pid namespace, that of the engine's shim or
 * conmon, or the node's init. Not PID 1 alone: an init may be unreadable
 * even to root (a sandbox's supervisor).
 */
static void find_host(struct rtview *v)
{
	pid_t p = getppid(), host = 0;
	__u32 ns;

	v->host_mntns = v->self_mntns;
	for (int depth = 0; p > 0 && depth < 64; depth++) {
		ns = mntns_of(p);
		if (ns) {
			v->host_mntns = ns;
			host = p;
		}
		if (p == 1)
			break;
		p = ppid_of(p);
	}
	/* its root, for runtimes gone from that namespace before we looked */
	if (host && v->host_mntns != v->self_mntns && sr_root_of_pid(&v->host_root, host, 0))
		sr_root_close(&v->host_root);
}

void rtview_init(struct rtview *v)
{
	struct stat st;
	long hz = sysconf(_SC_CLK_TCK);

	v->self_mntns = stat("/proc/self/ns/mnt", &st) ? 0 : (__u32)st.st_ino;
	v->host_root = (struct sr_root)SR_ROOT_INIT;
	find_host(v);
	v->boot_off_ns = rtview_boot_off_ns();
	v->ns_per_tick = 1000000000ull / (unsigned long long)(hz > 0 ? hz : 100);
}

__s64 rtview_boot_off_ns(void)
{
	struct timespec b, m;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	return ((__s64)b.tv_sec - m.tv_sec) * 1000000000ll + (b.tv_nsec - m.tv_nsec);
}

void rtview_fini(struct rtview *v)
{
	sr_root_close(&v->host_root);
}

static char *proc_link(__u32 pid, const char *name)
{
	char path[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, name);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/*
 * The runtime's working directory as the runtime sees it: /proc/PID/cwd
 * names it from our root, so the runtime's own root (/proc/PID/root, seen
 * the same way) is cut off the front. Read only while the pid is still
 * the process whose root we hold; NULL when it is not, or the directory is
 * not inside that root.
 */
static char *read_cwd(const struct sr_root *r, __u32 pid)
{
	char *cwd = proc_link(pid, "cwd"), *root = proc_link(pid, "root"), *in = NULL;
	size_t n = root ? strlen(root) : 0;

	if (!cwd || !root || !r->pid || sr_pid_start((pid_t)pid) != r->start)
		goto out;
	if (!strcmp(root, "/"))
		in = strdup(cwd);
	else if (!strncmp(cwd, root, n) && (cwd[n] == '/' || !cwd[n]))
		in = strdup(cwd[n] ? cwd + n : "/");
out:
	free(cwd);
	free(root);
	return in;
}

int rtview_root(struct sr_root *root, const struct hs_hdr *h, const struct rtview *v)
{
	unsigned long long want;
	int err = sr_root_of_pid(root, (pid_t)h->tgid, 0);

	if (!err) {
		/*
		 * root.start was read through the same /proc/PID handle as the
		 * root. /proc counts from boot in clock ticks, every record
		 * (seeded ones too) in monotonic ns: allow a tick.
		 */
		want = (unsigned long long)(v->boot_off_ns + (__s64)h->start_ns) / v->ns_per_tick;
		if (root->start + 1 >= want && root->start <= want + 1)
			return 0;
		hs_dbg("pid %u started at tick %llu, its exec record says %llu: a reused pid, "
		       "its root is not the runtime's", h->tgid, root->start, want);
		sr_root_close(root);
		err = -ESRCH;
	}
	if (h->mntns == v->self_mntns)
		sr_root_of_path(root, "/");
	else if (h->mntns == v->host_mntns && v->host_root.fd >= 0)
		sr_root_dup(&v->host_root, root);
	if (root->fd >= 0) {
		/*
		 * Gone: its credentials from the exec record, what is known of
		 * them. Its uid reads what that uid owns or anyone may; root reads all.
		 */
		memset(&root->cred, 0, sizeof(root->cred));
		root->cred.known = true;
		root->cred.privileged = h->uid == 0;
		root->cred.fsuid = h->uid;
		root->cred.fsgid = (gid_t)-1;
	}
	return root->fd >= 0 ? 0 : err;
}

/* Does dir hold the configuration file ri names, as the runtime sees it? */
static bool has_config(const struct sr_root *root, const struct rt_invocation *ri,
		       const char *dir)
{
	char path[PATH_MAX];
	const char *f = ri->config_file ?: "config.json";

	if (f[0] == '/')
		snprintf(path, sizeof(path), "%s", f);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, f);
	return !sr_stat(root, -1, path, NULL);
}

/*
 * runc chdir()s into its bundle before it reads config.json, and the exec
 * record is handled after the fact: the cwd read may already be the bundle,
 * and a relative -b resolved against it then names a directory inside the
 * bundle. Of the two readings, take the one whose configuration exists: the
 * cwd itself when it ends with the relative bundle and the other does not.
 */
char *rtview_bundle(const struct sr_root *root, __u32 pid, const struct rt_invocation *ri,
		    int *err)
{
	char *cwd = NULL, *bundle = NULL, *tail = NULL;
	size_t lc, lt;

	/* an absolute --bundle needs no working directory */
	if (!ri->bundle || ri->bundle[0] != '/')
		cwd = read_cwd(root, pid);
	*err = rt_resolve_bundle(ri, cwd, &bundle);
	if (*err || !ri->bundle || ri->bundle[0] == '/' || has_config(root, ri, bundle) ||
	    rt_resolve_bundle(ri, "/", &tail))
		goto out;
	lc = strlen(cwd);
	lt = strlen(tail);
	if (lt > 1 && lc >= lt && !strcmp(cwd + lc - lt, tail) && has_config(root, ri, cwd)) {
		free(bundle);
		bundle = strdup(cwd);
		*err = bundle ? 0 : -ENOMEM;
	}
out:
	free(cwd);
	free(tail);
	return bundle;
}
