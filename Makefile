# deadlined — plain Makefile, libraries found with pkg-config (libev has no .pc).
#
# Flags are never read from pkg-config while make parses this file: on a fresh
# machine `make deps run` parses it before `deps` has installed anything. The
# recipe of $(BUILD)/pkg.flags asks pkg-config once, after `deps` when that is
# a goal, stops with one line naming a missing package, and the compile and
# link recipes read its result with $$(cat …) when they run.
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKGS      = libesmtp-1.0 sqlite3 inih libsystemd libutf8proc openssl libxml-2.0 libzip \
            gmime-3.0 libcurl libical xlsxwriter poppler-glib
CSTD     ?= -std=c17
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS   ?= -O2 -g
BUILD    ?= build
# Where the two binaries go: the repository's root, or the build directory
# for the sanitizer run (so that `make sanitize` leaves ./deadlined alone).
BINDIR   ?= .
PKG_FLAGS  = $(BUILD)/pkg.flags
PKG_CFLAGS = $$(cat $(BUILD)/pkg.cflags)
PKG_LIBS   = $$(cat $(BUILD)/pkg.libs)
ALL_CFLAGS = $(CSTD) $(WARN) -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) $(CFLAGS) $(SAN)
LDLIBS_ALL = $(PKG_LIBS) $(SAN)
# `make deps X` runs deps before anything of X is built, even under -j.
DEPS_FIRST = $(filter deps,$(MAKECMDGOALS))

# Every daemon/*.c is a library module except the two main files, so tests
# and benchmarks link exactly the code the binaries run.
MAINS    = daemon/deadlined.c daemon/deadlinectl.c
MODULES  = $(filter-out $(MAINS),$(wildcard daemon/*.c daemon/*/*.c))
HEADERS  = $(wildcard include/*.h include/*/*.h)
# The library archive keeps base names only: two modules named alike in
# different folders would replace each other in it.
SAME_NAMES := $(shell echo $(notdir $(MODULES)) | tr ' ' '\n' | sort | uniq -d)
$(if $(SAME_NAMES),$(error module file names must be unique across daemon/: $(SAME_NAMES)))
MOD_OBJS = $(MODULES:daemon/%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/%)
BENCH_SRC = $(wildcard bench/bench_*.c)
# The manual pages (mdoc; tests/system/test_doc.py lints them with mandoc).
MANPAGES = doc/deadlinectl.1 doc/deadlined.ini.5 doc/deadlined.8
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

# Libraries, then what the tests and benchmarks run: real servers (aiosmtpd,
# Dovecot), document and calendar generators and readers, the man page linter.
DEB_PKGS = build-essential pkg-config libev-dev libsqlite3-dev libesmtp-dev libinih-dev \
           libsystemd-dev libutf8proc-dev libssl-dev libxml2-dev libzip-dev libgmime-3.0-dev \
           libcurl4-openssl-dev libical-dev libxlsxwriter-dev libpoppler-glib-dev \
           libcmocka-dev clang libclang-rt-14-dev sqlite3 openssl mandoc \
           python3-minimal python3-aiosmtpd dovecot-imapd python3-docx python3-icalendar \
           python3-reportlab fonts-dejavu-core remind msmtp strace

.PHONY: all deps run test test-long unit system sanitize fuzz bench install clean format
all: $(BINDIR)/deadlined $(BINDIR)/deadlinectl

$(BUILD):
	mkdir -p $(BUILD)/tests $(BUILD)/bench
$(PKG_FLAGS): Makefile | $(BUILD) $(DEPS_FIRST)
	@for p in $(PKGS) cmocka; do pkg-config --exists $$p 2>/dev/null || \
	  { echo "missing library: $$p (pkg-config cannot find it); run: make deps" >&2; exit 1; }; done
	@printf '#include <ev.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 || \
	  { echo "missing library: libev (no ev.h); run: make deps" >&2; exit 1; }
	@pkg-config --cflags $(PKGS) >$(BUILD)/pkg.cflags
	@echo "$$(pkg-config --libs $(PKGS)) -lev -lpthread -lm" >$(BUILD)/pkg.libs
	@pkg-config --libs cmocka >$(BUILD)/pkg.cmocka
	@touch $@

