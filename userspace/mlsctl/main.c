// SPDX-License-Identifier: MIT
/*
 * mlsctl: command line control of mlsdco devices, in the style of ip(8)
 * and wg(8). This file only dispatches to the per-object files.
 */

#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

static const struct mlsctl_cmd mlsctl_objects[] = {
	{ "dev", mlsctl_dev },
	{ NULL, NULL },
};

void mlsctl_usage(FILE *out)
{
	fputs("Usage: mlsctl OBJECT COMMAND [ARGS]\n"
	      "\n"
	      "  mlsctl dev show [DEV] [-j|--json]   list mlsdco devices\n"
	      "  mlsctl dev set DEV port PORT        set the UDP listen port\n"
	      "  mlsctl help                         this text\n"
	      "\n"
	      "DEV is an mlsdco device name; PORT is 0-65535 (0: any).\n"
	      "Changing a device needs CAP_NET_ADMIN in its network namespace.\n",
	      out);
}

int mlsctl_dispatch(const char *object, const struct mlsctl_cmd *cmds,
		    int argc, char **argv)
{
	const struct mlsctl_cmd *cmd;

	if (argc < 1) {
		if (object)
			return mlsctl_err("%s: missing command (try \"mlsctl help\")",
					  object);
		return mlsctl_err("missing object (try \"mlsctl help\")");
	}
	for (cmd = cmds; cmd->name; cmd++)
		if (!strcmp(argv[0], cmd->name))
			return cmd->run(argc - 1, argv + 1);
	if (object)
		return mlsctl_err("%s: unknown command \"%s\" (try \"mlsctl help\")",
				  object, argv[0]);
	return mlsctl_err("unknown object \"%s\" (try \"mlsctl help\")",
			  argv[0]);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		mlsctl_usage(stdout);
		return MLSCTL_OK;
	}
	return mlsctl_dispatch(NULL, mlsctl_objects, argc - 1, argv + 1);
}
