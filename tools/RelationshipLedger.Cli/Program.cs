using System.CommandLine;
using RelationshipLedger.Cli;
using RelationshipLedger.Cli.Commands;
using RelationshipLedger.Cli.Commands.Bench;

var ledger = new RootCommand("The RelationshipLedger command line: schema, integrity and benchmarks.")
{
    LedgerConnection.Option,
    MigrateCommand.Create(),
    VerifyCommand.Create(),
    BenchCommand.Create(),
};

return await CommandLineRunner.RunAsync(ledger, args);
