// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime state directories: finds a container's directory under the state
 * root of crun/krun, runc or youki as the runtime process itself sees it (its
 * root handle), reads the state file and youki's hook copy with the safe
 * reader, and parses them with jansson into struct rt_state. The container
 * directory stays open in the result, so crun's config.json copy is read by
 * its consumer beneath that handle, never through a path string rebuilt
 * later. The ID comes from another process's command line: it is validated
 * and used as exactly one name, and every file beneath is one name too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtstate.h"

#define RT_STATE_MAX (16u << 20)   /* runc's state.json with a big config is ~100 KiB */
#define RT_STATE_STR_MAX 4096      /* longest string kept from a state file */

bool rt_id_valid(const char *id)
{
	size_t n;

	if (!id)
		return false;
	n = strnlen(id, RT_ID_MAX + 1);
	if (n == 0 || n > RT_ID_MAX)
		return false;
	if (!strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	for (; *id; id++)
		if (*id == '/' || (unsigned char)*id < 0x20 || *id == 0x7f)
			return false;
	return true;
}

const char *rt_default_root(enum rt_kind kind)
{
	switch (kind) {
	case RT_CRUN:
	case RT_KRUN:
		/* crun uses $XDG_RUNTIME_DIR/crun when that is set, even for root. */
		return "/run/crun";
	case RT_RUNC:
		return "/run/runc";
	case RT_YOUKI:
		return "/run/youki";
	case RT_RUNSC:
		return "/var/run/runsc";
	default:
		return NULL;
	}
}

/* ---------------------------------------------------------------------------------------------
 * State files' text
 */

static int take_string(json_t *obj, const char *key, char **slot)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	if (strlen(s) > RT_STATE_STR_MAX)
		return -EBADMSG;
	*slot = strdup(s);
	return *slot ? 0 : -ENOMEM;
}

static unsigned long long take_u64(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	unsigned long long n;
	char *end;

	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? (unsigned long long)json_integer_value(v) : 0;
	/* runc before 1.0 wrote init_process_start as a string. */
	if (json_is_string(v)) {
		errno = 0;
		n = strtoull(json_string_value(v), &end, 10);
		if (!errno && end != json_string_value(v) && !*end)
			return n;
	}
	return 0;
}

static int take_pid(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= INT_MAX)
		return (int)json_integer_value(v);
	return 0;
}

/*
 * runc 1.1 has no top-level bundle: specconv appends "bundle=<cwd>" after the
 * annotations in config.labels, so an annotation named "bundle" comes first
 * and the last label is the real one (runc's own `state` takes the last too).
 */
static int runc_state(json_t *root, struct rt_state *st)
{
	json_t *config = json_object_get(root, "config"), *labels, *hooks, *cg, *v;
	const char *bundle = NULL;
	size_t i;
	int ret;

	ret = take_string(root, "id", &st->id);
	if (!ret)
		ret = take_string(root, "created", &st->created);
	if (ret)
		return ret;
	st->pid = take_pid(root, "init_process_pid");
	st->pid_start = take_u64(root, "init_process_start");
	if (!json_is_object(config))
		return -EBADMSG;
	ret = take_string(config, "rootfs", &st->rootfs);
	if (ret)
		return ret;
	labels = json_object_get(config, "labels");
	json_array_foreach(labels, i, v) {
		if (json_is_string(v) && !strncmp(json_string_value(v), "bundle=", 7))
			bundle = json_string_value(v) + 7;
	}
	if (!bundle || !*bundle || strlen(bundle) > RT_STATE_STR_MAX)
		return -EBADMSG;
	st->bundle = strdup(bundle);
	if (!st->bundle)
		return -ENOMEM;
	cg = json_object_get(config, "cgroups");
	st->systemd_cgroup = json_is_true(json_object_get(cg, "Systemd"));
	/* libcontainer's configs.Config has no json tag on Hooks. */
	hooks = json_object_get(config, "Hooks");
	if (!hooks)
		hooks = json_object_get(config, "hooks");
	if (json_is_object(hooks))
		st->hooks = json_incref(hooks);
	return 0;
}

/* Where a flat state file keeps each field; NULL: not recorded. */
struct flat_format {
	const char *id, *bundle, *rootfs, *status, *created;
	const char *pid, *pid_start, *systemd;
};

/* crun src/libcrun/status.c: "bundle" is mandatory there too. */
static const struct flat_format crun_format = {
	.bundle = "bundle",
	.rootfs = "rootfs",
	.created = "created",
	.pid = "pid",
	.pid_start = "process-start-time",
	.systemd = "systemd-cgroup",
};

/* youki libcontainer/src/container/state.rs (serde, camelCase). */
static const struct flat_format youki_format = {
	.id = "id",
	.bundle = "bundle",
	.status = "status",
	.created = "created",
	.pid = "pid",
	.systemd = "useSystemd",
};

static int flat_state(json_t *root, const struct flat_format *f, struct rt_state *st)
{
	const struct {
		const char *key;
		char **slot;
	} strings[] = {
		{ f->id, &st->id },	      { f->bundle, &st->bundle },   { f->rootfs, &st->rootfs },
		{ f->status, &st->status }, { f->created, &st->created },
	};
	size_t i;
	int ret;

	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		ret = strings[i].key ? take_string(root, strings[i].key, strings[i].slot) : 0;
		if (ret)
			return ret;
	}
	if (!st->bundle || !st->bundle[0])
		return -EBADMSG;
	st->pid = take_pid(root, f->pid);
	if (f->pid_start)
		st->pid_start = take_u64(root, f->pid_start);
	st->systemd_cgroup = json_is_true(json_object_get(root, f->systemd));
	return 0;
}

