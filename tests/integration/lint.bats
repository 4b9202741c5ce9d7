#!/usr/bin/env bats
# hooksnoop lint: the CLI contract on the corpus in tests/lint (exit codes,
# text and JSON output), and the runtime behaviour every miscased / unknown /
# duplicate key message claims, checked against the real runc and crun (and
# podman for hooks.d), so the messages cannot drift from the truth.
# Needs root for the runtime tests; see /work/shared/TESTBED.md for the crun setup.

bats_require_minimum_version 1.5.0

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
CORPUS="$REPO/tests/lint"

setup_file() {
	: "${HOOKSNOOP:=$REPO/build/hooksnoop}"
	export HOOKSNOOP
	local t="$BATS_FILE_TMPDIR"
	mkdir -p "$t/rootfs/bin" "$t/marks"
	cp /bin/busybox "$t/rootfs/bin/busybox"
	for x in sh true sleep cat; do ln -sf busybox "$t/rootfs/bin/$x"; done
	# the hook writes a marker named after its first argument
	printf '#!/bin/sh\n[ -n "$1" ] && touch "%s/$1"\nexit 0\n' "$t/marks" > "$t/hook.sh"
	chmod +x "$t/hook.sh"
	(cd "$t" && runc spec && mv config.json base.json)
	jq 'del(.process.rlimits) | .process.terminal = false | .process.args = ["true"] |
	    .root.path = "'"$t"'/rootfs" | del(.hooks)' "$t/base.json" > "$t/base2.json"
}

teardown_file() {
	podman rmi -f localhost/hslint-bb >/dev/null 2>&1 || true
}

setup() {
	ID="hslint-$$-$BATS_TEST_NUMBER"
	BUNDLE="$BATS_FILE_TMPDIR/b-$BATS_TEST_NUMBER"
	MARKS="$BATS_FILE_TMPDIR/marks"
	HOOK="$BATS_FILE_TMPDIR/hook.sh"
	rm -f "$MARKS"/*
	mkdir -p "$BUNDLE"
}

teardown() {
	runc delete -f "$ID-runc" >/dev/null 2>&1 || true
	crun_ns delete -f "$ID-crun" >/dev/null 2>&1 || true
	if [ -n "${PODMAN_DIR:-}" ]; then rm -rf "$PODMAN_DIR"; fi
	rm -rf "$BUNDLE"
}

crun_ns() {
	unshare -m sh -c 'umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup &&
		exec crun --cgroup-manager=disabled "$@"' crun "$@"
}

# write_config 'RAW JSON MEMBER(S)': the base spec with the raw text spliced
# in as top-level members (raw so duplicate keys survive)
write_config() {
	sed '$d' "$BATS_FILE_TMPDIR/base2.json" > "$BUNDLE/config.json"
	printf ',\n%s\n}\n' "$1" >> "$BUNDLE/config.json"
}

run_runc() {
	rm -f "$MARKS"/*
	RUNC_RC=0
	timeout 60 runc run -b "$BUNDLE" "$ID-runc" > "$BATS_FILE_TMPDIR/runc.out" 2>&1 || RUNC_RC=$?
	runc delete -f "$ID-runc" >/dev/null 2>&1 || true
	RUNC_MARKS=$(ls "$MARKS" | tr '\n' ' ')
}

run_crun() {
	rm -f "$MARKS"/*
	CRUN_RC=0
	timeout 60 unshare -m sh -c 'umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup &&
		exec crun --cgroup-manager=disabled run -b "$1" "$2"' sh "$BUNDLE" "$ID-crun" \
		> "$BATS_FILE_TMPDIR/crun.out" 2>&1 || CRUN_RC=$?
	crun_ns delete -f "$ID-crun" >/dev/null 2>&1 || true
	CRUN_MARKS=$(ls "$MARKS" | tr '\n' ' ')
}

# lint_has CODE: the bundle's lint output contains CODE
lint_has() {
	run "$HOOKSNOOP" lint --json "$BUNDLE"
	echo "$output"
	echo "$output" | jq -e -s --arg c "$1" 'any(.[]; .type == "finding" and .code == $c)' >/dev/null
}

findings() { # FILE -> "LINE:COL SEVERITY CODE" lines
	"$HOOKSNOOP" lint --json "$1" | jq -r 'select(.type == "finding") |
		"\(.line):\(.column) \(.severity) \(.code)"'
}

@test "lint: every corpus case gives its expected findings and exit status" {
	"$HOOKSNOOP" lint --help >/dev/null || {
		echo "$HOOKSNOOP does not dispatch 'lint' (user/main.c must call lint_main)"; false; }
	local n=0 f exp
	for f in "$CORPUS"/config/*.json "$CORPUS"/hooksd/* "$CORPUS"/bundles/*/; do
		f=${f%/}
		case $f in *.expected | *README.md) continue ;; esac
		exp="$f.expected"
		diff -u "$exp" <(findings "$f") || { echo "mismatch: $f"; false; }
		run "$HOOKSNOOP" lint "$f"
		if grep -q ' error ' "$exp"; then [ "$status" -eq 1 ]; else [ "$status" -eq 0 ]; fi
		n=$((n + 1))
	done
	[ "$n" -ge 40 ]
}

