/* SPDX-License-Identifier: ISC */
/*
 * The RTT estimator (see rtt.h): a ring of the last RTT_WINDOW samples,
 * the estimate recomputed from it on every sample.
 */
#include <stdlib.h>

#include "rtt.h"

struct rtt {
	unsigned	 min, max;
	uint64_t	 win[RTT_WINDOW];
	unsigned	 n;		/* samples ever; ring index mod size */
	uint64_t	 srtt;
	uint64_t	 rto;
};

struct rtt *
rtt_new(unsigned rto_init, unsigned rto_min, unsigned rto_max)
{
	struct rtt	*r;

	if (rto_min > rto_max)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->min = rto_min;
	r->max = rto_max;
	r->rto = rto_init;
	return r;
}

void
rtt_free(struct rtt *r)
{
	free(r);
}

static uint64_t
dist(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* Mean and mean deviation of the window less its largest sample. */
static void
estimate(const struct rtt *r, uint64_t *srtt, uint64_t *rttvar)
{
	unsigned	 have, i, big = 0;
	uint64_t	 sum = 0, dev = 0;

	have = r->n < RTT_WINDOW ? r->n : RTT_WINDOW;
	if (have == 1) {
		/* RFC 6298's first sample. */
		*srtt = r->win[0];
		*rttvar = r->win[0] / 2;
		return;
	}
	for (i = 1; i < have; i++)
		if (r->win[i] > r->win[big])
			big = i;
	for (i = 0; i < have; i++)
		if (i != big)
			sum += r->win[i];
	*srtt = sum / (have - 1);
	for (i = 0; i < have; i++)
		if (i != big)
			dev += dist(r->win[i], *srtt);
	*rttvar = dev / (have - 1);
}

void
rtt_sample(struct rtt *r, uint64_t ms)
{
	uint64_t	 rttvar, rto;

	r->win[r->n++ % RTT_WINDOW] = ms;
	if (r->n == 2 * RTT_WINDOW)
		r->n = RTT_WINDOW;	/* the ring is full: stays so */
	estimate(r, &r->srtt, &rttvar);
	rto = r->srtt + 4 * rttvar;
	if (rto < 2 * r->srtt)
		rto = 2 * r->srtt;
	if (rto < 2 * ms)
		rto = 2 * ms;
	/* rto_max wins: a caller's bound on waiting is a hard one. */
	if (rto < r->min)
		rto = r->min;
	if (rto > r->max)
		rto = r->max;
	r->rto = rto;
}

int
rtt_measured(const struct rtt *r)
{
	return r->n > 0;
}

unsigned
rtt_srtt(const struct rtt *r)
{
	return r->n > 0 ? (unsigned)r->srtt : 0;
}

unsigned
rtt_rto(const struct rtt *r)
{
	return (unsigned)r->rto;
}
