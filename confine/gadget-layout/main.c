// SPDX-License-Identifier: GPL-3.0-only
/*
 * gadget-layout: a gadget's meta/gadget.yaml read and checked as snapd
 * does, and a volume's layout printed for the image build.
 *
 * usage: gadget-layout check GADGETDIR
 *        gadget-layout plan GADGETDIR [--volume NAME]
 *
 * Exit 0 when the gadget is good, 1 with one line "file:line:col: reason"
 * when it is not, 2 on a usage error. See docs/gadget-layout.md.
 */
#include <stdio.h>
#include <string.h>

#include "gadget.h"

static const char usage_text[] = "usage: gadget-layout check GADGETDIR\n"
				 "       gadget-layout plan GADGETDIR [--volume NAME]\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct gadget g;
	struct diag err = { { 0 } };
	const struct gadget_volume *v;
	const char *volume = NULL;
	bool plan;
	int rc = 1;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 3)
		return usage();
	plan = strcmp(argv[1], "plan") == 0;
	if (!plan && strcmp(argv[1], "check") != 0)
		return usage();
	if (argc == 5 && plan && strcmp(argv[3], "--volume") == 0)
		volume = argv[4];
	else if (argc != 3)
		return usage();
	if (gadget_read(argv[2], &g, &err) == 0 && gadget_check(argv[2], &g, &err) == 0) {
		if (!plan)
			rc = 0;
		else if ((v = gadget_volume(&g, volume, &err)) && gadget_plan(stdout, &g, v, &err) == 0)
			rc = 0;
	}
	if (rc)
		fprintf(stderr, "gadget-layout: %s\n", err.msg);
	gadget_free(&g);
	return rc;
}
