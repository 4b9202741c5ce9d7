#!/usr/bin/env bats
# user/rtargs.c and user/rtstate.c against the real runtimes on this machine: the state files
# that `runc create` and `crun create` leave behind must give the bundle and
# pid that `runc state` / `crun state` report, and the command line of a live
# runtime process, read back from /proc/PID/cmdline in the kernel's
# NUL-separated form, must parse to its container ID and bundle. Catches
# format drift when the packaged runtimes change. Needs root and cc, no BPF:
# the tiny driver is built from the library source alone.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	export RTDRV=$BATS_FILE_TMPDIR/rtdrv
	cat >"$BATS_FILE_TMPDIR/rtdrv.c" <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtargs.h"
#include "rtstate.h"
#include "saferead.h"

static const char *s(const char *v)
{
	return v ? v : "";
}

int main(int argc, char **argv)
{
	/* state KIND ROOT|- ID [FILE]: FILE receives crun's config.json copy */
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "state")) {
		struct sr_root host = SR_ROOT_INIT;
		struct rt_state st;
		size_t len;
		char *buf;
		FILE *f;
		int r;

		r = sr_root_of_path(&host, "/");
		if (!r)
			r = rt_state_lookup(rt_kind_from_name(argv[2]), &host,
					    strcmp(argv[3], "-") ? argv[3] : NULL, argv[4], &st);
		sr_root_close(&host);
		if (r) {
			printf("error=%d\n", -r);
			return 1;
		}
		printf("bundle=%s\npid=%d\nconfig=%s\nhooks=%s\n", st.bundle, st.pid,
		       st.has_config_copy ? "yes" : "no", st.hooks ? "yes" : "no");
		if (argc == 6 && st.has_config_copy &&
		    !sr_read(NULL, st.dirfd, "config.json", 1 << 20, &buf, &len, NULL)) {
			f = fopen(argv[5], "wb");
			if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
				return 2;
			free(buf);
		}
		rt_state_free(&st);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "cmdline")) {
		struct rt_invocation inv;
		char path[64], buf[65536];
		ssize_t n;
		int fd, r;

		snprintf(path, sizeof(path), "/proc/%s/cmdline", argv[3]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return 2;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n <= 0)
			return 2;
		r = rt_parse_cmdline(rt_kind_from_name(argv[2]), buf, (size_t)n, false, &inv);
		printf("ret=%d\ncmd=%s\nid=%s\nbundle=%s\nroot=%s\nwarn=%u\n", r,
		       rt_cmd_name(inv.cmd), s(inv.id), s(inv.bundle), s(inv.root), inv.warn);
		rt_invocation_free(&inv);
		return r ? 1 : 0;
	}
	return 2;
}
EOF
	cc -D_GNU_SOURCE -I"$ROOT/user" -O1 -o "$RTDRV" "$BATS_FILE_TMPDIR/rtdrv.c" \
		"$ROOT/user/rtargs.c" "$ROOT/user"/rt_opts_*.c "$ROOT/user/rtdetect.c" \
		"$ROOT/user/rtstate.c" "$ROOT/user/saferead.c" -ljansson -lpthread
}

teardown() {
	[ -n "${RPID:-}" ] && kill -9 "$RPID" 2>/dev/null
	[ -n "${CID:-}" ] && {
		runc --root "$BATS_TEST_TMPDIR/root" delete -f "$CID" >/dev/null 2>&1
		cleanup_ctr "$CID"
	}
	true
}

field() { # NAME: from the driver's output in $output
	printf '%s\n' "$output" | sed -n "s/^$1=//p"
}

