/* localjob.h: the protocol between lspawn and a local delivery worker
 * (local -W), local(8). One SOCK_SEQPACKET unix socket per worker; each
 * packet is one message, a run of netstrings:
 *   hello,  worker -> lspawn, once when it starts, before any job:
 *           "cairn-local-worker 1"
 *   job,    lspawn -> worker: LOCALJOB_ARGS netstrings, the arguments a
 *           per-delivery local gets (user, home, local, dash, ext, domain,
 *           sender, defaultdelivery), each at most LOCALJOB_ARG_MAX bytes
 *           and without NUL, with the message's descriptor attached
 *           (SCM_RIGHTS, exactly one)
 *   report, worker -> lspawn: two netstrings, local's exit code (decimal,
 *           0 to 255) and the text a per-delivery local writes on its
 *           output, at most LOCALJOB_TEXT_MAX bytes; no descriptor
 * Anything else is malformed: the reader closes the connection for good
 * (a worker then exits 111; lspawn ends the worker). */
#ifndef CAIRN_LOCALJOB_H
#define CAIRN_LOCALJOB_H

#include <stddef.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>
#include "spawnproto.h"

#define LOCALJOB_ARGS 8
#define LOCALJOB_ARG_MAX 4096
#define LOCALJOB_TEXT_MAX SPAWNPROTO_TEXT_MAX
/* Every packet fits: 8 arguments with their netstring frames, or a report. */
#define LOCALJOB_PACKET_MAX (LOCALJOB_ARGS * (LOCALJOB_ARG_MAX + 8))

/* Appends the hello. 1, or 0 on ENOMEM. */
int localjob_puthello(stralloc *sa) ;
/* The hello packet's bytes (static), and their length in *len. */
char const *localjob_hello(size_t *len) ;

/* Appends a job. 1; 0 with errno EINVAL when an argument is over
 * LOCALJOB_ARG_MAX, ENOMEM. */
int localjob_putjob(stralloc *sa, char const *const *args) ;
/* Decodes a job: store gets the arguments NUL-terminated, args[] points
 * into it (valid until store changes). 1, or 0 when malformed (or ENOMEM,
 * errno says which: EPROTO or ENOMEM). */
int localjob_getjob(char const *s, size_t len, stralloc *store, char const **args) ;

/* The same for a job of n arguments (at most LOCALJOB_ARGS), as another
 * kind of worker takes (remotework.h). */
int localjob_putargs(stralloc *sa, char const *const *args, unsigned int n) ;
int localjob_getargs(char const *s, size_t len, unsigned int n, stralloc *store, char const **args) ;

/* Appends a report; text longer than LOCALJOB_TEXT_MAX is cut there. 1, or
 * 0 on ENOMEM or a code outside 0..255 (EINVAL). */
int localjob_putreport(stralloc *sa, int code, char const *text, size_t len) ;
/* Decodes a report into *code and text (replaced). 1, or 0 when malformed
 * (errno EPROTO) or on ENOMEM. */
int localjob_getreport(char const *s, size_t len, int *code, stralloc *text) ;

/* Sends one packet, with descriptor fd attached when fd >= 0; never
 * raises SIGPIPE, and with nonblock never waits. 1, or 0 with errno. */
int localjob_send(int sock, char const *s, size_t len, int fd, int nonblock) ;
/* Receives one packet into buf (max bytes). With fd null, a packet
 * carrying descriptors is malformed (the kernel closes them); else *fd
 * gets the one descriptor attached, or -1 when none is, and a packet with
 * more than one, or any other control data, is malformed (all closed).
 * Returns the length, 0 at end of stream, -1 with errno (EPROTO for a
 * malformed or truncated packet, EAGAIN, ...). An empty packet is
 * malformed. */
ssize_t localjob_recv(int sock, char *buf, size_t max, int *fd, int nonblock) ;

#endif
