/*
 * test_page.c - page header, tag and line reading on the real SRUM
 * databases, damaged pages and the large-page (16/32 KiB) format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ese/page.h"
#include "pagetest_util.h"
#include "util/bytes.h"

static void test_layouts(void **state)
{
	static const struct {
		uint32_t size;
		bool large;
		uint16_t hdr, mask, data;
	} want[] = {
		{ 4096, false, 40, 0x1fff, 4056 },
		{ 8192, false, 40, 0x1fff, 8152 },
		{ 16384, true, 80, 0x7fff, 16304 },
		{ 32768, true, 80, 0x7fff, 32688 },
	};
	ese_page_layout lay;
	jr_errinfo ei;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(ese_page_layout_init(&lay, want[i].size, NULL),
				 0);
		assert_int_equal(lay.large, want[i].large);
		assert_int_equal(lay.hdr_size, want[i].hdr);
		assert_int_equal(lay.ibcb_mask, want[i].mask);
		assert_int_equal(lay.data_size, want[i].data);
		assert_int_equal(ese_page_file_offset(&lay, 1),
				 2 * (uint64_t)want[i].size);
	}
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_layout_init(&lay, 2048, &ei),
			 JET_errInvalidParameter);
	assert_int_equal(ei.err, JET_errInvalidParameter);
	assert_int_equal(ese_page_layout_init(&lay, 65536, NULL),
			 JET_errInvalidParameter);
}

/* Page 1 is the database root (objid 1): its external header is the
 * database's space header, whose owned-extent tree is page 2. This is what
 * pins page n to file offset (n + 1) * page_size. */
static void test_first_pages(void **state)
{
	pagetest_db db;
	ese_page_header h;
	ese_line ext;
	uint8_t *p;
	char flags[128];

	(void)state;
	for (int s = 0; s < PAGETEST_NSETS; s++) {
		pagetest_db_load(pagetest_sets[s], &db);
		p = pagetest_page(&db, 1);
		ese_page_header_read(&db.lay, p, &h);
		assert_int_equal(h.objid_fdp, 1);
		assert_int_equal(h.flags, 0xa803);
		assert_int_equal(h.dbtime, 0x49);
		assert_int_equal(h.itag_mic_free, 1);
		assert_int_equal(h.ctag_reserved_stored, 0);
		assert_int_equal(h.ctag_reserved, 1);
		assert_int_equal(h.flush_type, 1);
		assert_int_equal(h.pgno_prev, 0);
		assert_int_equal(h.pgno_next, 0);
		assert_int_equal(ese_page_line_count(&db.lay, p), 0);
		assert_string_equal(ese_page_flags_format(h.flags, flags,
							  sizeof(flags)),
				    "root|leaf|newrecord|newchecksum|rockwrite");
		assert_int_equal(ese_page_external_header(&db.lay, p, &ext,
							  NULL), 0);
		assert_int_equal(ext.cb, 16);
		assert_int_equal(jr_le32(ext.data), 0x2e);      /* cpgPrimary */
		assert_int_equal(jr_le32(ext.data + 4), 0);     /* pgnoParent */
		assert_int_equal(ext.data[8], 1);               /* multi-extent */
		assert_int_equal(jr_le32(ext.data + 12), 2);    /* pgnoOE */
		assert_int_equal(h.cb_free, 4056 - 4 - 16);

		/* page 2: the owned-extent space tree of the database */
		ese_page_header_read(&db.lay, pagetest_page(&db, 2), &h);
		assert_int_equal(h.objid_fdp, 1);
		assert_true(h.flags & ESE_PGF_SPACE_TREE);
		assert_true(h.flags & ESE_PGF_ROOT);
		pagetest_db_free(&db);
	}
}

typedef struct {
	uint32_t npages, blank, used, root, leaf, internal, parent_of_leaf,
		 empty, space, index, lv, preinit, lines;
	uint64_t max_dbtime;
} page_census;

