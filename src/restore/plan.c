/*
 * plan.c - parameters + backup set -> restore plan (see plan.h).
 */
#include "restore/plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ese/checkpoint.h"
#include "ese/loghdr.h"
#include "ese/patchpage.h"
#include "restore/logchain.h"
#include "util/io.h"

#define JR_PLAN_UNIT 4096u          /* progress unit: one 4 KiB block */
#define JR_RECORDED_MAX 8           /* recorded paths kept per database */

void *jr_restore_calloc(const jr_restore_params *p, size_t n, size_t size)
{
	if (p && p->alloc_hook && !p->alloc_hook(n * size, p->alloc_ctx))
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

char *jr_restore_strdup(const jr_restore_params *p, const char *s)
{
	size_t len = strlen(s) + 1;
	char *d = jr_restore_calloc(p, 1, len);

	if (d)
		memcpy(d, s, len);
	return d;
}

static char *jr_join(const jr_restore_params *p, const char *dir,
		     const char *name)
{
	size_t ld = strlen(dir), ln = strlen(name);
	char *s = jr_restore_calloc(p, 1, ld + ln + 2);

	if (!s)
		return NULL;
	memcpy(s, dir, ld);
	s[ld] = '/';
	memcpy(s + ld + 1, name, ln + 1);
	return s;
}

/* ---- parameters and directories ---- */

static bool jr_base_ok(const char *b)
{
	if (strlen(b) != JET_BASE_NAME_LENGTH)
		return false;
	for (int i = 0; i < JET_BASE_NAME_LENGTH; i++)
		if (!((b[i] >= '0' && b[i] <= '9') ||
		      (b[i] >= 'a' && b[i] <= 'z') ||
		      (b[i] >= 'A' && b[i] <= 'Z')))
			return false;
	return true;
}

JET_ERR jr_plan_check_params(const jr_restore_params *p, jr_errinfo *ei)
{
	JET_ERR err;

	if (!p)
		return jr_fail(ei, JET_errInvalidParameter, "no parameters");
	if (!p->backup_dir || !p->backup_dir[0])
		return jr_fail(ei, JET_errInvalidParameter,
			       "no backup directory");
	if (!p->target_log_dir != !p->target_checkpoint_dir)
		return jr_fail(ei, JET_errInvalidParameter,
			       "the target-instance log and checkpoint "
			       "directories go together: give both or neither");
	if ((p->target_log_dir && !p->target_log_dir[0]) ||
	    (p->target_checkpoint_dir && !p->target_checkpoint_dir[0]))
		return jr_fail(ei, JET_errInvalidParameter,
			       "empty target-instance directory");
	err = jr_rstmap_validate(p->map, p->n_map, ei);
	if (err < 0)
		return err;
	if (p->gen_low && p->gen_high && p->gen_low > p->gen_high)
		return jr_fail(ei, JET_errInvalidParameter,
			       "genLow 0x%X is above genHigh 0x%X", p->gen_low,
			       p->gen_high);
	if (memchr(p->base, '\0', sizeof(p->base)) == NULL)
		return jr_fail(ei, JET_errInvalidParameter,
			       "log base name is not NUL-terminated");
	if (p->base[0] && !jr_base_ok(p->base))
		return jr_fail(ei, JET_errInvalidParameter,
			       "log base name '%s' is not 3 letters or digits",
			       p->base);
	return JET_errSuccess;
}

/* An existing directory: -1811 when missing, -1023 when not a directory. */
static JET_ERR jr_dir_check(const char *path, const char *what,
			    jr_errinfo *ei)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return jr_fail(ei, errno == ENOENT ? JET_errFileNotFound
						   : JET_errInvalidPath,
			       "%s %s: %s", what, path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return jr_fail(ei, JET_errInvalidPath,
			       "%s %s is not a directory", what, path);
	return JET_errSuccess;
}

static bool jr_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static JET_ERR jr_check_dirs(const jr_restore_params *p, jr_errinfo *ei)
{
	JET_ERR err;

	err = jr_dir_check(p->backup_dir, "backup directory", ei);
	if (err >= 0 && p->log_dir)
		err = jr_dir_check(p->log_dir, "log directory", ei);
	if (err >= 0 && p->checkpoint_dir)
		err = jr_dir_check(p->checkpoint_dir, "checkpoint directory",
				   ei);
	if (err >= 0 && p->out_dir)
		err = jr_dir_check(p->out_dir, "target directory", ei);
	if (err >= 0 && p->target_log_dir)
		err = jr_dir_check(p->target_log_dir,
				   "target-instance log directory", ei);
	if (err >= 0 && p->target_checkpoint_dir)
		err = jr_dir_check(p->target_checkpoint_dir,
				   "target-instance checkpoint directory", ei);
	return err;
}

/* ---- log sets ---- */

static bool jr_is_member(const jr_scan_entry *e, const char *base)
{
	return e->filetype == JET_filetypeLog &&
	       e->name_kind != JR_LOGNAME_NONE &&
	       strcasecmp(e->base, base) == 0;
}

static uint32_t jr_entry_gen(const jr_scan_entry *e)
{
	return e->log ? e->log->gen : e->name_gen;
}

/* The base name to restore: the one asked for, or the only one present. */
static JET_ERR jr_pick_base(const jr_restore_params *p, const jr_scan *s,
			    char *base, jr_errinfo *ei)
{
	if (p->base[0]) {
		memcpy(base, p->base, JET_BASE_NAME_LENGTH + 1);
		return JET_errSuccess;
	}
	base[0] = '\0';
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];

		if (e->filetype != JET_filetypeLog ||
		    e->name_kind == JR_LOGNAME_NONE)
			continue;
		if (!base[0])
			memcpy(base, e->base, JET_BASE_NAME_LENGTH + 1);
		else if (strcasecmp(base, e->base) != 0)
			return jr_fail(ei, JET_errInvalidParameter,
				       "the backup directory holds the log sets "
				       "%s and %s: name the base name to restore",
				       base, e->base);
	}
	if (!base[0])
		return jr_fail(ei, JET_errFileNotFound,
			       "%s holds no log file", p->backup_dir);
	return JET_errSuccess;
}

