/* remotesmtp.c: remote's SMTP session (remotesmtp.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <skalibs/types.h>
#include "dotstuff.h"
#include "remoteout.h"
#include "remotesmtp.h"
#include "tcpto.h"

#define QUITWAIT 10   /* seconds for the answer to QUIT */

static struct smtpconn conn = { .sock = -1, .rfd = -1, .wfd = -1 } ;
static struct smtpreply reply = SMTPREPLY_ZERO ;
static char host[64] ;          /* the address connected to, as text */
static int critical ;           /* the final dot is sent, no answer yet */

/* A worker's session kept after a delivery (remotesmtp_keep) */
static int keep ;               /* keep sessions */
static int kept ;               /* the session is open, idle, reusable */
static int reusing ;            /* a kept session, until MAIL is answered */
static jmp_buf retry ;          /* where a kept session found dead returns */
static struct smtpext keptext ; /* what its server offered */
static stralloc keptdomain = STRALLOC_ZERO ;   /* its destination */

/* The reason the last address failed before MAIL, reported as Z when no
 * other address works. */
static char lasthost[64] ;
static char const *lastwhat ;
static int lastdot ;
static stralloc lastwhy = STRALLOC_ZERO ;   /* a lastwhat made here */
static struct smtpreply lastreply = SMTPREPLY_ZERO ;

static int atext(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c)) ;
}

static int dotatom(char const *s, size_t len)
{
  if (!len || s[0] == '.' || s[len - 1] == '.') return 0 ;
  for (size_t i = 0 ; i < len ; i++)
  {
    if (s[i] == '.') { if (s[i + 1] == '.') return 0 ; }
    else if (!atext(s[i])) return 0 ;
  }
  return 1 ;
}

int remotesmtp_addr(stralloc *sa, char const *addr)
{
  char const *at ;
  if (!strcmp(addr, "#@[]")) return 1 ;
  at = strrchr(addr, '@') ;
  size_t local = at ? (size_t)(at - addr) : strlen(addr) ;
  if (!at || dotatom(addr, local)) return stralloc_cats(sa, addr) ;
  if (!stralloc_catb(sa, "\"", 1)) return 0 ;
  for (size_t i = 0 ; i < local ; i++)
  {
    if ((addr[i] == '"' || addr[i] == '\\') && !stralloc_catb(sa, "\\", 1)) return 0 ;
    if (!stralloc_catb(sa, addr + i, 1)) return 0 ;
  }
  return stralloc_catb(sa, "\"", 1) && stralloc_cats(sa, at) ;
}

static int linebreak(char const *s)
{
  return strchr(s, '\r') || strchr(s, '\n') ;
}

static void nomem(void) __attribute__((noreturn)) ;
static void nomem(void)
{
  remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
}

/* The message record made of the strings up to a null one, and exit. */
static void dietext(int status, ...) __attribute__((noreturn)) ;
static void dietext(int status, ...)
{
  static stralloc t = STRALLOC_ZERO ;
  char const *p ;
  va_list ap ;
  va_start(ap, status) ;
  t.len = 0 ;
  while ((p = va_arg(ap, char const *)))
    if (!stralloc_cats(&t, p)) nomem() ;
  va_end(ap) ;
  if (!stralloc_0(&t)) nomem() ;
  remoteout_die((char)status, t.s) ;
}

/* The connection is gone or makes no sense: no QUIT. */
static void dropped(enum smtpconn_status st)
{
  int timedout = st == SMTPCONN_DIED && errno == ETIMEDOUT ;
  smtpconn_close(&conn) ;
  if (st == SMTPCONN_NOMEM) nomem() ;
  /* a kept session that ended while idle: nothing was taken yet */
  if (reusing) longjmp(retry, 1) ;
  if (st == SMTPCONN_BAD)
    remoteout_final('Z', "Connected to ", host, " but it sent something that is not an SMTP reply. (#4.4.2)\n", 0, 0) ;
  if (timedout)
    remoteout_final('Z', "Connected to ", host, critical ? " but it did not answer within timeoutremote. Possible duplicate! (#4.4.2)\n" : " but it did not answer within timeoutremote. (#4.4.2)\n", 0, 0) ;
  remoteout_final('Z', "Connected to ", host, critical ? " but connection died. Possible duplicate! (#4.4.2)\n" : " but connection died. (#4.4.2)\n", 0, 0) ;
}

/* Says QUIT and waits a little for the answer, so that the peer reads
 * the whole session before the connection closes; then closes it. */
