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
CPPFLAGS += -D_GNU_SOURCE -iquote lib -iquote probes -iquote daemon
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS)
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

all: build/pmtud build/pmtudctl

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

unit: $(UNIT_BINS)

# Every test: unit tests under ASan+UBSan, then namespace integration tests
# against the sanitizer build.  Ends with "N passed, N failed".
check: deps-check $(UNIT_BINS) build/san/pmtud build/san/pmtudctl \
    build/pmtud build/pmtudctl
	@sh tests/run.sh $(UNIT_BINS)

demo: deps all
	@sh tests/demo.sh

bench: deps all
	@sh tests/bench/run.sh

DEB_PKGS = gcc make pkg-config libevent-dev libjansson-dev libcap-dev \
	libcmocka-dev iproute2 nftables iputils-ping iputils-tracepath \
	traceroute scamper socat procps jq prometheus systemd mandoc man-db

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

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR)
	install -m 0755 build/pmtud $(DESTDIR)$(SBINDIR)/pmtud
	install -m 0755 build/pmtudctl $(DESTDIR)$(BINDIR)/pmtudctl

clean:
	rm -rf build

.PHONY: all unit check demo bench deps deps-check install clean
.SECONDARY:
