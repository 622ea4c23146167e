/*
 * plan_db.c - the databases of a restore plan: which files the map (or no
 * map) selects, and ESE's checks of each backup copy (ErrLGCheckDBFiles):
 * header, backup info, trailer page (see plan.h for the errors).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ese/patchpage.h"
#include "restore/plan_int.h"
#include "util/io.h"

#define JR_RECORDED_MAX 8           /* recorded paths kept per database */

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

JET_ERR jr_plan_select_dbs(const jr_restore_params *p, jr_plan *pl,
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

			d->new_path = jr_plan_join(p, dir, name);
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
