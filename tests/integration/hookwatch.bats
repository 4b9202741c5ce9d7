#!/usr/bin/env bats
# What the timeline says beyond exit codes, against real runc and crun:
# warnings about the order and count of hook runs (POSTSTART_BEFORE_PROCESS,
# HOOK_RAN_TWICE), a runtime child that died before it exec'd its hook
# (exec_failed, errno null, a reason), hooks still running (hook_running)
# and the text timeline around them.

bats_require_minimum_version 1.5.0
load helpers

C="crun --cgroup-manager=disabled"

cid() { echo "hookmisc$$-${BATS_TEST_NUMBER}${1:-}"; }

teardown() {
	hs_teardown
	for id in ${CIDS:-}; do cleanup_ctr "$id"; done
	[ -z "${FIFO_PID:-}" ] || kill "$FIFO_PID" 2>/dev/null || true
	true
}

hs_ci() { # ARGS... -- CMD : CI mode, JSON records in $HS_OUT
	HS_OUT=$BATS_TEST_TMPDIR/ci.jsonl
	run --separate-stderr "$HS" -j -o "$HS_OUT" --grace 5 "$@"
}

ctr() { q --arg c "$1" 'select(.type=="container" and .container==$c)'; }
hooks_of() { q --arg c "$1" --arg s "$2" 'select(.type=="hook" and .container==$c and .stage==$s)'; }
warn_codes() { ctr "$1" | jq -c '[.warnings[].code]'; }

@test "runc runs poststart before the container process: POSTSTART_BEFORE_PROCESS (runc#1710)" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" '{"poststart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null"]}]}' "sleep 0.1"
	hs_ci -c "$CID" -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	c=$(ctr "$CID")
	[ "$(echo "$c" | jq '.process.start_ns > 0')" = true ]
	# the fact the warning states, from the records themselves
	[ "$(hooks_of "$CID" poststart | jq --argjson p "$(echo "$c" | jq .process.start_ns)" '.start_ns < $p')" = true ]
	[ "$(warn_codes "$CID")" = '["POSTSTART_BEFORE_PROCESS"]' ] || { echo "$c"; return 1; }
	echo "$c" | jq -r '.warnings[0].message' | grep -q 'runc#1710'
}

@test "crun: POSTSTART_BEFORE_PROCESS exactly when its poststart hook exec'd before the process" {
	for i in 1 2 3; do
		CID=$(cid "-$i"); CIDS="$CIDS $CID"
		rm -rf "$BATS_TEST_TMPDIR/b"
		mkb "$BATS_TEST_TMPDIR/b" '{"poststart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null"]}]}' "sleep 0.1"
		hs_ci -c "$CID" -- "$ROOT/tools/with-cgroup2" $C run -b "$BATS_TEST_TMPDIR/b" "$CID"
		[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
		c=$(ctr "$CID")
		before=$(hooks_of "$CID" poststart | jq --argjson p "$(echo "$c" | jq .process.start_ns)" '.start_ns < $p')
		if [ "$before" = true ]; then want='["POSTSTART_BEFORE_PROCESS"]'; else want='[]'; fi
		[ "$(warn_codes "$CID")" = "$want" ] || { echo "$c"; return 1; }
	done
}

# A poststop hook that kills the delete that runs it, once: the engine's
# "delete timed out, kill it, retry" in one bundle.
killer_hooks() {
	echo '{"poststop":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; echo ran >>'"$1"'/ran; [ -e '"$1"'/once ] || { touch '"$1"'/once; kill -9 $PPID; }"]}]}'
}

@test "crun: a delete killed in its poststop hook and retried runs the hook twice: HOOK_RAN_TWICE" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(killer_hooks "$BATS_TEST_TMPDIR")" "true"
	hs_ci -c "$CID" -- "$ROOT/tools/with-cgroup2" sh -c "$C create -b '$BATS_TEST_TMPDIR/b' $CID </dev/null && $C start $CID && sleep 0.3; $C delete $CID; $C delete $CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(grep -c ran "$BATS_TEST_TMPDIR/ran")" -eq 2 ] # crun really ran it twice
	[ "$(ctr "$CID" | grep -c .)" -eq 1 ]              # one lifecycle
	[ "$(hooks_of "$CID" poststop | jq -c '[.index,.status]' | sort | uniq -c | awk '{print $1 $2}')" = '2[0,"ok"]' ]
	[ "$(warn_codes "$CID")" = '["HOOK_RAN_TWICE"]' ] || { ctr "$CID"; return 1; }
	[ "$(ctr "$CID" | jq -c '[.state,.stages.poststop.configured,.stages.poststop.fired]')" = '["deleted",1,2]' ]
}

