/* sanigrid plan (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_plan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid plan: not implemented yet\n");
    return SG_EXIT_FAIL;
}