static void sayquit(void)
{
  static struct smtpreply q = SMTPREPLY_ZERO ;
  if (conn.timeout > QUITWAIT) conn.timeout = QUITWAIT ;
  if (smtpconn_puts(&conn, "QUIT\r\n") == SMTPCONN_OK) smtpconn_reply(&conn, &q) ;
  smtpconn_close(&conn) ;
}

static void quit(char status, char const *a, char const *b, char const *c, struct smtpreply const *r)
{
  sayquit() ;
  remoteout_final(status, a, b, c, 1, r) ;
}

/* This address failed before MAIL (what: the failure when the connection
 * still works): keep why, and go on with the next. Returns 0. */
static int failbefore(char const *what, enum smtpconn_status st)
{
  if (st == SMTPCONN_NOMEM) nomem() ;
  memcpy(lasthost, host, sizeof host) ;
  lastreply.text.len = 0 ;
  if (st == SMTPCONN_OK)
  {
    lastwhat = what ;
    lastdot = 1 ;
    if (!stralloc_copy(&lastreply.text, &reply.text)) nomem() ;
    sayquit() ;
  }
  else
  {
    lastdot = 0 ;
    lastwhat = st == SMTPCONN_BAD ? " but it sent something that is not an SMTP reply. (#4.4.2)\n"
      : errno == ETIMEDOUT ? " but it did not answer within timeoutremote. (#4.4.2)\n" : " but connection died. (#4.4.2)\n" ;
    smtpconn_close(&conn) ;
  }
  return 0 ;
}

static void put(char const *s, size_t len)
{
  enum smtpconn_status st = smtpconn_put(&conn, s, len) ;
  if (st != SMTPCONN_OK) dropped(st) ;
}

static void puts_(char const *s)
{
  put(s, strlen(s)) ;
}

static void putaddr(char const *cmd, char const *addr)
{
  static stralloc sa = STRALLOC_ZERO ;
  sa.len = 0 ;
  if (!stralloc_cats(&sa, cmd) || !remotesmtp_addr(&sa, addr) || !stralloc_cats(&sa, ">")) nomem() ;
  put(sa.s, sa.len) ;
}

static void getreply(void)
{
  enum smtpconn_status st = smtpconn_reply(&conn, &reply) ;
  if (st != SMTPCONN_OK) dropped(st) ;
}

/* The message after 354, and the answer to it. */
static void blast(struct msgsrc *m)
{
  char in[4096], out[DOTSTUFF_OUT(4096)] ;
  struct dotstuff d ;
  if (!msgsrc_rewind(m)) goto readerr ;
  dotstuff_init(&d) ;
  for (;;)
  {
    ssize_t r = msgsrc_read(m, in, sizeof in) ;
    if (r < 0) goto readerr ;
    if (!r) break ;
    put(out, dotstuff_run(&d, in, (size_t)r, out)) ;
  }
  put(out, dotstuff_end(&d, out)) ;
  critical = 1 ;
  getreply() ;
  critical = 0 ;
  if (reply.code >= 500) quit('D', host, " failed after I sent the message", 0, &reply) ;
  if (reply.code >= 300) quit('Z', host, " failed after I sent the message", 0, &reply) ;
  /* the session stays for the worker's next message to the same place,
   * unless the server said more than its answer */
  if (keep && !buffer_len(&conn.in))
  {
    kept = 1 ;
    remoteout_final('K', host, " accepted message", 0, 1, &reply) ;
  }
  quit('K', host, " accepted message", 0, &reply) ;
 readerr:
  /* no final dot: the server throws the unfinished message away */
  smtpconn_close(&conn) ;
  remoteout_die('Z', "Unable to read message. (#4.3.0)\n") ;
}

enum smtpconn_status remotesmtp_ehlo(struct smtpconn *c, char const *helohost, struct smtpreply *r, struct smtpext *ext)
{
  enum smtpconn_status st ;
  memset(ext, 0, sizeof *ext) ;
  if ((st = smtpconn_puts(c, "EHLO ")) != SMTPCONN_OK || (st = smtpconn_puts(c, helohost)) != SMTPCONN_OK
   || (st = smtpconn_puts(c, "\r\n")) != SMTPCONN_OK || (st = smtpconn_reply(c, r)) != SMTPCONN_OK)
    return st ;
  if (r->code / 100 == 2) smtpreply_ehlo(ext, r->text.s, r->text.len) ;
  return SMTPCONN_OK ;
}

