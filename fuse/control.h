/*
 * control.h - the files of /.restore/: values to read and write (rstmap,
 * loginfo, target, mode), actions (start, cancel) and reports (status,
 * status.json, result, log).
 *
 * A value file behaves like a small text file: a reader sees the current
 * value; a writer's text (everything written through its open file, from
 * offset 0) replaces the value at every write(2), so `echo ... > file`
 * and `printf ... > file` work and a bad value fails that write with
 * EINVAL. The shell writes a multi-line text one line per write(2): each
 * prefix is applied as it comes, and when a later line makes the text
 * invalid, the value goes back to what it was when the file was opened
 * and the writer's further writes fail too, so a refused write never
 * leaves half a value. (A map that swaps two databases' names is only
 * valid whole: write it in one write(2), e.g. with cat.) Opening with
 * O_TRUNC and closing without writing sets the empty value (`: > rstmap`
 * clears the map). An action file acts on the words of each write. A
 * report is a snapshot taken when the file is opened.
 *
 * Every write records its outcome in `result` (0 on success; -1003
 * JET_errInvalidParameter and the reason on bad input) and in `log`.
 */
#ifndef JR_FUSE_CONTROL_H
#define JR_FUSE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "jobs.h"
#include "jrfs.h"

typedef enum {
	JRFS_CTL_RSTMAP,
	JRFS_CTL_LOGINFO,
	JRFS_CTL_TARGET,
	JRFS_CTL_MODE,
	JRFS_CTL_START,
	JRFS_CTL_CANCEL,
	JRFS_CTL_STATUS,
	JRFS_CTL_STATUS_JSON,
	JRFS_CTL_RESULT,
	JRFS_CTL_LOG,
	JRFS_CTL_COUNT
} jrfs_ctl;

/* Name of control file ctl ("rstmap"...). */
const char *jrfs_ctl_name(int ctl);
/* The control file called name, or -1. */
int jrfs_ctl_lookup(const char *name);
/* Permission bits: 0644 values, 0200 actions, 0444 reports. */
unsigned jrfs_ctl_mode(int ctl);
bool jrfs_ctl_readable(int ctl);
bool jrfs_ctl_writable(int ctl);

/* The text a reader of ctl sees now (a new GString; "" for actions). */
GString *jrfs_ctl_render(jrfs *fs, int ctl);

/* A writer opened ctl: its buffer starts with the current value unless
 * truncated (O_TRUNC), like a regular file's content. */
void jrfs_ctl_open_write(jrfs *fs, jrfs_handle *h, bool truncate);

/* write(2) of size bytes at off through h: returns size, or -EINVAL (the
 * value is then unchanged), -EFBIG beyond JRFS_CONTROL_MAX. */
int jrfs_ctl_write(jrfs *fs, jrfs_handle *h, const char *buf, size_t size,
		   off_t off);

/* truncate through h (fi) or by path (h NULL): sets the text's length;
 * applied like a write. Returns 0 or -EINVAL. */
int jrfs_ctl_truncate(jrfs *fs, int ctl, jrfs_handle *h, off_t size);

/* close(2) of a writer that truncated and has written nothing: the empty
 * value is applied (0 or -EINVAL). Not for `mode`, where empty text is
 * invalid: the shell's `echo x > mode` closes a duplicate descriptor
 * before it writes, and that must not fail. */
int jrfs_ctl_flush(jrfs *fs, jrfs_handle *h);

/* The last close: a writer that truncated and never wrote nor applied
 * anything sets the empty value now (a refusal shows only in `result` and
 * `log`: nobody waits for a release). */
void jrfs_ctl_release(jrfs *fs, jrfs_handle *h);

#endif
