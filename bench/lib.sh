# Shared helpers for the benchmarks (sourced by bench/*). Root required.
#
# Conventions: every script makes a private $TMP (bench_init), registers what
# it starts so the EXIT trap stops it, prints its figures on stdout and exits
# non-zero (die) when it could not measure. Scale knobs are environment
# variables documented in each script and in BENCHMARKS.md.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# BENCH_BUILD: the build directory (make OUTPUT=...) holding the helpers
BUILD=${BENCH_BUILD:-$ROOT/build}
HS=${HOOKSNOOP:-$BUILD/hooksnoop}
STORM=$BUILD/tests/execstorm
NOP=$BUILD/tests/nop
STARTLAT=$BUILD/bench/startlat
SYSCALL_LOOP=$BUILD/bench/syscall-loop
FLOOR=$BUILD/bench/floor
FLOOR_OBJ=$BUILD/bench/floor.bpf.o
CTR_RUN=$ROOT/bench/ctr-run
STAGES="prestart createRuntime createContainer startContainer poststart poststop"

die() {
	echo "bench: $(basename "$0"): $*" >&2
	exit 1
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (BPF)"
	[ -x "$HS" ] && [ -x "$STORM" ] && [ -x "$NOP" ] || die "build first: make all unit"
	for c in bpftool jq bc; do
		command -v $c >/dev/null || die "$c missing: tools/install-deps"
	done
}

