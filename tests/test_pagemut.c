/*
 * test_pagemut.c - page mutations on real pages and on pages built here:
 * CPAGE's layout rules (where lines and tags land, what stays behind),
 * free-space accounting, reorganisation order, large pages, new pages and
 * errors that leave the page untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ese/checksum.h"
#include "ese/page.h"
#include "ese/pagecheck.h"
#include "ese/pagemut.h"
#include "pagetest_util.h"
#include "util/bytes.h"

/* ---- std::sort reference vectors ---------------------------------------
 * Produced by a separate transcription of the Microsoft STL's std::sort
 * (stl/inc/algorithm: _Sort_unchecked, _Partition_by_median_guess_unchecked,
 * _Insertion_sort_unchecked; __msvc_heap_algorithms.hpp), not by our C
 * code: "small" takes the insertion sort, "ties" the partition with many
 * equal keys, "heap" is an antiquicksort input (McIlroy's adversary, keys
 * halved to create ties) that exhausts the depth budget and ends in the
 * heap sort of elements 80..199. */
static const uint16_t sort_small_key[20] = {
	0, 2, 4, 4, 5, 0, 1, 4, 4, 4, 3, 4, 4, 5, 3, 4, 3, 1, 0, 4,
};
static const uint16_t sort_small_order[20] = {
	0, 5, 18, 6, 17, 1, 10, 14, 16, 2, 3, 7, 8, 9, 11, 12, 15, 19, 4, 13,
};
static const uint16_t sort_ties_key[100] = {
	2, 3, 9, 26, 3, 14, 0, 26, 28, 21, 15, 21, 10, 6, 12, 8, 11, 29, 11,
	25, 12, 23, 16, 20, 2, 23, 10, 2, 17, 17, 9, 9, 14, 4, 28, 20, 22, 22,
	18, 9, 0, 27, 22, 11, 11, 14, 13, 2, 12, 28, 18, 17, 15, 27, 3, 13,
	16, 25, 24, 27, 19, 28, 15, 12, 29, 16, 8, 27, 13, 18, 29, 15, 16, 16,
	25, 0, 18, 7, 24, 4, 26, 1, 22, 16, 28, 21, 3, 22, 19, 13, 15, 4, 15,
	28, 7, 27, 28, 3, 20, 22,
};
static const uint16_t sort_ties_order[100] = {
	40, 75, 6, 81, 24, 47, 27, 0, 1, 54, 86, 4, 97, 33, 79, 91, 13, 77,
	94, 15, 66, 2, 39, 30, 31, 26, 12, 18, 43, 44, 16, 14, 63, 20, 48, 55,
	46, 68, 89, 5, 32, 45, 10, 62, 90, 71, 92, 52, 73, 83, 65, 56, 22, 72,
	28, 29, 51, 76, 38, 50, 69, 88, 60, 35, 23, 98, 11, 85, 9, 99, 36, 37,
	42, 87, 82, 25, 21, 58, 78, 57, 19, 74, 3, 80, 7, 53, 41, 67, 59, 95,
	34, 49, 93, 96, 8, 84, 61, 17, 70, 64,
};
static const uint16_t sort_heap_key[200] = {
	0, 3, 6, 9, 11, 14, 17, 19, 22, 25, 27, 30, 33, 35, 38, 99, 98, 97,
	96, 95, 94, 93, 92, 91, 90, 0, 3, 6, 89, 9, 11, 14, 88, 17, 19, 22,
	87, 25, 27, 30, 86, 33, 35, 38, 85, 84, 83, 82, 81, 80, 79, 78, 77,
	76, 75, 74, 73, 72, 71, 84, 99, 83, 91, 82, 95, 81, 90, 80, 97, 79,
	89, 78, 94, 77, 88, 1, 10, 4, 7, 12, 18, 15, 20, 26, 23, 28, 34, 31,
	36, 76, 39, 98, 75, 87, 74, 93, 73, 86, 72, 53, 1, 64, 4, 52, 63, 7,
	96, 62, 10, 52, 12, 51, 61, 15, 71, 60, 18, 51, 20, 50, 59, 23, 85,
	58, 26, 50, 28, 49, 57, 31, 70, 56, 34, 49, 36, 48, 55, 39, 92, 41,
	70, 68, 69, 67, 68, 66, 67, 65, 66, 2, 65, 5, 64, 8, 63, 13, 62, 16,
	61, 21, 60, 24, 59, 29, 58, 32, 57, 37, 56, 40, 55, 54, 54, 53, 2, 5,
	8, 13, 16, 21, 24, 29, 32, 37, 40, 47, 48, 46, 47, 45, 46, 44, 45, 43,
	44, 42, 43, 41, 42, 69,
};
static const uint16_t sort_heap_order[200] = {
	0, 25, 100, 75, 149, 174, 1, 26, 77, 102, 175, 151, 2, 27, 78, 105,
	153, 176, 3, 29, 76, 108, 4, 30, 110, 79, 155, 177, 5, 31, 81, 113,
	157, 178, 6, 33, 116, 80, 7, 34, 118, 82, 159, 179, 8, 35, 84, 121,
	161, 180, 9, 37, 83, 124, 10, 38, 126, 85, 181, 163, 11, 39, 87, 129,
	165, 182, 12, 41, 86, 132, 13, 42, 134, 88, 167, 183, 14, 43, 90, 137,
	169, 184, 197, 139, 195, 198, 196, 193, 191, 194, 189, 192, 187, 190,
	188, 185, 135, 186, 127, 133, 125, 119, 111, 117, 109, 103, 99, 173,
	171, 172, 170, 136, 131, 168, 128, 166, 123, 164, 120, 162, 160, 115,
	112, 158, 107, 156, 104, 154, 152, 101, 147, 150, 145, 148, 143, 146,
	144, 141, 199, 142, 130, 140, 114, 58, 98, 57, 96, 56, 94, 55, 92, 54,
	89, 53, 73, 52, 71, 51, 69, 50, 67, 49, 65, 48, 63, 47, 61, 46, 45,
	59, 122, 44, 97, 40, 93, 36, 74, 32, 70, 28, 66, 24, 62, 23, 22, 138,
	95, 21, 72, 20, 64, 19, 18, 106, 68, 17, 16, 91, 15, 60,
};

static void check_sort(const uint16_t *key, const uint16_t *want, size_t n)
{
	uint16_t v[256];

	assert_true(n <= 256);
	for (size_t i = 0; i < n; i++)
		v[i] = (uint16_t)i;
	ese_pagemut_sort_tags(v, n, key);
	assert_memory_equal(v, want, n * sizeof(v[0]));
	for (size_t i = 1; i < n; i++)
		assert_true(key[v[i - 1]] <= key[v[i]]);
}

