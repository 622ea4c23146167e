/*
 * lrdescribe.c - a decoded log record as one line of text (lr_describe) or
 * as JSON key/value pairs (lr_to_json). One walk over the record's fields
 * (visit_fields) feeds either output through a small sink interface, so the
 * two never disagree on names or on which fields a type has.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recover/lrdecode_int.h"
#include "util/bytes.h"

/* Where the fields go: the text line or the JSON object. */
struct sink {
	void (*num)(struct sink *, const char *key, uint64_t v, bool hex);
	void (*inum)(struct sink *, const char *key, int64_t v);
	void (*text)(struct sink *, const char *key, const char *s);
	void (*blob)(struct sink *, const char *key, lr_bytes b);
};

/* UTF-16LE or ANSI bytes as a NUL-terminated UTF-8 string (unpaired
 * surrogates become U+FFFD; a trailing NUL ends the string). */
static void to_utf8(lr_bytes b, bool utf16, char *out, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return;
	if (!utf16) {
		for (size_t i = 0; i < b.len && b.p[i] && o + 1 < n; i++)
			out[o++] = (char)b.p[i];
		out[o] = '\0';
		return;
	}
	for (size_t i = 0; i + 1 < b.len; i += 2) {
		uint32_t c = jr_le16(b.p + i);
		if (c == 0)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < b.len) {
			uint32_t lo = jr_le16(b.p + i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		uint8_t u[4];
		size_t k;
		if (c < 0x80) {
			u[0] = (uint8_t)c; k = 1;
		} else if (c < 0x800) {
			u[0] = (uint8_t)(0xc0 | c >> 6);
			u[1] = (uint8_t)(0x80 | (c & 0x3f)); k = 2;
		} else if (c < 0x10000) {
			u[0] = (uint8_t)(0xe0 | c >> 12);
			u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (uint8_t)(0x80 | (c & 0x3f)); k = 3;
		} else {
			u[0] = (uint8_t)(0xf0 | c >> 18);
			u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (uint8_t)(0x80 | (c & 0x3f)); k = 4;
		}
		if (o + k + 1 > n)
			break;
		memcpy(out + o, u, k);
		o += k;
	}
	out[o] = '\0';
}

static void put_flag_names(struct sink *s, uint8_t flags)
{
	static const char *const names[] = { "versioned", "deleted", "unique",
					     "space", "concci", "systask" };
	char buf[64] = "";
	size_t o = 0;

	for (unsigned i = 0; i < 6; i++) {
		if (!(flags & (1u << i)))
			continue;
		int w = snprintf(buf + o, sizeof buf - o, "%s%s", o ? "|" : "",
				 names[i]);
		if (w > 0 && (size_t)w < sizeof buf - o)
			o += (size_t)w;
	}
	if (o)
		s->text(s, "flag_names", buf);
}

static void visit_page_hdr(struct sink *s, const lr_page_hdr *h)
{
	s->num(s, "procid", h->procid, false);
	s->num(s, "dbid", h->dbid, false);
	s->num(s, "pgno", h->pgno, false);
	s->num(s, "dbtime_before", h->dbtime_before, true);
	s->num(s, "dbtime_after", h->dbtime_after, true);
	s->num(s, "trx", h->trx_begin0, true);
	s->num(s, "level", h->level, false);
	s->num(s, "iline", h->iline, false);
	s->num(s, "flags", h->flags, true);
	put_flag_names(s, h->flags);
}

static void visit_node_hdr(struct sink *s, const lr_node_hdr *n)
{
	visit_page_hdr(s, &n->page);
	s->num(s, "rceid", n->rceid, true);
	s->num(s, "pgno_fdp", n->pgno_fdp, false);
	s->num(s, "objid_fdp", n->objid_fdp, false);
}

static void visit_path(struct sink *s, lr_bytes path, bool utf16)
{
	char buf[1024];

	to_utf8(path, utf16, buf, sizeof buf);
	s->text(s, "path", buf);
}

static void visit_logtime(struct sink *s, bool has, const ese_logtime *t)
{
	char buf[ESE_LOGTIME_STRLEN];

	if (has)
		s->text(s, "logtime", ese_logtime_format(t, buf, sizeof buf));
}

static void visit_lgpos(struct sink *s, const char *key, const ese_lgpos *p)
{
	char buf[ESE_LGPOS_STRLEN];

	s->text(s, key, ese_lgpos_format(p, buf, sizeof buf));
}

static void visit_signature(struct sink *s, const char *key,
			    const ese_signature *g)
{
	char buf[ESE_SIGNATURE_STRLEN];

	s->text(s, key, ese_signature_format(g, buf, sizeof buf));
}

static void visit_split(struct sink *s, const lr_split *d)
{
	visit_page_hdr(s, &d->page);
	s->num(s, "pgno_new", d->pgno_new, false);
	s->num(s, "pgno_right", d->pgno_right, false);
	s->num(s, "dbtime_right_before", d->dbtime_right_before, true);
	s->num(s, "pgno_parent", d->pgno_parent, false);
	s->num(s, "dbtime_parent_before", d->dbtime_parent_before, true);
	s->num(s, "pgno_fdp", d->pgno_fdp, false);
	s->num(s, "objid_fdp", d->objid_fdp, false);
	s->num(s, "splittype", d->splittype, false);
	s->num(s, "splitoper", d->splitoper, false);
	s->num(s, "iline_oper", d->iline_oper, false);
	s->num(s, "iline_split", d->iline_split, false);
	s->num(s, "clines", d->clines, false);
	s->num(s, "new_page_flags", d->new_page_flags, true);
	s->num(s, "split_page_flags", d->split_page_flags, true);
	s->inum(s, "cb_unc_free_src", d->cb_unc_free_src);
	s->inum(s, "cb_unc_free_dest", d->cb_unc_free_dest);
	s->inum(s, "iline_prefix_split", d->iline_prefix_split);
	s->inum(s, "iline_prefix_new", d->iline_prefix_new);
	s->blob(s, "key_parent", d->key_parent);
	s->blob(s, "prefix_split_old", d->prefix_split_old);
	s->blob(s, "prefix_split_new", d->prefix_split_new);
	s->num(s, "preimage_flags", d->preimage_flags, true);
	s->num(s, "cb_preimage", d->preimage.len, false);
}

static void visit_merge(struct sink *s, const lr_merge *d)
{
	visit_page_hdr(s, &d->page);
	s->num(s, "pgno_right", d->pgno_right, false);
	s->num(s, "dbtime_right_before", d->dbtime_right_before, true);
	s->num(s, "pgno_left", d->pgno_left, false);
	s->num(s, "dbtime_left_before", d->dbtime_left_before, true);
	s->num(s, "pgno_parent", d->pgno_parent, false);
	s->num(s, "dbtime_parent_before", d->dbtime_parent_before, true);
	s->num(s, "pgno_fdp", d->pgno_fdp, false);
	s->num(s, "objid_fdp", d->objid_fdp, false);
	s->num(s, "cb_size_total", d->cb_size_total, false);
	s->num(s, "cb_size_max_total", d->cb_size_max_total, false);
	s->num(s, "cb_unc_free_dest", d->cb_unc_free_dest, false);
	s->num(s, "iline_merge", d->iline_merge, false);
	s->num(s, "merge_flags", d->merge_flags, true);
	s->num(s, "mergetype", d->mergetype, false);
	s->blob(s, "key_parent_sep", d->key_parent_sep);
	s->num(s, "preimage_flags", d->preimage_flags, true);
	s->num(s, "cb_preimage", d->preimage.len, false);
}

static void visit_fields(const lr_record *r, struct sink *s)
{
	switch (r->lrtyp) {
	case ESE_LRTYP_INSERT: {
		const lr_insert *d = &r->u.insert;
		visit_node_hdr(s, &d->n);
		s->blob(s, "key_prefix", d->key_prefix);
		s->blob(s, "key_suffix", d->key_suffix);
		s->num(s, "cb_data", d->data.len, false);
		break;
	}
	case ESE_LRTYP_FLAG_INSERT:
		visit_node_hdr(s, &r->u.flag_insert.n);
		s->blob(s, "key", r->u.flag_insert.key);
		s->num(s, "cb_data", r->u.flag_insert.data.len, false);
		break;
	case ESE_LRTYP_FLAG_INSERT_AND_REPLACE_DATA: {
		const lr_flag_insert_replace *d = &r->u.flag_insert_replace;
		visit_node_hdr(s, &d->n);
		s->num(s, "rceid_replace", d->rceid_replace, true);
		s->blob(s, "key", d->key);
		s->num(s, "cb_data", d->data.len, false);
		break;
	}
	case ESE_LRTYP_REPLACE:
	case ESE_LRTYP_REPLACE_D: {
		const lr_replace *d = &r->u.replace;
		visit_node_hdr(s, &d->n);
		s->num(s, "cb_old_data", d->cb_old_data, false);
		s->num(s, "cb_new_data", d->cb_new_data, false);
		if (d->diff) {
			s->num(s, "cb_diff", d->data.len, false);
			s->num(s, "diff2", d->diff2, false);
		}
		break;
	}
	case ESE_LRTYP_DELTA:
	case ESE_LRTYP_DELTA64: {
		const lr_delta *d = &r->u.delta;
		visit_node_hdr(s, &d->n);
		s->inum(s, "delta", d->delta);
		s->num(s, "cb_offset", d->cb_offset, false);
		s->blob(s, "bm_key", d->bm_key);
		s->blob(s, "bm_data", d->bm_data);
		break;
	}
	case ESE_LRTYP_UNDO: {
		const lr_undo *d = &r->u.undo;
		visit_node_hdr(s, &d->n);
		s->num(s, "oper", d->oper, false);
		s->num(s, "level_undo", d->level_undo, false);
		s->blob(s, "bm_key", d->bm_key);
		s->blob(s, "bm_data", d->bm_data);
		break;
	}
	case ESE_LRTYP_UNDO_INFO: {
		const lr_undo_info *d = &r->u.undo_info;
		visit_node_hdr(s, &d->n);
		s->num(s, "oper", d->oper, false);
		s->inum(s, "cb_max_size", d->cb_max_size);
		s->inum(s, "cb_delta", d->cb_delta);
		s->blob(s, "bm_key", d->bm_key);
		s->blob(s, "bm_data", d->bm_data);
		s->num(s, "cb_data", d->data.len, false);
		break;
	}
	case ESE_LRTYP_SET_EXTERNAL_HEADER:
		visit_node_hdr(s, &r->u.set_ext_header.n);
		s->blob(s, "data", r->u.set_ext_header.data);
		break;
	case ESE_LRTYP_SCRUB:
		visit_node_hdr(s, &r->u.scrub.n);
		s->num(s, "scrub_flags", r->u.scrub.scrub_flags, true);
		s->num(s, "cscrub_oper", r->u.scrub.cscrub_oper, false);
		s->num(s, "cb_data", r->u.scrub.data.len, false);
		break;
	case ESE_LRTYP_EMPTY_TREE:
		visit_node_hdr(s, &r->u.empty_tree.n);
		s->num(s, "count", r->u.empty_tree.count, false);
		break;
	case ESE_LRTYP_FLAG_DELETE:
	case ESE_LRTYP_DELETE:
		visit_node_hdr(s, &r->u.node);
		break;
	case ESE_LRTYP_SPLIT:
	case ESE_LRTYP_SPLIT2:
		visit_split(s, &r->u.split);
		break;
	case ESE_LRTYP_MERGE:
	case ESE_LRTYP_MERGE2:
		visit_merge(s, &r->u.merge);
		break;
	case ESE_LRTYP_PAGE_MOVE: {
		const lr_page_move *d = &r->u.page_move;
		visit_page_hdr(s, &d->page);
		s->num(s, "pgno_dest", d->pgno_dest, false);
		s->num(s, "pgno_left", d->pgno_left, false);
		s->num(s, "pgno_right", d->pgno_right, false);
		s->num(s, "pgno_parent", d->pgno_parent, false);
		s->num(s, "dbtime_left_before", d->dbtime_left_before, true);
		s->num(s, "dbtime_right_before", d->dbtime_right_before, true);
		s->num(s, "dbtime_parent_before", d->dbtime_parent_before, true);
		s->num(s, "pgno_fdp", d->pgno_fdp, false);
		s->num(s, "objid_fdp", d->objid_fdp, false);
		s->inum(s, "iline_parent", d->iline_parent);
		s->num(s, "move_flags", d->move_flags, true);
		s->num(s, "cb_page_header", d->page_header.len, false);
		s->num(s, "cb_page_trailer", d->page_trailer.len, false);
		break;
	}
	case ESE_LRTYP_ROOT_PAGE_MOVE: {
		const lr_root_page_move *d = &r->u.root_page_move;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "dbtime_after", d->dbtime_after, true);
		s->num(s, "objid", d->objid, false);
		break;
	}
	case ESE_LRTYP_NEW_PAGE: {
		const lr_new_page *d = &r->u.new_page;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno", d->pgno, false);
		s->num(s, "dbtime_after", d->dbtime_after, true);
		s->num(s, "objid", d->objid, false);
		break;
	}
	case ESE_LRTYP_CREATE_MULTIPLE_EXTENT_FDP:
	case ESE_LRTYP_CREATE_SINGLE_EXTENT_FDP: {
		const lr_create_fdp *d = &r->u.create_fdp;
		visit_page_hdr(s, &d->page);
		s->num(s, "objid_fdp", d->objid_fdp, false);
		if (d->multiple) {
			s->num(s, "pgno_oe", d->pgno_oe, false);
			s->num(s, "pgno_ae", d->pgno_ae, false);
		}
		s->num(s, "pgno_fdp_parent", d->pgno_fdp_parent, false);
		s->inum(s, "cpg_primary", d->cpg_primary);
		s->num(s, "page_flags", d->page_flags, true);
		break;
	}
	case ESE_LRTYP_CONVERT_FDP:
	case ESE_LRTYP_CONVERT_FDP2: {
		const lr_convert_fdp *d = &r->u.convert_fdp;
		visit_page_hdr(s, &d->page);
		s->num(s, "objid_fdp", d->objid_fdp, false);
		s->num(s, "pgno_oe", d->pgno_oe, false);
		s->num(s, "pgno_ae", d->pgno_ae, false);
		s->num(s, "pgno_fdp_parent", d->pgno_fdp_parent, false);
		s->num(s, "pgno_secondary_first", d->pgno_secondary_first,
		       false);
		s->inum(s, "cpg_primary", d->cpg_primary);
		s->inum(s, "cpg_secondary", d->cpg_secondary);
		s->num(s, "rgbit_avail", d->rgbit_avail, true);
		s->num(s, "cpage_flags", d->cpage_flags, true);
		break;
	}
	case ESE_LRTYP_BEGIN:
	case ESE_LRTYP_BEGIN0:
	case ESE_LRTYP_BEGIN_DT: {
		const lr_begin *d = &r->u.begin;
		s->num(s, "procid", d->procid, false);
		s->num(s, "level_begin_from", d->level_begin_from, false);
		s->num(s, "clevels_to_begin", d->clevels_to_begin, false);
		if (d->has_trx)
			s->num(s, "trx", d->trx_begin0, true);
		break;
	}
	case ESE_LRTYP_COMMIT:
	case ESE_LRTYP_COMMIT0: {
		const lr_commit *d = &r->u.commit;
		s->num(s, "procid", d->procid, false);
		s->num(s, "level_commit_to", d->level_commit_to, false);
		if (d->has_trx)
			s->num(s, "trx_commit0", d->trx_commit0, true);
		break;
	}
	case ESE_LRTYP_ROLLBACK:
		s->num(s, "procid", r->u.rollback.procid, false);
		s->num(s, "level_rollback", r->u.rollback.level_rollback, false);
		break;
	case ESE_LRTYP_REFRESH:
		s->num(s, "procid", r->u.refresh.procid, false);
		s->num(s, "trx", r->u.refresh.trx_begin0, true);
		break;
	case ESE_LRTYP_MACRO_BEGIN:
	case ESE_LRTYP_MACRO_COMMIT:
	case ESE_LRTYP_MACRO_ABORT:
		s->num(s, "procid", r->u.macro.procid, false);
		s->num(s, "dbtime", r->u.macro.dbtime, true);
		break;
	case ESE_LRTYP_PREP_COMMIT:
	case ESE_LRTYP_PREP_ROLLBACK:
	case ESE_LRTYP_FORCE_WRITE_LOG:
		s->num(s, "procid", r->u.trx_misc.procid, false);
		if (r->lrtyp == ESE_LRTYP_PREP_COMMIT)
			s->num(s, "cb_data", r->u.trx_misc.data.len, false);
		break;
	case ESE_LRTYP_MACRO_INFO:
	case ESE_LRTYP_MACRO_INFO2: {
		const lr_macro_info *d = &r->u.macro_info;
		char buf[256];
		size_t o = 0;
		if (d->v2)
			s->num(s, "dbid", d->dbid, false);
		s->num(s, "count", d->count, false);
		buf[0] = '\0';
		for (uint32_t i = 0; i < d->count && o + 12 < sizeof buf; i++) {
			int w = snprintf(buf + o, sizeof buf - o, "%s%u",
					 i ? "," : "",
					 lr_macro_info_pgno(d, i));
			if (w < 0 || (size_t)w >= sizeof buf - o)
				break;
			o += (size_t)w;
		}
		s->text(s, "pgnos", buf);
		break;
	}
	case ESE_LRTYP_INIT:
	case ESE_LRTYP_INIT2: {
		const lr_init *d = &r->u.init;
		s->num(s, "sessions_max", d->sessions_max, false);
		s->num(s, "open_tables_max", d->open_tables_max, false);
		s->num(s, "ver_pages_max", d->ver_pages_max, false);
		s->num(s, "cursors_max", d->cursors_max, false);
		s->num(s, "log_buffers", d->log_buffers, false);
		s->num(s, "csec_log_file", d->csec_log_file, false);
		s->num(s, "cache_size_max", d->cache_size_max, false);
		visit_logtime(s, d->has_logtime, &d->logtime);
		break;
	}
	case ESE_LRTYP_TERM:
	case ESE_LRTYP_TERM2:
	case ESE_LRTYP_RECOVERY_QUIT:
	case ESE_LRTYP_RECOVERY_QUIT2:
	case ESE_LRTYP_RECOVERY_QUIT_KEEP_ATTACHMENTS: {
		const lr_term *d = &r->u.term;
		visit_lgpos(s, "lgpos", &d->lgpos);
		visit_lgpos(s, "lgpos_redo_from", &d->lgpos_redo_from);
		s->num(s, "hard", d->hard, false);
		visit_logtime(s, d->has_logtime, &d->logtime);
		break;
	}
	case ESE_LRTYP_RECOVERY_UNDO:
	case ESE_LRTYP_RECOVERY_UNDO2:
		visit_logtime(s, r->u.recovery_undo.has_logtime,
			      &r->u.recovery_undo.logtime);
		break;
	case ESE_LRTYP_ATTACH_DB: {
		const lr_attach_db *d = &r->u.attach_db;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "cpg_database_size_max", d->cpg_database_size_max,
		       false);
		visit_lgpos(s, "lgpos_consistent", &d->lgpos_consistent);
		visit_signature(s, "sign_db", &d->sign_db);
		visit_signature(s, "sign_log", &d->sign_log);
		s->num(s, "attach_flags", d->flags, true);
		visit_path(s, d->path, d->flags & ATTACH_UNICODE);
		break;
	}
	case ESE_LRTYP_DETACH_DB: {
		const lr_detach_db *d = &r->u.detach_db;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "detach_flags", d->flags, true);
		visit_path(s, d->path, d->flags & DETACH_UNICODE);
		break;
	}
	case ESE_LRTYP_CREATE_DB: {
		const lr_create_db *d = &r->u.create_db;
		s->num(s, "procid", d->procid, false);
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "grbit", d->grbit, true);
		s->num(s, "cpg_database_size_max", d->cpg_database_size_max,
		       false);
		visit_signature(s, "sign_db", &d->sign_db);
		s->num(s, "create_flags", d->flags, true);
		if (d->flags & CREATE_VERSION) {
			s->num(s, "version", d->version, true);
			s->num(s, "update_major", d->update_major, true);
		}
		visit_path(s, d->path, d->flags & CREATE_UNICODE);
		break;
	}
	case ESE_LRTYP_CREATE_DB_FINISH:
		s->num(s, "procid", r->u.dbid_only.procid, false);
		s->num(s, "dbid", r->u.dbid_only.dbid, false);
		break;
	case ESE_LRTYP_SIGNAL_ATTACH_DB:
		s->num(s, "dbid", r->u.dbid_only.dbid, false);
		break;
	case ESE_LRTYP_SET_DB_VERSION: {
		const lr_set_db_version *d = &r->u.set_db_version;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "major", d->major, true);
		s->num(s, "update_major", d->update_major, false);
		s->num(s, "update_minor", d->update_minor, false);
		break;
	}
	case ESE_LRTYP_EXTEND_DB:
		s->num(s, "dbid", r->u.extend_db.dbid, false);
		s->num(s, "pgno_last", r->u.extend_db.pgno_last, false);
		break;
	case ESE_LRTYP_SHRINK_DB:
	case ESE_LRTYP_SHRINK_DB2:
	case ESE_LRTYP_SHRINK_DB3: {
		const lr_shrink_db *d = &r->u.shrink_db;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno_last", d->pgno_last, false);
		s->inum(s, "cpg_shrunk", d->cpg_shrunk);
		if (d->has_dbtime)
			s->num(s, "dbtime", d->dbtime, true);
		break;
	}
	case ESE_LRTYP_TRIM_DB:
		s->num(s, "dbid", r->u.trim_db.dbid, false);
		s->num(s, "pgno_start_zeroes", r->u.trim_db.pgno_start_zeroes,
		       false);
		s->inum(s, "cpg_zero_length", r->u.trim_db.cpg_zero_length);
		break;
	case ESE_LRTYP_EXTENT_FREED:
	case ESE_LRTYP_EXTENT_FREED2: {
		const lr_extent_freed *d = &r->u.extent_freed;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno_first", d->pgno_first, false);
		s->inum(s, "cpg_extent", d->cpg_extent);
		s->num(s, "extent_flags", d->flags, true);
		if (d->has_dbtime)
			s->num(s, "dbtime", d->dbtime, true);
		break;
	}
	case ESE_LRTYP_BACKUP2: {
		const lr_backup2 *d = &r->u.backup2;
		s->num(s, "phase", d->phase, false);
		s->num(s, "backup_type", d->backup_type, false);
		s->num(s, "scope", d->scope, false);
		s->num(s, "dbid", d->dbid, false);
		visit_lgpos(s, "lgpos_mark", &d->bkinfo.lgpos_mark);
		s->num(s, "gen_low", d->bkinfo.gen_low, false);
		s->num(s, "gen_high", d->bkinfo.gen_high, false);
		visit_path(s, d->path, false);
		break;
	}
	case ESE_LRTYP_FULL_BACKUP:
	case ESE_LRTYP_INC_BACKUP:
	case ESE_LRTYP_BACKUP:
		if (r->lrtyp == ESE_LRTYP_BACKUP)
			s->num(s, "backup_type", r->u.backup_old.backup_type,
			       false);
		visit_path(s, r->u.backup_old.path, false);
		break;
	case ESE_LRTYP_EXT_RESTORE:
	case ESE_LRTYP_EXT_RESTORE2: {
		char buf[1024];
		to_utf8(r->u.ext_restore.info, r->u.ext_restore.unicode, buf,
			sizeof buf);
		s->text(s, "info", buf);
		break;
	}
	case ESE_LRTYP_TRACE:
	case ESE_LRTYP_FORCE_LOG_ROLLOVER: {
		char buf[1024];
		s->num(s, "procid", r->u.trace.procid, false);
		to_utf8(r->u.trace.text, false, buf, sizeof buf);
		s->text(s, "text", buf);
		break;
	}
	case ESE_LRTYP_JET_OP:
		s->num(s, "procid", r->u.jetop.procid, false);
		s->num(s, "op", r->u.jetop.op, false);
		break;
	case ESE_LRTYP_MS:
		s->num(s, "ib_forward_link", r->u.ms.ib_forward_link, false);
		s->num(s, "checksum", r->u.ms.checksum, true);
		s->num(s, "isec_forward_link", r->u.ms.isec_forward_link, false);
		break;
	case ESE_LRTYP_COMMIT_CTX:
		s->num(s, "procid", r->u.commit_ctx.procid, false);
		s->num(s, "ctx_flags", r->u.commit_ctx.ctx_flags, true);
		s->num(s, "cb_context", r->u.commit_ctx.context.len, false);
		break;
	case ESE_LRTYP_SCAN_CHECK:
	case ESE_LRTYP_SCAN_CHECK2: {
		const lr_scan_check *d = &r->u.scan_check;
		s->num(s, "dbid", d->dbid, false);
		s->num(s, "pgno", d->pgno, false);
		if (!d->legacy)
			s->num(s, "flags_and_source", d->flags_and_source,
			       true);
		s->num(s, "dbtime_page", d->dbtime_page, true);
		s->num(s, "dbtime_current", d->dbtime_current, true);
		s->num(s, "checksum", d->checksum, true);
		break;
	}
	case ESE_LRTYP_REATTACH:
		s->num(s, "dbid", r->u.reattach.dbid, false);
		visit_lgpos(s, "lgpos_attach", &r->u.reattach.lgpos_attach);
		visit_lgpos(s, "lgpos_consistent",
			    &r->u.reattach.lgpos_consistent);
		visit_signature(s, "sign_db", &r->u.reattach.sign_db);
		break;
	case ESE_LRTYP_FREE_FDP:
		s->num(s, "dbid", r->u.free_fdp.dbid, false);
		s->num(s, "pgno_fdp", r->u.free_fdp.pgno_fdp, false);
		s->num(s, "trx_committed", r->u.free_fdp.trx_committed, true);
		s->num(s, "fdp_type", r->u.free_fdp.fdp_type, false);
		break;
	case ESE_LRTYP_PAGE_PATCH_REQUEST:
		s->num(s, "dbid", r->u.page_patch.dbid, false);
		s->num(s, "pgno", r->u.page_patch.pgno, false);
		s->num(s, "dbtime", r->u.page_patch.dbtime, true);
		break;
	case ESE_LRTYP_FRAGMENT_BEGIN:
	case ESE_LRTYP_FRAGMENT:
		if (r->lrtyp == ESE_LRTYP_FRAGMENT_BEGIN)
			s->num(s, "cb_total", r->u.fragment.cb_total, false);
		s->num(s, "cb_fragment", r->u.fragment.data.len, false);
		break;
	case ESE_LRTYP_NOP2:
	case ESE_LRTYP_IGNORED9:
	case ESE_LRTYP_IGNORED10: case ESE_LRTYP_IGNORED11:
	case ESE_LRTYP_IGNORED12: case ESE_LRTYP_IGNORED13:
	case ESE_LRTYP_IGNORED14: case ESE_LRTYP_IGNORED15:
	case ESE_LRTYP_IGNORED16: case ESE_LRTYP_IGNORED17:
	case ESE_LRTYP_IGNORED18: case ESE_LRTYP_IGNORED19:
		s->num(s, "cb", r->u.ignored.cb, false);
		break;
	default:
		break;
	}
}