static void census(const char *set, page_census *c)
{
	pagetest_db db;

	memset(c, 0, sizeof(*c));
	pagetest_db_load(set, &db);
	c->npages = db.npages;
	for (uint32_t pgno = 1; pgno <= db.npages; pgno++) {
		const uint8_t *p = pagetest_page(&db, pgno);
		ese_page_header h;
		unsigned n;

		if (ese_page_is_blank(&db.lay, p)) {
			c->blank++;
			continue;
		}
		c->used++;
		ese_page_header_read(&db.lay, p, &h);
		c->root += !!(h.flags & ESE_PGF_ROOT);
		c->leaf += !!(h.flags & ESE_PGF_LEAF);
		c->internal += !(h.flags & ESE_PGF_LEAF);
		c->parent_of_leaf += !!(h.flags & ESE_PGF_PARENT_OF_LEAF);
		c->empty += !!(h.flags & ESE_PGF_EMPTY);
		c->space += !!(h.flags & ESE_PGF_SPACE_TREE);
		c->index += !!(h.flags & ESE_PGF_INDEX);
		c->lv += !!(h.flags & ESE_PGF_LONG_VALUE);
		c->preinit += !!(h.flags & ESE_PGF_PREINIT);
		if (h.dbtime > c->max_dbtime)
			c->max_dbtime = h.dbtime;
		/* every page of these databases is in the legacy one-reserved-
		 * tag format and a 4 KiB page with a new checksum */
		assert_int_equal(h.ctag_reserved_stored, 0);
		assert_true(h.flags & ESE_PGF_NEW_CHECKSUM_FORMAT);
		assert_true(h.flags & ESE_PGF_NEW_RECORD_FORMAT);
		assert_true(h.itag_mic_free >= 1);
		/* every tag resolves to a line inside the data area */
		n = ese_page_tag_count(&db.lay, p);
		for (unsigned itag = 0; itag < n; itag++) {
			ese_line line;
			jr_errinfo ei;

			jr_errinfo_clear(&ei);
			if (ese_page_tag_get(&db.lay, p, itag, &line, &ei))
				fail_msg("%s page %u tag %u: %s", set, pgno,
					 itag, ei.detail);
			assert_int_equal(line.itag, itag);
			if (itag > 0)
				assert_true(line.cb >= 4 && line.data);
		}
		c->lines += ese_page_line_count(&db.lay, p);
		/* the database header's dbtime (offset 16) bounds every page */
		assert_true(h.dbtime <= jr_le64(db.file + 16));
	}
	assert_int_equal(c->max_dbtime, jr_le64(db.file + 16));
	pagetest_db_free(&db);
}

static void check_census(const char *set, const page_census *want)
{
	page_census c;

	census(set, &c);
	assert_int_equal(c.npages, want->npages);
	assert_int_equal(c.blank, want->blank);
	assert_int_equal(c.used, want->used);
	assert_int_equal(c.root, want->root);
	assert_int_equal(c.leaf, want->leaf);
	assert_int_equal(c.internal, want->internal);
	assert_int_equal(c.parent_of_leaf, want->parent_of_leaf);
	assert_int_equal(c.empty, want->empty);
	assert_int_equal(c.space, want->space);
	assert_int_equal(c.index, want->index);
	assert_int_equal(c.lv, want->lv);
	assert_int_equal(c.preinit, want->preinit);
	assert_int_equal(c.lines, want->lines);
	assert_int_equal(c.max_dbtime, want->max_dbtime);
}

static void test_census_win11_dirty(void **state)
{
	static const page_census want = {
		.npages = 606, .blank = 124, .used = 482, .root = 75,
		.leaf = 466, .internal = 16, .parent_of_leaf = 16,
		.empty = 147, .space = 38, .index = 176, .lv = 0,
		.preinit = 0, .lines = 10834, .max_dbtime = 0xab4b,
	};

	(void)state;
	check_census("srum-win11-dirty", &want);
}

