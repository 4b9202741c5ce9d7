#!/usr/bin/env bats
# Tracer core against real runtimes: every hook exec once, exact argv, right
# parent; container process; exit codes, signals, failed execs; runtimes that
# were already running; nothing reported for execs outside runtimes.

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	hs_teardown
	[ -n "${CID:-}" ] && cleanup_ctr "$CID"
	true
}

# check_all_stages RUNTIME_PID INIT_PID MARK
check_all_stages() {
	local rpid=$1 ipid=$2 mark=$3 st n ppid want
	for st in $STAGES; do
		n=$(q --arg m "$mark-$st" 'select(.type=="exec" and .argv[-1]==$m)' | wc -l)
		[ "$n" -eq 1 ] || { echo "$st hook seen $n times"; return 1; }
		line=$(q --arg m "$mark-$st" 'select(.type=="exec" and .argv[-1]==$m)')
		[ "$(echo "$line" | jq -c .argv)" = "[\"sh\",\"-c\",\"$HOOK_CMD\",\"$mark-$st\"]" ] ||
			{ echo "$st argv: $line"; return 1; }
		[ "$(echo "$line" | jq -r .role)" = hook ] || { echo "$st role: $line"; return 1; }
		ppid=$(echo "$line" | jq .ppid)
		case $st in
		createContainer | startContainer) want=$ipid ;;
		*) want=$rpid ;;
		esac
		[ "$ppid" -eq "$want" ] || { echo "$st parent $ppid, want $want: $line"; return 1; }
	done
}

run_all_stages() { # runc|crun
	CID=$(tid)
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "echo $CID-payload"
	hs_start
	"run_$1" "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	rpid=$(q --arg id "$CID" 'select(.type=="exec" and .role=="runtime" and .argv[-1]==$id and (.argv|index("run")))|.pid' | head -1)
	[ -n "$rpid" ]
	ctr=$(q --arg c "echo $CID-payload" 'select(.type=="exec" and .argv==["sh","-c",$c])')
	[ "$(echo "$ctr" | wc -l)" -eq 1 ]
	[ "$(echo "$ctr" | jq -r .role)" = container ]
	ipid=$(echo "$ctr" | jq .pid)
	[ "$(echo "$ctr" | jq .ppid)" -eq "$rpid" ]
	check_all_stages "$rpid" "$ipid" "$CID"
	# the container process exit is reported
	[ "$(q --argjson p "$ipid" 'select(.type=="exit" and .pid==$p)|.exit_code')" = 0 ]
	# the run ended cleanly with a summary and no loss
	[ "$(q 'select(.type=="summary")|.lost_events')" = 0 ]
}

@test "runc run: all six stages, exact argv, right parents, container process" {
	run_all_stages runc
}

@test "crun run: all six stages, exact argv, right parents, container process" {
	run_all_stages crun
}

@test "hook exit code 3 and a hook killed by SIGTERM are reported" {
	CID=$(tid)
	# poststart/poststop failures do not stop the run, so both hooks execute
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID" 'poststart=exit 3' 'poststop=kill -TERM $$')"
	hs_start
	run_runc "$BATS_TEST_TMPDIR/b" "$CID" || true
	hs_stop
	p=$(q --arg m "$CID-poststart" 'select(.type=="exec" and .argv[-1]==$m)|.pid')
	[ -n "$p" ]
	[ "$(q --argjson p "$p" 'select(.type=="exit" and .pid==$p)|[.exit_code,.signal]')" = "[3,0]" ]
	p=$(q --arg m "$CID-poststop" 'select(.type=="exec" and .argv[-1]==$m)|.pid')
	[ -n "$p" ]
	[ "$(q --argjson p "$p" 'select(.type=="exit" and .pid==$p)|[.exit_code,.signal,.role]')" = '[0,15,"hook"]' ]
}

