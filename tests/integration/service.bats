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
	[ -n "${SDC:-}" ] && podman rm -f -t 2 "$SDC" >/dev/null 2>&1
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

# exec_start: the unit's ExecStart words, the metrics port 9464 replaced by 0
# (hooksnoop binds a free one and names it) so that the test never collides
# with a hooksnoop the host or another test runs.
exec_start() {
	sed -n 's/^ExecStart=//p' "$UNIT" | sed 's/127\.0\.0\.1:9464/127.0.0.1:0/'
}

# start_unit [WRAP...]: the unit's ExecStart, sandboxed with its capabilities
# (WRAP, e.g. strace, runs inside the sandbox), started the way systemd
# starts a Type=notify service: returns once hooksnoop sent READY=1 to
# $NOTIFY_SOCKET (a listener stands in for systemd). stdout in $U_OUT (the
# journal's part), stderr in $U_ERR, the metrics port in $U_PORT.
start_unit() {
	local start w n=$BATS_TEST_TMPDIR/notify.sock
	grep -qx 'Type=notify' "$UNIT"
	start=$(exec_start)
	[[ "$start" == "$PFX/sbin/hooksnoop --metrics 127.0.0.1:0"* ]]
	w=$(sandbox "$(unit_caps)")
	sed -i "s|\"$HS\" |$* |" "$w"
	U_OUT=$BATS_TEST_TMPDIR/unit.out
	U_ERR=$BATS_TEST_TMPDIR/unit.err
	U_READY=$BATS_TEST_TMPDIR/ready
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
print(s.recv(4096).decode(), flush=True)' "$n" > "$U_READY" &
	for _ in $(seq 100); do [ -S "$n" ] && break; sleep 0.05; done
	: > "$U_OUT"
	: > "$U_ERR"
	# shellcheck disable=SC2086
	NOTIFY_SOCKET=$n "$w" $start > "$U_OUT" 2> "$U_ERR" &
	HS_PID=$!
	for _ in $(seq 600); do
		U_PORT=$(sed -n 's|^hooksnoop: metrics at http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$U_ERR")
		grep -qx READY=1 "$U_READY" && [ -n "$U_PORT" ] && return 0
		kill -0 "$HS_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$U_ERR" >&2
	return 1
}

# stop_unit: KillSignal=SIGINT to hooksnoop (the sandbox's last exec; under
# strace, strace's child), within TimeoutStopSec; its exit status in $U_RC.
stop_unit() {
	local hs=$HS_PID c
	c=$(pgrep -P "$HS_PID" | head -1)
	[ -n "$c" ] && hs=$c
	kill -INT "$hs"
	timeout "$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s$/\1/p' "$UNIT")" \
		tail --pid="$HS_PID" -f /dev/null
	U_RC=0
	wait "$HS_PID" || U_RC=$?
	HS_PID=
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

@test "the unit's ExecStart, sandboxed: serves /metrics, journals a runc container's timeline, stops on SIGINT" {
	CID=$(tid)
	B=$BATS_TEST_TMPDIR/b
	mkb "$B" "$(hooks_json "$CID")"
	start_unit
	run_runc "$B" "$CID" >/dev/null
	# the timeline reaches the journal (stdout) while the service runs
	for _ in $(seq 100); do
		grep -q "== container $CID (runc) deleted" "$U_OUT" && break
		sleep 0.05
	done
	# the metrics snapshot is republished at most every 100 ms
	for _ in $(seq 60); do
		curl -sf "http://127.0.0.1:$U_PORT/metrics" > "$BATS_TEST_TMPDIR/metrics"
		grep -q '^hooksnoop_hooks_total{runtime="runc",stage="poststart",status="ok"}' \
			"$BATS_TEST_TMPDIR/metrics" && break
		sleep 0.1
	done
	stop_unit
	cat "$U_OUT"
	[ "$U_RC" -eq 0 ]
	grep -q "== container $CID (runc) deleted, verdict: ok" "$U_OUT"
	for st in $STAGES; do
		grep -qE "^ +$st +1 +1 +0 " "$U_OUT"
	done
	# read through /proc/PID/root from the sandbox, host runtime not nested
	blk=$(awk -v h="== container $CID " 'index($0, h) == 1 { p = 1; print; next }
		/^== container / { p = 0 } p' "$U_OUT")
	[ -n "$blk" ]
	! grep -q 'configuration:\|nested:' <<< "$blk"
	grep -E '^hooksnoop_hooks_total\{runtime="runc",stage="poststart",status="ok"\} [1-9]' "$BATS_TEST_TMPDIR/metrics"
	grep -q '^hooksnoop_build_info{' "$BATS_TEST_TMPDIR/metrics"
}

# systemd as PID 1: a podman container on an overlay of this machine's own
# root (nothing written reaches the host), booted into an empty target, with
# the installed unit bound in. Its pid namespace is not the host's, so
# hooksnoop there cannot open the host runtimes' /proc entries (stages come
# out unknown): what this checks is systemd's side -- READY=1, the sandbox
# systemd really applies, tracing under its seccomp filter, a clean stop.
@test "under systemd 252 as PID 1: notify start, the unit's capabilities and filters, /metrics, clean stop" {
	SDC=pkg$$-systemd
	printf '[Unit]\nDescription=empty\n' > "$BATS_TEST_TMPDIR/empty.target"
	# installed as make install does by default (PrivateTmp= hides /tmp from it)
	D=$BATS_TEST_TMPDIR/dest
	make -s -C "$ROOT" install DESTDIR="$D"
	podman --runtime runc --cgroup-manager=cgroupfs run -d --name "$SDC" --privileged \
		--network=none --systemd=always --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
		--tmpfs /tmp:rw,notmpcopyup --tmpfs /run:rw,notmpcopyup \
		-v "$D/usr/local/sbin/hooksnoop:/usr/local/sbin/hooksnoop:ro" \
		-v "$D/usr/local/lib/systemd/system/hooksnoop.service:/usr/local/lib/systemd/system/hooksnoop.service:ro" \
		-v "$BATS_TEST_TMPDIR/empty.target:/etc/systemd/system/empty.target:ro" \
		--rootfs /:O /lib/systemd/systemd --unit=empty.target >/dev/null
	sd() { podman exec "$SDC" "$@"; }
	for _ in $(seq 100); do
		[ "$(sd systemctl is-system-running 2>/dev/null)" = running ] && break
		sleep 0.1
	done
	# Type=notify: start returns once READY=1 came, i.e. the programs are attached
	sd timeout 60 systemctl start hooksnoop || { sd journalctl -u hooksnoop --no-pager; sd systemctl status hooksnoop; false; }
	[ "$(sd systemctl show -p ActiveState --value hooksnoop)" = active ]
	# make install's default unit directory is on systemd's search path
	[ "$(sd systemctl show -p FragmentPath --value hooksnoop)" = \
		/usr/local/lib/systemd/system/hooksnoop.service ]
	pid=$(sd systemctl show -p MainPID --value hooksnoop)
	sd cat "/proc/$pid/status" > "$BATS_TEST_TMPDIR/status"
	# CAP_DAC_READ_SEARCH (2), CAP_SYS_PTRACE (19), CAP_PERFMON (38), CAP_BPF (39), nothing else
	for f in CapPrm CapEff CapBnd; do
		grep -qx "$f:	000000c000080004" "$BATS_TEST_TMPDIR/status"
	done
	grep -qx "NoNewPrivs:	1" "$BATS_TEST_TMPDIR/status"
	grep -qx "Seccomp:	2" "$BATS_TEST_TMPDIR/status"
	# RuntimeDirectory=: the first start on this (fresh) /run cut the kernel BTF
	# for the next one, under the unit's filters and capabilities
	for _ in $(seq 100); do
		sd sh -c 'ls /run/hooksnoop/core-*.btf' >/dev/null 2>&1 && break
		sleep 0.05
	done
	sd sh -c 'bpftool btf dump file /run/hooksnoop/core-*.btf' | grep -q "STRUCT 'task_struct'"
	[ "$(sd stat -c '%u %a' /run/hooksnoop)" = "0 700" ]
	# a host runc container with hooks: seen through BPF under the filter
	CID=$(tid)
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")"
	run_runc "$BATS_TEST_TMPDIR/b" "$CID" >/dev/null
	for _ in $(seq 60); do
		sd curl -sf http://127.0.0.1:9464/metrics > "$BATS_TEST_TMPDIR/metrics" || true
		grep -qE '^hooksnoop_hooks_total\{runtime="runc",[^}]*\} [1-9]' "$BATS_TEST_TMPDIR/metrics" && break
		sleep 0.1
	done
	grep -E '^hooksnoop_hooks_total\{runtime="runc",[^}]*\} [1-9]' "$BATS_TEST_TMPDIR/metrics"
	sd journalctl -u hooksnoop --no-pager | grep -q "$CID"
	# KillSignal=SIGINT: hooksnoop ends tracing and exits 0, not "failed"
	sd systemctl stop hooksnoop
	[ "$(sd systemctl show -p Result --value hooksnoop)" = success ]
	[ "$(sd systemctl show -p ExecMainStatus --value hooksnoop)" = 0 ]
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
	# the unit's ExecStart under strace inside the sandbox: only hooksnoop and
	# its threads are traced after strace's own execve
	start_unit strace -f -qq -e signal=none -o "$S"
	HS=$PFX/sbin/hooksnoop
	run_runc "$B" "$CID" >/dev/null
	for _ in $(seq 60); do
		curl -sf "http://127.0.0.1:$U_PORT/metrics" | grep -q '^hooksnoop_hooks_total{runtime="runc"' &&
			break
		sleep 0.1
	done
	# a client that sends garbage, one that sends nothing
	printf 'GARBAGE\r\n\r\n' | timeout 5 bash -c "cat > /dev/tcp/127.0.0.1/$U_PORT" || true
	timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$U_PORT; sleep 2" || true
	for _ in $(seq 100); do
		grep -q "== container $CID (runc) deleted" "$U_OUT" && break
		sleep 0.05
	done
	stop_unit
	[ "$U_RC" -eq 0 ]
	grep -q "== container $CID (runc) deleted, verdict: ok" "$U_OUT"
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
	# every socket's family is allowed (the metrics listener's among them)
	grep -q 'socket(AF_INET' "$S.hs"
	fams=$(sed -n 's/^RestrictAddressFamilies=//p' "$UNIT")
	grep -oE 'socket\(AF_[A-Z0-9]+' "$S.hs" | sed 's/socket(//' | sort -u | while read -r f; do
		echo "socket family $f"
		[[ " $fams " == *" $f "* ]]
	done
	# MemoryDenyWriteExecute: no writable+executable mapping, no mprotect to exec
	! grep -E 'mmap\(.*PROT_WRITE\|PROT_EXEC|mmap\(.*PROT_EXEC\|PROT_WRITE' "$S.hs"
	! grep -E 'mprotect\(.*PROT_EXEC' "$S.hs"
	# ProcSubset=pid: /proc opened only for processes (libbpf's optional
	# Ubuntu /proc/version_signature aside: absent elsewhere, it copes; and
	# glibc's /proc/sys/vm/overcommit_memory, read when a thread's malloc
	# arena shrinks - the attach thread's after it loaded the late programs;
	# absent under ProcSubset=pid, glibc releases the pages with madvise)
	! grep -oE '"/proc/[^"]*"' "$S.hs" |
		grep -vE '^"/proc/([0-9]+|self|thread-self)(/|")|^"/proc/version_signature"$|^"/proc/sys/vm/overcommit_memory"$'
}
