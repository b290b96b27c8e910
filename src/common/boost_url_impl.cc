// Boost.URL compiled into our binary rather than linked from Debian's libboost_url.so: the
// shared library was built in another language mode, and its string_view parameters do not
// match ours (ASan caught parse_query calling strlen on a non-terminated view).
#include <boost/url/src.hpp>
