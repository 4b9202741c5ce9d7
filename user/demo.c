// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `hooksnoop demo`: builds a busybox bundle with a hook in every stage — and
 * the classic mistake, its poststart hook under "Poststart" — runs it under
 * runc and under crun with tracing on, prints both timelines and explains why
 * poststart fired under one runtime and not the other. Self-contained: the
 * bundle is generated here (config from `runc spec`, edited with jansson),
 * crun gets a private pure-cgroup2 mount namespace when the host's cgroup
 * layout is hybrid. A third container, under crun, has a createRuntime hook
 * that fails saying why on stderr: crun reports only its exit code, the
 * timeline shows what it said. Everything is removed afterwards but the pictures:
 * a Chrome trace (--trace-out) and the SVG timeline (`hooksnoop plot`'s) of
 * both containers, left in a directory of their own and named at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <linux/magic.h>

#include "demo.h"
#include "escape.h"
#include "lint.h"
#include "log.h"
#include "trace.h"

static const char *const stages[] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "Poststart", "poststop",
};

static int run_wait(char *const argv[], bool quiet)
{
	int st;
	pid_t p = fork();

	if (p < 0)
		return -errno;
	if (p == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, STDOUT_FILENO);
				dup2(fd, STDERR_FILENO);
			}
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(p, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, err = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			err = -EIO;
			break;
		}
	if (n < 0)
		err = -errno;
	close(in);
	close(out);
	return err;
}

/*
 * The failing hook of the third container: what a network or device hook
 * says when it cannot do its job. crun sends hook output to /dev/null and
 * reports only "exit code: 1".
 */
#define FAIL_MSG "demo-net-hook: cannot attach veth0 to bridge cni0: no such device"

static int make_bundle(const char *dir, bool failing)
{
	static const char *const links[] = { "sh", "sleep", "true", "echo", "cat" };
	char path[4096], tgt[4096];
	json_t *cfg, *hooks, *proc;
	json_error_t jerr;
	size_t i;

	snprintf(path, sizeof(path), "%s/rootfs/bin", dir);
	if (mkdir(path, 0755) && errno != EEXIST) {
		snprintf(path, sizeof(path), "%s/rootfs", dir);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/rootfs/bin", dir);
		if (mkdir(path, 0755))
			return -errno;
	}
	snprintf(path, sizeof(path), "%s/rootfs/bin/busybox", dir);
	if (copy_file("/bin/busybox", path)) {
		hs_err("demo: cannot copy /bin/busybox (install busybox-static: tools/install-deps)");
		return -ENOENT;
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/rootfs/bin/%s", dir, links[i]);
		if (symlink("busybox", path) && errno != EEXIST)
			return -errno;
	}

	/* the default config of this machine's runc, then our edits */
	{
		char *argv[] = { "runc", "spec", "--bundle", (char *)dir, NULL };

		if (run_wait(argv, true)) {
			hs_err("demo: `runc spec` failed (install runc: tools/install-deps)");
			return -ENOENT;
		}
	}
	snprintf(path, sizeof(path), "%s/config.json", dir);
	cfg = json_load_file(path, 0, &jerr);
	if (!cfg)
		return -EINVAL;
	proc = json_object_get(cfg, "process");
	json_object_set_new(proc, "terminal", json_false());
	json_object_del(proc, "rlimits"); /* crun cannot raise RLIMIT_NOFILE without CAP_SYS_RESOURCE */
	json_object_set_new(proc, "args", json_pack("[sss]", "sh", "-c", "echo hello from the container; sleep 0.2"));
	json_object_set_new(json_object_get(cfg, "root"), "readonly", json_false());

	hooks = json_object();
	for (i = 0; !failing && i < sizeof(stages) / sizeof(stages[0]); i++) {
		/* read the state crun writes on stdin: crun fails on EPIPE otherwise */
		snprintf(tgt, sizeof(tgt), "cat >/dev/null; sleep 0.0%zu", i + 1);
		json_object_set_new(hooks, stages[i],
				    json_pack("[{s:s,s:[ssss]}]", "path", "/bin/sh", "args", "sh", "-c",
					      tgt, stages[i]));
	}
	if (failing)
		json_object_set_new(hooks, "createRuntime",
				    json_pack("[{s:s,s:[ssss]}]", "path", "/bin/sh", "args", "sh", "-c",
					      "cat >/dev/null; echo starting >&2; echo '" FAIL_MSG
					      "' >&2; exit 1",
					      "createRuntime"));
	json_object_set_new(cfg, "hooks", hooks);
	if (json_dump_file(cfg, path, JSON_INDENT(2))) {
		json_decref(cfg);
		return -EIO;
	}
	json_decref(cfg);
	return 0;
}

