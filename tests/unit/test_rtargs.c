// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime command lines (user/rtargs.c and its rt_opts_*.c tables), runtime
 * recognition (user/rtdetect.c) and state directories (user/rtstate.c). The command
 * lines marked "captured" were recorded on the testbed with
 * `strace -f -e trace=execve` around podman 4.3.1 / conmon 2.1.6 driving runc
 * 1.1.5 and crun 1.8.1; containerd's come from go-runc's and the shim's
 * argument builders. State samples in tests/data/state/ were captured from
 * real runc create / runc run -d / crun create runs (youki's are synthesized
 * from its serde structs: youki is not packaged for Debian 12).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "hooksnoop.h"
#include "rtargs.h"
#include "rtdetect.h"
#include "rtstate.h"
#include "saferead.h"

static int parse_list(enum rt_kind kind, const char *const *args, struct rt_invocation *inv)
{
	int n = 0;

	while (args[n])
		n++;
	return rt_parse_argv(kind, n, (char *const *)args, inv);
}

#define PARSE(kind, inv, ...) parse_list(kind, (const char *const[]){ __VA_ARGS__, NULL }, inv)

#define CID "1b64ffceb39a46ca4fea353ad260bcfc23e0a33d490a99f38e4d80ad78e6838e"
#define PODDIR "/var/lib/containers/storage/overlay-containers/" CID "/userdata"
#define PODRUN "/run/containers/storage/overlay-containers/" CID "/userdata"

/* ------------------------------------------------------------------------------------------ */

static void test_kind_from_name(void **state)
{
	(void)state;
	assert_int_equal(rt_kind_from_name("crun"), RT_CRUN);
	assert_int_equal(rt_kind_from_name("/usr/bin/crun"), RT_CRUN);
	assert_int_equal(rt_kind_from_name("crun-wasm"), RT_CRUN);
	assert_int_equal(rt_kind_from_name("crun-"), RT_UNKNOWN);
	assert_int_equal(rt_kind_from_name("krun"), RT_KRUN);
	assert_int_equal(rt_kind_from_name("/usr/sbin/runc"), RT_RUNC);
	assert_int_equal(rt_kind_from_name("runc:[2:INIT]"), RT_RUNC);
	assert_int_equal(rt_kind_from_name("runc:[1:CHILD]"), RT_RUNC);
	assert_int_equal(rt_kind_from_name("youki"), RT_YOUKI);
	assert_int_equal(rt_kind_from_name("runsc"), RT_RUNSC);
	assert_int_equal(rt_kind_from_name("runsc-gofer"), RT_RUNSC);
	assert_int_equal(rt_kind_from_name("/usr/bin/podman"), RT_PODMAN);
	assert_int_equal(rt_kind_from_name("/usr/bin/conmon"), RT_CONMON);
	assert_int_equal(rt_kind_from_name("/usr/bin/containerd-shim-runc-v2"), RT_SHIM);
	assert_int_equal(rt_kind_from_name("containerd-shim"), RT_SHIM); /* 15-byte comm */
	assert_int_equal(rt_kind_from_name("runcx"), RT_UNKNOWN);
	assert_int_equal(rt_kind_from_name("sleep"), RT_UNKNOWN);
	assert_int_equal(rt_kind_from_name(""), RT_UNKNOWN);
	assert_int_equal(rt_kind_from_name("/usr/bin/"), RT_UNKNOWN);
	assert_int_equal(rt_kind_from_name(NULL), RT_UNKNOWN);
	assert_string_equal(rt_kind_name(RT_RUNC), "runc");
	assert_string_equal(rt_kind_name((enum rt_kind)99), "unknown");
	assert_string_equal(rt_cmd_name(RT_CMD_CREATE), "create");
}

static void test_reexec_paths(void **state)
{
	(void)state;
	assert_true(rt_is_reexec_path("/proc/self/exe"));
	assert_true(rt_is_reexec_path("/proc/4242/exe"));
	assert_true(rt_is_reexec_path("/proc/thread-self/exe"));
	assert_true(rt_is_reexec_path("/dev/fd/5"));
	assert_true(rt_is_reexec_path("/proc/self/fd/7"));
	assert_true(rt_is_reexec_path("/proc/12/fd/3"));
	assert_true(rt_is_reexec_path("memfd:runc_cloned:/proc/self/exe"));
	assert_false(rt_is_reexec_path("/dev/fd/"));
	assert_false(rt_is_reexec_path("/dev/fd/x"));
	assert_false(rt_is_reexec_path("/proc/self/exe2"));
	assert_false(rt_is_reexec_path("/proc/abc/exe"));
	assert_false(rt_is_reexec_path("/proc//exe"));
	assert_false(rt_is_reexec_path("/usr/sbin/runc"));
	assert_false(rt_is_reexec_path(NULL));
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(rt_detect("/usr/sbin/runc", "runc", "runc"), RT_RUNC);
	/* crun re-execs from a memfd with its argv unchanged (execveat(fd, "")). */
	assert_int_equal(rt_detect("/dev/fd/4", "crun", "crun"), RT_CRUN);
	/* runc 1.1.5: execve("/proc/self/exe", ["runc", "init"]). */
	assert_int_equal(rt_detect("/proc/self/exe", "runc", "exe"), RT_RUNC);
	assert_int_equal(rt_detect("/proc/self/exe", "x", "runc:[2:INIT]"), RT_RUNC);
	assert_int_equal(rt_detect(NULL, NULL, "runc:[2:INIT]"), RT_RUNC);
	/* A hook may call itself anything: the binary's path wins. */
	assert_int_equal(rt_detect("/usr/bin/sleep", "runc", "runc"), RT_UNKNOWN);
	assert_int_equal(rt_detect(NULL, NULL, NULL), RT_UNKNOWN);
	assert_string_equal(rt_default_root(RT_CRUN), "/run/crun");
	assert_string_equal(rt_default_root(RT_KRUN), "/run/crun");
	assert_string_equal(rt_default_root(RT_RUNC), "/run/runc");
	assert_string_equal(rt_default_root(RT_YOUKI), "/run/youki");
	assert_null(rt_default_root(RT_PODMAN));
}

/* The one runtime table: BPF's default comms and the seeding rule come from it. */
static void test_default_comms(void **state)
{
	static const char *const want[] = { "crun", "runc", "youki", "runsc", "krun", "podman" };
	const char *got[HS_RUNTIME_NAMES];
	size_t n, i;

	(void)state;
	n = rt_default_comms(got, HS_RUNTIME_NAMES);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++) {
		assert_string_equal(got[i], want[i]);
		/* a comm BPF can compare: shorter than task->comm, and recognised */
		assert_true(strlen(got[i]) < HS_COMM_LEN);
		assert_int_not_equal(rt_kind_from_name(got[i]), RT_UNKNOWN);
	}
	/* a short out array still learns the total */
	assert_int_equal(rt_default_comms(got, 2), n);
	assert_string_equal(got[1], "runc");

	assert_true(rt_comm_matches("runc", "runc"));
	assert_true(rt_comm_matches("runc", "runc:[2:INIT]"));
	assert_true(rt_comm_matches("runc", "runc:[0:PARENT]"));
	assert_false(rt_comm_matches("runc", "runc:other"));
	assert_false(rt_comm_matches("runc", "runcx"));
	assert_false(rt_comm_matches("crun", "crun:[2:INIT]"));
	assert_true(rt_comm_matches("my-rt", "my-rt"));
	assert_false(rt_comm_matches("my-rt", "my-rt:x"));
	assert_false(rt_comm_matches("runc", NULL));
}

/* ---------------------------------------------------------------------- runc via podman/conmon */

static void test_runc_podman_create(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* captured: conmon -> runc */
	assert_int_equal(PARSE(RT_RUNC, &inv, "/usr/bin/runc", "--log-format=json", "--log",
			       PODRUN "/oci-log", "create", "--bundle", PODDIR, "--pid-file",
			       PODRUN "/pidfile", CID),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_CREATE);
	assert_string_equal(inv.subcmd, "create");
	assert_string_equal(inv.id, CID);
	assert_string_equal(inv.bundle, PODDIR);
	assert_false(inv.bundle_from_cwd);
	assert_string_equal(inv.pid_file, PODRUN "/pidfile");
	assert_string_equal(inv.log, PODRUN "/oci-log");
	assert_string_equal(inv.log_format, "json");
	assert_null(inv.root);
	assert_null(inv.console_socket);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);
}

