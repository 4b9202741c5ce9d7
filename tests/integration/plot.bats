#!/usr/bin/env bats
# --trace-out and `hooksnoop plot` on real runc and crun runs: the trace file
# obeys the trace-event format's rules (what ui.perfetto.dev and
# chrome://tracing need), the SVG is well-formed XML that headless Chromium
# renders into a picture that is not blank, hostile records stay inert, and
# bad input gives one error line and a non-zero exit.

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	hs_teardown
	[ -n "${CID:-}" ] && cleanup_ctr "$CID-r" && cleanup_ctr "$CID-c"
	true
}

# One traced run of the same bundle under runc then crun: $T/run.jsonl, $T/trace.json.
traced_runs() {
	T=$BATS_TEST_TMPDIR
	CID=$(tid)
	mkb "$T/b" "$(hooks_json "$CID" "prestart=cat >/dev/null; sleep 0.02" "poststop=exit 3")" \
		"sleep 0.05"
	run "$HS" -j -o "$T/run.jsonl" --trace-out "$T/trace.json" -c "$CID-*" -- sh -c "
		runc run -b '$T/b' '$CID-r' </dev/null
		'$ROOT/tools/with-cgroup2' crun --cgroup-manager=disabled run -b '$T/b' '$CID-c' </dev/null
		true"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

# The trace-event rules a viewer applies (times compared in integer ns).
check_trace_format() {
	jq -e '
	.traceEvents as $e
	| ($e | type == "array" and length > 0)
	and ([$e[] | select(.ph == "X")] as $x
		| ($x | length > 0)
		and ($x | all((.ts | type) == "number" and (.dur | type) == "number"
			and .ts >= 0 and .dur >= 0 and (.name | type) == "string"
			and (.pid | type) == "number" and (.tid | type) == "number"))
		and ([$x | group_by([.pid, .tid])[]
			| map({a: (.ts * 1000 | round), b: ((.ts * 1000 | round) + (.dur * 1000 | round))})
			| . as $g
			| [range(0; length) as $i | range($i + 1; length) as $j | $g[$i] as $p | $g[$j] as $q
				| ($p.b <= $q.a or $q.b <= $p.a
				   or ($p.a <= $q.a and $q.b <= $p.b) or ($q.a <= $p.a and $p.b <= $q.b))]
			| all] | all)
		and ([$e[] | select(.ph == "M" and .name == "process_name") | .pid] as $named
			| [$x[] | .pid] | unique | all(. as $p | $named | index($p) != null))
		and ([$e[] | select(.ph == "M" and .name == "thread_name") | [.pid, .tid]] as $named
			| [$x[] | [.pid, .tid]] | unique | all(. as $t | $named | index([$t]) != null)))
	and ([$e[] | select(.ph == "i")] | all(.s == "g" and (.ts | type) == "number"))
	' "$1"
}

@test "--trace-out: a real runc + crun run as Chrome trace events, every format rule held" {
	traced_runs
	[ -f "$T/trace.json" ] && [ ! -e "$T/trace.json.tmp" ]
	check_trace_format "$T/trace.json"
	# one process per container, named
	for rt in runc crun; do
		jq -e --arg n "$CID-${rt:0:1} ($rt)" \
			'[.traceEvents[] | select(.ph == "M" and .name == "process_name" and .args.name == $n)] | length == 1' \
			"$T/trace.json"
	done
	# hooks: STAGE[INDEX] ARGV0 with argv and status; the failing poststop says so
	jq -e --arg m "$CID-prestart" '[.traceEvents[] | select(.name == "prestart[0] sh" and .cat == "hook"
		and .args.argv[-1] == $m and .args.status == "ok" and .dur >= 20000)] | length == 2' "$T/trace.json"
	jq -e '[.traceEvents[] | select(.name == "poststop[0] sh" and .args.status == "failed"
		and .args.exit_code == 3)] | length == 2' "$T/trace.json"
	# runtime invocations and the container process on tracks of their own
	jq -e '[.traceEvents[] | select(.cat == "runtime" and (.name == "runc run" or .name == "crun run"))] | length == 2' \
		"$T/trace.json"
	jq -e '[.traceEvents[] | select(.cat == "process" and .args.argv == ["sh", "-c", "sleep 0.05"]
		and .dur >= 50000)] | length == 2' "$T/trace.json"
	jq -e '[.traceEvents[] | select(.ph == "X")] | group_by(.pid)[]
		| (map(select(.cat == "hook") | .tid) | unique) as $h
		| map(select(.cat != "hook") | .tid) | all(. as $t | $h | index($t) == null)' "$T/trace.json"
	# the same hooks as the JSON records, same times (ns -> us)
	want=$(jq -s -c '[.[] | select(.type == "hook") | .start_ns] | sort' "$T/run.jsonl")
	got=$(jq -c '[.traceEvents[] | select(.cat == "hook") | .ts * 1000 | round] | sort' "$T/trace.json")
	[ "$want" = "$got" ] || { echo "records $want, trace $got"; return 1; }
}

