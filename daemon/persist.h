/* SPDX-License-Identifier: ISC */
/*
 * Keeping the store on disk: loaded at start, saved shortly after
 * findings change (changes within PERSIST_DELAY_MS are saved once) and
 * at shutdown.  A failed save is logged and retried later; results stay
 * in memory either way.
 */
#ifndef PERSIST_H
#define PERSIST_H

struct pmtud;
struct persist;

/* Loads path into env->store; a bad file is moved aside with a warning. */
struct persist	*persist_new(struct pmtud *, const char *path);
void		 persist_dirty(struct persist *);
/* Saves now if anything changed; 0 or -1 (logged). */
int		 persist_flush(struct persist *);
void		 persist_free(struct persist *);

#endif
