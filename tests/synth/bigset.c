/*
 * bigset.c - a dirty database with logs whose records really apply (see
 * bigset.h for what is written and why).
 *
 * Record layouts are ESE's (recover/lrdecode.h lists every field):
 *   LRPAGE_ 32 bytes: 0 lrtyp, 1 procid, 3 dbid, 4 pgno, 8 dbtimeAfter,
 *     16 dbtimeBefore, 24 trxBegin0, 28 level, 29 iline, 31 flags;
 *   LRNODE_ adds 32 rceid, 36 pgnoFDP, 40 objidFDP (44 bytes).
 * Memory: one small state per session and one record buffer; the database
 * is copied and extended in 1 MiB chunks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ese/checkpoint.h"
#include "ese/dbheader.h"
#include "ese/loghdr.h"
#include "ese/logwriter.h"
#include "ese/page.h"
#include "bigset.h"
#include "util/bytes.h"
#include "util/io.h"

#define BS_PAGE 4096u
#define BS_FILL_BYTES 3400u        /* node bytes (with tags) per page */
#define BS_KEY 8u
#define BS_DBTIME_NIL UINT64_MAX
#define BS_FLAG_VERSIONED 0x01
#define BS_FLAG_UNIQUE 0x04

enum { LR_BEGIN0 = 8, LR_COMMIT0 = 9, LR_CREATE_SEFDP = 25,
       LR_INSERT = 29, LR_FLAG_DELETE = 32, LR_REPLACE = 33,
       LR_DELETE = 35 };

/* What one session does next on its page. */
enum bs_step { BS_BEGIN, BS_CREATE, BS_INSERT, BS_REPLACE, BS_FLAG_DELETE,
	       BS_COMMIT, BS_BEGIN2, BS_DELETE, BS_COMMIT2 };

typedef struct {
	uint16_t procid;
	enum bs_step step;
	uint32_t pgno, objid, trx;
	uint64_t page_dbtime;
	unsigned nodes;            /* lines on the page */
	unsigned fill;             /* node bytes with tags so far */
	uint32_t rceid;
	uint16_t cb_second;        /* data size of node 1 (for Replace) */
} bs_session;

typedef struct {
	const jr_bigset_params *p;
	jr_bigset_stats *st;
	ese_logwriter *w;
	uint64_t dbtime;           /* last dbtime handed out */
	uint32_t objid;            /* last objid handed out */
	uint32_t trx;              /* last trx id */
	uint32_t rceid;
	uint32_t pgno_next, pgno_end;  /* pages still free: [next, end) */
	size_t payload;            /* next payload to use */
	uint8_t rec[1024];
} bs_ctx;

static JET_ERR bs_put(bs_ctx *c, size_t len, bool page_record,
		      jr_errinfo *ei)
{
	JET_ERR err = ese_logwriter_append(c->w, c->rec, len, NULL, ei);

	if (err < 0)
		return err;
	c->st->records_total++;
	if (page_record)
		c->st->records++;
	return JET_errSuccess;
}

static void bs_page_head(bs_ctx *c, bs_session *s, uint8_t lrtyp,
			 uint16_t iline, uint8_t flags)
{
	uint8_t *r = c->rec;

	memset(r, 0, 44);
	r[0] = lrtyp;
	jr_put_le16(r + 1, s->procid);
	r[3] = 1;                               /* dbid of the attach list */
	jr_put_le32(r + 4, s->pgno);
	jr_put_le64(r + 8, ++c->dbtime);
	jr_put_le64(r + 16, s->page_dbtime);
	jr_put_le32(r + 24, s->trx);
	r[28] = 1;                              /* transaction level */
	jr_put_le16(r + 29, iline);
	r[31] = flags;
	s->page_dbtime = c->dbtime;
}

static void bs_node_head(bs_ctx *c, bs_session *s, uint8_t lrtyp,
			 uint16_t iline, uint8_t flags, uint32_t rceid)
{
	bs_page_head(c, s, lrtyp, iline, flags);
	jr_put_le32(c->rec + 32, rceid);
	jr_put_le32(c->rec + 36, s->pgno);      /* the page is its tree's root */
	jr_put_le32(c->rec + 40, s->objid);
}

