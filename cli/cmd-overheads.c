/* cli/cmd-overheads.c - `rtlens overheads`: Feather-Trace overhead statistics. */
#include "cli.h"

#include <string.h>

int cmd_overheads(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--ft2csv")) {
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
			rl_prog = "rtlens overheads --ft2csv";
			return cmd_ft2csv(argc - 1, argv);
		}
	return cmd_unsupported(argc, argv);
}
