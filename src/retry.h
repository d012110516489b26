/* retry.h: qmail-send's retry schedule. A message born at birth is tried
 * again at birth + (floor(sqrt(age)) + skip)^2 seconds, where skip is 10
 * for local and 20 for remote deliveries: local retries come after about
 * 100 s, 400 s, 900 s..., remote after about 400 s, 1600 s, 3600 s... */
#ifndef CAIRN_RETRY_H
#define CAIRN_RETRY_H

#include <time.h>

enum { CHAN_LOCAL = 0, CHAN_REMOTE = 1, CHANNELS = 2 } ;

time_t retry_next(time_t birth, time_t now, unsigned int chan) ;

#endif
