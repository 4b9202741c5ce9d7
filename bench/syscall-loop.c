// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Syscall-tax driver: the cost of one cheap system call, as the rest of the
 * host pays it while a tracer is loaded.
 *
 *   syscall-loop getppid|write BATCHES CALLS
 *
 * Runs BATCHES batches of CALLS calls each (getppid(), or a 1-byte write() to
 * /dev/null) and prints the fastest batch's nanoseconds per call: other load
 * on a shared machine (interrupts, preemption, a fuzzer on the same CPU) only
 * ever adds time, while a tracer's tax is paid by every call of every batch.
 * The raw syscall() keeps libc caching out of it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long batches, calls, b, i;
	int use_write, fd = -1;
	double *per;
	char c = 'x';

	if (argc != 4 || (strcmp(argv[1], "getppid") && strcmp(argv[1], "write"))) {
		fprintf(stderr, "usage: syscall-loop getppid|write BATCHES CALLS\n");
		return 2;
	}
	use_write = !strcmp(argv[1], "write");
	batches = strtol(argv[2], NULL, 10);
	calls = strtol(argv[3], NULL, 10);
	if (batches < 1 || calls < 1) {
		fprintf(stderr, "syscall-loop: BATCHES and CALLS must be positive\n");
		return 2;
	}
	if (use_write) {
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			perror("syscall-loop: /dev/null");
			return 1;
		}
	}
	per = calloc(batches, sizeof(*per));
	if (!per)
		return 1;
	for (b = 0; b < batches; b++) {
		double t0 = now_ns();

		if (use_write) {
			for (i = 0; i < calls; i++)
				if (syscall(SYS_write, fd, &c, 1) != 1)
					return 1;
		} else {
			for (i = 0; i < calls; i++)
				syscall(SYS_getppid);
		}
		per[b] = (now_ns() - t0) / calls;
	}
	qsort(per, batches, sizeof(*per), cmp_double);
	printf("%.2f\n", per[0]);
	free(per);
	return 0;
}
