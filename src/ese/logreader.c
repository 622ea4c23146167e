/*
 * logreader.c - streaming reader of log records across generations.
 *
 * The reader is a small state machine: a source (the files of a range, an
 * explicit list, or one image in memory) yields files in order; each file
 * is checked against the previous one (signature, generation, time and
 * checksum chains), then read segment by segment; each segment is walked
 * item by item; fragments are gathered into one buffer. Nothing is read
 * ahead beyond one segment, except when a segment's data has ended: the
 * rest of the file is then scanned once, a segment at a time, to make sure
 * no valid segment follows (ESE's rule).
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ese/logreader.h"
#include "ese/logseg.h"
#include "ese/lrtyp.h"
#include "util/bytes.h"
#include "util/io.h"

#define JR_LOGREADER_WINDOW (256u * 1024u)

enum source_kind { SRC_RANGE, SRC_FILES, SRC_MEM };

struct ese_logreader {
	ese_logreader_opts opts;

	/* where files come from */
	enum source_kind kind;
	char *dir;
	char *base;
	uint32_t gen_last;          /* SRC_RANGE; 0 = through <base>.log */
	char **paths;               /* SRC_FILES */
	size_t npaths;
	size_t ipath;
	const uint8_t *mem;         /* SRC_MEM */
	size_t mem_len;
	char *mem_name;
	bool mem_used;

	/* the sequence */
	bool have_next_gen;
	uint32_t next_gen;
	bool done;                  /* no more files */
	bool read_current;          /* SRC_RANGE: <base>.log has been read */
	JET_ERR sticky;             /* first failure, returned again */
	bool have_sign;
	ese_signature sign;
	bool have_prev;
	ese_logtime prev_tm_create;
	uint16_t prev_cb_sec;
	uint64_t prev_acc;          /* XOR of the previous file's segments */

	/* the file being read */
	bool file_open;
	int fd;                     /* -1 for memory */
	char *name;                 /* base name, for details and records */
	ese_loghdr *hdr;
	uint64_t acc;               /* XOR of this file's segment checksums */
	uint16_t isec;              /* segment in seg[] */
	uint16_t ib;                /* next item in seg[] */
	bool seg_loaded;
	ese_lgpos pos;              /* end of the previous record */
	uint8_t seg[ESE_LOGSEG_SIZE];
	uint8_t scratch[ESE_LOGSEG_SIZE];
	/* Read-ahead window over the open file: sectors are read 256 KiB at
	 * a time (one system call per 64 segments, into an aligned buffer),
	 * then copied out; memory stays fixed. */
	uint8_t *win;
	uint64_t win_off;
	size_t win_len;

	/* a fragmented record being gathered */
	bool in_frag;
	uint8_t *asm_buf;
	uint32_t asm_cap;
	uint32_t asm_total;
	uint32_t asm_seen;
	uint32_t asm_pieces;
	ese_lgpos frag_lgpos;
	ese_lgpos frag_data;

	ese_logreader_stats stats;
};

void ese_logreader_opts_init(ese_logreader_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->return_nop2 = true;
}

static ese_logreader *reader_new(const ese_logreader_opts *opts)
{
	ese_logreader *r = g_new0(ese_logreader, 1);

	if (opts)
		r->opts = *opts;
	else
		ese_logreader_opts_init(&r->opts);
	if (r->opts.sign_log) {
		r->sign = *r->opts.sign_log;
		r->have_sign = true;
		r->opts.sign_log = NULL;  /* copied: no pointer kept */
	}
	r->fd = -1;
	r->hdr = g_new0(ese_loghdr, 1);
	if (posix_memalign((void **)&r->win, 4096, JR_LOGREADER_WINDOW) != 0)
		g_error("out of memory for the log read window");
	return r;
}

static char *fmt_lgpos(const ese_lgpos *p, char *buf, size_t n)
{
	return ese_lgpos_format(p, buf, n);
}

/* ---- file sources ---- */

