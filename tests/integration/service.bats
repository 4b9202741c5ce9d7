#!/usr/bin/env bats
# hooksnoop.service: systemd accepts the unit, and the capability set it
# grants is the measured minimum. systemd is not PID 1 on these machines, so
# the unit's sandbox is reproduced where it matters: a mount namespace of
# its own (ProtectSystem= and friends give it one), no new privileges, and
# exactly the unit's CapabilityBoundingSet (a root service's permitted and
# effective sets are its bounding set), against a real runc container with
# a hook in every stage.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	# A real prefix (no DESTDIR): the unit's ExecStart names an existing file.
	export PFX=$BATS_FILE_TMPDIR/prefix
	make -s -C "$ROOT" install PREFIX="$PFX"
	export UNIT=$PFX/lib/systemd/system/hooksnoop.service
}

teardown() {
	hs_teardown
	[ -n "${CID:-}" ] && cleanup_ctr "$CID"
	true
}

# unit_caps: the unit's CapabilityBoundingSet as setpriv's "+bpf,+perfmon,...".
unit_caps() {
	sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr ' ' '\n' | grep . |
		sed 's/^CAP_//' | tr 'A-Z' 'a-z' | sed 's/^/+/' | paste -sd,
}

# sandbox CAPS: a wrapper script running hooksnoop with its arguments as the
# unit would: own mount namespace, no new privileges, bounding set = CAPS.
sandbox() {
	cat > "$BATS_TEST_TMPDIR/sandboxed" <<-EOS
	#!/bin/sh
	exec unshare -m --propagation slave setpriv --inh-caps=-all --no-new-privs \
		--bounding-set=-all,$1 "$HS" "\$@"
	EOS
	chmod +x "$BATS_TEST_TMPDIR/sandboxed"
	echo "$BATS_TEST_TMPDIR/sandboxed"
}

# trace_runc CAPS [CHOWN]: hooksnoop sandboxed with CAPS traces a runc
# container with a hook in every stage (its bundle owned by CHOWN, mode 0700,
# when given); its container record in $REC.
trace_runc() {
	CID=$(tid)
	B=$BATS_TEST_TMPDIR/b
	mkb "$B" "$(hooks_json "$CID")"
	if [ -n "${2:-}" ]; then
		chown -R "$2" "$B"
		chmod 0700 "$B"
	fi
	HS=$(sandbox "$1") hs_start -c "$CID"
	grep CapEff "/proc/$HS_PID/status" > "$BATS_TEST_TMPDIR/capeff"
	run_runc "$B" "$CID" >/dev/null
	hs_stop
	REC=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)')
	echo "$REC"
}

@test "systemd-analyze verify: the installed unit is clean (binary and man page found)" {
	grep -qx "ExecStart=$PFX/sbin/hooksnoop .*" "$UNIT"
	run env MANPATH="$PFX/share/man" systemd-analyze verify "$UNIT"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# and it does fail on a broken unit: a missing binary, a missing page
	sed "s|^ExecStart=$PFX/sbin/|ExecStart=$PFX/nonexistent/|" "$UNIT" > "$BATS_TEST_TMPDIR/hooksnoop.service"
	run env MANPATH="$PFX/share/man" systemd-analyze verify "$BATS_TEST_TMPDIR/hooksnoop.service"
	[ "$status" -ne 0 ]
	run env MANPATH="$BATS_TEST_TMPDIR" systemd-analyze verify "$UNIT"
	[ "$status" -ne 0 ]
}

@test "systemd-analyze security: exposure at most 3.0 (OK)" {
	run systemd-analyze security --offline=yes --threshold=30 "$UNIT"
	echo "$output" | tail -1
	[ "$status" -eq 0 ]
}

@test "the unit's capabilities are enough: every hook of a runc container attributed" {
	caps=$(unit_caps)
	[ "$caps" = "+bpf,+perfmon,+sys_ptrace,+dac_read_search" ]
	trace_runc "$caps"
	c=$REC
	# really sandboxed: another mount namespace, only the unit's capabilities
	[ "$(awk '/^CapEff/ {print $2}' "$BATS_TEST_TMPDIR/capeff")" = 000000c000080004 ]
	[ "$(echo "$c" | jq -r .configuration)" = ok ]
	[ "$(echo "$c" | jq -r .verdict)" = ok ]
	[ "$(echo "$c" | jq -c .nested)" = null ]
	[ "$(echo "$c" | jq -c '[.stages[].fired]')" = "[1,1,1,1,1,1]" ]
	[ "$(q --arg c "$CID" 'select(.type=="hook" and .container==$c and .inferred==false)' | wc -l)" = 6 ]
}

