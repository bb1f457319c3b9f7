// SPDX-License-Identifier: GPL-3.0-only
/*
 * The installed system and its connections (iface.h). A plug is connected:
 *   - by the state file (a connection made on the device, `connect`);
 *   - by the gadget's connections: (plug: SNAP:PLUG, slot: SNAP:SLOT, where
 *     snapd writes snap ids; a locally built snap has none, so its name
 *     stands in the same place; system:SLOT names a slot of the system);
 *   - automatically, as on Core, when its interface says auto-connect and
 *     there is exactly one slot of that interface (a system slot first);
 * unless the state file lists it as disconnected. A plug and a slot of
 * different interfaces, or whose matching attributes differ (content), are
 * never connected; naming such a pair is an error.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "iface/iface.h"

#define STATE_FILE "/var/lib/snapd/confine/connections"

void iface_system_free(struct iface_system *sys)
{
	for (size_t i = 0; i < sys->nsnaps; i++)
		snap_free(&sys->snaps[i]);
	free(sys->snaps);
	for (size_t i = 0; i < sys->nspecs; i++)
		iface_spec_free(&sys->specs[i]);
	free(sys->specs);
	for (size_t i = 0; i < sys->nsystem_slots; i++) {
		free(sys->system_slots[i].snap);
		free(sys->system_slots[i].name);
		free(sys->system_slots[i].iface);
		yt_node_free(sys->system_slots[i].attrs);
	}
	free(sys->system_slots);
	free(sys->conns);
	for (size_t i = 0; i < sys->nmanual; i++)
		free(sys->manual[i]);
	for (size_t i = 0; i < sys->nundesired; i++)
		free(sys->undesired[i]);
	free(sys->manual);
	free(sys->undesired);
	free(sys->state_file);
	memset(sys, 0, sizeof(*sys));
}

static const struct plugslot *find(const struct iface_system *sys, const char *ref, bool slot)
{
	const char *colon = strchr(ref, ':');
	size_t sl = colon ? (size_t)(colon - ref) : strlen(ref);
	const char *name = colon ? colon + 1 : NULL;

	if (slot && (!strncmp(ref, "system", sl) && sl == 6)) {
		for (size_t i = 0; i < sys->nsystem_slots; i++)
			if (name && !strcmp(sys->system_slots[i].name, name))
				return &sys->system_slots[i];
		return NULL;
	}
	for (size_t i = 0; i < sys->nsnaps; i++) {
		const struct snap *s = &sys->snaps[i];
		const struct plugslot *list = slot ? s->slots : s->plugs;
		size_t n = slot ? s->nslots : s->nplugs;

		if (strlen(s->name) != sl || strncmp(s->name, ref, sl))
			continue;
		for (size_t j = 0; j < n; j++)
			if (name && !strcmp(list[j].name, name))
				return &list[j];
	}
	return NULL;
}

const struct plugslot *iface_find_plug(const struct iface_system *sys, const char *ref)
{
	return find(sys, ref, false);
}

const struct plugslot *iface_find_slot(const struct iface_system *sys, const char *ref)
{
	return find(sys, ref, true);
}

static const char *attr_str(const struct plugslot *p, const char *name)
{
	const struct yt_node *v = yt_get(p->attrs, name);

	return v && v->kind == YT_SCALAR ? v->s : NULL;
}

/* may plug and slot be connected? NULL, or why not */
static const char *compatible(const struct iface_spec *spec, const struct plugslot *plug,
			      const struct plugslot *slot, char *why, size_t len)
{
	if (strcmp(plug->iface, slot->iface)) {
		snprintf(why, len, "plug %s:%s is of interface %s, slot %s:%s of %s", plug->snap, plug->name,
			 plug->iface, slot->snap, slot->name, slot->iface);
		return why;
	}
	for (size_t i = 0; i < spec->nmatch; i++) {
		const char *a = attr_str(plug, spec->match[i]), *b = attr_str(slot, spec->match[i]);

		if (!a || !b || strcmp(a, b)) {
			snprintf(why, len, "plug %s:%s has %s '%s', slot %s:%s has '%s'", plug->snap,
				 plug->name, spec->match[i], a ? a : "", slot->snap, slot->name, b ? b : "");
			return why;
		}
	}
	return NULL;
}

