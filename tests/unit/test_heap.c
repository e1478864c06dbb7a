/* Unit tests of the graph searches' binary heap (src/core/heap.c): what
 * comes out is the pushed entries sorted by (distance, label), checked
 * against qsort of the same entries; ties of distance broken by the
 * label; equal entries all come out; growth past the first allocation;
 * pushes between pops; reuse after emptying.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "core/heap_int.h"
#include "helpers.h"

static int cmp_ent(const void *pa, const void *pb)
{
    const sg__heap_ent *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return a->lab < b->lab ? -1 : a->lab > b->lab;
}

/* A small linear congruential generator: the same draws everywhere. */
static uint32_t draw(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Push \p n entries with distances among \p nd values (many ties) and
 * labels among 5, pop them all, and compare with qsort. */
static void check_sorted(size_t n, uint32_t nd)
{
    sg__heap h = {0};
    sg__heap_ent *want = malloc((n ? n : 1) * sizeof *want);
    assert_non_null(want);
    uint32_t state = 12345u + (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        sg__heap_ent e = {(double)(draw(&state) % nd) * 0.5,
                          (int32_t)(draw(&state) % 5) - 2, (uint32_t)i};
        want[i] = e;
        assert_int_equal(sg__heap_push(&h, e), 1);
    }
    assert_int_equal(h.n, n);
    qsort(want, n, sizeof *want, cmp_ent);
    for (size_t i = 0; i < n; i++) {
        sg__heap_ent got = sg__heap_pop(&h);
        assert_float_equal(got.d, want[i].d, 0);
        assert_int_equal(got.lab, want[i].lab);
    }
    assert_int_equal(h.n, 0);
    sg__heap_free(&h);
    assert_null(h.v);
    free(want);
}

static void test_order(void **state)
{
    (void)state;
    check_sorted(0, 1);
    check_sorted(1, 1);
    check_sorted(2, 1);
    check_sorted(7, 3);
    check_sorted(100, 1000);
    /* past the first allocation (256 entries), and with every distance
     * the same: the label alone decides */
    check_sorted(5000, 40);
    check_sorted(600, 1);
}

static void test_ties(void **state)
{
    (void)state;
    sg__heap h = {0};
    /* equal distances come out by label; equal entries both come out */
    sg__heap_ent in[] = {{2.0, 3, 10}, {1.0, 7, 11}, {2.0, -1, 12},
                         {1.0, 7, 13}, {1.0, 2, 14}, {0.5, 9, 15}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_int_equal(sg__heap_push(&h, in[i]), 1);
    const double d[] = {0.5, 1.0, 1.0, 1.0, 2.0, 2.0};
    const int32_t lab[] = {9, 2, 7, 7, -1, 3};
    for (size_t i = 0; i < 6; i++) {
        sg__heap_ent e = sg__heap_pop(&h);
        assert_float_equal(e.d, d[i], 0);
        assert_int_equal(e.lab, lab[i]);
    }
    /* the node travels with its entry */
    sg__heap_push(&h, (sg__heap_ent){4.0, 0, 40});
    sg__heap_push(&h, (sg__heap_ent){3.0, 0, 30});
    assert_int_equal(sg__heap_pop(&h).node, 30);
    assert_int_equal(sg__heap_pop(&h).node, 40);
    sg__heap_free(&h);
    sg__heap_free(NULL);
}

static void test_interleaved(void **state)
{
    (void)state;
    /* Dijkstra's pattern: pop one, push a few larger; every pop is the
     * smallest of what is in the heap at the time */
    sg__heap h = {0};
    assert_int_equal(sg__heap_push(&h, (sg__heap_ent){0.0, 0, 0}), 1);
    uint32_t st = 7u;
    double last = -1.0;
    size_t pops = 0;
    while (h.n && pops < 3000) {
        sg__heap_ent e = sg__heap_pop(&h);
        pops++;
        assert_true(e.d >= last);
        last = e.d;
        for (int k = 0; k < 2; k++)
            assert_int_equal(
                sg__heap_push(&h,
                              (sg__heap_ent){e.d + (double)(draw(&st) % 100), 0,
                                             e.node + 1}),
                1);
    }
    assert_int_equal(pops, 3000);
    /* emptied, it takes entries again */
    h.n = 0;
    sg__heap_push(&h, (sg__heap_ent){5.0, 0, 1});
    sg__heap_push(&h, (sg__heap_ent){-1.0, 0, 2});
    assert_int_equal(sg__heap_pop(&h).node, 2);
    sg__heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_interleaved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
