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
	struct result		 base;
	struct change		 ev[CHANGE_MAX];
	int			 i, n, have;

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
