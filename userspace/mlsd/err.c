// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int mlsd_errf(struct mlsd_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}
