// SPDX-License-Identifier: MIT
/*
 * mlsrelay-bench: the relay's numbers outside the VM (`make bench`,
 * docs/BENCHMARKS.md). It starts a real mlsrelay on a temporary SQLite
 * store and drives it over TLS with the relayproto client:
 *   ordering: one member commits sequential epochs, each sent when the
 *     previous one was accepted, while others are subscribed; then
 *     several groups, one committer each, committing in rounds;
 *   fan-out: one commit to N (1000) subscribed connections, timed from
 *     the send to the last subscriber's receipt, with the relay's CPU
 *     time over the same interval (its per-process CPU clock).
 * Nothing passes or fails on a number; a protocol error is exit 1.
 *
 * usage: mlsrelay-bench [--quick] [--relay PATH] [--members N]
 *                       [--rounds N]  (fan-out commits; default 20)
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "client.h"
#include "mls/crypto.h"
#include "relay_proc.h"

#define IO_TIMEOUT_MS	60000
#define SUITE		1
#define COMMIT_BODY	1024	/* bytes: a PrivateMessage Commit's order */

struct member {
	struct rp_client c;
	uint64_t events;	/* hs-event frames received */
};

struct bench {
	const char *relay_bin;
	bool quick;
	unsigned int members;
	unsigned int fanout_rounds;
	uint8_t priv[MLS_MAX_SIG_PRIV_LEN], pub[MLS_MAX_SIG_PUB_LEN];
	size_t priv_len, pub_len;
	uint8_t body[COMMIT_BODY];
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s (%d)\n", what, err > 0 ?
		rp_code_name((uint16_t)err) : rp_strerror(err), err);
	return -1;
}

static int member_login(struct bench *b, struct bench_relay *br,
			struct member *m, unsigned int i)
{
	char name[32];
	int err;

	snprintf(name, sizeof(name), "member-%u", i);
	err = rp_client_connect(&m->c, "127.0.0.1", br->tcp_port, br->pin,
				IO_TIMEOUT_MS);
	if (err)
		return fail("connect", err);
	err = rp_client_auth(&m->c, SUITE, (const uint8_t *)name,
			     strlen(name), b->priv, b->priv_len, b->pub,
			     b->pub_len);
	if (err) {
		rp_client_close(&m->c);
		return fail("auth", err);
	}
	return 0;
}

/* The next frame; hs-events pushed by the relay are counted. */
static int member_recv(struct member *m, struct rp_frame *f)
{
	int err = rp_client_recv(&m->c, f);

	if (!err && f->type == RP_HS_EVENT && !f->req_id)
		m->events++;
	return err;
}

/* Send f and read up to its reply (events on the way are counted). */
static int member_request(struct member *m, struct rp_frame *f,
			  uint8_t want)
{
	struct rp_frame reply;
	int err;

	f->req_id = 0;
	err = rp_client_send(&m->c, f);
	while (!err) {
		err = member_recv(m, &reply);
		if (err || reply.req_id != f->req_id)
			continue;
		if (reply.type == RP_ERROR)
			return fail(rp_type_name(f->type), reply.code);
		return reply.type == want ? 0 : fail(rp_type_name(f->type),
						     RP_E_TYPE);
	}
	return fail(rp_type_name(f->type), err);
}

static int member_subscribe(struct member *m, const char *group)
{
	struct rp_frame f = { .type = RP_SUBSCRIBE };

	f.group_id = (struct rp_bytes){ (const uint8_t *)group,
					strlen(group) };
	return member_request(m, &f, RP_OK_FRAME);
}

/* A PrivateMessage: version, wire format, group_id, epoch, then body. */
static size_t commit_message(struct bench *b, uint8_t *out,
			     const char *group, uint64_t epoch)
{
	size_t g = strlen(group), i;

	out[0] = 0;
	out[1] = 1;		/* mls10 */
	out[2] = 0;
	out[3] = 2;		/* mls_private_message */
	out[4] = (uint8_t)g;	/* one-byte varint: g < 64 */
	memcpy(out + 5, group, g);
	for (i = 0; i < 8; i++)
		out[5 + g + i] = (uint8_t)(epoch >> (56 - 8 * i));
	memcpy(out + 13 + g, b->body, sizeof(b->body));
	return 13 + g + sizeof(b->body);
}

