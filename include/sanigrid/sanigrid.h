/* sanigrid: planning and auditing rural sanitation grids.
 * The umbrella header: include this one.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_H
#define SANIGRID_H

#include "sanigrid/version.h"
#include "sanigrid/error.h"
#include "sanigrid/ctx.h"
#include "sanigrid/store.h"
#include "sanigrid/snapshot.h"
#include "sanigrid/crs.h"
#include "sanigrid/io.h"
#include "sanigrid/check.h"
#include "sanigrid/network.h"
#include "sanigrid/point.h"
#include "sanigrid/coverage.h"
#include "sanigrid/balance.h"
#include "sanigrid/staffing.h"
#include "sanigrid/allocate.h"
#include "sanigrid/plan.h"
#include "sanigrid/site.h"
#include "sanigrid/rank.h"
#include "sanigrid/route.h"
#include "sanigrid/render.h"
#include "sanigrid/sheets.h"
#include "sanigrid/fields.h"
#include "sanigrid/json.h"
#include "sanigrid/conninfo.h"

#endif
