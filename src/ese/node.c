/*
 * node.c - parsing node lines and root external headers (see node.h).
 */
#include "ese/node.h"

#include <string.h>

#include "util/bytes.h"

void ese_space_header_parse(const uint8_t *buf, ese_space_header *sph)
{
	memset(sph, 0, sizeof(*sph));
	sph->cpg = jr_le32(buf);
	sph->pgno_parent = jr_le32(buf + 4);
	sph->flags = jr_le32(buf + 8);
	sph->rgbit_or_pgno_oe = jr_le32(buf + 12);
	sph->multiple_extent = buf[8] & ESE_SPH_MULTIPLE_EXTENT;
	sph->non_unique = buf[8] & ESE_SPH_NON_UNIQUE;
	sph->v2 = buf[8] & ESE_SPH_V2;
	if (sph->multiple_extent) {
		sph->pgno_oe = sph->rgbit_or_pgno_oe;
		sph->pgno_ae = sph->pgno_oe + 1;
	}
}

JET_ERR ese_node_page_prefix(const ese_page_layout *lay, const uint8_t *page,
			     const uint8_t **prefix, uint16_t *cb_prefix,
			     jr_errinfo *ei)
{
	uint32_t flags = jr_le32(page + ESE_PGHDR_FLAGS);
	ese_line ext;
	JET_ERR err;

	*prefix = NULL;
	*cb_prefix = 0;
	err = ese_page_external_header(lay, page, &ext, ei);
	if (err)
		return err;
	if (!(flags & ESE_PGF_ROOT)) {
		*prefix = ext.data;
		*cb_prefix = ext.cb;
	} else if ((flags & ESE_PGF_SPACE_TREE) &&
		   ext.cb > ESE_SPLIT_BUFFER_SIZE) {
		*prefix = ext.data + ESE_SPLIT_BUFFER_SIZE;
		*cb_prefix = (uint16_t)(ext.cb - ESE_SPLIT_BUFFER_SIZE);
	}
	return JET_errSuccess;
}

JET_ERR ese_node_get(const ese_page_layout *lay, const uint8_t *page,
		     unsigned iline, ese_node *node, jr_errinfo *ei)
{
	uint32_t flags = jr_le32(page + ESE_PGHDR_FLAGS);
	const uint8_t *pb;
	unsigned cb_counts;
	uint16_t cb_suffix;
	ese_line line;
	JET_ERR err;

	memset(node, 0, sizeof(*node));
	err = ese_page_line(lay, page, iline, &line, ei);
	if (err)
		return err;
	node->itag = line.itag;
	node->flags = line.flags;
	node->cb_line = line.cb;
	pb = line.data;
	cb_counts = (line.flags & ESE_LINE_COMPRESSED) ? 4 : 2;
	if (line.cb < cb_counts)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "node %u: line of %u bytes has no room for its "
			       "key lengths", iline, line.cb);
	if (line.flags & ESE_LINE_COMPRESSED) {
		node->key.cb_prefix = jr_le16(pb) & ESE_NODE_KEYLEN_MASK;
		pb += 2;
	}
	cb_suffix = jr_le16(pb) & ESE_NODE_KEYLEN_MASK;
	pb += 2;
	if (cb_suffix > line.cb - cb_counts)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "node %u: key suffix of %u bytes overruns its "
			       "%u-byte line", iline, cb_suffix, line.cb);
	node->key.suffix = cb_suffix ? pb : NULL;
	node->key.cb_suffix = cb_suffix;
	node->cb_data = (uint16_t)(line.cb - cb_counts - cb_suffix);
	node->data = node->cb_data ? pb + cb_suffix : NULL;

	if (node->key.cb_prefix) {
		const uint8_t *prefix;
		uint16_t cb_prefix;

		if ((flags & ESE_PGF_ROOT) && !(flags & ESE_PGF_SPACE_TREE)) {
			/* ESE never prefix-compresses an FDP root and reads
			 * such a key as its suffix alone */
			node->key.cb_prefix = 0;
			return JET_errSuccess;
		}
		err = ese_node_page_prefix(lay, page, &prefix, &cb_prefix, ei);
		if (err)
			return err;
		if (node->key.cb_prefix > cb_prefix)
			return jr_fail(ei, JET_errDatabaseCorrupted,
				       "node %u: uses %u prefix bytes, the "
				       "page has %u", iline,
				       node->key.cb_prefix, cb_prefix);
		node->key.prefix = prefix;
	}
	return JET_errSuccess;
}