/* ---- text sink ---- */

struct text_sink {
	struct sink s;
	char *buf;
	size_t n;
	size_t need;              /* length of the whole line */
};

static void text_put(struct text_sink *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_put(struct text_sink *t, const char *fmt, ...)
{
	va_list ap;
	size_t room = t->need < t->n ? t->n - t->need : 0;

	va_start(ap, fmt);
	int w = vsnprintf(room ? t->buf + t->need : NULL, room, fmt, ap);
	va_end(ap);
	if (w > 0)
		t->need += (size_t)w;
}

static void text_num(struct sink *s, const char *key, uint64_t v, bool hex)
{
	struct text_sink *t = (struct text_sink *)s;

	if (hex)
		text_put(t, " %s:0x%llx", key, (unsigned long long)v);
	else
		text_put(t, " %s:%llu", key, (unsigned long long)v);
}

static void text_inum(struct sink *s, const char *key, int64_t v)
{
	text_put((struct text_sink *)s, " %s:%lld", key, (long long)v);
}

static void text_text(struct sink *s, const char *key, const char *str)
{
	text_put((struct text_sink *)s, " %s:\"%s\"", key, str);
}

static void text_blob(struct sink *s, const char *key, lr_bytes b)
{
	struct text_sink *t = (struct text_sink *)s;
	uint32_t shown = b.len < 16 ? b.len : 16;

	text_put(t, " %s:", key);
	if (b.len == 0) {
		text_put(t, "-");
		return;
	}
	for (uint32_t i = 0; i < shown; i++)
		text_put(t, "%02x", b.p[i]);
	if (shown < b.len)
		text_put(t, "..(%u)", b.len);
}

size_t lr_describe(const lr_record *r, char *buf, size_t n)
{
	struct text_sink t = {
		.s = { text_num, text_inum, text_text, text_blob },
		.buf = buf, .n = n, .need = 0,
	};

	if (n)
		buf[0] = '\0';
	text_put(&t, "%-24s len:%u", ese_lrtyp_name(r->lrtyp), r->len);
	visit_fields(r, &t.s);
	return t.need;
}

/* ---- JSON sink ---- */

struct json_sink {
	struct sink s;
	jr_json *j;
};

static void json_num(struct sink *s, const char *key, uint64_t v, bool hex)
{
	(void)hex;
	jr_json_u64(((struct json_sink *)s)->j, key, v);
}

static void json_inum(struct sink *s, const char *key, int64_t v)
{
	jr_json_i64(((struct json_sink *)s)->j, key, v);
}

static void json_text(struct sink *s, const char *key, const char *str)
{
	jr_json_str(((struct json_sink *)s)->j, key, str);
}

static void json_blob(struct sink *s, const char *key, lr_bytes b)
{
	static const char hexd[] = "0123456789abcdef";
	char small[128];
	char *hex = small;

	if ((size_t)b.len * 2 + 1 > sizeof small) {
		hex = malloc((size_t)b.len * 2 + 1);
		if (!hex) {
			jr_json_null(((struct json_sink *)s)->j, key);
			return;
		}
	}
	for (uint32_t i = 0; i < b.len; i++) {
		hex[2 * i] = hexd[b.p[i] >> 4];
		hex[2 * i + 1] = hexd[b.p[i] & 15];
	}
	hex[(size_t)b.len * 2] = '\0';
	jr_json_str(((struct json_sink *)s)->j, key, hex);
	if (hex != small)
		free(hex);
}

void lr_to_json(const lr_record *r, jr_json *j)
{
	struct json_sink js = {
		.s = { json_num, json_inum, json_text, json_blob },
		.j = j,
	};

	jr_json_str(j, "type", ese_lrtyp_name(r->lrtyp));
	jr_json_u64(j, "lrtyp", r->lrtyp);
	jr_json_u64(j, "len", r->len);
	visit_fields(r, &js.s);
}
