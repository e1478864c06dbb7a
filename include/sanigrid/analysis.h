/* The analyses of check.h, network.h and coverage.h together, for code
 * written when they shared this header. New code includes the one it uses.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_ANALYSIS_H
#define SANIGRID_ANALYSIS_H
#include "sanigrid/check.h"
#include "sanigrid/network.h"
#include "sanigrid/coverage.h"
#endif
