#!/usr/bin/env bats
# Real engines: a private containerd and dockerd (temporary roots and
# sockets, no system service, no registry), containers run through
# containerd-shim-runc-v2 and runc. One container record per container
# across the shim's create / start / delete / delete --force; Docker's own
# prestart hook attributed to the engine; a wrapper runtime that rewrites
# config.json and execs runc attributed from what runc read; `ctr run` with
# a spec carrying hooks. The daemons are stopped by pid in teardown_file.

bats_require_minimum_version 1.5.0
load helpers

DOCKER=/usr/bin/docker # /usr/local/bin may hold another client

# The daemons' files. Unix socket paths must stay short (108 bytes).
setup_file() {
	E=$(mktemp -d /tmp/hs-eng.XXXXXX)
	export E NS="hseng$$"
	printf 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n' >"$E/ctd.toml"
	containerd -c "$E/ctd.toml" --root "$E/ctd-root" --state "$E/ctd-state" \
		--address "$E/ctd.sock" >"$E/ctd.log" 2>&1 &
	echo $! >"$E/ctd.pid"
	wait_for "containerd" ctr -a "$E/ctd.sock" version

	# a wrapper runtime (nvidia-container-runtime's pattern): on create it
	# adds the hooks of $E/hooks.json to the bundle's config.json, then
	# becomes runc in the same process
	cat >"$E/hsrc" <<-EOF
		#!/bin/sh
		b= prev=
		for a in "\$@"; do [ "\$prev" = --bundle ] && b=\$a; prev=\$a; done
		if [ -n "\$b" ] && [ -s "$E/hooks.json" ]; then
			jq --slurpfile h "$E/hooks.json" \\
				'reduce (\$h[0] | to_entries[]) as \$e (.; .hooks[\$e.key] += \$e.value)' \\
				"\$b/config.json" >"\$b/config.json.hs" && mv "\$b/config.json.hs" "\$b/config.json"
		fi
		exec runc "\$@"
	EOF
	chmod +x "$E/hsrc"
	echo '{}' >"$E/daemon.json"
	# --bridge=none: no docker0 on the host (other engines may run here)
	dockerd --config-file "$E/daemon.json" --containerd "$E/ctd.sock" \
		--data-root "$E/docker" --exec-root "$E/exec" -H "unix://$E/docker.sock" \
		--pidfile "$E/docker.pid" --iptables=false --ip6tables=false --bridge=none \
		--add-runtime "hsrc=$E/hsrc" >"$E/dockerd.log" 2>&1 &
	echo $! >"$E/dockerd.pid"
	wait_for "dockerd" dk info

	"$ROOT/tools/mkbundle" "$E/img" >/dev/null
	tar -C "$E/img/rootfs" -c . | dk import - hseng-bb:latest >/dev/null
}

