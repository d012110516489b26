/* qqexit.h: queue's exit codes (qmail-queue(8)) and what each means, for
 * the programs that run queue and must explain its failure (smtpd, inject,
 * send) and for queue's own message on stderr. */
#ifndef CAIRN_QQEXIT_H
#define CAIRN_QQEXIT_H

/* qmail's text for an exit code, with its enhanced status code, e.g.
 * "qq write error or disk full (#4.3.0)". */
char const *qqexit_text(int code) ;
/* 1 if the code means "never try again": 11 to 40, as qmail. */
int qqexit_permanent(int code) ;

#endif
