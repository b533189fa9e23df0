/* SPDX-License-Identifier: ISC */
/* The release, shared by pmtud and pmtudctl. */
#ifndef VERSION_H
#define VERSION_H

#define PMTUD_VERSION	"0.1.0"

#endif
