#!/usr/bin/env bats
# --junit on real runc and crun runs: the file validates against the JUnit
# schema kept in tests/junit.xsd (xmllint), has one test case per container
# and expected stage or budget, passing and failing, each failure's message
# the very line stderr printed, and is written whole (no .tmp left, the
# exit status what it is without --junit).

bats_require_minimum_version 1.5.0
load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	CID=metrics$$-$BATS_TEST_NUMBER
	XSD=$ROOT/tests/junit.xsd
}

teardown() {
	cleanup_ctr "$CID"
	true
}

# xp FILE XPATH: the string value of XPATH in FILE.
xp() {
	xmllint --xpath "$2" "$1"
}

@test "junit: runc, passing and failing expectations and a budget, validated against the schema" {
	mkb "$T/b" "$(hooks_json "$CID" "prestart=cat >/dev/null; sleep 0.3" "poststop=exit 3")" "true"
	run --separate-stderr "$HS" -c "$CID" --junit "$T/j.xml" --expect createRuntime \
		--expect poststop --max prestart=100ms -- sh -c "runc run -b '$T/b' '$CID' </dev/null; true"
	[ "$status" -eq 3 ] || { echo "$stderr"; false; }
	xmllint --noout --schema "$XSD" "$T/j.xml"
	[ ! -e "$T/j.xml.tmp" ]
	[ "$(xp "$T/j.xml" 'string(/testsuites/testsuite/@tests)')" = 3 ]
	[ "$(xp "$T/j.xml" 'string(/testsuites/testsuite/@failures)')" = 2 ]
	[ "$(xp "$T/j.xml" 'count(//testcase)')" = 3 ]
	[ "$(xp "$T/j.xml" "count(//testcase[@classname='runc/$CID'])")" = 3 ]
	# the passing stage: no failure, its hook's time in seconds
	[ "$(xp "$T/j.xml" "count(//testcase[@name='createRuntime']/failure)")" = 0 ]
	t=$(xp "$T/j.xml" "string(//testcase[@name='createRuntime']/@time)")
	awk -v t="$t" 'BEGIN { exit !(t > 0 && t < 10) }'
	# the failures carry what stderr said, line for line
	msg=$(xp "$T/j.xml" "string(//testcase[@name='poststop']/failure/@message)")
	[ "$msg" = "expectation failed: container $CID (runc): 1 of 1 poststop hooks failed" ]
	grep -qxF "hooksnoop: $msg" <<<"$stderr"
	msg=$(xp "$T/j.xml" "string(//testcase[@name='max prestart=100ms']/failure/@message)")
	[[ "$msg" == "expectation failed: container $CID (runc): prestart[0] ran "*", budget 100ms" ]]
	grep -qxF "hooksnoop: $msg" <<<"$stderr"
	[ "$(xp "$T/j.xml" "string(//testcase[@name='max prestart=100ms']/failure/@type)")" = failed ]
	t=$(xp "$T/j.xml" "string(//testcase[@name='max prestart=100ms']/@time)")
	awk -v t="$t" 'BEGIN { exit !(t >= 0.3) }'
	# the schema is not a rubber stamp: a broken count fails it
	sed 's/tests="3"/tests="three"/' "$T/j.xml" > "$T/bad.xml"
	! xmllint --noout --schema "$XSD" "$T/bad.xml" 2>/dev/null
}

@test "junit: crun skips a miscased Poststart: the failure and its why, and a passing run exits 0" {
	mkb "$T/b" '{"prestart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null"]}],
		"Poststart":[{"path":"/bin/sh","args":["sh","-c","cat >/dev/null"]}]}' "true"
	run --separate-stderr "$HS" -c "$CID" --junit "$T/j.xml" --expect poststart --expect prestart -- \
		"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$T/b" "$CID"
	[ "$status" -eq 3 ] || { echo "$stderr"; false; }
	xmllint --noout --schema "$XSD" "$T/j.xml"
	[ "$(xp "$T/j.xml" 'string(/testsuites/testsuite/@tests)')" = 2 ]
	[ "$(xp "$T/j.xml" 'string(/testsuites/testsuite/@failures)')" = 1 ]
	[ "$(xp "$T/j.xml" "count(//testcase[@classname='crun/$CID' and @name='prestart' and not(failure)])")" = 1 ]
	msg=$(xp "$T/j.xml" "string(//testcase[@classname='crun/$CID' and @name='poststart']/failure/@message)")
	[ "$msg" = "expectation failed: container $CID (crun): no poststart hook is configured for this runtime" ]
	grep -qxF "hooksnoop: $msg" <<<"$stderr"
	# the why lines stderr adds are in the failure's text
	body=$(xp "$T/j.xml" "string(//testcase[@name='poststart']/failure)")
	grep -q '^  why: .*Poststart' <<<"$body"
	grep -q '^hooksnoop:   why: .*Poststart' <<<"$stderr"

	# the same bundle, expectations that hold: exit 0, every case passes
	cleanup_ctr "$CID"
	run --separate-stderr "$HS" -c "$CID" --junit "$T/ok.xml" --expect prestart --max all=10s -- \
		"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$T/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	xmllint --noout --schema "$XSD" "$T/ok.xml"
	[ "$(xp "$T/ok.xml" 'string(/testsuites/testsuite/@failures)')" = 0 ]
	[ "$(xp "$T/ok.xml" 'count(//testcase)')" = 2 ]
	[ "$(xp "$T/ok.xml" "count(//testcase[@name='max prestart=10s'])")" = 1 ]
	[ "$(xp "$T/ok.xml" 'count(//failure)')" = 0 ]
}

@test "junit: --repeat 3 on runc: each run's checks are cases of their own, the failing run named" {
	# the poststop hook fails in the second run only (markers the runs leave)
	mkb "$T/b" "$(hooks_json "$CID" "poststop=cat >/dev/null; [ -e '$T/m0' ] || { touch '$T/m0'; exit 0; }; [ -e '$T/m1' ] && exit 0; touch '$T/m1'; exit 4")" "true"
	run --separate-stderr "$HS" -c "$CID" --junit "$T/j.xml" --expect poststop --repeat 3 -- \
		runc run -b "$T/b" "$CID"
	[ "$status" -eq 3 ] || { echo "$stderr"; false; }
	xmllint --noout --schema "$XSD" "$T/j.xml"
	[ "$(xp "$T/j.xml" 'string(/testsuites/testsuite/@tests)')" = 3 ]
	[ "$(xp "$T/j.xml" 'string(/testsuites/testsuite/@failures)')" = 1 ]
	for k in 0 1 2; do
		[ "$(xp "$T/j.xml" "count(//testcase[@classname='runc/$CID'][@name='poststop (run $k)'])")" = 1 ]
	done
	[ "$(xp "$T/j.xml" "count(//testcase[@name='poststop (run 1)']/failure)")" = 1 ]
	m=$(xp "$T/j.xml" "string(//testcase[@name='poststop (run 1)']/failure/@message)")
	[ "$m" = "expectation failed: container $CID (runc, run 1): 1 of 1 poststop hooks failed" ]
	[[ "$stderr" == *"hooksnoop: $m"* ]]
}

@test "junit: a file that cannot be written fails before CMD runs; no command or no check is a usage error" {
	run --separate-stderr "$HS" --junit "$T/no/dir/j.xml" --expect all -- touch "$T/ran"
	[ "$status" -eq 1 ] && [ -z "$output" ] && [ ! -e "$T/ran" ]
	[ "$stderr" = "hooksnoop: cannot write --junit $T/no/dir/j.xml: No such file or directory (writing $T/no/dir/j.xml.tmp first, then renaming)" ]
	run --separate-stderr "$HS" --junit "$T/j.xml" --expect all
	[ "$status" -eq 2 ] && [ -z "$output" ] && [ ! -e "$T/j.xml" ]
	run --separate-stderr "$HS" --junit "$T/j.xml" -- true
	[ "$status" -eq 2 ] && [ ! -e "$T/j.xml" ]
}