static void test_sort_like_msvc(void **state)
{
	uint16_t one = 0, key0 = 5;

	(void)state;
	check_sort(sort_small_key, sort_small_order, 20);
	check_sort(sort_ties_key, sort_ties_order, 100);
	check_sort(sort_heap_key, sort_heap_order, 200);
	ese_pagemut_sort_tags(&one, 1, &key0);
	assert_int_equal(one, 0);
	ese_pagemut_sort_tags(NULL, 0, &key0);
}

/* ---- helpers ------------------------------------------------------------ */

static const ese_page_layout *lay4k(void)
{
	static ese_page_layout lay;

	if (!lay.page_size)
		assert_int_equal(ese_page_layout_init(&lay, 4096, NULL), 0);
	return &lay;
}

static void load_page(const char *set, uint32_t pgno, uint8_t *out)
{
	pagetest_db db;

	pagetest_db_load(set, &db);
	memcpy(out, pagetest_page(&db, pgno), 4096);
	pagetest_db_free(&db);
}

/* The structural check, checksum aside (mutated pages are not re-summed);
 * with_nodes false when the test wrote lines that are not real nodes. */
static void check_sound(const ese_page_layout *lay, const uint8_t *page,
			uint32_t pgno, bool with_nodes)
{
	ese_pagecheck_opts opts = { .skip_checksum = true,
				    .skip_nodes = !with_nodes };
	ese_page_problems pp;
	size_t n;

	ese_page_problems_init(&pp);
	n = ese_page_check(lay, page, pgno, &opts, &pp);
	if (n)
		fail_msg("page %u: %s: %s", pgno,
			 ese_pgchk_kind_name(pp.items[0].kind),
			 pp.items[0].reason);
	ese_page_problems_free(&pp);
}

static void assert_sound(const ese_page_layout *lay, const uint8_t *page,
			 uint32_t pgno)
{
	check_sound(lay, page, pgno, true);
}

/* Tags, lines and space sound; line contents made up by the test. */
static void assert_sound_layout(const ese_page_layout *lay,
				const uint8_t *page, uint32_t pgno)
{
	check_sound(lay, page, pgno, false);
}

static unsigned hdr16(const uint8_t *page, size_t off)
{
	return jr_le16(page + off);
}

static unsigned contiguous(const ese_page_layout *lay, const uint8_t *page)
{
	return lay->data_size - hdr16(page, ESE_PGHDR_IB_MIC_FREE) -
	       4 * ese_page_tag_count(lay, page);
}

/* Same lines (size, flags, bytes) under the same tags. */
static void assert_same_lines(const ese_page_layout *lay, const uint8_t *a,
			      const uint8_t *b)
{
	unsigned n = ese_page_tag_count(lay, a);

	assert_int_equal(ese_page_tag_count(lay, b), n);
	for (unsigned itag = 0; itag < n; itag++) {
		ese_line la, lb;

		assert_int_equal(ese_page_tag_get(lay, a, itag, &la, NULL), 0);
		assert_int_equal(ese_page_tag_get(lay, b, itag, &lb, NULL), 0);
		assert_int_equal(la.cb, lb.cb);
		assert_int_equal(la.flags, lb.flags);
		if (la.cb)
			assert_memory_equal(la.data, lb.data, la.cb);
	}
}

static uint32_t sum_line_sizes(const ese_page_layout *lay,
			       const uint8_t *page)
{
	uint32_t sum = 0;

	for (unsigned itag = 0; itag < ese_page_tag_count(lay, page); itag++) {
		uint16_t cbw, ibw;

		ese_page_tag_raw(lay, page, itag, &cbw, &ibw);
		sum += cbw & lay->ibcb_mask;
	}
	return sum;
}

/* ---- reorganisation on every real page ---------------------------------- */

static void test_reorganize_real_pages(void **state)
{
	/* pages a reorganisation changes: those with holes between lines,
	 * plus (win11) 18 empty pages whose empty tag 0 still points at its
	 * old offset and (win10-clean-b) page 3, whose ibMicFree lies above
	 * its last line */
	static const uint32_t want_moved[PAGETEST_NSETS] = { 85, 10, 67 };

	(void)state;
	for (int s = 0; s < PAGETEST_NSETS; s++) {
		pagetest_db db;
		uint32_t moved = 0, reorganized = 0;

		pagetest_db_load(pagetest_sets[s], &db);
		for (uint32_t pgno = 1; pgno <= db.npages; pgno++) {
			const uint8_t *orig = pagetest_page(&db, pgno);
			uint8_t page[4096], again[4096];
			unsigned n = ese_page_tag_count(&db.lay, orig);
			uint16_t prev_ib = 0;

			if (ese_page_is_blank(&db.lay, orig))
				continue;
			memcpy(page, orig, sizeof(page));
			assert_int_equal(ese_page_reorganize(&db.lay, page,
							     NULL), 0);
			reorganized++;
			/* lines, flags and leftover tag bits unchanged */
			assert_same_lines(&db.lay, orig, page);
			for (unsigned itag = 0; itag < n; itag++) {
				uint16_t c1, i1, c2, i2;

				ese_page_tag_raw(&db.lay, orig, itag, &c1, &i1);
				ese_page_tag_raw(&db.lay, page, itag, &c2, &i2);
				assert_int_equal(c1, c2);
				assert_int_equal(i1 & 0xe000, i2 & 0xe000);
			}
			/* the header only changes in ibMicFree */
			assert_memory_equal(orig, page, ESE_PGHDR_IB_MIC_FREE);
			assert_memory_equal(orig + 34, page + 34, 6);
			assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE),
					 sum_line_sizes(&db.lay, page));
			assert_int_equal(contiguous(&db.lay, page),
					 hdr16(page, ESE_PGHDR_CB_FREE));
			/* the lines keep their relative order on the page */
			{
				uint16_t ibs_old[4096], order[4096];

				for (unsigned itag = 0; itag < n; itag++) {
					uint16_t c, i;

					ese_page_tag_raw(&db.lay, orig, itag,
							 &c, &i);
					ibs_old[itag] = i & 0x1fff;
					order[itag] = (uint16_t)itag;
				}
				ese_pagemut_sort_tags(order, n, ibs_old);
				for (unsigned k = 0; k < n; k++) {
					uint16_t c, i;

					ese_page_tag_raw(&db.lay, page,
							 order[k], &c, &i);
					assert_true((i & 0x1fff) >= prev_ib);
					prev_ib = i & 0x1fff;
				}
			}
			assert_sound(&db.lay, page, pgno);
			if (memcmp(orig, page, 4096))
				moved++;
			/* a second reorganisation changes nothing */
			memcpy(again, page, sizeof(again));
			assert_int_equal(ese_page_reorganize(&db.lay, again,
							     NULL), 0);
			assert_memory_equal(again, page, sizeof(page));
		}
		printf("# %s: %u pages reorganised, %u changed\n",
		       pagetest_sets[s], reorganized, moved);
		assert_int_equal(moved, want_moved[s]);
		pagetest_db_free(&db);
	}
}

