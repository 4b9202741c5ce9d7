#!/usr/bin/env bats
# Timing against real runc: --repeat (one attach, records carry their run),
# --max budgets (exit 3 with the explanation on stderr), and `hooksnoop
# compare` between two recorded runs where NEW's hook sleeps 100 ms longer.

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	[ -n "${CID:-}" ] && cleanup_ctr "$CID"
	true
}

# Other runtimes may run on the host meanwhile: every trace is filtered to
# the test's container (-c).

# timing_bundle DIR MARK SLEEP: poststart sleeps SLEEP seconds, the other stages read stdin
timing_bundle() {
	mkb "$1" "$(hooks_json "$2" "poststart=cat >/dev/null; sleep $3")" true
}

# record OUT SLEEP N: N runs of runc run with a poststart hook sleeping SLEEP
record() {
	CID=$(tid)
	timing_bundle "$BATS_TEST_TMPDIR/b$2" "$CID" "$2"
	"$HS" -j -c "$CID" -o "$1" --repeat "$3" -- runc run -b "$BATS_TEST_TMPDIR/b$2" "$CID" </dev/null
}

@test "--repeat 5: five containers under one trace, run 0..4 on containers and hooks" {
	CID=$(tid)
	timing_bundle "$BATS_TEST_TMPDIR/b" "$CID" 0
	run -0 "$HS" -j -c "$CID" --repeat 5 -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$(echo "$output" | jq -c 'select(.type=="container")|.run' | tr '\n' ' ')" = "0 1 2 3 4 " ]
	# every container saw all six hooks, each carrying its container's run
	for r in 0 1 2 3 4; do
		[ "$(echo "$output" | jq --argjson r "$r" 'select(.type=="hook" and .run==$r and .status=="ok")' | jq -s length)" -eq 6 ]
		[ "$(echo "$output" | jq -r --argjson r "$r" 'select(.type=="container" and .run==$r)|.verdict')" = ok ]
	done
	[ "$(echo "$output" | jq -c 'select(.type=="summary")|[.containers,.hooks]')" = "[5,30]" ]
	# without --repeat there is no "run"
	run -0 "$HS" -j -c "$CID" -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$(echo "$output" | jq 'select(.type=="container" or .type=="hook")|has("run")' | sort -u)" = false ]
}

@test "--repeat: text timelines say the run; a failed run stops the repetition with its status" {
	CID=$(tid)
	timing_bundle "$BATS_TEST_TMPDIR/b" "$CID" 0
	run -0 "$HS" -c "$CID" --repeat 2 -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[[ "$output" == *"== container $CID (runc) deleted, verdict: ok, run 0"* ]]
	[[ "$output" == *"== container $CID (runc) deleted, verdict: ok, run 1"* ]]
	# CMD fails in its first run: no second run, CMD's status, said on stderr
	run -7 --separate-stderr "$HS" -j -c "$CID" --repeat 3 -- sh -c \
		"runc run -b '$BATS_TEST_TMPDIR/b' '$CID' </dev/null >/dev/null; exit 7"
	[ "$(echo "$output" | jq -c 'select(.type=="container")|.run')" = 0 ]
	[[ "$stderr" == *"run 1 of 3 of 'sh' failed: the remaining runs are skipped"* ]]
}

@test "--repeat needs a command; bad counts are one error line, exit 2" {
	run -2 --separate-stderr "$HS" --repeat 3
	[[ "$stderr" == *"--repeat needs a command"* ]]
	[ -z "$output" ]
	run -2 --separate-stderr "$HS" --repeat 0 -- true
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
}

@test "--max poststart=1ms: a 0.2 s hook fails the budget, exit 3, explained on stderr" {
	CID=$(tid)
	timing_bundle "$BATS_TEST_TMPDIR/b" "$CID" 0.2
	run -3 --separate-stderr "$HS" -c "$CID" --max poststart=1ms -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[[ "$stderr" =~ "hooksnoop: expectation failed: container $CID (runc): poststart[0] ran 2"[0-9.]+"ms, budget 1ms" ]]
	[[ "$output" == *"expectations: fail"* ]]
	# a budget the hook keeps, and stages without a budget, pass
	run -0 --separate-stderr "$HS" -j -c "$CID" --max poststart=5s --max prestart=2s -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$(echo "$output" | jq -r 'select(.type=="summary")|.expectations')" = pass ]
	# all covers every stage
	run -3 --separate-stderr "$HS" -j -c "$CID" --max all=100ms -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[[ "$stderr" == *"poststart[0] ran "*", budget 100ms"* ]]
	[ "$(echo "$stderr" | grep -c 'expectation failed')" -eq 1 ]
}

