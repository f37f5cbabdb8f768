// SPDX-License-Identifier: MIT
/*
 * One control connection: TLS over a non-blocking socket, the frame
 * reader, the output queue and the per-connection limits. A frame is read
 * in two steps (header, then exactly its payload), so the input buffer
 * never holds more than one frame of at most frame-max bytes, and a bad
 * header is refused before its payload is read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	ssize_t n = send(*(int *)ctx, buf, len, MSG_NOSIGNAL);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	ssize_t n = recv(*(int *)ctx, buf, len, 0);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_READ;
	return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

uint64_t relay_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct conn *conn_new(struct relay *r, int fd)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	c->state = CONN_TLS;
	/* a connection that never authenticates must not hold a slot */
	c->deadline_ms = relay_now_ms() + r->cfg.auth_timeout * 1000ull;
	mbedtls_ssl_init(&c->ssl);
	c->rx = malloc(RP_HDR_LEN + r->cfg.frame_max);
	if (!c->rx || mbedtls_ssl_setup(&c->ssl, &r->tls.conf)) {
		conn_free(c);
		return NULL;
	}
	mbedtls_ssl_set_bio(&c->ssl, &c->fd, bio_send, bio_recv, NULL);
	return c;
}

void conn_free(struct conn *c)
{
	mbedtls_ssl_free(&c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	free(c->rx);
	free(c->tx);
	free(c->groups);
	free(c);
}

static int tx_reserve(struct conn *c, size_t n)
{
	size_t cap = c->tx_cap ? c->tx_cap : 4096;
	uint8_t *p;

	while (cap - c->tx_len < n)
		cap *= 2;
	if (cap == c->tx_cap)
		return 0;
	p = realloc(c->tx, cap);
	if (!p)
		return -1;
	c->tx = p;
	c->tx_cap = cap;
	return 0;
}

int conn_send(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	long n = rp_encoded_len(f);
	size_t len;

	if (n < 0 || tx_reserve(c, (size_t)n) ||
	    rp_encode(f, c->tx + c->tx_len, c->tx_cap - c->tx_len, &len)) {
		relay_log("conn %d: cannot queue %s frame", c->fd,
			  rp_type_name(f->type));
		c->state = CONN_CLOSING;
		return -1;
	}
	c->tx_len += len;
	return 0;
}

/* Frames nobody asked for (fan-out): a full queue drops the reader. */
int conn_push(struct relay *r, struct conn *c, const struct rp_frame *f)
{
	if (c->state == CONN_CLOSING)
		return -1;
	if (c->tx_len > r->cfg.queue_max) {
		conn_error(r, c, 0, RP_C_SLOW, "output queue full");
		return -1;
	}
	return conn_send(r, c, f);
}

static bool code_is_fatal(uint16_t code)
{
	switch (code) {
	case RP_C_BAD_FRAME: case RP_C_VERSION: case RP_C_TOO_LARGE:
	case RP_C_UNEXPECTED: case RP_C_NOT_AUTHED: case RP_C_AUTH_FAILED:
	case RP_C_SLOW:
		return true;
	default:
		return false;
	}
}

void conn_error(struct relay *r, struct conn *c, uint32_t req_id,
		uint16_t code, const char *text)
{
	struct rp_frame f = { .type = RP_ERROR, .req_id = req_id,
			      .code = code };

	f.text = (struct rp_bytes){ (const uint8_t *)text,
				    strnlen(text, RP_MAX_TEXT) };
	conn_send(r, c, &f);
	if (code_is_fatal(code)) {
		relay_log("conn %d: closing: %s (%s)", c->fd,
			  rp_code_name(code), text);
		c->state = CONN_CLOSING;
		/* a peer that does not read its error is not waited for */
		c->deadline_ms = relay_now_ms() + r->cfg.auth_timeout * 1000ull;
	}
}

void conn_ok(struct relay *r, struct conn *c, uint32_t req_id)
{
	struct rp_frame f = { .type = RP_OK_FRAME, .req_id = req_id };

	conn_send(r, c, &f);
}

bool conn_subscribed(const struct conn *c, struct rp_bytes group)
{
	unsigned int i;

	for (i = 0; i < c->n_groups; i++)
		if (c->groups[i].len == group.len &&
		    !memcmp(c->groups[i].id, group.p, group.len))
			return true;
	return false;
}

static void send_challenge(struct relay *r, struct conn *c)
{
	struct rp_frame f = { .type = RP_CHALLENGE };

	if (tls_random(&r->tls, c->challenge, RP_CHALLENGE_LEN)) {
		c->state = CONN_CLOSING;
		return;
	}
	memcpy(f.challenge, c->challenge, RP_CHALLENGE_LEN);
	c->state = CONN_CHALLENGED;
	conn_send(r, c, &f);
}

/* false: the handshake failed and the connection is dead. */
static bool tls_step(struct relay *r, struct conn *c)
{
	int ret = mbedtls_ssl_handshake(&c->ssl);

	c->tls_want_write = ret == MBEDTLS_ERR_SSL_WANT_WRITE;
	if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
	    ret == MBEDTLS_ERR_SSL_WANT_WRITE)
		return true;
	if (ret)
		return false;
	send_challenge(r, c);
	return true;
}

