/* smtpsess.c: one SMTP session, command by command (RFC 5321), with
 * enhanced status codes (RFC 3463) on every reply. */
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "date822.h"
#include "envelope.h"
#include "qqclient.h"
#include "qqexit.h"
#include "smtpaddr.h"
#include "smtpdata.h"
#include "smtpio.h"
#include "smtpsess.h"

struct sess {
  struct smtpconf *c ;
  stralloc helo ;
  int ehlo ;
  int inmail ;             /* MAIL accepted, transaction open */
  stralloc env ;           /* F sender, T recipients */
  unsigned long nrcpt ;
  unsigned long errors ;
  int bodybinary ;         /* BODY=8BITMIME */
} ;

static struct sess s ;

static void reply(char const *text)
{
  smtpio_put(text) ;
  smtpio_put("\r\n") ;
}

static void quit(char const *text)
{
  reply(text) ;
  smtpio_flush() ;
  _exit(0) ;
}

/* A client error: counted, and too many end the session. */
static void error(char const *text)
{
  reply(text) ;
  if (++s.errors >= s.c->maxerrors) quit("421 4.7.0 too many errors; closing connection") ;
}

static int verbis(stralloc const *line, char const *verb, size_t *arg)
{
  size_t n = strlen(verb) ;
  if (line->len < n) return 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    char c = line->s[i] ;
    if (c >= 'a' && c <= 'z') c -= 'a' - 'A' ;
    if (c != verb[i]) return 0 ;
  }
  if (line->len > n && line->s[n] != ' ') return 0 ;
  *arg = line->len > n ? n + 1 : n ;
  return 1 ;
}

static void resettx(void)
{
  s.inmail = 0 ;
  s.env.len = 0 ;
  s.nrcpt = 0 ;
  s.bodybinary = 0 ;
}

/* Copies a client-given word into the Received line, bounded, with
 * anything that could break the header turned into '?'. */
static void safecat(stralloc *sa, char const *x, size_t n)
{
  if (n > 255) n = 255 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    char c = x[i] ;
    if ((unsigned char)c < 33 || (unsigned char)c > 126 || c == '(' || c == ')') c = '?' ;
    stralloc_catb(sa, &c, 1) ;
  }
}

static void helo(stralloc const *line, size_t arg, int ehlo)
{
  if (line->len == arg) { error("501 5.5.4 syntax: HELO hostname") ; return ; }
  resettx() ;
  s.helo.len = 0 ;
  safecat(&s.helo, line->s + arg, line->len - arg) ;
  s.ehlo = ehlo ;
  smtpio_putb(ehlo ? "250-" : "250 ", 4) ;
  smtpio_putb(s.c->me.s, s.c->me.len - 1) ;
  smtpio_put("\r\n") ;
  if (ehlo)
  {
    char num[ULONG_FMT] ;
    reply("250-PIPELINING") ;
    reply("250-8BITMIME") ;
    reply("250-ENHANCEDSTATUSCODES") ;
    smtpio_put("250 SIZE") ;
    if (s.c->databytes) { smtpio_put(" ") ; smtpio_putb(num, ulong_fmt(num, s.c->databytes)) ; }
    smtpio_put("\r\n") ;
  }
}

/* "FROM:" or "TO:" after the verb, with an optional space before the path. */
static int prefix(stralloc const *line, size_t *i, char const *p)
{
  size_t n = strlen(p) ;
  if (line->len - *i < n) return 0 ;
  for (size_t k = 0 ; k < n ; k++)
  {
    char c = line->s[*i + k] ;
    if (c >= 'a' && c <= 'z') c -= 'a' - 'A' ;
    if (c != p[k]) return 0 ;
  }
  *i += n ;
  if (*i < line->len && line->s[*i] == ' ') (*i)++ ;
  return 1 ;
}

