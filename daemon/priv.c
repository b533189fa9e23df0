/* SPDX-License-Identifier: ISC */
/* Dropping privileges with libcap: keep CAP_NET_RAW at most. */
#include <sys/types.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"

int
priv_lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* The bounding set can only shrink with CAP_SETPCAP: as root, or not. */
static void
shrink_bounding(void)
{
	cap_value_t	 c;

	if (!CAP_IS_SUPPORTED(CAP_SETPCAP))
		return;
	for (c = 0; c <= CAP_LAST_CAP; c++) {
		if (c == CAP_NET_RAW || !CAP_IS_SUPPORTED(c) ||
		    cap_get_bound(c) != 1)
			continue;
		if (cap_drop_bound(c) == 0 || errno == EINVAL)
			continue;
		/* Without CAP_SETPCAP the service manager bounds us. */
		if (errno == EPERM && geteuid() != 0)
			return;
		fatal("dropping capability %d from the bounding set", (int)c);
	}
}

static void
switch_user(const char *user)
{
	uid_t	 uid;
	gid_t	 gid;

	if (priv_lookup(user, &uid, &gid) == -1)
		fatalx("user %s does not exist (create it: useradd --system "
		    "%s; or use --user or --no-drop)", user, user);
	if (uid == 0)
		fatalx("user %s is root", user);
	/* Keep the permitted set across the uid change, then trim it. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_KEEPCAPS");
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		fatal("switching to user %s", user);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1)
		fatal("PR_SET_KEEPCAPS");
}

/* Effective and permitted: CAP_NET_RAW if we had it; nothing else. */
static void
keep_net_raw(void)
{
	cap_t			 now, want;
	cap_flag_value_t	 had = CAP_CLEAR;
	cap_value_t		 raw = CAP_NET_RAW;

	if ((now = cap_get_proc()) == NULL || (want = cap_init()) == NULL)
		fatal("reading capabilities");
	cap_get_flag(now, CAP_NET_RAW, CAP_PERMITTED, &had);
	if (had == CAP_SET && (cap_set_flag(want, CAP_PERMITTED, 1, &raw,
	    CAP_SET) == -1 || cap_set_flag(want, CAP_EFFECTIVE, 1, &raw,
	    CAP_SET) == -1))
		fatal("building the capability set");
	if (cap_set_proc(want) == -1)
		fatal("setting capabilities");
	cap_free(now);
	cap_free(want);
}

void
priv_drop(const char *user)
{
	shrink_bounding();
	if (user != NULL)
		switch_user(user);
	keep_net_raw();
	/* Nothing for children: no ambient, no inheritable (cleared above). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		fatal("clearing ambient capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
#ifdef __SANITIZE_ADDRESS__
	/* LeakSanitizer stops the process through ptrace at exit. */
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
}
