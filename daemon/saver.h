/* SPDX-License-Identifier: ISC */
/*
 * Keeping the store on disk: loaded at start, saved shortly after
 * findings change (changes within SAVER_DELAY_MS are saved once) and
 * at shutdown.  A failed save is logged and retried later; results stay
 * in memory either way.
 */
#ifndef SAVER_H
#define SAVER_H

struct pmtud;
struct saver;

struct saver	*saver_new(struct pmtud *, const char *path);
/*
 * Loads the state file into env->store; a bad file is moved aside with
 * a warning.  Called once privileges are dropped: the file is read with
 * the daemon's own rights, never root's.
 */
void		 saver_load(struct saver *);
void		 saver_dirty(struct saver *);
/* Saves now if anything changed; 0 or -1 (logged). */
int		 saver_flush(struct saver *);
void		 saver_free(struct saver *);

#endif
