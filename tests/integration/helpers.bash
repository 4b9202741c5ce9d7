# Shared helpers for the integration tests (bats). Real runtimes, real BPF:
# these run as root. A missing capability fails the test, never skips it.

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HS=${HOOKSNOOP:-$ROOT/build/hooksnoop}
HOOK_CMD="cat >/dev/null"
STAGES="prestart createRuntime createContainer startContainer poststart poststop"

# Unique per test so concurrent runtimes on the host never match our asserts.
tid() { echo "hst$$-${BATS_TEST_NUMBER}${1:-}"; }

# hs_start ARGS... : start hooksnoop -j in the background, wait until attached.
hs_start() {
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	HS_ERR=$BATS_TEST_TMPDIR/hs.err
	"$HS" -v -a -j -o "$HS_OUT" "$@" 2>"$HS_ERR" &
	HS_PID=$!
	# tracing, and (live mode) the failed-exec and capture programs loaded
	for _ in $(seq 200); do
		grep -q "debug: tracing" "$HS_ERR" 2>/dev/null &&
			grep -q "capture programs loaded\|cannot load the failed-exec" "$HS_ERR" &&
			return 0
		kill -0 "$HS_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "hooksnoop did not start:" >&2
	cat "$HS_ERR" >&2
	return 1
}

hs_stop() {
	kill -INT "$HS_PID"
	wait "$HS_PID"
	HS_RC=$?
	HS_PID=
}

hs_teardown() {
	if [ -n "${HS_PID:-}" ]; then
		kill -INT "$HS_PID" 2>/dev/null || true
		wait "$HS_PID" 2>/dev/null || true
	fi
}

# hooks_json MARK [STAGE=ARGSCMD]... : one /bin/sh hook per stage whose last
# argv element is "MARK-STAGE"; the hook runs `sh -c CMD` (default: $HOOK_CMD).
# The default reads the state JSON the runtime writes on stdin: crun fails the
# operation with EPIPE when a hook exits before it has written it.
hooks_json() {
	mark=$1
	shift
	out="{"
	sep=""
	for st in $STAGES; do
		cmd=$HOOK_CMD
		for ov in "$@"; do
			case $ov in "$st="*) cmd=${ov#"$st="} ;; esac
		done
		path=/bin/sh
		[ "$st" = startContainer ] && path=/bin/sh # resolved inside the busybox rootfs
		out="$out$sep\"$st\":[{\"path\":\"$path\",\"args\":[\"sh\",\"-c\",$(printf '%s' "$cmd" | jq -Rs .),\"$mark-$st\"]}]"
		sep=","
	done
	echo "$out}"
}

mkb() { # DIR HOOKS_JSON CMD
	"$ROOT/tools/mkbundle" -c "${3:-true}" -H "$2" "$1" >/dev/null
}

run_runc() { # BUNDLE ID
	runc run -b "$1" "$2" </dev/null
}

run_crun() { # BUNDLE ID
	"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$1" "$2" </dev/null
}

cleanup_ctr() { # ID
	runc delete -f "$1" >/dev/null 2>&1 || true
	"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled delete -f "$1" >/dev/null 2>&1 || true
}

# jq over the records of the last run
q() { jq -c "$@" "$HS_OUT"; }
