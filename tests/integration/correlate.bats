#!/usr/bin/env bats
# Container correlation against real runtimes: every hook attributed to its
# container, stage and index; container records with verdicts; CI mode.
# Assertions are on the JSON records (hook, container, summary).

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	hs_teardown
	for id in ${CIDS:-}; do cleanup_ctr "$id"; done
	true
}

# hs_ci ARGS... -- CMD : run hooksnoop in CI mode with JSON into $HS_OUT.
# Tests that judge --expect pass -c ID: --expect covers every container seen,
# and other containers may run on the host at the same time.
hs_ci() {
	HS_OUT=$BATS_TEST_TMPDIR/ci.jsonl
	run --separate-stderr "$HS" -j -o "$HS_OUT" --grace 5 "$@"
}

hook() { # CID STAGE -> the hook record(s) of that stage
	q --arg c "$1" --arg s "$2" 'select(.type=="hook" and .container==$c and .stage==$s)'
}
ctr() { q --arg c "$1" 'select(.type=="container" and .container==$c)'; }

check_full_timeline() { # CID RUNTIME [MARK]
	local st mark=${3:-$1}
	for st in $STAGES; do
		r=$(hook "$1" "$st")
		[ "$(echo "$r" | grep -c .)" -eq 1 ] || { echo "$st: $r"; return 1; }
		[ "$(echo "$r" | jq -c '[.index,.status,.inferred,.runtime,.argv[-1],.exit_code]')" = "[0,\"ok\",false,\"$2\",\"$mark-$st\",0]" ] ||
			{ echo "$st: $r"; return 1; }
		[ "$(echo "$r" | jq '.duration_ns > 0 and .end_ns > .start_ns')" = true ]
	done
	c=$(ctr "$1")
	[ "$(echo "$c" | grep -c .)" -eq 1 ]
	[ "$(echo "$c" | jq -r .verdict)" = ok ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -c '[.stages[]|[.configured,.fired,.failed]]|unique')" = "[[1,1,0]]" ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -r .process.exit_code)" = 0 ]
	[ "$(echo "$c" | jq -r .state)" = deleted ]
}

@test "crun run: six hooks, each in its stage with index 0, verdict ok" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "true"
	# -c: the summary counts our container only, whatever else runs on the host
	hs_ci -c "$CID" -- "$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	check_full_timeline "$CID" crun
	# host-side stages come from crun, container-side ones from the container init
	cpid=$(ctr "$CID" | jq .process.pid)
	[ "$(hook "$CID" startContainer | jq .ppid)" -eq "$cpid" ]
	[ "$(hook "$CID" poststop | jq .ppid)" -ne "$cpid" ]
	[ "$(q 'select(.type=="summary")|[.containers,.hooks,.lost_events]|tostring')" = '"[1,6,0]"' ]
}

@test "runc run: six hooks, each in its stage with index 0, verdict ok" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "true"
	hs_ci -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	check_full_timeline "$CID" runc
}

create_start_delete() { # RUNTIME-CMD...
	"$@" create -b "$BATS_TEST_TMPDIR/b" "$CID" </dev/null
	"$@" start "$CID"
	for _ in $(seq 50); do
		"$@" state "$CID" | grep -q stopped && break
		sleep 0.1
	done
	"$@" delete "$CID"
}

@test "crun and runc create / start / delete as three commands form one timeline" {
	for rt in runc crun; do
		CID=$(tid "$rt"); CIDS="$CIDS $CID"
		rm -rf "$BATS_TEST_TMPDIR/b"
		mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "true"
		export CID BATS_TEST_TMPDIR
		if [ $rt = runc ]; then
			hs_ci -- bash -c "$(declare -f create_start_delete); create_start_delete runc"
		else
			hs_ci -- "$ROOT/tools/with-cgroup2" bash -c "$(declare -f create_start_delete); create_start_delete crun --cgroup-manager=disabled"
		fi
		[ "$status" -eq 0 ] || { echo "$rt: $stderr"; return 1; }
		check_full_timeline "$CID" $rt
	done
	# runc runs poststart during create, crun during start
	true
}

