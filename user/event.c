// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Validation and decoding of the kernel's ring-buffer records (see
 * bpf/hooksnoop.h for the layout). A record that fails validation is counted
 * by the caller and never interpreted: a kernel/user layout mismatch must show
 * up as an error, not as garbage in a timeline.
 */
#include <errno.h>
#include <string.h>

#include "event.h"

static const size_t min_size[HS_EV_MAX] = {
	[HS_EV_EXEC] = sizeof(struct hs_exec),
	[HS_EV_EXEC_FAILED] = sizeof(struct hs_exec),
	[HS_EV_FORK] = sizeof(struct hs_fork),
	[HS_EV_EXIT] = sizeof(struct hs_exit),
	[HS_EV_HOOK] = sizeof(struct hs_hook),
	[HS_EV_OUTPUT] = sizeof(struct hs_output),
	[HS_EV_INPUT] = sizeof(struct hs_input),
};

int hs_event_decode(const void *data, size_t size, struct hs_event *ev)
{
	const struct hs_hdr *h = data;

	memset(ev, 0, sizeof(*ev));
	if (!data || size < sizeof(*h) || h->size != size)
		return -EINVAL;
	if (h->type == 0 || h->type >= HS_EV_MAX || size < min_size[h->type])
		return -EINVAL;
	if (h->role > HS_ROLE_LEAF || h->prev_role > HS_ROLE_LEAF)
		return -EINVAL;

	ev->hdr = h;
	ev->type = h->type;
	memcpy(ev->comm, h->comm, HS_COMM_LEN);
	ev->comm[HS_COMM_LEN - 1] = '\0';
	ev->filename = "";

	switch (h->type) {
	case HS_EV_EXEC:
	case HS_EV_EXEC_FAILED: {
		const struct hs_exec *e = data;

		if (e->argv_len != size - sizeof(*e) || e->argv_len > HS_ARGV_MAX)
			return -EINVAL;
		if ((h->type == HS_EV_EXEC) != (e->err == 0) || e->err < 0)
			return -EINVAL;
		memcpy(ev->filename_buf, e->filename, HS_FILENAME_LEN);
		ev->filename_buf[HS_FILENAME_LEN - 1] = '\0';
		ev->filename = ev->filename_buf;
		ev->argv = e->argv;
		ev->argv_len = e->argv_len;
		/* drop the terminating NUL of the last string for a clean split */
		while (ev->argv_len && ev->argv[ev->argv_len - 1] == '\0')
			ev->argv_len--;
		ev->argc = e->argc;
		ev->argv_truncated = h->flags & HS_F_ARGV_TRUNC;
		ev->err = e->err;
		break;
	}
	case HS_EV_FORK: {
		const struct hs_fork *f = data;

		if (size != sizeof(*f))
			return -EINVAL;
		ev->parent_pid = f->parent_pid;
		break;
	}
	case HS_EV_EXIT: {
		const struct hs_exit *x = data;

		if (size != sizeof(*x))
			return -EINVAL;
		ev->exit_code = x->exit_code;
		ev->signal = x->signal;
		ev->core = x->core;
		break;
	}
	case HS_EV_HOOK: {
		const struct hs_hook *k = data;

		if (k->env_len != size - sizeof(*k) || k->env_len > HS_ARGV_MAX)
			return -EINVAL;
		memcpy(ev->fd, k->fd, sizeof(ev->fd));
		ev->env = k->env;
		ev->env_len = k->env_len;
		ev->env_on = h->flags & HS_F_ENV;
		ev->env_truncated = h->flags & (HS_F_ENV_TRUNC | HS_F_ENV_FAULT);
		ev->no_capture = h->flags & HS_F_NO_CAPTURE;
		ev->capture_late = h->flags & HS_F_CAPTURE_LATE;
		break;
	}
	case HS_EV_OUTPUT: {
		const struct hs_output *o = data;

		if (o->len[0] > HS_OUTPUT_MAX || o->len[1] > HS_OUTPUT_MAX ||
		    (size_t)o->len[0] + o->len[1] != size - sizeof(*o) ||
		    o->len[0] > o->bytes[0] || o->len[1] > o->bytes[1])
			return -EINVAL;
		ev->out_captured = h->flags & HS_F_OUT_CAPTURED;
		ev->out_bytes[0] = o->bytes[0];
		ev->out_bytes[1] = o->bytes[1];
		ev->out_tail[0] = o->data;
		ev->out_len[0] = o->len[0];
		ev->out_tail[1] = o->data + o->len[0];
		ev->out_len[1] = o->len[1];
		ev->desc_dropped = o->desc_dropped;
		break;
	}
	case HS_EV_INPUT: {
		const struct hs_input *in = data;

		if (in->len != size - sizeof(*in) || in->len > HS_STATE_MAX ||
		    in->off >= HS_STATE_MAX)
			return -EINVAL;
		ev->in_off = in->off;
		ev->in_data = in->data;
		ev->in_len = in->len;
		ev->in_truncated = h->flags & HS_F_INPUT_TRUNC;
		break;
	}
	default:
		return -EINVAL;
	}
	return 0;
}

const char *hs_event_type_name(enum hs_event_type t)
{
	switch (t) {
	case HS_EV_EXEC:
		return "exec";
	case HS_EV_EXEC_FAILED:
		return "exec_failed";
	case HS_EV_FORK:
		return "fork";
	case HS_EV_EXIT:
		return "exit";
	case HS_EV_HOOK:
		return "hook_start";
	case HS_EV_OUTPUT:
		return "hook_output";
	case HS_EV_INPUT:
		return "hook_input";
	default:
		return "unknown";
	}
}

const char *hs_urole_name(enum hs_urole r)
{
	switch (r) {
	case HS_UROLE_RUNTIME:
		return "runtime";
	case HS_UROLE_HOOK:
		return "hook";
	case HS_UROLE_CONTAINER:
		return "container";
	default:
		return "other";
	}
}

enum hs_urole hs_event_role_guess(const struct hs_event *ev)
{
	const struct hs_hdr *h = ev->hdr;

	if (h->role == HS_ROLE_RUNTIME)
		return HS_UROLE_RUNTIME;
	if (h->prev_role == HS_ROLE_RUNTIME)
		return h->vpid == 1 ? HS_UROLE_CONTAINER : HS_UROLE_HOOK;
	return HS_UROLE_OTHER;
}