static int send_commit(struct bench *b, struct member *m, const char *group,
		       uint64_t epoch, uint32_t *req_id)
{
	uint8_t msg[COMMIT_BODY + 80];
	struct rp_frame f = { .type = RP_HANDSHAKE, .epoch = epoch,
			      .kind = RP_KIND_COMMIT };
	int err;

	f.group_id = (struct rp_bytes){ (const uint8_t *)group,
					strlen(group) };
	f.blob = (struct rp_bytes){ msg, commit_message(b, msg, group, epoch) };
	err = rp_client_send(&m->c, &f);
	*req_id = f.req_id;
	return err ? fail("send commit", err) : 0;
}

/* Read m's frames until the reply to req_id, which must be accepted. */
static int wait_accepted(struct member *m, uint32_t req_id)
{
	struct rp_frame f;
	int err;

	do {
		err = member_recv(m, &f);
		if (err)
			return fail("commit reply", err);
	} while (f.req_id != req_id);
	if (f.type == RP_ERROR)
		return fail("commit", f.code);
	return f.type == RP_ACCEPTED ? 0 : fail("commit", RP_E_TYPE);
}

/*
 * The subscribers whose events are waited for, in one epoll set: a poll()
 * over all of them after every few receipts would cost the client
 * O(members) per wakeup and show up as relay latency.
 */
struct audience {
	struct member *m;
	unsigned int n;
	int ep;
};

static int audience_open(struct audience *a, struct member *m,
			 unsigned int n)
{
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i;

	a->m = m;
	a->n = n;
	a->ep = epoll_create1(EPOLL_CLOEXEC);
	if (a->ep < 0)
		return fail("epoll", RP_E_IO);
	for (i = 0; i < n; i++) {
		ev.data.u32 = i;
		if (epoll_ctl(a->ep, EPOLL_CTL_ADD, m[i].c.net.fd, &ev))
			return fail("epoll", RP_E_IO);
	}
	return 0;
}

static void audience_close(struct audience *a)
{
	if (a->ep >= 0)
		close(a->ep);
	a->ep = -1;
}

/* Read m's frames while it has fewer than want events and TLS holds
 * decrypted bytes (which epoll cannot see); once when readable. */
static int read_member(struct member *m, uint64_t want, bool readable)
{
	struct rp_frame f;
	int err;

	while (m->events < want &&
	       (readable || mbedtls_ssl_get_bytes_avail(&m->c.ssl))) {
		readable = false;
		err = member_recv(m, &f);
		if (err)
			return fail("event", err);
	}
	return 0;
}

/*
 * Read events until every member of a has want of them; *last_ns gets
 * the time the last one arrived.
 */
