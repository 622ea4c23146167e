/*
 * dump.c - `jetrestore dump FILE...`: the header of a database, checkpoint or
 * log file (what `esentutl /mh`, `/mk` and `/ml` show), and with --records
 * every logical record of a log.
 *
 * The kind of each file comes from its content (file type at offset 667),
 * never from its name. Text output imitates esentutl's labels; --json gives
 * one JSON document per file (with --records: JSON Lines, one object per
 * record, the header first).
 */
#include "cli/commands.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/dump_records.h"
#include "cli/emit.h"
#include "ese/checkpoint.h"
#include "ese/dbheader.h"
#include "ese/filetype.h"
#include "ese/loghdr.h"

struct jr_dump_opts {
	bool json;
	bool records;
};

static void jr_dump_attach(jr_emit *e, const ese_attachinfo *a, unsigned n)
{
	jr_emit_list_begin(e, "attach", "Attached databases:");
	for (unsigned i = 0; i < n; i++) {
		char title[32];

		snprintf(title, sizeof(title), "dbid %u:", a[i].dbid);
		jr_emit_begin(e, NULL, title);
		jr_emit_u64(e, "dbid", "dbid", a[i].dbid);
		jr_emit_str(e, "path", "Path", a[i].path);
		jr_emit_u64x(e, "dbtime", "dbtime", a[i].dbtime);
		jr_emit_u64(e, "objid_last", "Last objid", a[i].objid_last);
		jr_emit_lgpos(e, "lgpos_attach", "Attach lgpos",
			      &a[i].lgpos_attach);
		jr_emit_lgpos(e, "lgpos_consistent", "Consistent lgpos",
			      &a[i].lgpos_consistent);
		jr_emit_signature(e, "sign_db", "DB Signature", &a[i].sign_db);
		jr_emit_end(e);
	}
	jr_emit_list_end(e);
}

static JET_ERR jr_dump_database(jr_emit *e, const char *path, jr_errinfo *ei)
{
	ese_dbheader_read_result *r;
	const ese_dbheader *h;
	char buf[64];
	JET_ERR err;

	r = malloc(sizeof(*r));
	if (!r)
		return jr_fail(ei, JET_errOutOfMemory, "dump");
	err = ese_dbheader_read_file(path, r, ei);
	if (err < 0)
		goto free_r;
	h = &r->hdr;
	jr_emit_str(e, "kind", "File Type", "Database");
	jr_emit_u64x(e, "checksum", "Checksum", h->checksum);
	jr_emit_u64x(e, "magic", "Format ulMagic", h->magic);
	snprintf(buf, sizeof(buf), "0x%x,%u", h->version, h->update_major);
	jr_emit_str(e, "format", "Format ulVersion", buf);
	jr_emit_u64x(e, "version", "Format version", h->version);
	jr_emit_u64(e, "update_major", "Format update major", h->update_major);
	jr_emit_u64(e, "update_minor", "Format update minor", h->update_minor);
	snprintf(buf, sizeof(buf), "0x%x,%u", h->create_version,
		 h->create_update);
	jr_emit_str(e, "create_format", "Created ulVersion", buf);
	jr_emit_signature(e, "sign_db", "DB Signature", &h->sign_db);
	jr_emit_u64(e, "page_size", "cbDbPage", r->page_size);
	jr_emit_u64x(e, "dbtime", "dbtime", h->dbtime);
	jr_emit_str(e, "state", "State", ese_dbstate_name(h->state));
	jr_emit_u64(e, "state_code", "State code", h->state);
	snprintf(buf, sizeof(buf), "%u-%u (0x%x-0x%x)", h->gen_min_required,
		 h->gen_max_required, h->gen_min_required, h->gen_max_required);
	if (!e->json)
		jr_emit_str(e, NULL, "Log Required", buf);
	jr_emit_u64(e, "gen_min_required", "genMinRequired", h->gen_min_required);
	jr_emit_u64(e, "gen_max_required", "genMaxRequired", h->gen_max_required);
	jr_emit_u64(e, "gen_max_committed", "Log Committed", h->gen_max_committed);
	jr_emit_u64(e, "gen_min_consistent", "genMinConsistent",
		    h->gen_min_consistent);
	jr_emit_u64(e, "gen_recovering", "Log Recovering", h->gen_recovering);
	jr_emit_logtime(e, "logtime_gen_max_create", "GenMax Creation",
			&h->logtime_gen_max_create);
	jr_emit_u64(e, "shadowing_disabled", "Shadowed",
		    ese_dbheader_shadowing_disabled(h) ? 0 : 1);
	jr_emit_u64(e, "objid_last", "Last Objid", h->objid_last);
	jr_emit_u64(e, "dbid", "dbid", h->dbid);
	jr_emit_lgpos(e, "lgpos_consistent", "Last Consistent",
		      &h->lgpos_consistent);
	jr_emit_logtime(e, "logtime_consistent", "Consistent Time",
			&h->logtime_consistent);
	jr_emit_lgpos(e, "lgpos_attach", "Last Attach", &h->lgpos_attach);
	jr_emit_logtime(e, "logtime_attach", "Attach Time", &h->logtime_attach);
	jr_emit_lgpos(e, "lgpos_detach", "Last Detach", &h->lgpos_detach);
	jr_emit_logtime(e, "logtime_detach", "Detach Time", &h->logtime_detach);
	jr_emit_signature(e, "sign_log", "Log Signature", &h->sign_log);
	jr_emit_bkinfo(e, "bk_full_prev", "Previous Full Backup",
		       &h->bk_full_prev);
	jr_emit_bkinfo(e, "bk_inc_prev", "Previous Incremental Backup",
		       &h->bk_inc_prev);
	jr_emit_bkinfo(e, "bk_copy_prev", "Previous Copy Backup",
		       &h->bk_copy_prev);
	jr_emit_bkinfo(e, "bk_diff_prev", "Previous Differential Backup",
		       &h->bk_diff_prev);
	jr_emit_bkinfo(e, "bk_full_cur", "Current Full Backup", &h->bk_full_cur);
	jr_emit_bkinfo(e, "bk_snapshot_cur", "Current Shadow copy backup",
		       &h->bk_snapshot_cur);
	jr_emit_u64(e, "repair_count", "Repair Count", h->repair_count);
	jr_emit_logtime(e, "logtime_repair", "Repair Date", &h->logtime_repair);
	jr_emit_u64x(e, "dbtime_last_scrub", "Scrub Dbtime",
		     h->dbtime_last_scrub);
	jr_emit_logtime(e, "logtime_scrub", "Scrub Date", &h->logtime_scrub);
	jr_emit_u64(e, "ecc_fix_success", "ECC Fix Success Count",
		    h->ecc_fix_success);
	jr_emit_u64(e, "ecc_fix_fail", "ECC Fix Error Count", h->ecc_fix_fail);
	jr_emit_u64(e, "bad_checksum", "Bad Checksum Error Count",
		    h->bad_checksum);
	jr_emit_u64(e, "page_patch_count", "Page Patch Count",
		    h->page_patch_count);
	jr_emit_u64(e, "extend_count", "Extend Count", h->extend_count);
	jr_emit_u64(e, "shrink_count", "Shrink Count", h->shrink_count);
	jr_emit_u64(e, "trim_count", "Trim Count", h->trim_count);
	snprintf(buf, sizeof(buf), "%u.%u.%u SP%u", h->os_major, h->os_minor,
		 h->os_build, h->os_sp);
	jr_emit_str(e, "os_version", "OS Version", buf);
	jr_emit_u64(e, "efv_max_bin_attach", "Engine format version",
		    h->efv_max_bin_attach);
	jr_emit_str(e, "header_copy", "Header copy used",
		    r->copy == 0 ? "primary" : "shadow");
	jr_emit_str(e, "shadow_status", "Header copies",
		    ese_shadow_status_name(r->status));
free_r:
	free(r);
	return err;
}