static bool file_exists(const char *path)
{
	return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* Path of archived generation gen of the range, or NULL. */
static char *find_archived(const ese_logreader *r, uint32_t gen)
{
	static const int widths[] = { 5, 8 };  /* ESE's two naming schemes */
	static const char *const exts[] = { "log", "jtx" };

	for (size_t e = 0; e < G_N_ELEMENTS(exts); e++) {
		for (size_t f = 0; f < G_N_ELEMENTS(widths); f++) {
			char *name, *path;

			if (f == 0 && gen > 0xFFFFF)
				continue;
			name = g_strdup_printf("%s%0*X.%s", r->base, widths[f],
					       (unsigned)gen, exts[e]);
			path = g_build_filename(r->dir, name, NULL);
			g_free(name);
			if (file_exists(path))
				return path;
			g_free(path);
		}
	}
	return NULL;
}

/* Path of the current log <base>.log / .jtx, or NULL. */
static char *find_current(const ese_logreader *r)
{
	static const char *const exts[] = { "log", "jtx" };

	for (size_t e = 0; e < G_N_ELEMENTS(exts); e++) {
		char *name = g_strdup_printf("%s.%s", r->base, exts[e]);
		char *path = g_build_filename(r->dir, name, NULL);

		g_free(name);
		if (file_exists(path))
			return path;
		g_free(path);
	}
	return NULL;
}

/* Generation in the header of path, or false when it cannot be read. */
static bool peek_gen(const char *path, uint32_t *gen)
{
	ese_loghdr *h = g_new0(ese_loghdr, 1);
	bool ok = ese_loghdr_read_file(path, h, NULL, NULL) == JET_errSuccess;

	if (ok)
		*gen = h->gen;
	g_free(h);
	return ok;
}

/*
 * The path of the next file of the range, NULL at its end; -528/-565 when
 * a generation is missing.
 */
static JET_ERR next_range_path(ese_logreader *r, char **path_out,
			       jr_errinfo *ei)
{
	uint32_t gen = r->next_gen, cur_gen;
	char *path, *cur;

	*path_out = NULL;
	if (r->gen_last != ESE_LOGREADER_GEN_CURRENT && gen > r->gen_last)
		return JET_errSuccess;
	if (r->read_current) {
		if (r->gen_last == ESE_LOGREADER_GEN_CURRENT)
			return JET_errSuccess;
		return jr_fail(ei, JET_errMissingLogFile,
			       "%s: log generation 0x%X is missing: the current "
			       "log %s.log holds 0x%X", r->dir, (unsigned)gen,
			       r->base, (unsigned)(gen - 1));
	}
	path = find_archived(r, gen);
	if (path) {
		*path_out = path;
		return JET_errSuccess;
	}
	cur = find_current(r);
	if (cur && peek_gen(cur, &cur_gen) && cur_gen == gen) {
		r->read_current = true;
		*path_out = cur;
		return JET_errSuccess;
	}
	g_free(cur);
	if (!cur && r->gen_last == ESE_LOGREADER_GEN_CURRENT)
		return jr_fail(ei, JET_errMissingCurrentLogFiles,
			       "%s: generation 0x%X not found and no current "
			       "log %s.log", r->dir, (unsigned)gen, r->base);
	return jr_fail(ei, JET_errMissingLogFile,
		       "%s: log generation 0x%X (%s%05X.log) is missing",
		       r->dir, (unsigned)gen, r->base, (unsigned)gen);
}

/* ---- sectors ---- */

static JET_ERR read_sector(ese_logreader *r, uint16_t isec, uint8_t *buf,
			   jr_errinfo *ei)
{
	uint64_t off = (uint64_t)isec * ESE_LOGSEG_SIZE;

	if (r->fd < 0) {
		if (off + ESE_LOGSEG_SIZE > r->mem_len)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "%s: sector %u lies past the end",
				       r->name, isec);
		memcpy(buf, r->mem + off, ESE_LOGSEG_SIZE);
		return JET_errSuccess;
	}
	if (off < r->win_off || off + ESE_LOGSEG_SIZE > r->win_off + r->win_len) {
		/* Refill the window from off; a short read at the end of the
		 * file is fine as long as the sector itself is there. */
		size_t got = 0;

		while (got < JR_LOGREADER_WINDOW) {
			ssize_t n = pread(r->fd, r->win + got,
					  JR_LOGREADER_WINDOW - got,
					  (off_t)(off + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return jr_fail(ei, JET_errDiskIO,
					       "%s: read at offset %llu: %s",
					       r->name,
					       (unsigned long long)(off + got),
					       strerror(errno));
			if (n == 0)
				break;
			got += (size_t)n;
		}
		r->win_off = off;
		r->win_len = got;
		if (got < ESE_LOGSEG_SIZE)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "%s: file ends before offset %llu",
				       r->name, (unsigned long long)(off +
						ESE_LOGSEG_SIZE));
	}
	memcpy(buf, r->win + (off - r->win_off), ESE_LOGSEG_SIZE);
	return JET_errSuccess;
}

/* ---- opening files ---- */

static void close_file(ese_logreader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->win_len = 0;
	r->win_off = 0;
	r->file_open = false;
	r->seg_loaded = false;
}

/* Checks of a new file against the sequence (see logreader.h). */
static JET_ERR check_sequence(ese_logreader *r, uint64_t size,
			      jr_errinfo *ei)
{
	const ese_loghdr *h = r->hdr;

	if (r->have_sign && !ese_signature_equal(&h->sign_log, &r->sign)) {
		char a[ESE_SIGNATURE_STRLEN], b[ESE_SIGNATURE_STRLEN];

		return jr_fail(ei, JET_errBadLogSignature,
			       "%s: log signature %s differs from the "
			       "sequence's %s", r->name,
			       ese_signature_format(&h->sign_log, a, sizeof(a)),
			       ese_signature_format(&r->sign, b, sizeof(b)));
	}
	if (r->have_next_gen && h->gen != r->next_gen) {
		if (r->kind == SRC_FILES && h->gen > r->next_gen)
			return jr_fail(ei, JET_errMissingLogFile,
				       "%s: generation 0x%X follows 0x%X: "
				       "generation 0x%X is missing", r->name,
				       (unsigned)h->gen,
				       (unsigned)(r->next_gen - 1),
				       (unsigned)r->next_gen);
		return jr_fail(ei, JET_errLogGenerationMismatch,
			       "%s: header says generation 0x%X where 0x%X "
			       "is expected", r->name, (unsigned)h->gen,
			       (unsigned)r->next_gen);
	}
	if (size != ese_loghdr_file_size(h))
		return jr_fail(ei, JET_errLogFileSizeMismatch,
			       "%s: file has %llu bytes, header says %u "
			       "sectors of %u", r->name,
			       (unsigned long long)size, h->csec_lgfile,
			       h->cb_sec);
	if (r->have_prev) {
		if (h->cb_sec != r->prev_cb_sec)
			return jr_fail(ei, JET_errLogSectorSizeMismatch,
				       "%s: sector size %u after %u", r->name,
				       h->cb_sec, r->prev_cb_sec);
		/* ESE's FSameTime: the 8 bytes, flags included */
		if (memcmp(&h->tm_prev_gen, &r->prev_tm_create,
			   sizeof(ese_logtime)) != 0) {
			char a[ESE_LOGTIME_STRLEN], b[ESE_LOGTIME_STRLEN];

			return jr_fail(ei, JET_errInvalidLogSequence,
				       "%s: previous generation created %s, "
				       "header expects %s", r->name,
				       ese_logtime_format(&r->prev_tm_create,
							  a, sizeof(a)),
				       ese_logtime_format(&h->tm_prev_gen, b,
							  sizeof(b)));
		}
		if (h->checksum_prev_log != 0 &&
		    h->checksum_prev_log != r->prev_acc)
			return jr_fail(ei, JET_errLogSequenceChecksumMismatch,
				       "%s: previous generation's segments "
				       "XOR to 0x%016llx, header records "
				       "0x%016llx", r->name,
				       (unsigned long long)r->prev_acc,
				       (unsigned long long)h->checksum_prev_log);
	}
	return JET_errSuccess;
}

/* Open the next file of the source; sets r->done when there is none. */
static JET_ERR open_next_file(ese_logreader *r, jr_errinfo *ei)
{
	uint8_t hbuf[ESE_LOGHDR_SIZE];
	char *path = NULL;
	uint64_t size = 0;
	JET_ERR err;

	switch (r->kind) {
	case SRC_RANGE:
		err = next_range_path(r, &path, ei);
		if (err < 0)
			return err;
		break;
	case SRC_FILES:
		if (r->ipath < r->npaths)
			path = g_strdup(r->paths[r->ipath++]);
		break;
	case SRC_MEM:
		break;
	}
	g_free(r->name);
	r->name = NULL;
	if (r->kind == SRC_MEM) {
		if (r->mem_used) {
			r->done = true;
			return JET_errSuccess;
		}
		r->mem_used = true;
		r->name = g_strdup(r->mem_name);
		size = r->mem_len;
		if (size < ESE_LOGHDR_SIZE)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "%s: %llu bytes, shorter than a log "
				       "header", r->name,
				       (unsigned long long)size);
		memcpy(hbuf, r->mem, ESE_LOGHDR_SIZE);
	} else {
		if (!path) {
			r->done = true;
			return JET_errSuccess;
		}
		r->name = g_path_get_basename(path);
		err = jr_open_ro(path, &r->fd, ei);
		if (err >= 0)
			err = jr_file_size(r->fd, &size, ei);
		if (err >= 0)
			err = jr_pread_full(r->fd, hbuf, sizeof(hbuf), 0,
					    JET_errLogFileCorrupt, ei);
		g_free(path);
		if (err < 0) {
			jr_errinfo_prefix(ei, "%s", r->name);
			close_file(r);
			return err;
		}
	}
	r->file_open = true;
	r->stats.files++;
	err = ese_loghdr_parse(hbuf, sizeof(hbuf), r->hdr, ei);
	if (err < 0) {
		jr_errinfo_prefix(ei, "%s", r->name);
		return err;
	}
	err = check_sequence(r, size, ei);
	if (err < 0)
		return err;
	if (!r->have_sign) {
		r->sign = r->hdr->sign_log;
		r->have_sign = true;
	}
	r->have_next_gen = true;
	r->next_gen = r->hdr->gen + 1;
	r->acc = 0;
	r->isec = (uint16_t)(r->hdr->csec_header - 1);
	r->ib = ESE_LOGSEG_SIZE;
	r->seg_loaded = false;
	r->pos.gen = r->hdr->gen;
	r->pos.isec = r->hdr->csec_header;
	r->pos.ib = 0;
	return JET_errSuccess;
}

/* After a file's data has ended at segment `end` (exclusive), make sure no
 * later segment up to csecLGFile-2 is valid, ahead or damaged. */
static JET_ERR check_tail(ese_logreader *r, uint16_t end, jr_errinfo *ei)
{
	uint16_t last = (uint16_t)(r->hdr->csec_lgfile - 2);

	for (uint16_t j = end; j <= last; j++) {
		ese_logseg_check c;
		JET_ERR err = read_sector(r, j, r->scratch, ei);

		if (err < 0)
			return err;
		ese_logseg_classify(r->scratch, r->hdr->gen, j, &c);
		if (c.state == ESE_LOGSEG_VALID || c.state == ESE_LOGSEG_AHEAD ||
		    c.state == ESE_LOGSEG_BAD) {
			ese_lgpos at = { 0, j, r->hdr->gen };
			char s[ESE_LGPOS_STRLEN];

			return jr_fail(ei, JET_errLogFileCorrupt,
				       "%s: %s segment at lgpos %s after the "
				       "end of the data (segment %u)", r->name,
				       ese_logseg_state_name(c.state),
				       fmt_lgpos(&at, s, sizeof(s)), end);
		}
	}
	return JET_errSuccess;
}

/*
 * Load segment isec+1 into seg. Returns 1 when loaded, 0 when the file's
 * data has ended (the tail has then been checked), or an error.
 */
static int load_next_segment(ese_logreader *r, jr_errinfo *ei)
{
	uint16_t isec = (uint16_t)(r->isec + 1);
	uint16_t last = (uint16_t)(r->hdr->csec_lgfile - 2);
	ese_lgpos at = { 0, isec, r->hdr->gen };
	char s[ESE_LGPOS_STRLEN];
	ese_logseg_check c;
	JET_ERR err;

	if (isec > last)
		return 0;
	err = read_sector(r, isec, r->seg, ei);
	if (err < 0)
		return err;
	ese_logseg_classify(r->seg, r->hdr->gen, isec, &c);
	if (c.state == ESE_LOGSEG_BAD && c.bad_bit >= 0 &&
	    r->opts.fix_single_bit_errors) {
		r->seg[c.bad_bit / 8] ^= (uint8_t)(1u << (c.bad_bit % 8));
		ese_logseg_classify(r->seg, r->hdr->gen, isec, &c);
		if (c.state == ESE_LOGSEG_VALID)
			r->stats.bits_corrected++;
	}
	if (c.state == ESE_LOGSEG_BAD && isec + 1 < r->hdr->csec_lgfile) {
		/* A torn write of a partial segment: its shadow copy at
		 * isec+1 carries isec's checksum and position. */
		ese_logseg_check sc;

		err = read_sector(r, (uint16_t)(isec + 1), r->scratch, ei);
		if (err < 0)
			return err;
		ese_logseg_classify(r->scratch, r->hdr->gen, isec, &sc);
		if (sc.state == ESE_LOGSEG_VALID) {
			memcpy(r->seg, r->scratch, ESE_LOGSEG_SIZE);
			c = sc;
			r->stats.shadow_repairs++;
		}
	}
	switch (c.state) {
	case ESE_LOGSEG_VALID:
		break;
	case ESE_LOGSEG_SHADOW:
	case ESE_LOGSEG_STALE:
	case ESE_LOGSEG_BLANK:
		err = check_tail(r, (uint16_t)(isec + 1), ei);
		return err < 0 ? err : 0;
	case ESE_LOGSEG_AHEAD: {
		char s2[ESE_LGPOS_STRLEN];

		return jr_fail(ei, JET_errLogFileCorrupt,
			       "%s: segment at lgpos %s claims lgpos %s",
			       r->name, fmt_lgpos(&at, s, sizeof(s)),
			       fmt_lgpos(&c.lgpos, s2, sizeof(s2)));
	}
	case ESE_LOGSEG_BAD:
		if (c.bad_bit >= 0)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "%s: segment checksum mismatch at lgpos "
				       "%s (stored 0x%016llx, computed "
				       "0x%016llx): one flipped bit, at bit %lld "
				       "of the segment (ECC-correctable)",
				       r->name, fmt_lgpos(&at, s, sizeof(s)),
				       (unsigned long long)c.stored,
				       (unsigned long long)c.computed,
				       (long long)c.bad_bit);
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "%s: segment checksum mismatch at lgpos %s "
			       "(stored 0x%016llx, computed 0x%016llx)",
			       r->name, fmt_lgpos(&at, s, sizeof(s)),
			       (unsigned long long)c.stored,
			       (unsigned long long)c.computed);
	}
	r->isec = isec;
	r->ib = ESE_LOGSEG_HDR_SIZE;
	r->seg_loaded = true;
	r->acc ^= c.stored;
	r->stats.segments++;
	r->stats.inuse_bytes += ESE_LOGSEG_SIZE;
	r->stats.header_bytes += ESE_LOGSEG_HDR_SIZE;
	return 1;
}

/* The last file of the source? (Decides how a cut-off fragment counts.) */
static bool is_last_source(const ese_logreader *r)
{
	switch (r->kind) {
	case SRC_RANGE:
		return r->read_current ||
		       (r->gen_last != ESE_LOGREADER_GEN_CURRENT &&
			r->next_gen > r->gen_last);
	case SRC_FILES:
		return r->ipath >= r->npaths;
	case SRC_MEM:
		return true;
	}
	return true;
}

static JET_ERR end_of_file(ese_logreader *r, jr_errinfo *ei)
{
	if (r->in_frag) {
		if (!is_last_source(r)) {
			char s[ESE_LGPOS_STRLEN];

			return jr_fail(ei, JET_errLogFileCorrupt,
				       "%s: record fragmented at lgpos %s is cut "
				       "off by the end of the file (%u of %u "
				       "bytes)", r->name,
				       fmt_lgpos(&r->frag_data, s, sizeof(s)),
				       (unsigned)r->asm_seen,
				       (unsigned)r->asm_total);
		}
		/* The tail of the last log after a crash: ESE stops before
		 * an incomplete record. */
		r->in_frag = false;
		r->stats.torn_fragments++;
	}
	r->have_prev = true;
	r->prev_tm_create = r->hdr->tm_create;
	r->prev_cb_sec = r->hdr->cb_sec;
	r->prev_acc = r->acc;
	close_file(r);
	return JET_errSuccess;
}

static JET_ERR fail_at(ese_logreader *r, jr_errinfo *ei, const char *what)
{
	ese_lgpos at = { r->ib, r->isec, r->hdr->gen };
	char s[ESE_LGPOS_STRLEN];

	return jr_fail(ei, JET_errLogFileCorrupt, "%s: %s at lgpos %s",
		       r->name, what, fmt_lgpos(&at, s, sizeof(s)));
}

/* Position right after offset ib of the current segment. */
static ese_lgpos pos_after(const ese_logreader *r, uint16_t ib)
{
	ese_lgpos p = { ib, r->isec, r->hdr->gen };

	if (ib >= ESE_LOGSEG_SIZE) {
		p.ib = 0;
		p.isec = (uint16_t)(r->isec + 1);
	}
	return p;
}

static JET_ERR grow_asm(ese_logreader *r, uint32_t need, jr_errinfo *ei)
{
	uint8_t *p;

	if (need <= r->asm_cap)
		return JET_errSuccess;
	p = realloc(r->asm_buf, need);
	if (!p)
		return jr_fail(ei, JET_errOutOfMemory,
			       "%u bytes for a fragmented record",
			       (unsigned)need);
	r->asm_buf = p;
	r->asm_cap = need;
	return JET_errSuccess;
}

static void count_record(ese_logreader *r, uint8_t lrtyp, uint32_t size)
{
	r->stats.records++;
	r->stats.by_type[lrtyp]++;
	if (lrtyp == ESE_LRTYP_NOP2) {
		r->stats.nop2_records++;
		r->stats.nop2_bytes += size;
	}
}

/* Start of a FragmentBegin at r->ib (item size already checked). */
static JET_ERR begin_fragment(ese_logreader *r, const ese_logseg_item *it,
			      jr_errinfo *ei)
{
	const uint8_t *p = r->seg + it->ib;
	uint32_t total = jr_le32(p + 1);
	uint32_t piece = jr_le16(p + 5);
	JET_ERR err;

	if (r->in_frag) {
		/* ESE's one exception: an UndoInfo written at the start of a
		 * segment after a torn fragment from a dirty shutdown. */
		if (it->ib != ESE_LOGSEG_HDR_SIZE ||
		    p[ESE_LR_FRAGMENT_BEGIN_SIZE] != ESE_LRTYP_UNDO_INFO)
			return fail_at(r, ei, "FragmentBegin inside a "
				       "fragmented record");
		r->stats.torn_fragments++;
		r->in_frag = false;
	}
	if (piece >= total || total > ESE_LR_SIZE_MAX ||
	    total < ESE_LR_FRAGMENT_SIZE)
		return fail_at(r, ei, "FragmentBegin with inconsistent sizes");
	err = grow_asm(r, total, ei);
	if (err < 0)
		return err;
	memcpy(r->asm_buf, p + ESE_LR_FRAGMENT_BEGIN_SIZE, piece);
	r->asm_total = total;
	r->asm_seen = piece;
	r->asm_pieces = 1;
	r->in_frag = true;
	r->frag_lgpos = r->pos;
	r->frag_data.gen = r->hdr->gen;
	r->frag_data.isec = r->isec;
	r->frag_data.ib = it->ib;
	return JET_errSuccess;
}

JET_ERR ese_logreader_next(ese_logreader *r, ese_logrecord *rec,
			   jr_errinfo *ei)
{
	JET_ERR err = JET_errSuccess;

	if (r->sticky)
		return jr_fail(ei, r->sticky,
			       "log reader stopped after an earlier error");
	for (;;) {
		ese_logseg_item it;
		const uint8_t *p;

		if (!r->file_open) {
			if (r->done)
				return ESE_LOGREADER_END;
			err = open_next_file(r, ei);
			if (err < 0)
				goto fail;
			if (r->done)
				return ESE_LOGREADER_END;
			continue;
		}
		if (!r->seg_loaded || r->ib >= ESE_LOGSEG_SIZE) {
			int n = load_next_segment(r, ei);

			if (n < 0) {
				err = n;
				goto fail;
			}
			if (n == 0) {
				err = end_of_file(r, ei);
				if (err < 0)
					goto fail;
				continue;
			}
		}
		err = ese_logseg_item_at(r->seg, r->ib, &it, ei);
		if (err < 0) {
			ese_lgpos at = { r->ib, r->isec, r->hdr->gen };
			char s[ESE_LGPOS_STRLEN];

			jr_errinfo_prefix(ei, "%s: lgpos %s", r->name,
					  fmt_lgpos(&at, s, sizeof(s)));
			goto fail;
		}
		p = r->seg + it.ib;
		if (it.lrtyp == ESE_LRTYP_NOP) {
			r->stats.nop_bytes += it.size;
			r->ib = (uint16_t)(r->ib + it.size);
			continue;
		}
		r->stats.record_bytes += it.size;
		if (it.lrtyp == ESE_LRTYP_FRAGMENT_BEGIN) {
			r->stats.fragment_pieces++;
			err = begin_fragment(r, &it, ei);
			if (err < 0)
				goto fail;
			r->ib = (uint16_t)(r->ib + it.size);
			continue;
		}
		if (it.lrtyp == ESE_LRTYP_FRAGMENT) {
			uint32_t piece = jr_le16(p + 1), fixed, size;

			r->stats.fragment_pieces++;
			if (!r->in_frag) {
				err = fail_at(r, ei, "Fragment without a "
					      "FragmentBegin");
				goto fail;
			}
			if (piece > r->asm_total - r->asm_seen) {
				err = fail_at(r, ei, "Fragment longer than its "
					      "record");
				goto fail;
			}
			memcpy(r->asm_buf + r->asm_seen,
			       p + ESE_LR_FRAGMENT_SIZE, piece);
			r->asm_seen += piece;
			r->asm_pieces++;
			r->ib = (uint16_t)(r->ib + it.size);
			if (r->asm_seen < r->asm_total)
				continue;
			/* complete: the whole must be one valid record */
			r->in_frag = false;
			fixed = ese_lr_fixed_size(r->asm_buf[0]);
			if (fixed == 0 || fixed > r->asm_total ||
			    ese_lr_size(r->asm_buf, r->asm_total, &size,
					NULL) < 0 ||
			    size != r->asm_total) {
				err = fail_at(r, ei, "reassembled record's size "
					      "does not match its fragments");
				goto fail;
			}
			r->stats.fragmented_records++;
			count_record(r, r->asm_buf[0], r->asm_total);
			rec->lgpos = r->frag_lgpos;
			rec->lgpos_data = r->frag_data;
			rec->lgpos_end = pos_after(r, r->ib);
			rec->lrtyp = r->asm_buf[0];
			rec->size = r->asm_total;
			rec->data = r->asm_buf;
			rec->nfragments = r->asm_pieces;
			rec->file = r->name;
			r->pos = rec->lgpos_end;
			if (rec->lrtyp == ESE_LRTYP_NOP2 &&
			    !r->opts.return_nop2)
				continue;
			return JET_errSuccess;
		}
		if (r->in_frag) {
			if (it.ib == ESE_LOGSEG_HDR_SIZE &&
			    (it.lrtyp == ESE_LRTYP_RECOVERY_UNDO ||
			     it.lrtyp == ESE_LRTYP_RECOVERY_UNDO2 ||
			     it.lrtyp == ESE_LRTYP_UNDO_INFO)) {
				/* torn fragment before recovery's undo: the
				 * record takes the segment start as lgpos */
				r->in_frag = false;
				r->stats.torn_fragments++;
				r->pos.gen = r->hdr->gen;
				r->pos.isec = r->isec;
				r->pos.ib = 0;
			} else {
				err = fail_at(r, ei, "record inside a "
					      "fragmented record");
				goto fail;
			}
		}
		count_record(r, it.lrtyp, it.size);
		rec->lgpos = r->pos;
		rec->lgpos_data.gen = r->hdr->gen;
		rec->lgpos_data.isec = r->isec;
		rec->lgpos_data.ib = it.ib;
		r->ib = (uint16_t)(r->ib + it.size);
		rec->lgpos_end = pos_after(r, r->ib);
		rec->lrtyp = it.lrtyp;
		rec->size = it.size;
		rec->data = p;
		rec->nfragments = 0;
		rec->file = r->name;
		r->pos = rec->lgpos_end;
		if (it.lrtyp == ESE_LRTYP_NOP2 && !r->opts.return_nop2)
			continue;
		return JET_errSuccess;
	}
fail:
	r->sticky = err;
	close_file(r);
	return err;
}

