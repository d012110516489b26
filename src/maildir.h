/* maildir.h: delivery into a Maildir (maildir(5)), with qmail-local's
 * Return-Path and Delivered-To lines first. A message appears in new/
 * complete or not at all; see maildir.c for what a crash leaves. */
#ifndef CAIRN_MAILDIR_H
#define CAIRN_MAILDIR_H

#include <stddef.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>

/* Appends a unique file name "SEC.MUSECPPIDQN.HOST": seconds and
 * microseconds of now, the process id, n the number of deliveries this
 * process made before, and the host name with "/" and ":" written as
 * "\057" and "\072" (they cannot be in a file name, or mean flags).
 * 1, or 0 on ENOMEM. */
int maildir_name(stralloc *sa, unsigned long sec, unsigned long usec, pid_t pid, unsigned int n, char const *host) ;

/* Delivers the message on msgfd (read from offset 0), after head, into
 * the Maildir dir (a name ending in "/", relative to the current
 * directory). Returns 0, or 111 with why set: every failure, a full disk
 * or quota included, is temporary, and leaves nothing in new/. */
int maildir_deliver(char const *dir, int msgfd, char const *head, size_t headlen, stralloc *why) ;

#endif
