/* SPDX-License-Identifier: ISC */
/*
 * The path MTU search for one destination, as a pure state machine: no
 * sockets, no clock.  The caller asks search_next() what to do, sends the
 * probes it names, and reports what came back (or did not) with the
 * token of the probe.  Time is milliseconds on any monotonic clock.
 *
 * The search keeps lo, the largest size confirmed by an answer from the
 * destination, and hi, the smallest size known not to pass.  The first
 * probe goes at the local MTU.  A validated too-big message with a usable
 * MTU m sets hi = m + 1 and makes m the next size; one without (m == 0)
 * uses the RFC 1191 plateaus.  Otherwise it bisects (or, on a slow
 * path, goes in rounds: below).  A size counts as failed only after
 * max_tries probes at it got no answer (one, in a round); while lo is
 * still unknown a reachability probe at the minimum size checks that the
 * destination is there at all (sent alongside the first retry, or after
 * a fifth of rto_init without an answer).  Done when hi == lo + 1, once
 * a silent failure at lo + 1 has been confirmed or refuted by the
 * evidence rule (evidence.h), or a too-big's bound settled.
 *
 * A too-big is a hint (RFC 8899 4.6.2): anyone who sees the probes go by
 * can send one that quotes them exactly, for a probe that passes.  Its
 * bound stands until an answer at or above it refutes it (the probe it
 * came for stays known, and so does every size above lo), and the
 * search ends on it only once a probe at exactly hi went unanswered for
 * a timeout: the one the too-big came for, if hi is its size, else one
 * more, at m + 1.  On an honest path that costs that probe and one
 * timeout.  Once a too-big was refuted, or two named different MTUs for
 * one probe, too-bigs are in doubt, and a bound takes max_tries such
 * probes.  Refuted too-bigs are counted (too_big_refuted).
 *
 * An answer is no proof either when it stays single: if a confirmation
 * ends with not one reference at lo answered and lo rests on one answer
 * above a smaller size answered before, that answer is taken back
 * (evidence.h, EVIDENCE_RETRACT): lo falls back, once a probe there is
 * answered again (max_tries tries, else the destination went away:
 * unreachable), and the search goes on below the old lo.  One forged
 * answer at P + 1 so costs a true black hole 24 rounds, not its verdict
 * (reply_refuted counts it).
 *
 * Unreachable or time-exceeded messages are no more proof on their own:
 * the probe goes on as unanswered, and the search ends unreachable on
 * two, for probes sent a timeout apart or more, with no answer from the
 * destination in between (an answer takes them back).
 *
 * Timeouts follow the path's present RTT (rtt.h): one late answer does
 * not hold up the rest of the search, and an RTT that rises raises the
 * timeout at once.  A probe timed out is still known: its late answer
 * counts as an answer, and takes back the loss the evidence counted.
 * If the first answer made the timeout longer than rto_init while other
 * probes wait on it, one more probe at the size it confirmed measures
 * the RTT again: the first probes went on a cold path (neighbour or
 * route resolution) and their delay says little of the rest.
 *
 * A slow path (the timeout after the first answer above rto_min, and
 * no too-big yet) is searched in rounds: several sizes at once, at most
 * ROUND_MAX out above lo.  The first round, once an answer (usually the
 * reachability probe's) came and the local MTU's did not, tries the
 * common link MTUs below it (1492 ... 1280 under 1500) and a spread;
 * lo jumps to the largest answered, hi to the smallest failed above
 * it.  Each next round, once none is out above lo, splits (lo, hi):
 * lo + 1 (on a black hole the confirmation's size), then an even
 * spread, or every size if they fit.  A size in a round fails at its
 * first loss: the last one, lo + 1, is confirmed by the evidence rule
 * anyway, and an answer at or above hi refutes the silence and opens
 * the search again above it.  Those rounds' confirmation rounds
 * overlap: the next goes an RTT (rto_min at least) after the last,
 * unless the ones out would do.  A too-big ends the rounds: its MTU
 * is the size to try, and sizes fail after max_tries again.
 *
 * What a black-hole verdict costs, at a steady RTT (timeout T = 2 RTT,
 * at least rto_min).  On a fast path (T = rto_min): every size that
 * fails by silence, max_tries * T (the local MTU's first try waits
 * rto_init, less once a reachability answer gives an RTT); every size
 * answered, one RTT; then the confirmation, EVIDENCE_MIN_LOST rounds of
 * T or more (more when the references are few or lossy, at most
 * EVIDENCE_MAX_ROUNDS).  On a slow one: the reachability answer (200 ms
 * + RTT), T for each round (two on a hop-1 black hole under 1500),
 * then the confirmation rounds an RTT apart, the last lost after T.
 * Only one wait is fixed time: the silence above the pmtu must span
 * EVIDENCE_SPAN_MS, so no verdict comes sooner than that after the
 * first silent failure.  E.g. 1500 down to 1400 at RTT 10 ms: 31
 * probes, 1.9 s; at 50, 150, 300 ms: 36 probes, 1.75, 2.0 and 3.8 s
 * (sequentially, three tries a size: 2.35, 6.75 and 13.5 s); at RTT 0
 * behind a first answer held 1 s by neighbour discovery: 32 probes,
 * 2.5 s.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stdint.h>

struct search;

struct search_params {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned	 local_mtu;	/* first size, and the upper bound */
	unsigned	 min_mtu;	/* 0: pkt_min_mtu(family) */
	unsigned	 max_tries;	/* 0: 3 (RFC 8899 MAX_PROBES) */
	unsigned	 rto_init_ms;	/* 0: 1000, before any RTT is known */
	unsigned	 rto_min_ms;	/* 0: 100 */
	unsigned	 rto_max_ms;	/* 0: 3000 */
	unsigned	 max_probes;	/* 0: 300; then it stops with what it
					   has (incomplete) */
};

