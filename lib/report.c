/* SPDX-License-Identifier: ISC */
/* Findings with their explanation and advice, for replies and people. */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "explain_paths.h"
#include "history.h"
#include "report.h"

static json_t *
explain_json(const struct result *r)
{
	struct explain		 ex;
	struct explain_paths	 xp;
	json_t			*o;
	char			 err[256];

	if (explain_result(r, &ex, err, sizeof(err)) == -1)
		return json_null();
	if ((o = explain_to_json(&ex)) == NULL || explain_paths(r, &xp) == -1)
		return o;
	if (json_object_set_new(o, "paths", explain_paths_to_json(&xp)) ==
	    -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
advise_json(const struct result *r)
{
	struct explain_advice	 adv;
	char			 err[256];

	if (r->pmtu <= 0 ||
	    explain_advise(r->pmtu, r->family, &adv, err, sizeof(err)) == -1)
		return json_null();
	return explain_advice_to_json(&adv);
}

json_t *
report_to_json(const struct result *r)
{
	json_t	*o, *ex, *adv;

	if ((o = result_to_json(r)) == NULL)
		return NULL;
	ex = explain_json(r);
	adv = advise_json(r);
	if (ex == NULL || adv == NULL ||
	    json_object_set_new(o, "explain", ex) == -1 ||
	    json_object_set_new(o, "advise", adv) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* json_object_set_new() that remembers a failure. */
static void
set(json_t *o, const char *key, json_t *v, int *failed)
{
	if (o == NULL || v == NULL || json_object_set_new(o, key, v) == -1) {
		json_decref(v);
		*failed = 1;
	}
}

/* The finding's own fields, taken from its JSON form so they read the
 * same as in a status reply. */
static void
copy_field(json_t *o, const json_t *res, const char *key, int *failed)
{
	json_t	*v = json_object_get(res, key);

	set(o, key, v != NULL ? json_incref(v) : NULL, failed);
}

json_t *
report_history_json(const struct result *r, const struct history *h,
    int64_t since_ms)
{
	static const char *const keys[] = {
		"destination", "address", "family", "state", "since",
	};
	json_t	*o, *res;
	size_t	 i;
	int	 failed = 0;

	if ((res = result_to_json(r)) == NULL)
		return NULL;
	o = json_object();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		copy_field(o, res, keys[i], &failed);
	json_decref(res);
	set(o, "changes", json_integer((json_int_t)history_changes(h)),
	    &failed);
	set(o, "summary", history_summary_json(h, since_ms), &failed);
	set(o, "history", history_entries_json(h, since_ms), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void
report_explain_text(const struct result *r, char *buf, size_t len)
{
	struct explain		 ex;
	struct explain_paths	 xp;
	struct explain_advice	 adv;
	char			 err[256];
	size_t			 n;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (explain_result(r, &ex, err, sizeof(err)) == -1)
		return;
	explain_format(&ex, buf, len);
	n = strlen(buf);
	if (explain_paths(r, &xp) == 0 && n < len) {
		explain_paths_format(&xp, buf + n, len - n);
		n = strlen(buf);
	}
	if (n + 1 >= len ||
	    explain_advise(r->pmtu, r->family, &adv, err, sizeof(err)) == -1)
		return;
	snprintf(buf + n, len - n, "\n");
	n++;
	explain_advice_format(&adv, buf + n, len - n);
}
