#!/usr/bin/env bash
# Every C file under src/, include/ and tests/ is formatted as .clang-format
# says (STYLE rule 32; scripts/check-format, `--fix` rewrites them).
# clang-format comes from scripts/install-deps, so this never skips.
# SPDX-License-Identifier: MIT
set -euo pipefail
"$SG_SOURCE_DIR/scripts/check-format"
