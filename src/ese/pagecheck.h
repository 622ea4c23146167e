/*
 * pagecheck.h - structural check of one database page.
 *
 * What is checked (ESE's CPAGE::ErrCheckPage with all its extensive checks,
 * plus a few stricter ones marked *):
 *   checksum   ese_page_checksum_check() says OK (CORRECTABLE and BAD are
 *              problems); an all-zero page is "never written" and has no
 *              problems at all.
 *   header     cbFree, cbUncommittedFree (<= cbFree), ibMicFree inside the
 *              data area; the tag array leaves room for lines; no tags only
 *              on empty or pre-initialised pages; reserved tags <= tags*;
 *              coherent flags (empty+preinit, preinit with lines or
 *              neighbours, long-value+index, leaf+parent-of-leaf*, repair);
 *              large pages: the stored page number*.
 *   dbtime     not above opts->dbtime_max (when set).
 *   tags       only reserved tags may be empty; every line ends at or
 *              before ibMicFree and before the tag array; no two lines
 *              share a byte.
 *   space      sum of line sizes + cbFree + 4 * tags = data area size
 *              (every byte of the page accounted for).
 *   nodes      key lengths fit the line; the prefix fits the external
 *              header; data is not empty; a key is empty only as the last
 *              node of an internal page; internal nodes carry a 4-byte
 *              child page number*.
 *   key order  keys (prefix-expanded) ascend within the page, the last
 *              node of an internal page excepted; equal keys only in
 *              non-unique trees and then ordered by their data*.
 *
 * Problems are appended to an ese_page_problems list, which owns its
 * memory (free with ese_page_problems_free). It keeps at most max_stored
 * entries (default 1024) and counts the rest in `total`, so a damaged
 * database cannot make it grow without bound.
 */
#ifndef JR_ESE_PAGECHECK_H
#define JR_ESE_PAGECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/page.h"

typedef enum {
	ESE_PGCHK_CHECKSUM = 1,
	ESE_PGCHK_HEADER,
	ESE_PGCHK_DBTIME,
	ESE_PGCHK_TAG,
	ESE_PGCHK_OVERLAP,
	ESE_PGCHK_SPACE,
	ESE_PGCHK_NODE,
	ESE_PGCHK_KEY_ORDER,
} ese_pgchk_kind;

typedef struct {
	uint32_t pgno;
	int32_t itag;              /* -1: the page as a whole */
	ese_pgchk_kind kind;
	char reason[160];
} ese_page_problem;

typedef struct {
	ese_page_problem *items;   /* count entries, g_malloc'd */
	size_t count;              /* entries stored */
	size_t cap;
	size_t total;              /* problems found, stored or not */
	size_t max_stored;         /* 0 means 1024 */
} ese_page_problems;

typedef struct {
	bool skip_checksum;        /* do not verify the checksum */
	bool skip_nodes;           /* no node and key-order checks */
	uint64_t dbtime_max;       /* 0: no dbtime check */
} ese_pagecheck_opts;

void ese_page_problems_init(ese_page_problems *pp);
/* Forget the problems (keeps the allocation). */
void ese_page_problems_clear(ese_page_problems *pp);
void ese_page_problems_free(ese_page_problems *pp);

/* "checksum", "header", "dbtime", "tag", "overlap", "space", "node",
 * "key-order". */
const char *ese_pgchk_kind_name(ese_pgchk_kind kind);

/* Check page pgno (lay->page_size bytes) and append what is wrong to out.
 * opts may be NULL (everything checked, no dbtime bound). Returns the
 * number of problems found on this page (0: the page is sound). */
size_t ese_page_check(const ese_page_layout *lay, const uint8_t *page,
		      uint32_t pgno, const ese_pagecheck_opts *opts,
		      ese_page_problems *out);

#endif /* JR_ESE_PAGECHECK_H */
