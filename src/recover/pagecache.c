/*
 * pagecache.c - bounded page cache with LRU replacement (see pagecache.h).
 *
 * Frames live in one array allocated up front. A frame is either free, or
 * holds one page; unpinned frames are kept on an LRU list (head = most
 * recently used). Lookup by page number goes through an open-addressing hash
 * table of twice the frame count, so nothing here grows after open.
 *
 * The file's size is read once at open and kept up to date by the cache's
 * own writes, so a miss costs one pread and no fstat. Growth by others
 * (ftruncate when the logs extend the database) adds zeros, which is what
 * a page past the known end reads as anyway.
 */
#include "recover/pagecache.h"

#include <stdlib.h>
#include <string.h>

#include "util/io.h"

#define JR_NO_FRAME UINT32_MAX

struct jr_frame {
	uint32_t pgno;         /* 0: frame holds no page */
	uint32_t pins;
	bool dirty;
	uint32_t lru_prev;     /* neighbours on the LRU list, or JR_NO_FRAME */
	uint32_t lru_next;
	bool on_lru;
};

struct jr_pagecache {
	int fd;
	uint32_t page_size;
	uint32_t pgno_bias;
	jr_pagecache_write_hook hook;
	void *hook_ctx;
	uint32_t nframes;
	struct jr_frame *frames;
	uint8_t *data;         /* nframes * page_size bytes */
	uint32_t *slots;       /* hash: frame index or JR_NO_FRAME */
	uint32_t nslots;       /* power of two >= 2 * nframes */
	uint32_t lru_head;     /* most recently used unpinned frame */
	uint32_t lru_tail;     /* least recently used: next victim */
	uint32_t nused;        /* frames handed out so far (never shrinks) */
	uint64_t file_size;    /* bytes in the file as far as the cache
				  knows (read at open, grown by writes) */
	jr_pagecache_stats stats;
};

static uint32_t jr_hash_pgno(uint32_t pgno)
{
	return pgno * 2654435761u;
}

static uint8_t *jr_frame_data(jr_pagecache *pc, uint32_t f)
{
	return pc->data + (size_t)f * pc->page_size;
}

/* Slot holding pgno, or the empty slot where it would go. Deletions use
 * backward-shift, so probing stops at the first empty slot. */
static uint32_t jr_slot_find(const jr_pagecache *pc, uint32_t pgno)
{
	uint32_t mask = pc->nslots - 1;
	uint32_t s = jr_hash_pgno(pgno) & mask;

	while (pc->slots[s] != JR_NO_FRAME &&
	       pc->frames[pc->slots[s]].pgno != pgno)
		s = (s + 1) & mask;
	return s;
}

static void jr_slot_remove(jr_pagecache *pc, uint32_t pgno)
{
	uint32_t mask = pc->nslots - 1;
	uint32_t hole = jr_slot_find(pc, pgno);
	uint32_t s = hole;

	if (pc->slots[hole] == JR_NO_FRAME)
		return;
	pc->slots[hole] = JR_NO_FRAME;
	/* Shift later members of the probe run back into the hole when their
	 * home slot does not lie cyclically within (hole, s]. */
	for (;;) {
		uint32_t home;

		s = (s + 1) & mask;
		if (pc->slots[s] == JR_NO_FRAME)
			return;
		home = jr_hash_pgno(pc->frames[pc->slots[s]].pgno) & mask;
		if (((s - home) & mask) >= ((s - hole) & mask)) {
			pc->slots[hole] = pc->slots[s];
			pc->slots[s] = JR_NO_FRAME;
			hole = s;
		}
	}
}

static void jr_lru_unlink(jr_pagecache *pc, uint32_t f)
{
	struct jr_frame *fr = &pc->frames[f];

	if (!fr->on_lru)
		return;
	if (fr->lru_prev != JR_NO_FRAME)
		pc->frames[fr->lru_prev].lru_next = fr->lru_next;
	else
		pc->lru_head = fr->lru_next;
	if (fr->lru_next != JR_NO_FRAME)
		pc->frames[fr->lru_next].lru_prev = fr->lru_prev;
	else
		pc->lru_tail = fr->lru_prev;
	fr->on_lru = false;
	fr->lru_prev = fr->lru_next = JR_NO_FRAME;
}

