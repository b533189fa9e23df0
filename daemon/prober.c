/* SPDX-License-Identifier: ISC */
/* Probes in flight: sockets, sequence numbers, cookies, answer dispatch. */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "probe.h"
#include "prober.h"

#define PROBER_SLOTS	32000	/* probes in flight at once */
#define PROBER_BATCH	64	/* packets read per wake-up */
#define PROBER_BUCKETS	32768	/* UDP probes by cookie */
#define PROBER_NONE	0xffff	/* end of a bucket's chain */

struct slot {
	void			*owner;		/* NULL: free */
	unsigned		 token;
	prober_answer_cb	 cb;
	struct pkt_probe	 probe;
	uint16_t		 next;		/* in its cookie bucket */
	int			 hashed;
};

struct family_socks {
	struct probe_sock	*icmp;
	struct probe_sock	*udp;
	struct event		*ev;
};

struct prober {
	struct family_socks	 fam[2];	/* [0] IPv4, [1] IPv6 */
	struct flow		 base;		/* flow 0 */
	uint32_t		 cursor;
	struct slot		*slots;
	uint16_t		*bucket;	/* first slot, PROBER_NONE */
	uint64_t		 ignored[PKT_IGN_MAX];
	uint64_t		 sent;
};

static void	 icmp_read_cb(evutil_socket_t, short, void *);

static struct family_socks *
fam_of(struct prober *pr, int family)
{
	return &pr->fam[family == AF_INET6];
}

static int
open_family(struct prober *pr, struct event_base *base, int family)
{
	struct family_socks	*fs = fam_of(pr, family);

	if ((fs->icmp = probe_open(family, PKT_ICMP)) == NULL ||
	    (fs->udp = probe_open(family, PKT_UDP)) == NULL) {
		log_warn("IPv%d probe sockets", family == AF_INET ? 4 : 6);
		probe_close(fs->icmp);
		fs->icmp = NULL;
		return -1;
	}
	fs->ev = event_new(base, probe_fd(fs->icmp), EV_READ | EV_PERSIST,
	    icmp_read_cb, pr);
	if (fs->ev == NULL || event_add(fs->ev, NULL) == -1)
		return -1;
	return 0;
}

struct prober *
prober_new(struct event_base *base)
{
	struct prober	*pr;
	int		 ok4, ok6;

	if ((pr = calloc(1, sizeof(*pr))) == NULL ||
	    (pr->slots = calloc(PROBER_SLOTS, sizeof(*pr->slots))) == NULL ||
	    (pr->bucket = reallocarray(NULL, PROBER_BUCKETS,
	    sizeof(*pr->bucket))) == NULL) {
		if (pr != NULL)
			free(pr->slots);
		free(pr);
		return NULL;
	}
	memset(pr->bucket, 0xff, PROBER_BUCKETS * sizeof(*pr->bucket));
	pr->base.echo_id = arc4random() & 0xffff;
	pr->base.echo_cksum = arc4random() & 0xffff;
	pr->base.sport = 0x8000 | (arc4random() & 0x7fff);
	pr->base.label = arc4random();
	ok4 = open_family(pr, base, AF_INET) == 0;
	ok6 = open_family(pr, base, AF_INET6) == 0;
	if (!ok4 && !ok6) {
		prober_free(pr);
		return NULL;
	}
	return pr;
}

void
prober_free(struct prober *pr)
{
	int	 i;

	if (pr == NULL)
		return;
	for (i = 0; i < 2; i++) {
		if (pr->fam[i].ev)
			event_free(pr->fam[i].ev);
		probe_close(pr->fam[i].icmp);
		probe_close(pr->fam[i].udp);
	}
	free(pr->slots);
	free(pr->bucket);
	free(pr);
}

void
prober_flow(const struct prober *pr, unsigned n, struct flow *f)
{
	flow_derive(&pr->base, n, f);
}

int
prober_has_family(const struct prober *pr, int family)
{
	if (family != AF_INET && family != AF_INET6)
		return 0;
	return pr->fam[family == AF_INET6].udp != NULL;
}

static int
slot_alloc(struct prober *pr, uint32_t *idx)
{
	uint32_t	 i, n;

	for (i = 0; i < PROBER_SLOTS; i++) {
		n = (pr->cursor + i) % PROBER_SLOTS;
		if (pr->slots[n].owner == NULL) {
			pr->cursor = (n + 1) % PROBER_SLOTS;
			*idx = n;
			return 0;
		}
	}
	return ENOBUFS;
}

static unsigned
bucket_of(const uint8_t *cookie)
{
	return (cookie[0] << 8 | cookie[1]) % PROBER_BUCKETS;
}

static void
slot_hash(struct prober *pr, uint32_t idx)
{
	struct slot	*s = &pr->slots[idx];
	unsigned	 b = bucket_of(s->probe.cookie);

	s->next = pr->bucket[b];
	s->hashed = 1;
	pr->bucket[b] = idx;
}

static void
slot_unhash(struct prober *pr, uint32_t idx)
{
	struct slot	*s = &pr->slots[idx];
	uint16_t	*pp;

	if (!s->hashed)
		return;
	s->hashed = 0;
	for (pp = &pr->bucket[bucket_of(s->probe.cookie)]; *pp != PROBER_NONE;
	    pp = &pr->slots[*pp].next)
		if (*pp == idx) {
			*pp = s->next;
			return;
		}
}

