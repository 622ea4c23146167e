/*
 * test_extrestore.c - JetExternalRestore2 on streaming-backup sets built
 * from the real Windows 11 SRUM set (tests/synth/backupset.h): each error of
 * the manual (jetrestore.h) on its own minimal case, and what a restore
 * leaves behind.
 *
 * The backup: SRUDB.dat of srum-win11-dirty with bkinfoFullCur {mark
 * (0x59,1,0), genLow 0x59, genHigh 0} and the trailer page appended
 * (genLow 0x59, genHigh 0x5C, min/max required 0x5C), logs
 * SRU00059.log..SRU0005C.log (0x5C is the set's SRU.log).
 *
 * After every call: the backup directory is byte-for-byte unchanged, and
 * a failed call left nothing in the target directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ese/checksum.h"
#include "ese/logreader.h"
#include "recover/lrdecode.h"
#include "recover/recovery.h"
#include "restore/extrestore.h"
#include "synth/backupset.h"
#include "fixture.h"
#include "testutil.h"

#define SET "srum-win11-dirty"
#define SRU_PATH "C:\\Windows\\system32\\SRU\\SRUDB.dat"
#define PS 4096

typedef struct {
	char *root;       /* test directory */
	char *bk;         /* backup directory */
	char *out;        /* target (szLogPath) */
	char *tgt;        /* target-instance log + checkpoint directory */
	char *hash;       /* of the backup directory after building it */
} fx;

static void fx_init(fx *f, const char *name, uint32_t lo, uint32_t hi,
		    bool target)
{
	jr_bkset_params bp;
	jr_errinfo ei;

	memset(f, 0, sizeof(*f));
	f->root = jr_test_tmpdir(name);
	f->bk = g_build_filename(f->root, "backup", NULL);
	f->out = g_build_filename(f->root, "out", NULL);
	assert_int_equal(g_mkdir(f->bk, 0755), 0);
	assert_int_equal(g_mkdir(f->out, 0755), 0);
	memset(&bp, 0, sizeof(bp));
	bp.set_dir = jr_test_data(SET, NULL);
	bp.db_name = "SRUDB.dat";
	bp.base = "SRU";
	bp.backup_dir = f->bk;
	bp.gen_low = lo;
	bp.gen_high = hi;
	if (target) {
		f->tgt = g_build_filename(f->root, "target", NULL);
		assert_int_equal(g_mkdir(f->tgt, 0755), 0);
		bp.target_dir = f->tgt;
		bp.clear_circular = true;
	}
	jr_errinfo_clear(&ei);
	if (jr_bkset_build(&bp, NULL, &ei) < 0)
		fail_msg("backup set: %d %s", ei.err, ei.detail);
	g_free((char *)bp.set_dir);
	f->hash = jr_test_dir_hash(f->bk, NULL);
}

static void fx_free(fx *f)
{
	g_free(f->root);
	g_free(f->bk);
	g_free(f->out);
	g_free(f->tgt);
	g_free(f->hash);
}

static char *fx_path(const fx *f, const char *dir, const char *name)
{
	return g_build_filename(dir ? dir : f->bk, name, NULL);
}

/* After a call: the evidence is untouched; a failure left nothing. */
static void fx_after(const fx *f, JET_ERR err)
{
	char *h = jr_test_dir_hash(f->bk, NULL);

	assert_string_equal(h, f->hash);
	g_free(h);
	if (err < 0)
		assert_int_equal(jr_test_dir_count(f->out), 0);
}

static JET_LOGINFO li(uint32_t lo, uint32_t hi, const char *base)
{
	JET_LOGINFO l;

	memset(&l, 0, sizeof(l));
	l.cbSize = sizeof(l);
	l.ulGenLow = lo;
	l.ulGenHigh = hi;
	snprintf(l.szBaseName, sizeof(l.szBaseName), "%s", base);
	return l;
}

/* JetExternalRestore2 into f->out with the given range and map. */
static JET_ERR restore(const fx *f, JET_RSTMAP *map, long n, uint32_t lo,
		       uint32_t hi, bool target)
{
	JET_LOGINFO l = li(lo, hi, "SRU");
	JET_ERR err;

	err = JetExternalRestore2(f->out, f->out, map, n, f->bk, &l, NULL,
				  target ? f->tgt : NULL,
				  target ? f->tgt : NULL, NULL);
	fx_after(f, err);
	return err;
}

/* The same through jr_restore_run, for the error detail. */
static JET_ERR restore_ei(const fx *f, uint32_t lo, uint32_t hi,
			  bool target, jr_errinfo *ei)
{
	jr_restore_params p;
	JET_ERR err;

	memset(&p, 0, sizeof(p));
	p.backup_dir = f->bk;
	p.log_dir = f->out;
	p.out_dir = f->out;
	p.gen_low = lo;
	p.gen_high = hi;
	strcpy(p.base, "SRU");
	if (target) {
		p.target_log_dir = f->tgt;
		p.target_checkpoint_dir = f->tgt;
	}
	jr_errinfo_clear(ei);
	err = jr_restore_run(&p, NULL, ei);
	fx_after(f, err);
	return err;
}

static void other_db_hdr(ese_dbheader *h, void *ctx);

/* ---- parameter rules (-1003, -1023, -1811) ---- */

