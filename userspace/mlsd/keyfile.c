// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyfile.h"

#define B64 sodium_base64_VARIANT_ORIGINAL

int mlsd_tagged_format(const char *tag, const char *field, const uint8_t *bin,
		       size_t len, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s:%s:", tag, field);
	size_t need;

	if (n < 0 || (size_t)n >= cap)
		return -1;
	need = sodium_base64_encoded_len(len, B64);
	if (cap - (size_t)n < need)
		return -1;
	sodium_bin2base64(out + n, cap - (size_t)n, bin, len, B64);
	return 0;
}

int mlsd_tagged_parse(const char *where, const char *line, const char *tag,
		      char *field, size_t fieldcap, uint8_t *bin,
		      size_t bincap, size_t *binlen, struct mlsd_err *e)
{
	size_t tl = strlen(tag), fl, bl;
	const char *f, *colon, *end;

	if (strncmp(line, tag, tl) || line[tl] != ':') {
		colon = strchr(line, ':');
		if (colon && colon - line < 32)
			return mlsd_errf(e, "%s: holds \"%.*s\", expected \"%s\"",
					 where, (int)(colon - line), line, tag);
		return mlsd_errf(e, "%s: not a \"%s\" line", where, tag);
	}
	f = line + tl + 1;
	colon = strchr(f, ':');
	if (!colon)
		return mlsd_errf(e, "%s: missing ':' after the %s field", where,
				 tag);
	fl = (size_t)(colon - f);
	if (fl == 0 || fl >= fieldcap)
		return mlsd_errf(e, "%s: empty or too long field after \"%s:\"",
				 where, tag);
	memcpy(field, f, fl);
	field[fl] = '\0';
	bl = strlen(colon + 1);
	if (sodium_base642bin(bin, bincap, colon + 1, bl, NULL, binlen, &end,
			      B64) || end != colon + 1 + bl)
		return mlsd_errf(e, "%s: bad base64 (or too long)", where);
	return 0;
}

bool mlsd_fd_too_open(int fd, unsigned int *mode)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return false;
	*mode = st.st_mode & 07777;
	return (st.st_mode & 077) != 0;
}

/* Read everything (at most cap - 1 bytes) and check it is one line. */
static int read_one_line(int fd, const char *path, char *line, size_t cap,
			 struct mlsd_err *e)
{
	size_t len = 0;
	ssize_t n;
	char *nl;

	for (;;) {
		char extra;

		/* full: only the end of the file may follow */
		n = len == cap - 1 ? read(fd, &extra, 1) :
				     read(fd, line + len, cap - 1 - len);
		if (n > 0 && len == cap - 1)
			return mlsd_errf(e, "%s: longer than %zu bytes", path,
					 cap - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mlsd_errf(e, "%s: %s", path, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	line[len] = '\0';
	if (strlen(line) != len)
		return mlsd_errf(e, "%s: contains a NUL byte", path);
	nl = strchr(line, '\n');
	if (nl && nl[1])
		return mlsd_errf(e, "%s: more than one line", path);
	if (nl)
		*nl = '\0';
	if (!line[0])
		return mlsd_errf(e, "%s: empty", path);
	return 0;
}

int mlsd_file_read_line(const char *path, bool secret, char *line, size_t cap,
			struct mlsd_err *e)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	unsigned int mode;
	int fd, err;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mlsd_errf(e, "%s: %s", path, strerror(errno));
	if (secret && mlsd_fd_too_open(fd, &mode)) {
		if (!is_stdin)
			close(fd);
		if (is_stdin)
			return mlsd_errf(e, "%s: private key is accessible by group or others (mode %04o); chmod 600 the file",
					 name, mode);
		return mlsd_errf(e, "%s: private key is accessible by group or others (mode %04o); run chmod 600 %s",
				 name, mode, name);
	}
	err = read_one_line(fd, name, line, cap, e);
	if (!is_stdin)
		close(fd);
	return err;
}

int mlsd_file_write_new(const char *path, const char *line, bool secret,
			struct mlsd_err *e)
{
	size_t len = strlen(line), off = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		  secret ? 0600 : 0644);
	if (fd < 0)
		return mlsd_errf(e, "%s: %s", path, strerror(errno));
	while (off < len + 1) {
		n = off < len ? write(fd, line + off, len - off) :
				write(fd, "\n", 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mlsd_errf(e, "%s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		off += (size_t)n;
	}
	if (close(fd))
		return mlsd_errf(e, "%s: %s", path, strerror(errno));
	return 0;
}
