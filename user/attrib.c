// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attribution of hook execs to (stage, index): the matching rules, as pure
 * functions over the configuration and a container's progress. See attrib.h
 * for the model; the runtimes' behaviour each rule mirrors is said where it
 * is applied.
 */
#include <string.h>

#include "attrib.h"

void attrib_state_init(struct attrib_state *st)
{
	memset(st, 0, sizeof(*st));
	st->cursor[SIDE_HOST] = st->cursor[SIDE_CONTAINER] = -1;
}

bool attrib_creates(enum rt_cmd cmd)
{
	return cmd == RT_CMD_CREATE || cmd == RT_CMD_RUN || cmd == RT_CMD_RESTORE;
}

void attrib_mark_due(struct attrib_state *st, enum rt_kind kind, enum rt_cmd cmd)
{
	unsigned m;
	int s;

	if (!attrib_creates(cmd) && cmd != RT_CMD_START)
		return; /* poststop is due when the delete (or run) has returned */
	/* the runtime's table (released runc runs poststart during create) */
	m = rt_cmd_stages(kind, cmd);
	/*
	 * A stage this runtime never runs is due where the OCI lifecycle puts
	 * it: configured there, its hooks are missing, and the record says why.
	 */
	m |= rt_cmd_stages(RT_UNKNOWN, cmd) & rt_never_stages(kind, NULL);
	for (s = 0; s < OCI_STAGE_MAX; s++)
		if (m & (1u << s))
			st->due[s] = true;
}

unsigned attrib_configured(const struct attrib_cfg *cfg, int st)
{
	unsigned n = cfg->cfg ? (unsigned)cfg->cfg->n[st] : 0;

	if (st == OCI_POSTSTOP && cfg->podman_own)
		n += (unsigned)cfg->podman_own->n[OCI_POSTSTOP];
	return n;
}

const struct oci_hook *attrib_cfg_hook(const struct attrib_cfg *cfg, int st, size_t i)
{
	size_t n = cfg->cfg ? cfg->cfg->n[st] : 0;

	if (i < n)
		return &cfg->cfg->v[st][i];
	if (st == OCI_POSTSTOP && cfg->podman_own && i - n < cfg->podman_own->n[OCI_POSTSTOP])
		return &cfg->podman_own->v[OCI_POSTSTOP][i - n];
	return NULL;
}

static bool argv_matches(const struct oci_hook *hk, const struct hook_rec *h)
{
	size_t off = 0, i;

	if (!hk->nargs) /* runtimes use the path as argv[0] */
		return h->argv_len == strlen(hk->path) && !memcmp(h->argv, hk->path, h->argv_len);
	for (i = 0; i < hk->nargs; i++) {
		size_t l = strlen(hk->args[i]);

		if (off > h->argv_len)
			return false;
		if (h->argv_trunc && off + l >= h->argv_len) /* cut: compare the prefix */
			return !memcmp(h->argv + off, hk->args[i], h->argv_len - off);
		if (off + l > h->argv_len || memcmp(h->argv + off, hk->args[i], l))
			return false;
		off += l + 1;
	}
	return off >= h->argv_len; /* no extra arguments */
}

static bool hook_matches(const struct oci_hook *hk, const struct hook_rec *h)
{
	return hk->path && !strcmp(hk->path, h->path) && argv_matches(hk, h);
}

static const int side_stages[2][4] = {
	[SIDE_HOST] = { OCI_PRESTART, OCI_CREATE_RUNTIME, OCI_POSTSTART, OCI_POSTSTOP },
	[SIDE_CONTAINER] = { OCI_CREATE_CONTAINER, OCI_START_CONTAINER, -1, -1 },
};

/* Which stages can a hook run by this invocation be in? */
static bool stage_allowed(const struct attrib_who *who, int st)
{
	if (who->podman_own)
		return st == OCI_POSTSTOP;
	/*
	 * Nothing a runtime forks is a hook of a stage it never runs (runsc's
	 * sandbox, in its own mount namespace, forks and kills ptrace stubs).
	 */
	if (rt_never_stages(who->kind, NULL) & (1u << st))
		return false;
	switch (who->cmd) {
	case RT_CMD_CREATE:
	case RT_CMD_RESTORE:
		/* the container init belongs to create and runs startContainer after start */
		return (rt_cmd_stages(who->kind, RT_CMD_CREATE) & (1u << st)) ||
		       st == OCI_CREATE_CONTAINER || st == OCI_START_CONTAINER;
	case RT_CMD_START:
		return st == OCI_START_CONTAINER || st == OCI_POSTSTART;
	case RT_CMD_DELETE:
	case RT_CMD_KILL:
		return st == OCI_POSTSTOP;
	default:
		return true;
	}
}

