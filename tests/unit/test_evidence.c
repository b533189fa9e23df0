/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for lib/evidence.c, driven at the rule's edges: P is 1400,
 * P + 1 is 1401, every figure comes from evidence.h's constants.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "evidence.h"

#define P	1400
#define RTO	100		/* a probe is lost this long after it went */
#define T0	1000		/* the first loss above P */

/*
 * A search that saw refs answers at or below P (the last one at P) and
 * lost 1500 at T0 and P + 1 three times (the bisection's tries), then
 * began the confirmation at *now.
 */
static struct evidence *
confirming(unsigned refs, uint64_t *now)
{
	struct evidence	*ev;
	unsigned	 i;

	assert_non_null(ev = evidence_new());
	evidence_bound(ev, 1501);
	evidence_lost(ev, 1500, T0 - RTO, T0);
	for (i = 0; i < refs; i++)
		evidence_answer(ev, i + 1 < refs ? 1000 + i : P, T0 + i - 10,
		    0, T0 + i);
	for (i = 0; i < 3; i++)
		evidence_lost(ev, P + 1, T0 + 100 * i, T0 + 100 * i + RTO);
	*now = T0 + 300;
	evidence_confirm(ev, *now);
	assert_int_equal(evidence_verdict(ev, *now, RTO), EVIDENCE_CONTINUE);
	return (ev);
}

/* One round at *now: P + 1 vanishes, the reference answers unless
 * ref_lost; *now moves to the end of the round. */
static void
round_lost(struct evidence *ev, uint64_t *now, int ref_lost)
{
	assert_int_equal(evidence_round(ev, *now), 0);
	/* Nothing is decided while the round's P + 1 is out. */
	assert_int_equal(evidence_verdict(ev, *now + 1, RTO),
	    EVIDENCE_CONTINUE);
	if (ref_lost)
		evidence_lost(ev, P, *now, *now + RTO);
	else
		evidence_answer(ev, P, *now, 0, *now + 10);
	evidence_lost(ev, P + 1, *now, *now + RTO);
	*now += RTO;
}

/* The fewest clean references for lost fresh losses to be proof. */
static unsigned
refs_for(unsigned lost)
{
	unsigned	n = 0;

	while (pow(2.0 / (n + 2.0), lost) > EVIDENCE_CHANCE)
		n++;
	return (n);
}

/*
 * With references enough that EVIDENCE_MIN_LOST - 1 losses would pass
 * the chance bound, it still takes EVIDENCE_MIN_LOST of them.
 */
static void
test_min_lost(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now;
	unsigned		 i;

	(void)state;
	ev = confirming(refs_for(EVIDENCE_MIN_LOST - 1), &now);
	now = T0 + EVIDENCE_SPAN_MS;	/* the span is no obstacle */
	for (i = 1; i < EVIDENCE_MIN_LOST; i++) {
		round_lost(ev, &now, 0);
		assert_int_equal(evidence_verdict(ev, now, RTO),
		    EVIDENCE_CONTINUE);
	}
	round_lost(ev, &now, 0);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_BLACKHOLE);
	evidence_report(ev, now, &r);
	/* The bisection's three count in the report, not in the rule. */
	assert_int_equal(r.lost, 3 + EVIDENCE_MIN_LOST);
	assert_int_equal(r.lost_above, 1 + 3 + EVIDENCE_MIN_LOST);
	assert_int_equal(r.span_ms, now - T0);
	assert_int_equal(r.ref_sent,
	    refs_for(EVIDENCE_MIN_LOST - 1) + EVIDENCE_MIN_LOST);
	assert_int_equal(r.ref_lost, 0);
	evidence_free(ev);
}