/* Build a chain, renumbering logchain's errors for the directory's role:
 * bad_sig for -530, not_contig for -528 and -515 (0: keep). */
static JET_ERR jr_chain(const jr_scan *s, const char *base, jr_logchain *c,
			JET_ERR bad_sig, JET_ERR gap, JET_ERR not_contig,
			jr_errinfo *ei)
{
	jr_errinfo local;
	JET_ERR err, mapped;

	jr_errinfo_clear(&local);
	err = jr_logchain_build(s, base, c, &local);
	if (err >= 0)
		return err;
	mapped = err;
	if (err == JET_errBadLogSignature)
		mapped = bad_sig;
	else if (err == JET_errMissingLogFile)
		mapped = gap;
	else if (err == JET_errInvalidLogSequence)
		mapped = not_contig;
	return jr_fail(ei, mapped, "%s", local.detail);
}

static JET_ERR jr_backup_logs(const jr_restore_params *p, jr_plan *pl,
			      jr_logchain *c, jr_errinfo *ei)
{
	const jr_scan *s = pl->scan;
	JET_ERR err;

	err = jr_pick_base(p, s, pl->base, ei);
	if (err < 0)
		return err;
	/* Logs outside the range asked for come first: a gap below genLow
	 * must not hide that the set starts too low. */
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];
		uint32_t g;

		if (!jr_is_member(e, pl->base))
			continue;
		g = jr_entry_gen(e);
		if (p->gen_low && g < p->gen_low)
			return jr_fail(ei, JET_errStartingRestoreLogTooHigh,
				       "%s holds generation 0x%X, below the "
				       "restore's genLow 0x%X", e->path, g,
				       p->gen_low);
		if (p->gen_high && g > p->gen_high)
			return jr_fail(ei, JET_errEndingRestoreLogTooLow,
				       "%s holds generation 0x%X, above the "
				       "restore's genHigh 0x%X", e->path, g,
				       p->gen_high);
	}
	err = jr_chain(s, pl->base, c, JET_errGivenLogFileHasBadSignature,
		       JET_errFileNotFound, JET_errGivenLogFileIsNotContiguous,
		       ei);
	if (err < 0)
		return err;
	if (c->n == 0) {
		char name[64];

		snprintf(name, sizeof(name), "%s%05X.log", pl->base,
			 p->gen_low ? p->gen_low : 1);
		return jr_fail(ei, JET_errFileNotFound,
			       "%s holds no log file of base name %s%s%s",
			       p->backup_dir, pl->base,
			       p->gen_low ? ": missing " : "",
			       p->gen_low ? name : "");
	}
	pl->sign_log = c->sign_log;
	return JET_errSuccess;
}

/* ---- databases ---- */

typedef struct {
	const jr_scan_entry *e;
	const char *recorded[JR_RECORDED_MAX];
	unsigned n_recorded;
} jr_cand;

/* Paths the chain's log headers record for the database e. */
static void jr_collect_recorded(const jr_logchain *c, jr_cand *cd)
{
	const ese_signature *sig = cd->e->db ? &cd->e->db->hdr.sign_db : NULL;

	if (!sig)
		return;
	for (unsigned k = 0; k < c->n; k++) {
		const jr_scan_log *l = c->by_gen[k]->log;

		for (unsigned a = 0; a < l->n_attach; a++) {
			bool dup = false;

			if (!ese_signature_equal(&l->attach[a].sign_db, sig) ||
			    !l->attach[a].path || !l->attach[a].path[0])
				continue;
			for (unsigned r = 0; r < cd->n_recorded; r++)
				if (jr_path_equal_ci(cd->recorded[r],
						     l->attach[a].path))
					dup = true;
			if (!dup && cd->n_recorded < JR_RECORDED_MAX)
				cd->recorded[cd->n_recorded++] =
					l->attach[a].path;
		}
	}
}

/* ESE's ErrLGCheckDBFiles up to the range check: which generations the
 * copy needs, from its trailer, its completed header or its snapshot
 * info. */
static JET_ERR jr_check_copy(const jr_plan *pl, jr_plan_db *d,
			     jr_errinfo *ei)
{
	const jr_scan_entry *e = d->src;
	const ese_dbheader *h;
	ese_patchpage pp;
	int fd;
	JET_ERR err;

	if (e->filetype != JET_filetypeDatabase)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "%s is not a database (file type %u)", e->path,
			       (unsigned)e->filetype);
	if (!e->db)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "%s: header damaged in both copies%s%s", e->path,
			       e->hdr_err ? ": " : "",
			       e->hdr_err ? e->hdr_err->detail : "");
	d->hdr = e->db->hdr;
	d->page_size = e->db->page_size;
	d->file_size = e->size;
	h = &d->hdr;
	if (h->attrib != 0)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "%s: header attribute %d is not a database's",
			       e->path, (int)h->attrib);
	if (!ese_lgpos_is_zero(&h->bk_snapshot_cur.lgpos_mark)) {
		d->from_snapshot = true;
		if (!ese_signature_equal(&h->sign_log, &pl->sign_log))
			return jr_fail(ei, JET_errDatabasePatchFileMismatch,
				       "%s: snapshot copy of another log "
				       "sequence than the backup's logs",
				       e->path);
		d->bk_gen_low = h->bk_snapshot_cur.gen_low;
		d->bk_gen_high = h->bk_snapshot_cur.gen_high;
		return JET_errSuccess;
	}
	if (h->bk_full_cur.gen_low == 0)
		return jr_fail(ei, JET_errRestoreOfNonBackupDatabase,
			       "%s carries no external-backup information "
			       "(state %s): recover it instead", e->path,
			       ese_dbstate_name(h->state));
	if (h->bk_full_cur.gen_high != 0) {
		if (!ese_signature_equal(&h->sign_log, &pl->sign_log))
			return jr_fail(ei, JET_errDatabaseLogSetMismatch,
				       "%s belongs to another log sequence "
				       "than the backup's logs", e->path);
		d->bk_gen_low = h->bk_full_cur.gen_low;
		d->bk_gen_high = h->bk_full_cur.gen_high;
		return JET_errSuccess;
	}
	err = jr_open_ro(e->path, &fd, ei);
	if (err < 0)
		return err;
	err = ese_patchpage_read_fd(fd, d->page_size, &pp, ei);
	close(fd);
	if (err < 0) {
		jr_errinfo_prefix(ei, "%s: trailer page", e->path);
		return err;
	}
	if (!ese_signature_equal(&h->sign_db, &pp.sign_db))
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "%s: the trailer page belongs to another "
			       "database", e->path);
	if (!ese_signature_equal(&h->sign_log, &pl->sign_log) ||
	    !ese_signature_equal(&pp.sign_log, &pl->sign_log))
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "%s: %s belongs to another log sequence than "
			       "the backup's logs", e->path,
			       ese_signature_equal(&h->sign_log, &pl->sign_log)
				       ? "the trailer page" : "the header");
	if (ese_lgpos_cmp(&h->bk_full_cur.lgpos_mark,
			  &pp.bkinfo.lgpos_mark) != 0)
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "%s: the trailer page is from another backup "
			       "(its mark differs from the header's)", e->path);
	if (pp.bkinfo.gen_high == 0 || pp.bkinfo.gen_low == 0 ||
	    pp.bkinfo.gen_low > pp.bkinfo.gen_high)
		return jr_fail(ei, JET_errDatabasePatchFileMismatch,
			       "%s: the trailer page records no log range "
			       "(0x%X-0x%X)", e->path, pp.bkinfo.gen_low,
			       pp.bkinfo.gen_high);
	d->zero_trailer = true;
	d->bk_gen_low = pp.bkinfo.gen_low;
	d->bk_gen_high = pp.bkinfo.gen_high;
	return JET_errSuccess;
}

