// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime command lines and state directories. One table-driven option
 * scanner understands the five option syntaxes the runtimes and their drivers
 * are built on (Go's flag package behind urfave/cli and runsc, glibc argp,
 * Rust clap, spf13/pflag, GLib GOption); per program, a table says which
 * options take a value, and a command list says where the container ID is.
 * The tables were read from the programs' sources (see rtargs.h); where a
 * program would reject a line, we still parse as far as we can and say why in
 * rt_invocation.warn, because the correlator wants to know what a failed
 * invocation was about too. State files are read with jansson from
 * descriptors opened beneath the state root, never through a symlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtargs.h"
#include "util.h"

/* ---------------------------------------------------------------------------------------------
 * Names and kinds
 */

static const char *const kind_names[] = {
	[RT_UNKNOWN] = "unknown", [RT_CRUN] = "crun",     [RT_RUNC] = "runc",
	[RT_YOUKI] = "youki",     [RT_RUNSC] = "runsc",   [RT_KRUN] = "krun",
	[RT_PODMAN] = "podman",   [RT_CONMON] = "conmon", [RT_SHIM] = "containerd-shim",
};

const char *rt_kind_name(enum rt_kind kind)
{
	if ((unsigned int)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

static const char *const cmd_names[] = {
	[RT_CMD_NONE] = "",	  [RT_CMD_CREATE] = "create", [RT_CMD_START] = "start",
	[RT_CMD_RUN] = "run",	  [RT_CMD_DELETE] = "delete", [RT_CMD_KILL] = "kill",
	[RT_CMD_EXEC] = "exec",	  [RT_CMD_STATE] = "state",   [RT_CMD_RESTORE] = "restore",
	[RT_CMD_INIT] = "init",	  [RT_CMD_CLEANUP] = "cleanup", [RT_CMD_OTHER] = "other",
};

const char *rt_cmd_name(enum rt_cmd cmd)
{
	if ((unsigned int)cmd >= sizeof(cmd_names) / sizeof(cmd_names[0]))
		return "other";
	return cmd_names[cmd];
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

enum rt_kind rt_kind_from_name(const char *name)
{
	const char *b;

	if (!name)
		return RT_UNKNOWN;
	b = base_name(name);
	if (!strcmp(b, "crun"))
		return RT_CRUN;
	/* crun picks a handler from "crun-HANDLER" (fill_handler_from_argv0). */
	if (has_prefix(b, "crun-") && b[5])
		return RT_CRUN;
	if (!strcmp(b, "krun"))
		return RT_KRUN;
	/* runc renames its re-exec'd init stages runc:[0:PARENT], runc:[1:CHILD], runc:[2:INIT]. */
	if (!strcmp(b, "runc") || has_prefix(b, "runc:["))
		return RT_RUNC;
	if (!strcmp(b, "youki"))
		return RT_YOUKI;
	if (!strcmp(b, "runsc") || !strcmp(b, "runsc-gofer") || !strcmp(b, "runsc-sandbox"))
		return RT_RUNSC;
	if (!strcmp(b, "podman"))
		return RT_PODMAN;
	if (!strcmp(b, "conmon"))
		return RT_CONMON;
	/* "containerd-shim-runc-v2" is cut to the 15-byte comm "containerd-shim". */
	if (has_prefix(b, "containerd-shim"))
		return RT_SHIM;
	return RT_UNKNOWN;
}

bool rt_is_reexec_path(const char *f)
{
	const char *p;

	if (!f)
		return false;
	if (has_prefix(f, "memfd:"))
		return true;
	if (has_prefix(f, "/dev/fd/"))
		return all_digits(f + 8);
	if (!has_prefix(f, "/proc/"))
		return false;
	p = f + 6;
	if (has_prefix(p, "self/")) {
		p += 5;
	} else if (has_prefix(p, "thread-self/")) {
		p += 12;
	} else {
		const char *slash = strchr(p, '/');
		char num[24];

		if (!slash || slash == p || (size_t)(slash - p) >= sizeof(num))
			return false;
		memcpy(num, p, slash - p);
		num[slash - p] = '\0';
		if (!all_digits(num))
			return false;
		p = slash + 1;
	}
	if (!strcmp(p, "exe"))
		return true;
	return has_prefix(p, "fd/") && all_digits(p + 3);
}

enum rt_kind rt_detect(const char *filename, const char *argv0, const char *comm)
{
	enum rt_kind k;

	if (filename && *filename && !rt_is_reexec_path(filename))
		return rt_kind_from_name(filename);
	k = rt_kind_from_name(argv0);
	if (k != RT_UNKNOWN)
		return k;
	return rt_kind_from_name(comm);
}

const char *rt_default_root(enum rt_kind kind)
{
	switch (kind) {
	case RT_CRUN:
	case RT_KRUN:
		/* crun uses $XDG_RUNTIME_DIR/crun when that is set, even for root. */
		return "/run/crun";
	case RT_RUNC:
		return "/run/runc";
	case RT_YOUKI:
		return "/run/youki";
	case RT_RUNSC:
		return "/var/run/runsc";
	default:
		return NULL;
	}
}

bool rt_id_valid(const char *id)
{
	size_t n;

	if (!id)
		return false;
	n = strnlen(id, RT_ID_MAX + 1);
	if (n == 0 || n > RT_ID_MAX)
		return false;
	if (!strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	for (; *id; id++)
		if (*id == '/' || (unsigned char)*id < 0x20 || *id == 0x7f)
			return false;
	return true;
}

/* ---------------------------------------------------------------------------------------------
 * Option tables. Each entry: long name, short letter, whether it takes a
 * value, and what it means to us (F_IGNORE: known, irrelevant).
 */

enum { A_NONE, A_REQ, A_OPT };

enum rt_field {
	F_IGNORE,
	F_ROOT,
	F_LOG,
	F_LOG_FORMAT,
	F_DEBUG,
	F_SYSTEMD_CGROUP,
	F_CGROUP_MANAGER,
	F_ROOTLESS,
	F_CRUN_ROOTLESS,
	F_BUNDLE,
	F_CONFIG,
	F_PID_FILE,
	F_CONSOLE_SOCKET,
	F_NO_PIVOT,
	F_NO_NEW_KEYRING,
	F_PRESERVE_FDS,
	F_DETACH,
	F_KEEP,
	F_FORCE,
	F_ALL,
	F_NO_SUBREAPER,
	F_PROCESS,
	F_ID,
	F_RUNTIME,
	F_RUNTIME_ARG,
	F_RUNTIME_FLAG,
	F_HOOKS_DIR,
	F_NAMESPACE,
	F_CONMON_EXEC,
	F_CONMON_RESTORE,
};

struct rt_opt {
	const char *lng;
	char shrt;
	unsigned char arg;
	unsigned char field;
};

#define END { NULL, 0, 0, 0 }

static const struct rt_opt no_opts[] = { END };

/* runc 1.1.5 main.go; "criu" is gone in later runc but takes a value wherever it exists. */
static const struct rt_opt runc_global[] = {
	{ "debug", 0, A_NONE, F_DEBUG },
	{ "log", 0, A_REQ, F_LOG },
	{ "log-format", 0, A_REQ, F_LOG_FORMAT },
	{ "root", 0, A_REQ, F_ROOT },
	{ "criu", 0, A_REQ, F_IGNORE },
	{ "systemd-cgroup", 0, A_NONE, F_SYSTEMD_CGROUP },
	/* A string flag: "--rootless true", not a boolean. */
	{ "rootless", 0, A_REQ, F_ROOTLESS },
	{ "help", 'h', A_NONE, F_IGNORE },
	{ "version", 'v', A_NONE, F_IGNORE },
	END,
};

/* urfave/cli adds --help/-h to every command. */
static const struct rt_opt runc_common[] = {
	{ "help", 'h', A_NONE, F_IGNORE },
	END,
};

/* create.go; --pidfd-socket is runc >= 1.2. */
static const struct rt_opt runc_create[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pidfd-socket", 0, A_REQ, F_IGNORE },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	END,
};

/* run.go */
static const struct rt_opt runc_run[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pidfd-socket", 0, A_REQ, F_IGNORE },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "keep", 0, A_NONE, F_KEEP },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "no-subreaper", 0, A_NONE, F_NO_SUBREAPER },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	END,
};

static const struct rt_opt runc_delete[] = {
	{ "force", 'f', A_NONE, F_FORCE },
	END,
};

static const struct rt_opt runc_kill[] = {
	{ "all", 'a', A_NONE, F_ALL },
	END,
};

/* exec.go */
static const struct rt_opt runc_exec[] = {
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pidfd-socket", 0, A_REQ, F_IGNORE },
	{ "cwd", 0, A_REQ, F_IGNORE },
	{ "env", 'e', A_REQ, F_IGNORE },
	{ "tty", 't', A_NONE, F_IGNORE },
	{ "user", 'u', A_REQ, F_IGNORE },
	{ "additional-gids", 'g', A_REQ, F_IGNORE },
	{ "process", 'p', A_REQ, F_PROCESS },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "process-label", 0, A_REQ, F_IGNORE },
	{ "apparmor", 0, A_REQ, F_IGNORE },
	{ "no-new-privs", 0, A_NONE, F_IGNORE },
	{ "cap", 'c', A_REQ, F_IGNORE },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	{ "cgroup", 0, A_REQ, F_IGNORE },
	{ "ignore-paused", 0, A_NONE, F_IGNORE },
	END,
};

/* restore.go: conmon runs "restore" instead of "create" for checkpoints. */
static const struct rt_opt runc_restore[] = {
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "image-path", 0, A_REQ, F_IGNORE },
	{ "work-path", 0, A_REQ, F_IGNORE },
	{ "tcp-established", 0, A_NONE, F_IGNORE },
	{ "ext-unix-sk", 0, A_NONE, F_IGNORE },
	{ "shell-job", 0, A_NONE, F_IGNORE },
	{ "file-locks", 0, A_NONE, F_IGNORE },
	{ "manage-cgroups-mode", 0, A_REQ, F_IGNORE },
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "no-subreaper", 0, A_NONE, F_NO_SUBREAPER },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "empty-ns", 0, A_REQ, F_IGNORE },
	{ "auto-dedup", 0, A_NONE, F_IGNORE },
	{ "lazy-pages", 0, A_NONE, F_IGNORE },
	{ "lsm-profile", 0, A_REQ, F_IGNORE },
	{ "lsm-mount-context", 0, A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt runc_checkpoint[] = {
	{ "image-path", 0, A_REQ, F_IGNORE },
	{ "work-path", 0, A_REQ, F_IGNORE },
	{ "parent-path", 0, A_REQ, F_IGNORE },
	{ "leave-running", 0, A_NONE, F_IGNORE },
	{ "tcp-established", 0, A_NONE, F_IGNORE },
	{ "ext-unix-sk", 0, A_NONE, F_IGNORE },
	{ "shell-job", 0, A_NONE, F_IGNORE },
	{ "lazy-pages", 0, A_NONE, F_IGNORE },
	{ "status-fd", 0, A_REQ, F_IGNORE },
	{ "page-server", 0, A_REQ, F_IGNORE },
	{ "file-locks", 0, A_NONE, F_IGNORE },
	{ "pre-dump", 0, A_NONE, F_IGNORE },
	{ "manage-cgroups-mode", 0, A_REQ, F_IGNORE },
	{ "empty-ns", 0, A_REQ, F_IGNORE },
	{ "auto-dedup", 0, A_NONE, F_IGNORE },
	END,
};

/* runc update and crun update: every option takes a value. */
static const struct rt_opt update_opts[] = {
	{ "resources", 'r', A_REQ, F_IGNORE },
	{ "blkio-weight", 0, A_REQ, F_IGNORE },
	{ "cpu-period", 0, A_REQ, F_IGNORE },
	{ "cpu-quota", 0, A_REQ, F_IGNORE },
	{ "cpu-share", 0, A_REQ, F_IGNORE },
	{ "cpu-rt-period", 0, A_REQ, F_IGNORE },
	{ "cpu-rt-runtime", 0, A_REQ, F_IGNORE },
	{ "cpuset-cpus", 0, A_REQ, F_IGNORE },
	{ "cpuset-mems", 0, A_REQ, F_IGNORE },
	{ "kernel-memory", 0, A_REQ, F_IGNORE },
	{ "kernel-memory-tcp", 0, A_REQ, F_IGNORE },
	{ "memory", 0, A_REQ, F_IGNORE },
	{ "memory-reservation", 0, A_REQ, F_IGNORE },
	{ "memory-swap", 0, A_REQ, F_IGNORE },
	{ "pids-limit", 0, A_REQ, F_IGNORE },
	{ "l3-cache-schema", 0, A_REQ, F_IGNORE },
	{ "mem-bw-schema", 0, A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt runc_ps[] = {
	{ "format", 'f', A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt runc_list[] = {
	{ "format", 'f', A_REQ, F_IGNORE },
	{ "quiet", 'q', A_NONE, F_IGNORE },
	END,
};

static const struct rt_opt runc_events[] = {
	{ "interval", 0, A_REQ, F_IGNORE },
	{ "stats", 0, A_NONE, F_IGNORE },
	END,
};

static const struct rt_opt runc_spec[] = {
	{ "bundle", 'b', A_REQ, F_IGNORE },
	{ "rootless", 0, A_NONE, F_IGNORE },
	END,
};

/*
 * crun 1.8.1 src/crun.c. Before crun 1.22 "rootless" was declared with
 * OPTION_ROOT, so "--rootless V" sets the state root to V (verified with the
 * installed 1.8.1: "crun --rootless=true state x" opens true/x/status).
 */
static const struct rt_opt crun_global[] = {
	{ "debug", 0, A_NONE, F_DEBUG },
	{ "cgroup-manager", 0, A_REQ, F_CGROUP_MANAGER },
	{ "systemd-cgroup", 0, A_NONE, F_SYSTEMD_CGROUP },
	{ "log", 0, A_REQ, F_LOG },
	{ "log-format", 0, A_REQ, F_LOG_FORMAT },
	{ "root", 0, A_REQ, F_ROOT },
	{ "rootless", 0, A_REQ, F_CRUN_ROOTLESS },
	{ "version", 'v', A_NONE, F_IGNORE },
	{ NULL, 'V', A_NONE, F_IGNORE },
	END,
};

/* argp adds these to every parser (argp-parse.c argp_default_options). */
static const struct rt_opt argp_common[] = {
	{ "help", '?', A_NONE, F_IGNORE },
	{ "usage", 0, A_NONE, F_IGNORE },
	{ "program-name", 0, A_REQ, F_IGNORE },
	{ "HANG", 0, A_OPT, F_IGNORE },
	END,
};

/* src/create.c: note -f is --config FILE here but --force in delete. */
static const struct rt_opt crun_create[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "config", 'f', A_REQ, F_CONFIG },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "no-subreaper", 0, A_NONE, F_NO_SUBREAPER },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	END,
};

static const struct rt_opt crun_run[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "config", 'f', A_REQ, F_CONFIG },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "no-subreaper", 0, A_NONE, F_NO_SUBREAPER },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	END,
};

static const struct rt_opt crun_delete[] = {
	{ "force", 'f', A_NONE, F_FORCE },
	{ "regex", 'r', A_NONE, F_IGNORE },
	END,
};

static const struct rt_opt crun_kill[] = {
	{ "all", 'a', A_NONE, F_ALL },
	{ "regex", 'r', A_NONE, F_IGNORE },
	END,
};

/* src/exec.c: --tty takes an optional value (-tfalse, --tty=no). */
static const struct rt_opt crun_exec[] = {
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "tty", 't', A_OPT, F_IGNORE },
	{ "process", 'p', A_REQ, F_PROCESS },
	{ "cwd", 0, A_REQ, F_IGNORE },
	{ "cgroup", 0, A_REQ, F_IGNORE },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "user", 'u', A_REQ, F_IGNORE },
	{ "env", 'e', A_REQ, F_IGNORE },
	{ "cap", 'c', A_REQ, F_IGNORE },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	{ "no-new-privs", 0, A_NONE, F_IGNORE },
	{ "process-label", 0, A_REQ, F_IGNORE },
	{ "apparmor", 0, A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt crun_restore[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "image-path", 0, A_REQ, F_IGNORE },
	{ "work-path", 0, A_REQ, F_IGNORE },
	{ "tcp-established", 0, A_NONE, F_IGNORE },
	{ "ext-unix-sk", 0, A_NONE, F_IGNORE },
	{ "shell-job", 0, A_NONE, F_IGNORE },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "file-locks", 0, A_NONE, F_IGNORE },
	{ "manage-cgroups-mode", 0, A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt crun_checkpoint[] = {
	{ "image-path", 0, A_REQ, F_IGNORE },
	{ "work-path", 0, A_REQ, F_IGNORE },
	{ "leave-running", 0, A_NONE, F_IGNORE },
	{ "tcp-established", 0, A_NONE, F_IGNORE },
	{ "ext-unix-sk", 0, A_NONE, F_IGNORE },
	{ "shell-job", 0, A_NONE, F_IGNORE },
	{ "file-locks", 0, A_NONE, F_IGNORE },
	{ "parent-path", 0, A_REQ, F_IGNORE },
	{ "pre-dump", 0, A_NONE, F_IGNORE },
	{ "manage-cgroups-mode", 0, A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt crun_list[] = {
	{ "quiet", 'q', A_NONE, F_IGNORE },
	{ "format", 'f', A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt crun_ps[] = {
	{ "format", 'f', A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt crun_spec[] = {
	{ "bundle", 'b', A_REQ, F_IGNORE },
	{ "file", 'f', A_REQ, F_IGNORE },
	{ "rootless", 0, A_NONE, F_IGNORE },
	END,
};

/* youki: liboci-cli GlobalOpts + YoukiExtendOpts + -v/--version (crates/youki/src/main.rs). */
static const struct rt_opt youki_global[] = {
	{ "log", 'l', A_REQ, F_LOG },
	{ "debug", 0, A_NONE, F_DEBUG },
	{ "log-format", 0, A_REQ, F_LOG_FORMAT },
	{ "root", 'r', A_REQ, F_ROOT },
	{ "systemd-cgroup", 's', A_NONE, F_SYSTEMD_CGROUP },
	{ "systemd-log", 0, A_NONE, F_IGNORE },
	{ "log-level", 0, A_REQ, F_IGNORE },
	{ "version", 'v', A_NONE, F_IGNORE },
	{ "help", 'h', A_NONE, F_IGNORE },
	END,
};

static const struct rt_opt clap_common[] = {
	{ "help", 'h', A_NONE, F_IGNORE },
	END,
};

/* liboci-cli create.rs: here -c is --console-socket and -p --pid-file. */
static const struct rt_opt youki_create[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "console-socket", 'c', A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 'p', A_REQ, F_PID_FILE },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	END,
};

static const struct rt_opt youki_run[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "console-socket", 'c', A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 'p', A_REQ, F_PID_FILE },
	{ "no-subreaper", 0, A_NONE, F_NO_SUBREAPER },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	{ "keep", 0, A_NONE, F_KEEP },
	{ "detach", 'd', A_NONE, F_DETACH },
	END,
};

static const struct rt_opt youki_exec[] = {
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "cwd", 0, A_REQ, F_IGNORE },
	{ "env", 'e', A_REQ, F_IGNORE },
	{ "tty", 't', A_NONE, F_IGNORE },
	{ "user", 'u', A_REQ, F_IGNORE },
	{ "additional-gids", 'g', A_REQ, F_IGNORE },
	{ "process", 'p', A_REQ, F_PROCESS },
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "process-label", 0, A_REQ, F_IGNORE },
	{ "apparmor", 0, A_REQ, F_IGNORE },
	{ "no-new-privs", 0, A_NONE, F_IGNORE },
	{ "cap", 0, A_REQ, F_IGNORE },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	{ "ignore-paused", 0, A_NONE, F_IGNORE },
	{ "cgroup", 0, A_REQ, F_IGNORE },
	END,
};

/*
 * runsc (runsc/config/flags.go): the options that take a value. runsc has
 * dozens more booleans; an option missing here is taken as boolean, which is
 * also safe for the flags containerd-shim-runsc passes, always as "--k=v".
 */
static const struct rt_opt runsc_global[] = {
	{ "root", 0, A_REQ, F_ROOT },
	{ "log", 0, A_REQ, F_LOG },
	{ "log-format", 0, A_REQ, F_LOG_FORMAT },
	{ "debug", 0, A_NONE, F_DEBUG },
	{ "systemd-cgroup", 0, A_NONE, F_SYSTEMD_CGROUP },
	{ "rootless", 0, A_NONE, F_IGNORE },
	{ "debug-log", 0, A_REQ, F_IGNORE },
	{ "debug-command", 0, A_REQ, F_IGNORE },
	{ "panic-log", 0, A_REQ, F_IGNORE },
	{ "coverage-report", 0, A_REQ, F_IGNORE },
	{ "pcap-log", 0, A_REQ, F_IGNORE },
	{ "debug-log-format", 0, A_REQ, F_IGNORE },
	{ "traceback", 0, A_REQ, F_IGNORE },
	{ "metric-server", 0, A_REQ, F_IGNORE },
	{ "final-metrics-log", 0, A_REQ, F_IGNORE },
	{ "profiling-metrics", 0, A_REQ, F_IGNORE },
	{ "profiling-metrics-log", 0, A_REQ, F_IGNORE },
	{ "profiling-metrics-rate-us", 0, A_REQ, F_IGNORE },
	{ "strace-syscalls", 0, A_REQ, F_IGNORE },
	{ "strace-log-size", 0, A_REQ, F_IGNORE },
	{ "platform", 0, A_REQ, F_IGNORE },
	{ "platform_device_path", 0, A_REQ, F_IGNORE },
	{ "watchdog-action", 0, A_REQ, F_IGNORE },
	{ "panic-signal", 0, A_REQ, F_IGNORE },
	{ "profile-block", 0, A_REQ, F_IGNORE },
	{ "profile-cpu", 0, A_REQ, F_IGNORE },
	{ "profile-gc-interval", 0, A_REQ, F_IGNORE },
	{ "profile-heap", 0, A_REQ, F_IGNORE },
	{ "profile-mutex", 0, A_REQ, F_IGNORE },
	{ "trace", 0, A_REQ, F_IGNORE },
	{ "ref-leak-mode", 0, A_REQ, F_IGNORE },
	{ "file-access", 0, A_REQ, F_IGNORE },
	{ "file-access-mounts", 0, A_REQ, F_IGNORE },
	{ "overlay2", 0, A_REQ, F_IGNORE },
	{ "host-uds", 0, A_REQ, F_IGNORE },
	{ "host-fifo", 0, A_REQ, F_IGNORE },
	{ "network", 0, A_REQ, F_IGNORE },
	{ "fdlimit", 0, A_REQ, F_IGNORE },
	{ "dcache", 0, A_REQ, F_IGNORE },
	{ "shared-root", 0, A_REQ, F_IGNORE },
	END,
};

/* runsc/cmd/create.go (run adds -detach) */
static const struct rt_opt runsc_create[] = {
	{ "bundle", 0, A_REQ, F_BUNDLE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "user-log", 0, A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt runsc_run[] = {
	{ "bundle", 0, A_REQ, F_BUNDLE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "user-log", 0, A_REQ, F_IGNORE },
	{ "detach", 0, A_NONE, F_DETACH },
	END,
};

static const struct rt_opt runsc_delete[] = {
	{ "force", 0, A_NONE, F_FORCE },
	END,
};

static const struct rt_opt runsc_kill[] = {
	{ "all", 0, A_NONE, F_ALL },
	{ "pid", 0, A_REQ, F_IGNORE },
	END,
};

/* containerd runtime/v2/shim/shim.go parseFlags(); the operand is the action. */
static const struct rt_opt shim_global[] = {
	{ "debug", 0, A_NONE, F_DEBUG },
	{ "v", 0, A_NONE, F_IGNORE },
	{ "namespace", 0, A_REQ, F_NAMESPACE },
	{ "id", 0, A_REQ, F_ID },
	{ "socket", 0, A_REQ, F_IGNORE },
	{ "bundle", 0, A_REQ, F_BUNDLE },
	{ "address", 0, A_REQ, F_IGNORE },
	{ "publish-binary", 0, A_REQ, F_IGNORE },
	END,
};

/* conmon 2.1.6 src/cli.c opt_entries */
static const struct rt_opt conmon_opts[] = {
	{ "api-version", 0, A_NONE, F_IGNORE },
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "cid", 'c', A_REQ, F_ID },
	{ "conmon-pidfile", 'P', A_REQ, F_IGNORE },
	{ "container-pidfile", 'p', A_REQ, F_PID_FILE },
	{ "cuuid", 'u', A_REQ, F_IGNORE },
	{ "exec", 'e', A_NONE, F_CONMON_EXEC },
	{ "exec-attach", 0, A_NONE, F_IGNORE },
	{ "exec-process-spec", 0, A_REQ, F_PROCESS },
	{ "exit-command", 0, A_REQ, F_IGNORE },
	{ "exit-command-arg", 0, A_REQ, F_IGNORE },
	{ "exit-delay", 0, A_REQ, F_IGNORE },
	{ "exit-dir", 0, A_REQ, F_IGNORE },
	{ "leave-stdin-open", 0, A_NONE, F_IGNORE },
	{ "log-level", 0, A_REQ, F_IGNORE },
	{ "log-path", 'l', A_REQ, F_IGNORE },
	{ "log-size-max", 0, A_REQ, F_IGNORE },
	{ "log-global-size-max", 0, A_REQ, F_IGNORE },
	{ "log-tag", 0, A_REQ, F_IGNORE },
	{ "name", 'n', A_REQ, F_IGNORE },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "no-sync-log", 0, A_NONE, F_IGNORE },
	{ "persist-dir", '0', A_REQ, F_IGNORE },
	{ "pidfile", 0, A_REQ, F_PID_FILE },
	{ "replace-listen-pid", 0, A_NONE, F_IGNORE },
	{ "restore", 0, A_REQ, F_CONMON_RESTORE },
	{ "restore-arg", 0, A_REQ, F_IGNORE },
	{ "runtime", 'r', A_REQ, F_RUNTIME },
	{ "runtime-arg", 0, A_REQ, F_RUNTIME_ARG },
	{ "runtime-opt", 0, A_REQ, F_IGNORE },
	{ "sdnotify-socket", 0, A_REQ, F_IGNORE },
	{ "socket-dir-path", 0, A_REQ, F_IGNORE },
	{ "stdin", 'i', A_NONE, F_IGNORE },
	{ "sync", 0, A_NONE, F_IGNORE },
	{ "syslog", 0, A_NONE, F_IGNORE },
	{ "systemd-cgroup", 's', A_NONE, F_SYSTEMD_CGROUP },
	{ "terminal", 't', A_NONE, F_IGNORE },
	{ "timeout", 'T', A_REQ, F_IGNORE },
	{ "version", 0, A_NONE, F_IGNORE },
	{ "full-attach", 0, A_NONE, F_IGNORE },
	{ "seccomp-notify-socket", 0, A_REQ, F_IGNORE },
	{ "seccomp-notify-plugins", 0, A_REQ, F_IGNORE },
	{ "help", 'h', A_NONE, F_IGNORE },
	END,
};

/*
 * podman 4.3.1 cmd/podman/root.go (persistent flags are accepted after the
 * subcommand too), plus value flags of later podman releases. --root and
 * --runroot are podman's storage, not the runtime's state root.
 */
static const struct rt_opt podman_global[] = {
	{ "ssh", 0, A_REQ, F_IGNORE },
	{ "connection", 'c', A_REQ, F_IGNORE },
	{ "url", 0, A_REQ, F_IGNORE },
	{ "host", 'H', A_REQ, F_IGNORE },
	{ "config", 0, A_REQ, F_IGNORE },
	{ "context", 0, A_REQ, F_IGNORE },
	{ "identity", 0, A_REQ, F_IGNORE },
	{ "noout", 0, A_NONE, F_IGNORE },
	{ "remote", 'r', A_NONE, F_IGNORE },
	{ "cgroup-manager", 0, A_REQ, F_CGROUP_MANAGER },
	{ "cpu-profile", 0, A_REQ, F_IGNORE },
	{ "memory-profile", 0, A_REQ, F_IGNORE },
	{ "conmon", 0, A_REQ, F_IGNORE },
	{ "network-cmd-path", 0, A_REQ, F_IGNORE },
	{ "network-config-dir", 0, A_REQ, F_IGNORE },
	{ "default-mounts-file", 0, A_REQ, F_IGNORE },
	{ "events-backend", 0, A_REQ, F_IGNORE },
	{ "hooks-dir", 0, A_REQ, F_HOOKS_DIR },
	{ "max-workers", 0, A_REQ, F_IGNORE },
	{ "namespace", 0, A_REQ, F_IGNORE },
	{ "network-backend", 0, A_REQ, F_IGNORE },
	{ "root", 0, A_REQ, F_IGNORE },
	{ "registries-conf", 0, A_REQ, F_IGNORE },
	{ "runroot", 0, A_REQ, F_IGNORE },
	{ "runtime", 0, A_REQ, F_RUNTIME },
	{ "storage-driver", 0, A_REQ, F_IGNORE },
	{ "tmpdir", 0, A_REQ, F_IGNORE },
	{ "trace", 0, A_NONE, F_IGNORE },
	{ "volumepath", 0, A_REQ, F_IGNORE },
	{ "storage-opt", 0, A_REQ, F_IGNORE },
	{ "help", 'h', A_NONE, F_IGNORE },
	{ "log-level", 0, A_REQ, F_IGNORE },
	{ "debug", 'D', A_NONE, F_IGNORE },
	{ "runtime-flag", 0, A_REQ, F_RUNTIME_FLAG },
	{ "syslog", 0, A_NONE, F_IGNORE },
	{ "version", 'v', A_NONE, F_IGNORE },
	{ "transient-store", 0, A_NONE, F_IGNORE },
	{ "db-backend", 0, A_REQ, F_IGNORE },
	{ "imagestore", 0, A_REQ, F_IGNORE },
	{ "out", 0, A_REQ, F_IGNORE },
	{ "module", 0, A_REQ, F_IGNORE },
	END,
};

/*
 * podman run / create: cmd/podman/common/create.go, netflags.go and
 * containers/run.go of 4.3.1. Needed only to find where podman's options end
 * (the image) so that the container's own arguments are never read as
 * podman's; -h here is --hostname, not --help.
 */
static const struct rt_opt podman_run[] = {
	{ "detach", 'd', A_NONE, F_DETACH },
	{ "interactive", 'i', A_NONE, F_IGNORE },
	{ "tty", 't', A_NONE, F_IGNORE },
	{ "publish-all", 'P', A_NONE, F_IGNORE },
	{ "quiet", 'q', A_NONE, F_IGNORE },
	{ "rm", 0, A_NONE, F_IGNORE },
	{ "rmi", 0, A_NONE, F_IGNORE },
	{ "privileged", 0, A_NONE, F_IGNORE },
	{ "init", 0, A_NONE, F_IGNORE },
	{ "read-only", 0, A_NONE, F_IGNORE },
	{ "read-only-tmpfs", 0, A_NONE, F_IGNORE },
	{ "replace", 0, A_NONE, F_IGNORE },
	{ "no-hosts", 0, A_NONE, F_IGNORE },
	{ "no-healthcheck", 0, A_NONE, F_IGNORE },
	{ "oom-kill-disable", 0, A_NONE, F_IGNORE },
	{ "passwd", 0, A_NONE, F_IGNORE },
	{ "sig-proxy", 0, A_NONE, F_IGNORE },
	{ "env-host", 0, A_NONE, F_IGNORE },
	{ "http-proxy", 0, A_NONE, F_IGNORE },
	{ "disable-content-trust", 0, A_NONE, F_IGNORE },
	{ "rootfs", 0, A_NONE, F_IGNORE },
	{ "unsetenv-all", 0, A_NONE, F_IGNORE },
	{ "tls-verify", 0, A_NONE, F_IGNORE },
	{ "help", 0, A_NONE, F_IGNORE },
	{ "add-host", 0, A_REQ, F_IGNORE },
	{ "annotation", 0, A_REQ, F_IGNORE },
	{ "arch", 0, A_REQ, F_IGNORE },
	{ "attach", 'a', A_REQ, F_IGNORE },
	{ "authfile", 0, A_REQ, F_IGNORE },
	{ "blkio-weight", 0, A_REQ, F_IGNORE },
	{ "blkio-weight-device", 0, A_REQ, F_IGNORE },
	{ "cap-add", 0, A_REQ, F_IGNORE },
	{ "cap-drop", 0, A_REQ, F_IGNORE },
	{ "cgroup-conf", 0, A_REQ, F_IGNORE },
	{ "cgroup-parent", 0, A_REQ, F_IGNORE },
	{ "cgroupns", 0, A_REQ, F_IGNORE },
	{ "cgroups", 0, A_REQ, F_IGNORE },
	{ "chrootdirs", 0, A_REQ, F_IGNORE },
	{ "cidfile", 0, A_REQ, F_IGNORE },
	{ "conmon-pidfile", 0, A_REQ, F_IGNORE },
	{ "cpu-period", 0, A_REQ, F_IGNORE },
	{ "cpu-quota", 0, A_REQ, F_IGNORE },
	{ "cpu-rt-period", 0, A_REQ, F_IGNORE },
	{ "cpu-rt-runtime", 0, A_REQ, F_IGNORE },
	{ "cpu-shares", 'c', A_REQ, F_IGNORE },
	{ "cpus", 0, A_REQ, F_IGNORE },
	{ "cpuset-cpus", 0, A_REQ, F_IGNORE },
	{ "cpuset-mems", 0, A_REQ, F_IGNORE },
	{ "decryption-key", 0, A_REQ, F_IGNORE },
	{ "detach-keys", 0, A_REQ, F_IGNORE },
	{ "device", 0, A_REQ, F_IGNORE },
	{ "device-cgroup-rule", 0, A_REQ, F_IGNORE },
	{ "device-read-bps", 0, A_REQ, F_IGNORE },
	{ "device-read-iops", 0, A_REQ, F_IGNORE },
	{ "device-write-bps", 0, A_REQ, F_IGNORE },
	{ "device-write-iops", 0, A_REQ, F_IGNORE },
	{ "dns", 0, A_REQ, F_IGNORE },
	{ "dns-option", 0, A_REQ, F_IGNORE },
	{ "dns-search", 0, A_REQ, F_IGNORE },
	{ "entrypoint", 0, A_REQ, F_IGNORE },
	{ "env", 'e', A_REQ, F_IGNORE },
	{ "env-file", 0, A_REQ, F_IGNORE },
	{ "env-merge", 0, A_REQ, F_IGNORE },
	{ "expose", 0, A_REQ, F_IGNORE },
	{ "gidmap", 0, A_REQ, F_IGNORE },
	{ "gpus", 0, A_REQ, F_IGNORE },
	{ "group-add", 0, A_REQ, F_IGNORE },
	{ "group-entry", 0, A_REQ, F_IGNORE },
	{ "health-cmd", 0, A_REQ, F_IGNORE },
	{ "health-interval", 0, A_REQ, F_IGNORE },
	{ "health-on-failure", 0, A_REQ, F_IGNORE },
	{ "health-retries", 0, A_REQ, F_IGNORE },
	{ "health-start-period", 0, A_REQ, F_IGNORE },
	{ "health-timeout", 0, A_REQ, F_IGNORE },
	{ "hostname", 'h', A_REQ, F_IGNORE },
	{ "hosts-file", 0, A_REQ, F_IGNORE },
	{ "hostuser", 0, A_REQ, F_IGNORE },
	{ "image-volume", 0, A_REQ, F_IGNORE },
	{ "init-ctr", 0, A_REQ, F_IGNORE },
	{ "init-path", 0, A_REQ, F_IGNORE },
	{ "ip", 0, A_REQ, F_IGNORE },
	{ "ip6", 0, A_REQ, F_IGNORE },
	{ "ipc", 0, A_REQ, F_IGNORE },
	{ "kernel-memory", 0, A_REQ, F_IGNORE },
	{ "label", 'l', A_REQ, F_IGNORE },
	{ "label-file", 0, A_REQ, F_IGNORE },
	{ "log-driver", 0, A_REQ, F_IGNORE },
	{ "log-opt", 0, A_REQ, F_IGNORE },
	{ "mac-address", 0, A_REQ, F_IGNORE },
	{ "memory", 'm', A_REQ, F_IGNORE },
	{ "memory-reservation", 0, A_REQ, F_IGNORE },
	{ "memory-swap", 0, A_REQ, F_IGNORE },
	{ "memory-swappiness", 0, A_REQ, F_IGNORE },
	{ "mount", 0, A_REQ, F_IGNORE },
	{ "name", 0, A_REQ, F_IGNORE },
	{ "net", 0, A_REQ, F_IGNORE },
	{ "network", 0, A_REQ, F_IGNORE },
	{ "network-alias", 0, A_REQ, F_IGNORE },
	{ "oom-score-adj", 0, A_REQ, F_IGNORE },
	{ "os", 0, A_REQ, F_IGNORE },
	{ "passwd-entry", 0, A_REQ, F_IGNORE },
	{ "personality", 0, A_REQ, F_IGNORE },
	{ "pid", 0, A_REQ, F_IGNORE },
	{ "pidfile", 0, A_REQ, F_IGNORE },
	{ "pids-limit", 0, A_REQ, F_IGNORE },
	{ "platform", 0, A_REQ, F_IGNORE },
	{ "pod", 0, A_REQ, F_IGNORE },
	{ "pod-id-file", 0, A_REQ, F_IGNORE },
	{ "preserve-fds", 0, A_REQ, F_IGNORE },
	{ "publish", 'p', A_REQ, F_IGNORE },
	{ "pull", 0, A_REQ, F_IGNORE },
	{ "requires", 0, A_REQ, F_IGNORE },
	{ "restart", 0, A_REQ, F_IGNORE },
	{ "retry", 0, A_REQ, F_IGNORE },
	{ "retry-delay", 0, A_REQ, F_IGNORE },
	{ "sdnotify", 0, A_REQ, F_IGNORE },
	{ "seccomp-policy", 0, A_REQ, F_IGNORE },
	{ "secret", 0, A_REQ, F_IGNORE },
	{ "security-opt", 0, A_REQ, F_IGNORE },
	{ "shm-size", 0, A_REQ, F_IGNORE },
	{ "shm-size-systemd", 0, A_REQ, F_IGNORE },
	{ "signature-policy", 0, A_REQ, F_IGNORE },
	{ "stop-signal", 0, A_REQ, F_IGNORE },
	{ "stop-timeout", 0, A_REQ, F_IGNORE },
	{ "subgidname", 0, A_REQ, F_IGNORE },
	{ "subuidname", 0, A_REQ, F_IGNORE },
	{ "sysctl", 0, A_REQ, F_IGNORE },
	{ "systemd", 0, A_REQ, F_IGNORE },
	{ "timeout", 0, A_REQ, F_IGNORE },
	{ "tmpfs", 0, A_REQ, F_IGNORE },
	{ "tz", 0, A_REQ, F_IGNORE },
	{ "uidmap", 0, A_REQ, F_IGNORE },
	{ "ulimit", 0, A_REQ, F_IGNORE },
	{ "umask", 0, A_REQ, F_IGNORE },
	{ "unsetenv", 0, A_REQ, F_IGNORE },
	{ "user", 'u', A_REQ, F_IGNORE },
	{ "userns", 0, A_REQ, F_IGNORE },
	{ "uts", 0, A_REQ, F_IGNORE },
	{ "variant", 0, A_REQ, F_IGNORE },
	{ "volume", 'v', A_REQ, F_IGNORE },
	{ "volumes-from", 0, A_REQ, F_IGNORE },
	{ "workdir", 'w', A_REQ, F_IGNORE },
	END,
};

/* containers/start.go: -a is a boolean here, -l is --latest. */
static const struct rt_opt podman_start[] = {
	{ "attach", 'a', A_NONE, F_IGNORE },
	{ "interactive", 'i', A_NONE, F_IGNORE },
	{ "sig-proxy", 0, A_NONE, F_IGNORE },
	{ "all", 0, A_NONE, F_IGNORE },
	{ "latest", 'l', A_NONE, F_IGNORE },
	{ "detach-keys", 0, A_REQ, F_IGNORE },
	{ "filter", 'f', A_REQ, F_IGNORE },
	END,
};

static const struct rt_opt podman_cleanup[] = {
	{ "all", 'a', A_NONE, F_IGNORE },
	{ "latest", 'l', A_NONE, F_IGNORE },
	{ "rm", 0, A_NONE, F_IGNORE },
	{ "rmi", 0, A_NONE, F_IGNORE },
	{ "exec", 0, A_REQ, F_IGNORE },
	END,
};

/* Where the container ID is among a subcommand's operands. */
enum { ID_NONE, ID_ONE, ID_OPTIONAL, ID_KILL, ID_EXEC, ID_ANY };

struct rt_cmd_spec {
	const char *name;
	unsigned char cmd;
	unsigned char idpos;
	bool permute;              /* options may follow operands */
	const struct rt_opt *opts; /* NULL: table not known, unknown options not reported */
};

/* urfave/cli v1 reorders options before operands, except for exec and ps. */
static const struct rt_cmd_spec runc_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, true, runc_create },
	{ "run", RT_CMD_RUN, ID_ONE, true, runc_run },
	{ "start", RT_CMD_START, ID_ONE, true, no_opts },
	{ "delete", RT_CMD_DELETE, ID_ONE, true, runc_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, true, runc_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, runc_exec },
	{ "state", RT_CMD_STATE, ID_ONE, true, no_opts },
	{ "restore", RT_CMD_RESTORE, ID_ONE, true, runc_restore },
	{ "init", RT_CMD_INIT, ID_NONE, true, no_opts },
	{ "checkpoint", RT_CMD_OTHER, ID_ONE, true, runc_checkpoint },
	{ "pause", RT_CMD_OTHER, ID_ONE, true, no_opts },
	{ "resume", RT_CMD_OTHER, ID_ONE, true, no_opts },
	{ "ps", RT_CMD_OTHER, ID_EXEC, false, runc_ps },
	{ "events", RT_CMD_OTHER, ID_ONE, true, runc_events },
	{ "update", RT_CMD_OTHER, ID_ONE, true, update_opts },
	{ "list", RT_CMD_OTHER, ID_NONE, true, runc_list },
	{ "spec", RT_CMD_OTHER, ID_NONE, true, runc_spec },
	{ "features", RT_CMD_OTHER, ID_NONE, true, no_opts },
	{ NULL, 0, 0, false, NULL },
};

/* argp with ARGP_IN_ORDER: options end at the first operand. */
static const struct rt_cmd_spec crun_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, false, crun_create },
	{ "run", RT_CMD_RUN, ID_ONE, false, crun_run },
	{ "start", RT_CMD_START, ID_ONE, false, no_opts },
	{ "delete", RT_CMD_DELETE, ID_ONE, false, crun_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, false, crun_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, crun_exec },
	{ "state", RT_CMD_STATE, ID_ONE, false, no_opts },
	{ "restore", RT_CMD_RESTORE, ID_ONE, false, crun_restore },
	{ "checkpoint", RT_CMD_OTHER, ID_ONE, false, crun_checkpoint },
	{ "pause", RT_CMD_OTHER, ID_ONE, false, no_opts },
	{ "resume", RT_CMD_OTHER, ID_ONE, false, no_opts },
	{ "ps", RT_CMD_OTHER, ID_ONE, false, crun_ps },
	{ "update", RT_CMD_OTHER, ID_ONE, false, update_opts },
	{ "list", RT_CMD_OTHER, ID_NONE, false, crun_list },
	{ "spec", RT_CMD_OTHER, ID_NONE, false, crun_spec },
	{ "features", RT_CMD_OTHER, ID_NONE, false, no_opts },
	{ NULL, 0, 0, false, NULL },
};

