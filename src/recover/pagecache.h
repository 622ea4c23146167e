/*
 * pagecache.h - a bounded cache of database pages over one file.
 *
 * Replay touches pages in log order, which jumps all over a database; the
 * cache keeps the most recently used pages in a fixed number of frames so
 * that memory is set by the budget, never by the size of the database or of
 * the logs. Pages are read on first use and written back when evicted or
 * flushed.
 *
 * Page numbering: page `pgno` (1-based, as ESE numbers them) lives at file
 * offset (pgno + pgno_bias) * page_size. For an ESE database pgno_bias is 1:
 * the header and its shadow occupy the first two page-sized slots.
 *
 * Pages beyond the end of the file read as zeros (ESE grows a database by
 * writing new pages); writing one extends the file. The cache knows the
 * file's size from open on and from its own writes: while it is open the
 * file must change only through it, or grow with zeros (ftruncate).
 *
 * Write-back order: the cache works on a temporary output file that is renamed
 * into place only after a complete, successful replay, so a killed replay
 * leaves a file nobody trusts; pages can therefore be written in any order.
 *
 * Ownership: the cache owns its frames; a pointer returned by
 * jr_pagecache_get() stays valid until the matching jr_pagecache_release().
 * The file descriptor remains the caller's (not closed by the cache).
 * Not thread-safe: one cache belongs to one replay.
 */
#ifndef JR_RECOVER_PAGECACHE_H
#define JR_RECOVER_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/errinfo.h"

typedef struct jr_pagecache jr_pagecache;

/* Called on a dirty page just before it is written (e.g. to set its
 * checksum). */
typedef void (*jr_pagecache_write_hook)(uint8_t *page, size_t page_size,
					uint32_t pgno, void *ctx);

typedef struct {
	uint64_t reads;        /* pages read from the file */
	uint64_t writes;       /* pages written to the file */
	uint64_t hits;         /* gets served from a frame */
	uint64_t evictions;    /* frames reused */
	uint64_t discarded;    /* pages dropped by jr_pagecache_discard */
	uint32_t frames;       /* frames allocated (budget / page_size) */
} jr_pagecache_stats;

/* Create a cache of at most budget_bytes of page frames (at least 8 frames
 * whatever the budget). -1003 for a page size that is not 4, 8, 16 or 32 KiB,
 * -1011 when allocation fails, -1022 when the file's size cannot be read. */
JET_ERR jr_pagecache_open(int fd, uint32_t page_size, uint32_t pgno_bias,
			  size_t budget_bytes, jr_pagecache_write_hook hook,
			  void *hook_ctx, jr_pagecache **out, jr_errinfo *ei);

/* Pin page pgno and return its frame. -1003 when every frame is pinned.
 * The same page may be pinned more than once; each get needs a release. */
JET_ERR jr_pagecache_get(jr_pagecache *pc, uint32_t pgno, uint8_t **page_out,
			 jr_errinfo *ei);

/* Unpin a page got before; dirty says it was modified. */
void jr_pagecache_release(jr_pagecache *pc, uint32_t pgno, bool dirty);

/* Write every dirty page back (through the hook). */
JET_ERR jr_pagecache_flush(jr_pagecache *pc, jr_errinfo *ei);

/* Drop the cached pages pgno_first..pgno_last without writing them, dirty
 * or not (a shrink cut them off the file): a later get reads the file
 * again. Pinned pages are kept. */
void jr_pagecache_discard(jr_pagecache *pc, uint32_t pgno_first,
			  uint32_t pgno_last);

void jr_pagecache_get_stats(const jr_pagecache *pc, jr_pagecache_stats *out);

/* Free the cache. Dirty pages are NOT written: flush first. NULL is fine. */
void jr_pagecache_close(jr_pagecache *pc);

#endif
