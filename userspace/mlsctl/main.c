// SPDX-License-Identifier: MIT
/*
 * mlsctl: command line control of mlsdco devices, in the style of ip(8)
 * and wg(8): the kernel's objects over netlink, the agent's (status,
 * host, group create..., rekey, monitor agent) over mlsd's control
 * socket. This file only dispatches to the per-object files.
 */

#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

static const struct mlsctl_cmd mlsctl_objects[] = {
	{ "dev", mlsctl_dev },
	{ "group", mlsctl_group },
	{ "member", mlsctl_member },
	{ "epoch", mlsctl_epoch },
	{ "show", mlsctl_show },
	{ "monitor", mlsctl_monitor },
	{ "genkey", mlsctl_genkey },
	{ "pubkey", mlsctl_pubkey },
	{ "ca", mlsctl_ca },
	{ "status", mlsctl_status },
	{ "host", mlsctl_host },
	{ "rekey", mlsctl_rekey },
	{ NULL, NULL },
};

void mlsctl_usage(FILE *out)
{
	fputs("Usage: mlsctl [-s SOCKET] OBJECT COMMAND [ARGS]\n"
	      "       mlsctl [-s SOCKET] -batch FILE|-\n"
	      "\n"
	      "Through mlsd (its control socket: -s, $MLSD_SOCKET or /run/mlsd.sock):\n"
	      "  mlsctl status [-j]\n"
	      "      network, identity, relay link, hosts and their paths, groups\n"
	      "  mlsctl host list [-j]\n"
	      "  mlsctl host remove NAME\n"
	      "  mlsctl group create NAME [host HOST...]\n"
	      "  mlsctl group add NAME host HOST [HOST...]\n"
	      "  mlsctl group remove NAME host HOST [HOST...]\n"
	      "  mlsctl group list [-j]\n"
	      "  mlsctl rekey [GROUP]          GROUP: network, pair/HOST or NAME\n"
	      "  mlsctl monitor agent [count N] [-j]\n"
	      "      joins, removals and epoch changes as they happen\n"
	      "\n"
	      "The kernel, directly (netlink):\n"
	      "  mlsctl show [DEV] [-j|--json]\n"
	      "      devices, groups, epochs, members, endpoints, counters (never keys)\n"
	      "  mlsctl dev show [DEV] [-j|--json]\n"
	      "  mlsctl dev set DEV [port PORT] [soft-limit N] [hard-limit N]\n"
	      "  mlsctl group add DEV id N aead AEAD leaf L [flags multicast|none]\n"
	      "                   [relay ADDR:PORT]\n"
	      "  mlsctl group set DEV id N [relay ADDR:PORT|none] [flags multicast|none]\n"
	      "  mlsctl group del DEV id N\n"
	      "  mlsctl member set DEV group N leaf L [endpoint ADDR:PORT]\n"
	      "                    [allowed-ips CIDR[,CIDR...]] [peer-id N]\n"
	      "                    [keepalive SECONDS] [roaming on|off]\n"
	      "  mlsctl member del DEV group N leaf L\n"
	      "  mlsctl epoch add DEV group N epoch E tag HEX16 keys FILE|- [grace MS]\n"
	      "  mlsctl epoch swap DEV group N\n"
	      "  mlsctl epoch del DEV group N epoch E\n"
	      "  mlsctl monitor [kernel] [count N]\n"
	      "  mlsctl genkey [--suite N] [--out FILE]\n"
	      "  mlsctl pubkey < PRIVATE-KEY\n"
	      "  mlsctl ca init --network NAME --out DIR\n"
	      "  mlsctl ca sign NAME --ip ADDR/LEN [--ip ...] --pubkey FILE --ca-key FILE\n"
	      "                 [--days N] [--serial N] --out FILE\n"
	      "  mlsctl ca revoke --ca-key FILE --crl FILE SERIAL...\n"
	      "  mlsctl ca show CERT\n"
	      "  mlsctl help\n"
	      "\n"
	      "AEAD: aes-128-gcm, aes-256-gcm or chacha20-poly1305. ADDR:PORT is\n"
	      "1.2.3.4:51820 or [2001:db8::1]:51820. Limits are packets per epoch\n"
	      "and sender (0: the AEAD's default). A group without flags carries\n"
	      "multicast; \"group set\" without relay removes the relay. Keepalive 0\n"
	      "is off; \"roaming off\" keeps the endpoint where it was set.\n"
	      "Keys are never given on the command line: FILE (or \"-\", stdin)\n"
	      "holds one \"tx KEYHEX NONCEHEX\" line and one \"rx LEAF KEYHEX NONCEHEX\"\n"
	      "line per member; keys are 16 or 32 bytes as the AEAD needs, nonces 12.\n"
	      "-batch runs one command per line of FILE (or stdin), stopping at the\n"
	      "first that fails.\n"
	      "genkey writes a private MLS signature key (default suite 1) to a new\n"
	      "file, mode 0600, or to stdout; pubkey prints its public key. ca keeps a\n"
	      "network's Ed25519 CA (see docs/ADMISSION.md).\n"
	      "Changing anything needs CAP_NET_ADMIN in the device's network namespace.\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "-s")) {
		if (argc < 3 || !argv[2][0])
			return mlsctl_err("-s takes the control socket's PATH");
		mlsctl_socket_path = argv[2];
		argv[2] = argv[0];
		argc -= 2;
		argv += 2;
	}
	if (argc >= 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		mlsctl_usage(stdout);
		return MLSCTL_OK;
	}
	if (argc >= 2 && (!strcmp(argv[1], "-batch") || !strcmp(argv[1], "-b"))) {
		if (argc != 3)
			return mlsctl_err("-batch takes one FILE (or -)");
		return mlsctl_batch(argv[2], mlsctl_objects);
	}
	return mlsctl_dispatch(NULL, mlsctl_objects, argc - 1, argv + 1);
}