static void test_runc_podman_start_delete_kill(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* captured */
	assert_int_equal(PARSE(RT_RUNC, &inv, "/usr/bin/runc", "start", CID), 0);
	assert_int_equal(inv.cmd, RT_CMD_START);
	assert_string_equal(inv.id, CID);
	assert_null(inv.bundle);
	assert_false(inv.bundle_from_cwd);
	rt_invocation_free(&inv);

	/* captured, from podman's exit command "container cleanup" */
	assert_int_equal(PARSE(RT_RUNC, &inv, "/usr/bin/runc", "delete", "--force", CID), 0);
	assert_int_equal(inv.cmd, RT_CMD_DELETE);
	assert_true(inv.force);
	assert_string_equal(inv.id, CID);
	rt_invocation_free(&inv);

	/* libpod KillContainer: kill [--all] ID SIGNAL-NUMBER */
	assert_int_equal(PARSE(RT_RUNC, &inv, "/usr/bin/runc", "kill", CID, "15"), 0);
	assert_int_equal(inv.cmd, RT_CMD_KILL);
	assert_string_equal(inv.id, CID);
	assert_string_equal(inv.signal, "15");
	assert_false(inv.all);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "kill", "--all", CID, "9"), 0);
	assert_true(inv.all);
	assert_string_equal(inv.id, CID);
	assert_string_equal(inv.signal, "9");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "kill", "c1"), 0);
	assert_string_equal(inv.id, "c1");
	assert_null(inv.signal);
	rt_invocation_free(&inv);
}

static void test_conmon_captured(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* captured: podman 4.3.1 -> conmon 2.1.6 (runc) */
	assert_int_equal(
		PARSE(RT_CONMON, &inv, "/usr/bin/conmon", "--api-version", "1", "-c", CID, "-u",
		      CID, "-r", "/usr/bin/runc", "-b", PODDIR, "-p", PODRUN "/pidfile", "-n",
		      "hungry_benz", "--exit-dir", "/run/libpod/exits", "--full-attach", "-l",
		      "k8s-file:" PODDIR "/ctr.log", "--log-level", "warning", "--runtime-arg",
		      "--log-format=json", "--runtime-arg", "--log",
		      "--runtime-arg=" PODRUN "/oci-log", "--conmon-pidfile", PODRUN "/conmon.pid",
		      "--exit-command", "/usr/bin/podman", "--exit-command-arg", "--root",
		      "--exit-command-arg", "/var/lib/containers/storage", "--exit-command-arg",
		      "--network-config-dir", "--exit-command-arg", "", "--exit-command-arg",
		      "container", "--exit-command-arg", "cleanup", "--exit-command-arg", "--rm",
		      "--exit-command-arg", CID),
		0);
	assert_int_equal(inv.kind, RT_CONMON);
	assert_int_equal(inv.cmd, RT_CMD_CREATE);
	assert_string_equal(inv.subcmd, "create");
	assert_string_equal(inv.id, CID);
	assert_string_equal(inv.bundle, PODDIR);
	assert_string_equal(inv.runtime, "/usr/bin/runc");
	assert_string_equal(inv.pid_file, PODRUN "/pidfile");
	assert_int_equal(inv.n_runtime_args, 3);
	assert_string_equal(inv.runtime_args[0], "--log-format=json");
	assert_string_equal(inv.runtime_args[1], "--log");
	assert_string_equal(inv.runtime_args[2], PODRUN "/oci-log");
	assert_null(inv.runtime_args[3]);
	assert_false(inv.systemd_cgroup);
	/* podman passes "--api-version 1" but the option is a boolean: "1" is a stray operand */
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	/* captured with crun and --cgroups=disabled; systemd cgroups add -s */
	assert_int_equal(PARSE(RT_CONMON, &inv, "/usr/bin/conmon", "--api-version", "1", "-c", CID,
			       "-r", "/usr/bin/crun", "-b", PODDIR, "-s", "--runtime-arg",
			       "--cgroup-manager", "--runtime-arg", "disabled"),
			 0);
	assert_string_equal(inv.runtime, "/usr/bin/crun");
	assert_true(inv.systemd_cgroup);
	assert_int_equal(inv.n_runtime_args, 2);
	assert_string_equal(inv.runtime_args[0], "--cgroup-manager");
	assert_string_equal(inv.runtime_args[1], "disabled");
	rt_invocation_free(&inv);

	/* podman exec and checkpoint restore through conmon */
	assert_int_equal(PARSE(RT_CONMON, &inv, "conmon", "-c", CID, "-r", "/usr/bin/runc", "-e",
			       "--exec-process-spec", "/tmp/p.json"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_EXEC);
	assert_string_equal(inv.process, "/tmp/p.json");
	assert_false(inv.bundle_from_cwd);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CONMON, &inv, "conmon", "--cid=" CID, "--restore", "/ckpt"), 0);
	assert_int_equal(inv.cmd, RT_CMD_RESTORE);
	assert_true(inv.bundle_from_cwd);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_CONMON, &inv, "conmon", "-b", "/b"), -EINVAL);
	assert_true(inv.warn & RT_W_NO_ID);
	rt_invocation_free(&inv);
}

/* ----------------------------------------------------------------------- runc via containerd */

static void test_runc_containerd(void **state)
{
	struct rt_invocation inv;
	const char *task = "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" CID;

	(void)state;
	/* go-runc: Runc.args() then create --bundle B (CreateOpts.args) ID */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--root", "/run/containerd/runc/k8s.io",
			       "--log", "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" CID
					"/log.json",
			       "--log-format", "json", "--systemd-cgroup", "--rootless=false",
			       "create", "--bundle", task, "--pid-file", "/run/x/init.pid",
			       "--console-socket", "/tmp/pty123/pty.sock", "--no-pivot",
			       "--no-new-keyring", "--preserve-fds", "2", CID),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_CREATE);
	assert_string_equal(inv.root, "/run/containerd/runc/k8s.io");
	assert_string_equal(inv.log_format, "json");
	assert_true(inv.systemd_cgroup);
	assert_string_equal(inv.rootless, "false");
	assert_string_equal(inv.bundle, task);
	assert_string_equal(inv.pid_file, "/run/x/init.pid");
	assert_string_equal(inv.console_socket, "/tmp/pty123/pty.sock");
	assert_true(inv.no_pivot);
	assert_true(inv.no_new_keyring);
	assert_int_equal(inv.preserve_fds, 2);
	assert_string_equal(inv.id, CID);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--root", "/run/containerd/runc/k8s.io",
			       "--log", "/l.json", "--log-format", "json", "start", CID),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_START);
	assert_string_equal(inv.root, "/run/containerd/runc/k8s.io");
	assert_string_equal(inv.id, CID);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--root", "/run/containerd/runc/default",
			       "delete", "--force", CID),
			 0);
	assert_true(inv.force);
	assert_string_equal(inv.id, CID);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--root", "/r", "kill", "--all", CID, "9"),
			 0);
	assert_true(inv.all);
	assert_string_equal(inv.signal, "9");
	rt_invocation_free(&inv);

	/* runc >= 1.2 create options go-runc passes (--pidfd-socket, --detach not in create) */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "--bundle", "/b", "--pidfd-socket",
			       "/s", "c1"),
			 0);
	assert_string_equal(inv.id, "c1");
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);
}