@test "--max: bad budgets are one clear error line, exit 2; --max is not --max-tracked" {
	for bad in poststart=2 poststart Poststart=1s all=-1s poststart=0s; do
		run -2 --separate-stderr "$HS" --max "$bad" -- true
		[ "$(echo "$stderr" | wc -l)" -eq 1 ]
		[[ "$stderr" == "hooksnoop: invalid --max '$bad': "* ]]
		[ -z "$output" ]
	done
}

@test "compare: NEW's hook sleeps 100 ms longer -> regressed, exit 4; same files -> same, exit 0" {
	record "$BATS_TEST_TMPDIR/base.jsonl" 0.05 6
	record "$BATS_TEST_TMPDIR/new.jsonl" 0.15 6
	run -4 --separate-stderr "$HS" compare "$BATS_TEST_TMPDIR/base.jsonl" "$BATS_TEST_TMPDIR/new.jsonl"
	echo "$output"
	[[ "$(echo "$output" | grep '^poststart\[0\]')" == *regressed ]]
	# other stages may move with the machine's load: only poststart changed for sure
	[[ "$output" == *" regressed, "*" improved, "*" same, 0 insufficient (Mann-Whitney U"* ]]
	# the table fits 100 columns
	[ "$(echo "$output" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -le 100 ]
	[ -z "$stderr" ]

	run -4 --separate-stderr "$HS" compare --json "$BATS_TEST_TMPDIR/base.jsonl" "$BATS_TEST_TMPDIR/new.jsonl"
	ps=$(echo "$output" | jq -c 'select(.type=="compare" and .stage=="poststart")')
	[ "$(echo "$ps" | jq -r .verdict)" = regressed ]
	[ "$(echo "$ps" | jq -c '[.runtime,.index,.hook,.base.n,.new.n]')" = '["runc",0,"sh",6,6]' ]
	[ "$(echo "$ps" | jq '.delta_pct > 50 and .p_value < 0.05 and .new.median_ns > .base.median_ns + 80000000')" = true ]
	[ "$(echo "$output" | tail -1 | jq -c '[.type,.regressed >= 1,.regressed+.improved+.same+.insufficient]')" = '["compare_summary",true,6]' ]
	[ "$(echo "$output" | jq -r .type | head -1)" = compare ]

	run -0 "$HS" compare "$BATS_TEST_TMPDIR/base.jsonl" "$BATS_TEST_TMPDIR/base.jsonl"
	[[ "$(echo "$output" | grep '^poststart\[0\]')" == *same ]]
	[[ "$output" == *"0 regressed, 0 improved, 6 same, 0 insufficient"* ]]

	# a directory of *.jsonl files is one side; a threshold above the change hides it
	mkdir "$BATS_TEST_TMPDIR/dir"
	cp "$BATS_TEST_TMPDIR/new.jsonl" "$BATS_TEST_TMPDIR/dir/a.jsonl"
	run -0 "$HS" compare --threshold 500 "$BATS_TEST_TMPDIR/base.jsonl" "$BATS_TEST_TMPDIR/dir"
	[[ "$(echo "$output" | grep '^poststart\[0\]')" == *same ]]
}

@test "compare: unreadable input and usage errors are one line, exit 2; junk lines are counted" {
	run -2 --separate-stderr "$HS" compare /nonexistent/a.jsonl /nonexistent/b.jsonl
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *"cannot open '/nonexistent/a.jsonl'"* ]]
	[ -z "$output" ]
	run -2 --separate-stderr "$HS" compare only-one.jsonl
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	run -2 --separate-stderr "$HS" compare --threshold ten a b
	[[ "$stderr" == *"invalid --threshold 'ten'"* ]]
	printf 'garbage\n\0\1\2\n{"type":"summary"}\n' > "$BATS_TEST_TMPDIR/junk.jsonl"
	run -2 --separate-stderr "$HS" compare "$BATS_TEST_TMPDIR/junk.jsonl" "$BATS_TEST_TMPDIR/junk.jsonl"
	[[ "$stderr" == *"skipped 2 malformed line(s)"* ]]
	[[ "$stderr" == *"holds no hook record that ended ok"* ]]
	[ -z "$output" ]
	mkfifo "$BATS_TEST_TMPDIR/fifo.jsonl"
	run -2 --separate-stderr timeout 5 "$HS" compare "$BATS_TEST_TMPDIR/fifo.jsonl" "$BATS_TEST_TMPDIR/fifo.jsonl"
	[[ "$stderr" == *"not a regular file"* ]]
}
