/* Unit tests of the CLI's progress ranges (cli_progress_push/pop,
 * src/cli/cli.c): a command that runs several library calls in a row
 * (sanigrid demo) gives each its share of the bar. What a report of
 * 0..1 is drawn as, under nested ranges; reset by cli_ctx_setup; the
 * command's own reports go on when nothing asked to stop. Expectations
 * are written by hand.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "cli/cli.h"
#include "helpers.h"

#define EPS 1e-12

static void test_ranges(void **state)
{
    (void)state;
    sg_library_init();
    sg_ctx *ctx = sg_ctx_new();
    assert_non_null(ctx);
    cli_common quiet = {.json = 0, .quiet = 1, .verbose = 0};
    cli_ctx_setup(ctx, &quiet);
    assert_float_equal(cli_progress_scale(0.0), 0.0, EPS);
    assert_float_equal(cli_progress_scale(0.5), 0.5, EPS);
    assert_float_equal(cli_progress_scale(1.0), 1.0, EPS);

    double outer[2], inner[2], empty[2];
    cli_progress_push(0.2, 0.6, outer);
    assert_float_equal(cli_progress_scale(0.0), 0.2, EPS);
    assert_float_equal(cli_progress_scale(0.5), 0.4, EPS);
    assert_float_equal(cli_progress_scale(1.0), 0.6, EPS);
    /* nested: the second half of 0.2..0.6 */
    cli_progress_push(0.5, 1.0, inner);
    assert_float_equal(cli_progress_scale(0.0), 0.4, EPS);
    assert_float_equal(cli_progress_scale(0.5), 0.5, EPS);
    assert_float_equal(cli_progress_scale(1.0), 0.6, EPS);
    /* an empty range: everything at its one point */
    cli_progress_push(1.0, 1.0, empty);
    assert_float_equal(cli_progress_scale(0.0), 0.6, EPS);
    assert_float_equal(cli_progress_scale(1.0), 0.6, EPS);
    assert_int_equal(cli_progress(0.5, "step"), 1);
    cli_progress_pop(empty);
    cli_progress_pop(inner);
    assert_float_equal(cli_progress_scale(0.5), 0.4, EPS);
    cli_progress_pop(outer);
    assert_float_equal(cli_progress_scale(0.25), 0.25, EPS);

    /* a new setup starts from the whole bar */
    cli_progress_push(0.1, 0.2, outer);
    cli_ctx_setup(ctx, &quiet);
    assert_float_equal(cli_progress_scale(0.5), 0.5, EPS);
    /* out-of-range reports are clamped, and go on */
    assert_int_equal(cli_progress(-1.0, NULL), 1);
    assert_int_equal(cli_progress(2.0, NULL), 1);
    sg_ctx_free(ctx);
    sg_library_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