static const uint8_t *bs_next_payload(bs_ctx *c, uint16_t *len)
{
	size_t i = c->payload++ % c->p->n_payloads;

	*len = c->p->payload_len[i];
	return c->p->payloads[i];
}

static JET_ERR bs_trx_record(bs_ctx *c, bs_session *s, uint8_t lrtyp,
			     jr_errinfo *ei)
{
	uint8_t *r = c->rec;

	memset(r, 0, 8);
	r[0] = lrtyp;
	jr_put_le16(r + 1, s->procid);
	if (lrtyp == LR_BEGIN0) {
		s->trx = ++c->trx;
		r[3] = 1 << 4;                  /* from level 0, one level */
		jr_put_le32(r + 4, s->trx);
	} else {
		r[3] = 0;                       /* commit to level 0 */
		jr_put_le32(r + 4, ++c->trx);
	}
	return bs_put(c, 8, false, ei);
}

/* Take the next blank page for s; false when none is left. */
static bool bs_take_page(bs_ctx *c, bs_session *s)
{
	if (c->pgno_next >= c->pgno_end)
		return false;
	s->pgno = c->pgno_next++;
	s->objid = ++c->objid;
	s->page_dbtime = BS_DBTIME_NIL;
	s->nodes = 0;
	s->fill = 0;
	s->step = BS_BEGIN;
	return true;
}

/* One record of session s. *done when its pages ran out. */
static JET_ERR bs_step(bs_ctx *c, bs_session *s, bool *done, jr_errinfo *ei)
{
	uint8_t *r = c->rec;
	const uint8_t *data;
	uint16_t cb;
	JET_ERR err;

	switch (s->step) {
	case BS_BEGIN:
		s->step = BS_CREATE;
		return bs_trx_record(c, s, LR_BEGIN0, ei);
	case BS_CREATE:
		/* LRCREATESEFDP: 32 objidFDP, 36 pgnoFDPParent (the database
		 * root), 40 cpgPrimary, 44 fPageFlags (0: a table) */
		bs_page_head(c, s, LR_CREATE_SEFDP, 0, BS_FLAG_UNIQUE);
		jr_put_le32(r + 32, s->objid);
		jr_put_le32(r + 36, 1);
		jr_put_le32(r + 40, 1);
		jr_put_le32(r + 44, 0);
		s->step = BS_INSERT;
		if (!c->st->pgno_first || s->pgno < c->st->pgno_first)
			c->st->pgno_first = s->pgno;
		if (s->pgno > c->st->pgno_last)
			c->st->pgno_last = s->pgno;
		c->st->pages_created++;
		return bs_put(c, 48, true, ei);
	case BS_INSERT: {
		unsigned need;

		data = bs_next_payload(c, &cb);
		need = 2 + BS_KEY + cb + 4;     /* cbKey, key, data, tag */
		if (s->nodes >= 2 && s->fill + need > BS_FILL_BYTES) {
			s->step = BS_REPLACE;
			c->payload--;           /* keep it for the next page */
			return bs_step(c, s, done, ei);
		}
		bs_node_head(c, s, LR_INSERT, (uint16_t)s->nodes,
			     BS_FLAG_VERSIONED | BS_FLAG_UNIQUE, ++c->rceid);
		jr_put_le16(r + 44, BS_KEY);    /* cbSuffix: the whole key */
		jr_put_le16(r + 46, 0);         /* cbPrefix */
		jr_put_le16(r + 48, cb);
		/* key: objid, then the node number, big-endian (ascending) */
		r[50] = (uint8_t)(s->objid >> 24); r[51] = (uint8_t)(s->objid >> 16);
		r[52] = (uint8_t)(s->objid >> 8);  r[53] = (uint8_t)s->objid;
		r[54] = 0; r[55] = 0;
		r[56] = (uint8_t)(s->nodes >> 8); r[57] = (uint8_t)s->nodes;
		memcpy(r + 58, data, cb);
		if (s->nodes == 1)
			s->cb_second = cb;
		s->nodes++;
		s->fill += need;
		return bs_put(c, 58 + (size_t)cb, true, ei);
	}
	case BS_REPLACE: {
		/* the second node's data becomes another payload's bytes,
		 * same size: the page's free space does not change */
		uint16_t have;

		data = bs_next_payload(c, &have);
		bs_node_head(c, s, LR_REPLACE, 1,
			     BS_FLAG_VERSIONED | BS_FLAG_UNIQUE, ++c->rceid);
		cb = s->cb_second;
		jr_put_le16(r + 44, cb);
		jr_put_le16(r + 46, cb);
		jr_put_le16(r + 48, cb);
		for (unsigned i = 0; i < cb; i++)
			r[50 + i] = (uint8_t)(data[i % have] ^ 0x5a);
		s->step = BS_FLAG_DELETE;
		return bs_put(c, 50 + (size_t)cb, true, ei);
	}
	case BS_FLAG_DELETE:
		bs_node_head(c, s, LR_FLAG_DELETE, 0,
			     BS_FLAG_VERSIONED | BS_FLAG_UNIQUE, ++c->rceid);
		s->step = BS_COMMIT;
		return bs_put(c, 44, true, ei);
	case BS_COMMIT:
		s->step = BS_BEGIN2;
		err = bs_trx_record(c, s, LR_COMMIT0, ei);
		if (err < 0)
			return err;
		return ese_logwriter_flush(c->w, ei);   /* ESE's commit flush */
	case BS_BEGIN2:
		s->step = BS_DELETE;
		return bs_trx_record(c, s, LR_BEGIN0, ei);
	case BS_DELETE:
		/* version cleanup removes the flag-deleted node */
		bs_node_head(c, s, LR_DELETE, 0, BS_FLAG_UNIQUE, 0);
		s->step = BS_COMMIT2;
		return bs_put(c, 44, true, ei);
	case BS_COMMIT2:
		err = bs_trx_record(c, s, LR_COMMIT0, ei);
		if (err < 0)
			return err;
		if (!bs_take_page(c, s))
			*done = true;
		return JET_errSuccess;
	}
	return jr_fail(ei, JET_errInvalidParameter, "session step %d",
		       (int)s->step);
}

