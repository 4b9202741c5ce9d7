// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The CO-RE BTF cache. libbpf relocates each type the BPF object names
 * (task_struct, pid, file, ...) by scanning every type of the kernel's BTF
 * for candidates: ~126,000 types, ~0.85 ms a scan, a dozen scans, a third of
 * a start (BENCHMARKS.md). The answer depends only on the kernel and on the
 * object, so the first start on a kernel has `bpftool gen min_core_btf`
 * (BTFGen) cut the kernel BTF down to the types and members the object's
 * relocations touch (~2 KiB), and later starts hand that file to libbpf as
 * btf_custom_path: the same relocations against a few dozen types. libbpf
 * still parses the kernel BTF for the tp_btf attach points and the verifier
 * still checks every access against it.
 *
 * The file's name is a hash of what decides its content: the kernel
 * (release, version, machine, size of its BTF) and the object (HS_BPF_OBJ_ID,
 * a digest taken at build time). Its directory is /run/hooksnoop (emptied at
 * boot), which must be a directory (not a link) that only our euid may write;
 * the file is opened without following links and used only if it is a regular
 * file of ours that nobody else may write, of bounded size. A file libbpf
 * refuses is unlinked and the start goes on against the kernel BTF.
 *
 * Cutting runs in a detached process (double fork, its own session, stdio on
 * /dev/null, nice 10): the tracer never waits for it and may exit first. It
 * writes a temporary name and renames it in place when bpftool succeeded, so
 * a reader sees a whole file or none. Between fork and exec only
 * async-signal-safe calls: the tracer has threads by then.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpfobj_id.h" /* generated: build/bpfobj_id.h, HS_BPF_OBJ_ID */
#include "btfcache.h"
#include "log.h"

#define CACHE_DIR "/run/hooksnoop"
#define CACHE_MAX (8u << 20) /* a whole kernel BTF is ~6 MiB; a cut one ~2 KiB */
#define TMP_STALE_S 60      /* a temporary file older than this lost its writer */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

/* The file's name for this kernel and object, or false when uncertain. */
static bool cache_name(char *buf, size_t size, const char *vmlinux)
{
	struct utsname u;
	struct stat st;
	uint64_t h = 0xcbf29ce484222325ULL;
	long long sz;

	if (uname(&u) || stat(vmlinux, &st))
		return false;
	sz = (long long)st.st_size;
	h = fnv(h, u.release, strlen(u.release) + 1);
	h = fnv(h, u.version, strlen(u.version) + 1);
	h = fnv(h, u.machine, strlen(u.machine) + 1);
	h = fnv(h, &sz, sizeof(sz));
	h = fnv(h, HS_BPF_OBJ_ID, sizeof(HS_BPF_OBJ_ID));
	snprintf(buf, size, "core-%016llx.btf", (unsigned long long)h);
	return true;
}

/* Nobody but us may write it (and it is ours). */
static bool only_ours(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

bool btfcache__open(struct btfcache *c, const char *vmlinux)
{
	const char *dir = getenv("HOOKSNOOP_BTF_CACHE");
	struct stat st;
	int fd;

	c->dirfd = c->fd = -1;
	c->name[0] = c->path[0] = '\0';
	if (dir && (!*dir || !strcmp(dir, "off"))) {
		hs_dbg("CO-RE BTF cache: off");
		return false;
	}
	if (!dir)
		dir = CACHE_DIR;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		hs_dbg("CO-RE BTF cache: none, cannot create %s: %s", dir, strerror(errno));
		return false;
	}
	c->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->dirfd < 0 || fstat(c->dirfd, &st) || !only_ours(&st)) {
		hs_dbg("CO-RE BTF cache: none, %s is %s", dir,
		       c->dirfd < 0 ? "not a directory we can open"
				    : "a directory others may write or not ours");
		btfcache__close(c);
		return false;
	}
	if (!cache_name(c->name, sizeof(c->name), vmlinux)) {
		hs_dbg("CO-RE BTF cache: none, the kernel cannot be named");
		btfcache__close(c);
		return false;
	}
	fd = openat(c->dirfd, c->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP) {
		hs_dbg("CO-RE BTF cache: %s/%s is a symbolic link, not followed", dir, c->name);
		return false;
	}
	if (fd < 0) {
		hs_dbg("CO-RE BTF cache: nothing for this kernel in %s yet (%s)", dir,
		       strerror(errno));
		return false;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !only_ours(&st) || st.st_size <= 0 ||
	    st.st_size > (off_t)CACHE_MAX) {
		hs_dbg("CO-RE BTF cache: %s/%s ignored: not a regular file of ours, others may "
		       "write it, or its size is off",
		       dir, c->name);
		close(fd);
		unlinkat(c->dirfd, c->name, 0);
		return false;
	}
	c->fd = fd;
	snprintf(c->path, sizeof(c->path), "/proc/self/fd/%d", fd);
	hs_dbg("CO-RE BTF cache: relocating against %s/%s", dir, c->name);
	return true;
}