/* ---- delete a line and insert the same bytes again, on every page ------- */

static void test_delete_reinsert_real_pages(void **state)
{
	(void)state;
	for (int s = 0; s < PAGETEST_NSETS; s++) {
		pagetest_db db;
		uint32_t done = 0;

		pagetest_db_load(pagetest_sets[s], &db);
		for (uint32_t pgno = 1; pgno <= db.npages; pgno++) {
			const uint8_t *orig = pagetest_page(&db, pgno);
			uint8_t page[4096], saved[4096];
			unsigned nlines = ese_page_line_count(&db.lay, orig);
			unsigned n = ese_page_tag_count(&db.lay, orig);
			unsigned k = nlines / 2;
			uint8_t last_slot[4];
			ese_line line;
			ese_data part;

			if (ese_page_is_blank(&db.lay, orig) || nlines == 0)
				continue;
			memcpy(page, orig, sizeof(page));
			assert_int_equal(ese_page_line(&db.lay, page, k, &line,
						       NULL), 0);
			memcpy(saved, line.data, line.cb);
			memcpy(last_slot, page + 4096 - 4 * n, 4);

			assert_int_equal(ese_page_delete(&db.lay, page, k, NULL),
					 0);
			assert_int_equal(ese_page_line_count(&db.lay, page),
					 nlines - 1);
			assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE),
					 hdr16(orig, ESE_PGHDR_CB_FREE) +
					 line.cb + 4);
			/* the old last slot keeps its bytes */
			assert_memory_equal(page + 4096 - 4 * n, last_slot, 4);
			/* tags above k moved down one slot */
			if (k + 1 < nlines)
				assert_memory_equal(page + 4096 - 4 * (k + 2),
						    orig + 4096 - 4 * (k + 3),
						    4);
			assert_sound(&db.lay, page, pgno);

			part.pv = saved;
			part.cb = line.cb;
			assert_int_equal(ese_page_insert(&db.lay, page, k,
							 &part, 1, line.flags,
							 NULL), 0);
			assert_same_lines(&db.lay, orig, page);
			assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE),
					 hdr16(orig, ESE_PGHDR_CB_FREE));
			assert_sound(&db.lay, page, pgno);
			done++;
		}
		assert_true(done > 50);
		pagetest_db_free(&db);
	}
}

/* ---- the detailed rules on one page with holes -------------------------- */

/* win10-clean-b page 48: 20 tags, cbFree 3573 of which only 143 are
 * contiguous (3430 bytes of holes). */
static void test_insert_reorganizes_only_when_needed(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t orig[4096], page[4096], buf[300];
	ese_data part = { buf, 0 };
	ese_line line;
	unsigned ib_mic;

	(void)state;
	load_page("srum-win10-clean-b", 48, orig);
	assert_int_equal(ese_page_tag_count(lay, orig), 20);
	assert_int_equal(hdr16(orig, ESE_PGHDR_CB_FREE), 3573);
	assert_int_equal(contiguous(lay, orig), 143);
	ib_mic = hdr16(orig, ESE_PGHDR_IB_MIC_FREE);
	memset(buf, 0x5a, sizeof(buf));
	/* 139 + 4 bytes fit as they are: the line goes on top, nothing
	 * moves */
	memcpy(page, orig, sizeof(page));
	part.cb = 139;
	buf[0] = 3;   /* a plausible node: 3-byte key */
	buf[1] = 0;
	assert_int_equal(ese_page_insert(lay, page, 19, &part, 1,
					 ESE_LINE_VERSION, NULL), 0);
	assert_int_equal(ese_page_line(lay, page, 19, &line, NULL), 0);
	assert_int_equal(line.ib, ib_mic);
	assert_int_equal(line.cb, 139);
	assert_int_equal(line.flags, ESE_LINE_VERSION);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), ib_mic + 139);
	assert_int_equal(contiguous(lay, page), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), 3573 - 143);
	/* inserted after the last line: tags 0..19 and every line stay */
	assert_memory_equal(page + 4096 - 80, orig + 4096 - 80, 80);
	assert_memory_equal(page + 40, orig + 40, ib_mic);
	assert_sound_layout(lay, page, 48);

	/* 140 + 4 bytes do not: the page is reorganised first */
	memcpy(page, orig, sizeof(page));
	part.cb = 140;
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, NULL), 0);
	assert_int_equal(ese_page_line(lay, page, 0, &line, NULL), 0);
	assert_int_equal(line.ib, 4056 - 3573 - 4 * 20);  /* sum of old lines */
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), line.ib + 140);
	assert_int_equal(contiguous(lay, page),
			 hdr16(page, ESE_PGHDR_CB_FREE));
	assert_sound_layout(lay, page, 48);
}

