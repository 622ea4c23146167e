/*
 * test_lrdecode.c - every record of the three real Windows log sets
 * decodes; the decoded fields hold what Windows wrote (values read by hand
 * from the bytes, invariants over whole sets, pre-images that expand to
 * sound pages); the layouts absent from the real sets decode from records
 * built here; damaged records fail with -501 and never crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <glib.h>

#include "ese/logreader.h"
#include "ese/lrtyp.h"
#include "ese/page.h"
#include "ese/pagecheck.h"
#include "lz77_ref.h"
#include "recover/lrdecode.h"
#include "recover/xpress.h"
#include "testutil.h"
#include "util/bytes.h"

#define PAGE 4096

/* Type numbers lrtyp.h leaves out, for readability below. */
enum {
	T_FLAG_INSERT_REPLACE = 31, T_REPLACE_D = 34, T_DELTA = 37,
	T_EMPTY_TREE = 48, T_CONVERT_FDP2 = 58, T_CREATE_SE_FDP = 25,
	T_CREATE_ME_FDP = 24, T_PAGE_MOVE = 65, T_EXTEND_DB = 68,
	T_DELTA64 = 93, T_SHRINK_DB3 = 99, T_EXTENT_FREED2 = 101,
	T_BACKUP2 = 60, T_SCRUB = 64, T_MACRO_INFO2 = 73,
};

/* ------------------------------------------------------------------
 * Walking a real set
 * ------------------------------------------------------------------ */

struct set_walk {
	const char *set;
	uint32_t gen_first;

	/* filled by walk_set */
	uint64_t records;
	uint64_t decoded_by_type[256];
	uint64_t reader_by_type[256];
	uint8_t attach_dbid;          /* SRUDB.dat in the log header */
	uint32_t db_pages;            /* pages in SRUDB.dat */
	uint64_t page_records;
	uint64_t wrong_dbid;
	uint64_t pgno_out_of_file;
	uint64_t dbtime_not_increasing;
	uint64_t preimages;
	uint64_t preimage_problems;
	uint64_t preimage_mismatch;   /* logged != required */
	uint64_t split_levels_without_split;
	uint64_t split_leaf_ops;      /* node records with dbtimeBefore nil */
	/* transactions per procid: level, or -1 before the first record */
	int level[65536];
	uint32_t open_at_start;       /* sessions whose first record closes */
	uint16_t open_procid;
	uint8_t open_first_lrtyp;
	uint32_t open_at_end;
	uint64_t level_errors;
};

static void track_transactions(struct set_walk *w, const lr_record *r)
{
	uint16_t procid;
	int *lv;

	switch (r->lrtyp) {
	case ESE_LRTYP_BEGIN:
	case ESE_LRTYP_BEGIN0:
		procid = r->u.begin.procid;
		lv = &w->level[procid];
		if (*lv >= 0 && *lv != r->u.begin.level_begin_from)
			w->level_errors++;
		if (*lv < 0 && r->u.begin.level_begin_from != 0)
			w->level_errors++;
		*lv = r->u.begin.level_begin_from + r->u.begin.clevels_to_begin;
		break;
	case ESE_LRTYP_COMMIT:
	case ESE_LRTYP_COMMIT0:
	case ESE_LRTYP_ROLLBACK:
		procid = r->lrtyp == ESE_LRTYP_ROLLBACK ? r->u.rollback.procid
							: r->u.commit.procid;
		lv = &w->level[procid];
		if (*lv < 0) {
			/* a transaction that was open when the logs start */
			w->open_at_start++;
			w->open_procid = procid;
			w->open_first_lrtyp = r->lrtyp;
			*lv = r->lrtyp == ESE_LRTYP_ROLLBACK
				? 0 : r->u.commit.level_commit_to;
			break;
		}
		if (r->lrtyp == ESE_LRTYP_ROLLBACK) {
			if (*lv < r->u.rollback.level_rollback)
				w->level_errors++;
			*lv -= r->u.rollback.level_rollback;
		} else {
			if (*lv < r->u.commit.level_commit_to)
				w->level_errors++;
			*lv = r->u.commit.level_commit_to;
		}
		break;
	default:
		break;
	}
}

static void check_preimage(struct set_walk *w, const lr_page_hdr *h,
			   uint32_t objid_fdp, uint32_t flags, lr_bytes image)
{
	static uint8_t page[PAGE];
	ese_page_layout lay;
	ese_page_problems pp;
	ese_pagecheck_opts opts = { .skip_checksum = true };
	jr_errinfo ei = { 0 };

	w->preimages++;
	assert_int_equal(lr_preimage_expand(flags, image, page, PAGE, &ei), 0);
	/* logged after the page was dirtied: its dbtime is already the
	 * operation's, its object the tree's */
	assert_int_equal(jr_le64(page + 8), h->dbtime_after);
	assert_int_equal(jr_le32(page + 24), objid_fdp);
	assert_int_equal(ese_page_layout_init(&lay, PAGE, NULL), 0);
	ese_page_problems_init(&pp);
	if (ese_page_check(&lay, page, h->pgno, &opts, &pp) != 0)
		w->preimage_problems++;
	ese_page_problems_free(&pp);
}

static void check_page_record(struct set_walk *w, const lr_record *r)
{
	const lr_page_hdr *h = lr_page_of(r);
	uint8_t dbid;
	uint32_t pgno;

	if (r->lrtyp == ESE_LRTYP_NEW_PAGE) {
		dbid = r->u.new_page.dbid;
		pgno = r->u.new_page.pgno;
	} else if (h) {
		dbid = h->dbid;
		pgno = h->pgno;
		if (h->dbtime_before == LR_DBTIME_NIL)
			w->split_leaf_ops++;
		else if (h->dbtime_after <= h->dbtime_before)
			w->dbtime_not_increasing++;
	} else {
		return;
	}
	w->page_records++;
	if (dbid != w->attach_dbid)
		w->wrong_dbid++;
	if (pgno == 0 || pgno > w->db_pages)
		w->pgno_out_of_file++;

	if (r->lrtyp == ESE_LRTYP_SPLIT2) {
		const lr_split *s = &r->u.split;
		if (s->pgno_new > w->db_pages || s->pgno_right > w->db_pages ||
		    s->pgno_parent > w->db_pages)
			w->pgno_out_of_file++;
		if (s->pgno_right && s->dbtime_right_before >= h->dbtime_after)
			w->dbtime_not_increasing++;
		if (s->pgno_parent &&
		    s->dbtime_parent_before >= h->dbtime_after)
			w->dbtime_not_increasing++;
		if (s->preimage.len)
			check_preimage(w, h, s->objid_fdp, s->preimage_flags,
				       s->preimage);
		/* Windows logged a pre-image exactly where ESE's redo
		 * requires one */
		if (lr_split_preimage_required(s) != (s->preimage.len != 0))
			w->preimage_mismatch++;
		if (s->pgno_new == 0)
			w->split_levels_without_split++;
	}
}

