/* inject: qmail-inject's job. Reads a message on stdin, completes its
 * header (injecthead.h), finds its recipients in the arguments or the
 * header, and hands it to queue, or with -n prints what would be queued. */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "addrlist.h"
#include "auto.h"
#include "envelope.h"
#include "header.h"
#include "injectconf.h"
#include "injecthead.h"
#include "qqclient.h"
#include "qqexit.h"

#define USAGE "inject [ -nNaAhH ] [ -f sender ] [ recip ... ]"

enum { RCPT_DEFAULT, RCPT_ARGS, RCPT_HEADER, RCPT_BOTH } ;

static struct qqclient qq ;
static int toqueue = 1 ;

static void put(void *ctx, char const *s, size_t len)
{
  (void)ctx ;
  if (toqueue) qqclient_put(&qq, s, len) ;
  else if (buffer_put(buffer_1, s, len) < 0) strerr_diefu1sys(111, "write to stdout") ;
}

static void dieaddr(enum addrlist_status r, char const *what, char const *s, size_t len)
{
  stralloc sa = STRALLOC_ZERO ;
  if (r == ADDRLIST_ENOMEM || !stralloc_catb(&sa, s, len) || !stralloc_0(&sa)) strerr_diefu1sys(111, "parse addresses") ;
  strerr_dief4x(100, what, sa.s, ": ", addrlist_strerror(r)) ;
}

static void dieheader(enum header_status hs)
{
  if (hs == HEADER_ETOOBIG) strerr_dief1x(100, "message header too long") ;
  if (hs == HEADER_ENOMEM) strerr_diefu1sys(111, "read message header") ;
  strerr_diefu1sys(111, "read message") ;
}

/* -n: the envelope as header lines, then the message. */
static void showenvelope(char const *sender, char const *rcpt, size_t len)
{
  stralloc sa = STRALLOC_ZERO ;
  if (!stralloc_cats(&sa, "Return-Path: <") || !addrlist_quote(&sa, sender, strlen(sender)) || !stralloc_cats(&sa, ">\n"))
    strerr_diefu1sys(111, "format envelope") ;
  for (size_t i = 0 ; i < len ; i += strlen(rcpt + i) + 1)
    if (!stralloc_cats(&sa, "Envelope-To: <") || !addrlist_quote(&sa, rcpt + i, strlen(rcpt + i)) || !stralloc_cats(&sa, ">\n"))
      strerr_diefu1sys(111, "format envelope") ;
  put(0, sa.s, sa.len) ;
  stralloc_free(&sa) ;
}

/* The recipients (arguments, then the header's unless -a) and the
 * envelope; dies when there are none or too many. */
static void mkenvelope(stralloc *env, stralloc *rcpt, size_t nrcpt, struct injecthead const *ih, int how, stralloc const *sender)
{
  if (how != RCPT_ARGS && !injecthead_recipients(ih, rcpt, &nrcpt)) strerr_diefu1sys(111, "list recipients") ;
  if (!nrcpt) strerr_dief1x(100, "no recipients") ;
  if (nrcpt > INJECTHEAD_RCPT_MAX) strerr_dief1x(100, "too many recipients") ;
  if (!envelope_add(env, 'F', sender->s, sender->len - 1)) strerr_diefu1sys(111, "make envelope") ;
  for (size_t i = 0 ; i < rcpt->len ; i += strlen(rcpt->s + i) + 1)
    if (!envelope_add(env, 'T', rcpt->s + i, strlen(rcpt->s + i))) strerr_diefu1sys(111, "make envelope") ;
  if (!envelope_end(env)) strerr_diefu1sys(111, "make envelope") ;
}

int main(int argc, char const *const *argv)
{
  static struct injectconf conf = INJECTCONF_ZERO ;
  static struct injecthead ih = INJECTHEAD_ZERO ;
  static struct header h = HEADER_ZERO ;
  static stralloc line, rcpt, sender, added, env ;
  subgetopt l = SUBGETOPT_ZERO ;
  char const *fsender = 0, *fn ;
  int how = RCPT_DEFAULT, code ;
  size_t nrcpt = 0 ;
  time_t now = time(0) ;
  enum header_status hs ;
  enum addrlist_status r ;

  PROG = "inject" ;
  for (int opt ; (opt = subgetopt_r(argc, argv, "aAhHnNf:", &l)) != -1 ; )
    switch (opt)
    {
      case 'a': how = RCPT_ARGS ; break ;
      case 'A': how = RCPT_DEFAULT ; break ;
      case 'h': how = RCPT_HEADER ; break ;
      case 'H': how = RCPT_BOTH ; break ;
      case 'n': toqueue = 0 ; break ;
      case 'N': toqueue = 1 ; break ;
      case 'f': fsender = l.arg ; break ;
      default: strerr_dieusage(100, USAGE) ;
    }
  argv += l.ind ;
  if (how == RCPT_DEFAULT) how = *argv ? RCPT_ARGS : RCPT_HEADER ;
  if (chdir(auto_home) < 0) strerr_diefu2sys(111, "switch to ", auto_home) ;
  if (!injectconf_read(&conf, &fn)) strerr_diefu2sys(111, "read ", fn) ;

  for (; how != RCPT_HEADER && *argv ; argv++, nrcpt++)
  {
    if (!**argv) strerr_dief1x(100, "empty recipient address") ;
    r = addrlist_envelope(*argv, strlen(*argv), &conf.hc.q, &rcpt) ;
    if (r) dieaddr(r, "bad recipient ", *argv, strlen(*argv)) ;
  }
  hs = header_read(&h, buffer_0, &line) ;
  if (hs != HEADER_END && hs != HEADER_BODY && hs != HEADER_EOF) dieheader(hs) ;
  for (size_t i = 0 ; i < header_nfields(&h) ; i++)
  {
    struct header_field const *f = header_field(&h, i) ;
    r = injecthead_field(&ih, &conf.hc, h.text.s + f->pos, f->len, f->namelen, f->valuepos) ;
    if (r) dieaddr(r, "unable to parse header field ", h.text.s + f->pos, f->namelen) ;
  }
  r = injecthead_sender(&ih, &conf.hc, fsender, &sender) ;
  if (r) dieaddr(r, "bad envelope sender ", fsender ? fsender : conf.hc.suser, strlen(fsender ? fsender : conf.hc.suser)) ;
  mkenvelope(&env, &rcpt, nrcpt, &ih, how, &sender) ;
  r = injecthead_added(&ih, &conf.hc, &added, now, getpid()) ;
  if (r) dieaddr(r, "bad From address for user ", conf.hc.user, strlen(conf.hc.user)) ;

  if (toqueue && !qqclient_start(&qq, 0, 1)) strerr_diefu1sys(111, "run queue") ;
  if (!toqueue) showenvelope(sender.s, rcpt.s, rcpt.len) ;
  put(0, added.s, added.len) ;
  put(0, ih.kept.s, ih.kept.len) ;
  if (hs != HEADER_EOF) put(0, "\n", 1) ;
  if (hs == HEADER_BODY) put(0, line.s, line.len) ;
  if (!header_body(buffer_0, &put, 0)) strerr_diefu1sys(111, "read message") ;
  if (!toqueue)
  {
    if (!buffer_flush(buffer_1)) strerr_diefu1sys(111, "write to stdout") ;
    return 0 ;
  }
  code = qqclient_finish(&qq, env.s, env.len) ;
  if (code) strerr_dief1x(qqexit_permanent(code) ? 100 : 111, qqexit_text(code)) ;
  return 0 ;
}
