/* smtpsess.c: one SMTP session, command by command (RFC 5321), with
 * enhanced status codes (RFC 3463) on every reply. The session ends
 * (smtpsess_run returns) through one longjmp from wherever it is decided
 * (QUIT, end of input, a 421), so that the commands need not pass an
 * "ended" flag up; nothing that jumps holds a resource open (a running
 * queue is finished first). */
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/gccattributes.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "date822.h"
#include "envelope.h"
#include "qqclient.h"
#include "qqexit.h"
#include "rcptcheck.h"
#include "smtpcmd.h"
#include "smtpdata.h"
#include "smtpio.h"
#include "smtpsess.h"
#include "tlsbroker.h"
#include "tlsctl.h"

struct sess {
  struct smtpconf *c ;
  stralloc helo ;
  int ehlo ;
  int inmail ;             /* MAIL accepted, transaction open */
  stralloc env ;           /* F sender, T recipients */
  unsigned long nrcpt ;
  unsigned long errors ;
  int bodybinary ;         /* BODY=8BITMIME */
  int tls ;                /* TLS is on */
  stralloc tlsinfo ;       /* "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384" */
} ;

static struct sess s ;
static jmp_buf sessend ;

static void reply(char const *text)
{
  smtpio_put(text) ;
  smtpio_put("\r\n") ;
}

static void gccattr_noreturn end(void)
{
  longjmp(sessend, 1) ;
}

static void gccattr_noreturn quit(char const *text)
{
  reply(text) ;
  smtpio_flush() ;
  end() ;
}

/* A client error: counted, and too many end the session. */
static void error(char const *text)
{
  reply(text) ;
  if (++s.errors >= s.c->maxerrors) quit("421 4.7.0 too many errors; closing connection") ;
}

/* A reply from smtpcmd: 421 ends the session, the others are errors. */
static void refuse(char const *r)
{
  if (!strncmp(r, "421", 3)) quit(r) ;
  error(r) ;
}

static void nomem(void)
{
  quit("421 4.3.0 out of memory; closing connection") ;
}

static void resettx(void)
{
  s.inmail = 0 ;
  s.env.len = 0 ;
  s.nrcpt = 0 ;
  s.bodybinary = 0 ;
}

/* Copies a client-given word into the Received line, bounded, with
 * anything that could break the header turned into '?'. 0 on ENOMEM. */
static int safecat(stralloc *sa, char const *x, size_t n)
{
  if (n > 255) n = 255 ;
  if (!stralloc_readyplus(sa, n)) return 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    char c = x[i] ;
    if ((unsigned char)c < 33 || (unsigned char)c > 126 || c == '(' || c == ')') c = '?' ;
    sa->s[sa->len++] = c ;
  }
  return 1 ;
}

static void helo(stralloc const *line, size_t arg, int ehlo)
{
  if (line->len == arg) { error(ehlo ? "501 5.5.4 syntax: EHLO hostname" : "501 5.5.4 syntax: HELO hostname") ; return ; }
  resettx() ;
  s.helo.len = 0 ;
  if (!safecat(&s.helo, line->s + arg, line->len - arg)) nomem() ;
  s.ehlo = ehlo ;
  smtpio_putb(ehlo ? "250-" : "250 ", 4) ;
  smtpio_putb(s.c->me.s, s.c->me.len - 1) ;
  smtpio_put("\r\n") ;
  if (ehlo)
  {
    char num[ULONG_FMT] ;
    reply("250-PIPELINING") ;
    if ((s.c->tlsctl >= 0 || s.c->tlsbroker >= 0) && !s.tls) reply("250-STARTTLS") ;
    reply("250-8BITMIME") ;
    reply("250-ENHANCEDSTATUSCODES") ;
    smtpio_put("250 SIZE") ;
    if (s.c->databytes) { smtpio_put(" ") ; smtpio_putb(num, ulong_fmt(num, s.c->databytes)) ; }
    smtpio_put("\r\n") ;
  }
}

