/*
 * job.c - one recovery of a backup set's databases: pick the engine per
 * database and run it (see job.h).
 *
 *   hard  the whole request goes to jr_restore_run() (extrestore.h): the
 *         restore plan selects the databases through the map and checks
 *         them (-615 for a database without backup info).
 *   soft  each selected database is recovered by jr_recover_database()
 *         (recover/recovery.h) from the logs and checkpoint of the backup
 *         directory; a streaming-backup copy whose trailer was never
 *         applied is refused with -544 SoftRecoveryOnBackupDatabase, as
 *         ESE refuses it (ErrLGRICheckAttachNow).
 *   auto  databases whose header carries external-backup info
 *         (bkinfoFullCur.genLow != 0 or a snapshot mark) are restored
 *         hard, the others recovered soft; a selected file whose header
 *         cannot be read goes the hard way and fails there (-1206).
 *
 * Outputs are all-or-nothing: soft results are made in a private staging
 * directory inside out_dir (".jrjob-XXXXXX") and moved to their names only
 * after the hard part succeeded; if that move fails, the hard outputs are
 * removed again.
 *
 * Cancel: both parts stop at the next 64 KiB of log (soft recovery through
 * jr_recovery_opts.cancel and its progress callback), the hard part also
 * at the next 1 MiB of copy; the database in progress leaves nothing.
 */
#include "restore/job.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recover/recovery.h"
#include "restore/extrestore.h"
#include "restore/rstmap.h"
#include "restore/scan.h"

#define JR_JOB_RECORDED_MAX 8

/* One selected database. */
typedef struct {
	const jr_scan_entry *e;
	const char *new_name;        /* file name in out_dir */
	long entry;                  /* map entry selecting it, or -1 */
	bool hard;
	const char *recorded[JR_JOB_RECORDED_MAX];
	unsigned n_recorded;
} jr_job_db;

typedef struct {
	const jr_job_params *p;
	jr_scan *scan;
	jr_job_db *dbs;
	unsigned n_dbs, n_hard, n_soft;
	jr_rstmap_entry *map;        /* p->map as rstmap entries */
	/* progress */
	unsigned percent;
	unsigned share_done;         /* databases finished */
	bool stop;                   /* the callback asked to stop */
	char *staging;
	char **published;            /* hard outputs (for undo) */
} jr_job;

static bool jr_job_cancelled(const jr_job *j)
{
	return j->stop || (j->p->cancel && atomic_load(j->p->cancel));
}

/* Report progress: `frac` (0..1) of the current share of `shares`
 * databases after `done` finished ones; percent never decreases. */
static void jr_job_report(jr_job *j, const char *db, const char *phase,
			  uint32_t gen, uint64_t records, unsigned done,
			  unsigned shares, double frac)
{
	jr_job_progress pr;
	unsigned pct;

	if (!j->p->progress)
		return;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	pct = (unsigned)(100.0 * (done + frac * shares) /
			 (j->n_dbs ? j->n_dbs : 1));
	if (pct > 100)
		pct = 100;
	if (pct > j->percent)
		j->percent = pct;
	pr.database = db;
	pr.percent = j->percent;
	pr.gen = gen;
	pr.records = records;
	pr.phase = phase;
	if (!j->p->progress(&pr, j->p->progress_ctx))
		j->stop = true;
}

/* ---- selection ---- */

static bool jr_has_backup_info(const ese_dbheader *h)
{
	return h->bk_full_cur.gen_low != 0 ||
	       !ese_lgpos_is_zero(&h->bk_snapshot_cur.lgpos_mark);
}

/* Paths any log header of the backup directory records for e. */
static void jr_job_recorded(const jr_scan *s, jr_job_db *d)
{
	const ese_signature *sig = d->e->db ? &d->e->db->hdr.sign_db : NULL;

	for (unsigned i = 0; sig && i < s->n; i++) {
		const jr_scan_log *l = s->entries[i]->log;

		for (unsigned a = 0; l && a < l->n_attach; a++) {
			bool dup = false;

			if (!l->attach[a].path ||
			    !ese_signature_equal(&l->attach[a].sign_db, sig))
				continue;
			for (unsigned r = 0; r < d->n_recorded; r++)
				dup |= jr_path_equal_ci(d->recorded[r],
							l->attach[a].path);
			if (!dup && d->n_recorded < JR_JOB_RECORDED_MAX)
				d->recorded[d->n_recorded++] =
					l->attach[a].path;
		}
	}
}

/* The same candidates as the restore plan (plan.c): with a map, any file
 * that is no log, checkpoint or blank file; without one, the databases. */
