#!/usr/bin/env bats
# Hostile hosts (issue 9): anyone can start a process named runc whose
# command line names a bundle. Each case runs such a spoof (tests/helpers/
# spoof.c copied to a file named runc: alive for SPOOF_MS, exec'ing nothing)
# in the same CI-mode trace as a real runc container with a hook in every
# stage, and asserts: hooksnoop returns within its deadline, the real
# container's timeline is whole (verdict ok, every hook attributed), and the
# spoof's container record says why its configuration was refused.
# Root only (BPF, runc, mount namespaces).
#
# Pid reuse during seeding: hooksnoop is held (HOOKSNOOP_TEST_SEED_GATE)
# between its /proc scan and the seeding; meanwhile the scanned runtime dies
# and its pid is handed to another process (root steers the host's next pid
# through /proc/sys/kernel/ns_last_pid).

bats_require_minimum_version 1.5.0
load helpers

SPOOF_BIN=${SPOOF_BIN:-$(dirname "$HS")/tests/spoof}

setup() {
	T=$BATS_TEST_TMPDIR
	CID=$(tid)-real
	SID=$(tid)-spoof
	HS_OUT=$T/hs.jsonl
	HS_ERR=$T/hs.err
	cp "$SPOOF_BIN" "$T/runc"
	mkb "$T/real" "$(hooks_json "$CID")"
	mkdir -p "$T/sb"
}

teardown() {
	cleanup_ctr "$CID"
}

# attack SPOOF_CMD: one CI-mode trace (HOOKSNOOP_STATS on) of SPOOF_CMD,
# started in the background with $SB as its bundle, beside runc running the
# real container. Sets HS_RC, ELAPSED (s) and MAXRSS (KiB).
attack() {
	SECONDS=0
	HOOKSNOOP_STATS=1 SPOOF_MS=${SPOOF_MS:-3000} T=$T SB=${SB:-$T/sb} SID=$SID CID=$CID NB=${NB:-} \
		timeout 60 "$HS" -j -o "$HS_OUT" -c "$(tid)-*" ${HS_ARGS:-} -- \
		sh -c "$1 & runc run -b \"\$T/real\" \"\$CID\" </dev/null; wait" 2>"$HS_ERR" &&
		HS_RC=0 || HS_RC=$?
	ELAPSED=$SECONDS
	MAXRSS=$(grep -o '"maxrss_kib":[0-9]*' "$HS_ERR" | tail -1 | cut -d: -f2)
	cat "$HS_ERR" >&2
}

# No hang: CMD's own run is a few seconds; --grace is 5 s.
check_no_hang() {
	[ "$HS_RC" -eq 0 ] || { echo "hooksnoop exited $HS_RC"; return 1; }
	[ "$ELAPSED" -lt 20 ] || { echo "took ${ELAPSED}s"; return 1; }
}

check_real() {
	local c
	c=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)')
	[ -n "$c" ] || { cat "$HS_OUT"; return 1; }
	[ "$(echo "$c" | jq -r .verdict)" = ok ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -r .configuration)" = ok ]
	# the real runc's binary carries runc's marks
	[ "$(echo "$c" | jq -c .runtime_binary)" = "{\"path\":\"$(command -v runc)\",\"recognised\":true}" ] ||
		{ echo "$c" | jq -c .runtime_binary; return 1; }
	[ "$(echo "$c" | jq -c '[.stages[]|[.configured,.fired]]')" = "[[1,1],[1,1],[1,1],[1,1],[1,1],[1,1]]" ]
	for st in $STAGES; do
		[ "$(q --arg c "$CID" --arg s "$st" 'select(.type=="hook" and .container==$c and .stage==$s)|[.index,.inferred,.status,.argv[-1]]')" = "[0,false,\"ok\",\"$CID-$st\"]" ] ||
			{ echo "stage $st"; cat "$HS_OUT"; return 1; }
	done
	[ "$(q 'select(.type=="summary")|.lost_events')" = 0 ]
}

# spoof_conf: the spoof's container record's configuration field
spoof_conf() {
	q -r --arg c "$SID" 'select(.type=="container" and .container==$c)|.configuration'
}

@test "attack: config.json is a FIFO: refused unopened, no hang" {
	mkfifo "$T/sb/config.json"
	attack '"$T/runc" run -b "$SB" "$SID"'
	check_no_hang
	check_real
	[ "$(spoof_conf)" = "cannot read $T/sb/config.json: not a regular file" ]
	# and the spoof is visible as such: its binary is not runc's
	[ "$(q -c --arg c "$SID" 'select(.type=="container" and .container==$c)|.runtime_binary')" = "{\"path\":\"$T/runc\",\"recognised\":false}" ]
}

