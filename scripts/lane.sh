# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/e2e, wire, admin and vm-dkms: where a guest
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

# lane_count LABEL LOG OUT RC: count LOG's "ok N" and "not ok N" lines
# into lane_p and lane_f (SKIP and TODO count as neither; a failed run
# with no failed check, or no passed check, is one failure more), print
# the failed checks and one summary line.
lane_count() {
	local label=$1 log=$2 out=$3 rc=$4 how
	lane_p=$(grep -E '^ok [0-9]' "$log" | grep -vcE '# (SKIP|TODO)')
	lane_f=$(grep -E '^not ok [0-9]' "$log" | grep -vc '# TODO')
	awk '/^not ok [0-9]/ && !/# TODO/ { n = 9 } n-- > 0' "$log" | head -n 60
	if [ "$rc" -ne 0 ] && [ "$lane_f" -eq 0 ]; then
		echo "$label: the run failed with status $rc" >&2
		tail -n 20 "$out" >&2
		lane_f=1
	fi
	[ "$lane_p" -gt 0 ] || lane_f=$((lane_f + 1))
	how=$(lane_how "$out")
	echo "$label${how:+ ($how)}: $lane_p passed, $lane_f failed"
}

# lane_suite CMD [ARGS...]: run CMD in the guest where lane_init said, with
# its console in build/logs/$lane_name-console.log, and write its
# "PASSED FAILED" to build/results/$lane_name.
lane_suite() {
	local log=$top/build/logs/$lane_name-console.log
	local out=$top/build/logs/$lane_name.out
	local res=$top/build/results/$lane_name rc

	mkdir -p "$top/build/results" "$top/build/logs"
	echo "0 1" > "$res"
	"${lane_run[@]}" --log "$log" -- "$@" > "$out" 2>&1
	rc=$?
	lane_count "$lane_name" "$log" "$out" "$rc"
	echo "$lane_p $lane_f" > "$res"
	[ "$lane_f" -eq 0 ]
}
