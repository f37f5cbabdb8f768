// SPDX-License-Identifier: MIT
/*
 * "mlsctl dev": show and configure mlsdco devices.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsctl.h"

static bool mlsctl_is_json_flag(const char *arg)
{
	return !strcmp(arg, "-j") || !strcmp(arg, "--json");
}

static int mlsctl_parse_port(const char *arg, uint16_t *port)
{
	unsigned long val;
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -EINVAL;
	errno = 0;
	val = strtoul(arg, &end, 10);
	if (errno || *end || val > UINT16_MAX)
		return -EINVAL;
	*port = (uint16_t)val;
	return 0;
}


static int mlsctl_dev_collect_cb(const struct mlsnl_dev *dev, void *arg)
{
	return mlsctl_out_dev(arg, dev);
}

static int mlsctl_dev_show_one(struct mlsnl *nl, struct mlsctl_out *out,
			       const char *name)
{
	struct mlsnl_dev_sel sel = { .ifname = name };
	struct mlsnl_dev dev;
	char what[64];
	int err;

	err = mlsnl_dev_get(nl, &sel, &dev);
	if (err) {
		snprintf(what, sizeof(what), "dev show %s", name);
		return mlsctl_nl_err(nl, err, what);
	}
	err = mlsctl_out_dev(out, &dev);
	if (err)
		return mlsctl_nl_err(NULL, err, "dev show");
	return MLSCTL_OK;
}

/* Devices created or deleted while the dump runs interrupt it; a few
 * fresh attempts get a consistent list without bothering the user.
 */
#define MLSCTL_DUMP_ATTEMPTS 5

static int mlsctl_dev_show_all(struct mlsnl *nl, struct mlsctl_out *out)
{
	int err, attempt;

	for (attempt = 0; attempt < MLSCTL_DUMP_ATTEMPTS; attempt++) {
		mlsctl_out_reset(out);
		err = mlsnl_dev_dump(nl, mlsctl_dev_collect_cb, out);
		if (err != -EINTR)
			break;
	}
	if (err)
		return mlsctl_nl_err(nl, err, "dev show");
	return MLSCTL_OK;
}

static int mlsctl_dev_show(int argc, char **argv)
{
	const char *name = NULL;
	struct mlsctl_out out;
	bool json = false;
	struct mlsnl *nl;
	int ret, i;

	for (i = 0; i < argc; i++) {
		if (mlsctl_is_json_flag(argv[i]))
			json = true;
		else if (argv[i][0] == '-')
			return mlsctl_err("dev show: unknown option \"%s\"",
					  argv[i]);
		else if (name)
			return mlsctl_err("dev show: unexpected argument \"%s\"",
					  argv[i]);
		else
			name = argv[i];
	}
	if (name && mlsctl_check_devname(name))
		return MLSCTL_FAIL;

	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	if (mlsctl_out_init(&out, json)) {
		mlsnl_close(nl);
		return mlsctl_err("dev show: out of memory");
	}

	if (name)
		ret = mlsctl_dev_show_one(nl, &out, name);
	else
		ret = mlsctl_dev_show_all(nl, &out);
	if (ret == MLSCTL_OK && mlsctl_out_finish(&out))
		ret = mlsctl_err("dev show: cannot write output");

	mlsctl_out_free(&out);
	mlsnl_close(nl);
	return ret;
}

static int mlsctl_dev_set_parse(int argc, char **argv,
				struct mlsnl_dev_conf *conf)
{
	struct mlsctl_kv kv[] = {
		{ .key = "port" }, { .key = "soft-limit" }, { .key = "hard-limit" },
	};

	if (mlsctl_parse_kv("dev set", argc, argv, kv, MLSCTL_NKV(kv),
			    &conf->sel.ifname))
		return MLSCTL_FAIL;
	if (kv[0].value) {
		if (mlsctl_parse_port(kv[0].value, &conf->listen_port))
			return mlsctl_err("dev set: invalid port \"%s\" (expected 0-65535)",
					  kv[0].value);
		conf->has_listen_port = true;
	}
	if (kv[1].value) {
		if (mlsctl_kv_u64("dev set", &kv[1], &conf->soft_limit))
			return MLSCTL_FAIL;
		conf->has_soft_limit = true;
	}
	if (kv[2].value) {
		if (mlsctl_kv_u64("dev set", &kv[2], &conf->hard_limit))
			return MLSCTL_FAIL;
		conf->has_hard_limit = true;
	}
	if (!conf->has_listen_port && !conf->has_soft_limit &&
	    !conf->has_hard_limit)
		return mlsctl_err("dev set: nothing to set (try \"mlsctl help\")");
	return MLSCTL_OK;
}

static int mlsctl_dev_set(int argc, char **argv)
{
	struct mlsnl_dev_conf conf = { 0 };
	struct mlsnl *nl;
	char what[64];
	int err;

	if (mlsctl_dev_set_parse(argc, argv, &conf))
		return MLSCTL_FAIL;

	nl = mlsctl_nl_open();
	if (!nl)
		return MLSCTL_FAIL;
	err = mlsnl_dev_set(nl, &conf);
	if (err) {
		snprintf(what, sizeof(what), "dev set %s", conf.sel.ifname);
		err = mlsctl_nl_err(nl, err, what);
	}
	mlsnl_close(nl);
	return err ? MLSCTL_FAIL : MLSCTL_OK;
}

static const struct mlsctl_cmd mlsctl_dev_cmds[] = {
	{ "show", mlsctl_dev_show },
	{ "list", mlsctl_dev_show },
	{ "set", mlsctl_dev_set },
	{ NULL, NULL },
};

int mlsctl_dev(int argc, char **argv)
{
	if (argc == 0)
		return mlsctl_dev_show(0, argv);
	return mlsctl_dispatch("dev", mlsctl_dev_cmds, argc, argv);
}
