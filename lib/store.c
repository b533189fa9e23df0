/* SPDX-License-Identifier: ISC */
/*
 * The results store: entries kept in insertion order, indexed twice by
 * hash (FNV-1a, chaining, grown at load factor 1): by (name, family) and
 * by (address text, family), so a lookup by either is O(1) on average.
 */
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "history.h"
#include "store.h"

#define STORE_MINBUCKETS	64

/* What change detection needs of the last conclusive finding. */
struct store_base {
	int			 valid;
	enum result_state	 state;
	int			 pmtu;
	int64_t			 updated_at_ms;
	struct result_blackhole	 blackhole;
};

struct store_ent {
	struct result	 r;
	struct store_base base;
	struct history	*h;			/* never NULL */
	char		 atext[ADDR_STRLEN];	/* "": not indexed */
	uint32_t	 hname, haddr;
	struct store_ent *next, *prev;		/* insertion order */
	struct store_ent *nchain;		/* name index */
	struct store_ent *achain;		/* address index */
};

struct store_iter {
	struct store		*st;
	struct store_ent	*at;		/* next to hand out */
	struct store_iter	*nextiter;
};

struct store {
	struct store_iter *iters;		/* cursors to keep valid */
	struct store_ent **names;
	struct store_ent **addrs;
	size_t		 nbuckets;		/* a power of two */
	size_t		 count;
	size_t		 on_demand;		/* entries with r.on_demand */
	struct store_ent *head, *tail;
};

static uint32_t
hash(const char *key, int family)
{
	uint32_t	h = 2166136261u;
	unsigned	i;

	for (; *key != '\0'; key++)
		h = (h ^ (uint8_t)*key) * 16777619u;
	for (i = 0; i < sizeof(family); i++)
		h = (h ^ ((unsigned)family >> (8 * i) & 0xff)) * 16777619u;
	return h;
}

struct store *
store_new(void)
{
	struct store	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->nbuckets = STORE_MINBUCKETS;
	st->names = calloc(st->nbuckets, sizeof(*st->names));
	st->addrs = calloc(st->nbuckets, sizeof(*st->addrs));
	if (st->names == NULL || st->addrs == NULL) {
		store_free(st);
		return NULL;
	}
	return st;
}

void
store_free(struct store *st)
{
	struct store_ent	*e, *next;

	if (st == NULL)
		return;
	for (e = st->head; e != NULL; e = next) {
		next = e->next;
		result_clear(&e->r);
		history_free(e->h);
		free(e);
	}
	free(st->names);
	free(st->addrs);
	free(st);
}

static void
link_addr(struct store *st, struct store_ent *e)
{
	size_t	b;

	if (e->atext[0] == '\0')
		return;
	b = e->haddr & (st->nbuckets - 1);
	e->achain = st->addrs[b];
	st->addrs[b] = e;
}

static void
unlink_addr(struct store *st, struct store_ent *e)
{
	struct store_ent	**pp;

	if (e->atext[0] == '\0')
		return;
	pp = &st->addrs[e->haddr & (st->nbuckets - 1)];
	while (*pp != e)
		pp = &(*pp)->achain;
	*pp = e->achain;
}

/* Index by address too, unless that text is the name itself. */
static void
set_addr(struct store_ent *e)
{
	e->atext[0] = '\0';
	if (!addr_isset(&e->r.address))
		return;
	addr_ntop(&e->r.address, e->atext, sizeof(e->atext));
	if (strcmp(e->atext, e->r.destination) == 0)
		e->atext[0] = '\0';
	else
		e->haddr = hash(e->atext, e->r.family);
}