/* Greeting and EHLO/HELO. 1 to go on (*ehlo: EHLO was taken), 0 when
 * this address failed. */
static int hello(struct remotesmtp const *j, struct smtpext *ext, int *ehlo)
{
  enum smtpconn_status st = smtpconn_reply(&conn, &reply) ;
  if (st != SMTPCONN_OK) return failbefore(0, st) ;
  if (reply.code / 100 != 2) return failbefore(" but greeting failed", st) ;
  st = remotesmtp_ehlo(&conn, j->helohost, &reply, ext) ;
  if (st != SMTPCONN_OK) return failbefore(0, st) ;
  *ehlo = reply.code / 100 == 2 ;
  if (!*ehlo)
  {
    puts_("HELO ") ; puts_(j->helohost) ; puts_("\r\n") ;
    st = smtpconn_reply(&conn, &reply) ;
    if (st != SMTPCONN_OK) return failbefore(0, st) ;
    if (reply.code / 100 != 2) return failbefore(" but my name was rejected", st) ;
  }
  return 1 ;
}

/* MAIL with its parameters */
static void mail(struct remotesmtp const *j, struct smtpext const *ext)
{
  char num[UINT64_FMT] ;
  putaddr("MAIL FROM:<", j->sender) ;
  if (ext->size) { puts_(" SIZE=") ; put(num, uint64_fmt(num, j->msg->size)) ; }
  if (ext->eightbitmime && j->msg->high) puts_(" BODY=8BITMIME") ;
  puts_("\r\n") ;
}

static void mailreply(void)
{
  getreply() ;
  /* a kept session the server no longer wants (421, or any 4xx): start
   * afresh, as a new session would be asked */
  if (reusing && reply.code >= 400 && reply.code < 500) { smtpconn_close(&conn) ; longjmp(retry, 1) ; }
  reusing = 0 ;
  if (reply.code >= 500) quit('D', "Connected to ", host, " but sender was rejected", &reply) ;
  if (reply.code >= 300) quit('Z', "Connected to ", host, " but sender was rejected", &reply) ;
}

/* The answer to RCPT for recipient i: its record; 1 if accepted. */
static int rcptreply(void)
{
  getreply() ;
  if (reply.code < 300) { remoteout_rcpt('r', host, &reply) ; return 1 ; }
  remoteout_rcpt(reply.code >= 500 ? 'h' : 's', host, &reply) ;
  return 0 ;
}

/* A recipient that cannot be sent gets its record in its place. */
static void refuse(void)
{
  remoteout_rcpttext('h', "Sorry, the address holds a line break, which SMTP cannot carry. (#5.1.3)\n") ;
}

/* From MAIL to the end, on a connection that has said hello. */
static void transaction(struct remotesmtp const *j, struct smtpext const *ext)
{
  int pipelining = ext->pipelining, any = 0 ;
  if (ext->size && ext->sizemax && j->msg->size > ext->sizemax)
  {
    char a[UINT64_FMT], b[UINT64_FMT] ;
    a[uint64_fmt(a, j->msg->size)] = 0 ;
    b[ulong_fmt(b, ext->sizemax)] = 0 ;
    sayquit() ;
    dietext('D', "Sorry, the message is ", a, " bytes, more than the ", b, " that ", host, " accepts. (#5.3.4)\n", 0) ;
  }
  if (keep) keptext = *ext ;
  mail(j, ext) ;
  if (!pipelining) mailreply() ;
  for (unsigned int i = 0 ; i < j->nrecips ; i++)
    if (!linebreak(j->recips[i]))
    {
      putaddr("RCPT TO:<", j->recips[i]) ;
      puts_("\r\n") ;
      if (!pipelining) any |= rcptreply() ;
    }
    else if (!pipelining) refuse() ;
  if (pipelining)
  {
    puts_("DATA\r\n") ;
    mailreply() ;
    for (unsigned int i = 0 ; i < j->nrecips ; i++)
      if (linebreak(j->recips[i])) refuse() ;
      else any |= rcptreply() ;
  }
  else
  {
    if (!any) quit('D', "Giving up on ", host, 0, 0) ;
    puts_("DATA\r\n") ;
  }
  getreply() ;
  if (!any)
  {
    /* a server that took DATA with no recipient: send no content */
    smtpconn_close(&conn) ;
    remoteout_final('D', "Giving up on ", host, 0, 1, 0) ;
  }
  if (reply.code >= 500) quit('D', host, " failed on DATA command", 0, &reply) ;
  if (reply.code != 354) quit('Z', host, " failed on DATA command", 0, &reply) ;
  blast(j->msg) ;
}

