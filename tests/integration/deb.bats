#!/usr/bin/env bats
# The Debian package: `make deb` (dpkg-buildpackage -b -us -uc on a copy of
# the tracked files) builds a .deb that installs the binary, the unit and
# the manual, and lintian finds no error and no warning in it. One build for
# the file (~1 min on these 2-core machines).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	export DEBDIR=$BATS_FILE_TMPDIR/deb
	make -s -C "$ROOT" deb DEBDIR="$DEBDIR" > "$BATS_FILE_TMPDIR/build.log" 2>&1 || {
		tail -40 "$BATS_FILE_TMPDIR/build.log" >&3
		return 1
	}
	VER=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
	ARCH=$(dpkg --print-architecture)
	export DEB=$DEBDIR/hooksnoop_${VER}_$ARCH.deb
	export CHANGES=$DEBDIR/hooksnoop_${VER}_$ARCH.changes
}

@test "deb: the package version is the project's VERSION" {
	[ "$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)" = "$(cat "$ROOT/VERSION")" ]
	[ -f "$DEB" ]
	[ "$(dpkg-deb -f "$DEB" Version)" = "$(cat "$ROOT/VERSION")" ]
}

# The Build-Depends package names, one per line.
build_depends() {
	dpkg-parsechangelog -l "$ROOT/debian/changelog" >/dev/null # (a readable debian/)
	sed -n '/^Build-Depends:/,/^[A-Z]/p' "$ROOT/debian/control" | sed '$d' |
		sed 's/^Build-Depends://' | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep .
}

@test "deb: Build-Depends names every library the binary links, and tools/install-deps installs them" {
	bd=$(build_depends)
	echo "$bd"
	# every library on the link line comes from a package in Build-Depends
	ma=$(gcc -dumpmachine)
	libs=$(make -pn -s -C "$ROOT" all 2>/dev/null | sed -n 's/^LDLIBS *:\?= *//p' | head -1)
	[ -n "$libs" ]
	for l in $libs; do
		case $l in
		-l*) f=$(ls /usr/lib/$ma/lib${l#-l}.so /usr/lib/lib${l#-l}.so /usr/lib/$ma/lib${l#-l}.a \
			2>/dev/null | head -1) ;;
		*) f=$l ;;
		esac
		# the -dev package owns the unversioned name (a symlink)
		p=$(dpkg -S "$f" 2>/dev/null | head -1 | cut -d: -f1)
		echo "$l -> $f -> $p"
		[ -n "$p" ]
		[ "$p" = libc6-dev ] || echo "$bd" | grep -qx "$p"
	done
	# and every Build-Depends package is one the project installs
	for p in $(echo "$bd" | grep -v '^debhelper-compat$'); do
		grep -qw -- "$p" "$ROOT/tools/install-deps"
	done
	grep -qw debhelper "$ROOT/tools/install-deps"
}

@test "deb: installs the binary in /usr/sbin, the unit, the man page, the docs" {
	run dpkg-deb -c "$DEB"
	echo "$output"
	files=$(echo "$output" | awk '$1 !~ /^d/ {print $6}' | sort)
	[ "$files" = "./lib/systemd/system/hooksnoop.service
./usr/sbin/hooksnoop
./usr/share/doc/hooksnoop/BENCHMARKS.md.gz
./usr/share/doc/hooksnoop/README.md.gz
./usr/share/doc/hooksnoop/changelog.gz
./usr/share/doc/hooksnoop/copyright
./usr/share/doc/hooksnoop/docs/architecture.md.gz
./usr/share/doc/hooksnoop/docs/lint-codes.md.gz
./usr/share/doc/hooksnoop/docs/plot.png
./usr/share/man/man8/hooksnoop.8.gz" ]
	echo "$output" | grep -q '^-rwxr-xr-x root/root .* ./usr/sbin/hooksnoop$'
}

@test "deb: the unpacked binary runs, the unit names it, the man page is hooksnoop(8)" {
	X=$BATS_TEST_TMPDIR/x
	dpkg-deb -x "$DEB" "$X"
	# the version and the commit it was built from (the copy has no .git)
	"$X/usr/sbin/hooksnoop" --version | grep -qx "hooksnoop $(cat "$ROOT/VERSION") ($(git -C "$ROOT" rev-parse --short HEAD))"
	grep -qx 'ExecStart=/usr/sbin/hooksnoop .*' "$X/lib/systemd/system/hooksnoop.service"
	zcat "$X/usr/share/man/man8/hooksnoop.8.gz" | cmp - "$ROOT/man/hooksnoop.8"
	# shared libraries found by dpkg-shlibdeps; libbpf is linked in
	deps=$(dpkg-deb -f "$DEB" Depends)
	echo "$deps"
	[[ "$deps" == *libjansson4* && "$deps" == *libelf1* && "$deps" != *libbpf* ]]
	# the unit is installed, never started by the maintainer scripts, and
	# enabled only again on upgrade when the administrator had enabled it
	dpkg-deb -e "$DEB" "$BATS_TEST_TMPDIR/ctl"
	P=$BATS_TEST_TMPDIR/ctl/postinst
	grep -q "deb-systemd-helper debian-installed 'hooksnoop.service'" "$P"
	! grep -q 'deb-systemd-invoke\|systemctl' "$P"
	[ "$(grep -c "deb-systemd-helper enable" "$P")" = \
		"$(grep -c "deb-systemd-helper --quiet was-enabled" "$P")" ]
}

@test "deb: dpkg -i installs it for real (in an overlay over this machine's root), dpkg -r removes it" {
	# the host's root stays untouched: the overlay's upper layer takes every write
	O=$BATS_TEST_TMPDIR/ov
	mkdir -p "$O/upper" "$O/work" "$O/root"
	cp "$DEB" "$O/upper/hooksnoop.deb"
	cat > "$O/upper/install.sh" <<-'EOS'
	set -e
	dpkg -i /hooksnoop.deb >/dev/null
	dpkg-query -W -f='${Status}\n' hooksnoop
	hooksnoop --version
	man -w hooksnoop
	systemctl is-enabled hooksnoop.service || true
	grep ^ExecStart= /lib/systemd/system/hooksnoop.service
	dpkg -r hooksnoop >/dev/null
	test ! -e /usr/sbin/hooksnoop && echo removed
	EOS
	run unshare -m sh -c '
		mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$1/root" &&
		mount -t proc proc "$1/root/proc" &&
		chroot "$1/root" sh /install.sh' sh "$O"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "install ok installed" ]
	[[ "${lines[1]}" == "hooksnoop $(cat "$ROOT/VERSION") "* ]]
	[ "${lines[2]}" = /usr/share/man/man8/hooksnoop.8.gz ]
	[ "${lines[3]}" = disabled ]
	[[ "${lines[4]}" == "ExecStart=/usr/sbin/hooksnoop "* ]]
	[ "${lines[5]}" = removed ]
	[ ! -e /usr/sbin/hooksnoop ] || [ "$(dpkg-query -W -f='${Status}' hooksnoop 2>/dev/null)" = "install ok installed" ]
}

@test "deb: lintian shows no error and no warning" {
	# informational tags are documented in README (Packaging)
	run lintian --fail-on error,warning "$CHANGES"
	echo "$output"
	[ "$status" -eq 0 ]
	! echo "$output" | grep -E '^(E|W): '
}
