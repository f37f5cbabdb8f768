// SPDX-License-Identifier: MIT
/*
 * Error lines and opening of the netlink family: every failure is one line
 * on stderr carrying the errno text and the kernel's own reason.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mlsctl.h"

int mlsctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("mlsctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return MLSCTL_FAIL;
}

int mlsctl_nl_err(struct mlsnl *nl, int err, const char *what)
{
	const char *msg = nl ? mlsnl_errmsg(nl) : "";

	if (msg[0])
		return mlsctl_err("%s: %s: %s", what, strerror(-err), msg);
	return mlsctl_err("%s: %s", what, strerror(-err));
}

struct mlsnl *mlsctl_nl_open(void)
{
	struct mlsnl *nl;
	int err;

	err = mlsnl_open(&nl);
	if (err == -ENOENT) {
		mlsctl_err("the kernel has no mlsdco netlink family (is the mlsdco module loaded?)");
		return NULL;
	}
	if (err) {
		mlsctl_nl_err(NULL, err, "cannot open generic netlink");
		return NULL;
	}
	return nl;
}
