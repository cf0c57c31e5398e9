#pragma once
// A thin SQLite VFS over the default one that gathers a transaction's WAL writes into one
// write. SQLite writes each WAL frame as two pwrite calls (its 24-byte header, then the
// page), so a commit of 40 pages costs 80 system calls before its fsync; on a virtual
// machine those calls cost as much CPU as the rest of the commit. Here the frames are
// appended to a buffer and written with one call when SQLite syncs, reads, truncates or
// asks the file's size, or when the buffer is full: before anything could see them.
// Only "-wal" files are buffered; every other call goes straight through.
//
// Safe only with synchronous=FULL, which every connection of the store sets: then each
// commit syncs the WAL before SQLite publishes its frames to readers (the WAL index), and
// the sync writes the buffer first. With NORMAL or OFF, SQLite would publish frames that
// are still in the buffer.

namespace ir::store {

// The registered VFS's name, for sqlite3_open_v2. Registers it on first use.
const char* batched_wal_vfs();

}  // namespace ir::store
