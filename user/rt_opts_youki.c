// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * youki's command line, data only: liboci-cli's clap structs (GlobalOpts,
 * create.rs, run.rs, exec.rs, delete.rs, kill.rs) and youki's own extensions
 * (crates/youki/src/main.rs). youki is not packaged for Debian 12, so these
 * were read from its source and checked against no installed binary.
 */
#include "rtopt.h"

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
	RTOPT_END,
};

static const struct rt_opt clap_common[] = {
	{ "help", 'h', A_NONE, F_IGNORE },
	RTOPT_END,
};

/* liboci-cli create.rs: here -c is --console-socket and -p --pid-file. */
static const struct rt_opt youki_create[] = {
	{ "bundle", 'b', A_REQ, F_BUNDLE },
	{ "console-socket", 'c', A_REQ, F_CONSOLE_SOCKET },
	{ "pid-file", 'p', A_REQ, F_PID_FILE },
	{ "no-pivot", 0, A_NONE, F_NO_PIVOT },
	{ "no-new-keyring", 0, A_NONE, F_NO_NEW_KEYRING },
	{ "preserve-fds", 0, A_REQ, F_PRESERVE_FDS },
	RTOPT_END,
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
	RTOPT_END,
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
	RTOPT_END,
};

/* liboci-cli delete.rs and kill.rs. */
static const struct rt_opt youki_delete[] = {
	{ "force", 'f', A_NONE, F_FORCE },
	RTOPT_END,
};

static const struct rt_opt youki_kill[] = {
	{ "all", 'a', A_NONE, F_ALL },
	RTOPT_END,
};

/* clap accepts options between operands; exec's command starts at its first word. */
static const struct rt_cmd_spec youki_cmds[] = {
	{ "create", RT_CMD_CREATE, ID_ONE, true, youki_create },
	{ "run", RT_CMD_RUN, ID_ONE, true, youki_run },
	{ "start", RT_CMD_START, ID_ONE, true, rtopt_none },
	{ "delete", RT_CMD_DELETE, ID_ONE, true, youki_delete },
	{ "kill", RT_CMD_KILL, ID_KILL, true, youki_kill },
	{ "exec", RT_CMD_EXEC, ID_EXEC, false, youki_exec },
	{ "state", RT_CMD_STATE, ID_ONE, true, rtopt_none },
	{ "pause", RT_CMD_OTHER, ID_ONE, true, rtopt_none },
	{ "resume", RT_CMD_OTHER, ID_ONE, true, rtopt_none },
	{ "ps", RT_CMD_OTHER, ID_EXEC, false, NULL },
	{ "events", RT_CMD_OTHER, ID_ONE, true, NULL },
	{ "update", RT_CMD_OTHER, ID_ONE, true, NULL },
	{ "checkpointt", RT_CMD_OTHER, ID_ONE, true, NULL },
	{ "list", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "spec", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "features", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "info", RT_CMD_OTHER, ID_NONE, true, NULL },
	{ "completion", RT_CMD_OTHER, ID_NONE, true, NULL },
	RTOPT_CMDS_END,
};

const struct rt_grammar rtopt_youki = {
	.syntax = RT_SYNTAX_CLAP,
	.global = youki_global,
	.common = clap_common,
	.cmds = youki_cmds,
	.stages = &rtstages_oci, /* from its source, not tested against a binary */
};
