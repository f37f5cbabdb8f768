// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the control socket codec: every line a local
 * client sends goes through mlsd_ctl_parse_request, every line mlsctl
 * reads through mlsd_ctl_parse_reply. A request that parses must encode
 * to one line that parses to exactly the same request (nothing lost,
 * nothing the encoder writes that the parser refuses); a refusal always
 * names a code and says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../ctl_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_request(const char *line, size_t size)
{
	static struct mlsd_ctl_request req, again;
	struct mlsd_ctl_error err = { NULL, "" };
	size_t len;
	char *out;

	if (mlsd_ctl_parse_request(line, size, &req, &err)) {
		if (!err.code || !err.message[0] ||
		    req.id < MLSD_CTL_NO_ID || req.id > MLSD_CTL_ID_MAX)
			abort();
		return;
	}
	out = mlsd_ctl_encode_request(&req, &len);
	if (!out || !len || out[len - 1] != '\n' ||
	    memchr(out, '\n', len - 1) || len - 1 > MLSD_CTL_LINE_MAX)
		abort();
	if (mlsd_ctl_parse_request(out, len - 1, &again, &err) ||
	    memcmp(&req, &again, sizeof(req)))
		abort();
	free(out);
}

static void check_reply(const char *line, size_t size)
{
	struct mlsd_ctl_error err = { NULL, "" };
	struct mlsd_ctl_reply r;

	if (mlsd_ctl_parse_reply(line, size, &r, &err)) {
		if (!err.code || r.body)
			abort();
		return;
	}
	if (!r.body || (!r.is_event && !r.ok && (!r.code || !r.message)))
		abort();
	json_decref(r.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_request((const char *)data, size);
	check_reply((const char *)data, size);
	return 0;
}
