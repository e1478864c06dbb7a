/* sanigrid import. SPDX-License-Identifier: MIT */
#include "cli/cli.h"
int sg_cmd_import(int argc, char **argv) { (void)argc; (void)argv; return 1; }