/* clap accepts options between operands; exec's command starts at its first word. */
static const struct rt_cmd_spec youki_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, true, youki_create },
	{ "run", RT_CMD_RUN, ID_ONE, true, youki_run },
	{ "start", RT_CMD_START, ID_ONE, true, no_opts },
	{ "delete", RT_CMD_DELETE, ID_ONE, true, runc_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, true, runc_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, youki_exec },
	{ "state", RT_CMD_STATE, ID_ONE, true, no_opts },
	{ "pause", RT_CMD_OTHER, ID_ONE, true, no_opts },
	{ "resume", RT_CMD_OTHER, ID_ONE, true, no_opts },
	{ "ps", RT_CMD_OTHER, ID_EXEC, false, NULL },
	{ "events", RT_CMD_OTHER, ID_ONE, true, NULL },
	{ "update", RT_CMD_OTHER, ID_ONE, true, NULL },
	{ "checkpointt", RT_CMD_OTHER, ID_ONE, true, NULL },
	{ "list", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "spec", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "features", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "info", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "completion", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ NULL, 0, 0, false, NULL },
};

/* Go flag package: options end at the first operand. */
static const struct rt_cmd_spec runsc_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, false, runsc_create },
	{ "run", RT_CMD_RUN, ID_ONE, false, runsc_run },
	{ "start", RT_CMD_START, ID_ONE, false, no_opts },
	{ "delete", RT_CMD_DELETE, ID_ONE, false, runsc_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, false, runsc_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, NULL },
	{ "state", RT_CMD_STATE, ID_ONE, false, no_opts },
	{ "restore", RT_CMD_RESTORE, ID_ONE, false, NULL },
	/* The sandbox and gofer processes runsc re-execs itself as. */
	{ "boot", RT_CMD_INIT, ID_OPTIONAL, false, NULL },
	{ "gofer", RT_CMD_INIT, ID_NONE, false, NULL },
	{ NULL, 0, 0, false, NULL },
};

/* podman run/create stop at the image (SetInterspersed(false)). */
static const struct rt_cmd_spec podman_cmds[] = {
	{ "run", RT_CMD_RUN, ID_NONE, false, podman_run },
	{ "create", RT_CMD_CREATE, ID_NONE, false, podman_run },
	{ "start", RT_CMD_START, ID_ANY, true, podman_start },
	{ "cleanup", RT_CMD_CLEANUP, ID_ANY, true, podman_cleanup },
	{ "exec", RT_CMD_EXEC, ID_ANY, false, NULL },
	{ "rm", RT_CMD_DELETE, ID_ANY, true, NULL },
	{ "kill", RT_CMD_KILL, ID_ANY, true, NULL },
	{ NULL, 0, 0, false, NULL },
};

/* ---------------------------------------------------------------------------------------------
 * The scanner
 */

struct rt_style {
	bool go;         /* Go flag: "-name" == "--name", no clusters, bools take "=v" only */
	bool abbrev;     /* getopt_long: unique prefixes of long names match */
	bool strip_eq;   /* "-b=DIR" means DIR (clap, pflag); getopt keeps "=DIR" */
	bool hyphen_val; /* a separate value may start with '-' (not clap) */
};

static const struct rt_style style_go = { .go = true };
static const struct rt_style style_argp = { .abbrev = true, .hyphen_val = true };
static const struct rt_style style_clap = { .strip_eq = true };
static const struct rt_style style_pflag = { .strip_eq = true, .hyphen_val = true };
static const struct rt_style style_goption = { .hyphen_val = true };

struct pctx {
	const struct rt_style *st;
	const struct rt_opt *tabs[3]; /* searched in order, NULL-terminated */
	bool lenient;                 /* table unknown: do not report unknown options */
	struct rt_invocation *inv;
	int argc;
	char *const *argv;
	int *pos; /* operand indices */
	int npos;
	int err; /* -ENOMEM / -ENAMETOOLONG */
	bool conmon_exec;
	bool conmon_restore;
};

static void note_bad(struct pctx *p, unsigned int bit, const char *tok)
{
	struct rt_invocation *inv = p->inv;

	if (!inv->bad_opt[0] && tok) {
		strncpy(inv->bad_opt, tok, sizeof(inv->bad_opt) - 1);
		inv->bad_opt[sizeof(inv->bad_opt) - 1] = '\0';
	}
	inv->warn |= bit;
}

static char *dup_value(struct pctx *p, const char *v)
{
	size_t n = strnlen(v, RT_MAX_VALUE + 1);
	char *s;

	if (n > RT_MAX_VALUE) {
		if (!p->err)
			p->err = -ENAMETOOLONG;
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		p->err = -ENOMEM;
		return NULL;
	}
	memcpy(s, v, n);
	s[n] = '\0';
	return s;
}

/* Later occurrences win, as in every one of these parsers. */
static void set_str(struct pctx *p, char **slot, const char *v)
{
	char *s = dup_value(p, v);

	if (!s)
		return;
	free(*slot);
	*slot = s;
}

