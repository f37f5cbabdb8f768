// SPDX-License-Identifier: MIT
/*
 * The control protocol codec: every valid request parses to the fields
 * it names and encodes back to the same request; every bad line gets its
 * own error code and exactly its message, with the request's id when the
 * line had a usable one; replies and events encode to the documented
 * lines and parse back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../ctl_proto.h"

static struct mlsd_ctl_request req;

static void parses(const char *line)
{
	struct mlsd_ctl_error err = { NULL, "" };

	if (mlsd_ctl_parse_request(line, strlen(line), &req, &err))
		fail_msg("%s: refused: %s %s", line, err.code, err.message);
}

/* line is refused with code and message; the reply would carry id. */
static void refused_n(const char *line, size_t len, int64_t id,
		      const char *code, const char *message)
{
	struct mlsd_ctl_error err = { NULL, "" };

	assert_int_equal(mlsd_ctl_parse_request(line, len, &req, &err), -1);
	assert_string_equal(err.code, code);
	assert_string_equal(err.message, message);
	assert_int_equal(req.id, id);
	assert_int_equal(req.n_hosts, 0);
}

static void refused(const char *line, int64_t id, const char *code,
		    const char *message)
{
	refused_n(line, strlen(line), id, code, message);
}

static void test_every_command(void **state)
{
	parses("{\"id\":0,\"cmd\":\"status\"}");
	assert_int_equal(req.cmd, MLSD_CTL_STATUS);
	assert_int_equal(req.id, 0);
	parses("{\"cmd\":\"host-list\",\"id\":9007199254740991}");
	assert_int_equal(req.cmd, MLSD_CTL_HOST_LIST);
	assert_true(req.id == MLSD_CTL_ID_MAX);
	parses("{\"id\":3,\"cmd\":\"host-remove\",\"host\":\"bob-2.x_y\"}");
	assert_int_equal(req.cmd, MLSD_CTL_HOST_REMOVE);
	assert_string_equal(req.host, "bob-2.x_y");
	parses("{\"id\":4,\"cmd\":\"group-create\",\"group\":\"ops\"}");
	assert_int_equal(req.cmd, MLSD_CTL_GROUP_CREATE);
	assert_string_equal(req.group, "ops");
	assert_int_equal(req.n_hosts, 0);
	parses("{\"id\":5,\"cmd\":\"group-create\",\"group\":\"ops\",\"hosts\":[]}");
	assert_int_equal(req.n_hosts, 0);
	parses("{\"id\":6,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"a\",\"b\"]}");
	assert_int_equal(req.cmd, MLSD_CTL_GROUP_ADD);
	assert_int_equal(req.n_hosts, 2);
	assert_string_equal(req.hosts[0], "a");
	assert_string_equal(req.hosts[1], "b");
	parses("{\"id\":7,\"cmd\":\"group-remove\",\"group\":\"ops\",\"hosts\":[\"a\"]}");
	assert_int_equal(req.cmd, MLSD_CTL_GROUP_REMOVE);
	parses(" { \"id\" : 8 , \"cmd\" : \"group-list\" } ");
	assert_int_equal(req.cmd, MLSD_CTL_GROUP_LIST);
	parses("{\"id\":9,\"cmd\":\"rekey\"}");
	assert_int_equal(req.cmd, MLSD_CTL_REKEY);
	assert_string_equal(req.group, "");
	parses("{\"id\":9,\"cmd\":\"rekey\",\"group\":\"network\"}");
	assert_string_equal(req.group, "network");
	parses("{\"id\":9,\"cmd\":\"rekey\",\"group\":\"pair/bob\"}");
	assert_string_equal(req.group, "pair/bob");
	parses("{\"id\":9,\"cmd\":\"rekey\",\"group\":\"ops\"}");
	assert_string_equal(req.group, "ops");
	parses("{\"id\":10,\"cmd\":\"monitor\"}");
	assert_int_equal(req.cmd, MLSD_CTL_MONITOR);
}

