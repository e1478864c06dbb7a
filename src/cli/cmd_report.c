/* sanigrid report (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid report: not implemented yet\n");
    return SG_EXIT_FAIL;
}
