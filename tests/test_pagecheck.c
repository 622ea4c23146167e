/*
 * test_pagecheck.c - the structural page check: every page of the real
 * databases is sound; each kind of damage is reported as itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ese/checksum.h"
#include "ese/pagecheck.h"
#include "pagetest_util.h"
#include "util/bytes.h"

static void test_real_pages_sound(void **state)
{
	static const uint32_t want_used[PAGETEST_NSETS] = { 482, 104, 325 };

	(void)state;
	for (int s = 0; s < PAGETEST_NSETS; s++) {
		ese_pagecheck_opts opts = { 0 };
		ese_page_problems pp;
		pagetest_db db;
		uint32_t used = 0;

		pagetest_db_load(pagetest_sets[s], &db);
		ese_page_problems_init(&pp);
		opts.dbtime_max = jr_le64(db.file + 16);
		for (uint32_t pgno = 1; pgno <= db.npages; pgno++) {
			const uint8_t *p = pagetest_page(&db, pgno);
			size_t n = ese_page_check(&db.lay, p, pgno, &opts, &pp);

			if (n)
				fail_msg("%s page %u: %s: %s", pagetest_sets[s],
					 pgno, ese_pgchk_kind_name(
						 pp.items[0].kind),
					 pp.items[0].reason);
			used += !ese_page_is_blank(&db.lay, p);
		}
		assert_int_equal(pp.total, 0);
		assert_int_equal(used, want_used[s]);
		/* one dbtime lower and the newest page is reported */
		opts.dbtime_max--;
		for (uint32_t pgno = 1; pgno <= db.npages; pgno++)
			ese_page_check(&db.lay, pagetest_page(&db, pgno), pgno,
				       &opts, &pp);
		assert_int_equal(pp.total, 1);
		assert_int_equal(pp.items[0].kind, ESE_PGCHK_DBTIME);
		assert_int_equal(pp.items[0].itag, -1);
		ese_page_problems_free(&pp);
		pagetest_db_free(&db);
	}
}

/* A copy of a real page (win10-clean-b page 121: an index leaf with 154
 * tags) to damage; victim_load() restores the original bytes and keeps the
 * problem list (initialised once per test). */
typedef struct {
	uint8_t page[4096];
	ese_page_layout lay;
	uint32_t pgno;
	ese_page_problems pp;
} victim;

static void victim_load(victim *v, const char *set, uint32_t pgno)
{
	pagetest_db db;

	pagetest_db_load(set, &db);
	memcpy(v->page, pagetest_page(&db, pgno), sizeof(v->page));
	v->lay = db.lay;
	v->pgno = pgno;
	pagetest_db_free(&db);
}

/* Rewrite the checksum and check: only the structural damage remains. */
static size_t victim_check(victim *v)
{
	ese_page_checksum_write(v->page, sizeof(v->page), v->pgno);
	ese_page_problems_clear(&v->pp);
	return ese_page_check(&v->lay, v->page, v->pgno, NULL, &v->pp);
}

static void set_tag(victim *v, unsigned itag, uint16_t cbw, uint16_t ibw)
{
	jr_put_le16(v->page + 4096 - 4 * (itag + 1), cbw);
	jr_put_le16(v->page + 4096 - 4 * (itag + 1) + 2, ibw);
}

static void expect_only(victim *v, ese_pgchk_kind kind, int itag,
			const char *needle)
{
	size_t n = victim_check(v);

	if (n != 1 || v->pp.items[0].kind != kind)
		fail_msg("expected one %s problem, got %zu (%s: %s)",
			 ese_pgchk_kind_name(kind), n,
			 n ? ese_pgchk_kind_name(v->pp.items[0].kind) : "-",
			 n ? v->pp.items[0].reason : "-");
	assert_int_equal(v->pp.items[0].itag, itag);
	assert_int_equal(v->pp.items[0].pgno, v->pgno);
	assert_non_null(strstr(v->pp.items[0].reason, needle));
}

