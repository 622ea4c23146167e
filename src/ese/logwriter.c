/*
 * logwriter.c - writing log files segment by segment with ESE's placement
 * rules (see logwriter.h and logseg.h). Memory: one segment buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ese/logseg.h"
#include "ese/logwriter.h"
#include "ese/lrtyp.h"
#include "util/bytes.h"
#include "util/io.h"

struct ese_logwriter {
	ese_logwriter_params p;
	char *dir;
	char *base;
	ese_loghdr *tmpl;           /* header every file starts from */

	uint32_t gen;
	ese_logtime tm_create;      /* of gen */
	ese_logtime tm_prev;        /* of gen-1 */
	uint64_t prev_acc;          /* checksumPrevLogAllSegments for gen */
	uint64_t acc;               /* XOR of gen's segment checksums */

	int fd;                     /* -1 when no file is open */
	char *tmp_path;
	uint16_t isec;              /* segment being filled */
	uint16_t ib;                /* next free byte in seg */
	ese_lgpos pos;              /* ESE's position of the next record:
				     * where the last one ended */
	uint8_t seg[ESE_LOGSEG_SIZE];
	JET_ERR sticky;
};

void ese_logwriter_params_init(ese_logwriter_params *p, const char *dir,
			       const char *base, uint32_t first_gen,
			       const ese_signature *sign_log)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->base = base;
	p->first_gen = first_gen;
	p->csec_lgfile = 16;
	if (sign_log)
		p->sign_log = *sign_log;
	p->start_time.year = 125;
	p->start_time.month = 1;
	p->start_time.day = 1;
	p->start_time.flags1 = 0x01;   /* UTC */
	p->current_as_base = true;
}

static unsigned days_in_month(unsigned month, unsigned year)
{
	static const unsigned char d[12] = { 31, 28, 31, 30, 31, 30,
					     31, 31, 30, 31, 30, 31 };
	unsigned y = year + 1900;

	if (month < 1 || month > 12)
		return 31;
	if (month == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[month - 1];
}

/* t + 1 second (LOGTIME months are 1..12 as Windows writes them). */
static void logtime_next_second(ese_logtime *t)
{
	if (++t->sec < 60)
		return;
	t->sec = 0;
	if (++t->min < 60)
		return;
	t->min = 0;
	if (++t->hour < 24)
		return;
	t->hour = 0;
	if (++t->day <= days_in_month(t->month, t->year))
		return;
	t->day = 1;
	if (++t->month <= 12)
		return;
	t->month = 1;
	t->year++;
}

static char *final_name(const ese_logwriter *w, uint32_t gen, bool current)
{
	char *name = current ?
		g_strdup_printf("%s.log", w->base) :
		g_strdup_printf("%s%0*X.log", w->base, gen > 0xFFFFF ? 8 : 5,
				(unsigned)gen);
	char *path = g_build_filename(w->dir, name, NULL);

	g_free(name);
	return path;
}

static uint16_t last_data_isec(const ese_logwriter *w)
{
	return (uint16_t)(w->p.csec_lgfile - 2);
}

static JET_ERR start_file(ese_logwriter *w, jr_errinfo *ei)
{
	char *name = g_strdup_printf(".%s-gen%08X.jrtmp", w->base,
				     (unsigned)w->gen);

	w->tmp_path = g_build_filename(w->dir, name, NULL);
	g_free(name);
	w->fd = open(w->tmp_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		     0644);
	if (w->fd < 0)
		return jr_fail(ei, errno == ENOSPC ? JET_errDiskFull :
			       JET_errDiskIO, "%s: %s", w->tmp_path,
			       strerror(errno));
	/* the whole file exists from the start, zero-filled, as ESE makes
	 * new log files */
	if (ftruncate(w->fd, (off_t)w->p.csec_lgfile * ESE_LOGSEG_SIZE) != 0)
		return jr_fail(ei, JET_errDiskIO, "%s: %s", w->tmp_path,
			       strerror(errno));
	w->acc = 0;
	w->isec = 1;
	w->ib = ESE_LOGSEG_HDR_SIZE;
	w->pos.gen = w->gen;
	w->pos.isec = 1;
	w->pos.ib = 0;
	memset(w->seg, 0, sizeof(w->seg));
	return JET_errSuccess;
}

/* Seal and write seg at sector isec; with shadow also at isec+1. */
static JET_ERR write_segment(ese_logwriter *w, bool shadow, jr_errinfo *ei)
{
	uint64_t sum = ese_logseg_seal(w->seg, w->gen, w->isec, &w->tm_create);
	JET_ERR err;

	err = jr_pwrite_full(w->fd, w->seg, ESE_LOGSEG_SIZE,
			     (uint64_t)w->isec * ESE_LOGSEG_SIZE, ei);
	if (err >= 0 && shadow && w->isec + 1 < w->p.csec_lgfile)
		err = jr_pwrite_full(w->fd, w->seg, ESE_LOGSEG_SIZE,
				     (uint64_t)(w->isec + 1) * ESE_LOGSEG_SIZE,
				     ei);
	w->acc ^= sum;
	return err;
}

/* Move on to the next segment after writing the full current one. */
static JET_ERR next_segment(ese_logwriter *w, jr_errinfo *ei)
{
	JET_ERR err = write_segment(w, false, ei);

	if (err < 0)
		return err;
	if (w->isec >= last_data_isec(w))
		return jr_fail(ei, JET_errInvalidParameter,
			       "log writer: data area of generation 0x%X "
			       "overrun", (unsigned)w->gen);
	w->isec++;
	w->ib = ESE_LOGSEG_HDR_SIZE;
	memset(w->seg, 0, sizeof(w->seg));
	return JET_errSuccess;
}

static JET_ERR finish_file(ese_logwriter *w, bool current, jr_errinfo *ei)
{
	ese_loghdr *h = g_new(ese_loghdr, 1);
	uint8_t hbuf[ESE_LOGHDR_SIZE];
	char *path = NULL;
	JET_ERR err = JET_errSuccess;

	/* the partial last segment, with its shadow when closing */
	if (w->ib > ESE_LOGSEG_HDR_SIZE)
		err = write_segment(w, current, ei);
	if (err < 0)
		goto out;
	*h = *w->tmpl;
	h->gen = w->gen;
	h->tm_create = w->tm_create;
	h->tm_prev_gen = w->tm_prev;
	h->checksum_prev_log = w->prev_acc;
	ese_loghdr_write(h, hbuf);
	err = jr_pwrite_full(w->fd, hbuf, sizeof(hbuf), 0, ei);
	if (err < 0)
		goto out;
	if (fsync(w->fd) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: fsync: %s", w->tmp_path,
			      strerror(errno));
		goto out;
	}
	close(w->fd);
	w->fd = -1;
	path = final_name(w, w->gen, current && w->p.current_as_base);
	if (g_rename(w->tmp_path, path) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "rename %s: %s", path,
			      strerror(errno));
		goto out;
	}
	g_free(w->tmp_path);
	w->tmp_path = NULL;
	/* the chain into the next generation */
	w->prev_acc = w->acc;
	w->tm_prev = w->tm_create;
	logtime_next_second(&w->tm_create);
	w->gen++;
