# SPDX-License-Identifier: GPL-2.0
# bash completion for dfsctl(8)

_dfsctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} words=() w i
	# The words before the cursor, without --json.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == --json || $w == -j ]] || words+=("$w")
	done
	local opts
	case "${words[*]}" in
	"") opts="export client metrics settings monitor --help --json --version" ;;
	export) opts="list show add remove load --help" ;;
	"export show" | "export remove")
		opts=$(dfsctl export list 2>/dev/null | awk 'NR > 1 { print $1 }') ;;
	"export load")
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	client) opts="list show sessions evict --help" ;;
	"client sessions") opts="list destroy --help" ;;
	"client show" | "client evict" | "client sessions list" | \
	"client sessions destroy")
		# Client ids from the running server, when there is one.
		opts=$(dfsctl client list 2>/dev/null | awk 'NR > 1 { print $1 }') ;;
	"client sessions destroy "*)
		opts=$(dfsctl client sessions list "${words[3]}" 2>/dev/null |
			awk 'NR > 1 { print $1 }') ;;
	metrics) opts="--prometheus --help" ;;
	settings) opts="get set --help" ;;
	"settings set"*)
		opts="fore-slots= back-slots= sessions-per-client= lease-time= max-ops= max-cached-reply= reply-cache-mb="
		compopt -o nospace 2>/dev/null ;;
	monitor) opts="--count --help" ;;
	*) opts="" ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
}
complete -F _dfsctl dfsctl