/* MAIL parameters: SIZE=n and BODY=7BIT/8BITMIME. */
static int mailparams(char const *p, size_t len)
{
  size_t i = 0 ;
  while (i < len)
  {
    size_t end = i ;
    while (end < len && p[end] != ' ') end++ ;
    if (end - i > 5 && !strncasecmp(p + i, "SIZE=", 5))
    {
      unsigned long size ;
      size_t n = ulong_scan(p + i + 5, &size) ;
      if (n != end - i - 5) { error("501 5.5.4 syntax error in SIZE") ; return 0 ; }
      if (s.c->databytes && size > s.c->databytes) { error("552 5.3.4 sorry, that message size exceeds my databytes limit") ; return 0 ; }
    }
    else if (end - i == 9 && !strncasecmp(p + i, "BODY=7BIT", 9)) ;
    else if (end - i == 13 && !strncasecmp(p + i, "BODY=8BITMIME", 13)) s.bodybinary = 1 ;
    else if (end > i) { error("555 5.5.4 unknown MAIL parameter") ; return 0 ; }
    i = end + 1 ;
  }
  return 1 ;
}

static void mail(stralloc const *line, size_t arg)
{
  static stralloc addr = STRALLOC_ZERO ;
  enum smtpaddr_status st ;
  size_t used, i = arg ;
  if (!s.helo.len) { error("503 5.5.1 send HELO or EHLO first") ; return ; }
  if (s.inmail) { error("503 5.5.1 nested MAIL command") ; return ; }
  if (!prefix(line, &i, "FROM:")) { error("501 5.5.4 syntax: MAIL FROM:<address>") ; return ; }
  addr.len = 0 ;
  st = smtpaddr_parse(line->s + i, line->len - i, 1, 0, &addr, &used) ;
  if (st == SMTPADDR_ENOMEM) quit("421 4.3.0 out of memory; closing connection") ;
  if (st)
  {
    stralloc t = STRALLOC_ZERO ;
    stralloc_copys(&t, st == SMTPADDR_E8BIT ? "553 5.6.7 " : "553 5.1.7 ") ;
    stralloc_cats(&t, smtpaddr_errstr(st)) ; stralloc_0(&t) ;
    error(t.s) ;
    stralloc_free(&t) ;
    return ;
  }
  i += used ;
  if (i < line->len && line->s[i] == ' ') i++ ;
  else if (i < line->len) { error("501 5.5.4 syntax error after the address") ; return ; }
  if (!mailparams(line->s + i, line->len - i)) return ;
  if (smtpconf_badmailfrom(s.c, addr.s, addr.len)) { error("553 5.7.1 sorry, your envelope sender is in my badmailfrom list") ; return ; }
  s.env.len = 0 ;
  if (!envelope_add(&s.env, 'F', addr.s, addr.len)) quit("421 4.3.0 out of memory; closing connection") ;
  s.inmail = 1 ;
  s.nrcpt = 0 ;
  reply("250 2.1.0 ok") ;
}

static void rcpt(stralloc const *line, size_t arg)
{
  static stralloc addr = STRALLOC_ZERO ;
  enum smtpaddr_status st ;
  size_t used, i = arg ;
  char const *at ;
  if (!s.inmail) { error("503 5.5.1 MAIL first") ; return ; }
  if (!prefix(line, &i, "TO:")) { error("501 5.5.4 syntax: RCPT TO:<address>") ; return ; }
  addr.len = 0 ;
  /* RFC 5321 4.5.1: <postmaster> without a domain must be accepted */
  if (line->len - i == 12 && !strncasecmp(line->s + i, "<postmaster>", 12))
  {
    if (!stralloc_cats(&addr, "postmaster@") || !stralloc_catb(&addr, s.c->me.s, s.c->me.len - 1)) quit("421 4.3.0 out of memory; closing connection") ;
    used = 12 ;
    st = SMTPADDR_OK ;
  }
  else st = smtpaddr_parse(line->s + i, line->len - i, 0, 0, &addr, &used) ;
  if (st == SMTPADDR_ENOMEM) quit("421 4.3.0 out of memory; closing connection") ;
  if (st) { error(st == SMTPADDR_E8BIT ? "553 5.6.7 8-bit address without SMTPUTF8" : "553 5.1.3 syntax error in address") ; return ; }
  i += used ;
  if (i < line->len && line->s[i] != ' ') { error("501 5.5.4 syntax error after the address") ; return ; }
  if (i < line->len && line->s[i + 1]) { error("555 5.5.4 RCPT parameters are not supported") ; return ; }
  if (s.nrcpt >= s.c->maxrcpt) { reply("452 4.5.3 too many recipients") ; return ; }
  at = memrchr(addr.s, '@', addr.len) ;
  if (s.c->relayclient)
  {
    if (!stralloc_cats(&addr, s.c->relayclient)) quit("421 4.3.0 out of memory; closing connection") ;
  }
  else if (!at || !smtpconf_rcpthost(s.c, at + 1, addr.len - (size_t)(at + 1 - addr.s)))
  {
    error("553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts") ;
    return ;
  }
  if (!envelope_add(&s.env, 'T', addr.s, addr.len)) quit("421 4.3.0 out of memory; closing connection") ;
  s.nrcpt++ ;
  reply("250 2.1.5 ok") ;
}

