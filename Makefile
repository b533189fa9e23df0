# SPDX-License-Identifier: ISC
# pmtud: active path-MTU probing daemon.
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
BINDIR	?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
PKGS	= libevent jansson libcap
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wmissing-prototypes
CPPFLAGS += -D_GNU_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(CPPFLAGS) $(INC) $(PKG_CFLAGS)
SAN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined

LIB_SRCS    = $(sort $(wildcard lib/*.c))
PROBE_SRCS  = $(sort $(wildcard probes/*.c))
CTL_SRCS    = $(sort $(wildcard daemon/pmtudctl*.c))
PMTUD_SRCS  = $(filter-out $(CTL_SRCS),$(sort $(wildcard daemon/*.c)))
UNIT_SRCS   = $(sort $(wildcard tests/unit/test_*.c))
HDRS	    = $(wildcard lib/*.h probes/*.h daemon/*.h)

# Release build in build/, sanitizer build (what the tests run) in build/san/.
obj	= $(patsubst %.c,build/$(1)obj/%.o,$(2))
LIB_OBJS    = $(call obj,,$(LIB_SRCS))
PROBE_OBJS  = $(call obj,,$(PROBE_SRCS))
SLIB_OBJS   = $(call obj,san/,$(LIB_SRCS))
SPROBE_OBJS = $(call obj,san/,$(PROBE_SRCS))
UNIT_BINS   = $(patsubst tests/unit/%.c,build/san/%,$(UNIT_SRCS))

# libFuzzer targets, built with clang into build/fuzz/.
FUZZ_CC	= clang
FUZZ_CFLAGS ?= -O1 -g
FUZZ_SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 60
FUZZ_SRCS   = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES  = $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRCS))
FUZZ_BINS   = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FLIB_OBJS   = $(call obj,fuzz/,$(LIB_SRCS))
FUZZ_HDRS   = $(HDRS) $(wildcard tests/fuzz/*.h)

all: build/pmtud build/pmtudctl

# The layering, enforced by the compiler: lib/ sees only its own headers,
# probes/ lib/ and its own, daemon/ and the unit tests all three; the
# fuzz targets need lib/ alone.
INC	= -iquote lib -iquote probes -iquote daemon
build/obj/lib/%.o build/san/obj/lib/%.o build/fuzz/obj/lib/%.o: \
    INC = -iquote lib
build/obj/probes/%.o build/san/obj/probes/%.o build/fuzz/obj/probes/%.o: \
    INC = -iquote lib -iquote probes
build/obj/tests/fuzz/%.o build/fuzz/obj/tests/fuzz/%.o: INC = -iquote lib

build/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/pmtud: $(call obj,,$(PMTUD_SRCS)) $(PROBE_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/pmtudctl: $(call obj,,$(CTL_SRCS)) $(LIB_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/san/pmtud: $(call obj,san/,$(PMTUD_SRCS)) $(SPROBE_OBJS) $(SLIB_OBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/san/pmtudctl: $(call obj,san/,$(CTL_SRCS)) $(SLIB_OBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/san/test_%: build/san/obj/tests/unit/test_%.o $(SLIB_OBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) \
	    $(shell pkg-config --libs cmocka) $(LDFLAGS)

build/san/obj/tests/unit/%.o: tests/unit/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 $(shell pkg-config --cflags cmocka) \
	    -c -o $@ $<

# These unit tests include a daemon file to drive it with a real event base.
build/san/obj/tests/unit/test_alert.o: daemon/alert.c daemon/clock.c
build/san/obj/tests/unit/test_tcpcheck.o: daemon/tcpcheck.c
build/san/obj/tests/unit/test_job.o: daemon/job.c daemon/clock.c
build/san/obj/tests/unit/test_measure.o: daemon/measure.c daemon/clock.c \
    daemon/record.c daemon/paths.c
build/san/obj/tests/unit/test_monitor.o: daemon/monitor.c daemon/clock.c
build/san/obj/tests/unit/test_paths.o: daemon/paths.c
build/san/obj/tests/unit/test_control.o: daemon/control.c \
    daemon/accept_pause.c daemon/clock.c
# The SYN-ACK sockets it opens are real, not stubbed.
build/san/test_tcpcheck: build/san/obj/probes/tcp.o

unit: $(UNIT_BINS)

# Test tools.  delayline: a user-space delay line for slow-path tests (this
# kernel has no sch_netem).
build/delayline: tests/tools/delayline.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm $(LDFLAGS)

# Coverage instrumentation everywhere, libFuzzer's main only at link.
build/fuzz/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 $(WARN) $(FUZZ_CFLAGS) $(CPPFLAGS) $(INC) \
	    $(PKG_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: build/fuzz/obj/tests/fuzz/fuzz_%.o $(FLIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ \
	    $(PKG_LIBS) $(LDFLAGS)

build/fuzz/mkseeds: build/obj/tests/fuzz/mkseeds.o $(LIB_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/obj/tests/fuzz/mkseeds.o: tests/fuzz/mkseeds.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

fuzz-build: $(FUZZ_BINS)

# Fuzzes each target for FUZZ_SECONDS on a copy of its seeds (what it
# finds stays in build/fuzz/corpus/); crashes go to build/fuzz/crashes/.
fuzz: $(FUZZ_BINS)
	@failed=""; for n in $(FUZZ_NAMES); do \
	    mkdir -p build/fuzz/corpus/$$n build/fuzz/crashes/$$n; \
	    cp tests/fuzz/corpus/$$n/* build/fuzz/corpus/$$n/; \
	    dict=""; [ -f tests/fuzz/$$n.dict ] && \
	        dict=-dict=tests/fuzz/$$n.dict; \
	    echo "== fuzz_$$n for $(FUZZ_SECONDS) s"; \
	    build/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=build/fuzz/crashes/$$n/ $$dict \
	        -print_final_stats=1 build/fuzz/corpus/$$n || \
	        failed="$$failed fuzz_$$n"; \
	done; \
	if [ -n "$$failed" ]; then \
	    echo "crashed:$$failed (inputs in build/fuzz/crashes/)"; exit 1; fi

# The seeds and a fixed number of new inputs per target; no crash allowed.
fuzz-check: $(FUZZ_BINS)
	@sh tests/fuzz/check.sh $(FUZZ_BINS)

# Rewrites the packet seeds from tests/fuzz/mkseeds.c.
fuzz-seeds: build/fuzz/mkseeds
	@mkdir -p tests/fuzz/corpus/pkt
	build/fuzz/mkseeds tests/fuzz/corpus/pkt

# Every test: unit tests under ASan+UBSan, a short run of each fuzz target,
# then namespace integration tests against the sanitizer build.  Ends with
# "N passed, N failed".
check: deps-check $(UNIT_BINS) fuzz-build build/san/pmtud build/san/pmtudctl \
    build/pmtud build/pmtudctl build/delayline deb
	@FUZZ_BINS="$(FUZZ_BINS)" DEB="$(DEB)" sh tests/run.sh $(UNIT_BINS)

# The source checks alone (make check runs them first, in tests/run.sh).
layering:
	@sh tests/lint/layering.sh

demo: deps all
	@sh tests/demo.sh

bench: deps all build/delayline
	@sh tests/bench/run.sh

DEB_PKGS = gcc make pkg-config libevent-dev libjansson-dev libcap-dev \
	libcmocka-dev iproute2 nftables iputils-ping iputils-tracepath \
	traceroute scamper socat procps jq prometheus systemd mandoc man-db \
	clang libclang-rt-14-dev valgrind passwd \
	build-essential debhelper dpkg-dev fakeroot lintian bash-completion

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq $$missing; \
	fi

deps-check:
	@pkg-config --exists $(PKGS) cmocka || { \
	    echo "missing build packages: run 'make deps' (as root)"; exit 1; }

UNITDIR	?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DATADIR	?= $(PREFIX)/share/pmtud

# The configuration is installed only where none is: never overwrite an
# operator's file.
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/pmtud \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 build/pmtud $(DESTDIR)$(SBINDIR)/pmtud
	install -m 0755 build/pmtudctl $(DESTDIR)$(BINDIR)/pmtudctl
	install -m 0644 daemon/pmtud.8 daemon/pmtudctl.8 \
	    $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 conf/pmtud.conf.5 $(DESTDIR)$(MANDIR)/man5/
	sed 's|/usr/local/sbin/pmtud|$(SBINDIR)/pmtud|; s|/etc/pmtud/|$(SYSCONFDIR)/pmtud/|' \
	    systemd/pmtud.service >$(DESTDIR)$(UNITDIR)/pmtud.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/pmtud.service
	install -m 0644 systemd/pmtud.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/pmtud.conf
	install -m 0644 completion/pmtudctl.bash $(DESTDIR)$(BASHCOMPDIR)/pmtudctl
	install -m 0644 conf/prometheus/pmtud-alerts.yml $(DESTDIR)$(DATADIR)/
	[ -e $(DESTDIR)$(SYSCONFDIR)/pmtud/pmtud.conf ] || \
	    install -m 0644 conf/pmtud.conf \
	    $(DESTDIR)$(SYSCONFDIR)/pmtud/pmtud.conf

# The Debian package, built by the Debian tools (debian/) from a copy of
# the tree in build/deb/: they write beside the source, and their clean
# step would empty this tree's build/.  The version is lib/version.h's,
# which debian/changelog must match.
VERSION	= $(shell sed -n 's/^\#define PMTUD_VERSION[^"]*"\(.*\)"/\1/p' \
	    lib/version.h)
DEB_ARCH = $(shell dpkg --print-architecture 2>/dev/null)
DEB	= build/deb/pmtud_$(VERSION)_$(DEB_ARCH).deb

deb:
	@v=$$(dpkg-parsechangelog -SVersion) || exit 1; \
	if [ "$$v" != "$(VERSION)" ]; then \
	    echo "debian/changelog has $$v, lib/version.h $(VERSION)"; \
	    exit 1; fi
	rm -rf build/deb
	mkdir -p build/deb/pmtud-$(VERSION)
	tar -cf - --exclude=./build --exclude=./.git . | \
	    tar -xf - -C build/deb/pmtud-$(VERSION)
	cd build/deb/pmtud-$(VERSION) && dpkg-buildpackage -b -us -uc -jauto
	@echo "built $(DEB)"

# Installs the package on this machine, checks it and purges it again
# (root; refuses if pmtud is installed already).  Ends with
# "N passed, N failed".
check-deb: deb
	@sh tests/deb/test_deb.sh $(DEB)

clean:
	rm -rf build

.PHONY: all unit check layering demo bench deps deps-check install clean deb \
    check-deb \
    fuzz fuzz-build fuzz-check fuzz-seeds
.SECONDARY:
