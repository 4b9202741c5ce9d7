#!/usr/bin/env bats
# gVisor runsc (Debian's 2022-12 build) under the tracer: which stages each
# runsc command runs (prestart and createRuntime in create, poststart in
# start, poststop in delete, createContainer and startContainer never), the
# RUNTIME_SKIPS_STAGE warning and what it does to the verdict and to
# --expect, and lint's claims about runsc checked against the binary.
# What really ran is read from files the hooks write, never from hooksnoop.

bats_require_minimum_version 1.5.0
load helpers

# Each test gets its own runsc state root: nothing shared with other runs.
RS() { runsc --root "$BATS_TEST_TMPDIR/rsroot" --network=none --ignore-cgroups "$@" </dev/null; }

teardown() {
	hs_teardown
	[ -n "${CID:-}" ] && runsc --root "$BATS_TEST_TMPDIR/rsroot" delete -force "$CID" \
		>/dev/null 2>&1
	true
}

# A bundle whose six stages each append their name to $BATS_TEST_TMPDIR/ran.
mk_all_stages() {
	local ov=() st
	for st in $STAGES; do
		# startContainer would resolve inside the rootfs: /tmp there is not ours
		ov+=("$st=cat >/dev/null; echo $st >> $BATS_TEST_TMPDIR/ran")
	done
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID" "${ov[@]}")" "echo $CID-payload"
}

ran() { sort "$BATS_TEST_TMPDIR/ran" | tr '\n' ' '; }

@test "runsc run: four stages fire, createContainer/startContainer never, and the record says why" {
	CID=rs$$-${BATS_TEST_NUMBER}
	mk_all_stages
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	run -3 "$HS" -j -o "$HS_OUT" -c "$CID" --expect all -- \
		runsc --root "$BATS_TEST_TMPDIR/rsroot" --network=none --ignore-cgroups \
		run -bundle "$BATS_TEST_TMPDIR/b" "$CID"
	# ground truth: what runsc really ran
	[ "$(ran)" = "createRuntime poststart poststop prestart " ]
	c=$(q --arg id "$CID" 'select(.type=="container" and .container==$id)')
	[ "$(echo "$c" | jq -r .runtime)" = runsc ]
	[ "$(echo "$c" | jq -r .verdict)" = missing ]
	for st in prestart createRuntime poststart poststop; do
		[ "$(echo "$c" | jq --arg s "$st" '.stages[$s].fired')" = 1 ]
		n=$(q --arg id "$CID" --arg s "$st" --arg m "$CID-$st" \
			'select(.type=="hook" and .container==$id and .stage==$s and .argv[-1]==$m and .status=="ok")' | wc -l)
		[ "$n" -eq 1 ]
	done
	for st in createContainer startContainer; do
		[ "$(echo "$c" | jq -c --arg s "$st" '.stages[$s] | [.configured, .fired]')" = "[1,0]" ]
		echo "$c" | jq -e --arg s "$st" \
			'[.warnings[] | select(.code=="RUNTIME_SKIPS_STAGE" and (.message | contains("runsc never runs " + $s + " hooks")))] | length == 1'
		# --expect all fails on it, and says why
		echo "$output" | grep -F "0 of 1 configured $st hooks fired (this runtime never runs them: RUNTIME_SKIPS_STAGE)"
	done
	# nothing else runsc forks (its sandbox's ptrace stubs, killed) is taken for a hook
	[ "$(q --arg id "$CID" 'select(.type=="hook" and .container==$id and .status!="ok")' | wc -l)" -eq 0 ]
	echo "$c" | jq -e '[.warnings[] | select(.code=="POSTSTART_BEFORE_PROCESS")] | length == 0'
	# no hook record was attributed to a stage runsc did not run
	[ "$(q --arg id "$CID" 'select(.type=="hook" and .container==$id and (.stage=="createContainer" or .stage=="startContainer"))' | wc -l)" -eq 0 ]
}