static bool connected(const struct iface_system *sys, const struct plugslot *plug,
		      const struct plugslot *slot)
{
	for (size_t i = 0; i < sys->nconns; i++)
		if (sys->conns[i].plug == plug && (!slot || sys->conns[i].slot == slot))
			return true;
	return false;
}

static bool listed(char **list, size_t n, const char *pair)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], pair))
			return true;
	return false;
}

static int add_conn(struct iface_system *sys, const struct plugslot *plug, const struct plugslot *slot,
		    enum conn_how how)
{
	struct conn *nc;

	if (connected(sys, plug, slot))
		return 0;
	nc = realloc(sys->conns, (sys->nconns + 1) * sizeof(*nc));
	if (!nc)
		return -1;
	sys->conns = nc;
	nc[sys->nconns].plug = plug;
	nc[sys->nconns].slot = slot;
	nc[sys->nconns].spec = iface_spec_find(sys->specs, sys->nspecs, plug->iface);
	nc[sys->nconns].how = how;
	sys->nconns++;
	return 0;
}

static void pair_of(const struct plugslot *plug, const struct plugslot *slot, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s %s:%s", plug->snap, plug->name, slot->snap, slot->name);
}

/* the gadget's connections: each must name a plug and a slot that may be connected */
static int gadget_connections(struct iface_system *sys, struct diag *err)
{
	for (size_t g = 0; g < sys->nsnaps; g++) {
		const struct snap *s = &sys->snaps[g];
		const struct yt_node *list;

		if (strcmp(s->type, "gadget") || !s->gadget.root)
			continue;
		list = yt_get(s->gadget.root, "connections");
		if (!list)
			continue;
		if (list->kind != YT_SEQ)
			return yt_err(err, s->gadget_file, list,
				      "connections must be a list of {plug:, slot:}");
		for (size_t i = 0; i < list->n; i++) {
			const struct yt_node *c = list->items[i], *p = yt_get(c, "plug"),
					     *sl = yt_get(c, "slot");
			const struct plugslot *plug, *slot;
			char why[512], pair[512];

			if (!yt_is_str(p) || !yt_is_str(sl) || !strchr(p->s, ':') || !strchr(sl->s, ':'))
				return yt_err(err, s->gadget_file, c,
					      "a connection needs plug: SNAP:PLUG and slot: SNAP:SLOT");
			plug = iface_find_plug(sys, p->s);
			if (!plug)
				return yt_err(err, s->gadget_file, p, "no plug %s is installed", p->s);
			slot = iface_find_slot(sys, sl->s);
			if (!slot)
				return yt_err(err, s->gadget_file, sl, "no slot %s is installed", sl->s);
			if (compatible(iface_spec_find(sys->specs, sys->nspecs, plug->iface), plug, slot, why,
				       sizeof(why)))
				return yt_err(err, s->gadget_file, c, "cannot connect %s to %s: %s", p->s,
					      sl->s, why);
			pair_of(plug, slot, pair, sizeof(pair));
			if (!listed(sys->undesired, sys->nundesired, pair) &&
			    add_conn(sys, plug, slot, CONN_GADGET))
				return diag_set(err, "out of memory");
		}
	}
	return 0;
}

/* automatic connections: the one slot of the interface, the system's first */
static int auto_connections(struct iface_system *sys, struct diag *err)
{
	for (size_t i = 0; i < sys->nsnaps; i++) {
		const struct snap *s = &sys->snaps[i];

		for (size_t j = 0; j < s->nplugs; j++) {
			const struct plugslot *plug = &s->plugs[j], *cand = NULL;
			const struct iface_spec *spec = iface_spec_find(sys->specs, sys->nspecs, plug->iface);
			char why[512], pair[512];
			int n = 0;

			if (!spec->auto_connect || connected(sys, plug, NULL))
				continue;
			for (size_t k = 0; k < sys->nsystem_slots; k++)
				if (!strcmp(sys->system_slots[k].iface, plug->iface))
					cand = &sys->system_slots[k], n = 1;
			for (size_t k = 0; !cand && k < sys->nsnaps; k++)
				for (size_t l = 0; l < sys->snaps[k].nslots; l++)
					if (!strcmp(sys->snaps[k].slots[l].iface, plug->iface) &&
					    !compatible(spec, plug, &sys->snaps[k].slots[l], why,
							sizeof(why)))
						cand = &sys->snaps[k].slots[l], n++;
			if (n != 1)
				continue;
			pair_of(plug, cand, pair, sizeof(pair));
			if (!listed(sys->undesired, sys->nundesired, pair) &&
			    add_conn(sys, plug, cand, CONN_AUTO))
				return diag_set(err, "out of memory");
		}
	}
	return 0;
}

