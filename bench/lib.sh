# Shared helpers for the benchmarks (sourced). Root required.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HS=${HOOKSNOOP:-$ROOT/build/hooksnoop}
STORM=$ROOT/build/tests/execstorm
NOP=$ROOT/build/tests/nop

die() { echo "bench: $*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (BPF)"
	[ -x "$HS" ] && [ -x "$STORM" ] && [ -x "$NOP" ] || die "build first: make all unit"
}

# ids of loaded BPF programs, one per line
prog_ids() { bpftool prog show -j | jq -r '.[].id' | sort -n; }

# start_tool NAME CMD... : start CMD in the background, wait until its BPF
# programs are loaded, remember their ids in $TMP/NAME.ids and pid in NAME.pid
start_tool() {
	name=$1
	shift
	prog_ids > "$TMP/before"
	"$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	echo $! > "$TMP/$name.pid"
	i=0
	while [ $i -lt 200 ]; do
		prog_ids > "$TMP/after"
		comm -13 "$TMP/before" "$TMP/after" > "$TMP/$name.ids"
		if [ -s "$TMP/$name.ids" ] && [ "$(wc -l < "$TMP/$name.ids")" -ge "${MIN_PROGS:-1}" ]; then
			sleep 0.5 # let attach finish (programs load before they attach)
			return 0
		fi
		kill -0 "$(cat "$TMP/$name.pid")" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	cat "$TMP/$name.err" >&2
	die "$name did not load its programs"
}

stop_tool() {
	kill -INT "$(cat "$TMP/$1.pid")" 2>/dev/null
	wait "$(cat "$TMP/$1.pid")" 2>/dev/null || true
}

# stats NAME : "run_time_ns run_cnt" summed over NAME's programs
stats() {
	bpftool prog show -j | jq -r --slurpfile ids <(jq -R 'tonumber' "$TMP/$1.ids" | jq -s .) \
		'[.[] | select(.id as $i | $ids[0] | index($i))] |
		 "\(map(.run_time_ns // 0) | add) \(map(.run_cnt // 0) | add)"'
}

# per-program lines "name run_time_ns run_cnt" for NAME
stats_by_prog() {
	bpftool prog show -j | jq -r --slurpfile ids <(jq -R 'tonumber' "$TMP/$1.ids" | jq -s .) \
		'.[] | select(.id as $i | $ids[0] | index($i)) | "\(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"'
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) exit 1; print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

mount_tracefs() {
	[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing ||
		die "cannot mount tracefs (needed by execsnoop)"
}