struct search_probe {
	unsigned	 token;		/* names the probe in search_on_*() */
	unsigned	 size;		/* whole IP packet */
};

enum search_step {
	SEARCH_SEND,	/* send *out, then call search_next() again */
	SEARCH_WAIT,	/* call again at *wake, or after an answer */
	SEARCH_DONE,	/* see search_result() */
};

enum search_state {
	SEARCH_OK,		/* pmtu found */
	SEARCH_UNREACHABLE,	/* no answer at any size, or told so */
	SEARCH_ERROR,		/* a local error (send failed) */
};

struct search_result {
	enum search_state state;
	unsigned	 pmtu;		/* 0 when not found */
	unsigned	 probes_sent;
	unsigned	 too_big;	/* too-big messages taken */
	/* ... that an answer then contradicted: forged or stale */
	unsigned	 too_big_refuted;
	/* Answers taken back: a size answered once whose every reference
	 * then vanished (evidence.h, EVIDENCE_RETRACT). */
	unsigned	 reply_refuted;
	unsigned	 unreach;	/* unreachable messages taken */
	/* SEARCH_UNREACHABLE because unreachable messages said so, not
	 * because of silence. */
	int		 told;
	unsigned	 silent_fail;	/* smallest size that failed with no
					   ICMP at all; 0 if none */
	unsigned	 srtt_ms;	/* smoothed RTT, 0 if none measured */
	unsigned	 rto_ms;	/* retransmission timeout at the end */
	unsigned	 elapsed_ms;	/* first probe to the end (so far) */
	int		 error;		/* errno for SEARCH_ERROR */
	/*
	 * Stopped at max_probes (answers too scarce): pmtu is the largest
	 * size confirmed, which may be below the path MTU, or no black-hole
	 * verdict was reached.
	 */
	int		 incomplete;
	/*
	 * Black hole (RFC 2923), for SEARCH_OK: sizes above pmtu vanished
	 * with no too-big, by the evidence rule (evidence.h).
	 */
	int		 blackhole;
	unsigned	 bh_lost;	/* probes at pmtu + 1, all vanished */
	unsigned	 bh_lost_above;	/* vanished probes above pmtu */
	unsigned	 control_sent;	/* reference probes: sizes <= pmtu */
	unsigned	 control_lost;	/* ... that went unanswered */
	unsigned	 bh_span_ms;	/* first to last vanished probe */
};

/* Returns NULL if params are unusable (local_mtu < min_mtu, > 65535). */
struct search	*search_new(const struct search_params *);
void		 search_free(struct search *);

enum search_step search_next(struct search *, uint64_t now,
		    struct search_probe *out, uint64_t *wake);

/*
 * Report what came back for a probe.  Each returns 0, or -1 when the
 * token is unknown (never sent, or the search is done): the caller just
 * ignores such late answers.
 */
int		 search_on_reply(struct search *, unsigned token, uint64_t now);
int		 search_on_too_big(struct search *, unsigned token,
		    unsigned mtu, uint64_t now);
/* The destination or a router said the destination is unreachable
 * (or a packet's time exceeded): evidence, not a verdict. */
int		 search_on_unreach(struct search *, unsigned token,
		    uint64_t now);
/* sendto() failed: EMSGSIZE means the size is above the local MTU
 * (treated like too-big without an MTU); anything else ends the search
 * with SEARCH_ERROR. */
int		 search_on_send_error(struct search *, unsigned token, int err,
		    uint64_t now);

int		 search_done(const struct search *);
void		 search_result(const struct search *, struct search_result *);
const char	*search_state_name(enum search_state);

#endif
