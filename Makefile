# SPDX-License-Identifier: GPL-2.0
#
# fio-atomic: fio engines, limits library and tools for atomic (untorn) writes.
#
#   make            fio (bookworm 3.33 unless FIO_SRC names a tree), the
#                   engines, the fio-atomic tool, the examples and the tests
#   make check      build, then run every test tier (see tests/run-tests)
#   make asan       the same tests under AddressSanitizer + UBSan
#   make demo       the main job on a built-in XFS-on-loop target
#   make bench      the engines against fio's own, in one run
#   make deps       install the Debian packages (root)
#   make install    the tool, the engines, their fio, plots, the lab scripts
#                   and the man pages under PREFIX (/usr/local); DESTDIR
#                   stages it; make uninstall removes exactly those files
#
# External engines must be compiled against the very fio tree that loads
# them: FIO_SRC=/path/to/fio-source selects one (>= 3.33). Quiet build lines
# unless V=1.

CC ?= gcc
CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -fPIC
LDFLAGS ?=

BUILD ?= build
FIO_SRC ?= $(BUILD)/fio
FIO_SUITE ?= bookworm
FIO_VERSION ?= 3.33-3
FIO := $(FIO_SRC)/fio

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

# Where `make install` puts things; the tool has them compiled in
# (tools/fa_paths.c) and finds its files there when it runs from $(bindir).
PREFIX ?= /usr/local
bindir ?= $(PREFIX)/bin
libdir ?= $(PREFIX)/lib
datadir ?= $(PREFIX)/share
mandir ?= $(datadir)/man
pkglibdir = $(libdir)/fio-atomic
pkgdatadir = $(datadir)/fio-atomic

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB_A := $(BUILD)/lib/libfio-atomic.a

ENGINE_NAMES := atomic-pvsync2 atomic-uring atomic-nvme atomic-sg
# the fio glue every engine shares, and what only some need
ENGINE_GLUE := engines/fa_engine.c engines/fa_report.c
ENGINE_GLUE_atomic-uring := engines/fa_ring.c
ENGINE_GLUE_atomic-nvme := engines/fa_ring.c
ENGINE_GLUE_atomic-sg := engines/fa_sg_async.c engines/fa_sg_check.c
ENGINES := $(ENGINE_NAMES:%=$(BUILD)/engines/%.so)
ENGINE_CFLAGS = -include $(FIO_SRC)/config-host.h -I$(FIO_SRC) \
	-fvisibility=hidden -Wno-unused-parameter
ENGINE_LIBS_atomic-pvsync2 :=
ENGINE_LIBS_atomic-uring := -luring
ENGINE_LIBS_atomic-sg := -lsgutils2
ENGINE_LIBS_atomic-nvme := -luring -lnvme

TOOL := $(BUILD)/fio-atomic
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/%.o)

UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)