/* connections made on the device: refused now only if the plug or the slot is gone */
static int manual_connections(struct iface_system *sys, struct diag *err)
{
	for (size_t i = 0; i < sys->nmanual; i++) {
		char plugref[256], slotref[256];
		const struct plugslot *plug, *slot;
		char why[512];

		if (sscanf(sys->manual[i], "%255s %255s", plugref, slotref) != 2)
			continue;
		plug = iface_find_plug(sys, plugref);
		slot = iface_find_slot(sys, slotref);
		if (!plug || !slot ||
		    compatible(iface_spec_find(sys->specs, sys->nspecs, plug->iface), plug, slot, why,
			       sizeof(why)))
			continue; /* a snap removed since: the connection went with it */
		if (add_conn(sys, plug, slot, CONN_MANUAL))
			return diag_set(err, "out of memory");
	}
	return 0;
}

static int decide(struct iface_system *sys, struct diag *err)
{
	free(sys->conns);
	sys->conns = NULL;
	sys->nconns = 0;
	return manual_connections(sys, err) || gadget_connections(sys, err) || auto_connections(sys, err) ? -1
													  : 0;
}

static int push(char ***list, size_t *n, const char *s)
{
	char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (!nl)
		return -1;
	*list = nl;
	nl[*n] = strdup(s);
	if (!nl[*n])
		return -1;
	(*n)++;
	return 0;
}

static void drop(char **list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s)) {
			free(list[i]);
			memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(*list));
			(*n)--;
			return;
		}
}

