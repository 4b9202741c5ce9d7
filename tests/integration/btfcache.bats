#!/usr/bin/env bats
# The CO-RE BTF cache (user/btfcache.c): the first start on a kernel has
# bpftool cut the kernel BTF down to what the object relocates, later starts
# relocate against the cut. The answer must not change, a bad or hostile
# file must never be used, and the start must never fail because of it.
# HOOKSNOOP_BTF_CACHE points each test at a directory of its own.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	C=$BATS_TEST_TMPDIR/cache
	CID=$(tid)
	B=$BATS_TEST_TMPDIR/b
	mkb "$B" "$(hooks_json "$CID")"
}

teardown() {
	cleanup_ctr "$CID"
}

# trace_runc : run runc with six hooks under hooksnoop, cache in $C; the
# hooks' and the container process's facts, one JSON line each, in $BATS_TEST_TMPDIR/facts.N
N=0
trace_runc() {
	N=$((N + 1))
	run --separate-stderr env HOOKSNOOP_BTF_CACHE="$C" "$HS" -v -j -c "$CID" --expect all -- \
		runc run -b "$B" "$CID" </dev/null
	echo "$stderr" >"$BATS_TEST_TMPDIR/err.$N"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	echo "$output" | jq -c --arg c "$CID" 'select(.container==$c) |
		if .type=="hook" then [.stage, .index, .argv, .status, .exit_code, .stdout.bytes,
			.state.status, .state.id, [.children[].argv]]
		elif .type=="container" then [.verdict, .process.argv, .process.exit_code, .stages]
		else empty end' >"$BATS_TEST_TMPDIR/facts.$N"
	[ "$(grep -c '^\["[a-zA-Z]*",0,' "$BATS_TEST_TMPDIR/facts.$N")" -eq 6 ]
}

# wait_cut : the detached cutter renamed a whole file in place
wait_cut() {
	for _ in $(seq 100); do
		F=$(ls "$C"/core-*.btf 2>/dev/null | head -1)
		[ -n "$F" ] && return 0
		sleep 0.05
	done
	echo "no cut appeared in $C: $(ls -la "$C")"
	return 1
}

@test "btf cache: the first start cuts the kernel BTF, the next relocates against it, same answer" {
	trace_runc
	grep -q "CO-RE BTF cache: nothing for this kernel in $C yet" "$BATS_TEST_TMPDIR/err.1"
	grep -q "CO-RE BTF cache: cutting core-[0-9a-f]*.btf" "$BATS_TEST_TMPDIR/err.1"
	wait_cut
	# ours, nobody else's to write, a real BTF with the types relocated, and small
	[ "$(stat -c '%u %a %F' "$C")" = "0 700 directory" ]
	[ "$(stat -c '%u %a %F' "$F")" = "0 600 regular file" ]
	bpftool btf dump file "$F" | grep -q "STRUCT 'task_struct' size="
	bpftool btf dump file "$F" | grep -q "STRUCT 'linux_binprm' size="
	[ "$(stat -c %s "$F")" -lt 65536 ]
	[ -z "$(ls -A "$C" | grep -v '^core-[0-9a-f]*\.btf$')" ]

	trace_runc
	grep -q "CO-RE BTF cache: relocating against $F" "$BATS_TEST_TMPDIR/err.2"
	! grep -q "cutting" "$BATS_TEST_TMPDIR/err.2"
	diff "$BATS_TEST_TMPDIR/facts.1" "$BATS_TEST_TMPDIR/facts.2"
	# and against the kernel's own BTF, cache off
	C=off trace_runc
	grep -q "CO-RE BTF cache: off" "$BATS_TEST_TMPDIR/err.3"
	diff "$BATS_TEST_TMPDIR/facts.1" "$BATS_TEST_TMPDIR/facts.3"
}

@test "btf cache: a cut libbpf refuses is removed, the start goes on, a whole one replaces it" {
	trace_runc
	wait_cut
	cp "$F" "$BATS_TEST_TMPDIR/good"
	head -c 100 "$BATS_TEST_TMPDIR/good" >"$F"
	trace_runc
	grep -q "CO-RE BTF cache: relocating against $F" "$BATS_TEST_TMPDIR/err.2"
	grep -q "CO-RE BTF cache: $(basename "$F") refused, removed; using the kernel's BTF" \
		"$BATS_TEST_TMPDIR/err.2"
	diff "$BATS_TEST_TMPDIR/facts.1" "$BATS_TEST_TMPDIR/facts.2"
	for _ in $(seq 100); do
		cmp -s "$F" "$BATS_TEST_TMPDIR/good" && break
		sleep 0.05
	done
	cmp "$F" "$BATS_TEST_TMPDIR/good"
}

