/* SPDX-License-Identifier: ISC */
/* New findings: compare with the last conclusive one, store, alert. */
#include <string.h>

#include "change.h"
#include "log.h"
#include "store.h"
#include "pmtud.h"
#include "alert.h"
#include "persist.h"
#include "findings.h"

int
findings_record(struct pmtud *env, const struct result *res)
{
	const struct result	*last;
	struct result		 base;
	struct change		 ev[CHANGE_MAX];
	int			 i, n, have;

	/* One run answers every waiter: the same finding is kept once. */
	last = store_get(env->store, res->destination, res->family);
	if (last != NULL && last->updated_at_ms == res->updated_at_ms &&
	    last->probes_sent == res->probes_sent &&
	    last->state == res->state && last->pmtu == res->pmtu &&
	    strcmp(last->destination, res->destination) == 0)
		return 0;

	/* Compared with the last conclusive finding: errors say nothing. */
	have = store_base(env->store, res->destination, res->family,
	    &base) == 0;
	n = change_detect(have ? &base : NULL, res, ev);
	env->findings++;
	if (store_put(env->store, res) == -1)
		log_warnx("%s: cannot store the result", res->destination);
	for (i = 0; i < n; i++)
		alert_emit(env->alert, &ev[i]);
	persist_dirty(env->persist);
	return n;
}