static void received(struct qqclient *qq)
{
  stralloc r = STRALLOC_ZERO ;
  char date[DATE822_MAX] ;
  stralloc_cats(&r, "Received: from ") ;
  stralloc_cat(&r, &s.helo) ;
  stralloc_cats(&r, " (") ;
  if (s.c->remoteinfo) { safecat(&r, s.c->remoteinfo, strlen(s.c->remoteinfo)) ; stralloc_cats(&r, "@") ; }
  safecat(&r, s.c->remotehost, strlen(s.c->remotehost)) ;
  stralloc_cats(&r, " [") ;
  safecat(&r, s.c->remoteip, strlen(s.c->remoteip)) ;
  stralloc_cats(&r, "])\n\tby ") ;
  stralloc_catb(&r, s.c->me.s, s.c->me.len - 1) ;
  stralloc_cats(&r, s.ehlo ? " with ESMTP; " : " with SMTP; ") ;
  stralloc_catb(&r, date, date822_full(date, time(0))) ;
  stralloc_cats(&r, "\n") ;
  qqclient_put(qq, r.s, r.len) ;
  stralloc_free(&r) ;
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
  received(&qq) ;
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
      _exit(0) ;
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
  if (!envelope_end(&s.env)) quit("421 4.3.0 out of memory; closing connection") ;
  code = qqclient_finish(&qq, s.env.s, s.env.len) ;
  qqreply(code, qq.pid) ;
  resettx() ;
}

void smtpsess_run(struct smtpconf *c)
{
  stralloc line = STRALLOC_ZERO ;
  s.c = c ;
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
      case SMTPIO_EOF: _exit(0) ;
      case SMTPIO_TIMEOUT: quit("451 4.4.2 timeout; closing connection") ;
    }
    if (verbis(&line, "EHLO", &arg)) helo(&line, arg, 1) ;
    else if (verbis(&line, "HELO", &arg)) helo(&line, arg, 0) ;
    else if (verbis(&line, "MAIL", &arg)) mail(&line, arg) ;
    else if (verbis(&line, "RCPT", &arg)) rcpt(&line, arg) ;
    else if (verbis(&line, "DATA", &arg))
    {
      if (line.len > 4) error("501 5.5.4 DATA takes no argument") ;
      else data() ;
    }
    else if (verbis(&line, "RSET", &arg)) { resettx() ; reply("250 2.0.0 ok") ; }
    else if (verbis(&line, "NOOP", &arg)) reply("250 2.0.0 ok") ;
    else if (verbis(&line, "QUIT", &arg))
    {
      smtpio_put("221 2.0.0 ") ;
      smtpio_putb(c->me.s, c->me.len - 1) ;
      quit("") ;
    }
    else if (verbis(&line, "VRFY", &arg)) reply("252 2.1.5 send some mail, I'll try my best") ;
    else if (verbis(&line, "HELP", &arg)) reply("214 2.0.0 see RFC 5321; commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT") ;
    else error("502 5.5.2 unrecognized command") ;
  }
}