@test "a createRuntime hook that exits 1: hook_failed, later hooks not run, none reported missing" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID" 'createRuntime=exit 1')"
	for rt in runc crun; do
		if [ $rt = runc ]; then
			hs_ci -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
		else
			hs_ci -- "$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$BATS_TEST_TMPDIR/b" "$CID"
		fi
		[ "$status" -ne 0 ] # the runtime fails the run
		cleanup_ctr "$CID"
		[ "$(hook "$CID" createRuntime | jq -c '[.status,.exit_code]')" = '["failed",1]' ]
		c=$(ctr "$CID")
		[ "$(echo "$c" | jq -r .verdict)" = hook_failed ] || { echo "$rt: $c"; return 1; }
		[ "$(echo "$c" | jq '.stages.createRuntime.failed')" -eq 1 ]
		[ "$(echo "$c" | jq '.stages.startContainer.fired')" -eq 0 ]
		[ -z "$(hook "$CID" startContainer)" ]
	done
}

@test "deletes after the lifecycle ended (a failed run cleaned up, a second --force) or of nothing add no container" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID" 'createRuntime=exit 1')"
	# and a cleanup's delete of an ID that never existed (runc: crun in its own
	# mount namespace may exit before its root can be opened, and then
	# whether its state existed cannot be told)
	hs_ci -c "$CID*" -- sh -c "runc run -b $BATS_TEST_TMPDIR/b $CID </dev/null; runc delete $CID; runc delete --force $CID;
		runc delete -f $CID-never; true"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(ctr "$CID" | grep -c .)" -eq 1 ] || { cat "$HS_OUT"; return 1; }
	[ "$(ctr "$CID" | jq -c '[.state,.verdict,.bundle != null]')" = '["failed","hook_failed",true]' ]
	[ "$(q 'select(.type=="summary")|.containers')" -eq 1 ] || { cat "$HS_OUT"; return 1; }
}

@test "timeout 1 with a hook that sleeps 5: status timeout" {
	CID=$(tid); CIDS=$CID
	H="{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"sleep 5\",\"$CID-slow\"],\"timeout\":1}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	hs_ci -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	r=$(hook "$CID" createRuntime)
	[ "$(echo "$r" | jq -r .status)" = timeout ] || { echo "$r"; return 1; }
	[ "$(echo "$r" | jq '.duration_ns >= 1000000000 and .duration_ns < 4000000000')" = true ]
	[ "$(ctr "$CID" | jq -r .verdict)" = hook_failed ]
}

@test "a missing hook binary: exec_failed with errno ENOENT and the requested path" {
	CID=$(tid); CIDS=$CID
	H="{\"createRuntime\":[{\"path\":\"/nonexistent/$CID\",\"args\":[\"x\"]}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	for rt in runc crun; do
		if [ $rt = runc ]; then
			hs_ci -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
		else
			hs_ci -- "$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$BATS_TEST_TMPDIR/b" "$CID"
		fi
		cleanup_ctr "$CID"
		r=$(hook "$CID" createRuntime | head -1)
		[ "$(echo "$r" | jq -c '[.status,.errno,.path,.index]')" = "[\"exec_failed\",2,\"/nonexistent/$CID\",0]" ] || { echo "$rt: $r"; return 1; }
		[ "$(ctr "$CID" | jq -r .verdict)" = hook_failed ]
	done
}

@test "identical hook commands in two stages land in their own stages" {
	CID=$(tid); CIDS=$CID
	same="{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$CID-same\"]}"
	H="{\"createRuntime\":[$same,$same],\"poststart\":[$same],\"poststop\":[$same]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	hs_ci -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$(q --arg c "$CID" -s '[.[]|select(.type=="hook" and .container==$c)|"\(.stage)[\(.index)]"]|join(" ")')" = '"createRuntime[0] createRuntime[1] poststart[0] poststop[0]"' ]
	[ "$(ctr "$CID" | jq -r .verdict)" = ok ]
}

@test "\"Poststart\" (capital P): runc fires it as poststart, crun ignores it; both warn" {
	CID=$(tid); CIDS=$CID
	# hooks read their stdin (see HOOK_CMD): crun fails on EPIPE otherwise
	H="{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\"]}],\"Poststart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$CID-ps\"]}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	hs_ci -c "$CID" --expect poststart -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(hook "$CID" poststart | jq -c '[.index,.status,.argv[-1]]')" = "[0,\"ok\",\"$CID-ps\"]" ]
	c=$(ctr "$CID")
	[ "$(echo "$c" | jq -c '.stages.poststart|[.configured,.fired]')" = "[1,1]" ]
	echo "$c" | jq -e '.warnings|map(.code)|index("HOOK_KEY_CASE")'
	[ "$(q 'select(.type=="summary")|.expectations')" = '"pass"' ]

	hs_ci -c "$CID" --expect poststart -- "$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 3 ] || { echo "status $status: $stderr"; return 1; }
	[[ "$stderr" == *"no poststart hook is configured"* ]]
	[ -z "$(hook "$CID" poststart)" ]
	c=$(ctr "$CID")
	[ "$(echo "$c" | jq -c '.stages.poststart|[.configured,.fired]')" = "[0,0]" ]
	[ "$(echo "$c" | jq -r .verdict)" = ok ]
	echo "$c" | jq -e '.warnings|map(.code)|index("HOOK_KEY_CASE")'
	[ "$(q 'select(.type=="summary")|.expectations')" = '"fail"' ]
}

