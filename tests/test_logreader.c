/*
 * test_logreader.c - the record type table and the streaming reader on
 * Windows' own logs: per-type record counts of every whole set, 100% of
 * the in-use bytes decoded, ESE's record positions, and the damaged or
 * misplaced files a reader meets in real backup sets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ese/checksum.h"
#include "ese/loghdr.h"
#include "ese/logreader.h"
#include "ese/logseg.h"
#include "ese/lrtyp.h"
#include "util/bytes.h"
#include "testutil.h"

/* ---- the LRTYP table ---- */

static void test_lrtyp_table(void **state)
{
	(void)state;
	assert_string_equal(ese_lrtyp_name(0), "NOP");
	assert_string_equal(ese_lrtyp_name(8), "Begin0");
	assert_string_equal(ese_lrtyp_name(29), "Insert");
	assert_string_equal(ese_lrtyp_name(58), "ConvertFDP2");
	assert_string_equal(ese_lrtyp_name(62), "Split2");
	assert_string_equal(ese_lrtyp_name(71), "NOP2");
	assert_string_equal(ese_lrtyp_name(76), "FragmentBegin");
	assert_string_equal(ese_lrtyp_name(77), "Fragment");
	assert_string_equal(ese_lrtyp_name(95), "NewPage");
	assert_string_equal(ese_lrtyp_name(101), "ExtentFreed2");
	assert_string_equal(ese_lrtyp_name(102), "Unknown");
	assert_string_equal(ese_lrtyp_name(255), "Unknown");
	for (unsigned t = 0; t < ESE_LRTYP_MAX; t++)
		assert_int_equal(ese_lrtyp_from_name(ese_lrtyp_name(t)), t);
	assert_int_equal(ese_lrtyp_from_name("Bogus"), -1);
	/* fixed sizes: packed sizes of ESE's LR classes */
	assert_int_equal(ese_lr_fixed_size(29), 50);   /* LRINSERT */
	assert_int_equal(ese_lr_fixed_size(32), 44);   /* LRFLAGDELETE */
	assert_int_equal(ese_lr_fixed_size(37), 54);   /* LRDELTA32 */
	assert_int_equal(ese_lr_fixed_size(93), 58);   /* LRDELTA64 */
	assert_int_equal(ese_lr_fixed_size(49), 576);  /* LRINIT2 */
	assert_int_equal(ese_lr_fixed_size(50), 26);   /* LRTERMREC2 */
	assert_int_equal(ese_lr_fixed_size(62), 110);  /* LRSPLITNEW */
	assert_int_equal(ese_lr_fixed_size(95), 20);   /* LRNEWPAGE */
	assert_int_equal(ese_lr_fixed_size(92), 14);   /* LRSETDBVERSION */
	assert_int_equal(ese_lr_fixed_size(40), 0);    /* obsolete */
	/* flags */
	assert_true(ese_lrtyp_get(29)->flags & ESE_LRF_MODIFIES);
	assert_true(ese_lrtyp_get(36)->flags & ESE_LRF_PAGE);
	assert_false(ese_lrtyp_get(36)->flags & ESE_LRF_MODIFIES);
	assert_true(ese_lrtyp_get(5)->flags & ESE_LRF_TRX);
	assert_true(ese_lrtyp_get(71)->flags & ESE_LRF_PADDING);
	assert_true(ese_lrtyp_get(62)->flags & ESE_LRF_MULTI_PAGE);
}

static void test_lr_size_rules(void **state)
{
	uint8_t r[200];
	uint32_t size;
	jr_errinfo ei;

	(void)state;
	memset(r, 0, sizeof(r));
	r[0] = 29;                    /* Insert: 50 + suffix + prefix + data */
	jr_put_le16(r + 44, 1);
	jr_put_le16(r + 46, 4);
	jr_put_le16(r + 48, 14);
	assert_int_equal(ese_lr_size(r, 50, &size, NULL), 0);
	assert_int_equal(size, 69);
	r[0] = 33;                    /* Replace: bit 15 is the DIFFHDR2 flag */
	jr_put_le16(r + 44, 0x8000 | 300);
	assert_int_equal(ese_lr_size(r, 50, &size, NULL), 0);
	assert_int_equal(size, 350);
	memset(r, 0, sizeof(r));
	r[0] = 62;                    /* Split2 */
	jr_put_le16(r + 96, 3);
	jr_put_le16(r + 98, 5);
	jr_put_le16(r + 100, 7);
	jr_put_le32(r + 106, 4096);
	assert_int_equal(ese_lr_size(r, 110, &size, NULL), 0);
	assert_int_equal(size, 110 + 3 + 5 + 7 + 4096);
	memset(r, 0, sizeof(r));
	r[0] = 14;                    /* CreateDB with version info */
	jr_put_le16(r + 40, 66);
	r[42] = 0x04 | 0x08;
	assert_int_equal(ese_lr_size(r, 43, &size, NULL), 0);
	assert_int_equal(size, 43 + 66 + 4);
	r[0] = 71;                    /* NOP2 */
	jr_put_le32(r + 1, 3337);
	assert_int_equal(ese_lr_size(r, 5, &size, NULL), 0);
	assert_int_equal(size, 3342);
	/* fixed part not present */
	r[0] = 29;
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_lr_size(r, 49, &size, &ei), JET_errLogFileCorrupt);
	/* obsolete and unknown types */
	r[0] = 40;
	assert_int_equal(ese_lr_size(r, 100, &size, NULL),
			 JET_errLogFileCorrupt);
	r[0] = 120;
	assert_int_equal(ese_lr_size(r, 100, &size, NULL),
			 JET_errLogFileCorrupt);
	/* a length field pointing past ESE_LR_SIZE_MAX */
	r[0] = 71;
	jr_put_le32(r + 1, 0xfffffff0u);
	assert_int_equal(ese_lr_size(r, 5, &size, NULL), JET_errLogFileCorrupt);
}

/* The first record of SRU00059.log, an Insert: its page fields. */
static void test_page_info_real(void **state)
{
	char *path = jr_test_data("srum-win11-dirty", "SRU00059.log");
	size_t len;
	uint8_t *buf = jr_test_slurp(path, &len);
	const uint8_t *rec = buf + 4096 + ESE_LOGSEG_HDR_SIZE;
	ese_lr_page pi;
	uint32_t size;
	uint16_t procid;

	(void)state;
	assert_int_equal(rec[0], ESE_LRTYP_INSERT);
	assert_int_equal(ese_lr_size(rec, 4056, &size, NULL), 0);
	assert_int_equal(size, 69);
	assert_true(ese_lr_page_info(rec, size, &pi));
	assert_int_equal(pi.dbid, 1);
	assert_int_equal(pi.pgno, 0x179);
	assert_true(pi.dbtime_after == 0xa764);
	assert_true(pi.dbtime_before == 0xa761);
	assert_true(pi.has_before);
	assert_true(pi.modifies);
	assert_true(ese_lr_procid(rec, size, &procid));
	assert_int_equal(procid, 10);
	/* a Commit carries a procid but no page */
	{
		const uint8_t commit[4] = { ESE_LRTYP_COMMIT, 10, 0, 0 };

		assert_false(ese_lr_page_info(commit, 4, &pi));
		assert_true(ese_lr_procid(commit, 4, &procid));
	}
	g_free(buf);
	g_free(path);
}

/* ---- whole real sets ---- */

struct typecount {
	const char *name;
	uint64_t n;
};

struct setfacts {
	const char *set;
	uint32_t gen_first, gen_last;
	uint64_t records;             /* README's count */
	uint64_t segments;
	uint64_t nop2;
	uint64_t fragmented;
	const struct typecount *types;
	size_t ntypes;
};

static const struct typecount dirty_types[] = {
	{ "Insert", 913 }, { "Commit", 310 }, { "Begin", 308 },
	{ "Split2", 56 }, { "NewPage", 28 }, { "MacroBegin", 28 },
	{ "MacroCommit", 28 }, { "MacroInfo", 28 }, { "Replace", 23 },
	{ "Delete", 7 }, { "NOP2", 7 }, { "ShutDownMark", 4 }, { "Term2", 4 },
	{ "Init2", 4 }, { "AttachDB", 4 }, { "SetDbVersion", 3 },
	{ "Commit0", 2 }, { "Begin0", 1 }, { "SetExternalHeader", 1 },
};

static const struct typecount clean_a_types[] = {
	{ "Insert", 1879 }, { "Commit", 937 }, { "Begin", 833 },
	{ "Split2", 83 }, { "NewPage", 70 }, { "Undo", 62 },
	{ "MacroBegin", 45 }, { "MacroCommit", 45 }, { "MacroInfo", 45 },
	{ "Replace", 37 }, { "Trace", 30 }, { "SetExternalHeader", 26 },
	{ "CreateSingleExtentFDP", 15 }, { "Delete", 11 }, { "Begin0", 10 },
	{ "Commit0", 10 }, { "NOP2", 8 }, { "ExtendDB", 7 },
	{ "FlagDelete", 5 }, { "ConvertFDP2", 5 }, { "ShutDownMark", 4 },
	{ "Init2", 3 }, { "AttachDB", 3 }, { "SetDbVersion", 3 },
	{ "Term2", 3 }, { "RecoveryUndo2", 1 }, { "Rollback", 1 },
	{ "RecoveryQuit2", 1 }, { "FlagInsertAndReplaceData", 1 },
	{ "UndoInfo", 1 },
};