static void test_line_level_errors(void **state)
{
	static char big[MLSD_CTL_LINE_MAX + 2];

	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"id\":1,\"cmd\":\"status\"}", 23);
	refused_n(big, MLSD_CTL_LINE_MAX + 1, MLSD_CTL_NO_ID,
		  MLSD_CTL_E_TOO_LONG, "line longer than 65536 bytes");
	/* exactly the limit is fine */
	assert_int_equal(mlsd_ctl_parse_request(big, MLSD_CTL_LINE_MAX, &req,
					       &(struct mlsd_ctl_error){ 0 }),
			 0);
	refused("{\"id\":1,\"cmd\":\"st\xff\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_UTF8, "byte 18 is not valid UTF-8");
	refused("\xc0\xaf", MLSD_CTL_NO_ID, MLSD_CTL_E_UTF8,
		"byte 1 is not valid UTF-8");		/* overlong '/' */
	refused("\"\xed\xa0\x80\"", MLSD_CTL_NO_ID, MLSD_CTL_E_UTF8,
		"byte 2 is not valid UTF-8");		/* surrogate */
	refused("\"\xf4\x90\x80\x80\"", MLSD_CTL_NO_ID, MLSD_CTL_E_UTF8,
		"byte 2 is not valid UTF-8");		/* above U+10FFFF */
	refused("\"\xe2\x82\"", MLSD_CTL_NO_ID, MLSD_CTL_E_UTF8,
		"byte 2 is not valid UTF-8");		/* truncated */
	refused("{\"id\":1,", MLSD_CTL_NO_ID, MLSD_CTL_E_JSON,
		"column 8: string or '}' expected near end of file");
	refused("", MLSD_CTL_NO_ID, MLSD_CTL_E_JSON,
		"column 0: unexpected token near end of file");
	refused("{\"id\":1} {}", MLSD_CTL_NO_ID, MLSD_CTL_E_JSON,
		"column 10: end of file expected near '{'");
	refused_n("{\"id\":1,\"cmd\":\"status\"}\0", 25, MLSD_CTL_NO_ID,
		  MLSD_CTL_E_JSON,
		  "byte 24 is a NUL byte");
	refused("{\"id\":1,\"cmd\":\"x\\u0000\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_JSON,
		"column 23: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"x\\u0000\"'");
	refused("{\"id\":1,\"id\":2,\"cmd\":\"status\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_DUPLICATE, "column 12: duplicate object key near '\"id\"'");
	refused("[{\"id\":1,\"cmd\":\"status\"}]", MLSD_CTL_NO_ID,
		MLSD_CTL_E_NOT_OBJECT, "a request is a JSON object");
	refused("\"status\"", MLSD_CTL_NO_ID, MLSD_CTL_E_NOT_OBJECT,
		"a request is a JSON object");
	refused("{\"id\":99999999999999999999,\"cmd\":\"status\"}",
		MLSD_CTL_NO_ID, MLSD_CTL_E_JSON,
		"column 26: too big integer near '99999999999999999999'");
}

static void test_id_and_cmd_errors(void **state)
{
	refused("{\"cmd\":\"status\"}", MLSD_CTL_NO_ID, MLSD_CTL_E_MISSING,
		"request has no \"id\"");
	refused("{\"id\":\"1\",\"cmd\":\"status\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_TYPE, "\"id\" must be an integer");
	refused("{\"id\":1.0,\"cmd\":\"status\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_TYPE, "\"id\" must be an integer");
	refused("{\"id\":null,\"cmd\":\"status\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_TYPE, "\"id\" must be an integer");
	refused("{\"id\":-1,\"cmd\":\"status\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_VALUE, "\"id\" must be 0 to 2^53-1");
	refused("{\"id\":9007199254740992,\"cmd\":\"status\"}", MLSD_CTL_NO_ID,
		MLSD_CTL_E_VALUE, "\"id\" must be 0 to 2^53-1");
	/* from here on the error carries the id */
	refused("{\"id\":7}", 7, MLSD_CTL_E_MISSING, "request has no \"cmd\"");
	refused("{\"id\":7,\"cmd\":[\"status\"]}", 7, MLSD_CTL_E_TYPE,
		"\"cmd\" must be a string");
	refused("{\"id\":7,\"cmd\":\"reboot\"}", 7, MLSD_CTL_E_UNKNOWN_CMD,
		"unknown cmd \"reboot\"");
	refused("{\"id\":7,\"cmd\":\"Status\"}", 7, MLSD_CTL_E_UNKNOWN_CMD,
		"unknown cmd \"Status\"");
	/* the client's bytes come back short and printable */
	refused("{\"id\":7,\"cmd\":\"a\\n\\\"b\"}", 7, MLSD_CTL_E_UNKNOWN_CMD,
		"unknown cmd \"a??b\"");
	refused("{\"id\":7,\"cmd\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
		7, MLSD_CTL_E_UNKNOWN_CMD,
		"unknown cmd \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"");
}

static void test_field_errors(void **state)
{
	refused("{\"id\":2,\"cmd\":\"status\",\"verbose\":true}", 2,
		MLSD_CTL_E_UNKNOWN_ARG,
		"status takes no field \"verbose\" (it takes no fields)");
	refused("{\"id\":2,\"cmd\":\"monitor\",\"group\":\"ops\"}", 2,
		MLSD_CTL_E_UNKNOWN_ARG,
		"monitor takes no field \"group\" (it takes no fields)");
	refused("{\"id\":2,\"cmd\":\"host-remove\",\"host\":\"a\",\"hosts\":[\"b\"]}",
		2, MLSD_CTL_E_UNKNOWN_ARG,
		"host-remove takes no field \"hosts\" (it takes host)");
	refused("{\"id\":2,\"cmd\":\"rekey\",\"hosts\":[]}", 2,
		MLSD_CTL_E_UNKNOWN_ARG,
		"rekey takes no field \"hosts\" (it takes an optional group)");
	refused("{\"id\":2,\"cmd\":\"group-add\",\"group\":\"g\",\"host\":\"b\"}",
		2, MLSD_CTL_E_UNKNOWN_ARG,
		"group-add takes no field \"host\" (it takes group and hosts)");
	refused("{\"id\":2,\"cmd\":\"host-remove\"}", 2, MLSD_CTL_E_MISSING,
		"host-remove needs \"host\"");
	refused("{\"id\":2,\"cmd\":\"group-create\",\"hosts\":[\"a\"]}", 2,
		MLSD_CTL_E_MISSING, "group-create needs \"group\"");
	refused("{\"id\":2,\"cmd\":\"group-add\",\"group\":\"g\"}", 2,
		MLSD_CTL_E_MISSING, "group-add needs \"hosts\"");
	refused("{\"id\":2,\"cmd\":\"group-remove\",\"hosts\":[\"a\"]}", 2,
		MLSD_CTL_E_MISSING, "group-remove needs \"group\"");
}

static void test_value_errors(void **state)
{
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":5}", 4,
		MLSD_CTL_E_TYPE, "\"host\" must be a string");
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":\"\"}", 4,
		MLSD_CTL_E_VALUE, "\"host\": invalid host name \"\"");
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":\"-a\"}", 4,
		MLSD_CTL_E_VALUE, "\"host\": invalid host name \"-a\"");
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":\"a/b\"}", 4,
		MLSD_CTL_E_VALUE, "\"host\": invalid host name \"a/b\"");
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":\"\\u00e9\"}", 4,
		MLSD_CTL_E_VALUE, "\"host\": invalid host name \"??\"");
	/* valid UTF-8 passes the line check and fails the name check */
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":\"\xc3\xa9\"}", 4,
		MLSD_CTL_E_VALUE, "\"host\": invalid host name \"??\"");
	refused("{\"id\":4,\"cmd\":\"host-remove\",\"host\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
		4, MLSD_CTL_E_VALUE,
		"\"host\": invalid host name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
	refused("{\"id\":4,\"cmd\":\"group-create\",\"group\":[]}", 4,
		MLSD_CTL_E_TYPE, "\"group\" must be a string");
	refused("{\"id\":4,\"cmd\":\"group-create\",\"group\":\"network\"}", 4,
		MLSD_CTL_E_VALUE,
		"group: \"network\" is the network group, not a named group");
	refused("{\"id\":4,\"cmd\":\"group-add\",\"group\":\"pair/bob\",\"hosts\":[\"a\"]}",
		4, MLSD_CTL_E_VALUE, "group: invalid group name \"pair/bob\"");
	refused("{\"id\":4,\"cmd\":\"rekey\",\"group\":\"pair/\"}", 4,
		MLSD_CTL_E_VALUE,
		"group: \"pair/\" is not network, pair/HOST or a group name");
	refused("{\"id\":4,\"cmd\":\"rekey\",\"group\":\"\"}", 4,
		MLSD_CTL_E_VALUE,
		"group: \"\" is not network, pair/HOST or a group name");
	refused("{\"id\":4,\"cmd\":\"group-add\",\"group\":\"g\",\"hosts\":\"a\"}",
		4, MLSD_CTL_E_TYPE, "\"hosts\" must be an array of host names");
	refused("{\"id\":4,\"cmd\":\"group-add\",\"group\":\"g\",\"hosts\":[]}",
		4, MLSD_CTL_E_VALUE, "hosts: group-add needs at least one host");
	refused("{\"id\":4,\"cmd\":\"group-remove\",\"group\":\"g\",\"hosts\":[]}",
		4, MLSD_CTL_E_VALUE,
		"hosts: group-remove needs at least one host");
	refused("{\"id\":4,\"cmd\":\"group-add\",\"group\":\"g\",\"hosts\":[\"a\",1]}",
		4, MLSD_CTL_E_TYPE, "hosts[1] must be a string");
	refused("{\"id\":4,\"cmd\":\"group-add\",\"group\":\"g\",\"hosts\":[\"a\",\"b c\"]}",
		4, MLSD_CTL_E_VALUE, "hosts[1]: invalid host name \"b c\"");
	refused("{\"id\":4,\"cmd\":\"group-add\",\"group\":\"g\",\"hosts\":[\"a\",\"b\",\"a\"]}",
		4, MLSD_CTL_E_VALUE, "hosts[2]: \"a\" is listed twice");
}