static bool cgroup_hybrid(void)
{
	struct statfs sf;

	return statfs("/sys/fs/cgroup", &sf) || sf.f_type != CGROUP2_SUPER_MAGIC;
}

/* `crun run -b dir id`, in a pure cgroup2 view when the host's is hybrid: its exit status. */
static int run_crun(const char *dir, const char *id)
{
	int st;
	pid_t p = fork();

	if (p < 0)
		return -1;
	if (p == 0) {
		char *argv[] = { "crun", "--cgroup-manager=disabled", "run", "-b", (char *)dir,
				 (char *)id, NULL };

		if (cgroup_hybrid()) {
			/* crun refuses hybrid cgroup layouts: give it a pure cgroup2 view */
			if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
			    umount2("/sys/fs/cgroup", MNT_DETACH) ||
			    mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL)) {
				hs_err("demo: cannot set up a cgroup2 mount for crun: %s",
				       strerror(errno));
				_exit(1);
			}
		}
		execvp(argv[0], argv);
		hs_err("demo: cannot run crun: %s", strerror(errno));
		_exit(127);
	}
	if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Internal: the command the demo runs under tracing (`hooksnoop __demo-run DIR`). */
static int demo_run(const char *dir)
{
	char id[64];
	int rc = 0;

	/* named after the demo process (our parent) so its filter matches */
	snprintf(id, sizeof(id), "hooksnoop-demo-runc-%d", (int)getppid());
	printf("\n$ runc run -b %s %s\n", dir, id);
	fflush(stdout);
	{
		char *argv[] = { "runc", "run", "-b", (char *)dir, id, NULL };

		if (run_wait(argv, false))
			rc = 1;
	}

	snprintf(id, sizeof(id), "hooksnoop-demo-crun-%d", (int)getppid());
	printf("\n$ crun --cgroup-manager=disabled run -b %s %s%s\n", dir, id,
	       cgroup_hybrid() ? "   (in a private cgroup2 mount namespace)" : "");
	fflush(stdout);
	if (run_crun(dir, id))
		rc = 1;

	/* the third: a hook that fails, and what it said that crun threw away */
	snprintf(id, sizeof(id), "hooksnoop-demo-crunfail-%d", (int)getppid());
	printf("\n$ crun --cgroup-manager=disabled run -b %s/fail %s   (its createRuntime hook "
	       "fails)\n", dir, id);
	fflush(stdout);
	{
		char fdir[4200];

		snprintf(fdir, sizeof(fdir), "%s/fail", dir);
		if (run_crun(fdir, id) == 0)
			rc = 1; /* it must fail: the demo is about why */
	}
	return rc;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

int demo_main(int argc, char **argv)
{
	char dir[] = "/tmp/hooksnoop-demo.XXXXXX";
	char out[] = "/tmp/hooksnoop-demo-out.XXXXXX";
	char trace_path[64], svg_path[64];
	char self[4096], cfgpath[4200], filter[64];
	char *cmd[4];
	struct settings s;
	struct lint_result lr = {};
	ssize_t n;
	int rc;

	if (argc == 2 && !strcmp(argv[0], "__demo-run"))
		return demo_run(argv[1]);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		puts("Usage: hooksnoop demo\n\n"
		     "Runs a busybox container with a hook in every stage under runc and crun,\n"
		     "with tracing on, and shows both timelines. Its poststart hook is written\n"
		     "\"Poststart\" (capital P): runc runs it, crun silently ignores it.\n"
		     "Then a crun container whose createRuntime hook fails: crun reports only\n"
		     "its exit code, hooksnoop what it wrote on stderr.\n"
		     "Needs root, runc, crun and busybox-static (tools/install-deps).");
		return 0;
	}
	if (argc > 1) {
		hs_err("demo takes no arguments (see hooksnoop demo --help)");
		return 2;
	}
	if (geteuid() != 0) {
		hs_err("demo: permission denied: it runs containers and BPF programs, run it as root");
		return 1;
	}
	if (!mkdtemp(dir)) {
		hs_err("demo: cannot create a temporary directory: %s", strerror(errno));
		return 1;
	}
	rc = make_bundle(dir, false);
	if (!rc) {
		char fdir[sizeof(dir) + 8];

		snprintf(fdir, sizeof(fdir), "%s/fail", dir);
		rc = mkdir(fdir, 0755) ? -errno : make_bundle(fdir, true);
	}
	if (rc) {
		if (rc != -ENOENT)
			hs_err("demo: cannot create the bundle in %s: %s", dir, strerror(-rc));
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return 1;
	}

	printf("hooksnoop demo: one bundle, a hook in every stage; its poststart hook is under\n"
	       "\"Poststart\" (capital P). Running it under runc, then crun, with tracing on;\n"
	       "then, under crun, a bundle whose createRuntime hook fails.\n");
	fflush(stdout);

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		hs_err("demo: cannot find its own binary: %s", strerror(errno));
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return 1;
	}
	self[n] = '\0';
	cmd[0] = self;
	cmd[1] = "__demo-run";
	cmd[2] = dir;
	cmd[3] = NULL;
	{
		char *args[] = { "hooksnoop", NULL };

		if (opts_parse(1, args, &s) < 0)
			return 2;
	}
	s.cmd = cmd;
	s.grace = 5;
	/* only the demo's own containers, whatever else runs on the host */
	snprintf(filter, sizeof(filter), "hooksnoop-demo-*-%d", (int)getpid());
	s.containers[0] = filter;
	s.ncontainers = 1;
	/* the pictures outlive the bundle: a directory of their own */
	if (mkdtemp(out)) {
		snprintf(trace_path, sizeof(trace_path), "%s/trace.json", out);
		snprintf(svg_path, sizeof(svg_path), "%s/timeline.svg", out);
		s.trace_out = trace_path;
		s.plot_out = svg_path;
	} else {
		hs_warn("demo: cannot create %s (%s): no trace or SVG this time", out,
			strerror(errno));
	}
	rc = trace_run(&s);

	snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", dir);
	printf("\nWhy: the config says \"Poststart\". runc decodes config.json with Go's\n"
	       "encoding/json, which matches keys case-insensitively, so the hook ran as\n"
	       "poststart. crun (and youki) match keys exactly and silently ignore it: its\n"
	       "timeline shows poststart configured 0, fired 0. `hooksnoop lint` says so\n"
	       "before you run anything:\n\n");
	fflush(stdout);
	if (!lint_path(cfgpath, &lr)) {
		size_t i;

		for (i = 0; i < lr.n; i++)
			if (lr.v[i].severity != LINT_INFO)
				printf("  %s: %s [%s]\n", lint_severity_name(lr.v[i].severity),
				       lr.v[i].message, lr.v[i].code);
	}
	lint_result_free(&lr);
	printf("\nFix: write \"poststart\". CI gate: hooksnoop --expect poststart -- CMD\n");
	printf("\nThe third container's createRuntime hook failed. crun said only \"error executing\n"
	       "hook `/bin/sh` (exit code: 1)\": it sends hook output to /dev/null. hooksnoop\n"
	       "captured what the hook wrote on its stderr and shows it under the failed hook\n"
	       "(JSON: the hook record's \"stderr\").\n");
	if (s.trace_out && !access(trace_path, F_OK))
		printf("\nPictures of the three containers:\n"
		       "  Chrome trace (ui.perfetto.dev, chrome://tracing): %s\n"
		       "  SVG timeline (as `hooksnoop plot` draws -j records): %s\n",
		       trace_path, svg_path);
	else if (s.trace_out)
		rmdir(out); /* the run failed before writing them: leave nothing behind */
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