static void push_str(struct pctx *p, char ***vec, size_t *n, char *s)
{
	char **nv;

	if (!s)
		return;
	nv = realloc(*vec, (*n + 2) * sizeof(*nv));
	if (!nv) {
		free(s);
		p->err = -ENOMEM;
		return;
	}
	nv[(*n)++] = s;
	nv[*n] = NULL;
	*vec = nv;
}

/*
 * pflag's StringSlice reads each value as one CSV record (encoding/csv):
 * "a,b" is two directories, "\"a,b\"" one, and "" none at all.
 */
static void push_csv(struct pctx *p, char ***vec, size_t *n, const char *v, const char *tok)
{
	size_t len = strlen(v);
	char *field = malloc(len + 1);
	const char *s = v;

	if (!field) {
		p->err = -ENOMEM;
		return;
	}
	while (*v && *s) {
		size_t k = 0;

		if (*s == '"') {
			for (s++;; s++) {
				if (!*s) {
					note_bad(p, RT_W_BAD_VALUE, tok);
					break;
				}
				if (*s == '"') {
					if (s[1] != '"') {
						s++;
						break;
					}
					s++;
				}
				field[k++] = *s;
			}
			if (*s && *s != ',')
				note_bad(p, RT_W_BAD_VALUE, tok);
			while (*s && *s != ',')
				s++;
		} else {
			while (*s && *s != ',') {
				if (*s == '"')
					note_bad(p, RT_W_BAD_VALUE, tok);
				field[k++] = *s++;
			}
		}
		field[k] = '\0';
		/* podman refuses empty-string hook directories (WithHooksDir). */
		if (k)
			push_str(p, vec, n, dup_value(p, field));
		else
			note_bad(p, RT_W_BAD_VALUE, tok);
		if (*s != ',')
			break;
		s++;
		if (!*s) /* trailing comma: one more, empty, field */
			note_bad(p, RT_W_BAD_VALUE, tok);
	}
	free(field);
}

/* Go's strconv.ParseBool. */
static int go_bool(const char *v)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!strcmp(v, t[i]))
			return 1;
		if (!strcmp(v, f[i]))
			return 0;
	}
	return -1;
}

static void set_flag(struct pctx *p, const struct rt_opt *o, bool on)
{
	struct rt_invocation *inv = p->inv;

	switch (o->field) {
	case F_DEBUG:
		inv->debug = on;
		break;
	case F_SYSTEMD_CGROUP:
		inv->systemd_cgroup = on;
		break;
	case F_NO_PIVOT:
		inv->no_pivot = on;
		break;
	case F_NO_NEW_KEYRING:
		inv->no_new_keyring = on;
		break;
	case F_DETACH:
		inv->detach = on;
		break;
	case F_KEEP:
		inv->keep = on;
		break;
	case F_FORCE:
		inv->force = on;
		break;
	case F_ALL:
		inv->all = on;
		break;
	case F_NO_SUBREAPER:
		inv->no_subreaper = on;
		break;
	case F_CONMON_EXEC:
		p->conmon_exec = on;
		break;
	default:
		break;
	}
}

