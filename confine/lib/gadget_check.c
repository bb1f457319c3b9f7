// SPDX-License-Identifier: GPL-3.0-only
/*
 * snapd's rules for a gadget's volumes (see docs/gadget-layout.md): each
 * structure on its own (size, type, role, filesystem, content), the
 * volume (schema, names, labels, offsets, order, overlaps), the roles
 * across volumes, one bootloader, and the content present in the gadget.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gadget.h"

#define GPT_TABLE_END (512 * 34)

static const char *const generated_names[] = { "boot.scr",    "uboot.env", "uboot-redund.env",
					       "bootx64.efi", "grubenv",   "grubenv-redund" };

bool gadget_generated(const char *source)
{
	for (size_t i = 0; i < sizeof(generated_names) / sizeof(generated_names[0]); i++)
		if (strcmp(source, generated_names[i]) == 0)
			return true;
	return false;
}

static bool is_role(const struct gadget_structure *s, const char *role)
{
	return s->role && strcmp(s->role, role) == 0;
}

static bool has_fs(const struct gadget_structure *s)
{
	return s->filesystem && strcmp(s->filesystem, "none") != 0;
}

/* "file:line:col: volume "v" structure #i ("name"): reason" */
static int st_err(struct diag *err, const struct gadget *g, const struct gadget_volume *v,
		  const struct gadget_structure *s, const struct yt_node *n, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static int st_err(struct diag *err, const struct gadget *g, const struct gadget_volume *v,
		  const struct gadget_structure *s, const struct yt_node *n, const char *fmt, ...)
{
	char msg[DIAG_MAX], who[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->name)
		snprintf(who, sizeof(who), "structure #%u (\"%s\")", s->index, s->name);
	else
		snprintf(who, sizeof(who), "structure #%u", s->index);
	return yt_err(err, g->file, n ? n : s->node, "volume \"%s\", %s: %s", v->name, who, msg);
}

static bool hex2(const char *s)
{
	for (int i = 0; i < 2; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return s[2] == 0 || s[2] == ',';
}

static bool guid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int check_type(const struct gadget *g, const struct gadget_volume *v, const struct gadget_structure *s,
		      struct diag *err)
{
	const char *t = s->type;
	bool mbr_id = false, gpt_id = false;

	if (!t)
		return st_err(err, g, v, s, NULL, "no type");
	if (strcmp(t, "bare") == 0 || strcmp(t, "mbr") == 0)
		return 0;
	if (strchr(t, ',')) {
		if (strlen(t) != 39 || !hex2(t) || !guid(t + 3))
			return st_err(
				err, g, v, s, s->type_node,
				"invalid type \"%s\": a hybrid type is two upper-case hex digits, a comma "
				"and a GUID",
				t);
		return 0;
	}
	if (strlen(t) == 2 && hex2(t))
		mbr_id = true;
	else if (guid(t))
		gpt_id = true;
	else
		return st_err(
			err, g, v, s, s->type_node,
			"invalid type \"%s\": not bare, mbr, two upper-case hex digits (MBR), a GUID (GPT) "
			"or both as XX,GUID",
			t);
	if (gpt_id && strcmp(v->schema, "gpt") != 0)
		return st_err(err, g, v, s, s->type_node,
			      "invalid type \"%s\": a GUID type on a volume of schema %s", t, v->schema);
	if (mbr_id && strcmp(v->schema, "mbr") != 0)
		return st_err(err, g, v, s, s->type_node,
			      "invalid type \"%s\": an MBR type on a volume of schema %s", t, v->schema);
	return 0;
}

static int check_role(const struct gadget *g, const struct gadget_volume *v, struct gadget_structure *s,
		      struct diag *err)
{
	static const char *const roles[] = { "system-boot",	  "system-data",
					     "system-seed",	  "system-seed-null",
					     "system-save",	  "mbr",
					     "system-boot-image", "system-boot-select",
					     "system-seed-image", "system-seed-select",
					     "bootimg",		  "bootselect" };
	bool known = false;

	if (strcmp(s->type, "bare") == 0 && s->role && !is_role(s, "mbr"))
		return st_err(err, g, v, s, s->role_node, "role %s cannot be on a structure of type bare",
			      s->role);
	if (strcmp(s->type, "mbr") == 0) {
		if (s->role && !is_role(s, "mbr"))
			return st_err(err, g, v, s, s->role_node,
				      "role %s conflicts with the legacy type mbr", s->role);
		s->role = "mbr";
	}
	if (!s->role)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		known |= strcmp(s->role, roles[i]) == 0;
	if (!known)
		return st_err(err, g, v, s, s->role_node, "unknown role \"%s\"", s->role);
	if (!is_role(s, "mbr"))
		return 0;
	if (s->size > GADGET_MBR_MAX)
		return st_err(err, g, v, s, s->size_node,
			      "a structure of role mbr is at most %d bytes, not %llu", GADGET_MBR_MAX,
			      (unsigned long long)s->size);
	if (s->has_offset && s->offset != 0)
		return st_err(err, g, v, s, s->offset_node, "a structure of role mbr must start at offset 0");
	if (s->id)
		return st_err(err, g, v, s, NULL, "a structure of role mbr cannot have an id");
	if (has_fs(s))
		return st_err(err, g, v, s, NULL, "a structure of role mbr cannot have a filesystem");
	return 0;
}

static int check_content_shape(const struct gadget *g, const struct gadget_volume *v,
			       const struct gadget_structure *s, struct diag *err)
{
	for (size_t i = 0; i < s->ncontent; i++) {
		const struct gadget_content *c = &s->content[i];

		if (has_fs(s)) {
			if (c->image || c->has_offset || c->size)
				return st_err(err, g, v, s, c->node,
					      "content #%zu: image, offset and size are for bare structures, "
					      "this one has a filesystem",
					      i);
			if (!c->source)
				return st_err(err, g, v, s, c->node, "content #%zu: no source", i);
			if (!c->target)
				return st_err(err, g, v, s, c->node, "content #%zu: no target", i);
		} else {
			if (c->source || c->target)
				return st_err(err, g, v, s, c->node,
					      "content #%zu: source and target are for structures with a "
					      "filesystem, this one is bare",
					      i);
			if (!c->image)
				return st_err(err, g, v, s, c->node, "content #%zu: no image", i);
		}
	}
	return 0;
}

/* a value the plan cannot carry (its fields are separated by tabs, one per line) */
static bool has_control(const char *s)
{
	for (; s && *s; s++)
		if (iscntrl((unsigned char)*s))
			return true;
	return false;
}

static int check_structure(const struct gadget *g, const struct gadget_volume *v, struct gadget_structure *s,
			   struct diag *err)
{
	static const char *const fss[] = { "ext4", "vfat", "vfat-16", "vfat-32", "none" };
	bool fs_ok = !s->filesystem;

	if (!s->size)
		return st_err(err, g, v, s, s->size_node, "no size");
	if (s->min_size > s->size)
		return st_err(err, g, v, s, NULL, "min-size %llu is bigger than size %llu",
			      (unsigned long long)s->min_size, (unsigned long long)s->size);
	if (check_type(g, v, s, err) < 0 || check_role(g, v, s, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(fss) / sizeof(fss[0]) && !fs_ok; i++)
		fs_ok = strcmp(s->filesystem, fss[i]) == 0;
	if (!fs_ok)
		return st_err(err, g, v, s, NULL,
			      "unknown filesystem \"%s\" (ext4, vfat, vfat-16, vfat-32, none)",
			      s->filesystem);
	if (has_control(s->name) || has_control(s->label))
		return st_err(err, g, v, s, NULL,
			      "a tab or control character in its name or filesystem-label");
	return check_content_shape(g, v, s, err);
}

/* two labels that would be taken for one another (vfat's are case-blind) */
static bool same_label(const struct gadget_structure *a, const struct gadget_structure *b)
{
	bool fat = (a->filesystem && strncmp(a->filesystem, "vfat", 4) == 0) ||
		   (b->filesystem && strncmp(b->filesystem, "vfat", 4) == 0);

	return fat ? strcasecmp(a->label, b->label) == 0 : strcmp(a->label, b->label) == 0;
}

static int cmp_offset(const void *pa, const void *pb)
{
	const struct gadget_structure *a = pa, *b = pb;

	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int check_offset_write(const struct gadget *g, const struct gadget_volume *v,
			      const struct gadget_structure *s, uint64_t vol_end, struct diag *err)
{
	const struct gadget_structure *first = &v->st[0];

	if (!s->has_offset_write)
		return 0;
	if (s->offset_write_to) {
		if (!first->name || strcmp(s->offset_write_to, first->name) != 0)
			return st_err(err, g, v, s, s->offset_write_node,
				      "offset-write is relative to \"%s\", which is not the first structure",
				      s->offset_write_to);
		if (first->offset != 0)
			return st_err(err, g, v, s, s->offset_write_node,
				      "offset-write is relative to \"%s\", which does not start at 0",
				      s->offset_write_to);
		if (s->offset_write + GADGET_OFFSET_WRITE_LEN > first->size)
			return st_err(err, g, v, s, s->offset_write_node,
				      "offset-write's %d bytes at %llu end outside of \"%s\"",
				      GADGET_OFFSET_WRITE_LEN, (unsigned long long)s->offset_write,
				      s->offset_write_to);
	} else if (s->offset_write + GADGET_OFFSET_WRITE_LEN > vol_end) {
		return st_err(err, g, v, s, s->offset_write_node,
			      "offset-write's %d bytes at %llu end outside of the volume (%llu bytes)",
			      GADGET_OFFSET_WRITE_LEN, (unsigned long long)s->offset_write,
			      (unsigned long long)vol_end);
	}
	return 0;
}

/* offsets for the structures that give none, the order by offset, overlaps */
static int lay_out(const struct gadget *g, struct gadget_volume *v, struct diag *err)
{
	uint64_t end = 0;
	bool gpt = strcmp(v->schema, "gpt") == 0;

	for (size_t i = 0; i < v->n; i++) {
		struct gadget_structure *s = &v->st[i];

		if (!s->has_offset)
			s->offset =
				!is_role(s, "mbr") && end < GADGET_DEFAULT_START ? GADGET_DEFAULT_START : end;
		if (s->offset > UINT64_MAX - s->size)
			return st_err(err, g, v, s, s->offset_node, "ends beyond 2^64 bytes");
		end = s->offset + s->size;
	}
	qsort(v->st, v->n, sizeof(*v->st), cmp_offset);
	end = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct gadget_structure *s = &v->st[i];

		if (is_role(s, "mbr") && s->offset != 0)
			return st_err(err, g, v, s, s->offset_node,
				      "a structure of role mbr must start at offset 0");
		if (i > 0 && s->offset < end) {
			const struct gadget_structure *p = &v->st[i - 1];
			return st_err(
				err, g, v, s, s->offset_node,
				"starts at %llu, inside the structure before it (#%u, %s, ends at %llu)",
				(unsigned long long)s->offset, p->index, p->name ? p->name : "unnamed",
				(unsigned long long)end);
		}
		if (gpt && !is_role(s, "mbr") && s->offset < GPT_TABLE_END && s->offset + s->size > 512)
			return st_err(
				err, g, v, s, s->offset_node,
				"on a gpt volume it cannot cover bytes 512 to %d (the GPT header and table)",
				GPT_TABLE_END);
		if (strcmp(s->type, "bare") != 0 && !is_role(s, "mbr") && (s->offset % 512 || s->size % 512))
			return st_err(err, g, v, s, s->offset_node ? s->offset_node : s->size_node,
				      "a partition must start and end on a 512-byte sector (offset %llu, "
				      "size %llu)",
				      (unsigned long long)s->offset, (unsigned long long)s->size);
		end = s->offset + s->size;
	}
	for (size_t i = 0; i < v->n; i++)
		if (check_offset_write(g, v, &v->st[i], end, err) < 0)
			return -1;
	return 0;
}

static int check_volume(const struct gadget *g, struct gadget_volume *v, struct diag *err)
{
	const char *nm = v->name;

	if (!(isalnum((unsigned char)nm[0]) && nm[1]))
		return yt_err(err, g->file, v->node, "invalid volume name \"%s\"", nm);
	for (const char *p = nm; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return yt_err(err, g->file, v->node, "invalid volume name \"%s\"", nm);
	if (!v->schema)
		v->schema = "gpt";
	if (strcmp(v->schema, "gpt") != 0 && strcmp(v->schema, "mbr") != 0)
		return yt_err(err, g->file, v->schema_node,
			      "volume \"%s\": unknown schema \"%s\" (gpt or mbr)", nm, v->schema);
	for (size_t i = 0; i < v->n; i++) {
		struct gadget_structure *s = &v->st[i];

		if (check_structure(g, v, s, err) < 0)
			return -1;
		for (size_t j = 0; j < i; j++) {
			const struct gadget_structure *o = &v->st[j];
			if (s->name && o->name && strcmp(s->name, o->name) == 0)
				return st_err(err, g, v, s, NULL, "the name \"%s\" is also structure #%u's",
					      s->name, o->index);
			if (s->label && o->label && same_label(s, o))
				return st_err(err, g, v, s, s->label_node,
					      "the filesystem-label \"%s\" is also structure #%u's", s->label,
					      o->index);
		}
	}
	return lay_out(g, v, err);
}

struct role_use {
	const char *role;
	const struct gadget_volume *v;
	const struct gadget_structure *s;
};

static int label_must_be(const struct gadget *g, const struct role_use *r, const char *want, bool or_none,
			 struct diag *err)
{
	if (!r->s)
		return 0;
	if (r->s->label ? strcmp(r->s->label, want) == 0 : or_none)
		return 0;
	return st_err(err, g, r->v, r->s, r->s->label_node,
		      "a structure of role %s must have filesystem-label %s%s", r->role, want,
		      or_none ? " or none" : "");
}

/* snapd's roles across volumes, for a gadget read without a model */
static int check_roles(const struct gadget *g, struct diag *err)
{
	enum { SEED, SEED_NULL, BOOT, DATA, SAVE, NROLES };
	struct role_use r[NROLES] = { { "system-seed", NULL, NULL },
				      { "system-seed-null", NULL, NULL },
				      { "system-boot", NULL, NULL },
				      { "system-data", NULL, NULL },
				      { "system-save", NULL, NULL } };
	bool seed;

	for (size_t i = 0; i < g->nvol; i++)
		for (size_t j = 0; j < g->vol[i].n; j++) {
			const struct gadget_structure *s = &g->vol[i].st[j];
			for (int k = 0; k < NROLES; k++) {
				if (!is_role(s, r[k].role))
					continue;
				if (r[k].s)
					return st_err(
						err, g, &g->vol[i], s, s->role_node,
						"a second structure of role %s (the first: volume \"%s\", "
						"#%u)",
						s->role, r[k].v->name, r[k].s->index);
				r[k].v = &g->vol[i];
				r[k].s = s;
			}
		}
	if (r[SEED].s && r[SEED_NULL].s)
		return st_err(err, g, r[SEED_NULL].v, r[SEED_NULL].s, r[SEED_NULL].s->role_node,
			      "system-seed and system-seed-null in one gadget");
	if (r[SEED_NULL].s) {
		if (!r[BOOT].s || !r[DATA].s)
			return yt_err(
				err, g->file, g->doc.root,
				"system-seed-null needs structures of roles system-boot and system-data");
		return 0;
	}
	seed = r[SEED].s != NULL;
	if (seed && !r[DATA].s)
		return st_err(err, g, r[SEED].v, r[SEED].s, r[SEED].s->role_node,
			      "role system-seed needs a structure of role system-data");
	if (r[SAVE].s && !seed)
		return st_err(err, g, r[SAVE].v, r[SAVE].s, r[SAVE].s->role_node,
			      "role system-save needs a structure of role system-seed");
	if (!seed)
		return label_must_be(g, &r[DATA], "writable", true, err);
	if (label_must_be(g, &r[DATA], "ubuntu-data", true, err) < 0 ||
	    label_must_be(g, &r[SEED], "ubuntu-seed", true, err) < 0 ||
	    label_must_be(g, &r[SAVE], "ubuntu-save", true, err) < 0)
		return -1;
	for (int k = BOOT; k < NROLES; k++)
		if (r[k].s && r[k].v != r[SEED].v)
			return st_err(err, g, r[k].v, r[k].s, r[k].s->role_node,
				      "role %s must be on the volume of system-seed (\"%s\")", r[k].role,
				      r[SEED].v->name);
	return 0;
}

/* labels that structures without a role may not take (snapd keeps them for the roles) */
static int check_reserved_labels(const struct gadget *g, bool modes, struct diag *err)
{
	static const char *const reserved[] = { "ubuntu-seed", "ubuntu-data", "ubuntu-boot", "ubuntu-save" };

	for (size_t i = 0; i < g->nvol; i++)
		for (size_t j = 0; j < g->vol[i].n; j++) {
			const struct gadget_structure *s = &g->vol[i].st[j];
			if (s->role || !s->label)
				continue;
			for (size_t k = 0; k < (modes ? 4u : 2u); k++)
				if (strcasecmp(s->label, reserved[k]) == 0)
					return st_err(err, g, &g->vol[i], s, s->label_node,
						      "the filesystem-label \"%s\" is kept for a role",
						      s->label);
		}
	return 0;
}

static int check_bootloaders(const struct gadget *g, struct diag *err)
{
	static const char *const known[] = { "grub", "u-boot", "android-boot", "lk", "piboot" };
	const struct gadget_volume *first = NULL;

	for (size_t i = 0; i < g->nvol; i++) {
		const struct gadget_volume *v = &g->vol[i];
		bool ok = false;

		if (!v->bootloader)
			continue;
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			ok |= strcmp(v->bootloader, known[k]) == 0;
		if (!ok)
			return yt_err(err, g->file, v->bootloader_node,
				      "volume \"%s\": unknown bootloader \"%s\" (grub, u-boot, android-boot, "
				      "piboot "
				      "or lk)",
				      v->name, v->bootloader);
		if (first)
			return yt_err(err, g->file, v->bootloader_node,
				      "volume \"%s\": a second bootloader (volume \"%s\" has one)", v->name,
				      first->name);
		first = v;
	}
	if (!first)
		return yt_err(err, g->file, yt_get(g->doc.root, "volumes"), "no volume names a bootloader");
	return 0;
}

static int check_content_files(const char *dir, const struct gadget *g, const struct gadget_volume *v,
			       struct gadget_structure *s, struct diag *err)
{
	uint64_t end = 0;

	for (size_t i = 0; i < s->ncontent; i++) {
		struct gadget_content *c = &s->content[i];
		const char *rel = has_fs(s) ? c->source : c->image;
		size_t len = strlen(rel);
		char path[4096];
		struct stat st;

		if (has_control(rel) || has_control(c->target))
			return st_err(err, g, v, s, c->node,
				      "content #%zu: a tab or control character in a path", i);
		if (strncmp(rel, "$kernel:", 8) == 0)
			return st_err(err, g, v, s, c->node,
				      "content #%zu: kernel references (%s) are not supported here", i, rel);
		if (strstr(rel, ".."))
			return st_err(err, g, v, s, c->node,
				      "content #%zu: \"%s\" is not a path inside the gadget", i, rel);
		if (has_fs(s) && is_role(s, "system-boot") && gadget_generated(rel)) {
			c->generated = true;
			continue;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >= sizeof(path))
			return st_err(err, g, v, s, c->node, "content #%zu: path too long", i);
		if (stat(path, &st) < 0)
			return st_err(err, g, v, s, c->node, "content #%zu: %s does not exist in the gadget",
				      i, rel);
		if (has_fs(s)) {
			if (len && rel[len - 1] == '/' && !S_ISDIR(st.st_mode))
				return st_err(err, g, v, s, c->node, "content #%zu: %s is not a directory", i,
					      rel);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			return st_err(err, g, v, s, c->image_node, "content #%zu: image %s is not a file", i,
				      rel);
		if (c->size && c->size < (uint64_t)st.st_size)
			return st_err(err, g, v, s, c->node,
				      "content #%zu: image %s is %llu bytes, more than its size %llu", i, rel,
				      (unsigned long long)st.st_size, (unsigned long long)c->size);
		if (!c->size)
			c->size = (uint64_t)st.st_size;
		if (!c->has_offset)
			c->offset = end;
		if (c->offset < end)
			return st_err(err, g, v, s, c->node,
				      "content #%zu: image %s starts inside the image before it", i, rel);
		end = c->offset + c->size;
		if (end > s->size)
			return st_err(
				err, g, v, s, c->node,
				"content #%zu: image %s ends at %llu, beyond the structure's %llu bytes", i,
				rel, (unsigned long long)end, (unsigned long long)s->size);
	}
	return 0;
}

int gadget_check(const char *dir, struct gadget *g, struct diag *err)
{
	bool modes = false;

	for (size_t i = 0; i < g->nvol; i++)
		if (check_volume(g, &g->vol[i], err) < 0)
			return -1;
	if (check_bootloaders(g, err) < 0 || check_roles(g, err) < 0)
		return -1;
	for (size_t i = 0; i < g->nvol; i++)
		for (size_t j = 0; j < g->vol[i].n; j++)
			modes |= is_role(&g->vol[i].st[j], "system-seed");
	if (check_reserved_labels(g, modes, err) < 0)
		return -1;
	for (size_t i = 0; i < g->nvol; i++)
		for (size_t j = 0; j < g->vol[i].n; j++)
			if (check_content_files(dir, g, &g->vol[i], &g->vol[i].st[j], err) < 0)
				return -1;
	return 0;
}