teardown_file() {
	[ -n "${E:-}" ] || return 0
	if [ -f "$E/dockerd.pid" ]; then
		dk rm -f $(dk ps -aq 2>/dev/null) >/dev/null 2>&1 || true
		stop_pid "$(cat "$E/dockerd.pid")"
	fi
	if [ -f "$E/ctd.pid" ]; then
		stop_pid "$(cat "$E/ctd.pid")"
	fi
	# shims outlive containerd: ours are the ones whose command line names our socket
	for p in $(pgrep -f -- "-address $E/ctd.sock" || true); do stop_pid "$p"; done
	umount "$E"/docker/overlay2/*/merged 2>/dev/null || true
	rm -rf "$E"
}

teardown() {
	hs_teardown
	true
}

dk() { "$DOCKER" -H "unix://$E/docker.sock" "$@"; }

wait_for() { # WHAT CMD...
	local what=$1
	shift
	for _ in $(seq 150); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "$what did not come up" >&2
	cat "$E"/*.log >&2
	return 1
}

stop_pid() { # PID: TERM, then KILL after 10 s
	kill "$1" 2>/dev/null || return 0
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
}

hs_ci() { # ARGS... -- CMD: CI mode, JSON Lines into $HS_OUT
	HS_OUT=$BATS_TEST_TMPDIR/ci.jsonl
	run --separate-stderr "$HS" -j -a -o "$HS_OUT" --grace 5 "$@"
}

ctr_recs() { q --arg c "$1" 'select(.type=="container" and .container==$c)'; }
hook_of() { # ID STAGE
	q --arg c "$1" --arg s "$2" 'select(.type=="hook" and .container==$c and .stage==$s)'
}

# docker_run ID: start a `docker create --rm` container attached and wait
# until Docker has removed it, as `docker run --rm` does (the ID must be
# known before tracing starts, to filter on it)
docker_run() {
	"$DOCKER" -H "unix://$E/docker.sock" start -a "$1"
	rc=$?
	for _ in $(seq 100); do
		"$DOCKER" -H "unix://$E/docker.sock" inspect "$1" >/dev/null 2>&1 || break
		sleep 0.05
	done
	return $rc
}

docker_ci() { # [--runtime hsrc] -- HOOKSNOOP ARGS: sets ID, runs it under hooksnoop
	local copts=()
	while [ "$1" != -- ]; do copts+=("$1"); shift; done
	shift
	ID=$(dk create --rm --network none "${copts[@]}" hseng-bb:latest sh -c true)
	hs_ci -c "$ID" "$@" -- bash -c "DOCKER=$DOCKER; $(declare -f docker_run); docker_run $ID"
}

# the runc invocations (exec records) that acted on ID, as "SUBCOMMAND [--force]"
rt_cmds() {
	q -r --arg c "$1" 'select(.type=="exec" and .role=="runtime" and .argv[0]=="runc" and .argv[-1]==$c)
		| [.argv[] | select(. == "create" or . == "start" or . == "delete" or . == "--force")]
		| select(length > 0) | join(" ")'
}

@test "docker run --rm: one container across create/start/delete/delete --force, Docker's hook from the engine" {
	rm -f "$E/hooks.json"
	docker_ci -- --expect prestart
	[ "$status" -eq 0 ] || { echo "$stderr"; cat "$HS_OUT"; return 1; }
	# the shim ran all four, and they made one container
	[ "$(rt_cmds "$ID" | tr '\n' ,)" = "create,start,delete,delete --force," ] || { rt_cmds "$ID"; return 1; }
	[ "$(ctr_recs "$ID" | grep -c .)" -eq 1 ] || { ctr_recs "$ID"; return 1; }
	[ "$(ctr_recs "$ID" | jq -c '[.runtime,.state,.verdict,.stages.prestart.configured,.stages.prestart.fired]')" = '["runc","deleted","ok",1,1]' ]
	# Docker's libnetwork-setkey: /proc/<dockerd pid>/exe, from the engine
	h=$(hook_of "$ID" prestart)
	[ "$(echo "$h" | jq -r .path)" = "/proc/$(cat "$E/docker.pid")/exe" ]
	[ "$(echo "$h" | jq -c '[.index,.status,.argv[0],.origin]')" = '[0,"ok","libnetwork-setkey",{"kind":"engine","file":"/usr/sbin/dockerd"}]' ] || { echo "$h"; return 1; }
	[ "$(q 'select(.type=="summary")|[.containers,.expectations]|tostring')" = '"[1,\"pass\"]"' ]

	# and `docker run --rm` itself (its ID known only afterwards: no -c, no --expect)
	hs_ci -- "$DOCKER" -H "unix://$E/docker.sock" run --rm --cidfile "$BATS_TEST_TMPDIR/cid" \
		--network none hseng-bb:latest true
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	ID=$(cat "$BATS_TEST_TMPDIR/cid")
	[ "$(rt_cmds "$ID" | tr '\n' ,)" = "create,start,delete,delete --force," ] || { rt_cmds "$ID"; return 1; }
	[ "$(ctr_recs "$ID" | jq -c '[.state,.verdict,.stages.prestart.fired]')" = '["deleted","ok",1]' ]
}

@test "one Docker container started twice within seconds: two lifecycles, two records" {
	rm -f "$E/hooks.json"
	ID=$(dk create --network none hseng-bb:latest true)
	hs_ci -c "$ID" --expect prestart -- sh -c "$DOCKER -H unix://$E/docker.sock start -a $ID &&
		$DOCKER -H unix://$E/docker.sock start -a $ID && $DOCKER -H unix://$E/docker.sock rm $ID >/dev/null"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat "$HS_OUT"; return 1; }
	[ "$(rt_cmds "$ID" | tr '\n' ,)" = "create,start,delete,delete --force,create,start,delete,delete --force," ] || { rt_cmds "$ID"; return 1; }
	[ "$(ctr_recs "$ID" | jq -c '[.state,.verdict,.stages.prestart.fired]' | tr '\n' ,)" = '["deleted","ok",1],["deleted","ok",1],' ] || { ctr_recs "$ID"; return 1; }
}

@test "a wrapper runtime that edits config.json and execs runc: its hooks attributed from what runc read" {
	M=$(tid)
	hooks_json "$M" >"$E/hooks.json"
	docker_ci --runtime hsrc -- --expect all
	[ "$status" -eq 0 ] || { echo "$stderr"; cat "$HS_OUT"; return 1; }
	c=$(ctr_recs "$ID")
	[ "$(echo "$c" | grep -c .)" -eq 1 ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -r .verdict)" = ok ]
	# Docker's hook first, the wrapper's after it; every stage fired
	[ "$(echo "$c" | jq -c '[.stages[]|[.configured,.fired,.failed]]')" = '[[2,2,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0],[1,1,0]]' ] || { echo "$c"; return 1; }
	cfg="$(echo "$c" | jq -r .bundle)/config.json"
	for st in $STAGES; do
		h=$(q --arg c "$ID" --arg m "$M-$st" 'select(.type=="hook" and .container==$c and .argv[-1]==$m)')
		want=1
		[ "$st" = prestart ] || want=0
		[ "$(echo "$h" | jq -c --arg f "$cfg" '[.stage,.index,.status,.origin=={"kind":"config","file":$f}]')" = "[\"$st\",$want,\"ok\",true]" ] || { echo "$st: $h"; return 1; }
	done
	[ "$(hook_of "$ID" prestart | jq -r 'select(.index==0)|.origin.kind')" = engine ]
}

@test "--expect poststart fails when the wrapper's hook is removed, and when it fails" {
	rm -f "$E/hooks.json"
	docker_ci --runtime hsrc -- --expect poststart
	[ "$status" -eq 3 ] || { echo "$stderr"; return 1; }
	[[ "$stderr" == *"container $ID (runc): no poststart hook is configured"* ]]
	[ "$(ctr_recs "$ID" | grep -c .)" -eq 1 ]

	M=$(tid)
	hooks_json "$M" 'poststart=exit 1' | jq -c '{poststart}' >"$E/hooks.json"
	docker_ci --runtime hsrc -- --expect poststart
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container $ID (runc)"*"poststart"* ]] || { echo "$stderr"; return 1; }
	[ "$(hook_of "$ID" poststart | jq -c '[.index,.status,.exit_code]')" = '[0,"failed",1]' ]
	[ "$(ctr_recs "$ID" | grep -c .)" -eq 1 ]
	[ "$(ctr_recs "$ID" | jq -r .verdict)" = hook_failed ]
}

@test "ctr run with the runc v2 shim and a spec carrying hooks: one timeline, every stage" {
	ID=$(tid ctr)
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$ID")" "true"
	jq --arg r "$BATS_TEST_TMPDIR/b/rootfs" '.root.path = $r' "$BATS_TEST_TMPDIR/b/config.json" >"$BATS_TEST_TMPDIR/spec.json"
	hs_ci -c "$ID" --expect all -- ctr -a "$E/ctd.sock" -n "$NS" run --rm \
		--runtime io.containerd.runc.v2 --config "$BATS_TEST_TMPDIR/spec.json" "$ID"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat "$HS_OUT"; return 1; }
	[ "$(rt_cmds "$ID" | tr '\n' ,)" = "create,start,delete,delete --force," ] || { rt_cmds "$ID"; return 1; }
	c=$(ctr_recs "$ID")
	[ "$(echo "$c" | grep -c .)" -eq 1 ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -c '[.runtime,.state,.verdict]')" = '["runc","deleted","ok"]' ]
	[ "$(echo "$c" | jq -c '[.stages[]|[.configured,.fired,.failed]]|unique')" = '[[1,1,0]]' ] || { echo "$c"; return 1; }
	# the shim's bundle under containerd's state, runc's root under /run/containerd/runc/NS
	[ "$(echo "$c" | jq -r .bundle)" = "$E/ctd-state/io.containerd.runtime.v2.task/$NS/$ID" ]
	for st in $STAGES; do
		[ "$(hook_of "$ID" "$st" | jq -c --arg f "$E/ctd-state/io.containerd.runtime.v2.task/$NS/$ID/config.json" \
			'[.index,.status,.argv[-1],.origin=={"kind":"config","file":$f}]')" = "[0,\"ok\",\"$ID-$st\",true]" ] || { hook_of "$ID" "$st"; return 1; }
	done
}

@test "a wrapper binary named runc that rewrites config.json in-process then execs runc: what runc read" {
	ID=$(tid wrap)
	W=$BATS_TEST_TMPDIR/w
	mkdir -p "$W"
	cp "$ROOT/build/tests/wraprt" "$W/runc" # named like the runtime: followed as runc
	mkb "$BATS_TEST_TMPDIR/b" "{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$ID-orig\"]}]}"
	# what the wrapper puts in place of config.json: one more hook, in poststart
	jq --arg m "$ID-wrapped" '.hooks.poststart = [{"path":"/bin/sh","args":["sh","-c","cat >/dev/null",$m]}]' \
		"$BATS_TEST_TMPDIR/b/config.json" >"$BATS_TEST_TMPDIR/b/config.wrapped.json"
	hs_ci -c "$ID" --expect poststart -- env WRAPRT_REAL="$(command -v runc)" "$W/runc" run -b "$BATS_TEST_TMPDIR/b" "$ID"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat "$HS_OUT"; return 1; }
	runc delete -f "$ID" >/dev/null 2>&1 || true
	# the wrapper and runc in one process, one after the other
	[ "$(q --arg c "$ID" 'select(.type=="exec" and .role=="runtime" and .argv[-1]==$c)|.pid' | sort -u | wc -l)" -eq 1 ]
	[ "$(q --arg c "$ID" 'select(.type=="exec" and .role=="runtime" and .argv[-1]==$c)|.path' | tr '\n' ,)" = "\"$W/runc\",\"$(command -v runc)\"," ]
	c=$(ctr_recs "$ID")
	[ "$(echo "$c" | grep -c .)" -eq 1 ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -c '[.state,.verdict,.stages.prestart.fired,.stages.poststart.configured,.stages.poststart.fired]')" = '["deleted","ok",1,1,1]' ] || { echo "$c"; return 1; }
	[ "$(hook_of "$ID" poststart | jq -c '[.index,.status,.argv[-1]]')" = "[0,\"ok\",\"$ID-wrapped\"]" ]
}
