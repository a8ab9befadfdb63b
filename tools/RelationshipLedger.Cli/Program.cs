using System.CommandLine;
using RelationshipLedger.Cli;
using RelationshipLedger.Cli.Commands;
using RelationshipLedger.Cli.Commands.Bench;

var ledger = new RootCommand(
    "The RelationshipLedger command line: schema, replay, integrity, import, seeding and benchmarks."
)
{
    LedgerConnection.Option,
    MigrateCommand.Create(),
    ReplayCommand.Create(),
    VerifyCommand.Create(),
    ImportCommand.Create(),
    SeedCommand.Create(),
    BenchCommand.Create(),
};

return await CommandLineRunner.RunAsync(ledger, args);
