// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Owns every open, read and listing of a file another process names (the
 * rules are in saferead.h) and the worker threads that bound them in time.
 * A call packs its arguments into a reference-counted request, posts it to
 * the one persistent worker and waits on a CLOCK_MONOTONIC deadline. The
 * request is shared by the caller and the worker: whichever lets go last
 * frees it, so a caller that gives up on a hung file system returns at once
 * and the abandoned worker frees the request (and closes what it opened)
 * whenever its syscall comes back. Paths are resolved with openat2() under a
 * root or beneath a directory handle, to an O_PATH handle first, so that
 * nothing but a regular file is ever opened for reading.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "saferead.h"

void (*sr_test_stall)(void);

/* Bigger than any /proc/PID/stat line (52 numbers and a 64-byte comm). */
#define SR_STAT_MAX 4096
/* Each buffer for a file that reports size 0 starts at this and doubles. */
#define SR_GROW_FIRST 4095
/* openat2 says EAGAIN when a rename or mount raced a ".." under RESOLVE_IN_ROOT/BENEATH. */
#define SR_OPEN_RETRIES 32

struct sr_req;
typedef int (*sr_run_fn)(struct sr_req *q);

/*
 * One call's arguments and results. refs and done are guarded by sr.lock;
 * everything else belongs to the caller until posted, to the worker until
 * done, then to the caller again (if it still waits) or to nobody.
 */
struct sr_req {
	int refs;
	bool done;
	sr_run_fn run;
	int dirfd;		/* a dup of the caller's handle (which may close), or AT_FDCWD */
	char *path;
	__u64 resolve;		/* openat2 RESOLVE_* flags */
	bool plain;		/* a path the user named: openat(), normal resolution */
	bool head;		/* a file larger than max is truncated, not refused */
	bool want_dirs;
	size_t max;
	unsigned long long start; /* in: expected start time; out: the one read */
	int err;
	int fd;			/* an opened handle, closed with the request unless taken */
	int fd2;		/* a second one (run_root_of_pid: the mount namespace) */
	char *buf;
	size_t len;
	bool more;
	struct stat st;
	char **names;
	size_t n;
	struct sr_cred cred;	/* run_read: refuse what these could not read; run_root_of_pid: out */
	char *needle;		/* run_find: the bytes looked for (a copy: the caller may give up) */
	size_t nlen;
	bool found;
};

struct sr_worker {
	pthread_cond_t wake;	/* a request was posted */
	struct sr_req *req;	/* the posted request; NULL when idle */
	bool abandoned;		/* its caller gave up: exit after the current request */
};

