/* rspawn-report: remote's report becomes the result of one delivery as
 * qmail-rspawn makes it: r + K is K, r + Z is Z, r + D is D, h is D, s is
 * Z, a message record alone decides; the texts join the recipient's and
 * the message's as qmail-rspawn does; a crash, exit 111, no output, or a
 * report cut short never becomes K or D by accident. */
#include <sys/wait.h>
#include <skalibs/stralloc.h>
#include "rspawnjob.h"
#include "tap.h"

#define EXIT(n) ((n) << 8)
#define R(st, lit) rspawnjob_report(st, lit, sizeof lit - 1, &text)

int main(void)
{
  stralloc text = STRALLOC_ZERO ;
  is_int(R(EXIT(0), "r\0K1.2.3.4 accepted message.\nRemote host said: 250 ok\n\0"), 'K', "r then K: K") ;
  is_mem(text.s, text.len, "1.2.3.4 accepted message.\nRemote host said: 250 ok\n", 51, "K text: the message record's") ;
  is_int(R(EXIT(0), "r\0Z1.2.3.4 failed after I sent the message.\n\0"), 'Z', "r then Z: Z") ;
  is_int(R(EXIT(0), "r\0D1.2.3.4 failed after I sent the message.\n\0"), 'D', "r then D: D") ;
  is_int(R(EXIT(0), "h1.2.3.4 does not like recipient.\nRemote host said: 550 no\n\0DGiving up on 1.2.3.4.\n\0"), 'D', "h: D") ;
  is_mem(text.s, text.len, "1.2.3.4 does not like recipient.\nRemote host said: 550 no\nGiving up on 1.2.3.4.\n", 80, "h text then the D text") ;
  is_int(R(EXIT(0), "s1.2.3.4 does not like recipient.\nRemote host said: 451 later\n\0DGiving up on 1.2.3.4.\n\0"), 'Z', "s: Z even when the message failed") ;
  is_int(R(EXIT(0), "s1.2.3.4 does not like recipient.\n\0K1.2.3.4 accepted message.\n\0"), 'Z', "s with K for others: Z") ;
  is_mem(text.s, text.len, "1.2.3.4 does not like recipient.\n", 33, "an s record's text without the K text") ;
  is_int(R(EXIT(0), "h1.2.3.4 does not like recipient.\n\0Z1.2.3.4 failed after I sent the message.\n\0"), 'D', "h with a Z message: D") ;
  is_mem(text.s, text.len, "1.2.3.4 does not like recipient.\n", 33, "an h record's text without the Z text") ;
  is_int(R(EXIT(0), "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0"), 'Z', "message record alone: Z") ;
  is_mem(text.s, text.len, "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n", 63, "its text") ;
  is_int(R(EXIT(0), "DSorry, I couldn't find any host named x. (#5.1.2)\n\0"), 'D', "message record alone: D") ;
  is_int(R(EXIT(0), "r\0K1.2.3.4 accepted mess"), 'K', "a report cut short keeps its last record") ;
  is_int(R(EXIT(0), "r\0"), 'Z', "r without a message record: Z") ;
  is_int(R(EXIT(0), ""), 'Z', "no output: Z") ;
  is_str((stralloc_0(&text), text.s), "remote produced no output. (#4.3.0)\n", "no output: text") ;
  is_int(R(EXIT(111), "r\0K1.2.3.4 accepted message.\n\0"), 'Z', "exit 111: Z, whatever it wrote") ;
  is_int(R(EXIT(111), "ZUnable to open message: No such file or directory (#4.3.0)\n\0"), 'Z', "exit 111 with a Z record") ;
  is_mem(text.s, text.len, "Unable to open message: No such file or directory (#4.3.0)\n", 59, "its text kept") ;
  is_int(R(SIGKILL, "r\0K1.2.3.4 accepted message.\n\0"), 'Z', "killed: Z") ;
  is_int(R(EXIT(0), "x\0"), 'Z', "an unknown record: Z") ;
  stralloc_free(&text) ;
  return tap_done() ;
}