/* the state file: "connect PLUG SLOT" and "disconnect PLUG SLOT" lines */
static int load_state(struct iface_system *sys, struct diag *err)
{
	char *text, *line, *save = NULL;
	size_t len;
	unsigned n = 0;

	if (access(sys->state_file, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (file_read_all(sys->state_file, 1 << 20, &text, &len, err))
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char verb[16], a[256], b[256], pair[520], extra;

		n++;
		if (line[0] == '#' || !line[0])
			continue;
		if (sscanf(line, "%15s %255s %255s %c", verb, a, b, &extra) != 3 || !strchr(a, ':') ||
		    !strchr(b, ':') || (strcmp(verb, "connect") && strcmp(verb, "disconnect"))) {
			free(text);
			return diag_set(err, "%s:%u: expected 'connect|disconnect SNAP:PLUG SNAP:SLOT'",
					sys->state_file, n);
		}
		snprintf(pair, sizeof(pair), "%s %s", a, b);
		if (push(!strcmp(verb, "connect") ? &sys->manual : &sys->undesired,
			 !strcmp(verb, "connect") ? &sys->nmanual : &sys->nundesired, pair)) {
			free(text);
			return diag_set(err, "out of memory");
		}
	}
	free(text);
	return 0;
}

char *iface_state_format(const struct iface_system *sys)
{
	size_t cap = 128;
	char *out, *w;

	for (size_t i = 0; i < sys->nmanual; i++)
		cap += strlen(sys->manual[i]) + 16;
	for (size_t i = 0; i < sys->nundesired; i++)
		cap += strlen(sys->undesired[i]) + 16;
	out = malloc(cap);
	if (!out)
		return NULL;
	w = out +
	    sprintf(out, "# interface connections made or taken away on this device (snap-interfaces)\n");
	for (size_t i = 0; i < sys->nmanual; i++)
		w += sprintf(w, "connect %s\n", sys->manual[i]);
	for (size_t i = 0; i < sys->nundesired; i++)
		w += sprintf(w, "disconnect %s\n", sys->undesired[i]);
	return out;
}

static int add_system_slots(struct iface_system *sys, struct diag *err)
{
	sys->system_slots = calloc(sys->nspecs ? sys->nspecs : 1, sizeof(*sys->system_slots));
	if (!sys->system_slots)
		return diag_set(err, "out of memory");
	for (size_t i = 0; i < sys->nspecs; i++) {
		struct plugslot *p;

		if (!sys->specs[i].system_slot)
			continue;
		p = &sys->system_slots[sys->nsystem_slots++];
		p->is_slot = true;
		p->snap = strdup("system");
		p->name = strdup(sys->specs[i].name);
		p->iface = strdup(sys->specs[i].name);
		p->attrs = calloc(1, sizeof(*p->attrs));
		p->file = "(the system)";
		if (!p->snap || !p->name || !p->iface || !p->attrs)
			return diag_set(err, "out of memory");
		p->attrs->kind = YT_MAP;
	}
	return 0;
}

static int by_snap_name(const void *a, const void *b)
{
	return strcmp(((const struct snap *)a)->name, ((const struct snap *)b)->name);
}

/* a snap's revision from its directory's name: a number or x<number>, else 1 */
static const char *rev_of_dir(const char *dir, char *buf, size_t len)
{
	const char *b = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	/* snapd's revisions: a store's number, or x<number> for a local install */
	const char *num = *b == 'x' ? b + 1 : b;
	bool digits = *num != '\0';

	for (const char *p = num; *p; p++)
		digits &= *p >= '0' && *p <= '9';
	snprintf(buf, len, "%s", digits && strlen(b) < 16 ? b : "1");
	return buf;
}

static int add_snap(struct iface_system *sys, const char *dir, const char *rev, struct diag *err)
{
	struct snap *ns = realloc(sys->snaps, (sys->nsnaps + 1) * sizeof(*ns));

	if (!ns)
		return diag_set(err, "out of memory");
	sys->snaps = ns;
	if (snap_load(dir, rev, sys->specs, sys->nspecs, &sys->snaps[sys->nsnaps], err))
		return -1;
	sys->nsnaps++;
	return 0;
}

int iface_system_load(const char *root, const char *specs_dir, const char *const *extra, size_t nextra,
		      struct iface_system *sys, struct diag *err)
{
	return iface_system_load_as(root, specs_dir, extra, nextra, NULL, sys, err);
}

int iface_system_load_as(const char *root, const char *specs_dir, const char *const *extra, size_t nextra,
			 const char *instance, struct iface_system *sys, struct diag *err)
{
	char dir[4096], rev[256];
	struct dirent *de;
	DIR *d;

	memset(sys, 0, sizeof(*sys));
	if (iface_specs_load(specs_dir, &sys->specs, &sys->nspecs, err) || add_system_slots(sys, err))
		goto fail;
	if (asprintf(&sys->state_file, "%s%s", root, STATE_FILE) < 0) {
		sys->state_file = NULL;
		diag_set(err, "out of memory");
		goto fail;
	}
	/* the snaps being installed first: they replace installed ones of the same name */
	for (size_t i = 0; i < nextra; i++) {
		if (add_snap(sys, extra[i], rev_of_dir(extra[i], rev, sizeof(rev)), err) ||
		    (i == 0 && instance && snap_set_instance(&sys->snaps[sys->nsnaps - 1], instance, err)))
			goto fail;
		for (size_t j = 0; j + 1 < sys->nsnaps; j++)
			if (!strcmp(sys->snaps[j].name, sys->snaps[sys->nsnaps - 1].name)) {
				diag_set(err, "%s: the snap '%s' is given twice",
					 sys->snaps[sys->nsnaps - 1].file, sys->snaps[j].name);
				goto fail;
			}
	}
	snprintf(dir, sizeof(dir), "%s/snap", root);
	d = opendir(dir);
	if (!d && errno != ENOENT) {
		diag_errno(err, "cannot read the installed snaps in %s", dir);
		goto fail;
	}
	while (d && (de = readdir(d))) {
		char cur[4400], sdir[4700];
		bool replaced = false;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < nextra; i++)
			replaced |= !strcmp(sys->snaps[i].name, de->d_name);
		snprintf(cur, sizeof(cur), "%s/%s/current", dir, de->d_name);
		n = readlink(cur, rev, sizeof(rev) - 1);
		if (replaced || n < 0)
			continue; /* being replaced, or not a snap directory */
		rev[n] = '\0';
		if (strchr(rev, '/')) {
			closedir(d);
			diag_set(err, "%s must name a revision beside it, not %s", cur, rev);
			goto fail;
		}
		snprintf(sdir, sizeof(sdir), "%s/%s/%s", dir, de->d_name, rev);
		if (add_snap(sys, sdir, rev, err)) {
			closedir(d);
			goto fail;
		}
		/* an instance (<snap>_<key>) is installed under its own name */
		if (strcmp(sys->snaps[sys->nsnaps - 1].name, de->d_name) && strchr(de->d_name, '_') &&
		    snap_set_instance(&sys->snaps[sys->nsnaps - 1], de->d_name, err)) {
			closedir(d);
			goto fail;
		}
		if (strcmp(sys->snaps[sys->nsnaps - 1].name, de->d_name)) {
			closedir(d);
			diag_set(err, "%s: the snap '%s' is installed as '%s'",
				 sys->snaps[sys->nsnaps - 1].file, sys->snaps[sys->nsnaps - 1].name,
				 de->d_name);
			goto fail;
		}
	}
	if (d)
		closedir(d);
	if (sys->nsnaps)
		qsort(sys->snaps, sys->nsnaps, sizeof(*sys->snaps), by_snap_name);
	if (load_state(sys, err) || decide(sys, err))
		goto fail;
	return 0;
fail:
	iface_system_free(sys);
	return -1;
}

