#!/usr/bin/env bats
# What a hook said and saw, against real runc and crun: the tails of its
# stdout and stderr (crun sends them to /dev/null, runc to pipes it reads),
# the state it read on stdin, its environment with -e (secrets masked), its
# descendants with their ends (a SIGKILLed child, one that outlived it).

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	hs_teardown
	[ -n "${CID:-}" ] && cleanup_ctr "$CID"
	true
}

# one prestart hook: /bin/sh -c CMD MARK, with env ENV_JSON (a JSON array)
one_hook() { # DIR CMD MARK [ENV_JSON]
	local env=${4:-[]}
	mkb "$1" "{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",$(printf '%s' "$2" | jq -Rs .),\"$3\"],\"env\":$env}]}"
}

# CI mode: hooksnoop -j OPTS -- RUNTIME run BUNDLE ID; records in $HS_OUT
# (set by the caller: `run` runs this in a subshell)
ci_run() { # runc|crun BUNDLE ID [OPTS...]
	local rt=$1 b=$2 id=$3
	shift 3
	case $rt in
	runc) "$HS" -j -o "$HS_OUT" -c "$id" "$@" -- runc run -b "$b" "$id" </dev/null ;;
	crun) "$HS" -j -o "$HS_OUT" -c "$id" "$@" -- "$ROOT/tools/with-cgroup2" crun \
		--cgroup-manager=disabled run -b "$b" "$id" </dev/null ;;
	esac
}

hook_rec() { q --arg m "$1" 'select(.type=="hook" and .argv[-1]==$m)'; }

@test "a failing hook's stderr tail: crun discards it (/dev/null, HOOK_OUTPUT_DISCARDED), runc pipes it" {
	for rt in crun runc; do
		CID=$(tid "$rt")
		HS_OUT=$BATS_TEST_TMPDIR/hs-$rt.jsonl
		# the shell's `>&2` is dup2(2, 1) then a write to fd 1: stderr all the same
		one_hook "$BATS_TEST_TMPDIR/b$rt" \
			"cat >/dev/null; echo progress-line; echo 'fatal: device nvidia0 missing' >&2; exit 1" "$CID-m"
		run ci_run "$rt" "$BATS_TEST_TMPDIR/b$rt" "$CID"
		[ "$status" -ne 0 ] # the runtime fails the container
		h=$(hook_rec "$CID-m")
		echo "$rt: $h"
		[ "$(echo "$h" | jq -r .status)" = failed ]
		[ "$(echo "$h" | jq -r .stderr.tail)" = "fatal: device nvidia0 missing" ]
		[ "$(echo "$h" | jq -r .stdout.tail)" = "progress-line" ]
		[ "$(echo "$h" | jq .stderr.bytes)" -eq 30 ]
		[ "$(echo "$h" | jq .stderr.truncated)" = false ]
		warn=$(q 'select(.type=="container")|[.warnings[].code]|index("HOOK_OUTPUT_DISCARDED")')
		if [ "$rt" = crun ]; then
			[ "$(echo "$h" | jq -r .stderr.to)" = null ]
			[ "$(echo "$h" | jq -r .stdout.to)" = null ]
			[ "$warn" != null ]
		else
			[ "$(echo "$h" | jq -r .stderr.to)" = pipe ]
			[ "$warn" = null ]
		fi
		cleanup_ctr "$CID"
	done
}

@test "the state a hook read on stdin, under both runtimes" {
	for rt in runc crun; do
		CID=$(tid "$rt")
		one_hook "$BATS_TEST_TMPDIR/b$rt" "cat >/dev/null" "$CID-m"
		HS_OUT=$BATS_TEST_TMPDIR/hs-$rt.jsonl
		ci_run "$rt" "$BATS_TEST_TMPDIR/b$rt" "$CID"
		h=$(hook_rec "$CID-m")
		echo "$rt: $h"
		[ "$(echo "$h" | jq -r .state.id)" = "$CID" ]
		[ "$(echo "$h" | jq -r .state.bundle)" = "$BATS_TEST_TMPDIR/b$rt" ]
		[ "$(echo "$h" | jq .state.pid)" -gt 0 ]
		# the reader was a child (cat): listed, exited 0, did not outlive the hook
		[ "$(echo "$h" | jq -c '[.children[]|select(.argv==["cat"])|[.exit_code,.outlived]]')" = "[[0,false]]" ]
		cleanup_ctr "$CID"
	done
}

