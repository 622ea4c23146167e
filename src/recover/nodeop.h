/*
 * nodeop.h - node-level page changes (ESE's node.cxx ND* layer) on top of
 * the CPAGE-exact line operations of ese/pagemut.h.
 *
 * A node line is [cbPrefix 2 (compressed nodes only)] [cbSuffix 2]
 * [suffix] [data] (see ese/node.h). ESE describes a node as a key split
 * into "prefix" (bytes shared with the page's prefix in tag 0) and
 * "suffix", plus data and flags; node operations choose how many leading
 * key bytes to take from the page prefix (cbPrefix, 0 or > 2) and write
 * the rest as the suffix. The helpers here build exactly the pieces ESE
 * builds (CdataNDIPrefixAndKeydataflagsToDataflags), so that pagemut lays
 * them out byte for byte as CPAGE does.
 *
 * Keys are handled whole: jr_nd_get() copies the node's full key (page
 * prefix bytes + suffix) into a caller buffer, and the writers take a
 * whole key plus the number of its leading bytes to compress.
 *
 * Free space. ESE's ND layer checks room before changing a page and, in
 * recovery, clears cbUncommittedFree when it stands in the way (it is
 * meaningless once the version store is gone: FVERCheckUncommittedFreedSpace
 * during recovery). jr_nd_make_room() does that check.
 *
 * Nothing allocates; errors are pagemut's (-1206 damaged page, -626
 * operation that does not fit the page).
 */
#ifndef JR_RECOVER_NODEOP_H
#define JR_RECOVER_NODEOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/page.h"
#include "util/errinfo.h"

/* Node flags (the line flags of page.h, ESE's fND*). */
#define JR_ND_VERSION    0x01u
#define JR_ND_DELETED    0x02u
#define JR_ND_COMPRESSED 0x04u

/* Bytes of a node's two key-length words (cbKeyCount, cbPrefixOverhead). */
#define JR_ND_KEYCOUNT   2

/* A node read whole: key copied to the caller's buffer, data in the page. */
typedef struct {
	const uint8_t *key;       /* cb_key bytes (caller's buffer) */
	uint16_t cb_key;
	uint16_t cb_prefix;       /* leading key bytes taken from the prefix
				     (as ESE reads it: 0 on FDP roots) */
	const uint8_t *data;      /* in the page */
	uint16_t cb_data;
	uint8_t flags;            /* JR_ND_* */
} jr_kdf;

/* Read node iline into *out; the key goes to keybuf (keycap bytes, a page
 * size is always enough). */
JET_ERR jr_nd_get(const ese_page_layout *lay, const uint8_t *page,
		  unsigned iline, uint8_t *keybuf, size_t keycap, jr_kdf *out,
		  jr_errinfo *ei);

/* A node line read without consulting the page prefix (which may be
 * changing, in the middle of a split): the stored prefix count (0 when
 * not compressed), the suffix and the data, all pointing into the page. */
typedef struct {
	uint16_t cb_prefix;
	const uint8_t *suffix;
	uint16_t cb_suffix;
	const uint8_t *data;
	uint16_t cb_data;
	uint8_t flags;
} jr_nd_raw;

JET_ERR jr_nd_get_raw(const ese_page_layout *lay, const uint8_t *page,
		      unsigned iline, jr_nd_raw *out, jr_errinfo *ei);

/* Free bytes of the page (cbFree) and the uncommitted part. */
unsigned jr_nd_page_free(const uint8_t *page);
unsigned jr_nd_page_uncommitted(const uint8_t *page);

/* Size a node takes on a page with cb_prefix bytes compressed: suffix +
 * data + key count (+ prefix count) + one tag (CbNDNodeSizeCompressed). */
unsigned jr_nd_size(uint16_t cb_key, uint16_t cb_prefix, uint16_t cb_data);

/* ESE's room check for cb_req more bytes during recovery: fails -626 when
 * cbFree is below cb_req; otherwise clears cbUncommittedFree when it is
 * not zero (FNDFreePageSpace in recovery). */
JET_ERR jr_nd_make_room(uint8_t *page, unsigned cb_req, jr_errinfo *ei);

/* Insert a node at iline: the key's first cb_prefix bytes (0 or > 2) are
 * left to the page prefix; flags get JR_ND_COMPRESSED iff cb_prefix > 0
 * (NDInsert with an explicit cbPrefix). */
JET_ERR jr_nd_insert(const ese_page_layout *lay, uint8_t *page,
		     unsigned iline, const uint8_t *key, uint16_t cb_key,
		     uint16_t cb_prefix, const uint8_t *data, uint16_t cb_data,
		     uint8_t flags, jr_errinfo *ei);

/* Rewrite node iline with the same key and compression, new data and
 * flags (NDReplace / ErrNDReplace's page part). data must not point into
 * the page. */
JET_ERR jr_nd_replace(const ese_page_layout *lay, uint8_t *page,
		      unsigned iline, const uint8_t *data, uint16_t cb_data,
		      uint8_t flags, jr_errinfo *ei);

/* Rewrite node iline with cb_prefix_new compressed bytes (NDGrowCbPrefix
 * / NDShrinkCbPrefix): the key is given whole (the page prefix may already
 * have changed). */
JET_ERR jr_nd_recompress(const ese_page_layout *lay, uint8_t *page,
			 unsigned iline, const uint8_t *key, uint16_t cb_key,
			 uint16_t cb_prefix_new, jr_errinfo *ei);

/* Set / clear node flags (NDISetFlag / NDIResetFlag). */
JET_ERR jr_nd_set_flags(const ese_page_layout *lay, uint8_t *page,
			unsigned iline, uint8_t set, uint8_t clear,
			jr_errinfo *ei);

/* Delete node iline (NDDelete). */
JET_ERR jr_nd_delete(const ese_page_layout *lay, uint8_t *page,
		     unsigned iline, jr_errinfo *ei);

/* Set the page prefix (tag 0) to key[0..cb) (NDSetPrefix on a non-root
 * page; on a root page a null key leaves tag 0 alone). */
JET_ERR jr_nd_set_prefix(const ese_page_layout *lay, uint8_t *page,
			 const uint8_t *key, uint16_t cb, jr_errinfo *ei);

/* Number of leading bytes two keys share (CbCommonKey). */
uint16_t jr_nd_common(const uint8_t *a, uint16_t cba, const uint8_t *b,
		      uint16_t cbb);

/* ESE's key order: bytewise, then the shorter first. */
int jr_nd_keycmp(const uint8_t *a, uint16_t cba, const uint8_t *b,
		 uint16_t cbb);

#endif /* JR_RECOVER_NODEOP_H */