/* Doubling; on failure keep the old table (slower, still correct). */
static void
grow(struct store *st)
{
	struct store_ent	**names, **addrs, *e;
	size_t			  n = st->nbuckets * 2, b;

	names = calloc(n, sizeof(*names));
	addrs = calloc(n, sizeof(*addrs));
	if (names == NULL || addrs == NULL) {
		free(names);
		free(addrs);
		return;
	}
	free(st->names);
	free(st->addrs);
	st->names = names;
	st->addrs = addrs;
	st->nbuckets = n;
	for (e = st->head; e != NULL; e = e->next) {
		b = e->hname & (n - 1);
		e->nchain = names[b];
		names[b] = e;
		link_addr(st, e);
	}
}

static struct store_ent *
find_name(const struct store *st, const char *dest, int family)
{
	struct store_ent	*e;

	e = st->names[hash(dest, family) & (st->nbuckets - 1)];
	for (; e != NULL; e = e->nchain)
		if (e->r.family == family &&
		    strcmp(e->r.destination, dest) == 0)
			return e;
	return NULL;
}

/* Several names may share an address: the newest finding wins. */
static struct store_ent *
find_addr(const struct store *st, const char *text, int family)
{
	struct store_ent	*e, *best = NULL;

	e = st->addrs[hash(text, family) & (st->nbuckets - 1)];
	for (; e != NULL; e = e->achain)
		if (e->r.family == family && strcmp(e->atext, text) == 0 &&
		    (best == NULL ||
		    e->r.updated_at_ms > best->r.updated_at_ms))
			best = e;
	return best;
}

static int
valid(const struct result *r)
{
	if (r == NULL || r->destination[0] == '\0' ||
	    memchr(r->destination, '\0', sizeof(r->destination)) == NULL)
		return 0;
	return r->family == 0 || r->family == AF_INET ||
	    r->family == AF_INET6;
}

static int
conclusive(const struct result *r)
{
	return r->state == RESULT_OK || r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE ||
	    r->state == RESULT_UNREACHABLE;
}

static void
set_base(struct store_ent *e)
{
	if (!conclusive(&e->r))
		return;
	e->base.valid = 1;
	e->base.state = e->r.state;
	e->base.pmtu = e->r.pmtu;
	e->base.updated_at_ms = e->r.updated_at_ms;
	e->base.blackhole = e->r.blackhole;
}

/* The history a new finding inherits from the one it replaces. */
static void
carry_over(struct result *nr, const struct result *old)
{
	nr->previous_pmtu = old->previous_pmtu;
	if (nr->pmtu > 0 && old->pmtu > 0 && nr->pmtu != old->pmtu)
		nr->previous_pmtu = old->pmtu;
	nr->probes_total = old->probes_total + nr->probes_sent;
	nr->findings = old->findings + 1;
	/* Once the monitor has measured it, it is configured for good. */
	nr->on_demand = nr->on_demand && old->on_demand;
}

/*
 * The log of path states: a new finding is noted in it; a loaded one
 * brings a copy of its own (h, or none).  Returns the history to keep,
 * NULL out of memory.
 */
static struct history *
take_history(struct history *old, struct result *r, int verbatim,
    const struct history *h)
{
	struct history	*nh;

	if (verbatim) {
		nh = h != NULL ? history_copy(h) : history_new();
		if (nh == NULL)
			return NULL;
	} else {
		nh = old;
		history_note(nh, r, r->updated_at_ms);
	}
	/* Errors are no path state: since is the path's, not theirs. */
	if (history_count(nh) > 0 && r->state != RESULT_ERROR)
		r->since_ms = history_since(nh);
	else if (!verbatim)
		r->since_ms = -1;
	return nh;
}

static int
replace(struct store *st, struct store_ent *e, const struct result *r,
    int verbatim, const struct history *h)
{
	struct result	 copy;
	struct history	*nh;

	/* Copy first: out of memory keeps the old finding. */
	if (result_copy(&copy, r) == -1)
		return -1;
	if (!verbatim)
		carry_over(&copy, &e->r);
	if ((nh = take_history(e->h, &copy, verbatim, h)) == NULL) {
		result_clear(&copy);
		return -1;
	}
	if (nh != e->h) {
		history_free(e->h);
		e->h = nh;
	}
	unlink_addr(st, e);
	st->on_demand += (size_t)copy.on_demand - (size_t)e->r.on_demand;
	result_clear(&e->r);
	e->r = copy;
	set_base(e);
	set_addr(e);
	link_addr(st, e);
	return 0;
}