static const struct typecount clean_b_types[] = {
	{ "Insert", 2444 }, { "Commit", 823 }, { "Begin", 816 },
	{ "Split2", 148 }, { "NewPage", 74 }, { "MacroBegin", 74 },
	{ "MacroCommit", 74 }, { "MacroInfo", 74 }, { "Replace", 69 },
	{ "Delete", 12 }, { "Commit0", 7 }, { "Begin0", 6 }, { "ExtendDB", 6 },
	{ "NOP2", 4 }, { "ShutDownMark", 3 }, { "Term2", 3 }, { "Init2", 2 },
	{ "SetExternalHeader", 1 }, { "AttachDB", 1 }, { "SetDbVersion", 1 },
};

static const struct setfacts sets[] = {
	{ "srum-win11-dirty", 0x59, 0x5C, 1759, 51, 7, 31,
	  dirty_types, G_N_ELEMENTS(dirty_types) },
	{ "srum-win10-clean-a", 3, 9, 4184, 91, 8, 56,
	  clean_a_types, G_N_ELEMENTS(clean_a_types) },
	{ "srum-win10-clean-b", 0x19, 0x20, 4642, 112, 4, 71,
	  clean_b_types, G_N_ELEMENTS(clean_b_types) },
};

/* Whether drain() checks that positions chain (not when records such as
 * NOP2 are held back). */
static bool chain_check = true;

/* Read a whole reader to its end; returns the final JET_ERR (END -> 0). */
static JET_ERR drain(ese_logreader *r, uint64_t *nreturned, jr_errinfo *ei)
{
	ese_logrecord rec;
	ese_lgpos prev_end = { 0, 0, 0 };
	uint64_t n = 0;
	JET_ERR err;

	while ((err = ese_logreader_next(r, &rec, ei)) == JET_errSuccess) {
		/* positions chain: each record starts where the last ended
		 * (or at the start of the next file) */
		if (chain_check && n > 0 && rec.lgpos.gen == prev_end.gen)
			assert_int_equal(ese_lgpos_cmp(&rec.lgpos, &prev_end),
					 0);
		assert_true(ese_lgpos_cmp(&rec.lgpos_end, &rec.lgpos) > 0);
		assert_true(ese_lgpos_cmp(&rec.lgpos_data, &rec.lgpos) >= 0);
		assert_int_equal(rec.lrtyp, rec.data[0]);
		prev_end = rec.lgpos_end;
		n++;
	}
	if (nreturned)
		*nreturned = n;
	return err == ESE_LOGREADER_END ? JET_errSuccess : err;
}

static void check_set(const struct setfacts *f, ese_logreader *r)
{
	const ese_logreader_stats *st = ese_logreader_stats_get(r);
	uint64_t sum = 0;

	assert_int_equal(st->records, f->records);
	assert_int_equal(st->segments, f->segments);
	assert_int_equal(st->nop2_records, f->nop2);
	assert_int_equal(st->fragmented_records, f->fragmented);
	assert_int_equal(st->files, f->gen_last - f->gen_first + 1);
	/* every in-use byte is a segment header, a record or NOP padding */
	assert_int_equal(st->inuse_bytes, st->segments * 4096);
	assert_int_equal(st->header_bytes + st->record_bytes + st->nop_bytes,
			 st->inuse_bytes);
	assert_int_equal(st->shadow_repairs, 0);
	assert_int_equal(st->torn_fragments, 0);
	/* the full per-type table, nothing else */
	for (size_t i = 0; i < f->ntypes; i++) {
		int t = ese_lrtyp_from_name(f->types[i].name);

		assert_true(t >= 0);
		if (st->by_type[t] != f->types[i].n)
			fail_msg("%s: %s: %llu records, expected %llu", f->set,
				 f->types[i].name,
				 (unsigned long long)st->by_type[t],
				 (unsigned long long)f->types[i].n);
		sum += f->types[i].n;
	}
	assert_int_equal(sum, f->records);
	assert_int_equal(st->by_type[ESE_LRTYP_FRAGMENT_BEGIN], 0);
	assert_int_equal(st->by_type[ESE_LRTYP_FRAGMENT], 0);
	assert_int_equal(st->by_type[ESE_LRTYP_NOP], 0);
}