static bool jr_job_candidate(const jr_job_params *p, const jr_scan_entry *e)
{
	if (e->filetype == JET_filetypeLog ||
	    e->filetype == JET_filetypeCheckpoint || e->blank)
		return false;
	return p->n_map || e->filetype == JET_filetypeDatabase;
}

static JET_ERR jr_job_select(jr_job *j, jr_errinfo *ei)
{
	const jr_job_params *p = j->p;
	jr_job_db *all;
	jr_rstmap_candidate *rc;
	long *entry_of;
	unsigned nc = 0;
	JET_ERR err = JET_errSuccess;

	all = calloc(j->scan->n + 1, sizeof(*all));
	rc = calloc(j->scan->n + 1, sizeof(*rc));
	entry_of = calloc(j->scan->n + 1, sizeof(*entry_of));
	if (!all || !rc || !entry_of) {
		err = jr_fail(ei, JET_errOutOfMemory, "job");
		goto free_all;
	}
	for (unsigned i = 0; i < j->scan->n; i++) {
		if (!jr_job_candidate(p, j->scan->entries[i]))
			continue;
		all[nc].e = j->scan->entries[i];
		all[nc].entry = -1;
		jr_job_recorded(j->scan, &all[nc]);
		rc[nc].file_name = all[nc].e->name;
		rc[nc].recorded = all[nc].recorded;
		rc[nc].n_recorded = all[nc].n_recorded;
		nc++;
	}
	if (p->n_map) {
		err = jr_rstmap_match(j->map, (long)p->n_map, rc, nc, entry_of,
				      ei);
		if (err < 0)
			goto free_all;
	}
	j->dbs = calloc(nc + 1, sizeof(*j->dbs));
	if (!j->dbs) {
		err = jr_fail(ei, JET_errOutOfMemory, "job");
		goto free_all;
	}
	for (unsigned i = 0; i < nc; i++) {
		jr_job_db *d;

		if (p->n_map && entry_of[i] < 0)
			continue;
		d = &j->dbs[j->n_dbs++];
		*d = all[i];
		d->entry = p->n_map ? entry_of[i] : -1;
		d->new_name = p->n_map ? j->map[entry_of[i]].new_name
				       : d->e->name;
		switch (p->mode) {
		case JR_MODE_HARD:
			d->hard = true;
			break;
		case JR_MODE_SOFT:
			d->hard = false;
			break;
		default:
			d->hard = !d->e->db || jr_has_backup_info(&d->e->db->hdr);
			break;
		}
		if (d->hard)
			j->n_hard++;
		else
			j->n_soft++;
	}
	if (j->n_dbs == 0)
		err = jr_fail(ei, JET_errFileNotFound,
			      "%s holds no database to recover", p->backup_dir);
free_all:
	free(entry_of);
	free(rc);
	free(all);
	return err;
}

/* ---- the hard part ---- */

static JET_ERR jr_job_status(JET_SNT snt, const jr_restore_progress *pr,
			     void *ctx)
{
	jr_job *j = ctx;
	double frac = pr->total ? (double)pr->done / (double)pr->total : 0;

	if (snt == JET_sntComplete)
		frac = 1;
	if (snt == JET_sntFail)
		return 0;
	jr_job_report(j, pr->database, pr->phase, pr->gen, 0, j->share_done,
		      j->n_hard, frac);
	return j->stop ? JR_ERR_CANCELLED : 0;
}

static JET_ERR jr_job_hard(jr_job *j, jr_errinfo *ei)
{
	const jr_job_params *p = j->p;
	jr_rstmap_entry *map = NULL;
	jr_restore_params rp;
	size_t k = 0;
	JET_ERR err;

	/* With soft databases in the set, the hard part gets a map of its
	 * own, of the file names this job selected (matching the recorded
	 * names again could find the soft ones too: a live database and
	 * its streaming copy share them). */
	if (j->n_soft) {
		map = calloc(j->n_hard, sizeof(*map));
		if (!map)
			return jr_fail(ei, JET_errOutOfMemory, "job");
		for (unsigned i = 0; i < j->n_dbs; i++) {
			const jr_job_db *d = &j->dbs[i];

			if (!d->hard)
				continue;
			map[k].old_name = d->e->name;
			map[k].new_name = d->new_name;
			k++;
		}
	}
	memset(&rp, 0, sizeof(rp));
	rp.backup_dir = p->backup_dir;
	rp.log_dir = p->backup_dir;
	rp.out_dir = p->out_dir;
	rp.map = map ? map : j->map;
	rp.n_map = map ? (long)k : (long)p->n_map;
	rp.map_file_names = map != NULL;
	rp.gen_low = p->gen_low;
	rp.gen_high = p->gen_high;
	memcpy(rp.base, p->base_name, sizeof(rp.base));
	rp.target_log_dir = p->target_log_dir;
	rp.target_checkpoint_dir = p->target_checkpoint_dir;
	rp.cache_bytes = p->cache_bytes;
	rp.status = jr_job_status;
	rp.status_ctx = j;
	rp.cancel = p->cancel;
	err = jr_restore_run(&rp, NULL, ei);
	free(map);
	if (err == JET_errSuccess)
		j->share_done += j->n_hard;
	return err;
}