/* Highest dbtime of the header and of every page of the database. */
static JET_ERR bs_max_dbtime(int fd, uint64_t npages, uint64_t hdr_dbtime,
			     uint64_t *out, jr_errinfo *ei)
{
	uint8_t page[BS_PAGE];
	JET_ERR err;

	*out = hdr_dbtime;
	for (uint64_t pg = 1; pg <= npages; pg++) {
		uint64_t t;

		err = jr_pread_full(fd, page, BS_PAGE, (pg + 1) * BS_PAGE,
				    JET_errDiskIO, ei);
		if (err < 0)
			return err;
		t = jr_le64(page + ESE_PGHDR_DBTIME);
		if (t > *out && t != BS_DBTIME_NIL)
			*out = t;
	}
	return JET_errSuccess;
}

/* Copy the database with a dirty header, then blank pages up to total
 * pages (file = (total + 2) pages). */
static JET_ERR bs_write_db(const jr_bigset_params *p, const char *path,
			   uint64_t total, uint32_t gen, uint64_t *max_dbtime,
			   uint32_t *objid_last, uint64_t *npages_old,
			   jr_errinfo *ei)
{
	ese_dbheader_read_result hr;
	uint64_t size;
	uint8_t *buf = NULL;
	int in = -1, out = -1;
	JET_ERR err;

	err = jr_open_ro(p->src_db, &in, ei);
	if (err < 0)
		return err;
	err = jr_file_size(in, &size, ei);
	if (err < 0)
		goto close_in;
	err = ese_dbheader_read_fd(in, &hr, ei);
	if (err < 0)
		goto close_in;
	if (ese_dbheader_page_size(&hr.hdr) != BS_PAGE || size % BS_PAGE ||
	    size < 3 * BS_PAGE) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "%s: 4 KiB pages expected", p->src_db);
		goto close_in;
	}
	*npages_old = size / BS_PAGE - 2;
	if (total < *npages_old)
		total = *npages_old;
	err = bs_max_dbtime(in, *npages_old, hr.hdr.dbtime, max_dbtime, ei);
	if (err < 0)
		goto close_in;
	*objid_last = hr.hdr.objid_last;

	buf = calloc(1, 1u << 20);
	if (!buf) {
		err = jr_fail(ei, JET_errOutOfMemory, "copy buffer");
		goto close_in;
	}
	out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (out < 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", path, strerror(errno));
		goto free_buf;
	}
	for (uint64_t off = 0; off < size; off += 1u << 20) {
		size_t n = size - off < (1u << 20) ? (size_t)(size - off)
						   : 1u << 20;

		err = jr_pread_full(in, buf, n, off, JET_errDiskIO,
				    ei);
		if (err >= 0 && off == 0) {
			ese_dbheader h = hr.hdr;

			h.state = JET_dbstateDirtyShutdown;
			h.gen_min_required = gen;
			h.gen_max_required = gen;
			err = ese_dbheader_write_pair(&h, buf, BS_PAGE);
		}
		if (err >= 0)
			err = jr_pwrite_full(out, buf, n, off, ei);
		if (err < 0)
			goto close_out;
	}
	memset(buf, 0, 1u << 20);
	for (uint64_t off = size; off < (total + 2) * BS_PAGE;
	     off += 1u << 20) {
		uint64_t end = (total + 2) * BS_PAGE;
		size_t n = end - off < (1u << 20) ? (size_t)(end - off)
						  : 1u << 20;

		err = jr_pwrite_full(out, buf, n, off, ei);
		if (err < 0)
			goto close_out;
	}
	err = JET_errSuccess;
