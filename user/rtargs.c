// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime command lines: one table-driven option scanner that understands the
 * five option syntaxes the runtimes and their drivers are built on (Go's flag
 * package behind urfave/cli and runsc, glibc argp, Rust clap, spf13/pflag,
 * GLib GOption). The per-program data, which options take a value and where
 * the container ID is, lives in the rt_opts_*.c files (rtopt.h); this file
 * owns every syntax rule. Where a program would reject a line, we still
 * parse as far as we can and say why in rt_invocation.warn, because the
 * correlator wants to know what a failed invocation was about too. Also the
 * lexical bundle resolution and podman's hooks.d directories.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rtargs.h"
#include "rtopt.h"
#include "rtstate.h"

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

const struct rt_opt rtopt_none[] = { RTOPT_END };

/*
 * The OCI runtime spec (runtime.md, "Lifecycle"): create runs prestart,
 * createRuntime and (in the container) createContainer; start runs
 * startContainer (in the container) and poststart; delete runs poststop.
 * crun 1.8.1 (src/libcrun/container.c) and youki follow it.
 */
const struct rt_hook_stages rtstages_oci = {
	.create = STG(OCI_PRESTART) | STG(OCI_CREATE_RUNTIME) | STG(OCI_CREATE_CONTAINER),
	.start = STG(OCI_START_CONTAINER) | STG(OCI_POSTSTART),
	.del = STG(OCI_POSTSTOP),
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

static const struct rt_style styles[] = {
	[RT_SYNTAX_GO] = { .go = true },
	[RT_SYNTAX_ARGP] = { .abbrev = true, .hyphen_val = true },
	[RT_SYNTAX_CLAP] = { .strip_eq = true },
	[RT_SYNTAX_PFLAG] = { .strip_eq = true, .hyphen_val = true },
	[RT_SYNTAX_GOPTION] = { .hyphen_val = true },
};

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

/*
 * The options that only store their value: where in struct rt_invocation,
 * by F_* (offset + 1, so that 0 means "not a plain field").
 */
#define SLOT(member) (offsetof(struct rt_invocation, member) + 1)

static const size_t flag_slot[] = {
	[F_DEBUG] = SLOT(debug),
	[F_SYSTEMD_CGROUP] = SLOT(systemd_cgroup),
	[F_NO_PIVOT] = SLOT(no_pivot),
	[F_NO_NEW_KEYRING] = SLOT(no_new_keyring),
	[F_DETACH] = SLOT(detach),
	[F_KEEP] = SLOT(keep),
	[F_FORCE] = SLOT(force),
	[F_ALL] = SLOT(all),
	[F_NO_SUBREAPER] = SLOT(no_subreaper),
};

static const size_t string_slot[] = {
	[F_ROOT] = SLOT(root),
	[F_LOG] = SLOT(log),
	[F_LOG_FORMAT] = SLOT(log_format),
	[F_CGROUP_MANAGER] = SLOT(cgroup_manager),
	[F_ROOTLESS] = SLOT(rootless),
	[F_BUNDLE] = SLOT(bundle),
	[F_CONFIG] = SLOT(config_file),
	[F_PID_FILE] = SLOT(pid_file),
	[F_CONSOLE_SOCKET] = SLOT(console_socket),
	[F_PROCESS] = SLOT(process),
	[F_ID] = SLOT(id),
	[F_RUNTIME] = SLOT(runtime),
	[F_NAMESPACE] = SLOT(shim_namespace),
};

#define N_SLOTS(t) (sizeof(t) / sizeof((t)[0]))

static void set_flag(struct pctx *p, const struct rt_opt *o, bool on)
{
	if (o->field < N_SLOTS(flag_slot) && flag_slot[o->field])
		*(bool *)((char *)p->inv + flag_slot[o->field] - 1) = on;
	else if (o->field == F_CONMON_EXEC)
		p->conmon_exec = on;
}

/* podman prefixes each --runtime-flag with "--" (runtime_libpod.go). */
static void push_runtime_flag(struct pctx *p, const char *v)
{
	struct rt_invocation *inv = p->inv;
	size_t len = strnlen(v, RT_MAX_VALUE + 1);
	char *s;

	if (len > RT_MAX_VALUE) {
		if (!p->err)
			p->err = -ENAMETOOLONG;
		return;
	}
	s = malloc(len + 3);
	if (!s) {
		p->err = -ENOMEM;
		return;
	}
	memcpy(s, "--", 2);
	memcpy(s + 2, v, len + 1);
	push_str(p, &inv->runtime_args, &inv->n_runtime_args, s);
}

static void set_value(struct pctx *p, const struct rt_opt *o, const char *v, const char *tok)
{
	struct rt_invocation *inv = p->inv;
	char *end;
	long n;

	if (o->field < N_SLOTS(string_slot) && string_slot[o->field])
		set_str(p, (char **)((char *)inv + string_slot[o->field] - 1), v);
	switch (o->field) {
	case F_CGROUP_MANAGER:
		/* crun: the last of --systemd-cgroup / --cgroup-manager decides. */
		if (!strcmp(v, "systemd"))
			inv->systemd_cgroup = true;
		else if (!strcmp(v, "cgroupfs") || !strcmp(v, "disabled"))
			inv->systemd_cgroup = false;
		else
			note_bad(p, RT_W_BAD_VALUE, tok);
		break;
	case F_CRUN_ROOTLESS:
		set_str(p, &inv->rootless, v);
		set_str(p, &inv->root, v);
		inv->warn |= RT_W_CRUN_ROOTLESS;
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
	case F_RUNTIME_FLAG:
		push_runtime_flag(p, v);
		break;
	case F_HOOKS_DIR:
		inv->hooks_dirs_given = true;
		push_csv(p, &inv->hooks_dirs, &inv->n_hooks_dirs, v, tok);
		break;
	case F_DEVICE:
		push_str(p, &inv->devices, &inv->n_devices, dup_value(p, v));
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
/* The value of o in the next argument, which is consumed; a missing one is noted. */
static void value_from_next(struct pctx *p, const struct rt_opt *o, int *i, const char *tok)
{
	const char *v;

	/* clap refuses a value that looks like an option. */
	if (*i + 1 >= p->argc || (!p->st->hyphen_val && p->argv[*i + 1][0] == '-' &&
				  p->argv[*i + 1][1])) {
		note_bad(p, RT_W_MISSING_VALUE, tok);
		return;
	}
	v = p->argv[++(*i)];
	set_value(p, o, v, tok);
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
	const char *tok = p->argv[*i], *name = tok + 2, *eq;
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
	value_from_next(p, o, i, tok);
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
		value_from_next(p, o, i, tok);
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

/* A known subcommand's options and operands from argv[i] on, and its container ID. */
static void parse_subcommand(struct pctx *p, const struct rt_grammar *g,
			     const struct rt_cmd_spec *spec, int i)
{
	p->inv->cmd = spec->cmd;
	set_tabs(p, spec->opts ? spec->opts : rtopt_none, g->common);
	p->lenient = !spec->opts;
	i = scan(p, i, spec->permute);
	if (!spec->permute)
		operands_from(p, i);
	take_id(p, spec);
}

/* Runtimes: global options, the subcommand, its options and operands. */
static void parse_runtime(struct pctx *p, const struct rt_grammar *g)
{
	const struct rt_cmd_spec *spec;
	int i;

	set_tabs(p, g->global, NULL);
	p->lenient = g->lenient;
	i = scan(p, 1, false);
	if (i >= p->argc || p->err)
		return;
	set_subcmd(p->inv, p->argv[i]);
	spec = find_cmd(g->cmds, p->argv[i]);
	if (!spec) {
		p->inv->cmd = RT_CMD_OTHER;
		p->inv->warn |= RT_W_UNKNOWN_CMD;
		return;
	}
	parse_subcommand(p, g, spec, i + 1);
}

static void parse_shim(struct pctx *p, const struct rt_grammar *g)
{
	int i;

	set_tabs(p, g->global, NULL);
	i = scan(p, 1, false);
	if (i < p->argc) {
		/* "start" spawns a new shim, "delete" cleans up after a dead one. */
		set_subcmd(p->inv, p->argv[i]);
		p->inv->cmd = RT_CMD_OTHER;
	}
}

static void parse_conmon(struct pctx *p, const struct rt_grammar *g)
{
	struct rt_invocation *inv = p->inv;

	set_tabs(p, g->global, NULL);
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

static bool in_list(const char *const *list, const char *w)
{
	for (; list && *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

static void parse_podman(struct pctx *p, const struct rt_grammar *g)
{
	const struct rt_cmd_spec *spec = NULL;
	const char *group = NULL;
	int i;

	set_tabs(p, g->global, NULL);
	i = scan(p, 1, false);
	if (i >= p->argc || p->err)
		return;
	if (in_list(g->groups, p->argv[i])) {
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
		spec = find_cmd(g->cmds, p->argv[i]);
	if (spec && spec->cmd == RT_CMD_CLEANUP && !group)
		spec = NULL;
	if (!spec) {
		p->inv->cmd = RT_CMD_OTHER;
		set_tabs(p, g->global, NULL);
		p->lenient = true;
		scan(p, i + 1, true);
		return;
	}
	parse_subcommand(p, g, spec, i + 1);
}

static const struct rt_grammar *grammar_of(enum rt_kind kind)
{
	switch (kind) {
	case RT_RUNC:
		return &rtopt_runc;
	case RT_CRUN:
	case RT_KRUN:
		return &rtopt_crun;
	case RT_YOUKI:
		return &rtopt_youki;
	case RT_RUNSC:
		return &rtopt_runsc;
	case RT_SHIM:
		return &rtopt_shim;
	case RT_CONMON:
		return &rtopt_conmon;
	case RT_PODMAN:
		return &rtopt_podman;
	default:
		return NULL;
	}
}

static const struct rt_hook_stages *stages_of(enum rt_kind kind)
{
	const struct rt_grammar *g = grammar_of(kind);

	return g && g->stages ? g->stages : &rtstages_oci;
}

unsigned rt_cmd_stages(enum rt_kind kind, enum rt_cmd cmd)
{
	const struct rt_hook_stages *s = stages_of(kind);

	switch (cmd) {
	case RT_CMD_CREATE:
	case RT_CMD_RESTORE:
		return s->create;
	case RT_CMD_START:
		return s->start;
	case RT_CMD_RUN:
		return s->create | s->start;
	case RT_CMD_DELETE:
		return s->del;
	default:
		return 0;
	}
}

unsigned rt_never_stages(enum rt_kind kind, const char **why)
{
	const struct rt_hook_stages *s = stages_of(kind);

	if (why)
		*why = s->never_why;
	return s->never;
}

static int parse(enum rt_kind kind, int argc, char *const argv[], bool truncated,
		 struct rt_invocation *inv)
{
	struct pctx p = { .inv = inv, .argc = argc, .argv = argv };
	const struct rt_grammar *g;
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

	g = grammar_of(kind);
	if (!g) {
		free(p.pos);
		return -EINVAL;
	}
	p.st = &styles[g->syntax];
	if (kind == RT_SHIM)
		parse_shim(&p, g);
	else if (kind == RT_CONMON)
		parse_conmon(&p, g);
	else if (kind == RT_PODMAN)
		parse_podman(&p, g);
	else
		parse_runtime(&p, g);
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
	rt_strv_free(inv->devices, inv->n_devices);
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

int rt_podman_devices(int argc, char *const argv[], char ***devs, size_t *n)
{
	struct rt_invocation inv;
	int ret = rt_parse_argv(RT_PODMAN, argc, argv, &inv);

	*devs = NULL;
	*n = 0;
	if (ret >= 0) {
		*devs = inv.devices;
		*n = inv.n_devices;
		inv.devices = NULL;
		inv.n_devices = 0;
	}
	rt_invocation_free(&inv);
	return ret < 0 ? ret : 0;
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