/* ---- construction ---- */

JET_ERR ese_logreader_open_range(const char *dir, const char *base,
				 uint32_t gen_first, uint32_t gen_last,
				 const ese_logreader_opts *opts,
				 ese_logreader **out, jr_errinfo *ei)
{
	ese_logreader *r;

	if (!dir || !base || !*base || gen_first == 0 ||
	    (gen_last != ESE_LOGREADER_GEN_CURRENT && gen_last < gen_first))
		return jr_fail(ei, JET_errInvalidParameter,
			       "log range: directory, base name and "
			       "generations 0x%X..0x%X", (unsigned)gen_first,
			       (unsigned)gen_last);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
		return jr_fail(ei, JET_errInvalidPath,
			       "%s: not a directory", dir);
	r = reader_new(opts);
	r->kind = SRC_RANGE;
	r->dir = g_strdup(dir);
	r->base = g_strdup(base);
	r->gen_last = gen_last;
	r->have_next_gen = true;
	r->next_gen = gen_first;
	*out = r;
	return JET_errSuccess;
}

JET_ERR ese_logreader_open_files(const char *const *paths, size_t n,
				 const ese_logreader_opts *opts,
				 ese_logreader **out, jr_errinfo *ei)
{
	ese_logreader *r;

	if (!paths || n == 0)
		return jr_fail(ei, JET_errInvalidParameter,
			       "log reader: no files given");
	r = reader_new(opts);
	r->kind = SRC_FILES;
	r->paths = g_new0(char *, n);
	for (size_t i = 0; i < n; i++)
		r->paths[i] = g_strdup(paths[i]);
	r->npaths = n;
	*out = r;
	return JET_errSuccess;
}

JET_ERR ese_logreader_open_mem(const uint8_t *buf, size_t len,
			       const char *name, const ese_logreader_opts *opts,
			       ese_logreader **out, jr_errinfo *ei)
{
	ese_logreader *r;

	if (!buf && len)
		return jr_fail(ei, JET_errInvalidParameter,
			       "log reader: no buffer");
	r = reader_new(opts);
	r->kind = SRC_MEM;
	r->mem = buf;
	r->mem_len = len;
	r->mem_name = g_strdup(name ? name : "(memory)");
	*out = r;
	return JET_errSuccess;
}

const ese_logreader_stats *ese_logreader_stats_get(const ese_logreader *r)
{
	return &r->stats;
}

const ese_loghdr *ese_logreader_header(const ese_logreader *r)
{
	return r->stats.files ? r->hdr : NULL;
}

void ese_logreader_close(ese_logreader *r)
{
	if (!r)
		return;
	close_file(r);
	for (size_t i = 0; i < r->npaths; i++)
		g_free(r->paths[i]);
	g_free(r->paths);
	g_free(r->dir);
	g_free(r->base);
	g_free(r->name);
	g_free(r->mem_name);
	g_free(r->hdr);
	free(r->win);
	free(r->asm_buf);
	g_free(r);
}
