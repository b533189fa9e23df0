/* SPDX-License-Identifier: ISC */
/* Nagios-style verdicts on findings. */
#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *const names[] = {
	"OK", "WARNING", "CRITICAL", "UNKNOWN",
};

const char *
check_status_name(enum check_status st)
{
	return (unsigned)st < 4 ? names[st] : "UNKNOWN";
}

/* What is wrong, worst first; "" when nothing. */
static enum check_status
judge(const struct result *r, const struct check_params *p, int64_t now,
    char *why, size_t len)
{
	char	 a[ADDR_STRLEN];

	why[0] = '\0';
	if (r->state == RESULT_ERROR) {
		snprintf(why, len, "no measurement: %s",
		    r->error[0] ? r->error : "error");
		return CHECK_UNKNOWN;
	}
	if (r->state == RESULT_UNREACHABLE) {
		snprintf(why, len, "unreachable");
		return CHECK_CRITICAL;
	}
	if (r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE) {
		if (r->blackhole.hop >= 0)
			snprintf(why, len, "black hole%s at hop %d (%s)",
			    r->state == RESULT_PARTIAL_BLACKHOLE ?
			    " on some paths" : "", r->blackhole.hop,
			    addr_ntop(&r->blackhole.address, a, sizeof(a)));
		else
			snprintf(why, len, "black hole%s",
			    r->state == RESULT_PARTIAL_BLACKHOLE ?
			    " on some paths" : "");
		return CHECK_CRITICAL;
	}
	if (p->min_mtu > 0 && r->pmtu < p->min_mtu) {
		snprintf(why, len, "pmtu below %d", p->min_mtu);
		return CHECK_CRITICAL;
	}
	if (p->warn_mtu > 0 && r->pmtu < p->warn_mtu) {
		snprintf(why, len, "pmtu below %d", p->warn_mtu);
		return CHECK_WARNING;
	}
	if (p->max_age_ms > 0 && r->updated_at_ms >= 0 &&
	    now - r->updated_at_ms > p->max_age_ms) {
		snprintf(why, len, "finding is %lld s old",
		    (long long)((now - r->updated_at_ms) / 1000));
		return CHECK_WARNING;
	}
	return CHECK_OK;
}

/* Performance data: 'label'=value[UOM];warn;crit;min;max */
static void
perfdata(const struct result *r, const struct check_params *p, char *buf,
    size_t len)
{
	char	 w[16] = "", c[16] = "";

	buf[0] = '\0';
	if (r->pmtu <= 0)
		return;
	if (p->warn_mtu > 0)
		snprintf(w, sizeof(w), "%d:", p->warn_mtu);
	if (p->min_mtu > 0)
		snprintf(c, sizeof(c), "%d:", p->min_mtu);
	snprintf(buf, len, " | pmtu=%dB;%s;%s;0;%d", r->pmtu, w, c,
	    r->local_mtu > 0 ? r->local_mtu : r->pmtu);
}

enum check_status
check_result(const struct result *r, const struct check_params *p,
    int64_t now_ms, char *buf, size_t len)
{
	enum check_status	 st;
	char			 why[320], pd[96], a[ADDR_STRLEN];
	char			 mtu[16] = "-";

	st = judge(r, p, now_ms, why, sizeof(why));
	perfdata(r, p, pd, sizeof(pd));
	if (r->pmtu > 0)
		snprintf(mtu, sizeof(mtu), "%d", r->pmtu);
	addr_ntop(&r->address, a, sizeof(a));
	if (strcmp(a, r->destination) == 0)
		snprintf(buf, len, "PMTUD %s - %s (IPv%d) pmtu %s%s%s%s",
		    check_status_name(st), r->destination,
		    addr_family_num(r->family), mtu, why[0] ? ": " : "", why,
		    pd);
	else
		snprintf(buf, len, "PMTUD %s - %s (%s, IPv%d) pmtu %s%s%s%s",
		    check_status_name(st), r->destination, a,
		    addr_family_num(r->family), mtu, why[0] ? ": " : "", why,
		    pd);
	return st;
}

enum check_status
check_unknown(const char *why, char *buf, size_t len)
{
	snprintf(buf, len, "PMTUD UNKNOWN - %s", why);
	return CHECK_UNKNOWN;
}
