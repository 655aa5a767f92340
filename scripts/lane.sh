# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/e2e, scripts/wire and scripts/admin: where a guest
# suite runs.  Without an option, in UML (scripts/uml-run); with
# "--vm distro" or "--vm debug", in QEMU with 2 CPUs (scripts/vm-run).
#
# lane_init SUITE "$@" sets:
#   lane_name  the result's name: SUITE, or vm-KIND-SUITE
#   lane_run   the runner and its options, to be followed by --log and CMD
#   lane_args  the remaining arguments
lane_init() {
	local suite=$1
	shift
	lane_name=$suite
	lane_run=("$top/scripts/uml-run" --timeout 900)
	if [ "${1:-}" = --vm ]; then
		[ $# -ge 2 ] || { echo "$suite: --vm needs distro or debug" >&2; exit 2; }
		lane_name=vm-$2-$suite
		lane_run=("$top/scripts/vm-run" --kernel "$2" --cpus 2 --timeout 1500)
		shift 2
	fi
	lane_args=("$@")
}

# lane_how OUT: the runner's line naming the kernel and CPUs, if any.
lane_how() {
	grep -m1 -E '^vm-run: (distro|debug) kernel' "$1" 2>/dev/null |
		sed 's/^vm-run: //'
}
