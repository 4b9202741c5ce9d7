/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internal to the runtime command-line scanner (rtargs.c) and its data, the
 * rt_opts_*.c files: the shape of an option table and a subcommand list, and
 * one grammar per program family. Each rt_opts_*.c file is data only, read
 * from one program's source at the version it names; the scanner holds every
 * rule about option syntax. A wrong table turns an option's value into the
 * container ID, so every boolean/value distinction in the data comes from the
 * cited source, never from a guess.
 */
#ifndef HS_RTOPT_H
#define HS_RTOPT_H

#include <stdbool.h>

#include "oci.h"
#include "rtargs.h"

/* Whether an option takes a value: none, required, optional ("--tty=no"). */
enum { A_NONE, A_REQ, A_OPT };

/* What an option means to us; F_IGNORE: known, irrelevant. */
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
	F_DEVICE,
	F_NAMESPACE,
	F_CONMON_EXEC,
	F_CONMON_RESTORE,
};

/* One option: long name (NULL: short only), short letter (0: long only). */
struct rt_opt {
	const char *lng;
	char shrt;
	unsigned char arg;   /* A_* */
	unsigned char field; /* F_* */
};

#define RTOPT_END { NULL, 0, 0, 0 }

/* Where the container ID is among a subcommand's operands. */
enum { ID_NONE, ID_ONE, ID_OPTIONAL, ID_KILL, ID_EXEC, ID_ANY };

struct rt_cmd_spec {
	const char *name;
	unsigned char cmd;         /* RT_CMD_* */
	unsigned char idpos;       /* ID_* */
	bool permute;              /* options may follow operands */
	const struct rt_opt *opts; /* NULL: table not known, unknown options not reported */
};

#define RTOPT_CMDS_END { NULL, 0, 0, false, NULL }

/* The option syntaxes the programs are built on; rtargs.c knows their rules. */
enum rt_syntax {
	RT_SYNTAX_GO,      /* Go flag package, urfave/cli v1 */
	RT_SYNTAX_ARGP,    /* glibc argp */
	RT_SYNTAX_CLAP,    /* Rust clap */
	RT_SYNTAX_PFLAG,   /* spf13/pflag (cobra) */
	RT_SYNTAX_GOPTION, /* GLib GOption */
};

/* One hook stage as a bit of a stage set: STG(OCI_POSTSTART). */
#define STG(s) (1u << (s))

/*
 * The hook stages a runtime's lifecycle commands run, as read in its source
 * at the version its rt_opts_*.c file cites. create also stands for restore;
 * run does what create and start do, and delete's when the container exits.
 * never: stages it does not run at all, whatever the configuration says, and
 * never_why the reason, in a sentence for the RUNTIME_SKIPS_STAGE warning.
 */
struct rt_hook_stages {
	unsigned create, start, del;
	unsigned never;
	const char *never_why;
};

/* The OCI runtime spec's lifecycle, which crun, youki and krun follow. */
extern const struct rt_hook_stages rtstages_oci;

/* A program's command line: global options, then a subcommand and its own. */
struct rt_grammar {
	enum rt_syntax syntax;
	bool lenient;                  /* global table incomplete: no unknown-option warnings */
	const struct rt_opt *global;   /* before the subcommand */
	const struct rt_opt *common;   /* also accepted after every subcommand; may be NULL */
	const struct rt_cmd_spec *cmds; /* NULL: the program has no subcommands we follow */
	const char *const *groups;     /* podman: command groups ("container run" = "run") */
	const struct rt_hook_stages *stages; /* NULL: a driver, not a runtime (podman, shims) */
};

/* An empty table: subcommands that take no options. Defined in rtargs.c. */
extern const struct rt_opt rtopt_none[];
/* runc's update options; crun's update.c accepts the same set. */
extern const struct rt_opt rtopt_update[];

extern const struct rt_grammar rtopt_runc;   /* rt_opts_runc.c */
extern const struct rt_grammar rtopt_crun;   /* rt_opts_crun.c, also krun */
extern const struct rt_grammar rtopt_youki;  /* rt_opts_youki.c */
extern const struct rt_grammar rtopt_runsc;  /* rt_opts_runsc.c */
extern const struct rt_grammar rtopt_podman; /* rt_opts_podman.c */
extern const struct rt_grammar rtopt_conmon; /* rt_opts_conmon.c */
extern const struct rt_grammar rtopt_shim;   /* rt_opts_shim.c */

#endif
