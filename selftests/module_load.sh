#!/bin/bash
# SPDX-License-Identifier: MIT
#
# kmod/mlsdco.ko loads, registers its link kind and netlink family, and
# unloads cleanly, repeatedly.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_module
require_cmd ip lsmod insmod rmmod

lsmod_has_mlsdco()
{
	lsmod | awk '{ print $1 }' | grep -qx mlsdco
}

# The link kind exists iff the module is loaded; ip needs a namespace to
# try it in, and nothing may be left behind there.
link_kind_works()
{
	local ns=$1

	ip -n "$ns" link add mlsdco-probe type mlsdco 2>/dev/null || return 1
	ip -n "$ns" link del mlsdco-probe
}

test_insmod()
{
	check "start unloaded" mlsdco_unload
	check "insmod $MLSDCO_KO" mlsdco_load
	check "lsmod lists mlsdco" lsmod_has_mlsdco
	check "/sys/module/mlsdco exists" module_loaded mlsdco
	check_eq "module state" live "$(cat /sys/module/mlsdco/initstate)"
	check_eq "module refcount with no users" 0 \
		"$(cat /sys/module/mlsdco/refcnt)"
}

test_insmod_twice()
{
	local err

	check "loaded" mlsdco_load
	err=$(insmod "$MLSDCO_KO" 2>&1) &&
		{ echo "FAIL: second insmod succeeded"; return 1; }
	echo "second insmod: $err"
	check "still loaded once" lsmod_has_mlsdco
}

test_link_kind_follows_module()
{
	local ns

	ns=$(ns_create) || return 1
	check "loaded" mlsdco_load
	check "link kind mlsdco works while loaded" link_kind_works "$ns"
	check "rmmod mlsdco" rmmod mlsdco
	check_fails "lsmod still lists mlsdco" lsmod_has_mlsdco
	# An installed copy would be autoloaded by the rtnl-link alias.
	if modprobe -q -n mlsdco 2>/dev/null; then
		skip_case "mlsdco is installed for modprobe; autoload hides the unload"
	fi
	check_fails "link kind mlsdco still works after rmmod" \
		link_kind_works "$ns"
}

test_load_unload_cycles()
{
	local i ns

	ns=$(ns_create) || return 1
	for i in 1 2 3; do
		check "insmod, cycle $i" mlsdco_load
		check "link add/del, cycle $i" link_kind_works "$ns"
		check "rmmod, cycle $i" rmmod mlsdco
	done
	check_fails "module gone after the cycles" module_loaded mlsdco
}

test_rmmod_unloaded()
{
	check "unloaded" mlsdco_unload
	check_fails "rmmod of an unloaded module" rmmod mlsdco 2>/dev/null
}

ktap_begin 5
run_case insmod test_insmod
run_case insmod_twice_fails test_insmod_twice
run_case link_kind_follows_module test_link_kind_follows_module
run_case load_unload_cycles test_load_unload_cycles
run_case rmmod_unloaded_fails test_rmmod_unloaded
ktap_finish