static void set_value(struct pctx *p, const struct rt_opt *o, const char *v, const char *tok)
{
	struct rt_invocation *inv = p->inv;
	char *end;
	long n;

	switch (o->field) {
	case F_ROOT:
		set_str(p, &inv->root, v);
		break;
	case F_LOG:
		set_str(p, &inv->log, v);
		break;
	case F_LOG_FORMAT:
		set_str(p, &inv->log_format, v);
		break;
	case F_CGROUP_MANAGER:
		set_str(p, &inv->cgroup_manager, v);
		/* crun: the last of --systemd-cgroup / --cgroup-manager decides. */
		if (!strcmp(v, "systemd"))
			inv->systemd_cgroup = true;
		else if (!strcmp(v, "cgroupfs") || !strcmp(v, "disabled"))
			inv->systemd_cgroup = false;
		else
			note_bad(p, RT_W_BAD_VALUE, tok);
		break;
	case F_ROOTLESS:
		set_str(p, &inv->rootless, v);
		break;
	case F_CRUN_ROOTLESS:
		set_str(p, &inv->rootless, v);
		set_str(p, &inv->root, v);
		inv->warn |= RT_W_CRUN_ROOTLESS;
		break;
	case F_BUNDLE:
		set_str(p, &inv->bundle, v);
		break;
	case F_CONFIG:
		set_str(p, &inv->config_file, v);
		break;
	case F_PID_FILE:
		set_str(p, &inv->pid_file, v);
		break;
	case F_CONSOLE_SOCKET:
		set_str(p, &inv->console_socket, v);
		break;
	case F_PROCESS:
		set_str(p, &inv->process, v);
		break;
	case F_ID:
		set_str(p, &inv->id, v);
		break;
	case F_RUNTIME:
		set_str(p, &inv->runtime, v);
		break;
	case F_NAMESPACE:
		set_str(p, &inv->shim_namespace, v);
		break;
	case F_PRESERVE_FDS:
		errno = 0;
		n = strtol(v, &end, 0);
		if (end == v || *end || errno || n < 0 || n > INT_MAX)
			note_bad(p, RT_W_BAD_VALUE, tok);
		else
			inv->preserve_fds = (int)n;
		break;
	case F_RUNTIME_ARG:
		push_str(p, &inv->runtime_args, &inv->n_runtime_args, dup_value(p, v));
		break;
	case F_RUNTIME_FLAG: {
		/* podman prefixes each --runtime-flag with "--" (runtime_libpod.go). */
		size_t len = strnlen(v, RT_MAX_VALUE + 1);
		char *s;

		if (len > RT_MAX_VALUE) {
			if (!p->err)
				p->err = -ENAMETOOLONG;
			break;
		}
		s = malloc(len + 3);
		if (!s) {
			p->err = -ENOMEM;
			break;
		}
		memcpy(s, "--", 2);
		memcpy(s + 2, v, len + 1);
		push_str(p, &inv->runtime_args, &inv->n_runtime_args, s);
		break;
	}
	case F_HOOKS_DIR:
		inv->hooks_dirs_given = true;
		push_csv(p, &inv->hooks_dirs, &inv->n_hooks_dirs, v, tok);
		break;
	case F_CONMON_RESTORE:
		p->conmon_restore = true;
		break;
	default:
		break;
	}
}

static const struct rt_opt *find_long(const struct pctx *p, const char *name, size_t len)
{
	const struct rt_opt *hit = NULL;
	int t, ambiguous = 0;

	for (t = 0; p->tabs[t]; t++) {
		const struct rt_opt *o;

		for (o = p->tabs[t]; o->lng || o->shrt; o++) {
			/* Go flag names single letters the same way as words. */
			if (p->st->go && o->shrt && len == 1 && name[0] == o->shrt)
				return o;
			if (o->lng && strlen(o->lng) == len && !memcmp(o->lng, name, len))
				return o;
		}
	}
	if (!p->st->abbrev || len == 0)
		return NULL;
	/* getopt_long: a unique prefix matches; several only if they mean the same. */
	for (t = 0; p->tabs[t]; t++) {
		const struct rt_opt *o;

		for (o = p->tabs[t]; o->lng || o->shrt; o++) {
			if (!o->lng || strncmp(o->lng, name, len))
				continue;
			if (!hit)
				hit = o;
			else if (hit->field != o->field || hit->arg != o->arg)
				ambiguous = 1;
		}
	}
	return ambiguous ? NULL : hit;
}

static const struct rt_opt *find_short(const struct pctx *p, char c)
{
	int t;

	for (t = 0; p->tabs[t]; t++) {
		const struct rt_opt *o;

		for (o = p->tabs[t]; o->lng || o->shrt; o++)
			if (o->shrt == c)
				return o;
	}
	return NULL;
}

static void unknown(struct pctx *p, const char *tok)
{
	if (!p->lenient)
		note_bad(p, RT_W_UNKNOWN_OPT, tok);
}

/* The separate value of a value-taking option at argv[*i]; NULL if there is none. */
static const char *next_value(struct pctx *p, int *i)
{
	const char *v;

	if (*i + 1 >= p->argc)
		return NULL;
	v = p->argv[*i + 1];
	/* clap refuses a value that looks like an option. */
	if (!p->st->hyphen_val && v[0] == '-' && v[1])
		return NULL;
	(*i)++;
	return v;
}

static void go_option(struct pctx *p, int *i)
{
	const char *tok = p->argv[*i], *name = tok + 1, *eq;
	const struct rt_opt *o;
	size_t len;
	int b;

	if (*name == '-')
		name++;
	/* "---x", "-=x": flag.Parse's "bad flag syntax". */
	if (!*name || *name == '-' || *name == '=') {
		note_bad(p, RT_W_UNKNOWN_OPT, tok);
		return;
	}
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	o = find_long(p, name, len);
	if (!o) {
		unknown(p, tok);
		return;
	}
	if (o->arg == A_NONE) {
		if (!eq) {
			set_flag(p, o, true);
			return;
		}
		b = go_bool(eq + 1);
		if (b < 0)
			note_bad(p, RT_W_BAD_VALUE, tok);
		else
			set_flag(p, o, b);
		return;
	}
	if (eq) {
		set_value(p, o, eq + 1, tok);
		return;
	}
	/* Go's flag package takes the next word whatever it looks like. */
	if (*i + 1 >= p->argc) {
		note_bad(p, RT_W_MISSING_VALUE, tok);
		return;
	}
	(*i)++;
	set_value(p, o, p->argv[*i], tok);
}

static void gnu_long(struct pctx *p, int *i)
{
	const char *tok = p->argv[*i], *name = tok + 2, *eq, *v;
	const struct rt_opt *o;
	size_t len;

	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	o = find_long(p, name, len);
	if (!o) {
		unknown(p, tok);
		return;
	}
	switch (o->arg) {
	case A_NONE:
		if (eq)
			note_bad(p, RT_W_BAD_VALUE, tok); /* "doesn't allow an argument" */
		else
			set_flag(p, o, true);
		return;
	case A_OPT:
		if (eq)
			set_value(p, o, eq + 1, tok);
		else
			set_flag(p, o, true);
		return;
	default:
		break;
	}
	if (eq) {
		set_value(p, o, eq + 1, tok);
		return;
	}
	v = next_value(p, i);
	if (!v)
		note_bad(p, RT_W_MISSING_VALUE, tok);
	else
		set_value(p, o, v, tok);
}

static void gnu_short(struct pctx *p, int *i)
{
	const char *tok = p->argv[*i], *c, *v;
	const struct rt_opt *o;

	for (c = tok + 1; *c; c++) {
		o = find_short(p, *c);
		if (!o) {
			/* The rest of the cluster cannot be trusted either. */
			unknown(p, tok);
			return;
		}
		if (o->arg == A_NONE) {
			set_flag(p, o, true);
			continue;
		}
		if (c[1]) {
			v = c + 1;
			if (p->st->strip_eq && *v == '=')
				v++;
			set_value(p, o, v, tok);
			return;
		}
		if (o->arg == A_OPT) {
			set_flag(p, o, true);
			return;
		}
		v = next_value(p, i);
		if (!v)
			note_bad(p, RT_W_MISSING_VALUE, tok);
		else
			set_value(p, o, v, tok);
		return;
	}
}

static void add_operand(struct pctx *p, int i)
{
	p->pos[p->npos++] = i;
}

/*
 * Scan options from argv[i]. Without `permute`, stop at the first operand
 * and return its index (after a "--", the index following it). With it,
 * record operands and go on to the end. Returns argc when all was consumed.
 */
static int scan(struct pctx *p, int i, bool permute)
{
	for (; i < p->argc && !p->err; i++) {
		const char *a = p->argv[i];

		if (!strcmp(a, "--")) {
			if (!permute)
				return i + 1;
			for (i++; i < p->argc; i++)
				add_operand(p, i);
			return p->argc;
		}
		if (a[0] != '-' || !a[1]) {
			if (!permute)
				return i;
			add_operand(p, i);
			continue;
		}
		if (p->st->go)
			go_option(p, &i);
		else if (a[1] == '-')
			gnu_long(p, &i);
		else
			gnu_short(p, &i);
	}
	return p->argc;
}

static void operands_from(struct pctx *p, int i)
{
	for (; i < p->argc; i++)
		add_operand(p, i);
}

static void set_tabs(struct pctx *p, const struct rt_opt *a, const struct rt_opt *b)
{
	p->tabs[0] = a;
	p->tabs[1] = a ? b : NULL;
	p->tabs[2] = NULL;
}

static void take_id(struct pctx *p, const struct rt_cmd_spec *spec)
{
	struct rt_invocation *inv = p->inv;
	int n = p->npos, id = -1, sig = -1;

	switch (spec->idpos) {
	case ID_ONE:
	case ID_OPTIONAL:
		if (n == 0) {
			if (spec->idpos == ID_ONE)
				inv->warn |= RT_W_NO_ID;
			return;
		}
		if (n > 1)
			inv->warn |= RT_W_EXTRA_ARGS;
		/*
		 * Options a newer runtime added and we took for booleans leave
		 * their values before the ID where options are permuted.
		 */
		id = spec->permute ? n - 1 : 0;
		break;
	case ID_KILL:
		if (n == 0) {
			inv->warn |= RT_W_NO_ID;
			return;
		}
		if (n > 2) {
			inv->warn |= RT_W_EXTRA_ARGS;
			id = spec->permute ? n - 2 : 0;
		} else {
			id = 0;
		}
		if (id + 1 < n)
			sig = id + 1;
		break;
	case ID_EXEC:
		if (n == 0) {
			inv->warn |= RT_W_NO_ID;
			return;
		}
		id = 0;
		break;
	case ID_ANY:
		if (n == 0)
			return;
		id = 0;
		break;
	default:
		return;
	}
	set_str(p, &inv->id, p->argv[p->pos[id]]);
	if (sig >= 0)
		set_str(p, &inv->signal, p->argv[p->pos[sig]]);
}