static void test_replace_rules(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t orig[4096], page[4096], buf[600];
	ese_data part = { buf, 0 };
	ese_line before, after;
	unsigned ib_mic, cb_free, top = 0, top_end = 0, mid = 0;

	(void)state;
	load_page("srum-win10-clean-b", 48, orig);
	ib_mic = hdr16(orig, ESE_PGHDR_IB_MIC_FREE);
	cb_free = hdr16(orig, ESE_PGHDR_CB_FREE);
	/* find the highest line and one that is not */
	for (unsigned i = 0; i < 19; i++) {
		ese_line l;

		assert_int_equal(ese_page_line(lay, orig, i, &l, NULL), 0);
		if (l.ib + l.cb == ib_mic)
			top = i;
		else if (l.ib + l.cb > top_end)
			mid = i, top_end = l.ib + l.cb;
	}
	assert_int_not_equal(top, mid);

	/* shrinking the highest line lowers ibMicFree */
	memcpy(page, orig, sizeof(page));
	ese_page_line(lay, page, top, &before, NULL);
	memcpy(buf, before.data, before.cb);
	part.cb = before.cb - 5;
	assert_int_equal(ese_page_replace(lay, page, top, &part, 1,
					  before.flags, NULL), 0);
	ese_page_line(lay, page, top, &after, NULL);
	assert_int_equal(after.ib, before.ib);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), ib_mic - 5);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), cb_free + 5);
	/* growing it again stays in place (contiguous space follows) */
	part.cb = before.cb + 20;
	assert_int_equal(ese_page_replace(lay, page, top, &part, 1,
					  ESE_LINE_DELETED, NULL), 0);
	ese_page_line(lay, page, top, &after, NULL);
	assert_int_equal(after.ib, before.ib);
	assert_int_equal(after.flags, ESE_LINE_DELETED);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), ib_mic + 20);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), cb_free - 20);
	assert_sound_layout(lay, page, 48);

	/* shrinking a lower line keeps ibMicFree */
	memcpy(page, orig, sizeof(page));
	ese_page_line(lay, page, mid, &before, NULL);
	memcpy(buf, before.data, before.cb);
	part.cb = before.cb - 1;
	assert_int_equal(ese_page_replace(lay, page, mid, &part, 1,
					  before.flags, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), ib_mic);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), cb_free + 1);

	/* growing a lower line moves it on top; its old bytes stay */
	memcpy(page, orig, sizeof(page));
	part.cb = before.cb + 10;
	assert_int_equal(ese_page_replace(lay, page, mid, &part, 1, 0, NULL),
			 0);
	ese_page_line(lay, page, mid, &after, NULL);
	assert_int_equal(after.ib, ib_mic);
	assert_memory_equal(page + 40 + before.ib, orig + 40 + before.ib,
			    before.cb);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE),
			 ib_mic + before.cb + 10);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), cb_free - 10);
	assert_sound_layout(lay, page, 48);

	/* growing it beyond the contiguous space reorganises: the old line
	 * is released first, so it ends up on top of everything else */
	memcpy(page, orig, sizeof(page));
	memset(buf, 0x33, sizeof(buf));
	part.cb = 500;
	assert_int_equal(ese_page_replace(lay, page, mid, &part, 1, 0, NULL),
			 0);
	ese_page_line(lay, page, mid, &after, NULL);
	assert_int_equal(after.ib, 4056 - cb_free - 80 - before.cb);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), after.ib + 500);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE),
			 cb_free + before.cb - 500);
	assert_sound_layout(lay, page, 48);

	/* more than the free space: refused, page untouched */
	memcpy(page, orig, sizeof(page));
	{
		static uint8_t big[4000];
		ese_data huge = { big, before.cb + cb_free + 1 };
		jr_errinfo ei;

		jr_errinfo_clear(&ei);
		assert_int_equal(ese_page_replace(lay, page, mid, &huge, 1, 0,
						  &ei),
				 JET_errLogOperationInconsistentWithDatabase);
		assert_memory_equal(page, orig, sizeof(page));
	}
}

