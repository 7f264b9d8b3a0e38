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
# the results database of `fio-atomic report`: the tool alone links it
REPORT_LIBS := -lsqlite3

.PHONY: all fio engines tool unit examples check check-sid check-old-headers \
	asan demo bench \
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
	$(Q)tools/fetch-fio.sh $(abspath $(FIO_SRC)) $(FIO_SUITE) $(FIO_VERSION)
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
	$(Q)$(CC) $(CFLAGS) -Ilib -c -o $@ $<

$(TOOL): $(TOOL_OBJS) $(LIB_A)
	$(quiet) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(TOOL_LIBS) $(REPORT_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/fa_test.h $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Ilib -o $@ $< $(LIB_A) $(LDFLAGS) $(TOOL_LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Ilib -o $@ $< $(LIB_A) $(LDFLAGS) $(LIBS)

$(BUILD)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Ilib -o $@ $< $(LIB_A) $(LDFLAGS) $(LIBS)

# check and demo install what is missing first, so that each is the one
# command a fresh Debian 12 machine needs.
deps-auto:
	@tools/deps.sh --quiet

check: deps-auto
	@$(MAKE) --no-print-directory all
	@FIO=$(abspath $(FIO)) BUILD=$(abspath $(BUILD)) tests/run-tests

# The engine tests again, built against the newest fio source Debian serves
# (sid), when it can be downloaded today.
check-sid: deps-auto
	@tools/check-sid.sh

# Everything still builds against Debian 12's 6.1 kernel headers.
check-old-headers: deps-auto fio
	@tools/check-old-headers.sh

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
	@FIO=$(abspath $(FIO)) BUILD=$(abspath $(BUILD)) tools/demo.sh

bench: deps-auto
	@$(MAKE) --no-print-directory all
	@BUILD=$(abspath $(BUILD)) tools/bench.sh

deps:
	@tools/deps.sh

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
# seconds, starting from its seeds in tests/fuzz/corpus/<name>; what it
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
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay/%)

.PHONY: fuzz

# The library is compiled into each fuzzer so that libFuzzer sees its
# coverage.
$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fa_fuzz.h $(LIB_SRCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(quiet) FUZZCC $@
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -Ilib -o $@ $< $(LIB_SRCS) $(LIBS)

$(BUILD)/fuzz/replay/%: tests/fuzz/%.c tests/fuzz/fa_fuzz.h $(LIB_A)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -DFA_FUZZ_REPLAY -Ilib -o $@ $< $(LIB_A) \
		$(LDFLAGS) $(LIBS)

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
	$(Q)for n in $(FUZZ_NAMES); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$n && \
		echo "  FUZZ    $$n for $(FUZZ_TIME) s" && \
		$(BUILD)/fuzz/$$n -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$n- \
			$(BUILD)/fuzz/corpus/$$n tests/fuzz/corpus/$$n \
			2>$(BUILD)/fuzz/$$n.log || { \
			tail -n 60 $(BUILD)/fuzz/$$n.log; \
			echo "fuzz: $$n found a bug; the input is in $(BUILD)/fuzz/$$n-*"; \
			exit 1; }; \
		grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|cov:' \
			$(BUILD)/fuzz/$$n.log | tail -n 4; \
	done
