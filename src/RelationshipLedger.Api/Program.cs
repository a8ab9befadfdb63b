using RelationshipLedger.Api.Health;
using RelationshipLedger.Api.Hosting;
using RelationshipLedger.LocalPostgres;

try
{
    // Settings files live beside the binaries; the working directory is where the data goes.
    var builder = WebApplication.CreateBuilder(
        new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }
    );
    builder.ListenOnLoopbackByDefault();
    builder.Services.AddProblemDetails();
    await builder.AddLedgerStorageAsync();

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapHealthApi();
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