static void test_host_count_limit(void **state)
{
	char line[8192];
	size_t n, i;

	for (int want = MLSD_CTL_MAX_HOSTS; want <= MLSD_CTL_MAX_HOSTS + 1;
	     want++) {
		n = snprintf(line, sizeof(line),
			     "{\"id\":1,\"cmd\":\"group-add\",\"group\":\"g\",\"hosts\":[");
		for (i = 0; i < (size_t)want; i++)
			n += snprintf(line + n, sizeof(line) - n, "%s\"h%zu\"",
				      i ? "," : "", i);
		snprintf(line + n, sizeof(line) - n, "]}");
		if (want == MLSD_CTL_MAX_HOSTS) {
			parses(line);
			assert_int_equal(req.n_hosts, MLSD_CTL_MAX_HOSTS);
			assert_string_equal(req.hosts[255], "h255");
		} else {
			refused(line, 1, MLSD_CTL_E_VALUE,
				"hosts: more than 256 hosts");
		}
	}
}

/* encode(parse(line)) parses to the same request. */
static void roundtrip(const char *line, const char *want)
{
	static struct mlsd_ctl_request first;
	struct mlsd_ctl_error err;
	size_t n;
	char *out;

	parses(line);
	first = req;
	out = mlsd_ctl_encode_request(&first, &n);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	assert_int_equal(mlsd_ctl_parse_request(out, n - 1, &req, &err), 0);
	assert_memory_equal(&first, &req, sizeof(req));
	free(out);
}