static struct {
	pthread_mutex_t call;	/* one request in flight on the current worker */
	pthread_mutex_t lock;	/* this, workers' req and abandoned, requests' refs and done */
	pthread_cond_t done;	/* some request completed */
	struct sr_worker *cur;	/* the persistent worker; NULL before first use, after abandoning */
	unsigned stuck;		/* abandoned workers still inside a syscall */
	unsigned deadline_ms;	/* 0: SR_DEADLINE_MS */
} sr = {
	.call = PTHREAD_MUTEX_INITIALIZER,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t sr_once = PTHREAD_ONCE_INIT;

/* ---- requests ------------------------------------------------------------ */

static void names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void sr_names_free(char **names, size_t n)
{
	if (names)
		names_free(names, n);
}

static void req_free(struct sr_req *q)
{
	if (q->dirfd >= 0)
		close(q->dirfd);
	if (q->fd >= 0)
		close(q->fd);
	if (q->fd2 >= 0)
		close(q->fd2);
	free(q->path);
	free(q->buf);
	free(q->needle);
	sr_names_free(q->names, q->n);
	free(q);
}

static void req_put(struct sr_req *q)
{
	bool last;

	pthread_mutex_lock(&sr.lock);
	last = --q->refs == 0;
	pthread_mutex_unlock(&sr.lock);
	if (last)
		req_free(q);
}

static void req_putp(struct sr_req **q)
{
	if (*q)
		req_put(*q);
}

#define _cleanup_req_ __attribute__((cleanup(req_putp)))

/* A request for run on path (may be NULL) resolved from dirfd (AT_FDCWD, or duplicated). */
static int req_new(struct sr_req **out, sr_run_fn run, int dirfd, const char *path)
{
	struct sr_req *q = calloc(1, sizeof(*q));

	*out = NULL;
	if (!q)
		return -ENOMEM;
	q->refs = 1;
	q->run = run;
	q->fd = -1;
	q->fd2 = -1;
	q->dirfd = AT_FDCWD;
	if (dirfd >= 0) {
		q->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
		if (q->dirfd < 0) {
			int err = -errno;

			free(q);
			return err;
		}
	}
	if (path && !(q->path = strdup(path))) {
		req_free(q);
		return -ENOMEM;
	}
	*out = q;
	return 0;
}

/* ---- workers ------------------------------------------------------------- */

static void *worker_main(void *arg)
{
	struct sr_worker *w = arg;
	bool quit = false;

	pthread_mutex_lock(&sr.lock);
	while (!quit) {
		struct sr_req *q;
		void (*stall)(void);

		while (!w->req)
			pthread_cond_wait(&w->wake, &sr.lock);
		q = w->req;
		pthread_mutex_unlock(&sr.lock);

		stall = __atomic_load_n(&sr_test_stall, __ATOMIC_ACQUIRE);
		if (stall)
			stall();
		q->err = q->run(q);

		pthread_mutex_lock(&sr.lock);
		q->done = true;
		w->req = NULL;
		pthread_cond_broadcast(&sr.done);
		quit = w->abandoned;
		if (quit)
			sr.stuck--;
		if (--q->refs == 0) {
			/* the caller gave up on it: closing what it opened is ours */
			pthread_mutex_unlock(&sr.lock);
			req_free(q);
			pthread_mutex_lock(&sr.lock);
		}
	}
	pthread_mutex_unlock(&sr.lock);
	pthread_cond_destroy(&w->wake);
	free(w);
	return NULL;
}

/* Called with sr.lock held. */
static int worker_start(struct sr_worker **out)
{
	struct sr_worker *w = calloc(1, sizeof(*w));
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t th;
	int err;

	if (!w)
		return -ENOMEM;
	pthread_cond_init(&w->wake, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* signals are the main loop's (SIGINT ends tracing): the worker inherits a full mask */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, &attr, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		pthread_cond_destroy(&w->wake);
		free(w);
		/* pthread_create's EAGAIN is a thread limit, not our "too many hung reads" */
		return err == EAGAIN ? -ENOMEM : -err;
	}
	*out = w;
	return 0;
}

static void sr_atfork_prepare(void)
{
	pthread_mutex_lock(&sr.lock);
}

static void sr_atfork_parent(void)
{
	pthread_mutex_unlock(&sr.lock);
}

/*
 * A child has only the thread that forked: the workers did not come along.
 * Start from scratch rather than post to a thread that does not exist (and
 * wait out a deadline for nothing). Another thread may have held sr.call.
 */
static void sr_atfork_child(void)
{
	pthread_mutex_init(&sr.call, NULL);
	pthread_mutex_init(&sr.lock, NULL);
	pthread_cond_init(&sr.done, NULL);
	sr.cur = NULL;
	sr.stuck = 0;
}

static void sr_init(void)
{
	pthread_atfork(sr_atfork_prepare, sr_atfork_parent, sr_atfork_child);
}

static void deadline_from_now(struct timespec *until)
{
	unsigned ms = __atomic_load_n(&sr.deadline_ms, __ATOMIC_RELAXED);

	if (!ms)
		ms = SR_DEADLINE_MS;
	clock_gettime(CLOCK_MONOTONIC, until);
	until->tv_sec += ms / 1000;
	until->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until->tv_nsec >= 1000000000L) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000L;
	}
}

