/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dfsctl's one print layer: tables and key/value records for people,
 * JSON for scripts, from the same calls.
 */
#ifndef DFSCTL_PRINT_H
#define DFSCTL_PRINT_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum pr_kind { PR_STR, PR_NUM };

struct pr_col {
	const char *key;	/* JSON key */
	const char *head;	/* table heading */
	enum pr_kind kind;	/* JSON: a string or a number */
};

struct pr_table;

/* A list of rows: a table for people, a JSON array of objects. */
struct pr_table *pr_table_new(const struct pr_col *cols, int ncols);
void pr_row(struct pr_table *t);
void pr_cell(struct pr_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pr_table_print(struct pr_table *t, FILE *out, bool json);
void pr_table_free(struct pr_table *t);

/* One record: "key  value" lines for people, a JSON object. */
void pr_rec_begin(FILE *out, bool json);
void pr_rec_num(const char *key, long long v);
void pr_rec_unum(const char *key, unsigned long long v);
void pr_rec_str(const char *key, const char *v);
void pr_rec_end(void);

void pr_json_str(FILE *out, const char *s);

#endif
