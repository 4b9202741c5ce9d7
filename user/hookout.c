// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a hook said and saw (see hookout.h): the pure part. The kernel side
 * reports raw facts (an inode's mode and device, the environment block, the
 * bytes read on stdin with their stream offsets); this file turns them into
 * what a hook record says. It also owns freeing a hook_rec's fields, so that
 * every module that drops a hook frees the same things.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "hookout.h"

/* The kernel's dev_t encoding (include/linux/kdev_t.h): 12 bits of major, 20 of minor. */
#define KDEV_MAJOR(d) ((d) >> 20)
#define KDEV_MINOR(d) ((d) & 0xfffffu)

const char *out_to_name(enum out_to t)
{
	switch (t) {
	case OUT_TO_PIPE:
		return "pipe";
	case OUT_TO_NULL:
		return "null";
	case OUT_TO_FILE:
		return "file";
	case OUT_TO_TTY:
		return "tty";
	case OUT_TO_SOCKET:
		return "socket";
	case OUT_TO_CLOSED:
		return "closed";
	default:
		return "other";
	}
}

/* Terminal devices (Documentation/admin-guide/devices.txt): tty/serial, tty/console/ptmx, pts. */
static bool tty_major(__u32 major)
{
	return major == 4 || major == 5 || (major >= 136 && major <= 143);
}

enum out_to hookout_fd_kind(__u32 mode, __u32 rdev)
{
	if (!mode)
		return OUT_TO_CLOSED;
	if (S_ISFIFO(mode))
		return OUT_TO_PIPE;
	if (S_ISSOCK(mode))
		return OUT_TO_SOCKET;
	if (S_ISREG(mode))
		return OUT_TO_FILE;
	if (S_ISCHR(mode)) {
		if (KDEV_MAJOR(rdev) == 1 && KDEV_MINOR(rdev) == 3)
			return OUT_TO_NULL;
		if (tty_major(KDEV_MAJOR(rdev)))
			return OUT_TO_TTY;
	}
	return OUT_TO_OTHER;
}

static const char *const secret_words[] = { "TOKEN", "SECRET", "PASSWORD", "KEY", "CREDENTIAL" };

bool hookout_secret_name(const char *name, size_t n)
{
	size_t i, j;

	for (i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]); i++) {
		size_t w = strlen(secret_words[i]);

		for (j = 0; j + w <= n; j++)
			if (!strncasecmp(name + j, secret_words[i], w))
				return true;
	}
	return false;
}

char *hookout_env_mask(const char *env, size_t len, size_t *out_len)
{
	/* a masked entry is NAME=*** : never longer than NAME=VALUE plus the 3 stars */
	size_t cap = 2 * len + 8, o = 0, i = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	while (i < len) {
		const char *s = env + i, *eq;
		size_t n = strnlen(s, len - i);

		eq = memchr(s, '=', n);
		if (eq && hookout_secret_name(s, (size_t)(eq - s))) {
			size_t k = (size_t)(eq - s) + 1;

			memcpy(out + o, s, k);
			memcpy(out + o + k, "***", 3);
			o += k + 3;
		} else {
			memcpy(out + o, s, n);
			o += n;
		}
		out[o++] = '\0';
		i += n + 1;
	}
	*out_len = o;
	return out;
}

int hookout_state_put(struct hook_rec *h, __u64 off, const char *data, size_t len, bool trunc)
{
	size_t room;

	if (trunc)
		h->state_trunc = true;
	if (off != h->state_len) {
		h->state_trunc = true; /* a chunk before this one was lost, or came late */
		return 0;
	}
	if (!h->state) {
		h->state = malloc(HS_STATE_MAX);
		if (!h->state)
			return -ENOMEM;
	}
	room = HS_STATE_MAX - h->state_len;
	if (len > room) {
		len = room;
		h->state_trunc = true;
	}
	memcpy(h->state + h->state_len, data, len);
	h->state_len += len;
	return 0;
}