static void mail(stralloc const *line, size_t arg)
{
  static stralloc addr = STRALLOC_ZERO ;
  struct smtpcmd_mail m ;
  char const *r ;
  if (!s.helo.len) { error("503 5.5.1 send HELO or EHLO first") ; return ; }
  if (s.inmail) { error("503 5.5.1 nested MAIL command") ; return ; }
  if (s.c->tlsrequired && !s.tls) { error("530 5.7.0 Must issue a STARTTLS command first") ; return ; }
  r = smtpcmd_mail(line->s + arg, line->len - arg, s.c->databytes, &addr, &m) ;
  if (r) { refuse(r) ; return ; }
  if (smtpconf_badmailfrom(s.c, addr.s, addr.len)) { error("553 5.7.1 sorry, your envelope sender is in my badmailfrom list") ; return ; }
  s.env.len = 0 ;
  if (!envelope_add(&s.env, 'F', addr.s, addr.len)) nomem() ;
  s.inmail = 1 ;
  s.nrcpt = 0 ;
  s.bodybinary = m.body8 ;
  reply("250 2.1.0 ok") ;
}

static void rcpt(stralloc const *line, size_t arg)
{
  static stralloc addr = STRALLOC_ZERO ;
  char const *r, *at ;
  size_t dom ;
  if (!s.inmail) { error("503 5.5.1 MAIL first") ; return ; }
  r = smtpcmd_rcpt(line->s + arg, line->len - arg, s.c->me.s, s.c->me.len - 1, &addr) ;
  if (r) { refuse(r) ; return ; }
  /* our own address literal is our localiphost, as in qmail-smtpd */
  if (smtpcmd_literalme(addr.s, addr.len, s.c->localip, &dom))
  {
    addr.len = dom ;
    if (!stralloc_catb(&addr, s.c->localiphost.s, s.c->localiphost.len - 1)) nomem() ;
  }
  at = memrchr(addr.s, '@', addr.len) ;
  if (s.c->relayclient)
  {
    if (!stralloc_cats(&addr, s.c->relayclient)) nomem() ;
  }
  else if (!at || !smtpconf_rcpthost(s.c, at + 1, addr.len - (size_t)(at + 1 - addr.s)))
  {
    error("553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts") ;
    return ;
  }
  switch (rcptcheck_addr(&s.c->rcpt, addr.s, addr.len))
  {
    case 1: break ;
    case 0: error("550 5.1.1 sorry, no mailbox here by that name") ; return ;
    default: reply("451 4.3.0 unable to check the recipient; try again later") ; return ;
  }
  if (s.nrcpt >= s.c->maxrcpt) { reply("452 4.5.3 too many recipients") ; return ; }
  if (!envelope_add(&s.env, 'T', addr.s, addr.len)) nomem() ;
  s.nrcpt++ ;
  reply("250 2.1.5 ok") ;
}

/* 0 on ENOMEM */
static int received(struct qqclient *qq)
{
  stralloc r = STRALLOC_ZERO ;
  char date[DATE822_MAX] ;
  if (!stralloc_cats(&r, "Received: from ") || !stralloc_cat(&r, &s.helo) || !stralloc_cats(&r, " (")
   || (s.c->remoteinfo && (!safecat(&r, s.c->remoteinfo, strlen(s.c->remoteinfo)) || !stralloc_cats(&r, "@")))
   || !safecat(&r, s.c->remotehost, strlen(s.c->remotehost))
   || !stralloc_cats(&r, " [") || !safecat(&r, s.c->remoteip, strlen(s.c->remoteip))
   || !stralloc_cats(&r, "])\n\tby ") || !stralloc_catb(&r, s.c->me.s, s.c->me.len - 1)
   || !stralloc_cats(&r, s.ehlo ? (s.tls ? " with ESMTPS" : " with ESMTP") : (s.tls ? " with SMTPS" : " with SMTP"))
   || (s.tls && (!stralloc_cats(&r, " (") || !stralloc_cat(&r, &s.tlsinfo) || !stralloc_cats(&r, ")")))
   || !stralloc_cats(&r, "; ")
   || !stralloc_catb(&r, date, date822_full(date, time(0))) || !stralloc_cats(&r, "\n"))
  {
    stralloc_free(&r) ;
    return 0 ;
  }
  qqclient_put(qq, r.s, r.len) ;
  stralloc_free(&r) ;
  return 1 ;
}