/* ---- the soft part ---- */

struct jr_soft_ctx {
	jr_job *j;
	const char *name;
};

static JET_ERR jr_soft_progress(const char *db, uint32_t gen,
				uint32_t first, uint32_t last, void *ctx)
{
	struct jr_soft_ctx *c = ctx;
	double frac = gen == 0 ? 1
		: (double)(gen - first) / (double)(last - first + 1);

	(void)db;
	jr_job_report(c->j, c->name, gen ? "redo" : "header", gen, 0,
		      c->j->share_done, 1, frac);
	/* the job's callback asked to stop (the cancel flag is the replay's
	 * own: jr_recovery_opts.cancel) */
	return c->j->stop ? JR_ERR_CANCELLED : JET_errSuccess;
}

static JET_ERR jr_job_soft_one(jr_job *j, const jr_job_db *d, jr_errinfo *ei)
{
	const jr_job_params *p = j->p;
	struct jr_soft_ctx c = { j, d->new_name };
	jr_recovery_opts o;
	jr_recovery_summary *sum;
	JET_ERR err;

	if (d->e->db && ese_dbheader_needs_patch(&d->e->db->hdr))
		return jr_fail(ei, JET_errSoftRecoveryOnBackupDatabase,
			       "%s is a streaming-backup copy: restore it "
			       "(hard recovery) instead", d->e->path);
	sum = calloc(1, sizeof(*sum));
	if (!sum)
		return jr_fail(ei, JET_errOutOfMemory, "job");
	jr_recovery_opts_init(&o);
	o.db_path = d->e->path;
	o.log_dir = p->backup_dir;
	o.system_dir = p->backup_dir;
	o.out_dir = j->staging;
	if (p->cache_bytes)
		o.cache_bytes = p->cache_bytes;
	o.progress = jr_soft_progress;
	o.progress_ctx = &c;
	o.cancel = p->cancel;
	jr_job_report(j, d->new_name, "copy", 0, 0, j->share_done, 1, 0);
	err = jr_recover_database(&o, sum, ei);
	if (err >= 0)
		jr_job_report(j, d->new_name, "done", 0, sum->redo.records,
			      j->share_done, 1, 1);
	free(sum);
	if (err >= 0 && jr_job_cancelled(j))
		err = jr_fail(ei, JR_ERR_CANCELLED, "job cancelled");
	if (err >= 0)
		j->share_done++;
	return err;
}