static void test_shim(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* containerd: "containerd-shim-runc-v2 -namespace NS -address A -publish-binary B
	 * -id ID start" */
	assert_int_equal(PARSE(RT_SHIM, &inv, "/usr/bin/containerd-shim-runc-v2", "-namespace",
			       "k8s.io", "-address", "/run/containerd/containerd.sock",
			       "-publish-binary", "/usr/bin/containerd", "-id", CID, "start"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_OTHER);
	assert_string_equal(inv.subcmd, "start");
	assert_string_equal(inv.id, CID);
	assert_string_equal(inv.shim_namespace, "k8s.io");
	assert_true(inv.bundle_from_cwd);
	rt_invocation_free(&inv);

	/* the serving shim (re-exec'd without an action), Go-style --flag=value */
	assert_int_equal(PARSE(RT_SHIM, &inv, "containerd-shim-runc-v2", "--namespace=moby",
			       "-id", "c2", "-debug", "-bundle", "/b"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_NONE);
	assert_true(inv.debug);
	assert_string_equal(inv.bundle, "/b");
	assert_false(inv.bundle_from_cwd);
	rt_invocation_free(&inv);
}

/* ----------------------------------------------------------------------------- runc direct */

static void test_runc_direct(void **state)
{
	struct rt_invocation inv;

	(void)state;
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "-b", "/b", "-d", "c1"), 0);
	assert_int_equal(inv.cmd, RT_CMD_RUN);
	assert_string_equal(inv.bundle, "/b");
	assert_true(inv.detach);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* urfave/cli v1: "-bundle" is "--bundle" (Go flag syntax) */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "-root", "/r", "run", "-bundle", "/b",
			       "-pid-file", "/p", "-keep", "c1"),
			 0);
	assert_string_equal(inv.root, "/r");
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.pid_file, "/p");
	assert_true(inv.keep);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "--bundle=/b", "--detach=false",
			       "--no-subreaper", "c1"),
			 0);
	assert_string_equal(inv.bundle, "/b");
	assert_false(inv.detach);
	assert_true(inv.no_subreaper);
	rt_invocation_free(&inv);

	/* urfave/cli moves options in front of operands: flags after the ID count */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "c1", "--bundle", "/b"), 0);
	assert_string_equal(inv.id, "c1");
	assert_string_equal(inv.bundle, "/b");
	rt_invocation_free(&inv);

	/* no --bundle: the bundle is runc's cwd */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "c1"), 0);
	assert_true(inv.bundle_from_cwd);
	assert_null(inv.bundle);
	rt_invocation_free(&inv);

	/* "--" ends options: "-weird" is the ID */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "delete", "-f", "--", "-weird"), 0);
	assert_true(inv.force);
	assert_string_equal(inv.id, "-weird");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "state", "c1"), 0);
	assert_int_equal(inv.cmd, RT_CMD_STATE);
	rt_invocation_free(&inv);
}

static void test_runc_tables(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* --rootless is a string flag: "true" is its value, not the subcommand */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--rootless", "true", "--criu",
			       "/usr/sbin/criu", "start", "c1"),
			 0);
	assert_string_equal(inv.rootless, "true");
	assert_int_equal(inv.cmd, RT_CMD_START);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* Go's flag package has no short-option values glued on: runc rejects -b/b */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "-b/b", "c1"), 0);
	assert_true(inv.warn & RT_W_UNKNOWN_OPT);
	assert_string_equal(inv.bad_opt, "-b/b");
	assert_null(inv.bundle);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* a value-taking flag takes the next word even if it starts with '-' */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--log", "-", "start", "c1"), 0);
	assert_string_equal(inv.log, "-");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* exec does not permute: the container's command keeps its options */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "exec", "-t", "--pid-file", "/p", "c1",
			       "sh", "-c", "echo --bundle x"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_EXEC);
	assert_string_equal(inv.id, "c1");
	assert_string_equal(inv.pid_file, "/p");
	assert_null(inv.bundle);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "exec", "-p", "/proc.json", "-d", "c1"), 0);
	assert_string_equal(inv.process, "/proc.json");
	assert_true(inv.detach);
	rt_invocation_free(&inv);

	/* conmon's checkpoint path: restore creates a container */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "restore", "--bundle", "/b", "--pid-file",
			       "/p", "--detach", "--image-path", "/ckpt", "--work-path", "/b",
			       "c1"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_RESTORE);
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "update", "--memory", "10M", "--pids-limit",
			       "5", "c1"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_OTHER);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "list", "-q"), 0);
	assert_null(inv.id);
	rt_invocation_free(&inv);
}

static void test_runc_init(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* captured: execve("/proc/self/exe", ["runc", "init"]) */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "init"), 0);
	assert_int_equal(inv.cmd, RT_CMD_INIT);
	assert_string_equal(inv.subcmd, "init");
	assert_null(inv.id);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "/usr/sbin/runc", "init"), 0);
	assert_int_equal(inv.cmd, RT_CMD_INIT);
	rt_invocation_free(&inv);

	/* runsc's sandbox and gofer re-execs */
	assert_int_equal(PARSE(RT_RUNSC, &inv, "runsc-gofer", "--root=/var/run/runsc",
			       "--debug=false", "--log=", "--log-format=text", "--network=sandbox",
			       "--strace=false", "gofer", "--bundle", "/home/u/bundle",
			       "--spec-fd=3", "--io-fds=4"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_INIT);
	assert_string_equal(inv.subcmd, "gofer");
	assert_string_equal(inv.root, "/var/run/runsc");
	assert_false(inv.debug);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNSC, &inv, "runsc-sandbox", "--root=/var/run/runsc", "boot",
			       "--bundle=/home/u/bundle", "--controller-fd=3", "hello"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_INIT);
	assert_string_equal(inv.id, "hello");
	rt_invocation_free(&inv);
}

/* ------------------------------------------------------------------------------------- crun */

static void test_crun_podman(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* captured: conmon -> crun with --cgroups=disabled */
	assert_int_equal(PARSE(RT_CRUN, &inv, "/usr/bin/crun", "--log-format=json", "--log",
			       PODRUN "/oci-log", "--cgroup-manager", "disabled", "create",
			       "--bundle", PODDIR, "--pid-file", PODRUN "/pidfile", CID),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_CREATE);
	assert_string_equal(inv.cgroup_manager, "disabled");
	assert_false(inv.systemd_cgroup);
	assert_string_equal(inv.log_format, "json");
	assert_string_equal(inv.bundle, PODDIR);
	assert_string_equal(inv.id, CID);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	/* captured */
	assert_int_equal(PARSE(RT_CRUN, &inv, "/usr/bin/crun", "start", CID), 0);
	assert_int_equal(inv.cmd, RT_CMD_START);
	assert_string_equal(inv.id, CID);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "/usr/bin/crun", "delete", "--force", CID), 0);
	assert_true(inv.force);
	assert_string_equal(inv.id, CID);
	rt_invocation_free(&inv);

	/* conmon with podman's systemd cgroup manager */
	assert_int_equal(PARSE(RT_CRUN, &inv, "/usr/bin/crun", "--systemd-cgroup", "create",
			       "--bundle", "/b", "--pid-file", "/p", "--no-new-keyring",
			       "--console-socket", "/s", "c1"),
			 0);
	assert_true(inv.systemd_cgroup);
	assert_true(inv.no_new_keyring);
	assert_string_equal(inv.console_socket, "/s");
	rt_invocation_free(&inv);
}

static void test_crun_direct(void **state)
{
	struct rt_invocation inv;

	(void)state;
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-b", "/b", "c1"), 0);
	assert_int_equal(inv.cmd, RT_CMD_RUN);
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* TESTBED.md's form */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "--cgroup-manager=disabled", "run", "-b",
			       "/tmp/b", "c1"),
			 0);
	assert_string_equal(inv.cgroup_manager, "disabled");
	assert_string_equal(inv.bundle, "/tmp/b");
	rt_invocation_free(&inv);

	/* argp: glued short values, clusters, unique-prefix long options */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-b/tmp/b", "c1"), 0);
	assert_string_equal(inv.bundle, "/tmp/b");
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-db", "/b", "c1"), 0);
	assert_true(inv.detach);
	assert_string_equal(inv.bundle, "/b");
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "--cgroup-man", "disabled", "run",
			       "--bund", "/b", "--pid", "/p", "c1"),
			 0);
	assert_string_equal(inv.cgroup_manager, "disabled");
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.pid_file, "/p");
	rt_invocation_free(&inv);
	/* "--no" is ambiguous (no-pivot, no-subreaper, no-new-keyring) */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "--no", "c1"), 0);
	assert_true(inv.warn & RT_W_UNKNOWN_OPT);
	rt_invocation_free(&inv);

	/* -f is --config FILE for create/run (and --force for delete) */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-f", "alt.json", "c1"), 0);
	assert_string_equal(inv.config_file, "alt.json");
	assert_false(inv.force);
	assert_string_equal(inv.id, "c1");
	assert_true(inv.bundle_from_cwd);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "delete", "-f", "c1"), 0);
	assert_true(inv.force);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "kill", "c1", "KILL"), 0);
	assert_string_equal(inv.signal, "KILL");
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "kill", "-a", "c1", "9"), 0);
	assert_true(inv.all);
	rt_invocation_free(&inv);

	/* --tty takes an optional value, glued only */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "exec", "-t", "c1", "sh", "-c", "x"), 0);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "exec", "--tty=false", "-d", "c1", "true"),
			 0);
	assert_true(inv.detach);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_KRUN, &inv, "krun", "run", "--bundle=/b", "vm1"), 0);
	assert_int_equal(inv.kind, RT_KRUN);
	assert_string_equal(inv.id, "vm1");
	rt_invocation_free(&inv);
}

