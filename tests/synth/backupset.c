/*
 * backupset.c - streaming-backup sets for tests (see backupset.h).
 */
#include "synth/backupset.h"

#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "restore/logchain.h"
#include "restore/scan.h"
#include "util/io.h"

void jr_bkset_log_name(const char *base, unsigned digits, uint32_t gen,
		       char *out, size_t n)
{
	snprintf(out, n, "%s%0*X.log", base, (int)digits, gen);
}

static JET_ERR jr_slurp(const char *path, uint8_t **buf, size_t *len,
			jr_errinfo *ei)
{
	gchar *b = NULL;
	gsize l = 0;

	*buf = NULL;
	*len = 0;
	if (!g_file_get_contents(path, &b, &l, NULL))
		return jr_fail(ei, JET_errFileNotFound, "cannot read %s", path);
	*buf = (uint8_t *)b;
	*len = l;
	return JET_errSuccess;
}

static JET_ERR jr_spit(const char *path, const uint8_t *buf, size_t len,
		       jr_errinfo *ei)
{
	if (!g_file_set_contents(path, (const gchar *)buf, (gssize)len, NULL))
		return jr_fail(ei, JET_errDiskIO, "cannot write %s", path);
	return JET_errSuccess;
}

static JET_ERR jr_copy(const char *src, const char *dst, jr_errinfo *ei)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	JET_ERR err = jr_slurp(src, &buf, &len, ei);

	if (err < 0)
		return err;
	err = jr_spit(dst, buf, len, ei);
	g_free(buf);
	return err;
}

JET_ERR jr_bkset_edit_db_header(const char *path, jr_bkset_db_edit edit,
				void *ctx, jr_errinfo *ei)
{
	ese_dbheader_read_result r;
	uint8_t *buf = NULL;
	size_t len = 0;
	JET_ERR err = jr_slurp(path, &buf, &len, ei);

	if (err < 0)
		return err;
	err = ese_dbheader_read(buf, len, &r, ei);
	if (err < 0)
		goto free_buf;
	edit(&r.hdr, ctx);
	err = ese_dbheader_write_pair(&r.hdr, buf, r.page_size);
	if (err < 0)
		goto free_buf;
	err = jr_spit(path, buf, len, ei);
free_buf:
	g_free(buf);
	return err;
}

JET_ERR jr_bkset_edit_trailer(const char *path, uint32_t page_size,
			      jr_bkset_trailer_edit edit, void *ctx,
			      jr_errinfo *ei)
{
	ese_patchpage pp;
	uint8_t *buf = NULL;
	size_t len = 0;
	JET_ERR err = jr_slurp(path, &buf, &len, ei);

	if (err < 0)
		return err;
	if (len < 3 * (size_t)page_size) {
		err = jr_fail(ei, JET_errInvalidParameter, "%s is too short",
			      path);
		goto free_buf;
	}
	/* A damaged trailer may be edited too: the checksum is ignored. */
	(void)ese_patchpage_parse(buf + len - page_size, page_size, &pp, NULL);
	edit(&pp, ctx);
	err = ese_patchpage_write(&pp, buf + len - page_size, page_size);
	if (err < 0)
		goto free_buf;
	err = jr_spit(path, buf, len, ei);
free_buf:
	g_free(buf);
	return err;
}

JET_ERR jr_bkset_edit_log_header(const char *path, jr_bkset_log_edit edit,
				 void *ctx, jr_errinfo *ei)
{
	ese_loghdr *h = g_new0(ese_loghdr, 1);
	uint8_t *buf = NULL;
	size_t len = 0;
	JET_ERR err = jr_slurp(path, &buf, &len, ei);

	if (err < 0)
		goto free_hdr;
	err = ese_loghdr_parse(buf, len, h, ei);
	if (err < 0)
		goto free_buf;
	edit(h, ctx);
	ese_loghdr_write(h, buf);
	err = jr_spit(path, buf, len, ei);
free_buf:
	g_free(buf);
free_hdr:
	g_free(h);
	return err;
}

JET_ERR jr_bkset_flip(const char *path, uint64_t offset, uint8_t mask,
		      jr_errinfo *ei)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	JET_ERR err = jr_slurp(path, &buf, &len, ei);

	if (err < 0)
		return err;
	if (offset >= len) {
		err = jr_fail(ei, JET_errInvalidParameter, "%s: offset %llu "
			      "past the end", path, (unsigned long long)offset);
	} else {
		buf[offset] ^= mask;
		err = jr_spit(path, buf, len, ei);
	}
	g_free(buf);
	return err;
}

static void jr_no_circular(ese_loghdr *h, void *ctx)
{
	(void)ctx;
	h->lg_flags &= (uint8_t)~(ESE_LGFLAG_CIRCULAR |
				  ESE_LGFLAG_CIRCULAR_HISTORY);
}