static void jr_rm_staging(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) >= 0) {
			unlink(path);
			free(path);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static JET_ERR jr_job_soft(jr_job *j, jr_errinfo *ei)
{
	JET_ERR err;

	if (asprintf(&j->staging, "%s/.jrjob-XXXXXX", j->p->out_dir) < 0) {
		j->staging = NULL;
		return jr_fail(ei, JET_errOutOfMemory, "job");
	}
	if (!mkdtemp(j->staging))
		return jr_fail(ei, JET_errInvalidPath, "%s: %s", j->staging,
			       strerror(errno));
	for (unsigned i = 0; i < j->n_dbs; i++) {
		if (j->dbs[i].hard)
			continue;
		if (jr_job_cancelled(j))
			return jr_fail(ei, JR_ERR_CANCELLED, "job cancelled");
		err = jr_job_soft_one(j, &j->dbs[i], ei);
		if (err < 0)
			return err;
	}
	return JET_errSuccess;
}

static char *jr_out_path(const jr_job *j, const char *name)
{
	char *path;

	return asprintf(&path, "%s/%s", j->p->out_dir, name) < 0 ? NULL : path;
}

/* After a failure late in the job: remove the outputs published so far
 * (every hard one, and the soft ones before index `soft_upto`). */
static void jr_job_unpublish(jr_job *j, unsigned soft_upto)
{
	for (unsigned i = 0; i < j->n_dbs; i++) {
		char *path;

		if (!j->dbs[i].hard && i >= soft_upto)
			continue;
		path = jr_out_path(j, j->dbs[i].new_name);
		if (path)
			unlink(path);
		free(path);
	}
}

/* Move the soft results to their names; all or nothing. */
static JET_ERR jr_job_publish_soft(jr_job *j, jr_errinfo *ei)
{
	for (unsigned i = 0; i < j->n_dbs; i++) {
		const jr_job_db *d = &j->dbs[i];
		char *from = NULL, *to = NULL;
		JET_ERR err = JET_errSuccess;

		if (d->hard)
			continue;
		to = jr_out_path(j, d->new_name);
		if (asprintf(&from, "%s/%s", j->staging, d->e->name) < 0)
			from = NULL;
		if (!from || !to)
			err = jr_fail(ei, JET_errOutOfMemory, "job");
		else if (rename(from, to) != 0)
			err = jr_fail(ei, JET_errDiskIO, "rename %s -> %s: %s",
				      from, to, strerror(errno));
		free(from);
		free(to);
		if (err < 0) {
			jr_job_unpublish(j, i);
			return err;
		}
	}
	return JET_errSuccess;
}

static JET_ERR jr_job_check(const jr_job_params *p, jr_errinfo *ei)
{
	struct stat st;

	if (!p || !p->backup_dir || !p->out_dir)
		return jr_fail(ei, JET_errInvalidParameter,
			       "a job needs a backup and an output directory");
	if (p->mode != JR_MODE_AUTO && p->mode != JR_MODE_HARD &&
	    p->mode != JR_MODE_SOFT)
		return jr_fail(ei, JET_errInvalidParameter, "job mode %d",
			       (int)p->mode);
	if (!p->target_log_dir != !p->target_checkpoint_dir)
		return jr_fail(ei, JET_errInvalidParameter,
			       "the target-instance log and checkpoint "
			       "directories go together");
	if (p->n_map && !p->map)
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map is NULL but its count is %zu",
			       p->n_map);
	if (stat(p->out_dir, &st) != 0)
		return jr_fail(ei, errno == ENOENT ? JET_errFileNotFound
						   : JET_errInvalidPath,
			       "output directory %s: %s", p->out_dir,
			       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return jr_fail(ei, JET_errInvalidPath,
			       "output directory %s is not a directory",
			       p->out_dir);
	return JET_errSuccess;
}

JET_ERR jr_job_run(const jr_job_params *p, jr_errinfo *ei)
{
	jr_job j;
	JET_ERR err;

	memset(&j, 0, sizeof(j));
	err = jr_job_check(p, ei);
	if (err < 0)
		return err;
	j.p = p;
	if (p->n_map) {
		if (p->n_map > JR_RSTMAP_MAX)
			return jr_fail(ei, JET_errInvalidParameter,
				       "restore map of %zu entries: at most %d",
				       p->n_map, JR_RSTMAP_MAX);
		j.map = calloc(p->n_map, sizeof(*j.map));
		if (!j.map)
			return jr_fail(ei, JET_errOutOfMemory, "job");
		for (size_t i = 0; i < p->n_map; i++) {
			j.map[i].old_name = p->map[i].old_name;
			j.map[i].new_name = p->map[i].new_name;
		}
		err = jr_rstmap_validate(j.map, (long)p->n_map, ei);
		if (err < 0)
			goto free_job;
		for (size_t i = 0; i < p->n_map; i++)
			if (strchr(p->map[i].new_name, '/')) {
				err = jr_fail(ei, JET_errInvalidParameter,
					      "new name '%s' is not a file "
					      "name in the output directory",
					      p->map[i].new_name);
				goto free_job;
			}
	}
	err = jr_scan_dir(p->backup_dir, &j.scan, ei);
	if (err < 0)
		goto free_job;
	err = jr_job_select(&j, ei);
	if (err < 0)
		goto free_job;
	if (jr_job_cancelled(&j)) {
		err = jr_fail(ei, JR_ERR_CANCELLED, "job cancelled");
		goto free_job;
	}
	/* Soft first into the staging directory (nothing visible yet), then
	 * the hard part publishes, then the soft results are moved. */
	if (j.n_soft) {
		err = jr_job_soft(&j, ei);
		if (err < 0)
			goto free_job;
	}
	if (j.n_hard) {
		err = jr_job_hard(&j, ei);
		if (err < 0)
			goto free_job;
	}
	if (j.n_soft) {
		err = jr_job_publish_soft(&j, ei);
		if (err < 0)
			goto free_job;
	}
	jr_job_report(&j, NULL, "done", 0, 0, j.n_dbs, 0, 1);
free_job:
	if (j.staging)
		jr_rm_staging(j.staging);
	free(j.staging);
	free(j.dbs);
	free(j.map);
	jr_scan_free(j.scan);
	return err;
}
