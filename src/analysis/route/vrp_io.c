/* CVRPLIB/TSPLIB reader and the instance accessors of sanigrid/route.h.
 * Format: TSPLIB 95 (Reinelt 1991) as used by CVRPLIB: "KEY : VALUE"
 * header lines, then NODE_COORD_SECTION / EDGE_WEIGHT_SECTION,
 * DEMAND_SECTION, DEPOT_SECTION, EOF. EUC_2D distances are Euclidean and
 * not rounded (the convention for the CMT instances); the depot becomes
 * node 0 and the other nodes keep the file's order, each with its file
 * number as id.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/route/route_int.h"
#include "core/ctx_int.h"

sg_vrp *sg__vrp_alloc(int n)
{
    sg_vrp *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    size_t m = (size_t)n + 1;
    v->n = n;
    v->d = calloc(m * m, sizeof *v->d);
    v->q = calloc(m, sizeof *v->q);
    v->s = calloc(m, sizeof *v->s);
    v->id = calloc(m, sizeof *v->id);
    if (!v->d || !v->q || !v->s || !v->id) {
        sg_vrp_free(v);
        return NULL;
    }
    for (size_t i = 0; i < m; i++)
        v->id[i] = (long long)i + 1;
    v->cap = INFINITY;
    v->limit = INFINITY;
    return v;
}

void sg_vrp_free(sg_vrp *v)
{
    if (!v)
        return;
    free(v->d);
    free(v->q);
    free(v->s);
    free(v->id);
    free(v);
}

sg_status sg_vrp_new(sg_ctx *ctx, int n, const double *dist,
                     const double *demand, double capacity, double limit,
                     const double *service, sg_vrp **out)
{
    *out = NULL;
    if (n > SG_VRP_MAX_CUSTOMERS)
        return sg__error(ctx, SG_ERR_USAGE,
                         "vrp: %d customers; at most %d (the solver keeps "
                         "full matrices)",
                         n, SG_VRP_MAX_CUSTOMERS);
    if (n < 0 || !dist || !demand || !(capacity > 0))
        return sg__error(ctx, SG_ERR_USAGE,
                         "vrp: need n >= 0, a matrix, demands and a "
                         "capacity > 0");
    sg_vrp *v = sg__vrp_alloc(n);
    if (!v)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    size_t m = (size_t)n + 1;
    for (size_t i = 0; i < m * m; i++) {
        if (!(dist[i] >= 0) && !isinf(dist[i])) {
            sg_vrp_free(v);
            return sg__error(ctx, SG_ERR_USAGE,
                             "vrp: distance %zu,%zu is not a number >= 0",
                             i / m, i % m);
        }
        v->d[i] = dist[i];
    }
    for (size_t i = 1; i < m; i++) {
        if (!(demand[i] >= 0) || (service && !(service[i] >= 0))) {
            sg_vrp_free(v);
            return sg__error(ctx, SG_ERR_USAGE,
                             "vrp: demand or service time of node %zu is "
                             "not a number >= 0",
                             i);
        }
        v->q[i] = demand[i];
        v->s[i] = service ? service[i] : 0;
    }
    v->cap = capacity;
    v->limit = (limit > 0) ? limit : INFINITY;
    *out = v;
    return SG_OK;
}

int sg_vrp_customers(const sg_vrp *v)
{
    return v->n;
}
const char *sg_vrp_name(const sg_vrp *v)
{
    return v->name;
}
long long sg_vrp_id(const sg_vrp *v, int i)
{
    return v->id[i];
}
double sg_vrp_dist(const sg_vrp *v, int i, int j)
{
    return SG_VRP_D(v, i, j);
}
double sg_vrp_demand(const sg_vrp *v, int i)
{
    return v->q[i];
}
double sg_vrp_service(const sg_vrp *v, int i)
{
    return v->s[i];
}
double sg_vrp_capacity(const sg_vrp *v)
{
    return v->cap;
}
double sg_vrp_limit(const sg_vrp *v)
{
    return v->limit;
}

/* ---- reading ------------------------------------------------------------ */

