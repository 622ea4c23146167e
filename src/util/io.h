/*
 * io.h - reading input files without ever changing them, and writing outputs
 * atomically.
 *
 * Inputs (evidence) are opened O_RDONLY only. Outputs are written under a
 * temporary name in the destination directory, fsync'd and renamed into
 * place, so a reader sees either nothing or the complete file.
 */
#ifndef JR_UTIL_IO_H
#define JR_UTIL_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/errinfo.h"

/* Open path read-only. -1811 FileNotFound, -1032 FileAccessDenied,
 * -1023 InvalidPath (a directory or other non-file), -1022 DiskIO. */
JET_ERR jr_open_ro(const char *path, int *fd_out, jr_errinfo *ei);

/* Size of an open file in bytes. */
JET_ERR jr_file_size(int fd, uint64_t *size_out, jr_errinfo *ei);

/* Read exactly len bytes at off. Reading past the end of the file fails with
 * `short_err` (each format names its own: -501 for a log, -1206 for a
 * database...); an I/O error gives -1022 DiskIO. */
JET_ERR jr_pread_full(int fd, void *buf, size_t len, uint64_t off,
		      JET_ERR short_err, jr_errinfo *ei);

/* Write exactly len bytes at off (-1808 DiskFull, -1022 DiskIO). */
JET_ERR jr_pwrite_full(int fd, const void *buf, size_t len, uint64_t off,
		       jr_errinfo *ei);

#endif /* JR_UTIL_IO_H */
