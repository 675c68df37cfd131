# deadlined — plain Makefile, libraries found with pkg-config (libev has no .pc).
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKGS      = libesmtp-1.0 sqlite3 inih libsystemd libutf8proc openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lev -lpthread -lm
CSTD     ?= -std=c17
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) $(CFLAGS) $(SAN)
LDLIBS_ALL = $(PKG_LIBS) $(SAN)
BUILD    ?= build
# Where the two binaries go: the repository's root, or the build directory
# for the sanitizer run (so that `make sanitize` leaves ./deadlined alone).
BINDIR   ?= .

# Every daemon/*.c is a library module except the two main files, so tests
# and benchmarks link exactly the code the binaries run.
MAINS    = daemon/deadlined.c daemon/deadlinectl.c
MODULES  = $(filter-out $(MAINS),$(wildcard daemon/*.c))
MOD_OBJS = $(MODULES:daemon/%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard bench/bench_*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

DEB_PKGS = build-essential pkg-config libev-dev libsqlite3-dev libesmtp-dev libclang-rt-14-dev \
           libinih-dev libsystemd-dev libutf8proc-dev libcmocka-dev libssl-dev \
           python3-aiosmtpd python3-minimal sqlite3 openssl clang

.PHONY: all deps run test unit system sanitize fuzz bench install clean format
all: $(BINDIR)/deadlined $(BINDIR)/deadlinectl

$(BUILD)/%.o: daemon/%.c $(wildcard include/*.h) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(BUILD):
	mkdir -p $(BUILD)/tests $(BUILD)/bench
$(BUILD)/libdeadlined.a: $(MOD_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BINDIR)/deadlined: $(BUILD)/deadlined.o $(BUILD)/libdeadlined.a
	$(CC) -o $@ $^ $(LDLIBS_ALL)
$(BINDIR)/deadlinectl: $(BUILD)/deadlinectl.o $(BUILD)/libdeadlined.a
	$(CC) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdeadlined.a $(wildcard include/*.h tests/unit/*.h) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libdeadlined.a $(LDLIBS_ALL) $(shell pkg-config --libs cmocka)
$(BUILD)/bench/%: bench/%.c bench/bench.h $(BUILD)/libdeadlined.a | $(BUILD)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libdeadlined.a $(LDLIBS_ALL)

# Install only what is missing, so `make deps` is quick and quiet when done.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "deps: all installed"; fi

# The embedded default: example config, state under ./var, mail into ./var/mail.
# The daemon's clock starts at DEMO_NOW (a Monday in December 2025, when the
# example's yearly reports are due) so that reminders go out within seconds;
# `make run DEMO_NOW=` runs on the real clock. Ctrl-C stops it.
DEMO_NOW ?= 2025-12-08T08:00:00+07:00
run: all
	mkdir -p var
	./deadlined --foreground --config config/deadlined.ini $(if $(DEMO_NOW),--now $(DEMO_NOW))

unit: $(UNIT_BIN)
test: all $(UNIT_BIN) $(BENCH_BIN) $(BUILD)/fuzz_timeframe
	BUILD=$(BUILD) BINDIR=$(BINDIR) tests/run

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	$(MAKE) BUILD=build-san BINDIR=build-san SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" CFLAGS="-O1 -g" test

fuzz: $(BUILD)/fuzz_timeframe
$(BUILD)/fuzz_timeframe: tests/fuzz/fuzz_timeframe.c $(MODULES) $(wildcard include/*.h) | $(BUILD)
	clang $(CSTD) -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined \
	  -o $@ tests/fuzz/fuzz_timeframe.c $(MODULES) $(PKG_LIBS)

bench: $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

# Installs the binaries, the unit, the templates and the directory; the
# example config becomes /etc/deadlined/deadlined.ini (with the system's
# paths) only if there is none yet: an admin's config is never overwritten.
SYSCONF = $(DESTDIR)/etc/deadlined
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin $(SYSCONF)/templates/vi \
	  $(SYSCONF)/templates/en $(DESTDIR)$(PREFIX)/lib/systemd/system \
	  $(DESTDIR)$(PREFIX)/share/doc/deadlined
	install -m 0755 deadlined $(DESTDIR)$(PREFIX)/sbin/deadlined
	install -m 0755 deadlinectl $(DESTDIR)$(PREFIX)/bin/deadlinectl
	install -m 0644 config/templates/vi/* $(SYSCONF)/templates/vi/
	install -m 0644 config/templates/en/* $(SYSCONF)/templates/en/
	install -m 0644 config/directory.ini $(SYSCONF)/directory.ini.example
	sed -e 's|^database = .*|database = /var/lib/deadlined/deadlined.db|' \
	    -e 's|^control_socket = .*|control_socket = /run/deadlined/control|' \
	    -e 's|^maildir = .*|maildir = /var/lib/deadlined/mail|' \
	    config/deadlined.ini > $(SYSCONF)/deadlined.ini.example
	chmod 0644 $(SYSCONF)/deadlined.ini.example
	[ -e $(SYSCONF)/deadlined.ini ] || cp -p $(SYSCONF)/deadlined.ini.example $(SYSCONF)/deadlined.ini
	[ -e $(SYSCONF)/directory.ini ] || cp -p $(SYSCONF)/directory.ini.example $(SYSCONF)/directory.ini
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/deadlined/README.md
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' systemd/deadlined.service.in \
	  > $(DESTDIR)$(PREFIX)/lib/systemd/system/deadlined.service

format:
	clang-format -i daemon/*.c include/*.h tests/unit/*.c tests/fuzz/*.c bench/*.c

clean:
	rm -rf build build-san deadlined deadlinectl