static void test_census_win10_clean_a(void **state)
{
	static const page_census want = {
		.npages = 190, .blank = 86, .used = 104, .root = 51,
		.leaf = 94, .internal = 10, .parent_of_leaf = 10,
		.empty = 0, .space = 24, .index = 42, .lv = 0,
		.preinit = 0, .lines = 2305, .max_dbtime = 0xa98,
	};

	(void)state;
	check_census("srum-win10-clean-a", &want);
}

static void test_census_win10_clean_b(void **state)
{
	static const page_census want = {
		.npages = 446, .blank = 121, .used = 325, .root = 63,
		.leaf = 313, .internal = 12, .parent_of_leaf = 12,
		.empty = 0, .space = 28, .index = 104, .lv = 0,
		.preinit = 0, .lines = 9644, .max_dbtime = 0x2924,
	};

	(void)state;
	check_census("srum-win10-clean-b", &want);
}

/* Small pages keep the line flags in the top bits of the tag's ib word and
 * leave the top bits of the cb word alone: real pages carry leftovers
 * there (win11 page 168 tag 88: cb word 0xc01c = 28 | 6 << 13). */
static void test_tag_bits_real(void **state)
{
	pagetest_db db;
	const uint8_t *p;
	uint16_t cbw, ibw;
	ese_line line;

	(void)state;
	pagetest_db_load("srum-win11-dirty", &db);
	p = pagetest_page(&db, 168);
	ese_page_tag_raw(&db.lay, p, 88, &cbw, &ibw);
	assert_int_equal(cbw, 0xc01c);
	assert_int_equal(ibw, (5 << 13) | 1633);
	assert_int_equal(ese_page_tag_get(&db.lay, p, 88, &line, NULL), 0);
	assert_int_equal(line.cb, 28);
	assert_int_equal(line.ib, 1633);
	assert_int_equal(line.flags, ESE_LINE_VERSION | ESE_LINE_COMPRESSED);
	assert_ptr_equal(line.data, p + 40 + 1633);
	/* iline = itag - 1 on a legacy page */
	assert_int_equal(ese_page_line(&db.lay, p, 87, &line, NULL), 0);
	assert_int_equal(line.itag, 88);

	/* an empty page keeps its old external header offset with cb 0 */
	p = pagetest_page(&db, 55);
	assert_int_equal(ese_page_external_header(&db.lay, p, &line, NULL), 0);
	assert_int_equal(line.cb, 0);
	assert_int_equal(line.ib, 3589);
	assert_null(line.data);
	pagetest_db_free(&db);
}

static void test_damaged(void **state)
{
	pagetest_db db;
	uint8_t page[4096];
	ese_line line;
	jr_errinfo ei;
	unsigned n;

	(void)state;
	pagetest_db_load("srum-win10-clean-a", &db);
	memcpy(page, pagetest_page(&db, 4), sizeof(page));
	pagetest_db_free(&db);
	n = ese_page_tag_count(&db.lay, page);
	assert_int_equal(n, 6);

	/* past the last tag */
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_tag_get(&db.lay, page, n, &line, &ei),
			 JET_errInvalidParameter);
	assert_int_equal(ese_page_line(&db.lay, page, 100000, &line, NULL),
			 JET_errInvalidParameter);

	/* a tag whose line runs into the tag array */
	jr_put_le16(page + 4096 - 8, 4000);
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_tag_get(&db.lay, page, 1, &line, &ei),
			 JET_errDatabaseCorrupted);
	assert_non_null(strstr(ei.detail, "tag 1"));

	/* itagMicFree so large the tag array covers the header */
	jr_put_le16(page + ESE_PGHDR_ITAG_STATE, 0x0fff);
	assert_int_equal(ese_page_tag_get(&db.lay, page, 5, &line, NULL),
			 JET_errDatabaseCorrupted);

	/* a zero-filled page has no tags at all */
	memset(page, 0, sizeof(page));
	assert_true(ese_page_is_blank(&db.lay, page));
	assert_int_equal(ese_page_line_count(&db.lay, page), 0);
	assert_int_equal(ese_page_tag_get(&db.lay, page, 0, &line, NULL),
			 JET_errInvalidParameter);
	page[100] = 1;
	assert_false(ese_page_is_blank(&db.lay, page));
}