/* The silence above P must span EVIDENCE_SPAN_MS, from its first loss. */
static void
test_span(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now;
	unsigned		 i;

	(void)state;
	ev = confirming(refs_for(EVIDENCE_MIN_LOST), &now);
	for (i = 0; i < EVIDENCE_MIN_LOST; i++)
		round_lost(ev, &now, 0);
	assert_true(now < T0 + EVIDENCE_SPAN_MS - 1);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	assert_int_equal(evidence_verdict(ev, T0 + EVIDENCE_SPAN_MS - 1, RTO),
	    EVIDENCE_CONTINUE);
	assert_int_equal(evidence_verdict(ev, T0 + EVIDENCE_SPAN_MS, RTO),
	    EVIDENCE_BLACKHOLE);
	evidence_report(ev, T0 + EVIDENCE_SPAN_MS, &r);
	assert_int_equal(r.span_ms, EVIDENCE_SPAN_MS);
	evidence_free(ev);
}

/*
 * (lost + 2) / (sent + 2) over the references, to the power of the fresh
 * losses, against EVIDENCE_CHANCE: one answer short is no proof, and a
 * lost reference takes proof away again.
 */
static void
test_chance(void **state)
{
	struct evidence		*ev;
	uint64_t		 now;
	unsigned		 i, need = refs_for(EVIDENCE_MIN_LOST);

	(void)state;
	/* The rounds' references answer too: start that many short. */
	ev = confirming(need - EVIDENCE_MIN_LOST - 1, &now);
	now = T0 + EVIDENCE_SPAN_MS;
	for (i = 0; i < EVIDENCE_MIN_LOST; i++)
		round_lost(ev, &now, 0);
	assert_true(pow(2.0 / (need - 1 + 2.0), EVIDENCE_MIN_LOST) >
	    EVIDENCE_CHANCE);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	/* One more answer below P is proof. */
	evidence_answer(ev, P, now - 10, 0, now);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_BLACKHOLE);
	/* A reference lost: (1 + 2) / (need + 1 + 2) is too likely. */
	evidence_lost(ev, P, now - RTO, now);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	evidence_free(ev);
}

/* EVIDENCE_MAX_ROUNDS rounds and no verdict: P stands, or, if no
 * reference answered, the destination is gone. */
static void
test_max_rounds(void **state)
{
	struct evidence		*ev;
	uint64_t		 now;
	unsigned		 i;

	(void)state;
	ev = confirming(1, &now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++) {
		assert_int_equal(evidence_verdict(ev, now, RTO),
		    EVIDENCE_CONTINUE);
		round_lost(ev, &now, 1);
	}
	assert_int_equal(evidence_round(ev, now), -1);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_GONE);
	evidence_free(ev);

	/* One reference answered, in the last round. */
	ev = confirming(1, &now);
	for (i = 1; i < EVIDENCE_MAX_ROUNDS; i++)
		round_lost(ev, &now, 1);
	round_lost(ev, &now, 0);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_NONE);
	evidence_free(ev);
}

/* P + 1 answers (in time, late, or a bigger size): it was loss. */
static void
test_answer_above(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now;

	(void)state;
	ev = confirming(5, &now);
	round_lost(ev, &now, 0);
	assert_int_equal(evidence_round(ev, now), 0);
	evidence_answer(ev, P + 1, now, 0, now + 10);
	assert_int_equal(evidence_verdict(ev, now + 10, RTO), EVIDENCE_LOSS);
	/* The four losses at 1401 were loss below the new P. */
	evidence_report(ev, now + 10, &r);
	assert_int_equal(r.ref_lost, 4);
	assert_int_equal(r.ref_sent, 5 + 1 + 1 + 4);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.lost_above, 1);	/* 1500 */
	evidence_free(ev);

	/* A late answer, even while the round's P + 1 is out. */
	ev = confirming(5, &now);
	assert_int_equal(evidence_round(ev, now), 0);
	evidence_answer(ev, P + 1, T0 + 200, 1, now + 5);
	assert_int_equal(evidence_verdict(ev, now + 5, RTO), EVIDENCE_LOSS);
	evidence_free(ev);

	/* 1500 answers late: above P + 1 is above it too. */
	ev = confirming(5, &now);
	round_lost(ev, &now, 0);
	evidence_answer(ev, 1500, T0 - RTO, 1, now);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_LOSS);
	evidence_free(ev);
}

/* A too-big for P + 1: ICMP works.  One for a bigger size only bounds
 * the silence that counts. */
