// SPDX-License-Identifier: GPL-3.0-only
/*
 * A checked volume as lines an image build reads (docs/formats.md,
 * "Gadget plan"): the volume, then each structure in offset order with its
 * absolute offset and size in bytes, its partition type for the schema,
 * and its content.
 */
#include <string.h>

#include "gadget.h"

/* the backup GPT at the end of the disk: its header and a 128-entry table */
#define GPT_BACKUP (33 * 512)

const struct gadget_volume *gadget_volume(const struct gadget *g, const char *name, struct diag *err)
{
	if (!name) {
		if (g->nvol == 1)
			return &g->vol[0];
		diag_set(err, "%s: %zu volumes: choose one with --volume", g->file, g->nvol);
		return NULL;
	}
	for (size_t i = 0; i < g->nvol; i++)
		if (strcmp(g->vol[i].name, name) == 0)
			return &g->vol[i];
	diag_set(err, "%s: no volume \"%s\"", g->file, name);
	return NULL;
}

const char *gadget_part_type(const struct gadget_volume *v, const struct gadget_structure *s, char *buf,
			     size_t len)
{
	const char *comma = strchr(s->type, ',');
	bool gpt = strcmp(v->schema, "gpt") == 0;

	if (strcmp(s->type, "bare") == 0 || strcmp(s->type, "mbr") == 0 ||
	    (s->role && !strcmp(s->role, "mbr")))
		return "-";
	if (!comma)
		return s->type;
	if (gpt)
		return comma + 1;
	snprintf(buf, len, "%.2s", s->type);
	return buf;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int gadget_plan(FILE *out, const struct gadget *g, const struct gadget_volume *v, struct diag *err)
{
	bool seed = false, gpt = strcmp(v->schema, "gpt") == 0;
	uint64_t end = 0;

	for (size_t i = 0; i < g->nvol; i++)
		for (size_t j = 0; j < g->vol[i].n; j++)
			seed |= g->vol[i].st[j].role && strcmp(g->vol[i].st[j].role, "system-seed") == 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->st[i].offset + v->st[i].size > end)
			end = v->st[i].offset + v->st[i].size;
	fprintf(out, "volume\t%s\t%s\t%s\t%llu\n", v->name, v->schema, or_dash(v->bootloader),
		(unsigned long long)(end + (gpt ? GPT_BACKUP : 0)));
	for (size_t i = 0; i < v->n; i++) {
		const struct gadget_structure *s = &v->st[i];
		const char *label = s->label;
		bool fs = s->filesystem && strcmp(s->filesystem, "none") != 0;
		char tbuf[8];

		if (!label && s->role && strcmp(s->role, "system-data") == 0)
			label = seed ? "ubuntu-data" : "writable";
		fprintf(out, "structure\t%s\t%s\t%s\t%llu\t%llu\t%s\t%s\n", or_dash(s->name),
			or_dash(s->role), gadget_part_type(v, s, tbuf, sizeof(tbuf)),
			(unsigned long long)s->offset, (unsigned long long)s->size, fs ? s->filesystem : "-",
			or_dash(label));
		if (s->has_offset_write)
			fprintf(out, "offset-write\t%llu\n",
				(unsigned long long)(s->offset_write +
						     (s->offset_write_to ? v->st[0].offset : 0)));
		for (size_t j = 0; j < s->ncontent; j++) {
			const struct gadget_content *c = &s->content[j];
			if (fs)
				fprintf(out, "content\t%s\t%s\t%s\n", c->generated ? "generated" : "gadget",
					c->source, c->target);
			else
				fprintf(out, "image\t%s\t%llu\t%llu\n", c->image,
					(unsigned long long)(s->offset + c->offset),
					(unsigned long long)c->size);
		}
	}
	if (fflush(out) != 0 || ferror(out))
		return diag_errno(err, "cannot write the plan");
	return 0;
}
