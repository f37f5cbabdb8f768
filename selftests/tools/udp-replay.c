// SPDX-License-Identifier: MIT
/*
 * udp-replay: capture one UDP datagram off the wire and send it again,
 * unchanged or with one byte flipped, so the selftests can prove that the
 * mlsdco receive path rejects replays, forgeries and stale keys.
 *
 *   udp-replay capture IFACE PORT FILE [TIMEOUT]
 *	Wait (TIMEOUT seconds, default 10) for the next IPv4/IPv6 UDP
 *	datagram received on IFACE with destination port PORT and write the
 *	whole IP packet to FILE. Prints "ready" once the capture socket is
 *	open, so a caller knows when to start the traffic.
 *   udp-replay info FILE
 *	Print "SRC SPORT DST DPORT PAYLOAD-LEN" of a captured packet.
 *   udp-replay send FILE [FLIP-OFFSET]
 *	Send the captured packet again, from its original source address and
 *	port (a raw socket with the IP header included), optionally with the
 *	UDP payload byte at FLIP-OFFSET (negative: from the end) inverted.
 *	The UDP checksum is recomputed, because the kernel checks it before
 *	a tunnel's encap_rcv sees the packet: the flipped byte must reach the
 *	AEAD, not die in the UDP layer.
 *
 * Exit 0 on success, 1 on any error (one line on stderr), 2 on a capture
 * timeout.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PACKET 65536

struct udp_view {
	int family;
	uint8_t *ip;		/* start of the IP header */
	size_t ip_len;		/* whole packet */
	struct udphdr *udp;
	size_t udp_len;		/* UDP header + payload */
	const void *src;	/* addresses inside the IP header */
	const void *dst;
	size_t addr_len;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("udp-replay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* Only what the tunnel sends: no IPv4 fragments, no IPv6 extension headers. */
static int udp_view_parse(uint8_t *pkt, size_t len, struct udp_view *v)
{
	memset(v, 0, sizeof(*v));
	v->ip = pkt;
	v->ip_len = len;
	if (len >= sizeof(struct iphdr) && (pkt[0] >> 4) == 4) {
		struct iphdr *ip4 = (struct iphdr *)pkt;
		size_t hl = (size_t)ip4->ihl * 4;

		if (hl < sizeof(*ip4) || ntohs(ip4->tot_len) != len ||
		    ip4->protocol != IPPROTO_UDP ||
		    (ntohs(ip4->frag_off) & 0x3fff) ||
		    len < hl + sizeof(struct udphdr))
			return -1;
		v->family = AF_INET;
		v->udp = (struct udphdr *)(pkt + hl);
		v->udp_len = len - hl;
		v->src = &ip4->saddr;
		v->dst = &ip4->daddr;
		v->addr_len = 4;
	} else if (len >= sizeof(struct ip6_hdr) && (pkt[0] >> 4) == 6) {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;

		if (ip6->ip6_nxt != IPPROTO_UDP ||
		    ntohs(ip6->ip6_plen) + sizeof(*ip6) != len ||
		    len < sizeof(*ip6) + sizeof(struct udphdr))
			return -1;
		v->family = AF_INET6;
		v->udp = (struct udphdr *)(pkt + sizeof(*ip6));
		v->udp_len = len - sizeof(*ip6);
		v->src = &ip6->ip6_src;
		v->dst = &ip6->ip6_dst;
		v->addr_len = 16;
	} else {
		return -1;
	}
	if (ntohs(v->udp->len) != v->udp_len)
		return -1;
	return 0;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* RFC 768 / RFC 8200 §8.1: the checksum covers a pseudo-header. */
static void udp_fix_checksum(struct udp_view *v)
{
	uint32_t sum = 0;
	uint16_t folded;

	sum = csum_add(sum, v->src, v->addr_len);
	sum = csum_add(sum, v->dst, v->addr_len);
	sum += IPPROTO_UDP;
	sum += (uint32_t)v->udp_len;
	v->udp->check = 0;
	sum = csum_add(sum, v->udp, v->udp_len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	folded = (uint16_t)~sum;
	/* 0 means "no checksum" on the wire; its ones' complement twin is 0xffff. */
	v->udp->check = htons(folded ? folded : 0xffff);
}

static int parse_long(const char *arg, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 0);
	if (errno || end == arg || *end || *out < min || *out > max)
		return -1;
	return 0;
}

static int open_capture(const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int fd;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		return -fail("no interface \"%s\": %s", ifname, strerror(errno));
	/* SOCK_DGRAM: the kernel strips the link header, we get IP. */
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0)
		return -fail("packet socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -fail("bind to %s: %s", ifname, strerror(errno));
	}
	return fd;
}

static int save_packet(const char *path, const uint8_t *pkt, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return fail("%s: %s", path, strerror(errno));
	if (fwrite(pkt, 1, len, f) != len || fclose(f))
		return fail("%s: write failed", path);
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_capture(int argc, char **argv)
{
	static uint8_t pkt[MAX_PACKET];
	struct sockaddr_ll from;
	socklen_t fromlen;
	struct udp_view v;
	long port, timeout = 10;
	double deadline;
	ssize_t n;
	int fd, ret;

	if (argc < 3 || argc > 4)
		return fail("usage: capture IFACE PORT FILE [TIMEOUT]");
	if (parse_long(argv[1], 1, 65535, &port))
		return fail("invalid port \"%s\"", argv[1]);
	if (argc == 4 && parse_long(argv[3], 1, 3600, &timeout))
		return fail("invalid timeout \"%s\"", argv[3]);
	fd = open_capture(argv[0]);
	if (fd < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);

	deadline = now_seconds() + (double)timeout;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_seconds();

		if (left <= 0) {
			close(fd);
			fail("no UDP datagram to port %ld on %s within %ld s",
			     port, argv[0], timeout);
			return 2;
		}
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		fromlen = sizeof(from);
		n = recvfrom(fd, pkt, sizeof(pkt), 0,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			close(fd);
			return fail("recv: %s", strerror(errno));
		}
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (udp_view_parse(pkt, (size_t)n, &v) == 0 &&
		    ntohs(v.udp->dest) == port)
			break;
	}
	close(fd);
	ret = save_packet(argv[2], pkt, (size_t)n);
	return ret;
}

static int load_packet(const char *path, uint8_t *pkt, struct udp_view *v)
{
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f)
		return fail("%s: %s", path, strerror(errno));
	len = fread(pkt, 1, MAX_PACKET, f);
	fclose(f);
	if (udp_view_parse(pkt, len, v))
		return fail("%s: not a captured UDP packet", path);
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	static uint8_t pkt[MAX_PACKET];
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	struct udp_view v;

	if (argc != 1)
		return fail("usage: info FILE");
	if (load_packet(argv[0], pkt, &v))
		return 1;
	inet_ntop(v.family, v.src, src, sizeof(src));
	inet_ntop(v.family, v.dst, dst, sizeof(dst));
	printf("%s %u %s %u %zu\n", src, ntohs(v.udp->source), dst,
	       ntohs(v.udp->dest), v.udp_len - sizeof(struct udphdr));
	return 0;
}

