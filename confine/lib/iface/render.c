// SPDX-License-Identifier: GPL-3.0-only
/*
 * Every app's profiles from its connections (iface.h): the base seccomp
 * policy and each connected interface's lines; the interfaces' AppArmor
 * rules; udev matches tagging the app's devices; the snap's mount profile
 * (content, layouts). Snippet text is a template:
 *
 *   ${plug.ATTR}, ${slot.ATTR} (ATTR.FIELD for a map), ${item} (each:),
 *   ${item.FIELD} (each: over a list of maps),
 *   ${plug.snap}, ${plug.name}, ${slot.snap}, ${slot.name}, ${app}, ${tag}
 *   filters: |basename  |dirname  |hex4 |hex2 (a number, 4 or 2 hex digits)
 *            |udev-match   a custom-device udev-tagging rule (a map: kernel,
 *                          subsystem, environment, attributes) as udev match
 *                          keys; its kernel must name one of the slot's devices
 *            |udev-default a custom-device device path: snapd's default
 *                          KERNEL== match(es), or nothing when one of the
 *                          slot's udev-tagging rules takes the device
 *
 * A snippet with when: is used only when that attribute is there (and not
 * false; "!" for absent), or when every condition of a when: list holds;
 * with each: once for every item of that list. A snippet that expands to
 * nothing adds nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface/iface.h"
#include "iface/textbuf.h"

/* plug.a.b -> the node, or NULL */
static const struct yt_node *lookup(const char *ref, const struct plugslot *plug, const struct plugslot *slot)
{
	const struct yt_node *n;

	if (!strncmp(ref, "plug.", 5))
		n = plug ? plug->attrs : NULL;
	else if (!strncmp(ref, "slot.", 5))
		n = slot ? slot->attrs : NULL;
	else
		return NULL;
	return yt_path(n, ref + 5);
}

static bool present1(const char *ref, const struct plugslot *plug, const struct plugslot *slot)
{
	bool neg = ref[0] == '!';
	const struct yt_node *n = lookup(ref + neg, plug, slot);
	bool there = n && !(n->kind == YT_SCALAR && (!yt_is_str(n) || !strcmp(n->s, "false"))) &&
		     !(n->kind == YT_SEQ && n->n == 0);

	return neg ? !there : there;
}

/* when: one condition or several, space-separated, that must all hold */
static bool present(const char *when, const struct plugslot *plug, const struct plugslot *slot)
{
	char ref[256];

	for (const char *p = when; *p;) {
		size_t len = strcspn(p, " ");

		if (len >= sizeof(ref))
			return false;
		memcpy(ref, p, len);
		ref[len] = '\0';
		if (!present1(ref, plug, slot))
			return false;
		p += len + (p[len] == ' ');
	}
	return true;
}

/* snapd's udev tag of a security tag: snap.x.hook.y -> snap_x_hook_y */
static const char *udev_tag(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "%s", tag);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = '_';
	return buf;
}

struct ctx {
	const struct plugslot *plug, *slot;
	const char *item, *app, *tag;
	const struct yt_node *item_node; /* each: the item itself (a map's fields for ${item.FIELD}) */
	bool located;			 /* the error names the snap.yaml line itself */
};

/* a field of the current item: item.a.b -> the node, or NULL */
static const struct yt_node *item_field(const char *expr, const struct ctx *c)
{
	return yt_path(c->item_node, expr + 5);
}

/* the devices of a custom-device slot (devices and read-devices): is /dev/NAME one of them? */
static bool slot_has_device(const struct plugslot *slot, const char *name, size_t len)
{
	static const char *const keys[] = { "devices", "read-devices" };

	for (int k = 0; k < 2; k++) {
		const struct yt_node *l = yt_get(slot->attrs, keys[k]);

		for (size_t i = 0; l && l->kind == YT_SEQ && i < l->n; i++) {
			const char *d = l->items[i]->s;

			if (d && !strncmp(d, "/dev/", 5) && strlen(d + 5) == len &&
			    !strncmp(d + 5, name, len))
				return true;
		}
	}
	return false;
}

/* how many of the slot's devices have the basename NAME */
static size_t slot_devices_named(const struct plugslot *slot, const char *name)
{
	static const char *const keys[] = { "devices", "read-devices" };
	size_t n = 0;

	for (int k = 0; k < 2; k++) {
		const struct yt_node *l = yt_get(slot->attrs, keys[k]);

		for (size_t i = 0; l && l->kind == YT_SEQ && i < l->n; i++) {
			const char *d = l->items[i]->s, *b = d ? strrchr(d, '/') : NULL;

			n += b && !strcmp(b + 1, name);
		}
	}
	return n;
}

