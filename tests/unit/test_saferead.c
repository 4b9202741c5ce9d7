// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one reader for hostile paths (user/saferead.c): paths stay inside their
 * root or beneath their handle, only regular files are read, size and time
 * are bounded, a pid's root is refused once the pid names another process,
 * and the worker pool survives hung reads. Each test builds its own tree:
 *   ROOT/etc/passwd  "inside\n"       ROOT/link -> /etc/passwd
 *   ROOT/up -> ../../../../etc/passwd  ROOT/etc/abs -> /etc/passwd
 *   ROOT/fifo (FIFO)                   ROOT/big (100 bytes)
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "saferead.h"

static char root[64];
static volatile int stalling;	/* the test hook holds workers while set */
static volatile int stalls_out;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void put(const char *rel, const char *data, size_t n)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static void mk(const char *rel, const char *link_to, mode_t fifo_or_dir)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (link_to)
		assert_int_equal(symlink(link_to, p), 0);
	else if (S_ISFIFO(fifo_or_dir))
		assert_int_equal(mkfifo(p, 0644), 0);
	else
		assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
	char big[100];

	snprintf(root, sizeof(root), "/tmp/hs-saferead.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	mk("etc", NULL, S_IFDIR);
	put("etc/passwd", "inside\n", 7);
	mk("link", "/etc/passwd", 0);
	mk("up", "../../../../etc/passwd", 0);
	mk("etc/abs", "/etc/passwd", 0);
	mk("fifo", NULL, S_IFIFO);
	memset(big, 'x', sizeof(big));
	put("big", big, sizeof(big));
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

/* Let every stalled worker go and wait until none is counted stuck. */
static void unstall_all(void)
{
	long long t0 = now_ms();

	__atomic_store_n(&stalling, 0, __ATOMIC_RELEASE);
	while (sr_test_stuck() && now_ms() - t0 < 10000)
		usleep(1000);
}

static int teardown(void **state)
{
	unstall_all();
	sr_test_stall = NULL;
	sr_set_deadline_ms(0);
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* sr_read of path under r (or beneath at): the text, or NULL with *err set. */
static char *rd(const struct sr_root *r, int at, const char *path, int *err)
{
	char *buf;
	size_t len;

	*err = sr_read(r, at, path, 1 << 20, &buf, &len, NULL);
	if (*err) {
		assert_null(buf);
		return NULL;
	}
	assert_int_equal(strlen(buf), len);
	return buf;
}

#define assert_reads(r, at, path, want)                                                            \
	do {                                                                                       \
		int err_;                                                                          \
		char *b_ = rd(r, at, path, &err_);                                                 \
		assert_int_equal(err_, 0);                                                         \
		assert_string_equal(b_, want);                                                     \
		free(b_);                                                                          \
	} while (0)

#define assert_refused(r, at, path, want_err)                                                      \
	do {                                                                                       \
		int err_;                                                                          \
		char *b_ = rd(r, at, path, &err_);                                                 \
		assert_null(b_);                                                                   \
		assert_int_equal(err_, want_err);                                                  \
	} while (0)

static void test_in_root(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	assert_true(r.fd >= 0);
	assert_int_equal(r.pid, 0);
	/* an absolute symlink means the root's /etc/passwd, not the host's */
	assert_reads(&r, -1, "link", "inside\n");
	assert_reads(&r, -1, "/etc/passwd", "inside\n");
	assert_reads(&r, -1, "../../etc/passwd", "inside\n");
	assert_reads(&r, -1, "up", "inside\n");
	assert_reads(&r, -1, "etc/abs", "inside\n");
	assert_refused(&r, -1, "etc", -EISDIR);
	assert_refused(&r, -1, "nope", -ENOENT);
}

static void test_beneath(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	int dfd, x;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	assert_int_equal(sr_opendir(&r, -1, "/etc", &dfd), 0);
	assert_reads(NULL, dfd, "passwd", "inside\n");
	mk("etc/rel", "./passwd", 0);
	assert_reads(NULL, dfd, "rel", "inside\n"); /* a symlink that stays beneath is fine */
	assert_refused(NULL, dfd, "../etc/passwd", -EXDEV);
	assert_refused(NULL, dfd, "/etc/passwd", -EXDEV);
	assert_refused(NULL, dfd, "abs", -EXDEV);
	assert_int_equal(sr_opendir(NULL, dfd, "..", &x), -EXDEV);
	assert_int_equal(x, -1);
	assert_int_equal(sr_opendir(NULL, dfd, "passwd", &x), -ENOTDIR);
	close(dfd);
	assert_int_equal(sr_opendir(&r, -1, "big", &x), -ENOTDIR);
	/* neither a root nor a handle */
	assert_refused(NULL, -1, "big", -EBADF);
}

static void test_stat(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct stat st;
	long long t0;
	int dfd;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	/* the root's /etc/passwd, through an absolute symlink that stays inside */
	assert_int_equal(sr_stat(&r, -1, "link", &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 7);
	assert_int_equal(sr_stat(&r, -1, "/nope", NULL), -ENOENT);
	/* a FIFO is looked at, never opened: no wait for a writer */
	t0 = now_ms();
	assert_int_equal(sr_stat(&r, -1, "fifo", &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_true(now_ms() - t0 < 1000); /* half the deadline: slack for a loaded machine */
	assert_int_equal(sr_opendir(&r, -1, "etc", &dfd), 0);
	assert_int_equal(sr_stat(NULL, dfd, "../big", NULL), -EXDEV);
	assert_int_equal(sr_stat(NULL, dfd, "passwd", NULL), 0);
	close(dfd);
}

static void test_no_magic_links(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;

	assert_int_equal(sr_root_of_path(&r, "/"), 0);
	/* /proc/self/root jumps wherever the kernel says: refused, not followed */
	assert_refused(&r, -1, "/proc/self/root/etc/passwd", -ELOOP);
	assert_refused(&r, -1, "/proc/self/fd/0", -ELOOP);
}

static void test_fifo_and_devices_refused(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct sr_root dev __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	char p[256], *buf;
	long long t0;
	size_t len;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	t0 = now_ms();
	/* nobody writes to it: an open that waited would hang until the deadline */
	assert_refused(&r, -1, "fifo", -EINVAL);
	assert_true(now_ms() - t0 < 1000); /* half the deadline: slack for a loaded machine */
	snprintf(p, sizeof(p), "%s/fifo", root);
	t0 = now_ms();
	assert_int_equal(sr_read_user(p, 100, &buf, &len, NULL), -EINVAL);
	assert_true(now_ms() - t0 < 1000);

	assert_int_equal(sr_root_of_path(&dev, "/dev"), 0);
	assert_refused(&dev, -1, "null", -EINVAL);
	assert_refused(&dev, -1, "/zero", -EINVAL);
	assert_int_equal(sr_read_user("/dev/null", 100, &buf, &len, NULL), -EINVAL);
	assert_null(buf);
}

static void test_size_bound(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct stat st;
	char *buf, p[256];
	size_t len;
	bool more;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	assert_int_equal(sr_read(&r, -1, "big", 99, &buf, &len, &st), -EFBIG);
	assert_null(buf);
	assert_int_equal(sr_read(&r, -1, "big", 100, &buf, &len, &st), 0);
	assert_int_equal(len, 100);
	assert_int_equal(st.st_size, 100);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(buf[100], '\0');
	free(buf);

	assert_int_equal(sr_read_head(&r, -1, "big", 10, &buf, &len, &more), 0);
	assert_int_equal(len, 10);
	assert_true(more);
	assert_string_equal(buf, "xxxxxxxxxx");
	free(buf);
	assert_int_equal(sr_read_head(&r, -1, "big", 200, &buf, &len, &more), 0);
	assert_int_equal(len, 100);
	assert_false(more);
	free(buf);

	snprintf(p, sizeof(p), "%s/big", root);
	assert_int_equal(sr_read_user(p, 99, &buf, &len, NULL), -EFBIG);
	assert_int_equal(sr_read_user(p, 100, &buf, &len, &st), 0);
	assert_int_equal(len, 100);
	free(buf);
}

/* sr_find: a match across two windows, none, the size bound, not a regular file */
static void test_find(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	static const char mark[] = "github.com/opencontainers/runc/libcontainer";
	size_t n = 3 * SR_FIND_WINDOW + 17, at;
	char *data = calloc(1, n);
	struct stat st;
	bool found = true;

	assert_non_null(data);
	assert_int_equal(sr_root_of_path(&r, root), 0);
	put("bin", data, n);
	assert_int_equal(sr_find(&r, -1, "bin", n, mark, strlen(mark), &found, &st), 0);
	assert_false(found);
	assert_int_equal(st.st_size, (off_t)n);
	/* straddling the first window's end, then the second's, then the very end */
	for (at = SR_FIND_WINDOW - 5; at < n; at += SR_FIND_WINDOW + 3) {
		memset(data, 0, n);
		memcpy(data + (at + strlen(mark) > n ? n - strlen(mark) : at), mark, strlen(mark));
		put("bin", data, n);
		found = false;
		assert_int_equal(sr_find(&r, -1, "bin", n, mark, strlen(mark), &found, NULL), 0);
		assert_true(found);
	}
	/* one byte short of the mark is no match */
	memset(data, 0, n);
	memcpy(data + SR_FIND_WINDOW - 3, mark, strlen(mark) - 1);
	put("bin", data, n);
	assert_int_equal(sr_find(&r, -1, "bin", n, mark, strlen(mark), &found, NULL), 0);
	assert_false(found);
	free(data);
	assert_int_equal(sr_find(&r, -1, "bin", n - 1, mark, strlen(mark), &found, NULL), -EFBIG);
	assert_int_equal(sr_find(&r, -1, "fifo", n, mark, strlen(mark), &found, NULL), -EINVAL);
	/* ".." stays in the root: the root's passwd is searched, never the host's */
	assert_int_equal(sr_find(&r, -1, "up", n, "inside", 6, &found, NULL), 0);
	assert_true(found);
	assert_int_equal(sr_find(&r, -1, "up", n, "root:", 5, &found, NULL), 0);
	assert_false(found);
	/* an absolute link is resolved in the root too */
	assert_int_equal(sr_find(&r, -1, "link", n, "inside", 6, &found, NULL), 0);
	assert_true(found);
	assert_int_equal(sr_find(&r, -1, "link", n, "root:", 5, &found, NULL), 0);
	assert_false(found);
	assert_int_equal(sr_find(&r, -1, "big", 100, "xx", 2, &found, NULL), 0);
	assert_true(found);
	assert_int_equal(sr_find(&r, -1, "big", 100, "", 0, &found, NULL), -EINVAL);
}

static void test_procfs_zero_size(void **state)
{
	struct sr_root proc __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct stat st;
	char *buf;
	size_t len;
	bool more;
	int fd;

	assert_int_equal(sr_root_of_path(&proc, "/proc"), 0);
	assert_int_equal(sr_read(&proc, -1, "self/status", 1 << 16, &buf, &len, &st), 0);
	/* procfs says 0 bytes; the content is there all the same */
	assert_int_equal(st.st_size, 0);
	assert_true(len > 100);
	assert_non_null(strstr(buf, "\nPid:\t"));
	free(buf);
	assert_int_equal(sr_read(&proc, -1, "self/status", 10, &buf, &len, NULL), -EFBIG);
	assert_int_equal(sr_read_head(&proc, -1, "self/status", 10, &buf, &len, &more), 0);
	assert_int_equal(len, 10);
	assert_true(more);
	assert_memory_equal(buf, "Name:\t", 6);
	free(buf);

	/* more than one growth step (the buffer starts at 4 KiB) */
	assert_int_equal(sr_read(&proc, -1, "self/smaps", 1 << 26, &buf, &len, NULL), 0);
	assert_true(len > 8192);
	assert_int_equal(strlen(buf), len);
	free(buf);

	/* the fd-level read used by util.c's read_regular_fd */
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(sr_read_fd(fd, 4096, &buf, &len, &st), 0);
	assert_true(len > 0 && buf[len - 1] == '\n');
	free(buf);
	close(fd);
	fd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_int_equal(sr_read_fd(fd, 4096, &buf, &len, NULL), -EISDIR);
	close(fd);
}

/* A real zombie and a live process, as /proc shows them. */
static void test_stat_gone(void **state)
{
	struct sr_stat ps;
	char path[64], *buf;
	size_t len;
	pid_t pid;
	int fd;

	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	assert_int_equal(sr_read_fd(fd, 4096, &buf, &len, NULL), 0);
	close(fd);
	assert_int_equal(sr_stat_parse(buf, &ps), 0);
	free(buf);
	assert_false(sr_stat_gone(&ps));

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 2000; i++) { /* until the child is a zombie (not reaped: no wait yet) */
		fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		assert_int_equal(sr_read_fd(fd, 4096, &buf, &len, NULL), 0);
		close(fd);
		assert_int_equal(sr_stat_parse(buf, &ps), 0);
		free(buf);
		if (ps.state == 'Z')
			break;
		usleep(1000);
	}
	assert_int_equal(ps.state, 'Z');
	assert_true(sr_stat_gone(&ps));
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

static void test_stat_parse(void **state)
{
	struct sr_stat ps;

	assert_int_equal(sr_stat_parse("42 (a) (b) c) S 7 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
				       "17 18 19 555 999 1\n",
				       &ps),
			 0);
	assert_string_equal(ps.comm, "a) (b) c");
	assert_int_equal(ps.state, 'S');
	assert_int_equal(ps.ppid, 7);
	assert_int_equal(ps.flags, 7);
	assert_int_equal(ps.threads, 18);
	assert_int_equal(ps.start, 555);
	assert_false(sr_stat_gone(&ps)); /* PF_EXITING, but 18 threads: one thread exiting */
	/* a comm that is a newline and a lone ')' */
	assert_int_equal(sr_stat_parse("1 (\n)) R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 77", &ps), 0);
	assert_string_equal(ps.comm, "\n)");
	assert_int_equal(ps.start, 77);
	assert_int_equal(sr_stat_parse("42 (x", &ps), -EINVAL);
	assert_int_equal(sr_stat_parse("42 x) S 1 2", &ps), -EINVAL);
	assert_int_equal(sr_stat_parse("42 (x) S 7 3 4", &ps), -EINVAL);
	assert_int_equal(sr_stat_parse("42 (x) S 7 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 "
				       "zz 9",
				       &ps),
			 -EINVAL);
}

/* A child that renames itself (and chroots into root when it can), then waits to be killed. */
static pid_t child(const char *name, bool do_chroot, char *chrooted)
{
	int p[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		/* a failed assertion skips reap(): never outlive the test */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, name);
		c = do_chroot && !chroot(root) ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	if (chrooted)
		*chrooted = c;
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

static void test_pid_start(void **state)
{
	struct sr_root proc __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	unsigned long long start, mine = sr_pid_start(getpid());
	pid_t pid = child("a) (b) c", false, NULL);
	struct timespec boot;
	struct sr_stat ps;
	char path[32], *buf;
	size_t len;

	start = sr_pid_start(pid);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	assert_true(mine > 0);
	assert_true(start >= mine);
	/* the right field: the child started within the last few seconds of boot time */
	assert_true(start / (unsigned long long)sysconf(_SC_CLK_TCK) + 5 >=
		    (unsigned long long)boot.tv_sec);
	assert_true(start / (unsigned long long)sysconf(_SC_CLK_TCK) <=
		    (unsigned long long)boot.tv_sec);

	assert_int_equal(sr_root_of_path(&proc, "/proc"), 0);
	snprintf(path, sizeof(path), "%d/stat", (int)pid);
	assert_int_equal(sr_read(&proc, -1, path, 4096, &buf, &len, NULL), 0);
	assert_int_equal(sr_stat_parse(buf, &ps), 0);
	free(buf);
	assert_string_equal(ps.comm, "a) (b) c");
	assert_int_equal(ps.ppid, getpid());
	assert_int_equal(ps.start, start);
	reap(pid);
	assert_int_equal(sr_pid_start(pid), 0);
	assert_int_equal(sr_pid_start(0), 0);
}

/*
 * A root whose process (the last in its mount namespace) exits while we
 * hold it: the mounts of that namespace stay in place. Without the held
 * namespace they are detached and the directory a tmpfs covered shows
 * through (a spoof's bundle would read as the host's). Needs root (mount).
 */
static void test_root_keeps_mounts(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	char dir[256], file[300], ok;
	int pfd[2];
	pid_t pid;
	size_t len;
	char *buf;

	snprintf(dir, sizeof(dir), "%s/covered", root);
	snprintf(file, sizeof(file), "%s/file", dir);
	mk("covered", NULL, S_IFDIR);
	put("covered/file", "beneath\n", 8);
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char rr = 'y';

		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tmpfs", dir, "tmpfs", 0, NULL))
			rr = 'n';
		if (write(pfd[1], &rr, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &ok, 1), 1);
	close(pfd[0]);
	if (ok != 'y') {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		skip(); /* not root: no mount namespace of its own */
	}
	assert_int_equal(sr_root_of_pid(&r, pid, 0), 0);
	assert_int_equal(sr_read(&r, -1, file, 4096, &buf, &len, NULL), -ENOENT);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	/* its namespace is gone with it, but not its mounts under our handle */
	assert_int_equal(sr_read(&r, -1, file, 4096, &buf, &len, NULL), -ENOENT);
}

static void test_cred_parse(void **state)
{
	struct sr_cred c;
	struct stat st = { 0 };

	assert_int_equal(sr_cred_parse("Name:\tx\nUid:\t1000\t1000\t1000\t1001\n"
				       "Gid:\t100\t100\t100\t101\nGroups:\t27 44 \n"
				       "CapEff:\t0000000000000000\n",
				       true, &c),
			 0);
	assert_true(c.known);
	assert_false(c.privileged);
	assert_int_equal(c.fsuid, 1001);
	assert_int_equal(c.fsgid, 101);
	assert_int_equal(c.ngroups, 2);
	assert_int_equal(c.groups[1], 44);
	/* owner class first: an owner without u+r is refused even if o+r */
	st.st_uid = 1001, st.st_gid = 0, st.st_mode = S_IFREG | 0044;
	assert_false(sr_cred_may_read(&c, &st));
	st.st_mode = S_IFREG | 0400;
	assert_true(sr_cred_may_read(&c, &st));
	st.st_uid = 0, st.st_gid = 44, st.st_mode = S_IFREG | 0640;
	assert_true(sr_cred_may_read(&c, &st));
	st.st_gid = 0, st.st_mode = S_IFREG | 0600; /* /etc/shadow */
	assert_false(sr_cred_may_read(&c, &st));
	st.st_mode = S_IFREG | 0644;
	assert_true(sr_cred_may_read(&c, &st));
	/* CAP_DAC_READ_SEARCH counts in our user namespace only */
	assert_int_equal(sr_cred_parse("\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
				       "CapEff:\t000001ffffffffff\n", true, &c), 0);
	assert_true(c.privileged);
	assert_int_equal(sr_cred_parse("\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
				       "CapEff:\t000001ffffffffff\n", false, &c), 0);
	assert_false(c.privileged);
	assert_int_equal(sr_cred_parse("garbage", true, &c), -EINVAL);
	assert_false(c.known);
}

/* A process of uid 65534 names a root-only file: refused unread; a 0644 one is read. */
static void test_root_cred(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	char secret[300], open_[300], *buf, ok;
	bool found = true;
	int pfd[2];
	size_t len;
	pid_t pid;

	if (geteuid() != 0)
		skip();
	put("secret", "s3cret\n", 7);
	put("open", "hello\n", 6);
	snprintf(secret, sizeof(secret), "%s/secret", root);
	snprintf(open_, sizeof(open_), "%s/open", root);
	assert_int_equal(chmod(secret, 0600), 0);
	assert_int_equal(chmod(open_, 0644), 0);
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char rr = 'y';

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			rr = 'n';
		if (write(pfd[1], &rr, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &ok, 1), 1);
	close(pfd[0]);
	assert_int_equal(ok, 'y');
	assert_int_equal(sr_root_of_pid(&r, pid, 0), 0);
	assert_true(r.cred.known);
	assert_int_equal(r.cred.fsuid, 65534);
	assert_int_equal(sr_read(&r, -1, secret, 4096, &buf, &len, NULL), -EPERM);
	assert_null(buf);
	/* searched no more than read: not one byte of a file it could not read */
	assert_int_equal(sr_find(&r, -1, secret, 4096, "s3cret", 6, &found, NULL), -EPERM);
	assert_false(found);
	assert_int_equal(sr_find(&r, -1, open_, 4096, "hello", 5, &found, NULL), 0);
	assert_true(found);
	assert_int_equal(sr_read(&r, -1, open_, 4096, &buf, &len, NULL), 0);
	assert_string_equal(buf, "hello\n");
	free(buf);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

static void test_root_of_pid(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct sr_root d __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	char chrooted, p[256];
	pid_t pid = child("rootchild", true, &chrooted);
	unsigned long long start = sr_pid_start(pid);

	assert_true(start > 0);
	/* a start time that is not the process's: the pid names another process */
	assert_int_equal(sr_root_of_pid(&r, pid, start + 1), -ESRCH);
	assert_int_equal(r.fd, -1);
	assert_int_equal(sr_root_of_pid(&r, pid, start), 0);
	assert_int_equal(r.pid, pid);
	assert_int_equal(r.start, start);
	if (chrooted == 'y') {
		assert_reads(&r, -1, "/etc/passwd", "inside\n");
	} else {
		/* unprivileged: the child's root is ours, where root is a directory */
		snprintf(p, sizeof(p), "%s/etc/passwd", root);
		assert_reads(&r, -1, p, "inside\n");
	}
	/* start unknown: no check, and the handle learns it */
	sr_root_close(&r);
	assert_int_equal(sr_root_of_pid(&r, pid, 0), 0);
	assert_int_equal(r.start, start);

	/* a second handle outlives the first */
	assert_int_equal(sr_root_dup(&r, &d), 0);
	sr_root_close(&r);
	sr_root_close(&r);
	assert_int_equal(d.pid, pid);
	if (chrooted == 'y')
		assert_reads(&d, -1, "link", "inside\n");

	reap(pid);
	assert_int_equal(sr_root_of_pid(&r, pid, start), -ESRCH);
	assert_int_equal(sr_root_of_pid(&r, 0, 0), -ESRCH);
}

static void test_list(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	char **names;
	size_t n;
	int dfd, empty;

	mk("d", NULL, S_IFDIR);
	put("d/b", "", 0);
	put("d/a", "", 0);
	put("d/A", "", 0);
	put("d/\xff", "", 0);
	mk("d/sub", NULL, S_IFDIR);
	mk("d/sub2", NULL, S_IFDIR);
	mk("d/l", "a", 0);
	mk("d/ld", "sub", 0);
	mk("d/out", "/etc/passwd", 0);
	mk("d/f", NULL, S_IFIFO);
	mk("d/e", NULL, S_IFDIR);
	assert_int_equal(sr_root_of_path(&r, root), 0);
	assert_int_equal(sr_opendir(&r, -1, "d", &dfd), 0);

	assert_int_equal(sr_list(dfd, false, 16, &names, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "A");
	assert_string_equal(names[1], "a");
	assert_string_equal(names[2], "b");
	assert_string_equal(names[3], "\xff");
	assert_null(names[4]);
	sr_names_free(names, n);

	assert_int_equal(sr_list(dfd, true, 16, &names, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "e");
	assert_string_equal(names[1], "sub");
	assert_string_equal(names[2], "sub2");
	assert_null(names[3]);
	sr_names_free(names, n);

	assert_int_equal(sr_list(dfd, false, 3, &names, &n), -E2BIG);
	assert_null(names);
	assert_int_equal(n, 0);
	assert_int_equal(sr_list(dfd, false, 4, &names, &n), 0);
	sr_names_free(names, n);

	assert_int_equal(sr_opendir(NULL, dfd, "e", &empty), 0);
	assert_int_equal(sr_list(empty, false, 4, &names, &n), 0);
	assert_int_equal(n, 0);
	assert_null(names[0]);
	sr_names_free(names, n);
	close(empty);
	close(dfd);
	assert_int_equal(sr_list(-1, false, 4, &names, &n), -EBADF);
}


/* The test hook: a worker "in a hung file system" until the test lets go. */
static void stall(void)
{
	while (__atomic_load_n(&stalling, __ATOMIC_ACQUIRE))
		usleep(1000);
	__atomic_fetch_add(&stalls_out, 1, __ATOMIC_RELEASE);
}

static void test_timeout(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	bool found = true;
	long long t0, dt;
	int err;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	sr_set_deadline_ms(100);
	sr_test_stall = stall;
	__atomic_store_n(&stalling, 1, __ATOMIC_RELEASE);
	t0 = now_ms();
	assert_null(rd(&r, -1, "etc/passwd", &err));
	dt = now_ms() - t0;
	assert_int_equal(err, -ETIMEDOUT);
	assert_true(dt >= 100 && dt < 600);
	/* a search waits no longer than a read: a hung file never stalls the caller */
	t0 = now_ms();
	assert_int_equal(sr_find(&r, -1, "etc/passwd", 4096, "in", 2, &found, NULL), -ETIMEDOUT);
	dt = now_ms() - t0;
	assert_true(dt >= 100 && dt < 600);
	assert_false(found);
	__atomic_store_n(&stalling, 0, __ATOMIC_RELEASE);
	/* a fresh worker serves the next read; the abandoned one cleans up after itself */
	assert_reads(&r, -1, "etc/passwd", "inside\n");
	assert_reads(&r, -1, "link", "inside\n");
}

static void test_stuck_limit(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	long long t0;
	int i, err, out0;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	/* a clean slate: earlier tests' abandoned workers are gone (a loaded machine
	 * may not have run them yet) */
	unstall_all();
	assert_int_equal(sr_test_stuck(), 0);
	assert_reads(&r, -1, "etc/passwd", "inside\n");
	sr_set_deadline_ms(50);
	sr_test_stall = stall;
	out0 = __atomic_load_n(&stalls_out, __ATOMIC_ACQUIRE);
	__atomic_store_n(&stalling, 1, __ATOMIC_RELEASE);
	for (i = 0; i < SR_MAX_STUCK; i++) {
		assert_null(rd(&r, -1, "etc/passwd", &err));
		assert_int_equal(err, -ETIMEDOUT);
	}
	/*
	 * no new thread to pile up: refused at once, not after a deadline (made
	 * long here, so a loaded machine cannot blur "at once")
	 */
	sr_set_deadline_ms(2000);
	t0 = now_ms();
	assert_null(rd(&r, -1, "etc/passwd", &err));
	assert_int_equal(err, -EAGAIN);
	assert_int_equal(sr_pid_start(getpid()), 0);
	assert_true(now_ms() - t0 < 1000);
	assert_string_equal(sr_strerror(err), "too many hung reads");

	__atomic_store_n(&stalling, 0, __ATOMIC_RELEASE);
	while (__atomic_load_n(&stalls_out, __ATOMIC_ACQUIRE) - out0 < SR_MAX_STUCK)
		usleep(1000);
	/* the stuck workers came back: reads work again */
	t0 = now_ms();
	for (;;) {
		char *b = rd(&r, -1, "etc/passwd", &err);

		free(b);
		if (err != -EAGAIN || now_ms() - t0 > 2000)
			break;
		usleep(1000);
	}
	assert_int_equal(err, 0);
	assert_reads(&r, -1, "etc/passwd", "inside\n");
}

static void *reader(void *arg)
{
	const struct sr_root *r = arg;
	int i, err;

	for (i = 0; i < 200; i++) {
		char *b = rd(r, -1, i % 2 ? "link" : "big", &err);

		if (err || strlen(b) != (i % 2 ? 7 : 100)) {
			free(b);
			return (void *)1;
		}
		free(b);
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	pthread_t a, b;
	void *ra, *rb;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	assert_int_equal(pthread_create(&a, NULL, reader, &r), 0);
	assert_int_equal(pthread_create(&b, NULL, reader, &r), 0);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	assert_null(ra);
	assert_null(rb);
}

static void test_fork_child_reads(void **state)
{
	struct sr_root r __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	int status;
	pid_t pid;

	assert_int_equal(sr_root_of_path(&r, root), 0);
	sr_set_deadline_ms(1000);
	assert_reads(&r, -1, "etc/passwd", "inside\n"); /* the parent's worker exists */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		/* no worker came along: start one, do not wait on the parent's */
		long long t0 = now_ms();
		char *b;
		size_t len;
		int err = sr_read(&r, -1, "link", 100, &b, &len, NULL);

		_exit(err || strcmp(b, "inside\n") || now_ms() - t0 > 500);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_strerror(void **state)
{
	assert_string_equal(sr_strerror(-EINVAL), "not a regular file");
	assert_string_equal(sr_strerror(-EFBIG), "too large");
	assert_string_equal(sr_strerror(-EXDEV), "outside the runtime's root");
	assert_string_equal(sr_strerror(-ELOOP), "a symbolic link where none is allowed");
	assert_string_equal(sr_strerror(-ETIMEDOUT), "timed out (hung file system?)");
	assert_string_equal(sr_strerror(-EAGAIN), "too many hung reads");
	assert_string_equal(sr_strerror(-ENOENT), "no such file");
	assert_non_null(strstr(sr_strerror(-ENOSYS), "5.6"));
	assert_string_equal(sr_strerror(-EACCES), strerror(EACCES)); /* hooksnoop's own */
	assert_string_equal(sr_strerror(-EPERM), "not readable by the process that named it");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_in_root),
		T(test_beneath),
		T(test_stat),
		T(test_no_magic_links),
		T(test_fifo_and_devices_refused),
		T(test_size_bound),
		T(test_find),
		T(test_procfs_zero_size),
		T(test_stat_parse),
		T(test_stat_gone),
		T(test_pid_start),
		T(test_root_of_pid),
		T(test_root_keeps_mounts),
		T(test_cred_parse),
		T(test_root_cred),
		T(test_list),
		T(test_timeout),
		T(test_stuck_limit),
		T(test_two_threads),
		T(test_fork_child_reads),
		T(test_strerror),
	};

	return cmocka_run_group_tests_name("saferead", tests, NULL, NULL);
}
