// SPDX-License-Identifier: MIT
/*
 * The relay's log: one line per event on stderr (journald under systemd).
 * Never a key, a signature or message contents: only sizes, names, codes.
 */
#include <stdarg.h>
#include <stdio.h>

#include "relay.h"

void relay_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mlsrelay: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