static void handle_frame(struct relay *r, struct conn *c, size_t len)
{
	struct rp_frame f;
	int err = rp_decode(c->rx, len, r->cfg.frame_max, &f);

	if (err)
		conn_error(r, c, 0, RP_C_BAD_FRAME, rp_strerror(err));
	else if (rp_type_from_relay(f.type) ||
		 (f.type == RP_AUTH && c->state == CONN_AUTHED))
		conn_error(r, c, f.req_id, RP_C_UNEXPECTED, rp_type_name(f.type));
	else if (c->state == CONN_CHALLENGED && f.type != RP_AUTH)
		conn_error(r, c, f.req_id, RP_C_NOT_AUTHED, "auth first");
	else if (f.type == RP_AUTH)
		auth_handle(r, c, &f);
	else
		dispatch_frame(r, c, &f);
}

static uint16_t header_code(int err)
{
	switch (err) {
	case RP_E_VERSION: return RP_C_VERSION;
	case RP_E_TOO_LARGE: return RP_C_TOO_LARGE;
	default: return RP_C_BAD_FRAME;
	}
}

/* Bytes the next read may take: the rest of the header or of the frame. */
static size_t rx_wanted(struct relay *r, struct conn *c, bool *done)
{
	uint32_t req_id, plen;
	uint8_t type;
	int err;

	*done = false;
	if (c->rx_len < RP_HDR_LEN)
		return RP_HDR_LEN - c->rx_len;
	err = rp_decode_header(c->rx, RP_HDR_LEN, r->cfg.frame_max, &type,
			       &req_id, &plen);
	if (err) {
		conn_error(r, c, 0, header_code(err),
			   rp_strerror(err));
		return 0;
	}
	if (c->rx_len == RP_HDR_LEN + plen)
		*done = true;
	return RP_HDR_LEN + plen - c->rx_len;
}

/* Read and handle frames until TLS wants more input; false if dead. */
static bool read_frames(struct relay *r, struct conn *c)
{
	size_t want;
	bool done;
	int n;

	/* back-pressure: a client that does not read stops being read */
	while (c->state != CONN_CLOSING && c->tx_len <= r->cfg.queue_max) {
		want = rx_wanted(r, c, &done);
		if (done) {
			handle_frame(r, c, c->rx_len);
			c->rx_len = 0;
			continue;
		}
		if (!want)
			break;
		n = mbedtls_ssl_read(&c->ssl, c->rx + c->rx_len, want);
		if (n == MBEDTLS_ERR_SSL_WANT_READ ||
		    n == MBEDTLS_ERR_SSL_WANT_WRITE)
			return true;
		if (n <= 0)
			return false;
		c->rx_len += (size_t)n;
	}
	return true;
}

/* Send what is queued; false if the connection is dead. */
static bool flush(struct conn *c)
{
	int n;

	while (c->tx_len) {
		n = mbedtls_ssl_write(&c->ssl, c->tx, c->tx_len);
		if (n == MBEDTLS_ERR_SSL_WANT_WRITE ||
		    n == MBEDTLS_ERR_SSL_WANT_READ)
			return true;
		if (n <= 0)
			return false;
		memmove(c->tx, c->tx + n, c->tx_len - (size_t)n);
		c->tx_len -= (size_t)n;
	}
	return true;
}

static bool after_io(struct conn *c)
{
	if (!flush(c))
		return false;
	return !(c->state == CONN_CLOSING && !c->tx_len);
}

bool conn_on_readable(struct relay *r, struct conn *c)
{
	char sink[256];

	if (c->state == CONN_TLS && !tls_step(r, c))
		return false;
	if (c->state == CONN_CLOSING) {
		/* the peer is gone when its socket reads EOF */
		if (recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT) == 0)
			return false;
	} else if (c->state != CONN_TLS && !read_frames(r, c)) {
		return false;
	}
	return after_io(c);
}

bool conn_on_writable(struct relay *r, struct conn *c)
{
	if (c->state == CONN_TLS)
		return tls_step(r, c) && after_io(c);
	if (!after_io(c))
		return false;
	/* the queue drained: resume input held back by back-pressure */
	if (!c->tx_len && c->state != CONN_CLOSING)
		return read_frames(r, c) && after_io(c);
	return true;
}

/*
 * Past its deadline: a connection still unauthenticated gets
 * not-authenticated (and its linger time); one still closing is dropped.
 * Returns false when the connection is to be freed now.
 */
bool conn_on_deadline(struct relay *r, struct conn *c, uint64_t now)
{
	if (!c->deadline_ms || now < c->deadline_ms)
		return true;
	if (c->state == CONN_CLOSING || c->state == CONN_TLS)
		return false;
	conn_error(r, c, 0, RP_C_NOT_AUTHED, "auth timeout");
	return after_io(c);
}

/*
 * A back-pressured connection is not polled for input: its data would
 * stay unread and poll() would report it again at once, a busy loop.
 * Hang-ups are reported whatever the events asked for.
 */
bool conn_wants_read(const struct relay *r, const struct conn *c)
{
	return c->state == CONN_TLS || c->state == CONN_CLOSING ||
	       c->tx_len <= r->cfg.queue_max;
}

bool conn_wants_write(const struct conn *c)
{
	return c->tx_len > 0 || (c->state == CONN_TLS && c->tls_want_write);
}
