#!/usr/bin/env bats
# --metrics and --metrics-file against real runtimes: the real Prometheus
# server (Debian's) scrapes a live hooksnoop while a runc container with
# hooks runs and its query API answers with hooksnoop_hooks_total for the
# right stage; promtool finds nothing to say about the exposition; the
# textfile is rewritten while tracing and at exit (crun, CI mode); CI mode
# serves /metrics while CMD runs; clients that send nothing or garbage
# change nothing in the trace; :PORT means loopback; bad addresses and busy
# ports are one clear error line.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	CID=metrics$$-$BATS_TEST_NUMBER
	PROM_PID=
	HS2_PID=
}

teardown() {
	[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null
	[ -n "$HS2_PID" ] && kill -INT "$HS2_PID" 2>/dev/null && wait "$HS2_PID" 2>/dev/null
	hs_teardown
	cleanup_ctr "$CID"
	true
}

# A TCP port nobody listens on now (from /proc/net/tcp*, no extra tools).
free_port() {
	local p hex
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		hex=$(printf ':%04X ' "$p")
		grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

# The port hooksnoop said it bound (--metrics 127.0.0.1:0).
hs_port() {
	for _ in $(seq 100); do
		HS_PORT=$(sed -n 's|^hooksnoop: metrics at http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$HS_ERR")
		[ -n "$HS_PORT" ] && return 0
		sleep 0.05
	done
	cat "$HS_ERR" >&2
	return 1
}

# start_prometheus TARGET_PORT: scrape it every second; sets PROM (base URL).
start_prometheus() {
	local pport
	pport=$(free_port)
	cat > "$T/prom.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 900ms
	scrape_configs:
	  - job_name: hooksnoop
	    static_configs:
	      - targets: ['127.0.0.1:$1']
	EOF
	prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/promdata" \
		--web.listen-address="127.0.0.1:$pport" --log.level=warn 2>"$T/prom.err" &
	PROM_PID=$!
	PROM=http://127.0.0.1:$pport
	for _ in $(seq 200); do
		curl -fs "$PROM/-/ready" >/dev/null 2>&1 && return 0
		kill -0 "$PROM_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$T/prom.err" >&2
	return 1
}

# prom_value QUERY: the single value Prometheus returns for an instant query.
prom_value() {
	curl -fsG "$PROM/api/v1/query" --data-urlencode "query=$1" |
		jq -r 'if .status == "success" and (.data.result | length) == 1
		       then .data.result[0].value[1] else empty end'
}

@test "metrics: Prometheus scrapes a live hooksnoop during a runc run; silent and garbage clients change nothing" {
	mkb "$T/b" "$(hooks_json "$CID" "poststart=cat >/dev/null; sleep 0.2" "poststop=exit 3")" "sleep 4"
	hs_start -c "$CID" --metrics 127.0.0.1:0 --metrics-file "$T/hs.prom"
	hs_port
	start_prometheus "$HS_PORT"
	# bad clients first: one that sends garbage and stays, one that sends garbage and
	# goes, then 20 that never send a byte (more than the server takes at once)
	# (the server answers 505 or 400 and hangs up at the first bad line: the rest of
	# the write may meet a closed socket, so it is written from a subshell)
	exec 19<>/dev/tcp/127.0.0.1/"$HS_PORT"
	(printf 'GET /\001\377 HTTP/9.9\r\nX: \377\r\n\r\n' >&19) 2>/dev/null || true
	(printf '\377\376garbage\r\n\r\n' >/dev/tcp/127.0.0.1/"$HS_PORT") 2>/dev/null || true
	for i in $(seq 20); do eval "exec $((i + 20))<>/dev/tcp/127.0.0.1/$HS_PORT"; done
	run_runc "$T/b" "$CID" || true

	# tracing was not held up: every hook, right status, while clients misbehaved
	for _ in $(seq 100); do
		[ "$(jq -s '[.[] | select(.type == "container")] | length' "$HS_OUT")" = 1 ] && break
		sleep 0.1
	done
	for st in $STAGES; do
		want=ok
		[ "$st" = poststop ] && want=failed
		jq -e -s --arg st "$st" --arg w "$want" '[.[] | select(.type == "hook" and .stage == $st
			and .status == $w)] | length == 1' "$HS_OUT"
	done
	jq -e -s '[.[] | select(.type == "lost")] | length == 0' "$HS_OUT"

	# Prometheus itself scraped it and answers for the right stage: the silent clients,
	# still connected, were dropped after the server's timeout (5s) and took nothing else
	for _ in $(seq 150); do
		v=$(prom_value "hooksnoop_hooks_total{job=\"hooksnoop\",runtime=\"runc\",stage=\"poststart\",status=\"ok\"}")
		[ "$v" = 1 ] && break
		sleep 0.1
	done
	[ "$v" = 1 ]
	[ "$(prom_value 'hooksnoop_hooks_total{runtime="runc",stage="poststop",status="failed"}')" = 1 ]
	[ "$(prom_value 'sum(hooksnoop_hooks_total{runtime="runc"})')" = 6 ]
	[ "$(prom_value 'hooksnoop_hook_duration_seconds_count{runtime="runc",stage="poststart"}')" = 1 ]
	# the poststart hook slept 0.2s: in the first bucket whose bound is at least its
	# duration_ns (as its record says), in none below
	d=$(jq -s -r '.[] | select(.type == "hook" and .stage == "poststart") | .duration_ns' "$HS_OUT")
	[ "$d" -ge 200000000 ]
	read -r below at < <(awk -v d="$d" 'BEGIN { n = split("0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 30 60 120", b, " ")
		p = ""; for (i = 1; i <= n; i++) { if (d <= b[i] * 1e9) { print p, b[i]; exit } p = b[i] }
		print p, "+Inf" }')
	[ "$(prom_value "hooksnoop_hook_duration_seconds_bucket{runtime=\"runc\",stage=\"poststart\",le=\"$below\"}")" = 0 ]
	[ "$(prom_value "hooksnoop_hook_duration_seconds_bucket{runtime=\"runc\",stage=\"poststart\",le=\"$at\"}")" = 1 ]
	[ "$(prom_value 'hooksnoop_containers_total{runtime="runc",verdict="hook_failed"}')" = 1 ]
	[ "$(prom_value 'hooksnoop_lost_events_total{cause="ringbuf_full"}')" = 0 ]
	[ "$(prom_value 'up{job="hooksnoop"}')" = 1 ]
	[ -n "$(prom_value 'hooksnoop_build_info')" ]
	# no container ID in any label Prometheus stored
	curl -fsG "$PROM/api/v1/series" --data-urlencode 'match[]={__name__=~"hooksnoop_.*"}' > "$T/series.json"
	jq -e '.status == "success" and (.data | length) > 10' "$T/series.json"
	! grep -q "$CID" "$T/series.json"

	# the exposition passes promtool's checks, over HTTP and in the file
	curl -fs "http://127.0.0.1:$HS_PORT/metrics" > "$T/scrape.txt"
	run promtool check metrics < "$T/scrape.txt"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; false; }
	curl -fsI "http://127.0.0.1:$HS_PORT/metrics" | grep -qi '^content-type: text/plain; version=0.0.4'
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HS_PORT/nope")" = 404 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$HS_PORT/metrics")" = 405 ]
	for i in $(seq 19 40); do eval "exec $i>&-"; done

	# --metrics-file was rewritten while tracing (every 5s), before any exit
	for _ in $(seq 80); do
		grep -q '^hooksnoop_hooks_total{runtime="runc",stage="poststart",status="ok"} 1$' "$T/hs.prom" && break
		sleep 0.1
	done
	grep -q '^hooksnoop_hooks_total{runtime="runc",stage="poststart",status="ok"} 1$' "$T/hs.prom"
	kill -0 "$HS_PID"
	hs_stop
	[ "$HS_RC" -eq 0 ]
	run promtool check metrics < "$T/hs.prom"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; false; }
	[ ! -e "$T/hs.prom.tmp" ]
}

