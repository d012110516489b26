/* tlsio.c: the engine's loop between the network and the program. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/tai.h>
#include "tlsio.h"
#include "tlsnames.h"

static int fail(char *why, char const *what, int e)
{
  snprintf(why, 128, "%s: %s", what, strerror(e)) ;
  return 0 ;
}

int tlsio_run(struct tlsio *t, char *why)
{
  br_ssl_engine_context *eng = t->eng ;
  stralloc rec = STRALLOC_ZERO ;   /* the outcome record, then nothing */
  size_t recpos = 0 ;
  int appeof = 0, neteof = 0, r = 0 ;
  tain deadline, tto ;
  t->handshook = 0 ;
  if (ndelay_on(t->netin) < 0 || ndelay_on(t->netout) < 0 || ndelay_on(t->appin) < 0 || ndelay_on(t->appout) < 0)
    return fail(why, "unable to set descriptors non-blocking", errno) ;
  /* BearSSL hands over one record at a time: without TCP_NODELAY the
   * handshake's second record waits for the peer's delayed ACK (40 ms
   * each flight here); not a socket (a pipe in a test): no matter */
  {
    int one = 1 ;
    setsockopt(t->netout, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) ;
  }
  tain_from_millisecs(&tto, t->timeout > 86400 ? 86400000 : (int)t->timeout * 1000) ;
  tain_now_g() ;
  tain_add_g(&deadline, &tto) ;
  for (;;)
  {
    unsigned int st = br_ssl_engine_current_state(eng) ;
    iopause_fd x[4] ;
    int inet = -1, onet = -1, iapp = -1, oapp = -1 ;
    unsigned int n = 0 ;
    int waitnet ;
    if (st & BR_SSL_CLOSED)
    {
      int err = br_ssl_engine_last_error(eng) ;
      if (err) { char b[80] ; snprintf(why, 128, "%s", tlsnames_error(err, b)) ; goto end ; }
      if (!t->handshook) { snprintf(why, 128, "the peer closed the connection during the handshake") ; goto end ; }
      break ;
    }
    if (!t->handshook && st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP))
    {
      t->handshook = 1 ;
      if (!(*t->ready)(eng, &rec, t->ctx)) { fail(why, "unable to make the outcome record", errno) ; goto end ; }
    }
    /* the program closed and our close_notify is out: done (the peer's
     * close_notify is not waited for, as most implementations do) */
    if (appeof && !(st & BR_SSL_SENDREC)) break ;
    /* the peer is gone and everything it sent was passed on */
    if (neteof && !(st & BR_SSL_RECVAPP) && recpos == rec.len)
    {
      if (!t->handshook) { snprintf(why, 128, "the peer closed the connection during the handshake") ; goto end ; }
      break ;
    }
    if (st & BR_SSL_RECVREC && !neteof) { inet = n ; x[n].fd = t->netin ; x[n++].events = IOPAUSE_READ ; }
    if (st & BR_SSL_SENDREC) { onet = n ; x[n].fd = t->netout ; x[n++].events = IOPAUSE_WRITE ; }
    if (t->handshook && !appeof && st & BR_SSL_SENDAPP) { iapp = n ; x[n].fd = t->appin ; x[n++].events = IOPAUSE_READ ; }
    if (t->handshook && (recpos < rec.len || st & BR_SSL_RECVAPP)) { oapp = n ; x[n].fd = t->appout ; x[n++].events = IOPAUSE_WRITE ; }
    if (!n) { snprintf(why, 128, "the TLS engine is stuck") ; goto end ; }
    /* Only the network is timed: a program waiting for its client is
     * not our business, a peer that stalls the handshake or a close is. */
    waitnet = !t->handshook || appeof || onet >= 0 ;
    {
      int p = iopause_g(x, n, waitnet ? &deadline : &tain_infinite) ;
      if (p < 0)
      {
        if (errno == EINTR) continue ;
        fail(why, "unable to iopause", errno) ; goto end ;
      }
      if (!p) { snprintf(why, 128, "timeout: the peer sent nothing for %u seconds", t->timeout) ; goto end ; }
    }
    if (inet >= 0 && x[inet].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      size_t len ;
      unsigned char *buf = br_ssl_engine_recvrec_buf(eng, &len) ;
      ssize_t k = fd_read(t->netin, (char *)buf, len) ;
      if (k < 0 && errno != EWOULDBLOCK && errno != EAGAIN)
      {
        if (errno == ECONNRESET) neteof = 1 ;
        else { fail(why, "unable to read from the network", errno) ; goto end ; }
      }
      else if (!k) neteof = 1 ;
      else if (k > 0) { br_ssl_engine_recvrec_ack(eng, (size_t)k) ; tain_add_g(&deadline, &tto) ; }
      continue ;
    }
    if (onet >= 0 && x[onet].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT))
    {
      size_t len ;
      unsigned char *buf = br_ssl_engine_sendrec_buf(eng, &len) ;
      ssize_t k = fd_write(t->netout, (char const *)buf, len) ;
      if (k < 0 && errno != EWOULDBLOCK && errno != EAGAIN)
      {
        if (appeof) break ;   /* our close_notify could not go: no matter */
        fail(why, "unable to write to the network", errno) ; goto end ;
      }
      if (k > 0) { br_ssl_engine_sendrec_ack(eng, (size_t)k) ; tain_add_g(&deadline, &tto) ; }
      continue ;
    }
    if (oapp >= 0 && x[oapp].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT))
    {
      ssize_t k ;
      if (recpos < rec.len)
      {
        k = fd_write(t->appout, rec.s + recpos, rec.len - recpos) ;
        if (k > 0) recpos += (size_t)k ;
      }
      else
      {
        size_t len ;
        unsigned char *buf = br_ssl_engine_recvapp_buf(eng, &len) ;
        k = fd_write(t->appout, (char const *)buf, len) ;
        if (k > 0) br_ssl_engine_recvapp_ack(eng, (size_t)k) ;
      }
      if (k < 0 && errno != EWOULDBLOCK && errno != EAGAIN)
      {
        /* the program is gone: say goodbye to the peer */
        appeof = 1 ;
        br_ssl_engine_close(eng) ;
        tain_add_g(&deadline, &tto) ;
      }
      continue ;
    }
    if (iapp >= 0 && x[iapp].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      size_t len ;
      unsigned char *buf = br_ssl_engine_sendapp_buf(eng, &len) ;
      ssize_t k = fd_read(t->appin, (char *)buf, len) ;
      if (k < 0 && (errno == EWOULDBLOCK || errno == EAGAIN)) continue ;
      if (k <= 0)
      {
        appeof = 1 ;
        br_ssl_engine_close(eng) ;
        tain_add_g(&deadline, &tto) ;
        continue ;
      }
      br_ssl_engine_sendapp_ack(eng, (size_t)k) ;
      /* SMTP is a dialogue: what the program wrote goes out now */
      br_ssl_engine_flush(eng, 0) ;
      continue ;
    }
  }
  r = 1 ;
 end:
  stralloc_free(&rec) ;
  return r ;
}
