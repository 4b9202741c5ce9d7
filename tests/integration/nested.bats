#!/usr/bin/env bats
# Nested runtimes: a real runc running in its own mount namespace and root
# (as in Docker-in-Docker, podman in a CI container, kind) names paths that
# mean something else on the host. hooksnoop must read them in the
# runtime's root, never the host's, and say the container is nested.

bats_require_minimum_version 1.5.0
load helpers

teardown() {
	hs_teardown
	[ -n "${CID:-}" ] && cleanup_ctr "$CID"
	true
}

# run_nested ROOT BUNDLE ID [CWD]: runc run inside a private mount namespace
# chrooted at ROOT (the host's /usr, /etc, /dev and /sys bound in, its own
# /proc, /run and /tmp), with BUNDLE as that root names it (relative to CWD,
# a directory inside ROOT, when given).
run_nested() {
	unshare -m --propagation private sh -c '
		set -e
		r=$1
		mount --bind "$r" "$r" # a mount point: runc pivots out of it
		for d in usr etc dev sys; do mkdir -p "$r/$d"; mount --rbind "/$d" "$r/$d"; done
		for l in /bin /lib /lib64 /sbin; do [ -L "$l" ] && cp -a "$l" "$r/"; done
		mkdir -p "$r/proc" "$r/run" "$r/tmp"
		mount -t proc proc "$r/proc"
		mount -t tmpfs tmpfs "$r/run"
		cd /
		exec chroot "$r" /bin/sh -c "cd \"\$1\" && exec runc run -b \"\$2\" \"\$3\"" \
			sh "${4:-/}" "$2" "$3" </dev/null' nested "$@"
}

# a bundle at the same absolute path on the host (decoy) and in the root (real)
nested_bundles() { # ROOT BUNDLE
	mkb "$2" "$(hooks_json decoy)"
	mkdir -p "$1$2"
	mkb "$1$2" "{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$CID-prestart\"]}],
		\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"$HOOK_CMD\",\"$CID-poststop\"]}]}"
}

check_nested() { # BUNDLE
	c=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)')
	[ -n "$c" ] || { cat "$HS_OUT"; return 1; }
	# the configuration is the nested root's: two stages, not the decoy's six
	[ "$(echo "$c" | jq -r .configuration)" = ok ] || { echo "$c"; return 1; }
	[ "$(echo "$c" | jq -c '[.stages[]|.configured]')" = "[1,0,0,0,0,1]" ]
	[ "$(echo "$c" | jq -c '[.stages[]|.fired]')" = "[1,0,0,0,0,1]" ]
	[ "$(echo "$c" | jq -r .verdict)" = ok ]
	[ "$(echo "$c" | jq -r .bundle)" = "$1" ]
	# nested, in a mount namespace that is not ours
	[ "$(echo "$c" | jq -r '.nested|type')" = object ]
	[ "$(echo "$c" | jq -r '.nested.mntns')" != "$(stat -Lc %i /proc/self/ns/mnt)" ]
	for st in prestart poststop; do
		[ "$(q --arg c "$CID" --arg s "$st" 'select(.type=="hook" and .container==$c and .stage==$s)|[.index,.inferred,.argv[-1]]')" = "[0,false,\"$CID-$st\"]" ]
	done
	# nothing from the host's decoy bundle
	[ "$(grep -c decoy- "$HS_OUT")" -eq 0 ]
}

@test "nested runc: bundle read in the runtime's own root, never the host's" {
	CID=$(tid)
	NR=$BATS_TEST_TMPDIR/nroot
	B=$BATS_TEST_TMPDIR/nb # the same absolute path on the host and inside NR
	nested_bundles "$NR" "$B"
	hs_start
	run_nested "$NR" "$B" "$CID"
	hs_stop
	check_nested "$B"
}

@test "nested runc with a relative bundle: its cwd is read in its own root" {
	CID=$(tid)
	NR=$BATS_TEST_TMPDIR/nroot
	B=$BATS_TEST_TMPDIR/nb
	nested_bundles "$NR" "$B"
	hs_start
	run_nested "$NR" nb "$CID" "$BATS_TEST_TMPDIR"
	hs_stop
	check_nested "$B"
}

@test "host runc: the container is not nested" {
	CID=$(tid)
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")"
	hs_start
	run_runc "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	[ "$(q --arg c "$CID" 'select(.type=="container" and .container==$c)|.nested')" = null ]
}

# hooksnoop itself sandboxed, as its systemd unit and its container image run
# it: a mount namespace of its own, only the unit's capabilities. The host's
# runtimes are not nested (the host is our outermost ancestor's namespace,
# not ours), and their files are read through /proc/PID/root.
@test "sandboxed hooksnoop (own mount namespace): a host runc container is not nested" {
	CID=$(tid)
	mkb "$BATS_TEST_TMPDIR/b" "$(hooks_json "$CID")"
	cat > "$BATS_TEST_TMPDIR/sandboxed" <<-EOS
	#!/bin/sh
	exec unshare -m --propagation slave setpriv --inh-caps=-all --no-new-privs \
		--bounding-set=-all,+bpf,+perfmon,+sys_ptrace,+dac_read_search "$HS" "\$@"
	EOS
	chmod +x "$BATS_TEST_TMPDIR/sandboxed"
	HS=$BATS_TEST_TMPDIR/sandboxed hs_start -c "$CID"
	[ "$(stat -Lc %i /proc/$HS_PID/ns/mnt)" != "$(stat -Lc %i /proc/self/ns/mnt)" ]
	run_runc "$BATS_TEST_TMPDIR/b" "$CID"
	hs_stop
	c=$(q --arg c "$CID" 'select(.type=="container" and .container==$c)')
	echo "$c"
	[ "$(echo "$c" | jq -c .nested)" = null ]
	[ "$(echo "$c" | jq -r .configuration)" = ok ]
	[ "$(echo "$c" | jq -r .verdict)" = ok ]
	[ "$(echo "$c" | jq -c '[.stages[].fired]')" = "[1,1,1,1,1,1]" ]
	[ "$(q --arg c "$CID" 'select(.type=="hook" and .container==$c and .inferred==false)' | wc -l)" = 6 ]
}
