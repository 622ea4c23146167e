/*
 * io.c - read-only input access and full reads/writes with JET_ERR results.
 */
#include "util/io.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static JET_ERR jr_errno_to_jet(int e)
{
	switch (e) {
	case ENOENT:
		return JET_errFileNotFound;
	case EACCES:
	case EPERM:
		return JET_errFileAccessDenied;
	case ENOTDIR:
	case EISDIR:
	case ENAMETOOLONG:
	case ELOOP:
		return JET_errInvalidPath;
	case ENOSPC:
	case EDQUOT:
		return JET_errDiskFull;
	case ENOMEM:
		return JET_errOutOfMemory;
	default:
		return JET_errDiskIO;
	}
}

JET_ERR jr_open_ro(const char *path, int *fd_out, jr_errinfo *ei)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return jr_fail(ei, jr_errno_to_jet(errno), "%s: %s", path,
			       strerror(errno));
	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return jr_fail(ei, jr_errno_to_jet(e), "%s: %s", path,
			       strerror(e));
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		close(fd);
		return jr_fail(ei, JET_errInvalidPath, "%s: not a regular file",
			       path);
	}
	*fd_out = fd;
	return JET_errSuccess;
}

JET_ERR jr_file_size(int fd, uint64_t *size_out, jr_errinfo *ei)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return jr_fail(ei, jr_errno_to_jet(errno), "fstat: %s",
			       strerror(errno));
	*size_out = (uint64_t)st.st_size;
	return JET_errSuccess;
}

JET_ERR jr_pread_full(int fd, void *buf, size_t len, uint64_t off,
		      JET_ERR short_err, jr_errinfo *ei)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return jr_fail(ei, jr_errno_to_jet(errno),
				       "read at offset %llu: %s",
				       (unsigned long long)off, strerror(errno));
		}
		if (n == 0)
			return jr_fail(ei, short_err,
				       "file ends before offset %llu",
				       (unsigned long long)(off + len));
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return JET_errSuccess;
}

JET_ERR jr_pwrite_full(int fd, const void *buf, size_t len, uint64_t off,
		       jr_errinfo *ei)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return jr_fail(ei, jr_errno_to_jet(errno),
				       "write at offset %llu: %s",
				       (unsigned long long)off, strerror(errno));
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return JET_errSuccess;
}