static void test_crun_quirks(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* argp in order: options after the ID are operands, which crun rejects */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "create", "c1", "--bundle", "/b"), 0);
	assert_string_equal(inv.id, "c1");
	assert_null(inv.bundle);
	assert_true(inv.warn & RT_W_EXTRA_ARGS);
	rt_invocation_free(&inv);

	/* no long-only mode: "-bundle" is "-b undle" */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-bundle", "/b", "c1"), 0);
	assert_string_equal(inv.bundle, "undle");
	assert_true(inv.warn & RT_W_EXTRA_ARGS);
	rt_invocation_free(&inv);

	/* crun < 1.22 declared --rootless as --root (checked against crun 1.8.1) */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "--rootless=true", "state", "c1"), 0);
	assert_string_equal(inv.root, "true");
	assert_string_equal(inv.rootless, "true");
	assert_true(inv.warn & RT_W_CRUN_ROOTLESS);
	rt_invocation_free(&inv);

	/* the last of --systemd-cgroup / --cgroup-manager decides */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "--systemd-cgroup", "--cgroup-manager",
			       "cgroupfs", "start", "c1"),
			 0);
	assert_false(inv.systemd_cgroup);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "--cgroup-manager=bogus", "start", "c1"), 0);
	assert_true(inv.warn & RT_W_BAD_VALUE);
	rt_invocation_free(&inv);

	/* a boolean long option given a value: getopt rejects it */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "--detach=yes", "c1"), 0);
	assert_true(inv.warn & RT_W_BAD_VALUE);
	rt_invocation_free(&inv);

	/* no command at all */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "--version"), 0);
	assert_int_equal(inv.cmd, RT_CMD_NONE);
	rt_invocation_free(&inv);
}

/* ------------------------------------------------------------------------------------ youki */

static void test_youki(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* liboci-cli: -c is --console-socket, -p --pid-file */
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "create", "-b", "/b", "-p", "/p", "-c",
			       "/s", "c1"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_CREATE);
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.pid_file, "/p");
	assert_string_equal(inv.console_socket, "/s");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* what containerd / podman would pass to youki */
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "--root", "/run/containerd/runc/k8s.io",
			       "--log", "/l.json", "--log-format", "json", "--systemd-cgroup",
			       "create", "--bundle", "/b", "--pid-file", "/p", "--preserve-fds",
			       "1", "c1"),
			 0);
	assert_string_equal(inv.root, "/run/containerd/runc/k8s.io");
	assert_true(inv.systemd_cgroup);
	assert_int_equal(inv.preserve_fds, 1);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "-r", "/r", "-l", "/l", "-s", "run",
			       "-b=/b", "-d", "c1"),
			 0);
	assert_string_equal(inv.root, "/r");
	assert_string_equal(inv.log, "/l");
	assert_string_equal(inv.bundle, "/b");
	assert_true(inv.detach);
	rt_invocation_free(&inv);

	/* clap takes options after the operand too */
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "create", "c1", "--bundle", "/b"), 0);
	assert_string_equal(inv.id, "c1");
	assert_string_equal(inv.bundle, "/b");
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "delete", "-f", "c1"), 0);
	assert_true(inv.force);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "kill", "c1", "SIGKILL"), 0);
	assert_string_equal(inv.id, "c1");
	assert_string_equal(inv.signal, "SIGKILL");
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "exec", "-t", "c1", "sh", "-c", "x"), 0);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* clap refuses an option-looking value */
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "run", "--bundle", "-d", "c1"), -EINVAL);
	assert_true(inv.warn & RT_W_MISSING_VALUE);
	assert_string_equal(inv.bad_opt, "--bundle");
	rt_invocation_free(&inv);
}

/* ------------------------------------------------------------------------------------ runsc */

static void test_runsc(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* containerd-shim-runsc-v1 style: config flags always "--k=v" */
	assert_int_equal(PARSE(RT_RUNSC, &inv, "runsc", "--root=/run/containerd/runsc/k8s.io",
			       "--log=/l.json", "--log-format=json", "--platform=systrap",
			       "--debug-log", "/tmp/runsc/", "create", "--bundle", "/b",
			       "--pid-file", "/p", "--user-log", "/u", "c1"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_CREATE);
	assert_string_equal(inv.root, "/run/containerd/runsc/k8s.io");
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(
		PARSE(RT_RUNSC, &inv, "runsc", "kill", "--all", "--pid", "5", "c1", "TERM"), 0);
	assert_true(inv.all);
	assert_string_equal(inv.id, "c1");
	assert_string_equal(inv.signal, "TERM");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNSC, &inv, "runsc", "delete", "-force", "c1"), 0);
	assert_true(inv.force);
	rt_invocation_free(&inv);
}

/* ----------------------------------------------------------------------------------- podman */

static void test_podman_captured(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* captured */
	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "--runtime", "runc",
			       "--cgroup-manager=cgroupfs", "--hooks-dir", "/tmp/rtargs-pod/hd1",
			       "run", "--rm", "--ulimit", "nofile=1024:1024", "--ulimit",
			       "nproc=4096:4096", "--network=none", "localhost/rtargs-bb", "true"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_RUN);
	assert_string_equal(inv.runtime, "runc");
	assert_string_equal(inv.cgroup_manager, "cgroupfs");
	assert_true(inv.hooks_dirs_given);
	assert_int_equal(inv.n_hooks_dirs, 1);
	assert_string_equal(inv.hooks_dirs[0], "/tmp/rtargs-pod/hd1");
	assert_null(inv.id);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	/* captured: the exit command conmon runs; --root is podman's storage */
	assert_int_equal(PARSE(RT_PODMAN, &inv, "/usr/bin/podman", "--root",
			       "/var/lib/containers/storage", "--runroot",
			       "/run/containers/storage", "--log-level", "warning",
			       "--cgroup-manager", "cgroupfs", "--tmpdir", "/run/libpod",
			       "--network-config-dir", "", "--network-backend", "netavark",
			       "--volumepath", "/var/lib/containers/storage/volumes",
			       "--runtime", "crun", "--events-backend", "file", "container",
			       "cleanup", "--rm", CID),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_CLEANUP);
	assert_string_equal(inv.subcmd, "cleanup");
	assert_string_equal(inv.id, CID);
	assert_string_equal(inv.runtime, "crun");
	assert_null(inv.root);
	assert_false(inv.hooks_dirs_given);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "start", "-a", "web"), 0);
	assert_int_equal(inv.cmd, RT_CMD_START);
	assert_string_equal(inv.id, "web");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "pod", "rm", "p1"), 0);
	assert_int_equal(inv.cmd, RT_CMD_OTHER);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "cleanup"), 0);
	assert_int_equal(inv.cmd, RT_CMD_OTHER);
	rt_invocation_free(&inv);
}