/* Without a configuration: the stage from the subcommand, the side and progress. */
static void infer(const struct attrib_state *st, const struct attrib_who *who, struct hook_rec *h)
{
	h->inferred = true;
	if (who->side == SIDE_CONTAINER) {
		/* the init runs createContainer during create, startContainer after start */
		if (who->cmd == RT_CMD_CREATE && !st->due[OCI_START_CONTAINER])
			h->stage = OCI_CREATE_CONTAINER;
		else if (who->cmd == RT_CMD_START || who->cmd == RT_CMD_CREATE)
			h->stage = OCI_START_CONTAINER;
	} else if (who->cmd == RT_CMD_DELETE || who->podman_own || st->cexited) {
		h->stage = OCI_POSTSTOP;
	} else if (st->cstarted || who->cmd == RT_CMD_START) {
		h->stage = OCI_POSTSTART;
	}
}

/*
 * A configured hook already matched in this lifecycle, run again (a
 * retried delete: crun runs its poststop hooks once more): the same stage
 * and index, so that verdicts can say HOOK_RAN_TWICE. The cursors stay.
 */
static bool rerun(const struct attrib_cfg *cfg, const struct attrib_state *st,
		  const struct attrib_who *who, struct hook_rec *h)
{
	const int *order = side_stages[who->side];
	size_t own_from = cfg->cfg ? cfg->cfg->n[OCI_POSTSTOP] : 0;
	int k;

	for (k = 0; k < 4 && order[k] >= 0; k++) {
		int s = order[k];
		size_t i;

		if (!stage_allowed(who, s))
			continue;
		for (i = who->podman_own ? own_from : 0; i < st->next_idx[s]; i++) {
			const struct oci_hook *hk = attrib_cfg_hook(cfg, s, i);

			if (hk && hook_matches(hk, h)) {
				h->stage = s;
				h->index = (int)i;
				return true;
			}
		}
	}
	return false;
}

void attrib_match(const struct attrib_cfg *cfg, struct attrib_state *st,
		  const struct attrib_who *who, struct hook_rec *h)
{
	const int *order = side_stages[who->side];
	size_t own_from = cfg->cfg ? cfg->cfg->n[OCI_POSTSTOP] : 0;
	int k;

	h->stage = -1;
	h->index = -1;
	h->inferred = false;
	if (!cfg->cfg && !who->podman_own) {
		infer(st, who, h);
		return;
	}
	for (k = 0; k < 4 && order[k] >= 0; k++) {
		int s = order[k];
		size_t i;

		if (s < st->cursor[who->side] || !stage_allowed(who, s))
			continue;
		for (i = st->next_idx[s];; i++) {
			const struct oci_hook *hk = attrib_cfg_hook(cfg, s, i);

			if (!hk)
				break;
			if (who->podman_own && i < own_from)
				continue; /* podman runs only its own list */
			if (hook_matches(hk, h)) {
				h->stage = s;
				/* podman's own hooks count after the config's poststop entries */
				h->index = (int)i;
				st->next_idx[s] = i + 1;
				st->cursor[who->side] = s;
				return;
			}
		}
	}
	if (rerun(cfg, st, who, h))
		return;
	if (!cfg->cfg)
		infer(st, who, h); /* podman's own list did not have it either */
	/* configured, but not this command: stage unknown */
}

bool attrib_next_pending(const struct attrib_cfg *cfg, struct attrib_state *st,
			 const struct attrib_who *who, int *stage, int *index)
{
	const int *order = side_stages[who->side];
	size_t own_from = cfg->cfg ? cfg->cfg->n[OCI_POSTSTOP] : 0;
	int k;

	for (k = 0; k < 4 && order[k] >= 0; k++) {
		int s = order[k];
		size_t i = st->next_idx[s];

		/* poststop becomes due when the delete ends; the command says it runs now */
		if (s < st->cursor[who->side] || !stage_allowed(who, s) ||
		    (!st->due[s] && s != OCI_POSTSTOP))
			continue;
		if (who->podman_own && i < own_from)
			i = own_from;
		if (!attrib_cfg_hook(cfg, s, i))
			continue;
		*stage = s;
		*index = (int)i;
		st->next_idx[s] = i + 1;
		st->cursor[who->side] = s;
		return true;
	}
	return false;
}

void attrib_failed(struct attrib_state *st, const struct hook_rec *h)
{
	int s;

	if (h->stage < 0)
		return;
	st->stopped[h->stage] = true;
	if (h->stage == OCI_POSTSTART || h->stage == OCI_POSTSTOP)
		return; /* runtimes warn and go on, or the container is already going */
	for (s = h->stage + 1; s < OCI_STAGE_MAX; s++)
		if (s != OCI_POSTSTOP)
			st->stopped[s] = true;
}

enum hook_status attrib_exit_status(const struct oci_hook *hk, __u64 duration_ns, int exit_code,
				    int signal)
{
	if (!signal)
		return exit_code ? HOOK_FAILED : HOOK_OK;
	/* runtimes kill at the timeout; allow 1 % for clock granularity */
	if (hk && hk->timeout > 0 && duration_ns >= (__u64)hk->timeout * 990000000ull)
		return HOOK_TIMEOUT;
	return HOOK_KILLED;
}
