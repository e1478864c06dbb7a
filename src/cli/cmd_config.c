/* sanigrid config. SPDX-License-Identifier: MIT */
#include "cli/cli.h"
int sg_cmd_config(int argc, char **argv) { (void)argc; (void)argv; return 1; }