@test "metrics-file: crun in CI mode, the textfile at exit has every count, nothing else left behind" {
	mkb "$T/b" "$(hooks_json "$CID" "prestart=cat >/dev/null; sleep 0.03")" "true"
	run "$HS" -c "$CID" --metrics-file "$T/m.prom" --expect all -- \
		"$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$T/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(stat -c %a "$T/m.prom")" = 644 ]
	[ ! -e "$T/m.prom.tmp" ]
	for st in $STAGES; do
		grep -qx "hooksnoop_hooks_total{runtime=\"crun\",stage=\"$st\",status=\"ok\"} 1" "$T/m.prom"
		grep -qx "hooksnoop_hook_duration_seconds_count{runtime=\"crun\",stage=\"$st\"} 1" "$T/m.prom"
	done
	grep -qx 'hooksnoop_hook_duration_seconds_bucket{runtime="crun",stage="prestart",le="0.025"} 0' "$T/m.prom"
	grep -qx 'hooksnoop_hook_duration_seconds_bucket{runtime="crun",stage="prestart",le="+Inf"} 1' "$T/m.prom"
	grep -qx 'hooksnoop_containers_total{runtime="crun",verdict="ok"} 1' "$T/m.prom"
	grep -qx 'hooksnoop_containers_total{runtime="crun",verdict="missing"} 0' "$T/m.prom"
	grep -q '^hooksnoop_build_info{version="[0-9.]*",revision="[^"]*"} 1$' "$T/m.prom"
	grep -qx '# TYPE hooksnoop_hook_duration_seconds histogram' "$T/m.prom"
	grep -qx '# TYPE hooksnoop_tracked_processes gauge' "$T/m.prom"
	! grep -q "$CID" "$T/m.prom"
	run promtool check metrics < "$T/m.prom"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; false; }
}