static void test_full_page(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t orig[4096], page[4096];
	static uint8_t buf[4096];
	ese_data part = { buf, 0 };
	unsigned cb_free;
	jr_errinfo ei;

	(void)state;
	load_page("srum-win10-clean-b", 121, orig);
	cb_free = hdr16(orig, ESE_PGHDR_CB_FREE);
	memcpy(page, orig, sizeof(page));
	buf[0] = 1;
	/* one byte too many (the new tag takes 4) */
	part.cb = cb_free - 3;
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_insert(lay, page, 5, &part, 1, 0, &ei),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_non_null(strstr(ei.detail, "free"));
	assert_memory_equal(page, orig, sizeof(page));
	/* exactly full */
	part.cb = cb_free - 4;
	assert_int_equal(ese_page_insert(lay, page, 5, &part, 1, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), 0);
	assert_int_equal(contiguous(lay, page), 0);
	assert_int_equal(ese_page_tag_count(lay, page), 155);
	memcpy(orig, page, sizeof(page));
	part.cb = 1;
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_memory_equal(page, orig, sizeof(page));
	/* an empty line and lines beyond the end are refused too */
	part.cb = 0;
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	part.cb = 1;
	assert_int_equal(ese_page_insert(lay, page, 155, &part, 1, 0, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_int_equal(ese_page_delete(lay, page, 154, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_int_equal(ese_page_replace(lay, page, 154, &part, 1, 0, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_int_equal(ese_page_set_line_flags(lay, page, 154, 1, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_memory_equal(page, orig, sizeof(page));
}

/* Tag words: ESE only rewrites their low bits. */
static void test_tag_word_leftovers(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t page[4096];
	uint8_t data[8] = { 2, 0, 'k', 'k', 'd', 'd', 'd', 'd' };
	ese_data part = { data, sizeof(data) };
	uint16_t cbw, ibw;
	unsigned n;

	(void)state;
	/* win11 page 168: tag 88's cb word carries 6 << 13 */
	load_page("srum-win11-dirty", 168, page);
	n = ese_page_tag_count(lay, page);
	assert_int_equal(n, 151);
	ese_page_tag_raw(lay, page, 88, &cbw, &ibw);
	assert_int_equal(cbw >> 13, 6);
	/* the page is full (cbFree 7): make room at the far end */
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), 7);
	assert_int_equal(ese_page_insert(lay, page, 87, &part, 1, 0, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_int_equal(ese_page_delete(lay, page, 149, NULL), 0);
	n--;
	/* inserting at 88 reuses slot 88: the new tag inherits bits 13..15
	 * of the old tag 88's cb word, which moved to 89 intact */
	assert_int_equal(ese_page_insert(lay, page, 87, &part, 1,
					 ESE_LINE_COMPRESSED, NULL), 0);
	ese_page_tag_raw(lay, page, 88, &cbw, &ibw);
	assert_int_equal(cbw, (6 << 13) | 8);
	assert_int_equal(ibw >> 13, ESE_LINE_COMPRESSED);
	ese_page_tag_raw(lay, page, 89, &cbw, &ibw);
	assert_int_equal(cbw, 0xc01c);
	/* appending uses the slot under the tag array as it is: plant bits
	 * there first */
	n++;
	jr_put_le16(page + 4096 - 4 * (n + 1), 0xa000 | 77);
	jr_put_le16(page + 4096 - 4 * (n + 1) + 2, 0xe000 | 99);
	assert_int_equal(ese_page_insert(lay, page, n - 1, &part, 1, 0, NULL),
			 0);
	ese_page_tag_raw(lay, page, n, &cbw, &ibw);
	assert_int_equal(cbw, 0xa000 | 8);
	assert_int_equal(ibw >> 13, 0);
	assert_int_equal(ibw & 0x1fff,
			 hdr16(page, ESE_PGHDR_IB_MIC_FREE) - 8);
	/* reorganising keeps the leftovers and the flags */
	assert_int_equal(ese_page_reorganize(lay, page, NULL), 0);
	ese_page_tag_raw(lay, page, n, &cbw, &ibw);
	assert_int_equal(cbw, 0xa000 | 8);
	ese_page_tag_raw(lay, page, 88, &cbw, &ibw);
	assert_int_equal(ibw >> 13, ESE_LINE_COMPRESSED);
	assert_sound_layout(lay, page, 168);
}

static void test_delete_rules(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t page[4096];
	ese_line top, ext;
	unsigned n, ib_mic;
	uint8_t hdr_data[3] = { 'p', 'f', 'x' };
	ese_data part = { hdr_data, 3 };

	(void)state;
	/* win10-clean-a page 4 (MSysObjects root, 5 lines, no holes) */
	load_page("srum-win10-clean-a", 4, page);
	n = ese_page_line_count(lay, page);
	assert_int_equal(n, 5);
	ib_mic = hdr16(page, ESE_PGHDR_IB_MIC_FREE);
	/* the highest line lowers ibMicFree when deleted */
	for (unsigned i = 0; i < n; i++) {
		ese_page_line(lay, page, i, &top, NULL);
		if (top.ib + top.cb == ib_mic)
			break;
	}
	assert_int_equal(top.ib + top.cb, ib_mic);
	assert_int_equal(ese_page_delete(lay, page, top.itag - 1, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), ib_mic - top.cb);
	/* deleting every line: once only the empty-able tag 0 remains with
	 * nothing on it, ibMicFree returns to 0 */
	while (ese_page_line_count(lay, page) > 0)
		assert_int_equal(ese_page_delete(lay, page, 0, NULL), 0);
	ese_page_external_header(lay, page, &ext, NULL);
	assert_int_equal(ext.cb, 16);    /* the space header is still there */
	assert_int_not_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), 0);
	/* empty the external header, then insert and delete one line */
	assert_int_equal(ese_page_set_external_header(lay, page, &part, 0,
						      NULL), 0);
	ese_page_external_header(lay, page, &ext, NULL);
	assert_int_equal(ext.cb, 0);
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, NULL), 0);
	assert_int_equal(ese_page_delete(lay, page, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), 4056 - 4);
	assert_int_equal(ese_page_tag_count(lay, page), 1);
	/* the external header grows back in place from offset 0 */
	assert_int_equal(ese_page_set_external_header(lay, page, &part, 1,
						      NULL), 0);
	ese_page_external_header(lay, page, &ext, NULL);
	assert_int_equal(ext.cb, 3);
	assert_memory_equal(ext.data, "pfx", 3);
}

/* Tag 0 empty, sharing its offset with a line in the middle of a page of
 * 106 tags: where it lands depends on std::sort's exact order (a stable
 * sort would put it before that line). */
static void test_reorganize_tie(void **state)
{
	static const uint8_t rank[106] = {
		72, 48, 101, 99, 17, 91, 39, 12, 4, 18, 51, 23, 26, 103, 74,
		47, 82, 69, 87, 32, 45, 53, 85, 41, 61, 38, 54, 63, 42, 62, 24,
		94, 36, 75, 96, 98, 2, 88, 29, 67, 73, 76, 20, 77, 89, 34, 102,
		56, 95, 59, 58, 13, 78, 72, 22, 70, 84, 60, 27, 30, 16, 8, 49,
		86, 71, 50, 11, 37, 83, 9, 43, 93, 19, 1, 31, 46, 81, 44, 90,
		15, 6, 66, 68, 80, 7, 40, 79, 64, 35, 57, 92, 97, 28, 52, 25, 5,
		33, 0, 10, 14, 65, 55, 3, 100, 21, 104,
	};
	const ese_page_layout *lay = lay4k();
	uint8_t page[4096];
	ese_line l;

	(void)state;
	/* lines of 10 bytes at offset 20 * rank: 10-byte holes between */
	memset(page, 0, sizeof(page));
	jr_put_le32(page + ESE_PGHDR_FLAGS, ESE_PGF_LEAF);
	jr_put_le16(page + ESE_PGHDR_ITAG_STATE, 106);
	jr_put_le16(page + ESE_PGHDR_IB_MIC_FREE, 104 * 20 + 10);
	jr_put_le16(page + ESE_PGHDR_CB_FREE, 4056 - 105 * 10 - 106 * 4);
	jr_put_le16(page + 4096 - 4, 0);
	jr_put_le16(page + 4096 - 2, 20 * rank[0]);
	for (unsigned i = 1; i < 106; i++) {
		uint8_t *line = page + 40 + 20 * rank[i];

		jr_put_le16(page + 4096 - 4 * (i + 1), 10);
		jr_put_le16(page + 4096 - 4 * (i + 1) + 2, 20 * rank[i]);
		jr_put_le16(line, 2);
		line[2] = (uint8_t)(rank[i] >> 8);
		line[3] = (uint8_t)rank[i];
		memset(line + 4, (int)i, 6);
	}
	assert_int_equal(ese_page_reorganize(lay, page, NULL), 0);
	for (unsigned i = 1; i < 106; i++) {
		ese_page_tag_get(lay, page, i, &l, NULL);
		assert_int_equal(l.ib, 10 * rank[i]);
		assert_int_equal(l.data[4], i);
	}
	ese_page_tag_get(lay, page, 0, &l, NULL);
	assert_int_equal(l.cb, 0);
	assert_int_equal(l.ib, 10 * 72 + 10);   /* after line 53 (rank 72) */
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), 1050);
}

static void test_overwrite_and_compact(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t orig[4096], page[4096];
	size_t head, tail;
	unsigned n;
	uint8_t used[4056];

	(void)state;
	load_page("srum-win10-clean-b", 48, orig);
	memcpy(page, orig, sizeof(page));
	n = ese_page_tag_count(lay, page);
	assert_int_equal(ese_page_overwrite_unused(lay, page, 'Z', NULL), 0);
	assert_same_lines(lay, orig, page);
	memset(used, 0, sizeof(used));
	for (unsigned itag = 0; itag < n; itag++) {
		ese_line l;

		ese_page_tag_get(lay, page, itag, &l, NULL);
		memset(used + l.ib, 1, l.cb);
	}
	for (unsigned i = 0; i < 4056 - 4 * n; i++)
		if (!used[i])
			assert_int_equal(page[40 + i], 'Z');
	/* lines do not move; ibMicFree is the end of the highest line */
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE),
			 hdr16(orig, ESE_PGHDR_IB_MIC_FREE));
	assert_memory_equal(page + 4096 - 4 * n, orig + 4096 - 4 * n, 4 * n);

	/* compact: reorganise, then header + lines and the tag array */
	memcpy(page, orig, sizeof(page));
	assert_int_equal(ese_page_compact(lay, page, &head, &tail, NULL), 0);
	assert_int_equal(head, 40 + 4056 - 3573 - 4 * n);
	assert_int_equal(tail, 4 * n);
	assert_int_equal(contiguous(lay, page), 3573);
	/* already compact: nothing changes */
	memcpy(orig, page, sizeof(page));
	assert_int_equal(ese_page_compact(lay, page, &head, &tail, NULL), 0);
	assert_memory_equal(page, orig, sizeof(page));

	/* win10-clean-b page 3: ibMicFree 76 but its lines end at 26 */
	load_page("srum-win10-clean-b", 3, page);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), 76);
	assert_int_equal(ese_page_overwrite_unused(lay, page, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), 26);
	for (unsigned i = 26; i < 4056 - 8; i++)
		assert_int_equal(page[40 + i], 0);
}

