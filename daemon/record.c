/* SPDX-License-Identifier: ISC */
/* Results into the store, events out, the state file marked. */
#include <stddef.h>

#include "alert.h"
#include "change.h"
#include "log.h"
#include "store.h"
#include "pmtud.h"
#include "saver.h"
#include "record.h"

/*
 * Findings of destinations only ever probed on demand are kept, for the
 * asker and for status, but bounded: at most this many, none older.
 */
#define RECORD_KEEP_ON_DEMAND	1024
#define RECORD_ON_DEMAND_AGE_MS	(24 * 60 * 60 * 1000LL)
#define RECORD_PRUNE_EVERY_MS	(60 * 1000)

/* The events recording res would make; a path only asked about makes none. */
static int
record_changes(struct pmtud *env, const struct result *res,
    struct change ev[CHANGE_MAX])
{
	const struct result	*last;
	struct result		 base;
	int			 have;

	/* Nobody watches a path only asked about on demand: the asker saw it. */
	last = store_get(env->store, res->destination, res->family);
	if (res->on_demand && !env->on_demand_events &&
	    (last == NULL || last->on_demand))
		return 0;
	/* Compared with the last conclusive finding: errors say nothing. */
	have = store_base(env->store, res->destination, res->family,
	    &base) == 0;
	return change_detect(have ? &base : NULL, res, ev);
}

int
record_alarming(struct pmtud *env, const struct result *res)
{
	struct change	 ev[CHANGE_MAX];
	int		 i, n;

	n = record_changes(env, res, ev);
	for (i = 0; i < n; i++)
		if (change_alarming(&ev[i]))
			return 1;
	return 0;
}

static void
record_prune(struct pmtud *env)
{
	static uint64_t	 pruned_at;
	uint64_t	 now = clock_mono_ms();
	size_t		 gone;

	if (store_on_demand(env->store) <= RECORD_KEEP_ON_DEMAND * 5 / 4 &&
	    now - pruned_at < RECORD_PRUNE_EVERY_MS)
		return;
	pruned_at = now;
	gone = store_prune(env->store, RECORD_KEEP_ON_DEMAND,
	    clock_wall_ms() - RECORD_ON_DEMAND_AGE_MS);
	if (gone > 0)
		log_info("forgot %zu findings of destinations only probed on "
		    "demand (at most %d are kept, none older than a day)",
		    gone, RECORD_KEEP_ON_DEMAND);
}

int
record_result(struct pmtud *env, const struct result *res,
    enum record_how how)
{
	struct change	 ev[CHANGE_MAX];
	int		 i, n, raised = 0;

	n = record_changes(env, res, ev);
	env->findings++;
	if (store_put(env->store, res) == -1)
		log_warnx("%s: cannot store the result", res->destination);
	for (i = 0; i < n; i++) {
		if (change_alarming(&ev[i])) {
			if (how == RECORD_UNCONFIRMED) {
				log_info("%s (IPv%d): %s not confirmed by a "
				    "second run; not raised", ev[i].destination,
				    addr_family_num(ev[i].family),
				    change_kind_name(ev[i].kind));
				continue;
			}
			ev[i].confirmed = how == RECORD_CONFIRMED;
		}
		alert_emit(env->alert, &ev[i]);
		raised++;
	}
	record_prune(env);
	saver_dirty(env->saver);
	return raised;
}
