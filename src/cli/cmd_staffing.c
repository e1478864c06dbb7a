/* sanigrid staffing (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_staffing(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid staffing: not implemented yet\n");
    return SG_EXIT_FAIL;
}