static void
test_too_big(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now;

	(void)state;
	ev = confirming(5, &now);
	evidence_bound(ev, 1500);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	evidence_report(ev, now, &r);
	assert_int_equal(r.lost_above, 3);	/* not 1500 */
	assert_int_equal(r.span_ms, now - (T0 + RTO));
	assert_int_equal(evidence_round(ev, now), 0);
	evidence_bound(ev, P + 1);
	assert_int_equal(evidence_verdict(ev, now + 10, RTO), EVIDENCE_ICMP);
	evidence_free(ev);
}

/*
 * Only losses sent since the confirmation began are evidence, and none
 * from before an answer refuted silence.
 */
static void
test_fresh_only(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now;
	unsigned		 i;

	(void)state;
	/* The bisection lost P + 1 many times: still no verdict. */
	ev = confirming(refs_for(EVIDENCE_MIN_LOST), &now);
	for (i = 0; i < 10; i++)
		evidence_lost(ev, P + 1, now - 1, now);
	now += EVIDENCE_SPAN_MS;
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	evidence_free(ev);

	/* Refuted silence: the losses so far are not counted. */
	ev = confirming(refs_for(EVIDENCE_MIN_LOST), &now);
	for (i = 0; i < EVIDENCE_MIN_LOST; i++)
		round_lost(ev, &now, 0);
	evidence_refuted(ev);
	now += EVIDENCE_SPAN_MS;
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	evidence_report(ev, now, &r);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.lost_above, 0);
	assert_int_equal(r.span_ms, 0);
	evidence_free(ev);
}

/*
 * Rounds go at once until one more loss would be proof but for the
 * span; then the round waits so that its P + 1 is lost as the span
 * completes.
 */
static void
test_round_at(void **state)
{
	struct evidence	*ev;
	uint64_t	 now;
	unsigned	 i;

	(void)state;
	ev = confirming(refs_for(EVIDENCE_MIN_LOST), &now);
	for (i = 1; i < EVIDENCE_MIN_LOST; i++) {
		assert_int_equal(evidence_round_at(ev, RTO), 0);
		round_lost(ev, &now, 0);
	}
	assert_int_equal(evidence_round_at(ev, RTO),
	    T0 + EVIDENCE_SPAN_MS - RTO);
	/* A timeout longer than the span: at once. */
	assert_int_equal(evidence_round_at(ev, T0 + EVIDENCE_SPAN_MS), 0);
	now = T0 + EVIDENCE_SPAN_MS - RTO;
	round_lost(ev, &now, 0);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_BLACKHOLE);
	evidence_free(ev);

	/* No references to speak of: no round is worth waiting for. */
	ev = confirming(1, &now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS - 1; i++) {
		assert_int_equal(evidence_round_at(ev, RTO), 0);
		round_lost(ev, &now, 1);
	}
	evidence_free(ev);
}

/*
 * Overlapping rounds (a slow path): with out rounds' P + 1 still out,
 * one more goes at once while they and the losses so far would be no
 * proof, never once they would be, and the one that would complete the
 * proof waits for the span as evidence_round_at()'s does.
 */
static void
test_round_out_at(void **state)
{
	struct evidence	*ev;
	uint64_t	 now;

	(void)state;
	ev = confirming(refs_for(EVIDENCE_MIN_LOST), &now);
	assert_int_equal(evidence_round_out_at(ev, RTO, 0),
	    evidence_round_at(ev, RTO));
	assert_int_equal(evidence_round_out_at(ev, RTO, 1), 0);
	assert_int_equal(evidence_round_out_at(ev, RTO,
	    EVIDENCE_MIN_LOST - 2), 0);
	/* One more would do, but for the span. */
	assert_int_equal(evidence_round_out_at(ev, RTO,
	    EVIDENCE_MIN_LOST - 1), T0 + EVIDENCE_SPAN_MS - RTO);
	/* Those out would do: wait for them. */
	assert_int_equal(evidence_round_out_at(ev, RTO, EVIDENCE_MIN_LOST),
	    UINT64_MAX);
	round_lost(ev, &now, 0);
	assert_int_equal(evidence_round_out_at(ev, RTO,
	    EVIDENCE_MIN_LOST - 1), UINT64_MAX);
	evidence_free(ev);
}

