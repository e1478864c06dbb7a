/* The store's row and insert handles (sg__row_*, sg__insert_*; see
 * store_int.h), for both backends (store_backend_int.h): on SQLite a row
 * is the statement positioned on it and an insert the prepared statement;
 * on PostgreSQL a row is a cursor's current row and an insert a COPY
 * buffer (pg_rows.c).
 * Not for: building or running SQL (the other files of src/store).
 * SPDX-License-Identifier: MIT */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/ctx_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

/* The statement behind a handle. */
#define STMT(h) SG_STMT(h)
#define IS_PG(h) ((h)->kind == SG_BACKEND_PG)

sg_status sg__insert_wrap(sg_ctx *ctx, sqlite3_stmt *st, sg__insert **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) {
        sqlite3_finalize(st);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    (*out)->kind = SG_BACKEND_SQLITE;
    (*out)->stmt = st;
    return SG_OK;
}

int sg__row_is_null(sg__row *row, int col)
{
    if (IS_PG(row))
        return sg__pg_row_is_null(row->pg, col);
    return sqlite3_column_type(STMT(row), col) == SQLITE_NULL;
}

sg__valtype sg__row_type(sg__row *row, int col)
{
    if (IS_PG(row))
        return sg__pg_row_type(row->pg, col);
    switch (sqlite3_column_type(STMT(row), col)) {
    case SQLITE_INTEGER: return SG_VAL_INT;
    case SQLITE_FLOAT: return SG_VAL_REAL;
    case SQLITE_TEXT: return SG_VAL_TEXT;
    case SQLITE_BLOB: return SG_VAL_BLOB;
    default: return SG_VAL_NULL;
    }
}

int sg__row_int(sg__row *row, int col)
{
    if (IS_PG(row))
        return (int)sg__pg_row_int64(row->pg, col);
    return sqlite3_column_int(STMT(row), col);
}

long long sg__row_int64(sg__row *row, int col)
{
    if (IS_PG(row))
        return sg__pg_row_int64(row->pg, col);
    return sqlite3_column_int64(STMT(row), col);
}

double sg__row_double(sg__row *row, int col)
{
    if (IS_PG(row))
        return sg__pg_row_double(row->pg, col);
    return sqlite3_column_double(STMT(row), col);
}

const char *sg__row_text(sg__row *row, int col)
{
    if (IS_PG(row))
        return sg__pg_row_text(row->pg, col);
    return (const char *)sqlite3_column_text(STMT(row), col);
}

const void *sg__row_blob(sg__row *row, int col)
{
    if (IS_PG(row)) {
        size_t n;
        return sg__pg_row_blob(row->pg, col, &n);
    }
    return sqlite3_column_blob(STMT(row), col);
}

size_t sg__row_bytes(sg__row *row, int col)
{
    if (IS_PG(row)) {
        size_t n;
        sg__pg_row_blob(row->pg, col, &n);
        return n;
    }
    int n = sqlite3_column_bytes(STMT(row), col);
    return n > 0 ? (size_t)n : 0;
}

void sg__insert_int(sg__insert *ins, int param, int v)
{
    if (IS_PG(ins))
        sg__pg_insert_int64(ins->pg, param, v);
    else
        sqlite3_bind_int(STMT(ins), param, v);
}

void sg__insert_int64(sg__insert *ins, int param, long long v)
{
    if (IS_PG(ins))
        sg__pg_insert_int64(ins->pg, param, v);
    else
        sqlite3_bind_int64(STMT(ins), param, v);
}

void sg__insert_double(sg__insert *ins, int param, double v)
{
    if (IS_PG(ins))
        sg__pg_insert_double(ins->pg, param, v);
    else
        sqlite3_bind_double(STMT(ins), param, v);
}

void sg__insert_text(sg__insert *ins, int param, const char *v)
{
    if (IS_PG(ins))
        sg__pg_insert_text(ins->pg, param, v);
    else if (v)
        sqlite3_bind_text(STMT(ins), param, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(STMT(ins), param);
}

void sg__insert_text_static(sg__insert *ins, int param, const char *v, int len)
{
    if (IS_PG(ins))
        sg__pg_insert_text(ins->pg, param, v);
    else if (v)
        sqlite3_bind_text(STMT(ins), param, v, len, SQLITE_STATIC);
    else
        sqlite3_bind_null(STMT(ins), param);
}

void sg__insert_blob(sg__insert *ins, int param, const void *v, size_t size)
{
    if (IS_PG(ins))
        sg__pg_insert_blob(ins->pg, param, v, size);
    else
        sqlite3_bind_blob64(STMT(ins), param, v, size, SQLITE_TRANSIENT);
}

void sg__insert_null(sg__insert *ins, int param)
{
    if (IS_PG(ins))
        sg__pg_insert_null(ins->pg, param);
    else
        sqlite3_bind_null(STMT(ins), param);
}

void sg__insert_clear(sg__insert *ins)
{
    if (IS_PG(ins))
        sg__pg_insert_clear(ins->pg);
    else
        sqlite3_clear_bindings(STMT(ins));
}

sg_status sg__insert_step(sg_ctx *ctx, sg_store *store, sg__insert *ins)
{
    return sg__store_step_insert(ctx, store, ins);
}

sg_status sg__insert_try(sg_ctx *ctx, sg_store *store, sg__insert *ins,
                         sg__refusal *why, char *msg, size_t size)
{
    if (IS_PG(ins))
        return sg__pg_insert_try(ctx, ins->pg, why, msg, size);
    int rc = sqlite3_step(STMT(ins));
    sqlite3_reset(STMT(ins));
    *why = SG_REFUSED_NONE;
    if (size)
        *msg = '\0';
    if (rc == SQLITE_DONE)
        return SG_OK;
    sqlite3 *db = sqlite3_db_handle(STMT(ins));
    int ext = sqlite3_extended_errcode(db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        *why = SG_REFUSED_DUPLICATE;
    else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        *why = SG_REFUSED_CONSTRAINT;
    else
        return sg__store_sql_error(ctx, store, "writing a feature");
    if (size)
        snprintf(msg, size, "%s", sqlite3_errmsg(db));
    return SG_ERR_INPUT;
}

void sg__insert_free(sg__insert *ins)
{
    if (!ins)
        return;
    if (IS_PG(ins))
        sg__pg_insert_free(ins->pg);
    else
        sqlite3_finalize(STMT(ins));
    free(ins);
}
