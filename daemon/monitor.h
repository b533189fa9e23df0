/* SPDX-License-Identifier: ISC */
/*
 * Configured destinations, probed on their own: each is resolved again
 * and measured whenever the scheduler says it is due, and its finding
 * recorded like an on-demand one.
 */
#ifndef MONITOR_H
#define MONITOR_H

struct pmtud;
struct conf;
struct monitor;

struct monitor	*monitor_new(struct pmtud *);
/*
 * Takes a configuration's destinations: new ones start, removed ones
 * stop (their findings are forgotten), unchanged ones keep their
 * findings and schedule.  0, or -1 out of memory.
 */
int		 monitor_configure(struct monitor *, const struct conf *);
unsigned	 monitor_count(const struct monitor *);
void		 monitor_free(struct monitor *);

#endif