static void test_podman_hooks_dirs(void **state)
{
	char **dirs, *runtime;
	size_t n;

	(void)state;
	/* default: podman 4.3 reads /usr/share/containers/oci/hooks.d only (verified) */
	assert_int_equal(rt_podman_hooks_dirs(4, (char *const[]){ "podman", "run", "img", "true",
								   NULL },
					      &dirs, &n, &runtime),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(dirs[0], RT_PODMAN_DEFAULT_HOOKS_DIR);
	assert_null(dirs[1]);
	assert_null(runtime);
	rt_strv_free(dirs, n);

	/* repeatable, "=" form, comma-split (pflag StringSlice), after the subcommand */
	assert_int_equal(rt_podman_hooks_dirs(10,
					      (char *const[]){ "podman", "--hooks-dir", "/a,/b",
							       "--runtime=/usr/bin/crun", "run",
							       "--hooks-dir=/c", "-d", "img", "sh",
							       "--hooks-dir=/evil", NULL },
					      &dirs, &n, &runtime),
			 0);
	assert_int_equal(n, 3);
	assert_string_equal(dirs[0], "/a");
	assert_string_equal(dirs[1], "/b");
	assert_string_equal(dirs[2], "/c");
	assert_string_equal(runtime, "/usr/bin/crun");
	assert_int_equal(rt_kind_from_name(runtime), RT_CRUN);
	free(runtime);
	rt_strv_free(dirs, n);

	/* CSV quoting keeps a comma inside one directory */
	assert_int_equal(rt_podman_hooks_dirs(4,
					      (char *const[]){ "podman", "--hooks-dir",
							       "\"/x,y\",/z", "ps", NULL },
					      &dirs, &n, NULL),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(dirs[0], "/x,y");
	assert_string_equal(dirs[1], "/z");
	rt_strv_free(dirs, n);

	/* --hooks-dir "" : an explicit empty list, no hooks.d at all (verified) */
	assert_int_equal(rt_podman_hooks_dirs(5,
					      (char *const[]){ "podman", "--hooks-dir", "", "run",
							       "img", NULL },
					      &dirs, &n, NULL),
			 0);
	assert_int_equal(n, 0);
	assert_non_null(dirs);
	assert_null(dirs[0]);
	rt_strv_free(dirs, n);

	/* --hooks-dir at the very end has no value */
	assert_int_equal(rt_podman_hooks_dirs(2, (char *const[]){ "podman", "--hooks-dir", NULL },
					      &dirs, &n, NULL),
			 -EINVAL);
	assert_null(dirs);
}

static void test_podman_container_args(void **state)
{
	struct rt_invocation inv;

	(void)state;
	/* everything after the image belongs to the container */
	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "run", "-dit", "--name", "x", "-v",
			       "/a:/b", "-p", "8080:80", "-h", "host", "-e", "A=1", "img", "sh",
			       "-c", "--hooks-dir /evil", "--runtime", "/evil"),
			 0);
	assert_true(inv.detach);
	assert_false(inv.hooks_dirs_given);
	assert_null(inv.runtime);
	assert_int_equal(inv.warn, 0);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "container", "run", "--runtime-flag",
			       "debug", "--runtime-flag", "root=/x", "img"),
			 0);
	assert_int_equal(inv.cmd, RT_CMD_RUN);
	assert_int_equal(inv.n_runtime_args, 2);
	assert_string_equal(inv.runtime_args[0], "--debug");
	assert_string_equal(inv.runtime_args[1], "--root=/x");
	rt_invocation_free(&inv);

	/* an empty directory in the list makes podman fail */
	assert_int_equal(PARSE(RT_PODMAN, &inv, "podman", "--hooks-dir", "/a,,/b", "run", "img"),
			 0);
	assert_true(inv.warn & RT_W_BAD_VALUE);
	assert_int_equal(inv.n_hooks_dirs, 2);
	rt_invocation_free(&inv);
}

/* ------------------------------------------------------------------------- kernel argv buffer */

static void test_cmdline_buffer(void **state)
{
	static const char full[] = "runc\0--root\0/r\0create\0--bundle\0/b\0c1"; /* unterminated */
	struct rt_invocation inv;

	(void)state;
	assert_int_equal(rt_parse_cmdline(RT_RUNC, full, sizeof(full) - 1, false, &inv), 0);
	assert_string_equal(inv.root, "/r");
	assert_string_equal(inv.bundle, "/b");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* terminated the way /proc/PID/cmdline is */
	assert_int_equal(rt_parse_cmdline(RT_RUNC, full, sizeof(full), false, &inv), 0);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* cut inside the ID: the fragment "c" must not become the ID */
	assert_int_equal(rt_parse_cmdline(RT_RUNC, full, sizeof(full) - 2, true, &inv), -ENODATA);
	assert_true(inv.warn & RT_W_TRUNCATED);
	assert_true(inv.warn & RT_W_NO_ID);
	assert_null(inv.id);
	assert_string_equal(inv.bundle, "/b");
	rt_invocation_free(&inv);

	/* cut after "--bundle": its value is missing */
	assert_int_equal(rt_parse_cmdline(RT_RUNC, full, 31, true, &inv), -ENODATA);
	assert_true(inv.warn & RT_W_MISSING_VALUE);
	rt_invocation_free(&inv);

	/* cut exactly at a string boundary: what is there is whole */
	assert_int_equal(rt_parse_cmdline(RT_CRUN, "crun\0start\0c1\0", 14, true, &inv), 0);
	assert_string_equal(inv.id, "c1");
	assert_true(inv.warn & RT_W_TRUNCATED);
	rt_invocation_free(&inv);

	/* empty strings are arguments too */
	assert_int_equal(rt_parse_cmdline(RT_RUNC, "runc\0--log\0\0start\0c1", 21, false, &inv), 0);
	assert_string_equal(inv.log, "");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	assert_int_equal(rt_parse_cmdline(RT_RUNC, "", 0, false, &inv), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(rt_parse_cmdline(RT_RUNC, NULL, 5, false, &inv), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(rt_parse_cmdline(RT_RUNC, "runc-fragment", 13, true, &inv), -ENODATA);
	rt_invocation_free(&inv);
}

/* ---------------------------------------------------------------------------------- hostile */

static void test_missing_values(void **state)
{
	struct rt_invocation inv;

	(void)state;
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "c1", "--bundle"), -EINVAL);
	assert_true(inv.warn & RT_W_MISSING_VALUE);
	assert_string_equal(inv.bad_opt, "--bundle");
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "--bundle"), -EINVAL);
	assert_true(inv.warn & RT_W_MISSING_VALUE);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-b"), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "--root"), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--root"), -EINVAL);
	assert_int_equal(inv.cmd, RT_CMD_NONE);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CONMON, &inv, "conmon", "-c"), -EINVAL);
	rt_invocation_free(&inv);

	/* an ID is required */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "--bundle", "/b"), -EINVAL);
	assert_true(inv.warn & RT_W_NO_ID);
	assert_string_equal(inv.bundle, "/b");
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "kill"), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_YOUKI, &inv, "youki", "exec"), -EINVAL);
	rt_invocation_free(&inv);
}

static void test_bad_input(void **state)
{
	struct rt_invocation inv;
	char *const argv1[] = { "runc", NULL, "c1", NULL };
	char *big;

	(void)state;
	assert_int_equal(rt_parse_argv(RT_RUNC, 0, (char *const[]){ NULL }, &inv), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(rt_parse_argv(RT_RUNC, 1, NULL, &inv), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(rt_parse_argv(RT_RUNC, 3, argv1, &inv), -EINVAL);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_UNKNOWN, &inv, "sleep", "1"), -EINVAL);
	rt_invocation_free(&inv);

	/* unknown option: guessed boolean, reported */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "--frobnicate", "c1"), 0);
	assert_true(inv.warn & RT_W_UNKNOWN_OPT);
	assert_string_equal(inv.bad_opt, "--frobnicate");
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* an unknown value option of a newer runc: its value precedes the ID, the ID stays last */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "--newopt", "v", "c1"), 0);
	assert_string_equal(inv.id, "c1");
	assert_true(inv.warn & RT_W_EXTRA_ARGS);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "---x", "start", "c1"), 0);
	assert_true(inv.warn & RT_W_UNKNOWN_OPT);
	rt_invocation_free(&inv);

	/* unknown subcommand */
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "frobnicate", "c1"), 0);
	assert_int_equal(inv.cmd, RT_CMD_OTHER);
	assert_true(inv.warn & RT_W_UNKNOWN_CMD);
	assert_string_equal(inv.subcmd, "frobnicate");
	assert_null(inv.id);
	rt_invocation_free(&inv);
	assert_int_equal(
		PARSE(RT_RUNC, &inv, "runc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 0);
	assert_int_equal(strlen(inv.subcmd), 31);
	rt_invocation_free(&inv);

	/* hostile IDs are kept (the runtime would refuse them) but flagged */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "delete", "../../etc"), 0);
	assert_true(inv.warn & RT_W_BAD_ID);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "start", "a\x01" "b"), 0);
	assert_true(inv.warn & RT_W_BAD_ID);
	rt_invocation_free(&inv);

	/* a value longer than any path */
	big = malloc(RT_MAX_VALUE + 2);
	assert_non_null(big);
	memset(big, 'x', RT_MAX_VALUE + 1);
	big[RT_MAX_VALUE + 1] = '\0';
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "--bundle", big, "c1"),
			 -ENAMETOOLONG);
	rt_invocation_free(&inv);
	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "start", big), -ENAMETOOLONG);
	rt_invocation_free(&inv);
	big[RT_MAX_VALUE] = '\0';
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "create", "--bundle", big, "c1"), 0);
	assert_int_equal(strlen(inv.bundle), RT_MAX_VALUE);
	rt_invocation_free(&inv);
	free(big);

	/* bad numbers and bad booleans */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "--preserve-fds", "x",
			       "--detach=maybe", "c1"),
			 0);
	assert_true(inv.warn & RT_W_BAD_VALUE);
	assert_int_equal(inv.preserve_fds, 0);
	rt_invocation_free(&inv);
}

