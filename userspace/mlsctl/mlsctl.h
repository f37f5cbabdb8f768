/* SPDX-License-Identifier: MIT */
/*
 * mlsctl internals shared by the command files.
 */

#ifndef MLSCTL_H
#define MLSCTL_H

#include <jansson.h>
#include <stdbool.h>

#include <mlsdco/nl.h>

/* Process exit codes: anything that went wrong is 1, like ip(8). */
#define MLSCTL_OK	0
#define MLSCTL_FAIL	1

/* One subcommand of an object ("dev show", "dev set", ...). */
struct mlsctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

int mlsctl_dev(int argc, char **argv);
void mlsctl_usage(FILE *out);

/* Run the matching entry of cmds on argv[0]; complain about unknown ones. */
int mlsctl_dispatch(const char *object, const struct mlsctl_cmd *cmds,
		    int argc, char **argv);

/* Error reporting: one line on stderr, returns MLSCTL_FAIL. */
int mlsctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int mlsctl_nl_err(struct mlsnl *nl, int err, const char *what);

/* Open the family, reporting a missing module clearly. NULL on failure. */
struct mlsnl *mlsctl_nl_open(void);

/* Output of device lists: collected, then text lines or one JSON array. */
struct mlsctl_out {
	bool json;
	json_t *list;
};

int mlsctl_out_init(struct mlsctl_out *out, bool json);
int mlsctl_out_dev(struct mlsctl_out *out, const struct mlsnl_dev *dev);
void mlsctl_out_reset(struct mlsctl_out *out);
int mlsctl_out_finish(struct mlsctl_out *out);
void mlsctl_out_free(struct mlsctl_out *out);

#endif /* MLSCTL_H */