@test "two containers at once with interleaved hooks never mix" {
	A=$(tid a); B=$(tid b); CIDS="$A $B"
	mkb "$BATS_TEST_TMPDIR/a" "$(hooks_json "$A" 'createRuntime=sleep 0.3' 'poststop=sleep 0.2')" "sleep 0.5"
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$B" 'prestart=sleep 0.2' 'poststart=sleep 0.3')" "sleep 0.5"
	hs_ci -- bash -c "runc run -b $BATS_TEST_TMPDIR/a $A </dev/null & runc run -b $BATS_TEST_TMPDIR/b $B </dev/null & wait"
	[ "$status" -eq 0 ]
	for id in $A $B; do
		check_full_timeline "$id" runc
		# every hook of this container carries this container's marker
		[ "$(q --arg c "$id" 'select(.type=="hook" and .container==$c and (.argv[-1]|startswith($c)|not))' | wc -l)" -eq 0 ]
	done
}

@test "--expect all passes for a complete timeline; CMD's own failure status wins" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "true"
	hs_ci -c "$CID" --expect all -- runc run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	hs_ci --expect all -- sh -c "exit 7"
	[ "$status" -eq 7 ]
}

podman_image() {
	podman image exists localhost/hooksnoop-bb && return 0
	"$ROOT/tools/mkbundle" "$BATS_TEST_TMPDIR/img" >/dev/null
	tar -C "$BATS_TEST_TMPDIR/img/rootfs" -c . | podman import - localhost/hooksnoop-bb >/dev/null
}