@test "--trace-out: an unwritable path fails at once, before anything runs" {
	run "$HS" --trace-out /nonexistent-dir/t.json -- touch "$BATS_TEST_TMPDIR/ran"
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"cannot write --trace-out /nonexistent-dir/t.json"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

# render SVG PNG: headless Chromium, as a person would open the file
render() {
	rm -rf "$BATS_TEST_TMPDIR/ud"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$BATS_TEST_TMPDIR/ud" --screenshot="$2" --window-size=1200,800 \
		"file://$1" >/dev/null 2>&1
	[ -s "$2" ]
}

# pixels of colour R G B in a PNG
pixels() {
	pngtopnm "$1" | ppmhist -noheader | awk -v r="$2" -v g="$3" -v b="$4" \
		'$1 == r && $2 == g && $3 == b { n += $5 } END { print n + 0 }'
}

@test "plot: the SVG of a real run is well-formed and Chromium draws it (not blank)" {
	traced_runs
	run "$HS" plot -o "$T/run.svg" "$T/run.jsonl"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	xmllint --noout "$T/run.svg"
	# a row per container, a bar per hook, labels, the legend
	[ "$(grep -c "<rect class=\"ok\" x=" "$T/run.svg")" -ge 11 ]
	grep -q ">$CID-r <tspan class=\"rt\">(runc)" "$T/run.svg"
	grep -q ">$CID-c <tspan class=\"rt\">(crun)" "$T/run.svg"
	grep -q ">prestart\[0\] [0-9.]*ms</text>" "$T/run.svg"
	grep -q ">poststop\[0\] [0-9.]*u\?m\?s failed</text>" "$T/run.svg"
	# stdout and stdin work the same
	"$HS" plot - <"$T/run.jsonl" | cmp - "$T/run.svg"
	render "$T/run.svg" "$T/run.png"
	total=$(pngtopnm "$T/run.png" | ppmhist -noheader | awk '{ n += $5 } END { print n }')
	white=$(pixels "$T/run.png" 255 255 255)
	green=$(pixels "$T/run.png" 67 160 71)   # ok bars
	red=$(pixels "$T/run.png" 229 57 53)     # the failed poststop hooks
	blue=$(pixels "$T/run.png" 30 136 229)   # container processes
	echo "total $total white $white green $green red $red blue $blue"
	[ $((total - white)) -gt 5000 ]
	[ "$green" -gt 1000 ] && [ "$red" -gt 10 ] && [ "$blue" -gt 200 ]
}

@test "plot: hostile records stay text, the document stays XML, the picture renders" {
	T=$BATS_TEST_TMPDIR
	{
		printf '%s\n' '{"type":"hook","container":"<svg onload=alert(1)>&\u202e\u001b]0;x\u0007","runtime":"runc\"><script>","stage":"prestart</text>","index":0,"argv":["</title><script>alert(1)</script>","\uffff"],"start_ns":1000000,"end_ns":9000000,"status":"ok"}'
		printf '%s\n' 'not json at all' '{"type":"hook"}' '[]'
		head -c 2000000 /dev/zero | tr '\0' 'x'
		printf '\n%s\n' '{"type":"container","container":"c2","runtime":"crun","verdict":"ok","process":{"pid":1,"argv":["sh"],"start_ns":2000000,"exit_ns":5000000,"exit_code":0}}'
	} >"$T/evil.jsonl"
	run --separate-stderr "$HS" plot "$T/evil.jsonl"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"4 malformed lines skipped"* ]]
	printf '%s' "$output" >"$T/evil.svg"
	xmllint --noout "$T/evil.svg"
	! grep -q "<script" "$T/evil.svg"
	! grep -q "onload=alert" "$T/evil.svg"
	! grep -qP '\x1b|\x07|\xe2\x80\xae' "$T/evil.svg"
	grep -q '&lt;svg onload=alert(1)&gt;&amp;\\u202e\\x1b' "$T/evil.svg"
	render "$T/evil.svg" "$T/evil.png"
	[ "$(pixels "$T/evil.png" 67 160 71)" -gt 100 ]
}

@test "plot: bad input is one clear error line, exit 2, nothing on stdout" {
	T=$BATS_TEST_TMPDIR
	printf 'hello\n{"type":"summary","containers":0}\n' >"$T/none.jsonl"
	run --separate-stderr "$HS" plot "$T/none.jsonl"
	[ "$status" -eq 2 ] && [ -z "$output" ]
	[[ "$stderr" == *"no hook or container records"* ]]
	run --separate-stderr "$HS" plot "$T/missing.jsonl"
	[ "$status" -eq 2 ] && [ -z "$output" ]
	[ "$stderr" = "hooksnoop: plot: cannot read $T/missing.jsonl: No such file or directory" ]
	run --separate-stderr "$HS" plot
	[ "$status" -eq 2 ] && [ -z "$output" ] && [ "$(echo "$stderr" | wc -l)" -eq 1 ]
	run --separate-stderr "$HS" plot -o /nonexistent-dir/x.svg "$T/none.jsonl"
	[ "$status" -eq 2 ]
	: >"$T/empty.jsonl"
	run --separate-stderr "$HS" plot "$T/empty.jsonl"
	[ "$status" -eq 2 ] && [ -z "$output" ]
}