static int wait_events(struct audience *a, uint64_t want, uint64_t *last_ns)
{
	struct epoll_event ev[64];
	unsigned int i, done = 0;
	struct member *m;
	int k, j;

	for (i = 0; i < a->n; i++) {
		if (read_member(&a->m[i], want, false))
			return -1;
		done += a->m[i].events >= want;
	}
	while (done < a->n) {
		k = epoll_wait(a->ep, ev, 64, IO_TIMEOUT_MS);
		if (k <= 0)
			return fail("waiting for events", RP_E_IO);
		for (j = 0; j < k; j++) {
			m = &a->m[ev[j].data.u32];
			if (m->events >= want)
				continue;
			if (read_member(m, want, true))
				return -1;
			done += m->events >= want;
		}
	}
	*last_ns = bench_now_ns();
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double ms_of(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* Median and maximum of v (sorted in place). */
static void stats(uint64_t *v, unsigned int n, double *median, double *max)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	*median = ms_of(v[n / 2]);
	*max = ms_of(v[n - 1]);
}

struct members {
	struct member *m;
	unsigned int n;
};

static int login_all(struct bench *b, struct bench_relay *br,
		     struct members *ms, unsigned int n)
{
	ms->m = calloc(n, sizeof(*ms->m));
	ms->n = 0;
	if (!ms->m)
		return fail("members", RP_E_NOMEM);
	for (; ms->n < n; ms->n++)
		if (member_login(b, br, &ms->m[ms->n], ms->n))
			return -1;
	return 0;
}

static void close_all(struct members *ms)
{
	unsigned int i;

	for (i = 0; i < ms->n; i++)
		rp_client_close(&ms->m[i].c);
	free(ms->m);
	ms->m = NULL;
}

/*
 * Ordering through one relay: groups groups, each with one committer
 * (member g) and subs subscribers; every round each committer sends the
 * next epoch's Commit, then all replies are read. Prints commits/s, the
 * median time to accepted (one group) and the relay's CPU per commit.
 */
static int bench_ordering(struct bench *b, unsigned int groups,
			  unsigned int subs, unsigned int rounds)
{
	struct bench_relay br;
	struct members ms = { 0 };
	uint64_t *lat = calloc(rounds, sizeof(*lat)), t0, t1, cpu0, cpu;
	uint32_t *req = calloc(groups, sizeof(*req));
	struct audience subscribers = { .ep = -1 };
	char group[16];
	unsigned int g, r, i;
	double med, max;
	int err = -1;

	if (!lat || !req || bench_relay_start(&br, b->relay_bin, ""))
		goto out_free;
	if (login_all(b, &br, &ms, groups * (subs + 1)) ||
	    audience_open(&subscribers, ms.m + groups, ms.n - groups))
		goto out;
	for (i = 0; i < ms.n; i++) {
		snprintf(group, sizeof(group), "group-%u", i % groups);
		if (member_subscribe(&ms.m[i], group))
			goto out;
	}
	cpu0 = bench_relay_cpu_ns(&br);
	t0 = bench_now_ns();
	for (r = 0; r < rounds; r++) {
		t1 = bench_now_ns();
		for (g = 0; g < groups; g++) {
			snprintf(group, sizeof(group), "group-%u", g);
			if (send_commit(b, &ms.m[g], group, r, &req[g]))
				goto out;
		}
		for (g = 0; g < groups; g++)
			if (wait_accepted(&ms.m[g], req[g]))
				goto out;
		lat[r] = bench_now_ns() - t1;
	}
	t1 = bench_now_ns() - t0;
	cpu = bench_relay_cpu_ns(&br) - cpu0;
	/* not timed: every subscriber got every commit */
	if (wait_events(&subscribers, rounds, &t0))
		goto out;
	stats(lat, rounds, &med, &max);
	printf("%-34s %6u %9.0f commits/s, round median %.2f ms max %.2f ms,"
	       " relay CPU %.3f ms/commit\n", groups == 1 ?
	       "ordering, 1 group" : "ordering, groups in parallel",
	       groups * rounds, (double)groups * rounds / ((double)t1 / 1e9),
	       med, max, ms_of(cpu) / (groups * rounds));
	printf("%-34s %6s groups %u, %u subscribers each, %u-byte commits\n",
	       "", "", groups, subs, COMMIT_BODY);
	err = 0;
out:
	audience_close(&subscribers);
	close_all(&ms);
	bench_relay_stop(&br, &cpu);
out_free:
	free(lat);
	free(req);
	return err;
}

/* One round of fan-out: the commit's send to the last receipt. */
static int fanout_round(struct bench *b, struct bench_relay *br,
			struct members *ms, struct audience *a, unsigned int r,
			uint64_t *lat, uint64_t *cpu)
{
	uint64_t t0, last, cpu0 = bench_relay_cpu_ns(br);
	uint32_t req;

	t0 = bench_now_ns();
	if (send_commit(b, &ms->m[0], "fan", r, &req) ||
	    wait_events(a, r + 1, &last))
		return -1;
	*lat = last - t0;
	*cpu = bench_relay_cpu_ns(br) - cpu0;
	return wait_accepted(&ms->m[0], req);
}

static int bench_fanout(struct bench *b, unsigned int rounds)
{
	struct bench_relay br;
	struct members ms = { 0 };
	uint64_t *lat = calloc(rounds, sizeof(*lat));
	uint64_t *cpu = calloc(rounds, sizeof(*cpu)), total;
	struct audience a = { .ep = -1 };
	char conf[64];
	double med, max, cmed, cmax;
	unsigned int i, r;
	int err = -1;

	snprintf(conf, sizeof(conf), "connections-max %u\n", b->members + 16);
	if (!lat || !cpu || bench_relay_start(&br, b->relay_bin, conf))
		goto out_free;
	/* member 0 commits; the others are the fan-out's audience */
	if (login_all(b, &br, &ms, b->members + 1))
		goto out;
	for (i = 0; i < ms.n; i++)
		if (member_subscribe(&ms.m[i], "fan"))
			goto out;
	if (audience_open(&a, ms.m + 1, ms.n - 1))
		goto out;
	for (r = 0; r < rounds; r++)
		if (fanout_round(b, &br, &ms, &a, r, &lat[r], &cpu[r]))
			goto out;
	stats(lat, rounds, &med, &max);
	stats(cpu, rounds, &cmed, &cmax);
	printf("%-34s %6u median %.2f ms max %.2f ms to the %uth receipt\n",
	       "fan-out, one commit", rounds, med, max, b->members);
	printf("%-34s %6u median %.2f ms max %.2f ms\n",
	       "fan-out, relay CPU per commit", rounds, cmed, cmax);
	err = 0;
out:
	audience_close(&a);
	close_all(&ms);
	bench_relay_stop(&br, &total);
out_free:
	free(lat);
	free(cpu);
	return err;
}

/* Both processes hold one descriptor per connection, and a few more. */
static int raise_fd_limit(unsigned int conns)
{
	struct rlimit rl;
	rlim_t need = conns + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		fprintf(stderr, "bench: %u connections need %lu descriptors;"
			" the hard limit is %lu\n", conns,
			(unsigned long)need, (unsigned long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

static void print_machine(void)
{
	char line[256], *model = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");
	struct utsname u;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) &&
		    (model = strchr(line, ':'))) {
			model += 2;
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	if (f)
		fclose(f);
	uname(&u);
	printf("machine: %s, %ld CPUs, Linux %s; store: SQLite WAL"
	       " synchronous=FULL in %s\n", model ? model : "unknown CPU",
	       sysconf(_SC_NPROCESSORS_ONLN), u.release,
	       getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	printf("%-34s %6s %s\n", "benchmark", "n", "result");
}

/* build/bin/mlsrelay-bench -> build/bin/mlsrelay */
static const char *default_relay(char *out, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", out, cap - 16);
	char *slash;

	if (n <= 0)
		return "mlsrelay";
	out[n] = '\0';
	slash = strrchr(out, '/');
	strcpy(slash ? slash + 1 : out, "mlsrelay");
	return out;
}

static int parse_args(struct bench *b, int argc, char **argv, char *path,
		      size_t cap)
{
	int i;

	b->relay_bin = default_relay(path, cap);
	b->members = 1000;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			b->quick = true;
		else if (!strcmp(argv[i], "--relay") && i + 1 < argc)
			b->relay_bin = argv[++i];
		else if (!strcmp(argv[i], "--members") && i + 1 < argc)
			b->members = (unsigned int)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			b->fanout_rounds =
				(unsigned int)strtoul(argv[++i], NULL, 10);
		else
			break;
	}
	if (!b->fanout_rounds)
		b->fanout_rounds = b->quick ? 5 : 20;
	if (i < argc || b->members < 1 || b->members > 100000 ||
	    b->fanout_rounds > 100000) {
		fprintf(stderr, "usage: mlsrelay-bench [--quick] [--relay PATH]"
			" [--members N (1..100000)] [--rounds N]\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct mls_suite *s = mls_suite_get(SUITE);
	struct bench b = { 0 };
	char path[PATH_MAX];
	unsigned int rounds;

	if (parse_args(&b, argc, argv, path, sizeof(path)))
		return 2;
	if (raise_fd_limit(b.members + 1))
		return 1;
	b.priv_len = s->sig_priv_len;
	b.pub_len = s->sig_pub_len;
	memset(b.body, 0xa5, sizeof(b.body));
	if (mls_sig_generate_keypair(NULL, s, b.priv, b.pub))
		return 1;
	rounds = b.quick ? 50 : 300;
	setvbuf(stdout, NULL, _IOLBF, 0);
	print_machine();
	if (bench_ordering(&b, 1, 10, rounds) ||
	    bench_ordering(&b, 8, 2, rounds / 4) ||
	    bench_fanout(&b, b.fanout_rounds))
		return 1;
	return 0;
}
