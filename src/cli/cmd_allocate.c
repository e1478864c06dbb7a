/* sanigrid allocate (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_allocate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid allocate: not implemented yet\n");
    return SG_EXIT_FAIL;
}
