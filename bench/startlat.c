// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Startup benchmark driver: how long from launching a tracer until it is
 * attached and delivering events.
 *
 *   startlat [-t TIMEOUT_S] [-i INTERVAL_US] [-l LOGFILE] MARKER -- CMD [ARG...]
 *
 * Starts CMD with its stdout on a pseudo-terminal (so every tool line-buffers
 * its output as it would in a terminal) and, from the same instant, execs
 * MARKER with the argument "hsmark-K" (K = 0, 1, 2...) every INTERVAL_US
 * (default 1000) microseconds, reading CMD's output in between. The first
 * marker K that shows up in the output was exec'd after the tracer attached:
 *
 *   attached_ms  launch -> exec of the first reported marker (the tracer was
 *                attached by then; resolution: one marker period)
 *   seen_ms      launch -> that marker's line read from the tracer's output
 *                (attached and delivering)
 *
 * Prints "attached_ms A seen_ms S marker K sent N" and exits 0, or exits 1
 * when no marker showed up within TIMEOUT_S (default 30). CMD is then stopped
 * with SIGINT (SIGKILL after 10 s). MARKER must be an executable that exits 0.
 * LOGFILE receives CMD's output and stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_MARKERS 200000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: startlat [-t TIMEOUT_S] [-i INTERVAL_US] [-l LOGFILE] MARKER -- "
			"CMD [ARG...]\n");
	exit(2);
}

/* Stop the tool: SIGINT, then SIGKILL if it has not exited within 10 s. */
static void stop(pid_t pid)
{
	double t;
	int st;

	kill(pid, SIGINT);
	t = now_ms();
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() - t > 10000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return;
		}
		usleep(5000);
	}
}

int main(int argc, char **argv)
{
	double timeout_s = 30, t0, *sent, found_t = 0;
	long interval_us = 1000;
	const char *logpath = NULL, *marker;
	char buf[4096], win[8192], arg[32];
	size_t wlen = 0;
	int o, master, slave, logfd = -1, k, found = -1;
	struct termios tio;
	pid_t tool;

	while ((o = getopt(argc, argv, "+t:i:l:")) != -1) {
		switch (o) {
		case 't': timeout_s = atof(optarg); break;
		case 'i': interval_us = atol(optarg); break;
		case 'l': logpath = optarg; break;
		default: usage();
		}
	}
	if (optind + 2 > argc || strcmp(argv[optind + 1], "--") || optind + 2 >= argc)
		usage();
	marker = argv[optind];
	argv += optind + 2;
	sent = calloc(MAX_MARKERS, sizeof(*sent));
	if (!sent)
		return 1;

	if (logpath && (logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		perror("startlat: log");
		return 1;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		perror("startlat: pty");
		return 1;
	}
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || tcgetattr(slave, &tio)) {
		perror("startlat: pty slave");
		return 1;
	}
	cfmakeraw(&tio);
	tcsetattr(slave, TCSANOW, &tio);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

	t0 = now_ms();
	tool = fork();
	if (tool < 0) {
		perror("startlat: fork");
		return 1;
	}
	if (tool == 0) {
		int null = open("/dev/null", O_RDONLY);

		setsid();
		dup2(null, 0);
		dup2(slave, 1);
		dup2(logfd >= 0 ? logfd : slave, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "startlat: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}

	for (k = 0; k < MAX_MARKERS && found < 0; k++) {
		pid_t m;
		int st;
		ssize_t n;
		char *hit;

		if (now_ms() - t0 > timeout_s * 1000)
			break;
		snprintf(arg, sizeof(arg), "hsmark-%d", k);
		sent[k] = now_ms();
		m = fork();
		if (m == 0) {
			execl(marker, marker, arg, (char *)NULL);
			_exit(127);
		}
		if (m < 0 || waitpid(m, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "startlat: marker %s failed\n", marker);
			stop(tool);
			return 1;
		}
		usleep((useconds_t)interval_us);
		/* drain the tool's output; keep a window so a marker split by reads is found */
		while ((n = read(master, buf, sizeof(buf))) > 0) {
			if (logfd >= 0 && write(logfd, buf, (size_t)n) < 0)
				logfd = -1;
			if (wlen + (size_t)n >= sizeof(win)) {
				size_t keep = wlen > 64 ? 64 : wlen;

				memmove(win, win + wlen - keep, keep);
				wlen = keep;
			}
			if ((size_t)n >= sizeof(win) - wlen)
				n = (ssize_t)(sizeof(win) - wlen - 1);
			memcpy(win + wlen, buf, (size_t)n);
			wlen += (size_t)n;
			win[wlen] = '\0';
			/* the output may hold NULs (none expected): scan as text up to them */
			hit = strstr(win, "hsmark-");
			if (hit && hit[7] >= '0' && hit[7] <= '9') {
				char *end;
				long v = strtol(hit + 7, &end, 10);

				/* the number must be complete (followed by a non-digit) */
				if (*end && v >= 0 && v <= k) {
					found = (int)v;
					found_t = now_ms();
					break;
				}
			}
		}
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			int st2;

			if (waitpid(tool, &st2, WNOHANG) == tool) {
				fprintf(stderr, "startlat: %s exited before delivering a marker\n", argv[0]);
				return 1;
			}
		}
	}
	stop(tool);
	if (found < 0) {
		fprintf(stderr, "startlat: no marker seen in %s's output within %.0f s (%d sent)\n",
			argv[0], timeout_s, k);
		return 1;
	}
	printf("attached_ms %.2f seen_ms %.2f marker %d sent %d\n", sent[found] - t0, found_t - t0,
	       found, k);
	return 0;
}