/* 16/32 KiB pages: 80-byte header with the page number, 15-bit tag
 * fields, and the line flags in the line's first 16-bit word. */
static void test_large_page(void **state)
{
	static const uint32_t sizes[] = { 16384, 32768 };

	(void)state;
	for (int i = 0; i < 2; i++) {
		ese_page_layout lay;
		uint8_t *page;
		ese_page_header h;
		ese_line line;
		uint32_t ps = sizes[i];

		assert_int_equal(ese_page_layout_init(&lay, ps, NULL), 0);
		page = g_malloc0(ps);
		jr_put_le64(page + ESE_PGHDR_DBTIME, 0x1234);
		jr_put_le16(page + ESE_PGHDR_ITAG_STATE, (1 << 12) | 3);
		jr_put_le32(page + ESE_PGHDR_FLAGS, ESE_PGF_LEAF);
		jr_put_le64(page + ESE_PGHDR2_CHECKSUMS + 16, 0x55);
		jr_put_le32(page + ESE_PGHDR2_PGNO, 77);
		/* tag 1: 20000 bytes at ib 100 only fits 15-bit fields */
		jr_put_le16(page + ps - 8, ps == 32768 ? 20000 : 9000);
		jr_put_le16(page + ps - 6, 100 | 0x8000);
		/* its first word: key length 5 with flags deleted|compressed */
		jr_put_le16(page + 80 + 100, (6 << 13) | 5);
		/* tag 2: a one-byte line has no room for flags */
		jr_put_le16(page + ps - 12, 1);
		jr_put_le16(page + ps - 10, 50);
		page[80 + 50] = 0xff;

		ese_page_header_read(&lay, page, &h);
		assert_int_equal(h.pgno, 77);
		assert_int_equal(h.ext_checksum[2], 0x55);
		assert_int_equal(h.dbtime, 0x1234);
		assert_int_equal(h.ctag_reserved, 1);
		assert_int_equal(h.ctag_reserved_stored, 1);
		assert_int_equal(ese_page_line_count(&lay, page), 2);
		assert_int_equal(ese_page_line(&lay, page, 0, &line, NULL), 0);
		assert_int_equal(line.ib, 100);
		assert_int_equal(line.cb, ps == 32768 ? 20000 : 9000);
		assert_int_equal(line.flags,
				 ESE_LINE_DELETED | ESE_LINE_COMPRESSED);
		assert_ptr_equal(line.data, page + 180);
		assert_int_equal(ese_page_line(&lay, page, 1, &line, NULL), 0);
		assert_int_equal(line.flags, 0);
		g_free(page);
	}
}

static void test_flags_format(void **state)
{
	char buf[256];
	char tiny[8];

	(void)state;
	assert_string_equal(ese_page_flags_format(0x12c42, buf, sizeof(buf)),
			    "leaf|index|nonunique|newrecord|newchecksum|"
			    "paperwrite");
	assert_string_equal(ese_page_flags_format(0x80000008, buf, sizeof(buf)),
			    "empty|0x80000000");
	assert_string_equal(ese_page_flags_format(0, buf, sizeof(buf)), "");
	ese_page_flags_format(0xffffffff, tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_first_pages),
		cmocka_unit_test(test_census_win11_dirty),
		cmocka_unit_test(test_census_win10_clean_a),
		cmocka_unit_test(test_census_win10_clean_b),
		cmocka_unit_test(test_tag_bits_real),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_large_page),
		cmocka_unit_test(test_flags_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