@test "a hook whose path does not exist shows a failed exec with ENOENT" {
	CID=$(tid)
	H="{\"createRuntime\":[{\"path\":\"/nonexistent/$CID-hook\",\"args\":[\"$CID-hook\",\"a b\"]}]}"
	for rt in runc crun; do
		mkb "$BATS_TEST_TMPDIR/$rt" "$H"
		hs_start
		"run_$rt" "$BATS_TEST_TMPDIR/$rt" "$CID" || true
		hs_stop
		cleanup_ctr "$CID"
		f=$(q --arg p "/nonexistent/$CID-hook" 'select(.type=="exec" and .status=="exec_failed" and .path==$p)')
		[ -n "$f" ] || { echo "$rt: no exec_failed record"; cat "$HS_OUT"; return 1; }
		[ "$(echo "$f" | head -1 | jq -c '[.errno,.argv]')" = "[2,[\"$CID-hook\",\"a b\"]]" ]
	done
}

@test "a runtime already running when hooksnoop starts is still followed" {
	CID=$(tid)
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "sleep 2"
	run_runc "$BATS_TEST_TMPDIR/b" "$CID" &
	rp=$!
	# wait until the container process runs (its hooks up to startContainer are done)
	for _ in $(seq 100); do
		runc state "$CID" 2>/dev/null | grep -q '"status": "running"' && break
		sleep 0.05
	done
	hs_start
	wait "$rp"
	hs_stop
	# runc run was seeded from /proc, and its poststop hook (after the start) was seen
	q --arg id "$CID" 'select(.type=="exec" and .seeded and .argv[-1]==$id)' | grep -q runc
	[ "$(q --arg m "$CID-poststop" 'select(.type=="exec" and .argv[-1]==$m)' | wc -l)" -eq 1 ]
	p=$(q --arg m "$CID-poststop" 'select(.type=="exec" and .argv[-1]==$m)|.ppid')
	[ "$p" -eq "$(q --arg id "$CID" 'select(.type=="exec" and .seeded and .argv[-1]==$id)|.pid')" ]
}

@test "20,000 execs outside any runtime: no tracked event, no drop" {
	hs_start
	"$ROOT/build/tests/execstorm" 20000 "$ROOT/build/tests/nop"
	hs_stop
	[ "$(q --arg p "$ROOT/build/tests/nop" 'select(.path==$p)' | wc -l)" -eq 0 ]
	[ "$(q 'select(.type=="lost")' | wc -l)" -eq 0 ]
	[ "$(q 'select(.type=="summary")|.lost_events')" = 0 ]
}

@test "argv longer than the budget is cut and marked truncated" {
	CID=$(tid)
	long=$(head -c 3000 /dev/zero | tr '\0' x)
	H="{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$long\",\"$CID-tail\"]}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	hs_start --argv-bytes 1024
	run_runc "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	r=$(q 'select(.type=="exec" and .argv[0]=="sh" and (.argv[3]//""|startswith("xxxx")))')
	[ "$(echo "$r" | jq .argv_truncated)" = true ]
	[ "$(echo "$r" | jq '.argv|add|length')" -lt 1024 ]
}

@test "bad options: one error line, exit 2, nothing on stdout" {
	for args in "--bogus" "-d" "-d abc" "--expect nope" "--ringbuf-size 3000" "extra-arg" "--"; do
		run --separate-stderr "$HS" $args
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ] || { echo "$args: stdout: $output"; return 1; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$args: $stderr"; return 1; }
	done
	run "$HS" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--expect"* ]]
}

@test "without privileges: one clear error line, non-zero exit, nothing on stdout" {
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$HS" -a -d 1
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"CAP_BPF"* ]]
}

@test "hostile argv bytes are escaped in text and JSON output" {
	CID=$(tid)
	H="{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$CID\\u001b[31mred\\u0007\\u007f\"]}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	"$HS" -a -d 4 > "$BATS_TEST_TMPDIR/text" 2>/dev/null &
	tp=$!
	hs_start
	sleep 0.3
	run_runc "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	wait "$tp"
	# JSON is valid and carries the exact bytes
	grep -qF "\"$CID\\u001b[31mred\\u0007\\u007f\"" "$HS_OUT"
	[ "$(q --arg id "$CID" 'select(.type=="exec" and .role=="hook" and (.argv[-1]|startswith($id)))|.argv[-1]|explode|.[-3:]')" = "[100,7,127]" ]
	# the text never contains a raw ESC, BEL or DEL
	[ "$(grep -c "$(printf '[\033\007\177]')" "$BATS_TEST_TMPDIR/text")" -eq 0 ]
	grep -q "$CID\\\\x1b\[31mred\\\\x07\\\\x7f" "$BATS_TEST_TMPDIR/text"
}