out:
	g_free(path);
	g_free(h);
	return err;
}

JET_ERR ese_logwriter_open(const ese_logwriter_params *p,
			   ese_logwriter **out, jr_errinfo *ei)
{
	ese_logwriter *w;
	JET_ERR err;

	if (!p || !p->dir || !p->base || !*p->base || p->first_gen == 0 ||
	    p->csec_lgfile < 4)
		return jr_fail(ei, JET_errInvalidParameter,
			       "log writer: directory, base name, first "
			       "generation >= 1 and files of >= 4 sectors "
			       "are needed");
	if (!g_file_test(p->dir, G_FILE_TEST_IS_DIR))
		return jr_fail(ei, JET_errInvalidPath, "%s: not a directory",
			       p->dir);
	w = g_new0(ese_logwriter, 1);
	w->p = *p;
	w->dir = g_strdup(p->dir);
	w->base = g_strdup(p->base);
	w->p.dir = w->dir;
	w->p.base = w->base;
	w->tmpl = g_new(ese_loghdr, 1);
	if (p->template_hdr) {
		*w->tmpl = *p->template_hdr;
		w->p.template_hdr = NULL;
	} else {
		ese_loghdr_init(w->tmpl, p->first_gen, p->csec_lgfile,
				&p->sign_log);
		w->tmpl->lg_flags = ESE_LGFLAG_CIRCULAR |
				    ESE_LGFLAG_CIRCULAR_HISTORY;
		w->tmpl->lgpos_checkpoint.gen = p->first_gen;
		w->tmpl->lgpos_checkpoint.isec = 1;
	}
	w->tmpl->cb_sec = ESE_LOG_SECTOR_SIZE;
	w->tmpl->csec_header = 1;
	w->tmpl->csec_lgfile = p->csec_lgfile;
	w->tmpl->sign_log = p->sign_log;
	w->tmpl->filetype = ESE_FILETYPE_LOG;
	w->gen = p->first_gen;
	w->tm_create = p->start_time;
	w->tm_prev = p->prev_gen_time;
	w->prev_acc = p->prev_checksum;
	w->fd = -1;
	err = start_file(w, ei);
	if (err < 0) {
		w->sticky = err;
		ese_logwriter_close(w, NULL);
		return err;
	}
	*out = w;
	return JET_errSuccess;
}