static int
insert(struct store *st, const struct result *r, int verbatim,
    const struct history *h)
{
	struct store_iter	*it;
	struct store_ent	*e;
	struct history		*empty;
	size_t			 b;

	if (!valid(r))
		return -1;
	if ((e = find_name(st, r->destination, r->family)) != NULL)
		return replace(st, e, r, verbatim, h);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	if ((empty = history_new()) == NULL) {
		free(e);
		return -1;
	}
	if (result_copy(&e->r, r) == -1) {
		history_free(empty);
		free(e);
		return -1;
	}
	if (!verbatim) {
		e->r.previous_pmtu = 0;
		e->r.probes_total = r->probes_sent;
		e->r.findings = 1;
	}
	if ((e->h = take_history(empty, &e->r, verbatim, h)) == NULL) {
		history_free(empty);
		result_clear(&e->r);
		free(e);
		return -1;
	}
	if (e->h != empty)
		history_free(empty);
	set_base(e);
	e->hname = hash(r->destination, r->family);
	set_addr(e);
	b = e->hname & (st->nbuckets - 1);
	e->nchain = st->names[b];
	st->names[b] = e;
	link_addr(st, e);
	e->prev = st->tail;
	if (st->tail != NULL)
		st->tail->next = e;
	else
		st->head = e;
	st->tail = e;
	for (it = st->iters; it != NULL; it = it->nextiter)
		if (it->at == NULL)
			it->at = e;	/* was at the end: now this is next */
	st->on_demand += e->r.on_demand != 0;
	if (++st->count > st->nbuckets)
		grow(st);
	return 0;
}

int
store_put(struct store *st, const struct result *r)
{
	return insert(st, r, 0, NULL);
}

int
store_load(struct store *st, const struct result *r)
{
	return insert(st, r, 1, NULL);
}

int
store_load_history(struct store *st, const struct result *r,
    const struct history *h)
{
	return insert(st, r, 1, h);
}

const struct history *
store_result_history(const struct result *r)
{
	const struct store_ent	*e;

	e = (const struct store_ent *)(const void *)((const char *)r -
	    offsetof(struct store_ent, r));
	return e->h;
}

static void
unlink_name(struct store *st, struct store_ent *e)
{
	struct store_ent	**pp;

	pp = &st->names[e->hname & (st->nbuckets - 1)];
	while (*pp != e)
		pp = &(*pp)->nchain;
	*pp = e->nchain;
}

static void
remove_ent(struct store *st, struct store_ent *e)
{
	struct store_iter	*it;

	unlink_addr(st, e);
	unlink_name(st, e);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		st->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		st->tail = e->prev;
	for (it = st->iters; it != NULL; it = it->nextiter)
		if (it->at == e)
			it->at = e->next;
	st->count--;
	st->on_demand -= e->r.on_demand != 0;
	result_clear(&e->r);
	history_free(e->h);
	free(e);
}

int
store_remove(struct store *st, const char *dest, int family)
{
	struct store_ent	*e;

	if ((e = find_name(st, dest, family)) == NULL)
		return -1;
	remove_ent(st, e);
	return 0;
}

size_t
store_on_demand(const struct store *st)
{
	return st->on_demand;
}

static int
cmp_updated(const void *a, const void *b)
{
	const struct store_ent	*x = *(struct store_ent *const *)a;
	const struct store_ent	*y = *(struct store_ent *const *)b;

	return x->r.updated_at_ms < y->r.updated_at_ms ? -1 :
	    x->r.updated_at_ms > y->r.updated_at_ms;
}

