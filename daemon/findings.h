/* Where a new finding goes: the store, change detection, alerts. */
#ifndef FINDINGS_H
#define FINDINGS_H

struct pmtud;
struct result;

/* Stores res and emits an alert for every change it makes. */
void	 findings_record(struct pmtud *, const struct result *res);

#endif
