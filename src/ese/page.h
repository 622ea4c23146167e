/*
 * page.h - the database page: header, tag array and lines, for every page
 * size ESE supports (4, 8, 16 and 32 KiB).
 *
 * A page is a header, a data area that grows upwards from the header, and a
 * tag array that grows downwards from the end of the page. Each tag locates
 * one "line" (a node, or tag 0's external header) inside the data area.
 * Free space sits between the highest line (ibMicFree) and the lowest tag,
 * plus any holes left between lines by deletes and moves.
 *
 *   +--------+----------------------------+---------+--------------------+
 *   | header | lines (in any order, holes) | free    | tag n-1 ... tag 0  |
 *   +--------+----------------------------+---------+--------------------+
 *   0        H                     H+ibMicFree       P-4n                 P
 *
 * Page header (all page sizes), little-endian, byte-packed:
 *
 *   OFFSET SIZE FIELD
 *   0      8    checksum      XOR/ECC checksum of the page (see checksum.h).
 *                             Pages without the new-checksum flag keep a
 *                             32-bit XOR checksum in bytes 0..3 and the page
 *                             number in bytes 4..7.
 *   8      8    dbtimeDirtied database time of the last change to the page
 *   16     4    pgnoPrev      left neighbour at the same tree level (0: none)
 *   20     4    pgnoNext      right neighbour (0: none)
 *   24     4    objidFDP      object id of the tree the page belongs to
 *   28     2    cbFree        free bytes on the page (holes included), tag
 *                             array excluded
 *   30     2    cbUncommittedFree  part of cbFree that an uncommitted
 *                             transaction may still take back (<= cbFree)
 *   32     2    ibMicFree     offset, from the end of the header, of the
 *                             first byte after the highest line
 *   34     2    itagState     bits 0..11 itagMicFree: number of tags;
 *                             bits 12..14 ctagReserved: number of reserved
 *                             tags at the start of the tag array (0 on pages
 *                             written before reserved tags existed: such a
 *                             page has exactly one, tag 0); bit 15 unused
 *   36     4    fFlags        ESE_PGF_* below; bits 15..16 hold the flush
 *                             type written with the page (flush map)
 *
 * Large pages (16 and 32 KiB) extend the header to 80 bytes:
 *
 *   40     24   rgChecksum[3] the checksums of blocks 2..4 (a large page
 *                             is checksummed as four equal blocks; block
 *                             1's checksum is bytes 0..7)
 *   64     4    pgno          the page's own number
 *   68     12   rgbReserved   zero
 *
 * Tag (4 bytes; tag i lives at page offset P - 4*(i+1)):
 *
 *   OFFSET SIZE FIELD
 *   0      2    cb            line size; small pages (<= 8 KiB) use bits
 *                             0..12 and leave bits 13..15 alone (they keep
 *                             whatever the slot held before: ESE only ever
 *                             rewrites the low bits), large pages use bits
 *                             0..14
 *   2      2    ib            line offset from the end of the header; small
 *                             pages use bits 0..12 for it and bits 13..15
 *                             for the line flags, large pages use bits 0..14
 *
 * Line flags (ESE_LINE_*): version (an uncommitted change exists in the
 * version store), deleted (flag-deleted node), compressed (the node's key
 * shares a prefix with the external header). On small pages they are the
 * top three bits of the tag's ib word; on large pages they are the top
 * three bits of the first little-endian 16-bit word of the line itself
 * (only for lines of 2 bytes or more, and never for tag 0), where they sit
 * above the node's 13-bit key length.
 *
 * A line is addressed either by itag (tag index, reserved tags included) or
 * by iline = itag - ctagReserved (the nodes only), exactly like CPAGE.
 *
 * File position: database page pgno (1-based) lives at file offset
 * (pgno + 1) * page_size; offsets 0 and page_size hold the database header
 * and its shadow copy.
 *
 * Memory: nothing here allocates. ese_line.data points into the caller's
 * page buffer and is valid as long as that buffer is unchanged.
 */
#ifndef JR_ESE_PAGE_H
#define JR_ESE_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/errinfo.h"

/* ---- header field offsets ---------------------------------------------- */
#define ESE_PGHDR_CHECKSUM          0
#define ESE_PGHDR_DBTIME            8
#define ESE_PGHDR_PGNO_PREV        16
#define ESE_PGHDR_PGNO_NEXT        20
#define ESE_PGHDR_OBJID_FDP        24
#define ESE_PGHDR_CB_FREE          28
#define ESE_PGHDR_CB_UNCOMMITTED   30
#define ESE_PGHDR_IB_MIC_FREE      32
#define ESE_PGHDR_ITAG_STATE       34
#define ESE_PGHDR_FLAGS            36
#define ESE_PGHDR_SMALL_SIZE       40
#define ESE_PGHDR2_CHECKSUMS       40
#define ESE_PGHDR2_PGNO            64
#define ESE_PGHDR2_RESERVED        68
#define ESE_PGHDR_LARGE_SIZE       80

#define ESE_TAG_SIZE                4
#define ESE_ITAG_MIC_FREE_MASK      0x0fffu
#define ESE_CTAG_RESERVED_SHIFT     12
#define ESE_CTAG_RESERVED_MAX       7u

