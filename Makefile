# SPDX-License-Identifier: GPL-2.0
#
# DittoFS: out-of-tree NFSv4.1 server module.  The kbuild side lives in
# Kbuild files; this Makefile drives builds and tests for people.
#
#   make            build dittofs.ko and the KUnit module for the UML test kernel
#   make check      every build, style check and test; ends with "N passed, N failed"
#   make demo       UML with knfsd and dittofs side by side
#   make help       all targets

SHELL := /bin/bash
TOP := $(CURDIR)
UML = $$($(TOP)/scripts/uml-kernel)
DISTRO_KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-amd64)))
KBUILD_FLAGS := W=1 KCFLAGS=-Werror
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)
DKMS_SRC := /usr/src/dittofs-$(DKMS_VERSION)
KVER ?= $(shell uname -r)

.PHONY: all modules setup kernel distro style kunit e2e check demo clean help \
	regen dfsctl admin bench vm-debug install uninstall stress-mutation

all: modules

setup:
	@$(TOP)/scripts/setup

kernel: setup
	@$(TOP)/scripts/uml-kernel >/dev/null

modules: kernel
	$(MAKE) -C $(UML) ARCH=um M=$(TOP) $(KBUILD_FLAGS) modules

# Build against Debian's distribution kernel headers (x86_64, no KUnit), in
# a copy so its objects never mix with the UML ones.
distro: setup
	@test -n "$(DISTRO_KDIR)" || { echo "no linux-headers-6.12.*-amd64; run make setup"; exit 1; }
	rm -rf build/amd64 && mkdir -p build/amd64
	cp -a Kbuild fs kunit $(wildcard include) build/amd64/
	find build/amd64 -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
	$(MAKE) -C $(DISTRO_KDIR) M=$(TOP)/build/amd64 $(KBUILD_FLAGS) modules

# Build dittofs.ko and the KUnit module for the x86_64 SMP debug kernel of
# scripts/vm-kernel (scripts/vm-run --kernel debug), in a copy likewise.
vm-debug: setup
	rm -rf build/x86-debug && mkdir -p build/x86-debug
	cp -a Kbuild fs kunit $(wildcard include) build/x86-debug/
	find build/x86-debug -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
	$(MAKE) -C $$($(TOP)/scripts/vm-kernel) M=$(TOP)/build/x86-debug $(KBUILD_FLAGS) modules

style: kernel
	@$(TOP)/scripts/style

kunit: modules
	@$(TOP)/scripts/kunit

regen: setup
	@$(TOP)/scripts/ynl-regen

dfsctl:
	$(MAKE) -C tools/dfsctl

admin: modules dfsctl
	@$(TOP)/scripts/admin

e2e: modules
	@$(TOP)/scripts/e2e

check:
	@$(TOP)/scripts/check

# Install with DKMS for kernel $(KVER) (default: the running one), as on a
# real machine (as root): the source goes to $(DKMS_SRC), DKMS builds and
# installs dittofs.ko under updates/dkms and rebuilds it for every kernel
# installed later; then "modprobe dittofs export=...".  Needs dkms and the
# kernel's headers (Debian: dkms, linux-headers-$(KVER)).
install:
	rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	cp -a Kbuild Makefile dkms.conf fs include kunit $(DKMS_SRC)/
	find $(DKMS_SRC) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod*' -o -name 'modules.order' \) -delete
	dkms add dittofs/$(DKMS_VERSION)
	dkms build dittofs/$(DKMS_VERSION) -k $(KVER)
	dkms install dittofs/$(DKMS_VERSION) -k $(KVER)

# Undo make install: the module for every kernel, and the source.
uninstall:
	-modprobe -r dittofs
	dkms remove dittofs/$(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

demo: modules
	@$(TOP)/scripts/demo

# Benchmarks against knfsd on the debug-free UML kernel (scripts/bench).
bench: setup
	@$(TOP)/scripts/bench

# The SMP stress must fail on a module whose slot lock is broken.
stress-mutation: setup
	@$(TOP)/scripts/stress-mutation

clean:
	-$(MAKE) -C $(UML) ARCH=um M=$(TOP) clean
	rm -rf build

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  make setup    install the Debian packages (as root)"
	@echo "  make kernel   build the cached UML test kernel"
	@echo "  make distro   build against Debian's linux-headers-6.12 with W=1"
	@echo "  make vm-debug build for the x86_64 SMP debug kernel (QEMU) with W=1"
	@echo "  make style    checkpatch --strict, kernel-doc and sparse"
	@echo "  make kunit    KUnit suites in UML"
	@echo "  make e2e      end-to-end tests in UML"
	@echo "  make bench    dittofs against knfsd; writes bench/results.json"
	@echo "  make regen    regenerate the netlink code from its YNL spec"
	@echo "  make dfsctl   build tools/dfsctl"
	@echo "  make admin    dfsctl against real sessions in UML"
	@echo "  make install  install with DKMS for the running kernel (as root)"
	@echo "  make uninstall  remove what make install installed"
	@echo "  make stress-mutation  the SMP stress must catch a broken slot lock"
