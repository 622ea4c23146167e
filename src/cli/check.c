/*
 * check.c - `jetrestore check [--json] [--max N] [--pages-only] DB...`:
 * structural integrity of each database (recover/dbcheck.h): checksums,
 * page sanity, tags, keys in order within pages and across siblings,
 * sibling and parent links, no page dbtime above the header's.
 *
 * Exit status 0 when every database is sound; otherwise the first problems
 * are listed with their page numbers and the command fails with -1206
 * DatabaseCorrupted (or the error that kept the check from running).
 */
#include "cli/commands.h"
#include "cli/cliutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ese/dbheader.h"
#include "recover/dbcheck.h"
#include "util/json.h"

static void jr_check_usage(FILE *out)
{
	fprintf(out, "usage: jetrestore check [--json] [--max N] [--pages-only] "
		     "DB...\n");
}

static void jr_check_text(const char *db, const jr_dbcheck_result *r)
{
	printf("%s: %s, %llu pages (%llu blank), %llu trees, %llu tree pages, "
	       "depth %llu\n", db, ese_dbstate_name(r->state),
	       (unsigned long long)r->pages,
	       (unsigned long long)r->pages_blank,
	       (unsigned long long)r->trees,
	       (unsigned long long)r->tree_pages,
	       (unsigned long long)r->max_depth);
	printf("  dbtime: header 0x%llx, highest page 0x%llx\n",
	       (unsigned long long)r->dbtime_header,
	       (unsigned long long)r->dbtime_max_page);
	if (r->problems.total == 0) {
		printf("  sound: no problems\n");
		return;
	}
	printf("  %zu problem(s):\n", r->problems.total);
	for (size_t i = 0; i < r->problems.count; i++) {
		const ese_page_problem *p = &r->problems.items[i];

		if (p->itag >= 0)
			printf("    page %u tag %d: %s: %s\n", p->pgno, p->itag,
			       ese_pgchk_kind_name(p->kind), p->reason);
		else
			printf("    page %u: %s: %s\n", p->pgno,
			       ese_pgchk_kind_name(p->kind), p->reason);
	}
	if (r->problems.total > r->problems.count)
		printf("    ... and %zu more\n",
		       r->problems.total - r->problems.count);
}

static void jr_check_json(const char *db, const jr_dbcheck_result *r,
			  const jr_errinfo *ei)
{
	jr_json j;

	if (!jr_cli_json_db_begin(&j, db, ei))
		return;
	jr_json_str(&j, "state", ese_dbstate_name(r->state));
	jr_json_u64(&j, "page_size", r->page_size);
	jr_json_u64(&j, "pages", r->pages);
	jr_json_u64(&j, "pages_blank", r->pages_blank);
	jr_json_u64(&j, "pages_checked", r->pages_checked);
	jr_json_u64(&j, "trees", r->trees);
	jr_json_u64(&j, "tree_pages", r->tree_pages);
	jr_json_u64(&j, "max_depth", r->max_depth);
	jr_json_u64(&j, "dbtime_header", r->dbtime_header);
	jr_json_u64(&j, "dbtime_max_page", r->dbtime_max_page);
	jr_json_bool(&j, "sound", r->problems.total == 0);
	jr_json_u64(&j, "problems", r->problems.total);
	jr_json_array_begin(&j, "listed");
	for (size_t i = 0; i < r->problems.count; i++) {
		const ese_page_problem *p = &r->problems.items[i];

		jr_json_object_begin(&j, NULL);
		jr_json_u64(&j, "pgno", p->pgno);
		jr_json_i64(&j, "itag", p->itag);
		jr_json_str(&j, "kind", ese_pgchk_kind_name(p->kind));
		jr_json_str(&j, "reason", p->reason);
		jr_json_object_end(&j);
	}
	jr_json_array_end(&j);
	jr_cli_json_db_end(&j);
}

int jr_cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max", required_argument, NULL, 'm' },
		{ "pages-only", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	jr_dbcheck_opts o;
	bool json = false;
	int status = 0, c;

	jr_dbcheck_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jm:ph", longopts, NULL)) != -1) {
		unsigned long v;

		switch (c) {
		case 'j':
			json = true;
			break;
		case 'm':
			if (!jr_cli_parse_ulong("check", "max", optarg, 10, 1,
						100000, &v))
				return 2;
			o.max_listed = v;
			break;
		case 'p':
			o.skip_trees = true;
			break;
		case 'h':
			jr_check_usage(stdout);
			return 0;
		default:
			jr_check_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		jr_check_usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		jr_dbcheck_result r;
		jr_errinfo ei;

		jr_errinfo_clear(&ei);
		if (jr_dbcheck(argv[i], &o, &r, &ei) < 0) {
			if (json)
				jr_check_json(argv[i], &r, &ei);
			jr_errinfo_prefix(&ei, "%s", argv[i]);
			status = jr_cli_report("check", &ei);
			jr_dbcheck_free(&r);
			continue;
		}
		if (json)
			jr_check_json(argv[i], &r, NULL);
		else
			jr_check_text(argv[i], &r);
		if (r.problems.total) {
			const ese_page_problem *p = &r.problems.items[0];

			jr_fail(&ei, JET_errDatabaseCorrupted,
				"%s: %zu problem(s), first: page %u: %s",
				argv[i], r.problems.total, p->pgno, p->reason);
			status = jr_cli_report("check", &ei);
		}
		jr_dbcheck_free(&r);
	}
	return status;
}