static const struct rt_cmd_spec *find_cmd(const struct rt_cmd_spec *cmds, const char *name)
{
	for (; cmds && cmds->name; cmds++)
		if (!strcmp(cmds->name, name))
			return cmds;
	return NULL;
}

static void set_subcmd(struct rt_invocation *inv, const char *name)
{
	strncpy(inv->subcmd, name, sizeof(inv->subcmd) - 1);
	inv->subcmd[sizeof(inv->subcmd) - 1] = '\0';
}

/* Runtimes: global options, the subcommand, its options and operands. */
static void parse_runtime(struct pctx *p, const struct rt_opt *global, const struct rt_opt *common,
			  const struct rt_cmd_spec *cmds)
{
	const struct rt_cmd_spec *spec;
	int i;

	set_tabs(p, global, NULL);
	i = scan(p, 1, false);
	if (i >= p->argc || p->err)
		return;
	set_subcmd(p->inv, p->argv[i]);
	spec = find_cmd(cmds, p->argv[i]);
	if (!spec) {
		p->inv->cmd = RT_CMD_OTHER;
		p->inv->warn |= RT_W_UNKNOWN_CMD;
		return;
	}
	p->inv->cmd = spec->cmd;
	set_tabs(p, spec->opts ? spec->opts : no_opts, common);
	p->lenient = !spec->opts;
	i = scan(p, i + 1, spec->permute);
	if (!spec->permute)
		operands_from(p, i);
	take_id(p, spec);
}

static void parse_shim(struct pctx *p)
{
	int i;

	set_tabs(p, shim_global, NULL);
	i = scan(p, 1, false);
	if (i < p->argc) {
		/* "start" spawns a new shim, "delete" cleans up after a dead one. */
		set_subcmd(p->inv, p->argv[i]);
		p->inv->cmd = RT_CMD_OTHER;
	}
}

static void parse_conmon(struct pctx *p)
{
	struct rt_invocation *inv = p->inv;

	set_tabs(p, conmon_opts, NULL);
	/*
	 * Operands are left alone by GOption and ignored by conmon. podman
	 * 4.3 passes "--api-version 1" although --api-version is a boolean,
	 * so a stray "1" is normal, not worth a warning.
	 */
	scan(p, 1, true);
	/* runtime_args.c: exec wins over restore, restore over create. */
	if (p->conmon_exec)
		inv->cmd = RT_CMD_EXEC;
	else if (p->conmon_restore)
		inv->cmd = RT_CMD_RESTORE;
	else
		inv->cmd = RT_CMD_CREATE;
	set_subcmd(inv, rt_cmd_name(inv->cmd));
	if (!inv->id)
		inv->warn |= RT_W_NO_ID;
}

/* podman's command groups: "podman container run" is "podman run". */
static bool podman_group(const char *w)
{
	static const char *const groups[] = { "container", "pod",     "image",  "system",
					      "network",   "volume",  "machine", "generate",
					      "play",      "kube",    "manifest", "secret",
					      "healthcheck" };
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strcmp(w, groups[i]))
			return true;
	return false;
}

static void parse_podman(struct pctx *p)
{
	const struct rt_cmd_spec *spec = NULL;
	const char *group = NULL;
	int i;

	set_tabs(p, podman_global, NULL);
	i = scan(p, 1, false);
	if (i >= p->argc || p->err)
		return;
	if (podman_group(p->argv[i])) {
		group = p->argv[i];
		i = scan(p, i + 1, false);
		if (i >= p->argc || p->err) {
			set_subcmd(p->inv, group);
			p->inv->cmd = RT_CMD_OTHER;
			return;
		}
	}
	set_subcmd(p->inv, p->argv[i]);
	/* Only "container VERB" (or a bare VERB) is about containers; cleanup only grouped. */
	if (!group || !strcmp(group, "container"))
		spec = find_cmd(podman_cmds, p->argv[i]);
	if (spec && spec->cmd == RT_CMD_CLEANUP && !group)
		spec = NULL;
	if (!spec) {
		p->inv->cmd = RT_CMD_OTHER;
		set_tabs(p, podman_global, NULL);
		p->lenient = true;
		scan(p, i + 1, true);
		return;
	}
	p->inv->cmd = spec->cmd;
	/* Persistent (global) flags are accepted after the subcommand too. */
	set_tabs(p, spec->opts ? spec->opts : no_opts, podman_global);
	p->lenient = !spec->opts;
	i = scan(p, i + 1, spec->permute);
	if (!spec->permute)
		operands_from(p, i);
	take_id(p, spec);
}

static int parse(enum rt_kind kind, int argc, char *const argv[], bool truncated,
		 struct rt_invocation *inv)
{
	struct pctx p = { .inv = inv, .argc = argc, .argv = argv };
	int i;

	memset(inv, 0, sizeof(*inv));
	inv->kind = kind;
	if (truncated)
		inv->warn |= RT_W_TRUNCATED;
	if (!argv || argc < 1)
		return -EINVAL;
	if (argc > RT_MAX_ARGC)
		return -E2BIG;
	for (i = 0; i < argc; i++)
		if (!argv[i])
			return -EINVAL;
	p.pos = calloc(argc, sizeof(*p.pos));
	if (!p.pos)
		return -ENOMEM;

	switch (kind) {
	case RT_RUNC:
		p.st = &style_go;
		parse_runtime(&p, runc_global, runc_common, runc_cmds);
		break;
	case RT_CRUN:
	case RT_KRUN:
		p.st = &style_argp;
		parse_runtime(&p, crun_global, argp_common, crun_cmds);
		break;
	case RT_YOUKI:
		p.st = &style_clap;
		parse_runtime(&p, youki_global, clap_common, youki_cmds);
		break;
	case RT_RUNSC:
		/* runsc has far more global booleans than we list: do not call them unknown. */
		p.st = &style_go;
		p.lenient = true;
		parse_runtime(&p, runsc_global, NULL, runsc_cmds);
		break;
	case RT_SHIM:
		p.st = &style_go;
		parse_shim(&p);
		break;
	case RT_CONMON:
		p.st = &style_goption;
		parse_conmon(&p);
		break;
	case RT_PODMAN:
		p.st = &style_pflag;
		parse_podman(&p);
		break;
	default:
		free(p.pos);
		return -EINVAL;
	}
	free(p.pos);
	if (p.err)
		return p.err;

	switch (inv->cmd) {
	case RT_CMD_CREATE:
	case RT_CMD_RUN:
	case RT_CMD_RESTORE:
		/* The runtimes chdir to --bundle, or use their cwd (conmon: its cwd too). */
		inv->bundle_from_cwd = !inv->bundle && kind != RT_PODMAN;
		break;
	default:
		/* A containerd shim runs in the bundle unless -bundle says otherwise. */
		inv->bundle_from_cwd = kind == RT_SHIM && !inv->bundle;
		break;
	}
	if (inv->id && !rt_id_valid(inv->id))
		inv->warn |= RT_W_BAD_ID;
	if (inv->warn & (RT_W_MISSING_VALUE | RT_W_NO_ID))
		return truncated ? -ENODATA : -EINVAL;
	return 0;
}

int rt_parse_argv(enum rt_kind kind, int argc, char *const argv[], struct rt_invocation *out)
{
	return parse(kind, argc, argv, false, out);
}

int rt_parse_cmdline(enum rt_kind kind, const char *buf, size_t len, bool truncated,
		     struct rt_invocation *out)
{
	char *copy, **argv;
	size_t i, argc = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (!buf || !len)
		return -EINVAL;
	/* Far more than any argv the kernel side captures (HS_ARGV_MAX). */
	if (len > (size_t)RT_MAX_ARGC * 64)
		return -E2BIG;
	/* An unterminated last string of a cut buffer is a fragment. */
	if (truncated && buf[len - 1] != '\0') {
		while (len && buf[len - 1] != '\0')
			len--;
		if (!len) {
			out->warn |= RT_W_TRUNCATED;
			return -ENODATA;
		}
	}
	for (i = 0; i < len; i++)
		if (buf[i] == '\0' || i == len - 1)
			argc++;
	if (argc > RT_MAX_ARGC)
		return -E2BIG;
	copy = malloc(len + 1);
	argv = calloc(argc + 1, sizeof(*argv));
	if (!copy || !argv) {
		free(copy);
		free(argv);
		return -ENOMEM;
	}
	memcpy(copy, buf, len);
	copy[len] = '\0';
	argc = 0;
	for (i = 0; i < len; i++) {
		if (i == 0 || copy[i - 1] == '\0')
			argv[argc++] = copy + i;
	}
	ret = parse(kind, (int)argc, argv, truncated, out);
	free(argv);
	free(copy);
	return ret;
}

void rt_strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void rt_invocation_free(struct rt_invocation *inv)
{
	if (!inv)
		return;
	free(inv->id);
	free(inv->bundle);
	free(inv->config_file);
	free(inv->root);
	free(inv->pid_file);
	free(inv->console_socket);
	free(inv->log);
	free(inv->log_format);
	free(inv->cgroup_manager);
	free(inv->rootless);
	free(inv->signal);
	free(inv->process);
	free(inv->runtime);
	free(inv->shim_namespace);
	rt_strv_free(inv->runtime_args, inv->n_runtime_args);
	rt_strv_free(inv->hooks_dirs, inv->n_hooks_dirs);
	memset(inv, 0, sizeof(*inv));
}

/* ---------------------------------------------------------------------------------------------
 * Bundles and podman's hooks.d
 */