static JET_ERR jr_dump_checkpoint(jr_emit *e, const char *path, jr_errinfo *ei)
{
	ese_checkpoint_read_result *r;
	const ese_checkpoint *c;
	ese_lgpos cons;
	JET_ERR err;

	r = malloc(sizeof(*r));
	if (!r)
		return jr_fail(ei, JET_errOutOfMemory, "dump");
	err = ese_checkpoint_read_file(path, r, ei);
	if (err < 0)
		goto free_r;
	c = &r->chk;
	jr_emit_str(e, "kind", "File Type", "Checkpoint");
	jr_emit_u64x(e, "checksum", "Checksum", c->checksum);
	jr_emit_lgpos(e, "lgpos_checkpoint", "Checkpoint", &c->lgpos_checkpoint);
	cons = ese_checkpoint_db_consistency(c);
	jr_emit_lgpos(e, "lgpos_db_consistency", "DB Consistency", &cons);
	jr_emit_lgpos(e, "lgpos_full_backup", "FullBackup", &c->lgpos_full_backup);
	jr_emit_logtime(e, "logtime_full_backup", "FullBackup time",
			&c->logtime_full_backup);
	jr_emit_lgpos(e, "lgpos_inc_backup", "IncBackup", &c->lgpos_inc_backup);
	jr_emit_logtime(e, "logtime_inc_backup", "IncBackup time",
			&c->logtime_inc_backup);
	jr_emit_signature(e, "sign_log", "Signature", &c->sign_log);
	jr_emit_str(e, "system_path", "System path", c->dbms.system_path);
	jr_emit_str(e, "log_path", "Log path", c->dbms.log_path);
	jr_emit_str(e, "copy", "Copy used",
		    r->copy == 0 ? "primary" : "shadow");
	jr_emit_bool(e, "attach_present", "Attach list present",
		     c->attach_present);
	if (c->attach_present)
		jr_dump_attach(e, c->attach, c->n_attach);
free_r:
	free(r);
	return err;
}