static void test_real_sets_range(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(sets); i++) {
		char *dir = jr_test_data(sets[i].set, NULL);
		ese_logreader *r;
		jr_errinfo ei;
		uint64_t n;

		jr_errinfo_clear(&ei);
		assert_int_equal(ese_logreader_open_range(dir, "SRU",
			sets[i].gen_first, ESE_LOGREADER_GEN_CURRENT, NULL,
			&r, &ei), 0);
		if (drain(r, &n, &ei) != 0)
			fail_msg("%s: %d %s", sets[i].set, ei.err, ei.detail);
		assert_int_equal(n, sets[i].records);
		check_set(&sets[i], r);
		assert_int_equal(ese_logreader_header(r)->gen,
				 sets[i].gen_last);
		ese_logreader_close(r);

		/* the same with an explicit last generation */
		assert_int_equal(ese_logreader_open_range(dir, "SRU",
			sets[i].gen_first, sets[i].gen_last, NULL, &r, &ei), 0);
		assert_int_equal(drain(r, &n, &ei), 0);
		check_set(&sets[i], r);
		ese_logreader_close(r);
		g_free(dir);
	}
}

/* The README counts NOP2 fill records as records: without them the
 * totals are 7, 8 and 4 lower. */
static void test_nop2_not_returned(void **state)
{
	char *dir = jr_test_data("srum-win11-dirty", NULL);
	ese_logreader_opts o;
	ese_logreader *r;
	uint64_t n;

	(void)state;
	ese_logreader_opts_init(&o);
	o.return_nop2 = false;
	assert_int_equal(ese_logreader_open_range(dir, "SRU", 0x59, 0x5C, &o,
						  &r, NULL), 0);
	chain_check = false;
	assert_int_equal(drain(r, &n, NULL), 0);
	chain_check = true;
	assert_int_equal(n, 1759 - 7);
	assert_int_equal(ese_logreader_stats_get(r)->records, 1759);
	ese_logreader_close(r);
	g_free(dir);
}

/* ESE's record positions: the checkpoint of the Windows 11 set,
 * (0x5C,8,0), is the position of a record; the first record of a file
 * is at (gen,1,0); FragmentBegin positions and the long NOP2 of SRU.log. */
static void test_record_positions(void **state)
{
	char *dir = jr_test_data("srum-win11-dirty", NULL);
	ese_lgpos chk = { 0, 8, 0x5C };
	ese_logreader *r;
	ese_logrecord rec;
	bool chk_found = false, first = true;
	uint64_t nop2_5c = 0;
	uint32_t max_size = 0;

	(void)state;
	assert_int_equal(ese_logreader_open_range(dir, "SRU", 0x59,
		ESE_LOGREADER_GEN_CURRENT, NULL, &r, NULL), 0);
	while (ese_logreader_next(r, &rec, NULL) == JET_errSuccess) {
		if (first) {
			assert_int_equal(rec.lgpos.gen, 0x59);
			assert_int_equal(rec.lgpos.isec, 1);
			assert_int_equal(rec.lgpos.ib, 0);
			assert_int_equal(rec.lgpos_data.ib, 40);
			assert_int_equal(rec.lrtyp, ESE_LRTYP_INSERT);
			assert_string_equal(rec.file, "SRU00059.log");
			first = false;
		}
		if (ese_lgpos_cmp(&rec.lgpos, &chk) == 0)
			chk_found = true;
		if (rec.nfragments) {
			assert_true(rec.nfragments >= 2);
			assert_true(rec.size > 4096 - 40 - 7 ||
				    rec.lgpos_data.isec < rec.lgpos_end.isec);
		}
		if (rec.size > max_size)
			max_size = rec.size;
		if (rec.lrtyp == ESE_LRTYP_NOP2 && rec.lgpos.gen == 0x5C) {
			/* SRU.log segment 9: Init2, AttachDB, then a NOP2 of
			 * 3337 bytes filling the segment at a flush */
			nop2_5c++;
			if (rec.lgpos_data.isec == 9) {
				assert_int_equal(rec.lgpos_data.ib, 759);
				assert_int_equal(rec.size, 3337);
				assert_int_equal(rec.lgpos_end.isec, 10);
				assert_int_equal(rec.lgpos_end.ib, 0);
			}
		}
		if (rec.lgpos.gen == 0x59)
			assert_string_equal(rec.file, "SRU00059.log");
		if (rec.lgpos.gen == 0x5C)
			assert_string_equal(rec.file, "SRU.log");
	}
	assert_true(chk_found);
	assert_true(nop2_5c >= 1);
	/* the largest record: a NOP2 filling a segment after a 15-byte
	 * record (4096 - 40 - 15) */
	assert_int_equal(max_size, 4041);
	ese_logreader_close(r);
	g_free(dir);
}