@test "-e: the hook's environment, secret-looking values masked" {
	for rt in runc crun; do
		CID=$(tid "$rt")
		one_hook "$BATS_TEST_TMPDIR/b$rt" "cat >/dev/null" "$CID-m" \
			'["GITHUB_TOKEN=ghp_hunter2","db_Password=swordfish","PLAIN=visible"]'
		HS_OUT=$BATS_TEST_TMPDIR/hs-$rt.jsonl
		ci_run "$rt" "$BATS_TEST_TMPDIR/b$rt" "$CID" -e
		h=$(hook_rec "$CID-m")
		echo "$rt: $h"
		[ "$(echo "$h" | jq -c .env)" = '["GITHUB_TOKEN=***","db_Password=***","PLAIN=visible"]' ]
		! grep -q -e hunter2 -e swordfish "$HS_OUT"
		# without -e there is no env member at all
		HS_OUT=$BATS_TEST_TMPDIR/hs-$rt.jsonl
		ci_run "$rt" "$BATS_TEST_TMPDIR/b$rt" "$CID"
		[ "$(hook_rec "$CID-m" | jq 'has("env")')" = false ]
		cleanup_ctr "$CID"
	done
}

@test "descendants: a SIGKILLed child shows signal 9, a backgrounded one outlived the hook" {
	for rt in runc crun; do
		CID=$(tid "$rt")
		# the sleeper's output goes elsewhere: it must not hold runc's pipes open
		one_hook "$BATS_TEST_TMPDIR/b$rt" \
			"cat >/dev/null; sh -c 'kill -9 \$\$' x-victim; sleep 2 >/dev/null 2>&1 </dev/null & exit 0" "$CID-m"
		HS_OUT=$BATS_TEST_TMPDIR/hs-$rt.jsonl
		ci_run "$rt" "$BATS_TEST_TMPDIR/b$rt" "$CID"
		h=$(hook_rec "$CID-m")
		echo "$rt: $h"
		[ "$(echo "$h" | jq -r .status)" = ok ]
		v=$(echo "$h" | jq -c '.children[]|select(.argv[-1]=="x-victim")')
		[ "$(echo "$v" | jq -c '[.signal,.exit_code,.outlived]')" = "[9,null,false]" ]
		[ "$(echo "$v" | jq '.end_ns > .start_ns')" = true ]
		# the backgrounded one: still running when the hook exited (its exec of
		# sleep may come after that: the record then shows the shell's argv)
		s=$(echo "$h" | jq -c '[.children[]|select(.outlived)]')
		[ "$(echo "$s" | jq length)" -eq 1 ]
		[ "$(echo "$s" | jq -c '.[0]|[.end_ns,.exit_code,.signal]')" = "[null,null,null]" ]
		[ "$(echo "$s" | jq -r '.[0].argv[0]')" = sleep ] ||
			[ "$(echo "$s" | jq -r '.[0].argv[-1]')" = "$CID-m" ]
		[ "$(echo "$h" | jq .children_truncated)" = false ]
		cleanup_ctr "$CID"
	done
}

@test "--output-bytes keeps the last N bytes and counts them all; 0 turns capture off" {
	CID=$(tid)
	one_hook "$BATS_TEST_TMPDIR/b" \
		"cat >/dev/null; i=0; while [ \$i -lt 300 ]; do echo line-\$i; i=\$((i+1)); done >&2; echo END >&2" "$CID-m"
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	ci_run crun "$BATS_TEST_TMPDIR/b" "$CID" --output-bytes 100
	h=$(hook_rec "$CID-m")
	[ "$(echo "$h" | jq -r '.stderr.tail|length')" -eq 100 ]
	[ "$(echo "$h" | jq -r '.stderr.tail|endswith("line-298\nline-299\nEND\n")')" = true ]
	want=$(sh -c 'i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done; echo END' | wc -c)
	[ "$(echo "$h" | jq .stderr.bytes)" -eq "$want" ]
	[ "$(echo "$h" | jq .stderr.truncated)" = true ]
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	ci_run crun "$BATS_TEST_TMPDIR/b" "$CID" --output-bytes 0
	h=$(hook_rec "$CID-m")
	[ "$(echo "$h" | jq -c '[.stdout,.stderr]')" = "[null,null]" ]
	# the state is still read
	[ "$(echo "$h" | jq -r .state.id)" = "$CID" ]
	run "$HS" --output-bytes 9000 -- true
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"--output-bytes"* ]]
}