/* is there a udev-tagging rule of the slot whose kernel is NAME (len bytes)? */
static bool slot_has_rule(const struct plugslot *slot, const char *name, size_t len)
{
	const struct yt_node *l = yt_get(slot->attrs, "udev-tagging");

	for (size_t i = 0; l && l->kind == YT_SEQ && i < l->n; i++) {
		const struct yt_node *k = yt_get(l->items[i], "kernel");

		if (yt_is_str(k) && strlen(k->s) == len && !strncmp(k->s, name, len))
			return true;
	}
	return false;
}

/* custom-device: one udev-tagging rule as match keys (snapd's order: KERNEL, SUBSYSTEM, ENV, ATTR) */
static int udev_match(const struct yt_node *rule, struct ctx *c, struct textbuf *b, struct diag *err)
{
	const struct yt_node *k = yt_get(rule, "kernel"), *v;
	static const char *const maps[][2] = { { "environment", "ENV" }, { "attributes", "ATTR" } };

	if (!rule || rule->kind != YT_MAP || !yt_is_str(k) || !c->slot)
		return diag_set(err, "|udev-match needs a udev-tagging rule with a kernel");
	/* snapd's check: the kernel name is a device of the slot, or the basename of exactly one */
	if (!slot_has_device(c->slot, k->s, strlen(k->s))) {
		size_t n = slot_devices_named(c->slot, k->s);

		if (n != 1) {
			c->located = true;
			return yt_err(err, c->slot->file, k,
				      "slot %s: udev-tagging kernel '%s' %s of the slot's devices",
				      c->slot->name, k->s, n ? "is the name of more than one" : "is none");
		}
	}
	tb_printf(b, "KERNEL==\"%s\"", k->s);
	if (yt_is_str(v = yt_get(rule, "subsystem")))
		tb_printf(b, ", SUBSYSTEM==\"%s\"", v->s);
	for (int m = 0; m < 2; m++) {
		const struct yt_node *map = yt_get(rule, maps[m][0]);

		for (size_t i = 0; map && map->kind == YT_MAP && i < map->n; i++)
			if (yt_is_str(map->items[i]))
				tb_printf(b, ", %s{%s}==\"%s\"", maps[m][1], map->keys[i]->s,
					  map->items[i]->s);
	}
	return 0;
}

/* custom-device: the default match of one device path, as snapd makes it */
static void udev_default(const char *path, const struct plugslot *slot, struct textbuf *b)
{
	const char *name = path + 5, *base;
	size_t blen;

	if (strncmp(path, "/dev/", 5) || !slot || slot_has_rule(slot, name, strlen(name)))
		return; /* a rule of its own replaces the default */
	base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	blen = strlen(base);
	if (base == name) {
		tb_printf(b, "KERNEL==\"%s\"", name);
	} else if (!slot_has_rule(slot, base, blen) && !slot_has_device(slot, base, blen)) {
		/* /dev/a/b: udev's kernel name is often b alone */
		tb_printf(b, "KERNEL==\"%s\"\nKERNEL==\"%s\"", name, base);
	} else if (!slot_has_rule(slot, base, blen) || slot_has_device(slot, base, blen)) {
		tb_printf(b, "KERNEL==\"%s\"", name);
	}
	/* else: the rule of the basename (no device of that name) takes this device */
}

static int filter(const char *f, const char *v, const struct yt_node *node, struct ctx *c, struct textbuf *b,
		  struct diag *err)
{
	if (!strcmp(f, "udev-match"))
		return udev_match(node, c, b, err);
	if (!v)
		return diag_set(err, "|%s needs a value, not %s", f, yt_kind_name(node));
	if (!strcmp(f, "udev-default")) {
		udev_default(v, c->slot, b);
	} else if (!strcmp(f, "basename")) {
		const char *s = strrchr(v, '/');

		tb_puts(b, s ? s + 1 : v);
	} else if (!strcmp(f, "dirname")) {
		const char *s = strrchr(v, '/');

		if (s == v)
			tb_puts(b, "/");
		else if (s)
			tb_put(b, v, (size_t)(s - v));
		else
			tb_puts(b, ".");
	} else if (!strcmp(f, "hex4")) {
		char *end;
		long x = strtol(v, &end, 0);

		if (*end || x < 0 || x > 0xffff)
			return diag_set(err, "'%s' is not a 16-bit number (|hex4)", v);
		tb_printf(b, "%04lx", x);
	} else if (!strcmp(f, "hex2")) {
		char *end;
		long x = strtol(v, &end, 0);

		if (*end || x < 0 || x > 0xff)
			return diag_set(err, "'%s' is not an 8-bit number (|hex2)", v);
		tb_printf(b, "%02lx", x);
	} else {
		return diag_set(err, "unknown filter |%s", f);
	}
	return 0;
}

