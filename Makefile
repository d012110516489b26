# cairn — Makefile
#
# One build directory per configuration, so that no tracked file is edited to
# build for another home or for single-user mode:
#
#   make                         programs for the top-level conf-* files, in build/
#   make progs CONF=D B=D2       programs for the conf-* files in D, into D2
#                                (modules are compiled once, in $(O); only
#                                auto.c is compiled again for D)
#   make test                    install test dependencies, build, run every test
#   make test-asan               the same under AddressSanitizer and UBSan
#   make run [RUN_DIR=D RUN_PORT=P]  a self-contained instance in ./run, in the
#                                foreground, smtpd on 127.0.0.1:2525 (package/run)
#
# Every src/*.c holding "int main" is a program; every other src/*.c is a
# module and goes into libcairn.a. Unit tests are tests/unit/*.c.

O ?= build
B ?= $(O)
CONF ?= .
EXTRA ?=

comma := ,
CC_LINE := $(shell head -n 1 conf-cc) $(EXTRA)
LD_LINE := $(shell head -n 1 conf-ld) $(EXTRA)
# The programs of conf-static are linked -static (their exec skips the
# dynamic loader: about half of the cost of starting one), the others
# dynamically: glibc's NSS (getpwnam ...) needs the shared libraries. A
# sanitizer build links everything dynamically (ASan cannot link -static).
# --fatal-warnings turns glibc's "Using 'getpwnam' in statically linked
# applications" into an error, so that a static program that starts to
# need NSS fails to build instead of failing at run time.
STATIC := $(if $(findstring -fsanitize,$(EXTRA)),,$(shell head -n 1 conf-static))