/* ---- damaged and misplaced copies ---- */

/* Copy the dirty set's four logs into a fresh directory. */
static char *copy_dirty(const char *name)
{
	static const char *const files[] = {
		"SRU00059.log", "SRU0005A.log", "SRU0005B.log", "SRU.log",
	};
	char *dir = jr_test_tmpdir(name);

	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *src = jr_test_data("srum-win11-dirty", files[i]);
		char *dst = g_build_filename(dir, files[i], NULL);

		jr_test_copy(src, dst);
		g_free(src);
		g_free(dst);
	}
	return dir;
}

static uint8_t *load(const char *dir, const char *file, size_t *len)
{
	char *p = g_build_filename(dir, file, NULL);
	uint8_t *b = jr_test_slurp(p, len);

	g_free(p);
	return b;
}

static void store(const char *dir, const char *file, const uint8_t *b,
		  size_t len)
{
	char *p = g_build_filename(dir, file, NULL);

	jr_test_spit(p, b, len);
	g_free(p);
}

static JET_ERR read_range(const char *dir, uint32_t first, uint32_t last,
			  const ese_logreader_opts *o, jr_errinfo *ei,
			  ese_logreader_stats *st)
{
	ese_logreader *r;
	JET_ERR err;

	jr_errinfo_clear(ei);
	err = ese_logreader_open_range(dir, "SRU", first, last, o, &r, ei);
	if (err < 0)
		return err;
	err = drain(r, NULL, ei);
	if (st)
		*st = *ese_logreader_stats_get(r);
	/* after an error the reader keeps returning it */
	if (err < 0) {
		ese_logrecord rec;

		assert_int_equal(ese_logreader_next(r, &rec, NULL), err);
	}
	ese_logreader_close(r);
	return err;
}

/* Reading first..last of dir fails with want; the detail (ei) names
 * `detail` when it is not NULL. */
static void assert_range_fails(const char *dir, uint32_t first, uint32_t last,
			       const ese_logreader_opts *o, JET_ERR want,
			       const char *detail, jr_errinfo *ei)
{
	assert_int_equal(read_range(dir, first, last, o, ei, NULL), want);
	if (detail)
		assert_non_null(strstr(ei->detail, detail));
}

static void reseal_header(uint8_t *b)
{
	jr_put_le32(b, ese_loghdr_checksum(b));
}

static void test_damaged_truncated_zero_header(void **state)
{
	char *dir = copy_dirty("lr-damaged1");
	size_t len;
	uint8_t *b = load(dir, "SRU0005A.log", &len);
	jr_errinfo ei;

	(void)state;
	/* truncated: the size no longer matches the header (ESE: -541) */
	store(dir, "SRU0005A.log", b, 40000);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileSizeMismatch,
			   "SRU0005A.log", &ei);
	/* truncated inside the header */
	store(dir, "SRU0005A.log", b, 1000);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileCorrupt,
			   NULL, &ei);
	/* zero-filled */
	{
		uint8_t *z = g_malloc0(len);

		store(dir, "SRU0005A.log", z, len);
		g_free(z);
	}
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileCorrupt,
			   "blank", &ei);
	/* a flipped bit in the header */
	b[700] ^= 0x10;
	store(dir, "SRU0005A.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileCorrupt,
			   "SRU0005A.log", &ei);
	assert_non_null(strstr(ei.detail, "header checksum"));
	g_free(b);
	g_free(dir);
}

static void test_damaged_segment(void **state)
{
	char *dir = copy_dirty("lr-damaged2");
	size_t len;
	uint8_t *b = load(dir, "SRU0005A.log", &len);
	ese_logreader_opts o;
	ese_logreader_stats st;
	jr_errinfo ei;

	(void)state;
	/* one flipped bit in segment 3: -501 with the segment's lgpos */
	b[3 * 4096 + 500] ^= 0x04;
	store(dir, "SRU0005A.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileCorrupt,
			   "SRU0005A.log", &ei);
	assert_non_null(strstr(ei.detail, "(0x5A,3,0)"));
	assert_non_null(strstr(ei.detail, "bit 4002"));
	/* ESE corrects such a bit; so does the reader when asked */
	ese_logreader_opts_init(&o);
	o.fix_single_bit_errors = true;
	assert_int_equal(read_range(dir, 0x59, 0x5C, &o, &ei, &st), 0);
	assert_int_equal(st.bits_corrected, 1);
	assert_int_equal(st.records, 1759);
	/* several damaged bytes: not correctable */
	b[3 * 4096 + 600] ^= 0xff;
	store(dir, "SRU0005A.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, &o, JET_errLogFileCorrupt,
			   "(0x5A,3,0)", &ei);
	/* a segment whose record sizes are wrong but checksum right */
	b[3 * 4096 + 600] ^= 0xff;
	b[3 * 4096 + 500] ^= 0x04;
	b[5 * 4096 + 40] = 0x2a + 0x40;  /* type 106: past lrtypMax */
	ese_logseg_seal(b + 5 * 4096, 0x5A, 5, NULL);
	store(dir, "SRU0005A.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileCorrupt,
			   "(0x5A,5,28)", &ei);
	g_free(b);
	g_free(dir);
}