/*
 * References that answered after their timeout (the RTT rose) were no
 * loss: their answers take the losses back, and with them the doubt.
 */
static void
test_late_references(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now, sent[EVIDENCE_MIN_LOST];
	unsigned		 i, refs = refs_for(EVIDENCE_MIN_LOST);

	(void)state;
	ev = confirming(refs, &now);
	now = T0 + EVIDENCE_SPAN_MS;
	for (i = 0; i < EVIDENCE_MIN_LOST; i++) {
		sent[i] = now;
		round_lost(ev, &now, 1);
	}
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	evidence_report(ev, now, &r);
	assert_int_equal(r.ref_lost, EVIDENCE_MIN_LOST);
	for (i = 0; i < EVIDENCE_MIN_LOST; i++)
		evidence_answer(ev, P, sent[i], 1, now);
	evidence_report(ev, now, &r);
	assert_int_equal(r.ref_sent, refs + EVIDENCE_MIN_LOST);
	assert_int_equal(r.ref_lost, 0);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_BLACKHOLE);
	evidence_free(ev);

	/* All the rounds' references late, one of them answered at last:
	 * the destination is there, P stands. */
	ev = confirming(1, &now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++)
		round_lost(ev, &now, 1);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_GONE);
	evidence_answer(ev, P, now - 2 * RTO, 1, now + 500);
	assert_int_equal(evidence_verdict(ev, now + 500, RTO), EVIDENCE_NONE);
	evidence_free(ev);
}

/*
 * The timeout grew (a late answer) after the rounds' P + 1 were given
 * up: they count as vanished only once silent that long since they went.
 */
static void
test_timeout_grew(void **state)
{
	struct evidence	*ev;
	uint64_t	 now, last = 0;
	unsigned	 i;

	(void)state;
	ev = confirming(refs_for(EVIDENCE_MIN_LOST), &now);
	now = T0 + EVIDENCE_SPAN_MS;
	for (i = 0; i < EVIDENCE_MIN_LOST; i++) {
		last = now;
		round_lost(ev, &now, 0);
	}
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_BLACKHOLE);
	assert_int_equal(evidence_verdict(ev, now, 10 * RTO),
	    EVIDENCE_CONTINUE);
	assert_int_equal(evidence_verdict(ev, last + 10 * RTO - 1, 10 * RTO),
	    EVIDENCE_CONTINUE);
	assert_int_equal(evidence_verdict(ev, last + 10 * RTO, 10 * RTO),
	    EVIDENCE_BLACKHOLE);
	evidence_free(ev);

	/* With the rounds used up, the verdict waits for the last. */
	ev = confirming(1, &now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++) {
		last = now;
		round_lost(ev, &now, 1);
	}
	assert_int_equal(evidence_verdict(ev, now, 10 * RTO),
	    EVIDENCE_CONTINUE);
	assert_int_equal(evidence_round_at(ev, 10 * RTO), last + 10 * RTO);
	assert_int_equal(evidence_verdict(ev, last + 10 * RTO, 10 * RTO),
	    EVIDENCE_GONE);
	evidence_free(ev);
}

/* Before a confirmation, nothing is decided and no round goes. */
static void
test_idle(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;

	(void)state;
	assert_non_null(ev = evidence_new());
	assert_int_equal(evidence_verdict(ev, 0, RTO), EVIDENCE_CONTINUE);
	assert_int_equal(evidence_round(ev, 0), -1);
	evidence_lost(ev, 68, 0, 100);		/* above P = 0 */
	evidence_answer(ev, 1000, 100, 0, 110);	/* 68 was loss */
	evidence_report(ev, 110, &r);
	assert_int_equal(r.ref_sent, 2);
	assert_int_equal(r.ref_lost, 1);
	assert_int_equal(r.lost_above, 0);
	evidence_free(ev);
	evidence_free(NULL);
}

