/*
 * test_job.c - the recovery-job dispatcher (restore/job.h): each mode on
 * the real Windows 11 set and on a streaming backup made from it, mixed
 * sets, progress, cancel, and nothing left behind after a failure.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "recover/recovery.h"
#include "restore/job.h"
#include "synth/backupset.h"
#include "testutil.h"

#define SET "srum-win11-dirty"
#define PS 4096

/* Soft recovery of the real set by recovery.h: the bytes every mode must
 * reproduce (a hard restore adds the zeroed trailer page). */
static uint8_t *g_soft;
static size_t g_soft_len;

static void soft_reference(void)
{
	jr_recovery_opts o;
	jr_recovery_summary sum;
	jr_errinfo ei;
	char *root, *db;

	if (g_soft)
		return;
	root = jr_test_tmpdir("job-reference");
	db = jr_test_data(SET, "SRUDB.dat");
	jr_recovery_opts_init(&o);
	o.db_path = db;
	o.out_dir = root;
	jr_errinfo_clear(&ei);
	if (jr_recover_database(&o, &sum, &ei) < 0)
		fail_msg("recover: %d %s", ei.err, ei.detail);
	g_soft = jr_test_slurp(sum.out_path, &g_soft_len);
	g_free(db);
	g_free(root);
}

static void assert_soft_result(const char *path, bool hard)
{
	size_t len;
	uint8_t *b;

	soft_reference();
	b = jr_test_slurp(path, &len);
	assert_int_equal(len, g_soft_len + (hard ? PS : 0));
	assert_memory_equal(b, g_soft, g_soft_len);
	for (size_t i = g_soft_len; i < len; i++)
		assert_int_equal(b[i], 0);
	g_free(b);
}

static unsigned dir_count(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	unsigned n = 0;

	assert_non_null(d);
	while (g_dir_read_name(d))
		n++;
	g_dir_close(d);
	return n;
}

/* A streaming backup of the real set (genLow 0x59 .. genHigh 0x5C). */
static char *make_backup(const char *root)
{
	char *bk = g_build_filename(root, "backup", NULL);
	jr_bkset_params bp;

	assert_int_equal(g_mkdir(bk, 0755), 0);
	memset(&bp, 0, sizeof(bp));
	bp.set_dir = jr_test_data(SET, NULL);
	bp.db_name = "SRUDB.dat";
	bp.base = "SRU";
	bp.backup_dir = bk;
	assert_int_equal(jr_bkset_build(&bp, NULL, NULL), 0);
	g_free((char *)bp.set_dir);
	return bk;
}

static char *make_out(const char *root)
{
	char *out = g_build_filename(root, "out", NULL);

	assert_int_equal(g_mkdir(out, 0755), 0);
	return out;
}

struct progress_log {
	unsigned n, last;
	bool monotonic;
	char last_phase[16];
	unsigned stop_at;        /* return false at this call (1-based) */
};

static bool on_progress(const jr_job_progress *pr, void *ctx)
{
	struct progress_log *l = ctx;

	if (l->n && pr->percent < l->last)
		l->monotonic = false;
	assert_true(pr->percent <= 100);
	l->last = pr->percent;
	snprintf(l->last_phase, sizeof(l->last_phase), "%s",
		 pr->phase ? pr->phase : "");
	l->n++;
	return !(l->stop_at && l->n == l->stop_at);
}

static JET_ERR run(const char *bk, const char *out, jr_mode mode,
		   const char *old, const char *nw, struct progress_log *l,
		   jr_errinfo *ei)
{
	jr_job_params p;
	jr_job_map m = { old, nw };

	memset(&p, 0, sizeof(p));
	p.backup_dir = bk;
	p.out_dir = out;
	p.mode = mode;
	if (old) {
		p.map = &m;
		p.n_map = 1;
	}
	if (l) {
		unsigned stop_at = l->stop_at;

		memset(l, 0, sizeof(*l));
		l->stop_at = stop_at;
		l->monotonic = true;
		p.progress = on_progress;
		p.progress_ctx = l;
	}
	jr_errinfo_clear(ei);
	return jr_job_run(&p, ei);
}

