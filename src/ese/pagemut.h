/*
 * pagemut.h - changing a page exactly the way ESE's CPAGE does, so that a
 * replayed page is byte-identical to the page esent.dll wrote.
 *
 * Redo addresses lines by position, and pages keep every stale byte (free
 * space and holes are never cleared: ESE's runtime scrubbing is off by
 * default and the real SRUM pages show old bytes everywhere), so the
 * layout after each operation must follow CPAGE's rules to the byte. The
 * rules, as implemented here:
 *
 * Space. Free space is counted in cbFree (all free bytes, holes included,
 * tag array excluded). "Contiguous" free space is what lies between
 * ibMicFree and the lowest tag: data_size - ibMicFree - 4 * tags. A line
 * that needs n contiguous bytes (n = line size, + 4 for a new tag) when
 * fewer are contiguous first triggers a reorganisation; nothing else ever
 * reorganises a page.
 *
 * Reorganisation. All tags (reserved ones and empty ones included) are put
 * in itag order into a list that is sorted by line offset with the
 * compiler library's std::sort (an introsort: insertion sort up to 32
 * elements, median-of-three or ninther "fat" partitioning above, heap sort
 * after 1.5*log2(n) levels). Lines are then moved down, in that order, to
 * be contiguous from offset 0; every tag, empty or not, receives the
 * running offset; ibMicFree becomes the sum of the line sizes. The sort is
 * not stable, and ties happen: an empty tag (tag 0 with no external
 * header, or the tag being replaced, see below) often shares its offset
 * with a line. Which of them comes first decides the empty tag's new ib,
 * so we reproduce std::sort's exact element order (sort_like_msvc()).
 * The bytes left behind between the new ibMicFree and the tag array are
 * not cleared.
 *
 * Insert at itag. Make room (above), shift tags itag..n-1 up one slot
 * (tag itag's old bytes stay in its slot), count the new tag, then give
 * the slot offset ibMicFree and the new size, set the line flags, copy the
 * data there and raise ibMicFree by the size; cbFree -= size + 4.
 *
 * Replace at itag. Shrinking (or same size) stays in place; growing stays
 * in place only when the line is the highest one (ib + cb == ibMicFree)
 * and enough contiguous space follows it. Either way ibMicFree moves by
 * the difference only for the highest line. A growing line that cannot
 * stay is first released (cbFree += old size, tag set to offset 0, size 0,
 * flags 0), then room is made for the new size (possibly reorganising,
 * with this tag as an empty one), and the line is written at ibMicFree.
 *
 * Delete at itag. cbFree += size + 4; ibMicFree drops by the size if the
 * line was the highest; tags itag+1..n-1 shift down one slot and the old
 * last slot keeps its bytes (a stale tag in free space); when the page is
 * left with nothing but an empty tag 0 (cbFree + 4 + header = page size),
 * ibMicFree becomes 0. The line's bytes stay where they were.
 *
 * Tag words. ESE rewrites only the low bits of a tag word: on small pages
 * bits 13..15 of the cb word keep whatever the slot held (real pages carry
 * such leftovers) and bits 13..15 of the ib word are the line flags; on
 * large pages bit 15 of both words is kept and the flags live in the top
 * three bits of the line's first 16-bit word (lines of 2+ bytes, never
 * tag 0), written before the data is copied and again after it.
 *
 * itagState. Changing the tag count writes ctagReserved << 12 | itagMicFree
 * when the database has the reserved-tags feature (lay->resv_tag_format)
 * or the page already stores a ctagReserved, and plain itagMicFree
 * otherwise (legacy pages: ctagReserved 0 means one reserved tag); bit 15
 * is cleared either way.
 *
 * New pages. A pre-initialised page is all zero except: flags
 * preinit|new-record-format, objidFDP, dbtime, cbFree = data area; large
 * pages also get their pgno and placeholder checksums. Consuming it (the
 * page becomes a tree page) adds the empty tag 0 (cbFree -= 4) and sets
 * the flags given | new-record-format, without preinit (the whole flags
 * word is replaced). Redo pre-initialises a page with the dbtime of the
 * operation being redone minus one, then stamps the operation's dbtime
 * when it dirties the page (ese_page_dirty).
 *
 * Errors. Every operation checks the page before changing anything and
 * leaves it untouched when it fails:
 *   -1206 JET_errDatabaseCorrupted: the page itself is damaged (tag array
 *         past the header, lines outside the data area or overlapping,
 *         free-space accounting that does not add up, too few tags);
 *   -626 JET_errLogOperationInconsistentWithDatabase: the operation does not
 *         fit the page (no such line, not enough free space, a line too
 *         big for the page, an empty node line, a page that is not
 *         pre-initialised for consume);
 *   -1003 JET_errInvalidParameter: data for a moving line points into the
 *         page itself (CPAGE forbids that too: a reorganisation would move
 *         it).
 *
 * Nothing here allocates; the caller owns the page buffer.
 */
#ifndef JR_ESE_PAGEMUT_H
#define JR_ESE_PAGEMUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/page.h"
#include "util/errinfo.h"

/* One piece of a line; a line is written as the concatenation of pieces
 * (ESE's DATA array: prefix count, suffix count, key, data...). */
typedef struct {
	const void *pv;
	size_t cb;
} ese_data;

/* Insert a line of the given pieces as node iline (0..line count), with
 * line flags ESE_LINE_*. */
JET_ERR ese_page_insert(const ese_page_layout *lay, uint8_t *page,
			unsigned iline, const ese_data *parts, size_t nparts,
			uint8_t line_flags, jr_errinfo *ei);

/* Replace node iline's bytes and flags. Pieces may point into the page
 * only when the line does not grow (then they are copied in order with
 * memmove, as ESE does). */
JET_ERR ese_page_replace(const ese_page_layout *lay, uint8_t *page,
			 unsigned iline, const ese_data *parts, size_t nparts,
			 uint8_t line_flags, jr_errinfo *ei);

/* Replace the external header (tag 0; flags always 0). An empty header
 * (total size 0) is allowed. */
JET_ERR ese_page_set_external_header(const ese_page_layout *lay,
				     uint8_t *page, const ese_data *parts,
				     size_t nparts, jr_errinfo *ei);

/* Delete node iline. */
JET_ERR ese_page_delete(const ese_page_layout *lay, uint8_t *page,
			unsigned iline, jr_errinfo *ei);

/* Set node iline's line flags (ESE_LINE_*); on large pages a line shorter
 * than 2 bytes has no flags and is left alone. */
JET_ERR ese_page_set_line_flags(const ese_page_layout *lay, uint8_t *page,
				unsigned iline, uint8_t line_flags,
				jr_errinfo *ei);

/* Clear the given line flags on every node (CPAGE::ResetAllFlags). */
JET_ERR ese_page_reset_line_flags(const ese_page_layout *lay, uint8_t *page,
				  uint8_t mask, jr_errinfo *ei);

/* Reorganise unconditionally: all lines contiguous from offset 0 in
 * offset order (CPAGE::ReorganizeData_). */
JET_ERR ese_page_reorganize(const ese_page_layout *lay, uint8_t *page,
			    jr_errinfo *ei);

/* Reorganise only if the free space is not already contiguous, then give
 * the sizes of the used head (header + lines) and tail (tag array): what
 * ESE logs as a page image (CPAGE::ReorganizePage). */
JET_ERR ese_page_compact(const ese_page_layout *lay, uint8_t *page,
			 size_t *cb_head, size_t *cb_tail, jr_errinfo *ei);

/* Fill every unused byte (holes between lines, the gap before the first
 * line, and the contiguous free space) with `fill`, lowering ibMicFree to
 * the end of the highest line (CPAGE::OverwriteUnusedSpace; lines do not
 * move). */
JET_ERR ese_page_overwrite_unused(const ese_page_layout *lay, uint8_t *page,
				  uint8_t fill, jr_errinfo *ei);

/* A fresh pre-initialised page (CPAGE::PreInitializeNewPage_). */
void ese_page_preinit(const ese_page_layout *lay, uint8_t *page,
		      uint32_t pgno, uint32_t objid_fdp, uint64_t dbtime);

/* Turn a pre-initialised page into a tree page with the given page flags
 * (CPAGE::ConsumePreInitPage). -626 if the page is not pre-initialised or
 * flags asks for preinit. */
JET_ERR ese_page_consume_preinit(const ese_page_layout *lay, uint8_t *page,
				 uint32_t page_flags, jr_errinfo *ei);

/* Header setters. ese_page_dirty() is what redo does to every page it
 * changes: the dbtime of the operation, and the scrubbed flag cleared. */
void ese_page_set_dbtime(uint8_t *page, uint64_t dbtime);
void ese_page_dirty(uint8_t *page, uint64_t dbtime);
void ese_page_set_pgno_prev(uint8_t *page, uint32_t pgno);
void ese_page_set_pgno_next(uint8_t *page, uint32_t pgno);
void ese_page_set_flags(uint8_t *page, uint32_t flags);
void ese_page_set_objid(uint8_t *page, uint32_t objid);
/* Large pages only (no-op on small ones): the stored page number. */
void ese_page_set_pgno(const ese_page_layout *lay, uint8_t *page,
		       uint32_t pgno);

/* cbUncommittedFree, kept <= cbFree (-626 otherwise). */
JET_ERR ese_page_set_uncommitted_free(uint8_t *page, unsigned cb,
				      jr_errinfo *ei);
JET_ERR ese_page_add_uncommitted_free(uint8_t *page, unsigned cb,
				      jr_errinfo *ei);
JET_ERR ese_page_reclaim_uncommitted_free(uint8_t *page, unsigned cb,
					  jr_errinfo *ei);

/* The order a reorganisation visits tags in, exposed for tests: sorts
 * v[0..n) (tag numbers) by key[v[i]] (their offsets) with exactly the
 * comparisons and moves of the Microsoft library's std::sort. */
void ese_pagemut_sort_tags(uint16_t *v, size_t n, const uint16_t *key);

#endif /* JR_ESE_PAGEMUT_H */
