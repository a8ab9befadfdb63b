using System.Text.Json.Serialization;
using Npgsql;
using RelationshipLedger.Api.Customers;
using RelationshipLedger.Api.Feed;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Hosting;

/// <summary>The HTTP side of the ledger: JSON, problems, security and OpenAPI.</summary>
public static partial class LedgerApi
{
    public static void AddLedgerApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(options =>
            // Problems the framework writes itself (the routes' Accepts check answering 415, an unknown
            // route, a wrong method) get a stable code too; the ledger's own problems keep theirs.
            options.CustomizeProblemDetails = context =>
                context.ProblemDetails.Extensions.TryAdd(
                    "code",
                    Problems.CodeFor(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode)
                )
        );
        builder.Services.AddExceptionHandler<LedgerExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityScheme>());
        var bootstrap = BootstrapKey.Resolve(builder);
        builder.Services.AddSingleton(services => new ApiKeyStore(
            services.GetRequiredService<NpgsqlDataSource>(),
            bootstrap.Key
        ));
        builder.Services.AddSingleton(new BootstrapKeyNotice(bootstrap.GeneratedFile));
        builder.Services.AddHostedService<BootstrapKeyAnnouncer>();
        builder.Services.AddLedgerSecurity();
        builder.Services.AddKeyRateLimiting(builder.Configuration);
        RequestLimits.AddRequestLimits(builder.Services, builder.Configuration);
        builder.Services.AddSingleton<CommandExecutor>();
        builder.Services.AddLedgerFeed(builder.Configuration);
    }

    public static void UseLedgerApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        // After authentication, so a request counts against its key; before authorization, so a key's refused
        // requests count too.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "RelationshipLedger v1");
            options.RoutePrefix = "docs";
        });
    }
}

/// <summary>Where the Development bootstrap key was generated, if it was.</summary>
public sealed record BootstrapKeyNotice(string? GeneratedFile);

internal sealed partial class BootstrapKeyAnnouncer(BootstrapKeyNotice notice, ILogger<BootstrapKeyAnnouncer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (notice.GeneratedFile is { } file)
            LogGenerated(logger, file);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "LEDGER_BOOTSTRAP_KEY is not set: a Development key with every role is in {File}. Send it as 'Authorization: Bearer <key>'."
    )]
    private static partial void LogGenerated(ILogger logger, string file);
}
