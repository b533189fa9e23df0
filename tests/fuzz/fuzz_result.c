/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes result_from_json(), the strict reader of findings that the
 * state file and pmtudctl both rely on.  The input is JSON text.  A
 * result that reads must hold only values result.h allows, and writing
 * it back with result_to_json() must give the same result again.
 */
#include <sys/socket.h>

#include <string.h>

#include <jansson.h>

#include "result.h"

#include "fuzz.h"

#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)

static void
check_result(const struct result *r)
{
	unsigned	i;

	FUZZ_ASSERT(TERMINATED(r->destination) && r->destination[0] != '\0');
	FUZZ_ASSERT(TERMINATED(r->error));
	FUZZ_ASSERT(r->family == 0 || r->family == AF_INET ||
	    r->family == AF_INET6);
	FUZZ_ASSERT(!addr_isset(&r->address) ||
	    r->address.family == r->family);
	FUZZ_ASSERT(r->pmtu >= 0 && r->pmtu <= PKT_MAX);
	FUZZ_ASSERT(r->previous_pmtu >= 0 && r->previous_pmtu <= PKT_MAX);
	FUZZ_ASSERT(r->local_mtu >= 0);
	FUZZ_ASSERT(result_state_name(r->state) != NULL);
	FUZZ_ASSERT(r->method == 0 || r->method == PKT_ICMP ||
	    r->method == PKT_UDP);
	FUZZ_ASSERT(r->duration_ms >= -1);
	FUZZ_ASSERT(r->updated_at_ms >= -1);
	FUZZ_ASSERT(r->nhops <= RESULT_MAXHOPS);
	FUZZ_ASSERT((r->hops != NULL) == (r->nhops > 0));
	FUZZ_ASSERT(r->walked || r->nhops == 0);
	for (i = 0; i < r->nhops; i++) {
		FUZZ_ASSERT(r->hops[i].ttl >= 1 && r->hops[i].ttl <= 255);
		FUZZ_ASSERT(r->hops[i].mtu <= PKT_MAX);
		FUZZ_ASSERT(r->hops[i].rtt_us >= -1);
		FUZZ_ASSERT(!addr_isset(&r->hops[i].address) ||
		    r->hops[i].address.family == r->family);
	}
	if (r->blackhole.found) {
		FUZZ_ASSERT(r->blackhole.hop >= -1 && r->blackhole.hop <= 255);
		FUZZ_ASSERT(r->blackhole.lost_size <= PKT_MAX);
	}
}

/* Written and read back, the result says the same. */
static void
round_trip(const struct result *r)
{
	struct result	 again;
	json_t		*j, *j2;
	char		 err[RESULT_ERRLEN];

	FUZZ_ASSERT((j = result_to_json(r)) != NULL);
	FUZZ_ASSERT(result_from_json(j, &again, err, sizeof(err)) == 0);
	FUZZ_ASSERT(strcmp(again.destination, r->destination) == 0);
	FUZZ_ASSERT(addr_eq(&again.address, &r->address) ||
	    (!addr_isset(&again.address) && !addr_isset(&r->address)));
	FUZZ_ASSERT(again.family == r->family && again.pmtu == r->pmtu &&
	    again.local_mtu == r->local_mtu && again.state == r->state &&
	    again.method == r->method);
	FUZZ_ASSERT(again.probes_sent == r->probes_sent &&
	    again.duration_ms == r->duration_ms &&
	    again.updated_at_ms == r->updated_at_ms);
	FUZZ_ASSERT(strcmp(again.error, r->error) == 0);
	FUZZ_ASSERT(again.previous_pmtu == r->previous_pmtu &&
	    again.probes_total == r->probes_total &&
	    again.findings == r->findings);
	FUZZ_ASSERT(again.walked == r->walked && again.nhops == r->nhops);
	FUZZ_ASSERT(r->nhops == 0 || memcmp(again.hops, r->hops,
	    r->nhops * sizeof(*r->hops)) == 0);
	FUZZ_ASSERT(memcmp(&again.blackhole, &r->blackhole,
	    sizeof(r->blackhole)) == 0);
	FUZZ_ASSERT((j2 = result_to_json(&again)) != NULL);
	FUZZ_ASSERT(json_equal(j, j2));
	json_decref(j2);
	json_decref(j);
	result_clear(&again);
}

/* The one-line form fits any buffer, cut but terminated. */
static void
check_format(const struct result *r)
{
	char	buf[512];
	size_t	len;

	for (len = 1; len <= sizeof(buf); len *= 4) {
		memset(buf, 'x', sizeof(buf));
		result_format(r, buf, len);
		FUZZ_ASSERT(memchr(buf, '\0', len) != NULL);
		FUZZ_ASSERT(len == sizeof(buf) || buf[len] == 'x');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result	 r;
	json_error_t	 jerr;
	json_t		*j;
	char		 err[RESULT_ERRLEN];

	j = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		return (0);
	err[0] = '\0';
	if (result_from_json(j, &r, err, sizeof(err)) == 0) {
		check_result(&r);
		round_trip(&r);
		check_format(&r);
		result_clear(&r);
	} else
		FUZZ_ASSERT(err[0] != '\0' && TERMINATED(err));
	json_decref(j);
	return (0);
}
