/*
 * nodeop.c - node-level page changes (see nodeop.h).
 */
#include "recover/nodeop.h"

#include <string.h>

#include "ese/node.h"
#include "ese/pagemut.h"
#include "util/bytes.h"

JET_ERR jr_nd_get(const ese_page_layout *lay, const uint8_t *page,
		  unsigned iline, uint8_t *keybuf, size_t keycap, jr_kdf *out,
		  jr_errinfo *ei)
{
	ese_node n;
	JET_ERR err;
	size_t cb;

	memset(out, 0, sizeof(*out));
	err = ese_node_get(lay, page, iline, &n, ei);
	if (err < 0)
		return err;
	cb = ese_key_len(&n.key);
	if (cb > keycap)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "node %u: key of %zu bytes", iline, cb);
	ese_key_copy(&n.key, keybuf, keycap);
	out->key = keybuf;
	out->cb_key = (uint16_t)cb;
	out->cb_prefix = n.key.cb_prefix;
	out->data = n.data;
	out->cb_data = n.cb_data;
	out->flags = n.flags;
	return JET_errSuccess;
}

JET_ERR jr_nd_get_raw(const ese_page_layout *lay, const uint8_t *page,
		      unsigned iline, jr_nd_raw *out, jr_errinfo *ei)
{
	ese_line line;
	unsigned counts;
	JET_ERR err;

	memset(out, 0, sizeof(*out));
	err = ese_page_line(lay, page, iline, &line, ei);
	if (err < 0)
		return err;
	counts = (line.flags & JR_ND_COMPRESSED) ? 4 : 2;
	if (line.cb < counts)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "node %u: line of %u bytes", iline, line.cb);
	if (line.flags & JR_ND_COMPRESSED)
		out->cb_prefix = jr_le16(line.data) & ESE_NODE_KEYLEN_MASK;
	out->cb_suffix = jr_le16(line.data + counts - 2) &
			 ESE_NODE_KEYLEN_MASK;
	if (out->cb_suffix > line.cb - counts)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "node %u: suffix of %u bytes in a %u-byte line",
			       iline, out->cb_suffix, line.cb);
	out->suffix = line.data + counts;
	out->data = out->suffix + out->cb_suffix;
	out->cb_data = (uint16_t)(line.cb - counts - out->cb_suffix);
	out->flags = line.flags;
	return JET_errSuccess;
}

unsigned jr_nd_page_free(const uint8_t *page)
{
	return jr_le16(page + ESE_PGHDR_CB_FREE);
}

unsigned jr_nd_page_uncommitted(const uint8_t *page)
{
	return jr_le16(page + ESE_PGHDR_CB_UNCOMMITTED);
}

unsigned jr_nd_size(uint16_t cb_key, uint16_t cb_prefix, uint16_t cb_data)
{
	unsigned cb = (unsigned)(cb_key - cb_prefix) + cb_data +
		      JR_ND_KEYCOUNT + ESE_TAG_SIZE;

	return cb_prefix ? cb + JR_ND_KEYCOUNT : cb;
}

JET_ERR jr_nd_make_room(uint8_t *page, unsigned cb_req, jr_errinfo *ei)
{
	if (jr_nd_page_free(page) < cb_req)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "%u bytes needed, page has %u free", cb_req,
			       jr_nd_page_free(page));
	if (jr_nd_page_uncommitted(page) != 0)
		return ese_page_set_uncommitted_free(page, 0, ei);
	return JET_errSuccess;
}

/* The pieces of a node line: [cbPrefix] cbSuffix suffix data. */
struct jr_nd_pieces {
	uint8_t le_prefix[2];
	uint8_t le_suffix[2];
	ese_data parts[4];
	size_t nparts;
	uint8_t flags;
};

static void jr_nd_build(struct jr_nd_pieces *p, const uint8_t *key,
			uint16_t cb_key, uint16_t cb_prefix,
			const uint8_t *data, uint16_t cb_data, uint8_t flags)
{
	p->nparts = 0;
	if (cb_prefix > 0) {
		jr_put_le16(p->le_prefix, cb_prefix);
		p->parts[p->nparts++] = (ese_data){ p->le_prefix, 2 };
		flags |= JR_ND_COMPRESSED;
	} else {
		flags &= (uint8_t)~JR_ND_COMPRESSED;
	}
	jr_put_le16(p->le_suffix, (uint16_t)(cb_key - cb_prefix));
	p->parts[p->nparts++] = (ese_data){ p->le_suffix, 2 };
	p->parts[p->nparts++] = (ese_data){ key + cb_prefix,
					    (size_t)(cb_key - cb_prefix) };
	p->parts[p->nparts++] = (ese_data){ data, cb_data };
	p->flags = flags;
}

