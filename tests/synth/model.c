/*
 * model.c - record builders and the libesedb reader for model tests.
 * Record layouts: src/recover/lrdecode.h.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "ese/page.h"
#include "ese/pagemut.h"
#include "util/bytes.h"
#include "synth/model.h"

static JET_ERR put(ese_logwriter *w, const uint8_t *r, size_t len,
		   jr_errinfo *ei)
{
	return ese_logwriter_append(w, r, len, NULL, ei);
}

/* Begin0 and Commit0 share one 8-byte shape: lrtyp, procid, a level
 * byte, a transaction number. */
static JET_ERR trx_record(ese_logwriter *w, uint8_t lrtyp, uint16_t procid,
			  uint8_t levels, uint32_t trx, jr_errinfo *ei)
{
	uint8_t r[8] = { lrtyp };

	jr_put_le16(r + 1, procid);
	r[3] = levels;
	jr_put_le32(r + 4, trx);
	return put(w, r, sizeof(r), ei);
}

JET_ERR model_begin0(ese_logwriter *w, uint16_t procid, uint32_t trx,
		     jr_errinfo *ei)
{
	/* from level 0, one level */
	return trx_record(w, 8, procid, 0 | (1 << 4), trx, ei);
}

JET_ERR model_commit0(ese_logwriter *w, uint16_t procid, uint32_t trx_commit,
		      jr_errinfo *ei)
{
	return trx_record(w, 9, procid, 0, trx_commit, ei);
}

JET_ERR model_rollback(ese_logwriter *w, uint16_t procid, uint8_t levels,
		       jr_errinfo *ei)
{
	uint8_t r[4] = { 7 };

	jr_put_le16(r + 1, procid);
	r[3] = levels;
	return put(w, r, sizeof(r), ei);
}

JET_ERR model_macro(ese_logwriter *w, uint8_t lrtyp, uint16_t procid,
		    uint64_t dbtime, jr_errinfo *ei)
{
	uint8_t r[11] = { 0 };

	r[0] = lrtyp;
	jr_put_le16(r + 1, procid);
	jr_put_le64(r + 3, dbtime);
	return put(w, r, sizeof(r), ei);
}

/* LRPAGE_ (29 bytes) of dbid 1. */
void model_page_head(uint8_t *r, uint8_t lrtyp, uint16_t procid,
		     uint32_t pgno, uint64_t after, uint64_t before,
		     uint32_t trx, uint8_t level)
{
	r[0] = lrtyp;
	jr_put_le16(r + 1, procid);
	r[3] = 1;                       /* dbid */
	jr_put_le32(r + 4, pgno);
	jr_put_le64(r + 8, after);
	jr_put_le64(r + 16, before);
	jr_put_le32(r + 24, trx);
	r[28] = level;
}

/* LRPAGE_ + LRNODE_ (44 bytes). */
static void node_head(uint8_t *r, uint8_t lrtyp, const model_node *n)
{
	model_page_head(r, lrtyp, n->procid, n->pgno, n->after, n->before, n->trx,
		  n->level);
	jr_put_le16(r + 29, n->iline);
	r[31] = n->flags;
	jr_put_le32(r + 32, n->rceid);
	jr_put_le32(r + 36, n->pgno_fdp);
	jr_put_le32(r + 40, n->objid);
}

/* A node record: the 44-byte head, three 16-bit fields at 44/46/48, then
 * bytes a and b (either may be empty). */
static JET_ERR node_record(ese_logwriter *w, uint8_t lrtyp,
			   const model_node *n, uint16_t f44, uint16_t f46,
			   uint16_t f48, const uint8_t *a, size_t cb_a,
			   const uint8_t *b, size_t cb_b, jr_errinfo *ei)
{
	size_t len = 50 + cb_a + cb_b;
	uint8_t *r = g_malloc0(len);
	JET_ERR err;

	node_head(r, lrtyp, n);
	jr_put_le16(r + 44, f44);
	jr_put_le16(r + 46, f46);
	jr_put_le16(r + 48, f48);
	if (cb_a)
		memcpy(r + 50, a, cb_a);
	if (cb_b)
		memcpy(r + 50 + cb_a, b, cb_b);
	err = put(w, r, len, ei);
	g_free(r);
	return err;
}

JET_ERR model_insert(ese_logwriter *w, const model_node *n,
		     const uint8_t *key, uint16_t cb_key, uint16_t cb_prefix,
		     const uint8_t *data, uint16_t cb_data, jr_errinfo *ei)
{
	return node_record(w, 29, n, (uint16_t)(cb_key - cb_prefix),
			   cb_prefix, cb_data, key, cb_key, data, cb_data, ei);
}

JET_ERR model_replace(ese_logwriter *w, const model_node *n, uint16_t cb_old,
		      const uint8_t *data, uint16_t cb_data, jr_errinfo *ei)
{
	return node_record(w, 33, n, cb_data, cb_old, cb_data, data, cb_data,
			   NULL, 0, ei);
}