static JET_ERR jr_place_log(const jr_bkset_params *p, const char *src,
			    const char *dir, const char *name, jr_errinfo *ei)
{
	char *dst = g_build_filename(dir, name, NULL);
	JET_ERR err = jr_copy(src, dst, ei);

	if (err >= 0 && p->clear_circular)
		err = jr_bkset_edit_log_header(dst, jr_no_circular, NULL, ei);
	g_free(dst);
	return err;
}

/* The database copy: backup info in the header, the trailer appended. */
static JET_ERR jr_write_copy(const jr_bkset_params *p, const ese_bkinfo *bk,
			     jr_errinfo *ei)
{
	char *src = g_build_filename(p->set_dir, p->db_name, NULL);
	char *dst = g_build_filename(p->backup_dir,
				     p->copy_name ? p->copy_name : p->db_name,
				     NULL);
	ese_dbheader_read_result r;
	ese_patchpage pp;
	uint8_t *buf = NULL, *out = NULL;
	size_t len = 0;
	uint32_t ps;
	JET_ERR err;

	err = jr_slurp(src, &buf, &len, ei);
	if (err < 0)
		goto free_names;
	err = ese_dbheader_read(buf, len, &r, ei);
	if (err < 0)
		goto free_buf;
	ps = r.page_size;
	out = g_malloc0(len + ps);
	memcpy(out, buf, len);
	r.hdr.bk_full_cur = *bk;
	if (!p->no_trailer)
		r.hdr.bk_full_cur.gen_high = 0;
	err = ese_dbheader_write_pair(&r.hdr, out, ps);
	if (err < 0)
		goto free_out;
	if (p->no_trailer) {
		err = jr_spit(dst, out, len, ei);
		goto free_out;
	}
	ese_patchpage_from_header(&r.hdr, bk, &pp);
	err = ese_patchpage_write(&pp, out + len, ps);
	if (err < 0)
		goto free_out;
	err = jr_spit(dst, out, len + ps, ei);
free_out:
	g_free(out);
free_buf:
	g_free(buf);
free_names:
	g_free(src);
	g_free(dst);
	return err;
}

JET_ERR jr_bkset_build(const jr_bkset_params *p, ese_bkinfo *bk_out,
		       jr_errinfo *ei)
{
	jr_scan *s = NULL;
	jr_logchain c;
	ese_bkinfo bk;
	uint32_t lo, hi;
	char name[64];
	JET_ERR err;

	err = jr_scan_dir(p->set_dir, &s, ei);
	if (err < 0)
		return err;
	err = jr_logchain_build(s, p->base, &c, ei);
	if (err < 0)
		goto free_scan;
	lo = p->gen_low ? p->gen_low : c.gen_low;
	hi = p->gen_high ? p->gen_high : c.gen_high;
	if (c.n == 0 || lo < c.gen_low || hi > c.gen_high || lo > hi) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "range 0x%X-0x%X not in the set's 0x%X-0x%X", lo,
			      hi, c.gen_low, c.gen_high);
		goto free_chain;
	}
	/* The mark: where the backup began (the first record of genLow),
	 * at the time genLow was created. */
	memset(&bk, 0, sizeof(bk));
	bk.lgpos_mark.gen = lo;
	bk.lgpos_mark.isec = 1;
	bk.logtime_mark = c.by_gen[lo - c.gen_low]->log->tm_create;
	bk.gen_low = lo;
	bk.gen_high = hi;
	if (bk_out)
		*bk_out = bk;
	err = jr_write_copy(p, &bk, ei);
	if (err < 0)
		goto free_chain;
	for (uint32_t g = lo; g <= hi && err >= 0; g++) {
		jr_bkset_log_name(p->base, c.name_digits, g, name, sizeof(name));
		err = jr_place_log(p, c.by_gen[g - c.gen_low]->path,
				   p->backup_dir, name, ei);
	}
	if (err < 0 || !p->target_dir)
		goto free_chain;
	for (uint32_t g = hi + 1; g <= c.gen_high && err >= 0; g++) {
		if (g == c.gen_high && c.current)
			snprintf(name, sizeof(name), "%s.log", p->base);
		else
			jr_bkset_log_name(p->base, c.name_digits, g, name,
					  sizeof(name));
		err = jr_place_log(p, c.by_gen[g - c.gen_low]->path,
				   p->target_dir, name, ei);
	}
	if (err >= 0) {
		char *src, *dst;

		snprintf(name, sizeof(name), "%s.chk", p->base);
		src = g_build_filename(p->set_dir, name, NULL);
		dst = g_build_filename(p->target_dir, name, NULL);
		if (g_file_test(src, G_FILE_TEST_EXISTS))
			err = jr_copy(src, dst, ei);
		g_free(src);
		g_free(dst);
	}
free_chain:
	jr_logchain_clear(&c);
free_scan:
	jr_scan_free(s);
	return err;
}
