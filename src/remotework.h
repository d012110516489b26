/* remotework.h: remote -W, a delivery worker of rspawn's (rspawnwork.h),
 * so that one process, and one SMTP session, serves message after message
 * to a destination. The protocol is lspawn's with its workers (localjob.h)
 * with another hello and job:
 *   hello,  worker -> rspawn, once: "cairn-remote-worker 1"
 *   job,    rspawn -> worker: 3 netstrings (localjob_putargs), the
 *           domain, the sender and the recipient, with the message's
 *           descriptor attached
 *   report, worker -> rspawn: exit code 0 and the bytes a per-delivery
 *           remote writes on its output (remoteout.h), cut at
 *           LOCALJOB_TEXT_MAX (the bound rspawn keeps of either)
 * Each job is delivered as a per-delivery remote delivers it, reading the
 * control files again, except that a session whose message was accepted
 * stays open (remotesmtp_keep): the next job for the same domain begins
 * with MAIL on it, and when that session turns out to be gone (closed, or
 * 4xx to MAIL) the job is delivered afresh. A kept session is ended with
 * QUIT after REMOTEWORK_KEEP seconds without a job for it, at once when a
 * job for another domain comes, and without QUIT when the server closes
 * it or speaks first. The worker ends when rspawn closes the socket
 * (exit 0), or on a malformed job (exit 111, with a message on fd 2,
 * which is rspawn's log). */
#ifndef CAIRN_REMOTEWORK_H
#define CAIRN_REMOTEWORK_H

#include <stddef.h>

#define REMOTEWORK_KEEP 2   /* seconds */
#define REMOTEWORK_ARGS 3

/* The hello packet (a netstring, as localjob.h's) */
#define REMOTEWORK_HELLO "21:cairn-remote-worker 1,"

/* Serves jobs on fd 0 until its end; the working directory is
 * conf-home. Returns 0, or dies (111). */
int remotework_run(void) ;

#endif
