/* Status names and messages, generated from SG_STATUS_MAP.
 * SPDX-License-Identifier: MIT */
#include "core/ctx_int.h"
#include "sanigrid/error.h"

const char *sg_status_str(sg_status status)
{
    switch (status) {
#define SG__CASE(name, value, msg)                                             \
    case name: return sg__gettext(msg);
        SG_STATUS_MAP(SG__CASE)
#undef SG__CASE
    }
    return "unknown status";
}

const char *sg_status_name(sg_status status)
{
    switch (status) {
#define SG__CASE(name, value, msg)                                             \
    case name: return #name;
        SG_STATUS_MAP(SG__CASE)
#undef SG__CASE
    }
    return "SG_UNKNOWN";
}