@test "bidi overrides and invisible characters in argv never reach the terminal raw" {
	CID=$(tid)
	# U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE (Trojan Source)
	H="{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$CID\\u202etxt.exe\\u2066\"]}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	"$HS" -d 4 > "$BATS_TEST_TMPDIR/text" 2>/dev/null &
	tp=$!
	hs_start
	sleep 0.3
	run_runc "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	wait "$tp"
	# the text shows them as escapes, in the hook line and the timeline
	[ "$(grep -c "$(printf '\342\200\256\|\342\201\246')" "$BATS_TEST_TMPDIR/text")" -eq 0 ]
	[ "$(grep -cF "$CID\\u202etxt.exe\\u2066" "$BATS_TEST_TMPDIR/text")" -ge 2 ]
	# JSON escapes them too, and decodes to the exact characters
	[ "$(grep -c "$(printf '\342\200\256')" "$HS_OUT")" -eq 0 ]
	[ "$(q --arg id "$CID" 'select(.type=="hook" and .container==$id)|.argv[-1]|explode|.[-9,-1]')" = "$(printf '8238\n8294')" ]
}

# Threads that leave at once can each find their process's live count at 0
# in sched_process_exit: the process's end must be reported once, and its
# counts given back once (twice wrapped tracked_now/runtimes_now in an hour's
# soak). threxit: 3 threads and the main one leaving together (exit_group
# while they run, or each its own exit): ~1 in 300 was reported twice.
@test "threads leaving at once: one exit record per process" {
	cp "$ROOT/build/tests/threxit" "$BATS_TEST_TMPDIR/hsxr"
	hs_start -r hsxr --root-rate 0
	for _ in $(seq 1000); do "$BATS_TEST_TMPDIR/hsxr" 3 g; "$BATS_TEST_TMPDIR/hsxr" 3; done
	sleep 0.5
	hs_stop
	[ "$(q 'select(.type=="exec" and .comm=="hsxr")' | wc -l)" -eq 2000 ]
	[ "$(q 'select(.type=="exit" and .comm=="hsxr")' | wc -l)" -eq 2000 ] || {
		q -r 'select(.type=="exit" and .comm=="hsxr")|.pid' | sort | uniq -d | head -3
		return 1
	}
}

@test "tracking cap: processes beyond --max-tracked are counted as lost, never silent" {
	cp /bin/sleep "$BATS_TEST_TMPDIR/crun" # comm "crun": a runtime root each
	# the global cap alone (one source's share is attack.bats' matter)
	hs_start --max-tracked 16 --source-max-tracked 0
	pids=""
	for _ in $(seq 24); do
		"$BATS_TEST_TMPDIR/crun" 1 &
		pids="$pids $!"
	done
	wait $pids
	sleep 0.3
	hs_stop
	lost=$(q 'select(.type=="summary")|.lost_events')
	[ "$lost" -ge 8 ]
	[ "$(q -s '[.[]|select(.type=="lost")|.tracking_full]|add')" -eq "$lost" ]
	[ "$(q -s '[.[]|select(.type=="lost")|.count]|add')" -eq "$lost" ]
}

@test "failed execve and execveat of a runtime-named process: errno, path, argv" {
	# a script named crun is a runtime root (comm crun); its execs fail
	cat > "$BATS_TEST_TMPDIR/crun" <<'PY'
#!/usr/bin/python3
import os
fd = os.open("/etc/hostname", os.O_RDONLY)
try:
    os.execve(fd, ["via-execveat", "x y"], {})   # fexecve: execveat, ENOEXEC
except OSError:
    pass
try:
    os.execv("/nonexistent/hs-x", ["via-execve", "a"])
except OSError:
    pass
PY
	chmod +x "$BATS_TEST_TMPDIR/crun"
	hs_start
	"$BATS_TEST_TMPDIR/crun"
	hs_stop
	[ "$(q 'select(.status=="exec_failed" and .argv[0]=="via-execveat")|[.errno,.path,.argv]')" = '[8,"",["via-execveat","x y"]]' ]
	[ "$(q 'select(.status=="exec_failed" and .argv[0]=="via-execve")|[.errno,.path,.argv]')" = '[2,"/nonexistent/hs-x",["via-execve","a"]]' ]
}