@test "lint: real crun spec, runc spec and podman configs are clean" {
	run "$HOOKSNOOP" lint "$CORPUS/config/crun-spec.json" "$CORPUS/config/runc-spec.json" \
		"$CORPUS/hooksd/ok.json"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "3 files checked: 0 errors, 0 warnings, 0 info" ]
	(cd "$BATS_FILE_TMPDIR" && mkdir -p cs && cd cs && rm -f config.json && crun spec)
	run "$HOOKSNOOP" lint "$BATS_FILE_TMPDIR/cs"
	[ "$status" -eq 0 ]
}

@test "lint: text output is FILE:LINE:COL: severity: MESSAGE [CODE] plus a summary" {
	run "$HOOKSNOOP" lint "$CORPUS/config/key-case-poststart.json"
	[ "$status" -eq 1 ]
	[[ "${lines[1]}" =~ ^.*key-case-poststart\.json:4:3:\ error:\ .*\"Poststart\".*\[HOOK_KEY_CASE\]$ ]]
	[ "${lines[-1]}" = "1 file checked: 1 error, 1 warning, 0 info" ]
}

@test "lint: --json gives finding records then one lint_summary" {
	run "$HOOKSNOOP" lint --json "$CORPUS/config/stage-unknown.json" "$CORPUS/hooksd"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e -s 'all(.[]; (keys_unsorted[0] == "type"))' >/dev/null
	echo "$output" | jq -e -s --argjson n "$((1 + $(ls "$CORPUS"/hooksd/*.json | wc -l)))" '.[-1] | .type == "lint_summary" and .files == $n' >/dev/null
	echo "$output" | jq -e -s '.[0:-1] | all(.[]; .type == "finding" and (.line | type) == "number"
		and (.severity | IN("error", "warning", "info")))' >/dev/null
	errors=$(echo "$output" | jq -s '[.[] | select(.severity == "error")] | length')
	echo "$output" | jq -e -s --argjson e "$errors" '.[-1].errors == $e' >/dev/null
}

@test "lint: hostile keys are escaped and bounded in text and JSON" {
	run "$HOOKSNOOP" lint "$CORPUS/config/hostile.json"
	[ "$status" -eq 1 ]
	! printf '%s' "$output" | grep -q $'\x1b'
	! printf '%s' "$output" | grep -q $'\x07'
	[[ "$output" == *'\x1b[31m'* ]]
	[ "$(printf '%s\n' "$output" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -lt 600 ]
	run "$HOOKSNOOP" lint --json "$CORPUS/config/hostile.json"
	echo "$output" | jq -e -s 'length == 3' >/dev/null
}

# Terminal safety: every untrusted string lint prints as text (the file name,
# the rootfs path, a hooks.d file's stage and version as podman's load error
# quotes them) shows ESC, BEL and bidi overrides (U+202E) escaped, never raw.
@test "lint: hostile file names, rootfs path and hooks.d values are escaped in text" {
	local evil=$'x\x1b[31m\xe2\x80\xaey\x07'
	local b="$BATS_TEST_TMPDIR/b$evil"
	mkdir -p "$b/rootfs$evil" "$BATS_TEST_TMPDIR/hd"
	jq --arg r "rootfs$evil" '.root.path = $r |
	    .hooks = {"startContainer": [{"path": "/missing-hook"}]}' \
		"$BATS_FILE_TMPDIR/base2.json" > "$b/config.json"
	jq -n --arg s "prestart$evil" --arg v "1.0.0" '{"version": $v,
	    "hook": {"path": "/bin/true"}, "when": {"always": true}, "stages": [$s]}' \
		> "$BATS_TEST_TMPDIR/hd/h$evil.json"
	for p in "$b" "$b/config.json" "$BATS_TEST_TMPDIR/hd" "$BATS_TEST_TMPDIR/hd/h$evil.json"; do
		run --separate-stderr "$HOOKSNOOP" lint "$p"
		[ "$status" -eq 1 ]
		for out in "$output" "$stderr"; do
			! printf '%s' "$out" | grep -q $'\x1b'
			! printf '%s' "$out" | grep -q $'\x07'
			! printf '%s' "$out" | grep -q $'\xe2\x80\xae'
		done
		# the file name, and what each file holds, shown escaped
		[[ "$output" == */[bh]'x\x1b[31m\u202ey\x07'* ]]
		[[ "$output" == *'\x1b[31m\u202ey\x07'*'\x1b[31m\u202ey\x07'* ]]
	done
}

@test "lint: usage errors and unreadable input exit 2 with one stderr line and no stdout" {
	run -2 --separate-stderr "$HOOKSNOOP" lint
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	run -2 --separate-stderr "$HOOKSNOOP" lint --no-such-option x
	[ -z "$output" ]
	run -2 --separate-stderr "$HOOKSNOOP" lint "$CORPUS/config/runc-spec.json" /nonexistent/config.json
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"/nonexistent/config.json"* ]]
	run -0 "$HOOKSNOOP" lint --help
}

