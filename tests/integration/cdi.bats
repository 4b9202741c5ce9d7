#!/usr/bin/env bats
# CDI specs with real podman 4.3: hooks a spec's containerEdits inject
# (through `podman run --device VENDOR/CLASS=NAME`) are attributed to their
# stage and carry origin {"kind":"cdi","file":SPEC}; hooks with one path
# are told apart by argv; and lint's claims about specs podman refuses hold.
# Each test writes uniquely named spec files into /var/run/cdi (podman's
# dynamic spec directory: nothing else reads a spec unless a --device names
# its kind) and removes them in teardown. What ran is read from files the
# hooks write, never from hooksnoop.

bats_require_minimum_version 1.5.0
load helpers

CDI_DIR=/var/run/cdi

setup() {
	V=hs$$n${BATS_TEST_NUMBER}.test	# a vendor of our own: no other spec can collide
	SPECS=()
	mkdir -p "$CDI_DIR"
}

teardown() {
	hs_teardown
	for f in "${SPECS[@]}"; do rm -f "$f"; done
	true
}

podman_image() {
	podman image exists localhost/hooksnoop-bb && return 0
	"$ROOT/tools/mkbundle" "$BATS_TEST_TMPDIR/img" >/dev/null
	tar -C "$BATS_TEST_TMPDIR/img/rootfs" -c . | podman import - localhost/hooksnoop-bb >/dev/null
}

# spec FILE TEXT: install a spec file, removed in teardown
spec() {
	SPECS+=("$1")
	printf '%s\n' "$2" > "$1"
}

# hook STAGE MARK [INDENT]: a YAML hook entry whose shell records MARK in $BATS_TEST_TMPDIR/ran
hook() {
	local p=${3:-}
	printf '%s- hookName: %s\n%s  path: /bin/sh\n%s  args: [sh, -c, "cat >/dev/null; echo %s >> %s/ran", %s]\n' \
		"$p" "$1" "$p" "$p" "$2" "$BATS_TEST_TMPDIR" "$2"
}

# podman run with the testbed's flags (see TESTBED.md), then ARGS...
PRUN=(podman --runtime runc --cgroup-manager=cgroupfs run --rm --network=none
	--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
prun() { "${PRUN[@]}" "$@"; }

@test "podman --device: CDI hooks attributed, origin cdi with the spec file (YAML and JSON)" {
	podman_image
	Y=$CDI_DIR/$V-gpu.yaml J=$CDI_DIR/$V-net.json
	spec "$Y" "cdiVersion: \"0.5.0\"
kind: $V/gpu
containerEdits:
  hooks:
$(hook createRuntime "$V-spec-createRuntime" "  ")
devices:
- name: gpu0
  containerEdits:
    hooks:
$(hook prestart "$V-prestart" "    ")
$(hook poststart "$V-poststart" "    ")
$(hook poststop "$V-poststop" "    ")"
	spec "$J" "{\"cdiVersion\": \"0.4.0\", \"kind\": \"$V/net\", \"devices\": [{\"name\": \"eth0\",
 \"containerEdits\": {\"hooks\": [{\"hookName\": \"prestart\", \"path\": \"/bin/sh\",
  \"args\": [\"sh\", \"-c\", \"cat >/dev/null; echo $V-json-prestart >> $BATS_TEST_TMPDIR/ran\", \"$V-json-prestart\"]}]}}]}"
	run "$HS" lint "$Y" "$J"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	run "$HS" -j -o "$HS_OUT" -- "${PRUN[@]}" --device "$V/gpu=gpu0" --device "$V/net=eth0" \
		localhost/hooksnoop-bb true
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	# ground truth: every hook ran once
	[ "$(sort "$BATS_TEST_TMPDIR/ran" | tr '\n' ' ')" = \
		"$V-json-prestart $V-poststart $V-poststop $V-prestart $V-spec-createRuntime " ]
	for pair in prestart:$V-prestart createRuntime:$V-spec-createRuntime poststart:$V-poststart \
		poststop:$V-poststop prestart:$V-json-prestart; do
		st=${pair%%:*} m=${pair#*:}
		h=$(q --arg m "$m" 'select(.type=="hook" and .argv[-1]==$m)')
		[ "$(echo "$h" | wc -l)" -eq 1 ] || { echo "$m: $h"; return 1; }
		[ "$(echo "$h" | jq -r .stage)" = "$st" ] || { echo "$m: $h"; return 1; }
		[ "$(echo "$h" | jq -r .status)" = ok ]
		[ "$(echo "$h" | jq -r .origin.kind)" = cdi ] || { echo "$m: $h"; return 1; }
		want=$Y
		[ "$m" = "$V-json-prestart" ] && want=$J
		[ "$(echo "$h" | jq -r .origin.file)" = "$want" ] || { echo "$m: $h"; return 1; }
	done
	# two prestart hooks with one path (/bin/sh), told apart by argv: indexes 0 and 1
	[ "$(q --arg m "$V-prestart" 'select(.type=="hook" and .argv[-1]==$m)|.index')" != \
		"$(q --arg m "$V-json-prestart" 'select(.type=="hook" and .argv[-1]==$m)|.index')" ]
	CID=$(q --arg m "$V-prestart" 'select(.type=="hook" and .argv[-1]==$m)|.container' | tr -d '"')
	c=$(q --arg id "$CID" 'select(.type=="container" and .container==$id)')
	[ "$(echo "$c" | jq -r .verdict)" = ok ] || { echo "$c"; return 1; }
}

@test "text timeline names the CDI spec after the command" {
	podman_image
	Y=$CDI_DIR/$V-t.yaml
	spec "$Y" "cdiVersion: \"0.5.0\"
kind: $V/tl
devices:
- name: one
  containerEdits:
    hooks:
$(hook poststart "$V-poststart" "    ")"
	run "$HS" -- "${PRUN[@]}" --device "$V/tl=one" localhost/hooksnoop-bb true
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	echo "$output" | grep -F "poststart[0]" | grep -F "[cdi $Y]"
}

@test "podman refuses the specs lint calls refused (hookName case, unknown field, cdiVersion)" {
	podman_image
	n=0
	for bad in "hookName: CreateContainer" "hookName: createContainer
      bogus: 1" "hookName: createContainer"; do
		n=$((n + 1))
		f=$CDI_DIR/$V-bad$n.yaml
		ver=0.5.0
		[ $n -eq 3 ] && ver=0.6.0
		spec "$f" "cdiVersion: \"$ver\"
kind: $V/bad$n
devices:
- name: one
  containerEdits:
    hooks:
    - $bad
      path: /bin/true"
		run "$HS" lint --json "$f"
		[ "$status" -eq 1 ]
		code=$(echo "$output" | jq -r 'select(.type=="finding" and .severity=="error")|.code' | head -1)
		case $n in
		1) [ "$code" = CDI_HOOK_NAME ] ;;
		2) [ "$code" = CDI_FIELD_UNKNOWN ] ;;
		3) [ "$code" = CDI_VERSION ] ;;
		esac
		run prun --device "$V/bad$n=one" localhost/hooksnoop-bb true
		[ "$status" -ne 0 ] || { echo "podman accepted $f"; return 1; }
		echo "$output" | grep -F "unresolvable CDI devices"
	done
	# a one-character class: podman crashes on any CDI --device while it is installed
	spec "$CDI_DIR/$V-x.yaml" "cdiVersion: \"0.5.0\"