static uint32_t file_pages(const char *set)
{
	char *path = jr_test_data(set, "SRUDB.dat");
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	g_free(path);
	/* the header and its shadow take the first two page slots */
	return (uint32_t)(st.st_size / PAGE) - 2;
}

static void walk_set(struct set_walk *w)
{
	char *dir = jr_test_data(w->set, NULL);
	ese_logreader *rd = NULL;
	ese_logreader_opts opts;
	ese_logrecord rec;
	jr_errinfo ei = { 0 };
	JET_ERR err;

	for (size_t i = 0; i < 65536; i++)
		w->level[i] = -1;
	w->db_pages = file_pages(w->set);
	ese_logreader_opts_init(&opts);
	assert_int_equal(ese_logreader_open_range(dir, "SRU", w->gen_first,
						  ESE_LOGREADER_GEN_CURRENT,
						  &opts, &rd, &ei), 0);
	while ((err = ese_logreader_next(rd, &rec, &ei)) == 0) {
		lr_record r;
		jr_errinfo dei = { 0 };

		if (w->records == 0) {
			const ese_loghdr *hdr = ese_logreader_header(rd);
			assert_non_null(hdr);
			for (unsigned i = 0; i < hdr->n_attach; i++)
				if (strstr(hdr->attach[i].path, "SRUDB.dat"))
					w->attach_dbid = hdr->attach[i].dbid;
			assert_true(w->attach_dbid != 0);
		}
		err = lr_decode(rec.data, rec.size, &r, &dei);
		if (err != 0)
			fail_msg("%s %s: %s", w->set, rec.file, dei.detail);
		assert_int_equal(r.lrtyp, rec.lrtyp);
		w->records++;
		w->decoded_by_type[r.lrtyp]++;
		check_page_record(w, &r);
		track_transactions(w, &r);
		if (r.lrtyp == ESE_LRTYP_ATTACH_DB)
			assert_int_equal(r.u.attach_db.dbid, w->attach_dbid);
	}
	assert_int_equal(err, ESE_LOGREADER_END);
	memcpy(w->reader_by_type, ese_logreader_stats_get(rd)->by_type,
	       sizeof w->reader_by_type);
	ese_logreader_close(rd);
	g_free(dir);

	for (size_t i = 0; i < 65536; i++)
		if (w->level[i] > 0)
			w->open_at_end++;
}

static void assert_walk_common(const struct set_walk *w)
{
	/* the decoder and the reader's type table agree record by record */
	for (int t = 0; t < 256; t++)
		assert_int_equal(w->decoded_by_type[t], w->reader_by_type[t]);
	assert_int_equal(w->wrong_dbid, 0);
	assert_int_equal(w->pgno_out_of_file, 0);
	assert_int_equal(w->dbtime_not_increasing, 0);
	assert_int_equal(w->preimage_problems, 0);
	assert_int_equal(w->preimage_mismatch, 0);
	assert_int_equal(w->level_errors, 0);
	assert_int_equal(w->open_at_end, 0);
	assert_true(w->page_records > 0);
}

static void test_real_win11_dirty(void **state)
{
	(void)state;
	struct set_walk *w = calloc(1, sizeof *w);

	assert_non_null(w);
	w->set = "srum-win11-dirty";
	w->gen_first = 0x59;
	walk_set(w);
	assert_walk_common(w);
	assert_int_equal(w->records, 1759);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_INSERT], 913);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_SPLIT2], 56);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_NEW_PAGE], 28);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_REPLACE], 23);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_DELETE], 7);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_SET_EXTERNAL_HEADER], 1);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_MACRO_BEGIN], 28);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_MACRO_COMMIT], 28);
	assert_int_equal(w->attach_dbid, 1);
	assert_int_equal(w->db_pages, 606);
	/* 28 splits carry a leaf insert, logged with dbtimeBefore nil */
	assert_int_equal(w->split_leaf_ops, 28);
	assert_int_equal(w->preimages, 2);
	assert_int_equal(w->split_levels_without_split, 28);
	/* one outer transaction open when the set starts (session 10, whose
	 * first record commits level 2 to 1), closed inside it */
	assert_int_equal(w->open_at_start, 1);
	assert_int_equal(w->open_procid, 10);
	assert_int_equal(w->open_first_lrtyp, ESE_LRTYP_COMMIT);
	free(w);
}

static void test_real_win10_clean_a(void **state)
{
	(void)state;
	struct set_walk *w = calloc(1, sizeof *w);

	assert_non_null(w);
	w->set = "srum-win10-clean-a";
	w->gen_first = 3;
	walk_set(w);
	assert_walk_common(w);
	assert_int_equal(w->records, 4184);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_UNDO], 62);
	assert_int_equal(w->decoded_by_type[T_CREATE_SE_FDP], 15);
	assert_int_equal(w->decoded_by_type[T_CONVERT_FDP2], 5);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_FLAG_DELETE], 5);
	assert_int_equal(w->decoded_by_type[T_FLAG_INSERT_REPLACE], 1);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_SPLIT2], 83);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_NEW_PAGE], 70);
	assert_int_equal(w->decoded_by_type[T_EXTEND_DB], 7);
	assert_int_equal(w->db_pages, 190);
	assert_int_equal(w->preimages, 16);
	/* the set starts inside a transaction of session 5: its first
	 * record is a Rollback */
	assert_int_equal(w->open_at_start, 1);
	assert_int_equal(w->open_procid, 5);
	assert_int_equal(w->open_first_lrtyp, ESE_LRTYP_ROLLBACK);
	free(w);
}

static void test_real_win10_clean_b(void **state)
{
	(void)state;
	struct set_walk *w = calloc(1, sizeof *w);

	assert_non_null(w);
	w->set = "srum-win10-clean-b";
	w->gen_first = 0x19;
	walk_set(w);
	assert_walk_common(w);
	assert_int_equal(w->records, 4642);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_INSERT], 2444);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_SPLIT2], 148);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_NEW_PAGE], 74);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_REPLACE], 69);
	assert_int_equal(w->decoded_by_type[ESE_LRTYP_DELETE], 12);
	assert_int_equal(w->db_pages, 446);
	assert_int_equal(w->preimages, 8);
	assert_int_equal(w->open_at_start, 1);
	assert_int_equal(w->open_procid, 8);
	free(w);
}

/* ------------------------------------------------------------------
 * Exact values read by hand from the Windows 11 logs
 * ------------------------------------------------------------------ */

/* Collect copies of the first record of each type (and a few chosen ones)
 * of the Windows 11 set. */