/* Join base and rel (absolute base) and fold ".", ".." and "//" lexically. */
static char *clean_path(const char *base, const char *rel)
{
	size_t bl = base ? strlen(base) : 0, rl = strlen(rel), n = 0;
	char *in = malloc(bl + rl + 2), *out = malloc(bl + rl + 3), *tok, *save = NULL;

	if (!in || !out) {
		free(in);
		free(out);
		return NULL;
	}
	if (rel[0] == '/' || !base) {
		memcpy(in, rel, rl + 1);
	} else {
		memcpy(in, base, bl);
		in[bl] = '/';
		memcpy(in + bl + 1, rel, rl + 1);
	}
	for (tok = strtok_r(in, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, tok, strlen(tok));
		n += strlen(tok);
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	free(in);
	return out;
}

int rt_abspath(const char *cwd, const char *path, char **out)
{
	*out = NULL;
	if (!path)
		return -EINVAL;
	if (path[0] != '/' && (!cwd || cwd[0] != '/'))
		return -ENOENT;
	*out = clean_path(path[0] == '/' ? NULL : cwd, path);
	return *out ? 0 : -ENOMEM;
}

int rt_resolve_bundle(const struct rt_invocation *inv, const char *cwd, char **out)
{
	*out = NULL;
	if (inv->bundle)
		return rt_abspath(cwd, inv->bundle, out);
	if (inv->bundle_from_cwd)
		return rt_abspath(cwd, ".", out);
	return -EINVAL;
}

int rt_podman_hooks_dirs(int argc, char *const argv[], char ***dirs, size_t *n, char **runtime)
{
	struct rt_invocation inv;
	int ret;

	*dirs = NULL;
	*n = 0;
	if (runtime)
		*runtime = NULL;
	ret = rt_parse_argv(RT_PODMAN, argc, argv, &inv);
	if (ret < 0) {
		rt_invocation_free(&inv);
		return ret;
	}
	if (inv.hooks_dirs_given) {
		/* An explicit empty list (--hooks-dir "") disables hooks.d entirely. */
		*dirs = inv.hooks_dirs ? inv.hooks_dirs : calloc(1, sizeof(char *));
		*n = inv.n_hooks_dirs;
		inv.hooks_dirs = NULL;
		inv.n_hooks_dirs = 0;
	} else {
		/*
		 * podman 4.3 reads only containers.conf's hooks_dir, whose
		 * built-in default is /usr/share/containers/oci/hooks.d;
		 * /etc/containers/oci/hooks.d is only in the legacy branch of
		 * setupOCIHooks() for a nil list, which the default config never
		 * leaves (checked on the testbed: a hook there does not fire).
		 * containers.conf itself is out of scope here.
		 */
		*dirs = calloc(2, sizeof(char *));
		if (*dirs) {
			(*dirs)[0] = strdup(RT_PODMAN_DEFAULT_HOOKS_DIR);
			*n = 1;
			if (!(*dirs)[0]) {
				free(*dirs);
				*dirs = NULL;
				*n = 0;
			}
		}
	}
	if (!*dirs) {
		rt_invocation_free(&inv);
		return -ENOMEM;
	}
	if (runtime) {
		*runtime = inv.runtime;
		inv.runtime = NULL;
	}
	rt_invocation_free(&inv);
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * State directories
 */

#define RT_STATE_MAX (16u << 20) /* runc's state.json with a big config is ~100 KiB */

static int read_beneath(int dirfd, const char *name, char **buf, size_t *len)
{
	int fd, err;

	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: the same directory holds exec.fifo; never block on a FIFO. */
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	err = read_regular_fd(fd, RT_STATE_MAX, buf, len);
	if (err == -EINVAL || err == -EISDIR)
		err = -EBADMSG; /* not a regular file: not a state file */
	return err;
}

static int take_string(json_t *obj, const char *key, char **slot)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	if (strlen(s) > RT_MAX_VALUE)
		return -EBADMSG;
	*slot = strdup(s);
	return *slot ? 0 : -ENOMEM;
}

static unsigned long long take_u64(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	unsigned long long n;
	char *end;

	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? (unsigned long long)json_integer_value(v) : 0;
	/* runc before 1.0 wrote init_process_start as a string. */
	if (json_is_string(v)) {
		errno = 0;
		n = strtoull(json_string_value(v), &end, 10);
		if (!errno && end != json_string_value(v) && !*end)
			return n;
	}
	return 0;
}

static int take_pid(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= INT_MAX)
		return (int)json_integer_value(v);
	return 0;
}

/*
 * runc 1.1 has no top-level bundle: specconv appends "bundle=<cwd>" after the
 * annotations in config.labels, so an annotation named "bundle" comes first
 * and the last label is the real one (runc's own `state` takes the last too).
 */
static int runc_state(json_t *root, struct rt_state *st)
{
	json_t *config = json_object_get(root, "config"), *labels, *hooks, *cg, *v;
	const char *bundle = NULL;
	size_t i;
	int ret;

	ret = take_string(root, "id", &st->id);
	if (!ret)
		ret = take_string(root, "created", &st->created);
	if (ret)
		return ret;
	st->pid = take_pid(root, "init_process_pid");
	st->pid_start = take_u64(root, "init_process_start");
	if (!json_is_object(config))
		return -EBADMSG;
	ret = take_string(config, "rootfs", &st->rootfs);
	if (ret)
		return ret;
	labels = json_object_get(config, "labels");
	json_array_foreach(labels, i, v) {
		if (json_is_string(v) && has_prefix(json_string_value(v), "bundle="))
			bundle = json_string_value(v) + 7;
	}
	if (!bundle || !*bundle || strlen(bundle) > RT_MAX_VALUE)
		return -EBADMSG;
	st->bundle = strdup(bundle);
	if (!st->bundle)
		return -ENOMEM;
	cg = json_object_get(config, "cgroups");
	st->systemd_cgroup = json_is_true(json_object_get(cg, "Systemd"));
	/* libcontainer's configs.Config has no json tag on Hooks. */
	hooks = json_object_get(config, "Hooks");
	if (!hooks)
		hooks = json_object_get(config, "hooks");
	if (json_is_object(hooks))
		st->hooks = json_incref(hooks);
	return 0;
}

/* crun src/libcrun/status.c: "bundle" is mandatory there too. */
static int crun_state(json_t *root, struct rt_state *st)
{
	int ret;

	ret = take_string(root, "bundle", &st->bundle);
	if (!ret)
		ret = take_string(root, "rootfs", &st->rootfs);
	if (!ret)
		ret = take_string(root, "created", &st->created);
	if (ret)
		return ret;
	if (!st->bundle || !st->bundle[0])
		return -EBADMSG;
	st->pid = take_pid(root, "pid");
	st->pid_start = take_u64(root, "process-start-time");
	st->systemd_cgroup = json_is_true(json_object_get(root, "systemd-cgroup"));
	return 0;
}

/* youki libcontainer/src/container/state.rs (serde, camelCase). */
static int youki_state(json_t *root, struct rt_state *st)
{
	int ret;

	ret = take_string(root, "id", &st->id);
	if (!ret)
		ret = take_string(root, "bundle", &st->bundle);
	if (!ret)
		ret = take_string(root, "status", &st->status);
	if (!ret)
		ret = take_string(root, "created", &st->created);
	if (ret)
		return ret;
	if (!st->bundle || !st->bundle[0])
		return -EBADMSG;
	st->pid = take_pid(root, "pid");
	st->systemd_cgroup = json_is_true(json_object_get(root, "useSystemd"));
	return 0;
}

int rt_state_parse(enum rt_kind kind, const char *text, size_t len, struct rt_state *out)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (!text)
		return -EINVAL;
	if (kind != RT_CRUN && kind != RT_KRUN && kind != RT_RUNC && kind != RT_YOUKI)
		return -ENOTSUP;
	root = json_loadb(text, len, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return -EBADMSG;
	}
	if (kind == RT_RUNC)
		ret = runc_state(root, out);
	else if (kind == RT_YOUKI)
		ret = youki_state(root, out);
	else
		ret = crun_state(root, out);
	json_decref(root);
	if (ret)
		rt_state_free(out);
	out->kind = kind;
	return ret;
}

static bool regular_beneath(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static char *join3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = malloc(la + lb + lc + 3);

	if (!s)
		return NULL;
	while (la > 1 && a[la - 1] == '/') /* "--root /run/crun/" */
		la--;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb);
	s[la + 1 + lb] = '/';
	memcpy(s + la + lb + 2, c, lc + 1);
	return s;
}

/* youki keeps the hooks it will run in youki_config.json next to state.json. */
static void youki_hooks(int cdir, struct rt_state *st)
{
	json_error_t jerr;
	json_t *root, *hooks;
	size_t len;
	char *buf;

	if (read_beneath(cdir, "youki_config.json", &buf, &len) < 0)
		return;
	root = json_loadb(buf, len, 0, &jerr);
	free(buf);
	hooks = json_object_get(root, "hooks");
	if (json_is_object(hooks))
		st->hooks = json_incref(hooks);
	json_decref(root);
}

int rt_state_lookup(enum rt_kind kind, const char *root, const char *id, struct rt_state *out)
{
	const char *file;
	int rdir, cdir, ret;
	size_t len;
	char *buf;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	switch (kind) {
	case RT_CRUN:
	case RT_KRUN:
		file = "status";
		break;
	case RT_RUNC:
	case RT_YOUKI:
		file = "state.json";
		break;
	default:
		return -ENOTSUP;
	}
	if (!root)
		root = rt_default_root(kind);
	/* A relative --root is relative to the runtime's cwd, which we do not know here. */
	if (!root || root[0] != '/' || strlen(root) > PATH_MAX - RT_ID_MAX - 32)
		return -EINVAL;
	/* The ID comes from an untrusted command line: it must stay one name under root. */
	if (!rt_id_valid(id))
		return -EINVAL;

	rdir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rdir < 0)
		return -errno;
	cdir = openat(rdir, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	ret = cdir < 0 ? -errno : 0;
	close(rdir);
	if (ret)
		return ret == -ENOTDIR ? -ENOENT : ret;

	ret = read_beneath(cdir, file, &buf, &len);
	if (ret) {
		close(cdir);
		return ret;
	}
	ret = rt_state_parse(kind, buf, len, out);
	free(buf);
	if (!ret && !out->id)
		out->id = strdup(id);
	if (!ret && !out->id)
		ret = -ENOMEM;
	if (!ret && (kind == RT_CRUN || kind == RT_KRUN) && regular_beneath(cdir, "config.json")) {
		out->config_path = join3(root, id, "config.json");
		if (!out->config_path)
			ret = -ENOMEM;
	}
	if (!ret && kind == RT_YOUKI)
		youki_hooks(cdir, out);
	close(cdir);
	if (ret)
		rt_state_free(out);
	return ret;
}

void rt_state_free(struct rt_state *st)
{
	enum rt_kind kind;

	if (!st)
		return;
	kind = st->kind;
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->status);
	free(st->config_path);
	json_decref(st->hooks);
	memset(st, 0, sizeof(*st));
	st->kind = kind;
}