/*
 * Run q on the worker and wait for it until the deadline. 0: q->err and the
 * results are the caller's to read. -ETIMEDOUT: the worker is abandoned
 * (it keeps its reference and frees q when done) and counted stuck; the next
 * call starts a fresh one. -EAGAIN: SR_MAX_STUCK workers are stuck already.
 * The caller puts its reference in every case.
 */
static int sr_submit(struct sr_req *q)
{
	struct timespec until;
	struct sr_worker *w;
	int err;

	pthread_once(&sr_once, sr_init);
	deadline_from_now(&until);
	/* a second caller waits its turn within its own deadline */
	err = pthread_mutex_clocklock(&sr.call, CLOCK_MONOTONIC, &until);
	if (err)
		return -err;
	pthread_mutex_lock(&sr.lock);
	if (!sr.cur) {
		if (sr.stuck >= SR_MAX_STUCK) {
			err = -EAGAIN;
			goto out;
		}
		err = worker_start(&sr.cur);
		if (err)
			goto out;
	}
	w = sr.cur;
	q->refs++;
	w->req = q;
	pthread_cond_signal(&w->wake);
	while (!q->done) {
		if (pthread_cond_clockwait(&sr.done, &sr.lock, CLOCK_MONOTONIC, &until) ==
			    ETIMEDOUT &&
		    !q->done) {
			w->abandoned = true;
			sr.cur = NULL;
			sr.stuck++;
			err = -ETIMEDOUT;
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&sr.lock);
	pthread_mutex_unlock(&sr.call);
	return err;
}

void sr_set_deadline_ms(unsigned ms)
{
	__atomic_store_n(&sr.deadline_ms, ms, __ATOMIC_RELAXED);
}

/* ---- what the worker runs ---------------------------------------------- */

static int sr_openat2(int dirfd, const char *path, __u64 flags, __u64 resolve)
{
	struct open_how how = { .flags = flags, .resolve = resolve };
	int i, fd;

	for (i = 0; i < SR_OPEN_RETRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return fd;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
	}
	/* not -EAGAIN: that one means "too many hung reads" to our callers */
	return -EBUSY;
}

/* q's path as an O_PATH handle (flags adds O_DIRECTORY): opens nothing, reads nothing. */
static int open_path(const struct sr_req *q, int flags)
{
	int fd;

	if (!q->plain)
		return sr_openat2(q->dirfd, q->path, O_PATH | O_CLOEXEC | flags, q->resolve);
	fd = openat(q->dirfd, q->path, O_PATH | O_CLOEXEC | flags);
	return fd < 0 ? -errno : fd;
}

/*
 * q's path opened for reading, or -EINVAL when it is not a regular file.
 * Opening is an action for everything else: a FIFO's open waits for a
 * writer, a device's runs its driver (a watchdog starts counting, a tape
 * rewinds). So the path is resolved to an O_PATH handle, which opens
 * nothing, and checked; the read handle is then reopened from that very
 * handle through /proc/self/fd, which names the same file whatever happens
 * to the path meanwhile.
 */
static int open_regular(const struct sr_req *q, struct stat *st)
{
	char self[32];
	int pfd, fd, err;

	pfd = open_path(q, 0);
	if (pfd < 0)
		return pfd;
	if (fstat(pfd, st)) {
		err = -errno;
		close(pfd);
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		close(pfd);
		return S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	err = fd < 0 ? -errno : fd;
	close(pfd);
	return err;
}

static ssize_t read_retry(int fd, char *b, size_t n)
{
	ssize_t r;

	do
		r = read(fd, b, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

/*
 * At most max bytes of fd. A sized file is read up to the size fstat gave
 * (the snapshot the caller's cache identity describes), into exactly that
 * much memory plus the NUL. A file that reports size 0 (procfs, sysfs) is
 * read to EOF into a buffer that doubles, and probed for one byte more
 * when it fills max.
 */
static int read_bounded(int fd, const struct stat *st, size_t max, bool head, char **buf,
			size_t *len, bool *more)
{
	size_t size = st->st_size > 0 ? (size_t)st->st_size : 0, cap, got = 0;
	char *b, *nb, probe;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	*more = false;
	if (max > (size_t)SSIZE_MAX / 2)
		max = (size_t)SSIZE_MAX / 2;
	if (size > max && !head)
		return -EFBIG;
	cap = size ? (size < max ? size : max) : (max < SR_GROW_FIRST ? max : SR_GROW_FIRST);
	b = malloc(cap + 1);
	if (!b)
		return -ENOMEM;
	for (;;) {
		if (got == cap) {
			if (size || cap == max)
				break;
			cap = cap > max / 2 ? max : cap * 2 + 1;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = read_retry(fd, b + got, cap - got);
		if (r < 0) {
			free(b);
			return (int)r;
		}
		if (r == 0)
			goto eof;
		got += (size_t)r;
	}
	if (size) {
		*more = size > max;
	} else {
		r = read_retry(fd, &probe, 1);
		if (r < 0) {
			free(b);
			return (int)r;
		}
		*more = r > 0;
	}
	if (*more && !head) {
		free(b);
		return -EFBIG;
	}
eof:
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

int sr_read_fd(int fd, size_t max, char **buf, size_t *len, struct stat *st)
{
	struct stat sb;
	bool more;

	*buf = NULL;
	*len = 0;
	if (!st)
		st = &sb;
	if (fstat(fd, st))
		return -errno;
	if (!S_ISREG(st->st_mode))
		return S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
	return read_bounded(fd, st, max, false, buf, len, &more);
}

static int run_read(struct sr_req *q)
{
	int fd = open_regular(q, &q->st), err;

	if (fd < 0)
		return fd;
	if (q->cred.known && !sr_cred_may_read(&q->cred, &q->st)) {
		close(fd); /* not one byte of it read */
		return -EPERM; /* not -EACCES: that is our own permission failing */
	}
	err = read_bounded(fd, &q->st, q->max, q->head, &q->buf, &q->len, &q->more);
	close(fd);
	return err;
}

/*
 * Look for q->needle in a window of SR_FIND_WINDOW bytes that slides over
 * the file, the last nlen - 1 bytes carried into the next read so a match
 * across two reads is seen: memory is the window, whatever the file's size.
 */
static int run_find(struct sr_req *q)
{
	size_t keep = q->nlen - 1, cap = SR_FIND_WINDOW + keep, have = 0, total = 0;
	int fd = open_regular(q, &q->st), err = 0;
	ssize_t r;
	char *b;

	if (fd < 0)
		return fd;
	if (q->cred.known && !sr_cred_may_read(&q->cred, &q->st)) {
		close(fd);
		return -EPERM;
	}
	if (q->st.st_size > 0 && (unsigned long long)q->st.st_size > q->max) {
		close(fd);
		return -EFBIG;
	}
	b = malloc(cap);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		r = read_retry(fd, b + have, cap - have);
		if (r <= 0) {
			err = (int)r;
			break;
		}
		have += (size_t)r;
		total += (size_t)r;
		if (total > q->max) {
			err = -EFBIG; /* a file that said size 0 */
			break;
		}
		if (memmem(b, have, q->needle, q->nlen)) {
			q->found = true;
			break;
		}
		if (have > keep) {
			memmove(b, b + have - keep, keep);
			have = keep;
		}
	}
	free(b);
	close(fd);
	return err;
}

static int run_opendir(struct sr_req *q)
{
	q->fd = open_path(q, O_DIRECTORY);
	return q->fd < 0 ? q->fd : 0;
}

static int run_stat(struct sr_req *q)
{
	int fd = open_path(q, 0);
	int err = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, &q->st))
		err = -errno;
	close(fd);
	return err;
}

static int cmp_names(const void *a, const void *b)
{
	/* strcmp compares as unsigned char: bytewise, whatever the locale */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_list(struct sr_req *q)
{
	size_t cap = 0, n = 0;
	char **v = NULL, **nv;
	struct dirent *de;
	int fd, err = 0;
	DIR *d;

	/* an O_PATH handle cannot be read: a readable one on the same directory */
	fd = openat(q->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	for (;;) {
		unsigned char type;

		errno = 0;
		de = readdir(d);
		if (!de) {
			err = -errno;
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		type = de->d_type;
		if (type == DT_UNKNOWN) {
			struct stat st;

			/* never follow: a symlink's target is the hostile part */
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW))
				continue;
			type = S_ISREG(st.st_mode)   ? DT_REG
			       : S_ISDIR(st.st_mode) ? DT_DIR
						     : DT_UNKNOWN;
		}
		if (type != (q->want_dirs ? DT_DIR : DT_REG))
			continue;
		if (n == q->max) {
			err = -E2BIG;
			break;
		}
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (!v[n]) {
			err = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (!err && !v)
		v = calloc(1, sizeof(*v));
	if (!err && !v)
		err = -ENOMEM;
	if (err) {
		sr_names_free(v, n);
		return err;
	}
	qsort(v, n, sizeof(*v), cmp_names);
	v[n] = NULL;
	q->names = v;
	q->n = n;
	return 0;
}

int sr_stat_parse(const char *buf, struct sr_stat *out)
{
	const char *lp = strchr(buf, '('), *rp = strrchr(buf, ')'), *p;
	unsigned long long v;
	size_t clen;
	char *end;
	int field;

	memset(out, 0, sizeof(*out));
	if (!lp || !rp || rp < lp)
		return -EINVAL;
	clen = (size_t)(rp - lp - 1);
	if (clen >= sizeof(out->comm))
		clen = sizeof(out->comm) - 1;
	memcpy(out->comm, lp + 1, clen);
	/* after the comm: state (3), ppid (4), flags (9), threads (20), starttime (22) */
	p = rp + 1;
	for (field = 3; field <= 22; field++) {
		if (*p != ' ')
			return -EINVAL;
		p++;
		if (field == 3) {
			out->state = *p;
		} else if (field == 4 || field == 9 || field == 20 || field == 22) {
			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno || (*end != ' ' && *end != '\n' && *end))
				return -EINVAL;
			if (field == 4)
				out->ppid = (pid_t)v;
			else if (field == 9)
				out->flags = (unsigned long)v;
			else if (field == 20)
				out->threads = (long)v;
			else
				out->start = v;
		}
		p += strcspn(p, " ");
	}
	return 0;
}

bool sr_stat_gone(const struct sr_stat *st)
{
	if (st->threads > 1)
		return false; /* a zombie leader whose other threads still run lives on */
	return st->state == 'Z' || st->state == 'X' || (st->flags & 0x4 /* PF_EXITING */);
}

/* The start time from stat open beneath dirfd (AT_FDCWD: path absolute); 0 when unknown. */
static unsigned long long stat_start(int dirfd, const char *path)
{
	struct sr_stat ps;
	struct stat st;
	char *buf;
	size_t len;
	bool more;
	int fd, err;

	/* named by us, inside procfs: a plain open cannot meet a FIFO or a device */
	fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	err = fstat(fd, &st) ? -errno
			     : read_bounded(fd, &st, SR_STAT_MAX, false, &buf, &len, &more);
	close(fd);
	if (err)
		return 0;
	err = sr_stat_parse(buf, &ps);
	free(buf);
	return err ? 0 : ps.start;
}

static int run_pid_start(struct sr_req *q)
{
	q->start = stat_start(AT_FDCWD, q->path);
	return 0;
}

/*
 * Why this is race-free: the /proc/PID directory handle is bound to the
 * kernel's struct pid of the process that held PID when it was opened, and
 * a struct pid never passes to another process (a reused number gets a new
 * one). Everything after goes through that handle: "root" is that process's
 * root, "stat" that process's start time, and both fail once it has exited.
 * So a start time that matches proves the root came from the expected
 * process, whether PID was reused before, between or after the opens.
 */
bool sr_cred_may_read(const struct sr_cred *c, const struct stat *st)
{
	unsigned i;

	if (c->privileged)
		return true;
	if (st->st_uid == c->fsuid)
		return st->st_mode & S_IRUSR;
	if (st->st_gid == c->fsgid)
		return st->st_mode & S_IRGRP;
	for (i = 0; i < c->ngroups; i++)
		if (st->st_gid == c->groups[i])
			return st->st_mode & S_IRGRP;
	return st->st_mode & S_IROTH;
}

/* The 4th number (fs id) of a "Uid:" / "Gid:" line. */
static int status_fsid(const char *status, const char *key, unsigned long *out)
{
	const char *l = strstr(status, key);
	char *end;
	int i;

	if (!l)
		return -EINVAL;
	l += strlen(key);
	for (i = 0; i < 4; i++) {
		errno = 0;
		*out = strtoul(l, &end, 10);
		if (end == l || errno)
			return -EINVAL;
		l = end;
	}
	return 0;
}

int sr_cred_parse(const char *status, bool same_userns, struct sr_cred *c)
{
	unsigned long uid, gid, v;
	unsigned long long cap;
	const char *l;
	char *end;

	memset(c, 0, sizeof(*c));
	if (status_fsid(status, "\nUid:", &uid) || status_fsid(status, "\nGid:", &gid))
		return -EINVAL;
	l = strstr(status, "\nCapEff:");
	if (!l)
		return -EINVAL;
	errno = 0;
	cap = strtoull(l + 8, &end, 16);
	if (end == l + 8 || errno)
		return -EINVAL;
	c->fsuid = (uid_t)uid;
	c->fsgid = (gid_t)gid;
	/* bits 1 and 2: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH; another user namespace's grant nothing here */
	c->privileged = same_userns && (cap & 0x6);
	l = strstr(status, "\nGroups:");
	if (l) {
		l += 8;
		while (c->ngroups < SR_CRED_GROUPS) {
			errno = 0;
			v = strtoul(l, &end, 10);
			if (end == l || errno)
				break;
			c->groups[c->ngroups++] = (gid_t)v;
			l = end;
		}
	}
	c->known = true;
	return 0;
}

/* The credentials of the process behind the /proc/PID handle pfd; unknown on any doubt. */
static void read_cred(int pfd, struct sr_cred *c)
{
	struct stat ours, theirs, st;
	char *buf;
	size_t len;
	bool more;
	int fd;

	memset(c, 0, sizeof(*c));
	if (stat("/proc/self/ns/user", &ours) || fstatat(pfd, "ns/user", &theirs, 0))
		return;
	fd = openat(pfd, "status", O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && !read_bounded(fd, &st, 65536, false, &buf, &len, &more)) {
		if (sr_cred_parse(buf, ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev,
				  c))
			memset(c, 0, sizeof(*c));
		free(buf);
	}
	close(fd);
}

static int run_root_of_pid(struct sr_req *q)
{
	unsigned long long start;
	int pfd, root, ns, err;

	pfd = sr_openat2(AT_FDCWD, q->path, O_PATH | O_DIRECTORY | O_CLOEXEC,
			 RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (pfd < 0)
		return pfd == -ENOENT ? -ESRCH : pfd;
	/*
	 * The namespace first: held, its mounts stay attached for as long as
	 * we read under the root, whatever the process does next. Following
	 * the magic links is the point: we name them, not a hostile process.
	 */
	ns = openat(pfd, "ns/mnt", O_RDONLY | O_CLOEXEC);
	if (ns < 0) {
		err = errno == ENOENT ? -ESRCH : -errno;
		close(pfd);
		return err;
	}
	root = openat(pfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		err = errno == ENOENT ? -ESRCH : -errno;
		close(ns);
		close(pfd);
		return err;
	}
	read_cred(pfd, &q->cred);
	start = stat_start(pfd, "stat");
	close(pfd);
	/* no credentials: gone meanwhile; a root we could not check reads is no root */
	if (!start || (q->start && start != q->start) || !q->cred.known) {
		close(root);
		close(ns);
		return -ESRCH;
	}
	q->start = start;
	q->fd = root;
	q->fd2 = ns;
	return 0;
}

/* ---- the API ------------------------------------------------------------- */

/* Where a hostile path starts and how it may move: beneath at, or inside r. */
static int base_of(const struct sr_root *r, int at, int *dirfd, __u64 *resolve)
{
	if (at >= 0) {
		*dirfd = at;
		*resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
		return 0;
	}
	if (!r || r->fd < 0)
		return -EBADF;
	*dirfd = r->fd;
	*resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	return 0;
}

static int read_req(struct sr_req *q, size_t max, bool head, char **buf, size_t *len, bool *more,
		    struct stat *st)
{
	int err;

	q->max = max;
	q->head = head;
	err = sr_submit(q);
	if (err)
		return err;
	if (q->err)
		return q->err;
	*buf = q->buf;
	*len = q->len;
	q->buf = NULL;
	if (more)
		*more = q->more;
	if (st)
		*st = q->st;
	return 0;
}

/* A request for run on a hostile path: resolved in r (or beneath at). */
static int hostile_req(const struct sr_root *r, int at, const char *path, sr_run_fn run,
		       struct sr_req **q)
{
	__u64 resolve;
	int dirfd, err;

	err = base_of(r, at, &dirfd, &resolve);
	if (!err)
		err = req_new(q, run, dirfd, path);
	if (err)
		return err;
	(*q)->resolve = resolve;
	if (at < 0 && r && r->cred.known)
		(*q)->cred = r->cred; /* a process's root: read only what it could read */
	return 0;
}

static int hostile_read(const struct sr_root *r, int at, const char *path, size_t max, bool head,
			char **buf, size_t *len, bool *more, struct stat *st)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err;

	*buf = NULL;
	*len = 0;
	err = hostile_req(r, at, path, run_read, &q);
	if (err)
		return err;
	return read_req(q, max, head, buf, len, more, st);
}

int sr_find(const struct sr_root *r, int at, const char *path, size_t max, const void *needle,
	    size_t nlen, bool *found, struct stat *st)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err;

	*found = false;
	if (!nlen || nlen > SR_FIND_WINDOW)
		return -EINVAL;
	err = hostile_req(r, at, path, run_find, &q);
	if (err)
		return err;
	q->needle = malloc(nlen);
	if (!q->needle)
		return -ENOMEM;
	memcpy(q->needle, needle, nlen);
	q->nlen = nlen;
	q->max = max;
	err = sr_submit(q);
	if (err)
		return err;
	if (q->err)
		return q->err;
	*found = q->found;
	if (st)
		*st = q->st;
	return 0;
}

int sr_read(const struct sr_root *r, int at, const char *path, size_t max, char **buf, size_t *len,
	    struct stat *st)
{
	return hostile_read(r, at, path, max, false, buf, len, NULL, st);
}

int sr_read_head(const struct sr_root *r, int at, const char *path, size_t max, char **buf,
		 size_t *len, bool *more)
{
	*more = false;
	return hostile_read(r, at, path, max, true, buf, len, more, NULL);
}

int sr_read_user(const char *path, size_t max, char **buf, size_t *len, struct stat *st)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err;

	*buf = NULL;
	*len = 0;
	err = req_new(&q, run_read, AT_FDCWD, path);
	if (err)
		return err;
	q->plain = true;
	return read_req(q, max, false, buf, len, NULL, st);
}

/* Run `run` on path under r (or beneath at) and wait for it: 0 or -errno. */
static int hostile_call(const struct sr_root *r, int at, const char *path, sr_run_fn run,
			struct sr_req **out)
{
	__u64 resolve;
	int base, err;

	*out = NULL;
	err = base_of(r, at, &base, &resolve);
	if (!err)
		err = req_new(out, run, base, path);
	if (err)
		return err;
	(*out)->resolve = resolve;
	err = sr_submit(*out);
	return err ? err : (*out)->err;
}

int sr_opendir(const struct sr_root *r, int at, const char *path, int *dirfd)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err = hostile_call(r, at, path, run_opendir, &q);

	*dirfd = -1;
	if (err)
		return err;
	*dirfd = q->fd;
	q->fd = -1;
	return 0;
}

unsigned sr_test_stuck(void)
{
	unsigned n;

	pthread_mutex_lock(&sr.lock);
	n = sr.stuck;
	pthread_mutex_unlock(&sr.lock);
	return n;
}

int sr_stat(const struct sr_root *r, int at, const char *path, struct stat *st)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err = hostile_call(r, at, path, run_stat, &q);

	if (!err && st)
		*st = q->st;
	return err;
}

int sr_list(int dirfd, bool want_dirs, size_t maxn, char ***names, size_t *n)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err;

	*names = NULL;
	*n = 0;
	if (dirfd < 0)
		return -EBADF;
	err = req_new(&q, run_list, dirfd, NULL);
	if (err)
		return err;
	q->want_dirs = want_dirs;
	q->max = maxn;
	err = sr_submit(q);
	if (!err)
		err = q->err;
	if (err)
		return err;
	*names = q->names;
	*n = q->n;
	q->names = NULL;
	q->n = 0;
	return 0;
}

