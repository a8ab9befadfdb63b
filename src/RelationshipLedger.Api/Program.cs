using RelationshipLedger.Api;
using RelationshipLedger.Api.Audit;
using RelationshipLedger.Api.AuditPage;
using RelationshipLedger.Api.Customers;
using RelationshipLedger.Api.Feed;
using RelationshipLedger.Api.Health;
using RelationshipLedger.Api.Hosting;
using RelationshipLedger.Api.Operations;
using RelationshipLedger.Api.Portfolio;
using RelationshipLedger.LocalPostgres;

try
{
    // Settings files live beside the binaries; the working directory is where the data goes.
    var builder = WebApplication.CreateBuilder(
        new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }
    );
    builder.ListenOnLoopbackByDefault();
    await builder.AddLedgerStorageAsync();
    builder.AddLedgerApi();

    var app = builder.Build();
    app.UseLedgerApi();
    app.MapHealthApi();
    app.MapCustomerCommandsApi();
    app.MapErasureApi();
    app.MapImportApi();
    app.MapCustomerQueriesApi();
    app.MapFeedApi();
    app.MapAuditApi();
    app.MapLedgerIntegrityApi();
    app.MapExportedDigestApi();
    app.MapCorrectionsApi();
    app.MapAuditPage();
    app.MapProjectionsApi();
    app.MapProcessApi();
    app.MapChurnWatchApi();
    app.MapPortfolioAbcApi();
    app.MapPortfolioApi();
    await app.RunAsync();
    return 0;
}
catch (LocalPostgresException exception)
{
    await Console.Error.WriteLineAsync($"The ledger could not start its embedded PostgreSQL.\n{exception.Message}");
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