JET_ERR model_delete(ese_logwriter *w, uint8_t lrtyp, const model_node *n,
		     jr_errinfo *ei)
{
	uint8_t r[44];

	memset(r, 0, sizeof(r));
	node_head(r, lrtyp, n);
	return put(w, r, sizeof(r), ei);
}

JET_ERR model_undo(ese_logwriter *w, const model_node *n, uint16_t oper,
		   const uint8_t *bm_key, uint16_t cb_bm_key, jr_errinfo *ei)
{
	/* the level byte, then the bookmark key */
	return node_record(w, 39, n, cb_bm_key, 0, oper, &n->level, 1, bm_key,
			   cb_bm_key, ei);
}

JET_ERR model_delta(ese_logwriter *w, const model_node *n, bool is64,
		    int64_t delta, uint16_t cb_offset, const uint8_t *bm_key,
		    uint16_t cb_bm_key, jr_errinfo *ei)
{
	size_t head = is64 ? 58 : 54;
	size_t len = head + cb_bm_key;
	uint8_t *r = g_malloc0(len);
	JET_ERR err;

	node_head(r, is64 ? 93 : 37, n);
	jr_put_le16(r + 44, cb_bm_key);
	jr_put_le16(r + 46, 0);
	if (is64) {
		jr_put_le64(r + 48, (uint64_t)delta);
		jr_put_le16(r + 56, cb_offset);
	} else {
		jr_put_le32(r + 48, (uint32_t)(int32_t)delta);
		jr_put_le16(r + 52, cb_offset);
	}
	memcpy(r + head, bm_key, cb_bm_key);
	err = put(w, r, len, ei);
	g_free(r);
	return err;
}

JET_ERR model_split2(ese_logwriter *w, const model_split *s, jr_errinfo *ei)
{
	size_t len = 110 + (size_t)s->cb_key_parent + s->cb_prefix_old +
		     s->cb_prefix_new + s->cb_preimage;
	uint8_t *r = g_malloc0(len), *p;
	JET_ERR err;

	model_page_head(r, 62, s->procid, s->pgno, s->after, s->before, s->trx,
		  s->level);
	r[31] = 0x04;
	jr_put_le32(r + 32, s->pgno_new);
	jr_put_le32(r + 36, s->pgno_right);
	jr_put_le64(r + 40, s->right_before);
	jr_put_le32(r + 48, s->pgno_parent);
	jr_put_le64(r + 52, s->parent_before);
	jr_put_le32(r + 60, s->pgno_fdp);
	jr_put_le32(r + 64, s->objid);
	r[68] = s->splittype;
	r[69] = s->splitoper;
	jr_put_le16(r + 70, s->iline_oper);
	jr_put_le16(r + 72, s->iline_split);
	jr_put_le16(r + 74, s->clines);
	jr_put_le32(r + 76, s->new_page_flags);
	jr_put_le32(r + 80, s->split_page_flags);
	jr_put_le32(r + 88, (uint32_t)s->iline_prefix_split);
	jr_put_le32(r + 92, (uint32_t)s->iline_prefix_new);
	jr_put_le16(r + 96, s->cb_prefix_old);
	jr_put_le16(r + 98, s->cb_prefix_new);
	jr_put_le16(r + 100, s->cb_key_parent);
	jr_put_le32(r + 102, 0);        /* pre-image neither dehydrated nor
					 * compressed */
	jr_put_le32(r + 106, s->cb_preimage);
	p = r + 110;
	if (s->cb_key_parent)
		memcpy(p, s->key_parent, s->cb_key_parent);
	p += s->cb_key_parent;
	if (s->cb_prefix_old)
		memcpy(p, s->prefix_old, s->cb_prefix_old);
	p += s->cb_prefix_old;
	if (s->cb_prefix_new)
		memcpy(p, s->prefix_new, s->cb_prefix_new);
	p += s->cb_prefix_new;
	if (s->cb_preimage)
		memcpy(p, s->preimage, s->cb_preimage);
	err = put(w, r, len, ei);
	g_free(r);
	return err;
}