JET_ERR jr_nd_insert(const ese_page_layout *lay, uint8_t *page,
		     unsigned iline, const uint8_t *key, uint16_t cb_key,
		     uint16_t cb_prefix, const uint8_t *data, uint16_t cb_data,
		     uint8_t flags, jr_errinfo *ei)
{
	struct jr_nd_pieces p;

	if (cb_prefix > cb_key)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "prefix of %u bytes for a %u-byte key",
			       cb_prefix, cb_key);
	jr_nd_build(&p, key, cb_key, cb_prefix, data, cb_data, flags);
	return ese_page_insert(lay, page, iline, p.parts, p.nparts, p.flags,
			       ei);
}

JET_ERR jr_nd_replace(const ese_page_layout *lay, uint8_t *page,
		      unsigned iline, const uint8_t *data, uint16_t cb_data,
		      uint8_t flags, jr_errinfo *ei)
{
	uint8_t key[ESE_NODE_KEYLEN_MASK + 1];
	struct jr_nd_pieces p;
	jr_kdf cur;
	JET_ERR err;

	err = jr_nd_get(lay, page, iline, key, sizeof(key), &cur, ei);
	if (err < 0)
		return err;
	jr_nd_build(&p, key, cur.cb_key, cur.cb_prefix, data, cb_data, flags);
	return ese_page_replace(lay, page, iline, p.parts, p.nparts, p.flags,
				ei);
}

JET_ERR jr_nd_recompress(const ese_page_layout *lay, uint8_t *page,
			 unsigned iline, const uint8_t *key, uint16_t cb_key,
			 uint16_t cb_prefix_new, jr_errinfo *ei)
{
	uint8_t data[32768];
	struct jr_nd_pieces p;
	jr_nd_raw n;
	JET_ERR err;

	err = jr_nd_get_raw(lay, page, iline, &n, ei);
	if (err < 0)
		return err;
	if (n.cb_data > sizeof(data) || cb_prefix_new > cb_key)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "node %u cannot take a %u-byte prefix", iline,
			       cb_prefix_new);
	/* The line may move: keep its data out of the page first. */
	memcpy(data, n.data, n.cb_data);
	jr_nd_build(&p, key, cb_key, cb_prefix_new, data, n.cb_data, n.flags);
	return ese_page_replace(lay, page, iline, p.parts, p.nparts, p.flags,
				ei);
}

JET_ERR jr_nd_set_flags(const ese_page_layout *lay, uint8_t *page,
			unsigned iline, uint8_t set, uint8_t clear,
			jr_errinfo *ei)
{
	ese_line line;
	JET_ERR err;

	err = ese_page_line(lay, page, iline, &line, ei);
	if (err < 0)
		return err;
	return ese_page_set_line_flags(lay, page, iline,
				       (uint8_t)((line.flags | set) & ~clear),
				       ei);
}

JET_ERR jr_nd_delete(const ese_page_layout *lay, uint8_t *page,
		     unsigned iline, jr_errinfo *ei)
{
	return ese_page_delete(lay, page, iline, ei);
}

JET_ERR jr_nd_set_prefix(const ese_page_layout *lay, uint8_t *page,
			 const uint8_t *key, uint16_t cb, jr_errinfo *ei)
{
	ese_data part = { key, cb };

	if (jr_le32(page + ESE_PGHDR_FLAGS) & ESE_PGF_ROOT) {
		if (cb == 0)
			return JET_errSuccess;
		/* ESE never puts a prefix on a root page. */
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "a %u-byte prefix for a root page", cb);
	}
	return ese_page_set_external_header(lay, page, &part, 1, ei);
}

uint16_t jr_nd_common(const uint8_t *a, uint16_t cba, const uint8_t *b,
		      uint16_t cbb)
{
	uint16_t n = cba < cbb ? cba : cbb;
	uint16_t i = 0;

	while (i < n && a[i] == b[i])
		i++;
	return i;
}

int jr_nd_keycmp(const uint8_t *a, uint16_t cba, const uint8_t *b,
		 uint16_t cbb)
{
	uint16_t n = cba < cbb ? cba : cbb;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return (int)cba - (int)cbb;
}
