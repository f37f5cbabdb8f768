// SPDX-License-Identifier: MIT
/*
 * mlsctl -batch FILE: many commands from one process, like ip -batch. An
 * agent configuring a 1000-member group would otherwise fork mlsctl a
 * thousand times. The first failing command stops the batch, with its
 * line number, so nothing after a mistake is applied.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsctl.h"

int mlsctl_batch_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *word;

	for (word = strtok(line, " \t\r\n"); word;
	     word = strtok(NULL, " \t\r\n")) {
		if (word[0] == '#')
			break;
		if (argc == max)
			return -1;
		argv[argc++] = word;
	}
	return argc;
}

static int mlsctl_batch_line(const struct mlsctl_cmd *objects, char *line,
			     bool from_stdin)
{
	char *argv[MLSCTL_BATCH_MAX_WORDS];
	int argc, i;

	argc = mlsctl_batch_split(line, argv, MLSCTL_BATCH_MAX_WORDS);
	if (argc < 0)
		return mlsctl_err("more than %d words",
				  MLSCTL_BATCH_MAX_WORDS);
	if (argc == 0)
		return MLSCTL_OK;
	for (i = 0; from_stdin && i + 1 < argc; i++)
		if (!strcmp(argv[i], "keys") && !strcmp(argv[i + 1], "-"))
			return mlsctl_err("\"keys -\" in a batch read from stdin");
	return mlsctl_dispatch(NULL, objects, argc, argv);
}

int mlsctl_batch(const char *path, const struct mlsctl_cmd *objects)
{
	bool from_stdin = !strcmp(path, "-");
	FILE *f = from_stdin ? stdin : fopen(path, "r");
	unsigned long lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	int ret = MLSCTL_OK;

	if (!f)
		return mlsctl_err("batch %s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (mlsctl_batch_line(objects, line, from_stdin)) {
			ret = mlsctl_err("batch %s: stopped at line %lu",
					 path, lineno);
			break;
		}
	}
	if (ret == MLSCTL_OK && ferror(f))
		ret = mlsctl_err("batch %s: %s", path, strerror(errno));
	free(line);
	if (!from_stdin)
		fclose(f);
	return ret;
}
