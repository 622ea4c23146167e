/*
 * test_pagecache.c - the bounded page cache: page placement, write-back,
 * eviction under a tiny budget, pins, growth past the end of the file,
 * discarding pages cut off by a shrink, and the file size the cache keeps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>

#include "recover/pagecache.h"
#include "testutil.h"

#define PS 4096u

static int make_file(const char *name, uint32_t npages, char **path_out)
{
	char *dir = jr_test_tmpdir(name);
	char *path = g_build_filename(dir, "db", NULL);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint8_t page[PS];

	assert_true(fd >= 0);
	/* header + shadow, then page n filled with byte n */
	for (uint32_t i = 0; i < npages + 2; i++) {
		memset(page, i < 2 ? 0xee : (int)(i - 1), PS);
		assert_int_equal(pwrite(fd, page, PS, (off_t)i * PS), PS);
	}
	g_free(dir);
	*path_out = path;
	return fd;
}

static void stamp_hook(uint8_t *page, size_t page_size, uint32_t pgno,
		       void *ctx)
{
	(*(int *)ctx)++;
	page[page_size - 1] = (uint8_t)(0x80 | pgno);
}

static void test_read_places_pages(void **state)
{
	char *path;
	int fd = make_file("pc_read", 20, &path);
	jr_pagecache *pc;
	uint8_t *p;
	jr_pagecache_stats st;

	(void)state;
	assert_int_equal(jr_pagecache_open(fd, PS, 1, 0, NULL, NULL, &pc, NULL),
			 0);
	for (uint32_t n = 1; n <= 20; n++) {
		assert_int_equal(jr_pagecache_get(pc, n, &p, NULL), 0);
		assert_int_equal(p[0], n);
		assert_int_equal(p[PS - 1], n);
		jr_pagecache_release(pc, n, false);
	}
	jr_pagecache_get_stats(pc, &st);
	assert_int_equal(st.frames, 8);
	assert_int_equal(st.reads, 20);
	assert_int_equal(st.evictions, 12);
	jr_pagecache_close(pc);
	close(fd);
	g_free(path);
}

static void test_dirty_eviction_and_flush(void **state)
{
	char *path;
	int fd = make_file("pc_dirty", 30, &path);
	jr_pagecache *pc;
	uint8_t *p, buf[PS];
	int hooks = 0;

	(void)state;
	assert_int_equal(jr_pagecache_open(fd, PS, 1, 8 * PS, stamp_hook, &hooks,
					   &pc, NULL), 0);
	/* dirty every page; the 8-frame cache must write back as it goes */
	for (uint32_t n = 1; n <= 30; n++) {
		assert_int_equal(jr_pagecache_get(pc, n, &p, NULL), 0);
		p[1] = (uint8_t)(n + 100);
		jr_pagecache_release(pc, n, true);
	}
	assert_int_equal(jr_pagecache_flush(pc, NULL), 0);
	assert_int_equal(hooks, 30);
	/* re-get after eviction sees the written bytes */
	assert_int_equal(jr_pagecache_get(pc, 3, &p, NULL), 0);
	assert_int_equal(p[1], 103);
	jr_pagecache_release(pc, 3, false);
	jr_pagecache_close(pc);
	for (uint32_t n = 1; n <= 30; n++) {
		assert_int_equal(pread(fd, buf, PS, (off_t)(n + 1) * PS), PS);
		assert_int_equal(buf[0], n);
		assert_int_equal(buf[1], n + 100);
		assert_int_equal(buf[PS - 1], 0x80 | n);
	}
	/* header and shadow untouched */
	assert_int_equal(pread(fd, buf, PS, 0), PS);
	assert_int_equal(buf[1], 0xee);
	close(fd);
	g_free(path);
}

static void test_pins_and_growth(void **state)
{
	char *path;
	int fd = make_file("pc_pins", 4, &path);
	jr_pagecache *pc;
	uint8_t *p[9];
	jr_errinfo ei;
	off_t end;

	(void)state;
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_pagecache_open(fd, PS, 1, 0, NULL, NULL, &pc, NULL),
			 0);
	for (uint32_t n = 1; n <= 8; n++)
		assert_int_equal(jr_pagecache_get(pc, n, &p[n], NULL), 0);
	/* pages 5..8 lie past the end of the file: zeros */
	assert_int_equal(p[7][0], 0);
	assert_int_equal(p[2][0], 2);
	/* all frames pinned: a ninth page cannot come in */
	assert_int_equal(jr_pagecache_get(pc, 9, &p[0], &ei),
			 JET_errInvalidParameter);
	assert_non_null(strstr(ei.detail, "pinned"));
	/* a page pinned twice stays until both releases */
	p[8][0] = 0x42;
	for (uint32_t n = 1; n <= 8; n++)
		jr_pagecache_release(pc, n, n == 8);
	assert_int_equal(jr_pagecache_flush(pc, NULL), 0);
	end = lseek(fd, 0, SEEK_END);
	assert_int_equal(end, (off_t)(8 + 2) * PS);
	assert_int_equal(jr_pagecache_get(pc, 0, &p[0], NULL),
			 JET_errInvalidParameter);
	jr_pagecache_close(pc);
	close(fd);
	g_free(path);
}

