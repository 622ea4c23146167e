/*
 * restore.c - `jetrestore restore`: hard recovery of a streaming backup
 * through JetExternalRestore2's engine (restore/extrestore.h).
 *
 *   jetrestore restore --backup-dir D --target D [--map OLD=NEW]...
 *       [--gen-low N --gen-high N] [--base NAME]
 *       [--target-log-dir D --target-checkpoint-dir D]
 *       [--checkpoint-dir D] [--log-dir D] [--cache-mb N] [--json]
 *
 * The parameters are JetExternalRestore2's: --backup-dir is
 * szBackupLogPath, --log-dir szLogPath (default --target), --checkpoint-dir
 * szCheckpointFilePath, --map one JET_RSTMAP entry (OLD as the backup
 * recorded it, e.g. a Windows path; NEW relative to --target), --gen-low /
 * --gen-high / --base the JET_LOGINFO (0 / absent: from the backup), the
 * target-instance directories. Databases go to --target.
 *
 * Progress: a bar on stderr when it is a terminal, else one plain line per
 * phase and per 10%. On failure the JET_ERR number, name and message on
 * stderr and exit status 1; 2 for a usage error.
 */
#include "cli/commands.h"
#include "cli/cliutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "restore/extrestore.h"
#include "util/json.h"

static void jr_restore_usage(FILE *out)
{
	fprintf(out,
		"usage: jetrestore restore --backup-dir D --target D "
		"[--map OLD=NEW]...\n"
		"         [--gen-low N --gen-high N] [--base NAME]\n"
		"         [--target-log-dir D --target-checkpoint-dir D]\n"
		"         [--checkpoint-dir D] [--log-dir D] [--cache-mb N] "
		"[--json]\n"
		"Hard recovery (JetExternalRestore2) of a streaming backup into "
		"--target.\n");
}

/* Progress display state (one per command run). */
struct jr_bar {
	bool tty;
	int last_tenth;
	char last_phase[16];
	bool drawn;
};

static JET_ERR jr_restore_status(JET_SNT snt, const jr_restore_progress *p,
				 void *ctx)
{
	struct jr_bar *b = ctx;
	unsigned pct = p->total ? (unsigned)(p->done * 100 / p->total) : 0;
	const char *phase = p->phase ? p->phase : "";
	const char *db = p->database ? p->database : "";

	if (snt == JET_sntComplete)
		pct = 100;
	if (b->tty) {
		char bar[41];
		unsigned fill = pct * 40 / 100;

		memset(bar, '#', fill);
		memset(bar + fill, ' ', 40 - fill);
		bar[40] = '\0';
		fprintf(stderr, "\r[%s] %3u%% %-6s", bar, pct, phase);
		if (p->gen)
			fprintf(stderr, " gen 0x%X", p->gen);
		fprintf(stderr, "\033[K");
		b->drawn = true;
		if (snt == JET_sntComplete || snt == JET_sntFail) {
			fputc('\n', stderr);
			b->drawn = false;
		}
		return 0;
	}
	if (snt == JET_sntBegin) {
		fprintf(stderr, "restore: begin\n");
		return 0;
	}
	if (snt == JET_sntComplete || snt == JET_sntFail) {
		fprintf(stderr, "restore: %s\n",
			snt == JET_sntComplete ? "complete" : "failed");
		return 0;
	}
	if ((int)(pct / 10) != b->last_tenth || strcmp(phase, b->last_phase)) {
		b->last_tenth = (int)(pct / 10);
		snprintf(b->last_phase, sizeof(b->last_phase), "%s", phase);
		fprintf(stderr, "restore: %3u%% %s %s", pct, phase, db);
		if (p->gen)
			fprintf(stderr, " gen 0x%X", p->gen);
		fputc('\n', stderr);
	}
	return 0;
}

