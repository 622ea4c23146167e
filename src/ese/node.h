/*
 * node.h - the node (key, data, flags) stored in one line of a page, the
 * external header (tag 0) of root and space-tree pages, and ESE's key
 * order.
 *
 * Node line, little-endian:
 *
 *   compressed line (ESE_LINE_COMPRESSED set):
 *   OFFSET  SIZE      FIELD
 *   0       2         cbPrefix   bits 0..12: how many leading bytes of the
 *                                page's prefix (see below) start the key
 *   2       2         cbSuffix   bits 0..12: key bytes stored in the node
 *   4       cbSuffix  suffix     the rest of the key
 *   4+cbSuffix ...    data       up to the end of the line
 *
 *   uncompressed line:
 *   0       2         cbSuffix   bits 0..12
 *   2       cbSuffix  suffix     the whole key
 *   2+cbSuffix ...    data
 *
 *   On 16/32 KiB pages bits 13..15 of the first word are the line flags
 *   (page.h); they are masked off here. Key = prefix[0..cbPrefix) + suffix.
 *
 * Where the prefix comes from (tag 0, the external header):
 *   - non-root page: tag 0 is the prefix itself;
 *   - space-tree root (root + space-tree flags): tag 0 is a SPLIT_BUFFER
 *     (16 bytes) and the prefix follows it (in practice never: ESE keeps
 *     no prefix there); tag 0 may also be empty;
 *   - any other root (an FDP root): tag 0 holds the tree's space header,
 *     nodes are never prefix-compressed, and ESE reads a compressed node's
 *     key as its suffix alone (cbPrefix is ignored).
 *
 * External header of an FDP root, either exactly a SPACE_HEADER (16 bytes)
 * or one flag byte (bit 0: a SPACE_HEADER follows, bit 1: an auto-increment
 * QWORD follows) and then those fields in that order:
 *
 *   SPACE_HEADER (16 bytes)
 *   OFFSET SIZE FIELD
 *   0      4    cpgPrimary   v1: pages of the primary extent; v2: pages of
 *                            the last allocation
 *   4      4    pgnoParent   root page of the parent FDP (0 for the database)
 *   8      4    flags        byte 8 bit 0 multiple extents (space trees
 *                            exist), bit 1 non-unique keys, bit 2 v2
 *   12     4    rgbitAvail   single extent: bitmap of free pages after the
 *                pgnoOE      root; multiple extents: root of the owned-
 *                            extent tree (the available-extent tree is
 *                            pgnoOE + 1)
 *
 *   SPLIT_BUFFER (16 bytes): two EXTENTINFO {pgnoLastInExtent 4,
 *   cpgExtent 4} of pages set aside for splitting the space tree itself.
 *
 * Internal (non-leaf) pages: each node's data is the 4-byte number of a
 * child page and its key separates that child from the next one; the last
 * node's key is empty and stands for "everything above".
 *
 * Memory: nothing allocates; the pointers in ese_node/ese_key point into the
 * caller's page buffer.
 */
#ifndef JR_ESE_NODE_H
#define JR_ESE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/page.h"
#include "util/errinfo.h"

#define ESE_NODE_KEYLEN_MASK   0x1fffu
#define ESE_SPACE_HEADER_SIZE  16
#define ESE_SPLIT_BUFFER_SIZE  16
#define ESE_SPH_MULTIPLE_EXTENT 0x01u
#define ESE_SPH_NON_UNIQUE      0x02u
#define ESE_SPH_V2              0x04u
#define ESE_EXTHDR_HAS_SPACE_HEADER 0x01u
#define ESE_EXTHDR_HAS_AUTOINC      0x02u

/* A key in two pieces, as ESE keeps it: prefix bytes then suffix bytes. */
typedef struct {
	const uint8_t *prefix;
	uint16_t cb_prefix;
	const uint8_t *suffix;
	uint16_t cb_suffix;
} ese_key;

typedef struct {
	uint16_t itag;
	uint8_t flags;             /* ESE_LINE_* */
	ese_key key;
	const uint8_t *data;
	uint16_t cb_data;
	uint16_t cb_line;
} ese_node;

/* Parse node iline of a page (iline counts nodes, not reserved tags).
 * -1206 DatabaseCorrupted when the key lengths do not fit the line or the
 * prefix does not fit the external header; -1003 when iline does not
 * exist. */
JET_ERR ese_node_get(const ese_page_layout *lay, const uint8_t *page,
		     unsigned iline, ese_node *node, jr_errinfo *ei);

/* The prefix that compressed nodes of this page draw from (see above):
 * cb 0 and NULL when the page has none. */
JET_ERR ese_node_page_prefix(const ese_page_layout *lay, const uint8_t *page,
			     const uint8_t **prefix, uint16_t *cb_prefix,
			     jr_errinfo *ei);

typedef struct {
	uint32_t cpg;              /* cpgPrimary (v1) or last allocation (v2) */
	uint32_t pgno_parent;
	uint32_t flags;            /* ESE_SPH_* in the low byte */
	uint32_t rgbit_or_pgno_oe;
	bool multiple_extent;
	bool non_unique;
	bool v2;
	uint32_t pgno_oe;          /* 0 unless multiple_extent */
	uint32_t pgno_ae;          /* pgno_oe + 1, 0 unless multiple_extent */
} ese_space_header;

typedef struct {
	uint32_t pgno_last[2];
	int32_t cpg[2];
} ese_split_buffer;

/* The decoded external header of a root page. */
typedef struct {
	bool has_space_header;
	ese_space_header space;
	bool has_autoinc;
	uint64_t autoinc;
	bool has_split_buffer;
	ese_split_buffer split;
} ese_root_header;

/* Decode tag 0 of a root page (FDP root or space-tree root). -1003 for a
 * page that is not a root; -1206 for a size that fits no known form. */
JET_ERR ese_node_root_header(const ese_page_layout *lay, const uint8_t *page,
			     ese_root_header *rh, jr_errinfo *ei);

/* Decode a 16-byte SPACE_HEADER. */
void ese_space_header_parse(const uint8_t *buf, ese_space_header *sph);

/* The child page of an internal node (data must be exactly 4 bytes:
 * -1206 otherwise). */
JET_ERR ese_node_child_pgno(const ese_node *node, uint32_t *pgno,
			    jr_errinfo *ei);

/* Total key length, and a copy of the key into out (at most cap bytes;
 * returns the full length). */
size_t ese_key_len(const ese_key *k);
size_t ese_key_copy(const ese_key *k, uint8_t *out, size_t cap);

/* ESE's CmpKey: bytewise over the common length, then the shorter key
 * first. <0, 0, >0. */
int ese_key_cmp(const ese_key *a, const ese_key *b);

/* CmpKeyData: keys first, then data the same way (non-unique trees order
 * equal keys by their data, the primary key). */
int ese_keydata_cmp(const ese_node *a, const ese_node *b);

#endif /* JR_ESE_NODE_H */