kind: $V/x
devices:
- name: one
  containerEdits:
    env: [A=1]"
	run "$HS" lint "$CDI_DIR/$V-x.yaml"
	echo "$output" | grep -F "one-character class: podman 4.3 crashes"
	spec "$CDI_DIR/$V-ok.yaml" "cdiVersion: \"0.5.0\"
kind: $V/ok
devices:
- name: one
  containerEdits:
    env: [A=1]"
	run prun --device "$V/ok=one" localhost/hooksnoop-bb true
	[ "$status" -ne 0 ]
	echo "$output" | grep -F "panic: runtime error: slice bounds out of range"
	rm -f "$CDI_DIR/$V-x.yaml"
	# and the same spec, fixed, is accepted
	spec "$CDI_DIR/$V-good.yaml" "cdiVersion: \"0.5.0\"
kind: $V/good
devices:
- name: one
  containerEdits:
    hooks:
    - hookName: createContainer
      path: /bin/true"
	run -0 prun --device "$V/good=one" localhost/hooksnoop-bb true
}

@test "no podman seen (runc directly): a device's hooks count as CDI only when all are there" {
	Y=$CDI_DIR/$V-direct.yaml
	spec "$Y" "cdiVersion: \"0.5.0\"
kind: $V/direct
containerEdits:
  hooks:
$(hook createRuntime "$V-spec" "  ")
devices:
- name: one
  containerEdits:
    hooks:
$(hook poststart "$V-dev" "    ")"
	sh_hook() { printf '{"path":"/bin/sh","args":["sh","-c","cat >/dev/null; echo %s >> %s/ran","%s"]}' "$1" "$BATS_TEST_TMPDIR" "$1"; }
	CID=rs$$-${BATS_TEST_NUMBER}
	# both hooks of the device (its spec's and its own): injected by CDI
	mkb "$BATS_TEST_TMPDIR/b1" "{\"createRuntime\":[$(sh_hook "$V-spec")],\"poststart\":[$(sh_hook "$V-dev")]}"
	# only one of them: the config's own
	mkb "$BATS_TEST_TMPDIR/b2" "{\"poststart\":[$(sh_hook "$V-dev")]}"
	HS_OUT=$BATS_TEST_TMPDIR/hs.jsonl
	run -0 "$HS" -j -o "$HS_OUT" -c "$CID-*" -- sh -c \
		"runc run -b $BATS_TEST_TMPDIR/b1 $CID-1 </dev/null && runc run -b $BATS_TEST_TMPDIR/b2 $CID-2 </dev/null"
	[ "$(grep -c . "$BATS_TEST_TMPDIR/ran")" -eq 3 ]
	for m in "$V-spec" "$V-dev"; do
		o=$(q --arg c "$CID-1" --arg m "$m" 'select(.type=="hook" and .container==$c and .argv[-1]==$m)|.origin|[.kind,.file]|join(" ")')
		[ "$o" = "\"cdi $Y\"" ] || { echo "$m: $o"; return 1; }
	done
	o=$(q --arg c "$CID-2" 'select(.type=="hook" and .container==$c)|.origin.kind')
	[ "$o" = '"config"' ] || { echo "$o"; return 1; }
}
