#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Unicast through mlsdco: two hosts in a 2-member group, IPv4 and IPv6
# inner traffic over an IPv4 and then an IPv6 underlay (the member's
# endpoint is moved), with each AEAD.

. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$LIB_DIR/dataplane_lib.sh"

require_dataplane

pair_up()
{
	topo_up "$1" 2 || return 1
	group_up 1 "$2" 1 2 || return 1
	epoch_up 1 1 1 2
}

test_ping()
{
	local aead=$1

	check "topology, group and epoch" pair_up 4 "$aead"
	check "IPv4 underlay: IPv4 inner ping 1->2" \
		ping_ok "${HOST[1]}" "$(inner4 2)"
	check "IPv4 underlay: IPv6 inner ping 2->1" \
		ping_ok "${HOST[2]}" "$(inner6 1)"
	check "move the endpoints to the IPv6 underlay" endpoints_to 6 1 1 2
	check "IPv6 underlay: IPv4 inner ping 2->1" \
		ping_ok "${HOST[2]}" "$(inner4 1)"
	check "IPv6 underlay: IPv6 inner ping 1->2" \
		ping_ok "${HOST[1]}" "$(inner6 2)"
	check_eq "no decrypt failures on host 2" 0 \
		"$(group_stat "${HOST[2]}" 1 decrypt_failures)"
}

ktap_begin 4
run_case ping_aes_128_gcm test_ping aes-128-gcm
run_case ping_aes_256_gcm test_ping aes-256-gcm
run_case ping_chacha20_poly1305 test_ping chacha20-poly1305
run_case module_unload mlsdco_unload
ktap_finish
