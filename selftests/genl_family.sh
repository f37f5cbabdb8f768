#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The "mlsdco" generic netlink family, as any netlink client sees it through
# the controller (iproute2's genl), in every namespace, only while the
# module is loaded.

. "$(dirname "$(readlink -f "$0")")/lib.sh"

require_root
require_module
require_cmd genl ip

FAMILY=mlsdco
# From the family spec netlink/mlsdco.yaml (not from the code under test).
FAMILY_VERSION=0x1
CMD_DEV_GET=0x1
CMD_DEV_SET=0x2

# From the spec as well: attribute numbers and types.
A_IFINDEX=1
A_IFNAME=2
A_LISTEN_PORT=3

# op_policies ID: "do=N dump=M" of operation ID in the policy dump, which
# is where genl shows what an operation can do (its "ctrl get" prints
# capabilities only for families of version 2 or more).
op_policies()
{
	genl ctrl policy name "$FAMILY" |
		sed -n "s/.* op $(($1)) policies: //p"
}

# attr_type POLICY_INDEX ATTR: the type genl reports for an attribute.
attr_type()
{
	genl ctrl policy name "$FAMILY" |
		sed -n "s/.* policy\[$1\]:attr\[$2\]: type=\([A-Z0-9_]*\).*/\1/p"
}

# Operations in netlink/mlsdco.yaml that userspace can request (do/dump).
spec_request_ops()
{
	awk '/^operations:/ { ops = 1 }
	     ops && /^ *-( *name:.*)? *$/ { n++ }
	     ops && /^ *(do|dump):/ && last != n { count++; last = n }
	     END { print count + 0 }' \
		"$REPO/netlink/mlsdco.yaml"
}

test_family_registered()
{
	local out

	check "load" mlsdco_load
	out=$(genl ctrl get name "$FAMILY") ||
		{ echo "FAIL: genl ctrl get name $FAMILY"; return 1; }
	echo "$out"
	check "name" grep -q "Name: $FAMILY\$" <<<"$out"
	check "version $FAMILY_VERSION" \
		grep -q "Version: $FAMILY_VERSION " <<<"$out"
	check "dev-get listed" grep -q "ID-$CMD_DEV_GET " <<<"$out"
	check "dev-set listed" grep -q "ID-$CMD_DEV_SET " <<<"$out"
	# The spec is the authority: every operation with do/dump must be
	# registered, events are notifications only (multicast group lines
	# carry "name:").
	check_eq "number of commands" "$(spec_request_ops)" \
		"$(grep -cE '^[[:space:]]*#[0-9]+:[[:space:]]+ID-0x[0-9a-f]+[[:space:]]*$' <<<"$out")"
	check "in the controller's list" \
		grep -q "Name: $FAMILY\$" <<<"$(genl ctrl list)"
}

# Not netnsok, the family would only answer in the initial namespace.
test_family_in_other_netns()
{
	local ns

	ns=$(ns_create) || return 1
	check "load" mlsdco_load
	check "visible from $ns" quiet \
		in_ns "$ns" genl ctrl get name "$FAMILY"
}

# Strict validation exports a policy per operation; dev-get can do and
# dump, dev-set only do, and the attribute types match the spec.
test_family_policy()
{
	local get set pol

	check "load" mlsdco_load
	quiet genl ctrl policy name "$FAMILY" ||
		skip_case "genl ctrl policy not supported here"
	get=$(op_policies $CMD_DEV_GET)
	set=$(op_policies $CMD_DEV_SET)
	echo "dev-get: $get; dev-set: $set"
	check "dev-get has a do policy" grep -q 'do=' <<<"$get"
	check "dev-get has a dump policy" grep -q 'dump=' <<<"$get"
	check "dev-set has a do policy" grep -q 'do=' <<<"$set"
	check_fails "dev-set has no dump" grep -q 'dump=' <<<"$set"
	pol=${set#do=}
	check_eq "dev-set ifindex type" U32 "$(attr_type "$pol" $A_IFINDEX)"
	check_eq "dev-set ifname type" NUL_STRING "$(attr_type "$pol" $A_IFNAME)"
	check_eq "dev-set listen-port type" U16 \
		"$(attr_type "$pol" $A_LISTEN_PORT)"
}

test_family_follows_module()
{
	check "load" mlsdco_load
	check "present while loaded" quiet genl ctrl get name "$FAMILY"
	check "rmmod" rmmod mlsdco
	# An installed copy would be autoloaded through the family alias.
	if modprobe -q -n mlsdco 2>/dev/null; then
		check "reload" mlsdco_load
		skip_case "mlsdco is installed for modprobe; autoload hides the unload"
	fi
	check_fails "gone after rmmod" \
		genl ctrl get name "$FAMILY" 2>/dev/null
	check "reload" mlsdco_load
	check "back after reload" quiet genl ctrl get name "$FAMILY"
}

ktap_begin 4
run_case family_registered test_family_registered
run_case family_in_other_netns test_family_in_other_netns
run_case family_policy test_family_policy
run_case family_follows_module test_family_follows_module
ktap_finish