static void test_foreign_signature(void **state)
{
	char *dir = copy_dirty("lr-signature");
	size_t len;
	uint8_t *b = load(dir, "SRU0005B.log", &len);
	jr_errinfo ei;

	(void)state;
	b[44] ^= 0x01;                   /* signLog.ulRandom */
	reseal_header(b);
	store(dir, "SRU0005B.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errBadLogSignature,
			   "SRU0005B.log", &ei);
	/* a log of another real set in the range */
	{
		char *other = jr_test_data("srum-win10-clean-b",
					   "SRU0001A.log");
		char *dst = g_build_filename(dir, "SRU0005B.log", NULL);

		jr_test_copy(other, dst);
		g_free(other);
		g_free(dst);
	}
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errBadLogSignature,
			   NULL, &ei);
	g_free(b);
	g_free(dir);
}

static void test_generation_gap_and_mismatch(void **state)
{
	char *dir = copy_dirty("lr-gap");
	char *gone = g_build_filename(dir, "SRU0005A.log", NULL);
	char *tmp = jr_test_data("srum-win11-dirty", "SRUtmp.log");
	char *jrs = jr_test_data("srum-win11-dirty", "SRUres00001.jrs");
	jr_errinfo ei;

	(void)state;
	g_unlink(gone);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errMissingLogFile,
			   "0x5A", &ei);
	/* the recycled SRUtmp.log (a complete generation 0x50) where 0x5A
	 * belongs */
	jr_test_copy(tmp, gone);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogGenerationMismatch,
			   "0x50", &ei);
	assert_non_null(strstr(ei.detail, "0x5A"));
	/* a reserve log there */
	jr_test_copy(jrs, gone);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errLogFileCorrupt,
			   "reserve log", &ei);
	/* the range past what exists */
	jr_test_copy(tmp, gone);
	{
		char *src = jr_test_data("srum-win11-dirty", "SRU0005A.log");

		jr_test_copy(src, gone);
		g_free(src);
	}
	assert_int_equal(read_range(dir, 0x59, 0x5C, NULL, &ei, NULL), 0);
	assert_range_fails(dir, 0x59, 0x5D, NULL, JET_errMissingLogFile,
			   "0x5D", &ei);
	g_free(gone);
	g_free(tmp);
	g_free(jrs);
	g_free(dir);
}

