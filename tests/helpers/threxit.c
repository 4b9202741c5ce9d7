// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * threxit N [g]: start N threads that leave at the same instant, each with
 * its own exit (SYS_exit, not the group's), the main thread too; with g,
 * they spin and the main thread's exit_group() kills them where they run. Every thread
 * decrements its process's live count, then runs the rest of do_exit()
 * before the sched_process_exit tracepoint: when they run on several CPUs,
 * more than one of them can find the count at 0 there. The process is
 * gone when the last one is.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t go;

static int group;

static void *leave(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&go);
	if (group)
		for (;;) /* killed by the main thread's exit_group() while running */
			__asm__ volatile("" ::: "memory");
	syscall(SYS_exit, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4, i;

	group = argc > 2 && argv[2][0] == 'g';
	pthread_t t;

	if (n < 1 || n > 256)
		return 2;
	if (pthread_barrier_init(&go, NULL, (unsigned)n + 1))
		return 1;
	for (i = 0; i < n; i++)
		if (pthread_create(&t, NULL, leave, NULL))
			return 1;
	if (group) {
		pthread_barrier_wait(&go);
		syscall(SYS_exit_group, 0);
	}
	leave(NULL);
	return 0;
}
