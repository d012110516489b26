/* local: delivers one message to one local address, as qmail-local does
 * (local(8)); the work is localmain's, shared with lspawn's children. */
#include "localmain.h"

int main(int argc, char const *const *argv)
{
  localmain(argc, argv) ;
}