void remotesmtp_deliver(struct remotesmtp const *j, struct remotehosts const *h)
{
  struct dns_ip const *ip = genalloc_s(struct dns_ip, &h->ips) ;
  size_t n = genalloc_len(struct dns_ip, &h->ips) ;
  char const *lasterr = 0 ;
  char lastaddr[64] = "" ;
  int again = 0 ;
  if (linebreak(j->sender))
    remoteout_die('D', "Sorry, the sender address holds a line break, which SMTP cannot carry. (#5.1.7)\n") ;
  reusing = 0 ;
  if (kept) remotesmtp_end(1) ;
  if (keep && (!stralloc_copys(&keptdomain, j->domain) || !stralloc_0(&keptdomain))) nomem() ;
  for (size_t i = 0 ; i < n ; i += !again)
  {
    struct smtpext ext ;
    int ehlo = 0 ;
    uint64_t now = (uint64_t)time(0) ;
    int plain = again ;   /* the second connection after a failed handshake */
    char const *name = ip[i].name < h->names.len ? h->names.s + ip[i].name : "" ;
    again = 0 ;
    host[dns_fmtip(host, ip + i)] = 0 ;
    if (!plain && !remoteout_note(0)) nomem() ;
    if (!plain && j->tcpto && tcpto_skip(j->tcpto, ip + i, now))
    {
      memcpy(lastaddr, host, sizeof host) ;
      lasterr = "skipped: it timed out recently (tcpto)" ;
      continue ;
    }
    if (!smtpconn_connect(&conn, ip + i, h->port, j->timeoutconnect, j->timeout))
    {
      int e = errno ;
      if (j->tcpto) tcpto_note(j->tcpto, ip + i, e == ETIMEDOUT, now) ;
      memcpy(lastaddr, host, sizeof host) ;
      lasterr = strerror(e) ;
      continue ;
    }
    if (j->tcpto) tcpto_note(j->tcpto, ip + i, 0, now) ;
    if (!hello(j, &ext, &ehlo)) continue ;
    /* the place of STARTTLS: see remotesmtp.h */
    if (j->starttls && !plain)
    {
      static stralloc why = STRALLOC_ZERO ;
      int r ;
      why.len = 0 ;
      r = j->starttls(j->tlsconf, &conn, j->helohost, host, name, ehlo, &ext, &why) ;
      if (r < 0)
      {
        smtpconn_close(&conn) ;
        if (!stralloc_0(&why)) nomem() ;
        dietext('Z', "Connected to ", host, " but ", why.s, "\n", 0) ;
      }
      if (!r)
      {
        if (conn.rfd >= 0) sayquit() ;
        else smtpconn_close(&conn) ;
        memcpy(lasthost, host, sizeof host) ;
        if (!stralloc_copys(&lastwhy, " but ") || !stralloc_cat(&lastwhy, &why) || !stralloc_cats(&lastwhy, "\n") || !stralloc_0(&lastwhy)) nomem() ;
        lastwhat = lastwhy.s ;
        lastdot = 0 ;
        lastreply.text.len = 0 ;
        continue ;
      }
      if (r == REMOTESMTP_AGAIN) { smtpconn_close(&conn) ; again = 1 ; continue ; }
    }
    transaction(j, &ext) ;
  }
  if (lastwhat) remoteout_final('Z', "Connected to ", lasthost, lastwhat, lastdot, lastreply.text.len ? &lastreply : 0) ;
  if (lasterr)
    dietext('Z', "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n", lastaddr, ": ", lasterr, "\n", 0) ;
  remoteout_die('Z', "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n") ;
}

void remotesmtp_keep(void)
{
  keep = 1 ;
}

void remotesmtp_reuse(struct remotesmtp const *j)
{
  if (!kept || strcmp(keptdomain.s, j->domain)) return ;
  kept = 0 ;
  if (linebreak(j->sender)) return ;
  if (setjmp(retry)) { reusing = 0 ; smtpconn_close(&conn) ; return ; }
  reusing = 1 ;
  conn.timeout = j->timeout ;
  transaction(j, &keptext) ;
}

int remotesmtp_idlefd(void)
{
  return kept ? conn.rfd : -1 ;
}

void remotesmtp_end(int sayit)
{
  reusing = 0 ;
  if (kept && sayit) sayquit() ;
  else smtpconn_close(&conn) ;
  kept = 0 ;
}