static void test_many_args(void **state)
{
	struct rt_invocation inv;
	char **argv;
	int i, n = 10000;

	(void)state;
	argv = calloc(n + 1, sizeof(*argv));
	assert_non_null(argv);
	argv[0] = "runc";
	argv[1] = "create";
	for (i = 2; i < n; i++)
		argv[i] = (i % 2) ? "--no-pivot" : "-d";
	assert_int_equal(rt_parse_argv(RT_RUNC, n, argv, &inv), -E2BIG);
	assert_int_equal(inv.kind, RT_RUNC);
	rt_invocation_free(&inv);

	/* at the limit: parsed, every word looked at once */
	n = RT_MAX_ARGC;
	for (i = 2; i < n - 1; i++)
		argv[i] = "--no-pivot";
	argv[n - 1] = "c1";
	assert_int_equal(rt_parse_argv(RT_RUNC, n, argv, &inv), 0);
	assert_true(inv.no_pivot);
	assert_string_equal(inv.id, "c1");
	rt_invocation_free(&inv);

	/* as many operands: crun takes the first and flags the rest */
	for (i = 2; i < n; i++)
		argv[i] = "op";
	argv[1] = "start";
	assert_int_equal(rt_parse_argv(RT_CRUN, n, argv, &inv), 0);
	assert_true(inv.warn & RT_W_EXTRA_ARGS);
	rt_invocation_free(&inv);
	free(argv);
}

/* Deterministic junk through every parser: never a crash, always a known code. */
static void test_junk(void **state)
{
	static const char *const words[] = {
		"create", "run",  "start", "delete", "kill", "exec", "init", "--", "-",
		"-b",	  "--bundle", "--bundle=", "-bX", "--root", "-r", "--log", "-d", "-f",
		"--hooks-dir", "-c", "--runtime-arg", "container", "cleanup", "-dit", "--no",
		"=", "--=", "-=", "--tty", "-t", "\xff\xfe", "",
	};
	static const enum rt_kind kinds[] = { RT_CRUN, RT_RUNC, RT_YOUKI, RT_RUNSC, RT_KRUN,
					      RT_PODMAN, RT_CONMON, RT_SHIM };
	char buf[16][24];
	char *argv[17];
	unsigned int seed = 12345;
	int iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		struct rt_invocation inv;
		int argc = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 16, i, ret;

		for (i = 0; i < argc; i++) {
			unsigned int r = (seed = seed * 1103515245 + 12345) >> 16;

			if (r % 3) {
				argv[i] = (char *)words[r % (sizeof(words) / sizeof(words[0]))];
			} else {
				size_t k, len = r % (sizeof(buf[i]) - 1);

				for (k = 0; k < len; k++) {
					seed = seed * 1103515245 + 12345;
					buf[i][k] = (char)((seed >> 16) % 255 + 1);
				}
				buf[i][len] = '\0';
				argv[i] = buf[i];
			}
		}
		argv[argc] = NULL;
		ret = rt_parse_argv(kinds[iter % 8], argc, argv, &inv);
		assert_true(ret == 0 || ret == -EINVAL);
		rt_invocation_free(&inv);

		/* the same bytes as a kernel argv buffer, cut or not */
		{
			char flat[17 * 24];
			size_t len = 0;

			for (i = 0; i < argc; i++) {
				size_t l = strlen(argv[i]) + 1;

				memcpy(flat + len, argv[i], l);
				len += l;
			}
			if ((size_t)(iter % 5) < len)
				len -= iter % 5;
			ret = rt_parse_cmdline(kinds[iter % 8], flat, len, iter & 1, &inv);
			assert_true(ret == 0 || ret == -EINVAL || ret == -ENODATA);
			rt_invocation_free(&inv);
		}
	}
}

/* ---------------------------------------------------------------------------------- bundles */

static void test_resolve_bundle(void **state)
{
	struct rt_invocation inv;
	char *b;

	(void)state;
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "-b", "/abs//b/", "c1"), 0);
	assert_int_equal(rt_resolve_bundle(&inv, NULL, &b), 0);
	assert_string_equal(b, "/abs/b");
	free(b);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "-b", "../x/./b", "c1"), 0);
	assert_int_equal(rt_resolve_bundle(&inv, "/home/u/w", &b), 0);
	assert_string_equal(b, "/home/u/x/b");
	free(b);
	assert_int_equal(rt_resolve_bundle(&inv, NULL, &b), -ENOENT);
	assert_null(b);
	assert_int_equal(rt_resolve_bundle(&inv, "relative/cwd", &b), -ENOENT);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_CRUN, &inv, "crun", "run", "c1"), 0);
	assert_int_equal(rt_resolve_bundle(&inv, "/tmp/bundle", &b), 0);
	assert_string_equal(b, "/tmp/bundle");
	free(b);
	assert_int_equal(rt_resolve_bundle(&inv, NULL, &b), -ENOENT);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "run", "-b", "../../../..", "c1"), 0);
	assert_int_equal(rt_resolve_bundle(&inv, "/a", &b), 0);
	assert_string_equal(b, "/");
	free(b);
	rt_invocation_free(&inv);

	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "start", "c1"), 0);
	assert_int_equal(rt_resolve_bundle(&inv, "/x", &b), -EINVAL);
	rt_invocation_free(&inv);

	/* a relative --root, as runc makes it absolute */
	assert_int_equal(PARSE(RT_RUNC, &inv, "runc", "--root", "state/../r", "start", "c1"), 0);
	assert_int_equal(rt_abspath("/var/lib/x/", inv.root, &b), 0);
	assert_string_equal(b, "/var/lib/x/r");
	free(b);
	rt_invocation_free(&inv);
	assert_int_equal(rt_abspath(NULL, "r", &b), -ENOENT);
	assert_int_equal(rt_abspath(NULL, NULL, &b), -EINVAL);
	assert_int_equal(rt_abspath("/ignored", "/abs/./x/", &b), 0);
	assert_string_equal(b, "/abs/x");
	free(b);
}

/* ------------------------------------------------------------------------------------ state */

struct tmp {
	char root[64];
	struct sr_root host; /* "/": the state roots below are host paths */
};

static const char *data_dir(void)
{
	static char dir[PATH_MAX + 32];
	const char *env = getenv("HS_TESTDATA");
	char exe[PATH_MAX];
	ssize_t n;

	if (env)
		return env;
	if (access("tests/data/state", R_OK) == 0)
		return "tests/data/state";
	/* build/tests/test_rtargs -> ../../tests/data/state */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0 && memchr(exe, '/', n)) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(dir, sizeof(dir), "%s/../../tests/data/state", exe);
	}
	return dir;
}