TEST_TOOL_SRCS := $(wildcard tests/tools/*.c)
TEST_TOOLS := $(TEST_TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%)

EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLES := $(EXAMPLE_SRCS:examples/%.c=$(BUILD)/examples/%)

LIBS := -lmount -lblkid -lnvme -lsgutils2 -ljson-c -luring -lpthread -lm
TOOL_LIBS := -ljson-c -lmount -lblkid -lnvme -lsgutils2 -luring -lpthread -lm
# the results database of `fio-atomic report` (lib/fa_store*.c): the tool,
# and the unit tests and fuzzers, which may pull lib/fa_store*.o in
REPORT_LIBS := -lsqlite3

.PHONY: check-long all fio engines tool unit examples check check-sid check-old-headers \
	asan demo bench install uninstall FORCE \
	deps deps-auto clean distclean format print-engines

all: fio engines tool unit examples $(TEST_TOOLS)

fio: $(FIO)
engines: $(ENGINES)
tool: $(TOOL)
unit: $(UNIT_BINS)
examples: $(EXAMPLES)

# The default tree is fetched from Debian's registry; a user's FIO_SRC is
# only configured and built when it has no fio binary yet.
$(FIO):
ifeq ($(FIO_SRC),$(BUILD)/fio)
	$(quiet) FETCH "fio $(FIO_VERSION) ($(FIO_SUITE))"
	$(Q)scripts/fetch-fio.sh $(abspath $(FIO_SRC)) $(FIO_SUITE) $(FIO_VERSION)
else
	$(quiet) FIO $(FIO_SRC)
	$(Q)test -f $(FIO_SRC)/config-host.h || (cd $(FIO_SRC) && ./configure)
	$(Q)$(MAKE) -C $(FIO_SRC) fio
endif

$(FIO_SRC)/config-host.h: $(FIO)

# the build the engines' reports and the tool name (git describe)
FA_BUILD_ID := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -DFA_BUILD='"$(FA_BUILD_ID)"' -c -o $@ $<

$(LIB_A): $(LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

.SECONDEXPANSION:
$(BUILD)/engines/%.so: engines/%.c $(ENGINE_GLUE) $$(ENGINE_GLUE_$$*) \
		$(wildcard engines/*.h) \
		$(LIB_A) $(FIO_SRC)/config-host.h
	@mkdir -p $(@D)
	$(quiet) ENGINE $@
	$(Q)$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -shared -rdynamic -o $@ \
		$< $(ENGINE_GLUE) $(ENGINE_GLUE_$*) $(LIB_A) $(LDFLAGS) \
		$(ENGINE_LIBS_$*) $(LIBS)

$(BUILD)/tools/%.o: tools/%.c $(wildcard tools/*.h lib/*.h)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) $(DEFS_$*) -Ilib -c -o $@ $<

# The install directories, compiled into tools/fa_paths.c; it is rebuilt
# when they change (make install PREFIX=/usr after a plain make).
DEFS_fa_paths = -DFA_BINDIR='"$(abspath $(bindir))"' \
	-DFA_LIBDIR='"$(abspath $(pkglibdir))"' \
	-DFA_DATADIR='"$(abspath $(pkgdatadir))"'
FA_PATHS_NOW := $(abspath $(bindir)) $(abspath $(pkglibdir)) $(abspath $(pkgdatadir))
$(BUILD)/tools/fa_paths.dirs: FORCE
	@mkdir -p $(@D)
	@echo '$(FA_PATHS_NOW)' | cmp -s - $@ 2>/dev/null || \
		echo '$(FA_PATHS_NOW)' >$@
$(BUILD)/tools/fa_paths.o: $(BUILD)/tools/fa_paths.dirs

$(TOOL): $(TOOL_OBJS) $(LIB_A)
	$(quiet) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(TOOL_LIBS) $(REPORT_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Ilib -o $@ $< $(LIB_A) $(LDFLAGS) $(TOOL_LIBS) \
		$(REPORT_LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Ilib -o $@ $< $(LIB_A) $(LDFLAGS) $(LIBS)

$(BUILD)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Ilib -o $@ $< $(LIB_A) $(LDFLAGS) $(LIBS)

# check and demo install what is missing first, so that each is the one
# command a fresh Debian 12 machine needs; each asks only for the groups of
# packages it uses (scripts/deps.sh: build, demo, lab, test; all by default).
DEMO_LAB ?= 1
demo: DEPS_GROUPS = build demo $(if $(filter 1,$(DEMO_LAB)),lab)
bench: DEPS_GROUPS = build demo
check-old-headers: DEPS_GROUPS = build
deps-auto:
	@scripts/deps.sh --quiet $(DEPS_GROUPS)

# The tests, without the long ones (FA_LONG=1 make check runs them too);
# check-long runs only those and the 7.x kernel matrix: CI runs both.
check: deps-auto
	@$(MAKE) --no-print-directory all
	@FIO=$(abspath $(FIO)) BUILD=$(abspath $(BUILD)) FA_LONG=$${FA_LONG:-0} \
		tests/run-tests

check-long: deps-auto
	@$(MAKE) --no-print-directory all
	@FIO=$(abspath $(FIO)) BUILD=$(abspath $(BUILD)) FA_LONG=only \
		FA_MATRIX=$${FA_MATRIX:-1} FA_LAB_JOBS=$${FA_LAB_JOBS:-2} \
		FA_TEST_TIMEOUT=$${FA_TEST_TIMEOUT:-1800} tests/run-tests host lab

# The engine tests again, built against the newest fio source Debian serves
# (sid), when it can be downloaded today.
check-sid: deps-auto
	@scripts/check-sid.sh

# Everything still builds against Debian 12's 6.1 kernel headers.
check-old-headers: deps-auto fio
	@scripts/check-old-headers.sh

# Sanitised build in its own tree, against the same fio binary; fio itself
# is not instrumented, so the runtime is preloaded when fio loads an engine.
asan: deps-auto
	$(MAKE) BUILD=$(BUILD)/asan FIO_SRC=$(FIO_SRC) \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" all
	@$(MAKE) --no-print-directory fio
	@FIO=$(abspath $(FIO)) BUILD=$(abspath $(BUILD)/asan) FA_SANITIZE=1 \
		tests/run-tests

demo: deps-auto
	@$(MAKE) --no-print-directory all
	@FIO=$(abspath $(FIO)) BUILD=$(abspath $(BUILD)) DEMO_LAB=$(DEMO_LAB) \
		scripts/demo.sh

bench: deps-auto
	@$(MAKE) --no-print-directory all
	@BUILD=$(abspath $(BUILD)) scripts/bench.sh

deps:
	@scripts/deps.sh

# What install puts where; uninstall removes exactly these. The engines only
# load in the fio they were built against, so that fio is installed too.
# Below $(pkgdatadir) the tree's layout is kept: the lab scripts find each
# other (and tests/host/lib.sh) as they do in the tree.
TEAR_BOUND := $(BUILD)/tests/tools/tear-bound
PKGDATA_FILES := $(wildcard plots/*.gp plots/*.css jobs/*.fio) tests/lab/lab-run \
	tests/lab/lab-cache.sh tests/lab/lab-targets.sh tests/lab/lab-qemu.sh \
	tests/lab/target \
	tests/lab/power-cut tests/lab/init tests/lab/guest/power-cut.sh \
	tests/lab/power-cut-fs.bash tests/lab/guest/power-cut-fs.sh \
	tests/host/lib.sh
PKGDATA_DIRS := tests/lab/guest tests/lab tests/host tests plots jobs
MAN1 := man/fio-atomic.1
MAN7 := man/fio-atomic-engines.7

install: $(TOOL) $(ENGINES) $(FIO) $(TEAR_BOUND)
	$(quiet) INSTALL "$(DESTDIR)$(PREFIX)"
	$(Q)install -d $(DESTDIR)$(bindir) $(DESTDIR)$(pkglibdir) \
		$(DESTDIR)$(pkgdatadir) $(DESTDIR)$(mandir)/man1 \
		$(DESTDIR)$(mandir)/man7
	$(Q)install -m 755 $(TOOL) $(DESTDIR)$(bindir)/fio-atomic
	$(Q)install -m 644 $(ENGINES) $(DESTDIR)$(pkglibdir)/
	$(Q)install -m 755 $(FIO) $(TEAR_BOUND) $(DESTDIR)$(pkglibdir)/
	$(Q)for f in $(PKGDATA_FILES); do \
		if test -x $$f; then m=755; else m=644; fi; \
		install -D -m $$m $$f $(DESTDIR)$(pkgdatadir)/$$f || exit 1; \
	done
	$(Q)install -m 644 $(MAN1) $(DESTDIR)$(mandir)/man1/
	$(Q)install -m 644 $(MAN7) $(DESTDIR)$(mandir)/man7/

uninstall:
	$(quiet) UNINST "$(DESTDIR)$(PREFIX)"
	$(Q)rm -f $(DESTDIR)$(bindir)/fio-atomic \
		$(ENGINE_NAMES:%=$(DESTDIR)$(pkglibdir)/%.so) \
		$(DESTDIR)$(pkglibdir)/fio $(DESTDIR)$(pkglibdir)/tear-bound \
		$(PKGDATA_FILES:%=$(DESTDIR)$(pkgdatadir)/%) \
		$(MAN1:man/%=$(DESTDIR)$(mandir)/man1/%) \
		$(MAN7:man/%=$(DESTDIR)$(mandir)/man7/%)
	$(Q)for d in $(PKGDATA_DIRS:%=$(DESTDIR)$(pkgdatadir)/%) \
		$(DESTDIR)$(pkgdatadir) $(DESTDIR)$(pkglibdir); do \
		if test -d $$d; then rmdir --ignore-fail-on-non-empty $$d; fi; \
	done

# the engines this tree builds, one per line (tests/host/t-readme.sh)
print-engines:
	@printf '%s\n' $(ENGINE_NAMES)

format:
	clang-format -i $(wildcard lib/*.[ch] engines/*.[ch] tools/*.[ch] tests/unit/*.[ch] examples/*.c)

clean:
	rm -rf $(BUILD)/lib $(BUILD)/engines $(BUILD)/tools $(BUILD)/tests \
		$(BUILD)/examples $(TOOL) $(BUILD)/asan

distclean:
	rm -rf $(BUILD)

# Fuzzing with libFuzzer: every tests/fuzz/fuzz-*.c runs for FUZZ_TIME
# seconds, FUZZ_JOBS of them at a time (default: one per CPU), starting from its seeds in tests/fuzz/corpus/<name>; what it
# learns stays in $(BUILD)/fuzz/corpus/<name>, crashes in $(BUILD)/fuzz/.
# The seeds are first replayed by plain builds (-DFA_FUZZ_REPLAY) that need
# no clang. A crash file replays with $(BUILD)/fuzz/replay/<name> FILE.
FUZZ_CC ?= $(shell command -v clang-14 || command -v clang)
FUZZ_TIME ?= 30
FUZZ_FLAGS := -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -g -O1 \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	-fsanitize=fuzzer,address,undefined
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)
FUZZ_RUNS := $(FUZZ_NAMES:%=fuzz-run-%)
FUZZ_JOBS ?= $(shell nproc)
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay/%)

.PHONY: fuzz $(FUZZ_RUNS)

# The library is compiled into each fuzzer so that libFuzzer sees its
# coverage.
$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fa_fuzz.h $(LIB_SRCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(quiet) FUZZCC $@
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -Ilib -o $@ $< $(LIB_SRCS) $(LIBS) $(REPORT_LIBS)

$(BUILD)/fuzz/replay/%: tests/fuzz/%.c tests/fuzz/fa_fuzz.h $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -DFA_FUZZ_REPLAY -Ilib -o $@ $< $(LIB_A) \
		$(LDFLAGS) $(LIBS) $(REPORT_LIBS)

fuzz: $(FUZZ_REPLAYS)
	$(Q)for n in $(FUZZ_NAMES); do \
		$(BUILD)/fuzz/replay/$$n tests/fuzz/corpus/$$n || exit 1; \
	done
	$(Q)if [ -z "$(FUZZ_CC)" ]; then \
		echo "fuzz: no clang: on Debian 12 'apt-get install clang-14 libclang-rt-14-dev'," \
		     "or name one with FUZZ_CC=/path/to/clang (seeds replayed only)"; \
		exit 1; \
	fi
	$(Q)echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' | \
		$(FUZZ_CC) -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null || { \
		echo "fuzz: $(FUZZ_CC) cannot link libFuzzer: on Debian 12" \
		     "'apt-get install libclang-rt-14-dev' (seeds replayed only)"; \
		exit 1; }
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)
	$(Q)$(MAKE) --no-print-directory -j$(FUZZ_JOBS) --output-sync=target \
		$(FUZZ_RUNS)

# One fuzzer per CPU at a time (libFuzzer runs one process each), each
# one's lines printed together once it is done.
$(FUZZ_RUNS): fuzz-run-%: $(BUILD)/fuzz/%
	$(Q)mkdir -p $(BUILD)/fuzz/corpus/$*
	$(Q)$(BUILD)/fuzz/$* -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/$*- \
		$(BUILD)/fuzz/corpus/$* tests/fuzz/corpus/$* \
		2>$(BUILD)/fuzz/$*.log || { \
		tail -n 60 $(BUILD)/fuzz/$*.log; \
		echo "fuzz: $* found a bug; the input is in $(BUILD)/fuzz/$*-*"; \
		exit 1; }
	$(Q)echo "  FUZZ    $* for $(FUZZ_TIME) s"; \
		grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|cov:' \
			$(BUILD)/fuzz/$*.log | tail -n 4

FORCE:
