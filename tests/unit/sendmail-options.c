/* sendmail-options: sendmail's command line is read as sendmailopt.h
 * says: modes, -t -f -F with attached and separate arguments, the
 * ignored options (with and without an argument) not eating recipients,
 * unknown options listed for a warning with the rest of their word, -q
 * with an interval, "--", and usage errors. */
#include <string.h>
#include "sendmailopt.h"
#include "tap.h"

static struct sendmailopt o ;

static void parse(char const *const *argv)
{
  unsigned int n = 0 ;
  while (argv[n]) n++ ;
  stralloc_free(&o.ignored) ;
  o = (struct sendmailopt)SENDMAILOPT_ZERO ;
  ok(sendmailopt_parse(&o, n, argv), "parse") ;
}
#define P(...) parse((char const *const[]){ "sendmail", __VA_ARGS__, 0 })

int main(void)
{
  P("alice") ;
  is_int(o.mode, SENDMAIL_INJECT, "default mode: deliver") ;
  is_int(o.rcpt, 1, "  recipients from argv[1]") ;
  ok(!o.headers && !o.sender && !o.fullname && !o.error, "  nothing else set") ;

  P("-t", "-f", "joe@x", "-FJoe Q", "bob") ;
  ok(o.headers, "-t") ;
  is_str(o.sender, "joe@x", "-f with a separate argument") ;
  is_str(o.fullname, "Joe Q", "-F with an attached argument") ;
  is_int(o.rcpt, 5, "  recipients after them") ;

  P("-ti", "-rjoe@x", "bob") ;
  ok(o.headers, "-ti: -t within a word") ;
  is_str(o.sender, "joe@x", "-r is -f") ;

  P("-f", "", "bob") ;
  is_str(o.sender, "", "-f with an empty argument: the null sender") ;

  P("-oi", "-odb", "-oem", "-o", "i", "-i", "-v", "-N", "never", "-R", "hdrs", "-Vid", "-Bbody", "-hx", "bob") ;
  is_int(o.rcpt, 15, "ignored options, with their arguments, do not eat recipients") ;
  is_int(o.ignored.len, 0, "  and give no warning") ;

  P("-Y", "-Zfoo", "-tW", "bob") ;
  is_int(o.rcpt, 4, "unknown options are skipped") ;
  is_mem(o.ignored.s, o.ignored.len, "-Y\0-Zfoo\0-tW\0", 13, "  each word listed for a warning") ;
  ok(o.headers, "  letters before the unknown one count") ;

  P("-bs") ; is_int(o.mode, SENDMAIL_SMTP, "-bs") ;
  P("-b", "p") ; is_int(o.mode, SENDMAIL_MAILQ, "-b p") ;
  P("-bi") ; is_int(o.mode, SENDMAIL_ALIASES, "-bi") ;
  P("-bm", "x") ; is_int(o.mode, SENDMAIL_INJECT, "-bm") ;
  P("-q") ; is_int(o.mode, SENDMAIL_FLUSH, "-q") ;
  P("-q30m") ; is_int(o.mode, SENDMAIL_FLUSH, "-q30m: the interval is ignored") ;
  P("-vq") ; is_int(o.mode, SENDMAIL_FLUSH, "-vq") ;

  P("-bd") ; ok(o.error && strstr(o.error, "daemon"), "-bd is a usage error saying why") ;
  P("-bt") ; ok(o.error != 0, "-bt is a usage error") ;
  P("-f") ; ok(o.error != 0, "-f without its argument is a usage error") ;

  P("--", "-t") ;
  ok(!o.headers, "-- ends the options") ;
  is_int(o.rcpt, 2, "  the next word is a recipient") ;
  P("-t", "-", "x") ;
  is_int(o.rcpt, 2, "a lone - ends the options too") ;
  P("bob", "-t") ;
  ok(!o.headers, "options end at the first recipient") ;
  return tap_done() ;
}