static int expand(const char *text, struct ctx *c, char **out, struct diag *err)
{
	struct textbuf b = { 0 };

	for (const char *p = text; *p;) {
		const char *start = strstr(p, "${"), *end;
		char expr[256], *bar;
		const char *val = NULL;
		const struct yt_node *node = NULL;

		if (!start) {
			tb_puts(&b, p);
			break;
		}
		tb_put(&b, p, (size_t)(start - p));
		end = strchr(start, '}');
		if (!end || (size_t)(end - start - 2) >= sizeof(expr)) {
			free(b.s);
			return diag_set(err, "an unterminated ${ in '%.60s'", start);
		}
		memcpy(expr, start + 2, (size_t)(end - start - 2));
		expr[end - start - 2] = '\0';
		bar = strchr(expr, '|');
		if (bar)
			*bar++ = '\0';
		if (!strcmp(expr, "item")) {
			val = c->item;
			node = c->item_node;
		} else if (!strncmp(expr, "item.", 5)) {
			node = item_field(expr, c);
			val = node && node->kind == YT_SCALAR ? node->s : NULL;
		} else if (!strcmp(expr, "app"))
			val = c->app;
		else if (!strcmp(expr, "tag"))
			val = c->tag;
		else if (!strcmp(expr, "plug.snap") || !strcmp(expr, "plug.name"))
			val = c->plug ? (expr[5] == 's' ? c->plug->snap : c->plug->name) : NULL;
		else if (!strcmp(expr, "slot.snap") || !strcmp(expr, "slot.name"))
			val = c->slot ? (expr[5] == 's' ? c->slot->snap : c->slot->name) : NULL;
		else {
			node = lookup(expr, c->plug, c->slot);
			val = node && node->kind == YT_SCALAR ? node->s : NULL;
		}
		/* a map or a list only through a filter that takes one */
		if (!val && node && !bar) {
			free(b.s);
			return diag_set(err, "${%s} is %s, not a value", expr, yt_kind_name(node));
		}
		if (!val && !node) {
			free(b.s);
			return diag_set(err, "${%s} has no value here", expr);
		}
		if (bar) {
			if (filter(bar, val, node, c, &b, err)) {
				free(b.s);
				return -1;
			}
		} else {
			tb_puts(&b, val);
		}
		p = end + 1;
	}
	*out = tb_done(&b);
	return *out ? 0 : diag_set(err, "out of memory");
}

int iface_expand(const char *text, const struct plugslot *plug, const struct plugslot *slot, const char *item,
		 char **out, struct diag *err)
{
	struct ctx c = { .plug = plug, .slot = slot, .item = item };

	return expand(text, &c, out, err);
}

/* each snippet of kind k of the connection, expanded, appended to b (lines end with \n) */
static int render_snippets(const struct conn *cn, enum snippet_kind k, const struct ctx *base,
			   struct textbuf *b, struct diag *err)
{
	const struct iface_spec *spec = cn->spec;

	for (size_t i = 0; i < spec->nsn[k]; i++) {
		const struct snippet *s = &spec->sn[k][i];
		struct ctx c = *base;
		const struct yt_node *list = NULL;
		size_t n = 1;

		if (s->when && !present(s->when, cn->plug, cn->slot))
			continue;
		if (s->each) {
			list = lookup(s->each, cn->plug, cn->slot);
			if (!list)
				continue;
			if (list->kind != YT_SEQ)
				return diag_set(err, "%s:%u: each: %s is not a list", spec->file, s->line,
						s->each);
			n = list->n;
		}
		for (size_t j = 0; j < n; j++) {
			char *text;

			c.item = list ? list->items[j]->s : NULL;
			c.item_node = list ? list->items[j] : NULL;
			if (expand(s->text, &c, &text, err)) {
				char why[DIAG_MAX];

				if (c.located)
					return -1; /* it names the snap.yaml line already */
				snprintf(why, sizeof(why), "%s", err->msg);
				return diag_set(err, "%s:%u: %s (plug %s:%s, slot %s:%s)", spec->file,
						s->line, why, cn->plug->snap, cn->plug->name, cn->slot->snap,
						cn->slot->name);
			}
			/* AppArmor rules indented inside the profile, line by line */
			for (const char *line = text; *line;) {
				size_t len = strcspn(line, "\n");

				if (k == SN_APPARMOR && len)
					tb_puts(b, "  ");
				tb_put(b, line, len);
				tb_puts(b, "\n");
				line += len + (line[len] == '\n');
			}
			free(text);
		}
	}
	return 0;
}