struct samples {
	uint8_t *first[256];
	uint32_t first_len[256];
	uint8_t *preimage_split;      /* the first Split2 with a pre-image */
	uint32_t preimage_split_len;
};

static struct samples *g_samples;

static int load_samples(void **state)
{
	char *dir = jr_test_data("srum-win11-dirty", NULL);
	ese_logreader *rd = NULL;
	ese_logrecord rec;
	JET_ERR err;

	(void)state;
	g_samples = calloc(1, sizeof *g_samples);
	if (!g_samples)
		return -1;
	if (ese_logreader_open_range(dir, "SRU", 0x59,
				     ESE_LOGREADER_GEN_CURRENT, NULL, &rd,
				     NULL) != 0)
		return -1;
	while ((err = ese_logreader_next(rd, &rec, NULL)) == 0) {
		if (!g_samples->first[rec.lrtyp]) {
			g_samples->first[rec.lrtyp] = g_memdup2(rec.data,
								rec.size);
			g_samples->first_len[rec.lrtyp] = rec.size;
		}
		if (rec.lrtyp == ESE_LRTYP_SPLIT2 &&
		    !g_samples->preimage_split && jr_le32(rec.data + 106)) {
			g_samples->preimage_split = g_memdup2(rec.data,
							      rec.size);
			g_samples->preimage_split_len = rec.size;
		}
	}
	ese_logreader_close(rd);
	g_free(dir);
	return err == ESE_LOGREADER_END ? 0 : -1;
}

static int free_samples(void **state)
{
	(void)state;
	for (int i = 0; i < 256; i++)
		g_free(g_samples->first[i]);
	g_free(g_samples->preimage_split);
	free(g_samples);
	return 0;
}

static void decode_sample(int lrtyp, lr_record *r)
{
	jr_errinfo ei = { 0 };

	assert_non_null(g_samples->first[lrtyp]);
	assert_int_equal(lr_decode(g_samples->first[lrtyp],
				   g_samples->first_len[lrtyp], r, &ei), 0);
}

/* (0x59, segment 1, byte 40): the first record of the set. */
static void test_values_insert(void **state)
{
	(void)state;
	lr_record r;

	decode_sample(ESE_LRTYP_INSERT, &r);
	const lr_insert *d = &r.u.insert;
	assert_int_equal(r.len, 69);
	assert_int_equal(d->n.page.procid, 10);
	assert_int_equal(d->n.page.dbid, 1);
	assert_int_equal(d->n.page.pgno, 377);
	assert_int_equal(d->n.page.dbtime_after, 0xa764);
	assert_int_equal(d->n.page.dbtime_before, 0xa761);
	assert_int_equal(d->n.page.trx_begin0, 0x9134);
	assert_int_equal(d->n.page.level, 2);
	assert_int_equal(d->n.page.iline, 71);
	assert_int_equal(d->n.page.flags, LR_PAGE_VERSIONED);
	assert_int_equal(d->n.rceid, 0xfffff977);
	assert_int_equal(d->n.pgno_fdp, 49);
	assert_int_equal(d->n.objid_fdp, 14);
	assert_int_equal(d->key_prefix.len, 4);
	assert_memory_equal(d->key_prefix.p, "\x7f\x80\x00\x0c", 4);
	assert_int_equal(d->key_suffix.len, 1);
	assert_int_equal(d->key_suffix.p[0], 0x96);
	assert_int_equal(d->data.len, 14);
	assert_memory_equal(d->data.p,
			    "\x7f\xc0\xe5\xd9\x22\xcc\xcc\xcc\xcd\x7f\x80\x00\x0c\x96",
			    14);
	assert_ptr_equal(lr_page_of(&r), &d->n.page);

	char line[512];
	size_t n = lr_describe(&r, line, sizeof line);
	assert_int_equal(n, strlen(line));
	assert_non_null(strstr(line, "Insert"));
	assert_non_null(strstr(line, " pgno:377 "));
	assert_non_null(strstr(line, " dbtime_before:0xa761 "));
	assert_non_null(strstr(line, " dbtime_after:0xa764 "));
	assert_non_null(strstr(line, " key_prefix:7f80000c "));
	assert_non_null(strstr(line, "flag_names:\"versioned\""));
	/* a short buffer is truncated but the full length is reported */
	char small[16];
	assert_int_equal(lr_describe(&r, small, sizeof small), n);
	assert_int_equal(strlen(small), sizeof small - 1);

	char *json = NULL;
	size_t json_len = 0;
	FILE *f = open_memstream(&json, &json_len);
	jr_json j;
	jr_json_init(&j, f, false);
	jr_json_object_begin(&j, NULL);
	lr_to_json(&r, &j);
	jr_json_object_end(&j);
	fclose(f);
	assert_non_null(strstr(json, "\"type\":\"Insert\""));
	assert_non_null(strstr(json, "\"lrtyp\":29"));
	assert_non_null(strstr(json, "\"dbid\":1"));
	assert_non_null(strstr(json, "\"pgno\":377"));
	assert_non_null(strstr(json, "\"dbtime_before\":42849"));
	assert_non_null(strstr(json, "\"dbtime_after\":42852"));
	assert_non_null(strstr(json, "\"trx\":37172"));
	assert_non_null(strstr(json, "\"level\":2"));
	assert_non_null(strstr(json, "\"iline\":71"));
	assert_non_null(strstr(json, "\"key_suffix\":\"96\""));
	assert_non_null(strstr(json, "\"cb_data\":14"));
	free(json);
}

/* (0x5B, 14, 616): the attachment of SRUDB.dat by session 5. */
static void test_values_attach(void **state)
{
	(void)state;
	lr_record r;

	decode_sample(ESE_LRTYP_ATTACH_DB, &r);
	const lr_attach_db *d = &r.u.attach_db;
	assert_int_equal(r.len, 143);
	assert_int_equal(d->procid, 5);
	assert_int_equal(d->dbid, 1);
	assert_int_equal(d->lgpos_consistent.gen, 0x5b);
	assert_int_equal(d->lgpos_consistent.isec, 0x0c);
	assert_int_equal(d->lgpos_consistent.ib, 0x0b16);
	assert_int_equal(d->sign_db.random, 0x0716b55f);
	assert_int_equal(d->flags, 0x08);
	assert_int_equal(d->path.len, 68);
	assert_null(lr_page_of(&r));

	char line[1024];
	lr_describe(&r, line, sizeof line);
	assert_non_null(strstr(line, "path:\"C:\\Windows\\system32\\SRU\\SRUDB.dat\""));
}

/* (0x5B, 6, 2306): a right split of leaf 242 with an insert and an
 * Xpress-compressed pre-image of 2208 bytes. */