@test "attack: a 64 MiB config.json is refused by size, RSS stays bounded" {
	# a real file, not sparse: reading it would cost its size
	head -c $((64 << 20)) /dev/zero | tr '\0' ' ' > "$T/sb/config.json"
	attack '"$T/runc" run -b "$SB" "$SID"'
	check_no_hang
	check_real
	[ "$(spoof_conf)" = "cannot read $T/sb/config.json: too large" ]
	# the whole tracer, BPF maps' user copies and the stats buffer included
	[ -n "$MAXRSS" ] && [ "$MAXRSS" -lt $((48 << 10)) ] || { echo "maxrss ${MAXRSS} KiB"; return 1; }
}

# Deeper than any runtime's decoder goes (Go's stops at 10,000, jansson at
# 2,048; jloc's own cap is 512): not JSON any runtime loads, said as such.
@test "attack: a config nested 100,000 deep is refused at the depth cap, RSS bounded" {
	{ printf '{"a":'; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; printf '}'; } > "$T/sb/config.json"
	attack '"$T/runc" run -b "$SB" "$SID"'
	check_no_hang
	check_real
	[ "$(spoof_conf)" = "cannot parse $T/sb/config.json: not valid JSON" ]
	[ -n "$MAXRSS" ] && [ "$MAXRSS" -lt $((48 << 10)) ] || { echo "maxrss ${MAXRSS} KiB"; return 1; }
}

# The densest JSON there is, 4 MiB of "1," (just under the size cap):
# every runtime loads it, and indexing it would cost ~28 times its size.
# Refused where its values outrun one per 8 bytes (nor handed to jansson):
# the index never costs more than ~7 times the text (+ the text, twice).
@test "attack: a 4 MiB config of 2 million values is refused by its density, RSS bounded" {
	{ printf '{"ociVersion":"1.0.2","x":['; head -c $(((4 << 19) - 64)) /dev/zero | tr '\0' '1' | sed 's/./&,/g'; printf '1]}'; } > "$T/sb/config.json"
	attack '"$T/runc" run -b "$SB" "$SID"'
	check_no_hang
	check_real
	[ "$(spoof_conf)" = "cannot parse $T/sb/config.json: too many values for its size" ]
	# ~9 MiB at rest + at most 9 x 4 MiB while it is parsed (was ~28 x)
	[ -n "$MAXRSS" ] && [ "$MAXRSS" -lt $((56 << 10)) ] || { echo "maxrss ${MAXRSS} KiB"; return 1; }
	run "$HS" lint "$T/sb/config.json"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == *":1:"*": error: too many values for its size"*"[JSON_TOO_MANY_VALUES]" ]] || { echo "$output"; return 1; }
}

# SPEC: a read "never follows a path out of the root of the process that
# named it". A spoof chrooted in its own mount namespace whose config.json
# is a symlink to /etc/shadow (absolute, or climbing with ..) gets its OWN
# root's /etc/shadow, never the host's. Here that file is a valid config
# with one prestart hook, so the record proves which file was read.
@test "attack: config.json -> /etc/shadow in a nested root reads that root's file, never the host's" {
	NR=$T/nroot
	mkdir -p "$NR/etc" "$NR/b1" "$NR/b2" "$NR/proc"
	cp "$T/runc" "$NR/runc"
	echo '{"ociVersion":"1.0.2","hooks":{"prestart":[{"path":"/nested-shadow"}]}}' > "$NR/etc/shadow"
	ln -s /etc/shadow "$NR/b1/config.json"
	ln -s ../../../../../../../../etc/shadow "$NR/b2/config.json"
	for b in /b1 /b2; do
		SB=$b attack 'unshare -m --propagation private sh -c "mount --bind \"\$1\" \"\$1\" && mount -t proc proc \"\$1/proc\" && exec chroot \"\$1\" /runc run -b \"\$2\" \"\$3\"" x "$T/nroot" "$SB" "$SID"'
		check_no_hang
		check_real
		[ "$(spoof_conf)" = ok ] || { cat "$HS_OUT"; return 1; }
		c=$(q --arg c "$SID" 'select(.type=="container" and .container==$c)')
		[ "$(echo "$c" | jq -c '[.stages[]|.configured]')" = "[1,0,0,0,0,0]" ]
		[ "$(echo "$c" | jq -r '.nested|type')" = object ]
		cleanup_ctr "$CID"
	done
}