static int flip_byte(struct udp_view *v, long offset)
{
	size_t payload = v->udp_len - sizeof(struct udphdr);
	size_t at;

	if (offset < 0 && (size_t)-offset <= payload)
		at = payload - (size_t)-offset;
	else if (offset >= 0 && (size_t)offset < payload)
		at = (size_t)offset;
	else
		return fail("offset %ld is outside the %zu-byte payload",
			    offset, payload);
	((uint8_t *)(v->udp + 1))[at] ^= 0xff;
	return 0;
}

static int send_raw(struct udp_view *v)
{
	struct sockaddr_storage to = { 0 };
	socklen_t tolen;
	int fd;

	/* IPPROTO_RAW implies IP_HDRINCL / IPV6_HDRINCL: our header goes out
	 * as it is, with the original (possibly non-local) source.
	 */
	fd = socket(v->family, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		return fail("raw socket: %s", strerror(errno));
	if (v->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&to;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, v->dst, 4);
		tolen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&to;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, v->dst, 16);
		tolen = sizeof(*sin6);
	}
	if (sendto(fd, v->ip, v->ip_len, 0, (struct sockaddr *)&to, tolen) !=
	    (ssize_t)v->ip_len) {
		close(fd);
		return fail("send: %s", strerror(errno));
	}
	close(fd);
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	static uint8_t pkt[MAX_PACKET];
	struct udp_view v;
	long offset;

	if (argc < 1 || argc > 2)
		return fail("usage: send FILE [FLIP-OFFSET]");
	if (load_packet(argv[0], pkt, &v))
		return 1;
	if (argc == 2) {
		if (parse_long(argv[1], -MAX_PACKET, MAX_PACKET, &offset))
			return fail("invalid offset \"%s\"", argv[1]);
		if (flip_byte(&v, offset))
			return 1;
	}
	udp_fix_checksum(&v);
	return send_raw(&v);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "capture"))
		return cmd_capture(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "info"))
		return cmd_info(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "send"))
		return cmd_send(argc - 2, argv + 2);
	fputs("usage: udp-replay capture IFACE PORT FILE [TIMEOUT]\n"
	      "       udp-replay info FILE\n"
	      "       udp-replay send FILE [FLIP-OFFSET]\n", stderr);
	return 1;
}
