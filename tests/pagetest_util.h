/*
 * pagetest_util.h - loading the real SRUM databases for the page, node and
 * page-mutation tests.
 *
 * A loaded database is the whole file in one g_malloc'd buffer; page pgno
 * starts at (pgno + 1) * 4096. pagetest_db_free() releases it.
 */
#ifndef JR_TESTS_PAGETEST_UTIL_H
#define JR_TESTS_PAGETEST_UTIL_H

#include <glib.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ese/page.h"
#include "testutil.h"

#define PAGETEST_NSETS 3

static const char *const pagetest_sets[PAGETEST_NSETS] = {
	"srum-win11-dirty", "srum-win10-clean-a", "srum-win10-clean-b",
};

typedef struct {
	uint8_t *file;
	size_t len;
	uint32_t npages;          /* database pages after header + shadow */
	ese_page_layout lay;
} pagetest_db;

static inline void pagetest_db_load(const char *set, pagetest_db *db)
{
	char *path = jr_test_data(set, "SRUDB.dat");

	db->file = jr_test_slurp(path, &db->len);
	g_free(path);
	assert_int_equal(ese_page_layout_init(&db->lay, 4096, NULL), 0);
	assert_int_equal(db->len % 4096, 0);
	db->npages = (uint32_t)(db->len / 4096) - 2;
}

/* Page pgno (1 .. npages) of a loaded database. */
static inline uint8_t *pagetest_page(const pagetest_db *db, uint32_t pgno)
{
	assert_true(pgno >= 1 && pgno <= db->npages);
	return db->file + ese_page_file_offset(&db->lay, pgno);
}

static inline void pagetest_db_free(pagetest_db *db)
{
	g_free(db->file);
	db->file = NULL;
}

#endif