# The runtime is gone before its exec record is handled: /proc/PID is no
# longer its, so its root cannot be opened. A runtime that ran in another
# mount namespace (here one where its bundle path is an empty tmpfs) must
# then not be read in ours, where the same path holds a decoy; while it is
# alive, its own root is read (no config.json there). The real container is
# unaffected either way.
@test "attack: a runtime in another mount namespace that exits at once is not read in our root" {
	cp "$(dirname "$SPOOF_BIN")/nop" "$T/runc"
	mkb "$T/sb" "$(hooks_json decoy)"
	attack 'for i in 1 2 3 4 5 6 7 8 9 10; do unshare -m --propagation private sh -c "mount -t tmpfs tmpfs \"\$1\" && exec \"\$2\" run -b \"\$1\" \"\$3\"" x "$SB" "$T/runc" "$SID-$i"; done'
	check_no_hang
	check_real
	# every spoof that left a record says why it has no configuration
	n=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		conf=$(q -r --arg c "$SID-$i" 'select(.type=="container" and .container==$c)|.configuration')
		[ -z "$conf" ] && continue
		n=$((n + 1))
		case $conf in
		"the runtime exited before its root could be opened" | *": no such file") ;;
		*) echo "$SID-$i: $conf"; cat "$HS_OUT"; return 1 ;;
		esac
	done
	echo "$n of 10 spoofs left a record"
	! grep -q decoy- "$HS_OUT"
}

@test "attack: a runtime in our mount namespace that exits at once: no hang, real container whole" {
	cp "$(dirname "$SPOOF_BIN")/nop" "$T/runc"
	mkfifo "$T/sb/config.json"
	attack 'for i in 1 2 3 4 5 6 7 8 9 10; do "$T/runc" run -b "$SB" "$SID-$i"; done'
	check_no_hang
	check_real
	for i in 1 2 3 4 5 6 7 8 9 10; do
		conf=$(q -r --arg c "$SID-$i" 'select(.type=="container" and .container==$c)|.configuration')
		[ -z "$conf" ] || [ "$conf" != ok ]
	done
}

# An unprivileged process names a file only root may read as its
# config.json: hooksnoop (root) refuses it unread, as that process could not
# have read it either; not one byte of it reaches the output.
@test "attack: an unprivileged runtime naming a root-only config.json: refused unread" {
	unpriv_root_only
}

# The same spoof gone before hooksnoop looks: read in our root (same mount
# namespace) with the uid its exec record gives, so still refused.
@test "attack: the same, from a runtime that exits at once: refused unread" {
	SPOOF_MS=0 unpriv_root_only
}

unpriv_root_only() {
	NB=$(mktemp -d /tmp/hsnobody.XXXXXX)
	chmod 755 "$NB"
	cp "$T/runc" "$NB/runc"
	mkdir -p "$T/sb"
	echo "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"prestart\":[{\"path\":\"/secret-$SID\"}]}}" > "$T/sb/config.json"
	chmod 600 "$T/sb/config.json"
	NB=$NB attack 'setpriv --reuid 65534 --regid 65534 --clear-groups "$NB/runc" run -b "$SB" "$SID"'
	rm -rf "$NB"
	check_no_hang
	check_real
	conf=$(spoof_conf)
	echo "configuration: $conf"
	# gone before its exec record was handled, it may leave no record at all
	[ "$conf" = "cannot read $T/sb/config.json: not readable by the process that named it" ] ||
		{ [ "${SPOOF_MS:-}" = 0 ] && [ -z "$conf" ]; }
	! grep -q "secret-$SID" "$HS_OUT"
}

# A flood: 1,500 starts of a binary named runc, as fast as a shell loop
# goes, from FLOOD_NS (a mount namespace of its own, or ours), beside the
# real container. Sets FLOOD_MNTNS (inum) and REFUSED (sum of the refusals
# reported).
flood() {
	SPOOF_MS=0 flood_from "--root-rate 50 --expect all" \
		'i=0; while [ $i -lt 1500 ]; do "$T/runc"; i=$((i+1)); done'
	REFUSED=$(q -s '[.[]|select(.type=="lost")|.root_refused]|add // 0')
}