static void test_values_split2(void **state)
{
	(void)state;
	lr_record r;
	jr_errinfo ei = { 0 };

	assert_non_null(g_samples->preimage_split);
	assert_int_equal(lr_decode(g_samples->preimage_split,
				   g_samples->preimage_split_len, &r, &ei), 0);
	const lr_split *s = &r.u.split;
	assert_int_equal(r.len, 2663);
	assert_int_equal(s->page.procid, 9);
	assert_int_equal(s->page.pgno, 242);
	assert_int_equal(s->page.dbtime_after, 0xaad0);
	assert_int_equal(s->page.dbtime_before, 0xaaa3);
	assert_int_equal(s->page.level, 2);
	assert_int_equal(s->pgno_new, 254);
	assert_int_equal(s->pgno_right, 240);
	assert_int_equal(s->dbtime_right_before, 0xaab9);
	assert_int_equal(s->pgno_parent, 35);
	assert_int_equal(s->dbtime_parent_before, 0xa34f);
	assert_int_equal(s->pgno_fdp, 35);
	assert_int_equal(s->objid_fdp, 9);
	assert_int_equal(s->splittype, LR_SPLIT_RIGHT);
	assert_int_equal(s->splitoper, LR_SPLITOPER_INSERT);
	assert_int_equal(s->iline_oper, 27);
	assert_int_equal(s->iline_split, 20);
	assert_int_equal(s->clines, 37);
	assert_int_equal(s->new_page_flags, 0x1ac42);
	assert_int_equal(s->split_page_flags, 0x1ac42);
	assert_int_equal(s->iline_prefix_split, 18);
	assert_int_equal(s->iline_prefix_new, 1);
	assert_int_equal(s->prefix_split_old.len, 165);
	assert_int_equal(s->prefix_split_new.len, 129);
	assert_int_equal(s->key_parent.len, 51);
	assert_int_equal(s->preimage_flags, LR_PREIMAGE_XPRESS);
	assert_int_equal(s->preimage.len, 2208);
	assert_int_equal(s->preimage.p[0], 0x18);       /* Xpress, 4096 */
	assert_int_equal(jr_le16(s->preimage.p + 1), PAGE);
	assert_false(s->old_format);

	uint8_t page[PAGE];
	assert_int_equal(lr_preimage_expand(s->preimage_flags, s->preimage,
					    page, PAGE, &ei), 0);
	assert_int_equal(jr_le64(page + 8), 0xaad0);

	/* the pre-image expanded for a wrong page size fails */
	uint8_t big[8192];
	assert_int_equal(lr_preimage_expand(s->preimage_flags, s->preimage,
					    big, sizeof big, &ei),
			 JET_errLogFileCorrupt);
}

static void test_values_misc(void **state)
{
	(void)state;
	lr_record r;

	/* (0x59, 2, 3540) NewPage 586 of object 12 */
	decode_sample(ESE_LRTYP_NEW_PAGE, &r);
	assert_int_equal(r.u.new_page.procid, 10);
	assert_int_equal(r.u.new_page.dbid, 1);
	assert_int_equal(r.u.new_page.pgno, 586);
	assert_int_equal(r.u.new_page.objid, 12);
	assert_int_equal(r.u.new_page.dbtime_after, 0xa7a7);

	/* (0x5B, 7, 2063) SetExternalHeader of the root 31 */
	decode_sample(ESE_LRTYP_SET_EXTERNAL_HEADER, &r);
	assert_int_equal(r.u.set_ext_header.n.page.pgno, 31);
	assert_int_equal(r.u.set_ext_header.n.page.dbtime_before, 0xa6b2);
	assert_int_equal(r.u.set_ext_header.n.page.dbtime_after, 0xaad7);
	assert_int_equal(r.u.set_ext_header.n.page.flags, LR_PAGE_UNIQUE);
	assert_int_equal(r.u.set_ext_header.n.pgno_fdp, 31);
	assert_int_equal(r.u.set_ext_header.n.objid_fdp, 8);
	assert_int_equal(r.u.set_ext_header.data.len, 25);

	/* (0x59, 5, 3026) Delete of line 4 of space-tree page 90 */
	decode_sample(ESE_LRTYP_DELETE, &r);
	assert_int_equal(r.u.node.page.pgno, 90);
	assert_int_equal(r.u.node.page.iline, 4);
	assert_int_equal(r.u.node.page.flags, LR_PAGE_UNIQUE | LR_PAGE_SPACE);
	assert_int_equal(r.u.node.pgno_fdp, 79);
	assert_int_equal(r.u.node.objid_fdp, 17);

	/* (0x59, 2, 3486) Replace, 4-byte after image */
	decode_sample(ESE_LRTYP_REPLACE, &r);
	assert_int_equal(r.u.replace.n.page.pgno, 170);
	assert_false(r.u.replace.diff);
	assert_int_equal(r.u.replace.cb_old_data, 4);
	assert_int_equal(r.u.replace.cb_new_data, 4);
	assert_int_equal(r.u.replace.data.len, 4);

	/* (0x5C, 1, 40) SetDbVersion 0x620.200.440 */
	decode_sample(ESE_LRTYP_SET_DB_VERSION, &r);
	assert_int_equal(r.u.set_db_version.dbid, 1);
	assert_int_equal(r.u.set_db_version.major, 0x620);
	assert_int_equal(r.u.set_db_version.update_major, 200);
	assert_int_equal(r.u.set_db_version.update_minor, 440);

	/* (0x59, 2, 3985) MacroInfo: pages 47, 585, 586 */
	decode_sample(ESE_LRTYP_MACRO_INFO, &r);
	assert_false(r.u.macro_info.v2);
	assert_int_equal(r.u.macro_info.count, 3);
	assert_int_equal(lr_macro_info_pgno(&r.u.macro_info, 0), 47);
	assert_int_equal(lr_macro_info_pgno(&r.u.macro_info, 1), 585);
	assert_int_equal(lr_macro_info_pgno(&r.u.macro_info, 2), 586);

	/* (0x5B, 13, 40) Term2 */
	decode_sample(ESE_LRTYP_TERM2, &r);
	assert_int_equal(r.u.term.lgpos.isec, 8);
	assert_int_equal(r.u.term.lgpos.gen, 0x2f);
	assert_int_equal(r.u.term.hard, 0);
	assert_true(r.u.term.has_logtime);
	assert_int_equal(r.u.term.logtime.year, 0x7a);

	/* Begin: levelBeginFrom in the low nibble (0x11: 1 -> 2) */
	decode_sample(ESE_LRTYP_BEGIN, &r);
	assert_int_equal(r.u.begin.level_begin_from, 1);
	assert_int_equal(r.u.begin.clevels_to_begin, 1);
	assert_false(r.u.begin.has_trx);
	decode_sample(ESE_LRTYP_BEGIN0, &r);
	assert_int_equal(r.u.begin.level_begin_from, 0);
	assert_int_equal(r.u.begin.clevels_to_begin, 2);
	assert_true(r.u.begin.has_trx);
}