unsigned long long sr_pid_start(pid_t pid)
{
	struct sr_req *q _cleanup_req_ = NULL;
	char path[32];

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (req_new(&q, run_pid_start, AT_FDCWD, path) || sr_submit(q))
		return 0;
	return q->start;
}

int sr_root_of_pid(struct sr_root *r, pid_t pid, unsigned long long start)
{
	struct sr_req *q _cleanup_req_ = NULL;
	char path[32];
	int err;

	*r = (struct sr_root)SR_ROOT_INIT;
	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	err = req_new(&q, run_root_of_pid, AT_FDCWD, path);
	if (err)
		return err;
	q->start = start;
	err = sr_submit(q);
	if (!err)
		err = q->err;
	if (err)
		return err;
	r->fd = q->fd;
	r->nsfd = q->fd2;
	r->cred = q->cred;
	r->pid = pid;
	r->start = q->start;
	q->fd = -1;
	q->fd2 = -1;
	return 0;
}

int sr_root_of_path(struct sr_root *r, const char *dir)
{
	struct sr_req *q _cleanup_req_ = NULL;
	int err;

	*r = (struct sr_root)SR_ROOT_INIT;
	err = req_new(&q, run_opendir, AT_FDCWD, dir);
	if (err)
		return err;
	q->plain = true;
	err = sr_submit(q);
	if (!err)
		err = q->err;
	if (err)
		return err;
	r->fd = q->fd;
	q->fd = -1;
	return 0;
}

