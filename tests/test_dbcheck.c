/*
 * test_dbcheck.c - the whole-database check: the real databases are sound
 * (counts of pages and trees measured on them), and damaged copies are
 * caught with the page named: a broken sibling link, a key out of order
 * across siblings, a page dbtime above the header's, a bad checksum, a
 * child pointer outside the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/checksum.h"
#include "ese/node.h"
#include "ese/page.h"
#include "recover/dbcheck.h"
#include "testutil.h"
#include "util/bytes.h"

#define PS 4096u

static void check_real(const char *set, uint64_t pages, uint64_t blank,
		       uint64_t trees, uint64_t tree_pages)
{
	char *db = jr_test_data(set, "SRUDB.dat");
	jr_dbcheck_result r;
	jr_errinfo ei;

	jr_errinfo_clear(&ei);
	assert_int_equal(jr_dbcheck(db, NULL, &r, &ei), 0);
	assert_int_equal(r.problems.total, 0);
	assert_int_equal(r.pages, pages);
	assert_int_equal(r.pages_blank, blank);
	assert_int_equal(r.trees, trees);
	assert_int_equal(r.tree_pages, tree_pages);
	assert_int_equal(r.max_depth, 2);
	assert_int_equal(r.dbtime_max_page, r.dbtime_header);
	jr_dbcheck_free(&r);
	g_free(db);
}

static void test_real_databases_sound(void **state)
{
	(void)state;
	check_real("srum-win11-dirty", 606, 124, 75, 335);
	check_real("srum-win10-clean-a", 190, 86, 51, 104);
	check_real("srum-win10-clean-b", 446, 121, 63, 325);
}

/* A leaf of a unique tree that has a right sibling. */
static uint32_t find_inner_leaf(const uint8_t *db, size_t len,
				const ese_page_layout *lay)
{
	for (uint32_t pg = 1; pg <= len / PS - 2; pg++) {
		const uint8_t *p = db + ((size_t)pg + 1) * PS;
		uint32_t fl = jr_le32(p + ESE_PGHDR_FLAGS);

		if (!ese_page_is_blank(lay, p) && (fl & ESE_PGF_LEAF) &&
		    !(fl & (ESE_PGF_ROOT | ESE_PGF_SPACE_TREE |
			    ESE_PGF_NON_UNIQUE_KEYS | ESE_PGF_EMPTY)) &&
		    jr_le32(p + ESE_PGHDR_PGNO_NEXT) != 0 &&
		    ese_page_line_count(lay, p) > 2)
			return pg;
	}
	return 0;
}

typedef void (*damage_fn)(uint8_t *page, const ese_page_layout *lay);

static void dmg_next(uint8_t *page, const ese_page_layout *lay)
{
	(void)lay;
	jr_put_le32(page + ESE_PGHDR_PGNO_NEXT,
		    jr_le32(page + ESE_PGHDR_PGNO_NEXT) + 1);
}

static void dmg_last_key(uint8_t *page, const ese_page_layout *lay)
{
	unsigned n = ese_page_line_count(lay, page);
	ese_node nd;
	jr_errinfo ei;

	assert_int_equal(ese_node_get(lay, page, n - 1, &nd, &ei), 0);
	assert_true(nd.key.cb_suffix > 0);
	/* the last key grows past the parent's separator */
	memset((uint8_t *)nd.key.suffix, 0xff, nd.key.cb_suffix);
}

static void dmg_dbtime(uint8_t *page, const ese_page_layout *lay)
{
	(void)lay;
	jr_put_le64(page + ESE_PGHDR_DBTIME, UINT64_C(0x7fffffffffff));
}

static void damaged(const char *name, damage_fn fn, bool fix_checksum,
		    const char *want)
{
	char *src = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *dir = jr_test_tmpdir(name);
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	ese_page_layout lay;
	jr_dbcheck_result r;
	jr_errinfo ei;
	size_t len;
	uint8_t *buf = jr_test_slurp(src, &len);
	uint32_t pg;
	bool found = false;

	assert_int_equal(ese_page_layout_init(&lay, PS, &ei), 0);
	pg = find_inner_leaf(buf, len, &lay);
	assert_int_not_equal(pg, 0);
	fn(buf + ((size_t)pg + 1) * PS, &lay);
	if (fix_checksum)
		ese_page_checksum_write(buf + ((size_t)pg + 1) * PS, PS, pg);
	jr_test_spit(db, buf, len);
	assert_int_equal(jr_dbcheck(db, NULL, &r, &ei), 0);
	assert_true(r.problems.total > 0);
	for (size_t i = 0; i < r.problems.count; i++)
		if (r.problems.items[i].pgno == pg &&
		    strstr(r.problems.items[i].reason, want))
			found = true;
	if (!found)
		fail_msg("%s: page %u: first problem page %u: %s", name, pg,
			 r.problems.items[0].pgno, r.problems.items[0].reason);
	jr_dbcheck_free(&r);
	g_free(buf);
	g_free(db);
	g_free(dir);
	g_free(src);
}

static void test_broken_sibling_link(void **state)
{
	(void)state;
	damaged("dbc_next", dmg_next, true, "next page");
}

static void test_key_out_of_order_across_siblings(void **state)
{
	(void)state;
	damaged("dbc_key", dmg_last_key, true, "separator");
}

static void test_dbtime_above_header(void **state)
{
	(void)state;
	damaged("dbc_dbtime", dmg_dbtime, true, "dbtime");
}

static void test_bad_checksum(void **state)
{
	(void)state;
	damaged("dbc_cksum", dmg_next, false, "checksum");
}

static void test_not_a_database(void **state)
{
	char *dir = jr_test_tmpdir("dbc_zero");
	char *db = g_build_filename(dir, "zero.dat", NULL);
	uint8_t *z = g_malloc0(8 * PS);
	jr_dbcheck_result r;
	jr_errinfo ei;

	(void)state;
	jr_test_spit(db, z, 8 * PS);
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_dbcheck(db, NULL, &r, &ei),
			 JET_errDatabaseCorrupted);
	jr_dbcheck_free(&r);
	g_free(z);
	g_free(db);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_databases_sound),
		cmocka_unit_test(test_broken_sibling_link),
		cmocka_unit_test(test_key_out_of_order_across_siblings),
		cmocka_unit_test(test_dbtime_above_header),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_not_a_database),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
