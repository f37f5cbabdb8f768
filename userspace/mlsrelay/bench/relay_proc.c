// SPDX-License-Identifier: MIT
/* The relay process under benchmark (relay_proc.h). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mbedtls/x509_crt.h>

#include "client.h"
#include "relay_proc.h"

#define START_WAIT_MS 30000

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int make_cert(struct bench_relay *br)
{
	char cmd[512], path[128];
	mbedtls_x509_crt crt;
	int err;

	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
		 " -nodes -keyout %s/key.pem -out %s/cert.pem -days 2"
		 " -subj /CN=mlsrelay-bench 2>/dev/null", br->dir, br->dir);
	if (system(cmd)) {
		fprintf(stderr, "bench: openssl cannot make a certificate\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cert.pem", br->dir);
	mbedtls_x509_crt_init(&crt);
	err = mbedtls_x509_crt_parse_file(&crt, path);
	if (!err)
		rp_cert_fingerprint(crt.raw.p, crt.raw.len, br->pin);
	mbedtls_x509_crt_free(&crt);
	return err ? -1 : 0;
}

static int write_config(struct bench_relay *br, const char *extra)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/relay.conf", br->dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "listen 127.0.0.1:0\nlisten-udp 127.0.0.1:0\n"
		"cert %s/cert.pem\nkey %s/key.pem\ndatabase %s/relay.db\n"
		"port-file %s/ports\n%s", br->dir, br->dir, br->dir, br->dir,
		extra);
	return fclose(f) ? -1 : 0;
}

static void exec_relay(struct bench_relay *br, const char *binary)
{
	char conf[128], log[128];
	int fd;

	/* a killed benchmark must not leave its relay behind */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(conf, sizeof(conf), "%s/relay.conf", br->dir);
	snprintf(log, sizeof(log), "%s/relay.log", br->dir);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(127);
	execl(binary, "mlsrelay", "-c", conf, (char *)NULL);
	_exit(127);
}

static int read_port(struct bench_relay *br)
{
	char path[128];
	unsigned int tcp, udp;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/ports", br->dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "tcp %u\nudp %u\n", &tcp, &udp);
	fclose(f);
	if (n != 2)
		return -1;
	snprintf(br->tcp_port, sizeof(br->tcp_port), "%u", tcp);
	return 0;
}

static int wait_ready(struct bench_relay *br)
{
	struct timespec tick = { 0, 20000000 };
	int i, status;

	for (i = 0; i < START_WAIT_MS / 20; i++) {
		if (!read_port(br))
			return clock_getcpuclockid(br->pid, &br->cpu_clock) ?
				-1 : 0;
		if (waitpid(br->pid, &status, WNOHANG))
			break;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "bench: mlsrelay did not start (log %s/relay.log)\n",
		br->dir);
	return -1;
}

int bench_relay_start(struct bench_relay *br, const char *binary,
		      const char *extra_config)
{
	const char *tmp = getenv("TMPDIR");

	memset(br, 0, sizeof(*br));
	snprintf(br->dir, sizeof(br->dir), "%s/mlsrelay-bench-XXXXXX",
		 tmp ? tmp : "/tmp");
	if (!mkdtemp(br->dir) || make_cert(br) ||
	    write_config(br, extra_config))
		return -1;
	br->pid = fork();
	if (br->pid < 0)
		return -1;
	if (br->pid == 0)
		exec_relay(br, binary);
	return wait_ready(br);
}

uint64_t bench_relay_cpu_ns(const struct bench_relay *br)
{
	struct timespec ts;

	if (clock_gettime(br->cpu_clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_relay_stop(struct bench_relay *br, uint64_t *cpu_ns)
{
	struct rusage ru;
	char cmd[128];
	int status;

	*cpu_ns = 0;
	if (br->pid > 0) {
		kill(br->pid, SIGTERM);
		if (wait4(br->pid, &status, 0, &ru) == br->pid)
			*cpu_ns = ((uint64_t)ru.ru_utime.tv_sec +
				   (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
				  ((uint64_t)ru.ru_utime.tv_usec +
				   (uint64_t)ru.ru_stime.tv_usec) * 1000u;
		br->pid = 0;
	}
	if (!getenv("BENCH_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", br->dir);
		if (system(cmd))
			fprintf(stderr, "bench: cannot remove %s\n", br->dir);
	}
}