static void test_hard(void **state)
{
	char *root = jr_test_tmpdir("job-hard");
	char *bk = make_backup(root), *out = make_out(root), *t;
	struct progress_log l = { 0 };
	jr_errinfo ei;

	(void)state;
	if (run(bk, out, JR_MODE_HARD, "SRUDB.dat", "x.edb", &l, &ei) < 0)
		fail_msg("job: %d %s", ei.err, ei.detail);
	assert_int_equal(dir_count(out), 1);
	t = g_build_filename(out, "x.edb", NULL);
	assert_soft_result(t, true);
	assert_true(l.n >= 3);
	assert_true(l.monotonic);
	assert_int_equal(l.last, 100);
	assert_string_equal(l.last_phase, "done");
	/* The same set the auto way: hard again. */
	assert_int_equal(g_unlink(t), 0);
	assert_int_equal(run(bk, out, JR_MODE_AUTO, NULL, NULL, NULL, &ei), 0);
	g_free(t);
	t = g_build_filename(out, "SRUDB.dat", NULL);
	assert_soft_result(t, true);
	g_free(t);
	g_free(bk);
	g_free(out);
	g_free(root);
}

static void test_soft(void **state)
{
	char *root = jr_test_tmpdir("job-soft");
	char *bk = jr_test_data(SET, NULL), *out = make_out(root), *t;
	struct progress_log l = { 0 };
	jr_errinfo ei;

	(void)state;
	if (run(bk, out, JR_MODE_SOFT, "SRUDB.dat", "r.edb", &l, &ei) < 0)
		fail_msg("job: %d %s", ei.err, ei.detail);
	/* Only the result: the staging directory is gone. */
	assert_int_equal(dir_count(out), 1);
	t = g_build_filename(out, "r.edb", NULL);
	assert_soft_result(t, false);
	assert_true(l.monotonic);
	assert_int_equal(l.last, 100);
	assert_int_equal(g_unlink(t), 0);
	/* auto picks soft for a database without backup info. */
	assert_int_equal(run(bk, out, JR_MODE_AUTO, "SRUDB.dat", "r.edb", NULL,
			     &ei), 0);
	assert_soft_result(t, false);
	g_free(t);
	g_free(bk);
	g_free(out);
	g_free(root);
}

static void test_mode_mismatch(void **state)
{
	char *root = jr_test_tmpdir("job-mismatch");
	char *bk = make_backup(root), *out = make_out(root);
	char *real = jr_test_data(SET, NULL);
	jr_errinfo ei;

	(void)state;
	/* Hard on a live database: -615. Soft on a streaming copy: -544. */
	assert_int_equal(run(real, out, JR_MODE_HARD, NULL, NULL, NULL, &ei),
			 JET_errRestoreOfNonBackupDatabase);
	assert_int_equal(dir_count(out), 0);
	assert_int_equal(run(bk, out, JR_MODE_SOFT, NULL, NULL, NULL, &ei),
			 JET_errSoftRecoveryOnBackupDatabase);
	assert_int_equal(dir_count(out), 0);
	g_free(real);
	g_free(bk);
	g_free(out);
	g_free(root);
}

/* A backup directory holding a streaming copy and a live database of the
 * same log set: auto restores the first and recovers the second. */
static char *make_mixed(const char *root)
{
	char *bk = make_backup(root);
	char *src = jr_test_data(SET, "SRUDB.dat");
	char *live = g_build_filename(bk, "live.dat", NULL);

	jr_test_copy(src, live);
	g_free(src);
	g_free(live);
	return bk;
}

static void test_auto_mixed(void **state)
{
	char *root = jr_test_tmpdir("job-mixed");
	char *bk = make_mixed(root), *out = make_out(root), *t;
	struct progress_log l = { 0 };
	jr_errinfo ei;

	(void)state;
	if (run(bk, out, JR_MODE_AUTO, NULL, NULL, &l, &ei) < 0)
		fail_msg("job: %d %s", ei.err, ei.detail);
	assert_int_equal(dir_count(out), 2);
	t = g_build_filename(out, "SRUDB.dat", NULL);
	assert_soft_result(t, true);
	g_free(t);
	t = g_build_filename(out, "live.dat", NULL);
	assert_soft_result(t, false);
	g_free(t);
	assert_true(l.monotonic);
	assert_int_equal(l.last, 100);
	g_free(bk);
	g_free(out);
	g_free(root);
}

static void test_auto_mixed_failure(void **state)
{
	char *root = jr_test_tmpdir("job-mixed-fail");
	char *bk = make_mixed(root), *out = make_out(root), *copy;
	struct stat st;
	jr_errinfo ei;

	(void)state;
	/* The streaming copy's trailer is damaged: the soft half succeeds
	 * first, the hard half fails; nothing may be left. */
	copy = g_build_filename(bk, "SRUDB.dat", NULL);
	assert_int_equal(stat(copy, &st), 0);
	assert_int_equal(jr_bkset_flip(copy, (uint64_t)st.st_size - PS + 60,
				       0x10, NULL), 0);
	assert_int_equal(run(bk, out, JR_MODE_AUTO, NULL, NULL, NULL, &ei),
			 JET_errBadPatchPage);
	assert_int_equal(dir_count(out), 0);
	g_free(copy);
	g_free(bk);
	g_free(out);
	g_free(root);
}