/*
 * Not one reference at P answered in EVIDENCE_MAX_ROUNDS rounds, and P
 * rests on a single answer above a smaller size answered before (a
 * forger can answer one probe): the answer is taken back, not the
 * destination called gone.  Once: the second time it is gone.
 */
static void
test_retract(void **state)
{
	struct evidence		*ev;
	struct evidence_report	 r;
	uint64_t		 now;
	unsigned		 i;

	(void)state;
	/* Answers at 1000 .. 1003, then P once. */
	ev = confirming(5, &now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++)
		round_lost(ev, &now, 1);
	evidence_report(ev, now, &r);
	assert_int_equal(r.ref_sent, 5 + EVIDENCE_MAX_ROUNDS);
	assert_int_equal(r.ref_lost, EVIDENCE_MAX_ROUNDS);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_RETRACT);
	assert_int_equal(evidence_retract(ev), 1003);
	/* P's losses are losses above P again, and its answer is gone from
	 * the references: four clean answers below 1003. */
	evidence_report(ev, now, &r);
	assert_int_equal(r.ref_sent, 4);
	assert_int_equal(r.ref_lost, 0);
	assert_int_equal(r.lost, 0);		/* at 1004 */
	assert_int_equal(r.lost_above, 1 + 3 + 2 * EVIDENCE_MAX_ROUNDS);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_CONTINUE);
	/* A new confirmation, of 1004, whose references vanish too. */
	evidence_confirm(ev, now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++) {
		assert_int_equal(evidence_round(ev, now), 0);
		evidence_lost(ev, 1003, now, now + RTO);
		evidence_lost(ev, 1004, now, now + RTO);
		now += RTO;
	}
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_GONE);
	evidence_free(ev);

	/* P answered twice: no single answer to take back. */
	assert_non_null(ev = evidence_new());
	evidence_answer(ev, 1000, T0 - 10, 0, T0);
	evidence_answer(ev, P, T0 - 10, 0, T0);
	evidence_answer(ev, P, T0 - 5, 0, T0);
	now = T0;
	evidence_confirm(ev, now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++)
		round_lost(ev, &now, 1);
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_GONE);
	evidence_free(ev);

	/* P + 1 answered once in the confirmation (it was loss, or a
	 * forger); the search goes on above it, and a confirmation of
	 * P + 2 whose references at P + 1 all vanish takes it back. */
	ev = confirming(5, &now);
	round_lost(ev, &now, 0);
	assert_int_equal(evidence_round(ev, now), 0);
	evidence_answer(ev, P + 1, now, 0, now + 5);
	assert_int_equal(evidence_verdict(ev, now + 5, RTO), EVIDENCE_LOSS);
	evidence_report(ev, now + 5, &r);
	assert_int_equal(r.ref_lost, 4);	/* P + 1's losses, for now */
	evidence_refuted(ev);
	now += RTO;
	evidence_confirm(ev, now);
	for (i = 0; i < EVIDENCE_MAX_ROUNDS; i++) {
		assert_int_equal(evidence_round(ev, now), 0);
		evidence_lost(ev, P + 2, now, now + RTO);
		evidence_lost(ev, P + 1, now, now + RTO);
		now += RTO;
	}
	assert_int_equal(evidence_verdict(ev, now, RTO), EVIDENCE_RETRACT);
	assert_int_equal(evidence_retract(ev), P);
	evidence_report(ev, now, &r);
	/* 5 answers and a round's reference; every loss at P + 1 is above
	 * P again (those before the answer stale: it refuted them). */
	assert_int_equal(r.ref_sent, 6);
	assert_int_equal(r.ref_lost, 0);
	assert_int_equal(r.lost, EVIDENCE_MAX_ROUNDS);
	evidence_free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_min_lost),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_chance),
		cmocka_unit_test(test_max_rounds),
		cmocka_unit_test(test_answer_above),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_fresh_only),
		cmocka_unit_test(test_round_at),
		cmocka_unit_test(test_round_out_at),
		cmocka_unit_test(test_late_references),
		cmocka_unit_test(test_timeout_grew),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_retract),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
