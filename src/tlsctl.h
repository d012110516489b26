/* tlsctl.h: the TLS control protocol between tlsd (the engine, which holds
 * the key and does all TLS work) and the program it serves (smtpd, remote),
 * over one stream socket, the "control channel" (tlsd(8)):
 *
 *   program -> engine: one byte 'Y': start the handshake now.
 *   engine -> program: one outcome record, then (after 'Y') the plaintext
 *     of the TLS connection, both ways, on the same channel.
 *
 * An outcome record is a status byte, 'Y' (TLS is on) or 'N' (the
 * handshake failed; the engine closes the channel after it), then fields
 * "NAME=value" each ending with a NUL, then one more NUL. A value holds
 * only printable ASCII; the whole record is at most TLSCTL_MAX bytes.
 * Fields (any may be missing, unknown ones are ignored):
 *   TLS_PROTOCOL=TLSv1.2   TLS_CIPHER=ECDHE-RSA-AES256-GCM-SHA384
 *   TLS_SNI=name (server: the name the client asked for)
 *   TLS_PEER_VERIFIED=1 (client: the chain and name were verified)
 *   TLS_ERROR=text (with 'N') */
#ifndef CAIRN_TLSCTL_H
#define CAIRN_TLSCTL_H

#include <stddef.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>

#define TLSCTL_MAX 1024
#define TLSCTL_START 'Y'
/* tlsd -s to the program, before the handshake: the key is loaded and
 * the engine waits for the client's hello (tlsbroker.h) */
#define TLSCTL_READY '+'

/* Starts a record with status 'Y' or 'N' in sa (emptied first). */
int tlsctl_begin(stralloc *sa, char status) ;
/* Appends NAME=value; bytes of value outside printable ASCII become '?',
 * and a value is cut to keep the record within TLSCTL_MAX. 0 on ENOMEM. */
int tlsctl_field(stralloc *sa, char const *name, char const *value) ;
/* Ends the record. 0 on ENOMEM. */
int tlsctl_end(stralloc *sa) ;

/* The length of the complete record at the start of s (len bytes), 0 when
 * more bytes are needed, -1 when the bytes are not a record (bad status,
 * a field without '=' or with a byte outside printable ASCII, too long). */
ssize_t tlsctl_parse(char const *s, size_t len) ;

/* The value of field name in the complete record rec (as parse accepted
 * it), or 0. */
char const *tlsctl_get(char const *rec, size_t len, char const *name) ;

/* Reads one record from fd into sa, a byte at a time so that nothing
 * after it is consumed, waiting at most timeoutms milliseconds in all
 * (negative: no limit). Returns 1 for 'Y', 0 for 'N' or for EOF before a
 * whole record (sa empty then), -1 on timeout (errno ETIMEDOUT), a read
 * error or malformed bytes (EPROTO). */
int tlsctl_read(int fd, stralloc *sa, int timeoutms) ;

#endif