static void test_params(void **state)
{
	fx f;
	JET_LOGINFO l = li(0, 0, "SRU");
	JET_RSTMAP m = { (char *)"SRUDB.dat", (char *)"x.edb" };

	(void)state;
	fx_init(&f, "extrestore-params", 0, 0, false);
	/* The deprecated target-instance name. */
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     "instance", NULL, NULL, NULL),
			 JET_errInvalidParameter);
	/* One target directory without the other, both ways. */
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, f.out, NULL, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, f.out, NULL),
			 JET_errInvalidParameter);
	/* Map count rules. */
	assert_int_equal(JetExternalRestore2(f.out, f.out, &m, -1, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 1, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(JetExternalRestore2(f.out, f.out, &m, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	/* JET_LOGINFO: NULL, cbSize, base names. */
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, NULL,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	l.cbSize = sizeof(l) - 1;
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	l = li(0, 0, "S!U");
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	memcpy(l.szBaseName, "SRUx", 4);
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	l = li(0x5C, 0x59, "SRU");
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	/* No backup directory. */
	l = li(0, 0, "SRU");
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, NULL, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidParameter);
	fx_after(&f, -1);
	fx_free(&f);
}

static void test_paths(void **state)
{
	fx f;
	JET_LOGINFO l = li(0, 0, "SRU");
	char *missing, *file;
	JET_RSTMAP m;

	(void)state;
	fx_init(&f, "extrestore-paths", 0, 0, false);
	missing = fx_path(&f, f.root, "no-such-dir");
	file = fx_path(&f, NULL, "SRUDB.dat");
	/* A backup directory that does not exist / is a file. */
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, missing,
					     &l, NULL, NULL, NULL, NULL),
			 JET_errFileNotFound);
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, file, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	/* Log and checkpoint directories that are files. */
	assert_int_equal(JetExternalRestore2(f.out, file, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	assert_int_equal(JetExternalRestore2(file, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	/* A target in a directory that does not exist. */
	m.szDatabaseName = (char *)SRU_PATH;
	m.szNewDatabaseName = g_build_filename(missing, "x.edb", NULL);
	assert_int_equal(JetExternalRestore2(f.out, f.out, &m, 1, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	g_free(m.szNewDatabaseName);
	/* A target that is a directory. */
	m.szNewDatabaseName = f.root;
	assert_int_equal(JetExternalRestore2(f.out, f.out, &m, 1, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	/* No map and szLogPath the backup directory: the restored copy
	 * would land in the backup directory, which is never written. */
	assert_int_equal(JetExternalRestore2(NULL, f.bk, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	/* A target that is an input file. */
	m.szNewDatabaseName = file;
	assert_int_equal(JetExternalRestore2(f.out, f.out, &m, 1, f.bk, &l,
					     NULL, NULL, NULL, NULL),
			 JET_errInvalidPath);
	fx_after(&f, -1);
	g_free(missing);
	g_free(file);
	fx_free(&f);
}

/* ---- the backup's logs ---- */

static void test_log_below_range(void **state)
{
	fx f;
	jr_errinfo ei;

	(void)state;
	fx_init(&f, "extrestore-554", 0x59, 0x5C, false);
	/* SRU00059.log is below genLow 0x5A. */
	assert_int_equal(restore(&f, NULL, 0, 0x5A, 0x5C, false),
			 JET_errStartingRestoreLogTooHigh);
	assert_int_equal(restore_ei(&f, 0x5A, 0x5C, false, &ei),
			 JET_errStartingRestoreLogTooHigh);
	assert_non_null(strstr(ei.detail, "SRU00059.log"));
	fx_free(&f);
}

static void test_log_above_range(void **state)
{
	fx f;
	jr_errinfo ei;

	(void)state;
	fx_init(&f, "extrestore-553", 0x59, 0x5C, false);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5B, false),
			 JET_errEndingRestoreLogTooLow);
	assert_int_equal(restore_ei(&f, 0x59, 0x5B, false, &ei),
			 JET_errEndingRestoreLogTooLow);
	assert_non_null(strstr(ei.detail, "SRU0005C.log"));
	fx_free(&f);
}

static void test_db_needs_lower(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p;

	(void)state;
	/* The copy needs 0x59 (its trailer's genLow); the backup holds
	 * 0x5A.. only. A range given: -554; taken from the logs: -1811
	 * naming the missing file. */
	fx_init(&f, "extrestore-554-db", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRU00059.log");
	assert_int_equal(g_unlink(p), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore_ei(&f, 0x5A, 0x5C, false, &ei),
			 JET_errStartingRestoreLogTooHigh);
	assert_non_null(strstr(ei.detail, "0x59"));
	assert_int_equal(restore_ei(&f, 0, 0, false, &ei),
			 JET_errFileNotFound);
	assert_non_null(strstr(ei.detail, "SRU00059.log"));
	g_free(p);
	fx_free(&f);
}

static void test_missing_generation(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p;

	(void)state;
	fx_init(&f, "extrestore-1811", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRU0005B.log");
	assert_int_equal(g_unlink(p), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
			 JET_errFileNotFound);
	assert_int_equal(restore_ei(&f, 0x59, 0x5C, false, &ei),
			 JET_errFileNotFound);
	assert_non_null(strstr(ei.detail, "SRU0005B.log"));
	/* The range from the logs present: the same gap. */
	assert_int_equal(restore_ei(&f, 0, 0, false, &ei),
			 JET_errFileNotFound);
	assert_non_null(strstr(ei.detail, "SRU0005B.log"));
	g_free(p);
	fx_free(&f);
}

static void flip_sign(ese_loghdr *h, void *ctx)
{
	(void)ctx;
	h->sign_log.random ^= 1;
}

static void shift_prev(ese_loghdr *h, void *ctx)
{
	(void)ctx;
	h->tm_prev_gen.sec ^= 1;
}

static void test_log_signature_and_contiguity(void **state)
{
	fx f;
	char *p;

	(void)state;
	fx_init(&f, "extrestore-555", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRU0005B.log");
	assert_int_equal(jr_bkset_edit_log_header(p, flip_sign, NULL, NULL), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
			 JET_errGivenLogFileHasBadSignature);
	fx_free(&f);
	g_free(p);

	fx_init(&f, "extrestore-556", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRU0005B.log");
	assert_int_equal(jr_bkset_edit_log_header(p, shift_prev, NULL, NULL),
			 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
			 JET_errGivenLogFileIsNotContiguous);
	fx_free(&f);
	g_free(p);
}

/* ---- the database copies ---- */

static void no_backup_info(ese_dbheader *h, void *ctx)
{
	(void)ctx;
	memset(&h->bk_full_cur, 0, sizeof(h->bk_full_cur));
	memset(&h->bk_snapshot_cur, 0, sizeof(h->bk_snapshot_cur));
}

static void test_non_backup_database(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p;

	(void)state;
	fx_init(&f, "extrestore-615", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRUDB.dat");
	assert_int_equal(jr_bkset_edit_db_header(p, no_backup_info, NULL,
						 NULL), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
			 JET_errRestoreOfNonBackupDatabase);
	assert_int_equal(restore_ei(&f, 0, 0, false, &ei),
			 JET_errRestoreOfNonBackupDatabase);
	assert_non_null(strstr(ei.detail, "SRUDB.dat"));
	g_free(p);
	fx_free(&f);
}

static void test_corrupt_database(void **state)
{
	fx f;
	char *p, *jfm, *src;
	JET_RSTMAP m;

	(void)state;
	fx_init(&f, "extrestore-1206", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRUDB.dat");
	/* dbtime (offset 16) damaged in both copies: no good header. */
	assert_int_equal(jr_bkset_flip(p, 16, 0x01, NULL), 0);
	assert_int_equal(jr_bkset_flip(p, PS + 16, 0x01, NULL), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
			 JET_errDatabaseCorrupted);
	fx_free(&f);
	g_free(p);

	/* A file the map names that is not a database (the flush map). */
	fx_init(&f, "extrestore-1206-map", 0x59, 0x5C, false);
	src = jr_test_data(SET, "SRUDB.jfm");
	jfm = fx_path(&f, NULL, "SRUDB.jfm");
	jr_test_copy(src, jfm);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	m.szDatabaseName = (char *)"SRUDB.jfm";
	m.szNewDatabaseName = (char *)"x.edb";
	assert_int_equal(restore(&f, &m, 1, 0x59, 0x5C, false),
			 JET_errDatabaseCorrupted);
	g_free(src);
	g_free(jfm);
	fx_free(&f);
}

static void test_bad_trailer(void **state)
{
	fx f;
	char *p;
	struct stat st;

	(void)state;
	fx_init(&f, "extrestore-535", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRUDB.dat");
	assert_int_equal(stat(p, &st), 0);
	/* One bit of the trailer's genHigh. */
	assert_int_equal(jr_bkset_flip(p, (uint64_t)st.st_size - PS + 60,
				       0x10, NULL), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
			 JET_errBadPatchPage);
	g_free(p);
	fx_free(&f);
}

static void other_db(ese_patchpage *pp, void *ctx)
{
	(void)ctx;
	pp->sign_db.random ^= 0x100;
}

static void other_mark(ese_patchpage *pp, void *ctx)
{
	(void)ctx;
	pp->bkinfo.lgpos_mark.isec++;
}

static void other_log(ese_patchpage *pp, void *ctx)
{
	(void)ctx;
	pp->sign_log.random ^= 0x100;
}

static void test_trailer_mismatch(void **state)
{
	static const jr_bkset_trailer_edit edits[] = { other_db, other_mark,
						       other_log };
	static const char *const what[] = { "another database",
					    "another backup",
					    "another log sequence" };

	(void)state;
	for (unsigned i = 0; i < G_N_ELEMENTS(edits); i++) {
		char name[64];
		fx f;
		char *p;
		jr_errinfo ei;

		snprintf(name, sizeof(name), "extrestore-552-%u", i);
		fx_init(&f, name, 0x59, 0x5C, false);
		p = fx_path(&f, NULL, "SRUDB.dat");
		assert_int_equal(jr_bkset_edit_trailer(p, PS, edits[i], NULL,
						       NULL), 0);
		g_free(f.hash);
		f.hash = jr_test_dir_hash(f.bk, NULL);
		assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false),
				 JET_errDatabasePatchFileMismatch);
		assert_int_equal(restore_ei(&f, 0, 0, false, &ei),
				 JET_errDatabasePatchFileMismatch);
		assert_non_null(strstr(ei.detail, what[i]));
		g_free(p);
		fx_free(&f);
	}
}

static void test_foreign_database(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p;
	uint8_t *buf;
	size_t len;
	ese_dbheader_read_result hr;
	ese_patchpage pp;

	(void)state;
	/* A database named SRUDB.dat with a consistent trailer, but not the
	 * SRUDB.dat the logs attach (another signature). */
	fx_init(&f, "extrestore-531", 0x59, 0x5C, false);
	p = fx_path(&f, NULL, "SRUDB.dat");
	assert_int_equal(jr_bkset_edit_db_header(p, other_db_hdr, NULL, NULL),
			 0);
	assert_int_equal(ese_dbheader_read_file(p, &hr, NULL), 0);
	buf = jr_test_slurp(p, &len);
	(void)ese_patchpage_parse(buf + len - PS, PS, &pp, NULL);
	pp.sign_db = hr.hdr.sign_db;
	assert_int_equal(ese_patchpage_write(&pp, buf + len - PS, PS), 0);
	jr_test_spit(p, buf, len);
	g_free(buf);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore_ei(&f, 0, 0, false, &ei),
			 JET_errBadDbSignature);
	assert_non_null(strstr(ei.detail, SRU_PATH));
	g_free(p);
	fx_free(&f);
}

/* ---- restore map errors ---- */

static void test_map_errors(void **state)
{
	fx f;
	JET_RSTMAP m[2];

	(void)state;
	fx_init(&f, "extrestore-map", 0x59, 0x5C, false);
	m[0].szDatabaseName = (char *)SRU_PATH;
	m[0].szNewDatabaseName = (char *)"a.edb";
	m[1].szDatabaseName = (char *)"srudb.DAT";
	m[1].szNewDatabaseName = (char *)"b.edb";
	/* Two entries for one database. */
	assert_int_equal(restore(&f, m, 2, 0x59, 0x5C, false),
			 JET_errInvalidParameter);
	/* Two entries with one old name. */
	m[1].szDatabaseName = (char *)"c:/windows/system32/sru/srudb.dat";
	assert_int_equal(restore(&f, m, 2, 0x59, 0x5C, false),
			 JET_errInvalidParameter);
	/* Two entries with one new name. */
	m[1].szDatabaseName = (char *)"other.edb";
	m[1].szNewDatabaseName = (char *)"a.edb";
	assert_int_equal(restore(&f, m, 2, 0x59, 0x5C, false),
			 JET_errInvalidParameter);
	/* A name of no database of the backup. */
	m[0].szDatabaseName = (char *)"C:\\Windows\\system32\\dhcp\\dhcp.mdb";
	assert_int_equal(restore(&f, m, 1, 0x59, 0x5C, false),
			 JET_errFileNotFound);
	/* A Windows path as the target. */
	m[0].szDatabaseName = (char *)SRU_PATH;
	m[0].szNewDatabaseName = (char *)"C:\\restore\\SRUDB.dat";
	assert_int_equal(restore(&f, m, 1, 0x59, 0x5C, false),
			 JET_errInvalidParameter);
	fx_free(&f);
}

/* ---- continuation: target instance and log directory ---- */

static void test_target_instance_errors(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p, *empty;

	(void)state;
	/* Backup 0x59..0x5A; the target instance holds 0x5B, SRU.log (0x5C)
	 * and SRU.chk. */
	fx_init(&f, "extrestore-577", 0x59, 0x5A, true);

	/* An empty target directory is no log set. */
	empty = fx_path(&f, f.root, "empty");
	assert_int_equal(g_mkdir(empty, 0755), 0);
	{
		JET_LOGINFO l = li(0x59, 0x5A, "SRU");

		assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0,
						     f.bk, &l, NULL, empty,
						     empty, NULL),
				 JET_errBadRestoreTargetInstance);
		fx_after(&f, -1);
	}
	/* Its logs of another log sequence. */
	p = fx_path(&f, f.tgt, "SRU0005B.log");
	assert_int_equal(jr_bkset_edit_log_header(p, flip_sign, NULL, NULL), 0);
	g_free(p);
	p = fx_path(&f, f.tgt, "SRU.log");
	assert_int_equal(jr_bkset_edit_log_header(p, flip_sign, NULL, NULL), 0);
	assert_int_equal(restore_ei(&f, 0x59, 0x5A, true, &ei),
			 JET_errBadRestoreTargetInstance);
	assert_non_null(strstr(ei.detail, "another log sequence"));
	/* Only one of them: the directory disagrees with itself. */
	assert_int_equal(jr_bkset_edit_log_header(p, flip_sign, NULL, NULL), 0);
	assert_int_equal(restore_ei(&f, 0x59, 0x5A, true, &ei),
			 JET_errExistingLogFileHasBadSignature);
	g_free(p);
	g_free(empty);
	fx_free(&f);
}

static void test_target_instance_gap(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p;

	(void)state;
	fx_init(&f, "extrestore-611", 0x59, 0x5A, true);
	/* 0x5B missing: SRU.log (0x5C) does not continue the backup. */
	p = fx_path(&f, f.tgt, "SRU0005B.log");
	assert_int_equal(g_unlink(p), 0);
	assert_int_equal(restore_ei(&f, 0x59, 0x5A, true, &ei),
			 JET_errExistingLogFileIsNotContiguous);
	assert_non_null(strstr(ei.detail, "SRU0005B.log"));
	g_free(p);
	fx_free(&f);
}

static void test_required_logs_missing(void **state)
{
	fx f;
	jr_errinfo ei;

	(void)state;
	/* The copy requires generations through 0x5C (its header's
	 * genMaxRequired) but the backup ends at 0x5A and nothing rolls
	 * forward. */
	fx_init(&f, "extrestore-543", 0x59, 0x5A, false);
	assert_int_equal(restore_ei(&f, 0x59, 0x5A, false, &ei),
			 JET_errRequiredLogFilesMissing);
	assert_non_null(strstr(ei.detail, "0x5C"));
	fx_free(&f);
}

/* ---- concurrency: -1080 ---- */

static void test_target_locked(void **state)
{
	fx f;
	char *target, *tmp;
	jr_errinfo ei;
	int fd;

	(void)state;
	fx_init(&f, "extrestore-1080", 0x59, 0x5C, false);
	/* Another restore holds the target's temporary file. */
	target = fx_path(&f, f.out, "SRUDB.dat");
	tmp = jr_restore_temp_path(target);
	assert_non_null(tmp);
	fd = open(tmp, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	jr_errinfo_clear(&ei);
	{
		jr_restore_params p;

		memset(&p, 0, sizeof(p));
		p.backup_dir = f.bk;
		p.log_dir = f.out;
		assert_int_equal(jr_restore_run(&p, NULL, &ei),
				 JET_errRunningInOneInstanceMode);
	}
	/* The other restore's file is left alone; no target appeared. */
	assert_true(g_file_test(tmp, G_FILE_TEST_EXISTS));
	assert_false(g_file_test(target, G_FILE_TEST_EXISTS));
	close(fd);
	g_unlink(tmp);
	fx_after(&f, -1);
	g_free(tmp);
	g_free(target);
	fx_free(&f);
}

/* ---- -1011 through the allocation hook ---- */

struct alloc_budget {
	int left;
	unsigned calls;
};

static bool alloc_hook(size_t size, void *ctx)
{
	struct alloc_budget *b = ctx;

	(void)size;
	b->calls++;
	return b->left-- > 0;
}

static void test_out_of_memory(void **state)
{
	fx f;
	jr_restore_params p;
	struct alloc_budget b;
	jr_errinfo ei;
	JET_ERR err;
	int k;

	(void)state;
	fx_init(&f, "extrestore-1011", 0x59, 0x5C, false);
	memset(&p, 0, sizeof(p));
	p.backup_dir = f.bk;
	p.log_dir = f.out;
	p.alloc_hook = alloc_hook;
	p.alloc_ctx = &b;
	/* Fail the k-th allocation, for every k until the run gets past
	 * all of them: each such run is -1011 and leaves nothing. */
	for (k = 0; k < 1000; k++) {
		b.left = k;
		b.calls = 0;
		jr_errinfo_clear(&ei);
		err = jr_restore_run(&p, NULL, &ei);
		fx_after(&f, err);
		if ((int)b.calls <= k)
			break;
		assert_int_equal(err, JET_errOutOfMemory);
	}
	assert_true(k > 3);
	assert_true(k < 1000);
	fx_free(&f);
}

/* ---- successful restores ---- */

static void test_restore_whole_set(void **state)
{
	fx f;
	char *target;
	ese_dbheader_read_result r;
	jr_errinfo ei;
	jr_restore_params p;
	jr_restore_result res;

	(void)state;
	fx_init(&f, "extrestore-ok", 0x59, 0x5C, false);
	memset(&p, 0, sizeof(p));
	p.backup_dir = f.bk;
	p.log_dir = f.out;
	jr_errinfo_clear(&ei);
	if (jr_restore_run(&p, &res, &ei) < 0)
		fail_msg("restore: %d %s", ei.err, ei.detail);
	fx_after(&f, 0);
	target = fx_path(&f, f.out, "SRUDB.dat");
	assert_int_equal(ese_dbheader_read_file(target, &r, NULL), 0);
	assert_int_equal(r.hdr.state, JET_dbstateCleanShutdown);
	assert_true(ese_bkinfo_is_zero(&r.hdr.bk_full_cur));
	assert_int_equal(res.gen_low, 0x59);
	assert_int_equal(res.gen_end, 0x5C);
	assert_int_equal(res.n_dbs, 1);
	assert_string_equal(res.targets[0], target);
	/* The logical records of 0x59..0x5C as the reader delivers them
	 * (the NOP2 fill records not returned). */
	assert_int_equal(res.records, 1752);
	jr_restore_result_clear(&res);
	g_free(target);
	fx_free(&f);
}

/* The converted real set restores to what soft recovery makes of the
 * original: every byte of the database equal, plus the zeroed trailer. */
static void test_restore_equals_recover(void **state)
{
	fx f;
	jr_recovery_opts o;
	jr_recovery_summary sum;
	jr_errinfo ei;
	char *target, *soft_out, *db;
	uint8_t *a, *b;
	size_t la, lb;
	JET_LOGINFO l = li(0x59, 0x5C, "SRU");

	(void)state;
	fx_init(&f, "extrestore-vs-recover", 0x59, 0x5C, false);
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL, NULL), 0);
	fx_after(&f, 0);

	db = jr_test_data(SET, "SRUDB.dat");
	soft_out = fx_path(&f, f.root, "soft");
	jr_recovery_opts_init(&o);
	o.db_path = db;
	o.out_dir = soft_out;
	jr_errinfo_clear(&ei);
	if (jr_recover_database(&o, &sum, &ei) < 0)
		fail_msg("recover: %d %s", ei.err, ei.detail);

	target = fx_path(&f, f.out, "SRUDB.dat");
	a = jr_test_slurp(target, &la);
	b = jr_test_slurp(sum.out_path, &lb);
	assert_int_equal(la, lb + PS);
	for (size_t i = 0; i < PS; i++)
		assert_int_equal(a[lb + i], 0);
	for (size_t pg = 0; pg < lb / PS; pg++)
		if (memcmp(a + pg * PS, b + pg * PS, PS) != 0)
			fail_msg("page slot %zu differs", pg);
	g_free(a);
	g_free(b);
	g_free(target);
	g_free(soft_out);
	g_free(db);
	fx_free(&f);
}

/* The bytes of a restore of the whole converted set (no map), made once. */
static uint8_t *g_ref;
static size_t g_ref_len;

static const uint8_t *reference(size_t *len)
{
	if (!g_ref) {
		fx f;
		char *t;
		JET_LOGINFO l = li(0x59, 0x5C, "SRU");

		fx_init(&f, "extrestore-ref", 0x59, 0x5C, false);
		assert_int_equal(JetExternalRestore2(NULL, f.out, NULL, 0,
						     f.bk, &l, NULL, NULL,
						     NULL, NULL), 0);
		t = fx_path(&f, f.out, "SRUDB.dat");
		g_ref = jr_test_slurp(t, &g_ref_len);
		g_free(t);
		fx_free(&f);
	}
	*len = g_ref_len;
	return g_ref;
}

static void assert_is_reference(const char *path)
{
	size_t lr, la;
	const uint8_t *r = reference(&lr);
	uint8_t *a = jr_test_slurp(path, &la);

	assert_int_equal(la, lr);
	assert_memory_equal(a, r, lr);
	g_free(a);
}

/* ---- status callback ---- */

static void test_status_sequence(void **state)
{
	fx f;
	JET_LOGINFO l = li(0, 0, "");
	jr_test_status_log *s = &jr_test_status;
	unsigned progress = 0;
	char *t;

	(void)state;
	fx_init(&f, "extrestore-status", 0x59, 0x5C, false);
	memset(s, 0, sizeof(*s));
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL,
					     jr_test_record_status),
			 0);
	fx_after(&f, 0);
	progress = jr_test_status_sequence(s);
	/* Copy (2.4 MiB) and replay (4 logs of 64 KiB) both report. */
	assert_true(progress >= 3);
	assert_true(s->done[s->n - 2] > s->done[1]);
	t = fx_path(&f, f.out, "SRUDB.dat");
	assert_is_reference(t);
	g_free(t);

	/* A callback's error stops the restore: that error, Fail last,
	 * nothing left. */
	memset(s, 0, sizeof(*s));
	s->stop_after = 2;
	assert_int_equal(JetExternalRestore2(f.out, f.out, NULL, 0, f.bk, &l,
					     NULL, NULL, NULL,
					     jr_test_record_status),
			 JET_errDiskFull);
	assert_int_equal(s->snt[0], JET_sntBegin);
	assert_int_equal(s->snt[s->n - 1], JET_sntFail);
	g_unlink(t = fx_path(&f, f.out, "SRUDB.dat"));
	g_free(t);
	fx_after(&f, -1);
	fx_free(&f);
}

/* ---- restore map cases ---- */

static void test_map_rename_relocate(void **state)
{
	fx f;
	JET_RSTMAP m;
	char *elsewhere, *t;

	(void)state;
	fx_init(&f, "extrestore-map-ok", 0x59, 0x5C, false);
	/* Rename, relative to szLogPath, named by a Windows path written
	 * in other case than the logs record it. */
	m.szDatabaseName = (char *)"c:\\WINDOWS\\System32\\sru\\srudb.DAT";
	m.szNewDatabaseName = (char *)"renamed.edb";
	assert_int_equal(restore(&f, &m, 1, 0x59, 0x5C, false), 0);
	assert_int_equal(jr_test_dir_count(f.out), 1);
	t = fx_path(&f, f.out, "renamed.edb");
	assert_is_reference(t);
	g_free(t);
	/* Relocate: an absolute path in another directory. */
	elsewhere = fx_path(&f, f.root, "elsewhere");
	assert_int_equal(g_mkdir(elsewhere, 0755), 0);
	t = g_build_filename(elsewhere, "SRUDB.dat", NULL);
	m.szDatabaseName = (char *)"SRUDB.dat";
	m.szNewDatabaseName = t;
	assert_int_equal(restore(&f, &m, 1, 0x59, 0x5C, false), 0);
	assert_int_equal(jr_test_dir_count(elsewhere), 1);
	assert_is_reference(t);
	g_free(t);
	g_free(elsewhere);
	fx_free(&f);
}

static void other_db_hdr(ese_dbheader *h, void *ctx)
{
	(void)ctx;
	h->sign_db.random ^= 0x5a5a;
}

static void test_map_one_of_two(void **state)
{
	fx f;
	jr_bkset_params bp;
	JET_RSTMAP m;
	char *second, *t;
	ese_dbheader_read_result r;

	(void)state;
	fx_init(&f, "extrestore-map-two", 0x59, 0x5C, false);
	/* A second database in the backup: another copy under another name
	 * and signature (the logs know nothing of it). */
	memset(&bp, 0, sizeof(bp));
	bp.set_dir = jr_test_data(SET, NULL);
	bp.db_name = "SRUDB.dat";
	bp.base = "SRU";
	bp.backup_dir = f.bk;
	bp.copy_name = "second.edb";
	assert_int_equal(jr_bkset_build(&bp, NULL, NULL), 0);
	g_free((char *)bp.set_dir);
	second = fx_path(&f, NULL, "second.edb");
	assert_int_equal(jr_bkset_edit_db_header(second, other_db_hdr, NULL,
						 NULL), 0);
	assert_int_equal(jr_bkset_edit_trailer(second, PS, other_db, NULL,
					       NULL), 0);
	{
		/* other_db flips 0x100 of the trailer's; match the header. */
		ese_dbheader_read_result hr;
		ese_patchpage pp;
		uint8_t *buf;
		size_t len;

		assert_int_equal(ese_dbheader_read_file(second, &hr, NULL), 0);
		buf = jr_test_slurp(second, &len);
		(void)ese_patchpage_parse(buf + len - PS, PS, &pp, NULL);
		pp.sign_db = hr.hdr.sign_db;
		assert_int_equal(ese_patchpage_write(&pp, buf + len - PS, PS),
				 0);
		jr_test_spit(second, buf, len);
		g_free(buf);
	}
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);

	/* Only SRUDB.dat, by its recorded path. */
	m.szDatabaseName = (char *)SRU_PATH;
	m.szNewDatabaseName = (char *)"first.edb";
	assert_int_equal(restore(&f, &m, 1, 0x59, 0x5C, false), 0);
	assert_int_equal(jr_test_dir_count(f.out), 1);
	t = fx_path(&f, f.out, "first.edb");
	assert_is_reference(t);
	g_unlink(t);
	g_free(t);
	/* Only the other one, by its file name. */
	m.szDatabaseName = (char *)"SECOND.EDB";
	m.szNewDatabaseName = (char *)"2.edb";
	assert_int_equal(restore(&f, &m, 1, 0x59, 0x5C, false), 0);
	assert_int_equal(jr_test_dir_count(f.out), 1);
	t = fx_path(&f, f.out, "2.edb");
	assert_int_equal(ese_dbheader_read_file(t, &r, NULL), 0);
	assert_int_equal(r.hdr.state, JET_dbstateCleanShutdown);
	assert_true(ese_bkinfo_is_zero(&r.hdr.bk_full_cur));
	g_unlink(t);
	g_free(t);
	/* No map: both, under their own names. */
	assert_int_equal(restore(&f, NULL, 0, 0x59, 0x5C, false), 0);
	assert_int_equal(jr_test_dir_count(f.out), 2);
	g_free(second);
	fx_free(&f);
}

/* ---- target instance: roll forward ---- */

static void test_target_roll_forward(void **state)
{
	fx f;
	char *t;
	jr_errinfo ei;
	jr_restore_params p;
	jr_restore_result res;

	(void)state;
	/* The backup ends at 0x5A; the instance kept 0x5B and SRU.log. The
	 * result is the whole set's. */
	fx_init(&f, "extrestore-roll", 0x59, 0x5A, true);
	memset(&p, 0, sizeof(p));
	p.backup_dir = f.bk;
	p.log_dir = f.out;
	p.gen_low = 0x59;
	p.gen_high = 0x5A;
	p.target_log_dir = f.tgt;
	p.target_checkpoint_dir = f.tgt;
	jr_errinfo_clear(&ei);
	if (jr_restore_run(&p, &res, &ei) < 0)
		fail_msg("restore: %d %s", ei.err, ei.detail);
	fx_after(&f, 0);
	assert_int_equal(res.gen_high, 0x5A);
	assert_int_equal(res.gen_end, 0x5C);
	jr_restore_result_clear(&res);
	t = fx_path(&f, f.out, "SRUDB.dat");
	assert_is_reference(t);
	g_free(t);
	fx_free(&f);
}

static void test_target_circular(void **state)
{
	fx f;
	jr_bkset_params bp;
	jr_errinfo ei;

	(void)state;
	/* Windows' own logs: circular logging on. No roll-forward, so the
	 * database's requirement (through 0x5C) is not met. */
	fx_init(&f, "extrestore-circular", 0x59, 0x5A, false);
	f.tgt = g_build_filename(f.root, "target", NULL);
	assert_int_equal(g_mkdir(f.tgt, 0755), 0);
	memset(&bp, 0, sizeof(bp));
	bp.set_dir = jr_test_data(SET, NULL);
	bp.db_name = "SRUDB.dat";
	bp.base = "SRU";
	bp.backup_dir = f.tgt;      /* (the copy there is ignored) */
	bp.gen_low = 0x5B;
	bp.gen_high = 0x5C;
	assert_int_equal(jr_bkset_build(&bp, NULL, NULL), 0);
	g_free((char *)bp.set_dir);
	assert_int_equal(restore_ei(&f, 0x59, 0x5A, true, &ei),
			 JET_errRequiredLogFilesMissing);
	assert_non_null(strstr(ei.detail, "circular"));
	fx_free(&f);
}

/* ---- failures during the replay leave nothing ---- */

static void test_failure_mid_replay(void **state)
{
	fx f;
	jr_errinfo ei;
	char *p;

	(void)state;
	fx_init(&f, "extrestore-mid", 0x59, 0x5C, false);
	/* A byte inside the third segment of 0x5B: the headers are sound,
	 * so the plan passes and the copy is made; the reader fails. */
	p = fx_path(&f, NULL, "SRU0005B.log");
	assert_int_equal(jr_bkset_flip(p, 3 * 4096 + 700, 0x40, NULL), 0);
	g_free(f.hash);
	f.hash = jr_test_dir_hash(f.bk, NULL);
	assert_int_equal(restore_ei(&f, 0x59, 0x5C, false, &ei),
			 JET_errLogFileCorrupt);
	assert_non_null(strstr(ei.detail, "5B"));
	g_free(p);
	fx_free(&f);
}

static JET_ERR cancel_on_progress(JET_SNT snt, const jr_restore_progress *pr,
				  void *ctx)
{
	atomic_bool *cancel = ctx;

	if (snt == JET_sntProgress && pr->phase && !strcmp(pr->phase, "redo"))
		atomic_store(cancel, true);
	return 0;
}

static void test_cancel(void **state)
{
	fx f;
	jr_restore_params p;
	atomic_bool cancel = false;
	jr_errinfo ei;

	(void)state;
	fx_init(&f, "extrestore-cancel", 0x59, 0x5C, false);
	memset(&p, 0, sizeof(p));
	p.backup_dir = f.bk;
	p.log_dir = f.out;
	p.cancel = &cancel;
	p.status = cancel_on_progress;
	p.status_ctx = &cancel;
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_restore_run(&p, NULL, &ei), JET_errTermInProgress);
	fx_after(&f, -1);
	fx_free(&f);
}

/* ---- two restores at once in one process ---- */

struct job {
	const char *bk;
	char *out;
	JET_ERR err;
};

static gpointer restore_thread(gpointer data)
{
	struct job *j = data;
	JET_LOGINFO l = li(0x59, 0x5C, "SRU");

	j->err = JetExternalRestore2(NULL, j->out, NULL, 0, j->bk, &l, NULL,
				     NULL, NULL, NULL);
	return NULL;
}

static void test_concurrent(void **state)
{
	fx f;
	struct job j[2];
	GThread *t[2];

	(void)state;
	fx_init(&f, "extrestore-threads", 0x59, 0x5C, false);
	for (int i = 0; i < 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "out%d", i);
		j[i].bk = f.bk;
		j[i].out = fx_path(&f, f.root, name);
		assert_int_equal(g_mkdir(j[i].out, 0755), 0);
	}
	for (int i = 0; i < 2; i++)
		t[i] = g_thread_new("restore", restore_thread, &j[i]);
	for (int i = 0; i < 2; i++) {
		char *p;

		g_thread_join(t[i]);
		assert_int_equal(j[i].err, 0);
		assert_int_equal(jr_test_dir_count(j[i].out), 1);
		p = g_build_filename(j[i].out, "SRUDB.dat", NULL);
		assert_is_reference(p);
		g_free(p);
		g_free(j[i].out);
	}
	fx_after(&f, 0);
	fx_free(&f);
}

/* ---- a copy taken while the database ran ---- */

/* Pages a session that began inside the window created there (NewPage,
 * the new page of a split, FDP roots and space trees): a streaming backup
 * that read them before they were first written holds blank pages there.
 * Their whole history is in the logs. */
static unsigned born_in_window(const char *dir, uint32_t first, uint32_t *pg,
			       unsigned max)
{
	static bool begun[65536];
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	ese_logreader *r;
	ese_logrecord rec;
	jr_errinfo ei;
	unsigned n = 0;
	JET_ERR err;

	memset(begun, 0, sizeof(begun));
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_logreader_open_range(dir, "SRU", first,
						  ESE_LOGREADER_GEN_CURRENT,
						  NULL, &r, &ei), 0);
	while ((err = ese_logreader_next(r, &rec, &ei)) == 0) {
		uint32_t p[3] = { 0, 0, 0 };
		uint16_t procid;
		lr_record d;

		assert_int_equal(lr_decode(rec.data, rec.size, &d, &ei), 0);
		switch (d.lrtyp) {
		case 5: case 8:         /* Begin, Begin0 */
			if (d.u.begin.level_begin_from == 0)
				begun[d.u.begin.procid] = true;
			continue;
		case 95:                /* NewPage */
			p[0] = d.u.new_page.pgno;
			procid = d.u.new_page.procid;
			break;
		case 24: case 25:       /* Create{Single,Multiple}ExtentFDP */
			p[0] = d.u.create_fdp.page.pgno;
			p[1] = d.u.create_fdp.pgno_oe;
			p[2] = d.u.create_fdp.pgno_ae;
			procid = d.u.create_fdp.page.procid;
			break;
		case 62:                /* Split2 */
			p[0] = d.u.split.pgno_new;
			procid = d.u.split.page.procid;
			break;
		case 58:                /* ConvertFDP2 */
			p[0] = d.u.convert_fdp.pgno_oe;
			p[1] = d.u.convert_fdp.pgno_ae;
			procid = d.u.convert_fdp.page.procid;
			break;
		default:
			continue;
		}
		for (int i = 0; i < 3; i++) {
			if (!p[i] || !begun[procid] ||
			    g_hash_table_contains(seen, GUINT_TO_POINTER(p[i])))
				continue;
			g_hash_table_add(seen, GUINT_TO_POINTER(p[i]));
			assert_true(n < max);
			pg[n++] = p[i];
		}
	}
	assert_int_equal(err, ESE_LOGREADER_END);
	ese_logreader_close(r);
	g_hash_table_destroy(seen);
	return n;
}

/* Windows' page w and our page m are the same, but for the flush type
 * (bits 15-16 of the page flags, a write-time stamp of ESE's flush map,
 * which a restore does not keep): compare with Windows' flush type. */
static bool same_page(const uint8_t *w, const uint8_t *m, uint32_t pgno)
{
	uint8_t mine[PS];
	uint32_t fw, fm;

	if (!memcmp(w, m, PS))
		return true;
	memcpy(mine, m, PS);
	fw = (uint32_t)w[36] | (uint32_t)w[37] << 8 | (uint32_t)w[38] << 16 |
	     (uint32_t)w[39] << 24;
	fm = (uint32_t)mine[36] | (uint32_t)mine[37] << 8 |
	     (uint32_t)mine[38] << 16 | (uint32_t)mine[39] << 24;
	fm = (fm & ~0x18000u) | (fw & 0x18000u);
	mine[36] = (uint8_t)fm;
	mine[37] = (uint8_t)(fm >> 8);
	mine[38] = (uint8_t)(fm >> 16);
	mine[39] = (uint8_t)(fm >> 24);
	ese_page_checksum_write(mine, PS, pgno);
	return !memcmp(w, mine, PS);
}

static void copy_during_workload(const char *set, uint32_t lo, uint32_t hi,
				 unsigned want_pages)
{
	char *name = g_strdup_printf("extrestore-live-%s", set);
	char *root = jr_test_tmpdir(name);
	char *bk = g_build_filename(root, "backup", NULL);
	char *out = g_build_filename(root, "out", NULL);
	char *setdir = jr_test_data(set, NULL);
	char *orig_path = jr_test_data(set, "SRUDB.dat");
	char *copy = g_build_filename(bk, "SRUDB.dat", NULL);
	char *res_path = g_build_filename(out, "SRUDB.dat", NULL);
	JET_LOGINFO l = li(lo, hi, "SRU");
	jr_bkset_params bp;
	uint32_t pg[512];
	uint8_t *orig, *img, *res;
	size_t lo_len, li_len, lr;
	unsigned n, same = 0;

	assert_int_equal(g_mkdir(bk, 0755), 0);
	assert_int_equal(g_mkdir(out, 0755), 0);
	memset(&bp, 0, sizeof(bp));
	bp.set_dir = setdir;
	bp.db_name = "SRUDB.dat";
	bp.base = "SRU";
	bp.backup_dir = bk;
	bp.gen_low = lo;
	bp.gen_high = hi;
	assert_int_equal(jr_bkset_build(&bp, NULL, NULL), 0);
	n = born_in_window(setdir, lo, pg, G_N_ELEMENTS(pg));
	assert_int_equal(n, want_pages);
	img = jr_test_slurp(copy, &li_len);
	for (unsigned i = 0; i < n; i++)
		memset(img + ((size_t)pg[i] + 1) * PS, 0, PS);
	jr_test_spit(copy, img, li_len);

	assert_int_equal(JetExternalRestore2(NULL, out, NULL, 0, bk, &l, NULL,
					     NULL, NULL, NULL), 0);
	orig = jr_test_slurp(orig_path, &lo_len);
	res = jr_test_slurp(res_path, &lr);
	assert_int_equal(lr, lo_len + PS);
	for (unsigned i = 0; i < n; i++) {
		size_t off = ((size_t)pg[i] + 1) * PS;

		assert_false(memcmp(img + off, orig + off, PS) == 0);
		if (same_page(orig + off, res + off, pg[i]))
			same++;
		else
			print_message("%s: page %u not rebuilt as Windows "
				      "wrote it\n", set, pg[i]);
	}
	print_message("%s: %u pages blank in the copy, %u rebuilt as "
		      "Windows wrote them\n", set, n, same);
	assert_int_equal(same, n);
	/* Every other page: as the copy had it (Windows' own). */
	for (size_t off = 2 * PS; off < lo_len; off += PS) {
		bool born = false;

		for (unsigned i = 0; i < n && !born; i++)
			born = off == ((size_t)pg[i] + 1) * PS;
		if (!born && !same_page(orig + off, res + off,
					(uint32_t)(off / PS - 1)))
			fail_msg("%s: page %zu changed", set, off / PS - 1);
	}
	g_free(orig);
	g_free(img);
	g_free(res);
	g_free(res_path);
	g_free(copy);
	g_free(orig_path);
	g_free(setdir);
	g_free(out);
	g_free(bk);
	g_free(root);
	g_free(name);
}

static void test_copy_during_workload_win11(void **state)
{
	(void)state;
	copy_during_workload("srum-win11-dirty", 0x59, 0x5C, 27);
}

static void test_copy_during_workload_win10(void **state)
{
	(void)state;
	copy_during_workload("srum-win10-clean-a", 3, 9, 70);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_log_below_range),
		cmocka_unit_test(test_log_above_range),
		cmocka_unit_test(test_db_needs_lower),
		cmocka_unit_test(test_missing_generation),
		cmocka_unit_test(test_log_signature_and_contiguity),
		cmocka_unit_test(test_non_backup_database),
		cmocka_unit_test(test_corrupt_database),
		cmocka_unit_test(test_bad_trailer),
		cmocka_unit_test(test_trailer_mismatch),
		cmocka_unit_test(test_foreign_database),
		cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_target_instance_errors),
		cmocka_unit_test(test_target_instance_gap),
		cmocka_unit_test(test_required_logs_missing),
		cmocka_unit_test(test_target_locked),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_restore_whole_set),
		cmocka_unit_test(test_restore_equals_recover),
		cmocka_unit_test(test_status_sequence),
		cmocka_unit_test(test_map_rename_relocate),
		cmocka_unit_test(test_map_one_of_two),
		cmocka_unit_test(test_target_roll_forward),
		cmocka_unit_test(test_target_circular),
		cmocka_unit_test(test_failure_mid_replay),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_copy_during_workload_win11),
		cmocka_unit_test(test_copy_during_workload_win10),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	g_free(g_ref);
	return rc;
}
