/* poolbroker.h: smtppool's TLS broker (smtppool(8), "STARTTLS"). A child
 * that smtppool forks before it drops root, when it offers STARTTLS, and
 * that does nothing but this: it reads requests (tlsbroker.h) from the
 * workers on its end of the shared socketpair and, for each, runs
 * "tlsd -s" (vfork and exec through posix_spawn, signal mask and
 * dispositions reset) with the client's connection on fds 6 and 7 and
 * the engine's end of the control channel on 0 and 1, then closes both.
 * tlsd, started as root, reads the key and becomes qmailt, as it does
 * under tcpserver: the broker never reads the key, the workers never
 * see it. A malformed request is logged and dropped (its descriptors
 * closed); at most max engines run at once, further requests wait in
 * the socket (the worker answers 454 when it has waited too long). It
 * reaps the engines, and exits 0 when the socket reaches its end (the
 * master and every worker are gone) or on SIGTERM; engines running then
 * go on to the end of their sessions. */
#ifndef CAIRN_POOLBROKER_H
#define CAIRN_POOLBROKER_H

/* sock: the broker's end (close-on-exec); argv: tlsd's command line,
 * its path first ("tlsd -s", with -U and -G when smtppool knows the
 * ids, so that tlsd need not look them up at each session). */
void poolbroker_run(int sock, char const *const *argv, unsigned int max) __attribute__((noreturn)) ;

#endif
