/* date822.h: RFC 5322 dates, always in UTC. */
#ifndef CAIRN_DATE822_H
#define CAIRN_DATE822_H

#include <stddef.h>
#include <time.h>

#define DATE822_MAX 40

/* "24 Nov 2026 05:33:12 -0000", qmail's form for Received lines. */
size_t date822_qmail(char *s, time_t t) ;
/* "Tue, 24 Nov 2026 05:33:12 +0000", for Date: header fields. */
size_t date822_full(char *s, time_t t) ;

#endif
