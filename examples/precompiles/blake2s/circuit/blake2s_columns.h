// The BLAKE2s compression table's column layout lives with the package (src/blake2s_columns.h):
// the package's library fills the same rows (src/blake2s_rows.h), and a package sees only its own
// src/, never this folder.
#pragma once

#include "src/blake2s_columns.h"