void hook_rec_free_fields(struct hook_rec *h)
{
	size_t i;

	free(h->path);
	free(h->argv);
	free(h->out[0].tail);
	free(h->out[1].tail);
	free(h->state);
	free(h->env);
	free(h->origin_file);
	free(h->reason);
	for (i = 0; i < h->nchildren; i++)
		free(h->children[i].argv);
	free(h->children);
	h->path = h->argv = h->out[0].tail = h->out[1].tail = h->state = h->env = NULL;
	h->origin_file = h->reason = NULL;
	h->children = NULL;
	h->nchildren = 0;
}

int hookout_start(struct hook_rec *h, const struct event_hook_start *st)
{
	int i;

	/* the kernel follows a hook's subtree from its exec, with its capture state */
	h->children_known = !st->no_capture;
	if (!st->no_capture) {
		h->io_seen = true;
		h->io_late = st->capture_late;
		for (i = 0; i < 2; i++)
			h->out[i].to = hookout_fd_kind(st->fd[i + 1].mode, st->fd[i + 1].rdev);
	}
	if (st->env_on) {
		free(h->env);
		h->env = hookout_env_mask(st->env ? st->env : "", st->env_len, &h->env_len);
		if (!h->env)
			return -ENOMEM;
		h->env_known = true;
		h->env_trunc = st->env_trunc;
	}
	return 0;
}

int hookout_output(struct hook_rec *h, bool captured, const __u64 bytes[2],
		   const char *const tail[2], const size_t len[2], __u32 desc_dropped)
{
	int i;

	if (desc_dropped)
		h->children_trunc = true;
	if (!captured || !h->io_seen)
		return 0;
	for (i = 0; i < 2; i++) {
		struct out_rec *o = &h->out[i];

		free(o->tail);
		o->tail = NULL;
		o->tail_len = 0;
		if (len[i]) {
			o->tail = malloc(len[i]);
			if (!o->tail)
				return -ENOMEM;
			memcpy(o->tail, tail[i], len[i]);
			o->tail_len = len[i];
		}
		o->bytes = bytes[i];
		o->late = h->io_late;
		o->truncated = bytes[i] > len[i] || o->late;
		o->known = true;
	}
	return 0;
}

int hookout_child_add(struct hook_rec *h, __u32 pid, __u32 ppid, __u64 start_ns,
		      const char *argv, size_t argv_len)
{
	struct child_rec *v, *c;

	if (h->ended)
		return -1;
	if (h->nchildren >= HOOK_CHILDREN_MAX) {
		h->children_trunc = true;
		return -1;
	}
	v = realloc(h->children, (h->nchildren + 1) * sizeof(*v));
	if (!v)
		return -1;
	h->children = v;
	c = &v[h->nchildren];
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->ppid = ppid;
	c->start_ns = start_ns;
	if (argv && argv_len) {
		c->argv = malloc(argv_len);
		if (c->argv) {
			memcpy(c->argv, argv, argv_len);
			c->argv_len = argv_len;
		}
	}
	return (int)h->nchildren++;
}

int hookout_child_exec(struct hook_rec *h, int idx, const char *argv, size_t argv_len)
{
	struct child_rec *c;
	char *a = NULL;

	if (idx < 0 || (size_t)idx >= h->nchildren || h->ended)
		return 0;
	c = &h->children[idx];
	if (argv_len) {
		a = malloc(argv_len);
		if (!a)
			return -ENOMEM;
		memcpy(a, argv, argv_len);
	}
	free(c->argv);
	c->argv = a;
	c->argv_len = argv_len;
	return 0;
}

void hookout_child_exit(struct hook_rec *h, int idx, __u64 ts_ns, int exit_code, int signal)
{
	struct child_rec *c;

	if (idx < 0 || (size_t)idx >= h->nchildren || h->ended)
		return;
	c = &h->children[idx];
	c->ended = true;
	c->end_ns = ts_ns;
	c->exit_code = exit_code;
	c->signal = signal;
}

void hookout_hook_exit(struct hook_rec *h)
{
	size_t i;

	for (i = 0; i < h->nchildren; i++)
		if (!h->children[i].ended)
			h->children[i].outlived = true;
}