int iface_connect(struct iface_system *sys, const char *plugref, const char *slotref, struct diag *err)
{
	const struct plugslot *plug = iface_find_plug(sys, plugref), *slot = NULL;
	const struct iface_spec *spec;
	char why[512], pair[512];
	int n = 0;

	if (!plug)
		return diag_set(err, "no plug %s is installed", plugref);
	spec = iface_spec_find(sys->specs, sys->nspecs, plug->iface);
	if (slotref) {
		slot = iface_find_slot(sys, slotref);
		if (!slot)
			return diag_set(err, "no slot %s is installed", slotref);
		if (compatible(spec, plug, slot, why, sizeof(why)))
			return diag_set(err, "cannot connect %s to %s: %s", plugref, slotref, why);
	} else {
		for (size_t k = 0; k < sys->nsystem_slots; k++)
			if (!strcmp(sys->system_slots[k].iface, plug->iface))
				slot = &sys->system_slots[k], n = 1;
		for (size_t k = 0; !slot && k < sys->nsnaps; k++)
			for (size_t l = 0; l < sys->snaps[k].nslots; l++)
				if (!compatible(spec, plug, &sys->snaps[k].slots[l], why, sizeof(why)))
					slot = &sys->snaps[k].slots[l], n++;
		if (n != 1)
			return diag_set(err, "%s slot of interface %s for %s: name one",
					n ? "more than one" : "no", plug->iface, plugref);
	}
	pair_of(plug, slot, pair, sizeof(pair));
	drop(sys->undesired, &sys->nundesired, pair);
	if (!listed(sys->manual, sys->nmanual, pair) && push(&sys->manual, &sys->nmanual, pair))
		return diag_set(err, "out of memory");
	return decide(sys, err);
}

int iface_disconnect(struct iface_system *sys, const char *plugref, const char *slotref, struct diag *err)
{
	const struct plugslot *plug = iface_find_plug(sys, plugref), *slot = NULL;
	int n = 0;

	if (!plug)
		return diag_set(err, "no plug %s is installed", plugref);
	if (slotref && !(slot = iface_find_slot(sys, slotref)))
		return diag_set(err, "no slot %s is installed", slotref);
	for (size_t i = 0; i < sys->nconns; i++) {
		char pair[512];

		if (sys->conns[i].plug != plug || (slot && sys->conns[i].slot != slot))
			continue;
		pair_of(plug, sys->conns[i].slot, pair, sizeof(pair));
		drop(sys->manual, &sys->nmanual, pair);
		if (sys->conns[i].how != CONN_MANUAL && !listed(sys->undesired, sys->nundesired, pair) &&
		    push(&sys->undesired, &sys->nundesired, pair))
			return diag_set(err, "out of memory");
		n++;
	}
	if (!n)
		return diag_set(err, "%s is not connected%s%s", plugref, slotref ? " to " : "",
				slotref ? slotref : "");
	return decide(sys, err);
}