static void test_request_roundtrip(void **state)
{
	roundtrip("{\"cmd\":\"status\",\"id\":1}",
		  "{\"id\":1,\"cmd\":\"status\"}\n");
	roundtrip("{\"id\":2,\"cmd\":\"host-remove\",\"host\":\"bob\"}",
		  "{\"id\":2,\"cmd\":\"host-remove\",\"host\":\"bob\"}\n");
	roundtrip("{\"id\":3,\"cmd\":\"group-create\",\"group\":\"ops\"}",
		  "{\"id\":3,\"cmd\":\"group-create\",\"group\":\"ops\"}\n");
	roundtrip("{\"id\":3,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"a\",\"b\"]}",
		  "{\"id\":3,\"cmd\":\"group-add\",\"group\":\"ops\",\"hosts\":[\"a\",\"b\"]}\n");
	roundtrip("{\"id\":4,\"cmd\":\"rekey\"}", "{\"id\":4,\"cmd\":\"rekey\"}\n");
	roundtrip("{\"id\":4,\"cmd\":\"rekey\",\"group\":\"pair/b\"}",
		  "{\"id\":4,\"cmd\":\"rekey\",\"group\":\"pair/b\"}\n");
}

static void test_reply_lines(void **state)
{
	struct mlsd_ctl_error err;
	json_t *result = json_pack("{s:s}", "network", "corp");
	char *line;
	size_t n;

	line = mlsd_ctl_encode_ok(5, result, &n);
	assert_string_equal(line,
			    "{\"id\":5,\"ok\":true,\"result\":{\"network\":\"corp\"}}\n");
	assert_int_equal(n, strlen(line));
	free(line);
	assert_int_equal(result->refcount, 1);	/* borrowed */
	json_decref(result);
	mlsd_ctl_fail(&err, MLSD_CTL_E_NOT_FOUND, "no host \"%s\"", "x\"y");
	line = mlsd_ctl_encode_error(6, &err, NULL);
	assert_string_equal(line,
			    "{\"id\":6,\"ok\":false,\"error\":{\"code\":\"not-found\",\"message\":\"no host \\\"x\\\"y\\\"\"}}\n");
	free(line);
	line = mlsd_ctl_encode_error(MLSD_CTL_NO_ID, &err, NULL);
	assert_memory_equal(line, "{\"id\":null,\"ok\":false,", 22);
	free(line);
}

