/* sanigrid demo. SPDX-License-Identifier: MIT */
#include "cli/cli.h"
int sg_cmd_demo(int argc, char **argv) { (void)argc; (void)argv; return 1; }
