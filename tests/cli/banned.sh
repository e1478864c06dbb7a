#!/usr/bin/env bash
# The library never exits, aborts or prints (scripts/check-banned).
# SPDX-License-Identifier: MIT
set -euo pipefail
"$SG_SOURCE_DIR/scripts/check-banned"