close_out:
	close(out);
free_buf:
	free(buf);
close_in:
	close(in);
	return err;
}

static JET_ERR bs_write_checkpoint(const jr_bigset_params *p, uint32_t gen,
				   jr_errinfo *ei)
{
	ese_checkpoint_read_result *cr;
	uint8_t buf[ESE_CHECKPOINT_FILE_SIZE];
	char path[4096];
	JET_ERR err;
	int fd;

	cr = calloc(1, sizeof(*cr));        /* ~25 KiB */
	if (!cr)
		return jr_fail(ei, JET_errOutOfMemory, "checkpoint");
	err = ese_checkpoint_read_file(p->src_chk, cr, ei);
	if (err < 0)
		goto free_cr;
	cr->chk.lgpos_checkpoint.gen = gen;
	cr->chk.lgpos_checkpoint.isec = 1;
	cr->chk.lgpos_checkpoint.ib = 0;
	ese_checkpoint_write_pair(&cr->chk, buf);
	snprintf(path, sizeof(path), "%s/%s.chk", p->out_dir, p->base);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", path, strerror(errno));
		goto free_cr;
	}
	err = jr_pwrite_full(fd, buf, sizeof(buf), 0, ei);
	close(fd);
free_cr:
	free(cr);
	return err;
}

JET_ERR jr_bigset_write(const jr_bigset_params *p, jr_bigset_stats *st,
			jr_errinfo *ei)
{
	ese_logwriter_params wp;
	ese_loghdr *tmpl = NULL;
	bs_session *ss = NULL;
	bs_ctx c;
	char db_path[4096];
	uint64_t file_bytes, pages_total, npages_old = 0, max_dbtime = 0;
	uint64_t files_wanted;
	unsigned live;
	uint32_t gen, objid_last = 0;
	JET_ERR err;

	memset(st, 0, sizeof(*st));
	memset(&c, 0, sizeof(c));
	if (!p->src_db || !p->src_chk || !p->src_log || !p->out_dir ||
	    !p->db_name || !p->base || !p->log_mib || !p->n_payloads ||
	    !p->sessions || p->sessions > 1000 || p->file_kib < 16 ||
	    p->file_kib % 4 || p->file_kib / 4 > 65535)
		return jr_fail(ei, JET_errInvalidParameter, "bigset parameters");
	for (size_t i = 0; i < p->n_payloads; i++)
		if (!p->payload_len[i] || p->payload_len[i] > 400)
			return jr_fail(ei, JET_errInvalidParameter,
				       "payload %zu: %u bytes", i,
				       p->payload_len[i]);

	tmpl = calloc(1, sizeof(*tmpl));
	ss = calloc(p->sessions, sizeof(*ss));
	if (!tmpl || !ss) {
		err = jr_fail(ei, JET_errOutOfMemory, "bigset state");
		goto free_state;
	}
	err = ese_loghdr_read_file(p->src_log, tmpl, NULL, ei);
	if (err < 0)
		goto free_state;

	/* Pages: about one per 4.4 KiB of log (a full page's inserts and
	 * its commit padding); the file is at least db_mib. */
	file_bytes = p->log_mib << 20;
	pages_total = file_bytes / 4096 + 64;
	if (pages_total < (p->db_mib << 20) / BS_PAGE)
		pages_total = (p->db_mib << 20) / BS_PAGE;

	{
		ese_dbheader_read_result hr;

		err = ese_dbheader_read_file(p->src_db, &hr, ei);
		if (err < 0)
			goto free_state;
		gen = hr.hdr.gen_max_required + 1;
	}
	snprintf(db_path, sizeof(db_path), "%s/%s", p->out_dir, p->db_name);
	err = bs_write_db(p, db_path, pages_total, gen, &max_dbtime,
			  &objid_last, &npages_old, ei);
	if (err < 0)
		goto free_state;
	if (pages_total < npages_old)
		pages_total = npages_old;
	err = bs_write_checkpoint(p, gen, ei);
	if (err < 0)
		goto free_state;

	ese_logwriter_params_init(&wp, p->out_dir, p->base, gen,
				  &tmpl->sign_log);
	wp.template_hdr = tmpl;
	wp.csec_lgfile = (uint16_t)(p->file_kib / 4);
	err = ese_logwriter_open(&wp, &c.w, ei);
	if (err < 0)
		goto free_state;

	c.p = p;
	c.st = st;
	c.dbtime = max_dbtime;
	c.objid = objid_last;
	c.trx = 0x100000;
	c.pgno_next = (uint32_t)npages_old + 1;
	c.pgno_end = (uint32_t)pages_total + 1;
	files_wanted = (p->log_mib * 1024 + p->file_kib - 1) / p->file_kib;
	live = 0;
	for (unsigned i = 0; i < p->sessions; i++) {
		ss[i].procid = (uint16_t)(64 + i);
		if (bs_take_page(&c, &ss[i]))
			live++;
	}
	/* Round-robin over the sessions, one record each, until the log is
	 * long enough; then every session finishes its page, so that every
	 * transaction commits. */
	while (live && err >= 0) {
		bool stop = ese_logwriter_gen(c.w) - gen + 1 >= files_wanted;

		for (unsigned i = 0; i < p->sessions && err >= 0; i++) {
			bs_session *s = &ss[i];
			bool done = false;

			if (!s->pgno)
				continue;
			if (stop && s->step == BS_BEGIN) {
				s->pgno = 0;    /* page taken but not used */
				live--;
				continue;
			}
			err = bs_step(&c, s, &done, ei);
			if (done) {
				s->pgno = 0;
				live--;
			}
		}
	}
	if (err >= 0)
		err = ese_logwriter_flush(c.w, ei);
	st->gen_first = gen;
	st->gen_last = ese_logwriter_gen(c.w);
	if (err < 0) {
		jr_errinfo discard;

		jr_errinfo_clear(&discard);
		ese_logwriter_close(c.w, &discard);
		goto free_state;
	}
	err = ese_logwriter_close(c.w, ei);
	st->db_bytes = (pages_total + 2) * BS_PAGE;
	st->log_bytes = (uint64_t)(st->gen_last - gen + 1) * p->file_kib * 1024;
free_state:
	free(ss);
	free(tmpl);
	return err;
}
