/* cli/cmd-ft2csv.c - the ft2csv compatibility name and `rtlens overheads --ft2csv`. */
#include "cli.h"
#include "../readers/feather-trace.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* ft2csv's usage text, printed as ft2csv prints it (compatibility output) */
static const char ft2csv_usage[] =
	"Usage: ft2csv [-r] [-i] [-s NUM] [-b] [-a CPU] [-o CPU] <event_name>  <logfile> \n"
	"   -i: ignore interleaved  -- ignore samples if start and end are non-consecutive\n"
	"   -s: max_interleaved_skipped -- maximum number of skipped interleaved samples. "
	"must be used in conjunction with [-i] option \n"
	"   -b: best effort         -- don't skip non-rt time stamps \n"
	"   -r: raw binary format   -- don't produce .csv output \n"
	"   -a: avoid CPU           -- skip samples from a specific CPU\n"
	"   -o: only CPU            -- skip all samples from other CPUs\n"
	"   -x: allow interrupts    -- don't skip samples with IRQ-happned flag\n"
	"   -l: list events         -- list the events present in the file\n"
	"   -h: help                -- show this help message\n";

static const char ft2csv_more[] =
	"rtlens additions (not in ft2csv; -p and -e are short options, the rest long):\n"
	"  -p                    pair by PID (default for ids <= 99)\n"
	"  -e                    pair by event id (default for ids >= 100)\n"
	"  --ft-endian auto|le|be  byte order (default: detected per file)\n"
	"  --ft-layout current|2012a|2008  record layout (default current)\n"
	"  --help                this text\n";

static int ft2csv_die(const char *msg)
{
	fprintf(stderr, "%s\n%s", msg, ft2csv_usage);
	return RL_EXIT_DATA;
}

/**
 * cmd_ft2csv() - ft2csv [opts] <event> <file> | ft2csv -l <file>
 * @argc: argument count (argv[0] is the program or "--ft2csv")
 * @argv: arguments
 *
 * Over 100 lines: one case per ft2csv option, then its one fixed sequence.
 *
 * Return: exit status (ft2csv exits 1 on every error).
 */
int cmd_ft2csv(int argc, char **argv)
{
	static const struct option lopts[] = {
		{"help", no_argument, NULL, 0x200},
		{"ft-endian", required_argument, NULL, 0x106},
		{"ft-layout", required_argument, NULL, 0x105},
		{NULL, 0, NULL, 0},
	};
	struct rl_input_opts io = {0};
	struct rl_ft2csv_opts o;
	struct rl_ft2csv_counts c;
	struct rl_ft_opts fo;
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_err err;
	const char *path, *evarg = NULL;
	int opt, list = 0, r;
	unsigned id = 0;
	static char obuf[1 << 16];

	rl_ft2csv_opts_init(&o);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "ibrs:a:o:pexhl", lopts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			o.want_interleaved = 0;
			fprintf(stderr, "Discarging interleaved samples.\n");
			break;
		case 's':
			o.max_skipped = atoi(optarg);
			fprintf(stderr, "skipping up to %d interleaved samples.\n", o.max_skipped);
			break;
		case 'x':
			o.want_interrupted = 1;
			fprintf(stderr, "Not filtering disturbed-by-interrupt samples.\n");
			break;
		case 'b':
			fprintf(stderr, "Not filtering samples from best-effort tasks.\n");
			o.want_best_effort = 1;
			break;
		case 'r':
			fprintf(stderr, "Generating binary, NumPy-compatible output.\n");
			o.binary = 1;
			break;
		case 'a':
			o.avoid_cpu = atoi(optarg);
			fprintf(stderr, "Disarding all samples from CPU %d.\n", o.avoid_cpu);
			break;
		case 'o':
			o.only_cpu = atoi(optarg);
			fprintf(stderr, "Using only samples from CPU %d.\n", o.only_cpu);
			break;
		case 'p':
			o.find_by_pid = 1;
			fprintf(stderr, "Matching timestamp pairs based on PID.\n");
			break;
		case 'e':
			o.find_by_pid = 0;
			fprintf(stderr, "Matching timestamp pairs based on event ID.\n");
			break;
		case 'l':
			list = 1;
			break;
		case 'h':
			return ft2csv_die("");
		case 0x200:
			printf("%s\n%s", ft2csv_usage, ft2csv_more);
			return RL_EXIT_OK;
		case 0x105:
		case 0x106:
			if (rl_opt_input(opt, optarg, &io) < 0)
				return RL_EXIT_USAGE;
			break;
		default:
			return ft2csv_die("Unknown option.");
		}
	}
	if (argc - optind != (list ? 1 : 2))
		return ft2csv_die("arguments missing");
	path = argv[optind + (list ? 0 : 1)];
	if (!list)
		evarg = argv[optind];
	rl_err_init(&err);
	r = rl_input_open(&in, path, &io.ro, &err);
	if (r < 0) {
		rl_print_err(&err);
		return ft2csv_die("could not map file");
	}
	fo.layout = io.ro.ft_layout;
	fo.order = io.ro.ft_order;
	if (rl_ft_file_init(&f, &in, &fo, &err) < 0) {
		rl_print_err(&err);
		rl_input_close(&in);
		return RL_EXIT_DATA;
	}
	if (rl_ft_file_implausible(&f))
		fprintf(stderr,
			"%s:0x0: warning: sequence numbers do not run consecutively in "
			"either byte order; not a Feather-Trace file?\n",
			path);
	if (f.tail)
		fprintf(stderr,
			"%s:0x%llx: warning: trailing %llu bytes ignored (not a whole record)\n",
			path, (unsigned long long)(f.nrec * RL_FT_REC), (unsigned long long)f.tail);
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (list) {
		r = rl_ft2csv_list(&f, stdout);
	} else {
		if (rl_ft_event_parse(evarg, &id) < 0) {
			rl_input_close(&in);
			return ft2csv_die("Unknown event!");
		}
		r = rl_ft2csv_run(&f, id, &o, stdout, &c);
		fflush(stdout);
		rl_ft2csv_write_counts(stderr, &c, evarg);
	}
	rl_input_close(&in);
	if (fflush(stdout) || r < 0) {
		fprintf(stderr, "%s: error writing standard output\n", rl_prog);
		return RL_EXIT_DATA;
	}
	return RL_EXIT_OK;
}
