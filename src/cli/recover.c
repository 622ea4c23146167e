/*
 * recover.c - `jetrestore recover [--log-dir D] [--system-dir D] [--out D]
 * [--cache-mb N] [--replay-from GEN] [--progress] [--json] DB...`:
 * soft recovery (esentutl /r) of each database into a new file.
 *
 * The inputs are never written: each recovered database goes to --out
 * (default: "<the database's directory>.recovered", next to that
 * directory) through a temporary name, fsync and rename. The summary
 * lists the generations replayed, the records applied and skipped per
 * type, the transactions rolled back and the time; --json prints it as
 * one JSON object per database (JSON Lines). Progress (one line per log
 * generation) goes to stderr when stderr is a terminal or --progress is
 * given.
 *
 * --replay-from GEN replays every generation from GEN even over a clean
 * database, treating the database as possibly holding all of them (pages
 * already up to date are skipped by their dbtime): a check that a
 * database is Windows' own result of its logs.
 */
#include "cli/commands.h"
#include "cli/cliutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ese/dbheader.h"
#include "ese/lrtyp.h"
#include "recover/recovery.h"
#include "util/json.h"

static void jr_recover_usage(FILE *out)
{
	fprintf(out,
		"usage: jetrestore recover [--log-dir D] [--system-dir D] "
		"[--out D]\n"
		"                          [--cache-mb N] [--replay-from GEN] "
		"[--progress] [--json] DB...\n"
		"Soft recovery (esentutl /r) of each database into --out "
		"(default: <its directory>.recovered).\n");
}

static JET_ERR jr_recover_progress(const char *db, uint32_t gen,
				   uint32_t first, uint32_t last, void *ctx)
{
	(void)ctx;
	if (gen == 0)
		fprintf(stderr, "recover %s: replay done\n", db);
	else
		fprintf(stderr, "recover %s: generation 0x%X (%u of %u)\n", db,
			gen, gen - first + 1, last - first + 1);
	return JET_errSuccess;
}

static void jr_lgpos_str(const ese_lgpos *p, char *buf, size_t n)
{
	ese_lgpos_format(p, buf, n);
}

static void jr_recover_text(const char *db, const jr_recovery_summary *s)
{
	char a[ESE_LGPOS_STRLEN], b[ESE_LGPOS_STRLEN];
	uint64_t applied = 0, skipped = 0;

	printf("%s: recovered to %s\n", db, s->out_path);
	printf("  state: %s -> Clean Shutdown\n",
	       ese_dbstate_name(s->state_before));
	if (s->was_clean) {
		printf("  clean already: nothing replayed, copied as is\n");
		printf("  time: %.3f s\n", s->seconds);
		return;
	}
	jr_lgpos_str(&s->lgpos_start, a, sizeof(a));
	jr_lgpos_str(&s->lgpos_end, b, sizeof(b));
	printf("  log set %s: generations 0x%X..0x%X, from %s to %s\n",
	       s->base, s->gen_first, s->gen_last, a, b);
	for (unsigned t = 0; t < 256; t++) {
		applied += s->redo.applied[t];
		skipped += s->redo.skipped[t];
	}
	printf("  records: %llu read, %llu page records applied, %llu "
	       "skipped\n", (unsigned long long)s->redo.records,
	       (unsigned long long)applied, (unsigned long long)skipped);
	for (unsigned t = 0; t < 256; t++) {
		if (!s->redo.applied[t] && !s->redo.skipped[t])
			continue;
		printf("    %-28s applied %8llu  skipped %8llu\n",
		       ese_lrtyp_name(t),
		       (unsigned long long)s->redo.applied[t],
		       (unsigned long long)s->redo.skipped[t]);
	}
	printf("  page changes: %llu (%llu pages created)\n",
	       (unsigned long long)s->redo.pages_redone,
	       (unsigned long long)s->redo.pages_created);
	printf("  transactions rolled back: %u (%llu operations)\n",
	       s->redo.trx_undone, (unsigned long long)s->redo.rce_undone);
	printf("  dbtime: 0x%llx\n", (unsigned long long)s->dbtime);
	printf("  time: %.3f s\n", s->seconds);
}

