/* sendmailopt.c: sendmail's options (sendmailopt.h). */
#include <string.h>
#include "sendmailopt.h"

/* Letters that take an argument and are ignored; -f -r -F are used. */
static char const withargignored[] = "BCehLNOpRVX" ;
static char const ignored[] = "imvxnGIUc" ;

static int mode(struct sendmailopt *o, char const *arg)
{
  switch (arg[0])
  {
    case 'm': o->mode = SENDMAIL_INJECT ; return 1 ;
    case 's': o->mode = SENDMAIL_SMTP ; return 1 ;
    case 'p': o->mode = SENDMAIL_MAILQ ; return 1 ;
    case 'i': o->mode = SENDMAIL_ALIASES ; return 1 ;
    case 'd': case 'D': o->error = "-bd: cairn does not run as a daemon; smtpd runs under tcpserver (see INSTALL)" ; return 0 ;
  }
  o->error = "unsupported mode (cairn knows -bm, -bs, -bp and -bi)" ;
  return 0 ;
}

int sendmailopt_parse(struct sendmailopt *o, unsigned int argc, char const *const *argv)
{
  unsigned int i = 1 ;
  for (; i < argc ; i++)
  {
    char const *w = argv[i] ;
    if (w[0] != '-' || !w[1]) break ;
    if (!strcmp(w, "--")) { i++ ; break ; }
    for (size_t j = 1 ; w[j] ; j++)
    {
      char c = w[j] ;
      char const *arg ;
      if (c == 'q') { o->mode = SENDMAIL_FLUSH ; break ; }   /* the rest: an interval */
      if (c == 't') { o->headers = 1 ; continue ; }
      if (!strchr(withargignored, c) && !strchr("frFbo", c))
      {
        if (strchr(ignored, c)) continue ;
        if (!stralloc_cats(&o->ignored, w) || !stralloc_0(&o->ignored)) return 0 ;
        break ;
      }
      arg = w + j + 1 ;
      if (!*arg)
      {
        if (i + 1 >= argc) { o->error = "an option lacks its argument" ; o->rcpt = i ; return 1 ; }
        arg = argv[++i] ;
      }
      switch (c)
      {
        case 'f': case 'r': o->sender = arg ; break ;
        case 'F': o->fullname = arg ; break ;
        case 'b': if (!mode(o, arg)) { o->rcpt = i ; return 1 ; } break ;
        default: break ;   /* -o and the ignored ones */
      }
      break ;
    }
  }
  o->rcpt = i ;
  return 1 ;
}