/* Map entries naming files of the backup directory exactly. */
static JET_ERR jr_match_file_names(const jr_restore_params *p,
				   const jr_cand *cand, unsigned nc,
				   long *entry_of, jr_errinfo *ei)
{
	for (unsigned i = 0; i < nc; i++)
		entry_of[i] = -1;
	for (long k = 0; k < p->n_map; k++) {
		unsigned i;

		for (i = 0; i < nc; i++)
			if (!strcmp(cand[i].e->name, p->map[k].old_name))
				break;
		if (i == nc)
			return jr_fail(ei, JET_errFileNotFound,
				       "%s/%s: no such file to restore",
				       p->backup_dir, p->map[k].old_name);
		if (entry_of[i] >= 0)
			return jr_fail(ei, JET_errInvalidParameter,
				       "restore map entries %ld and %ld both "
				       "name %s", entry_of[i], k,
				       p->map[k].old_name);
		entry_of[i] = k;
	}
	return JET_errSuccess;
}

/* A copy the logs do not know by its signature, while they attach a
 * database of its file name: another database than the one the logs
 * describe (recovery.c's rule, ESE's -531). */
static JET_ERR jr_check_foreign(const jr_logchain *c, const jr_plan_db *d,
				jr_errinfo *ei)
{
	for (unsigned k = 0; k < c->n; k++) {
		const jr_scan_log *l = c->by_gen[k]->log;

		for (unsigned a = 0; a < l->n_attach; a++)
			if (l->attach[a].path &&
			    jr_path_equal_ci(jr_path_base(l->attach[a].path),
					     d->src->name))
				return jr_fail(ei, JET_errBadDbSignature,
					       "%s: the logs attach %s (dbid %u) "
					       "with another database "
					       "signature", d->src->path,
					       l->attach[a].path,
					       l->attach[a].dbid);
	}
	return JET_errSuccess;
}

static JET_ERR jr_select_dbs(const jr_restore_params *p, jr_plan *pl,
			     const jr_logchain *c, jr_errinfo *ei)
{
	const jr_scan *s = pl->scan;
	jr_cand *cand = NULL;
	jr_rstmap_candidate *rc = NULL;
	long *entry_of = NULL;
	unsigned nc = 0, nsel = 0;
	JET_ERR err = JET_errSuccess;

	cand = jr_restore_calloc(p, s->n, sizeof(*cand));
	rc = jr_restore_calloc(p, s->n, sizeof(*rc));
	entry_of = jr_restore_calloc(p, s->n, sizeof(*entry_of));
	if (!cand || !rc || !entry_of) {
		err = jr_fail(ei, JET_errOutOfMemory, "restore plan");
		goto free_cand;
	}
	/* With a map, any file that is neither a log nor a checkpoint can be
	 * named (and a non-database then fails with -1206); without one,
	 * the databases. */
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];

		if (e->filetype == JET_filetypeLog ||
		    e->filetype == JET_filetypeCheckpoint || e->blank)
			continue;
		if (!p->n_map && e->filetype != JET_filetypeDatabase)
			continue;
		cand[nc].e = e;
		jr_collect_recorded(c, &cand[nc]);
		rc[nc].file_name = e->name;
		rc[nc].recorded = cand[nc].recorded;
		rc[nc].n_recorded = cand[nc].n_recorded;
		nc++;
	}
	if (p->n_map && p->map_file_names) {
		err = jr_match_file_names(p, cand, nc, entry_of, ei);
		if (err < 0)
			goto free_cand;
	} else if (p->n_map) {
		err = jr_rstmap_match(p->map, p->n_map, rc, nc, entry_of, ei);
		if (err < 0)
			goto free_cand;
	} else {
		for (unsigned i = 0; i < nc; i++)
			entry_of[i] = -1;
	}
	for (unsigned i = 0; i < nc; i++)
		if (p->n_map == 0 || entry_of[i] >= 0)
			nsel++;
	if (nsel == 0) {
		err = jr_fail(ei, JET_errFileNotFound,
			      "%s holds no database to restore", p->backup_dir);
		goto free_cand;
	}
	pl->dbs = jr_restore_calloc(p, nsel, sizeof(*pl->dbs));
	if (!pl->dbs) {
		err = jr_fail(ei, JET_errOutOfMemory, "restore plan");
		goto free_cand;
	}
	for (unsigned i = 0; i < nc; i++) {
		jr_plan_db *d;
		const char *name;

		if (p->n_map && entry_of[i] < 0)
			continue;
		d = &pl->dbs[pl->n_dbs++];
		d->src = cand[i].e;
		d->recorded = cand[i].n_recorded ? cand[i].recorded[0] : NULL;
		name = p->n_map ? p->map[entry_of[i]].new_name : d->src->name;
		if (name[0] == '/') {
			d->new_path = jr_restore_strdup(p, name);
		} else {
			const char *dir = p->out_dir ? p->out_dir
				: p->log_dir ? p->log_dir : p->backup_dir;

			d->new_path = jr_join(p, dir, name);
		}
		if (!d->new_path) {
			err = jr_fail(ei, JET_errOutOfMemory, "restore plan");
			goto free_cand;
		}
	}
	for (unsigned i = 0; i < pl->n_dbs && err >= 0; i++)
		err = jr_check_copy(pl, &pl->dbs[i], ei);
	for (unsigned i = 0; i < pl->n_dbs && err >= 0; i++)
		if (!pl->dbs[i].recorded)
			err = jr_check_foreign(c, &pl->dbs[i], ei);
