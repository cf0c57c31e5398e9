#include <ir/router/event.hpp>
