/* SPDX-License-Identifier: ISC */
/*
 * The attacker of test_rootpaths.sh: as the daemon's user, swaps PATH
 * for a symbolic link to TARGET as fast as it can, for SECONDS, so that
 * root acting on PATH after creating it would act on TARGET instead.
 *   swapper PATH TARGET SECONDS
 * Prints how many swaps it made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	char		 tmp[4096];
	time_t		 end;
	unsigned long	 n = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: swapper PATH TARGET SECONDS\n");
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s.swap", argv[1]);
	end = time(NULL) + atoi(argv[3]);
	while (time(NULL) < end) {
		(void)unlink(tmp);
		if (symlink(argv[2], tmp) == 0 && rename(tmp, argv[1]) == 0)
			n++;
	}
	printf("%lu swaps\n", n);
	return 0;
}
