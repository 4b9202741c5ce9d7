// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A look at a live hook through /proc (see procpeek.h): the kernel function
 * it sleeps in and the descendants alive now, for `hook_running` records.
 * Every read goes through saferead under a /proc/PID handle, and the first
 * read through each handle is the process's start time: a pid that now
 * names another process gives nothing, and every later read through the
 * same handle is that process's or fails (the handle is bound to it).
 * A descendant is kept only when its stat names the process it was listed
 * under as its parent. Bounded: at most `max` descendants, `argv_max`
 * bytes of each argv, breadth first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procpeek.h"
#include "saferead.h"

#define STAT_MAX 4096
#define WCHAN_MAX 128
#define CHILDREN_MAX 16384 /* one task's children list: pids and spaces */
#define TASKS_MAX 4096

/* /proc/PID as a handle, if PID still is the process that started at `ticks` (0: any). */
static int open_pid(const struct sr_root *proc, __u32 pid, unsigned long long ticks,
		    struct sr_stat *st, int *fd)
{
	char name[16], *buf;
	size_t len;
	int err;

	snprintf(name, sizeof(name), "%u", pid);
	err = sr_opendir(proc, -1, name, fd);
	if (err)
		return err;
	err = sr_read(NULL, *fd, "stat", STAT_MAX, &buf, &len, NULL);
	if (!err) {
		err = sr_stat_parse(buf, st);
		free(buf);
	}
	/* /proc's start time is in clock ticks: the record's, converted, may be one off */
	if (!err && ticks && (st->start + 1 < ticks || st->start > ticks + 1))
		err = -ESRCH;
	if (err) {
		close(*fd);
		*fd = -1;
	}
	return err;
}

unsigned long long procpeek_ticks(const struct rtview *v, __u64 start_ns)
{
	return (unsigned long long)(v->boot_off_ns + (__s64)start_ns) / v->ns_per_tick;
}

int procpeek_wchan(__u32 pid, unsigned long long ticks, char *buf, size_t sz)
{
	struct sr_root proc __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct sr_stat st;
	char *w = NULL;
	size_t len = 0, i;
	int fd = -1, err;

	if (!sz)
		return -EINVAL;
	err = sr_root_of_path(&proc, "/proc");
	if (!err)
		err = open_pid(&proc, pid, ticks, &st, &fd);
	if (!err)
		err = sr_read(NULL, fd, "wchan", WCHAN_MAX, &w, &len, NULL);
	if (fd >= 0)
		close(fd);
	if (err)
		return err;
	/* a symbol name, or "0" while it runs; anything else is not ours to print raw */
	for (i = 0; i < len && i + 1 < sz; i++) {
		char ch = w[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.'))
			break;
		buf[i] = ch;
	}
	buf[i] = '\0';
	free(w);
	if (!strcmp(buf, "0"))
		buf[0] = '\0';
	return 0;
}

int procpeek_alive(__u32 pid, unsigned long long ticks)
{
	struct sr_root proc __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct sr_stat st;
	int fd = -1, err;

	err = sr_root_of_path(&proc, "/proc");
	if (!err)
		err = open_pid(&proc, pid, ticks, &st, &fd);
	if (fd >= 0)
		close(fd);
	/* exited (a zombie) or exiting: its exit record was made, or lost, already */
	if (!err && sr_stat_gone(&st))
		err = -ESRCH;
	return err == -ENOENT ? -ESRCH : err;
}

/* The pids in "task/TID/children" of every thread of the process under fd. */
static int child_pids(int fd, __u32 **pids, size_t *n)
{
	char **tasks = NULL, path[64], *buf, *p, *end;
	size_t ntasks = 0, i, len;
	int tdir, err;

	err = sr_opendir(NULL, fd, "task", &tdir);
	if (err)
		return err;
	err = sr_list(tdir, true, TASKS_MAX, &tasks, &ntasks);
	close(tdir);
	if (err)
		return err;
	for (i = 0; i < ntasks; i++) {
		snprintf(path, sizeof(path), "task/%.20s/children", tasks[i]);
		if (sr_read(NULL, fd, path, CHILDREN_MAX, &buf, &len, NULL))
			continue; /* a thread that just exited */
		for (p = buf; *p;) {
			unsigned long v = strtoul(p, &end, 10);
			__u32 *nv;

			if (end == p)
				break;
			p = end;
			while (*p == ' ')
				p++;
			if (!v || v > 0x7fffffff)
				continue;
			nv = realloc(*pids, (*n + 1) * sizeof(**pids));
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			*pids = nv;
			(*pids)[(*n)++] = (__u32)v;
		}
		free(buf);
		if (err)
			break;
	}
	sr_names_free(tasks, ntasks);
	return err;
}

int procpeek_children(__u32 pid, unsigned long long ticks, const struct rtview *v, size_t max,
		      size_t argv_max, struct child_rec **out, size_t *nout, bool *trunc)
{
	struct sr_root proc __attribute__((cleanup(sr_root_close))) = SR_ROOT_INIT;
	struct child_rec *kids = NULL;
	size_t nkids = 0, head = 0;
	int err;

	*out = NULL;
	*nout = 0;
	*trunc = false;
	err = sr_root_of_path(&proc, "/proc");
	if (err)
		return err;
	/* breadth first: the hook itself, then each kept descendant in turn */
	for (; head <= nkids; head++) {
		__u32 parent = head == 0 ? pid : kids[head - 1].pid;
		unsigned long long pticks = head == 0 ? ticks : 0;
		__u32 *pids = NULL;
		size_t npids = 0, i;
		struct sr_stat st;
		int fd;

		err = open_pid(&proc, parent, pticks, &st, &fd);
		if (err && head == 0)
			return err; /* the hook itself is gone or not the one */
		if (!err) {
			child_pids(fd, &pids, &npids);
			close(fd);
		}
		for (i = 0; i < npids; i++) {
			struct child_rec *c, *nk;
			char *argv = NULL;
			size_t alen = 0;
			bool more = false;
			int cfd;

			if (nkids >= max) {
				*trunc = true;
				break;
			}
			if (open_pid(&proc, pids[i], 0, &st, &cfd))
				continue;
			if ((__u32)st.ppid != parent) { /* reparented, or a reused pid */
				close(cfd);
				continue;
			}
			sr_read_head(NULL, cfd, "cmdline", argv_max, &argv, &alen, &more);
			close(cfd);
			nk = realloc(kids, (nkids + 1) * sizeof(*kids));
			if (!nk) {
				free(argv);
				break;
			}
			kids = nk;
			c = &kids[nkids++];
			memset(c, 0, sizeof(*c));
			c->pid = pids[i];
			c->ppid = parent;
			c->argv = argv;
			c->argv_len = argv ? alen : 0;
			/* monotonic ns, like every other *_ns, from /proc's ticks since boot */
			c->start_ns = (__u64)((__s64)(st.start * v->ns_per_tick) - v->boot_off_ns);
		}
		free(pids);
	}
	*out = kids;
	*nout = nkids;
	return 0;
}

void procpeek_children_free(struct child_rec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].argv);
	free(v);
}
