/* sanigrid init. SPDX-License-Identifier: MIT */
#include "cli/cli.h"
int sg_cmd_init(int argc, char **argv) { (void)argc; (void)argv; return 1; }
