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
int mlsctl_group(int argc, char **argv);
int mlsctl_member(int argc, char **argv);
int mlsctl_epoch(int argc, char **argv);
int mlsctl_show(int argc, char **argv);
int mlsctl_monitor(int argc, char **argv);
int mlsctl_genkey(int argc, char **argv);
int mlsctl_pubkey(int argc, char **argv);
int mlsctl_ca(int argc, char **argv);
void mlsctl_usage(FILE *out);

/*
 * -batch FILE|-: one command per line (words split on blanks, '#' starts
 * a comment); stops at the first failing line.
 */
#define MLSCTL_BATCH_MAX_WORDS	64
int mlsctl_batch(const char *path, const struct mlsctl_cmd *objects);
/* Split line in place into at most max words; -1 if there are more. */
int mlsctl_batch_split(char *line, char **argv, int max);

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

/* ---- argument parsing (parse.c) ---- */

/* One "KEY VALUE" argument of a command; value NULL if not given. */
struct mlsctl_kv {
	const char *key;
	bool required;
	const char *value;
};

#define MLSCTL_NKV(kv) (sizeof(kv) / sizeof((kv)[0]))

int mlsctl_check_devname(const char *name);
int mlsctl_parse_u64(const char *arg, uint64_t max, uint64_t *out);
int mlsctl_parse_u32(const char *arg, uint32_t max, uint32_t *out);
int mlsctl_parse_hex(const char *arg, uint8_t *out, size_t max, size_t *len);
int mlsctl_parse_endpoint(const char *arg, struct mlsnl_endpoint *ep);
int mlsctl_parse_prefix(const char *arg, struct mlsnl_prefix *p);
void mlsctl_format_endpoint(const struct mlsnl_endpoint *ep, char *buf,
			    size_t len);
void mlsctl_format_prefix(const struct mlsnl_prefix *p, char *buf,
			  size_t len);
int mlsctl_parse_kv(const char *what, int argc, char **argv,
		    struct mlsctl_kv *kv, size_t n_kv, const char **dev);
int mlsctl_kv_u32(const char *what, const struct mlsctl_kv *kv,
		  uint32_t max, uint32_t *out);
int mlsctl_kv_u64(const char *what, const struct mlsctl_kv *kv,
		  uint64_t *out);
/* Report err (if any) as "WHAT DEV: ...", close nl, return the exit code. */
int mlsctl_finish(struct mlsnl *nl, int err, const char *what,
		  const char *dev);

/* ---- commands through mlsd's control socket (agent.c) ---- */

/* -s PATH; NULL: $MLSD_SOCKET, else /run/mlsd.sock. */
extern const char *mlsctl_socket_path;

int mlsctl_status(int argc, char **argv);
int mlsctl_host(int argc, char **argv);
int mlsctl_rekey(int argc, char **argv);
int mlsctl_agent_monitor(int argc, char **argv);
/* "group add NAME host HOST..." is mlsd's; "group add DEV id N ..." the
 * kernel's (which takes no "host").
 */
bool mlsctl_agent_group_form(int argc, char **argv);
int mlsctl_agent_group_add(int argc, char **argv);
int mlsctl_agent_group_create(int argc, char **argv);
int mlsctl_agent_group_remove(int argc, char **argv);
int mlsctl_agent_group_list(int argc, char **argv);

/* Text output of mlsd's results and events (agent_print.c). */
void mlsctl_print_status(const json_t *status);
void mlsctl_print_hosts(const json_t *result);
void mlsctl_print_groups(const json_t *result);
void mlsctl_print_agent_event(const json_t *ev);

/* ---- key files (keys.c) ---- */

/* Read "tx KEYHEX NONCEHEX" and "rx LEAF KEYHEX NONCEHEX" lines from path
 * ("-": stdin) into conf; on failure nothing secret is left behind.
 */
int mlsctl_read_keys(const char *path, struct mlsnl_epoch_conf *conf);

#endif /* MLSCTL_H */
