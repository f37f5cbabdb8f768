// SPDX-License-Identifier: MIT
/*
 * Text output of what mlsd answers (docs/CONTROL.md has the fields), one
 * line per thing like wg show:
 *
 *	network corp, identity alice (10.7.0.1/24)
 *	relay relay.example:443: connected since 2026-12-02 14:00:00 UTC
 *	host bob: 10.7.0.2/32, leaf 1, peer 2, direct 192.0.2.5:51820
 *	group network (network): kernel 1, epoch 12, members alice bob, last rekey ...
 *	epoch group network epoch 13
 *
 * A field mlsd leaves out is left out here too, so a newer or older mlsd
 * never makes this print garbage.
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mlsctl.h"

static const char *str_of(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "?";
}

/* Unix seconds as "2026-12-02 14:00:00 UTC". */
static const char *time_of(const json_t *t, char *buf, size_t cap)
{
	time_t secs = (time_t)json_integer_value(t);
	struct tm tm;

	if (!json_is_integer(t) || !gmtime_r(&secs, &tm) ||
	    !strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, cap, "never");
	return buf;
}

/* The strings of array key, joined by sep. */
static void print_list(const json_t *obj, const char *key, const char *sep)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(obj, key), i, v)
		printf("%s%s", i ? sep : "",
		       json_is_string(v) ? json_string_value(v) : "?");
}

static void print_int_field(const json_t *obj, const char *key,
			    const char *label)
{
	const json_t *v = json_object_get(obj, key);

	if (json_is_integer(v))
		printf(", %s %" JSON_INTEGER_FORMAT, label,
		       json_integer_value(v));
}

static void print_host(const json_t *h)
{
	const char *ep = json_string_value(json_object_get(h, "endpoint"));

	printf("host %s: ", str_of(h, "name"));
	print_list(h, "addresses", ",");
	print_int_field(h, "leaf", "leaf");
	print_int_field(h, "peer_id", "peer");
	if (json_is_string(json_object_get(h, "path")))
		printf(", %s", str_of(h, "path"));
	if (ep)
		printf(" %s", ep);
	putchar('\n');
}

/* An integer field as text, "?" if missing. */
static const char *num_of(const json_t *obj, const char *key, char *buf,
			  size_t cap)
{
	const json_t *v = json_object_get(obj, key);

	if (json_is_integer(v))
		snprintf(buf, cap, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	else
		snprintf(buf, cap, "?");
	return buf;
}

static void print_group(const json_t *g)
{
	char when[64], gid[32], epoch[32];

	printf("group %s (%s): kernel %s, epoch %s, members ",
	       str_of(g, "name"), str_of(g, "kind"),
	       num_of(g, "kernel_gid", gid, sizeof(gid)),
	       num_of(g, "epoch", epoch, sizeof(epoch)));
	print_list(g, "members", " ");
	printf(", last rekey %s\n",
	       time_of(json_object_get(g, "last_rekey"), when, sizeof(when)));
}

static void print_relay(const json_t *relay)
{
	const json_t *since = json_object_get(relay, "since");
	char when[64];

	if (!json_is_object(relay))
		return;
	printf("relay %s: %s", str_of(relay, "address"),
	       json_is_true(json_object_get(relay, "connected")) ?
	       "connected" : "not connected");
	if (json_is_integer(since))
		printf(" since %s", time_of(since, when, sizeof(when)));
	putchar('\n');
}

void mlsctl_print_hosts(const json_t *result)
{
	const json_t *h;
	size_t i;

	json_array_foreach(json_object_get(result, "hosts"), i, h)
		print_host(h);
}

void mlsctl_print_groups(const json_t *result)
{
	const json_t *g;
	size_t i;

	json_array_foreach(json_object_get(result, "groups"), i, g)
		print_group(g);
}

void mlsctl_print_status(const json_t *status)
{
	const json_t *me = json_object_get(status, "identity");

	printf("network %s, identity %s (", str_of(status, "network"),
	       str_of(me, "name"));
	print_list(me, "addresses", ",");
	printf(")\n");
	print_relay(json_object_get(status, "relay"));
	mlsctl_print_hosts(status);
	mlsctl_print_groups(status);
}

/* "EVENT KEY VALUE..." in mlsd's field order, like the kernel monitor. */
void mlsctl_print_agent_event(const json_t *ev)
{
	const char *key;
	json_t *v;

	printf("%s", str_of(ev, "event"));
	json_object_foreach((json_t *)ev, key, v) {
		if (!strcmp(key, "event"))
			continue;
		if (json_is_string(v))
			printf(" %s %s", key, json_string_value(v));
		else if (json_is_integer(v))
			printf(" %s %" JSON_INTEGER_FORMAT, key,
			       json_integer_value(v));
		else if (json_is_boolean(v))
			printf(" %s %s", key, json_is_true(v) ? "yes" : "no");
	}
	putchar('\n');
}