MAINS := $(sort $(basename $(notdir $(shell grep -l '^int main' src/*.c))))
MODS := $(filter-out $(MAINS) auto,$(sort $(basename $(notdir $(wildcard src/*.c)))))
UNITS := $(sort $(basename $(notdir $(wildcard tests/unit/*.c))))

LIBS := -lskarnet
# Extra libraries of single programs: LIBS_prog := ...
-include src/libs.mk

PROGRAMS := $(addprefix $(B)/,$(MAINS))
# Scripts that install copies beside the programs: cairnctl and the service
# directories' run files, with conf-home written over their /var/qmail.
SCRIPTS := $(B)/cairnctl $(patsubst package/%,$(B)/%,$(sort $(shell find package/service -type f -name run)))
UNITBINS := $(addprefix $(O)/tests/unit/,$(addsuffix .t,$(UNITS)))

.PHONY: all progs deps test test-asan check-e2e units clean install setup check man-check run install-sendmail
.DELETE_ON_ERROR:
.SECONDARY:

all: deps
	@$(MAKE) --no-print-directory progs units

deps:
	@package/deps build

progs: $(PROGRAMS) $(SCRIPTS)

$(SCRIPTS): $(B)/%: package/% $(CONF)/conf-home
	@mkdir -p $(@D)
	@sed "s|/var/qmail|$$(head -n 1 $(CONF)/conf-home)|g" $< > $@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

units: $(UNITBINS)

$(O)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC_LINE) -MMD -MP -c -o $@ $<

$(O)/libcairn.a: $(addprefix $(O)/obj/,$(addsuffix .o,$(MODS)))
	@rm -f $@
	ar rcs $@ $^

$(B)/auto.c: $(CONF)/conf-home $(CONF)/conf-split $(CONF)/conf-users package/mkauto
	@mkdir -p $(@D)
	package/mkauto $(CONF) > $@.tmp && mv $@.tmp $@

$(B)/auto.o: $(B)/auto.c src/auto.h
	$(CC_LINE) -c -o $@ $<

$(B)/%: $(O)/obj/%.o $(B)/auto.o $(O)/libcairn.a conf-static
	$(LD_LINE) $(if $(filter $*,$(STATIC)),-static -Wl$(comma)--fatal-warnings) -o $@ $< $(B)/auto.o $(O)/libcairn.a $(LIBS_$*) $(LIBS)

$(O)/tests/unit/%.t: tests/unit/%.c tests/unit/tap.h $(O)/auto.o $(O)/libcairn.a
	@mkdir -p $(@D)
	$(CC_LINE) -Itests/unit -o $@ $< $(O)/auto.o $(O)/libcairn.a $(LIBS_$*) $(LIBS)

ifneq ($(O),$(B))
$(O)/auto.o: $(O)/auto.c src/auto.h
	$(CC_LINE) -c -o $@ $<
$(O)/auto.c: conf-home conf-split conf-users package/mkauto
	@mkdir -p $(@D)
	package/mkauto . > $@.tmp && mv $@.tmp $@
endif

-include $(wildcard $(O)/obj/*.d)

# The test suite: unit tests (C) and end-to-end scripts, all TAP, under prove.
# Each end-to-end test builds its own instance (home, single-user) with
# tests/lib/instance.sh, which calls "make progs" with its own CONF and B.
TESTS ?= $(UNITBINS) $(sort $(wildcard tests/e2e/*.t))
# Three at a time: most tests wait on fsync, sleeps and child processes, so
# two cores run three well; tests that edit system users take a lock.
PROVE_FLAGS ?= -j3
test:
	@package/deps test
	@$(MAKE) --no-print-directory progs units
	CAIRN_TOP=$(CURDIR) CAIRN_O=$(abspath $(O)) CAIRN_EXTRA='$(EXTRA)' \
	  prove --exec '' --timer $(PROVE_FLAGS) $(TESTS)

test-asan:
	@$(MAKE) --no-print-directory test O=build-asan \
	  EXTRA='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined'

# make run: package/run builds its own single-user instance (make progs
# with the instance's CONF and B), writes default control files where
# missing, and runs it under s6-svscan until ^C. RUN_DIR and RUN_PORT,
# from the command line or the environment, reach it unchanged.
run:
	@package/deps run
	@CAIRN_O=$(abspath $(O)) CAIRN_EXTRA='$(EXTRA)' exec package/run

# qmail's words: "make setup check". setup (or install) creates the users
# and groups of conf-users that are missing (package/users), then installs
# into conf-home with install, writing the configuration of a fresh home
# where it has none (install -d: control/me ... and tcp.smtp, compiled
# here; ~alias's .qmail files); check verifies the result with instcheck.
# CONF and B choose another configuration, as for progs.
install setup: deps
	@$(MAKE) --no-print-directory progs
	package/users $(CONF)
	$(B)/install -d $(B)
	@h=$$(head -n 1 $(CONF)/conf-home); \
	if [ -f $$h/control/tcp.smtp ] && [ ! -f $$h/control/tcp.smtp.cdb ]; then \
	  echo "tcprules $$h/control/tcp.smtp.cdb"; \
	  timeout 30 tcprules $$h/control/tcp.smtp.cdb $$h/control/tcp.smtp.tmp < $$h/control/tcp.smtp; \
	fi

check:
	$(B)/instcheck

# make install-sendmail [DESTDIR=D]: /usr/sbin/sendmail, /usr/lib/sendmail,
# /usr/bin/mailq and /usr/bin/newaliases (under D when given) become
# symlinks to conf-home's bin/sendmail and bin/newaliases; what was there
# is kept as NAME.orig-cairn (install -s, INSTALL). Install the home first.
install-sendmail:
	@$(MAKE) --no-print-directory progs
	$(B)/install -s $(DESTDIR)

man-check:
	@for f in man/*.[1-8]; do \
	  out=$$(groff -ww -z -man $$f 2>&1); \
	  if [ -n "$$out" ]; then echo "$$f: $$out"; exit 1; fi; \
	done; echo "man pages: all render without warnings"

clean:
	rm -rf build build-asan

# libFuzzer targets (tests/fuzz/NAME.c, built with clang into build-fuzz/):
#   make fuzz [FUZZTIME=60] [FUZZERS=smtpdata]   build, then run each for FUZZTIME s
#   make fuzz-merge                              minimize what they found into
#                                                tests/fuzz/corpus/NAME/
# The modules are compiled again with clang's instrumentation; each run
# reads the kept corpus (tests/fuzz/corpus/NAME/) and writes what it finds
# to build-fuzz/corpus/NAME/, so that the repository is touched only by
# fuzz-merge. tests/fuzz/NAME.dict, when present, is its dictionary.
FUZZCC ?= clang
FUZZTIME ?= 60
FUZZO := build-fuzz
FUZZFLAGS := -O1 -g -std=c11 -D_GNU_SOURCE -iquote src -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZERS ?= $(sort $(basename $(notdir $(wildcard tests/fuzz/*.c))))
FUZZMODS := $(filter-out $(MAINS) auto,$(sort $(basename $(notdir $(wildcard src/*.c)))))

.PHONY: fuzz fuzz-build fuzz-merge fuzz-deps
$(FUZZO)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZO)/libcairn.a: $(addprefix $(FUZZO)/obj/,$(addsuffix .o,$(FUZZMODS)))
	@rm -f $@
	ar rcs $@ $^

$(FUZZO)/auto.c: conf-home conf-split conf-users package/mkauto
	@mkdir -p $(@D)
	package/mkauto . > $@.tmp && mv $@.tmp $@

$(FUZZO)/%: tests/fuzz/%.c $(FUZZO)/libcairn.a $(FUZZO)/auto.c
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZO)/auto.c $(FUZZO)/libcairn.a $(LIBS_$*) $(LIBS)

-include $(wildcard $(FUZZO)/obj/*.d)

fuzz-build: $(addprefix $(FUZZO)/,$(FUZZERS))

fuzz: fuzz-deps fuzz-build
	@for f in $(FUZZERS); do \
	  mkdir -p $(FUZZO)/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	  dict=; [ -f tests/fuzz/$$f.dict ] && dict=-dict=tests/fuzz/$$f.dict; \
	  echo "fuzz: $$f for $(FUZZTIME) s"; \
	  $(FUZZO)/$$f -max_total_time=$(FUZZTIME) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZO)/crash-$$f- $$dict \
	    $(FUZZO)/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	done

fuzz-deps:
	@package/deps fuzz

fuzz-merge: fuzz-deps fuzz-build
	@for f in $(FUZZERS); do \
	  mkdir -p $(FUZZO)/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	  $(FUZZO)/$$f -merge=1 tests/fuzz/corpus/$$f $(FUZZO)/corpus/$$f || exit 1; \
	done

# make bench: cairn against Postfix on this machine, in one run, as root
# (bench/README.md); not part of make test. BENCH_QUICK=1 for a smoke run
# of about two minutes; bench/run lists the other settings.
.PHONY: bench
bench:
	@package/deps bench
	@$(MAKE) --no-print-directory progs
	CAIRN_O=$(abspath $(O)) bench/run
