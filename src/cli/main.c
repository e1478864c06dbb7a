/* The sanigrid command's entry point: everything else of the CLI is in
 * the sanigrid_cli library so that tests can call it without a process.
 * SPDX-License-Identifier: MIT */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