static void test_line_flags(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t orig[4096], page[4096];
	unsigned n;
	ese_line l;

	(void)state;
	load_page("srum-win11-dirty", 168, orig);
	memcpy(page, orig, sizeof(page));
	n = ese_page_line_count(lay, page);
	assert_int_equal(ese_page_set_line_flags(lay, page, 87,
		ESE_LINE_DELETED | ESE_LINE_COMPRESSED | ESE_LINE_VERSION, NULL),
		0);
	ese_page_line(lay, page, 87, &l, NULL);
	assert_int_equal(l.flags, 7);
	/* only the flag bits of tag 88's ib word changed */
	assert_memory_equal(page, orig, 4096 - 4 * 89 + 2);
	assert_int_equal(jr_le16(page + 4096 - 4 * 89 + 2) & 0x1fff,
			 jr_le16(orig + 4096 - 4 * 89 + 2) & 0x1fff);
	/* clearing the version bit everywhere keeps the others */
	assert_int_equal(ese_page_reset_line_flags(lay, page, ESE_LINE_VERSION,
						   NULL), 0);
	for (unsigned i = 0; i < n; i++) {
		ese_line o;

		ese_page_line(lay, page, i, &l, NULL);
		ese_page_line(lay, orig, i, &o, NULL);
		assert_false(l.flags & ESE_LINE_VERSION);
		assert_int_equal(l.flags, (i == 87 ? 7 : o.flags) &
					  (uint8_t)~ESE_LINE_VERSION);
	}
	assert_sound(lay, page, 168);
}

/* Emptying a page the way the node layer does (prefix set to nothing,
 * then every line deleted) gives exactly the 147 empty pages of the win11
 * database: one tag, cbFree 4052, ibMicFree 0 (Delete_'s empty-page rule),
 * and tag 0 still pointing where the prefix was (18 of them not at 0). */
static void test_empty_page_like_esent(void **state)
{
	const ese_page_layout *lay = lay4k();
	pagetest_db db;
	uint32_t empty = 0, stale_ib = 0;
	uint8_t page[4096];
	ese_data none = { NULL, 0 };
	ese_line ext, ext_before;

	(void)state;
	pagetest_db_load("srum-win11-dirty", &db);
	for (uint32_t pgno = 1; pgno <= db.npages; pgno++) {
		const uint8_t *p = pagetest_page(&db, pgno);
		ese_page_header h;

		if (ese_page_is_blank(lay, p))
			continue;
		ese_page_header_read(lay, p, &h);
		if (!(h.flags & ESE_PGF_EMPTY))
			continue;
		empty++;
		assert_int_equal(h.itag_mic_free, 1);
		assert_int_equal(h.cb_free, 4052);
		assert_int_equal(h.ib_mic_free, 0);
		ese_page_external_header(lay, p, &ext, NULL);
		assert_int_equal(ext.cb, 0);
		stale_ib += ext.ib != 0;
	}
	assert_int_equal(empty, 147);
	assert_int_equal(stale_ib, 18);

	/* page 168: a full leaf with a 19-byte prefix */
	memcpy(page, pagetest_page(&db, 168), sizeof(page));
	pagetest_db_free(&db);
	ese_page_external_header(lay, page, &ext_before, NULL);
	assert_int_equal(ext_before.cb, 19);
	assert_int_equal(ese_page_set_external_header(lay, page, &none, 1,
						      NULL), 0);
	while (ese_page_line_count(lay, page))
		assert_int_equal(ese_page_delete(lay, page, 0, NULL), 0);
	assert_int_equal(ese_page_tag_count(lay, page), 1);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_FREE), 4052);
	assert_int_equal(hdr16(page, ESE_PGHDR_IB_MIC_FREE), 0);
	ese_page_external_header(lay, page, &ext, NULL);
	assert_int_equal(ext.cb, 0);
	assert_int_equal(ext.ib, ext_before.ib);
}

/* ---- new pages ----------------------------------------------------------- */