int sr_root_dup(const struct sr_root *r, struct sr_root *out)
{
	*out = (struct sr_root)SR_ROOT_INIT;
	if (r->fd < 0)
		return -EBADF;
	out->fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
	if (out->fd < 0)
		return -errno;
	if (r->pid && r->nsfd >= 0) {
		out->nsfd = fcntl(r->nsfd, F_DUPFD_CLOEXEC, 3);
		if (out->nsfd < 0) {
			int err = -errno;

			close(out->fd);
			*out = (struct sr_root)SR_ROOT_INIT;
			return err;
		}
	}
	out->pid = r->pid;
	out->start = r->start;
	out->cred = r->cred;
	return 0;
}

void sr_root_close(struct sr_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->pid && r->nsfd >= 0)
		close(r->nsfd);
	r->fd = -1;
	r->nsfd = -1;
}

const char *sr_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case EINVAL:
		return "not a regular file";
	case EFBIG:
		return "too large";
	case EXDEV:
		return "outside the runtime's root";
	case ELOOP:
		return "a symbolic link where none is allowed";
	case ETIMEDOUT:
		return "timed out (hung file system?)";
	case EAGAIN:
		return "too many hung reads";
	case ENOENT:
		return "no such file";
	case EPERM:
		return "not readable by the process that named it";
	case E2BIG:
		return "too many directory entries";
	case ENOSYS:
		return "openat2() unavailable: hooksnoop needs Linux 5.6 or later";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
