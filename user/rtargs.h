/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runtime invocations: what a crun / runc / youki / runsc command line asks for
 * (subcommand, container ID, bundle, state root, ...), parsed with each
 * runtime's own option table and option syntax, plus the drivers that start
 * them (podman, conmon, containerd-shim). The tables follow the runtimes'
 * sources: runc 1.1.5 main.go/create.go/run.go/... (urfave/cli v1: flags
 * anywhere, "-x" == "--x", no short clusters), crun 1.8.1 src/crun.c and
 * src/<command>.c (argp in order: options stop at the first operand, long
 * options may be abbreviated, "-bDIR" works), youki liboci-cli (clap), runsc
 * and containerd-shim (Go flag package), conmon 2.1.6 src/cli.c (GOption) and
 * podman 4.3.1 cmd/podman (pflag); the tables themselves are in rt_opts_*.c.
 * A wrong table turns an option's value into the container ID, so every
 * boolean/value distinction comes from there. Also podman's hooks.d
 * directories. Which program a process is: rtdetect.h; what a runtime's state
 * directory says: rtstate.h.
 */
#ifndef HS_RTARGS_H
#define HS_RTARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "rtdetect.h"

enum rt_cmd {
	RT_CMD_NONE,    /* no subcommand (--version, a serving containerd shim, ...) */
	RT_CMD_CREATE,
	RT_CMD_START,
	RT_CMD_RUN,
	RT_CMD_DELETE,
	RT_CMD_KILL,
	RT_CMD_EXEC,
	RT_CMD_STATE,
	RT_CMD_RESTORE, /* creates a container from a checkpoint: runs hooks like create */
	RT_CMD_INIT,    /* runtime-internal re-exec: "runc init", runsc boot/gofer */
	RT_CMD_CLEANUP, /* podman's exit command "container cleanup" (runs delete, poststop) */
	RT_CMD_OTHER,   /* any other subcommand (list, spec, pause, ...) */
};

const char *rt_cmd_name(enum rt_cmd cmd);

/*
 * The hook stages (bits 1 << enum oci_stage) that command cmd of runtime
 * kind runs, from the runtime's table (the OCI lifecycle for a kind without
 * one). create stands for restore too; run is create and start (poststop
 * follows when the container exits).
 */
unsigned rt_cmd_stages(enum rt_kind kind, enum rt_cmd cmd);
/*
 * The stages runtime kind never runs, whatever its configuration says (0:
 * none), and *why (when not NULL) the reason in one sentence.
 */
unsigned rt_never_stages(enum rt_kind kind, const char **why);

/* rt_invocation.warn bits: what the runtime would complain about. */
#define RT_W_UNKNOWN_OPT (1u << 0)  /* option not in the table: guessed boolean, see bad_opt */
#define RT_W_MISSING_VALUE (1u << 1) /* value-taking option at the end of argv */
#define RT_W_BAD_VALUE (1u << 2)    /* value not accepted (bool flag "=x", bad number, ...) */
#define RT_W_NO_ID (1u << 3)        /* subcommand needs a container ID, none given */
#define RT_W_EXTRA_ARGS (1u << 4)   /* more operands than the subcommand takes */
#define RT_W_UNKNOWN_CMD (1u << 5)  /* subcommand this runtime does not have */
#define RT_W_BAD_ID (1u << 6)       /* ID fails rt_id_valid(): never use it in a path */
#define RT_W_TRUNCATED (1u << 7)    /* argv buffer was cut: trailing arguments missing */
#define RT_W_CRUN_ROOTLESS (1u << 8) /* crun < 1.22 took "--rootless V" as "--root V" */