static void test_checksum_damage(void **state)
{
	victim v;
	ese_pagecheck_opts opts = { .skip_checksum = true };

	(void)state;
	ese_page_problems_init(&v.pp);
	victim_load(&v, "srum-win10-clean-b", 121);
	assert_int_equal(ese_page_check(&v.lay, v.page, v.pgno, NULL, &v.pp),
			 0);
	/* one flipped data bit: correctable, and nothing else is wrong */
	v.page[2000] ^= 0x10;
	assert_int_equal(ese_page_check(&v.lay, v.page, v.pgno, NULL, &v.pp),
			 1);
	assert_int_equal(v.pp.items[0].kind, ESE_PGCHK_CHECKSUM);
	assert_non_null(strstr(v.pp.items[0].reason, "bit 16004"));
	assert_int_equal(ese_page_check(&v.lay, v.page, v.pgno, &opts, &v.pp),
			 0);
	/* checked as the wrong page number: bad */
	v.page[2000] ^= 0x10;
	ese_page_problems_clear(&v.pp);
	assert_int_equal(ese_page_check(&v.lay, v.page, 122, NULL, &v.pp), 1);
	assert_non_null(strstr(v.pp.items[0].reason, "stored 0x"));
	/* a blank page is never wrong */
	memset(v.page, 0, sizeof(v.page));
	assert_int_equal(ese_page_check(&v.lay, v.page, 5, NULL, &v.pp), 0);
	ese_page_problems_free(&v.pp);
}

static void test_structural_damage(void **state)
{
	victim v;
	uint16_t cbw, ibw, cbw2, ibw2;

	(void)state;
	ese_page_problems_init(&v.pp);
	victim_load(&v, "srum-win10-clean-b", 121);
	assert_int_equal(ese_page_tag_count(&v.lay, v.page), 154);

	/* cbFree one too many */
	jr_put_le16(v.page + ESE_PGHDR_CB_FREE,
		    jr_le16(v.page + ESE_PGHDR_CB_FREE) + 1);
	expect_only(&v, ESE_PGCHK_SPACE, -1, "cbFree");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* uncommitted free beyond free */
	jr_put_le16(v.page + ESE_PGHDR_CB_UNCOMMITTED,
		    jr_le16(v.page + ESE_PGHDR_CB_FREE) + 1);
	expect_only(&v, ESE_PGCHK_HEADER, -1, "cbUncommittedFree");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* incoherent flags */
	jr_put_le32(v.page + ESE_PGHDR_FLAGS,
		    jr_le32(v.page + ESE_PGHDR_FLAGS) | ESE_PGF_PARENT_OF_LEAF);
	expect_only(&v, ESE_PGCHK_HEADER, -1, "leaf and parent-of-leaf");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* tag 7 moved onto tag 6's bytes (sizes kept, so space still adds
	 * up) */
	ese_page_tag_raw(&v.lay, v.page, 6, &cbw, &ibw);
	ese_page_tag_raw(&v.lay, v.page, 7, &cbw2, &ibw2);
	set_tag(&v, 7, cbw2, (uint16_t)((ibw2 & 0xe000) | ((ibw & 0x1fff) + 1)));
	expect_only(&v, ESE_PGCHK_OVERLAP, 7, "overlaps");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* ibMicFree below the highest line */
	jr_put_le16(v.page + ESE_PGHDR_IB_MIC_FREE, 100);
	assert_true(victim_check(&v) > 1);
	assert_int_equal(v.pp.items[0].kind, ESE_PGCHK_TAG);
	assert_non_null(strstr(v.pp.items[0].reason, "ends in free space"));
	victim_load(&v, "srum-win10-clean-b", 121);

	/* a line running into the tag array */
	ese_page_tag_raw(&v.lay, v.page, 3, &cbw, &ibw);
	set_tag(&v, 3, cbw, (uint16_t)((ibw & 0xe000) | 4000));
	jr_put_le16(v.page + ESE_PGHDR_IB_MIC_FREE, 4056);
	expect_only(&v, ESE_PGCHK_TAG, 3, "runs past");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* a zero-length line */
	ese_page_tag_raw(&v.lay, v.page, 9, &cbw, &ibw);
	set_tag(&v, 9, cbw & 0xe000, ibw);
	jr_put_le16(v.page + ESE_PGHDR_CB_FREE,
		    jr_le16(v.page + ESE_PGHDR_CB_FREE) + (cbw & 0x1fff));
	expect_only(&v, ESE_PGCHK_TAG, 9, "empty");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* tags 20 and 21 swapped: keys out of order */
	ese_page_tag_raw(&v.lay, v.page, 20, &cbw, &ibw);
	ese_page_tag_raw(&v.lay, v.page, 21, &cbw2, &ibw2);
	set_tag(&v, 20, cbw2, ibw2);
	set_tag(&v, 21, cbw, ibw);
	expect_only(&v, ESE_PGCHK_KEY_ORDER, 21, "sorts before");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* tag 21 pointing at tag 20's line: a duplicate key, and two lines
	 * sharing bytes; the node check is then skipped */
	ese_page_tag_raw(&v.lay, v.page, 20, &cbw, &ibw);
	set_tag(&v, 21, cbw, ibw);
	assert_true(victim_check(&v) >= 1);
	assert_int_equal(v.pp.items[0].kind, ESE_PGCHK_OVERLAP);
	victim_load(&v, "srum-win10-clean-b", 121);

	/* a key suffix longer than its line */
	ese_page_tag_raw(&v.lay, v.page, 30, &cbw, &ibw);
	jr_put_le16(v.page + 40 + (ibw & 0x1fff) + 2, 0x0fff);
	expect_only(&v, ESE_PGCHK_NODE, 30, "overruns");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* a tag array reaching the header stops the walk */
	jr_put_le16(v.page + ESE_PGHDR_ITAG_STATE, 0x0ff0);
	expect_only(&v, ESE_PGCHK_HEADER, -1, "tag array");
	victim_load(&v, "srum-win10-clean-b", 121);

	/* no tags on a page that claims lines */
	jr_put_le16(v.page + ESE_PGHDR_ITAG_STATE, 0);
	assert_true(victim_check(&v) >= 1);
	assert_non_null(strstr(v.pp.items[0].reason, "no tags"));
	ese_page_problems_free(&v.pp);
}

