// SPDX-License-Identifier: MIT
/*
 * Device output: "NAME: ifindex N port P" lines, or with -j one JSON array
 * of objects with stable keys (ifname, ifindex, listen_port), like ip -j.
 * Devices are collected first and printed once the kernel's answer is
 * complete, so a retried dump never prints a device twice.
 */

#include <errno.h>
#include <stdio.h>

#include "mlsctl.h"

int mlsctl_out_init(struct mlsctl_out *out, bool json)
{
	out->json = json;
	out->list = json_array();
	return out->list ? 0 : -ENOMEM;
}

int mlsctl_out_dev(struct mlsctl_out *out, const struct mlsnl_dev *dev)
{
	json_t *obj;

	obj = json_pack("{s:s, s:I, s:I}",
			"ifname", dev->ifname,
			"ifindex", (json_int_t)dev->ifindex,
			"listen_port", (json_int_t)dev->listen_port);
	if (!obj || json_array_append_new(out->list, obj))
		return -ENOMEM;
	return 0;
}

void mlsctl_out_reset(struct mlsctl_out *out)
{
	json_array_clear(out->list);
}

static void mlsctl_print_dev_text(json_t *obj)
{
	printf("%s: ifindex %" JSON_INTEGER_FORMAT " port %" JSON_INTEGER_FORMAT "\n",
	       json_string_value(json_object_get(obj, "ifname")),
	       json_integer_value(json_object_get(obj, "ifindex")),
	       json_integer_value(json_object_get(obj, "listen_port")));
}

int mlsctl_out_finish(struct mlsctl_out *out)
{
	size_t i;
	json_t *obj;

	if (out->json) {
		if (json_dumpf(out->list, stdout, JSON_COMPACT) < 0)
			return -EIO;
		putchar('\n');
	} else {
		json_array_foreach(out->list, i, obj)
			mlsctl_print_dev_text(obj);
	}
	return fflush(stdout) ? -errno : 0;
}

void mlsctl_out_free(struct mlsctl_out *out)
{
	json_decref(out->list);
	out->list = NULL;
}