free_cand:
	free(entry_of);
	free(rc);
	free(cand);
	return err;
}

/* The restore's range: what was asked, else the logs present; then every
 * copy must be covered (ESE's -554/-553; -1811 naming the missing log
 * when the range came from the logs). */
static JET_ERR jr_fix_range(const jr_restore_params *p, jr_plan *pl,
			    const jr_logchain *c, jr_errinfo *ei)
{
	char name[64];

	pl->gen_low = p->gen_low ? p->gen_low : c->gen_low;
	pl->gen_high = p->gen_high ? p->gen_high : c->gen_high;
	for (unsigned i = 0; i < pl->n_dbs; i++) {
		const jr_plan_db *d = &pl->dbs[i];

		if (d->bk_gen_low < pl->gen_low) {
			if (!p->gen_low)
				return jr_fail(ei, JET_errFileNotFound,
					       "%s needs generation 0x%X: %s is "
					       "missing from the backup",
					       d->src->path, d->bk_gen_low,
					       jr_logchain_name(c, d->bk_gen_low,
								name,
								sizeof(name)));
			return jr_fail(ei, JET_errStartingRestoreLogTooHigh,
				       "%s needs logs from generation 0x%X, "
				       "below the restore's genLow 0x%X",
				       d->src->path, d->bk_gen_low,
				       pl->gen_low);
		}
		if (d->bk_gen_high > pl->gen_high) {
			if (!p->gen_high)
				return jr_fail(ei, JET_errFileNotFound,
					       "%s needs generation 0x%X: %s is "
					       "missing from the backup",
					       d->src->path, d->bk_gen_high,
					       jr_logchain_name(c, d->bk_gen_high,
								name,
								sizeof(name)));
			return jr_fail(ei, JET_errEndingRestoreLogTooLow,
				       "%s needs logs through generation 0x%X, "
				       "above the restore's genHigh 0x%X",
				       d->src->path, d->bk_gen_high,
				       pl->gen_high);
		}
	}
	if (c->gen_low > pl->gen_low)
		return jr_fail(ei, JET_errFileNotFound,
			       "generation 0x%X of the backup is missing: %s",
			       pl->gen_low,
			       jr_logchain_name(c, pl->gen_low, name,
						sizeof(name)));
	if (c->gen_high < pl->gen_high)
		return jr_fail(ei, JET_errFileNotFound,
			       "generation 0x%X of the backup is missing: %s",
			       c->gen_high + 1,
			       jr_logchain_name(c, c->gen_high + 1, name,
						sizeof(name)));
	return JET_errSuccess;
}

/* Complete each header as restore does before redo, and find where each
 * database is attached when the replay starts. */
