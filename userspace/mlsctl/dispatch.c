// SPDX-License-Identifier: MIT
/*
 * Subcommand dispatch shared by mlsctl's object files ("dev", "group"...).
 */

#include <string.h>

#include "mlsctl.h"

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
