# hooksnoop build.
#
#   make             build/hooksnoop (BPF object embedded via a bpftool skeleton,
#                    libbpf linked statically)
#   make STATIC=1    fully static binary
#   make test        install deps, build, run unit + integration tests
#   make demo        install deps, build, run the demo containers
#   make bench       install deps, build, run the benchmarks
#   make vmlinux     regenerate vmlinux/$(ARCH)/vmlinux.h (running kernel, or Debian's
#                    kernel package for another ARCH)
#   make ARCH=arm64  cross-build build/arm64/hooksnoop (static); `make ARCH=arm64 bpf`
#                    only the BPF object and skeleton
#   make fuzz        build the libFuzzer targets
#   make vmtest      smoke test on Debian 12's 6.1 kernel in a VM (TAP); vmtest-full:
#                    the integration suites there; vmtest-arm64: the smoke on arm64
#   make install     install binary, man page, systemd unit and docs under
#                    $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall
#   make deb         the Debian package (dpkg-buildpackage -b) in $(OUTPUT)/deb
#   make image       the container image $(IMAGE) from scratch (deploy/)
#
# Every object goes to $(OUTPUT); header dependencies are tracked with -MMD -MP.

# ARCH picks the BPF target (__TARGET_ARCH_*, vmlinux/$(ARCH)/vmlinux.h, the
# arch's <asm/unistd.h>). Another arch than the host's is a cross build into
# build/$(ARCH): the BPF object and skeleton with clang alone, the binary
# (static) with $(TRIPLE)-gcc against Debian's $(ARCH) libraries unpacked
# into $(SYSROOT) by tools/vm/debs (nothing installed on the host).
ARCH      ?= x86
ifeq ($(ARCH),x86)
TRIPLE    := x86_64-linux-gnu
DEB_ARCH  := amd64
else ifeq ($(ARCH),arm64)
TRIPLE    := aarch64-linux-gnu
DEB_ARCH  := arm64
else
$(error ARCH=$(ARCH): hooksnoop builds for ARCH=x86 or ARCH=arm64)
endif
HS_VM_CACHE ?= /var/cache/hooksnoop-vm
ifneq ($(TRIPLE),$(shell cc -dumpmachine))
CROSS     := 1
OUTPUT    ?= build/$(ARCH)
CC        := $(TRIPLE)-gcc
SYSROOT   ?= $(HS_VM_CACHE)/$(ARCH)-sysroot
STATIC    := 1
CPPFLAGS  += -isystem $(SYSROOT)/usr/include
LDFLAGS   += -L$(SYSROOT)/usr/lib/$(TRIPLE)
LIBBPF_A  := $(SYSROOT)/usr/lib/$(TRIPLE)/libbpf.a
endif
# the BPF side's <asm/...>: the native multiarch dir, or the cross toolchain's
BPF_ASM_INC := $(firstword $(wildcard /usr/include/$(TRIPLE)/asm /usr/$(TRIPLE)/include/asm))
OUTPUT    ?= build
CC        ?= cc
CLANG     ?= clang
BPFTOOL   ?= bpftool
LIBBPF_A  ?= $(firstword $(wildcard /usr/lib/$(shell $(CC) -dumpmachine)/libbpf.a /usr/lib64/libbpf.a /usr/lib/libbpf.a))
VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
# from the environment in a tree without .git (make deb's copy passes it on)
ifndef GITREV
GITREV    := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
endif

OPT       ?= -O2
CFLAGS    ?= -g $(OPT)
WARN      := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 -Wvla
CPPFLAGS  += -Ibpf -Iuser -I$(OUTPUT) -D_GNU_SOURCE
LDLIBS    := $(LIBBPF_A) -lelf -lz -ljansson -lyaml -lpcre2-8 -lm
ifeq ($(STATIC),1)
LDFLAGS   += -static
LDLIBS    += -lzstd
# No libmicrohttpd: Debian has no static build of its TLS library's dependencies
# (p11-kit). A static hooksnoop serves no HTTP; --metrics-file still works.
else
# libmicrohttpd is dlopen'ed for --metrics only (user/metrics_http.c)
CPPFLAGS  += -DHAVE_MICROHTTPD
LDLIBS    += -lpthread
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
              -I$(OUTPUT) -Ibpf -Ivmlinux/$(ARCH) -idirafter /usr/include \
              $(if $(BPF_ASM_INC),-idirafter $(dir $(BPF_ASM_INC)))