static JET_ERR jr_prepare_headers(const jr_restore_params *p, jr_plan *pl,
				  const jr_logchain *c, jr_errinfo *ei)
{
	const jr_scan_entry *first = c->by_gen[pl->gen_low - c->gen_low];
	ese_loghdr *lh = jr_restore_calloc(p, 1, sizeof(*lh));
	JET_ERR err;

	if (!lh)
		return jr_fail(ei, JET_errOutOfMemory, "restore plan");
	err = ese_loghdr_read_file(first->path, lh, NULL, ei);
	if (err < 0)
		goto free_hdr;
	for (unsigned i = 0; i < pl->n_dbs; i++) {
		jr_plan_db *d = &pl->dbs[i];
		ese_dbheader *h = &d->hdr;

		h->bk_full_cur.gen_high = pl->gen_high;
		if (pl->gen_high > h->gen_max_committed) {
			memset(&h->logtime_gen_max_create, 0,
			       sizeof(h->logtime_gen_max_create));
			h->gen_max_committed = pl->gen_high;
		}
		if (pl->gen_high > h->gen_max_required) {
			memset(&h->logtime_gen_max_required, 0,
			       sizeof(h->logtime_gen_max_required));
			h->gen_max_required = pl->gen_high;
		}
		for (unsigned a = 0; a < lh->n_attach && a < ESE_ATTACH_MAX;
		     a++) {
			if (!ese_signature_equal(&lh->attach[a].sign_db,
						 &h->sign_db))
				continue;
			d->dbid_start = lh->attach[a].dbid;
			d->lgpos_attach_start = lh->attach[a].lgpos_attach;
			break;
		}
	}
free_hdr:
	free(lh);
	return err;
}

/* ---- continuation: logs newer than the backup's ---- */

/* Roles: the target instance (-577 for a foreign directory) or the log
 * directory (-610 then, and an empty directory is fine). */
static JET_ERR jr_continuation(const jr_restore_params *p, jr_plan *pl,
			       const jr_logchain *bc, jr_logchain *tc,
			       jr_errinfo *ei)
{
	const bool target = p->target_log_dir != NULL;
	const char *dir = target ? p->target_log_dir : p->log_dir;
	const jr_scan_entry *newest;
	JET_ERR err;
	char name[64];
	unsigned members = 0;

	if (!dir || jr_same_file(dir, p->backup_dir))
		return JET_errSuccess;
	err = jr_scan_dir(dir, &pl->cont_scan, ei);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < pl->cont_scan->n; i++)
		if (jr_is_member(pl->cont_scan->entries[i], pl->base))
			members++;
	if (!members) {
		if (target)
			return jr_fail(ei, JET_errBadRestoreTargetInstance,
				       "%s holds no log of base name %s", dir,
				       pl->base);
		return JET_errSuccess;
	}
	err = jr_chain(pl->cont_scan, pl->base, tc,
		       JET_errExistingLogFileHasBadSignature,
		       JET_errExistingLogFileIsNotContiguous,
		       JET_errExistingLogFileIsNotContiguous, ei);
	if (err < 0)
		return err;
	if (!ese_signature_equal(&tc->sign_log, &pl->sign_log))
		return jr_fail(ei, target ? JET_errBadRestoreTargetInstance
					  : JET_errExistingLogFileHasBadSignature,
			       "the logs in %s belong to another log sequence "
			       "than the backup's", dir);
	if (target) {
		char *chk = NULL;
		ese_checkpoint_read_result *cr;
		struct stat st;

		if (asprintf(&chk, "%s/%s.chk", p->target_checkpoint_dir,
			     pl->base) < 0)
			return jr_fail(ei, JET_errOutOfMemory, "restore plan");
		cr = jr_restore_calloc(p, 1, sizeof(*cr));
		if (!cr) {
			free(chk);
			return jr_fail(ei, JET_errOutOfMemory, "restore plan");
		}
		err = JET_errSuccess;
		if (stat(chk, &st) == 0) {
			err = ese_checkpoint_read_file(chk, cr, ei);
			if (err >= 0 &&
			    !ese_signature_equal(&cr->chk.sign_log,
						 &pl->sign_log))
				err = jr_fail(ei, JET_errBadRestoreTargetInstance,
					      "%s belongs to another log "
					      "sequence than the backup's", chk);
		}
		free(cr);
		free(chk);
		if (err < 0)
			return err;
		newest = tc->by_gen[tc->n - 1];
		if (newest->log->circular) {
			/* ESE does not roll forward a target instance that
			 * runs circular logging: its logs are recycled. */
			pl->cont_circular = true;
			return JET_errSuccess;
		}
	}
	/* Generations the directory shares with the backup must be the
	 * same files; the one before genLow must precede it. */
	for (uint32_t g = tc->gen_low; g <= tc->gen_high && g <= pl->gen_high;
	     g++) {
		const jr_scan_log *t = tc->by_gen[g - tc->gen_low]->log;

		if (g + 1 == pl->gen_low) {
			const jr_scan_log *b = bc->by_gen[pl->gen_low -
							  bc->gen_low]->log;

			if (memcmp(&b->tm_prev_gen, &t->tm_create,
				   sizeof(t->tm_create)) != 0)
				return jr_fail(ei,
					JET_errExistingLogFileIsNotContiguous,
					"%s is not the generation before the "
					"backup's first log",
					tc->by_gen[g - tc->gen_low]->path);
		} else if (g >= pl->gen_low) {
			const jr_scan_log *b = bc->by_gen[g - bc->gen_low]->log;

			if (memcmp(&b->tm_create, &t->tm_create,
				   sizeof(t->tm_create)) != 0)
				return jr_fail(ei,
					JET_errExistingLogFileIsNotContiguous,
					"%s differs from the backup's copy of "
					"generation 0x%X",
					tc->by_gen[g - tc->gen_low]->path, g);
		}
	}
	if (tc->gen_high <= pl->gen_high)
		return JET_errSuccess;
	if (tc->gen_low > pl->gen_high + 1)
		return jr_fail(ei, JET_errExistingLogFileIsNotContiguous,
			       "%s does not continue the backup: generation "
			       "0x%X (%s) is missing", dir, pl->gen_high + 1,
			       jr_logchain_name(bc, pl->gen_high + 1, name,
						sizeof(name)));
	{
		const jr_scan_log *b = bc->by_gen[pl->gen_high - bc->gen_low]->log;
		const jr_scan_entry *nx = tc->by_gen[pl->gen_high + 1 -
						     tc->gen_low];

		if (memcmp(&nx->log->tm_prev_gen, &b->tm_create,
			   sizeof(b->tm_create)) != 0)
			return jr_fail(ei, JET_errExistingLogFileIsNotContiguous,
				       "%s does not follow the backup's last log "
				       "(generation 0x%X)", nx->path,
				       pl->gen_high);
	}
	pl->cont_dir_buf = jr_restore_strdup(p, dir);
	if (!pl->cont_dir_buf)
		return jr_fail(ei, JET_errOutOfMemory, "restore plan");
	pl->cont_dir = pl->cont_dir_buf;
	pl->gen_end = tc->gen_high;
	return JET_errSuccess;
}