$(BUILD)/%.o: daemon/%.c $(HEADERS) $(PKG_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(BUILD)/libdeadlined.a: $(MOD_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BINDIR)/deadlined: $(BUILD)/deadlined.o $(BUILD)/libdeadlined.a
	$(CC) -o $@ $(BUILD)/deadlined.o $(BUILD)/libdeadlined.a $(LDLIBS_ALL)
$(BINDIR)/deadlinectl: $(BUILD)/deadlinectl.o $(BUILD)/libdeadlined.a
	$(CC) -o $@ $(BUILD)/deadlinectl.o $(BUILD)/libdeadlined.a $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdeadlined.a $(HEADERS) $(wildcard tests/unit/*.h)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libdeadlined.a $(LDLIBS_ALL) $$(cat $(BUILD)/pkg.cmocka)
$(BUILD)/bench/%: bench/%.c bench/bench.h $(BUILD)/libdeadlined.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libdeadlined.a $(LDLIBS_ALL)

# Install only what is missing (one dpkg-query for all), so `make deps` is
# quick and silent when everything is there; sudo when not root.
deps:
	@installed=" $$(dpkg-query -W -f='$${Package} $${Status}\n' $(DEB_PKGS) 2>/dev/null | \
	  awk '/ install ok installed$$/ {print $$1}' | tr '\n' ' ')"; \
	missing=; for p in $(DEB_PKGS); do case "$$installed" in *" $$p "*) ;; *) missing="$$missing $$p";; esac; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
# The embedded default: example config, state under ./var, mail into ./var/mail.
# The daemon's clock starts at DEMO_NOW (a Monday in December 2025, when the
# example's yearly reports are due) so that reminders go out within seconds;
# `make run DEMO_NOW=` runs on the real clock. Ctrl-C stops it.
DEMO_NOW ?= 2025-12-08T08:00:00+07:00
run: all
	mkdir -p var
	./deadlined --foreground --config config/deadlined.ini $(if $(DEMO_NOW),--now $(DEMO_NOW))

unit: $(UNIT_BIN)
test: all $(UNIT_BIN) $(BENCH_BIN) $(FUZZ_BIN)
	BUILD=$(BUILD) BINDIR=$(BINDIR) tests/run
# The same suite with the long versions of the crash (50 kills), lock (30 s)
# and fuzz (100 s per target) runs: DEADLINED_LONG=1 (tests/system/harness.py).
test-long: all $(UNIT_BIN) $(BENCH_BIN) $(FUZZ_BIN)
	DEADLINED_LONG=1 BUILD=$(BUILD) BINDIR=$(BINDIR) tests/run

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	$(MAKE) BUILD=build-san BINDIR=build-san SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" CFLAGS="-O1 -g" test

# One libFuzzer target per tests/fuzz/fuzz_NAME.c, with its seed corpus in
# tests/fuzz/corpus/NAME/ and every input that ever failed in
# tests/fuzz/regressions/NAME/ (tests/system/test_fuzz.py runs them all).
# The modules are built once with clang's fuzzing instrumentation into their
# own archive, which every target links.
FUZZ_FLAGS = $(CSTD) -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) -g -O1 -fsanitize=address,undefined
FUZZ_OBJS  = $(MODULES:daemon/%.c=$(BUILD)/fuzz/%.o)
fuzz: $(FUZZ_BIN)
$(BUILD)/fuzz/%.o: daemon/%.c $(HEADERS) $(PKG_FLAGS)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/libfuzzmods.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(BUILD)/fuzz/libfuzzmods.a
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/libfuzzmods.a $(PKG_LIBS)

# Every benchmark, into bench/results.md (see bench/run).
bench: all $(BENCH_BIN)
	BUILD=$(BUILD) bench/run $(BENCH_BIN)

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
	clang-format -i $(wildcard daemon/*.c daemon/*/*.c include/*.h include/*/*.h tests/unit/*.c tests/fuzz/*.c bench/*.c)

clean:
	rm -rf build build-san deadlined deadlinectl
