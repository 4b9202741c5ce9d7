#!/usr/bin/env bats
# Kernel reach: before loading, hooksnoop probes what the kernel lacks and
# says it in one line with the minimum Linux version, exit 1, nothing on
# stdout, CMD never run. HOOKSNOOP_BTF points the probe (and CO-RE) at
# another BTF file, which is how a kernel without BTF is imitated here; the
# other probes (ring buffer, task storage, bpf_loop, tp_btf) are exercised
# through their message in tests/unit/test_kfeat.c and for real on 6.1 by
# `make vmtest`.

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	[ -n "${CID:-}" ] && cleanup_ctr "$CID"
	true
}

@test "kernel: no BTF file -> one line naming it and the minimum kernel, exit 1, CMD not run" {
	run --separate-stderr env HOOKSNOOP_BTF=/nonexistent/vmlinux "$HS" -j -- \
		touch "$BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "hooksnoop: this kernel ($(uname -r)) lacks kernel BTF at /nonexistent/vmlinux (Linux 5.4): hooksnoop needs Linux 5.17 or later"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "kernel: a BTF file that is not BTF -> the same one line after the load fails" {
	printf 'not BTF\n' >"$BATS_TEST_TMPDIR/btf"
	run --separate-stderr env HOOKSNOOP_BTF="$BATS_TEST_TMPDIR/btf" "$HS" -d 1
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"lacks kernel BTF at $BATS_TEST_TMPDIR/btf (Linux 5.4): hooksnoop needs Linux 5.17"* ]]
}

@test "kernel: a copy of the kernel's BTF passes the probes and traces runc" {
	cp /sys/kernel/btf/vmlinux "$BATS_TEST_TMPDIR/vmlinux"
	CID=$(tid)
	B=$BATS_TEST_TMPDIR/b
	mkb "$B" "$(hooks_json "$CID")"
	run --separate-stderr env HOOKSNOOP_BTF="$BATS_TEST_TMPDIR/vmlinux" "$HS" -j -c "$CID" \
		--expect all -- runc run -b "$B" "$CID" </dev/null
	echo "$stderr"
	[ "$status" -eq 0 ]
	n=$(echo "$output" | jq -c --arg c "$CID" 'select(.type=="hook" and .container==$c)' | wc -l)
	[ "$n" -eq 6 ]
}