@test "runsc run: expecting only the stages runsc runs passes" {
	CID=rs$$-${BATS_TEST_NUMBER}
	mk_all_stages
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	run -0 "$HS" -j -o "$HS_OUT" -c "$CID" --expect prestart --expect createRuntime --expect poststart \
		--expect poststop -- \
		runsc --root "$BATS_TEST_TMPDIR/rsroot" --network=none --ignore-cgroups \
		run -bundle "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$(q 'select(.type=="summary")|.expectations')" = '"pass"' ]
	# the text timeline names the skipped stages too
	run -3 "$HS" -c "$CID-t" --expect startContainer -- \
		runsc --root "$BATS_TEST_TMPDIR/rsroot" --network=none --ignore-cgroups \
		run -bundle "$BATS_TEST_TMPDIR/b" "$CID-t"
	echo "$output" | grep -E "startContainer +1 +0 +0 +. never run by this runtime"
	echo "$output" | grep -F "warning RUNTIME_SKIPS_STAGE: runsc never runs startContainer hooks"
}

@test "runsc create / start / delete: each stage from the command that runs it" {
	CID=rs$$-${BATS_TEST_NUMBER}
	mk_all_stages
	hs_start
	RS create -bundle "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$(ran)" = "createRuntime prestart " ]
	RS start "$CID"
	[ "$(ran)" = "createRuntime poststart prestart " ]
	RS delete -force "$CID"
	[ "$(ran)" = "createRuntime poststart poststop prestart " ]
	hs_stop
	for pair in create:prestart create:createRuntime start:poststart delete:poststop; do
		cmd=${pair%%:*} st=${pair#*:}
		rpid=$(q --arg id "$CID" --arg cmd "$cmd" \
			'select(.type=="exec" and .role=="runtime" and .argv[0]=="runsc" and .argv[-1]==$id and (.argv|index($cmd)))|.pid')
		[ "$(echo "$rpid" | wc -w)" -eq 1 ]
		h=$(q --arg id "$CID" --arg s "$st" 'select(.type=="hook" and .container==$id and .stage==$s)')
		[ "$(echo "$h" | jq .ppid)" -eq "$rpid" ] || { echo "$st from $(echo "$h" | jq .ppid), want $cmd $rpid"; false; }
	done
	c=$(q --arg id "$CID" 'select(.type=="container" and .container==$id)')
	[ "$(echo "$c" | jq -r .state)" = deleted ]
	[ "$(echo "$c" | jq -r .verdict)" = missing ]
	[ "$(echo "$c" | jq '[.warnings[] | select(.code=="RUNTIME_SKIPS_STAGE")] | length')" -eq 2 ]
}

@test "runsc: lint's claims hold (relative hook path refused, runsc column)" {
	CID=rs$$-${BATS_TEST_NUMBER}
	mkb "$BATS_TEST_TMPDIR/b" '{"prestart":[{"path":"bin/true"}],"createContainer":[{"path":"/bin/true"}]}'
	run "$HS" lint --json "$BATS_TEST_TMPDIR/b"
	echo "$output" | jq -e -s '[.[] | select(.code=="HOOK_PATH_RELATIVE" and (.message | contains("runsc refuses it")))] | length == 1'
	echo "$output" | jq -e -s '[.[] | select(.code=="HOOKS_RUNTIME_DIFF" and .severity=="info" and (.message | contains("runsc prestart 1 (runsc never runs")))] | length == 1'
	# the real runsc refuses the relative path when it runs the prestart hook
	run RS run -bundle "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'path for hook is not absolute'
}

@test "runsc: a poststart hook that cannot run is only logged (lint's claim)" {
	CID=rs$$-${BATS_TEST_NUMBER}
	mkb "$BATS_TEST_TMPDIR/b" '{"poststart":[{"path":"/nonexistent/hook"}]}' "echo $CID-payload"
	run "$HS" lint "$BATS_TEST_TMPDIR/b"
	echo "$output" | grep -F 'runsc logs a warning and carries on [HOOK_PATH_MISSING]'
	run -0 RS run -bundle "$BATS_TEST_TMPDIR/b" "$CID"
	echo "$output" | grep -F "$CID-payload"
}
