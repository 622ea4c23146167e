/*
 * mkbackup.c - make a streaming-backup set from a real set (backupset.h),
 * for shell tests and demonstrations:
 *
 *   mkbackup SETDIR DB BASE BACKUPDIR [GENLOW GENHIGH [TARGETDIR]]
 *
 * BACKUPDIR (and TARGETDIR) must exist. With TARGETDIR the set's
 * generations after GENHIGH go there, with the circular-logging flags of
 * every placed log cleared (so that they can be rolled forward). Exit
 * status 0, or 1 with the JET_ERR on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/backupset.h"

int main(int argc, char **argv)
{
	jr_bkset_params p;
	ese_bkinfo bk;
	jr_errinfo ei;

	if (argc != 5 && argc != 7 && argc != 8) {
		fprintf(stderr, "usage: %s SETDIR DB BASE BACKUPDIR [GENLOW "
			"GENHIGH [TARGETDIR]]\n", argv[0]);
		return 2;
	}
	memset(&p, 0, sizeof(p));
	p.set_dir = argv[1];
	p.db_name = argv[2];
	p.base = argv[3];
	p.backup_dir = argv[4];
	if (argc >= 7) {
		p.gen_low = (uint32_t)strtoul(argv[5], NULL, 0);
		p.gen_high = (uint32_t)strtoul(argv[6], NULL, 0);
	}
	if (argc == 8) {
		p.target_dir = argv[7];
		p.clear_circular = true;
	}
	jr_errinfo_clear(&ei);
	if (jr_bkset_build(&p, &bk, &ei) < 0) {
		fprintf(stderr, "mkbackup: error %d %s: %s\n", (int)ei.err,
			jet_error_name(ei.err), ei.detail);
		return 1;
	}
	printf("genLow 0x%X genHigh 0x%X\n", bk.gen_low, bk.gen_high);
	return 0;
}