uint32_t ese_logwriter_gen(const ese_logwriter *w)
{
	return w->gen;
}

ese_lgpos ese_logwriter_pos(const ese_logwriter *w)
{
	return w->pos;
}

ese_lgpos ese_logwriter_tail(const ese_logwriter *w)
{
	ese_lgpos p = { w->ib, w->isec, w->gen };

	return p;
}

/* Where a record of len bytes placed at (isec, ib) would end; the
 * placement rules of ESE's FLGIAddLogRec. */
static void simulate(uint32_t isec, uint32_t ib, uint32_t len,
		     uint32_t *end_isec, uint32_t *end_ib)
{
	uint32_t rem = ESE_LOGSEG_SIZE - ib, left;

	if (len <= rem) {
		*end_isec = isec;
		*end_ib = ib + len;
		return;
	}
	if (rem < ESE_LOGSEG_MIN_FRAGMENT) {
		isec++;
		ib = ESE_LOGSEG_HDR_SIZE;
		rem = ESE_LOGSEG_DATA_SIZE;
		if (len <= rem) {
			*end_isec = isec;
			*end_ib = ib + len;
			return;
		}
	}
	left = len - (rem - ESE_LR_FRAGMENT_BEGIN_SIZE);
	while (left > 0) {
		uint32_t piece = ESE_LOGSEG_DATA_SIZE - ESE_LR_FRAGMENT_SIZE;

		if (piece > left)
			piece = left;
		isec++;
		ib = ESE_LOGSEG_HDR_SIZE + ESE_LR_FRAGMENT_SIZE + piece;
		left -= piece;
	}
	*end_isec = isec;
	*end_ib = ib;
}

/* ESE starts a new generation unless the record ends before the last
 * byte of the last data segment. */
static bool fits(const ese_logwriter *w, uint32_t isec, uint32_t ib,
		 uint32_t len)
{
	uint32_t ei_, eb;

	simulate(isec, ib, len, &ei_, &eb);
	return ei_ < last_data_isec(w) ||
	       (ei_ == last_data_isec(w) && eb < ESE_LOGSEG_SIZE);
}

static JET_ERR put(ese_logwriter *w, const uint8_t *src, uint32_t n,
		   jr_errinfo *ei)
{
	memcpy(w->seg + w->ib, src, n);
	w->ib = (uint16_t)(w->ib + n);
	if (w->ib == ESE_LOGSEG_SIZE)
		return next_segment(w, ei);
	return JET_errSuccess;
}

static JET_ERR place(ese_logwriter *w, const uint8_t *rec, uint32_t len,
		     jr_errinfo *ei)
{
	uint32_t rem = ESE_LOGSEG_SIZE - w->ib, done, piece;
	uint8_t fh[ESE_LR_FRAGMENT_BEGIN_SIZE];
	JET_ERR err;

	if (len <= rem)
		return put(w, rec, len, ei);
	if (rem < ESE_LOGSEG_MIN_FRAGMENT) {
		/* NOP fill: the buffer is already zero past ib */
		err = next_segment(w, ei);
		if (err < 0)
			return err;
		rem = ESE_LOGSEG_DATA_SIZE;
		if (len <= rem)
			return put(w, rec, len, ei);
	}
	piece = rem - ESE_LR_FRAGMENT_BEGIN_SIZE;
	fh[0] = ESE_LRTYP_FRAGMENT_BEGIN;
	jr_put_le32(fh + 1, len);
	jr_put_le16(fh + 5, (uint16_t)piece);
	memcpy(w->seg + w->ib, fh, ESE_LR_FRAGMENT_BEGIN_SIZE);
	w->ib = (uint16_t)(w->ib + ESE_LR_FRAGMENT_BEGIN_SIZE);
	err = put(w, rec, piece, ei);
	for (done = piece; err >= 0 && done < len; done += piece) {
		piece = ESE_LOGSEG_DATA_SIZE - ESE_LR_FRAGMENT_SIZE;
		if (piece > len - done)
			piece = len - done;
		fh[0] = ESE_LRTYP_FRAGMENT;
		jr_put_le16(fh + 1, (uint16_t)piece);
		memcpy(w->seg + w->ib, fh, ESE_LR_FRAGMENT_SIZE);
		w->ib = (uint16_t)(w->ib + ESE_LR_FRAGMENT_SIZE);
		err = put(w, rec + done, piece, ei);
	}
	return err;
}

