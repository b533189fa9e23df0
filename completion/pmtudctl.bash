# bash completion for pmtudctl(8), the control client of pmtud.
#
# Commands and their options as in pmtudctl(8).  Destinations are the
# names the daemon has findings for, from "pmtudctl status --json" (one
# finding a line); with no daemon to ask there are none, and nothing is
# said.  Uses bash-completion's helpers where they are loaded (IPv6
# addresses hold colons, which bash splits words at), plain COMP_WORDS
# otherwise.

# The destinations the daemon at socket $1 (or the default) knows.
_pmtudctl_destinations()
{
	# --timeout: a daemon that does not answer must not hold the shell.
	pmtudctl ${1:+--socket "$1"} status --json --timeout 2 \
	    </dev/null 2>/dev/null |
	    sed -n 's/.*"destination": *"\([^"\\]*\)".*/\1/p' | sort -u
}

_pmtudctl()
{
	local cur prev words cword
	local cmd="" sock="" nargs=0 i w opts

	if declare -F _get_comp_words_by_ref >/dev/null; then
		_get_comp_words_by_ref -n =: cur prev words cword
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi
	COMPREPLY=()

	# The command, the socket and the operands given so far.
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		--socket)
			sock=${words[i + 1]}
			i=$((i + 1))
			;;
		--socket=*)
			sock=${w#--socket=}
			;;
		--method | --port | --timeout | --state | --count | \
		    --min-mtu | --warn-mtu | --max-age | --since)
			i=$((i + 1))
			;;
		-*)
			;;
		*)
			if [[ -z $cmd ]]; then
				cmd=$w
			else
				nargs=$((nargs + 1))
			fi
			;;
		esac
	done

	case $prev in
	--socket)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--method)
		COMPREPLY=($(compgen -W 'auto icmp udp tcp' -- "$cur"))
		return
		;;
	--state)
		COMPREPLY=($(compgen -W 'ok blackhole unreachable error' \
		    -- "$cur"))
		return
		;;
	--port | --timeout | --count | --min-mtu | --warn-mtu | --max-age | \
	    --since)
		return
		;;
	esac

	case $cmd in
	"")
		if [[ $cur == -* ]]; then
			opts='--socket --help --version -h'
		else
			opts='probe status history explain check watch metrics
			    reload version'
		fi
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
		;;
	probe)
		opts='-4 -6 --method --port --no-walk --flows --json --timeout'
		;;
	status)
		opts='-4 -6 --state --json --timeout'
		;;
	history)
		opts='-4 -6 --since --json --timeout'
		;;
	explain)
		opts='-4 -6 --json --timeout'
		;;
	check)
		opts='-4 -6 --min-mtu --warn-mtu --max-age --timeout'
		;;
	watch)
		opts='--count'
		;;
	metrics | version)
		opts='--json --timeout'
		;;
	reload)
		opts=''
		;;
	*)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --socket" -- "$cur"))
		return
	fi
	case $cmd in
	probe | status | history | explain | check)
		if [[ $nargs -eq 0 ]]; then
			COMPREPLY=($(compgen -W \
			    "$(_pmtudctl_destinations "$sock")" -- "$cur"))
			if declare -F __ltrim_colon_completions >/dev/null; then
				__ltrim_colon_completions "$cur"
			fi
		fi
		;;
	esac
}
complete -F _pmtudctl pmtudctl
