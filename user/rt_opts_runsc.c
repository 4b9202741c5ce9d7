// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gVisor runsc's command line, data only: runsc/config/flags.go and
 * runsc/cmd/{create,run,delete,kill}.go (Go flag package: options end at the
 * first operand); the testbed runs Debian's 2022-12 build. Only the
 * value-taking global flags are listed, so unknown global options are not
 * reported. Also which hook stages each command runs.
 */
#include "rtopt.h"

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
	RTOPT_END,
};

/* runsc/cmd/create.go (run adds -detach) */
static const struct rt_opt runsc_create[] = {
	{ "bundle", 0, A_REQ, F_BUNDLE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "user-log", 0, A_REQ, F_IGNORE },
	RTOPT_END,
};

static const struct rt_opt runsc_run[] = {
	{ "bundle", 0, A_REQ, F_BUNDLE },
	{ "console-socket", 0, A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 0, A_REQ, F_PID_FILE },
	{ "user-log", 0, A_REQ, F_IGNORE },
	{ "detach", 0, A_NONE, F_DETACH },
	RTOPT_END,
};

static const struct rt_opt runsc_delete[] = {
	{ "force", 0, A_NONE, F_FORCE },
	RTOPT_END,
};

static const struct rt_opt runsc_kill[] = {
	{ "all", 0, A_NONE, F_ALL },
	{ "pid", 0, A_REQ, F_IGNORE },
	RTOPT_END,
};

/*
 * Which hook stages each runsc command runs, in the 2022-12 build Debian
 * ships (gVisor release-20221219.0, commit 2342c658c7c2,
 * runsc/container/container.go and hook.go): create runs prestart then
 * createRuntime (New(), after the sandbox is created); start runs poststart
 * (Start(), best effort: a failing hook is only logged); delete runs
 * poststop (destroy(), best effort); run does all of it in one process.
 * createContainer and startContainer hooks are never run: New() and Start()
 * log "CreateContainer/StartContainer hook skipped because running inside
 * container namespace is not supported". (gVisor runs createContainer hooks
 * from release-20260520.0 on, commit ae18a84df; not the build tested here.)
 */
static const struct rt_hook_stages runsc_stages = {
	.create = STG(OCI_PRESTART) | STG(OCI_CREATE_RUNTIME),
	.start = STG(OCI_POSTSTART),
	.del = STG(OCI_POSTSTOP),
	.never = STG(OCI_CREATE_CONTAINER) | STG(OCI_START_CONTAINER),
	.never_why = "gVisor runs no hook inside the container's namespaces (runsc logs "
		     "\"hook skipped because running inside container namespace is not "
		     "supported\")",
};

/* Go flag package: options end at the first operand. */
static const struct rt_cmd_spec runsc_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, false, runsc_create },
	{ "run", RT_CMD_RUN, ID_ONE, false, runsc_run },
	{ "start", RT_CMD_START, ID_ONE, false, rtopt_none },
	{ "delete", RT_CMD_DELETE, ID_ONE, false, runsc_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, false, runsc_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, NULL },
	{ "state", RT_CMD_STATE, ID_ONE, false, rtopt_none },
	{ "restore", RT_CMD_RESTORE, ID_ONE, false, NULL },
	/* The sandbox and gofer processes runsc re-execs itself as. */
	{ "boot", RT_CMD_INIT, ID_OPTIONAL, false, NULL },
	{ "gofer", RT_CMD_INIT, ID_NONE, false, NULL },
	RTOPT_CMDS_END,
};

const struct rt_grammar rtopt_runsc = {
	.syntax = RT_SYNTAX_GO,
	/* runsc has far more global booleans than we list: do not call them unknown. */
	.lenient = true,
	.global = runsc_global,
	.cmds = runsc_cmds,
	.stages = &runsc_stages,
};
