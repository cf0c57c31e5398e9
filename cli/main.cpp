// inquiryctl: command-line front end of Inquiry Router.
#include <CLI/CLI.hpp>

#include <iostream>

#include "backup_command.hpp"
#include "labels_command.hpp"
#include "notify_command.hpp"
#include "score_command.hpp"
#include "simulate_command.hpp"
#include "stats_command.hpp"
#include "tail_command.hpp"
#include "token_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"inquiryctl: score inquiries, follow alerts and reply statistics of inquiryd, back up its store, replay traffic"};
    app.require_subcommand(1);

    ir::cli::ScoreOptions score;
    auto* score_cmd = app.add_subcommand("score", "Assess every line of a JSONL file (fixtures format)");
    score_cmd->add_option("--catalog", score.catalog_path, "Product catalogue (catalog.json format)");
    score_cmd->add_option("--rules", score.rules_path, "Scoring rules TOML (default: the compiled-in rules)");
    score_cmd->add_option("FILE", score.input_path, "JSONL input, - for standard input")->required();

    ir::cli::TailOptions tail;
    auto* tail_cmd = ir::cli::add_tail_subcommand(app, tail);

    ir::cli::StatsOptions stats;
    auto* stats_cmd = ir::cli::add_stats_subcommand(app, stats);

    ir::cli::SimulateOptions simulate;
    ir::cli::GenerateOptions generate;
    const auto simulate_cmds = ir::cli::add_simulate_subcommand(app, simulate, generate);
    ir::cli::TokenOptions token;
    const auto token_cmds = ir::cli::add_token_subcommands(app, token);
    ir::cli::NotifyTestOptions notify_test;
    auto* notify_cmd = ir::cli::add_notify_subcommand(app, notify_test);

    ir::cli::BackupOptions backup;
    auto* backup_cmd = ir::cli::add_backup_subcommand(app, backup);
    ir::cli::LabelsOptions labels;
    auto* labels_export = ir::cli::add_labels_subcommand(app, labels);

    CLI11_PARSE(app, argc, argv);
    if (*score_cmd) return ir::cli::run_score(score, std::cout, std::cerr);
    if (*tail_cmd) return ir::cli::run_tail(tail, std::cout, std::cerr);
    if (*stats_cmd) return ir::cli::run_stats(stats, std::cout, std::cerr);
    if (*backup_cmd) return ir::cli::run_backup(backup, std::cout, std::cerr);
    if (*labels_export) return ir::cli::run_labels_export(labels, std::cout, std::cerr);
    if (app.got_subcommand("token") || *token_cmds.keygen)
        return ir::cli::run_token(token_cmds, token, std::cout, std::cerr);
    if (*notify_cmd) return ir::cli::run_notify_test(notify_test, std::cout, std::cerr);
    if (*simulate_cmds.generate) return ir::cli::run_generate(generate, std::cout, std::cerr);
    if (*simulate_cmds.simulate) return ir::cli::run_simulate(simulate, std::cout, std::cerr);
    return 0;
}
