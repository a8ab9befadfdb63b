using System.CommandLine;
using RelationshipLedger.Cli;
using RelationshipLedger.Cli.Commands;
using RelationshipLedger.Cli.Commands.Bench;

var bench = BenchCommand.Create();
bench.Subcommands.Add(LedgerBenchmarkCommand.Create());
bench.Subcommands.Add(DaemonBenchmarkCommand.Create());
bench.Subcommands.Add(AbcBenchmarkCommand.Create());
bench.Subcommands.Add(PortfolioBenchmarkCommand.Create());
bench.Subcommands.Add(RebuildBenchmarkCommand.Create());
bench.Subcommands.Add(LoadBenchmarkCommand.Create());

var ledger = new RootCommand(
    "The RelationshipLedger command line: schema, replay, integrity, import, export, seeding, the projection daemon, API keys and benchmarks."
)
{
    LedgerConnection.Option,
    MigrateCommand.Create(),
    ReplayCommand.Create(),
    CorrectionsCommand.Create(),
    VerifyCommand.Create(),
    DigestCommand.Create(),
    BundleCommand.Create(),
    VerifyBundleCommand.Create(),
    ImportCommand.Create(),
    ExportCommand.Create(),
    SeedCommand.Create(),
    DaemonCommand.Create(),
    ChurnWatchCommand.Create(),
    ProjectionsCommand.Create(),
    KeysCommand.Create(),
    bench,
};

return await CommandLineRunner.RunAsync(ledger, args);
