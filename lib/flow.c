/* SPDX-License-Identifier: ISC */
/* Flow identities: a family of FLOW_MAX flows derived from one base. */
#include "flow.h"

#define FLOW_UDP_DPORT	33434	/* first destination port, as traceroute */
#define FLOW_LABEL_MASK	0xfffffU
/* Spreads the indexes over the hashed fields (a golden-ratio step). */
#define FLOW_SPREAD	0x9e3779b1U

void
flow_derive(const struct flow *base, unsigned n, struct flow *f)
{
	uint32_t	 mix;

	n %= FLOW_MAX;
	mix = (uint32_t)(n + 1) * FLOW_SPREAD;
	f->index = n;
	f->ifindex = 0;
	/* High bit set: a quote of a low source port is never ours. */
	f->sport = 0x8000 | ((base->sport + n) & 0x7fff);
	f->dport = FLOW_UDP_DPORT + n;
	f->echo_id = (uint16_t)(base->echo_id + n);
	f->echo_cksum = (uint16_t)(base->echo_cksum ^ (mix >> 16));
	/* One's complement has two zeros: a payload word cannot pick one. */
	if (f->echo_cksum == 0 || f->echo_cksum == 0xffff)
		f->echo_cksum = 0x5555;
	f->label = (base->label + mix) & FLOW_LABEL_MASK;
	if (f->label == 0)
		f->label = 1;
}

int
flow_index_echo(const struct flow *base, uint16_t echo_id)
{
	unsigned	 n = (uint16_t)(echo_id - base->echo_id);

	return n < FLOW_MAX ? (int)n : -1;
}

int
flow_index_udp(const struct flow *base, uint16_t sport)
{
	unsigned	 n;

	if ((sport & 0x8000) == 0)
		return -1;
	n = (sport - base->sport) & 0x7fff;
	return n < FLOW_MAX ? (int)n : -1;
}