/* ev (taken) encodes to want; NULL want: refused. */
static void event_line(json_t *ev, const char *want)
{
	char *line = mlsd_ctl_encode_event(ev, NULL);

	if (want)
		assert_string_equal(line, want);
	else
		assert_null(line);
	free(line);
	json_decref(ev);
}

static void test_event_lines(void **state)
{
	event_line(mlsd_ctl_event_epoch("network", 12),
		   "{\"event\":\"epoch\",\"group\":\"network\",\"epoch\":12}\n");
	event_line(mlsd_ctl_event_join("pair/bob", "bob"),
		   "{\"event\":\"join\",\"group\":\"pair/bob\",\"host\":\"bob\"}\n");
	event_line(mlsd_ctl_event_remove("ops", "carol"),
		   "{\"event\":\"remove\",\"group\":\"ops\",\"host\":\"carol\"}\n");
	event_line(json_pack("{s:i}", "event", 1), NULL);
	event_line(json_array(), NULL);
}

static void reply_refused(const char *line, const char *code,
			  const char *message)
{
	struct mlsd_ctl_reply r;
	struct mlsd_ctl_error err;

	assert_int_equal(mlsd_ctl_parse_reply(line, strlen(line), &r, &err), -1);
	assert_string_equal(err.code, code);
	assert_string_equal(err.message, message);
	assert_null(r.body);
}

static void test_parse_reply(void **state)
{
	const char *ok = "{\"id\":5,\"ok\":true,\"result\":{\"a\":1}}";
	const char *bad = "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"c\",\"message\":\"m\"}}";
	const char *ev = "{\"event\":\"epoch\",\"group\":\"network\",\"epoch\":3}";
	struct mlsd_ctl_reply r;
	struct mlsd_ctl_error err;

	assert_int_equal(mlsd_ctl_parse_reply(ok, strlen(ok), &r, &err), 0);
	assert_false(r.is_event);
	assert_true(r.ok);
	assert_int_equal(r.id, 5);
	assert_int_equal(json_integer_value(json_object_get(r.body, "a")), 1);
	json_decref(r.body);
	assert_int_equal(mlsd_ctl_parse_reply(bad, strlen(bad), &r, &err), 0);
	assert_false(r.ok);
	assert_int_equal(r.id, MLSD_CTL_NO_ID);
	assert_string_equal(r.code, "c");
	assert_string_equal(r.message, "m");
	json_decref(r.body);
	assert_int_equal(mlsd_ctl_parse_reply(ev, strlen(ev), &r, &err), 0);
	assert_true(r.is_event);
	assert_int_equal(json_integer_value(json_object_get(r.body, "epoch")), 3);
	json_decref(r.body);
	reply_refused("{", MLSD_CTL_E_JSON,
		      "column 1: string or '}' expected near end of file");
	reply_refused("[]", MLSD_CTL_E_NOT_OBJECT, "a reply is a JSON object");
	reply_refused("{\"id\":1}", MLSD_CTL_E_MISSING,
		      "reply without \"id\" and \"ok\"");
	reply_refused("{\"id\":1,\"ok\":true}", MLSD_CTL_E_MISSING,
		      "ok reply without a \"result\" object");
	reply_refused("{\"id\":1,\"ok\":false,\"error\":{\"code\":\"c\"}}",
		      MLSD_CTL_E_MISSING, "error reply without code and message");
}

static void test_cmd_names(void **state)
{
	assert_string_equal(mlsd_ctl_cmd_name(MLSD_CTL_GROUP_ADD), "group-add");
	assert_null(mlsd_ctl_cmd_name(MLSD_CTL_N_CMDS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_line_level_errors),
		cmocka_unit_test(test_id_and_cmd_errors),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_host_count_limit),
		cmocka_unit_test(test_request_roundtrip),
		cmocka_unit_test(test_reply_lines),
		cmocka_unit_test(test_event_lines),
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_cmd_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
