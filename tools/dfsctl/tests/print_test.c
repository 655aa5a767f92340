// SPDX-License-Identifier: GPL-2.0
/*
 * Drives dfsctl's print layer with known data; tests/run compares and
 * parses what it prints.  usage: print_test table|json|record|rjson|prom
 */
#include <stdio.h>
#include <string.h>

#include "../print.h"
#include "../stats.h"

static const struct pr_col cols[] = {
	{ "id", "ID", PR_STR },
	{ "count", "COUNT", PR_NUM },
	{ "name", "NAME", PR_STR },
};

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct dfs_stats st;
	struct pr_table *t;
	int i;

	if (!strcmp(mode, "table") || !strcmp(mode, "json")) {
		t = pr_table_new(cols, 3);
		pr_row(t);
		pr_cell(t, "%s", "00000001");
		pr_cell(t, "%d", 7);
		pr_cell(t, "%s", "plain");
		pr_row(t);
		pr_cell(t, "%s", "00000002");
		pr_cell(t, "%d", 12345);
		pr_cell(t, "%s", "quote\" back\\ tab\t");
		pr_table_print(t, stdout, !strcmp(mode, "json"));
		pr_table_free(t);
		return 0;
	}
	memset(&st, 0, sizeof(st));
	st.sessions_created = 10;
	st.sessions_active = 3;
	st.clients_created = 2;
	st.clients_active = 1;
	for (i = 0; i < 6; i++)
		dfs_counters_set(&st.destroyed, i, i);
	for (i = 0; i < 24; i++)
		dfs_counters_set(&st.lifetime, i, i == 0 ? 4 : i == 3 ? 2 : i == 23 ? 1 : 0);
	for (i = 0; i < 11; i++)
		dfs_counters_set(&st.sequence, i, 100 + i);
	if (!strcmp(mode, "record") || !strcmp(mode, "rjson"))
		dfs_stats_print(&st, stdout, !strcmp(mode, "rjson"));
	else if (!strcmp(mode, "prom"))
		dfs_stats_prometheus(&st, stdout);
	else
		return 2;
	return 0;
}
