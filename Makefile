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

.PHONY: all deps run test test-long unit system sanitize fuzz bench install uninstall clean format
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

# ---- install / uninstall ------------------------------------------------------
# `make install` (PREFIX, DESTDIR for packaging) installs the programs, the
# unit, the sysusers.d and tmpfiles.d files, the man pages, the templates,
# the docs and the example config; it writes /etc/deadlined/deadlined.ini
# and directory.ini (with the system's paths) only when there are none: an
# admin's config is never overwritten. Every file and directory it adds is
# listed in $(MANIFEST); `make uninstall` removes exactly those (directories
# only when empty), so the admin's config and the state stay. Installed
# directly (no DESTDIR) as root, it also creates the user, group and state
# directory; a package does that in its postinst.
SBINDIR_I   = $(PREFIX)/sbin
BINDIR_I    = $(PREFIX)/bin
DATADIR     = $(PREFIX)/share/deadlined
DOCDIR      = $(PREFIX)/share/doc/deadlined
MANDIR      = $(PREFIX)/share/man
UNITDIR     = $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d
TMPFILESDIR = $(PREFIX)/lib/tmpfiles.d
CONFDIR     = /etc/deadlined
STATEDIR    = /var/lib/deadlined
RUNDIR      = /run/deadlined
MANIFEST    = $(DATADIR)/install-manifest
TEMPLATES   = $(wildcard config/templates/*/*)

# The shell functions of the install recipe. dirs: makes the missing directories
# of a path, one level at a time, listing each (with a trailing /); put MODE
# SRC DST: installs a file and lists it; conf SRC DST: installs only when
# there is none, unlisted (the admin's from then on).
define INSTALL_FNS
set -e; D='$(DESTDIR)'; [ -z "$$D" ] || mkdir -p "$$D"; list=$$(mktemp); trap 'rm -f "$$list"' EXIT; \
dirs() { case "$$1" in /|.) return 0;; esac; [ -d "$$D$$1" ] && return 0; dirs "$$(dirname "$$1")"; \
  mkdir "$$D$$1"; echo "$$1/" >>"$$list"; }; \
put() { dirs "$$(dirname "$$3")"; install -m "$$1" "$$2" "$$D$$3"; echo "$$3" >>"$$list"; }; \
conf() { dirs "$$(dirname "$$2")"; if [ -e "$$D$$2" ]; then echo "kept $$2 (yours)"; \
  else install -m 0644 "$$1" "$$D$$2"; echo "wrote $$2"; fi; }
endef

install: all
	@$(INSTALL_FNS); \
	[ -f "$$D$(MANIFEST)" ] && cat "$$D$(MANIFEST)" >"$$list"; \
	put 0755 $(BINDIR)/deadlined $(SBINDIR_I)/deadlined; \
	put 0755 $(BINDIR)/deadlinectl $(BINDIR_I)/deadlinectl; \
	sed -e 's|@SBINDIR@|$(SBINDIR_I)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/deadlined.service.in \
	  >$(BUILD)/deadlined.service; \
	put 0644 $(BUILD)/deadlined.service $(UNITDIR)/deadlined.service; \
	put 0644 systemd/deadlined.sysusers $(SYSUSERSDIR)/deadlined.conf; \
	put 0644 systemd/deadlined.tmpfiles $(TMPFILESDIR)/deadlined.conf; \
	for f in $(MANPAGES); do put 0644 "$$f" "$(MANDIR)/man$${f##*.}/$${f##*/}"; done; \
	for f in $(TEMPLATES); do put 0644 "$$f" "$(DATADIR)/$${f#config/}"; done; \
	put 0644 config/templates/README.md $(DOCDIR)/templates.md; \
	put 0644 README.md $(DOCDIR)/README.md; \
	sed -e 's|^database = .*|database = $(STATEDIR)/deadlined.db|' \
	    -e 's|^control_socket = .*|control_socket = $(RUNDIR)/control|' \
	    -e 's|^templates = .*|templates = $(DATADIR)/templates|' \
	    -e 's|^maildir = .*|maildir = $(STATEDIR)/mail|' \
	    -e 's|^; maildir = \.\./var/inbox$$|; maildir = $(STATEDIR)/inbox|' \
	    -e 's|^; user = deadlined$$|user = deadlined|' config/deadlined.ini >$(BUILD)/deadlined.ini; \
	grep -q '^user = deadlined$$' $(BUILD)/deadlined.ini; \
	put 0644 $(BUILD)/deadlined.ini $(DOCDIR)/examples/deadlined.ini; \
	put 0644 config/directory.ini $(DOCDIR)/examples/directory.ini; \
	conf $(BUILD)/deadlined.ini $(CONFDIR)/deadlined.ini; \
	conf config/directory.ini $(CONFDIR)/directory.ini; \
	echo "$(MANIFEST)" >>"$$list"; \
	sort -u "$$list" >"$$D$(MANIFEST)"; chmod 0644 "$$D$(MANIFEST)"; \
	echo "installed $$(grep -vc '/$$' "$$D$(MANIFEST)") files under $${D:-/} (listed in $(MANIFEST))"; \
	if [ -z "$$D" ] && [ "$$(id -u)" -eq 0 ] && command -v systemd-sysusers >/dev/null; then \
	  systemd-sysusers $(SYSUSERSDIR)/deadlined.conf; \
	  systemd-tmpfiles --create $(TMPFILESDIR)/deadlined.conf; \
	  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
	fi

# Removes what the manifest lists: the files, then the directories install
# made, deepest first, each only if empty (/etc/deadlined keeps the config).
uninstall:
	@set -e; D='$(DESTDIR)'; m="$$D$(MANIFEST)"; \
	[ -f "$$m" ] || { echo "uninstall: no $$m: nothing installed here" >&2; exit 1; }; \
	list=$$(cat "$$m"); \
	echo "$$list" | grep -v '/$$' | while read -r f; do rm -f "$$D$$f"; done; \
	echo "$$list" | grep '/$$' | awk '{ print length, $$0 }' | sort -rn | cut -d' ' -f2- | \
	  while read -r d; do rmdir "$$D$$d" 2>/dev/null || true; done; \
	echo "removed what $(MANIFEST) listed; kept $(CONFDIR) (your config) and $(STATEDIR) (the state)"

format:
	clang-format -i $(wildcard daemon/*.c daemon/*/*.c include/*.h include/*/*.h tests/unit/*.c tests/fuzz/*.c bench/*.c)

clean:
	rm -rf build build-san deadlined deadlinectl