static void test_discard(void **state)
{
	char *path;
	int fd = make_file("pc_discard", 12, &path);
	jr_pagecache *pc;
	jr_pagecache_stats st;
	uint8_t *p, *pinned, buf[PS];
	int hooks = 0;

	(void)state;
	assert_int_equal(jr_pagecache_open(fd, PS, 1, 16 * PS, stamp_hook,
					   &hooks, &pc, NULL), 0);
	/* dirty 1..12; keep page 11 pinned */
	for (uint32_t n = 1; n <= 12; n++) {
		assert_int_equal(jr_pagecache_get(pc, n, &p, NULL), 0);
		p[1] = (uint8_t)(n + 100);
		if (n != 11)
			jr_pagecache_release(pc, n, true);
		else
			pinned = p;
	}
	jr_pagecache_discard(pc, 9, UINT32_MAX);
	jr_pagecache_get_stats(pc, &st);
	assert_int_equal(st.discarded, 3);      /* 9, 10, 12: not 11 */
	jr_pagecache_release(pc, 11, true);
	assert_int_equal(jr_pagecache_flush(pc, NULL), 0);
	assert_int_equal(hooks, 9);             /* 1..8 and 11 */
	for (uint32_t n = 1; n <= 12; n++) {
		bool kept = n <= 8 || n == 11;

		assert_int_equal(pread(fd, buf, PS, (off_t)(n + 1) * PS), PS);
		assert_int_equal(buf[0], n);
		assert_int_equal(buf[1], kept ? n + 100 : n);
	}
	/* a discarded page comes back from the file, dirt gone */
	assert_int_equal(jr_pagecache_get(pc, 10, &p, NULL), 0);
	assert_int_equal(p[0], 10);
	assert_int_equal(p[1], 10);
	jr_pagecache_release(pc, 10, false);
	jr_pagecache_get_stats(pc, &st);
	assert_int_equal(st.reads, 13);
	/* an empty range drops nothing */
	jr_pagecache_discard(pc, 20, 30);
	jr_pagecache_get_stats(pc, &st);
	assert_int_equal(st.discarded, 3);
	(void)pinned;
	jr_pagecache_close(pc);
	close(fd);
	g_free(path);
}

static void test_file_size_kept(void **state)
{
	char *path;
	int fd = make_file("pc_size", 4, &path);
	jr_pagecache *pc;
	uint8_t *p, page[PS];
	jr_errinfo ei;

	(void)state;
	assert_int_equal(jr_pagecache_open(fd, PS, 1, 8 * PS, NULL, NULL, &pc,
					   NULL), 0);
	/* bytes written behind the cache's back past the end it knows are
	 * not looked for (the file is the cache's while it is open) */
	memset(page, 0x77, PS);
	assert_int_equal(pwrite(fd, page, PS, (off_t)(6 + 1) * PS), PS);
	assert_int_equal(jr_pagecache_get(pc, 6, &p, NULL), 0);
	assert_int_equal(p[0], 0);
	jr_pagecache_release(pc, 6, false);
	/* the cache's own write past the end grows what it knows: page 20
	 * comes back from the file after eviction */
	assert_int_equal(jr_pagecache_get(pc, 20, &p, NULL), 0);
	assert_int_equal(p[0], 0);
	p[0] = 0x55;
	jr_pagecache_release(pc, 20, true);
	assert_int_equal(jr_pagecache_flush(pc, NULL), 0);
	for (uint32_t n = 1; n <= 4; n++) {     /* 8 frames: evict 20 */
		assert_int_equal(jr_pagecache_get(pc, n, &p, NULL), 0);
		jr_pagecache_release(pc, n, false);
	}
	for (uint32_t n = 7; n <= 11; n++) {
		assert_int_equal(jr_pagecache_get(pc, n, &p, NULL), 0);
		jr_pagecache_release(pc, n, false);
	}
	assert_int_equal(jr_pagecache_get(pc, 20, &p, NULL), 0);
	assert_int_equal(p[0], 0x55);
	/* page 6 (the 0x77 bytes) lies inside the grown file now */
	jr_pagecache_release(pc, 20, false);
	assert_int_equal(jr_pagecache_get(pc, 6, &p, NULL), 0);
	assert_int_equal(p[0], 0x77);
	jr_pagecache_release(pc, 6, false);
	jr_pagecache_close(pc);
	/* a descriptor that is not open: its size cannot be read */
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_pagecache_open(-1, PS, 1, 0, NULL, NULL, &pc, &ei),
			 JET_errDiskIO);
	assert_null(pc);
	close(fd);
	g_free(path);
}

static void test_bad_page_size(void **state)
{
	jr_pagecache *pc;

	(void)state;
	assert_int_equal(jr_pagecache_open(-1, 1000, 1, 0, NULL, NULL, &pc, NULL),
			 JET_errInvalidParameter);
	assert_null(pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_places_pages),
		cmocka_unit_test(test_dirty_eviction_and_flush),
		cmocka_unit_test(test_pins_and_growth),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_file_size_kept),
		cmocka_unit_test(test_bad_page_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
