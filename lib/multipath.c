/* SPDX-License-Identifier: ISC */
/* Grouping flows into paths, and MDA's rule for when to stop adding. */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "multipath.h"

#define MULTIPATH_ALPHA	0.05	/* chance of a path missed, at most */

struct multipath {
	unsigned		 max_flows;
	unsigned		 tried;
	unsigned		 npaths;
	struct multipath_path	 paths[FLOW_MAX];
};

struct multipath *
multipath_new(unsigned max_flows)
{
	struct multipath	*mp;

	if ((mp = calloc(1, sizeof(*mp))) == NULL)
		return NULL;
	if (max_flows < 1)
		max_flows = 1;
	mp->max_flows = max_flows > FLOW_MAX ? FLOW_MAX : max_flows;
	return mp;
}

void
multipath_free(struct multipath *mp)
{
	free(mp);
}

unsigned
multipath_needed(unsigned k)
{
	double		 miss, p;
	unsigned	 n;

	if (k < 1)
		k = 1;
	/* Each of k + 1 equally likely paths missed by all n flows. */
	p = (double)k / (k + 1);
	miss = k + 1;
	for (n = 0; miss > MULTIPATH_ALPHA; n++)
		miss *= p;
	return n;
}

static int
hops_agree(const struct addr *a, unsigned na, const struct addr *b,
    unsigned nb)
{
	unsigned	 i;

	if (na > MULTIPATH_MAXHOPS)
		na = MULTIPATH_MAXHOPS;
	if (nb > MULTIPATH_MAXHOPS)
		nb = MULTIPATH_MAXHOPS;
	/*
	 * A walk that ends early ran into routers' rate limits: the TTLs it
	 * has no answer for are unanswered, and match any.
	 */
	for (i = 0; i < na && i < nb; i++)
		if (addr_isset(&a[i]) && addr_isset(&b[i]) &&
		    !addr_eq(&a[i], &b[i]))
			return 0;
	return 1;
}

int
multipath_match(const struct multipath *mp, const struct addr *hops,
    unsigned nhops)
{
	unsigned	 i;

	if (nhops == 0)
		return -1;
	for (i = 0; i < mp->npaths; i++)
		if (mp->paths[i].nhops > 0 && hops_agree(mp->paths[i].hops,
		    mp->paths[i].nhops, hops, nhops))
			return (int)i;
	return -1;
}

/* Same path: the same hops where both were walked, and the same PMTU. */
static int
path_find(const struct multipath *mp, const struct multipath_flow *f)
{
	const struct multipath_path	*p;
	unsigned			 i;

	for (i = 0; i < mp->npaths; i++) {
		p = &mp->paths[i];
		if (p->pmtu != f->pmtu || p->blackhole != f->blackhole)
			continue;
		if (p->nhops == 0 || f->nhops == 0 ||
		    hops_agree(p->hops, p->nhops, f->hops, f->nhops))
			return (int)i;
	}
	return -1;
}

/* A walk fills in the TTLs the path's earlier walks left unanswered. */
static void
path_fill(struct multipath_path *p, const struct multipath_flow *f)
{
	unsigned	 t, n;

	n = f->nhops > MULTIPATH_MAXHOPS ? MULTIPATH_MAXHOPS : f->nhops;
	for (t = 0; t < n; t++)
		if (t >= p->nhops || !addr_isset(&p->hops[t]))
			p->hops[t] = f->hops[t];
	if (n > p->nhops)
		p->nhops = n;
}

int
multipath_add(struct multipath *mp, const struct multipath_flow *f)
{
	struct multipath_path	*p;
	int			 i;

	if (mp->tried >= mp->max_flows)
		return -1;
	mp->tried++;
	if ((i = path_find(mp, f)) >= 0) {
		p = &mp->paths[i];
		p->flows++;
		path_fill(p, f);
		return i;
	}
	p = &mp->paths[mp->npaths];
	memset(p, 0, sizeof(*p));
	p->flow = f->flow;
	p->flows = 1;
	p->pmtu = f->pmtu;
	p->blackhole = f->blackhole;
	p->bh_hop = f->bh_hop;
	p->nhops = f->nhops > MULTIPATH_MAXHOPS ? MULTIPATH_MAXHOPS : f->nhops;
	if (p->nhops > 0)
		memcpy(p->hops, f->hops, p->nhops * sizeof(*p->hops));
	return (int)mp->npaths++;
}

int
multipath_confident(const struct multipath *mp)
{
	return mp->npaths > 0 && mp->tried >= multipath_needed(mp->npaths);
}

int
multipath_more(const struct multipath *mp)
{
	return mp->tried < mp->max_flows && !multipath_confident(mp);
}

unsigned
multipath_flows_tried(const struct multipath *mp)
{
	return mp->tried;
}

unsigned
multipath_npaths(const struct multipath *mp)
{
	return mp->npaths;
}

const struct multipath_path *
multipath_path(const struct multipath *mp, unsigned i)
{
	return i < mp->npaths ? &mp->paths[i] : NULL;
}

int
multipath_min_pmtu(const struct multipath *mp)
{
	unsigned	 i;
	int		 min = 0;

	for (i = 0; i < mp->npaths; i++)
		if (mp->paths[i].pmtu > 0 &&
		    (min <= 0 || mp->paths[i].pmtu < min))
			min = mp->paths[i].pmtu;
	return min;
}

int
multipath_hops_part(const struct addr *a, unsigned na, const struct addr *b,
    unsigned nb)
{
	unsigned	 t, n = na < nb ? na : nb;

	for (t = 0; t < n; t++)
		if (addr_isset(&a[t]) && addr_isset(&b[t]) &&
		    !addr_eq(&a[t], &b[t]))
			return (int)t;
	return -1;
}

int
multipath_diverge(const struct multipath *mp, unsigned *before)
{
	const struct multipath_path	*a, *b;
	unsigned			 i, j;
	int				 t, first = -1;

	for (i = 0; i < mp->npaths; i++)
		for (j = i + 1; j < mp->npaths; j++) {
			a = &mp->paths[i];
			b = &mp->paths[j];
			t = multipath_hops_part(a->hops, a->nhops, b->hops,
			    b->nhops);
			if (t >= 0 && (first < 0 || t < first))
				first = t;
		}
	if (first < 0)
		return -1;
	/* hops[t] is TTL t + 1; the hop before it is TTL t. */
	if (before != NULL)
		*before = (unsigned)first;
	return first + 1;
}
