/*
 * fake_job.c - a test double of jr_job_run() (restore/job.h), linked ONLY
 * into the test build of the file system (tests/fuse/jetrestorefs-fake)
 * and the test job runner, never into fuse/jetrestorefs.
 *
 * It keeps the seam's contract so that the FUSE layer's own behaviour
 * (scheduling, waiting, cancel, cache, sizes) can be tested without the
 * engines:
 *  - one output <out_dir>/<new_name> per map entry, written under a
 *    temporary name and renamed; nothing left behind on failure/cancel;
 *  - the "recovered" bytes are the database followed by one 4096-byte
 *    trailer page naming the source, name and parameters: the output is
 *    larger than the input (as a redo that extends a file) and differs
 *    for different parameters;
 *  - mode hard refuses a database without external-backup info in its
 *    header with -615, as the real job does;
 *  - progress per 64 KiB ("redo"), cancel through the flag or callback.
 * Knobs (environment):
 *   JRFS_FAKE_JOB_LOG=FILE        append "old new mode" per call (tests
 *                                 count recoveries independently of the
 *                                 file system's own counters)
 *   JRFS_FAKE_CHUNK_DELAY_MS=N    sleep N ms per 64 KiB
 *   JRFS_FAKE_FAIL=ERR            fail every call with JET_ERR ERR
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ese/dbheader.h"
#include "restore/job.h"
#include "util/io.h"

#define CHUNK 65536

static const char *mode_name(jr_mode m)
{
	return m == JR_MODE_HARD ? "hard" : m == JR_MODE_SOFT ? "soft" : "auto";
}

static void log_call(const jr_job_params *p, const char *old, const char *new)
{
	const char *path = getenv("JRFS_FAKE_JOB_LOG");
	char *line;
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	line = g_strdup_printf("%s %s %s\n", old, new, mode_name(p->mode));
	if (write(fd, line, strlen(line)) < 0)
		perror("fake job log");
	g_free(line);
	close(fd);
}

static bool cancelled(const jr_job_params *p, const jr_job_progress *pr)
{
	if (p->cancel && atomic_load(p->cancel))
		return true;
	return p->progress && !p->progress(pr, p->progress_ctx);
}

static JET_ERR fake_one(const jr_job_params *p, const char *old,
			const char *new, jr_errinfo *ei)
{
	char *src = g_build_filename(p->backup_dir, old, NULL);
	char *tmp = g_strdup_printf("%s/.fake-%s.tmp", p->out_dir, new);
	char *dst = g_build_filename(p->out_dir, new, NULL);
	const char *delay = getenv("JRFS_FAKE_CHUNK_DELAY_MS");
	unsigned delay_ms = delay ? (unsigned)atoi(delay) : 0;
	ese_dbheader_read_result hdr;
	jr_job_progress pr = { .database = new, .phase = "copy" };
	uint8_t *buf = g_malloc(CHUNK);
	uint64_t size, off = 0;
	int in = -1, out = -1;
	JET_ERR err;

	err = jr_open_ro(src, &in, ei);
	if (err)
		goto out;
	err = ese_dbheader_read_fd(in, &hdr, ei);
	if (err)
		goto out;
	if (p->mode == JR_MODE_HARD && ese_bkinfo_is_zero(&hdr.hdr.bk_full_cur) &&
	    ese_bkinfo_is_zero(&hdr.hdr.bk_snapshot_cur)) {
		err = jr_fail(ei, JET_errRestoreOfNonBackupDatabase,
			      "%s carries no external-backup information", old);
		goto out;
	}
	err = jr_file_size(in, &size, ei);
	if (err)
		goto out;
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (cancelled(p, &pr)) {
		err = jr_fail(ei, JR_ERR_CANCELLED, "cancelled");
		goto out;
	}
	pr.phase = "redo";
	while (off < size) {
		size_t n = (size_t)MIN((uint64_t)CHUNK, size - off);

		err = jr_pread_full(in, buf, n, off, JET_errDatabaseCorrupted, ei);
		if (!err)
			err = jr_pwrite_full(out, buf, n, off, ei);
		if (err)
			goto out;
		off += n;
		if (delay_ms)
			g_usleep(delay_ms * 1000ul);
		pr.percent = (unsigned)(off * 99 / size);
		pr.records = off / 4096;
		pr.gen = hdr.hdr.gen_max_required;
		if (cancelled(p, &pr)) {
			err = jr_fail(ei, JR_ERR_CANCELLED, "cancelled at %llu",
				      (unsigned long long)off);
			goto out;
		}
	}
	/* The trailer page: what this "recovery" was asked. */
	memset(buf, 0, 4096);
	g_snprintf((char *)buf, 4096,
		   "FAKE RECOVERY\nsource %s\nname %s\nmode %s\nloginfo %u %u %s\ntarget %s %s\n",
		   old, new, mode_name(p->mode), p->gen_low, p->gen_high,
		   p->base_name, p->target_log_dir ? p->target_log_dir : "-",
		   p->target_checkpoint_dir ? p->target_checkpoint_dir : "-");
	err = jr_pwrite_full(out, buf, 4096, size, ei);
	if (err)
		goto out;
	if (fsync(out) != 0 || close(out) != 0) {
		out = -1;
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	out = -1;
	if (rename(tmp, dst) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", dst, strerror(errno));
		goto out;
	}
	pr.phase = "done";
	pr.percent = 100;
	if (p->progress)
		p->progress(&pr, p->progress_ctx);
out:
	if (out >= 0)
		close(out);
	if (err)
		unlink(tmp);
	if (in >= 0)
		close(in);
	g_free(buf);
	g_free(src);
	g_free(tmp);
	g_free(dst);
	return err;
}

JET_ERR jr_job_run(const jr_job_params *p, jr_errinfo *ei)
{
	const char *fail = getenv("JRFS_FAKE_FAIL");
	JET_ERR err = JET_errSuccess;

	if (!p || !p->backup_dir || !p->out_dir || (p->n_map && !p->map))
		return jr_fail(ei, JET_errInvalidParameter, "fake job: bad parameters");
	if (!!p->target_log_dir != !!p->target_checkpoint_dir)
		return jr_fail(ei, JET_errInvalidParameter,
			       "target log and checkpoint directories go together");
	if (!p->n_map)
		return jr_fail(ei, JET_errInvalidParameter,
			       "the fake job needs a restore map");
	for (size_t i = 0; i < p->n_map && !err; i++) {
		log_call(p, p->map[i].old_name, p->map[i].new_name);
		if (fail && atoi(fail) < 0)
			return jr_fail(ei, atoi(fail), "fake failure requested");
		err = fake_one(p, p->map[i].old_name, p->map[i].new_name, ei);
	}
	return err;
}