/* The flow's identity; only the echo sequence and the cookie vary. */
static void
probe_fill(struct pkt_probe *p, enum pkt_proto proto, const struct flow *f,
    uint32_t idx)
{
	p->proto = proto;
	if (proto == PKT_ICMP) {
		p->id = f->echo_id;
		p->seq = idx;
		p->hold_cksum = 1;
		p->cksum = f->echo_cksum;
	} else {
		p->id = f->sport;
		p->seq = f->dport;
	}
	if (p->family == AF_INET6)
		p->label = f->label;
	p->ifindex = f->ifindex;
	arc4random_buf(p->cookie, sizeof(p->cookie));
}

int
prober_send(struct prober *pr, enum pkt_proto proto, const struct flow *f,
    const struct addr *src, const struct addr *dst, unsigned size, int ttl, void *owner,
    unsigned token, prober_answer_cb cb, uint32_t *slot)
{
	struct family_socks	*fs;
	struct slot		*s;
	uint32_t		 idx;
	int			 error;

	if (!prober_has_family(pr, dst->family))
		return EAFNOSUPPORT;
	if ((error = slot_alloc(pr, &idx)) != 0)
		return error;
	s = &pr->slots[idx];
	memset(&s->probe, 0, sizeof(s->probe));
	s->probe.family = dst->family;
	s->probe.src = *src;
	s->probe.dst = *dst;
	s->probe.size = size;
	probe_fill(&s->probe, proto, f, idx);
	fs = fam_of(pr, dst->family);
	error = probe_send(proto == PKT_ICMP ? fs->icmp : fs->udp, &s->probe,
	    ttl);
	if (error != 0)
		return error;
	if (proto == PKT_UDP)
		slot_hash(pr, idx);
	pr->sent++;
	s->owner = owner;
	s->token = token;
	s->cb = cb;
	*slot = idx;
	return 0;
}

void
prober_forget(struct prober *pr, uint32_t slot, void *owner)
{
	if (slot < PROBER_SLOTS && pr->slots[slot].owner == owner) {
		slot_unhash(pr, slot);
		pr->slots[slot].owner = NULL;
	}
}

uint64_t
prober_sent(const struct prober *pr)
{
	return pr->sent;
}

uint64_t
prober_ignored(const struct prober *pr, enum pkt_ignore why)
{
	return why < PKT_IGN_MAX ? pr->ignored[why] : 0;
}

/* A UDP probe in flight with this cookie and these ports. */
static struct slot *
slot_by_cookie(struct prober *pr, const struct pkt_reply *r)
{
	struct slot	*s;
	uint16_t	 i;

	for (i = pr->bucket[bucket_of(r->cookie)]; i != PROBER_NONE;
	    i = s->next) {
		s = &pr->slots[i];
		if (s->probe.id == r->id && s->probe.seq == r->seq &&
		    memcmp(s->probe.cookie, r->cookie, PKT_COOKIE_LEN) == 0)
			return s;
	}
	return NULL;
}

/*
 * The slot an answer names, if it names one of ours at all.  A UDP
 * answer whose cookie is wrong names none: the cookie is what finds it.
 */
static struct slot *
slot_of(struct prober *pr, const struct pkt_reply *r)
{
	uint32_t	 idx;

	if (r->proto == PKT_UDP) {
		if (flow_index_udp(&pr->base, r->id) == -1)
			return NULL;
		return slot_by_cookie(pr, r);
	}
	if (flow_index_echo(&pr->base, r->id) == -1)
		return NULL;
	idx = r->seq;
	if (idx >= PROBER_SLOTS || pr->slots[idx].owner == NULL)
		return NULL;
	return &pr->slots[idx];
}

static void
dispatch(struct prober *pr, const struct pkt_reply *r)
{
	struct slot	*s;
	enum pkt_ignore	 why;

	if ((s = slot_of(pr, r)) == NULL) {
		pr->ignored[PKT_IGN_UNKNOWN]++;
		return;
	}
	if ((why = pkt_match(&s->probe, r)) != PKT_OK) {
		char	 from[ADDR_STRLEN];

		pr->ignored[why]++;
		log_debug("ignored ICMP type %d code %d from %s: %s", r->type,
		    r->code, addr_ntop(&r->from, from, sizeof(from)),
		    pkt_ignore_name(why));
		return;
	}
	/* The owner may send or forget probes from its callback. */
	s->cb(s->owner, s->token, r);
}

static void
icmp_read_cb(evutil_socket_t fd, short events, void *arg)
{
	struct prober		*pr = arg;
	struct probe_sock	*ps;
	struct pkt_reply	 r;
	enum pkt_ignore		 why;
	int			 i, n;

	(void)events;
	ps = pr->fam[0].icmp && probe_fd(pr->fam[0].icmp) == fd ?
	    pr->fam[0].icmp : pr->fam[1].icmp;
	for (i = 0; i < PROBER_BATCH; i++) {
		n = probe_recv(ps, &r, &why);
		if (n == 0)
			break;
		if (n == 1)
			dispatch(pr, &r);
		else if (why != PKT_OK)
			pr->ignored[why]++;
		else {
			log_warn("reading ICMP socket");
			break;
		}
	}
}