static void test_file_lists(void **state)
{
	char *p59 = jr_test_data("srum-win11-dirty", "SRU00059.log");
	char *p5a = jr_test_data("srum-win11-dirty", "SRU0005A.log");
	char *p5b = jr_test_data("srum-win11-dirty", "SRU0005B.log");
	char *p5c = jr_test_data("srum-win11-dirty", "SRU.log");
	char *ptmp = jr_test_data("srum-win11-dirty", "SRUtmp.log");
	ese_logreader *r;
	ese_logreader_stats st;
	jr_errinfo ei;
	uint64_t n;

	(void)state;
	{
		const char *all[] = { p59, p5a, p5b, p5c };

		assert_int_equal(ese_logreader_open_files(all, 4, NULL, &r,
							  NULL), 0);
		assert_int_equal(drain(r, &n, NULL), 0);
		assert_int_equal(n, 1759);
		ese_logreader_close(r);
	}
	{
		const char *gap[] = { p59, p5b };

		jr_errinfo_clear(&ei);
		assert_int_equal(ese_logreader_open_files(gap, 2, NULL, &r,
							  NULL), 0);
		assert_int_equal(drain(r, NULL, &ei), JET_errMissingLogFile);
		ese_logreader_close(r);
	}
	{
		const char *tmp_after[] = { p59, ptmp };

		jr_errinfo_clear(&ei);
		assert_int_equal(ese_logreader_open_files(tmp_after, 2, NULL,
							  &r, NULL), 0);
		assert_int_equal(drain(r, NULL, &ei),
				 JET_errLogGenerationMismatch);
		ese_logreader_close(r);
	}
	{
		/* SRUtmp.log alone: a whole, valid generation 0x50 of the
		 * same sequence, all 14 data segments in use */
		const char *alone[] = { ptmp };
		ese_loghdr *h = g_new0(ese_loghdr, 1), *h59 = g_new0(ese_loghdr, 1);

		assert_int_equal(ese_loghdr_read_file(ptmp, h, NULL, NULL), 0);
		assert_int_equal(ese_loghdr_read_file(p59, h59, NULL, NULL), 0);
		assert_int_equal(h->gen, 0x50);
		assert_true(ese_signature_equal(&h->sign_log, &h59->sign_log));
		assert_int_equal(ese_logreader_open_files(alone, 1, NULL, &r,
							  NULL), 0);
		assert_int_equal(drain(r, &n, NULL), 0);
		st = *ese_logreader_stats_get(r);
		assert_int_equal(st.segments, 14);
		assert_int_equal(st.header_bytes + st.record_bytes +
				 st.nop_bytes, 14 * 4096);
		assert_true(n > 100);
		ese_logreader_close(r);
		g_free(h);
		g_free(h59);
	}
	g_free(p59);
	g_free(p5a);
	g_free(p5b);
	g_free(p5c);
	g_free(ptmp);
}

static void test_chains(void **state)
{
	char *dir = copy_dirty("lr-chain");
	size_t len;
	uint8_t *b = load(dir, "SRU0005B.log", &len);
	uint8_t orig[ESE_LOGHDR_SIZE];
	jr_errinfo ei;

	(void)state;
	memcpy(orig, b, sizeof(orig));
	/* tmPrevGen no longer the creation time of 0x5A */
	b[24] ^= 0x01;
	reseal_header(b);
	store(dir, "SRU0005B.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, NULL, JET_errInvalidLogSequence,
			   NULL, &ei);
	/* previous generation's segment checksum XOR */
	memcpy(b, orig, sizeof(orig));
	b[653] ^= 0x01;
	reseal_header(b);
	store(dir, "SRU0005B.log", b, len);
	assert_range_fails(dir, 0x59, 0x5C, NULL,
			   JET_errLogSequenceChecksumMismatch, NULL, &ei);
	/* 0 means "not recorded" */
	memset(b + 653, 0, 8);
	reseal_header(b);
	store(dir, "SRU0005B.log", b, len);
	assert_int_equal(read_range(dir, 0x59, 0x5C, NULL, &ei, NULL), 0);
	g_free(b);
	g_free(dir);
}

/* The end of the data: a torn last segment repaired from its shadow, and
 * a valid segment after the end. */
static void test_shadow_and_tail(void **state)
{
	char *dir = jr_test_tmpdir("lr-shadow");
	char *src = jr_test_data("srum-win10-clean-a", "SRU.log");
	char *dst = g_build_filename(dir, "SRU.log", NULL);
	ese_logreader_stats st, base;
	size_t len;
	uint8_t *b;
	jr_errinfo ei;

	(void)state;
	jr_test_copy(src, dst);
	assert_int_equal(read_range(dir, 9, 9, NULL, &ei, &base), 0);
	/* segments 1..7 in use, 8 is the shadow copy of 7 */
	assert_int_equal(base.segments, 7);
	b = load(dir, "SRU.log", &len);
	assert_memory_equal(b + 7 * 4096, b + 8 * 4096, 4096);
	/* tear segment 7: its shadow repairs it */
	memset(b + 7 * 4096 + 2000, 0xAB, 100);
	store(dir, "SRU.log", b, len);
	assert_int_equal(read_range(dir, 9, 9, NULL, &ei, &st), 0);
	assert_int_equal(st.shadow_repairs, 1);
	assert_int_equal(st.records, base.records);
	/* both copies damaged */
	memset(b + 8 * 4096 + 2000, 0xCD, 100);
	store(dir, "SRU.log", b, len);
	assert_range_fails(dir, 9, 9, NULL, JET_errLogFileCorrupt,
			   "(0x9,7,0)", &ei);
	g_free(b);
	/* a valid segment of this generation after the end of the data */
	b = load(dir, "SRU.log", &len);
	jr_test_copy(src, dst);
	g_free(b);
	b = load(dir, "SRU.log", &len);
	memcpy(b + 11 * 4096, b + 3 * 4096, 4096);
	ese_logseg_seal(b + 11 * 4096, 9, 11, NULL);
	store(dir, "SRU.log", b, len);
	assert_range_fails(dir, 9, 9, NULL, JET_errLogFileCorrupt,
			   "after the end", &ei);
	/* a segment claiming a later position */
	jr_test_copy(src, dst);
	g_free(b);
	b = load(dir, "SRU.log", &len);
	jr_put_le16(b + 4 * 4096 + 10, 5);
	jr_put_le64(b + 4 * 4096,
		    ese_checksum_ecc(b + 4 * 4096, 4096, 4, true));
	store(dir, "SRU.log", b, len);
	assert_range_fails(dir, 9, 9, NULL, JET_errLogFileCorrupt,
			   "(0x9,4,0) claims lgpos (0x9,5,0)", &ei);
	/* sealed as isec 5 but stored at 4: bad checksum for its place */
	jr_test_copy(src, dst);
	g_free(b);
	b = load(dir, "SRU.log", &len);
	ese_logseg_seal(b + 4 * 4096, 9, 5, NULL);
	store(dir, "SRU.log", b, len);
	assert_range_fails(dir, 9, 9, NULL, JET_errLogFileCorrupt,
			   "checksum mismatch at lgpos (0x9,4,0)", &ei);
	g_free(b);
	g_free(src);
	g_free(dst);
	g_free(dir);
}