static void jr_lru_push_head(jr_pagecache *pc, uint32_t f)
{
	struct jr_frame *fr = &pc->frames[f];

	fr->lru_prev = JR_NO_FRAME;
	fr->lru_next = pc->lru_head;
	if (pc->lru_head != JR_NO_FRAME)
		pc->frames[pc->lru_head].lru_prev = f;
	else
		pc->lru_tail = f;
	pc->lru_head = f;
	fr->on_lru = true;
}

/* Least recently used end: the next victim. */
static void jr_lru_push_tail(jr_pagecache *pc, uint32_t f)
{
	struct jr_frame *fr = &pc->frames[f];

	fr->lru_next = JR_NO_FRAME;
	fr->lru_prev = pc->lru_tail;
	if (pc->lru_tail != JR_NO_FRAME)
		pc->frames[pc->lru_tail].lru_next = f;
	else
		pc->lru_head = f;
	pc->lru_tail = f;
	fr->on_lru = true;
}

static JET_ERR jr_frame_write(jr_pagecache *pc, uint32_t f, jr_errinfo *ei)
{
	struct jr_frame *fr = &pc->frames[f];
	uint8_t *page = jr_frame_data(pc, f);
	uint64_t off;
	JET_ERR err;

	if (!fr->dirty)
		return JET_errSuccess;
	if (pc->hook)
		pc->hook(page, pc->page_size, fr->pgno, pc->hook_ctx);
	off = ((uint64_t)fr->pgno + pc->pgno_bias) * pc->page_size;
	err = jr_pwrite_full(pc->fd, page, pc->page_size, off, ei);
	if (err < 0)
		return err;
	if (off + pc->page_size > pc->file_size)
		pc->file_size = off + pc->page_size;
	fr->dirty = false;
	pc->stats.writes++;
	return JET_errSuccess;
}

JET_ERR jr_pagecache_open(int fd, uint32_t page_size, uint32_t pgno_bias,
			  size_t budget_bytes, jr_pagecache_write_hook hook,
			  void *hook_ctx, jr_pagecache **out, jr_errinfo *ei)
{
	jr_pagecache *pc;
	size_t nframes;

	uint64_t file_size;
	JET_ERR err;

	*out = NULL;
	if (page_size != 4096 && page_size != 8192 && page_size != 16384 &&
	    page_size != 32768)
		return jr_fail(ei, JET_errInvalidParameter,
			       "page size %u is not 4, 8, 16 or 32 KiB",
			       page_size);
	err = jr_file_size(fd, &file_size, ei);
	if (err < 0)
		return err;
	nframes = budget_bytes / page_size;
	if (nframes < 8)
		nframes = 8;
	if (nframes > (1u << 24))
		nframes = 1u << 24;

	pc = calloc(1, sizeof(*pc));
	if (!pc)
		goto fail_nomem;
	pc->fd = fd;
	pc->page_size = page_size;
	pc->pgno_bias = pgno_bias;
	pc->file_size = file_size;
	pc->hook = hook;
	pc->hook_ctx = hook_ctx;
	pc->nframes = (uint32_t)nframes;
	pc->nslots = 16;
	while (pc->nslots < 2 * pc->nframes)
		pc->nslots <<= 1;
	pc->lru_head = pc->lru_tail = JR_NO_FRAME;
	pc->stats.frames = pc->nframes;
	pc->frames = calloc(nframes, sizeof(*pc->frames));
	if (!pc->frames)
		goto free_pc;
	pc->data = malloc(nframes * page_size);
	if (!pc->data)
		goto free_frames;
	pc->slots = malloc(pc->nslots * sizeof(*pc->slots));
	if (!pc->slots)
		goto free_data;
	memset(pc->slots, 0xff, pc->nslots * sizeof(*pc->slots));
	for (uint32_t f = 0; f < pc->nframes; f++)
		pc->frames[f].lru_prev = pc->frames[f].lru_next = JR_NO_FRAME;
	*out = pc;
	return JET_errSuccess;

free_data:
	free(pc->data);
free_frames:
	free(pc->frames);
free_pc:
	free(pc);
fail_nomem:
	return jr_fail(ei, JET_errOutOfMemory,
		       "page cache of %zu frames of %u bytes", nframes,
		       page_size);
}

/* A frame to load a new page into: a never-used one, else the least
 * recently used unpinned one (written back first if dirty). */