static char *slurp(const char *name, size_t *len)
{
	char path[2 * PATH_MAX];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void put(const char *root, const char *id, const char *file, const char *text, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/%s", root, id, file);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void put_sample(const char *root, const char *id, const char *file, const char *sample)
{
	size_t len;
	char *text = slurp(sample, &len);

	put(root, id, file, text, len);
	free(text);
}

static int state_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	strcpy(t->root, "/tmp/hs-rtstate-XXXXXX");
	if (!mkdtemp(t->root))
		return -1;
	if (sr_root_of_path(&t->host, "/"))
		return -1;
	*state = t;
	return 0;
}

static int state_teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[128];

	sr_root_close(&t->host);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static void test_state_crun(void **state)
{
	struct tmp *t = *state;
	struct rt_state st;
	size_t len;
	char *buf;

	put_sample(t->root, "rtargs-c1", "status", "crun-1.8.1-status.json");
	put(t->root, "rtargs-c1", "config.json", "{}", 2);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "rtargs-c1", &st), 0);
	assert_int_equal(st.kind, RT_CRUN);
	assert_string_equal(st.id, "rtargs-c1");
	assert_string_equal(st.bundle, "/tmp/rtargs-bundle");
	assert_string_equal(st.rootfs, "rootfs");
	assert_string_equal(st.created, "2026-11-28T12:53:40.858696Z");
	assert_int_equal(st.pid, 8417);
	assert_int_equal(st.pid_start, 51334);
	assert_false(st.systemd_cgroup);
	/* crun's config copy is read beneath the handle, not through a path */
	assert_true(st.has_config_copy);
	assert_true(st.dirfd >= 0);
	assert_int_equal(sr_read(NULL, st.dirfd, "config.json", 64, &buf, &len, NULL), 0);
	assert_int_equal(len, 2);
	assert_string_equal(buf, "{}");
	free(buf);
	assert_null(st.hooks);
	assert_null(st.status);
	rt_state_free(&st);

	/* krun keeps crun's layout */
	assert_int_equal(rt_state_lookup(RT_KRUN, &t->host, t->root, "rtargs-c1", &st), 0);
	rt_state_free(&st);
}

static void test_state_runc(void **state)
{
	struct tmp *t = *state;
	struct rt_state st;
	json_t *ps;

	/* runc create of a bundle with hooks and an annotation named "bundle" */
	put_sample(t->root, "rtargs-s2", "state.json", "runc-1.1.5-hooks-state.json");
	assert_int_equal(rt_state_lookup(RT_RUNC, &t->host, t->root, "rtargs-s2", &st), 0);
	assert_string_equal(st.id, "rtargs-s2");
	assert_string_equal(st.bundle, "/tmp/rtargs-bundle"); /* not the annotation's /evil */
	assert_string_equal(st.rootfs, "/tmp/rtargs-bundle/rootfs");
	assert_string_equal(st.created, "2026-11-28T12:53:33.49596692Z");
	assert_int_equal(st.pid, 8320);
	assert_int_equal(st.pid_start, 50597);
	assert_false(st.has_config_copy);
	/* the config said "Poststart": runc stored it as poststart, timeout 5 s in ns */
	assert_true(json_is_object(st.hooks));
	ps = json_array_get(json_object_get(st.hooks, "poststart"), 0);
	assert_string_equal(json_string_value(json_object_get(ps, "path")), "/bin/true");
	assert_int_equal(json_integer_value(json_object_get(ps, "timeout")), 5000000000LL);
	assert_null(json_object_get(st.hooks, "Poststart"));
	rt_state_free(&st);

	/* runc run -d without hooks: Hooks is an object of nulls */
	put_sample(t->root, "rtargs-plain", "state.json", "runc-1.1.5-run-d-state.json");
	assert_int_equal(rt_state_lookup(RT_RUNC, &t->host, t->root, "rtargs-plain", &st), 0);
	assert_string_equal(st.bundle, "/tmp/rtargs-bundle2");
	assert_int_equal(st.pid, 2230);
	assert_true(json_is_null(json_object_get(st.hooks, "prestart")));
	rt_state_free(&st);
}

static void test_state_youki(void **state)
{
	struct tmp *t = *state;
	struct rt_state st;
	json_t *ps;

	put_sample(t->root, "yk1", "state.json", "youki-synth-state.json");
	assert_int_equal(rt_state_lookup(RT_YOUKI, &t->host, t->root, "yk1", &st), 0);
	assert_string_equal(st.bundle, "/tmp/yk-bundle");
	assert_string_equal(st.status, "created");
	assert_int_equal(st.pid, 4242);
	assert_null(st.hooks);
	rt_state_free(&st);

	put_sample(t->root, "yk1", "youki_config.json", "youki-synth-youki_config.json");
	assert_int_equal(rt_state_lookup(RT_YOUKI, &t->host, t->root, "yk1", &st), 0);
	ps = json_array_get(json_object_get(st.hooks, "poststart"), 0);
	assert_int_equal(json_integer_value(json_object_get(ps, "timeout")), 5);
	rt_state_free(&st);
}

static void test_state_hostile(void **state)
{
	struct tmp *t = *state;
	struct rt_state st;
	char path[PATH_MAX], target[PATH_MAX], longid[RT_ID_MAX + 2];
	static const char *const bad_ids[] = { "",     "..",   "../x", "a/b",
					       "/etc", "x\n", "\x7f", "." };
	size_t i;
	int fd;

	put_sample(t->root, "ok", "status", "crun-1.8.1-status.json");
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, bad_ids[i], &st),
				 -EINVAL);
		rt_state_free(&st);
	}
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, NULL, &st), -EINVAL);
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, longid, &st), -EINVAL);
	longid[RT_ID_MAX] = '\0';
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, longid, &st), -ENOENT);
	assert_false(rt_id_valid(longid + RT_ID_MAX));
	assert_true(rt_id_valid("a..b"));

	/* relative root, no such container, runtimes without a state format */
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, "relative/root", "ok", &st), -EINVAL);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "nope", &st), -ENOENT);
	assert_int_equal(rt_state_lookup(RT_RUNSC, &t->host, t->root, "ok", &st), -ENOTSUP);
	assert_int_equal(rt_state_lookup(RT_PODMAN, &t->host, t->root, "ok", &st), -ENOTSUP);
	assert_int_equal(
		rt_state_lookup(RT_CRUN, &t->host, NULL, "hooksnoop-no-such-container-xyz", &st),
		-ENOENT);
	snprintf(path, sizeof(path), "%s/nodir", t->root);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, path, "ok", &st), -ENOENT);

	/* the container directory is a symlink out of the root */
	snprintf(target, sizeof(target), "%s/ok", t->root);
	snprintf(path, sizeof(path), "%s/link", t->root);
	assert_int_equal(symlink(target, path), 0);
	assert_true(rt_state_lookup(RT_CRUN, &t->host, t->root, "link", &st) < 0);
	/* a plain file where the directory should be */
	put(t->root, "file", "status", "{}", 2);
	snprintf(path, sizeof(path), "%s/plain", t->root);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "plain", &st), -ENOENT);

	/* the status file is a symlink, a FIFO (must not block), a directory */
	snprintf(path, sizeof(path), "%s/sl", t->root);
	mkdir(path, 0700);
	snprintf(target, sizeof(target), "%s/ok/status", t->root);
	snprintf(path, sizeof(path), "%s/sl/status", t->root);
	assert_int_equal(symlink(target, path), 0);
	/* absolute: leads out of the container directory */
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "sl", &st), -EXDEV);
	/* relative, to a regular file beside it: still not the state file itself */
	snprintf(path, sizeof(path), "%s/sl2", t->root);
	mkdir(path, 0700);
	put_sample(t->root, "sl2", "other", "crun-1.8.1-status.json");
	snprintf(path, sizeof(path), "%s/sl2/status", t->root);
	assert_int_equal(symlink("other", path), 0);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "sl2", &st), -ELOOP);
	/* the container directory a relative symlink to a sibling container */
	snprintf(path, sizeof(path), "%s/sib", t->root);
	assert_int_equal(symlink("ok", path), 0);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "sib", &st), -ELOOP);
	snprintf(path, sizeof(path), "%s/fifo", t->root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/fifo/status", t->root);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "fifo", &st), -EBADMSG);
	snprintf(path, sizeof(path), "%s/dir", t->root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/dir/state.json", t->root);
	mkdir(path, 0700);
	assert_true(rt_state_lookup(RT_RUNC, &t->host, t->root, "dir", &st) < 0);

	/* too big (sparse), not JSON, no bundle */
	snprintf(path, sizeof(path), "%s/big", t->root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/big/status", t->root);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64 << 20), 0);
	close(fd);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "big", &st), -EFBIG);
	put(t->root, "junk", "status", "\x00\xff{\"bundle\":", 12);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "junk", &st), -EBADMSG);
	put(t->root, "nob", "status", "{\"pid\":1}", 9);
	assert_int_equal(rt_state_lookup(RT_CRUN, &t->host, t->root, "nob", &st), -EBADMSG);
	put(t->root, "arr", "state.json", "[1,2]", 5);
	assert_int_equal(rt_state_lookup(RT_RUNC, &t->host, t->root, "arr", &st), -EBADMSG);
	rt_state_free(&st);
}