# flood_from HS_ARGS SH: one attack() whose spoof is shell code SH run from
# FLOOD_NS (default: a mount namespace of its own), beside a real container
# that lives through it (any refusal overlaps it). Sets FLOOD_MNTNS (inum).
flood_from() {
	mkb "$T/real" "$(hooks_json "$CID")" 'sleep 2'
	HS_ARGS="$1" attack \
		"${FLOOD_NS:-unshare -m} sh -c 'readlink /proc/self/ns/mnt > \$T/flood.ns; $2'"
	FLOOD_MNTNS=$(sed 's/.*\[\([0-9]*\)\]/\1/' "$T/flood.ns")
}

# charged_to_flood FIELD N MIN: hooksnoop exited 0, at least MIN refusals
# were reported (N, from the lost records' FIELD), and every lost record
# with FIELD names the flood's namespace as its source
charged_to_flood() {
	[ "$HS_RC" -eq 0 ] || { echo "hooksnoop exited $HS_RC"; return 1; }
	[ "$2" -ge "$3" ] || { echo "$1: $2 refused"; return 1; }
	[ "$(q -r -s --arg f "$1" '[.[]|select(.type=="lost" and .[$f]>0)|.source.mntns|tostring]|unique|join(",")')" = "$FLOOD_MNTNS" ] ||
		{ echo "flood from $FLOOD_MNTNS"; q -c 'select(.type=="lost")'; return 1; }
}

# Issue 9: work per source is bounded in the kernel (--root-rate new roots
# a second per mount namespace + uid); what it refuses is that source's
# loss, never the real container's.
@test "attack: a runtime-start flood from another mount namespace is refused there, the real container is whole" {
	flood
	charged_to_flood root_refused "$REFUSED" 500
	c=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)')
	[ "$(echo "$c" | jq -r '[.verdict,.lost]|join(",")')" = "ok,false" ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -c '[.stages[]|.fired]')" = "[1,1,1,1,1,1]" ]
	[ "$(q 'select(.type=="summary")|.root_refused')" -ge "$REFUSED" ]
	# bounded work: unbounded, 1,500 roots are 3,000+ records (exec + exit)
	[ "$(grep -o '"kernel_records":[0-9]*' "$HS_ERR" | tail -1 | cut -d: -f2)" -lt 2000 ]
}

# The same flood from the real container's own source (our mount
# namespace, root): what was refused may be the real runtime's, so the
# answer is unknown (exit 3), never a confident pass or "missing".
@test "attack: the same flood from the real container's own source makes its answer unknown" {
	FLOOD_NS=" " flood
	[ "$HS_RC" -eq 3 ] || { echo "hooksnoop exited $HS_RC"; return 1; }
	[ "$REFUSED" -ge 500 ]
	v=$(q -r --arg c "$CID" 'select(.type=="container" and .container==$c)|.verdict')
	[ -z "$v" ] || [ "$v" = unknown ] || { echo "verdict $v"; return 1; }
	grep -q 'expectation UNKNOWN' "$HS_ERR"
}

# A fork flood: a shell named runc (so every process it forks is a
# runtime's child, followed) that forks 400 children living 4 s, from
# FLOOD_NS, beside the real container. Each source may have at most
# --source-max-tracked (here 64 of --max-tracked 128) processes followed at
# once: without that bound the flood would take all 128. The rest are
# not followed, counted as that source's loss. Sets FLOOD_MNTNS and
# TRK_REFUSED (sum of the refusals reported).
forkflood() {
	cp "$(readlink -f /bin/sh)" "$T/runc"
	printf 'i=0; while [ $i -lt 400 ]; do sleep 4 & i=$((i+1)); done; wait\n' > "$T/forks.sh"
	flood_from "--max-tracked 128 --source-max-tracked ${SRC_MAX:-64} --expect all" \
		'exec "$T/runc" "$T/forks.sh"'
	TRK_REFUSED=$(q -s '[.[]|select(.type=="lost")|.track_refused]|add // 0')
}

# Issue 9: a runtime-named process forking without end cannot take every
# tracking slot (--max-tracked) and turn every container unknown: its
# source's share is bounded, and what is refused is that source's loss.
@test "attack: a fork flood from a runtime-named process elsewhere is bounded to its source's share, the real container is whole" {
	forkflood
	charged_to_flood track_refused "$TRK_REFUSED" 300
	# none of it counted as a loss of everybody's (tracking_full)
	[ "$(q -s '[.[]|select(.type=="lost")|.tracking_full]|add // 0')" -eq 0 ]
	c=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)')
	[ "$(echo "$c" | jq -r '[.verdict,.lost]|join(",")')" = "ok,false" ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -c '[.stages[]|.fired]')" = "[1,1,1,1,1,1]" ]
	[ "$(q 'select(.type=="summary")|.track_refused')" -ge "$TRK_REFUSED" ]
}

