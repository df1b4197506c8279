# rtlens - one non-recursive Makefile.
#   make            build build/rtlens and the compatibility links
#   make check      all tests (unit, golden, cli, bad-input corpus, fuzz replay)
#   make asan       the same tests built with ASan + UBSan
#   make demo       run the main job on the trace bundled in testdata/demo
#   make bench      benchmarks (ratios against reference tools when given)
#   make bench-quick  the same on smaller inputs (under a minute)
#   make install PREFIX=/usr/local
# O=DIR builds elsewhere; V=1 echoes commands.

O ?= build
PREFIX ?= /usr/local
SRCDIR := $(CURDIR)

PKGS := libtraceevent babeltrace2 cairo fontconfig sqlite3 zlib libzstd
# Deferred (=): evaluated after the deps step has had its chance to install them.
PKG_CFLAGS = $(patsubst -I%,-isystem%,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	-Wwrite-strings -Wundef
CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 $(WARN) -Werror -fno-common -MMD -MP -D_GNU_SOURCE $(EXTRA_DEFS)
LDFLAGS ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_DIRS := model readers stats filters skew draw
LIB_SRCS := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
CLI_SRCS := $(wildcard cli/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(O)/%.o)
LIB := $(O)/librtlens.a
BIN := $(O)/rtlens
COMPAT := st-job-stats ft2csv st-draw

TAP_OBJ := $(O)/tests/tap.o
UNIT_SRCS := $(wildcard tests/unit-*.c)
UNIT_TESTS := $(UNIT_SRCS:tests/%.c=$(O)/tests/%.t)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/tests/%.t)
GEN := $(if $(wildcard tests/gen-sched-trace.c),$(O)/gen-sched-trace)
GENX := $(O)/gen-xentrace
GEN_TD := $(O)/gen-trace-dat

DEPS_STAMP := $(O)/.deps-ok

.SECONDARY:
.PHONY: all deps check asan demo bench bench-quick install clean golden-update check-deps fuzz \
	fuzz-smoke format check-format check-scale

all: $(BIN) $(addprefix $(O)/,$(COMPAT)) $(GEN) $(GENX) $(GEN_TD)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	$(Q)mkdir -p $(O)
	$(Q)sh scripts/deps.sh
	$(Q)touch $@

$(O)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -DRL_SRCDIR='"$(SRCDIR)"' -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) -Wl,--as-needed $(PKG_LIBS) -lm

$(addprefix $(O)/,$(COMPAT)): | $(BIN)
	$(Q)ln -sf rtlens $@

# Feather-Trace generator (wrap fixture, bench)
GEN_FT := $(O)/gen-feather-trace
all: $(GEN_FT)
$(GEN_FT): $(O)/tests/gen-feather-trace.o $(LIB)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(GEN): $(O)/tests/gen-sched-trace.o
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lm

$(GENX): $(O)/tests/gen-xentrace.o
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(GEN_TD): $(O)/tests/gen-trace-dat.o
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(O)/tests/%.t: $(O)/tests/%.o $(TAP_OBJ) $(LIB)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TAP_OBJ) $(LIB) $(PKG_LIBS) -lm

$(O)/tests/fuzz-%.t: $(O)/tests/fuzz/fuzz-%.o $(O)/tests/fuzz/replay.o $(LIB)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# the tools the tests run besides the build (clang-format, nm), installed once
TOOLS_STAMP := $(O)/.test-tools-ok
$(TOOLS_STAMP): scripts/deps.sh
	$(Q)mkdir -p $(O)
	$(Q)sh scripts/deps.sh check
	$(Q)touch $@

check: all $(UNIT_TESTS) $(FUZZ_REPLAY) $(TOOLS_STAMP)
	$(Q)RL_BUILD=$(abspath $(O)) RL_SRCDIR=$(SRCDIR) prove -f $(O)/tests tests/cli

# the scale-out recipes (GNU parallel, a Slurm array on a single-node Slurm started by the test)
check-scale: all
	$(Q)RL_BUILD=$(abspath $(O)) RL_SRCDIR=$(SRCDIR) prove -v tests/scale

asan:
	$(Q)LSAN_OPTIONS=suppressions=$(SRCDIR)/tests/fuzz/lsan.supp $(MAKE) --no-print-directory O=build-asan EXTRA_DEFS=-DRL_NO_MMAP \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" check

# libFuzzer builds (clang): the library once with ASan + UBSan, UBSan fatal
# (-fno-sanitize-recover), then one binary per tests/fuzz/fuzz-*.c.
# `make fuzz-smoke` runs each FUZZ_SECS seconds on its corpus (tests/fuzz/smoke.sh).
FUZZ_O := build-fuzz
FUZZ_SECS ?= 60
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -std=gnu11 -D_GNU_SOURCE -DRL_NO_MMAP $(WARN) -Werror -MMD -MP
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_O)/%.o)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_O)/%)
FUZZ_STAMP := $(FUZZ_O)/.deps-ok
$(FUZZ_STAMP): scripts/deps.sh | $(DEPS_STAMP)
	$(Q)mkdir -p $(FUZZ_O)
	$(Q)sh scripts/deps.sh fuzz
	$(Q)touch $@
$(FUZZ_O)/%.o: %.c | $(FUZZ_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<
$(FUZZ_O)/fuzz-%: $(FUZZ_O)/tests/fuzz/fuzz-%.o $(FUZZ_LIB_OBJS)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)clang -fsanitize=fuzzer,address,undefined -o $@ $^ $(PKG_LIBS) -lm

fuzz: $(FUZZ_BINS)
	$(Q)for b in $(FUZZ_BINS); do \
		echo "built $$b (run: sh tests/fuzz/smoke.sh $(FUZZ_O) SECONDS $$(basename $$b))"; \
	done

fuzz-smoke: $(FUZZ_BINS)
	$(Q)sh tests/fuzz/smoke.sh $(FUZZ_O) $(FUZZ_SECS)

demo: all
	$(Q)sh scripts/demo.sh $(O)

bench: all
	$(Q)sh bench/bench.sh $(O)

# each area on a smaller input, under a minute in all (while working; not the goals)
bench-quick: all
	$(Q)BENCH_QUICK=1 sh bench/bench.sh $(O)

golden-update: all
	$(Q)RL_BUILD=$(abspath $(O)) RL_SRCDIR=$(SRCDIR) RL_GOLDEN_UPDATE=1 prove tests/cli >/dev/null || true
	$(Q)git status --short tests/golden tests/cli

check-deps:
	$(Q)sh scripts/check-deps.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rtlens
	for c in $(COMPAT); do ln -sf rtlens $(DESTDIR)$(PREFIX)/bin/$$c; done
	install -m 644 doc/rtlens.1 $(DESTDIR)$(PREFIX)/share/man/man1/rtlens.1

# every C file of the project is clang-format clean (tests/cli/format.t checks it)
FMT_SRCS = $(sort $(wildcard $(foreach d,$(LIB_DIRS) cli tests tests/fuzz bench,$(d)/*.c $(d)/*.h)))

format:
	clang-format -i $(FMT_SRCS)

check-format:
	$(Q)clang-format --dry-run -Werror $(FMT_SRCS)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(O) -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_O) -name '*.d' 2>/dev/null)
