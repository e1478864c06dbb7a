/* sanigrid rank (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_rank(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid rank: not implemented yet\n");
    return SG_EXIT_FAIL;
}