static bool jr_parse_gen(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static void jr_restore_print(const jr_restore_result *res, bool json)
{
	if (json) {
		jr_json j;

		jr_json_init(&j, stdout, false);
		jr_json_object_begin(&j, NULL);
		jr_json_array_begin(&j, "databases");
		for (unsigned i = 0; res->targets && i < res->n_dbs; i++)
			jr_json_str(&j, NULL, res->targets[i]);
		jr_json_array_end(&j);
		jr_json_u64(&j, "gen_low", res->gen_low);
		jr_json_u64(&j, "gen_high", res->gen_high);
		jr_json_u64(&j, "gen_end", res->gen_end);
		jr_json_u64(&j, "records", res->records);
		jr_json_object_end(&j);
		jr_json_newline(&j);
		return;
	}
	for (unsigned i = 0; res->targets && i < res->n_dbs; i++)
		printf("restored %s\n", res->targets[i]);
	printf("generations 0x%X-0x%X", res->gen_low, res->gen_high);
	if (res->gen_end > res->gen_high)
		printf(", rolled forward to 0x%X", res->gen_end);
	printf(", %llu records replayed\n", (unsigned long long)res->records);
}

int jr_cmd_restore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "backup-dir", required_argument, NULL, 'b' },
		{ "target", required_argument, NULL, 't' },
		{ "map", required_argument, NULL, 'm' },
		{ "gen-low", required_argument, NULL, 'L' },
		{ "gen-high", required_argument, NULL, 'H' },
		{ "base", required_argument, NULL, 'B' },
		{ "target-log-dir", required_argument, NULL, 'T' },
		{ "target-checkpoint-dir", required_argument, NULL, 'C' },
		{ "checkpoint-dir", required_argument, NULL, 'c' },
		{ "log-dir", required_argument, NULL, 'l' },
		{ "cache-mb", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	jr_rstmap_entry map[JR_RSTMAP_MAX + 1];
	jr_restore_params p;
	jr_restore_result res;
	struct jr_bar bar = { .last_tenth = -1 };
	bool json = false;
	uint32_t cache_mb = 0;
	jr_errinfo ei;
	JET_ERR err;
	int c;

	memset(&p, 0, sizeof(p));
	memset(&res, 0, sizeof(res));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': p.backup_dir = optarg; break;
		case 't': p.out_dir = optarg; break;
		case 'T': p.target_log_dir = optarg; break;
		case 'C': p.target_checkpoint_dir = optarg; break;
		case 'c': p.checkpoint_dir = optarg; break;
		case 'l': p.log_dir = optarg; break;
		case 'j': json = true; break;
		case 'm': {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg || !eq[1]) {
				fprintf(stderr, "jetrestore restore: --map "
					"wants OLD=NEW, not '%s'\n", optarg);
				return 2;
			}
			if (p.n_map > JR_RSTMAP_MAX) {
				fprintf(stderr, "jetrestore restore: at most "
					"%d --map\n", JR_RSTMAP_MAX);
				return 2;
			}
			*eq = '\0';
			map[p.n_map].old_name = optarg;
			map[p.n_map].new_name = eq + 1;
			p.n_map++;
			break;
		}
		case 'L':
		case 'H':
		case 'M': {
			uint32_t v;

			if (!jr_parse_gen(optarg, &v)) {
				fprintf(stderr, "jetrestore restore: not a "
					"number: '%s'\n", optarg);
				return 2;
			}
			if (c == 'L')
				p.gen_low = v;
			else if (c == 'H')
				p.gen_high = v;
			else
				cache_mb = v;
			break;
		}
		case 'B':
			if (strlen(optarg) > JET_BASE_NAME_LENGTH) {
				fprintf(stderr, "jetrestore restore: base name "
					"'%s' is longer than %d\n", optarg,
					JET_BASE_NAME_LENGTH);
				return 2;
			}
			snprintf(p.base, sizeof(p.base), "%s", optarg);
			break;
		case 'h':
			jr_restore_usage(stdout);
			return 0;
		default:
			jr_restore_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !p.backup_dir || !p.out_dir) {
		jr_restore_usage(stderr);
		return 2;
	}
	if (p.n_map)
		p.map = map;
	if (!p.log_dir)
		p.log_dir = p.out_dir;
	p.cache_bytes = (size_t)cache_mb << 20;
	bar.tty = isatty(STDERR_FILENO);
	p.status = jr_restore_status;
	p.status_ctx = &bar;
	jr_errinfo_clear(&ei);
	err = jr_restore_run(&p, &res, &ei);
	if (bar.drawn)
		fputc('\n', stderr);
	if (err < 0)
		return jr_cli_report("restore", &ei);
	jr_restore_print(&res, json);
	jr_restore_result_clear(&res);
	return 0;
}