# The same from the real container's own source: what was not followed may
# be the real runtime's, so its answer is unknown (exit 3), never a pass.
@test "attack: the same fork flood from the real container's own source makes its answer unknown" {
	FLOOD_NS=" " forkflood
	[ "$HS_RC" -eq 3 ] || { echo "hooksnoop exited $HS_RC"; return 1; }
	[ "$TRK_REFUSED" -ge 300 ] || { echo "refused $TRK_REFUSED"; return 1; }
	v=$(q -r --arg c "$CID" 'select(.type=="container" and .container==$c)|.verdict')
	[ -z "$v" ] || [ "$v" = unknown ] || { echo "verdict $v"; return 1; }
	grep -q 'expectation UNKNOWN' "$HS_ERR"
}

# A runtime seen by the /proc scan dies before it is seeded and its pid goes
# to another process: that process is never followed (no seeded record, no
# tracking slot), while a runtime that stayed is seeded as usual.
@test "attack: pid reuse during seeding: the process now holding a scanned runtime's pid is not seeded" {
	cp "$(command -v sleep)" "$T/runc"
	cp "$(command -v sleep)" "$T/other"
	"$T/runc" 60 & DEAD=$!
	"$T/runc" 60 & KEPT=$!
	HOOKSNOOP_TEST_SEED_GATE=$T/gate "$HS" -v -a -j -o "$HS_OUT" 2>"$HS_ERR" &
	HS_PID=$!
	for _ in $(seq 200); do [ -e "$T/gate.waiting" ] && break; sleep 0.05; done
	[ -e "$T/gate.waiting" ] || { cat "$HS_ERR"; return 1; }
	kill -9 "$DEAD"; wait "$DEAD" 2>/dev/null || true
	# hand DEAD's pid to a process named `other` (retry if another fork took it)
	NEW=
	for _ in $(seq 20); do
		echo $((DEAD - 1)) > /proc/sys/kernel/ns_last_pid
		"$T/other" 60 & NEW=$!
		[ "$NEW" = "$DEAD" ] && break
		kill "$NEW"; wait "$NEW" 2>/dev/null || true
	done
	[ "$NEW" = "$DEAD" ] || skip "could not recycle pid $DEAD (a busy host took it 20 times)"
	[ "$(cat /proc/"$NEW"/comm)" = other ]
	touch "$T/gate"
	for _ in $(seq 200); do grep -q "debug: tracing" "$HS_ERR" && break; sleep 0.05; done
	hs_stop
	kill "$NEW" "$KEPT"; wait "$NEW" "$KEPT" 2>/dev/null || true
	cat "$HS_ERR"
	# the runtime that stayed is seeded; nothing under the recycled pid is
	[ "$(q -c --argjson p "$KEPT" 'select(.type=="exec" and .pid==$p)|[.seeded,.role,.comm]')" = '[true,"runtime","runc"]' ]
	[ -z "$(q -c --argjson p "$DEAD" 'select(.pid==$p)')" ] || { q -c --argjson p "$DEAD" 'select(.pid==$p)'; return 1; }
}

# Memory per live container: its parsed configuration is kept, the
# position-keeping document lint reads (~30x the file) is not. 20 created
# (not started) containers whose config.json is 1.3 MB each: the document
# kept would be ~60 MB more.
@test "attack: 20 live containers with 1.3 MB configurations: RSS stays bounded" {
	mkb "$T/b0" '{"prestart":[{"path":"/bin/true"}]}' 'sleep 60'
	jq --arg r "$T/b0/rootfs" '.root.path = $r |
		.process.env += [range(0;20000) | "VAR\(.)=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]' \
		"$T/b0/config.json" > "$T/big.json"
	HOOKSNOOP_STATS=1 hs_start -c "$CID-*"
	for i in $(seq 20); do
		mkdir -p "$T/b$i"
		cp "$T/big.json" "$T/b$i/config.json"
		runc --root "$T/root" create -b "$T/b$i" "$CID-$i" </dev/null >/dev/null
	done
	sleep 2
	rss=$(awk '/^VmRSS:/{print $2}' /proc/"$HS_PID"/status)
	for i in $(seq 20); do runc --root "$T/root" delete -f "$CID-$i" >/dev/null 2>&1; done
	hs_stop
	echo "rss with 20 live: $rss KiB"
	[ "$(q 'select(.type=="container" and .verdict=="ok")' | wc -l)" -eq 20 ]
	[ "$rss" -lt $((32 << 10)) ]
}