static bool bound(const struct plugslot *p, const char *app)
{
	for (size_t i = 0; i < p->napps; i++)
		if (!strcmp(p->apps[i], app))
			return true;
	return false;
}

static const char *how_name(enum conn_how h)
{
	return h == CONN_AUTO ? "automatic" : h == CONN_GADGET ? "the gadget's" : "made on the device";
}

/* the mount entries of a layout, and the rules its app needs there */
static void render_layout(const struct layout *l, struct textbuf *fstab)
{
	if (!strcmp(l->kind, "bind"))
		tb_printf(fstab, "%s %s none rbind,rw,x-snapd.origin=layout 0 0\n", l->value, l->path);
	else if (!strcmp(l->kind, "bind-file"))
		tb_printf(fstab, "%s %s none bind,rw,x-snapd.kind=file,x-snapd.origin=layout 0 0\n", l->value,
			  l->path);
	else if (!strcmp(l->kind, "symlink"))
		tb_printf(fstab,
			  "none %s none x-snapd.kind=symlink,x-snapd.symlink=%s,x-snapd.origin=layout 0 0\n",
			  l->path, l->value);
	else
		tb_printf(fstab, "tmpfs %s tmpfs x-snapd.origin=layout,mode=%s 0 0\n", l->path,
			  l->mode ? l->mode : "0755");
}

static void layout_rules(const struct layout *l, struct textbuf *aa)
{
	if (!strcmp(l->kind, "bind-file"))
		tb_printf(aa, "%s mrwklix,\n", l->path);
	else if (!strcmp(l->kind, "symlink"))
		tb_printf(aa, "%s r,\n", l->path);
	else
		tb_printf(aa, "%s{,/**} mrwklix,\n", l->path);
}

