/* SPDX-License-Identifier: MIT */
/*
 * Tests that run the built mlsctl (../../bin/mlsctl next to the test
 * program) through sh in the test's scratch directory (tmpdir.h).
 */
#ifndef MLSCTL_TEST_CLI_H
#define MLSCTL_TEST_CLI_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../mlsd/tests/tmpdir.h"

static char mlsctl[PATH_MAX + 32];

/* Find the binary; -1 (and why on stderr) if it is not built. */
static inline int mlsctl_find(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -1;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(mlsctl, sizeof(mlsctl), "%s/../../bin/mlsctl", self);
	if (access(mlsctl, X_OK)) {
		fprintf(stderr, "%s not built\n", mlsctl);
		return -1;
	}
	return 0;
}

/* Run "cd DIR && COMMAND" through sh; its exit status. */
static inline int __attribute__((format(printf, 1, 2)))
run(const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s", tmpdir(), args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif
