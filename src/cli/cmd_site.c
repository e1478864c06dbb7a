/* sanigrid site (being written). SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int sg_cmd_site(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sanigrid site: not implemented yet\n");
    return SG_EXIT_FAIL;
}