static void state_init(struct rt_state *st, enum rt_kind kind)
{
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->dirfd = -1;
}

int rt_state_parse(enum rt_kind kind, const char *text, size_t len, struct rt_state *out)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	state_init(out, kind);
	if (!text)
		return -EINVAL;
	if (kind != RT_CRUN && kind != RT_KRUN && kind != RT_RUNC && kind != RT_YOUKI)
		return -ENOTSUP;
	root = json_loadb(text, len, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return -EBADMSG;
	}
	if (kind == RT_RUNC)
		ret = runc_state(root, out);
	else
		ret = flat_state(root, kind == RT_YOUKI ? &youki_format : &crun_format, out);
	json_decref(root);
	if (ret)
		rt_state_free(out);
	return ret;
}

/* ---------------------------------------------------------------------------------------------
 * State directories
 */

/*
 * The entry `name` in dirfd is what was opened (same inode) and not a
 * symlink: the safe reader keeps a symlink from leaving the directory, this
 * keeps it from pointing at a sibling (another container's state). The
 * directory was just read within the reader's deadline, so this fstatat of
 * one name in it does not wait on a hung filesystem in practice.
 */
static int same_entry(int dirfd, const char *name, const struct stat *opened)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode) || st.st_dev != opened->st_dev || st.st_ino != opened->st_ino)
		return -ELOOP;
	return 0;
}

/* One regular file named `name` beneath dirfd; a FIFO (exec.fifo lives here) is never opened. */
static int read_state_file(int dirfd, const char *name, char **buf, size_t *len)
{
	struct stat st;
	int err;

	err = sr_read(NULL, dirfd, name, RT_STATE_MAX, buf, len, &st);
	if (err == -EINVAL || err == -EISDIR)
		return -EBADMSG; /* not a regular file: not a state file */
	if (err)
		return err;
	err = same_entry(dirfd, name, &st);
	if (err) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return err;
}

/* The container's directory: exactly one name beneath the state root, no symlink. */
static int open_container_dir(const struct sr_root *rtroot, const char *root, const char *id,
			      int *cdir)
{
	struct stat st;
	int rdir, err;

	*cdir = -1;
	err = sr_opendir(rtroot, -1, root, &rdir);
	if (err)
		return err;
	err = sr_opendir(NULL, rdir, id, cdir);
	if (err == -ENOTDIR)
		err = -ENOENT; /* a plain file where a container would be: no container */
	if (!err && fstat(*cdir, &st) < 0)
		err = -errno;
	if (!err)
		err = same_entry(rdir, id, &st);
	close(rdir);
	if (err && *cdir >= 0) {
		close(*cdir);
		*cdir = -1;
	}
	return err;
}

/* youki keeps the hooks it will run in youki_config.json next to state.json. */
static void youki_hooks(int cdir, struct rt_state *st)
{
	json_error_t jerr;
	json_t *root, *hooks;
	size_t len;
	char *buf;

	if (read_state_file(cdir, "youki_config.json", &buf, &len) < 0)
		return;
	root = json_loadb(buf, len, 0, &jerr);
	free(buf);
	hooks = json_object_get(root, "hooks");
	if (json_is_object(hooks))
		st->hooks = json_incref(hooks);
	json_decref(root);
}

/* crun copies the bundle's config.json next to its status file at create. */
static bool regular_beneath(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int rt_state_lookup(enum rt_kind kind, const struct sr_root *rtroot, const char *root,
		    const char *id, struct rt_state *out)
{
	const char *file;
	int cdir, ret;
	size_t len;
	char *buf;

	state_init(out, kind);
	switch (kind) {
	case RT_CRUN:
	case RT_KRUN:
		file = "status";
		break;
	case RT_RUNC:
	case RT_YOUKI:
		file = "state.json";
		break;
	default:
		return -ENOTSUP;
	}
	if (!root)
		root = rt_default_root(kind);
	/* A relative --root is relative to the runtime's cwd, which we do not know here. */
	if (!rtroot || rtroot->fd < 0 || !root || root[0] != '/' ||
	    strlen(root) > PATH_MAX - RT_ID_MAX - 32)
		return -EINVAL;
	/* The ID comes from an untrusted command line: it must stay one name under root. */
	if (!rt_id_valid(id))
		return -EINVAL;

	ret = open_container_dir(rtroot, root, id, &cdir);
	if (ret)
		return ret;
	ret = read_state_file(cdir, file, &buf, &len);
	if (ret) {
		close(cdir);
		return ret;
	}
	ret = rt_state_parse(kind, buf, len, out);
	free(buf);
	if (ret) {
		close(cdir);
		return ret;
	}
	out->dirfd = cdir;
	if (!out->id) {
		out->id = strdup(id);
		if (!out->id) {
			rt_state_free(out);
			return -ENOMEM;
		}
	}
	if (kind == RT_CRUN || kind == RT_KRUN)
		out->has_config_copy = regular_beneath(cdir, "config.json");
	if (kind == RT_YOUKI)
		youki_hooks(cdir, out);
	return 0;
}

void rt_state_free(struct rt_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->status);
	if (st->dirfd >= 0)
		close(st->dirfd);
	json_decref(st->hooks);
	state_init(st, st->kind);
}