static JET_ERR jr_list_logs(const jr_restore_params *p, jr_plan *pl,
			    const jr_logchain *bc, const jr_logchain *tc,
			    jr_errinfo *ei)
{
	if (!pl->gen_end)
		pl->gen_end = pl->gen_high;
	pl->n_logs = pl->gen_end - pl->gen_low + 1;
	pl->logs = jr_restore_calloc(p, pl->n_logs, sizeof(*pl->logs));
	if (!pl->logs)
		return jr_fail(ei, JET_errOutOfMemory, "restore plan");
	for (uint32_t g = pl->gen_low; g <= pl->gen_end; g++) {
		const jr_scan_entry *e = g <= pl->gen_high
			? bc->by_gen[g - bc->gen_low]
			: tc->by_gen[g - tc->gen_low];

		pl->logs[g - pl->gen_low] = jr_restore_strdup(p, e->path);
		if (!pl->logs[g - pl->gen_low])
			return jr_fail(ei, JET_errOutOfMemory, "restore plan");
		pl->log_bytes += e->size;
	}
	return JET_errSuccess;
}

static JET_ERR jr_check_coverage(jr_plan *pl, jr_errinfo *ei)
{
	for (unsigned i = 0; i < pl->n_dbs; i++) {
		const jr_plan_db *d = &pl->dbs[i];

		if (d->hdr.gen_max_required > pl->gen_end)
			return jr_fail(ei, JET_errRequiredLogFilesMissing,
				       "%s requires generations through 0x%X; "
				       "the restore has logs through 0x%X%s",
				       d->src->path, d->hdr.gen_max_required,
				       pl->gen_end,
				       pl->cont_circular
					       ? " (the target instance's logs "
						 "are circular: not rolled "
						 "forward)" : "");
	}
	return JET_errSuccess;
}

/* ---- outputs ---- */

