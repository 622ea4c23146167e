/*
 * run_job.c - run one recovery job the way jetrestorefs asks for it, for
 * the integration tests' expected outputs:
 *
 *   run_job BACKUPDIR OUTDIR MODE OLD NEW [GENLOW GENHIGH BASE]
 *
 * Prints "NUMBER JET_errNAME" on stdout; exit status 0 on success.
 * Linked with the real jr_job_run (run_job) and with the test double
 * (run_job-fake), so each file system build is compared with its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "restore/job.h"

int main(int argc, char **argv)
{
	jr_job_params p;
	jr_job_map map;
	jr_errinfo ei;
	JET_ERR err;

	if (argc != 6 && argc != 9) {
		fprintf(stderr, "usage: %s BACKUPDIR OUTDIR auto|hard|soft OLD NEW "
			"[GENLOW GENHIGH BASE]\n", argv[0]);
		return 2;
	}
	memset(&p, 0, sizeof(p));
	p.backup_dir = argv[1];
	p.out_dir = argv[2];
	p.mode = !strcmp(argv[3], "hard") ? JR_MODE_HARD :
		 !strcmp(argv[3], "soft") ? JR_MODE_SOFT : JR_MODE_AUTO;
	map.old_name = argv[4];
	map.new_name = argv[5];
	p.map = &map;
	p.n_map = 1;
	if (argc == 9) {
		p.gen_low = (uint32_t)strtoul(argv[6], NULL, 0);
		p.gen_high = (uint32_t)strtoul(argv[7], NULL, 0);
		snprintf(p.base_name, sizeof(p.base_name), "%s", argv[8]);
	}
	jr_errinfo_clear(&ei);
	err = jr_job_run(&p, &ei);
	printf("%d JET_err%s\n", err, jet_error_name(err));
	if (err)
		fprintf(stderr, "run_job: %s\n", ei.detail);
	return err ? 1 : 0;
}
