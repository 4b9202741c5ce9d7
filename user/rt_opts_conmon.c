// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * conmon's command line, data only: conmon 2.1.6 src/cli.c opt_entries
 * (GLib GOption: options anywhere, operands ignored). conmon has no
 * subcommands; --exec and --restore decide what it runs the runtime for.
 */
#include "rtopt.h"

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
	RTOPT_END,
};

const struct rt_grammar rtopt_conmon = {
	.syntax = RT_SYNTAX_GOPTION,
	.global = conmon_opts,
};
