/*
 * plan_cont.c - the continuation of a restore plan: the logs newer than the
 * backup's, from the target instance or the log directory, and ESE's
 * checks that they continue the backup (ErrLGIRSTCheckSignaturesLog-
 * Sequence; see plan.h for the errors).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ese/checkpoint.h"
#include "restore/plan_int.h"

/* The target instance's checkpoint, when there is one, must be of the
 * backup's log sequence (-577); a damaged one is -533. */
static JET_ERR jr_check_target_checkpoint(const jr_restore_params *p,
					  const jr_plan *pl, jr_errinfo *ei)
{
	char name[JET_BASE_NAME_LENGTH + 5];
	ese_checkpoint_read_result *cr = NULL;
	struct stat st;
	char *chk;
	JET_ERR err = JET_errSuccess;

	snprintf(name, sizeof(name), "%s.chk", pl->base);
	chk = jr_plan_join(p, p->target_checkpoint_dir, name);
	if (!chk)
		return jr_fail(ei, JET_errOutOfMemory, "restore plan");
	if (stat(chk, &st) != 0)
		goto free_path;
	cr = jr_restore_calloc(p, 1, sizeof(*cr));
	if (!cr) {
		err = jr_fail(ei, JET_errOutOfMemory, "restore plan");
		goto free_path;
	}
	err = ese_checkpoint_read_file(chk, cr, ei);
	if (err >= 0 && !ese_signature_equal(&cr->chk.sign_log, &pl->sign_log))
		err = jr_fail(ei, JET_errBadRestoreTargetInstance,
			      "%s belongs to another log sequence than the "
			      "backup's", chk);
	free(cr);
free_path:
	free(chk);
	return err;
}

/* Roles: the target instance (-577 for a foreign directory) or the log
 * directory (-610 then, and an empty directory is fine). */
JET_ERR jr_plan_continuation(const jr_restore_params *p, jr_plan *pl,
			     const jr_logchain *bc, jr_logchain *tc,
			     jr_errinfo *ei)
{
	const bool target = p->target_log_dir != NULL;
	const char *dir = target ? p->target_log_dir : p->log_dir;
	const jr_scan_entry *newest;
	JET_ERR err;
	char name[64];
	unsigned members = 0;

	if (!dir || jr_plan_same_file(dir, p->backup_dir))
		return JET_errSuccess;
	err = jr_scan_dir(dir, &pl->cont_scan, ei);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < pl->cont_scan->n; i++)
		if (jr_plan_is_member(pl->cont_scan->entries[i], pl->base))
			members++;
	if (!members) {
		if (target)
			return jr_fail(ei, JET_errBadRestoreTargetInstance,
				       "%s holds no log of base name %s", dir,
				       pl->base);
		return JET_errSuccess;
	}
	err = jr_plan_chain(pl->cont_scan, pl->base, tc,
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
		err = jr_check_target_checkpoint(p, pl, ei);
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
