// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loads bench/floor.bpf.c's empty programs, attaches them, says "floor:
 * attached" on stdout and waits for SIGINT/SIGTERM.
 *
 *   floor OBJECT_FILE [btf|sys]
 *
 * btf: only the tp_btf programs (sched_process_*); sys: only the classic
 * syscall tracepoints (whose mere presence sends every syscall of every task
 * through the traced slow path).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

static volatile sig_atomic_t done;

static void on_sig(int sig)
{
	(void)sig;
	done = 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	const char *only = argc > 2 ? argv[2] : NULL;
	int n = 0;

	if (argc < 2 || argc > 3 || (only && strcmp(only, "btf") && strcmp(only, "sys"))) {
		fprintf(stderr, "usage: floor OBJECT_FILE [btf|sys]\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "floor: cannot open %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		bool sys = !strncmp(bpf_program__section_name(p), "tracepoint/", 11);

		if (only && (sys != !strcmp(only, "sys")))
			bpf_program__set_autoload(p, false);
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "floor: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		if (!bpf_program__autoload(p))
			continue;
		if (!bpf_program__attach(p)) {
			fprintf(stderr, "floor: cannot attach %s\n", bpf_program__name(p));
			return 1;
		}
		n++;
	}
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	printf("floor: attached %d programs\n", n);
	fflush(stdout);
	while (!done)
		pause();
	bpf_object__close(obj);
	return 0;
}