/* Write text to <dir>/<rel>, creating the directories on the way. */
static void put_at(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	char *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	fclose(f);
}

/*
 * The runtime's root is a directory (as /proc/PID/root would be): the state
 * roots, default or given, are resolved inside it, never on the host.
 */
static void test_state_in_root(void **state)
{
	struct tmp *t = *state;
	struct sr_root rt = SR_ROOT_INIT;
	struct rt_state st;
	char path[PATH_MAX], *buf;
	size_t len;
	int fd;

	put_at(t->root, "run/crun/c1/status", "{\"bundle\":\"/b/c1\",\"pid\":11}");
	put_at(t->root, "run/crun/c1/config.json", "{\"ociVersion\":\"1.0.2\"}");
	put_at(t->root, "run/runc/r1/state.json",
	       "{\"id\":\"r1\",\"init_process_pid\":12,"
	       "\"config\":{\"rootfs\":\"/b/r1/rootfs\",\"labels\":[\"bundle=/b/r1\"]}}");
	put_at(t->root, "run/youki/y1/state.json",
	       "{\"id\":\"y1\",\"bundle\":\"/b/y1\",\"status\":\"created\",\"pid\":13}");
	put_at(t->root, "custom/r2/state.json",
	       "{\"id\":\"r2\",\"config\":{\"labels\":[\"bundle=/b/r2\"]}}");
	assert_int_equal(sr_root_of_path(&rt, t->root), 0);

	assert_int_equal(rt_state_lookup(RT_CRUN, &rt, NULL, "c1", &st), 0);
	assert_string_equal(st.bundle, "/b/c1");
	assert_int_equal(st.pid, 11);
	assert_true(st.has_config_copy);
	assert_int_equal(sr_read(NULL, st.dirfd, "config.json", 4096, &buf, &len, NULL), 0);
	assert_string_equal(buf, "{\"ociVersion\":\"1.0.2\"}");
	free(buf);
	/* the handle is the state's: rt_state_free() closes it */
	fd = st.dirfd;
	rt_state_free(&st);
	assert_int_equal(st.dirfd, -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);

	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "r1", &st), 0);
	assert_string_equal(st.bundle, "/b/r1");
	assert_int_equal(st.pid, 12);
	assert_false(st.has_config_copy);
	assert_true(st.dirfd >= 0);
	rt_state_free(&st);
	assert_int_equal(rt_state_lookup(RT_YOUKI, &rt, NULL, "y1", &st), 0);
	assert_string_equal(st.bundle, "/b/y1");
	assert_string_equal(st.status, "created");
	rt_state_free(&st);
	/* --root is the runtime's path too; "/.." stays inside its root */
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, "/../../custom", "r2", &st), 0);
	assert_string_equal(st.bundle, "/b/r2");
	rt_state_free(&st);
	/* the host's /run/crun is not looked at */
	assert_int_equal(rt_state_lookup(RT_CRUN, &rt, NULL, "r1", &st), -ENOENT);

	/* IDs that would leave the state root */
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "..", &st), -EINVAL);
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "../runc/r1", &st), -EINVAL);
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "/r1", &st), -EINVAL);
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "r1/", &st), -EINVAL);
	/* no root handle at all */
	assert_int_equal(rt_state_lookup(RT_RUNC, NULL, NULL, "r1", &st), -EINVAL);
	assert_int_equal(st.dirfd, -1);

	/* a symlinked state.json, pointing inside the container dir or out of it */
	put_at(t->root, "run/runc/s1/real.json",
	       "{\"id\":\"s1\",\"config\":{\"labels\":[\"bundle=/b/s1\"]}}");
	snprintf(path, sizeof(path), "%s/run/runc/s1/state.json", t->root);
	assert_int_equal(symlink("real.json", path), 0);
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "s1", &st), -ELOOP);
	put_at(t->root, "run/runc/s2/x", "");
	snprintf(path, sizeof(path), "%s/run/runc/s2/state.json", t->root);
	assert_int_equal(symlink("/run/runc/r1/state.json", path), 0);
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "s2", &st), -EXDEV);

	sr_root_close(&rt);
}

/* A FIFO where state.json should be: refused at once, never opened (it would wait for a writer). */
static void test_state_fifo(void **state)
{
	struct tmp *t = *state;
	struct sr_root rt = SR_ROOT_INIT;
	struct rt_state st;
	struct timespec a, b;
	char path[PATH_MAX];

	put_at(t->root, "run/runc/f1/x", "");
	snprintf(path, sizeof(path), "%s/run/runc/f1/state.json", t->root);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(sr_root_of_path(&rt, t->root), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(rt_state_lookup(RT_RUNC, &rt, NULL, "f1", &st), -EBADMSG);
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* well under the reader's deadline: refused, not timed out */
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 500);
	assert_int_equal(st.dirfd, -1);
	sr_root_close(&rt);
}

static void test_state_parse(void **state)
{
	struct rt_state st;
	const char *runc_old = "{\"id\":\"o\",\"init_process_pid\":7,\"init_process_start\":\"99\","
			       "\"config\":{\"rootfs\":\"/r\",\"labels\":[\"bundle=/b\"]}}";
	const char *runc_nob = "{\"id\":\"o\",\"config\":{\"labels\":[\"a=b\",\"bundle\"]}}";
	const char *runc_typed = "{\"id\":5,\"init_process_pid\":-1,"
				 "\"config\":{\"labels\":[7,\"bundle=/b\",\"bundle=\"]}}";

	(void)state;
	/* runc before 1.0 wrote the start time as a string */
	assert_int_equal(rt_state_parse(RT_RUNC, runc_old, strlen(runc_old), &st), 0);
	assert_string_equal(st.bundle, "/b");
	assert_int_equal(st.pid, 7);
	assert_int_equal(st.pid_start, 99);
	rt_state_free(&st);
	assert_int_equal(rt_state_parse(RT_RUNC, runc_nob, strlen(runc_nob), &st), -EBADMSG);
	/* wrong types are ignored; the last bundle label is empty: refused */
	assert_int_equal(rt_state_parse(RT_RUNC, runc_typed, strlen(runc_typed), &st), -EBADMSG);
	assert_int_equal(rt_state_parse(RT_CRUN, "", 0, &st), -EBADMSG);
	assert_int_equal(rt_state_parse(RT_CRUN, NULL, 0, &st), -EINVAL);
	assert_int_equal(rt_state_parse(RT_SHIM, "{}", 2, &st), -ENOTSUP);
	assert_int_equal(rt_state_parse(RT_CRUN, "{\"bundle\":\"\"}", 13, &st), -EBADMSG);
	assert_int_equal(
		rt_state_parse(RT_CRUN, "{\"bundle\":\"/b\",\"pid\":99999999999}", 33, &st), 0);
	assert_int_equal(st.pid, 0);
	rt_state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_from_name),
		cmocka_unit_test(test_reexec_paths),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_default_comms),
		cmocka_unit_test(test_runc_podman_create),
		cmocka_unit_test(test_runc_podman_start_delete_kill),
		cmocka_unit_test(test_conmon_captured),
		cmocka_unit_test(test_runc_containerd),
		cmocka_unit_test(test_shim),
		cmocka_unit_test(test_runc_direct),
		cmocka_unit_test(test_runc_tables),
		cmocka_unit_test(test_runc_init),
		cmocka_unit_test(test_crun_podman),
		cmocka_unit_test(test_crun_direct),
		cmocka_unit_test(test_crun_quirks),
		cmocka_unit_test(test_youki),
		cmocka_unit_test(test_runsc),
		cmocka_unit_test(test_podman_captured),
		cmocka_unit_test(test_podman_hooks_dirs),
		cmocka_unit_test(test_podman_container_args),
		cmocka_unit_test(test_cmdline_buffer),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_many_args),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_resolve_bundle),
		cmocka_unit_test_setup_teardown(test_state_crun, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(test_state_runc, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(test_state_youki, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(test_state_hostile, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(test_state_in_root, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(test_state_fifo, state_setup, state_teardown),
		cmocka_unit_test(test_state_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