/* Internal pages: child page numbers are 4 bytes, only the last key is
 * empty. win11 page 4 (MSysObjects' root). */
static void test_internal_damage(void **state)
{
	victim v;
	uint16_t cbw, ibw;

	(void)state;
	ese_page_problems_init(&v.pp);
	victim_load(&v, "srum-win11-dirty", 4);
	assert_int_equal(victim_check(&v), 0);
	/* node 0 (tag 1): key 13 -> 12, so the data grows to 5 bytes */
	ese_page_tag_raw(&v.lay, v.page, 1, &cbw, &ibw);
	jr_put_le16(v.page + 40 + (ibw & 0x1fff), 12);
	expect_only(&v, ESE_PGCHK_NODE, 1, "not a page number");
	victim_load(&v, "srum-win11-dirty", 4);
	/* node 0's key emptied (13 key bytes become data) */
	jr_put_le16(v.page + 40 + (ibw & 0x1fff), 0);
	assert_int_equal(victim_check(&v), 2);
	assert_non_null(strstr(v.pp.items[0].reason, "empty key"));
	assert_non_null(strstr(v.pp.items[1].reason, "17 data bytes"));
	ese_page_problems_free(&v.pp);
}

static void test_problem_list_bounded(void **state)
{
	victim v;

	(void)state;
	ese_page_problems_init(&v.pp);
	victim_load(&v, "srum-win10-clean-b", 121);
	v.pp.max_stored = 3;
	/* every line empty: 153 tag problems, a space problem */
	for (unsigned itag = 1; itag < 154; itag++)
		set_tag(&v, itag, 0, 0);
	assert_int_equal(victim_check(&v), 154);
	assert_int_equal(v.pp.count, 3);
	assert_int_equal(v.pp.total, 154);
	assert_int_equal(v.pp.items[2].itag, 3);
	assert_string_equal(ese_pgchk_kind_name(ESE_PGCHK_KEY_ORDER),
			    "key-order");
	assert_string_equal(ese_pgchk_kind_name((ese_pgchk_kind)99), "unknown");
	ese_page_problems_free(&v.pp);
	assert_null(v.pp.items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_pages_sound),
		cmocka_unit_test(test_checksum_damage),
		cmocka_unit_test(test_structural_damage),
		cmocka_unit_test(test_internal_damage),
		cmocka_unit_test(test_problem_list_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