# ---- runtime claims: miscased keys run under runc, are ignored by crun ----

check_miscased_stage() { # KEY
	write_config '"hooks": {"'"$1"'": [{"path": "'"$HOOK"'", "args": ["hook", "k'"$1"'"]}]}'
	lint_has HOOK_KEY_CASE
	run_runc
	run_crun
	echo "runc rc=$RUNC_RC marks=$RUNC_MARKS crun rc=$CRUN_RC marks=$CRUN_MARKS"
	cat "$BATS_FILE_TMPDIR/runc.out" "$BATS_FILE_TMPDIR/crun.out"
	[ "$RUNC_RC" -eq 0 ]
	[ "$RUNC_MARKS" = "k$1 " ]
	[ "$CRUN_RC" -eq 0 ]
	[ -z "$CRUN_MARKS" ]
}

@test "runtime: \"Poststart\" runs under runc, silently ignored by crun" {
	check_miscased_stage Poststart
}

@test "runtime: \"PostStart\" runs under runc, silently ignored by crun" {
	check_miscased_stage PostStart
}

@test "runtime: \"POSTSTART\" runs under runc, silently ignored by crun" {
	check_miscased_stage POSTSTART
}

@test "runtime: \"preStart\" runs under runc, silently ignored by crun" {
	check_miscased_stage preStart
}

@test "runtime: \"postStop\" (not an unknown stage) runs under runc, ignored by crun" {
	check_miscased_stage postStop
}

@test "runtime: \"CreateRuntime\" runs under runc, silently ignored by crun" {
	check_miscased_stage CreateRuntime
}

@test "runtime: \"Hooks\" runs under runc, silently ignored by crun" {
	write_config '"Hooks": {"poststart": [{"path": "'"$HOOK"'", "args": ["hook", "Hooks"]}]}'
	lint_has HOOKS_KEY_CASE
	run_runc
	run_crun
	[ "$RUNC_RC" -eq 0 ]
	[ "$RUNC_MARKS" = "Hooks " ]
	[ "$CRUN_RC" -eq 0 ]
	[ -z "$CRUN_MARKS" ]
}

check_unknown_stage() { # KEY
	write_config '"hooks": {"'"$1"'": [{"path": "'"$HOOK"'", "args": ["hook", "u"]}]}'
	lint_has HOOK_STAGE_UNKNOWN
	run_runc
	run_crun
	[ "$RUNC_RC" -eq 0 ]
	[ -z "$RUNC_MARKS" ]
	[ "$CRUN_RC" -eq 0 ]
	[ -z "$CRUN_MARKS" ]
}

@test "runtime: unknown stage \"prestop\" is ignored by runc and crun" {
	check_unknown_stage prestop
}

@test "runtime: unknown stage \"poststarts\" is ignored by runc and crun" {
	check_unknown_stage poststarts
}

@test "runtime: unknown stage \"post-start\" is ignored by runc and crun" {
	check_unknown_stage post-start
}

@test "runtime: duplicate stage key: crun keeps the first, runc the last merged into it" {
	write_config '"hooks": {"poststart": [{"path": "'"$HOOK"'", "args": ["hook", "first"]}],
		"poststart": [{"path": "'"$HOOK"'"}]}'
	lint_has HOOK_DUPLICATE_KEY
	# runc keeps the second entry but inherits args from the first (Go slice reuse)
	run_runc
	run_crun
	[ "$RUNC_RC" -eq 0 ]
	[ "$RUNC_MARKS" = "first " ]
	[ "$CRUN_RC" -eq 0 ]
	[ "$CRUN_MARKS" = "first " ]
	write_config '"hooks": {"poststart": [{"path": "'"$HOOK"'", "args": ["hook", "first"]}],
		"poststart": [{"path": "'"$HOOK"'", "args": ["hook2", "second"]}]}'
	run_runc
	run_crun
	[ "$RUNC_MARKS" = "second " ]
	[ "$CRUN_MARKS" = "first " ]
}

