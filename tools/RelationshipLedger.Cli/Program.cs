using System.CommandLine;
using RelationshipLedger.Cli;
using RelationshipLedger.Cli.Commands;

var ledger = new RootCommand("The RelationshipLedger command line: schema, integrity and benchmarks.")
{
    LedgerConnection.Option,
    MigrateCommand.Create(),
    VerifyCommand.Create(),
};

return await CommandLineRunner.RunAsync(ledger, args);
