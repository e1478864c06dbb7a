/* sanigrid render (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid render: not implemented yet\n");
    return SG_EXIT_FAIL;
}
