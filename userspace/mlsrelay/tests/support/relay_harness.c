// SPDX-License-Identifier: MIT
/* The mlsrelay test harness (relay_harness.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/x509_crt.h>

#include "relay_harness.h"

#define WAIT_SECONDS 60
#define IO_TIMEOUT_MS 60000

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void run_cmd(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void load_pin(struct relay_proc *rp)
{
	mbedtls_x509_crt crt;
	char path[128];

	snprintf(path, sizeof(path), "%s/cert.pem", rp->dir);
	mbedtls_x509_crt_init(&crt);
	assert_int_equal(mbedtls_x509_crt_parse_file(&crt, path), 0);
	rp_cert_fingerprint(crt.raw.p, crt.raw.len, rp->pin);
	mbedtls_x509_crt_free(&crt);
}

void relay_setup(struct relay_proc *rp, const char *extra_config)
{
	FILE *f;

	memset(rp, 0, sizeof(*rp));
	strcpy(rp->dir, "/tmp/mlsrelay-test-XXXXXX");
	assert_non_null(mkdtemp(rp->dir));
	run_cmd("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
		" -nodes -keyout %s/key.pem -out %s/cert.pem -days 2"
		" -subj /CN=mlsrelay-test 2>/dev/null", rp->dir, rp->dir);
	snprintf(rp->config, sizeof(rp->config), "%s/relay.conf", rp->dir);
	snprintf(rp->port_file, sizeof(rp->port_file), "%s/ports", rp->dir);
	snprintf(rp->log, sizeof(rp->log), "%s/relay.log", rp->dir);
	f = fopen(rp->config, "w");
	assert_non_null(f);
	fprintf(f, "# written by the test\nlisten 127.0.0.1:0\n"
		"listen-udp 127.0.0.1:0\ncert %s/cert.pem\nkey %s/key.pem\n"
		"database %s/relay.db\nport-file %s\n%s", rp->dir, rp->dir,
		rp->dir, rp->port_file, extra_config ? extra_config : "");
	assert_int_equal(fclose(f), 0);
}

/* build-san/tests/mlsrelay/test_x -> build-san/bin/mlsrelay */
static void relay_binary(char *out, size_t cap)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	assert_true(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	assert_non_null(slash);
	*slash = '\0';
	snprintf(out, cap, "%s/../../bin/mlsrelay", self);
}

static bool read_ports(struct relay_proc *rp)
{
	FILE *f = fopen(rp->port_file, "r");
	unsigned int tcp, udp;
	int n;

	if (!f)
		return false;
	n = fscanf(f, "tcp %u\nudp %u\n", &tcp, &udp);
	fclose(f);
	if (n != 2)
		return false;
	snprintf(rp->tcp_port, sizeof(rp->tcp_port), "%u", tcp);
	rp->udp_port = (uint16_t)udp;
	return true;
}

