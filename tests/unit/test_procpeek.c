// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * procpeek on real processes of our own (no root needed): the wchan of a
 * child blocked reading a pipe, its descendants with their argv, and a pid
 * named with the wrong start time giving nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "procpeek.h"
#include "saferead.h"

/* A shell blocked reading the pipe's read end, with a `sleep 30` child. */
static pid_t blocked_shell(int *wfd)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", "sleep 30 & read x; kill $!", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

static void test_wchan_and_children(void **state)
{
	struct rtview v;
	struct child_rec *kids = NULL;
	size_t n = 0, i;
	bool trunc;
	char w[128];
	int wfd, st, tries;
	unsigned long long ticks;
	pid_t pid;

	rtview_init(&v);
	pid = blocked_shell(&wfd);
	for (tries = 0; tries < 200; tries++) { /* until it blocks with its child forked */
		struct timespec ts = { 0, 10000000 };

		nanosleep(&ts, NULL);
		procpeek_children_free(kids, n);
		kids = NULL;
		n = 0;
		/* pipe_read, or anon_pipe_read since 6.16 */
		if (procpeek_wchan((__u32)pid, 0, w, sizeof(w)) || !strstr(w, "pipe_read"))
			continue;
		if (!procpeek_children((__u32)pid, 0, &v, 16, 256, &kids, &n, &trunc) && n == 1 &&
		    kids[0].argv_len == 9)
			break;
	}
	assert_non_null(strstr(w, "pipe_read"));
	assert_int_equal(n, 1);
	assert_memory_equal(kids[0].argv, "sleep\0" "30", 9);
	assert_int_equal(kids[0].ppid, (__u32)pid);
	assert_false(trunc);
	assert_false(kids[0].ended);
	procpeek_children_free(kids, n);

	/* named with its own start time: the same answers */
	ticks = sr_pid_start(pid);
	assert_true(ticks > 0);
	assert_int_equal(procpeek_wchan((__u32)pid, ticks, w, sizeof(w)), 0);
	/* named with another start time: a reused pid, nothing */
	assert_int_equal(procpeek_wchan((__u32)pid, ticks + 100, w, sizeof(w)), -ESRCH);
	assert_int_equal(procpeek_children((__u32)pid, ticks + 100, &v, 16, 256, &kids, &n, &trunc),
			 -ESRCH);
	assert_null(kids);
	/* bounded: no room for any descendant */
	assert_int_equal(procpeek_children((__u32)pid, ticks, &v, 0, 256, &kids, &n, &trunc), 0);
	assert_int_equal(n, 0);
	assert_true(trunc);
	procpeek_children_free(kids, n);
	/* argv cut at the budget */
	assert_int_equal(procpeek_children((__u32)pid, ticks, &v, 16, 3, &kids, &n, &trunc), 0);
	assert_int_equal(n, 1);
	assert_int_equal(kids[0].argv_len, 3);
	for (i = 0; i < n; i++)
		assert_true(kids[i].start_ns > 0);
	procpeek_children_free(kids, n);

	assert_int_equal(write(wfd, "x\n", 2), 2);
	close(wfd);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* gone */
	assert_int_equal(procpeek_wchan((__u32)pid, ticks, w, sizeof(w)), -ENOENT);
}

/* Alive: running, named with its start time; not: another start time, a zombie, gone. */
static void test_alive(void **state)
{
	unsigned long long ticks;
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	ticks = sr_pid_start(pid);
	assert_true(ticks > 0);
	assert_int_equal(procpeek_alive((__u32)pid, ticks), 0);
	assert_int_equal(procpeek_alive((__u32)pid, ticks + 100), -ESRCH);
	assert_int_equal(kill(pid, SIGKILL), 0);
	/* a zombie until reaped: it has exited */
	for (int i = 0; i < 200 && procpeek_alive((__u32)pid, ticks) == 0; i++)
		usleep(5000);
	assert_int_equal(procpeek_alive((__u32)pid, ticks), -ESRCH);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(procpeek_alive((__u32)pid, ticks), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wchan_and_children),
		cmocka_unit_test(test_alive),
	};

	return cmocka_run_group_tests_name("procpeek", tests, NULL, NULL);
}
