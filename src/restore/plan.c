/*
 * plan.c - parameters + backup set -> restore plan (see plan.h): the
 * parameters, the backup's logs and range, the completed headers, the
 * coverage and the targets. The databases are selected and checked in
 * plan_db.c, the newer logs in plan_cont.c.
 */
#include "restore/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ese/loghdr.h"
#include "restore/logchain.h"
#include "restore/plan_int.h"

#define JR_PLAN_UNIT 4096u          /* progress unit: one 4 KiB block */

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

char *jr_plan_join(const jr_restore_params *p, const char *dir,
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

bool jr_plan_same_file(const char *a, const char *b)
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

bool jr_plan_is_member(const jr_scan_entry *e, const char *base)
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
	JET_ERR err;

	if (p->base[0]) {
		memcpy(base, p->base, JET_BASE_NAME_LENGTH + 1);
		return JET_errSuccess;
	}
	err = jr_logchain_pick_base(s, base, ei);
	if (err < 0) {
		jr_errinfo_prefix(ei, "backup directory %s", p->backup_dir);
		return err;
	}
	if (!base[0])
		return jr_fail(ei, JET_errFileNotFound,
			       "%s holds no log file", p->backup_dir);
	return JET_errSuccess;
}

/* Build a chain, renumbering logchain's errors for the directory's role:
 * bad_sig for -530, not_contig for -528 and -515 (0: keep). */
JET_ERR jr_plan_chain(const jr_scan *s, const char *base, jr_logchain *c,
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

		if (!jr_plan_is_member(e, pl->base))
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
	err = jr_plan_chain(s, pl->base, c, JET_errGivenLogFileHasBadSignature,
			    JET_errFileNotFound,
			    JET_errGivenLogFileIsNotContiguous, ei);
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
	if (jr_plan_same_file(parent, p->backup_dir)) {
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
		if (jr_plan_same_file(path, pl->logs[k])) {
			err = jr_fail(ei, JET_errInvalidPath,
				      "target %s is the input log %s", path,
				      pl->logs[k]);
			goto free_parent;
		}
	for (unsigned k = 0; k < pl->n_dbs; k++) {
		const char *o = pl->dbs[k].new_path;

		if (k < i &&
		    (!strcmp(o, path) || jr_plan_same_file(o, path)))
			err = jr_fail(ei, JET_errInvalidParameter,
				      "two databases would be restored to %s",
				      path);
		else if (jr_plan_same_file(path, pl->dbs[k].src->path))
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
	err = jr_plan_select_dbs(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_fix_range(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_prepare_headers(p, pl, &bc, ei);
	if (err < 0)
		goto fail;
	err = jr_plan_continuation(p, pl, &bc, &tc, ei);
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