@test "CAP_BPF and CAP_PERFMON are needed: without either, one line and exit 1" {
	for caps in +perfmon,+sys_ptrace,+dac_read_search +bpf,+sys_ptrace,+dac_read_search; do
		run -1 "$(sandbox "$caps")" -d 1
		echo "$output"
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"CAP_BPF and CAP_PERFMON"* ]]
	done
}

@test "CAP_SYS_PTRACE is needed: without it the runtime's root cannot be opened, stages are inferred" {
	trace_runc +bpf,+perfmon,+dac_read_search
	c=$REC
	[[ "$(echo "$c" | jq -r .configuration)" == *"needs CAP_SYS_PTRACE"* ]]
	[ "$(q --arg c "$CID" 'select(.type=="hook" and .container==$c and .inferred==false)' | wc -l)" = 0 ]
}

@test "CAP_DAC_READ_SEARCH is needed: a bundle another user owns (0700) is read only with it" {
	trace_runc +bpf,+perfmon,+sys_ptrace nobody
	c=$REC
	[[ "$(echo "$c" | jq -r .configuration)" == *"Permission denied"* ]]
	cleanup_ctr "$CID"
	trace_runc "$(unit_caps)" nobody
	c=$REC
	[ "$(echo "$c" | jq -r .configuration)" = ok ]
	[ "$(echo "$c" | jq -c '[.stages[].fired]')" = "[1,1,1,1,1,1]" ]
}

# filter_expand NAME...: the system calls systemd's filter sets name, recursively.
filter_expand() {
	local s
	for s in "$@"; do
		case $s in
		@*) filter_expand $(systemd-analyze syscall-filter "$s" | sed -n '2,$p' |
			sed 's/^ *//; s/#.*//' | grep -v '^$') ;;
		*) echo "$s" ;;
		esac
	done
}

@test "SystemCallFilter, RestrictAddressFamilies, MemoryDenyWriteExecute, ProcSubset fit what hooksnoop does" {
	CID=$(tid)
	B=$BATS_TEST_TMPDIR/b
	mkb "$B" "$(hooks_json "$CID")"
	S=$BATS_TEST_TMPDIR/strace
	# hooksnoop as the unit runs it, under strace (inside the sandbox, so
	# only hooksnoop and its threads are traced after strace's own execve)
	w=$(sandbox "$(unit_caps)")
	sed -i "s|\"$HS\"|strace -f -qq -e signal=none -o $S \"$HS\"|" "$w"
	"$w" -v -c "$CID" -d 10 > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	P=$!
	for _ in $(seq 300); do
		grep -q "debug: tracing" "$BATS_TEST_TMPDIR/err" && break
		sleep 0.05
	done
	run_runc "$B" "$CID" >/dev/null
	wait "$P"
	grep -q "== container $CID (runc) deleted, verdict: ok" "$BATS_TEST_TMPDIR/out"
	# hooksnoop's system calls: everything after its execve
	awk -v hs="execve(\"$HS\"" 'found; index($0, hs) { found = 1 }' "$S" > "$S.hs"
	[ -s "$S.hs" ]
	sed -E 's/^[0-9]+ +//' "$S.hs" | grep -oE '^[a-z_0-9]+\(' | tr -d '(' | sort -u > "$S.used"
	filter_expand $(sed -n 's/^SystemCallFilter=//p' "$UNIT") | sort -u > "$S.allowed"
	grep -qx bpf "$S.allowed"
	grep -qx bpf "$S.used"
	grep -qx perf_event_open "$S.used"
	echo "outside SystemCallFilter: $(comm -23 "$S.used" "$S.allowed" | tr '\n' ' ')"
	[ -z "$(comm -23 "$S.used" "$S.allowed")" ]
	# every socket's family is allowed
	fams=$(sed -n 's/^RestrictAddressFamilies=//p' "$UNIT")
	grep -oE 'socket\(AF_[A-Z0-9]+' "$S.hs" | sed 's/socket(//' | sort -u | while read -r f; do
		echo "socket family $f"
		[[ " $fams " == *" $f "* ]]
	done
	# MemoryDenyWriteExecute: no writable+executable mapping, no mprotect to exec
	! grep -E 'mmap\(.*PROT_WRITE\|PROT_EXEC|mmap\(.*PROT_EXEC\|PROT_WRITE' "$S.hs"
	! grep -E 'mprotect\(.*PROT_EXEC' "$S.hs"
	# ProcSubset=pid: /proc opened only for processes (libbpf's optional
	# Ubuntu /proc/version_signature aside: absent elsewhere, it copes)
	! grep -oE '"/proc/[^"]*"' "$S.hs" | grep -vE '^"/proc/([0-9]+|self|thread-self)(/|")|^"/proc/version_signature"$'
}