@test "live tracing: the capture attaches with the runtime that starts the hook" {
	CID=$(tid)
	one_hook "$BATS_TEST_TMPDIR/b" "cat >/dev/null; echo live-err >&2; exit 3" "$CID-m"
	hs_start -c "$CID"
	run run_crun "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	h=$(q --arg m "$CID-m" 'select(.type=="hook" and .argv[-1]==$m)')
	echo "$h"
	[ "$(echo "$h" | jq -c '[.status,.exit_code,.stderr.tail,.stderr.to]')" = '["failed",3,"live-err\n","null"]' ]
	# attached by the attach thread (the runtime's exec woke it), not from the start
	grep -q "failed-exec tracepoint attached" "$HS_ERR"
}

@test "every stage, host and container side: its stdout/stderr kind, tail and state; the container process's subtree is not followed" {
	for rt in runc crun; do
		CID=$(tid "$rt")
		HS_OUT=$BATS_TEST_TMPDIR/hs-$rt.jsonl
		# the container process forks children of its own: never followed
		HOOK_CMD='cat >/dev/null; echo said-$0 >&2' mkb "$BATS_TEST_TMPDIR/b$rt" \
			"$(HOOK_CMD='cat >/dev/null; echo said-$0 >&2' hooks_json "$CID")" \
			"sleep 0.2 & sleep 0.1; echo $CID-payload; wait"
		ci_run "$rt" "$BATS_TEST_TMPDIR/b$rt" "$CID" -a
		want=$([ "$rt" = crun ] && echo null || echo pipe)
		for st in $STAGES; do
			h=$(q --arg m "$CID-$st" 'select(.type=="hook" and .argv[-1]==$m)')
			[ "$(echo "$h" | jq -c '[.status,.stdout.to,.stderr.to,.stderr.tail,.state.id]')" = \
				"[\"ok\",\"$want\",\"$want\",\"said-$CID-$st\\n\",\"$CID\"]" ] || { echo "$rt $st: $h"; return 1; }
		done
		cpid=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)|.process.pid')
		cstart=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)|.process.start_ns')
		[ -n "$cpid" ] && [ "$cpid" != null ]
		# no record of a process the container process forked (the init forked the
		# container-side hooks before its exec), no hook lists one
		[ -z "$(q --argjson p "$cpid" --argjson t "$cstart" 'select(.type=="fork" and .ppid==$p and .ts_ns > $t)')" ]
		[ "$(q 'select(.type=="hook")|.children[]|select(.argv[0]=="sleep")' | wc -l)" -eq 0 ]
		cleanup_ctr "$CID"
	done
}

@test "runc: a backgrounded child that holds the hook's stdout keeps runc waiting; the hook record shows it outlived" {
	CID=$(tid)
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	# the child inherits runc's stdout/stderr pipes: runc waits for their EOF
	one_hook "$BATS_TEST_TMPDIR/b" "cat >/dev/null; echo before; sleep 1.5 & exit 0" "$CID-m"
	t0=$(date +%s%N)
	ci_run runc "$BATS_TEST_TMPDIR/b" "$CID"
	[ $((($(date +%s%N) - t0) / 1000000)) -ge 1400 ] # the pipe held runc
	h=$(hook_rec "$CID-m")
	echo "$h"
	# the hook itself ended at once; its child was still running
	[ "$(echo "$h" | jq '.duration_ns < 1000000000')" = true ]
	[ "$(echo "$h" | jq '[.children[]|select(.outlived)]|length')" -eq 1 ]
	[ "$(echo "$h" | jq -r .stdout.tail)" = before ]
}

# writev(2): each iovec of the call lands in the tail, in order, cut at
# what the call returned (python's os.writev is one writev of its buffers).
@test "a hook's writev: every iovec in the tail, in order" {
	command -v python3 >/dev/null
	CID=$(tid)
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	one_hook "$BATS_TEST_TMPDIR/b" \
		"cat >/dev/null; python3 -c 'import os; os.writev(2, [b\"vec-one \", b\"vec-two \", b\"vec-three\"])'" "$CID-m"
	run ci_run runc "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ]
	h=$(hook_rec "$CID-m")
	echo "$h"
	[ "$(echo "$h" | jq -r .stderr.tail)" = "vec-one vec-two vec-three" ]
	[ "$(echo "$h" | jq .stderr.bytes)" -eq 25 ]
}
