// Durability: what was acknowledged survives the process being killed outright.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ir/store/group_committer.hpp"
#include "store_fixture.hpp"

using namespace ir::store;
using ir::store::test::TempDir;
namespace t = ir::store::test;

namespace {

constexpr int kChanges = 300;

// The child: commit through the group committer, wait for every ack, die by SIGKILL
// with the connection open (no close, no checkpoint, no destructors).
[[noreturn]] void commit_then_die(const std::filesystem::path& path) {
    auto committer = GroupCommitter::start(CommitterOptions{.database = Options{.path = path}});
    if (!committer) _exit(2);
    t::Counter acked;
    bool all_ok = true;
    for (int i = 0; i < kChanges; ++i) {
        Change c = t::ingest("acc", "m" + std::to_string(i), i + 1);
        c.alerts = {t::alert(i + 1, "inquiry/")};
        while (!(*committer)->submit(c, [&](std::optional<ir::Error> e) {
            all_ok = all_ok && !e;
            acked.add();
        })) {
        }
    }
    if (!acked.wait_for(kChanges) || !all_ok) _exit(3);
    kill(getpid(), SIGKILL);
    _exit(4);
}

}  // namespace

TEST_CASE("every acknowledged commit survives a killed process") {
    TempDir dir;
    const auto path = dir.file("store.db");
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) commit_then_die(path);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    INFO("exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    // The writer never closed: the commits are only in the WAL, which recovery replays.
    CHECK(std::filesystem::file_size(dir.file("store.db-wal")) > 0);

    auto db = t::open_db(path);
    CHECK(db->event_count().value() == kChanges);
    CHECK(db->max_alert_seq().value() == kChanges);
    CHECK(db->max_inquiry_id().value() == kChanges);
    CHECK(t::journaled(*db, "chat", "acc", "m299") == EventKey{300, "chat", "acc", "m299", 300});
}