/* The segments of every real log classify as expected. */
static void test_segment_classes(void **state)
{
	char *p = jr_test_data("srum-win11-dirty", "SRU0005A.log");
	size_t len;
	uint8_t *b = jr_test_slurp(p, &len);
	ese_logseg_check c;
	ese_logseghdr sh;

	(void)state;
	for (uint16_t i = 1; i <= 14; i++) {
		ese_logseg_classify(b + i * 4096, 0x5A, i, &c);
		assert_int_equal(c.state, ESE_LOGSEG_VALID);
		assert_true(c.stored == c.computed);
	}
	/* sector 15 holds the shadow of segment 14 of the file's previous
	 * life as generation 0x4E: a shadow where it lies, stale as data */
	ese_logseg_classify(b + 15 * 4096, 0x5A, 15, &c);
	assert_int_equal(c.state, ESE_LOGSEG_SHADOW);
	ese_logseg_classify(b + 15 * 4096, 0x5A, 14, &c);
	assert_int_equal(c.state, ESE_LOGSEG_STALE);
	assert_int_equal(c.lgpos.gen, 0x4E);
	ese_logseghdr_parse(b + 4096, &sh);
	assert_int_equal(sh.flags, ESE_LOGSEG_FLAG_ECC);
	assert_int_equal(sh.lgpos.isec, 1);
	assert_int_equal(sh.lgpos.gen, 0x5A);
	assert_true(ese_logtime_is_set(&sh.logtime_start));
	g_free(b);
	g_free(p);
}

static void test_mem_image(void **state)
{
	char *p = jr_test_data("srum-win10-clean-b", "SRU0001C.log");
	size_t len;
	uint8_t *b = jr_test_slurp(p, &len);
	ese_logreader *r;
	jr_errinfo ei;
	uint64_t n;

	(void)state;
	assert_int_equal(ese_logreader_open_mem(b, len, "img", NULL, &r,
						NULL), 0);
	assert_int_equal(drain(r, &n, NULL), 0);
	assert_int_equal(ese_logreader_stats_get(r)->segments, 14);
	assert_true(n > 0);
	ese_logreader_close(r);
	/* an image cut short */
	assert_int_equal(ese_logreader_open_mem(b, 9000, "img", NULL, &r,
						NULL), 0);
	jr_errinfo_clear(&ei);
	assert_int_equal(drain(r, NULL, &ei), JET_errLogFileSizeMismatch);
	assert_non_null(strstr(ei.detail, "img"));
	ese_logreader_close(r);
	g_free(b);
	g_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lrtyp_table),
		cmocka_unit_test(test_lr_size_rules),
		cmocka_unit_test(test_page_info_real),
		cmocka_unit_test(test_real_sets_range),
		cmocka_unit_test(test_nop2_not_returned),
		cmocka_unit_test(test_record_positions),
		cmocka_unit_test(test_damaged_truncated_zero_header),
		cmocka_unit_test(test_damaged_segment),
		cmocka_unit_test(test_foreign_signature),
		cmocka_unit_test(test_generation_gap_and_mismatch),
		cmocka_unit_test(test_file_lists),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_shadow_and_tail),
		cmocka_unit_test(test_segment_classes),
		cmocka_unit_test(test_mem_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