@test "metrics: CI mode serves /metrics while CMD runs; CMD scrapes it after its runc container" {
	mkb "$T/b" "$(hooks_json "$CID")" "true"
	port=$(free_port)
	run --separate-stderr "$HS" -c "$CID" --metrics "127.0.0.1:$port" --expect all -- sh -c "
		runc run -b '$T/b' '$CID' </dev/null || exit 1
		for i in \$(seq 50); do
			curl -fs http://127.0.0.1:$port/metrics > '$T/ci.prom' &&
				grep -q '^hooksnoop_containers_total{runtime=\"runc\",verdict=\"ok\"} 1\$' '$T/ci.prom' && exit 0
			sleep 0.1
		done
		exit 1"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat "$T/ci.prom"; false; }
	for st in $STAGES; do
		grep -qx "hooksnoop_hooks_total{runtime=\"runc\",stage=\"$st\",status=\"ok\"} 1" "$T/ci.prom"
	done
	# gone with hooksnoop: nothing listens there any more
	! curl -fs "http://127.0.0.1:$port/metrics" >/dev/null
}

# The local address hooksnoop (pid $1) listens on, as /proc/net/tcp* shows it: "0100007F:2A0C".
listen_addr() {
	local inode
	for fd in /proc/"$1"/fd/*; do
		inode=$(readlink "$fd" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
		[ -n "$inode" ] || continue
		awk -v i="$inode" '$4 == "0A" && $10 == i { print $2 }' /proc/net/tcp /proc/net/tcp6
	done
}

@test "metrics: :PORT listens on loopback only, 0.0.0.0:PORT on every interface, [::1] on IPv6 loopback" {
	port=$(free_port)
	hex=$(printf '%04X' "$port")
	hs_start --metrics ":$port"
	[ "$(listen_addr "$HS_PID")" = "0100007F:$hex" ]
	curl -fs "http://127.0.0.1:$port/metrics" | grep -q '^hooksnoop_tracked_processes '
	hs_stop
	hs_start --metrics "0.0.0.0:$port"
	[ "$(listen_addr "$HS_PID")" = "00000000:$hex" ]
	hs_stop
	if [ -e /proc/net/if_inet6 ]; then
		hs_start --metrics "[::1]:$port"
		[ "$(listen_addr "$HS_PID")" = "00000000000000000000000001000000:$hex" ]
		hs_stop
	fi
}

@test "metrics: a busy port, an address not on this host, a name, a bad file: one line each, nothing traced" {
	hs_start --metrics 127.0.0.1:0
	hs_port
	run --separate-stderr "$HS" --metrics "127.0.0.1:$HS_PORT" -d 1
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "hooksnoop: cannot serve --metrics on 127.0.0.1:$HS_PORT: the port is in use (another exporter or hooksnoop?); pick another port" ]
	# CI mode: CMD never runs when the server cannot start
	run --separate-stderr "$HS" --metrics "127.0.0.1:$HS_PORT" -- touch "$T/ran"
	[ "$status" -eq 1 ] && [ ! -e "$T/ran" ]
	run --separate-stderr "$HS" --metrics 192.0.2.1:9464 -d 1
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "hooksnoop: cannot serve --metrics on 192.0.2.1:9464: no interface of this host has that address" ]
	run --separate-stderr "$HS" --metrics metrics.example:9464 -d 1
	[ "$status" -eq 2 ] && [ -z "$output" ] && [ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ]
	[[ "$stderr" == "hooksnoop: invalid --metrics 'metrics.example:9464': "*"names are not resolved" ]]
	run --separate-stderr "$HS" --metrics :70000 -d 1
	[ "$status" -eq 2 ] && [[ "$stderr" == *"0 to 65535"* ]]
	run --separate-stderr "$HS" --metrics-file "$T/no/such/dir/m.prom" -d 1
	[ "$status" -eq 1 ] && [ -z "$output" ]
	[ "$stderr" = "hooksnoop: cannot write --metrics-file $T/no/such/dir/m.prom: No such file or directory (writing $T/no/such/dir/m.prom.tmp first, then renaming)" ]
}