static JET_ERR roll(ese_logwriter *w, jr_errinfo *ei)
{
	JET_ERR err = finish_file(w, false, ei);

	if (err >= 0)
		err = start_file(w, ei);
	return err;
}

JET_ERR ese_logwriter_append(ese_logwriter *w, const uint8_t *rec,
			     size_t len, ese_lgpos *lgpos, jr_errinfo *ei)
{
	uint32_t size;
	JET_ERR err;

	if (w->sticky)
		return jr_fail(ei, w->sticky, "log writer failed earlier");
	if (!rec || len == 0 || rec[0] == ESE_LRTYP_NOP ||
	    rec[0] == ESE_LRTYP_FRAGMENT_BEGIN ||
	    rec[0] == ESE_LRTYP_FRAGMENT)
		return jr_fail(ei, JET_errInvalidParameter,
			       "log writer: not a loggable record");
	if (ese_lr_size(rec, len, &size, NULL) < 0 || size != len)
		return jr_fail(ei, JET_errInvalidParameter,
			       "log writer: %s record of %zu bytes, its "
			       "fields say %u", ese_lrtyp_name(rec[0]), len,
			       (unsigned)size);
	if (!fits(w, 1, ESE_LOGSEG_HDR_SIZE, size))
		return jr_fail(ei, JET_errInvalidParameter,
			       "log writer: %s record of %u bytes does not fit "
			       "a log file of %u sectors",
			       ese_lrtyp_name(rec[0]), (unsigned)size,
			       w->p.csec_lgfile);
	if (!fits(w, w->isec, w->ib, size)) {
		err = roll(w, ei);
		if (err < 0)
			goto fail;
	}
	if (lgpos)
		*lgpos = w->pos;
	err = place(w, rec, size, ei);
	if (err < 0)
		goto fail;
	w->pos.gen = w->gen;
	w->pos.isec = w->isec;
	w->pos.ib = w->ib == ESE_LOGSEG_HDR_SIZE ? 0 : w->ib;
	return JET_errSuccess;
fail:
	w->sticky = err;
	return err;
}

JET_ERR ese_logwriter_flush(ese_logwriter *w, jr_errinfo *ei)
{
	uint32_t rem = ESE_LOGSEG_SIZE - w->ib;
	uint8_t nop2[ESE_LOGSEG_DATA_SIZE];

	if (w->sticky)
		return jr_fail(ei, w->sticky, "log writer failed earlier");
	if (w->ib == ESE_LOGSEG_HDR_SIZE || rem < ESE_LR_IGNORED_SIZE ||
	    !fits(w, w->isec, w->ib, rem))
		return JET_errSuccess;
	memset(nop2, 0, rem);
	nop2[0] = ESE_LRTYP_NOP2;
	jr_put_le32(nop2 + 1, rem - ESE_LR_IGNORED_SIZE);
	return ese_logwriter_append(w, nop2, rem, NULL, ei);
}

JET_ERR ese_logwriter_end_segment(ese_logwriter *w, jr_errinfo *ei)
{
	JET_ERR err;

	if (w->sticky)
		return jr_fail(ei, w->sticky, "log writer failed earlier");
	if (w->ib == ESE_LOGSEG_HDR_SIZE)
		return JET_errSuccess;
	if (w->isec >= last_data_isec(w))
		return ese_logwriter_new_generation(w, ei);
	err = next_segment(w, ei);
	if (err < 0)
		w->sticky = err;
	return err;
}

JET_ERR ese_logwriter_new_generation(ese_logwriter *w, jr_errinfo *ei)
{
	JET_ERR err;

	if (w->sticky)
		return jr_fail(ei, w->sticky, "log writer failed earlier");
	err = roll(w, ei);
	if (err < 0)
		w->sticky = err;
	return err;
}

JET_ERR ese_logwriter_close(ese_logwriter *w, jr_errinfo *ei)
{
	JET_ERR err;

	if (!w)
		return JET_errSuccess;
	err = w->sticky;
	if (err >= 0 && w->fd >= 0)
		err = finish_file(w, true, ei);
	else if (err < 0)
		jr_fail(ei, err, "log writer failed earlier");
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp_path) {
		g_unlink(w->tmp_path);
		g_free(w->tmp_path);
	}
	g_free(w->dir);
	g_free(w->base);
	g_free(w->tmpl);
	g_free(w);
	return err;
}