@test "runc: the same killed delete is not retried into a second run (its state is gone first)" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(killer_hooks "$BATS_TEST_TMPDIR")" "true"
	hs_ci -c "$CID" -- sh -c "runc create -b '$BATS_TEST_TMPDIR/b' $CID </dev/null && runc start $CID && sleep 0.3; runc delete $CID; runc delete $CID; true"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(grep -c ran "$BATS_TEST_TMPDIR/ran")" -eq 1 ]
	[ "$(hooks_of "$CID" poststop | grep -c .)" -eq 1 ]
	[ "$(ctr "$CID" | jq -c '[.warnings[].code]|index("HOOK_RAN_TWICE")')" = null ]
}

@test "crun: a poststop child that cannot chdir to the moved bundle dies before its exec: exec_failed, errno null, reason" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" '{"poststop":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; echo ran >'"$BATS_TEST_TMPDIR"'/ran"]}]}' "true"
	hs_ci -c "$CID" --trace-out "$BATS_TEST_TMPDIR/trace.json" -- "$ROOT/tools/with-cgroup2" sh -c "$C create -b '$BATS_TEST_TMPDIR/b' $CID </dev/null && $C start $CID && sleep 0.3 && mv '$BATS_TEST_TMPDIR/b' '$BATS_TEST_TMPDIR/moved' && $C delete $CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; } # crun itself says nothing
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	h=$(hooks_of "$CID" poststop)
	[ "$(echo "$h" | grep -c .)" -eq 1 ]
	[ "$(echo "$h" | jq -c '[.index,.status,.errno,.exit_code,.argv[0]]')" = '[0,"exec_failed",null,1,"sh"]' ] || { echo "$h"; return 1; }
	echo "$h" | jq -r .reason | grep -q "exited with status 1 before it tried to exec the hook"
	[ "$(ctr "$CID" | jq -c '[.verdict,.stages.poststop.failed]')" = '["hook_failed",1]' ]
	# the Chrome trace says the same
	[ "$(jq -c '[.traceEvents[]|select(.ph=="X" and .args.status=="exec_failed")|.args|[.errno,.exit_code,(.reason|test("before it tried to exec"))]]' "$BATS_TEST_TMPDIR/trace.json")" = '[[null,1,true]]' ]
	# a hook path that does not exist is still the execve's own failure, with its errno
	CID2=$(cid 2); CIDS="$CIDS $CID2"
	mv "$BATS_TEST_TMPDIR/moved" "$BATS_TEST_TMPDIR/b"
	rm -rf "$BATS_TEST_TMPDIR/b2"; mkb "$BATS_TEST_TMPDIR/b2" '{"poststop":[{"path":"/nonexistent/hook"}]}' "true"
	hs_ci -c "$CID2" -- "$ROOT/tools/with-cgroup2" $C run -b "$BATS_TEST_TMPDIR/b2" "$CID2"
	[ "$(hooks_of "$CID2" poststop | jq -c '[.status,.errno,has("reason")]')" = '["exec_failed",2,false]' ]
}

# A prestart hook that reads a FIFO whose writer never writes: it blocks in
# pipe_read until the writer goes away ($1: the FIFO).
fifo_hooks() {
	echo '{"prestart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; sleep 5 & read x < '"$1"'; exit 0"]}]}'
}
fifo_writer() { # FIFO SEC : hold the FIFO open for writing, write nothing, for SEC
	mkfifo "$1"
	sh -c 'exec 3>"$1"; sleep "$2"' sh "$1" "$2" &
	FIFO_PID=$!
}