size_t
store_prune(struct store *st, size_t keep, int64_t older_than_ms)
{
	struct store_ent	**v, *e, *next;
	size_t			  i, n = 0, removed = 0;

	for (e = st->head; e != NULL; e = next) {
		next = e->next;
		if (e->r.on_demand && e->r.updated_at_ms < older_than_ms) {
			remove_ent(st, e);
			removed++;
		}
	}
	if (st->on_demand <= keep ||
	    (v = calloc(st->on_demand, sizeof(*v))) == NULL)
		return removed;
	for (e = st->head; e != NULL; e = e->next)
		if (e->r.on_demand)
			v[n++] = e;
	qsort(v, n, sizeof(*v), cmp_updated);
	for (i = 0; i + keep < n; i++) {
		remove_ent(st, v[i]);
		removed++;
	}
	free(v);
	return removed;
}

int
store_base(const struct store *st, const char *dest, int family,
    struct result *out)
{
	struct store_ent	*e;

	if ((e = find_name(st, dest, family)) == NULL || !e->base.valid)
		return -1;
	result_init(out, e->r.destination);
	out->address = e->r.address;
	out->family = e->r.family;
	out->state = e->base.state;
	out->pmtu = e->base.pmtu;
	out->updated_at_ms = e->base.updated_at_ms;
	out->blackhole = e->base.blackhole;
	return 0;
}

/* By name first, then by address (written the canonical way). */
static const struct result *
get_one(const struct store *st, const char *dest, const char *canon,
    int family)
{
	struct store_ent	*e;

	if ((e = find_name(st, dest, family)) == NULL && canon[0] != '\0' &&
	    strcmp(canon, dest) != 0)
		e = find_name(st, canon, family);
	if (e == NULL)
		e = find_addr(st, canon[0] != '\0' ? canon : dest, family);
	return e != NULL ? &e->r : NULL;
}

const struct result *
store_get(const struct store *st, const char *dest, int family)
{
	static const int	 fams[] = { AF_INET, AF_INET6 };
	const struct result	*r, *best = NULL;
	char			 canon[ADDR_STRLEN] = "";
	struct addr		 a;
	size_t			 i;

	if (dest == NULL)
		return NULL;
	if (addr_parse(&a, dest) == 0)
		addr_ntop(&a, canon, sizeof(canon));
	if (family != 0)
		return get_one(st, dest, canon, family);
	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		r = get_one(st, dest, canon, fams[i]);
		if (r != NULL && (best == NULL ||
		    r->updated_at_ms > best->updated_at_ms))
			best = r;
	}
	/* A finding with no family (name did not resolve) is a last resort. */
	if (best == NULL)
		best = get_one(st, dest, canon, 0);
	return best;
}

size_t
store_count(const struct store *st)
{
	return st->count;
}

struct store_iter *
store_iter_new(struct store *st)
{
	struct store_iter	*it;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return NULL;
	it->st = st;
	it->at = st->head;
	it->nextiter = st->iters;
	st->iters = it;
	return it;
}

const struct result *
store_iter_next(struct store_iter *it)
{
	struct store_ent	*e = it->at;

	if (e == NULL)
		return NULL;
	it->at = e->next;
	return &e->r;
}

void
store_iter_free(struct store_iter *it)
{
	struct store_iter	**pp;

	if (it == NULL)
		return;
	for (pp = &it->st->iters; *pp != NULL; pp = &(*pp)->nextiter)
		if (*pp == it) {
			*pp = it->nextiter;
			break;
		}
	free(it);
}

int
store_foreach(const struct store *st,
    int (*cb)(const struct result *, void *), void *arg)
{
	struct store_ent	*e;
	int			 rv;

	for (e = st->head; e != NULL; e = e->next)
		if ((rv = cb(&e->r, arg)) != 0)
			return rv;
	return 0;
}
