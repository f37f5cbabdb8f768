// SPDX-License-Identifier: MIT
/*
 * mlsrelay's data relay end to end: three UDP sockets on 127.0.0.1 act
 * as members of one group whose epoch tag a member registered over the
 * control channel. Packets are forwarded by tag to every other learned
 * endpoint, byte for byte (the relay reads only the header); short ones,
 * wrong type bytes and unknown tags are dropped and counted.
 */
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "support/relay_harness.h"

static const uint8_t tag_g[RP_TAG_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t tag_h[RP_TAG_LEN] = { 9, 9, 9, 9, 9, 9, 9, 9 };

static int udp_socket(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { 60, 0 };	/* a bound, not a delay */
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				    sizeof(tv)), 0);
	return fd;
}

/* A data packet: header 0x11, leaf, tag, counter; body after it. */
static size_t packet(uint8_t *p, uint8_t type, uint32_t leaf,
		     const uint8_t *tag, uint32_t counter, size_t body_len)
{
	size_t i;

	p[0] = type;
	p[1] = (uint8_t)(leaf >> 16);
	p[2] = (uint8_t)(leaf >> 8);
	p[3] = (uint8_t)leaf;
	memcpy(p + 4, tag, RP_TAG_LEN);
	p[12] = (uint8_t)(counter >> 24);
	p[13] = (uint8_t)(counter >> 16);
	p[14] = (uint8_t)(counter >> 8);
	p[15] = (uint8_t)counter;
	/* stands in for ciphertext: the relay must not care what it is */
	for (i = 16; i < 16 + body_len; i++)
		p[i] = (uint8_t)(i * 37 + counter);
	return 16 + body_len;
}

static void send_to_relay(struct relay_proc *rp, int fd, const uint8_t *p,
			  size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(rp->udp_port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	assert_int_equal(sendto(fd, p, len, 0, (struct sockaddr *)&a,
				sizeof(a)), (ssize_t)len);
}

static void expect_packet(int fd, const uint8_t *want, size_t len)
{
	uint8_t buf[2048];

	assert_int_equal(recv(fd, buf, sizeof(buf), 0), (ssize_t)len);
	assert_memory_equal(buf, want, len);
}

static void register_tag(struct host *h, const char *group,
			 const uint8_t *tag, uint16_t want_code)
{
	struct rp_frame f = { .type = RP_EPOCH_TAG, .group_id = BYTES(group),
			      .epoch = 1 };

	memcpy(f.tag, tag, RP_TAG_LEN);
	if (want_code)
		host_expect_error(h, &f, want_code);
	else
		host_expect_ok(h, &f);
}

/* Nothing is waiting on fd (every expected packet was read). */
static void expect_nothing_queued(int fd)
{
	uint8_t buf[64];

	assert_int_equal(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
}

static void test_forward_by_tag(void **state)
{
	struct relay_proc *rp = *state;
	uint8_t p0[256], p1[256], p2[256], p3[256];
	size_t n0, n1, n2, n3;
	int s[3], i;
	struct host a;

	host_init(&a, "host-a");
	host_login(&a, rp);
	register_tag(&a, "g", tag_g, RP_C_BAD_REQUEST);	/* not subscribed */
	host_subscribe(&a, "g");
	register_tag(&a, "g", tag_g, 0);
	for (i = 0; i < 3; i++)
		s[i] = udp_socket();
	/* leaf 0 speaks first: nobody else is known yet */
	n0 = packet(p0, 0x11, 0, tag_g, 0, 100);
	send_to_relay(rp, s[0], p0, n0);
	/* leaf 1: forwarded to leaf 0 */
	n1 = packet(p1, 0x11, 1, tag_g, 0, 120);
	send_to_relay(rp, s[1], p1, n1);
	expect_packet(s[0], p1, n1);
	/* leaf 2: to leaves 0 and 1 */
	n2 = packet(p2, 0x11, 2, tag_g, 0, 140);
	send_to_relay(rp, s[2], p2, n2);
	expect_packet(s[0], p2, n2);
	expect_packet(s[1], p2, n2);
	/* leaf 0 again: to 1 and 2, never back to itself */
	n3 = packet(p3, 0x11, 0, tag_g, 1, 160);
	send_to_relay(rp, s[0], p3, n3);
	expect_packet(s[1], p3, n3);
	expect_packet(s[2], p3, n3);
	expect_nothing_queued(s[0]);
	for (i = 0; i < 3; i++)
		close(s[i]);
	host_close(&a);
}

/* Bad packets are dropped: the next packet each receiver gets is good. */
static void test_drops_and_counts(void **state)
{
	struct relay_proc *rp = *state;
	uint8_t bad[256], good[256];
	size_t n;
	int s0 = udp_socket(), s1 = udp_socket();
	struct host a, b;

	host_init(&a, "host-a");
	host_init(&b, "host-b");
	host_login(&a, rp);
	host_login(&b, rp);
	host_subscribe(&a, "g");
	host_subscribe(&b, "h");
	register_tag(&a, "g", tag_g, 0);
	register_tag(&b, "h", tag_h, 0);
	/* one group's tag cannot be claimed for another */
	register_tag(&b, "h", tag_g, RP_C_BAD_REQUEST);
	n = packet(good, 0x11, 0, tag_g, 0, 64);
	send_to_relay(rp, s0, good, n);		/* s0 learned as leaf 0 */
	n = packet(bad, 0x11, 1, tag_g, 0, 15);	/* 31 bytes: short */
	send_to_relay(rp, s1, bad, n);
	n = packet(bad, 0x21, 1, tag_g, 0, 64);	/* wrong version/type */
	send_to_relay(rp, s1, bad, n);
	n = packet(bad, 0x11, 1, (const uint8_t *)"unknown!", 0, 64);
	send_to_relay(rp, s1, bad, n);
	n = packet(bad, 0x11, 1, tag_h, 0, 64);	/* other group: nobody */
	send_to_relay(rp, s1, bad, n);
	n = packet(good, 0x11, 1, tag_g, 7, 64);
	send_to_relay(rp, s1, good, n);
	expect_packet(s0, good, n);
	expect_nothing_queued(s0);
	kill(rp->pid, SIGUSR1);
	assert_true(relay_log_wait(rp, "udp: rx 6 forwarded 1 dropped: "
				   "short 1 bad-type 1 unknown-tag 1"));
	close(s0);
	close(s1);
	host_close(&a);
	host_close(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forward_by_tag,
						relay_fixture_setup,
						relay_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_drops_and_counts,
						relay_fixture_setup,
						relay_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