check_running() { # CID RUNTIME
	r=$(q --arg c "$1" 'select(.type=="hook_running" and .container==$c)')
	[ "$(echo "$r" | grep -c .)" -ge 2 ] || { echo "running: $r"; return 1; }
	first=$(echo "$r" | head -1); second=$(echo "$r" | sed -n 2p)
	[ "$(echo "$first" | jq -c '[.runtime,.stage,.index,.argv[0]]')" = "[\"$2\",\"prestart\",0,\"sh\"]" ] || { echo "$first"; return 1; }
	# reported after --slow 1, and again once its running time doubled
	[ "$(echo "$first" | jq '.running_ns >= 1000000000 and .running_ns < 2000000000')" = true ] || { echo "$first"; return 1; }
	[ "$(echo "$second" | jq '.running_ns >= 2000000000')" = true ] || { echo "$second"; return 1; }
	echo "$first" | jq -r .wchan | grep -Eq 'pipe|fifo' || { echo "$first"; return 1; }
	# its live child, read from /proc with its argv
	[ "$(echo "$first" | jq -c '[.children[]|select(.argv==["sleep","5"])]|length')" -eq 1 ] || { echo "$first"; return 1; }
	# the same process the hook record names when it ends
	h=$(hooks_of "$1" prestart)
	[ "$(echo "$h" | jq .pid)" = "$(echo "$first" | jq .pid)" ]
	[ "$(echo "$h" | jq -r .status)" = ok ]
	[ "$(echo "$h" | jq '.duration_ns >= 2500000000')" = true ]
}

@test "runc, CI mode: a hook blocked on a FIFO is hook_running after --slow, then after doubling, with wchan and children" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(fifo_hooks "$BATS_TEST_TMPDIR/fifo")" "true"
	fifo_writer "$BATS_TEST_TMPDIR/fifo" 2.8
	hs_ci --slow 1 -c "$CID" -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	check_running "$CID" runc
}

@test "crun, live mode: the same hook_running records, and the text timeline's still-running line" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(fifo_hooks "$BATS_TEST_TMPDIR/fifo")" "true"
	fifo_writer "$BATS_TEST_TMPDIR/fifo" 2.8
	hs_start --slow 1 -c "$CID"
	run_crun "$BATS_TEST_TMPDIR/b" "$CID"
	sleep 0.3
	hs_stop
	check_running "$CID" crun
	# text: one "still running" line per report, its child under it
	rm -f "$BATS_TEST_TMPDIR/fifo"
	fifo_writer "$BATS_TEST_TMPDIR/fifo" 1.5
	CID=$(cid 2); CIDS="$CIDS $CID"
	run --separate-stderr "$HS" --slow 1 -c "$CID" -- "$ROOT/tools/with-cgroup2" $C run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	echo "$output" | grep -E "^[0-9.]+ +$CID crun prestart\[0\] still running after 1[0-9.]+ms, pid [0-9]+ waiting in [a-z_]*(pipe|fifo)" ||
		{ echo "$output"; return 1; }
	echo "$output" | grep -Eq "^ +child [0-9]+: sleep 5$"
}

@test "--slow: bad values are one error line; 0 turns hook_running off" {
	run --separate-stderr "$HS" --slow abc -- true
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$(echo "$stderr" | grep -c .)" -eq 1 ]
	echo "$stderr" | grep -q "invalid --slow 'abc'"
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" '{"prestart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; sleep 1.3"]}]}' "true"
	hs_ci --slow 0 -c "$CID" -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ]
	[ "$(q 'select(.type=="hook_running")' | grep -c .)" -eq 0 ]
	[ "$(hooks_of "$CID" prestart | jq '.duration_ns > 1000000000')" = true ]
}

@test "text: under a failed hook, the last 5 lines of its stderr (escaped) and the child that outlived it, runc and crun" {
	hooks='{"prestart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; sleep 0.7 & for i in 1 2 3 4 5 6 7; do echo \"err line $i \u001b[31mred\" >&2; done; exit 2"]}]}'
	for rt in runc crun; do
		CID=$(cid "$rt"); CIDS="$CIDS $CID"
		rm -rf "$BATS_TEST_TMPDIR/b"
		mkb "$BATS_TEST_TMPDIR/b" "$hooks" "true"
		if [ $rt = runc ]; then to=pipe; R=runc; else to=null; R="$ROOT/tools/with-cgroup2 $C"; fi
		run --separate-stderr "$HS" -c "$CID" -- $R run -b "$BATS_TEST_TMPDIR/b" "$CID"
		[ "$status" -ne 0 ] # the runtime failed the container
		# the hook line, then its stderr's last 5 lines, the escape sequence escaped
		block=$(printf '%s\n' "$output" | grep -A7 -E "^[0-9.]+ +[^ ]+ $rt prestart\[0\] [0-9.]+(us|ms) failed\(2\)")
		[ "$(echo "$block" | sed -n 2p)" = "             stderr ($to, 140 bytes, the end):" ] || { echo "$output"; return 1; }
		for i in 3 4 5 6 7; do
			echo "$block" | grep -qxF "             | err line $i \\x1b[31mred" || { echo "$block"; return 1; }
		done
		! echo "$block" | grep -q "err line 2"
		! printf '%s' "$output" | grep -q $'\x1b' # nothing raw reaches the terminal
		echo "$block" | grep -Eq "^             child [0-9]+ outlived it: "
		# the timeline block says it again, indented under the hook
		printf '%s\n' "$output" | grep -qxF "               | err line 7 \\x1b[31mred"
	done
}

