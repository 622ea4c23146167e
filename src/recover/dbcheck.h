/*
 * dbcheck.h - structural integrity of a whole database (`jetrestore
 * check`), what a recovered database must pass.
 *
 * Checks:
 *   header      the database header and its shadow elect a good copy
 *               (dbheader.h); its page size is the file's.
 *   pages       every page, one by one (ese/pagecheck.h): checksum, header
 *               sanity, tag array, free-space accounting, nodes, keys in
 *               order within the page, dbtime not above the header's.
 *   trees       every B-tree, from each root page that is not empty: child
 *               pages belong to the same object, leaf and internal levels
 *               are consistent (parent-of-leaf flags), internal nodes point
 *               to pages that exist, no page is reached twice, each child's
 *               keys lie between the separators around it in its parent
 *               (so keys are in order across siblings), and the pages of
 *               each level are linked left to right by their previous/next
 *               page numbers, the ends pointing nowhere.
 *
 * Problems are collected (at most max_listed of them are kept with page
 * numbers; all are counted). Memory: a page cache of a few MiB, one bit
 * per page to notice a page reached twice, and one key buffer per tree
 * level.
 */
#ifndef JR_RECOVER_DBCHECK_H
#define JR_RECOVER_DBCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/pagecheck.h"
#include "util/errinfo.h"

typedef struct {
	size_t max_listed;          /* problems kept (default 20) */
	size_t cache_bytes;         /* default 8 MiB */
	bool skip_trees;            /* pages only */
} jr_dbcheck_opts;

typedef struct {
	uint32_t page_size;
	uint64_t pages;             /* pages in the file after the headers */
	uint64_t pages_blank;       /* never written */
	uint64_t pages_checked;
	uint64_t trees;             /* roots walked */
	uint64_t tree_pages;        /* pages reached from roots */
	uint64_t max_depth;
	uint64_t dbtime_header;
	uint64_t dbtime_max_page;   /* highest page dbtime found */
	uint32_t state;             /* JET_dbstate of the header */
	ese_page_problems problems; /* owned: free with jr_dbcheck_free */
} jr_dbcheck_result;

void jr_dbcheck_opts_init(jr_dbcheck_opts *o);

/* Check the database at path (opened read-only). Returns JET_errSuccess
 * when the checks could run (look at res->problems.total), or the error
 * that stopped them (unreadable file, no valid header...). */
JET_ERR jr_dbcheck(const char *path, const jr_dbcheck_opts *o,
		   jr_dbcheck_result *res, jr_errinfo *ei);

void jr_dbcheck_free(jr_dbcheck_result *res);

#endif /* JR_RECOVER_DBCHECK_H */