/* Every truncation of a real record of each type is -501; every single
 * bit flip in its first 120 bytes decodes or is -501, and what decodes
 * can be described. */
static void test_damaged_real_records(void **state)
{
	(void)state;
	size_t checked = 0;

	for (int t = 0; t < 256; t++) {
		const uint8_t *rec = g_samples->first[t];
		uint32_t len = g_samples->first_len[t];
		lr_record r;
		jr_errinfo ei;

		if (!rec)
			continue;
		checked++;
		for (uint32_t n = 0; n < len; n++) {
			jr_errinfo_clear(&ei);
			assert_int_equal(lr_decode(rec, n, &r, &ei),
					 JET_errLogFileCorrupt);
			assert_true(strlen(ei.detail) > 0);
		}
		uint8_t *copy = g_memdup2(rec, len);
		uint32_t nbits = (len < 120 ? len : 120) * 8;
		for (uint32_t b = 8; b < nbits; b++) {
			copy[b / 8] ^= (uint8_t)(1u << (b % 8));
			JET_ERR err = lr_decode(copy, len, &r, NULL);
			assert_true(err == 0 || err == JET_errLogFileCorrupt);
			if (err == 0) {
				char line[256];
				lr_describe(&r, line, sizeof line);
			}
			copy[b / 8] ^= (uint8_t)(1u << (b % 8));
		}
		g_free(copy);
	}
	assert_true(checked >= 19);

	/* a too long record is refused as well */
	uint8_t longer[80];
	lr_record r;
	memcpy(longer, g_samples->first[ESE_LRTYP_INSERT], 69);
	longer[69] = 0;
	assert_int_equal(lr_decode(longer, 70, &r, NULL),
			 JET_errLogFileCorrupt);
}

/* ------------------------------------------------------------------
 * Layouts the real sets do not contain, from records built here
 * ------------------------------------------------------------------ */

static void put_page_hdr(uint8_t *p, uint8_t lrtyp, uint32_t pgno)
{
	memset(p, 0, 32);
	p[0] = lrtyp;
	jr_put_le16(p + 1, 7);                       /* procid */
	p[3] = 1;                                    /* dbid */
	jr_put_le32(p + 4, pgno);
	jr_put_le64(p + 8, 0x2000);                  /* after */
	jr_put_le64(p + 16, 0x1000);                 /* before */
	jr_put_le32(p + 24, 0x77);                   /* trx */
	p[28] = 1;                                   /* level */
	jr_put_le16(p + 29, 5);                      /* iline */
	p[31] = LR_PAGE_VERSIONED | LR_PAGE_UNIQUE;
}

static void put_node_hdr(uint8_t *p, uint8_t lrtyp, uint32_t pgno)
{
	put_page_hdr(p, lrtyp, pgno);
	jr_put_le32(p + 32, 0x1234);                 /* rceid */
	jr_put_le32(p + 36, 40);                     /* pgnoFDP */
	jr_put_le32(p + 40, 11);                     /* objidFDP */
}

/* The size rule of lrtyp.c and the decoder must agree on every record. */
static void decode_built(const uint8_t *rec, size_t len, lr_record *r)
{
	jr_errinfo ei = { 0 };
	uint32_t size = 0;

	assert_int_equal(ese_lr_size(rec, len, &size, &ei), 0);
	assert_int_equal(size, len);
	if (lr_decode(rec, len, r, &ei) != 0)
		fail_msg("%s", ei.detail);
}

static void test_built_node_records(void **state)
{
	(void)state;
	uint8_t rec[256];
	lr_record r;

	/* ReplaceD with a DIFFHDR2 diff of 7 bytes */
	put_node_hdr(rec, T_REPLACE_D, 300);
	jr_put_le16(rec + 44, 0x8000 | 7);
	jr_put_le16(rec + 46, 13);
	jr_put_le16(rec + 48, 14);
	memcpy(rec + 50, "\x0d\x00\x40\x01!" "AB", 7);
	decode_built(rec, 57, &r);
	assert_true(r.u.replace.diff);
	assert_true(r.u.replace.diff2);
	assert_int_equal(r.u.replace.data.len, 7);
	assert_int_equal(r.u.replace.cb_new_data, 14);
	assert_int_equal(r.u.replace.n.rceid, 0x1234);
	assert_int_equal(r.u.replace.n.page.iline, 5);

	/* Delta64 of -5 at offset 8 with a 3 + 2 byte bookmark */
	put_node_hdr(rec, T_DELTA64, 301);
	jr_put_le16(rec + 44, 3);
	jr_put_le16(rec + 46, 2);
	jr_put_le64(rec + 48, (uint64_t)-5);
	jr_put_le16(rec + 56, 8);
	memcpy(rec + 58, "keyda", 5);
	decode_built(rec, 63, &r);
	assert_true(r.u.delta.is64);
	assert_int_equal(r.u.delta.delta, -5);
	assert_int_equal(r.u.delta.cb_offset, 8);
	assert_memory_equal(r.u.delta.bm_key.p, "key", 3);
	assert_memory_equal(r.u.delta.bm_data.p, "da", 2);

	/* Delta (32-bit) of +1 at offset 4 */
	put_node_hdr(rec, T_DELTA, 302);
	jr_put_le16(rec + 44, 1);
	jr_put_le16(rec + 46, 0);
	jr_put_le32(rec + 48, 1);
	jr_put_le16(rec + 52, 4);
	rec[54] = 'k';
	decode_built(rec, 55, &r);
	assert_false(r.u.delta.is64);
	assert_int_equal(r.u.delta.delta, 1);
	assert_int_equal(r.u.delta.cb_offset, 4);

	/* EmptyTree listing two pages */
	put_node_hdr(rec, T_EMPTY_TREE, 40);
	jr_put_le16(rec + 44, 32);
	jr_put_le64(rec + 46, 0x900);
	jr_put_le32(rec + 54, 41);
	jr_put_le32(rec + 58, 0x2803);
	jr_put_le64(rec + 62, 0x901);
	jr_put_le32(rec + 70, 42);
	jr_put_le32(rec + 74, 0x2805);
	decode_built(rec, 78, &r);
	assert_int_equal(r.u.empty_tree.count, 2);
	lr_empty_page e;
	lr_empty_tree_page(&r.u.empty_tree, 1, &e);
	assert_int_equal(e.dbtime_before, 0x901);
	assert_int_equal(e.pgno, 42);
	assert_int_equal(e.page_flags, 0x2805);
	/* a list that is not whole entries is corrupt */
	jr_put_le16(rec + 44, 31);
	assert_int_equal(lr_decode(rec, 77, &r, NULL), JET_errLogFileCorrupt);

	/* Scrub with 3 operations */
	put_node_hdr(rec, T_SCRUB, 50);
	jr_put_le32(rec + 44, 0);
	jr_put_le32(rec + 48, 3);
	jr_put_le16(rec + 52, 3);
	memcpy(rec + 54, "\x01\x02\x01", 3);
	decode_built(rec, 57, &r);
	assert_int_equal(r.u.scrub.cscrub_oper, 3);
	jr_put_le32(rec + 48, 4);               /* more operations than bytes */
	assert_int_equal(lr_decode(rec, 57, &r, NULL), JET_errLogFileCorrupt);
}