static JET_ERR jr_dump_log(jr_emit *e, const char *path, jr_errinfo *ei)
{
	ese_loghdr *h;
	uint64_t size;
	char buf[64];
	JET_ERR err;

	h = malloc(sizeof(*h));
	if (!h)
		return jr_fail(ei, JET_errOutOfMemory, "dump");
	err = ese_loghdr_read_file(path, h, &size, ei);
	if (err < 0)
		goto free_h;
	jr_emit_str(e, "kind", "File Type", "Log");
	jr_emit_u64x(e, "checksum", "Checksum", h->checksum);
	jr_emit_u64x(e, "gen", "lGeneration", h->gen);
	jr_emit_str(e, "version", "Log Format",
		    ese_loghdr_version_format(h, buf, sizeof(buf)));
	jr_emit_logtime(e, "tm_create", "Creation time", &h->tm_create);
	jr_emit_logtime(e, "tm_prev_gen", "Prev Gen time", &h->tm_prev_gen);
	jr_emit_signature(e, "sign_log", "Signature", &h->sign_log);
	jr_emit_u64(e, "cb_sec", "Sector size", h->cb_sec);
	jr_emit_u64(e, "csec_lgfile", "Sectors in file", h->csec_lgfile);
	jr_emit_u64(e, "file_size", "File size", size);
	jr_emit_u64(e, "page_size", "Database page size",
		    h->cb_page ? h->cb_page : 4096);
	jr_emit_bool(e, "circular", "Circular logging", ese_loghdr_circular(h));
	jr_emit_u64x(e, "lg_flags", "Log flags", h->lg_flags);
	jr_emit_lgpos(e, "lgpos_checkpoint", "Checkpoint at creation",
		      &h->lgpos_checkpoint);
	jr_emit_u64x(e, "checksum_prev_log", "Previous log checksum",
		     h->checksum_prev_log);
	jr_emit_u64(e, "efv_engine", "Engine format version", h->efv_engine);
	jr_emit_str(e, "system_path", "System path", h->dbms.system_path);
	jr_emit_str(e, "log_path", "Log path", h->dbms.log_path);
	jr_dump_attach(e, h->attach, h->n_attach);
free_h:
	free(h);
	return err;
}

static JET_ERR jr_dump_file(const char *path, const struct jr_dump_opts *o,
			    jr_errinfo *ei)
{
	ese_file_info fi;
	jr_emit e;
	JET_ERR err;

	err = ese_file_detect_path(path, &fi, ei);
	if (err < 0)
		return err;
	jr_emit_init(&e, stdout, o->json, !o->records);
	jr_emit_begin(&e, NULL, NULL);
	if (o->json)
		jr_emit_str(&e, "file", NULL, path);
	else
		printf("%s:\n", path);
	switch (fi.filetype) {
	case JET_filetypeDatabase:
	case JET_filetypeStreamingFile:
	case JET_filetypeTempDatabase:
		err = jr_dump_database(&e, path, ei);
		break;
	case JET_filetypeCheckpoint:
		err = jr_dump_checkpoint(&e, path, ei);
		break;
	case JET_filetypeLog:
		err = jr_dump_log(&e, path, ei);
		break;
	default:
		jr_emit_str(&e, "kind", "File Type",
			    fi.blank ? "Blank (zero-filled)"
				     : ese_filetype_name(fi.filetype));
		err = jr_fail(ei, JET_errFileInvalidType,
			      "%s: not a database, checkpoint or log file%s",
			      path, fi.blank ? " (all zeros)" : "");
		break;
	}
	if (err < 0) {
		if (o->json) {
			jr_json_i64(&e.j, "error", err);
			jr_json_str(&e.j, "error_name", jet_error_name(err));
			jr_json_str(&e.j, "error_detail", ei->detail);
		}
		jr_emit_end(&e);
		jr_emit_newline(&e);
		return err;
	}
	jr_emit_end(&e);
	jr_emit_newline(&e);
	if (o->records && fi.filetype == JET_filetypeLog)
		err = jr_dump_records(path, o->json, ei);
	return err;
}

static void jr_dump_usage(FILE *out)
{
	fprintf(out,
		"usage: jetrestore dump [--records] [--json] FILE...\n"
		"  Print the header of each database, checkpoint or log file\n"
		"  (the kind is read from the file's content).\n"
		"  --records  also list every logical record of a log file\n"
		"  --json     JSON output (with --records: JSON Lines)\n");
}

int jr_cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "records", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct jr_dump_opts o = { false, false };
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jrh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'r':
			o.records = true;
			break;
		case 'h':
			jr_dump_usage(stdout);
			return 0;
		default:
			jr_dump_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		jr_dump_usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		jr_errinfo ei;

		jr_errinfo_clear(&ei);
		if (jr_dump_file(argv[i], &o, &ei) < 0)
			status = jr_cli_report("dump", &ei);
		fflush(stdout);
	}
	return status;
}
