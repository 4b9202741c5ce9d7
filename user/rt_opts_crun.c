// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * crun's command line, data only: the option tables and subcommand list of
 * crun 1.8.1 (src/crun.c and src/<command>.c, glibc argp with ARGP_IN_ORDER:
 * options stop at the first operand, long options may be abbreviated, "-bDIR"
 * works). krun, crun built with libkrun, has the same command line.
 */
#include "rtopt.h"

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
	RTOPT_END,
};

/* argp adds these to every parser (argp-parse.c argp_default_options). */
static const struct rt_opt argp_common[] = {
	{ "help", '?', A_NONE, F_IGNORE },
	{ "usage", 0, A_NONE, F_IGNORE },
	{ "program-name", 0, A_REQ, F_IGNORE },
	{ "HANG", 0, A_OPT, F_IGNORE },
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
};

static const struct rt_opt crun_delete[] = {
	{ "force", 'f', A_NONE, F_FORCE },
	{ "regex", 'r', A_NONE, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt crun_kill[] = {
	{ "all", 'a', A_NONE, F_ALL },
	{ "regex", 'r', A_NONE, F_IGNORE },
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
};

static const struct rt_opt crun_list[] = {
	{ "quiet", 'q', A_NONE, F_IGNORE },
	{ "format", 'f', A_REQ, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt crun_ps[] = {
	{ "format", 'f', A_REQ, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt crun_spec[] = {
	{ "bundle", 'b', A_REQ, F_IGNORE },
	{ "file", 'f', A_REQ, F_IGNORE },
	{ "rootless", 0, A_NONE, F_IGNORE },
	RTOPT_END,
};

/* argp with ARGP_IN_ORDER: options end at the first operand. */
static const struct rt_cmd_spec crun_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, false, crun_create },
	{ "run", RT_CMD_RUN, ID_ONE, false, crun_run },
	{ "start", RT_CMD_START, ID_ONE, false, rtopt_none },
	{ "delete", RT_CMD_DELETE, ID_ONE, false, crun_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, false, crun_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, crun_exec },
	{ "state", RT_CMD_STATE, ID_ONE, false, rtopt_none },
	{ "restore", RT_CMD_RESTORE, ID_ONE, false, crun_restore },
	{ "checkpoint", RT_CMD_OTHER, ID_ONE, false, crun_checkpoint },
	{ "pause", RT_CMD_OTHER, ID_ONE, false, rtopt_none },
	{ "resume", RT_CMD_OTHER, ID_ONE, false, rtopt_none },
	{ "ps", RT_CMD_OTHER, ID_ONE, false, crun_ps },
	{ "update", RT_CMD_OTHER, ID_ONE, false, rtopt_update },
	{ "list", RT_CMD_OTHER, ID_NONE, false, crun_list },
	{ "spec", RT_CMD_OTHER, ID_NONE, false, crun_spec },
	{ "features", RT_CMD_OTHER, ID_NONE, false, rtopt_none },
	RTOPT_CMDS_END,
};

const struct rt_grammar rtopt_crun = {
	.syntax = RT_SYNTAX_ARGP,
	.global = crun_global,
	.common = argp_common,
	.cmds = crun_cmds,
	.stages = &rtstages_oci,
};