static void jr_recover_json(const char *db, const jr_recovery_summary *s,
			    const jr_errinfo *ei)
{
	char buf[ESE_LGPOS_STRLEN];
	jr_json j;

	if (!jr_cli_json_db_begin(&j, db, ei))
		return;
	jr_json_str(&j, "out", s->out_path);
	jr_json_str(&j, "state_before", ese_dbstate_name(s->state_before));
	jr_json_str(&j, "state_after", "Clean Shutdown");
	jr_json_bool(&j, "was_clean", s->was_clean);
	jr_json_str(&j, "log_base", s->base);
	jr_json_u64(&j, "gen_first", s->gen_first);
	jr_json_u64(&j, "gen_last", s->gen_last);
	jr_lgpos_str(&s->lgpos_start, buf, sizeof(buf));
	jr_json_str(&j, "lgpos_start", buf);
	jr_lgpos_str(&s->lgpos_end, buf, sizeof(buf));
	jr_json_str(&j, "lgpos_end", buf);
	jr_json_u64(&j, "records", s->redo.records);
	jr_json_object_begin(&j, "types");
	for (unsigned t = 0; t < 256; t++) {
		if (!s->redo.applied[t] && !s->redo.skipped[t])
			continue;
		jr_json_object_begin(&j, ese_lrtyp_name(t));
		jr_json_u64(&j, "applied", s->redo.applied[t]);
		jr_json_u64(&j, "skipped", s->redo.skipped[t]);
		jr_json_object_end(&j);
	}
	jr_json_object_end(&j);
	jr_json_u64(&j, "page_changes", s->redo.pages_redone);
	jr_json_u64(&j, "pages_created", s->redo.pages_created);
	jr_json_u64(&j, "macros", s->redo.macros);
	jr_json_u64(&j, "preimages_used", s->redo.preimages_used);
	jr_json_u64(&j, "transactions_undone", s->redo.trx_undone);
	jr_json_u64(&j, "operations_undone", s->redo.rce_undone);
	jr_json_u64(&j, "dbtime", s->dbtime);
	jr_json_u64(&j, "cache_frames", s->cache_frames);
	jr_json_u64(&j, "cache_reads", s->cache_reads);
	jr_json_u64(&j, "cache_writes", s->cache_writes);
	jr_json_i64(&j, "milliseconds", (int64_t)(s->seconds * 1000.0));
	jr_cli_json_db_end(&j);
}

int jr_cmd_recover(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "log-dir", required_argument, NULL, 'l' },
		{ "system-dir", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "cache-mb", required_argument, NULL, 'c' },
		{ "replay-from", required_argument, NULL, 'r' },
		{ "progress", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	jr_recovery_opts o;
	bool json = false, progress = isatty(2) != 0;
	int status = 0, c;

	jr_recovery_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:s:o:c:r:pjh", longopts,
				NULL)) != -1) {
		unsigned long v;

		switch (c) {
		case 'l':
			o.log_dir = optarg;
			break;
		case 's':
			o.system_dir = optarg;
			break;
		case 'o':
			o.out_dir = optarg;
			break;
		case 'c':
			if (!jr_cli_parse_ulong("recover", "cache-mb", optarg,
						10, 1, 65536, &v))
				return 2;
			o.cache_bytes = (size_t)v << 20;
			break;
		case 'r':
			if (!jr_cli_parse_ulong("recover", "replay-from",
						optarg, 0, 1, 0x7fffffff, &v))
				return 2;
			o.replay_from = (uint32_t)v;
			break;
		case 'p':
			progress = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			jr_recover_usage(stdout);
			return 0;
		default:
			jr_recover_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		jr_recover_usage(stderr);
		return 2;
	}
	if (progress) {
		o.progress = jr_recover_progress;
		o.progress_ctx = NULL;
	}
	for (int i = optind; i < argc; i++) {
		jr_recovery_summary sum;
		jr_errinfo ei;

		jr_errinfo_clear(&ei);
		o.db_path = argv[i];
		if (jr_recover_database(&o, &sum, &ei) < 0) {
			if (json)
				jr_recover_json(argv[i], &sum, &ei);
			status = jr_cli_report("recover", &ei);
			continue;
		}
		if (json)
			jr_recover_json(argv[i], &sum, NULL);
		else
			jr_recover_text(argv[i], &sum);
	}
	return status;
}