enum { SEC_NONE, SEC_COORD, SEC_WEIGHT, SEC_DEMAND, SEC_DEPOT, SEC_SKIP };

typedef struct rd {
    sg_ctx *ctx;
    const char *path;
    int line;
    int dim;       /* DIMENSION */
    int euc;       /* EUC_2D (1), EXPLICIT (0) */
    char wfmt[32]; /* EDGE_WEIGHT_FORMAT */
    int tsp;
    double cap, limit, service;
    char name[128];
    double *x, *y; /* dim each, file order */
    double *q;     /* dim */
    int *have_xy;
    double *w;   /* dim*dim explicit weights */
    long wcount; /* weights read */
    int depot;   /* file number, 0 = not given */
} rd;

static sg_status rd_err(rd *r, const char *what)
{
    return sg__error(r->ctx, SG_ERR_IO_FORMAT, "%s:%d: %s", r->path, r->line,
                     what);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

/* Place explicit weight number k (0-based) of format r->wfmt. */
static int place_weight(rd *r, double val)
{
    int n = r->dim;
    long k = r->wcount++;
    long i = 0, j = 0;
    if (!strcmp(r->wfmt, "FULL_MATRIX")) {
        if (k >= (long)n * n)
            return 0;
        i = k / n;
        j = k % n;
    } else {
        /* triangular formats: walk rows */
        int lower = !strncmp(r->wfmt, "LOWER", 5);
        int diag = strstr(r->wfmt, "DIAG") != NULL;
        long kk = k;
        for (i = 0; i < n; i++) {
            long len = lower ? (diag ? i + 1 : i) : (diag ? n - i : n - i - 1);
            if (kk < len) {
                j = lower ? kk : (diag ? i + kk : i + 1 + kk);
                break;
            }
            kk -= len;
        }
        if (i >= n)
            return 0;
    }
    r->w[i * n + j] = val;
    r->w[j * n + i] = val;
    return 1;
}

sg_status sg_vrp_read(sg_ctx *ctx, const char *path, sg_vrp **out)
{
    *out = NULL;
    rd r = {.ctx = ctx,
            .path = path,
            .cap = INFINITY,
            .limit = INFINITY,
            .euc = -1};
    sg_status st = SG_OK;
    sg_vrp *v = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return sg__error(ctx, SG_ERR_IO_OPEN, "%s: %s", path, strerror(errno));
    char buf[4096];
    int sec = SEC_NONE;
    while (fgets(buf, sizeof buf, f)) {
        r.line++;
        char *s = trim(buf);
        if (!*s)
            continue;
        if (isalpha((unsigned char)*s)) {
            char *colon = strchr(s, ':');
            char key[64];
            size_t kl = colon ? (size_t)(colon - s) : strlen(s);
            if (kl >= sizeof key)
                kl = sizeof key - 1;
            memcpy(key, s, kl);
            key[kl] = 0;
            char *k = trim(key);
            char *val = colon ? trim(colon + 1) : NULL;
            if (!strcmp(k, "EOF"))
                break;
            if (!strcmp(k, "NODE_COORD_SECTION") ||
                !strcmp(k, "DEMAND_SECTION") || !strcmp(k, "DEPOT_SECTION") ||
                !strcmp(k, "EDGE_WEIGHT_SECTION")) {
                if (r.dim <= 0) {
                    st = rd_err(&r, "section before DIMENSION");
                    goto done;
                }
                if (!r.q) {
                    size_t m = (size_t)r.dim;
                    r.x = calloc(m, sizeof *r.x);
                    r.y = calloc(m, sizeof *r.y);
                    r.q = calloc(m, sizeof *r.q);
                    r.have_xy = calloc(m, sizeof *r.have_xy);
                    if (!r.x || !r.y || !r.q || !r.have_xy) {
                        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                        goto done;
                    }
                }
                if (!strcmp(k, "NODE_COORD_SECTION"))
                    sec = SEC_COORD;
                else if (!strcmp(k, "DEMAND_SECTION"))
                    sec = SEC_DEMAND;
                else if (!strcmp(k, "DEPOT_SECTION"))
                    sec = SEC_DEPOT;
                else {
                    sec = SEC_WEIGHT;
                    if (!r.w) {
                        r.w =
                            calloc((size_t)r.dim * (size_t)r.dim, sizeof *r.w);
                        if (!r.w) {
                            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                            goto done;
                        }
                    }
                }
                continue;
            }
            if (!strcmp(k, "DISPLAY_DATA_SECTION") ||
                !strcmp(k, "FIXED_EDGES_SECTION")) {
                sec = SEC_SKIP;
                continue;
            }
            if (!val) {
                st = rd_err(&r, "expected 'KEY : VALUE'");
                goto done;
            }
            sec = SEC_NONE;
            double num = 0;
            if (!strcmp(k, "NAME")) {
                snprintf(r.name, sizeof r.name, "%s", val);
            } else if (!strcmp(k, "TYPE")) {
                if (!strcmp(val, "TSP"))
                    r.tsp = 1;
                else if (strcmp(val, "CVRP")) {
                    st = rd_err(&r, "TYPE is neither CVRP nor TSP");
                    goto done;
                }
            } else if (!strcmp(k, "DIMENSION")) {
                if (!sg__parse_double(val, &num) || num < 1 ||
                    num > SG_VRP_MAX_CUSTOMERS + 1 || num != floor(num)) {
                    st = rd_err(&r, "DIMENSION is not a whole number 1..5001");
                    goto done;
                }
                if (r.dim) {
                    st = rd_err(&r, "DIMENSION given twice");
                    goto done;
                }
                r.dim = (int)num;
            } else if (!strcmp(k, "EDGE_WEIGHT_TYPE")) {
                if (!strcmp(val, "EUC_2D"))
                    r.euc = 1;
                else if (!strcmp(val, "EXPLICIT"))
                    r.euc = 0;
                else {
                    st = rd_err(&r, "EDGE_WEIGHT_TYPE is neither EUC_2D nor "
                                    "EXPLICIT");
                    goto done;
                }
            } else if (!strcmp(k, "EDGE_WEIGHT_FORMAT")) {
                static const char *fm[] = {"FULL_MATRIX", "LOWER_ROW",
                                           "UPPER_ROW", "LOWER_DIAG_ROW",
                                           "UPPER_DIAG_ROW"};
                int ok = 0;
                for (size_t i = 0; i < sizeof fm / sizeof *fm; i++)
                    ok |= !strcmp(val, fm[i]);
                if (!ok) {
                    st = rd_err(&r, "EDGE_WEIGHT_FORMAT not supported");
                    goto done;
                }
                snprintf(r.wfmt, sizeof r.wfmt, "%s", val);
            } else if (!strcmp(k, "CAPACITY") || !strcmp(k, "DISTANCE") ||
                       !strcmp(k, "SERVICE_TIME")) {
                if (!sg__parse_double(val, &num) ||
                    !(num > 0 || (num == 0 && k[0] == 'S'))) {
                    st = rd_err(&r, "expected a number > 0");
                    goto done;
                }
                if (k[0] == 'C')
                    r.cap = num;
                else if (k[0] == 'D')
                    r.limit = num;
                else
                    r.service = num;
            } /* COMMENT and others: ignored */
            continue;
        }
        /* a data line */
        char *p = s, *end;
        if (sec == SEC_SKIP)
            continue;
        if (sec == SEC_WEIGHT) {
            while (*p) {
                double val = sg__strtod(p, &end);
                if (end == p) {
                    st = rd_err(&r, "expected a number");
                    goto done;
                }
                if (!place_weight(&r, val)) {
                    st = rd_err(&r, "too many edge weights");
                    goto done;
                }
                p = end;
                while (isspace((unsigned char)*p))
                    p++;
            }
            continue;
        }
        double a = sg__strtod(p, &end);
        if (end == p || sec == SEC_NONE) {
            st = rd_err(&r, "unexpected line");
            goto done;
        }
        if (sec == SEC_DEPOT) {
            if (a == -1) {
                sec = SEC_NONE;
                continue;
            }
            if (r.depot) {
                st = rd_err(&r, "more than one depot");
                goto done;
            }
            if (a < 1 || a > r.dim || a != floor(a)) {
                st = rd_err(&r, "depot is not a node number");
                goto done;
            }
            r.depot = (int)a;
            continue;
        }
        if (a < 1 || a > r.dim || a != floor(a)) {
            st = rd_err(&r, "node number out of 1..DIMENSION");
            goto done;
        }
        int i = (int)a - 1;
        p = end;
        double b = sg__strtod(p, &end);
        if (end == p) {
            st = rd_err(&r, "expected a number");
            goto done;
        }
        if (sec == SEC_DEMAND) {
            if (!(b >= 0)) {
                st = rd_err(&r, "demand below 0");
                goto done;
            }
            r.q[i] = b;
            continue;
        }
        p = end;
        double c = sg__strtod(p, &end);
        if (end == p || !isfinite(b) || !isfinite(c)) {
            st = rd_err(&r, "expected two coordinates");
            goto done;
        }
        r.x[i] = b;
        r.y[i] = c;
        r.have_xy[i] = 1;
    }
    if (r.dim <= 0 || !r.q) {
        st = sg__error(ctx, SG_ERR_IO_FORMAT,
                       "%s: no DIMENSION or no node "
                       "section",
                       path);
        goto done;
    }
    if (r.euc == 1) {
        for (int i = 0; i < r.dim; i++)
            if (!r.have_xy[i]) {
                st = sg__error(ctx, SG_ERR_IO_FORMAT,
                               "%s: node %d has no coordinates", path, i + 1);
                goto done;
            }
    } else if (!r.w) {
        st = sg__error(ctx, SG_ERR_IO_FORMAT,
                       "%s: EXPLICIT weights but no EDGE_WEIGHT_SECTION", path);
        goto done;
    }
    if (!r.tsp && isinf(r.cap)) {
        st =
            sg__error(ctx, SG_ERR_IO_FORMAT, "%s: a CVRP needs CAPACITY", path);
        goto done;
    }
    int dep = r.depot ? r.depot - 1 : 0;
    v = sg__vrp_alloc(r.dim - 1);
    if (!v) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* order: depot first, then the others in file order */
    int *map = malloc((size_t)r.dim * sizeof *map);
    if (!map) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    map[0] = dep;
    for (int i = 0, k = 1; i < r.dim; i++)
        if (i != dep)
            map[k++] = i;
    for (int a = 0; a < r.dim; a++) {
        int i = map[a];
        v->id[a] = i + 1;
        v->q[a] = a ? (r.tsp ? 0 : r.q[i]) : 0;
        v->s[a] = a ? r.service : 0;
        for (int b = 0; b < r.dim; b++) {
            int j = map[b];
            double d = r.euc == 1 ? hypot(r.x[i] - r.x[j], r.y[i] - r.y[j])
                                  : r.w[(size_t)i * (size_t)r.dim + (size_t)j];
            SG_VRP_D(v, a, b) = d;
        }
    }
    free(map);
    v->cap = r.tsp ? INFINITY : r.cap;
    v->limit = r.limit;
    snprintf(v->name, sizeof v->name, "%s", r.name);
    *out = v;
    v = NULL;
done:
    sg_vrp_free(v);
    free(r.x);
    free(r.y);
    free(r.q);
    free(r.have_xy);
    free(r.w);
    fclose(f);
    return st;
}