@test "runtime: miscased \"Path\": runc runs the hook, crun refuses the config" {
	write_config '"hooks": {"poststart": [{"Path": "'"$HOOK"'", "args": ["hook", "Path"]}]}'
	lint_has HOOK_FIELD_CASE
	run_runc
	run_crun
	[ "$RUNC_RC" -eq 0 ]
	[ "$RUNC_MARKS" = "Path " ]
	[ "$CRUN_RC" -ne 0 ]
	[ -z "$CRUN_MARKS" ]
	grep -q "Required field 'path' not present" "$BATS_FILE_TMPDIR/crun.out"
}

@test "runtime: missing poststart path: runc fails, crun silently carries on" {
	write_config '"hooks": {"poststart": [{"path": "/nonexistent/hook"}],
		"poststop": [{"path": "'"$HOOK"'", "args": ["hook", "poststop"]}]}'
	lint_has HOOK_PATH_MISSING
	run_runc
	run_crun
	[ "$RUNC_RC" -ne 0 ]
	[ "$CRUN_RC" -eq 0 ]
	[ ! -s "$BATS_FILE_TMPDIR/crun.out" ]
}

# ---- podman hooks.d claims ----

podman_run() { # DIR
	(podman image exists localhost/hslint-bb ||
		tar -C "$BATS_FILE_TMPDIR/rootfs" -c . | podman import - localhost/hslint-bb) >/dev/null 2>&1
	rm -f "$MARKS"/*
	PODMAN_RC=0
	timeout 120 podman --runtime runc --cgroup-manager=cgroupfs --hooks-dir "$1" run --rm \
		--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network=none \
		localhost/hslint-bb true > "$BATS_FILE_TMPDIR/podman.out" 2>&1 || PODMAN_RC=$?
	PODMAN_MARKS=$(ls "$MARKS" | tr '\n' ' ')
}

@test "podman: hooks.d claims (missing path dropped, bad stage refuses, empty when never)" {
	command -v podman >/dev/null || skip "podman not installed"
	PODMAN_DIR=$(mktemp -d)
	printf '{"version":"1.0.0","hook":{"path":"%s","args":["h","ok"]},"when":{"always":true},"stages":["poststart"]}' \
		"$HOOK" > "$PODMAN_DIR/a.json"
	run -0 "$HOOKSNOOP" lint "$PODMAN_DIR"
	podman_run "$PODMAN_DIR"
	cat "$BATS_FILE_TMPDIR/podman.out"
	[ "$PODMAN_RC" -eq 0 ]
	[ "$PODMAN_MARKS" = "ok " ]

	printf '{"version":"1.0.0","hook":{"path":"/nonexistent/h"},"when":{"always":true},"stages":["poststart"]}' \
		> "$PODMAN_DIR/b.json"
	run -1 "$HOOKSNOOP" lint --json "$PODMAN_DIR/b.json"
	echo "$output" | jq -e -s 'any(.[]; .code == "HOOKSD_PATH_MISSING")'
	podman_run "$PODMAN_DIR"
	cat "$BATS_FILE_TMPDIR/podman.out"
	[ "$PODMAN_RC" -eq 0 ]
	[ "$PODMAN_MARKS" = "ok " ]

	printf '{"version":"1.0.0","hook":{"path":"%s","args":["h","e"]},"when":{},"stages":["poststart"]}' \
		"$HOOK" > "$PODMAN_DIR/c.json"
	run -1 "$HOOKSNOOP" lint --json "$PODMAN_DIR/c.json"
	echo "$output" | jq -e -s 'any(.[]; .code == "HOOKSD_WHEN_EMPTY")'
	podman_run "$PODMAN_DIR"
	cat "$BATS_FILE_TMPDIR/podman.out"
	[ "$PODMAN_RC" -eq 0 ]
	[ "$PODMAN_MARKS" = "ok " ]

	printf '{"version":"1.0.0","hook":{"path":"%s","args":["h","s"]},"when":{"always":true},"stages":["postStart"]}' \
		"$HOOK" > "$PODMAN_DIR/d.json"
	run -1 "$HOOKSNOOP" lint --json "$PODMAN_DIR/d.json"
	echo "$output" | jq -e -s 'any(.[]; .code == "HOOKSD_STAGE_UNKNOWN")'
	# podman 4.3 quirk: while b.json's missing path is in the same directory, its
	# ErrNotExist is chained into d.json's error and podman ignores both silently
	podman_run "$PODMAN_DIR"
	[ "$PODMAN_RC" -eq 0 ]
	[ "$PODMAN_MARKS" = "ok " ]
	rm "$PODMAN_DIR/b.json"
	podman_run "$PODMAN_DIR"
	cat "$BATS_FILE_TMPDIR/podman.out"
	[ "$PODMAN_RC" -ne 0 ]
	[ -z "$PODMAN_MARKS" ]
	grep -q 'postStart' "$BATS_FILE_TMPDIR/podman.out"
}