JET_ERR ese_node_root_header(const ese_page_layout *lay, const uint8_t *page,
			     ese_root_header *rh, jr_errinfo *ei)
{
	uint32_t flags = jr_le32(page + ESE_PGHDR_FLAGS);
	const uint8_t *pb;
	ese_line ext;
	unsigned need;
	JET_ERR err;

	memset(rh, 0, sizeof(*rh));
	if (!(flags & ESE_PGF_ROOT))
		return jr_fail(ei, JET_errInvalidParameter,
			       "not a root page (flags 0x%x)", flags);
	err = ese_page_external_header(lay, page, &ext, ei);
	if (err)
		return err;
	if (ext.cb == 0)
		return JET_errSuccess;

	if (flags & ESE_PGF_SPACE_TREE) {
		if (ext.cb < ESE_SPLIT_BUFFER_SIZE)
			return jr_fail(ei, JET_errDatabaseCorrupted,
				       "space-tree root: external header of %u "
				       "bytes is shorter than a split buffer",
				       ext.cb);
		rh->has_split_buffer = true;
		for (int i = 0; i < 2; i++) {
			rh->split.pgno_last[i] = jr_le32(ext.data + 8 * i);
			rh->split.cpg[i] = (int32_t)jr_le32(ext.data + 8 * i + 4);
		}
		return JET_errSuccess;
	}

	if (ext.cb == ESE_SPACE_HEADER_SIZE) {
		rh->has_space_header = true;
		ese_space_header_parse(ext.data, &rh->space);
		return JET_errSuccess;
	}
	if (ext.cb < ESE_SPACE_HEADER_SIZE)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "root: external header of %u bytes fits no known "
			       "form", ext.cb);
	/* one flag byte, then the fields it announces */
	pb = ext.data + 1;
	need = 1;
	if (ext.data[0] & ESE_EXTHDR_HAS_SPACE_HEADER)
		need += ESE_SPACE_HEADER_SIZE;
	if (ext.data[0] & ESE_EXTHDR_HAS_AUTOINC)
		need += 8;
	if (need > ext.cb)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "root: external header flags 0x%x need %u bytes, "
			       "it has %u", ext.data[0], need, ext.cb);
	if (ext.data[0] & ESE_EXTHDR_HAS_SPACE_HEADER) {
		rh->has_space_header = true;
		ese_space_header_parse(pb, &rh->space);
		pb += ESE_SPACE_HEADER_SIZE;
	}
	if (ext.data[0] & ESE_EXTHDR_HAS_AUTOINC) {
		rh->has_autoinc = true;
		rh->autoinc = jr_le64(pb);
	}
	return JET_errSuccess;
}

JET_ERR ese_node_child_pgno(const ese_node *node, uint32_t *pgno,
			    jr_errinfo *ei)
{
	*pgno = 0;
	if (node->cb_data != 4)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "internal node (tag %u) has %u data bytes, not a "
			       "4-byte page number", node->itag, node->cb_data);
	*pgno = jr_le32(node->data);
	return JET_errSuccess;
}

size_t ese_key_len(const ese_key *k)
{
	return (size_t)k->cb_prefix + k->cb_suffix;
}

size_t ese_key_copy(const ese_key *k, uint8_t *out, size_t cap)
{
	size_t n1 = k->cb_prefix < cap ? k->cb_prefix : cap;
	size_t n2;

	if (n1)
		memcpy(out, k->prefix, n1);
	n2 = k->cb_suffix < cap - n1 ? k->cb_suffix : cap - n1;
	if (n2)
		memcpy(out + n1, k->suffix, n2);
	return ese_key_len(k);
}

/* Byte i of a two-piece key. */
static inline uint8_t key_byte(const ese_key *k, size_t i)
{
	return i < k->cb_prefix ? k->prefix[i] : k->suffix[i - k->cb_prefix];
}

int ese_key_cmp(const ese_key *a, const ese_key *b)
{
	size_t la = ese_key_len(a), lb = ese_key_len(b);
	size_t n = la < lb ? la : lb;

	for (size_t i = 0; i < n; i++) {
		uint8_t x = key_byte(a, i), y = key_byte(b, i);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return la < lb ? -1 : la > lb;
}

int ese_keydata_cmp(const ese_node *a, const ese_node *b)
{
	int cmp = ese_key_cmp(&a->key, &b->key);
	size_t n;

	if (cmp)
		return cmp;
	n = a->cb_data < b->cb_data ? a->cb_data : b->cb_data;
	if (n) {
		cmp = memcmp(a->data, b->data, n);
		if (cmp)
			return cmp < 0 ? -1 : 1;
	}
	return a->cb_data < b->cb_data ? -1 : a->cb_data > b->cb_data;
}