struct rt_invocation {
	enum rt_kind kind;
	enum rt_cmd cmd;
	char subcmd[32];        /* subcommand as typed (cut to 31 bytes), "" if none */
	char *id;               /* container ID; NULL if none */
	char *bundle;           /* --bundle/-b as given (maybe relative to cwd); NULL if absent */
	bool bundle_from_cwd;   /* create/run/restore without --bundle: the bundle is the cwd */
	char *config_file;      /* crun -f/--config FILE (relative to cwd); NULL: config.json */
	char *root;             /* runtime --root (later wins); NULL = rt_default_root().
				 * Never podman's --root, which is its image storage. */
	char *pid_file;
	char *console_socket;
	char *log;
	char *log_format;
	char *cgroup_manager;   /* crun --cgroup-manager systemd|cgroupfs|disabled */
	char *rootless;         /* runc/crun --rootless VALUE */
	char *signal;           /* kill's signal as given; NULL = the runtime's default (SIGTERM) */
	char *process;          /* exec -p/--process FILE */
	int preserve_fds;
	bool detach;
	bool force;
	bool all;               /* kill -a/--all */
	bool keep;              /* run --keep */
	bool debug;
	bool systemd_cgroup;    /* --systemd-cgroup, crun --cgroup-manager=systemd, conmon -s */
	bool no_pivot;
	bool no_new_keyring;
	bool no_subreaper;
	/* Drivers. */
	char *runtime;          /* conmon -r PATH, podman --runtime NAME|PATH */
	char **runtime_args;    /* conmon --runtime-arg; podman --runtime-flag V as "--V" */
	size_t n_runtime_args;
	char **hooks_dirs;      /* podman --hooks-dir values, comma-split, in order */
	size_t n_hooks_dirs;
	bool hooks_dirs_given;  /* --hooks-dir appeared (even as "": then no hooks.d at all) */
	char **devices;         /* podman --device values in order (CDI names among them) */
	size_t n_devices;
	char *shim_namespace;   /* containerd shim -namespace */
	/* Diagnostics. */
	unsigned int warn;      /* RT_W_* */
	char bad_opt[64];       /* first unknown or malformed option, raw bytes, cut */
};

#define RT_MAX_ARGC 4096    /* more arguments: -E2BIG (no runtime line comes near) */
#define RT_MAX_VALUE 4096   /* longest option value or ID kept: -ENAMETOOLONG beyond */

/*
 * Parse argv (argv[0] is the program) as a command line of `kind`. *out is
 * always initialised, so rt_invocation_free() is always safe, and is filled
 * as far as the line could be read even on error.
 *   0            parsed; out->warn may still say what the runtime would reject
 *   -EINVAL      unusable: a value-taking option has no value, or the
 *                subcommand needs an ID and none is there (see out->warn)
 *   -ENODATA     same, but argv was truncated (rt_parse_cmdline): retry from
 *                /proc/PID/cmdline or the state directory
 *   -E2BIG       argc > RT_MAX_ARGC;  -ENAMETOOLONG  a kept value > RT_MAX_VALUE
 *   -ENOMEM
 * ID rules: the operand of single-ID subcommands (when the runtime permutes
 * options and there are several operands, the last one; otherwise the first),
 * kill's "ID [SIGNAL]", exec's first operand. kind RT_UNKNOWN: -EINVAL.
 */
int rt_parse_argv(enum rt_kind kind, int argc, char *const argv[], struct rt_invocation *out);

/*
 * Same, from the kernel's argv capture: len bytes of NUL-separated strings,
 * the last one not necessarily terminated. With `truncated`, an unterminated
 * last string is a fragment and is dropped, and RT_W_TRUNCATED is set.
 */
int rt_parse_cmdline(enum rt_kind kind, const char *buf, size_t len, bool truncated,
		     struct rt_invocation *out);

void rt_invocation_free(struct rt_invocation *inv);

/*
 * The bundle directory of a create/run/restore: --bundle made absolute
 * against the runtime's cwd, or the cwd itself. Lexical ("." and ".."
 * folded; symlinks are not resolved). 0; -ENOENT when the bundle is the cwd
 * or relative to it and cwd is NULL (could not be read at exec time);
 * -EINVAL when this subcommand has no bundle; -ENOMEM.
 */
int rt_resolve_bundle(const struct rt_invocation *inv, const char *cwd, char **out);

/*
 * `path` made absolute against `cwd` the same lexical way: for a relative
 * --root (runc and youki make it absolute against their cwd) or crun's
 * --config. 0, -ENOENT when path is relative and cwd is NULL or relative.
 */
int rt_abspath(const char *cwd, const char *path, char **out);

/*
 * podman's hooks.d directories for this podman command line: the
 * --hooks-dir values (repeatable, comma-separated, also after the
 * subcommand), else podman 4.3's built-in default
 * /usr/share/containers/oci/hooks.d only. *dirs is a NULL-terminated array
 * of *n strings; free with rt_strv_free(). `runtime` (may be NULL) receives
 * --runtime or NULL when podman uses its configured default (crun on Debian).
 * containers.conf's hooks_dir / runtime are not read (out of scope). 0 or
 * -errno as rt_parse_argv().
 */
int rt_podman_hooks_dirs(int argc, char *const argv[], char ***dirs, size_t *n, char **runtime);
/*
 * The --device values of a podman command line, in order (CDI device names
 * "VENDOR/CLASS=NAME" among host device paths). 0 (*devs NULL when none;
 * free with rt_strv_free()) or -errno.
 */
int rt_podman_devices(int argc, char *const argv[], char ***devs, size_t *n);
#define RT_PODMAN_DEFAULT_HOOKS_DIR "/usr/share/containers/oci/hooks.d"

void rt_strv_free(char **v, size_t n);

#endif