BPF_SRCS   := $(wildcard bpf/*.bpf.c)
BPF_OBJS   := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.bpf.o,$(BPF_SRCS))
SKELS      := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))

USER_SRCS  := $(wildcard user/*.c)
USER_OBJS  := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(USER_SRCS))
LIB_OBJS   := $(filter-out $(OUTPUT)/user/main.o,$(USER_OBJS))

# Unit tests and fuzz targets build the same sources with sanitizers.
SAN        := -fsanitize=address,undefined -fno-omit-frame-pointer
SAN_OBJS   := $(patsubst user/%.c,$(OUTPUT)/san/%.o,$(USER_SRCS))
SAN_LIB    := $(filter-out $(OUTPUT)/san/main.o,$(SAN_OBJS))
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_OBJS  := $(patsubst user/%.c,$(OUTPUT)/fuzzobj/%.o,$(USER_SRCS))
FUZZ_LIB   := $(filter-out $(OUTPUT)/fuzzobj/main.o,$(FUZZ_OBJS))

.PHONY: all clean test unit demo bench vmlinux deps fuzz check-libbpf bpf vmtest vmtest-full \
	vmtest-arm64 install uninstall deb image
.DELETE_ON_ERROR:
# Objects reached only through pattern rules (a new source's san/ or fuzzobj/
# object) would otherwise be deleted as intermediates and rebuilt every time.
.SECONDARY:

all: $(OUTPUT)/hooksnoop

check-libbpf:
	@test -n "$(LIBBPF_A)" || { echo "libbpf.a not found: run tools/install-deps" >&2; exit 1; }

$(OUTPUT) $(OUTPUT)/user $(OUTPUT)/san $(OUTPUT)/tests $(OUTPUT)/fuzz $(OUTPUT)/fuzzobj:
	@mkdir -p $@

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c | $(OUTPUT)
	$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@

# A digest of the BPF object: part of the CO-RE BTF cache's key (btfcache.c).
$(OUTPUT)/bpfobj_id.h: $(OUTPUT)/hooksnoop.bpf.o
	@echo "#define HS_BPF_OBJ_ID \"$$(sha256sum $< | cut -c1-32)\"" > $@

# The version string: rewritten only when it changes, so -V never goes stale
# and nothing else rebuilds for it.
$(OUTPUT)/version.h: FORCE | $(OUTPUT)
	@echo '#define HOOKSNOOP_VERSION "$(VERSION) ($(GITREV))"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

.PHONY: FORCE
FORCE:

# Every user object may include a skeleton; generate them first.
$(OUTPUT)/user/%.o: user/%.c | $(SKELS) $(OUTPUT)/bpfobj_id.h $(OUTPUT)/version.h $(OUTPUT)/user $(if $(CROSS),$(SYSROOT)/.hooksnoop-sysroot)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(OUTPUT)/hooksnoop: $(USER_OBJS) | check-libbpf
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(OUTPUT)/san/%.o: user/%.c | $(SKELS) $(OUTPUT)/bpfobj_id.h $(OUTPUT)/version.h $(OUTPUT)/san
	$(CC) $(CPPFLAGS) -g -O1 $(SAN) $(WARN) -MMD -MP -c $< -o $@

$(OUTPUT)/tests/%: tests/unit/%.c $(SAN_LIB) | $(OUTPUT)/tests
	$(CC) $(CPPFLAGS) -g -O1 $(SAN) $(WARN) -MMD -MP -o $@ $< $(SAN_LIB) $(LDLIBS) -lcmocka

HELPERS    := $(OUTPUT)/tests/execstorm $(OUTPUT)/tests/nop $(OUTPUT)/tests/spoof \
	      $(OUTPUT)/tests/wraprt $(OUTPUT)/tests/threxit

$(OUTPUT)/tests/execstorm: tests/helpers/execstorm.c | $(OUTPUT)/tests
	$(CC) -O2 $(WARN) -o $@ $<

$(OUTPUT)/tests/nop: tests/helpers/nop.c | $(OUTPUT)/tests
	$(CC) -O2 -static -o $@ $<

$(OUTPUT)/tests/spoof: tests/helpers/spoof.c | $(OUTPUT)/tests
	$(CC) -O2 $(WARN) -static -o $@ $<

$(OUTPUT)/tests/wraprt: tests/helpers/wraprt.c | $(OUTPUT)/tests
	$(CC) -O2 $(WARN) -o $@ $<

$(OUTPUT)/tests/threxit: tests/helpers/threxit.c | $(OUTPUT)/tests
	$(CC) -O2 $(WARN) -pthread -o $@ $<

unit: $(UNIT_BINS) $(HELPERS)

$(OUTPUT)/fuzzobj/%.o: user/%.c | $(SKELS) $(OUTPUT)/bpfobj_id.h $(OUTPUT)/version.h $(OUTPUT)/fuzzobj
	$(CLANG) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

$(OUTPUT)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) | $(OUTPUT)/fuzz
	$(CLANG) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_LIB) $(LDLIBS)

fuzz: $(FUZZ_BINS)

deps:
	tools/install-deps

test: deps
	$(MAKE) all unit fuzz
	$(MAKE) ARCH=arm64 OUTPUT=$(OUTPUT)/arm64 all
	tests/run

demo: deps
	$(MAKE) all
	$(OUTPUT)/hooksnoop demo

# Benchmark helpers: the startup driver and the empty-program calibration.
BENCH_BINS := $(OUTPUT)/bench/startlat $(OUTPUT)/bench/floor $(OUTPUT)/bench/floor.bpf.o \
	      $(OUTPUT)/bench/syscall-loop

$(OUTPUT)/bench:
	@mkdir -p $@

$(OUTPUT)/bench/startlat: bench/startlat.c | $(OUTPUT)/bench
	$(CC) -O2 $(WARN) -o $@ $<

$(OUTPUT)/bench/syscall-loop: bench/syscall-loop.c | $(OUTPUT)/bench
	$(CC) -O2 $(WARN) -o $@ $<

$(OUTPUT)/bench/floor.bpf.o: bench/floor.bpf.c | $(OUTPUT)/bench
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/bench/floor: bench/floor.c | $(OUTPUT)/bench check-libbpf
	$(CC) -O2 $(WARN) -o $@ $< $(LDLIBS)

.PHONY: bench-bins
bench-bins: $(BENCH_BINS)

bench: deps
	$(MAKE) all $(HELPERS) bench-bins
	bench/run-all

# The running kernel's BTF for the host's arch; another arch's from Debian's
# kernel package of that arch (tools/vm/vmlinux-h: BTF cut out of its Image).
vmlinux:
ifeq ($(CROSS),1)
	tools/vm/vmlinux-h $(ARCH) vmlinux/$(ARCH)/vmlinux.h
else
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h
endif

# The BPF object and its skeleton only (no C compiler or libraries for ARCH needed).
bpf: $(SKELS)

# Debian's $(ARCH) libraries the cross-built binary links statically, unpacked.
SYSROOT_PKGS := libbpf-dev libelf-dev zlib1g-dev libzstd-dev libjansson-dev libyaml-dev libpcre2-dev uthash-dev
$(SYSROOT)/.hooksnoop-sysroot: Makefile
	tools/vm/deps $(DEB_ARCH)
	tools/vm/debs $(DEB_ARCH) $(SYSROOT) $(SYSROOT_PKGS) >/dev/null
	@touch $@

# VM lanes (tools/vm/): Debian 12's own 6.1 kernel under qemu (KVM when usable,
# else TCG) on this machine's root, shared read-only. vmtest: the smoke test
# (TAP); vmtest-full: the integration suites. Kernels come from Debian's
# packages, unpacked under $(HS_VM_CACHE) by tools/vm/kernel.
VM_RUN := tools/vm/run -c 2
vmtest: all
	tools/vm/deps amd64
	$(VM_RUN) -t 600 -e HOOKSNOOP=$(abspath $(OUTPUT))/hooksnoop -e SMOKE_NAME="vm $$(tools/vm/kernel amd64 | sed 's|.*/||')" -- tools/vm/smoke

# The smoke on Debian's arm64 kernel under qemu-system-aarch64 (TCG), with the
# cross-built binary and Debian's arm64 busybox and runc unpacked (tools/vm/arm64-smoke).
vmtest-arm64:
	tools/vm/deps arm64
	$(MAKE) ARCH=arm64 OUTPUT=$(OUTPUT)/arm64 all
	tools/vm/arm64-smoke $(OUTPUT)/arm64/hooksnoop

vmtest-full: all $(HELPERS)
	tools/vm/deps amd64
	$(VM_RUN) -t 5400 -e HOOKSNOOP=$(abspath $(OUTPUT))/hooksnoop -- 'bats --tap tests/integration/*.bats'

# Installation. The binary goes to sbin: it needs root (CAP_BPF, CAP_PERFMON),
# its manual is in section 8, and Debian's BPF tools (libbpf-tools) live in
# /usr/sbin too. The unit goes where systemd looks for the units of this
# prefix (/usr/local/lib/systemd/system is on its search path); the Debian
# package sets SYSTEMDUNITDIR=/lib/systemd/system.
PREFIX         ?= /usr/local
SBINDIR        ?= $(PREFIX)/sbin
MANDIR         ?= $(PREFIX)/share/man
DOCDIR         ?= $(PREFIX)/share/doc/hooksnoop
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL        ?= install
DOCS           := README.md BENCHMARKS.md docs/architecture.md docs/lint-codes.md docs/plot.png

install: $(OUTPUT)/hooksnoop
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR)/docs
	$(INSTALL) -m 0755 $(OUTPUT)/hooksnoop $(DESTDIR)$(SBINDIR)/hooksnoop
	$(INSTALL) -m 0644 man/hooksnoop.8 $(DESTDIR)$(MANDIR)/man8/hooksnoop.8
	# the unit names the installed binary
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/hooksnoop.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/hooksnoop.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/hooksnoop.service
	$(INSTALL) -m 0644 $(filter-out docs/%,$(DOCS)) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 $(filter docs/%,$(DOCS)) $(DESTDIR)$(DOCDIR)/docs/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/hooksnoop $(DESTDIR)$(MANDIR)/man8/hooksnoop.8 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/hooksnoop.service
	rm -rf $(DESTDIR)$(DOCDIR)

# The Debian package, built from a copy of the tracked files so that the
# package build (dh_auto_clean included) never touches this tree.
DEBDIR ?= $(OUTPUT)/deb
deb:
	rm -rf $(DEBDIR)
	mkdir -p $(DEBDIR)/src
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C $(DEBDIR)/src
	cd $(DEBDIR)/src && GITREV=$(GITREV) DEB_BUILD_OPTIONS="parallel=2 $(DEB_BUILD_OPTIONS)" \
		dpkg-buildpackage -b -us -uc
	ls $(DEBDIR)/*.deb

# The container image: the binary and the shared objects it loads, from
# scratch (deploy/build-image; make STATIC=1 image: the binary alone).
IMAGE ?= localhost/hooksnoop:$(VERSION)
image: $(OUTPUT)/hooksnoop
	deploy/build-image $(OUTPUT)/hooksnoop $(IMAGE)

clean:
	rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/user/*.d $(OUTPUT)/san/*.d $(OUTPUT)/tests/*.d \
	$(OUTPUT)/fuzzobj/*.d)