static JET_ERR jr_check_output(const jr_restore_params *p, const jr_plan *pl,
			       unsigned i, jr_errinfo *ei)
{
	const char *path = pl->dbs[i].new_path;
	const char *slash = strrchr(path, '/');
	char *parent;
	struct stat st;
	JET_ERR err = JET_errSuccess;

	parent = slash == path ? jr_restore_strdup(p, "/")
			       : jr_restore_strdup(p, path);
	if (!parent)
		return jr_fail(ei, JET_errOutOfMemory, "restore plan");
	if (slash && slash != path)
		parent[slash - path] = '\0';
	else if (!slash)
		strcpy(parent, ".");
	if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
		err = jr_fail(ei, JET_errInvalidPath,
			      "target %s: directory %s does not exist", path,
			      parent);
		goto free_parent;
	}
	if (jr_same_file(parent, p->backup_dir)) {
		err = jr_fail(ei, JET_errInvalidPath,
			      "target %s is inside the backup directory, which "
			      "is never written", path);
		goto free_parent;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		err = jr_fail(ei, JET_errInvalidPath,
			      "target %s is a directory", path);
		goto free_parent;
	}
	for (unsigned k = 0; k < pl->n_logs; k++)
		if (jr_same_file(path, pl->logs[k])) {
			err = jr_fail(ei, JET_errInvalidPath,
				      "target %s is the input log %s", path,
				      pl->logs[k]);
			goto free_parent;
		}
	for (unsigned k = 0; k < pl->n_dbs; k++) {
		const char *o = pl->dbs[k].new_path;

		if (k < i && (!strcmp(o, path) || jr_same_file(o, path)))
			err = jr_fail(ei, JET_errInvalidParameter,
				      "two databases would be restored to %s",
				      path);
		else if (jr_same_file(path, pl->dbs[k].src->path))
			err = jr_fail(ei, JET_errInvalidPath,
				      "target %s is the input database %s", path,
				      pl->dbs[k].src->path);
		if (err < 0)
			break;
	}
free_parent:
	free(parent);
	return err;
}

static void jr_count_work(jr_plan *pl)
{
	pl->work_total = 0;
	for (unsigned i = 0; i < pl->n_dbs; i++)
		pl->work_total += pl->dbs[i].file_size / JR_PLAN_UNIT +
				  pl->log_bytes / JR_PLAN_UNIT + 1;
}

JET_ERR jr_plan_build(const jr_restore_params *p, jr_plan **out,
		      jr_errinfo *ei)
{
	jr_logchain bc, tc;
	jr_plan *pl;
	JET_ERR err;

	*out = NULL;
	memset(&bc, 0, sizeof(bc));
	memset(&tc, 0, sizeof(tc));
	err = jr_plan_check_params(p, ei);
	if (err < 0)
		return err;
	err = jr_check_dirs(p, ei);
	if (err < 0)
		return err;
	pl = jr_restore_calloc(p, 1, sizeof(*pl));
	if (!pl)
		return jr_fail(ei, JET_errOutOfMemory, "restore plan");
	err = jr_scan_dir(p->backup_dir, &pl->scan, ei);
	if (err < 0)
		goto fail;
	err = jr_backup_logs(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_select_dbs(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_fix_range(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_prepare_headers(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_continuation(p, pl, &bc, &tc, ei);
	if (err < 0)
		goto fail;
	err = jr_list_logs(p, pl, &bc, &tc, ei);
	if (err < 0)
		goto fail;
	err = jr_check_coverage(pl, ei);
	if (err < 0)
		goto fail;
	for (unsigned i = 0; i < pl->n_dbs && err >= 0; i++)
		err = jr_check_output(p, pl, i, ei);
	if (err < 0)
		goto fail;
	jr_count_work(pl);
	jr_logchain_clear(&bc);
	jr_logchain_clear(&tc);
	*out = pl;
	return JET_errSuccess;
fail:
	jr_logchain_clear(&bc);
	jr_logchain_clear(&tc);
	jr_plan_free(pl);
	return err;
}

void jr_plan_free(jr_plan *pl)
{
	if (!pl)
		return;
	for (unsigned i = 0; i < pl->n_dbs; i++)
		free(pl->dbs[i].new_path);
	free(pl->dbs);
	for (unsigned i = 0; pl->logs && i < pl->n_logs; i++)
		free(pl->logs[i]);
	free(pl->logs);
	free(pl->cont_dir_buf);
	jr_scan_free(pl->scan);
	jr_scan_free(pl->cont_scan);
	free(pl);
}