void relay_start(struct relay_proc *rp)
{
	char bin[PATH_MAX + 32];
	int i, status, fd;

	/* here, not at setup: a test may have put its own cert.pem there */
	load_pin(rp);
	relay_binary(bin, sizeof(bin));
	unlink(rp->port_file);
	rp->pid = fork();
	assert_true(rp->pid >= 0);
	if (rp->pid == 0) {
		/* a crashed test must not leave its relay behind */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open(rp->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execl(bin, "mlsrelay", "-c", rp->config, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < WAIT_SECONDS * 20; i++) {
		if (read_ports(rp))
			return;
		assert_int_equal(waitpid(rp->pid, &status, WNOHANG), 0);
		sleep_ms(50);
	}
	fail_msg("mlsrelay did not start (log %s)", rp->log);
}

void relay_stop(struct relay_proc *rp, int sig)
{
	int status;

	if (rp->pid <= 0)
		return;
	kill(rp->pid, sig);
	assert_int_equal(waitpid(rp->pid, &status, 0), rp->pid);
	if (sig == SIGTERM)
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rp->pid = 0;
}

void relay_teardown(struct relay_proc *rp)
{
	relay_stop(rp, SIGTERM);
	run_cmd("rm -rf %s", rp->dir);
}

int relay_fixture_setup(void **state)
{
	struct relay_proc *rp = calloc(1, sizeof(*rp));

	assert_non_null(rp);
	relay_setup(rp, *state);
	relay_start(rp);
	*state = rp;
	return 0;
}

int relay_fixture_teardown(void **state)
{
	relay_teardown(*state);
	free(*state);
	return 0;
}

bool relay_log_has(struct relay_proc *rp, const char *text)
{
	char buf[65536];
	FILE *f = fopen(rp->log, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

bool relay_log_wait(struct relay_proc *rp, const char *text)
{
	int i;

	for (i = 0; i < WAIT_SECONDS * 20; i++) {
		if (relay_log_has(rp, text))
			return true;
		sleep_ms(50);
	}
	return false;
}

void host_init(struct host *h, const char *name)
{
	const struct mls_suite *s = mls_suite_get(1);

	memset(h, 0, sizeof(*h));
	h->name = name;
	h->priv_len = s->sig_priv_len;
	h->pub_len = s->sig_pub_len;
	assert_int_equal(mls_sig_generate_keypair(NULL, s, h->priv, h->pub),
			 0);
}

void host_connect(struct host *h, struct relay_proc *rp)
{
	assert_int_equal(rp_client_connect(&h->c, "127.0.0.1", rp->tcp_port,
					   rp->pin, IO_TIMEOUT_MS), 0);
	h->connected = true;
}

void host_login(struct host *h, struct relay_proc *rp)
{
	host_connect(h, rp);
	assert_int_equal(rp_client_auth(&h->c, 1, (const uint8_t *)h->name,
					strlen(h->name), h->priv, h->priv_len,
					h->pub, h->pub_len), 0);
}

void host_close(struct host *h)
{
	if (h->connected)
		rp_client_close(&h->c);
	h->connected = false;
}

void host_request(struct host *h, struct rp_frame *f, struct rp_frame *reply)
{
	f->req_id = 0;
	assert_int_equal(rp_client_send(&h->c, f), 0);
	do {
		assert_int_equal(rp_client_recv(&h->c, reply), 0);
	} while (reply->req_id != f->req_id);
}

void host_expect_ok(struct host *h, struct rp_frame *f)
{
	struct rp_frame reply;

	host_request(h, f, &reply);
	if (reply.type == RP_ERROR)
		fail_msg("%s: error %s: %.*s", rp_type_name(f->type),
			 rp_code_name(reply.code), (int)reply.text.len,
			 (const char *)reply.text.p);
	assert_int_equal(reply.type, RP_OK_FRAME);
}

void host_expect_error(struct host *h, struct rp_frame *f, uint16_t code)
{
	struct rp_frame reply;

	host_request(h, f, &reply);
	assert_int_equal(reply.type, RP_ERROR);
	assert_string_equal(rp_code_name(reply.code), rp_code_name(code));
}

void host_expect_fatal(struct host *h, uint16_t code)
{
	struct rp_frame f;

	do {
		assert_int_equal(rp_client_recv(&h->c, &f), 0);
	} while (f.type != RP_ERROR);
	assert_string_equal(rp_code_name(f.code), rp_code_name(code));
	assert_int_equal(rp_client_recv(&h->c, &f), RP_E_CLOSED);
}

void host_subscribe(struct host *h, const char *group)
{
	struct rp_frame f = { .type = RP_SUBSCRIBE, .group_id = BYTES(group) };

	host_expect_ok(h, &f);
}

size_t fake_mls_message(uint8_t *out, size_t cap, const char *group,
			uint64_t epoch, const char *body)
{
	size_t g = strlen(group), b = strlen(body), i;

	assert_true(g < 64 && 5 + g + 8 + b <= cap);
	out[0] = 0;
	out[1] = 1;		/* mls10 */
	out[2] = 0;
	out[3] = 2;		/* mls_private_message */
	out[4] = (uint8_t)g;	/* one-byte varint */
	memcpy(out + 5, group, g);
	for (i = 0; i < 8; i++)
		out[5 + g + i] = (uint8_t)(epoch >> (56 - 8 * i));
	memcpy(out + 13 + g, body, b);
	return 13 + g + b;
}