@test "runc: a hook that hung before hooksnoop started is hook_running, its children read from /proc" {
	CID=$(cid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(fifo_hooks "$BATS_TEST_TMPDIR/fifo")" "true"
	fifo_writer "$BATS_TEST_TMPDIR/fifo" 4
	runc run -b "$BATS_TEST_TMPDIR/b" "$CID" </dev/null >/dev/null 2>&1 &
	RUNC_PID=$!
	for _ in $(seq 100); do pgrep -f "sleep 5" -P "$(pgrep -n -P "$RUNC_PID" sh || echo 0)" >/dev/null && break; sleep 0.05; done
	hs_start --slow 1 -c "$CID"
	sleep 2.3
	hs_stop
	wait "$RUNC_PID"
	r=$(q --arg c "$CID" 'select(.type=="hook_running" and .container==$c)' | head -1)
	[ -n "$r" ] || { cat "$HS_OUT"; return 1; }
	[ "$(echo "$r" | jq -c '[.runtime,.argv[0]]')" = '["runc","sh"]' ]
	echo "$r" | jq -r .wchan | grep -Eq 'pipe|fifo' || { echo "$r"; return 1; }
	# not followed by the kernel (it started before us): /proc's live children, with argv
	[ "$(echo "$r" | jq -c '[.children[]|select(.argv==["sleep","5"] and .end_ns==null)]|length')" -eq 1 ] || { echo "$r"; return 1; }
	grep -q "hook_running: pid $(echo "$r" | jq .pid) looked at in /proc in" "$HS_ERR"
}

@test "podman run -d: the cleanup podman conmon starts runs the hooks.d poststop hook, and it is attributed (once)" {
	podman image exists localhost/hooksnoop-bb || {
		"$ROOT/tools/mkbundle" "$BATS_TEST_TMPDIR/img" >/dev/null
		tar -C "$BATS_TEST_TMPDIR/img/rootfs" -c . | podman import - localhost/hooksnoop-bb >/dev/null
	}
	N=$(cid); mkdir -p "$BATS_TEST_TMPDIR/hooks.d"
	printf '{"version":"1.0.0","hook":{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; echo x >>%s/ran","%s"]},"when":{"always":true},"stages":["poststop"]}\n' \
		"$BATS_TEST_TMPDIR" "$N" > "$BATS_TEST_TMPDIR/hooks.d/ps.json"
	P="podman --runtime runc --cgroup-manager=cgroupfs --hooks-dir $BATS_TEST_TMPDIR/hooks.d"
	hs_ci --grace 8 -- sh -c "$P run -d --name $N --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network=none localhost/hooksnoop-bb sleep 1 >/dev/null; for i in \$(seq 60); do [ -s '$BATS_TEST_TMPDIR/ran' ] && break; sleep 0.1; done; $P rm -f $N >/dev/null"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(grep -c x "$BATS_TEST_TMPDIR/ran")" -eq 1 ]
	# the container is podman's hex ID: find it by the hook's marker
	h=$(q --arg m "$N" 'select(.type=="hook" and .argv[-1]==$m)')
	[ "$(echo "$h" | jq -c '[.stage,.index,.status]')" = '["poststop",0,"ok"]' ] || { cat "$HS_OUT"; return 1; }
	c=$(q --arg c "$(echo "$h" | jq -r .container)" 'select(.type=="container" and .container==$c)')
	[ "$(echo "$c" | jq -c '[.verdict,.stages.poststop.configured,.stages.poststop.fired,[.warnings[].code]]')" = '["ok",1,1,[]]' ] || { echo "$c"; return 1; }
}
