// SPDX-License-Identifier: GPL-2.0
/*
 * dfsctl's print layer.  Every command builds its output with these calls;
 * --json only changes how it is written.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"

struct pr_table {
	const struct pr_col *cols;
	int ncols;
	int nrows;
	int cap;
	int cur;	/* next cell of the last row */
	char **cells;	/* nrows * ncols */
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("dfsctl");
		exit(1);
	}
	return p;
}

struct pr_table *pr_table_new(const struct pr_col *cols, int ncols)
{
	struct pr_table *t = xrealloc(NULL, sizeof(*t));

	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
	return t;
}

void pr_row(struct pr_table *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = xrealloc(t->cells,
				    sizeof(char *) * t->cap * t->ncols);
	}
	memset(&t->cells[t->nrows * t->ncols], 0, sizeof(char *) * t->ncols);
	t->nrows++;
	t->cur = 0;
}

void pr_cell(struct pr_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!t->nrows || t->cur >= t->ncols)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		perror("dfsctl");
		exit(1);
	}
	va_end(ap);
	t->cells[(t->nrows - 1) * t->ncols + t->cur++] = s;
}

void pr_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static const char *cell(struct pr_table *t, int r, int c)
{
	const char *s = t->cells[r * t->ncols + c];

	return s ? s : "";
}

void pr_table_print(struct pr_table *t, FILE *out, bool json)
{
	int r, c, w[64];

	if (json) {
		fputc('[', out);
		for (r = 0; r < t->nrows; r++) {
			fputs(r ? ",\n {" : "\n {", out);
			for (c = 0; c < t->ncols; c++) {
				if (c)
					fputs(", ", out);
				pr_json_str(out, t->cols[c].key);
				fputs(": ", out);
				if (t->cols[c].kind == PR_NUM && *cell(t, r, c))
					fputs(cell(t, r, c), out);
				else
					pr_json_str(out, cell(t, r, c));
			}
			fputc('}', out);
		}
		fputs(t->nrows ? "\n]\n" : "]\n", out);
		return;
	}
	for (c = 0; c < t->ncols && c < 64; c++) {
		w[c] = strlen(t->cols[c].head);
		for (r = 0; r < t->nrows; r++)
			if ((int)strlen(cell(t, r, c)) > w[c])
				w[c] = strlen(cell(t, r, c));
	}
	for (c = 0; c < t->ncols && c < 64; c++)
		fprintf(out, "%-*s%s", c + 1 < t->ncols ? w[c] : 0,
			t->cols[c].head, c + 1 < t->ncols ? "  " : "\n");
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols && c < 64; c++) {
			if (c + 1 == t->ncols)
				fprintf(out, "%s\n", cell(t, r, c));
			else if (t->cols[c].kind == PR_NUM)
				fprintf(out, "%*s  ", w[c], cell(t, r, c));
			else
				fprintf(out, "%-*s  ", w[c], cell(t, r, c));
		}
}

void pr_table_free(struct pr_table *t)
{
	int i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

static FILE *rec_out;
static bool rec_json;
static int rec_n;

void pr_rec_begin(FILE *out, bool json)
{
	rec_out = out;
	rec_json = json;
	rec_n = 0;
	if (json)
		fputc('{', out);
}

static void rec_key(const char *key)
{
	if (rec_json) {
		fputs(rec_n++ ? ",\n " : "\n ", rec_out);
		pr_json_str(rec_out, key);
		fputs(": ", rec_out);
	} else {
		fprintf(rec_out, "%-40s ", key);
	}
}

void pr_rec_num(const char *key, long long v)
{
	rec_key(key);
	fprintf(rec_out, rec_json ? "%lld" : "%lld\n", v);
}

void pr_rec_unum(const char *key, unsigned long long v)
{
	rec_key(key);
	fprintf(rec_out, rec_json ? "%llu" : "%llu\n", v);
}

void pr_rec_str(const char *key, const char *v)
{
	rec_key(key);
	if (rec_json)
		pr_json_str(rec_out, v);
	else
		fprintf(rec_out, "%s\n", v);
}

void pr_rec_end(void)
{
	if (rec_json)
		fputs(rec_n ? "\n}\n" : "}\n", rec_out);
}
