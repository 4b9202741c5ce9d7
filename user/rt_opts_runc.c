// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * runc's command line, data only: the option tables and subcommand list of
 * runc 1.1.5 (main.go, create.go, run.go, exec.go, restore.go, ... built on
 * urfave/cli v1: flags anywhere, "-x" == "--x", no short clusters), plus the
 * options later runc releases added where they take a value (they would
 * otherwise turn their value into the container ID). crun's update takes
 * runc's update set, so rtopt_update is shared.
 */
#include "rtopt.h"

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
	RTOPT_END,
};

/* urfave/cli adds --help/-h to every command. */
static const struct rt_opt runc_common[] = {
	{ "help", 'h', A_NONE, F_IGNORE },
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
};

static const struct rt_opt runc_delete[] = {
	{ "force", 'f', A_NONE, F_FORCE },
	RTOPT_END,
};

static const struct rt_opt runc_kill[] = {
	{ "all", 'a', A_NONE, F_ALL },
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
};

/* runc update and crun update: every option takes a value. */
const struct rt_opt rtopt_update[] = {
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
	RTOPT_END,
};

static const struct rt_opt runc_ps[] = {
	{ "format", 'f', A_REQ, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt runc_list[] = {
	{ "format", 'f', A_REQ, F_IGNORE },
	{ "quiet", 'q', A_NONE, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt runc_events[] = {
	{ "interval", 0, A_REQ, F_IGNORE },
	{ "stats", 0, A_NONE, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt runc_spec[] = {
	{ "bundle", 'b', A_REQ, F_IGNORE },
	{ "rootless", 0, A_NONE, F_IGNORE },
	RTOPT_END,
};

/*
 * runc 1.1.5: create runs prestart and createRuntime (libcontainer/
 * process_linux.go, initProcess.start), createContainer in the init
 * (rootfs_linux.go) and poststart (container_linux.go, start(): released runc
 * runs it when the init is created, before `runc start`); start lets the init
 * exec, which runs startContainer first (standard_init_linux.go); delete runs
 * poststop (state.go, destroy()).
 */
static const struct rt_hook_stages runc_stages = {
	.create = STG(OCI_PRESTART) | STG(OCI_CREATE_RUNTIME) | STG(OCI_CREATE_CONTAINER) |
		  STG(OCI_POSTSTART),
	.start = STG(OCI_START_CONTAINER),
	.del = STG(OCI_POSTSTOP),
};

/* urfave/cli v1 reorders options before operands, except for exec and ps. */
static const struct rt_cmd_spec runc_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, true, runc_create },
	{ "run", RT_CMD_RUN, ID_ONE, true, runc_run },
	{ "start", RT_CMD_START, ID_ONE, true, rtopt_none },
	{ "delete", RT_CMD_DELETE, ID_ONE, true, runc_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, true, runc_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, runc_exec },
	{ "state", RT_CMD_STATE, ID_ONE, true, rtopt_none },
	{ "restore", RT_CMD_RESTORE, ID_ONE, true, runc_restore },
	{ "init", RT_CMD_INIT, ID_NONE, true, rtopt_none },
	{ "checkpoint", RT_CMD_OTHER, ID_ONE, true, runc_checkpoint },
	{ "pause", RT_CMD_OTHER, ID_ONE, true, rtopt_none },
	{ "resume", RT_CMD_OTHER, ID_ONE, true, rtopt_none },
	{ "ps", RT_CMD_OTHER, ID_EXEC, false, runc_ps },
	{ "events", RT_CMD_OTHER, ID_ONE, true, runc_events },
	{ "update", RT_CMD_OTHER, ID_ONE, true, rtopt_update },
	{ "list", RT_CMD_OTHER, ID_NONE, true, runc_list },
	{ "spec", RT_CMD_OTHER, ID_NONE, true, runc_spec },
	{ "features", RT_CMD_OTHER, ID_NONE, true, rtopt_none },
	RTOPT_CMDS_END,
};

const struct rt_grammar rtopt_runc = {
	.syntax = RT_SYNTAX_GO,
	.global = runc_global,
	.common = runc_common,
	.cmds = runc_cmds,
	.stages = &runc_stages,
};
