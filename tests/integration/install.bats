#!/usr/bin/env bats
# make install (PREFIX, DESTDIR), the man page and its agreement with
# --help: what a user gets without building hooksnoop by hand.

bats_require_minimum_version 1.5.0
load helpers

MAN=$ROOT/man/hooksnoop.8

# The long options a help text defines (its option lines: "  -j, --json ...",
# "      --grace SEC ..."; not the examples), one per line.
long_opts() {
	grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z0-9-]+$' | sort -u
}

# The files under DIR, relative, sorted.
tree() { (cd "$1" && find . -type f -o -type l | sed 's|^\./||' | sort); }

@test "make install DESTDIR PREFIX=/usr: binary in sbin, man page, unit, docs" {
	D=$BATS_TEST_TMPDIR/dest
	make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr
	run tree "$D"
	echo "$output"
	[ "$output" = "usr/lib/systemd/system/hooksnoop.service
usr/sbin/hooksnoop
usr/share/doc/hooksnoop/BENCHMARKS.md
usr/share/doc/hooksnoop/README.md
usr/share/doc/hooksnoop/docs/architecture.md
usr/share/doc/hooksnoop/docs/lint-codes.md
usr/share/doc/hooksnoop/docs/plot.png
usr/share/man/man8/hooksnoop.8" ]
	[ "$(stat -c %a "$D/usr/sbin/hooksnoop")" = 755 ]
	[ "$(stat -c %a "$D/usr/share/man/man8/hooksnoop.8")" = 644 ]
	[ "$(stat -c %a "$D/usr/lib/systemd/system/hooksnoop.service")" = 644 ]
	"$D/usr/sbin/hooksnoop" --version | grep -q "^hooksnoop $(cat "$ROOT/VERSION") "
	# the unit runs the binary where it was installed, not where DESTDIR staged it
	grep -qx 'ExecStart=/usr/sbin/hooksnoop .*' "$D/usr/lib/systemd/system/hooksnoop.service"
	! grep -q "$D\|@SBINDIR@" "$D/usr/lib/systemd/system/hooksnoop.service"
	cmp "$ROOT/man/hooksnoop.8" "$D/usr/share/man/man8/hooksnoop.8"
}

@test "make install: PREFIX defaults to /usr/local; make uninstall removes every file" {
	D=$BATS_TEST_TMPDIR/dest
	make -s -C "$ROOT" install DESTDIR="$D"
	[ -x "$D/usr/local/sbin/hooksnoop" ]
	[ -f "$D/usr/local/share/man/man8/hooksnoop.8" ]
	# /usr/local/lib/systemd/system is on systemd's unit search path
	grep -qx 'ExecStart=/usr/local/sbin/hooksnoop .*' \
		"$D/usr/local/lib/systemd/system/hooksnoop.service"
	make -s -C "$ROOT" uninstall DESTDIR="$D"
	[ -z "$(tree "$D")" ]
}

@test "man page: mandoc -Tlint is clean" {
	run mandoc -Tlint -W warning "$MAN"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# style level too, except what depends on this machine's manual database
	run mandoc -Tlint -W style "$MAN"
	echo "$output"
	[ -z "$(echo "$output" | grep -v 'mandoc.db\|referenced manual not found')" ]
	# it renders, with every section
	mandoc -Tutf8 "$MAN" > /dev/null
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS SUBCOMMANDS 'JSON RECORDS' 'EXIT STATUS' \
		SERVICE EXAMPLES; do
		grep -qx "\.Sh $s" "$MAN"
	done
}

@test "man page: every long option of --help and of each subcommand's help, and no other" {
	{
		"$HS" --help
		for sub in lint compare plot; do "$HS" "$sub" --help; done
	} | long_opts > "$BATS_TEST_TMPDIR/help"
	# options the page defines: ".It Fl j , Fl \-json Ar ..." list entries
	grep '^\.It Fl ' "$MAN" | grep -oE 'Fl \\-[a-z][a-z0-9-]*' | sed 's/^Fl \\-/--/' |
		sort -u > "$BATS_TEST_TMPDIR/man"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/help")" -ge 19 ]
	run comm -3 "$BATS_TEST_TMPDIR/help" "$BATS_TEST_TMPDIR/man"
	echo "only in --help: $(comm -23 "$BATS_TEST_TMPDIR/help" "$BATS_TEST_TMPDIR/man" | tr '\n' ' ')"
	echo "only in the man page: $(comm -13 "$BATS_TEST_TMPDIR/help" "$BATS_TEST_TMPDIR/man" | tr '\n' ' ')"
	[ -z "$output" ]
	# and every subcommand of the usage has its entry
	for sub in lint compare plot demo; do
		grep -q "^\.It Cm $sub" "$MAN"
	done
}

@test "man page: every record type hooksnoop writes is documented" {
	# the types the JSON writers put first in a record
	types=$(grep -ohE 'jw_kstr\((&?w|w), "type", "[a-z_]+"\)|event_common\(&w, ev, "[a-z_]+"' \
		"$ROOT"/user/*.c | grep -oE '"[a-z_]+"\)?$' | tr -d '")' | sort -u | grep -vx stats)
	[ -n "$types" ]
	for t in $types; do
		echo "type $t"
		grep -qE "^\.It Li .*\b$t\b" "$MAN"
	done
}
