/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * A gadget's meta/gadget.yaml as snapd reads it: its volumes (schema,
 * bootloader) and each volume's structures (name, role, type, offset,
 * size, filesystem, label, content), checked with snapd's rules and laid
 * out (absolute offsets) for an image build. Every complaint is one line,
 * "file:line:col: reason". See docs/gadget-layout.md.
 */
#ifndef CONFINE_GADGET_H
#define CONFINE_GADGET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "iface/yamltree.h"

/* where the first structure that is not the MBR starts when no offset is given */
#define GADGET_DEFAULT_START (1024 * 1024)
/* the largest structure of role mbr (boot code before the partition table) */
#define GADGET_MBR_MAX 446
/* the size of the pointer offset-write puts */
#define GADGET_OFFSET_WRITE_LEN 4

struct gadget_content {
	const struct yt_node *node;
	/* filesystem structures */
	const char *source, *target;
	bool generated; /* made by the image build, not in the gadget (see gadget_generated) */
	/* bare structures */
	const char *image;
	const struct yt_node *image_node;
	bool has_offset;
	uint64_t offset, size; /* offset within the structure; size 0: the image's */
};

struct gadget_structure {
	const struct yt_node *node;
	unsigned index; /* position in the YAML */
	const char *name, *role, *type, *filesystem, *label, *id;
	const struct yt_node *size_node, *offset_node, *role_node, *type_node, *label_node;
	uint64_t size, min_size, offset;
	bool has_offset;
	bool has_offset_write;
	const char *offset_write_to; /* NULL: from the volume's start */
	uint64_t offset_write;
	const struct yt_node *offset_write_node;
	struct gadget_content *content;
	size_t ncontent;
};

struct gadget_volume {
	const struct yt_node *node;
	const char *name, *schema, *bootloader, *id;
	const struct yt_node *schema_node, *bootloader_node;
	struct gadget_structure *st; /* in offset order after gadget_check */
	size_t n;
};

struct gadget {
	struct yt_doc doc;
	char *text;
	const char *file; /* for messages */
	struct gadget_volume *vol;
	size_t nvol;
};

/* reads and shapes DIR/meta/gadget.yaml (types, sizes, known keys); 0 or -1 */
int gadget_read(const char *dir, struct gadget *g, struct diag *err);
void gadget_free(struct gadget *g);
/* a size or offset: bytes, or a number with M (MiB) or G (GiB); 0 or -1 (err: why) */
int gadget_parse_size(const char *s, uint64_t *out, struct diag *err);

/* snapd's rules, the offsets of structures that give none, the order by
 * offset, overlaps; content sources must exist in dir (bare images are
 * sized from their files) unless they are generated; 0 or -1 */
int gadget_check(const char *dir, struct gadget *g, struct diag *err);

/* whether source is a file the image build itself puts into a system-boot structure */
bool gadget_generated(const char *source);
/* the volume named name (NULL: the only one); NULL and err when none or not one */
const struct gadget_volume *gadget_volume(const struct gadget *g, const char *name, struct diag *err);
/* the partition type of s on v ("-": not a partition) */
const char *gadget_part_type(const struct gadget_volume *v, const struct gadget_structure *s, char *buf,
			     size_t len);
/* the volume's plan (docs/formats.md, "Gadget plan"); 0 or -1 */
int gadget_plan(FILE *out, const struct gadget *g, const struct gadget_volume *v, struct diag *err);

#endif