@test "runc create --root: state.json gives runc state's bundle and pid" {
	CID=$(tid)
	b=$BATS_TEST_TMPDIR/b
	mkb "$b" '{"Poststart":[{"path":"/bin/true","timeout":3}]}' 'sleep 30'
	runc --root "$BATS_TEST_TMPDIR/root" create -b "$b" "$CID" </dev/null >/dev/null 2>&1
	want=$(runc --root "$BATS_TEST_TMPDIR/root" state "$CID")
	run "$RTDRV" state runc "$BATS_TEST_TMPDIR/root" "$CID"
	[ "$status" -eq 0 ]
	[ "$(field bundle)" = "$(echo "$want" | jq -r .bundle)" ]
	[ "$(field pid)" = "$(echo "$want" | jq -r .pid)" ]
	[ "$(field hooks)" = yes ]
	[ "$(field bundle)" = "$b" ]
}

@test "runc create without --root: found under /run/runc" {
	CID=$(tid)
	b=$BATS_TEST_TMPDIR/b
	mkb "$b" '{}' 'sleep 30'
	runc create -b "$b" "$CID" </dev/null >/dev/null 2>&1
	run "$RTDRV" state runc - "$CID"
	[ "$status" -eq 0 ]
	[ "$(field bundle)" = "$b" ]
	[ "$(field pid)" = "$(runc state "$CID" | jq -r .pid)" ]
	runc delete -f "$CID"
	run "$RTDRV" state runc - "$CID"
	[ "$status" -eq 1 ]
	[ "$(field error)" -eq 2 ] # ENOENT once deleted
}

@test "crun create: status gives crun state's bundle, config.json copy is verbatim" {
	CID=$(tid)
	b=$BATS_TEST_TMPDIR/b
	mkb "$b" '{"Poststart":[{"path":"/bin/true"}]}' 'sleep 30'
	"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled create -b "$b" "$CID" \
		</dev/null >/dev/null 2>&1
	want=$(crun state "$CID")
	run "$RTDRV" state crun - "$CID" "$BATS_TEST_TMPDIR/copy.json"
	[ "$status" -eq 0 ]
	[ "$(field bundle)" = "$(echo "$want" | jq -r .bundle)" ]
	[ "$(field pid)" = "$(echo "$want" | jq -r .pid)" ]
	[ "$(field config)" = yes ]
	cmp "$BATS_TEST_TMPDIR/copy.json" "$b/config.json"
}

@test "hostile IDs never reach the state root" {
	for id in ../../etc .. . "a/b" ""; do
		run "$RTDRV" state runc - "$id"
		[ "$status" -eq 1 ]
		[ "$(field error)" -eq 22 ] # EINVAL
	done
}

@test "live runc run: /proc/PID/cmdline parses to its ID, bundle and root" {
	CID=$(tid)
	b=$BATS_TEST_TMPDIR/b
	mkb "$b" '{}' 'sleep 30'
	runc --root "$BATS_TEST_TMPDIR/root" run -b "$b" "$CID" </dev/null >/dev/null 2>&1 &
	RPID=$!
	for _ in $(seq 100); do
		runc --root "$BATS_TEST_TMPDIR/root" state "$CID" >/dev/null 2>&1 && break
		sleep 0.05
	done
	run "$RTDRV" cmdline runc "$RPID"
	[ "$status" -eq 0 ]
	[ "$(field cmd)" = run ]
	[ "$(field id)" = "$CID" ]
	[ "$(field bundle)" = "$b" ]
	[ "$(field root)" = "$BATS_TEST_TMPDIR/root" ]
	[ "$(field warn)" -eq 0 ]
}

@test "live crun run (re-exec'd from a memfd): cmdline parses to its ID and bundle" {
	CID=$(tid)
	b=$BATS_TEST_TMPDIR/b
	mkb "$b" '{}' 'sleep 30'
	"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$b" "$CID" \
		</dev/null >/dev/null 2>&1 &
	RPID=$!
	for _ in $(seq 100); do
		crun state "$CID" >/dev/null 2>&1 && break
		sleep 0.05
	done
	# with-cgroup2 execs its way to crun (unshare without --fork, sh's exec): $! is crun
	run "$RTDRV" cmdline crun "$RPID"
	[ "$status" -eq 0 ]
	[ "$(field cmd)" = run ]
	[ "$(field id)" = "$CID" ]
	[ "$(field bundle)" = "$b" ]
}