# bench_init: private scratch dir and the EXIT trap (stop tools, restore the
# bpf_stats sysctl, remove leftover containers, remove $TMP).
bench_init() {
	TMP=$(mktemp -d /tmp/hsbench.XXXXXX)
	TOOLS=""
	STATS_OLD=""
	CTR_PREFIXES=""
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

bench_cleanup() {
	local t p
	for t in $TOOLS; do
		[ -f "$TMP/$t.pid" ] && stop_tool "$t"
	done
	[ -n "$STATS_OLD" ] && sysctl -q kernel.bpf_stats_enabled="$STATS_OLD"
	for p in $CTR_PREFIXES; do
		ctr_cleanup "$p"
	done
	[ -n "${KEEP_TMP:-}" ] && echo "bench: kept $TMP" >&2 || rm -rf "$TMP"
}

# bpf_stats 0|1 : set kernel.bpf_stats_enabled, restored at exit
bpf_stats() {
	[ -n "$STATS_OLD" ] || STATS_OLD=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -q kernel.bpf_stats_enabled="$1" || die "cannot set kernel.bpf_stats_enabled"
}

now() { date +%s.%N; }
# elapsed T0 : seconds since T0 (from now)
elapsed() { echo "$(now) - $1" | bc -l; }
calc() { echo "$*" | bc -l; }
fmt() { printf "%.${2:-1}f" "$1"; }

# ids of the BPF programs / maps a process holds (its fds and links), one a line.
# Per process rather than "new ids since": other tools (or tests) may load
# programs at the same time on a shared machine.
pid_prog_ids() { grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un; }
pid_map_ids() { grep -h '^map_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un; }

# start_tool NAME CMD... : start CMD in the background (stdout NAME.out, stderr
# NAME.err), wait until it holds MIN_PROGS programs and, when READY_RE is set,
# until NAME.out or NAME.err matches it (else a short settle for attach).
# Remembers its pid (NAME.pid) and program ids (NAME.ids).
start_tool() {
	local name=$1 i=0 pid n
	shift
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	pid=$!
	echo "$pid" >"$TMP/$name.pid"
	TOOLS="$TOOLS $name"
	while [ $i -lt 600 ]; do
		pid_prog_ids "$pid" >"$TMP/$name.ids"
		n=$(wc -l <"$TMP/$name.ids")
		if [ "$n" -ge "${MIN_PROGS:-1}" ]; then
			if [ -z "${READY_RE:-}" ]; then
				sleep 0.3 # programs load before they attach
				pid_prog_ids "$pid" >"$TMP/$name.ids"
				return 0
			fi
			if grep -qE "$READY_RE" "$TMP/$name.out" "$TMP/$name.err" 2>/dev/null; then
				pid_prog_ids "$pid" >"$TMP/$name.ids"
				return 0
			fi
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
		i=$((i + 1))
	done
	cat "$TMP/$name.err" >&2
	die "$name did not start (no programs loaded / not ready)"
}

tool_pid() { cat "$TMP/$1.pid"; }

# stop_tool NAME : SIGINT and wait (SIGKILL after 30 s); keeps NAME.out/err
stop_tool() {
	local pid i=0
	pid=$(cat "$TMP/$1.pid" 2>/dev/null) || return 0
	rm -f "$TMP/$1.pid"
	TOOLS=$(echo "$TOOLS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
	kill -INT "$pid" 2>/dev/null || return 0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

# snap FILE : one snapshot of every program's run_time_ns / run_cnt, so all
# tools' windows are cut by the same bpftool call
snap() { bpftool prog show -j >"$1" || die "bpftool prog show failed"; }

# cost NAME SNAP0 SNAP1 : "run_time_ns run_cnt" deltas summed over NAME's programs
cost() {
	jq -rn --slurpfile a "$2" --slurpfile b "$3" --rawfile ids "$TMP/$1.ids" '
		($ids | split("\n") | map(select(length > 0) | tonumber)) as $ids
		| def pick(s): [s[] | select(.id as $i | $ids | index($i))]
		    | map({key: (.id | tostring), value: .}) | from_entries;
		pick($a[0]) as $x | pick($b[0]) as $y
		| [$y | to_entries[] | .value as $v | ($x[.key] // {}) as $o
		   | [($v.run_time_ns // 0) - ($o.run_time_ns // 0), ($v.run_cnt // 0) - ($o.run_cnt // 0)]]
		| "\(map(.[0]) | add // 0) \(map(.[1]) | add // 0)"'
}

# cost_by_prog NAME SNAP0 SNAP1 : "name run_time_ns run_cnt" delta per program
cost_by_prog() {
	jq -rn --slurpfile a "$2" --slurpfile b "$3" --rawfile ids "$TMP/$1.ids" '
		($ids | split("\n") | map(select(length > 0) | tonumber)) as $ids
		| ($a[0] | map({key: (.id | tostring), value: .}) | from_entries) as $x
		| $b[0][] | select(.id as $i | $ids | index($i))
		| . as $v | ($x[.id | tostring] // {}) as $o
		| "\(.name) \(($v.run_time_ns // 0) - ($o.run_time_ns // 0)) \(($v.run_cnt // 0) - ($o.run_cnt // 0))"'
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) exit 1; print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { sort -g | awk -v f="${1:-%.4g}" 'NR==1{mn=$1} {mx=$1} END {if (NR==0) exit 1; printf f ".." f, mn, mx}'; }

mount_tracefs() {
	[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing ||
		die "cannot mount tracefs (needed by execsnoop)"
}

need_peers() {
	command -v execsnoop >/dev/null || die "execsnoop missing: tools/install-deps (libbpf-tools)"
	command -v bpftrace >/dev/null || die "bpftrace missing: tools/install-deps"
	[ -r /usr/sbin/execsnoop.bt ] || die "/usr/sbin/execsnoop.bt missing (bpftrace)"
}

# Note other tracers / test runs on the machine: their work perturbs timings.
busy_note() {
	local o
	local mine="" t
	for t in $TOOLS; do mine="$mine $(cat "$TMP/$t.pid" 2>/dev/null)"; done
	o=$(ps -eo pid=,comm= | awk -v mine="$mine " '
		$2 ~ /^(hooksnoop|execsnoop|bpftrace|bats|floor)$/ && index(mine, " " $1 " ") == 0 {print $2}' |
		sort | uniq -c | tr -s ' \n' ' ')
	[ -n "$o" ] && echo "note: other tracers/tests running during this benchmark:$o (load $(cut -d' ' -f1-3 /proc/loadavg))"
	return 0
}

# ---- processes -------------------------------------------------------------

# rss PID : "VmRSS VmHWM" in KiB
# bss_map_id PID : id of the .bss map PID's hooksnoop holds (empty if none)
bss_map_id() {
	local ids
	ids=$(pid_map_ids "$1")
	[ -n "$ids" ] || return 0
	bpftool map show -j | jq -r --arg ids "$ids" '
		($ids | split("\n") | map(select(length > 0) | tonumber)) as $ids
		| [.[] | select((.id as $i | $ids | index($i)) and (.name | endswith(".bss")))][0].id // empty'
}

# bss_counts MAP_ID : "tracked_now runtimes_now" from hooksnoop's .bss ("? ?" if unreadable)
bss_counts() {
	[ -n "$1" ] || { echo "? ?"; return; }
	bpftool map dump id "$1" -j 2>/dev/null | jq -r '
		[.[0].formatted.value[".bss"][]? | to_entries[]] | from_entries
		| "\(.tracked_now // "?") \(.runtimes_now // "?")"' 2>/dev/null | grep . || echo "? ?"
}

rss() { awk '/^VmRSS:/{r=$2} /^VmHWM:/{h=$2} END {print r+0, h+0}' /proc/"$1"/status; }

# cpu_us PID : CPU time PID has run, in microseconds (scheduler accounting,
# /proc/PID/schedstat: nanosecond resolution, all threads of the process)
cpu_us() {
	local t ns=0 a
	for t in /proc/"$1"/task/*; do
		read -r a _ <"$t/schedstat" && ns=$((ns + a))
	done
	echo $((ns / 1000))
}

# stats_line NAME : hooksnoop's HOOKSNOOP_STATS JSON line from NAME.err
stats_line() {
	grep -h '^{"type":"stats"' "$TMP/$1.err" | tail -1 | grep . || die "$1: no HOOKSNOOP_STATS line"
}

# seeded NAME : processes hooksnoop seeded from /proc (needs -v): synthetic
# records counted as delivered but never emitted by the kernel
seeded() {
	sed -n 's/.*debug: seeded \([0-9]*\) .*/\1/p' "$TMP/$1.err" | tail -1 | grep . || echo 0
}

# hs_start NAME [ARGS...] : hooksnoop -v ARGS in the background, ready once it
# says "debug: tracing" (attached). Env for the tool goes through HS_ENV.
hs_start() {
	local name=$1
	shift
	MIN_PROGS=4 READY_RE='debug: tracing' start_tool "$name" env ${HS_ENV:-} "$HS" -v "$@"
}

# ---- syscall tracepoints ---------------------------------------------------------

# sys_tps PID : syscall tracepoints PID holds (from bpftool's perf-event list)
sys_tps() { bpftool perf list 2>/dev/null | awk -v p="$1" '$2 == p && / sys_(enter|exit)/' | wc -l; }

# foreign : true when a process other than ours holds a syscall tracepoint:
# one held anywhere puts every task, our loop too, on the slow path
foreign() {
	local mine="" t
	for t in $TOOLS; do mine="$mine $(cat "$TMP/$t.pid" 2>/dev/null)"; done
	bpftool perf list 2>/dev/null | awk -v mine="$mine " '
		/ sys_(enter|exit)/ && index(mine, " " $2 " ") == 0 {f = 1} END {exit !f}'
}

# tp_held PID NAME : PID holds the classic tracepoint syscalls:NAME
tp_held() {
	bpftool perf list 2>/dev/null | awk -v p="$1" -v n="$2" '$2 == p && $NF == n {f = 1} END {exit !f}'
}

# wait_tp held|gone NAME : until hooksnoop (tool "hooksnoop") holds / no
# longer holds syscalls:NAME (up to 20 s: a closed perf event goes after
# RCU grace periods)
wait_tp() {
	local i
	for i in $(seq 400); do
		if tp_held "$(tool_pid hooksnoop)" "$2"; then
			[ "$1" = held ] && return 0
		else
			[ "$1" = gone ] && return 0
		fi
		sleep 0.05
	done
	die "hooksnoop: syscalls:$2 not $1 after 20 s"
}

# fake_hook_start : a runtime root that runs one long hook: a copy of sh
# named runc whose child execs sleep (a runtime child's exec of another
# binary is a hook). Its process group id in $TMP/hook.pid; fake_hook_stop.
fake_hook_start() {
	mkdir -p "$TMP/hk"
	cp /bin/sh "$TMP/hk/runc"
	setsid "$TMP/hk/runc" -c 'sleep 3600; :' </dev/null >/dev/null 2>&1 &
	echo $! >"$TMP/hook.pid"
}

fake_hook_stop() {
	local p
	p=$(cat "$TMP/hook.pid" 2>/dev/null) || return 0
	kill -- "-$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rm -f "$TMP/hook.pid"
}

# wait_attached : hooksnoop (tool "hooksnoop", -v) says it attached the
# failed-exec tracepoints, and the hook I/O capture with them
wait_attached() {
	local i
	# the steady state: moved from raw sys_exit to sys_exit_execve(at)
	for i in $(seq 500); do
		grep -q 'failed-exec tracepoint moved' "$TMP/hooksnoop.err" && return 0
		sleep 0.02
	done
	die "hooksnoop did not attach its failed-exec tracepoint for a live runtime"
}

# ---- bundles and container storms ---------------------------------------------

# hooks_json MARK CMD K [EXTRA_ARG...] : K /bin/sh hooks per stage (all six),
# args ["sh","-c",CMD,"MARK-STAGE",EXTRA...] (argv[3] names the stage).
hooks_json() {
	local mark=$1 cmd=$2 k=$3
	shift 3
	printf '%s\n' "$@" | jq -R . | jq -sc --arg m "$mark" --arg cmd "$cmd" --argjson k "$k" \
		--arg st "$STAGES" '
		map(select(length > 0)) as $extra
		| [$st | splits(" ") | {key: ., value: [range($k) as $i
		    | {path: "/bin/sh", args: (["sh", "-c", $cmd, ($m + "-" + .)] + $extra)}] }]
		| from_entries'
}

# hooks6_json MARK CMD : one hook per stage
hooks6_json() { hooks_json "$1" "$2" 1; }

# mkhookbundle DIR HOOKS_JSON : busybox bundle, container process `true`
mkhookbundle() {
	"$ROOT/tools/mkbundle" -c true -H "$2" "$1" >/dev/null || die "mkbundle failed"
}

# storm RUNTIME BUNDLE PREFIX N PAR : N `RUNTIME run` of BUNDLE, PAR at a time,
# ids PREFIX1..PREFIXN. Prints the wall time in seconds; non-zero if any failed.
# The CPU used by the storm's processes (all reaped) is appended to $TMP/storm.cpu.
storm() {
	local rt=$1 b=$2 p=$3 n=$4 par=$5 t0 rc
	CTR_PREFIXES="$CTR_PREFIXES $p"
	t0=$(now)
	# shellcheck disable=SC2016
	seq "$n" | sed "s/^/$p/" | CTR_ERR="$TMP/ctr.err" bash -c \
		'xargs -P "$1" -n1 "$2" "$3" "$4"; rc=$?; times >"$5"; exit $rc' \
		sh "$par" "$CTR_RUN" "$rt" "$b" "$TMP/storm.times"
	rc=$?
	elapsed "$t0"
	# `times`: the shell's own, then its children's (all reaped) user and system time
	awk 'END { for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] } print s }' \
		"$TMP/storm.times" >>"$TMP/storm.cpu"
	return $rc
}

# ctr_cleanup PREFIX : delete leftover containers of a failed storm
ctr_cleanup() {
	local id
	for id in $(runc list -q 2>/dev/null | grep "^$1"); do
		runc delete -f "$id" >/dev/null 2>&1
	done
	for id in $("$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled list -q 2>/dev/null | grep "^$1"); do
		"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled delete -f "$id" >/dev/null 2>&1
	done
	return 0
}

# check_timelines JSONL PREFIX N RUNTIME MARK : for containers PREFIX1..PREFIXN
# print "ok ID" or "bad ID: reasons". A correct timeline: one container record
# (runtime, verdict ok, not lost, each stage configured 1 / fired 1 / failed 0,
# container process exit 0) and exactly one hook record per stage (index 0,
# not inferred, status ok, exit 0, argv[3] == MARK-STAGE, so the stage
# attribution is right), with times in lifecycle order.
check_timelines() {
	jq -rs --arg p "$2" --argjson n "$3" --arg rt "$4" --arg m "$5" '
		def stages: ["prestart","createRuntime","createContainer","startContainer","poststart","poststop"];
		def byid: group_by(.container) | map({key: .[0].container, value: .}) | from_entries;
		[.[] | select((.container | type) == "string" and (.container | startswith($p)))] as $r
		| ($r | map(select(.type == "container")) | byid) as $C
		| ($r | map(select(.type == "hook")) | byid) as $H
		| range(1; $n + 1) | ($p + tostring) as $id
		| ($C[$id] // []) as $cs | ($H[$id] // []) as $hs
		| ($cs[0] // {}) as $c
		| ($hs | map({key: .stage, value: .}) | from_entries) as $by
		| [ (if ($cs | length) != 1 then "\($cs | length) container records" else empty end),
		    (if ($cs | length) == 1 then
		        (if $c.runtime != $rt then "runtime \($c.runtime)" else empty end),
		        (if $c.verdict != "ok" then "verdict \($c.verdict)" else empty end),
		        (if $c.lost != false then "lost \($c.lost)" else empty end),
		        (if ($c.process.exit_code // -1) != 0 then "process exit \($c.process.exit_code)" else empty end),
		        (stages[] as $s | ($c.stages[$s] // {}) as $t
		         | if $t != {configured: 1, fired: 1, failed: 0} then "\($s) \($t | tojson)" else empty end)
		     else empty end),
		    (if ($hs | length) != 6 then "\($hs | length) hook records" else empty end),
		    (stages[] as $s | ($hs | map(select(.stage == $s))) as $x
		     | if ($x | length) != 1 then "\($x | length) \($s) hooks"
		       elif ($x[0] | .index == 0 and .inferred == false and .status == "ok" and .exit_code == 0
		             and .argv[3] == ($m + "-" + $s) and .end_ns >= .start_ns) | not
		       then "bad \($s) hook \($x[0] | tojson)" else empty end),
		    (if ($by | length) == 6 then
		        (if ($by.prestart.start_ns < $by.createRuntime.start_ns
		             and $by.createRuntime.start_ns < $by.createContainer.start_ns
		             and $by.createContainer.start_ns < $by.startContainer.start_ns
		             and $by.createContainer.start_ns < $by.poststart.start_ns
		             and ([$hs[] | select(.stage != "poststop") | .end_ns] | max) < $by.poststop.start_ns)
		         then empty else "stages out of lifecycle order" end)
		     else empty end)
		  ] as $err
		| if ($err | length) == 0 then "ok \($id)" else "bad \($id): \($err | join("; "))" end
	' "$1"
}