JET_ERR model_page_move_rec(ese_logwriter *w, const model_page_move *m,
			    const uint8_t *image, size_t page_size,
			    jr_errinfo *ei)
{
	ese_page_layout lay;
	uint8_t *tmp = g_malloc(page_size);
	uint8_t *r = g_malloc0(96 + page_size);
	size_t cb_head, cb_tail;
	JET_ERR err;

	err = ese_page_layout_init(&lay, (uint32_t)page_size, ei);
	if (err < 0)
		goto free_bufs;
	memcpy(tmp, image, page_size);
	err = ese_page_compact(&lay, tmp, &cb_head, &cb_tail, ei);
	if (err < 0)
		goto free_bufs;
	model_page_head(r, 65, m->procid, m->pgno, m->after, m->before, m->trx, 1);
	jr_put_le32(r + 32, m->dest);
	jr_put_le32(r + 36, m->left);
	jr_put_le32(r + 40, m->right);
	jr_put_le32(r + 44, m->parent);
	jr_put_le64(r + 48, m->left_before);
	jr_put_le64(r + 56, m->right_before);
	jr_put_le64(r + 64, m->parent_before);
	jr_put_le32(r + 72, m->pgno_fdp);
	jr_put_le32(r + 76, m->objid);
	jr_put_le32(r + 80, (uint32_t)m->iline_parent);
	jr_put_le32(r + 84, m->move_flags);
	jr_put_le32(r + 88, (uint32_t)cb_head);
	jr_put_le32(r + 92, (uint32_t)cb_tail);
	memcpy(r + 96, tmp, cb_head);
	memcpy(r + 96 + cb_head, tmp + page_size - cb_tail, cb_tail);
	err = put(w, r, 96 + cb_head + cb_tail, ei);
free_bufs:
	g_free(r);
	g_free(tmp);
	return err;
}

JET_ERR model_root_page_move(ese_logwriter *w, uint16_t procid,
			     uint64_t dbtime, uint32_t objid, jr_errinfo *ei)
{
	uint8_t r[16] = { 96 };

	jr_put_le64(r + 1, dbtime);
	r[9] = 1;
	jr_put_le32(r + 10, objid);
	jr_put_le16(r + 14, procid);
	return put(w, r, sizeof(r), ei);
}

JET_ERR model_set_ext_header(ese_logwriter *w, const model_node *n,
			     const uint8_t *data, uint16_t cb, jr_errinfo *ei)
{
	size_t len = 46 + (size_t)cb;
	uint8_t *r = g_malloc0(len);
	JET_ERR err;

	node_head(r, 38, n);
	jr_put_le16(r + 44, cb);
	memcpy(r + 46, data, cb);
	err = put(w, r, len, ei);
	g_free(r);
	return err;
}

char *model_hex(const uint8_t *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = g_malloc(2 * len + 1);

	for (size_t i = 0; i < len; i++) {
		s[2 * i] = digits[buf[i] >> 4];
		s[2 * i + 1] = digits[buf[i] & 15];
	}
	s[2 * len] = '\0';
	return s;
}

/* The exported file of the table: <target>.export/<table>.<n>. */
static char *find_export(const char *dir, const char *table)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	char *found = NULL;
	size_t tl = strlen(table);

	if (!d)
		return NULL;
	while ((name = g_dir_read_name(d)) && !found)
		if (strncmp(name, table, tl) == 0 && name[tl] == '.')
			found = g_build_filename(dir, name, NULL);
	g_dir_close(d);
	return found;
}

GHashTable *model_export_table(const char *db, const char *table,
			       const char *tmpdir, unsigned key_col,
			       char **header, bool *missing, char **why)
{
	char *target = g_build_filename(tmpdir, "export", NULL);
	char *outdir = g_strconcat(target, ".export", NULL);
	char *file = NULL, *text = NULL, *err_text = NULL;
	const char *argv[] = { "esedbexport", "-t", target, "-T", table, db,
			       NULL };
	GHashTable *rows = NULL;
	GError *gerr = NULL;
	char **lines = NULL;
	int status = 0;

	*missing = false;
	*why = NULL;
	*header = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
			  G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
			  &err_text, &status, &gerr)) {
		*missing = g_error_matches(gerr, G_SPAWN_ERROR,
					   G_SPAWN_ERROR_NOENT);
		*why = g_strdup(gerr->message);
		g_error_free(gerr);
		goto free_paths;
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		*why = g_strdup_printf("esedbexport failed: %s", err_text);
		goto free_paths;
	}
	file = find_export(outdir, table);
	if (!file || !g_file_get_contents(file, &text, NULL, NULL)) {
		*why = g_strdup_printf("no export of %s in %s", table, outdir);
		goto free_paths;
	}
	lines = g_strsplit(text, "\n", -1);
	rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (size_t i = 0; lines[i]; i++) {
		char **cols;

		if (!lines[i][0])
			continue;
		if (i == 0) {
			*header = g_strdup(lines[i]);
			continue;
		}
		cols = g_strsplit(lines[i], "\t", -1);
		if (g_strv_length(cols) <= key_col ||
		    g_hash_table_contains(rows, cols[key_col])) {
			*why = g_strdup_printf("row %zu: no key or a duplicate "
					       "key", i);
			g_strfreev(cols);
			g_hash_table_unref(rows);
			rows = NULL;
			break;
		}
		g_hash_table_replace(rows, g_strdup(cols[key_col]),
				     g_strdup(lines[i]));
		g_strfreev(cols);
	}
	g_strfreev(lines);
free_paths:
	g_free(text);
	g_free(file);
	g_free(err_text);
	g_free(outdir);
	g_free(target);
	return rows;
}