@test "btf cache: a link, a file others may write, or a directory others may write is never used" {
	trace_runc
	wait_cut
	mv "$F" "$BATS_TEST_TMPDIR/good"
	# a symbolic link at the file's name: not followed, replaced by a file
	ln -s "$BATS_TEST_TMPDIR/good" "$F"
	trace_runc
	! grep -q "relocating against" "$BATS_TEST_TMPDIR/err.2"
	grep -q "is a symbolic link, not followed" "$BATS_TEST_TMPDIR/err.2"
	for _ in $(seq 100); do [ ! -L "$F" ] && break; sleep 0.05; done
	[ -f "$F" ] && [ ! -L "$F" ]
	cmp "$F" "$BATS_TEST_TMPDIR/good"
	# group-writable: ignored and removed
	chmod 664 "$F"
	trace_runc
	! grep -q "relocating against" "$BATS_TEST_TMPDIR/err.3"
	grep -q "ignored: not a regular file of ours, others may write it" "$BATS_TEST_TMPDIR/err.3"
	# a directory anyone may write: no cache at all, nothing written there
	rm -rf "$C"
	mkdir -m 1777 "$C"
	trace_runc
	grep -q "CO-RE BTF cache: none, $C is a directory others may write or not ours" \
		"$BATS_TEST_TMPDIR/err.4"
	sleep 0.5
	[ -z "$(ls -A "$C")" ]
	# a directory that is a link: not followed
	rm -rf "$C"
	mkdir "$BATS_TEST_TMPDIR/real"
	ln -s "$BATS_TEST_TMPDIR/real" "$C"
	trace_runc
	grep -q "CO-RE BTF cache: none, $C is not a directory we can open" "$BATS_TEST_TMPDIR/err.5"
	sleep 0.5
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/real")" ]
	diff "$BATS_TEST_TMPDIR/facts.1" "$BATS_TEST_TMPDIR/facts.5"
}

@test "btf cache: HOOKSNOOP_BTF (another kernel's BTF) bypasses it; an empty value turns it off" {
	cp /sys/kernel/btf/vmlinux "$BATS_TEST_TMPDIR/vmlinux"
	HOOKSNOOP_BTF=$BATS_TEST_TMPDIR/vmlinux trace_runc
	! grep -q "CO-RE BTF cache" "$BATS_TEST_TMPDIR/err.1"
	[ ! -e "$C" ]
	C= trace_runc
	grep -q "CO-RE BTF cache: off" "$BATS_TEST_TMPDIR/err.2"
	[ ! -e "$C" ]
}

@test "btf cache: no bpftool, or one that fails: the start is whole, nothing (not even a temporary file) is left" {
	# bpftool hidden or replaced in a mount namespace of the test's own
	# (argv: gen min_core_btf VMLINUX OUTPUT OBJECT: half an output, then failure)
	printf '#!/bin/sh\nprintf half > "$4"\nexit 3\n' >"$BATS_TEST_TMPDIR/false-bpftool"
	chmod 755 "$BATS_TEST_TMPDIR/false-bpftool"
	: >"$BATS_TEST_TMPDIR/no-bpftool"
	for over in no-bpftool false-bpftool; do
		rm -rf "$C"
		run --separate-stderr unshare -m --propagation private sh -c '
			for b in /usr/sbin/bpftool /sbin/bpftool /usr/local/sbin/bpftool; do
				[ -e "$b" ] && mount --bind "$1" "$b"
			done
			shift
			exec "$@"' sh "$BATS_TEST_TMPDIR/$over" env HOOKSNOOP_BTF_CACHE="$C" "$HS" -v -j \
			-c "$CID" --expect all -- runc run -b "$B" "$CID" </dev/null
		[ "$status" -eq 0 ] || { echo "$stderr"; false; }
		[ "$(echo "$output" | jq -c --arg c "$CID" 'select(.type=="hook" and .container==$c)' |
			wc -l)" -eq 6 ]
		if [ $over = no-bpftool ]; then
			[[ "$stderr" == *"CO-RE BTF cache: not written, bpftool (gen min_core_btf) not found"* ]]
		else
			[[ "$stderr" == *"CO-RE BTF cache: cutting core-"* ]]
		fi
		sleep 0.5
		[ -z "$(ls -A "$C")" ]
	done
}