static void test_built_multi_page_records(void **state)
{
	(void)state;
	uint8_t rec[400];
	lr_record r;

	/* Merge2: full left merge of 60 into 59, 4-byte separator, an
	 * uncompressed 4 KiB pre-image */
	static uint8_t merge[96 + 4 + PAGE];
	put_page_hdr(merge, ESE_LRTYP_MERGE2, 60);
	jr_put_le32(merge + 32, 61);                 /* right */
	jr_put_le64(merge + 36, 0x1100);
	jr_put_le32(merge + 44, 59);                 /* left */
	jr_put_le64(merge + 48, 0x1200);
	jr_put_le32(merge + 56, 30);                 /* parent */
	jr_put_le64(merge + 60, 0x1300);
	jr_put_le32(merge + 68, 30);
	jr_put_le32(merge + 72, 12);
	jr_put_le16(merge + 76, 900);
	jr_put_le16(merge + 78, 950);
	jr_put_le16(merge + 80, 7);
	jr_put_le16(merge + 82, 3);
	merge[84] = LR_MERGE_EMPTY_PAGE;
	merge[85] = LR_MERGE_FULL_LEFT;
	jr_put_le16(merge + 86, 4);
	jr_put_le32(merge + 88, 0);
	jr_put_le32(merge + 92, PAGE);
	memcpy(merge + 96, "SEPK", 4);
	memset(merge + 100, 0xab, PAGE);
	decode_built(merge, sizeof merge, &r);
	const lr_merge *m = &r.u.merge;
	assert_int_equal(m->page.pgno, 60);
	assert_int_equal(m->pgno_right, 61);
	assert_int_equal(m->dbtime_right_before, 0x1100);
	assert_int_equal(m->pgno_left, 59);
	assert_int_equal(m->dbtime_left_before, 0x1200);
	assert_int_equal(m->pgno_parent, 30);
	assert_int_equal(m->dbtime_parent_before, 0x1300);
	assert_int_equal(m->objid_fdp, 12);
	assert_int_equal(m->cb_size_total, 900);
	assert_int_equal(m->cb_size_max_total, 950);
	assert_int_equal(m->cb_unc_free_dest, 7);
	assert_int_equal(m->iline_merge, 3);
	assert_int_equal(m->merge_flags, LR_MERGE_EMPTY_PAGE);
	assert_int_equal(m->mergetype, LR_MERGE_FULL_LEFT);
	assert_memory_equal(m->key_parent_sep.p, "SEPK", 4);
	assert_int_equal(m->preimage.len, PAGE);
	uint8_t page[PAGE];
	assert_int_equal(lr_preimage_expand(0, m->preimage, page, PAGE, NULL),
			 0);
	assert_int_equal(page[100], 0xab);
	merge[85] = 8;                               /* no such merge type */
	assert_int_equal(lr_decode(merge, sizeof merge, &r, NULL),
			 JET_errLogFileCorrupt);

	/* PageMove of 70 to 200 with a 40-byte header and 8-byte trailer */
	put_page_hdr(rec, T_PAGE_MOVE, 70);
	jr_put_le32(rec + 32, 200);
	jr_put_le32(rec + 36, 69);
	jr_put_le32(rec + 40, 71);
	jr_put_le32(rec + 44, 30);
	jr_put_le64(rec + 48, 0x1a);
	jr_put_le64(rec + 56, 0x1b);
	jr_put_le64(rec + 64, 0x1c);
	jr_put_le32(rec + 72, 30);
	jr_put_le32(rec + 76, 12);
	jr_put_le32(rec + 80, (uint32_t)-1);
	jr_put_le32(rec + 84, 0);
	jr_put_le32(rec + 88, 40);
	jr_put_le32(rec + 92, 8);
	memset(rec + 96, 0x11, 40);
	memset(rec + 136, 0x22, 8);
	decode_built(rec, 144, &r);
	const lr_page_move *pm = &r.u.page_move;
	assert_int_equal(pm->pgno_dest, 200);
	assert_int_equal(pm->pgno_left, 69);
	assert_int_equal(pm->pgno_right, 71);
	assert_int_equal(pm->pgno_parent, 30);
	assert_int_equal(pm->dbtime_left_before, 0x1a);
	assert_int_equal(pm->dbtime_right_before, 0x1b);
	assert_int_equal(pm->dbtime_parent_before, 0x1c);
	assert_int_equal(pm->iline_parent, -1);
	assert_int_equal(pm->page_header.len, 40);
	assert_int_equal(pm->page_trailer.p[0], 0x22);

	/* CreateMultipleExtentFDP of 100 with OE 101, AE 102 */
	put_page_hdr(rec, T_CREATE_ME_FDP, 100);
	jr_put_le32(rec + 32, 25);
	jr_put_le32(rec + 36, 101);
	jr_put_le32(rec + 40, 102);
	jr_put_le32(rec + 44, 2);
	jr_put_le32(rec + 48, 16);
	jr_put_le32(rec + 52, 0x2000);
	decode_built(rec, 56, &r);
	assert_true(r.u.create_fdp.multiple);
	assert_int_equal(r.u.create_fdp.objid_fdp, 25);
	assert_int_equal(r.u.create_fdp.pgno_oe, 101);
	assert_int_equal(r.u.create_fdp.pgno_ae, 102);
	assert_int_equal(r.u.create_fdp.pgno_fdp_parent, 2);
	assert_int_equal(r.u.create_fdp.cpg_primary, 16);

	/* Split2 with an impossible split type */
	static uint8_t split[110];
	put_page_hdr(split, ESE_LRTYP_SPLIT2, 80);
	memset(split + 32, 0, 78);
	split[68] = 3;
	assert_int_equal(lr_decode(split, sizeof split, &r, NULL),
			 JET_errLogFileCorrupt);
	split[68] = LR_SPLIT_VERTICAL;
	decode_built(split, sizeof split, &r);
	assert_int_equal(r.u.split.pgno_new, 0);
	/* a pre-image flag without a pre-image */
	jr_put_le32(split + 102, LR_PREIMAGE_XPRESS);
	assert_int_equal(lr_decode(split, sizeof split, &r, NULL),
			 JET_errLogFileCorrupt);

	/* when a split level needs its pre-image */
	lr_split s = { .pgno_new = 81, .splittype = LR_SPLIT_VERTICAL,
		       .splitoper = LR_SPLITOPER_NONE };
	assert_true(lr_split_preimage_required(&s));
	s.splittype = LR_SPLIT_APPEND;
	assert_false(lr_split_preimage_required(&s));
	s.splittype = LR_SPLIT_RIGHT;
	s.splitoper = LR_SPLITOPER_INSERT;
	s.clines = 10;
	s.iline_split = s.iline_oper = 9;        /* hot point: only the new */
	assert_false(lr_split_preimage_required(&s));
	s.iline_split = 8;                       /* old lines move too */
	assert_true(lr_split_preimage_required(&s));
	s.pgno_new = 0;                          /* the level does not split */
	assert_false(lr_split_preimage_required(&s));
	lr_merge mg = { .mergetype = LR_MERGE_PARTIAL_LEFT };
	assert_true(lr_merge_preimage_required(&mg));
	mg.mergetype = LR_MERGE_EMPTY_PAGE_T;
	assert_false(lr_merge_preimage_required(&mg));
}