void btfcache__drop(struct btfcache *c)
{
	if (c->fd < 0)
		return;
	hs_dbg("CO-RE BTF cache: %s refused, removed; using the kernel's BTF", c->name);
	close(c->fd);
	c->fd = -1;
	c->path[0] = '\0';
	unlinkat(c->dirfd, c->name, 0);
}

void btfcache__close(struct btfcache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	c->fd = c->dirfd = -1;
}

/*
 * Remove temporary files a cutter left behind (killed, or bpftool failed
 * mid-way). Other builds' files stay: two builds used in turn (a packaged
 * one and a development one) would otherwise cut in turn; each is ~2 KiB
 * and /run is emptied at boot.
 */
static void sweep(struct btfcache *c)
{
	int fd = fcntl(c->dirfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	struct stat st;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, ".core-", 6) ||
		    fstatat(c->dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_mtime + TMP_STALE_S > time(NULL))
			continue;
		unlinkat(c->dirfd, e->d_name, 0);
	}
	closedir(d);
}

static const char *find_bpftool(void)
{
	static const char *const at[] = { "/usr/sbin/bpftool", "/sbin/bpftool",
					  "/usr/local/sbin/bpftool" };
	size_t i;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (!access(at[i], X_OK))
			return at[i];
	return NULL;
}

/* In the detached process: async-signal-safe calls only. */
static void __attribute__((noreturn))
cutter(const char *bpftool, char *const argv[], int memfd, int dirfd, const char *tmp,
       const char *name)
{
	sigset_t all;
	pid_t p;
	int st, a, b, nul;

	/* all three above 9 first, so that no dup2() below lands on another */
	a = fcntl(memfd, F_DUPFD, 10);
	b = fcntl(dirfd, F_DUPFD, 10);
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nul >= 0)
		nul = fcntl(nul, F_DUPFD, 10);
	if (a < 0 || b < 0 || nul < 0 || dup2(a, 3) < 0 || dup2(b, 4) < 0 || dup2(nul, 0) < 0 ||
	    dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
		_exit(1);
	close_range(5, ~0U, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	umask(077);
	setpriority(PRIO_PROCESS, 0, 10);
	p = fork();
	if (p == 0) {
		execv(bpftool, argv);
		_exit(127);
	}
	if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		renameat(4, tmp, 4, name);
	else
		unlinkat(4, tmp, 0);
	_exit(0);
}

void btfcache__fill(struct btfcache *c, const char *vmlinux, const void *obj, size_t obj_sz)
{
	char tmp[128], out[160];
	char *argv[7];
	const char *bpftool;
	const char *b = obj;
	size_t off = 0;
	ssize_t n;
	pid_t pid;
	int memfd, st;

	if (c->dirfd < 0 || c->fd >= 0)
		return;
	bpftool = find_bpftool();
	if (!bpftool) {
		hs_dbg("CO-RE BTF cache: not written, bpftool (gen min_core_btf) not found");
		return;
	}
	sweep(c);
	memfd = memfd_create("hooksnoop.bpf.o", MFD_CLOEXEC);
	if (memfd < 0)
		return;
	while (off < obj_sz) {
		n = write(memfd, b + off, obj_sz - off);
		if (n <= 0) {
			close(memfd);
			return;
		}
		off += (size_t)n;
	}
	snprintf(tmp, sizeof(tmp), ".%s.%d.tmp", c->name, (int)getpid());
	/* the detached process has the directory on fd 4, the object on fd 3 */
	snprintf(out, sizeof(out), "/proc/self/fd/4/%s", tmp);
	argv[0] = (char *)"bpftool";
	argv[1] = (char *)"gen";
	argv[2] = (char *)"min_core_btf";
	argv[3] = (char *)vmlinux;
	argv[4] = out;
	argv[5] = (char *)"/proc/self/fd/3";
	argv[6] = NULL;
	pid = fork();
	if (pid == 0) {
		pid_t d;

		setsid();
		d = fork();
		if (d == 0)
			cutter(bpftool, argv, memfd, c->dirfd, tmp, c->name);
		_exit(d < 0);
	}
	close(memfd);
	if (pid < 0) {
		hs_dbg("CO-RE BTF cache: not written, fork: %s", strerror(errno));
		return;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	hs_dbg("CO-RE BTF cache: cutting %s for the next start (%s gen min_core_btf)", c->name,
	       bpftool);
}