/* The reply for a queue exit code: qmail's text with its enhanced code. */
static void qqreply(int code, pid_t qp)
{
  char const *t = qqexit_text(code) ;
  char const *hash = strstr(t, "(#") ;
  char num[ULONG_FMT] ;
  if (!code)
  {
    smtpio_put("250 2.0.0 ok ") ;
    smtpio_putb(num, ulong_fmt(num, (unsigned long)time(0))) ;
    smtpio_put(" qp ") ;
    smtpio_putb(num, ulong_fmt(num, (unsigned long)qp)) ;
    smtpio_put("\r\n") ;
    return ;
  }
  smtpio_put(qqexit_permanent(code) ? "554 " : "451 ") ;
  if (hash && hash[2] && hash[3] == '.')
  {
    size_t n = strcspn(hash + 2, ")") ;
    smtpio_putb(hash + 2, n) ;
    smtpio_put(" ") ;
  }
  else smtpio_put(qqexit_permanent(code) ? "5.3.0 " : "4.3.0 ") ;
  smtpio_put(t) ;
  smtpio_put("\r\n") ;
}

/* What tlsd reported, for the Received line: protocol and suite. */
static void tlson(char const *protocol, char const *cipher)
{
  s.tls = 1 ;
  s.tlsinfo.len = 0 ;
  if (!safecat(&s.tlsinfo, protocol, strlen(protocol)) || !stralloc_cats(&s.tlsinfo, " ")
   || !safecat(&s.tlsinfo, cipher, strlen(cipher))) nomem() ;
}

/* RFC 3207. Whatever the client sent after the STARTTLS line came in
 * plaintext and is thrown away (CVE-2011-0411): what smtpio buffered, and
 * what is still in the socket, which the engine then reads as TLS and
 * fails on. Before the handshake fd 0 and 1 are the connection; after
 * it they are tlsd's control channel, which carries the plaintext. The
 * engine is either tlsd in front of smtpd ($TLSCTLFD: we ask it with
 * 'Y') or, in a smtppool worker, one that the TLS broker starts on our
 * connection when asked (tlsbroker.h); either way we say 220 only once
 * an engine is there, and hold no copy of the connection afterwards. */
static void starttls(stralloc const *line)
{
  static stralloc rec = STRALLOC_ZERO ;
  char const start = TLSCTL_START ;
  char const *proto, *cipher ;
  int fd = s.c->tlsctl ;
  int ms = s.c->timeout > 86400 ? 86400000 : (int)s.c->timeout * 1000 ;
  if (line->len > 8) { error("501 5.5.4 STARTTLS takes no argument") ; return ; }
  if (s.tls) { error("503 5.5.1 TLS is already on") ; return ; }
  if (fd < 0 && s.c->tlsbroker < 0) { error("502 5.5.2 unrecognized command") ; return ; }
  if (fd >= 0)
  {
    if (fd_write(fd, &start, 1) != 1) { reply("454 4.7.0 TLS not available; try again later") ; s.c->tlsctl = -1 ; return ; }
  }
  else
  {
    /* an engine starts in a few milliseconds; one that is not ready in
     * 30 s is a broker at its limit */
    fd = tlsbroker_ask(s.c->tlsbroker, 0, ms < 30000 ? ms : 30000) ;
    if (fd < 0) { reply("454 4.7.0 TLS not available; try again later") ; s.c->tlsbroker = -1 ; return ; }
  }
  reply("220 2.0.0 ready to start TLS") ;
  smtpio_flush() ;
  smtpio_pending() ;
  if (fd_copy(0, fd) < 0 || fd_copy(1, fd) < 0) _exit(111) ;
  fd_close(fd) ;
  smtpio_newfds() ;
  s.c->tlsctl = s.c->tlsbroker = -1 ;
  switch (tlsctl_read(0, &rec, ms))
  {
    case 1: break ;
    /* the handshake failed and tlsd said why in its log: the connection
     * is no longer plaintext, nothing more can be said to the client */
    default: end() ;
  }
  proto = tlsctl_get(rec.s, rec.len, "TLS_PROTOCOL") ;
  cipher = tlsctl_get(rec.s, rec.len, "TLS_CIPHER") ;
  tlson(proto ? proto : "TLS", cipher ? cipher : "unknown") ;
  /* a new session: the client must say EHLO again */
  resettx() ;
  s.helo.len = 0 ;
  s.ehlo = 0 ;
}

