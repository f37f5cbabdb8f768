#!/bin/bash
# SPDX-License-Identifier: MIT
#
# "mlsctl dev": listing mlsdco devices per namespace (text and JSON),
# setting the listen port, and refusing bad input and unprivileged callers
# without changing anything.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_module
require_mlsctl
require_cmd ip setpriv

HAVE_PYTHON=0
command -v python3 >/dev/null && HAVE_PYTHON=1

# ifindex NS DEV: as the kernel reports it to ip, not to mlsctl.
ifindex()
{
	ip -n "$1" -o link show dev "$2" | cut -d: -f1
}

# ns_with_devices DEV...: a new namespace holding mlsdco devices DEV...
ns_with_devices()
{
	local ns dev

	ns=$(ns_create) || return 1
	for dev; do
		ip -n "$ns" link add "$dev" type mlsdco || return 1
	done
	echo "$ns"
}

# json_check JSON PYTHON-ASSERTIONS: `d` is the parsed document.
json_check()
{
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
exec(sys.argv[2])' "$1" "$2"
}

# port_of NS DEV: the listen port in "mlsctl dev show DEV" text output.
port_of()
{
	mlsctl_in "$1" dev show "$2" | sed -n 's/.* port \([0-9]*\)$/\1/p'
}

test_show_empty()
{
	local ns out

	check "load" mlsdco_load
	ns=$(ns_with_devices) || return 1
	out=$(mlsctl_in "$ns" dev show) || { echo "FAIL: dev show"; return 1; }
	check_eq "text output with no devices" "" "$out"
	out=$(mlsctl_in "$ns" dev show -j) || { echo "FAIL: dev show -j"; return 1; }
	check_eq "JSON output with no devices" "[]" "$(tr -d ' \n' <<<"$out")"
}

test_show_text()
{
	local ns out expected

	check "load" mlsdco_load
	ns=$(ns_with_devices mlsdco0 mlsdco1) || return 1
	check "an unrelated device" ip -n "$ns" link add dummy0 type veth peer name dummy1
	out=$(mlsctl_in "$ns" dev show) || { echo "FAIL: dev show"; return 1; }
	echo "$out"
	expected=$(printf 'mlsdco0: ifindex %s port 0\nmlsdco1: ifindex %s port 0' \
		"$(ifindex "$ns" mlsdco0)" "$(ifindex "$ns" mlsdco1)")
	check_eq "one line per mlsdco device" "$expected" "$(sort <<<"$out")"
}

test_show_json()
{
	local ns out i0 i1

	check "load" mlsdco_load
	ns=$(ns_with_devices mlsdco0 mlsdco1) || return 1
	check "set a port" mlsctl_in "$ns" dev set mlsdco1 port 4500
	out=$(mlsctl_in "$ns" dev show -j) || { echo "FAIL: dev show -j"; return 1; }
	echo "$out"
	i0=$(ifindex "$ns" mlsdco0) i1=$(ifindex "$ns" mlsdco1)
	if [ "$HAVE_PYTHON" = 0 ]; then
		check "mlsdco0 object" grep -q "\"ifname\": *\"mlsdco0\"" <<<"$out"
		check "mlsdco1 port" grep -q "\"listen_port\": *4500" <<<"$out"
		return 0
	fi
	check "JSON array of device objects" json_check "$out" "
assert isinstance(d, list), 'not an array'
byname = {o['ifname']: o for o in d}
assert sorted(byname) == ['mlsdco0', 'mlsdco1'], sorted(byname)
for o in d:
    assert set(o) == {'ifname', 'ifindex', 'listen_port'}, set(o)
assert byname['mlsdco0'] == {'ifname': 'mlsdco0', 'ifindex': $i0, 'listen_port': 0}, byname['mlsdco0']
assert byname['mlsdco1'] == {'ifname': 'mlsdco1', 'ifindex': $i1, 'listen_port': 4500}, byname['mlsdco1']
"
	out=$(mlsctl_in "$ns" dev show mlsdco1 -j) || { echo "FAIL: dev show mlsdco1 -j"; return 1; }
	check "JSON for one device" json_check "$out" "
assert d == [{'ifname': 'mlsdco1', 'ifindex': $i1, 'listen_port': 4500}], d
"
}

test_show_one()
{
	local ns out err

	check "load" mlsdco_load
	ns=$(ns_with_devices mlsdco0 mlsdco1) || return 1
	out=$(mlsctl_in "$ns" dev show mlsdco1) || { echo "FAIL: dev show mlsdco1"; return 1; }
	check_eq "only mlsdco1" \
		"mlsdco1: ifindex $(ifindex "$ns" mlsdco1) port 0" "$out"
	for dev in nosuchdev lo; do
		out=$(mlsctl_in "$ns" dev show "$dev" 2>"$LIB_TMP/err") &&
			{ echo "FAIL: dev show $dev succeeded"; return 1; }
		err=$(cat "$LIB_TMP/err")
		echo "dev show $dev: $err"
		check_eq "no output for $dev" "" "$out"
		check "one-line error naming $dev" \
			test "$(wc -l <<<"$err")" = 1 -a -n "$(grep -F "$dev" <<<"$err")"
	done
}