/* ---- page flags (PGHDR.fFlags) ------------------------------------------ */
#define ESE_PGF_ROOT                0x00000001u
#define ESE_PGF_LEAF                0x00000002u
#define ESE_PGF_PARENT_OF_LEAF      0x00000004u
#define ESE_PGF_EMPTY               0x00000008u
#define ESE_PGF_REPAIR              0x00000010u
#define ESE_PGF_SPACE_TREE          0x00000020u
#define ESE_PGF_INDEX               0x00000040u
#define ESE_PGF_LONG_VALUE          0x00000080u
#define ESE_PGF_NON_UNIQUE_KEYS     0x00000400u
#define ESE_PGF_NEW_RECORD_FORMAT   0x00000800u
#define ESE_PGF_NEW_CHECKSUM_FORMAT 0x00002000u
#define ESE_PGF_SCRUBBED            0x00004000u
#define ESE_PGF_FLUSH_TYPE_MASK     0x00018000u
#define ESE_PGF_FLUSH_TYPE_SHIFT    15
#define ESE_PGF_PREINIT             0x00020000u
#define ESE_PGF_FDP_DELETE          0x00040000u

/* ---- line flags (in the tag or the line, see above) ----------------------- */
#define ESE_LINE_VERSION            0x01u
#define ESE_LINE_DELETED            0x02u
#define ESE_LINE_COMPRESSED         0x04u
#define ESE_LINE_FLAGS_MASK         0x07u

/* The geometry that depends on the page size; every function takes one so
 * that all code is size-generic. */
typedef struct {
	uint32_t page_size;    /* 4096, 8192, 16384 or 32768 */
	bool large;            /* > 8 KiB: 80-byte header, 15-bit tag fields,
				  line flags stored in the line */
	uint16_t hdr_size;     /* 40 or 80 */
	uint16_t ibcb_mask;    /* 0x1fff or 0x7fff */
	uint16_t data_size;    /* page_size - hdr_size */
	bool resv_tag_format;  /* the database has ESE's reserved-tags format
				  feature (JET_efvReservedTags, database
				  format 1568.270.560 and later): changing a
				  page's tag count then always stores
				  ctagReserved in itagState. false after
				  ese_page_layout_init(); the caller sets it
				  from the database header. Only the page
				  mutations (pagemut.h) look at it. */
} ese_page_layout;

/* Fill lay for page_size; -1003 InvalidParameter for any other size. */
JET_ERR ese_page_layout_init(ese_page_layout *lay, uint32_t page_size,
			     jr_errinfo *ei);

/* File offset of database page pgno (>= 1): (pgno + 1) * page_size. */
uint64_t ese_page_file_offset(const ese_page_layout *lay, uint32_t pgno);

/* The decoded header of one page. */
typedef struct {
	uint64_t checksum;          /* raw bytes 0..7 */
	uint64_t dbtime;
	uint32_t pgno_prev;
	uint32_t pgno_next;
	uint32_t objid_fdp;
	uint16_t cb_free;
	uint16_t cb_uncommitted_free;
	uint16_t ib_mic_free;
	uint16_t itag_state;        /* raw */
	uint16_t itag_mic_free;     /* number of tags */
	uint16_t ctag_reserved_stored; /* bits 12..14 as stored (0 = legacy) */
	uint16_t ctag_reserved;     /* effective: max(1, stored) */
	uint32_t flags;
	uint32_t flush_type;        /* 0 unknown, 1 rock, 2 paper, 3 scissors */
	/* large pages only (zero on small pages): */
	uint64_t ext_checksum[3];
	uint32_t pgno;
} ese_page_header;

/* Decode the header of a page of lay->page_size bytes. Never fails. */
void ese_page_header_read(const ese_page_layout *lay, const uint8_t *page,
			  ese_page_header *h);

/* One tag and the line it locates. */
typedef struct {
	uint16_t itag;
	uint16_t ib;               /* offset from the end of the header */
	uint16_t cb;
	uint8_t flags;             /* ESE_LINE_* */
	const uint8_t *data;       /* cb bytes inside the page, NULL if cb == 0 */
} ese_line;

/* Number of tags (itagMicFree) and of reserved tags (>= 1). */
unsigned ese_page_tag_count(const ese_page_layout *lay, const uint8_t *page);
unsigned ese_page_reserved_tags(const ese_page_layout *lay,
				const uint8_t *page);
/* Number of lines (nodes): tags minus reserved tags, 0 if fewer tags. */
unsigned ese_page_line_count(const ese_page_layout *lay, const uint8_t *page);

/* The line of tag itag (reserved tags included). Checked: itag must be
 * below itagMicFree, the tag array must lie inside the page after the
 * header, and a non-empty line must lie entirely inside the data area
 * (between the header and the tag array). -1206 DatabaseCorrupted with a
 * detail otherwise; -1003 InvalidParameter for itag >= itagMicFree. */
JET_ERR ese_page_tag_get(const ese_page_layout *lay, const uint8_t *page,
			 unsigned itag, ese_line *line, jr_errinfo *ei);

/* The line of node iline (iline = itag - ctagReserved), checked as above. */
JET_ERR ese_page_line(const ese_page_layout *lay, const uint8_t *page,
		      unsigned iline, ese_line *line, jr_errinfo *ei);

/* Tag 0, the external header (prefix key, space header, split buffer). */
JET_ERR ese_page_external_header(const ese_page_layout *lay,
				 const uint8_t *page, ese_line *line,
				 jr_errinfo *ei);

/* The raw 16-bit words of tag itag, unmasked (the caller guarantees
 * itag < lay->data_size / 4). For byte-level comparisons and tests. */
void ese_page_tag_raw(const ese_page_layout *lay, const uint8_t *page,
		      unsigned itag, uint16_t *cb_word, uint16_t *ib_word);

/* True when all page_size bytes are zero (a page never written). */
bool ese_page_is_blank(const ese_page_layout *lay, const uint8_t *page);

/* Names of the set flags, '|'-separated ("root|leaf|newchecksum|..."),
 * written into buf (always NUL-terminated). Returns buf. */
char *ese_page_flags_format(uint32_t flags, char *buf, size_t len);

#endif /* JR_ESE_PAGE_H */
