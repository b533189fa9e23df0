/* SPDX-License-Identifier: ISC */
/* Where a new finding goes: the store, change detection, alerts. */
#ifndef FINDINGS_H
#define FINDINGS_H

struct pmtud;
struct result;

/*
 * Stores res, emits an alert for every change it makes and marks the
 * state file for saving.  Returns how many alert events it made.
 */
int	 findings_record(struct pmtud *, const struct result *res);

#endif