test_netns_isolation()
{
	local a b out

	check "load" mlsdco_load
	a=$(ns_with_devices mlsdco0 mlsdco-a) || return 1
	b=$(ns_with_devices mlsdco0 mlsdco-b) || return 1
	check "set port in $a" mlsctl_in "$a" dev set mlsdco0 port 1111
	out=$(mlsctl_in "$b" dev show) || { echo "FAIL: dev show in $b"; return 1; }
	echo "$out"
	check_fails "$a's device not listed in $b" grep -q mlsdco-a <<<"$out"
	check "$b's own device listed" grep -q '^mlsdco-b: ' <<<"$out"
	check_eq "$b's mlsdco0 keeps port 0" 0 "$(port_of "$b" mlsdco0)"
	check_eq "$a's mlsdco0 has port 1111" 1111 "$(port_of "$a" mlsdco0)"
	check_fails "$b cannot reach $a's device by name" \
		mlsctl_in "$b" dev show mlsdco-a 2>/dev/null
}

test_set_port()
{
	local ns

	check "load" mlsdco_load
	ns=$(ns_with_devices mlsdco0 mlsdco1) || return 1
	check "set port 51820" mlsctl_in "$ns" dev set mlsdco0 port 51820
	check_eq "port shown" 51820 "$(port_of "$ns" mlsdco0)"
	check_eq "other device unchanged" 0 "$(port_of "$ns" mlsdco1)"
	check "set port 65535" mlsctl_in "$ns" dev set mlsdco0 port 65535
	check_eq "highest port" 65535 "$(port_of "$ns" mlsdco0)"
	check "set port 0" mlsctl_in "$ns" dev set mlsdco0 port 0
	check_eq "back to 0" 0 "$(port_of "$ns" mlsdco0)"
}

# Every bad request fails with one line on stderr and changes nothing.
test_set_bad_input()
{
	local ns args err

	check "load" mlsdco_load
	ns=$(ns_with_devices mlsdco0) || return 1
	check "set port 4242" mlsctl_in "$ns" dev set mlsdco0 port 4242
	while read -r args; do
		# shellcheck disable=SC2086
		if mlsctl_in "$ns" dev set $args 2>"$LIB_TMP/err" >/dev/null; then
			echo "FAIL: 'dev set $args' succeeded"
			return 1
		fi
		err=$(cat "$LIB_TMP/err")
		echo "dev set $args: $err"
		check "an error message for '$args'" test -n "$err"
		check_eq "port after 'dev set $args'" 4242 "$(port_of "$ns" mlsdco0)"
	done <<-EOF
		mlsdco0 port 65536
		mlsdco0 port -1
		mlsdco0 port abc
		mlsdco0 port 12x
		mlsdco0 port
		mlsdco0
		mlsdco0 mtu 1400
		nosuchdev port 1
		lo port 1
		mlsdco0 port 1 port 2
		aaaaaaaaaaaaaaaaaaaaaaaa port 1
	EOF
}

# Setting and reading both need CAP_NET_ADMIN over the namespace.
test_unprivileged()
{
	local ns err

	check "load" mlsdco_load
	ns=$(ns_with_devices mlsdco0) || return 1
	check "set port 4242" mlsctl_in "$ns" dev set mlsdco0 port 4242
	if unprivileged_in "$ns" "$MLSCTL" dev set mlsdco0 port 1 \
		2>"$LIB_TMP/err"; then
		echo "FAIL: unprivileged dev set succeeded"
		return 1
	fi
	err=$(cat "$LIB_TMP/err")
	echo "unprivileged dev set: $err"
	check "EPERM reported" grep -q "Operation not permitted" <<<"$err"
	check "names the command" grep -q "dev set mlsdco0" <<<"$err"
	check_eq "port unchanged" 4242 "$(port_of "$ns" mlsdco0)"
	check_fails "unprivileged dev show is refused" \
		unprivileged_in "$ns" "$MLSCTL" dev show
}

test_module_missing()
{
	local ns err

	ns=$(ns_create) || return 1
	check "unload" mlsdco_unload
	if modprobe -q -n mlsdco 2>/dev/null; then
		skip_case "mlsdco is installed for modprobe and would autoload"
	fi
	if mlsctl_in "$ns" dev show 2>"$LIB_TMP/err"; then
		echo "FAIL: dev show without the module succeeded"
		return 1
	fi
	err=$(cat "$LIB_TMP/err")
	echo "without module: $err"
	check "says the module is missing" grep -qi "module" <<<"$err"
}

ktap_begin 9
run_case show_empty test_show_empty
run_case show_text test_show_text
run_case show_json test_show_json
run_case show_one test_show_one
run_case netns_isolation test_netns_isolation
run_case set_port test_set_port
run_case set_bad_input_changes_nothing test_set_bad_input
run_case unprivileged_set_eperm test_unprivileged
run_case module_missing test_module_missing
ktap_finish