static void test_cancel(void **state)
{
	char *root = jr_test_tmpdir("job-cancel");
	char *bk = make_backup(root), *out = make_out(root);
	struct progress_log l;
	jr_job_params p;
	atomic_bool cancel = true;
	jr_errinfo ei;

	(void)state;
	/* The callback says stop at its second report. */
	l.stop_at = 2;
	assert_int_equal(run(bk, out, JR_MODE_HARD, NULL, NULL, &l, &ei),
			 JR_ERR_CANCELLED);
	assert_int_equal(dir_count(out), 0);
	/* The flag set before the start. */
	memset(&p, 0, sizeof(p));
	p.backup_dir = bk;
	p.out_dir = out;
	p.cancel = &cancel;
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_job_run(&p, &ei), JR_ERR_CANCELLED);
	assert_int_equal(dir_count(out), 0);
	g_free(bk);
	g_free(out);
	g_free(root);
}

/* Soft recovery cancelled from another thread while it replays: the job
 * stops inside the database, at the next progress check, and leaves
 * nothing. */
struct soft_cancel {
	atomic_bool cancel;
	unsigned calls;          /* reports seen */
	unsigned redo_calls;     /* "redo" reports seen */
	unsigned header_calls;   /* "header" (end of replay) reports seen */
};

static gpointer set_cancel(gpointer data)
{
	struct soft_cancel *c = data;

	atomic_store(&c->cancel, true);
	return NULL;
}

/* The first report ("copy") comes just before jr_recover_database(): the
 * flag is then set by another thread, so the stop can only come from the
 * replay's own check. */
static bool cancel_after_first(const jr_job_progress *pr, void *ctx)
{
	struct soft_cancel *c = ctx;

	if (pr->phase && !strcmp(pr->phase, "redo"))
		c->redo_calls++;
	if (pr->phase && !strcmp(pr->phase, "header"))
		c->header_calls++;
	if (c->calls++ == 0)
		g_thread_join(g_thread_new("cancel", set_cancel, c));
	return true;   /* only the flag asks to stop */
}

static void test_cancel_soft_inside(void **state)
{
	char *root = jr_test_tmpdir("job-cancel-soft");
	char *bk = jr_test_data(SET, NULL), *out = make_out(root);
	struct soft_cancel c;
	jr_job_params p;
	jr_errinfo ei;

	(void)state;
	memset(&c, 0, sizeof(c));
	atomic_init(&c.cancel, false);
	memset(&p, 0, sizeof(p));
	p.backup_dir = bk;
	p.out_dir = out;
	p.mode = JR_MODE_SOFT;
	p.cancel = &c.cancel;
	p.progress = cancel_after_first;
	p.progress_ctx = &c;
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_job_run(&p, &ei), JR_ERR_CANCELLED);
	assert_int_equal(JR_ERR_CANCELLED, -1000);
	/* Stopped at the first record: no generation reported, the end of
	 * the replay ("header") never reached; without the hook the whole
	 * database would be recovered first. */
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.redo_calls, 0);
	assert_int_equal(c.header_calls, 0);
	assert_non_null(strstr(ei.detail, "cancelled"));
	assert_int_equal(dir_count(out), 0);
	g_free(bk);
	g_free(out);
	g_free(root);
}

static void test_params(void **state)
{
	char *root = jr_test_tmpdir("job-params");
	char *bk = make_backup(root), *out = make_out(root);
	char *missing = g_build_filename(root, "missing", NULL);
	jr_errinfo ei;

	(void)state;
	assert_int_equal(run(bk, NULL, JR_MODE_AUTO, NULL, NULL, NULL, &ei),
			 JET_errInvalidParameter);
	assert_int_equal(run(bk, out, JR_MODE_AUTO, "SRUDB.dat", "a/b.edb",
			     NULL, &ei), JET_errInvalidParameter);
	assert_int_equal(run(bk, missing, JR_MODE_AUTO, NULL, NULL, NULL, &ei),
			 JET_errFileNotFound);
	assert_int_equal(run(bk, out, JR_MODE_AUTO, "nothere.edb", "x", NULL,
			     &ei), JET_errFileNotFound);
	assert_int_equal(dir_count(out), 0);
	g_free(missing);
	g_free(bk);
	g_free(out);
	g_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hard),
		cmocka_unit_test(test_soft),
		cmocka_unit_test(test_mode_mismatch),
		cmocka_unit_test(test_auto_mixed),
		cmocka_unit_test(test_auto_mixed_failure),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_cancel_soft_inside),
		cmocka_unit_test(test_params),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	g_free(g_soft);
	return rc;
}