static JET_ERR jr_frame_victim(jr_pagecache *pc, uint32_t *f_out,
			       jr_errinfo *ei)
{
	uint32_t f;
	JET_ERR err;

	if (pc->nused < pc->nframes) {
		*f_out = pc->nused++;
		return JET_errSuccess;
	}
	f = pc->lru_tail;
	if (f == JR_NO_FRAME)
		return jr_fail(ei, JET_errInvalidParameter,
			       "all %u page cache frames are pinned",
			       pc->nframes);
	err = jr_frame_write(pc, f, ei);
	if (err < 0)
		return err;
	jr_lru_unlink(pc, f);
	jr_slot_remove(pc, pc->frames[f].pgno);
	pc->frames[f].pgno = 0;
	pc->stats.evictions++;
	*f_out = f;
	return JET_errSuccess;
}

/* Read page pgno into frame f; a page past the end of the file is zeros. */
static JET_ERR jr_frame_load(jr_pagecache *pc, uint32_t f, uint32_t pgno,
			     jr_errinfo *ei)
{
	uint8_t *page = jr_frame_data(pc, f);
	uint64_t off = ((uint64_t)pgno + pc->pgno_bias) * pc->page_size;
	uint64_t size = pc->file_size;

	if (off + pc->page_size > size) {
		memset(page, 0, pc->page_size);
		if (off < size)
			return jr_pread_full(pc->fd, page, size - off, off,
					     JET_errDatabaseCorrupted, ei);
		return JET_errSuccess;
	}
	pc->stats.reads++;
	return jr_pread_full(pc->fd, page, pc->page_size, off,
			     JET_errDatabaseCorrupted, ei);
}

JET_ERR jr_pagecache_get(jr_pagecache *pc, uint32_t pgno, uint8_t **page_out,
			 jr_errinfo *ei)
{
	uint32_t s, f = JR_NO_FRAME;
	JET_ERR err;

	*page_out = NULL;
	if (pgno == 0)
		return jr_fail(ei, JET_errInvalidParameter, "page number 0");
	s = jr_slot_find(pc, pgno);
	if (pc->slots[s] != JR_NO_FRAME) {
		f = pc->slots[s];
		pc->stats.hits++;
	} else {
		err = jr_frame_victim(pc, &f, ei);
		if (err < 0)
			return err;
		err = jr_frame_load(pc, f, pgno, ei);
		if (err < 0) {
			/* The frame holds no page: leave it on the LRU list
			 * (flush skips frames without a page). */
			pc->frames[f].pgno = 0;
			pc->frames[f].dirty = false;
			jr_lru_push_head(pc, f);
			return err;
		}
		pc->frames[f].pgno = pgno;
		pc->frames[f].dirty = false;
		pc->slots[jr_slot_find(pc, pgno)] = f;
	}
	jr_lru_unlink(pc, f);
	pc->frames[f].pins++;
	*page_out = jr_frame_data(pc, f);
	return JET_errSuccess;
}

void jr_pagecache_release(jr_pagecache *pc, uint32_t pgno, bool dirty)
{
	uint32_t s = jr_slot_find(pc, pgno);
	struct jr_frame *fr;

	if (pc->slots[s] == JR_NO_FRAME)
		return;
	fr = &pc->frames[pc->slots[s]];
	if (dirty)
		fr->dirty = true;
	if (fr->pins > 0 && --fr->pins == 0)
		jr_lru_push_head(pc, pc->slots[s]);
}

JET_ERR jr_pagecache_flush(jr_pagecache *pc, jr_errinfo *ei)
{
	for (uint32_t f = 0; f < pc->nused; f++) {
		JET_ERR err;

		if (pc->frames[f].pgno == 0)
			continue;
		err = jr_frame_write(pc, f, ei);
		if (err < 0)
			return err;
	}
	return JET_errSuccess;
}

void jr_pagecache_discard(jr_pagecache *pc, uint32_t pgno_first,
			  uint32_t pgno_last)
{
	for (uint32_t f = 0; f < pc->nused; f++) {
		struct jr_frame *fr = &pc->frames[f];

		if (fr->pgno == 0 || fr->pgno < pgno_first ||
		    fr->pgno > pgno_last || fr->pins > 0)
			continue;
		jr_lru_unlink(pc, f);
		jr_slot_remove(pc, fr->pgno);
		fr->pgno = 0;
		fr->dirty = false;
		/* an empty frame: the first to be reused */
		jr_lru_push_tail(pc, f);
		pc->stats.discarded++;
	}
}

void jr_pagecache_get_stats(const jr_pagecache *pc, jr_pagecache_stats *out)
{
	*out = pc->stats;
}

void jr_pagecache_close(jr_pagecache *pc)
{
	if (!pc)
		return;
	free(pc->slots);
	free(pc->data);
	free(pc->frames);
	free(pc);
}
