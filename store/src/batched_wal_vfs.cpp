#include "batched_wal_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace ir::store {
namespace {

constexpr const char* kName = "ir-batched-wal";
// Larger transactions go out in writes of this size. The unix VFS writes at most
// 0x1ffff bytes per call (it masks the length: a longer write comes back short, as
// "disk full"), so stay under 128 KiB: 31 frames of a 4 KiB page.
constexpr int kBufferBytes = 127 * 1024;
// Our own file-control opcode; SQLite's own are small numbers.
constexpr int kPaceWritesOp = 0x49520001;

// What SQLite allocates per open file (szOsFile bytes, no constructor): ours first, the
// default VFS's own file object right behind it.
struct File {
    sqlite3_file base;
    sqlite3_file* real;
    bool wal;
    unsigned char* buffer;  // WAL files only, from their first write: frames not yet written
    sqlite3_int64 start;    // the file offset of buffer[0]
    int used;
    int pace_pages;      // database files: sync after this many page writes (0: never)
    int unsynced_pages;  // written since the last sync
};
static_assert(sizeof(File) % 8 == 0, "the default VFS's file object follows, aligned");

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs vfs;
sqlite3_io_methods methods;

File* file_of(sqlite3_file* f) {
    return reinterpret_cast<File*>(f);
}

const sqlite3_io_methods& real_of(File* f) {
    return *f->real->pMethods;
}

// Writes what is buffered. On failure it is dropped: the transaction it belongs to fails
// with this error and SQLite never counts those frames.
int flush(File* f) {
    if (f->used == 0) return SQLITE_OK;
    const int n = f->used;
    f->used = 0;
    return real_of(f).xWrite(f->real, f->buffer, n, f->start);
}

// A checkpoint's pages go out a few at a time: see pace_database_writes.
int paced_write(File* f, const void* data, int n, sqlite3_int64 offset) {
    if (const int rc = real_of(f).xWrite(f->real, data, n, offset); rc != SQLITE_OK) return rc;
    if (++f->unsynced_pages < f->pace_pages) return SQLITE_OK;
    f->unsynced_pages = 0;
    return real_of(f).xSync(f->real, SQLITE_SYNC_NORMAL);
}

int x_write(sqlite3_file* file, const void* data, int n, sqlite3_int64 offset) {
    File* f = file_of(file);
    if (f->pace_pages > 0) return paced_write(f, data, n, offset);
    // Readers never write the WAL: only a writer's connection pays for the buffer.
    if (f->wal && f->buffer == nullptr) f->buffer = static_cast<unsigned char*>(sqlite3_malloc(kBufferBytes));
    if (f->buffer == nullptr) return real_of(f).xWrite(f->real, data, n, offset);
    const bool follows = f->used > 0 && offset == f->start + f->used;
    if ((f->used > 0 && !follows) || f->used + n > kBufferBytes) {
        if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    }
    if (n > kBufferBytes) return real_of(f).xWrite(f->real, data, n, offset);
    if (f->used == 0) f->start = offset;
    std::memcpy(f->buffer + f->used, data, static_cast<std::size_t>(n));
    f->used += n;
    return SQLITE_OK;
}

int x_close(sqlite3_file* file) {
    File* f = file_of(file);
    const int flushed = flush(f);
    const int rc = real_of(f).xClose(f->real);
    sqlite3_free(f->buffer);
    f->buffer = nullptr;
    return flushed != SQLITE_OK ? flushed : rc;
}

// Everything that reads the file, or makes what was written durable, sees the frames.
int x_read(sqlite3_file* file, void* data, int n, sqlite3_int64 offset) {
    File* f = file_of(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return real_of(f).xRead(f->real, data, n, offset);
}
int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
    File* f = file_of(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return real_of(f).xTruncate(f->real, size);
}
int x_sync(sqlite3_file* file, int flags) {
    File* f = file_of(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    f->unsynced_pages = 0;
    return real_of(f).xSync(f->real, flags);
}
int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
    File* f = file_of(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return real_of(f).xFileSize(f->real, size);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
    File* f = file_of(file);
    if (op == kPaceWritesOp) {
        if (f->wal) return SQLITE_NOTFOUND;
        f->pace_pages = *static_cast<int*>(arg);
        return SQLITE_OK;
    }
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return real_of(f).xFileControl(f->real, op, arg);
}

// The rest goes straight through.
int x_lock(sqlite3_file* f, int level) {
    return real_of(file_of(f)).xLock(file_of(f)->real, level);
}
int x_unlock(sqlite3_file* f, int level) {
    return real_of(file_of(f)).xUnlock(file_of(f)->real, level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
    return real_of(file_of(f)).xCheckReservedLock(file_of(f)->real, out);
}
int x_sector_size(sqlite3_file* f) {
    return real_of(file_of(f)).xSectorSize(file_of(f)->real);
}
int x_device_characteristics(sqlite3_file* f) {
    return real_of(file_of(f)).xDeviceCharacteristics(file_of(f)->real);
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real_of(file_of(f)).xShmMap(file_of(f)->real, region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_of(file_of(f)).xShmLock(file_of(f)->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
    real_of(file_of(f)).xShmBarrier(file_of(f)->real);
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
    return real_of(file_of(f)).xShmUnmap(file_of(f)->real, delete_flag);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
    return real_of(file_of(f)).xFetch(file_of(f)->real, offset, n, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return real_of(file_of(f)).xUnfetch(file_of(f)->real, offset, p);
}

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    File* f = file_of(file);
    f->base.pMethods = nullptr;  // SQLite calls xClose only when this is set
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    f->buffer = nullptr;
    f->start = 0;
    f->used = 0;
    f->pace_pages = 0;
    f->unsynced_pages = 0;
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc == SQLITE_OK && f->real->pMethods->iVersion < 3) rc = SQLITE_CANTOPEN;  // needs shm and mmap calls
    if (rc != SQLITE_OK) {
        if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
        return rc;
    }
    f->base.pMethods = &methods;
    return SQLITE_OK;
}

void install() {
    real_vfs = sqlite3_vfs_find(nullptr);
    methods = sqlite3_io_methods{3,
                                 x_close,
                                 x_read,
                                 x_write,
                                 x_truncate,
                                 x_sync,
                                 x_file_size,
                                 x_lock,
                                 x_unlock,
                                 x_check_reserved_lock,
                                 x_file_control,
                                 x_sector_size,
                                 x_device_characteristics,
                                 x_shm_map,
                                 x_shm_lock,
                                 x_shm_barrier,
                                 x_shm_unmap,
                                 x_fetch,
                                 x_unfetch};
    // A copy of the default VFS (its other calls take it as their first argument, and it
    // is what they expect to get) with our name, file size and xOpen.
    vfs = *real_vfs;
    vfs.pNext = nullptr;
    vfs.zName = kName;
    vfs.szOsFile = static_cast<int>(sizeof(File)) + real_vfs->szOsFile;
    vfs.xOpen = x_open;
    vfs.xDelete = [](sqlite3_vfs*, const char* path, int sync) { return real_vfs->xDelete(real_vfs, path, sync); };
    vfs.xAccess = [](sqlite3_vfs*, const char* path, int flags, int* out) {
        return real_vfs->xAccess(real_vfs, path, flags, out);
    };
    vfs.xFullPathname = [](sqlite3_vfs*, const char* path, int n, char* out) {
        return real_vfs->xFullPathname(real_vfs, path, n, out);
    };
    vfs.xRandomness = [](sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); };
    vfs.xSleep = [](sqlite3_vfs*, int us) { return real_vfs->xSleep(real_vfs, us); };
    vfs.xCurrentTime = [](sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); };
    vfs.xGetLastError = [](sqlite3_vfs*, int n, char* out) { return real_vfs->xGetLastError(real_vfs, n, out); };
    vfs.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) { return real_vfs->xCurrentTimeInt64(real_vfs, out); };
    sqlite3_vfs_register(&vfs, 0);
}

}  // namespace

const char* batched_wal_vfs() {
    static std::once_flag once;
    std::call_once(once, install);
    return kName;
}

bool pace_database_writes(sqlite3* db, int pages) {
    return sqlite3_file_control(db, "main", kPaceWritesOp, &pages) == SQLITE_OK;
}

}  // namespace ir::store