@test "podman with runc and with crun: hooks.d hooks in all stages, podman's own poststop" {
	podman_image
	mkdir -p "$BATS_TEST_TMPDIR/hooks.d"
	for rt in runc crun; do
		M=$(tid "$rt")
		rm -f "$BATS_TEST_TMPDIR"/hooks.d/*
		for st in $STAGES; do
			printf '{"version":"1.0.0","hook":{"path":"/bin/sh","args":["sh","-c","cat >/dev/null","%s-%s"]},"when":{"always":true},"stages":["%s"]}\n' \
				"$M" "$st" "$st" > "$BATS_TEST_TMPDIR/hooks.d/$st.json"
		done
		common="--cgroup-manager=cgroupfs --hooks-dir $BATS_TEST_TMPDIR/hooks.d run --rm --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network=none"
		if [ $rt = runc ]; then
			hs_ci -- podman --runtime runc $common localhost/hooksnoop-bb true
		else
			hs_ci -- "$ROOT/tools/with-cgroup2" podman --runtime crun $common --cgroups=disabled localhost/hooksnoop-bb true
		fi
		[ "$status" -eq 0 ] || { echo "$rt: $stderr"; return 1; }
		# the container is podman's 64-hex ID: find it by our hooks' marker
		CID=$(q --arg m "$M-prestart" 'select(.type=="hook" and .argv[-1]==$m)|.container' | head -1 | tr -d '"')
		[ ${#CID} -eq 64 ] || { echo "$rt: no container for $M"; cat "$HS_OUT"; return 1; }
		check_full_timeline "$CID" "$rt" "$M"
		# podman copied them into config.json; each says which hooks.d file it came from
		for st in $STAGES; do
			[ "$(hook "$CID" "$st" | jq -c .origin)" = "{\"kind\":\"hooks.d\",\"file\":\"$BATS_TEST_TMPDIR/hooks.d/$st.json\"}" ] ||
				{ echo "$rt $st: $(hook "$CID" "$st")"; return 1; }
		done
	done
}

@test "podman's own poststop hook is run by podman, after the runtime's delete" {
	podman_image
	mkdir -p "$BATS_TEST_TMPDIR/hooks.d"
	M=$(tid)
	printf '{"version":"1.0.0","hook":{"path":"/bin/sh","args":["sh","-c","cat >/dev/null","%s"]},"when":{"always":true},"stages":["poststop"]}\n' \
		"$M" > "$BATS_TEST_TMPDIR/hooks.d/ps.json"
	HS_OUT=$BATS_TEST_TMPDIR/all.jsonl
	run "$HS" -a -j -o "$HS_OUT" -- podman --runtime runc --cgroup-manager=cgroupfs \
		--hooks-dir "$BATS_TEST_TMPDIR/hooks.d" run --rm --network=none \
		--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 localhost/hooksnoop-bb true
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	h=$(q --arg m "$M" 'select(.type=="hook" and .argv[-1]==$m)')
	[ "$(echo "$h" | jq -r .stage)" = poststop ]
	# its parent is a podman process
	pp=$(echo "$h" | jq .ppid)
	[ "$(q --argjson p "$pp" 'select(.type=="exec" and .pid==$p and .role=="runtime")|.comm' | tail -1)" = '"podman"' ]
}

@test "-c ID (glob) shows only the matching containers" {
	A=$(tid keep); B=$(tid drop); CIDS="$A $B"
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json x)"
	hs_ci -c "*keep" -- bash -c "runc run -b $BATS_TEST_TMPDIR/b $A </dev/null; runc run -b $BATS_TEST_TMPDIR/b $B </dev/null"
	[ "$status" -eq 0 ]
	[ "$(q -s '[.[]|select(.type=="container")|.container]|tostring')" = "\"[\\\"$A\\\"]\"" ]
	[ "$(q -s "[.[]|select(.type==\"hook\" and .container!=\"$A\")]|length")" -eq 0 ]
}

@test "text mode: hook lines as they end, then a timeline block that fits 100 columns" {
	CID=$(tid); CIDS=$CID
	H="{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\"]}],\"Poststart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\"]}]}"
	mkb "$BATS_TEST_TMPDIR/b" "$H"
	run "$HS" -c "$CID" -- "$ROOT/tools/with-cgroup2" crun --cgroup-manager=disabled run -b "$BATS_TEST_TMPDIR/b" "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$CID crun createRuntime[0]"* ]]
	[[ "$output" == *"== container $CID (crun) deleted, verdict: ok"* ]]
	[[ "$output" == *"not run by this runtime"* ]]
	[[ "$output" == *"HOOK_KEY_CASE"* ]]
	[ "$(printf '%s\n' "$output" | awk '{ if (length($0) > 100) n++ } END { print n+0 }')" -eq 0 ]
}

@test "hooksnoop demo: both timelines, the Poststart explanation, nothing left behind" {
	run "$HS" demo
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == *"(runc) deleted, verdict: ok"* ]]
	[[ "$output" == *"(crun) deleted, verdict: ok"* ]]
	[[ "$output" == *"HOOK_KEY_CASE"* ]]
	# runc fired poststart, crun did not
	[ "$(printf '%s\n' "$output" | grep -c 'runc poststart\[0\]')" -eq 1 ]
	[ "$(printf '%s\n' "$output" | grep -c 'crun poststart\[0\]')" -eq 0 ]
	# the third container: its createRuntime hook fails under crun
	[[ "$output" == *"(crun) failed, verdict: hook_failed"* ]]
	printf '%s\n' "$output" | grep -Eq '^[0-9.]+ +hook…crunfail-[0-9]+ crun createRuntime\[0\] [0-9.]+(us|ms) failed\(1\)'
	# what it said, which crun sent to /dev/null, under it
	printf '%s\n' "$output" | grep -qxF '             stderr (null, 75 bytes):'
	printf '%s\n' "$output" | grep -qxF '             | demo-net-hook: cannot attach veth0 to bridge cni0: no such device'
	# the container column tells the runc and crun containers apart
	r=$(printf '%s\n' "$output" | grep -E '^[0-9.]+ .* runc prestart\[0\]' | awk '{print $2}')
	c=$(printf '%s\n' "$output" | grep -E '^[0-9.]+ .* crun prestart\[0\]' | awk '{print $2}')
	[ -n "$r" ] && [ -n "$c" ] && [ "$r" != "$c" ] || { echo "runc: $r crun: $c"; return 1; }
	[ -z "$(ls -d /tmp/hooksnoop-demo.* 2>/dev/null)" ]
	[ "$(runc list | grep -c hooksnoop-demo)" -eq 0 ]
}

@test "create before tracing, start and delete under it: state dir gives the config" {
	for rt in runc crun; do
		CID=$(tid "$rt"); CIDS="$CIDS $CID"
		rm -rf "$BATS_TEST_TMPDIR/b"
		mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "true"
		if [ $rt = runc ]; then
			R="runc"
		else
			R="$ROOT/tools/with-cgroup2 crun --cgroup-manager=disabled"
		fi
		$R create -b "$BATS_TEST_TMPDIR/b" "$CID" </dev/null
		# runc: from here on the bundle is irrelevant, move it away so the
		# config must come from runc's state.json (crun's delete reads its
		# state's config.json but runs poststop hooks in the bundle: their
		# child cannot chdir there and exits 1 unexec'd, see hookwatch.bats)
		[ $rt = runc ] && mv "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/gone"
		hs_ci -- sh -c "$R start $CID; sleep 0.5; $R delete $CID"
		[ "$status" -eq 0 ] || { echo "$rt: $stderr"; return 1; }
		c=$(ctr "$CID")
		[ -n "$c" ] || { echo "$rt: no container record"; cat "$HS_OUT"; return 1; }
		[ "$(echo "$c" | jq -c '[.stages.startContainer.fired,.stages.poststop.fired]')" = "[1,1]" ] || { echo "$rt: $c"; return 1; }
		[ "$(hook "$CID" startContainer | jq -r '.index')" = 0 ]
		[ "$(hook "$CID" poststop | jq -r '.index')" = 0 ]
		[ "$(echo "$c" | jq -r .verdict)" = ok ] || { echo "$rt: $c"; return 1; }
		[ $rt = runc ] && mv "$BATS_TEST_TMPDIR/gone" "$BATS_TEST_TMPDIR/b"
		true
	done
}

@test "a lost exit record: the runtime is found gone, its container ends unknown while tracing goes on" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "sleep 2"
	cp /bin/true "$BATS_TEST_TMPDIR/runc"
	hs_start -c "$CID" --ringbuf-size 4096 --root-rate 0
	runc run -b "$BATS_TEST_TMPDIR/b" "$CID" </dev/null &
	rp=$!
	for _ in $(seq 100); do
		[ "$(runc state "$CID" 2>/dev/null | jq -r .status)" = running ] && break
		sleep 0.05
	done
	sleep 0.3 # its records so far are read
	# stopped while a flood of runtime starts fills the 4 KiB ring and runc exits: its exit is lost
	kill -STOP "$HS_PID"
	for _ in $(seq 64); do "$BATS_TEST_TMPDIR/runc"; done
	wait "$rp"
	kill -CONT "$HS_PID"
	# found gone a second after the loss is seen, not when tracing stops
	for _ in $(seq 100); do
		[ -n "$(q "select(.type==\"container\" and .container==\"$CID\")")" ] && break
		sleep 0.05
	done
	c=$(q "select(.type==\"container\" and .container==\"$CID\")")
	[ -n "$c" ] || { echo "no container record while tracing"; cat "$HS_ERR"; return 1; }
	[ "$(echo "$c" | jq -r .verdict)" = unknown ] || { echo "$c"; return 1; }
	grep -q "exit record was lost" "$HS_ERR"
	hs_stop
	[ "$(q 'select(.type=="summary")|.lost_events')" -gt 0 ]
}

@test "lost events: counted, the container is unknown (never missing), --expect says UNKNOWN" {
	CID=$(tid); CIDS=$CID
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")" "true"
	# the tracer is stopped while the container runs: a 4 KiB ring buffer overflows
	hs_ci -c "$CID" --ringbuf-size 4096 --expect all -- sh -c \
		"kill -STOP \$PPID; runc run -b $BATS_TEST_TMPDIR/b $CID </dev/null; kill -CONT \$PPID"
	[ "$status" -eq 3 ] || { echo "status $status: $stderr"; return 1; }
	[[ "$stderr" == *"UNKNOWN"* ]]
	lost=$(q 'select(.type=="summary")|.lost_events')
	[ "$lost" -gt 0 ]
	[ "$(q -s '[.[]|select(.type=="lost")|.count]|add')" -eq "$lost" ]
	[ "$(q 'select(.type=="container" and .verdict=="missing")' | wc -l)" -eq 0 ]
	c=$(ctr "$CID")
	if [ -n "$c" ]; then
		[ "$(echo "$c" | jq -r .verdict)" = unknown ]
	fi
	[ "$(q 'select(.type=="summary")|.expectations')" = '"fail"' ]
}