static int render_snap(const struct iface_system *sys, const struct snap *s, const char *base_seccomp,
		       const char *libexecdir, struct snap_profile *out, struct diag *err)
{
	struct textbuf fstab = { 0 }, udev = { 0 }, sec = { 0 }, aa = { 0 }, dev = { 0 };
	bool any_device = false;

	out->snap = s;
	out->apps = calloc(s->napps ? s->napps : 1, sizeof(*out->apps));
	if (!out->apps)
		return diag_set(err, "out of memory");
	for (size_t a = 0; a < s->napps; a++) {
		struct app_profile *ap = &out->apps[a];
		struct ctx c = { .app = s->apps[a].name };

		out->napps = a + 1;
		memset(&sec, 0, sizeof(sec));
		memset(&aa, 0, sizeof(aa));
		memset(&dev, 0, sizeof(dev));
		if (asprintf(&ap->tag, "snap.%s.%s", s->name, s->apps[a].name) < 0) {
			ap->tag = NULL;
			goto oom;
		}
		c.tag = ap->tag;
		if (!strcmp(s->confinement, "classic"))
			tb_puts(&sec, "@unrestricted\n");
		else if (!strcmp(s->confinement, "devmode"))
			tb_puts(&sec, "@complain\n");
		tb_puts(&sec, base_seccomp);
		for (size_t i = 0; i < sys->nconns; i++) {
			const struct conn *cn = &sys->conns[i];

			if (strcmp(cn->plug->snap, s->name) || !bound(cn->plug, s->apps[a].name))
				continue;
			c.plug = cn->plug;
			c.slot = cn->slot;
			tb_printf(&sec, "\n# %s: plug %s, slot %s:%s (%s)\n", cn->spec->name, cn->plug->name,
				  cn->slot->snap, cn->slot->name, how_name(cn->how));
			tb_printf(&aa, "\n  # %s: plug %s, slot %s:%s\n", cn->spec->name, cn->plug->name,
				  cn->slot->snap, cn->slot->name);
			if (render_snippets(cn, SN_SECCOMP, &c, &sec, err) ||
			    render_snippets(cn, SN_APPARMOR, &c, &aa, err) ||
			    render_snippets(cn, SN_UDEV, &c, &dev, err))
				goto fail;
		}
		for (size_t l = 0; l < s->nlayouts; l++) {
			if (l == 0)
				tb_puts(&aa, "\n  # the snap's layouts\n");
			tb_puts(&aa, "  ");
			layout_rules(&s->layouts[l], &aa);
		}
		any_device |= dev.len > 0;
		ap->seccomp = tb_done(&sec);
		ap->apparmor = tb_done(&aa);
		ap->udev_match = tb_done(&dev);
		memset(&sec, 0, sizeof(sec));
		memset(&aa, 0, sizeof(aa));
		memset(&dev, 0, sizeof(dev));
		if (!ap->seccomp || !ap->apparmor || !ap->udev_match)
			goto oom;
	}
	/*
	 * the mount profile: an instance's directories over the snap name's
	 * first (snapd's overname entries), each content connection of the
	 * snap's plugs once, then the layouts
	 */
	if (strcmp(s->name, s->snap_name))
		tb_printf(&fstab,
			  "# the instance %s seen as %s\n"
			  "/snap/%s /snap/%s none rbind,x-snapd.origin=overname 0 0\n"
			  "/var/snap/%s /var/snap/%s none rbind,x-snapd.origin=overname 0 0\n",
			  s->name, s->snap_name, s->name, s->snap_name, s->name, s->snap_name);
	for (size_t i = 0; i < sys->nconns; i++) {
		const struct conn *cn = &sys->conns[i];
		struct ctx c = { .plug = cn->plug, .slot = cn->slot };

		if (strcmp(cn->plug->snap, s->name) || !cn->spec->nsn[SN_MOUNT])
			continue;
		tb_printf(&fstab, "# %s: plug %s, slot %s:%s\n", cn->spec->name, cn->plug->name,
			  cn->slot->snap, cn->slot->name);
		if (render_snippets(cn, SN_MOUNT, &c, &fstab, err))
			goto fail;
	}
	for (size_t l = 0; l < s->nlayouts; l++) {
		if (l == 0)
			tb_puts(&fstab, "# layouts\n");
		render_layout(&s->layouts[l], &fstab);
	}
	/* udev: snapd's format, a match per device and app, and the helper's line per app */
	if (any_device) {
		tb_printf(&udev,
			  "# the devices of %s's apps, from their interface connections (snap-interfaces)\n",
			  s->name);
		for (size_t a = 0; a < out->napps; a++) {
			const char *m = out->apps[a].udev_match;
			char ut[300];

			for (const char *line = m; *line;) {
				size_t len = strcspn(line, "\n");

				if (len) {
					tb_put(&udev, line, len);
					tb_printf(&udev, ", TAG+=\"%s\"\n",
						  udev_tag(ut, sizeof(ut), out->apps[a].tag));
				}
				line += len + (line[len] == '\n');
			}
		}
		for (size_t a = 0; a < out->napps; a++) {
			char ut[300];

			if (out->apps[a].udev_match[0])
				tb_printf(&udev,
					  "TAG==\"%s\", SUBSYSTEM!=\"module\", "
					  "SUBSYSTEM!=\"subsystem\", "
					  "RUN+=\"%s/snap-device-helper $env{ACTION} %s $devpath "
					  "$major:$minor\"\n",
					  udev_tag(ut, sizeof(ut), out->apps[a].tag), libexecdir, ut);
		}
	}
	out->fstab = tb_done(&fstab);
	out->udev = tb_done(&udev);
	if (!out->fstab || !out->udev)
		return diag_set(err, "out of memory");
	return 0;
oom:
	diag_set(err, "out of memory");
fail:
	free(sec.s);
	free(aa.s);
	free(dev.s);
	free(fstab.s);
	free(udev.s);
	return -1;
}

void iface_profiles_free(struct snap_profile *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t a = 0; a < p[i].napps; a++) {
			free(p[i].apps[a].tag);
			free(p[i].apps[a].seccomp);
			free(p[i].apps[a].apparmor);
			free(p[i].apps[a].udev_match);
		}
		free(p[i].apps);
		free(p[i].fstab);
		free(p[i].udev);
	}
	free(p);
}

int iface_render(const struct iface_system *sys, const char *base_seccomp, const char *libexecdir,
		 struct snap_profile **out, size_t *n, struct diag *err)
{
	struct snap_profile *p = calloc(sys->nsnaps ? sys->nsnaps : 1, sizeof(*p));

	*out = NULL;
	*n = 0;
	if (!p)
		return diag_set(err, "out of memory");
	for (size_t i = 0; i < sys->nsnaps; i++) {
		if (render_snap(sys, &sys->snaps[i], base_seccomp, libexecdir, &p[i], err)) {
			iface_profiles_free(p, i + 1);
			return -1;
		}
	}
	*out = p;
	*n = sys->nsnaps;
	return 0;
}