static void test_built_control_records(void **state)
{
	(void)state;
	uint8_t rec[256];
	lr_record r;

	/* ShrinkDB3 and ExtentFreed2 */
	rec[0] = T_SHRINK_DB3;
	rec[1] = 1;
	jr_put_le32(rec + 2, 500);
	jr_put_le32(rec + 6, 64);
	jr_put_le64(rec + 10, 0xbeef);
	decode_built(rec, 18, &r);
	assert_int_equal(r.u.shrink_db.pgno_last, 500);
	assert_int_equal(r.u.shrink_db.cpg_shrunk, 64);
	assert_true(r.u.shrink_db.has_dbtime);
	assert_int_equal(r.u.shrink_db.dbtime, 0xbeef);

	rec[0] = T_EXTENT_FREED2;
	rec[1] = 1;
	jr_put_le32(rec + 2, 96);
	jr_put_le32(rec + 6, 8);
	rec[10] = 2;
	jr_put_le64(rec + 11, 0xcafe);
	decode_built(rec, 19, &r);
	assert_int_equal(r.u.extent_freed.pgno_first, 96);
	assert_int_equal(r.u.extent_freed.cpg_extent, 8);
	assert_int_equal(r.u.extent_freed.flags, 2);
	assert_int_equal(r.u.extent_freed.dbtime, 0xcafe);

	/* MacroInfo2 of two pages; a count that does not fill cb is -501 */
	rec[0] = T_MACRO_INFO2;
	jr_put_le32(rec + 1, 5 + 8);
	rec[5] = 1;
	jr_put_le32(rec + 6, 2);
	jr_put_le32(rec + 10, 33);
	jr_put_le32(rec + 14, 34);
	decode_built(rec, 18, &r);
	assert_true(r.u.macro_info.v2);
	assert_int_equal(r.u.macro_info.count, 2);
	assert_int_equal(lr_macro_info_pgno(&r.u.macro_info, 1), 34);
	jr_put_le32(rec + 6, 3);
	assert_int_equal(lr_decode(rec, 18, &r, NULL), JET_errLogFileCorrupt);

	/* Backup2 with a 4-byte path */
	memset(rec, 0, 39);
	rec[0] = T_BACKUP2;
	rec[1] = 4;                                  /* update */
	jr_put_le32(rec + 2, 1);
	rec[6] = 1;
	rec[7] = 1;
	jr_put_le32(rec + 8 + 16, 0x19);             /* genLow */
	jr_put_le32(rec + 8 + 20, 0x20);             /* genHigh */
	jr_put_le16(rec + 33, 4);
	memcpy(rec + 35, "C:\\x", 4);
	decode_built(rec, 39, &r);
	assert_int_equal(r.u.backup2.phase, 4);
	assert_int_equal(r.u.backup2.bkinfo.gen_low, 0x19);
	assert_int_equal(r.u.backup2.bkinfo.gen_high, 0x20);
	assert_int_equal(r.u.backup2.path.len, 4);

	/* CreateDB with version info and an ANSI path */
	memset(rec, 0, 60);
	rec[0] = ESE_LRTYP_CREATE_DB;
	rec[3] = 2;
	jr_put_le16(rec + 40, 6);
	rec[42] = 0x04;
	jr_put_le16(rec + 43, 0x620);
	jr_put_le16(rec + 45, 2);
	memcpy(rec + 47, "a.edb", 6);
	decode_built(rec, 53, &r);
	assert_int_equal(r.u.create_db.dbid, 2);
	assert_int_equal(r.u.create_db.version, 0x620);
	assert_int_equal(r.u.create_db.update_major, 2);
	assert_memory_equal(r.u.create_db.path.p, "a.edb", 6);

	/* ExtendDB whose cb does not cover its fields */
	rec[0] = T_EXTEND_DB;
	jr_put_le32(rec + 1, 2);
	assert_int_equal(lr_decode(rec, 7, &r, NULL), JET_errLogFileCorrupt);

	/* types without a layout, unknown types, nothing at all */
	static const uint8_t obsolete[] = { 40, 41, 42, 43, 44, 47, 56, 102,
					    200, 255 };
	for (size_t i = 0; i < sizeof obsolete; i++) {
		jr_errinfo ei = { 0 };
		memset(rec, 0, 64);
		rec[0] = obsolete[i];
		assert_int_equal(lr_decode(rec, 64, &r, &ei),
				 JET_errLogFileCorrupt);
		assert_non_null(strstr(ei.detail, "record type"));
	}
	assert_int_equal(lr_decode(rec, 0, &r, NULL), JET_errLogFileCorrupt);
}

/* ------------------------------------------------------------------
 * ReplaceD diffs
 * ------------------------------------------------------------------ */

