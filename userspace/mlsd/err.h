/* SPDX-License-Identifier: MIT */
/*
 * One error line for the operator: every loader and parser of mlsd fills
 * a struct mlsd_err with "WHERE: reason" and returns -1, so the caller
 * prints it unchanged (and tests compare it exactly).
 */
#ifndef MLSD_ERR_H
#define MLSD_ERR_H

/* Room for the config parser's several lines (config.h). */
#define MLSD_ERR_LEN	4096

struct mlsd_err {
	char msg[MLSD_ERR_LEN];
};

/* Format into e (if not NULL) and return -1. */
int mlsd_errf(struct mlsd_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