static void data(void)
{
  struct smtpdata d ;
  struct qqclient qq ;
  char out[8192 + 1] ;
  int done = 0, code ;
  if (!s.inmail) { error("503 5.5.1 MAIL first") ; return ; }
  if (!s.nrcpt) { error("554 5.5.1 no valid recipients") ; return ; }
  if (!qqclient_start(&qq, 0, 1)) { reply("451 4.3.0 unable to start the queue; try again later") ; resettx() ; return ; }
  reply("354 go ahead; end with <CRLF>.<CRLF>") ;
  if (!received(&qq)) { qqclient_finish(&qq, "", 0) ; nomem() ; }
  smtpdata_init(&d, s.c->databytes) ;
  while (!done)
  {
    char const *p ;
    size_t outlen, used ;
    long n = smtpio_peek(&p) ;
    if (n <= 0)
    {
      qqclient_finish(&qq, "", 0) ;    /* no envelope: queue commits nothing */
      if (n < 0) quit("451 4.4.2 timeout; closing connection") ;
      end() ;
    }
    if ((size_t)n > sizeof out - 1) n = sizeof out - 1 ;
    used = smtpdata_feed(&d, p, (size_t)n, out, &outlen, &done) ;
    smtpio_eat(used) ;
    qqclient_put(&qq, out, outlen) ;
  }
  if (d.flags)
  {
    qqclient_finish(&qq, "", 0) ;
    if (d.flags & SMTPDATA_TOOBIG) reply("552 5.3.4 sorry, that message size exceeds my databytes limit") ;
    else if (d.flags & SMTPDATA_BARE) reply("554 5.6.0 message refused: bare CR or LF (lines must end with CRLF)") ;
    else if (d.flags & SMTPDATA_NUL) reply("554 5.6.0 message refused: NUL byte") ;
    else if (d.flags & SMTPDATA_LONGLINE) reply("554 5.6.0 message refused: line longer than 1000 octets") ;
    else reply("554 5.4.6 too many hops; this message is looping") ;
    resettx() ;
    return ;
  }
  if (!envelope_end(&s.env)) { qqclient_finish(&qq, "", 0) ; nomem() ; }
  code = qqclient_finish(&qq, s.env.s, s.env.len) ;
  qqreply(code, qq.pid) ;
  resettx() ;
}

void smtpsess_run(struct smtpconf *c)
{
  static stralloc line = STRALLOC_ZERO ;
  /* nothing of a previous session may reach this one */
  s.c = c ;
  s.helo.len = 0 ;
  s.ehlo = 0 ;
  resettx() ;
  s.errors = 0 ;
  s.tls = 0 ;
  s.tlsinfo.len = 0 ;
  line.len = 0 ;
  if (setjmp(sessend)) return ;
  if (c->tlscipher) tlson(c->tlsprotocol, c->tlscipher) ;
  smtpio_init((unsigned int)c->timeout) ;
  smtpio_put("220 ") ;
  smtpio_putb(c->greeting.s, c->greeting.len - 1) ;
  smtpio_put("\r\n") ;
  for (;;)
  {
    size_t arg ;
    switch (smtpio_getline(&line))
    {
      case SMTPIO_LINE: break ;
      case SMTPIO_TOOLONG: error("500 5.5.2 line too long") ; continue ;
      case SMTPIO_BAD: error("500 5.5.2 bare CR, LF or NUL in command") ; continue ;
      case SMTPIO_EOF: end() ;
      case SMTPIO_TIMEOUT: quit("451 4.4.2 timeout; closing connection") ;
    }
    switch (smtpcmd_verb(line.s, line.len, &arg))
    {
      case SMTPCMD_EHLO: helo(&line, arg, 1) ; break ;
      case SMTPCMD_HELO: helo(&line, arg, 0) ; break ;
      case SMTPCMD_MAIL: mail(&line, arg) ; break ;
      case SMTPCMD_RCPT: rcpt(&line, arg) ; break ;
      case SMTPCMD_DATA:
        if (line.len > 4) error("501 5.5.4 DATA takes no argument") ;
        else data() ;
        break ;
      case SMTPCMD_RSET:
        if (line.len > 4) error("501 5.5.4 RSET takes no argument") ;
        else { resettx() ; reply("250 2.0.0 ok") ; }
        break ;
      case SMTPCMD_NOOP: reply("250 2.0.0 ok") ; break ;
      case SMTPCMD_QUIT:
        smtpio_put("221 2.0.0 ") ;
        smtpio_putb(c->me.s, c->me.len - 1) ;
        quit("") ;
      case SMTPCMD_STARTTLS: starttls(&line) ; break ;
      case SMTPCMD_VRFY: reply("252 2.1.5 send some mail, I'll try my best") ; break ;
      case SMTPCMD_HELP: reply("214 2.0.0 see RFC 5321; commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT") ; break ;
      default: error("502 5.5.2 unrecognized command") ; break ;
    }
  }
}