static void test_replaced_apply(void **state)
{
	(void)state;
	static const char old[] = "Hello, world!";
	uint8_t out[64];
	size_t n = 0;
	jr_errinfo ei = { 0 };

	/* DIFFHDR: replace 5 bytes at 0 by "Yo", the same length at 7 by
	 * "W", insert "!!" at the end (13) */
	static const uint8_t d1[] = {
		0x00, 0x00, 2, 5, 'Y', 'o',
		0x07, 0x20, 1, 'W',
		0x0d, 0x40, 2, '!', '!' };
	assert_int_equal(lr_replaced_apply((const uint8_t *)old, 13, d1,
					   sizeof d1, false, out, sizeof out,
					   &n, &ei), 0);
	assert_int_equal(n, 12);
	assert_memory_equal(out, "Yo, World!!!", 12);

	/* the same with DIFFHDR2 entries and two-byte sizes */
	static const uint8_t d2[] = {
		0x00, 0x00, 0x80, 2, 0, 5, 0, 'Y', 'o',
		0x07, 0x00, 0xa0, 1, 0, 'W',
		0x0d, 0x00, 0xc0, 2, 0, '!', '!' };
	assert_int_equal(lr_replaced_apply((const uint8_t *)old, 13, d2,
					   sizeof d2, true, out, sizeof out,
					   &n, &ei), 0);
	assert_int_equal(n, 12);
	assert_memory_equal(out, "Yo, World!!!", 12);

	/* an empty diff copies the old data */
	assert_int_equal(lr_replaced_apply((const uint8_t *)old, 13, d1, 0,
					   false, out, sizeof out, &n, &ei), 0);
	assert_int_equal(n, 13);

	/* every truncation of the diff fails or (at an entry boundary)
	 * yields a different result, never an overrun */
	for (size_t cut = 1; cut < sizeof d1; cut++) {
		JET_ERR err = lr_replaced_apply((const uint8_t *)old, 13, d1,
						cut, false, out, sizeof out,
						&n, NULL);
		assert_true(err == 0 || err == JET_errLogFileCorrupt);
		if (cut != 6 && cut != 10)
			assert_int_equal(err, JET_errLogFileCorrupt);
	}

	/* offsets going backwards */
	static const uint8_t back[] = { 0x07, 0x20, 1, 'W', 0x02, 0x20, 1,
					'x' };
	jr_errinfo_clear(&ei);
	assert_int_equal(lr_replaced_apply((const uint8_t *)old, 13, back,
					   sizeof back, false, out,
					   sizeof out, &n, &ei),
			 JET_errLogFileCorrupt);
	assert_non_null(strstr(ei.detail, "offset"));
	/* replacing more old bytes than there are */
	static const uint8_t past[] = { 0x0c, 0x00, 1, 5, 'x' };
	assert_int_equal(lr_replaced_apply((const uint8_t *)old, 13, past,
					   sizeof past, false, out,
					   sizeof out, &n, NULL),
			 JET_errLogFileCorrupt);
	/* a result that does not fit */
	assert_int_equal(lr_replaced_apply((const uint8_t *)old, 13, d1,
					   sizeof d1, false, out, 11, &n,
					   NULL), JET_errLogFileCorrupt);
}

/* ------------------------------------------------------------------
 * Pre-image expansion: dehydrated and Xpress forms built from a real page
 * ------------------------------------------------------------------ */

static void test_preimage_forms(void **state)
{
	(void)state;
	uint8_t page[PAGE], back[PAGE], dehydrated[PAGE], comp[PAGE + 512];
	lr_record r;
	jr_errinfo ei = { 0 };

	assert_int_equal(lr_decode(g_samples->preimage_split,
				   g_samples->preimage_split_len, &r, &ei), 0);
	assert_int_equal(lr_preimage_expand(r.u.split.preimage_flags,
					    r.u.split.preimage, page, PAGE,
					    &ei), 0);

	/* dehydrate it as ESE does: cut the free gap between the data
	 * (ends at 40 + ibMicFree) and the tag array (4 bytes per tag) */
	size_t ib_mic_free = jr_le16(page + 32);
	size_t cb_tags = (size_t)jr_le16(page + 34) * 4;
	size_t cb = 40 + ib_mic_free + cb_tags;
	size_t gap = PAGE - cb;
	assert_true(gap > 0);
	memcpy(dehydrated, page, 40 + ib_mic_free);
	memcpy(dehydrated + 40 + ib_mic_free, page + PAGE - cb_tags, cb_tags);
	jr_put_le16(dehydrated + 28, (uint16_t)(jr_le16(page + 28) - gap));

	/* what expansion must give: the page with a zeroed gap */
	uint8_t want[PAGE];
	memcpy(want, page, PAGE);
	memset(want + 40 + ib_mic_free, 0, gap);

	lr_bytes img = { dehydrated, (uint32_t)cb };
	assert_int_equal(lr_preimage_expand(LR_PREIMAGE_DEHYDRATED, img, back,
					    PAGE, &ei), 0);
	assert_memory_equal(back, want, PAGE);

	/* dehydrated, then Xpress: ESE's order */
	comp[0] = 0x18;
	jr_put_le16(comp + 1, (uint16_t)cb);
	size_t n = lz77_ref_compress(dehydrated, cb, comp + 3,
				     sizeof comp - 3);
	assert_true(n != SIZE_MAX);
	img = (lr_bytes){ comp, (uint32_t)(n + 3) };
	assert_int_equal(lr_preimage_expand(LR_PREIMAGE_DEHYDRATED |
					    LR_PREIMAGE_XPRESS, img, back,
					    PAGE, &ei), 0);
	assert_memory_equal(back, want, PAGE);

	/* a tag count larger than the image is corrupt */
	jr_put_le16(dehydrated + 34, 2000);
	img = (lr_bytes){ dehydrated, (uint32_t)cb };
	assert_int_equal(lr_preimage_expand(LR_PREIMAGE_DEHYDRATED, img, back,
					    PAGE, &ei), JET_errLogFileCorrupt);
	/* a damaged Xpress stream is -501 (not -1620) for a log record */
	comp[3] ^= 0xff;
	comp[4] ^= 0xff;
	img = (lr_bytes){ comp, 40 };
	jr_errinfo_clear(&ei);
	assert_int_equal(lr_preimage_expand(LR_PREIMAGE_XPRESS, img, back,
					    PAGE, &ei), JET_errLogFileCorrupt);
	assert_non_null(strstr(ei.detail, "pre-image"));
	/* an uncompressed image must be a whole page */
	img = (lr_bytes){ page, 100 };
	assert_int_equal(lr_preimage_expand(0, img, back, PAGE, NULL),
			 JET_errLogFileCorrupt);
}

int main(void)
{
	const struct CMUnitTest real_sets[] = {
		cmocka_unit_test(test_real_win11_dirty),
		cmocka_unit_test(test_real_win10_clean_a),
		cmocka_unit_test(test_real_win10_clean_b),
	};
	const struct CMUnitTest samples[] = {
		cmocka_unit_test(test_values_insert),
		cmocka_unit_test(test_values_attach),
		cmocka_unit_test(test_values_split2),
		cmocka_unit_test(test_values_misc),
		cmocka_unit_test(test_damaged_real_records),
		cmocka_unit_test(test_preimage_forms),
	};
	const struct CMUnitTest built[] = {
		cmocka_unit_test(test_built_node_records),
		cmocka_unit_test(test_built_multi_page_records),
		cmocka_unit_test(test_built_control_records),
		cmocka_unit_test(test_replaced_apply),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("real sets", real_sets, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("samples", samples,
					      load_samples, free_samples);
	failed += cmocka_run_group_tests_name("built", built, NULL, NULL);
	return failed ? 1 : 0;
}
