/* SPDX-License-Identifier: MIT */
/*
 * The relay under benchmark: a real mlsrelay process on 127.0.0.1 with a
 * temporary directory for its config, self-signed certificate (openssl
 * CLI) and SQLite store, and its CPU time read through the kernel's
 * per-process CPU clock (nanoseconds, unlike /proc/PID/stat's ticks).
 */
#ifndef MLSRELAY_BENCH_RELAY_PROC_H
#define MLSRELAY_BENCH_RELAY_PROC_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "relayproto.h"

struct bench_relay {
	pid_t pid;
	clockid_t cpu_clock;
	char dir[64];
	char tcp_port[8];
	uint8_t pin[RP_FINGERPRINT_LEN];
};

/* Start binary with extra_config appended; 0 or -1 (reason on stderr). */
int bench_relay_start(struct bench_relay *br, const char *binary,
		      const char *extra_config);
/* The relay's CPU time so far (user + system), in nanoseconds. */
uint64_t bench_relay_cpu_ns(const struct bench_relay *br);
/* SIGTERM, reap, remove the directory; *cpu_ns gets its total CPU. */
void bench_relay_stop(struct bench_relay *br, uint64_t *cpu_ns);

uint64_t bench_now_ns(void);

#endif