static void test_new_small_page(void **state)
{
	ese_page_layout lay = *lay4k();
	uint8_t page[4096], zero[4096];
	uint8_t node[7] = { 1, 0, 'a', 'd', 'a', 't', 'a' };
	ese_data part = { node, sizeof(node) };
	ese_page_header h;
	ese_line l;

	(void)state;
	memset(page, 0xcc, sizeof(page));
	ese_page_preinit(&lay, page, 9, 42, 0x1234);
	ese_page_header_read(&lay, page, &h);
	assert_int_equal(h.flags, ESE_PGF_PREINIT | ESE_PGF_NEW_RECORD_FORMAT);
	assert_int_equal(h.objid_fdp, 42);
	assert_int_equal(h.dbtime, 0x1234);
	assert_int_equal(h.cb_free, 4056);
	assert_int_equal(h.itag_state, 0);
	assert_int_equal(h.checksum, 0);
	memset(zero, 0, sizeof(zero));
	assert_memory_equal(page + 40, zero, 4056);
	assert_sound(&lay, page, 9);
	/* a pre-initialised page is not a tree page yet */
	assert_int_equal(ese_page_insert(&lay, page, 0, &part, 1, 0, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_consume_preinit(&lay, page,
						  ESE_PGF_PREINIT, NULL),
			 JET_errLogOperationInconsistentWithDatabase);

	assert_int_equal(ese_page_consume_preinit(&lay, page,
		ESE_PGF_LEAF | ESE_PGF_NEW_CHECKSUM_FORMAT | 0x10000, NULL), 0);
	ese_page_header_read(&lay, page, &h);
	assert_int_equal(h.flags, ESE_PGF_LEAF | ESE_PGF_NEW_CHECKSUM_FORMAT |
				  ESE_PGF_NEW_RECORD_FORMAT | 0x10000);
	assert_int_equal(h.itag_state, 1);
	assert_int_equal(h.cb_free, 4052);
	assert_int_equal(h.ib_mic_free, 0);
	assert_int_equal(ese_page_consume_preinit(&lay, page, 0, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	/* the first line lands at offset 0, sharing it with empty tag 0 */
	assert_int_equal(ese_page_insert(&lay, page, 0, &part, 1, 0, NULL), 0);
	ese_page_line(&lay, page, 0, &l, NULL);
	assert_int_equal(l.ib, 0);
	ese_page_external_header(&lay, page, &l, NULL);
	assert_int_equal(l.ib, 0);
	assert_int_equal(l.cb, 0);
	ese_page_checksum_write(page, 4096, 9);
	{
		ese_page_problems pp;

		ese_page_problems_init(&pp);
		assert_int_equal(ese_page_check(&lay, page, 9, NULL, &pp), 0);
		ese_page_problems_free(&pp);
	}

	/* databases with reserved-tag pages store ctagReserved */
	lay.resv_tag_format = true;
	ese_page_preinit(&lay, page, 9, 42, 0x1234);
	assert_int_equal(ese_page_consume_preinit(&lay, page, ESE_PGF_LEAF,
						  NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_ITAG_STATE), 0x1001);
	assert_int_equal(ese_page_insert(&lay, page, 0, &part, 1, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_ITAG_STATE), 0x1002);
}

/* A legacy page changed under a reserved-tags database is upgraded. */
static void test_itag_state_upgrade(void **state)
{
	ese_page_layout lay = *lay4k();
	uint8_t page[4096];
	uint8_t node[6] = { 1, 0, 'a', 'd', 'd', 'd' };
	ese_data part = { node, sizeof(node) };
	unsigned n;

	(void)state;
	load_page("srum-win10-clean-a", 4, page);
	n = ese_page_tag_count(&lay, page);
	assert_int_equal(hdr16(page, ESE_PGHDR_ITAG_STATE), n);
	assert_int_equal(ese_page_insert(&lay, page, 0, &part, 1, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_ITAG_STATE), n + 1);
	lay.resv_tag_format = true;
	assert_int_equal(ese_page_delete(&lay, page, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_ITAG_STATE), 0x1000 | n);
	/* bit 15 is not kept */
	jr_put_le16(page + ESE_PGHDR_ITAG_STATE, 0x9000 | n);
	assert_int_equal(ese_page_insert(&lay, page, 0, &part, 1, 0, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_ITAG_STATE), 0x1000 | (n + 1));
}

/* 16 and 32 KiB pages: flags live in the line, tag 0 has none. */
static void test_large_pages(void **state)
{
	static const uint32_t sizes[2] = { 16384, 32768 };

	(void)state;
	for (int z = 0; z < 2; z++) {
		ese_page_layout lay;
		uint32_t ps = sizes[z];
		uint8_t *page = g_malloc(ps);
		uint8_t big[9000];
		uint8_t node[6] = { 2, 0, 'k', 'k', 'd', 'd' };
		uint8_t one = 0x42;
		ese_data part = { node, sizeof(node) };
		ese_data ext = { "PREFIX", 6 };
		ese_page_header h;
		ese_page_problems pp;
		ese_line l;

		assert_int_equal(ese_page_layout_init(&lay, ps, NULL), 0);
		ese_page_preinit(&lay, page, 300, 7, 99);
		ese_page_header_read(&lay, page, &h);
		assert_int_equal(h.pgno, 300);
		assert_int_equal(h.checksum, 0xdeadbeefbaadf00dULL);
		assert_int_equal(h.ext_checksum[0], 0x6570755320455345ULL);
		assert_int_equal(h.ext_checksum[1], 0x524f584343452072ULL);
		assert_int_equal(h.ext_checksum[2], 0x6d75736b63656843ULL);
		assert_int_equal(h.cb_free, ps - 80);
		assert_int_equal(ese_page_consume_preinit(&lay, page,
			ESE_PGF_LEAF | ESE_PGF_NEW_CHECKSUM_FORMAT, NULL), 0);
		assert_int_equal(ese_page_set_external_header(&lay, page, &ext,
							      1, NULL), 0);
		assert_int_equal(ese_page_insert(&lay, page, 0, &part, 1,
			ESE_LINE_VERSION | ESE_LINE_COMPRESSED, NULL), 0);
		/* flags in the top bits of the line's first word */
		ese_page_line(&lay, page, 0, &l, NULL);
		assert_int_equal(l.flags,
				 ESE_LINE_VERSION | ESE_LINE_COMPRESSED);
		assert_int_equal(jr_le16(l.data), (5 << 13) | 2);
		assert_memory_equal(l.data + 2, "kkdd", 4);
		/* the tag's ib word has no flags */
		assert_int_equal(jr_le16(page + ps - 8 + 2), 6);
		/* a one-byte line has nowhere to keep flags */
		part.pv = &one;
		part.cb = 1;
		assert_int_equal(ese_page_insert(&lay, page, 1, &part, 1,
						 ESE_LINE_DELETED, NULL), 0);
		ese_page_line(&lay, page, 1, &l, NULL);
		assert_int_equal(l.flags, 0);
		assert_int_equal(l.data[0], 0x42);
		assert_int_equal(ese_page_set_line_flags(&lay, page, 1,
							 ESE_LINE_DELETED,
							 NULL), 0);
		assert_int_equal(l.data[0], 0x42);
		/* tag 0 carries no flags either: the prefix is intact */
		ese_page_external_header(&lay, page, &l, NULL);
		assert_int_equal(l.flags, (uint8_t)('R' >> 5));
		assert_memory_equal(l.data, "PREFIX", 6);
		/* lines longer than a 13-bit size */
		memset(big, 0x11, sizeof(big));
		big[0] = 1;      /* key "z": sorts after "kk" */
		big[1] = 0;
		big[2] = 'z';
		part.pv = big;
		part.cb = sizeof(big);
		assert_int_equal(ese_page_insert(&lay, page, 2, &part, 1,
						 ESE_LINE_DELETED, NULL), 0);
		ese_page_line(&lay, page, 2, &l, NULL);
		assert_int_equal(l.cb, 9000);
		assert_int_equal(l.flags, ESE_LINE_DELETED);
		/* replace keeps flags in the data word, delete + reorganise
		 * carry them along */
		part.pv = node;
		part.cb = sizeof(node);
		assert_int_equal(ese_page_delete(&lay, page, 1, NULL), 0);
		assert_int_equal(ese_page_replace(&lay, page, 0, &part, 1,
						  ESE_LINE_DELETED, NULL), 0);
		assert_int_equal(ese_page_reorganize(&lay, page, NULL), 0);
		ese_page_line(&lay, page, 0, &l, NULL);
		assert_int_equal(l.flags, ESE_LINE_DELETED);
		assert_int_equal(jr_le16(l.data), (2 << 13) | 2);
		ese_page_line(&lay, page, 1, &l, NULL);
		assert_int_equal(l.cb, 9000);
		assert_int_equal(l.flags, ESE_LINE_DELETED);
		ese_page_set_pgno(&lay, page, 300);
		ese_page_checksum_write(page, ps, 300);
		ese_page_problems_init(&pp);
		assert_int_equal(ese_page_check(&lay, page, 300, NULL, &pp), 0);
		/* the stored page number is checked */
		assert_int_equal(ese_page_check(&lay, page, 301, NULL, &pp), 2);
		ese_page_problems_free(&pp);
		g_free(page);
	}
}

/* ---- errors leave the page untouched -------------------------------------- */

static void test_damaged_pages_refused(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t orig[4096], page[4096];
	uint8_t node[6] = { 1, 0, 'a', 'd', 'd', 'd' };
	ese_data part = { node, sizeof(node) };
	size_t head, tail;
	uint16_t cbw, ibw;
	jr_errinfo ei;

	(void)state;
	load_page("srum-win10-clean-b", 121, orig);
	/* overlapping lines */
	ese_page_tag_raw(lay, orig, 5, &cbw, &ibw);
	jr_put_le16(orig + 4096 - 4 * 7 + 2, (uint16_t)(ibw + 1));
	memcpy(page, orig, sizeof(page));
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_reorganize(lay, page, &ei),
			 JET_errDatabaseCorrupted);
	assert_non_null(strstr(ei.detail, "overlaps"));
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_replace(lay, page, 0, &part, 1, 0, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_delete(lay, page, 0, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_set_external_header(lay, page, &part, 1,
						      NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_set_line_flags(lay, page, 0, 0, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_reset_line_flags(lay, page, 1, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_compact(lay, page, &head, &tail, NULL),
			 JET_errDatabaseCorrupted);
	assert_int_equal(ese_page_overwrite_unused(lay, page, 0, NULL),
			 JET_errDatabaseCorrupted);
	assert_memory_equal(page, orig, sizeof(page));

	/* cbFree that does not add up */
	load_page("srum-win10-clean-b", 121, page);
	jr_put_le16(page + ESE_PGHDR_CB_FREE, hdr16(page, ESE_PGHDR_CB_FREE) + 2);
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, &ei),
			 JET_errDatabaseCorrupted);
	assert_non_null(strstr(ei.detail, "add up"));
	/* a line past ibMicFree, a tag array into the header, no tags */
	load_page("srum-win10-clean-b", 121, page);
	jr_put_le16(page + ESE_PGHDR_IB_MIC_FREE, 10);
	assert_int_equal(ese_page_delete(lay, page, 0, NULL),
			 JET_errDatabaseCorrupted);
	load_page("srum-win10-clean-b", 121, page);
	jr_put_le16(page + ESE_PGHDR_IB_MIC_FREE, 4000);
	assert_int_equal(ese_page_delete(lay, page, 0, NULL),
			 JET_errDatabaseCorrupted);
	jr_put_le16(page + ESE_PGHDR_ITAG_STATE, 0x0fff);
	assert_int_equal(ese_page_delete(lay, page, 0, NULL),
			 JET_errDatabaseCorrupted);
	jr_put_le16(page + ESE_PGHDR_ITAG_STATE, 0);
	assert_int_equal(ese_page_delete(lay, page, 0, NULL),
			 JET_errDatabaseCorrupted);

	/* data pointing into the page for an insert */
	load_page("srum-win10-clean-b", 121, page);
	part.pv = page + 100;
	assert_int_equal(ese_page_insert(lay, page, 0, &part, 1, 0, NULL),
			 JET_errInvalidParameter);
	/* but a shrinking replace may take its bytes from the page (the
	 * line's own tail becomes the line) */
	{
		ese_line l;
		uint8_t want[64];
		ese_data self;

		ese_page_line(lay, page, 3, &l, NULL);
		memcpy(want, l.data + 2, l.cb - 2);
		self.pv = l.data + 2;
		self.cb = l.cb - 2;
		assert_int_equal(ese_page_replace(lay, page, 3, &self, 1,
						  l.flags, NULL), 0);
		ese_page_line(lay, page, 3, &l, NULL);
		assert_memory_equal(l.data, want, l.cb);
		/* growing from the page is refused */
		self.cb = l.cb + 2;
		assert_int_equal(ese_page_replace(lay, page, 3, &self, 1, 0,
						  NULL),
				 JET_errInvalidParameter);
	}
	/* a line bigger than any 4 KiB page */
	{
		static uint8_t huge[9000];
		ese_data h = { huge, sizeof(huge) };

		assert_int_equal(ese_page_insert(lay, page, 0, &h, 1, 0, NULL),
				 JET_errLogOperationInconsistentWithDatabase);
	}
}

static void test_header_setters(void **state)
{
	const ese_page_layout *lay = lay4k();
	uint8_t page[4096];
	ese_page_header h;
	jr_errinfo ei;

	(void)state;
	load_page("srum-win10-clean-b", 121, page);
	ese_page_set_flags(page, ESE_PGF_LEAF | ESE_PGF_SCRUBBED);
	ese_page_dirty(page, 0x7777);
	ese_page_set_pgno_prev(page, 11);
	ese_page_set_pgno_next(page, 12);
	ese_page_set_objid(page, 13);
	ese_page_set_pgno(lay, page, 99);   /* small page: no-op */
	ese_page_header_read(lay, page, &h);
	assert_int_equal(h.flags, ESE_PGF_LEAF);
	assert_int_equal(h.dbtime, 0x7777);
	assert_int_equal(h.pgno_prev, 11);
	assert_int_equal(h.pgno_next, 12);
	assert_int_equal(h.objid_fdp, 13);
	ese_page_set_dbtime(page, 5);
	ese_page_header_read(lay, page, &h);
	assert_int_equal(h.dbtime, 5);

	assert_int_equal(ese_page_set_uncommitted_free(page, 10, NULL), 0);
	assert_int_equal(ese_page_add_uncommitted_free(page, 5, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_UNCOMMITTED), 15);
	assert_int_equal(ese_page_reclaim_uncommitted_free(page, 15, NULL), 0);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_UNCOMMITTED), 0);
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_page_reclaim_uncommitted_free(page, 1, &ei),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_int_equal(ese_page_set_uncommitted_free(
				 page, h.cb_free + 1, NULL),
			 JET_errLogOperationInconsistentWithDatabase);
	assert_int_equal(hdr16(page, ESE_PGHDR_CB_UNCOMMITTED), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_like_msvc),
		cmocka_unit_test(test_reorganize_real_pages),
		cmocka_unit_test(test_delete_reinsert_real_pages),
		cmocka_unit_test(test_insert_reorganizes_only_when_needed),
		cmocka_unit_test(test_replace_rules),
		cmocka_unit_test(test_full_page),
		cmocka_unit_test(test_tag_word_leftovers),
		cmocka_unit_test(test_delete_rules),
		cmocka_unit_test(test_reorganize_tie),
		cmocka_unit_test(test_overwrite_and_compact),
		cmocka_unit_test(test_line_flags),
		cmocka_unit_test(test_empty_page_like_esent),
		cmocka_unit_test(test_new_small_page),
		cmocka_unit_test(test_itag_state_upgrade),
		cmocka_unit_test(test_large_pages),
		cmocka_unit_test(test_damaged_pages_refused),
		cmocka_unit_test(test_header_setters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
